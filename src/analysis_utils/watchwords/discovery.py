"""What a researcher would otherwise find by reading: the formulations that rose or fell between two
periods, and those that appear for the first time in each year.

Both read a :class:`~analysis_utils.watchwords.Track`; :func:`lexicon_track` makes one over every
formulation of the lexicon (one Aho–Corasick pass over the cached bodies). Counts are substring
counts (``substring_count``), rates per 10,000 Chinese characters of the period.

Example:
    >>> s = pd.DataFrame({"term": ["甲", "甲", "乙", "乙"], "id": ["a", "b", "a", "b"], "date": ["1990", "2020"] * 2,
    ...                   "year": [1990, 2020] * 2, "substring_count": [9, 0, 0, 8], "per_10k": [9.0, 0.0, 0.0, 8.0]})
    >>> first_appearances(s)[["year", "term"]].values.tolist()
    [[1990, '甲'], [2020, '乙']]
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..stats import PER, chi2_p, log_likelihood, log_ratio
from .track import Track, track

#: Columns of :func:`risers_fallers`.
RISER_COLUMNS = ["term", "substring_count_before", "substring_count_after", "per_10k_before", "per_10k_after",
                 "g2", "p", "log_ratio", "direction"]
#: Columns of :func:`first_appearances`.
FIRST_COLUMNS = ["year", "term", "date", "id", "substring_count", "per_10k", "total"]


def lexicon_track(corpus, *, lexicon_files: Iterable[str | Path] = (), **kwargs) -> Track:
    """:func:`~analysis_utils.watchwords.track` over every formulation of the bundled lexicon (and
    ``lexicon_files``); ``kwargs`` as ``track`` takes them."""
    from ..lexicon import load_lexicon

    return track(corpus, list(load_lexicon(*lexicon_files).phrase), **kwargs)


def _span(years: tuple[int, int] | int, *, after: bool) -> tuple[int, int]:
    if isinstance(years, (int, np.integer)):
        return (int(years), 9999) if after else (0, int(years) - 1)
    lo, hi = years
    return int(lo), int(hi)


def risers_fallers(tr: Track, before: tuple[int, int] | int, after: tuple[int, int] | int | None = None, *,
                   min_count: int = 5) -> pd.DataFrame:
    """The terms whose rate changed most between two periods (keyness: signed G², log ratio).

    Args:
        tr: a :class:`Track` (e.g. :func:`lexicon_track`).
        before, after: ``(first year, last year)`` of each period, inclusive; or one year
            ``Y`` as ``before`` alone: before ``Y`` against ``Y`` and after (``before=2012``:
            up to 2011 against 2012 on).
        min_count: the least substring count over both periods for a term to be listed.

    Returns:
        :data:`RISER_COLUMNS`: counts and rates per period, ``g2`` (positive: more after),
        ``p``, ``log_ratio`` (log2 of the rate after over the rate before; a zero count taken
        as 0.5) and ``direction`` (``rise``/``fall``), by ``g2`` descending (risers first,
        fallers last). ``attrs``: the periods, their documents and Chinese characters.

    Example:
        >>> s = pd.DataFrame({"term": ["甲"] * 2, "id": ["a", "b"], "date": ["1990", "2020"], "year": [1990, 2020],
        ...                   "substring_count": [1, 30], "per_10k": [1.0, 30.0]})
        >>> docs = pd.DataFrame({"id": ["a", "b"], "date": ["1990", "2020"], "year": [1990, 2020],
        ...                      "title": ["", ""], "han_chars": [10000, 10000]})
        >>> tr = Track(s, s.iloc[:0], s.iloc[:0], docs, s.iloc[:0], ("甲",), None)
        >>> row = risers_fallers(tr, 2000).iloc[0]
        >>> row["term"], float(row["per_10k_before"]), float(row["per_10k_after"]), row["direction"]
        ('甲', 1.0, 30.0, 'rise')
    """
    if after is None:
        if not isinstance(before, (int, np.integer)):
            raise ValueError("give both periods, or one year to split at")
        lo_a, hi_a = _span(before, after=False)
        lo_b, hi_b = _span(before, after=True)
    else:
        (lo_a, hi_a), (lo_b, hi_b) = _span(before, after=False), _span(after, after=True)
    docs = tr.documents.dropna(subset=["year"])
    in_a = docs[(docs["year"] >= lo_a) & (docs["year"] <= hi_a)]
    in_b = docs[(docs["year"] >= lo_b) & (docs["year"] <= hi_b)]
    han_a, han_b = int(in_a["han_chars"].sum()), int(in_b["han_chars"].sum())
    s = tr.series
    a = s[s["id"].isin(set(in_a["id"]))].groupby("term", sort=False)["substring_count"].sum()
    b = s[s["id"].isin(set(in_b["id"]))].groupby("term", sort=False)["substring_count"].sum()
    terms = list(dict.fromkeys(list(a.index) + list(b.index)))
    a, b = a.reindex(terms, fill_value=0), b.reindex(terms, fill_value=0)
    rows = []
    if han_a and han_b:
        for t, x, y in zip(terms, a.to_numpy(), b.to_numpy()):
            if x + y < min_count:
                continue
            g2 = round(log_likelihood(float(y), float(x), han_b, han_a), 3)
            rows.append((t, int(x), int(y), round(x * PER / han_a, 2), round(y * PER / han_b, 2), g2,
                         chi2_p(abs(g2)), round(log_ratio(float(y), float(x), han_b, han_a), 3),
                         "rise" if g2 > 0 else "fall" if g2 < 0 else "none"))
    out = pd.DataFrame(rows, columns=RISER_COLUMNS)
    out = out.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    years = sorted(int(y) for y in docs["year"])
    out.attrs.update(before=(lo_a, hi_a), after=(lo_b, hi_b), documents_before=len(in_a), documents_after=len(in_b),
                     han_before=han_a, han_after=han_b, label_before=period_label((lo_a, hi_a), years),
                     label_after=period_label((lo_b, hi_b), years))
    return out


def period_label(span: tuple[int, int], years: list[int]) -> str:
    """``1954–2011`` for a period, from the years the corpus actually has in it.

    Example:
        >>> period_label((0, 2011), [1954, 1999, 2012]), period_label((2012, 9999), [1954, 2012, 2022])
        ('1954–1999', '2012–2022')
    """
    inside = [y for y in years if span[0] <= y <= span[1]]
    return f"{min(inside)}–{max(inside)}" if inside else "—"


def first_appearances(tr: Track | pd.DataFrame) -> pd.DataFrame:
    """Each term's first dated use in the corpus, grouped by year: what was new in each year.

    A term used in the earliest document is listed under that year (the corpus cannot say whether
    it is new there). Returns :data:`FIRST_COLUMNS` (``total``: the term's substring count over every
    dated document), by year, then count descending, then term.
    """
    s = tr.series if isinstance(tr, Track) else tr
    used = s[s["substring_count"] > 0]
    if used.empty:
        return pd.DataFrame(columns=FIRST_COLUMNS)
    first = used.sort_values(["date", "id"], kind="mergesort").drop_duplicates("term")
    totals = used.groupby("term")["substring_count"].sum()
    out = first.assign(total=first["term"].map(totals).astype("int64"), year=first["year"].astype("int64"))
    out = out.sort_values(["year", "substring_count", "term"], ascending=[True, False, True], kind="mergesort")
    return out[FIRST_COLUMNS].reset_index(drop=True)
