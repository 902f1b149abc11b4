"""Where things are in a speech body, and the small text rules every step of the outline shares.

:class:`Layout` looks up paragraphs and sentences by offset; the functions find sentence
ends, tell whether a position is inside quotation marks, and clean a heading's text;
:data:`SALUTATION_START` recognises addressing the audience (``同志们，``, ``各位代表！``).

Every look-up is by bisection or a prefix count, so building an outline takes time in
proportion to the text (and the number of headings, paragraphs and items), not to its square.

Example:
    >>> from analysis_utils import speech_from_text
    >>> lay = Layout(speech_from_text("同志们：\\n一、总体要求。我们要“一是一”。"))
    >>> first_sentence_end(lay.body, 5, len(lay.body)), clean_heading(lay.body[7:12])
    (12, '总体要求')
    >>> lay.in_quotes(5, lay.body.index("一是")), lay.han_chars(5, 12), bool(SALUTATION_START.match(lay.body))
    (True, 5, True)
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache, cached_property

import numpy as np

from ..speech import Speech
from ..text import HAN, HAN_RE

#: A sentence-final stop.
SENT_END = re.compile(r"[。！？!?]")
#: What may stand before a marker that starts a clause (enumerations) or a sentence (inline headings).
CLAUSE_BEFORE = set("。！？；：，,;:!?\n")
SENTENCE_BEFORE = set("。！？：；!?:;")
_OPEN_Q, _CLOSE_Q = "“‘「『", "”’」』"
_QUOTE = re.compile(f"[{_OPEN_Q}{_CLOSE_Q}]")
_FINAL_PUNCT = "。：:；;，,！!？?"

#: A paragraph (or sentence) that opens with addressing the audience: 同志们， 各位代表！ …
_ADDRESS = (rf"(?:同志们|大家好|各位[{HAN}]{{0,8}}|朋友们|女士们|先生们|老师们|同学们|青年朋友们"
            rf"|亲爱的[{HAN}]{{0,10}}|尊敬的[^，。！：]{{0,30}})")
SALUTATION_START = re.compile(  # use with .match()
    rf"{_ADDRESS}(?:[、，,](?:{_ADDRESS}|[{HAN}]{{1,6}}们))*[！，,!：:]"
)


class Layout:
    """The paragraphs, sentences and placeholders of one speech, with look-ups by body offset.

    Attributes:
        s: the speech; body: its body.
        paras: paragraph spans ``(start, end)``; para_starts, sent_starts, ph_starts: the
            start offsets of paragraphs, sentences and placeholders (sorted, for bisection).

    :meth:`sentence_end`, :meth:`in_quotes` and :meth:`han_chars` answer from indexes of the
    whole body made on first use (sentence stops, quotation marks, a prefix count of Chinese
    characters), so asking at every candidate of a 50 MB line costs a bisection, not a scan.
    """

    def __init__(self, speech: Speech):
        self.s = speech
        self.body = speech.body
        self.paras = list(speech.paragraph_spans)
        self.para_starts = [a for a, _ in self.paras]
        self.sent_starts = [a for a, _ in speech.sentence_spans]
        self.ph_starts = [p.start for p in speech.placeholders]

    def para_index(self, offset: int) -> int:
        """0-based index of the paragraph containing (or following) ``offset``."""
        i = bisect_right(self.para_starts, offset) - 1
        return max(0, i)

    def para_end(self, offset: int) -> int:
        """End of the paragraph containing ``offset`` (the body's end when there are none)."""
        return self.paras[self.para_index(offset)][1] if self.paras else len(self.body)

    def sentence_end(self, start: int, limit: int) -> int:
        """:func:`first_sentence_end` in ``body``, by bisection over the sentence stops."""
        stops = self._stops
        k = bisect_left(stops, start)
        return stops[k] + 1 if k < len(stops) and stops[k] < limit else limit

    def in_quotes(self, para_start: int, pos: int) -> bool:
        """True when ``pos`` is inside quotation marks opened since ``para_start``: more opening
        marks (“‘「『) than closing ones (”’」』) in ``body[para_start:pos]``."""
        at, depth = self._quotes
        return depth[bisect_left(at, pos)] > depth[bisect_left(at, para_start)]

    def han_chars(self, start: int, end: int) -> int:
        """Chinese characters in ``body[start:end]`` (``count_han`` of that slice, without making it)."""
        n = len(self.body)
        start, end = min(start, n), min(end, n)
        return int(self._han_before[end] - self._han_before[start]) if end > start else 0

    @cached_property
    def _stops(self) -> list[int]:
        """Where the sentence stops (:data:`SENT_END`) are."""
        return [m.start() for m in SENT_END.finditer(self.body)]

    @cached_property
    def _quotes(self) -> tuple[list[int], list[int]]:
        """Where the quotation marks are, and the running count of opening minus closing ones
        before each (``depth[k]``: before the k-th mark)."""
        at, depth, d = [], [0], 0
        for m in _QUOTE.finditer(self.body):
            at.append(m.start())
            d += 1 if m.group() in _OPEN_Q else -1
            depth.append(d)
        return at, depth

    @cached_property
    def _han_before(self) -> np.ndarray:
        """``_han_before[i]``: Chinese characters in ``body[:i]``."""
        codes = np.frombuffer(self.body.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        han = _bmp_han()[np.minimum(codes, 0xFFFF)]
        for k in np.flatnonzero(codes > 0xFFFF):  # beyond the BMP (rare): asked one by one
            han[k] = HAN_RE.match(chr(codes[k])) is not None
        out = np.zeros(len(codes) + 1, dtype=np.int32 if len(codes) < 2**31 else np.int64)
        np.cumsum(han, out=out[1:])
        return out


@cache
def _bmp_han() -> np.ndarray:
    """``table[code point]`` for the BMP: True for the Chinese characters (what :data:`~analysis_utils.text.HAN_RE` matches)."""
    table = np.zeros(0x10000, dtype=bool)
    table[[m.start() for m in HAN_RE.finditer("".join(map(chr, range(0x10000))))]] = True
    return table


class LastContaining:
    """Spans ``[start, end)`` in slots ordered by start: the last slot whose span contains a position.

    A segment tree over the ends answers :meth:`last` in O(log n); the ends are given at the
    start or set at any time (a slot without one contains nothing). The outline uses it for "the heading (or
    placed item) an offset falls in", which a scan over every span made quadratic.

    Example:
        >>> spans = LastContaining([0, 5, 7])
        >>> spans.set_end(0, 20); spans.set_end(1, 6)
        >>> spans.last(5), spans.last(6), spans.last(7), spans.last(30)
        (1, 0, 0, -1)
        >>> LastContaining([0, 5, 7], [20, 6, 0]).last(5)
        1
    """

    def __init__(self, starts: list[int], ends: list[int] | None = None):
        self.starts = starts
        self.size = 1 << max(0, len(starts) - 1).bit_length()
        self.tree = tree = [-1] * (2 * self.size)  # the largest end below each node; -1: none
        if ends:
            tree[self.size: self.size + len(ends)] = ends
            for i in range(self.size - 1, 0, -1):
                tree[i] = max(tree[2 * i], tree[2 * i + 1])

    def set_end(self, slot: int, end: int) -> None:
        i = slot + self.size
        self.tree[i] = end
        while i > 1:
            i >>= 1
            self.tree[i] = max(self.tree[2 * i], self.tree[2 * i + 1])

    def last(self, pos: int) -> int:
        """The last slot with ``start <= pos < end``, ``-1`` when none."""
        k = bisect_right(self.starts, pos)
        tree, i = self.tree, k - 1 + self.size
        if k == 0 or tree[i] > pos:
            return k - 1
        while i > 1:
            if i & 1 and tree[i - 1] > pos:  # the left sibling holds a span containing pos
                i -= 1
                while i < self.size:
                    i = 2 * i + 1 if tree[2 * i + 1] > pos else 2 * i
                return i - self.size
            i >>= 1
        return -1


def strip_end(body: str, start: int, end: int) -> int:
    """``end`` moved left over white space (never before ``start``)."""
    while end > start and body[end - 1] in " \n\t\u3000":
        end -= 1
    return end


def first_sentence_end(body: str, start: int, limit: int) -> int:
    """End (exclusive, after the stop) of the sentence starting at ``start``, at most ``limit``."""
    m = SENT_END.search(body, start, limit)
    return m.end() if m else limit


def clean_heading(text: str) -> str:
    """``text`` without surrounding white space and final punctuation (``。：；，！？``)."""
    a, b = clean_span(text, 0, len(text))
    return text[a:b]


def clean_span(body: str, start: int, end: int) -> tuple[int, int]:
    """Where ``clean_heading(body[start:end])`` is in ``body``, found without copying the span.

    Example:
        >>> clean_span(" 一、总体要求。 ", 0, 9)
        (1, 7)
    """
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    while end > start and body[end - 1] in _FINAL_PUNCT:
        end -= 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end
