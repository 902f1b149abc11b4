"""Figures of slogan counting: each figure shows the slogans and counts of its table."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from analysis_utils import (
    combine_hits,
    lexicon_hits,
    number_slogans,
    parallel_structures,
    sections,
    slogan_counts,
    slogans_by_section,
)
from analysis_utils.plots import slogans as plots_slogans
from analysis_utils.plots.slogans import (
    parallel_label,
    textplot_parallel_structures,
    textplot_slogan_positions,
    textplot_slogans_by_section,
    textplot_top_slogans,
)
from analysis_utils.plots.style import shorten


@pytest.fixture(scope="module")
def seed_hits(seed_speech):
    return combine_hits(number_slogans(seed_speech), lexicon_hits(seed_speech))


@pytest.fixture(scope="module")
def seed_par(seed_speech):
    return parallel_structures(seed_speech)


def test_top_slogans_bars_are_the_counts(seed_speech):
    counts = slogan_counts(seed_speech, kinds="number")
    fig = textplot_top_slogans(counts, kind="number", top_n=8, subtitle="种子")
    ax = fig.axes[0]
    top = counts[counts["kind"] == "number"].head(8)
    assert [t.get_text() for t in ax.get_yticklabels()] == top["slogan"].tolist()
    assert [p.get_width() for p in ax.patches] == top["formulation_count"].tolist()
    assert [int(t.get_text()) for t in ax.texts] == top["formulation_count"].tolist()
    n_all = int((counts["kind"] == "number").sum())
    assert ax.get_title(loc="left") == f"数字提法 前8（共{n_all}个） · top 8 number slogans (of {n_all})\n种子"
    assert ax.get_legend() is not None  # coloured by rule
    plt.close(fig)


def test_top_slogans_of_an_empty_table_says_so(seed_speech):
    counts = slogan_counts(seed_speech, kinds="number").iloc[:0]
    fig = textplot_top_slogans(counts, kind="number")
    assert [t.get_text() for t in fig.axes[0].texts] == ["没有找到数字提法 · no number slogans found"]
    plt.close(fig)


def test_slogans_by_section_cells_hold_the_counts(seed_speech, seed_hits):
    by_section = slogans_by_section(seed_speech, seed_hits, top=6)
    fig = textplot_slogans_by_section(by_section)
    ax = fig.axes[0]
    rows = list(dict.fromkeys(by_section["slogan"]))
    assert [t.get_text() for t in ax.get_yticklabels()] == [shorten(r, 14) for r in rows]
    assert len(ax.get_xticklabels()) == by_section["section"].nunique()
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): int(t.get_text()) for t in ax.texts}
    col = {s: j for j, s in enumerate(dict.fromkeys(by_section["section"]))}
    expected = {(rows.index(sl), col[sec]): c for sl, sec, c in zip(by_section["slogan"], by_section["section"],
                                                                      by_section["formulation_count"]) if c}
    assert cells == expected
    plt.close(fig)


def test_slogan_positions_have_a_tick_per_hit(seed_speech, seed_hits):
    secs = sections(seed_speech)
    fig = textplot_slogan_positions(seed_hits, sections=secs, body_length=len(seed_speech.body), top_n=5)
    ax = fig.axes[0]
    totals = seed_hits.groupby("slogan").size().reset_index(name="n").sort_values(
        ["n", "slogan"], ascending=[False, True], kind="mergesort").head(5)
    assert [t.get_text() for t in ax.get_yticklabels()] == totals["slogan"].tolist()[::-1]  # most frequent on top
    assert [len(c.get_offsets()) for c in ax.collections] == totals["n"].tolist()
    assert len(ax.patches) == len(secs)  # one band per section
    plt.close(fig)


def test_parallel_structures_one_row_per_structure(seed_speech, seed_par):
    par = seed_par
    secs = sections(seed_speech)
    fig = textplot_parallel_structures(par, sections=secs, body_length=len(seed_speech.body), top_n=4)
    ax = fig.axes[0]
    shown = par.sort_values(["n_items", "start"], ascending=[False, True], kind="mergesort").head(4)
    shown = shown.sort_values("start", kind="mergesort")
    assert [t.get_text() for t in ax.get_yticklabels()] == [parallel_label(f, v) for f, v in
                                                           zip(shown["frame"], shown["varying"])][::-1]
    assert [len(c.get_offsets()) for c in ax.collections] == shown["n_items"].tolist()
    assert ax.get_title(loc="left").startswith(f"排比（显示项数最多的4个，共{len(par)}个） · parallel structures (4 of {len(par)})")
    plt.close(fig)


def test_old_positional_calls_still_work(seed_speech, seed_hits, seed_par):
    secs = sections(seed_speech).table
    fig = plots_slogans.plot_slogan_positions(seed_hits, secs, len(seed_speech.body), top_n=3)
    assert len(fig.axes[0].collections) == 3
    plt.close(fig)
    fig = plots_slogans.plot_parallel_structures(seed_par, secs, len(seed_speech.body), top_n=2)
    assert len(fig.axes[0].collections) == 2
    plt.close(fig)
    assert plots_slogans.plot_top_slogans is textplot_top_slogans
    assert plots_slogans.plot_slogans_by_section is textplot_slogans_by_section


def test_a_category_keeps_its_colour_in_every_speech(seed_speech, gwr, cpc20):
    """The legend colour of a lexicon category (理论, 党建 …) is the same in the figures of three
    speeches whose categories come in different orders of frequency."""
    from matplotlib.colors import to_hex

    seen: dict[str, set[str]] = {}
    orders = []
    for speech in (seed_speech, gwr, cpc20):
        fig = textplot_top_slogans(slogan_counts(speech, kinds="lexicon"), kind="lexicon", top_n=25)
        legend = fig.axes[0].get_legend()
        labels = [t.get_text() for t in legend.get_texts()]
        orders.append(labels)
        for label, patch in zip(labels, legend.get_patches()):
            seen.setdefault(label, set()).add(to_hex(patch.get_facecolor()))
        plt.close(fig)
    assert len({tuple(o) for o in orders}) > 1  # the categories do come in different orders
    assert all(len(colours) == 1 for colours in seen.values()), seen
    firsts = {label: next(iter(c)) for label, c in seen.items()}
    assert len(set(firsts.values())) == len(firsts)  # and no two categories share one


def test_slogans_by_section_gives_each_row_room(cpc20):
    """Notebook 03 asks for 25 rows: the heatmap draws the first rows that fit with room between
    them (at most MAX_ROWS; each label shown whole, at SMALL or larger, none thinned out) and its
    title says how many of how many (before: 25 rows whose labels shrank or were left out)."""
    from analysis_utils.plots.style import MAX_ROWS, SMALL

    secs = sections(cpc20)
    by_section = slogans_by_section(cpc20, combine_hits(number_slogans(cpc20, sections=secs),
                                                        lexicon_hits(cpc20, sections=secs)), top_n=25, sections=secs)
    fig = textplot_slogans_by_section(by_section)
    ax = fig.axes[0]
    rows = list(dict.fromkeys(by_section["slogan"]))
    labels = ax.get_yticklabels()
    assert len(rows) == 25 and 12 <= len(labels) <= MAX_ROWS
    assert [t.get_text() for t in labels] == [shorten(r, 14) for r in rows[:len(labels)]]
    assert all(t.get_visible() and t.get_fontsize() >= SMALL for t in labels)
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in labels]
    gaps = [abs(a.y0 - b.y1) for a, b in zip(boxes, boxes[1:])]
    assert min(gaps) >= 0.2 * SMALL, gaps  # room between the rows, not only no overlap
    title = ax.get_title(loc="left")
    assert f"前{len(labels)}个，共25个" in title and f"top {len(labels)} of 25" in title
    plt.close(fig)
