"""Counts of token types over a corpus, and the tables made from them (numpy, no loop per token).

A speech's token record holds its distinct ``(token, pos, origin)`` types with their counts;
:func:`type_counts` gathers them for a whole corpus into three arrays (speech, type, count),
and the functions below filter the types as ``term_frequency`` does and sum them into the
tables of :func:`~analysis_utils.scale.corpus_term_counts` and
:func:`~analysis_utils.scale.corpus_term_frequency`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..stats import PER
from .cache import decode_tokens
from .sources import CorpusItem

#: Columns of :func:`~analysis_utils.scale.corpus_term_counts`.
TERM_COUNT_COLUMNS = ["speech_id", "term", "token_count"]


@dataclass
class TypeCounts:
    """Counts of distinct ``(token, pos, origin)`` types per speech, over a whole corpus."""

    items: list[CorpusItem]
    shas: list[str]
    han_chars: np.ndarray     # per speech
    keys: list[str]           # the types ("token\tpos\torigin")
    speech: np.ndarray        # rows: speech number, type number, count
    type_id: np.ndarray
    count: np.ndarray
    complete: bool            # no speech skipped

    def types(self) -> pd.DataFrame:
        """The types as a table: ``token, pos, origin``."""
        parts = [k.split("\t") for k in self.keys]
        return pd.DataFrame(parts or None, columns=["token", "pos", "origin"])


def type_counts(pairs: Iterable[tuple[CorpusItem, tuple]], n_items: int) -> TypeCounts:
    """The type counts of ``(item, ("tokens", record, body sha))`` pairs (``n_items``: how many
    speeches the corpus has, so a skipped one marks the counts incomplete)."""
    vocab: dict[str, int] = {}
    keys: list[str] = []
    items: list[CorpusItem] = []
    shas: list[str] = []
    han: list[int] = []
    lengths, ty, ct = [], [], []
    for item, payload in pairs:
        rec = decode_tokens(payload[1], sequence=False)
        ids = list(map(vocab.get, rec.keys))
        if None in ids:
            for j, k in enumerate(rec.keys):
                if ids[j] is None:
                    ids[j] = vocab[k] = len(keys)
                    keys.append(k)
        items.append(item)
        shas.append(payload[2])
        han.append(rec.han_chars)
        lengths.append(len(ids))
        ty.append(np.array(ids, dtype=np.int32))
        ct.append(rec.counts.astype(np.int32))
    cat = lambda xs, dt: np.concatenate(xs) if xs else np.zeros(0, dt)  # noqa: E731
    speech = np.repeat(np.arange(len(items), dtype=np.int32), lengths)
    return TypeCounts(items, shas, np.array(han, dtype=np.int64), keys, speech, cat(ty, np.int32),
                       cat(ct, np.int32), complete=len(items) == n_items)


def counted_types(tc: TypeCounts, *, all_tokens: bool, **filters) -> np.ndarray:
    """Which types ``term_frequency`` counts (all of them with ``all_tokens``)."""
    types = tc.types()
    if all_tokens or not len(types):
        return np.ones(len(types), dtype=bool)
    from ..stats import counted_mask

    return counted_mask(types, **filters).to_numpy(dtype=bool)


def term_counts_table(tc: TypeCounts, keep: np.ndarray) -> pd.DataFrame:
    """``speech_id, term, token_count`` of the kept types: speeches in order, count descending, term."""
    token_of = [k.split("\t", 1)[0] for k in tc.keys]
    if token_of:
        term_codes, terms = pd.factorize(pd.Index(token_of, dtype=object))
    else:
        term_codes, terms = np.zeros(0, np.int64), pd.Index([], dtype=object)
    n_terms = max(1, len(terms))
    rows = keep[tc.type_id] if len(tc.type_id) else np.zeros(0, bool)
    sp = tc.speech[rows].astype(np.int64)
    term = np.asarray(term_codes)[tc.type_id[rows]].astype(np.int64)
    # (speech, term) pairs: several types (tags, origins) of one token add up
    uniq, inv = np.unique(sp * n_terms + term, return_inverse=True)
    del sp, term
    total = np.bincount(inv, weights=tc.count[rows], minlength=len(uniq)).astype(np.int64)
    del inv
    sp_u, term_u = uniq // n_terms, uniq % n_terms
    term_arr = np.asarray(terms, dtype=object)
    rank = np.empty(len(term_arr), dtype=np.int64)
    rank[np.argsort(term_arr.astype(str), kind="stable")] = np.arange(len(term_arr))
    order = np.lexsort((rank[term_u], -total, sp_u))
    ids = np.array([it.id for it in tc.items] or [""], dtype=object)
    return pd.DataFrame({
        "speech_id": ids[sp_u[order]] if len(order) else np.array([], dtype=object),
        "term": term_arr[term_u[order]] if len(order) else np.array([], dtype=object),
        "token_count": total[order],
    }, columns=TERM_COUNT_COLUMNS)


def with_speech_columns(table: pd.DataFrame, tc: TypeCounts, keep: np.ndarray) -> pd.DataFrame:
    """One count column per speech for the terms of ``table``."""
    row_of = {t: i for i, t in enumerate(table["term"])}
    tokens = np.array([row_of.get(k.split("\t", 1)[0], -1) for k in tc.keys] or [-1], dtype=np.int64)
    sel = keep[tc.type_id] & (tokens[tc.type_id] >= 0) if len(tc.type_id) else np.zeros(0, bool)
    mat = np.zeros((len(table), len(tc.items)), dtype=np.int64)
    np.add.at(mat, (tokens[tc.type_id[sel]], tc.speech[sel]), tc.count[sel])
    per = pd.DataFrame(mat, columns=[it.id for it in tc.items])
    return pd.concat([table.reset_index(drop=True), per], axis=1)


def frequency_table(tc: TypeCounts, keep: np.ndarray) -> pd.DataFrame:
    """``term, pos, token_count, share, per_10k, rank, speeches`` over all speeches together, as
    :func:`~analysis_utils.stats.frequency.term_frequency` defines them."""
    types = tc.types()
    rows = keep[tc.type_id] if len(tc.type_id) else np.zeros(0, bool)
    t = tc.type_id[rows]
    df = pd.DataFrame({"speech": tc.speech[rows], "n": tc.count[rows],
                       "term": types["token"].to_numpy(dtype=object)[t] if len(t) else np.array([], dtype=object),
                       "pos": types["pos"].to_numpy(dtype=object)[t] if len(t) else np.array([], dtype=object)})
    counts = df.groupby("term", sort=False)["n"].sum()
    # the dominant tag of each term: most tokens, ties alphabetical
    by_tag = df.groupby(["term", "pos"], sort=False)["n"].sum().reset_index()
    by_tag = by_tag.sort_values(["term", "n", "pos"], ascending=[True, False, True], kind="mergesort")
    pos_of = by_tag.drop_duplicates("term").set_index("term")["pos"]
    speeches = df.groupby("term", sort=False)["speech"].nunique()
    out = pd.DataFrame({"term": counts.index.to_numpy(dtype=object), "token_count": counts.to_numpy(dtype="int64")})
    out["pos"] = out["term"].map(pos_of).fillna("").astype(object)
    total = int(out["token_count"].sum())
    out["share"] = (out["token_count"] / total).round(6) if total else 0.0
    out["per_10k"] = (out["token_count"] * PER / max(1, int(tc.han_chars.sum()))).round(2)
    out["speeches"] = out["term"].map(speeches).fillna(0).astype("int64")
    out = out.sort_values(["token_count", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    out["rank"] = out["token_count"].rank(method="dense", ascending=False).astype("int64")
    return out[["term", "pos", "token_count", "share", "per_10k", "rank", "speeches"]]
