"""The outline slide's layout: which nodes it shows, as cards in columns, in the largest fonts that fit.

:func:`figure_nodes` picks the items (top-level parts, their sub-headings); :func:`make_cards`
wraps their headings; :func:`choose_layout` tries font sizes and column counts and keeps the
most readable layout that fits; :func:`draw_cards` draws it on a slide. Used by
:mod:`analysis_utils.plots.outline`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

from ..outline import FRAME_KINDS, KIND_LABELS, Outline, OutlineNode
from .style import LABEL_SIZE, TEXT_COLOR, TITLE_SIZE, is_cut, text_units, tint, words, wrap_cjk

#: One colour per top-level part (cycled); frame parts (opening, closing) are grey.
PALETTE = ["#b8312f", "#3b6ea5", "#d08a1e", "#3f8f5a", "#7a4f9a", "#2a8a8a", "#a0522d", "#5d6d7e",
           "#c0507a", "#6b8e23"]
FRAME_COLOR = "#8c8c8c"
PARAGRAPH_COLOR = "#a9a9a9"
MUTED = "#6f6f6f"
WARN = "#c0392b"


def fmt_chars(n: int) -> str:
    """``1,234字``: a length in Chinese characters."""
    return f"{n:,}字"


# --------------------------------------------------------------------- what to show
def figure_nodes(outline: Outline, *, max_level: int = 2) -> list[tuple[OutlineNode | list[OutlineNode], list]]:
    """The top-level items of the figures with the children shown under each.

    Title block and salutation are left out (the title heads the figure); runs of
    paragraph nodes (speeches without headings) are grouped into one item (a list).
    Children shown: sections and parts, or, for a node without any, its paragraph-initial
    numbered enumerations (第一 / 一是 / 首先) — for a part, its —— list — down to ``max_level``.

    Example:
        >>> from analysis_utils import build_outline, load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> items = figure_nodes(build_outline(load_speech(SEED_SPEECH)))
        >>> [(n.kind, len(kids)) for n, kids in items]
        [('opening', 0), ('section', 5), ('section', 5), ('closing', 0)]
    """
    def kids(n: OutlineNode) -> list:
        if n.level >= max_level:
            return []
        heads = [c for c in n.children if c.kind in ("section", "part")]
        if not heads:
            heads = [c for c in n.children if c.kind == "enumeration" and c.style != "——" and _para_initial(outline, c)]
        if not heads and n.kind == "part":  # a part without numbered items: its —— list, if any
            heads = [c for c in n.children if c.kind == "enumeration" and c.style == "——"]
        return [(c, kids(c)) for c in heads]

    items: list = []
    run: list[OutlineNode] = []
    for n in outline.nodes:
        if n.kind in ("title", "salutation"):
            continue
        if n.kind == "paragraph" and not any(c.kind == "enumeration" for c in n.children):
            run.append(n)
            continue
        if run:
            items.append((run, []))
            run = []
        items.append((n, kids(n)))
    if run:
        items.append((run, []))
    return items


def _para_initial(outline: Outline, n: OutlineNode) -> bool:
    body = outline.speech.body
    return n.start == 0 or body[n.start - 1] == "\n"


def item_label(item) -> tuple[str, str, int, int]:
    """(kind label, text, chars, placeholders) for a figure item."""
    if isinstance(item, list):
        chars = sum(n.chars for n in item)
        ph = sum(len(n.placeholders) for n in item)
        if len(item) == 1:
            return "段落 paragraph", item[0].heading, chars, ph
        return f"{len(item)} 段 paragraphs", item[0].heading, chars, ph
    n = item
    if n.kind in FRAME_KINDS:
        return KIND_LABELS[n.kind], n.heading, n.chars, len(n.placeholders)
    return "", n.title, n.chars, len(n.placeholders)


def item_colors(outline: Outline, items: list) -> list[str]:
    """Colour of each figure item: the k-th top-level section/part gets PALETTE[k], frames grey."""
    order = [n for n in outline.nodes if n.kind not in FRAME_KINDS and n.kind != "paragraph"]
    index = {id(n): k for k, n in enumerate(order)}
    out = []
    for item, _ in items:
        if isinstance(item, list):
            out.append(PARAGRAPH_COLOR)
        elif item.kind in FRAME_KINDS:
            out.append(FRAME_COLOR)
        else:
            out.append(PALETTE[index.get(id(item), 0) % len(PALETTE)])
    return out


# ------------------------------------------------------------------------ the cards
@dataclass
class _Line:
    text: str
    level: int  # 2 = sub-heading, 3 = below it
    chars: int = 0
    placeholders: int = 0
    first: bool = True  # first line of its node
    indent: float = 0.0  # ems a continuation line is indented by (the marker's width)


@dataclass
class _Card:
    color: str
    header: list[str]
    chars: int
    placeholders: int
    n_children: int  # sub-headings it has (shown or not)
    lines: list[_Line] = field(default_factory=list)
    cut: bool = False  # its heading had to be shortened


@dataclass
class Layout:
    """Cards in columns, with the column width, font sizes and line heights (points)."""

    columns: list[list[_Card]]
    col_w: float
    fs_h: float
    fs_c: float
    h_line: float
    c_line: float
    g_line: float
    show_children: bool


#: Padding, gaps and margins of the slide, in points.
H_PAD, CARD_GAP, COL_GAP, SIDE, TOP, BOTTOM = 4.5, 11, 18, 24, 70, 50
#: (header, sub-heading) font sizes tried, largest first; no text of a card below
#: :data:`~analysis_utils.plots.style.SMALL` (14 pt on the slide): what does not fit goes to
#: further pages (:func:`~analysis_utils.plots.outline.textplot_outline_pages`).
_FONT_STEPS = ((20, 18), (19, 17), (18, 16.5))
#: The smallest text of a card: a slide places the 13.5-inch figure about 11.9 inches wide, so
#: 16.5 pt lands at 14 pt or more.
CARD_MIN = 16.5


def _at_least_small(size: float) -> float:
    """A size of the card's secondary text (lengths, placeholders), never below :data:`CARD_MIN`."""
    return max(CARD_MIN, size)


def _card_height(card: _Card, lay: Layout) -> float:
    h = len(card.header) * lay.h_line + 2 * H_PAD + 3
    h += sum(lay.c_line if ln.level == 2 else lay.g_line for ln in card.lines)
    return h + CARD_GAP


def _child_lines(card: _Card, kids: list, col_w: float, fs_c: float, chars_w: float, child_lines: int) -> None:
    """Add the sub-headings (and their own children, one line each) under ``card``."""
    for child, grand in kids:
        indent = min(text_units(child.marker), 3.0)
        wrapped = wrap_cjk(child.title, (col_w - 22) / fs_c - chars_w - indent / 2, max_lines=child_lines)
        for j, t in enumerate(wrapped):
            card.lines.append(_Line(t, 2, child.chars, len(child.placeholders), j == 0, 0.0 if j == 0 else indent))
        for g, _ in grand:
            gw = wrap_cjk(g.title, (col_w - 38) / (fs_c - 0.5) - chars_w, max_lines=1)
            card.lines.append(_Line(gw[0], 3, g.chars, len(g.placeholders)))


def _heading_lines(text: str, width: float, right: float, max_lines: int) -> list[str]:
    """A card's heading on lines of ``width`` ems, the first ``right`` ems shorter (the size
    stands there), broken between words; ``…`` when cut.

    Example:
        >>> _heading_lines("十三、坚持和完善“一国两制”，推进祖国统一", 12, 5, 2)
        ['十三、坚持和', '完善“一国两制”，推进…']
    """
    first = wrap_cjk(text, width - right, max_lines=1, balance=False)
    if max_lines == 1 or not is_cut(first):
        return first
    pieces, line = words(" ".join(text.split())), ""
    for k, piece in enumerate(pieces):
        if line and text_units(line + piece) > width - right:
            return [line.strip(), *wrap_cjk("".join(pieces[k:]), width, max_lines=max_lines - 1, balance=False)]
        line += piece
    return [line.strip()]


def make_cards(items: list, col_w: float, fs_h: float, fs_c: float, child_lines: int, show_children: bool,
               colors: list[str]) -> list[_Card]:
    """One card per item: its heading wrapped to the column, its sub-headings when ``show_children``."""
    chars_w = 6.5 if not show_children else 4.2  # ems kept free at the right for "5项 · 1,234字"
    cards = []
    for (item, kids), color in zip(items, colors):
        kind_label, text, chars, ph = item_label(item)
        if isinstance(item, list) or item.kind in FRAME_KINDS:
            text = f"{kind_label}：{text}"
            max_lines = 1
        else:
            max_lines = 2
        head = _heading_lines(text, (col_w - 16) / fs_h, chars_w, max_lines)
        card = _Card(color, head, chars, ph, len(kids), cut=max_lines > 1 and is_cut(head))
        if show_children:
            _child_lines(card, kids, col_w, fs_c, chars_w, child_lines)
        cards.append(card)
    return cards


def pack(heights: list[float], n_cols: int, limit: float) -> list[int] | None:
    """Column index per card (order kept) so that no column exceeds ``limit``; balanced.

    Example:
        >>> pack([3, 3, 2, 2], 2, 10), pack([3, 3, 2, 2], 1, 9)
        ([0, 0, 1, 1], None)
    """
    if not heights or max(heights) > limit:
        return None if heights else []
    lo, hi = max(heights), max(sum(heights), max(heights))
    for _ in range(40):  # smallest column height that still fits in n_cols columns
        mid = (lo + hi) / 2
        cols, cur = 1, 0.0
        for h in heights:
            if cur + h > mid + 1e-9:
                cols, cur = cols + 1, h
            else:
                cur += h
        if cols <= n_cols:
            hi = mid
        else:
            lo = mid
    if hi > limit + 1e-6:
        return None
    out, col, cur = [], 0, 0.0
    for h in heights:
        if cur + h > hi + 1e-6 and cur > 0:
            col, cur = col + 1, 0.0
        out.append(col)
        cur += h
    return out if col < n_cols else None


def _readability(cards: list[_Card], fs_c: float, n_cols: int) -> tuple:
    """Sort key of a layout, best first: fewest shortened headings and lines, then big type
    with sub-headings on one line each, then fewest columns."""
    cut_heads = sum(c.cut for c in cards)
    cut_lines = sum(ln.text.endswith("…") for c in cards for ln in c.lines)
    firsts = [ln for c in cards for ln in c.lines if ln.level == 2 and ln.first]
    wrapped = sum(1 for c in cards for ln in c.lines if ln.level == 2 and not ln.first)
    score = fs_c - 3.0 * (wrapped / len(firsts) if firsts else 0.0)
    return (cut_heads, cut_lines, -round(score, 3), n_cols)


def _try_layout(items: list, colors: list[str], fonts: tuple[float, float], child_lines: int, n_cols: int, *,
                width: float, height: float, show_children: bool) -> tuple[Layout, tuple] | None:
    """The layout with these fonts and columns and its sort key, or ``None`` if it does not fit."""
    fs_h, fs_c = fonts
    col_w = (width - 2 * SIDE - (n_cols - 1) * COL_GAP) / n_cols
    lay = Layout([], col_w, fs_h, fs_c, fs_h * 1.35, fs_c * 1.45, (fs_c - 0.5) * 1.45, show_children)
    cards = make_cards(items, col_w, fs_h, fs_c, child_lines, show_children, colors)
    where = pack([_card_height(c, lay) for c in cards], n_cols, height)
    if where is None:
        return None
    lay.columns = [[c for c, w in zip(cards, where) if w == k] for k in range(max(where, default=-1) + 1)]
    if 0 < len(lay.columns) < n_cols:  # use the width the packing left free (none when there is no card)
        k = len(lay.columns)
        lay.col_w = (width - 2 * SIDE - (k - 1) * COL_GAP) / k
    return lay, _readability(cards, fs_c, n_cols)


def choose_layout(items: list, colors: list[str], *, width: float, height: float, show_children: bool,
                  max_columns: int) -> Layout | None:
    """Of the layouts where every card fits: the one that shortens fewest headings, then has
    the largest fonts, then the fewest columns (at least two when there are three cards or
    more); ``None`` if nothing fits."""
    min_cols = 1 if len(items) < 3 else 2
    best, best_key = None, None
    for fonts in _FONT_STEPS:
        for child_lines in ((2, 1) if show_children else (1,)):
            for n_cols in range(min(min_cols, max_columns), max_columns + 1):
                tried = _try_layout(items, colors, fonts, child_lines, n_cols, width=width, height=height,
                                    show_children=show_children)
                if tried is not None and (best_key is None or tried[1] < best_key):
                    best, best_key = tried
    return best


# ------------------------------------------------------------------------ drawing
def _draw_card(ax, card: _Card, lay: Layout, x0: float, y: float) -> float:
    """Draw one card with its top-left corner at (x0, y); return the y below it."""
    col_w, fs_h, fs_c = lay.col_w, lay.fs_h, lay.fs_c
    hh = len(card.header) * lay.h_line + 2 * H_PAD
    ax.add_patch(FancyBboxPatch((x0, y), col_w, hh, boxstyle="round,pad=0,rounding_size=5",
                                facecolor=card.color, edgecolor="none"))
    for j, t in enumerate(card.header):
        ax.text(x0 + 8, y + H_PAD + (j + 0.5) * lay.h_line, t, fontsize=fs_h, color="white", va="center")
    right = fmt_chars(card.chars)
    if not lay.show_children and card.n_children:
        right = f"{card.n_children}项 · {right}"
    cy = y + H_PAD + 0.5 * lay.h_line
    fs_r = _at_least_small(fs_c - 1)
    ax.text(x0 + col_w - 7, cy, right, fontsize=fs_r, color="white", va="center", ha="right")
    if card.placeholders:
        ax.text(x0 + col_w - 7 - (text_units(right) + 0.5) * fs_r, cy, f"×{card.placeholders}",
                fontsize=fs_r, color="#ffe08a", va="center", ha="right")
    y += hh + 3
    trunk_x, trunk_top, last_tick = x0 + 9, y - 3, None
    for ln in card.lines:
        lh = lay.c_line if ln.level == 2 else lay.g_line
        cy = y + lh / 2
        if ln.level == 2:
            if ln.first:
                ax.plot([trunk_x, x0 + 18], [cy, cy], color=card.color, lw=1.4, solid_capstyle="butt")
                last_tick = cy
            ax.text(x0 + 22 + ln.indent * fs_c, cy, ln.text, fontsize=fs_c, color=TEXT_COLOR, va="center")
        else:
            ax.plot([x0 + 26, x0 + 34], [cy, cy], color=tint(card.color, 0.35), lw=1.0)
            ax.text(x0 + 38, cy, ln.text, fontsize=_at_least_small(fs_c - 0.5), color=MUTED, va="center")
        if ln.first:
            _line_size(ax, ln, x0 + col_w - 4, cy, _at_least_small(fs_c - 1.5))
        y += lh
    if last_tick is not None:
        ax.plot([trunk_x, trunk_x], [trunk_top, last_tick], color=card.color, lw=1.4)
    return y + CARD_GAP


def _line_size(ax, ln: _Line, right: float, cy: float, fs: float) -> None:
    """A sub-heading's length at the right edge, its unfilled placeholders before it."""
    label = fmt_chars(ln.chars)
    ax.text(right, cy, label, fontsize=fs, color=MUTED, va="center", ha="right")
    if ln.placeholders:
        ax.text(right - (text_units(label) + 0.5) * fs, cy, f"×{ln.placeholders}",
                fontsize=fs, color=WARN, va="center", ha="right")


def draw_cards(lay: Layout, *, title: str, subtitle: str, footnote: str, figsize: tuple[float, float]) -> plt.Figure:
    """A slide of ``figsize`` inches: title, subtitle, the cards of ``lay`` column by column, footnote."""
    W, H = figsize[0] * 72, figsize[1] * 72
    fig = plt.figure(figsize=figsize)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, W)
    ax.set_ylim(H, 0)
    ax.axis("off")
    ax.text(SIDE, 24, wrap_cjk(title, (W - 2 * SIDE) / TITLE_SIZE, max_lines=1)[0], fontsize=TITLE_SIZE,
            color=TEXT_COLOR, va="center")
    ax.text(SIDE, 52, subtitle, fontsize=LABEL_SIZE, color=MUTED, va="center")  # 14 pt once a slide places it
    for ci, col in enumerate(lay.columns):
        x0 = SIDE + ci * (lay.col_w + COL_GAP)
        y: float = TOP
        for card in col:
            y = _draw_card(ax, card, lay, x0, y)
    ax.text(W - SIDE, H - 6, "\n".join(_note_lines(footnote, (W - 2 * SIDE) / LABEL_SIZE)), fontsize=LABEL_SIZE, color=MUTED,
            ha="right", va="bottom")
    return fig


def _note_lines(note: str, width: float) -> list[str]:
    """The parts of a footnote (joined by `` · ``) on lines of at most ``width`` ems (two at most).

    Example:
        >>> _note_lines("字 = 汉字数 Chinese characters · 灰色 grey = 开头/结尾 opening/closing", 20)
        ['字 = 汉字数 Chinese characters', '灰色 grey = 开头/结尾 opening/closing']
    """
    lines: list[str] = []
    for part in note.split(" · "):
        if lines and text_units(f"{lines[-1]} · {part}") * 0.92 <= width:
            lines[-1] += f" · {part}"
        else:
            lines.append(part)
    return lines
