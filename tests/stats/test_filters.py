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


def _vectorised_rule(tokens, *, stopwords=None, pos=None, min_len=1, exclude=(), include=()):
    """The rule as the package wrote it before TermFilter (an independent oracle); since issue 15
    the default ``min_len`` is 1 (one-character words count, function characters are stopwords)."""
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
    assert len({TermFilter(), TermFilter(), TermFilter(min_len=2)}) == 2
    assert len({TermFilter(), TermFilter(drop_official_verbs=True)}) == 2
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


# ------------------------------------------------ issue 15: one-character words, official verbs
def test_one_character_content_words_count_and_function_characters_do_not(cpc20, tokenizer):
    """二十大报告: 党 (and 国 军 稳 法 心 民 where jieba leaves them alone) are terms; 的 了 和 在 是 … never."""
    from analysis_utils.stats import FUNCTION_CHARS

    tokens = tokenizer.tokens(cpc20)
    counted = set(tokens.loc[TermFilter().mask(tokens), "token"])
    assert {"党", "新", "军", "稳", "法", "心", "国"} <= counted
    assert not counted & FUNCTION_CHARS
    assert set("的了和在是也就都而及与之其把被对为以于将从向等") <= FUNCTION_CHARS
    assert not set("党国军稳法心民") & FUNCTION_CHARS
    assert "党" not in set(tokens.loc[TermFilter(min_len=2).mask(tokens), "token"])  # the old rule, on request


def test_official_verbs_are_a_switch_and_what_is_left_out_is_listed(cpc20, tokenizer):
    from analysis_utils.lexicon import load_official_verbs
    from analysis_utils.stats import OFFICIAL_VERBS

    assert OFFICIAL_VERBS == load_official_verbs()
    assert set("推进 加强 推动 实施 加快 完善 促进 提高 深化 增强 强化 优化 落实 坚持".split()) <= OFFICIAL_VERBS
    tokens = tokenizer.tokens(cpc20)
    kept = tokens.loc[TermFilter().mask(tokens), "token"]
    dropping = TermFilter(drop_official_verbs=True)
    cloud = tokens.loc[dropping.mask(tokens), "token"]
    assert (kept == "推进").sum() > 50 and not cloud.isin(OFFICIAL_VERBS).any()
    left = dropping.left_out(tokens)
    verbs = left[left.reason == "official verb"].set_index("term")["token_count"]
    assert verbs["推进"] == (kept == "推进").sum()
    assert int(verbs.sum()) == len(kept) - len(cloud)
    # every word is either counted or listed as left out, once
    assert int(left["token_count"].sum()) + len(cloud) == int(word_mask(tokens).sum())
    assert {"official verb", "function character", "stopword", "part of speech"} <= set(left.reason)
    assert TermFilter().left_out(tokens).query("reason == 'official verb'").empty


def test_the_corpus_count_honours_the_official_verb_switch(corpus_dir):
    from analysis_utils.scale import corpus_term_frequency

    src = corpus_dir / "xi_2015_county_secretaries.txt"
    both = corpus_term_frequency([src], cache=False, progress=False, workers=1)
    cloud = corpus_term_frequency([src], term_filter=TermFilter(drop_official_verbs=True), cache=False,
                                  progress=False, workers=1)
    assert "坚持" in set(both.term) and "坚持" not in set(cloud.term)
    assert "党" in set(both.term)
    two = corpus_term_frequency([src], min_len=2, cache=False, progress=False, workers=1)
    assert "党" not in set(two.term)
