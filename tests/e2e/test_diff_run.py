"""``run OLD NEW --diff`` as a process: notebook 06 on a pair of reports, its figures, tables and
redline page beside each other; the default pair when the notebook is given nothing; bad input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis_utils", *map(str, args)], capture_output=True, text=True,
                          timeout=600, cwd=cwd)


def _outputs(nb: Path) -> str:
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                     for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []))


@pytest.mark.slow
def test_run_diff_on_two_government_work_reports(corpus_dir, tmp_path):
    table = corpus_dir / "wikisource" / "government_work_reports.jsonl"
    done = _run("run", f"{table}#government_work_reports-00004", f"{table}#government_work_reports-00003",
                "--diff", "--out", tmp_path, "--quiet")
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "government_work_reports_2015_vs_2016"
    assert f"report: {folder / '06_redline.html'}" in done.stdout
    names = {p.name for p in folder.iterdir()}
    for name in ("06_formulations", "06_terms", "06_sections"):
        assert {f"{name}.png", f"{name}.svg", f"{name}.csv"} <= names
    assert {"06_summary.csv", "06_most_changed.csv", "06_redline.html", "captions.json"} <= names
    assert "[IPKernelApp]" not in done.stderr  # the kernel's messages go to the log beside the notebook
    executed = _outputs(folder / "notebooks" / "06_what_changed.ipynb")
    assert "2015-03-05" in executed or "2015" in executed
    page = (folder / "06_redline.html").read_text(encoding="utf-8")
    assert "供给侧结构性改革" in page and "<del>" in page
    assert list(tmp_path.iterdir()) == [folder]  # nothing written outside the output folder


@pytest.mark.slow
def test_run_diff_bad_input_is_one_line(seed_path, tmp_path):
    done = _run("run", seed_path, "--diff", "--out", tmp_path, "--quiet")
    assert done.returncode == 2 and done.stderr.strip().endswith(
        "is one speech: --diff needs OLD NEW, or a folder or table of dated reports")
    assert done.stderr.count("\n") == 1
    done = _run("run", seed_path, tmp_path / "missing.txt", "--diff", "--out", tmp_path / "out", "--quiet")
    assert done.returncode == 2 and f"error: {tmp_path / 'missing.txt'}: no such file" in done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.slow
def test_notebook_06_alone_compares_2021_with_2022(corpus_dir, tmp_path):
    import papermill as pm

    out = tmp_path / "06.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / "06_what_changed.ipynb"), str(out), parameters={"out_dir": str(tmp_path)},
                        cwd=str(ROOT / "notebooks"), kernel_name="python3", progress_bar=False)
    text = _outputs(out)
    assert "2021-03-05" in text and "2022-03-05" in text and "三孩生育政策" in text
    assert (tmp_path / "government_work_reports_2021-03-05_vs_2022-03-05" / "06_redline.html").is_file()


@pytest.mark.slow
def test_run_without_a_path_is_the_main_job(tmp_path):
    """README command 1: ``run`` with no path runs every notebook: 01–05 on the seed, 06 on the 2021
    and 2022 Government Work Reports, 07 on all of them (the development corpus beside the project)."""
    done = _run("run", "--out", tmp_path, "--quiet")
    assert done.returncode == 0, done.stderr
    seed = tmp_path / "party_building_conference_speech"
    pair = tmp_path / "government_work_reports_2021-03-05_vs_2022-03-05"
    corpus = tmp_path / "government_work_reports"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (seed, pair, corpus))
    assert len(list((seed / "notebooks").glob("0[1-5]_*.ipynb"))) == 5
    assert (pair / "notebooks" / "06_what_changed.ipynb").is_file() and (pair / "06_redline.html").is_file()
    assert (corpus / "notebooks" / "07_watchwords.ipynb").is_file() and (corpus / "07_watchwords.png").is_file()
    for line in (f"report: {seed / 'index.html'}", f"report: {pair / '06_redline.html'}",
                 f"report: {corpus / '07_watchwords.png'}"):
        assert line in done.stdout
