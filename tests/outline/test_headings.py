"""outline/headings.py: the five heading marker styles, markers that are not headings, split headings."""
from __future__ import annotations

import pytest

from analysis_utils.outline import cn_number, marker_number

from .helpers import SECTION_TEXT, F, kinds, outline_of, structural


# ----------------------------------------------------------------------- numerals
@pytest.mark.parametrize("text, value", [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("两", 2), ("12", 12), ("１２", 12),
    ("", None), ("一二", None), ("百", None),
])
def test_cn_number(text, value):
    assert cn_number(text) == value  # the deprecated alias
    assert marker_number(text) == value


# ------------------------------------------------------------------ heading styles
@pytest.mark.parametrize("paras, expected", [
    # 一、 on its own line
    (["一、总体要求", F, "二、重点任务", F], [(1, "一、", "总体要求"), (1, "二、", "重点任务")]),
    # 一. and 一． are variants of 一、
    (["一.总体要求", F, "二.重点任务", F], [(1, "一.", "总体要求"), (1, "二.", "重点任务")]),
    (["一．总体要求", F, "二．重点任务", F], [(1, "一．", "总体要求"), (1, "二．", "重点任务")]),
    # （一） as the first sentence of a paragraph: heading is that sentence
    (["（一）加强理论学习。" + F, "（二）改进工作作风。" + F], [(1, "（一）", "加强理论学习"), (1, "（二）", "改进工作作风")]),
    # half-width and mixed brackets
    (["(一)加强理论学习。" + F, "(二)改进工作作风。" + F], [(1, "(一)", "加强理论学习"), (1, "(二)", "改进工作作风")]),
    (["（一)加强理论学习。" + F, "(二）改进工作作风。" + F], [(1, "（一)", "加强理论学习"), (1, "(二）", "改进工作作风")]),
    # 1. 1、 and full-width digits
    (["1.加强理论学习", F, "2.改进工作作风", F], [(1, "1.", "加强理论学习"), (1, "2.", "改进工作作风")]),
    (["1、加强理论学习", F, "2、改进工作作风", F], [(1, "1、", "加强理论学习"), (1, "2、", "改进工作作风")]),
    (["１．加强理论学习", F, "２．改进工作作风", F], [(1, "１．", "加强理论学习"), (1, "２．", "改进工作作风")]),
    # （1） and ①
    (["（1）加强理论学习。" + F, "（2）改进工作作风。" + F], [(1, "（1）", "加强理论学习"), (1, "（2）", "改进工作作风")]),
    (["①加强理论学习。" + F, "②改进工作作风。" + F], [(1, "①", "加强理论学习"), (1, "②", "改进工作作风")]),
    # the five levels nested
    (["一、总体要求", F, "（一）加强理论学习。" + F, "1.读原著", F, "（1）读党章。" + F, "①逐条学习。" + F],
     [(1, "一、", "总体要求"), (2, "（一）", "加强理论学习"), (3, "1.", "读原著"), (4, "（1）", "读党章"), (5, "①", "逐条学习")]),
    # levels are relative: a speech that starts at （一） gets a level-1 （一）, then 1. below it
    (["（一）加强理论学习。" + F, "1.读原著", F, "2.悟原理", F, "（二）改进工作作风。" + F],
     [(1, "（一）", "加强理论学习"), (2, "1.", "读原著"), (2, "2.", "悟原理"), (1, "（二）", "改进工作作风")]),
])
def test_heading_styles(paras, expected):
    assert structural(outline_of(*paras)) == expected


@pytest.mark.parametrize("paras", [
    ["“一带一路”建设成效显著，党的十九大精神深入人心。" + F],  # quoted / mid-sentence markers
    ["1.5万亿元的投资已经到位。" + F],  # a number, not 1.
    ["一、二线城市房价保持稳定。" + F],  # 一、二线 is not a heading
    ["2021年是极不平凡的一年。" + F],
])
def test_markers_that_are_not_headings(paras):
    o = outline_of(*paras)
    assert not structural(o)
    assert o.mode == "paragraphs"


def test_inline_heading_sentence_is_told_from_the_paragraph_it_opens():
    o = outline_of("（一）加强理论学习。" + F + F, "（二）改进工作作风。" + F)
    first = o.sections[0]
    body = o.speech.body
    assert first.heading == "加强理论学习" and first.title == "（一）加强理论学习"
    assert body[first.start:first.heading_end] == "（一）加强理论学习。"
    assert body[first.heading_end:first.end] == F + F  # the node spans the content after the heading


def test_heading_broken_over_two_lines_is_joined():
    o = outline_of("一、总体要求", SECTION_TEXT, "（二）坚持不懈用", "新思想凝心铸魂。" + F, "（三）改进作风。" + F, "（四）狠抓落实。" + F)
    second = o.sections[0].children[1]
    assert second.heading == "坚持不懈用新思想凝心铸魂"
    assert "heading_split" in kinds(o, "structure")


# ------------------------------------------- issue 14: 第一个问题 / 第一部分 as the top level
QUESTIONS = "xi_speeches_2013_2016/069_2016-05-17.txt"  # 第一个问题：… 第四个问题： on lines of their own


def test_questions_are_the_top_level_of_a_real_speech(corpus_dir):
    from analysis_utils import build_outline, load_speech, sections

    o = build_outline(load_speech(corpus_dir / QUESTIONS))
    assert o.mode == "headings"
    assert [s.marker for s in o.sections] == [f"第{d}个问题：" for d in "一二三四"]
    assert [s.number for s in o.sections] == [1, 2, 3, 4] and all(s.level == 1 for s in o.sections)
    assert o.sections[2].heading == "加快构建中国特色哲学社会科学"
    assert [c.marker for c in o.sections[2].children] == ["第一", "第二", "第三"]  # 第一，体现继承性、民族性 …
    assert o.nodes[-1].kind == "closing" and o.speech.body[o.nodes[-1].start:].startswith("同志们！")
    labels = sections(o.speech, outline=o).table["label"].tolist()
    assert [x[:5] for x in labels[1:-1]] == ["第一个问题", "第二个问题", "第三个问题", "第四个问题"] and labels[-1] == "结尾 closing"
    assert not [c for c in o.checks if c.check == "numbering" and c.kind != "ok"]


@pytest.mark.parametrize("how", ["colon", "space", "alone"])
def test_parts_are_the_top_level_on_disk(corpus_dir, tmp_path, how):
    """The same speech with 第一部分 markers (：, an ideographic space, or alone on a line above the heading)."""
    import re

    from analysis_utils import build_outline, load_speech

    text = (corpus_dir / QUESTIONS).read_text(encoding="utf-8-sig")
    sep = {"colon": "：", "space": "\u3000", "alone": "\r\n"}[how]
    f = tmp_path / f"parts_{how}.txt"
    f.write_text(re.sub(r"第([一二三四])个问题：", lambda m: f"第{m.group(1)}部分{sep}", text), encoding="utf-8")
    o = build_outline(load_speech(f))
    assert [s.title[:4] for s in o.sections] == [f"第{d}部分" for d in "一二三四"] and o.mode == "headings"
    if how != "alone":
        assert o.sections[3].heading == "加强和改善党对哲学社会科学工作的领导"
    assert [c.marker for c in o.sections[2].children] == ["第一", "第二", "第三"]


def test_questions_inside_a_section_are_not_the_top_level(seed_path, tmp_path):
    """第一个问题：… 第二个问题： inside 一、 of the seed stay below it: the seed keeps its two sections."""
    from analysis_utils import build_outline, load_speech

    lines = seed_path.read_text(encoding="utf-8").splitlines()
    k = next(i for i, x in enumerate(lines) if x.startswith("一、")) + 1
    lines[k:k] = ["第一个问题：怎么看。" + F, "第二个问题：怎么办。" + F]
    f = tmp_path / "seed_questions.txt"
    f.write_text("\n".join(lines), encoding="utf-8")
    o = build_outline(load_speech(f))
    assert [s.marker for s in o.sections] == ["一、", "二、"]
    inside = [n for n in o.walk() if n.marker.startswith(("第一个问题", "第二个问题"))]
    assert [(n.level, n.parent.marker) for n in inside] == [(2, "一、"), (2, "一、")]


# --------------------------------------- issue 14: a caption or lead glued to a marker hides nothing
def _caption_and_lead(corpus_dir):
    from analysis_utils import load_speech

    xi = corpus_dir / "xi_speeches_2013_2016"
    caption = next(r.text for r in load_speech(xi / "032_2014-10-08.txt").removed if "caption" in r.reason)
    lead = next(r.text for r in load_speech(xi / "050_2015-09-22.txt").removed if "agency lead" in r.reason)
    return caption, lead


def test_a_caption_or_lead_glued_to_a_marker_does_not_hide_it(corpus_dir, tmp_path):
    """The 2022 report with a lead glued to 一、, a caption glued to 三、 and (in speech 069) a caption glued to 第一，."""
    from analysis_utils import build_outline, load_speech

    caption, lead = _caption_and_lead(corpus_dir)
    gwr = (corpus_dir / "gwr_2022_crlf.txt").read_text(encoding="utf-8")
    original = build_outline(load_speech(corpus_dir / "gwr_2022_crlf.txt"))
    glued = gwr.replace("一、2021年工作回顾", lead.strip() + "一、2021年工作回顾").replace("三、2022年", caption + "三、2022年")
    f = tmp_path / "gwr_glued.txt"
    f.write_bytes(glued.encode("utf-8"))
    s = load_speech(f)
    o = build_outline(s)
    assert [n.title for n in o.sections] == [n.title for n in original.sections]
    assert [len(n.children) for n in o.sections] == [len(n.children) for n in original.sections]
    assert {r.text for r in s.removed} == {lead.strip(), caption} and s.body == original.speech.body

    speech = (corpus_dir / QUESTIONS).read_text(encoding="utf-8-sig").replace("第一，体现继承性", caption + "第一，体现继承性")
    f = tmp_path / "069_glued.txt"
    f.write_text(speech, encoding="utf-8")
    o = build_outline(load_speech(f))
    assert [c.marker for c in o.sections[2].children] == ["第一", "第二", "第三"]
    assert caption not in o.speech.body
