"""Corpus-scale benchmark (issue 20): plain jieba against the package, on distinct texts, one table.

Run from the project root (one command; it takes about half an hour on 2 cores)::

    ./py benchmarks/run_benchmark.py                    # 20, 100 and 300 MB → benchmarks/RESULTS.md
    ./py benchmarks/run_benchmark.py --sizes 20         # one size (about 5 minutes)
    ./py benchmarks/run_benchmark.py --quick --no-write # the script itself, on 0.5 and 1 MB (a test runs this)

(``./py`` is the project's Python with ``src`` on the path; ``.venv/bin/python`` works the same.)
Run it under ``nice -n 5`` on a shared machine. What it does:

1. builds, in a temporary folder outside the project, a corpus of the largest size from the
   development corpus (``../shared/corpus``: every ``.txt`` file and every record of the Wikisource
   JSONLs): copy 0 is each text as it is, copy k keeps a text's first lines and shuffles its
   paragraphs with one paragraph of another text mixed in. Every file's body after the loader's
   cleaning is distinct (checked: a text whose cleaned body was seen before is not written; the
   count is printed). Each size is the first files of that corpus up to the size (hard links);
2. the baseline, plain ``jieba.lcut`` + ``collections.Counter`` per file in one process, as a
   ``python -c`` process on the files of the smallest size (at most ``--baseline-mb``): its loop
   timed inside (in process) and the whole process (imports and jieba's dictionary included);
   larger sizes use its MB/s (the table says so);
3. per size, each in a fresh process with an empty cache folder of its own (never the user's; cold:
   no body or token record cached, the dictionary image made once per machine present, copied in
   from one a separate process made first; at the smallest size also ``terms DIR`` without it):
   cold, the package's tokens in process (``corpus_term_frequency``, the table ``terms DIR``
   prints); cold, the whole process ``python -m analysis_utils terms DIR --keep-duplicates`` (cache
   folder by ``ANALYSIS_UTILS_CACHE``); cold, jieba's own words (``corpus_term_counts(plain=True)``);
   warm, a new question on the cached tokens (``pos=["n"]``); lexicon counting over the cached
   bodies (``corpus_substring_counts``, every lexicon phrase); peak memory of each;
4. once: the corpus path's tokens against ``Tokenizer.tokens`` on a sample (token for token); the
   Dask path (``scheduler=`` of a ``distributed.LocalCluster(n_workers=2, threads_per_worker=1)``)
   against the local pool on the smallest size, when ``analysis_utils.scale.cluster`` exists
   ("not built" otherwise); ``python -m analysis_utils run`` on the seed against its floor (the
   same notebooks reduced to their parameters and imports, run by papermill in one process), the
   two in alternation ``--repeat`` times, the fastest of each, each with the dictionary image
   present as in the cold steps; then ``run`` once on its first use (no image);
   where a cold run's time goes, stage by stage, in one process.

Every target of the issue gets **met** / **not met**, computed from the numbers of this run. The
code measured is a snapshot of the last commit (``git archive HEAD``; ``--working-tree`` measures
the files as they are). Peak memory: the largest sum, sampled every 50 ms, over the step's process
and all its descendants (workers, a Dask cluster's nannies and workers) of PSS (pages shared
between processes split between them) and of RSS (shared pages counted in each: an
overstatement). Output: the table on stdout, then a compact summary for the README, and the whole
of ``benchmarks/RESULTS.md`` (``--out``), written anew by each run.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = ROOT / "seeds" / "party_building_conference_speech.txt"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"

SIZES = (20.0, 100.0, 300.0)
QUICK_SIZES = (0.5, 1.0)
#: The issue's targets (issue 20).
COLD_X, COLD_MIN_MB = 5.0, 50.0          # cold ≥ 5× plain jieba on ≥ 50 MB
MEMORY_MB, MEMORY_FLAT = 1000.0, 1.25    # peak PSS < 1 GB at every size, largest ≤ 1.25× smallest, 20 → 300 MB
MEMORY_SPAN = (20.0, 300.0)
RUN_X = 1.5                              # run ≤ 1.5× its floor
LEXICON_MBPS = 250.0                     # lexicon counting over cached bodies ≥ 250 MB/s (at the largest size)
DASK_TIME_X, DASK_MEMORY_X = 1.2, 1.3    # Dask ≤ 1.2× the time, ≤ 1.3× the memory of the local pool


# ---------------------------------------------------------------------------- corpus
def _sources(jsonl: bool = True) -> list[tuple[str, str]]:
    """(name, text) of every development text: the ``.txt`` files, then (``jsonl``) each JSONL record (title line + content)."""
    out = [(p.stem, p.read_bytes().decode("utf-8-sig")) for p in sorted(CORPUS.rglob("*.txt")) if p.is_file()]
    for path in sorted(CORPUS.rglob("*.jsonl")) if jsonl else ():
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                rec = json.loads(line)
                text = rec.get("content") or rec.get("text") or ""
                if text.strip():
                    out.append((f"{path.stem}_{i:03d}", f"{rec.get('title', '')}\n{text}"))
    return out


def build_corpus(dest: Path, size_mb: float, *, jsonl: bool = True) -> dict:
    """Texts made from the development corpus until ``size_mb`` MB, every one's body distinct after the
    loader's cleaning (checked: a text whose cleaned body was seen before is not written).

    Copy 0 is each text as it is; copy k of a text keeps its first lines (title and header, as the
    loader sees them) and shuffles its paragraphs with one paragraph of another text mixed in, so a
    copy is a real-looking speech of real sentences, not the same body with its lines rotated (rotated
    lines clean to the same body once headers and labels are removed, and the token cache then cuts
    each distinct body once while the baseline cuts every file). ``jsonl=False``: the ``.txt`` files only
    (the corpus of the benchmarks before issue 20's). Returns the counts and ``order``,
    the files in the order written (the first files up to N MB are the corpus of N MB).
    """
    import hashlib
    import random

    if str(CODE["root"] / "src") not in sys.path:  # called from another script: the loader of the code measured
        sys.path.insert(0, str(CODE["root"] / "src"))
    from analysis_utils import SpeechError, speech_from_text

    texts = _sources(jsonl)
    if not texts:
        sys.exit(f"error: no speeches in {CORPUS}")
    paragraphs = [[ln for ln in t.splitlines() if ln.strip()] for _, t in texts]
    dest.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    order: list[tuple[str, int]] = []
    total = copies = skipped = 0
    target = size_mb * 1e6
    while total < target and copies < 10_000:
        for i, (stem, text) in enumerate(texts):
            if copies:
                rng = random.Random(f"{copies}:{stem}")
                extra = paragraphs[rng.randrange(len(texts))]
                head, body = paragraphs[i][:3], paragraphs[i][3:] + [rng.choice(extra)]
                rng.shuffle(body)
                text = "\n".join(head + body) + "\n"
            name = f"{copies:03d}_{stem}.txt"
            try:
                key = hashlib.sha256(speech_from_text(text, path=name).body.encode("utf-8")).hexdigest()
            except SpeechError:
                key = ""
            if not key or key in seen:
                skipped += 1
                continue
            seen.add(key)
            data = text.encode("utf-8")
            (dest / name).write_bytes(data)
            order.append((name, len(data)))
            total += len(data)
            if total >= target:
                break
        copies += 1
    print(f"corpus: {len(order)} files, {total / 1e6:.1f} MB, {len(seen)} distinct bodies after cleaning "
          f"({skipped} candidate texts left out as duplicates or unreadable)", file=sys.stderr)
    return {"files": len(order), "bytes": total, "sources": len(texts), "copies": copies, "distinct": len(seen),
            "order": order, "jsonl": jsonl}


def subset(full: Path, order: list[tuple[str, int]], dest: Path, size_mb: float) -> dict:
    """The first files of ``order`` up to ``size_mb`` MB, hard-linked (copied if links fail) into ``dest``."""
    dest.mkdir(parents=True)
    total = n = 0
    for name, nbytes in order:
        if total >= size_mb * 1e6:
            break
        try:
            os.link(full / name, dest / name)
        except OSError:
            shutil.copyfile(full / name, dest / name)
        total += nbytes
        n += 1
    return {"files": n, "bytes": total, "distinct": n}  # build_corpus wrote distinct bodies only


# ---------------------------------------------------------------------------- steps (child processes)
def _corpus_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.glob("*.txt"))


def step_terms(args) -> dict:
    """``corpus_term_frequency`` (what ``terms DIR`` counts), timed in this process."""
    from analysis_utils.scale import corpus_term_frequency

    t0 = time.perf_counter()
    df = corpus_term_frequency(args.corpus, cache=args.cache, progress=False, pos=args.pos.split(",") if args.pos else None,
                               top_n=100, by_speech=True, duplicates="keep")  # every file counts, as in the baseline
    return {"seconds": time.perf_counter() - t0, "bytes": _corpus_bytes(Path(args.corpus)), "rows": len(df),
            "tokens_counted": int(df["token_count"].sum())}


def step_plain(args) -> dict:
    """``corpus_term_counts(plain=True)``: jieba's own words, cut on all cores."""
    from analysis_utils.scale import corpus_term_counts

    t0 = time.perf_counter()
    df = corpus_term_counts(args.corpus, cache=args.cache, progress=False, plain=True, duplicates="keep")
    return {"seconds": time.perf_counter() - t0, "bytes": _corpus_bytes(Path(args.corpus)), "rows": len(df)}


def step_lexicon(args) -> dict:
    from analysis_utils.scale import corpus_substring_counts

    t0 = time.perf_counter()
    df = corpus_substring_counts(args.corpus, None, zeros=False, cache=args.cache, progress=False, duplicates="keep")
    return {"seconds": time.perf_counter() - t0, "bytes": _corpus_bytes(Path(args.corpus)),
            "rows": len(df), "hits": int(df["substring_count"].sum())}


def step_local(args) -> dict:
    """``corpus_term_counts`` on the local pool, empty cache (the Dask row's comparison)."""
    from analysis_utils.scale import corpus_term_counts

    t0 = time.perf_counter()
    df = corpus_term_counts(args.corpus, cache=args.cache, progress=False, duplicates="keep")
    return {"seconds": time.perf_counter() - t0, "bytes": _corpus_bytes(Path(args.corpus)), "rows": len(df),
            "tokens_counted": int(df["token_count"].sum())}


def step_dask(args, *, plain: bool = False) -> dict:
    """The same ``corpus_term_counts`` with ``scheduler=`` the address of a running cluster (started
    before the clock): the package's one-machine cluster ``scale.cluster.local_cluster(2)`` (workers
    forked once the tokenizer is made, as the local pool's), or with ``plain`` Dask's own
    ``LocalCluster(n_workers=2, threads_per_worker=1)`` (each worker makes its tokenizer)."""
    from distributed import LocalCluster

    from analysis_utils.scale import cluster as dask_cluster
    from analysis_utils.scale import corpus_term_counts

    t0 = time.perf_counter()
    made = (LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") if plain
            else dask_cluster.local_cluster(2))
    with made as cluster:
        start = time.perf_counter() - t0
        t1 = time.perf_counter()
        df = corpus_term_counts(args.corpus, cache=args.cache, progress=False, duplicates="keep",
                                scheduler=cluster.scheduler_address)
        seconds = time.perf_counter() - t1
    return {"seconds": seconds, "cluster_start": start, "bytes": _corpus_bytes(Path(args.corpus)), "rows": len(df),
            "tokens_counted": int(df["token_count"].sum())}


def step_dask_plain(args) -> dict:
    """:func:`step_dask` on Dask's own ``LocalCluster`` (for comparison)."""
    return step_dask(args, plain=True)


def step_identical(args) -> dict:
    """Token for token, the corpus path against Tokenizer.tokens on a sample of speeches."""
    from analysis_utils import Tokenizer, load_speech
    from analysis_utils.scale import CORPUS_TOKEN_COLUMNS, corpus_tokens

    files = sorted(Path(args.corpus).glob("*.txt"))
    step = max(1, len(files) // args.sample)
    sample = files[::step][: args.sample]
    tok = Tokenizer()
    same = ntok = 0
    for item, df in corpus_tokens(sample, cache=args.cache, progress=False, workers=1):
        if item.path is None:  # files only here: every item has a path
            continue
        ref = tok.tokens(load_speech(item.path))[CORPUS_TOKEN_COLUMNS].reset_index(drop=True)
        same += int(ref.equals(df))
        ntok += len(ref)
    return {"speeches": len(sample), "identical": same, "tokens": ntok}


STAGES = [  # key, label
    ("load", "loading and cleaning (`load_speech`)"),
    ("protected_spans", "protected spans (`Tokenizer.protected_spans`: lexicon, placeholders, number slogans)"),
    ("number_slogans", "… of which number slogans (`find_number_slogans`)"),
    ("segment_fast", "segmenting the text between spans: `FastSegmenter` (rjieba + jieba for mixed blocks)"),
    ("segment_jieba", "the same with jieba's Python code (for comparison)"),
    ("cut_nopos", "`Tokenizer.cut` with FastSegmenter, no tags"),
    ("cut_pos_first", "`Tokenizer.cut(pos=True)`, first time (tags of HMM words from jieba.posseg)"),
    ("cut_pos_again", "`Tokenizer.cut(pos=True)`, tags known"),
    ("encode", "packing the cache record"),
]


def step_stages(args) -> dict:
    """Where a cold run's time goes, per MB, in one process (copy 0 of every text in the corpus).

    The stages call the package's internals; a stage whose internals changed is left out
    (``errors`` names it) instead of stopping the benchmark."""
    import logging

    import jieba

    from analysis_utils import load_speech

    jieba.setLogLevel(logging.WARNING)
    files = sorted(Path(args.corpus).glob("000_*.txt"))
    out: dict = {"bytes": sum(f.stat().st_size for f in files), "files": len(files), "errors": {}}
    state: dict = {}

    def timed(name, fn):
        t0 = time.perf_counter()
        try:
            r = fn()
        except Exception as e:  # noqa: BLE001  an internal that changed: say so, keep going
            out["errors"][name] = f"{type(e).__name__}: {e}"[:200]
            return None
        out[name] = time.perf_counter() - t0
        return r

    def gaps():  # the text jieba cuts: between the protected spans
        res = []
        for b, sp in zip(state["bodies"], state["spans"]):
            cur = 0
            for st, en, *_ in sp:
                res.append(b[cur:st])
                cur = en
            res.append(b[cur:])
        return res

    def slogans():
        from analysis_utils.slogans import find_number_slogans

        find_number_slogans(state["bodies"][0], idioms=tok._idioms)  # the first call builds tables: not timed
        return timed("number_slogans", lambda: [find_number_slogans(b, idioms=tok._idioms) for b in state["bodies"]])

    def segmenters():
        from analysis_utils.scale import FastSegmenter

        seg, g = FastSegmenter.for_tokenizer(tok), gaps()
        timed("segment_fast", lambda: [seg(x) for x in g])
        timed("segment_jieba", lambda: [tok._jieba.lcut(x, HMM=True) for x in g])

    def encode(rows):
        from analysis_utils.scale.cache import encode_tokens

        timed("encode", lambda: [encode_tokens(r, 0) for r in rows])

    from analysis_utils.scale import fast_tokenizer

    tok = timed("tokenizer_init", fast_tokenizer)
    state["bodies"] = [s.body for s in timed("load", lambda: [load_speech(f) for f in files])]
    state["spans"] = timed("protected_spans", lambda: [tok.protected_spans(b) for b in state["bodies"]])
    for name, fn in (("number_slogans", slogans), ("segment_fast", segmenters)):
        try:
            fn()
        except Exception as e:  # noqa: BLE001  as in timed
            out["errors"][name] = f"{type(e).__name__}: {e}"[:200]
    timed("cut_nopos", lambda: [list(tok.cut(b)) for b in state["bodies"]])
    timed("cut_pos_first", lambda: [list(tok.cut(b, pos=True)) for b in state["bodies"]])
    rows = timed("cut_pos_again", lambda: [list(tok.cut(b, pos=True)) for b in state["bodies"]])
    if rows is not None:
        encode(rows)
    return out


STEPS = {"terms": step_terms, "plain": step_plain, "lexicon": step_lexicon, "identical": step_identical,
         "stages": step_stages, "local": step_local, "dask": step_dask, "dask_plain": step_dask_plain}

#: The baseline: what a researcher would write with jieba alone. argv: the folder. Prints one JSON line.
BASELINE_CODE = """\
import time
t_start = time.perf_counter()
import collections, json, logging, pathlib, sys
import jieba
jieba.setLogLevel(logging.WARNING)
jieba.initialize()
t0 = time.perf_counter()
nbytes = ntok = nfiles = 0
for f in sorted(pathlib.Path(sys.argv[1]).glob('*.txt')):
    text = f.read_text(encoding='utf-8-sig')
    counts = collections.Counter(jieba.lcut(text))
    nbytes += len(text.encode('utf-8'))
    ntok += sum(counts.values())
    nfiles += 1
t1 = time.perf_counter()
print(json.dumps({'seconds': t1 - t0, 'startup': t0 - t_start, 'bytes': nbytes, 'files': nfiles, 'tokens': ntok}))
"""


# ---------------------------------------------------------------------------- measuring
#: Where the code under test lives: a snapshot of the last commit (set in main), so that
#: edits made in the working tree while the benchmark runs cannot change what it measures.
CODE: dict = {"root": ROOT, "env": {}}


def run_measured(cmd: list[str], env: dict | None = None, *, sample: bool = True) -> tuple[dict | None, float, dict, str]:
    """Run ``cmd``; return (its JSON result or None, wall seconds, peak memory in MB, stderr tail).

    Peak memory: the largest sum over the process and its descendants of resident memory
    (``rss``, which counts pages shared between them once per process) and of proportional
    memory (``pss``: each shared page split between the processes sharing it, so the sum is
    what the tree really occupies). ``env``: variables added to this process's environment
    (besides the code under test's ``PYTHONPATH``). ``sample=False``: no memory sampled (peaks 0).
    Sampling is not free: reading a 600 MB process's PSS walks its page tables (1.7 ms here), so
    sampling a tree of 3 to 12 processes every 50 ms takes 5–20 % of a core from them; a timed
    run is therefore not sampled (see :meth:`Bench.best`).
    """
    import psutil

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=CODE["root"],
                            env={**os.environ, **CODE["env"], **(env or {})})
    peak = {"rss": 0, "pss": 0}
    stop = threading.Event()

    def sample_memory():
        try:
            p = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            try:
                procs = [p] + p.children(recursive=True)
            except psutil.Error:
                break
            rss = pss = 0
            for q in procs:
                try:
                    m = q.memory_full_info()
                    rss += m.rss
                    pss += getattr(m, "pss", m.rss)
                except psutil.Error:
                    pass
            peak["rss"] = max(peak["rss"], rss)
            peak["pss"] = max(peak["pss"], pss)
            stop.wait(0.05)

    th = threading.Thread(target=sample_memory, daemon=True)
    if sample:
        th.start()
    out, err = proc.communicate()
    stop.set()
    if sample:
        th.join()
    wall = time.perf_counter() - t0
    result = None
    if proc.returncode == 0:
        for line in reversed(out.splitlines()):
            if line.startswith("{"):
                result = json.loads(line)
                break
    mem = {k: v / 1e6 for k, v in peak.items()}
    tail = "\n".join(err.strip().splitlines()[-12:]) if proc.returncode else ""
    return result, wall, mem, tail or ("" if proc.returncode == 0 else f"exit status {proc.returncode}")


def snapshot(dest: Path) -> str:
    """The last commit's files in ``dest`` (``git archive``); returns the commit id."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return commit


def _problem(stderr: str) -> str:
    """The line of a failed process's stderr that names its problem: the exception (``ValueError: …``) or
    ``error: …``, else its last line."""
    import re

    lines = stderr.strip().splitlines()
    found = [ln for ln in lines if re.match(r"(\w+\.)*\w*(Error|Exception|Interrupt)\b|error: ", ln)]
    return (found or lines or ["?"])[-1].strip()


def best_of(runs: list[dict]) -> dict:
    """Runs of one step combined: the fastest seconds, wall and CPU time of the runs not sampled
    for memory, the largest peaks of the sampled ones (when some runs were and some were not;
    a failed run: that run)."""
    ok = [r for r in runs if _ok(r)]
    if len(ok) < len(runs):
        return next(r for r in runs if not _ok(r))
    timed = [r for r in ok if not r.get("sampled")] or ok
    sampled = [r for r in ok if r.get("sampled")] or ok
    return dict(timed[0], seconds=min(r["seconds"] for r in timed), wall=min(r["wall"] for r in timed),
                cpu=min(r["cpu"] for r in timed), pss=max(r["pss"] for r in sampled), rss=max(r["rss"] for r in sampled))


class Bench:
    """One benchmark run: its temporary folder, fresh cache folders, and every measurement."""

    def __init__(self, tmp: Path, args):
        self.tmp, self.args = tmp, args
        self._caches = 0
        self._image: Path | None = None
        self.sampling = True  # measure() samples memory (see best())

    def cache(self, label: str, *, image: bool = False) -> Path:
        """A new, empty cache folder (never the user's); ``image``: holding jieba's dictionary image
        (and nothing else), as every cache folder does after the first use on a machine."""
        self._caches += 1
        folder = self.tmp / "caches" / f"{self._caches:02d}_{label}"
        if image:
            shutil.copytree(self.dictionary_image(), folder / "jieba")
        return folder

    def dictionary_image(self) -> Path:
        """The ``jieba/`` folder of a cache folder in which a separate process made jieba's dictionary
        image (``scale.cache.jieba_dictionary``), made once per benchmark run: what a first use leaves."""
        if self._image is None:
            made = self.tmp / "caches" / "00_dictionary_image"
            made.mkdir(parents=True)
            res, *_, err = run_measured([sys.executable, "-c", "from analysis_utils.scale.cache import jieba_dictionary; "
                                         "jieba_dictionary()"], {"ANALYSIS_UTILS_CACHE": str(made)})
            if not (made / "jieba").is_dir():
                sys.exit(f"error: the dictionary image was not made: {_problem(err) if err else 'no jieba/ folder'}")
            self._image = made / "jieba"
        return self._image

    def measure(self, cmd: list[str], cache: Path, label: str, *, prints_json: bool = True) -> dict:
        """One process: its result (``error`` when it failed), ``wall`` seconds, ``pss``/``rss`` peaks in MB.
        ``prints_json``: the process prints its result as a JSON line (else only its exit status counts)."""
        import resource

        print(f"  {label} …", file=sys.stderr, flush=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        res, wall, mem, err = run_measured(cmd, {"ANALYSIS_UTILS_CACHE": str(cache)}, sample=self.sampling)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the process and the workers it waited for
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        out = dict(res or {}, wall=wall, pss=mem["pss"], rss=mem["rss"], cpu=cpu, sampled=self.sampling)
        if err or (res is None and prints_json):
            out["error"] = _problem(err) if err else "no result"
            print(f"  {label} failed: {err or 'no result'}", file=sys.stderr)
        return out

    def step(self, step: str, corpus: Path, cache: Path, *extra: str) -> dict:
        cmd = [sys.executable, str(CODE["root"] / "benchmarks" / "run_benchmark.py"), "--step", step,
               "--corpus", str(corpus), "--cache", str(cache), "--sample", str(self.args.sample), *extra]
        return self.measure(cmd, cache, f"{step} {' '.join(extra)} ({corpus.name})")

    def best(self, once) -> dict:
        """``once()`` run ``--repeat`` times not sampled for memory (their times count), then once more
        sampled (its peaks count): see :func:`best_of`."""
        return best_of(self.timed(once) + [once()])

    def timed(self, once) -> list[dict]:
        """``once()`` run ``--repeat`` times, memory not sampled."""
        self.sampling = False
        try:
            return [once() for _ in range(self.args.repeat)]
        finally:
            self.sampling = True

    def baseline(self, corpus: Path) -> dict:
        """One run of the baseline on ``corpus``."""
        return self.measure([sys.executable, "-c", BASELINE_CODE, str(corpus)], self.cache("baseline"),
                            f"baseline ({corpus.name})")

    def cli_terms(self, corpus: Path, mb: float, *, image: bool = True) -> dict:
        """``python -m analysis_utils terms DIR`` as a user types it, timed whole, with an empty cache folder
        (``image``: but for jieba's dictionary image)."""
        table = self.tmp / f"terms_{mb:g}.csv"
        cmd = [sys.executable, "-m", "analysis_utils", "terms", str(corpus), "--keep-duplicates", "--top", "100",
               "--format", "csv", "--out", str(table)]
        res = self.measure(cmd, self.cache(f"cli_{mb:g}", image=image),
                           f"terms DIR ({corpus.name}{'' if image else ', no dictionary image'})", prints_json=False)
        res.update(seconds=res["wall"], bytes=_corpus_bytes(corpus))
        if "error" not in res:
            import pandas as pd

            try:
                df = pd.read_csv(table, encoding="utf-8-sig")
                res.update(rows=len(df), tokens_counted=int(df["token_count"].sum()))
            except (OSError, ValueError, KeyError) as e:
                res["error"] = f"no table written ({type(e).__name__}: {e})"
        return res

    def size(self, corpus: Path, mb: float, baseline: bool = False) -> dict:
        """Every per-size step on one corpus folder; ``baseline``: the baseline too, each run just before a cold
        run (so that a machine getting busier or quieter slows or speeds both alike). Cold steps: no body or token
        record cached, jieba's dictionary image present; at the smallest size, ``terms DIR`` without it too."""
        caches: list[Path] = []
        base_runs: list[dict] = []

        def cold_once() -> dict:
            if baseline:
                base_runs.append(self.baseline(corpus))
            caches.append(self.cache(f"tokens_{mb:g}", image=True))
            return self.step("terms", corpus, caches[-1])

        cold = self.best(cold_once)
        cache = caches[-1]  # warm and lexicon read the last cold run's cache
        cli = self.best(lambda: self.cli_terms(corpus, mb))
        plain = self.best(lambda: self.step("plain", corpus, self.cache(f"plain_{mb:g}", image=True)))
        warm = self.step("terms", corpus, cache, "--pos", "n")  # once: a second run would read its table from the memo
        lexicon = self.best(lambda: self.step("lexicon", corpus, cache))  # reads the cache only, memoises nothing
        out = {"cold": cold, "cli": cli, "plain": plain, "warm": warm, "lexicon": lexicon}
        if mb == self.args.sizes[0]:  # the first run on a machine (made once: see dictionary_image)
            out["first"] = self.best(lambda: self.cli_terms(corpus, mb, image=False))
        return {**out, "baseline": best_of(base_runs)} if baseline else out

    def dask(self, corpus: Path) -> dict:
        """The Dask path against the local pool on one corpus, or ``built: False``."""
        if not (CODE["root"] / "src" / "analysis_utils" / "scale" / "cluster.py").exists():
            return {"built": False}
        locals_, dasks = [], []
        for _ in range(self.args.repeat):  # in turn, so that a machine getting busier or quieter slows both alike
            locals_.append(self.step("local", corpus, self.cache("local")))
            dasks.append(self.step("dask", corpus, self.cache("dask")))
        local, dask = best_of(locals_), best_of(dasks)
        plain = self.step("dask_plain", corpus, self.cache("dask_plain"))
        return {"built": True, "local": local, "dask": dask, "plain": plain, "mb": _corpus_bytes(corpus) / 1e6}


# ---------------------------------------------------------------------------- the pipeline
def _imports_of(nb_path: Path) -> list[str]:
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    lines: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        src = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                lines.append(ast.unparse(node))
    return list(dict.fromkeys(lines))


def floor_notebooks(real: list[Path], dest: Path) -> list[Path]:
    """One notebook per real one: its parameters cell and its imports, nothing else."""
    import nbformat

    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for nb_path in real:
        nb = nbformat.read(nb_path, as_version=4)
        params = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
        cells = [nbformat.v4.new_code_cell("%load_ext autoreload\n%autoreload 2\n" + "\n".join(_imports_of(nb_path)))]
        if params:
            cells.insert(0, nbformat.v4.new_code_cell(params[0].source, metadata={"tags": ["parameters"]}))
        floor = nbformat.v4.new_notebook(cells=cells, metadata=nb.metadata)
        p = dest / nb_path.name
        nbformat.write(floor, p)
        out.append(p)
    return out


def floor_command(floor: list[Path], out: Path, where: Path) -> list[str]:
    """The floor as a command: the ``floor`` notebooks run one after another by papermill in one process
    (``speech_path`` the seed, ``out_dir`` ``out``, run from ``where``)."""
    code = (
        "import papermill as pm\n"
        f"for nb in {[str(p) for p in floor]!r}:\n"
        f"    pm.execute_notebook(nb, nb + '.out.ipynb', parameters={{'speech_path': {str(SEED)!r}, 'out_dir': {str(out)!r}}},\n"
        f"        cwd={str(where)!r}, kernel_name='python3', progress_bar=False, log_output=False,\n"
        "        request_save_on_cell_execute=False)\n"
    )
    return [sys.executable, "-c", code]


def pipeline(bench: Bench, only: list[str] | None) -> dict | None:
    """``run`` on the seed, whole process, against its floor; ``only``: these notebooks (``--notebooks``).

    Measured in alternation, ``--repeat`` times: the floor, then ``run``, then the floor again …, each
    with a cache folder of its own, empty but for jieba's dictionary image (as the cold corpus steps:
    what any use on the machine leaves, see :meth:`Bench.dictionary_image`); the fastest of each counts
    (wall and CPU seconds apart), so the ratio is of runs made under the same load. Every pair is kept
    (``pairs``). Then ``run`` once more with a cache folder quite empty (``first``: the first use on a
    machine, which makes the image)."""
    from analysis_utils import config, runner

    config.NOTEBOOKS_DIR = CODE["root"] / "notebooks"  # the snapshot's notebooks
    real = runner.notebooks(only) + runner.notebooks(only, runner.COMPARE)  # 01–04, then 05 on the speech's parts
    if not real:
        return None
    tmp = bench.tmp
    floor = floor_notebooks(real, tmp / "floor")
    floor_runs, real_runs = [], []
    bench.sampling = False  # timed runs; the peak comes from one more run, sampled
    for i in range(bench.args.repeat):
        floor_cmd = floor_command(floor, tmp / f"figs_floor_{i}", tmp / "floor")
        floor_runs.append(bench.measure(floor_cmd, bench.cache("floor", image=True), f"floor of run ({i + 1})",
                                        prints_json=False))
        real_runs.append(bench.measure(run_command(tmp / f"figs_real_{i}", only), bench.cache("run", image=True),
                                       f"run on the seed ({i + 1})", prints_json=False))
    first = bench.measure(run_command(tmp / "figs_first", only), bench.cache("run_first"),
                          "run on the seed, first use (no dictionary image)", prints_json=False)
    bench.sampling = True
    real_runs.append(bench.measure(run_command(tmp / "figs_sampled", only), bench.cache("run", image=True),
                                   "run on the seed, memory sampled", prints_json=False))
    floor_runs.append(bench.measure(floor_command(floor, tmp / "figs_floor_sampled", tmp / "floor"),
                                    bench.cache("floor", image=True), "floor of run, memory sampled", prints_json=False))
    for r in floor_runs + real_runs:
        r["seconds"] = r["wall"]
    real_res, floor_res = best_of(real_runs), best_of(floor_runs)
    failed = " ".join(x for x in (real_res.get("error"), floor_res.get("error")) if x)
    return {"notebooks": [p.name for p in real], "seconds": real_res["wall"], "floor_seconds": floor_res["wall"],
            "cpu": real_res["cpu"], "floor_cpu": floor_res["cpu"], "pss": real_res["pss"], "floor_pss": floor_res["pss"],
            "pairs": [(r["wall"], f["wall"]) for r, f in zip(real_runs, floor_runs) if not r.get("sampled")], "error": failed,
            "first": None if first.get("error") else first["wall"],
            "how": f"floor and `run` in alternation, {bench.args.repeat} time(s) each, each with a cache folder of its "
                   "own, empty but for the dictionary image, none sampled for memory; the fastest of each; the peak "
                   "memory: one more run of each, sampled"}


def run_command(out: Path, only: list[str] | None) -> list[str]:
    """``python -m analysis_utils run`` on the seed, as a user types it (``only``: ``--notebooks``)."""
    return [sys.executable, "-m", "analysis_utils", "run", str(SEED), "--out", str(out), "--quiet",
            *(["--notebooks", *only] if only else [])]


# ---------------------------------------------------------------------------- report
def _machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.0f} GiB"
    except ImportError:
        mem = "?"
    return f"{os.cpu_count()} cores ({cpu or platform.machine()}), {mem} RAM, Python {platform.python_version()}"


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("jieba", "rjieba", "ahocorasick-rs", "pandas", "numpy", "distributed"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} (not installed)")
    return ", ".join(out)


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def _ok(r: dict) -> bool:
    return "error" not in r and r.get("seconds", 0) > 0


def targets(results: dict) -> list[tuple[str, str, bool]]:
    """(target, what this run measured, met) for every target of the issue, computed from ``results``."""
    base, sizes = results["baseline"], results["sizes"]
    out = []
    big = [mb for mb in sizes if mb >= COLD_MIN_MB]
    for key, label, basis in (("cold", "in process (`corpus_term_frequency`)", "in_mbps"),
                              ("cli", "whole process (`python -m analysis_utils terms DIR`)", "whole_mbps")):
        xs = {mb: sizes[mb][key]["bytes"] / 1e6 / sizes[mb][key]["seconds"] / base[basis]
              for mb in sizes if _ok(sizes[mb][key])}
        measured = ", ".join(f"{x:.1f}× at {mb:g} MB" for mb, x in xs.items()) or "failed"
        cpu = {mb: sizes[mb][key]["cpu"] / (sizes[mb][key]["bytes"] / 1e6) for mb in xs if "cpu" in sizes[mb][key]}
        if cpu and "cpu" in base:
            measured += (f" (CPU s/MB: jieba {base['cpu'] / base['mb']:.2f}, package "
                         + ", ".join(f"{c:.2f} at {mb:g} MB" for mb, c in cpu.items()) + ")")
        ok = bool(big) and all(mb in xs and xs[mb] >= COLD_X for mb in big)
        note = "" if big else f" (no size ≥ {COLD_MIN_MB:g} MB measured)"
        out.append((f"cold ≥ {COLD_X:g}× plain jieba on ≥ {COLD_MIN_MB:g} MB, {label}", measured + note, ok))
    ident = results["identical"]
    same = "error" not in ident and ident["identical"] == ident["speeches"] > 0
    out.append(("cold tokens = `Tokenizer.tokens` (sample, token for token)",
                f"{ident.get('identical', 0)}/{ident.get('speeches', 0)} speeches, {ident.get('tokens', 0):,} tokens"
                if "error" not in ident else f"failed: {ident['error']}", same))
    peaks = {mb: peak(s) for mb, s in sizes.items()}
    lo, hi = min(sizes), max(sizes)
    flat = peaks[hi][0] / peaks[lo][0] if peaks[lo][0] else float("inf")
    span = lo <= MEMORY_SPAN[0] and hi >= MEMORY_SPAN[1]
    out.append((f"peak memory < {MEMORY_MB / 1000:g} GB and flat (largest ≤ {MEMORY_FLAT:g}× smallest) from "
                f"{MEMORY_SPAN[0]:g} to {MEMORY_SPAN[1]:g} MB",
                ", ".join(f"{p:.0f} MB at {mb:g} MB" for mb, (p, _) in peaks.items()) + f" (×{flat:.2f})"
                + ("" if span else f"; not measured from {MEMORY_SPAN[0]:g} to {MEMORY_SPAN[1]:g} MB"),
                span and all(p < MEMORY_MB for p, _ in peaks.values()) and flat <= MEMORY_FLAT))
    pipe = results["pipeline"]
    if pipe:
        ratio = pipe["seconds"] / pipe["floor_seconds"]
        out.append((f"`run` on the seed ≤ {RUN_X:g}× its floor", f"{pipe['seconds']:.1f} s / {pipe['floor_seconds']:.1f} s"
                    f" = {ratio:.2f}×" + (f" (failed: {pipe['error']})" if pipe["error"] else ""),
                    ratio <= RUN_X and not pipe["error"]))
    else:
        out.append((f"`run` on the seed ≤ {RUN_X:g}× its floor", "not measured (--skip-pipeline)", False))
    lex = sizes[hi]["lexicon"]
    mbps = lex["bytes"] / 1e6 / lex["seconds"] if _ok(lex) else 0.0
    out.append((f"lexicon counting over cached bodies ≥ {LEXICON_MBPS:g} MB/s (at the largest size)",
                f"{mbps:.0f} MB/s at {hi:g} MB" if _ok(lex) else f"failed: {lex.get('error')}",
                mbps >= LEXICON_MBPS and hi >= MEMORY_SPAN[0]))
    out += dask_targets(results["dask"])
    return out


def dask_targets(d: dict) -> list[tuple[str, str, bool]]:
    t_label = f"Dask path ≤ {DASK_TIME_X:g}× the local pool's time"
    m_label = f"Dask path ≤ {DASK_MEMORY_X:g}× the local pool's peak memory (PSS)"
    if not d.get("built"):
        return [(t_label, "not built (no `analysis_utils.scale.cluster`)", False),
                (m_label, "not built (no `analysis_utils.scale.cluster`)", False)]
    local, dask = d["local"], d["dask"]
    if not (_ok(local) and _ok(dask)):
        why = dask.get("error") or local.get("error")
        return [(t_label, f"failed: {why}", False), (m_label, f"failed: {why}", False)]
    tx, mx = dask["seconds"] / local["seconds"], dask["pss"] / local["pss"]
    return [(t_label, f"{dask['seconds']:.1f} s / {local['seconds']:.1f} s = {tx:.2f}× ({d['mb']:.1f} MB)", tx <= DASK_TIME_X),
            (m_label, f"{dask['pss']:.0f} MB / {local['pss']:.0f} MB = {mx:.2f}×", mx <= DASK_MEMORY_X)]


#: The corpus steps whose peak is the package's peak at a size (jieba's words are the baseline's tokens, not the package's).
PEAK_STEPS = ("cold", "cli", "warm", "lexicon")


def peak(size: dict) -> tuple[float, str]:
    """The largest PSS of the package's corpus steps at one size, and which step."""
    return max(((size[k]["pss"], k) for k in PEAK_STEPS), default=(0.0, ""))


ROWS = [  # key, step, what, basis of × jieba (in process / whole process)
    ("cold", "cold, package tokens (in process)",
     "`corpus_term_frequency(top_n=100, by_speech=True)`: formulations whole, number slogans, tags "
     "(= `Tokenizer.tokens`), empty cache, all cores"),
    ("cli", "cold, `terms DIR` (whole process)",
     "`python -m analysis_utils terms DIR --keep-duplicates --top 100 --format csv --out …`, empty cache folder "
     "but for the dictionary image"),
    ("first", "cold, first use (no dictionary image)",
     "`terms DIR` as above, the cache folder quite empty: jieba's dictionary image made from `dict.txt` (once per machine)"),
    ("plain", "cold, jieba's words", "`corpus_term_counts(plain=True)`: `jieba.lcut` of each body, all cores, empty cache"),
    ("warm", "warm", "`corpus_term_frequency(pos=[\"n\"])`: a new question, the cached tokens counted again"),
    ("lexicon", "lexicon", "`corpus_substring_counts`, every lexicon phrase, over the cached bodies"),
]


def _cell(x: float | None, fmt: str) -> str:
    return "" if x is None else format(x, fmt)


def size_rows(mb: float, info: dict, steps: dict, base: dict) -> list[str]:
    """The main table's rows for one size."""
    src = "" if base["size"] == mb else f" (≈: the MB/s of {base['mb']:.1f} MB)"
    mbv = info["bytes"] / 1e6
    lines = [f"| {mb:g} | baseline{src} | `jieba.lcut` + `Counter` per file, 1 process (`python -c`) | {mbv:.1f} | "
             f"{mbv / base['in_mbps']:.2f} | {mbv / base['whole_mbps']:.2f} | {base['cpu'] * mbv / base['mb']:.1f} | "
             f"{base['in_mbps']:.2f} | 1.0× | 1.0× | {base['pss']:.0f} / {base['rss']:.0f} |"]
    for key, step, what in ROWS:
        r = steps.get(key)
        if r is None:  # a row of one size only
            continue
        if not _ok(r):
            lines.append(f"| {mb:g} | {step} | {what} | {mbv:.1f} | failed: {r.get('error')} | | | | | | |")
            continue
        inner = None if key in ("cli", "first") else r["seconds"]
        mbps = mbv / (inner if inner is not None else r["wall"])
        x_in = "" if inner is None else f"{mbv / inner / base['in_mbps']:.1f}×"
        x_whole = f"{mbv / r['wall'] / base['whole_mbps']:.1f}×"
        lines.append(f"| {mb:g} | {step} | {what} | {mbv:.1f} | {_cell(inner, '.2f')} | {r['wall']:.2f} | {r['cpu']:.1f} | {mbps:.2f} | "
                     f"{x_in} | {x_whole} | {r['pss']:.0f} / {r['rss']:.0f} |")
    return lines


def render(results: dict, args) -> tuple[str, str]:
    """(RESULTS.md, the README summary)."""
    base, sizes, infos = results["baseline"], results["sizes"], results["infos"]
    tg = targets(results)
    summary = summary_table(results, tg)
    full = infos["full"]
    lines = [
        "# Benchmark results",
        "",
        f"`{results['command']}` on {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, code at commit {results['commit']}: "
        f"{_machine()}; {_versions()}. Load average (1 min): {results['load'][0]:.1f} at the start, "
        f"{results['load'][1]:.1f} at the end (other work on the machine slows every step alike).",
        "",
        "## Summary (for the README)",
        "",
        summary,
        "",
        "## Corpus",
        "",
        f"Built from the {full['sources']} development texts ("
        + ("the `.txt` files and every record of the Wikisource JSONLs" if full["jsonl"] else "the `.txt` files only: --txt-only")
        + ") in a temporary folder: copy 0 as it is, then copies with their paragraphs shuffled and one "
        f"paragraph of another text mixed in (rounds of copies: {full['copies']}). Every file's body after the loader's "
        "cleaning is distinct (checked with the loader; a text whose cleaned body was seen before is not written). "
        "Each size is the first files up to that size. MB = 10^6 bytes of UTF-8 text.",
        "",
        "| size | files | distinct bodies after cleaning | MB |",
        "|---:|---:|---:|---:|",
    ]
    lines += [f"| {mb:g} MB | {i['files']:,} | {i['distinct']:,} | {i['bytes'] / 1e6:.1f} |" for mb, i in infos["sizes"].items()]
    lines += [
        "",
        "## Steps",
        "",
        f"Baseline: `python -c` with `jieba.lcut` + `collections.Counter` per file on the {base['files']:,} files of "
        f"{base['mb']:.1f} MB ({base['label']}): {base['seconds']:.2f} s in process (jieba's dictionary loaded "
        f"before the clock starts), {base['wall']:.2f} s whole process. "
        + ("Other sizes use its MB/s (rows marked ≈). " if any(mb != base["size"] for mb in infos["sizes"]) else "") +
        "\"× jieba\" divides a step's MB/s by the baseline's, in process by in process, whole process by whole process. "
        "Each step is a fresh process with an empty cache folder of its own (`ANALYSIS_UTILS_CACHE`), except warm "
        "and lexicon, which read the cold step's cache. Cold: no body or token record cached; the dictionary image "
        "(made once per machine: jieba's dictionary and tag table, here made by a separate process before the steps "
        "and copied into each cold step's cache folder) present, as after any first use on a machine; the row \"cold, "
        "first use\" (smallest size only) shows the cost of the first run, which makes it. \"in process\" = the call alone (the pool's start-up "
        "included); \"whole process\" = from exec to exit (imports, dictionary loading, start-up included). "
        "CPU s: user + system seconds of the whole process and its workers (less sensitive to other work on the "
        "machine than wall time; 2 cores can at best halve a step's wall time against its CPU time). "
        "A cold step writes two cache files per speech (about 6,000 at 100 MB); on ext4, right after thousands of "
        "files were deleted on the same file system (a test suite's temporary folders, an earlier benchmark's), "
        "making new files costs the kernel 2–4 s more at 100 MB (it skips recently freed inodes: `recently_deleted` "
        "and `find_inode_bit` in `perf`), so run the benchmark on a quiet machine. "
        "Peak memory: PSS / RSS in MB summed over the process and all its workers. "
        + (f"Baseline, cold and lexicon steps: the fastest of {args.repeat} runs each, the baseline's runs each just "
           "before a cold run of its size (--repeat), none of them sampled for memory (reading a process's PSS walks "
           "its page tables: sampling 3 processes every 50 ms took about 5 % of the 2 cores from them); then one more "
           "run of each, sampled every 50 ms, gives the peak memory. Warm runs once, sampled (a second run would "
           "read the table the first one memoised)."
           if args.repeat > 1 else "Each step ran once (--repeat N: the fastest of N)."),
        "",
        "| size (MB) | step | what | MB | s in process | s whole process | CPU s | MB/s | × jieba (in process) | "
        "× jieba (whole process) | peak PSS / RSS (MB) |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for mb, steps in sizes.items():
        lines += size_rows(mb, infos["sizes"][mb], steps, base)
    lines += ["", "Peak memory per size (the largest PSS of the package's corpus steps: cold, `terms DIR`, warm, "
              "lexicon; jieba's words are left out, being the baseline's tokens):", "",
              "| size | peak PSS (MB) | step |", "|---:|---:|---|"]
    lines += [f"| {mb:g} MB | {p:.0f} | {k} |" for mb, (p, k) in ((mb, peak(s)) for mb, s in sizes.items())]
    lines += ["", *other_lines(results), "", *stage_lines(results["stages"]), ""]
    return "\n".join(lines), summary


def summary_table(results: dict, tg: list[tuple[str, str, bool]]) -> str:
    sizes = ", ".join(f"{mb:g}" for mb in results["sizes"])
    head = [f"Issue 20 targets, {sizes} MB of distinct texts, commit {results['commit']}, "
            f"{time.strftime('%Y-%m-%d', time.gmtime())} (`{results['command']}`; the full table: `benchmarks/RESULTS.md`):", "",
            "| target | measured | result |", "|---|---|---|"]
    return "\n".join(head + [f"| {t} | {m} | {verdict(ok)} |" for t, m, ok in tg])


def other_lines(results: dict) -> list[str]:
    out = []
    ident = results["identical"]
    if "error" not in ident:
        out.append(f"- Tokens: the corpus path's tokens equal `Tokenizer.tokens` on {ident['identical']}/{ident['speeches']} "
                   f"sampled speeches ({ident['tokens']:,} tokens), token for token.")
    d = results["dask"]
    if not d.get("built"):
        out.append("- Dask: not built (`analysis_utils.scale.cluster` does not exist in the code measured).")
    elif _ok(d["local"]) and _ok(d["dask"]):
        lo, da = d["local"], d["dask"]
        out.append(f"- Dask, {d['mb']:.1f} MB, `corpus_term_counts` cold (empty cache), local pool and Dask in turn: "
                   f"local pool {lo['seconds']:.1f} s ({lo.get('cpu', 0.0):.1f} CPU s, all processes), "
                   f"peak {lo['pss']:.0f} MB PSS; `scheduler=` the address of the package's one-machine cluster "
                   f"`scale.cluster.local_cluster(2)` (Dask's LocalCluster, workers forked once the tokenizer is made) "
                   f"{da['seconds']:.1f} s (the cluster started before the clock, in {da.get('cluster_start', 0):.1f} s; "
                   f"{da.get('cpu', 0.0):.1f} CPU s, all processes, its start included), "
                   f"peak {da['pss']:.0f} MB PSS (client, scheduler, nannies and workers summed); same table: "
                   f"{'yes' if lo.get('tokens_counted') == da.get('tokens_counted') and lo.get('rows') == da.get('rows') else '**no**'}.")
        pl = d.get("plain") or {}
        if _ok(pl):
            out.append(f"- Dask's own `LocalCluster(n_workers=2, threads_per_worker=1)` (each worker makes its tokenizer), "
                       f"for comparison: {pl['seconds']:.1f} s = {pl['seconds'] / lo['seconds']:.2f}× the local pool, "
                       f"peak {pl['pss']:.0f} MB PSS = {pl['pss'] / lo['pss']:.2f}×; same table: "
                       f"{'yes' if lo.get('tokens_counted') == pl.get('tokens_counted') and lo.get('rows') == pl.get('rows') else '**no**'}.")
    else:
        out.append(f"- Dask: failed: {d['dask'].get('error') or d['local'].get('error')}.")
    p = results["pipeline"]
    if p:
        out.append(f"- `python -m analysis_utils run` on the seed over {len(p['notebooks'])} notebook(s) "
                   f"({', '.join(p['notebooks'])}): {p['seconds']:.1f} s whole process, peak {p['pss']:.0f} MB PSS; floor "
                   f"(the same notebooks reduced to their parameters and imports, papermill in one process): "
                   f"{p['floor_seconds']:.1f} s → {p['seconds'] / p['floor_seconds']:.2f}× the floor"
                   + (f" ({p['how']}; CPU s: {p['cpu']:.1f} vs {p['floor_cpu']:.1f})" if p.get("how") else "")
                   + (f" (failed: {p['error']})" if p["error"] else "")
                   + (f"; the first use on a machine (no dictionary image: `run` makes it): {p['first']:.1f} s"
                      if p.get("first") else "") + ".")
    same = {mb: s["cli"].get("tokens_counted") == s["cold"].get("tokens_counted") and s["cli"].get("rows") == s["cold"].get("rows")
            for mb, s in results["sizes"].items() if _ok(s["cli"]) and _ok(s["cold"])}
    if same:
        out.append("- `terms DIR` wrote the table the in-process call returned (rows and token counts), at "
                   + ", ".join(f"{mb:g} MB: {'yes' if ok else '**no**'}" for mb, ok in same.items()) + ".")
    return out


def stage_lines(stages: dict) -> list[str]:
    if "error" in stages and "bytes" not in stages:
        return [f"Stages of a cold run: failed: {stages['error']}"]
    mbs = stages["bytes"] / 1e6
    lines = [f"Where a cold run's time goes, one process, {stages['files']} texts (copy 0 of each, {mbs:.2f} MB), in-process "
             "seconds per MB (jieba's pure-Python cut is what the baseline spends its time on):", "",
             "| stage | s/MB | MB/s |", "|---|---:|---:|"]
    for key, label in STAGES:
        if key in stages and stages[key] > 0:
            lines.append(f"| {label} | {stages[key] / mbs:.3f} | {mbs / stages[key]:.1f} |")
        else:
            lines.append(f"| {label} | n/a ({stages.get('errors', {}).get(key, 'not run')}) | |")
    if "tokenizer_init" in stages:
        lines.append(f"| making a worker's tokenizer (once per worker) | {stages['tokenizer_init']:.2f} s | |")
    return lines


# ---------------------------------------------------------------------------- main
def parse(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", "--size-mb", dest="sizes", type=float, nargs="+", default=None, metavar="MB",
                    help="corpus sizes in MB (default: 20 100 300)")
    ap.add_argument("--quick", action="store_true",
                    help="check the script: sizes 0.5 and 1 MB, 5 sampled speeches, `run` with notebook 01 only")
    ap.add_argument("--baseline-mb", type=float, default=20,
                    help="time the baseline on the smallest size, at most this many MB (default 20)")
    ap.add_argument("--sample", type=int, default=40, help="speeches checked token for token (default 40)")
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="run the baseline, the cold steps, the Dask comparison and `run` with its floor N times each, "
                         "the fastest counts (default 1)")
    ap.add_argument("--txt-only", action="store_true",
                    help="build the corpus from the .txt files only (the earlier benchmarks' corpus), not the JSONL records too")
    ap.add_argument("--skip-pipeline", action="store_true", help="do not time `run` (its target is then not met)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="where to write the results (default benchmarks/RESULTS.md)")
    ap.add_argument("--no-write", action="store_true", help="print the table, do not write it")
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpus and caches")
    ap.add_argument("--working-tree", action="store_true",
                    help="measure the working tree instead of a snapshot of the last commit")
    ap.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    ap.add_argument("--pos", default="", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.sizes is None:
        args.sizes = list(QUICK_SIZES if args.quick else SIZES)
    if args.quick:
        args.sample = min(args.sample, 5)
    args.sizes = sorted(set(args.sizes))
    if args.sizes[0] <= 0 or args.repeat < 1:
        ap.error("--sizes: give sizes above 0 MB; --repeat: at least 1")
    return args


def measure_all(bench: Bench, args) -> dict:
    tmp = bench.tmp
    print(f"building a {args.sizes[-1]:g} MB corpus …", file=sys.stderr)
    full = build_corpus(tmp / "corpus_all", args.sizes[-1], jsonl=not args.txt_only)
    infos = {mb: subset(tmp / "corpus_all", full["order"], tmp / f"corpus_{mb:g}", mb) for mb in args.sizes}
    base_mb = min(args.baseline_mb, args.sizes[0])
    if base_mb == args.sizes[0]:
        base_dir, label = tmp / f"corpus_{base_mb:g}", f"the files of the {base_mb:g} MB corpus"
    else:
        subset(tmp / "corpus_all", full["order"], tmp / "corpus_baseline", base_mb)
        base_dir, label = tmp / "corpus_baseline", f"the first {base_mb:g} MB of the {args.sizes[0]:g} MB corpus"
    same_files = base_mb == args.sizes[0]
    base = {}
    if not same_files:  # else measured by turns with the cold runs of the smallest size
        print("baseline: jieba.lcut + Counter, one process …", file=sys.stderr)
        base = bench.best(lambda: bench.baseline(base_dir))
    sizes = {}
    for mb in args.sizes:
        print(f"{mb:g} MB: {'baseline and cold by turns, ' if same_files and mb == base_mb else 'cold, '}"
              "terms DIR, jieba's words, warm, lexicon …", file=sys.stderr)
        sizes[mb] = bench.size(tmp / f"corpus_{mb:g}", mb, baseline=same_files and mb == base_mb)
        base = sizes[mb].pop("baseline", base)
        if "error" in base:
            sys.exit(f"error: the baseline failed: {base['error']}")
    base.update(mb=base["bytes"] / 1e6, label=label, size=base_mb if same_files else None,
                in_mbps=base["bytes"] / 1e6 / base["seconds"], whole_mbps=base["bytes"] / 1e6 / base["wall"])
    small = tmp / f"corpus_{args.sizes[0]:g}"
    print("tokens against Tokenizer.tokens; Dask against the local pool; stages …", file=sys.stderr)
    identical = bench.step("identical", small, bench.cache("identical"))
    dask = bench.dask(small)
    stages = bench.step("stages", small, bench.cache("stages"))
    pipe = None
    if not args.skip_pipeline:
        print("pipeline: run on the seed, and its floor …", file=sys.stderr)
        pipe = pipeline(bench, ["01"] if args.quick else None)
    return {"baseline": base, "sizes": sizes, "infos": {"full": full, "sizes": infos}, "identical": identical,
            "dask": dask, "stages": stages, "pipeline": pipe}


def main(argv=None) -> int:
    args = parse(argv)
    if args.step:  # a child process: one step, its result as one JSON line
        print(json.dumps(STEPS[args.step](args)))
        return 0
    load_start = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="analysis_utils_bench_"))
    given = sys.argv[1:] if argv is None else list(argv)
    command = " ".join(["./py benchmarks/run_benchmark.py", *(a for a in given if a not in ("--no-write", "--keep"))])
    try:
        commit = "working tree"
        if not args.working_tree:
            commit = snapshot(tmp / "code")
            CODE["root"] = tmp / "code"
            CODE["env"] = {"PYTHONPATH": str(tmp / "code" / "src"), "ANALYSIS_UTILS_ROOT": str(tmp / "code")}
            print(f"measuring commit {commit} (a snapshot in {tmp / 'code'})", file=sys.stderr)
        sys.path.insert(0, str(CODE["root"] / "src"))  # the loader that checks bodies distinct, the runner: the code measured
        results = measure_all(Bench(tmp, args), args)
        results.update(commit=commit, command=command, load=(load_start, os.getloadavg()[0]))
        text, summary = render(results, args)
        print(text)
        print("\n---- README summary (paste) ----\n" + summary)
        if not args.no_write:
            args.out.write_text(text, encoding="utf-8")
            print(f"written: {args.out}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
