"""Loading benchmark: the working tree's loader against an earlier commit's, on the whole corpus.

Run from the project root::

    ./py benchmarks/load_benchmark.py                  # against 8a13ba9 (before issue 20's loader work)
    ./py benchmarks/load_benchmark.py --base HEAD~1 --repeat 5

(``./py`` is the project's Python with ``src`` on the path; ``.venv/bin/python`` works the same.)
It takes ``src/analysis_utils`` of ``--base`` (``git archive``) into a temporary folder outside the
project, imports it as the package ``analysis_utils_base`` beside the working tree's
``analysis_utils``, and times, old and new in turn in this one process (so a busy machine slows
both alike), after a warm-up of each (the tables of common characters, compiled patterns):

- ``load_speech`` of the seed and of every ``.txt`` file of the development corpus
  (``../shared/corpus``, read from disk each time: decoding included);
- ``load_item`` of every record of the two Wikisource JSONLs (the rows ``Corpus.stream`` gives; the
  JSON parsing is not timed);

and, for every speech, what the analyses read next: ``paragraph_spans``, ``sentence_spans`` and
``han_chars``. Each version runs ``--repeat`` times, the fastest run counts. It prints old and new
seconds per MB (of UTF-8 text; wall-clock, and CPU seconds of this process, which a busy machine
disturbs less), the speed-up, the load average, and whether both versions gave the
same speeches (every field of :func:`speech_fields`, a SHA-256 of all of them); it exits 1 when they
differ. Times are wall-clock seconds on a shared machine: compare the rows of one run.
"""
from __future__ import annotations

import argparse
import functools
import gc
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = ROOT / "seeds" / "party_building_conference_speech.txt"
#: The last commit before issue 20's loader work.
DEFAULT_BASE = "8a13ba9"
BASE_PACKAGE = "analysis_utils_base"


def base_package(base: str, folder: Path) -> ModuleType:
    """The package ``analysis_utils`` of commit ``base``, imported as ``analysis_utils_base`` from
    ``folder`` (its modules import each other relatively, so the copy reads only its own code)."""
    shown = subprocess.run(["git", "-C", str(ROOT), "archive", base, "src/analysis_utils"], capture_output=True, check=False)
    if shown.returncode != 0:
        sys.exit(f"error: {base}: cannot take src/analysis_utils from there: {shown.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(shown.stdout)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "src" / "analysis_utils").rename(folder / BASE_PACKAGE)
    sys.path.insert(0, str(folder))
    import importlib

    importlib.import_module(f"{BASE_PACKAGE}.reading")
    return importlib.import_module(f"{BASE_PACKAGE}.scale.sources")


def speech_fields(speech) -> dict[str, object]:
    """Every field of a loaded speech, as plain values (the two versions' classes differ):
    what identity between two loaders means."""
    m = speech.meta
    return {
        "path": str(speech.path), "id": speech.id, "encoding": speech.encoding, "raw": speech.raw,
        "normalized": speech.normalized, "body": speech.body,
        "removed": [(r.start, r.end, r.text, r.reason, r.body_pos) for r in speech.removed],
        "meta": (m.title, m.subtitle, m.date, m.date_text, m.place, m.speaker, m.salutation, sorted(m.spans.items()),
                 m.title_block_end),
        "placeholders": [(p.text, p.start, p.end, p.paragraph, p.context) for p in speech.placeholders],
        "notes": list(speech.notes),
        "paragraph_spans": list(speech.paragraph_spans), "sentence_spans": list(speech.sentence_spans),
        "han_chars": speech.han_chars, "info": speech.info(),
    }


def corpus_jobs(sources: ModuleType) -> tuple[list[Callable[[], Any]], int]:
    """``(loads, bytes)``: one call per speech of the seed and the corpus, loading it with the
    loader of ``sources`` (a version's ``scale.sources`` module), and the UTF-8 size of them all."""
    files = [SEED, *sorted(CORPUS.rglob("*.txt"))]
    corpus = sources.Corpus(sorted((CORPUS / "wikisource").glob("*.jsonl")))
    items = list(corpus.stream())
    size = sum(f.stat().st_size for f in files) + sum(len(it.text.encode("utf-8")) for it in items)
    load_speech = sys.modules[sources.__name__.rsplit(".", 2)[0] + ".reading"].load_speech
    loads: list[Callable[[], Any]] = [functools.partial(load_speech, f) for f in files]
    loads += [functools.partial(sources.load_item, it) for it in items]
    return loads, size


def _load_all(loads: list[Callable[[], Any]]) -> list:
    speeches = []
    for load in loads:
        s = load()
        s.paragraph_spans, s.sentence_spans, s.han_chars  # noqa: B018 (what the analyses read next)
        speeches.append(s)
    return speeches


def digest(speeches: list) -> str:
    """SHA-256 (16 hex digits) of every field of every speech, in order."""
    h = hashlib.sha256()
    for s in speeches:
        h.update(repr(speech_fields(s)).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


def measure(old: ModuleType, new: ModuleType, repeat: int) -> dict[str, tuple]:
    """``{"old"|"new": (fastest wall-clock seconds, fastest CPU seconds, digest)}``, old and new run
    in turn; and ``"size"``: ``(bytes, speeches)``."""
    jobs = {"old": corpus_jobs(old), "new": corpus_jobs(new)}
    out: dict = {"size": (jobs["new"][1], len(jobs["new"][0]))}
    for label in ("old", "new"):  # warm-up: tables of common characters, compiled patterns
        out[label] = (float("inf"), float("inf"), digest(_load_all(jobs[label][0])))
    for r in range(repeat):
        for label in ("old", "new")[::1 if r % 2 == 0 else -1]:  # old first, then new first
            gc.collect()
            t, cpu = time.perf_counter(), time.process_time()
            speeches = _load_all(jobs[label][0])
            seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
            del speeches
            wall_best, cpu_best, d = out[label]
            out[label] = (min(wall_best, seconds), min(cpu_best, cpu), d)
    return out


def table(result: dict[str, tuple], base: str, repeat: int) -> str:
    size, n = result["size"]
    mb = size / 1024 / 1024
    (t_old, c_old, d_old), (t_new, c_new, d_new) = result["old"], result["new"]
    same = "yes" if d_old == d_new else f"NO ({d_old} vs {d_new})"
    return "\n".join([
        f"Loading and cleaning the seed, the corpus's .txt files and every Wikisource record: {n} speeches, {mb:.2f} MB "
        f"(old = {base}, new = working tree; fastest of {repeat} runs each, in turn; load average {load_average()})", "",
        "| loader | seconds | s/MB  | MB/s  | CPU s/MB | same speeches |",
        "|--------|---------|-------|-------|----------|---------------|",
        f"| old    | {t_old:7.3f} | {t_old / mb:.3f} | {mb / t_old:5.1f} | {c_old / mb:8.3f} | {'':13} |",
        f"| new    | {t_new:7.3f} | {t_new / mb:.3f} | {mb / t_new:5.1f} | {c_new / mb:8.3f} | {same:<13} |",
        "", f"speed-up: {t_old / t_new:.1f}x (CPU time: {c_old / c_new:.1f}x)",
    ])


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", default=DEFAULT_BASE, help=f"the commit to compare with (default {DEFAULT_BASE})")
    ap.add_argument("--repeat", type=int, default=3, help="runs per version; the fastest counts (default 3)")
    args = ap.parse_args(argv)
    if not CORPUS.is_dir():
        sys.exit(f"error: {CORPUS}: the development corpus is not there")
    from analysis_utils.scale import sources as new

    with tempfile.TemporaryDirectory(prefix="load-benchmark-") as tmp:
        old = base_package(args.base, Path(tmp))
        result = measure(old, new, args.repeat)
    print(table(result, args.base, args.repeat))
    same = result["old"][2] == result["new"][2]
    print("identical speeches" if same else "SPEECHES DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
