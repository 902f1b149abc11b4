"""The self-checks on a built outline: does the speech keep its promises?

=====================  ===============================================================
check                  what it looks at
=====================  ===============================================================
``announced_count``    ``讲两点意见`` / ``以下五个方面``: as many numbered items follow?
``numbering``          every series of headings and numbered items: starts at 1, no gaps,
                       repeats or reversals
``balance``            each part against the median length of its siblings (⅓–3×)
``structure``          headings with no text under them; no structure found at all
``placeholders``       unfilled placeholders (×, ×××, XX …), reported by section
=====================  ===============================================================

A check that passes says so (``kind == "ok"``), so a reader sees what was checked.

Example:
    >>> from analysis_utils import load_speech, build_outline
    >>> from analysis_utils.config import SEED_SPEECH
    >>> o = build_outline(load_speech(SEED_SPEECH))
    >>> [(f.check, f.kind, f.expected, f.found) for f in run_checks(o) if f.check == "announced_count"]
    [('announced_count', 'ok', 2, 2), ('announced_count', 'ok', 5, 5)]
"""
from __future__ import annotations

import itertools
import re
from bisect import bisect_left

from ..plots.labels import shorten
from ..speech import Placeholder
from ..text import HAN, cn_numeral, count_han
from .headings import marker_number
from .model import Finding, Outline, OutlineNode

#: ``讲两点意见``, ``以下五个方面工作``, ``提4点要求``, ``三件大事``, ``十个明确``
ANNOUNCE_RE = re.compile(
    r"(?<![第0-9０-９一二三四五六七八九十两几])([一二三四五六七八九十两]{1,3}|[0-9０-９]{1,2})"
    r"(个方面|方面|点|个问题|件大事|件事|条|项|个)"
)
_CLAUSE_STOP = re.compile(r"[，。；：！？\n,;:]")
_SHORT_GAP = re.compile(r"\s*(?:\S\s*){0,12}")
#: ``…三点意见：`` with nothing numbered after it is still an announcement when it is
#: introduced as one (讲, 以下, 主要 …) and ends in a colon.
_ANNOUNCED_BEFORE = re.compile(rf"(讲|谈|提|以下|如下|下面|这样|主要|重点)[{HAN}]{{0,4}}$")
_ANNOUNCED_AFTER = re.compile(rf"[{HAN}]{{0,6}}[：:]")


def run_checks(outline: Outline) -> list[Finding]:
    """The self-checks on a built outline (announced counts, numbering, balance, placeholders).

    Args:
        outline: from :func:`~analysis_utils.outline.build_outline` (which runs them and keeps
            the result, with what building found, in ``outline.checks``).

    Returns:
        The findings, check by check; each check also reports what passed.
    """
    out: list[Finding] = []
    if outline.mode == "paragraphs":
        out.append(Finding("structure", "no_headings",
                           "未发现编号标题或列举 · no numbered headings or enumerations found: the outline lists paragraphs"))
    out += _check_announced(outline)
    out += _check_numbering(outline)
    out += _check_balance(outline)
    out += _check_empty(outline)
    out += _check_placeholders(outline)
    return out


# ------------------------------------------------------------------- announced counts
def _check_announced(outline: Outline) -> list[Finding]:
    """Each announced count (``讲两点意见``) against the series of items right after it."""
    body = outline.speech.body
    out = []
    # the numbered items a list could start with: headings and enumeration items
    starts = sorted(((n.start, n) for n in outline.walk() if n.kind in ("section", "enumeration")), key=lambda t: t[0])
    pos_list = [p for p, _ in starts]
    seen: set[int] = set()
    siblings = _Siblings(outline)
    for m in ANNOUNCE_RE.finditer(body):
        expected = marker_number(m.group(1))
        if not expected or expected < 2 or expected > 30:
            continue
        k = bisect_left(pos_list, m.end())
        nxt = starts[k][1] if k < len(starts) else None
        if nxt is not None and _right_after(body, m.end(), nxt.start):
            if nxt.start in seen or not _first_of_series(nxt):
                continue
            seen.add(nxt.start)
            out.append(_count_finding(outline, m, expected, nxt, siblings))
        elif _ANNOUNCED_AFTER.match(body[m.end(): m.end() + 8]) and _ANNOUNCED_BEFORE.search(body[max(0, m.start() - 8): m.start()]):
            out.append(Finding("announced_count", "announced_unmatched",
                               f"宣布了数目但其后没有编号条目 · a count is announced (“{_phrase(body, m)}”) "
                               f"but no numbered items follow it", None, m.start(), m.end(), expected, None))
    return out


def _right_after(body: str, a: int, b: int) -> bool:
    """True when ``body[a:b]`` is short and holds no clause break: the item follows the count."""
    short = _SHORT_GAP.match(body, a, b)  # white space and at most 12 other characters
    if short is None or short.end() < b:
        return False
    gap = re.sub(r"\s", "", short.group())
    return not re.search(r"[。！？].", gap) and not re.search(r"[，,；;]", gap)


def _first_of_series(n: OutlineNode) -> bool:
    """True when ``n`` can start a list: a heading, or an item numbered 1 (or unnumbered) that is not 其次/最后."""
    return n.kind == "section" or (n.number in (1, None) and n.marker not in ("其次", "最后"))


def _phrase(body: str, m: re.Match) -> str:
    """The clause around the announced count ``m``: ``我讲两点意见``."""
    left = _clause_start(body, m.start())
    window = body[m.end(): m.end() + 20]
    stop = _CLAUSE_STOP.search(window)
    return body[left: m.end() + (stop.start() if stop else len(window))] or m.group(0)


def _clause_start(body: str, pos: int) -> int:
    """Where the clause ending at ``pos`` starts: after the last clause stop (，。；：！？ …)
    before it, else 0. Looks back in growing windows, so a far stop costs its distance only."""
    width = 64
    while True:
        lo = max(0, pos - width)
        k = max(body.rfind(c, lo, pos) for c in "，。；：！？\n,;:")
        if k >= 0 or lo == 0:
            return k + 1
        width *= 4


def _count_finding(outline: Outline, m: re.Match, expected: int, first: OutlineNode, siblings: _Siblings) -> Finding:
    """``ok`` or ``count_mismatch``: the count announced by ``m`` against the series from ``first``."""
    items = siblings.series_of(first)
    found = len(items)
    what = "sections" if first.kind == "section" else "items"
    where = _items_label(items)
    phrase = _phrase(outline.speech.body, m)
    node = first.parent.id if first.parent else first.id
    if found == expected:
        return Finding("announced_count", "ok",
                       f"宣布的数目得到印证 · announced count confirmed: “{phrase}” → {found} {what} ({where})",
                       node, m.start(), m.end(), expected, found)
    return Finding("announced_count", "count_mismatch",
                   f"宣布的数目与实际不符 · announced count does not match: “{phrase}” announces {expected}, "
                   f"but {found} {what} follow ({where})",
                   node, m.start(), m.end(), expected, found)


class _Siblings:
    """The children of each node grouped by style and kind, made when first asked for."""

    def __init__(self, outline: Outline):
        self.outline = outline
        self.groups: dict[int, tuple[dict[tuple[str, str], list[OutlineNode]], dict[int, int]]] = {}

    def series_of(self, node: OutlineNode) -> list[OutlineNode]:
        """``node`` and its later siblings of the same style (the list it belongs to)."""
        same, k = self._same_style(node)
        if node.kind == "enumeration":
            # an enumeration series: consecutive items from this one while the values go up
            run = [node]
            for n in itertools.islice(same, k + 1, None):
                if (n.number or 0) == 1 or (n.marker == "首先"):
                    break
                run.append(n)
            return run
        return same[k:]

    def _same_style(self, node: OutlineNode) -> tuple[list[OutlineNode], int]:
        """The siblings of ``node`` (itself included) of its style and kind, and its place among them."""
        key = id(node.parent)
        if key not in self.groups:
            by_style: dict[tuple[str, str], list[OutlineNode]] = {}
            place: dict[int, int] = {}
            for n in node.parent.children if node.parent else self.outline.nodes:
                group = by_style.setdefault((n.style, n.kind), [])
                place.setdefault(id(n), len(group))
                group.append(n)
            self.groups[key] = by_style, place
        by_style, place = self.groups[key]
        return by_style[(node.style, node.kind)], place[id(node)]


def _items_label(nodes: list[OutlineNode]) -> str:
    if not nodes:
        return ""
    if len(nodes) == 1:
        return nodes[0].marker
    return f"{nodes[0].marker}…{nodes[-1].marker}"


# -------------------------------------------------------------------------- numbering
def _check_numbering(outline: Outline) -> list[Finding]:
    """Each series of headings or numbered items: starts at 1, no gaps, repeats or reversals."""
    out = []
    ok_by_level: dict[tuple[int, str], list[int]] = {}
    for nodes in _numbered_series(outline.nodes):
        problems = _numbering_problems(nodes)
        for kind, node, msg in problems:
            out.append(Finding("numbering", kind, f"{msg} — {shorten(node.title, 30)}", node.id, node.start, node.heading_end,
                               (node.number or 0) if kind == "numbering_start" else None, node.number))
        if not problems:
            ok_by_level.setdefault((nodes[0].level, nodes[0].kind), []).append(len(nodes))
    for (level, kind), sizes in sorted(ok_by_level.items()):
        what = "headings" if kind == "section" else "enumeration items"
        out.append(Finding("numbering", "ok",
                           f"编号连续 · numbering in order: level {level}, {sum(sizes)} {what} in {len(sizes)} series, "
                           f"no gaps, repeats or reversals", None, None, None, None, sum(sizes)))
    return out


def _numbered_series(children: list[OutlineNode]) -> list[list[OutlineNode]]:
    """The numbered series among ``children`` (by style; enumerations restart at each 1),
    then those below them, depth first."""
    by_style: dict[str, list[OutlineNode]] = {}
    for c in children:
        if c.kind == "section" or (c.kind == "enumeration" and c.number is not None):
            by_style.setdefault(c.style, []).append(c)
    groups: list[list[OutlineNode]] = []
    for nodes in by_style.values():
        if nodes[0].kind != "enumeration":
            groups.append(nodes)
            continue
        run: list[OutlineNode] = []
        for n in nodes:
            if run and n.number == 1:
                groups.append(run)
                run = []
            run.append(n)
        groups.append(run)
    for c in children:
        groups += _numbered_series(c.children)
    return groups


def _numbering_problems(nodes: list[OutlineNode]) -> list[tuple[str, OutlineNode, str]]:
    """``(kind, node, message)`` for each numbering problem of one series."""
    problems = []
    if nodes[0].number != 1:
        problems.append(("numbering_start", nodes[0], f"编号不从一开始 · numbering starts at {nodes[0].marker} instead of 1"))
    for prev, cur in zip(nodes, nodes[1:]):
        p, c = _number(prev), _number(cur)
        if c == p:
            problems.append(("numbering_repeat", cur, f"编号重复 · numbering repeats: {prev.marker} is followed by {cur.marker}"))
        elif c < p:
            problems.append(("numbering_order", cur, f"编号顺序颠倒 · numbering out of order: {cur.marker} comes after {prev.marker}"))
        elif c > p + 1:
            missing = "、".join(cn_numeral(v) for v in range(p + 1, c))
            problems.append(("numbering_gap", cur, f"编号跳号 · numbering gap: {prev.marker} is followed by {cur.marker} (missing {missing})"))
    return problems


def _number(n: OutlineNode) -> int:
    assert n.number is not None, "numbered series hold numbered nodes only"
    return n.number


# ---------------------------------------------------------------------------- balance
def _check_balance(outline: Outline, *, low: float = 1 / 3, high: float = 3.0) -> list[Finding]:
    """Each part against the median length of its siblings of the same style: flagged below
    ``low`` or above ``high`` times it."""
    out = []
    ok_levels: dict[int, int] = {}
    for nodes in _sibling_groups(outline, outline.nodes):
        sizes = sorted(n.chars for n in nodes)
        flagged = [f for n in nodes if (f := _balance_finding(n, sizes, low, high))]
        out += flagged
        if not flagged:
            ok_levels[nodes[0].level] = ok_levels.get(nodes[0].level, 0) + len(nodes)
    for level, count in sorted(ok_levels.items()):
        out.append(Finding("balance", "ok",
                           f"篇幅均衡 · proportions fine: level {level}, {count} parts each within "
                           f"{low:.2g}–{high:g}× the median length of their siblings", None, None, None, None, count))
    return out


def _sibling_groups(outline: Outline, children: list[OutlineNode]) -> list[list[OutlineNode]]:
    """Siblings to compare, depth first: sections and parts by style, and paragraph-long
    enumeration items (three or more) that open their paragraph."""
    by_style: dict[str, list[OutlineNode]] = {}
    for c in children:
        if c.kind in ("section", "part") or (c.kind == "enumeration" and c.paragraphs >= 1 and c.style != "——"
                                              and c.start == _para_start(outline, c.start)):
            by_style.setdefault(c.style + c.kind, []).append(c)
    groups = [nodes for nodes in by_style.values()
              if len(nodes) >= 2 and not (nodes[0].kind == "enumeration" and len(nodes) < 3)]
    for c in children:
        groups += _sibling_groups(outline, c.children)
    return groups


def _median_without(sizes: list[int], size: int) -> int | float:
    """``statistics.median`` of the sorted ``sizes`` without one ``size`` (which they hold), in O(log n).

    Example:
        >>> _median_without([1, 2, 3, 10], 10), _median_without([1, 2, 3, 10, 20], 20)
        (2, 2.5)
    """
    gone = bisect_left(sizes, size)
    m = len(sizes) - 1

    def kth(k: int) -> int:  # the k-th of the others
        return sizes[k if k < gone else k + 1]

    return kth(m // 2) if m % 2 else (kth(m // 2 - 1) + kth(m // 2)) / 2


def _balance_finding(n: OutlineNode, sizes: list[int], low: float, high: float) -> Finding | None:
    """``too_short``/``too_long`` when ``n`` is out of proportion with its siblings, whose
    sizes (``n``'s included) are ``sizes``, sorted."""
    others = len(sizes) - 1
    med = _median_without(sizes, n.chars)
    if med <= 0:
        return None
    ratio = n.chars / med
    if low <= ratio <= high:
        return None
    kind = "too_short" if ratio < low else "too_long"
    zh = "明显短于同级" if ratio < low else "明显长于同级"
    return Finding(
        "balance", kind,
        f"{zh} · {'much shorter' if ratio < low else 'much longer'} than its siblings: "
        f"{shorten(n.title, 30)} has {n.chars:,} 字, {ratio:.2f}× the median of the other "
        f"{others} ({med:,.0f} 字)", n.id, n.start, n.end, round(med), n.chars)


def _para_start(outline: Outline, offset: int) -> int:
    s = outline.speech
    k = s.paragraph_of(offset) - 1
    return s.paragraph_spans[k][0] if s.paragraph_spans else 0


# ------------------------------------------------------------------ structure, placeholders
def _check_empty(outline: Outline) -> list[Finding]:
    """A heading with (almost) no text under it."""
    out = []
    for n in outline.walk():
        if n.kind == "section" and not n.children and count_han(outline.speech.body[n.heading_end:n.end]) < 5:
            out.append(Finding("structure", "empty_section",
                               f"标题下没有内容 · a heading with no text under it: {shorten(n.title, 30)}",
                               n.id, n.start, n.end, None, 0))
    return out


def _check_placeholders(outline: Outline) -> list[Finding]:
    """The unfilled placeholders, one finding per section (not per list item) holding any."""
    ph = outline.speech.placeholders
    if not ph:
        return [Finding("placeholders", "ok", "没有未填的占位符 · no unfilled placeholders (×, ×××, XX …)", None, None, None, 0, 0)]
    out = []
    by_node: dict[str, list[Placeholder]] = {}
    nodes: dict[str, OutlineNode] = {}
    for p, n in zip(ph, outline.nodes_at([p.start for p in ph])):
        while n is not None and n.kind == "enumeration" and n.parent is not None:
            n = n.parent  # report by section, not by list item
        key = n.id if n else ""
        by_node.setdefault(key, []).append(p)
        if n:
            nodes[key] = n
    for key, items in by_node.items():
        n = nodes.get(key)
        marks = " ".join(sorted({p.text for p in items}))
        paras = sorted({p.paragraph for p in items})
        where = shorten(n.label, 30) if n else "—"
        out.append(Finding("placeholders", "placeholder",
                           f"未填占位符 · {len(items)} unfilled placeholder(s) ({marks}) in {where}, "
                           f"paragraph(s) {', '.join(map(str, paras))}", key or None, items[0].start, items[-1].end,
                           None, len(items)))
    return out
