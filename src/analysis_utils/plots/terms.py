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
from matplotlib.patches import Patch, Rectangle

from .style import (
    BAR_COLOR,
    FIGSIZE,
    HEAT_CMAP,
    LABEL_SIZE,
    MUTED_COLOR,
    NOTE_COLOR,
    POSITION_LABEL,
    REFERENCE_COLOR,
    SMALL,
    SMALL_PART_COLOR,
    TARGET_COLOR,
    TEXT_COLOR,
    TITLE_SIZE,
    TOKEN_COUNT_LABEL,
    annotate_cells,
    cell_grid,
    despine,
    fit_ticks,
    per_10k_label,
    section_frame,
    set_title,
    tie_note,
    tint,
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
    df, more = top_with_ties(freq, top_n, "token_count")
    forms = set(formulations)
    fig, ax = plt.subplots(figsize=figsize)
    y = np.arange(len(df))[::-1]
    colors = [TARGET_COLOR if t in forms else BAR_COLOR for t in df["term"]]
    ax.barh(y, df["token_count"], color=colors, height=0.72)
    ax.set_yticks(y, df["term"], fontsize=LABEL_SIZE if len(df) <= 25 else SMALL)
    xmax = float(df["token_count"].max()) if len(df) else 1.0
    for yi, c in zip(y, df["token_count"]):
        ax.text(c + xmax * 0.008, yi, f"{int(c)}", va="center", ha="left", fontsize=SMALL)
    ax.set_xlim(0, xmax * 1.08)
    ax.set_ylim(-0.6, len(df) - 0.4)
    ax.set_xlabel(TOKEN_COUNT_LABEL, fontsize=LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=SMALL)
    despine(ax)
    set_title(ax, f"高频词 前{len(df)}", f"top {len(df)} terms", subtitle)
    if forms & set(df["term"]):
        ax.legend(handles=[Patch(color=TARGET_COLOR, label="提法 formulation"), Patch(color=BAR_COLOR, label="其他词 other term")],
                  loc="lower right", fontsize=SMALL, frameon=False)
    fig.tight_layout(rect=(0, 0.03 if more else 0, 1, 1))
    tie_note(fig, more, df["token_count"].iloc[-1] if len(df) else 0)
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
    for yi, n, share, types in zip(y, df["tokens"], df["share"], df["types"]):
        ax.text(n + xmax * 0.008, yi, f"{int(n)}（{share:.1%}，{int(types)} 个不同词 distinct）",
                va="center", ha="left", fontsize=SMALL)
    ax.set_xlim(0, xmax * 1.35)
    ax.set_xlabel("词次 running words (tokens)", fontsize=LABEL_SIZE)
    ax.tick_params(axis="x", labelsize=SMALL)
    despine(ax)
    ax.legend(handles=[Patch(color=BAR_COLOR, label="计入词频表 counted in the frequency list"),
                       Patch(color=MUTED_COLOR, label="不计入（虚词、副词、数量词…） left out")],
              loc="lower right", fontsize=SMALL, frameon=False)
    set_title(ax, "词类构成", "part-of-speech breakdown (stopwords excluded)", subtitle)
    fig.tight_layout()
    fit_ticks(fig)
    return fig


# -------------------------------------------------------------------- section heatmap
def section_short_label(label: str, width: int = 13) -> str:
    """A section heading for an axis: wrapped on two lines of ``width`` characters."""
    return wrap_label(label, width=width, lines=2)


def _colour_top(arr: np.ndarray, big: np.ndarray) -> float:
    """The value the darkest colour stands for: the largest of ``big`` (else of ``arr``, else 1)."""
    if big.size and np.nanmax(big) > 0:
        return float(np.nanmax(big))
    return float(np.nanmax(arr)) if arr.size and np.nanmax(arr) > 0 else 1.0


def _term_columns(ax, terms: list[str]) -> None:
    """Terms as column labels: on top, or slanted below when they are long or many."""
    n_cols = len(terms)
    rotate = max((len(t) for t in terms), default=0) > 3 or n_cols > 16
    ax.set_xticks(range(n_cols), terms, fontsize=LABEL_SIZE if n_cols <= 20 else SMALL,
                  rotation=40 if rotate else 0, ha="right" if rotate else "center",
                  rotation_mode="anchor" if rotate else "default")
    if not rotate:
        ax.xaxis.tick_top()


def textplot_section_heatmap(
    sec: pd.DataFrame,
    *,
    value: str = "per_10k",
    subtitle: str | None = None,
    label_width: int = 13,
    min_chars: int = 200,
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
    small = (sizes < min_chars).to_numpy() if value == "per_10k" else np.zeros(n_rows, dtype=bool)
    vmax = _colour_top(arr, arr[~small])
    shown = np.ma.masked_array(arr, mask=np.repeat(small[:, None], n_cols, axis=1))
    im = ax.imshow(shown, cmap=HEAT_CMAP.with_extremes(bad=SMALL_PART_COLOR), aspect="auto", vmin=0, vmax=vmax)
    for i in np.flatnonzero(small):  # too small to carry a rate: grey, hatched, the count still written
        ax.add_patch(Rectangle((-0.5, i - 0.5), n_cols, 1, fill=False, hatch="//", edgecolor="#d4d4d4", linewidth=0))
    ax.set_yticks(range(n_rows), [section_short_label(lbl, label_width) for lbl in sections["label"]],
                  fontsize=SMALL)
    _term_columns(ax, terms)
    annotate_cells(ax, [[f"{int(c)}" if c else "" for c in row] for row in counts.to_numpy()],
                   (np.minimum(arr, vmax) / vmax > 0.55) & ~small[:, None], fontsize=SMALL)
    cell_grid(ax, n_rows, n_cols)
    cb = fig.colorbar(im, ax=ax, fraction=0.025, pad=0.015)
    cb_label = per_10k_label(TOKEN_COUNT_LABEL) if value == "per_10k" else TOKEN_COUNT_LABEL
    cb.set_label(cb_label, fontsize=SMALL)
    cb.ax.tick_params(labelsize=SMALL)
    set_title(ax, "各部分高频词（分词计数）", "terms by section (colour = rate, number = token count)", subtitle)
    fig.tight_layout(rect=(0, 0.06 if small.any() else 0, 1, 1))
    if small.any():
        fig.text(0.01, 0.005, f"灰色 = 不足{min_chars}字，只写次数 · grey = under {min_chars} characters: count, no rate",
                 fontsize=SMALL, color=NOTE_COLOR, va="bottom")
    fit_ticks(fig)
    return fig


# ------------------------------------------------------------------------- keyness
def _keyness_panel(ax, d: pd.DataFrame, color: str, title: str, xmax: float) -> None:
    """One side of the keyness figure: a bar of |G²| per term, counts and log ratio beside it."""
    y = np.arange(len(d))[::-1]
    sure = (d["g2"].abs() >= G2_CRITICAL).to_numpy()
    ax.barh(y, d["g2"].abs(), color=[color if ok else tint(color, 0.65) for ok in sure], height=0.7)
    ax.set_yticks(y, d["term"], fontsize=LABEL_SIZE if len(d) <= 20 else SMALL)
    for tick, ok in zip(ax.get_yticklabels(), sure):
        if not ok:
            tick.set_color(MUTED_COLOR)
    for yi, g, a, b, lr, ok in zip(y, d["g2"].abs(), d["token_count_target"], d["token_count_reference"], d["log_ratio"], sure):
        note = "仅见于本讲话 only here" if b == 0 else "仅见于参照 only in reference" if a == 0 else f"LR {lr:+.1f}"
        ax.text(g + xmax * 0.01, yi, f"{int(a)} : {int(b)}  {note}" + ("" if ok else "  不显著 n.s."), va="center",
                ha="left", fontsize=SMALL, color=TEXT_COLOR if ok else MUTED_COLOR)
    ax.axvline(G2_CRITICAL, color="#555555", linestyle="--", linewidth=0.9)
    ax.set_xlim(0, xmax * 1.6)
    ax.set_ylim(-0.6, max(len(d), 1) - 0.4)
    ax.set_xlabel("对数似然 G²（越大越可靠）log-likelihood", fontsize=SMALL)
    ax.tick_params(axis="x", labelsize=SMALL)
    ax.set_title(title, fontsize=LABEL_SIZE, color=color, loc="left")
    despine(ax)
    if d.empty:
        ax.text(0.5, 0.5, "无 none", transform=ax.transAxes, ha="center", fontsize=LABEL_SIZE)


def _reference_names(key: pd.DataFrame) -> tuple[str, str]:
    """(Chinese, English) names of a keyness table's reference, from ``key.attrs["reference"]``
    (``中文 · English``), else a generic name."""
    label = str(key.attrs.get("reference") or "")
    zh, sep, en = label.rpartition("·")
    return (zh.strip(), en.strip()) if sep and zh.strip() and en.strip() else ("参照语料", "the reference corpus")


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
    pos = key.loc[key["g2"] > 0].head(top_n)
    neg = key.loc[key["g2"] < 0].sort_values(["g2", "term"], kind="mergesort").head(top_n)
    fig, axes = plt.subplots(1, 2, figsize=figsize)
    xmax = max([float(d["g2"].abs().max()) for d in (pos, neg) if len(d)] + [G2_CRITICAL * 1.2])
    _keyness_panel(axes[0], pos, TARGET_COLOR, "本讲话更常用 · more in this speech", xmax)
    _keyness_panel(axes[1], neg, REFERENCE_COLOR, "参照语料更常用 · more in the reference", xmax)
    fig.suptitle(f"关键词（相对{ref_zh}） · keywords against {ref_en}" + (f"\n{subtitle}" if subtitle else ""),
                 fontsize=TITLE_SIZE, x=0.01, ha="left")
    fig.text(0.01, 0.005, "标注：本讲话分词计数 : 参照分词计数，LR = 对数比（+1 = 频率高一倍），虚线 = p<0.001，浅色 = 不显著 · "
             "token count here : in reference, LR = log2 ratio (+1 = twice as frequent), dashed = p<0.001, pale = not significant",
             fontsize=SMALL, color=NOTE_COLOR)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fit_ticks(fig)
    return fig


# ---------------------------------------------------------------------- dispersion
def _section_marks(ax, sections: pd.DataFrame, body_length: int) -> None:
    """A dotted line where each top-level section begins, its number above the axes (labels
    that would overlap are left out; numbered sections win over opening/closing)."""
    marks = []
    for label, start in zip(sections["label"], sections["start"]):
        label = str(label)
        if label.startswith("全文"):
            continue
        x = start / body_length
        ax.axvline(x, color="#888888", linestyle=":", linewidth=1)
        frame = label.startswith(("开头", "结尾"))
        marks.append((frame, x, label[:2] if frame else label.split("、")[0].split(" ")[0]))
    placed: list[tuple[float, int]] = []
    for _frame, x, tag in sorted(marks):  # numbered sections first, then opening/closing
        if all(abs(x - p) >= 0.008 + 0.011 * max(n, len(tag)) for p, n in placed):  # never two labels overlapping
            ax.text(x, 1.005, tag, fontsize=SMALL, color="#555555", va="bottom", ha="left",
                    transform=ax.get_xaxis_transform())
            placed.append((x, len(tag)))


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
    if sections is not None and body_length:
        _section_marks(ax, section_frame(sections), body_length)
    ax.text(1.01, -0.04, "次数\nhits", fontsize=SMALL, va="top", ha="left",
            transform=ax.transAxes, color=NOTE_COLOR)
    despine(ax)
    ax.set_title("词语分布 · where each term occurs (dispersion)" + (f"\n{subtitle}" if subtitle else ""),
                 fontsize=TITLE_SIZE, loc="left", pad=26)
    fig.tight_layout()
    fit_ticks(fig)
    return fig


# deprecated aliases, kept for one release (the notebooks call these names)
plot_top_terms = textplot_top_terms  # deprecated alias, kept for one release
plot_pos_breakdown = textplot_pos_breakdown  # deprecated alias, kept for one release
plot_section_heatmap = textplot_section_heatmap  # deprecated alias, kept for one release
plot_keyness = textplot_keyness  # deprecated alias, kept for one release
plot_dispersion = textplot_dispersion  # deprecated alias, kept for one release
