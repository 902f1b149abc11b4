"""stats/frequency.py: term frequency, POS breakdown, substring counts, sections, many speeches."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis_utils import load_speech, load_stopwords, section_table, speech_from_text
from analysis_utils.stats import (
    FREQUENCY_COLUMNS,
    TermFilter,
    compare_counts,
    corpus_frequency,
    is_digits,
    is_punctuation,
    pos_breakdown,
    pos_class,
    section_frequency,
    substring_counts,
    term_frequency,
)

FILLERS = ["同志们", "我们", "进一步", "的", "了", "要", "是", "在", "和"]
ADVERT_WORDS = ["会员", "订阅", "举报", "倒卖", "QQ群"]


# ----------------------------------------------------------------------- fixtures
def _composed(text: str):
    return speech_from_text(text, path="composed.txt")


# ------------------------------------------------------------------ term_frequency
def test_columns_order_and_ranks(seed_freq):
    assert list(seed_freq.columns) == FREQUENCY_COLUMNS
    expected = seed_freq.sort_values(["token_count", "term"], ascending=[False, True]).reset_index(drop=True)
    pd.testing.assert_frame_equal(seed_freq, expected)
    assert seed_freq["rank"].iloc[0] == 1
    # dense rank: it goes up by one exactly when the count drops
    steps = (seed_freq["token_count"].diff().fillna(0) < 0).cumsum() + 1
    assert seed_freq["rank"].tolist() == steps.tolist()
    assert seed_freq["share"].sum() == pytest.approx(1.0, abs=1e-4)
    assert seed_freq["term"].is_unique


def test_seed_top_terms_are_party_building_content_words(seed_freq):
    top10 = set(seed_freq["term"].head(10))
    assert {"组织", "干部", "党建", "基层"} <= top10
    top20 = set(seed_freq["term"].head(20))
    assert not top20 & set(FILLERS)
    assert not top20 & load_stopwords()


@pytest.mark.parametrize("word", ADVERT_WORDS)
def test_seed_advert_words_never_counted(seed_freq, word):
    assert not seed_freq["term"].str.contains(word, regex=False).any()


@pytest.mark.parametrize("formulation", ["三会一课", "四个意识", "两个维护", "一征三议两公开", "双推双评三全程"])
def test_seed_formulations_counted_whole(seed_freq, seed_speech, formulation):
    counted = seed_freq.set_index("term")["token_count"]
    # every occurrence in the text is one whole term in the table: never cut in pieces
    assert counted.get(formulation, 0) == seed_speech.body.count(formulation) >= 1


def test_no_placeholder_punctuation_digit_or_stopword_counted(seed_freq, seed_tokens):
    terms = seed_freq["term"]
    assert not terms.str.contains("[×Xx]", regex=True).any()
    assert not terms.map(is_punctuation).any()
    assert not terms.map(is_digits).any()
    assert not set(terms) & load_stopwords()
    # every counted token really is in the token table, with the same count
    counts = seed_tokens["token"].value_counts()
    assert all(counts[t] == c for t, c in zip(terms, seed_freq["token_count"]))


def test_per_10k_uses_speech_length_or_token_text(seed_tokens, seed_speech):
    with_speech = term_frequency(seed_tokens, speech=seed_speech)
    without = term_frequency(seed_tokens)
    row = with_speech.iloc[0]
    assert row["per_10k"] == pytest.approx(row["token_count"] * 10_000 / seed_speech.han_chars, abs=0.01)
    # a whole speech's token table holds all its Chinese characters: same rate either way
    pd.testing.assert_frame_equal(with_speech, without)


@pytest.mark.parametrize(
    "text, kwargs, present, absent",
    [
        # a formulation from the lexicon is kept even when shorter than min_len
        ("坚决反对四风。坚决反对四风。", {"min_len": 3}, ["四风"], ["坚决", "反对"]),
        # stopwords and punctuation never counted; digits-only never counted
        ("我们要加强2018年的党建工作，我们要加强党建。", {}, ["加强", "党建"], ["我们", "要", "2018", "，"]),
        # exclude adds stopwords; include forces a word in
        ("加强党建，加强基层党建。", {"exclude": ["党建"]}, ["加强", "基层"], ["党建"]),
        ("我们加强党建。", {"include": ["我们"]}, ["我们", "党建"], []),
        # placeholders never counted
        ("×××同志在×区加强党建。", {}, ["党建"], ["×××", "×"]),
    ],
)
def test_filters_on_composed_text(tokenizer, text, kwargs, present, absent):
    sp = _composed(text)
    terms = set(term_frequency(tokenizer.tokens(sp), speech=sp, **kwargs)["term"])
    assert set(present) <= terms
    assert not set(absent) & terms


@pytest.mark.parametrize("pos, allowed", [(["n"], ("n",)), (["v"], ("v",)), (["n", "v"], ("n", "v"))])
def test_pos_filter(seed_tokens, seed_speech, pos, allowed):
    df = term_frequency(seed_tokens, speech=seed_speech, pos=pos)
    assert len(df) > 10
    assert df["pos"].str.startswith(allowed).all()


def test_bad_arguments(seed_tokens):
    with pytest.raises(ValueError):
        term_frequency(seed_tokens, pos=[])
    with pytest.raises(TypeError):
        term_frequency(seed_tokens, stopwords="的")
    with pytest.raises(ValueError):
        term_frequency(seed_tokens[["token", "start"]])


def test_empty_speech_gives_empty_table(tokenizer):
    sp = _composed("同志们：\n我们。")
    df = term_frequency(tokenizer.tokens(sp), speech=sp)
    assert df.empty and list(df.columns) == FREQUENCY_COLUMNS


# ------------------------------------------------------------------ POS breakdown
@pytest.mark.parametrize("tag, origin, expected", [
    ("n", "jieba", "noun"), ("vn", "jieba", "verbal_noun"), ("v", "jieba", "verb"), ("a", "jieba", "adjective"),
    ("ns", "jieba", "proper"), ("nr", "jieba", "proper"), ("nz", "lexicon", "formulation"),
    ("m", "slogan", "formulation"), ("d", "jieba", "adverb"), ("p", "jieba", "function"), ("j", "jieba", "abbreviation"),
])
def test_pos_class(tag, origin, expected):
    assert pos_class(tag, origin) == expected


def test_pos_breakdown_seed(seed_tokens):
    df = pos_breakdown(seed_tokens)
    assert list(df.columns) == ["pos_class", "label", "label_en", "counted", "tokens", "types", "share", "examples"]
    labels = dict(zip(df["pos_class"], df["label"]))
    assert labels["noun"] == "名词" and labels["verb"] == "动词" and labels["formulation"] == "提法"
    assert df["share"].sum() == pytest.approx(1.0, abs=1e-3)
    assert df["tokens"].is_monotonic_decreasing
    assert df.loc[df.pos_class == "formulation", "tokens"].iloc[0] >= 10


# -------------------------------------------------------------- substring counts
@pytest.mark.parametrize("term, expected", [("稳", 78), ("就业", 34)])
def test_gwr_published_substring_counts(gwr, tokenizer, term, expected):
    assert substring_counts(gwr, [term])["substring_count"].iloc[0] == expected
    row = compare_counts(gwr, tokenizer.tokens(gwr), [term]).iloc[0]
    assert row["substring_count"] == expected
    assert 0 < row["token_count"] < expected  # 稳 inside 稳定, 就业 inside 就业优先 …
    assert row["per_10k"] == pytest.approx(expected * 10_000 / gwr.han_chars, abs=0.01)


def test_compare_counts_columns_and_order(seed_speech, seed_tokens):
    df = compare_counts(seed_speech, seed_tokens, ["组织", "三会一课", "不存在的词"])
    assert list(df.columns) == ["term", "substring_count", "token_count", "per_10k"]
    assert df["term"].tolist() == ["组织", "三会一课", "不存在的词"]
    assert df["substring_count"].tolist()[1:] == [1, 0]
    assert df["substring_count"].iloc[0] > df["token_count"].iloc[0]  # 党组织, 组织部 …


# ----------------------------------------------------------------------- sections
def test_section_frequency_adds_up(seed_speech, seed_tokens, seed_freq):
    sec = section_frequency(seed_speech, seed_tokens, top=10)
    assert list(sec.columns) == ["section", "label", "term", "token_count", "per_10k", "section_han_chars"]
    totals = sec.groupby("term")["token_count"].sum()
    top = seed_freq.head(10)
    assert all(totals[t] == c for t, c in zip(top["term"], top["token_count"]))
    assert sec["section"].drop_duplicates().tolist() == section_table(seed_speech)["section"].tolist()


def test_section_frequency_chosen_terms(cpc20, tokenizer):
    sec = section_frequency(cpc20, tokenizer.tokens(cpc20), ["党的建设", "从严治党"])
    last = sec[sec["label"].str.startswith("十五、")]
    assert last.set_index("term")["token_count"].max() == sec.groupby("term")["token_count"].max().max()


# ------------------------------------------------------------------ many speeches
def test_corpus_frequency(seed_path, corpus_dir, tokenizer):
    paths = [seed_path, corpus_dir / "xi_2015_county_secretaries.txt"]
    df = corpus_frequency(paths, tokenizer=tokenizer)
    ids = ["party_building_conference_speech", "xi_2015_county_secretaries"]
    assert list(df.columns) == FREQUENCY_COLUMNS + ["speeches"] + ids
    assert (df[ids].sum(axis=1) == df["token_count"]).all()
    assert (df["speeches"] == (df[ids] > 0).sum(axis=1)).all()
    seed_only = term_frequency(tokenizer.tokens(load_speech(seed_path)))
    assert df.set_index("term").loc["党建", ids[0]] == seed_only.set_index("term").loc["党建", "token_count"]


# ------------------------------------------------------- TermFilter and old keywords
FILTER_CASES = [
    {},
    {"pos": ["n", "v"], "min_len": 1},
    {"exclude": ["工作"], "include": ["我们"]},
    {"stopwords": (), "pos": "v"},
]


@pytest.mark.parametrize("kwargs", FILTER_CASES)
def test_term_filter_gives_the_same_tables_as_the_old_keywords(seed_speech, seed_tokens, kwargs):
    tf = TermFilter(**kwargs)
    pd.testing.assert_frame_equal(term_frequency(seed_tokens, speech=seed_speech, term_filter=tf),
                                  term_frequency(seed_tokens, speech=seed_speech, **kwargs))
    pd.testing.assert_frame_equal(section_frequency(seed_speech, seed_tokens, top_n=6, term_filter=tf),
                                  section_frequency(seed_speech, seed_tokens, top_n=6, **kwargs))


def test_pos_breakdown_and_corpus_frequency_take_a_term_filter(seed_speech, seed_tokens, tokenizer):
    pd.testing.assert_frame_equal(pos_breakdown(seed_tokens, term_filter=TermFilter(min_len=1, exclude=("工作",))),
                                  pos_breakdown(seed_tokens, exclude=["工作"]))
    # pos_breakdown shows every part of speech: a filter's pos does not apply
    pd.testing.assert_frame_equal(pos_breakdown(seed_tokens, term_filter=TermFilter(min_len=1, pos=("n",))),
                                  pos_breakdown(seed_tokens))
    pd.testing.assert_frame_equal(corpus_frequency([seed_speech], tokenizer=tokenizer, term_filter=TermFilter(pos=("n",))),
                                  corpus_frequency([seed_speech], tokenizer=tokenizer, pos=["n"]))


def test_term_filter_and_old_keywords_together_or_unknown(seed_tokens):
    with pytest.raises(ValueError, match="not both"):
        term_frequency(seed_tokens, term_filter=TermFilter(), pos=["n"])
    with pytest.raises(TypeError, match="posx"):
        term_frequency(seed_tokens, posx=["n"])
    with pytest.raises(TypeError):  # pos_breakdown never took pos or include
        pos_breakdown(seed_tokens, pos=["n"])
    with pytest.raises(TypeError, match="TermFilter"):
        term_frequency(seed_tokens, term_filter={"pos": ["n"]})


def test_top_is_a_deprecated_alias_of_top_n(seed_speech, seed_tokens, tokenizer):
    pd.testing.assert_frame_equal(section_frequency(seed_speech, seed_tokens, top=8),
                                  section_frequency(seed_speech, seed_tokens, top_n=8))
    assert section_frequency(seed_speech, seed_tokens)["term"].nunique() == 15
    with pytest.raises(ValueError, match="top_n"):
        section_frequency(seed_speech, seed_tokens, top=8, top_n=8)
    pd.testing.assert_frame_equal(corpus_frequency([seed_speech], tokenizer=tokenizer, top=5),
                                  corpus_frequency([seed_speech], tokenizer=tokenizer, top_n=5))
    assert len(corpus_frequency([seed_speech], tokenizer=tokenizer, top_n=5)) == 5


# ------------------------------------------------------------- issue 15: 党 is counted
def test_the_party_is_in_the_term_table_of_the_20th_congress_report(cpc20, tokenizer):
    from analysis_utils.stats import FUNCTION_CHARS, term_frequency

    freq = term_frequency(tokenizer.tokens(cpc20), speech=cpc20).set_index("term")
    assert freq.at["党", "token_count"] >= 40 and freq.at["党", "pos"] == "n"
    assert not set(freq.index) & FUNCTION_CHARS
    assert "党" not in set(term_frequency(tokenizer.tokens(cpc20), speech=cpc20, min_len=2).term)


@pytest.mark.slow
def test_the_party_is_counted_in_the_wikisource_congress_reports(corpus_dir):
    from analysis_utils.scale import corpus_term_frequency
    from analysis_utils.stats import FUNCTION_CHARS

    df = corpus_term_frequency(corpus_dir / "wikisource" / "cpc_congress_reports.jsonl", cache=False,
                               progress=False, workers=1, by_speech=True)
    party = df.set_index("term").loc["党"]
    assert party["token_count"] > 500 and party["speeches"] >= 9
    assert not set(df.term) & FUNCTION_CHARS
