"""The package's own tokens, cold: old code (the base commit) against new, in one run.

    python benchmarks/tokens_benchmark.py [--base 8a13ba9] [--repeat 3]

Each side runs in a process of its own (the base commit's ``src/`` is taken with ``git archive``
into a temporary folder; the new side is this checkout's ``src/``), on the same texts: the 85
corpus ``.txt`` files and every Wikisource record (``/work/shared/corpus`` or ``$CORPUS``).
Printed per side, in seconds per MB of body (UTF-8), best of ``--repeat``, CPU time of the
process (``time.process_time``: less noisy than the wall clock on a shared machine):

- ``start``: making the tokenizer the corpus path uses (``fast_tokenizer()``: jieba's
  dictionary, the tagger's table, the lexicon, the rjieba dictionary), seconds, in a fresh
  process with the package's cache folder warm (what a worker or a run pays);
- ``spans``: ``protected_spans`` (lexicon, names, number slogans, placeholders);
- ``cold``: cut + tags + cache record of every text by a new tokenizer (every word jieba's
  HMM made up tagged by jieba's tagger): a run on texts never seen, without a tag memo;
- ``warm``: the same again with the tags known (what the persisted tag memo gives a new
  run on texts whose words were seen before);
- ``jieba``: plain ``jieba.lcut`` (jieba's Python code, one process), the issue's baseline.

The records of both sides are compared text by text (SHA-256 of each record): the line
``identical records`` must say all of them. Run it under ``nice -n 5`` and read the load
average printed with it: the machine is shared.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("CORPUS", ROOT.parent / "shared" / "corpus"))

CHILD = r'''
import hashlib, json, os, sys, time
T = time.process_time
t0 = T()
from pathlib import Path
from analysis_utils import load_speech
from analysis_utils.scale import fast_tokenizer
from analysis_utils.scale.cache import encode_tokens
from analysis_utils.scale.sources import as_corpus, load_item
t_import = T() - t0
corpus, which, repeat = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
if which == "txt":
    texts = [load_speech(p) for p in sorted(corpus.rglob("*.txt")) if not p.stem.upper().startswith("README")]
else:
    texts = [load_item(it) for j in sorted((corpus / "wikisource").glob("*.jsonl")) for it in as_corpus(j).stream()]
mb = sum(len(s.body.encode("utf-8")) for s in texts) / 1e6
t0 = T()
tok = fast_tokenizer()
t_start = T() - t0
fast = hasattr(tok, "cut_table")

def record(tok, s):
    rows = tok.cut_table(s.body, pos=True) if fast else tok.cut(s.body, pos=True)
    return encode_tokens(rows, s.han_chars)

def best(f):
    times = []
    for _ in range(repeat):
        t = T()
        f()
        times.append(T() - t)
    return min(times) / mb

out = {"mb": mb, "texts": len(texts), "import": t_import, "start": t_start}
out["spans"] = best(lambda: [tok.protected_spans(s.body) for s in texts])
cold = []
digests = None
for _ in range(repeat):
    fresh = fast_tokenizer()
    t = T()
    recs = [record(fresh, s) for s in texts]
    cold.append(T() - t)
    digests = [hashlib.sha256(r).hexdigest() for r in recs]
out["cold"] = min(cold) / mb
out["warm"] = best(lambda: [record(fresh, s) for s in texts])
import jieba
jt = tok.jieba_tokenizer
out["jieba"] = best(lambda: [jieba.lcut(s.body) for s in texts]) if os.environ.get("WITH_JIEBA") else None
out["digests"] = digests
print(json.dumps(out))
'''


def base_src(commit: str) -> Path:
    """The base commit's ``src/`` in a temporary folder."""
    tmp = Path(tempfile.mkdtemp(prefix="tokens-benchmark-"))
    data = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src"], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(tmp, filter="data")
    return tmp / "src"


def side(src: Path, which: str, repeat: int, cache: str, jieba: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src), "ANALYSIS_UTILS_CACHE": cache}
    env.pop("WITH_JIEBA", None)
    if jieba:
        env["WITH_JIEBA"] = "1"
    warm = [sys.executable, "-c", "from analysis_utils.scale import fast_tokenizer; fast_tokenizer()"]
    subprocess.run(warm, env=env, check=True)  # the cache folder's dictionary is made once
    done = subprocess.run([sys.executable, "-c", CHILD, str(CORPUS), which, str(repeat)], env=env, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="8a13ba9", help="the commit to compare with (default: 8a13ba9)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    print(f"load average: {open('/proc/loadavg').read().strip()}")
    old_src = base_src(args.base)
    with tempfile.TemporaryDirectory(prefix="tokens-benchmark-cache-") as cache:
        for which in ("txt", "wikisource"):
            old = side(old_src, which, args.repeat, f"{cache}/old", jieba=True)
            new = side(ROOT / "src", which, args.repeat, f"{cache}/new", jieba=False)
            same = sum(a == b for a, b in zip(old["digests"], new["digests"]))
            print(f"\n{which}: {new['texts']} texts, {new['mb']:.2f} MB of bodies; "
                  f"identical records: {same}/{len(old['digests'])}")
            print(f"  {'stage':<32}{'old':>9}{'new':>9}{'old/new':>9}")
            rows = [("start (s, fast_tokenizer())", "start"), ("spans (s/MB)", "spans"),
                    ("cold: cut+tags+record (s/MB)", "cold"), ("warm: tags known (s/MB)", "warm")]
            for label, key in rows:
                print(f"  {label:<32}{old[key]:>9.3f}{new[key]:>9.3f}{old[key] / new[key]:>8.1f}x")
            j = old["jieba"]
            print(f"  plain jieba.lcut, one process: {j:.3f} s/MB; new cold is {j / new['cold']:.1f}x, "
                  f"new warm {j / new['warm']:.1f}x its speed per core")
    print(f"\nload average: {open('/proc/loadavg').read().strip()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
