"""Near-duplicates (issue 14): the same speech published twice, found once in the Corpus, on real
files in a folder or a table, and counted once by the corpus functions unless asked otherwise."""
from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis_utils import Corpus, load_speech
from analysis_utils.scale import corpus_slogan_matrix, corpus_substring_counts, corpus_term_frequency
from analysis_utils.scale.duplicates import THRESHOLD, near_duplicates, ratio

from .helpers import edited

XI = ("001_2013-03-22.txt", "002_2013-03-23.txt", "003_2013-03-25.txt", "005_2013-03-29.txt")



@pytest.fixture
def dup_dir(tmp_path, corpus_dir):
    """Four real speeches and a copy of the second with 2 % of its characters changed (98 % identical)."""
    d = tmp_path / "speeches"
    d.mkdir()
    for name in XI:
        shutil.copy(corpus_dir / "xi_speeches_2013_2016" / name, d / name)
    text = (d / XI[1]).read_text(encoding="utf-8")
    (d / "900_copy.txt").write_text(edited(text, 0.02), encoding="utf-8")
    return d


def test_a_copy_with_a_few_edits_is_found_once_in_a_real_folder(dup_dir):
    corpus = Corpus(dup_dir)
    found = corpus.near_duplicates(cache=False)
    assert [(d.kept, d.dropped) for d in found] == [("002_2013-03-23", "900_copy")]
    body = load_speech(dup_dir / XI[1]).body
    assert found[0].similarity == pytest.approx(ratio(body, load_speech(dup_dir / "900_copy.txt").body))
    assert THRESHOLD <= found[0].similarity < 0.985
    assert (found[0].kept_index, found[0].dropped_index) == (1, 4)
    assert corpus.without_duplicates().ids == corpus.ids[:4]
    assert Corpus(dup_dir.parent / "speeches" / XI[0]).near_duplicates() == []


def test_the_corpus_functions_count_a_near_duplicate_once_unless_asked(dup_dir, tmp_path, capsys):
    originals = tmp_path / "originals"
    originals.mkdir()
    for name in XI:
        shutil.copy(dup_dir / name, originals / name)
    once = corpus_term_frequency(dup_dir, top_n=30, progress=False)
    err = capsys.readouterr().err
    assert "note: 900_copy is a near-duplicate of 002_2013-03-23 (98." in err and "900_copy left out" in err
    assert once.equals(corpus_term_frequency(originals, top_n=30, progress=False))
    both = corpus_term_frequency(dup_dir, top_n=30, progress=False, duplicates="keep", by_speech=True)
    assert "900_copy" in both.columns and "near-duplicate" not in capsys.readouterr().err  # as given, as asked
    counts = corpus_substring_counts(dup_dir, ["人民"], progress=False)
    assert counts["speech_id"].tolist() == [n[:-4] for n in XI]
    assert len(corpus_substring_counts(dup_dir, ["人民"], progress=False, duplicates="keep")) == 5
    assert "900_copy" not in corpus_slogan_matrix(dup_dir, kinds="number", progress=False).columns
    with pytest.raises(ValueError, match="duplicates must be"):
        corpus_substring_counts(dup_dir, ["人民"], progress=False, duplicates="twice")


def test_near_duplicates_in_a_table_name_its_rows(dup_dir, tmp_path):
    rows = [{"ID": p.stem[:3], "Content": p.read_text(encoding="utf-8")} for p in sorted(dup_dir.iterdir())]
    table = tmp_path / "t.jsonl"
    table.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert [(d.kept, d.dropped) for d in Corpus(table).near_duplicates()] == [("002", "900")]


def test_the_development_folder_has_no_near_duplicates_and_its_edited_copies_are_found(corpus_dir):
    """/work/shared/corpus/xi_speeches_2013_2016 holds no speech twice (issue 14 asked); among 100
    speeches, each 2 %-edited copy is paired with its original. (Speed is the benchmarks' job.)"""
    folder = corpus_dir / "xi_speeches_2013_2016"
    assert Corpus(folder).near_duplicates(cache=False) == []
    bodies = [s.body for _, s in Corpus(folder).speeches()]
    n = len(bodies)
    bodies = (bodies + [edited(b, 0.02, seed=i) for i, b in enumerate(bodies)])[:100]  # 82 speeches, 18 copies
    found = near_duplicates([str(i) for i in range(100)], bodies)
    assert [(d.kept_index, d.dropped_index) for d in found] == [(i, n + i) for i in range(100 - n)]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(share=st.floats(0.0, 0.3), seed=st.integers(0, 1000))
def test_a_copy_is_a_near_duplicate_exactly_when_its_ratio_reaches_the_threshold(tmp_path_factory, corpus_dir,
                                                                                    share, seed):
    """Real files: the original and an edited copy in a folder; flagged iff difflib says ≥ 95 %."""
    d = tmp_path_factory.mktemp("prop")
    original = (corpus_dir / "xi_speeches_2013_2016" / XI[0]).read_text(encoding="utf-8")
    (d / "a.txt").write_text(original, encoding="utf-8")
    (d / "b.txt").write_text(edited(original, share, seed), encoding="utf-8")
    r = ratio(load_speech(d / "a.txt").body, load_speech(d / "b.txt").body)
    found = Corpus(d).near_duplicates(cache=False)
    assert bool(found) == (r >= THRESHOLD)  # the 5-gram screen never hides a real near-duplicate
    if found:
        assert found[0].dropped == "b" and found[0].similarity == pytest.approx(r)
