"""Term counts folded as records arrive (Tally): several types of one token add up, order is fixed,
per-speech rows are kept only for the terms asked, and the chunking changes nothing."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis_utils.scale.cache import encode_tokens
from analysis_utils.scale.counts import Tally, counted_types
from analysis_utils.scale.sources import CorpusItem

from .helpers import SAMPLE


def _pairs():
    a = [("发展", 0, 2, "vn", "jieba"), ("发展", 2, 4, "v", "jieba"), ("，", 4, 5, "x", "jieba"),
         ("四个意识", 5, 9, "nz", "lexicon"), ("改革", 9, 11, "vn", "jieba")]
    b = [("改革", 0, 2, "vn", "jieba"), ("改革", 2, 4, "vn", "jieba"), ("发展", 4, 6, "v", "jieba")]
    return [(CorpusItem(0, "a"), ("tokens", encode_tokens(a, 10), "sha-a")),
            (CorpusItem(1, "b"), ("tokens", encode_tokens(b, 6), "sha-b"))]


def _filters(**kw):
    return {"stopwords": (), "pos": None, "min_len": 2, "exclude": (), "include": (), **kw}


@pytest.mark.parametrize("chunk_rows", [1, 3, 1 << 20])
def test_type_counts_and_term_counts(chunk_rows):
    keep = counted_types(all_tokens=True, **_filters(stopwords=None))
    tc = Tally(keep, per_speech=True, chunk_rows=chunk_rows).add_all(_pairs(), 3)
    assert not tc.complete and tc.shas == ["sha-a", "sha-b"] and tc.han_chars == [10, 6]
    table = tc.term_counts()
    # 发展 with two tags counts once per token; ties by term; speeches in order
    assert table.values.tolist() == [["a", "发展", 2], ["a", "四个意识", 1], ["a", "改革", 1], ["a", "，", 1],
                                     ["b", "改革", 2], ["b", "发展", 1]]
    kept = Tally(counted_types(**_filters()), per_speech=True, chunk_rows=chunk_rows).add_all(_pairs())
    assert "，" not in set(kept.term_counts()["term"])


@pytest.mark.parametrize("chunk_rows", [1, 1 << 20])
def test_frequency_table_over_the_corpus(chunk_rows):
    tc = Tally(counted_types(**_filters()), chunk_rows=chunk_rows).add_all(_pairs(), 2)
    freq = tc.frequency()
    assert freq[["term", "token_count", "speeches", "rank"]].values.tolist() == [["发展", 3, 2, 1], ["改革", 3, 2, 1],
                                                                           ["四个意识", 1, 1, 2]]
    assert freq.loc[freq.term == "发展", "pos"].item() == "v"  # the tag of most of its tokens
    assert np.isclose(freq["share"].sum(), 1.0) and freq.loc[0, "per_10k"] == round(3 * 10_000 / 16, 2)
    assert tc.n_rows() == 0  # a frequency list keeps no per-speech count


def test_terms_asked_are_the_only_rows_kept():
    tc = Tally(counted_types(**_filters()), per_speech=["改革", "没有的词"], chunk_rows=1).add_all(_pairs())
    assert tc.term_counts().values.tolist() == [["a", "改革", 1], ["b", "改革", 2]]
    assert tc.frequency()["term"].tolist() == ["发展", "改革", "四个意识"]  # the list is over every term


def test_a_tally_of_real_speeches_keeps_rows_only_for_the_terms_asked(tmp_path, corpus_dir, seed_path):
    """On real token records (the seed and six corpus speeches, read from the token cache): a tally
    asked for three terms holds one row per speech that uses them and arrays the size of the
    vocabulary, not one row per token type per speech as the whole table needs."""
    from analysis_utils.scale.pool import Run
    from analysis_utils.scale.segmenter import TokenizerOptions

    run = Run([seed_path] + [corpus_dir / n for n in SAMPLE], "tokens", options=TokenizerOptions(),
              cache=tmp_path / "c")
    records = list(run(workers=1, progress=False, errors="raise", desc=""))
    keep = counted_types(stopwords=None, pos=None, min_len=1, exclude=(), include=())
    full = Tally(keep, per_speech=True, chunk_rows=4000).add_all(records)
    asked = ["发展", "人民", "全面从严治党"]
    few = Tally(keep, per_speech=asked, chunk_rows=4000).add_all(records)
    none = Tally(keep, per_speech=False, chunk_rows=4000).add_all(records)
    whole = full.term_counts()
    mine = few.term_counts()
    pd.testing.assert_frame_equal(mine, whole[whole["term"].isin(asked)].reset_index(drop=True))
    assert few.n_rows() == len(mine) <= 3 * len(records) and none.n_rows() == 0
    assert full.n_rows() == len(whole) > 20 * few.n_rows()
    # what stays is per type and per term (the vocabulary), plus the rows asked for
    vocab = len(few.keys)
    assert few.nbytes() == none.nbytes() + 12 * few.n_rows()
    assert none.nbytes() <= 2 * (1 + 4 + 8) * vocab + 2 * (8 + 1) * len(few.terms)
    assert full.nbytes() == none.nbytes() + 12 * len(whole)
    pd.testing.assert_frame_equal(few.frequency(), full.frequency())
    pd.testing.assert_frame_equal(none.frequency(), full.frequency())
