"""The corpus path on a Dask cluster against the local pool, same corpus, same run.

Run from the project root (under ``nice``, the machine is shared)::

    nice -n 5 .venv/bin/python benchmarks/dask_benchmark.py --corpus DIR20 --corpus DIR100   # folders of .txt speeches
    nice -n 5 .venv/bin/python benchmarks/dask_benchmark.py --size-mb 5 --repeat 1   # a corpus built here

Each corpus is a folder of texts whose bodies are all distinct after cleaning (``--corpus``, e.g. one
made by ``run_benchmark.build_corpus``; or ``--size-mb`` MB built in a temporary folder outside the
repository). On each, in turn (local, dask, local, dask …, ``--repeat`` rounds), each in a fresh
Python process with an empty token cache of its own, a cold ``corpus_term_counts`` of the folder:

* ``local``: the local pool (``workers`` = the cores);
* ``dask``: ``analysis_utils.scale.cluster.local_cluster(n_workers=<cores>)`` started in the process
  (a ``distributed.LocalCluster(threads_per_worker=1, processes=True)`` whose workers are forked once
  the tokenizer is made, so they share it, as the local pool's do), the count given ``scheduler=``
  its address (the count makes its own client, as ``--scheduler ADDRESS`` on the command line does);
* ``dask-plain`` (once per corpus, unless ``--no-plain``): Dask's own ``LocalCluster`` of the same
  shape (its default ``spawn`` start: every worker imports the package and makes its own tokenizer).

Time: the whole process (imports, cluster start and stop included), the count call alone (the local
pool's start, its tokenizer included, is inside the call; the cluster's is before it, as for a
cluster that is already running) and CPU seconds (user + system) of every process: the main one
(client, scheduler and nannies for Dask) and its children (the workers). Memory: the peak over the
run of the PSS summed over the process and all its children (``run_benchmark.run_measured``), and,
from inside the process, the main process and its children apart at the moment their sum peaks. The
tables of all runs are checked identical (a hash of each). Ratios dask / local of the best of the rounds (fastest time, largest peak memory);
targets ≤ 1.2× the time and ≤ 1.3× the memory.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run_benchmark as rb  # noqa: E402  (the corpus builder and the memory sampler)

TARGETS = {"time": 1.2, "memory": 1.3}


class _Memory:
    """The PSS of this process and of its children (MB), sampled every 50 ms: the parts at the
    moment their sum peaks."""

    def __init__(self):
        self.peak: dict = {"main": 0.0, "children": 0.0, "n_children": 0}
        self.stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()

        def pss(p) -> int:
            try:
                m = p.memory_full_info()
                return getattr(m, "pss", m.rss)
            except psutil.Error:
                return 0

        peak = self.peak
        while not self.stop.is_set():
            kids = me.children(recursive=True)
            main, children = pss(me) / 1e6, sum(pss(k) for k in kids) / 1e6
            if main + children > peak["main"] + peak["children"]:
                peak.update(main=main, children=children)
            peak["n_children"] = max(peak["n_children"], len(kids))
            self.stop.wait(0.05)


def _cpu(who) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def step(args) -> dict:
    """One cold count in this process (``--step local|dask|dask-plain``); a JSON line on stdout."""
    import pandas as pd

    mem = _Memory()
    from analysis_utils.scale import corpus_term_counts

    n = len(os.sched_getaffinity(0))
    kwargs = {"cache": args.cache, "progress": False, "duplicates": "keep"}
    t0 = time.perf_counter()
    if args.step == "local":
        df = corpus_term_counts(args.corpus, workers=n, **kwargs)
        started = t0
        counted = time.perf_counter()
    else:
        from distributed import LocalCluster

        from analysis_utils.scale.cluster import local_cluster

        make = local_cluster if args.step == "dask" else LocalCluster  # "dask-plain": Dask's default start
        with make(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                  silence_logs=40) as cluster:
            started = time.perf_counter()
            df = corpus_term_counts(args.corpus, scheduler=cluster.scheduler_address, **kwargs)
            counted = time.perf_counter()
    mem.stop.set()
    digest = int(pd.util.hash_pandas_object(df, index=True).sum()) & 0xFFFFFFFFFFFF
    peak = mem.peak
    return {"count_seconds": counted - started, "start_seconds": started - t0, "rows": len(df), "hash": digest,
            "main_pss_mb": peak["main"], "children_pss_mb": peak["children"],
            "processes": 1 + peak["n_children"], "main_cpu": _cpu(resource.RUSAGE_SELF),
            "children_cpu": _cpu(resource.RUSAGE_CHILDREN)}


def measure(kind: str, corpus: Path, tmp: Path, i: int, src: Path | None = None) -> dict:
    """One run of ``kind`` in a new process (``src``: the package's code from there)."""
    cache = tmp / f"cache_{kind}_{i}"
    step = kind.removesuffix("-before")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--step", step, "--corpus", str(corpus), "--cache", str(cache)]
    before = _cpu(resource.RUSAGE_CHILDREN)
    res, wall, mem, err = rb.run_measured(cmd, {"PYTHONPATH": str(src)} if src else None)
    cpu = _cpu(resource.RUSAGE_CHILDREN) - before  # the process and every process it waited for
    shutil.rmtree(cache, ignore_errors=True)
    if res is None:
        sys.exit(f"error: the {kind} run failed: {err}")
    return {**res, "wall": wall, "cpu": cpu, "pss_mb": mem["pss"], "rss_mb": mem["rss"]}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", action="append", type=Path, help="a corpus folder (repeat for several)")
    p.add_argument("--size-mb", type=float, default=20, help="without --corpus: build this many MB")
    p.add_argument("--repeat", type=int, default=3, help="rounds of local and dask, alternating; the best is kept")
    p.add_argument("--no-plain", action="store_true", help="without Dask's own LocalCluster")
    p.add_argument("--before", type=Path, metavar="SRC",
                   help="also the dask run with the package from SRC (older code: its src folder), in turn")
    p.add_argument("--step", choices=["local", "dask", "dask-plain"], help=argparse.SUPPRESS)
    p.add_argument("--cache", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.step:
        args.corpus = args.corpus[0]
        print(json.dumps(step(args)))
        return 0
    rb.CODE["env"] = {"PYTHONPATH": str(rb.ROOT / "src")}
    with tempfile.TemporaryDirectory(prefix="dask_bench_") as t:
        tmp = Path(t)
        corpora = args.corpus or [tmp / "corpus"]
        for corpus in corpora:
            if args.corpus:
                files = sorted(corpus.glob("*.txt"))
                info = {"files": len(files), "bytes": sum(f.stat().st_size for f in files), "distinct": None}
            else:
                info = rb.build_corpus(corpus, args.size_mb)
            load = open("/proc/loadavg").read().split()[:3]
            kinds = ("local", "dask", "dask-before") if args.before else ("local", "dask")
            runs: dict[str, list[dict]] = {k: [] for k in kinds}
            for i in range(args.repeat):
                for kind in kinds:
                    src = args.before if kind == "dask-before" else None
                    runs[kind].append(_said(kind, i, measure(kind, corpus, tmp, i, src)))
            if not args.no_plain:
                runs["dask-plain"] = [_said("dask-plain", 0, measure("dask-plain", corpus, tmp, 0))]
            print(render(runs, corpus, info, load, open("/proc/loadavg").read().split()[:3]), flush=True)
    return 0


def _said(kind: str, i: int, r: dict) -> dict:
    print(f"  {kind} #{i + 1}: {r['wall']:.1f} s whole process, {r['count_seconds']:.1f} s counting, CPU "
          f"{r['cpu']:.1f} s (main {r['main_cpu']:.1f}, children {r['children_cpu']:.1f}), peak PSS "
          f"{r['pss_mb']:.0f} MB (main {r['main_pss_mb']:.0f}, children {r['children_pss_mb']:.0f}; "
          f"{r['processes']} processes)", file=sys.stderr, flush=True)
    return r


def render(runs: dict, corpus: Path, info: dict, load_start, load_end) -> str:
    fastest = ("wall", "count_seconds", "start_seconds", "cpu", "main_cpu", "children_cpu")
    largest = ("pss_mb", "rss_mb")
    best = {k: {**{m: min(r[m] for r in v) for m in fastest}, **{m: max(r[m] for r in v) for m in largest}}
            for k, v in runs.items()}
    for k, v in runs.items():  # the parts of the largest peak
        top = max(v, key=lambda r: r["pss_mb"])
        best[k].update(main_pss_mb=top["main_pss_mb"], children_pss_mb=top["children_pss_mb"])
    same = len({r["hash"] for v in runs.values() for r in v}) == 1 and len({r["rows"] for v in runs.values() for r in v}) == 1
    met = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    lines = [
        f"corpus {corpus}: {info['files']} files, {info['bytes'] / 1e6:.1f} MB"
        + (f", {info['distinct']} distinct bodies after cleaning" if info.get("distinct") else "")
        + f"; cold corpus_term_counts, fastest / largest of {len(runs['local'])} alternating runs; "
        f"load average {' '.join(load_start)} → {' '.join(load_end)}",
        "",
        "| run | whole process (s) | counting (s) | cluster start (s) | CPU s, all processes | CPU s main | CPU s "
        "children | peak PSS, all processes (MB) | at its peak: main (MB) | children (MB) | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for k, b in best.items():
        lines.append(f"| {k} | {b['wall']:.1f} | {b['count_seconds']:.1f} | {b['start_seconds']:.1f} | {b['cpu']:.1f} | "
                     f"{b['main_cpu']:.1f} | {b['children_cpu']:.1f} | {b['pss_mb']:.0f} | {b['main_pss_mb']:.0f} | "
                     f"{b['children_pss_mb']:.0f} | {b['rss_mb']:.0f} |")
    lines.append("")
    lo = best["local"]
    for k in [k for k in best if k != "local"]:
        b = best[k]
        c_ratio, w_ratio = b["count_seconds"] / lo["count_seconds"], b["wall"] / lo["wall"]
        m_ratio = b["pss_mb"] / lo["pss_mb"]
        lines += [f"time {k} / local: {c_ratio:.2f}× counting, {w_ratio:.2f}× whole process, "
                  f"{b['cpu'] / lo['cpu']:.2f}× CPU; target ≤ {TARGETS['time']}× (counting): "
                  f"{met(c_ratio <= TARGETS['time'])}",
                  f"memory {k} / local: {m_ratio:.2f}× peak PSS, target ≤ {TARGETS['memory']}×: "
                  f"{met(m_ratio <= TARGETS['memory'])}"]
    lines.append(f"tables identical: {'yes' if same else 'NO'}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
