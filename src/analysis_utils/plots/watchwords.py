"""Figures of watchwords across decades (notebook 07): one panel per term along the years, a
terms × years heatmap, the risers and fallers between two periods.

Years are placed on a true time axis: a year without a document in the corpus stays empty, a year
whose document does not use the term gets a grey dot at zero, so a gap in the corpus never reads
as a term falling out of use. Rates are substring counts per 10,000 Chinese characters of the
year's documents (:func:`~analysis_utils.watchwords.by_year`).

Example:
    >>> from analysis_utils.watchwords import Track
    >>> s = pd.DataFrame({"term": ["小康"] * 3, "id": list("abc"), "date": ["1980", "1990", "2000"],
    ...                   "year": [1980, 1990, 2000], "substring_count": [0, 2, 4], "per_10k": [0.0, 2.0, 4.0]})
    >>> docs = pd.DataFrame({"id": list("abc"), "date": ["1980", "1990", "2000"], "year": [1980, 1990, 2000],
    ...                      "title": [""] * 3, "han_chars": [10000] * 3})
    >>> tr = Track(s, s.iloc[:0], s.iloc[:0], docs, s.iloc[:0], ("小康",), None)
    >>> fig = textplot_watchwords(tr, periods=[("甲", 1985, 1995)])
    >>> [round(float(p.get_height()), 1) for p in fig.axes[0].patches if round(p.get_width(), 1) == 0.8 and p.get_height() > 0]
    [2.0, 4.0]
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .style import (
    FIGSIZE,
    FORMULATION_COUNT_LABEL,
    HEAT_CMAP,
    LABEL_SIZE,
    MUTED_COLOR,
    NOTE_COLOR,
    REFERENCE_COLOR,
    SMALL,
    SUBSTRING_COUNT_LABEL,
    TARGET_COLOR,
    axes_titles,
    cell_grid,
    despine,
    fit_ticks,
    per_10k_label,
    set_title,
    shorten,
    thin_texts,
    tint,
    use_chinese_font,
)

__all__ = ["textplot_watchwords", "textplot_watchword_heatmap", "textplot_risers_fallers"]

#: Colours of stacked variants (the family's name first, in party red).
VARIANT_COLORS = ["#b8312f", "#3b6ea5", "#d4a017", "#4c9a6a", "#7d5ba6", "#e07b39", "#5f6b73"]
PERIOD_COLORS = ["#efe7da", "#dfe8f1"]
GAP_NOTE = ("灰点：当年有文件但未出现；无标记：语料中无该年文件\n"
            "grey dot: a document that year without the term; nothing: no document that year")
#: The most panels (terms or families) one figure draws: 3 × 3 on a 16:9 slide with every text at
#: :data:`~analysis_utils.plots.style.SMALL` or more. More terms: the footnote says how many were left
#: out (draw them with ``terms=``, or all of them in :func:`textplot_watchword_heatmap`).
MAX_PANELS = 9

Periods = Sequence[tuple[str, int, int]]


def _year_tables(tr, names: list[str] | None, families: bool) -> tuple[list[str], dict[str, pd.DataFrame]]:
    """Per term (or family): a year × variant table of rates (a term is its own only variant)."""
    from ..watchwords import by_year

    if families:
        f = tr.families[tr.families["year"].notna()]
        names = names or list(dict.fromkeys(f["family"]))
        han = tr.documents.dropna(subset=["year"]).groupby("year")["han_chars"].sum()
        out = {}
        for name in names:
            g = f[f["family"] == name]
            counts = g.groupby(["year", "variant"], sort=False)["formulation_count"].sum().unstack(fill_value=0)
            counts = counts.reindex(columns=list(dict.fromkeys(g["variant"])))
            out[name] = counts.div(np.maximum(1, han.reindex(counts.index).to_numpy()), axis=0) * 10_000
        return names, out
    rates = by_year(tr)
    names = names or list(tr.terms)
    return names, {n: rates[rates["term"] == n].set_index("year")[["per_10k"]].rename(columns={"per_10k": n})
                   for n in names}


def _shade(ax, periods: Periods, *, label: bool) -> list:
    """Shade ``periods`` behind ``ax`` (call after its x range is set); with ``label``, name each
    period above the part of it in that range (none if it lies outside). Returns the names drawn as
    ``(years shown, text)``."""
    lo, hi = ax.get_xlim()
    names = []
    for k, (name, start, end) in enumerate(periods):
        ax.axvspan(start - 0.5, end + 0.5, color=PERIOD_COLORS[k % 2], zorder=0, linewidth=0)
        left, right = max(start - 0.5, lo), min(end + 0.5, hi)
        if label and right > left:
            text = shorten(str(name), max(2, int(right - left - 1) // 2 + 2))
            names.append((right - left, ax.text((left + right) / 2, 1.0, text, transform=ax.get_xaxis_transform(),
                                                ha="center", va="bottom", fontsize=SMALL, color=NOTE_COLOR,
                                                clip_on=False)))
    return names


def first_last_text(used_years: list[int], *, short: bool = False) -> str:
    """What a panel's title says about first and last use (``short``: for a narrow panel).

    Example:
        >>> first_last_text([1955, 1964, 1986]), first_last_text([2021]), first_last_text([])
        ('首见 first 1955 · 末见 last 1986', '首见 first 2021 · 末见 last 2021', '未出现 not used')
        >>> first_last_text([1955, 1964, 1986], short=True), first_last_text([2021], short=True)
        ('首末 first–last 1955–1986', '首末 first–last 2021')
    """
    if not used_years:
        return "未出现 not used"
    first, last = min(used_years), max(used_years)
    if short:
        return f"首末 first–last {first}" + (f"–{last}" if last != first else "")
    return f"首见 first {first} · 末见 last {last}"


def _panel(ax, table: pd.DataFrame, doc_years: list[int], years: tuple[int, int]) -> list[int]:
    """Stacked bars (one colour per variant) at each year, grey dots where a document says nothing."""
    bottom = np.zeros(len(table))
    x = table.index.to_numpy(dtype=float)
    for k, col in enumerate(table.columns):
        vals = table[col].to_numpy(dtype=float)
        ax.bar(x, vals, bottom=bottom, width=0.8, color=VARIANT_COLORS[k % len(VARIANT_COLORS)], label=str(col),
               zorder=2)
        bottom += vals
    totals = pd.Series(bottom, index=table.index)
    zero = [y for y in doc_years if totals.get(y, 0) == 0]
    ax.plot(zero, [0] * len(zero), "o", color=MUTED_COLOR, markersize=4, zorder=3, clip_on=False)
    used = [int(y) for y, v in totals.items() if v > 0]
    top = float(bottom.max()) if len(bottom) and bottom.max() > 0 else 1.0
    ax.set_ylim(0, top * 1.25)
    ax.set_xlim(years[0] - 1.5, years[1] + 1.5)
    for year in sorted({min(used), max(used)}) if used else []:  # first and last use: dashed lines
        ax.axvline(year, color=NOTE_COLOR, linestyle="--", linewidth=1.2, zorder=1)
    ax.tick_params(labelsize=SMALL)
    despine(ax)
    return used


def _fit_titles(fig, titles: list[tuple]) -> bool:
    """Fit each panel title ``(axes, name, years used)`` to its panel: wider than the panel, it goes
    on two lines (the name, cut at a word if even it is too wide, then first and last use), and if
    still too wide, first and last use in short. Whether any title changed."""
    renderer = fig.canvas.get_renderer()
    changed = False
    for ax, name, used in titles:
        title = axes_titles(ax)[1]
        width = ax.get_window_extent(renderer).width
        room = int(width * 72 / fig.dpi / LABEL_SIZE)
        for text in (f"{shorten(name, max(4, room - 1))}\n{first_last_text(used)}",
                     f"{shorten(name, max(4, room - 1))}\n{first_last_text(used, short=True)}"):
            if title.get_window_extent(renderer).width <= width:
                break
            title.set_text(text)
            changed = True
    return changed


def textplot_watchwords(tr, terms: Sequence[str] | None = None, *, families: bool = False, periods: Periods = (),
                        subtitle: str | None = None, figsize=FIGSIZE):
    """One panel per term (or family) along the years: its rate per 10,000 characters each year,
    first and last use marked, optional shaded periods (e.g. leaders' terms). At most
    :data:`MAX_PANELS` panels, so every text stays readable on a slide; the footnote says how many
    more were asked for (draw them with ``terms=``, or all in :func:`textplot_watchword_heatmap`).

    Args:
        tr: a :class:`~analysis_utils.watchwords.Track`.
        terms: the terms (or families) to draw, in panel order (default: all of ``tr``).
        families: draw families, their variants stacked (formulation counts: each stretch of text
            once, so the stack is the family total).
        periods: ``(label, first year, last year)`` spans to shade behind every panel.

    Returns:
        A matplotlib figure (panels share the year axis).
    """
    use_chinese_font()
    names, tables = _year_tables(tr, list(terms) if terms else None, families)
    left, names = max(0, len(names) - MAX_PANELS), names[:MAX_PANELS]
    doc_years = sorted({int(y) for y in tr.documents["year"].dropna()})
    n = max(1, len(names))
    ncols = 1 if n <= 4 else 2 if n <= 8 else 3
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, sharex=True, squeeze=False)
    span = (min(doc_years), max(doc_years)) if doc_years else (0, 1)
    titles, period_names = [], []
    for k, ax in enumerate(axes.flat):
        if k >= len(names):
            ax.set_visible(False)
            continue
        name = names[k]
        used = _panel(ax, tables[name], doc_years, span)
        if periods:
            period_names += _shade(ax, periods, label=k < ncols)
        ax.set_title(f"{name}　{first_last_text(used)}", fontsize=LABEL_SIZE, loc="left",
                     pad=22 if periods and k < ncols else 6)
        titles.append((ax, name, used))
        if k + ncols >= len(names):  # the last panel of its column: years under it
            ax.tick_params(labelbottom=True)
        if families and tables[name].shape[1] > 1:
            ax.legend(fontsize=SMALL, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    count = FORMULATION_COUNT_LABEL if families else SUBSTRING_COUNT_LABEL
    what = ("提法家族走势", "formulation families across the years") if families else ("提法走势", "watchwords across the years")
    fig.suptitle(f"{what[0]} · {what[1]}" + (f"\n{subtitle}" if subtitle else ""), fontsize=LABEL_SIZE + 3, x=0.01,
                 ha="left")
    note = GAP_NOTE + (f"\n另有 {left} 个未画出（每图最多 {MAX_PANELS} 幅；见热力图或表格）· "
                       f"{left} more not drawn (at most {MAX_PANELS} panels; see the heatmap or the table)" if left else "")
    fig.text(0.99, 0.005, note, ha="right", va="bottom", fontsize=SMALL, color=NOTE_COLOR)
    label = fig.supylabel(per_10k_label(count), fontsize=LABEL_SIZE)
    rect = (0.03, 0.02 + 0.035 * note.count("\n") + 0.035, 1, 1)
    fig.tight_layout(rect=rect)
    if _fit_titles(fig, titles):
        fig.tight_layout(rect=rect)
    label.set_y((rect[1] + axes[0, 0].get_position().y1) / 2)  # beside the panels, clear of the notes
    # no two period names overlapping: the longest periods keep theirs
    thin_texts([t for _, t in sorted(period_names, key=lambda p: -p[0])])
    fit_ticks(fig)
    return fig


def textplot_watchword_heatmap(tr, terms: Sequence[str] | None = None, *, subtitle: str | None = None,
                               figsize=FIGSIZE):
    """Many terms × the corpus's years: the rate per 10,000 characters in each cell (only years with
    a document are columns; a blank cell is a document that does not use the term)."""
    from ..watchwords import by_year

    use_chinese_font()
    rates = by_year(tr)
    names = list(terms) if terms else list(tr.terms)
    years = sorted({int(y) for y in tr.documents["year"].dropna()})
    mat = rates.pivot_table(index="term", columns="year", values="per_10k", aggfunc="sum")
    mat = mat.reindex(index=names, columns=years).fillna(0.0)
    fig, ax = plt.subplots(figsize=figsize)
    values = mat.to_numpy()
    shown = np.ma.masked_where(values <= 0, values)
    positive = values[values > 0]
    vmax = float(np.percentile(positive, 95)) if positive.size else 1.0  # one outlier year does not wash out the rest
    capped = positive.size > 0 and vmax < positive.max()
    im = ax.imshow(shown, aspect="auto", cmap=HEAT_CMAP, interpolation="nearest", vmin=0, vmax=vmax)
    ax.set_facecolor("#ffffff")
    cell_grid(ax, len(names), len(years))
    ax.set_yticks(np.arange(len(names)), [shorten(t, 12) for t in names], fontsize=LABEL_SIZE if len(names) <= 15 else SMALL)
    ax.set_xticks(np.arange(len(years)), [str(y) for y in years], fontsize=SMALL, rotation=90)
    cb = fig.colorbar(im, ax=ax, fraction=0.03, pad=0.01, extend="max" if capped else "neither")
    cb.set_label(per_10k_label(SUBSTRING_COUNT_LABEL), fontsize=SMALL)
    cb.ax.tick_params(labelsize=SMALL)
    # the cap first: a subtitle too wide for the figure is cut at its end, and the cap is the number
    note = (f"最深 ≥ {vmax:.1f} · darkest ≥ {vmax:.1f}；" if capped else "") + "只列语料中有文件的年份 · only the years with a document"
    set_title(ax, "提法 × 年份", "watchwords × years", subtitle or note)
    fig.tight_layout()
    fit_ticks(fig)
    return fig


def _dumbbells(ax, d: pd.DataFrame, color: str, title: str, xmax: float) -> None:
    y = np.arange(len(d))[::-1]
    for yi, (a, b) in zip(y, zip(d["per_10k_before"], d["per_10k_after"])):
        ax.plot([a, b], [yi, yi], color=tint(color, 0.5), linewidth=2.5, zorder=1)
    ax.scatter(d["per_10k_before"], y, color=MUTED_COLOR, s=55, zorder=2, label="前期 before")
    ax.scatter(d["per_10k_after"], y, color=color, s=55, zorder=3, label="后期 after")
    ax.set_yticks(y, [shorten(t, 10) for t in d["term"]], fontsize=LABEL_SIZE if len(d) <= 15 else SMALL)
    ax.set_xlim(0, xmax * 1.08)
    ax.set_title(title, fontsize=LABEL_SIZE, loc="left")
    ax.tick_params(axis="x", labelsize=SMALL)
    despine(ax)


def textplot_risers_fallers(table: pd.DataFrame, *, top_n: int = 15, subtitle: str | None = None, figsize=FIGSIZE):
    """The formulations that rose most (left) and fell most (right) between two periods: each a grey
    dot (rate before) joined to a coloured one (rate after); ranked by G²
    (:func:`~analysis_utils.watchwords.risers_fallers`)."""
    use_chinese_font()
    rise = table[table["g2"] > 0].head(top_n)
    fall = table[table["g2"] < 0].sort_values("g2", kind="mergesort").head(top_n)
    fig, axes = plt.subplots(1, 2, figsize=figsize)
    xmax = float(max([1.0, *rise[["per_10k_before", "per_10k_after"]].to_numpy().ravel(),
                      *fall[["per_10k_before", "per_10k_after"]].to_numpy().ravel()]))
    before, after = table.attrs.get("label_before", ""), table.attrs.get("label_after", "")
    for ax, d, color, title in ((axes[0], rise, TARGET_COLOR, "上升 rose"), (axes[1], fall, REFERENCE_COLOR, "下降 fell")):
        if d.empty:
            ax.text(0.5, 0.5, "无 none", ha="center", va="center", transform=ax.transAxes, fontsize=LABEL_SIZE)
            ax.set_axis_off()
            continue
        _dumbbells(ax, d, color, title, xmax)
    handles, _ = axes[0].get_legend_handles_labels() if not rise.empty else axes[1].get_legend_handles_labels()
    if handles:
        fig.legend(handles, [f"前期 before: {before}", f"后期 after: {after}"], loc="lower right", ncol=2,
                   fontsize=SMALL, frameon=False)
    fig.text(0.01, 0.01, per_10k_label(SUBSTRING_COUNT_LABEL), ha="left", va="bottom", fontsize=SMALL)
    fig.suptitle("升降最多的提法 · formulations that rose and fell most" + (f"\n{subtitle}" if subtitle else ""),
                 fontsize=LABEL_SIZE + 3, x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fit_ticks(fig)
    return fig
