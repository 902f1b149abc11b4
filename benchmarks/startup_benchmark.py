"""Start-up of a cold corpus run (issue 20): old code against new, in alternation, best of N.

    nice -n 5 python benchmarks/startup_benchmark.py --old OLD/src --corpus DIR [--repeat 3] [--whole]

``OLD``: a checkout of the code to compare with (``git worktree add --detach /tmp/old <commit>``);
``DIR``: a folder of ``.txt`` speeches, e.g. the 100 MB corpus ``benchmarks/run_benchmark.py --keep``
leaves in the folder it prints (``corpus_100``).

What it measures, for each code (``--old SRC`` and this checkout's ``src``), run by turns (old, new,
old, new, …) so that a machine getting busier or quieter slows both alike:

- **first job**: seconds from just before the process is started (``time.time()`` here) to the
  moment its parent process sends the first speech to a worker process, in the process
  ``python -m analysis_utils terms CORPUS --keep-duplicates --top 100 --format csv --out …``: the
  process is started through a small wrapper (:data:`WRAPPER`) that replaces
  ``multiprocessing.connection.Connection.send`` with one noting the time of its first call in that
  process (the first job; the workers are forked before it) and the parent's CPU seconds until then
  (user + system: less sensitive than wall time to other work on the machine), prints them, and
  ends the process there (its workers end with it). Everything serial before the workers work is in it: interpreter,
  imports, jieba's dictionary and tag table, the tokenizer, rjieba's dictionary, the planning of
  the corpus (each file hashed), the fork;
- with ``--whole``: the whole process run to its end, wall seconds and CPU seconds (user + system)
  of the parent and of its workers (``getrusage`` in the process, at exit).

Each run has a fresh cache folder holding only jieba's dictionary image, as after any first use on
a machine (each code's own, made beforehand by a separate process of that code; the old code's is
its ``dict-*.marshal``), or, with ``--no-image``, nothing at all (the first use). Prints one line
per run and the best of each, with the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

#: Runs ``python -m analysis_utils ARGS``; prints "FIRSTJOB <s> <cpu s>" (wall from $T0; the process's
#: own CPU) at the parent's first Connection.send (ending there unless $WHOLE), and at exit "CPU <self> <children>".
WRAPPER = r"""
import atexit, os, resource, runpy, sys, time
import multiprocessing.connection as mc
T0, PID, WHOLE = float(os.environ["T0"]), os.getpid(), bool(os.environ.get("WHOLE"))
send = mc.Connection.send
def first_send(self, obj):
    if os.getpid() == PID and mc.Connection.send is first_send:
        mc.Connection.send = send
        s = resource.getrusage(resource.RUSAGE_SELF)
        print(f"FIRSTJOB {time.time() - T0:.4f} {s.ru_utime + s.ru_stime:.4f}", file=sys.stderr, flush=True)
        if not WHOLE:
            os._exit(0)
    return send(self, obj)
mc.Connection.send = first_send
def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"CPU {s.ru_utime + s.ru_stime:.3f} {c.ru_utime + c.ru_stime:.3f}", file=sys.stderr, flush=True)
atexit.register(cpu)
sys.argv = ["analysis_utils", *sys.argv[1:]]
runpy.run_module("analysis_utils", run_name="__main__", alter_sys=True)
"""


def make_image(src: Path, folder: Path) -> Path:
    """A cache folder in which a process of the code at ``src`` made jieba's dictionary image."""
    folder.mkdir(parents=True)
    code = "from analysis_utils.scale.cache import jieba_dictionary; jieba_dictionary()"
    subprocess.run([PYTHON, "-c", code], env={**os.environ, "PYTHONPATH": str(src), "ANALYSIS_UTILS_CACHE": str(folder)},
                   check=True)
    return folder / "jieba"


def run_once(src: Path, image: Path | None, corpus: Path, tmp: Path, whole: bool) -> dict:
    cache = Path(tempfile.mkdtemp(prefix="cache", dir=tmp))
    if image is not None:
        shutil.copytree(image, cache / "jieba")
    out = tmp / "terms.csv"
    env = {**os.environ, "PYTHONPATH": str(src), "ANALYSIS_UTILS_CACHE": str(cache), "T0": repr(time.time())}
    env.pop("WHOLE", None)
    if whole:
        env["WHOLE"] = "1"
    t0 = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", WRAPPER, "terms", str(corpus), "--keep-duplicates", "--top", "100",
                           "--format", "csv", "--out", str(out)], env=env, capture_output=True, text=True, cwd=tmp)
    wall = time.perf_counter() - t0
    shutil.rmtree(cache, ignore_errors=True)
    res: dict = {"wall": wall}
    for line in done.stderr.splitlines():
        if line.startswith("FIRSTJOB "):
            res["first_job"], res["cpu_to_first_job"] = map(float, line.split()[1:])
        elif line.startswith("CPU "):
            res["cpu_parent"], res["cpu_workers"] = map(float, line.split()[1:])
    if "first_job" not in res and done.returncode == 0:
        raise SystemExit(f"error: {corpus}: no job was sent to a worker (a corpus under 1.5 MB "
                         "is cut in one process): give a bigger one")
    if "first_job" not in res or (whole and done.returncode != 0):
        raise SystemExit(f"error: the run of {src} failed: {done.stderr[-2000:]}")
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", type=Path, required=True, help="the src folder of the code to compare with")
    ap.add_argument("--corpus", type=Path, required=True, help="a folder of .txt speeches")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--whole", action="store_true", help="run each process to its end (wall and CPU of the whole run)")
    ap.add_argument("--no-image", action="store_true", help="a quite empty cache folder: the first use on a machine")
    args = ap.parse_args(argv)
    codes = {"old": args.old.resolve(), "new": ROOT / "src"}
    tmp = Path(tempfile.mkdtemp(prefix="startup_bench_"))
    try:
        images = {k: None if args.no_image else make_image(src, tmp / f"image_{k}") for k, src in codes.items()}
        runs: dict[str, list[dict]] = {k: [] for k in codes}
        print(f"load average at the start: {os.getloadavg()}", flush=True)
        for i in range(args.repeat):
            for k, src in codes.items():
                r = run_once(src, images[k], args.corpus, tmp, args.whole)
                runs[k].append(r)
                print(f"run {i + 1} {k}: " + json.dumps({a: round(b, 3) for a, b in r.items()}), flush=True)
        print(f"load average at the end: {os.getloadavg()}")
        best = {k: {m: min(r[m] for r in rs) for m in rs[0]} for k, rs in runs.items()}
        for m in best["old"]:
            print(f"best of {args.repeat}, {m}: old {best['old'][m]:.2f} s, new {best['new'][m]:.2f} s "
                  f"(new/old {best['new'][m] / best['old'][m]:.2f})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
