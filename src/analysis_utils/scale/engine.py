"""Corpus scale: many speeches, all cores, cached tokens, substring counts without segmenting.

Every function here takes a *source*: a :class:`~analysis_utils.scale.Corpus`, or anything
one is made from (a folder of speeches, sub-folders included; a CSV or JSONL file of texts
with ``text`` and optionally ``id``, ``date``, ``title``; one speech file; or a list of
these). Speeches are streamed: only one speech's tokens per worker are in memory at a time,
and the tables returned hold counts, never token lists.

Three things make it fast, none of them a segmenter of our own: the same tokens cut by
compiled code (:class:`~analysis_utils.scale.FastSegmenter`), all cores
(:mod:`~analysis_utils.scale.pool`), and a token cache (:mod:`~analysis_utils.scale.cache`).
Substring counts (:func:`corpus_substring_counts`) need no segmenting: one Aho-Corasick
automaton finds every term at once. :func:`corpus_map` runs any per-speech table (e.g.
slogan counts, :func:`corpus_slogan_matrix`) on all cores with the same per-file cache.

What the cache does not change: results are those of the plain path
(:meth:`Tokenizer.tokens`, ``term_frequency``, ``substring_counts``, ``slogan_matrix``), and
tests compare them on the seed and the development corpus.

Example:
    >>> from analysis_utils.config import SEED_SPEECH
    >>> counts = corpus_term_counts([SEED_SPEECH], cache=False, progress=False)
    >>> counts.head(2)
                              speech_id term  token_count
    0  party_building_conference_speech   工作           27
    1  party_building_conference_speech   干部           21
    >>> corpus_substring_counts([SEED_SPEECH], ["党建", "工作法"], cache=False, progress=False)["substring_count"].tolist()
    [15, 1]
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from operator import itemgetter
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .. import config
from ..stats import PER, TermFilter, as_term_filter
from .cache import decode_tokens, hash_obj, param_key, sources_digest
from .counts import TERM_COUNT_COLUMNS, Tally, counted_types
from .duplicates import THRESHOLD
from .frames import load_frame, save_frame
from .pool import Mapper, Run, _resolve_workers, _say
from .segmenter import TokenizerOptions
from .sources import Corpus, CorpusItem, Errors, as_corpus

Duplicates = Literal["drop", "keep"]

SUBSTRING_COUNT_COLUMNS = ["speech_id", "term", "substring_count", "per_10k"]
#: Columns of the token tables :func:`corpus_tokens` yields (those of ``Tokenizer.tokens``
#: less ``paragraph``/``sentence``, which need the loaded speech).
CORPUS_TOKEN_COLUMNS = ["token", "pos", "start", "end", "origin"]
__all__ = ["counted_corpus", "TERM_COUNT_COLUMNS", "SUBSTRING_COUNT_COLUMNS", "CORPUS_TOKEN_COLUMNS", "SubstringCounter", "corpus_tokens",
           "corpus_term_counts", "corpus_term_frequency", "corpus_substring_counts", "corpus_map", "corpus_slogan_matrix"]


# ====================================================================== result memo
def _memo_key(run: Run, kind: str, params: dict, items: Sequence[CorpusItem], shas: Sequence[str | None]) -> str:
    return hash_obj({"kind": kind, "fingerprint": run.fingerprint, "params": params,
                      "code": sources_digest(("stats", "scale", config.DATA_DIR.name)),
                      "speeches": [[it.id, sha] for it, sha in zip(items, shas)]})


def _jsonable(x):
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    if isinstance(x, (set, frozenset)):
        return sorted(map(str, x))
    return [str(v) for v in x]


def _memoised(run: Run, kind: str, params: dict, compute) -> pd.DataFrame:
    """``compute()``'s table, or the stored one when the corpus, tokenizer and params are unchanged."""
    params = {k: _jsonable(v) for k, v in params.items()}
    if run.store.root is not None and run.all_cached:
        path = run.store.result_path(_memo_key(run, kind, params, run.items, [p.body_sha for p in run.plans]))
        df = load_frame(path)
        if df is not None:
            return df
    df, items, shas, complete = compute()
    if run.store.root is not None and run.store.problem is None and complete:
        run.note_problem(save_frame(run.store.result_path(_memo_key(run, kind, params, items, shas)), df))
    return df


def _options(lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm, plain=False) -> TokenizerOptions:
    return TokenizerOptions(tuple(str(Path(f)) for f in lexicon_files), tuple(str(Path(f)) for f in userdicts),
                            bool(bundled_lexicon), bool(detect_slogans), bool(hmm), bool(plain))


def _term_filter(term_filter, stopwords, pos, min_len, exclude, include) -> TermFilter:
    """The one :class:`TermFilter` of a corpus count: ``term_filter``, or the separate filter
    arguments that differ from their defaults (not both)."""
    given = {k: v for k, v in (("stopwords", stopwords), ("pos", pos), ("exclude", exclude), ("include", include))
             if v is not None and (k == "stopwords" or len(v))}
    if min_len is not None:
        given["min_len"] = min_len
    return as_term_filter(term_filter, given, caller="the corpus count")


def counted_corpus(source, duplicates: Duplicates = "drop", *, cache: bool | str | Path = True,
                   progress: bool | None = None) -> Corpus:
    """The corpus a count runs on: with ``duplicates="drop"``, ``source`` less its near-duplicates
    (the later copy of a speech published twice, :meth:`Corpus.near_duplicates`), each named in a
    ``note:`` line on stderr; with ``"keep"``, every speech as given (no search, no cost).

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> counted_corpus([SEED_SPEECH], cache=False).ids
        ('party_building_conference_speech',)
    """
    return _counted(source, duplicates, cache, progress)[0]


def _counted(source, duplicates: Duplicates, cache: bool | str | Path, progress: bool | None) -> tuple[Corpus, str | None]:
    """:func:`counted_corpus`, and why the cache could not be written in the pass that found the
    near-duplicates (for the count's :meth:`Run.note_problem`, which says it once)."""
    if duplicates not in ("drop", "keep"):
        raise ValueError(f"duplicates must be 'drop' or 'keep', not {duplicates!r}")
    corpus = as_corpus(source)
    if duplicates == "keep":
        return corpus, None
    found, problem = corpus._scan(THRESHOLD, cache, progress)
    for d in found:
        _say(f"note: {d.note()} (--keep-duplicates, or duplicates=\"keep\", counts both)")
    return corpus.without_duplicates(found), problem


def _run(source, duplicates: Duplicates, task, *, cache: bool | str | Path, progress: bool | None, **kwargs) -> Run:
    """The :class:`Run` of a count over ``source`` less its near-duplicates (see :func:`counted_corpus`)."""
    corpus, problem = _counted(source, duplicates, cache, progress)
    run = Run(corpus, task, cache=cache, **kwargs)
    run.note_problem(problem)
    return run


def _type_counts(run: Run, workers, progress, errors, tally: Tally) -> Tally:
    """``tally`` with every speech of ``run`` folded in, as its record arrives."""
    return tally.add_all(run(workers=workers, progress=progress, errors=errors, desc="计数 counting"), len(run.items))


# ====================================================================== public: tokens
def corpus_tokens(
    source,
    *,
    lexicon_files: Iterable[str | Path] = (),
    userdicts: Iterable[str | Path] = (),
    bundled_lexicon: bool = True,
    detect_slogans: bool = True,
    hmm: bool = True,
    tokenizer=None,
    workers: int | None = None,
    cache: bool | str | Path = True,
    progress: bool | None = None,
    errors: Errors = "raise",
) -> Iterator[tuple[CorpusItem, pd.DataFrame]]:
    """Each speech's token table, one speech at a time, in source order.

    The tables are those of :meth:`Tokenizer.tokens` (same tokens, tags, offsets into the
    speech's body and origins) without the ``paragraph``/``sentence`` columns:
    ``token, pos, start, end, origin``.

    Args:
        source: a :class:`~analysis_utils.scale.Corpus`, or a folder, a CSV/JSONL file, a
            speech file, or a list of them.
        lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm: the
            :class:`~analysis_utils.Tokenizer` options.
        tokenizer: a Tokenizer you built (e.g. after ``add_word``) instead of the options.
        workers: processes cutting speeches (default: all cores; 1 = this process only).
        cache: ``True`` = :func:`~analysis_utils.scale.cache.default_cache_dir`, a folder, or
            ``False`` for no cache.
        progress: a progress bar on stderr (``None`` = only on a terminal).
        errors: ``"raise"`` stops at the first unreadable speech (:class:`SpeechError`),
            ``"skip"`` leaves it out with a line on stderr.

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> item, tokens = next(corpus_tokens([SEED_SPEECH], cache=False, progress=False))
        >>> item.id, tokens.columns.tolist()
        ('party_building_conference_speech', ['token', 'pos', 'start', 'end', 'origin'])
    """
    run = Run(source, "tokens", options=_options(lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm),
               tokenizer=tokenizer, cache=cache)
    for item, payload in run(workers=workers, progress=progress, errors=errors, desc="分词 tokens"):
        yield item, decode_tokens(payload[1]).tokens()


def corpus_term_counts(
    source,
    *,
    lexicon_files: Iterable[str | Path] = (),
    userdicts: Iterable[str | Path] = (),
    bundled_lexicon: bool = True,
    detect_slogans: bool = True,
    hmm: bool = True,
    tokenizer=None,
    term_filter: TermFilter | None = None,
    stopwords=None,
    pos: Sequence[str] | None = None,
    min_len: int | None = None,
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
    terms: Iterable[str] | str | None = None,
    all_tokens: bool = False,
    plain: bool = False,
    workers: int | None = None,
    cache: bool | str | Path = True,
    progress: bool | None = None,
    errors: Errors = "raise",
    duplicates: Duplicates = "drop",
    scheduler=None,
) -> pd.DataFrame:
    """How often each term occurs as a token in each speech of a corpus (tidy, long).

    Counts what :func:`~analysis_utils.stats.frequency.term_frequency` counts on each speech's
    :meth:`Tokenizer.tokens`: no placeholders, punctuation, digits or stopwords; content
    words by tag; formulations whatever their length. ``all_tokens=True`` counts every
    token (punctuation and stopwords included) instead. With the cache on, the table itself
    is kept too: asking again about the same speeches with the same options reads it back.

    Args:
        source: a :class:`~analysis_utils.scale.Corpus`, or a folder, a CSV/JSONL file
            (``text`` column/key, optional ``id``), a speech file, or a list of them.
        lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm, tokenizer: how
            speeches are cut (as :class:`~analysis_utils.Tokenizer`).
        term_filter: which tokens count as terms (:class:`~analysis_utils.TermFilter`), as in
            ``term_frequency``; ``stopwords, pos, min_len, exclude, include`` are the same filters
            as separate arguments (kept for one release; give one or the other).
        terms: keep the counts of these terms only (the rows of the whole table whose term is
            one of them; a term the filter leaves out, e.g. a stopword, has none: add it to
            ``include``). Only these terms are kept per speech while the corpus is counted, so
            memory stays flat however large the corpus; ``None`` (the default) keeps every term,
            and the table, one row per speech and term, grows with the corpus.
        all_tokens: count every token, no filter.
        plain: count jieba's own words instead (:class:`PlainJieba`: ``jieba.lcut`` of each
            body with jieba's dictionary, no formulations, every token but white space), as
            ``collections.Counter(jieba.lcut(text))`` would; the tokenizer options and
            filters do not apply.
        workers, cache, progress, errors: see :func:`corpus_tokens`.
        duplicates: ``"drop"`` counts a speech published twice once (the later copy left out,
            named on stderr: :func:`counted_corpus`); ``"keep"`` counts every speech as given.
        scheduler: a Dask scheduler address (``"tcp://host:8786"``) or ``distributed.Client``: the
            speeches are cut on its workers, same table (:mod:`~analysis_utils.scale.cluster`).

    Returns:
        Columns ``speech_id, term, token_count``: one row per speech and term that occurs in it
        (of ``terms``, when given), speeches in source order, then count descending, then term.

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> corpus_term_counts([SEED_SPEECH], pos=["n"], cache=False, progress=False)["term"].head(3).tolist()
        ['干部', '人才', '基层']
        >>> corpus_term_counts([SEED_SPEECH], terms=["人才", "干部"], cache=False, progress=False)["token_count"].tolist()
        [21, 12]
    """
    opts = _options(lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm, plain)
    if plain:
        tokenizer, all_tokens = None, True
    run = _run(source, duplicates, "tokens", options=opts, tokenizer=tokenizer, cache=cache, progress=progress,
               scheduler=scheduler)
    filters = _term_filter(term_filter, stopwords, pos, min_len, exclude, include).to_kwargs()

    wanted = None if terms is None else list(dict.fromkeys([terms] if isinstance(terms, str) else terms))

    def compute():
        keep = counted_types(all_tokens=all_tokens, **filters)
        tally = Tally(keep, per_speech=True if wanted is None else wanted, spill=run.store.root)
        tc = _type_counts(run, workers, progress, errors, tally)
        return tc.term_counts(), tc.items, tc.shas, tc.complete

    params = {**filters, "all_tokens": all_tokens, **({} if wanted is None else {"terms": wanted})}
    return _memoised(run, "term_counts", params, compute)


def corpus_term_frequency(
    source,
    *,
    lexicon_files: Iterable[str | Path] = (),
    userdicts: Iterable[str | Path] = (),
    bundled_lexicon: bool = True,
    detect_slogans: bool = True,
    hmm: bool = True,
    tokenizer=None,
    term_filter: TermFilter | None = None,
    stopwords=None,
    pos: Sequence[str] | None = None,
    min_len: int | None = None,
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
    top_n: int | None = None,
    by_speech: bool = False,
    workers: int | None = None,
    cache: bool | str | Path = True,
    progress: bool | None = None,
    errors: Errors = "raise",
    duplicates: Duplicates = "drop",
    scheduler=None,
    top: int | None = None,  # deprecated alias of top_n, kept for one release
) -> pd.DataFrame:
    """One frequency list over a whole corpus (the fast path of ``corpus_frequency``).

    Args:
        source, lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm, tokenizer,
            stopwords, pos, min_len, exclude, include, workers, cache, progress, errors, duplicates,
            scheduler: as :func:`corpus_term_counts`.
        top_n: keep the first rows only (``None``: every term).
        by_speech: add one count column per speech. Without it the list is gathered per term as
            the speeches arrive (memory grows with the vocabulary, not with the corpus); with it,
            each term's count per speech is kept too, as the table asks.

    Returns:
        Columns ``term, pos, token_count, share, per_10k, rank, speeches`` as
        :func:`~analysis_utils.stats.frequency.term_frequency` defines them, computed over all speeches
        together (``per_10k`` per 10,000 Chinese characters of the corpus; ``speeches`` =
        how many speeches use the term). Sorted by token_count descending, then term; ``top_n``
        keeps the first rows. ``by_speech=True`` adds one count column per speech, named by
        its id, in source order (the wide table of ``corpus_frequency``).

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> corpus_term_frequency([SEED_SPEECH], top_n=2, cache=False, progress=False)[["term", "token_count", "speeches"]]
          term  token_count  speeches
        0   工作           27         1
        1   干部           21         1
    """
    top_n = top if top_n is None else top_n
    opts = _options(lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm)
    run = _run(source, duplicates, "tokens", options=opts, tokenizer=tokenizer, cache=cache, progress=progress,
               scheduler=scheduler)
    filters = _term_filter(term_filter, stopwords, pos, min_len, exclude, include).to_kwargs()

    def compute():
        tally = Tally(counted_types(**filters), per_speech=by_speech, spill=run.store.root)  # rows to a file there
        tc = _type_counts(run, workers, progress, errors, tally)
        table = tc.frequency()
        table = table.head(top_n).reset_index(drop=True) if top_n else table
        if by_speech:
            table = tc.with_speech_columns(table)
        return table, tc.items, tc.shas, tc.complete

    return _memoised(run, "term_frequency", {**filters, "top": top_n, "by_speech": by_speech}, compute)


# ====================================================================== public: substrings
class SubstringCounter:
    """Counts many terms in a text at once, each as ``str.count`` would.

    For each term: the number of non-overlapping occurrences found scanning left to right
    (``"哈哈哈".count("哈哈") == 1``), independently of the other terms (``人民`` inside
    ``人民群众`` counts for both). One Aho-Corasick automaton finds every occurrence of every
    term in one pass; per term the occurrences are then taken greedily left to right, which
    is what ``str.count`` does. With ``ahocorasick_rs`` (the default when installed) the scan
    runs over the UTF-8 bytes (a DFA), else ``pyahocorasick`` scans the ``str``; UTF-8 keeps
    matches on character boundaries and in the same order, so both count alike.

    Example:
        >>> SubstringCounter(["稳", "稳定", "哈哈"]).count("稳定稳中求进，哈哈哈")
        [2, 1, 1]
    """

    def __init__(self, terms: Iterable[str], *, backend: Literal["auto", "ahocorasick_rs", "pyahocorasick"] = "auto"):
        if backend not in ("auto", "ahocorasick_rs", "pyahocorasick"):
            raise ValueError(f"backend must be 'auto', 'ahocorasick_rs' or 'pyahocorasick', not {backend!r}")
        self.terms = list(dict.fromkeys(t for t in terms if t))
        self.backend = backend
        if backend in ("auto", "ahocorasick_rs"):
            try:
                self._rs = self._rust_automaton()
                self.backend = "ahocorasick_rs"
                return
            except ImportError:
                if backend == "ahocorasick_rs":
                    raise
        self.backend = "pyahocorasick"
        self._py = self._python_automaton()

    def _rust_automaton(self):
        import ahocorasick_rs as ar

        if not self.terms:
            return None
        return ar.BytesAhoCorasick([t.encode("utf-8", "surrogatepass") for t in self.terms],
                                   matchkind=ar.MatchKind.Standard, implementation=ar.Implementation.DFA)

    def _python_automaton(self):
        import ahocorasick

        ac = ahocorasick.Automaton()
        for i, t in enumerate(self.terms):
            ac.add_word(t, (i, len(t)))
        if self.terms:
            ac.make_automaton()
        return ac

    def count(self, text: str | bytes) -> list[int]:
        """One count per term (in the order of :attr:`terms`); ``text`` a str or UTF-8 bytes."""
        return self.counts(text).tolist()

    def counts(self, text: str | bytes) -> np.ndarray:
        """:meth:`count` as an int64 array. With ``ahocorasick_rs`` the scan runs without Python's
        GIL (threads count texts side by side) and the occurrences are counted by numpy; only a
        term that can overlap itself (``哈哈`` in ``哈哈哈``) is counted match by match.

        Example:
            >>> SubstringCounter(["稳", "哈哈"]).counts("稳稳哈哈哈").tolist()
            [2, 1]
        """
        n = len(self.terms)
        if not n or not text:
            return np.zeros(n, dtype=np.int64)
        if self.backend != "ahocorasick_rs":
            string = text.decode("utf-8", "surrogatepass") if isinstance(text, bytes) else text
            return self._greedy((i, end + 1 - m, end + 1) for end, (i, m) in self._py.iter(string))
        data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
        matches = self._rs.find_matches_as_indexes(data, overlapping=True)
        ids = np.fromiter(map(itemgetter(0), matches), dtype=np.intp, count=len(matches))
        counts = np.bincount(ids, minlength=n).astype(np.int64)
        if self._self_overlapping.any():
            own = np.flatnonzero(self._self_overlapping[ids])
            if len(own):  # non-overlapping occurrences of these terms: taken one by one
                counts[self._self_overlapping] = self._greedy(matches[j] for j in own)[self._self_overlapping]
        return counts

    @cached_property
    def _self_overlapping(self) -> np.ndarray:
        """Per term: whether two of its occurrences can overlap (a proper prefix is also a suffix)."""
        return np.array([any(t[:k] == t[-k:] for k in range(1, len(t))) for t in self.terms], dtype=bool)

    def _greedy(self, matches: Iterable[tuple[int, int, int]]) -> np.ndarray:
        """Per term, the occurrences ``(term, start, end)`` that do not overlap the one before."""
        n = len(self.terms)
        counts, free = [0] * n, [0] * n  # free[i]: where term i may next start
        for i, s, e in matches:
            if s >= free[i]:
                counts[i] += 1
                free[i] = e
        return np.array(counts, dtype=np.int64)


def _counted_bodies(counter: SubstringCounter, pairs: Iterable[tuple[CorpusItem, tuple]], threads: int,
                    batch_bytes: int = 1 << 20):
    """``(item, counts, han_chars)`` of each ``(item, ("body", utf8, han))``, in order: batches of
    bodies are counted in ``threads`` threads while the next ones are read (a few batches ahead)."""
    def count(batch):
        return [(item, counter.counts(body), han) for item, body, han in batch]

    with ThreadPoolExecutor(max(1, threads)) as pool:
        ahead: deque = deque()
        batch: list = []
        size = 0
        for item, (_, body, han) in pairs:
            batch.append((item, body, han))
            size += len(body)
            if size >= batch_bytes:
                ahead.append(pool.submit(count, batch))
                batch, size = [], 0
            if len(ahead) > 2 * threads:
                yield from ahead.popleft().result()
        ahead.append(pool.submit(count, batch))
        while ahead:
            yield from ahead.popleft().result()


def corpus_substring_counts(
    source,
    terms: Iterable[str] | None = None,
    *,
    zeros: bool = True,
    workers: int | None = None,
    cache: bool | str | Path = True,
    progress: bool | None = None,
    errors: Errors = "raise",
    duplicates: Duplicates = "drop",
    scheduler=None,
) -> pd.DataFrame:
    """How often each term occurs in each speech's body as a plain substring (no segmenting).

    The counts are :func:`~analysis_utils.stats.frequency.substring_counts`'s, speech by speech:
    ``speech.body.count(term)``, non-overlapping, each term on its own (see
    :class:`SubstringCounter`). Cleaned bodies are cached per file, so a rerun reads no
    speech through the loader again.

    Args:
        source: a :class:`~analysis_utils.scale.Corpus`, or a folder, a CSV/JSONL file, a
            speech file, or a list of them.
        terms: the terms; ``None`` = every phrase of the bundled lexicon.
        zeros: keep rows with count 0 (every speech × every term).
        workers, cache, progress, errors: see :func:`corpus_tokens`.
        duplicates, scheduler: see :func:`corpus_term_counts`.

    Returns:
        Columns ``speech_id, term, substring_count, per_10k`` (per 10,000 Chinese characters of the
        speech), speeches in source order, terms in the order given.

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> corpus_substring_counts([SEED_SPEECH], ["党建", "稳"], cache=False, progress=False)
                                  speech_id term  substring_count  per_10k
        0  party_building_conference_speech   党建               15    49.47
        1  party_building_conference_speech    稳                2     6.60
    """
    if terms is None:
        from ..lexicon import load_lexicon

        terms = load_lexicon().phrase
    counter = SubstringCounter([terms] if isinstance(terms, str) else terms)
    n = len(counter.terms)
    run = _run(source, duplicates, "body", cache=cache, progress=progress, scheduler=scheduler)
    pairs = run(workers=workers, progress=progress, errors=errors, desc="子串 substrings")
    ids, hans, found, counts = [], [], [], []  # per speech: the terms found and their counts
    for item, cnt, han in _counted_bodies(counter, pairs, min(4, _resolve_workers(workers))):
        ids.append(item.id)
        hans.append(han)
        nz = np.flatnonzero(cnt)
        found.append(nz.astype(np.int32))
        counts.append(cnt[nz])
    if zeros:
        mat = np.zeros((len(ids), n), dtype=np.int64)
        for i, (where, c) in enumerate(zip(found, counts)):
            mat[i, where] = c
        sp, tm = np.repeat(np.arange(len(ids)), n), np.tile(np.arange(n), len(ids))
        cnt = mat[sp, tm]
    else:  # speech order, then term order
        sp = np.repeat(np.arange(len(ids)), [len(f) for f in found])
        tm = np.concatenate(found) if found else np.zeros(0, np.int32)
        cnt = np.concatenate(counts) if counts else np.zeros(0, np.int64)
    han = np.maximum(1, np.array(hans, dtype=np.int64))
    return pd.DataFrame({
        "speech_id": np.array(ids, dtype=object)[sp] if len(sp) else np.array([], dtype=object),
        "term": np.array(counter.terms, dtype=object)[tm] if len(tm) else np.array([], dtype=object),
        "substring_count": cnt,
        "per_10k": (cnt * PER / han[sp]).round(2) if len(sp) else np.zeros(0),
    }, columns=SUBSTRING_COUNT_COLUMNS)


# ====================================================================== public: any per-speech table
def corpus_map(
    source,
    func,
    *,
    params: dict | None = None,
    workers: int | None = None,
    cache: bool | str | Path = True,
    progress: bool | None = None,
    errors: Errors = "raise",
    scheduler=None,
) -> Iterator[tuple[CorpusItem, pd.DataFrame]]:
    """``func(speech, **params)`` for every speech of a source, in source order, on all cores.

    ``func`` must be a module-level function of a loaded :class:`Speech` returning a
    DataFrame. Each result is cached per file (or row) content, ``params`` (tables and files
    by content) and the package's code and data, when its columns are strings and numbers.
    ``scheduler`` (as :func:`corpus_term_counts`) runs ``func`` on a Dask cluster's workers.

    Example:
        >>> from analysis_utils import SEED_SPEECH, slogan_counts
        >>> for item, df in corpus_map([SEED_SPEECH], slogan_counts, params={"kinds": "number"}, cache=False,
        ...                            progress=False):
        ...     print(item.id, df.columns[:2].tolist())
        party_building_conference_speech ['slogan', 'kind']
    """
    params = dict(params or {})
    run = Run(source, "map", options=Mapper(func, params, param_key(params)), cache=cache, scheduler=scheduler)
    for item, payload in run(workers=workers, progress=progress, errors=errors, desc="计算 per speech"):
        yield item, payload[1]


def _slogan_counts_job(speech, *, kinds, lexicon, overlap) -> pd.DataFrame:
    from ..slogans import slogan_counts

    df = slogan_counts(speech, kinds=kinds, lexicon=lexicon, overlap=overlap)
    return df[["slogan", "kind", "formulation_count"]].reset_index(drop=True)


def corpus_slogan_matrix(
    source,
    *,
    kinds: Iterable[str] | str | None = None,
    lexicon=None,
    overlap: Literal["longest", "all"] = "all",
    workers: int | None = None,
    cache: bool | str | Path = True,
    progress: bool | None = None,
    errors: Errors = "raise",
    duplicates: Duplicates = "drop",
    scheduler=None,
) -> pd.DataFrame:
    """The slogan × speech table of :func:`~analysis_utils.slogans.hits.slogan_matrix`, on all cores
    and cached per speech (a rerun only counts the speeches that changed); ``duplicates`` and
    ``scheduler`` as in :func:`corpus_term_counts`.

    Returns:
        Columns ``slogan, kind, total, speeches``, then one count column per speech named by
        its id, in source order. Sorted by kind, total descending, then slogan.

    Example:
        >>> from analysis_utils import SEED_SPEECH
        >>> m = corpus_slogan_matrix([SEED_SPEECH], kinds="number", cache=False, progress=False)
        >>> m.columns.tolist()
        ['slogan', 'kind', 'formulation_count', 'speeches', 'party_building_conference_speech']
    """
    from ..slogans import KINDS, matrix_from_counts
    from ..slogans import check_kinds as _check_kinds
    from ..slogans import resolve_lexicon as _resolve_lexicon

    kinds = _check_kinds(KINDS if kinds is None else kinds)
    params = {"kinds": list(kinds), "lexicon": _resolve_lexicon(lexicon), "overlap": overlap}
    counts, ids = [], []
    for item, df in corpus_map(counted_corpus(source, duplicates, cache=cache, progress=progress), _slogan_counts_job, params=params, workers=workers, cache=cache,
                               progress=progress, errors=errors, scheduler=scheduler):
        ids.append(item.id)
        counts.append(df.assign(speech=item.id))
    return matrix_from_counts(counts, ids)
