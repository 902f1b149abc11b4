"""stats/context.py: hits, KWIC, dispersion."""
from __future__ import annotations

import pytest

from analysis_utils import SpeechError
from analysis_utils.stats import dispersion, kwic, substring_counts


# ---------------------------------------------------------------------------- KWIC
def test_kwic_rows_equal_substring_count(gwr):
    lines = kwic(gwr, "稳", window=10)
    assert len(lines) == 78
    assert (lines["hit"] == "稳").all()
    assert all(gwr.body[s:e] == "稳" for s, e in zip(lines["start"], lines["end"]))
    assert lines["left"].str.len().max() <= 10 and lines["right"].str.len().max() <= 10
    assert lines["start"].is_monotonic_increasing
    assert set(lines["section_label"]) >= {"一、2021年工作回顾", "三、2022年政府工作任务"}


def test_kwic_columns_and_context(seed_speech):
    lines = kwic(seed_speech, ["三会一课", "基层党建"], window=6)
    assert list(lines.columns) == ["term", "left", "hit", "right", "start", "end", "paragraph", "sentence",
                                   "section", "section_label"]
    row = lines[lines["term"] == "三会一课"].iloc[0]
    assert row["left"].endswith("进一步把“") and row["right"].startswith("”")
    assert row["section_label"].startswith("二、")
    assert not lines["left"].str.contains("\n").any()


@pytest.mark.parametrize("term", ["", "   "])
def test_kwic_bad_term(seed_speech, term):
    with pytest.raises(SpeechError):
        kwic(seed_speech, term)


# ----------------------------------------------------------------------- dispersion
def test_dispersion(seed_speech, seed_tokens, seed_freq):
    d = dispersion(seed_speech, ["干部", "人才", "不存在"])
    assert list(d.columns) == ["term", "start", "offset", "paragraph", "section"]
    assert d["offset"].between(0, 1).all()
    assert d.groupby("term").size().to_dict() == substring_counts(seed_speech, ["干部", "人才"]).set_index("term")["substring_count"].to_dict()
    by_tokens = dispersion(seed_speech, ["干部"], tokens=seed_tokens)
    assert len(by_tokens) == seed_freq.set_index("term").loc["干部", "token_count"]
    # 人才 is a theme of the second half (section 二's 引才 paragraph)
    assert d.loc[d.term == "人才", "offset"].median() > 0.5
