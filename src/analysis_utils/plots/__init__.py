"""Figures: every plot is a ``textplot_*`` function that takes the table (or outline) it shows.

The modules, by job: ``style`` (the Chinese font, labels that fit, sizes, colours),
``outline`` and ``outlinelayout`` (the structure: outline slide, section sizes,
placeholders), ``terms`` (term frequency, keyness, dispersion), ``slogans``, ``compare``
(several speeches), ``clouds`` with ``cloudlayout`` (word placement) and ``cloudterms``
(the term tables a cloud is drawn from), ``changes`` (what changed between two texts).

The figure modules are imported when one of their names is first used: they import the
analyses they draw (outline, slogans, stats), and those use the label helpers of ``style``
(``from ..plots.style import shorten``), so importing them here at once would be a cycle.

Example:
    >>> from analysis_utils import plots
    >>> sorted(name for name in plots.__all__ if name.startswith("textplot_"))[:2]
    ['textplot_comparison_cloud', 'textplot_dispersion']
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .style import display_width, find_cjk_font, shorten, text_units, use_chinese_font, wrap_cjk, wrap_label

#: Public name → the module of this package that defines it.
_HOME = {
    **dict.fromkeys(["textplot_outline_tree", "textplot_outline_pages", "textplot_section_sizes",
                     "textplot_placeholder_map", "outline_fits", "figure_nodes", "size_rows"], "outline"),
    **dict.fromkeys(["textplot_top_terms", "textplot_pos_breakdown", "textplot_section_heatmap", "textplot_keyness",
                     "textplot_dispersion"], "terms"),
    **dict.fromkeys(["textplot_top_slogans", "textplot_slogans_by_section", "textplot_slogan_positions",
                     "textplot_parallel_structures"], "slogans"),
    **dict.fromkeys(["textplot_unit_sizes", "textplot_term_trends", "textplot_slogan_heatmap",
                     "textplot_similarity", "textplot_keyness_against_rest"], "compare"),
    **dict.fromkeys(["textplot_watchwords", "textplot_watchword_heatmap", "textplot_risers_fallers"], "watchwords"),
    **dict.fromkeys(["textplot_formulation_changes", "textplot_term_changes", "textplot_section_slope"], "changes"),
    **dict.fromkeys(["SCHEMES", "Cloud", "textplot_wordcloud", "textplot_comparison_cloud", "save_wordcloud"],
                    "clouds"),
    **dict.fromkeys(["comparison_terms", "textstat_comparison", "with_origin", "slogan_terms", "split_in_two",
                     "frequency_by_half"], "cloudterms"),
}

__all__ = ["display_width", "find_cjk_font", "shorten", "text_units", "use_chinese_font", "wrap_cjk", "wrap_label",
           *_HOME]


def __getattr__(name: str) -> Any:
    """Import a figure module when one of its names is first asked for."""
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # the names __getattr__ provides, for type checkers (in __all__ through _HOME)
    from .changes import textplot_formulation_changes, textplot_section_slope, textplot_term_changes  # noqa: F401
    from .clouds import SCHEMES, Cloud, save_wordcloud, textplot_comparison_cloud, textplot_wordcloud  # noqa: F401
    from .cloudterms import (  # noqa: F401
        comparison_terms,
        frequency_by_half,
        slogan_terms,
        split_in_two,
        textstat_comparison,
        with_origin,
    )
    from .compare import (  # noqa: F401
        textplot_keyness_against_rest,
        textplot_similarity,
        textplot_slogan_heatmap,
        textplot_term_trends,
        textplot_unit_sizes,
    )
    from .outline import (  # noqa: F401
        figure_nodes,
        outline_fits,
        size_rows,
        textplot_outline_pages,
        textplot_outline_tree,
        textplot_placeholder_map,
        textplot_section_sizes,
    )
    from .slogans import (  # noqa: F401
        textplot_parallel_structures,
        textplot_slogan_positions,
        textplot_slogans_by_section,
        textplot_top_slogans,
    )
    from .terms import (  # noqa: F401
        textplot_dispersion,
        textplot_keyness,
        textplot_pos_breakdown,
        textplot_section_heatmap,
        textplot_top_terms,
    )
