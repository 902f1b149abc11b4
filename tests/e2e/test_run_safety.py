"""`run` with real processes, kernels and signals: where outputs land, what a rerun leaves, and what
a killed worker, Ctrl-C and ``kill -9`` do.

The runs use a small project of their own (``ANALYSIS_UTILS_ROOT``) whose notebooks take a second:
``01_terms`` saves a figure per term it finds (发展, 改革) and a table naming the input file, and
sleeps when the speech says 慢, so a test can catch it running. Every process a test starts carries
a marker in its environment; each test checks (and at the end ensures) that none is left.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # kernels start in every test

NOTEBOOK_CODE = '''\
import time
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from analysis_utils import Outputs, open_speech
speech = open_speech(speech_path)
out = Outputs(speech.id, out_dir)
for term in ("发展", "改革"):
    if term in speech.body:
        fig, ax = plt.subplots()
        out.fig(fig, f"01_{term}", caption=f"{term} · {speech.path.name}")
        plt.close(fig)
out.table(pd.DataFrame({"file": [speech.path.name]}), "01_file")
if "慢" in speech.body:
    time.sleep(600)
'''


def _notebook(code: str) -> dict:
    def cell(source, tags=()):
        return {"cell_type": "code", "execution_count": None, "id": uuid.uuid4().hex[:8],
                "metadata": {"tags": list(tags)}, "outputs": [], "source": source}

    return {"cells": [cell("speech_path = None\nout_dir = None", ["parameters"]), cell(code)],
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                         "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def project(tmp_path):
    """A project root with one quick notebook, and inputs beside it."""
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "notebooks" / "01_terms.ipynb").write_text(json.dumps(_notebook(NOTEBOOK_CODE), ensure_ascii=False),
                                                       encoding="utf-8")
    return root


@pytest.fixture
def marker():
    """A marker put into the environment of every process a test starts; leftovers killed at the end."""
    mark = uuid.uuid4().hex
    yield mark
    for p in _marked(mark):
        try:
            p.kill()
        except psutil.Error:
            pass


def _marked(mark: str) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter():
        try:
            if p.environ().get("SAFE_RUN_TEST") == mark:
                found.append(p)
        except psutil.Error:
            continue
    return found


def _start(project: Path, mark: str, *args: str, cwd: Path | None = None, umask: int = -1) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANALYSIS_UTILS_")}
    env.update(ANALYSIS_UTILS_ROOT=str(project), ANALYSIS_UTILS_CACHE=str(project / ".cache"), SAFE_RUN_TEST=mark,
               PYTHONPATH=str(ROOT / "src"))
    return subprocess.Popen([sys.executable, "-m", "analysis_utils", "run", *args, "--quiet"], cwd=cwd or project,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, umask=umask)


def _finish(proc: subprocess.Popen, timeout: float = 180) -> tuple[int, str]:
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err


def _until(check, timeout: float = 60.0, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _kernels(proc: subprocess.Popen) -> list[psutil.Process]:
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return [c for c in children if "ipykernel" in " ".join(c.cmdline())]


def _speech(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.write_text(f"在会议上的讲话\n同志们：\n{text}\n", encoding="utf-8")
    return p


# ------------------------------------------------------------------------------------ modes
@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_what_run_writes_has_the_mode_of_the_users_umask(project, marker, tmp_path, mask, mode):
    # before: figures, tables and captions were 0600 under any umask (unreadable to colleagues)
    _speech(project / "seeds", "a.txt", "推动发展，深化改革。")
    out = tmp_path / "out"
    code, err = _finish(_start(project, marker, str(project / "seeds" / "a.txt"), "--out", str(out), umask=mask))
    assert code == 0, err
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {"01_发展.png", "01_改革.svg", "01_file.csv", "captions.json", "index.md", "01_terms.ipynb"} <= {
        p.name for p in files}
    assert {str(p.relative_to(out)): oct(p.stat().st_mode & 0o777) for p in files} == {
        str(p.relative_to(out)): oct(mode) for p in files}


# ------------------------------------------------------------------------------------ ids
def test_odd_names_never_write_outside_the_output_folder(project, marker, tmp_path):
    """`...txt` had the id `..`: run wrote into the project root and replaced the source notebook."""
    source = (project / "notebooks" / "01_terms.ipynb").read_bytes()
    inputs = tmp_path / "in"
    inputs.mkdir()
    dots3 = _speech(inputs, "...txt", "我们要发展。")
    dots2 = _speech(inputs, "..txt", "我们要改革。")
    code, err = _finish(_start(project, marker, str(dots3), str(dots2)))  # default --out: project/figures
    assert code == 0, err
    assert (project / "notebooks" / "01_terms.ipynb").read_bytes() == source
    assert sorted(p.name for p in (project / "notebooks").iterdir()) == ["01_terms.ipynb"]
    figures = project / "figures"
    assert sorted(p.name for p in figures.iterdir()) == ["speech", "speech_txt"]
    assert not [p for p in figures.iterdir() if p.is_file()]
    assert (figures / "speech" / "01_发展.png").is_file() and (figures / "speech_txt" / "01_改革.png").is_file()


def test_one_name_two_files_two_folders_and_a_link_is_run_once(project, marker, tmp_path):
    """report.txt and report.md shared one folder (one analysis lost); a symlink ran twice into it."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    txt = _speech(inputs, "report.txt", "我们要发展。")
    md = _speech(inputs, "report.md", "我们要改革。")
    link = inputs / "link.txt"
    link.symlink_to(txt)
    out = tmp_path / "out"
    code, err = _finish(_start(project, marker, str(txt), str(md), str(link), "--out", str(out)))
    assert code == 0, err
    assert "link.txt: the same file as" in err and "analysed once" in err
    assert sorted(p.name for p in out.iterdir()) == ["report", "report_md"]
    assert sorted(p.name for p in (out / "report").glob("*.png")) == ["01_发展.png"]
    assert sorted(p.name for p in (out / "report_md").glob("*.png")) == ["01_改革.png"]
    assert "report.txt" in (out / "report" / "01_file.csv").read_text(encoding="utf-8-sig")
    assert "report.md" in (out / "report_md" / "01_file.csv").read_text(encoding="utf-8-sig")
    assert "report.md" in (out / "report_md" / "index.md").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ reruns
def test_a_rerun_leaves_exactly_what_it_made_and_nothing_of_the_user_is_touched(project, marker, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    speech = _speech(inputs, "s.txt", "我们要发展，也要改革。")
    out = tmp_path / "out"
    code, err = _finish(_start(project, marker, str(speech), "--out", str(out)))
    assert code == 0, err
    d = out / "s"
    assert sorted(p.name for p in d.glob("*.png")) == ["01_发展.png", "01_改革.png"]
    mine = {"notes.txt": b"my notes", "draft.docx": b"PK..", "notebooks/my_analysis.py": b"print(1)"}
    for name, data in mine.items():
        (d / name).write_bytes(data)
    speech.write_text("在会议上的讲话\n同志们：\n我们要发展。\n", encoding="utf-8")  # 改革 is gone from the text
    code, err = _finish(_start(project, marker, str(speech), "--out", str(out)))
    assert code == 0, err
    assert sorted(p.name for p in d.glob("*.png")) == ["01_发展.png"]
    assert sorted(p.name for p in d.glob("*.svg")) == ["01_发展.svg"]
    captions = json.loads((d / "captions.json").read_text(encoding="utf-8"))
    assert list(captions) == ["01_发展"]
    index = (d / "index.md").read_text(encoding="utf-8")
    assert "01_发展" in index and "改革" not in index
    for name, data in mine.items():
        assert (d / name).read_bytes() == data, name
    assert sorted(p.name for p in (d / "notebooks").iterdir()) == ["01_terms.ipynb", "01_terms.log", "my_analysis.py"]


# ---------------------------------------------------------------------------- processes
def test_a_killed_worker_fails_its_notebook_and_the_others_finish(project, marker, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    slow = _speech(inputs, "a_slow.txt", "我们要发展，慢慢来。")
    fast = [_speech(inputs, f"b{i}.txt", "我们要改革。") for i in range(2)]
    out = tmp_path / "out"
    proc = _start(project, marker, str(slow), *map(str, fast), "--out", str(out), "--jobs", "1")
    kernel = _until(lambda: _kernels(proc), what="the first kernel")[0]
    _until(lambda: (out / "a_slow" / "01_file.csv").exists(), what="the slow notebook to reach its sleep")
    kernel.parent().kill()  # the worker running the slow notebook
    code, err = _finish(proc)
    assert code == 1, err
    assert "a_slow.txt: 01_terms.ipynb: its worker process was killed (SIGKILL)" in err
    assert "unexpected" not in err and "Traceback" not in err
    for f in fast:
        assert (out / f.stem / "01_改革.png").is_file() and (out / f.stem / "index.md").is_file(), err
    assert (out / "a_slow" / "index.md").is_file()
    assert not list((out / "a_slow" / "notebooks").glob("*.ipynb"))  # no half-written executed notebook
    _until(lambda: not _marked(marker), timeout=15, what="every process to end")


@pytest.mark.parametrize("to", ["run", "process group"])  # `kill -INT`, and a terminal's Ctrl-C (every process)
def test_ctrl_c_stops_within_seconds_keeps_what_finished_and_writes_the_index(project, marker, tmp_path, to):
    inputs = tmp_path / "in"
    inputs.mkdir()
    slow = _speech(inputs, "a_slow.txt", "我们要发展，慢慢来。")
    fast = _speech(inputs, "b_fast.txt", "我们要改革。")
    out = tmp_path / "out"
    proc = _start(project, marker, str(slow), str(fast), "--out", str(out), "--jobs", "2")
    _until(lambda: (out / "b_fast" / "notebooks" / "01_terms.ipynb").exists(), what="the quick notebook")
    _until(lambda: (out / "a_slow" / "01_file.csv").exists(), what="the slow notebook to reach its sleep")
    t0 = time.monotonic()
    if to == "run":
        os.kill(proc.pid, signal.SIGINT)
    else:
        os.killpg(proc.pid, signal.SIGINT)  # run leads its own session: the group is run and its workers
    code, err = _finish(proc, timeout=30)
    assert time.monotonic() - t0 < 15
    assert code == 130 and "interrupted" in err, err
    assert (out / "b_fast" / "01_改革.png").is_file()
    assert "01_改革" in (out / "b_fast" / "index.md").read_text(encoding="utf-8")
    assert (out / "a_slow" / "index.md").is_file()
    assert not list((out / "a_slow" / "notebooks").glob("*.ipynb"))  # the stopped one left no partial notebook
    _until(lambda: not _marked(marker), timeout=15, what="every process to end")


def test_kill_9_of_run_leaves_no_worker_or_kernel_behind(project, marker, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    speeches = [_speech(inputs, f"slow{i}.txt", "我们要发展，慢慢来。") for i in range(2)]
    proc = _start(project, marker, *map(str, speeches), "--out", str(tmp_path / "out"), "--jobs", "2")
    _until(lambda: len(_kernels(proc)) == 2, what="two kernels")
    proc.kill()
    proc.wait(timeout=30)
    _until(lambda: not _marked(marker), timeout=15, what="every worker and kernel to end")
