"""How long ``diff`` takes: two congress reports, and a series of yearly reports pairwise.

Run from the project root::

    .venv/bin/python benchmarks/diff_benchmark.py

It prints one row per case (wall-clock and CPU seconds of this process, not a test assertion; on a
machine shared with other work the wall clock runs ahead of the CPU time; the issue's targets: two congress
reports of about 30,000 characters each in under 5 s, 50 yearly reports pairwise in under a
minute), reading the development corpus in place (``../shared/corpus``):

1. the 20th Party Congress report (``cpc20_report.txt``) against the 16th (Wikisource table);
2. every Government Work Report of the Wikisource table against the one before it (each
   consecutive pair by date), with and without the term keyness (the tokeniser).

One :class:`~analysis_utils.Tokenizer` is made first (about a second, not counted) and shared,
as ``run --diff`` and a notebook share one.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis_utils import Tokenizer, diff, load_speech  # noqa: E402
from analysis_utils.changes.pairs import consecutive_pairs  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def main() -> None:
    tokenizer = Tokenizer()
    rows = []
    old = load_speech(f"{CORPUS / 'wikisource' / 'cpc_congress_reports.jsonl'}#cpc_congress_reports-00012")
    new = load_speech(CORPUS / "cpc20_report.txt")
    t0, c0 = time.perf_counter(), time.process_time()
    d = diff(old, new, tokenizer=tokenizer)
    rows.append((f"cpc20 vs congress 16 ({old.han_chars:,} + {new.han_chars:,} characters)", time.perf_counter() - t0,
                 time.process_time() - c0, "< 5 s", len(d.sentences)))
    pairs = consecutive_pairs([CORPUS / "wikisource" / "government_work_reports.jsonl"])
    speeches = {p: load_speech(p) for pair in pairs for p in pair}
    for terms in (True, False):
        t0, c0 = time.perf_counter(), time.process_time()
        n = sum(len(diff(speeches[a], speeches[b], tokenizer=tokenizer, terms=terms).sentences) for a, b in pairs)
        label = f"{len(speeches)} yearly GWRs, {len(pairs)} consecutive pairs" + ("" if terms else ", without terms")
        rows.append((label, time.perf_counter() - t0, time.process_time() - c0, "< 60 s" if terms else "", n))
    print("| case | seconds (wall) | CPU seconds | target | sentence rows |")
    print("|---|---:|---:|---|---:|")
    for label, seconds, cpu, target, n in rows:
        print(f"| {label} | {seconds:.1f} | {cpu:.1f} | {target} | {n:,} |")


if __name__ == "__main__":
    main()
