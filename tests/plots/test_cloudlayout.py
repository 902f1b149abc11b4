"""Word placement: glyph boxes from the font, the free area, words never overlapping or leaving it."""
from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image, ImageDraw

from analysis_utils import SpeechError, find_cjk_font
from analysis_utils.plots.cloudlayout import GAP_ACROSS, canvas_mask, cloud_font, fit_words, glyphs, half_masks, place_words


@pytest.fixture(scope="module")
def font():
    return cloud_font(str(find_cjk_font()))


def test_glyph_boxes_horizontal_and_upright(font):
    w, h, placed = glyphs(font, "党建", 50, False)
    assert (w, h) == (100.0, 50.0)  # Chinese characters are one em wide
    assert [(ch, x) for ch, x, _ in placed] == [("党", 0.0), ("建", 50.0)]
    w, h, placed = glyphs(font, "党建", 50, True)
    assert (w, h) == (50.0, 100.0)
    assert [y for *_, y in placed] == [font.ascent * 50, (1 + font.ascent) * 50]  # one em cell per character


def test_canvas_masks_leave_a_margin_and_cut_a_circle():
    rect = canvas_mask("rectangle", 100, 50, None)
    assert rect.shape == (50, 100) and rect[0].all() and not rect[25, 50]
    circle = canvas_mask("circle", 100, 100, None)
    assert circle[0, 0] and not circle[50, 50]
    with pytest.raises(ValueError, match="unknown shape 'star'"):
        canvas_mask("star", 10, 10, None)


def test_a_mask_image_is_fitted_into_the_canvas(tmp_path):
    path = tmp_path / "left.png"
    im = Image.new("RGB", (100, 100), "white")
    ImageDraw.Draw(im).rectangle([0, 0, 49, 99], fill="black")  # left half dark
    im.save(path)
    blocked = canvas_mask("rectangle", 200, 100, path)
    free_cols = np.flatnonzero(~blocked.all(axis=0))
    assert 50 <= free_cols[0] and free_cols[-1] < 100  # the dark half, centred in a wider canvas
    with pytest.raises(SpeechError, match="no such mask image"):
        canvas_mask("rectangle", 200, 100, tmp_path / "missing.png")


def test_placed_words_stay_in_the_free_area_and_apart(font):
    blocked = canvas_mask("rectangle", 400, 200, None)
    items = [(f"词{i}", 40 - 2 * i) for i in range(10)]
    placed = place_words(items, blocked, font, vertical_share=0.0, min_size=8, margin=2, rng=random.Random(1))
    assert [p.term for p in placed] == [t for t, _ in items]
    boxes = []
    for p in placed:
        assert not blocked[p.top:p.top + int(p.height), p.left:p.left + int(p.width)].any()
        boxes.append((p.left, p.top, p.left + p.width, p.top + p.height, GAP_ACROSS * p.size))
    for i, (a0, b0, a1, b1, _) in enumerate(boxes):
        for c0, d0, c1, d1, _ in boxes[i + 1:]:
            assert a1 <= c0 or c1 <= a0 or b1 <= d0 or d1 <= b0  # no two words overlap


def test_fit_words_keeps_sizes_true_to_the_weights(font):
    blocked = canvas_mask("rectangle", 300, 150, None)
    items = [(f"词语{i}", float(30 - i)) for i in range(30)]
    [placed] = fit_words([(items, blocked)], font, top=120, fixed=False, vertical_share=0.0, random_state=0,
                         min_size=6, margin=2)
    sizes = [p.size for p in placed]
    assert len(placed) == 30 and sizes[0] == max(sizes)
    for i, size in enumerate(sizes[:-1]):  # never clearly smaller than a word of less weight
        assert size >= 0.8 * max(sizes[i + 1:]) - 1


def test_the_halves_of_a_comparison_cloud_leave_a_gutter_and_the_name_band():
    left, right = half_masks(canvas_mask("rectangle", 400, 200, None), 30)
    free_left, free_right = np.flatnonzero(~left.all(axis=0)), np.flatnonzero(~right.all(axis=0))
    assert free_left[-1] < 196 and free_right[0] >= 204  # a gutter of 1% of the width either side of the middle
    assert left[:32].all() and right[:32].all() and not left[100, 100] and not right[100, 300]
