"""Is the outline the same as an earlier commit's, on every real text? (the proof for a speed-up)

Run from the project root::

    ./py benchmarks/outline_compare.py --base 8ccdeef           # every text; exits 1 on any difference
    ./py benchmarks/outline_compare.py --base 8ccdeef --quick   # a sample, for a quick loop
    ./py benchmarks/outline_compare.py --base 8ccdeef --random 2000   # and 2,000 generated texts

It takes the package of ``--base`` (``git archive``, into a temporary folder outside the
project) and the package of the working tree, and runs each in its own process on the same
files:

- every speech of the development corpus (``../shared/corpus/**/*.txt``, read in place);
- every Wikisource record (``content`` of each ``wikisource/*.jsonl`` line, written to a .txt);
- each of those flattened: the same text with its line breaks removed (one long line);
- generated texts: 1 MB of the corpus speeches one after the other (as paragraphs, and as one
  line), and 3,000 numbered headings of five styles with enumerations between them;
- with ``--random N``, N more: corpus paragraphs in random order, some cut at a sentence and
  given a heading or enumeration marker, an address, quotation marks or a placeholder, joined
  by line breaks or (some texts, some places) by nothing (seeded: the same N texts every run).

For each it keeps what a user can see of the outline: ``to_dict()`` (the JSON), ``to_text()``
(all levels and ``depth=1``), ``to_markdown()``, the node, checks and placeholder tables, and
the section table (:func:`analysis_utils.outline.section_table`), and prints every text whose
outputs differ (with the first differing line). The last line says how many differ.
"""
from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


# ------------------------------------------------------------------------------ inputs
def corpus_texts(quick: bool) -> list[Path]:
    """The corpus speeches (a sample of them with ``quick``)."""
    texts = sorted(p for p in CORPUS.rglob("*.txt") if p.is_file())
    return texts[:6] if quick else texts


MARKERS = ["一、", "二、", "三、", "四、", "（一）", "（二）", "（三）", "1.", "2.", "3、", "（1）", "（2）", "①", "②", "一是", "二是",
           "三是", "第一，", "第二，", "第三，", "首先，", "其次，", "最后，", "——", "同志们：", "同志们！", "各位代表：", "讲三点意见：",
           "“", "”", "×××", "XX"]


def random_texts(bodies: list[str], n: int, seed: int = 13) -> list[str]:
    """``n`` speech-like texts made by shuffling and marking the corpus's paragraphs (see the module doc)."""
    rng = random.Random(seed)
    paragraphs = [p for body in bodies for p in body.split("\n") if p]
    no_headings = [m for m in MARKERS if not re.match(r"[一二三四（(0-9①②]", m) or m.endswith("是")]
    texts = []
    for _ in range(n):
        flat = rng.choice([0.0, 0.0, 0.3, 1.0])  # the share of joins without a line break
        markers = rng.choice([MARKERS, no_headings, ["朋友们！", "各位同事！", "“", "×"]])
        parts = [rng.choice(bodies[:20]).split("\n")[0]]
        for _ in range(rng.randint(3, 150)):
            p = rng.choice(paragraphs)
            if rng.random() < 0.5:
                cut = p.find("。", rng.randrange(len(p))) + 1
                p = p[:cut] + rng.choice(markers) + p[cut:]
            if rng.random() < 0.3:
                p = rng.choice(markers) + p
            parts.append(("" if rng.random() < flat else "\n") + p)
        texts.append("".join(parts))
    return texts


def write_inputs(tmp: Path, quick: bool, randoms: int = 0) -> list[Path]:
    """Every text to compare on: the corpus in place, records, flattened copies, generated texts."""
    from outline_benchmark import corpus_bodies, heading_text, joined_text  # the same generators as the benchmark

    records = tmp / "records"
    records.mkdir()
    paths = corpus_texts(quick)
    for jsonl in sorted((CORPUS / "wikisource").glob("*.jsonl")):
        lines = jsonl.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines[:3] if quick else lines):
            p = records / f"{jsonl.stem[:3]}_{i:02d}.txt"
            p.write_text(json.loads(line)["content"], encoding="utf-8")
            paths.append(p)
    flat = tmp / "flat"
    flat.mkdir()
    for p in list(paths):
        text = p.read_bytes().decode("utf-8-sig").replace("\r", "").replace("\n", "")
        q = flat / f"{p.parent.name}_{p.stem}.txt"
        q.write_text(text, encoding="utf-8")
        paths.append(q)
    bodies = corpus_bodies()
    size = 0.2 if quick else 1.0
    for name, text in (("lines", joined_text(bodies, size, flat=False)), ("one_line", joined_text(bodies, size, flat=True)),
                       ("headings", heading_text(300 if quick else 3000))):
        p = tmp / f"generated_{name}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    for k, text in enumerate(random_texts(bodies, randoms)):
        p = tmp / f"random_{k:04d}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


# ------------------------------------------------------------------------------- dumps
def dump(paths: list[str], out: str) -> None:
    """One JSON line per path: what the outline shows of it (run in the process of one version)."""
    from analysis_utils import build_outline, load_speech
    from analysis_utils.outline import section_table

    with open(out, "w", encoding="utf-8") as f:
        for p in paths:
            o = build_outline(load_speech(p))
            views = {
                "to_dict": json.dumps(o.to_dict(), ensure_ascii=False, indent=1),
                "to_text": o.to_text(), "to_text_depth1": o.to_text(depth=1), "to_markdown": o.to_markdown(),
                "table": o.table().to_csv(index=False), "checks_table": o.checks_table().to_csv(index=False),
                "placeholder_table": o.placeholder_table().to_csv(index=False),
                "section_table": section_table(o.speech, outline=o).to_csv(index=False),
            }
            f.write(json.dumps({"path": p, "views": views}, ensure_ascii=False) + "\n")


def run_dump(src: Path, paths: list[Path], out: Path) -> dict[str, dict[str, str]]:
    """Run :func:`dump` with the package in ``src``; ``{path: views}``."""
    listing = out.with_suffix(".list")
    listing.write_text("\n".join(map(str, paths)), encoding="utf-8")
    subprocess.run([sys.executable, __file__, "--dump", str(listing), str(out), "--src", str(src)], check=True)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {r["path"]: r["views"] for r in rows}


def base_source(ref: str, dest: Path) -> Path:
    """The ``src`` folder of commit ``ref``, unpacked into ``dest``."""
    archive = dest / "base.tar"
    with archive.open("wb") as f:
        subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], stdout=f, check=True)
    with tarfile.open(archive) as t:
        t.extractall(dest, filter="data")
    return dest / "src"


def differences(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[str]:
    """One line per (text, view) that differs, with the first differing line of each side."""
    out = []
    for path, views in old.items():
        for view, before in views.items():
            after = new[path][view]
            if before != after:
                diff = [d for d in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
                        if d[:1] in "+-" and not d.startswith(("---", "+++"))]
                out.append(f"{path}: {view}: {' | '.join(diff[:2])[:300]}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="HEAD", help="the commit to compare with (default: the last commit)")
    ap.add_argument("--quick", action="store_true", help="a sample: 6 speeches, 6 records, small generated texts")
    ap.add_argument("--random", type=int, default=0, metavar="N", help="N more texts made from shuffled, marked paragraphs")
    ap.add_argument("--dump", nargs=2, metavar=("LIST", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--src", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.dump:
        sys.path.insert(0, args.src)
        dump(Path(args.dump[0]).read_text(encoding="utf-8").splitlines(), args.dump[1])
        return 0
    with tempfile.TemporaryDirectory(prefix="outline-compare-") as t:
        tmp = Path(t)
        paths = write_inputs(tmp, args.quick, args.random)
        print(f"{len(paths)} texts; base {args.base} against the working tree", file=sys.stderr)
        old = run_dump(base_source(args.base, tmp), paths, tmp / "old.jsonl")
        new = run_dump(ROOT / "src", paths, tmp / "new.jsonl")
        diffs = differences(old, new)
    for line in diffs:
        print(line)
    views = sum(len(v) for v in old.values())
    print(f"{len(paths)} texts, {views} outputs compared: {len(diffs)} difference(s)")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
