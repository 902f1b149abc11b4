"""Numbered headings: the five marker styles of Chinese official writing, and finding them.

Heading styles (the *style rank* orders them; the tree *level* is relative, so a speech
that starts at ``（一）`` still gets a level-1 ``（一）``):

====  ==========================================  =====================================
rank  marker                                      variants recognised
====  ==========================================  =====================================
0     ``第一部分``, ``第一个问题：``               followed by ``：``/``、``/space (问题 also ``，``) or alone
1     ``一、``                                    ``一.`` ``一．``
2     ``（一）``                                  ``(一)`` ``（一)`` ``(一）``
3     ``1.``                                      ``1、`` ``１．`` (full-width digits)
4     ``（1）``                                   ``(1)`` ``（１）``
5     ``①``                                       ``①`` … ``⑳``
====  ==========================================  =====================================

A heading stands on its own line (reports) or is the first sentence of a paragraph
(``（一）党的十九大精神落实落细。…``): its ``heading`` is that sentence (without marker and
final full stop). A marker is only a marker at the start of a paragraph (or, in a text
without line breaks, of a sentence) and never inside quotation marks: ``“一带一路”``,
``一、二线城市``, ``1.5万亿元`` are not headings. The rank-0 parts (``第一个问题：…第二个问题：``,
``第一部分``) lead only when they are the text's top level: a series from 1 that starts before
any ``一、`` heading; inside a ``一、`` section they rank below every other style.

Example:
    >>> h = match_heading("（一）加强理论学习。我们要读原著。", 0, 17)
    >>> h.rank, h.marker, h.number, h.heading, h.standalone
    (2, '（一）', 1, '加强理论学习', False)
    >>> match_heading("一、二线城市房价保持稳定。", 0, 13) is None
    True
    >>> marker_number("十二"), marker_number("１２"), marker_number("一二")
    (12, 12, None)
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..text import HAN, cn_number
from .layout import SENTENCE_BEFORE, Layout, clean_heading, clean_span, first_sentence_end
from .model import Finding

#: A Chinese numeral as heading and enumeration markers write it (一 … 九十九).
CN_NUM = "[一二三四五六七八九十]{1,3}"

#: (rank, canonical marker, pattern at the start of a paragraph or sentence)
HEADING_STYLES: list[tuple[int, str, re.Pattern]] = [
    (0, "第一部分", re.compile(rf"第({CN_NUM})部分(?:[：:、．.]\s*|\s+|$)")),
    (0, "第一个问题", re.compile(rf"第({CN_NUM})个问题(?:[：:、，,．.]\s*|\s+|$)")),
    (1, "一、", re.compile(rf"({CN_NUM})[、.．](?![一二三四五六七八九十两])")),  # 一、二线 is not one
    (2, "（一）", re.compile(rf"[（(]({CN_NUM})[）)]")),
    (3, "1.", re.compile(r"([0-9０-９]{1,2})(?:[.．](?![0-9０-９%％])|、(?![0-9０-９]))")),
    (4, "（1）", re.compile(r"[（(]([0-9０-９]{1,2})[）)]")),
    (5, "①", re.compile(r"([\u2460-\u2473])")),
]
#: What may follow a marker for it to open a heading.
_HEADING_TEXT_START = re.compile(rf"\s*[{HAN}“《‘A-Za-z0-9０-９（(]")
#: Where a marker may start inside a paragraph (a text without line breaks).
_INLINE_MARKER = re.compile(r"[（(]?[一二三四五六七八九十0-9０-９\u2460-\u2473]|第(?=[一二三四五六七八九十]{1,3}(?:部分|个问题))")
#: The rank the top-level parts (第一个问题) take when they are not the top level.
_PART_BELOW = 6
#: Where a very long heading's first clause ends.
_CLAUSE_END = re.compile(r"[；;：:]")


def marker_number(text: str) -> int | None:
    """The value of a marker's numeral: ``一``→1, ``十二``→12, ``１２``→12; ``None`` if it is none.

    :func:`analysis_utils.text.cn_number` without digit strings: ``一二、`` is not heading 12.
    """
    return cn_number(text, digit_strings=False)


@dataclass
class Heading:
    """A heading found in the text, before it becomes an :class:`~analysis_utils.outline.OutlineNode`.

    ``start`` is where the marker starts, ``heading_end`` where the heading text ends;
    ``standalone`` when the heading is the whole paragraph; ``para`` its paragraph index.
    """

    rank: int
    style: str
    marker: str
    number: int
    start: int
    heading_end: int
    heading: str
    standalone: bool
    para: int = -1


def match_heading(body: str, a: int, b: int, *, inline: bool = False,
                  sentence_end: Callable[[int, int], int] | None = None) -> Heading | None:
    """The heading whose marker starts at ``a`` in the paragraph ending at ``b``, or ``None``.

    Args:
        body: the speech body.
        a, b: where to look: the marker must start at ``a``; the heading ends by ``b``.
        inline: the marker starts a sentence inside a paragraph, so the heading is that
            sentence even when it runs to ``b``.
        sentence_end: ``(start, limit) → end`` of the sentence from ``start``
            (default :func:`~analysis_utils.outline.layout.first_sentence_end` in ``body``;
            :meth:`Layout.sentence_end <analysis_utils.outline.layout.Layout.sentence_end>`
            when looking at many places of one long paragraph).

    Returns:
        A :class:`Heading` of the first style (by rank) whose marker and text fit.
    """
    for rank, style, rx in HEADING_STYLES:
        m = rx.match(body, a, b)
        if not m:
            continue
        number = marker_number(m.group(1)) if rank != 5 else ord(m.group(1)) - 0x2460 + 1
        alone = rank == 0 and not inline and not body[m.end():b].strip()  # 第一部分 on a line of its own
        if not number or not (alone or _HEADING_TEXT_START.match(body, m.end(), b)):
            continue
        hs = m.end()
        while hs < b and body[hs] in " \u3000":
            hs += 1
        sent_end = sentence_end(hs, b) if sentence_end else first_sentence_end(body, hs, b)
        standalone = sent_end >= b and not inline
        h_end = b if standalone else sent_end
        heading = _heading_text(body, hs, h_end)
        if heading or alone:
            return Heading(rank, style, clean_heading(body[a:m.end()]) if alone else body[a:m.end()], number, a, h_end,
                           heading, standalone)
    return None


def _heading_text(body: str, hs: int, h_end: int) -> str:
    """The heading ``body[hs:h_end]`` cleaned; a very long one is cut to its first clause."""
    a, e = clean_span(body, hs, h_end)
    if e - a <= 120:
        return body[a:e]
    cm = _CLAUSE_END.search(body, hs, h_end)  # a very long first sentence: its first clause stands for it
    return clean_heading(body[hs: cm.start()] if cm and cm.start() - hs >= 4 else body[hs: hs + 60] + "…")


def heading_candidates(lay: Layout, content_start: int, findings: list[Finding]) -> list[Heading]:
    """Headings at the start of paragraphs from ``content_start`` on, in document order.

    A heading broken over two lines is joined, with a ``heading_split`` finding added to
    ``findings``.
    """
    cands = []
    for i, (a, b) in enumerate(lay.paras):
        if a < content_start:
            continue
        c = match_heading(lay.body, a, b)
        if c:
            c.para = i
            cands.append(c)
    _merge_split_headings(lay, cands, findings)
    return _place_parts(cands)


def _place_parts(cands: list[Heading]) -> list[Heading]:
    """The rank-0 parts (第一个问题, 第一部分) of a style stay the top level when they form a series
    from 1 (with a 2) that starts before every ``一、`` heading; otherwise (an enumeration inside
    a ``一、`` section) they rank below every other style. Changes ``cands`` in place; returns it.

    Example:
        >>> hs = [Heading(1, "一、", "一、", 1, 0, 5, "总体要求", True), Heading(0, "第一个问题", "第一个问题：", 1, 9, 20, "学习", True),
        ...       Heading(0, "第一个问题", "第二个问题：", 2, 30, 40, "落实", True)]
        >>> [h.rank for h in _place_parts(hs)]
        [1, 6, 6]
    """
    for style in {c.style for c in cands if c.rank == 0}:
        ours = [c for c in cands if c.style == style]
        first_top = next((c.start for c in cands if c.rank == 1), None)
        numbers = [c.number for c in ours]
        if numbers[0] == 1 and 2 in numbers and (first_top is None or ours[0].start < first_top):
            continue
        for c in ours:
            c.rank = _PART_BELOW
    return cands


def _merge_split_headings(lay: Layout, cands: list[Heading], findings: list[Finding]) -> None:
    """``（二）坚持不懈用`` / next line ``…凝心铸魂。…``: a heading broken over two lines."""
    by_style: dict[int, list[Heading]] = {}
    for c in cands:
        by_style.setdefault(c.rank, []).append(c)
    heading_paras = {c.para for c in cands}
    for group in by_style.values():
        inline = sum(not c.standalone for c in group)
        if inline < 2 or inline < 3 * (len(group) - inline):
            continue  # the style's headings are not mostly the first sentence of a paragraph
        for c in group:
            if c.standalone and _join_next_line(lay, c, heading_paras, findings):
                c.standalone = False


def _join_next_line(lay: Layout, c: Heading, heading_paras: set[int], findings: list[Finding]) -> bool:
    """Join the short standalone heading ``c`` with the first sentence of the next paragraph
    when that looks like its second half; True when joined."""
    nxt = c.para + 1
    if len(c.heading) > 12 or nxt >= len(lay.paras) or nxt in heading_paras:
        return False
    if re.search(r"[。！？；：，,.!?;:]$", c.heading):
        return False
    a, b = lay.paras[nxt]
    se = first_sentence_end(lay.body, a, b)
    if se - a > 40 or se >= b:
        return False
    first = c.heading
    c.heading = clean_heading(first + lay.body[a:se])
    c.heading_end = se
    findings.append(Finding(
        "structure", "heading_split",
        f"标题断行 · heading broken over two lines, joined: {c.marker}{first} | {lay.body[a:se]}",
        None, c.start, se))
    return True


def inline_heading_candidates(lay: Layout, content_start: int) -> list[Heading]:
    """Headings at sentence starts inside long paragraphs (a text without line breaks).

    Kept only when a real series exists: ``一、二、`` or ``（一）（二）`` starting at 1.
    """
    body = lay.body
    cands = []
    for i, (a, b) in enumerate(lay.paras):
        if b <= content_start or b - a < 200:
            continue
        pos = max(a, content_start)
        for m in _INLINE_MARKER.finditer(body, pos, b):
            p = m.start()
            if p != a and body[p - 1] not in SENTENCE_BEFORE:
                continue
            if lay.in_quotes(a, p):
                continue
            c = match_heading(body, p, b, inline=True, sentence_end=lay.sentence_end)
            if c:
                c.para = i
                cands.append(c)
    return _real_series(_place_parts(cands))


def _real_series(cands: list[Heading]) -> list[Heading]:
    """The candidates of the styles that form a series starting at 1 (and of the styles below)."""
    by_rank: dict[int, list[int]] = {}
    for c in cands:
        by_rank.setdefault(c.rank, []).append(c.number)
    good = {r for r, nums in by_rank.items() if len(nums) >= 2 and nums[0] == 1 and 2 in nums}
    if not good or min(good) > 2:
        return []
    return [c for c in cands if c.rank in good or c.rank > min(good)]
