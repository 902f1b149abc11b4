"""outline/build.py: frame parts, parts divided by addresses, odd text, real speeches."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from analysis_utils import build_outline, load_speech, speech_from_text
from analysis_utils.outline import TABLE_COLUMNS
from analysis_utils.text import cn_numeral, count_han

from .helpers import TITLE, F, kinds, outline_in, outline_of, outline_work


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
    # issue 14: the unnumbered text after 三、 (government self-building, ethnic affairs, defence, Hong Kong and
    # Macao, Taiwan, diplomacy) is a part of its own; the closing is the final 各位代表！ paragraph
    part, closing = o.nodes[-2:]
    assert part.kind == "part" and part.heading.startswith("面对新的形势和任务") and part.title.startswith("（未编号部分）")
    assert closing.kind == "closing" and closing.heading.startswith("中国的发展从来都是在应对挑战中前进的")
    body = o.speech.body
    assert body[part.start:].startswith("各位代表！\n面对新的形势和任务") and body[closing.start:].startswith("各位代表！\n中国的发展")
    assert body.count("各位代表！", part.start, closing.start) == 5 and body.count("各位代表！", closing.start) == 1
    for word in ("国防", "香港", "台湾", "外交"):
        assert body.count(word, part.start, part.end) and not body.count(word, closing.start)


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


# ------------------------------------------------------------------ big texts: linear work
def _part(i: int) -> str:
    return (f"{cn_numeral(i % 20 + 1)}、第{i}部分的要求\n（一）加强学习。{F}一是学习；二是落实；三是总结。\n"
            f"（二）改进作风。{F}\n1.具体要求。{F}\n")


#: kind → the text of k units (title and salutation first). Each makes one of the loops that
#: used to run over the rest of the text, or over every heading, item or node, run many times.
BIG_TEXTS = {
    # one long line: a slice to the end of the paragraph, and the quotation marks before
    # every marker counted from the paragraph's start, per heading or item candidate
    "one line": lambda seed, k: seed.replace("\n", "") * k,
    # … and without full stops: every inline heading's sentence ran to the end of the text
    "one line without full stops": lambda seed, k: "今天开会。" + "".join(
        f"（{cn_numeral(i % 9 + 1)}）加强学习，提高本领；" for i in range(60 * k)),
    # the end of each heading and its container found by a scan over every heading; the
    # median of the other siblings made again for each of them
    "numbered headings": lambda seed, k: "\n".join([TITLE, "同志们：", *(_part(i) for i in range(8 * k))]),
    # without headings: every paragraph checked against every lead item and every placed item
    "paragraph-initial lists": lambda seed, k: "\n".join([TITLE, "同志们：", "今天开会。", *(
        f"第{cn_numeral(j)}，抓好第{i}件事。{F}\n{F}" for i in range(10 * k) for j in (1, 2, 3))]),
    # the node of each placeholder found by a walk over every node
    "placeholders": lambda seed, k: "\n".join([TITLE, "同志们：", *(f"请×××同志发言。{F}" for _ in range(40 * k))]),
    # each announced count: a slice of the text up to the next numbered item (at the end)
    "announced counts": lambda seed, k: "\n".join([TITLE, "同志们：", *(f"我讲三点意见。{F}" for _ in range(40 * k)),
                                                    "一是学习；二是落实；三是总结。"]),
}


@pytest.mark.parametrize("kind", sorted(BIG_TEXTS))
def test_twice_the_text_is_twice_the_work(kind, seed_speech, tmp_path):
    """Counted without a clock (lines run, characters copied): linear code does about twice the
    work on twice the text; the quadratic loops this replaced did about four times as much."""
    work = []
    for k in (4, 8):
        path = tmp_path / f"{k}.txt"
        path.write_text(BIG_TEXTS[kind](seed_speech.body, k), encoding="utf-8")
        work.append(outline_work(path))
    assert work[1] / work[0] < 2.5, work


@pytest.mark.slow
@pytest.mark.parametrize("flat", [True, False], ids=["one line", "paragraphs"])
def test_a_big_text_gets_the_outline_its_definitions_say(corpus_dir, tmp_path, flat):
    """2 MB of corpus speeches: every node's sizes are what the fields say (counted here the
    slow, plain way), and the top level covers every Chinese character of the speech."""
    bodies = [load_speech(p).body for p in sorted(corpus_dir.rglob("*.txt"))]
    parts, size, k = [], 0, 0
    while size < 2e6:
        part = bodies[k % len(bodies)]
        parts.append(part.replace("\n", "") if flat else part + "\n")
        size += len(parts[-1].encode())
        k += 1
    o = outline_in(tmp_path / "big.txt", "".join(parts))
    body, nodes = o.speech.body, list(o.walk())
    assert o.mode == ("inline" if flat else "headings") and len(nodes) > 500
    for n in nodes:
        assert n.chars == count_han(body[n.start:n.end]), n.id
        assert n.placeholders == [p for p in o.speech.placeholders if n.start <= p.start < n.end], n.id
    for n in o.nodes:
        assert n.sentences == sum(n.start <= a < n.end for a, _ in o.speech.sentence_spans), n.id
    assert sum(n.chars for n in o.nodes) == o.speech.han_chars


@pytest.mark.slow  # writes 50 MB and outlines it in a child process (about half a minute)
def test_the_outline_of_a_50_mb_line_is_printed(corpus_dir, tmp_path):
    """The README's promise, by the command a user types: 50 MB of speeches on one line (the
    worst case: every heading and item is inside one paragraph) gets its outline, exit 0."""
    bodies = [load_speech(p).body.replace("\n", "") for p in sorted(corpus_dir.rglob("*.txt"))]
    big = tmp_path / "archive.txt"
    with big.open("w", encoding="utf-8") as f:
        k = 0
        while f.tell() < 50_000_000:
            f.write(bodies[k % len(bodies)])
            k += 1
    r = subprocess.run([sys.executable, "-m", "analysis_utils", "outline", str(big), "--format", "json"],
                       capture_output=True, text=True, timeout=1800)  # only against a hang: it takes seconds
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    # one line; the loader splits such a text only where it finds an inline caption, agency lead or a
    # run of U+3000 (texts without paragraph breaks), so it stays a few huge paragraphs: the worst case
    assert d["mode"] == "inline" and d["paragraphs"] < 100
    assert sum(n["chars"] for n in d["sections"]) == d["han_chars"] > 14_000_000


# ------------------------------------------------ issue 14: the end of a Government Work Report
def _gwr_records(corpus_dir, *, held_out: bool):
    """The Government Work Reports of the Wikisource JSONL (records i % 5 == 4 are held out of tuning)."""
    from analysis_utils.scale import Corpus

    corpus = Corpus(corpus_dir / "wikisource" / "government_work_reports.jsonl")
    return [(i, corpus.load(i)) for i in range(len(corpus)) if (i % 5 == 4) == held_out]


def _expected_closing(s, after):
    """What a reader takes for the closing: the paragraph 结束语, else the last 各位代表！ (or ：) after ``after``."""
    paras = [(a, e) for a, e in s.paragraph_spans if a > after]
    heads = [a for a, e in paras if s.body[a:e] in ("结束语", "结束语：")]
    addresses = [a for a, e in paras if re.match(r"各位代表[！!：:]", s.body[a:e])]
    return (heads or addresses[-1:] or [None])[0], (addresses or [None])[0]


@pytest.mark.slow
def test_government_work_reports_close_with_their_final_address(corpus_dir):
    right, with_part = [], 0
    reports = [(i, s) for i, s in _gwr_records(corpus_dir, held_out=False)]
    for i, s in reports:
        o = build_outline(s)
        if not o.sections:
            continue
        closing_at, first_address = _expected_closing(s, max(n.heading_end for n in o.walk() if n.kind == "section"))
        parts = [n for n in o.nodes if n.kind == "part"]
        closing = o.nodes[-1]
        if closing_at is None or closing.kind != "closing" or closing.start != closing_at:
            continue
        if first_address is not None and first_address < closing_at:
            part, = parts  # the unnumbered text before the closing is one part, right after the last section
            assert o.nodes[-2] is part and part.start == first_address and part.title.startswith("（未编号部分）"), i
            assert not count_han(s.body[o.sections[-1].end:part.start]), i
            with_part += 1
        else:
            assert not parts, i
        assert "结束语" not in closing.heading and not closing.heading.startswith("各位代表"), i
        right.append(i)
    # 34 have numbered sections; 1957 (its addresses are 各位代表， in running text) and 1958 (no address
    # after its last section) have no closing address to find. (Before: the closing was the first address, no parts.)
    assert len(right) == 32 and with_part == 17, sorted(set(i for i, _ in reports) - set(right))


def test_closing_headed_by_jieshuyu_and_the_unnumbered_part_on_disk(corpus_dir, tmp_path):
    """An older report's layout, made from the 2022 report: 结束语 heads the closing; the text from
    the first 各位代表！ after the last section up to it is the unnumbered part."""
    text = (corpus_dir / "gwr_2022_crlf.txt").read_text(encoding="utf-8")
    last = text.rindex("各位代表！")
    o = outline_in(tmp_path / "gwr_jieshuyu.txt", text[:last] + "结束语\r\n" + text[last:])
    part, closing = o.nodes[-2:]
    body = o.speech.body
    assert body[closing.start:].startswith("结束语\n各位代表！\n中国的发展") and closing.heading.startswith("中国的发展从来")
    assert part.kind == "part" and body[part.start:part.end].count("各位代表！") == 5 and "结束语" not in body[part.start:part.end]
    from analysis_utils import sections

    secs = sections(o.speech, outline=o).table
    assert secs["label"].tolist()[-2:] == [part.title, "结尾 closing"] and secs["start"].tolist()[-1] == part.end
