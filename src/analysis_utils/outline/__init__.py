"""The outline of a speech: its parts, their order and weight, and whether it keeps its promises.

:func:`build_outline` reads the structure Chinese official writing uses (numbered headings
``一、``/``（一）``/``1.``/``（1）``/``①``, enumerations ``一是``/``第一``/``首先``/``——``, title block,
salutation, opening and closing) into an :class:`Outline`: a tree of :class:`OutlineNode` plus
:class:`Finding` self-checks (announced counts, numbering, proportions, placeholders).
:func:`sections` turns it into the :class:`Sections` every per-section analysis takes.

The modules, by job: ``model`` (the values), ``layout`` (paragraphs, sentences, shared text
rules), ``headings``, ``enumerations``, ``build`` (:func:`build_outline`), ``checks``,
``render`` (text and Markdown), ``parts`` (the :class:`Sections` value; no module is named after a function it exports).

Example:
    >>> from analysis_utils import load_speech
    >>> from analysis_utils.config import SEED_SPEECH
    >>> o = build_outline(load_speech(SEED_SPEECH))
    >>> [n.title[:2] for n in o.sections], len(sections(o.speech, outline=o))
    (['一、', '二、'], 4)
"""
from .build import build_outline
from .checks import run_checks
from .headings import HEADING_STYLES, marker_number
from .model import CHECKS_COLUMNS, FRAME_KINDS, KIND_LABELS, MODE_LABELS, TABLE_COLUMNS, Finding, Outline, OutlineNode
from .parts import (
    SECTION_COLUMNS,
    Sections,
    equal_parts,
    heading_sections,
    section_table,
    sections,
    top_level_sections,
)

cn_number = marker_number  # deprecated alias, kept for one release (use analysis_utils.text.cn_number)

__all__ = [
    "build_outline", "run_checks", "Outline", "OutlineNode", "Finding",
    "FRAME_KINDS", "KIND_LABELS", "MODE_LABELS", "TABLE_COLUMNS", "CHECKS_COLUMNS", "HEADING_STYLES", "marker_number",
    "Sections", "SECTION_COLUMNS", "sections", "section_table", "top_level_sections", "heading_sections", "equal_parts",
]
