"""stats/keywords.py: keyness and its measures."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis_utils import load_stopwords
from analysis_utils.stats import TermFilter, chi2_p, keyness, log_likelihood, log_ratio


# ------------------------------------------------------------------------ keyness
def test_keyness_seed_against_shipped_reference(seed_tokens, seed_speech, tokenizer):
    key = keyness(seed_tokens, speech=seed_speech, tokenizer=tokenizer)
    assert list(key.columns) == ["term", "count_target", "count_reference", "per_10k_target",
                                 "per_10k_reference", "g2", "log_ratio", "p", "direction"]
    top = key[key["direction"] == "target"].head(30)["term"].tolist()
    assert {"组织", "党建", "干部", "基层", "党员"} <= set(top)
    assert key["g2"].is_monotonic_decreasing
    assert ((key["g2"] > 0) == (key["direction"] == "target")).all()
    assert not set(key["term"]) & load_stopwords()
    assert (key["p"].between(0, 1)).all()


def test_keyness_against_a_speech_and_a_folder(seed_tokens, seed_speech, tokenizer, cpc20, tmp_path):
    by_speech = keyness(seed_tokens, cpc20, speech=seed_speech, tokenizer=tokenizer)
    assert by_speech.iloc[0]["direction"] == "target"
    (tmp_path / "a.txt").write_text(cpc20.raw, encoding="utf-8")
    by_folder = keyness(seed_tokens, tmp_path, speech=seed_speech, tokenizer=tokenizer)
    pd.testing.assert_frame_equal(by_speech, by_folder)
    by_tokens = keyness(seed_tokens, tokenizer.tokens(cpc20), speech=seed_speech, tokenizer=tokenizer)
    assert by_tokens["g2"].tolist() == by_speech["g2"].tolist()


def test_keyness_takes_the_target_out_of_the_reference(gwr, tokenizer):
    tokens = tokenizer.tokens(gwr)
    # the general list holds this very text (by fingerprint) and no other GWR
    auto = keyness(tokens, "general", speech=gwr, tokenizer=tokenizer).set_index("term")
    kept = keyness(tokens, "general", speech=gwr, tokenizer=tokenizer, subtract_target=False).set_index("term")
    # 退税 occurs only in the GWR: once its own counts are out, the reference has none
    assert auto.loc["退税", "count_reference"] == 0
    assert kept.loc["退税", "count_reference"] == auto.loc["退税", "count_target"]
    assert auto.loc["就业", "g2"] > kept.loc["就业", "g2"]


@pytest.mark.parametrize("a, b, c, d, g2", [
    (10, 10, 1000, 10000, 22.14),   # by hand: E1 = 1.818, E2 = 18.18, 2(10 ln 5.5 + 10 ln 0.55)
    (10, 100, 1000, 10000, 0.0),    # same relative frequency
    (0, 50, 1000, 10000, -9.53),
])
def test_log_likelihood(a, b, c, d, g2):
    assert log_likelihood(a, b, c, d) == pytest.approx(g2, abs=0.01)


@pytest.mark.parametrize("a, b, c, d, lr", [(10, 10, 1000, 10000, math.log2(10)), (20, 10, 1000, 1000, 1.0),
                                            (0, 4, 1000, 1000, -3.0)])
def test_log_ratio(a, b, c, d, lr):
    assert log_ratio(a, b, c, d) == pytest.approx(lr)


def test_chi2_p():
    assert chi2_p(3.841) == pytest.approx(0.05, abs=1e-3)
    assert chi2_p(10.828) == pytest.approx(0.001, abs=1e-4)


def test_keyness_takes_a_term_filter(seed_tokens, seed_speech, tokenizer):
    tf = TermFilter(pos=("n", "v"), exclude=("工作",), include=("我们",))
    by_filter = keyness(seed_tokens, speech=seed_speech, tokenizer=tokenizer, term_filter=tf)
    pd.testing.assert_frame_equal(by_filter, keyness(seed_tokens, speech=seed_speech, tokenizer=tokenizer,
                                                     pos=["n", "v"], exclude=["工作"], include=["我们"]))
    assert "工作" not in set(by_filter["term"]) and "我们" in set(by_filter["term"])
    with pytest.raises(ValueError, match="not both"):
        keyness(seed_tokens, speech=seed_speech, tokenizer=tokenizer, term_filter=tf, min_len=1)
