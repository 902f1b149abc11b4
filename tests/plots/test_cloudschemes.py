"""Colour schemes of word clouds: every scheme's background and word colours."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from analysis_utils import SCHEMES, textplot_wordcloud
from analysis_utils.plots.cloudschemes import background, get_scheme

SMALL = dict(width=960, height=540)  # half size: same layout rules, faster tests


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_every_scheme_draws_its_background_and_colours(cloud_freq, scheme):
    cloud = textplot_wordcloud(cloud_freq, scheme=scheme, top_n=40, **SMALL)
    sch = SCHEMES[scheme]
    img = np.asarray(cloud.to_image())
    corner = "#{:02X}{:02X}{:02X}".format(*img[0, 0])
    assert corner == (sch.background_edge or sch.background)
    allowed = {c for _, cs in sch.tiers for c in cs} | {sch.formulation, sch.other}
    assert set(cloud.words["colour"]) <= allowed


def test_an_unknown_scheme_names_the_valid_ones():
    with pytest.raises(ValueError, match="choose one of default, party, party_light, category"):
        get_scheme("rainbow")


def test_the_party_background_is_a_radial_gradient():
    img = np.asarray(background(200, 100, "#B50F0F", "#7E0A0A"))
    assert tuple(img[50, 100]) == (0xB5, 0x0F, 0x0F)  # the centre
    assert tuple(img[0, 0]) == (0x7E, 0x0A, 0x0A)  # a corner


def _gradient_on_a_grid(w: int, h: int, centre: str, edge: str) -> Image.Image:
    """The gradient as it was computed before issue 20: on full w × h grids of coordinates."""
    yy, xx = np.mgrid[0:h, 0:w]
    t = np.clip(np.hypot(xx + 0.5 - w / 2, yy + 0.5 - h / 2) / (math.hypot(w, h) / 2), 0, 1)[..., None]
    rgb = np.array([int(centre[i:i + 2], 16) for i in (1, 3, 5)]) * (1 - t) + np.array([int(edge[i:i + 2], 16) for i in (1, 3, 5)]) * t
    return Image.fromarray(np.round(rgb).astype(np.uint8), "RGB")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(w=st.integers(1, 300), h=st.integers(1, 200), colours=st.sampled_from([("#B50F0F", "#7E0A0A"), ("#FFFFFF", "#000000")]))
def test_the_gradient_is_the_same_picture_as_on_a_grid_of_coordinates(tmp_path, w, h, colours):
    """Issue 20: the gradient is computed from a row and a column (2.7× faster); the PNG files are the same bytes."""
    fast, plain = tmp_path / f"fast_{w}_{h}.png", tmp_path / f"plain_{w}_{h}.png"
    background(w, h, *colours).save(fast)
    _gradient_on_a_grid(w, h, *colours).save(plain)
    assert fast.read_bytes() == plain.read_bytes()


def test_the_slide_s_gradient_is_the_same_picture_as_on_a_grid_of_coordinates():
    assert background(1920, 1080, "#B50F0F", "#7E0A0A").tobytes() == _gradient_on_a_grid(1920, 1080, "#B50F0F", "#7E0A0A").tobytes()
