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
    assert info["total_tokens"] == int(table["token_count"].sum())
    assert info["han_chars"] == sp.han_chars
    assert table.set_index("term")["token_count"]["县委书记"] == (tokens["token"] == "县委书记").sum()
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


# ------------------------------------------------------------ references by genre (issue 15)
def _rows(corpus_dir, name):
    from analysis_utils.scale import Corpus

    return Corpus(corpus_dir / "wikisource" / f"{name}.jsonl")


def test_genre_of_real_texts(corpus_dir, seed_speech, cpc20, gwr):
    from analysis_utils.stats import speech_genre

    assert speech_genre(cpc20) == "congress"           # ——在中国共产党第二十次全国代表大会上的报告
    assert speech_genre(gwr) == "gwr"                  # no title block: 各位代表 … 我代表国务院，向大会报告政府工作
    assert speech_genre(seed_speech) == "speeches"
    assert speech_genre(load_speech(corpus_dir / "xi_2015_county_secretaries.txt")) == "speeches"
    xi = sorted((corpus_dir / "xi_speeches_2013_2016").glob("*.txt"))
    assert {speech_genre(load_speech(p)) for p in xi} == {"speeches"}   # incl. speeches to the NPC


def test_genre_and_year_of_every_wikisource_report(corpus_dir):
    from analysis_utils.stats import speech_genre, speech_year

    for name, genre in (("government_work_reports", "gwr"), ("cpc_congress_reports", "congress")):
        rows = _rows(corpus_dir, name)
        for item, speech in rows.speeches():
            assert speech_genre(speech, title=item.title) == genre, item.title
            year = speech_year(speech, title=item.title, date=item.date)
            assert year is not None and 1921 <= year <= 2022, item.title
            if item.date:
                assert year == int(item.date[:4])
    gwr_rows = _rows(corpus_dir, "government_work_reports")
    # most reports are recognised without their title too, from the opening (traditional characters included)
    untitled = [speech_genre(sp) for _, sp in gwr_rows.speeches()]
    assert untitled.count("gwr") >= 44
    congress = {it.title: speech_year(sp, title=it.title) for it, sp in _rows(corpus_dir, "cpc_congress_reports").speeches()}
    assert congress["陈独秀在中国共产党第三次全国代表大会上的报告"] == 1923
    assert congress["全面建设小康社会，开创中国特色社会主义事业新局面 (十六大)"] == 2002


@pytest.mark.parametrize("name, genre, span, texts", [
    ("gwr", "gwr", "1954–2022", 46),
    ("congress", "congress", "1921–2022", 12),
    ("speeches", "speeches", "2013–2016", 83),
    ("general", "general", "2013–2022", 85),
])
def test_shipped_lists_by_genre(name, genre, span, texts):
    import hashlib

    from analysis_utils.config import LEXICON_FILE, STOPWORDS_FILE
    from analysis_utils.stats import GENRE_LABELS, REFERENCE_FILES
    from analysis_utils.stats.reference import REFERENCE_TOP

    ref = load_reference_frequencies(name)
    assert (ref.genre, ref.span, len(ref.sources)) == (genre, span, texts)
    assert GENRE_LABELS[genre][0] in ref.label and span in ref.label and f"{texts} texts" in ref.label
    assert 0 < len(ref.counts) <= REFERENCE_TOP and ref.counts.min() >= 2 and ref.total > ref.counts.sum()
    assert len(ref.tags) == len(ref.counts)             # every term has its tag
    text = REFERENCE_FILES[name].read_text(encoding="utf-8")
    header = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert any(ln.startswith("# years: ") for ln in header) and any(ln.startswith("# texts: ") for ln in header)
    assert all(ln.split("\t")[-1].isdigit() for ln in header if ln.startswith("# source:"))   # each text's year
    for f in (LEXICON_FILE, STOPWORDS_FILE):
        assert hashlib.sha1(f.read_bytes()).hexdigest()[:12] in text, "run python -m analysis_utils.build_reference --genre all"
    assert REFERENCE_FILES[name].stat().st_size < 250_000


def test_congress_list_leaves_out_the_stub():
    from analysis_utils.stats import REFERENCE_FILES

    text = REFERENCE_FILES["congress"].read_text(encoding="utf-8")
    assert "# skipped: cpc_congress_reports.jsonl#cpc_congress_reports-00004 (39 Chinese characters" in text


def test_reference_for_picks_by_genre(seed_speech, cpc20, gwr):
    from analysis_utils.stats import reference_for

    assert reference_for(cpc20).genre == "congress"
    assert reference_for(gwr).genre == "gwr"
    assert reference_for(seed_speech).genre == "speeches"
    assert reference_for(None).genre == "general"
    assert reference_for(cpc20, "speeches").genre == "speeches"
    # the speech itself is one of the texts: cpc20 by fingerprint, the 2022 GWR by year and length
    assert reference_for(cpc20).contains(cpc20, 2022)
    assert reference_for(gwr).contains(gwr, 2022) and not reference_for(gwr).contains(gwr, 2021)
    assert not reference_for(seed_speech).contains(seed_speech, None)


def test_reference_list_with_a_folder_in_its_place(tmp_path):
    (tmp_path / "ref.tsv").mkdir()
    with pytest.raises(SpeechError, match="a folder, not a reference frequency list"):
        load_reference_frequencies(tmp_path / "ref.tsv")
