"""Risers and fallers between two periods, first appearances per year, passages back to the text."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis_utils import SpeechError
from analysis_utils.watchwords import (
    FIRST_COLUMNS,
    PASSAGE_COLUMNS,
    RISER_COLUMNS,
    first_appearances,
    lexicon_track,
    passages,
    risers_fallers,
    track,
)


@pytest.fixture(scope="module")
def three_reports(corpus_dir, tmp_path_factory):
    """A JSONL of three real reports (1964, 1986, 2016) the test writes from the development corpus."""
    src = corpus_dir / "wikisource" / "government_work_reports.jsonl"
    if not src.is_file():
        pytest.skip("the Government Work Reports JSONL is not in the development corpus")
    rows = [r for r in map(json.loads, src.read_text(encoding="utf-8").splitlines()) if r["year"] in {"1964", "1986", "2016"}]
    path = tmp_path_factory.mktemp("three") / "reports.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_risers_and_fallers_compare_rates_of_the_two_periods(three_reports):
    tr = lexicon_track(three_reports, cache=False, progress=False)
    moves = risers_fallers(tr, 2000, min_count=3)
    assert list(moves.columns) == RISER_COLUMNS
    assert moves.attrs["label_before"] == "1964–1986" and moves.attrs["label_after"] == "2016–2016"
    rows = moves.set_index("term")
    assert rows.loc["供给侧结构性改革", "direction"] == "rise" and rows.loc["供给侧结构性改革", "substring_count_before"] == 0
    assert rows.loc["毛泽东思想", "direction"] == "fall"
    docs = tr.documents
    han_before = int(docs[docs["year"] < 2000]["han_chars"].sum())
    before = int(tr.series[(tr.series["term"] == "毛泽东思想") & (tr.series["year"] < 2000)]["substring_count"].sum())
    assert rows.loc["毛泽东思想", "substring_count_before"] == before > 0
    assert rows.loc["毛泽东思想", "per_10k_before"] == round(before * 10_000 / han_before, 2)
    assert moves["g2"].is_monotonic_decreasing
    same = risers_fallers(tr, (1900, 1999), (2000, 2030), min_count=3)
    assert same.equals(moves)


def test_first_appearances_list_each_term_once_in_its_first_year(three_reports):
    tr = track(three_reports, ["阶级斗争", "供给侧结构性改革", "改革开放", "没有的词"], cache=False, progress=False)
    first = first_appearances(tr)
    assert list(first.columns) == FIRST_COLUMNS
    years = {t: {int(y) for y in tr.series[(tr.series["term"] == t) & (tr.series["substring_count"] > 0)]["year"]}
             for t in tr.terms}
    assert dict(zip(first["term"], first["year"])) == {t: min(ys) for t, ys in years.items() if ys}
    assert dict(zip(first["term"], first["year"]))["阶级斗争"] == 1964
    assert "没有的词" not in set(first["term"]) and first["term"].is_unique


def test_passages_have_as_many_rows_as_the_count_and_name_document_date_paragraph_section(three_reports):
    tr = track(three_reports, ["阶级斗争"], cache=False, progress=False)
    hits = passages(tr, "阶级斗争", 1964)
    assert list(hits.columns) == PASSAGE_COLUMNS
    n = int(tr.series[(tr.series["year"] == 1964)]["substring_count"].sum())
    assert len(hits) == n > 0
    assert set(hits["date"]) == {"1964"} and (hits["hit"] == "阶级斗争").all()
    assert (hits["paragraph"] >= 1).all() and hits["section_label"].map(bool).any()
    every = passages(tr, "阶级斗争")
    assert len(every) == int(tr.series["substring_count"].sum())
    assert passages(tr, "阶级斗争", 2016).empty
    with pytest.raises(SpeechError):
        passages(tr, " ")


def test_no_document_in_a_period_gives_an_empty_table():
    s = pd.DataFrame({"term": ["甲"], "id": ["a"], "date": ["1990"], "year": [1990], "substring_count": [3],
                      "per_10k": [3.0]})
    docs = pd.DataFrame({"id": ["a"], "date": ["1990"], "year": [1990], "title": [""], "han_chars": [10_000]})
    from analysis_utils.watchwords import Track

    tr = Track(s, s.iloc[:0], s.iloc[:0], docs, s.iloc[:0], ("甲",), None)
    assert risers_fallers(tr, 2000).empty
