"""Small text primitives every job shares: Chinese characters, Chinese numerals, span overlaps.

One definition of each, so the loader, the outline, the tokeniser and the counters agree on
what a Chinese character is, what ``十二`` means and which of two overlapping hits wins.

Example:
    >>> count_han("稳就业、保民生 2022")
    6
    >>> cn_number("十二"), cn_number("二〇二二"), cn_number("１２"), cn_number("第")
    (12, 2022, 12, None)
    >>> cn_number("一二", digit_strings=False)
    >>> leftmost_longest([(0, 2, "a"), (0, 4, "b"), (3, 5, "c"), (4, 6, "d")])
    [(0, 4, 'b'), (4, 6, 'd')]
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

#: The Chinese characters, as a regex character-class body: CJK Unified Ideographs,
#: extension A and the compatibility ideographs. ``[{HAN}]`` in a pattern.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: One Chinese character.
HAN_RE = re.compile(f"[{HAN}]")
_HAN_RUN_RE = re.compile(f"[{HAN}]+")

#: Chinese digits and their values (〇/○/零 are 0, 两 is 2).
CN_DIGITS: dict[str, int] = {c: i for i, c in enumerate("零一二三四五六七八九")}
CN_DIGITS.update({"〇": 0, "○": 0, "两": 2})


def count_han(text: str) -> int:
    """Number of Chinese characters in ``text`` (punctuation, digits, Latin not counted)."""
    return sum(map(len, _HAN_RUN_RE.findall(text)))  # runs, not characters: no list of every character


def is_han(ch: str) -> bool:
    """True when the one character ``ch`` is a Chinese character."""
    return HAN_RE.fullmatch(ch) is not None


def cn_number(text: str, *, digit_strings: bool = True) -> int | None:
    """The value of a number written in Chinese or in (full-width) digits; ``None`` if it is not one.

    ``一``→1, ``十``→10, ``十二``→12, ``二十``→20, ``两``→2, ``１２``/``12``→12, and with
    ``digit_strings`` (years) ``二〇一七``→2017, digit by digit; without it such a string is not a
    number (a heading marker ``一二、`` is not 12). Up to 99 in the 十 form, which is all that
    headings and dates use.
    """
    s = unicodedata.normalize("NFKC", text)
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" in s:
        a, _, b = s.partition("十")
        if len(a) > 1 or len(b) > 1 or (a and a not in CN_DIGITS) or (b and b not in CN_DIGITS):
            return None
        return (CN_DIGITS[a] if a else 1) * 10 + (CN_DIGITS[b] if b else 0)
    if len(s) == 1:
        return CN_DIGITS.get(s)
    if digit_strings and all(c in CN_DIGITS and c != "两" for c in s):
        return int("".join(str(CN_DIGITS[c]) for c in s))
    return None


def cn_numeral(n: int) -> str:
    """12 → 十二 (for messages and headings); 100 and above in digits."""
    d = "零一二三四五六七八九"
    if n < 10:
        return d[n]
    if n < 20:
        return "十" + (d[n - 10] if n > 10 else "")
    if n < 100:
        return d[n // 10] + "十" + (d[n % 10] if n % 10 else "")
    return str(n)


S = TypeVar("S", bound=Sequence)


def leftmost_longest(spans: Iterable[S], *, tiebreak: Callable[[S], object] | None = None) -> list[S]:
    """Resolve overlapping spans: scanning left to right, keep the longest span that starts first.

    ``spans`` are sequences whose first two items are ``start`` and ``end`` (more items are
    carried along). Among spans starting at the same place the longest wins, then the one with
    the smallest ``tiebreak(span)``; a span that overlaps one already kept is dropped. This is
    what a longest-first regex alternation finds, and what counting "each stretch of text once"
    means. Returns the kept spans in order of position.
    """
    key = (lambda t: (t[0], t[0] - t[1])) if tiebreak is None else (lambda t: (t[0], t[0] - t[1], tiebreak(t)))
    out: list[S] = []
    end = None
    for span in sorted(spans, key=key):
        if end is None or span[0] >= end:
            out.append(span)
            end = span[1]
    return out


#: How many positions a one-line summary shows.
POSITIONS_SHOWN = 3


def position_summary(positions) -> str:
    """Where a formulation occurs, short enough for one line.

    Example:
        >>> position_summary([269, 479]), position_summary([269, 479, 2986, 3001, 3100])
        ('269, 479', '5 处: 269, 479, 2986 …')
    """
    shown = ", ".join(str(p) for p in positions[:POSITIONS_SHOWN])
    return shown if len(positions) <= POSITIONS_SHOWN else f"{len(positions)} 处: {shown} …"
