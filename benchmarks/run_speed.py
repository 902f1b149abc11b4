"""One speech through every notebook: ``run`` against its floor, an earlier commit against the working tree.

Run from the project root::

    ./py benchmarks/run_speed.py                    # base 8a13ba9 (before issue 20) and the working tree, best of 2
    ./py benchmarks/run_speed.py --base HEAD~1 --repeat 3
    ./py benchmarks/run_speed.py --no-base          # the working tree only

For each version of the code (``--base``: ``git archive`` of that commit in a temporary folder outside
the project; then the working tree), in turn, ``--repeat`` times:

- ``run``: ``python -m analysis_utils run SEED --out TMP --quiet`` (one process and its workers and
  kernels, exactly as a user starts it), wall seconds and CPU seconds (user + system of the whole
  process tree), and each notebook's seconds as papermill recorded them in the executed notebook;
- the floor: the same notebooks reduced to their ``parameters`` cell and their imports
  (:func:`run_benchmark.floor_notebooks`, the floor of ``benchmarks/run_benchmark.py``), run one after
  another by papermill in one process: what any run of these notebooks costs at the least
  (a kernel per notebook, the imports).

Each version gets its own empty package cache (``ANALYSIS_UTILS_CACHE``) at the start, kept across its
repeats: the first ``run`` of a version is cold (it makes the cache, as a user's first run does), the later
ones warm. The fastest repeat counts. It prints every repeat, then per version the best ``run``,
the best floor and their ratio, and the ratio's target (≤ 1.5×). Times are wall-clock seconds on a
shared machine (the load average is printed): compare the rows of one run, not runs on different days.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
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
from run_benchmark import floor_notebooks  # noqa: E402  (the one floor of both benchmarks)


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process of this one, and of theirs."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], code: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run ``cmd`` with ``code``'s package on the path; (wall seconds, CPU seconds of its process tree)."""
    cpu0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=code, env={**os.environ, **env, "PYTHONPATH": str(code / "src")},
                          capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, children_cpu() - cpu0
    if proc.returncode:
        sys.exit(f"error: {' '.join(cmd[:4])} … failed in {code}:\n{proc.stderr[-2000:]}")
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


def floor_command(floor: list[Path], out: Path, where: Path) -> list[str]:
    code = (
        "import papermill as pm\n"
        f"for nb in {[str(p) for p in floor]!r}:\n"
        f"    pm.execute_notebook(nb, nb + '.out.ipynb', parameters={{'speech_path': {str(SEED)!r}, 'out_dir': {str(out)!r}}},\n"
        f"        cwd={str(where)!r}, kernel_name='python3', progress_bar=False, log_output=False,\n"
        "        request_save_on_cell_execute=False)\n"
    )
    return [sys.executable, "-c", code]


def measure(name: str, code: Path, tmp: Path, repeat: int) -> dict:
    """``repeat`` runs of ``run`` and of the floor on ``code``, alternating; every result kept."""
    env = {"ANALYSIS_UTILS_CACHE": str(tmp / f"cache_{name}")}
    floor = floor_notebooks(notebooks_of(code), tmp / f"floor_{name}")
    rows = []
    for i in range(repeat):
        out = tmp / f"figs_{name}_{i}"
        wall, cpu = timed([sys.executable, "-m", "analysis_utils", "run", str(SEED), "--out", str(out), "--quiet"], code, env)
        per_nb = notebook_seconds(out)
        fwall, fcpu = timed(floor_command(floor, tmp / f"floor_out_{name}_{i}", tmp / f"floor_{name}"), code, env)
        rows.append({"run": wall, "run_cpu": cpu, "floor": fwall, "floor_cpu": fcpu, "notebooks": per_nb})
        nbs = " ".join(f"{k} {v:.1f}" for k, v in per_nb.items())
        print(f"{name:>12} #{i + 1}: run {wall:5.1f} s (CPU {cpu:5.1f} s; notebooks {nbs}) · floor {fwall:5.1f} s "
              f"(CPU {fcpu:5.1f} s) · ratio {wall / fwall:.2f}× · load {load()}", flush=True)
    return {"run": min(r["run"] for r in rows), "floor": min(r["floor"] for r in rows),
            "run_cpu": min(r["run_cpu"] for r in rows), "floor_cpu": min(r["floor_cpu"] for r in rows), "rows": rows}


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
    p.add_argument("--no-base", action="store_true", help="measure the working tree only")
    p.add_argument("--repeat", type=int, default=2, help="runs per version; the fastest counts (default 2)")
    args = p.parse_args(argv)
    print(f"one speech: {SEED.name}; {os.cpu_count()} cores; load {load()}; best of {args.repeat}", flush=True)
    results = {}
    with tempfile.TemporaryDirectory(prefix="run-speed-") as t:
        tmp = Path(t)
        versions = [] if args.no_base else [(f"base {args.base}", archive(args.base, tmp / "base"))]
        versions.append(("working tree", ROOT))
        for name, code in versions:
            results[name] = measure(name.split()[0], code, tmp, args.repeat)
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
