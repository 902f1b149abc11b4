"""One counting contract (issue 15): the same term, scope and count give the same number in every output.

`python -m analysis_utils run` (a real process) runs every notebook on the seed, the 2022 Government
Work Report and the 20th Party Congress report; the exported CSVs and the `count` and `terms`
commands (processes too) must then agree:

* token count: 02_term_frequency = the sum over sections of 02_section_heatmap = 04_wordcloud_terms;
* substring count: the 02_kwic rows of a term = `count`; 05_term_rates per part = the part's span;
* formulation count: 03_lexicon_formulations = `count`; 03_slogans_by_section summed = the 03 tables;
* `terms` lists 党 for a Party Congress report.
"""
from __future__ import annotations

import ast
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import analysis_utils
from analysis_utils import load_speech
from analysis_utils.text import count_han

SRC = Path(analysis_utils.__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # one `run` of 15 notebooks (about a minute on two cores), then a few commands
SPEECHES = ("party_building_conference_speech", "gwr_2022_crlf", "cpc20_report")


def _cli(*args, timeout: float = 900) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    p = subprocess.run([sys.executable, "-m", "analysis_utils", *map(str, args)], capture_output=True, text=True,
                       timeout=timeout, env=env)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture(scope="module")
def paths(seed_path, corpus_dir) -> dict[str, Path]:
    return {"party_building_conference_speech": seed_path, "gwr_2022_crlf": corpus_dir / "gwr_2022_crlf.txt",
            "cpc20_report": corpus_dir / "cpc20_report.txt"}


@pytest.fixture(scope="module")
def figures(tmp_path_factory, paths) -> Path:
    out = tmp_path_factory.mktemp("contract")
    code, _, err = _cli("run", *paths.values(), "--out", out, timeout=1800)
    assert code == 0, err[-2000:]
    return out


def _csv(figures: Path, sid: str, name: str) -> pd.DataFrame:
    return pd.read_csv(figures / sid / f"{name}.csv", encoding="utf-8-sig", keep_default_na=False)


def _substring_counts(path: Path, terms) -> dict[str, int]:
    """The `count` command (a process of its own) for ``terms``."""
    code, out, err = _cli("count", path, *terms, "--format", "csv")
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert list(table.columns) == ["term", "substring_count", "per_10k"]
    return dict(zip(table["term"].astype(str), table["substring_count"]))


@pytest.mark.parametrize("sid", SPEECHES)
def test_token_counts_agree_in_the_table_the_heatmap_and_the_cloud(figures, paths, sid):
    freq = _csv(figures, sid, "02_term_frequency").set_index("term")["token_count"]
    heat = _csv(figures, sid, "02_section_heatmap")
    assert list(heat.columns) == ["section", "label", "term", "token_count", "per_10k", "han_chars"]
    sizes = heat.drop_duplicates("section")["han_chars"]
    assert sizes.sum() == load_speech(paths[sid]).han_chars  # the sections cover the body
    by_term = heat.groupby("term", sort=False)["token_count"].sum()
    assert len(by_term) >= 10
    assert {t: int(n) for t, n in by_term.items()} == {t: int(freq[t]) for t in by_term.index}
    cloud = _csv(figures, sid, "04_wordcloud_terms")
    assert len(cloud) >= 20
    assert {t: int(n) for t, n in zip(cloud["term"], cloud["token_count"])} == {t: int(freq[t]) for t in cloud["term"]}


@pytest.mark.parametrize("sid", SPEECHES)
def test_kwic_rows_and_lexicon_formulations_equal_the_count_command(figures, paths, sid):
    kwic = _csv(figures, sid, "02_kwic")
    lex = _csv(figures, sid, "03_lexicon_formulations")
    assert len(lex) and "formulation_count" in lex.columns
    counted = _substring_counts(paths[sid], list(dict.fromkeys([*kwic["term"], *lex["slogan"]])))
    assert kwic.groupby("term").size().to_dict() == {t: counted[t] for t in set(kwic["term"])}
    assert dict(zip(lex["slogan"], lex["formulation_count"])) == {s: counted[s] for s in lex["slogan"]}


@pytest.mark.parametrize("sid", SPEECHES)
def test_slogans_by_section_add_up_to_the_slogan_tables(figures, sid):
    by = _csv(figures, sid, "03_slogans_by_section")
    num = _csv(figures, sid, "03_number_slogans")
    lex = _csv(figures, sid, "03_lexicon_formulations")
    assert len(by)
    num_at = {s: set(ast.literal_eval(p)) for s, p in zip(num["slogan"], num["positions"])}
    # the heatmap counts each occurrence once: a lexicon phrase found as a number slogan at the same place is the number slogan's
    expected = {(s, "number"): int(n) for s, n in zip(num["slogan"], num["formulation_count"])}
    for s, p in zip(lex["slogan"], lex["positions"]):
        expected[(s, "lexicon")] = len(set(ast.literal_eval(p)) - num_at.get(s, set()))
    summed = by.groupby(["slogan", "kind"])["formulation_count"].sum()
    assert {k: int(v) for k, v in summed.items()} == {k: expected[k] for k in summed.index}
    assert {(s, "number") for s in num["slogan"]} & set(summed.index)


@pytest.mark.parametrize("sid", SPEECHES)
def test_term_rates_of_05_are_the_substring_counts_of_the_parts_of_02_and_03(figures, paths, sid):
    body = load_speech(paths[sid]).body
    outline = _csv(figures, sid, "01_outline")
    top = outline[(outline["parent"] == "") & outline["kind"].isin(["section", "part"])]
    spans = [(int(s), int(e)) for s, e in zip(top["start"], top["end"])]
    units = _csv(figures, sid, "05_units")
    assert len(units) == len(spans) >= 2  # the same parts as the outline's numbered sections (and unnumbered part)
    assert units["han_chars"].tolist() == [count_han(body[s:e]) for s, e in spans]
    heat = _csv(figures, sid, "02_section_heatmap").drop_duplicates("section")
    numbered = heat[~heat["label"].str.startswith(("开头", "结尾"))]
    assert numbered["han_chars"].tolist() == units["han_chars"].tolist()  # 02's sections are 05's parts
    rates = _csv(figures, sid, "05_term_rates")
    assert "substring_count" in rates.columns and len(rates)
    span_of = dict(zip(units["unit"], spans))
    for unit, term, n in zip(rates["unit"], rates["term"].astype(str), rates["substring_count"]):
        s, e = span_of[unit]
        assert n == body[s:e].count(term), (unit, term)


def test_terms_lists_dang_for_a_party_congress_report(figures, paths):
    code, out, err = _cli("terms", paths["cpc20_report"], "--top", "30", "--format", "csv")
    assert code == 0, err
    terms = pd.read_csv(io.StringIO(out), keep_default_na=False).set_index("term")["token_count"]
    assert "党" in terms.index and terms["党"] >= 40  # 49 times a word of its own (most 党 sit in 党的, 全党 …)
    assert _csv(figures, "cpc20_report", "02_term_frequency").set_index("term").at["党", "token_count"] == terms["党"]
