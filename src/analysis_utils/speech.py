"""The ``Speech`` value: one speech, read once, never modified.

A ``Speech`` holds the text exactly as decoded (``raw``), the normalised text
(``normalized``), the cleaned ``body`` every analysis works on, the spans the loader
took out of the normalised text and why (``removed``), the metadata the text states
(``meta``) and the redaction placeholders (``placeholders``). Offsets in every later
result are character offsets into ``body``: ``speech.body[start:end]`` is the text a
result points at.

Example:
    >>> from analysis_utils import load_speech
    >>> from analysis_utils.config import SEED_SPEECH
    >>> speech = load_speech(SEED_SPEECH)
    >>> speech.meta.title, speech.han_chars, speech.body[12:16]
    ('在党建工作会议上的讲话', 3032, '同志们：')
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .errors import printable
from .text import count_han

#: A sentence: up to and including its closing punctuation and any closing quotes.
SENTENCE_RE = re.compile(r"[^。！？!?\n]+(?:[。！？!?…]+[”’」』）)]*)?|[。！？!?]+")


@dataclass(frozen=True)
class RemovedSpan:
    """A span of the normalised text that is not part of the speech.

    ``start``/``end`` index ``Speech.normalized``; ``body_pos`` is the offset in
    ``Speech.body`` where the span stood before it was taken out.
    """

    start: int
    end: int
    text: str
    reason: str
    body_pos: int


@dataclass(frozen=True)
class Placeholder:
    """A redaction mark (``×``, ``×××``, ``XX``, ``○○`` …) in the body."""

    text: str
    start: int
    end: int
    paragraph: int  # 1-based
    context: str


@dataclass(frozen=True)
class Metadata:
    """What the text says about itself. Every field is ``None`` when the text does not say it.

    ``spans`` maps a field name (``title``, ``subtitle``, ``date``, ``speaker``,
    ``salutation``) to its ``(start, end)`` in the body; ``title_block_end`` is the body
    offset where the title block (title, subtitle, date, speaker) ends.
    """

    title: str | None = None
    subtitle: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    date_text: str | None = None
    place: str | None = None
    speaker: str | None = None
    salutation: str | None = None
    spans: dict = field(default_factory=dict)
    title_block_end: int = 0


@dataclass(frozen=True)
class Speech:
    """One speech as loaded by :func:`analysis_utils.load_speech`. Immutable.

    Example:
        >>> from analysis_utils import speech_from_text
        >>> s = speech_from_text("在会上的讲话\\n同志们：\\n今天开会。明天学习！")
        >>> s.paragraph_spans, s.sentence_spans
        (((0, 6), (7, 11), (12, 22)), ((0, 6), (7, 11), (12, 17), (17, 22)))
        >>> s.paragraph_of(15), s.sentence_of(18), s.han_chars
        (3, 4, 17)
    """

    path: Path
    id: str
    encoding: str
    raw: str
    normalized: str
    body: str
    removed: tuple[RemovedSpan, ...]
    meta: Metadata
    placeholders: tuple[Placeholder, ...]
    notes: tuple[str, ...] = ()

    # -- derived views (computed once, on demand) ---------------------------------
    @cached_property
    def paragraph_spans(self) -> tuple[tuple[int, int], ...]:
        """``(start, end)`` of every paragraph (one non-empty line of the body)."""
        spans, pos = [], 0
        for line in self.body.split("\n"):
            if line:
                spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        return tuple(spans)

    @cached_property
    def sentence_spans(self) -> tuple[tuple[int, int], ...]:
        """``(start, end)`` of every sentence; a sentence never crosses a paragraph."""
        return tuple(m.span() for m in SENTENCE_RE.finditer(self.body) if m.group().strip())

    @cached_property
    def han_chars(self) -> int:
        """Length of the body in Chinese characters."""
        return count_han(self.body)

    def paragraph_of(self, offset: int) -> int:
        """1-based number of the paragraph containing body ``offset``."""
        return max(1, bisect_right(self._paragraph_starts, offset))

    def sentence_of(self, offset: int) -> int:
        """1-based number of the sentence containing body ``offset``."""
        return max(1, bisect_right(self._sentence_starts, offset))

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [s for s, _ in self.paragraph_spans]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentence_spans]

    def removed_table(self) -> pd.DataFrame:
        """What the loader took out, one row per span: where, why, and the text itself.

        Returns:
            Columns ``start``, ``end`` (in ``normalized``), ``body_pos``, ``reason``, ``text``.

        Example:
            >>> from analysis_utils import load_speech
            >>> from analysis_utils.config import SEED_SPEECH
            >>> load_speech(SEED_SPEECH).removed_table()[["start", "end", "body_pos"]].values.tolist()
            [[0, 127, 0]]
        """
        return pd.DataFrame(
            [(r.start, r.end, r.body_pos, r.reason, r.text) for r in self.removed],
            columns=["start", "end", "body_pos", "reason", "text"],
        )

    def placeholder_table(self) -> pd.DataFrame:
        """Every redaction placeholder with its position and context.

        Returns:
            Columns ``placeholder``, ``start``, ``end`` (in ``body``), ``paragraph`` (1-based), ``context``.

        Example:
            >>> from analysis_utils import load_speech
            >>> from analysis_utils.config import SEED_SPEECH
            >>> load_speech(SEED_SPEECH).placeholder_table().iloc[0].to_dict()
            {'placeholder': '×', 'start': 250, 'end': 251, 'paragraph': 6, 'context': '区“两委”成员等对象组织×个主体班次，收到良好效果'}
        """
        return pd.DataFrame(
            [(p.text, p.start, p.end, p.paragraph, p.context) for p in self.placeholders],
            columns=["placeholder", "start", "end", "paragraph", "context"],
        )

    def info(self) -> dict:
        """A JSON-ready summary: what the ``info`` command prints.

        Example:
            >>> from analysis_utils import speech_from_text
            >>> info = speech_from_text("在会上的讲话\\n同志们：\\n请×××同志发言。", path="会.txt").info()
            >>> info["id"], info["title"], info["han_chars"], info["placeholders"]
            ('会', '在会上的讲话', 14, {'count': 1, 'distinct': ['×××']})
        """
        m = self.meta
        return {
            "file": printable(str(self.path)),  # a name that is not UTF-8 prints as \\xNN
            "id": self.id,
            "encoding": self.encoding,
            "title": m.title,
            "subtitle": m.subtitle,
            "date": m.date,
            "place": m.place,
            "speaker": m.speaker,
            "salutation": m.salutation,
            "han_chars": self.han_chars,
            "paragraphs": len(self.paragraph_spans),
            "sentences": len(self.sentence_spans),
            "normalisation": list(self.notes),
            "removed": [
                {"lines": r.text.count("\n") + 1, "chars": len(r.text), "reason": r.reason, "text": r.text}
                for r in self.removed
            ],
            "placeholders": {
                "count": len(self.placeholders),
                "distinct": sorted({p.text for p in self.placeholders}),
            },
        }
