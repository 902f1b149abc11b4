"""Colour schemes of word clouds: every scheme's background and word colours."""
from __future__ import annotations

import numpy as np
import pytest

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
