"""The numbers agree across outputs on real speeches: notebook 02's bar chart, its CSV and its table.

This was the check cell of ``02_term_frequency.ipynb``; it runs here, on the seed and on the 2022
Government Work Report, with the notebook's default parameters.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis_utils import Outputs, load_speech, term_frequency
from analysis_utils.plots.terms import plot_top_terms
from analysis_utils.stats import formulation_terms

TOP_N = 20  # notebook 02's default top_n
FILTERS = dict(pos=None, min_len=2, exclude=[])  # notebook 02's defaults: pos, min_len, extra_stopwords


@pytest.fixture(params=["seed", "gwr_2022_crlf"])
def speech(request, seed_path, tokenizer):
    if request.param == "seed":
        return load_speech(seed_path)
    return load_speech(request.getfixturevalue("corpus_dir") / "gwr_2022_crlf.txt")


def test_bar_chart_csv_and_table_carry_the_same_counts(speech, tokenizer, tmp_path):
    tokens = tokenizer.tokens(speech)
    freq = term_frequency(tokens, speech=speech, **FILTERS)
    freq_csv = Outputs(speech.id, tmp_path).table(freq, "02_term_frequency")
    fig = plot_top_terms(freq, top_n=TOP_N, formulations=formulation_terms(tokens), subtitle=speech.meta.title or speech.id)
    try:
        bars = [int(t.get_text()) for t in fig.axes[0].texts if t.get_text().isdigit()]
    finally:
        plt.close(fig)
    back = pd.read_csv(freq_csv, encoding="utf-8-sig")
    assert TOP_N <= len(bars) <= TOP_N + 3  # a tie at the cut: up to 3 tied terms drawn too
    assert bars == freq["token_count"].head(len(bars)).tolist()
    assert back["token_count"].tolist() == freq["token_count"].tolist() and back["term"].tolist() == freq["term"].tolist()


def test_the_headline_page_deck_and_outline_figure_count_the_same_parts(speech, tmp_path):
    """The 2022 GWR's outline figure said 4 个部分 (three numbered sections and the unnumbered part on
    defence, Hong Kong and Macao, Taiwan and diplomacy) while its report page and deck said 3."""
    from analysis_utils import build_outline, textplot_outline_tree
    from analysis_utils.deck import headline as deck_headline
    from analysis_utils.report import headline as page_headline

    parts = len(build_outline(speech).parts)
    assert parts == {"party_building_conference_speech": 2, "gwr_2022_crlf": 4}[speech.id]
    page = dict(page_headline(speech))
    assert page["一级部分 Top-level parts"] == str(parts)
    assert (str(parts), "个一级部分 top-level parts") in deck_headline(tmp_path, speech).numbers
    fig = textplot_outline_tree(build_outline(speech))
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert any(f"{parts} 个一级部分 top-level parts" in t for t in texts), texts[:5]
    plt.close(fig)
