"""Figures of term frequency: each figure shows the numbers of its table."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis_utils import dispersion, keyness, pos_breakdown, section_frequency, section_table, sections, term_frequency
from analysis_utils.plots import terms as plots_terms
from analysis_utils.plots.style import SMALL
from analysis_utils.plots.terms import (
    G2_CRITICAL,
    textplot_dispersion,
    textplot_keyness,
    textplot_pos_breakdown,
    textplot_section_heatmap,
    textplot_top_terms,
)


@pytest.fixture(scope="module")
def seed_keyness(seed_tokens, seed_speech, tokenizer):
    return keyness(seed_tokens, speech=seed_speech, tokenizer=tokenizer)


def test_plots_draw_the_table_counts(seed_speech, seed_tokens, seed_freq, seed_keyness):
    fig = textplot_top_terms(seed_freq, top_n=12, formulations={"三会一课"})
    labels = [int(t.get_text()) for t in fig.axes[0].texts]
    assert labels == seed_freq["token_count"].head(12).tolist()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == seed_freq["term"].head(12).tolist()
    figs = [
        fig,
        textplot_pos_breakdown(pos_breakdown(seed_tokens)),
        textplot_section_heatmap(section_frequency(seed_speech, seed_tokens, top=8)),
        textplot_keyness(seed_keyness, top_n=8),
        textplot_dispersion(dispersion(seed_speech, ["干部", "人才"]), sections=section_table(seed_speech),
                            body_length=len(seed_speech.body)),
    ]
    for f in figs:
        assert tuple(round(x, 2) for x in f.get_size_inches())[0] == 13.33
        plt.close(f)


def test_top_terms_bars_titles_and_formulations_in_red(seed_freq):
    fig = textplot_top_terms(seed_freq, top_n=9, formulations={"三会一课", seed_freq["term"].iloc[0]}, subtitle="种子")
    ax = fig.axes[0]
    assert [p.get_width() for p in ax.patches] == seed_freq["token_count"].head(9).tolist()
    reds = [p for p in ax.patches if p.get_facecolor()[:3] == (0.7215686274509804, 0.19215686274509805, 0.1843137254901961)]
    assert len(reds) == 1 and reds[0].get_width() == seed_freq["token_count"].iloc[0]  # the top term drawn as a formulation
    assert ax.get_title(loc="left") == "高频词 前9 · top 9 terms\n种子"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["提法 formulation", "其他词 other term"]
    plt.close(fig)


def test_pos_breakdown_bars_are_the_token_counts(seed_tokens):
    table = pos_breakdown(seed_tokens)
    fig = textplot_pos_breakdown(table)
    ax = fig.axes[0]
    assert [p.get_width() for p in ax.patches] == table["tokens"].tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{a} {b}" for a, b in zip(table["label"], table["label_en"])]
    assert ax.texts[0].get_text().startswith(f"{int(table['tokens'].iloc[0])}（")
    plt.close(fig)


def test_section_heatmap_cells_hold_the_counts(seed_speech, seed_tokens):
    secs = sections(seed_speech)
    sec = section_frequency(seed_speech, seed_tokens, top=6, sections=secs)
    fig = textplot_section_heatmap(sec)
    ax = fig.axes[0]
    terms = list(dict.fromkeys(sec["term"]))
    assert [t.get_text() for t in ax.get_xticklabels()] == terms
    assert [t.get_text().split("\n")[0][:2] for t in ax.get_yticklabels()] == [lb[:2] for lb in secs.table["label"]]
    shown = {(round(t.get_position()[1]), round(t.get_position()[0])): int(t.get_text()) for t in ax.texts}
    counts = sec.pivot(index="section", columns="term", values="token_count").reindex(columns=terms).to_numpy()
    assert shown == {(i, j): int(c) for (i, j), c in np.ndenumerate(counts) if c}
    assert fig.axes[1].get_ylabel() == "分词计数每万字 token count per 10,000 characters"  # the colour bar names its count
    plt.close(fig)


def test_keyness_panels_hold_the_top_terms_of_each_side(seed_keyness):
    fig = textplot_keyness(seed_keyness, top_n=5, reference=("参照", "the reference"))
    left, right = fig.axes
    pos = seed_keyness[seed_keyness["g2"] > 0].head(5)
    neg = seed_keyness[seed_keyness["g2"] < 0].sort_values(["g2", "term"], kind="mergesort").head(5)
    assert [t.get_text() for t in left.get_yticklabels()] == pos["term"].tolist()
    assert [t.get_text() for t in right.get_yticklabels()] == neg["term"].tolist()
    assert [p.get_width() for p in left.patches] == pytest.approx(pos["g2"].abs().tolist())
    assert left.lines[0].get_xdata()[0] == G2_CRITICAL
    assert left.get_title(loc="left") == "本讲话更常用 · more in this speech"
    assert right.get_title(loc="left") == "参照语料更常用 · more in the reference"
    assert fig._suptitle.get_text() == "关键词（相对参照） · keywords against the reference"
    plt.close(fig)


def test_keyness_names_its_reference_and_pales_what_is_not_significant(seed_keyness):
    """By default the title names the reference keyness used (genre and years, from the
    table's attrs); a bar below G² = 10.83 is pale and says n.s., a significant one does not."""
    fig = textplot_keyness(seed_keyness, top_n=15)
    name = seed_keyness.attrs["reference"]
    zh, en = (x.strip() for x in name.rpartition("·")[::2])
    title = fig._suptitle.get_text().replace("\n", " · ", 1)  # the English on a line of its own when too long for one
    assert title.startswith(f"关键词（相对{zh}） · keywords against {en}")
    assert any(ch.isdigit() for ch in en)  # the years
    for ax in fig.axes:
        notes = [t.get_text() for t in ax.texts]
        terms = [t.get_text() for t in ax.get_yticklabels()]
        g2 = seed_keyness.set_index("term").loc[terms, "g2"].abs().tolist()
        assert len(notes) == len(g2)
        for note, g in zip(notes, g2):
            assert note.endswith("不显著 n.s.") == (g < G2_CRITICAL), (note, g)
    assert any("不显著" in t.get_text() for ax in fig.axes for t in ax.texts)  # the seed has some
    plt.close(fig)


def test_keyness_accepts_the_old_keyword_n(seed_keyness):
    fig = plots_terms.plot_keyness(seed_keyness, n=3)
    assert [len(ax.patches) for ax in fig.axes] == [3, 3]
    plt.close(fig)


def test_dispersion_has_a_tick_per_hit_and_marks_the_sections(seed_speech, seed_tokens):
    secs = sections(seed_speech)
    disp = dispersion(seed_speech, ["干部", "人才"], tokens=seed_tokens, sections=secs)
    fig = textplot_dispersion(disp, sections=secs, body_length=len(seed_speech.body))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["人才", "干部"]  # first term on top
    hits = [len(c.get_offsets()) for c in ax.collections]
    assert hits == [int((disp["term"] == t).sum()) for t in ("干部", "人才")]
    assert [t.get_text() for t in ax.texts[:2]] == [str(n) for n in hits]
    starts = [x for x in secs.table["start"] / len(seed_speech.body)]
    assert [ln.get_xdata()[0] for ln in ax.lines] == starts  # a dotted line where each section begins
    assert {"一", "二"} <= {t.get_text() for t in ax.texts}
    plt.close(fig)


def test_old_plot_names_are_the_new_functions():
    assert plots_terms.plot_top_terms is textplot_top_terms
    assert plots_terms.plot_pos_breakdown is textplot_pos_breakdown
    assert plots_terms.plot_section_heatmap is textplot_section_heatmap
    assert plots_terms.plot_keyness is textplot_keyness
    assert plots_terms.plot_dispersion is textplot_dispersion


def test_top_terms_never_break_a_tie_silently(seed_freq):
    """The seed's term table has long runs of equal counts: a cut inside one shows the few tied
    terms or says on the figure how many were left out, and with which count."""
    counts = seed_freq["token_count"].tolist()
    cut = next(n for n in range(10, len(counts) - 5) if counts[n - 1] == counts[n + 4])  # ≥ 5 more tied
    fig = textplot_top_terms(seed_freq, top_n=cut)
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert shown == seed_freq["term"].head(cut).tolist()
    tied = sum(c == counts[cut - 1] for c in counts[cut:])
    notes = [t.get_text() for t in fig.texts]
    assert any(f"另有 {tied} 项同为 {counts[cut - 1]} 次" in n and f"and {tied} more" in n for n in notes), notes
    plt.close(fig)
    few = next(n for n in range(5, len(counts) - 3) if counts[n - 1] == counts[n] != counts[n + 1])  # one more tied
    fig = textplot_top_terms(seed_freq, top_n=few)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == seed_freq["term"].head(few + 1).tolist()
    assert not fig.texts
    plt.close(fig)


# ------------------------------------------- slide-ready: no overlap, grey small parts
def _no_overlapping_ticks(fig) -> None:
    fig.canvas.draw()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            boxes = [t.get_window_extent() for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]
            assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    plt.close(fig)


def _section_table(headings: list[str], terms: list[str]) -> pd.DataFrame:
    """A section × term table like section_frequency's, of real headings and terms."""
    rows = [{"section": i, "label": h, "term": t, "token_count": (i * 7 + j * 3) % 5,
             "per_10k": float((i * 7 + j * 3) % 5 * 10), "section_han_chars": 500}
            for i, h in enumerate(headings) for j, t in enumerate(terms)]
    return pd.DataFrame(rows)


@pytest.mark.slow
@pytest.mark.parametrize("n", [2, 5, 15, 90])
def test_no_tick_labels_overlap_at_any_number_of_units(n, corpus_dir, tokenizer):
    from analysis_utils import build_outline, load_speech

    speech = load_speech(corpus_dir / "cpc20_report.txt")
    heads = [nd.title for nd in build_outline(speech).walk() if nd.title][:n]
    freq = term_frequency(tokenizer.tokens(speech), speech=speech)
    terms = freq["term"].head(min(n, 30)).tolist()
    assert len(heads) == n
    fig = textplot_top_terms(freq, top_n=n)
    _no_overlapping_ticks(fig)
    if n <= 15:  # few units keep the full label size; only crowded axes shrink (or thin out)
        assert all(t.get_fontsize() >= SMALL for t in fig.axes[0].get_yticklabels())
    _no_overlapping_ticks(textplot_section_heatmap(_section_table(heads, terms)))


def test_section_heatmap_greys_a_part_too_small_for_a_rate(seed_speech, tokenizer):
    """The 33-character opening neither sets nor takes the colour scale: its cells are masked (grey,
    hatched), their counts still written (before, the opening's single word was the darkest cell)."""
    sec = section_frequency(seed_speech, tokenizer.tokens(seed_speech))
    fig = textplot_section_heatmap(sec)
    ax = fig.axes[0]
    im = ax.images[0]
    sizes = sec.drop_duplicates("section")["section_han_chars"].to_numpy()
    small = sizes < 200
    assert small.any()
    mask = np.ma.getmaskarray(im.get_array())
    assert mask[small].all() and not mask[~small].any()
    big = sec[sec["section_han_chars"] >= 200]["per_10k"]
    assert im.norm.vmax == pytest.approx(big.max())
    written = {t.get_text() for t in ax.texts}
    opening = sec[sec["section_han_chars"] < 200]
    assert {str(int(c)) for c in opening["token_count"] if c} <= written
    assert any("不足200字" in t.get_text() for t in fig.texts)
    plt.close(fig)
