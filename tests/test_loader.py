"""The loader: encodings, line endings, .docx, normalisation, removed material, metadata, placeholders."""
from __future__ import annotations

import pytest

from analysis_utils import SpeechError, load_speech, speech_from_text
from analysis_utils.reading.loader import find_placeholders


def _reassemble(speech) -> str:
    """Body lines and removed spans, put back in order: must give the normalised text."""
    pieces = [(r.start, r.text) for r in speech.removed]
    removed_ranges = [(r.start, r.end) for r in speech.removed]
    # the body's lines fill the gaps between removed spans, in order
    body_lines = iter(speech.body.split("\n")) if speech.body else iter(())
    out, pos = [], 0
    norm = speech.normalized
    for start, end in removed_ranges + [(len(norm) + 1, len(norm) + 1)]:
        gap = norm[pos:max(pos, start - 1)] if start > pos else ""
        if gap:
            for _ in gap.split("\n"):
                out.append(next(body_lines))
        if start <= len(norm):
            out.append(norm[start:end])
        pos = end + 1
    return "\n".join(out), [t for _, t in pieces]


# ------------------------------------------------------------------------ encodings
ENCODINGS = [
    ("utf-8", b"", "utf-8"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8 with BOM"),
    ("gbk", b"", "gbk"),
    ("gb18030", b"", "gbk"),  # GB18030 text that GBK covers is reported as GBK
    ("utf-16-le", b"\xff\xfe", "utf-16-le with BOM"),
    ("utf-16-be", b"\xfe\xff", "utf-16-be with BOM"),
]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("codec,bom,reported", ENCODINGS)
def test_every_encoding_and_line_ending_gives_the_same_body(tmp_path, seed_speech, codec, bom, reported, newline):
    text = seed_speech.raw.replace("\r\n", "\n").replace("\n", newline)
    f = tmp_path / f"speech_{codec}.txt"
    f.write_bytes(bom + text.encode(codec))
    s = load_speech(f)
    assert s.encoding == reported
    assert s.body == seed_speech.body
    assert s.meta.title == "在党建工作会议上的讲话"
    if newline == "\r\n":
        assert any("CRLF" in n for n in s.notes)


def test_gb18030_only_characters_are_read(tmp_path):
    text = "在会议上的讲话\n同志们：\n今天我们讨论㐀字和€符号的用法。"
    f = tmp_path / "gb18030.txt"
    f.write_bytes(text.encode("gb18030"))
    s = load_speech(f)
    assert s.encoding == "gb18030" and "㐀" in s.body


def test_truncated_utf8_keeps_the_text_and_says_so(tmp_path, seed_speech):
    data = seed_speech.raw.encode("utf-8").rstrip() + "强".encode("utf-8")[:2]
    f = tmp_path / "cut.txt"
    f.write_bytes(data)
    s = load_speech(f)
    assert s.encoding == "utf-8"
    assert s.body.endswith("提供坚强组织保证。")
    assert any("middle of a UTF-8 character" in n for n in s.notes)


def test_docx_keeps_paragraph_order_tables_and_drops_empty_paragraphs(tmp_path, seed_speech):
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    paragraphs = seed_speech.body.split("\n")
    for i, p in enumerate(paragraphs):
        doc.add_paragraph(p)
        if i == 3:
            doc.add_paragraph("")
            doc.add_paragraph("   ")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "完成情况"
    f = tmp_path / "讲话 稿.docx"
    doc.save(f)
    s = load_speech(f)
    assert s.encoding == "docx"
    assert s.body.split("\n")[: len(paragraphs)] == paragraphs
    assert s.body.split("\n")[-1] == "指标\t完成情况"
    assert s.id == "讲话_稿"


# --------------------------------------------------------------------- normalisation
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


# ------------------------------------------------------------- removed material kept
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


# ---------------------------------------------------------------------------- metadata
@pytest.mark.parametrize(
    "name,title,subtitle,date,speaker,salutation",
    [
        ("cpc20_report.txt", "高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗",
         "——在中国共产党第二十次全国代表大会上的报告", "2022-10-16", "习近平", "同志们："),
        ("gwr_2022_crlf.txt", None, None, None, None, "各位代表："),
        ("xi_2015_county_secretaries.txt", "在会见全国优秀县委书记时的讲话", None, "2015-06-30", "习近平", None),
        ("xi_speeches_2013_2016/001_2013-03-22.txt", "在俄罗斯中国旅游年开幕式上的致辞", None, "2013-03-22", "习近平",
         "尊敬的普京总统，女士们，先生们，朋友们："),
        ("xi_speeches_2013_2016/069_2016-05-17.txt", "在哲学社会科学工作座谈会上的讲话", None, "2016-05-17", "习近平", None),
    ],
)
def test_metadata_where_the_text_states_it(corpus_dir, name, title, subtitle, date, speaker, salutation):
    m = load_speech(corpus_dir / name).meta
    assert (m.title, m.subtitle, m.date, m.speaker, m.salutation) == (title, subtitle, date, speaker, salutation)


def test_seed_metadata_and_spans(seed_speech):
    m = seed_speech.meta
    assert m.title == "在党建工作会议上的讲话" and m.salutation == "同志们："
    assert m.date is None and m.speaker is None
    s, e = m.spans["title"]
    assert seed_speech.body[s:e] == m.title
    assert m.title_block_end == e


@pytest.mark.parametrize(
    "line,date,place",
    [
        ("（2017年10月18日）", "2017-10-18", None),
        ("（２０１３年３月２２日，莫斯科）", "2013-03-22", "莫斯科"),
        ("（二○一三年六月五日，墨西哥城）", "2013-06-05", "墨西哥城"),
        ("（二〇一七年十月十八日）", "2017-10-18", None),
        ("（2015年1月8日上午）", "2015-01-08", None),
    ],
)
def test_date_lines(line, date, place):
    m = speech_from_text(f"在大会上的讲话\n{line}\n同志们：\n今天开会。").meta
    assert (m.date, m.place) == (date, place)


# ------------------------------------------------------------------------ placeholders
def test_seed_placeholders_are_counted_and_located(seed_speech):
    ph = seed_speech.placeholders
    assert len(ph) == 33
    assert {p.text for p in ph} == {"×", "×××"}
    for p in ph:
        assert seed_speech.body[p.start:p.end] == p.text
        assert p.text in p.context
    table = seed_speech.placeholder_table()
    assert list(table.columns) == ["placeholder", "start", "end", "paragraph", "context"] and len(table) == 33


@pytest.mark.parametrize(
    "text,expected",
    [
        ("由XX同志负责", ["XX"]),
        ("○○县委书记", ["○○"]),
        ("×××同志和×名干部", ["×××", "×"]),
        ("张某某同志", ["某某"]),
        ("二○○八年北京奥运会", []),
        ("XXL号的衣服", []),
        ("2008年", []),
    ],
)
def test_placeholder_patterns(text, expected):
    assert [p.text for p in find_placeholders(text)] == expected


# ------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "name,content,message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", " \n\u3000\n\t\r\n".encode(), "white space"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
        ("nul.txt", b"abc\x00\x01\x02" * 50 + bytes(range(256)), "binary"),
        ("english.txt", b"This is not a Chinese speech at all.", "no Chinese text"),
        ("speech.pdf", b"%PDF-1.4", "unsupported file type"),
        ("speech.doc", b"\xd0\xcf\x11\xe0", ".doc"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a valid .docx"),
        ("notices.txt", "仅供学习 禁止外传\n会员群：免费QQ群：\n".encode(), "nothing is left"),
    ],
)
def test_bad_input_raises_one_line_error_naming_the_file(tmp_path, name, content, message):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(SpeechError) as e:
        load_speech(f)
    assert message in str(e.value) and str(f) in str(e.value) and "\n" not in str(e.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SpeechError, match="no such file"):
        load_speech(tmp_path / "nope.txt")
    with pytest.raises(SpeechError, match="is a folder"):
        load_speech(tmp_path)
