"""load_speech and speech_from_text: bad input raises one line that names the file."""
from __future__ import annotations

import pytest

from analysis_utils import SpeechError, load_speech


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
        # issue 13
        ("japanese.txt", "本日の会議では、地域経済の発展について議論しました。私たちは協力してまいります。".encode(), "this is Japanese"),
        ("korean.txt", "오늘 회의에서는 지역 경제의 발전에 대해 논의했습니다.".encode(), "this is Korean"),
        ("mojibake.txt", ("在党建工作会议上的讲话，同志们：今天我们召开会议，研究部署全年的工作任务。" * 3).encode().decode("gbk", "replace").encode(),
         "mojibake"),
        ("late_nul.txt", "在会上的讲话\n同志们：".encode() * 400 + b"\x00", "contains NUL bytes"),
        ("no_body.docx", None, "has no body"),
    ],
)
def test_bad_input_raises_one_line_error_naming_the_file(tmp_path, name, content, message):
    f = tmp_path / name
    if content is None:  # a .docx whose document part has no body
        from .test_word import write_docx
        write_docx(f, None)
    else:
        f.write_bytes(content)
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
