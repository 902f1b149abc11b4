"""Sentence alignment of two texts: which sentence became which.

Two versions of a report rarely share a line layout, and two Party Congress reports share
few identical sentences, so a line diff says little. :func:`align_sentences` pairs sentences
over the whole text instead:

1. **identical** sentences (whitespace aside) first, wherever they moved; a sentence repeated
   in both texts pairs in order;
2. then the **most similar** remaining pairs (character similarity, :func:`similarity`) above
   ``threshold``, greedily, best first; among equally good candidates the one nearer its
   expected place (from the identical sentences around it) wins, so the order is preferred;
3. what is left is ``new`` (only in the new text) or ``dropped`` (only in the old one).

A pair that breaks the order of the others (not on the longest run of pairs in the same order)
is ``moved``. :func:`edits` gives the character-level edits of a changed pair.

Every sentence of both texts is in exactly one :class:`Pair`.

Example:
    >>> pairs = align_sentences(["甲乙丙。", "稳定和扩大消费需求。", "子丑。"], ["子丑。", "甲乙丙。", "稳定和扩大居民消费。"])
    >>> [(p.status, p.old, p.new, p.moved) for p in pairs]
    [('same', 2, 0, True), ('same', 0, 1, False), ('changed', 1, 2, False)]
    >>> edits("稳定和扩大消费需求。", "稳定和扩大居民消费。")
    [('equal', '稳定和扩大', '稳定和扩大'), ('insert', '', '居民'), ('equal', '消费', '消费'), ('delete', '需求', ''), ('equal', '。', '。')]
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from ..text import HAN_RE

#: Least similarity (0–1, :func:`similarity`) for two different sentences to be a ``changed`` pair.
THRESHOLD = 0.5
#: How much a candidate's distance from its expected place (as a share of the text) costs.
ORDER_WEIGHT = 0.2
#: Sentences with fewer characters than this pair only when identical (a 各位代表！ is no evidence).
MIN_CHARS = 4
#: Least Chinese characters two different sentences must share, in order, to pair (稳定和扩大消费
#: and 各地都要千方百计稳定和扩大就业 share five: not a pair); a shorter sentence all its characters
#: but one (二、回顾 and 一、回顾 pair).
MIN_COMMON = 6


@dataclass(frozen=True)
class Pair:
    """One row of an alignment: ``old``/``new`` are sentence indices (0-based) or ``None``.

    ``status``: ``same`` (identical), ``changed`` (paired by similarity), ``new`` or ``dropped``;
    ``moved``: the pair breaks the order of the others; ``similarity``: 1.0 for ``same``, the
    score for ``changed``, ``None`` for the unpaired.
    """

    old: int | None
    new: int | None
    status: str
    similarity: float | None
    moved: bool = False


def key(sentence: str) -> str:
    """What two sentences must share to be identical: their text without white space.

    Example:
        >>> key("　一、 总体要求\\n")
        '一、总体要求'
    """
    return "".join(sentence.split())


def similarity(a: str, b: str) -> float:
    """Character similarity of two sentences, 0–1: ``1 - indel distance / (len a + len b)``.

    Example:
        >>> round(similarity("稳定就业。", "稳定物价。"), 2)
        0.6
    """
    return round(Indel.normalized_similarity(key(a), key(b)), 4)


def _exact(old: list[str], new: list[str]) -> dict[int, int]:
    """Identical sentences: new index → old index, repeated ones paired in order."""
    where: dict[str, deque[int]] = defaultdict(deque)
    for i, s in enumerate(old):
        where[s].append(i)
    out = {}
    for j, s in enumerate(new):
        if where.get(s):
            out[j] = where[s].popleft()
    return out


def _expected_places(anchors: dict[int, int], new_left: list[int], n_old: int, n_new: int) -> np.ndarray:
    """Where each left-over new sentence is expected in the old text (a share 0–1), interpolated
    between the identical sentences before and after it (in new order); the plain relative
    position when there are none."""
    if not anchors:
        return np.array([j / max(1, n_new) for j in new_left])
    js = sorted(anchors)
    xs = np.array(js, dtype=float)
    ys = np.array([anchors[j] for j in js], dtype=float)
    xs = np.concatenate([[-1.0], xs, [float(n_new)]])
    ys = np.concatenate([[-1.0], ys, [float(n_old)]])
    return np.interp(np.array(new_left, dtype=float), xs, ys) / max(1, n_old)


def _similar(old: list[str], new: list[str], exact: dict[int, int], threshold: float) -> dict[int, tuple[int, float]]:
    """Best-first pairing of the sentences left after the identical ones: new index → (old index, score)."""
    used_old = set(exact.values())
    old_left = [i for i in range(len(old)) if i not in used_old and len(old[i]) >= MIN_CHARS]
    new_left = [j for j in range(len(new)) if j not in exact and len(new[j]) >= MIN_CHARS]
    if not old_left or not new_left:
        return {}
    scores = process.cdist([new[j] for j in new_left], [old[i] for i in old_left], scorer=fuzz.ratio,
                           dtype=np.float32, score_cutoff=threshold * 100, workers=1) / 100.0
    han = [["".join(HAN_RE.findall(t)) for t in texts] for texts in ([new[j] for j in new_left], [old[i] for i in old_left])]
    common = process.cdist(han[0], han[1], scorer=Indel.similarity, dtype=np.int32, workers=1) / 2  # shared characters
    shorter = np.minimum(np.array([len(t) for t in han[0]])[:, None], np.array([len(t) for t in han[1]])[None, :])
    scores[common < np.minimum(MIN_COMMON, np.maximum(shorter - 1, 1))] = 0.0
    place = _expected_places(exact, new_left, len(old), len(new))
    old_place = np.array(old_left, dtype=float) / max(1, len(old))
    adjusted = scores - ORDER_WEIGHT * np.abs(place[:, None] - old_place[None, :])
    adjusted[scores < threshold] = -np.inf
    rows, cols = np.nonzero(np.isfinite(adjusted))
    order = np.lexsort((cols, rows, -adjusted[rows, cols]))  # best first; ties by position
    out: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()
    for k in order:
        r, c = int(rows[k]), int(cols[k])
        j, i = new_left[r], old_left[c]
        if j in out or i in taken:
            continue
        out[j] = (i, round(float(scores[r, c]), 4))
        taken.add(i)
    return out


def _in_order(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The longest run of pairs (in new order) whose old indices also increase: the pairs that did not move."""
    tails: list[int] = []  # tails[k] = smallest old index ending an increasing run of length k+1
    tail_at: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for k, (i, _) in enumerate(pairs):
        pos = bisect_left(tails, i)
        if pos == len(tails):
            tails.append(i)
            tail_at.append(k)
        else:
            tails[pos] = i
            tail_at[pos] = k
        back[k] = tail_at[pos - 1] if pos else -1
    keep: set[tuple[int, int]] = set()
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        keep.add(pairs[k])
        k = back[k]
    return keep


def align_sentences(old: Sequence[str], new: Sequence[str], *, threshold: float = THRESHOLD) -> list[Pair]:
    """Pair the sentences of two texts (see the module): one :class:`Pair` per sentence pair or lone sentence.

    Args:
        old, new: the sentences of each text, in order.
        threshold: least similarity (0–1) for a ``changed`` pair.

    Returns:
        The pairs in reading order: new-text order, each dropped sentence after the row of the
        old sentence before it.
    """
    old_k, new_k = [key(s) for s in old], [key(s) for s in new]
    exact = _exact(old_k, new_k)
    similar = _similar(old_k, new_k, exact, threshold)
    matched = sorted([(j, i) for j, i in exact.items()] + [(j, i) for j, (i, _) in similar.items()])
    steady = _in_order([(i, j) for j, i in matched])
    rows: list[Pair] = []
    for j in range(len(new)):
        if j in exact:
            rows.append(Pair(exact[j], j, "same", 1.0, (exact[j], j) not in steady))
        elif j in similar:
            i, score = similar[j]
            rows.append(Pair(i, j, "changed", score, (i, j) not in steady))
        else:
            rows.append(Pair(None, j, "new", None))
    return reading_order(rows, len(old))


def reading_order(rows: list[Pair], n_old: int) -> list[Pair]:
    """``rows`` (in new order, every old item paired or not listed) with every unpaired old item
    ``0 … n_old - 1`` inserted as ``dropped`` after the row holding the nearest paired old item before it."""
    paired = sorted(p.old for p in rows if p.old is not None)
    row_of = {p.old: k for k, p in enumerate(rows) if p.old is not None}
    after: dict[int, list[Pair]] = defaultdict(list)  # row index (-1 = before all) → dropped sentences
    paired_set = set(paired)
    for i in range(n_old):
        if i in paired_set:
            continue
        pos = bisect_right(paired, i) - 1
        after[row_of[paired[pos]] if pos >= 0 else -1].append(Pair(i, None, "dropped", None))
    out = list(after.get(-1, []))
    for k, p in enumerate(rows):
        out.append(p)
        out.extend(after.get(k, []))
    return out


def edits(old: str, new: str) -> list[tuple[str, str, str]]:
    """Character-level edits turning ``old`` into ``new``: ``(op, old text, new text)`` with op
    ``equal``, ``delete``, ``insert`` or ``replace`` (a deletion next to an insertion).

    Example:
        >>> edits("请×××同志发言。", "请张三同志发言。")
        [('equal', '请', '请'), ('replace', '×××', '张三'), ('equal', '同志发言。', '同志发言。')]
    """
    return [(op, old[a:b], new[c:d]) for op, a, b, c, d in edit_spans(old, new)]


def edit_spans(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    """:func:`edits` as offsets: ``(op, old start, old end, new start, new end)``."""
    out: list[tuple[str, int, int, int, int]] = []
    for op in Indel.opcodes(old, new):
        tag, a, b, c, d = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if out and tag != "equal" and out[-1][0] != "equal":  # a deletion next to an insertion: one replacement
            _, a0, _, c0, _ = out.pop()
            a, c = a0, c0
            tag = "replace"
        out.append((tag, a, b, c, d))
    return out
