"""Which words are counted: one :class:`TermFilter` value accepted by every analysis.

A term table, a section heatmap, a keyness list, a word cloud and a corpus table all decide
"is this token a term?" the same way, through the same value, so their numbers agree.
:meth:`TermFilter.accepts` is the rule for one word, :meth:`TermFilter.mask` applies it to
every row of a token table; :func:`word_mask` says which rows are words at all.

One-character words count (党 国 军 稳 法 心 民) except the function characters of
:data:`FUNCTION_CHARS` (的 了 和 在 是 …, part of the bundled stopwords); ``min_len=2`` gives
back the old two-character rule. The official verbs of :data:`OFFICIAL_VERBS` (推进 加强 …)
are counted unless ``drop_official_verbs=True``; :meth:`TermFilter.left_out` lists what a
filter left out and why.

Example:
    >>> f = TermFilter(pos=("n",), min_len=2)
    >>> f.prefixes, TermFilter().prefixes[:3]
    (('n',), ('n', 'v', 'a'))
    >>> TermFilter(stopwords=()).accepts("党建", tag="j", formulation=False)
    True
    >>> TermFilter(stopwords=(), min_len=2).accepts("党", tag="n", formulation=False)  # shorter than min_len
    False
    >>> TermFilter().accepts("党", tag="n", formulation=False), TermFilter().accepts("的", tag="uj", formulation=False)
    (True, False)
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from ..lexicon import load_function_chars, load_official_verbs, load_stopwords

__all__ = [
    "CONTENT_POS", "FILTER_ARGUMENTS", "FORMULATION_ORIGINS", "FUNCTION_CHARS", "LEFT_OUT_COLUMNS", "OFFICIAL_VERBS",
    "TermFilter", "as_term_filter", "is_digits", "is_punctuation", "word_mask",
]

#: jieba tag prefixes counted when ``pos=None``: nouns (n, nr, ns, nt, nz, vn is a verb
#: prefix), verbs (v, vn, vd), adjectives (a, an, ad), distinguishing words (b), state
#: words (z), idioms (i), set phrases (l), abbreviations (j, e.g. 党建), place words (s)
#: and Latin words (eng). Left out: adverbs (d), time words (t), direction words (f),
#: numerals and measure words (m, q), pronouns (r), prepositions (p), conjunctions (c),
#: particles (u…), interjections and onomatopoeia (e, y, o), affixes (h, k) and
#: punctuation (x). Formulations (origin lexicon/slogan) are content whatever their tag.
CONTENT_POS: tuple[str, ...] = ("n", "v", "a", "b", "z", "i", "l", "j", "s", "eng")

#: Origins whose tokens are formulations (提法): kept whatever ``min_len`` says.
FORMULATION_ORIGINS = frozenset({"lexicon", "slogan"})

#: The one-character function words never counted (``data/function_chars.txt``, part of the
#: bundled stopwords): particles, prepositions, conjunctions, adverbs, pronouns, numerals,
#: classifiers (的 了 和 在 是 也 就 都 而 及 与 之 其 把 被 对 为 以 于 将 从 向 等 …).
FUNCTION_CHARS: frozenset[str] = load_function_chars()

#: The official verbs (``data/official_verbs.txt``: 推进 加强 推动 实施 加快 完善 促进 提高 深化
#: 增强 强化 优化 落实 坚持 …), left out with ``TermFilter(drop_official_verbs=True)`` (word
#: clouds, section heatmaps) and counted by default (the frequency table).
OFFICIAL_VERBS: frozenset[str] = load_official_verbs()

#: The keyword arguments that spelled out a :class:`TermFilter` before it existed
#: (still accepted by every analysis for one release, see :func:`as_term_filter`), and the
#: switch of the official verbs.
FILTER_ARGUMENTS = ("stopwords", "pos", "min_len", "exclude", "include", "drop_official_verbs")

#: Columns of :meth:`TermFilter.left_out`.
LEFT_OUT_COLUMNS = ["term", "pos", "token_count", "reason"]

_DIGITS_RE = re.compile(r"^[\d０-９.．,，%％‰/:：+\-－~～]+$")
_WORD_CHAR_RE = re.compile(r"[\w\u3400-\u9fff]")


# ------------------------------------------------------------------------ words
def is_punctuation(token: str) -> bool:
    """True when ``token`` has no letter, digit or Chinese character (、，。“” … ——).

    Example:
        >>> is_punctuation("——"), is_punctuation("，"), is_punctuation("党建")
        (True, True, False)
    """
    return not _WORD_CHAR_RE.search(token) and all(
        unicodedata.category(ch)[0] in "PSZC" for ch in token
    )


def is_digits(token: str) -> bool:
    """True for numbers written in digits (``2018``, ``5.5%``, ``１０``).

    Example:
        >>> is_digits("2018"), is_digits("5.5%"), is_digits("十九")
        (True, True, False)
    """
    return bool(_DIGITS_RE.match(token))


def _check_tokens(tokens: pd.DataFrame) -> None:
    if not isinstance(tokens, pd.DataFrame):
        raise TypeError(f"tokens must be the DataFrame of Tokenizer.tokens(), not {type(tokens).__name__}")
    missing = {"token", "pos", "origin"} - set(tokens.columns)
    if missing:
        raise ValueError(f"tokens lacks column(s) {sorted(missing)}: pass the table of Tokenizer.tokens(speech)")


def word_mask(tokens: pd.DataFrame) -> pd.Series:
    """Rows that are words: not placeholders, punctuation, white space or digits-only numbers.

    Example:
        >>> t = pd.DataFrame({"token": ["党建", "，", "2018", "×××"], "pos": ["j", "x", "m", "x"],
        ...                   "origin": ["jieba", "jieba", "jieba", "placeholder"]})
        >>> word_mask(t).tolist()
        [True, False, False, False]
    """
    _check_tokens(tokens)
    tok = tokens["token"].astype(str)
    return (
        (tokens["origin"] != "placeholder")
        & ~tok.map(is_punctuation).astype(bool)
        & ~tok.map(is_digits).astype(bool)
        & (tok.str.strip() != "")
    )


# ------------------------------------------------------------------- the filter
@dataclass(frozen=True)
class TermFilter:
    """The filters of a term count, as one value.

    Args:
        stopwords: words never counted; ``None`` = the bundled list (:func:`load_stopwords`),
            ``()`` = none.
        pos: jieba tag prefixes to count (``("n", "v")``: nouns incl. nr/ns/nt/nz, verbs incl.
            vn/vd); ``None`` = all content tags (:data:`CONTENT_POS`) and every formulation.
        min_len: shortest term counted, in characters (formulations are exempt). The default 1
            counts one-character words (党 国 军); the function characters
            (:data:`FUNCTION_CHARS`) are left out as stopwords. ``2`` is the old rule.
        exclude: extra words never counted (added to ``stopwords``).
        include: words always counted when they occur, even if a stopword, shorter than
            ``min_len`` or outside ``pos`` (placeholders, punctuation and digits never are).
        drop_official_verbs: leave out the official verbs of :data:`OFFICIAL_VERBS` (推进
            加强 …): ``True`` for word clouds and section heatmaps, ``False`` (the default)
            for the frequency table.

    Every analysis takes one (``term_frequency(tokens, term_filter=TermFilter(pos=("n",)))``);
    :meth:`mask` says which rows of a token table it counts.

    Example:
        >>> tokens = pd.DataFrame({"token": ["加强", "党建", "的", "四风", "，"],
        ...                        "pos": ["v", "j", "uj", "nz", "x"],
        ...                        "origin": ["jieba", "jieba", "jieba", "lexicon", "jieba"]})
        >>> TermFilter().mask(tokens).tolist()
        [True, True, False, True, False]
        >>> TermFilter(pos=("n",), min_len=3).mask(tokens).tolist()  # formulations are exempt from min_len
        [False, False, False, True, False]
    """

    stopwords: Iterable[str] | None = None
    pos: Sequence[str] | str | None = None
    min_len: int = 1
    exclude: Iterable[str] = field(default=())
    include: Iterable[str] = field(default=())
    drop_official_verbs: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.stopwords, str):
            raise TypeError("stopwords must be a collection of words, not a string")
        if not isinstance(self.drop_official_verbs, bool):
            raise TypeError(f"drop_official_verbs must be True or False, not {self.drop_official_verbs!r}")
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
        """Every word never counted (stopwords, ``exclude`` and, when dropped, the official verbs)."""
        base = load_stopwords() if self.stopwords is None else self.stopwords
        verbs = OFFICIAL_VERBS if self.drop_official_verbs else frozenset()
        return frozenset(base) | frozenset(self.exclude) | verbs

    def accepts(self, term: str, *, tag: str | None, formulation: bool) -> bool:
        """Whether one word (already known to be a word, not punctuation) is counted.

        Counted when ``term`` is in ``include``, or all of these hold: it is not a stopword
        nor in ``exclude``; it has at least ``min_len`` characters or is a formulation; its
        ``tag`` starts with one of :attr:`prefixes` (or, with ``pos=None``, it is a formulation).
        ``tag=None`` leaves the part of speech out: only the word filters apply.

        Example:
            >>> f = TermFilter(stopwords=(), pos=("n",))
            >>> f.accepts("加强", tag="v", formulation=False), f.accepts("加强", tag=None, formulation=False)
            (False, True)
        """
        if term in self.include:
            return True
        if term in self.stop or (len(term) < self.min_len and not formulation):
            return False
        return tag is None or tag.startswith(self.prefixes) or (self.pos is None and formulation)

    def mask(self, tokens: pd.DataFrame, *, any_pos: bool = False) -> pd.Series:
        """Which rows of a token table are counted terms: words (:func:`word_mask`) that
        :meth:`accepts` (formulations are the rows of origin lexicon or slogan).

        Args:
            tokens: the table of :meth:`Tokenizer.tokens` (columns ``token, pos, origin``), or a
                slice of it.
            any_pos: leave the part of speech out (``pos`` and :data:`CONTENT_POS` do not
                apply, only the word filters: stopwords, ``exclude``, ``min_len``, ``include``).

        Returns:
            A boolean Series on ``tokens``'s index.
        """
        words = word_mask(tokens)
        rows = zip(tokens["token"].astype(str), tokens["pos"].fillna("").astype(str),
                   tokens["origin"].isin(FORMULATION_ORIGINS))
        verdicts: dict[tuple[str, str, bool], bool] = {}  # a word's verdict, worked out once
        accepted = []
        for term, tag, formulation in rows:
            key = (term, tag, bool(formulation))
            if key not in verdicts:
                verdicts[key] = self.accepts(term, tag=None if any_pos else tag, formulation=key[2])
            accepted.append(verdicts[key])
        return words & pd.Series(accepted, index=tokens.index, dtype=bool)

    def reason(self, term: str, *, tag: str | None, formulation: bool) -> str | None:
        """Why one word is left out (``None`` when :meth:`accepts` counts it): ``official verb``,
        ``function character``, ``excluded``, ``stopword``, ``shorter than min_len`` or
        ``part of speech``.

        Example:
            >>> f = TermFilter(drop_official_verbs=True)
            >>> [f.reason(w, tag=t, formulation=False) for w, t in [("推进", "v"), ("的", "uj"), ("党", "n"), ("很", "d")]]
            ['official verb', 'function character', None, 'function character']
        """
        if self.accepts(term, tag=tag, formulation=formulation):
            return None
        if self.drop_official_verbs and term in OFFICIAL_VERBS:
            return "official verb"
        if term in self.exclude:
            return "excluded"
        if term in self.stop:
            return "function character" if term in FUNCTION_CHARS else "stopword"
        if len(term) < self.min_len and not formulation:
            return "shorter than min_len"
        return "part of speech"

    def left_out(self, tokens: pd.DataFrame) -> pd.DataFrame:
        """The words of a token table this filter leaves out, with how often and why: what a
        cloud or a heatmap does not show.

        Returns:
            Columns :data:`LEFT_OUT_COLUMNS` (``term, pos, token_count, reason``), one row per word
            and reason, count descending then term. Punctuation, digits and placeholders are not
            words and are not listed.

        Example:
            >>> t = pd.DataFrame({"token": ["推进", "党建", "推进", "的"], "pos": ["v", "j", "v", "uj"],
            ...                   "origin": ["jieba"] * 4})
            >>> TermFilter(drop_official_verbs=True).left_out(t).values.tolist()
            [['推进', 'v', 2, 'official verb'], ['的', 'uj', 1, 'function character']]
        """
        words = tokens.loc[word_mask(tokens) & ~self.mask(tokens)]
        reasons = [self.reason(t, tag=p, formulation=o in FORMULATION_ORIGINS)
                   for t, p, o in zip(words["token"].astype(str), words["pos"].fillna("").astype(str), words["origin"])]
        out = words.assign(term=words["token"].astype(str), reason=reasons)
        out = out.groupby(["term", "reason"], sort=False).agg(pos=("pos", lambda s: s.mode().iat[0] if len(s) else ""),
                                                                token_count=("term", "size")).reset_index()
        out = out.sort_values(["token_count", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
        return out[LEFT_OUT_COLUMNS].astype({"token_count": "int64"})

    def to_kwargs(self) -> dict:
        """The same filters as keyword arguments (``stopwords, pos, min_len, exclude, include,
        drop_official_verbs``)."""
        return {"stopwords": self.stopwords, "pos": self.pos, "min_len": self.min_len,
                "exclude": self.exclude, "include": self.include, "drop_official_verbs": self.drop_official_verbs}


def as_term_filter(
    term_filter: TermFilter | None,
    filters: Mapping[str, Any],
    *,
    min_len: int = 1,
    accepted: Collection[str] = FILTER_ARGUMENTS,
    caller: str = "this analysis",
) -> TermFilter:
    """The :class:`TermFilter` of an analysis called with ``term_filter=`` or with the old
    filter keywords (``stopwords, pos, min_len, exclude, include``), kept for one release.

    Args:
        term_filter: the filter passed, or ``None``.
        filters: the old keyword arguments passed (only those passed).
        min_len: the analysis's default ``min_len`` when neither gives one.
        accepted: the old keywords this analysis takes.
        caller: the analysis's name, for error messages.

    Raises:
        ValueError: both ``term_filter`` and old keywords were passed.
        TypeError: an unknown keyword, or ``term_filter`` is not a :class:`TermFilter`.

    Example:
        >>> as_term_filter(None, {"pos": ["n"]}) == TermFilter(pos=("n",))
        True
        >>> as_term_filter(None, {}, min_len=2).min_len
        2
    """
    unknown = sorted(set(filters) - set(accepted))
    if unknown:
        raise TypeError(f"{caller} got unexpected keyword argument(s) {', '.join(unknown)}")
    if term_filter is None:
        return TermFilter(**{"min_len": min_len, **filters})
    if filters:
        raise ValueError(f"{caller}: pass either term_filter= or the filter arguments "
                         f"({', '.join(sorted(filters))}), not both")
    if not isinstance(term_filter, TermFilter):
        raise TypeError(f"term_filter must be a TermFilter, not {type(term_filter).__name__}")
    return term_filter
