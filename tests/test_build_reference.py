"""build_reference.py: the command that rebuilds the shipped reference list."""
from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from analysis_utils import load_speech
from analysis_utils.build_reference import corpus_paths, main
from analysis_utils.stats import load_reference_frequencies


def test_main_writes_a_list_keyness_can_read(tmp_path, seed_path, tokenizer):
    corpus = tmp_path / "corpus"
    (corpus / "part").mkdir(parents=True)
    (corpus / "part" / "a.txt").write_bytes(seed_path.read_bytes())
    (corpus / "README.md").write_text("not a speech", encoding="utf-8")
    assert [p.name for p in corpus_paths(corpus)] == ["a.txt"]
    out = tmp_path / "ref.tsv"
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main([str(corpus), "--out", str(out), "--min-count", "3"]) == 0
    assert buf.getvalue() == f"wrote {out} from 1 speeches\n"
    text = out.read_text(encoding="utf-8")
    assert "# texts: 1 speeches — every speech file in corpus/ and its sub-folders (part): 1 in part/;" in text
    ref = load_reference_frequencies(out)
    tokens = tokenizer.tokens(load_speech(seed_path))
    assert ref.counts.min() >= 3 and ref.counts["党建"] == (tokens["token"] == "党建").sum()
    assert ref.han_chars == load_speech(seed_path).han_chars


def test_main_without_speeches_exits_2(tmp_path):
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main([str(tmp_path), "--out", str(tmp_path / "ref.tsv")]) == 2
    assert buf.getvalue().startswith("error:") and buf.getvalue().count("\n") == 1
    assert not (tmp_path / "ref.tsv").exists()


# ------------------------------------------------------------ lists by genre (issue 15)
def _congress_rows(corpus_dir, tmp_path, numbers):
    """Some lines of the Wikisource congress dump, bytes as published, as a JSONL file of their own."""
    import json

    src = corpus_dir / "wikisource" / "cpc_congress_reports.jsonl"
    lines = [ln for ln in src.read_bytes().splitlines(keepends=True) if json.loads(ln)["congress"] in numbers]
    out = tmp_path / "congress.jsonl"
    out.write_bytes(b"".join(lines))
    return out


@pytest.mark.slow
def test_main_writes_a_genre_list_with_years_and_sources(tmp_path, corpus_dir, tokenizer):
    from analysis_utils.scale import Corpus

    rows = _congress_rows(corpus_dir, tmp_path, {3, 7, 10})    # the 7th is a 39-character stub
    out = tmp_path / "ref.tsv"
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main([str(rows), "--genre", "congress", "--out", str(out), "--workers", "1", "--top", "500"]) == 0
    assert buf.getvalue() == f"wrote {out} from 2 speeches\n"
    text = out.read_text(encoding="utf-8")
    assert "# genre: congress (党代会报告 · Party Congress reports)" in text and "# years: 1923 1973" in text
    assert "# skipped: congress.jsonl#congress-00002 (39 Chinese characters: a stub, not a speech)" in text
    ref = load_reference_frequencies(out)
    assert ref.label == "党代会报告 1923–1973（2 篇）· Party Congress reports 1923–1973 (2 texts)"
    assert len(ref.counts) == 500 and ref.counts.min() >= 2
    # the corpus engine counts what the Tokenizer counts
    corpus = Corpus(rows)
    expected = sum((tokenizer.tokens(sp)["token"] == "革命").sum() for _, sp in corpus.speeches()
                   if sp.han_chars >= 200)
    assert ref.counts["革命"] == expected and ref.tags["革命"][0] in "nv"


def test_main_genre_without_its_texts_exits_2(tmp_path):
    out = tmp_path / "ref.tsv"
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["--genre", "gwr", "--corpus", str(tmp_path), "--out", str(out)]) == 2
    assert buf.getvalue() == f"error: {tmp_path / 'wikisource' / 'government_work_reports.jsonl'}: no such file or folder\n"
    assert not out.exists()


def test_main_all_genres_takes_no_out(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["--genre", "all", "--out", str(tmp_path / "x.tsv")])
    assert e.value.code == 2 and "--genre all writes every shipped list" in capsys.readouterr().err
    assert not (tmp_path / "x.tsv").exists()
