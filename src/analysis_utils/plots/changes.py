"""Figures of what changed between two texts (a :class:`~analysis_utils.changes.Diff`).

* :func:`textplot_formulation_changes`: the new formulations (left, their substring count in
  the new text) and the dropped ones (right, their count in the old text), for a slide;
* :func:`textplot_term_changes`: the terms that rose and fell most (keyness of new against
  old, token counts);
* :func:`textplot_section_slope`: the two outlines side by side, each part at its place with its
  share of the text, matched parts joined: which parts grew, which moved, which are new or gone.

Example:
    >>> from analysis_utils import speech_from_text
    >>> from analysis_utils.changes import diff
    >>> d = diff(speech_from_text("一、稳增长\\n坚持新发展理念。", path="a.txt"),
    ...          speech_from_text("一、稳增长\\n推进中国式现代化。坚持新发展理念。", path="b.txt"), terms=False)
    >>> fig = textplot_formulation_changes(d)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['中国式现代化']
"""
from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd

from .style import (
    FIGSIZE,
    LABEL_SIZE,
    MUTED_COLOR,
    NOTE_COLOR,
    REFERENCE_COLOR,
    SMALL,
    SUBSTRING_COUNT_LABEL,
    TARGET_COLOR,
    TEXT_COLOR,
    TITLE_SIZE,
    TOKEN_COUNT_LABEL,
    axes_titles,
    despine,
    empty_panel,
    fit_ticks,
    integer_ticks,
    more_rows_text,
    room_for_notes,
    shorten,
    slide_rows,
    use_chinese_font,
)

_NOTE_RE = re.compile(r"[（(]([^（）()]{1,12})[）)]\s*$")
NEW_COLOR = "#2e7d32"      # green: new in the new text
DROPPED_COLOR = TARGET_COLOR  # red: gone from the old text


def _names(d) -> tuple[str, str]:
    """Short names of the two texts: the note in brackets that ends their titles (``…新局面 (十六大)``
    → ``十六大``) and their dates, either alone when only one is known, else their titles cut short,
    else their ids.

    Example:
        >>> from types import SimpleNamespace
        >>> d = SimpleNamespace(meta=lambda side: {"date": None, "id": side, "title": "全面建设小康社会 (十六大)"})
        >>> _names(d)
        ('十六大', '十六大')
        >>> _names(SimpleNamespace(meta=lambda side: {"date": "2002-11-08", "id": side, "title": "报告 (十六大)"}))
        ('十六大 2002-11-08', '十六大 2002-11-08')
    """
    def name(side: str) -> str:
        m = d.meta(side)
        title = str(m["title"] or "")
        note = _NOTE_RE.search(title)
        if note:
            return f"{note.group(1)} {m['date']}" if m["date"] else note.group(1)
        return str(m["date"] or (shorten(title, 10) if title else m["id"]))
    return name("old"), name("new")


def _bar_panel(ax, rows: pd.DataFrame, values: str, color: str, title: str, empty: str) -> list:
    """One side of the formulation chart; returns the count notes written after the bars."""
    if rows.empty:
        empty_panel(ax, empty)
        ax.set_title(title, fontsize=LABEL_SIZE, loc="left")
        return []
    rows = rows.iloc[::-1]
    ax.barh(range(len(rows)), rows[values], color=color)
    ax.set_yticks(range(len(rows)), [shorten(str(t), 12) for t in rows["term"]], fontsize=LABEL_SIZE)
    notes = [ax.text(v, k, f" {v}", va="center", fontsize=SMALL, color=TEXT_COLOR) for k, v in enumerate(rows[values])]
    ax.set_xlabel(SUBSTRING_COUNT_LABEL, fontsize=LABEL_SIZE)
    ax.set_xlim(0, max(rows[values]) * 1.18)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    integer_ticks(ax.xaxis)
    ax.tick_params(axis="x", labelsize=SMALL)
    ax.set_title(title, fontsize=LABEL_SIZE, loc="left")
    despine(ax)
    return notes


def _top(f: pd.DataFrame, change: str, column: str, top_n: int) -> pd.DataFrame:
    rows = f[f["change"] == change]
    return rows.sort_values([column, "term"], ascending=[False, True], kind="mergesort").head(top_n)


def _left(top_n: int, *sides: tuple[int, pd.DataFrame]) -> int:
    """How many rows, of the ``top_n`` asked for on each side, a side of ``(rows it has, rows drawn)``
    leaves to the table because a slide holds at most :data:`~analysis_utils.plots.style.MAX_ROWS`."""
    return sum(max(0, min(top_n, n) - len(drawn)) for n, drawn in sides)


def _lay_out(fig, notes: list[list], names: tuple[str, str], foot_lines: int, *, same_scale: bool = False) -> None:
    """Lay the two-panel chart out above its ``foot_lines``-line footnote: a panel title that would
    reach past the figure's right edge puts the name of its text (``names``, one per panel) on a
    second line; each side's x range leaves room for its count notes (``same_scale``: both sides
    take the wider one)."""
    rect = (0, 0.012 + 0.033 * foot_lines, 1, 1)
    fig.tight_layout(rect=rect)
    renderer = fig.canvas.get_renderer()
    titles = [(axes_titles(ax)[1], name) for ax, name in zip(fig.axes, names)]
    wide = [(t, name) for t, name in titles if t.get_window_extent(renderer).x1 > fig.bbox.x1]
    for t, name in wide:
        t.set_text(t.get_text().removesuffix(f" {name}") + f"\n{name}")
    if wide:
        fig.tight_layout(rect=rect)
    drawn = [(ax, texts) for ax, texts in zip(fig.axes, notes) if texts]
    for ax, texts in drawn:
        room_for_notes(ax, texts)
    if same_scale and drawn:
        top = max(ax.get_xlim()[1] for ax, _ in drawn)
        for ax, _ in drawn:
            ax.set_xlim(0, top)
    fit_ticks(fig)


def textplot_formulation_changes(d, *, top_n: int = 15, figsize=FIGSIZE):
    """New and dropped formulations: left, the ``top_n`` formulations (lexicon phrases, number
    slogans, quoted terms, 《》 titles) the new text has and the old does not, bar = their
    substring count in the new text; right, those the old text had and the new one dropped,
    bar = their substring count in the old text. At most :data:`~analysis_utils.plots.style.MAX_ROWS`
    on each side (a slide's worth); the footnote says how many more the table has.

    Args:
        d: a :class:`~analysis_utils.changes.Diff`.
        top_n: formulations on each side (most frequent first).
    """
    use_chinese_font()
    old, new = _names(d)
    f = d.formulations
    n_new, n_dropped = int((f["change"] == "new").sum()), int((f["change"] == "dropped").sum())
    shown_new = _top(f, "new", "substring_count_new", slide_rows(top_n))
    shown_dropped = _top(f, "dropped", "substring_count_old", slide_rows(top_n))
    fig, axes = plt.subplots(1, 2, figsize=figsize)
    notes = [_bar_panel(axes[0], shown_new, "substring_count_new", NEW_COLOR, f"新增 new in {new}",
                        "没有新增提法 · no new formulations"),
             _bar_panel(axes[1], shown_dropped, "substring_count_old", DROPPED_COLOR, f"删去 dropped since {old}",
                        "没有删去的提法 · no dropped formulations")]
    fig.suptitle(f"新提法与删去的提法 · new and dropped formulations ({old} → {new})", fontsize=TITLE_SIZE, x=0.01, ha="left")
    foot = [f"共新增 {n_new} 个、删去 {n_dropped} 个（词表提法、数字提法、引号词语、书名号）",
            f"{n_new} new, {n_dropped} dropped (lexicon formulations, number slogans, quoted terms, titles)"]
    left = _left(top_n, (n_new, shown_new), (n_dropped, shown_dropped))
    foot += [more_rows_text(left)] if left else []
    fig.text(0.01, 0.012, "\n".join(foot), fontsize=SMALL, color=NOTE_COLOR)
    _lay_out(fig, notes, (new, old), len(foot))
    return fig


def _term_panel(ax, rows: pd.DataFrame, color: str, title: str, xmax: float) -> list:
    """One side of the term chart; returns the count notes written after the bars."""
    if rows.empty:
        empty_panel(ax, "没有显著变化 · none significant")
        ax.set_title(title, fontsize=LABEL_SIZE, loc="left")
        return []
    rows = rows.iloc[::-1]
    g2 = rows["g2"].abs()
    ax.barh(range(len(rows)), g2, color=color)
    ax.set_yticks(range(len(rows)), [shorten(str(t), 10) for t in rows["term"]], fontsize=LABEL_SIZE)
    notes = [ax.text(v, k, f" {a}→{b}", va="center", fontsize=SMALL, color=TEXT_COLOR)
             for k, (v, a, b) in enumerate(zip(g2, rows["token_count_old"], rows["token_count_new"]))]
    ax.set_xlim(0, xmax * 1.3)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel("G²（越大越确定 · larger = surer）", fontsize=LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=SMALL)
    ax.set_title(title, fontsize=LABEL_SIZE, loc="left")
    despine(ax)
    return notes


def textplot_term_changes(d, *, top_n: int = 15, figsize=FIGSIZE):
    """Rising and falling terms: the ``top_n`` terms the new text uses significantly more than the
    old one (left) and less (right), bar = G² (keyness of new against old), label = token counts
    old → new. At most :data:`~analysis_utils.plots.style.MAX_ROWS` on each side; the footnote
    says how many more the table has."""
    use_chinese_font()
    old, new = _names(d)
    t = d.terms
    ups, downs = t[t["change"] == "up"], t[t["change"] == "down"]
    up = ups.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort").head(slide_rows(top_n))
    down = downs.sort_values(["g2", "term"], kind="mergesort").head(slide_rows(top_n))
    xmax = max([float(x["g2"].abs().max()) for x in (up, down) if len(x)] + [1.0])
    fig, axes = plt.subplots(1, 2, figsize=figsize)
    notes = [_term_panel(axes[0], up, NEW_COLOR, f"上升 more in {new}", xmax),
             _term_panel(axes[1], down, REFERENCE_COLOR, f"下降 less than in {old}", xmax)]
    fig.suptitle(f"用词升降 · terms that rose and fell ({old} → {new})", fontsize=TITLE_SIZE, x=0.01, ha="left")
    foot = [f"标注：{TOKEN_COUNT_LABEL} 旧→新，p < 0.05 · label: {TOKEN_COUNT_LABEL} old→new, p < 0.05"]
    left = _left(top_n, (len(ups), up), (len(downs), down))
    foot += [more_rows_text(left)] if left else []
    fig.text(0.01, 0.012, "\n".join(foot), fontsize=SMALL, color=NOTE_COLOR)
    _lay_out(fig, notes, (new, old), len(foot), same_scale=True)
    return fig


_STATUS_COLORS = {"same": MUTED_COLOR, "changed": "#555555", "moved": REFERENCE_COLOR, "new": NEW_COLOR,
                  "dropped": DROPPED_COLOR}
_STATUS_NAMES = {"same": "相同 same", "changed": "改写 changed", "moved": "移动 moved", "new": "新增 new",
                 "dropped": "删去 dropped"}


def textplot_section_slope(d, *, width: int = 14, figsize=FIGSIZE):
    """The two outlines as a slope chart: each part of the old text (left) and the new (right) in
    its order, labelled with its heading and its share of the text; matched parts joined by a line
    (blue: moved out of the order of the others), new parts green, dropped parts red. A part that
    grew has a larger share on the right.

    Args:
        d: a :class:`~analysis_utils.changes.Diff`.
        width: heading labels are cut to about this many characters (at word boundaries).
    """
    use_chinese_font()
    old, new = _names(d)
    s = d.sections
    fig, ax = plt.subplots(figsize=figsize)
    o_order = {int(r): k for k, r in enumerate(sorted(s["old_rank"].dropna().astype(int)))}
    n_order = {int(r): k for k, r in enumerate(sorted(s["new_rank"].dropna().astype(int)))}
    rows = max(len(o_order), len(n_order), 1)
    for r in s.itertuples():
        color = _STATUS_COLORS[r.status]
        yo = o_order.get(int(r.old_rank)) if pd.notna(r.old_rank) else None
        yn = n_order.get(int(r.new_rank)) if pd.notna(r.new_rank) else None
        if yo is not None and yn is not None:
            ax.plot([0, 1], [yo, yn], color=color, linewidth=1.5 + 0.15 * max(r.old_share, r.new_share) / 2)
        if yo is not None:
            ax.scatter([0], [yo], s=30 + 6 * r.old_share, color=color, zorder=3)
            ax.text(-0.07, yo, f"{shorten(str(r.old_heading), width)}  {r.old_share:.1f}%", ha="right", va="center",
                    fontsize=SMALL, color=color if r.status == "dropped" else TEXT_COLOR)
        if yn is not None:
            ax.scatter([1], [yn], s=30 + 6 * r.new_share, color=color, zorder=3)
            ax.text(1.07, yn, f"{r.new_share:.1f}%  {shorten(str(r.new_heading), width)}", ha="left", va="center",
                    fontsize=SMALL, color=color if r.status == "new" else TEXT_COLOR)
    ax.set_xlim(-1.25, 2.25)
    ax.set_ylim(rows - 0.5, -1.2)
    ax.text(0, -0.9, old, ha="center", fontsize=LABEL_SIZE)
    ax.text(1, -0.9, new, ha="center", fontsize=LABEL_SIZE)
    ax.axis("off")
    for status in ("same", "changed", "moved", "new", "dropped"):
        ax.plot([], [], color=_STATUS_COLORS[status], linewidth=3, label=_STATUS_NAMES[status])
    ax.legend(loc="lower center", ncol=5, fontsize=SMALL, frameon=False, bbox_to_anchor=(0.5, -0.08))
    fig.suptitle(f"结构对照 · the parts matched ({old} → {new})", fontsize=TITLE_SIZE, x=0.01, ha="left")
    fig.text(0.01, 0.012, "百分比 = 占全文汉字 · % = share of the text's Chinese characters; 圆点大小 = 占比 · dot size = share",
             fontsize=SMALL, color=NOTE_COLOR)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig
