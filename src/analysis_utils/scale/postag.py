"""jieba's part-of-speech tagger with its Viterbi in numpy: the same tags, several times faster.

``jieba.posseg`` tags a word its HMM made up by running a Viterbi over ~250 (position, tag)
states in pure Python, one ``max`` over the previous states per state and character. Here the
same sums are made by numpy, in the same order (``(V + trans) + emit``: the same IEEE doubles),
and ties go to the greatest state, as Python's ``max`` over ``(prob, state)`` tuples does (states
are numbered from the greatest down, and ``argmax`` takes the first). Everything else is jieba's
own code (:class:`FastPOSTokenizer` only replaces the method that calls the Viterbi); tests
compare the two on every word jieba's HMM makes up in the corpus.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import jieba.posseg
import numpy as np
from jieba.posseg import char_state_tab_P, emit_P, pair, start_P, trans_P
from jieba.posseg.viterbi import MIN_FLOAT


class _From(NamedTuple):
    """The states a step of the Viterbi leaves from that may be followed (the same for every
    word and every character after a set of states: :meth:`_Model.leaving`)."""

    sel: np.ndarray        # their positions among the states
    trans: np.ndarray      # their rows of the transition matrix
    expect: np.ndarray     # the states that may follow one of them (a mask)


class _Step(NamedTuple):
    """One step of the Viterbi, from a set of states to a character: everything in it that does
    not depend on the scores, worked out once (:meth:`_Model.step`)."""

    sel: np.ndarray        # positions, among the states before, of those that may be followed
    trans: np.ndarray      # trans[those states][:, states here]
    emit: np.ndarray       # the character's emission log-probability per state here, shape (1, n)
    states: np.ndarray     # the states here (numbers, ascending)
    key: int               # their number (see _Model.key)


class _Model:
    """jieba.posseg's HMM as arrays; states numbered from the greatest down."""

    #: Sets of states and steps remembered, at most (then forgotten and worked out again).
    KEPT = 200_000
    #: Bytes of the arrays of steps and sets of states remembered, at most (a step after a rare character holds a
    #: transition matrix of up to 163 × 163 floats, 212 kB: counting steps alone let a worker
    #: grow by hundreds of MB on 20 MB of text).
    KEPT_BYTES = 48_000_000
    #: A step whose transition matrix is larger than this is not remembered (worked out again).
    STEP_BYTES = 32_768

    def __init__(self):
        self.states = sorted(trans_P, reverse=True)
        index = {s: i for i, s in enumerate(self.states)}
        n = len(self.states)
        self.trans = np.full((n, n), -np.inf)
        self.follows = np.zeros((n, n), dtype=bool)  # y in trans_P[y0]
        for y0, nxt in trans_P.items():
            for y, p in nxt.items():
                self.trans[index[y0], index[y]] = p
                self.follows[index[y0], index[y]] = True
        self.has_next = self.follows.any(axis=1)
        self.start = np.array([start_P[s] for s in self.states])
        self._index = index
        self._emits: dict[str, tuple[list[int], list[float]]] = {}  # char → (states, log-probabilities)
        for i, s in enumerate(self.states):
            for c, p in emit_P[s].items():
                got = self._emits.setdefault(c, ([], []))
                got[0].append(i)
                got[1].append(p)
        self._chars: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._keys: dict[bytes, int] = {}
        self._sets: list[np.ndarray] = []
        self._leaving: dict[int, _From | None] = {}
        self._firsts: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}
        self._steps: dict[tuple[int, str], _Step] = {}
        self.nbytes = 0  # of the arrays of steps and sets left

    def char(self, c: str) -> tuple[np.ndarray, np.ndarray]:
        """(states the character may take (all when unknown), its emission log-probability per state)."""
        got = self._chars.get(c)
        if got is None:
            allowed = char_state_tab_P.get(c)
            mask = np.ones(len(self.states), dtype=bool)
            if allowed is not None:
                mask[:] = False
                mask[[self._index[s] for s in allowed]] = True
            emit = np.full(len(self.states), MIN_FLOAT)
            at, logp = self._emits.get(c, ((), ()))
            emit[list(at)] = logp
            got = self._chars[c] = (mask, emit)
        return got

    def key(self, states: np.ndarray) -> int:
        """A number for a set of states (ascending numbers), the same for the same set."""
        k = self._keys.setdefault(states.tobytes(), len(self._keys))
        if k == len(self._sets):
            self._sets.append(states)
        return k

    def first(self, c: str) -> tuple[np.ndarray, np.ndarray, int]:
        """(scores, states, their key) after the first character ``c``."""
        got = self._firsts.get(c)
        if got is None:
            mask, emit = self.char(c)
            ys = mask.nonzero()[0]
            got = self._firsts[c] = (self.start[ys] + emit[ys], ys, self.key(ys))
        return got

    def leaving(self, key: int) -> _From:
        """The states numbered ``key`` that may be followed (``ValueError`` when none may:
        what jieba's code raises)."""
        if key not in self._leaving:
            before = self._sets[key]
            sel = self.has_next[before].nonzero()[0]
            prev = before[sel]
            self._leaving[key] = _From(sel, self.trans[prev], self.follows[prev].any(axis=0)) if len(sel) else None
            self.nbytes += self.trans[prev].nbytes
        got = self._leaving[key]
        if got is None:
            raise ValueError("max() arg is an empty sequence")  # what jieba's code raises
        return got

    def step(self, key: int, c: str) -> _Step:
        """The step from the states numbered ``key`` to the character ``c``: to the states ``c``
        may take that may follow them, or if there are none, to all that may follow."""
        got = self._steps.get((key, c))
        if got is None:
            f = self.leaving(key)
            mask, emit = self.char(c)
            here = mask & f.expect
            ys = (here if here.any() else f.expect).nonzero()[0]
            got = _Step(f.sel, f.trans[:, ys], emit[None, ys], ys, self.key(ys))
            if got.trans.nbytes <= self.STEP_BYTES:  # a big one (after a rare character) is made again
                self._steps[key, c] = got
                self.nbytes += got.trans.nbytes + got.emit.nbytes
        return got

    def bound(self) -> None:
        """Forget all worked out once past :attr:`KEPT` sets of states or steps, or :attr:`KEPT_BYTES`."""
        if len(self._keys) > self.KEPT or len(self._steps) > self.KEPT or self.nbytes > self.KEPT_BYTES:
            self.forget()

    def forget(self) -> None:
        """Forget the sets of states and steps worked out (when there are too many)."""
        self._keys.clear()
        self._sets.clear()
        self._leaving.clear()
        self._firsts.clear()
        self._steps.clear()
        self.nbytes = 0


@lru_cache(maxsize=1)
def _model() -> _Model:
    return _Model()


def viterbi(obs: str) -> list[tuple[str, str]]:
    """The route ``jieba.posseg.viterbi.viterbi(obs, char_state_tab_P, start_P, trans_P, emit_P)``
    gives: a ``(position, tag)`` state per character.

    The same sums in the same order (``(V + trans) + emit``) as jieba's code, over the states
    jieba's code keeps; which states those are and their transitions (they depend on the
    characters, not on the scores) are worked out once per set of states and character
    (:meth:`_Model.step`).

    Example:
        >>> from jieba.posseg.viterbi import viterbi as jieba_viterbi
        >>> viterbi("涧贤") == jieba_viterbi("涧贤", char_state_tab_P, start_P, trans_P, emit_P)[1]
        True
    """
    m = _model()
    m.bound()
    v, states, key = m.first(obs[0])
    steps: list[tuple[_Step, np.ndarray]] = []
    for c in obs[1:]:
        st = m.step(key, c)
        scores = (v[st.sel][:, None] + st.trans) + st.emit
        best = scores.argmax(axis=0)  # the first of equal scores: the greatest state, as max() over (score, state)
        v = scores[best, np.arange(len(best))]
        steps.append((st, best))
        key = st.key
    at = int(v.argmax())
    route = [int((steps[-1][0].states if steps else states)[at])]
    for i in range(len(steps) - 1, -1, -1):
        st, best = steps[i]
        at = int(st.sel[best[at]])
        route.append(int((steps[i - 1][0].states if i else states)[at]))
    return [m.states[s] for s in reversed(route)]


class FastPOSTokenizer(jieba.posseg.POSTokenizer):
    """A ``jieba.posseg.POSTokenizer`` whose Viterbi is :func:`viterbi`, sharing the tables of
    ``like`` (its jieba tokenizer and word-tag table): the same tags.

    Example:
        >>> from analysis_utils.tokenizer import new_jieba
        >>> plain = jieba.posseg.POSTokenizer(new_jieba())
        >>> [tuple(p) for p in FastPOSTokenizer(plain).cut("涧贤镇")] == [tuple(p) for p in plain.cut("涧贤镇")]
        True
    """

    def __init__(self, like: jieba.posseg.POSTokenizer):  # no call to super: nothing is loaded again
        self.tokenizer = like.tokenizer
        self.word_tag_tab = like.word_tag_tab

    def _POSTokenizer__cut(self, sentence):  # jieba's __cut, with the Viterbi above
        pos_list = viterbi(sentence)
        begin, nexti = 0, 0
        for i, char in enumerate(sentence):
            pos = pos_list[i][0]
            if pos == "B":
                begin = i
            elif pos == "E":
                yield pair(sentence[begin:i + 1], pos_list[i][1])
                nexti = i + 1
            elif pos == "S":
                yield pair(char, pos_list[i][1])
                nexti = i + 1
        if nexti < len(sentence):
            yield pair(sentence[nexti:], pos_list[nexti][1])
