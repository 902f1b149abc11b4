"""Where the words of a word cloud go: glyph boxes, the free area, and the placement.

The placement algorithm is the one of the ``wordcloud`` package (a greedy search for free
space with its integral-image occupancy map, largest words first, shrinking a word that
does not fit), run on boxes this module measures itself from the font (fontTools), so that
vertical words can be stacked upright (竖排) and the PNG and the SVG show the same picture.
The search runs on a coarse occupancy grid (cells of 4 × 4 pixels on a 1920×1080 canvas,
:func:`grid_cell`) and starts at the size that fills a set share of the free area
(:func:`filling_size`), so a cloud is laid out in one to three tries of a fraction of a second.

Example:
    >>> from analysis_utils import find_cjk_font
    >>> font = cloud_font(str(find_cjk_font()))
    >>> w, h, placed = glyphs(font, "党建", 100, vertical=True)
    >>> (w, h, [ch for ch, *_ in placed])
    (100.0, 200.0, ['党', '建'])
    >>> int(canvas_mask("rectangle", 40, 20, None).sum())  # the 2-pixel frame is blocked
    224
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageFont, UnidentifiedImageError

from ..errors import SpeechError
from .style import font_face

__all__ = ["SHAPES", "FILL", "GAP_ALONG", "GAP_ACROSS", "GRID_ROWS", "SHRINK", "CloudFont", "Placed", "canvas_mask", "cloud_font",
           "coarse_grid", "filling_size", "first_size", "fit_words", "glyphs", "grid_cell", "half_masks", "place_words"]

#: The shapes that need no mask file (a silhouette is given with ``mask_path``).
SHAPES: tuple[str, ...] = ("rectangle", "circle")

#: Free space kept around a word, as a share of its font size: ``GAP_ALONG`` before and
#: after it in its reading direction, ``GAP_ACROSS`` on its other two sides. Chinese has
#: no spaces between words: two words that follow each other on one line (or in one
#: column) read as one phrase unless a clear gap separates them, so the gap grows with
#: the words and is widest where a reader would run on.
GAP_ALONG = 0.24
GAP_ACROSS = 0.12


# ------------------------------------------------------------------------------- fonts
def _open_font(path: Path):
    """The fontTools font of ``path`` and its face index (a collection's Simplified Chinese Regular face)."""
    from fontTools.ttLib import TTFont

    index = font_face(path)
    return TTFont(str(path), fontNumber=index, lazy=True), index


class CloudFont:
    """One font file: glyph advances and outlines (fontTools), rasteriser (PIL) by size."""

    def __init__(self, path: Path):
        self.path = Path(path)
        tt, self.index = _open_font(self.path)
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

    @cache  # noqa: B019 — at most four fonts per process (cloud_font), each kept for the whole run
    def advance(self, ch: str) -> float:
        """Horizontal advance of ``ch`` in em."""
        name = self._cmap.get(ord(ch), ".notdef")
        return self._hmtx[name][0] / self.upem

    @lru_cache(maxsize=512)  # noqa: B019 — see advance
    def pil(self, size: int) -> ImageFont.FreeTypeFont:
        """The PIL font at ``size`` pixels."""
        return ImageFont.truetype(str(self.path), size, index=self.index, layout_engine=ImageFont.Layout.BASIC)

    @cache  # noqa: B019 — see advance
    def outline(self, ch: str) -> str:
        """SVG path data of ``ch`` in font units (y up)."""
        from fontTools.pens.svgPathPen import SVGPathPen

        name = self._cmap.get(ord(ch), ".notdef")
        pen = SVGPathPen(self._glyphs, ntos=lambda v: f"{round(v, 1):g}")
        self._glyphs[name].draw(pen)
        return pen.getCommands()


@lru_cache(maxsize=4)
def cloud_font(path: str) -> CloudFont:
    """The :class:`CloudFont` of the font file ``path`` (read once per process)."""
    return CloudFont(Path(path))


def glyphs(font: CloudFont, text: str, size: float, vertical: bool) -> tuple[float, float, list[tuple[str, float, float]]]:
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


# ------------------------------------------------------------------------------ shapes
def canvas_mask(shape: str, width: int, height: int, mask_path: str | Path | None) -> np.ndarray:
    """Boolean array (height × width), True where words may NOT go.

    Raises:
        ValueError: an unknown ``shape``.
        SpeechError: ``mask_path`` is missing, not an image, or all white.
    """
    pad = max(2, round(0.025 * min(width, height)))
    if mask_path is not None:
        return _silhouette(mask_path, width, height, pad)
    if shape == "rectangle":
        blocked = np.ones((height, width), dtype=bool)
        blocked[pad:height - pad, pad:width - pad] = False
        return blocked
    if shape == "circle":
        yy, xx = np.ogrid[0:height, 0:width]  # a column and a row, broadcast: no two full-size index grids
        r = min(width, height) / 2 - pad
        return (xx + 0.5 - width / 2) ** 2 + (yy + 0.5 - height / 2) ** 2 > r * r
    raise ValueError(f"unknown shape {shape!r}: choose one of {', '.join(SHAPES)}, or give mask_path (a PNG/JPG silhouette)")


def _read_silhouette(path: Path) -> np.ndarray:
    """True where the image at ``path`` is dark (and, with transparency, opaque)."""
    try:
        with Image.open(path) as im:
            im.load()
            if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
                rgba = im.convert("RGBA")
                grey = np.asarray(rgba.convert("L"))
                alpha = np.asarray(rgba)[..., 3]
                return (grey < 240) & (alpha >= 128)
            return np.asarray(im.convert("L")) < 240
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        reason = "cannot identify image file" if isinstance(e, UnidentifiedImageError) else str(e).split("\n")[0]
        raise SpeechError(path, f"the mask is not a readable image (PNG or JPG): {reason}") from None


def _silhouette(mask_path: str | Path, width: int, height: int, pad: int) -> np.ndarray:
    path = Path(mask_path).expanduser()
    if not path.is_file():
        raise SpeechError(path, "no such mask image" if not path.exists() else "the mask is not a file")
    shape = _read_silhouette(path)
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


def half_masks(blocked: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray]:
    """The free areas of a comparison cloud's two speeches: the left and the right half of
    ``blocked`` (a gutter of 1% of the width between them), each without its top ``top`` rows
    (where the speech names stand)."""
    height, width = blocked.shape
    pad = max(2, round(0.025 * min(width, height)))
    mid, gutter = width // 2, max(4, round(width * 0.01))
    halves = []
    for lo, hi in ((0, mid - gutter), (mid + gutter, width)):
        half = blocked.copy()
        half[:, :lo] = True
        half[:, hi:] = True
        half[: top + pad // 2, :] = True
        halves.append(half)
    return halves[0], halves[1]


# ------------------------------------------------------------------------------ layout
@dataclass
class Placed:
    """A word where it was put: font size, top-left corner and box (pixels), upright or not."""

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


#: Rows of the occupancy grid words are placed on: a canvas is searched on a grid of about this
#: many rows (a 1080-pixel-high canvas in cells of 4 × 4 pixels), not pixel by pixel.
GRID_ROWS = 270


def grid_cell(blocked: np.ndarray) -> int:
    """Pixels per side of one cell of the occupancy grid of the free area ``blocked``.

    Example:
        >>> grid_cell(np.zeros((1080, 1920), bool)), grid_cell(np.zeros((540, 960), bool)), grid_cell(np.zeros((200, 400), bool))
        (4, 2, 1)
    """
    return max(1, min(blocked.shape) // GRID_ROWS)


def coarse_grid(blocked: np.ndarray, cell: int) -> np.ndarray:
    """``blocked`` in cells of ``cell`` × ``cell`` pixels: a cell is taken if any of its pixels is
    (the edge cells past the canvas too), so a word put in free cells never touches a taken pixel.

    Example:
        >>> coarse_grid(np.array([[0, 0, 0], [0, 0, 1]], bool), 2).astype(int).tolist()
        [[0, 1]]
    """
    h, w = blocked.shape
    rows, cols = -(-h // cell), -(-w // cell)
    padded = np.ones((rows * cell, cols * cell), dtype=bool)
    padded[:h, :w] = blocked
    return np.asarray(padded.reshape(rows, cell, cols, cell).any(axis=(1, 3)))


def place_words(items: list[tuple[str, float]], blocked: np.ndarray, font: CloudFont, *, vertical_share: float,
                min_size: int, margin: int, rng: random.Random, give_up: float | None = None) -> list[Placed] | None:
    """Place ``(term, target_size)`` in order, each at its target size or, if it does not
    fit, the largest smaller size that fits; stop at the first that fits nowhere.

    Occupancy is by word box (the em box of every character) plus a gap of ``GAP_ALONG``
    (reading direction) or ``GAP_ACROSS`` (other sides) of the word's size, at least
    ``margin / 2``, rounded up to whole cells of the occupancy grid (:func:`grid_cell`); the
    word sits in the middle of its cells, so its gap is at least that on every side. With
    ``give_up``, return ``None`` as soon as a word would have to shrink below ``give_up`` × its target.
    """
    from wordcloud.wordcloud import IntegralOccupancyMap

    cell = grid_cell(blocked)
    taken = coarse_grid(blocked, cell).astype(np.uint8)
    occupancy = IntegralOccupancyMap(*taken.shape, taken)
    placed: list[Placed] = []
    for term, target in items:
        size = max(min_size, round(target))
        floor = max(min_size, give_up * size) if give_up else min_size
        preferred = len(term) > 1 and rng.random() < vertical_share
        vertical, tried_other, pos = preferred, False, None
        failed: set[tuple[int, int]] = set()  # boxes (in cells) that found no room: no need to look again
        while size >= floor:
            along, across = max(margin / 2, GAP_ALONG * size), max(margin / 2, GAP_ACROSS * size)
            gx, gy = math.ceil(across if vertical else along), math.ceil(along if vertical else across)
            w, h, _ = glyphs(font, term, size, vertical)
            box = (-(-(math.ceil(h) + 2 * gy) // cell), -(-(math.ceil(w) + 2 * gx) // cell))
            # wordcloud's search returns the cell before the free box it found: the box starts one further
            found = None if box in failed else occupancy.sample_position(*box, rng)
            if found is not None:
                pos = (found[0] + 1, found[1] + 1)
                break
            failed.add(box)
            if vertical_share > 0 and len(term) > 1 and not tried_other:
                vertical, tried_other = not vertical, True
                continue
            size -= max(1, size // 40)
            vertical, tried_other = preferred, False
        if pos is None:
            if give_up:
                return None
            break
        rows, cols = box
        top = pos[0] * cell + (rows * cell - math.ceil(h)) // 2
        left = pos[1] * cell + (cols * cell - math.ceil(w)) // 2
        taken[pos[0]:pos[0] + rows, pos[1]:pos[1] + cols] = 1
        occupancy.update(taken, pos[0], pos[1])
        placed.append(Placed(term, size, left, top, w, h, vertical))
    return placed


def first_size(font: CloudFont, term: str, blocked: np.ndarray, share: float = 0.3) -> float:
    """A first guess for the biggest word: ``share`` of the free height, and narrower than the free width."""
    free_rows = np.flatnonzero(~blocked.all(axis=1))
    free_cols = np.flatnonzero(~blocked.all(axis=0))
    if not len(free_rows):
        return 0.0
    avail_w = free_cols[-1] - free_cols[0] + 1
    avail_h = free_rows[-1] - free_rows[0] + 1
    return min(share * avail_h, 0.85 * avail_w / max(1e-6, sum(font.advance(c) for c in term)))


#: The share of its free area a group's word boxes (gaps included, at their target sizes) take at the
#: first size :func:`fit_words` tries: on the development speeches every word fits at a share of 0.62
#: (a circle) to 0.83 (a rectangle, some words upright), so the first try mostly succeeds.
FILL = 0.68
#: How much smaller the next try of :func:`fit_words` is when a word did not fit.
SHRINK = 0.95


def _boxes_area(items: list[tuple[str, float]], font: CloudFont, margin: int) -> float:
    """The pixels the boxes of ``(term, size)`` take with their gaps (as :func:`place_words` draws them, horizontal)."""
    area = 0.0
    for term, target in items:
        size = round(target)
        along, across = max(margin / 2, GAP_ALONG * size), max(margin / 2, GAP_ACROSS * size)
        w, h, _ = glyphs(font, term, size, False)
        area += (math.ceil(w) + 2 * math.ceil(along)) * (math.ceil(h) + 2 * math.ceil(across))
    return area


def filling_size(groups: list[tuple[list[tuple[str, float]], np.ndarray]], font: CloudFont, *, top: float,
                 margin: int, fill: float = FILL) -> float:
    """The largest top size, at most ``top``, at which every group's word boxes take at most ``fill``
    of its free area (all groups on one size scale, as in :func:`fit_words`): the size to try first.

    Example:
        >>> from analysis_utils import find_cjk_font
        >>> font = cloud_font(str(find_cjk_font()))
        >>> blocked = canvas_mask("rectangle", 400, 200, None)
        >>> items = [("党建", 3.0), ("工作", 1.0)]
        >>> round(filling_size([(items, blocked)], font, top=300, margin=2)), filling_size([(items, blocked)], font, top=60, margin=2)
        (125, 60)
    """
    weights = [w for items, _ in groups for _, w in items]
    wmax, wmin = max(weights), min(weights)

    def fits(size: float) -> bool:
        for items, blocked in groups:
            sizes = _target_sizes([w for _, w in items], size, wmax=wmax, wmin=wmin)
            if _boxes_area([(t, s) for (t, _), s in zip(items, sizes)], font, margin) > fill * np.count_nonzero(~blocked):
                return False
        return True

    if fits(top):
        return top
    lo, hi = 0.0, top
    while hi - lo > 0.5:  # bisection to half a pixel
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return lo


def fit_words(groups: list[tuple[list[tuple[str, float]], np.ndarray]], font: CloudFont, *, top: float, fixed: bool,
              vertical_share: float, random_state: int, min_size: int, margin: int,
              attempts: int = 12, faithful: float = 0.8) -> list[list[Placed]]:
    """Lay out every group's ``(term, weight)`` items in its free area, sizes true to the weights.

    All groups share one size scale (the largest weight of any group gets ``top``). Unless
    ``fixed``, the first try is at :func:`filling_size` (at most ``top``): the boxes fill
    :data:`FILL` of the free area. If a word would be left out, or would have to shrink below
    ``faithful`` × its size (its size would misstate its count), everything starts again
    :data:`SHRINK` × smaller, so sizes stay proportional and the words are always the first ones
    of each group's list. The last try (or a ``fixed`` top size) keeps whatever fits.
    """
    weights = [w for items, _ in groups for _, w in items]
    wmax, wmin = max(weights), min(weights)
    if not fixed:
        top = filling_size(groups, font, top=top, margin=margin)
    out: list[list[Placed]] = []
    for attempt in range(attempts):
        last = fixed or attempt == attempts - 1 or top * SHRINK < 4 * min_size
        out = []
        for k, (items, blocked) in enumerate(groups):
            sizes = _target_sizes([w for _, w in items], top, wmax=wmax, wmin=wmin)
            placed = place_words([(t, s) for (t, _), s in zip(items, sizes)], blocked, font,
                                 vertical_share=vertical_share, min_size=min_size, margin=margin,
                                 rng=random.Random(random_state + k), give_up=None if last else faithful)
            if placed is None:
                break
            out.append(placed)
        else:
            return out
        top *= SHRINK
    return out  # not reached: the last attempt never gives up
