"""Decoding: every encoding and line ending, byte-order marks, damaged UTF-8, .docx; guessed
encodings that must read as Chinese (Big5, Japanese, Korean, mojibake), NUL anywhere."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis_utils import SpeechError, load_speech, speech_from_text
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
    for enc in ("utf-16-le", "utf-16-be"):  # a guessed encoding is noted (issue 13)
        note = f"encoding guessed: {enc} without a byte-order mark (from where the zero bytes are)"
        assert decode_bytes(text.encode(enc), Path("a.txt")) == (text, f"{enc} (no BOM)", [note])


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


# ----------------------------------------------------------------- issue 13: guessed encodings must read as Chinese



#: Composed by the test's author (not corpus text): Japanese and Korean that must be refused.
JAPANESE = [
    "本日の会議では、地域経済の持続的な発展と住民生活の向上について議論しました。",
    "私たちは、地方自治体と企業、そして住民の皆様と協力して、新しい時代にふさわしい政策を進めてまいります。",
    "特に、若い世代が安心して働き、子どもを育てることができる社会をつくることが大切です。",
    "今後とも、皆様のご理解とご協力をお願い申し上げます。",
]
KOREAN = [
    "오늘 회의에서는 지역 경제의 지속적인 발전과 주민 생활의 향상에 대해 논의했습니다.",
    "우리는 지방 정부와 기업, 그리고 주민 여러분과 협력하여 새로운 시대에 걸맞은 정책을 추진해 나가겠습니다.",
    "특히 젊은 세대가 안심하고 일하며 아이를 키울 수 있는 사회를 만드는 것이 중요합니다.",
    "앞으로도 여러분의 이해와 협력을 부탁드립니다.",
]
_names = itertools.count()
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _encodable(line: str, codec: str) -> bool:
    try:
        line.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@pytest.fixture(scope="module")
def simplified_lines(seed_speech, corpus_dir):
    lines = seed_speech.body.split("\n") + (corpus_dir / "cpc20_report.txt").read_text(encoding="utf-8").split("\n")[:200]
    return [x.strip() for x in lines if x.strip() and _encodable(x, "gbk")]


@pytest.fixture(scope="module")
def traditional_lines(corpus_dir):
    """Traditional-character lines of the corpus (the 1954 Government Work Report, the 3rd Congress report) that Big5 holds."""
    out = []
    for name, key, value in (("government_work_reports", "year", "1954"), ("cpc_congress_reports", "congress", 3)):
        for record in (corpus_dir / "wikisource" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            rec = json.loads(record)
            if rec.get(key) == value:
                out += [x.strip() for x in rec["content"].split("\n") if len(x.strip()) >= 20 and _encodable(x.strip(), "big5")]
    assert len(out) >= 30
    return out


def _write(tmp_path, data: bytes, suffix=".txt") -> Path:
    f = tmp_path / f"speech_{next(_names)}{suffix}"
    f.write_bytes(data)
    return f


#: (codec, byte-order mark, traditional text?, the encoding recorded (None: GBK if GBK holds the text, else GB18030), guessed?)
SUPPORTED = [
    ("utf-8", b"", False, "utf-8", False),
    ("utf-8", b"\xef\xbb\xbf", False, "utf-8 with BOM", False),
    ("utf-16-le", b"\xff\xfe", False, "utf-16-le with BOM", False),
    ("utf-16-be", b"\xfe\xff", False, "utf-16-be with BOM", False),
    ("utf-16-le", b"", False, "utf-16-le (no BOM)", True),
    ("utf-16-be", b"", False, "utf-16-be (no BOM)", True),
    ("gbk", b"", False, "gbk", True),
    ("gb18030", b"", False, None, True),
    ("big5", b"", True, "big5", True),
    ("utf-8", b"", True, "utf-8", False),
]


@PROPERTY
@given(data=st.data())
def test_chinese_in_every_supported_encoding_reads_back_exactly(tmp_path, simplified_lines, traditional_lines, data):
    codec, bom, traditional, recorded, guessed = data.draw(st.sampled_from(SUPPORTED), label="encoding")
    lines = data.draw(st.lists(st.sampled_from(traditional_lines if traditional else simplified_lines), min_size=2, max_size=8))
    text = "\n".join(lines)
    f = _write(tmp_path, bom + text.encode(codec))
    s = load_speech(f)
    assert s.body == speech_from_text(text).body
    assert s.encoding == (recorded or ("gbk" if _encodable(text, "gbk") else "gb18030"))
    assert any(n.startswith("encoding guessed") for n in s.notes) == guessed


def test_big5_is_read_as_big5_not_as_gb18030_mojibake(tmp_path, traditional_lines):
    text = "\n".join(traditional_lines[:10])
    s = load_speech(_write(tmp_path, text.encode("big5")))
    assert s.encoding == "big5" and s.body == speech_from_text(text).body
    note = next(n for n in s.notes if n.startswith("encoding guessed: big5"))
    assert "as gb18030: mojibake" in note


def test_a_short_big5_text_is_read_as_big5(tmp_path):
    s = load_speech(_write(tmp_path, "在黨建工作會議上的講話\n我們要堅持黨的領導，加強組織建設。".encode("big5")))
    assert s.encoding == "big5" and "組織建設" in s.body


@PROPERTY
@given(data=st.data())
def test_japanese_and_korean_in_every_encoding_are_refused(tmp_path, data):
    language, sentences, codecs = data.draw(st.sampled_from([
        ("Japanese", JAPANESE, ["shift_jis", "cp932", "euc_jp", "utf-8", "utf-16"]),
        ("Korean", KOREAN, ["euc_kr", "cp949", "utf-8", "utf-16"]),
    ]), label="language")
    codec = data.draw(st.sampled_from(codecs), label="codec")
    text = "\n".join(data.draw(st.lists(st.sampled_from(sentences), min_size=2, max_size=6)))
    f = _write(tmp_path, text.encode(codec))
    with pytest.raises(SpeechError) as e:
        load_speech(f)
    message = str(e.value)
    assert message.startswith(f"{f}: does not read as Chinese: this is {language}") and "\n" not in message


@pytest.mark.parametrize("codec", ["iso2022_jp", "iso2022_kr"])
def test_seven_bit_japanese_and_korean_are_refused(tmp_path, codec):
    text = "\n".join(JAPANESE if codec.endswith("jp") else KOREAN)  # escape sequences and ASCII letters
    with pytest.raises(SpeechError, match="no Chinese text|looks like binary data"):
        load_speech(_write(tmp_path, text.encode(codec)))


def _mojibake(seed: str, kind: str) -> bytes:
    if kind == "utf-8 read as gbk, saved as utf-8":
        return seed.encode("utf-8").decode("gbk", "replace").encode("utf-8")
    if kind == "gbk read as big5, saved as utf-8":
        return seed.encode("gbk").decode("big5", "replace").encode("utf-8")
    if kind == "utf-8 read as gb18030, saved as gbk":
        return seed.encode("utf-8").decode("gb18030", "replace").encode("gbk", "replace")
    return seed.encode("gbk").decode("latin-1").encode("utf-8")  # gbk read as latin-1, saved as utf-8


@pytest.mark.parametrize("kind", ["utf-8 read as gbk, saved as utf-8", "gbk read as big5, saved as utf-8",
                                  "utf-8 read as gb18030, saved as gbk", "gbk read as latin-1, saved as utf-8"])
def test_mojibake_is_refused(tmp_path, seed_speech, kind):
    f = _write(tmp_path, _mojibake(seed_speech.raw, kind))
    with pytest.raises(SpeechError) as e:
        load_speech(f)
    assert any(w in str(e.value) for w in ("mojibake", "no Chinese text")) and "\n" not in str(e.value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(min_size=1, max_size=3000),
                 st.tuples(st.sampled_from(["gbk", "big5", "utf-8", "shift_jis", "euc_kr"]), st.binary(max_size=200))
                 .map(lambda t: "在会议上的讲话，同志们：".encode(t[0], "replace") + t[1])))
def test_random_bytes_are_analysed_as_plausible_chinese_or_refused_in_one_line(tmp_path, data):
    from analysis_utils.reading import chinese_problem

    f = _write(tmp_path, data)
    try:
        s = load_speech(f)
    except SpeechError as e:
        assert str(e).startswith(f"{f}: ") and "\n" not in str(e)
        return
    assert chinese_problem(s.normalized) is None
    if s.encoding not in ("utf-8", "utf-8 with BOM") and not s.encoding.endswith("with BOM"):
        assert any(n.startswith("encoding guessed") for n in s.notes)


def test_a_gbk_file_cut_in_its_last_character_keeps_the_rest_and_says_so(tmp_path, seed_speech):
    s = load_speech(_write(tmp_path, seed_speech.raw.rstrip().encode("gbk")[:-1]))
    assert s.encoding == "gbk" and any("ends in the middle of a gbk character" in n for n in s.notes)


# ----------------------------------------------------------------- issue 13: NUL anywhere
@pytest.mark.parametrize("at", [10, 3000, 5000, -2])
def test_a_nul_byte_anywhere_is_refused_the_same_way(tmp_path, seed_speech, at):
    data = seed_speech.raw.encode("utf-8")
    f = _write(tmp_path, data[:at] + b"\x00" + data[at:])
    with pytest.raises(SpeechError, match=r"contains NUL bytes \(the first at byte \d+\): this is binary data"):
        load_speech(f)


def test_utf16_without_bom_is_read_when_its_first_zero_byte_is_late(tmp_path, seed_speech):
    # a first paragraph of 2,500 characters none of which has a zero byte in UTF-16 (no ASCII, no U+xx00)
    first = "".join(c for c in seed_speech.body.replace("\n", "") if ord(c) > 0xFF and ord(c) % 0x100)[:2500]
    text = first + "\n" + seed_speech.body
    data = text.encode("utf-16-le")
    assert data.index(b"\x00") > 4096
    s = load_speech(_write(tmp_path, data))
    assert s.encoding == "utf-16-le (no BOM)" and s.body == speech_from_text(text).body


def test_a_nul_character_in_text_is_refused(tmp_path, seed_speech):
    f = _write(tmp_path, b"\xff\xfe" + (seed_speech.raw[:2000] + "\x00" + seed_speech.raw[2000:]).encode("utf-16-le"))
    with pytest.raises(SpeechError, match=r"contains NUL characters \(the first at character \d+\)"):
        load_speech(f)
