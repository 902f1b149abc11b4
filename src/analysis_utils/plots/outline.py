"""Figures of the structure (notebook 01): the outline as a slide, section sizes, placeholders.

Every function takes an :class:`~analysis_utils.outline.build.Outline`, draws a new 16:9
figure and returns it (save it with :func:`analysis_utils.save_fig`). Call
:func:`analysis_utils.setup_notebook` (or :func:`analysis_utils.use_chinese_font`) first.

Example:
    >>> from analysis_utils import build_outline, load_speech
    >>> from analysis_utils.config import SEED_SPEECH
    >>> outline = build_outline(load_speech(SEED_SPEECH))
    >>> fig = textplot_section_sizes(outline)
    >>> [t.get_text()[:6] for t in fig.axes[0].get_yticklabels()]
    ['开头 ope', '一、聚焦主业', '二、强基固本', '结尾 clo']
    >>> save_fig(textplot_outline_tree(outline), outline.speech.id, "01_outline_tree")  # doctest: +SKIP
"""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from ..outline import FRAME_KINDS, KIND_LABELS, Outline
from ..text import count_han
from .outlinelayout import (
    BOTTOM,
    FRAME_COLOR,
    MUTED,
    PALETTE,
    PARAGRAPH_COLOR,
    TOP,
    WARN,
    Layout,
    choose_layout,
    draw_cards,
    figure_nodes,
    item_colors,
    item_label,
)
from .style import (
    FIGSIZE,
    LABEL_SIZE,
    MAX_ROWS,
    SMALL,
    TEXT_COLOR,
    TITLE_SIZE,
    despine,
    fit_ticks,
    label_room,
    text_units,
    tint,
    use_chinese_font,
    wrap_cjk,
)

__all__ = [
    "figure_nodes", "outline_fits", "size_rows",
    "textplot_outline_tree", "textplot_outline_pages", "textplot_section_sizes", "textplot_placeholder_map",
]


# ------------------------------------------------------------------------ the tree
def _subtitle(outline: Outline) -> str:
    s = outline.speech
    n_top = len(outline.parts)
    what = f"{n_top} 个一级部分 top-level parts" if n_top else f"{len(s.paragraph_spans)} 段 paragraphs, 无编号标题 no numbered headings"
    return f"讲话结构 Outline · {s.han_chars:,} 字 Chinese characters · {what}"


def _footnote(outline: Outline, *, overview: bool) -> str:
    foot = "字 = 汉字数 Chinese characters · 灰色 grey = 开头/结尾 opening/closing"
    if overview:
        foot += " · N项 = 下级标题数 sub-sections (详见分页 see the detail pages)"
    if any(n.placeholders for n in outline.walk()):
        foot += " · ×N = 未填占位符 unfilled placeholders"
    return foot


def outline_fits(outline: Outline, *, max_level: int = 2, figsize: tuple[float, float] = FIGSIZE,
                 max_columns: int = 3) -> bool:
    """Whether :func:`textplot_outline_tree` can show every sub-heading down to ``max_level`` on one slide.

    Example:
        >>> from analysis_utils import build_outline, load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> outline_fits(build_outline(load_speech(SEED_SPEECH)))
        True
    """
    items = figure_nodes(outline, max_level=max_level)
    return choose_layout(items, item_colors(outline, items), width=figsize[0] * 72, height=figsize[1] * 72 - TOP - BOTTOM,
                         show_children=True, max_columns=max_columns) is not None


def textplot_outline_tree(outline: Outline, *, max_level: int = 2, title: str | None = None,
                          figsize: tuple[float, float] = FIGSIZE, max_columns: int = 3) -> plt.Figure:
    """The outline as a slide: one card per top-level part, its sub-headings as a tree below.

    Cards run top to bottom, then across columns; each top-level section has its own
    colour (opening and closing grey); sizes in Chinese characters sit at the right and
    ``×N`` marks unfilled placeholders. Long headings wrap onto a second line and are
    shortened with ``…`` beyond it. Fonts shrink (never below 16 pt, 14 pt on the slide) until it fits;
    when even then the sub-headings do not fit (the 20th Party Congress report: 15 parts,
    41 sub-sections), the slide shows the top level only, each card saying how many
    sub-sections it has: :func:`textplot_outline_pages` draws those on further slides.

    Args:
        outline: from :func:`~analysis_utils.outline.build.build_outline`.
        max_level: deepest level drawn (2 = parts and their sub-sections).
        title: figure title (default: the speech's title).
        max_columns: at most this many columns of cards (3 keeps headings readable).

    Returns:
        A matplotlib figure (13.33 × 7.5 in).

    Example:
        >>> fig = textplot_outline_tree(build_outline(speech), max_level=2)  # doctest: +SKIP
    """
    use_chinese_font()
    items = figure_nodes(outline, max_level=max_level)
    colors = item_colors(outline, items)
    W, H = figsize[0] * 72, figsize[1] * 72
    lay = choose_layout(items, colors, width=W, height=H - TOP - BOTTOM, show_children=True, max_columns=max_columns)
    overview = lay is None
    if overview:
        lay = choose_layout(items, colors, width=W, height=H - TOP - BOTTOM, show_children=False,
                            max_columns=max_columns + 1)
    if lay is None:  # more parts than a slide holds at a readable size: the first ones, and say so
        keep = items
        while keep and lay is None:
            keep = keep[:-1]
            lay = choose_layout(keep, colors, width=W, height=H - TOP - BOTTOM, show_children=False,
                                max_columns=max_columns + 1)
        title = f"{title or outline.title or outline.speech.id}（前 {len(keep)} 部分 first {len(keep)} parts of {len(items)}）"
    assert lay is not None  # a single card always fits
    return draw_cards(lay, title=title or outline.title or outline.speech.id, subtitle=_subtitle(outline),
                      footnote=_footnote(outline, overview=overview), figsize=figsize)


def _balance_pages(pages: list, items: list, colors: list, *, width: float, height: float, max_columns: int) -> list:
    """The same number of pages, with the parts spread about evenly over them."""
    k = len(pages)
    if k < 2:
        return pages
    weight = [1 + len(kids) for _, kids in items]
    total = sum(weight)
    cuts: list[int] = []
    acc, out = 0, []
    for i, w in enumerate(weight):
        acc += w
        if len(cuts) < k - 1 and acc >= total * (len(cuts) + 1) / k and i + 1 < len(items):
            cuts.append(i + 1)
    bounds = [0, *cuts, len(items)]
    for a, b in zip(bounds, bounds[1:]):
        lay = choose_layout(items[a:b], colors[a:b], width=width, height=height, show_children=True,
                            max_columns=max_columns)
        if lay is None or a == b:
            return pages  # the even split does not fit: keep the greedy one
        out.append((a, b, lay))
    return out


def _cuts(lay: Layout | None) -> int:
    """How many headings and sub-headings a layout shortens with ``…``."""
    if lay is None:
        return 0
    cards = [c for col in lay.columns for c in col]
    return sum(c.cut for c in cards) + sum(ln.text.endswith("…") for c in cards for ln in c.lines)


def _greedy_pages(items: list, colors: list, *, width: float, height: float, max_columns: int) -> list:
    """``(first, stop, layout)`` per page: as many parts on each page as fit, in order."""
    pages: list[tuple[int, int, Layout | None]] = []
    start = 0
    while start < len(items):
        best: tuple[int, Layout | None] | None = None
        for stop in range(start + 1, len(items) + 1):
            lay = choose_layout(items[start:stop], colors[start:stop], width=width, height=height, show_children=True,
                                max_columns=max_columns)
            if lay is None or (best is not None and _cuts(lay) > _cuts(best[1])):
                break  # full, or one more part would shorten headings: the next page
            best = (stop, lay)
        if best is None:  # one part alone is too long: show it with one-line sub-headings cut to fit
            best = (start + 1, choose_layout(items[start:start + 1], colors[start:start + 1], width=width, height=height,
                                             show_children=False, max_columns=max_columns))
        pages.append((start, best[0], best[1]))
        start = best[0]
    return pages


def textplot_outline_pages(outline: Outline, *, max_level: int = 2, figsize: tuple[float, float] = FIGSIZE,
                           max_columns: int = 3) -> list[plt.Figure]:
    """The outline with every sub-heading, split over as many slides as it needs (parts kept
    whole, in order). One figure when it fits on one slide.

    Args:
        outline: from :func:`~analysis_utils.outline.build.build_outline`.
        max_level: deepest level drawn (2 = parts and their sub-sections).
        max_columns: at most this many columns of cards on a slide.

    Returns:
        A list of matplotlib figures, titled ``（k/n）`` when there are several.

    Example:
        >>> for k, page in enumerate(textplot_outline_pages(outline), 1):  # doctest: +SKIP
        ...     save_fig(page, speech.id, f"01_outline_tree_p{k}")
    """
    use_chinese_font()
    items = figure_nodes(outline, max_level=max_level)
    colors = item_colors(outline, items)
    W, H = figsize[0] * 72, figsize[1] * 72
    limit = H - TOP - BOTTOM
    pages = _greedy_pages(items, colors, width=W, height=limit, max_columns=max_columns)
    pages = _balance_pages(pages, items, colors, width=W, height=limit, max_columns=max_columns)
    name = outline.title or outline.speech.id
    return [draw_cards(lay, title=name if len(pages) == 1 else f"{name}（{k}/{len(pages)}）",
                       subtitle=_subtitle(outline), footnote=_footnote(outline, overview=False), figsize=figsize)
            for k, (_, _, lay) in enumerate(pages, 1)]


# --------------------------------------------------------------------- section sizes
def _merge_runs(items: list, max_rows: int) -> list:
    """Paragraph runs cut into groups of about equal size so that there are at most ``max_rows`` rows."""
    merged: list = []
    run: list = []
    per = max(2, -(-sum(len(i[0]) if isinstance(i[0], list) else 1 for i in items) // max_rows))
    for item, kids in items:
        if not isinstance(item, list):
            if run:
                merged.append((run, []))
                run = []
            merged.append((item, kids))
            continue
        for n in item:
            run.append(n)
            if len(run) >= per:
                merged.append((run, []))
                run = []
    if run:
        merged.append((run, []))
    return merged


def _segments(outline: Outline, item, kids: list) -> list[tuple[int, int, str]]:
    """``(start_chars, chars, marker)`` of each shown child, from the start of its parent."""
    if isinstance(item, list):
        return []
    body = outline.speech.body
    return [(count_han(body[item.start:child.start]), child.chars, child.marker) for child, _ in kids]


def _paragraph_label(outline: Outline, run: list, text: str) -> str:
    """``¶3–7 <first words>``: a run of paragraphs by its paragraph numbers."""
    first, last = outline.speech.paragraph_of(run[0].start), outline.speech.paragraph_of(run[-1].start)
    return f"¶{first}" + (f"–{last}" if len(run) > 1 else "") + f" {text}"


def size_rows(outline: Outline, *, max_rows: int = 30) -> list[dict]:
    """The bars of :func:`textplot_section_sizes`: one per top-level item (paragraph runs grouped).

    Each row: ``label``, ``chars``, ``share``, ``color``, ``segments`` (list of
    ``(start_chars, chars, marker)`` for the children), ``flag`` (``too_long``/``too_short``/``""``)
    and ``placeholders``.

    Example:
        >>> from analysis_utils import build_outline, load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> rows = size_rows(build_outline(load_speech(SEED_SPEECH)))
        >>> [(r["label"][:4], len(r["segments"])) for r in rows]
        [('开头 o', 0), ('一、聚焦', 5), ('二、强基', 5), ('结尾 c', 0)]
    """
    flags = {c.node: c.kind for c in outline.checks if c.check == "balance" and c.kind != "ok"}
    items = figure_nodes(outline, max_level=2)
    if len(items) > max_rows:  # too many rows (a long speech without headings): merge paragraph runs further
        items = _merge_runs(items, max_rows)
    rows = []
    k_color = 0
    total = outline.speech.han_chars or 1
    for item, kids in items:
        kind_label, text, chars, ph = item_label(item)
        flag = ""
        if isinstance(item, list):
            color, label = PARAGRAPH_COLOR, _paragraph_label(outline, item, text)
        elif item.kind in FRAME_KINDS:
            color, label = FRAME_COLOR, kind_label
        else:
            color, label, flag = PALETTE[k_color % len(PALETTE)], text, flags.get(item.id, "")
            k_color += 1
        rows.append({"label": label, "chars": chars, "share": chars / total, "color": color,
                     "segments": _segments(outline, item, kids), "flag": flag, "placeholders": ph})
    return rows


def _size_bar(ax, y: int, r: dict, *, vmax: float, fs: int, crowded: bool) -> None:
    """One part's bar: its sub-sections as lighter blocks (marked when wide enough), its size at the end."""
    ax.barh(y, r["chars"], color=tint(r["color"], 0.15), height=0.72,
            edgecolor=WARN if r["flag"] else "none", linewidth=2 if r["flag"] else 0)
    for k, (off, length, marker) in enumerate(r["segments"]):
        ax.barh(y, length, left=off, color=tint(r["color"], 0.45 if k % 2 == 0 else 0.6), height=0.56,
                edgecolor="white", linewidth=0.8)
        mark = marker.strip("（）()、.．第是—")  # the marker's number alone
        if not crowded and length / vmax > 0.05 * max(1, len(mark) / 2):
            ax.text(off + length / 2, y, mark, ha="center", va="center", fontsize=SMALL, color=TEXT_COLOR)
    note = f"  {r['chars']:,} 字 · {r['share'] * 100:.1f}%"
    if r["flag"]:
        note += "  偏长 long" if r["flag"] == "too_long" else "  偏短 short"
    if r["placeholders"]:
        note += f"  ×{r['placeholders']}"
    if not crowded:  # (many parts: the rows are too thin for a note each; the table has the numbers)
        ax.text(r["chars"], y, note, va="center", ha="left", fontsize=SMALL, color=WARN if r["flag"] else TEXT_COLOR)


def _size_notes(rows: list[dict]) -> list[str]:
    """The footnotes the bars need: what the lighter blocks and ``×N`` mean, when drawn."""
    notes = []
    if any(r["segments"] for r in rows):
        notes.append("浅色块 = 下一级标题 lighter blocks = sub-sections")
    if any(r["placeholders"] for r in rows):
        notes.append("×N = 未填占位符 unfilled placeholders")
    return notes


def _chars_axis(ax) -> None:
    """x = Chinese characters, with thousands separators."""
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def textplot_section_sizes(outline: Outline, *, title: str | None = None, figsize: tuple[float, float] = FIGSIZE,
                           label_width: int = 16) -> plt.Figure:
    """How long each part is: one horizontal bar per top-level part, in speech order.

    A bar's lighter blocks are its sub-sections (labelled with their marker when wide
    enough); the number at the end is the part's length in Chinese characters and its
    share of the speech. Parts the balance check flags (far longer or shorter than their
    siblings) are outlined in red and marked 偏长/偏短.

    Args:
        outline: from :func:`~analysis_utils.outline.build.build_outline`.
        title: figure title (default: bilingual "篇幅分布 · Section sizes" and the speech title).
        label_width: characters per line of the part labels (two lines at most).

    Returns:
        A matplotlib figure (13.33 × 7.5 in).

    Example:
        >>> fig = textplot_section_sizes(outline)  # doctest: +SKIP
    """
    use_chinese_font()
    rows = size_rows(outline)
    fig, ax = plt.subplots(figsize=figsize)
    n = len(rows)
    crowded = n > MAX_ROWS  # many parts: no note or marks on each bar, labels thinned if need be
    fs = LABEL_SIZE if n <= 14 else SMALL
    one_line = n > 10  # two-line labels while each row has room for them
    labels = ["\n".join(wrap_cjk(r["label"], label_width + 4 if one_line else label_width, max_lines=1 if one_line else 2))
              for r in rows]
    ys = list(range(n))
    vmax = max((r["chars"] for r in rows), default=1) or 1
    for y, r in zip(ys, rows):
        _size_bar(ax, y, r, vmax=vmax, fs=fs, crowded=crowded)
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=fs)
    slots = max(n, 8)  # few parts: keep the bars slim, centred
    ax.set_ylim(n - 0.5 + (slots - n) / 2, -0.5 - (slots - n) / 2)
    _chars_axis(ax)
    ax.set_xlim(0, vmax * 1.45)
    ax.set_xlabel("汉字数 Chinese characters", fontsize=LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=SMALL)
    despine(ax)
    ax.grid(axis="x", color="#e6e6e6", linewidth=0.8)
    ax.set_axisbelow(True)
    head = "篇幅分布 · Section sizes — "
    room = label_room(ax) * fig.get_figwidth() * 72 / TITLE_SIZE - text_units(head)  # ems right of the labels
    name = title or head + wrap_cjk(outline.title or outline.speech.id, max(8.0, min(30.0, room)), max_lines=1)[0]
    ax.set_title(name, fontsize=TITLE_SIZE, loc="left", pad=14)
    notes = _size_notes(rows)
    fig.tight_layout(rect=(0, 0.035 if notes else 0, 1, 1))
    if notes:
        fig.text(0.99, 0.008, " · ".join(notes), ha="right", va="bottom", fontsize=SMALL, color=MUTED)
    fit_ticks(fig)
    return fig


# ---------------------------------------------------------------------- placeholders
def _ribbon_part(ax, n, color: str, label: str, han_pos, total: int) -> None:
    """One top-level node as a block of the ribbon, its sub-sections as smaller blocks below."""
    a, b = han_pos(n.start), han_pos(n.end)
    ax.add_patch(Rectangle((a, 0), max(b - a, 0.5), 1, facecolor=tint(color, 0.2), edgecolor="white", linewidth=1))
    if (b - a) / total > 0.04 and label:
        ax.text((a + b) / 2, 0.5, label, ha="center", va="center", fontsize=LABEL_SIZE + 1, color="white")
    for c in n.children:
        if c.kind not in ("section", "part"):
            continue
        ca, cb = han_pos(c.start), han_pos(c.end)
        ax.add_patch(Rectangle((ca, -0.32), max(cb - ca, 0.5), 0.26, facecolor=tint(color, 0.55),
                               edgecolor="white", linewidth=0.8))
        if (cb - ca) / total > 0.03:
            mark = c.marker if (cb - ca) / total > 0.045 else c.marker.strip("（）()、")
            ax.text((ca + cb) / 2, -0.19, mark, ha="center", va="center", fontsize=SMALL, color=TEXT_COLOR)


def textplot_placeholder_map(outline: Outline, *, title: str | None = None,
                             figsize: tuple[float, float] = (13.33, 4.2)) -> plt.Figure:
    """Where the unfilled placeholders are: the speech as a ribbon of its parts, a red tick
    per placeholder above it (x = position in Chinese characters from the start).

    Args:
        outline: from :func:`~analysis_utils.outline.build.build_outline`.
        title: figure title (default: says how many placeholders there are).

    Returns:
        A matplotlib figure (13.33 × 4.2 in): one red line per placeholder.

    Example:
        >>> fig = textplot_placeholder_map(outline)  # doctest: +SKIP
    """
    use_chinese_font()
    s = outline.speech

    def han_pos(offset: int) -> int:
        return count_han(s.body[:offset])

    fig, ax = plt.subplots(figsize=figsize)
    total = s.han_chars or 1
    k_color = 0
    for n in outline.nodes:
        if n.kind in FRAME_KINDS or n.kind == "paragraph":
            color = FRAME_COLOR if n.kind in FRAME_KINDS else PARAGRAPH_COLOR
            label = KIND_LABELS.get(n.kind, "")[:2]
        else:
            color, label = PALETTE[k_color % len(PALETTE)], n.marker or ""
            k_color += 1
        _ribbon_part(ax, n, color, label, han_pos, total)
    xs = [han_pos(p.start) for p in s.placeholders]
    for x in xs:
        ax.plot([x, x], [1.08, 1.55], color=WARN, lw=1.3)
    ax.set_xlim(0, total)
    ax.set_ylim(-0.45, 1.75)
    ax.set_yticks([])
    despine(ax, ("top", "right", "left"))
    ax.set_xlabel("位置（汉字）position in the speech (Chinese characters from the start)", fontsize=LABEL_SIZE)
    _chars_axis(ax)
    ax.tick_params(axis="x", labelsize=SMALL)
    msg = f"{len(xs)} 个未填占位符 unfilled placeholders" if xs else "没有未填占位符 no unfilled placeholders"
    ax.set_title(title or f"占位符位置 · Where the placeholders are — {msg}", fontsize=TITLE_SIZE, loc="left", pad=10)
    fig.tight_layout()
    fit_ticks(fig)
    return fig


plot_outline_tree = textplot_outline_tree  # deprecated alias, kept for one release
plot_outline_pages = textplot_outline_pages  # deprecated alias, kept for one release
plot_section_sizes = textplot_section_sizes  # deprecated alias, kept for one release
plot_placeholder_map = textplot_placeholder_map  # deprecated alias, kept for one release
