"""track(): counts equal str.count on the cleaned bodies, first/last/peak right, undated documents kept,
the same numbers whether the corpus is a folder, a CSV or a JSONL."""
from __future__ import annotations

import csv
import json
import time

import pytest

from analysis_utils import Corpus, SpeechError
from analysis_utils.watchwords import SERIES_COLUMNS, SUMMARY_COLUMNS, by_year, track

TWELVE = ["小康", "阶级斗争", "高质量发展", "改革开放", "社会主义市场经济", "人民公社", "全面建成小康社会", "新时代",
          "供给侧结构性改革", "以经济建设为中心", "无产阶级专政", "科学发展观"]


@pytest.fixture(scope="module")
def gwr_jsonl(corpus_dir):
    path = corpus_dir / "wikisource" / "government_work_reports.jsonl"
    if not path.is_file():
        pytest.skip("the Government Work Reports JSONL is not in the development corpus")
    return path


@pytest.fixture(scope="module")
def gwr_track(gwr_jsonl):
    return track(gwr_jsonl, TWELVE, progress=False)


@pytest.fixture(scope="module")
def bodies(gwr_jsonl):
    """id → (year, cleaned body) of every report, loaded by the plain loader (no cache)."""
    return {item.id: (speech.meta.date[:4], speech.body) for item, speech in Corpus(gwr_jsonl).speeches()}


@pytest.mark.slow
def test_counts_equal_str_count_on_the_cleaned_bodies_for_every_report(gwr_track, bodies):
    s = gwr_track.series
    assert list(s.columns) == SERIES_COLUMNS and len(gwr_track.undated) == 0
    assert len(s) == len(TWELVE) * len(bodies) == 12 * 46
    for row in s.itertuples(index=False):
        year, body = bodies[row.id]
        assert row.substring_count == body.count(row.term), (row.term, row.id)
        assert str(row.year) == year
    # what a reader checks: the licence block (本作品…公有领域) and wiki line breaks never reach the counts
    assert all("Public domain" not in b and "公有领域" not in b for _, b in bodies.values())


@pytest.mark.slow
def test_first_last_and_peak_are_read_off_the_dated_reports(gwr_track, bodies):
    summary = gwr_track.summary.set_index("term")
    assert list(gwr_track.summary.columns) == SUMMARY_COLUMNS
    for term in TWELVE:
        years = sorted(int(y) for y, b in bodies.values() if term in b)
        row = summary.loc[term]
        assert row["count"] == "substring_count"
        assert row["total"] == sum(b.count(term) for _, b in bodies.values())
        assert row["documents"] == len(years)
        if years:
            assert (int(row["first"][:4]), int(row["last"][:4])) == (years[0], years[-1]), term
    assert summary.loc["高质量发展", "first"].startswith("2021")  # first in 2018, a report this set lacks
    assert (summary.loc["阶级斗争", "first"], summary.loc["阶级斗争", "last"]) == ("1955", "1986")
    assert summary.loc["人民公社", "last"] == "1979"
    peak = gwr_track.series[gwr_track.series["term"] == "人民公社"].sort_values("per_10k").iloc[-1]
    assert summary.loc["人民公社", "peak_date"] == peak["date"] and summary.loc["人民公社", "peak_per_10k"] == peak["per_10k"]


@pytest.mark.slow
def test_a_rerun_reads_the_cache_and_gives_the_same_tables(gwr_jsonl, gwr_track):
    start = time.perf_counter()
    again = track(gwr_jsonl, TWELVE, progress=False)
    assert time.perf_counter() - start < 10
    assert again.series.equals(gwr_track.series) and again.summary.equals(gwr_track.summary)


def _rows(gwr_jsonl, years):
    out = []
    for line in gwr_jsonl.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["year"] in years:
            out.append(row)
    return out


@pytest.mark.slow
def test_folder_csv_and_jsonl_give_the_same_counts(gwr_jsonl, tmp_path):
    rows = _rows(gwr_jsonl, {"1964", "1986", "2016"})
    jsonl = tmp_path / "reports.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    table = tmp_path / "reports.csv"
    with table.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["Year", "Title", "Content"])
        w.writeheader()
        w.writerows({"Year": r["year"], "Title": r["title"], "Content": r["content"]} for r in rows)
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    for n, r in enumerate(rows):  # the date only in the file name; one report in a sub-folder
        where = folder / "sub" if n == 0 else folder
        (where / f"{n:03d}_{r['year']}-03-05.txt").write_text(r["content"], encoding="utf-8")
    terms = ["阶级斗争", "小康", "供给侧结构性改革"]
    results = [track(src, terms, cache=False, progress=False) for src in (jsonl, table, folder)]
    shapes = [r.series.groupby(["term", "year"])["substring_count"].sum().to_dict() for r in results]
    assert shapes[0] == shapes[1] == shapes[2]
    assert shapes[0][("阶级斗争", 1964)] > 0 and shapes[0][("供给侧结构性改革", 2016)] > 0
    assert all(len(r.undated) == 0 for r in results)
    summaries = [r.summary.set_index("term")["total"].to_dict() for r in results]
    assert summaries[0] == summaries[1] == summaries[2]


def test_undated_documents_are_listed_apart_and_counted_in_the_total(seed_path, tmp_path):
    text = seed_path.read_text(encoding="utf-8")
    (tmp_path / "001_2019-06-30.txt").write_text(text, encoding="utf-8")
    (tmp_path / "讲话.txt").write_text(text.replace("党建", "党的建设", 3), encoding="utf-8")  # no date anywhere
    assert track(tmp_path, ["党建"], cache=False, progress=False).dropped == ("讲话",)  # the same speech twice: named
    tr = track(tmp_path, ["党建"], cache=False, progress=False, duplicates="keep")
    assert tr.series[["id", "date", "substring_count"]].values.tolist() == [["001_2019-06-30", "2019-06-30", 15]]
    assert tr.undated[["id", "date", "substring_count"]].values.tolist() == [["讲话", "", 12]]
    row = tr.summary.iloc[0]
    assert (row["total"], row["documents"], row["undated_total"], row["first"], row["last"]) == (27, 2, 12, "2019-06-30",
                                                                                                "2019-06-30")
    assert set(tr.documents["id"]) == {"001_2019-06-30", "讲话"}
    assert by_year(tr)["substring_count"].tolist() == [15]
    assert json.loads(tr.to_json())["undated"][0]["id"] == "讲话"


def test_bad_input_is_one_line_naming_the_file(tmp_path, seed_path):
    with pytest.raises(SpeechError, match="no such file"):
        track(tmp_path / "missing.jsonl", ["小康"], cache=False, progress=False)
    with pytest.raises(SpeechError, match="term cannot be empty"):
        track([seed_path], ["小康", " "], cache=False, progress=False)
    with pytest.raises(SpeechError, match="no term to track"):
        track([seed_path], [], cache=False, progress=False)
    bad = tmp_path / "t.jsonl"
    bad.write_text('{"year": "2000"}\n', encoding="utf-8")
    with pytest.raises(SpeechError, match="line 1"):
        track(bad, ["小康"], cache=False, progress=False)


def test_the_same_text_under_two_dated_names_gets_each_name_s_date(seed_path, tmp_path):
    """The per-document cache is keyed by the text only: a date from a file name must not travel with it."""
    text = seed_path.read_text(encoding="utf-8")
    for name in ("a/001_2019-06-30.txt", "b/002_2021-01-05.txt"):
        (tmp_path / name).parent.mkdir()
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert track(tmp_path / "a", ["党建"], progress=False).series["date"].tolist() == ["2019-06-30"]
    assert track(tmp_path / "b", ["党建"], progress=False).series["date"].tolist() == ["2021-01-05"]  # cache on
    assert track(seed_path, ["党建"], progress=False).undated["id"].tolist() == ["party_building_conference_speech"]
