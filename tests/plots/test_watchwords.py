"""The watchword figures: one panel per term with first/last use, families stacked, heatmap, risers/fallers."""
from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis_utils import textplot_risers_fallers, textplot_watchword_heatmap, textplot_watchwords, track
from analysis_utils.plots.style import SMALL, SUBSTRING_COUNT_LABEL, layout_problems, per_10k_label
from analysis_utils.plots.watchwords import MAX_PANELS


def _folder(tmp_path, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    for name, body in (("001_1990-03-01.txt", text), ("002_2000-03-01.txt", text.replace("党建", "党建新词", 4)),
                       ("003_2010-03-01.txt", text.replace("党建", "组织")), ("004_2020-03-01.txt", text)):
        (tmp_path / name).write_text(body, encoding="utf-8")
    return tmp_path


def test_panels_mark_first_and_last_use_and_leave_gaps_empty(tmp_path, seed_path):
    tr = track(_folder(tmp_path, seed_path), ["党建", "党建新词"], cache=False, progress=False, duplicates="keep")
    fig = textplot_watchwords(tr, periods=[("甲", 1985, 1999), ("乙", 2000, 2020)])
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()]
    assert titles == ["党建　首见 first 1990 · 末见 last 2020", "党建新词　首见 first 2000 · 末见 last 2000"]
    bars = [p for p in fig.axes[0].patches if round(p.get_width(), 1) == 0.8]
    assert [round(p.get_x() + 0.4) for p in bars] == [1990, 2000, 2010, 2020]
    assert bars[2].get_height() == 0  # 2010 does not use it: a grey dot, not a bar
    assert fig._supylabel.get_text() == per_10k_label(SUBSTRING_COUNT_LABEL)
    plt.close(fig)


def test_families_stack_to_the_family_total_and_heatmap_and_risers_draw(tmp_path, seed_path):
    tr = track(_folder(tmp_path, seed_path), ["党建"], families={"党建": ["党建新词"]}, cache=False, progress=False,
               duplicates="keep")
    fig = textplot_watchwords(tr, families=True)
    bars = [p for p in fig.axes[0].patches if round(p.get_width(), 1) == 0.8]
    year_2000 = sum(p.get_height() for p in bars if round(p.get_x() + 0.4) == 2000)
    fam = tr.families[tr.families["year"] == 2000]
    assert round(year_2000, 2) == round(fam["formulation_count"].sum() * 10_000 / tr.documents.set_index("year").loc[2000, "han_chars"], 2)
    plt.close(fig)
    fig = textplot_watchword_heatmap(tr)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["1990", "2000", "2010", "2020"]
    plt.close(fig)
    from analysis_utils.watchwords import risers_fallers

    table = risers_fallers(tr, 2005, min_count=1)
    fig = textplot_risers_fallers(table)
    assert len(fig.axes) == 2
    plt.close(fig)
    empty = textplot_risers_fallers(pd.DataFrame(columns=table.columns))
    plt.close(empty)


PERIODS = [("毛泽东", 1954, 1976), ("华国锋", 1977, 1978), ("邓小平", 1979, 1992), ("江泽民", 1993, 2002),
           ("胡锦涛", 2003, 2012), ("习近平", 2013, 2022)]


def test_footnote_and_family_legends_are_at_least_small(tmp_path, seed_path):
    """The gap footnote and the families' legends were 13 pt (SMALL - 3): now SMALL, inside the figure."""
    tr = track(_folder(tmp_path, seed_path), ["党建"], families={"党建": ["党建新词"]}, cache=False, progress=False,
               duplicates="keep")
    for fig in (textplot_watchwords(tr, periods=PERIODS), textplot_watchwords(tr, families=True, periods=PERIODS)):
        notes = [t for t in fig.texts if "灰点" in t.get_text()]
        assert len(notes) == 1 and notes[0].get_fontsize() >= SMALL
        assert layout_problems(fig) == []
        plt.close(fig)
    fig = textplot_watchwords(tr, families=True)
    assert [t.get_fontsize() for t in fig.axes[0].get_legend().get_texts()] == [SMALL, SMALL]
    plt.close(fig)


@pytest.mark.slow
def test_fifteen_terms_draw_the_first_nine_and_count_the_rest(corpus_dir):
    """15 panels on a slide put their titles outside the figure and over each other: now at most
    MAX_PANELS, each title inside its panel (on two lines when it must), the rest counted."""
    terms = ["改革开放", "经济建设", "安全生产", "官僚主义", "中国特色社会主义", "三农", "霸权主义", "国家安全",
             "文化建设", "统一战线", "社会主义市场经济体制", "扩大内需", "一国两制", "和平共处五项原则", "积极的财政政策"]
    tr = track(corpus_dir / "wikisource" / "government_work_reports.jsonl", terms, progress=False)
    fig = textplot_watchwords(tr, periods=PERIODS)
    shown = [ax.get_title(loc="left").split("\n")[0].split("　")[0] for ax in fig.axes if ax.get_visible()]
    assert shown == terms[:MAX_PANELS] == terms[:9]
    assert any(f"另有 {15 - MAX_PANELS} 个未画出" in t.get_text() for t in fig.texts)
    assert layout_problems(fig) == []
    plt.close(fig)
    fig = textplot_watchwords(tr, terms[MAX_PANELS:])  # the rest, asked for by name
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 15 - MAX_PANELS
    assert not any("未画出" in t.get_text() for t in fig.texts) and layout_problems(fig) == []
    plt.close(fig)
    fig = textplot_watchword_heatmap(tr)  # all 15; its subtitle, cut to the figure, keeps the colour cap
    assert re.search(r"最深 ≥ \d+\.\d · darkest ≥ \d+\.\d", fig.axes[0].get_title(loc="left"))
    assert layout_problems(fig) == []
    plt.close(fig)
