"""A worker's CPU per MB on a cold corpus run, stage by stage: old code against new, in one run.

    nice -n 5 python benchmarks/hot_benchmark.py --base OLD/src --corpus DIR [--files 300] [--repeat 3]

``OLD``: a checkout of the code to compare with (``git worktree add --detach /tmp/old <commit>``);
``DIR``: a folder of ``.txt`` speeches, e.g. the 100 MB corpus ``benchmarks/run_benchmark.py --keep``
leaves in the folder it prints (``corpus_100``).

Each side runs in processes of its own (``--base``: the old code's ``src/`` folder; the new side
is this checkout's ``src/``), in alternation (old, new, old, new …), best of ``--repeat`` per stage,
on the same texts: ``--files`` files spread evenly over ``--corpus``.
A side does what a worker of ``terms DIR`` does for each speech with an empty cache, timing each
step by CPU time (``time.process_time``):

- ``load``: ``load_speech`` and the body record (:func:`encode_body`, :func:`decode_body`);
- ``cut``: ``Tokenizer.cut_table(body, pos=True)`` by a new tokenizer (every word jieba's HMM
  made up tagged for the first time): protected spans, segmenting, tags;
- ``encode``: ``encode_tokens`` (the token record);
- ``worker``: the three together, what one speech costs a worker;

and then, with everything known, on the same bodies: ``spans`` (``protected_spans``),
``slogans`` (``find_number_slogans``), ``cut_again`` (``cut_table`` with the tags known).
The token records of the two sides are compared text by text (SHA-256): the line
``identical records`` must say all of them.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r'''
import hashlib, json, sys, time
from pathlib import Path
T = time.process_time
from analysis_utils import load_speech
from analysis_utils.scale import fast_tokenizer
from analysis_utils.scale.cache import decode_body, encode_body, encode_tokens
from analysis_utils.slogans import find_number_slogans

files = json.loads(sys.argv[1])
tok = fast_tokenizer()
tok.cut_table("做到两个巩固。涧贤镇2015年GDP增长5%")  # what the pool does before workers fork
t = dict.fromkeys(("load", "cut", "encode", "spans", "slogans", "cut_again"), 0.0)
bodies, sums, mb = [], [], 0.0
for f in files:
    t0 = T()
    s = load_speech(f)
    raw, han, _ = decode_body(encode_body(s.body, s.han_chars))
    body = raw.decode("utf-8", "surrogatepass")
    t1 = T()
    table = tok.cut_table(body, pos=True)
    t2 = T()
    rec = encode_tokens(table, han)
    t3 = T()
    t["load"] += t1 - t0
    t["cut"] += t2 - t1
    t["encode"] += t3 - t2
    bodies.append(body)
    sums.append(hashlib.sha256(rec).hexdigest())
    mb += len(raw) / 1e6
for name, fn in (("spans", tok.protected_spans), ("slogans", lambda b: find_number_slogans(b, idioms=tok._idioms)),
                 ("cut_again", tok.cut_table)):
    t0 = T()
    for b in bodies:
        fn(b)
    t[name] = T() - t0
t["worker"] = t["load"] + t["cut"] + t["encode"]
print(json.dumps({"mb": mb, "times": t, "sums": sums}))
'''

STAGES = ("load", "cut", "encode", "worker", "spans", "slogans", "cut_again")


def run_side(src: str, files: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(files)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="the old code's src/ folder")
    ap.add_argument("--corpus", required=True, help="a folder of .txt speeches")
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    every = sorted(Path(args.corpus).glob("*.txt"))
    if not every or not (Path(args.base) / "analysis_utils").is_dir():
        ap.error(f"{args.corpus}: no .txt files" if not every else f"{args.base}: no analysis_utils package in it")
    files = [str(p) for p in every[::max(1, len(every) // args.files)][:args.files]]
    sides = {"old": args.base, "new": str(ROOT / "src")}
    best: dict[str, dict[str, float]] = {k: {} for k in sides}
    sums: dict[str, list[str]] = {}
    mb = 0.0
    for _ in range(args.repeat):
        for name, src in sides.items():
            r = run_side(src, files)
            mb, sums[name] = r["mb"], r["sums"]
            for stage, sec in r["times"].items():
                best[name][stage] = min(best[name].get(stage, sec), sec)
    print(f"{len(files)} files, {mb:.2f} MB of bodies; load average {open('/proc/loadavg').read().split()[:3]}")
    print(f"{'stage':10} {'old s/MB':>9} {'new s/MB':>9} {'new/old':>8}")
    for stage in STAGES:
        o, n = best["old"][stage] / mb, best["new"][stage] / mb
        print(f"{stage:10} {o:9.4f} {n:9.4f} {n / o:8.3f}")
    same = sum(a == b for a, b in zip(sums["old"], sums["new"]))
    print(f"identical records: {same} of {len(files)}")


if __name__ == "__main__":
    main()
