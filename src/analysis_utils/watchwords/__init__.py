"""Watchwords across decades (issue 18): follow formulations through a dated corpus.

* :mod:`~analysis_utils.watchwords.track`: :func:`track` → :class:`Track` (per term and
  document: ``substring_count``, ``per_10k``; per term: total, first, last, peak; undated
  documents apart), :func:`by_year`;
* :mod:`~analysis_utils.watchwords.families`: a formulation and its variants counted together
  and apart (:func:`load_families`, ``data/families.tsv``);
* :mod:`~analysis_utils.watchwords.discovery`: :func:`risers_fallers` between two periods,
  :func:`first_appearances` per year, over the lexicon (:func:`lexicon_track`);
* :mod:`~analysis_utils.watchwords.passages`: :func:`passages`, KWIC rows with document, date,
  paragraph and section.
"""
from ..plots.watchwords import textplot_risers_fallers, textplot_watchword_heatmap, textplot_watchwords
from .discovery import FIRST_COLUMNS, RISER_COLUMNS, first_appearances, lexicon_track, period_label, risers_fallers
from .families import FAMILIES_FILE, FAMILY_COLUMNS, family_counts, load_families
from .passages import PASSAGE_COLUMNS, passages
from .track import (
    DOCUMENT_COLUMNS,
    SERIES_COLUMNS,
    SUMMARY_COLUMNS,
    Track,
    by_year,
    default_corpus,
    family_totals,
    track,
    year_of,
)

__all__ = [
    "track", "Track", "by_year", "default_corpus", "family_totals", "year_of", "SERIES_COLUMNS", "SUMMARY_COLUMNS", "DOCUMENT_COLUMNS",
    "load_families", "family_counts", "FAMILIES_FILE", "FAMILY_COLUMNS",
    "risers_fallers", "first_appearances", "lexicon_track", "period_label", "RISER_COLUMNS", "FIRST_COLUMNS",
    "passages", "PASSAGE_COLUMNS",
    "textplot_watchwords", "textplot_watchword_heatmap", "textplot_risers_fallers",
]
