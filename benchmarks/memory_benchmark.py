"""Peak memory of the corpus counts and the speed of lexicon counting: the code before (a commit) and now, same run.

Run from the project root (under ``nice``: the machine is shared)::

    nice -n 5 .venv/bin/python benchmarks/memory_benchmark.py                  # 20 and 100 MB
    nice -n 5 .venv/bin/python benchmarks/memory_benchmark.py --sizes 20 100 300 --base 8a13ba9

For each size it builds a corpus of distinct texts (``run_benchmark.build_corpus``: every body
distinct after the loader's cleaning) in a temporary folder, and measures, each step in a fresh
process (``run_benchmark.run_measured``: the largest sum over the process and its workers of
the proportional set size, PSS, sampled every 50 ms), the code at ``--base`` (``git archive``)
and the working tree, in turn:

* ``cold``: ``corpus_term_counts(folder)`` with an empty token cache (all cores, workers included);
* ``freq``: ``corpus_term_frequency(folder, top_n=100)`` on the cached tokens (one frequency list);
* ``terms``: the per-speech counts of ten terms on the cached tokens (``corpus_term_counts(folder,
  terms=…)``; the base code has no ``terms=``: its whole table, then the ten terms' rows);
* ``table``: ``corpus_term_counts(folder)`` on the cached tokens (the whole long table);
* ``lexicon``: ``corpus_substring_counts(folder)`` of every lexicon phrase over the cached bodies,
  best of ``--repeat`` calls in one process, as MB of corpus files per second.

Stored result tables (the cache's memo of a finished count) are deleted before each step, so
every step counts. Every step's table is checked equal between the two codes (a digest of it).
The temporary folders are deleted at the end.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TERMS = ["发展", "人民", "改革", "党", "经济", "坚持", "社会主义", "干部", "创新", "全面从严治党"]
TARGET_MB, LEXICON_MBPS = 1000, 250


# ---------------------------------------------------------------------------- steps (child processes)
def _digest(df) -> str:
    return hashlib.sha256(df.to_csv(index=False).encode()).hexdigest()[:16]


def _clear_results(cache: str) -> None:
    for d in Path(cache).glob("*/results"):
        shutil.rmtree(d, ignore_errors=True)


def step(name: str, corpus: str, cache: str, repeat: int) -> dict:
    import inspect

    from analysis_utils.scale import corpus_substring_counts, corpus_term_counts, corpus_term_frequency

    _clear_results(cache)
    kw = dict(cache=cache, progress=False, duplicates="keep")
    t0 = time.perf_counter()
    if name in ("cold", "table"):
        df = corpus_term_counts(corpus, **kw)
    elif name == "freq":
        df = corpus_term_frequency(corpus, top_n=100, **kw)
    elif name == "terms":
        if "terms" in inspect.signature(corpus_term_counts).parameters:
            df = corpus_term_counts(corpus, terms=TERMS, **kw)
        else:
            df = corpus_term_counts(corpus, **kw)
            df = df[df["term"].isin(TERMS)].reset_index(drop=True)
    elif name == "lexicon":
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            df = corpus_substring_counts(corpus, None, zeros=False, **kw)
            best = min(best, time.perf_counter() - t0)
        return {"seconds": best, "rows": len(df), "digest": _digest(df)}
    else:
        raise SystemExit(f"error: no step {name}")
    return {"seconds": time.perf_counter() - t0, "rows": len(df), "digest": _digest(df)}


# ---------------------------------------------------------------------------- parent
def measure(rb, code: Path, name: str, corpus: Path, cache: Path, repeat: int) -> dict:
    rb.CODE["root"] = code
    rb.CODE["env"] = {"PYTHONPATH": str(code / "src"), "ANALYSIS_UTILS_ROOT": str(code)}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--step", name, "--corpus", str(corpus),
           "--cache", str(cache), "--repeat", str(repeat)]
    res, wall, mem, err = rb.run_measured(cmd)
    if res is None:
        sys.exit(f"error: step {name} ({code}) failed: {err}")
    return {**res, "pss": mem["pss"], "rss": mem["rss"]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[20, 100], help="corpus sizes in MB (default 20 100)")
    ap.add_argument("--base", default="8a13ba9", help="the commit measured as 'before' (default 8a13ba9)")
    ap.add_argument("--repeat", type=int, default=3, help="lexicon: best of this many calls (default 3)")
    ap.add_argument("--cold", choices=["both", "after", "none"], default="both",
                    help="which code's cold run to measure (default both; 'none': the cache is filled by the new "
                         "code, unmeasured)")
    ap.add_argument("--corpus-dir", type=Path, help="measure this corpus (built before by build_corpus) instead of "
                                                    "building one (one size; the folder is kept)")
    ap.add_argument("--cache-dir", type=Path, help="with --corpus-dir: a token cache already filled for it (kept; "
                                                   "its stored result tables are deleted)")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.step:
        print(json.dumps(step(args.step, args.corpus, args.cache, args.repeat)))
        return 0

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import run_benchmark as rb

    load0 = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="memlex_bench_"))
    rows = []
    try:
        base = tmp / "base"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.base], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        codes = {"before": base, "after": ROOT}
        for size in args.sizes:
            corpus = args.corpus_dir or tmp / f"corpus{size:g}"
            if args.corpus_dir:
                files = list(corpus.glob("*.txt"))
                info = {"bytes": sum(f.stat().st_size for f in files), "distinct": f"{len(files)} files"}
            else:
                info = rb.build_corpus(corpus, size)
            mb = info["bytes"] / 1e6
            caches = {k: tmp / f"cache{size:g}_{k}" for k in codes}
            if args.cache_dir:
                caches["after"] = args.cache_dir
            elif args.cold == "none":  # the token cache filled by the new code, not measured
                measure(rb, ROOT, "table", corpus, caches["after"], 1)
            for name in ([] if args.cold == "none" else ["cold"]) + ["freq", "terms", "table", "lexicon"]:
                got = {}
                for label, code in codes.items():
                    cache = caches[label] if name == "cold" else caches["after"]  # one token cache: same tokens
                    if name == "cold" and label == "before" and args.cold == "after":
                        got[label] = {"pss": float("nan"), "rss": float("nan"), "seconds": float("nan"), "digest": "-"}
                        continue
                    print(f"{size:g} MB, {name}, {label} …", file=sys.stderr, flush=True)
                    got[label] = measure(rb, code, name, corpus, cache, args.repeat)
                same = got["before"]["digest"] in (got["after"]["digest"], "-")
                rows.append((size, mb, info["distinct"], name, got, same))
                print(render(rows[-1:], args, load0).splitlines()[4], file=sys.stderr, flush=True)
            for c in caches.values():
                if c != args.cache_dir:
                    shutil.rmtree(c, ignore_errors=True)
            if not args.corpus_dir:
                shutil.rmtree(corpus, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(render(rows, args, load0))
    return 0


def render(rows, args, load0) -> str:
    lines = [f"memory_benchmark.py --sizes {' '.join(f'{s:g}' for s in args.sizes)}: before = commit {args.base}, "
             f"after = working tree; load average (1/5/15 min) at the start {load0[0]:.1f}/{load0[1]:.1f}/{load0[2]:.1f}, "
             f"at the end {'/'.join(f'{x:.1f}' for x in os.getloadavg())}",
             "",
             "| MB | distinct bodies | step | peak PSS before | peak PSS after | s before | s after | same table |",
             "|---:|---:|---|---:|---:|---:|---:|---|"]
    for _size, mb, distinct, name, got, same in rows:
        b, a = got["before"], got["after"]
        lines.append(f"| {mb:.1f} | {distinct} | {name} | {b['pss']:.0f} MB | {a['pss']:.0f} MB | {b['seconds']:.2f} | "
                     f"{a['seconds']:.2f} | {'yes' if same else '**NO**'} |")
    lines.append("")
    for _size, mb, _, name, got, _ in rows:
        if name == "lexicon":
            b, a = (mb / got[k]["seconds"] for k in ("before", "after"))
            lines.append(f"- lexicon at {mb:.0f} MB: {b:.1f} → {a:.1f} MB/s ({a / b:.2f}×); target ≥ {LEXICON_MBPS} MB/s: "
                         f"{'met' if a >= LEXICON_MBPS else 'not met'}")
    for name in ("cold", "freq", "terms", "table"):
        peaks = [(mb, got["after"]["pss"], got["before"]["pss"]) for _, mb, _, n, got, _ in rows if n == name]
        if peaks:
            after = ", ".join(f"{p:.0f}" for _, p, _ in peaks)
            before = ", ".join(f"{p:.0f}" for _, _, p in peaks)
            worst = max(p for _, p, _ in peaks)
            lines.append(f"- {name}: peak PSS at {', '.join(f'{m:.0f}' for m, _, _ in peaks)} MB: before {before} MB, after "
                         f"{after} MB; < {TARGET_MB} MB: {'met' if worst < TARGET_MB else 'not met'}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
