"""Corpus-scale benchmark: plain jieba against the package's corpus path, on real speeches.

Run from the project root::

    .venv/bin/python benchmarks/run_benchmark.py                # 20 MB corpus → benchmarks/RESULTS.md
    .venv/bin/python benchmarks/run_benchmark.py --size-mb 100  # the memory check → its own section there

(``/work/venv/bin/python`` on the development machine.) It builds a corpus of at least
``--size-mb`` MB (10^6 bytes of UTF-8) in a temporary folder outside the repository by
re-mixing the development corpus (``../shared/corpus``; each copy's paragraphs shuffled with one
of another speech, and every file's body distinct after the loader's cleaning, checked and printed), then times, each step in a fresh Python
process so one step's memory does not inflate the next, and on a snapshot of the last commit
(``git archive HEAD``; ``--working-tree`` measures uncommitted code instead):

1. baseline: ``collections.Counter(jieba.lcut(text))`` per file, one process;
2. cold: ``corpus_term_counts(folder)`` with an empty cache (all cores, the compiled segmenter),
   and ``corpus_term_counts(folder, plain=True)`` (the baseline's own tokens) the same way;
3. warm: the same call again (everything cached); a new question on the cached tokens; the
   call again after one file changed;
4. lexicon: ``corpus_substring_counts(folder)`` of every lexicon phrase, bodies cached by 2.;
   and the same with nothing cached (the loader's cleaning included);
5. the ``run`` pipeline on one speech (``python -m analysis_utils run``) against its floor:
   the same notebooks reduced to their parameters and imports, run the same way.

It also checks on a sample of speeches that the corpus path's tokens equal
``Tokenizer.tokens`` token for token, and times the stages of a cold run in one process.
Peak memory: the largest sum over the step's process and its workers of PSS (shared pages
split between the processes sharing them) and of RSS (shared pages counted in each: an
overstatement), sampled every 50 ms. Results: a table on stdout and in
``benchmarks/RESULTS.md``.
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

TARGETS = {  # step: (what, test on the row)
    "cold": ("≥ 10× baseline, identical tokens", lambda r, b: r["mbps"] >= 10 * b),
    "cold, jieba's words": ("≥ 10× baseline, identical tokens", lambda r, b: r["mbps"] >= 10 * b),
    "warm": ("≥ 50× baseline", lambda r, b: r["mbps"] >= 50 * b),
    "lexicon": ("≥ 100 MB/s", lambda r, b: r["mbps"] >= 100),
}


# ---------------------------------------------------------------------------- corpus
def build_corpus(dest: Path, size_mb: float) -> dict:
    """Texts made from the development corpus until ``size_mb`` MB, every one's body distinct after the
    loader's cleaning (checked: a text whose cleaned body was seen before is not written).

    Copy 0 is each speech as it is; copy k of a speech keeps its first lines (title and header, as the
    loader sees them) and shuffles its paragraphs with one paragraph of another speech mixed in, so a
    copy is a real-looking speech of real sentences, not the same body with its lines rotated (rotated
    lines clean to the same body once headers and labels are removed, and the token cache then cuts
    each distinct body once while the baseline cuts every file).
    """
    import hashlib
    import random

    sys.path.insert(0, str(ROOT / "src"))
    from analysis_utils import speech_from_text

    sources = sorted(p for p in CORPUS.rglob("*.txt") if p.is_file())
    if not sources:
        sys.exit(f"error: no speeches in {CORPUS}")
    texts = [(p, p.read_bytes().decode("utf-8-sig")) for p in sources]
    paragraphs = [[ln for ln in t.splitlines() if ln.strip()] for _, t in texts]
    dest.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    total = copies = n = skipped = 0
    target = size_mb * 1e6
    while total < target and copies < 10_000:
        for i, (p, text) in enumerate(texts):
            if copies:
                rng = random.Random(f"{copies}:{p.stem}")
                head, body = paragraphs[i][:3], paragraphs[i][3:] + [rng.choice(paragraphs[rng.randrange(len(texts))])]
                rng.shuffle(body)
                text = "\n".join(head + body) + "\n"
            name = f"{copies:03d}_{p.stem}.txt"
            key = hashlib.sha256(speech_from_text(text, path=name).body.encode("utf-8")).hexdigest()
            if key in seen:
                skipped += 1
                continue
            seen.add(key)
            data = text.encode("utf-8")
            (dest / name).write_bytes(data)
            total += len(data)
            n += 1
            if total >= target:
                break
        copies += 1
    print(f"corpus: {n} files, {total / 1e6:.1f} MB, {len(seen)} distinct bodies after cleaning "
          f"({skipped} candidate texts left out as duplicates)", file=sys.stderr)
    return {"files": n, "bytes": total, "sources": len(texts), "copies": copies, "distinct": len(seen)}


# ---------------------------------------------------------------------------- steps (child processes)
def _files(folder: Path, limit_bytes: float | None = None) -> list[Path]:
    files = sorted(folder.glob("*.txt"))
    if limit_bytes is None:
        return files
    out, total = [], 0
    for f in files:
        if total >= limit_bytes:
            break
        out.append(f)
        total += f.stat().st_size
    return out


def step_baseline(args) -> dict:
    import collections
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    files = _files(Path(args.corpus), args.baseline_mb * 1e6)
    t0 = time.perf_counter()
    nbytes = ntok = 0
    for f in files:
        text = f.read_text(encoding="utf-8-sig")
        nbytes += len(text.encode("utf-8"))
        ntok += sum(collections.Counter(jieba.lcut(text)).values())
    return {"seconds": time.perf_counter() - t0, "bytes": nbytes, "files": len(files), "tokens": ntok}


def _corpus_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.glob("*.txt"))


def step_terms(args) -> dict:
    from analysis_utils.scale import corpus_term_counts

    t0 = time.perf_counter()
    df = corpus_term_counts(args.corpus, cache=args.cache, progress=False, pos=args.pos.split(",") if args.pos else None,
                            plain=args.plain, duplicates="keep")  # the corpus is copies: count them all
    return {"seconds": time.perf_counter() - t0, "bytes": _corpus_bytes(Path(args.corpus)),
            "rows": len(df), "tokens_counted": int(df["token_count"].sum())}


def step_lexicon(args) -> dict:
    from analysis_utils.scale import corpus_substring_counts

    t0 = time.perf_counter()
    df = corpus_substring_counts(args.corpus, None, zeros=False, cache=args.cache, progress=False, duplicates="keep")
    return {"seconds": time.perf_counter() - t0, "bytes": _corpus_bytes(Path(args.corpus)),
            "rows": len(df), "hits": int(df["substring_count"].sum())}


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
        ref = tok.tokens(load_speech(item.path))[CORPUS_TOKEN_COLUMNS].reset_index(drop=True)
        same += int(ref.equals(df))
        ntok += len(ref)
    return {"speeches": len(sample), "identical": same, "tokens": ntok}


def step_stages(args) -> dict:
    """Where a cold run's time goes, per MB, in one process (the first copy of every speech)."""
    import logging

    import jieba

    from analysis_utils import load_speech
    from analysis_utils.scale import FastSegmenter, fast_tokenizer
    from analysis_utils.scale.cache import encode_tokens
    from analysis_utils.slogans import find_number_slogans

    jieba.setLogLevel(logging.WARNING)
    files = sorted(Path(args.corpus).glob("000_*.txt"))
    nbytes = sum(f.stat().st_size for f in files)
    out = {"bytes": nbytes, "files": len(files)}

    def timed(name, fn):
        t0 = time.perf_counter()
        r = fn()
        out[name] = time.perf_counter() - t0
        return r

    tok = timed("tokenizer_init", fast_tokenizer)
    speeches = timed("load", lambda: [load_speech(f) for f in files])
    bodies = [s.body for s in speeches]
    timed("slogans_warmup", lambda: find_number_slogans(bodies[0], idioms=tok._idioms))  # first call builds tables
    spans = timed("protected_spans", lambda: [tok.protected_spans(b) for b in bodies])
    timed("number_slogans", lambda: [find_number_slogans(b, idioms=tok._idioms) for b in bodies])
    gaps = []  # the text jieba cuts: between the protected spans
    for b, sp in zip(bodies, spans):
        cur = 0
        for st, en, *_ in sp:
            gaps.append(b[cur:st])
            cur = en
        gaps.append(b[cur:])
    seg = FastSegmenter.for_tokenizer(tok)
    timed("segment_fast", lambda: [seg(g) for g in gaps])
    timed("segment_jieba", lambda: [tok._jieba.lcut(g, HMM=True) for g in gaps])
    timed("cut_nopos", lambda: [list(tok.cut(b)) for b in bodies])
    timed("cut_pos_first", lambda: [list(tok.cut(b, pos=True)) for b in bodies])  # tags HMM words: posseg
    rows = timed("cut_pos_again", lambda: [list(tok.cut(b, pos=True)) for b in bodies])
    timed("encode", lambda: [encode_tokens(r, 0) for r in rows])
    return out


STEPS = {"baseline": step_baseline, "terms": step_terms, "lexicon": step_lexicon, "identical": step_identical,
         "stages": step_stages}


# ---------------------------------------------------------------------------- measuring
#: Where the code under test lives: a snapshot of the last commit (set in main), so that
#: edits made in the working tree while the benchmark runs cannot change what it measures.
CODE = {"root": ROOT, "env": {}}


def run_measured(cmd: list[str]) -> tuple[dict | None, float, dict, str]:
    """Run ``cmd``; return (its JSON result or None, wall seconds, peak memory in MB, stderr tail).

    Peak memory: the largest sum over the process and its children of resident memory
    (``rss``, which counts pages shared between them once per process) and of proportional
    memory (``pss``: each shared page split between the processes sharing it, so the sum is
    what the tree really occupies).
    """
    import psutil

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=CODE["root"],
                            env={**os.environ, **CODE["env"]})
    peak = {"rss": 0, "pss": 0}
    stop = threading.Event()

    def sample():
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

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = proc.communicate()
    stop.set()
    th.join()
    wall = time.perf_counter() - t0
    result = None
    if proc.returncode == 0:
        for line in reversed(out.splitlines()):
            if line.startswith("{"):
                result = json.loads(line)
                break
    mem = {k: v / 1e6 for k, v in peak.items()}
    return result, wall, mem, "\n".join(err.strip().splitlines()[-3:]) if proc.returncode else ""


def snapshot(dest: Path) -> str:
    """The last commit's files in ``dest`` (``git archive``); returns the commit id."""
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            check=True).stdout.strip()
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return commit


def child(step: str, args, extra: list[str] = ()) -> tuple[dict, float]:
    cmd = [sys.executable, str(CODE["root"] / "benchmarks" / "run_benchmark.py"), "--step", step, "--corpus", str(args.corpus_dir),
           "--cache", str(args.cache_dir), "--baseline-mb", str(args.baseline_mb), "--sample", str(args.sample), *extra]
    res, wall, mem, err = run_measured(cmd)
    if res is None:
        sys.exit(f"error: step {step} failed: {err}")
    res["peak_mb"] = mem["rss"]
    res["pss_mb"] = mem["pss"]
    return res, wall


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


def pipeline(args, tmp: Path) -> dict | None:
    from analysis_utils import config, runner

    config.NOTEBOOKS_DIR = CODE["root"] / "notebooks"  # the snapshot's notebooks
    real = runner.notebooks()  # what `run` executes for one speech: 01–04, then 05 on its parts
    if hasattr(runner, "COMPARE"):
        real += runner.notebooks(None, runner.COMPARE)
    if not real:
        return None
    floor = floor_notebooks(real, tmp / "floor")
    out_real, out_floor = tmp / "figs_real", tmp / "figs_floor"
    res, wall_real, mem_real, err = run_measured(
        [sys.executable, "-m", "analysis_utils", "run", str(SEED), "--out", str(out_real), "--quiet"])
    peak_real = mem_real["pss"]
    failed_real = bool(err)
    code = (
        "import papermill as pm, sys\n"
        f"for nb in {[str(p) for p in floor]!r}:\n"
        f"    pm.execute_notebook(nb, nb + '.out.ipynb', parameters={{'speech_path': {str(SEED)!r}, 'out_dir': {str(out_floor)!r}}},\n"
        f"        cwd={str(tmp / 'floor')!r}, kernel_name='python3', progress_bar=False, log_output=False,\n"
        "        request_save_on_cell_execute=False)\n"
    )
    _, wall_floor, mem_floor, err_floor = run_measured([sys.executable, "-c", code])
    peak_floor = mem_floor["pss"]
    return {"notebooks": [p.name for p in real], "seconds": wall_real, "floor_seconds": wall_floor,
            "peak_mb": peak_real, "floor_peak_mb": peak_floor, "failed": failed_real or bool(err_floor),
            "error": err or err_floor}


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
    for name in ("jieba", "rjieba", "ahocorasick-rs", "pyahocorasick", "pandas", "numpy"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} (not installed)")
    return ", ".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mb", type=float, default=20, help="corpus size in MB (default 20; 100 for the memory check)")
    ap.add_argument("--baseline-mb", type=float, default=20, help="time the baseline on the first this-many MB (default 20)")
    ap.add_argument("--sample", type=int, default=40, help="speeches checked token for token (default 40)")
    ap.add_argument("--skip-pipeline", action="store_true", help="do not time the run pipeline (skipped anyway from 100 MB)")
    ap.add_argument("--no-write", action="store_true", help="print the table, do not write RESULTS.md")
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpus and cache")
    ap.add_argument("--working-tree", action="store_true",
                    help="measure the working tree instead of a snapshot of the last commit")
    ap.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    ap.add_argument("--pos", default="", help=argparse.SUPPRESS)
    ap.add_argument("--plain", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.step:  # a child process: one step, its result as one JSON line
        print(json.dumps(STEPS[args.step](args)))
        return 0

    load_start = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="analysis_utils_bench_"))
    try:
        args.corpus_dir = tmp / "corpus"
        args.cache_dir = tmp / "cache"
        args.commit = "working tree"
        if not args.working_tree:
            args.commit = snapshot(tmp / "code")
            CODE["root"] = tmp / "code"
            CODE["env"] = {"PYTHONPATH": str(tmp / "code" / "src"), "ANALYSIS_UTILS_ROOT": str(tmp / "code")}
            print(f"measuring commit {args.commit} (a snapshot in {tmp / 'code'})", file=sys.stderr)
        print(f"building a {args.size_mb:g} MB corpus in {args.corpus_dir} …", file=sys.stderr)
        info = build_corpus(args.corpus_dir, args.size_mb)
        mb = info["bytes"] / 1e6
        rows = []

        print("baseline: jieba.lcut + Counter, one process …", file=sys.stderr)
        base, _ = child("baseline", args)
        base_mbps = base["bytes"] / 1e6 / base["seconds"]
        rows.append(dict(step="baseline", what=f"`jieba.lcut` + `Counter` per file, 1 process ({base['files']} files)",
                         mb=base["bytes"] / 1e6, seconds=base["seconds"], mbps=base_mbps, peak=base["peak_mb"], pss=base["pss_mb"]))

        print("cold: corpus_term_counts, empty cache …", file=sys.stderr)
        cold, _ = child("terms", args)
        rows.append(dict(step="cold", what="`corpus_term_counts`: the package's tokens (formulations whole, number "
                         "slogans, tags; = `Tokenizer.tokens`), empty cache, all cores", mb=mb,
                         seconds=cold["seconds"], mbps=mb / cold["seconds"], peak=cold["peak_mb"], pss=cold["pss_mb"]))
        print("cold, jieba's own words: corpus_term_counts(plain=True) …", file=sys.stderr)
        plain, _ = child("terms", argparse.Namespace(**{**vars(args), "cache_dir": tmp / "cache_plain"}), ["--plain"])
        rows.append(dict(step="cold, jieba's words", what="`corpus_term_counts(plain=True)`: the baseline's own tokens "
                         "(`jieba.lcut` of each body, nothing added), empty cache, all cores", mb=mb,
                         seconds=plain["seconds"], mbps=mb / plain["seconds"], peak=plain["peak_mb"], pss=plain["pss_mb"]))
        print("warm: corpus_term_counts again …", file=sys.stderr)
        warm, _ = child("terms", args)
        same_result = warm["rows"] == cold["rows"] and warm["tokens_counted"] == cold["tokens_counted"]
        rows.append(dict(step="warm", what="`corpus_term_counts` again (cached)", mb=mb,
                         seconds=warm["seconds"], mbps=mb / warm["seconds"], peak=warm["peak_mb"], pss=warm["pss_mb"]))

        print("warm, a new question (pos=n): token caches, no stored table …", file=sys.stderr)
        newq, _ = child("terms", args, ["--pos", "n"])
        rows.append(dict(step="warm, new question", what="`corpus_term_counts(pos=[\"n\"])`: cached tokens, counted again", mb=mb,
                         seconds=newq["seconds"], mbps=mb / newq["seconds"], peak=newq["peak_mb"], pss=newq["pss_mb"]))
        print("lexicon: corpus_substring_counts …", file=sys.stderr)
        lex, _ = child("lexicon", args)
        rows.append(dict(step="lexicon", what="`corpus_substring_counts`, all lexicon phrases (bodies cached)", mb=mb,
                         seconds=lex["seconds"], mbps=mb / lex["seconds"], peak=lex["peak_mb"], pss=lex["pss_mb"]))
        fresh = argparse.Namespace(**{**vars(args), "cache_dir": tmp / "cache_lexicon_cold"})
        lex_cold, _ = child("lexicon", fresh)
        rows.append(dict(step="lexicon, cold", what="the same, nothing cached (loader's cleaning included)", mb=mb,
                         seconds=lex_cold["seconds"], mbps=mb / lex_cold["seconds"], peak=lex_cold["peak_mb"], pss=lex_cold["pss_mb"]))

        print("checking tokens against Tokenizer.tokens …", file=sys.stderr)
        ident, _ = child("identical", args)
        print("warm, one file changed …", file=sys.stderr)
        files = sorted(args.corpus_dir.glob("*.txt"))
        victim = files[len(files) // 2]
        with open(victim, "a", encoding="utf-8") as f:
            f.write("\n我们要坚持以人民为中心的发展思想，推动高质量发展。\n")
        changed, _ = child("terms", args)
        rows.append(dict(step="warm, one file changed", what=f"`corpus_term_counts` after appending a sentence to one file ({victim.name})",
                         mb=mb, seconds=changed["seconds"], mbps=mb / changed["seconds"], peak=changed["peak_mb"], pss=changed["pss_mb"]))

        print("where a cold run's time goes …", file=sys.stderr)
        stages, _ = child("stages", args)

        pipe = None
        if not args.skip_pipeline and args.size_mb < 100:
            print("pipeline: run on one speech, and its floor …", file=sys.stderr)
            pipe = pipeline(args, tmp)

        table = render(rows, base_mbps, info, ident, same_result, pipe, args, stages, load_start)
        print(table)
        if not args.no_write:
            write_results(table, args.size_mb)
            print(f"written: {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def write_results(section: str, size_mb: float) -> None:
    """Put this run's section into RESULTS.md, replacing the one of a run of the same size."""
    marker = f"<!-- run: {size_mb:g} MB -->"
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    parts = [x for x in old.split("<!-- run: ") if x.strip() and not x.startswith("#")]
    keep = {("<!-- run: " + x).split("\n", 1)[0]: "<!-- run: " + x for x in parts}
    keep[marker] = marker + "\n" + section
    order = sorted(keep, key=lambda m: float(m.split()[2]))
    head = ("# Benchmark results\n\n`benchmarks/run_benchmark.py` writes this file: one section per corpus size "
            "(the default 20 MB run, and `--size-mb 100`, the memory check).\n\n")
    RESULTS.write_text(head + "\n".join(keep[m].rstrip() + "\n" for m in order), encoding="utf-8")


def render(rows, base_mbps, info, ident, same_result, pipe, args, stages, load_start) -> str:
    lines = [
        f"## {args.size_mb:g} MB corpus" + (" (memory check)" if args.size_mb >= 100 else ""),
        "",
        f"`{Path(sys.executable).name} benchmarks/run_benchmark.py --size-mb {args.size_mb:g}` on "
        f"{time.strftime('%Y-%m-%d')}, code at commit {args.commit}: {_machine()}; {_versions()}.",
        "",
        f"Corpus: {info['files']} files, {info['bytes'] / 1e6:.1f} MB of UTF-8, built from the "
        f"{info['sources']} development-corpus speeches ({info['copies']} rounds of copies, paragraphs shuffled with one of "
        f"another speech; {info.get('distinct', info['files'])} distinct bodies after the loader's cleaning, checked) in a temporary folder. MB = 10^6 bytes of UTF-8 text. "
        "Times are inside the measuring process (imports and jieba's dictionary loading excluded for the "
        "baseline; the corpus steps include starting their workers and tokenisers). Peak memory = largest "
        "sum over the step's process and its workers of the proportional set size (PSS: pages shared between "
        "processes, such as the tokenizer the workers inherit, split between them) and, second, of the resident "
        "set size (RSS: shared pages counted in every process, an overstatement). "
        f"Load average (1 min) at the start: {load_start:.1f}, at the end: {os.getloadavg()[0]:.1f} "
        "(other work on the machine slows every step).",
        "",
        "| step | what | MB | seconds | MB/s | × baseline | peak memory (PSS / RSS) | target |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        target = ""
        if r["step"] in TARGETS:
            what, ok = TARGETS[r["step"]]
            target = f"{what}: {'**met**' if ok(r, base_mbps) else '**not met**'}"
        if r["step"] == "cold":
            target += (f" (tokens = `Tokenizer.tokens` on {ident['identical']}/{ident['speeches']} sampled speeches, "
                       f"{ident['tokens']:,} tokens)")
        if r["step"] == "cold, jieba's words":
            target += " (tokens = `jieba.lcut`: tests/test_corpus.py)"
        if r["step"] == "warm":
            target += "" if same_result else " — warm result differs from cold!"
        lines.append(f"| {r['step']} | {r['what']} | {r['mb']:.1f} | {r['seconds']:.2f} | {r['mbps']:.1f} | "
                     f"{r['mbps'] / base_mbps:.1f}× | {r['pss']:.0f} / {r['peak']:.0f} MB | {target} |")
    mem_ok = max(r["pss"] for r in rows if r["step"] != "baseline")
    rss_max = max(r["peak"] for r in rows if r["step"] != "baseline")
    size_note = (f"peak memory < 1 GB at 100 MB: {'**met**' if mem_ok < 1000 else '**not met**'} "
                 f"({mem_ok:.0f} MB proportional set size; {rss_max:.0f} MB if every process's resident pages "
                 "were counted in full, shared ones included)"
                 if args.size_mb >= 100 else f"largest corpus-step peak at {args.size_mb:g} MB: {mem_ok:.0f} MB PSS, "
                 f"{rss_max:.0f} MB RSS (the < 1 GB target is for 100 MB: `--size-mb 100`)")
    lines += ["", f"- Memory: {size_note}."]
    if pipe is None:
        lines.append("- Pipeline: not timed" + (" (--skip-pipeline, or the 100 MB memory check: see the 20 MB section)."
                                                if args.skip_pipeline or args.size_mb >= 100 else " (no notebooks yet)."))
    else:
        ratio = pipe["seconds"] / pipe["floor_seconds"]
        lines.append(
            f"- Pipeline, one speech (the seed), `python -m analysis_utils run` over {len(pipe['notebooks'])} notebook(s) "
            f"({', '.join(pipe['notebooks'])}): {pipe['seconds']:.1f} s, peak {pipe['peak_mb']:.0f} MB; floor (the same "
            f"notebooks reduced to their parameters and imports, run by papermill in one process): "
            f"{pipe['floor_seconds']:.1f} s → {ratio:.2f}× the floor; target ≤ 1.5×: "
            f"{'**met**' if ratio <= 1.5 else '**not met**'}"
            + (f" (a notebook failed: {pipe['error']})" if pipe["failed"] else "") + ".")
    mbs = stages["bytes"] / 1e6
    per = lambda k: stages[k] / mbs  # noqa: E731  seconds per MB
    lines += [
        "",
        f"Where a cold run's time goes, one process, {stages['files']} speeches ({mbs:.2f} MB), seconds per MB "
        "(jieba's pure-Python cut is what the baseline spends its time on):",
        "",
        "| stage | s/MB | MB/s |",
        "|---|---:|---:|",
    ]
    for key, label in [
        ("load", "loading and cleaning (`load_speech`)"),
        ("protected_spans", "protected spans (`Tokenizer.protected_spans`: lexicon, placeholders, number slogans)"),
        ("number_slogans", "… of which number slogans (`find_number_slogans`)"),
        ("segment_fast", "segmenting the text between spans: `FastSegmenter` (rjieba + jieba for mixed blocks)"),
        ("segment_jieba", "the same with jieba's Python code (for comparison)"),
        ("cut_nopos", "`Tokenizer.cut` with FastSegmenter, no tags"),
        ("cut_pos_first", "`Tokenizer.cut(pos=True)`, first time (tags of HMM words from jieba.posseg)"),
        ("cut_pos_again", "`Tokenizer.cut(pos=True)`, tags known"),
        ("encode", "packing the cache record"),
    ]:
        lines.append(f"| {label} | {per(key):.3f} | {1 / per(key):.1f} |")
    lines.append(f"| making a worker's tokenizer (once per worker) | {stages['tokenizer_init']:.2f} s | |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
