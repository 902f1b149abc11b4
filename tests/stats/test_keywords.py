"""stats/keywords.py: keyness and its measures."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis_utils import load_stopwords
from analysis_utils.stats import TermFilter, chi2_p, keyness, load_reference_frequencies, log_likelihood, log_ratio


# ------------------------------------------------------------------------ keyness
def test_keyness_seed_against_shipped_reference(seed_tokens, seed_speech, tokenizer):
    key = keyness(seed_tokens, speech=seed_speech, tokenizer=tokenizer)
    assert list(key.columns) == ["term", "token_count_target", "token_count_reference", "per_10k_target",
                                 "per_10k_reference", "g2", "log_ratio", "p", "direction", "reference"]
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
    # the same numbers; the reference column names each reference as given (the speech's file, the folder's file)
    pd.testing.assert_frame_equal(by_speech.drop(columns="reference"), by_folder.drop(columns="reference"))
    assert set(by_speech["reference"]) == {by_speech.attrs["reference"]} and set(by_folder["reference"]) == {by_folder.attrs["reference"]}
    by_tokens = keyness(seed_tokens, tokenizer.tokens(cpc20), speech=seed_speech, tokenizer=tokenizer)
    assert by_tokens["g2"].tolist() == by_speech["g2"].tolist()


def test_keyness_takes_the_target_out_of_the_reference(gwr, tokenizer):
    tokens = tokenizer.tokens(gwr)
    # the general list holds this very text (by fingerprint) and no other GWR
    auto = keyness(tokens, "general", speech=gwr, tokenizer=tokenizer).set_index("term")
    kept = keyness(tokens, "general", speech=gwr, tokenizer=tokenizer, subtract_target=False).set_index("term")
    # 退税 occurs only in the GWR: once its own counts are out, the reference has none
    assert auto.loc["退税", "token_count_reference"] == 0
    assert kept.loc["退税", "token_count_reference"] == auto.loc["退税", "token_count_target"]
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


# ------------------------------------------------------------ the reference by genre (issue 15)
def test_keyness_picks_the_reference_of_the_speech_genre(seed_tokens, seed_speech, gwr, cpc20, tokenizer):
    seed = keyness(seed_tokens, speech=seed_speech, tokenizer=tokenizer)
    assert seed.attrs["reference"] == "领导人讲话 2013–2016（83 篇）· leaders' speeches 2013–2016 (83 texts)"
    assert seed.attrs["reference_genre"] == "speeches" and not seed.attrs["target_in_reference"]
    report = keyness(tokenizer.tokens(cpc20), speech=cpc20, tokenizer=tokenizer)
    assert report.attrs["reference"].startswith("党代会报告 1921–2022（12 篇）· Party Congress reports 1921–2022")
    # the 20th Congress report is one of the reference's texts: taken out, and the label says so
    assert report.attrs["target_in_reference"] and report.attrs["reference"].endswith("不含本讲话 · this speech left out")
    assert report.attrs["reference_years"] == (1921, 2022) and report.attrs["target_year"] == 2022
    work = keyness(tokenizer.tokens(gwr), speech=gwr, tokenizer=tokenizer)
    assert work.attrs["reference_genre"] == "gwr" and work.attrs["target_in_reference"]
    # 退税 (tax rebates) is in this report and in a few others: only the others are left in the reference
    own = int((tokenizer.tokens(gwr)["token"] == "退税").sum())
    ref = load_reference_frequencies("gwr")
    assert work.set_index("term").loc["退税", "token_count_reference"] == ref.counts["退税"] - own


@pytest.mark.parametrize("name", ["gwr", "congress", "speeches", "general"])
def test_keyness_against_each_shipped_list(name, cpc20, tokenizer):
    tokens = tokenizer.tokens(cpc20)
    ref = load_reference_frequencies(name)
    key = keyness(tokens, name, speech=cpc20, tokenizer=tokenizer)
    assert key.attrs["reference_genre"] == name and key.attrs["reference"].startswith(ref.label)
    assert key["g2"].is_monotonic_decreasing and ((key["g2"] > 0) == (key["direction"] == "target")).all()
    top = key.head(40)["term"].tolist()
    assert "新时代" in top or name == "speeches"   # 新时代 is the 20th report's word, against any older reference
    assert key.attrs["target_in_reference"] == (name in ("congress", "general"))


def _row_file(corpus_dir, year, tmp_path, chars=None):
    """A Wikisource report written as the file a user would have (its bytes as published;
    only its first ``chars`` characters when given: the 1954 report takes 15 s to tag whole)."""
    import json

    for line in (corpus_dir / "wikisource" / "government_work_reports.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        if row["year"] == str(year):
            path = tmp_path / f"{year}年政府工作报告.txt"
            path.write_text(row["content"][:chars], encoding="utf-8")
            return path
    raise AssertionError(year)


def test_keyness_warns_when_the_reference_years_miss_the_speech(corpus_dir, tmp_path, tokenizer):
    import warnings

    from analysis_utils import load_speech
    from analysis_utils.stats import ReferenceYearsWarning

    report = load_speech(_row_file(corpus_dir, 1954, tmp_path, chars=1500))  # traditional characters, no title block
    tokens = tokenizer.tokens(report)
    with pytest.warns(ReferenceYearsWarning) as caught:
        key = keyness(tokens, "speeches", speech=report, tokenizer=tokenizer)
    message = str(caught[0].message)
    assert "\n" not in message and "1954年政府工作报告.txt" in message and "2013–2016" in message and "1954" in message
    assert key.attrs["target_year"] == 1954 and key.attrs["reference_years"] == (2013, 2016)
    with pytest.warns(ReferenceYearsWarning):
        keyness(tokens, "general", speech=report, tokenizer=tokenizer)
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # its own genre's list covers 1954: no warning
        own = keyness(tokens, speech=report, tokenizer=tokenizer)
        # a date given for a text that states none is the one checked
        dated = keyness(tokens, "speeches", speech=report, tokenizer=tokenizer, date="2015-03-05")
    assert own.attrs["reference_genre"] == "gwr" and own.attrs["reference_years"] == (1954, 2022)
    assert dated.attrs["target_year"] == 2015


@pytest.mark.slow
def test_keyness_leaves_the_whole_1954_report_out_of_its_reference(corpus_dir, tmp_path, tokenizer):
    from analysis_utils import load_speech

    report = load_speech(_row_file(corpus_dir, 1954, tmp_path))
    key = keyness(tokenizer.tokens(report), speech=report, tokenizer=tokenizer)
    assert key.attrs["target_in_reference"] and key.attrs["reference"].endswith("this speech left out")
