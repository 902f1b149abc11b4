"""Counting terms in a speech: what it talks about, where, and in which words.

Two ways of counting, both kept because users need both:

* **substring counts** (the newspaper method, :func:`substring_counts`): a term is counted
  wherever its characters occur (``人民`` inside ``人民群众`` counts). Published figures
  ("稳 appears 78 times") are counted this way; :func:`kwic` and :func:`dispersion` find
  their hits the same way, so a KWIC table has exactly as many rows as the count says.
* **token counts** (:func:`term_frequency`): the speech cut into words by
  :class:`~analysis_utils.Tokenizer`, formulations (提法) kept whole, then placeholders,
  punctuation, digits, stopwords and function words left out. This is what a frequency
  list, a word cloud or a keyness table is built from.

:func:`compare_counts` puts both side by side. Every function returns a tidy DataFrame with
documented columns in a deterministic order (count descending, then term).

Example:
    >>> from analysis_utils import Tokenizer, load_speech, term_frequency
    >>> tok = Tokenizer()  # doctest: +SKIP
    >>> speech = load_speech("seeds/party_building_conference_speech.txt")  # doctest: +SKIP
    >>> tokens = tok.tokens(speech)  # doctest: +SKIP
    >>> term_frequency(tokens, speech=speech).head(3)  # doctest: +SKIP
      term pos  count     share  per_10k  rank
    0   工作  vn     27  0.027190    89.05     1
    1   干部   n     21  0.021148    69.26     2
    2   组织   v     17  0.017120    56.07     3
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import SpeechError
from ..lexicon import load_stopwords
from ..outline import Sections, sections as make_sections
from ..speech import Speech, count_han

PER = 10_000  # rates are per 10,000 Chinese characters

#: Columns of :func:`term_frequency` (a contract: the word cloud builds on it).
FREQUENCY_COLUMNS = ["term", "pos", "count", "share", "per_10k", "rank"]

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

_DIGITS_RE = re.compile(r"^[\d０-９.．,，%％‰/:：+\-－~～]+$")
_WORD_CHAR_RE = re.compile(r"[\w\u3400-\u9fff]")
_SECTION_HEAD_RE = re.compile(r"^([一二三四五六七八九十]+)、")

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
    first = tag[:1]
    return {
        "n": "noun", "v": "verb", "a": "adjective", "b": "adjective", "z": "adjective",
        "i": "idiom", "l": "idiom", "j": "abbreviation", "s": "place",
        "d": "adverb", "t": "time", "f": "time", "m": "numeral", "q": "numeral",
        "r": "pronoun", "p": "function", "c": "function", "u": "function", "e": "function",
        "y": "function", "o": "function", "h": "function", "k": "function",
    }.get(first, "other")


# --------------------------------------------------------------------------- helpers
def is_punctuation(token: str) -> bool:
    """True when ``token`` has no letter, digit or Chinese character (、，。“” … ——)."""
    return not _WORD_CHAR_RE.search(token) and all(
        unicodedata.category(ch)[0] in "PSZC" for ch in token
    )


def is_digits(token: str) -> bool:
    """True for numbers written in digits (``2018``, ``5.5%``, ``１０``)."""
    return bool(_DIGITS_RE.match(token))


def _resolve_stopwords(stopwords) -> frozenset[str]:
    if stopwords is None:
        return load_stopwords()
    if isinstance(stopwords, str):
        raise TypeError("stopwords must be a collection of words, not a string")
    return frozenset(stopwords)


def _check_tokens(tokens: pd.DataFrame) -> None:
    if not isinstance(tokens, pd.DataFrame):
        raise TypeError(f"tokens must be the DataFrame of Tokenizer.tokens(), not {type(tokens).__name__}")
    missing = {"token", "pos", "origin"} - set(tokens.columns)
    if missing:
        raise ValueError(f"tokens lacks column(s) {sorted(missing)}: pass the table of Tokenizer.tokens(speech)")


def word_mask(tokens: pd.DataFrame) -> pd.Series:
    """Rows that are words: not placeholders, punctuation, white space or digits-only numbers."""
    _check_tokens(tokens)
    tok = tokens["token"].astype(str)
    return (
        (tokens["origin"] != "placeholder")
        & ~tok.map(is_punctuation).astype(bool)
        & ~tok.map(is_digits).astype(bool)
        & (tok.str.strip() != "")
    )


def counted_mask(
    tokens: pd.DataFrame,
    *,
    stopwords=None,
    pos: Sequence[str] | None = None,
    min_len: int = 2,
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
) -> pd.Series:
    """Which rows of a token table :func:`term_frequency` counts (the filters, in one place).

    A row is counted when it is a word (:func:`word_mask`) and either its token is in
    ``include``, or all of these hold: it is not a stopword nor in ``exclude``; its tag
    starts with one of ``pos`` (default :data:`CONTENT_POS`, plus every formulation); it
    has at least ``min_len`` characters, unless it is a formulation (origin lexicon/slogan).
    """
    words = word_mask(tokens)
    tok = tokens["token"].astype(str)
    tags = tokens["pos"].fillna("").astype(str)
    formulation = tokens["origin"].isin(FORMULATION_ORIGINS)
    stop = _resolve_stopwords(stopwords) | frozenset(exclude)
    if pos is None:
        pos_ok = tags.str.startswith(CONTENT_POS) | formulation
    else:
        prefixes = tuple(p.strip() for p in ([pos] if isinstance(pos, str) else pos) if p and p.strip())
        if not prefixes:
            raise ValueError("pos must name at least one jieba tag prefix (n, v, a …)")
        pos_ok = tags.str.startswith(prefixes)
    len_ok = (tok.str.len() >= min_len) | formulation
    keep = ~tok.isin(stop) & pos_ok & len_ok
    forced = tok.isin(frozenset(include))
    return words & (keep | forced)


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
    df = pd.DataFrame({"term": counts.index.astype(str), "count": counts.to_numpy(dtype="int64")})
    df["pos"] = df["term"].map(pos).fillna("").astype(str)
    total = int(df["count"].sum())
    df["share"] = (df["count"] / total).round(6) if total else 0.0
    df["per_10k"] = (df["count"] * PER / max(1, han_chars)).round(2)
    df = df.sort_values(["count", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    df["rank"] = df["count"].rank(method="dense", ascending=False).astype("int64")
    return df[FREQUENCY_COLUMNS]


def formulation_terms(tokens: pd.DataFrame) -> set[str]:
    """The distinct tokens that are formulations (origin lexicon or slogan)."""
    _check_tokens(tokens)
    return set(tokens.loc[tokens["origin"].isin(FORMULATION_ORIGINS), "token"].astype(str))


# ---------------------------------------------------------------------- substrings
def substring_counts(speech: Speech, terms: Iterable[str]) -> pd.DataFrame:
    """How often each term occurs in ``speech.body`` as a plain, non-overlapping substring.

    Returns a DataFrame with columns ``term, count, per_10k`` in the order the terms were
    given (a term given twice is listed once); ``per_10k`` is per 10,000 Chinese characters.

    Example:
        >>> substring_counts(load_speech("gwr_2022.txt"), ["稳", "就业"])  # doctest: +SKIP
           term  count  per_10k
        0     稳     78    51.34
    """
    terms = list(dict.fromkeys(t for t in terms if t))
    n = max(1, speech.han_chars)
    rows = [(t, speech.body.count(t)) for t in terms]
    df = pd.DataFrame(rows, columns=["term", "count"])
    df["per_10k"] = (df["count"] * PER / n).round(2)
    return df


def compare_counts(speech: Speech, tokens: pd.DataFrame, terms: Iterable[str]) -> pd.DataFrame:
    """Substring counts next to token counts, for comparing with published figures.

    ``substring_count`` counts the term wherever its characters occur (``稳`` inside
    ``稳定``), ``token_count`` only where the tokeniser cut it as a word of its own (any
    tag, stopwords included). A large gap means the term is mostly part of longer words.

    Returns:
        Columns ``term, substring_count, token_count, per_10k`` (``per_10k`` of the
        substring count, per 10,000 Chinese characters), in the order given.

    Example:
        >>> compare_counts(gwr, tok.tokens(gwr), ["稳", "就业"])  # doctest: +SKIP
          term  substring_count  token_count  per_10k
        0    稳               78            9    26.02
    """
    _check_tokens(tokens)
    sub = substring_counts(speech, terms)
    tok_counts = tokens.loc[tokens["origin"] != "placeholder", "token"].value_counts()
    sub["token_count"] = sub["term"].map(tok_counts).fillna(0).astype("int64")
    sub = sub.rename(columns={"count": "substring_count"})
    return sub[["term", "substring_count", "token_count", "per_10k"]]


# ------------------------------------------------------------------ term frequency
def term_frequency(
    tokens: pd.DataFrame,
    *,
    speech: Speech | None = None,
    stopwords=None,
    pos: Sequence[str] | None = None,
    min_len: int = 2,
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
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
        stopwords: words never counted; ``None`` = the bundled list
            (:func:`load_stopwords`), ``()`` = none.
        pos: jieba tag prefixes to count (``["n", "v"]``: nouns incl. nr/ns/nt/nz, verbs
            incl. vn/vd); ``None`` = all content tags (:data:`CONTENT_POS`) and every
            formulation.
        min_len: shortest term counted, in characters (formulations are exempt).
        exclude: extra words never counted (added to ``stopwords``).
        include: words always counted when they occur, even if a stopword, shorter than
            ``min_len`` or outside ``pos`` (placeholders, punctuation and digits never are).

    Returns:
        Columns ``term, pos, count, share, per_10k, rank``: ``pos`` is the term's most
        frequent tag, ``share`` = count / number of counted tokens, ``per_10k`` = count per
        10,000 Chinese characters, ``rank`` 1-based and dense by count. Sorted by count
        descending, then term.

    Example:
        >>> term_frequency(tokens, speech=speech, pos=["n"]).head()  # doctest: +SKIP
    """
    mask = counted_mask(tokens, stopwords=stopwords, pos=pos, min_len=min_len, exclude=exclude, include=include)
    counted = tokens.loc[mask]
    han = speech.han_chars if speech is not None else _han_of_tokens(tokens)
    counts = counted["token"].astype(str).value_counts(sort=False)
    pos_of = _dominant_pos(counted) if len(counted) else pd.Series(dtype=str)
    return _frequency_table(counts, pos_of, han)


def pos_breakdown(
    tokens: pd.DataFrame,
    *,
    stopwords=None,
    min_len: int = 1,
    exclude: Iterable[str] = (),
) -> pd.DataFrame:
    """Word tokens by coarse part of speech (名词, 动词, 形容词, 专名, 提法 …).

    Every word token is classed (placeholders, punctuation and digits are not words);
    stopwords and ``exclude`` are left out. ``counted`` says whether
    :func:`term_frequency` counts the class by default (function words, adverbs, numerals
    … it does not), so the table also shows what the frequency list leaves out.

    Returns:
        Columns ``pos_class, label, label_en, counted, tokens, types, share, examples``:
        ``tokens`` = running words, ``types`` = distinct words, ``share`` = tokens / all
        classed tokens, ``examples`` = the class's five most frequent words. Sorted by
        tokens descending, then class; classes with no token are left out.
    """
    words = tokens.loc[word_mask(tokens)]
    stop = _resolve_stopwords(stopwords) | frozenset(exclude)
    tok = words["token"].astype(str)
    formulation = words["origin"].isin(FORMULATION_ORIGINS)
    words = words.loc[~tok.isin(stop) & ((tok.str.len() >= min_len) | formulation)]
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
    top: int = 15,
    stopwords=None,
    pos: Sequence[str] | None = None,
    min_len: int = 2,
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
    parts_if_no_headings: int = 0,
    sections: Sections | None = None,
) -> pd.DataFrame:
    """Terms × top-level sections: which part of the speech carries which theme.

    Args:
        speech, tokens: the speech and its token table.
        terms: the terms to follow; ``None`` = the ``top`` terms of
            :func:`term_frequency` (same filters).
        parts_if_no_headings: for a speech without ``一、`` headings, compare this many
            equal parts instead (see :func:`section_table`); 0 = one section, the whole text.

    Returns:
        A long table, one row per (section, term), columns ``section, label, term, count,
        per_10k, section_han_chars``: token counts (as in :func:`term_frequency`), rate per
        10,000 Chinese characters of that section. Sections in speech order (see
        :func:`section_table`), terms in the order given (or by overall count). Pivot it
        with ``df.pivot(index="term", columns="section", values="count")``.
    """
    filters = dict(stopwords=stopwords, pos=pos, min_len=min_len, exclude=exclude, include=include)
    if terms is None:
        terms = term_frequency(tokens, speech=speech, **filters)["term"].head(top).tolist()
        mask = counted_mask(tokens, **filters)
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
    return pd.DataFrame(rows, columns=["section", "label", "term", "count", "per_10k", "section_han_chars"])


# ---------------------------------------------------------------------- collocations
def _g2_2x2(a: float, b: float, c: float, d: float) -> float:
    """Dunning's log-likelihood of a 2×2 table [[a, b], [c, d]]."""
    n = a + b + c + d
    g = 0.0
    for obs, row, col in ((a, a + b, a + c), (b, a + b, b + d), (c, c + d, a + c), (d, c + d, b + d)):
        exp = row * col / n if n else 0.0
        if obs > 0 and exp > 0:
            g += obs * math.log(obs / exp)
    return 2 * g


def collocations(
    tokens: pd.DataFrame,
    *,
    size: Sequence[int] = (2, 3),
    min_count: int = 2,
    stopwords=None,
    pos: Sequence[str] | None = None,
    min_len: int = 1,
    exclude: Iterable[str] = (),
) -> pd.DataFrame:
    """Recurring multi-word phrases: bigrams and trigrams of content words (like quanteda's
    ``textstat_collocations``).

    An n-gram is a run of ``n`` adjacent tokens inside one sentence, all of them counted
    words (the filters of :func:`counted_mask`; ``min_len`` defaults to 1 here so that
    one-character content words such as ``党`` can join a phrase). Punctuation, stopwords
    and placeholders break a run. Formulations in the lexicon are one token already, so
    what this finds are phrases the lexicon does not know yet.

    Association: ``pmi`` = log2(observed / expected under independence of the words);
    ``g2`` = Dunning's log-likelihood of the 2×2 table of (first n-1 words, last word) for a
    bigram; for a trigram the smaller G² of its two splits (w1 | w2 w3 and w1 w2 | w3),
    so both halves must belong together.

    Returns:
        Columns ``collocation, words, size, count, pmi, g2`` (``collocation`` the phrase as
        written, ``words`` the tokens separated by spaces), n-grams seen at least
        ``min_count`` times, sorted by g2 descending, then count descending, then
        collocation.
    """
    _check_tokens(tokens)
    mask = counted_mask(tokens, stopwords=stopwords, pos=pos, min_len=min_len, exclude=exclude).to_numpy()
    toks = tokens["token"].astype(str).to_numpy()
    sent = tokens["sentence"].to_numpy() if "sentence" in tokens.columns else np.zeros(len(tokens), int)
    unigrams = Counter(toks[mask])
    n_uni = int(mask.sum())
    sizes = sorted({int(s) for s in size})
    if any(s < 2 for s in sizes):
        raise ValueError("collocation sizes must be 2 or more")
    grams: dict[int, Counter] = {s: Counter() for s in set(sizes) | {2}}
    for n in grams:
        for i in range(len(toks) - n + 1):
            if mask[i:i + n].all() and sent[i] == sent[i + n - 1]:
                grams[n][tuple(toks[i:i + n])] += 1
    rows = []
    for n in sizes:
        total = sum(grams[n].values())
        for gram, c in grams[n].items():
            if c < min_count:
                continue
            expected = total * math.prod(unigrams[w] / n_uni for w in gram)
            pmi = math.log2(c / expected) if expected > 0 else float("inf")
            if n == 2:
                x, y = unigrams[gram[0]], unigrams[gram[1]]
                g2 = _g2_2x2(c, x - c, y - c, total - x - y + c)
            else:
                splits = []
                for k in range(1, n):
                    left, right = gram[:k], gram[k:]
                    x = _ngram_count(left, unigrams, grams)
                    y = _ngram_count(right, unigrams, grams)
                    splits.append(_g2_2x2(c, max(0, x - c), max(0, y - c), max(0, total - x - y + c)))
                g2 = min(splits)
            rows.append(("".join(gram), " ".join(gram), n, c, round(pmi, 3), round(g2, 3)))
    df = pd.DataFrame(rows, columns=["collocation", "words", "size", "count", "pmi", "g2"])
    return df.sort_values(["g2", "count", "collocation"], ascending=[False, False, True], kind="mergesort").reset_index(drop=True)


def _ngram_count(gram: tuple[str, ...], unigrams: Counter, grams: dict[int, Counter]) -> int:
    if len(gram) == 1:
        return unigrams[gram[0]]
    return grams.get(len(gram), Counter())[gram]


# ------------------------------------------------------------------------------ KWIC
KWIC_COLUMNS = ["term", "left", "hit", "right", "start", "end", "paragraph", "sentence", "section", "section_label"]


def find_hits(speech: Speech, term: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-overlapping occurrence of ``term`` in ``speech.body``
    (the same hits ``str.count`` counts, so KWIC rows = substring count)."""
    if not isinstance(term, str) or not term.strip():
        raise SpeechError(None, f"the search term must be non-empty text, not {term!r}")
    out, i = [], speech.body.find(term)
    while i >= 0:
        out.append((i, i + len(term)))
        i = speech.body.find(term, i + len(term))
    return out


def kwic(speech: Speech, term: str | Sequence[str], *, window: int = 20, cross_paragraphs: bool = False,
         sections: Sections | None = None) -> pd.DataFrame:
    """Keyword in context: every hit of ``term`` in the body, with its surroundings.

    Hits are found by substring search on ``speech.body`` (the published counting
    method), so the number of rows equals :func:`substring_counts`.

    Args:
        speech: the speech.
        term: one term or several (their hits are merged, in text order).
        window: characters of context on each side.
        cross_paragraphs: let the context run into the neighbouring paragraphs (line
            breaks shown as ``⏎``); by default it stops at the paragraph's edge.

    Returns:
        Columns ``term, left, hit, right, start, end, paragraph, sentence, section,
        section_label`` (``start``/``end`` index ``speech.body``; paragraph and sentence
        1-based; ``section`` as in :func:`section_table`, -1 in the title block). Sorted by
        start, then term.

    Example:
        >>> kwic(speech, "三会一课", window=10)  # doctest: +SKIP
    """
    if window < 0:
        raise ValueError("window must be 0 or more characters")
    terms = [term] if isinstance(term, str) else list(dict.fromkeys(term))
    if not terms:
        raise SpeechError(None, "no search term given")
    body = speech.body
    secs = sections or make_sections(speech)
    labels = secs.labels
    para = speech.paragraph_spans
    rows = []
    for t in terms:
        for s, e in find_hits(speech, t):
            p = speech.paragraph_of(s)
            lo, hi = (0, len(body)) if cross_paragraphs or not para else para[p - 1]
            left = body[max(lo, s - window):s].replace("\n", "⏎")
            right = body[e:min(hi, e + window)].replace("\n", "⏎")
            rows.append((t, left, body[s:e], right, s, e, p, speech.sentence_of(s)))
    df = pd.DataFrame(rows, columns=KWIC_COLUMNS[:8])
    sec = secs.of(df["start"].to_numpy(dtype="int64"))
    df["section"] = sec.astype("int64")
    df["section_label"] = [labels.get(int(x), "") for x in sec]
    return df.sort_values(["start", "term"], kind="mergesort").reset_index(drop=True)[KWIC_COLUMNS]


# ------------------------------------------------------------------------ dispersion
def dispersion(
    speech: Speech,
    terms: Iterable[str],
    *,
    tokens: pd.DataFrame | None = None,
    parts_if_no_headings: int = 0,
    sections: Sections | None = None,
) -> pd.DataFrame:
    """Where each term occurs through the speech, for a lexical dispersion plot.

    Args:
        speech: the speech.
        terms: the terms to place.
        tokens: the speech's token table: when given, a hit is a token equal to the term (so
            the hits match :func:`term_frequency`'s counts); when ``None``, every substring
            hit (as :func:`kwic` and :func:`substring_counts` count).
        parts_if_no_headings: see :func:`section_table`.

    Returns:
        Columns ``term, start, offset, paragraph, section``: ``offset`` is the hit's start
        relative to the body, 0 (beginning) to 1 (end). Sorted by term (in the order
        given), then start. A term with no hit has no row.
    """
    terms = list(dict.fromkeys(t for t in terms if t))
    n = max(1, len(speech.body))
    secs = sections or make_sections(speech, parts_if_no_headings=parts_if_no_headings)
    rows = []
    if tokens is not None:
        words = tokens.loc[word_mask(tokens), ["token", "start"]]
        for t in terms:
            for s in words.loc[words["token"] == t, "start"].sort_values():
                rows.append((t, int(s)))
    else:
        for t in terms:
            rows += [(t, s) for s, _ in find_hits(speech, t)]
    df = pd.DataFrame(rows, columns=["term", "start"]).astype({"start": "int64"})
    df["offset"] = (df["start"] / n).round(5)
    df["paragraph"] = [speech.paragraph_of(int(s)) for s in df["start"]]
    df["section"] = secs.of(df["start"].to_numpy(dtype="int64"))
    return df


# ------------------------------------------------------------------- many speeches

def corpus_frequency(
    speeches: Iterable[Speech | str | Path],
    *,
    tokenizer=None,
    top: int | None = None,
    stopwords=None,
    pos: Sequence[str] | None = None,
    min_len: int = 2,
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
) -> pd.DataFrame:
    """One frequency table over several speeches, with each speech's counts beside it.

    Returns:
        A wide table: the :func:`term_frequency` columns computed over all speeches
        together (``per_10k`` per 10,000 Chinese characters of all speeches), then
        ``speeches`` (how many speeches use the term), then one count column per speech,
        named by the speech id, in the order given. Sorted by count, then term; ``top``
        keeps the first rows.
    """
    from ..reading import load_speech
    from ..tokenizer import Tokenizer

    tok = tokenizer or Tokenizer()
    filters = dict(stopwords=_resolve_stopwords(stopwords), pos=pos, min_len=min_len, exclude=exclude, include=include)
    tables, han, ids = [], 0, []
    for sp in speeches:
        speech = sp if isinstance(sp, Speech) else load_speech(sp)
        sid = speech.id
        while sid in ids:  # two files with the same name in different folders
            sid += "_"
        ids.append(sid)
        tokens = tok.tokens(speech)
        tables.append(tokens.loc[counted_mask(tokens, **filters), ["token", "pos"]].assign(speech=sid))
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
    return out.head(top) if top else out
