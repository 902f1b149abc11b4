"""Slogan tables across kinds and speeches: every hit, counts, the slogan × speech matrix.

:func:`slogan_hits` puts the hits of all kinds in one table (one row per hit), computing
the speech's sections once for all of them; :func:`slogan_counts` counts them (one row per
slogan); :func:`slogan_matrix` makes a slogan × speech table for several speeches;
:func:`slogans_by_section` a slogan × section table for a heatmap; :func:`evaluate_against`
scores counts against a hand-marked list.

Example:
    >>> from analysis_utils import load_speech
    >>> from analysis_utils.config import SEED_SPEECH
    >>> counts = slogan_counts(load_speech(SEED_SPEECH), kinds="number")
    >>> counts.loc[counts.slogan == "十件实事", ["formulation_count", "sections"]].values.tolist()
    [[2, [1, 2]]]
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from ..outline.parts import Sections
from ..speech import Speech
from .hits import HIT_COLUMNS, KINDS, check_kinds, hit_table, sections_of
from .lexicon import DEFAULT_OVERLAP, LexiconSource, Overlap, lexicon_hits, resolve_lexicon
from .number import number_slogans
from .parallel import parallel_hits, parallel_structures
from .quoted import quoted_terms, titles

#: Columns of :func:`slogan_counts` (one row per slogan).
COUNT_COLUMNS = ["slogan", "kind", "formulation_count", "detail", "sections", "positions"]


def slogan_hits(
    speech: Speech,
    *,
    kinds: Iterable[str] | str = KINDS,
    lexicon: LexiconSource = None,
    overlap: Overlap = DEFAULT_OVERLAP,
    sections: Sections | None = None,
) -> pd.DataFrame:
    """All hits of the chosen kinds in one table (:data:`~analysis_utils.slogans.HIT_COLUMNS`), in text order.

    A parallel structure is one row (``slogan`` its frame, ``detail`` its scope and
    varying parts).

    Args:
        speech: the speech.
        kinds: any of :data:`~analysis_utils.slogans.KINDS` (one name or several).
        lexicon, overlap: as in :func:`~analysis_utils.slogans.lexicon_hits`.
        sections: the speech's sections (:func:`~analysis_utils.sections`); computed once
            when ``None`` and passed to every kind.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> hits = slogan_hits(load_speech(SEED_SPEECH), kinds=["number", "title"])
        >>> sorted(set(hits.kind)), hits.start.is_monotonic_increasing
        (['number', 'title'], True)
    """
    kinds = check_kinds(kinds)
    secs = sections_of(speech, sections)
    finders: dict[str, Callable[[], pd.DataFrame]] = {
        "number": lambda: number_slogans(speech, lexicon=lexicon, sections=secs),
        "quoted": lambda: quoted_terms(speech, sections=secs),
        "title": lambda: titles(speech, sections=secs),
        "lexicon": lambda: lexicon_hits(speech, lexicon=lexicon, overlap=overlap, sections=secs),
        "parallel": lambda: parallel_hits(speech, parallel_structures(speech, sections=secs), sections=secs),
    }
    parts = [p for p in (finders[k]() for k in kinds) if not p.empty]
    if not parts:
        df = hit_table(speech, [], sections=secs)
    else:
        df = pd.concat(parts, ignore_index=True)
        order = {k: i for i, k in enumerate(KINDS)}
        df = df.assign(_k=df["kind"].map(order)).sort_values(["start", "_k", "end"], kind="mergesort")
        df = df.drop(columns="_k").reset_index(drop=True)
    if "lexicon" in kinds:
        df.attrs["overlap"] = overlap
    return df


def slogan_counts(
    speech: Speech | pd.DataFrame,
    *,
    kinds: Iterable[str] | str = KINDS,
    lexicon: LexiconSource = None,
    overlap: Overlap = DEFAULT_OVERLAP,
    sections: Sections | None = None,
) -> pd.DataFrame:
    """How often each slogan occurs: one row per (slogan, kind).

    Args:
        speech: a speech, or a hit table from :func:`slogan_hits` (then ``kinds`` filters it).
        kinds, lexicon, overlap, sections: as in :func:`slogan_hits`.

    Returns:
        Columns :data:`COUNT_COLUMNS`: ``formulation_count`` (the formulation count: one per hit); ``detail`` (the rule, type, category or
        varying parts of the first hit); ``sections`` (sorted section numbers the hits fall
        in, 0 = opening, -1 = title block) and ``positions`` (body offsets), both lists.
        Sorted by kind (:data:`~analysis_utils.slogans.KINDS` order), count descending, then slogan.
        ``attrs["overlap"]`` says how lexicon formulations were counted (when they were).

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> c = slogan_counts(load_speech(SEED_SPEECH), kinds="title")
        >>> c[["slogan", "kind", "formulation_count"]].head(1).values.tolist()
        [['×××', 'title', 2]]
    """
    kinds = check_kinds(kinds)
    if isinstance(speech, pd.DataFrame):
        hits = speech
    else:
        hits = slogan_hits(speech, kinds=kinds, lexicon=lexicon, overlap=overlap, sections=sections)
    hits = hits[hits["kind"].isin(kinds)]
    rows = []
    for (slogan, kind), g in hits.groupby(["slogan", "kind"], sort=False):
        rows.append((slogan, kind, len(g), str(g["detail"].iloc[0]), sorted(set(int(x) for x in g["section"])),
                     [int(x) for x in g["start"]]))
    df = pd.DataFrame(rows, columns=COUNT_COLUMNS)
    if df.empty:
        df = df.astype({"formulation_count": "int64"})
    else:
        order = {k: i for i, k in enumerate(KINDS)}
        df = df.assign(_k=df["kind"].map(order), _c=-df["formulation_count"])
        df = df.sort_values(["_k", "_c", "slogan"], kind="mergesort").drop(columns=["_k", "_c"]).reset_index(drop=True)
    if "overlap" in hits.attrs:
        df.attrs["overlap"] = hits.attrs["overlap"]
    return df


def slogan_matrix(
    speeches: Iterable[Speech | str | Path],
    *,
    kinds: Iterable[str] | str = KINDS,
    lexicon: LexiconSource = None,
    overlap: Overlap = DEFAULT_OVERLAP,
) -> pd.DataFrame:
    """A slogan × speech table: which speech uses which formulation, how often.

    Args:
        speeches: speeches, or the paths of speech files (loaded one by one).
        kinds, lexicon, overlap: as in :func:`slogan_hits`.

    Returns:
        Columns ``slogan, kind, formulation_count, speeches`` (the formulation count over all
        speeches; how many speeches use it), then one count column per speech named by its id (``_`` appended to a repeated id), in the
        order given. Sorted by kind, formulation_count descending, then slogan.

    Example:
        >>> from analysis_utils import speech_from_text
        >>> a = speech_from_text("讲话\\n增强四个意识，坚定四个自信。", path="a.txt")
        >>> b = speech_from_text("讲话\\n增强四个意识。", path="b.txt")
        >>> slogan_matrix([a, b], kinds="number").values.tolist()
        [['四个意识', 'number', 2, 2, 1, 1], ['四个自信', 'number', 1, 1, 1, 0]]
    """
    from ..reading import load_speech

    kinds = check_kinds(kinds)
    lex = resolve_lexicon(lexicon)
    counts, ids = [], []
    for sp in speeches:
        speech = sp if isinstance(sp, Speech) else load_speech(sp)
        sid = speech.id
        while sid in ids:
            sid += "_"
        ids.append(sid)
        c = slogan_counts(speech, kinds=kinds, lexicon=lex, overlap=overlap)
        counts.append(c.assign(speech=sid)[["slogan", "kind", "speech", "formulation_count"]])
    return matrix_from_counts(counts, ids)


def matrix_from_counts(counts: list[pd.DataFrame], ids: list[str]) -> pd.DataFrame:
    """The slogan × speech table from per-speech count tables.

    Args:
        counts: tables with columns ``slogan, kind, speech, formulation_count``.
        ids: the speech ids, in the order of the columns.

    Returns:
        ``slogan, kind, formulation_count, speeches`` then one column per id, in order; sorted
        by kind, formulation_count descending, then slogan.

    Example:
        >>> c = pd.DataFrame({"slogan": ["三新"], "kind": ["number"], "speech": ["b"], "formulation_count": [2]})
        >>> matrix_from_counts([c], ["a", "b"]).values.tolist()
        [['三新', 'number', 2, 1, 0, 2]]
    """
    cols = ["slogan", "kind", "formulation_count", "speeches", *ids]
    if not counts or all(c.empty for c in counts):
        return pd.DataFrame(columns=cols)
    long = pd.concat(counts, ignore_index=True)
    wide = long.pivot_table(index=["slogan", "kind"], columns="speech", values="formulation_count", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=ids, fill_value=0).astype("int64").reset_index()
    wide.columns.name = None
    wide["formulation_count"] = wide[ids].sum(axis=1)
    wide["speeches"] = (wide[ids] > 0).sum(axis=1)
    order = {k: i for i, k in enumerate(KINDS)}
    wide = wide.assign(_k=wide["kind"].map(order), _t=-wide["formulation_count"])
    wide = wide.sort_values(["_k", "_t", "slogan"], kind="mergesort").drop(columns=["_k", "_t"])
    return wide[cols].reset_index(drop=True)


def combine_hits(*tables: pd.DataFrame) -> pd.DataFrame:
    """Hit tables stacked, each occurrence once, in text order.

    A stretch of text found by two kinds (a number slogan that is also a lexicon phrase)
    keeps the row of the first table given.

    Example:
        >>> from analysis_utils import load_speech, lexicon_hits, number_slogans
        >>> from analysis_utils.config import SEED_SPEECH
        >>> seed = load_speech(SEED_SPEECH)
        >>> over = combine_hits(number_slogans(seed), lexicon_hits(seed))
        >>> over[over.slogan == "一征三议两公开"].kind.tolist()
        ['number']
    """
    parts = [t for t in tables if t is not None and not t.empty]
    if not parts:
        return tables[0].iloc[0:0] if tables else pd.DataFrame(columns=HIT_COLUMNS)
    df = pd.concat(parts, ignore_index=True).drop_duplicates(["slogan", "start", "end"], keep="first")
    return df.sort_values(["start", "end"], kind="mergesort").reset_index(drop=True)


def slogans_by_section(
    speech: Speech,
    hits: pd.DataFrame,
    *,
    top_n: int | None = None,
    sections: Sections | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Slogan × section counts (long table) for a heatmap of which part uses which slogan.

    Args:
        speech: the speech.
        hits: a hit table (:func:`slogan_hits` or one kind's function) of that speech.
        top_n: keep the ``top_n`` most frequent slogans (``None``: all).
        sections: the speech's sections (:func:`~analysis_utils.sections`); computed when
            ``None``. Pass the value the hits were located with.
        top: deprecated alias of ``top_n``, kept for one release.

    Returns:
        Columns ``slogan, kind, section, label, formulation_count`` with a row for every (slogan,
        section) pair, zeros included; slogans by total count, sections in speech order.

    Example:
        >>> from analysis_utils import load_speech, number_slogans
        >>> from analysis_utils.config import SEED_SPEECH
        >>> seed = load_speech(SEED_SPEECH)
        >>> by = slogans_by_section(seed, number_slogans(seed), top_n=1)
        >>> by[["slogan", "section", "formulation_count"]].values.tolist()
        [['三新', 0, 0], ['三新', 1, 2], ['三新', 2, 0], ['三新', 3, 0]]
    """
    if top is not None:  # deprecated alias, kept for one release
        if top_n is not None and top_n != top:
            raise ValueError("give top_n only (top is its deprecated alias)")
        top_n = top
    table = sections_of(speech, sections).table
    totals = hits.groupby(["slogan", "kind"], sort=False).size().reset_index(name="n")
    totals = totals.sort_values(["n", "slogan"], ascending=[False, True], kind="mergesort")
    if top_n is not None:
        totals = totals.head(top_n)
    c = hits.groupby(["slogan", "kind", "section"]).size()
    rows = []
    for slogan, kind in zip(totals["slogan"], totals["kind"]):
        for sec, label in zip(table["section"], table["label"]):
            rows.append((slogan, kind, int(sec), label, int(c.get((slogan, kind, sec), 0))))
    out = pd.DataFrame(rows, columns=["slogan", "kind", "section", "label", "formulation_count"])
    if "overlap" in hits.attrs:  # how lexicon formulations were counted, for the figure to say
        out.attrs["overlap"] = hits.attrs["overlap"]
    return out


def evaluate_against(found: pd.DataFrame | dict, gold: dict[str, int]) -> dict[str, float | int]:
    """Precision and recall of found slogan counts against a hand-marked gold list.

    An occurrence is a true positive when the same slogan was marked as often:
    ``tp = Σ min(found[s], gold[s])``, ``precision = tp / Σ found``, ``recall = tp / Σ gold``.

    Args:
        found: a table with ``slogan`` and ``formulation_count`` columns, or a dict slogan → count.
        gold: slogan → count as marked by hand.

    Returns:
        ``{"tp", "found", "gold", "precision", "recall"}``.

    Example:
        >>> evaluate_against({"四风": 3, "十九大": 1}, {"四风": 2, "八项规定": 2})
        {'tp': 2, 'found': 4, 'gold': 4, 'precision': 0.5, 'recall': 0.5}
    """
    if isinstance(found, pd.DataFrame):
        found = found.groupby("slogan")["formulation_count"].sum().to_dict()
    tp = sum(min(int(found.get(s, 0)), int(n)) for s, n in gold.items())
    nf, ng = int(sum(found.values())), int(sum(gold.values()))
    return {
        "tp": tp, "found": nf, "gold": ng,
        "precision": round(tp / nf, 4) if nf else 1.0,
        "recall": round(tp / ng, 4) if ng else 1.0,
    }
