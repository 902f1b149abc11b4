"""One pass over a corpus on all cores: what the cache already holds, then every speech in order.

Speeches are cut in worker processes (one Tokenizer each, created when the worker starts, or
inherited from this process with ``fork``), one speech at a time, so memory stays flat: only one
speech's tokens per worker are in memory at a time. Small jobs stay in this process (a worker
costs about a second to start). The corpus functions of :mod:`analysis_utils.scale.engine` are
built on :class:`Run`.

Nothing is lost and nothing hangs: a worker that dies (killed, out of memory) loses only the
speech it was on, which is given once more to a new worker and then, if that one dies too,
reported as an error of that speech while the others are counted. Workers leave Ctrl-C to
this process, which stops them at once; they die with it, ``kill -9`` included. A token cache
that cannot be written is reported once on stderr and the pass goes on without it.
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import util as mp_util
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ..errors import SpeechError
from .cache import (
    Plan,
    StatIndex,
    Store,
    TagMemo,
    body_sha_of,
    decode_body,
    default_cache_dir,
    encode_body,
    encode_tokens,
    foreign_folder,
    hash_obj,
    loader_fingerprint,
    package_digest,
    read,
    tokenizer_fingerprint,
    valid_tokens,
)
from .frames import load_frame, save_frame
from .segmenter import PlainJieba, TokenizerOptions, fast_twin
from .sources import CorpusItem, Errors, as_corpus, load_item

Task = Literal["tokens", "body", "map"]
Job = tuple[CorpusItem, "str | None"]   # a speech and the content hash of its file or row
#: ``(index, payload, cache problem)``: what a worker gives back for a job
Result = tuple[int, Any, "str | None"]
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
        self._memo: TagMemo | None = None

    @property
    def tok(self):
        if self._tok is None:
            assert isinstance(self.options, TokenizerOptions)
            self._tok = _tokenizer_for(self.options, self.store)
        return self._tok

    @property
    def memo(self) -> TagMemo:
        """Where this engine's tokenizer keeps the tags it worked out (saved when it is done)."""
        if self._memo is None:
            self._memo = _tag_memo(self.store)
            weakref.finalize(self, self._memo.save, self.tok)
        return self._memo

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
        self.store.put(bpath, data)
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
                data = encode_tokens(self.tok.cut_table(text, pos=True), han)
                self.memo.save(self.tok, every=_SAVE_TAGS_EVERY)
            self.store.put(tpath, data)
        return data

    def map(self, item: CorpusItem, rawkey: str | None):
        try:
            speech = load_item(item)
        except SpeechError as e:
            return "error", str(e)
        assert isinstance(self.options, Mapper)
        df = self.options.func(speech, **self.options.params)
        if self.store.problem is None:
            self.store.problem = save_frame(self.store.map_path(rawkey) if rawkey else None, df, keep=None)
        return "frame", df


@lru_cache(maxsize=1)
def _build_tokenizer(options: TokenizerOptions, fingerprint: str | None):
    """One fast tokenizer per options (and fingerprint: a changed lexicon file makes a new one)."""
    return options.build()


def _tokenizer_for(options: TokenizerOptions, store: Store):
    """The fast tokenizer of ``options``, with the part-of-speech tags remembered in ``store``'s
    cache (:class:`TagMemo`): made and given them in this process, before workers fork."""
    tok = _build_tokenizer(options, store.token_fp)
    if not isinstance(tok, PlainJieba):
        _tag_memo(store).load(tok)
        # what every cut needs once per process (the number-slogan tagger's table, the
        # tagger's model, rjieba's first call) is made here, before workers fork
        tok.cut_table(_WARM_UP)
    return tok


#: A text whose cut sets up everything a cut needs once per process (see _tokenizer_for).
_WARM_UP = "做到两个巩固。涧贤镇2015年GDP增长5%"


def _tag_memo(store: Store) -> TagMemo:
    """The tag memo of the tokenizer whose records ``store`` keeps (none without a cache)."""
    return TagMemo(Path(store.root) / store.token_fp / "tags" if store.root and store.token_fp else None)


#: A worker saves the tags it worked out once it has this many new ones, and when it ends.
_SAVE_TAGS_EVERY = 2000


_ENGINE: _Engine | None = None  # the engine of a worker process


def _init_worker(task: Task, store: Store, options: TokenizerOptions | Mapper | None, inherited: bool) -> None:
    global _ENGINE
    if not inherited:  # else: the parent's engine, tokenizer included, came with fork
        _ENGINE = _Engine(task, store, options)
        if task == "tokens":
            _ = _ENGINE.tok  # one Tokenizer per worker, made now rather than on the first speech
    if task == "tokens" and _ENGINE is not None:
        mp_util.Finalize(None, _save_tags, args=(_ENGINE,), exitpriority=10)  # when the worker ends


def _save_tags(engine: _Engine) -> None:
    """Save the tags ``engine``'s tokenizer worked out and has not saved yet."""
    if engine._tok is not None and not isinstance(engine._tok, PlainJieba):
        engine.memo.save(engine._tok)


def _work(job: Job) -> Result:
    assert _ENGINE is not None
    index, payload = _ENGINE.process(job)
    return index, payload, _ENGINE.store.problem


# ====================================================================== worker processes
def _serve(conn: Connection, parent: int, initargs: tuple) -> None:
    """A worker process: set up, then one job at a time from ``conn`` until told to stop."""
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is the parent's: it stops the workers
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: temporary files are removed
    _init_worker(*initargs)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            reply: tuple[bool, Any] = (True, _work(job))
        except Exception as e:  # a bug, not a bad speech (that is an "error" payload): raised in the parent
            reply = (False, e)
        try:
            conn.send(reply)
        except Exception as e:  # an exception that cannot be pickled
            conn.send((False, RuntimeError(f"{type(e).__name__}: {e}")))


def _die_with(parent: int) -> None:
    """End this process when ``parent`` ends, however it ends (``kill -9`` included)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError, TypeError):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it ended before this process got here
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


#: A speech given to a ``corpus_map`` function counts as this many times its bytes (slow per byte).
MAP_WEIGHT = 20

#: Jobs a worker holds at once: the one it works on and the next, waiting in its pipe, so that it
#: does not sit idle while this process, folding a result in, has yet to give it another.
_QUEUED = 2


class _Workers:
    """Worker processes, results in the order of the jobs; each holds up to :data:`_QUEUED` jobs.

    A job whose worker dies working on it is given once more, to a new worker; if that one dies
    too, the job's result is ``lost(job, how)``. The jobs waiting behind it are given again as they
    were (they did not kill it). :meth:`close` stops them all.
    """

    def __init__(self, ctx, n: int, initargs: tuple, lost: Callable[[Job, str], Result]):
        self.ctx, self.initargs, self.lost = ctx, initargs, lost
        self.procs: dict[Connection, Any] = {}
        self.held: dict[Connection, deque[tuple[int, Job, int]]] = {}  # (position, job, tries), in the order given
        for _ in range(n):
            self._spawn()

    def _spawn(self) -> None:
        here, there = self.ctx.Pipe()
        proc = self.ctx.Process(target=_serve, args=(there, os.getpid(), self.initargs), daemon=True)
        proc.start()
        there.close()
        self.procs[here] = proc
        self.held[here] = deque()

    def _replace(self, conn: Connection) -> str:
        """Put a dead worker's process away, start another; how the dead one ended."""
        proc = self.procs.pop(conn)
        del self.held[conn]
        conn.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
        self._spawn()
        code = proc.exitcode or 0
        try:
            return f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        except ValueError:
            return f"killed by signal {-code}"

    def _died(self, conn: Connection, done: dict, retry: deque) -> None:
        """A worker died: the job it was on is given again (or lost, the second time), then the ones behind it."""
        held = list(self.held[conn])
        how = self._replace(conn)
        retry.extendleft(reversed(held[1:]))
        if held:
            position, job, tries = held[0]
            if tries:
                done[position] = self.lost(job, how)
            else:
                retry.appendleft((position, job, tries + 1))

    def results(self, jobs: Iterator[Job]) -> Iterator[Result]:
        """The result of every job, in order; workers run ahead by at most four jobs each."""
        todo = enumerate(jobs)
        retry: deque[tuple[int, Job, int]] = deque()   # (position, job, tries) to give again
        done: dict[int, Result] = {}
        taken = out = 0
        ahead = 4 * len(self.procs)
        while True:
            for depth in range(_QUEUED):  # each worker one job, then each a second one
                for conn in [c for c, q in self.held.items() if len(q) == depth]:
                    task = retry.popleft() if retry else None
                    if task is None and taken < out + ahead:
                        nxt = next(todo, None)
                        task = None if nxt is None else (nxt[0], nxt[1], 0)
                        taken += nxt is not None
                    if task is None:
                        break
                    try:
                        conn.send(task[1])
                    except OSError:  # it died: this job (never given) and its own go to other ones
                        retry.appendleft(task)
                        self._died(conn, done, retry)
                        continue
                    self.held[conn].append(task)
            if out in done:
                yield done.pop(out)
                out += 1
                continue
            if not any(self.held.values()):
                return
            self._collect(done, retry)

    def _collect(self, done: dict, retry: deque) -> None:
        """Wait for a worker to answer or die; file its result, or give its jobs again."""
        busy = [c for c, q in self.held.items() if q]
        ready = set(wait_for([*busy, *(self.procs[c].sentinel for c in busy)]))
        for conn in [c for c in busy if c in ready or self.procs[c].sentinel in ready]:
            try:
                reply = conn.recv() if conn.poll() else None
            except (EOFError, OSError):
                reply = None
            if reply is None:  # the worker died with its job
                self._died(conn, done, retry)
                continue
            position, _, _ = self.held[conn].popleft()  # a worker answers its jobs in the order given
            ok, value = reply
            if not ok:
                raise value
            done[position] = value

    def close(self) -> None:
        """Stop every worker: idle ones are told to, busy ones are terminated (then killed)."""
        for conn, proc in self.procs.items():
            try:
                if not self.held[conn]:
                    conn.send(None)
                else:
                    proc.terminate()
            except OSError:
                pass
        for conn, proc in self.procs.items():
            proc.join(timeout=2)
            if proc.is_alive():
                proc.kill()
                proc.join()
            conn.close()
        self.procs.clear()
        self.held.clear()


def _say(line: str) -> None:
    """One line on stderr (above a progress bar, if one is showing)."""
    from tqdm.auto import tqdm

    tqdm.write(line, file=sys.stderr)


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
        quiet: say nothing on stderr (no cache warning, no skipped speech): a pass before the
            real one, which says it.
        scheduler: a Dask scheduler address (``"tcp://host:8786"``) or ``distributed.Client``:
            the speeches to do go to its workers (:mod:`~analysis_utils.scale.cluster`) instead
            of local processes.
    """

    def __init__(self, source, task: Task, *, options: TokenizerOptions | Mapper | None = None,
                 tokenizer=None, cache: bool | str | Path = True, quiet: bool = False, scheduler=None):
        self._warned, self.quiet = False, quiet
        self.scheduler = scheduler  # a Dask scheduler address or Client: jobs go there (scale.cluster)
        self.corpus = as_corpus(source)
        self.task = task
        self.options = options
        self.tokenizer = fast_twin(tokenizer) if tokenizer is not None else None
        self.fingerprint = self._fingerprint(tokenizer)
        root = default_cache_dir() if cache is True else (Path(cache) if cache else None)
        foreign = foreign_folder(root) if root is not None else None
        if foreign is not None:
            if not quiet:
                _say(f"warning: not using the token cache {root} ({foreign}): continuing without it")
            root = None
        self.store = Store(root, self.fingerprint if task == "tokens" else None, self.fingerprint if task == "map" else None)
        self.items: list[CorpusItem] = list(self.corpus)  # no text kept
        stats = StatIndex(root)
        self.plans: list[Plan] = [self._plan(stats, item) for item in self.corpus.stream()]
        self.note_problem(stats.save())

    def note_problem(self, problem: str | None) -> None:
        """Say once, on stderr, that the cache could not be written and why; nothing more is
        written to it in this pass (what it holds is still read)."""
        if problem is None or self._warned:
            return
        self._warned = True
        self.store.problem = self.store.problem or problem
        if not self.quiet:
            _say(f"warning: cannot write the token cache {self.store.root} ({problem}): continuing without it")

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
        if self.task == "body":  # the record is checked when read (a damaged one is made again then): opened once
            return Plan(rawkey, size, bpath if (bpath and bpath.is_file()) else None, None, None)
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
                if i in todo:
                    payload, problem = next(results)
                else:
                    payload, problem = self._known(i), self.store.problem
                self.note_problem(problem)
                if payload[0] == "error":
                    if errors == "raise":
                        raise SpeechError(None, payload[1])
                    if not self.quiet:
                        bar.write(f"skipped: {payload[1]}", file=sys.stderr)
                else:
                    yield item, payload
                bar.update(1)
        finally:
            bar.close()
            if pool is not None:
                pool.close()

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

    def _start(self, todo: set[int], workers: int | None) -> tuple[Iterator, Any]:
        """``((payload, cache problem) of the speeches in todo, in order; the workers or None)``."""
        jobs = ((item, self.plans[item.index].rawkey) for item in self.corpus.stream() if item.index in todo)
        if self.scheduler is not None:  # a Dask cluster (reached, and told, even with nothing to do)
            from .cluster import ClusterJobs

            cluster = ClusterJobs(self.scheduler, self.task, self.store, self.options, self.tokenizer, self.fingerprint)
            return _in_order(cluster.results(jobs), sorted(todo)), cluster
        if not todo:
            return iter(()), None
        n_workers = min(_resolve_workers(workers), len(todo))
        todo_bytes = sum(self.plans[i].size for i in todo) * (MAP_WEIGHT if self.task == "map" else 1)
        fork = "fork" in mp.get_all_start_methods()
        pool = None
        if n_workers <= 1 or todo_bytes < PARALLEL_MIN_BYTES or (self.tokenizer is not None and not fork):
            engine = self._engine()
            results: Iterator[Result] = ((*engine.process(job), engine.store.problem) for job in jobs)
        else:
            pool = self._pool(n_workers, fork)
            results = pool.results(jobs)
        return _in_order(results, sorted(todo)), pool

    def _lost(self, job: Job, how: str) -> Result:
        """The result of a speech whose worker died on it twice."""
        item = job[0]
        problem = f"a worker process died on it, twice ({how})"
        return item.index, ("error", str(SpeechError(item.label, problem))), None

    def _pool(self, n_workers: int, fork: bool) -> _Workers:
        global _ENGINE
        if fork:
            # Workers are forked from this process with its engine: the tokenizer is made
            # once, here, and shared copy-on-write (frozen out of the garbage collector's
            # way), which saves a second per worker on every run after the first and
            # several hundred MB. Without fork, each worker makes its own when it starts.
            tok = self.tokenizer
            if tok is None and self.task == "tokens":
                assert isinstance(self.options, TokenizerOptions)
                tok = _tokenizer_for(self.options, self.store)
            _ENGINE = _Engine(self.task, self.store, self.options, tok)
            gc.collect()
            gc.freeze()
        ctx = mp.get_context("fork" if fork else None)
        try:
            return _Workers(ctx, n_workers, (self.task, self.store, self.options, fork or self.tokenizer is not None),
                            self._lost)
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


def _in_order(results: Iterator[Result], indices: list[int]) -> Iterator[tuple[Any, str | None]]:
    """``(payload, cache problem)`` of each of ``results``, checked to come in order."""
    for i, (j, payload, problem) in zip(indices, results):
        assert j == i, (j, i)
        yield payload, problem
