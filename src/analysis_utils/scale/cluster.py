"""The corpus path on a Dask cluster: the same pass as :mod:`~analysis_utils.scale.pool`, its
speeches cut by the workers of a ``dask.distributed`` scheduler instead of local processes.

Give a scheduler address (``"tcp://host:8786"``) or a :class:`distributed.Client` as
``scheduler=`` to a corpus function (``corpus_term_counts``, ``corpus_term_frequency``,
``corpus_substring_counts``, ``corpus_map``, ``corpus_slogan_matrix``) or ``--scheduler`` on the
command line; the tables are those of the local pool, row for row. Nothing here is cluster code
of our own: the client submits one task per batch of consecutive speeches (:func:`batches`, about
:data:`BATCH_BYTES` of text each: Dask's cost per task is paid per batch; ``Client.submit``, at
most :data:`AHEAD_PER_THREAD` per worker thread ahead, collected with ``as_completed``) and a
:class:`distributed.WorkerPlugin` builds the tokenizer once per worker, in ``setup``.

* Workers load, clean, cut and count; for term counts they send back the speech's type counts
  (the record the parent counts from), never its token sequence; for substring counts, its
  cleaned body (the parent's one automaton counts it at a few hundred MB/s). ``corpus_tokens``
  (token tables, sequences by nature) and the near-duplicate scan (``duplicates="drop"``, the
  default; loading only) stay on this machine.
* On one machine, :func:`local_cluster` forks the workers once the tokenizer is made, so they
  share it as the local pool's workers do; a plain ``LocalCluster`` spawns workers that each
  import the package and make their own (about twice the memory).
* The workers read the speeches at the paths this process lists (relative paths made absolute)
  and use the token cache folder this process uses. On a shared file system the cache works as
  it does locally: a speech cut by a worker is not cut again by the next run, on the cluster or
  on this machine. Without one, a file a worker cannot read is that speech's error (``no such
  file``), and each worker keeps its own cache at that path, which this process does not see:
  the next run cuts every speech again (the tables are the same; it is only slower). Rows of a
  CSV/JSONL table travel with their text and need no shared files.
* A bad speech comes back as that speech's error, in the same one-line message as locally (the
  other speeches of its batch are counted); a speech whose workers died on it (Dask's
  ``allowed-failures`` tries on its batch, then once more on its own) is reported as an error of
  that speech while the others are counted.
* A scheduler that cannot be reached is a :class:`~analysis_utils.errors.SpeechError` naming the
  address (the CLI prints it on one line and exits 2). The wait is Dask's connect timeout
  (``distributed.comm.timeouts.connect``, 30 s unless configured).
"""
from __future__ import annotations

import os
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from distributed import Client, WorkerPlugin, as_completed, get_worker
from distributed.client import FutureCancelledError
from distributed.comm import get_address_host_port, parse_address
from distributed.comm.addressing import normalize_address
from distributed.scheduler import KilledWorker

from ..errors import SpeechError
from .cache import Store, counts_only, hash_obj
from .pool import MAP_WEIGHT, _Engine
from .segmenter import TokenizerOptions

#: Tasks in flight per worker thread: one running, one waiting on the worker, one on its way.
AHEAD_PER_THREAD = 3
#: A task carries consecutive speeches up to this many bytes of text (one larger speech alone)
#: and at most :data:`BATCH_SPEECHES` of them: Dask's cost per task (the scheduler's and the
#: worker's bookkeeping, a round trip for the result) is paid per batch, not per speech, while
#: a batch is short enough (a tenth of a second of cutting) for the workers to end together.
BATCH_BYTES = 256_000
BATCH_SPEECHES = 64


class EnginePlugin(WorkerPlugin):
    """Builds one speech engine (its tokenizer included) per worker, in :meth:`setup`.

    Registered under a name made from the task, the options and the cache folder, as
    idempotent: a second count with the same options on the same cluster reuses it.
    """

    idempotent = True

    def __init__(self, task, store: Store, options, tokenizer=None):
        self.task, self.store, self.options, self.tokenizer = task, store, options, tokenizer
        self.engine: Any = None
        self.lock = threading.Lock()
        self.run_id: str | None = None

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k not in ("engine", "lock")}

    def __setstate__(self, state):
        self.__dict__.update(state, engine=None, lock=threading.Lock())

    def setup(self, worker) -> None:
        tok = self.tokenizer
        if tok is None and isinstance(self.options, TokenizerOptions):  # made before this worker was forked?
            tok = _PREBUILT.get(self.options)
        self.engine = _Engine(self.task, self.store, self.options, tok)
        if self.task == "tokens":
            _ = self.engine.tok  # the tokenizer now, once per worker, not on the first speech
        SETUPS.append(worker.address)

    def teardown(self, worker) -> None:
        self.engine = None


#: Dask's settings for :func:`local_cluster` (the rest as configured): less periodic work.
QUIET = {"distributed.worker.profile.enabled": False, "distributed.admin.system-monitor.interval": "5s",
         "distributed.admin.tick.interval": "1s"}
#: Addresses of the workers of this process whose plugin ran ``setup`` (a test counts them).
SETUPS: list[str] = []
#: Tokenizers made by :func:`local_cluster` before it forked the workers, by their options.
_PREBUILT: dict[TokenizerOptions, Any] = {}


def local_cluster(n_workers: int | None = None, *, options: TokenizerOptions | None = None, **kwargs):
    """A :class:`distributed.LocalCluster` of worker processes forked from this one once the
    tokenizer of ``options`` (default: the default one) is made here, so that they share its
    memory (as the local pool's workers do) instead of each making its own.

    The same cluster as ``LocalCluster(n_workers, threads_per_worker=1, processes=True)`` with
    Dask's ``fork`` start method; its plugin finds the tokenizer ready. Counts with other options
    make theirs in each worker, as on any cluster. Use it as a context manager and pass it (or
    ``Client(cluster)``) as ``scheduler=``.

    Dask's periodic work that serves its dashboard and its memory limits is left out or made rare,
    as it costs CPU the whole time the cluster is up (idle, 0.9 CPU s per 20 s with Dask's defaults
    on two workers, 0.2 without): no statistical profiler (a stack sample every 10 ms), the
    system monitor every 5 s instead of 0.5 s, the event-loop health check every second instead of
    every 20 ms, and no memory limit (``memory_limit=0``; Dask's default is the machine's memory
    shared out): nannies and workers no longer measure the workers' memory every 100 ms, and a
    worker is not paused, made to spill or restarted when it nears a limit (the local pool has none
    either; a worker the system kills is restarted by its nanny all the same). Any of these can be
    given back through ``kwargs`` (``memory_limit="auto"``) or Dask's configuration.
    """
    import gc

    import dask
    from distributed import LocalCluster

    opts = options or TokenizerOptions()
    if opts not in _PREBUILT:
        _PREBUILT[opts] = opts.build()
    kwargs = {"threads_per_worker": 1, "processes": True, "dashboard_address": None, "memory_limit": 0, **kwargs}
    gc.collect()
    gc.freeze()  # the tokenizer's objects out of the collector's way: their pages stay shared
    try:
        with dask.config.set({"distributed.worker.multiprocessing-method": "fork", **QUIET}):
            return LocalCluster(n_workers=n_workers, **kwargs)
    finally:
        gc.unfreeze()


def plugin_name(task: str, fingerprint: str, store: Store, tokenizer=None) -> str:
    """The plugin's name: one per task, options (fingerprint), cache folder and tokenizer object."""
    who = None if tokenizer is None else id(tokenizer)
    return "analysis_utils-" + hash_obj({"task": task, "fp": fingerprint, "root": str(store.root), "tok": who})[:16]


def connect(scheduler):
    """``(client, made here)``: ``scheduler`` itself if it is a Client, else a client of the address
    (or of the cluster object, e.g. a :class:`distributed.LocalCluster`).

    Example:
        >>> connect("no-port")
        Traceback (most recent call last):
        ...
        analysis_utils.errors.SpeechError: no-port: cannot reach the Dask scheduler (missing port number in address 'no-port')
    """
    if isinstance(scheduler, Client):
        return scheduler, False
    address = str(getattr(scheduler, "scheduler_address", scheduler))  # an address, or a cluster object
    try:
        normal = normalize_address(address)  # a bad address before Client (whose __del__ then hangs)
        if parse_address(normal)[0] in ("tcp", "tls"):
            get_address_host_port(normal)
        return Client(normal, set_as_default=False), True
    except (OSError, ValueError, TypeError) as e:
        problem = " ".join(str(e).split()) or type(e).__name__
        raise SpeechError(address, f"cannot reach the Dask scheduler ({problem})") from None


#: Process ids of the workers of this process that gave memory back after a pass (a test counts them).
TRIMS: list[int] = []


def trim_memory() -> None:
    """On a worker at the end of a pass: give the heap its speeches freed back to the system
    (Dask's recipe for "unmanaged memory", ``malloc_trim``; glibc only, a no-op elsewhere), so that
    the workers, which outlive the pass, hold less while the client makes its table."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return
    TRIMS.append(os.getpid())


def _absolute(item):
    """``(item with an absolute path, its path as given)``: workers may run in another folder."""
    if item.path is None or Path(item.path).is_absolute():
        return item, None
    return replace(item, path=Path(item.path).absolute()), item.path


def _work(batch, name: str, run_id: str) -> list:
    """Speeches on a worker, one after the other, with its plugin's engine: ``(index, payload,
    cache problem)`` of each; ``batch`` holds ``(job, path as given)`` of consecutive speeches."""
    plugin = cast(EnginePlugin, get_worker().plugins[name])
    out = []
    with plugin.lock:  # one speech at a time per worker, whatever its threads
        engine = plugin.engine
        if plugin.run_id != run_id:  # a new pass: the cache may be written again
            plugin.run_id, engine.store.problem = run_id, None
        for job, given in batch:
            index, payload = engine.process(job)
            if payload[0] == "tokens":
                payload = ("tokens", counts_only(payload[1]), payload[2])
            elif payload[0] == "error" and given is not None:  # name the file as the user gave it
                payload = ("error", payload[1].replace(str(job[0].path), str(given), 1))
            out.append((index, payload, engine.store.problem))
    return out


def _weight(item, task: str) -> int:
    """About how much work a speech is, in bytes of text (what a batch is sized by)."""
    if item.text is not None:
        size = 3 * len(item.text)
    elif item.start is not None and item.end is not None:
        size = 3 * (item.end - item.start)
    else:
        try:
            size = Path(item.path).stat().st_size if item.path is not None else 0
        except OSError:
            size = 0  # the worker says what is wrong with it
    return max(1, size) * (MAP_WEIGHT if task == "map" else 1)


def batches(jobs: Iterator, task: str, limit: int | None = None) -> Iterator[list]:
    """``[(position, job), …]``: consecutive jobs, each list up to :data:`BATCH_BYTES` of text
    (one speech alone if it is larger) and :data:`BATCH_SPEECHES` speeches.

    Example:
        >>> from analysis_utils.scale.sources import CorpusItem
        >>> jobs = [(CorpusItem(i, str(i), text="党" * n), None) for i, n in enumerate([10, 20, 30])]
        >>> [[pos for pos, _ in b] for b in batches(iter(jobs), "tokens", limit=100)]
        [[0, 1], [2]]
    """
    limit = BATCH_BYTES if limit is None else limit
    batch: list = []
    size = 0
    for position, job in enumerate(jobs):
        weight = _weight(job[0], task)
        if batch and (size + weight > limit or len(batch) >= BATCH_SPEECHES):
            yield batch
            batch, size = [], 0
        batch.append((position, job))
        size += weight
    if batch:
        yield batch


class ClusterJobs:
    """The speeches of one pass, given to the workers of a Dask scheduler; results in order.

    Like the local pool's workers: :meth:`results` yields the result of every job in order,
    at most :data:`AHEAD_PER_THREAD` tasks (:func:`batches` of speeches) per worker thread in
    flight, and :meth:`close` cancels what is left (and closes the client if it was made here).
    """

    def __init__(self, scheduler, task, store: Store, options, tokenizer, fingerprint: str):
        self.client, self._own = connect(scheduler)
        self.address = str(getattr(self.client.scheduler, "address", scheduler))
        self.task = task
        self.run_id = uuid.uuid4().hex
        self.name = plugin_name(task, fingerprint, store, tokenizer)
        self._inflight: dict[str, tuple[list, Any, int]] = {}  # key → (batch, future, tries)
        self._worked = self._lost = False  # tasks were given; the scheduler went away
        try:
            self.client.register_plugin(EnginePlugin(task, store, options, tokenizer), name=self.name)
        except BaseException:
            self.close()
            raise

    def _submit(self, pending, batch: list, tries: int) -> None:
        """One task: the speeches of ``batch`` (``[(position, job), …]``) on one worker."""
        work = []
        for _, job in batch:
            item, given = _absolute(job[0])
            work.append(((item, job[1]), given))
        fut = self.client.submit(_work, work, self.name, self.run_id, pure=False)
        self._worked = True
        self._inflight[fut.key] = (batch, fut, tries)
        pending.add(fut)

    def results(self, jobs: Iterator) -> Iterator[tuple[int, Any, str | None]]:
        """``(index, payload, cache problem)`` of every job, in the order of ``jobs``.

        A task Dask gives up on (``KilledWorker``: its workers died) is submitted once more, each
        of its speeches on its own: Dask also blames the tasks queued on a worker that died, not
        only the one that killed it. A speech that fails again is that speech's error.
        """
        ahead = AHEAD_PER_THREAD * max(1, sum(self.client.nthreads().values()))
        todo = batches(jobs, self.task)
        done: dict[int, tuple[int, Any, str | None]] = {}
        ends: deque[int] = deque()  # the last position of each task not yet given out in full
        pending = as_completed(loop=self.client.loop)  # this client, not a default one (an address has none)
        out = 0
        while True:
            while ends and ends[0] < out:
                ends.popleft()
            while len(ends) < ahead and (batch := next(todo, None)) is not None:
                self._submit(pending, batch, 0)
                ends.append(batch[-1][0])
            if out in done:
                yield done.pop(out)
                out += 1
                continue
            if not self._inflight:
                return
            self._collect(next(pending), pending, done)

    def _collect(self, fut, pending, done: dict) -> None:
        """File the results of a finished task in ``done`` by position (or submit its speeches again)."""
        batch, _, tries = self._inflight.pop(fut.key)
        try:
            for (position, _), result in zip(batch, fut.result(), strict=True):
                done[position] = result
        except (KilledWorker, FutureCancelledError) as e:  # the speeches' errors; the others go on
            for position, job in batch:
                if tries == 0 and isinstance(e, KilledWorker):
                    self._submit(pending, [(position, job)], 1)
                else:
                    item = job[0]
                    message = str(SpeechError(item.label, f"the Dask workers died on it ({type(e).__name__})"))
                    done[position] = item.index, ("error", message), None
        except OSError as e:  # the scheduler went away
            self._lost = True
            raise SpeechError(self.address, f"lost the Dask scheduler ({' '.join(str(e).split())})") from None
        fut.release()

    def close(self) -> None:
        """Cancel the tasks still running, or, the pass done, have the workers give back the memory
        its speeches used (:func:`trim_memory`: this process makes its table next, the pass's peak);
        close the client if it was made here."""
        try:
            if self._inflight:
                self.client.cancel([v[1] for v in self._inflight.values()])
            elif self._worked and not self._lost:
                self.client.run(trim_memory, on_error="ignore")
        finally:
            self._inflight.clear()
            if self._own:
                self.client.close()
