"""Counting terms in a speech.

``substring_counts`` is the newspaper method: a term is counted wherever its characters
occur (``人民`` inside ``人民群众`` counts), in the title block and body, without the
material the loader removed. Users compare these counts with published figures.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .speech import Speech

PER = 10_000  # rates are per 10,000 Chinese characters


def substring_counts(speech: Speech, terms: Iterable[str]) -> pd.DataFrame:
    """How often each term occurs in ``speech.body`` as a plain, non-overlapping substring.

    Returns a DataFrame with columns ``term, count, per_10k`` in the order the terms were
    given (a term given twice is listed once); ``per_10k`` is per 10,000 Chinese characters.

    Example:
        >>> substring_counts(load_speech("gwr_2022.txt"), ["稳", "就业"])  # doctest: +SKIP
           term  count  per_10k
        0     稳     78    51.34
    """
    terms = list(dict.fromkeys(t for t in terms if t))
    n = max(1, speech.han_chars)
    rows = [(t, speech.body.count(t)) for t in terms]
    df = pd.DataFrame(rows, columns=["term", "count"])
    df["per_10k"] = (df["count"] * PER / n).round(2)
    return df
