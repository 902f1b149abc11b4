"""Counting terms in a speech: what it talks about, where, and in which words.

Three counts exist, each with one name used in every column, axis label and caption (issue 15):
``substring_count`` (子串计数), ``token_count`` (分词计数) and ``formulation_count`` (提法计数, in
:mod:`analysis_utils.slogans`: by default equal to the substring count). This module has the first two:

* **substring counts** (the newspaper method, :func:`substring_counts`): a term is counted
  wherever its characters occur (``人民`` inside ``人民群众`` counts). Published figures
  ("稳 appears 78 times") are counted this way; :func:`~analysis_utils.stats.kwic` and
  :func:`~analysis_utils.stats.dispersion` find their hits the same way, so a KWIC table has
  exactly as many rows as the count says.
* **token counts** (:func:`term_frequency`): the speech cut into words by
  :class:`~analysis_utils.Tokenizer`, formulations (提法) kept whole, then placeholders,
  punctuation, digits, stopwords and function words left out (the
  :class:`~analysis_utils.stats.TermFilter`). This is what a frequency list, a word cloud or a
  keyness table is built from.

:func:`compare_counts` puts both side by side. Every function returns a tidy DataFrame with
documented columns in a deterministic order (count descending, then term).

Example:
    >>> from analysis_utils import Tokenizer, load_speech
    >>> from analysis_utils.config import SEED_SPEECH
    >>> speech = load_speech(SEED_SPEECH)
    >>> tokens = Tokenizer().tokens(speech)
    >>> freq = term_frequency(tokens, speech=speech)
    >>> freq[["term", "pos", "token_count", "per_10k"]].head(3).values.tolist()
    [['工作', 'vn', 27, 89.05], ['干部', 'n', 21, 69.26], ['组织', 'v', 17, 56.07]]
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import SpeechError
from ..outline.parts import Sections
from ..outline.parts import sections as make_sections
from ..speech import Speech
from ..text import count_han
from .filters import (
    CONTENT_POS,
    FORMULATION_ORIGINS,
    TermFilter,
    _check_tokens,
    as_term_filter,
    is_digits,
    is_punctuation,
    word_mask,
)

__all__ = [
    "CONTENT_POS", "FORMULATION_ORIGINS", "FREQUENCY_COLUMNS", "PER", "POS_CLASSES", "compare_counts",
    "corpus_frequency", "counted_mask", "formulation_terms", "is_digits", "is_punctuation", "pos_breakdown",
    "pos_class", "section_frequency", "substring_counts", "term_frequency", "word_mask",
]

PER = 10_000  # rates are per 10,000 Chinese characters

#: Columns of :func:`term_frequency` (a contract: the word cloud builds on it).
FREQUENCY_COLUMNS = ["term", "pos", "token_count", "share", "per_10k", "rank"]

# ------------------------------------------------------------------ coarse POS classes
#: Coarse part-of-speech classes: (key, Chinese label, English label, counted by default).
POS_CLASSES: list[tuple[str, str, str, bool]] = [
    ("formulation", "提法", "formulations", True),
    ("proper", "专名", "proper nouns", True),
    ("noun", "名词", "nouns", True),
    ("verbal_noun", "名动词", "verbal nouns", True),
    ("verb", "动词", "verbs", True),
    ("adjective", "形容词", "adjectives", True),
    ("idiom", "成语习语", "idioms & set phrases", True),
    ("abbreviation", "简称", "abbreviations", True),
    ("place", "处所词", "place words", True),
    ("foreign", "外文", "Latin-script words", True),
    ("adverb", "副词", "adverbs", False),
    ("time", "时间方位", "time & direction words", False),
    ("numeral", "数量词", "numerals & measure words", False),
    ("pronoun", "代词", "pronouns", False),
    ("function", "虚词", "function words", False),
    ("other", "其他", "other", False),
]
_CLASS_INFO = {k: (zh, en, counted) for k, zh, en, counted in POS_CLASSES}
_CLASS_OF_FIRST_LETTER = {
    "n": "noun", "v": "verb", "a": "adjective", "b": "adjective", "z": "adjective",
    "i": "idiom", "l": "idiom", "j": "abbreviation", "s": "place",
    "d": "adverb", "t": "time", "f": "time", "m": "numeral", "q": "numeral",
    "r": "pronoun", "p": "function", "c": "function", "u": "function", "e": "function",
    "y": "function", "o": "function", "h": "function", "k": "function",
}


def pos_class(tag: str, origin: str = "jieba") -> str:
    """The coarse class (a key of :data:`POS_CLASSES`) of one jieba tag.

    Example:
        >>> pos_class("vn"), pos_class("nz", "lexicon"), pos_class("ns")
        ('verbal_noun', 'formulation', 'proper')
    """
    tag = tag or ""
    if origin in FORMULATION_ORIGINS:
        return "formulation"
    if tag[:2] in ("nr", "ns", "nt") or tag == "nz":
        return "proper"
    if tag == "vn":
        return "verbal_noun"
    if tag == "eng":
        return "foreign"
    return _CLASS_OF_FIRST_LETTER.get(tag[:1], "other")


# --------------------------------------------------------------------------- helpers
def counted_mask(tokens: pd.DataFrame, **filters: Any) -> pd.Series:
    """Which rows of a token table :func:`term_frequency` counts: ``TermFilter(**filters).mask(tokens)``.

    Kept for the callers of the old keyword form (``stopwords, pos, min_len, exclude,
    include``); new code builds a :class:`TermFilter` and calls its :meth:`~TermFilter.mask`.

    Example:
        >>> t = pd.DataFrame({"token": ["党建", "的", "，"], "pos": ["j", "uj", "x"], "origin": ["jieba"] * 3})
        >>> counted_mask(t).tolist(), counted_mask(t, include=["的"]).tolist()
        ([True, False, False], [True, True, False])
    """
    return as_term_filter(None, filters, caller="counted_mask").mask(tokens)


def _han_of_tokens(tokens: pd.DataFrame) -> int:
    words = tokens.loc[tokens["origin"] != "placeholder", "token"].astype(str)
    return sum(count_han(t) for t in words)


def _dominant_pos(tokens: pd.DataFrame) -> pd.Series:
    """term → its most frequent tag (ties: alphabetical)."""
    pairs = tokens.groupby(["token", "pos"], sort=False).size().reset_index(name="n")
    pairs = pairs.sort_values(["token", "n", "pos"], ascending=[True, False, True], kind="mergesort")
    return pairs.drop_duplicates("token").set_index("token")["pos"]


def _frequency_table(counts: pd.Series, pos: pd.Series, han_chars: int) -> pd.DataFrame:
    """Counts (term → n) to the contract table (sorted, ranked)."""
    df = pd.DataFrame({"term": counts.index.astype(str), "token_count": counts.to_numpy(dtype="int64")})
    df["pos"] = df["term"].map(pos).fillna("").astype(str)
    total = int(df["token_count"].sum())
    df["share"] = (df["token_count"] / total).round(6) if total else 0.0
    df["per_10k"] = (df["token_count"] * PER / max(1, han_chars)).round(2)
    df = df.sort_values(["token_count", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    df["rank"] = df["token_count"].rank(method="dense", ascending=False).astype("int64")
    return df[FREQUENCY_COLUMNS]


def _counted_frequency(tokens: pd.DataFrame, mask: pd.Series, speech: Speech | None) -> pd.DataFrame:
    """The :func:`term_frequency` table of the rows of ``tokens`` that ``mask`` keeps."""
    counted = tokens.loc[mask]
    han = speech.han_chars if speech is not None else _han_of_tokens(tokens)
    counts = counted["token"].astype(str).value_counts(sort=False)
    pos_of = _dominant_pos(counted) if len(counted) else pd.Series(dtype=str)
    return _frequency_table(counts, pos_of, han)


def _top_n(top_n: int | None, top: int | None, default: int | None) -> int | None:
    """``top_n``, or its deprecated alias ``top`` (kept for one release), or the default."""
    if top is None:
        return default if top_n is None else top_n
    if top_n is not None:
        raise ValueError("pass top_n= only (top= is its deprecated alias)")
    return top


def formulation_terms(tokens: pd.DataFrame) -> set[str]:
    """The distinct tokens that are formulations (origin lexicon or slogan).

    Example:
        >>> t = pd.DataFrame({"token": ["四风", "加强"], "pos": ["nz", "v"], "origin": ["lexicon", "jieba"]})
        >>> formulation_terms(t)
        {'四风'}
    """
    _check_tokens(tokens)
    return set(tokens.loc[tokens["origin"].isin(FORMULATION_ORIGINS), "token"].astype(str))


# ---------------------------------------------------------------------- substrings
def substring_counts(speech: Speech, terms: Iterable[str]) -> pd.DataFrame:
    """How often each term occurs in ``speech.body`` as a plain, non-overlapping substring.

    Args:
        speech: the speech.
        terms: the terms to count (empty strings are skipped).

    Returns:
        Columns ``term, substring_count, per_10k`` in the order the terms were given (a term given
        twice is listed once); ``per_10k`` is per 10,000 Chinese characters.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> substring_counts(load_speech(SEED_SPEECH), ["党建", "基层"]).values.tolist()
        [['党建', 15, 49.47], ['基层', 15, 49.47]]
    """
    terms = list(dict.fromkeys(t for t in terms if t))
    n = max(1, speech.han_chars)
    rows = [(t, speech.body.count(t)) for t in terms]
    df = pd.DataFrame(rows, columns=["term", "substring_count"])
    df["per_10k"] = (df["substring_count"] * PER / n).round(2)
    return df


def compare_counts(speech: Speech, tokens: pd.DataFrame, terms: Iterable[str]) -> pd.DataFrame:
    """Substring counts next to token counts, for comparing with published figures.

    ``substring_count`` counts the term wherever its characters occur (``稳`` inside
    ``稳定``), ``token_count`` only where the tokeniser cut it as a word of its own (any
    tag, stopwords included). A large gap means the term is mostly part of longer words.

    Args:
        speech: the speech.
        tokens: its token table (:meth:`Tokenizer.tokens`).
        terms: the terms to count.

    Returns:
        Columns ``term, substring_count, token_count, per_10k`` (``per_10k`` of the
        substring count, per 10,000 Chinese characters), in the order given.

    Example:
        >>> from analysis_utils import Tokenizer, load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> seed = load_speech(SEED_SPEECH)
        >>> compare_counts(seed, Tokenizer().tokens(seed), ["组织", "三会一课"]).values.tolist()
        [['组织', 30, 17, 98.94], ['三会一课', 1, 1, 3.3]]
    """
    _check_tokens(tokens)
    sub = substring_counts(speech, terms)
    tok_counts = tokens.loc[tokens["origin"] != "placeholder", "token"].value_counts()
    sub["token_count"] = sub["term"].map(tok_counts).fillna(0).astype("int64")
    return sub[["term", "substring_count", "token_count", "per_10k"]]


# ------------------------------------------------------------------ term frequency
def term_frequency(
    tokens: pd.DataFrame,
    *,
    speech: Speech | None = None,
    term_filter: TermFilter | None = None,
    **filters: Any,
) -> pd.DataFrame:
    """The frequency list of a speech (like quanteda's ``textstat_frequency``).

    Never counted: placeholders (origin ``placeholder``), punctuation, digits-only tokens
    and stopwords. Formulations (origin ``lexicon``/``slogan``, e.g. ``四风``) are counted
    whatever ``min_len`` says.

    Args:
        tokens: the table of :meth:`Tokenizer.tokens` (or a slice of it).
        speech: the speech the tokens come from; its length in Chinese characters
            (``speech.han_chars``) is the base of ``per_10k``. When ``None``, the base is the
            Chinese characters of all tokens in ``tokens`` (counted or not; placeholders
            have none), which equals ``speech.han_chars`` for a whole speech's table.
        term_filter: which tokens are counted terms (:class:`TermFilter`; ``None`` = its
            defaults: content words of 2 characters or more, bundled stopwords left out).
        **filters: deprecated, kept for one release: ``stopwords, pos, min_len, exclude,
            include`` as separate keywords (the fields of :class:`TermFilter`); not together
            with ``term_filter``.

    Returns:
        Columns ``term, pos, token_count, share, per_10k, rank``: ``pos`` is the term's most
        frequent tag, ``share`` = token count / number of counted tokens, ``per_10k`` = token
        count per 10,000 Chinese characters, ``rank`` 1-based and dense by count. Sorted by count
        descending, then term.

    Example:
        >>> from analysis_utils import Tokenizer, load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> seed = load_speech(SEED_SPEECH)
        >>> tokens = Tokenizer().tokens(seed)
        >>> nouns = TermFilter(pos=("n",), exclude=("工作",))
        >>> term_frequency(tokens, speech=seed, term_filter=nouns)["term"].head(3).tolist()
        ['干部', '人才', '基层']
    """
    tf = as_term_filter(term_filter, filters, caller="term_frequency")
    return _counted_frequency(tokens, tf.mask(tokens), speech)


def pos_breakdown(
    tokens: pd.DataFrame,
    *,
    term_filter: TermFilter | None = None,
    **filters: Any,
) -> pd.DataFrame:
    """Word tokens by coarse part of speech (名词, 动词, 形容词, 专名, 提法 …).

    Every word token is classed (placeholders, punctuation and digits are not words);
    stopwords and ``exclude`` are left out. ``counted`` says whether
    :func:`term_frequency` counts the class by default (function words, adverbs, numerals
    … it does not), so the table also shows what the frequency list leaves out.

    Args:
        tokens: the table of :meth:`Tokenizer.tokens`.
        term_filter: its word filters apply (stopwords, ``exclude``, ``min_len``, ``include``),
            not its ``pos``: every part of speech is shown. ``None`` = ``TermFilter(min_len=1)``.
        **filters: deprecated, kept for one release: ``stopwords, min_len, exclude`` as
            separate keywords (``min_len`` defaults to 1 here).

    Returns:
        Columns ``pos_class, label, label_en, counted, tokens, types, share, examples``:
        ``tokens`` = running words, ``types`` = distinct words, ``share`` = tokens / all
        classed tokens, ``examples`` = the class's five most frequent words. Sorted by
        tokens descending, then class; classes with no token are left out.

    Example:
        >>> from analysis_utils import Tokenizer, load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> table = pos_breakdown(Tokenizer().tokens(load_speech(SEED_SPEECH)))
        >>> table[["label", "tokens", "examples"]].head(2).values.tolist()
        [['名词', 448, '干部、人才、基层、政治、党员'], ['动词', 287, '组织、推进、强化、提升、加强']]
    """
    tf = as_term_filter(term_filter, filters, min_len=1, accepted=("stopwords", "min_len", "exclude"),
                        caller="pos_breakdown")
    words = tokens.loc[tf.mask(tokens, any_pos=True)]
    classes = [pos_class(str(t), str(o)) for t, o in zip(words["pos"].fillna(""), words["origin"])]
    df = pd.DataFrame({"term": words["token"].astype(str).to_numpy(), "pos_class": classes})
    rows = []
    total = len(df)
    for key, group in df.groupby("pos_class", sort=True):
        vc = group["term"].value_counts()
        vc = vc.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
        zh, en, counted = _CLASS_INFO[key]
        rows.append((key, zh, en, counted, len(group), len(vc), round(len(group) / total, 4),
                     "、".join(vc.index[:5])))
    out = pd.DataFrame(rows, columns=["pos_class", "label", "label_en", "counted", "tokens", "types", "share", "examples"])
    return out.sort_values(["tokens", "pos_class"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def section_frequency(
    speech: Speech,
    tokens: pd.DataFrame,
    terms: Iterable[str] | None = None,
    *,
    top_n: int | None = None,
    term_filter: TermFilter | None = None,
    parts_if_no_headings: int = 0,
    sections: Sections | None = None,
    top: int | None = None,  # deprecated alias of top_n, kept for one release
    **filters: Any,
) -> pd.DataFrame:
    """Terms × top-level sections: which part of the speech carries which theme.

    Args:
        speech, tokens: the speech and its token table.
        terms: the terms to follow, counted wherever they are a word token; ``None`` = the
            ``top_n`` terms of :func:`term_frequency` (same ``term_filter``).
        top_n: how many terms when ``terms`` is ``None`` (default 15).
        term_filter: which tokens are counted terms (see :func:`term_frequency`).
        parts_if_no_headings: for a speech without ``一、`` headings, compare this many
            equal parts instead (see :func:`~analysis_utils.section_table`); 0 = one section,
            the whole text.
        sections: the speech's :class:`~analysis_utils.Sections` when already computed.
        top: deprecated alias of ``top_n``, kept for one release.
        **filters: deprecated, kept for one release: the fields of :class:`TermFilter` as
            separate keywords.

    Returns:
        A long table, one row per (section, term), columns ``section, label, term, token_count,
        per_10k, section_han_chars``: token counts (as in :func:`term_frequency`), rate per
        10,000 Chinese characters of that section. Sections in speech order (see
        :func:`~analysis_utils.section_table`), terms in the order given (or by overall
        count). Pivot it with ``df.pivot(index="term", columns="section", values="token_count")``.

    Example:
        >>> from analysis_utils import Tokenizer, load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> seed = load_speech(SEED_SPEECH)
        >>> table = section_frequency(seed, Tokenizer().tokens(seed), top_n=2)
        >>> table.pivot(index="term", columns="section", values="token_count").loc[["工作", "干部"]].values.tolist()
        [[2, 10, 14, 1], [0, 5, 16, 0]]
    """
    tf = as_term_filter(term_filter, filters, caller="section_frequency")
    if terms is None:
        mask = tf.mask(tokens)
        n = _top_n(top_n, top, 15)
        terms = _counted_frequency(tokens, mask, speech)["term"].head(n).tolist()
    else:
        terms = list(dict.fromkeys(t for t in terms if t))
        mask = word_mask(tokens)  # chosen terms are counted wherever they are a token
    secs = sections or make_sections(speech, parts_if_no_headings=parts_if_no_headings)
    t = tokens.loc[mask & tokens["token"].isin(terms), ["token", "start"]]
    t = t.assign(section=secs.of(t["start"].to_numpy()))
    counts = t.groupby(["section", "token"]).size()
    rows = []
    table = secs.table
    for sec, label, han in zip(table["section"], table["label"], table["han_chars"]):
        for term in terms:
            c = int(counts.get((sec, term), 0))
            rows.append((int(sec), label, term, c, round(c * PER / max(1, han), 2), int(han)))
    return pd.DataFrame(rows, columns=["section", "label", "term", "token_count", "per_10k", "section_han_chars"])


# ------------------------------------------------------------------- many speeches
def corpus_frequency(
    speeches: Iterable[Speech | str | Path],
    *,
    tokenizer=None,
    top_n: int | None = None,
    term_filter: TermFilter | None = None,
    top: int | None = None,  # deprecated alias of top_n, kept for one release
    **filters: Any,
) -> pd.DataFrame:
    """One frequency table over several speeches, with each speech's counts beside it.

    Args:
        speeches: speeches or paths of speech files.
        tokenizer: the :class:`~analysis_utils.Tokenizer` (created when ``None``).
        top_n: keep the first ``top_n`` rows (``None`` = all).
        term_filter: which tokens are counted terms (see :func:`term_frequency`).
        top: deprecated alias of ``top_n``, kept for one release.
        **filters: deprecated, kept for one release: the fields of :class:`TermFilter` as
            separate keywords.

    Returns:
        A wide table: the :func:`term_frequency` columns computed over all speeches
        together (``per_10k`` per 10,000 Chinese characters of all speeches), then
        ``speeches`` (how many speeches use the term), then one count column per speech,
        named by the speech id, in the order given. Sorted by count, then term.

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> table = corpus_frequency([SEED_SPEECH], top_n=2)
        >>> list(table.columns[-2:]), table["token_count"].tolist()
        (['speeches', 'party_building_conference_speech'], [27, 21])
    """
    from ..reading import load_speech
    from ..tokenizer import Tokenizer

    tf = as_term_filter(term_filter, filters, caller="corpus_frequency")
    n = _top_n(top_n, top, None)
    tok = tokenizer or Tokenizer()
    tables, han, ids = [], 0, []
    for sp in speeches:
        speech = sp if isinstance(sp, Speech) else load_speech(sp)
        sid = speech.id
        while sid in ids:  # two files with the same name in different folders
            sid += "_"
        ids.append(sid)
        tokens = tok.tokens(speech)
        tables.append(tokens.loc[tf.mask(tokens), ["token", "pos"]].assign(speech=sid))
        han += speech.han_chars
    if not tables:
        raise SpeechError(None, "no speeches given")
    allt = pd.concat(tables, ignore_index=True)
    counts = allt["token"].value_counts(sort=False)
    table = _frequency_table(counts, _dominant_pos(allt) if len(allt) else pd.Series(dtype=str), han)
    per = allt.groupby(["token", "speech"]).size().unstack("speech", fill_value=0).reindex(columns=ids, fill_value=0)
    table["speeches"] = table["term"].map((per > 0).sum(axis=1)).fillna(0).astype("int64")
    per = per.reindex(table["term"]).fillna(0).astype("int64").reset_index(drop=True)
    out = pd.concat([table, per], axis=1)
    out.columns.name = None
    return out.head(n) if n else out
