"""FastSegmenter cuts exactly as jieba does; the fast twin of a Tokenizer you built cuts as it does."""
from __future__ import annotations

import random

import pandas as pd
import pytest

from analysis_utils import load_speech
from analysis_utils.scale import FastSegmenter, PlainJieba, TokenizerOptions
from analysis_utils.scale.segmenter import fast_twin

from .helpers import corpus_files

SEGMENT_CASES = [
    "我们中出了一个叛徒",
    "发表时间：2015-08-31 来源：《求是》",
    "国内生产总值增长5.5%左右，城镇新增就业1100万人以上。",
    "G20杭州峰会、APEC会议和5G网络，3D打印、A股与T恤",
    "第一行\r\n第二行\n\n  第三行\t制表",
    "㐀㐁中国鿖鿗龥字（扩展A、U+9FD6 以上的字）",
    "表情😀和全角１２３ＡＢＣ，还有½与№",
    "",
    "   ",
    "XX县×××同志在○○会议上的讲话",
]


@pytest.mark.parametrize("text", SEGMENT_CASES)
@pytest.mark.parametrize("hmm", [True, False])
def test_fast_segmenter_equals_jieba_on_composed_text(fast_tok, text, hmm):
    jt = fast_tok.jieba_tokenizer
    seg = FastSegmenter(jt, hmm=hmm)
    assert seg(text) == jt.lcut(text, HMM=hmm)


@pytest.mark.slow
def test_fast_segmenter_equals_jieba_on_seed_and_whole_corpus(fast_tok, seed_speech, corpus_dir):
    jt = fast_tok.jieba_tokenizer
    seg = FastSegmenter.for_tokenizer(fast_tok)
    texts = [seed_speech.body] + [load_speech(p).body for p in corpus_files(corpus_dir)]
    assert len(texts) > 80
    for text in texts:
        assert seg(text) == jt.lcut(text, HMM=True)


def test_fast_segmenter_equals_jieba_on_random_mixtures(fast_tok):
    jt = fast_tok.jieba_tokenizer
    seg = FastSegmenter.for_tokenizer(fast_tok)
    alphabet = list("中国人民发展建设坚持党的全面从严治党高质量稳就业一二三十百") + list("0123456789.%-+#&_abcXYZ") + \
        list(" \n，。、“”《》（）") + ["㐀", "鿖", "😀", "１", "\r\n"]
    rng = random.Random(8)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        assert seg(text) == jt.lcut(text, HMM=True), text


def test_tokenizer_uses_the_fast_segmenter_and_cuts_the_same(fast_tok, tokenizer, seed_speech):
    assert fast_tok.segmenter is not None
    pd.testing.assert_frame_equal(fast_tok.tokens(seed_speech), tokenizer.tokens(seed_speech))


def test_fast_twin_leaves_your_tokenizer_alone_and_follows_its_words(fast_tok, tokenizer):
    pytest.importorskip("rjieba")
    mine = tokenizer.with_segmenter(None)  # a tokenizer of one's own, without a segmenter
    twin = fast_twin(mine)
    assert twin is not mine and twin.segmenter is not None and mine.segmenter is None
    assert fast_twin(mine) is twin  # remembered
    assert fast_twin(fast_tok) is fast_tok  # it has a segmenter already
    text = "推进涧贤银行建设"
    assert "涧贤银行" not in [t for t, *_ in twin.cut(text)]
    mine.add_word("涧贤银行")
    renewed = fast_twin(mine)  # a word added since: a new twin that keeps it whole too
    assert renewed is not twin and renewed.fingerprint == mine.fingerprint
    assert [t for t, *_ in renewed.cut(text)] == [t for t, *_ in mine.cut(text)]
    assert "涧贤银行" in [t for t, *_ in renewed.cut(text)]


@pytest.mark.slow
def test_plain_jieba_is_jieba_alone_with_offsets():
    import jieba

    plain = TokenizerOptions(plain=True).build()
    assert isinstance(plain, PlainJieba)
    text = "同志们，推广一征三议两公开 工作法"
    rows = list(plain.cut(text))
    assert [t for t, *_ in rows] == [w for w in jieba.lcut(text) if w.strip()]
    assert all(text[s:e] == t and pos == "" and origin == "jieba" for t, s, e, pos, origin in rows)
    assert "同志们" not in [t for t, *_ in rows]  # no speech words added, no formulation kept whole
    assert TokenizerOptions(plain=True).fingerprint() != TokenizerOptions().fingerprint()


# -- issue 20: the fast path (one segmenter call per speech, types, tag memo) is the plain path ------
def _every_text(seed_speech, corpus_dir):
    from analysis_utils.scale.sources import as_corpus, load_item

    texts = [seed_speech] + [load_speech(p) for p in corpus_files(corpus_dir)]
    texts += [load_item(it) for j in sorted((corpus_dir / "wikisource").glob("*.jsonl")) for it in as_corpus(j).stream()]
    assert len(texts) > 140
    return texts


@pytest.mark.slow
def test_fast_path_gives_the_plain_paths_tokens_and_records_on_every_text(tmp_path, seed_speech, corpus_dir):
    """Tokenizer() without a segmenter (jieba's Python cut, no memo) against fast_tokenizer()
    with a tag memo from disk: tokens, tags, offsets, origins, paragraphs, sentences and the
    cache record, on the seed, every corpus .txt and every Wikisource record."""
    from analysis_utils import Tokenizer
    from analysis_utils.scale import fast_tokenizer
    from analysis_utils.scale.cache import TagMemo, encode_tokens

    texts = _every_text(seed_speech, corpus_dir)
    plain = Tokenizer()
    learner = fast_tokenizer()
    for s in texts[::2]:  # half the texts teach it tags, saved to disk
        learner.cut_table(s.body)
    TagMemo(tmp_path).save(learner)
    fast = fast_tokenizer()
    assert TagMemo(tmp_path).load(fast) > 100
    assert plain.segmenter is None and fast.segmenter is not None
    for s in texts:
        pd.testing.assert_frame_equal(fast.tokens(s), plain.tokens(s))
        assert encode_tokens(fast.cut_table(s.body, pos=True), s.han_chars) == \
            encode_tokens(plain.cut(s.body, pos=True), s.han_chars), s.path


def test_fast_segmenter_cuts_control_private_use_and_surrogate_characters_as_jieba(fast_tok):
    jt = fast_tok.jieba_tokenizer
    seg = FastSegmenter.for_tokenizer(fast_tok)
    alphabet = list("中国人民发展2015年abc.%-，。 \n") + ["\x00", "\x01", "\x1c", "\x7f", "\ue000", "\ue001", "\ue002",
                                                         "\ud800", "\udfff", "㐀", "鿖", "豈", "𠀀", "\r\n"]
    rng = random.Random(20)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        assert seg(text) == jt.lcut(text, HMM=True), repr(text)


# -- issue 20: start-up ----------------------------------------------------------------------------------
RJIEBA_IN_A_NEW_PROCESS = r"""
import json, sys
from analysis_utils.scale import fast_tokenizer
tok = fast_tokenizer()
words = tok.segmenter("我们中出了一个叛徒，涧贤镇2015年GDP增长5%")
ran = "rjieba" in sys.modules  # rjieba's own module code (its bundled dictionary loaded): not run
import rjieba
print(json.dumps([ran, type(tok.segmenter._rs) is rjieba.Jieba, words == tok.jieba_tokenizer.lcut(words_text := "".join(words)),
                  words_text, rjieba.cut("我们中出了一个叛徒")]))
"""


@pytest.mark.slow
def test_the_fast_segmenter_does_not_load_rjiebas_own_dictionary(tmp_path):
    """``import rjieba`` loads rjieba's bundled dictionary into a default instance (0.2-0.4 s and
    tens of MB per process) the package never uses: the segmenter takes rjieba's class without it,
    and a later ``import rjieba`` works as ever."""
    import subprocess
    import sys

    import analysis_utils

    env = {**__import__("os").environ, "ANALYSIS_UTILS_CACHE": str(tmp_path),
           "PYTHONPATH": str(__import__("pathlib").Path(analysis_utils.__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", RJIEBA_IN_A_NEW_PROCESS], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    ran, same_class, as_jieba, text, default_cut = __import__("json").loads(done.stdout)
    assert not ran and same_class and as_jieba and text == "我们中出了一个叛徒，涧贤镇2015年GDP增长5%"
    assert "".join(default_cut) == "我们中出了一个叛徒"


def test_a_dictionary_with_a_word_set_to_a_negative_count_is_taken_as_before():
    """Words are given to rjieba in one C loop; a FREQ holding a count below 0 (never jieba's own)
    takes the word-by-word path, which leaves such words out, as before."""
    from analysis_utils.tokenizer import new_jieba

    jt = new_jieba()
    jt.FREQ["涧贤镇"] = -5
    seg, plain = FastSegmenter(jt), new_jieba()
    assert seg("涧贤镇的干部") == FastSegmenter(plain)("涧贤镇的干部") == plain.lcut("涧贤镇的干部")
