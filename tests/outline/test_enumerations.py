"""outline/enumerations.py: 一是/第一/首先/—— series and where their items end."""
from __future__ import annotations

import pytest

from .helpers import F, outline_of, structural


@pytest.mark.parametrize("paragraph, expected", [
    ("我们要抓好三件事：一是加强学习；二是改进作风；三是狠抓落实。",
     [(2, "一是", "加强学习"), (2, "二是", "改进作风"), (2, "三是", "狠抓落实")]),
    ("第一，加强学习。" + F + "第二，改进作风。" + F,
     [(2, "第一", "加强学习"), (2, "第二", "改进作风")]),
    ("首先，加强学习。" + F + "其次，改进作风。" + F + "最后，狠抓落实。" + F,
     [(2, "首先", "加强学习"), (2, "其次", "改进作风"), (2, "最后", "狠抓落实")]),
    # not enumerations: an idiom, quotes, a lone 首先, 首先…最后 without 其次, 统一是
    ("做到说一是一、说二是二，" + F, []),
    ("他说：“第一，要学习；第二，要实践。”" + F, []),
    ("首先，我代表党中央表示祝贺。" + F, []),
    ("首先要看是否符合全局需要。最后形成的文件才能符合要求。", []),
    ("国家统一是大势所趋，二是二非的说法不对。" + F, []),
])
def test_inline_enumerations_sit_below_their_section(paragraph, expected):
    o = outline_of("一、总体要求", paragraph, "二、重点任务", F)
    enums = [t for t in structural(o) if t[1] not in ("一、", "二、")]
    assert enums == expected
    for n in o.walk():
        if n.kind == "enumeration":
            assert n.parent is o.sections[0]


def test_paragraph_initial_enumerations_run_over_the_paragraphs_that_follow():
    o = outline_of("一、总体要求", "第一，加强学习。" + F, F, F, "第二，改进作风。" + F, F, "二、重点任务", F)
    first, second = o.sections[0].children
    body = o.speech.body
    assert first.paragraphs == 3 and second.paragraphs == 2
    assert body[second.start:second.end].endswith(F) and "二、" not in body[second.start:second.end]


def test_dash_paragraphs_are_an_enumeration():
    o = outline_of("一、总体要求", F, "——经济保持恢复发展。" + F, "——创新能力进一步增强。" + F, "二、重点任务", F)
    enums = o.sections[0].children
    assert [(n.marker, n.heading) for n in enums] == [("——", "经济保持恢复发展"), ("——", "创新能力进一步增强")]


def test_enumerations_without_headings_lead_the_outline():
    o = outline_of("见到大家很高兴。" + F, "这里，我给大家提3点要求。", "一是要做政治的明白人。" + F,
                   "二是要做发展的开路人。" + F, "三是要做群众的贴心人。" + F, "希望大家不负重托。")
    assert o.mode == "enumerations"
    assert [n.kind for n in o.nodes] == ["title", "salutation", "opening", "enumeration", "enumeration", "enumeration", "closing"]
    assert ("announced_count", "ok", 3) in [(c.check, c.kind, c.found) for c in o.checks]
