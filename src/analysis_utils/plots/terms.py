"""Figures of term frequency (notebook 02): slide-ready, bilingual, readable Chinese labels.

Every function takes the tidy table of the matching analysis in :mod:`analysis_utils.stats`
(``term_frequency``, ``pos_breakdown``, ``section_frequency``, ``keyness``, ``dispersion``),
draws on a new 16:9 figure and returns it (save it with :func:`analysis_utils.save_fig`).
Call :func:`analysis_utils.setup_notebook` (or :func:`analysis_utils.use_chinese_font`)
first so Chinese renders.

Example:
    >>> from analysis_utils import Tokenizer, load_speech, term_frequency
    >>> from analysis_utils.config import SEED_SPEECH
    >>> speech = load_speech(SEED_SPEECH)
    >>> freq = term_frequency(Tokenizer().tokens(speech), speech=speech)
    >>> fig = textplot_top_terms(freq, top_n=5)
    >>> shown = [t.get_text() for t in fig.axes[0].get_yticklabels()]  # the top 5 and any tied with the fifth
    >>> shown[:5] == freq["term"].head(5).tolist(), len(shown) >= 5
    (True, True)
    >>> save_fig(fig, speech.id, "02_top_terms")  # doctest: +SKIP
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from .style import (
    BAR_COLOR,
    FIGSIZE,
    LABEL_SIZE,
    MAX_ROWS,
    MIN_RATE_CHARS,
    MUTED_COLOR,
    NOTE_COLOR,
    POSITION_LABEL,
    REFERENCE_COLOR,
    SMALL,
    TARGET_COLOR,
    TEXT_COLOR,
    TITLE_SIZE,
    TOKEN_COUNT_LABEL,
    annotate_cells,
    axes_titles,
    cell_grid,
    cells_fit,
    colorbar,
    despine,
    fit_ticks,
    label_room,
    per_10k_label,
    rate_heatmap,
    room_for_notes,
    section_frame,
    set_title,
    shorten,
    slide_rows,
    small_note,
    small_parts,
    thin_texts,
    tie_note,
    tint,
    title_text,
    top_with_ties,
    use_chinese_font,
    wrap_label,
)

__all__ = [
    "G2_CRITICAL", "section_short_label",
    "textplot_top_terms", "textplot_pos_breakdown", "textplot_section_heatmap", "textplot_keyness",
    "textplot_dispersion",
]

#: p < 0.001 for G² with 1 degree of freedom.
G2_CRITICAL = 10.83


# ------------------------------------------------------------------------ top terms
def textplot_top_terms(
    freq: pd.DataFrame,
    *,
    top_n: int = 20,
    formulations: Iterable[str] = (),
    subtitle: str | None = None,
    figsize=FIGSIZE,
):
    """Horizontal bars of the ``top_n`` most frequent terms, the count written on each bar.

    Args:
        freq: the table of :func:`~analysis_utils.stats.frequency.term_frequency` (its order
            is kept: the first row is drawn at the top).
        top_n: how many terms.
        formulations: terms drawn in red as formulations (提法), e.g. the lexicon tokens.
        subtitle: a second title line (e.g. the speech's title).

    Returns:
        A matplotlib figure: one bar per term, its count as the bar's label.

    Example:
        >>> fig = textplot_top_terms(freq, top_n=20, formulations=formulation_terms(tokens))  # doctest: +SKIP
    """
    use_chinese_font()
    df, more = top_with_ties(freq, slide_rows(top_n), "token_count")
    left = max(0, min(top_n, len(freq)) - len(df) - more)
    forms = set(formulations)
    fig, ax = plt.subplots(figsize=figsize)
    y = np.arange(len(df))[::-1]
    colors = [TARGET_COLOR if t in forms else BAR_COLOR for t in df["term"]]
    ax.barh(y, df["token_count"], color=colors, height=0.72)
    ax.set_yticks(y, df["term"], fontsize=LABEL_SIZE if len(df) <= 25 else SMALL)
    xmax = float(df["token_count"].max()) if len(df) else 1.0
    notes = [ax.text(c + xmax * 0.008, yi, f"{int(c)}", va="center", ha="left", fontsize=SMALL)
             for yi, c in zip(y, df["token_count"])]
    ax.set_xlim(0, xmax * 1.08)
    ax.set_ylim(-0.6, len(df) - 0.4)
    ax.set_xlabel(TOKEN_COUNT_LABEL, fontsize=LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=SMALL)
    despine(ax)
    set_title(ax, f"高频词 前{len(df)}", f"top {len(df)} terms", subtitle)
    if forms & set(df["term"]):
        ax.legend(handles=[Patch(color=TARGET_COLOR, label="提法 formulation"), Patch(color=BAR_COLOR, label="其他词 other term")],
                  loc="lower right", fontsize=SMALL, frameon=False)
    fig.tight_layout(rect=(0, 0.03 * (bool(more) + bool(left)), 1, 1))
    room_for_notes(ax, notes)
    tie_note(fig, more, df["token_count"].iloc[-1] if len(df) else 0, left=left)
    fit_ticks(fig)
    return fig


# ---------------------------------------------------------------------- POS classes
def textplot_pos_breakdown(pos_table: pd.DataFrame, *, subtitle: str | None = None, figsize=FIGSIZE):
    """Word tokens by coarse part of speech: bar length = tokens, label = tokens, share and
    distinct words; grey bars are classes the frequency list leaves out.

    Args:
        pos_table: the table of :func:`~analysis_utils.stats.frequency.pos_breakdown`.

    Returns:
        A matplotlib figure: one bar per class, labelled ``中文 English``.

    Example:
        >>> fig = textplot_pos_breakdown(pos_breakdown(tokens), subtitle=speech.meta.title)  # doctest: +SKIP
    """
    use_chinese_font()
    df = pos_table.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=figsize)
    y = np.arange(len(df))[::-1]
    colors = [BAR_COLOR if c else MUTED_COLOR for c in df["counted"]]
    ax.barh(y, df["tokens"], color=colors, height=0.7)
    ax.set_yticks(y, [f"{zh} {en}" for zh, en in zip(df["label"], df["label_en"])], fontsize=LABEL_SIZE)
    xmax = float(df["tokens"].max()) if len(df) else 1.0
    notes = [ax.text(n + xmax * 0.008, yi, f"{int(n)}（{share:.1%}，{int(types)} 个不同词 distinct）",
                     va="center", ha="left", fontsize=SMALL)
             for yi, n, share, types in zip(y, df["tokens"], df["share"], df["types"])]
    ax.set_xlim(0, xmax * 1.35)
    ax.set_xlabel("词次 running words (tokens)", fontsize=LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=SMALL)
    despine(ax)
    ax.legend(handles=[Patch(color=BAR_COLOR, label="计入词频表 counted in the frequency list"),
                       Patch(color=MUTED_COLOR, label="不计入（虚词、副词、数量词…） left out")],
              loc="lower right", fontsize=SMALL, frameon=False)
    set_title(ax, "词类构成", "part-of-speech breakdown (stopwords excluded)", subtitle)
    fig.tight_layout()
    room_for_notes(ax, notes)
    fit_ticks(fig)
    return fig


# -------------------------------------------------------------------- section heatmap
def section_short_label(label: str, width: int = 13, lines: int = 2) -> str:
    """A section heading for an axis: wrapped on (at most) two lines of ``width`` characters."""
    return wrap_label(label, width=width, lines=lines)


def _term_columns(ax, terms: list[str], *, upright: bool = False) -> None:
    """Terms as column labels: on top, or slanted below when they are long or many (``upright``:
    standing straight, so the first one never reaches under the row labels of a crowded heatmap)."""
    n_cols = len(terms)
    rotate = max((len(t) for t in terms), default=0) > 3 or n_cols > 16
    upright = upright and rotate
    ax.set_xticks(range(n_cols), terms, fontsize=LABEL_SIZE if n_cols <= 20 else SMALL,
                  rotation=(90 if upright else 40) if rotate else 0, ha="right" if rotate else "center",
                  rotation_mode="anchor" if rotate else "default", **({"va": "center"} if upright else {}))
    if not rotate:
        ax.xaxis.tick_top()


def textplot_section_heatmap(
    sec: pd.DataFrame,
    *,
    value: str = "per_10k",
    subtitle: str | None = None,
    label_width: int = 13,
    min_chars: int = MIN_RATE_CHARS,
    figsize=FIGSIZE,
):
    """Sections (rows, in speech order) × terms (columns): colour = rate per 10,000 Chinese
    characters of the section (or ``value="token_count"``), the token count written in each cell.

    Args:
        sec: the long table of :func:`~analysis_utils.stats.frequency.section_frequency`.
        value: ``per_10k`` or ``token_count``: what the colour shows.
        label_width: characters per line of the section labels (two lines at most).
        min_chars: with ``value="per_10k"``, sections of fewer Chinese characters are too
            short to carry a rate (one word in a 33-character opening would be the darkest
            colour): their cells are grey and hatched, the count still written, and they
            neither set nor take the colour scale.

    Returns:
        A matplotlib figure: one row per section, one column per term.

    Example:
        >>> fig = textplot_section_heatmap(section_frequency(speech, tokens, sections=secs))  # doctest: +SKIP
    """
    use_chinese_font()
    terms = list(dict.fromkeys(sec["term"]))
    sections = sec.drop_duplicates("section")[["section", "label"]]
    vals = sec.pivot(index="section", columns="term", values=value).reindex(columns=terms)
    counts = sec.pivot(index="section", columns="term", values="token_count").reindex(columns=terms)
    n_rows, n_cols = vals.shape
    height = min(figsize[1], max(6.8, 1.6 + 0.5 * n_rows))  # tall enough for the colour bar's label
    fig, ax = plt.subplots(figsize=(figsize[0], height))
    arr = vals.to_numpy(dtype=float)
    sizes = sec.drop_duplicates("section").set_index("section")["section_han_chars"].reindex(vals.index)
    small = small_parts(sizes, min_chars) if value == "per_10k" else np.zeros(n_rows, dtype=bool)
    im, vmax = rate_heatmap(ax, arr, small, axis=0)  # the count is still written in grey rows
    lines = 2 if n_rows <= 9 else 1  # two-line labels while each row has room for them
    ax.set_yticks(range(n_rows), [section_short_label(lbl, label_width if lines == 2 else label_width + 5, lines)
                                  for lbl in sections["label"]], fontsize=SMALL)
    _term_columns(ax, terms, upright=n_rows > MAX_ROWS)
    numbers = cells_fit(fig, ax, n_rows, n_cols)
    if numbers:
        annotate_cells(ax, [[f"{int(c)}" if c else "" for c in row] for row in counts.to_numpy()],
                       (np.minimum(arr, vmax) / vmax > 0.55) & ~small[:, None], fontsize=SMALL)
    cell_grid(ax, n_rows, n_cols)
    colorbar(fig, im, ax, per_10k_label(TOKEN_COUNT_LABEL) if value == "per_10k" else TOKEN_COUNT_LABEL)
    colour = "rate" if value == "per_10k" else "token count"
    set_title(ax, "各部分高频词（分词计数）", f"terms by section (colour = {colour}" + (", number = token count)" if numbers else ")"),
              subtitle)
    fig.tight_layout(rect=(0, 0.06 if small.any() else 0, 1, 1))
    if small.any():
        small_note(fig, min_chars)
    fit_ticks(fig)
    return fig


# ------------------------------------------------------------------------- keyness
def _keyness_panel(ax, d: pd.DataFrame, color: str, title: str, xmax: float) -> list:
    """One side of the keyness figure: a bar of |G²| per term, counts and log ratio beside it."""
    y = np.arange(len(d))[::-1]
    sure = (d["g2"].abs() >= G2_CRITICAL).to_numpy()
    ax.barh(y, d["g2"].abs(), color=[color if ok else tint(color, 0.65) for ok in sure], height=0.7)
    ax.set_yticks(y, [shorten(t, 9) for t in d["term"]], fontsize=LABEL_SIZE if len(d) <= 20 else SMALL)
    for tick, ok in zip(ax.get_yticklabels(), sure):
        if not ok:
            tick.set_color(MUTED_COLOR)
    notes = []
    for yi, g, a, b, lr, ok in zip(y, d["g2"].abs(), d["token_count_target"], d["token_count_reference"], d["log_ratio"], sure):
        note = "仅见于此 only here" if b == 0 else "仅见于参照 only there" if a == 0 else f"LR {lr:+.1f}"
        notes.append(ax.text(g + xmax * 0.01, yi, f"{int(a)} : {int(b)}  {note}" + ("" if ok else "  不显著 n.s."),
                             va="center", ha="left", fontsize=SMALL, color=TEXT_COLOR if ok else MUTED_COLOR))
    ax.axvline(G2_CRITICAL, color="#555555", linestyle="--", linewidth=0.9)
    ax.set_xlim(0, xmax * 1.6)
    ax.set_ylim(-0.6, max(len(d), 1) - 0.4)
    ax.set_xlabel("对数似然 G²（越大越可靠）log-likelihood", fontsize=SMALL)
    ax.tick_params(axis="x", labelsize=SMALL)
    ax.set_title(title, fontsize=LABEL_SIZE, color=color, loc="left")
    despine(ax)
    if d.empty:
        ax.text(0.5, 0.5, "无 none", transform=ax.transAxes, ha="center", fontsize=LABEL_SIZE)
    return notes


def _reference_names(key: pd.DataFrame) -> tuple[str, str]:
    """(Chinese, English) names of a keyness table's reference, from ``key.attrs["reference"]``
    (``中文 · English``, or clauses of that form joined by ``，``), else a generic name.

    Example:
        >>> key = pd.DataFrame(); key.attrs["reference"] = "党代会报告（12 篇）· Party Congress reports (12 texts)，不含本讲话 · this speech left out"
        >>> _reference_names(key)
        ('党代会报告（12 篇），不含本讲话', 'Party Congress reports (12 texts), this speech left out')
    """
    label = str(key.attrs.get("reference") or "")
    clauses = [c.partition("·") for c in label.split("，")]
    zh = "，".join(a.strip() for a, _, _ in clauses)
    en = ", ".join(b.strip() for _, _, b in clauses)
    ok = all(sep and a.strip() and b.strip() for a, sep, b in clauses)
    return (zh, en) if label and ok else ("参照语料", "the reference corpus")


def textplot_keyness(
    key: pd.DataFrame,
    *,
    top_n: int = 15,
    reference: tuple[str, str] | None = None,
    subtitle: str | None = None,
    figsize=FIGSIZE,
    n: int | None = None,
):
    """Keywords both ways: left, the ``top_n`` terms this speech uses most above the reference
    (largest G²); right, the ``top_n`` it uses most below it. Bar = |G²| (how sure), label =
    counts and log ratio (how big); the dashed line is p < 0.001 (G² = 10.83).

    Args:
        key: the table of :func:`~analysis_utils.stats.keywords.keyness`.
        top_n: terms on each side.
        reference: what the reference is, in Chinese and English (for the titles); default: the
            label :func:`~analysis_utils.keyness` put in ``key.attrs["reference"]`` (genre, years).
        n: deprecated name of ``top_n``, kept for one release.

    Returns:
        A matplotlib figure with two panels (more here, more in the reference).

    Example:
        >>> fig = textplot_keyness(keyness(tokens, speech=speech), top_n=15)  # doctest: +SKIP
    """
    top_n = top_n if n is None else n  # deprecated keyword n, kept for one release
    use_chinese_font()
    ref_zh, ref_en = reference or _reference_names(key)
    rows = slide_rows(top_n)
    pos = key.loc[key["g2"] > 0].head(rows)
    neg = key.loc[key["g2"] < 0].sort_values(["g2", "term"], kind="mergesort").head(rows)
    fig, axes = plt.subplots(1, 2, figsize=figsize)
    xmax = max([float(d["g2"].abs().max()) for d in (pos, neg) if len(d)] + [G2_CRITICAL * 1.2])
    notes = [_keyness_panel(axes[0], pos, TARGET_COLOR, "本讲话更常用 · more in this speech", xmax),
             _keyness_panel(axes[1], neg, REFERENCE_COLOR, "参照语料更常用 · more in the reference", xmax)]
    fig.suptitle(title_text(fig, f"关键词（相对{ref_zh}）", f"keywords against {ref_en}", subtitle, share=0.85),
                 fontsize=TITLE_SIZE, x=0.01, ha="left")
    fig.text(0.01, 0.01, "标注：本讲话分词计数 : 参照分词计数，LR = 对数比（+1 = 频率高一倍），虚线 = p<0.001，浅色 = 不显著\n"
             "token count here : in reference · LR = log2 ratio (+1 = twice as often) · dashed: p < 0.001 · pale: n.s.",
             fontsize=SMALL, color=NOTE_COLOR)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    top = max(ax.get_xlim()[1] for ax in axes)
    for ax, texts in zip(axes, notes):
        room_for_notes(ax, texts)
        top = max(top, ax.get_xlim()[1])
    for ax in axes:  # both sides on one scale
        ax.set_xlim(0, top)
    fit_ticks(fig)
    return fig


# ---------------------------------------------------------------------- dispersion
def _section_marks(ax, sections: pd.DataFrame, body_length: int) -> list:
    """A dotted line where each top-level section begins, its number above the axes; returns
    the numbers, numbered sections before opening/closing, for
    :func:`~analysis_utils.plots.style.thin_texts` to leave out those that would overlap."""
    marks = []
    for label, start in zip(sections["label"], sections["start"]):
        label = str(label)
        if label.startswith("全文"):
            continue
        x = start / body_length
        ax.axvline(x, color="#888888", linestyle=":", linewidth=1)
        frame = label.startswith(("开头", "结尾"))
        marks.append((frame, x, label[:2] if frame else label.split("、")[0].split(" ")[0]))
    return [ax.text(x, 1.005, tag, fontsize=SMALL, color="#555555", va="bottom", ha="left",
                    transform=ax.get_xaxis_transform())
            for _frame, x, tag in sorted(marks)]  # numbered sections first, then opening/closing


def textplot_dispersion(
    disp: pd.DataFrame,
    *,
    terms: Sequence[str] | None = None,
    sections=None,
    body_length: int | None = None,
    subtitle: str | None = None,
    figsize=FIGSIZE,
):
    """Lexical dispersion: one row per term, a tick at every occurrence (0 = start of the
    speech, 1 = end); dotted lines mark where top-level sections begin.

    Args:
        disp: the table of :func:`~analysis_utils.stats.frequency.dispersion`.
        terms: row order (top to bottom); default the order in ``disp``.
        sections: the speech's :class:`~analysis_utils.outline.parts.Sections` (or its
            ``section_table``), to mark sections.
        body_length: ``len(speech.body)``, to place the section lines (needed with ``sections``).

    Returns:
        A matplotlib figure: one row per term, the number of hits at its right.

    Example:
        >>> disp = dispersion(speech, ["干部", "人才"], tokens=tokens, sections=secs)  # doctest: +SKIP
        >>> fig = textplot_dispersion(disp, sections=secs, body_length=len(speech.body))  # doctest: +SKIP
    """
    use_chinese_font()
    terms = list(terms) if terms is not None else list(dict.fromkeys(disp["term"]))
    left = max(0, len(terms) - MAX_ROWS)
    terms = terms[:MAX_ROWS]
    fig, ax = plt.subplots(figsize=figsize)
    for i, t in enumerate(terms):
        xs = disp.loc[disp["term"] == t, "offset"]
        y = len(terms) - 1 - i
        ax.scatter(xs, np.full(len(xs), y), marker="|", s=420, linewidths=1.6, color=TARGET_COLOR if i % 2 == 0 else BAR_COLOR)
        ax.text(1.01, y, f"{len(xs)}", va="center", ha="left", fontsize=SMALL, transform=ax.get_yaxis_transform())
    ax.set_yticks(range(len(terms)), terms[::-1], fontsize=LABEL_SIZE)
    ax.set_ylim(-0.7, len(terms) - 0.3)
    ax.set_xlim(0, 1)
    ax.set_xlabel(POSITION_LABEL, fontsize=LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=SMALL)
    marks = _section_marks(ax, section_frame(sections), body_length) if sections is not None and body_length else []
    ax.annotate("次数\nhits", (1, 0), xycoords="axes fraction", xytext=(SMALL, -4), textcoords="offset points",
                fontsize=SMALL, va="top", ha="left", color=NOTE_COLOR)  # right of the last tick label "1.0"
    despine(ax)
    ax.set_title(title_text(fig, "词语分布", "where each term occurs (dispersion)", subtitle, share=label_room(ax)),
                 fontsize=TITLE_SIZE, loc="left", pad=26)
    fig.tight_layout(rect=(0, 0.03 if left else 0, 1, 1))
    tie_note(fig, 0, 0, left=left)
    thin_texts(marks, avoid=axes_titles(ax))  # never two section numbers overlapping
    fit_ticks(fig)
    return fig


# deprecated aliases, kept for one release (the notebooks call these names)
plot_top_terms = textplot_top_terms  # deprecated alias, kept for one release
plot_pos_breakdown = textplot_pos_breakdown  # deprecated alias, kept for one release
plot_section_heatmap = textplot_section_heatmap  # deprecated alias, kept for one release
plot_keyness = textplot_keyness  # deprecated alias, kept for one release
plot_dispersion = textplot_dispersion  # deprecated alias, kept for one release
