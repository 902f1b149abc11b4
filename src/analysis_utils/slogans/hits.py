"""The hit table every slogan kind returns: its columns, the kinds and where each hit lies.

A *hit* is one occurrence of a slogan in ``speech.body``. Every kind's function
(:func:`~analysis_utils.slogans.number_slogans`, :func:`~analysis_utils.slogans.quoted_terms`,
:func:`~analysis_utils.slogans.titles`, :func:`~analysis_utils.slogans.lexicon_hits`, the
parallel structures) finds ``(slogan, kind, start, end, detail)`` rows and :func:`hit_table`
adds where each one lies: the top-level section (from a :class:`~analysis_utils.Sections`
value computed once and passed in), the paragraph, the sentence and a short context.

Example:
    >>> from analysis_utils import load_speech, sections
    >>> from analysis_utils.config import SEED_SPEECH
    >>> seed = load_speech(SEED_SPEECH)
    >>> start = seed.body.index("三新")
    >>> hits = hit_table(seed, [("三新", "quoted", start, start + 2, "term")], sections=sections(seed))
    >>> hits.loc[0, ["section", "paragraph"]].tolist(), hits.loc[0, "section_label"][:2]
    ([1, 6], '一、')
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..errors import SpeechError
from ..outline.parts import Sections
from ..outline.parts import sections as speech_sections
from ..speech import Speech

#: The kinds, in the order tables list them.
KINDS: tuple[str, ...] = ("number", "quoted", "title", "lexicon", "parallel")
#: How each kind reads in a legend or a heading.
KIND_LABELS = {
    "number": "数字提法 number slogans",
    "quoted": "引号词语 quoted terms",
    "title": "书名号 titles",
    "lexicon": "词表提法 lexicon formulations",
    "parallel": "排比 parallel structures",
}
#: The types of a 《》 title (the ``detail`` of a ``title`` hit) and how each reads.
TITLE_TYPES = {
    "law": "法律 law",
    "regulation": "法规 regulation",
    "plan": "规划 plan",
    "opinion": "意见 opinion",
    "decision": "决定 decision",
    "work": "著作 work",
    "newspaper": "报刊 newspaper",
    "other": "其他 other",
}
#: Columns of every hit table (one row per occurrence).
HIT_COLUMNS = ["slogan", "kind", "start", "end", "section", "section_label", "paragraph", "sentence", "detail", "context"]
#: The section label of a hit outside every section (in the title block).
TITLE_LABEL = "标题 title"


def check_kinds(kinds: Iterable[str] | str) -> list[str]:
    """The chosen kinds (one name or several) in :data:`KINDS` order.

    Raises:
        SpeechError: for a name that is not one of :data:`KINDS`.

    Example:
        >>> check_kinds(["title", "number"]), check_kinds("quoted")
        (['number', 'title'], ['quoted'])
    """
    if isinstance(kinds, str):
        kinds = [kinds]
    kinds = list(kinds)
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise SpeechError("kind", f"unknown slogan kind(s) {', '.join(map(str, bad))}; choose from {', '.join(KINDS)}")
    return [k for k in KINDS if k in kinds]


def sections_of(speech: Speech, sections: Sections | None) -> Sections:
    """``sections`` when given, else the speech's sections (:func:`~analysis_utils.sections`)."""
    return speech_sections(speech) if sections is None else sections


def locate(speech: Speech, starts: Sequence[int], ends: Sequence[int], *, sections: Sections) -> dict[str, list]:
    """Section, section label, paragraph, sentence and context of each hit ``starts[i]:ends[i]``.

    A hit outside every section (in the title block) is in section -1, labelled :data:`TITLE_LABEL`.
    """
    labels = sections.labels
    numbers = [int(n) for n in sections.of(list(starts))]
    return {
        "section": numbers,
        "section_label": [str(labels[n]) if n != -1 else TITLE_LABEL for n in numbers],
        "paragraph": [speech.paragraph_of(a) for a in starts],
        "sentence": [speech.sentence_of(a) for a in starts],
        "context": [context(speech, a, b) for a, b in zip(starts, ends)],
    }


def context(speech: Speech, start: int, end: int, width: int = 18) -> str:
    """The hit in its paragraph, marked 【…】, with up to ``width`` characters either side.

    Example:
        >>> from analysis_utils import speech_from_text
        >>> context(speech_from_text("讲话\\n要增强四个意识，坚定四个自信。"), 6, 10, width=4)
        '要增强【四个意识】，坚定四…'
    """
    body = speech.body
    p = speech.paragraph_of(start) - 1
    ps, pe = speech.paragraph_spans[p] if speech.paragraph_spans else (0, len(body))
    a, b = max(ps, start - width), min(max(pe, end), end + width)
    left = ("…" if a > ps else "") + body[a:start]
    right = body[end:b] + ("…" if b < pe else "")
    hit = body[start:end]
    if len(hit) > 40:
        hit = hit[:18] + "…" + hit[-18:]
    return f"{left}【{hit}】{right}".replace("\n", " ")


def hit_table(speech: Speech, rows: list[tuple[str, str, int, int, str]], *, sections: Sections) -> pd.DataFrame:
    """Rows of ``(slogan, kind, start, end, detail)`` → a hit table (:data:`HIT_COLUMNS`) in text order.

    Args:
        speech: the speech the offsets index (``speech.body``).
        rows: the hits.
        sections: the speech's sections (:func:`~analysis_utils.sections`), computed once by the caller.
    """
    rows = sorted(rows, key=lambda r: (r[2], -(r[3] - r[2]), r[0]))
    df = pd.DataFrame(rows, columns=["slogan", "kind", "start", "end", "detail"])
    loc = locate(speech, df["start"].tolist(), df["end"].tolist(), sections=sections)
    for k, v in loc.items():
        df[k] = pd.Series(v, dtype=object if k in ("section_label", "context") else "int64")
    df["start"] = df["start"].astype("int64")
    df["end"] = df["end"].astype("int64")
    return df[HIT_COLUMNS].reset_index(drop=True)
