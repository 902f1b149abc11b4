"""load_speech and speech_from_text: bad input raises one line that names the file."""
from __future__ import annotations

import pytest
from tests.reading.base_loader import assert_same, base_reading, outcome

from analysis_utils import SpeechError, load_speech

BAD_INPUTS = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", " \n\u3000\n\t\r\n".encode(), "white space"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
    ("nul.txt", b"abc\x00\x01\x02" * 50 + bytes(range(256)), "binary"),
    ("english.txt", b"This is not a Chinese speech at all.", "no Chinese text"),
    ("speech.pdf", b"%PDF-1.4", "unsupported file type"),
    ("speech.doc", b"\xd0\xcf\x11\xe0", ".doc"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "not a valid .docx"),
    ("notices.txt", "仅供学习 禁止外传\n会员群：免费QQ群：\n".encode(), "nothing is left"),
    # issue 13
    ("japanese.txt", "本日の会議では、地域経済の発展について議論しました。私たちは協力してまいります。".encode(), "this is Japanese"),
    ("korean.txt", "오늘 회의에서는 지역 경제의 발전에 대해 논의했습니다.".encode(), "this is Korean"),
    ("mojibake.txt", ("在党建工作会议上的讲话，同志们：今天我们召开会议，研究部署全年的工作任务。" * 3).encode().decode("gbk", "replace").encode(),
     "mojibake"),
    ("late_nul.txt", "在会上的讲话\n同志们：".encode() * 400 + b"\x00", "contains NUL bytes"),
    ("no_body.docx", None, "has no body"),
]


def _write_bad(f, content):
    if content is None:  # a .docx whose document part has no body
        from .test_word import write_docx
        write_docx(f, None)
    else:
        f.write_bytes(content)


@pytest.mark.parametrize("name,content,message", BAD_INPUTS)
def test_bad_input_raises_one_line_error_naming_the_file(tmp_path, name, content, message):
    f = tmp_path / name
    _write_bad(f, content)
    with pytest.raises(SpeechError) as e:
        load_speech(f)
    assert message in str(e.value) and str(f) in str(e.value) and "\n" not in str(e.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SpeechError, match="no such file"):
        load_speech(tmp_path / "nope.txt")
    with pytest.raises(SpeechError, match="is a folder"):
        load_speech(tmp_path)


# ------------------------------------------------------------------ rows of a corpus table (issue 14)
def _table(tmp_path, corpus_dir, suffix=".jsonl"):
    import json

    import pandas as pd

    names = ("001_2013-03-22.txt", "002_2013-03-23.txt")
    rows = [{"Id": f"r {i}", "CONTENT": (corpus_dir / "xi_speeches_2013_2016" / n).read_text(encoding="utf-8"),
             "year": 2013} for i, n in enumerate(names, 1)]
    path = tmp_path / f"语料{suffix}"
    if suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    else:
        pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")
    return path


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_row_address_loads_the_row_as_the_corpus_does(tmp_path, corpus_dir, suffix):
    from analysis_utils import Corpus

    table = _table(tmp_path, corpus_dir, suffix)
    corpus = Corpus(table)
    assert corpus.ids == ("r_1", "r_2")
    s = load_speech(f"{table}#r_2")
    expected = corpus.load(1)
    assert (s.id, s.body, s.removed, s.meta, str(s.path)) == (expected.id, expected.body, expected.removed,
                                                               expected.meta, f"{table}#r_2")
    assert s.meta.title == "顺应时代前进潮流，促进世界和平发展"


def test_a_missing_row_or_a_whole_table_is_one_line_naming_the_file(tmp_path, corpus_dir):
    table = _table(tmp_path, corpus_dir)
    with pytest.raises(SpeechError) as e:
        load_speech(f"{table}#r_9")
    assert str(e.value) == (f"{table}: no row with the id 'r_9' "
                            f"(list the ids with: python -m analysis_utils info {table})")
    with pytest.raises(SpeechError, match="is a table of speeches: give one row as 语料.jsonl#<id>"):
        load_speech(table)
    with pytest.raises(SpeechError, match="no such file"):
        load_speech(tmp_path / "missing.jsonl#r_1")
    odd = tmp_path / "a#b.txt"  # a real file whose name holds '#' is that file
    odd.write_text("在会上的讲话\n同志们：\n今天开会。", encoding="utf-8")
    assert load_speech(odd).body.endswith("今天开会。")


# ------------------------------------------------------------------ the faster loader (issue 20): the same speeches
#: More odd input for the decoder and the Chinese check the loader made faster (the short EUC-KR and
#: Latin-1 texts read as GBK: too few characters to tell mojibake, then and now).
MORE_ODD_INPUTS = [
    ("shift_jis.txt", "本日の会議では、地域経済の発展について議論しました。".encode("shift_jis")),
    ("euc_kr.txt", "오늘 회의에서는 지역 경제의 발전에 대해 논의했습니다.".encode("euc_kr")),
    ("big5_as_gbk.txt", "在黨建工作會議上的講話，我們要堅持黨的領導。".encode("big5")[:-1] + b"\xff"),
    ("private_use.txt", ("讲话\ue000\ue001\ue002" * 10).encode()),
    ("rare.txt", ("㐀㐁㐂㐃㐄㐅㐆㐇㐈㐉" * 10).encode()),
    ("controls.txt", ("讲话\x01\x02\x03" * 40).encode()),
    ("utf16_noise.txt", bytes(range(1, 256)) * 8 + b"\x00"),
    ("latin1.txt", "Ceci n'est pas un discours chinois, élève.".encode("latin-1")),
]


@pytest.mark.slow
@pytest.mark.parametrize("name,content", [(n, c) for n, c, _ in BAD_INPUTS] + MORE_ODD_INPUTS,
                         ids=[n for n, _, _ in BAD_INPUTS] + [n for n, _ in MORE_ODD_INPUTS])
def test_bad_input_gets_the_same_message_as_from_the_base_commits_loader(tmp_path, name, content):
    f = tmp_path / name
    _write_bad(f, content)
    old, new = outcome(base_reading().load_speech, f), outcome(load_speech, f)
    assert_same(old, new, name)
    if name in {n for n, _, _ in BAD_INPUTS}:
        assert isinstance(new, str) and "\n" not in new


@pytest.mark.slow
def test_every_corpus_file_loads_exactly_as_with_the_base_commits_loader(corpus_dir, seed_path):
    """Body, removed parts, metadata, placeholders, spans, Chinese characters, notes: every field of
    every speech the same as with the loader before issue 20 (benchmarks/load_benchmark.py)."""
    old = base_reading()
    files = [seed_path, *sorted(corpus_dir.rglob("*.txt"))]
    assert len(files) == 86
    for f in files:
        assert_same(outcome(old.load_speech, f), outcome(load_speech, f), f.name)


#: Corpus files re-encoded: the legacy encodings take the guessing path (frequent characters counted);
#: characters an encoding lacks become '?' (the lost-character cleaning).
_REENCODED = ["cpc20_report.txt", "gwr_2022_crlf.txt", "xi_2015_county_secretaries.txt",
              "xi_speeches_2013_2016/001_2013-03-22.txt", "xi_speeches_2013_2016/052_2015-09-28.txt"]


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "big5", "utf-16-le", "utf-16", "docx"])
def test_corpus_files_in_other_encodings_and_as_docx_load_as_with_the_base_commits_loader(tmp_path, corpus_dir, seed_path,
                                                                                      encoding):
    import docx

    old = base_reading()
    for source in [seed_path, *(corpus_dir / name for name in _REENCODED)]:
        if not source.exists():
            continue
        text = source.read_text(encoding="utf-8-sig")
        f = tmp_path / f"{source.stem}.{'docx' if encoding == 'docx' else 'txt'}"
        if encoding == "docx":
            doc = docx.Document()
            for line in text.splitlines():
                doc.add_paragraph(line)
            doc.save(f)
        else:
            f.write_bytes(text.encode(encoding, errors="replace"))
        assert_same(outcome(old.load_speech, f), outcome(load_speech, f), f"{source.name} in {encoding}")


@pytest.mark.parametrize("copies", [1, 80])  # the seed's text, and a text longer than the Chinese check's sample
def test_han_chars_are_the_bodys_whether_counted_with_the_text_or_after(tmp_path, seed_path, copies):
    from analysis_utils import count_han

    f = tmp_path / "long.txt"
    f.write_text(seed_path.read_text(encoding="utf-8") * copies, encoding="utf-8")
    s = load_speech(f)
    assert len(s.normalized) > 200_000 or copies == 1
    assert s.han_chars == count_han(s.body) and s.removed
