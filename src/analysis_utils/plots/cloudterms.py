"""The term tables a word cloud is drawn from: formulations marked, two speeches compared.

A cloud is drawn from a **term table** (the frequency analysis: ``term`` and ``token_count``
columns, one row per term), never from raw text, so the biggest words of the cloud are
the top terms of the bar chart and formulations (提法) stay whole. This module adds what a
cloud needs to such a table: :func:`with_origin` (which terms are formulations),
:func:`slogan_terms` (only those), :func:`comparison_terms` (which of two speeches uses a
term relatively more) and :func:`frequency_by_half` (a speech cut in two, one table each).

Example:
    >>> import pandas as pd
    >>> a = pd.DataFrame({"term": ["改革", "发展", "党建"], "token_count": [6, 2, 2]})
    >>> b = pd.DataFrame({"term": ["改革", "发展", "党建"], "token_count": [1, 2, 7]})
    >>> comparison_terms(a, b)[["term", "token_count_a", "token_count_b", "side"]].values.tolist()
    [['党建', 2, 7, 'b'], ['改革', 6, 1, 'a']]
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SpeechError
from ..outline import top_level_sections
from ..outline.parts import BY_SENTENCE, even_cuts
from ..speech import Speech
from ..stats import FORMULATION_ORIGINS, term_frequency

__all__ = ["comparison_terms", "frequency_by_half", "is_formulation", "slogan_terms", "split_in_two", "term_table",
           "textstat_comparison", "with_origin"]


def term_table(freq: pd.DataFrame) -> pd.DataFrame:
    """Validated copy of a term table: positive counts, one row per term, count desc then term.

    Raises:
        TypeError: ``freq`` is not a DataFrame.
        ValueError: it has no ``term`` and ``token_count`` (or old ``count``) columns.
    """
    if not isinstance(freq, pd.DataFrame):
        raise TypeError(f"a word cloud needs a term table with columns term and token_count (got {type(freq).__name__})")
    if "token_count" not in freq.columns and "token_count" in freq.columns:  # the old column name, kept for one release
        freq = freq.rename(columns={"token_count": "token_count"})
    if not {"term", "token_count"} <= set(freq.columns):
        raise ValueError(f"a word cloud needs a term table with columns term and token_count (got {list(freq.columns)})")
    df = freq.copy()
    df["term"] = df["term"].astype(str).str.strip()
    df["token_count"] = pd.to_numeric(df["token_count"], errors="coerce").fillna(0)
    df = df[(df["term"] != "") & (df["token_count"] > 0)]
    if df["term"].duplicated().any():
        extra = {c: "first" for c in df.columns if c not in ("term", "token_count")}
        df = df.groupby("term", as_index=False, sort=False).agg({"token_count": "sum", **extra})
    return df.sort_values(["token_count", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def is_formulation(df: pd.DataFrame) -> pd.Series:
    """True for the rows of a term table that are formulations (by ``origin``, else ``category``).

    Raises:
        ValueError: the table has neither column (pass it through :func:`with_origin` first).
    """
    if "origin" in df.columns:
        return df["origin"].isin(list(FORMULATION_ORIGINS))
    if "category" in df.columns:
        return df["category"].fillna("").astype(str).str.len() > 0
    raise ValueError("the category scheme and slogan clouds need an origin (or category) column: "
                     "pass the table through with_origin(freq, tokens) first")


def with_origin(freq: pd.DataFrame, tokens: pd.DataFrame, *, lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add ``origin`` and ``category`` columns to a term table, from the token table.

    ``origin`` is ``lexicon`` or ``slogan`` when the tokeniser kept the term whole as a
    formulation (提法) anywhere in the speech, else ``jieba``; ``category`` is the lexicon's
    category (``theory``, ``party_building`` …), ``slogan`` for number slogans found by
    pattern, and empty for ordinary words.

    Args:
        freq: a term table (``term`` column).
        tokens: the token table it was counted from (``Tokenizer.tokens``).
        lexicon: phrase → category table (default: the bundled lexicon).

    Returns:
        A copy of ``freq`` with the two columns added.

    Example:
        >>> freq = with_origin(term_frequency(toks), toks)  # doctest: +SKIP
    """
    from ..lexicon import load_lexicon

    lexicon = load_lexicon() if lexicon is None else lexicon
    cats = dict(zip(lexicon["phrase"], lexicon["category"]))
    rank = {"lexicon": 0, "slogan": 1}
    origin: dict[str, str] = {}
    for tok, org in zip(tokens["token"], tokens["origin"]):
        prev = origin.get(tok)
        if prev is None or rank.get(org, 9) < rank.get(prev, 9):
            origin[tok] = org  # lexicon beats slogan beats jieba
    out = freq.copy()
    out["origin"] = [origin.get(t, "jieba") if origin.get(t) in rank else "jieba" for t in out["term"]]
    out["category"] = [cats.get(t, "slogan" if o == "slogan" else "") if o in rank else ""
                       for t, o in zip(out["term"], out["origin"])]
    return out


def slogan_terms(freq: pd.DataFrame) -> pd.DataFrame:
    """Only the formulations (提法) of a term table: rows whose ``origin`` is lexicon or slogan.

    Example:
        >>> freq = pd.DataFrame({"term": ["新时代", "工作"], "token_count": [9, 7], "origin": ["lexicon", "jieba"]})
        >>> slogan_terms(freq)["term"].tolist()
        ['新时代']
    """
    return freq[is_formulation(freq)].reset_index(drop=True)


def comparison_terms(freq_a: pd.DataFrame, freq_b: pd.DataFrame, *, top_n: int | None = None) -> pd.DataFrame:
    """Which terms each of two speeches uses relatively more (the comparison cloud's table).

    A term's share is its count over all counted terms of its speech; ``diff`` is
    ``share_a − share_b``; ``side`` is ``a`` when positive, ``b`` when negative (ties are
    dropped). As in quanteda's comparison cloud, a word's size follows ``|diff|``.

    Args:
        freq_a, freq_b: the term tables of the two speeches.
        top_n: keep the first ``top_n`` rows (``None``: all).

    Returns:
        Columns ``term, token_count_a, token_count_b, share_a, share_b, diff, side``, sorted by
        ``|diff|`` desc then term.

    Example:
        >>> a = pd.DataFrame({"term": ["改革", "开放"], "token_count": [3, 1]})
        >>> b = pd.DataFrame({"term": ["开放", "创新"], "token_count": [2, 2]})
        >>> comparison_terms(a, b)[["term", "diff", "side"]].values.tolist()
        [['改革', 0.75, 'a'], ['创新', -0.5, 'b'], ['开放', -0.25, 'b']]
    """
    a, b = term_table(freq_a), term_table(freq_b)
    df = pd.merge(a[["term", "token_count"]], b[["term", "token_count"]], on="term", how="outer", suffixes=("_a", "_b")).fillna(0)
    df["token_count_a"] = df["token_count_a"].astype(int)
    df["token_count_b"] = df["token_count_b"].astype(int)
    df["share_a"] = df["token_count_a"] / max(1, a["token_count"].sum())
    df["share_b"] = df["token_count_b"] / max(1, b["token_count"].sum())
    df["diff"] = (df["share_a"] - df["share_b"]).round(12)  # equal shares compare equal
    df = df[df["diff"] != 0].copy()
    df["side"] = np.where(df["diff"] > 0, "a", "b")
    df["_abs"] = df["diff"].abs()
    df = df.sort_values(["_abs", "term"], ascending=[False, True], kind="stable").drop(columns="_abs")
    df = df.reset_index(drop=True)
    return df.head(top_n).reset_index(drop=True) if top_n else df


textstat_comparison = comparison_terms  # deprecated alias, kept for one release


def _half_label(part: list[tuple[str, int, int]], which: str) -> str:
    """A section's own label, or ``前半篇（一至三）`` for several."""
    if len(part) == 1:
        return part[0][0]
    a, b = part[0][0].split("、")[0], part[-1][0].split("、")[0]
    return f"{which}（{a}至{b}）"


def split_in_two(speech: Speech) -> list[tuple[str, int, int]]:
    """The speech in two parts for a comparison cloud: ``[(label, start, end), …]`` body offsets.

    With top-level sections (``一、`` …, :func:`~analysis_utils.outline.parts.top_level_sections`)
    the cut falls at the section boundary nearest the middle: the seed's two sections become its
    two parts (what was done / what is to be done); an opening before the first heading and a
    closing after the last section are left out. Without headings the body after the
    title block is cut at the paragraph break nearest the middle, or, in a text without usable
    paragraph breaks (one paragraph, or a salutation before one long paragraph), at the
    sentence end nearest the middle; the labels then say so (``前半篇（按句切分）first half``).
    See :func:`~analysis_utils.outline.parts.even_cuts`.

    Raises:
        SpeechError: a speech of a single sentence: too short to compare.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> [label[:2] for label, *_ in split_in_two(load_speech(SEED_SPEECH))]
        ['一、', '二、']
    """
    secs = top_level_sections(speech)
    if len(secs) >= 2:
        mid = (secs[0][1] + secs[-1][2]) / 2
        k = min(range(1, len(secs)), key=lambda i: (abs(secs[i][1] - mid), i))
        first, second = secs[:k], secs[k:]
        return [(_half_label(first, "前半篇"), first[0][1], first[-1][2]),
                (_half_label(second, "后半篇"), second[0][1], second[-1][2])]
    start = speech.meta.title_block_end
    paras = [(a, b) for a, b in speech.paragraph_spans if b > start]
    cuts, by_sentence = even_cuts(speech, 2, start=start, nearest=True)
    if not cuts:
        raise SpeechError(speech.path, "too short to compare its two halves (a single sentence)")
    mark = BY_SENTENCE if by_sentence else " "
    return [(f"前半篇{mark}first half", paras[0][0], cuts[0]), (f"后半篇{mark}second half", cuts[0], paras[-1][1])]


def frequency_by_half(speech: Speech, tokens: pd.DataFrame, **filters) -> list[tuple[str, pd.DataFrame]]:
    """``[(label, term table), (label, term table)]`` of the two parts of :func:`split_in_two`.

    Args:
        speech: the speech.
        tokens: its token table (``Tokenizer.tokens``).
        filters: passed to :func:`~analysis_utils.stats.frequency.term_frequency`
            (stopwords, pos, min_len …).

    Example:
        >>> (na, fa), (nb, fb) = frequency_by_half(seed, tok.tokens(seed))  # doctest: +SKIP
        >>> textplot_comparison_cloud(fa, fb, names=(na, nb))                # doctest: +SKIP
    """
    out = []
    for label, s, e in split_in_two(speech):
        part = tokens[(tokens["start"] >= s) & (tokens["start"] < e)]
        out.append((label, term_frequency(part, **filters)))
    return out
