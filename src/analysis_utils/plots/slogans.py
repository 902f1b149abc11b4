"""Figures for notebook 03 (slogan counting): slide-ready, bilingual, readable Chinese labels.

Every function takes a table made by :mod:`analysis_utils.slogans`, draws on a new 16:9
figure and returns it (save it with :func:`analysis_utils.save_fig`). Call
:func:`analysis_utils.setup_notebook` first so Chinese renders.

Example:
    >>> counts = slogan_counts(speech, kinds="number")  # doctest: +SKIP
    >>> fig = plot_top_slogans(counts, kind="number")  # doctest: +SKIP
    >>> save_fig(fig, speech.id, "03_number_slogans")  # doctest: +SKIP
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from ..plots.fonts import use_chinese_font
from ..slogans import KIND_LABELS, TITLE_TYPES
from ..plots.labels import shorten
from ..plots.terms import HEAT_CMAP, wrap_label

FIGSIZE = (13.33, 7.5)
LABEL_SIZE = 12
SMALL = 11
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


def _title(ax, zh: str, en: str, subtitle: str | None = None, pad: int = 12) -> None:
    ax.set_title(f"{zh} · {en}" + (f"\n{subtitle}" if subtitle else ""), fontsize=15, loc="left", pad=pad)


def _clean(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _group(detail: str) -> str:
    """The legend group of a ``detail`` value (number rules lose their ', in quotes')."""
    return str(detail).split(",")[0].strip()


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=14, color="#666666", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_visible(False)


# ----------------------------------------------------------------------- top slogans
def plot_top_slogans(
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
        counts: the table of :func:`~analysis_utils.slogans.slogan_counts`.
        kind: the kind to draw (default: the first kind in the table).
        top_n: how many slogans.
        label_width: longer slogans are cut with ``…``.
    """
    use_chinese_font()
    kind = kind or (counts["kind"].iloc[0] if len(counts) else "number")
    df = counts[counts["kind"] == kind].head(top_n).reset_index(drop=True)
    zh, en = KIND_LABELS.get(kind, f"{kind} {kind}").split(" ", 1)
    fig, ax = plt.subplots(figsize=figsize)
    if df.empty:
        _empty(ax, f"没有找到{zh} · no {en} found")
        _title(ax, zh, en, subtitle)
        return fig
    groups = [_group(d) for d in df["detail"]]
    order = list(dict.fromkeys(sorted(groups, key=lambda g: (-groups.count(g), g))))
    colour = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(order)}
    y = np.arange(len(df))[::-1]
    ax.barh(y, df["count"], color=[colour[g] for g in groups], height=0.72)
    ax.set_yticks(y, [shorten(s, label_width) for s in df["slogan"]], fontsize=LABEL_SIZE if len(df) <= 25 else SMALL)
    xmax = float(df["count"].max())
    for yi, c in zip(y, df["count"]):
        ax.text(c + xmax * 0.008, yi, f"{int(c)}", va="center", ha="left", fontsize=SMALL)
    ax.set_xlim(0, xmax * 1.1)
    ax.set_ylim(-0.6, len(df) - 0.4)
    ax.set_xlabel("出现次数 count", fontsize=LABEL_SIZE)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="x", labelsize=SMALL)
    _clean(ax)
    if len(order) > 1 or kind in ("number", "lexicon", "title"):
        ax.legend(handles=[Patch(color=colour[g], label=DETAIL_LABELS.get(g, g)) for g in order[:8]],
                  loc="lower right", fontsize=SMALL, frameon=False)
    n_all = int((counts["kind"] == kind).sum())
    _title(ax, f"{zh} 前{len(df)}（共{n_all}个）", f"top {len(df)} {en} (of {n_all})", subtitle)
    fig.tight_layout()
    return fig


# ------------------------------------------------------------------ slogans × sections
def _section_tick(label: str, width: int = 8, *, tag_only: bool = False) -> str:
    label = str(label)
    if label.startswith(("开头", "结尾", "全文", "标题")):
        return label.split(" ")[0] if tag_only else label.replace(" ", "\n", 1)
    if tag_only and "、" in label[:4]:
        return label.split("、")[0]
    return wrap_label(label, width=width, lines=2)


def plot_slogans_by_section(
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
        by_section: the long table of :func:`~analysis_utils.slogans.slogans_by_section`.
    """
    use_chinese_font()
    slogans = list(dict.fromkeys(zip(by_section["slogan"], by_section["kind"])))
    secs = by_section.drop_duplicates("section")[["section", "label"]]
    fig, ax = plt.subplots(figsize=figsize)
    if not slogans:
        _empty(ax, "没有找到提法 · no slogans found")
        _title(ax, "提法在各部分的分布", "slogans by top-level section", subtitle)
        return fig
    idx = {s: i for i, s in enumerate(slogans)}
    col = {s: j for j, s in enumerate(secs["section"])}
    arr = np.zeros((len(slogans), len(secs)))
    for sl, k, sec, c in zip(by_section["slogan"], by_section["kind"], by_section["section"], by_section["count"]):
        arr[idx[(sl, k)], col[sec]] = c
    vmax = max(1.0, float(arr.max()))
    im = ax.imshow(arr, cmap=HEAT_CMAP, aspect="auto", vmin=0, vmax=vmax)
    kinds = list(dict.fromkeys(k for _, k in slogans))
    ax.set_yticks(range(len(slogans)), [shorten(s, label_width) for s, _ in slogans],
                  fontsize=LABEL_SIZE if len(slogans) <= 22 else SMALL)
    kind_colour = {k: KIND_COLOURS.get(k, "#222222") for k in kinds}
    if len(kinds) > 1:  # label colour = kind
        for tick, (_, k) in zip(ax.get_yticklabels(), slogans):
            tick.set_color(kind_colour[k])
    many = len(secs) > 6  # many sections: their numbers only (一, 二 …), the titles are in the section table
    ax.set_xticks(range(len(secs)), [_section_tick(lbl, section_width, tag_only=many) for lbl in secs["label"]],
                  fontsize=LABEL_SIZE if many else SMALL, rotation=0)
    ax.xaxis.tick_top()
    for i in range(arr.shape[0]):
        for j in range(arr.shape[1]):
            if arr[i, j]:
                ax.text(j, i, f"{int(arr[i, j])}", ha="center", va="center", fontsize=SMALL,
                        color="white" if arr[i, j] / vmax > 0.55 else "#222222")
    ax.set_xticks(np.arange(-0.5, len(secs)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(slogans)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="both", length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    cb = fig.colorbar(im, ax=ax, fraction=0.025, pad=0.015)
    cb.set_label("次数 count", fontsize=SMALL)
    cb.ax.tick_params(labelsize=SMALL)
    cb.ax.yaxis.get_major_locator().set_params(integer=True)
    if len(kinds) > 1:
        fig.legend(handles=[Patch(color=kind_colour[k], label=KIND_LABELS.get(k, k)) for k in kinds],
                   loc="lower left", ncol=len(kinds), fontsize=SMALL, frameon=False, bbox_to_anchor=(0.01, 0.0))
    en = "slogans by top-level section (number = count" + ("; label colour = kind)" if len(kinds) > 1 else ")")
    _title(ax, "提法在各部分的分布" + ("（列 = 一级标题序号）" if many else ""), en, subtitle, pad=14)
    fig.tight_layout(rect=(0, 0.04 if len(kinds) > 1 else 0, 1, 1))
    return fig


def _section_bands(ax, sections: pd.DataFrame, n: int, *, labels: bool = True) -> None:
    """Alternate grey/white bands for the sections along x (0 … 1 of the body)."""
    for i, (label, a, b) in enumerate(zip(sections["label"], sections["start"], sections["end"])):
        ax.axvspan(a / n, b / n, color=SECTION_SHADES[i % 2], zorder=0, lw=0)
        ax.axvline(a / n, color="#cccccc", lw=0.8, zorder=0)
        if labels:
            tag = str(label).split("、")[0].split(" ")[0]
            if (b - a) / n > 0.018:
                ax.text((a + b) / 2 / n, 1.01, tag, ha="center", va="bottom", fontsize=SMALL - 1, color="#555555",
                        transform=ax.get_xaxis_transform())


def plot_slogan_positions(
    hits: pd.DataFrame,
    sections: pd.DataFrame,
    body_length: int,
    *,
    top_n: int = 20,
    label_width: int = 14,
    subtitle: str | None = None,
    figsize=FIGSIZE,
):
    """Where each slogan occurs: one row per slogan (most frequent on top), a tick at every
    occurrence along the speech (0 = start, 1 = end), coloured by the section it falls in;
    grey and white bands are the top-level sections (labelled on top).

    Args:
        hits: a hit table (:func:`~analysis_utils.slogans.slogan_hits` or one kind's).
        sections: :func:`~analysis_utils.terms.section_table` of the speech.
        body_length: ``len(speech.body)``.
    """
    use_chinese_font()
    totals = hits.groupby("slogan", sort=False).size().reset_index(name="n")
    totals = totals.sort_values(["n", "slogan"], ascending=[False, True], kind="mergesort").head(top_n)
    names = list(totals["slogan"])
    fig, ax = plt.subplots(figsize=figsize)
    if not names:
        _empty(ax, "没有找到提法 · no slogans found")
        _title(ax, "提法的位置", "where the slogans occur", subtitle)
        return fig
    n = max(1, body_length)
    _section_bands(ax, sections, n)
    sec_ids = list(sections["section"])
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sec_ids)}
    for i, name in enumerate(names):
        h = hits[hits["slogan"] == name]
        y = len(names) - 1 - i
        ax.scatter(h["start"] / n, np.full(len(h), y), marker="|", s=380, linewidths=2,
                   c=[colour.get(s, "#444444") for s in h["section"]], zorder=3)
        ax.text(1.01, y, f"{len(h)}", va="center", ha="left", fontsize=SMALL, transform=ax.get_yaxis_transform())
    ax.set_yticks(range(len(names)), [shorten(s, label_width) for s in names[::-1]],
                  fontsize=LABEL_SIZE if len(names) <= 22 else SMALL)
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.set_xlim(0, 1)
    ax.set_xlabel("在讲话中的位置（0 = 开头，1 = 结尾） position in the speech (0 = start, 1 = end)", fontsize=LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=SMALL)
    ax.text(1.01, -0.045, "次数\nhits", fontsize=SMALL - 1, va="top", ha="left", transform=ax.transAxes, color="#444444")
    _clean(ax)
    _title(ax, "提法的位置（颜色 = 所在部分）", "where the slogans occur (colour = section)", subtitle, pad=26)
    fig.tight_layout()
    return fig


# ------------------------------------------------------------------ parallel structures
def parallel_label(frame: str, varying, width: int = 30) -> str:
    """``往…里走：深 / 实 / 心`` cut to ``width`` characters."""
    parts = " / ".join(shorten(v, 8) for v in varying)
    return shorten(f"{frame}：{parts}", width)


def plot_parallel_structures(
    par: pd.DataFrame,
    sections: pd.DataFrame,
    body_length: int,
    *,
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
        par: the table of :func:`~analysis_utils.slogans.parallel_structures`.
        sections: :func:`~analysis_utils.terms.section_table` of the speech.
        body_length: ``len(speech.body)``.
    """
    use_chinese_font()
    fig, ax = plt.subplots(figsize=figsize)
    if par.empty:
        _empty(ax, "没有找到排比 · no parallel structures found")
        _title(ax, "排比", "parallel structures", subtitle)
        return fig
    df = par.sort_values(["n_items", "start"], ascending=[False, True], kind="mergesort").head(top_n)
    df = df.sort_values("start", kind="mergesort").reset_index(drop=True)
    n = max(1, body_length)
    _section_bands(ax, sections, n)
    markers = {"sentence": "o", "paragraph": "s", "paragraphs": "^"}
    for i, row in df.iterrows():
        y = len(df) - 1 - i
        xs = np.array(row["positions"]) / n
        color = PALETTE[0] if row["scope"] == "sentence" else PALETTE[1] if row["scope"] == "paragraph" else PALETTE[2]
        ax.plot([xs.min(), xs.max()], [y, y], color=color, lw=1.2, zorder=2)
        ax.scatter(xs, np.full(len(xs), y), marker=markers.get(row["scope"], "o"), s=46, color=color, zorder=3)
        ax.text(1.01, y, f"{int(row['n_items'])}", va="center", ha="left", fontsize=SMALL, transform=ax.get_yaxis_transform())
    ax.set_yticks(range(len(df)), [parallel_label(f, v, label_width) for f, v in zip(df["frame"], df["varying"])][::-1],
                  fontsize=LABEL_SIZE if len(df) <= 18 else SMALL)
    ax.set_ylim(-0.7, len(df) - 0.3)
    ax.set_xlim(0, 1)
    ax.set_xlabel("在讲话中的位置（0 = 开头，1 = 结尾） position in the speech (0 = start, 1 = end)", fontsize=LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=SMALL)
    ax.text(1.01, -0.045, "项数\nitems", fontsize=SMALL - 1, va="top", ha="left", transform=ax.transAxes, color="#444444")
    handles = [plt.Line2D([], [], color=PALETTE[k], marker=m, lw=1.2, label=lab) for k, m, lab in
               ((0, "o", "句内 within a sentence"), (1, "s", "句间 across sentences"), (2, "^", "段首 paragraph openings"))
               if (df["scope"] == ("sentence", "paragraph", "paragraphs")[k]).any()]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, fontsize=SMALL, frameon=False)
    _clean(ax)
    shown = f"（显示项数最多的{len(df)}个，共{len(par)}个）" if len(par) > len(df) else f"（共{len(par)}个）"
    _title(ax, "排比" + shown, f"parallel structures ({len(df)} of {len(par)})", subtitle, pad=26)
    fig.tight_layout()
    return fig
