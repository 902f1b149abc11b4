"""The term tables of word clouds: formulations marked, two speeches compared, a speech cut in two."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis_utils import comparison_terms, frequency_by_half, split_in_two, term_frequency, textstat_comparison
from analysis_utils.plots.cloudterms import term_table


@pytest.mark.parametrize("term, origin, category", [
    ("不忘初心", "lexicon", "party_building"),
    ("高质量发展", "lexicon", "economy"),
    ("工作", "jieba", ""),
])
def test_with_origin_marks_formulations(cloud_freq, term, origin, category):
    row = cloud_freq.set_index("term").loc[term]
    assert (row["origin"], row["category"]) == (origin, category)


@pytest.mark.parametrize("a, b, expected", [
    ({"改革": 6, "发展": 2, "党建": 2}, {"改革": 1, "发展": 2, "党建": 7}, [("党建", "b"), ("改革", "a")]),
    ({"改革": 3, "开放": 1}, {"开放": 2, "创新": 2}, [("改革", "a"), ("创新", "b"), ("开放", "b")]),
    ({"甲乙": 1, "丙丁": 1}, {"甲乙": 1, "丙丁": 1}, []),
])
def test_comparison_terms_puts_each_term_on_the_side_using_it_more(a, b, expected):
    fa = pd.DataFrame({"term": list(a), "count": list(a.values())})
    fb = pd.DataFrame({"term": list(b), "count": list(b.values())})
    table = comparison_terms(fa, fb)
    assert list(zip(table["term"], table["side"])) == expected


def test_the_seed_splits_into_its_two_top_level_sections(tokenizer, seed_speech):
    parts = split_in_two(seed_speech)
    assert [label[:2] for label, *_ in parts] == ["一、", "二、"]
    (na, fa), (nb, fb) = frequency_by_half(seed_speech, tokenizer.tokens(seed_speech))
    assert na.startswith("一、") and nb.startswith("二、")
    assert fa["count"].sum() + fb["count"].sum() <= term_frequency(tokenizer.tokens(seed_speech))["count"].sum()


def test_comparison_terms_counts_and_shares():
    a = pd.DataFrame({"term": ["改革", "开放"], "count": [3, 1]})
    b = pd.DataFrame({"term": ["开放", "创新"], "count": [2, 2]})
    table = comparison_terms(a, b, top_n=2)
    assert table.columns.tolist() == ["term", "count_a", "count_b", "share_a", "share_b", "diff", "side"]
    assert table[["term", "count_a", "count_b"]].values.tolist() == [["改革", 3, 0], ["创新", 0, 2]]
    assert table["share_a"].tolist() == [0.75, 0.0] and table["diff"].tolist() == [0.75, -0.5]
    assert textstat_comparison is comparison_terms  # the old name, kept for one release


def test_a_term_table_is_validated_and_merged():
    df = term_table(pd.DataFrame({"term": [" 党建", "党建", "", "发展"], "count": [2, 1, 5, 0]}))
    assert df.values.tolist() == [["党建", 3]]
    with pytest.raises(ValueError, match="columns term and count"):
        term_table(pd.DataFrame({"word": ["党建"]}))
    with pytest.raises(TypeError, match="term table"):
        term_table(["党建"])
