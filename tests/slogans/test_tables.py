"""Slogan tables across kinds and speeches (analysis_utils.slogans.tables), and the ``slogans`` command."""
from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest

from analysis_utils import sections
from analysis_utils.cli import main
from analysis_utils.slogans import (
    COUNT_COLUMNS,
    KINDS,
    combine_hits,
    evaluate_against,
    lexicon_hits,
    number_slogans,
    slogan_counts,
    slogan_matrix,
    slogans_by_section,
)

from .helpers import composed, gold


def test_slogan_counts_columns_and_order(seed_speech):
    c = slogan_counts(seed_speech, kinds=["number", "title"])
    assert list(c.columns) == COUNT_COLUMNS
    assert list(dict.fromkeys(c.kind)) == ["number", "title"]
    num = c[c.kind == "number"]
    assert list(num["formulation_count"]) == sorted(num["formulation_count"], reverse=True)
    row = num[num.slogan == "十件实事"].iloc[0]
    assert row["formulation_count"] == 2 and row.sections == [1, 2] and len(row.positions) == 2

def test_slogan_matrix_and_sections(seed_speech, corpus_dir):
    m = slogan_matrix([seed_speech, corpus_dir / "xi_2015_county_secretaries.txt"], kinds="number")
    assert list(m.columns[:4]) == ["slogan", "kind", "formulation_count", "speeches"]
    row = m[m.slogan == "三严三实"].iloc[0]
    assert row.formulation_count == 1 and row.speeches == 1 and row["xi_2015_county_secretaries"] == 1
    over = combine_hits(number_slogans(seed_speech), lexicon_hits(seed_speech))
    assert (over.slogan == "一征三议两公开").sum() == 1  # found by both, counted once
    by = slogans_by_section(seed_speech, over, top=5)
    assert set(by.columns) == {"slogan", "kind", "section", "label", "formulation_count"}
    assert by.groupby("slogan")["formulation_count"].sum().max() >= 2


def test_odd_text_never_crashes():
    s = composed("“”《》‘’「」一二三四五六七八九十两双百千万、，。；：！？" * 3)
    for k in KINDS:
        assert isinstance(slogan_counts(s, kinds=k), pd.DataFrame)


def test_slogans_by_section_top_n_and_its_deprecated_alias(seed_speech):
    hits = number_slogans(seed_speech)
    by = slogans_by_section(seed_speech, hits, top_n=3)
    assert by.slogan.nunique() == 3 and len(by) == 3 * len(sections(seed_speech))
    pd.testing.assert_frame_equal(by, slogans_by_section(seed_speech, hits, top=3))
    pd.testing.assert_frame_equal(by, slogans_by_section(seed_speech, hits, top_n=3, sections=sections(seed_speech)))
    with pytest.raises(ValueError, match="top_n"):
        slogans_by_section(seed_speech, hits, top_n=3, top=4)


def test_evaluate_against_counts_occurrences():
    r = evaluate_against({"四风": 3, "十九大": 1}, {"四风": 2, "八项规定": 2})
    assert r == {"tp": 2, "found": 4, "gold": 4, "precision": 0.5, "recall": 0.5}


# ----------------------------------------------------------------------------- CLI
def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_cli_slogans_csv_and_json(seed_path):
    code, out, _ = run("slogans", seed_path, "--kind", "number", "--format", "csv")
    df = pd.read_csv(io.StringIO(out))
    assert code == 0 and list(df.columns[:3]) == ["slogan", "kind", "formulation_count"]
    assert dict(zip(df.slogan, df["formulation_count"])) == gold()[seed_path.name]
    code, out, _ = run("slogans", seed_path, "--kind", "parallel", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {"往…里走", "学出…", "树牢…的导向"} <= {r["slogan"] for r in rows}


def test_cli_slogans_folder_gives_a_slogan_by_speech_table(corpus_dir):
    code, out, _ = run("slogans", corpus_dir, "--kind", "number", "--format", "csv")
    df = pd.read_csv(io.StringIO(out))
    assert code == 0 and {"cpc20_report", "gwr_2022_crlf", "xi_2015_county_secretaries"} <= set(df.columns)
    assert df.set_index("slogan").loc["十四五", ["cpc20_report", "gwr_2022_crlf"]].tolist() == [1, 5]


def test_cli_slogans_missing(seed_path):
    code, out, _ = run("slogans", seed_path, "--missing", "--format", "csv")
    assert code == 0 and "一带一路" in out


@pytest.mark.parametrize("args", [("slogans", "no_such_file.txt"), ("slogans", "no_such_file.txt", "--kind", "title")])
def test_cli_slogans_bad_input_is_one_line_exit_2(args):
    code, out, err = run(*args)
    assert code == 2 and out == "" and err.count("\n") == 1 and "no_such_file.txt" in err


def test_cli_slogans_empty_folder(tmp_path):
    code, _, err = run("slogans", tmp_path)
    assert code == 2 and err.count("\n") == 1


# ------------------------------------------------- issue 15: formulation count = substring count
def _wikisource_records(corpus_dir, tmp_path, n=2) -> list:
    paths = []
    for name in ("government_work_reports", "cpc_congress_reports"):
        lines = (corpus_dir / "wikisource" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        for i in (0, len(lines) - 1)[:n]:
            rec = json.loads(lines[i])
            path = tmp_path / f"{name[:3]}_{i:02d}.txt"
            path.write_text(rec["content"], encoding="utf-8")
            paths.append(path)
    return paths


@pytest.mark.slow
def test_cli_lexicon_counts_equal_count_for_every_formulation(seed_path, corpus_dir, tmp_path):
    """`slogans --kind lexicon` gives every formulation the number `count FILE TERM` gives (nested included)."""
    files = [seed_path, corpus_dir / "cpc20_report.txt", corpus_dir / "gwr_2022_crlf.txt",
             *_wikisource_records(corpus_dir, tmp_path)]
    nested = 0
    for path in files:
        code, out, err = run("slogans", path, "--kind", "lexicon", "--format", "csv")
        assert code == 0 and "formulation count = substring count (overlap=all" in err, err
        lex = pd.read_csv(io.StringIO(out)) if out.strip() else pd.DataFrame({"slogan": [], "formulation_count": []})
        if lex.empty:  # an early record without any formulation of the lexicon
            continue
        code, out, _ = run("count", path, *lex.slogan, "--format", "csv")
        sub = pd.read_csv(io.StringIO(out))
        assert code == 0 and dict(zip(lex.slogan, lex["formulation_count"])) == dict(zip(sub.term, sub["substring_count"])), path.name
        nested += sum(1 for a in lex.slogan for b in lex.slogan if a != b and a in b)
    assert nested  # 五位一体 in 五位一体总体布局, 十九大 in 党的十九大 …: nested phrases were in the test
    code, out, err = run("slogans", seed_path, "--kind", "lexicon", "--overlap", "longest", "--format", "csv")
    assert code == 0 and "overlap=longest" in err
