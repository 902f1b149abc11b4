"""The outline of a speech: its parts, their order and weight, and whether it keeps its promises.

:func:`build_outline` reads the structure Chinese official writing uses and returns an
:class:`~analysis_utils.outline.Outline`: a tree of nodes (title block, salutation, opening,
numbered sections, enumerations, closing) plus the self-checks a careful reader would make
(announced counts, numbering, proportions, unfilled placeholders). It works in named steps:

1. the frame: title block and salutation (:meth:`_Builder.frame`);
2. the headings (:mod:`.headings`), and the closing after the last one; without headings,
   addresses on a line of their own (各位同事！) divide the speech into parts;
3. the tree of headings by style rank, each running until the next heading of its rank;
4. the enumerations (:mod:`.enumerations`), placed below the node they sit in;
5. the top level: frame parts, then the sections (or, without headings, lead enumerations
   and paragraphs), an opening before them and a closing after;
6. ids, levels and sizes; then the checks (:mod:`.checks`).

Example:
    >>> from analysis_utils import load_speech, build_outline
    >>> from analysis_utils.config import SEED_SPEECH
    >>> o = build_outline(load_speech(SEED_SPEECH))
    >>> [n.title for n in o.sections]
    ['一、聚焦主业、担当作为，组织工作展现新气象', '二、强基固本、激发活力，持续推动组织工作高质量发展']
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from ..plots.labels import shorten
from ..speech import Speech
from ..text import HAN, count_han
from .checks import run_checks
from .enumerations import ContainerOf, Series, enumeration_items, group_series, place_series
from .headings import heading_candidates, inline_heading_candidates
from .layout import SALUTATION_START, SENT_END, LastContaining, Layout, clean_heading, first_sentence_end, strip_end
from .model import FRAME_KINDS, Finding, Outline, OutlineNode

Span = tuple[int, int]
#: Where the unnumbered part after the last heading and the closing start (``None``: none).
Tail = tuple["int | None", "int | None"]

_DATE_PARA = re.compile(r"^[（(]\s*[0-9０-９〇○零一二三四五六七八九]{4}\s*年[^）)]{0,30}[）)]$")
#: In a text without line breaks, the sentence that opens the closing: 同志们， 各位代表！ … (or 结束语 before it)
_CLOSING_SENTENCE = re.compile(rf"(?<=[。！？!?])\s*(?=(?:结束语\s*)?(?:同志们|各位[{HAN}]{{0,6}}|朋友们)[，！,!])")
#: A paragraph that heads the closing: 结束语 (older Government Work Reports).
_CLOSING_HEAD = re.compile(r"结束语[：:]?")
#: The address that opens each unnumbered block at the end of a report to the National People's Congress
#: (Government Work Reports): the last one opens the closing.
_REPORT_ADDRESS = re.compile(r"各位代表[！!：:]")
#: What an unnumbered part's title starts with.
UNNUMBERED = "（未编号部分）"


def build_outline(speech: Speech) -> Outline:
    """The outline of ``speech``: its parts as a tree of nodes, and the self-checks.

    Args:
        speech: a loaded :class:`~analysis_utils.speech.Speech`.

    Returns:
        An :class:`~analysis_utils.outline.Outline`. Never raises on odd text: a speech without
        headings gets paragraph-level structure, one without line breaks gets inline headings
        or enumerations and sentence counts, and the checks say what was (not) found.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> o = build_outline(load_speech(SEED_SPEECH))
        >>> o.mode, len(o.sections), [len(s.children) for s in o.sections]
        ('headings', 2, [5, 5])
    """
    b = _Builder(speech)
    body = speech.body
    tb, sal, title = b.frame()
    content_start = max(tb[1] if tb else 0, sal[1] if sal else 0)
    while content_start < len(body) and body[content_start] == "\n":
        content_start += 1

    headings, mode, (part_start, closing_start) = _headings(b, content_start)
    region_end = next((x for x in (part_start, closing_start) if x is not None), len(body))
    roots = _heading_tree(body, headings, region_end)
    enum_nodes = _enumerations(b, headings, content_start, region_end)

    if roots:
        structural = roots
    else:
        part_start = None
        structural, mode, closing_start = _without_headings(b, enum_nodes, content_start, mode)
        region_end = closing_start if closing_start is not None else len(body)
    top = _frame_nodes(body, tb, sal, title)
    top += _body_nodes(b, structural, content_start, region_end, (part_start, closing_start),
                       opening=bool(roots) or mode == "enumerations")
    _number(b, top)

    outline = Outline(speech, top, [], mode, title or speech.meta.title)
    outline.checks = b.findings + run_checks(outline)
    return outline


# ------------------------------------------------------------------------------- steps
def _headings(b: _Builder, content_start: int) -> tuple[list[OutlineNode], str, Tail]:
    """Step 2: the heading nodes (not yet in a tree), the mode, and where the unnumbered part
    and the closing after the last heading start (:func:`_find_tail`)."""
    cands = heading_candidates(b, content_start, b.findings)
    mode = "headings"
    if len(cands) < 2:  # none, or one that a caption split off the run-together text before it
        inline = inline_heading_candidates(b, content_start)
        if len(inline) > len(cands):
            cands, mode = inline, "inline"
        elif not cands:
            mode = "paragraphs"
    if not cands:
        parts, mode, closing_start = _address_parts(b, content_start)
        return parts, mode, (None, closing_start)
    headings = [OutlineNode("section", 0, c.marker, c.style, c.number, c.heading, c.start, len(b.body), c.heading_end,
                            rank=c.rank) for c in cands]
    return headings, mode, _find_tail(b, headings[-1].heading_end, sentences=(mode == "inline"))


def _address_parts(b: _Builder, content_start: int) -> tuple[list[OutlineNode], str, int | None]:
    """No headings: addresses on a line of their own (老师们、同学们！) divide the speech into
    ``part`` nodes (mode ``parts``) when there are two or more; the last one opens the
    closing when what follows it is short, else one more part."""
    addresses = b.address_lines(content_start)
    if len(addresses) < 2:
        return [], "paragraphs", None
    body = b.body
    last = addresses[-1][0]
    closing_start = last if b.han_chars(last, len(body)) <= max(300, 0.1 * b.s.han_chars) else None
    parts = [OutlineNode("part", 0, "", "", None, "", a, len(body), a, rank=1)
             for a, _ in (addresses if closing_start is None else addresses[:-1])]
    return parts, "parts", closing_start


def _heading_tree(body: str, headings: list[OutlineNode], region_end: int) -> list[OutlineNode]:
    """Step 3: nest ``headings`` by style rank and set their ends; returns the roots.

    A heading ends at the next heading of the same or a higher rank (else at
    ``region_end``); a ``part`` takes the first sentence of its text for its heading.
    """
    roots: list[OutlineNode] = []
    stack: list[OutlineNode] = []
    ends = {}  # a heading's end: the first heading after it of the same or a higher rank, which takes it off the stack
    for h in headings:
        while stack and stack[-1].rank >= h.rank:
            ends[id(stack.pop())] = h.start
        h.parent = stack[-1] if stack else None
        (h.parent.children if h.parent else roots).append(h)
        stack.append(h)
    for h in headings:
        h.end = strip_end(body, h.start, min(ends.get(id(h), region_end), region_end))
        h.heading_end = min(h.heading_end, h.end) if h.end > h.start else h.heading_end
    for h in headings:
        if h.kind == "part":
            h.heading = _lead_sentence(body, h.start, h.end)
            h.title = h.heading
            h.heading_end = h.start
    return roots


def _container_of(headings: list[OutlineNode]) -> ContainerOf:
    """The function: offset → the last heading (in document order) containing it, or ``None``.

    ``headings`` are in document order (their starts ascending) and have their ends.
    """
    assert all(h1.start < h2.start for h1, h2 in zip(headings, headings[1:])), "headings in document order"
    spans = LastContaining([h.start for h in headings], [h.end for h in headings])

    def container_of(pos: int) -> OutlineNode | None:
        k = spans.last(pos)
        return headings[k] if k >= 0 else None

    return container_of


def _enumerations(b: _Builder, headings: list[OutlineNode], content_start: int,
                  region_end: int) -> list[tuple[Series, list[OutlineNode]]]:
    """Step 4: the enumeration series before ``region_end``, placed as nodes below the
    heading (or item) they sit in."""
    container_of = _container_of(headings)
    items = enumeration_items(b, content_start, [(h.start, h.heading_end) for h in headings])
    series = group_series([it for it in items if it.pos < region_end], container_of)
    return place_series(b, series, container_of, strip_end(b.body, content_start, region_end))


def _without_headings(b: _Builder, enum_nodes: list[tuple[Series, list[OutlineNode]]], content_start: int,
                      mode: str) -> tuple[list[OutlineNode], str, int | None]:
    """Step 5 without headings: paragraph-initial enumeration series lead (mode
    ``enumerations``, the closing after the last of them), the other paragraphs are
    ``paragraph`` nodes. Returns the top-level nodes, the mode and the closing start."""
    lead = [n for sr, ns in enum_nodes if sr.initial and sr.family != "dash" for n in ns if n.parent is None]
    closing_start = None
    if lead:
        mode = "enumerations"
        last_end = max(n.end for n in lead)
        closing_start = _find_closing(b, last_end, sentences=False)
        if closing_start is None:
            nxt = bisect_left(b.para_starts, last_end + 1)
            closing_start = b.paras[nxt][0] if nxt < len(b.paras) else None
    region_end = closing_start if closing_start is not None else len(b.body)
    placed = [n for _, ns in enum_nodes for n in ns]
    return _paragraph_nodes(b, content_start, region_end, lead, placed, first_is_opening=bool(lead)), mode, closing_start


def _frame_nodes(body: str, tb: Span | None, sal: Span | None, title: str | None) -> list[OutlineNode]:
    """The title block and salutation nodes (those found)."""
    top = []
    if tb:
        top.append(_frame_node("title", body, tb[0], tb[1], title or clean_heading(body[tb[0]:tb[1]].split("\n")[0])))
    if sal:
        top.append(_frame_node("salutation", body, sal[0], sal[1], body[sal[0]:sal[1]].replace("\n", "")))
    return top


def _body_nodes(b: _Builder, structural: list[OutlineNode], content_start: int, region_end: int,
                tail: Tail, *, opening: bool) -> list[OutlineNode]:
    """Step 5: the ``structural`` nodes with an opening before them (when ``opening`` and it
    holds any Chinese character), the unnumbered part and the closing of ``tail``."""
    body = b.body
    part_start, closing_start = tail
    out = []
    first_start = structural[0].start if structural else region_end
    op_end = strip_end(body, content_start, first_start)
    if structural and b.han_chars(content_start, op_end) and opening:
        out.append(_frame_node("opening", body, content_start, op_end))
    out.extend(structural)
    if part_start is not None:
        pe = strip_end(body, part_start, closing_start if closing_start is not None else len(body))
        if b.han_chars(part_start, pe):
            out.append(_unnumbered_part(body, part_start, pe))
    if closing_start is not None and closing_start < len(body):
        ce = strip_end(body, closing_start, len(body))
        if b.han_chars(closing_start, ce):
            head = _CLOSING_HEAD.match(body, closing_start)  # 结束语: the heading is the sentence after it
            out.append(_frame_node("closing", body, closing_start, ce,
                                   _lead_sentence(body, head.end(), ce) if head else None))
    return out


def _number(b: _Builder, top: list[OutlineNode]) -> None:
    """Step 6: levels and ids (frame parts by kind, the others 1, 2, 3 …), then sizes."""
    num = 0
    for n in top:
        n.parent = None
        if n.kind in FRAME_KINDS:
            _assign(n, 1, n.kind)
        else:
            num += 1
            _assign(n, 1, str(num))
        b.fill(n)


def _assign(n: OutlineNode, level: int, node_id: str) -> None:
    n.level = level
    n.id = node_id
    n.children.sort(key=lambda c: c.start)
    for k, c in enumerate(n.children, 1):
        c.parent = n
        _assign(c, level + 1, f"{node_id}.{k}")


# ----------------------------------------------------------------------------- helpers
def _frame_node(kind: str, body: str, a: int, b: int, heading: str | None = None) -> OutlineNode:
    if heading is None:
        heading = _lead_sentence(body, a, b)
    return OutlineNode(kind, 1, "", "", None, heading, a, b, b, id=kind)


def _lead_sentence(body: str, a: int, b: int) -> str:
    """The first sentence of ``body[a:b]`` that is not an address (同志们！ 大家好！)."""
    pos = a
    for _ in range(3):
        while pos < b and body[pos] in "\n \u3000":
            pos += 1
        end = first_sentence_end(body, pos, b)
        m = SALUTATION_START.match(body, pos, end)
        if m and count_han(body[m.end():end]) < 4 and end < b:
            rest = m.end()
            pos = rest if count_han(body[rest:end]) else end
            continue
        if m:
            pos = m.end()
        return clean_heading(body[pos:end])
    return clean_heading(body[a:first_sentence_end(body, a, b)])


def _unnumbered_part(body: str, a: int, e: int) -> OutlineNode:
    """The ``part`` node of the unnumbered text ``body[a:e]`` between the last numbered part and
    the closing; its heading is the first clause of its first sentence."""
    lead = _lead_sentence(body, a, e)
    clause = re.split(r"[，；：,;:]", lead, maxsplit=1)[0]
    heading = clause if 4 <= len(clause) <= 30 else shorten(lead, 20)
    return OutlineNode("part", 0, "", "", None, heading, a, e, a, rank=1, title=UNNUMBERED + heading)


def _find_tail(b: _Builder, after: int, *, sentences: bool) -> Tail:
    """Where the unnumbered part and the closing after ``after`` (the last heading) start.

    The closing starts at a paragraph ``结束语`` (its heading); else, in a report to the
    National People's Congress (the first address after the last heading is 各位代表！), at
    the last paragraph opening with 各位代表！; else at the first paragraph opening with a
    salutation (:func:`_find_closing`). The text between that first address and a later
    closing (government self-building, defence, Hong Kong and Macao, Taiwan, diplomacy …)
    is the unnumbered part.
    """
    body = b.body
    if sentences:
        starts = [m.end() for m in _CLOSING_SENTENCE.finditer(body, after) if m.start() > after]
    else:
        starts = [a for a, e in b.paras[bisect_right(b.para_starts, after):]
                  if SALUTATION_START.match(body, a, e) or _CLOSING_HEAD.fullmatch(body, a, e)]
    if not starts:
        return None, None
    heads = [a for a in starts if body.startswith("结束语", a)]
    ours = [a for a in starts if _REPORT_ADDRESS.match(body, a)]
    closing = heads[0] if heads else ours[-1] if ours and ours[0] == starts[0] else starts[0]
    return (starts[0] if starts[0] < closing else None), closing


def _find_closing(b: _Builder, after: int, *, sentences: bool) -> int | None:
    """Where the closing starts: the first paragraph after ``after`` opening with a
    salutation (with ``sentences``: the first such sentence)."""
    body = b.body
    if sentences:
        m = _CLOSING_SENTENCE.search(body[after:])
        return after + m.end() if m else None
    k = bisect_right(b.para_starts, after)
    for a, e in b.paras[k:]:
        if SALUTATION_START.match(body, a, e):
            return a
    return None


def _paragraph_nodes(b: _Builder, start: int, end: int, lead: list[OutlineNode], placed: list[OutlineNode],
                     *, first_is_opening: bool) -> list[OutlineNode]:
    """Top-level nodes when there are no headings: lead enumeration items and plain paragraphs."""
    body = b.body
    nodes: list[OutlineNode] = []
    first_lead = lead[0].start if lead else None
    pending_sal: int | None = None
    by_start = sorted(lead, key=lambda n: n.start)
    lead_starts = [n.start for n in by_start]
    lead_reach = list(accumulate((n.end for n in by_start), max))  # the furthest end of the lead items up to each
    lead_ids = {id(n) for n in lead}
    free = sorted(((n.start, k, n) for k, n in enumerate(placed) if n.parent is None and id(n) not in lead_ids),
                  key=lambda t: t[:2])
    free_starts = [t[0] for t in free]
    for a, e in b.paras:
        if a < start or a >= end:
            continue
        if first_is_opening and first_lead is not None and a < first_lead:
            continue  # the opening
        k = bisect_right(lead_starts, a)
        if k and lead_reach[k - 1] > a:
            continue  # inside a lead item
        if e - a <= 12 and SALUTATION_START.match(body[a:e]):
            pending_sal = a if pending_sal is None else pending_sal
            continue  # an address on its own line joins the paragraph after it
        na = pending_sal if pending_sal is not None else a
        pending_sal = None
        node = OutlineNode("paragraph", 0, "", "", None, clean_heading(body[a:first_sentence_end(body, a, e)]), na, e, e)
        node.children = [t[2] for t in free[bisect_left(free_starts, a):bisect_left(free_starts, e)]]
        nodes.append(node)
    nodes.extend(lead)
    nodes.sort(key=lambda n: n.start)
    return nodes


# ----------------------------------------------------------------------------- builder
class _Builder(Layout):
    """The layout of one speech, plus what building its outline finds on the way."""

    def __init__(self, speech: Speech):
        super().__init__(speech)
        self.findings: list[Finding] = []

    # -- frame -------------------------------------------------------------------------
    def frame(self) -> tuple[Span | None, Span | None, str | None]:
        """Step 1: title block span, salutation span, title text."""
        tb, title = self._title_block()
        tb, sal = self._salutation(tb)
        return tb, sal, title

    def _title_block(self) -> tuple[Span | None, str | None]:
        """The loader's title block, else one guessed from a date line (with a finding)."""
        meta = self.s.meta
        if meta.title_block_end > 0:
            return (0, meta.title_block_end), meta.title
        guessed = self._guess_title_block()
        if not guessed:
            return None, meta.title
        tb, title = guessed
        self.findings.append(Finding(
            "structure", "title_block_guessed",
            f"标题区由日期行推断 · no title block found by the loader; the lines before the date line "
            f"are taken as the title block (title: {title})", "title", tb[0], tb[1]))
        return tb, title

    def _guess_title_block(self) -> tuple[Span, str] | None:
        for k, (a, b) in enumerate(self.paras[:6]):
            if _DATE_PARA.match(self.body[a:b]):
                before = self.paras[:k]
                if not before or any(e - s > 40 or SENT_END.search(self.body, s, e) for s, e in before):
                    return None
                end = b
                if k + 1 < len(self.paras):
                    s2, e2 = self.paras[k + 1]
                    line = self.body[s2:e2]
                    if e2 - s2 <= 20 and not re.search(r"[，。！？：,:]", line):
                        end = e2
                title = self.body[before[-1][0]:before[-1][1]]
                return (0, end), title
        return None

    def _salutation(self, tb: Span | None) -> tuple[Span | None, Span | None]:
        """The salutation after the title block: the loader's (extended over more address
        lines), else found here, possibly after one stray line that then joins the title block."""
        sal = self.s.meta.spans.get("salutation")
        after = tb[1] if tb else 0
        if sal and sal[0] < after:
            sal = None
        if sal is not None:
            if not self.body[sal[0]:sal[1]].endswith(("：", ":")):
                more = self._salutation_after(sal[1] + 1)  # the loader stops after 12 lines
                if more and more[0] == sal[1] + 1:
                    sal = (sal[0], more[1])
            return tb, sal
        sal = self._salutation_after(after)
        k = bisect_left(self.para_starts, after + 1 if after else 0)
        if sal is None and tb and k < len(self.paras):
            a, e = self.paras[k]  # one stray line (原标题：…) between title block and salutation
            if e - a <= 40 and not SENT_END.search(self.body, a, e):
                sal = self._salutation_after(e + 1)
                if sal and sal[0] == e + 1:
                    return (tb[0], e), sal
                sal = None
        return tb, sal

    def _salutation_after(self, offset: int) -> Span | None:
        """Consecutive short addressing lines right after ``offset`` (尊敬的…， 各位同事：)."""
        k = k0 = bisect_left(self.para_starts, offset)
        span: Span | None = None
        while k < len(self.paras) and k - k0 < 20:
            a, b = self.paras[k]
            line = self.body[a:b]
            if not (len(line) <= 40 and SALUTATION_START.match(line) and line[-1] in "，,：:！!"):
                break
            span = (span[0] if span else a, b)
            k += 1
            if line[-1] in "：:":
                break
        return span

    def address_lines(self, offset: int) -> list[Span]:
        """Paragraphs after ``offset`` that only address the audience: ``各位同事！``."""
        out = []
        for a, e in self.paras[bisect_left(self.para_starts, offset):]:
            m = SALUTATION_START.match(self.body, a, e) if e - a <= 16 and self.body[e - 1] in "！!" else None
            if m and not count_han(self.body[m.end():e]):
                out.append((a, e))
        return out

    # -- sizes -------------------------------------------------------------------------
    def fill(self, n: OutlineNode) -> None:
        """Set the sizes of ``n`` and the nodes below it: characters, share, paragraphs,
        sentences, placeholders."""
        a, b = n.start, n.end
        n.chars = self.han_chars(a, b)
        n.share = n.chars / self.s.han_chars if self.s.han_chars else 0.0
        if self.paras:
            first = self.para_index(a)
            last = self.para_index(max(a, b - 1))
            n.paragraphs = last - first + 1 if b > a else 0
        n.sentences = bisect_left(self.sent_starts, b) - bisect_left(self.sent_starts, a)
        n.placeholders = [self.s.placeholders[k] for k in range(bisect_left(self.ph_starts, a), bisect_left(self.ph_starts, b))]
        for c in n.children:
            self.fill(c)
