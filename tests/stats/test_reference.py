"""stats/reference.py: the shipped reference list and how it is built."""
from __future__ import annotations

import pytest

from analysis_utils import SpeechError, load_speech
from analysis_utils.stats import (
    REFERENCE_FREQ_FILE,
    build_reference_frequencies,
    is_punctuation,
    load_reference_frequencies,
)


def test_shipped_reference_list():
    text = REFERENCE_FREQ_FILE.read_text(encoding="utf-8")
    header = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert any(ln.startswith("# total_tokens:") for ln in header)
    assert any("tokenizer:" in ln for ln in header) and any("built:" in ln for ln in header)
    sources = [ln for ln in header if ln.startswith("# source:")]
    assert len(sources) == 85
    assert any("cpc20_report.txt" in s for s in sources) and any("gwr_2022_crlf.txt" in s for s in sources)
    ref = load_reference_frequencies()
    assert ref.counts.min() >= 2 and ref.total > ref.counts.sum()
    assert ref.counts.index.str.len().max() < 40  # terms, never passages of text
    assert ref.counts["发展"] > ref.counts["党建"] > 0


def test_build_reference_frequencies(corpus_dir, tokenizer):
    path = corpus_dir / "xi_2015_county_secretaries.txt"
    table, info = build_reference_frequencies([path], tokenizer=tokenizer)
    sp = load_speech(path)
    tokens = tokenizer.tokens(sp)
    assert info["total_tokens"] == int(table["count"].sum())
    assert info["han_chars"] == sp.han_chars
    assert table.set_index("term")["count"]["县委书记"] == (tokens["token"] == "县委书记").sum()
    assert not table["term"].map(is_punctuation).any()


def test_bad_reference():
    with pytest.raises(SpeechError):
        load_reference_frequencies("/nonexistent/ref.tsv")


def test_shipped_reference_is_built_with_the_current_lexicon_and_stopwords():
    """Keyness compares like with like only if the reference was cut by today's tokeniser."""
    import hashlib

    from analysis_utils.config import LEXICON_FILE, STOPWORDS_FILE

    line = next(ln for ln in REFERENCE_FREQ_FILE.read_text(encoding="utf-8").splitlines() if "# tokenizer:" in ln)
    for f in (LEXICON_FILE, STOPWORDS_FILE):
        sha = hashlib.sha1(f.read_bytes()).hexdigest()[:12]
        assert sha in line, f"{f.name} changed since reference_freq.tsv was built: run python -m analysis_utils.build_reference"
