"""Near-duplicates in a corpus: the same speech published twice (a copy with a few edits).

Two speeches are near-duplicates when their cleaned bodies are at least :data:`THRESHOLD`
identical by :class:`difflib.SequenceMatcher`'s ratio (2 × matching characters / both lengths).
Comparing every pair that way would take minutes on a hundred speeches, so pairs are first
screened by the Jaccard similarity of a sample of their character 5-grams (those whose hash
falls in one bucket of :data:`_SAMPLE`): only pairs above :data:`_SCREEN` are compared in full.
A copy with 2 % of its characters edited keeps about 90 % of its 5-grams; two different
speeches of one speaker share under 20 % (the Xi Jinping speeches of 2013–2016: at most 17 %).

The later speech of a pair (in corpus order) is the copy; a speech copied twice keeps its first
appearance, and each copy names the earliest speech it repeats.

Example:
    >>> a = "我们要坚持以人民为中心的发展思想，把人民对美好生活的向往作为奋斗目标。" * 8
    >>> [(i, j, round(r, 3)) for i, j, r in duplicate_pairs([a, "完全不同的另一篇讲话。" * 20, a + "。"])]
    [(0, 2, 0.998)]
"""
from __future__ import annotations

import difflib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

#: How identical two bodies must be (SequenceMatcher ratio) to count as one speech published twice.
THRESHOLD = 0.95
_K = 5          # characters per shingle
_SAMPLE = 4     # keep the shingles whose hash is 0 modulo this (a quarter: same Jaccard, 4× less work)
_SCREEN = 0.5   # sampled Jaccard below this: not compared in full


@dataclass(frozen=True)
class Duplicate:
    """A speech that repeats an earlier one: their ids, corpus positions and how identical they are."""

    kept: str            # the id of the first appearance
    dropped: str         # the id of the later copy
    kept_index: int
    dropped_index: int
    similarity: float    # SequenceMatcher ratio of the bodies, 0–1

    def note(self, keep: bool | None = False) -> str:
        """One line for a user: which speech repeats which, and (unless ``keep`` is ``None``)
        whether it is counted.

        Example:
            >>> Duplicate("a", "b", 0, 1, 0.9812).note()
            'b is a near-duplicate of a (98.1 % identical): counted once, b left out'
            >>> Duplicate("a", "b", 0, 1, 0.9812).note(keep=None)
            'b is a near-duplicate of a (98.1 % identical)'
        """
        line = f"{self.dropped} is a near-duplicate of {self.kept} ({self.similarity * 100:.1f} % identical)"
        if keep is None:
            return line
        return f"{line}: {'both counted, as asked' if keep else f'counted once, {self.dropped} left out'}"


def _shingles(body: str) -> frozenset[int]:
    grams = (zlib.crc32(body[i:i + _K].encode("utf-8", "surrogatepass")) for i in range(max(1, len(body) - _K + 1)))
    return frozenset(h for h in grams if h % _SAMPLE == 0)


def ratio(a: str, b: str) -> float:
    """How identical two bodies are: :meth:`difflib.SequenceMatcher.ratio` (no junk heuristic).

    Example:
        >>> ratio("人民代表大会", "人民代表大会"), ratio("甲乙", "丙丁")
        (1.0, 0.0)
    """
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def duplicate_pairs(bodies: Sequence[str], threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """``(i, j, ratio)`` for every pair ``i < j`` of ``bodies`` at least ``threshold`` identical."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be more than 0 and at most 1, not {threshold!r}")
    sets = [_shingles(b) for b in bodies]
    order = sorted(range(len(bodies)), key=lambda i: len(bodies[i]))
    pairs = []
    for n, i in enumerate(order):
        for j in order[n + 1:]:
            if 2 * len(bodies[i]) < threshold * (len(bodies[i]) + len(bodies[j])):
                break  # the ratio is at most 2·shorter/(both): every later one is longer still
            a, b = sets[i], sets[j]
            union = len(a | b)
            if union and len(a & b) < _SCREEN * union:
                continue
            r = ratio(bodies[i], bodies[j])
            if r >= threshold:
                pairs.append((min(i, j), max(i, j), r))
    return sorted(pairs)


def near_duplicates(ids: Sequence[str], bodies: Sequence[str], threshold: float = THRESHOLD) -> list[Duplicate]:
    """The later copies among ``bodies`` (named by ``ids``), each once, with the earliest body it repeats.

    Example:
        >>> a = "坚持和发展中国特色社会主义，全面建成小康社会。" * 10
        >>> [d.dropped for d in near_duplicates(["x", "y", "z"], [a, a, a])]
        ['y', 'z']
    """
    first: dict[int, tuple[int, float]] = {}
    for i, j, r in duplicate_pairs(bodies, threshold):  # sorted: the earliest match of j comes first
        first.setdefault(j, (i, r))
    return [Duplicate(ids[k], ids[j], k, j, r) for j, (k, r) in sorted(first.items())]
