"""build_reference.py: the command that rebuilds the shipped reference list."""
from __future__ import annotations

import io
from contextlib import redirect_stdout

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
