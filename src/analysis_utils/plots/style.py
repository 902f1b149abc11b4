"""What every figure shares: the Chinese font, labels that fit, sizes, colours, titles.

* Font: :func:`use_chinese_font` sets matplotlib up with :func:`find_cjk_font`: the Noto
  Sans CJK SC Regular that the ``mplfonts`` package ships, the same on every machine (so the
  same input gives the same figure bytes anywhere, fonts installed or not; no download, no
  empty boxes). A system font only when the user names one (``use_chinese_font(path)``,
  ``setup_notebook(font=path)`` or the environment variable ``ANALYSIS_UTILS_FONT``); of a
  ``.ttc`` collection, the Simplified Chinese face of Regular weight (:func:`font_face`).
* Labels break only between words (:func:`words`: jieba's cut, cached): :func:`shorten` cuts a
  label with ``…``; :func:`wrap_cjk` breaks it over lines
  measured in ems (a Chinese character is 1, a Latin letter about 0.55), never starting a
  line with closing punctuation; :func:`wrap_label` is the same as one string.
* The look of a slide: :data:`FIGSIZE` (16:9), :data:`LABEL_SIZE`/:data:`SMALL` points, the
  colours of this speech/the reference, :data:`HEAT_CMAP`, and the bilingual
  :func:`set_title`.

Example:
    >>> shorten("坚持和完善“一国两制”，推进祖国统一", 8)
    '坚持和完善…'
    >>> wrap_cjk("坚定不移全面从严治党，深入推进新时代党的建设新的伟大工程", 20)
    ['坚定不移全面从严治党，', '深入推进新时代党的建设新的伟大工程']
    >>> display_width("党建 AI"), round(text_units("党建 AI"), 2)
    (7, 3.65)
"""
from __future__ import annotations

import os
import re
import textwrap
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from ..errors import SpeechError

# ------------------------------------------------------------------------ the look
#: Every figure is a 16:9 slide, in inches.
FIGSIZE = (13.33, 7.5)
#: How much a figure shrinks on a slide: the deck places the 13.33 in wide figure about 12.3 in wide.
SLIDE_SCALE = 12.3 / 13.33
#: Font sizes (points) of tick labels and annotations: normal, and for crowded axes; both at
#: least 14 pt on the slide (``SMALL * SLIDE_SCALE`` ≥ 14). Titles are :data:`TITLE_SIZE`.
LABEL_SIZE = 17
SMALL = 16
TITLE_SIZE = 20
#: The smallest tick label :func:`fit_ticks` shrinks to before it shows only every k-th label:
#: :data:`SMALL`, like every other text (:func:`layout_problems` checks it).
MIN_TICK_SIZE = SMALL
#: The most rows (bars, heatmap rows) a chart draws: each needs a line of :data:`LABEL_SIZE` on a
#: 7.5 in slide. A table asked for more shows its first rows and says so (:func:`tie_note`).
MAX_ROWS = 20
#: Parts (sections, speeches) shorter than this many Chinese characters carry no rate per 10,000
#: characters: one word in a 33-character opening would be the darkest colour of a heatmap.
MIN_RATE_CHARS = 200
TEXT_COLOR = "#222222"
TARGET_COLOR = "#b8312f"      # party red: more in this speech / formulations
REFERENCE_COLOR = "#3b6ea5"   # blue: more in the reference
BAR_COLOR = "#4c72b0"
MUTED_COLOR = "#b0b0b0"       # bars of what a table leaves out
SMALL_PART_COLOR = "#e4e4e4"  # heatmap cells of a part too small to carry a rate
NOTE_COLOR = "#444444"        # side notes ("次数 hits") and footnotes
#: Light to dark red: the colour scale of every heatmap.
HEAT_CMAP = LinearSegmentedColormap.from_list("au_reds", ["#fbf7f4", "#f4c7b0", "#de6b48", "#9e1f1f"])
#: The x label of every "where in the speech" figure (on two lines where the axes are narrow).
POSITION_LABEL = "在讲话中的位置（0 = 开头，1 = 结尾） position in the speech (0 = start, 1 = end)"
POSITION_LABEL_2 = POSITION_LABEL.replace("） ", "）\n")
#: The three counts (issue 15), named alike on every axis, colour bar and caption (中文 English).
SUBSTRING_COUNT_LABEL = "子串计数 substring count"
TOKEN_COUNT_LABEL = "分词计数 token count"
FORMULATION_COUNT_LABEL = "提法计数 formulation count"
#: Said on a slogan figure whose formulation count took each stretch of text once (``overlap="longest"``).
LONGEST_NOTE = "（每段只计最长提法 longest overlap）"
#: A rate axis that does not name its count (prefer :func:`per_10k_label`).
PER_10K_LABEL = "每万字 per 10,000 characters"


def per_10k_label(count_label: str) -> str:
    """The label of a rate axis or colour bar naming its count.

    Example:
        >>> per_10k_label(SUBSTRING_COUNT_LABEL)
        '子串计数每万字 substring count per 10,000 characters'
    """
    zh, _, en = count_label.partition(" ")
    return f"{zh}每万字 {en} per 10,000 characters"


def overlap_note(table) -> str:
    """:data:`LONGEST_NOTE` when a slogan table's ``attrs["overlap"]`` is ``"longest"``, else ``""``."""
    return LONGEST_NOTE if getattr(table, "attrs", {}).get("overlap") == "longest" else ""


def title_text(fig, zh: str, en: str, subtitle: str | None = None, *, share: float = 0.9) -> str:
    """``中文 · English`` (and ``subtitle`` on the next line), the English on a line of its own when
    the title would be wider than ``share`` of the figure (the part right of the y labels).

    Example:
        >>> import matplotlib.pyplot as plt
        >>> fig = plt.figure(figsize=FIGSIZE)
        >>> title_text(fig, "高频词", "top terms")
        '高频词 · top terms'
        >>> print(title_text(fig, "各部分高频词（分词计数）", "terms by section (colour = rate, number = token count)", share=0.6))
        各部分高频词（分词计数）
        terms by section (colour = rate, number = token count)
        >>> plt.close(fig)
    """
    one = f"{zh} · {en}"
    room = share * fig.get_figwidth() * 72 / TITLE_SIZE  # ems
    if text_width(fig, one, TITLE_SIZE) > room * TITLE_SIZE:
        one = "\n".join([zh, *textwrap.wrap(en, int(room / 0.52))])  # English breaks at spaces only
    if subtitle and text_width(fig, subtitle, TITLE_SIZE) > room * TITLE_SIZE:
        subtitle = wrap_cjk(subtitle, room, max_lines=1)[0]  # the speech's title, cut after a whole word
    return one + (f"\n{subtitle}" if subtitle else "")


def text_width(fig, text: str, size: float) -> float:
    """How wide ``text`` (one or more lines) is drawn at ``size`` points in the figure's font, in points."""
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    font = FontProperties(size=size)
    return max(renderer.get_text_width_height_descent(line, font, ismath=False)[0] for line in text.split("\n")) \
        * 72 / fig.dpi


def label_room(ax) -> float:
    """The share of the figure's width right of ``ax``'s y tick labels (measured before layout):
    how wide a title starting at the axes' left edge may be."""
    widest = max((text_width(ax.figure, t.get_text(), t.get_fontsize()) for t in ax.get_yticklabels()
                  if t.get_text()), default=0.0)
    width = ax.figure.get_figwidth() * 72
    return max(0.3, (width - widest - 40 - 0.03 * width) / width)


def set_title(ax, zh: str, en: str, subtitle: str | None = None, *, pad: int = 12) -> None:
    """The bilingual title ``中文 · English`` at the left (:func:`title_text`: the English on a
    second line when the title would not fit right of the y tick labels), ``subtitle`` below.
    Call it after the y tick labels are set."""
    ax.set_title(title_text(ax.figure, zh, en, subtitle, share=label_room(ax)), fontsize=TITLE_SIZE, loc="left",
                 pad=pad)


def colorbar(fig, image, ax, label: str, *, fraction: float = 0.025):
    """The colour bar of a heatmap: ``label`` and tick labels at :data:`SMALL` (:func:`finish`
    puts a label too tall for the figure on two lines)."""
    cb = fig.colorbar(image, ax=ax, fraction=fraction, pad=0.015)
    cb.set_label(label, fontsize=SMALL)
    cb.ax.tick_params(labelsize=SMALL)
    return cb


def despine(ax, sides: tuple[str, ...] = ("top", "right")) -> None:
    """Hide the frame lines on ``sides``."""
    for side in sides:
        ax.spines[side].set_visible(False)


def tint(color: str, amount: float) -> tuple[float, float, float]:
    """``color`` mixed with white: ``amount`` 0 is the colour itself, 1 is white.

    Example:
        >>> tint("#000000", 0.5)
        (0.5, 0.5, 0.5)
    """
    r, g, b = to_rgb(color)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def empty_panel(ax, message: str) -> None:
    """An axes that says ``message`` in its middle instead of drawing an empty chart."""
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=LABEL_SIZE, color="#666666", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_visible(False)


#: Rows tied with the last one shown that a chart still draws rather than leaving out.
TIES_SHOWN = 3


def top_with_ties(df: pd.DataFrame, top_n: int, column: str) -> tuple[pd.DataFrame, int]:
    """The first ``top_n`` rows of ``df`` (sorted by ``column``, largest first), never breaking a
    tie silently: up to :data:`TIES_SHOWN` more rows tied with the last one are shown too; if
    more are tied, they are left out and their number returned, for :func:`tie_note`.

    Example:
        >>> df = pd.DataFrame({"term": list("abcdefg"), "token_count": [5, 4, 3, 3, 3, 2, 2]})
        >>> shown, more = top_with_ties(df, 3, "token_count"); shown["term"].tolist(), more
        (['a', 'b', 'c', 'd', 'e'], 0)
        >>> shown, more = top_with_ties(df, 6, "token_count"); shown["term"].tolist(), more
        (['a', 'b', 'c', 'd', 'e', 'f', 'g'], 0)
        >>> top_with_ties(pd.DataFrame({"count": [2] * 9}), 2, "count")[1]
        7
    """
    if top_n <= 0 or len(df) <= top_n:
        return df, 0
    last = df[column].iloc[top_n - 1]
    tied = int((df[column].iloc[top_n:] == last).sum())
    if tied <= TIES_SHOWN:
        return df.head(top_n + tied), 0
    return df.head(top_n), tied


def slide_rows(top_n: int) -> int:
    """How many rows a chart asked for ``top_n`` draws: at most :data:`MAX_ROWS` (ties with the
    last may add up to :data:`TIES_SHOWN`).

    Example:
        >>> slide_rows(15), slide_rows(90)
        (15, 20)
    """
    return min(top_n, MAX_ROWS)


def rows_that_fit(fig, used: float, *, size: float = SMALL) -> int:
    """How many rows with one-line labels of ``size`` points fit the height of ``fig`` when
    ``used`` points go to titles, column labels and notes (each row 1.3 lines high).

    Example:
        >>> import matplotlib.pyplot as plt
        >>> fig = plt.figure(figsize=FIGSIZE)
        >>> rows_that_fit(fig, 200)
        14
        >>> plt.close(fig)
    """
    return max(1, int((fig.get_figheight() * 72 - used - 30) / (1.3 * size)))


def more_rows_text(left: int) -> str:
    """What a chart says when ``left`` more rows were asked for than a slide holds (:data:`MAX_ROWS`).

    Example:
        >>> more_rows_text(70)
        '另有 70 项见表格 · 70 more in the table (at most 20 rows on a slide)'
    """
    return f"另有 {left} 项见表格 · {left} more in the table (at most {MAX_ROWS} rows on a slide)"


def tie_note(fig, more: int, value, *, left: int = 0) -> None:
    """Say at the foot of ``fig`` that ``more`` items tied at ``value`` were left out, and that
    ``left`` more rows were asked for than a slide holds (nothing if neither)."""
    notes = []
    if left:
        notes.append(more_rows_text(left))
    if more:
        notes.append(f"另有 {more} 项同为 {value:g} 次，未列出 · and {more} more with the same count ({value:g})")
    if notes:
        fig.text(0.99, 0.01, "\n".join(notes), ha="right", va="bottom", fontsize=SMALL, color=NOTE_COLOR)


def small_parts(sizes, min_chars: int = MIN_RATE_CHARS) -> np.ndarray:
    """Which parts (Chinese characters each) are too short to carry a rate (:data:`MIN_RATE_CHARS`).

    Example:
        >>> small_parts([33, 1200, 199, 200]).tolist()
        [True, False, True, False]
    """
    return np.asarray(sizes, dtype=float) < min_chars


def rate_heatmap(ax, rates: np.ndarray, small: np.ndarray, *, axis: int):
    """Draw ``rates`` as a heatmap whose rows (``axis=0``) or columns (``axis=1``) marked in
    ``small`` are too short to carry a rate: grey and hatched, neither setting nor taking the
    colour scale (the one rule of every heatmap by rate). Returns ``(image, vmax)``."""
    shape = rates.shape
    mask = np.broadcast_to(small[:, None] if axis == 0 else small[None, :], shape)
    big = rates[~mask]
    if big.size and np.nanmax(big) > 0:
        vmax = float(np.nanmax(big))
    else:
        vmax = float(np.nanmax(rates)) if rates.size and np.nanmax(rates) > 0 else 1.0
    im = ax.imshow(np.ma.masked_array(rates, mask=mask), cmap=HEAT_CMAP.with_extremes(bad=SMALL_PART_COLOR),
                   aspect="auto", vmin=0, vmax=vmax, interpolation="nearest")
    n_rows, n_cols = shape
    for k in np.flatnonzero(small):  # too small to carry a rate: grey, hatched
        xy, w, h = ((-0.5, k - 0.5), n_cols, 1) if axis == 0 else ((k - 0.5, -0.5), 1, n_rows)
        ax.add_patch(Rectangle(xy, w, h, fill=False, hatch="//", edgecolor="#d4d4d4", linewidth=0))
    return im, vmax


def small_note(fig, min_chars: int = MIN_RATE_CHARS, *, what: str = "count") -> None:
    """The footnote of a heatmap with grey parts (:func:`rate_heatmap`)."""
    zh = "只写次数" if what == "count" else "不计比率"
    en = "count, no rate" if what == "count" else "no rate"
    fig.text(0.01, 0.01, f"灰色 = 不足{min_chars}字，{zh} · grey = under {min_chars} characters: {en}",
             fontsize=SMALL, color=NOTE_COLOR, va="bottom")


def annotate_cells(ax, labels, dark, *, fontsize: float) -> None:
    """Write ``labels[i][j]`` in cell (row i, column j) of a heatmap, skipping empty ones;
    white where ``dark[i][j]``, else :data:`TEXT_COLOR`."""
    for i, row in enumerate(labels):
        for j, text in enumerate(row):
            if text:
                ax.text(j, i, text, ha="center", va="center", fontsize=fontsize,
                        color="white" if dark[i][j] else TEXT_COLOR)


def _overlap(labels) -> bool:
    """Whether two of the visible tick ``labels`` (in axis order) overlap on the canvas."""
    boxes = [t.get_window_extent() for t in labels if t.get_visible()]
    return any(a.overlaps(b) for a, b in zip(boxes, boxes[1:]))


def fit_ticks(fig) -> None:
    """No two tick labels of ``fig`` overlap, whatever the number of rows or columns: the
    labels of a crowded axis shrink (down to :data:`MIN_TICK_SIZE`, so 2, 5 or 15 units keep
    their full size), and if that is not enough only every k-th label is shown.
    Call it last, after ``tight_layout``."""
    fig.draw_without_rendering()  # lays the ticks out; their pixels are drawn when the figure is saved
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = [t for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
            while _overlap(labels) and labels[0].get_fontsize() > MIN_TICK_SIZE:
                for t in labels:
                    t.set_fontsize(max(MIN_TICK_SIZE, t.get_fontsize() - 1))
            step = 1
            while _overlap(labels):
                step += 1
                for i, t in enumerate(labels):
                    t.set_visible(i % step == 0)


def drawn_tick_labels(fig) -> list:
    """The tick labels matplotlib draws on ``fig``: visible, not empty, of ticks inside the
    axis limits (a locator's ticks beyond the limits exist but are never drawn)."""
    labels = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            span = (hi - lo) * 1e-6
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                loc = tick.get_loc()
                if loc is not None and lo - span <= loc <= hi + span and tick.get_visible():
                    labels += [t for t in (tick.label1, tick.label2) if t.get_visible() and t.get_text()]
    return labels


def drawn_texts(fig) -> list:
    """Every text drawn on ``fig`` (titles, labels, notes, legends, cell numbers, tick labels
    in view): visible and not empty."""
    ticks = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()] for t in (tick.label1, tick.label2)}
    others = [t for t in fig.findobj(Text) if id(t) not in ticks and t.get_visible() and t.get_text().strip()]
    return others + drawn_tick_labels(fig)


def axes_titles(ax) -> list:
    """The three title texts of ``ax`` (centre, left, right; matplotlib keeps the last two private)."""
    return [ax.title, getattr(ax, "_left_title"), getattr(ax, "_right_title")]  # noqa: B009


def _titles(fig) -> list:
    """The titles of ``fig``: each axes' (left, centre, right) and the figure's own."""
    found = [t for ax in fig.axes for t in axes_titles(ax)]
    found += [t for t in (fig._suptitle,) if t is not None]
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def _furniture(fig) -> list:
    """The text around the charts of ``fig``: titles, axis labels, figure notes, legends."""
    items = _titles(fig)
    for ax in fig.axes:
        items += [t for t in (ax.xaxis.label, ax.yaxis.label) if t.get_visible() and t.get_text().strip()]
        if ax.get_legend() is not None:
            items.append(ax.get_legend())
    items += [t for t in fig.texts if t.get_visible() and t.get_text().strip()] + list(fig.legends)
    return list({id(a): a for a in items}.values())  # (the figure's title is one of its texts too)


def _name(artist) -> str:
    return repr(artist.get_text()[:14]) if isinstance(artist, Text) else "a legend"


def layout_problems(fig, *, min_size: float = SMALL) -> list[str]:
    """What keeps ``fig`` from being a clean slide, one line each (empty when none): two tick
    labels overlapping, a tick label over a title, a note or legend, two of those over each
    other, text reaching outside the figure, text smaller than ``min_size`` points (chart text
    at least 14 pt on the slide). Measured on the canvas with matplotlib's renderer.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> _ = use_chinese_font()
        >>> fig, ax = plt.subplots(figsize=(4, 3))
        >>> _ = ax.set_xticks(range(30), ["中国特色社会主义"] * 30, fontsize=SMALL)
        >>> problems = layout_problems(fig)
        >>> any("overlaps" in p for p in problems), any("outside" in p for p in problems)
        (True, True)
        >>> any("pt <" in p for p in problems)  # the y tick labels are matplotlib's 10 pt
        True
        >>> plt.close(fig)
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox.padded(1)
    problems = []
    for t in drawn_texts(fig):
        box = t.get_window_extent(renderer)
        if t.get_fontsize() < min_size:
            problems.append(f"{t.get_text()[:20]!r}: {t.get_fontsize():g} pt < {min_size:g}")
        if not (frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)):
            problems.append(f"{t.get_text()[:20]!r}: outside the figure")
    ticks = [(_name(t), t.get_window_extent(renderer).shrunk(0.98, 0.98)) for t in drawn_tick_labels(fig)]
    rest = [(_name(t), t.get_window_extent(renderer).shrunk(0.98, 0.98)) for t in _furniture(fig)]
    written = [(_name(t), t.get_window_extent(renderer).shrunk(0.96, 0.9)) for ax in fig.axes for t in ax.texts
               if t.get_visible() and t.get_text().strip()]
    for i, (a, box) in enumerate(ticks):
        problems += [f"tick {a} overlaps tick {b}" for b, other in ticks[i + 1:] if box.overlaps(other)]
        problems += [f"tick {a} overlaps {b}" for b, other in rest + written if box.overlaps(other)]
    for i, (a, box) in enumerate(rest):
        problems += [f"{a} overlaps {b}" for b, other in rest[i + 1:] if box.overlaps(other)]
    for ax in fig.axes:  # the notes and labels written on one axes
        notes = [(_name(t), t.get_window_extent(renderer).shrunk(0.96, 0.9)) for t in ax.texts
                 if t.get_visible() and t.get_text().strip()]
        for i, (a, box) in enumerate(notes):
            problems += [f"{a} overlaps {b}" for b, other in notes[i + 1:] if box.overlaps(other)]
    return problems


def room_for_notes(ax, notes) -> None:
    """Widen the x range of a bar chart (bars from 0) so that each of ``notes`` (texts written
    just after a bar's end) ends inside the axes, however long the note. Call after ``tight_layout``."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    width = ax.get_window_extent(renderer).width
    lo, hi = ax.get_xlim()
    need = hi
    for t in notes:
        room = width - t.get_window_extent(renderer).width - 6
        if room > 0:
            need = max(need, t.get_position()[0] * width / room)
    ax.set_xlim(lo, need)


def finish(fig, rect: tuple[float, float, float, float] = (0, 0, 1, 1)) -> None:
    """Lay ``fig`` out for a slide: ``tight_layout`` within ``rect``; a y-axis or colour-bar
    label ``中文 English`` that reaches outside the figure (a short axes under long slanted unit
    names) goes on two lines and the layout is redone; then :func:`fit_ticks`."""
    fig.tight_layout(rect=rect)
    fig.draw_without_rendering()  # laid out, nothing rasterised: the labels are only measured
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    changed = False
    for ax in fig.axes:
        label = ax.yaxis.label
        text = label.get_text()
        box = label.get_window_extent(renderer)
        if " " in text and "\n" not in text and (box.y0 < frame.y0 or box.y1 > frame.y1):
            zh, _, en = text.partition(" ")
            label.set_text(f"{zh}\n{en}")
            changed = True
    if changed:
        fig.tight_layout(rect=rect)
    fit_ticks(fig)


def thin_texts(texts, *, avoid=()) -> None:
    """Hide each of ``texts`` (labels along an axis, in order of priority) that would overlap
    one shown before it or one of ``avoid`` (a title): measured on the canvas, after layout."""
    fig = texts[0].figure if texts else None
    if fig is None:
        return
    renderer = fig.canvas.get_renderer()
    taken = [a.get_window_extent(renderer) for a in avoid if a.get_visible() and a.get_text()]
    for t in texts:
        box = t.get_window_extent(renderer).padded(2)
        if any(box.overlaps(other) for other in taken):
            t.set_visible(False)
        else:
            taken.append(box)


def integer_ticks(axis) -> None:
    """Ticks of ``axis`` at whole numbers only (for counts)."""
    cast(MaxNLocator, axis.get_major_locator()).set_params(integer=True)


def cells_fit(fig, ax, n_rows: int, n_cols: int, *, chars: float = 3) -> bool:
    """Whether numbers of ``chars`` digits at :data:`SMALL` fit in the cells of a heatmap of
    ``n_rows`` × ``n_cols`` on ``ax`` (else the colour alone says it; the table has the numbers).

    Example:
        >>> import matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots(figsize=FIGSIZE)
        >>> cells_fit(fig, ax, 15, 15), cells_fit(fig, ax, 90, 90)
        (True, False)
        >>> plt.close(fig)
    """
    box = ax.get_position()
    width, height = box.width * fig.get_figwidth() * 72, box.height * fig.get_figheight() * 72
    return bool(width / max(n_cols, 1) >= 0.62 * chars * SMALL and height / max(n_rows, 1) >= 1.1 * SMALL)


def cell_grid(ax, n_rows: int, n_cols: int) -> None:
    """White lines between the cells of a heatmap, no ticks, no frame."""
    ax.set_xticks(np.arange(-0.5, n_cols), minor=True)
    ax.set_yticks(np.arange(-0.5, n_rows), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="both", length=0)
    for s in ax.spines.values():
        s.set_visible(False)


def section_frame(sections):
    """The table ``section, label, start, end, han_chars`` of ``sections``: a
    :class:`~analysis_utils.outline.parts.Sections` or its table (``section_table``)."""
    return getattr(sections, "table", sections)


# --------------------------------------------------------------------------- fonts
#: The environment variable naming a font file to use instead of the bundled one.
FONT_ENV = "ANALYSIS_UTILS_FONT"
#: The font every figure uses unless the user names another: Noto Sans CJK SC Regular, as ``mplfonts`` ships it.
BUNDLED_FONT = "NotoSansCJKsc-Regular.otf"
#: A face of a collection whose names say Simplified Chinese (``… SC``, ``… CN``, ``… GB``, ``简体``).
_SC_NAME = re.compile(r"(\b(SC|CN|GB|PRC)\b|Simplified Chinese|简体)")
#: The font the user chose in this process (``use_chinese_font(font)``), else ``None``.
_chosen: Path | None = None
#: (font file, face) → the matplotlib entry :func:`use_chinese_font` put first in matplotlib's list.
_registered: dict[tuple[str, int], Any] = {}


def _bundled_font() -> Path | None:
    """The Noto Sans CJK SC of the ``mplfonts`` package, if it is installed."""
    try:
        import mplfonts
    except ImportError:
        return None
    bundled = Path(mplfonts.__file__).parent / "fonts" / BUNDLED_FONT
    return bundled if bundled.is_file() else None


def find_cjk_font(font: str | Path | None = None) -> Path:
    """Path of the font file every figure draws Chinese with.

    By default the Noto Sans CJK SC Regular that ``mplfonts`` ships, so the same input gives
    the same figure bytes on every machine, whatever fonts it has installed. A system font
    only when asked for: ``font``, else the one given to :func:`use_chinese_font` in this
    process, else the file named by the environment variable ``ANALYSIS_UTILS_FONT``.

    Raises:
        SpeechError: the font asked for is not a file (the command line: one line, exit 2).
        RuntimeError: no font asked for and ``mplfonts`` is missing.

    Example:
        >>> find_cjk_font().name
        'NotoSansCJKsc-Regular.otf'
    """
    asked = font or _chosen or os.environ.get(FONT_ENV)
    if asked:
        if not Path(asked).expanduser().is_file():
            how = f" (named by {FONT_ENV})" if not (font or _chosen) else ""
            raise SpeechError(asked, f"no such font file{how}")
        return Path(asked).expanduser()
    bundled = _bundled_font()
    if bundled is None:
        raise RuntimeError(
            "no Chinese font: `pip install -r requirements.txt` (mplfonts ships Noto Sans CJK SC) "
            f"or name a font file in {FONT_ENV}"
        )
    return bundled


@lru_cache(maxsize=16)
def font_face(path: str | Path) -> int:
    """The face of a font file to draw with: 0 for a single font; in a ``.ttc``/``.otc``
    collection the Simplified Chinese face (its names say SC, CN, GB or Simplified Chinese),
    of Regular weight (never bold), proportional rather than monospaced; face 0 (often the
    Japanese forms) only when no face says Simplified Chinese.

    Example:
        >>> font_face(find_cjk_font())
        0
    """
    from fontTools.ttLib import TTCollection

    if Path(path).suffix.lower() not in (".ttc", ".otc"):
        return 0

    def score(item: tuple[int, Any]) -> tuple[bool, int, bool, int]:
        index, face = item
        names = " ".join(str(n) for n in face["name"].names if n.nameID in (1, 4, 16))
        weight = face["OS/2"].usWeightClass if "OS/2" in face else 400
        return bool(_SC_NAME.search(names)), -abs(weight - 400), "mono" not in names.lower(), -index

    return max(enumerate(TTCollection(str(path), lazy=True).fonts), key=score)[0]


def _register(path: Path, index: int) -> None:
    """Make matplotlib draw the family of face ``index`` of ``path`` with exactly that face.

    Other fonts of the same family name (a system Noto Sans CJK SC, its Bold, the Japanese face
    of a collection named alike) are taken out of matplotlib's list, so no font installed on the
    machine can stand in for it.
    """
    from matplotlib import ft2font

    entry = font_manager.ttfFontProperty(ft2font.FT2Font(str(path), face_index=index))
    manager = font_manager.fontManager
    manager.addfont(str(path))  # (also clears matplotlib's cache of font look-ups)
    manager.ttflist = [entry] + [f for f in manager.ttflist if f.name != entry.name]


def use_chinese_font(font: str | Path | None = None) -> str:
    """Configure matplotlib to draw Chinese; return the font's family name.

    Every figure is drawn with :func:`find_cjk_font` (the bundled Noto Sans CJK SC Regular
    unless the user names a font), face :func:`font_face` of a collection. ``font``: a font
    file to use from now on in this process, for matplotlib and the word clouds alike.

    Also makes figures reproducible: SVG text is drawn as paths (no font needed to view
    it) with a fixed id salt, and the minus sign is a plain hyphen (CJK fonts lack U+2212).

    Example:
        >>> import matplotlib
        >>> name = use_chinese_font()
        >>> matplotlib.rcParams["font.sans-serif"][0] == name
        True
        >>> name
        'Noto Sans CJK SC'
    """
    global _chosen
    path = find_cjk_font(font)
    if font:
        _chosen = path
    key = (str(path.resolve()), font_face(path))
    entries = font_manager.fontManager.ttflist
    done = _registered.get(key)
    if done is None or not entries or entries[0] is not done or any(f.name == done.name for f in entries[1:]):
        _register(Path(key[0]), key[1])  # first time, or a font of the same name registered since
        _registered.clear()
        _registered[key] = done = font_manager.fontManager.ttflist[0]
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [done.name, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.fonttype": "path",
            "svg.hashsalt": "analysis_utils",
        }
    )
    return done.name


# -------------------------------------------------------------------------- labels
_NO_LINE_START = set("，。、；：！？）》」』”’…—,.;:!?)]")
_NO_LINE_END = set("（《「『“‘([")


@lru_cache(maxsize=1)
def _jieba():
    from ..tokenizer import new_jieba  # not at the top: the tokenizer's package imports plots

    return new_jieba()


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """``text`` in the pieces a label may be broken between: jieba's cut (so a line never
    starts or ends inside a word: never 基/本, 政/治, 统/一战线), a closing mark kept with
    the word before it, an opening mark with the word after it. Cached: labels repeat.

    Example:
        >>> words("坚持和完善“一国两制”，推进祖国统一")
        ('坚持', '和', '完善', '“一国两制”，', '推进', '祖国统一')
    """
    pieces: list[str] = []
    glue = False
    for w in _jieba().lcut(str(text)):
        if pieces and (glue or w[0] in _NO_LINE_START):
            pieces[-1] += w
        else:
            pieces.append(w)
        glue = w[-1] in _NO_LINE_END
    return tuple(pieces)


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut after the last whole word (:func:`words`) that leaves room for
    ``…`` within ``width`` characters; cut inside a word only when its first word alone is too long.

    Example:
        >>> shorten("全面从严治党", 5), shorten("党建", 4)
        ('全面…', '党建')
    """
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    kept = ""
    for piece in words(text):
        if len(kept) + len(piece) + 1 > width:
            break
        kept += piece
    return (kept.rstrip() or text[: max(1, width - 1)]) + "…"


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (Chinese characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def text_units(text: str) -> float:
    """Width of ``text`` in ems: Chinese characters 1, Latin letters and digits about 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in text)


def _fits(line: str, width: float) -> bool:
    """Whether ``line`` is at most ``width`` ems wide, closing punctuation at its end hanging out."""
    return text_units(line.rstrip().rstrip("".join(_NO_LINE_START))) <= width


def _greedy(pieces: tuple[str, ...], width: float) -> list[list[str]]:
    """The pieces in lines of at most ``width`` ems (a piece wider than a line stays whole)."""
    lines: list[list[str]] = [[]]
    for piece in pieces:
        if lines[-1] and not _fits("".join(lines[-1]) + piece, width):
            lines.append([])
        lines[-1].append(piece)
    return lines


def _cut_to(lines: list[list[str]], width: float, max_lines: int) -> list[str]:
    """The first ``max_lines`` lines, the last one ending in ``…`` after a whole word."""
    last = lines[max_lines - 1]
    while len(last) > 1 and text_units("".join(last)) + 1 > width:
        last = last[:-1]
    return ["".join(line).strip() for line in lines[: max_lines - 1]] + ["".join(last).strip() + "…"]


def _break_at_comma(pieces: tuple[str, ...], width: float) -> list[str] | None:
    """Two lines broken after the comma (or 、；：) nearest the middle, when both fit."""
    best = None
    for k in range(1, len(pieces)):
        head, tail = "".join(pieces[:k]), "".join(pieces[k:])
        if head[-1] in "，、；：,;:" and _fits(head, width) and _fits(tail, width):
            score = abs(text_units(head) - text_units(tail))
            if best is None or score < best[0]:
                best = (score, [head.strip(), tail.strip()])
    if best is not None and best[0] <= 0.6 * text_units("".join(pieces)):
        return best[1]
    return None


def _no_orphan(lines: list[list[str]], width: float) -> list[list[str]]:
    """Move whole words down (up to four characters) so the last line is not one or two characters alone."""
    if len(lines) > 1 and text_units("".join(lines[-1])) <= 2.5:
        head, tail = lines[-2], lines[-1]
        while (len(head) > 1 and text_units(head[-1]) <= 4
               and text_units("".join([head[-1], *tail])) <= width and text_units("".join(tail)) <= 2.5):
            tail = [head[-1], *tail]
            head = head[:-1]
        lines[-2], lines[-1] = head, tail
    return lines


def wrap_cjk(text: str, width: float, *, max_lines: int = 2, balance: bool = True) -> list[str]:
    """``text`` on lines of at most ``width`` ems, broken only between words (:func:`words`:
    jieba's cut, or after a comma), at most ``max_lines`` (the last ends in ``…`` after a whole
    word when cut); a line never starts with closing punctuation; with ``balance`` the lines get
    about equal length (no orphan character on a line of its own). One word wider than a line
    stays whole.

    Example:
        >>> wrap_cjk("统一战线工作", 3)
        ['统一战线', '工作']
        >>> wrap_cjk("坚持和发展中国特色社会主义", 4)
        ['坚持和', '发展…']
        >>> wrap_cjk("一二三，四五六", 3, max_lines=3)
        ['一二三，', '四五六']
    """
    pieces = words(" ".join(str(text).split()))
    lines = _greedy(pieces, width)
    if len(lines) > max_lines:
        return _cut_to(lines, width, max_lines)
    if balance and len(lines) == 2:
        two = _break_at_comma(pieces, width)
        if two is not None:
            return two
    return ["".join(line).strip() for line in (_no_orphan(lines, width) if balance else lines)] or [""]


def wrap_label(text: str, width: int = 12, lines: int = 2) -> str:
    """A long Chinese label on at most ``lines`` lines of about ``width`` characters (``…``
    when cut), lines of balanced length; a line never starts with closing punctuation.

    Example:
        >>> print(wrap_label("十三、坚持和完善“一国两制”，推进祖国统一", 14))
        十三、坚持和完善“一国两制”，
        推进祖国统一
    """
    return "\n".join(wrap_cjk(str(text).strip(), width, max_lines=lines))


def is_cut(lines: list[str]) -> bool:
    """Whether :func:`wrap_cjk` had to shorten the text."""
    return bool(lines) and lines[-1].endswith("…")
