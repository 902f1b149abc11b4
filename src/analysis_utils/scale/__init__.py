"""Corpus scale: many speeches, all cores, cached tokens.

* :mod:`~analysis_utils.scale.sources`: :class:`Corpus`, the speeches of a folder, a CSV/JSONL
  file or a list of files (or the parts of one speech), listed once and loaded on demand.
* :mod:`~analysis_utils.scale.segmenter`: the same tokens cut by compiled code
  (:class:`FastSegmenter`, :func:`fast_tokenizer`, :class:`PlainJieba`).
* :mod:`~analysis_utils.scale.cache`: fingerprints, record formats, the cache folder.
* :mod:`~analysis_utils.scale.pool`: one pass over a corpus on all cores.
* :mod:`~analysis_utils.scale.counts`: type counts and the tables made from them.
* :mod:`~analysis_utils.scale.engine`: the ``corpus_*`` analyses and :class:`SubstringCounter`.
"""
from .cache import default_cache_dir, tokenizer_fingerprint
from .engine import (
    CORPUS_TOKEN_COLUMNS,
    SUBSTRING_COUNT_COLUMNS,
    TERM_COUNT_COLUMNS,
    SubstringCounter,
    corpus_map,
    corpus_slogan_matrix,
    corpus_substring_counts,
    corpus_term_counts,
    corpus_term_frequency,
    corpus_tokens,
)
from .segmenter import FastSegmenter, PlainJieba, TokenizerOptions, fast_tokenizer
from .sources import Corpus, CorpusItem, corpus_items

__all__ = [
    "Corpus", "CorpusItem", "corpus_items",
    "FastSegmenter", "PlainJieba", "TokenizerOptions", "fast_tokenizer",
    "default_cache_dir", "tokenizer_fingerprint",
    "CORPUS_TOKEN_COLUMNS", "SUBSTRING_COUNT_COLUMNS", "TERM_COUNT_COLUMNS",
    "SubstringCounter", "corpus_tokens", "corpus_term_counts", "corpus_term_frequency", "corpus_substring_counts",
    "corpus_map", "corpus_slogan_matrix",
]
