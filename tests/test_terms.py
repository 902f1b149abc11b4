"""Term frequency, substring counts, sections, keyness, collocations, KWIC, dispersion, CLI."""
from __future__ import annotations

import io
import math
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest

from analysis_utils import (
    SpeechError, collocations, compare_counts, corpus_frequency, dispersion, keyness, kwic, load_speech,
    load_stopwords, pos_breakdown, section_frequency, section_table, speech_from_text, substring_counts,
    term_frequency, top_level_sections,
)
from analysis_utils.cli import main as cli_main
from analysis_utils.stats.keyness import (
    REFERENCE_FREQ_FILE, build_reference_frequencies, chi2_p, load_reference_frequencies, log_likelihood,
    log_ratio,
)
from analysis_utils.outline.sections import heading_sections
from analysis_utils.stats.frequency import FREQUENCY_COLUMNS, is_digits, is_punctuation, pos_class

FILLERS = ["同志们", "我们", "进一步", "的", "了", "要", "是", "在", "和"]
ADVERT_WORDS = ["会员", "订阅", "举报", "倒卖", "QQ群"]


# ----------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def seed_tokens(tokenizer, seed_speech):
    return tokenizer.tokens(seed_speech)


@pytest.fixture(scope="module")
def seed_freq(seed_tokens, seed_speech):
    return term_frequency(seed_tokens, speech=seed_speech)


@pytest.fixture(scope="module")
def gwr(corpus_dir):
    return load_speech(corpus_dir / "gwr_2022_crlf.txt")


@pytest.fixture(scope="module")
def cpc20(corpus_dir):
    return load_speech(corpus_dir / "cpc20_report.txt")


def _composed(text: str):
    return speech_from_text(text, path="composed.txt")


# ------------------------------------------------------------------ term_frequency
def test_columns_order_and_ranks(seed_freq):
    assert list(seed_freq.columns) == FREQUENCY_COLUMNS
    expected = seed_freq.sort_values(["count", "term"], ascending=[False, True]).reset_index(drop=True)
    pd.testing.assert_frame_equal(seed_freq, expected)
    assert seed_freq["rank"].iloc[0] == 1
    # dense rank: it goes up by one exactly when the count drops
    steps = (seed_freq["count"].diff().fillna(0) < 0).cumsum() + 1
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
    counted = seed_freq.set_index("term")["count"]
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
    assert all(counts[t] == c for t, c in zip(terms, seed_freq["count"]))


def test_per_10k_uses_speech_length_or_token_text(seed_tokens, seed_speech):
    with_speech = term_frequency(seed_tokens, speech=seed_speech)
    without = term_frequency(seed_tokens)
    row = with_speech.iloc[0]
    assert row["per_10k"] == pytest.approx(row["count"] * 10_000 / seed_speech.han_chars, abs=0.01)
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
    assert substring_counts(gwr, [term])["count"].iloc[0] == expected
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
@pytest.mark.parametrize("fixture, n, first, last", [
    ("seed_speech", 2, "一、聚焦主业、担当作为", "二、强基固本、激发活力"),
    ("cpc20", 15, "一、过去五年的工作和新时代十年的伟大变革", "十五、坚定不移全面从严治党，深入推进新时代党的建设新的伟大工程"),
    ("gwr", 3, "一、2021年工作回顾", "三、2022年政府工作任务"),
])
def test_top_level_sections(request, fixture, n, first, last):
    sp = request.getfixturevalue(fixture)
    for secs in (top_level_sections(sp), heading_sections(sp)):
        assert len(secs) == n
        assert secs[0][0].startswith(first) and secs[-1][0].startswith(last)
        assert all(sp.body[s:e].startswith(label[:2]) for label, s, e in secs)
        assert all(a[2] <= b[1] for a, b in zip(secs, secs[1:]))


def test_heading_fallback_needs_the_sequence():
    sp = _composed("讲话\n一、第一部分\n内容。\n三、不是第二部分\n二、第二部分\n内容。")
    assert [label for label, *_ in heading_sections(sp)] == ["一、第一部分", "二、第二部分"]
    assert heading_sections(_composed("没有标题的讲话。\n只有段落。")) == []


def test_section_table_and_parts(seed_speech, corpus_dir):
    t = section_table(seed_speech)
    assert t["label"].iloc[0] == "开头 opening" and t["section"].tolist()[:3] == [0, 1, 2]
    xi = load_speech(corpus_dir / "xi_speeches_2013_2016" / "032_2014-10-08.txt")
    assert section_table(xi)["label"].tolist() == ["全文 whole text"]
    parts = section_table(xi, parts_if_no_headings=4)
    assert len(parts) == 4 and parts["label"].iloc[0].startswith("第1部分")
    assert (parts["start"].iloc[1:].to_numpy() == parts["end"].iloc[:-1].to_numpy()).all()


def test_section_frequency_adds_up(seed_speech, seed_tokens, seed_freq):
    sec = section_frequency(seed_speech, seed_tokens, top=10)
    assert list(sec.columns) == ["section", "label", "term", "count", "per_10k", "section_han_chars"]
    totals = sec.groupby("term")["count"].sum()
    top = seed_freq.head(10)
    assert all(totals[t] == c for t, c in zip(top["term"], top["count"]))
    assert sec["section"].drop_duplicates().tolist() == section_table(seed_speech)["section"].tolist()


def test_section_frequency_chosen_terms(cpc20, tokenizer):
    sec = section_frequency(cpc20, tokenizer.tokens(cpc20), ["党的建设", "从严治党"])
    last = sec[sec["label"].str.startswith("十五、")]
    assert last.set_index("term")["count"].max() == sec.groupby("term")["count"].max().max()


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
    auto = keyness(tokens, speech=gwr, tokenizer=tokenizer).set_index("term")
    kept = keyness(tokens, speech=gwr, tokenizer=tokenizer, subtract_target=False).set_index("term")
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


def test_shipped_reference_list():
    text = REFERENCE_FREQ_FILE.read_text(encoding="utf-8")
    header = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert any(ln.startswith("# total_tokens:") for ln in header)
    assert any("tokenizer:" in ln for ln in header) and any("built:" in ln for ln in header)
    sources = [ln for ln in header if ln.startswith("# source:")]
    assert len(sources) == 85
    assert any("cpc20_report.txt" in s for s in sources) and any("gwr_2022_crlf.txt" in s for s in sources)
    ref = load_reference_frequencies()
    assert ref.counts.min() >= 2 and ref.total > ref.counts.sum()
    assert ref.counts.index.str.len().max() < 40  # terms, never passages of text
    assert ref.counts["发展"] > ref.counts["党建"] > 0


def test_build_reference_frequencies(corpus_dir, tokenizer):
    path = corpus_dir / "xi_2015_county_secretaries.txt"
    table, info = build_reference_frequencies([path], tokenizer=tokenizer)
    sp = load_speech(path)
    tokens = tokenizer.tokens(sp)
    assert info["total_tokens"] == int(table["count"].sum())
    assert info["han_chars"] == sp.han_chars
    assert table.set_index("term")["count"]["县委书记"] == (tokens["token"] == "县委书记").sum()
    assert not table["term"].map(is_punctuation).any()


def test_bad_reference():
    with pytest.raises(SpeechError):
        load_reference_frequencies("/nonexistent/ref.tsv")


# -------------------------------------------------------------------- collocations
def test_collocations_seed(seed_tokens):
    df = collocations(seed_tokens)
    assert list(df.columns) == ["collocation", "words", "size", "count", "pmi", "g2"]
    assert set(df["size"]) == {2, 3}
    assert (df["count"] >= 2).all()
    assert {"基层党建", "领导干部"} <= set(df["collocation"].head(15))
    assert not df["collocation"].str.contains("[，。、；：“”×]").any()
    assert df["g2"].is_monotonic_decreasing


def test_collocations_stay_in_a_sentence(tokenizer):
    # heading lines without final punctuation: 党建 and 推动 are neighbours in the token
    # table but in different sentences
    sp = _composed("加强党建\n推动发展\n加强党建\n推动发展")
    df = collocations(tokenizer.tokens(sp))
    assert {"加强党建", "推动发展"} <= set(df["collocation"])
    assert "党建推动" not in set(df["collocation"])
    assert "加强党建推动" not in set(df["collocation"])


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
    assert d.groupby("term").size().to_dict() == substring_counts(seed_speech, ["干部", "人才"]).set_index("term")["count"].to_dict()
    by_tokens = dispersion(seed_speech, ["干部"], tokens=seed_tokens)
    assert len(by_tokens) == seed_freq.set_index("term").loc["干部", "count"]
    # 人才 is a theme of the second half (section 二's 引才 paragraph)
    assert d.loc[d.term == "人才", "offset"].median() > 0.5


# ------------------------------------------------------------------ many speeches
def test_corpus_frequency(seed_path, corpus_dir, tokenizer):
    paths = [seed_path, corpus_dir / "xi_2015_county_secretaries.txt"]
    df = corpus_frequency(paths, tokenizer=tokenizer)
    ids = ["party_building_conference_speech", "xi_2015_county_secretaries"]
    assert list(df.columns) == FREQUENCY_COLUMNS + ["speeches"] + ids
    assert (df[ids].sum(axis=1) == df["count"]).all()
    assert (df["speeches"] == (df[ids] > 0).sum(axis=1)).all()
    seed_only = term_frequency(tokenizer.tokens(load_speech(seed_path)))
    assert df.set_index("term").loc["党建", ids[0]] == seed_only.set_index("term").loc["党建", "count"]


# ---------------------------------------------------------------------------- CLI
def _cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_main(list(map(str, argv)))
    return code, out.getvalue(), err.getvalue()


def test_cli_terms_csv_matches_function(seed_path, seed_freq):
    code, out, _ = _cli("terms", seed_path, "--top", 15, "--format", "csv")
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    assert df["term"].tolist() == seed_freq["term"].head(15).tolist()
    assert df["count"].tolist() == seed_freq["count"].head(15).tolist()


def test_cli_terms_folder_and_pos(corpus_dir, tmp_path, seed_path):
    (tmp_path / "a.txt").write_bytes(seed_path.read_bytes())
    (tmp_path / "b.txt").write_bytes((corpus_dir / "xi_2015_county_secretaries.txt").read_bytes())
    (tmp_path / "README.md").write_text("not a speech", encoding="utf-8")
    code, out, _ = _cli("terms", tmp_path, "--top", 5, "--pos", "n", "--format", "json")
    assert code == 0
    df = pd.read_json(io.StringIO(out))
    assert list(df.columns)[-3:] == ["speeches", "a", "b"] and len(df) == 5
    assert df["pos"].str.startswith("n").all()


def test_cli_kwic(seed_path):
    code, out, err = _cli("kwic", seed_path, "三会一课", "--window", 5)
    assert code == 0 and "【三会一课】" in out and "1 hit" in err
    code, out, _ = _cli("kwic", seed_path, "基层党建", "--format", "csv")
    assert code == 0 and len(pd.read_csv(io.StringIO(out))) == 5


@pytest.mark.parametrize("argv", [
    ("terms", "/nonexistent/speech.txt"),
    ("terms", "{empty_dir}"),
    ("kwic", "/nonexistent/speech.txt", "党建"),
    ("kwic", "{seed}", ""),
    ("kwic", "{seed}", "党建", "--window", "-3"),
    ("terms", "{seed}", "--pos", ","),
])
def test_cli_bad_input_exits_2_with_one_line(argv, tmp_path, seed_path):
    argv = [a.format(empty_dir=tmp_path, seed=seed_path) for a in argv]
    code, _, err = _cli(*argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error:")


def test_shipped_reference_is_built_with_the_current_lexicon_and_stopwords():
    """Keyness compares like with like only if the reference was cut by today's tokeniser."""
    import hashlib

    from analysis_utils.config import LEXICON_FILE, STOPWORDS_FILE

    line = next(ln for ln in REFERENCE_FREQ_FILE.read_text(encoding="utf-8").splitlines() if "# tokenizer:" in ln)
    for f in (LEXICON_FILE, STOPWORDS_FILE):
        sha = hashlib.sha1(f.read_bytes()).hexdigest()[:12]
        assert sha in line, f"{f.name} changed since reference_freq.tsv was built: run python -m analysis_utils.build_reference"
