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
