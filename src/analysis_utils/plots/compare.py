"""Figures of comparing speeches (notebook 05): slide-ready, bilingual, readable with 2 or 100 units.

Each function takes a table of :mod:`analysis_utils.stats.compare` and returns a 16:9 figure.
With many units, tick labels are thinned to stay readable (every unit still has its cell).

Example:
    >>> from analysis_utils.config import SEED_SPEECH
    >>> from analysis_utils.stats.compare import comparison, unit_table
    >>> units = unit_table(comparison(SEED_SPEECH))
    >>> fig = textplot_unit_sizes(units)
    >>> [round(p.get_height()) for p in fig.axes[0].patches] == units["han_chars"].tolist()
    True
    >>> save_fig(fig, "seed", "05_sizes")  # doctest: +SKIP
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import (
    BAR_COLOR,
    FIGSIZE,
    FORMULATION_COUNT_LABEL,
    HEAT_CMAP,
    LABEL_SIZE,
    MIN_RATE_CHARS,
    SMALL,
    SUBSTRING_COUNT_LABEL,
    TITLE_SIZE,
    annotate_cells,
    cells_fit,
    colorbar,
    despine,
    finish,
    overlap_note,
    per_10k_label,
    rate_heatmap,
    rows_that_fit,
    set_title,
    small_note,
    small_parts,
    text_width,
    title_text,
    use_chinese_font,
    wrap_label,
)

__all__ = ["textplot_unit_sizes", "textplot_term_trends", "textplot_slogan_heatmap", "textplot_similarity",
           "textplot_keyness_against_rest"]

MAX_LABELS = 28
#: Slanted unit labels stand upright: upright text never reaches into its neighbour's box.
SLANT = 90
PARTS_TITLE = "各部分用词（子串计数每万字）"
LINE_COLORS = ["#b8312f", "#3b6ea5", "#d4a017", "#4c9a6a", "#7d5ba6", "#e07b39", "#5f6b73", "#c2577d", "#2a9d8f", "#8c6d31"]


def _ticks(n: int) -> np.ndarray:
    """Positions to label: all when few, evenly thinned when many."""
    step = max(1, int(np.ceil(n / MAX_LABELS)))
    return np.arange(0, n, step)


def _unit_labels(labels, idx, width=14):
    """The names of the units along x: two lines of at most ``width`` characters (fewer when many
    units share the axis, so no name reaches its neighbour's), or the first 10 characters."""
    width = max(6, min(width, int(0.75 * FIGSIZE[0] * 72 / max(len(labels), 1) / LABEL_SIZE) - 1))
    return [wrap_label(labels[i], width, 2) if len(labels) <= 12 else labels[i][:10] for i in idx]


def _unit_axis(ax, labels: list[str], *, slanted: bool, wrap: bool = True) -> None:
    """Units (or years) along x: labelled (thinned when many), slanted when ``slanted``."""
    idx = _ticks(len(labels))
    if not slanted:  # room for the first and last names, never under the y tick labels
        ax.set_xlim(-0.5, len(labels) - 0.5)
    names = [labels[i][:22] for i in idx] if slanted else _unit_labels(labels, idx) if wrap else [labels[i] for i in idx]
    ax.set_xticks(idx, names, fontsize=SMALL if slanted else LABEL_SIZE, rotation=SLANT if slanted else 0,
                  ha="right" if slanted else "center", va="center" if slanted else "top", rotation_mode="anchor")


def textplot_unit_sizes(table: pd.DataFrame, *, subtitle: str | None = None, figsize=FIGSIZE):
    """Length of each unit in Chinese characters (bars), with its number of top-level sections.

    Args:
        table: the table of :func:`~analysis_utils.stats.compare.unit_table`.

    Returns:
        A matplotlib figure: one bar per unit (its length written on it, up to 30 units).

    Example:
        >>> fig = textplot_unit_sizes(unit_table(comparison("speeches/")))  # doctest: +SKIP
    """
    use_chinese_font()
    fig, ax = plt.subplots(figsize=figsize)
    n = len(table)
    ax.bar(np.arange(n), table["han_chars"], color=BAR_COLOR, width=0.75)
    _unit_axis(ax, list(table["label"]), slanted=n > 6)
    if n <= 30:
        parts = table["subsections"] if (table["sections"] <= 1).all() else table["sections"]
        unit = "小节" if (table["sections"] <= 1).all() else "部分"
        for xi, (h, k) in enumerate(zip(table["han_chars"], parts)):
            ax.text(xi, h, f"{h:,}" + (f"\n{k}{unit}" if k else ""), ha="center", va="bottom", fontsize=SMALL)
    ax.set_ylabel("汉字数 Chinese characters", fontsize=LABEL_SIZE)
    ax.tick_params(axis="y", labelsize=SMALL)
    ax.margins(y=0.15)
    despine(ax)
    set_title(ax, "篇幅对比", "length of each speech or part", subtitle)
    finish(fig)  # no tick label overlaps another, at any number of units; labels inside the figure
    return fig


def _trend_lines(ax, rates: pd.DataFrame, x: str, pos: dict, *, smooth: bool) -> None:
    """One line per term; with ``smooth`` each speech a faint line under a bold moving
    average of 7 speeches."""
    for k, (term, g) in enumerate(rates.groupby("term", sort=False)):
        xs, color = g[x].map(pos), LINE_COLORS[k % len(LINE_COLORS)]
        if smooth:
            ax.plot(xs, g["per_10k"], linewidth=0.8, alpha=0.3, color=color)
            ax.plot(xs, g["per_10k"].rolling(7, center=True, min_periods=3).mean(), linewidth=2.6, color=color,
                    label=term)
        else:
            ax.plot(xs, g["per_10k"], marker="o", markersize=5, linewidth=2, color=color, label=term)


def textplot_term_trends(rates: pd.DataFrame, *, x: str = "label", subtitle: str | None = None, figsize=FIGSIZE,
                         parts: bool = False):
    """Rate per 10,000 characters of each term across units (``x="label"``) or years (``x="year"``).

    With at most four units (not years): grouped bars, one group per term. With more than
    20 points: a bold moving average over faint lines.

    Args:
        rates: the table of :func:`~analysis_utils.stats.compare.term_rates` (or ``by_year``).
        x: the column along x: ``label`` (units) or ``year``.
        parts: the units are parts of one speech: titled "by part", never "over time".

    Returns:
        A matplotlib figure: one line (or bar colour) per term.

    Example:
        >>> fig = textplot_term_trends(by_year(term_rates(cmp, ["改革", "发展"]), cmp), x="year")  # doctest: +SKIP
    """
    use_chinese_font()
    fig, ax = plt.subplots(figsize=figsize)
    order = list(dict.fromkeys(rates[x]))
    if len(order) <= 4 and x != "year":
        return _grouped_bars(fig, ax, rates, order, subtitle, parts=parts)
    smooth = len(order) > 20 and not parts
    _trend_lines(ax, rates, x, {v: i for i, v in enumerate(order)}, smooth=smooth)
    many = len(order) > 6 and x != "year"
    _unit_axis(ax, [str(o) for o in order], slanted=many, wrap=x != "year")
    ax.set_ylabel(per_10k_label(SUBSTRING_COUNT_LABEL), fontsize=LABEL_SIZE)
    ax.tick_params(axis="y", labelsize=SMALL)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=LABEL_SIZE, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))  # beside, off the labels
    ax.grid(axis="y", color="#dddddd")
    despine(ax)
    en = "term rates over time" if x == "year" or (many and not parts) else "term rates by part" if parts else "term rates by unit"
    if smooth:
        en += " (bold: moving average of 7 speeches)"
    set_title(ax, PARTS_TITLE if parts else "用词走势", en, subtitle)
    finish(fig)  # no tick label overlaps another, at any number of units; labels inside the figure
    return fig


def _grouped_bars(fig, ax, rates, order, subtitle, *, parts: bool = False):
    """Few units: one group of bars per term, one bar per unit (clearer than two-point lines)."""
    terms = list(dict.fromkeys(rates["term"]))
    width = 0.8 / len(order)
    for k, unit in enumerate(order):
        vals = rates[rates["label"] == unit].set_index("term").reindex(terms)["per_10k"].fillna(0)
        xs = np.arange(len(terms)) + (k - (len(order) - 1) / 2) * width
        ax.bar(xs, vals, width=width * 0.95, color=LINE_COLORS[k % len(LINE_COLORS)], label=wrap_label(unit, 18, 1))
        for xv, v in zip(xs, vals):
            ax.text(xv, v, f"{v:.0f}", ha="center", va="bottom", fontsize=SMALL)
    ax.set_xticks(np.arange(len(terms)), terms, fontsize=LABEL_SIZE)
    ax.set_ylabel(per_10k_label(SUBSTRING_COUNT_LABEL), fontsize=LABEL_SIZE)
    ax.tick_params(axis="y", labelsize=SMALL)
    ax.legend(fontsize=LABEL_SIZE, frameon=False, loc="upper right")
    ax.grid(axis="y", color="#dddddd")
    despine(ax)
    set_title(ax, PARTS_TITLE if parts else "用词对比", "term rates by part" if parts else "term rates by unit", subtitle)
    finish(fig)  # no tick label overlaps another, at any number of units; labels inside the figure
    return fig


def _heatmap(ax, arr, row_labels, col_labels, *, annotate: bool, vmax: float | None = None, rotate: bool = True,
             small=None):
    """Rows × columns coloured by ``arr`` (``small``: columns too short to carry a rate, greyed
    by :func:`~analysis_utils.plots.style.rate_heatmap`); numbers in the cells when ``annotate``
    and they fit."""
    if small is not None:
        im, vmax = rate_heatmap(ax, arr, np.asarray(small, dtype=bool), axis=1)
    else:
        if vmax is None:
            vmax = float(np.nanmax(arr)) if arr.size and np.nanmax(arr) > 0 else 1.0
        im = ax.imshow(arr, cmap=HEAT_CMAP, aspect="auto", vmin=0, vmax=vmax, interpolation="nearest")
        small = np.zeros(arr.shape[1], dtype=bool)
    ridx, cidx = _ticks(len(row_labels)), _ticks(len(col_labels))
    ax.set_yticks(ridx, [row_labels[i] for i in ridx], fontsize=SMALL)
    rotate = rotate and len(col_labels) > 6
    ax.set_xticks(cidx, [col_labels[i] for i in cidx], fontsize=SMALL, rotation=SLANT if rotate else 0,
                  ha="right" if rotate else "center", va="center" if rotate else "top", rotation_mode="anchor")
    if annotate and cells_fit(ax.figure, ax, len(row_labels), len(col_labels)):
        cells = [[(f"{v:.0f}" if v >= 10 else f"{v:.1f}") if v and not small[j] else "" for j, v in enumerate(row)]
                 for row in arr]
        annotate_cells(ax, cells, arr / vmax > 0.55, fontsize=SMALL)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.tick_params(length=0)
    return im


def textplot_slogan_heatmap(table: pd.DataFrame, *, han_chars=None, min_chars: int = MIN_RATE_CHARS,
                            subtitle: str | None = None, figsize=FIGSIZE):
    """Slogans (rows) × units (columns): colour = rate per 10,000 characters.

    Args:
        table: the table of :func:`~analysis_utils.stats.compare.slogan_rates`.
        han_chars: Chinese characters of each unit (a mapping column → size, or a list in column
            order); default ``table.attrs["han_chars"]``. Units under ``min_chars`` characters
            are too short to carry a rate: their column is grey and hatched, without numbers,
            and neither sets nor takes the colour scale (like the section heatmap's small parts).

    Returns:
        A matplotlib figure: one row per slogan, one column per unit (rates written in the
        cells up to 16 units).

    Example:
        >>> fig = textplot_slogan_heatmap(slogan_rates(cmp, top_n=25))  # doctest: +SKIP
    """
    use_chinese_font()
    cols = [c for c in table.columns if c not in ("slogan", "kind", "formulation_count", "total", "units")]
    sizes = table.attrs.get("han_chars") if han_chars is None else han_chars
    if isinstance(sizes, dict):
        sizes = [sizes.get(c, min_chars) for c in cols]
    small = small_parts(sizes, min_chars) if sizes is not None else np.zeros(len(cols), dtype=bool)
    fig, ax = plt.subplots(figsize=figsize)
    labels = [wrap_label(c, 14, 2) if len(cols) <= 12 else c[:10] for c in cols]
    below = max(text_width(fig, c, SMALL) for c in labels) if len(cols) > 6 else 2.6 * SMALL  # the column labels
    shown = table.head(rows_that_fit(fig, below + 4 * 1.3 * TITLE_SIZE + (2 * SMALL if small.any() else 0)))
    arr = shown[cols].to_numpy(dtype=float)
    im = _heatmap(ax, arr, [wrap_label(s, 12, 1) for s in shown["slogan"]], labels, annotate=len(cols) <= 16,
                  small=small)
    colorbar(fig, im, ax, per_10k_label(FORMULATION_COUNT_LABEL) + overlap_note(table))
    cut = (f"（前{len(shown)}个，共{len(table)}个）", f"top {len(shown)} of {len(table)} ") if len(shown) < len(table) else ("", "")
    set_title(ax, "提法分布" + cut[0], cut[1] + "formulations × speeches (formulation count per 10,000 characters)",
              subtitle)
    if small.any():
        small_note(fig, min_chars, what="rate")
    finish(fig, rect=(0, 0.05 if small.any() else 0, 1, 1))  # no tick label overlaps another, at any number of units
    return fig


def textplot_similarity(sim: pd.DataFrame, *, subtitle: str | None = None, figsize=FIGSIZE):
    """Cosine similarity of the units' vocabularies (1 = same words in the same proportions).

    Args:
        sim: the square table of :func:`~analysis_utils.stats.compare.similarity`.

    Returns:
        A square matplotlib figure: one row and one column per unit.

    Example:
        >>> fig = textplot_similarity(similarity(unit_term_counts(cmp, tokenizer), cmp))  # doctest: +SKIP
    """
    use_chinese_font()
    n = len(sim)
    side = min(figsize[1], max(4.5, 1.5 + 0.6 * n))
    fig, ax = plt.subplots(figsize=(min(figsize[0], side + 5), side))  # room for the row labels and colour bar
    rows = [f"{i + 1}  {str(c)[:14]}" for i, c in enumerate(sim.columns)]  # numbered rows, numbers across
    im = _heatmap(ax, sim.to_numpy(dtype=float), rows, [str(i + 1) for i in range(n)], annotate=n <= 12, vmax=1.0,
                  rotate=False)
    ax.set_aspect("equal")
    colorbar(fig, im, ax, "余弦相似度 cosine similarity (TF-IDF)", fraction=0.03)
    fig.suptitle(title_text(fig, "用词相似度", "how alike the vocabularies are", subtitle), fontsize=TITLE_SIZE, x=0.01,
                 ha="left")  # over the whole figure: the square axes may stand far right
    finish(fig)  # no tick label overlaps another, at any number of units; labels inside the figure
    return fig


def textplot_keyness_against_rest(key: pd.DataFrame, *, parts: bool, subtitle: str | None = None, figsize=FIGSIZE):
    """:func:`~analysis_utils.plots.terms.textplot_keyness` of one unit against the others, its
    words naming the two sides: "this part" and "the other parts" (or "this speech" and "the
    other speeches"), never "the reference", since both sides are the units compared.

    Example:
        >>> fig = textplot_keyness_against_rest(keyness_against_rest(cmp, 1, tokenizer), parts=True)  # doctest: +SKIP
    """
    from .terms import textplot_keyness

    here, rest = (("本部分", "this part"), ("其余部分", "the other parts")) if parts else \
        (("本篇", "this speech"), ("其余各篇", "the other speeches"))
    fig = textplot_keyness(key, reference=rest, subtitle=subtitle, figsize=figsize)
    words = [("本讲话", here[0]), ("this speech", here[1]), ("参照语料", rest[0]), ("the reference", rest[1]),
             ("in reference", f"in {rest[1]}"), ("参照", rest[0])]
    for t in fig.findobj(plt.Text):
        text = t.get_text()
        for old, new in words:
            text = text.replace(old, new)
        t.set_text(text)
    return fig


plot_unit_sizes = textplot_unit_sizes  # deprecated alias, kept for one release
plot_term_trends = textplot_term_trends  # deprecated alias, kept for one release
plot_slogan_heatmap = textplot_slogan_heatmap  # deprecated alias, kept for one release
plot_similarity = textplot_similarity  # deprecated alias, kept for one release
