"""Lexicon formulations (词表提法): the phrases of the formulation lexicon, counted as exact substrings.

The lexicon is ``data/lexicon.tsv`` plus the user's files (:func:`~analysis_utils.load_lexicon`).
Its phrases are found on ``speech.body`` with one Aho–Corasick pass, regardless of how the
tokeniser cuts the text. The **formulation count** is, by default (``overlap="all"``, the
counting contract of issue 15), the **substring count**: each phrase is counted wherever its
characters occur, exactly as :func:`~analysis_utils.substring_counts` and ``count FILE TERM``
count it (the newspaper method: ``十九大`` inside ``党的十九大`` counts too, ``五位一体`` inside
``五位一体总体布局`` too). With ``overlap="longest"`` every stretch of text counts once, for the
longest lexicon phrase that covers it, leftmost first, the way a reader marks a formulation:
``党的十九大`` then does *not also* count as ``十九大``; a bare ``十九大`` elsewhere still does.
The hit and count tables say which was used (``attrs["overlap"]``; the CLI prints a note,
:data:`OVERLAP_NOTES`). :func:`lexicon_missing` lists the entries that do not occur at all.

Example:
    >>> from analysis_utils import load_speech
    >>> from analysis_utils.config import SEED_SPEECH
    >>> seed = load_speech(SEED_SPEECH)
    >>> "四个意识" in set(lexicon_hits(seed).slogan), "一带一路" in set(lexicon_missing(seed).phrase)
    (True, True)
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeAlias

import pandas as pd

from ..lexicon import load_lexicon
from ..outline.parts import Sections
from ..speech import Speech
from ..text import leftmost_longest
from .hits import hit_table, sections_of

#: How overlapping lexicon phrases count (see the module docstring).
Overlap = Literal["longest", "all"]
#: The default: the formulation count is the substring count.
DEFAULT_OVERLAP: Overlap = "all"
#: How each overlap reads in a note, a caption or a legend.
OVERLAP_NOTES = {
    "all": "提法计数即子串计数，嵌套提法也计入 formulation count = substring count (overlap=all, nested formulations included)",
    "longest": "词表提法每段文字只算一次 lexicon formulations: each stretch of text once, for the longest phrase (overlap=longest)",
}
#: A lexicon: ``None`` (the bundled one), a table with a ``phrase`` column, or the path(s) of the user's files.
LexiconSource: TypeAlias = pd.DataFrame | str | Path | Iterable[str | Path] | None


def resolve_lexicon(lexicon: LexiconSource = None) -> pd.DataFrame:
    """The lexicon as a table ``phrase, category, note``.

    Args:
        lexicon: ``None`` → the bundled lexicon; a DataFrame with a ``phrase`` column →
            itself (``category`` ``user`` and an empty ``note`` when missing, each phrase
            once); path(s) → the bundled lexicon plus those files.

    Raises:
        ValueError: a table without a ``phrase`` column.

    Example:
        >>> resolve_lexicon(pd.DataFrame({"phrase": ["三新", "三新"]})).values.tolist()
        [['三新', 'user', '']]
    """
    if lexicon is None:
        return load_lexicon()
    if isinstance(lexicon, pd.DataFrame):
        if "phrase" not in lexicon.columns:
            raise ValueError(f"a lexicon table needs a 'phrase' column; it has {', '.join(map(str, lexicon.columns))}")
        df = lexicon.copy()
        for col in ("category", "note"):
            if col not in df.columns:
                df[col] = "user" if col == "category" else ""
        return df[["phrase", "category", "note"]].drop_duplicates("phrase").reset_index(drop=True)
    if isinstance(lexicon, (str, Path)):
        return load_lexicon(lexicon)
    return load_lexicon(*lexicon)


@lru_cache(maxsize=8)
def _automaton(phrases: tuple[str, ...]):
    import ahocorasick

    a = ahocorasick.Automaton()
    for p in phrases:
        a.add_word(p, p)
    a.make_automaton()
    return a


def lexicon_spans(text: str, phrases: Iterable[str], overlap: Overlap) -> list[tuple[int, int, str]]:
    """``(start, end, phrase)`` of the phrases in ``text``, in order of position.

    ``overlap="longest"``: leftmost-longest (:func:`~analysis_utils.text.leftmost_longest`),
    every stretch of text once; ``"all"``: each phrase on its own, non-overlapping
    occurrences of that phrase (like ``str.count``), nested phrases included.

    Example:
        >>> lexicon_spans("党的十九大和十九大", ["十九大", "党的十九大"], "longest")
        [(0, 5, '党的十九大'), (6, 9, '十九大')]
        >>> [p for _, _, p in lexicon_spans("党的十九大和十九大", ["十九大", "党的十九大"], "all")]
        ['党的十九大', '十九大', '十九大']
    """
    phrases = tuple(sorted({p for p in phrases if p}))
    if not phrases or not text:
        return []
    raw = [(end - len(p) + 1, end + 1, p) for end, p in _automaton(phrases).iter(text)]
    if overlap == "all":  # each phrase on its own, non-overlapping occurrences (like str.count)
        out: list[tuple[int, int, str]] = []
        last: dict[str, int] = {}
        for s, e, p in sorted(raw):
            if s >= last.get(p, -1):
                out.append((s, e, p))
                last[p] = e
        return out
    if overlap != "longest":
        raise ValueError(f"overlap must be 'longest' or 'all', not {overlap!r}")
    return leftmost_longest(raw)


def lexicon_hits(
    speech: Speech,
    *,
    lexicon: LexiconSource = None,
    overlap: Overlap = DEFAULT_OVERLAP,
    sections: Sections | None = None,
) -> pd.DataFrame:
    """Every occurrence of a lexicon formulation, counted as an exact substring.

    Args:
        speech: the speech.
        lexicon: ``None`` (the bundled lexicon), a DataFrame with a ``phrase`` column, or
            the path(s) of the user's own lexicon files (added to the bundled one).
        overlap: ``"all"`` (default): each phrase wherever it occurs, nested ones included
            (the substring count, as ``count FILE TERM``); ``"longest"``: each stretch of text
            counts once, for the longest phrase covering it (``党的十九大`` does not also count
            as ``十九大``).
        sections: the speech's sections (:func:`~analysis_utils.sections`); computed when ``None``.

    Returns:
        A hit table (:data:`~analysis_utils.slogans.HIT_COLUMNS`); ``detail`` is the phrase's
        category; ``attrs["overlap"]`` says which overlap was used.

    Example:
        >>> from analysis_utils import speech_from_text
        >>> s = speech_from_text("讲话\\n学习党的十九大精神，贯彻十九大部署。")
        >>> lex = pd.DataFrame({"phrase": ["党的十九大", "十九大"], "category": ["theory", "theory"]})
        >>> lexicon_hits(s, lexicon=lex).slogan.tolist()
        ['党的十九大', '十九大', '十九大']
        >>> hits = lexicon_hits(s, lexicon=lex, overlap="longest")
        >>> hits.slogan.tolist(), hits.attrs["overlap"]
        (['党的十九大', '十九大'], 'longest')
    """
    lex = resolve_lexicon(lexicon)
    cat = dict(zip(lex["phrase"], lex["category"]))
    spans = lexicon_spans(speech.body, lex["phrase"], overlap)
    rows = [(p, "lexicon", s, e, cat.get(p, "")) for s, e, p in spans]
    hits = hit_table(speech, rows, sections=sections_of(speech, sections))
    hits.attrs["overlap"] = overlap
    return hits


def lexicon_missing(speech: Speech, *, lexicon: LexiconSource = None) -> pd.DataFrame:
    """The lexicon entries that do not occur in the speech at all (not even inside a longer phrase).

    Args:
        speech: the speech.
        lexicon: as in :func:`lexicon_hits`.

    Returns:
        Columns ``phrase, category, note``, sorted by category then phrase.

    Example:
        >>> from analysis_utils import speech_from_text
        >>> s = speech_from_text("讲话\\n学习党的十九大精神。")
        >>> lexicon_missing(s, lexicon=pd.DataFrame({"phrase": ["十九大", "两学一做"]})).phrase.tolist()
        ['两学一做']
    """
    lex = resolve_lexicon(lexicon)
    found = {p for _, _, p in lexicon_spans(speech.body, lex["phrase"], "all")}
    out = lex[~lex["phrase"].isin(found)]
    return out.sort_values(["category", "phrase"], kind="mergesort").reset_index(drop=True)
