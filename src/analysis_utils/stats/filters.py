"""Which words are counted: one :class:`TermFilter` value accepted by every analysis.

A term table, a section heatmap, a keyness list, a word cloud and a corpus table all decide
"is this token a term?" the same way, through the same value, so their numbers agree.

Example:
    >>> f = TermFilter(pos=("n",), min_len=2)
    >>> f.prefixes, TermFilter().prefixes[:3]
    (('n',), ('n', 'v', 'a'))
    >>> TermFilter(stopwords=()).accepts("党建", tag="j", formulation=False)
    True
    >>> TermFilter(stopwords=()).accepts("党", tag="n", formulation=False)  # shorter than min_len
    False
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from ..lexicon import load_stopwords

#: jieba tag prefixes counted when ``pos=None``: nouns (n, nr, ns, nt, nz, vn is a verb
#: prefix), verbs (v, vn, vd), adjectives (a, an, ad), distinguishing words (b), state
#: words (z), idioms (i), set phrases (l), abbreviations (j, e.g. 党建), place words (s)
#: and Latin words (eng). Left out: adverbs (d), time words (t), direction words (f),
#: numerals and measure words (m, q), pronouns (r), prepositions (p), conjunctions (c),
#: particles (u…), interjections and onomatopoeia (e, y, o), affixes (h, k) and
#: punctuation (x). Formulations (origin lexicon/slogan) are content whatever their tag.
CONTENT_POS: tuple[str, ...] = ("n", "v", "a", "b", "z", "i", "l", "j", "s", "eng")


@dataclass(frozen=True)
class TermFilter:
    """The filters of a term count, as one value.

    Args:
        stopwords: words never counted; ``None`` = the bundled list (:func:`load_stopwords`),
            ``()`` = none.
        pos: jieba tag prefixes to count (``("n", "v")``: nouns incl. nr/ns/nt/nz, verbs incl.
            vn/vd); ``None`` = all content tags (:data:`CONTENT_POS`) and every formulation.
        min_len: shortest term counted, in characters (formulations are exempt).
        exclude: extra words never counted (added to ``stopwords``).
        include: words always counted when they occur, even if a stopword, shorter than
            ``min_len`` or outside ``pos`` (placeholders, punctuation and digits never are).
    """

    stopwords: Iterable[str] | None = None
    pos: Sequence[str] | str | None = None
    min_len: int = 2
    exclude: Iterable[str] = field(default=())
    include: Iterable[str] = field(default=())

    def __post_init__(self) -> None:
        if isinstance(self.stopwords, str):
            raise TypeError("stopwords must be a collection of words, not a string")
        if not isinstance(self.min_len, int) or self.min_len < 0:
            raise ValueError(f"min_len must be a whole number 0 or more, not {self.min_len!r}")
        if self.pos is not None and not self.prefixes:
            raise ValueError("pos must name at least one jieba tag prefix (n, v, a …)")
        # hashable and order-free, so equal filters compare equal
        object.__setattr__(self, "exclude", frozenset(self.exclude))
        object.__setattr__(self, "include", frozenset(self.include))
        if self.stopwords is not None:
            object.__setattr__(self, "stopwords", frozenset(self.stopwords))
        if self.pos is not None and not isinstance(self.pos, str):
            object.__setattr__(self, "pos", tuple(self.pos))

    @cached_property
    def prefixes(self) -> tuple[str, ...]:
        """The tag prefixes counted (:data:`CONTENT_POS` when ``pos`` is ``None``)."""
        if self.pos is None:
            return CONTENT_POS
        pos = [self.pos] if isinstance(self.pos, str) else self.pos
        return tuple(p.strip() for p in pos if p and p.strip())

    @cached_property
    def stop(self) -> frozenset[str]:
        """Every word never counted (stopwords and ``exclude``)."""
        base = load_stopwords() if self.stopwords is None else self.stopwords
        return frozenset(base) | frozenset(self.exclude)

    def accepts(self, term: str, *, tag: str, formulation: bool) -> bool:
        """Whether one word (already known to be a word, not punctuation) is counted."""
        if term in self.include:
            return True
        if term in self.stop or (len(term) < self.min_len and not formulation):
            return False
        return tag.startswith(self.prefixes) or (self.pos is None and formulation)

    def to_kwargs(self) -> dict:
        """The same filters as keyword arguments (``stopwords, pos, min_len, exclude, include``)."""
        return {"stopwords": self.stopwords, "pos": self.pos, "min_len": self.min_len,
                "exclude": self.exclude, "include": self.include}
