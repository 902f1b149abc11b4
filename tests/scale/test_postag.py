"""jieba's tagger with its Viterbi in numpy gives jieba's own routes and tags (issue 20)."""
from __future__ import annotations

import jieba.posseg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
from jieba.posseg.viterbi import viterbi as jieba_viterbi

from analysis_utils import load_speech
from analysis_utils.scale.postag import FastPOSTokenizer, viterbi

from .helpers import corpus_files

#: Common characters, rare ones, characters the HMM does not know, letters and digits.
ALPHABET = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会涧贤尕让咔鿖㐀𠀀xX1·"


def _jieba(word):
    try:
        return jieba_viterbi(word, char_state_tab_P, start_P, trans_P, emit_P)[1]
    except ValueError:
        return "error"


def _ours(word):
    try:
        return viterbi(word)
    except ValueError:
        return "error"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=8))
def test_viterbi_gives_jiebas_route(word):
    assert _ours(word) == _jieba(word)


@pytest.mark.slow
def test_every_word_jiebas_hmm_makes_up_in_the_corpus_is_tagged_alike(fast_tok, seed_speech, corpus_dir):
    from analysis_utils import Tokenizer

    plain = Tokenizer()
    learner = Tokenizer()
    for text in [seed_speech.body] + [load_speech(p).body for p in corpus_files(corpus_dir)]:
        list(learner.cut(text, pos=True))  # jieba's own tagger: learned holds every word it tagged
    words = list(learner.learned)
    assert len(words) > 1000
    fast = FastPOSTokenizer(plain.pos_tagger)
    for w in words:
        assert _ours(w) == _jieba(w), w
        assert [tuple(p) for p in fast.cut(w)] == [tuple(p) for p in plain.pos_tagger.cut(w)], w
        assert fast_tok.tag(w) == learner.learned[w], w


def test_the_fast_tagger_shares_jiebas_tables_and_goes_with_the_segmenter(fast_tok, tokenizer):
    assert isinstance(fast_tok._pos, FastPOSTokenizer) and fast_tok.pos_tagger.word_tag_tab is fast_tok._pos.word_tag_tab
    for plain in (tokenizer._pos, fast_tok.with_segmenter(None)._pos):  # the plain path keeps jieba's code
        assert isinstance(plain, jieba.posseg.POSTokenizer) and not isinstance(plain, FastPOSTokenizer)
        assert not {n for n in vars(type(plain)) if "cut" in n}  # only how its table is read is the package's


def test_the_steps_of_a_word_are_worked_out_once_and_forgetting_them_changes_no_route(monkeypatch):
    """Which states a step keeps and their transitions depend on the characters only: worked out
    once per set of states and character (a second word with the same characters adds none),
    and when too many are remembered they are forgotten, the routes still jieba's."""
    from analysis_utils.scale import postag

    m = postag._model()
    viterbi("涧贤镇长")
    known = len(m._steps)
    assert known >= 3
    viterbi("涧贤镇长")
    viterbi("涧贤镇")
    assert len(m._steps) == known
    monkeypatch.setattr(postag._Model, "KEPT", 2)
    for word in ("涧贤镇长", "尕让乡", "咔嚓声", "中出了", "涧贤"):
        assert _ours(word) == _jieba(word)
        assert len(m._steps) <= 2 + len(word)


def test_the_steps_remembered_are_bounded_by_their_bytes_not_only_their_number(monkeypatch, seed_path):
    """A step after a character jieba's tables do not know holds a transition matrix of up to
    163 × 163 floats: counted by number alone, the steps of 20 MB of text grew a worker by
    hundreds of MB. A step bigger than ``STEP_BYTES`` is not kept; past ``KEPT_BYTES`` all are
    forgotten; the routes stay jieba's."""
    from analysis_utils.scale import postag

    m = postag._model()
    m.forget()
    rare = "".join(chr(c) for c in range(0x4E00, 0x9FA6) if chr(c) not in postag.char_state_tab_P)[:40]
    words = [rare[i:i + 3] for i in range(0, 36, 3)] + ["涧贤镇长", "尕让乡"]
    for w in words:
        viterbi(w)
    grown = m.nbytes
    assert grown > 200_000, grown  # rare characters make big steps: what the bound is for
    assert all(st.trans.nbytes <= postag._Model.STEP_BYTES for st in m._steps.values())  # the biggest not kept
    m.forget()
    monkeypatch.setattr(postag._Model, "KEPT_BYTES", grown // 4)
    for w in words:
        assert _ours(w) == _jieba(w)
        assert m.nbytes <= grown // 4 + 4 * 163 * 163 * 8  # at most one word's steps past the bound
