"""Type counts over a corpus and their tables: several types of one token add up, order is fixed."""
from __future__ import annotations

import numpy as np

from analysis_utils.scale.cache import encode_tokens
from analysis_utils.scale.counts import counted_types, frequency_table, term_counts_table, type_counts
from analysis_utils.scale.sources import CorpusItem


def _pairs():
    a = [("发展", 0, 2, "vn", "jieba"), ("发展", 2, 4, "v", "jieba"), ("，", 4, 5, "x", "jieba"),
         ("四个意识", 5, 9, "nz", "lexicon"), ("改革", 9, 11, "vn", "jieba")]
    b = [("改革", 0, 2, "vn", "jieba"), ("改革", 2, 4, "vn", "jieba"), ("发展", 4, 6, "v", "jieba")]
    return [(CorpusItem(0, "a"), ("tokens", encode_tokens(a, 10), "sha-a")),
            (CorpusItem(1, "b"), ("tokens", encode_tokens(b, 6), "sha-b"))]


def test_type_counts_and_term_counts():
    tc = type_counts(_pairs(), 3)
    assert not tc.complete and tc.shas == ["sha-a", "sha-b"] and tc.han_chars.tolist() == [10, 6]
    keep = counted_types(tc, all_tokens=True, stopwords=None, pos=None, min_len=2, exclude=(), include=())
    table = term_counts_table(tc, keep)
    # 发展 with two tags counts once per token; ties by term; speeches in order
    assert table.values.tolist() == [["a", "发展", 2], ["a", "四个意识", 1], ["a", "改革", 1], ["a", "，", 1],
                                     ["b", "改革", 2], ["b", "发展", 1]]
    kept = counted_types(tc, all_tokens=False, stopwords=(), pos=None, min_len=2, exclude=(), include=())
    assert "，" not in set(term_counts_table(tc, kept)["term"])


def test_frequency_table_over_the_corpus():
    tc = type_counts(_pairs(), 2)
    keep = counted_types(tc, all_tokens=False, stopwords=(), pos=None, min_len=2, exclude=(), include=())
    freq = frequency_table(tc, keep)
    assert freq[["term", "token_count", "speeches", "rank"]].values.tolist() == [["发展", 3, 2, 1], ["改革", 3, 2, 1],
                                                                           ["四个意识", 1, 1, 2]]
    assert freq.loc[freq.term == "发展", "pos"].item() == "v"  # the tag of most of its tokens
    assert np.isclose(freq["share"].sum(), 1.0) and freq.loc[0, "per_10k"] == round(3 * 10_000 / 16, 2)
