"""The outline engine: marker styles, enumerations, frame parts, self-checks, real speeches, CLI."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

from analysis_utils import build_outline, load_speech, speech_from_text
from analysis_utils.cli import main
from analysis_utils.outline.build import TABLE_COLUMNS, cn_number

TITLE = "在测试工作会议上的讲话"
F = "我们要坚持稳中求进，扎实做好各项工作，推动各项任务落地见效。"  # a sentence of filler prose


def make(*paras: str):
    """A composed speech: title, salutation, then the paragraphs given."""
    return speech_from_text("\n".join([TITLE, "同志们：", *paras]))


def outline_of(*paras: str):
    return build_outline(make(*paras))


def structural(o):
    """(level, marker, heading) of every section/part/enumeration node, in document order."""
    return [(n.level, n.marker, n.heading) for n in o.walk() if n.kind in ("section", "enumeration", "part")]


def kinds(o, check=None):
    return [c.kind for c in o.checks if check is None or c.check == check]


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


# ----------------------------------------------------------------------- numerals
@pytest.mark.parametrize("text, value", [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("两", 2), ("12", 12), ("１２", 12),
    ("", None), ("一二", None), ("百", None),
])
def test_cn_number(text, value):
    assert cn_number(text) == value


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


# ------------------------------------------------------------------- enumerations
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


# -------------------------------------------------------------------------- checks
SECTION_TEXT = "（一）加强理论学习。" + F


@pytest.mark.parametrize("paras, check, kind, expected, found", [
    # announced count against the sections that follow
    (["下面，我讲两点意见：", "一、总体要求", F, "二、重点任务", F], "announced_count", "ok", 2, 2),
    (["下面，我讲三点意见：", "一、总体要求", F, "二、重点任务", F], "announced_count", "count_mismatch", 3, 2),
    (["重点做好以下五个方面工作：", SECTION_TEXT, "（二）改进作风。" + F], "announced_count", "count_mismatch", 5, 2),
    # … and against inline enumerations
    (["要抓好三件事：一是加强学习；二是改进作风；三是狠抓落实。"], "announced_count", "ok", 3, 3),
    (["要抓好四件事：一是加强学习；二是改进作风；三是狠抓落实。"], "announced_count", "count_mismatch", 4, 3),
    (["明确了十个明确：第一，坚持党的领导；第二，坚持人民至上。"], "announced_count", "count_mismatch", 10, 2),
    # a count announced with nothing numbered after it
    (["下面，我讲三点意见：", F, F], "announced_count", "announced_unmatched", 3, None),
    # numbering
    (["一、总体要求", F, "三、重点任务", F], "numbering", "numbering_gap", None, 3),
    (["一、总体要求", F, "二、重点任务", F, "二、保障措施", F], "numbering", "numbering_repeat", None, 2),
    (["一、总体要求", F, "三、重点任务", F, "二、保障措施", F], "numbering", "numbering_order", None, 2),
    (["二、总体要求", F, "三、重点任务", F], "numbering", "numbering_start", 2, 2),
    (["一是加强学习。" + F + "二是改进作风。" + F + "四是狠抓落实。" + F], "numbering", "numbering_gap", None, 4),
    (["一、总体要求", F, "二、重点任务", F], "numbering", "ok", None, 2),
    # balance: far shorter / longer than the median of the siblings
    (["一、总体要求", F, "二、重点任务", F, "三、保障措施", F * 12], "balance", "too_long", None, None),
    (["一、总体要求", F * 6, "二、重点任务", F * 6, "三、保障措施", "要落实。"], "balance", "too_short", None, None),
    (["一、总体要求", F, "二、重点任务", F * 2], "balance", "ok", None, 2),
    # placeholders
    (["一、总体要求", "全年调整干部×人，走访×××家企业。", "二、重点任务", F], "placeholders", "placeholder", None, 2),
    (["一、总体要求", F, "二、重点任务", F], "placeholders", "ok", None, 0),
    # structure
    (["一、总体要求", "二、重点任务", F], "structure", "empty_section", None, 0),
    ([F, F], "structure", "no_headings", None, None),
])
def test_checks(paras, check, kind, expected, found):
    o = outline_of(*paras)
    hits = [c for c in o.checks if c.check == check and c.kind == kind]
    assert hits, [(c.check, c.kind, c.message) for c in o.checks]
    c = hits[0]
    if expected is not None:
        assert c.expected == expected
    if found is not None:
        assert c.found == found
    assert c.message and "·" in c.message  # Chinese · English


def test_a_passing_check_is_reported_and_a_failing_one_is_not_ok():
    good = outline_of("下面，我讲两点意见：", "一、总体要求", F, "二、重点任务", F)
    bad = outline_of("下面，我讲两点意见：", "一、总体要求", F, "三、重点任务", F)
    assert "ok" in kinds(good, "numbering") and "numbering_gap" not in kinds(good)
    assert "numbering_gap" in kinds(bad, "numbering") and "ok" not in kinds(bad, "numbering")


def test_placeholder_findings_say_where(seed_speech):
    o = build_outline(seed_speech)
    ph = [c for c in o.checks if c.kind == "placeholder"]
    assert sum(c.found for c in ph) == len(seed_speech.placeholders) == 33
    assert {o.node(c.node).marker for c in ph} == {"（一）", "（二）", "（三）", "（四）"}
    table = o.placeholder_table()
    assert len(table) == 33 and table["node"].str.len().gt(0).all()


def test_heading_broken_over_two_lines_is_joined():
    o = outline_of("一、总体要求", SECTION_TEXT, "（二）坚持不懈用", "新思想凝心铸魂。" + F, "（三）改进作风。" + F, "（四）狠抓落实。" + F)
    second = o.sections[0].children[1]
    assert second.heading == "坚持不懈用新思想凝心铸魂"
    assert "heading_split" in kinds(o, "structure")


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


# ---------------------------------------------------------------- table and dict
def test_table_is_tidy_and_in_document_order(seed_speech):
    o = build_outline(seed_speech)
    t = o.table()
    assert list(t.columns) == TABLE_COLUMNS
    assert len(t) == len(list(o.walk())) == 6 + 10 + 10
    assert t["start"].is_monotonic_increasing
    row = t[t["id"] == "1.1"].iloc[0]
    assert (row["level"], row["marker"], row["heading"], row["parent"], row["placeholders"]) == (2, "（一）", "党的十九大精神落实落细", "1", 2)
    assert abs(t[t["level"] == 1]["share"].sum() - 1) < 0.01


def test_to_dict_has_the_issue_keys(seed_speech):
    d = build_outline(seed_speech).to_dict()
    assert {"title", "date", "speaker", "sections", "checks"} <= set(d)
    node = next(n for n in d["sections"] if n["kind"] == "section")
    assert {"level", "marker", "heading", "start", "end", "chars", "children"} <= set(node)
    assert {"kind", "message"} <= set(d["checks"][0])


# --------------------------------------------------------------------------- CLI
def test_cli_json(seed_path):
    code, out, err = run_cli("outline", seed_path, "--format", "json")
    assert code == 0 and not err
    d = json.loads(out)
    assert d["title"] == "在党建工作会议上的讲话"
    assert [n["marker"] for n in d["sections"] if n["kind"] == "section"] == ["一、", "二、"]
    assert all(len(n["children"]) >= 5 for n in d["sections"] if n["kind"] == "section")
    assert {c["kind"] for c in d["checks"]} >= {"ok", "placeholder"}


def test_cli_text_and_markdown(seed_path):
    code, out, _ = run_cli("outline", seed_path)
    assert code == 0
    lines = out.splitlines()
    assert any(l.startswith("一、聚焦主业") and "字" in l for l in lines)
    assert any(l.startswith("  （一）党的十九大精神落实落细") for l in lines)
    assert "自检 Checks" in out and "讲两点意见" in out
    code, md, _ = run_cli("outline", seed_path, "--format", "markdown", "--depth", "2")
    assert code == 0 and md.startswith("# 在党建工作会议上的讲话") and "  - （一）党的十九大精神落实落细" in md
    assert "一是" not in md.split("## 自检")[0]  # --depth 2 hides level 3


def test_cli_missing_file_exits_2(tmp_path):
    code, out, err = run_cli("outline", tmp_path / "nope.txt")
    assert code == 2 and not out and err.count("\n") == 1 and "no such file" in err


def test_cli_subprocess_bad_input(tmp_path):
    bad = tmp_path / "image.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    r = subprocess.run([sys.executable, "-m", "analysis_utils", "outline", str(bad)], capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "PNG" in r.stderr

