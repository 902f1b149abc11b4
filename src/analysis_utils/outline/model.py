"""The values of an outline: :class:`OutlineNode` (one part), :class:`Finding` (one self-check)
and :class:`Outline` (the tree of one speech, with its checks, tables and renderings).

:func:`~analysis_utils.outline.build_outline` makes them; this module only holds and shows them.

Example:
    >>> from analysis_utils import load_speech, build_outline
    >>> from analysis_utils.config import SEED_SPEECH
    >>> o = build_outline(load_speech(SEED_SPEECH))
    >>> [n.kind for n in o.nodes]
    ['title', 'salutation', 'opening', 'section', 'section', 'closing']
    >>> n = o.node("1.1")
    >>> n.title, n.level, n.parent.id
    ('（一）党的十九大精神落实落细', 2, '1')
    >>> o.node_at(n.start + 20) is n
    True
"""
from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..speech import Placeholder, Speech

#: The node kinds that frame a speech (not numbered, named by their kind).
FRAME_KINDS = ("title", "salutation", "opening", "closing")
#: Bilingual labels of the node kinds that carry no heading of their own.
KIND_LABELS = {
    "title": "标题 title block",
    "salutation": "称呼 salutation",
    "opening": "开头 opening",
    "closing": "结尾 closing",
    "paragraph": "段落 paragraph",
}
#: How the structure of a speech was found (:attr:`Outline.mode`), as the renderings name it.
MODE_LABELS = {
    "headings": "编号标题 numbered headings",
    "inline": "行内标题 headings inside paragraphs (no line breaks)",
    "enumerations": "无标题，按列举 no headings, led by enumerations",
    "paragraphs": "无标题，按段落 no headings, one node per paragraph",
    "parts": "无编号标题，以称呼分部分 no headings, parts divided by addresses (同志们！)",
}
#: Columns of :meth:`Outline.checks_table` (the fields of :class:`Finding`).
CHECKS_COLUMNS = ["check", "kind", "message", "node", "start", "end", "expected", "found"]
#: Columns of :meth:`Outline.table`.
TABLE_COLUMNS = ["id", "kind", "level", "marker", "heading", "start", "end", "chars", "share",
                 "paragraphs", "sentences", "placeholders", "parent"]


@dataclass(eq=False)
class OutlineNode:
    """One part of a speech.

    Attributes:
        kind: ``title``, ``salutation``, ``opening``, ``section`` (a numbered heading),
            ``enumeration`` (an item of 一是/第一/首先/—— lists), ``part`` (when a speech has
            no headings but addresses on a line of their own, 各位同事！, divide it),
            ``paragraph`` (when a speech has neither), ``closing``.
        id: position in the tree: ``1``, ``1.2``, ``1.2.3``; frame parts are named
            (``title``, ``salutation``, ``opening``, ``closing``).
        level: depth in the tree, 1 = top. Relative: the first heading style in use is 1.
        marker: the marker as written (``一、``, ``（一）``, ``一是``, ``第一``, ``——``) or ``""``.
        style: the canonical marker style (``一、``, ``（一）``, ``1.``, ``（1）``, ``①``,
            ``一是``, ``第一``, ``首先``, ``——``) or ``""``.
        number: the marker's value (``（三）`` → 3), ``None`` when it has none.
        heading: the heading text without marker and final stop; for frame parts and
            paragraphs, their first sentence.
        start, end: offsets into ``speech.body``; ``heading_end`` is where the heading
            text ends (the content that follows belongs to the node as well).
        chars: Chinese characters in ``body[start:end]`` (:func:`~analysis_utils.text.count_han`).
        paragraphs: paragraphs the node overlaps; sentences: sentences starting in it.
        placeholders: the unfilled placeholders (×, ×××, XX …) inside it.

    Example:
        >>> n = OutlineNode("section", 1, "一、", "一、", 1, "总体要求", 0, 40, 5)
        >>> n.title, n.label
        ('一、总体要求', '一、总体要求')
    """

    kind: str
    level: int
    marker: str
    style: str
    number: int | None
    heading: str
    start: int
    end: int
    heading_end: int
    id: str = ""
    chars: int = 0
    share: float = 0.0
    paragraphs: int = 0
    sentences: int = 0
    placeholders: list[Placeholder] = field(default_factory=list)
    children: list[OutlineNode] = field(default_factory=list)
    parent: OutlineNode | None = field(default=None, repr=False)
    rank: int = 0  # style rank (headings 1-5, enumerations 10+, others 0)
    title: str = ""  # marker and heading as printed: ``一、过去五年的工作…``, ``第一，关于…``

    def __post_init__(self) -> None:
        if not self.title:
            self.title = f"{self.marker}{self.heading}"

    @property
    def label(self) -> str:
        """Bilingual label for frame parts (``开头 opening``), else the title."""
        if self.kind in FRAME_KINDS:
            return KIND_LABELS[self.kind]
        return self.title

    def walk(self) -> Iterator[OutlineNode]:
        """This node and all below it, in document order."""
        yield self
        for c in self.children:
            yield from c.walk()

    def to_dict(self) -> dict:
        """JSON-ready: the fields above, placeholders as ``{text, start, end}``, children nested."""
        return {
            "id": self.id,
            "kind": self.kind,
            "level": self.level,
            "marker": self.marker,
            "style": self.style,
            "number": self.number,
            "heading": self.heading,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "chars": self.chars,
            "share": round(self.share, 4),
            "paragraphs": self.paragraphs,
            "sentences": self.sentences,
            "placeholders": [{"text": p.text, "start": p.start, "end": p.end} for p in self.placeholders],
            "children": [c.to_dict() for c in self.children],
        }


@dataclass(frozen=True)
class Finding:
    """One self-check result.

    ``check`` names the check (``announced_count``, ``numbering``, ``balance``,
    ``placeholders``, ``structure``); ``kind`` is ``ok`` when it passed, otherwise what
    was found (``count_mismatch``, ``numbering_gap`` …). ``node`` is the id of the node it
    concerns, ``start``/``end`` a body span to look at.

    Example:
        >>> Finding("numbering", "ok", "编号连续 · numbering in order", found=2).to_dict()["found"]
        2
    """

    check: str
    kind: str
    message: str
    node: str | None = None
    start: int | None = None
    end: int | None = None
    expected: int | None = None
    found: int | None = None

    def to_dict(self) -> dict:
        """The fields as a dict, in the order of :data:`CHECKS_COLUMNS`."""
        return {k: getattr(self, k) for k in CHECKS_COLUMNS}


@dataclass
class Outline:
    """The outline of one speech: top-level ``nodes`` (frame parts and sections) and ``checks``.

    ``mode`` says how the structure was found: ``headings`` (numbered headings at the
    start of paragraphs), ``inline`` (headings inside one long paragraph: a text without
    line breaks), ``parts`` (no headings; addresses such as 老师们、同学们！ on a line of their
    own divide the speech), ``enumerations`` (no headings; paragraph-initial 第一/一是 lists lead) or
    ``paragraphs`` (no numbered structure: one node per paragraph).
    """

    speech: Speech = field(repr=False)
    nodes: list[OutlineNode]
    checks: list[Finding]
    mode: str
    title: str | None = None

    # -- views -------------------------------------------------------------------------
    def walk(self) -> Iterator[OutlineNode]:
        """Every node, depth first, in document order."""
        for n in self.nodes:
            yield from n.walk()

    @property
    def sections(self) -> list[OutlineNode]:
        """The top-level numbered sections (``一、`` … or whatever style leads)."""
        return [n for n in self.nodes if n.kind == "section"]

    @property
    def parts(self) -> list[OutlineNode]:
        """The top-level parts every headline counts: the numbered sections, a report's unnumbered
        part after them (``（未编号部分）``) and parts opened by an address (``同志们``)."""
        return [n for n in self.nodes if n.kind in ("section", "part")]

    def node(self, node_id: str) -> OutlineNode:
        """The node with this id (``1.2``, ``opening`` …); ``KeyError`` if none."""
        for n in self.walk():
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def node_at(self, offset: int) -> OutlineNode | None:
        """The deepest node containing body ``offset`` (of two as deep, the later in :meth:`walk`)."""
        return self.nodes_at([offset])[0]

    def nodes_at(self, offsets: Sequence[int]) -> list[OutlineNode | None]:
        """:meth:`node_at` of each offset, all in one sweep over the nodes (O((nodes + offsets) log)).

        Example:
            >>> from analysis_utils import load_speech, build_outline
            >>> from analysis_utils.config import SEED_SPEECH
            >>> o = build_outline(load_speech(SEED_SPEECH))
            >>> [n.id if n else None for n in o.nodes_at([10**6, 0, o.node("1.2").start])]
            [None, 'title', '1.2']
        """
        # the nodes by start; a heap of those started, deepest (then latest in walk order) on top
        nodes = sorted(((n.start, k, n) for k, n in enumerate(self.walk())), key=lambda t: t[:2])
        found: list[OutlineNode | None] = [None] * len(offsets)
        started: list[tuple[int, int, int, OutlineNode]] = []
        i = 0
        for q in sorted(range(len(offsets)), key=lambda q: offsets[q]):
            pos = offsets[q]
            while i < len(nodes) and nodes[i][0] <= pos:
                _, k, n = nodes[i]
                heapq.heappush(started, (-n.level, -k, n.end, n))
                i += 1
            while started and started[0][2] <= pos:  # ended before pos: ends no later for the offsets after
                heapq.heappop(started)
            found[q] = started[0][3] if started else None
        return found

    def to_dict(self) -> dict:
        """The JSON of ``outline --format json``: title, date, speaker, sections, checks."""
        m = self.speech.meta
        return {
            "id": self.speech.id,
            "title": self.title,
            "subtitle": m.subtitle,
            "date": m.date,
            "speaker": m.speaker,
            "han_chars": self.speech.han_chars,
            "paragraphs": len(self.speech.paragraph_spans),
            "sentences": len(self.speech.sentence_spans),
            "mode": self.mode,
            "sections": [n.to_dict() for n in self.nodes],
            "checks": [c.to_dict() for c in self.checks],
        }

    # -- tables ------------------------------------------------------------------------
    def table(self) -> pd.DataFrame:
        """One row per node in document order.

        Columns: ``id``, ``kind``, ``level``, ``marker``, ``heading``, ``start``, ``end``,
        ``chars`` (Chinese characters), ``share`` (of the speech's Chinese characters, 0–1),
        ``paragraphs``, ``sentences``, ``placeholders`` (count), ``parent`` (id, ``""`` at top).
        """
        rows = [
            (n.id, n.kind, n.level, n.marker, n.heading, n.start, n.end, n.chars, round(n.share, 4),
             n.paragraphs, n.sentences, len(n.placeholders), n.parent.id if n.parent else "")
            for n in self.walk()
        ]
        return pd.DataFrame(rows, columns=TABLE_COLUMNS)

    def checks_table(self) -> pd.DataFrame:
        """The self-check findings, problems first, then the checks that passed."""
        df = pd.DataFrame([c.to_dict() for c in self.checks], columns=CHECKS_COLUMNS)
        if df.empty:
            return df
        df["_ok"] = df["kind"].eq("ok")
        return df.sort_values(["_ok"], kind="stable").drop(columns="_ok").reset_index(drop=True)

    def placeholder_table(self) -> pd.DataFrame:
        """Every unfilled placeholder with the node it sits in.

        Columns: ``placeholder``, ``start``, ``end``, ``paragraph``, ``node`` (id),
        ``section`` (that node's title), ``context``.
        """
        rows = []
        for p, n in zip(self.speech.placeholders, self.nodes_at([p.start for p in self.speech.placeholders])):
            rows.append((p.text, p.start, p.end, p.paragraph, n.id if n else "", n.label if n else "", p.context))
        return pd.DataFrame(rows, columns=["placeholder", "start", "end", "paragraph", "node", "section", "context"])

    # -- renderings (outline/render.py) ------------------------------------------------
    def to_text(self, *, depth: int | None = None, width: int = 34) -> str:
        """An indented outline with characters per node, then the checks (what the CLI prints).

        Args:
            depth: show nodes down to this level (``None``: all).
            width: headings longer than this many characters are shortened with ``…``.
        """
        from .render import to_text

        return to_text(self, depth=depth, width=width)

    def to_markdown(self, *, depth: int | None = None, width: int = 60) -> str:
        """The outline as a nested Markdown list, then the checks as a table."""
        from .render import to_markdown

        return to_markdown(self, depth=depth, width=width)
