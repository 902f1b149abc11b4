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
  best of ``--repeat`` calls in one process, as MB of corpus files per second;
* ``cli``: ``python -m analysis_utils terms DIR --keep-duplicates --top 100 --format csv --out …``
  as a user types it (``cli.main`` in the step's process), cold: an empty cache folder of its own
  each time, ``--repeat`` times, before and after in turn (peak PSS: the largest; seconds and
  CPU: the least); also the CPU seconds of the process itself (the parent: reading records,
  counting) apart from its workers'.

``--steps`` picks some of them (default: all). Each step's peak PSS is also compared across sizes:
the largest over the smallest (the target: ≤ 1.25×, flat).

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
TARGET_MB, LEXICON_MBPS, FLAT = 1000, 250, 1.25
STEPS = ["cold", "freq", "terms", "table", "lexicon", "cli"]


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
    elif name == "cli":
        return _cli_step(corpus, cache)
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


def _cli_step(corpus: str, cache: str) -> dict:
    """``terms DIR`` as typed (cli.main here), cold in ``cache``: the table's digest, this process's CPU
    seconds (``parent_cpu``) and its workers' (``children_cpu``)."""
    import resource

    os.environ["ANALYSIS_UTILS_CACHE"] = cache
    from analysis_utils.cli import main as cli

    out = Path(cache).with_suffix(".csv")
    t0 = time.perf_counter()
    code = cli(["terms", corpus, "--keep-duplicates", "--top", "100", "--format", "csv", "--out", str(out)])
    seconds = time.perf_counter() - t0
    if code:
        raise SystemExit(f"error: terms DIR exited with {code}")
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    data = out.read_bytes()
    out.unlink()
    return {"seconds": seconds, "rows": data.count(b"\n") - 1, "digest": hashlib.sha256(data).hexdigest()[:16],
            "parent_cpu": me.ru_utime + me.ru_stime, "children_cpu": kids.ru_utime + kids.ru_stime}


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


def measure_cli(rb, codes: dict, corpus: Path, tmp: Path, repeat: int) -> dict:
    """The ``cli`` step of each code, ``repeat`` times in turn, each with an empty cache folder (deleted after)."""
    runs: dict = {label: [] for label in codes}
    for i in range(repeat):
        for label, code in codes.items():
            cache = tmp / f"cli_{label}_{i}"
            print(f"{corpus.name}, cli, {label} ({i + 1}/{repeat}) …", file=sys.stderr, flush=True)
            runs[label].append(measure(rb, code, "cli", corpus, cache, 1))
            shutil.rmtree(cache, ignore_errors=True)
    best = {}
    for label, rs in runs.items():
        best[label] = dict(rs[0], pss=max(r["pss"] for r in rs), rss=max(r["rss"] for r in rs),
                           **{k: min(r[k] for r in rs) for k in ("seconds", "parent_cpu", "children_cpu")},
                           digest=rs[0]["digest"] if len({r["digest"] for r in rs}) == 1 else "differs")
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[20, 100], help="corpus sizes in MB (default 20 100)")
    ap.add_argument("--base", default="8a13ba9", help="the commit measured as 'before' (default 8a13ba9)")
    ap.add_argument("--repeat", type=int, default=3, help="lexicon: best of this many calls; cli: this many runs of "
                                                           "each code in turn (default 3)")
    ap.add_argument("--steps", nargs="+", choices=STEPS, default=STEPS, help="the steps to measure (default all)")
    ap.add_argument("--cold", choices=["both", "after", "none"], default="both",
                    help="which code's cold run to measure (default both; 'none': the cache is filled by the new "
                         "code, unmeasured)")
    ap.add_argument("--corpus-dir", type=Path, nargs="+", help="measure these corpora (built before by build_corpus, "
                    "one per size, in the order of --sizes) instead of building them (the folders are kept)")
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
        if args.corpus_dir and len(args.corpus_dir) != len(args.sizes):
            sys.exit("error: --corpus-dir needs one folder per size")
        for i, size in enumerate(args.sizes):
            corpus = args.corpus_dir[i] if args.corpus_dir else tmp / f"corpus{size:g}"
            if args.corpus_dir:
                files = list(corpus.glob("*.txt"))
                info = {"bytes": sum(f.stat().st_size for f in files), "distinct": f"{len(files)} files"}
            else:
                info = rb.build_corpus(corpus, size)
            mb = info["bytes"] / 1e6
            caches = {k: tmp / f"cache{size:g}_{k}" for k in codes}
            if args.cache_dir:
                caches["after"] = args.cache_dir
            elif args.cold == "none" or "cold" not in args.steps:  # the token cache filled by the new code, unmeasured
                if set(args.steps) - {"cli"}:
                    measure(rb, ROOT, "table", corpus, caches["after"], 1)
            names = [n for n in STEPS if n in args.steps and not (n == "cold" and args.cold == "none")]
            for name in names:
                if name == "cli":
                    got = measure_cli(rb, codes, corpus, tmp, args.repeat)
                    rows.append((size, mb, info["distinct"], name, got, got["before"]["digest"] == got["after"]["digest"]))
                    print(render(rows[-1:], args, load0).splitlines()[4], file=sys.stderr, flush=True)
                    continue
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
    for name in ("cold", "freq", "terms", "table", "cli"):
        peaks = [(mb, got["after"]["pss"], got["before"]["pss"]) for _, mb, _, n, got, _ in rows if n == name]
        if peaks:
            after = ", ".join(f"{p:.0f}" for _, p, _ in peaks)
            before = ", ".join(f"{p:.0f}" for _, _, p in peaks)
            worst = max(p for _, p, _ in peaks)
            flat = [max(ps) / min(ps) for ps in ([p for _, p, _ in peaks], [p for _, _, p in peaks])]
            lines.append(f"- {name}: peak PSS at {', '.join(f'{m:.0f}' for m, _, _ in peaks)} MB: before {before} MB, after "
                         f"{after} MB; < {TARGET_MB} MB: {'met' if worst < TARGET_MB else 'not met'}; largest / smallest: "
                         f"before {flat[1]:.2f}×, after {flat[0]:.2f}× (≤ {FLAT}×: {'met' if flat[0] <= FLAT else 'not met'})")
    for _size, mb, _, name, got, _ in rows:
        if name == "cli":
            b, a = got["before"], got["after"]
            lines.append(f"- cli at {mb:.0f} MB (least of {args.repeat}): CPU s of the process itself (reading records, "
                         f"counting) {b['parent_cpu']:.2f} → {a['parent_cpu']:.2f} ({a['parent_cpu'] / b['parent_cpu']:.2f}×), "
                         f"of its workers {b['children_cpu']:.1f} → {a['children_cpu']:.1f}, wall {b['seconds']:.1f} → "
                         f"{a['seconds']:.1f} s")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
