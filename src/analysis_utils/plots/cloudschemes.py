"""The colour schemes of word clouds: background, word colours by size, legend and pair colours.

Example:
    >>> sorted(SCHEMES)
    ['category', 'default', 'party', 'party_light']
    >>> background(4, 2, "#B50F0F", "#7E0A0A").getpixel((0, 0))
    (142, 11, 11)
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image

__all__ = ["SCHEMES", "Scheme", "SchemeName", "background", "get_scheme"]

SchemeName = Literal["default", "party", "party_light", "category"]


@dataclass(frozen=True)
class Scheme:
    """A colour scheme: background, word colours by size tier, legend colours.

    ``tiers`` is a list of ``(min_relative_size, colours)``: a word whose font size is at
    least that share of the largest word's takes one of those colours (picked with the
    cloud's ``random_state``). ``formulation``/``other`` colour the ``category`` scheme
    and the legend; ``pair`` colours the two speeches of a comparison cloud.
    """

    name: str
    label: str
    background: str
    background_edge: str | None  # a radial gradient from background (centre) to this (corners)
    tiers: tuple[tuple[float, tuple[str, ...]], ...]
    formulation: str
    other: str
    pair: tuple[str, str]
    text: str  # legend and label text
    rule: str  # divider line of a comparison cloud

    def tier_colour(self, rel: float, rng: random.Random) -> str:
        """The colour of a word ``rel`` times the size of the largest one."""
        for threshold, colours in self.tiers:
            if rel >= threshold:
                return colours[rng.randrange(len(colours))]
        return self.tiers[-1][1][0]


SCHEMES: dict[str, Scheme] = {
    "default": Scheme(
        name="default", label="默认（蓝灰）· restrained blue-grey",
        background="#FFFFFF", background_edge=None,
        tiers=((0.55, ("#1B365D",)), (0.3, ("#1B365D", "#2C5282", "#34495E")),
               (0.0, ("#2C5282", "#4A6584", "#5D6D7E", "#34495E"))),
        formulation="#1B365D", other="#7F8C8D", pair=("#1B4F72", "#A04000"),
        text="#333333", rule="#BFC5CC",
    ),
    "party": Scheme(
        name="party", label="党建红金（红底金字）· gold on deep red",
        background="#B50F0F", background_edge="#7E0A0A",
        tiers=((0.55, ("#FFD54F",)), (0.3, ("#FFD54F", "#F3C453")),
               (0.0, ("#F3C453", "#EBC97A", "#F7DC9C"))),
        formulation="#FFD54F", other="#F4E1C1", pair=("#FFD54F", "#FFFFFF"),
        text="#F7DC9C", rule="#E0B84A",
    ),
    "party_light": Scheme(
        name="party_light", label="党建红金（白底）· red and gold on white",
        background="#FFFFFF", background_edge=None,
        tiers=((0.55, ("#C00000",)), (0.3, ("#C00000", "#A50E0E", "#B8860B")),
               (0.0, ("#C00000", "#9E1B1B", "#B8860B", "#8B6508"))),
        formulation="#C00000", other="#B8860B", pair=("#C00000", "#8B6508"),
        text="#5A1A1A", rule="#D9B25F",
    ),
    "category": Scheme(
        name="category", label="按类别（提法/其他）· formulations vs other terms",
        background="#FFFFFF", background_edge=None,
        tiers=((0.0, ("#34495E",)),),
        formulation="#C00000", other="#34495E", pair=("#C00000", "#34495E"),
        text="#333333", rule="#BFC5CC",
    ),
}


def get_scheme(name: str) -> Scheme:
    """The colour scheme called ``name``; an unknown name raises ``ValueError`` listing the valid ones.

    Example:
        >>> get_scheme("party").background
        '#B50F0F'
    """
    try:
        return SCHEMES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown colour scheme {name!r}: choose one of {', '.join(SCHEMES)}") from None



# --------------------------------------------------------------------------- background
def _hex(colour: str) -> np.ndarray:
    c = colour.lstrip("#")
    return np.array([int(c[i:i + 2], 16) for i in (0, 2, 4)], dtype=np.float64)


def background(w: int, h: int, centre: str, edge: str | None) -> Image.Image:
    """A ``w`` × ``h`` image of colour ``centre``, or a radial gradient from ``centre`` to ``edge`` (corners)."""
    if not edge:
        return Image.new("RGB", (w, h), centre)
    x = np.arange(w) + 0.5 - w / 2  # a row and a column, broadcast: no w × h grids of coordinates
    y = np.arange(h) + 0.5 - h / 2
    t = np.hypot(x[None, :], y[:, None]) / (math.hypot(w, h) / 2)
    t = np.clip(t, 0, 1)[..., None]
    rgb = _hex(centre) * (1 - t) + _hex(edge) * t
    return Image.fromarray(np.round(rgb).astype(np.uint8), "RGB")
