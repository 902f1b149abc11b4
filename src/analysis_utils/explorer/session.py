"""The explorer's logic without widgets: open a speech, look up a term, its tables and figures.

Every number the app shows comes from here, and every one of them from the package's own
functions: a term's hits are :func:`~analysis_utils.kwic` rows (so ``N 处`` is its
:func:`~analysis_utils.substring_counts` count), its token count is
:func:`~analysis_utils.compare_counts`'s, the top terms are :func:`~analysis_utils.term_frequency`'s
and the formulations :func:`~analysis_utils.slogan_counts`'.

Example:
    >>> from analysis_utils import Tokenizer
    >>> from analysis_utils.config import SEED_SPEECH
    >>> opened = open_speech_file(SEED_SPEECH, Tokenizer())
    >>> look_up(opened, "三会一课").headline()
    '三会一课：1 处 · 1 hit (子串计数 substring count) · 分词计数 token count 1 · 3.3 子串计数每万字 substring count per 10,000 characters'
"""
from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import SpeechError
from ..notebook import input_path
from ..outline import Outline, OutlineNode, Sections, build_outline, sections
from ..plots.style import FORMULATION_COUNT_LABEL, SUBSTRING_COUNT_LABEL, TOKEN_COUNT_LABEL, per_10k_label
from ..reading import load_speech
from ..reading.files import DOCX_SUFFIXES, TEXT_SUFFIXES
from ..slogans import combine_hits, lexicon_hits, number_slogans, slogan_counts
from ..speech import Speech
from ..stats import compare_counts, dispersion, formulation_terms, kwic, term_frequency

__all__ = ["Opened", "TermResult", "look_up", "open_speech_file", "overview_rows", "query_params", "save_upload",
           "section_text", "slogan_table", "top_terms_table", "tree_rows"]

#: Steps of opening a speech, for the progress bar.
STEPS = ("读入 reading", "分词 tokenising", "提纲 outline", "词频 term frequency", "提法 formulations")


@dataclass
class Opened:
    """One speech opened in the explorer, with what every view reuses (computed once)."""

    speech: Speech
    tokens: pd.DataFrame
    outline: Outline
    sections: Sections
    freq: pd.DataFrame
    slogans: pd.DataFrame
    formulations: set[str] = field(default_factory=set)

    @property
    def title(self) -> str:
        return self.speech.meta.title or self.speech.id


def open_speech_file(path: str | Path, tokenizer, *, step: Callable[[str], object] | None = None) -> Opened:
    """Load ``path`` (as a notebook's ``speech_path``: relative to the project root when not found
    here) and compute what the explorer shows.

    Args:
        path: a ``.txt``/``.md``/``.docx`` file (or ``table.jsonl#id``).
        tokenizer: the :class:`~analysis_utils.Tokenizer` (loaded once per app).
        step: called with the name of each step as it starts (a progress bar).

    Raises:
        SpeechError: bad input, in one line naming the file.
    """
    step = step or (lambda name: None)
    step(STEPS[0])
    speech = load_speech(input_path(path))
    step(STEPS[1])
    tokens = tokenizer.tokens(speech)
    step(STEPS[2])
    outline = build_outline(speech)
    parts = sections(speech)
    step(STEPS[3])
    freq = term_frequency(tokens, speech=speech)
    step(STEPS[4])
    hits = combine_hits(number_slogans(speech, sections=parts), lexicon_hits(speech, sections=parts))
    return Opened(speech, tokens, outline, parts, freq, slogan_counts(hits, kinds=("number", "lexicon")),
                  formulation_terms(tokens))


def save_upload(name: str, content: bytes, folder: str | Path) -> Path:
    """Write an uploaded file into ``folder`` under its own base name (never elsewhere) and return
    the path, for :func:`open_speech_file`.

    Raises:
        SpeechError: the name has no supported suffix (checked before anything is written).

    Example:
        >>> import tempfile
        >>> save_upload("../../讲话.txt", "同志们：".encode("gbk"), tempfile.mkdtemp()).name
        '讲话.txt'
    """
    base = Path(name.replace("\\", "/")).name.lstrip(".") or "upload.txt"
    suffix = Path(base).suffix.lower()
    if suffix not in TEXT_SUFFIXES | DOCX_SUFFIXES:
        raise SpeechError(name, f"unsupported file type '{suffix}' (use .txt, .md or .docx)")
    path = Path(folder) / base
    path.write_bytes(bytes(content))
    return path


def query_params(query: str | None = None) -> dict[str, str]:
    """``speech`` and ``term`` from the page's query string (Voilà passes it to the kernel as
    ``QUERY_STRING``); the last value of each wins, empty ones are left out.

    Example:
        >>> query_params("speech=seeds/a.txt&term=%E6%94%B9%E9%9D%A9&x=1")
        {'speech': 'seeds/a.txt', 'term': '改革'}
    """
    query = os.environ.get("QUERY_STRING", "") if query is None else query
    parsed = urllib.parse.parse_qs(query.lstrip("?"))
    return {k: v[-1].strip() for k, v in parsed.items() if k in ("speech", "term") and v[-1].strip()}


# ------------------------------------------------------------------------ overview
def overview_rows(opened: Opened) -> list[tuple[str, str]]:
    """``(label, value)`` rows of the overview: title, date, speaker, length, encoding, removed.

    Example:
        >>> from analysis_utils import Tokenizer
        >>> from analysis_utils.config import SEED_SPEECH
        >>> dict(overview_rows(open_speech_file(SEED_SPEECH, Tokenizer())))["篇幅 · length"].split(" · ")[0]
        '3,032 字 Chinese characters'
    """
    s = opened.speech
    m = s.meta
    return [
        ("标题 · title", m.title or "—"),
        ("日期 · date", m.date or "—"),
        ("讲话人 · speaker", m.speaker or "—"),
        ("篇幅 · length", f"{s.han_chars:,} 字 Chinese characters · {len(s.paragraph_spans)} 段 paragraphs · "
                          f"{len(opened.outline.parts)} 个一级部分 top-level parts"),
        ("编码 · encoding", s.encoding),
        ("移除 · removed", f"{len(s.removed)} 处 span(s)"),
    ]


def tree_rows(outline: Outline, *, max_level: int = 3) -> list[tuple[str, int, str]]:
    """``(node id, level, label)`` of the outline's nodes down to ``max_level``, in text order,
    for the clickable tree.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> tree_rows(build_outline(load_speech(SEED_SPEECH)))[3]
        ('1', 1, '一、聚焦主业、担当作为，组织工作展现新气象（942 字）')
    """
    rows = []
    for node in outline.walk():
        if node.level <= max_level:
            rows.append((node.id, node.level, _node_label(node)))
    return rows


def _node_label(node: OutlineNode) -> str:
    text = node.label
    text = re.sub(r"\s+", " ", text).strip()
    return (text[:40] + "…" if len(text) > 40 else text) + f"（{node.chars:,} 字）"


def section_text(opened: Opened, node_id: str) -> str:
    """The text of one outline node (a part and everything under it).

    Example:
        >>> from analysis_utils import Tokenizer
        >>> from analysis_utils.config import SEED_SPEECH
        >>> op = open_speech_file(SEED_SPEECH, Tokenizer())
        >>> section_text(op, op.outline.sections[0].id)[:6]
        '一、聚焦主业'
    """
    node = opened.outline.node(node_id)
    return opened.speech.body[node.start:node.end]


# ------------------------------------------------------------------------- a term
@dataclass(frozen=True)
class TermResult:
    """What the term box shows: the counts and every hit in context."""

    term: str
    substring_count: int
    token_count: int
    per_10k: float
    hits: pd.DataFrame  # kwic rows: as many as substring_count
    positions: pd.DataFrame  # dispersion rows (substring hits)

    def headline(self) -> str:
        n = self.substring_count
        return (f"{self.term}：{n} 处 · {n} hit{'s' if n != 1 else ''} ({SUBSTRING_COUNT_LABEL}) · "
                f"{TOKEN_COUNT_LABEL} {self.token_count} · {self.per_10k:g} {per_10k_label(SUBSTRING_COUNT_LABEL)}")

    def table(self) -> pd.DataFrame:
        """The hits as the app lists them and the CSV download holds them."""
        cols = {"left": "左 left", "hit": "词 hit", "right": "右 right", "paragraph": "段 paragraph",
                "section_label": "部分 section"}
        return self.hits[list(cols)].rename(columns=cols)


def look_up(opened: Opened, term: str, *, window: int = 20) -> TermResult:
    """Look up one term: substring and token count, rate, every hit with its section.

    Raises:
        SpeechError: the term is empty.
    """
    term = term.strip()
    if not term:
        raise SpeechError(None, "输入一个词 · type a term (the search term must be non-empty text)")
    counts = compare_counts(opened.speech, opened.tokens, [term]).iloc[0]
    hits = kwic(opened.speech, term, window=window, sections=opened.sections)
    where = dispersion(opened.speech, [term], sections=opened.sections)
    return TermResult(term, int(counts["substring_count"]), int(counts["token_count"]), float(counts["per_10k"]),
                      hits, where)


# ------------------------------------------------------------------------- tables
def top_terms_table(opened: Opened, top_n: int = 30) -> pd.DataFrame:
    """The top terms (token count, formulations whole), as notebook 02's frequency table."""
    return opened.freq.head(top_n)[["term", "pos", "token_count", "per_10k"]].reset_index(drop=True)


def slogan_table(opened: Opened, top_n: int | None = None) -> pd.DataFrame:
    """Number slogans and lexicon formulations with their formulation count, most frequent first."""
    df = opened.slogans.sort_values(["formulation_count", "slogan"], ascending=[False, True], kind="mergesort")
    df = df[["slogan", "kind", "formulation_count", "detail"]].reset_index(drop=True)
    return df if top_n is None else df.head(top_n)


#: Column headings of the tables as the app shows them (the CSV keeps the package's names).
HEADINGS = {"term": "词 term", "pos": "词性 POS", "token_count": TOKEN_COUNT_LABEL,
            "per_10k": "每万字 per 10k", "slogan": "提法 formulation", "kind": "类型 kind",
            "formulation_count": FORMULATION_COUNT_LABEL, "detail": "说明 detail",
            "substring_count": SUBSTRING_COUNT_LABEL}
