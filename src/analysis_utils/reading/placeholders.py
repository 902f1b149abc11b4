"""Redaction placeholders (``×××``, ``XX``, ``○○``, ``某某`` …) standing for a name or a number.

Example:
    >>> [p.text for p in find_placeholders("由XX同志和×名干部负责，二○○八年")]
    ['XX', '×']
"""
from __future__ import annotations

import re
from bisect import bisect_right

from ..speech import Placeholder

#: One redaction mark. ``○○`` inside a written-out year (二○○八年) is not one; ``XXL`` is not one.
PLACEHOLDER_RE = re.compile(
    r"[×╳✕✖]+|(?<![A-Za-z])(?:[Xx]{2,}|[Ｘｘ]{2,})(?![A-Za-z])|(?<![〇零一二三四五六七八九十])○{2,}(?![〇零一二三四五六七八九十年])|□{2,}|△{2,}|＊{2,}|\*{2,}|某某+"
)


def find_placeholders(body: str) -> tuple[Placeholder, ...]:
    """Every redaction mark in ``body`` with its position, paragraph and context.

    Args:
        body: the text (a speech's body: one paragraph per line).

    Returns:
        One :class:`~analysis_utils.speech.Placeholder` per mark, in order; ``paragraph`` is
        1-based and ``context`` is up to 12 characters either side, on one line.

    Example:
        >>> find_placeholders("第一段。\\n请×××同志发言")[0]
        Placeholder(text='×××', start=6, end=9, paragraph=2, context='第一段。 请×××同志发言')
    """
    out: list[Placeholder] = []
    matches = list(PLACEHOLDER_RE.finditer(body))
    line_starts = [0] + [m.end() for m in re.finditer("\n", body)] if matches else []
    for m in matches:
        s, e = m.span()
        ctx = body[max(0, s - 12): e + 12].replace("\n", " ")
        out.append(Placeholder(m.group(), s, e, bisect_right(line_starts, s), ctx))
    return tuple(out)
