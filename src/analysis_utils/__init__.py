"""analysis_utils: read Chinese political speeches with data.

The public API, flat::

    from analysis_utils import load_speech, Tokenizer
    speech = load_speech("seeds/party_building_conference_speech.txt")
    tokens = Tokenizer().tokens(speech)

Names are imported when first used (``from analysis_utils import Tokenizer`` imports the
tokenizer, not the figures), so that a command or a notebook imports only what it uses: ``terms
DIR`` neither matplotlib's pyplot nor the text comparison.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .config import FIGURES_DIR, PROJECT_ROOT, SEED_SPEECH, SEEDS_DIR
from .errors import SpeechError

#: Public name → (the module of this package that defines it, its name there).
_HOME: dict[str, tuple[str, str]] = {
    **{name: (".changes", name) for name in [
        "Diff", "diff"]},
    **{name: (".changes.render", name) for name in [
        "diff_text", "most_changed", "redline_html"]},
    **{name: (".lexicon", name) for name in [
        "load_lexicon", "load_stopwords"]},
    **{name: (".notebook", name) for name in [
        "open_comparison", "open_speech", "setup_notebook"]},
    **{name: (".outline", name) for name in [
        "Finding", "Outline", "OutlineNode", "Sections", "build_outline", "section_table", "sections",
        "top_level_sections"]},
    **{name: (".outputs", name) for name in [
        "Outputs", "figure_dir", "join_list_columns", "save_fig", "save_table"]},
    **{name: (".plots", name) for name in [
        "SCHEMES", "Cloud", "comparison_terms", "find_cjk_font", "frequency_by_half", "outline_fits",
        "save_wordcloud", "slogan_terms", "split_in_two", "textplot_comparison_cloud",
        "textplot_dispersion", "textplot_keyness", "textplot_keyness_against_rest",
        "textplot_outline_pages", "textplot_outline_tree", "textplot_parallel_structures",
        "textplot_placeholder_map", "textplot_pos_breakdown", "textplot_section_heatmap",
        "textplot_section_sizes", "textplot_similarity", "textplot_slogan_heatmap",
        "textplot_slogan_positions", "textplot_slogans_by_section", "textplot_term_trends",
        "textplot_top_slogans", "textplot_top_terms", "textplot_unit_sizes", "textplot_wordcloud",
        "textstat_comparison", "use_chinese_font", "with_origin"]},
    **{name: (".plots.changes", name) for name in [
        "textplot_formulation_changes", "textplot_section_slope", "textplot_term_changes"]},
    **{name: (".reading", name) for name in [
        "load_speech", "speech_from_text"]},
    **{name: (".scale", name) for name in [
        "Corpus", "FastSegmenter", "SubstringCounter", "corpus_items", "corpus_map",
        "corpus_slogan_matrix", "corpus_substring_counts", "corpus_term_counts",
        "corpus_term_frequency", "corpus_tokens", "fast_tokenizer"]},
    **{name: (".slogans", name) for name in [
        "combine_hits", "find_number_slogans", "lexicon_hits", "lexicon_missing", "number_slogan_spans",
        "number_slogans", "parallel_structures", "quoted_terms", "slogan_counts", "slogan_hits",
        "slogan_matrix", "slogans_by_section", "title_type", "titles"]},
    **{name: (".speech", name) for name in [
        "Metadata", "Placeholder", "RemovedSpan", "Speech", "count_han"]},
    **{name: (".stats", name) for name in [
        "CONTENT_POS", "TermFilter", "build_reference_frequencies", "collocations", "compare_counts",
        "corpus_frequency", "dispersion", "formulation_terms", "keyness", "kwic",
        "load_reference_frequencies", "pos_breakdown", "section_frequency", "substring_counts",
        "term_frequency", "write_reference_frequencies"]},
    **{name: (".tokenizer", name) for name in [
        "Tokenizer"]},
    **{name: (".watchwords", name) for name in [
        "Track", "by_year", "first_appearances", "lexicon_track", "load_families", "passages",
        "risers_fallers", "textplot_risers_fallers", "textplot_watchword_heatmap",
        "textplot_watchwords", "track"]},
    "SLOGAN_KINDS": (".slogans", "KINDS"),
}

__all__ = [
    "FIGURES_DIR", "PROJECT_ROOT", "SEED_SPEECH", "SEEDS_DIR",
    "SpeechError",
    "Corpus", "corpus_items", "corpus_tokens", "corpus_term_counts", "corpus_term_frequency", "corpus_substring_counts",
    "corpus_slogan_matrix", "corpus_map", "fast_tokenizer", "FastSegmenter", "SubstringCounter",
    "Outputs", "figure_dir", "join_list_columns", "save_fig", "save_table",
    "find_cjk_font", "use_chinese_font",
    "load_lexicon", "load_stopwords",
    "load_speech", "speech_from_text",
    "open_comparison", "open_speech", "setup_notebook",
    "find_number_slogans", "number_slogan_spans",
    "SLOGAN_KINDS", "number_slogans", "quoted_terms", "titles", "title_type", "lexicon_hits", "lexicon_missing",
    "parallel_structures", "slogan_hits", "slogan_counts", "slogan_matrix", "slogans_by_section", "combine_hits",
    "Finding", "Outline", "OutlineNode", "build_outline", "Sections", "sections",
    "Metadata", "Placeholder", "RemovedSpan", "Speech", "count_han",
    "substring_counts", "term_frequency", "compare_counts", "pos_breakdown", "top_level_sections",
    "section_table", "section_frequency", "collocations", "kwic", "dispersion", "corpus_frequency",
    "keyness", "build_reference_frequencies", "write_reference_frequencies", "load_reference_frequencies",
    "TermFilter", "CONTENT_POS", "formulation_terms",
    "Tokenizer",
    "SCHEMES", "Cloud", "textplot_wordcloud", "textplot_comparison_cloud", "comparison_terms", "textstat_comparison",
    "save_wordcloud", "slogan_terms", "with_origin", "split_in_two", "frequency_by_half",
    "outline_fits", "textplot_outline_tree", "textplot_outline_pages", "textplot_section_sizes", "textplot_placeholder_map",
    "textplot_top_terms", "textplot_pos_breakdown", "textplot_section_heatmap", "textplot_keyness", "textplot_dispersion",
    "textplot_top_slogans", "textplot_slogans_by_section", "textplot_slogan_positions", "textplot_parallel_structures",
    "textplot_unit_sizes", "textplot_term_trends", "textplot_slogan_heatmap", "textplot_similarity",
    "textplot_keyness_against_rest",
    # watchwords across decades (issue 18)
    "track", "Track", "by_year", "load_families", "risers_fallers", "first_appearances", "lexicon_track", "passages",
    "textplot_watchwords", "textplot_watchword_heatmap", "textplot_risers_fallers",
    "Diff", "diff", "diff_text", "most_changed", "redline_html",
    "textplot_formulation_changes", "textplot_term_changes", "textplot_section_slope",
]


def __getattr__(name: str) -> Any:
    """A public name (or a sub-package: ``analysis_utils.plots``), imported when first asked for."""
    if name in _HOME:
        module, attr = _HOME[name]
        value = getattr(import_module(module, __name__), attr)
    elif not name.startswith("_"):
        try:
            value = import_module(f".{name}", __name__)
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # the names __getattr__ provides, for type checkers
    from .changes import Diff, diff  # what changed between two texts (issue 17)
    from .changes.render import diff_text, most_changed, redline_html
    from .lexicon import load_lexicon, load_stopwords
    from .notebook import open_comparison, open_speech, setup_notebook
    from .outline import Finding, Outline, OutlineNode, Sections, build_outline, section_table, sections, top_level_sections
    from .outputs import Outputs, figure_dir, join_list_columns, save_fig, save_table
    from .plots import (
        SCHEMES,
        Cloud,
        comparison_terms,
        find_cjk_font,
        frequency_by_half,
        outline_fits,
        save_wordcloud,
        slogan_terms,
        split_in_two,
        textplot_comparison_cloud,
        textplot_dispersion,
        textplot_keyness,
        textplot_keyness_against_rest,
        textplot_outline_pages,
        textplot_outline_tree,
        textplot_parallel_structures,
        textplot_placeholder_map,
        textplot_pos_breakdown,
        textplot_section_heatmap,
        textplot_section_sizes,
        textplot_similarity,
        textplot_slogan_heatmap,
        textplot_slogan_positions,
        textplot_slogans_by_section,
        textplot_term_trends,
        textplot_top_slogans,
        textplot_top_terms,
        textplot_unit_sizes,
        textplot_wordcloud,
        textstat_comparison,
        use_chinese_font,
        with_origin,
    )
    from .plots.changes import textplot_formulation_changes, textplot_section_slope, textplot_term_changes
    from .reading import load_speech, speech_from_text
    from .scale import (
        Corpus,
        FastSegmenter,
        SubstringCounter,
        corpus_items,
        corpus_map,
        corpus_slogan_matrix,
        corpus_substring_counts,
        corpus_term_counts,
        corpus_term_frequency,
        corpus_tokens,
        fast_tokenizer,
    )
    from .slogans import (
        KINDS as SLOGAN_KINDS,
    )
    from .slogans import (
        combine_hits,
        find_number_slogans,
        lexicon_hits,
        lexicon_missing,
        number_slogan_spans,
        number_slogans,
        parallel_structures,
        quoted_terms,
        slogan_counts,
        slogan_hits,
        slogan_matrix,
        slogans_by_section,
        title_type,
        titles,
    )
    from .speech import Metadata, Placeholder, RemovedSpan, Speech, count_han
    from .stats import (
        CONTENT_POS,
        TermFilter,
        build_reference_frequencies,
        collocations,
        compare_counts,
        corpus_frequency,
        dispersion,
        formulation_terms,
        keyness,
        kwic,
        load_reference_frequencies,
        pos_breakdown,
        section_frequency,
        substring_counts,
        term_frequency,
        write_reference_frequencies,
    )
    from .tokenizer import Tokenizer
    from .watchwords import (  # type: ignore[no-redef]  # mypy: also names of its modules; figures: .plots.watchwords
        Track,
        by_year,
        first_appearances,
        lexicon_track,
        load_families,
        passages,
        risers_fallers,
        textplot_risers_fallers,
        textplot_watchword_heatmap,
        textplot_watchwords,
        track,
    )
