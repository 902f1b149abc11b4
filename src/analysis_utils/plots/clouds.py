"""Word clouds that are right for Chinese and ready for slides.

A cloud is drawn from a **term table** (the frequency analysis: ``term`` and ``count``
columns, one row per term, same tokenisation, lexicon and stopwords), never from raw
text, so the biggest words of the cloud are the top terms of the bar chart and
formulations (提法) stay whole.

* Chinese font always (:func:`analysis_utils.find_cjk_font`); every glyph is placed by
  this module, so the PNG and the SVG show exactly the same picture.
* Words are horizontal by default; ``vertical=True`` sets some words upright in a
  column, characters stacked top to bottom (竖排), the way Chinese is written
  vertically — never a line of text turned on its side.
* Reproducible: the same table and parameters give the same PNG, byte for byte
  (fixed ``random_state``; PNG written without time or software stamps).
* Shapes: a 16:9 rectangle (1920×1080 by default), a circle, or any silhouette image
  (white = background).
* Colour schemes (:data:`SCHEMES`): ``default`` (restrained blue-grey), ``party``
  (gold words on deep red), ``party_light`` (red and gold on white) and ``category``
  (formulations in one colour, other terms in another, with a legend).
* Variants: :func:`slogan_terms` (formulations only) and
  :func:`textplot_comparison_cloud` (two speeches, after quanteda's
  ``textplot_wordcloud(comparison = TRUE)``).
* The SVG draws every character as a path (fonts need not be installed to view it) and
  names the font family it was drawn with.

The placement algorithm is the one of the ``wordcloud`` package (a greedy search for
free space with its integral-image occupancy map, largest words first, shrinking a word
that does not fit), run on boxes this module measures itself so that vertical words can
be stacked upright.

Example:
    >>> tok = Tokenizer()                                            # doctest: +SKIP
    >>> freq = with_origin(term_frequency(tok.tokens(speech)), tok.tokens(speech))
    >>> cloud = textplot_wordcloud(freq, scheme="party", source=speech.id)
    >>> save_wordcloud(cloud, speech.id, "04_wordcloud_party")
"""
from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from ..plots.labels import shorten
from ..errors import SpeechError
from ..outputs import save_outputs
from ..plots.fonts import find_cjk_font
from ..speech import Speech
from ..outline.sections import top_level_sections
from ..stats import FORMULATION_ORIGINS, term_frequency

Shape = Literal["rectangle", "circle"]
SchemeName = Literal["default", "party", "party_light", "category"]

#: The shapes that need no mask file (a silhouette is given with ``mask_path``).
SHAPES: tuple[str, ...] = ("rectangle", "circle")
#: Columns of :attr:`Cloud.words`.
WORD_COLUMNS = ["term", "count", "font_size", "left", "top", "width", "height", "vertical", "colour", "group"]

WIDTH, HEIGHT = 1920, 1080  # 16:9, full-HD: a full slide
MIN_TERMS = 10


# ----------------------------------------------------------------------------- schemes
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
    """The colour scheme called ``name``; an unknown name raises :class:`SpeechError`
    listing the valid ones."""
    try:
        return SCHEMES[name]
    except (KeyError, TypeError):
        raise SpeechError(None, f"unknown colour scheme {name!r}: choose one of {', '.join(SCHEMES)}") from None


# ------------------------------------------------------------------------------- fonts
class _Font:
    """One font file: glyph advances and outlines (fontTools), rasteriser (PIL) by size."""

    def __init__(self, path: Path):
        from fontTools.ttLib import TTCollection, TTFont

        self.path = Path(path)
        self.index = 0
        if self.path.suffix.lower() in (".ttc", ".otc"):
            fonts = TTCollection(str(self.path), lazy=True).fonts
            names = [f["name"].getDebugName(1) or "" for f in fonts]
            self.index = next((i for i, n in enumerate(names) if n.endswith((" SC", " CN", " GB"))), 0)
            tt = TTFont(str(self.path), fontNumber=self.index, lazy=True)
        else:
            tt = TTFont(str(self.path), lazy=True)
        self._tt = tt
        self.upem = tt["head"].unitsPerEm
        os2 = tt["OS/2"] if "OS/2" in tt else None
        asc = getattr(os2, "sTypoAscender", 0) if os2 is not None else 0
        desc = getattr(os2, "sTypoDescender", 0) if os2 is not None else 0
        if asc - desc <= 0:
            asc, desc = tt["hhea"].ascent, tt["hhea"].descent
        # The ideographic em box: baseline sits at ``ascent`` below the top of a cell.
        self.ascent = asc / (asc - desc)
        self.family = tt["name"].getDebugName(16) or tt["name"].getDebugName(1) or self.path.stem
        self._cmap = tt.getBestCmap() or {}
        self._hmtx = tt["hmtx"]
        self._glyphs = tt.getGlyphSet()

    @lru_cache(maxsize=None)
    def advance(self, ch: str) -> float:
        """Horizontal advance of ``ch`` in em."""
        name = self._cmap.get(ord(ch), ".notdef")
        return self._hmtx[name][0] / self.upem

    @lru_cache(maxsize=512)
    def pil(self, size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(self.path), size, index=self.index, layout_engine=ImageFont.Layout.BASIC)

    @lru_cache(maxsize=None)
    def outline(self, ch: str) -> str:
        """SVG path data of ``ch`` in font units (y up)."""
        from fontTools.pens.svgPathPen import SVGPathPen

        name = self._cmap.get(ord(ch), ".notdef")
        pen = SVGPathPen(self._glyphs, ntos=lambda v: f"{round(v, 1):g}")
        self._glyphs[name].draw(pen)
        return pen.getCommands()


@lru_cache(maxsize=4)
def _font(path: str) -> _Font:
    return _Font(Path(path))


def _glyphs(font: _Font, text: str, size: float, vertical: bool) -> tuple[float, float, list[tuple[str, float, float]]]:
    """``(width, height, [(char, x, baseline_y)])`` of ``text`` set at ``size`` px, from its box's top-left.

    Horizontal: characters side by side on one baseline, box one em tall. Vertical:
    one em-square cell per character, top to bottom, each character upright and centred
    in its cell (a narrow Latin letter or digit too).
    """
    if vertical:
        placed = [(ch, (1 - font.advance(ch)) * size / 2, (i + font.ascent) * size) for i, ch in enumerate(text)]
        return float(size), float(size * len(text)), placed
    placed, x = [], 0.0
    for ch in text:
        placed.append((ch, x, font.ascent * size))
        x += font.advance(ch) * size
    return x, float(size), placed


def _draw_text(draw: ImageDraw.ImageDraw, font: _Font, text: str, size: int, left: float, top: float,
               vertical: bool, fill, scale: float = 1.0) -> None:
    px = max(1, round(size * scale))
    pil = font.pil(px)
    for ch, x, y in _glyphs(font, text, size, vertical)[2]:
        if not ch.isspace():
            draw.text(((left + x) * scale, (top + y) * scale), ch, font=pil, anchor="ls", fill=fill)


# ------------------------------------------------------------------------------ shapes
def _canvas_mask(shape: str, width: int, height: int, mask_path: str | Path | None) -> np.ndarray:
    """Boolean array (height × width), True where words may NOT go."""
    pad = max(2, round(0.025 * min(width, height)))
    if mask_path is not None:
        return _silhouette(mask_path, width, height, pad)
    if shape == "rectangle":
        blocked = np.ones((height, width), dtype=bool)
        blocked[pad:height - pad, pad:width - pad] = False
        return blocked
    if shape == "circle":
        yy, xx = np.mgrid[0:height, 0:width]
        r = min(width, height) / 2 - pad
        return (xx + 0.5 - width / 2) ** 2 + (yy + 0.5 - height / 2) ** 2 > r * r
    raise SpeechError(None, f"unknown shape {shape!r}: choose one of {', '.join(SHAPES)}, or give mask_path (a PNG/JPG silhouette)")


def _silhouette(mask_path: str | Path, width: int, height: int, pad: int) -> np.ndarray:
    path = Path(mask_path).expanduser()
    if not path.is_file():
        raise SpeechError(path, "no such mask image" if not path.exists() else "the mask is not a file")
    try:
        with Image.open(path) as im:
            im.load()
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                rgba = im.convert("RGBA")
                grey = np.asarray(rgba.convert("L"))
                alpha = np.asarray(rgba)[..., 3]
                shape = (grey < 240) & (alpha >= 128)
            else:
                shape = np.asarray(im.convert("L")) < 240
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        reason = "cannot identify image file" if isinstance(e, UnidentifiedImageError) else str(e).split("\n")[0]
        raise SpeechError(path, f"the mask is not a readable image (PNG or JPG): {reason}") from None
    if not shape.any():
        raise SpeechError(path, "the mask is all white: nothing to fill (white = background, the shape must be dark)")
    # Fit the silhouette into the canvas (aspect ratio kept, centred).
    h0, w0 = shape.shape
    k = min((width - 2 * pad) / w0, (height - 2 * pad) / h0)
    w1, h1 = max(1, round(w0 * k)), max(1, round(h0 * k))
    small = Image.fromarray((shape * 255).astype(np.uint8)).resize((w1, h1), Image.Resampling.BILINEAR)
    inside = np.zeros((height, width), dtype=bool)
    x0, y0 = (width - w1) // 2, (height - h1) // 2
    inside[y0:y0 + h1, x0:x0 + w1] = np.asarray(small) >= 128
    return ~inside


# ------------------------------------------------------------------------------ layout
@dataclass
class _Placed:
    term: str
    size: int
    left: int
    top: int
    width: float
    height: float
    vertical: bool


def _target_sizes(weights: list[float], top: float, *, wmax: float | None = None, wmin: float | None = None,
                  floor: float = 0.16, gamma: float = 0.7) -> list[float]:
    """Font size per weight: ``top`` for the largest, ``floor × top`` for the smallest weight."""
    wmax = max(weights) if wmax is None else wmax
    wmin = min(weights) if wmin is None else wmin
    out = []
    for w in weights:
        rel = 1.0 if wmax <= wmin else (w - wmin) / (wmax - wmin)
        out.append(top * (floor + (1 - floor) * rel ** gamma))
    return out


#: Free space kept around a word, as a share of its font size: ``GAP_ALONG`` before and
#: after it in its reading direction, ``GAP_ACROSS`` on its other two sides. Chinese has
#: no spaces between words: two words that follow each other on one line (or in one
#: column) read as one phrase unless a clear gap separates them, so the gap grows with
#: the words and is widest where a reader would run on.
GAP_ALONG = 0.24
GAP_ACROSS = 0.12


def _layout(items: list[tuple[str, float]], blocked: np.ndarray, font: _Font, *, vertical_share: float,
            min_size: int, margin: int, rng: random.Random, give_up: float | None = None) -> list[_Placed] | None:
    """Place ``(term, target_size)`` in order, each at its target size or, if it does not
    fit, the largest smaller size that fits; stop at the first that fits nowhere.

    Occupancy is by word box (the em box of every character) plus a gap of ``GAP_ALONG``
    (reading direction) or ``GAP_ACROSS`` (other sides) of the word's size, at least
    ``margin / 2``. With ``give_up``, return
    ``None`` as soon as a word would have to shrink below ``give_up`` × its target.
    """
    from wordcloud.wordcloud import IntegralOccupancyMap

    height, width = blocked.shape
    grey = Image.fromarray(blocked.astype(np.uint8) * 255)
    draw = ImageDraw.Draw(grey)
    occupancy = IntegralOccupancyMap(height, width, blocked.astype(np.uint32))
    placed: list[_Placed] = []
    for term, target in items:
        size = max(min_size, round(target))
        floor = max(min_size, give_up * size) if give_up else min_size
        preferred = len(term) > 1 and rng.random() < vertical_share
        vertical, tried_other, pos = preferred, False, None
        while size >= floor:
            along, across = max(margin / 2, GAP_ALONG * size), max(margin / 2, GAP_ACROSS * size)
            gx, gy = math.ceil(across if vertical else along), math.ceil(along if vertical else across)
            w, h, _ = _glyphs(font, term, size, vertical)
            pos = occupancy.sample_position(math.ceil(h) + 2 * gy, math.ceil(w) + 2 * gx, rng)
            if pos is not None:
                break
            if vertical_share > 0 and len(term) > 1 and not tried_other:
                vertical, tried_other = not vertical, True
                continue
            size -= max(1, size // 40)
            vertical, tried_other = preferred, False
        if pos is None:
            if give_up:
                return None
            break
        top, left = pos[0] + gy, pos[1] + gx
        draw.rectangle([pos[1], pos[0], left + math.ceil(w) + gx - 1, top + math.ceil(h) + gy - 1], fill=255)
        occupancy.update(np.asarray(grey), pos[0], pos[1])
        placed.append(_Placed(term, size, left, top, w, h, vertical))
    return placed


def _first_size(font: _Font, term: str, blocked: np.ndarray, share: float = 0.3) -> float:
    """A first guess for the biggest word: ``share`` of the free height, and narrower than the free width."""
    free_rows = np.flatnonzero(~blocked.all(axis=1))
    free_cols = np.flatnonzero(~blocked.all(axis=0))
    if not len(free_rows):
        return 0.0
    avail_w = free_cols[-1] - free_cols[0] + 1
    avail_h = free_rows[-1] - free_rows[0] + 1
    return min(share * avail_h, 0.85 * avail_w / max(1e-6, sum(font.advance(c) for c in term)))


def _fit(groups: list[tuple[list[tuple[str, float]], np.ndarray]], font: _Font, *, top: float, fixed: bool,
         vertical_share: float, random_state: int, min_size: int, margin: int,
         attempts: int = 12, faithful: float = 0.8) -> list[list[_Placed]]:
    """Lay out every group's ``(term, weight)`` items in its free area, sizes true to the weights.

    All groups share one size scale (the largest weight of any group gets ``top``). If a
    word would be left out, or would have to shrink below ``faithful`` × its size (its
    size would misstate its count), everything starts again 12% smaller, so sizes stay
    proportional and the words are always the first ones of each group's list. The last
    try (or a ``fixed`` top size) keeps whatever fits.
    """
    weights = [w for items, _ in groups for _, w in items]
    wmax, wmin = max(weights), min(weights)
    for attempt in range(attempts):
        last = fixed or attempt == attempts - 1 or top * 0.88 < 4 * min_size
        out = []
        for k, (items, blocked) in enumerate(groups):
            sizes = _target_sizes([w for _, w in items], top, wmax=wmax, wmin=wmin)
            placed = _layout([(t, s) for (t, _), s in zip(items, sizes)], blocked, font, vertical_share=vertical_share,
                             min_size=min_size, margin=margin, rng=random.Random(random_state + k),
                             give_up=None if last else faithful)
            if placed is None:
                break
            out.append(placed)
        else:
            return out
        top *= 0.88
    return out  # not reached: the last attempt never gives up


# ------------------------------------------------------------------------------- cloud
@dataclass(frozen=True)
class _Label:
    text: str
    left: float
    top: float
    size: int
    colour: str


@dataclass(frozen=True)
class _Swatch:
    left: float
    top: float
    size: int
    colour: str


@dataclass(frozen=True)
class _Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    colour: str
    width: float


@dataclass(frozen=True)
class Cloud:
    """A laid-out word cloud: every word's place, size and colour, ready to draw.

    Attributes:
        words: one row per word drawn, in the term table's order, columns
            ``term, count, font_size, left, top, width, height, vertical, colour, group``
            (pixels of the 1× image; ``vertical`` words are upright columns;
            ``group`` is ``formulation``/``other`` or the speech label of a comparison).
        dropped: the terms of the request that did not fit (normally none).
        width, height: image size in pixels at scale 1.
        scheme, shape: what it was drawn with; ``font_family`` and ``font_path`` the font.

    ``to_image()`` gives a PIL image, ``to_png()``/``to_svg()`` bytes/text; in Jupyter a
    ``Cloud`` shows itself as the PNG.
    """

    words: pd.DataFrame
    width: int
    height: int
    scheme: str
    shape: str
    background: str
    background_edge: str | None
    font_path: str
    font_family: str
    dropped: tuple[str, ...] = ()
    decorations: tuple = field(default=(), repr=False)

    # -- raster -------------------------------------------------------------------------
    def to_image(self, *, scale: float = 1.0) -> Image.Image:
        """The cloud as an RGB image, ``scale`` × its size (2 gives 3840×2160 from 1920×1080)."""
        w, h = round(self.width * scale), round(self.height * scale)
        img = _background(w, h, self.background, self.background_edge)
        draw = ImageDraw.Draw(img)
        font = _font(self.font_path)
        for r in self.words.itertuples(index=False):
            _draw_text(draw, font, r.term, int(r.font_size), r.left, r.top, bool(r.vertical), r.colour, scale)
        for d in self.decorations:
            if isinstance(d, _Label):
                _draw_text(draw, font, d.text, d.size, d.left, d.top, False, d.colour, scale)
            elif isinstance(d, _Swatch):
                draw.rectangle([d.left * scale, d.top * scale, (d.left + d.size) * scale - 1, (d.top + d.size) * scale - 1], fill=d.colour)
            elif isinstance(d, _Rule):
                draw.line([d.x0 * scale, d.y0 * scale, d.x1 * scale, d.y1 * scale], fill=d.colour, width=max(1, round(d.width * scale)))
        return img

    def to_png(self, *, scale: float = 1.0) -> bytes:
        """PNG bytes; identical for identical clouds (no time or software chunks)."""
        buf = io.BytesIO()
        self.to_image(scale=scale).save(buf, format="PNG", optimize=False, compress_level=6)
        return buf.getvalue()

    def _repr_png_(self) -> bytes:
        return self.to_png(scale=0.5)

    # -- vector -------------------------------------------------------------------------
    def to_svg(self) -> str:
        """The cloud as SVG text: characters as outlines (shared ``<defs>``), one ``<g>``
        per word with the word as its ``<title>``; the font family is named on the root."""
        font = _font(self.font_path)
        k = 1 / font.upem
        chars: dict[str, str] = {}
        body: list[str] = []

        def text_group(text: str, size: int, left: float, top: float, vertical: bool, colour: str, role: str) -> str:
            uses = []
            for ch, x, y in _glyphs(font, text, size, vertical)[2]:
                if ch.isspace():
                    continue
                gid = f"u{ord(ch):x}"
                chars.setdefault(gid, font.outline(ch))
                s = size * k
                uses.append(f'<use xlink:href="#{gid}" transform="translate({left + x:.2f} {top + y:.2f}) scale({s:.5f} {-s:.5f})"/>')
            t = escape(text, {'"': "&quot;"})
            return f'<g class="{role}" fill="{colour}" aria-label="{t}"><title>{t}</title>{"".join(uses)}</g>'

        for r in self.words.itertuples(index=False):
            body.append(text_group(r.term, int(r.font_size), r.left, r.top, bool(r.vertical), r.colour, "word"))
        for d in self.decorations:
            if isinstance(d, _Label):
                body.append(text_group(d.text, d.size, d.left, d.top, False, d.colour, "label"))
            elif isinstance(d, _Swatch):
                body.append(f'<rect x="{d.left:g}" y="{d.top:g}" width="{d.size}" height="{d.size}" fill="{d.colour}"/>')
            elif isinstance(d, _Rule):
                body.append(f'<line x1="{d.x0:g}" y1="{d.y0:g}" x2="{d.x1:g}" y2="{d.y1:g}" stroke="{d.colour}" stroke-width="{d.width:g}"/>')
        defs = [f'<path id="{gid}" d="{d}"/>' for gid, d in sorted(chars.items())]
        if self.background_edge:
            r = math.hypot(self.width, self.height) / 2
            defs.append(
                f'<radialGradient id="bg" gradientUnits="userSpaceOnUse" cx="{self.width / 2:g}" cy="{self.height / 2:g}" r="{r:.2f}">'
                f'<stop offset="0" stop-color="{self.background}"/><stop offset="1" stop-color="{self.background_edge}"/></radialGradient>'
            )
            bg = "url(#bg)"
        else:
            bg = self.background
        family = escape(self.font_family, {'"': "&quot;"})
        return "\n".join([
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{self.width}" height="{self.height}" viewBox="0 0 {self.width} {self.height}" font-family="{family}">',
            f"<desc>词云 word cloud ({escape(self.scheme)}, {escape(self.shape)}); "
            f"characters drawn as outlines of the font {family}</desc>",
            "<defs>", *defs, "</defs>",
            f'<rect width="{self.width}" height="{self.height}" fill="{bg}"/>',
            *body,
            "</svg>",
            "",
        ])


def _hex(colour: str) -> np.ndarray:
    c = colour.lstrip("#")
    return np.array([int(c[i:i + 2], 16) for i in (0, 2, 4)], dtype=np.float64)


def _background(w: int, h: int, centre: str, edge: str | None) -> Image.Image:
    if not edge:
        return Image.new("RGB", (w, h), centre)
    yy, xx = np.mgrid[0:h, 0:w]
    t = np.hypot(xx + 0.5 - w / 2, yy + 0.5 - h / 2) / (math.hypot(w, h) / 2)
    t = np.clip(t, 0, 1)[..., None]
    rgb = _hex(centre) * (1 - t) + _hex(edge) * t
    return Image.fromarray(np.round(rgb).astype(np.uint8), "RGB")


# --------------------------------------------------------------------------- the tables
def _term_table(freq: pd.DataFrame, source) -> pd.DataFrame:
    """Validated copy of a term table: positive counts, one row per term, count desc then term."""
    if not isinstance(freq, pd.DataFrame) or not {"term", "count"} <= set(freq.columns):
        cols = list(freq.columns) if isinstance(freq, pd.DataFrame) else type(freq).__name__
        raise SpeechError(source, f"a word cloud needs a term table with columns term and count (got {cols})")
    df = freq.copy()
    df["term"] = df["term"].astype(str).str.strip()
    df["count"] = pd.to_numeric(df["count"], errors="coerce").fillna(0)
    df = df[(df["term"] != "") & (df["count"] > 0)]
    if df["term"].duplicated().any():
        extra = {c: "first" for c in df.columns if c not in ("term", "count")}
        df = df.groupby("term", as_index=False, sort=False).agg({"count": "sum", **extra})
    return df.sort_values(["count", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _is_formulation(df: pd.DataFrame) -> pd.Series:
    if "origin" in df.columns:
        return df["origin"].isin(list(FORMULATION_ORIGINS))
    if "category" in df.columns:
        return df["category"].fillna("").astype(str).str.len() > 0
    raise SpeechError(None, "the category scheme and slogan clouds need an origin (or category) column: "
                            "pass the table through with_origin(freq, tokens) first")


def with_origin(freq: pd.DataFrame, tokens: pd.DataFrame, *, lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add ``origin`` and ``category`` columns to a term table, from the token table.

    ``origin`` is ``lexicon`` or ``slogan`` when the tokeniser kept the term whole as a
    formulation (提法) anywhere in the speech, else ``jieba``; ``category`` is the lexicon's
    category (``theory``, ``party_building`` …), ``slogan`` for number slogans found by
    pattern, and empty for ordinary words.

    Args:
        freq: a term table (``term`` column).
        tokens: the token table it was counted from (``Tokenizer.tokens``).
        lexicon: phrase → category table (default: the bundled lexicon).

    Example:
        >>> freq = with_origin(term_frequency(toks), toks)  # doctest: +SKIP
    """
    from ..lexicon import load_lexicon

    lexicon = load_lexicon() if lexicon is None else lexicon
    cats = dict(zip(lexicon["phrase"], lexicon["category"]))
    rank = {"lexicon": 0, "slogan": 1}
    origin: dict[str, str] = {}
    for tok, org in zip(tokens["token"], tokens["origin"]):
        prev = origin.get(tok)
        if prev is None or rank.get(org, 9) < rank.get(prev, 9):
            origin[tok] = org  # lexicon beats slogan beats jieba
    out = freq.copy()
    out["origin"] = [origin.get(t, "jieba") if origin.get(t) in rank else "jieba" for t in out["term"]]
    out["category"] = [cats.get(t, "slogan" if o == "slogan" else "") if o in rank else ""
                       for t, o in zip(out["term"], out["origin"])]
    return out


def slogan_terms(freq: pd.DataFrame) -> pd.DataFrame:
    """Only the formulations (提法) of a term table: rows whose ``origin`` is lexicon or slogan.

    Example:
        >>> textplot_wordcloud(slogan_terms(freq), min_terms=3)  # doctest: +SKIP
    """
    df = freq[_is_formulation(freq)].reset_index(drop=True)
    return df


# ------------------------------------------------------------------------------- clouds
def _vertical_share(vertical: bool | float) -> float:
    if vertical is True:
        return 0.5
    if vertical is False or vertical is None:
        return 0.0
    try:
        v = float(vertical)
    except (TypeError, ValueError):
        v = -1.0
    if not 0 <= v <= 1:
        raise SpeechError(None, f"vertical must be True/False or a share between 0 and 1 (got {vertical!r})")
    return v


def _legend(scheme: Scheme, width: int, height: int, blocked: np.ndarray, font: _Font,
            entries: list[tuple[str, str]]) -> list:
    """Legend entries (colour, text) in the bottom-left corner; their area is blocked for words."""
    size = max(16, round(height * 0.024))
    pad = max(2, round(0.025 * min(width, height)))
    x, y = pad, height - pad - size
    items: list = []
    for colour, text in entries:
        items.append(_Swatch(x, y + size * 0.1, round(size * 0.8), colour))
        items.append(_Label(text, x + size * 1.1, y, size, scheme.text))
        x += size * 1.1 + _glyphs(font, text, size, False)[0] + size * 1.2
    gap = round(size * 0.5)
    blocked[max(0, y - gap):, : min(width, math.ceil(x + gap))] = True
    return items


def textplot_wordcloud(
    freq: pd.DataFrame,
    *,
    top_n: int = 100,
    scheme: SchemeName | str = "default",
    shape: Shape | str = "rectangle",
    mask_path: str | Path | None = None,
    vertical: bool | float = False,
    random_state: int = 42,
    width: int = WIDTH,
    height: int = HEIGHT,
    max_font_size: int | None = None,
    min_font_size: int | None = None,
    margin: int | None = None,
    min_terms: int = MIN_TERMS,
    legend: bool | None = None,
    source: str | Path | None = None,
) -> Cloud:
    """A word cloud of the ``top_n`` terms of a term table.

    Args:
        freq: the term table (``term``, ``count``; ``origin``/``category`` for the
            ``category`` scheme), e.g. ``term_frequency`` output. Rows are ranked by count,
            then term; the cloud shows the first ``top_n``, size growing with count.
        top_n: how many terms to show.
        scheme: colour scheme, one of :data:`SCHEMES` (``default``, ``party``,
            ``party_light``, ``category``).
        shape: ``rectangle`` (the whole 16:9 canvas) or ``circle``; ignored when
            ``mask_path`` is given.
        mask_path: a silhouette image (PNG/JPG): words fill its dark (or opaque) part,
            white or transparent is background. It is fitted into the canvas.
        vertical: ``True`` sets about half of the words upright in a column (characters
            stacked top to bottom); a number between 0 and 1 sets the share; ``False``
            (default) keeps every word horizontal.
        random_state: seed of the placement; same seed, same picture.
        width, height: canvas size in pixels (default 1920×1080).
        max_font_size: size of the biggest word (default: as big as fits).
        min_font_size: smaller words are not drawn (listed in ``Cloud.dropped``); default
            16 px on a 1080-pixel-high canvas, in proportion on others.
        margin: pixels between words (default ``width/240``).
        min_terms: fewer distinct terms than this is an error (the speech is too short).
        legend: draw the formulation/other legend (default: only for ``category``).
        source: the speech id or file, named in error messages.

    Returns:
        A :class:`Cloud`; save it with :func:`save_wordcloud`.

    Raises:
        SpeechError: too few terms, an unknown scheme or shape, a mask that is not an image.

    Example:
        >>> cloud = textplot_wordcloud(freq, scheme="party", vertical=True)  # doctest: +SKIP
    """
    sch = get_scheme(scheme)
    share = _vertical_share(vertical)
    df = _term_table(freq, source)
    if len(df) < min_terms:
        raise SpeechError(source, f"too short for a word cloud: {len(df)} distinct term(s) after stopwords, "
                                  f"at least {min_terms} needed")
    if not isinstance(top_n, int) or top_n < 1:
        raise SpeechError(source, f"top_n must be a positive whole number (got {top_n!r})")
    df = df.head(top_n).reset_index(drop=True)
    want_category = sch.name == "category" or bool(legend)
    if want_category or {"origin", "category"} & set(df.columns):
        group = np.where(_is_formulation(df), "formulation", "other")  # raises if no column to go by
    else:
        group = np.full(len(df), "other")
    min_font_size = _min_size(min_font_size, height)
    shape_name = "mask" if mask_path is not None else shape
    blocked = _canvas_mask(shape, width, height, mask_path)
    font = _font(str(find_cjk_font()))
    decorations: list = []
    if want_category and legend is not False:
        decorations += _legend(sch, width, height, blocked, font,
                               [(sch.formulation, "提法 formulations"), (sch.other, "其他词语 other terms")])
    margin = max(2, round(width / 240)) if margin is None else margin
    items = list(zip(df["term"], df["count"].astype(float)))
    top = max_font_size or _first_size(font, items[0][0], blocked)
    placed = _fit([(items, blocked)], font, top=top, fixed=bool(max_font_size), vertical_share=share,
                  random_state=random_state, min_size=min_font_size, margin=margin)[0] if top else []
    if not placed:
        raise SpeechError(mask_path if mask_path is not None else source,
                          "no room for a single word: the shape is too small for the canvas")
    biggest = placed[0].size
    rng = random.Random(random_state)
    rows = []
    for p, cnt, grp in zip(placed, df["count"], group):
        if sch.name == "category":
            colour = sch.formulation if grp == "formulation" else sch.other
        else:
            colour = _tier_colour(sch, p.size / biggest, rng)
        rows.append((p.term, cnt, p.size, p.left, p.top, round(p.width, 2), round(p.height, 2), p.vertical, colour, grp))
    return Cloud(
        words=pd.DataFrame(rows, columns=WORD_COLUMNS),
        width=width, height=height, scheme=sch.name, shape=shape_name,
        background=sch.background, background_edge=sch.background_edge,
        font_path=str(font.path), font_family=font.family,
        dropped=tuple(df["term"].iloc[len(placed):]),
        decorations=tuple(decorations),
    )


def _min_size(min_font_size: int | None, height: int) -> int:
    return max(8, round(16 * height / HEIGHT)) if min_font_size is None else int(min_font_size)


def _tier_colour(sch: Scheme, rel: float, rng: random.Random) -> str:
    for threshold, colours in sch.tiers:
        if rel >= threshold:
            return colours[rng.randrange(len(colours))]
    return sch.tiers[-1][1][0]


# --------------------------------------------------------------------------- comparison
def textstat_comparison(freq_a: pd.DataFrame, freq_b: pd.DataFrame, *, top_n: int | None = None) -> pd.DataFrame:
    """Which terms each of two speeches uses relatively more (the comparison cloud's table).

    A term's share is its count over all counted terms of its speech; ``diff`` is
    ``share_a − share_b``; ``side`` is ``a`` when positive, ``b`` when negative (ties are
    dropped). As in quanteda's comparison cloud, a word's size follows ``|diff|``.

    Returns:
        Columns ``term, count_a, count_b, share_a, share_b, diff, side``, sorted by
        ``|diff|`` desc then term; the first ``top_n`` rows when given.
    """
    a, b = _term_table(freq_a, None), _term_table(freq_b, None)
    df = pd.merge(a[["term", "count"]], b[["term", "count"]], on="term", how="outer", suffixes=("_a", "_b")).fillna(0)
    df["count_a"] = df["count_a"].astype(int)
    df["count_b"] = df["count_b"].astype(int)
    df["share_a"] = df["count_a"] / max(1, a["count"].sum())
    df["share_b"] = df["count_b"] / max(1, b["count"].sum())
    df["diff"] = (df["share_a"] - df["share_b"]).round(12)  # equal shares compare equal
    df = df[df["diff"] != 0].copy()
    df["side"] = np.where(df["diff"] > 0, "a", "b")
    df["_abs"] = df["diff"].abs()
    df = df.sort_values(["_abs", "term"], ascending=[False, True], kind="stable").drop(columns="_abs")
    df = df.reset_index(drop=True)
    return df.head(top_n).reset_index(drop=True) if top_n else df




def textplot_comparison_cloud(
    freq_a: pd.DataFrame,
    freq_b: pd.DataFrame,
    *,
    names: tuple[str, str] = ("A", "B"),
    top_n: int = 100,
    scheme: SchemeName | str = "default",
    shape: Shape | str = "rectangle",
    mask_path: str | Path | None = None,
    vertical: bool | float = False,
    random_state: int = 42,
    width: int = WIDTH,
    height: int = HEIGHT,
    min_font_size: int | None = None,
    margin: int | None = None,
    min_terms: int = MIN_TERMS,
) -> Cloud:
    """A comparison cloud of two speeches (quanteda's ``textplot_wordcloud(comparison = TRUE)``).

    Each term stands in the half of the speech that uses it relatively more (left: the
    first speech, right: the second), coloured per speech, sized by how much more
    (:func:`textstat_comparison`); the speech names label the halves. Terms both use
    equally are left out.

    Args:
        freq_a, freq_b: the two term tables.
        names: labels of the two speeches (titles or ids; long ones are shortened).
        top_n: how many terms in all (the largest differences).
        scheme: colour scheme; each speech takes one of its ``pair`` colours.
        Other arguments as in :func:`textplot_wordcloud`.

    Example:
        >>> textplot_comparison_cloud(f1, f2, names=("2021年报告", "2022年报告"))  # doctest: +SKIP
    """
    sch = get_scheme(scheme)
    share = _vertical_share(vertical)
    for f, nm in ((freq_a, names[0]), (freq_b, names[1])):
        n = len(_term_table(f, nm))
        if n < min_terms:
            raise SpeechError(nm, f"too short for a word cloud: {n} distinct term(s) after stopwords, at least {min_terms} needed")
    min_font_size = _min_size(min_font_size, height)
    table = textstat_comparison(freq_a, freq_b, top_n=top_n)
    if len(table) < 2:
        raise SpeechError(None, "the two term tables are the same: nothing to compare")
    font = _font(str(find_cjk_font()))
    base = _canvas_mask(shape, width, height, mask_path)
    pad = max(2, round(0.025 * min(width, height)))
    label_size = max(18, round(height * 0.032))
    label_band = pad + round(label_size * 1.6)
    mid = width // 2
    gutter = max(4, round(width * 0.01))
    decorations: list = [_Rule(mid, pad + label_band, mid, height - pad, sch.rule, max(1.0, width / 960))]
    for i, (nm, colour) in enumerate(zip(names, sch.pair)):
        text = shorten(str(nm), 22)
        tw = _glyphs(font, text, label_size, False)[0]
        left = pad if i == 0 else width - pad - tw
        decorations.append(_Label(text, left, pad, label_size, colour))
    margin = max(2, round(width / 240)) if margin is None else margin
    halves = []  # (side, items, blocked, table rows): one free area per speech
    for side, (lo, hi) in (("a", (0, mid - gutter)), ("b", (mid + gutter, width))):
        sub = table[table["side"] == side]
        if sub.empty:
            continue
        blocked = base.copy()
        blocked[:, :lo] = True
        blocked[:, hi:] = True
        blocked[: label_band + pad // 2, :] = True
        halves.append((side, list(zip(sub["term"], sub["diff"].abs())), blocked, sub))
    # One size scale for both halves: the largest difference of either sets the top size.
    top = min(_first_size(font, items[0][0], blocked, share=0.22) for _, items, blocked, _ in halves)
    layouts = _fit([(items, blocked) for _, items, blocked, _ in halves], font, top=top, fixed=False,
                   vertical_share=share, random_state=random_state, min_size=min_font_size, margin=margin)
    rows, dropped = [], []
    for (side, _, _, sub), placed in zip(halves, layouts):
        k = 0 if side == "a" else 1
        counts = sub["count_a" if side == "a" else "count_b"].tolist()
        for p, cnt in zip(placed, counts):
            rows.append((p.term, int(cnt), p.size, p.left, p.top, round(p.width, 2), round(p.height, 2),
                         p.vertical, sch.pair[k], str(names[k])))
        dropped += list(sub["term"].iloc[len(placed):])
    return Cloud(
        words=pd.DataFrame(rows, columns=WORD_COLUMNS),
        width=width, height=height, scheme=sch.name, shape="mask" if mask_path is not None else shape,
        background=sch.background, background_edge=sch.background_edge,
        font_path=str(font.path), font_family=font.family,
        dropped=tuple(dropped), decorations=tuple(decorations),
    )


def split_in_two(speech: Speech) -> list[tuple[str, int, int]]:
    """The speech in two parts for a comparison cloud: ``[(label, start, end), …]`` body offsets.

    With top-level sections (``一、`` …, :func:`top_level_sections`) the cut falls at the
    section boundary nearest the middle: the seed's two sections become its two parts
    (what was done / what is to be done); an opening before the first heading and a
    closing after the last section are left out. Without headings the body after the
    title block is cut at the paragraph boundary nearest the middle.

    Example:
        >>> [label[:2] for label, *_ in split_in_two(seed)]  # doctest: +SKIP
        ['一、', '二、']
    """
    secs = top_level_sections(speech)
    if len(secs) >= 2:
        start, end = secs[0][1], secs[-1][2]
        mid = (start + end) / 2
        k = min(range(1, len(secs)), key=lambda i: (abs(secs[i][1] - mid), i))
        first, second = secs[:k], secs[k:]

        def label(part, which):
            if len(part) == 1:
                return part[0][0]
            a, b = part[0][0].split("、")[0], part[-1][0].split("、")[0]
            return f"{which}（{a}至{b}）"

        return [(label(first, "前半篇"), first[0][1], first[-1][2]), (label(second, "后半篇"), second[0][1], second[-1][2])]
    start = speech.meta.title_block_end
    paras = [(a, b) for a, b in speech.paragraph_spans if b > start]
    if len(paras) < 2:
        raise SpeechError(speech.path, "too short to cut in two for a comparison cloud (a single paragraph)")
    mid = (paras[0][0] + paras[-1][1]) / 2
    cut = min((a for a, _ in paras[1:]), key=lambda a: (abs(a - mid), a))
    return [("前半篇 first half", paras[0][0], cut), ("后半篇 second half", cut, paras[-1][1])]


def frequency_by_half(speech: Speech, tokens: pd.DataFrame, **filters) -> list[tuple[str, pd.DataFrame]]:
    """``[(label, term table), (label, term table)]`` of the two parts of :func:`split_in_two`.

    ``filters`` go to :func:`term_frequency` (stopwords, pos, min_len …).

    Example:
        >>> (na, fa), (nb, fb) = frequency_by_half(seed, tok.tokens(seed))  # doctest: +SKIP
        >>> textplot_comparison_cloud(fa, fb, names=(na, nb))                # doctest: +SKIP
    """
    out = []
    for label, s, e in split_in_two(speech):
        part = tokens[(tokens["start"] >= s) & (tokens["start"] < e)]
        out.append((label, term_frequency(part, **filters)))
    return out


# ---------------------------------------------------------------------------------- save
def save_wordcloud(cloud: Cloud, speech_id: str, name: str, *, caption: str | None = None,
                   formats: tuple[str, ...] = ("png", "svg"), out_dir: str | Path | None = None,
                   scale: float = 1.0) -> list[Path]:
    """Write ``figures/<speech-id>/<name>.png`` and ``.svg`` atomically; returns the paths.

    Args:
        caption: recorded in ``captions.json`` for the index page, like ``save_fig``.
        scale: PNG size factor (2 → 3840×2160); the SVG is resolution-free.

    Example:
        >>> save_wordcloud(cloud, speech.id, "04_wordcloud", caption="词云 Word cloud")  # doctest: +SKIP
    """
    writers = {}
    for fmt in formats:
        if fmt == "png":
            writers["png"] = lambda tmp: tmp.write_bytes(cloud.to_png(scale=scale))
        elif fmt == "svg":
            writers["svg"] = lambda tmp: tmp.write_text(cloud.to_svg(), encoding="utf-8")
        else:
            raise SpeechError(None, f"unknown figure format {fmt!r}: choose png or svg")
    return save_outputs(speech_id, name, writers, caption=caption, out_dir=out_dir)
