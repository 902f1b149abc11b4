"""One speech through every notebook: ``run`` against its floor, an earlier commit against the working tree.

Run from the project root::

    ./py benchmarks/run_speed.py                    # base 8a13ba9 (before issue 20) and the working tree, best of 2
    ./py benchmarks/run_speed.py --base HEAD~1 --repeat 3
    python benchmarks/run_speed.py --base-dir OLD --repeat 3   # OLD: a checkout of the old code (git worktree add --detach)
    ./py benchmarks/run_speed.py --no-base          # the working tree only

``--repeat`` rounds; in each round, for each version of the code in turn (``--base``: ``git archive`` of
that commit in a temporary folder outside the project, or ``--base-dir``: a checkout of it; then the
working tree), so that old and new code, run and floor, all run under the same load:

- the floor: the same notebooks reduced to their ``parameters`` cell and their imports
  (:func:`run_benchmark.floor_notebooks`, the floor of ``benchmarks/run_benchmark.py``), run one after
  another by papermill in one process: what any run of these notebooks costs at the least
  (a kernel per notebook, the imports);
- ``run``: ``python -m analysis_utils run SEED --out TMP --quiet`` (one process and its workers and
  kernels, exactly as a user starts it), wall seconds and CPU seconds (user + system of the whole
  process tree), and each notebook's seconds as papermill recorded them in the executed notebook.

Each timed process gets a package cache folder of its own (``ANALYSIS_UTILS_CACHE``), empty but for
jieba's dictionary image, as after any first use on the machine (``run_benchmark.py`` does the same;
the image is made once, by a separate process, before the rounds). The fastest round counts (wall and CPU apart). It prints every round, then per version
the best ``run``, the best floor and their ratio, and the ratio's target (≤ 1.5×). Times are wall-clock
seconds on a shared machine (the load average is printed): compare the rows of one run, not runs on
different days.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "party_building_conference_speech.txt"
BASE = "8a13ba9"  # main before issue 20's speed work
TARGET = 1.5

sys.path.insert(0, str(ROOT / "benchmarks"))
from run_benchmark import floor_command, floor_notebooks  # noqa: E402  (the one floor of both benchmarks)


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process of this one, and of theirs."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], code: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run ``cmd`` with ``code``'s package on the path; (wall seconds, CPU seconds of its process tree).
    A failed process (e.g. a kernel that died on an overloaded machine) is reported and counts as
    infinitely slow, so that the other rounds still count."""
    cpu0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=code, env={**os.environ, **env, "PYTHONPATH": str(code / "src")},
                          capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
    if proc.returncode:
        print(f"failed: {' '.join(cmd[:4])} … in {code}: {proc.stderr.strip().splitlines()[-2:]}", flush=True)
        return math.inf, math.inf
    return wall, cpu


def notebook_seconds(out: Path) -> dict[str, float]:
    """Each executed notebook's seconds, as papermill recorded them."""
    found = {}
    for nb in sorted(out.glob("*/notebooks/*.ipynb")):
        meta = json.loads(nb.read_text(encoding="utf-8"))["metadata"].get("papermill", {})
        found[nb.stem[:2]] = float(meta.get("duration") or 0.0)
    return found


def notebooks_of(code: Path) -> list[Path]:
    """What ``run`` executes for one speech: 01–04, then 05 on its parts."""
    return sorted(p for p in (code / "notebooks").glob("0[1-5]_*.ipynb"))


def dictionary_image(tmp: Path) -> Path:
    """The ``jieba/`` folder of a cache folder in which a separate process made jieba's dictionary image."""
    made = tmp / "cache_image"
    made.mkdir()
    subprocess.run([sys.executable, "-c", "from analysis_utils.scale.cache import jieba_dictionary; jieba_dictionary()"],
                   cwd=ROOT, env={**os.environ, "ANALYSIS_UTILS_CACHE": str(made), "PYTHONPATH": str(ROOT / "src")},
                   check=True, capture_output=True)
    return made / "jieba"


def cache_with_image(folder: Path, image: Path) -> dict[str, str]:
    """``folder`` made, holding a copy of the dictionary image ``image``: the environment that points at it."""
    shutil.copytree(image, folder / "jieba")
    return {"ANALYSIS_UTILS_CACHE": str(folder)}


def measure_round(name: str, code: Path, tmp: Path, i: int, floor: list[Path], image: Path) -> dict:
    """One round on ``code``: the floor, then ``run``, each with a cache folder of its own (the image only)."""
    fwall, fcpu = timed(floor_command(floor, tmp / f"floor_out_{name}_{i}", tmp / f"floor_{name}"), code,
                        cache_with_image(tmp / f"cache_{name}_floor_{i}", image))
    out = tmp / f"figs_{name}_{i}"
    wall, cpu = timed([sys.executable, "-m", "analysis_utils", "run", str(SEED), "--out", str(out), "--quiet"], code,
                      cache_with_image(tmp / f"cache_{name}_run_{i}", image))
    per_nb = notebook_seconds(out)
    nbs = " ".join(f"{k} {v:.1f}" for k, v in per_nb.items())
    print(f"{name:>12} #{i + 1}: run {wall:5.1f} s (CPU {cpu:5.1f} s; notebooks {nbs}) · floor {fwall:5.1f} s "
          f"(CPU {fcpu:5.1f} s) · ratio {wall / fwall:.2f}× · load {load()}", flush=True)
    return {"run": wall, "run_cpu": cpu, "floor": fwall, "floor_cpu": fcpu, "notebooks": per_nb}


def best(rows: list[dict]) -> dict:
    """The fastest of each measure over the rounds."""
    return {k: min(r[k] for r in rows) for k in ("run", "floor", "run_cpu", "floor_cpu")} | {"rows": rows}


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def archive(commit: str, dest: Path) -> Path:
    """The files of ``commit`` in ``dest`` (``git archive``)."""
    dest.mkdir(parents=True)
    data = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=data, check=True)
    return dest


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", default=BASE, help=f"the earlier commit (default {BASE}, before issue 20)")
    p.add_argument("--base-dir", type=Path, help="a checkout of the earlier code to measure instead of --base")
    p.add_argument("--no-base", action="store_true", help="measure the working tree only")
    p.add_argument("--repeat", type=int, default=2, help="runs per version; the fastest counts (default 2)")
    args = p.parse_args(argv)
    print(f"one speech: {SEED.name}; {os.cpu_count()} cores; load {load()}; best of {args.repeat}, "
          "old and new code, floor and run in alternation", flush=True)
    with tempfile.TemporaryDirectory(prefix="run-speed-") as t:
        tmp = Path(t)
        versions = []
        if not args.no_base:
            base = args.base_dir.resolve() if args.base_dir else archive(args.base, tmp / "base")
            versions.append((f"base {args.base_dir or args.base}", base))
        versions.append(("working tree", ROOT))
        image = dictionary_image(tmp)
        floors = {name: floor_notebooks(notebooks_of(code), tmp / f"floor_{name.split()[0]}") for name, code in versions}
        rows: dict[str, list[dict]] = {name: [] for name, _ in versions}
        for i in range(args.repeat):
            for name, code in versions:
                rows[name].append(measure_round(name.split()[0], code, tmp, i, floors[name], image))
        results = {name: best(r) for name, r in rows.items()}
    print()
    for name, r in results.items():
        ratio = r["run"] / r["floor"]
        print(f"{name:>14}: run {r['run']:5.1f} s (CPU {r['run_cpu']:5.1f} s) · floor {r['floor']:5.1f} s "
              f"(CPU {r['floor_cpu']:5.1f} s) · {ratio:.2f}× the floor · target ≤ {TARGET}×: "
              f"{'met' if ratio <= TARGET else 'not met'}")
    if len(results) == 2:
        (_, old), (_, new) = results.items()
        print(f"run: {old['run'] / new['run']:.2f}× faster (CPU {old['run_cpu'] / new['run_cpu']:.2f}× less)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
