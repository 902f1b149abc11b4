"""One pass over a corpus on all cores: what the cache already holds, then every speech in order.

Speeches are cut in worker processes (one Tokenizer each, created when the worker starts, or
inherited from this process with ``fork``), fed in chunks so memory stays flat: only one
speech's tokens per worker are in memory at a time. Small jobs stay in this process (a worker
costs about a second to start). The corpus functions of :mod:`analysis_utils.scale.engine` are
built on :class:`Run`.
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd

from ..errors import SpeechError
from .cache import (
    Plan,
    StatIndex,
    Store,
    body_sha_of,
    decode_body,
    default_cache_dir,
    encode_body,
    encode_tokens,
    hash_obj,
    load_frame,
    loader_fingerprint,
    package_digest,
    read,
    save_frame,
    tokenizer_fingerprint,
    valid_tokens,
    write,
)
from .segmenter import PlainJieba, TokenizerOptions, fast_twin
from .sources import CorpusItem, Errors, as_corpus, load_item

Task = Literal["tokens", "body", "map"]
#: Below this many bytes to load or cut, one process does it (workers cost a second each).
PARALLEL_MIN_BYTES = 1_500_000


@dataclass(frozen=True, eq=False)
class Mapper:
    """A function of one :class:`Speech` returning a table, with what its result depends on."""

    func: Callable[..., pd.DataFrame]  # a module-level function (workers receive it by name)
    params: dict
    key: str                           # the params, hashed (tables and files by content)

    @property
    def fingerprint(self) -> str:
        return hash_obj({"func": f"{self.func.__module__}.{self.func.__qualname__}", "params": self.key,
                         "code": package_digest(), "loader": loader_fingerprint()})


class _Engine:
    """Loads, cuts and caches one speech at a time (in a worker, or in the main process)."""

    def __init__(self, task: Task, store: Store, options: TokenizerOptions | Mapper | None, tokenizer=None):
        self.task = task
        self.store = store
        self.options = options
        self._tok = tokenizer

    @property
    def tok(self):
        if self._tok is None:
            assert isinstance(self.options, TokenizerOptions)
            self._tok = _tokenizer_for(self.options, self.store.token_fp)
        return self._tok

    def process(self, job: tuple[CorpusItem, str | None]):
        """``(index, payload)``: ``("tokens", record, body sha)``, ``("body", utf8, han)``,
        ``("frame", table)`` or ``("error", message)``."""
        item, rawkey = job
        if self.task == "map":
            return item.index, self.map(item, rawkey)
        try:
            body, han, sha = self.body(item, rawkey)
        except SpeechError as e:
            return item.index, ("error", str(e))
        if self.task == "body":
            return item.index, ("body", body, han)
        return item.index, ("tokens", self.tokens(body, han, sha), sha)

    def body(self, item: CorpusItem, rawkey: str | None) -> tuple[bytes, int, str]:
        """(body as UTF-8, han_chars, body sha) of a speech, from the cache or the loader."""
        bpath = self.store.body_path(rawkey) if rawkey else None
        cached = decode_body(read(bpath))
        if cached is not None:
            return cached
        speech = load_item(item)
        data = encode_body(speech.body, speech.han_chars)
        if bpath:
            write(bpath, data)
        loaded = decode_body(data)
        assert loaded is not None
        return loaded

    def tokens(self, body: bytes, han: int, sha: str) -> bytes:
        """The token record of a body, from the cache or cut now."""
        tpath = self.store.token_path(sha)
        data = valid_tokens(read(tpath))
        if data is None:
            text = body.decode("utf-8", "surrogatepass")
            if isinstance(self.tok, PlainJieba):  # counts only
                data = self.tok.record(text, han)
            else:
                data = encode_tokens(self.tok.cut(text, pos=True), han)
            if tpath:
                write(tpath, data)
        return data

    def map(self, item: CorpusItem, rawkey: str | None):
        try:
            speech = load_item(item)
        except SpeechError as e:
            return "error", str(e)
        assert isinstance(self.options, Mapper)
        df = self.options.func(speech, **self.options.params)
        save_frame(self.store.map_path(rawkey) if rawkey else None, df, keep=None)
        return "frame", df


@lru_cache(maxsize=1)
def _tokenizer_for(options: TokenizerOptions, fingerprint: str | None):
    """One fast tokenizer per options (and fingerprint: a changed lexicon file makes a new one)."""
    return options.build()


_ENGINE: _Engine | None = None  # the engine of a worker process


def _init_worker(task: Task, store: Store, options: TokenizerOptions | Mapper | None, inherited: bool) -> None:
    global _ENGINE
    if not inherited:  # else: the parent's engine, tokenizer included, came with fork
        _ENGINE = _Engine(task, store, options)
        if task == "tokens":
            _ = _ENGINE.tok  # one Tokenizer per worker, made now rather than on the first speech


def _work(job):
    assert _ENGINE is not None
    return _ENGINE.process(job)


def _progress(total: int | None, progress: bool | None, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="speech", file=sys.stderr, dynamic_ncols=True,
                disable=None if progress is None else not progress, mininterval=0.5)


def _resolve_workers(workers: int | None) -> int:
    if workers is None:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:
            return max(1, os.cpu_count() or 1)
    return max(1, int(workers))


class Run:
    """One pass over a source: what is cached (planned when made), then every speech in order
    (when called).

    Args:
        source: anything :class:`~analysis_utils.scale.Corpus` takes, or a Corpus.
        task: ``tokens`` (token records), ``body`` (cleaned bodies) or ``map`` (a table per
            speech, ``options`` a :class:`Mapper`).
        options: the :class:`TokenizerOptions` of ``tokens`` (unless ``tokenizer`` is given).
        tokenizer: a Tokenizer you built, used instead of ``options``.
        cache: ``True`` = :func:`default_cache_dir`, a folder, or ``False`` for no cache.
    """

    def __init__(self, source, task: Task, *, options: TokenizerOptions | Mapper | None = None,
                 tokenizer=None, cache: bool | str | Path = True):
        self.corpus = as_corpus(source)
        self.task = task
        self.options = options
        self.tokenizer = fast_twin(tokenizer) if tokenizer is not None else None
        self.fingerprint = self._fingerprint(tokenizer)
        root = default_cache_dir() if cache is True else (Path(cache) if cache else None)
        self.store = Store(root, self.fingerprint if task == "tokens" else None, self.fingerprint if task == "map" else None)
        self.items: list[CorpusItem] = list(self.corpus)  # no text kept
        stats = StatIndex(root)
        self.plans: list[Plan] = [self._plan(stats, item) for item in self.corpus.stream()]
        stats.save()

    def _fingerprint(self, tokenizer) -> str:
        if self.task == "tokens" and tokenizer is not None:
            return tokenizer_fingerprint(tokenizer)
        if self.task in ("tokens", "map"):
            assert self.options is not None, f"the {self.task} task needs options"
            return self.options.fingerprint() if isinstance(self.options, TokenizerOptions) else self.options.fingerprint
        return loader_fingerprint()

    def _plan(self, stats: StatIndex, item: CorpusItem) -> Plan:
        """What the cache holds for one speech (its text hashed; no speech loaded)."""
        try:
            rawkey, size = stats.rawkey(item)
        except SpeechError as e:
            return Plan(None, 0, None, None, None, str(e))
        if self.task == "map":
            mpath = self.store.map_path(rawkey)
            return Plan(rawkey, size, None, None, mpath if (mpath and mpath.exists()) else None)
        bpath = self.store.body_path(rawkey)
        sha = body_sha_of(bpath) if bpath is not None else None
        tpath = self.store.token_path(sha) if (sha is not None and self.task == "tokens") else None
        return Plan(rawkey, size, bpath if sha is not None else None, sha, tpath if (tpath and tpath.exists()) else None)

    def cached(self, i: int) -> bool:
        p = self.plans[i]
        return p.error is None and (p.body_path is not None if self.task == "body" else p.token_path is not None)

    @property
    def all_cached(self) -> bool:
        return all(self.cached(i) for i in range(len(self.plans)))

    def _engine(self) -> _Engine:
        return _Engine(self.task, self.store, self.options, self.tokenizer)

    def __call__(self, *, workers: int | None, progress: bool | None, errors: Errors, desc: str):
        """Yield ``(item, payload)`` for every speech, in source order (payload as ``_Engine.process``)."""
        if errors not in ("raise", "skip"):
            raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
        todo = {i for i, p in enumerate(self.plans) if p.error is None and not self.cached(i)}
        results, pool = self._start(todo, workers)
        bar = _progress(len(self.items), progress, desc)
        try:
            for i, item in enumerate(self.items):
                payload = next(results) if i in todo else self._known(i)
                if payload[0] == "error":
                    if errors == "raise":
                        raise SpeechError(None, payload[1])
                    bar.write(f"skipped: {payload[1]}", file=sys.stderr)
                else:
                    yield item, payload
                bar.update(1)
        finally:
            bar.close()
            if pool is not None:
                pool.terminate()
                pool.join()

    def _known(self, i: int):
        """The payload of a speech that needs no worker: an error found when planning, or the
        cache (redone here if the record vanished or was damaged since)."""
        plan = self.plans[i]
        if plan.error is not None:
            return "error", plan.error
        payload = self._cached_payload(plan)
        if payload is None:
            item = next(it for it in self.corpus.stream() if it.index == i)
            payload = self._engine().process((item, plan.rawkey))[1]
        return payload

    def _start(self, todo: set[int], workers: int | None):
        """``(payloads of the speeches in todo, in order; the pool or None)``."""
        if not todo:
            return iter(()), None
        jobs = ((item, self.plans[item.index].rawkey) for item in self.corpus.stream() if item.index in todo)
        n_workers = min(_resolve_workers(workers), len(todo))
        todo_bytes = sum(self.plans[i].size for i in todo) * (20 if self.task == "map" else 1)  # map: slow per byte
        fork = "fork" in mp.get_all_start_methods()
        if n_workers <= 1 or todo_bytes < PARALLEL_MIN_BYTES or (self.tokenizer is not None and not fork):
            results: Iterator = map(self._engine().process, jobs)
            pool = None
        else:
            pool = self._pool(n_workers, fork)
            results = pool.imap(_work, jobs, chunksize=2)
        return _in_order(results, sorted(todo)), pool

    def _pool(self, n_workers: int, fork: bool):
        global _ENGINE
        if fork:
            # Workers are forked from this process with its engine: the tokenizer is made
            # once, here, and shared copy-on-write (frozen out of the garbage collector's
            # way), which saves a second per worker on every run after the first and
            # several hundred MB. Without fork, each worker makes its own when it starts.
            tok = self.tokenizer
            if tok is None and self.task == "tokens":
                assert isinstance(self.options, TokenizerOptions)
                tok = _tokenizer_for(self.options, self.store.token_fp)
            _ENGINE = _Engine(self.task, self.store, self.options, tok)
            gc.collect()
            gc.freeze()
        ctx = mp.get_context("fork" if fork else None)
        try:
            return ctx.Pool(n_workers, initializer=_init_worker,
                            initargs=(self.task, self.store, self.options, fork or self.tokenizer is not None))
        finally:
            gc.unfreeze()  # the workers have their copy; this process collects as usual

    def _cached_payload(self, plan: Plan):
        if self.task == "map":
            df = load_frame(plan.token_path)
            return None if df is None else ("frame", df)
        if self.task == "body":
            body = decode_body(read(plan.body_path))
            return None if body is None else ("body", body[0], body[1])
        data = valid_tokens(read(plan.token_path))
        return None if data is None else ("tokens", data, plan.body_sha)


def _in_order(results: Iterator, indices: list[int]) -> Iterator:
    """The payloads of ``results`` (``(index, payload)`` pairs), checked to come in order."""
    for i, (j, payload) in zip(indices, results):
        assert j == i, (j, i)
        yield payload
