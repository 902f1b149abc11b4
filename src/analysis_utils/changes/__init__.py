"""What changed: two versions or two years of a report compared sentence by sentence.

``diff(old, new)`` returns a :class:`Diff` (tables ``sentences``, ``sections``,
``formulations``, ``terms``, ``placeholders`` and a ``summary``); :func:`redline_html` turns it
into a self-contained side-by-side page. The modules, by job: ``align`` (sentence alignment and
character edits), ``sections`` (outlines matched across renumbering), ``wording`` (formulations,
terms, placeholders), ``model`` (the value and :func:`diff`), ``render`` (text and HTML).
"""
from .align import THRESHOLD, Pair, align_sentences, edit_spans, edits, similarity
from .model import SENTENCE_COLUMNS, SENTENCE_STATUSES, Diff, diff, sentence_table
from .sections import SECTION_DIFF_COLUMNS, section_diff, strip_marker
from .wording import FORMULATION_COLUMNS, PLACEHOLDER_COLUMNS, TERM_COLUMNS, formulation_diff, placeholder_diff, term_diff

__all__ = [
    "THRESHOLD", "Pair", "align_sentences", "edit_spans", "edits", "similarity",
    "SENTENCE_COLUMNS", "SENTENCE_STATUSES", "Diff", "diff", "sentence_table",
    "SECTION_DIFF_COLUMNS", "section_diff", "strip_marker",
    "FORMULATION_COLUMNS", "PLACEHOLDER_COLUMNS", "TERM_COLUMNS", "formulation_diff", "placeholder_diff", "term_diff",
]
