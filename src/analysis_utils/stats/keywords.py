"""Keyness: which words a speech uses more (or less) than a reference does.

The reference is another speech, a folder of speeches, or a reference frequency list
shipped with the package; by default the one of the speech's genre (Government Work
Reports, Party Congress reports or leaders' speeches, see :mod:`analysis_utils.stats.reference`).
Every table says what it was compared with: ``table.attrs["reference"]`` is a label with
the reference's years (for captions), and a warning says when those years do not cover the
speech's date.

Two measures, as in corpus linguistics (and quanteda's ``textstat_keyness``):

* ``g2``: Dunning's log-likelihood, Rayson's formula for two corpora
  ``G² = 2 Σ O ln(O / E)`` with ``E₁ = c (a + b) / (c + d)`` and ``E₂ = d (a + b) / (c + d)``
  (a, b: the term's counts; c, d: counted tokens in target and reference), signed: positive
  when the term is relatively more frequent in the target. ``p`` is its chi-square (1 df)
  p-value. G² says how sure we are that there is a difference.
* ``log_ratio``: Hardie's binary log ratio ``log2((a / c) / (b / d))``, a zero count
  replaced by 0.5. It says how big the difference is: +1 = twice as frequent in the
  target, -1 = half as frequent. With a zero count it is only an estimate: for a very
  short target, a word it lacks can even get a positive log ratio (0.5 / c exceeds b / d);
  ``direction`` follows G².

Example:
    >>> round(log_likelihood(10, 10, 1000, 10000), 2), round(log_ratio(10, 10, 1000, 10000), 2)
    (22.14, 3.32)
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pandas as pd

from ..errors import SpeechError
from ..slogans import find_number_slogans
from ..speech import Speech
from .filters import TermFilter, as_term_filter
from .frequency import PER, _han_of_tokens, formulation_terms
from .reference import Frequencies, _frequencies_from_tokens, reference_for, speech_year

__all__ = ["KEYNESS_COLUMNS", "ReferenceYearsWarning", "chi2_p", "keyness", "log_likelihood", "log_ratio"]

#: Columns of :func:`keyness`.
KEYNESS_COLUMNS = ["term", "token_count_target", "token_count_reference", "per_10k_target", "per_10k_reference",
                   "g2", "log_ratio", "p", "direction", "reference"]


class ReferenceYearsWarning(UserWarning):
    """The reference's texts are from other years than the speech: its keywords may be the era's."""


def keyness(
    tokens: pd.DataFrame,
    reference=None,
    *,
    speech: Speech | None = None,
    tokenizer=None,
    term_filter: TermFilter | None = None,
    subtract_target: bool | None = None,
    date: str | int | None = None,
    **filters: Any,
) -> pd.DataFrame:
    """Keywords of a speech against a reference (like quanteda's ``textstat_keyness``).

    Args:
        tokens: the target's token table (:meth:`Tokenizer.tokens`).
        reference: ``None`` = the shipped list of the speech's genre
            (:func:`~analysis_utils.stats.reference_for`: Government Work Reports for a
            政府工作报告, Party Congress reports for a report to a 全国代表大会, leaders'
            speeches otherwise; the general list when no ``speech`` is given); a list's name
            (``"gwr"``, ``"congress"``, ``"speeches"``, ``"general"``); a :class:`Speech`; a
            token table; a folder of speeches; a speech file; a ``.tsv`` frequency list
            (``term<TAB>count``); or a list of speeches/paths.
        speech: the target speech (its ``han_chars`` is the base of ``per_10k_target``;
            its title picks the reference; also used to recognise it inside the reference).
        tokenizer: used for speeches given as references and to tag the words of a
            frequency list without tags; created when ``None`` (about a second).
        term_filter: which words are counted terms (:class:`TermFilter`), applied to both
            sides alike: to the target's tokens as :func:`~analysis_utils.stats.term_frequency`
            does, to the reference's words one by one (:meth:`TermFilter.accepts`).
        subtract_target: take the target's own counts out of the reference first (right when
            the target is one of the reference texts). ``None`` = do it when the target is
            among the reference's texts (the same text, or a text of the same year and length:
            e.g. the 2022 GWR against the shipped GWR list, which contains it).
        date: the speech's date or year when its text does not state it (a table's ``date``).
        **filters: deprecated, kept for one release: ``stopwords, pos, min_len, exclude,
            include`` as separate keywords (the fields of :class:`TermFilter`).

    Returns:
        Columns ``term, token_count_target, token_count_reference, per_10k_target,
        per_10k_reference, g2, log_ratio, p, direction, reference`` (token counts) for every term counted on either side. ``direction``
        is ``target`` when the term is relatively more frequent in the target, ``reference``
        when less; ``reference`` names what it was compared with (as ``attrs["reference"]``,
        so an exported CSV says it). Sorted by signed ``g2`` descending (strongest target keywords first,
        strongest reference keywords last), then term. ``attrs``: ``reference`` (what it was
        compared with, years included: for titles and captions), ``reference_genre``,
        ``reference_years`` (first, last or ``None``), ``target_year`` and
        ``target_in_reference`` (the speech's own counts were taken out of the reference).

    Warns:
        ReferenceYearsWarning: (one line) the reference's years do not cover the speech's year.

    Example:
        >>> from analysis_utils import Tokenizer, load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> tok = Tokenizer()
        >>> seed = load_speech(SEED_SPEECH)
        >>> key = keyness(tok.tokens(seed), speech=seed, tokenizer=tok)
        >>> key.attrs["reference"]
        "领导人讲话 2013–2016（83 篇）· leaders' speeches 2013–2016 (83 texts)"
        >>> key[["term", "token_count_target", "token_count_reference", "g2", "direction"]].head(2).values.tolist()
        [['党建', 13, 13, 81.525, 'target'], ['社区', 8, 0, 72.173, 'target']]
        >>> nouns = keyness(tok.tokens(seed), speech=seed, tokenizer=tok, term_filter=TermFilter(pos=("n",)))
        >>> nouns["term"].head(3).tolist()
        ['社区', '基层', '干部']
    """
    from ..tokenizer import Tokenizer

    tf = as_term_filter(term_filter, filters, caller="keyness")
    tok = tokenizer if tokenizer is not None else Tokenizer()
    ref = reference_for(speech, reference, tokenizer=tok)

    # target: token-level filters, exactly as term_frequency counts
    tgt_counts = tokens.loc[tf.mask(tokens), "token"].astype(str).value_counts()
    tgt_han = speech.han_chars if speech is not None else _han_of_tokens(tokens)

    year = speech_year(speech, date=date) if speech is not None else None
    if subtract_target is None:
        subtract_target = speech is not None and ref.contains(speech, year)
    label = ref.label
    if subtract_target:
        ref = _without_target(ref, tokens, tgt_han)
        label += "，不含本讲话 · this speech left out"
    if speech is not None and not ref.covers(year):
        warnings.warn(f"{speech.path.name}: the reference ({ref.label}) is from {ref.span}, not {year}:"
                      " its keywords may be those of the era, not of the speech", ReferenceYearsWarning, stacklevel=2)

    # reference: the same filters at term level
    ref_counts = ref.counts
    is_formulation = _formulation_test(ref.formulations | frozenset(formulation_terms(tokens)), tok)
    ref_keep = _reference_mask(ref_counts.index, tf, is_formulation=is_formulation, tags=ref.tags, tokenizer=tok)
    # a term the target counts is counted in the reference too (same word, same filters)
    ref_keep |= ref_counts.index.isin(set(tgt_counts.index))
    dropped = int(ref_counts[~ref_keep].sum())
    ref_counts = ref_counts[ref_keep]
    # counted reference tokens: all words minus the filtered ones; for a shipped list the
    # rare (unlisted) words are assumed counted, as most rare words are content words
    ref_n = max(int(ref_counts.sum()), ref.total - dropped)
    tgt_n = int(tgt_counts.sum())
    if ref_n <= 0 or tgt_n <= 0:
        raise SpeechError(None, "keyness needs counted words on both sides (target and reference)")
    table = _keyness_table(tgt_counts, ref_counts, n=(tgt_n, ref_n), han=(tgt_han, ref.han_chars))
    table["reference"] = label
    table.attrs.update(reference=label, reference_genre=ref.genre or None,
                       reference_years=(min(ref.years), max(ref.years)) if ref.years else None,
                       target_year=year, target_in_reference=bool(subtract_target))
    return table


def _without_target(ref: Frequencies, tokens: pd.DataFrame, tgt_han: int) -> Frequencies:
    """The reference with the target's own word counts taken out."""
    own = _frequencies_from_tokens(tokens, tgt_han)
    counts = ref.counts.sub(own.counts, fill_value=0).clip(lower=0).astype("int64")
    return replace(ref, counts=counts[counts > 0], total=max(0, ref.total - own.total),
                   han_chars=max(0, ref.han_chars - tgt_han))


def _formulation_test(formulations: frozenset[str], tokenizer) -> Callable[[str], bool]:
    """Whether a word of a frequency list is a formulation: a known one, a lexicon phrase or
    a whole number slogan (the list has no origins)."""
    lexicon = set(tokenizer.lexicon["phrase"])

    def is_formulation(term: str) -> bool:
        return term in formulations or term in lexicon or _is_whole_slogan(term)
    return is_formulation


def _is_whole_slogan(term: str) -> bool:
    return any(s == 0 and e == len(term) for s, e, _ in find_number_slogans(term))


def _reference_mask(terms: pd.Index, tf: TermFilter, *, is_formulation: Callable[[str], bool], tags: dict,
                    tokenizer) -> pd.Series:
    """:meth:`TermFilter.accepts` for every word of a frequency list. A word without a tag of
    its own gets ``nz`` when a formulation, else the tokenizer's tag for it."""
    keep = []
    for t in terms:
        form = is_formulation(t)
        if not tf.accepts(t, tag=None, formulation=form):  # the word filters decide before a tag is looked up
            keep.append(False)
            continue
        tag = tags.get(t)
        if tag is None:
            tag = "nz" if form else tokenizer.tag(t)
        keep.append(tf.accepts(t, tag=tag, formulation=form))
    return pd.Series(keep, index=terms, dtype=bool)


def _keyness_table(tgt_counts: pd.Series, ref_counts: pd.Series, *, n: tuple[int, int],
                   han: tuple[int, int]) -> pd.DataFrame:
    """The :func:`keyness` table of the counted words of both sides: ``n`` = counted tokens
    (target, reference), ``han`` = their Chinese characters."""
    (tgt_n, ref_n), (tgt_han, ref_han) = n, han
    terms = sorted(set(tgt_counts.index) | set(ref_counts.index))
    a = pd.Series(tgt_counts, dtype="float64").reindex(terms, fill_value=0).to_numpy()
    b = pd.Series(ref_counts, dtype="float64").reindex(terms, fill_value=0).to_numpy()
    rows = []
    for t, x, y in zip(terms, a, b):
        g2 = round(log_likelihood(x, y, tgt_n, ref_n), 3)  # direction follows the G² shown
        rows.append((t, int(x), int(y),
                     round(x * PER / max(1, tgt_han), 2), round(y * PER / ref_han, 2) if ref_han else float("nan"),
                     g2, round(log_ratio(x, y, tgt_n, ref_n), 3), chi2_p(abs(g2)),
                     "target" if g2 > 0 else "reference" if g2 < 0 else "none", ""))
    df = pd.DataFrame(rows, columns=KEYNESS_COLUMNS)
    return df.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def log_likelihood(a: float, b: float, c: float, d: float) -> float:
    """Signed G² (Rayson's two-corpus form): ``a``, ``b`` the term's counts, ``c``, ``d`` the
    corpus sizes. Positive when a/c > b/d.

    Example:
        >>> round(log_likelihood(10, 10, 1000, 10000), 2)
        22.14
    """
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    g = 0.0
    if a > 0:
        g += a * math.log(a / e1)
    if b > 0:
        g += b * math.log(b / e2)
    g *= 2
    return g if a / c >= b / d else -g


def log_ratio(a: float, b: float, c: float, d: float) -> float:
    """Hardie's binary log ratio ``log2((a/c) / (b/d))``, zero counts replaced by 0.5.

    Example:
        >>> log_ratio(10, 10, 1000, 10000)
        3.321928094887362
    """
    return math.log2(((a or 0.5) / c) / ((b or 0.5) / d))


def chi2_p(g2: float) -> float:
    """p-value of a chi-square statistic with 1 degree of freedom.

    Example:
        >>> round(chi2_p(3.841), 3)
        0.05
    """
    return math.erfc(math.sqrt(max(0.0, g2) / 2))
