"""Number-slogan benchmark: the working tree's number slogans against an earlier commit's, on the whole corpus.

Run from the project root::

    ./py benchmarks/slogan_benchmark.py                  # against 9f5b015 (before issue 20), tokens included
    ./py benchmarks/slogan_benchmark.py --base HEAD~3 --no-tokens --repeat 5

(``./py`` is the project's Python with ``src`` on the path; ``.venv/bin/python`` works the same.)
It reads every text of the development corpus (``../shared/corpus``: each ``.txt`` file and every
record of the Wikisource JSONLs, as on disk), takes ``src/analysis_utils/slogans/number.py`` of
``--base`` (``git show``) into a temporary folder outside the project and imports it beside the
working tree's module (the rest of the package is the working tree's), and times, old and new in
turn in this one process (so a busy machine slows both alike), after a warm-up of each (the idiom
automaton, the lexicon regex, jieba's tags):

- ``number_slogan_spans`` with the bundled lexicon, on every raw text;
- ``find_number_slogans`` (what the tokeniser calls), on every raw text;
- ``number_slogans`` on every speech (``speech_from_text`` of each raw text: sections, hit table);
- ``Tokenizer.tokens`` on every speech, with the tokeniser's ``find_number_slogans`` the old or
  the new one, a fresh tokeniser for each run (so jieba's tagger meets every HMM word anew, as in
  a cold run; its start-up is not timed): the whole effect on tokenising, and on the next row
  the seconds of it spent finding number slogans (``find_number_slogans``, timed inside).

Each job runs ``--repeat`` times per version, the fastest run counts. It prints old and new seconds,
the speed-up, and whether both versions gave the same results (a SHA-256 of every result, in
order); it exits 1 when they differ. Times are wall-clock seconds on a shared machine: compare the
rows of one run, not runs on different days.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
MODULE = "src/analysis_utils/slogans/number.py"
#: The last commit before issue 20's number-slogan search.
DEFAULT_BASE = "9f5b015"
JOBS = ("number_slogan_spans", "find_number_slogans", "number_slogans", "Tokenizer.tokens")
#: Touches every cache of the module: a quoted slogan, an N个 head looked up in jieba's tags, an idiom.
WARM_UP = "落实“两个维护”，做到两个提高，五湖四海"


def corpus_texts() -> list[tuple[str, str]]:
    """``(name, raw text)`` of every corpus .txt file and every Wikisource record, in a fixed order."""
    out = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.rglob("*.txt"))]
    for jsonl in sorted((CORPUS / "wikisource").glob("*.jsonl")):
        for i, line in enumerate(jsonl.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                out.append((f"{jsonl.name}:{i + 1}", json.loads(line)["content"]))
    return out


def base_module(base: str, folder: Path) -> ModuleType:
    """The number-slogan module of commit ``base``, imported beside the working tree's."""
    shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{base}:{MODULE}"], capture_output=True, check=False)
    if shown.returncode != 0:
        sys.exit(f"error: {base}: no {MODULE} there: {shown.stderr.decode().strip()}")
    path = folder / "number_base.py"
    path.write_bytes(shown.stdout)
    spec = importlib.util.spec_from_file_location("analysis_utils.slogans._number_base", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def runner(job: str, module: ModuleType, texts: list[str], speeches: list, lexicon: tuple[str, ...],
           inside: list[float]) -> Callable[[], Callable[[], list]]:
    """A function that sets up (not timed) and returns the timed work of ``job`` with ``module``;
    for ``Tokenizer.tokens`` the seconds spent in ``find_number_slogans`` are added to ``inside[0]``."""
    from analysis_utils import Tokenizer
    from analysis_utils import tokenizer as tokenizer_module

    def find_timed(*args, **kwargs):
        t = time.perf_counter()
        try:
            return module.find_number_slogans(*args, **kwargs)
        finally:
            inside[0] += time.perf_counter() - t

    def tokens():
        tok = Tokenizer()
        list(tok.cut(WARM_UP, pos=True))  # jieba's dictionary and tagger loaded
        tokenizer_module.find_number_slogans = find_timed
        return lambda: [tok.tokens(s) for s in speeches]

    work = {
        "number_slogan_spans": lambda: [module.number_slogan_spans(t, lexicon=lexicon) for t in texts],
        "find_number_slogans": lambda: [module.find_number_slogans(t) for t in texts],
        "number_slogans": lambda: [module.number_slogans(s) for s in speeches],
    }
    return tokens if job == "Tokenizer.tokens" else (lambda: work[job])


def digest(results: list) -> str:
    """SHA-256 (16 hex digits) of a list of results: span lists, or tables written as CSV."""
    h = hashlib.sha256()
    for r in results:
        h.update((r.to_csv(index=False) if hasattr(r, "to_csv") else repr(r)).encode("utf-8"))
    return h.hexdigest()[:16]


def measure(old: ModuleType, new: ModuleType, jobs: tuple[str, ...], repeat: int) -> dict[str, dict[str, tuple]]:
    """``{job: {"old"|"new": (fastest seconds, digest)}}``, old and new run in turn."""
    from analysis_utils import speech_from_text
    from analysis_utils import tokenizer as tokenizer_module
    from analysis_utils.slogans import resolve_lexicon

    named = corpus_texts()
    texts = [raw for _, raw in named]
    speeches = [speech_from_text(raw, path=name) for name, raw in named]
    lexicon = tuple(resolve_lexicon().phrase)
    for module in (old, new):
        module.number_slogan_spans(WARM_UP, lexicon=lexicon)
    out: dict[str, dict[str, tuple]] = {"corpus": {"texts": (len(texts), sum(map(len, texts)))}}
    try:
        for job in jobs:
            out[job] = {}
            for r in range(repeat):
                for label, module in (("old", old), ("new", new))[::1 if r % 2 == 0 else -1]:  # old first, then new first
                    inside = [0.0]
                    work = runner(job, module, texts, speeches, lexicon, inside)()
                    gc.collect()
                    t = time.perf_counter()
                    results = work()
                    seconds = time.perf_counter() - t
                    d = digest(results)
                    del work, results  # the next run starts with no tokeniser or results of this one alive
                    best, seen, slogans = out[job].get(label, (float("inf"), d, float("inf")))
                    out[job][label] = (min(best, seconds), seen if seen == d else "varies", min(slogans, inside[0]))
    finally:
        tokenizer_module.find_number_slogans = new.find_number_slogans
    return out


def table(result: dict[str, dict[str, tuple]], base: str, repeat: int) -> str:
    n, chars = result["corpus"]["texts"]
    lines = [f"Number slogans on the whole corpus: {n} texts, {chars:,} characters "
             f"(old = {base}, new = working tree; fastest of {repeat} runs each, in turn)", "",
             f"| {'job':<20} | {'old s':>7} | {'new s':>7} | {'speed-up':>8} | same results |",
             f"|{'-' * 22}|{'-' * 9}|{'-' * 9}|{'-' * 10}|--------------|"]
    for job in JOBS:
        if job in result:
            (t_old, d_old, s_old), (t_new, d_new, s_new) = result[job]["old"], result[job]["new"]
            same = "yes" if d_old == d_new != "varies" else f"NO ({d_old} vs {d_new})"
            lines.append(f"| {job:<20} | {t_old:7.2f} | {t_new:7.2f} | {t_old / t_new:7.1f}x | {same:<12} |")
            if job == "Tokenizer.tokens":
                lines.append(f"| {'  its number slogans':<20} | {s_old:7.2f} | {s_new:7.2f} | {s_old / s_new:7.1f}x | {same:<12} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", default=DEFAULT_BASE, help=f"the commit to compare with (default {DEFAULT_BASE})")
    ap.add_argument("--repeat", type=int, default=3, help="runs per job and version; the fastest counts (default 3)")
    ap.add_argument("--no-tokens", dest="tokens", action="store_false", help="leave out Tokenizer.tokens")
    args = ap.parse_args(argv)
    if not CORPUS.is_dir():
        sys.exit(f"error: {CORPUS}: the development corpus is not there")
    from analysis_utils.slogans import number as new

    with tempfile.TemporaryDirectory(prefix="slogan-benchmark-") as tmp:
        old = base_module(args.base, Path(tmp))
        jobs = JOBS if args.tokens else JOBS[:-1]
        result = measure(old, new, jobs, args.repeat)
    print(table(result, args.base, args.repeat))
    same = all(result[j]["old"][1] == result[j]["new"][1] != "varies" for j in jobs)
    print("\nidentical results" if same else "\nRESULTS DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
