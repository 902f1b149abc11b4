"""Word clouds that are right for Chinese and ready for slides.

A cloud is drawn from a **term table** (:mod:`analysis_utils.plots.cloudterms`: ``term`` and
``token_count`` columns, one row per term, same tokenisation, lexicon and stopwords as the bar
chart), never from raw text, so the biggest words of the cloud are the top terms of the
bar chart and formulations (提法) stay whole.

* Chinese font always; every glyph is placed by :mod:`~analysis_utils.plots.cloudlayout`,
  so the PNG and the SVG show exactly the same picture.
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
* Variants: :func:`~analysis_utils.plots.cloudterms.slogan_terms` (formulations only) and
  :func:`textplot_comparison_cloud` (two speeches, after quanteda's
  ``textplot_wordcloud(comparison = TRUE)``).
* The SVG draws every character as a path (no font needed to view it), naming the font.

Example:
    >>> import pandas as pd
    >>> freq = pd.DataFrame({"term": [f"词语{i}" for i in range(12)], "token_count": range(24, 0, -2)})
    >>> cloud = textplot_wordcloud(freq, width=480, height=270)
    >>> cloud.words["term"].tolist() == freq["term"].tolist(), cloud.dropped
    (True, ())
    >>> save_wordcloud(cloud, "seed", "04_wordcloud")  # doctest: +SKIP
"""
from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw

from ..errors import SpeechError
from ..outputs import save_outputs
from .cloudlayout import CloudFont, canvas_mask, cloud_font, first_size, fit_words, glyphs, half_masks
from .cloudschemes import SCHEMES, Scheme, SchemeName, background, get_scheme
from .cloudterms import (
    comparison_terms,
    frequency_by_half,
    is_formulation,
    slogan_terms,
    split_in_two,
    term_table,
    textstat_comparison,
    with_origin,
)
from .style import FIGSIZE, SMALL, find_cjk_font, shorten

__all__ = ["SCHEMES", "Cloud", "Scheme", "get_scheme", "save_wordcloud", "textplot_comparison_cloud",
           "textplot_wordcloud",
           # the tables of plots.cloudterms, also here for one release (their old import path)
           "frequency_by_half", "slogan_terms", "split_in_two", "textstat_comparison", "with_origin"]

Shape = Literal["rectangle", "circle"]

#: Columns of :attr:`Cloud.words`.
WORD_COLUMNS = ["term", "token_count", "font_size", "left", "top", "width", "height", "vertical", "colour", "group"]

WIDTH, HEIGHT = 1920, 1080  # 16:9, full-HD: a full slide
MIN_TERMS = 10


# ------------------------------------------------------------------------- decorations
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


def _draw_text(draw: ImageDraw.ImageDraw, font: CloudFont, text: str, size: int, left: float, top: float,
               vertical: bool, fill, scale: float = 1.0) -> None:
    px = max(1, round(size * scale))
    pil = font.pil(px)
    for ch, x, y in glyphs(font, text, size, vertical)[2]:
        if not ch.isspace():
            draw.text(((left + x) * scale, (top + y) * scale), ch, font=pil, anchor="ls", fill=fill)


# ------------------------------------------------------------------------------- cloud
@dataclass(frozen=True)
class Cloud:
    """A laid-out word cloud: every word's place, size and colour, ready to draw.

    Attributes:
        words: one row per word drawn, in the term table's order, columns
            ``term, token_count, font_size, left, top, width, height, vertical, colour, group``
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
        img = background(w, h, self.background, self.background_edge)
        draw = ImageDraw.Draw(img)
        font = cloud_font(self.font_path)
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
        font = cloud_font(self.font_path)
        k = 1 / font.upem
        chars: dict[str, str] = {}
        body: list[str] = []

        def text_group(text: str, size: int, left: float, top: float, vertical: bool, colour: str, role: str) -> str:
            uses = []
            for ch, x, y in glyphs(font, text, size, vertical)[2]:
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
        bg = self.background
        if self.background_edge:
            r = math.hypot(self.width, self.height) / 2
            defs.append(
                f'<radialGradient id="bg" gradientUnits="userSpaceOnUse" cx="{self.width / 2:g}" cy="{self.height / 2:g}" r="{r:.2f}">'
                f'<stop offset="0" stop-color="{self.background}"/><stop offset="1" stop-color="{self.background_edge}"/></radialGradient>'
            )
            bg = "url(#bg)"
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
        raise ValueError(f"vertical must be True/False or a share between 0 and 1 (got {vertical!r})")
    return v


def _min_size(min_font_size: int | None, height: int) -> int:
    return max(8, round(16 * height / HEIGHT)) if min_font_size is None else int(min_font_size)


def _enough_terms(freq: pd.DataFrame, min_terms: int, source) -> pd.DataFrame:
    """The validated term table of ``freq``; too few terms for a cloud is a :class:`SpeechError` naming ``source``."""
    df = term_table(freq)
    if len(df) < min_terms:
        raise SpeechError(source, f"too short for a word cloud: {len(df)} distinct term(s) after stopwords, "
                                  f"at least {min_terms} needed")
    return df


def _legend(scheme: Scheme, width: int, height: int, blocked: np.ndarray, font: CloudFont,
            entries: list[tuple[str, str]]) -> list:
    """Legend entries (colour, text) in the bottom-left corner; their area is blocked for words.
    Their type is :data:`~analysis_utils.plots.style.SMALL` on a 7.5 in slide (32 px of 1080)."""
    size = max(16, round(height * SMALL / (FIGSIZE[1] * 72)))
    pad = max(2, round(0.025 * min(width, height)))
    x: float = pad
    y = height - pad - size
    items: list = []
    for colour, text in entries:
        items.append(_Swatch(x, y + size * 0.1, round(size * 0.8), colour))
        items.append(_Label(text, x + size * 1.1, y, size, scheme.text))
        x += size * 1.1 + glyphs(font, text, size, False)[0] + size * 1.2
    gap = round(size * 0.5)
    blocked[max(0, y - gap):, : min(width, math.ceil(x + gap))] = True
    return items


def _word_rows(placed: list, df: pd.DataFrame, group: np.ndarray, sch: Scheme, random_state: int) -> list[tuple]:
    """The rows of :attr:`Cloud.words`: colour by group (``category``) or by size tier."""
    biggest = placed[0].size
    rng = random.Random(random_state)
    rows = []
    for p, cnt, grp in zip(placed, df["token_count"], group):
        if sch.name == "category":
            colour = sch.formulation if grp == "formulation" else sch.other
        else:
            colour = sch.tier_colour(p.size / biggest, rng)
        rows.append((p.term, cnt, p.size, p.left, p.top, round(p.width, 2), round(p.height, 2), p.vertical, colour, grp))
    return rows


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
        freq: the term table (``term``, ``token_count``; ``origin``/``category`` for the
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
        SpeechError: too few terms, a mask that is not an image, no room for a word.
        ValueError: an unknown scheme or shape, a bad ``vertical`` or ``top_n``, a table
            without ``term``/``token_count`` (or without ``origin`` for the ``category`` scheme).

    Example:
        >>> cloud = textplot_wordcloud(freq, scheme="party", vertical=True)  # doctest: +SKIP
    """
    sch = get_scheme(scheme)
    share = _vertical_share(vertical)
    df = _enough_terms(freq, min_terms, source)
    if not isinstance(top_n, int) or top_n < 1:
        raise ValueError(f"top_n must be a positive whole number (got {top_n!r})")
    df = df.head(top_n).reset_index(drop=True)
    want_category = sch.name == "category" or bool(legend)
    if want_category or {"origin", "category"} & set(df.columns):
        group = np.where(is_formulation(df), "formulation", "other")  # raises if no column to go by
    else:
        group = np.full(len(df), "other")
    min_font_size = _min_size(min_font_size, height)
    blocked = canvas_mask(shape, width, height, mask_path)
    font = cloud_font(str(find_cjk_font()))
    decorations: list = []
    if want_category and legend is not False:
        decorations += _legend(sch, width, height, blocked, font,
                               [(sch.formulation, "提法 formulations"), (sch.other, "其他词语 other terms")])
    margin = max(2, round(width / 240)) if margin is None else margin
    items = list(zip(df["term"], df["token_count"].astype(float)))
    top = max_font_size or first_size(font, items[0][0], blocked)
    placed = fit_words([(items, blocked)], font, top=top, fixed=bool(max_font_size), vertical_share=share,
                       random_state=random_state, min_size=min_font_size, margin=margin)[0] if top else []
    if not placed:
        raise SpeechError(mask_path if mask_path is not None else source,
                          "no room for a single word: the shape is too small for the canvas")
    return Cloud(
        words=pd.DataFrame(_word_rows(placed, df, group, sch, random_state), columns=WORD_COLUMNS),
        width=width, height=height, scheme=sch.name, shape="mask" if mask_path is not None else shape,
        background=sch.background, background_edge=sch.background_edge,
        font_path=str(font.path), font_family=font.family,
        dropped=tuple(df["term"].iloc[len(placed):]),
        decorations=tuple(decorations),
    )


# --------------------------------------------------------------------------- comparison
def _names_and_rule(sch: Scheme, names: tuple[str, str], font: CloudFont, width: int, height: int) -> tuple[list, int]:
    """The divider line and the two speech names on top; returns them and the height of the name band."""
    pad = max(2, round(0.025 * min(width, height)))
    label_size = max(18, round(height * 0.032))
    label_band = pad + round(label_size * 1.6)
    mid = width // 2
    decorations: list = [_Rule(mid, pad + label_band, mid, height - pad, sch.rule, max(1.0, width / 960))]
    for i, (nm, colour) in enumerate(zip(names, sch.pair)):
        text = shorten(str(nm), 22)
        tw = glyphs(font, text, label_size, False)[0]
        left = pad if i == 0 else width - pad - tw
        decorations.append(_Label(text, left, pad, label_size, colour))
    return decorations, label_band


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
    (:func:`~analysis_utils.plots.cloudterms.comparison_terms`); the speech names label the
    halves. Terms both use equally are left out.

    Args:
        freq_a, freq_b: the two term tables.
        names: labels of the two speeches (titles or ids; long ones are shortened).
        top_n: how many terms in all (the largest differences).
        scheme: colour scheme; each speech takes one of its ``pair`` colours.
        Other arguments as in :func:`textplot_wordcloud`.

    Returns:
        A :class:`Cloud` whose ``group`` column names the speech of each word.

    Example:
        >>> textplot_comparison_cloud(f1, f2, names=("2021年报告", "2022年报告"))  # doctest: +SKIP
    """
    sch = get_scheme(scheme)
    share = _vertical_share(vertical)
    for f, nm in ((freq_a, names[0]), (freq_b, names[1])):
        _enough_terms(f, min_terms, nm)
    min_font_size = _min_size(min_font_size, height)
    table = comparison_terms(freq_a, freq_b, top_n=top_n)
    if len(table) < 2:
        raise SpeechError(None, "the two term tables are the same: nothing to compare")
    font = cloud_font(str(find_cjk_font()))
    base = canvas_mask(shape, width, height, mask_path)
    decorations, label_band = _names_and_rule(sch, names, font, width, height)
    margin = max(2, round(width / 240)) if margin is None else margin
    halves = []  # (side, items, blocked, rows): one free area per speech
    for side, blocked in zip(("a", "b"), half_masks(base, label_band)):
        sub = table[table["side"] == side]
        if not sub.empty:
            halves.append((side, list(zip(sub["term"], sub["diff"].abs())), blocked, sub))
    # One size scale for both halves: the largest difference of either sets the top size.
    top = min(first_size(font, items[0][0], blocked, share=0.22) for _, items, blocked, _ in halves)
    layouts = fit_words([(items, blocked) for _, items, blocked, _ in halves], font, top=top, fixed=False,
                        vertical_share=share, random_state=random_state, min_size=min_font_size, margin=margin)
    rows, dropped = [], []
    for (side, _, _, sub), placed in zip(halves, layouts):
        k = 0 if side == "a" else 1
        counts = sub["token_count_a" if side == "a" else "token_count_b"].tolist()
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


# ---------------------------------------------------------------------------------- save
def save_wordcloud(cloud: Cloud, speech_id: str, name: str, *, caption: str | None = None,
                   formats: tuple[str, ...] = ("png", "svg"), out_dir: str | Path | None = None,
                   scale: float = 1.0) -> list[Path]:
    """Write ``figures/<speech-id>/<name>.png`` and ``.svg`` atomically; returns the paths.

    Args:
        cloud: from :func:`textplot_wordcloud` or :func:`textplot_comparison_cloud`.
        speech_id: the folder under ``figures/`` (or ``out_dir``).
        name: the file name without extension.
        caption: recorded in ``captions.json`` for the index page, like ``save_fig``.
        formats: ``png`` and/or ``svg``.
        scale: PNG size factor (2 → 3840×2160); the SVG is resolution-free.

    Returns:
        The paths written, in the order of ``formats``.

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
            raise ValueError(f"unknown figure format {fmt!r}: choose png or svg")
    return save_outputs(speech_id, name, writers, caption=caption, out_dir=out_dir)
