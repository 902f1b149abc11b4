"""Near-duplicates in a corpus: the same speech published twice (a copy with a few edits).

Two speeches are near-duplicates when their cleaned bodies are at least :data:`THRESHOLD`
identical by :class:`difflib.SequenceMatcher`'s ratio (2 × matching characters / both lengths).
Comparing every pair that way would take minutes on a hundred speeches, so a speech is only
compared with earlier ones of a length that can reach the threshold, and those pairs are first
screened by the Jaccard similarity of a sample of their character 5-grams (those whose hash
falls in one bucket of :data:`_SAMPLE`): only pairs above :data:`_SCREEN` are compared in full.
A copy with 2 % of its characters edited keeps about 90 % of its 5-grams; two different
speeches of one speaker share under 20 % (the Xi Jinping speeches of 2013–2016: at most 17 %).

The later speech of a pair (in corpus order) is the copy; a speech copied twice keeps its first
appearance, and each copy names the earliest speech it repeats.

Example:
    >>> a = "我们要坚持以人民为中心的发展思想，把人民对美好生活的向往作为奋斗目标。" * 8
    >>> [(d.kept_index, d.dropped_index, round(d.similarity, 3)) for d in near_duplicates("abc", [a, "另一篇讲话。" * 20, a + "。"])]
    [(0, 2, 0.998)]
"""
from __future__ import annotations

import bisect
import difflib
import math
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


def near_duplicates(ids: Sequence[str], bodies: Sequence[str], threshold: float = THRESHOLD) -> list[Duplicate]:
    """The later copies among ``bodies`` (named by ``ids``), each once, with the earliest speech it repeats.

    Each body is compared with the earlier speeches kept so far whose length allows the threshold
    (the ratio is at most 2·shorter/(both lengths)), first screened by 5-grams, then by difflib;
    the first match makes it a copy. A corpus of varied speeches costs a fraction of all pairs.

    Example:
        >>> a = "坚持和发展中国特色社会主义，全面建成小康社会。" * 10
        >>> [(d.dropped, d.kept) for d in near_duplicates(["x", "y", "z", "w"], [a, "另一篇讲话。" * 40, a, a + "！"])]
        [('z', 'x'), ('w', 'x')]
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be more than 0 and at most 1, not {threshold!r}")
    low = threshold / (2 - threshold)  # the shortest length, relative to the longer, that can reach it
    kept: list[tuple[int, int]] = []   # (length, position) of the speeches kept, sorted
    sets: dict[int, frozenset[int]] = {}
    found = []
    for j, body in enumerate(bodies):
        n = len(body)
        window = kept[bisect.bisect_left(kept, (math.floor(n * low), -1)):bisect.bisect_right(kept, (math.ceil(n / low), len(bodies)))]
        match = None
        if window:
            mine = sets[j] = _shingles(body)
            match = next(((i, r) for i in sorted(i for _, i in window) if _alike(sets[i], mine)
                          and (r := ratio(bodies[i], body)) >= threshold), None)
        if match is None:
            bisect.insort(kept, (n, j))
            if j not in sets:
                sets[j] = _shingles(body)
        else:
            found.append(Duplicate(ids[match[0]], ids[j], match[0], j, match[1]))
    return found


def _alike(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether two shingle samples overlap enough (Jaccard ≥ :data:`_SCREEN`) to compare in full."""
    union = len(a | b)
    return not union or len(a & b) >= _SCREEN * union
