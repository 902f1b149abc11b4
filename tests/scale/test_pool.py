"""The pass over a corpus: workers give what one process gives, bad speeches raise or are skipped,
a record that vanishes after planning is made again; a worker killed on a speech loses only that
speech (retried once, then reported), Ctrl-C stops the pass, workers die with their parent."""
from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis_utils import SpeechError
from analysis_utils.scale import corpus_substring_counts, corpus_term_counts, pool
from analysis_utils.scale.pool import Run
from analysis_utils.scale.segmenter import TokenizerOptions

from .helpers import SAMPLE


@pytest.mark.slow
def test_workers_give_the_same_counts(tmp_path, monkeypatch, corpus_dir, tokenizer):
    monkeypatch.setattr(pool, "PARALLEL_MIN_BYTES", 0)
    paths = [corpus_dir / n for n in SAMPLE[2:]]
    parallel = corpus_term_counts(paths, cache=tmp_path / "a", workers=2, progress=False)
    single = corpus_term_counts(paths, cache=tmp_path / "b", workers=1, progress=False)
    pd.testing.assert_frame_equal(parallel, single)
    # a Tokenizer you built is handed to the workers (fork) and cuts the same
    mine = corpus_term_counts(paths, tokenizer=tokenizer, cache=tmp_path / "c", workers=2, progress=False)
    pd.testing.assert_frame_equal(mine, single)
    assert tokenizer.segmenter is None  # it cut with a fast twin; yours is left as it was


def test_bad_file_in_folder_raises_or_is_skipped(tmp_path, small_dir, capsys):
    (small_dir / "broken.txt").write_bytes(b"%PDF-1.4 binary")
    with pytest.raises(SpeechError, match="broken.txt: this is a PDF"):
        corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False)
    got = corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False, errors="skip")
    assert set(got["speech_id"]) == {p.stem for p in small_dir.iterdir()} - {"broken"}
    assert "skipped: " in capsys.readouterr().err
    with pytest.raises(ValueError, match="errors must be"):
        corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False, errors="ignore")  # type: ignore[arg-type]


def test_a_record_gone_after_planning_is_made_again(tmp_path, small_dir):
    first = corpus_substring_counts(small_dir, ["人民"], cache=tmp_path / "c", progress=False)
    run = Run(small_dir, "body", cache=tmp_path / "c")
    assert run.all_cached
    for body in (tmp_path / "c").rglob("*.txt"):
        body.unlink()  # e.g. the cache folder was cleaned meanwhile
    got = [(item.id, payload[2]) for item, payload in run(workers=1, progress=False, errors="raise", desc="")]
    assert [sid for sid, _ in got] == first["speech_id"].tolist()
    tokens = Run(small_dir, "tokens", options=TokenizerOptions(), cache=tmp_path / "c")
    assert not tokens.all_cached and tokens.plans[0].body_path is not None  # made again, tokens not yet


# ---------------------------------------------------------------------- lost workers, Ctrl-C, kill -9 (issue 13)
#: Runs in a new process: a worker kills itself (SIGKILL) when it reaches one chosen speech —
#: every time, or only the first time (a marker file remembers) — or hangs there ("hang");
#: then counts the folder.
KILL_ONE_WORKER = """
import os, signal, sys, time
from pathlib import Path
from analysis_utils.scale import corpus_term_counts, pool

folder, victim, mode, marker, api = sys.argv[1:6]
real_load = pool.load_item

def load_item(item):  # the workers are forked after this: they run it
    if item.id == victim and (mode != "once" or not Path(marker).exists()):
        Path(marker).touch()
        if mode == "hang":
            time.sleep(600)
        os.kill(os.getpid(), signal.SIGKILL)
    return real_load(item)

pool.load_item = load_item
pool.PARALLEL_MIN_BYTES = 0
if api == "cli":
    from analysis_utils.cli import main
    sys.exit(main(["terms", folder, "--format", "csv"]))
corpus_term_counts(folder, cache=False, workers=2, progress=False, errors="skip").to_csv(sys.stdout, index=False)
"""


#: Two workers, each holding two jobs: the first gets speeches 0 and 2 of the folder, the second 1.
#: Speech 0 kills its worker every time; speech 2, waiting behind it, kills its own worker once.
KILL_FIRST_AND_THIRD = """
import os, signal, sys
from pathlib import Path
from analysis_utils.scale import corpus_term_counts, pool

folder, marker = sys.argv[1:3]
names = sorted(p.stem for p in Path(folder).glob("*.txt"))
real_load = pool.load_item

def load_item(item):
    if item.id == names[0] or (item.id == names[2] and not Path(marker).exists()):
        if item.id == names[2]:
            Path(marker).touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return real_load(item)

pool.load_item = load_item
pool.PARALLEL_MIN_BYTES = 0
corpus_term_counts(folder, cache=False, workers=2, progress=False, errors="skip").to_csv(sys.stdout, index=False)
"""


@pytest.mark.slow
def test_a_job_waiting_behind_one_that_killed_its_worker_keeps_its_own_retry(tmp_path, small_dir):
    """Workers hold two jobs: when one dies of the first, the second, which never ran, is given
    again as it was; its own death later is its first, so it is given once more and counted."""
    names = sorted(small_dir.glob("*.txt"))
    expected = corpus_term_counts(small_dir, cache=False, workers=1, progress=False)
    done = _run_in_own_group([sys.executable, "-c", KILL_FIRST_AND_THIRD, str(small_dir), str(tmp_path / "third died")],
                             _env(), timeout=90)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "third died").exists()  # the third speech did kill a worker once
    assert done.stderr.splitlines() == [f"skipped: {names[0]}: a worker process died on it, twice (killed by SIGKILL)"]
    got = pd.read_csv(io.StringIO(done.stdout), keep_default_na=False)
    pd.testing.assert_frame_equal(got, expected[expected.speech_id != names[0].stem].reset_index(drop=True),
                                  check_dtype=False)


def _env() -> dict:
    import analysis_utils

    return {**os.environ, "PYTHONPATH": str(Path(analysis_utils.__file__).parents[1])}


def _run_in_own_group(args: list[str], env: dict, timeout: float) -> subprocess.CompletedProcess:
    """Run a process in a session of its own; past ``timeout``, kill it and its workers, and fail."""
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"still running after {timeout} s: hung")
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


@pytest.mark.slow
@pytest.mark.parametrize("mode,api", [("once", "api"), ("always", "api"), ("always", "cli")])
def test_a_worker_killed_on_a_speech_hangs_nothing(tmp_path, small_dir, mode, api):
    """Issue 13: one killed worker hung `terms DIR` forever with no output (Pool.imap waits for
    the lost task). Now its speech is given to a new worker once, then reported; the rest finish."""
    victim = small_dir / "002_2013-03-23.txt"
    expected = corpus_term_counts(small_dir, cache=False, workers=1, progress=False)
    env = {**_env(), "ANALYSIS_UTILS_CACHE": str(tmp_path / "cache")}
    done = _run_in_own_group([sys.executable, "-c", KILL_ONE_WORKER, str(small_dir), victim.stem, mode,
                              str(tmp_path / "killed"), api], env, timeout=90)
    assert (tmp_path / "killed").exists()  # a worker did die
    lost = f"{victim}: a worker process died on it, twice (killed by SIGKILL)"
    if api == "cli":
        assert done.returncode == 2 and done.stderr.splitlines() == [f"error: {lost}"]
        return
    assert done.returncode == 0, done.stderr
    got = pd.read_csv(io.StringIO(done.stdout), keep_default_na=False)
    if mode == "once":  # retried and counted
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
        assert done.stderr == ""
    else:  # reported; the others counted
        pd.testing.assert_frame_equal(got, expected[expected.speech_id != victim.stem].reset_index(drop=True),
                                      check_dtype=False)
        assert done.stderr.splitlines() == [f"skipped: {lost}"]


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (zombies count as gone)."""
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.fixture
def big_flat_dir(tmp_path, corpus_dir):
    """Enough real speeches in one folder (over PARALLEL_MIN_BYTES) for `terms DIR` to start workers."""
    d = tmp_path / "many"
    d.mkdir()
    for p in sorted((corpus_dir / "xi_speeches_2013_2016").glob("*.txt")):
        shutil.copy(p, d / p.name)
    for i in range(6):
        shutil.copy(corpus_dir / "cpc20_report.txt", d / f"cpc20_report_{i}.txt")
    assert sum(p.stat().st_size for p in d.iterdir()) > pool.PARALLEL_MIN_BYTES
    return d


def _start_terms(folder: Path, cache: Path) -> tuple[subprocess.Popen, set[int]]:
    """`python -m analysis_utils terms DIR` in its own session, once its workers are running."""
    proc = subprocess.Popen([sys.executable, "-m", "analysis_utils", "terms", str(folder)], env={
        **_env(), "ANALYSIS_UTILS_CACHE": str(cache)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    deadline = time.monotonic() + 120
    while len(_children(proc.pid)) < 2:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"no workers started: {proc.communicate()[1]}")
        time.sleep(0.1)
    time.sleep(0.5)
    return proc, _children(proc.pid)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_ctrl_c_stops_terms_dir_within_seconds(tmp_path, big_flat_dir):
    proc, workers = _start_terms(big_flat_dir, tmp_path / "cache")
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
    start = time.monotonic()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - start < 10
    assert proc.returncode == 130 and err.strip().splitlines()[-1] == "interrupted"
    assert not _alive(workers)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_die_with_their_parent(tmp_path, small_dir):
    """Issue 13: `kill -9` of the parent left its workers running, orphaned (here: one busy
    with a speech that takes long)."""
    marker = tmp_path / "reached"
    proc = subprocess.Popen([sys.executable, "-c", KILL_ONE_WORKER, str(small_dir), "002_2013-03-23", "hang",
                             str(marker), "api"], env={**_env(), "ANALYSIS_UTILS_CACHE": str(tmp_path / "cache")},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = _children(proc.pid)
    try:
        assert marker.exists() and workers, f"no worker reached the speech (exit status {proc.poll()})"
        proc.kill()  # kill -9 of the parent only
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(workers)
    finally:
        for pid in _alive(workers):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_workers_save_the_tags_they_work_out_and_the_next_run_starts_with_them(tmp_path, monkeypatch, small_dir):
    """Issue 20: each worker process leaves the tags jieba's tagger worked out in a file of its
    own; the next run loads them (merged into memo.bin) before its workers fork; counts are
    those of a run without any memo."""
    from analysis_utils.scale.cache import TagMemo

    monkeypatch.setattr(pool, "PARALLEL_MIN_BYTES", 0)
    cache = tmp_path / "cache"
    first = corpus_term_counts(small_dir, cache=cache, workers=2, progress=False)
    left = list(cache.glob("*/tags/*.bin"))
    assert left and {p.name.split("-")[0] for p in left} - {str(os.getpid())}  # written by the workers
    for tok in cache.glob("*/*/*.tok"):
        tok.unlink()  # the next run cuts again, with the tags remembered
    loaded = []
    real = TagMemo.load
    monkeypatch.setattr(TagMemo, "load", lambda self, tok: loaded.append((os.getpid(), real(self, tok))) or loaded[-1][1])
    second = corpus_term_counts(small_dir, cache=cache, workers=2, progress=False)
    assert loaded and loaded[0][0] == os.getpid() and loaded[0][1] > 0  # in this process, before the workers
    assert list(cache.glob("*/tags/memo.bin"))  # what the first run's workers left, merged
    plain = corpus_term_counts(small_dir, cache=False, workers=1, progress=False)
    pd.testing.assert_frame_equal(first, plain)
    pd.testing.assert_frame_equal(second, plain)
