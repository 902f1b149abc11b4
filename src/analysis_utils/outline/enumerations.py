"""Enumerations: the ``一是…二是…``, ``第一，…第二，…``, ``首先…其次…最后`` and ``——`` series.

Each series becomes ``enumeration`` nodes one level below the node it sits in. Inline items
end where the next item starts (the last one at the end of its paragraph); paragraph-initial
ones (``第一，`` opening a paragraph) run over the paragraphs that follow them, until the next
item. A marker is only a marker at the start of a clause and never inside quotation marks:
``统一是``, ``“第一，要学习”``, ``说一是一`` are not lists.

Example:
    >>> from analysis_utils import speech_from_text
    >>> s = speech_from_text("讲话\\n我们要抓好三件事：一是加强学习；二是改进作风；三是狠抓落实。")
    >>> items = enumeration_items(Layout(s), 0, [])
    >>> [(it.marker, it.value) for it in items]
    [('一是', 1), ('二是', 2), ('三是', 3)]
    >>> [len(sr.items) for sr in group_series(items, lambda pos: None)]
    [3]
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from ..text import HAN, is_han
from .headings import CN_NUM, marker_number
from .layout import CLAUSE_BEFORE, SALUTATION_START, LastContaining, Layout, clean_heading, first_sentence_end, strip_end
from .model import OutlineNode

#: Enumeration families: 一是 / 第一 / 首先 / —— (dash paragraphs), and their canonical style.
ENUM_FAMILIES = {"shi": "一是", "di": "第一", "shou": "首先", "dash": "——"}
_FAMILY_RES = (
    ("shi", re.compile(rf"({CN_NUM})是")),
    ("di", re.compile(rf"第({CN_NUM})(?:是|[，、：:,])")),
    ("shou", re.compile(r"(首先|其次|再次|最后)")),
)
_SHOU_VALUE = {"首先": 1, "其次": 2, "再次": 3, "最后": 99}
_DASH_RE = re.compile(rf"(?:——|──|－－|--)\s*(?=[{HAN}“])")
_SEMICOLON = re.compile(r"[；;]")

#: The heading node an offset falls in (``None``: none), as the builder knows them.
ContainerOf = Callable[[int], "OutlineNode | None"]


@dataclass
class Item:
    """An enumeration item found in the text (before it becomes a node)."""

    pos: int  # marker start
    mend: int  # marker end
    family: str
    value: int
    marker: str
    para: int  # 0-based paragraph index
    initial: bool  # at the start of its paragraph


@dataclass
class Series:
    """Items of one family that form a list (``一是…二是…三是``)."""

    family: str
    items: list[Item]
    initial: bool = False


# ------------------------------------------------------------------------------- items
def enumeration_items(lay: Layout, content_start: int, exclude: list[tuple[int, int]]) -> list[Item]:
    """Every enumeration marker from ``content_start`` on, outside the (sorted) ``exclude`` spans.

    Args:
        lay: the speech's :class:`~analysis_utils.outline.layout.Layout`.
        content_start: body offset where the speech proper starts (after title and salutation).
        exclude: ``(start, end)`` spans, sorted, where no item may start (the heading texts).

    Returns:
        The items in document order.
    """
    ex_starts = [a for a, _ in exclude]

    def excluded(p: int) -> bool:
        k = bisect_right(ex_starts, p) - 1
        return k >= 0 and exclude[k][0] <= p < exclude[k][1]

    items: list[Item] = []
    for i, (a, b) in enumerate(lay.paras):
        if b > content_start:
            items += _paragraph_items(lay, i, a, b, excluded)
    items.sort(key=lambda it: it.pos)
    return items


def _paragraph_items(lay: Layout, i: int, a: int, b: int, excluded: Callable[[int], bool]) -> list[Item]:
    """The items of paragraph ``i`` (``body[a:b]``): a leading dash, then each family's markers."""
    body = lay.body
    text = body[a:b]
    out = []
    m = _DASH_RE.match(text)
    if m and i > 0 and not excluded(a):
        out.append(Item(a, a + m.end(), "dash", 0, text[: m.end()].strip(), i, True))
    for family, rx in _FAMILY_RES:
        for m in rx.finditer(text):
            p = a + m.start()
            if (p != a and body[p - 1] not in CLAUSE_BEFORE) or excluded(p) or lay.in_quotes(a, p):
                continue
            found = _value_and_marker(family, m, text)
            if found is None:
                continue
            mend = a + m.end()
            while mend < b and body[mend] in "，、：:, \u3000":
                mend += 1
            out.append(Item(p, mend, family, found[0], found[1], i, p == a))
    return out


def _value_and_marker(family: str, m: re.Match, text: str) -> tuple[int, str] | None:
    """The value and marker of a family's match, ``None`` when it is not an item."""
    if family == "shou":
        return _SHOU_VALUE[m.group(1)], m.group(1)
    value = marker_number(m.group(1))
    if value is None:
        return None
    if family == "di":
        return value, "第" + m.group(1)
    after = text[m.end(): m.end() + 2]
    if after[:1] == m.group(1)[:1] and (len(after) < 2 or not is_han(after[1])):
        return None  # 一是一、二是二 (an idiom, not a list)
    return value, m.group(0)


# ------------------------------------------------------------------------------ series
def group_series(items: list[Item], container_of: ContainerOf) -> list[Series]:
    """Items → series: a value of 1 (首先) starts one, the next values join it.

    An item joins the open series of its family when both sit in the same heading
    (``container_of``) and it continues the list (:func:`_continues`); ``——`` paragraphs are
    numbered by their place in the run. Series of one item, and ``首先…最后`` without
    ``其次``/``再次``, are dropped.
    """
    series: list[Series] = []
    open_: dict[str, Series] = {}
    for it in items:
        cur = open_.get(it.family)
        if cur is not None and container_of(cur.items[-1].pos) is container_of(it.pos) and _continues(cur.items[-1], it):
            cur.items.append(it)
            if it.family == "dash":
                it.value = len(cur.items)
        elif it.family != "shou" or it.value == 1:  # a 其次 that continues nothing is dropped
            if it.family == "dash":
                it.value = 1
            cur = Series(it.family, [it], it.initial)
            series.append(cur)
            open_[it.family] = cur
    return [sr for sr in series if _keep(sr)]


def _continues(last: Item, it: Item) -> bool:
    """True when ``it`` continues the series whose last item is ``last`` (same family and heading)."""
    if it.family == "dash":
        return last.para == it.para - 1  # the very next paragraph
    if it.family == "shou":
        return it.para - last.para <= 3 and last.value < it.value and last.value != 99
    return it.value != 1 and it.para - last.para <= 12


def _keep(sr: Series) -> bool:
    """Whether ``sr`` is a list; renumbers 首先… series 1, 2, 3 and sets ``initial``."""
    if len(sr.items) < 2:
        return False
    if sr.family == "shou":
        if not any(it.marker in ("其次", "再次") for it in sr.items):
            return False  # 首先…最后 alone is too often prose (最后形成的文件)
        for k, it in enumerate(sr.items):
            it.value = k + 1
    sr.initial = sr.items[0].initial
    return True


# ------------------------------------------------------------------------------- nodes
def place_series(lay: Layout, series: list[Series], container_of: ContainerOf,
                 region_end: int) -> list[tuple[Series, list[OutlineNode]]]:
    """Each series as ``enumeration`` nodes, attached below the node it sits in.

    Paragraph-initial series are placed first (they may contain inline ones), then inline
    ones; a series sits in the deepest heading or already placed item containing its first
    item, and none reaches beyond that parent's end (``region_end`` at the top level).

    Returns:
        ``(series, nodes)`` pairs in the order placed; each parent's children end up in
        document order.
    """
    order = sorted(series, key=lambda s: (not s.initial, s.items[0].pos))
    placer = _Placer(lay, order, container_of)
    placed = [(sr, placer.place(sr, region_end)) for sr in order]
    for parent in placer.parents.values():
        parent.children.sort(key=lambda n: n.start)
    return placed


class _Placer:
    """Places series in the order given, remembering where the placed items are.

    Every item has a slot, by position (equal positions in the order placed), in a
    :class:`~analysis_utils.outline.layout.LastContaining`; a placed item's slot gets its end.
    """

    def __init__(self, lay: Layout, order: list[Series], container_of: ContainerOf):
        self.lay = lay
        self.container_of = container_of
        items = [it for sr in order for it in sr.items]
        by_pos = sorted(range(len(items)), key=lambda k: items[k].pos)
        self.slot = {id(items[k]): j for j, k in enumerate(by_pos)}
        self.spans = LastContaining([items[k].pos for k in by_pos])
        self.node_in: list[OutlineNode | None] = [None] * len(items)
        self.parents: dict[int, OutlineNode] = {}
        self.initial = sorted((sr for sr in order if sr.initial), key=lambda sr: sr.items[0].pos)
        self.initial_starts = [sr.items[0].pos for sr in self.initial]

    def deepest(self, pos: int) -> OutlineNode | None:
        """The heading or placed item containing ``pos`` that starts last (an item when they
        start together; of two items, the one placed last)."""
        best = self.container_of(pos)
        k = self.spans.last(pos)
        n = self.node_in[k] if k >= 0 else None
        if n is not None and (best is None or n.start >= best.start):
            best = n
        return best

    def place(self, sr: Series, region_end: int) -> list[OutlineNode]:
        """The nodes of ``sr``, added to their parent's children."""
        parent = self.deepest(sr.items[0].pos)
        limit = parent.end if parent is not None else region_end
        single_para = self._single_paragraph_run(sr)
        nodes = []
        for k, it in enumerate(sr.items):
            if k + 1 < len(sr.items):
                end = sr.items[k + 1].pos
            elif sr.family == "dash" or single_para or not sr.initial:
                end = self.lay.para_end(it.pos)
            else:
                end = self._last_item_end(sr, parent, limit)
            node = _item_node(self.lay.body, sr.family, it, strip_end(self.lay.body, it.pos, min(end, limit)))
            node.parent = parent
            nodes.append(node)
        if parent is not None:
            parent.children.extend(nodes)
            self.parents[id(parent)] = parent
        for it, node in zip(sr.items, nodes):
            slot = self.slot[id(it)]
            self.node_in[slot] = node
            self.spans.set_end(slot, node.end)
        return nodes

    def _single_paragraph_run(self, sr: Series) -> bool:
        """True when each item is in the paragraph of the one before, or opens the next one."""
        pi = self.lay.para_index
        return all(
            pi(b.pos) - pi(a.pos) <= 1 and (pi(b.pos) == pi(a.pos) or b.initial)
            for a, b in zip(sr.items, sr.items[1:])
        )

    def _last_item_end(self, sr: Series, parent: OutlineNode | None, limit: int) -> int:
        """Where the last item of a paragraph-initial series ends: no longer (in paragraphs)
        than the longest item before it, and before a later paragraph-initial series in the
        same parent or an address paragraph (各位代表！)."""
        lay, it = self.lay, sr.items[-1]
        pi = lay.para_index
        end = limit
        most = max(pi(b.pos) - pi(a.pos) for a, b in zip(sr.items, sr.items[1:]))
        k_end = pi(it.pos) + most
        if k_end < len(lay.paras):
            end = min(end, lay.paras[k_end][0])
        for j in range(bisect_right(self.initial_starts, it.pos), len(self.initial)):
            p0 = self.initial_starts[j]
            if p0 >= end:
                break
            if self.initial[j] is not sr and self.deepest(p0) is parent:
                end = p0  # the first later series in the same parent
                break
        for k in range(pi(it.pos) + 1, len(lay.paras)):
            pa, pb = lay.paras[k]
            if pa >= end:
                break
            if pb - pa <= 12 and SALUTATION_START.match(lay.body, pa, pb):
                return pa
        return end


def _item_node(body: str, family: str, it: Item, end: int) -> OutlineNode:
    """The ``enumeration`` node of item ``it`` ending at ``end``: its heading is its first
    sentence (up to a ``；``)."""
    h_end = min(first_sentence_end(body, it.mend, end), end)
    semi = _SEMICOLON.search(body, it.mend, h_end)
    if semi:
        h_end = semi.end()
    heading = clean_heading(body[it.mend:h_end]) or body[it.mend:min(end, it.mend + 20)]
    return OutlineNode("enumeration", 0, it.marker, ENUM_FAMILIES[family], it.value if family in ("shi", "di") else None,
                       heading, it.pos, end, h_end, rank=10 + list(ENUM_FAMILIES).index(family),
                       title=clean_heading(body[it.pos:h_end]) or it.marker)
