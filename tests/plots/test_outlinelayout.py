"""The outline slide's layout: the items shown, the packing of cards into columns, the chosen fonts."""
from __future__ import annotations

from analysis_utils import build_outline, speech_from_text
from analysis_utils.plots.outlinelayout import (
    BOTTOM,
    FRAME_COLOR,
    TOP,
    choose_layout,
    figure_nodes,
    item_colors,
    item_label,
    make_cards,
    pack,
)
from analysis_utils.plots.style import FIGSIZE


def test_figure_nodes_of_the_seed(seed_speech):
    o = build_outline(seed_speech)
    items = figure_nodes(o)
    assert [n.kind for n, _ in items] == ["opening", "section", "section", "closing"]
    assert [len(kids) for _, kids in items] == [0, 5, 5, 0]
    assert [c.title for c, _ in items[1][1]] == [c.title for c in o.sections[0].children if c.kind == "section"]
    assert item_colors(o, items)[0] == FRAME_COLOR and item_label(items[0][0])[0] == "开头 opening"


def test_figure_nodes_group_the_paragraphs_of_a_speech_without_headings():
    prose = "我们要坚持稳中求进，扎实做好各项工作，推动各项任务落地见效。"
    o = build_outline(speech_from_text("\n".join(["在测试工作会议上的讲话", "同志们：", prose * 3, prose * 2, prose])))
    [(run, kids)] = figure_nodes(o)  # title and salutation left out, the three paragraphs one item
    assert [n.kind for n in run] == ["paragraph"] * 3 and kids == []
    assert item_label(run)[:2] == ("3 段 paragraphs", run[0].heading)


def test_pack_keeps_the_order_and_balances_the_columns():
    assert pack([3, 3, 2, 2], 2, 10) == [0, 0, 1, 1]
    assert pack([5, 1, 1, 1, 1, 1], 2, 10) == [0, 1, 1, 1, 1, 1]
    assert pack([3, 3, 2, 2], 1, 9) is None  # one column too short
    assert pack([11], 3, 10) is None and pack([], 2, 10) == []


def test_the_seed_fits_with_every_heading_whole_in_big_type(seed_speech):
    o = build_outline(seed_speech)
    items = figure_nodes(o)
    lay = choose_layout(items, item_colors(o, items), width=FIGSIZE[0] * 72, height=FIGSIZE[1] * 72 - TOP - BOTTOM,
                        show_children=True, max_columns=3)
    cards = [c for col in lay.columns for c in col]
    assert len(cards) == 4 and not any(c.cut for c in cards)
    assert lay.fs_h >= 15  # large headings: the seed has few parts
    assert sum(ln.level == 2 and ln.first for c in cards for ln in c.lines) == 10  # every sub-heading shown
    narrow = make_cards(items, 200, 18, 15, 1, True, item_colors(o, items))
    assert any(c.cut for c in narrow)  # a 200-point column cuts the long headings
