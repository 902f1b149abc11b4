"""Comparisons build on a Corpus: speeches by date with their labels, or the parts of one speech
keeping their offsets into it; no hidden fall-back when the outline fails."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis_utils import Corpus, SpeechError
from analysis_utils.stats import compare, term_frequency
from analysis_utils.stats.compare import (
    comparison,
    keyness_against_rest,
    term_rates,
    top_terms,
    unit_table,
    unit_term_counts,
)


@pytest.fixture
def folder(tmp_path, corpus_dir):
    d = tmp_path / "folder"
    d.mkdir()
    for p in sorted((corpus_dir / "xi_speeches_2013_2016").glob("*.txt"))[:3]:
        shutil.copy(p, d / p.name)
    (d / "sub").mkdir()  # a comparison of a folder takes its own files, not those of sub-folders
    shutil.copy(corpus_dir / "xi_2015_county_secretaries.txt", d / "sub" / "x.txt")
    return d


def test_parts_keep_their_offsets_into_the_whole_speech(seed_path, seed_speech):
    cmp = comparison(seed_path)
    assert cmp.mode == "parts" and cmp.corpus is not None and cmp.corpus.parent.body == seed_speech.body
    assert [u.id for u in cmp.units] == [f"{seed_speech.id}_part{i}" for i in (1, 2)] == list(cmp.corpus.ids)
    for (start, end), unit in zip(cmp.spans, cmp.units):
        assert seed_speech.body[start:end] == unit.body
    assert [label[:2] for label in cmp.labels] == ["一、", "二、"] and cmp.dates == (None, None)
    assert cmp.id == seed_speech.id


def test_speeches_of_a_folder_by_date(tmp_path, folder, tokenizer, monkeypatch):
    monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(tmp_path / "cache"))
    (folder / "broken.txt").write_bytes(b"%PDF-1.4")
    cmp = comparison(folder)
    assert cmp.mode == "speeches" and cmp.spans == () and cmp.id == "folder"
    assert len(cmp.units) == 3 and len(cmp.failed) == 1 and "broken.txt" in cmp.failed[0]
    assert list(cmp.dates) == sorted(cmp.dates) and all(label.startswith(d) for label, d in zip(cmp.labels, cmp.dates))
    assert cmp.corpus is not None and cmp.corpus.ids == tuple(u.id for u in cmp.units)  # the units, in their order
    counts = unit_term_counts(cmp, tokenizer, min_len=2)
    assert list(dict.fromkeys(counts["unit"])) == [u.id for u in cmp.units]
    for unit in cmp.units:
        ref = term_frequency(tokenizer.tokens(unit), speech=unit, min_len=2)[["term", "token_count"]].reset_index(drop=True)
        mine = counts[counts.unit == unit.id][["term", "token_count"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, ref, check_dtype=False, obj=unit.id)
    assert top_terms(counts, 3) == top_terms(counts, top_n=3) and len(top_terms(counts, 3)) == 3
    with pytest.raises(ValueError, match="target must be between 0 and 2"):
        keyness_against_rest(cmp, 3, tokenizer)


def test_a_corpus_or_a_table_is_compared_as_given(tmp_path, seed_speech, folder):
    table = tmp_path / "texts.csv"
    pd.DataFrame([{"id": "b", "text": seed_speech.body, "date": "2021-05-01", "title": "乙"},
                  {"id": "a", "text": seed_speech.body[:600], "date": "2020-01-01", "title": "甲"}]).to_csv(table, index=False)
    cmp = comparison(table)
    assert [u.id for u in cmp.units] == ["a", "b"] and cmp.dates == ("2020-01-01", "2021-05-01")
    assert cmp.labels == ("2020-01-01 甲", "2021-05-01 乙") and cmp.id == "texts"
    assert term_rates(cmp, ["党建"])["substring_count"].tolist() == [seed_speech.body[:600].count("党建"), seed_speech.body.count("党建")]
    mine = comparison(Corpus(folder))  # a Corpus: sub-folders included, as the Corpus has them
    assert len(mine.units) == 4 and mine.id == "folder"


def test_unit_table_has_no_hidden_fall_back(seed_path, monkeypatch):
    cmp = comparison(seed_path)
    table = unit_table(cmp)
    assert list(table.columns) == ["unit", "label", "date", "title", "han_chars", "paragraphs", "sentences",
                                   "sections", "subsections", "placeholders"]
    assert table["unit"].tolist() == [u.id for u in cmp.units]
    assert table["han_chars"].tolist() == [u.han_chars for u in cmp.units]

    def broken(speech):
        raise RuntimeError("the outline failed")

    monkeypatch.setattr(compare, "build_outline", broken)
    with pytest.raises(RuntimeError, match="the outline failed"):
        unit_table(cmp)


def test_a_folder_without_readable_speeches(tmp_path):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "a.txt").write_bytes(b"%PDF-1.4")
    with pytest.raises(SpeechError, match="no readable speech"):
        comparison(d)


def test_a_near_duplicate_is_compared_once_and_named(folder, tokenizer):
    """A speech published twice (a real file and a copy with one sentence changed) is one unit,
    named in ``duplicates`` (notebook 05 prints it); ``duplicates="keep"`` compares both."""
    first = sorted(folder.glob("*.txt"))[1]
    text = first.read_text(encoding="utf-8")
    (folder / "999_copy.txt").write_text(text.replace("。", "！", 3), encoding="utf-8")
    cmp = comparison(folder)
    assert [u.id for u in cmp.units] == [p.stem for p in sorted(folder.glob("*.txt"))[:3]]
    assert len(cmp.duplicates) == 1 and cmp.duplicates[0].startswith(f"999_copy is a near-duplicate of {first.stem} (99.")
    assert cmp.duplicates[0].endswith("counted once, 999_copy left out")
    assert set(unit_term_counts(cmp, tokenizer)["unit"]) == {u.id for u in cmp.units}
    both = comparison(folder, duplicates="keep")
    assert len(both.units) == 4 and both.duplicates == ()
    assert set(unit_term_counts(both, tokenizer)["unit"]) == {u.id for u in both.units}


def test_seed_parts_differ_in_nothing_significantly_but_cpc20_parts_do(seed_path, cpc20, tokenizer):
    """Notebook 05 draws a part's keywords only when one is significant (p < 0.001)."""
    from analysis_utils.stats.compare import keyness_against_rest, significant

    seed = comparison(seed_path)
    assert not significant(keyness_against_rest(seed, 1, tokenizer)).any()
    parts = comparison(cpc20.path)
    assert significant(keyness_against_rest(parts, len(parts.units) - 1, tokenizer)).any()


def test_a_part_of_one_speech_is_not_warned_about_the_era_of_the_other_parts(corpus_dir, tokenizer):
    """The last part of this 2013 speech opens with 2012年 in its heading: keyness against the speech's
    other parts warned 'the reference … is from 2013, not 2012' in notebook 05 (issue 16)."""
    import warnings

    from analysis_utils.stats.keywords import ReferenceYearsWarning

    cmp = comparison(corpus_dir / "xi_speeches_2013_2016" / "006_2013-04-07.txt")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keyness_against_rest(cmp, len(cmp.units) - 1, tokenizer)
    assert cmp.mode == "parts" and not [w for w in caught if issubclass(w.category, ReferenceYearsWarning)]
