"""Figures of slogan counting (notebook 03): slide-ready, bilingual, readable Chinese labels.

Every function takes a table made by :mod:`analysis_utils.slogans`, draws on a new 16:9
figure and returns it (save it with :func:`analysis_utils.save_fig`). Call
:func:`analysis_utils.setup_notebook` first so Chinese renders.

Example:
    >>> from analysis_utils import load_speech, slogan_counts
    >>> from analysis_utils.config import SEED_SPEECH
    >>> speech = load_speech(SEED_SPEECH)
    >>> counts = slogan_counts(speech, kinds="number")
    >>> fig = textplot_top_slogans(counts, kind="number", top_n=3)
    >>> shown = [t.get_text() for t in fig.axes[0].get_yticklabels()]  # the top 3 and any tied with the third
    >>> shown[:3] == counts["slogan"].head(3).tolist(), len(shown) >= 3
    (True, True)
    >>> save_fig(fig, speech.id, "03_number_slogans")  # doctest: +SKIP
"""
from __future__ import annotations

import zlib

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from ..slogans import KIND_LABELS, TITLE_TYPES
from .style import (
    FIGSIZE,
    FORMULATION_COUNT_LABEL,
    HEAT_CMAP,
    LABEL_SIZE,
    NOTE_COLOR,
    POSITION_LABEL,
    POSITION_LABEL_2,
    SMALL,
    TEXT_COLOR,
    TITLE_SIZE,
    annotate_cells,
    axes_titles,
    cell_grid,
    cells_fit,
    colorbar,
    despine,
    empty_panel,
    fit_ticks,
    integer_ticks,
    label_room,
    overlap_note,
    room_for_notes,
    rows_that_fit,
    section_frame,
    set_title,
    shorten,
    slide_rows,
    thin_texts,
    tie_note,
    top_with_ties,
    use_chinese_font,
    wrap_label,
)

__all__ = [
    "DETAIL_LABELS", "KIND_COLOURS", "parallel_label",
    "textplot_top_slogans", "textplot_slogans_by_section", "textplot_slogan_positions", "textplot_parallel_structures",
]

PALETTE = ["#b8312f", "#3b6ea5", "#e08e2b", "#5a9367", "#7d5ba6", "#8c6d46", "#d16fa2", "#6c7a89", "#2aa3a3", "#a3a32a"]
SECTION_SHADES = ("#f3f3f3", "#ffffff")
KIND_COLOURS = {"number": "#b8312f", "lexicon": "#1f3b63", "quoted": "#8c6d46", "title": "#5a9367", "parallel": "#7d5ba6"}

#: How each detail value reads in a legend.
DETAIL_LABELS = {
    # number-slogan rules
    "lexicon": "词表 lexicon",
    "chained": "连缀式 chained",
    "five_year": "五年规划 five-year plan",
    "numbered_set": "数字+名目 numbered set",
    "quoted": "引号内 quoted",
    # quoted terms
    "term": "词语 term",
    "quotation": "引语 quotation",
    # lexicon categories
    "theory": "理论 theory",
    "party_building": "党建 Party building",
    "governance": "治理 governance",
    "economy": "经济 economy",
    "society": "社会民生 society",
    "ecology": "生态 ecology",
    "foreign": "外交 foreign policy",
    "defense": "国防 defence",
    "user": "用户 user",
    **TITLE_TYPES,
}


def detail_colour(group: str) -> str:
    """The colour of a detail group (rule, category, type): the same in every figure of every
    speech, whatever else the figure shows (known groups by their place in
    :data:`DETAIL_LABELS`, others by a checksum of the name).

    Example:
        >>> detail_colour("theory") == detail_colour("theory"), detail_colour("theory") != detail_colour("economy")
        (True, True)
    """
    known = list(DETAIL_LABELS)
    i = known.index(group) if group in known else zlib.crc32(group.encode("utf-8"))
    return PALETTE[i % len(PALETTE)]


def _group(detail: str) -> str:
    """The legend group of a ``detail`` value (number rules lose their ', in quotes')."""
    return str(detail).split(",")[0].strip()


def _position_axis(ax, n_rows: int, side_note: str) -> None:
    """The x axis of a "where in the speech" figure (0 … 1), rows ``0 … n_rows-1``, and the
    heading of the numbers written at the right of the rows."""
    ax.set_ylim(-0.7, n_rows - 0.3)
    ax.set_xlim(0, 1)
    narrow = label_room(ax) < 0.65  # long row labels: the axis label on two lines
    ax.set_xlabel(POSITION_LABEL_2 if narrow else POSITION_LABEL, fontsize=LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=SMALL)
    ax.annotate(side_note, (1, 0), xycoords="axes fraction", xytext=(SMALL, -4), textcoords="offset points",
                fontsize=SMALL, va="top", ha="left", color=NOTE_COLOR)  # right of the last tick label "1.0"


# ----------------------------------------------------------------------- top slogans
def textplot_top_slogans(
    counts: pd.DataFrame,
    *,
    kind: str | None = None,
    top_n: int = 20,
    label_width: int = 18,
    subtitle: str | None = None,
    figsize=FIGSIZE,
):
    """Horizontal bars of the most frequent slogans of one kind, the count on each bar,
    coloured by ``detail`` (rule, category or type) with a legend.

    Args:
        counts: the table of :func:`~analysis_utils.slogans.hits.slogan_counts`.
        kind: the kind to draw (default: the first kind in the table).
        top_n: how many slogans.
        label_width: longer slogans are cut with ``…``.

    Returns:
        A matplotlib figure: one bar per slogan, the most frequent on top.

    Example:
        >>> fig = textplot_top_slogans(slogan_counts(speech, kinds="lexicon"), kind="lexicon")  # doctest: +SKIP
    """
    use_chinese_font()
    kind = kind or (counts["kind"].iloc[0] if len(counts) else "number")
    of_kind = counts[counts["kind"] == kind].reset_index(drop=True)
    df, more = top_with_ties(of_kind, slide_rows(top_n), "formulation_count")
    left = max(0, min(top_n, len(of_kind)) - len(df) - more)
    zh, en = KIND_LABELS.get(kind, f"{kind} {kind}").split(" ", 1)
    fig, ax = plt.subplots(figsize=figsize)
    if df.empty:
        empty_panel(ax, f"没有找到{zh} · no {en} found")
        set_title(ax, zh, en, subtitle)
        return fig
    groups = [_group(d) for d in df["detail"]]
    order = list(dict.fromkeys(sorted(groups, key=lambda g: (-groups.count(g), g))))
    colour = {g: detail_colour(g) for g in order}
    y = np.arange(len(df))[::-1]
    ax.barh(y, df["formulation_count"], color=[colour[g] for g in groups], height=0.72)
    ax.set_yticks(y, [shorten(s, label_width) for s in df["slogan"]], fontsize=LABEL_SIZE if len(df) <= 25 else SMALL)
    xmax = float(df["formulation_count"].max())
    notes = [ax.text(c + xmax * 0.008, yi, f"{int(c)}", va="center", ha="left", fontsize=SMALL)
             for yi, c in zip(y, df["formulation_count"])]
    ax.set_xlim(0, xmax * 1.1)
    ax.set_ylim(-0.6, len(df) - 0.4)
    ax.set_xlabel(FORMULATION_COUNT_LABEL + overlap_note(counts), fontsize=LABEL_SIZE)
    integer_ticks(ax.xaxis)
    ax.tick_params(axis="x", labelsize=SMALL)
    despine(ax)
    if len(order) > 1 or kind in ("number", "lexicon", "title"):
        ax.legend(handles=[Patch(color=colour[g], label=DETAIL_LABELS.get(g, g)) for g in order[:8]],
                  loc="lower right", fontsize=SMALL, frameon=False)
    n_all = int((counts["kind"] == kind).sum())
    set_title(ax, f"{zh} 前{len(df)}（共{n_all}个）", f"top {len(df)} {en} (of {n_all})", subtitle)
    fig.tight_layout(rect=(0, 0.03 * (bool(more) + bool(left)), 1, 1))
    room_for_notes(ax, notes)
    tie_note(fig, more, df["formulation_count"].iloc[-1], left=left)
    fit_ticks(fig)
    return fig


# ------------------------------------------------------------------ slogans × sections
def _section_tick(label: str, width: int = 8, *, tag_only: bool = False) -> str:
    label = str(label)
    if label.startswith(("开头", "结尾", "全文", "标题")):
        return label.split(" ")[0] if tag_only else label.replace(" ", "\n", 1)
    if tag_only and "、" in label[:4]:
        return label.split("、")[0]
    return wrap_label(label, width=width, lines=2)


def _slogan_rows(ax, slogans: list[tuple[str, str]], label_width: int) -> dict[str, str]:
    """The slogans as row labels, coloured by kind when there are several kinds; returns kind → colour."""
    kinds = list(dict.fromkeys(k for _, k in slogans))
    ax.set_yticks(range(len(slogans)), [shorten(s, label_width) for s, _ in slogans],
                  fontsize=LABEL_SIZE if len(slogans) <= 22 else SMALL)
    kind_colour = {k: KIND_COLOURS.get(k, TEXT_COLOR) for k in kinds}
    if len(kinds) > 1:  # label colour = kind
        for tick, (_, k) in zip(ax.get_yticklabels(), slogans):
            tick.set_color(kind_colour[k])
    return kind_colour


def textplot_slogans_by_section(
    by_section: pd.DataFrame,
    *,
    subtitle: str | None = None,
    label_width: int = 14,
    section_width: int = 7,
    figsize=FIGSIZE,
):
    """Heatmap of slogans (rows, most frequent first) × top-level sections (columns, in
    speech order): colour and number = how often the slogan occurs in that section.

    Args:
        by_section: the long table of :func:`~analysis_utils.slogans.hits.slogans_by_section`.
        label_width: longer slogans are cut with ``…``.
        section_width: characters per line of the section labels.

    Returns:
        A matplotlib figure: one row per slogan, one column per section (more than six
        sections: their numbers only).

    Example:
        >>> fig = textplot_slogans_by_section(slogans_by_section(speech, hits))  # doctest: +SKIP
    """
    use_chinese_font()
    every = list(dict.fromkeys(zip(by_section["slogan"], by_section["kind"])))
    secs = by_section.drop_duplicates("section")[["section", "label"]]
    fig, ax = plt.subplots(figsize=figsize)
    # each row a line and a third of type high, under a title of up to four lines, column labels
    # of two and the legend of kinds; the rest of the rows are in the table
    room = rows_that_fit(fig, 4 * 1.3 * TITLE_SIZE + (1.3 if len(secs) > 6 else 2.6) * SMALL + 2 * SMALL)
    slogans = every[:min(slide_rows(len(every)), room)]
    by_section = by_section[by_section.set_index(["slogan", "kind"]).index.isin(slogans)]
    if not slogans:
        empty_panel(ax, "没有找到提法 · no slogans found")
        set_title(ax, "提法在各部分的分布", "slogans by top-level section", subtitle)
        return fig
    idx = {s: i for i, s in enumerate(slogans)}
    col = {s: j for j, s in enumerate(secs["section"])}
    arr = np.zeros((len(slogans), len(secs)))
    for sl, k, sec, c in zip(by_section["slogan"], by_section["kind"], by_section["section"], by_section["formulation_count"]):
        arr[idx[(sl, k)], col[sec]] = c
    vmax = max(1.0, float(arr.max()))
    im = ax.imshow(arr, cmap=HEAT_CMAP, aspect="auto", vmin=0, vmax=vmax)
    kind_colour = _slogan_rows(ax, slogans, label_width)
    many = len(secs) > 6  # many sections: their numbers only (一, 二 …), the titles are in the section table
    ax.set_xticks(range(len(secs)), [_section_tick(lbl, section_width, tag_only=many) for lbl in secs["label"]],
                  fontsize=LABEL_SIZE if many else SMALL, rotation=0)
    ax.xaxis.tick_top()
    numbers = cells_fit(fig, ax, len(slogans), len(secs), chars=len(f"{int(vmax)}") + 1)
    if numbers:
        annotate_cells(ax, [[f"{int(v)}" if v else "" for v in row] for row in arr], arr / vmax > 0.55, fontsize=SMALL)
    cell_grid(ax, len(slogans), len(secs))
    cb = colorbar(fig, im, ax, FORMULATION_COUNT_LABEL + overlap_note(by_section))
    integer_ticks(cb.ax.yaxis)
    if len(kind_colour) > 1:
        fig.legend(handles=[Patch(color=c, label=KIND_LABELS.get(k, k)) for k, c in kind_colour.items()],
                   loc="lower left", ncol=len(kind_colour), fontsize=SMALL, frameon=False, bbox_to_anchor=(0.01, 0.0))
    shown = "number" if numbers else "colour"
    en = f"slogans by top-level section ({shown} = formulation count" + ("; label colour = kind)" if len(kind_colour) > 1 else ")")
    zh = "提法在各部分的分布" + (f"（前{len(slogans)}个，共{len(every)}个）" if len(every) > len(slogans) else "")
    if len(every) > len(slogans):  # the rest are in the table
        en = f"top {len(slogans)} of {len(every)} " + en
    set_title(ax, zh + ("（列 = 一级标题序号）" if many else ""), en, subtitle, pad=14)
    fig.tight_layout(rect=(0, 0.07 if len(kind_colour) > 1 else 0, 1, 1))
    fit_ticks(fig)
    return fig


# --------------------------------------------------------------------- slogan positions
def _section_bands(ax, sections: pd.DataFrame, n: int, *, labels: bool = True) -> list:
    """Alternate grey/white bands for the sections along x (0 … 1 of the body); returns the
    section numbers written above them (for :func:`~analysis_utils.plots.style.thin_texts`)."""
    tags = []
    for i, (label, a, b) in enumerate(zip(sections["label"], sections["start"], sections["end"])):
        ax.axvspan(a / n, b / n, color=SECTION_SHADES[i % 2], zorder=0, lw=0)
        ax.axvline(a / n, color="#cccccc", lw=0.8, zorder=0)
        if labels:
            tag = str(label).split("、")[0].split(" ")[0]
            if (b - a) / n > 0.018:
                tags.append(ax.text((a + b) / 2 / n, 1.01, tag, ha="center", va="bottom", fontsize=SMALL,
                                    color="#555555", transform=ax.get_xaxis_transform()))
    return tags


def textplot_slogan_positions(
    hits: pd.DataFrame,
    *,
    sections,
    body_length: int,
    top_n: int = 20,
    label_width: int = 14,
    subtitle: str | None = None,
    figsize=FIGSIZE,
):
    """Where each slogan occurs: one row per slogan (most frequent on top), a tick at every
    occurrence along the speech (0 = start, 1 = end), coloured by the section it falls in;
    grey and white bands are the top-level sections (labelled on top).

    Args:
        hits: a hit table (:func:`~analysis_utils.slogans.hits.slogan_hits` or one kind's).
        sections: the speech's :class:`~analysis_utils.outline.parts.Sections` (or its
            ``section_table``).
        body_length: ``len(speech.body)``.
        top_n: how many slogans (the most frequent).
        label_width: longer slogans are cut with ``…``.

    Returns:
        A matplotlib figure: one row per slogan, its number of hits at the right.

    Example:
        >>> fig = textplot_slogan_positions(hits, sections=secs, body_length=len(speech.body))  # doctest: +SKIP
    """
    use_chinese_font()
    sections = section_frame(sections)
    totals = hits.groupby("slogan", sort=False).size().reset_index(name="n")
    totals = totals.sort_values(["n", "slogan"], ascending=[False, True], kind="mergesort")
    left = max(0, min(top_n, len(totals)) - slide_rows(top_n))
    totals = totals.head(slide_rows(top_n))
    names = list(totals["slogan"])
    fig, ax = plt.subplots(figsize=figsize)
    if not names:
        empty_panel(ax, "没有找到提法 · no slogans found")
        set_title(ax, "提法的位置", "where the slogans occur", subtitle)
        return fig
    n = max(1, body_length)
    tags = _section_bands(ax, sections, n)
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sections["section"])}
    for i, name in enumerate(names):
        h = hits[hits["slogan"] == name]
        y = len(names) - 1 - i
        ax.scatter(h["start"] / n, np.full(len(h), y), marker="|", s=380, linewidths=2,
                   c=[colour.get(s, "#444444") for s in h["section"]], zorder=3)
        ax.text(1.01, y, f"{len(h)}", va="center", ha="left", fontsize=SMALL, transform=ax.get_yaxis_transform())
    ax.set_yticks(range(len(names)), [shorten(s, label_width) for s in names[::-1]],
                  fontsize=LABEL_SIZE if len(names) <= 22 else SMALL)
    _position_axis(ax, len(names), "次数\nhits")
    despine(ax)
    set_title(ax, "提法的位置（颜色 = 所在部分）", "where the slogans occur (colour = section)", subtitle, pad=26)
    fig.tight_layout(rect=(0, 0.03 if left else 0, 1, 1))
    tie_note(fig, 0, 0, left=left)
    thin_texts(tags, avoid=axes_titles(ax))  # section numbers never on top of each other
    fit_ticks(fig)
    return fig


# ------------------------------------------------------------------ parallel structures
def parallel_label(frame: str, varying, width: int = 30) -> str:
    """``往…里走：深 / 实 / 心`` cut to ``width`` characters.

    Example:
        >>> parallel_label("往…里走", ["深", "实", "心"])
        '往…里走：深 / 实 / 心'
    """
    parts = " / ".join(shorten(v, 8) for v in varying)
    return shorten(f"{frame}：{parts}", width)


#: Scope of a parallel structure → (colour, marker, legend label).
_SCOPES = {
    "sentence": (PALETTE[0], "o", "句内 within a sentence"),
    "paragraph": (PALETTE[1], "s", "句间 across sentences"),
    "paragraphs": (PALETTE[2], "^", "段首 paragraph openings"),
}


def textplot_parallel_structures(
    par: pd.DataFrame,
    *,
    sections,
    body_length: int,
    top_n: int = 20,
    label_width: int = 30,
    subtitle: str | None = None,
    figsize=FIGSIZE,
):
    """The parallel structures (排比) along the speech: one row per structure (label: its
    frame and varying parts), a dot at each item, joined by a line; marker by scope
    (within a sentence ●, across sentences ■, across paragraphs ▲). With more than
    ``top_n`` structures, those with the most items are shown.

    Args:
        par: the table of :func:`~analysis_utils.slogans.hits.parallel_structures`.
        sections: the speech's :class:`~analysis_utils.outline.parts.Sections` (or its
            ``section_table``).
        body_length: ``len(speech.body)``.
        top_n: how many structures at most.
        label_width: longer labels are cut with ``…``.

    Returns:
        A matplotlib figure: one row per structure, its number of items at the right.

    Example:
        >>> par = parallel_structures(speech)  # doctest: +SKIP
        >>> fig = textplot_parallel_structures(par, sections=secs, body_length=len(speech.body))  # doctest: +SKIP
    """
    use_chinese_font()
    fig, ax = plt.subplots(figsize=figsize)
    if par.empty:
        empty_panel(ax, "没有找到排比 · no parallel structures found")
        set_title(ax, "排比", "parallel structures", subtitle)
        return fig
    df = par.sort_values(["n_items", "start"], ascending=[False, True], kind="mergesort").head(slide_rows(top_n))
    df = df.sort_values("start", kind="mergesort").reset_index(drop=True)
    n = max(1, body_length)
    tags = _section_bands(ax, section_frame(sections), n)
    for i, row in df.iterrows():
        y = len(df) - 1 - i
        xs = np.array(row["positions"]) / n
        color, marker, _ = _SCOPES.get(row["scope"], (PALETTE[2], "o", ""))
        ax.plot([xs.min(), xs.max()], [y, y], color=color, lw=1.2, zorder=2)
        ax.scatter(xs, np.full(len(xs), y), marker=marker, s=46, color=color, zorder=3)
        ax.text(1.01, y, f"{int(row['n_items'])}", va="center", ha="left", fontsize=SMALL, transform=ax.get_yaxis_transform())
    ax.set_yticks(range(len(df)), [parallel_label(f, v, label_width) for f, v in zip(df["frame"], df["varying"])][::-1],
                  fontsize=LABEL_SIZE if len(df) <= 18 else SMALL)
    _position_axis(ax, len(df), "项数\nitems")
    handles = [plt.Line2D([], [], color=c, marker=m, lw=1.2, label=lab) for scope, (c, m, lab) in _SCOPES.items()
               if (df["scope"] == scope).any()]
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=SMALL, frameon=False)
    despine(ax)
    shown = f"（显示项数最多的{len(df)}个，共{len(par)}个）" if len(par) > len(df) else f"（共{len(par)}个）"
    set_title(ax, "排比" + shown, f"parallel structures ({len(df)} of {len(par)})", subtitle, pad=26)
    fig.tight_layout(rect=(0, 0.06, 1, 1))  # the legend below
    thin_texts(tags, avoid=axes_titles(ax))  # section numbers never on top of each other
    fit_ticks(fig)
    return fig


# deprecated aliases, kept for one release (the notebooks call these names, with sections
# and body_length as positional arguments)
plot_top_slogans = textplot_top_slogans  # deprecated alias, kept for one release
plot_slogans_by_section = textplot_slogans_by_section  # deprecated alias, kept for one release


def plot_slogan_positions(hits, sections, body_length, **kwargs):  # deprecated alias, kept for one release
    return textplot_slogan_positions(hits, sections=sections, body_length=body_length, **kwargs)


def plot_parallel_structures(par, sections, body_length, **kwargs):  # deprecated alias, kept for one release
    return textplot_parallel_structures(par, sections=sections, body_length=body_length, **kwargs)
