"""Run every command and notebook on real texts and keep what they print and write.

A refactor that must not change behaviour is proved by two snapshots, one before and one after::

    python tests/e2e/snapshot.py take /tmp/snap_before          # on the old commit
    python tests/e2e/snapshot.py take /tmp/snap_after           # on the new one
    python tests/e2e/snapshot.py compare /tmp/snap_before /tmp/snap_after

``take`` runs the command line in this process (``analysis_utils.cli.main``) on the seed, every speech of
``../shared/corpus/`` and every Wikisource record (each written to a temporary .txt outside the project),
and ``run`` (all notebooks) on the seed, the 20th Congress report, the 2022 Government Work Report, a
Wikisource record and a small folder. Every byte a command prints (stdout, stderr, exit status) and every
file it writes is kept. ``compare`` lists every file that differs and exits 1 if any does. Executed notebooks,
kernel logs and the deck's document properties hold clocks and are left out; everything else must match.
``--quick`` takes a smaller sample (the seed, three speeches, five records; notebooks on the seed only).
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpus"
SEED = ROOT / "seeds" / "party_building_conference_speech.txt"
SKIP_PARTS = ("/notebooks/", "kernel", ".log")


def _texts(tmp: Path, quick: bool) -> list[Path]:
    xi = sorted((SHARED / "xi_speeches_2013_2016").glob("*.txt"))
    texts = [SEED, SHARED / "cpc20_report.txt", SHARED / "gwr_2022_crlf.txt",
             SHARED / "xi_2015_county_secretaries.txt", *(xi[:2] if quick else xi)]
    records = tmp / "wikisource"
    records.mkdir()
    for name in ("government_work_reports", "cpc_congress_reports"):
        lines = (SHARED / "wikisource" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines[:3] if quick else lines):
            rec = json.loads(line)
            key = rec.get("year") or rec.get("congress")
            path = records / f"{name[:3]}_{i:02d}_{key}.txt"
            path.write_text(rec["content"], encoding="utf-8")
            texts.append(path)
    return texts


def _cli(argv: list[str]) -> tuple[int, str, str]:
    from analysis_utils.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _keep(snap: Path, name: str, result: tuple[int, str, str], tmp: Path) -> None:
    code, out, err = result
    text = f"exit {code}\n--- stdout\n{out}\n--- stderr\n{err}".replace(str(tmp), "<tmp>").replace(str(ROOT), "<root>")
    (snap / "cli" / name).write_text(text, encoding="utf-8")


#: What a snapshot folder holds; an earlier snapshot in the folder is replaced, never mixed in.
SNAPSHOT_PARTS = {"cli", "clouds", "deck", "figures"}


def take(snap: Path, quick: bool) -> None:
    if snap.exists():
        if not snap.is_dir() or not {p.name for p in snap.iterdir()} <= SNAPSHOT_PARTS:
            sys.exit(f"error: {snap}: exists and is not an earlier snapshot; choose a new folder")
        shutil.rmtree(snap)
    snap.mkdir(parents=True)
    (snap / "cli").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="snapshot-") as t:
        tmp = Path(t)
        os.environ["ANALYSIS_UTILS_CACHE"] = str(tmp / "cache")
        texts = _texts(tmp, quick)
        for n, path in enumerate(texts):
            tag = f"{n:03d}_{path.stem}"
            print(f"[{n + 1}/{len(texts)}] {path.name}", file=sys.stderr)
            f = str(path)
            runs = {
                "info": ["info", f], "info_json": ["info", f, "--format", "json"],
                "outline": ["outline", f], "outline_json": ["outline", f, "--format", "json"],
                "outline_md": ["outline", f, "--format", "markdown", "--depth", "2"],
                "terms": ["terms", f, "--format", "csv"], "terms_n": ["terms", f, "--top", "20", "--pos", "n"],
                "count": ["count", f, "党", "发展", "新时代", "人民", "稳", "就业", "高质量发展", "×"],
                "kwic": ["kwic", f, "发展", "--window", "12"], "kwic_csv": ["kwic", f, "人民", "--format", "csv"],
                "slogans": ["slogans", f, "--format", "csv"], "slogans_all": ["slogans", f, "--overlap", "all"],
                "slogans_missing": ["slogans", f, "--missing", "--format", "csv"],
            }
            if n < 6 or not quick and n % 10 == 0:
                runs["tokens"] = ["tokens", f]
            for name, argv in runs.items():
                _keep(snap, f"{tag}.{name}.txt", _cli(argv), tmp)
            if n < 4:
                out = tmp / "clouds"
                _keep(snap, f"{tag}.cloud.txt", _cli(["cloud", f, "--out-dir", str(out)]), tmp)
                _keep(snap, f"{tag}.cloud_v.txt", _cli(["cloud", f, "--vertical", "--scheme", "party",
                                                         "--out-dir", str(out)]), tmp)
        folder = SHARED / "xi_speeches_2013_2016"
        for name, argv in {"terms": ["terms", str(folder), "--top", "50", "--format", "csv"],
                           "count": ["count", str(folder), "人民", "发展", "--format", "csv"],
                           "slogans": ["slogans", str(folder), "--kind", "number", "--format", "csv"],
                           "count_jsonl": ["count", str(SHARED / "wikisource" / "government_work_reports.jsonl"),
                                           "小康", "阶级斗争", "改革", "--format", "csv"]}.items():
            _keep(snap, f"folder.{name}.txt", _cli(argv), tmp)
        for bad in ("missing.txt", "empty.txt", "bad.pdf"):
            p = tmp / bad
            if bad != "missing.txt":
                p.write_bytes(b"" if bad == "empty.txt" else b"%PDF-1.4")
            _keep(snap, f"bad.{bad}.txt", _cli(["info", str(p)]), tmp)
        shutil.copytree(tmp / "clouds", snap / "clouds")
        # notebooks: run in a child process, like a user would
        small = tmp / "folder"
        small.mkdir()
        for p in sorted(folder.glob("*.txt"))[:4]:
            shutil.copy(p, small / p.name)
        targets = [SEED] if quick else [SEED, SHARED / "cpc20_report.txt", SHARED / "gwr_2022_crlf.txt",
                                         texts[-3], small]
        figs = snap / "figures"
        for target in targets:
            r = subprocess.run([sys.executable, "-m", "analysis_utils", "run", str(target), "--out", str(figs),
                                "--quiet"], capture_output=True, text=True, cwd=tmp)
            (snap / "cli" / f"run.{target.name}.txt").write_text(f"exit {r.returncode}\n", encoding="utf-8")
            if target == SEED:
                r = subprocess.run([sys.executable, "-m", "analysis_utils", "deck", str(target), "--figures",
                                    str(figs), "--out", str(tmp / "deck.pptx")], capture_output=True, text=True)
                with zipfile.ZipFile(tmp / "deck.pptx") as z:
                    for info in z.infolist():
                        if "docProps" not in info.filename:
                            dest = snap / "deck" / info.filename
                            dest.parent.mkdir(parents=True, exist_ok=True)
                            dest.write_bytes(z.read(info))


def _digests(snap: Path) -> dict[str, str]:
    return {str(p.relative_to(snap)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(snap.rglob("*")) if p.is_file() and not any(s in f"/{p.relative_to(snap)}" for s in SKIP_PARTS)}


def compare(a: Path, b: Path) -> int:
    da, db = _digests(a), _digests(b)
    bad = [f"only in {a}: {k}" for k in sorted(da.keys() - db.keys())]
    bad += [f"only in {b}: {k}" for k in sorted(db.keys() - da.keys())]
    bad += [f"differs: {k}" for k in sorted(da.keys() & db.keys()) if da[k] != db[k]]
    for line in bad:
        print(line)
    print(f"{len(da)} files compared; {len(bad)} difference(s)")
    return 1 if bad else 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("take")
    t.add_argument("out", type=Path)
    t.add_argument("--quick", action="store_true")
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    args = p.parse_args()
    if args.cmd == "take":
        take(args.out, args.quick)
        return 0
    return compare(args.a, args.b)


if __name__ == "__main__":
    sys.exit(main())
