"""The corpus path on a Dask cluster against the local pool, same corpus, same run.

Run from the project root (under ``nice``, the machine is shared)::

    nice -n 5 .venv/bin/python benchmarks/dask_benchmark.py            # 20 MB, best of 2
    nice -n 5 .venv/bin/python benchmarks/dask_benchmark.py --size-mb 5 --repeat 1

It builds ``--size-mb`` MB of texts whose bodies are all distinct after cleaning
(``run_benchmark.build_corpus``, in a temporary folder outside the repository), then runs, each in a
fresh Python process and in turn (local, dask, local, dask …), a cold ``corpus_term_counts`` of the
folder (an empty token cache each time, every speech cut):

* ``local``: the local pool (``workers`` = the cores);
* ``dask``: ``analysis_utils.scale.cluster.local_cluster(n_workers=<cores>)`` started in the process
  (a ``distributed.LocalCluster(threads_per_worker=1, processes=True)`` whose workers are forked once
  the tokenizer is made, so they share it, as the local pool's do), the count given ``scheduler=client``;
* ``dask-spawn`` (with ``--spawn``): a plain ``LocalCluster`` of the same shape (Dask's default
  ``spawn`` start: every worker imports the package and makes its own tokenizer).

Time: the whole process (imports, cluster start and stop included) and the count call alone.
Memory: the peak over the run of the PSS summed over the process and all its children
(``run_benchmark.run_measured``: for dask the client, the scheduler and the nannies, which
LocalCluster runs in the process itself, and the worker processes), and, from inside the process,
the PSS of the main process and of its children apart at the moment their sum peaks, which says
what takes it. The tables
of the two are checked identical (a hash of each). Ratios dask / local of the best of
``--repeat`` runs; targets ≤ 1.2× the time and ≤ 1.3× the memory.
"""
from __future__ import annotations

import argparse
import json
import os
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


def _own_memory(stop: threading.Event, peak: dict) -> None:
    """At the moment the PSS of this process and its children together peaks: each apart (MB),
    sampled every 50 ms."""
    import psutil

    me = psutil.Process()

    def pss(p) -> int:
        try:
            m = p.memory_full_info()
            return getattr(m, "pss", m.rss)
        except psutil.Error:
            return 0

    while not stop.is_set():
        kids = me.children(recursive=True)
        main, children = pss(me) / 1e6, sum(pss(k) for k in kids) / 1e6
        if main + children > peak.get("main", 0) + peak.get("children", 0):
            peak.update(main=main, children=children)
        peak["n_children"] = max(peak.get("n_children", 0), len(kids))
        stop.wait(0.05)


def step(args) -> dict:
    """One cold count in this process (``--step local|dask``); a JSON line on stdout."""
    import pandas as pd

    peak: dict = {}
    stop = threading.Event()
    threading.Thread(target=_own_memory, args=(stop, peak), daemon=True).start()
    from analysis_utils.scale import corpus_term_counts

    n = len(os.sched_getaffinity(0))
    t0 = time.perf_counter()
    if args.step == "local":
        df = corpus_term_counts(args.corpus, cache=args.cache, progress=False, duplicates="keep", workers=n)
        started = t0
    else:
        from distributed import Client, LocalCluster

        from analysis_utils.scale.cluster import local_cluster

        make = local_cluster if args.step == "dask" else LocalCluster  # "dask-spawn": Dask's default start
        with make(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                  silence_logs=40) as cluster, Client(cluster) as client:
            started = time.perf_counter()
            df = corpus_term_counts(args.corpus, cache=args.cache, progress=False, duplicates="keep", scheduler=client)
            counted = time.perf_counter()
    counted = time.perf_counter() if args.step == "local" else counted
    stop.set()
    digest = int(pd.util.hash_pandas_object(df, index=True).sum()) & 0xFFFFFFFFFFFF
    return {"count_seconds": counted - started, "start_seconds": started - t0, "rows": len(df), "hash": digest,
            "main_pss_mb": peak.get("main", 0), "children_pss_mb": peak.get("children", 0),
            "processes": 1 + peak.get("n_children", 0)}


def measure(kind: str, corpus: Path, tmp: Path, i: int) -> dict:
    cache = tmp / f"cache_{kind}_{i}"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--step", kind, "--corpus", str(corpus), "--cache", str(cache)]
    res, wall, mem, err = rb.run_measured(cmd)
    shutil.rmtree(cache, ignore_errors=True)
    if res is None:
        sys.exit(f"error: the {kind} run failed: {err}")
    return {**res, "wall": wall, "pss_mb": mem["pss"], "rss_mb": mem["rss"]}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size-mb", type=float, default=20)
    p.add_argument("--repeat", type=int, default=2, help="runs of each, alternating; the best is kept")
    p.add_argument("--step", choices=["local", "dask", "dask-spawn"], help=argparse.SUPPRESS)
    p.add_argument("--spawn", action="store_true",
                   help="also a plain LocalCluster (Dask's spawn start: each worker makes its own tokenizer)")
    p.add_argument("--corpus", help=argparse.SUPPRESS)
    p.add_argument("--cache", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.step:
        print(json.dumps(step(args)))
        return 0
    rb.CODE["env"] = {"PYTHONPATH": str(rb.ROOT / "src")}
    load = open("/proc/loadavg").read().split()[:3]
    with tempfile.TemporaryDirectory(prefix="dask_bench_") as t:
        tmp = Path(t)
        info = rb.build_corpus(tmp / "corpus", args.size_mb)
        kinds = ("local", "dask", "dask-spawn") if args.spawn else ("local", "dask")
        runs: dict[str, list[dict]] = {k: [] for k in kinds}
        for i in range(args.repeat):
            for kind in kinds:
                r = measure(kind, tmp / "corpus", tmp, i)
                runs[kind].append(r)
                print(f"  {kind} #{i + 1}: {r['wall']:.1f} s whole process, {r['count_seconds']:.1f} s counting, "
                      f"peak PSS {r['pss_mb']:.0f} MB (main {r['main_pss_mb']:.0f}, children {r['children_pss_mb']:.0f}, "
                      f"{r['processes']} processes)", file=sys.stderr)
    print(render(runs, info, load, open("/proc/loadavg").read().split()[:3]))
    return 0


def render(runs: dict, info: dict, load_start, load_end) -> str:
    best = {k: {m: min(r[m] for r in v) for m in ("wall", "count_seconds", "pss_mb", "rss_mb", "main_pss_mb",
                                                  "children_pss_mb", "start_seconds")} for k, v in runs.items()}
    same = len({r["hash"] for v in runs.values() for r in v}) == 1 and len({r["rows"] for v in runs.values() for r in v}) == 1
    met = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    lines = [
        f"corpus: {info['files']} files, {info['bytes'] / 1e6:.1f} MB, {info['distinct']} distinct bodies after cleaning; "
        f"cold corpus_term_counts, best of {len(runs['local'])}; load average {' '.join(load_start)} → {' '.join(load_end)}",
        "",
        "| run | whole process (s) | counting (s) | start-up (s) | peak PSS, all processes (MB) | at its peak: main "
        "process (MB) | children (MB) | peak RSS (MB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for k, b in best.items():
        lines.append(f"| {k} | {b['wall']:.1f} | {b['count_seconds']:.1f} | {b['start_seconds']:.1f} | {b['pss_mb']:.0f} | "
                     f"{b['main_pss_mb']:.0f} | {b['children_pss_mb']:.0f} | {b['rss_mb']:.0f} |")
    lines.append("")
    for k in [k for k in best if k != "local"]:
        t_ratio = best[k]["wall"] / best["local"]["wall"]
        c_ratio = best[k]["count_seconds"] / best["local"]["count_seconds"]
        m_ratio = best[k]["pss_mb"] / best["local"]["pss_mb"]
        lines += [f"time {k} / local: {t_ratio:.2f}× whole process ({c_ratio:.2f}× counting alone), target ≤ "
                  f"{TARGETS['time']}×: {met(t_ratio <= TARGETS['time'])}",
                  f"memory {k} / local: {m_ratio:.2f}× peak PSS, target ≤ {TARGETS['memory']}×: "
                  f"{met(m_ratio <= TARGETS['memory'])}"]
    lines.append(f"tables identical: {'yes' if same else 'NO'}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
