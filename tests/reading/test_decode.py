"""Decoding: every encoding and line ending, byte-order marks, damaged UTF-8, .docx."""
from __future__ import annotations

from pathlib import Path

import pytest

from analysis_utils import SpeechError, load_speech
from analysis_utils.reading import decode_bytes

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
    data = seed_speech.raw.encode("utf-8").rstrip() + "强".encode()[:2]
    f = tmp_path / "cut.txt"
    f.write_bytes(data)
    s = load_speech(f)
    assert s.encoding == "utf-8"
    assert s.body.endswith("提供坚强组织保证。")
    assert any("middle of a UTF-8 character" in n for n in s.notes)


def test_a_few_stray_bytes_are_replaced_and_said_where(seed_speech):
    data = seed_speech.raw.encode("utf-8")
    data = data[:300] + b"\xff" + data[300:]
    text, encoding, notes = decode_bytes(data, Path("stray.txt"))
    assert encoding == "utf-8" and text.count("\ufffd") == 1
    assert notes == ["1 byte sequence(s) that are not valid UTF-8 were replaced by U+FFFD (first at byte 300)"]


def test_utf16_without_bom_is_read_from_where_the_zero_bytes_are():
    text = "在会议上的讲话 ABC\n同志们：\n今天开会。"
    assert decode_bytes(text.encode("utf-16-le"), Path("a.txt")) == (text, "utf-16-le (no BOM)", [])
    assert decode_bytes(text.encode("utf-16-be"), Path("a.txt")) == (text, "utf-16-be (no BOM)", [])


def test_a_bom_that_lies_is_an_error():
    with pytest.raises(SpeechError, match="utf-8-sig byte-order mark but is not valid"):
        decode_bytes(b"\xef\xbb\xbf\xff\xff", Path("a.txt"))


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
