"""Rerun the notebooks on new speeches: ``python -m analysis_utils run FILE|DIR …``.

Each speech goes through every per-speech notebook (``notebooks/0[1-4]_*.ipynb``) and the
comparison notebook on its parts (``05_*``), via their ``parameters`` cell (papermill),
headless; each folder named also goes through ``05_*`` on its speeches. Results land in ``figures/<speech-id>/``: the
figures and CSV tables the notebooks save, the executed notebooks (``notebooks/``), and an
index page (``index.md``) listing every figure with its caption. The source notebooks stay
output-free. A bad speech or a failing notebook is reported in one line and the others
still run; the return value says whether everything succeeded.

Example:
    >>> [p.name[:2] for p in notebooks()], [p.name[:2] for p in notebooks(pattern=COMPARE)]
    (['01', '02', '03', '04'], ['05'])
    >>> report = run(["seeds/party_building_conference_speech.txt"])  # doctest: +SKIP
"""
from __future__ import annotations

import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import config
from .errors import SpeechError
from .outputs import atomic_write, figure_dir, read_captions
from .reading import load_speech, speech_files, speech_id
from .speech import Speech

#: One notebook run: (input path, output id, notebook).
Job = tuple[Path, str, Path]

PER_SPEECH = re.compile(r"^0[1-4]_.+\.ipynb$")
#: The comparison notebook: run on each speech (its parts) and on each folder (its speeches).
COMPARE = re.compile(r"^05_.+\.ipynb$")
#: The parameters every notebook's ``parameters`` cell defines and a run sets, by name.
PARAMETERS = ("speech_path", "out_dir")


@dataclass
class RunReport:
    """What a run did: per (speech, notebook) the outcome, and the failures in one line each."""

    done: list[tuple[str, str, float]] = field(default_factory=list)  # speech id, notebook, seconds
    failures: list[str] = field(default_factory=list)
    bad_input: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.bad_input


def notebooks(selection: list[str] | None = None, pattern: re.Pattern = PER_SPEECH) -> list[Path]:
    """The notebooks matching ``pattern`` in order; ``selection`` keeps those whose number or name matches.

    Example:
        >>> [p.name for p in notebooks(["03"])]
        ['03_slogan_counting.ipynb']
    """
    nbs = sorted(p for p in config.NOTEBOOKS_DIR.glob("*.ipynb") if pattern.match(p.name))
    if selection:
        nbs = [p for p in nbs if any(p.name.startswith(s) or s in p.stem for s in selection)]
    return nbs


def _failure_line(speech: Path, nb: Path, err: Exception) -> str:
    cell = getattr(err, "exec_count", None)
    ename = getattr(err, "ename", type(err).__name__)
    evalue = str(getattr(err, "evalue", err)).strip().splitlines()
    reason = evalue[-1] if evalue else ""
    where = f"cell {cell}" if cell is not None else "before the first cell"
    return f"{speech}: {nb.name}: {where}: {ename}: {reason}"


def run(paths: list[str | Path], *, out_dir: str | Path | None = None, selection: list[str] | None = None,
        progress: bool = True, jobs_at_once: int | None = None) -> RunReport:
    """Execute the notebooks on every speech in ``paths``; see the module docstring.

    Each speech gets notebooks 01–04 and 05 on its parts; each folder also gets 05 on its
    speeches (figures in ``figures/<folder-name>/``).

    Args:
        paths: speech files and folders of speeches.
        out_dir: the output root (default ``figures/``).
        selection: only the notebooks whose number or name matches, e.g. ``["01", "03"]``.
        progress: show a progress bar on stderr.
        jobs_at_once: notebooks run side by side (default: one per core).

    Returns:
        The :class:`RunReport`; a bad file or a failing notebook is in it, never raised.

    Example:
        >>> run(["seeds/party_building_conference_speech.txt"], selection=["01"]).ok  # doctest: +SKIP
        True
    """
    from tqdm.auto import tqdm

    report = RunReport()
    out_root = Path(out_dir or config.FIGURES_DIR).resolve()
    jobs, speeches = _plan(paths, selection, report)
    bar = tqdm(total=len(jobs), disable=not progress, unit="notebook", file=sys.stderr)
    workers = max(1, min(jobs_at_once or os.cpu_count() or 1, len(jobs) or 1))
    # each notebook runs in its own process (its own kernel); results come back as they finish
    with ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context()) as pool:
        futures = {pool.submit(_execute_job, nb, path, out_id, out_root): (path, out_id, nb) for path, out_id, nb in jobs}
        for fut in as_completed(futures):
            path, out_id, nb = futures[fut]
            outcome = fut.result()
            if isinstance(outcome, str):
                report.failures.append(outcome)
                bar.write(f"failed: {outcome}", file=sys.stderr)
            else:
                report.done.append((out_id, nb.name, outcome))
            bar.set_description(f"{out_id[:24]} · {nb.stem}")
            bar.update(1)
    report.done.sort(key=lambda d: (d[0], d[1]))
    report.failures.sort()
    bar.close()
    for speech in speeches:
        write_index(speech, out_root)
    return report


def _plan(paths: list[str | Path], selection: list[str] | None, report: RunReport) -> tuple[list[Job], list[Speech]]:
    """The jobs of a run, ``(input path, output id, notebook)``, and the speeches read; bad files go to ``report``."""
    per_speech = notebooks(selection) + notebooks(selection, COMPARE)
    per_folder = notebooks(selection, COMPARE)
    jobs: list[Job] = []
    speeches: list[Speech] = []
    try:
        files = speech_files(paths)
    except SpeechError as e:  # a folder with no speech in it
        report.bad_input.append(str(e))
        print(f"error: {e}", file=sys.stderr)
        files = []
    for f in files:
        try:
            speech = load_speech(f)
        except SpeechError as e:
            report.bad_input.append(str(e))
            print(f"error: {e}", file=sys.stderr)
            continue
        speeches.append(speech)
        jobs += [(f, speech.id, nb) for nb in per_speech]
    for folder in (Path(p) for p in paths if Path(p).is_dir()):
        jobs += [(folder, speech_id(folder.resolve()), nb) for nb in per_folder]
    return jobs, speeches


def _mp_context():
    import multiprocessing as mp

    return mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")


def _execute_job(nb: Path, path: Path, out_id: str, out_root: Path) -> float | str:
    """Run one notebook in a worker process: the seconds it took, or its failure in one line."""
    import logging

    logging.getLogger("papermill").setLevel(logging.ERROR)  # its notices would clutter the progress bar
    # the kernel's own start-up and shutdown messages go to a log beside the executed notebook
    log = figure_dir(out_id, out_root) / "notebooks" / f"{nb.stem}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    with open(log, "w", encoding="utf-8") as fh:
        os.dup2(fh.fileno(), 2)
    try:
        return _execute(nb, path, out_id, out_root)
    except Exception as e:  # papermill's execution error, or a kernel that died
        return _failure_line(path, nb, e)


def _execute(nb: Path, path: Path, out_id: str, out_root: Path) -> float:
    """Run one notebook on one input through its ``parameters`` cell; return the seconds taken."""
    import papermill as pm

    exec_dir = figure_dir(out_id, out_root) / "notebooks"
    exec_dir.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    pm.execute_notebook(
        str(nb), str(exec_dir / nb.name),
        parameters=notebook_parameters(path, out_root),
        cwd=str(config.NOTEBOOKS_DIR), kernel_name="python3", progress_bar=False,
        log_output=False, request_save_on_cell_execute=False,
    )
    return time.perf_counter() - t0


def notebook_parameters(path: Path, out_root: Path) -> dict[str, str]:
    """What a run sets in a notebook's ``parameters`` cell (the names in :data:`PARAMETERS`).

    Example:
        >>> sorted(notebook_parameters(Path("speech.txt"), Path("/tmp/figures"))) == sorted(PARAMETERS)
        True
    """
    return dict(zip(PARAMETERS, (str(path.resolve()), str(out_root)), strict=True))


def write_index(speech: Speech, out_root: Path) -> Path:
    """``figures/<speech-id>/index.md``: every figure with its caption, every table, the notebooks.

    Returns:
        The path of ``index.md``.

    Example:
        >>> import tempfile
        >>> from analysis_utils.config import SEED_SPEECH
        >>> index = write_index(load_speech(SEED_SPEECH), Path(tempfile.mkdtemp()))
        >>> print(index.read_text(encoding="utf-8"))
        # 在党建工作会议上的讲话
        <BLANKLINE>
        - 文件 File: party_building_conference_speech.txt
        - 汉字数 Chinese characters: ...
        <BLANKLINE>
        ## 图 Figures
        <BLANKLINE>
    """
    d = figure_dir(speech.id, out_root)
    captions = read_captions(d)
    m = speech.meta
    lines = [f"# {m.title or speech.id}", ""]
    facts = [("文件 File", speech.path.name), ("日期 Date", m.date), ("讲话人 Speaker", m.speaker),
             ("汉字数 Chinese characters", speech.han_chars)]
    lines += [f"- {k}: {v}" for k, v in facts if v] + ["", "## 图 Figures", ""]
    for png in sorted(d.glob("*.png")):
        caption = captions.get(png.stem, png.stem)
        lines += [f"### {png.stem}", "", f"![{caption}]({png.name})", "", caption, "",
                  f"[PNG]({png.name}) · [SVG]({png.stem}.svg)", ""]
    tables = sorted(d.glob("*.csv"))
    if tables:
        lines += ["## 表 Tables (CSV, UTF-8 with BOM)", ""] + [f"- [{t.name}]({t.name})" for t in tables] + [""]
    executed = sorted((d / "notebooks").glob("*.ipynb"))
    if executed:
        lines += ["## 笔记本 Executed notebooks", ""] + [f"- [{n.name}](notebooks/{n.name})" for n in executed] + [""]
    text = "\n".join(lines)
    return atomic_write(d / "index.md", lambda tmp: tmp.write_text(text, encoding="utf-8"))
