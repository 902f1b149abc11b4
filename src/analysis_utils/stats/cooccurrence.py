"""Recurring multi-word phrases (collocations) and their association measures (PMI, G²).

Example:
    >>> round(_g2_2x2(10, 0, 0, 10), 3)  # two words that only ever occur together
    27.726
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .filters import TermFilter, _check_tokens, as_term_filter

__all__ = ["COLLOCATION_COLUMNS", "collocations"]

#: Columns of :func:`collocations`.
COLLOCATION_COLUMNS = ["collocation", "words", "size", "pair_count", "pmi", "g2"]


def collocations(
    tokens: pd.DataFrame,
    *,
    size: Sequence[int] = (2, 3),
    min_count: int = 2,
    term_filter: TermFilter | None = None,
    **filters: Any,
) -> pd.DataFrame:
    """Recurring multi-word phrases: bigrams and trigrams of content words (like quanteda's
    ``textstat_collocations``).

    An n-gram is a run of ``n`` adjacent tokens inside one sentence, all of them counted
    words (``term_filter``'s :meth:`~TermFilter.mask`; its ``min_len`` defaults to 1 here so
    that one-character content words such as ``党`` can join a phrase). Punctuation,
    stopwords and placeholders break a run. Formulations in the lexicon are one token
    already, so what this finds are phrases the lexicon does not know yet.

    Association: ``pmi`` = log2(observed / expected under independence of the words);
    ``g2`` = Dunning's log-likelihood of the 2×2 table of (first n-1 words, last word) for a
    bigram; for a trigram the smaller G² of its two splits (w1 | w2 w3 and w1 w2 | w3),
    so both halves must belong together.

    Args:
        tokens: the table of :meth:`Tokenizer.tokens`.
        size: the n-gram lengths wanted (2 or more).
        min_count: the fewest occurrences of a phrase listed.
        term_filter: which tokens may be part of a phrase; ``None`` = ``TermFilter(min_len=1)``.
        **filters: deprecated, kept for one release: ``stopwords, pos, min_len, exclude`` as
            separate keywords (``min_len`` defaults to 1 here).

    Returns:
        Columns ``collocation, words, size, pair_count, pmi, g2`` (``collocation`` the phrase as
        written, ``words`` the tokens separated by spaces), n-grams seen at least
        ``min_count`` times, sorted by g2 descending, then pair_count descending, then
        collocation.

    Example:
        >>> from analysis_utils import Tokenizer, load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> table = collocations(Tokenizer().tokens(load_speech(SEED_SPEECH)))
        >>> table[["collocation", "pair_count", "g2"]].head(2).values.tolist()
        [['党群服务中心', 3, 37.295], ['中国成立', 2, 26.489]]
    """
    _check_tokens(tokens)
    tf = as_term_filter(term_filter, filters, min_len=1, accepted=("stopwords", "pos", "min_len", "exclude"),
                        caller="collocations")
    mask = tf.mask(tokens).to_numpy()
    toks = tokens["token"].astype(str).to_numpy()
    sent = tokens["sentence"].to_numpy() if "sentence" in tokens.columns else np.zeros(len(tokens), int)
    unigrams = Counter(toks[mask])
    n_uni = int(mask.sum())
    sizes = sorted({int(s) for s in size})
    if any(s < 2 for s in sizes):
        raise ValueError("collocation sizes must be 2 or more")
    grams = _ngram_counts(toks, mask, sent, set(sizes) | {2})
    rows = []
    for n in sizes:
        total = sum(grams[n].values())
        for gram, c in grams[n].items():
            if c >= min_count:
                pmi, g2 = _association(gram, c, total, unigrams, n_uni, grams)
                rows.append(("".join(gram), " ".join(gram), n, c, round(pmi, 3), round(g2, 3)))
    df = pd.DataFrame(rows, columns=COLLOCATION_COLUMNS)
    return df.sort_values(["g2", "pair_count", "collocation"], ascending=[False, False, True], kind="mergesort").reset_index(drop=True)


def _ngram_counts(toks: np.ndarray, mask: np.ndarray, sent: np.ndarray, sizes: set[int]) -> dict[int, Counter]:
    """n → Counter of the n-grams of counted tokens that stay inside one sentence."""
    grams: dict[int, Counter] = {s: Counter() for s in sizes}
    for n in grams:
        for i in range(len(toks) - n + 1):
            if mask[i:i + n].all() and sent[i] == sent[i + n - 1]:
                grams[n][tuple(toks[i:i + n])] += 1
    return grams


def _association(gram: tuple[str, ...], c: int, total: int, unigrams: Counter, n_uni: int,
                 grams: dict[int, Counter]) -> tuple[float, float]:
    """``(pmi, g2)`` of an n-gram seen ``c`` times among ``total`` n-grams of its size."""
    expected = total * math.prod(unigrams[w] / n_uni for w in gram)
    pmi = math.log2(c / expected) if expected > 0 else float("inf")
    if len(gram) == 2:
        x, y = unigrams[gram[0]], unigrams[gram[1]]
        return pmi, _g2_2x2(c, x - c, y - c, total - x - y + c)
    splits = []
    for k in range(1, len(gram)):
        x = _ngram_count(gram[:k], unigrams, grams)
        y = _ngram_count(gram[k:], unigrams, grams)
        splits.append(_g2_2x2(c, max(0, x - c), max(0, y - c), max(0, total - x - y + c)))
    return pmi, min(splits)


def _ngram_count(gram: tuple[str, ...], unigrams: Counter, grams: dict[int, Counter]) -> int:
    if len(gram) == 1:
        return unigrams[gram[0]]
    return grams.get(len(gram), Counter())[gram]


def _g2_2x2(a: float, b: float, c: float, d: float) -> float:
    """Dunning's log-likelihood of a 2×2 table [[a, b], [c, d]]."""
    n = a + b + c + d
    g = 0.0
    for obs, row, col in ((a, a + b, a + c), (b, a + b, b + d), (c, c + d, a + c), (d, c + d, b + d)):
        exp = row * col / n if n else 0.0
        if obs > 0 and exp > 0:
            g += obs * math.log(obs / exp)
    return 2 * g
