"""The top-level parts of a speech, computed once and passed to every analysis that needs them.

:func:`sections` reads them from the outline (:func:`~analysis_utils.outline.build_outline`):
an opening (title block included, so every token of the body falls in some section), the
numbered top-level sections, and a closing. Term tables per section, KWIC, dispersion, slogan
tables and the cloud halves all take the same :class:`Sections` value, so a term's count in
part 一 is the same number wherever it is shown.

Example:
    >>> from analysis_utils import load_speech, sections
    >>> from analysis_utils.config import SEED_SPEECH
    >>> secs = sections(load_speech(SEED_SPEECH))
    >>> secs.table["label"].str[:2].tolist()
    ['开头', '一、', '二、', '结尾']
    >>> secs.label(int(secs.of([secs.table["start"][1]])[0]))[:8]
    '一、聚焦主业、担'
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..speech import Speech
from ..text import cn_number, count_han
from .build import build_outline
from .model import Outline

#: Columns of :attr:`Sections.table`.
SECTION_COLUMNS = ["section", "label", "start", "end", "han_chars"]
_SECTION_HEAD_RE = re.compile(r"^([一二三四五六七八九十]+)、")


def _outline_sections(speech: Speech, outline: Outline) -> list[tuple[str, int, int]] | None:
    """The outline's top-level sections as ``(label, start, end)``; ``None`` when it has none
    that lie inside the body."""
    out = [(str(n.title).strip(), int(n.start), int(n.end)) for n in outline.sections]
    n = len(speech.body)
    if not out or any(not 0 <= s < e <= n for _, s, e in out):
        return None
    return sorted(out, key=lambda t: t[1])


def heading_sections(speech: Speech) -> list[tuple[str, int, int]]:
    """Top-level sections found by their ``一、`` … ``十五、`` heading lines alone.

    A heading is a paragraph starting with a Chinese numeral and ``、`` that continues the
    sequence 一, 二, 三 … (so a stray ``三、`` inside a list does not open a section). A
    section runs from its heading to the next heading (the last one to the end of the
    body).

    Returns:
        ``(label, start, end)`` per section (the label is the whole heading line); ``[]``
        when the speech has no such headings.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> [(label[:4], start < end) for label, start, end in heading_sections(load_speech(SEED_SPEECH))]
        [('一、聚焦', True), ('二、强基', True)]
    """
    heads: list[tuple[str, int]] = []
    expected = 1
    for s, e in speech.paragraph_spans:
        line = speech.body[s:e]
        m = _SECTION_HEAD_RE.match(line)
        if not m or cn_number(m.group(1), digit_strings=False) != expected:
            continue
        heads.append((line.strip(), s))
        expected += 1
    out = []
    for i, (label, s) in enumerate(heads):
        end = heads[i + 1][1] if i + 1 < len(heads) else len(speech.body.rstrip("\n"))
        out.append((label, s, end))
    return out


def top_level_sections(speech: Speech, *, outline: Outline | None = None) -> list[tuple[str, int, int]]:
    """The speech's top-level sections as ``(label, start, end)`` body offsets.

    Uses the sections of ``outline`` (default ``build_outline(speech)``; they end before a
    closing passage such as ``同志们，…``); when the outline has no sections, or when its top
    level is not the ``一、`` level that the text plainly has, the ``一、`` heading lines
    (:func:`heading_sections`). A speech without headings has no sections (``[]``).

    Args:
        speech: the speech.
        outline: its outline, when already built (built here only when ``None``).

    Returns:
        ``(label, start, end)`` per section, in document order.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> [label[:2] for label, *_ in top_level_sections(load_speech(SEED_SPEECH))]
        ['一、', '二、']
    """
    if outline is None:
        outline = build_outline(speech)
    from_outline = _outline_sections(speech, outline)
    by_heading = heading_sections(speech)
    parts_lead = bool(outline.sections) and outline.sections[0].rank == 0  # 第一个问题 … above the 一、 headings
    if from_outline and len(by_heading) >= 2 and not parts_lead and not from_outline[0][0].startswith(by_heading[0][0][:2]):
        # the outline's top level is not the 一、 level the text plainly has (e.g. it
        # took the （一） headings of one part for the top level): trust the 一、 lines
        return by_heading
    return from_outline or by_heading


#: What the label of a part cut at sentence ends (not at paragraph breaks) carries, so that
#: every figure and table naming the part says so.
BY_SENTENCE = "（按句切分）"


def _cuts_near(candidates: list[int], targets: Sequence[float], *, nearest: bool) -> list[int]:
    """One cut per target, in order, from the sorted ``candidates``: the first at or past each
    target, or the one nearest it (ties: the earlier) while leaving one for each later target;
    each cut after the one before."""
    cuts: list[int] = []
    for k, t in enumerate(targets):
        free = bisect_right(candidates, cuts[-1]) if cuts else 0  # candidates after the last cut
        i = max(bisect_left(candidates, t), free)
        if nearest:
            i = min(i, len(candidates) - (len(targets) - k))  # keep one for each later target
        options = candidates[i:i + 1] if i >= free else []
        if nearest and i > free:
            options.append(candidates[i - 1])
        if options:
            cuts.append(min(options, key=lambda c: (abs(c - t), c)))
    return cuts


def even_cuts(speech: Speech, parts: int, *, start: int = 0, end: int | None = None,
              nearest: bool = False) -> tuple[list[int], bool]:
    """Where to cut ``speech.body[start:end]`` into ``parts`` pieces of about equal length.

    At paragraph breaks (the start of a paragraph) when they allow it: for each of the equal-length
    points between the first and the last paragraph of the span, the first paragraph start at or
    past it (``nearest=False``) or the one nearest to it (``nearest=True``). When that gives fewer
    than ``parts`` pieces, or a piece shorter than a fifth of an equal share (a text scraped
    without paragraph breaks, or a short salutation before one long paragraph), the cuts fall
    at sentence ends instead: the start of the sentence nearest each equal-length point. A text
    of fewer sentences than ``parts`` gets fewer cuts (none for a single sentence).

    Args:
        speech: the speech.
        parts: how many pieces (1 or more).
        start, end: the span of the body to cut (default: the whole body).
        nearest: for paragraph breaks, take the one nearest each point, not the first past it.

    Returns:
        The cut offsets (between ``start`` and ``end``, increasing; ``parts - 1`` of them when
        the text allows) and ``True`` when they are sentence ends rather than paragraph breaks.

    Example:
        >>> from analysis_utils import speech_from_text
        >>> even_cuts(speech_from_text("甲甲甲。\\n乙乙乙。\\n丙丙丙。\\n丁丁丁。"), 2)
        ([10], False)
        >>> one_paragraph = speech_from_text("同志们：\\n甲甲甲。乙乙乙，乙乙。丙丙丙！丁丁丁。")
        >>> even_cuts(one_paragraph, 2)
        ([9], True)
        >>> one_paragraph.body[:9], one_paragraph.body[9:]
        ('同志们：\\n甲甲甲。', '乙乙乙，乙乙。丙丙丙！丁丁丁。')
    """
    if parts < 1:
        raise ValueError(f"parts must be 1 or more, not {parts!r}")
    end = len(speech.body) if end is None else end
    paras = [(s, e) for s, e in speech.paragraph_spans if e > start and s < end] or [(start, end)]
    lo, hi = paras[0][0], paras[-1][1]
    targets = [lo + k * (hi - lo) / parts for k in range(1, parts)]
    cuts = _cuts_near([s for s, _ in paras[1:]], targets, nearest=nearest)
    pieces = np.diff([lo, *cuts, hi])
    if len(cuts) == parts - 1 and pieces.min() * 5 * parts >= hi - lo:
        return cuts, False
    sentences = [s for s, _ in speech.sentence_spans if lo < s < hi]
    return _cuts_near(sentences, targets, nearest=True), True


def equal_parts(speech: Speech, parts: int) -> list[tuple[str, int, int]]:
    """The body cut into ``parts`` pieces of about equal length (:func:`even_cuts`), labelled
    ``第1部分 part 1/5`` … (for speeches without headings; the title block is in the first part).

    Pieces are cut at paragraph breaks; a text without usable paragraph breaks is cut at
    sentence ends instead and its labels say so (``第1部分（按句切分）``). A text of fewer
    sentences than ``parts`` gets fewer pieces (one for a single sentence). The pieces cover
    the body exactly once, in order.

    Example:
        >>> from analysis_utils import speech_from_text
        >>> equal_parts(speech_from_text("甲甲甲。\\n乙乙乙。\\n丙丙丙。\\n丁丁丁。"), 2)
        [('第1部分 part 1/2', 0, 10), ('第2部分 part 2/2', 10, 19)]
        >>> [label for label, *_ in equal_parts(speech_from_text("甲甲甲。乙乙乙。丙丙丙。丁丁丁。"), 2)]
        ['第1部分（按句切分）', '第2部分（按句切分）']
    """
    cuts, by_sentence = even_cuts(speech, parts)
    bounds = [0, *cuts, len(speech.body)]
    n = len(bounds) - 1
    return [(f"第{i + 1}部分{BY_SENTENCE}" if by_sentence else f"第{i + 1}部分 part {i + 1}/{n}", bounds[i], bounds[i + 1])
            for i in range(n)]


def section_table(speech: Speech, *, parts_if_no_headings: int = 0, outline: Outline | None = None) -> pd.DataFrame:
    """Sections as a table: ``section, label, start, end, han_chars`` (what :attr:`Sections.table` holds).

    ``section`` 0 is the opening (开头, body text before the first heading, title block
    included, so that every token of the body falls in a section), then the unnumbered part after the last
    section when the outline has one (its title starts with ``（未编号部分）``), and the last row the closing (结尾, text after the last section, when the
    outline engine marks one), each only when it holds any Chinese character. A speech without headings is one
    section 0 labelled ``全文 whole text``, or, with ``parts_if_no_headings=N``, N parts of
    about equal length (:func:`equal_parts`) numbered 1…N.

    Args:
        speech: the speech.
        parts_if_no_headings: for a speech without headings, this many parts (0 or 1: the whole text).
        outline: its outline, when already built (built here only when ``None``).

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> section_table(load_speech(SEED_SPEECH))[["section", "start", "han_chars"]].values.tolist()
        [[0, 0, 33], [1, 39, 942], [2, 1145, 1986], [3, 3404, 71]]
    """
    if outline is None:
        outline = build_outline(speech)
    secs = top_level_sections(speech, outline=outline)
    if secs:  # the unnumbered part after the last section (a Government Work Report's defence, Taiwan …)
        secs += [(n.title, n.start, n.end) for n in outline.nodes if n.kind == "part" and n.start >= secs[-1][2]]
    rows = []
    first = secs[0][1] if secs else len(speech.body)
    head_start = 0  # the title block belongs to the opening: every token is in some section
    if not secs and parts_if_no_headings > 1:
        secs = equal_parts(speech, parts_if_no_headings)
        rows += [(i, label, s, e) for i, (label, s, e) in enumerate(secs, 1)]
        secs = []
    elif not secs:
        rows.append((0, "全文 whole text", head_start, len(speech.body)))
    elif count_han(speech.body[head_start:first]):
        rows.append((0, "开头 opening", head_start, first))
    rows += [(i, label, s, e) for i, (label, s, e) in enumerate(secs, 1)]
    if secs and count_han(speech.body[secs[-1][2]:]):
        rows.append((len(secs) + 1, "结尾 closing", secs[-1][2], len(speech.body)))
    df = pd.DataFrame(rows, columns=SECTION_COLUMNS[:-1])
    df["han_chars"] = [count_han(speech.body[s:e]) for s, e in zip(df["start"], df["end"])]
    return df


@dataclass(frozen=True, eq=False)
class Sections:
    """The top-level parts of one speech: a table ``section, label, start, end, han_chars``.

    ``section`` 0 is the opening, 1…N the numbered sections (or equal parts), N+1 the closing;
    offsets index ``speech.body``. Make it once with :func:`sections` and pass it on.
    """

    table: pd.DataFrame

    def __len__(self) -> int:
        return len(self.table)

    @property
    def labels(self) -> dict[int, str]:
        """Section number → label."""
        return dict(zip(self.table["section"].astype(int), self.table["label"]))

    def label(self, section: int) -> str:
        """The label of section number ``section`` (``""`` for -1, outside every section)."""
        return self.labels.get(int(section), "")

    def of(self, offsets: Sequence[int] | np.ndarray) -> np.ndarray:
        """Section number of each body offset (-1 when outside every section)."""
        offsets = np.asarray(offsets, dtype="int64")
        starts = self.table["start"].to_numpy()
        ends = self.table["end"].to_numpy()
        if not len(starts):
            return np.full(len(offsets), -1, dtype="int64")
        idx = np.searchsorted(starts, offsets, side="right") - 1
        ok = (idx >= 0) & (offsets < ends[np.clip(idx, 0, None)])
        return np.where(ok, self.table["section"].to_numpy()[np.clip(idx, 0, None)], -1).astype("int64")


def sections(speech: Speech, *, outline: Outline | None = None, parts_if_no_headings: int = 0) -> Sections:
    """The speech's top-level parts (see :class:`Sections`), from ``outline`` (built when ``None``).

    Args:
        parts_if_no_headings: for a speech without headings, this many parts of about equal
            length (:func:`equal_parts`); 0 = one section, the whole text.
    """
    return Sections(section_table(speech, parts_if_no_headings=parts_if_no_headings, outline=outline))
