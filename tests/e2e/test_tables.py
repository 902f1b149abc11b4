"""CSV/JSONL corpora and near-duplicates on the real command line (issue 14), each command in a process
of its own: `info TABLE`, `terms`/`slogans`/`count` on tables and folders, row addresses `TABLE#id`
for the one-speech commands, `--keep-duplicates`, and `run` on a table and a folder."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.scale.helpers import edited

import analysis_utils

SRC = Path(analysis_utils.__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # a process per command (about 2 s each)
XI = ("001_2013-03-22.txt", "002_2013-03-23.txt", "003_2013-03-25.txt")



def _cli(*args, cwd: Path | None = None, timeout: float = 600) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    p = subprocess.run([sys.executable, "-m", "analysis_utils", *map(str, args)], capture_output=True, text=True,
                       timeout=timeout, env=env, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture
def table(tmp_path, corpus_dir) -> Path:
    """A CSV corpus of three real speeches (columns in another case: ID, Content, Year) and a 98 % copy."""
    texts = [(corpus_dir / "xi_speeches_2013_2016" / n).read_text(encoding="utf-8") for n in XI[:3]]
    rows = [{"ID": f"r{i}", "Content": t, "Year": "2013"} for i, t in enumerate(texts, 1)]
    rows.append({"ID": "r9", "Content": edited(texts[1], 0.02), "Year": "2013"})
    path = tmp_path / "speeches.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["ID", "Content", "Year"])
        w.writeheader()
        w.writerows(rows)
    return path


def test_info_lists_every_row_of_a_table_as_text_and_json(table, tmp_path):
    code, out, err = _cli("info", table)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["id", "title", "date", "speaker", "han_chars", "removed"]
    assert [line.split()[0] for line in lines[1:]] == ["r1", "r2", "r3", "r9"]
    assert "在俄罗斯中国旅游年开幕式上的致辞 2013-03-22" in lines[1] and "习近平" in lines[1]
    assert err.startswith("note: r9 is a near-duplicate of r2 (98.") and err.count("\n") == 1
    assert err.endswith(" % identical); count, terms, slogans and run count it once unless --keep-duplicates\n")
    code, out, _ = _cli("info", table, "--format", "json")
    infos = json.loads(out)
    assert [i["id"] for i in infos] == ["r1", "r2", "r3", "r9"]
    assert infos[1]["file"] == f"{table}#r2" and infos[1]["title"] == "顺应时代前进潮流，促进世界和平发展"
    jsonl = tmp_path / "rows.jsonl"  # the Wikisource layout: content and year
    jsonl.write_text(json.dumps({"title": "x", "content": "在会上的讲话\n同志们：\n今天开会。", "year": 2020},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, err = _cli("info", jsonl)
    assert code == 0 and "rows-00001" in out and "在会上的讲话" in out, err
    with open(jsonl, "a", encoding="utf-8") as f:  # a row that is not a speech: named, the others still listed
        f.write(json.dumps({"id": "blank", "content": "   "}) + "\n")
    code, out, err = _cli("info", jsonl)
    assert code == 2 and "rows-00001" in out and err == f"error: {jsonl}#blank: contains only white space\n"


def test_terms_slogans_count_take_a_table_once_per_speech_unless_asked(table):
    code, out, err = _cli("terms", table, "--top", "5", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == "term,pos,token_count,share,per_10k,rank,speeches,r1,r2,r3"
    assert "note: r9 is a near-duplicate of r2" in err and "--keep-duplicates" in err
    code, out, err = _cli("terms", table, "--top", "5", "--format", "csv", "--keep-duplicates")
    assert code == 0 and out.splitlines()[0].endswith(",r1,r2,r3,r9") and "near-duplicate" not in err
    code, out, err = _cli("slogans", table, "--kind", "number", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "slogan,kind,formulation_count,speeches,r1,r2,r3", err
    code, out, err = _cli("count", table, "人民", "--format", "csv")
    assert code == 0 and [r.split(",")[0] for r in out.splitlines()[1:]] == ["r1", "r2", "r3"], err
    code, out, err = _cli("slogans", table, "--missing")
    assert code == 2 and err == f"error: {table}: --missing needs one speech file, not a folder or a table\n"


def test_one_speech_commands_take_a_row_address(table):
    code, out, err = _cli("outline", f"{table}#r2", "--depth", "1")
    assert code == 0 and out.startswith("顺应时代前进潮流，促进世界和平发展"), err
    code, out, err = _cli("count", f"{table}#r3", "人民", "--format", "csv")
    assert code == 0 and out.splitlines()[1].startswith("人民,"), err
    code, out, err = _cli("kwic", f"{table}#nope", "人民")
    assert code == 2 and err == (f"error: {table}: no row with the id 'nope' "
                                 f"(list the ids with: python -m analysis_utils info {table})\n")
    code, out, err = _cli("outline", table)
    assert code == 2 and err.count("\n") == 1 and "is a table of speeches: give one row as speeches.csv#<id>" in err


def test_terms_dir_notes_a_near_duplicate_and_counts_it_once(tmp_path, corpus_dir):
    d = tmp_path / "folder"
    d.mkdir()
    for name in XI[:3]:
        shutil.copy(corpus_dir / "xi_speeches_2013_2016" / name, d / name)
    (d / "900_copy.txt").write_text(edited((d / XI[1]).read_text(encoding="utf-8"), 0.02), encoding="utf-8")
    code, out, err = _cli("terms", d, "--top", "3", "--format", "csv")
    assert code == 0, err
    assert "900_copy" not in out.splitlines()[0]
    assert err.startswith("note: 900_copy is a near-duplicate of 002_2013-03-23 (98.")
    code, out, err = _cli("terms", d, "--top", "3", "--format", "csv", "--keep-duplicates")
    assert code == 0 and out.splitlines()[0].endswith(",900_copy"), err


def test_run_on_a_table_runs_each_row_and_the_table_and_flags_the_copy(table, tmp_path, corpus_dir):
    """A small CSV corpus (3 speeches and a copy): every notebook completes; the index lists the rows."""
    out_dir = tmp_path / "out"
    code, out, err = _cli("run", table, "--out", out_dir, "--quiet", cwd=tmp_path)
    assert code == 0, err
    assert "note: " in err and "r9 is a near-duplicate of r2 (98." in err
    assert "13 notebook run(s) succeeded" in err and "0 failed" in err  # 3 rows × 01–04, then 05 on the table
    assert sorted(p.name for p in out_dir.iterdir()) == ["r1", "r2", "r3", "speeches"]
    for row in ("r1", "r2", "r3"):
        executed = sorted(p.name for p in (out_dir / row / "notebooks").glob("*.ipynb"))
        assert [n[:2] for n in executed] == ["01", "02", "03", "04"]
        assert (out_dir / row / "04_wordcloud.png").is_file()
        assert f"文件 File: speeches.csv#{row}" in (out_dir / row / "index.md").read_text(encoding="utf-8")
    index = (out_dir / "speeches" / "index.md").read_text(encoding="utf-8")
    assert "r9 is a near-duplicate of r2" in index and "(../r2/index.md)" in index and "../r9/" not in index
    assert (out_dir / "speeches" / "05_similarity.png").is_file()
    units = (out_dir / "speeches" / "05_units.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [u.split(",")[0] for u in units[1:]] == ["r1", "r2", "r3"]
    executed = json.loads((out_dir / "speeches" / "notebooks" / "05_compare_speeches.ipynb").read_text(encoding="utf-8"))
    printed = "".join("".join(o.get("text", "")) for c in executed["cells"] for o in c.get("outputs", []))
    assert "近似重复 near-duplicate: r9 is a near-duplicate of r2 (98." in printed
    # a folder with a copy, and the table again, only notebook 05
    d = tmp_path / "folder"
    d.mkdir()
    for name in XI[:2]:
        shutil.copy(corpus_dir / "xi_speeches_2013_2016" / name, d / name)
    (d / "900_copy.txt").write_text(edited((d / XI[1]).read_text(encoding="utf-8"), 0.02), encoding="utf-8")
    code, out, err = _cli("run", d, table, "--out", out_dir, "--quiet", "--notebooks", "05", cwd=tmp_path)
    assert code == 0, err
    assert "4 notebook run(s) succeeded" in err  # 05 on each file's parts (not the copy's), the folder, the table
    assert (out_dir / "folder" / "05_units.csv").is_file() and (out_dir / "speeches" / "05_units.csv").is_file()
    assert not (out_dir / "900_copy").exists()
    index = (out_dir / "folder" / "index.md").read_text(encoding="utf-8")
    assert "(../001_2013-03-22/index.md)" in index and "900_copy is a near-duplicate of 002_2013-03-23" in index
