"""Labels for figures and printed tables: shortening and wrapping Chinese text.

One place for what every figure needs: :func:`shorten` cuts a label with ``…``,
:func:`wrap_cjk` breaks it over lines measured in ems (a Chinese character is 1, a Latin
letter about 0.55), never starting a line with closing punctuation.
"""
from __future__ import annotations

import unicodedata

_NO_LINE_START = set("，。、；：！？）》」』”’…—,.;:!?)")


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters and ending in ``…`` when cut."""
    text = str(text).replace("\n", " ").strip()
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (Chinese characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def text_units(text: str) -> float:
    """Width of ``text`` in ems: Chinese characters 1, Latin letters and digits about 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in text)


def _greedy(text: str, width: float) -> list[str]:
    lines: list[str] = []
    cur, w = "", 0.0
    for ch in text:
        cw = text_units(ch)
        if w + cw > width and cur and ch not in _NO_LINE_START:
            lines.append(cur)
            cur, w = "", 0.0
        cur += ch
        w += cw
    if cur:
        lines.append(cur)
    return lines or [""]


def wrap_cjk(text: str, width: float, *, max_lines: int = 2, balance: bool = True) -> list[str]:
    """``text`` on lines of at most ``width`` ems, at most ``max_lines`` (the last ends in ``…``
    when cut); a line never starts with closing punctuation; with ``balance`` the lines get
    about equal length (no orphan character on a line of its own)."""
    text = " ".join(str(text).split())
    lines = _greedy(text, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_units(last) + 1 > width:
            last = last[:-1]
        lines[-1] = last + "…"
        return lines
    if balance and len(lines) == 2:
        # two lines: break after a comma or 、 near the middle when both halves fit
        best = None
        for k, ch in enumerate(text[:-1]):
            if ch in "，、；：,;:" and text_units(text[: k + 1]) <= width and text_units(text[k + 1:]) <= width:
                score = abs(text_units(text[: k + 1]) - text_units(text[k + 1:]))
                if best is None or score < best[0]:
                    best = (score, k + 1)
        if best is not None and best[0] <= 0.6 * text_units(text):
            return [text[: best[1]], text[best[1]:]]
    if len(lines) > 1 and text_units(lines[-1]) <= 2.5:  # no orphan of one or two characters
        head, tail = lines[-2], lines[-1]
        move = min(len(head) - 1, 4)
        while move > 0 and head[len(head) - move] in _NO_LINE_START:
            move -= 1
        if move > 0:
            lines[-2], lines[-1] = head[:-move], head[-move:] + tail
    return lines
