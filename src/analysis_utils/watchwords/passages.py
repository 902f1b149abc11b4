"""Every count back to its sentences: the passages of a term in the documents of a year.

Example:
    >>> from analysis_utils.config import SEED_SPEECH
    >>> from analysis_utils.watchwords import track
    >>> tr = track([SEED_SPEECH], ["三会一课"], cache=False, progress=False)
    >>> passages(tr, "三会一课")[["id", "date", "hit", "paragraph"]].values.tolist()
    [['party_building_conference_speech', '', '三会一课', 14]]
"""
from __future__ import annotations

import pandas as pd

from ..errors import SpeechError
from ..stats import KWIC_COLUMNS, kwic
from .track import Track

#: Columns of :func:`passages`: the document, then the KWIC columns.
PASSAGE_COLUMNS = ["id", "date", "title"] + KWIC_COLUMNS


def passages(tr: Track, term: str, year: int | None = None, *, window: int = 20) -> pd.DataFrame:
    """Keyword in context for ``term`` in the documents of ``tr`` (those of ``year`` only, when
    given), each row naming its document, date, paragraph and section.

    Hits are :func:`~analysis_utils.stats.kwic`'s (substring search on the cleaned body), so a
    document has as many rows as its ``substring_count`` in :attr:`Track.series`.

    Raises:
        SpeechError: an empty term.
    """
    if not isinstance(term, str) or not term.strip():
        raise SpeechError(None, f"the search term must be non-empty text, not {term!r}")
    docs = tr.documents
    if year is not None:
        docs = docs[docs["year"] == int(year)]
    wanted = set(docs["id"])
    info = docs.set_index("id")
    parts = []
    for item in tr.corpus:
        if item.id not in wanted:
            continue
        table = kwic(tr.corpus.load(item), term, window=window)
        if len(table):
            parts.append(table.assign(id=item.id, date=info.at[item.id, "date"], title=info.at[item.id, "title"]))
    if not parts:
        return pd.DataFrame(columns=PASSAGE_COLUMNS)
    return pd.concat(parts, ignore_index=True)[PASSAGE_COLUMNS]
