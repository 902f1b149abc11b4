"""The tokeniser: formulations whole, offsets exact, tags available, deterministic; lexicon spans
leftmost-longest; jieba's argument order for add_word; a fingerprint and read-only views; jieba's
dictionary never from the shared temporary folder, and jieba silent on stderr."""
from __future__ import annotations

import json
import marshal
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis_utils import Tokenizer, load_speech, speech_from_text
from analysis_utils.reading import PLACEHOLDER_RE
from analysis_utils.tokenizer import FORMULATION_TAG, TOKEN_COLUMNS

#: Real speeches whose lexicon spans are checked against a regex alternation.
SAMPLE = ["cpc20_report.txt", "gwr_2022_crlf.txt", "xi_2015_county_secretaries.txt",
          "xi_speeches_2013_2016/001_2013-03-22.txt", "xi_speeches_2013_2016/040_2014-12-31.txt",
          "xi_speeches_2013_2016/086_2016-12-30.txt"]

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


@pytest.mark.slow
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


# ------------------------------------------------------------------ lexicon spans
def _regex_protected_spans(tok: Tokenizer, text: str):
    """The reference: protected spans with the lexicon found by a longest-first regex alternation."""
    words = sorted(tok.protected, key=lambda w: (-len(w), w))
    rx = re.compile("|".join(map(re.escape, words)))
    spans = [(m.start(), m.end(), m.group(), "x", "placeholder") for m in PLACEHOLDER_RE.finditer(text)]
    spans += [(m.start(), m.end(), m.group(), tok.protected[m.group()], "lexicon") for m in rx.finditer(text)]
    spans.sort(key=lambda t: (t[0], -(t[1] - t[0]), t[4] != "lexicon"))
    out = []
    for span in spans:
        if not (out and span[0] < out[-1][1]):
            out.append(span)
    return out


@pytest.mark.slow
def test_lexicon_spans_equal_regex_alternation(seed_speech, corpus_dir):
    tok = Tokenizer(detect_slogans=False, established_names=False)  # names: test_established_names_…
    for text in [seed_speech.body] + [load_speech(corpus_dir / n).body for n in SAMPLE]:
        assert tok.protected_spans(text) == _regex_protected_spans(tok, text)
    # nested and overlapping phrases: leftmost, then longest
    bare = Tokenizer(detect_slogans=False, bundled_lexicon=False)
    assert not bare.protected
    rng = random.Random(3)
    for _ in range(200):
        words = {"".join(rng.choice("甲乙丙丁") for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 6))}
        tok = bare.with_segmenter(None)  # a copy with its own protected words
        for w in words:
            tok.add_word(w)
        text = "".join(rng.choice("甲乙丙丁") for _ in range(50))
        assert tok.protected_spans(text) == _regex_protected_spans(tok, text), (words, text)


def test_a_slogan_and_a_lexicon_phrase_of_one_extent_keep_the_lexicon_tag(tokenizer):
    spans = tokenizer.protected_spans("增强四个意识，推广一征三议两公开")
    assert [(w, origin) for _, _, w, _, origin in spans] == [("四个意识", "lexicon"), ("一征三议两公开", "lexicon")]


# ------------------------------------------------------------------ add_word, fingerprint, views
def test_add_word_takes_jiebas_argument_order(tokenizer):
    tok = tokenizer.with_segmenter(None)
    tok.add_word("涧贤银行", 10)  # jieba's order: a frequency, not a tag
    tok.add_word("邻里中心", 5, "ns")
    tok.add_word("红色驿站", tag="n")
    assert tok.protected["涧贤银行"] == FORMULATION_TAG
    assert tok.protected["邻里中心"] == "ns" and tok.protected["红色驿站"] == "n"
    rows = [(t, p, origin) for t, _, _, p, origin in tok.cut("涧贤银行和邻里中心、红色驿站", pos=True)]
    assert ("涧贤银行", "nz", "lexicon") in rows and ("邻里中心", "ns", "lexicon") in rows and ("红色驿站", "n", "lexicon") in rows
    assert "涧贤银行" not in tokenizer.protected  # the copy's words are its own


@pytest.mark.parametrize("args,kwargs,error,message", [
    (("词", "n"), {}, TypeError, "tag='n'"),
    ((5,), {}, TypeError, "word must be a string"),
    (("",), {}, ValueError, "non-empty"),
    (("两个 维护",), {}, ValueError, "white space"),
    (("词", 0), {}, ValueError, "1 or more"),
    (("词", -3), {}, ValueError, "1 or more"),
    (("词", 1.5), {}, TypeError, "whole number"),
    (("词", True), {}, TypeError, "whole number"),
    (("词",), {"tag": ""}, ValueError, "part-of-speech tag"),
    (("词",), {"tag": 3}, TypeError, "tag must be a string"),
    (("词", "10", "n"), {}, TypeError, "whole number"),
])
def test_add_word_refuses_bad_arguments_with_a_clear_message(tokenizer, args, kwargs, error, message):
    tok = tokenizer.with_segmenter(None)
    with pytest.raises(error, match=re.escape(message)):
        tok.add_word(*args, **kwargs)
    assert dict(tok.protected) == dict(tokenizer.protected)  # nothing half-added


def test_fingerprint_follows_what_decides_the_tokens(tokenizer):
    tok = tokenizer.with_segmenter(None)
    assert tok.fingerprint == tokenizer.fingerprint
    tok.use_segmenter(lambda text: tokenizer.jieba_tokenizer.lcut(text))  # a segmenter cuts as jieba does
    assert tok.fingerprint == tokenizer.fingerprint
    tok.add_word("涧贤银行")
    changed = tok.fingerprint
    assert changed != tokenizer.fingerprint
    tok.add_word("涧贤银行", tag="n")  # the tag is part of it too
    assert tok.fingerprint not in (changed, tokenizer.fingerprint)
    assert re.fullmatch("[0-9a-f]{64}", tok.fingerprint)


def test_views_are_read_only(tokenizer):
    with pytest.raises(TypeError):
        tokenizer.protected["新词"] = "n"  # type: ignore[index]
    with pytest.raises(AttributeError):
        tokenizer.fingerprint = "x"  # type: ignore[misc]
    assert tokenizer.segmenter is None
    assert tokenizer.jieba_tokenizer.total > 0 and "同志们" in tokenizer.jieba_tokenizer.FREQ


# ---------------------------------------------------------------------- jieba's dictionary (issue 13)
CUT_IN_A_NEW_PROCESS = """
import json
from analysis_utils import Tokenizer
from analysis_utils.scale import PlainJieba
from analysis_utils.slogans.parallel import _jieba
text = "中华人民共和国成立"
print(json.dumps([[t for t, *_ in Tokenizer().cut(text)], [t for t, *_ in PlainJieba().cut(text)],
                  _jieba().lcut(text)], ensure_ascii=False))
"""


def _poisoned_dictionary():
    """jieba's dictionary with 中华人民共和国 no longer a word (cut 中华 / 人民共和国)."""
    import jieba

    from analysis_utils.scale.cache import jieba_dict_path

    with open(jieba_dict_path(), "rb") as f:
        freq, total = jieba.Tokenizer.gen_pfdict(f)
    freq["中华人民共和国"] = 0
    return freq, total


@pytest.mark.slow
@pytest.mark.parametrize("planted", ["a poisoned jieba.cache", "a jieba.cache jieba cannot replace"])
def test_jiebas_cache_in_the_temporary_folder_is_neither_read_nor_written(tmp_path, planted):
    """Issue 13: another user's jieba.cache in the shared temporary folder changed every cut; one
    jieba could not replace gave a traceback on stderr and left a 9 MB temporary file per run."""
    import analysis_utils

    shared = tmp_path / "tmp"
    shared.mkdir()
    if planted == "a poisoned jieba.cache":
        (shared / "jieba.cache").write_bytes(marshal.dumps(_poisoned_dictionary()))
    else:
        (shared / "jieba.cache").mkdir()  # as a cache owned by another user: jieba's rename fails
    before = sorted(os.listdir(shared))
    (tmp_path / "cache").mkdir()
    env = {**os.environ, "TMPDIR": str(shared), "ANALYSIS_UTILS_CACHE": str(tmp_path / "cache"),
           "PYTHONPATH": str(Path(analysis_utils.__file__).parents[1])}
    for _ in range(2):  # the first builds the dictionary and keeps it in the cache folder, the second reads it
        done = subprocess.run([sys.executable, "-c", CUT_IN_A_NEW_PROCESS], env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == [["中华人民共和国", "成立"]] * 3
        assert done.stderr == ""  # no "Building prefix dict", no traceback
        assert sorted(os.listdir(shared)) == before  # nothing written to the shared folder
    assert [p.parent.name for p in (tmp_path / "cache").rglob("*.marshal")] == ["jieba"]


@pytest.mark.slow
@pytest.mark.parametrize("how", ["ours", "another owner", "writable by others", "a wrong checksum"])
def test_a_stored_jieba_dictionary_is_used_only_when_it_is_ours_and_whole(tmp_path, monkeypatch, how):
    from analysis_utils.scale.cache import seal
    from analysis_utils.tokenizer import new_jieba

    monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(tmp_path))
    assert new_jieba().lcut("中华人民共和国成立") == ["中华人民共和国", "成立"]  # built, and kept
    [stored] = (tmp_path / "jieba").iterdir()
    from analysis_utils.scale.cache import JiebaImage, decode_image, encode_image, read

    freq, total = _poisoned_dictionary()
    poisoned = JiebaImage(freq, total, decode_image(read(stored)).tags)  # type: ignore[union-attr]
    planted = bytearray(seal(stored.name, encode_image(poisoned)))  # a checksum that holds
    if how == "a wrong checksum":
        planted[10] ^= 1
    stored.write_bytes(bytes(planted))
    os.chmod(stored, 0o666 if how == "writable by others" else 0o600)
    if how == "another owner":
        if not hasattr(os, "geteuid") or os.geteuid() != 0:
            pytest.skip("giving a file to another user needs root")
        os.chown(stored, 65534, 65534)
    from analysis_utils.scale import cache

    monkeypatch.setattr(cache, "_DICTIONARY", None)  # as in a new process (one process reads the file once)
    cut = new_jieba().lcut("中华人民共和国成立")
    # our own file is believed (so the planted one would have changed the cut), no other
    assert cut == (["中华", "人民共和国", "成立"] if how == "ours" else ["中华人民共和国", "成立"])


def test_the_package_makes_jieba_tokenizers_in_one_place():
    import ast

    import analysis_utils

    package = Path(analysis_utils.__file__).parent
    made = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                    node.func.attr == "initialize" or ast.unparse(node.func) == "jieba.Tokenizer"):
                made.append((path.relative_to(package).as_posix(), ast.unparse(node.func)))
    assert made == [("tokenizer.py", "jieba.Tokenizer")]


# ------------------------------------------------------- issue 15: names, chains, new terms, tags
def _corpus_texts(corpus_dir):
    """Every text of the development corpus: each file's body and each wikisource record."""
    for path in sorted(corpus_dir.rglob("*.txt")):
        yield path.name, load_speech(path).body
    for path in sorted((corpus_dir / "wikisource").glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                yield f"{path.name}:{n}", json.loads(line)["content"]


def _cut_inside(spans, start: int, end: int) -> bool:
    """Whether a token boundary falls strictly inside ``start:end``: jieba cuts only between
    protected spans, so a stretch is whole exactly when one protected span covers it."""
    return not any(s <= start and end <= e for s, e, *_ in spans)


@pytest.mark.slow
def test_established_names_are_never_cut_anywhere_in_the_corpus(tokenizer, corpus_dir):
    from analysis_utils.lexicon import load_established_names

    names = load_established_names()
    rx = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
    cut, seen = [], 0
    for label, text in _corpus_texts(corpus_dir):
        spans = tokenizer.protected_spans(text)
        for m in rx.finditer(text):
            seen += 1
            if _cut_inside(spans, m.start(), m.end()):
                cut.append((label, m.group(), text[max(0, m.start() - 8):m.end() + 8]))
    assert seen > 1000 and not cut, cut[:10]


@pytest.mark.slow
def test_no_formulation_is_cut_by_another_anywhere_in_the_corpus(tokenizer, corpus_dir):
    """Every occurrence of a kept-whole word and of a number slogan, each stretch of text once
    (leftmost-longest, as the slogan counter's default ``overlap="longest"``), lies inside one
    protected span in every text of the corpus."""
    import ahocorasick

    from analysis_utils.slogans import find_number_slogans
    from analysis_utils.text import leftmost_longest

    every = ahocorasick.Automaton()  # every occurrence, overlapping ones too
    for word in tokenizer.protected:
        every.add_word(word, len(word))
    every.make_automaton()
    cut, seen = [], 0
    for label, text in _corpus_texts(corpus_dir):
        spans = tokenizer.protected_spans(text)
        found = [(s, e) for s, e, _ in find_number_slogans(text, idioms=tokenizer._idioms)]
        found = leftmost_longest(found + [(e + 1 - n, e + 1) for e, n in every.iter(text)])
        seen += len(found)
        cut += [(label, text[s:e]) for s, e in found if _cut_inside(spans, s, e)]
    assert seen > 10_000 and not cut, cut[:10]


def test_a_lexicon_phrase_beginning_inside_a_name_does_not_cut_it(tokenizer, cpc20):
    """二十大报告 has 香港特别行政区, 粤港澳大湾区, 一带一路 …; whatever lexicon phrase begins inside
    (香港, 大湾区, 一带 …), the real tokens keep the name whole, tagged as a name."""
    tokens = tokenizer.tokens(cpc20)
    for name in ("香港特别行政区", "粤港澳大湾区", "京津冀协同发展", "一带一路", "中国人民解放军"):
        assert cpc20.body.count(name) == tokens.token.str.count(name).sum() > 0, name
    for text, name in [("中央军事委员会主席负责制", "中央军事委员会"),
                       ("全国人民代表大会常务委员会委员长", "全国人民代表大会常务委员会"),
                       ("中国共产党中央委员会总书记", "中国共产党中央委员会")]:
        cut = [(t, p) for t, _, _, p, _ in tokenizer.cut(text, pos=True)]
        assert cut[0][0] == name and not cut[0][1].startswith("nr"), cut
    made = Tokenizer(bundled_lexicon=False, detect_slogans=False)
    made.add_word("军事委员")  # a word beginning inside the name: the name still wins
    assert [t for t, *_ in made.cut("中央军事委员会")] != ["中央军事委员会"]
    bundled = Tokenizer(detect_slogans=False)
    bundled.add_word("军事委员")
    assert [t for t, *_ in bundled.cut("中央军事委员会主席")][0] == "中央军事委员会"


def test_every_formulation_the_slogan_counter_counts_stays_whole(tokenizer, cpc20, gwr, seed_speech):
    """Every lexicon phrase, every item of a chained one (获得感、幸福感、安全感 → 获得感 …) and
    every number slogan the slogan counter finds lies inside one token of the real token table
    of these three texts (no token boundary falls inside it). Where two overlap (党的十九大|十九大精神)
    each stretch counts once, leftmost-longest, as the slogan counter's default ``overlap="longest"``."""
    from analysis_utils import load_lexicon
    from analysis_utils.slogans import find_number_slogans
    from analysis_utils.text import leftmost_longest

    forms, jieba_words = set(), tokenizer.jieba_tokenizer.FREQ
    for phrase in load_lexicon().phrase:  # two-character items jieba knows (创新 民主) stay plain words
        items = re.split("[、，]", phrase)
        forms |= {phrase} if len(items) == 1 else {
            i for i in items if "的" not in i and (len(i) > 2 or (len(i) == 2 and i not in jieba_words))}
    rx = re.compile("|".join(map(re.escape, sorted(forms, key=len, reverse=True))))
    for speech in (cpc20, gwr, seed_speech):
        text = speech.body
        tokens = tokenizer.tokens(speech, pos=False)
        inner = {i for s, e in zip(tokens.start, tokens.end) for i in range(s + 1, e)}
        found = [(m.start(), m.end()) for m in rx.finditer(text)]
        found = leftmost_longest(found + [(s, e) for s, e, _ in find_number_slogans(text, idioms=tokenizer._idioms)])
        cut = [text[s:e] for s, e in found if not all(i in inner for i in range(s + 1, e))]
        assert found and not cut, (speech.path.name, cut)


def test_items_of_chained_formulations_and_sets_are_tokens(tokenizer, cpc20):
    """二十大报告: 获得感、幸福感、安全感 and 道路自信、理论自信、制度自信、文化自信: each item a token."""
    tokens = tokenizer.tokens(cpc20)
    words = set(tokens.token)
    for item in ("获得感", "幸福感", "安全感", "道路自信", "理论自信", "制度自信", "文化自信",
                 "伟大斗争", "伟大工程", "伟大事业", "伟大梦想"):
        assert item in words, item
        assert tokens.token.str.count(item).sum() == cpc20.body.count(item), item
    assert set(tokens.loc[tokens.token.isin(["获得感", "幸福感"]), "origin"]) == {"lexicon"}


NEW_TERMS = ("新质生产力", "数字经济", "人工智能", "平台经济", "新能源汽车", "算力", "大数据", "云计算", "区块链",
             "双碳", "碳达峰", "碳中和", "专精特新", "共同富裕", "全过程人民民主", "中国式现代化", "工业互联网",
             "先进制造业", "战略性新兴产业", "数字政府", "产业数字化", "绿色低碳", "新型工业化", "现代化产业体系")


def test_new_terms_of_recent_reports_are_in_the_lexicon_and_stay_whole(tokenizer, gwr, cpc20):
    lex = tokenizer.lexicon.set_index("phrase")
    for term in NEW_TERMS:
        assert term in lex.index, term
        assert lex.at[term, "category"] in {"economy", "ecology", "society", "governance", "theory", "defense"}
        assert lex.at[term, "note"].strip(), term
    for speech, terms in ((gwr, ("工业互联网", "人工智能", "数字政府", "新能源汽车", "碳达峰")),
                          (cpc20, ("现代化产业体系", "新型工业化", "战略性新兴产业", "数字经济"))):
        tokens = tokenizer.tokens(speech)
        for term in terms:
            assert tokens.token.str.count(term).sum() == speech.body.count(term) > 0, (speech.path.name, term)


def test_protected_spans_never_carry_a_person_name_tag(tokenizer, cpc20, gwr):
    """jieba's tagger calls 毛泽东思想, 邓小平理论, 幸福感, 双循环 person names (nr); a word kept
    whole keeps its own tag, in the token table and from ``Tokenizer.tag``."""
    for word in list(tokenizer.protected) + list(tokenizer.names):
        assert not tokenizer.tag(word).startswith("nr"), (word, tokenizer.tag(word))
    assert tokenizer.tag("毛泽东思想") == "nz" and tokenizer.tag("国务院") == "nt"
    for speech in (cpc20, gwr):
        tokens = tokenizer.tokens(speech)
        kept = tokens[tokens.origin.isin(["lexicon", "slogan", "name"])]
        assert len(kept) > 100 and not kept.pos.str.startswith("nr").any()


# -- the fast path's pieces (issue 20): each proven equal to what it replaces ------------------
def test_placeholders_begin_only_where_the_pattern_can_begin():
    """Every branch of PLACEHOLDER_RE starts with a character of _PLACEHOLDER_FIRST (so trying
    the pattern only there finds what finditer finds)."""
    import re._parser as sre_parse

    from analysis_utils.tokenizer import _PLACEHOLDER_FIRST

    def first_chars(items) -> set[str]:
        op, av = items[0]
        if op is sre_parse.BRANCH:
            return set().union(*(first_chars(list(b)) for b in av[1]))
        if op is sre_parse.SUBPATTERN:
            return first_chars(list(av[3]))
        if op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT) and av[0] < 0:  # a look-behind: skip it
            return first_chars(items[1:])
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT):
            assert av[0] >= 1
            return first_chars(list(av[2]))
        if op is sre_parse.LITERAL:
            return {chr(av)}
        assert op is sre_parse.IN, op
        return {chr(c) for kind, c in av if kind is sre_parse.LITERAL}

    chars = first_chars(list(sre_parse.parse(PLACEHOLDER_RE.pattern)))
    assert chars and all(_PLACEHOLDER_FIRST.fullmatch(c) for c in chars)


@settings(max_examples=300)
@given(st.text(alphabet="×XxＸｘ○□△＊*某二年A中 \n", max_size=40))
def test_placeholders_find_what_finditer_finds(text):
    from analysis_utils.tokenizer import placeholders

    assert [m.span() for m in placeholders(text)] == [m.span() for m in PLACEHOLDER_RE.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="中国人民共产党央军事委员会一二三", max_size=60))
def test_protected_words_and_names_are_leftmost_longest_of_all_occurrences(text):
    """The Aho-Corasick scan gives what text.leftmost_longest gives over every occurrence."""
    from analysis_utils.text import leftmost_longest

    tok = _small_tokenizer()
    def every(words):
        return leftmost_longest([(i, i + len(w)) for w in words for i in range(len(text)) if text.startswith(w, i)])
    words = [(s, e) for _, s, e in tok._words_ac.find_matches_as_indexes(text)]
    names = [(s, e) for _, s, e in tok._names_ac.find_matches_as_indexes(text)]
    assert words == every(tok.protected) and names == every(tok.names)


_SMALL: list = []


def _small_tokenizer() -> Tokenizer:
    """A tokenizer (made once) with overlapping protected words and names."""
    if not _SMALL:
        tok = Tokenizer(bundled_lexicon=False, detect_slogans=False)
        for w in ["中国", "中国人", "国人民", "人民", "共产党", "中国共产党", "一二", "二三", "一二三"]:
            tok.add_word(w)
        tok.names = {"中央军事委员会": "nt", "军事": "n", "委员会": "n", "中央": "n"}
        tok._compile()
        _SMALL.append(tok)
    return _SMALL[0]


def test_cut_table_is_what_cut_yields(tokenizer, seed_speech):
    from analysis_utils.tokenizer import CutTable

    rows = list(tokenizer.cut(seed_speech.body, pos=True))
    table = tokenizer.cut_table(seed_speech.body, pos=True)
    again = CutTable.from_rows(rows)
    assert list(table.rows()) == rows and table.types == again.types
    assert table.ids.tolist() == again.ids.tolist() and table.starts.tolist() == again.starts.tolist()
    assert len(table.types) == len({(t, p, o) for t, _, _, p, o in rows}) < len(rows)


@pytest.mark.parametrize("text", ["中\x00国共产党\x01的\x02四个意识\x03", "".join(map(chr, range(0, 32))) + "四个意识",
                                  "发展\ud800四个意识\udfff鿖㐀 2015年GDP增长5.5%", "",
                                  "四个意识的" + "".join(map(chr, range(0, 0xF900))) + "党的建设"])
def test_the_fast_path_cuts_texts_holding_its_stand_in_characters_alike(tokenizer, text):
    pytest.importorskip("rjieba")
    from analysis_utils.scale import FastSegmenter

    fast = tokenizer.with_segmenter(FastSegmenter.for_tokenizer(tokenizer))
    for pos in (True, False):
        assert list(fast.cut(text, pos=pos)) == list(tokenizer.cut(text, pos=pos))


def test_a_segmenter_that_loses_a_character_is_an_error_not_a_wrong_offset(tokenizer):
    broken = tokenizer.with_segmenter(lambda text: [w for w in tokenizer.jieba_tokenizer.lcut(text) if w != "的"])
    with pytest.raises(RuntimeError, match="lost or changed"):
        broken.cut_table("我们的工作很好")


def test_remember_tags_takes_only_tags_the_tagger_could_have_given():
    tok = Tokenizer()
    taken = tok.remember_tags({"涧贤": "nr", "干部": "v", "四个意识": "v", "中央军事委员会": "v",
                               "某词": "not a tag", "有 空格": "n", "": "n"})
    assert taken == 1
    assert (tok.tag("涧贤"), tok.tag("干部"), tok.tag("四个意识"), tok.tag("中央军事委员会")) == ("nr", "n", "nz", "nt")
    fresh = Tokenizer()  # what jieba's tagger works out is noted in learned (to be saved)
    assert fresh.learned == {} and fresh.tag("涧贤") == fresh.learned["涧贤"]
    assert fresh.tag("干部") == "n" and "干部" not in fresh.learned


def test_tokenizers_of_one_process_share_jiebas_tables_read_once_but_not_their_added_words(seed_path):
    """A second Tokenizer reuses the process's copy of jieba's dictionary and tag table (read once,
    each tokenizer with its own copy of both), cuts and tags the seed exactly as the first, and a word
    added to one is in neither the other's dictionary, tag table nor tokens."""
    from analysis_utils import load_speech
    from analysis_utils.scale import cache

    speech = load_speech(seed_path)
    first = Tokenizer()
    reads = cache._DICTIONARY
    second = Tokenizer()
    assert cache._DICTIONARY is reads                       # not read again
    assert first.pos_tagger.word_tag_tab is not second.pos_tagger.word_tag_tab
    assert first.jieba_tokenizer.FREQ is not second.jieba_tokenizer.FREQ
    assert first.tokens(speech).equals(second.tokens(speech))
    second.add_word("基层党建")
    second.jieba_tokenizer.add_word("涧贤银行", tag="nz")
    assert "涧贤银行" not in first.jieba_tokenizer.FREQ and "涧贤银行" not in Tokenizer().jieba_tokenizer.FREQ
    assert "基层党建" in second.tokens(speech).token.tolist()
    second.tag("涧贤银行")                                   # jieba's tagger merges the added word into its table
    assert "涧贤银行" in second.pos_tagger.word_tag_tab and "涧贤银行" not in Tokenizer().pos_tagger.word_tag_tab
    assert first.tokens(speech).equals(Tokenizer().tokens(speech))


# -- issue 20: jieba's dict.txt parsed once per machine (the image), not two or three times per process ----
PARSES_IN_A_NEW_PROCESS = r"""
import json, os, sys
import jieba
DICT = os.path.realpath(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"))
parses = []
def count(event, args):  # every opening of dict.txt but the one that hashes it (the cache's key)
    if event == "open" and isinstance(args[0], (str, os.PathLike)) and os.path.realpath(args[0]) == DICT:
        f, names = sys._getframe(1), set()
        while f is not None:
            names.add(f.f_code.co_name)
            f = f.f_back
        if "_digest_cached" not in names:
            parses.append(1)
sys.addaudithook(count)
from analysis_utils import Tokenizer
from analysis_utils.scale import PlainJieba, fast_tokenizer
text = open(sys.argv[1], encoding="utf-8").read()[:3000]
fast_tokenizer().cut_table(text)
Tokenizer().cut_table(text)
PlainJieba().record(text, 0)
made = len(parses)
import jieba.posseg  # jieba's own global tagger, as a notebook may use it: jieba's tags
print(json.dumps([made, [tuple(p) for p in jieba.posseg.lcut(text + "涧贤镇GDP增长5%")], len(parses)]))
"""
POSSEG_ALONE = r"""
import json, sys
import jieba.posseg
text = open(sys.argv[1], encoding="utf-8").read()[:3000]
print(json.dumps([tuple(p) for p in jieba.posseg.lcut(text + "涧贤镇GDP增长5%")]))
"""


@pytest.mark.slow
def test_a_process_parses_jiebas_dictionary_twice_without_the_image_and_never_with_it(tmp_path, seed_path):
    """Before: dict.txt parsed three times by the first process (FREQ; the tag table for
    jieba.posseg's global tagger at its import; again for the package's tagger) and twice by
    every later one. Now: twice by the first (FREQ, tags: jieba's code, into the image), never by
    a later one; jieba.posseg's own global tagger still tags as jieba alone does."""
    import analysis_utils

    env = {**os.environ, "ANALYSIS_UTILS_CACHE": str(tmp_path), "PYTHONPATH": str(Path(analysis_utils.__file__).parents[1])}

    def run(script):
        done = subprocess.run([sys.executable, "-c", script, str(seed_path)], env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    first, second, alone = run(PARSES_IN_A_NEW_PROCESS), run(PARSES_IN_A_NEW_PROCESS), run(POSSEG_ALONE)
    assert (first[0], second[0]) == (2, 0)
    assert (first[2], second[2]) == (2, 0)         # jieba.posseg's global tagger: from the image too
    assert first[1] == second[1] == alone and len(alone) > 1000


FAST_RECORDS_IN_A_NEW_PROCESS = r"""
import hashlib, json, sys
from pathlib import Path
from analysis_utils import load_speech
from analysis_utils.scale import cache, fast_tokenizer
from analysis_utils.scale.sources import as_corpus, load_item
if sys.argv[1] == "read":
    def made_again(*_):
        raise AssertionError("the image was made again from dict.txt, not read")
    assert cache.build_jieba_image  # what makes the image (from dict.txt, by jieba's code): not called here
    cache.build_jieba_image = made_again
paths = json.loads(sys.argv[2])
texts = [load_speech(p) for p in paths if p.endswith(".txt")]
texts += [load_item(it) for p in paths if p.endswith(".jsonl") for it in as_corpus(Path(p)).stream()]
tok = fast_tokenizer()
print(json.dumps([hashlib.sha256(cache.encode_tokens(tok.cut_table(s.body), s.han_chars)).hexdigest() for s in texts]))
"""


@pytest.mark.slow
def test_tokens_and_tags_are_the_same_with_the_image_as_from_dict_txt_on_every_text(tmp_path, seed_path, corpus_dir):
    """The seed, every corpus .txt and every Wikisource record: the cache record (tokens, tags,
    offsets, origins) of a process that made its tables from dict.txt (an empty cache folder)
    equals that of a process that read them from the image."""
    import analysis_utils

    paths = [str(seed_path)] + [str(p) for p in sorted(corpus_dir.rglob("*.txt")) if not p.stem.upper().startswith("README")]
    paths += [str(p) for p in sorted((corpus_dir / "wikisource").glob("*.jsonl"))]
    env = {**os.environ, "ANALYSIS_UTILS_CACHE": str(tmp_path), "PYTHONPATH": str(Path(analysis_utils.__file__).parents[1])}
    records = []
    for how in ("make", "read"):
        done = subprocess.run([sys.executable, "-c", FAST_RECORDS_IN_A_NEW_PROCESS, how, json.dumps(paths)], env=env,
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr
        records.append(json.loads(done.stdout))
    assert len(records[0]) > 140 and records[0] == records[1]
