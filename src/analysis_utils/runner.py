"""Rerun the notebooks on new speeches: ``python -m analysis_utils run FILE|DIR …``.

Each speech goes through every per-speech notebook (``notebooks/0[1-4]_*.ipynb``) and the
comparison notebook on its parts (``05_*``), via their ``parameters`` cell (papermill),
headless; each folder named also goes through ``05_*`` on its speeches. Each row of a CSV/JSONL
table goes through 01–04 (``speech_path`` its address ``table.csv#<id>``), the table through
``05_*``; a folder's or table's ``index.md`` lists its speeches and its near-duplicates. Results land in ``figures/<speech-id>/``: the
figures and CSV tables the notebooks save, the executed notebooks (``notebooks/``), and an
index page (``index.md`` and the page to send, ``index.html``; see :mod:`analysis_utils.report`). The source notebooks stay
output-free. A bad speech or a failing notebook is reported in one line and the others
still run; the return value says whether everything succeeded.

Output folders, one per input, named by :func:`~analysis_utils.outputs.safe_id` of the file name:

- the same file named twice (also through a symbolic link) is analysed once, with a note;
- two different files with one name (``report.txt``, ``report.md``): the first keeps the name,
  a later one gets its extension added (``report_md``), then a number (``report_2`` …);
- a folder's comparison (notebook 05) takes the folder's name by the same rule;
- a rerun leaves in a folder exactly what it made: the tool's earlier outputs it did not make
  again (``*.png``, ``*.svg``, ``*.csv``, ``captions.json``, ``index.md``, the executed notebooks
  and logs in ``notebooks/``) are removed; nothing else in the folder is touched.

Processes: each notebook runs in its own worker process (with its own kernel), the longest first
(:func:`longest_first`), while jieba's dictionary is made in the package's cache for every kernel's
tokenizers to read (:func:`warm_dictionary`, in a process of its own). A worker that is
killed is reported as that notebook's failure and the others finish; Ctrl-C stops the running
notebooks within seconds, keeps what finished and writes the index; workers die with ``run``.

Example:
    >>> [p.name[:2] for p in notebooks()], [p.name[:2] for p in notebooks(pattern=COMPARE)]
    (['01', '02', '03', '04'], ['05'])
    >>> report = run(["seeds/party_building_conference_speech.txt"])  # doctest: +SKIP
"""
from __future__ import annotations

import json
import os
import re
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait as wait_for
from pathlib import Path
from typing import Any

from . import config
from .errors import SpeechError
from .outputs import (
    CAPTIONS_FILE,
    FIGURES_FILE,
    atomic_write,
    cannot_write,
    figure_dir,
    inside,
    note_written,
    output_dir,
    prune_captions,
    safe_id,
)
from .reading import load_speech, speech_files, speech_id
from .report import indexed_file, markdown_text, write_corpus_index, write_index  # noqa: F401 (re-exported: deck and tests import them from here)
from .speech import Speech

#: One notebook run: (input path, output id, notebook).
Job = tuple[Path, str, Path]

PER_SPEECH = re.compile(r"^0[1-4]_.+\.ipynb$")
#: The comparison notebook: run on each speech (its parts) and on each folder (its speeches).
COMPARE = re.compile(r"^05_.+\.ipynb$")
#: The parameters every notebook's ``parameters`` cell defines and a run sets, by name.
PARAMETERS = ("speech_path", "out_dir")
#: What ``run`` writes into an output folder; a rerun removes those of them it did not make again.
TOOL_FILES = ("*.png", "*.svg", "*.csv", CAPTIONS_FILE, FIGURES_FILE, "index.md", "index.html", "notebooks/*.ipynb", "notebooks/*.log")
#: Seconds a stopped worker gets to end its kernel before it is killed.
STOP_GRACE = 3.0
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
#: The line of ``index.md`` naming the speech's file.


@dataclass
class RunReport:
    """What a run did: per (speech, notebook) the outcome, and the failures in one line each."""

    done: list[tuple[str, str, float]] = field(default_factory=list)  # speech id, notebook, seconds
    failures: list[str] = field(default_factory=list)
    bad_input: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. the same file named twice
    interrupted: list[str] = field(default_factory=list)  # the notebooks Ctrl-C stopped or kept from starting
    pages: list[Path] = field(default_factory=list)  # the index.html of each speech, then of each folder or table

    @property
    def ok(self) -> bool:
        return not self.failures and not self.bad_input and not self.interrupted


def notebooks(selection: list[str] | None = None, pattern: re.Pattern = PER_SPEECH) -> list[Path]:
    """The notebooks matching ``pattern`` in order; ``selection`` keeps those whose number or name matches.

    Example:
        >>> [p.name for p in notebooks(["03"])]
        ['03_slogan_counting.ipynb']
    """
    nbs = sorted(p for p in config.NOTEBOOKS_DIR.glob("*.ipynb") if pattern.match(p.name))
    if selection:
        nbs = [p for p in nbs if any(_selects(s, p) for s in selection)]
    return nbs


def _selects(choice: str, nb: Path) -> bool:
    return nb.name.startswith(choice) or choice in nb.stem


def check_selection(selection: list[str] | None) -> None:
    """Refuse a ``--notebooks`` choice that names no notebook, naming the ones there are.

    Example:
        >>> check_selection(["01", "compare"])
        >>> check_selection(["99"])
        Traceback (most recent call last):
        ...
        analysis_utils.errors.SpeechError: --notebooks 99: no such notebook; the notebooks are 01_structure_mapping, 02_term_frequency, 03_slogan_counting, 04_word_cloud, 05_compare_speeches
    """
    every = notebooks() + notebooks(pattern=COMPARE)
    for choice in selection or []:
        if not choice.strip() or not any(_selects(choice, nb) for nb in every):
            names = ", ".join(nb.stem for nb in every)
            raise SpeechError(f"--notebooks {choice}", f"no such notebook; the notebooks are {names}")


def output_root(out_dir: str | Path | None) -> Path:
    """The output folder of a run, created and checked writable (resolved).

    Raises:
        SpeechError: it is a file, or cannot be created or written (read-only, permission).

    Example:
        >>> import tempfile
        >>> output_root(tempfile.mkdtemp()).is_dir()
        True
    """
    root = Path(out_dir or config.FIGURES_DIR)
    if root.exists() and not root.is_dir():
        raise SpeechError(root, "is a file, not a folder: the outputs need a folder")
    try:
        root.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=root).close()  # a read-only folder fails here, not in every notebook
    except OSError as e:
        raise SpeechError(root, cannot_write(e)) from None
    return root.resolve()


def _failure_line(speech: Path, nb: Path, err: Exception) -> str:
    cell = getattr(err, "exec_count", None)
    ename = getattr(err, "ename", type(err).__name__)
    evalue = str(getattr(err, "evalue", err)).strip().splitlines()
    reason = evalue[-1] if evalue else ""
    where = f"cell {cell}" if cell is not None else "before the first cell"
    return f"{speech}: {nb.name}: {where}: {ename}: {reason}"


def _lost_line(speech: Path, nb: Path, exitcode: int | None) -> str:
    """The failure of a notebook whose worker process ended without a result."""
    if exitcode is not None and exitcode < 0:
        how = f"was killed ({signal.Signals(-exitcode).name})"
    else:
        how = f"ended (exit status {exitcode})"
    return f"{speech}: {nb.name}: its worker process {how} before the notebook finished"


def run(paths: list[str | Path], *, out_dir: str | Path | None = None, selection: list[str] | None = None,
        progress: bool = True, jobs_at_once: int | None = None, duplicates: str = "drop") -> RunReport:
    """Execute the notebooks on every speech in ``paths``; see the module docstring.

    Each speech file gets notebooks 01–04 and 05 on its parts; each row of a CSV/JSONL table
    gets 01–04 (``speech_path`` its row address ``table.jsonl#<id>``, figures in
    ``figures/<row id>/``); each folder and table also gets 05 on its speeches (figures in
    ``figures/<folder or table name>/``, with an ``index.md`` listing its speeches).
    With ``duplicates="drop"`` (the default), near-duplicates in a folder or table (the same
    speech published twice) are named on stderr, in ``report.notes`` and in that index; the later
    copy gets no notebooks of its own and notebook 05 compares the speech once. ``"keep"``
    analyses every speech as given.

    Args:
        paths: speech files, folders of speeches and CSV/JSONL tables.
        out_dir: the output root (default ``figures/``).
        selection: only the notebooks whose number or name matches, e.g. ``["01", "03"]``.
        progress: show a progress bar on stderr.
        jobs_at_once: notebooks run side by side (default: one per core).
        duplicates: ``"drop"`` or ``"keep"`` near-duplicates (see above).

    Returns:
        The :class:`RunReport`; a bad file, a failing notebook or Ctrl-C is in it, never raised.
        A bad output folder, ``selection`` or ``jobs_at_once`` raises :class:`SpeechError` first.

    Example:
        >>> run(["seeds/party_building_conference_speech.txt"], selection=["01"]).ok  # doctest: +SKIP
        True
    """
    from tqdm.auto import tqdm

    if jobs_at_once is not None and jobs_at_once < 1:
        raise SpeechError(None, f"--jobs must be 1 or more, not {jobs_at_once}")
    if duplicates not in ("drop", "keep"):
        raise ValueError(f"duplicates must be 'drop' or 'keep', not {duplicates!r}")
    check_selection(selection)
    out_root = output_root(out_dir)
    report = RunReport()
    plan = _Plan(selection, report, keep_duplicates=duplicates == "keep")
    jobs, speeches = plan.make(paths)
    jobs = longest_first(jobs)
    import_papermill()  # once here: each worker is a fork of this process

    warming = _warm_aside() if jobs else None  # made while the first kernels start
    bar = tqdm(total=len(jobs), disable=not progress, unit="notebook", file=sys.stderr)
    workers = max(1, min(jobs_at_once or os.cpu_count() or 1, len(jobs) or 1))
    extra = {"keep_duplicates": True} if duplicates == "keep" else {}
    with tempfile.TemporaryDirectory(prefix="analysis-utils-run-") as records:
        started = _run_jobs(jobs, out_root, Path(records), workers, report, bar, extra)
        written = _written(Path(records))
    if warming is not None:
        warming.join()
    bar.close()
    for out_id in sorted(started):  # a folder no notebook reached (Ctrl-C) is left as it was
        _prune(output_dir(out_id, out_root), written)
    for speech, out_id in speeches:
        if out_id in started:
            report.pages.append(write_index(speech, out_root, out_id).with_name("index.html"))
    for group in plan.groups:
        if group.out_id in started:
            index = write_corpus_index(group.source, out_root, group.out_id, group.members, group.notes)
            report.pages.append(index.with_name("index.html"))
    report.done.sort(key=lambda d: (d[0], d[1]))
    report.failures.sort()
    return report


#: The notebooks of one speech, the longest first (CPU seconds on the seed, issue 20: 03 ≈ 02 > 04 > 05 > 01).
LONGEST_FIRST = ("03", "02", "04", "05", "01")


def longest_first(jobs: list[Job]) -> list[Job]:
    """The jobs in the order ``run`` starts them: the longest first, so that none of the long ones
    starts last while the other workers sit idle. A folder's or table's comparison (05 over all its
    speeches) comes first, then the notebooks of every speech in :data:`LONGEST_FIRST` order (any
    other notebook after them); jobs of one rank keep their order.

    Example:
        >>> jobs = [(Path("a.txt"), "a", Path(f"{n}.ipynb")) for n in ("01_x", "02_x", "03_x", "04_x", "05_x")]
        >>> [nb.stem[:2] for _, _, nb in longest_first(jobs + [(Path("dir"), "dir", Path("05_x.ipynb"))])]
        ['05', '03', '02', '04', '05', '01']
    """
    speech_files = {path for path, _, nb in jobs if PER_SPEECH.match(nb.name)}

    def rank(job: Job) -> int:
        path, _, nb = job
        if COMPARE.match(nb.name) and path not in speech_files:  # a folder or a table: all its speeches
            return -1
        key = nb.name[:2]
        return LONGEST_FIRST.index(key) if key in LONGEST_FIRST else len(LONGEST_FIRST)

    return sorted(jobs, key=rank)


#: Imported by ``jsonschema`` (through papermill's ``nbformat``) for its optional ``iri`` format check
#: only; it builds a Lark grammar as it is imported (0.8 s of CPU), which no notebook check uses.
_UNUSED_BY_PAPERMILL = ("rfc3987_syntax",)


def import_papermill():
    """``papermill``, imported without what none of its notebook checks uses (:data:`_UNUSED_BY_PAPERMILL`):
    ``nbformat`` validates notebooks against a schema with no ``format`` keyword, so ``jsonschema``'s
    format checkers never run, and the one for IRIs costs ``run`` 0.8 s on one core before it can start
    any notebook. Only when ``jsonschema`` is not imported yet (else nothing changes); the module stays
    importable afterwards.

    Example:
        >>> import_papermill().__name__
        'papermill'
    """
    blocked = {} if "jsonschema" in sys.modules else {name: sys.modules.get(name) for name in _UNUSED_BY_PAPERMILL}
    for name in blocked:
        sys.modules[name] = None  # import fails: jsonschema goes without that check
    try:
        import papermill
    finally:
        for name, module in blocked.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return papermill


def _warm_aside():
    """:func:`warm_dictionary` in a process of its own, started with the first workers rather than before
    them: a kernel takes seconds to start and import the package before its tokenizer reads the
    dictionary, and ``run`` would otherwise make it alone on one core (0.8 s in an empty cache folder)
    while the other cores wait. The process dies with ``run`` and leaves Ctrl-C to it; ``run`` joins it."""
    proc = _mp_context().Process(target=_warm_worker, args=(os.getpid(),), daemon=True,
                                 name="analysis-utils dictionary")
    proc.start()
    return proc


def _warm_worker(parent_pid: int) -> None:
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # run decides what Ctrl-C stops
    try:
        warm_dictionary()
    except Exception:  # noqa: BLE001  (a cache that cannot be written: each kernel reads dict.txt, as before)
        os._exit(1)


def warm_dictionary() -> None:
    """jieba's dictionary made in the package's cache folder (:func:`~analysis_utils.scale.cache.jieba_image`)
    as the first kernels start (:func:`_warm_aside`), so every tokenizer of every notebook reads it instead
    of parsing jieba's ``dict.txt`` (0.5–0.8 s each, up to three per notebook). Made once per machine and
    user, then read (about 0.15 s). A cache folder that cannot be made or is another user's changes
    nothing: the kernels then parse ``dict.txt`` as before.
    """
    from .scale.cache import default_cache_dir, foreign_folder, jieba_image

    root = default_cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    if foreign_folder(root) is None:
        jieba_image()


class _Ids:
    """Output ids unique within a run (compared without case: some file systems ignore it)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, name: str, suffix: str = "") -> str:
        """``name`` made safe; if taken, ``name_<suffix>``, then ``name_2``, ``name_3`` …"""
        base = safe_id(name)
        ext = safe_id(suffix.lstrip(".")) if suffix.strip(".") else ""
        candidates = [base] + ([f"{base}_{ext}"] if ext else [])
        n = 2
        while all(c.casefold() in self.taken for c in candidates):
            candidates, n = [f"{base}_{n}"], n + 1
        chosen = next(c for c in candidates if c.casefold() not in self.taken)
        self.taken.add(chosen.casefold())
        return chosen


def _identity(path: Path) -> tuple[int, int] | None:
    """The file behind ``path`` (device, inode): a symbolic link and its target are one file."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


@dataclass
class _Group:
    """A folder or table of a run: its comparison folder, its speeches' folders, its notes."""

    source: Path
    out_id: str
    members: list[tuple[str, str]] = field(default_factory=list)  # (output id, title) of each speech
    notes: list[str] = field(default_factory=list)


class _Plan:
    """The jobs of a run, ``(input path, output id, notebook)``, and the speeches read with their
    output ids; bad files go to ``report``, a file named twice and near-duplicates to ``report.notes``."""

    def __init__(self, selection: list[str] | None, report: RunReport, *, keep_duplicates: bool = False):
        self.per_speech = notebooks(selection) + notebooks(selection, COMPARE)
        self.per_row = notebooks(selection)
        self.per_folder = notebooks(selection, COMPARE)
        self.report, self.keep_duplicates = report, keep_duplicates
        self.jobs: list[Job] = []
        self.speeches: list[tuple[Speech, str]] = []
        self.groups: list[_Group] = []
        self.ids, self.seen = _Ids(), dict[tuple[int, int] | None, Path]()
        self.out_of: dict[Path, str] = {}  # a speech file's output folder

    def make(self, paths: list[str | Path]) -> tuple[list[Job], list[tuple[Speech, str]]]:
        tables = [Path(p) for p in paths if _is_table(Path(p))]
        files = self._files([p for p in paths if not _is_table(Path(p))])
        for f in files:
            self._file(f)
        for table in tables:
            self._table(table)
        folders: dict[Path, None] = dict.fromkeys(Path(p).resolve() for p in paths if Path(p).is_dir())
        for folder in folders:
            self._folder(folder)
        return self.jobs, self.speeches

    def _bad(self, e: SpeechError) -> None:
        self.report.bad_input.append(str(e))
        print(f"error: {e}", file=sys.stderr)

    def _note(self, note: str, group: _Group | None = None) -> None:
        self.report.notes.append(note)
        if group is not None:
            group.notes.append(note)
        print(f"note: {note}", file=sys.stderr)

    def _files(self, paths: list[str | Path]) -> list[Path]:
        try:
            return speech_files(paths)
        except SpeechError as e:  # a folder with no speech in it
            self._bad(e)
            return []

    def _file(self, f: Path) -> None:
        key = _identity(f)
        if key is not None and key in self.seen:
            self._note(f"{f}: the same file as {self.seen[key]}; analysed once")
            return
        self.seen[key] = f
        try:
            speech = load_speech(f)
        except SpeechError as e:
            self._bad(e)
            return
        out_id = self.ids.claim(speech.id, f.suffix)
        self.out_of[f.resolve()] = out_id
        self.speeches.append((speech, out_id))
        self.jobs += [(f, out_id, nb) for nb in self.per_speech]

    def _duplicates(self, corpus, group: _Group) -> set[str]:
        """Name the near-duplicates of a folder or table; the ids of the copies that get no notebooks
        (none with ``--keep-duplicates``: every speech as given)."""
        found = [] if self.keep_duplicates else corpus.near_duplicates()
        for d in found:
            self._note(f"{group.source}: {d.note(keep=None)}: analysed once (--keep-duplicates analyses both)", group)
        return {d.dropped for d in found}

    def _table(self, table: Path) -> None:
        """Each row of a CSV/JSONL table through 01–04 (its row address), the table through 05."""
        from .scale import Corpus

        try:
            corpus = Corpus(table)
        except SpeechError as e:
            self._bad(e)
            return
        group = _Group(table, "")
        dropped = self._duplicates(corpus, group) if self.per_folder or self.per_row else set()
        n = len(corpus) - len(dropped)
        if self.per_row and n > 1:
            print(f"{table}: {n} speeches × {len(self.per_row)} notebook(s)", file=sys.stderr)
        for item, speech in corpus.speeches(errors="skip"):
            if isinstance(speech, SpeechError):
                self._bad(speech)
            elif item.id not in dropped:
                out_id = self.ids.claim(item.id)
                self.speeches.append((speech, out_id))
                group.members.append((out_id, speech.meta.title or item.title or item.id))
                self.jobs += [(Path(f"{table}#{item.id}"), out_id, nb) for nb in self.per_row]
        self._group(group)

    def _folder(self, folder: Path) -> None:
        """A folder's speeches through 05 (each file has its own jobs already)."""
        from .scale import Corpus

        group = _Group(folder, "")
        try:
            corpus = Corpus(speech_files([folder]))  # the speeches notebook 05 compares
        except SpeechError:
            return  # already reported: no speech in it
        dropped = self._duplicates(corpus, group) if self.per_folder or self.per_speech else set()
        for item in corpus:
            out_id = self.out_of.get(Path(item.path or "").resolve())
            if out_id is None:
                continue
            if item.id in dropped:  # the later copy: no notebooks of its own
                self.jobs = [j for j in self.jobs if j[1] != out_id]
                self.speeches = [(s, o) for s, o in self.speeches if o != out_id]
            else:
                group.members.append((out_id, next(s.meta.title or s.id for s, o in self.speeches if o == out_id)))
        self._group(group)

    def _group(self, group: _Group) -> None:
        group.out_id = self.ids.claim(speech_id(group.source))
        self.jobs += [(group.source, group.out_id, nb) for nb in self.per_folder]
        self.groups.append(group)


def _is_table(path: Path) -> bool:
    """A CSV/JSONL table of speeches (not a row address)."""
    from .reading.load import TABLE_SUFFIXES

    return path.suffix.lower() in TABLE_SUFFIXES and path.is_file()


def _plan(paths: list[str | Path], selection: list[str] | None,
          report: RunReport) -> tuple[list[Job], list[tuple[Speech, str]]]:
    """The jobs of a run and the speeches read with their output ids (see :class:`_Plan`)."""
    return _Plan(selection, report).make(paths)


def _mp_context():
    import multiprocessing as mp

    return mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")


def _run_jobs(jobs: list[Job], out_root: Path, records: Path, workers: int, report: RunReport, bar,
              extra: dict | None = None) -> set[str]:
    """Run the jobs, ``workers`` at a time, each in its own process; the ids of the folders reached.

    A worker that dies is that notebook's failure; Ctrl-C stops the running workers (and their
    kernels) and leaves the rest unstarted, listed in ``report.interrupted``.
    """
    ctx = _mp_context()
    queue = list(enumerate(jobs))
    running: dict[Any, tuple[Any, Any, Job]] = {}  # process sentinel -> (process, result pipe, job)
    started: set[str] = set()
    try:
        while queue or running:
            while queue and len(running) < workers:
                i, job = queue.pop(0)
                receive, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_worker, args=(send, job, out_root, records / f"{i}.jsonl", os.getpid(), extra),
                                   daemon=True, name=f"analysis-utils {job[2].stem}")
                proc.start()
                send.close()
                running[proc.sentinel] = (proc, receive, job)
                started.add(job[1])
            for sentinel in wait_for(list(running)):
                _collect(*running.pop(sentinel), report, bar)
    except KeyboardInterrupt:
        report.interrupted = [f"{path}: {nb.name}" for _, _, (path, _, nb) in running.values()]
        report.interrupted += [f"{path}: {nb.name}" for _, (path, _, nb) in queue]
        bar.write("interrupted: stopping the running notebooks", file=sys.stderr)
    finally:
        _stop([proc for proc, _, _ in running.values()])
    return started


def _collect(proc, receive, job: Job, report: RunReport, bar) -> None:
    """Record the outcome of a worker that has ended."""
    path, out_id, nb = job
    try:
        outcome = receive.recv() if receive.poll() else None
    except (EOFError, OSError):
        outcome = None
    receive.close()
    proc.join()
    if outcome is None:
        outcome = _lost_line(path, nb, proc.exitcode)
    if isinstance(outcome, str):
        report.failures.append(outcome)
        bar.write(f"failed: {outcome}", file=sys.stderr)
    else:
        report.done.append((out_id, nb.name, outcome))
    bar.set_description(f"{out_id[:24]} · {nb.stem}")
    bar.update(1)


def _stop(procs: list) -> None:
    """End workers: SIGTERM (each ends its kernel), then SIGKILL after :data:`STOP_GRACE` seconds."""
    for proc in procs:
        proc.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for proc in procs:
        proc.join(max(0.0, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
            proc.join()


def _worker(send, job: Job, out_root: Path, record: Path, parent_pid: int, extra: dict | None = None) -> None:
    """One notebook in a worker process: dies with ``run``, leaves Ctrl-C to it, sends back the outcome."""
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, lambda *_: None)  # run decides what Ctrl-C stops
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _end_kernels_and_exit)
    path, out_id, nb = job
    os.environ[config.OUTPUT_ID_ENV] = out_id  # read by Outputs in the kernel: this job's folder
    os.environ[config.WRITTEN_LOG_ENV] = str(record)  # every file written is noted there
    send.send(_execute_job(nb, path, out_id, out_root, extra))
    send.close()


def _die_with_parent(parent_pid: int) -> None:
    """Make this worker end when ``run`` ends, even by ``kill -9`` (Linux: the kernel's parent-death
    signal; elsewhere a thread watching the parent)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            _watch_parent(parent_pid)
    else:
        _watch_parent(parent_pid)
    if os.getppid() != parent_pid:  # run ended before the watch began
        os._exit(1)


def _watch_parent(parent_pid: int) -> None:
    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        _end_kernels_and_exit(0, None)

    threading.Thread(target=watch, daemon=True).start()


def _end_kernels_and_exit(signum: int, frame) -> None:
    """Kill this worker's kernel (and anything it started), then exit at once."""
    try:
        import psutil  # ipykernel's own dependency
    except ImportError:  # the kernel notices its parent is gone within a second
        os._exit(128 + signum)
    for child in psutil.Process().children(recursive=True):
        try:
            child.kill()
        except psutil.Error:
            pass
    os._exit(128 + signum)


def _execute_job(nb: Path, path: Path, out_id: str, out_root: Path, extra: dict | None = None) -> float | str:
    """Run one notebook in a worker process: the seconds it took, or its failure in one line."""
    import logging

    logging.getLogger("papermill").setLevel(logging.ERROR)  # its notices would clutter the progress bar
    try:
        # the kernel's own start-up and shutdown messages go to a log beside the executed notebook
        log = figure_dir(out_id, out_root) / "notebooks" / f"{nb.stem}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        sys.stderr.flush()
        with open(log, "w", encoding="utf-8") as fh:
            os.dup2(fh.fileno(), 2)
        note_written(log)
        return _execute(nb, path, out_id, out_root, extra)
    except Exception as e:  # papermill's execution error, a kernel that died, an output folder gone
        return _failure_line(path, nb, e)


def _execute(nb: Path, path: Path, out_id: str, out_root: Path, extra: dict | None = None) -> float:
    """Run one notebook on one input through its ``parameters`` cell; return the seconds taken.
    ``extra`` parameters (``keep_duplicates``) go to the comparison notebook only.

    The executed notebook is written atomically (also when a cell fails: then with its error),
    so an interruption never leaves an empty or truncated one.
    """
    from papermill.exceptions import PapermillExecutionError

    exec_dir = figure_dir(out_id, out_root) / "notebooks"
    exec_dir.mkdir(exist_ok=True)
    failed: list[PapermillExecutionError] = []

    def execute(tmp: Path) -> None:
        try:
            _papermill(nb, tmp, {**notebook_parameters(path, out_root),
                                 **((extra or {}) if COMPARE.match(nb.name) else {})})
        except PapermillExecutionError as e:  # the notebook, with the error in its cell, is kept
            failed.append(e)

    t0 = time.perf_counter()
    atomic_write(inside(exec_dir / nb.name, exec_dir), execute)
    if failed:
        raise failed[0]
    return time.perf_counter() - t0


def _papermill(nb: Path, out: Path, parameters: dict) -> None:
    """Execute ``nb`` headless into ``out`` with ``parameters`` (run from the notebooks folder).

    Once its last cell has run (every output received: each cell waits for the kernel to be idle),
    the kernel and anything it started are ended at once (``shutdown_kernel="immediate"``) instead of
    being asked to shut down and waited for: a kernel keeps nothing to save (every file a notebook
    writes is written atomically by its cells), and the wait cost about a second per notebook, in
    which its worker could not start the next one.
    """
    pm = import_papermill()
    pm.execute_notebook(str(nb), str(out), parameters=parameters, cwd=str(config.NOTEBOOKS_DIR), kernel_name="python3",
                        progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                        shutdown_kernel="immediate")


def notebook_parameters(path: Path, out_root: Path) -> dict[str, str]:
    """What a run sets in a notebook's ``parameters`` cell (the names in :data:`PARAMETERS`).

    Example:
        >>> sorted(notebook_parameters(Path("speech.txt"), Path("/tmp/figures"))) == sorted(PARAMETERS)
        True
    """
    return dict(zip(PARAMETERS, (str(path.resolve()), str(out_root)), strict=True))


def _written(records: Path) -> set[Path]:
    """Every file the run's workers and kernels noted as written (see ``outputs.note_written``)."""
    written = set()
    for record in records.glob("*.jsonl"):
        for line in record.read_text(encoding="utf-8").splitlines():
            try:
                written.add(Path(json.loads(line)))
            except ValueError:  # a line cut short by a killed process
                continue
    return written


def _prune(folder: Path, written: set[Path]) -> None:
    """Remove from ``folder`` the tool's earlier outputs (:data:`TOOL_FILES`) this run did not write;
    never anything else."""
    if not folder.is_dir():
        return
    for p in (p for pattern in TOOL_FILES for p in folder.glob(pattern)):
        if p.is_file() and p.resolve() not in written:
            p.unlink(missing_ok=True)
    prune_captions(folder)


# --------------------------------------------------------------------------- run OLD NEW --diff (issue 17)
#: The notebook of ``run --diff``: what changed between two texts.
DIFF = re.compile(r"^06_.+\.ipynb$")
#: The parameters ``run --diff`` sets in notebook 06.
DIFF_PARAMETERS = ("old_path", "new_path", "out_dir")


def run_diff(paths: list[str | Path], *, out_dir: str | Path | None = None, progress: bool = True) -> RunReport:
    """Run notebook 06 (what changed) on ``OLD NEW``, or on each consecutive pair of the dated
    reports of one folder or table (:func:`~analysis_utils.changes.pairs.consecutive_pairs`).

    Each pair's figures, tables, redline page (``06_redline.html``) and executed notebook land in
    ``<out_dir>/<old id>_vs_<new id>/``; ``report.pages`` lists the redline pages. A pair whose
    text cannot be read, or whose notebook fails, is reported in one line and the others still run.

    Raises:
        SpeechError: the paths name no pair (one speech, more than two paths, a folder with one speech).
    """
    from tqdm.auto import tqdm

    from .changes.pairs import consecutive_pairs, diff_id

    out_root = output_root(out_dir)
    pairs = consecutive_pairs(paths)
    nb = next(iter(notebooks(pattern=DIFF)))
    report = RunReport()
    for old_path, new_path in tqdm(pairs, disable=not progress, unit="pair", file=sys.stderr):
        try:
            out_id = safe_id(diff_id(load_speech(old_path), load_speech(new_path)))
        except SpeechError as e:
            report.bad_input.append(str(e))
            continue
        try:
            seconds = _execute_diff(nb, (old_path, new_path), out_id, out_root)
        except Exception as e:  # the notebook failed: its executed copy, with the error, is kept
            report.failures.append(_failure_line(Path(new_path), nb, e))
            continue
        report.done.append((out_id, nb.name, seconds))
        report.pages.append(figure_dir(out_id, out_root) / "06_redline.html")
    return report


def _execute_diff(nb: Path, pair: tuple[str, str], out_id: str, out_root: Path) -> float:
    """Run notebook 06 on one pair (see :func:`_execute_alone`); return the seconds taken."""
    return _execute_alone(nb, dict(zip(DIFF_PARAMETERS, (*pair, str(out_root)), strict=True)), out_id, out_root)


def _execute_alone(nb: Path, parameters: dict[str, str], out_id: str, out_root: Path) -> float:
    """Run a notebook in this process through its ``parameters`` cell, the executed notebook written
    atomically into ``<out_id>/notebooks/`` and the kernel's messages into a log beside it; return the
    seconds taken. A failing cell raises papermill's error (the executed notebook, with it, is kept)."""
    import logging


    logging.getLogger("papermill").setLevel(logging.ERROR)
    exec_dir = figure_dir(out_id, out_root) / "notebooks"
    exec_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(exec_dir / f"{nb.stem}.log", "w", encoding="utf-8") as log:
            os.dup2(log.fileno(), 2)  # the kernel's start-up and shutdown messages
            atomic_write(inside(exec_dir / nb.name, exec_dir), lambda tmp: _papermill(nb, tmp, parameters))
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
    return time.perf_counter() - t0


#: The watchwords notebook (07): one dated corpus, not a speech.
WATCHWORDS = re.compile(r"^07_.+\.ipynb$")
#: The parameters ``run --watchwords`` sets in notebook 07.
WATCHWORDS_PARAMETERS = ("corpus_path", "out_dir")


def run_watchwords(corpus: str | Path | None = None, *, out_dir: str | Path | None = None) -> RunReport:
    """Run notebook 07 (watchwords across the years) on a dated corpus (a folder or a CSV/JSONL
    table; ``None``: the development corpus beside the project, else ``seeds/``). Its figures, tables
    and executed notebook land in ``<out_dir>/<corpus id>/``; ``report.pages`` lists its figure.

    Raises:
        SpeechError: the corpus cannot be read.
    """
    from .scale import Corpus
    from .watchwords.track import corpus_id, default_corpus

    out_root = output_root(out_dir)
    path, _ = default_corpus(corpus)
    out_id = corpus_id(Corpus(path))
    nb = next(iter(notebooks(pattern=WATCHWORDS)))
    report = RunReport()
    try:
        seconds = _execute_alone(nb, dict(zip(WATCHWORDS_PARAMETERS, (str(path), str(out_root)), strict=True)),
                                 out_id, out_root)
    except Exception as e:  # the notebook failed: its executed copy, with the error, is kept
        report.failures.append(_failure_line(Path(path), nb, e))
        return report
    report.done.append((out_id, nb.name, seconds))
    report.pages.append(figure_dir(out_id, out_root) / "07_watchwords.png")
    return report
