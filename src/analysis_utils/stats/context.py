"""Where terms occur: their hits in the text, keyword-in-context lines, dispersion.

Hits are found by substring search on ``speech.body`` (the published counting method), so
a KWIC table has exactly as many rows as :func:`~analysis_utils.stats.substring_counts`
says; :func:`dispersion` can also place token hits (as
:func:`~analysis_utils.stats.term_frequency` counts them).

Example:
    >>> from analysis_utils import load_speech
    >>> from analysis_utils.config import SEED_SPEECH
    >>> seed = load_speech(SEED_SPEECH)
    >>> find_hits(seed, "三会一课")
    [(1685, 1689)]
    >>> kwic(seed, "三会一课", window=6)[["left", "hit", "right"]].values.tolist()
    [['，进一步把“', '三会一课', '”、民主（组']]
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..errors import SpeechError
from ..outline.parts import Sections
from ..outline.parts import sections as make_sections
from ..speech import Speech
from .filters import word_mask

__all__ = ["KWIC_COLUMNS", "dispersion", "find_hits", "kwic"]

#: Columns of :func:`kwic`.
KWIC_COLUMNS = ["term", "left", "hit", "right", "start", "end", "paragraph", "sentence", "section", "section_label"]


def find_hits(speech: Speech, term: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-overlapping occurrence of ``term`` in ``speech.body``
    (the same hits ``str.count`` counts, so KWIC rows = substring count).

    Raises:
        SpeechError: ``term`` is empty or not text.
    """
    if not isinstance(term, str) or not term.strip():
        raise SpeechError(None, f"the search term must be non-empty text, not {term!r}")
    out, i = [], speech.body.find(term)
    while i >= 0:
        out.append((i, i + len(term)))
        i = speech.body.find(term, i + len(term))
    return out


def kwic(speech: Speech, term: str | Sequence[str], *, window: int = 20, cross_paragraphs: bool = False,
         sections: Sections | None = None) -> pd.DataFrame:
    """Keyword in context: every hit of ``term`` in the body, with its surroundings.

    Hits are found by substring search on ``speech.body`` (the published counting
    method), so the number of rows equals :func:`~analysis_utils.stats.substring_counts`.

    Args:
        speech: the speech.
        term: one term or several (their hits are merged, in text order).
        window: characters of context on each side.
        cross_paragraphs: let the context run into the neighbouring paragraphs (line
            breaks shown as ``⏎``); by default it stops at the paragraph's edge.
        sections: the speech's :class:`~analysis_utils.Sections` when already computed.

    Returns:
        Columns ``term, left, hit, right, start, end, paragraph, sentence, section,
        section_label`` (``start``/``end`` index ``speech.body``; paragraph and sentence
        1-based; ``section`` as in :func:`~analysis_utils.section_table`, -1 in the title
        block). Sorted by start, then term.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> row = kwic(load_speech(SEED_SPEECH), "三会一课", window=6).iloc[0]
        >>> int(row["paragraph"]), row["section_label"][:6]
        (14, '二、强基固本')
    """
    if window < 0:
        raise ValueError("window must be 0 or more characters")
    terms = [term] if isinstance(term, str) else list(dict.fromkeys(term))
    if not terms:
        raise SpeechError(None, "no search term given")
    body = speech.body
    secs = sections or make_sections(speech)
    labels = secs.labels
    para = speech.paragraph_spans
    rows = []
    for t in terms:
        for s, e in find_hits(speech, t):
            p = speech.paragraph_of(s)
            lo, hi = (0, len(body)) if cross_paragraphs or not para else para[p - 1]
            left = body[max(lo, s - window):s].replace("\n", "⏎")
            right = body[e:min(hi, e + window)].replace("\n", "⏎")
            rows.append((t, left, body[s:e], right, s, e, p, speech.sentence_of(s)))
    df = pd.DataFrame(rows, columns=KWIC_COLUMNS[:8])
    sec = secs.of(df["start"].to_numpy(dtype="int64"))
    df["section"] = sec.astype("int64")
    df["section_label"] = [labels.get(int(x), "") for x in sec]
    return df.sort_values(["start", "term"], kind="mergesort").reset_index(drop=True)[KWIC_COLUMNS]


def dispersion(
    speech: Speech,
    terms: Iterable[str],
    *,
    tokens: pd.DataFrame | None = None,
    parts_if_no_headings: int = 0,
    sections: Sections | None = None,
) -> pd.DataFrame:
    """Where each term occurs through the speech, for a lexical dispersion plot.

    Args:
        speech: the speech.
        terms: the terms to place.
        tokens: the speech's token table: when given, a hit is a token equal to the term (so
            the hits match :func:`~analysis_utils.stats.term_frequency`'s counts); when
            ``None``, every substring hit (as :func:`kwic` and
            :func:`~analysis_utils.stats.substring_counts` count).
        parts_if_no_headings: see :func:`~analysis_utils.section_table`.
        sections: the speech's :class:`~analysis_utils.Sections` when already computed.

    Returns:
        Columns ``term, start, offset, paragraph, section``: ``offset`` is the hit's start
        relative to the body, 0 (beginning) to 1 (end). Sorted by term (in the order
        given), then start. A term with no hit has no row.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> dispersion(load_speech(SEED_SPEECH), ["人才"]).head(2).values.tolist()
        [['人才', 946, 0.27153, 9, 1], ['人才', 1008, 0.28932, 9, 1]]
    """
    terms = list(dict.fromkeys(t for t in terms if t))
    n = max(1, len(speech.body))
    secs = sections or make_sections(speech, parts_if_no_headings=parts_if_no_headings)
    rows = []
    if tokens is not None:
        words = tokens.loc[word_mask(tokens), ["token", "start"]]
        for t in terms:
            for s in words.loc[words["token"] == t, "start"].sort_values():
                rows.append((t, int(s)))
    else:
        for t in terms:
            rows += [(t, s) for s, _ in find_hits(speech, t)]
    df = pd.DataFrame(rows, columns=["term", "start"]).astype({"start": "int64"})
    df["offset"] = (df["start"] / n).round(5)
    df["paragraph"] = [speech.paragraph_of(int(s)) for s in df["start"]]
    df["section"] = secs.of(df["start"].to_numpy(dtype="int64"))
    return df
