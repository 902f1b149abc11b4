"""outline/build.py: frame parts, parts divided by addresses, odd text, real speeches."""
from __future__ import annotations

import json

import pytest

from analysis_utils import build_outline, load_speech, speech_from_text
from analysis_utils.outline import TABLE_COLUMNS

from .helpers import F, kinds, outline_of


def test_addresses_on_their_own_line_divide_a_speech_without_headings():
    o = outline_of("今天来到这里很高兴。" + F, "朋友们！", "世界正在发生深刻变化。" + F * 4, "朋友们！",
                   "中国发展离不开世界。" + F * 4, "朋友们！", "谢谢大家。")
    assert o.mode == "parts"
    assert [n.kind for n in o.nodes] == ["title", "salutation", "opening", "part", "part", "closing"]
    assert [n.heading for n in o.nodes if n.kind == "part"] == ["世界正在发生深刻变化", "中国发展离不开世界"]


# -------------------------------------------------------------------- frame parts
def test_frame_parts_of_the_seed(seed_speech):
    o = build_outline(seed_speech)
    kinds_ = [n.kind for n in o.nodes]
    assert kinds_ == ["title", "salutation", "opening", "section", "section", "closing"]
    body = seed_speech.body
    opening, closing = o.nodes[2], o.nodes[-1]
    assert "讲两点意见" in body[opening.start:opening.end]
    assert body[closing.start:].startswith("同志们，新时代召唤新担当新作为")
    assert closing.heading.startswith("新时代召唤新担当新作为")
    # the top level covers the whole speech: its Chinese characters add up
    assert sum(n.chars for n in o.nodes) == seed_speech.han_chars


# ------------------------------------------------------------ degrading gracefully
def test_no_line_breaks_still_finds_headings_and_enumerations(seed_speech):
    flat = speech_from_text(seed_speech.body.replace("\n", ""))
    o = build_outline(flat)
    assert o.mode == "inline"
    assert [len(s.children) for s in o.sections] == [5, 5]
    assert any(n.marker == "一是" for n in o.walk())
    assert [c.found for c in o.checks if c.check == "announced_count" and c.kind == "ok"] == [2, 5]


def test_one_huge_paragraph_without_structure():
    o = build_outline(speech_from_text("同志们：\n" + "我们要坚持学习，不断提高本领。" * 20000))
    assert o.mode == "paragraphs"
    para = [n for n in o.nodes if n.kind == "paragraph"]
    assert len(para) == 1 and para[0].sentences == 20000 and para[0].chars == 13 * 20000


def test_no_headings_gives_paragraph_level_structure():
    o = outline_of("今天召开这次会议很有意义。" + F, F, "希望大家认真落实。")
    assert o.mode == "paragraphs"
    assert [n.kind for n in o.nodes] == ["title", "salutation", "paragraph", "paragraph", "paragraph"]
    assert o.nodes[2].heading == "今天召开这次会议很有意义"


@pytest.mark.parametrize("text", [
    "同志们好。", "一、", "（一）\n（二）\n（三）", "第一，第二，第三，", "一是\n二是\n三是", "——\n——中国", "同志们！\n同志们！\n同志们！",
    "一、二、三、四、五、", "（一）（二）（三）", "首先其次最后", "讲三点意见：", "×××" + "中" * 10, "一、中\n" * 500,
    "１．甲\n２．乙\n（１）丙\n①丁\n②戊\n一是己\n二是庚", "（十五）标题\n（二）标题\n（二）标题", "。" * 50 + "中",
])
def test_odd_text_never_crashes_and_offsets_stay_inside_the_body(text):
    s = speech_from_text(text)
    o = build_outline(s)
    for n in o.walk():
        assert 0 <= n.start <= n.end <= len(s.body)
        for c in n.children:
            assert n.start <= c.start <= c.end <= n.end
    json.dumps(o.to_dict(), ensure_ascii=False)
    assert o.to_text() and o.to_markdown()
    assert list(o.table().columns) == TABLE_COLUMNS


def test_every_corpus_speech_gets_a_consistent_outline(corpus_dir):
    files = sorted(corpus_dir.glob("*.txt")) + sorted((corpus_dir / "xi_speeches_2013_2016").glob("*.txt"))
    assert len(files) >= 80
    for f in files:
        s = load_speech(f)
        o = build_outline(s)
        top = o.nodes
        for a, b in zip(top, top[1:]):
            assert a.end <= b.start, (f.name, a.id, b.id)
        for n in o.walk():
            assert 0 <= n.start <= n.end <= len(s.body), f.name
            for a, b in zip(n.children, n.children[1:]):
                assert a.end <= b.start, (f.name, a.id, b.id)
            for c in n.children:
                assert n.start <= c.start and c.end <= n.end, (f.name, c.id)


# ------------------------------------------------------------------ real speeches
def test_seed_two_sections_of_five(seed_speech):
    o = build_outline(seed_speech)
    assert [s.title for s in o.sections] == ["一、聚焦主业、担当作为，组织工作展现新气象", "二、强基固本、激发活力，持续推动组织工作高质量发展"]
    assert [[c.marker for c in s.children if c.kind == "section"] for s in o.sections] == [["（一）", "（二）", "（三）", "（四）", "（五）"]] * 2
    first = o.sections[0].children[0]
    assert first.heading == "党的十九大精神落实落细" and first.level == 2
    announced = [(c.kind, c.expected, c.found) for c in o.checks if c.check == "announced_count"]
    assert announced == [("ok", 2, 2), ("ok", 5, 5)]
    assert "讲两点意见" in o.checks[0].message
    # 一是…四是 inside （三） of part two
    assert [c.marker for c in o.node("2.3").children] == ["一是", "二是", "三是", "四是"]
    assert not [c for c in o.checks if c.kind not in ("ok", "placeholder")]


def test_cpc20_fifteen_sections(corpus_dir):
    o = build_outline(load_speech(corpus_dir / "cpc20_report.txt"))
    titles = [s.title for s in o.sections]
    assert len(titles) == 15 and [s.number for s in o.sections] == list(range(1, 16))
    assert titles[0] == "一、过去五年的工作和新时代十年的伟大变革"
    assert titles[-1] == "十五、坚定不移全面从严治党，深入推进新时代党的建设新的伟大工程"
    assert [len([c for c in s.children if c.kind == "section"]) for s in o.sections] == [0, 0, 0, 5, 4, 4, 4, 5, 4, 4, 4, 0, 0, 0, 7]
    assert o.title.startswith("高举中国特色社会主义伟大旗帜")
    assert o.nodes[-1].kind == "closing" and o.speech.body[o.nodes[-1].start:].startswith("同志们！时代呼唤着我们")
    assert "heading_split" in kinds(o)  # （二）坚持不懈用 / …凝心铸魂 in the source file


def test_government_work_report(corpus_dir):
    o = build_outline(load_speech(corpus_dir / "gwr_2022_crlf.txt"))
    assert [s.title for s in o.sections] == ["一、2021年工作回顾", "二、2022年经济社会发展总体要求和政策取向", "三、2022年政府工作任务"]
    review, _, tasks = o.sections
    assert [c.marker for c in tasks.children] == [f"（{d}）" for d in "一二三四五六七八九"]
    assert [c.marker for c in review.children if c.style == "一是"] == [f"{d}是" for d in "一二三四五六七八"]
    assert len([c for c in review.children if c.style == "——"]) == 7
    assert o.nodes[0].kind == "salutation" and o.nodes[0].heading == "各位代表："
    closing = o.nodes[-1]
    assert closing.kind == "closing" and closing.heading.startswith("面对新的形势和任务")


@pytest.mark.parametrize("name, sections, children, announced", [
    ("010_2013-06-18.txt", ["一、", "二、", "三、"], [3, 5, 5], [3]),
    ("018_2013-11-15.txt", ["一、", "二、", "三、"], [0, 16, 3], [5]),
    ("057_2015-11-15.txt", ["（一）", "（二）", "（三）", "（四）"], [0, 0, 0, 0], []),
    ("058_2015-11-16.txt", ["（一）", "（二）", "（三）"], [0, 0, 0], [3]),
])
def test_xi_speeches_with_headings(corpus_dir, name, sections, children, announced):
    o = build_outline(load_speech(corpus_dir / "xi_speeches_2013_2016" / name))
    assert [s.marker for s in o.sections] == sections
    assert all(s.level == 1 for s in o.sections)
    assert [len(s.children) for s in o.sections] == children
    assert [c.found for c in o.checks if c.check == "announced_count" and c.kind == "ok"] == announced


def test_xi_speech_with_enumerations_only(corpus_dir):
    o = build_outline(load_speech(corpus_dir / "xi_2015_county_secretaries.txt"))
    assert o.mode == "enumerations"
    assert [n.title for n in o.nodes if n.kind == "enumeration"] == [
        "一是要做政治的明白人", "二是要做发展的开路人", "三是要做群众的贴心人", "四是要做班子的带头人"]
    assert [(c.kind, c.expected, c.found) for c in o.checks if c.check == "announced_count"] == [("ok", 4, 4)]


def test_a_chapter_label_above_the_title_is_not_a_section(corpus_dir):
    # 002 starts with a book-chapter line 十二、推动构建新型大国关系 above its own title
    o = build_outline(load_speech(corpus_dir / "xi_speeches_2013_2016" / "002_2013-03-23.txt"))
    assert not o.sections and o.mode == "parts"
    assert o.title == "顺应时代前进潮流，促进世界和平发展"  # the loader's metadata skips the chapter line
    assert [n.marker for n in o.walk() if n.kind == "enumeration" and n.style == "第一"] == ["第一", "第二", "第三"]
