"""The outline figures (plots/outline.py); the outline engine's own tests are in tests/outline/."""
from __future__ import annotations

import pytest

from analysis_utils import build_outline, load_speech
from analysis_utils.plots.outline import (
    outline_fits,
    plot_outline_pages,
    plot_outline_tree,
    plot_placeholder_map,
    plot_section_sizes,
    wrap_cjk,
)


@pytest.mark.parametrize("text, width, max_lines, expected", [
    ("一二三四五六", 10, 2, ["一二三四五六"]),
    ("一二三四五六", 3, 2, ["一二三", "四五六"]),
    ("一二三四五六七八九十", 3, 2, ["一二三", "四五…"]),  # cut, ends in …
    ("一二三，四五六", 3, 3, ["一二三，", "四五六"]),  # a line never starts with ，
    ("坚定不移全面从严治党，深入推进新时代党的建设新的伟大工程", 20, 2, ["坚定不移全面从严治党，", "深入推进新时代党的建设新的伟大工程"]),
    ("坚持笃学实干严管建设忠诚干净担当的高素质干部队伍", 23, 2, ["坚持笃学实干严管建设忠诚干净担当的高素", "质干部队伍"]),  # no orphan 伍
])
def test_wrap_cjk(text, width, max_lines, expected):
    assert wrap_cjk(text, width, max_lines=max_lines) == expected


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
    import re

    return "".join(t.get_text() for f in figs for t in _texts(f) if not re.fullmatch(r"(\d+项 · )?[\d,]+字|×\d+", t.get_text()))


def _assert_readable(fig, *, min_size: float = 10) -> None:
    """Every label inside the figure, at least ``min_size`` pt, and no two labels overlapping."""
    import matplotlib.pyplot as plt

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
    fig = plot_outline_tree(o)
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
    fig = plot_outline_tree(o)
    shown = _shown(fig)
    for s in o.sections:  # every top-level title whole, none shortened
        assert s.title in shown, s.title
    assert "7项 · 2,779字" in [t.get_text() for t in _texts(fig)]  # 十五、 has seven sub-sections
    _assert_readable(fig)
    pages = plot_outline_pages(o)
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
    _assert_readable(plot_outline_tree(o))
    fig = plot_section_sizes(o)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0].startswith("开头") and len(labels) == len([n for n in o.nodes if n.kind not in ("title", "salutation")])
    _assert_readable(fig)


def test_section_sizes_flag_unbalanced_parts(corpus_dir):
    o = build_outline(load_speech(corpus_dir / "gwr_2022_crlf.txt"))
    fig = plot_section_sizes(o)
    shown = " ".join(t.get_text() for t in _texts(fig))
    assert "偏长 long" in shown and "偏短 short" in shown and "8,886 字" in shown


def test_placeholder_map_marks_each_placeholder(seed_speech):
    o = build_outline(seed_speech)
    fig = plot_placeholder_map(o)
    ticks = [ln for ln in fig.axes[0].lines]
    assert len(ticks) == 33
    assert "33 个未填占位符" in fig.axes[0].get_title(loc="left")
    _assert_readable(fig)
