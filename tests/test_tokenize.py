"""The tokeniser: formulations whole, offsets exact, tags available, deterministic."""
from __future__ import annotations

import pytest

from analysis_utils import Tokenizer, load_speech, speech_from_text
from analysis_utils.tokenizer import TOKEN_COLUMNS

SEED_FORMULATIONS = [
    "四个意识", "两个维护", "三会一课", "一征三议两公开", "双推双评三全程", "三级联创五化并举",
    "习近平新时代中国特色社会主义思想", "党的十九大", "三新", "两委", "五星支部", "三社联动",
]


def test_seed_formulations_stay_whole(tokenizer, seed_speech):
    tokens = tokenizer.tokens(seed_speech)
    words = set(tokens.token)
    for f in SEED_FORMULATIONS:
        assert f in words, f
    # and no fragment of a chained slogan is left as its own token where the slogan occurs
    for f in ("一征三议两公开", "双推双评三全程", "三级联创五化并举"):
        n_text = seed_speech.body.count(f)
        assert (tokens.token == f).sum() == n_text


@pytest.mark.parametrize(
    "text,expected",
    [
        ("推广运用一征三议两公开工作法", ["推广", "运用", "一征三议两公开"]),
        ("深入开展“两学一做”学习教育", ["深入开展", "“", "两学一做", "”"]),
        ("落实“三去一降一补”", ["落实", "“", "三去一降一补", "”"]),
        ("增强四个意识、坚定四个自信、做到两个维护", ["增强", "四个意识", "、", "坚定", "四个自信", "、", "做到", "两个维护"]),
    ],
)
def test_number_slogans_in_text(tokenizer, text, expected):
    got = [t for t, *_ in tokenizer.cut(text)]
    assert got[: len(expected)] == expected


@pytest.mark.parametrize("text", ["工作三个月后", "举办研修班四期", "讲两点意见", "一是强化政治意识", "第一，要坚持", "组织×个主体班次", "增长七点二个百分点"])
def test_quantities_and_structure_words_are_not_slogans(tokenizer, text):
    assert [t for t, _, _, _, origin in tokenizer.cut(text) if origin == "slogan"] == []


@pytest.mark.parametrize("name", ["cpc20_report.txt", "gwr_2022_crlf.txt", "xi_2015_county_secretaries.txt"])
def test_offsets_round_trip_on_real_speeches(tokenizer, corpus_dir, name):
    s = load_speech(corpus_dir / name)
    df = tokenizer.tokens(s)
    assert list(df.columns) == TOKEN_COLUMNS
    assert all(s.body[a:b] == t for t, a, b in zip(df.token, df.start, df.end))
    assert df.start.is_monotonic_increasing
    # every non-space character of the body is covered by exactly one token
    covered = sum(b - a for a, b in zip(df.start, df.end))
    assert covered == sum(1 for c in s.body if not c.isspace())
    # paragraph and sentence numbers agree with the speech's own spans
    row = df.iloc[len(df) // 2]
    assert row.paragraph == s.paragraph_of(row.start) and row.sentence == s.sentence_of(row.start)


def test_tags_and_origins(tokenizer, seed_speech):
    df = tokenizer.tokens(seed_speech)
    assert df.pos.notna().all()
    assert set(df.origin) == {"jieba", "lexicon", "slogan", "placeholder"}
    assert (df[df.origin == "placeholder"].token.str.fullmatch("×+")).all()
    assert (df[df.origin == "placeholder"].pos == "x").all()
    assert df.loc[df.token == "干部", "pos"].iloc[0] == "n"
    assert df.loc[df.token == "，", "pos"].iloc[0] == "x"
    assert "同志们" in set(df.token)  # jieba alone splits it into 同志/们


def test_same_tokens_with_or_without_tags_and_across_instances(tokenizer, seed_speech):
    a = tokenizer.tokens(seed_speech)
    b = tokenizer.tokens(seed_speech, pos=False)
    assert a.token.tolist() == b.token.tolist() and b.pos.isna().all()
    c = Tokenizer().tokens(seed_speech)
    assert a.equals(c)


def test_user_lexicon_and_userdict_are_local_to_their_tokenizer(tmp_path):
    text = "推进涧贤银行和邻里中心建设"
    lex = tmp_path / "mine.tsv"
    lex.write_text("phrase\tcategory\tnote\n涧贤银行\tparty_building\t本区品牌\n", encoding="utf-8")
    ud = tmp_path / "userdict.txt"
    ud.write_text("邻里中心 10 n\n", encoding="utf-8")
    mine = Tokenizer(lexicon_files=[lex], userdicts=[ud])
    words = [t for t, *_ in mine.cut(text, pos=True)]
    assert "涧贤银行" in words and "邻里中心" in words
    plain = Tokenizer(bundled_lexicon=True)
    assert "涧贤银行" not in [t for t, *_ in plain.cut(text)]
    assert "涧贤银行" in set(mine.lexicon.phrase)


def test_text_without_line_breaks_still_tokenises(tokenizer, seed_speech):
    flat = speech_from_text(seed_speech.body.replace("\n", ""))
    df = tokenizer.tokens(flat)
    assert df.paragraph.max() == 1 and df.sentence.max() > 50
