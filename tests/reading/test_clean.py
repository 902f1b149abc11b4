"""Normalisation, and the material that is not the speech: removed, and kept with its reason."""
from __future__ import annotations

import re

import pytest

from analysis_utils import load_speech, speech_from_text
from analysis_utils.reading import classify_lines, split_non_speech
from analysis_utils.text import HAN_RE


def test_normalisation_removes_invisible_characters_and_indents_but_keeps_punctuation():
    raw = "在会上的讲话\r\n\u3000\u3000同志们：\r\n\u3000\u3000今天\u200b我们\u00a0开会，讨论“三会一课”。\r\n\r\n\r\n  第二段（二）；完。"
    s = speech_from_text(raw)
    assert s.body == "在会上的讲话\n同志们：\n今天我们 开会，讨论“三会一课”。\n第二段（二）；完。"
    assert s.body.count("，") == raw.count("，") and "“" in s.body and "（二）" in s.body
    notes = " ".join(s.notes)
    assert "zero-width" in notes and "non-breaking" in notes and "indent" in notes


def test_pasted_html_is_cleaned():
    s = speech_from_text("<p>在会上的讲话</p><p>同志们：&nbsp;今天开会&amp;学习。</p>")
    assert s.body == "在会上的讲话\n同志们： 今天开会&学习。"
    assert any("HTML" in n for n in s.notes)


def test_seed_advertising_is_removed_and_kept(seed_speech):
    s = seed_speech
    assert s.body.startswith("在党建工作会议上的讲话\n同志们：")
    for advert in ("仅供学习", "会员", "订阅", "QQ群", "酷乐文行"):
        assert advert not in s.body
    assert len(s.removed) == 1
    r = s.removed[0]
    assert r.start == 0 and "仅供学习 禁止外传" in r.text and "免费QQ群" in r.text
    assert "advertising" in r.reason
    assert s.normalized[r.start:r.end] == r.text


@pytest.mark.parametrize(
    "name,gone,reason_word",
    [
        ("xi_2015_county_secretaries.txt", "发表时间：2015-08-31", "news page header"),
        ("xi_speeches_2013_2016/069_2016-05-17.txt", "《 人民日报 》（ 2016年05月19日 02 版）", "newspaper source"),
        ("xi_speeches_2013_2016/069_2016-05-17.txt", "（新华社北京5月18日电）", "agency credit"),
        ("xi_speeches_2013_2016/050_2015-09-22.txt", "新华社美国西雅图9月22日电", "agency lead"),
        ("xi_speeches_2013_2016/001_2013-03-22.txt", "2013-03-22_在俄罗斯", "collection label"),
        ("xi_speeches_2013_2016/032_2014-10-08.txt", "新华社记者 李涛 摄", "caption"),
    ],
)
def test_news_headers_and_footers_are_removed_with_their_reason(corpus_dir, name, gone, reason_word):
    s = load_speech(corpus_dir / name)
    assert gone not in s.body
    hits = [r for r in s.removed if gone in r.text]
    assert hits and reason_word in hits[0].reason


def test_all_corpus_speeches_account_for_every_character(corpus_dir, seed_path):
    files = [seed_path, *sorted(corpus_dir.glob("*.txt")), *sorted((corpus_dir / "xi_speeches_2013_2016").glob("*.txt"))]
    assert len(files) >= 86
    for f in files:
        s = load_speech(f)
        assert s.body and s.han_chars > 200, f
        kept = s.normalized.split("\n")
        removed_lines = sum(r.text.count("\n") + 1 for r in s.removed)
        assert len(kept) == len(s.body.split("\n")) + removed_lines, f
        for r in s.removed:
            assert s.normalized[r.start:r.end] == r.text and 0 <= r.body_pos <= len(s.body), f
        # nothing but whole lines was taken out, in order
        body_iter = iter(s.body.split("\n"))
        removed_text = {r.start: r for r in s.removed}
        pos = 0
        while pos < len(s.normalized):
            if pos in removed_text:
                pos = removed_text[pos].end + 1
                continue
            line_end = s.normalized.find("\n", pos)
            line_end = len(s.normalized) if line_end < 0 else line_end
            assert s.normalized[pos:line_end] == next(body_iter), f
            pos = line_end + 1


def test_a_speech_paragraph_mentioning_a_source_is_not_removed():
    para = "来源于人民、植根于人民、服务于人民，这是我们党立于不败之地的根本。我们要始终坚持以人民为中心的发展思想，下载好每一份群众来信。"
    s = speech_from_text("在会上的讲话\n同志们：\n" + para)
    assert para in s.body and not s.removed


def test_a_news_headline_above_the_publication_line_goes_when_the_title_follows():
    lines = ["习近平在大会上发表重要讲话", "2013年03月30日08:22 来源：人民网", "在大会上的讲话", "同志们：", "今天开会。"]
    assert classify_lines(lines)[:3] == [
        "news page headline (the speech's own title follows)", "news page header (publication time, source)", None]


def test_runs_of_lines_with_one_reason_are_one_span_and_its_body_position_is_kept():
    body, removed = split_non_speech("来源：新华网\n来源：人民网\n在会上的讲话\n今天开会。\n（责任编辑：王某）")
    assert body == "在会上的讲话\n今天开会。"
    assert [(r.start, r.end, r.reason, r.body_pos) for r in removed] == [
        (0, 13, "news page header (source)", 0), (27, 36, "editor credit", len(body))]
    assert [r.text for r in removed] == ["来源：新华网\n来源：人民网", "（责任编辑：王某）"]


# ----------------------------------------------------------------- issue 13: inline tags, control characters
def test_inline_html_tags_go_without_splitting_words_or_sentences(tmp_path):
    f = tmp_path / "pasted.txt"
    f.write_text("<p>在会上的<b>讲话</b></p><div>同志们：今天<span style='x'>开会</span>，学习<a href='u'>党章</a>，"
                 "<strong>坚持</strong><em>党的</em><font color=red>领导</font>，<i>加强</i><u>组织</u>建设。<br>完。</div>",
                 encoding="utf-8")
    s = load_speech(f)
    assert s.body == "在会上的讲话\n同志们：今天开会，学习党章，坚持党的领导，加强组织建设。\n完。"
    assert s.meta.title == "在会上的讲话" and s.meta.speaker is None
    assert "pasted HTML cleaned: 21 tag(s) removed, 0 entity(ies) decoded" in s.notes


@pytest.mark.parametrize("block", ["p", "div", "li", "h1", "h6", "tr"])
def test_block_tags_still_end_a_line(block):
    assert speech_from_text(f"<{block}>在会上的讲话</{block}><{block}>同志们：</{block}>").body == "在会上的讲话\n同志们："


def test_control_characters_and_terminal_escapes_are_removed_and_counted(tmp_path):
    f = tmp_path / "escapes.txt"
    f.write_bytes("\x1b]0;标题被改\x07\x1b[31m在会上的讲话\x1b[0m\x08\n同志们：\x7f\x9b\n今天\x01开会。\x1bc".encode())
    s = load_speech(f)
    assert s.body == "在会上的讲话\n同志们：\n今天开会。" and s.meta.title == "在会上的讲话"
    assert "control characters removed: 4 terminal escape sequence(s), 4 other control character(s)" in s.notes
    assert all(c == "\n" or c.isprintable() for c in s.normalized + s.body + "".join(s.meta.__dict__[k] or "" for k in ("title", "salutation")))


# ----------------------------------------------------------------- issue 14: texts as people have them
def wikisource_records(corpus_dir):
    """Every record of the Wikisource JSONL files, read in place: (name, record)."""
    import json

    out = []
    for name in ("government_work_reports.jsonl", "cpc_congress_reports.jsonl"):
        with open(corpus_dir / "wikisource" / name, encoding="utf-8") as f:
            out += [(f"{name.split('_')[0]}_{i}", json.loads(line)) for i, line in enumerate(f)]
    return out


def assert_body_and_removed_make_the_normalised_text(s, label):
    """Whole lines only, in order: the body's lines and the removed spans rebuild ``s.normalized``."""
    kept = s.normalized.split("\n")
    assert len(kept) == len(s.body.split("\n")) + sum(r.text.count("\n") + 1 for r in s.removed), label
    starts = {r.start: r for r in s.removed}
    body_iter = iter(s.body.split("\n"))
    pos = 0
    while pos < len(s.normalized):
        if pos in starts:
            assert s.normalized[pos:starts[pos].end] == starts[pos].text, label
            pos = starts[pos].end + 1
            continue
        end = s.normalized.find("\n", pos)
        end = len(s.normalized) if end < 0 else end
        assert s.normalized[pos:end] == next(body_iter), label
        pos = end + 1
    assert next(body_iter, None) is None, label


LIBRARY_FOOTER_WORDS = ("本作品", "这部作品", "這部作品", "↑", "Public domain", "公有领域", "公有領域", "维基文库", "維基文庫",
                        "著作权法", "著作權法", "版权失效模板")


@pytest.mark.slow
def test_every_wikisource_record_loses_its_licence_block_and_footnotes_into_removed(corpus_dir):
    records = wikisource_records(corpus_dir)
    assert len(records) == 58
    for label, rec in records:
        s = speech_from_text(rec["content"], path=f"{label}.txt")
        left = [w for w in LIBRARY_FOOTER_WORDS if w in s.body]
        assert not left, (label, left)
        assert not any(line in ("false", "true") for line in s.body.split("\n")), label
        footers = [r for r in s.removed if "licence block" in r.reason]
        if any(w in rec["content"] for w in ("Public domain", "↑")):
            assert len(footers) == 1 and footers[0].body_pos == len(s.body), label
        assert_body_and_removed_make_the_normalised_text(s, label)


def test_a_licence_block_is_found_wherever_it_starts_never_by_a_count_of_lines():
    speech = "各位代表：\n" + "\n".join(f"第{i}段讲话内容，我们要坚持发展。" for i in range(30))
    for footer in ("本作品是中华人民共和国的\n法律\n属于\n公有领域\n。\nPublic domain\nfalse\nfalse",
                   "这部作品在1931年1月1日以前发表，在\n美國\n屬於\n公有領域\n。",
                   "↑\n为代表大会之误，下同。\n↑\n原文无货币单位。",
                   "本作品来自中国共产党文件。\n" + "\n".join(f"模板说明第{i}行。" for i in range(40)) + "\n属于公有领域。"):
        s = speech_from_text(speech + "\n" + footer)
        assert s.body == speech, footer
        assert _squash(s.removed[-1].text) == _squash(footer) and "licence block" in s.removed[-1].reason
    # a speech that talks about works and copyright keeps its words
    para = "本作品集收录了讲话，我们要保护版权，依法治国。"
    assert para in speech_from_text(speech + "\n" + para).body


def _squash(text):
    return re.sub(r"[\s\u200b\u200c\u200d\u2060\ufeff]", "", text)


@pytest.mark.slow
def test_wiki_line_breaks_inside_words_are_rejoined_on_every_record(corpus_dir):
    joined = 0
    for label, rec in wikisource_records(corpus_dir):
        s = speech_from_text(rec["content"], path=f"{label}.txt")
        lines = s.body.split("\n")
        assert not [x for x in lines if len(x) == 1 and HAN_RE.match(x) and x not in "一二三四五六七八九十"], label  # no character alone
        for word in ("人民", "发展", "政府工作报告", "改革", "社会主义"):
            in_removed = sum(_squash(r.text).count(word) for r in s.removed)
            assert s.body.count(word) + in_removed == _squash(rec["content"]).count(word), (label, word)
        joined += sum(int(n.split()[0]) for n in s.notes if "rejoined" in n)
    assert joined > 1000


@pytest.mark.parametrize("raw,body", [
    ("政府工作报\n告\n各位代表：", "政府工作报告\n各位代表："),
    ("各位代表：\n交出一份人\n\u200b\n民满意的答卷。", "各位代表：\n交出一份人民满意的答卷。"),
    ("各位代表：\n我们要为打\n\u200b\n造品牌而奋斗。", "各位代表：\n我们要为打造品牌而奋斗。"),
    ("同志们！\n这个革命风暴，摧毁了以叛徒、内奸、工贼\n刘少奇\n为首的司令部。", "同志们！\n这个革命风暴，摧毁了以叛徒、内奸、工贼刘少奇为首的司令部。"),
    ("同志们：\n制定了《\n国民经济计划纲要（草案）\n》。现在报告。", "同志们：\n制定了《国民经济计划纲要（草案）》。现在报告。"),
    ("同志们：\n伟大的斗争。\n”毛主席这个展望照耀着道路。", "同志们：\n伟大的斗争。”毛主席这个展望照耀着道路。"),
    ("同志们：\n整顿的关键是三条。一条是\n建立好班子，\n一条是\n健全制度。", "同志们：\n整顿的关键是三条。一条是建立好班子，一条是健全制度。"),
])
def test_a_line_broken_inside_a_word_or_sentence_is_rejoined_and_noted(raw, body):
    s = speech_from_text(raw)
    assert s.body == body
    assert any("rejoined (wiki links, wrapped lines)" in n for n in s.notes)


@pytest.mark.parametrize("raw", [
    "在会议上的讲话\n李鹏\n同志们：\n今天开会。",
    "尊敬的苏西洛总统，\n各位同事：\n很高兴。",
    "一、工作回顾\n过去一年，我们取得了成绩\n\n为悼念逝世的同志，\n\n为悼念牺牲的烈士，",
    "2013-10-07_发挥亚太引领作用，维护和发展开放型世界经济\n发挥亚太引领作用 维护和发展开放型世界经济",
    "政府工作报告\n——2021年3月5日在第十三届全国人民代表大会第四次会议上\n国务院总理\n\u3000李克强",
])
def test_real_paragraph_breaks_are_kept(raw):
    s = speech_from_text(raw)
    assert len(s.body.split("\n")) + sum(r.text.count("\n") + 1 for r in s.removed) == len(s.normalized.split("\n"))
    assert s.normalized.split("\n") == [x.strip(" \u3000") for x in raw.split("\n") if x.strip()]
    assert not any("rejoined" in n for n in s.notes)


def test_corpus_speeches_keep_their_paragraphs(corpus_dir, seed_path):
    expected = {"cpc20_report.txt": 168, "gwr_2022_crlf.txt": 96, "xi_2015_county_secretaries.txt": 13}
    assert len(load_speech(seed_path).paragraph_spans) == 19
    for name, n in expected.items():
        assert len(load_speech(corpus_dir / name).paragraph_spans) == n, name
    xi = [load_speech(f) for f in sorted((corpus_dir / "xi_speeches_2013_2016").glob("*.txt"))]
    assert sum(len(s.paragraph_spans) for s in xi) == 2898
    assert not [s.id for s in xi if any("rejoined" in n or "without paragraph breaks" in n for n in s.notes)]


@pytest.mark.parametrize("lost", ["?", "\ufffd"])
def test_blank_lines_an_encoding_conversion_turned_into_question_marks_are_dropped(corpus_dir, tmp_path, lost):
    original = load_speech(corpus_dir / "cpc20_report.txt")
    lines = (corpus_dir / "cpc20_report.txt").read_text(encoding="utf-8").splitlines()
    title = f"{lines[1]} {lost} {lines[5]}"  # the two title lines on one, with the space between them lost
    converted = "\r\n".join([title] + [x if x.strip() else lost for x in lines[6:]])
    f = tmp_path / "converted.txt"
    if lost == "?":
        f.write_bytes(converted.encode("gbk"))
    else:
        f.write_text(converted, encoding="utf-8")
    s = load_speech(f)
    assert s.meta.title == original.meta.title == "高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗"
    assert (s.meta.subtitle, s.meta.date, s.meta.speaker) == (original.meta.subtitle, original.meta.date, original.meta.speaker)
    assert s.body.split("\n")[1:] == original.body.split("\n")[2:]  # all but the title, now on one line
    assert not [p for p in s.body.split("\n") if lost in p]
    assert not [a for a, b in s.sentence_spans if lost in s.body[a:b]]
    n_lost = sum(1 for x in converted.split("\r\n") if x == lost)
    assert f"{n_lost} line(s) of only '?' dropped and 1 '?' between words made a space (characters lost in an encoding conversion)" in s.notes


def test_a_question_mark_in_a_sentence_is_kept():
    s = speech_from_text("在会上的讲话\n同志们：\n怎么办?我们要干。")
    assert s.body.endswith("怎么办?我们要干。") and not any("encoding conversion" in n for n in s.notes)


# ----------------------------------------------------------------- issue 14: texts without paragraph breaks
def _flat_versions(original, caption, lead):
    """A speech as a news page or a CSV cell has it: every paragraph run together (by nothing, or by
    runs of U+3000), a photo caption inside the text and an agency lead before it."""
    paras = original.body.split("\n")
    mid = len(paras) // 2
    with_caption = [*paras[:mid], caption, *paras[mid:]]
    return {"nothing": lead + " " + "".join(with_caption), "u3000": lead + "\u3000\u3000" + "\u3000\u3000".join(with_caption)}


def _corpus_caption_and_lead(corpus_dir):
    s = load_speech(corpus_dir / "xi_speeches_2013_2016" / "032_2014-10-08.txt")
    caption = next(r.text for r in s.removed if "caption" in r.reason)
    lead = next(r.text for r in load_speech(corpus_dir / "xi_speeches_2013_2016" / "050_2015-09-22.txt").removed
                if "agency lead" in r.reason)
    return caption, lead


COUNTED = ("习近平", "人民", "发展", "中国", "合作", "我们", "世界")


@pytest.mark.slow
def test_flattened_speeches_give_the_same_metadata_and_counts(corpus_dir, tmp_path):
    caption, lead = _corpus_caption_and_lead(corpus_dir)
    assert caption.endswith("摄") and "电" in lead
    tried = 0
    for f in sorted((corpus_dir / "xi_speeches_2013_2016").glob("*.txt")):
        original = load_speech(f)
        m = original.meta
        if not (m.title and "date" in m.spans and m.speaker and m.salutation) or m.spans["date"][0] > m.spans["title"][1] + 1:
            continue
        if not m.title.endswith(("讲话", "致辞", "演讲", "报告", "贺词", "发言", "献词")):
            continue  # a title that does not end like one cannot be told from the text once run together
        tried += 1
        for how, text in _flat_versions(original, caption, lead).items():
            flat = tmp_path / f"{how}_{f.name}"
            flat.write_text(text, encoding="utf-8")
            s = load_speech(flat)
            label = (f.name, how)
            title = m.title if how == "u3000" else m.title.replace(" ", "")  # a title on two lines runs together
            assert (s.meta.title, s.meta.date, s.meta.speaker) == (title, m.date, m.speaker), label
            assert s.meta.salutation.startswith(m.salutation), label  # run together, a long salutation is read whole
            assert caption not in s.body and lead not in s.body, label
            assert any(r.text == caption for r in s.removed) and any(r.text == lead for r in s.removed), label
            for word in COUNTED:
                assert s.body.count(word) == original.body.count(word), (label, word)
            if how == "u3000":
                # every paragraph back; an agency credit the original kept at a paragraph's end now goes too
                credit = re.compile(r"[（(]新华社[^）)]{0,20}电[）)]$")
                assert s.body.split("\n") == [x for x in (credit.sub("", p) for p in original.body.split("\n")) if x], label
            assert_body_and_removed_make_the_normalised_text(s, label)
    assert tried >= 20


@pytest.mark.slow
def test_flattened_wikisource_records_give_the_same_metadata_and_counts(corpus_dir):
    caption, lead = _corpus_caption_and_lead(corpus_dir)
    for label, rec in wikisource_records(corpus_dir):
        original = speech_from_text(rec["content"], path=f"{label}.txt")
        if len(original.body) < 1000:
            continue  # the 76-character disambiguation stub
        m = original.meta
        for how, text in _flat_versions(original, caption, lead).items():
            s = speech_from_text(text, path=f"{label}_{how}.txt")
            if m.title and m.title.endswith("报告"):
                assert (s.meta.title.replace(" ", ""), s.meta.date, s.meta.speaker) == (m.title.replace(" ", ""), m.date, m.speaker), (label, how)
            assert [r.text for r in s.removed] == [lead, caption], (label, how)
            for word in ("人民", "发展", "改革", "社会主义", "我们"):
                assert s.body.count(word) == original.body.count(word), (label, how, word)
            if how == "u3000":
                assert s.body == original.body, label


# ------------------------------------------------------------------ the faster loader (issue 20): the same speeches
#: Pieces that reach every pattern the loader now runs only where a part of its match stands: captions,
#: agency leads, title blocks, U+3000 runs, '?' lines, placeholders, licence blocks, notices, HTML.
_PIECES = [
    "新华社记者 李涛 摄", "10月15日，习近平发表重要讲话。 新华社记者 李涛 摄", "图为会场。记者 王某、李某 /摄", "摄影 张三 摄",
    "新华社北京3月5日电", "（新华社北京3月5日电）", "新华社北京3月5日电（记者王某）", "中新社北京１０月１６日电 讲话全文如下：",
    "一、总体要求", "第一，要学习。", "一是", "（一）", "二、", "第二部分", "三是",
    "在会上的讲话（2014年10月15日）", "在全国人民代表大会上的报告 （2022年10月16日）", "习近平", "同志们：", "各位代表：",
    "政府工作报告——2021年3月5日在第十三届全国人民代表大会第四次会议上", "国务院总理\u3000李克强", "国务院总理",
    "\u3000\u3000", "\u3000", "?", " ? ", "\ufffd", "×××", "×", "XX", "xx", "XXL", "ＸＸ", "○○", "二○○八年", "□□", "**",
    "某某", "某某某", "本作品是中华人民共和国的法律", "这部作品在1929年以前出版", "属于公有领域。", "Public domain",
    "PUBLIC DOMAIN", "false", "↑", "↑ 参见", "来源：新华网", "发表时间：2015-01-01 来源：求是", "2015年01月01日 10:00 来源：人民网",
    "图：会议现场", "视频：讲话", "（完）", "责任编辑：王某", "版权所有", "扫码关注", "<p>", "&nbsp;", "\u200b", "政府工作报\n告",
]
_SEPARATORS = ["\n", "", "\u3000\u3000", "\r\n", "\n\n\n", " ", "。", "\n\u200b\n"]


def _corpus_texts(corpus_dir, seed_path) -> list[list[str]]:
    """The lines of the seed, of every corpus .txt file and of every Wikisource record."""
    import json

    texts = [p.read_text(encoding="utf-8-sig") for p in [seed_path, *sorted(corpus_dir.rglob("*.txt"))]]
    for table in sorted((corpus_dir / "wikisource").glob("*.jsonl")):
        texts += [json.loads(line)["content"] for line in table.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [t.splitlines() for t in texts]


@pytest.mark.slow
def test_real_text_mixed_with_what_the_cleaning_looks_for_loads_as_with_the_base_commits_loader(corpus_dir, seed_path,
                                                                                              tmp_path):
    """Files of real speech lines (from anywhere in the corpus, some run into one line) mixed with
    captions, leads, title blocks, placeholders, licence blocks …, in four encodings: every field of
    the loaded speech, or the message of the refusal, is what the loader before issue 20 gave."""
    import itertools

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from tests.reading.base_loader import assert_same, base_reading, outcome

    old = base_reading()
    corpus = _corpus_texts(corpus_dir, seed_path)
    names = itertools.count()

    @st.composite
    def piece(draw) -> str:
        if draw(st.booleans()):
            return draw(st.sampled_from(_PIECES))
        lines = draw(st.sampled_from(corpus))
        start = draw(st.integers(0, max(0, len(lines) - 1)))
        run = lines[start: start + draw(st.integers(1, 25))]
        return draw(st.sampled_from(["\n", "", "\u3000\u3000"])).join(run)  # as it was, or run together

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(pieces=st.lists(st.tuples(st.sampled_from(_SEPARATORS), piece()), min_size=1, max_size=10),
           encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]))
    def check(pieces, encoding):
        text = "".join(sep + p for sep, p in pieces)
        f = tmp_path / f"mix{next(names)}.txt"
        f.write_bytes(text.encode(encoding, errors="replace"))
        assert_same(outcome(old.load_speech, f), outcome(load_speech, f), f"{f.name} ({encoding}): {text[:80]!r}")

    check()


# The patterns the loader runs only where a part of their match stands give what running them everywhere
# gives (the references below are the loader's code before issue 20); quick, on mixes of the pieces above.


def _mixes():
    from hypothesis import strategies as st

    return st.lists(st.tuples(st.sampled_from(_SEPARATORS + ["，", "第"]), st.sampled_from(_PIECES + ["今天开会。" * 12, "要学习"])),
                    max_size=12).map(lambda ps: "".join(s + p for s, p in ps))


def test_captions_leads_and_title_blocks_are_found_where_they_were():
    from hypothesis import given, settings

    from analysis_utils.reading import clean

    @settings(max_examples=300, deadline=None)
    @given(text=_mixes())
    def check(text):
        for rx in (clean._INLINE_CAPTION, clean._INLINE_LEAD, *clean._GLUED):
            assert clean._split_out(rx, text) == rx.subn(lambda m: "\n" + m.group(1) + "\n", text)
        old = clean._INLINE_GWR_BLOCK.match(text) or clean._INLINE_TITLE_BLOCK.search(text[:200])
        new = clean._title_block_in(text)
        assert (new and (new.re, new.span(), new.groupdict())) == (old and (old.re, old.span(), old.groupdict()))
        lines = text.split("\n")
        assert [clean._line_reason(line) for line in lines] == [_line_reason_before(line) for line in lines]
        assert clean.library_footer_start(lines) == _library_footer_start_before(lines)

    check()


def _line_reason_before(line):
    from analysis_utils.reading import clean

    prose = len(line) >= 30 and line.endswith(("。", "！", "？")) and "，" in line
    for rx, why in clean._LINE_RULES:
        if prose and why in clean._NOTICE_REASONS:
            continue
        if len(line) <= (clean._LONG_CAPTION if why == clean._CAPTION else clean._SHORT) and rx.search(line):
            return why
    return None


def _library_footer_start_before(lines):
    from analysis_utils.reading import clean

    evidence = [i for i, line in enumerate(lines) if clean._LICENCE_EVIDENCE.search(line)]
    last_evidence = evidence[-1] if evidence else -1
    for i, line in enumerate(lines):
        if clean._LICENCE_START.match(line) and i <= last_evidence:
            return i
        if i >= len(lines) // 2 and clean._FOOTNOTE.match(line):
            return i
    return len(lines)


def test_line_breaks_are_unified_where_the_pattern_finds_one():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from analysis_utils.reading import clean

    @settings(max_examples=200, deadline=None)
    @given(text=st.lists(st.sampled_from(["讲话", "\n", "\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85", " "]),
                         max_size=12).map("".join))
    def check(text):
        n_crlf = text.count("\r\n")
        before = (clean._LINE_BREAKS.sub("\n", text), [f"line endings normalised to LF ({n_crlf} CRLF)" if n_crlf
                                                      else "line endings normalised to LF"]) if clean._LINE_BREAKS.search(text) else (text, [])
        assert clean._unify_line_breaks(text) == before

    check()
