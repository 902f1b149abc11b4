"""The outline of a speech: its parts, their order and weight, and whether it keeps its promises.

:func:`build_outline` reads the structure Chinese official writing uses and returns an
:class:`Outline`: a tree of :class:`OutlineNode` (title block, salutation, opening, numbered
sections, enumerations, closing) plus :class:`Finding` self-checks a careful reader would
make (announced counts, numbering, proportions, unfilled placeholders).

Heading styles (the *style rank* orders them; the tree *level* is relative, so a speech
that starts at ``（一）`` still gets a level-1 ``（一）``):

====  ==========================================  =====================================
rank  marker                                      variants recognised
====  ==========================================  =====================================
1     ``一、``                                    ``一.`` ``一．``
2     ``（一）``                                  ``(一)`` ``（一)`` ``(一）``
3     ``1.``                                      ``1、`` ``１．`` (full-width digits)
4     ``（1）``                                   ``(1)`` ``（１）``
5     ``①``                                       ``①`` … ``⑳``
====  ==========================================  =====================================

A heading stands on its own line (reports) or is the first sentence of a paragraph
(``（一）党的十九大精神落实落细。…``): ``heading`` is that sentence (without marker and
final full stop) and the node spans what follows until its next sibling.

Enumerations become ``enumeration`` nodes one level below the node they sit in:
``一是…二是…``, ``第一，…第二，…``, ``首先…其次…最后`` and runs of ``——`` paragraphs.
Inline ones end where the next item starts (the last one at the end of its paragraph);
paragraph-initial ones (``第一，`` opening a paragraph) run over the paragraphs that
follow them, until the next item.

A marker is only a marker at the start of a paragraph (headings) or of a clause
(enumerations) and never inside quotation marks: ``“一带一路”``, ``党的十九大``,
``统一是`` are not structure.

Example:
    >>> from analysis_utils import load_speech, build_outline
    >>> o = build_outline(load_speech("seeds/party_building_conference_speech.txt"))
    >>> [n.title for n in o.sections]
    ['一、聚焦主业、担当作为，组织工作展现新气象', '二、强基固本、激发活力，持续推动组织工作高质量发展']
    >>> print(o.to_text())  # doctest: +SKIP
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from ..plots.labels import display_width, shorten
from ..speech import Placeholder, Speech, count_han

NodeKind = Literal["title", "salutation", "opening", "section", "part", "enumeration", "paragraph", "closing"]
FRAME_KINDS = ("title", "salutation", "opening", "closing")
KIND_LABELS = {
    "title": "标题 title block",
    "salutation": "称呼 salutation",
    "opening": "开头 opening",
    "closing": "结尾 closing",
    "paragraph": "段落 paragraph",
}

# ------------------------------------------------------------------------------ numerals
_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CN_DIGIT.update({"〇": 0, "两": 2})
CN_NUM = "[一二三四五六七八九十]{1,3}"


def cn_number(text: str) -> int | None:
    """``一``→1, ``十二``→12, ``二十``→20, ``两``→2, ``１２``/``12``→12; ``None`` if not a number."""
    s = unicodedata.normalize("NFKC", text)
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" in s:
        a, _, b = s.partition("十")
        if (a and a not in _CN_DIGIT) or (b and b not in _CN_DIGIT) or len(a) > 1 or len(b) > 1:
            return None
        return (_CN_DIGIT[a] if a else 1) * 10 + (_CN_DIGIT[b] if b else 0)
    if len(s) == 1 and s in _CN_DIGIT:
        return _CN_DIGIT[s]
    return None


def _cn(n: int) -> str:
    """12 → 十二 (for messages)."""
    d = "零一二三四五六七八九"
    if n < 10:
        return d[n]
    if n < 20:
        return "十" + (d[n - 10] if n > 10 else "")
    if n < 100:
        return d[n // 10] + "十" + (d[n % 10] if n % 10 else "")
    return str(n)


# ------------------------------------------------------------------------- heading styles
#: (rank, canonical marker, pattern at the start of a paragraph or sentence)
HEADING_STYLES: list[tuple[int, str, re.Pattern]] = [
    (1, "一、", re.compile(rf"({CN_NUM})[、.．](?![一二三四五六七八九十两])")),  # 一、二线 is not one
    (2, "（一）", re.compile(rf"[（(]({CN_NUM})[）)]")),
    (3, "1.", re.compile(r"([0-9０-９]{1,2})(?:[.．](?![0-9０-９%％])|、(?![0-9０-９]))")),
    (4, "（1）", re.compile(r"[（(]([0-9０-９]{1,2})[）)]")),
    (5, "①", re.compile(r"([\u2460-\u2473])")),
]
STYLE_NAMES = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）", 5: "①"}

#: Enumeration families: 一是 / 第一 / 首先 / —— (dash paragraphs).
_SHI_RE = re.compile(rf"({CN_NUM})是")
_DI_RE = re.compile(rf"第({CN_NUM})(?:是|[，、：:,])")
_SHOU_RE = re.compile(r"(首先|其次|再次|最后)")
_SHOU_VALUE = {"首先": 1, "其次": 2, "再次": 3, "最后": 99}
_DASH_RE = re.compile(r"(?:——|──|－－|--)\s*(?=[\u4e00-\u9fff“])")
ENUM_FAMILIES = {"shi": "一是", "di": "第一", "shou": "首先", "dash": "——"}

_CLAUSE_BEFORE = set("。！？；：，,;:!?\n")
_SENTENCE_BEFORE = set("。！？：；!?:;")
_SENT_END = re.compile(r"[。！？!?]")
_OPEN_Q, _CLOSE_Q = "“‘「『", "”’」』"

#: A paragraph (or sentence) that opens with addressing the audience: 同志们， 各位代表！ …
_ADDRESS = (r"(?:同志们|大家好|各位[\u4e00-\u9fff]{0,8}|朋友们|女士们|先生们|老师们|同学们|青年朋友们"
            r"|亲爱的[\u4e00-\u9fff]{0,10}|尊敬的[^，。！：]{0,30})")
SALUTATION_START = re.compile(  # use with .match()
    rf"{_ADDRESS}(?:[、，,](?:{_ADDRESS}|[\u4e00-\u9fff]{{1,6}}们))*[！，,!：:]"
)
_DATE_PARA = re.compile(r"^[（(]\s*[0-9０-９〇○零一二三四五六七八九]{4}\s*年[^）)]{0,30}[）)]$")

#: ``讲两点意见``, ``以下五个方面工作``, ``提4点要求``, ``三件大事``, ``十个明确``
ANNOUNCE_RE = re.compile(
    r"(?<![第0-9０-９一二三四五六七八九十两几])([一二三四五六七八九十两]{1,3}|[0-9０-９]{1,2})"
    r"(个方面|方面|点|个问题|件大事|件事|条|项|个)"
)


# ----------------------------------------------------------------------------- the values
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
        chars: Chinese characters in ``body[start:end]`` (:func:`count_han`).
        paragraphs: paragraphs the node overlaps; sentences: sentences starting in it.
        placeholders: the unfilled placeholders (×, ×××, XX …) inside it.
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
        return {k: getattr(self, k) for k in ("check", "kind", "message", "node", "start", "end", "expected", "found")}


CHECKS_COLUMNS = ["check", "kind", "message", "node", "start", "end", "expected", "found"]
TABLE_COLUMNS = ["id", "kind", "level", "marker", "heading", "start", "end", "chars", "share",
                 "paragraphs", "sentences", "placeholders", "parent"]


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
    def body_nodes(self) -> list[OutlineNode]:
        """Top-level nodes that are not the title block or the salutation."""
        return [n for n in self.nodes if n.kind not in ("title", "salutation")]

    def node(self, node_id: str) -> OutlineNode:
        """The node with this id (``1.2``, ``opening`` …); ``KeyError`` if none."""
        for n in self.walk():
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def node_at(self, offset: int) -> OutlineNode | None:
        """The deepest node containing body ``offset``."""
        best = None
        for n in self.walk():
            if n.start <= offset < n.end and (best is None or n.level >= best.level):
                best = n
        return best

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
        for p in self.speech.placeholders:
            n = self.node_at(p.start)
            rows.append((p.text, p.start, p.end, p.paragraph, n.id if n else "", n.label if n else "", p.context))
        return pd.DataFrame(rows, columns=["placeholder", "start", "end", "paragraph", "node", "section", "context"])

    # -- renderings --------------------------------------------------------------------
    def to_text(self, *, depth: int | None = None, width: int = 34) -> str:
        """An indented outline with characters per node, then the checks (what the CLI prints).

        Args:
            depth: show nodes down to this level (``None``: all).
            width: headings longer than this many characters are shortened with ``…``.
        """
        s = self.speech
        lines = [f"{self.title or s.id}"]
        facts = [f"{s.han_chars:,} 字 Chinese characters", f"{len(s.paragraph_spans)} 段 paragraphs",
                 f"{len(s.sentence_spans)} 句 sentences", f"结构 structure: {MODE_LABELS[self.mode]}"]
        lines.append("  " + " · ".join(facts))
        lines.append("")
        rows = []
        for n in self.walk():
            if depth is not None and n.level > depth:
                continue
            text = n.title if n.kind not in FRAME_KINDS else f"{KIND_LABELS[n.kind]}: {n.heading}"
            ph = f"  ×{len(n.placeholders)}" if n.placeholders else ""
            rows.append(("  " * (n.level - 1) + shorten(text, width), n.chars, n.share, ph))
        name_w = max((display_width(r[0]) for r in rows), default=10) + 2
        for name, chars, share, ph in rows:
            lines.append(f"{pad(name, name_w)}{chars:>7,} 字 {share * 100:5.1f}%{ph}")
        lines.append("")
        lines.append("占位符 ×N = unfilled placeholders in the node")
        lines.append("")
        lines.append("自检 Checks")
        for c in self.checks:
            mark = "✓" if c.kind == "ok" else "!"
            lines.append(f"  {mark} [{c.check}] {c.message}")
        return "\n".join(lines)

    def to_markdown(self, *, depth: int | None = None, width: int = 60) -> str:
        """The outline as a nested Markdown list, then the checks as a table."""
        s = self.speech
        out = [f"# {self.title or s.id}", ""]
        facts = [f"{s.han_chars:,} 字", f"{len(s.paragraph_spans)} 段", f"{len(s.sentence_spans)} 句", MODE_LABELS[self.mode]]
        out += ["*" + " · ".join(facts) + "*", "", "## 结构 Outline", ""]
        for n in self.walk():
            if depth is not None and n.level > depth:
                continue
            text = _md(shorten(n.title, width)) if n.kind not in FRAME_KINDS else f"*{KIND_LABELS[n.kind]}*: {_md(shorten(n.heading, width))}"
            if n.kind == "section" and n.level == 1:
                text = f"**{text}**"
            ph = f" · {len(n.placeholders)} 个占位符 placeholders" if n.placeholders else ""
            out.append(f"{'  ' * (n.level - 1)}- {text} — {n.chars:,} 字 ({n.share * 100:.1f}%){ph}")
        out += ["", "## 自检 Checks", "", "| | 检查 check | 结果 kind | 说明 message |", "|---|---|---|---|"]
        for c in self.checks:
            out.append(f"| {'✓' if c.kind == 'ok' else '⚠'} | {c.check} | {c.kind} | {_md(c.message)} |")
        return "\n".join(out) + "\n"


MODE_LABELS = {
    "headings": "编号标题 numbered headings",
    "inline": "行内标题 headings inside paragraphs (no line breaks)",
    "enumerations": "无标题，按列举 no headings, led by enumerations",
    "paragraphs": "无标题，按段落 no headings, one node per paragraph",
    "parts": "无编号标题，以称呼分部分 no headings, parts divided by addresses (同志们！)",
}


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


# -------------------------------------------------------------------------------- helpers
def _in_quotes(body: str, para_start: int, pos: int) -> bool:
    seg = body[para_start:pos]
    return sum(seg.count(c) for c in _OPEN_Q) > sum(seg.count(c) for c in _CLOSE_Q)


def _strip_end(body: str, start: int, end: int) -> int:
    """``end`` moved left over white space (never before ``start``)."""
    while end > start and body[end - 1] in " \n\t\u3000":
        end -= 1
    return end


def _first_sentence_end(body: str, start: int, limit: int) -> int:
    """End (exclusive, after the stop) of the sentence starting at ``start``, at most ``limit``."""
    m = _SENT_END.search(body, start, limit)
    return m.end() if m else limit


def _clean_heading(text: str) -> str:
    text = text.strip().rstrip("。：:；;，,！!？?")
    return text.strip()


@dataclass
class _Item:
    """An enumeration item found in the text (before it becomes a node)."""

    pos: int  # marker start
    mend: int  # marker end
    family: str
    value: int
    marker: str
    para: int  # 0-based paragraph index
    initial: bool  # at the start of its paragraph


@dataclass
class _Series:
    family: str
    items: list[_Item]
    initial: bool = False


class _Builder:
    def __init__(self, speech: Speech):
        self.s = speech
        self.body = speech.body
        self.paras = list(speech.paragraph_spans)
        self.para_starts = [a for a, _ in self.paras]
        self.findings: list[Finding] = []
        self.ph_starts = [p.start for p in speech.placeholders]
        self.sent_starts = [a for a, _ in speech.sentence_spans]

    # -- positions ---------------------------------------------------------------------
    def para_index(self, offset: int) -> int:
        """0-based index of the paragraph containing (or following) ``offset``."""
        i = bisect_right(self.para_starts, offset) - 1
        return max(0, i)

    def para_end(self, offset: int) -> int:
        return self.paras[self.para_index(offset)][1] if self.paras else len(self.body)

    # -- frame -------------------------------------------------------------------------
    def frame(self) -> tuple[tuple[int, int] | None, tuple[int, int] | None, str | None]:
        """Title block span, salutation span, title text."""
        meta = self.s.meta
        title = meta.title
        tb = (0, meta.title_block_end) if meta.title_block_end > 0 else None
        if tb is None:
            guessed = self._guess_title_block()
            if guessed:
                tb, title = guessed
                self.findings.append(Finding(
                    "structure", "title_block_guessed",
                    f"标题区由日期行推断 · no title block found by the loader; the lines before the date line "
                    f"are taken as the title block (title: {title})", "title", tb[0], tb[1]))
        sal = meta.spans.get("salutation")
        after = tb[1] if tb else 0
        if sal and sal[0] < after:
            sal = None
        if sal is None:
            sal = self._salutation_after(after)
            k = bisect_left(self.para_starts, after + 1 if after else 0)
            if sal is None and tb and k < len(self.paras):
                a, e = self.paras[k]  # one stray line (原标题：…) between title block and salutation
                if e - a <= 40 and not _SENT_END.search(self.body, a, e):
                    sal = self._salutation_after(e + 1)
                    if sal and sal[0] == e + 1:
                        tb = (tb[0], e)
                    else:
                        sal = None
        elif not self.body[sal[0]:sal[1]].endswith(("：", ":")):
            more = self._salutation_after(sal[1] + 1)  # the loader stops after 12 lines
            if more and more[0] == sal[1] + 1:
                sal = (sal[0], more[1])
        return tb, sal, title

    def _guess_title_block(self) -> tuple[tuple[int, int], str] | None:
        for k, (a, b) in enumerate(self.paras[:6]):
            if _DATE_PARA.match(self.body[a:b]):
                before = self.paras[:k]
                if not before or any(e - s > 40 or _SENT_END.search(self.body, s, e) for s, e in before):
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

    def _salutation_after(self, offset: int) -> tuple[int, int] | None:
        """Consecutive short addressing lines right after ``offset`` (尊敬的…， 各位同事：)."""
        k = bisect_left(self.para_starts, offset)
        start = end = None
        k0 = k
        while k < len(self.paras) and k - k0 < 20:
            a, b = self.paras[k]
            line = self.body[a:b]
            if len(line) <= 40 and SALUTATION_START.match(line) and line[-1] in "，,：:！!":
                start = a if start is None else start
                end = b
                k += 1
                if line[-1] in "：:":
                    break
            else:
                break
        return (start, end) if start is not None else None

    def address_lines(self, offset: int) -> list[tuple[int, int]]:
        """Paragraphs after ``offset`` that only address the audience: ``各位同事！``."""
        out = []
        for a, e in self.paras[bisect_left(self.para_starts, offset):]:
            m = SALUTATION_START.match(self.body, a, e) if e - a <= 16 and self.body[e - 1] in "！!" else None
            if m and not count_han(self.body[m.end():e]):
                out.append((a, e))
        return out

    # -- headings ----------------------------------------------------------------------
    def heading_candidates(self, content_start: int) -> list[dict]:
        """Headings at the start of paragraphs."""
        cands = []
        for i, (a, b) in enumerate(self.paras):
            if a < content_start:
                continue
            c = self._match_heading(a, b)
            if c:
                c["para"] = i
                cands.append(c)
        self._merge_split_headings(cands)
        return cands

    def _match_heading(self, a: int, b: int, *, inline: bool = False) -> dict | None:
        body = self.body
        for rank, style, rx in HEADING_STYLES:
            m = rx.match(body, a, b)
            if not m:
                continue
            number = cn_number(m.group(1)) if rank != 5 else ord(m.group(1)) - 0x2460 + 1
            if number is None or number == 0:
                continue
            rest = body[m.end():b]
            if not re.match(r"\s*[\u4e00-\u9fff“《“‘A-Za-z0-9０-９（(\u3400-\u4dbf]", rest):
                continue
            hs = m.end()
            while hs < b and body[hs] in " \u3000":
                hs += 1
            sent_end = _first_sentence_end(body, hs, b)
            standalone = sent_end >= b and not inline
            if inline or not standalone:
                h_end = sent_end
            else:
                h_end = b
            heading = _clean_heading(body[hs:h_end])
            if len(heading) > 120:  # a very long first sentence: its first clause stands for it
                cm = re.search(r"[；;：:]", body[hs:h_end])
                heading = _clean_heading(body[hs: hs + cm.start()] if cm and cm.start() >= 4 else body[hs: hs + 60] + "…")
            if not heading:
                continue
            return {"rank": rank, "style": style, "marker": body[a:m.end()], "number": number, "start": a,
                    "heading_start": hs, "heading_end": h_end, "heading": heading, "standalone": standalone}
        return None

    def _merge_split_headings(self, cands: list[dict]) -> None:
        """``（二）坚持不懈用`` / next line ``…凝心铸魂。…``: a heading broken over two lines."""
        by_style: dict[int, list[dict]] = {}
        for c in cands:
            by_style.setdefault(c["rank"], []).append(c)
        heading_paras = {c["para"] for c in cands}
        for group in by_style.values():
            inline = sum(not c["standalone"] for c in group)
            for c in group:
                if not c["standalone"] or inline < 2 or inline < 3 * (len(group) - inline):
                    continue
                nxt = c["para"] + 1
                if len(c["heading"]) > 12 or nxt >= len(self.paras) or nxt in heading_paras:
                    continue
                if re.search(r"[。！？；：，,.!?;:]$", c["heading"]):
                    continue
                a, b = self.paras[nxt]
                se = _first_sentence_end(self.body, a, b)
                if se - a > 40 or se >= b:
                    continue
                first = c["heading"]
                c["heading"] = _clean_heading(first + self.body[a:se])
                c["heading_end"] = se
                c["standalone"] = False
                self.findings.append(Finding(
                    "structure", "heading_split",
                    f"标题断行 · heading broken over two lines, joined: {c['marker']}{first} | {self.body[a:se]}",
                    None, c["start"], se))

    def inline_heading_candidates(self, content_start: int) -> list[dict]:
        """Headings at sentence starts inside long paragraphs (a text without line breaks)."""
        body = self.body
        cands = []
        for i, (a, b) in enumerate(self.paras):
            if b <= content_start or b - a < 200:
                continue
            pos = max(a, content_start)
            for m in re.finditer(r"[（(]?[一二三四五六七八九十0-9０-９\u2460-\u2473]", body[pos:b]):
                p = pos + m.start()
                if p != a and body[p - 1] not in _SENTENCE_BEFORE:
                    continue
                if _in_quotes(body, a, p):
                    continue
                c = self._match_heading(p, b, inline=True)
                if c:
                    c["para"] = i
                    cands.append(c)
        # Keep them only if a real series exists (一、二、 or （一）（二）starting at 1).
        by_rank: dict[int, list[int]] = {}
        for c in cands:
            by_rank.setdefault(c["rank"], []).append(c["number"])
        good = {r for r, nums in by_rank.items() if len(nums) >= 2 and nums[0] == 1 and 2 in nums}
        if not good or min(good) > 2:
            return []
        return [c for c in cands if c["rank"] in good or c["rank"] > min(good)]

    # -- enumerations ------------------------------------------------------------------
    def enumeration_items(self, content_start: int, exclude: list[tuple[int, int]]) -> list[_Item]:
        body = self.body
        items: list[_Item] = []
        ex_starts = [a for a, _ in exclude]

        def excluded(p: int) -> bool:
            k = bisect_right(ex_starts, p) - 1
            return k >= 0 and exclude[k][0] <= p < exclude[k][1]

        for i, (a, b) in enumerate(self.paras):
            if b <= content_start:
                continue
            text = body[a:b]
            m = _DASH_RE.match(text)
            if m and i > 0 and not excluded(a):
                items.append(_Item(a, a + m.end(), "dash", 0, text[: m.end()].strip(), i, True))
            for family, rx in (("shi", _SHI_RE), ("di", _DI_RE), ("shou", _SHOU_RE)):
                for m in rx.finditer(text):
                    p = a + m.start()
                    if p != a and body[p - 1] not in _CLAUSE_BEFORE:
                        continue
                    if excluded(p) or _in_quotes(body, a, p):
                        continue
                    if family == "shou":
                        value = _SHOU_VALUE[m.group(1)]
                        marker = m.group(1)
                    else:
                        value = cn_number(m.group(1))
                        if value is None:
                            continue
                        if family == "shi":
                            after = text[m.end(): m.end() + 2]
                            if after[:1] == m.group(1)[:1] and (len(after) < 2 or not re.match(r"[\u4e00-\u9fff]", after[1])):
                                continue  # 一是一、二是二 (an idiom, not a list)
                            marker = m.group(0)
                        else:
                            marker = "第" + m.group(1)
                    mend = a + m.end()
                    while mend < b and body[mend] in "，、：:, \u3000":
                        mend += 1
                    items.append(_Item(p, mend, family, value, marker, i, p == a))
        items.sort(key=lambda it: it.pos)
        return items

    def group_series(self, items: list[_Item], container_of) -> list[_Series]:
        """Items → series: a value of 1 (首先) starts one, the next values join it."""
        series: list[_Series] = []
        open_: dict[str, _Series] = {}
        for it in items:
            cur = open_.get(it.family)
            same_place = cur is not None and container_of(cur.items[-1].pos) is container_of(it.pos)
            if it.family == "dash":
                if cur and same_place and cur.items[-1].para == it.para - 1:
                    cur.items.append(it)
                    it.value = len(cur.items)
                else:
                    it.value = 1
                    cur = _Series("dash", [it], True)
                    series.append(cur)
                    open_["dash"] = cur
                continue
            if it.family == "shou":
                if it.value == 1:
                    cur = _Series("shou", [it], it.initial)
                    series.append(cur)
                    open_["shou"] = cur
                elif cur and same_place and it.para - cur.items[-1].para <= 3 and cur.items[-1].value < it.value \
                        and cur.items[-1].value != 99:
                    if it.value == 99:
                        it.value = 99
                    cur.items.append(it)
                continue
            gap_ok = cur is not None and it.para - cur.items[-1].para <= 12
            if it.value == 1 or not (cur and same_place and gap_ok):
                cur = _Series(it.family, [it], it.initial)
                series.append(cur)
                open_[it.family] = cur
            else:
                cur.items.append(it)
        out = []
        for sr in series:
            if len(sr.items) < 2:
                continue
            if sr.family == "shou":
                if not any(it.marker in ("其次", "再次") for it in sr.items):
                    continue  # 首先…最后 alone is too often prose (最后形成的文件)
                for k, it in enumerate(sr.items):
                    it.value = k + 1
            sr.initial = sr.items[0].initial
            out.append(sr)
        return out

    # -- metrics -----------------------------------------------------------------------
    def fill(self, n: OutlineNode) -> None:
        a, b = n.start, n.end
        n.chars = count_han(self.body[a:b])
        n.share = n.chars / self.s.han_chars if self.s.han_chars else 0.0
        if self.paras:
            first = self.para_index(a)
            last = self.para_index(max(a, b - 1))
            n.paragraphs = last - first + 1 if b > a else 0
        n.sentences = bisect_left(self.sent_starts, b) - bisect_left(self.sent_starts, a)
        n.placeholders = [self.s.placeholders[k] for k in range(bisect_left(self.ph_starts, a), bisect_left(self.ph_starts, b))]
        for c in n.children:
            self.fill(c)


def _frame_node(kind: str, body: str, a: int, b: int, heading: str | None = None) -> OutlineNode:
    if heading is None:
        heading = _lead_sentence(body, a, b)
    return OutlineNode(kind, 1, "", "", None, heading, a, b, b, id=kind)


# ------------------------------------------------------------------------------ building
def build_outline(speech: Speech) -> Outline:
    """The outline of ``speech``: its parts as a tree of nodes, and the self-checks.

    Args:
        speech: a loaded :class:`~analysis_utils.speech.Speech`.

    Returns:
        An :class:`Outline`. Never raises on odd text: a speech without headings gets
        paragraph-level structure, one without line breaks gets inline headings or
        enumerations and sentence counts, and the checks say what was (not) found.

    Example:
        >>> o = build_outline(load_speech("seeds/party_building_conference_speech.txt"))  # doctest: +SKIP
        >>> len(o.sections), [len(s.children) for s in o.sections]  # doctest: +SKIP
        (2, [5, 5])
    """
    b = _Builder(speech)
    body = speech.body
    tb, sal, title = b.frame()
    content_start = max(tb[1] if tb else 0, sal[1] if sal else 0)
    while content_start < len(body) and body[content_start] == "\n":
        content_start += 1

    # 1. headings -------------------------------------------------------------------------
    cands = b.heading_candidates(content_start)
    mode = "headings"
    if not cands:
        cands = b.inline_heading_candidates(content_start)
        mode = "inline" if cands else "paragraphs"

    headings: list[OutlineNode] = []
    for c in cands:
        headings.append(OutlineNode("section", 0, c["marker"], c["style"], c["number"], c["heading"],
                                    c["start"], len(body), c["heading_end"], rank=c["rank"]))

    # closing: the first paragraph (sentence, inline) opening with a salutation after the last heading
    closing_start = None
    if headings:
        last = headings[-1]
        closing_start = _find_closing(b, last.heading_end, sentences=(mode == "inline"))
    elif mode == "paragraphs":
        # no headings: addresses on a line of their own (老师们、同学们！) divide the speech into parts
        addresses = b.address_lines(content_start)
        if len(addresses) >= 2:
            mode = "parts"
            last = addresses[-1][0]
            tail = count_han(body[last:])
            # the last address opens the closing when what follows it is short, else one more part
            closing_start = last if tail <= max(300, 0.1 * speech.han_chars) else None
            for a, _ in addresses if closing_start is None else addresses[:-1]:
                headings.append(OutlineNode("part", 0, "", "", None, "", a, len(body), a, rank=1))

    region_end = closing_start if closing_start is not None else len(body)
    region_end_stripped = _strip_end(body, content_start, region_end)

    # tree of headings by style rank
    roots: list[OutlineNode] = []
    stack: list[OutlineNode] = []
    for h in headings:
        while stack and stack[-1].rank >= h.rank:
            stack.pop()
        h.parent = stack[-1] if stack else None
        (h.parent.children if h.parent else roots).append(h)
        stack.append(h)
    # ends: next heading of the same or higher rank, else the parent's end / region end
    for k, h in enumerate(headings):
        end = region_end
        for h2 in headings[k + 1:]:
            if h2.rank <= h.rank:
                end = h2.start
                break
        h.end = _strip_end(body, h.start, min(end, region_end))
        h.heading_end = min(h.heading_end, h.end) if h.end > h.start else h.heading_end

    for h in headings:
        if h.kind == "part":
            h.heading = _lead_sentence(body, h.start, h.end)
            h.title = h.heading
            h.heading_end = h.start

    def container_of(pos: int) -> OutlineNode | None:
        best = None
        for h in headings:
            if h.start <= pos < h.end:
                best = h
        return best

    # 2. enumerations ---------------------------------------------------------------------
    heading_texts = [(h.start, h.heading_end) for h in headings]
    items = b.enumeration_items(content_start, heading_texts)
    items = [it for it in items if it.pos < region_end]
    series = b.group_series(items, container_of)
    enum_nodes: list[tuple[_Series, list[OutlineNode]]] = []

    # paragraph-level series first (they may contain inline ones), then inline ones
    placed: list[OutlineNode] = []

    def deepest(pos: int) -> OutlineNode | None:
        best = container_of(pos)
        for n in placed:
            if n.start <= pos < n.end and (best is None or n.start >= best.start):
                best = n
        return best

    for sr in sorted(series, key=lambda s: (not s.initial, s.items[0].pos)):
        parent = deepest(sr.items[0].pos)
        limit = parent.end if parent is not None else region_end_stripped
        nodes = []
        n_items = len(sr.items)
        single_para = all(
            b.para_index(sr.items[k + 1].pos) - b.para_index(sr.items[k].pos) <= 1
            and (b.para_index(sr.items[k + 1].pos) == b.para_index(sr.items[k].pos) or sr.items[k + 1].initial)
            for k in range(n_items - 1)
        )
        for k, it in enumerate(sr.items):
            if k + 1 < n_items:
                end = sr.items[k + 1].pos
            elif sr.family == "dash" or single_para or not sr.initial:
                end = b.para_end(it.pos)
            else:
                end = limit
                # no longer (in paragraphs) than the longest item before it
                most = max(b.para_index(sr.items[j + 1].pos) - b.para_index(sr.items[j].pos) for j in range(n_items - 1))
                k_end = b.para_index(it.pos) + most
                if k_end < len(b.paras):
                    end = min(end, b.paras[k_end][0])
                # a later series of paragraph-initial items in the same parent ends this one
                for other in series:
                    p0 = other.items[0].pos
                    if other is not sr and other.initial and it.pos < p0 < end and deepest(p0) is parent:
                        end = p0
                # an audience address paragraph (各位代表！) ends it too
                for pi in range(b.para_index(it.pos) + 1, len(b.paras)):
                    pa, pb = b.paras[pi]
                    if pa >= end:
                        break
                    if SALUTATION_START.match(body[pa:pb]) and pb - pa <= 12:
                        end = pa
                        break
            end = _strip_end(body, it.pos, min(end, limit))
            h_end = min(_first_sentence_end(body, it.mend, end), end)
            semi = re.search(r"[；;]", body[it.mend:h_end])
            if semi:
                h_end = it.mend + semi.end()
            heading = _clean_heading(body[it.mend:h_end]) or body[it.mend:end][:20]
            style = ENUM_FAMILIES[sr.family]
            node = OutlineNode("enumeration", 0, it.marker, style, it.value if sr.family in ("shi", "di") else None,
                               heading, it.pos, end, h_end, rank=10 + list(ENUM_FAMILIES).index(sr.family),
                               title=_clean_heading(body[it.pos:h_end]) or it.marker)
            node.parent = parent
            nodes.append(node)
        if parent is not None:
            parent.children.extend(nodes)
            parent.children.sort(key=lambda n: n.start)
        placed.extend(nodes)
        enum_nodes.append((sr, nodes))

    # 3. top level ------------------------------------------------------------------------
    top: list[OutlineNode] = []
    if tb:
        top.append(_frame_node("title", body, tb[0], tb[1], title or _clean_heading(body[tb[0]:tb[1]].split("\n")[0])))
    if sal:
        top.append(_frame_node("salutation", body, sal[0], sal[1], body[sal[0]:sal[1]].replace("\n", "")))

    structural: list[OutlineNode] = []
    if roots:
        structural = roots
    else:
        # no headings: paragraph-initial enumeration series lead, the other paragraphs are paragraph nodes
        lead = [n for sr, ns in enum_nodes if sr.initial and sr.family != "dash" for n in ns if n.parent is None]
        if lead:
            mode = "enumerations"
            last_end = max(n.end for n in lead)
            closing_start = _find_closing(b, last_end, sentences=False)
            if closing_start is None:
                nxt = bisect_left(b.para_starts, last_end + 1)
                closing_start = b.paras[nxt][0] if nxt < len(b.paras) else None
            region_end = closing_start if closing_start is not None else len(body)
        else:
            closing_start = None
            region_end = len(body)
        structural = _paragraph_nodes(b, content_start, region_end, lead, placed, first_is_opening=bool(lead))

    # opening: before the first structural node
    first_start = structural[0].start if structural else region_end
    op_end = _strip_end(body, content_start, first_start)
    if structural and count_han(body[content_start:op_end]) and (roots or mode == "enumerations"):
        top.append(_frame_node("opening", body, content_start, op_end))
    top.extend(structural)
    if closing_start is not None and closing_start < len(body):
        ce = _strip_end(body, closing_start, len(body))
        if count_han(body[closing_start:ce]):
            top.append(_frame_node("closing", body, closing_start, ce))

    # 4. levels, ids, metrics ---------------------------------------------------------------
    num = 0
    for n in top:
        n.parent = None
        if n.kind in FRAME_KINDS:
            _assign(n, 1, n.kind)
        else:
            num += 1
            _assign(n, 1, str(num))
        b.fill(n)

    outline = Outline(speech, top, [], mode, title or speech.meta.title)
    outline.checks = b.findings + run_checks(outline, enum_series=enum_nodes)
    return outline


def _lead_sentence(body: str, a: int, b: int) -> str:
    """The first sentence of ``body[a:b]`` that is not an address (同志们！ 大家好！)."""
    pos = a
    for _ in range(3):
        while pos < b and body[pos] in "\n \u3000":
            pos += 1
        end = _first_sentence_end(body, pos, b)
        m = SALUTATION_START.match(body, pos, end)
        if m and count_han(body[m.end():end]) < 4 and end < b:
            rest = m.end()
            pos = rest if count_han(body[rest:end]) else end
            continue
        if m:
            pos = m.end()
        return _clean_heading(body[pos:end])
    return _clean_heading(body[a:_first_sentence_end(body, a, b)])


def _assign(n: OutlineNode, level: int, node_id: str) -> None:
    n.level = level
    n.id = node_id
    n.children.sort(key=lambda c: c.start)
    for k, c in enumerate(n.children, 1):
        c.parent = n
        _assign(c, level + 1, f"{node_id}.{k}")


def _find_closing(b: _Builder, after: int, *, sentences: bool) -> int | None:
    body = b.body
    if sentences:
        for m in re.finditer(r"(?<=[。！？!?])\s*(?=(?:同志们|各位[\u4e00-\u9fff]{0,6}|朋友们)[，！,!])", body[after:]):
            return after + m.end()
        return None
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
    for a, e in b.paras:
        if a < start or a >= end:
            continue
        if first_is_opening and first_lead is not None and a < first_lead:
            continue  # the opening
        if any(n.start <= a < n.end for n in lead):
            continue
        line = body[a:e]
        if e - a <= 12 and SALUTATION_START.match(line):
            pending_sal = a if pending_sal is None else pending_sal
            continue  # an address on its own line joins the paragraph after it
        na = pending_sal if pending_sal is not None else a
        pending_sal = None
        node = OutlineNode("paragraph", 0, "", "", None, _clean_heading(body[a:_first_sentence_end(body, a, e)]), na, e, e)
        node.children = [n for n in placed if n.parent is None and n not in lead and a <= n.start < e]
        nodes.append(node)
    nodes.extend(lead)
    nodes.sort(key=lambda n: n.start)
    return nodes


# -------------------------------------------------------------------------------- checks
def run_checks(outline: Outline, *, enum_series: list[tuple[_Series, list[OutlineNode]]] | None = None) -> list[Finding]:
    """The self-checks on a built outline (announced counts, numbering, balance, placeholders)."""
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


def _series_of(node: OutlineNode, outline: Outline) -> list[OutlineNode]:
    """``node`` and its later siblings of the same style (the list it belongs to)."""
    sibs = node.parent.children if node.parent else outline.nodes
    same = [n for n in sibs if n.style == node.style and n.kind == node.kind]
    if node.kind == "enumeration":
        # an enumeration series: consecutive items from this one while the values go up
        k = same.index(node)
        run = [node]
        for n in same[k + 1:]:
            if (n.number or 0) == 1 or (n.marker == "首先"):
                break
            run.append(n)
        return run
    return same[same.index(node):]


def _items_label(nodes: list[OutlineNode]) -> str:
    if not nodes:
        return ""
    if len(nodes) == 1:
        return nodes[0].marker
    return f"{nodes[0].marker}…{nodes[-1].marker}"


def _check_announced(outline: Outline) -> list[Finding]:
    body = outline.speech.body
    out = []
    # the numbered items a list could start with: headings and enumeration items
    starts = sorted(((n.start, n) for n in outline.walk() if n.kind in ("section", "enumeration")), key=lambda t: t[0])
    pos_list = [p for p, _ in starts]
    seen: set[int] = set()
    for m in ANNOUNCE_RE.finditer(body):
        expected = cn_number(m.group(1))
        if not expected or expected < 2 or expected > 30:
            continue
        k = bisect_left(pos_list, m.end())
        tail = body[m.end(): m.end() + 16]
        if k >= len(starts):
            nxt = None
        else:
            nxt = starts[k][1]
        between = body[m.end(): nxt.start] if nxt else tail
        gap = re.sub(r"\s", "", between)
        ok_gap = nxt is not None and len(gap) <= 12 and not re.search(r"[。！？].", gap) and not re.search(r"[，,；;]", gap)
        left = max(body.rfind(c, 0, m.start()) for c in "，。；：！？\n,;:") + 1
        right = re.search(r"[，。；：！？\n,;:]|$", body[m.end(): m.end() + 20])
        phrase = body[left: m.end() + right.start()] or m.group(0)
        if ok_gap and nxt.start not in seen:
            first_of_series = nxt.kind == "section" or (nxt.number in (1, None) and nxt.marker not in ("其次", "最后"))
            if not first_of_series:
                continue
            seen.add(nxt.start)
            items = _series_of(nxt, outline)
            found = len(items)
            what = "sections" if nxt.kind == "section" else "items"
            where = f"{_items_label(items)}"
            if found == expected:
                out.append(Finding("announced_count", "ok",
                                   f"宣布的数目得到印证 · announced count confirmed: “{phrase}” → {found} {what} ({where})",
                                   nxt.parent.id if nxt.parent else nxt.id, m.start(), m.end(), expected, found))
            else:
                out.append(Finding("announced_count", "count_mismatch",
                                   f"宣布的数目与实际不符 · announced count does not match: “{phrase}” announces {expected}, "
                                   f"but {found} {what} follow ({where})",
                                   nxt.parent.id if nxt.parent else nxt.id, m.start(), m.end(), expected, found))
        elif not ok_gap and re.match(r"[\u4e00-\u9fff]{0,6}[：:]", body[m.end(): m.end() + 8]) and \
                re.search(r"(讲|谈|提|以下|如下|下面|这样|主要|重点)[\u4e00-\u9fff]{0,4}$", body[max(0, m.start() - 8): m.start()]):
            out.append(Finding("announced_count", "announced_unmatched",
                               f"宣布了数目但其后没有编号条目 · a count is announced (“{phrase}”) but no numbered items follow it",
                               None, m.start(), m.end(), expected, None))
    return out


def _check_numbering(outline: Outline) -> list[Finding]:
    out = []
    groups: list[tuple[str, list[OutlineNode]]] = []

    def collect(children: list[OutlineNode], where: str) -> None:
        by_style: dict[str, list[OutlineNode]] = {}
        for c in children:
            if c.kind == "section" or (c.kind == "enumeration" and c.number is not None):
                by_style.setdefault(c.style, []).append(c)
        for style, nodes in by_style.items():
            if nodes[0].kind == "enumeration":
                run: list[OutlineNode] = []
                for n in nodes:
                    if run and n.number == 1:
                        groups.append((where, run))
                        run = []
                    run.append(n)
                groups.append((where, run))
            else:
                groups.append((where, nodes))
        for c in children:
            collect(c.children, c.id)

    collect(outline.nodes, "")
    ok_by_level: dict[tuple[int, str], list[int]] = {}
    for where, nodes in groups:
        nums = [n.number for n in nodes]
        problems = []
        if nums[0] != 1:
            problems.append(("numbering_start", nodes[0], f"编号不从一开始 · numbering starts at {nodes[0].marker} instead of 1"))
        for prev, cur in zip(nodes, nodes[1:]):
            if cur.number == prev.number:
                problems.append(("numbering_repeat", cur, f"编号重复 · numbering repeats: {prev.marker} is followed by {cur.marker}"))
            elif cur.number < prev.number:
                problems.append(("numbering_order", cur, f"编号顺序颠倒 · numbering out of order: {cur.marker} comes after {prev.marker}"))
            elif cur.number > prev.number + 1:
                missing = "、".join(_cn(v) for v in range(prev.number + 1, cur.number))
                problems.append(("numbering_gap", cur, f"编号跳号 · numbering gap: {prev.marker} is followed by {cur.marker} (missing {missing})"))
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


def _check_balance(outline: Outline, *, low: float = 1 / 3, high: float = 3.0) -> list[Finding]:
    out = []
    ok_levels: dict[int, int] = {}

    def visit(children: list[OutlineNode]) -> None:
        by_style: dict[str, list[OutlineNode]] = {}
        for c in children:
            if c.kind in ("section", "part") or (c.kind == "enumeration" and c.paragraphs >= 1 and c.style != "——"
                                       and c.start == _para_start(outline, c.start)):
                by_style.setdefault(c.style + c.kind, []).append(c)
        for nodes in by_style.values():
            if len(nodes) < 2 or (nodes[0].kind == "enumeration" and len(nodes) < 3):
                continue
            flagged = False
            for n in nodes:
                others = [o.chars for o in nodes if o is not n]
                med = statistics.median(others)
                if med <= 0:
                    continue
                ratio = n.chars / med
                if ratio < low or ratio > high:
                    flagged = True
                    kind = "too_short" if ratio < low else "too_long"
                    zh = "明显短于同级" if ratio < low else "明显长于同级"
                    out.append(Finding(
                        "balance", kind,
                        f"{zh} · {'much shorter' if ratio < low else 'much longer'} than its siblings: "
                        f"{shorten(n.title, 30)} has {n.chars:,} 字, {ratio:.2f}× the median of the other "
                        f"{len(others)} ({med:,.0f} 字)", n.id, n.start, n.end, round(med), n.chars))
            if not flagged:
                ok_levels[nodes[0].level] = ok_levels.get(nodes[0].level, 0) + len(nodes)
        for c in children:
            visit(c.children)

    visit(outline.nodes)
    for level, count in sorted(ok_levels.items()):
        out.append(Finding("balance", "ok",
                           f"篇幅均衡 · proportions fine: level {level}, {count} parts each within "
                           f"{low:.2g}–{high:g}× the median length of their siblings", None, None, None, None, count))
    return out


def _para_start(outline: Outline, offset: int) -> int:
    s = outline.speech
    k = s.paragraph_of(offset) - 1
    return s.paragraph_spans[k][0] if s.paragraph_spans else 0


def _check_empty(outline: Outline) -> list[Finding]:
    out = []
    for n in outline.walk():
        if n.kind == "section" and not n.children and count_han(outline.speech.body[n.heading_end:n.end]) < 5:
            out.append(Finding("structure", "empty_section",
                               f"标题下没有内容 · a heading with no text under it: {shorten(n.title, 30)}",
                               n.id, n.start, n.end, None, 0))
    return out


def _check_placeholders(outline: Outline) -> list[Finding]:
    ph = outline.speech.placeholders
    if not ph:
        return [Finding("placeholders", "ok", "没有未填的占位符 · no unfilled placeholders (×, ×××, XX …)", None, None, None, 0, 0)]
    out = []
    by_node: dict[str, list[Placeholder]] = {}
    nodes: dict[str, OutlineNode] = {}
    for p in ph:
        n = outline.node_at(p.start)
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
