"""What the word-cloud tests draw from: a term table with each term's origin and category."""
from __future__ import annotations

from analysis_utils import term_frequency, with_origin


def cloud_terms(tokenizer, speech):
    """The term table a word cloud is drawn from (``term_frequency`` + ``with_origin``), as notebook 04 builds it."""
    tokens = tokenizer.tokens(speech)
    return with_origin(term_frequency(tokens, speech=speech), tokens, lexicon=tokenizer.lexicon)
