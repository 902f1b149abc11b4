"""Number slogans by pattern (analysis_utils.slogans.number), checked against the hand-marked gold list."""
from __future__ import annotations

import contextlib
import functools
import importlib
import json
import re
import tempfile
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis_utils import load_speech, speech_from_text
from analysis_utils.config import SEED_SPEECH
from analysis_utils.slogans import (
    HIT_COLUMNS,
    builtin_idioms,
    evaluate_against,
    find_number_slogans,
    number_slogan_spans,
    number_slogans,
    resolve_lexicon,
    slogan_counts,
)

from .helpers import NO_LEXICON, SPEECH, composed, gold, slogans_in, speech_path


@pytest.mark.parametrize(
    "text,expected",
    [
        ("推广运用“一征三议两公开”工作法", ["一征三议两公开"]),
        ("推广运用一征三议两公开工作法", ["一征三议两公开"]),
        ("严格落实发展党员双推双评三全程制度", ["双推双评三全程"]),
        ("要大力实施三级联创五化并举，打造阵地", ["三级联创五化并举"]),
        ("落实“三去一降一补”任务", ["三去一降一补"]),
        ("充分利用两个市场两种资源联动效应", ["两个市场两种资源"]),
        ("大力实施“万企兴万村”行动", ["万企兴万村"]),
        ("践行“四个意识”、落实“两个维护”", ["四个意识", "两个维护"]),
        ("增强四个意识、坚定四个自信", ["四个意识", "四个自信"]),
        ("发挥中央和地方两个积极性，尊重", ["两个积极性"]),
        ("实行“三单制”管理", ["三单制"]),
        ("社区“两委”成员", ["两委"]),
        ("以“五星支部”创建为抓手", ["五星支部"]),
        ("打造七型部门、争做七个模范", ["七型部门", "七个模范"]),
        ("提升五个品质，高质量发展", ["五个品质"]),
        ("办好基层党建十件实事", ["十件实事"]),
        ("强化政治意识等十种意识，提升十种能力。", ["十种意识", "十种能力"]),
        ("健全区、街道、社区三级联动体系", ["三级联动"]),
        ("持续推进三社联动工作，促进两翼融合", ["三社联动", "两翼融合"]),
        ("制定“十四五”规划", ["十四五"]),
        ("编制十四五规划", ["十四五"]),
        ("坚持四项基本原则", ["四项基本原则"]),
        ("在和平共处五项原则基础上", ["五项原则"]),
        ("经历了三件大事：一是", ["三件大事"]),
        ("战略安排是分两步走：从", ["两步走"]),
        ("打好三大攻坚战", ["三大攻坚战"]),
        ("统筹推进五位一体总体布局", ["五位一体"]),
    ],
)
def test_number_slogans_are_found_whole_by_pattern(text, expected):
    assert slogans_in(text, lexicon=NO_LEXICON) == expected


@pytest.mark.parametrize(
    "text",
    [
        "工作三个月后", "举办研修班四期", "组织×个主体班次", "讲两点意见：", "一是强化政治意识", "第一，要坚持",
        "比重提高七点二个百分点", "达到百分之十八点五，", "坚持五湖四海、任人唯贤", "推动建设一个持久和平的世界",
        "学习党的十九大精神", "十九届六中全会提出", "一心一意干事业", "千方百计稳定就业", "两岸同胞血脉相连",
        "加强对“一把手”的监督", "中印两大文明", "生活一年比一年好", "评奖一个接着一个", "构建全国统一大市场",
        "国企改革三年行动", "长三角一体化发展", "到二〇三五年基本实现", "重点做好以下五个方面工作：",
        "这是两个突出印象。", "集聚起万众一心、共克时艰的力量", "两国双向往来", "世界又一次站在历史的十字路口",
        "“一线指挥部”", "“一代更比一代强”", "“两条腿”走路", "全国八百三十二个贫困县", "召开七次全会",
    ],
)
def test_quantities_structure_words_idioms_and_congresses_are_not_slogans(text):
    assert slogans_in(text) == []


def test_lexicon_numeral_phrases_are_always_number_slogans_and_win_over_patterns():
    text = "坚持一个中国原则，把握世界百年未有之大变局，推进四梁八柱性质的改革"
    assert slogans_in(text, lexicon=NO_LEXICON) == ["四梁八柱性质"]  # the pattern alone overshoots
    assert slogans_in(text) == ["一个中国原则", "百年未有之大变局", "四梁八柱"]
    spans = number_slogan_spans(text, lexicon=["一个中国原则"])
    assert [(w, r) for _, _, w, r in spans] == [("一个中国原则", "lexicon"), ("四梁八柱性质", "chained")]


def test_find_number_slogans_keeps_its_tokeniser_contract():
    text = "推广“一征三议两公开”工作法，落实“双推双评三全程”制度"
    out = find_number_slogans(text, idioms={"双推双评三全程"})
    assert [(text[s:e], w) for s, e, w in out] == [("一征三议两公开", "一征三议两公开")]


def test_number_slogans_on_the_seed_match_the_hand_marked_list(seed_speech):
    hits = number_slogans(seed_speech)
    assert list(hits.columns) == HIT_COLUMNS
    assert (hits.apply(lambda r: seed_speech.body[r.start:r.end] == r.slogan, axis=1)).all()
    found = hits.slogan.value_counts().to_dict()
    assert found == gold()[seed_speech.path.name]
    # the chained ones are whole, each once
    for s in ("一征三议两公开", "双推双评三全程", "三级联创五化并举"):
        assert found[s] == 1
    assert not any(s.startswith(("三个月", "四期", "两点", "一是", "第一")) for s in found)


@pytest.mark.parametrize(
    "name,min_precision,min_recall",
    [
        ("party_building_conference_speech.txt", 1.0, 1.0),
        ("cpc20_report.txt", 1.0, 1.0),
        ("gwr_2022_crlf.txt", 1.0, 1.0),
        ("xi_2015_county_secretaries.txt", 1.0, 1.0),
        ("032_2014-10-08.txt", 1.0, 0.9),  # marked by hand after the rules were written (两结合 is missed)
    ],
)
def test_precision_and_recall_against_the_hand_marked_gold_lists(seed_path, corpus_dir, name, min_precision, min_recall):
    speech = load_speech(speech_path(name, seed_path, corpus_dir))
    r = evaluate_against(slogan_counts(speech, kinds="number"), gold()[name])
    assert r["precision"] >= min_precision and r["recall"] >= min_recall, r


def test_patterns_alone_find_most_of_the_hand_marked_slogans(corpus_dir):
    for name, floor in (("cpc20_report.txt", 0.8), ("gwr_2022_crlf.txt", 0.75)):
        speech = load_speech(corpus_dir / name)
        r = evaluate_against(number_slogans(speech, lexicon=NO_LEXICON).slogan.value_counts().to_dict(), gold()[name])
        assert r["precision"] == 1.0 and r["recall"] >= floor, (name, r)


# ------------------------------------------------------------- issue 15: idioms, chains, nesting, references
BRIEF_IDIOMS = ("三心二意", "五湖四海", "九牛一毛", "三顾茅庐", "一举两得", "七上八下", "四面八方", "三令五申",
                "千方百计", "一心一意", "十全十美", "三从四德", "百战百胜", "三长两短", "五谷丰登", "八仙过海",
                "千变万化", "两袖清风", "一干二净", "三人行必有我师", "三十年河东三十年河西", "十年磨一剑",
                "百废俱兴", "三大战役")


@pytest.mark.parametrize("idiom", BRIEF_IDIOMS)
def test_numeral_idioms_legends_and_book_phrases_are_never_number_slogans(idiom):
    for text in (f"我们{idiom}，", f"所谓“{idiom}”。", f"{idiom}"):
        assert slogans_in(text) == [], text


def test_the_idiom_list_is_a_bundled_data_file_without_political_formulations():
    from analysis_utils.slogans.number import IDIOMS_FILE

    words = [w for w in IDIOMS_FILE.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")]
    assert len(words) >= 500 and set(BRIEF_IDIOMS) <= builtin_idioms()
    assert not {"一国两制", "一岗双责", "五位一体", "两个凡是", "三八作风", "八荣八耻"} & builtin_idioms()
    assert slogans_in("发扬“三八作风”，落实一岗双责") == ["三八作风", "一岗双责"]


@pytest.mark.slow
def test_no_idiom_is_a_number_slogan_in_the_corpus(corpus_dir, tmp_path):
    """Every corpus text and Wikisource record, read from disk: the idioms found there before are gone."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.rglob("*.txt"))]
    for name in ("government_work_reports", "cpc_congress_reports"):
        lines = (corpus_dir / "wikisource" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        texts += [json.loads(line)["content"] for line in lines]
    found = {w for t in texts for _, _, w, _ in number_slogan_spans(t, lexicon=resolve_lexicon().phrase)}
    assert not found & builtin_idioms()
    assert not found & {"百废俱兴", "十年磨一剑", "百战百胜", "三大战役"}  # all four were slogans before
    assert {"三八作风", "双随机、一公开", "两个凡是", "五讲四美"} <= found


@pytest.mark.parametrize(
    "text,expected",
    [
        ("稳定实现“两不愁、三保障”，", ["两不愁、三保障"]),
        ("全面推行“双随机、一公开”监管", ["双随机、一公开"]),
        ("解决“两不愁”“三保障”问题", ["两不愁”“三保障"]),
        ("做好“六稳”“六保”工作", ["六稳", "六保"]),  # two lexicon slogans side by side stay two
        ("深刻领悟两个确立、做到两个维护", ["两个确立", "两个维护"]),
        ("一要吃饭，二要建设。", []),
        ("一气，二体，三类，四物，五声，六律，七音，八风，九歌", []),
        ("今后五年、十年", []),
    ],
)
def test_a_chain_written_with_its_segments_apart_stays_one(text, expected):
    assert slogans_in(text) == expected


def test_a_slogan_inside_a_longer_chain_is_reported_once_under_the_longer():
    for lexicon in (["三保障"], ["两不愁"], ["两不愁三保障", "三保障"]):
        spans = number_slogan_spans("实现两不愁三保障目标", lexicon=lexicon)
        assert [w for _, _, w, _ in spans] == ["两不愁三保障"], lexicon
    assert [w for _, _, w, _ in number_slogan_spans("推进四梁八柱性质的改革", lexicon=["四梁八柱"])] == ["四梁八柱"]


def test_a_set_slogan_referred_back_to_with_a_demonstrative_is_found():
    hits = number_slogans(composed("协调推进四个全面战略布局。这“四个”相辅相成。办好两件大事，这两件大事关系全局；"
                                   "增强四个意识，这四个意识缺一不可。这“三个”没有前文。"))
    assert hits[["slogan", "detail"]].values.tolist() == [
        ["四个全面战略布局", "lexicon"], ["四个全面战略布局", "demonstrative"], ["两件大事", "numbered_set"],
        ["两件大事", "numbered_set"], ["四个意识", "lexicon"], ["四个意识", "lexicon"]]
    assert slogan_counts(hits, kinds="number").set_index("slogan")["formulation_count"].to_dict()["四个全面战略布局"] == 2


def test_the_tokeniser_gets_each_item_of_a_chain_written_apart():
    text = "全面推行“双随机、一公开”监管，稳定实现两不愁、三保障。"
    assert [(text[s:e], w) for s, e, w in find_number_slogans(text)] == [
        ("双随机", "双随机"), ("一公开", "一公开"), ("两不愁", "两不愁"), ("三保障", "三保障")]


# -- the fast pattern search gives what the old scan gave --------------------------------------
# The reference below is the code before issue 20 (commit 9f5b015), kept here as the oracle: every
# pattern scanned over every window with ``finditer``. The package tries each pattern only at the
# numerals and quotes where it can start; both must give the same hits, byte for byte.
N = importlib.import_module("analysis_utils.slogans.number")


def _reference_windows(text):
    out = []
    for m in N._STARTS_RE.finditer(text):
        a, b = max(0, m.start() - N._BEFORE), min(len(text), m.start() + N._AFTER)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _reference_numbered_sets(text):
    for m in N._GE_RE.finditer(text):
        p = m.end()
        n = N._head_with_boundary(text, p)
        if n is None or not N._ge_head_ok(text[p:p + n], text[p + n:p + n + 1]):
            continue
        yield m.start(), p + n, "numbered_set"
    for m in N._DA_RE.finditer(text):
        yield m.start(), m.end(), "numbered_set"
    for rx in (*N._RULE_RES.values(), N._XING_RE, N._XING_STAR_RE, N._WEI_RE, N._BU_RE, N._NX_VERB_RE):
        for m in rx.finditer(text):
            yield m.start(), m.end(), "numbered_set"


def _reference_candidates(text):
    cands = [(m.start(1), m.end(1), "quoted") for m in N.QUOTED_RE.finditer(text) if N._good_quoted(m.group(1))]
    cands += [(m.start(), m.end(), "chained") for m in N.CHAINED_RE.finditer(text) if N._good_chain(m.group())]
    cands += [(m.start(), m.end(), "chained") for m in N.SPLIT_CHAINED_RE.finditer(text)
              if N._good_split_chain(m.group())]
    cands += [(m.start(), m.end(), "five_year") for m in N.FIVE_YEAR_RE.finditer(text)]
    cands.extend(_reference_numbered_sets(text))
    return cands


def _reference_rejected(word, start, end, idioms, idiom_spans):
    if (word in idioms or N.is_quantity_or_structure(word) or N.MEETING_RE.search(word)
            or any(word.startswith(w) for w in N.LEXICALISED)):
        return True
    return any(a < end and start < b for a, b in idiom_spans)


def _reference_spans_in(text, idioms, lex_re, use_builtin_idioms):
    spans = [(m.start(), m.end(), m.group(), "lexicon") for m in lex_re.finditer(text)] if lex_re is not None else []
    cands = _reference_candidates(text)
    idiom_spans = N._idiom_spans(text) if use_builtin_idioms and cands else []
    spans += [(s, e, text[s:e], rule) for s, e, rule in cands
              if not _reference_rejected(text[s:e], s, e, idioms, idiom_spans)]
    return N.leftmost_longest(N._lexicon_wins(spans), tiebreak=lambda t: t[3] != "lexicon")


def reference_spans(text, *, idioms=(), lexicon=(), use_builtin_idioms=True):
    """``number_slogan_spans`` as it was before issue 20 (the oracle)."""
    lex_re = N._lexicon_regex(tuple(lexicon))
    out = []
    for a, b in _reference_windows(text):
        out += [(s + a, e + a, w, r) for s, e, w, r in _reference_spans_in(text[a:b], idioms, lex_re, use_builtin_idioms)]
    return out


@contextlib.contextmanager
def the_reference():
    """Everything built on ``number_slogan_spans`` (number_slogans, find_number_slogans, the
    tokeniser's protected spans and tokens) computed with the oracle instead."""
    with mock.patch.object(N, "number_slogan_spans", reference_spans):
        yield


@functools.lru_cache(maxsize=1)
def bundled_lexicon() -> tuple[str, ...]:
    return tuple(resolve_lexicon().phrase)


def _assert_same_slogans(speech, raw, tokenizer, *, tokens=True):
    """The fast path and the oracle agree on every function built on number slogans."""
    lex = bundled_lexicon()

    def results():
        return (N.number_slogan_spans(raw, lexicon=lex), N.number_slogan_spans(raw, use_builtin_idioms=False),
                N.number_slogan_spans(speech.body, lexicon=lex, idioms=tokenizer._idioms),
                find_number_slogans(speech.body), find_number_slogans(raw, idioms=tokenizer._idioms),
                tokenizer.protected_spans(speech.body), number_slogans(speech))

    fast = results()
    with the_reference():
        old = results()
    assert fast[:-1] == old[:-1], speech.path
    pd.testing.assert_frame_equal(fast[-1], old[-1])
    if tokens:
        fast_tokens = tokenizer.tokens(speech)
        with the_reference():
            pd.testing.assert_frame_equal(fast_tokens, tokenizer.tokens(speech))


def _corpus_texts(corpus_dir):
    """``(speech, raw text)`` of every corpus .txt file and every Wikisource record, read from disk."""
    out = [(load_speech(p), p.read_text(encoding="utf-8")) for p in sorted(corpus_dir.rglob("*.txt"))]
    for name in ("government_work_reports", "cpc_congress_reports"):
        for line in (corpus_dir / "wikisource" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)["content"]
                out.append((speech_from_text(raw, path=f"{name}.jsonl"), raw))
    return out


def test_fast_patterns_give_the_old_slogans_and_tokens_on_the_seed(seed_path, tokenizer):
    _assert_same_slogans(load_speech(seed_path), seed_path.read_text(encoding="utf-8"), tokenizer)


@pytest.mark.slow
def test_fast_patterns_give_the_old_slogans_and_tokens_on_every_corpus_text(corpus_dir, tokenizer):
    """All 85 .txt files and every record of both Wikisource JSONLs: spans, hits, tokens identical."""
    texts = _corpus_texts(corpus_dir)
    assert len(texts) >= 85 + 50
    for speech, raw in texts:
        _assert_same_slogans(speech, raw, tokenizer)


@pytest.mark.parametrize("text,slogan", [
    ("增强二十五个意识，", "二十五个意识"),  # the classifier three characters after the numeral's start
    ("实行三改一拆。", "三改一拆"),  # a chain's second numeral two characters on
    ("落实十五去降补三保障。", "十五去降补三保障"),  # a chain's second numeral five characters on
    ("解决“十五不愁”“四保障”问题", "十五不愁”“四保障"),  # a chain apart: the second numeral six on
    ("持续推进三社联动工作", "三社联动"),  # a verb two characters on
    ("制定十四五规划", "十四五"),
    ("推进“双减”", "双减"),  # a quote before 双
])
def test_fast_patterns_reach_as_far_as_each_pattern_can_match(text, slogan, tokenizer):
    """Slogans at the edge of where each pattern is tried: found, and as the old scan found them."""
    assert [w for _, _, w, _ in N.number_slogan_spans(text)] == [slogan]
    _assert_same_slogans(composed(text), text, tokenizer)


_SEED_SENTENCES = [s for s in re.split(r"(?<=[。！？；\n])", SEED_SPEECH.read_text(encoding="utf-8")) if s.strip()]
_NUMERALS = st.sampled_from([*"一二三四五六七八九十两双百千万", "十四", "二十", "十九", "三十五", "一十", "十五"])
#: What may follow a numeral: each pattern's classifier and heads, verbs, chain segments, idiom tails.
_AFTER_NUMERAL = st.one_of(
    st.sampled_from([*(f"个{h}" for h in sorted(N.ABSTRACT_HEADS)), *(f"大{h}" for h in N.DA_HEADS),
                     *(c + h for c, heads in N._RULE_HEADS.items() for h in heads)]),
    st.builds(lambda c, v: c + v, st.sampled_from("社翼轮级化个大型星"), st.sampled_from(N._VERBS)),
    st.sampled_from(["个月", "个", "大", "型部门", "星支部", "星红旗", "位一体", "步走", "不愁", "保障", "随机", "公开",
                     "五", "是", "年", "届", "中全会", "心一意", "湖四海", "", "、", "，", "”", "“"]),
)
#: Characters that matter to the guards and heads: numerals, 第, 统, 长, 再, classifiers, quotes, punctuation.
_NOISE = st.text(alphabet="一二三四五两双十百千万亿零第统唯长再这个大项条种件级化型星位步走联动融合“”‘’「」、，。：0１x的工作制度",
                 max_size=6)
#: Chains: two to four segments (a numeral and one to three characters), together or apart.
_SEGMENT = st.builds(lambda n, t: n + t, _NUMERALS, st.text(alphabet="不愁保障随机公开去降补征议评推全程联创并举年次要",
                                                             min_size=1, max_size=3))
_CHAIN = st.builds(lambda segs, sep: sep.join(segs), st.lists(_SEGMENT, min_size=2, max_size=4),
                   st.sampled_from(["", "", "、", "，", "”“"]))
_PIECES = st.one_of(
    st.sampled_from(_SEED_SENTENCES),
    st.builds(lambda n, a: n + a, _NUMERALS, _AFTER_NUMERAL),
    st.builds(lambda n, a: f"“{n}{a}”", _NUMERALS, _AFTER_NUMERAL),
    _CHAIN,
    st.builds(lambda c: f"“{c}”", _CHAIN),
    st.sampled_from(["十三五", "十四五", "十五五", "十四五年", "第十四五", "“十四五”"]),
    _NOISE,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_PIECES, min_size=1, max_size=40))
def test_fast_patterns_agree_with_the_old_scan_on_random_mixes(pieces, tokenizer):
    """Real sentences, numerals and quotes in any mix, written to a real file and loaded (tokens: below
    and on the seed and the corpus; the tokeniser's protected spans are compared here)."""
    raw = SPEECH + "".join(pieces)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mix.txt"
        path.write_text(raw, encoding="utf-8")
        _assert_same_slogans(load_speech(path), "".join(pieces), tokenizer, tokens=False)


def test_slogan_heads_are_tagged_alike_from_dict_txt_and_from_the_tokenizers_shared_table():
    """The table a Tokenizer shares (jieba.posseg's, read from the same dict.txt) gives every
    two-character word the tag number.py reads from dict.txt itself; a Tokenizer shares it."""
    from analysis_utils import Tokenizer
    from analysis_utils.slogans import number

    own = number._jieba_tags()
    table = Tokenizer().pos_tagger.word_tag_tab
    assert len(own) > 100_000
    assert own == {w: t for w, t in table.items() if len(w) == 2}
    assert number._SHARED_TAGS is not None and number._tag("坚持") == own["坚持"] == "v"


def test_words_added_to_one_tokenizer_never_change_the_slogan_head_tags():
    """The table shared with number.py is dict.txt's as read: a word added (with a verb tag) to one
    tokenizer's jieba, merged into that tokenizer's tagger, is not a slogan head's tag for anyone."""
    from analysis_utils import Tokenizer
    from analysis_utils.slogans import number

    tok = Tokenizer()
    tok.jieba_tokenizer.add_word("涧贤", tag="v")
    assert tok.tag("涧贤") == "v" and "涧贤" in tok.pos_tagger.word_tag_tab
    assert number._tag("涧贤") is None and Tokenizer().tag("干部") == "n"


def test_the_fast_patterns_are_looked_up_by_id_not_by_hashing_a_compiled_pattern(seed_speech):
    """Hashing a compiled pattern hashes its whole code (1–1.6 µs a time, 40 % of the slogan search
    on a corpus): the table of where each pattern is tried is keyed by the patterns' ids, and the
    search finds the same slogans through it as a scan (the oracle above)."""
    text = seed_speech.body
    starts = [m.start() for m in N._STARTS_RE.finditer(text)]
    at = N._starts_by_pattern(text, starts)
    assert at and all(type(k) is int for k in at)
    patterns = {id(rx): rx for rx in (N.QUOTED_RE, N.CHAINED_RE, N.SPLIT_CHAINED_RE, N.FIVE_YEAR_RE, N._GE_RE, *N._SET_RES)}
    assert set(at) <= set(patterns)
    assert N.number_slogan_spans(text) == reference_spans(text)
