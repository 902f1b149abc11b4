"""Slogan counting (提法统计): the set formulations a speech is built from.

Five kinds, each found on ``speech.body`` and returned as a tidy hit table
(:data:`HIT_COLUMNS`) with body offsets and the top-level section every hit falls in:

``number`` (:mod:`.number`)
    Number slogans (数字化提法): ``四个意识``, ``三会一课``, ``一征三议两公开``, ``十四五``,
    quoted or not, found by pattern together with the lexicon (a lexicon phrase that
    starts with a numeral is always a number slogan). The rules, and what is *not* a
    slogan, are documented in :mod:`analysis_utils.slogans.number`.
``quoted``, ``title`` (:mod:`.quoted`)
    Everything in “…”, ‘…’ or 「…」 (``detail``: ``term`` or ``quotation``), and
    everything in 《…》 with its type (:func:`title_type`, labels in :data:`TITLE_TYPES`).
``lexicon`` (:mod:`.lexicon`)
    The formulation lexicon counted as exact substrings: by default every phrase wherever
    it occurs, nested ones included (``overlap="all"``: the formulation count equals the
    substring count of ``count FILE TERM``), or each stretch of text once for the longest
    phrase covering it (``overlap="longest"``); :func:`lexicon_missing` lists the entries
    that do not occur.
``parallel`` (:mod:`.parallel`)
    Parallel structures (排比): three or more clauses sharing a frame.

:mod:`.hits` holds what every kind shares (the columns, :data:`KINDS`, where a hit lies);
:mod:`.tables` puts the kinds together: :func:`slogan_hits` (one row per hit),
:func:`slogan_counts` (one row per slogan), :func:`slogan_matrix` (slogan × speech),
:func:`slogans_by_section`, :func:`combine_hits`, :func:`evaluate_against`. Every function
that locates hits takes ``sections=`` (:func:`~analysis_utils.sections`), computed once by
the caller; :func:`slogan_hits` computes it once for all kinds.

Example:
    >>> from analysis_utils import load_speech
    >>> from analysis_utils.config import SEED_SPEECH
    >>> slogan_counts(load_speech(SEED_SPEECH), kinds="number").slogan.head(3).tolist()
    ['三新', '两委', '五星支部']
"""
from .hits import HIT_COLUMNS, KIND_LABELS, KINDS, TITLE_LABEL, TITLE_TYPES, check_kinds
from .lexicon import DEFAULT_OVERLAP, OVERLAP_NOTES, LexiconSource, Overlap, lexicon_hits, lexicon_missing, resolve_lexicon
from .number import builtin_idioms, find_number_slogans, is_quantity_or_structure, number_slogan_spans, number_slogans
from .parallel import PARALLEL_COLUMNS, parallel_structures
from .quoted import TERM_MAX_CHARS, quoted_terms, title_type, titles
from .tables import (
    COUNT_COLUMNS,
    combine_hits,
    evaluate_against,
    matrix_from_counts,
    slogan_counts,
    slogan_hits,
    slogan_matrix,
    slogans_by_section,
)

__all__ = [
    "KINDS", "KIND_LABELS", "TITLE_TYPES", "TITLE_LABEL", "HIT_COLUMNS", "COUNT_COLUMNS", "PARALLEL_COLUMNS",
    "TERM_MAX_CHARS", "LexiconSource", "Overlap", "DEFAULT_OVERLAP", "OVERLAP_NOTES",
    "check_kinds", "resolve_lexicon",
    "find_number_slogans", "number_slogan_spans", "number_slogans", "builtin_idioms", "is_quantity_or_structure",
    "quoted_terms", "titles", "title_type",
    "lexicon_hits", "lexicon_missing",
    "parallel_structures",
    "slogan_hits", "slogan_counts", "slogan_matrix", "matrix_from_counts", "combine_hits", "slogans_by_section",
    "evaluate_against",
]
