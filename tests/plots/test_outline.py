"""Figures of the structure: the outline slide (and its pages), section sizes, placeholders.

Each test reads what the figure shows from its Axes: the texts, tick labels and bar lengths.
"""
from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import FancyBboxPatch, Rectangle

from analysis_utils import build_outline, load_speech
from analysis_utils.plots import outline as plots_outline
from analysis_utils.plots.outline import (
    outline_fits,
    size_rows,
    textplot_outline_pages,
    textplot_outline_tree,
    textplot_placeholder_map,
    textplot_section_sizes,
)
from analysis_utils.text import count_han


@pytest.fixture(scope="module")
def seed_outline(seed_speech):
    return build_outline(seed_speech)


def _texts(fig) -> list:
    return [t for ax in fig.axes for t in ax.texts if t.get_text().strip()] + [t for t in fig.texts if t.get_text().strip()]


def _all_labels(fig) -> list:
    """Every text drawn: annotations, titles, axis labels and tick labels."""
    out = _texts(fig)
    for ax in fig.axes:
        out += [ax.title, ax._left_title, ax._right_title]
        if ax.axison:
            (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
            out += [ax.xaxis.label, ax.yaxis.label]
            out += [t for t in ax.get_xticklabels() if x0 <= t.get_position()[0] <= x1]
            out += [t for t in ax.get_yticklabels() if y0 <= t.get_position()[1] <= y1]
    return [t for t in out if t.get_visible() and t.get_text().strip()]


def _shown(*figs) -> str:
    """The labels of the figures joined in drawing order, sizes and placeholder counts left out."""
    return "".join(t.get_text() for f in figs for t in _texts(f) if not re.fullmatch(r"(\d+项 · )?[\d,]+字|×\d+", t.get_text()))


def _assert_readable(fig, *, min_size: float = 10) -> None:
    """Every label inside the figure, at least ``min_size`` pt, and no two labels overlapping."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    fb = fig.bbox
    boxes = []
    for t in _all_labels(fig):
        assert t.get_fontsize() >= min_size, t.get_text()
        bb = t.get_window_extent(r)
        assert bb.x0 >= fb.x0 - 1 and bb.x1 <= fb.x1 + 1 and bb.y0 >= fb.y0 - 1 and bb.y1 <= fb.y1 + 1, t.get_text()
        boxes.append((bb, t.get_text()))
    for i, (a, ta) in enumerate(boxes):
        for b, tb in boxes[i + 1:]:
            w = min(a.x1, b.x1) - max(a.x0, b.x0)
            h = min(a.y1, b.y1) - max(a.y0, b.y0)
            assert w <= 1 or h <= 1, (ta, tb)
    plt.close(fig)


def test_outline_tree_of_the_seed_shows_every_heading(seed_speech):
    o = build_outline(seed_speech)
    assert outline_fits(o)
    fig = textplot_outline_tree(o)
    shown = _shown(fig)
    for n in o.walk():
        if n.kind == "section":
            assert n.title in shown, n.title
    labels = [t.get_text() for t in _texts(fig)]
    assert "×26" in labels and "942字" in labels
    _assert_readable(fig)


def test_cpc20_tree_overview_and_pages(corpus_dir):
    o = build_outline(load_speech(corpus_dir / "cpc20_report.txt"))
    assert not outline_fits(o)  # 15 parts and 41 sub-sections do not fit one slide
    fig = textplot_outline_tree(o)
    shown = _shown(fig)
    # every top-level title whole, or (at 16.5 pt and more, so 14 pt on a slide, four of the longest
    # do not fit one slide) its beginning, cut after a whole word with …; the detail pages show each one whole
    whole = [s.title in shown for s in o.sections]
    for s, ok in zip(o.sections, whole):
        assert ok or any(s.title[:k] + "…" in shown for k in range(8, len(s.title))), s.title
    assert sum(whole) >= 11, sum(whole)
    assert "7项 · 2,779字" in [t.get_text() for t in _texts(fig)]  # 十五、 has seven sub-sections
    _assert_readable(fig)
    pages = textplot_outline_pages(o)
    assert 2 <= len(pages) <= 3
    shown = _shown(*pages)
    subs = [c for s in o.sections for c in s.children if c.kind == "section"]
    assert len(subs) == 41 and all(c.title in shown for c in subs)
    for p in pages:
        _assert_readable(p)


@pytest.mark.parametrize("name", ["gwr_2022_crlf.txt", "xi_speeches_2013_2016/002_2013-03-23.txt",
                                  "xi_speeches_2013_2016/042_2015-03-28.txt", "xi_2015_county_secretaries.txt"])
def test_figures_on_other_speeches_are_readable(corpus_dir, name):
    o = build_outline(load_speech(corpus_dir / name))
    _assert_readable(textplot_outline_tree(o))
    fig = textplot_section_sizes(o)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0].startswith("开头") and len(labels) == len([n for n in o.nodes if n.kind not in ("title", "salutation")])
    _assert_readable(fig)


def test_section_sizes_flag_unbalanced_parts(corpus_dir):
    o = build_outline(load_speech(corpus_dir / "gwr_2022_crlf.txt"))
    fig = textplot_section_sizes(o)
    shown = " ".join(t.get_text() for t in _texts(fig))
    assert "偏长 long" in shown and "偏短 short" in shown and "8,886 字" in shown


def test_placeholder_map_marks_each_placeholder(seed_speech):
    o = build_outline(seed_speech)
    fig = textplot_placeholder_map(o)
    ticks = [ln for ln in fig.axes[0].lines]
    assert len(ticks) == 33
    assert "33 个未填占位符" in fig.axes[0].get_title(loc="left")
    _assert_readable(fig)


# ------------------------------------------------------------- what each figure shows
def test_outline_tree_has_one_card_per_part_with_its_heading_and_size(seed_outline):
    fig = textplot_outline_tree(seed_outline)
    ax = fig.axes[0]
    cards = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(cards) == 4  # opening, 一、, 二、, closing
    texts = [t.get_text() for t in ax.texts]
    assert texts[0] == seed_outline.title and texts[1].startswith("讲话结构 Outline · ")
    for part in seed_outline.sections:  # each part's size on its card, each sub-heading's size below it
        assert f"{part.chars:,}字" in texts
        for child in part.children:
            if child.kind == "section":
                assert f"{child.chars:,}字" in texts
    assert texts[-1].startswith("字 = 汉字数") and "×N = 未填占位符" in texts[-1]
    plt.close(fig)


def test_outline_pages_are_numbered_and_show_every_part_once(corpus_dir):
    o = build_outline(load_speech(corpus_dir / "cpc20_report.txt"))
    pages = textplot_outline_pages(o)
    titles = [p.axes[0].texts[0].get_text() for p in pages]
    assert titles == [f"{o.title}（{k}/{len(pages)}）" for k in range(1, len(pages) + 1)]
    cards = sum(len([p for p in f.axes[0].patches if isinstance(p, FancyBboxPatch)]) for f in pages)
    assert cards == len(plots_outline.figure_nodes(o))
    for p in pages:
        plt.close(p)


def test_section_sizes_bars_are_the_parts_lengths(seed_outline):
    rows = size_rows(seed_outline)
    fig = textplot_section_sizes(seed_outline)
    ax = fig.axes[0]
    whole = [p for p in ax.patches if isinstance(p, Rectangle) and round(p.get_height(), 2) == 0.72]
    assert [p.get_width() for p in whole] == [r["chars"] for r in rows] == [n.chars for n in seed_outline.nodes
                                                                          if n.kind not in ("title", "salutation")]
    blocks = [p for p in ax.patches if round(p.get_height(), 2) == 0.56]
    assert [p.get_width() for p in blocks] == [length for r in rows for _, length, _ in r["segments"]]
    notes = [t.get_text() for t in ax.texts if "字 · " in t.get_text()]
    assert notes[1].startswith(f"  {rows[1]['chars']:,} 字 · {rows[1]['share'] * 100:.1f}%")
    assert [t.get_text()[:2] for t in ax.get_yticklabels()] == ["开头", "一、", "二、", "结尾"]
    assert ax.get_title(loc="left").startswith("篇幅分布 · Section sizes — ")
    assert fig.texts[0].get_text() == "浅色块 = 下一级标题 lighter blocks = sub-sections · ×N = 未填占位符 unfilled placeholders"
    plt.close(fig)


def test_placeholder_map_ticks_stand_where_the_placeholders_are(seed_outline):
    s = seed_outline.speech
    fig = textplot_placeholder_map(seed_outline)
    ax = fig.axes[0]
    assert [ln.get_xdata()[0] for ln in ax.lines] == [count_han(s.body[:p.start]) for p in s.placeholders]
    assert ax.get_xlim() == (0, s.han_chars)
    parts = [p for p in ax.patches if p.get_height() == 1]  # the ribbon: one block per top-level node
    assert len(parts) == len(seed_outline.nodes)
    assert [t.get_text() for t in ax.texts if t.get_fontsize() == 18] == ["一、", "二、"]  # short frame parts unlabelled
    assert ax.get_title(loc="left") == "占位符位置 · Where the placeholders are — 33 个未填占位符 unfilled placeholders"
    plt.close(fig)


def test_old_plot_names_are_the_new_functions():
    assert plots_outline.plot_outline_tree is textplot_outline_tree
    assert plots_outline.plot_outline_pages is textplot_outline_pages
    assert plots_outline.plot_section_sizes is textplot_section_sizes
    assert plots_outline.plot_placeholder_map is textplot_placeholder_map
