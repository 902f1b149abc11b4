"""Term counts over a corpus, gathered as the speeches' token records arrive (numpy, no loop per token).

A speech's token record holds its distinct ``(token, pos, origin)`` types with their counts.
:class:`Tally` folds the records, a chunk of speeches at a time, into what the tables need:

* per type (``token, pos, origin``, as many as the corpus has distinct ones, not one per
  speech): its count over the corpus, whether the filter counts it, its term;
* per term: in how many speeches it is counted;
* per speech and term: the count, **only** for the terms the caller keeps per speech
  (``per_speech``: every term for the long table of
  :func:`~analysis_utils.scale.corpus_term_counts` and the columns of
  ``corpus_term_frequency(by_speech=True)``, the terms asked for with ``terms=``, or none
  for the frequency list), as three compact arrays (speech, term, count).

So the memory a count needs grows with the vocabulary and with what it returns, not with
one row per token type per speech. The per-speech rows of every term (``per_speech=True``),
which a table of the top N terms needs only for those N once the corpus is counted, go to an
unnamed temporary file in the cache folder (``spill``) past :data:`SPILL_ROWS` (12 MB), and are
read back a chunk at a time. The tables are those the plain path gives (``term_frequency`` of
each speech, ``corpus_frequency``), and tests compare them.

Example:
    >>> from analysis_utils.scale.cache import encode_tokens
    >>> from analysis_utils.scale.sources import CorpusItem
    >>> rec = encode_tokens([("改革", 0, 2, "vn", "jieba"), ("改革", 2, 4, "vn", "jieba"), ("，", 4, 5, "x", "jieba")], 4)
    >>> tally = Tally(counted_types(stopwords=(), pos=None, min_len=1, exclude=(), include=()), per_speech=True)
    >>> tally.add(CorpusItem(0, "a"), ("tokens", rec, "sha-a"))
    >>> tally.term_counts().values.tolist()
    [['a', '改革', 2]]
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from ..stats import PER
from .cache import decode_tokens
from .sources import CorpusItem

#: Columns of :func:`~analysis_utils.scale.corpus_term_counts`.
TERM_COUNT_COLUMNS = ["speech_id", "term", "token_count"]
#: Columns of :func:`~analysis_utils.scale.corpus_term_frequency` (before any per-speech column).
FREQUENCY_COLUMNS = ["term", "pos", "token_count", "share", "per_10k", "rank", "speeches"]
#: How many (speech, type) rows wait before :class:`Tally` folds them in (bounds a fold's memory).
CHUNK_ROWS = 1 << 17
#: How many (speech, term) rows :class:`Tally` keeps in memory before it writes them to its
#: spill file (12 bytes a row).
SPILL_ROWS = 1 << 20
#: Which of some ``token\tpos\torigin`` type keys a count keeps.
KeepTypes = Callable[[Sequence[str]], np.ndarray]


def types_table(keys: Sequence[str]) -> pd.DataFrame:
    """Type keys (``token\\tpos\\torigin``) as a table: ``token, pos, origin``."""
    return pd.DataFrame([k.split("\t") for k in keys] or None, columns=["token", "pos", "origin"])


def counted_types(*, all_tokens: bool = False, **filters) -> KeepTypes:
    """Which types ``term_frequency`` counts with ``filters`` (every type with ``all_tokens``)."""
    def keep(keys: Sequence[str]) -> np.ndarray:
        if all_tokens or not len(keys):
            return np.ones(len(keys), dtype=bool)
        from ..stats import counted_mask

        return counted_mask(types_table(keys), **filters).to_numpy(dtype=bool)

    return keep


def _grown(arr: np.ndarray, n: int) -> np.ndarray:
    """``arr`` with at least ``n`` places (zeros added; doubled, so growing costs O(n) overall)."""
    if len(arr) >= n:
        return arr
    out = np.zeros(max(n, 2 * len(arr)), dtype=arr.dtype)
    out[:len(arr)] = arr
    return out


class _Numbering(dict):
    """Key → number, a key not seen before getting the next number when it is looked up."""

    def __missing__(self, key: str) -> int:
        n = self[key] = len(self)
        return n


class _Rows:
    """The (speech, term, count) rows a tally keeps, fold by fold, each fold a ``(3, n)`` int32 array:
    in memory up to ``budget`` rows, then (with a ``folder``) in an unnamed temporary file there,
    which nothing names and the system deletes when it is closed or the process ends.

    A file that cannot be made or written leaves the rows in memory (same result, more memory).
    """

    def __init__(self, folder: str | Path | None, budget: int):
        self.folder, self.budget = folder, budget
        self._file: BinaryIO | None = None  # made on the first spill, deleted when closed (with the tally)
        self._chunks: list[np.ndarray | tuple[int, int]] = []  # an array in memory, or (offset, rows) in the file
        self._in_memory = 0

    def append(self, rows: np.ndarray) -> None:
        self._chunks.append(rows)
        self._in_memory += rows.shape[1]
        if self._in_memory > self.budget and self.folder is not None:
            self._spill()

    def _spill(self) -> None:
        """Every chunk held in memory to the file (a chunk whose write fails stays in memory)."""
        try:
            if self._file is None:
                self._file = tempfile.TemporaryFile(dir=self.folder, buffering=0)  # unbuffered: errors show here
            for i, rows in enumerate(self._chunks):
                if isinstance(rows, np.ndarray):
                    offset = self._file.seek(0, 2)  # past a partial chunk a failed write may have left
                    data = memoryview(rows.tobytes())
                    while data:
                        written = self._file.write(data)
                        if not written:
                            raise OSError("nothing written")
                        data = data[written:]
                    self._chunks[i] = (offset, rows.shape[1])
                    self._in_memory -= rows.shape[1]
        except OSError:
            self.folder = None  # memory from now on (disk full, a file size limit…); the file keeps what it holds

    def __iter__(self) -> Iterator[np.ndarray]:
        """The chunks in order, each read back from the file when it was spilled."""
        for rows in self._chunks:
            if isinstance(rows, np.ndarray):
                yield rows
                continue
            offset, n = rows
            assert self._file is not None
            self._file.seek(offset)
            data = self._file.read(12 * n)
            if len(data) != 12 * n:
                raise OSError("the temporary file of the per-speech term counts was cut short")
            yield np.frombuffer(data, dtype=np.int32).reshape(3, n)

    def __len__(self) -> int:
        return sum(r.shape[1] if isinstance(r, np.ndarray) else r[1] for r in self._chunks)

    def nbytes(self) -> int:
        """Bytes held in memory."""
        return sum(r.nbytes for r in self._chunks if isinstance(r, np.ndarray))

    @property
    def spilled(self) -> int:
        """Rows in the file."""
        return sum(r[1] for r in self._chunks if not isinstance(r, np.ndarray))


class Tally:
    """The term counts of a corpus, folded in as each speech's token record arrives.

    Args:
        keep: which types count (:func:`counted_types`).
        per_speech: which terms keep a count per speech: ``True`` every counted term, a
            collection of terms only those, ``False`` none.
        chunk_rows: how many (speech, type) rows wait before they are folded in (bounds the
            memory of a fold; the result does not depend on it); ``None``: :data:`CHUNK_ROWS`.
        spill: a folder (the run's cache folder) where the per-speech rows of ``per_speech=True``
            go, in an unnamed temporary file, once more than ``spill_rows`` of them (``None``:
            :data:`SPILL_ROWS`) are kept; ``None``: all in memory. The result does not depend on it.
    """

    def __init__(self, keep: KeepTypes, *, per_speech: bool | Iterable[str] = False, chunk_rows: int | None = None,
                 spill: str | Path | None = None, spill_rows: int | None = None):
        self._keep_fn = keep
        self._wanted = per_speech if isinstance(per_speech, bool) else frozenset(per_speech)
        self.chunk_rows = CHUNK_ROWS if chunk_rows is None else chunk_rows
        self.items: list[CorpusItem] = []
        self.shas: list[str] = []
        self.han_chars: list[int] = []
        self.n_expected: int | None = None
        self._vocab = _Numbering()              # type key → type number (in order of numbers)
        self._terms: dict[str, int] = {}        # term → term number
        self.terms: list[str] = []
        n = 0
        self.type_keep = np.zeros(n, bool)       # per type: counted
        self.type_term = np.zeros(n, np.int32)   # per type: its term number
        self.type_total = np.zeros(n, np.int64)  # per type: tokens over the corpus
        self.term_speeches = np.zeros(n, np.int64)  # per term: speeches it is counted in
        self._term_wanted = np.zeros(n, bool)   # per term: kept per speech
        self._classified = 0                    # types whose keep/term are known
        self._pending: list[tuple[int, np.ndarray, np.ndarray]] = []  # (speech, type numbers, counts)
        self._pending_rows = 0
        budget = SPILL_ROWS if spill_rows is None else spill_rows
        self.rows = _Rows(spill if self._wanted is True else None, budget)  # (speech, term, count) per fold

    @property
    def keys(self) -> list[str]:
        """The type keys (``token\\tpos\\torigin``), in order of their numbers."""
        return list(self._vocab)

    # ------------------------------------------------------------------ gathering
    def add(self, item: CorpusItem, payload: tuple) -> None:
        """One speech: ``(item, ("tokens", record, body sha))`` as a :class:`Run` yields it."""
        rec = decode_tokens(payload[1], sequence=False)  # the keys decoded and split in one call each
        ids = np.array(list(map(self._vocab.__getitem__, rec.keys)), dtype=np.int32)  # new types numbered
        self._pending.append((len(self.items), ids, rec.counts.astype(np.int64)))
        self._pending_rows += len(ids)
        self.items.append(item)
        self.shas.append(payload[2])
        self.han_chars.append(rec.han_chars)
        if self._pending_rows >= self.chunk_rows:
            self._fold()

    def add_all(self, pairs: Iterable[tuple[CorpusItem, tuple]], n_items: int | None = None) -> Tally:
        """Every pair, then the last fold; ``n_items``: how many speeches the corpus has (a
        skipped one marks the tally incomplete)."""
        for item, payload in pairs:
            self.add(item, payload)
        self._fold()
        self.n_expected = n_items
        return self

    @property
    def complete(self) -> bool:
        """No speech skipped."""
        return self.n_expected is None or len(self.items) == self.n_expected

    def _classify(self) -> None:
        """Keep and term of the types seen since the last fold."""
        n = len(self._vocab)
        if n == self._classified:
            return
        new = list(self._vocab)[self._classified:]
        self.type_keep = _grown(self.type_keep, n)
        self.type_term = _grown(self.type_term, n)
        self.type_total = _grown(self.type_total, n)
        self.type_keep[self._classified:n] = self._keep_fn(new)
        terms, first_new_term = self._terms, len(self.terms)
        for j, k in enumerate(new, self._classified):
            term = k[:k.index("\t")]
            t = terms.get(term)
            if t is None:
                t = terms[term] = len(self.terms)
                self.terms.append(term)
            self.type_term[j] = t
        self.term_speeches = _grown(self.term_speeches, len(self.terms))
        self._term_wanted = _grown(self._term_wanted, len(self.terms))
        if not isinstance(self._wanted, bool):
            for t in range(first_new_term, len(self.terms)):
                self._term_wanted[t] = self.terms[t] in self._wanted
        self._classified = n

    def _fold(self) -> None:
        """Fold the waiting speeches into the per-type and per-term totals (and the per-speech rows kept)."""
        if not self._pending:
            return
        self._classify()
        pending, self._pending, self._pending_rows = self._pending, [], 0
        sp = np.repeat(np.array([p[0] for p in pending], dtype=np.int64), [len(p[1]) for p in pending])
        ty = np.concatenate([p[1] for p in pending])
        ct = np.concatenate([p[2] for p in pending])
        del pending
        n_types = len(self._vocab)
        self.type_total[:n_types] += np.bincount(ty, weights=ct, minlength=n_types).astype(np.int64)
        kept = self.type_keep[ty]
        sp, term, ct = sp[kept], self.type_term[ty[kept]].astype(np.int64), ct[kept]
        del ty, kept
        # (speech, term) pairs: several types (tags, origins) of one token add up; first seen first,
        # so in speech order (a hash table, not a sort)
        n_terms = max(1, len(self.terms))
        inv, pairs = pd.factorize(sp * n_terms + term)
        del sp, term
        total = np.bincount(inv, weights=ct, minlength=len(pairs)).astype(np.int64)
        del inv, ct
        sp_u, term_u = pairs // n_terms, pairs % n_terms
        self.term_speeches[:len(self.terms)] += np.bincount(term_u, minlength=len(self.terms))
        if self._wanted is False:
            return
        if self._wanted is not True:
            sel = self._term_wanted[term_u]
            sp_u, term_u, total = sp_u[sel], term_u[sel], total[sel]
        if len(sp_u):
            self.rows.append(np.stack([sp_u, term_u, total]).astype(np.int32))

    # ------------------------------------------------------------------ tables
    def nbytes(self) -> int:
        """Bytes held in the tally's arrays (per type, per term, per speech row kept in memory)."""
        arrays = [self.type_keep, self.type_term, self.type_total, self.term_speeches, self._term_wanted]
        arrays += [a for p in self._pending for a in p[1:]]
        return sum(a.nbytes for a in arrays) + self.rows.nbytes()

    def n_rows(self) -> int:
        """How many (speech, term) counts are kept (in memory or spilled)."""
        return len(self.rows)

    def term_counts(self) -> pd.DataFrame:
        """``speech_id, term, token_count`` of the terms kept per speech: speeches in order,
        count descending, then term."""
        self._fold()
        sp, term, count = np.concatenate(list(self.rows) or [np.zeros((3, 0), np.int32)], axis=1)
        names = np.array(self.terms or [""], dtype=object)
        rank = np.empty(len(names), dtype=np.int64)
        rank[np.argsort(names.astype(str), kind="stable")] = np.arange(len(names))
        order = np.lexsort((rank[term], -count, sp))
        sp, term, count = sp[order], term[order], count[order]
        del order
        ids = np.array([it.id for it in self.items] or [""], dtype=object)
        return pd.DataFrame({"speech_id": ids[sp], "term": names[term], "token_count": count.astype(np.int64)},
                            columns=TERM_COUNT_COLUMNS)

    def frequency(self) -> pd.DataFrame:
        """``term, pos, token_count, share, per_10k, rank, speeches`` over all speeches together, as
        :func:`~analysis_utils.stats.frequency.term_frequency` defines them."""
        self._fold()
        n = len(self._vocab)
        kept = np.flatnonzero(self.type_keep[:n] & (self.type_total[:n] > 0))
        keys = list(self._vocab)
        types = types_table([keys[i] for i in kept])
        del keys
        df = pd.DataFrame({"term": types["token"].to_numpy(dtype=object), "pos": types["pos"].to_numpy(dtype=object),
                           "n": self.type_total[kept]})
        counts = df.groupby("term", sort=False)["n"].sum()
        # the dominant tag of each term: most tokens, ties alphabetical
        by_tag = df.groupby(["term", "pos"], sort=False)["n"].sum().reset_index()
        by_tag = by_tag.sort_values(["term", "n", "pos"], ascending=[True, False, True], kind="mergesort")
        pos_of = by_tag.drop_duplicates("term").set_index("term")["pos"]
        speeches = pd.Series(self.term_speeches[:len(self.terms)], index=pd.Index(self.terms, dtype=object))
        out = pd.DataFrame({"term": counts.index.to_numpy(dtype=object), "token_count": counts.to_numpy(dtype="int64")})
        out["pos"] = out["term"].map(pos_of).fillna("").astype(object)
        total = int(out["token_count"].sum())
        out["share"] = (out["token_count"] / total).round(6) if total else 0.0
        out["per_10k"] = (out["token_count"] * PER / max(1, int(sum(self.han_chars)))).round(2)
        out["speeches"] = out["term"].map(speeches).fillna(0).astype("int64")
        out = out.sort_values(["token_count", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
        out["rank"] = out["token_count"].rank(method="dense", ascending=False).astype("int64")
        return out[FREQUENCY_COLUMNS]

    def with_speech_columns(self, table: pd.DataFrame) -> pd.DataFrame:
        """``table`` (terms in a ``term`` column) with one count column per speech, named by its id:
        the kept rows are read a chunk at a time and only those of ``table``'s terms are used."""
        self._fold()
        row_of = np.full(max(1, len(self.terms)), -1, dtype=np.int64)
        where = {t: i for i, t in enumerate(table["term"])}
        for t, name in enumerate(self.terms):
            row_of[t] = where.get(name, -1)
        mat = np.zeros((len(table), len(self.items)), dtype=np.int64)
        for sp, term, count in self.rows:
            rows = row_of[term]
            sel = rows >= 0
            mat[rows[sel], sp[sel]] = count[sel]  # one row per (speech, term): no two write one cell
        per = pd.DataFrame(mat, columns=[it.id for it in self.items])
        return pd.concat([table.reset_index(drop=True), per], axis=1)
