"""Figures for notebook 01 (structure mapping): the outline as a slide, section sizes, placeholders.

Every function takes an :class:`~analysis_utils.outline.Outline`, draws a new 16:9 figure
and returns it (save it with :func:`analysis_utils.save_fig`). Call
:func:`analysis_utils.setup_notebook` (or :func:`analysis_utils.use_chinese_font`) first.

Example:
    >>> outline = build_outline(speech)  # doctest: +SKIP
    >>> fig = plot_outline_tree(outline)  # doctest: +SKIP
    >>> save_fig(fig, speech.id, "01_outline_tree")  # doctest: +SKIP
"""
from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
from matplotlib.colors import to_rgb
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.ticker import FuncFormatter

from ..plots.fonts import use_chinese_font
from ..plots.labels import text_units, wrap_cjk
from ..outline import FRAME_KINDS, KIND_LABELS, Outline, OutlineNode

FIGSIZE = (13.33, 7.5)
#: One colour per top-level part (cycled); frame parts (opening, closing) are grey.
PALETTE = ["#b8312f", "#3b6ea5", "#d08a1e", "#3f8f5a", "#7a4f9a", "#2a8a8a", "#a0522d", "#5d6d7e",
           "#c0507a", "#6b8e23"]
FRAME_COLOR = "#8c8c8c"
PARAGRAPH_COLOR = "#a9a9a9"
TEXT_COLOR = "#222222"
MUTED = "#6f6f6f"
WARN = "#c0392b"


# ------------------------------------------------------------------------------ text
def is_cut(lines: list[str]) -> bool:
    """Whether :func:`wrap_cjk` had to shorten the text."""
    return bool(lines) and lines[-1].endswith("…")


def _tint(color: str, amount: float) -> tuple[float, float, float]:
    r, g, b = to_rgb(color)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def _fmt_chars(n: int) -> str:
    return f"{n:,}字"


# --------------------------------------------------------------------- what to show
def figure_nodes(outline: Outline, *, max_level: int = 2) -> list[tuple[OutlineNode | list[OutlineNode], list]]:
    """The top-level items of the figures with the children shown under each.

    Title block and salutation are left out (the title heads the figure); runs of
    paragraph nodes (speeches without headings) are grouped into one item (a list).
    Children shown: sections and parts, or, for a node without any, its paragraph-initial
    numbered enumerations (第一 / 一是 / 首先) — for a part, its —— list — down to ``max_level``.
    """
    def kids(n: OutlineNode) -> list:
        if n.level >= max_level:
            return []
        heads = [c for c in n.children if c.kind in ("section", "part")]
        if not heads:
            heads = [c for c in n.children if c.kind == "enumeration" and c.style != "——" and _para_initial(outline, c)]
        if not heads and n.kind == "part":  # a part without numbered items: its —— list, if any
            heads = [c for c in n.children if c.kind == "enumeration" and c.style == "——"]
            if not heads and n.kind == "enumeration":
                heads = [c for c in n.children if c.kind == "enumeration" and c.style != "——"]
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


def _item_label(item) -> tuple[str, str, int, int]:
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


# ------------------------------------------------------------------------ the tree
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
class _Layout:
    columns: list[list[_Card]]
    col_w: float
    fs_h: float
    fs_c: float
    h_line: float
    c_line: float
    g_line: float
    show_children: bool


_H_PAD, _CARD_GAP, _COL_GAP, _SIDE, _TOP, _BOTTOM = 4.5, 11, 18, 24, 66, 30
#: (header, sub-heading) font sizes tried, largest first; never below 12.5 / 11 pt.
_FONT_STEPS = ((18, 15), (17, 14), (16, 13.5), (15, 13), (14, 12), (13, 11.5), (12.5, 11))


def _card_height(card: _Card, lay: _Layout) -> float:
    h = len(card.header) * lay.h_line + 2 * _H_PAD + 3
    h += sum(lay.c_line if ln.level == 2 else lay.g_line for ln in card.lines)
    return h + _CARD_GAP


def _make_cards(items: list, col_w: float, fs_h: float, fs_c: float, child_lines: int, show_children: bool,
                colors: list[str]) -> list[_Card]:
    chars_w = 6.5 if not show_children else 4.2  # ems kept free at the right for "5项 · 1,234字"
    cards = []
    for (item, kids), color in zip(items, colors):
        kind_label, text, chars, ph = _item_label(item)
        if isinstance(item, list) or item.kind in FRAME_KINDS:
            text = f"{kind_label}：{text}"
            max_lines = 1
        else:
            max_lines = 2
        head = wrap_cjk(text, (col_w - 16) / fs_h - chars_w, max_lines=max_lines)
        card = _Card(color, head, chars, ph, len(kids), cut=max_lines > 1 and is_cut(head))
        if show_children:
            for child, grand in kids:
                wrapped = wrap_cjk(child.title, (col_w - 22) / fs_c - chars_w - min(text_units(child.marker), 3.0) / 2,
                                   max_lines=child_lines)
                for j, t in enumerate(wrapped):
                    card.lines.append(_Line(t, 2, child.chars, len(child.placeholders), j == 0,
                                            0.0 if j == 0 else min(text_units(child.marker), 3.0)))
                for g, _ in grand:
                    gw = wrap_cjk(g.title, (col_w - 38) / (fs_c - 0.5) - chars_w, max_lines=1)
                    card.lines.append(_Line(gw[0], 3, g.chars, len(g.placeholders)))
        cards.append(card)
    return cards


def _pack(heights: list[float], n_cols: int, limit: float) -> list[int] | None:
    """Column index per card (order kept) so that no column exceeds ``limit``; balanced."""
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


def _layout(items: list, colors: list[str], *, width: float, height: float, show_children: bool,
            max_columns: int) -> _Layout | None:
    """Of the layouts where every card fits: the one that shortens fewest headings, then has
    the largest fonts, then the fewest columns (at least two when there are three cards or
    more); ``None`` if nothing fits."""
    min_cols = 1 if len(items) < 3 else 2
    best, best_key = None, None
    for fs_h, fs_c in _FONT_STEPS:
        for child_lines in ((2, 1) if show_children else (1,)):
            for n_cols in range(min(min_cols, max_columns), max_columns + 1):
                col_w = (width - 2 * _SIDE - (n_cols - 1) * _COL_GAP) / n_cols
                lay = _Layout([], col_w, fs_h, fs_c, fs_h * 1.35, fs_c * 1.45, (fs_c - 0.5) * 1.45, show_children)
                cards = _make_cards(items, col_w, fs_h, fs_c, child_lines, show_children, colors)
                where = _pack([_card_height(c, lay) for c in cards], n_cols, height)
                if where is None:
                    continue
                cut_heads = sum(c.cut for c in cards)
                cut_lines = sum(ln.text.endswith("…") for c in cards for ln in c.lines)
                firsts = [ln for c in cards for ln in c.lines if ln.level == 2 and ln.first]
                wrapped = sum(1 for c in cards for ln in c.lines if ln.level == 2 and not ln.first)
                # readable = big type, sub-headings on one line each
                score = fs_c - 3.0 * (wrapped / len(firsts) if firsts else 0.0)
                key = (cut_heads, cut_lines, -round(score, 3), n_cols)
                if best_key is None or key < best_key:
                    lay.columns = [[c for c, w in zip(cards, where) if w == k] for k in range(max(where, default=-1) + 1)]
                    if 0 < len(lay.columns) < n_cols:  # use the width the packing left free (none: no card)
                        k = len(lay.columns)
                        lay.col_w = (width - 2 * _SIDE - (k - 1) * _COL_GAP) / k
                    best, best_key = lay, key
    return best


def _colors(outline: Outline, items: list) -> list[str]:
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


def _draw_tree(outline: Outline, lay: _Layout, *, title: str, subtitle: str, footnote: str,
               figsize: tuple[float, float]) -> plt.Figure:
    W, H = figsize[0] * 72, figsize[1] * 72
    fig = plt.figure(figsize=figsize)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, W)
    ax.set_ylim(H, 0)
    ax.axis("off")
    ax.text(_SIDE, 26, wrap_cjk(title, (W - 2 * _SIDE) / 19, max_lines=1)[0], fontsize=19, color=TEXT_COLOR, va="center")
    ax.text(_SIDE, 51, subtitle, fontsize=12, color=MUTED, va="center")
    col_w, fs_h, fs_c = lay.col_w, lay.fs_h, lay.fs_c
    for ci, col in enumerate(lay.columns):
        x0 = _SIDE + ci * (col_w + _COL_GAP)
        y = _TOP
        for card in col:
            hh = len(card.header) * lay.h_line + 2 * _H_PAD
            ax.add_patch(FancyBboxPatch((x0, y), col_w, hh, boxstyle="round,pad=0,rounding_size=5",
                                        facecolor=card.color, edgecolor="none"))
            for j, t in enumerate(card.header):
                ax.text(x0 + 8, y + _H_PAD + (j + 0.5) * lay.h_line, t, fontsize=fs_h, color="white", va="center")
            right = _fmt_chars(card.chars)
            if not lay.show_children and card.n_children:
                right = f"{card.n_children}项 · {right}"
            cy = y + _H_PAD + 0.5 * lay.h_line
            ax.text(x0 + col_w - 7, cy, right, fontsize=fs_c - 1, color="white", va="center", ha="right")
            if card.placeholders:
                ax.text(x0 + col_w - 7 - (text_units(right) + 0.5) * (fs_c - 1), cy, f"×{card.placeholders}",
                        fontsize=fs_c - 1, color="#ffe08a", va="center", ha="right")
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
                    ax.plot([x0 + 26, x0 + 34], [cy, cy], color=_tint(card.color, 0.35), lw=1.0)
                    ax.text(x0 + 38, cy, ln.text, fontsize=fs_c - 0.5, color=MUTED, va="center")
                if ln.first:
                    label = _fmt_chars(ln.chars)
                    ax.text(x0 + col_w - 4, cy, label, fontsize=fs_c - 1.5, color=MUTED, va="center", ha="right")
                    if ln.placeholders:
                        ax.text(x0 + col_w - 4 - (text_units(label) + 0.5) * (fs_c - 1.5), cy, f"×{ln.placeholders}",
                                fontsize=fs_c - 1.5, color=WARN, va="center", ha="right")
                y += lh
            if last_tick is not None:
                ax.plot([trunk_x, trunk_x], [trunk_top, last_tick], color=card.color, lw=1.4)
            y += _CARD_GAP
    ax.text(W - _SIDE, H - 12, footnote, fontsize=10, color=MUTED, ha="right", va="center")
    return fig


def _subtitle(outline: Outline) -> str:
    s = outline.speech
    n_top = len([n for n in outline.nodes if n.kind in ("section", "part")])
    what = f"{n_top} 个部分 top-level parts" if n_top else f"{len(s.paragraph_spans)} 段 paragraphs, 无编号标题 no numbered headings"
    return f"讲话结构 Outline · {s.han_chars:,} 字 Chinese characters · {what}"


def _footnote(outline: Outline, nodes: list, *, overview: bool) -> str:
    foot = "字 = 汉字数 Chinese characters · 灰色 grey = 开头/结尾 opening/closing"
    if overview:
        foot += " · N项 = 下级标题数 sub-sections (详见分页 see the detail pages)"
    if any(n.placeholders for n in outline.walk()):
        foot += " · ×N = 未填占位符 unfilled placeholders"
    return foot


def outline_fits(outline: Outline, *, max_level: int = 2, figsize: tuple[float, float] = FIGSIZE,
                 max_columns: int = 3) -> bool:
    """Whether :func:`plot_outline_tree` can show every sub-heading down to ``max_level`` on one slide."""
    items = figure_nodes(outline, max_level=max_level)
    return _layout(items, _colors(outline, items), width=figsize[0] * 72, height=figsize[1] * 72 - _TOP - _BOTTOM,
                   show_children=True, max_columns=max_columns) is not None


def plot_outline_tree(outline: Outline, *, max_level: int = 2, title: str | None = None,
                      figsize: tuple[float, float] = FIGSIZE, max_columns: int = 3) -> plt.Figure:
    """The outline as a slide: one card per top-level part, its sub-headings as a tree below.

    Cards run top to bottom, then across columns; each top-level section has its own
    colour (opening and closing grey); sizes in Chinese characters sit at the right and
    ``×N`` marks unfilled placeholders. Long headings wrap onto a second line and are
    shortened with ``…`` beyond it. Fonts shrink (never below 12.5/11 pt) until it fits;
    when even then the sub-headings do not fit (the 20th Party Congress report: 15 parts,
    41 sub-sections), the slide shows the top level only, each card saying how many
    sub-sections it has: :func:`plot_outline_pages` draws those on further slides.

    Args:
        outline: from :func:`~analysis_utils.outline.build_outline`.
        max_level: deepest level drawn (2 = parts and their sub-sections).
        title: figure title (default: the speech's title).
        max_columns: at most this many columns of cards (3 keeps headings readable).

    Returns:
        A matplotlib figure (13.33 × 7.5 in).
    """
    use_chinese_font()
    items = figure_nodes(outline, max_level=max_level)
    colors = _colors(outline, items)
    W, H = figsize[0] * 72, figsize[1] * 72
    lay = _layout(items, colors, width=W, height=H - _TOP - _BOTTOM, show_children=True, max_columns=max_columns)
    overview = lay is None
    if overview:
        lay = _layout(items, colors, width=W, height=H - _TOP - _BOTTOM, show_children=False, max_columns=max_columns + 1)
    if lay is None:  # more parts than a slide holds at a readable size: the first ones, and say so
        keep = items
        while keep and lay is None:
            keep = keep[:-1]
            lay = _layout(keep, colors, width=W, height=H - _TOP - _BOTTOM, show_children=False, max_columns=max_columns + 1)
        title = f"{title or outline.title or outline.speech.id}（前 {len(keep)} 部分 first {len(keep)} parts of {len(items)}）"
    return _draw_tree(outline, lay, title=title or outline.title or outline.speech.id, subtitle=_subtitle(outline),
                      footnote=_footnote(outline, items, overview=overview), figsize=figsize)


def _balance_pages(pages: list, items: list, colors: list, *, width: float, height: float, max_columns: int) -> list:
    """The same number of pages, with the parts spread about evenly over them."""
    k = len(pages)
    if k < 2:
        return pages
    weight = [1 + len(kids) for _, kids in items]
    total = sum(weight)
    cuts, acc, out = [], 0, []
    for i, w in enumerate(weight):
        acc += w
        if len(cuts) < k - 1 and acc >= total * (len(cuts) + 1) / k and i + 1 < len(items):
            cuts.append(i + 1)
    bounds = [0, *cuts, len(items)]
    for a, b in zip(bounds, bounds[1:]):
        lay = _layout(items[a:b], colors[a:b], width=width, height=height, show_children=True, max_columns=max_columns)
        if lay is None or a == b:
            return pages  # the even split does not fit: keep the greedy one
        out.append((a, b, lay))
    return out


def plot_outline_pages(outline: Outline, *, max_level: int = 2, figsize: tuple[float, float] = FIGSIZE,
                       max_columns: int = 3) -> list[plt.Figure]:
    """The outline with every sub-heading, split over as many slides as it needs (parts kept
    whole, in order). One figure when it fits on one slide."""
    use_chinese_font()
    items = figure_nodes(outline, max_level=max_level)
    colors = _colors(outline, items)
    W, H = figsize[0] * 72, figsize[1] * 72
    limit = H - _TOP - _BOTTOM
    pages: list[tuple[int, int, _Layout]] = []
    start = 0
    while start < len(items):
        best = None
        for stop in range(start + 1, len(items) + 1):
            lay = _layout(items[start:stop], colors[start:stop], width=W, height=limit, show_children=True,
                          max_columns=max_columns)
            if lay is None:
                break
            best = (stop, lay)
        if best is None:  # one part alone is too long: show it with one-line sub-headings cut to fit
            lay = _layout(items[start:start + 1], colors[start:start + 1], width=W, height=limit, show_children=False,
                          max_columns=max_columns)
            best = (start + 1, lay)
        pages.append((start, best[0], best[1]))
        start = best[0]
    pages = _balance_pages(pages, items, colors, width=W, height=limit, max_columns=max_columns)
    figs = []
    name = outline.title or outline.speech.id
    for k, (a, b, lay) in enumerate(pages, 1):
        t = name if len(pages) == 1 else f"{name}（{k}/{len(pages)}）"
        figs.append(_draw_tree(outline, lay, title=t, subtitle=_subtitle(outline),
                               footnote=_footnote(outline, items[a:b], overview=False), figsize=figsize))
    return figs



# --------------------------------------------------------------------- section sizes
def size_rows(outline: Outline, *, max_rows: int = 30) -> list[dict]:
    """The bars of :func:`plot_section_sizes`: one per top-level item (paragraph runs grouped).

    Each row: ``label``, ``chars``, ``share``, ``color``, ``segments`` (list of
    ``(start_chars, chars, marker)`` for the children), ``flag`` (``too_long``/``too_short``/``""``).
    """
    flags = {c.node: c.kind for c in outline.checks if c.check == "balance" and c.kind != "ok"}
    items = figure_nodes(outline, max_level=2)
    # too many rows (a long speech without headings): merge paragraph runs further
    if len(items) > max_rows:
        merged, run = [], []
        per = max(2, -(-sum(len(i[0]) if isinstance(i[0], list) else 1 for i in items) // max_rows))
        for item, kids in items:
            group = item if isinstance(item, list) else None
            if group is not None:
                for n in group:
                    run.append(n)
                    if len(run) >= per:
                        merged.append((run, []))
                        run = []
            else:
                if run:
                    merged.append((run, []))
                    run = []
                merged.append((item, kids))
        if run:
            merged.append((run, []))
        items = merged
    rows = []
    k_color = 0
    total = outline.speech.han_chars or 1
    for item, kids in items:
        kind_label, text, chars, ph = _item_label(item)
        if isinstance(item, list):
            color = PARAGRAPH_COLOR
            label = f"¶{outline.speech.paragraph_of(item[0].start)}" + (
                f"–{outline.speech.paragraph_of(item[-1].start)}" if len(item) > 1 else "") + f" {text}"
            flag = ""
        elif item.kind in FRAME_KINDS:
            color = FRAME_COLOR
            label = kind_label
            flag = ""
        else:
            color = PALETTE[k_color % len(PALETTE)]
            k_color += 1
            label = text
            flag = flags.get(item.id, "")
        segs = []
        if not isinstance(item, list):
            base = item.start
            body = outline.speech.body
            from ..speech import count_han
            for child, _ in kids:
                segs.append((count_han(body[base:child.start]), child.chars, child.marker))
        rows.append({"label": label, "chars": chars, "share": chars / total, "color": color, "segments": segs,
                     "flag": flag, "placeholders": ph})
    return rows


def plot_section_sizes(outline: Outline, *, title: str | None = None, figsize: tuple[float, float] = FIGSIZE,
                       label_width: int = 16) -> plt.Figure:
    """How long each part is: one horizontal bar per top-level part, in speech order.

    A bar's lighter blocks are its sub-sections (labelled with their marker when wide
    enough); the number at the end is the part's length in Chinese characters and its
    share of the speech. Parts the balance check flags (far longer or shorter than their
    siblings) are outlined in red and marked 偏长/偏短.

    Args:
        outline: from :func:`~analysis_utils.outline.build_outline`.
        title: figure title (default: bilingual "篇幅分布 · Section sizes" and the speech title).
        label_width: characters per line of the part labels (two lines at most).

    Returns:
        A matplotlib figure (13.33 × 7.5 in).
    """
    use_chinese_font()
    rows = size_rows(outline)
    fig, ax = plt.subplots(figsize=figsize)
    n = len(rows)
    fs = 12 if n <= 14 else 11
    lw = label_width if n <= 20 else label_width + 4
    labels = ["\n".join(wrap_cjk(r["label"], lw, max_lines=2 if n <= 20 else 1)) for r in rows]
    ys = list(range(n))
    vmax = max((r["chars"] for r in rows), default=1) or 1
    for y, r in zip(ys, rows):
        ax.barh(y, r["chars"], color=_tint(r["color"], 0.15), height=0.72,
                edgecolor=WARN if r["flag"] else "none", linewidth=2 if r["flag"] else 0)
        for k, (off, length, marker) in enumerate(r["segments"]):
            ax.barh(y, length, left=off, color=_tint(r["color"], 0.45 if k % 2 == 0 else 0.6), height=0.56,
                    edgecolor="white", linewidth=0.8)
            if length / vmax > 0.035 * max(1, len(marker.strip("（）()、.．第是——")) / 2):
                ax.text(off + length / 2, y, marker.strip("（）()、.．第是——"), ha="center", va="center",
                        fontsize=fs - 2 if n <= 20 else 9, color=TEXT_COLOR)
        note = f"  {r['chars']:,} 字 · {r['share'] * 100:.1f}%"
        if r["flag"]:
            note += "  偏长 long" if r["flag"] == "too_long" else "  偏短 short"
        if r["placeholders"]:
            note += f"  ×{r['placeholders']}"
        ax.text(r["chars"], y, note, va="center", ha="left", fontsize=fs - 1,
                color=WARN if r["flag"] else TEXT_COLOR)
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=fs if n <= 20 else 10)
    slots = max(n, 8)  # few parts: keep the bars slim, centred
    ax.set_ylim(n - 0.5 + (slots - n) / 2, -0.5 - (slots - n) / 2)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlim(0, vmax * 1.3)
    ax.set_xlabel("汉字数 Chinese characters", fontsize=12)
    ax.tick_params(axis="x", labelsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)
    name = title or f"篇幅分布 · Section sizes — {wrap_cjk(outline.title or outline.speech.id, 30, max_lines=1)[0]}"
    ax.set_title(name, fontsize=16, loc="left", pad=14)
    notes = []
    if any(r["segments"] for r in rows):
        notes.append("浅色块 = 下一级标题 lighter blocks = sub-sections")
    if any(r["placeholders"] for r in rows):
        notes.append("×N = 未填占位符 unfilled placeholders")
    fig.tight_layout(rect=(0, 0.035 if notes else 0, 1, 1))
    if notes:
        fig.text(0.99, 0.008, " · ".join(notes), ha="right", va="bottom", fontsize=10, color=MUTED)
    return fig


# ---------------------------------------------------------------------- placeholders
def plot_placeholder_map(outline: Outline, *, title: str | None = None, figsize: tuple[float, float] = (13.33, 4.2)) -> plt.Figure:
    """Where the unfilled placeholders are: the speech as a ribbon of its parts, a red tick
    per placeholder above it (x = position in Chinese characters from the start)."""
    use_chinese_font()
    s = outline.speech
    from ..speech import count_han

    def han_pos(offset: int) -> int:
        return count_han(s.body[:offset])

    fig, ax = plt.subplots(figsize=figsize)
    total = s.han_chars or 1
    k_color = 0
    for n in outline.nodes:
        a, b = han_pos(n.start), han_pos(n.end)
        if n.kind in FRAME_KINDS or n.kind == "paragraph":
            color = FRAME_COLOR if n.kind in FRAME_KINDS else PARAGRAPH_COLOR
            label = KIND_LABELS.get(n.kind, "")[:2]
        else:
            color = PALETTE[k_color % len(PALETTE)]
            k_color += 1
            label = n.marker or ""
        ax.add_patch(Rectangle((a, 0), max(b - a, 0.5), 1, facecolor=_tint(color, 0.2), edgecolor="white", linewidth=1))
        if (b - a) / total > 0.04 and label:
            ax.text((a + b) / 2, 0.5, label, ha="center", va="center", fontsize=16, color="white")
        for c in n.children:
            if c.kind in ("section", "part"):
                ca, cb = han_pos(c.start), han_pos(c.end)
                ax.add_patch(Rectangle((ca, -0.32), max(cb - ca, 0.5), 0.26, facecolor=_tint(color, 0.55),
                                       edgecolor="white", linewidth=0.8))
                if (cb - ca) / total > 0.03:
                    mark = c.marker if (cb - ca) / total > 0.045 else c.marker.strip("（）()、")
                    ax.text((ca + cb) / 2, -0.19, mark, ha="center", va="center", fontsize=10, color=TEXT_COLOR)
    xs = [han_pos(p.start) for p in s.placeholders]
    for x in xs:
        ax.plot([x, x], [1.08, 1.55], color=WARN, lw=1.3)
    ax.set_xlim(0, total)
    ax.set_ylim(-0.45, 1.75)
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("位置（汉字）position in the speech (Chinese characters from the start)", fontsize=12)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.tick_params(axis="x", labelsize=11)
    msg = f"{len(xs)} 个未填占位符 unfilled placeholders" if xs else "没有未填占位符 no unfilled placeholders"
    ax.set_title(title or f"占位符位置 · Where the placeholders are — {msg}", fontsize=15, loc="left", pad=10)
    fig.tight_layout()
    return fig
