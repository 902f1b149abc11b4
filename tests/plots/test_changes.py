"""Figures of a diff: new and dropped formulations, rising and falling terms, the section slope chart."""
from __future__ import annotations

import inspect
import itertools

import matplotlib.pyplot as plt
import pytest

import analysis_utils
from analysis_utils import load_speech, plots, speech_from_text
from analysis_utils.changes import diff
from analysis_utils.plots.changes import textplot_formulation_changes, textplot_section_slope, textplot_term_changes
from analysis_utils.plots.style import MAX_ROWS, layout_problems, more_rows_text


def gwr(corpus, year: int):
    row = {2021: 2, 2022: 1}[year]
    return load_speech(f"{corpus / 'wikisource' / 'government_work_reports.jsonl'}#government_work_reports-{row:05d}")


def congress(corpus, number: int):
    return load_speech(f"{corpus / 'wikisource' / 'cpc_congress_reports.jsonl'}#cpc_congress_reports-{number - 4:05d}")

FIGURES = [textplot_formulation_changes, textplot_term_changes, textplot_section_slope]


@pytest.fixture(scope="module")
def gwr_diff(corpus_dir, tokenizer):
    return diff(gwr(corpus_dir, 2021), gwr(corpus_dir, 2022), tokenizer=tokenizer)


@pytest.mark.parametrize("func", FIGURES, ids=lambda f: f.__name__)
def test_exported_with_the_diff_first(func):
    name = func.__name__
    assert name in plots.__all__ and getattr(plots, name) is func is getattr(analysis_utils, name)
    params = list(inspect.signature(func).parameters.values())
    assert [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD] == ["d"]


def _ticks(ax) -> list:
    """The tick labels matplotlib draws (those at a tick inside the axis limits)."""
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    return ([t for v, t in zip(ax.get_xticks(), ax.get_xticklabels()) if x0 <= v <= x1]
            + [t for v, t in zip(ax.get_yticks(), ax.get_yticklabels()) if y0 <= v <= y1])


def _texts(fig) -> list:
    return [t for ax in fig.axes for t in itertools.chain(ax.texts, _ticks(ax))
            if t.get_visible() and t.get_text()] + [t for t in fig.texts if t.get_text()]


@pytest.mark.slow
@pytest.mark.parametrize("func", FIGURES, ids=lambda f: f.__name__)
def test_figures_of_2021_to_2022_fit_and_read(gwr_diff, func):
    fig = func(gwr_diff)
    fig.canvas.draw()
    width, height = fig.canvas.get_width_height()
    texts = _texts(fig)
    assert any("2022-03-05" in t.get_text() for t in texts + [fig._suptitle])
    for t in texts:  # nothing drawn off the slide
        box = t.get_window_extent()
        assert box.x0 >= -1 and box.x1 <= width + 1 and box.y0 >= -1 and box.y1 <= height + 1, t.get_text()
    for ax in fig.axes:
        labels = [t.get_window_extent() for t in ax.get_yticklabels() if t.get_visible() and t.get_text()]
        assert not any(a.overlaps(b) for a, b in zip(labels, labels[1:]))
    plt.close(fig)


def test_formulation_chart_names_its_count_and_shows_the_new(gwr_diff):
    fig = textplot_formulation_changes(gwr_diff, top_n=5)
    left = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "三孩生育政策" in left and len(left) == 5
    assert fig.axes[0].get_xlabel() == "子串计数 substring count"
    plt.close(fig)


def test_slope_chart_joins_renumbered_parts(corpus_dir):
    d = diff(congress(corpus_dir, 15), congress(corpus_dir, 16), terms=False)
    fig = textplot_section_slope(d)
    ax = fig.axes[0]
    joined = [line for line in ax.get_lines() if len(line.get_xdata()) == 2]
    assert len(joined) == int(d.sections[["old_rank", "new_rank"]].notna().all(axis=1).sum())
    assert "十五大" in fig._suptitle.get_text() and "十六大" in fig._suptitle.get_text()
    plt.close(fig)


def test_nothing_new_says_so():
    s = speech_from_text("一、总体要求\n坚持稳中求进工作总基调。", path="a.txt")
    fig = textplot_formulation_changes(diff(s, s, terms=False))
    assert any("没有新增提法" in t.get_text() for t in fig.axes[0].texts)
    plt.close(fig)
    plt.close(textplot_term_changes(diff(s, s, terms=False)))


@pytest.mark.parametrize("func", [textplot_formulation_changes, textplot_term_changes], ids=lambda f: f.__name__)
def test_ninety_rows_asked_draw_a_slide_and_say_how_many_more(gwr_diff, func):
    """top_n=90 used to draw 65 overlapping rows a side: now at most MAX_ROWS, the rest counted in the footnote."""
    fig = func(gwr_diff, top_n=90)
    drawn = [len([t for t in ax.get_yticklabels() if t.get_text()]) for ax in fig.axes]
    if func is textplot_formulation_changes:
        f = gwr_diff.formulations
        sides = [int((f["change"] == "new").sum()), int((f["change"] == "dropped").sum())]
    else:
        sides = [int((gwr_diff.terms["change"] == c).sum()) for c in ("up", "down")]
    assert drawn == [min(n, MAX_ROWS) for n in sides]
    left = sum(min(90, n) - min(n, MAX_ROWS) for n in sides)
    assert left > 0 and any(more_rows_text(left) in t.get_text() for t in fig.texts)
    assert layout_problems(fig) == []
    plt.close(fig)
    fig = func(gwr_diff, top_n=5)  # a chart asked for what fits says nothing more
    assert not any("另有" in t.get_text() for t in fig.texts)
    plt.close(fig)


def test_a_long_name_puts_the_panel_title_on_two_lines_inside_the_figure(corpus_dir):
    """15th Congress → 20th: 删去 dropped since 十五大 1997-09-12 reached past the right edge."""
    d = diff(congress(corpus_dir, 15), load_speech(corpus_dir / "cpc20_report.txt"), terms=False)
    fig = textplot_formulation_changes(d)
    assert fig.axes[1].get_title(loc="left") == "删去 dropped since\n十五大 1997-09-12"
    assert fig.axes[0].get_title(loc="left") == "新增 new in 2022-10-16"
    assert layout_problems(fig) == []
    plt.close(fig)
