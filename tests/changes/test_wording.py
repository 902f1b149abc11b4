"""Formulations counted as substring counts; terms by keyness; a template's placeholders filled."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis_utils import load_speech, substring_counts
from analysis_utils.changes import diff

from .helpers import gwr


def test_formulation_counts_equal_substring_counts(corpus_dir):
    old, new = gwr(corpus_dir, 2021), gwr(corpus_dir, 2022)
    f = diff(old, new, terms=False).formulations
    assert len(f) > 100
    by_api = substring_counts(new, f["term"]).set_index("term")["substring_count"]
    for term, a, b, change in zip(f["term"], f["substring_count_old"], f["substring_count_new"], f["change"]):
        assert (a, b) == (old.body.count(term), new.body.count(term)), term
        assert by_api[term] == b
        assert change == ("new" if a == 0 else "dropped" if b == 0 else "up" if b > a else "down" if b < a else "same")
    row = f.set_index("term").loc["三孩生育政策"]
    assert row["change"] == "new" and "三孩生育政策" in row["passage_new"] and pd.isna(row["passage_old"])


@pytest.mark.slow
def test_terms_rise_and_fall(corpus_dir, tokenizer):
    d = diff(gwr(corpus_dir, 2021), gwr(corpus_dir, 2022), tokenizer=tokenizer)
    t = d.terms
    assert set(t["change"]) == {"up", "down"} and (t["p"] < 0.05).all()
    up = t[t["change"] == "up"]
    assert (up["per_10k_new"] > up["per_10k_old"]).all()
    assert d.summary["terms_up"][0] == up["term"].iloc[0]


def test_template_placeholders_say_what_they_became(seed_path, tmp_path):
    raw = seed_path.read_text(encoding="utf-8")
    fills: list[str] = []

    def fill(m: re.Match) -> str:
        fills.append(f"《红色足迹{len(fills)}》"[1:-1] if m.group() == "×××" else str(len(fills) + 3))
        return fills[-1]

    filled = re.sub("×××|×", fill, raw)
    path = tmp_path / "filled.txt"
    path.write_text(filled, encoding="utf-8")
    seed = load_speech(seed_path)
    p = diff(seed, path, terms=False).placeholders
    assert len(p) == len(seed.placeholders) == len(fills)
    assert p["became"].tolist() == fills
    assert (p["status"] == "filled").all()
    new = load_speech(path)
    assert all(new.body[a:b] == t for a, b, t in zip(p["new_start"], p["new_end"], p["became"]))


def test_unfilled_placeholders_stay(seed_path):
    p = diff(seed_path, seed_path, terms=False).placeholders
    assert (p["status"] == "unfilled").all() and (p["became"] == p["placeholder"]).all()
