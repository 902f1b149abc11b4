"""stats/filters.py: TermFilter, the one rule for "which tokens are counted terms"."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis_utils import load_stopwords
from analysis_utils.stats import (
    CONTENT_POS,
    FORMULATION_ORIGINS,
    TermFilter,
    as_term_filter,
    counted_mask,
    is_digits,
    is_punctuation,
    word_mask,
)


def _vectorised_rule(tokens, *, stopwords=None, pos=None, min_len=2, exclude=(), include=()):
    """The rule as the package wrote it before TermFilter (an independent oracle)."""
    tok = tokens["token"].astype(str)
    tags = tokens["pos"].fillna("").astype(str)
    formulation = tokens["origin"].isin(FORMULATION_ORIGINS)
    stop = (load_stopwords() if stopwords is None else frozenset(stopwords)) | frozenset(exclude)
    if pos is None:
        pos_ok = tags.str.startswith(CONTENT_POS) | formulation
    else:
        pos_ok = tags.str.startswith(tuple([pos] if isinstance(pos, str) else pos))
    keep = ~tok.isin(stop) & pos_ok & ((tok.str.len() >= min_len) | formulation)
    return word_mask(tokens) & (keep | tok.isin(frozenset(include)))


@pytest.mark.parametrize("kwargs", [
    {}, {"pos": ["n", "v"]}, {"pos": "a", "min_len": 1}, {"stopwords": (), "min_len": 3},
    {"exclude": ["工作", "组织"], "include": ["我们", "的", "党"]},
])
def test_mask_is_the_rule(seed_tokens, kwargs):
    expected = _vectorised_rule(seed_tokens, **kwargs)
    got = TermFilter(**kwargs).mask(seed_tokens)
    pd.testing.assert_series_equal(got, expected, check_names=False)
    pd.testing.assert_series_equal(counted_mask(seed_tokens, **kwargs), got)


def test_mask_agrees_with_accepts_word_by_word(seed_tokens):
    tf = TermFilter(pos=("n", "v"), exclude=("工作",), include=("我们",))
    mask = tf.mask(seed_tokens)
    words = word_mask(seed_tokens)
    for (_, row), counted, word in zip(seed_tokens.iterrows(), mask, words):
        formulation = row["origin"] in FORMULATION_ORIGINS
        assert counted == (word and tf.accepts(row["token"], tag=row["pos"] or "", formulation=formulation))


def test_any_pos_leaves_the_part_of_speech_out(seed_tokens):
    tf = TermFilter(pos=("n",))
    assert tf.accepts("加强", tag=None, formulation=False) and not tf.accepts("加强", tag="v", formulation=False)
    assert not tf.accepts("我们", tag=None, formulation=False)  # a stopword all the same
    any_pos = tf.mask(seed_tokens, any_pos=True)
    assert any_pos.sum() > tf.mask(seed_tokens).sum()
    assert not (tf.mask(seed_tokens) & ~any_pos).any()


def test_words_punctuation_digits():
    assert is_punctuation("、") and is_punctuation("——") and not is_punctuation("党")
    assert is_digits("2018") and is_digits("１０") and not is_digits("2018年")
    t = pd.DataFrame({"token": ["党建", " ", "5.5%", "×"], "pos": ["j", "x", "m", "x"],
                      "origin": ["jieba", "jieba", "jieba", "placeholder"]})
    assert word_mask(t).tolist() == [True, False, False, False]


def test_filters_are_values():
    assert TermFilter(exclude=["a", "b"], pos=["n"]) == TermFilter(exclude=("b", "a"), pos=("n",))
    assert len({TermFilter(), TermFilter(), TermFilter(min_len=1)}) == 2
    assert TermFilter(pos=" n ").prefixes == ("n",)


@pytest.mark.parametrize("kwargs, error", [
    ({"pos": []}, ValueError), ({"pos": [" ", ""]}, ValueError), ({"stopwords": "的"}, TypeError),
    ({"min_len": -1}, ValueError), ({"min_len": 1.5}, ValueError),
])
def test_bad_filters(kwargs, error):
    with pytest.raises(error):
        TermFilter(**kwargs)


def test_as_term_filter():
    assert as_term_filter(None, {}) == TermFilter()
    assert as_term_filter(None, {}, min_len=1) == TermFilter(min_len=1)
    assert as_term_filter(None, {"min_len": 3}, min_len=1) == TermFilter(min_len=3)
    tf = TermFilter(pos=("n",))
    assert as_term_filter(tf, {}) is tf
    with pytest.raises(ValueError, match="not both"):
        as_term_filter(tf, {"min_len": 2})
    with pytest.raises(TypeError, match="include"):
        as_term_filter(None, {"include": ["党"]}, accepted=("stopwords",), caller="pos_breakdown")
    with pytest.raises(TypeError, match="TermFilter"):
        as_term_filter({"pos": ["n"]}, {})
