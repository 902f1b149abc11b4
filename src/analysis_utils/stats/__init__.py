"""Counting words: term frequencies, where terms occur, collocations, keyness against a reference.

One flat API, whatever module a name lives in::

    from analysis_utils.stats import TermFilter, term_frequency, kwic, keyness

* ``filters``: :class:`TermFilter`, which tokens are counted terms (one value for every analysis);
* ``frequency``: :func:`term_frequency`, :func:`pos_breakdown`, :func:`section_frequency`,
  :func:`corpus_frequency`, :func:`substring_counts`, :func:`compare_counts`;
* ``context``: :func:`find_hits`, :func:`kwic`, :func:`dispersion`;
* ``cooccurrence``: :func:`collocations`;
* ``keywords``: :func:`keyness` and its measures (:func:`log_likelihood`, :func:`log_ratio`, :func:`chi2_p`);
* ``reference``: :class:`Frequencies`, the shipped reference list and how it is built;
* ``compare`` (imported as ``analysis_utils.stats.compare``, it builds on the corpus path): :func:`comparison`
  of several speeches or of one speech's parts.

No module is named after a function it exports, so ``analysis_utils.stats.keywords`` is always the
module and ``analysis_utils.stats.keyness`` the function.
"""
from .context import KWIC_COLUMNS, dispersion, find_hits, kwic
from .cooccurrence import COLLOCATION_COLUMNS, collocations
from .filters import (
    CONTENT_POS,
    FILTER_ARGUMENTS,
    FORMULATION_ORIGINS,
    FUNCTION_CHARS,
    OFFICIAL_VERBS,
    TermFilter,
    as_term_filter,
    is_digits,
    is_punctuation,
    word_mask,
)
from .frequency import (
    FREQUENCY_COLUMNS,
    PER,
    POS_CLASSES,
    compare_counts,
    corpus_frequency,
    counted_mask,
    formulation_terms,
    pos_breakdown,
    pos_class,
    section_frequency,
    substring_counts,
    term_frequency,
)
from .keywords import KEYNESS_COLUMNS, ReferenceYearsWarning, chi2_p, keyness, log_likelihood, log_ratio
from .reference import (
    GENRE_LABELS,
    REFERENCE_FILES,
    REFERENCE_FREQ_FILE,
    REFERENCE_MIN_COUNT,
    Frequencies,
    build_reference_frequencies,
    fingerprint,
    load_reference_frequencies,
    reference_for,
    speech_frequencies,
    speech_genre,
    speech_year,
    write_reference_frequencies,
)

__all__ = [
    # filters
    "CONTENT_POS", "FILTER_ARGUMENTS", "FORMULATION_ORIGINS", "FUNCTION_CHARS", "OFFICIAL_VERBS", "TermFilter", "as_term_filter", "is_digits",
    "is_punctuation", "word_mask",
    # frequency
    "FREQUENCY_COLUMNS", "PER", "POS_CLASSES", "compare_counts", "corpus_frequency", "counted_mask",
    "formulation_terms", "pos_breakdown", "pos_class", "section_frequency", "substring_counts", "term_frequency",
    # context
    "KWIC_COLUMNS", "dispersion", "find_hits", "kwic",
    # collocations
    "COLLOCATION_COLUMNS", "collocations",
    # keyness
    "KEYNESS_COLUMNS", "ReferenceYearsWarning", "chi2_p", "keyness", "log_likelihood", "log_ratio",
    # reference
    "REFERENCE_FREQ_FILE", "REFERENCE_MIN_COUNT", "Frequencies", "build_reference_frequencies", "fingerprint",
    "load_reference_frequencies", "speech_frequencies", "write_reference_frequencies",
    "GENRE_LABELS", "REFERENCE_FILES", "reference_for", "speech_genre", "speech_year",
]
