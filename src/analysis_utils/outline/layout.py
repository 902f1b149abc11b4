"""Where things are in a speech body, and the small text rules every step of the outline shares.

:class:`Layout` looks up paragraphs and sentences by offset; the functions find sentence
ends, tell whether a position is inside quotation marks, and clean a heading's text;
:data:`SALUTATION_START` recognises addressing the audience (``同志们，``, ``各位代表！``).

Example:
    >>> body = "同志们：\\n一、总体要求。我们要“一是一”。"
    >>> first_sentence_end(body, 5, len(body)), clean_heading(body[7:12])
    (12, '总体要求')
    >>> in_quotes(body, 5, body.index("一是")), bool(SALUTATION_START.match(body))
    (True, True)
"""
from __future__ import annotations

import re
from bisect import bisect_right

from ..speech import Speech
from ..text import HAN

#: A sentence-final stop.
SENT_END = re.compile(r"[。！？!?]")
#: What may stand before a marker that starts a clause (enumerations) or a sentence (inline headings).
CLAUSE_BEFORE = set("。！？；：，,;:!?\n")
SENTENCE_BEFORE = set("。！？：；!?:;")
_OPEN_Q, _CLOSE_Q = "“‘「『", "”’」』"

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


def in_quotes(body: str, para_start: int, pos: int) -> bool:
    """True when ``pos`` is inside quotation marks opened since ``para_start``."""
    seg = body[para_start:pos]
    return sum(seg.count(c) for c in _OPEN_Q) > sum(seg.count(c) for c in _CLOSE_Q)


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
    text = text.strip().rstrip("。：:；;，,！!？?")
    return text.strip()
