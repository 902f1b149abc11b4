"""Redaction placeholders (``×××``, ``XX``, ``○○``, ``某某`` …) standing for a name or a number.

Example:
    >>> [p.text for p in find_placeholders("由XX同志和×名干部负责，二○○八年")]
    ['XX', '×']
"""
from __future__ import annotations

import re
from collections.abc import Iterator

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
    paragraph, counted = 1, 0  # the paragraph of body[counted]
    for m in _marks(body):
        s, e = m.span()
        paragraph += body.count("\n", counted, s)
        counted = s
        ctx = body[max(0, s - 12): e + 12].replace("\n", " ")
        out.append(Placeholder(m.group(), s, e, paragraph, ctx))
    return tuple(out)


#: The characters a redaction mark starts with (every alternative of ``PLACEHOLDER_RE`` starts with one).
_FIRST = re.compile("[×╳✕✖XxＸｘ○□△＊*某]")


def _marks(body: str) -> Iterator[re.Match]:
    """``PLACEHOLDER_RE.finditer(body)``, tried only where a mark's first character stands.

    The pattern's look-behind guards make the regex engine try every character; a search for the
    first characters skips ahead fast. A match found here is the one ``finditer`` finds: it tries the
    same pattern at each place from the left, and a mark cannot start anywhere else.

    Example:
        >>> [m.group() for m in _marks("XXL，XX同志，二○○八年，○○，某某某")] == PLACEHOLDER_RE.findall("XXL，XX同志，二○○八年，○○，某某某")
        True
    """
    pos = 0
    while first := _FIRST.search(body, pos):
        if m := PLACEHOLDER_RE.match(body, first.start()):
            yield m
            pos = m.end()
        else:
            pos = first.start() + 1
