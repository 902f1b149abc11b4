"""Figures of comparing speeches: bar heights, lines, cells and labels are the table's numbers."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis_utils.plots import compare as plots_compare
from analysis_utils.plots.compare import (
    textplot_similarity,
    textplot_slogan_heatmap,
    textplot_term_trends,
    textplot_unit_sizes,
)
from analysis_utils.stats.compare import comparison, similarity, slogan_rates, term_rates, unit_table, unit_term_counts


@pytest.fixture(scope="module")
def seed_parts(seed_path):
    return comparison(seed_path)


def test_unit_sizes_bars_are_the_lengths(seed_parts):
    units = unit_table(seed_parts)
    fig = textplot_unit_sizes(units, subtitle="种子")
    ax = fig.axes[0]
    assert [p.get_height() for p in ax.patches] == units["han_chars"].tolist()
    assert [t.get_text().split("\n")[0] for t in ax.texts] == [f"{h:,}" for h in units["han_chars"]]
    assert len(ax.get_xticklabels()) == len(units)
    assert ax.get_title(loc="left") == "篇幅对比 · length of each speech or part\n种子"
    plt.close(fig)


def test_term_trends_of_few_units_are_grouped_bars(seed_parts):
    rates = term_rates(seed_parts, ["干部", "人才"])
    fig = textplot_term_trends(rates)
    ax = fig.axes[0]
    units = list(dict.fromkeys(rates["label"]))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["干部", "人才"]
    expected = [v for u in units for v in rates.loc[rates["label"] == u, "per_10k"]]  # unit by unit, terms in order
    assert [p.get_height() for p in ax.patches] == expected
    assert len(ax.get_legend().get_texts()) == len(units)
    assert ax.get_title(loc="left") == "用词对比 · term rates by unit"
    plt.close(fig)


def _rates(n_units: int, *, x: str = "label") -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = [(f"讲话{i:02d}" if x == "label" else 2000 + i, t, float(rng.integers(0, 40)))
            for t in ("发展", "改革") for i in range(n_units)]
    return pd.DataFrame(rows, columns=[x, "term", "per_10k"])


def test_term_trends_of_many_units_are_lines_with_a_moving_average():
    rates = _rates(30)
    fig = textplot_term_trends(rates)
    ax = fig.axes[0]
    assert len(ax.lines) == 4  # per term: the faint line of every speech and the bold average
    assert list(ax.lines[0].get_ydata()) == rates.loc[rates["term"] == "发展", "per_10k"].tolist()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["发展", "改革"]
    assert len(ax.get_xticklabels()) == 15  # 30 units, every second one labelled
    assert "moving average of 7 speeches" in ax.get_title(loc="left")
    plt.close(fig)


def test_term_trends_by_year_label_every_year():
    fig = textplot_term_trends(_rates(8, x="year"), x="year")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(2000 + i) for i in range(8)]
    assert [len(ln.get_xdata()) for ln in ax.lines] == [8, 8]
    assert ax.get_title(loc="left") == "用词走势 · term rates over time"
    plt.close(fig)


def test_slogan_heatmap_cells_are_the_rates(seed_parts):
    table = slogan_rates(seed_parts, top_n=5)
    fig = textplot_slogan_heatmap(table)
    ax = fig.axes[0]
    cols = [c for c in table.columns if c not in ("slogan", "kind", "formulation_count", "units")]
    assert len(ax.get_yticklabels()) == len(table) and len(ax.get_xticklabels()) == len(cols)
    arr = table[cols].to_numpy(dtype=float)
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}
    assert cells == {(i, j): (f"{v:.0f}" if v >= 10 else f"{v:.1f}") for (i, j), v in np.ndenumerate(arr) if v}
    plt.close(fig)


def test_similarity_is_a_square_with_ones_on_the_diagonal(seed_parts, tokenizer):
    sim = similarity(unit_term_counts(seed_parts, tokenizer), seed_parts)
    fig = textplot_similarity(sim)
    ax = fig.axes[0]
    n = len(sim)
    assert len(ax.get_xticklabels()) == len(ax.get_yticklabels()) == n
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}
    assert all(cells[(i, i)] == "1.0" for i in range(n))
    assert fig.axes[1].get_ylabel() == "余弦相似度 cosine similarity (TF-IDF)"
    plt.close(fig)


def test_old_plot_names_are_the_new_functions():
    assert plots_compare.plot_unit_sizes is textplot_unit_sizes
    assert plots_compare.plot_term_trends is textplot_term_trends
    assert plots_compare.plot_slogan_heatmap is textplot_slogan_heatmap
    assert plots_compare.plot_similarity is textplot_similarity


# ---------------------------------------------------------------- no overlapping labels, 2 to 90 units
def _boxes(fig):
    """The drawn boxes of every visible tick label (per axis) and of every legend."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ticks = [[t.get_window_extent(renderer) for t in labels if t.get_visible() and t.get_text()]
             for ax in fig.axes for labels in (ax.get_xticklabels(), ax.get_yticklabels())]
    legends = [ax.get_legend().get_window_extent(renderer) for ax in fig.axes if ax.get_legend()]
    return ticks, legends


def _overlapping(fig) -> list[str]:
    ticks, legends = _boxes(fig)
    found = []
    for boxes in ticks:
        for i, a in enumerate(boxes):
            found += [f"tick {i} × tick {j}" for j, b in enumerate(boxes[i + 1:], i + 1) if a.overlaps(b)]
            found += [f"tick {i} × legend" for b in legends if a.overlaps(b)]
    return found


@pytest.fixture(scope="module")
def units_of_real_text(corpus_dir, seed_path, tmp_path_factory):
    """Comparisons of 2, 5, 15 and 90 units from real files: the seed's parts, five and fifteen Xi
    speeches, the parts of the 20th Party Congress report, and a folder of 90 speeches (83 Xi
    speeches and the Party Congress reports of the Wikisource table written out as files)."""
    import json

    xi = sorted((corpus_dir / "xi_speeches_2013_2016").glob("*.txt"))
    folder = tmp_path_factory.mktemp("ninety")
    for f in xi:
        (folder / f.name).write_bytes(f.read_bytes())
    for i, line in enumerate((corpus_dir / "wikisource" / "cpc_congress_reports.jsonl").open(encoding="utf-8")):
        if len(list(folder.iterdir())) >= 90:
            break
        row = json.loads(line)
        (folder / f"cpc_{i:02d}.txt").write_text(row["title"] + "\n\n" + row["content"], encoding="utf-8")
    return {2: comparison(seed_path), 5: comparison(xi[:5]), 15: comparison(xi[:15]),
            "15 parts": comparison(corpus_dir / "cpc20_report.txt"), 90: comparison(folder)}


@pytest.mark.slow
@pytest.mark.parametrize("n", [2, 5, 15, "15 parts", 90])
def test_no_tick_label_overlaps_another_or_the_legend(units_of_real_text, n):
    cmp = units_of_real_text[n]
    assert len(cmp.units) == (15 if n == "15 parts" else n)
    rates = term_rates(cmp, ["发展", "改革", "人民", "坚持", "建设", "推进"])
    counts = rates.rename(columns={"substring_count": "token_count"})  # similarity needs counts per unit only
    figs = {"sizes": textplot_unit_sizes(unit_table(cmp)), "trends": textplot_term_trends(rates, parts=cmp.mode == "parts"),
            "heatmap": textplot_slogan_heatmap(slogan_rates(cmp, top_n=25)),
            "similarity": textplot_similarity(similarity(counts, cmp))}
    found = {name: _overlapping(fig) for name, fig in figs.items()}
    plt.close("all")
    assert not any(found.values()), found


def test_keyness_of_a_part_names_the_other_parts_never_the_reference(seed_parts, tokenizer):
    from analysis_utils.plots.compare import textplot_keyness_against_rest
    from analysis_utils.stats.compare import keyness_against_rest

    fig = textplot_keyness_against_rest(keyness_against_rest(seed_parts, 0, tokenizer), parts=True)
    texts = " ".join(t.get_text() for t in fig.findobj(plt.Text))
    assert "其余部分" in texts and "the other parts" in texts and "this part" in texts
    assert "reference" not in texts and "参照" not in texts and "本讲话" not in texts
    plt.close(fig)


def test_slogan_heatmap_greys_a_speech_too_short_for_a_rate(corpus_dir, tmp_path):
    """A folder of real files, one of them only the opening paragraphs of a speech (under 200
    characters): its column is grey and hatched, without numbers, and neither sets nor takes
    the colour scale (before, its rates were drawn like any other: one slogan in 150 characters
    is a rate of 67 per 10,000, the darkest cell)."""
    from analysis_utils import load_speech
    from analysis_utils.plots.style import MIN_RATE_CHARS

    xi = sorted((corpus_dir / "xi_speeches_2013_2016").glob("*.txt"))
    for f in xi[:3]:
        (tmp_path / f.name).write_bytes(f.read_bytes())
    long_one = load_speech(xi[3])
    short = ""
    for paragraph in long_one.body.split("\n"):
        if len(short) + len(paragraph) > 180:
            break
        short += paragraph + "\n"
    short += "中国梦"  # one formulation, so the short speech has a rate to leave out
    (tmp_path / "999_short.txt").write_text(long_one.meta.title + "\n\n" + short, encoding="utf-8")
    cmp = comparison(tmp_path)
    table = slogan_rates(cmp, top_n=10)
    sizes = table.attrs["han_chars"]
    cols = [c for c in table.columns if c not in ("slogan", "kind", "formulation_count", "units")]
    small = [sizes[c] < MIN_RATE_CHARS for c in cols]
    assert sum(small) == 1 and table[cols[small.index(True)]].max() > table[[c for c, s in zip(cols, small) if not s]].max().max()
    fig = textplot_slogan_heatmap(table)
    ax = fig.axes[0]
    im = ax.images[0]
    j = small.index(True)
    mask = np.ma.getmaskarray(im.get_array())
    assert mask[:, j].all() and not mask[:, [k for k in range(len(cols)) if k != j]].any()
    shown = len(ax.get_yticklabels())
    big = table[[c for c, s in zip(cols, small) if not s]].head(shown).to_numpy()
    assert im.norm.vmax == pytest.approx(big.max())
    assert not [t for t in ax.texts if round(t.get_position()[0]) == j]  # no rate written in the grey column
    assert any("不足200字" in t.get_text() and "no rate" in t.get_text() for t in fig.texts)
    plt.close(fig)


def test_rates_are_labelled_as_rates_and_counts_as_counts(seed_parts):
    """Every axis or colour bar of a rate names its count and 'per 10,000 characters'."""
    from analysis_utils.plots.style import FORMULATION_COUNT_LABEL, SUBSTRING_COUNT_LABEL, per_10k_label

    fig = textplot_term_trends(_rates(8))
    assert fig.axes[0].get_ylabel().replace("\n", " ") == per_10k_label(SUBSTRING_COUNT_LABEL)
    plt.close(fig)
    fig = textplot_slogan_heatmap(slogan_rates(seed_parts, top_n=5))
    assert fig.axes[1].get_ylabel().replace("\n", " ") == per_10k_label(FORMULATION_COUNT_LABEL)
    plt.close(fig)


def test_every_text_of_the_comparison_figures_is_at_least_small(seed_parts, tokenizer):
    """Tick labels (05_term_trends' y axis was matplotlib's 10 pt), colour bars and cell numbers
    of notebook 05's figures: none under SMALL."""
    from analysis_utils.plots.compare import textplot_keyness_against_rest
    from analysis_utils.plots.style import SMALL, layout_problems
    from analysis_utils.stats.compare import keyness_against_rest

    figs = [textplot_term_trends(term_rates(seed_parts, ["干部", "人才"])), textplot_term_trends(_rates(8)),
            textplot_unit_sizes(unit_table(seed_parts)), textplot_slogan_heatmap(slogan_rates(seed_parts, top_n=5)),
            textplot_similarity(similarity(unit_term_counts(seed_parts, tokenizer), seed_parts)),
            textplot_keyness_against_rest(keyness_against_rest(seed_parts, 0, tokenizer), parts=True)]
    small = [p for fig in figs for p in layout_problems(fig) if f"pt < {SMALL}" in p]
    plt.close("all")
    assert not small, small
