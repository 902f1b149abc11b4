"""Outline benchmark: ``build_outline`` on big texts, against an earlier commit's code in the same run.

Run from the project root::

    ./py benchmarks/outline_benchmark.py --base 8ccdeef          # 1, 8, 50 MB and 60,000 headings → benchmarks/OUTLINE.md
    ./py benchmarks/outline_benchmark.py --no-base --sizes 1 8   # this code only, smaller texts

(``./py`` is the project's Python with ``src`` on the path; ``.venv/bin/python`` works the same.)
It builds, in a temporary folder outside the project, from the speeches of the development
corpus (``../shared/corpus``, each speech's cleaned body, one after the other):

- ``paragraphs``: ``--sizes`` MB (10^6 bytes of UTF-8) of speeches with their line breaks;
- ``one line``: the same speeches with every line break removed, one line of ``--sizes`` MB;
- ``headings``: ``--headings`` numbered headings of five styles (``一、`` ``（一）`` ``1.``),
  each with a sentence of text and a ``一是…二是…`` enumeration.

Then it times, each text in a fresh process, ``load_speech`` and ``build_outline`` (checks
included) with the working tree's package and with the package of ``--base`` (``git archive``
into the temporary folder). A run of the old code that takes longer than ``--old-timeout``
seconds is stopped and shown as ``> N``. For each text it also says whether both versions gave
the same outline (``to_dict()``, ``to_text()`` and ``to_markdown()`` identical). The table goes to
stdout and to ``benchmarks/OUTLINE.md``. Times are wall-clock on a shared machine: compare
rows of one run, not runs on different days.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "benchmarks" / "OUTLINE.md"
#: A sentence of text under each generated heading (composed for the benchmark).
FILLER = "我们要坚持稳中求进，扎实做好各项工作，推动各项任务落地见效。"


# ------------------------------------------------------------------------------ texts
def corpus_bodies() -> list[str]:
    """The cleaned body of every speech of the development corpus, in file-name order."""
    from analysis_utils import load_speech

    return [load_speech(p).body for p in sorted(CORPUS.rglob("*.txt")) if p.is_file()]


def joined_text(bodies: list[str], mb: float, *, flat: bool) -> str:
    """Speeches one after the other until ``mb`` MB of UTF-8: as paragraphs, or (``flat``) as one line."""
    parts, size, k = [], 0, 0
    while size < mb * 1e6:
        body = bodies[k % len(bodies)]
        part = body.replace("\n", "") if flat else body + "\n"
        parts.append(part)
        size += len(part.encode("utf-8"))
        k += 1
    return "".join(parts)


def heading_text(n: int) -> str:
    """A speech of ``n`` numbered headings: ``一、`` parts of five ``（一）`` headings of three ``1.`` items.

    Example:
        >>> heading_text(3).splitlines()[:3]
        ['在测试工作会议上的讲话', '同志们：', '一、第1部分的标题']
    """
    from analysis_utils.text import cn_numeral

    lines = ["在测试工作会议上的讲话", "同志们："]
    count = part = 0
    while count < n:
        part += 1
        lines.append(f"{cn_numeral((part - 1) % 20 + 1)}、第{part}部分的标题")
        count += 1
        for j in range(1, 6):
            if count >= n:
                break
            lines.append(f"（{cn_numeral(j)}）加强第{j}项工作。{FILLER}一是学习；二是落实；三是总结。")
            count += 1
            for m in range(1, 4):
                if count >= n:
                    break
                lines.append(f"{m}.具体要求{m}。{FILLER}")
                count += 1
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- timing
def measure(path: str) -> dict:
    """Load and outline ``path`` (in this process); seconds of each and a digest of the outline."""
    from analysis_utils import build_outline, load_speech

    t0 = time.perf_counter()
    speech = load_speech(path)
    t1 = time.perf_counter()
    outline = build_outline(speech)
    t2 = time.perf_counter()
    views = json.dumps(outline.to_dict(), ensure_ascii=False) + outline.to_text() + outline.to_markdown()
    return {"load": t1 - t0, "outline": t2 - t1, "nodes": sum(1 for _ in outline.walk()),
            "digest": hashlib.sha256(views.encode()).hexdigest()}


def run_measure(src: Path, path: Path, timeout: float | None) -> dict | None:
    """:func:`measure` in a fresh process with the package in ``src``; ``None`` when it timed out."""
    try:
        r = subprocess.run([sys.executable, __file__, "--measure", str(path), "--src", str(src)],
                           capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(r.stdout.splitlines()[-1])


def base_source(ref: str, dest: Path) -> Path:
    from outline_compare import base_source as unpack

    return unpack(ref, dest)


# ---------------------------------------------------------------------------- report
def _fmt(r: dict | None, key: str, timeout: float | None) -> str:
    if r is None:
        return f"> {timeout:.0f}"
    return f"{r[key]:.2f}"


def table(rows: list[dict], timeout: float | None, base: str | None) -> list[str]:
    """The Markdown table of the results."""
    head = "| text | MB | load_speech s | build_outline s | MB/s | nodes |"
    sep = "|---|---:|---:|---:|---:|---:|"
    if base:
        head += f" build_outline s at {base} | MB/s at {base} | speed-up | same outline |"
        sep += "---:|---:|---:|---|"
    out = [head, sep]
    for row in rows:
        new, old, mb = row["new"], row.get("old"), row["mb"]
        line = (f"| {row['name']} | {mb:.1f} | {new['load']:.2f} | {new['outline']:.2f} | "
                f"{mb / max(new['outline'], 1e-9):.1f} | {new['nodes']:,} |")
        if base:
            if old is None:
                line += f" {_fmt(old, 'outline', timeout)} (stopped) | < {mb / timeout:.2f} | > {timeout / new['outline']:.0f}× | not known |"
            else:
                same = "yes" if old["digest"] == new["digest"] else "**no**"
                ratio = old["outline"] / max(new["outline"], 1e-9)
                speed_up = f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.1f}×"
                line += f" {old['outline']:.2f} | {mb / max(old['outline'], 1e-9):.2f} | {speed_up} | {same} |"
        out.append(line)
    return out


def write_results(lines: list[str], args: argparse.Namespace) -> None:
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "src"], capture_output=True, text=True).stdout.strip()
    code = f"commit {commit}" + (" with uncommitted changes" if dirty else "")
    argv = " ".join(sys.argv[1:])
    text = [
        "# Outline benchmark", "",
        f"`./py benchmarks/outline_benchmark.py {argv}` on {datetime.date.today()}, code at {code}"
        + (f", against commit {args.base}" if args.base else "") + f": {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "Texts built from the development corpus (`../shared/corpus`, each speech's cleaned body): `paragraphs` = speeches one "
        "after the other with their line breaks, `one line` = the same with every line break removed, `headings` = "
        "generated numbered headings (一、/（一）/1.) each with a sentence and an enumeration. MB = 10^6 bytes of UTF-8. "
        "Each text is loaded and outlined in a fresh process; `build_outline` includes the self-checks. "
        "`same outline`: `to_dict()`, `to_text()` and `to_markdown()` identical for both versions. "
        f"Wall-clock seconds on a machine shared with other work (load average, 1 min: {args.load[0]:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end).",
        "", *lines, "",
        "That the outline is the same on every real text, not only on these: "
        "`./py benchmarks/outline_compare.py --base 8ccdeef --random 2000` (every corpus speech and Wikisource record, "
        "each also flattened to one line, generated and random texts; `to_dict`, `to_text`, `to_markdown`, the tables).", "",
    ]
    RESULTS.write_text("\n".join(text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 8, 50], help="text sizes in MB (default 1 8 50)")
    ap.add_argument("--headings", type=int, default=60_000, help="headings in the headings text (default 60000; 0: none)")
    ap.add_argument("--base", default="HEAD", help="the commit whose code to compare with (default: the last commit)")
    ap.add_argument("--no-base", dest="base", action="store_const", const=None, help="time this code only")
    ap.add_argument("--old-timeout", type=float, default=900, help="stop a run of the old code after this many seconds")
    ap.add_argument("--no-write", action="store_true", help=f"print only, do not write {RESULTS.name}")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    ap.add_argument("--src", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:
        sys.path.insert(0, args.src)
        print(json.dumps(measure(args.measure)))
        return 0
    args.load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="outline-benchmark-") as t:
        tmp = Path(t)
        old_src = base_source(args.base, tmp) if args.base else None
        bodies = corpus_bodies()
        texts = [(f"{'one line' if flat else 'paragraphs'}, {mb:g} MB", joined_text(bodies, mb, flat=flat))
                 for mb in args.sizes for flat in (True, False)]
        if args.headings:
            texts.append((f"{args.headings:,} headings", heading_text(args.headings)))
        rows = []
        for k, (name, text) in enumerate(texts):
            path = tmp / f"text_{k}.txt"
            path.write_text(text, encoding="utf-8")
            row = {"name": name, "mb": path.stat().st_size / 1e6, "new": run_measure(ROOT / "src", path, None)}
            if old_src:
                row["old"] = run_measure(old_src, path, args.old_timeout)
            rows.append(row)
            print(table([row], args.old_timeout, args.base)[-1], file=sys.stderr, flush=True)
            path.unlink()
    lines = table(rows, args.old_timeout, args.base)
    print("\n".join(lines))
    if not args.no_write:
        write_results(lines, args)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
