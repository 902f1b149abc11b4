"""Notebook 07 as committed (no outputs, parameters papermill sees, prose before code) and run headless."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NB = ROOT / "notebooks" / "07_watchwords.ipynb"


def test_committed_without_outputs_with_its_parameters_and_prose():
    from papermill.inspection import _infer_parameters
    from papermill.iorw import load_notebook_node

    nb = json.loads(NB.read_text(encoding="utf-8"))
    cells = nb["cells"]
    assert "".join(cells[0]["source"]).startswith("# 07 ") and nb["metadata"]["kernelspec"]["name"] == "python3"
    for i, c in enumerate(cells):
        if c["cell_type"] == "code":
            assert not c.get("outputs") and c.get("execution_count") is None
            assert cells[i - 1]["cell_type"] == "markdown"
    found = {p.name for p in _infer_parameters(load_notebook_node(str(NB)))}
    assert {"corpus_path", "terms", "periods", "out_dir"} <= found
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "out = Outputs(tr.id, out_dir)" in code and "assert " not in code and "sys.path" not in code


@pytest.mark.slow
def test_runs_headless_on_the_development_corpus_and_saves_its_figures(tmp_path, corpus_dir):
    out = tmp_path / "figures"
    done = subprocess.run([sys.executable, "-m", "papermill", str(NB), str(tmp_path / "07.ipynb"), "-p", "out_dir",
                           str(out), "-k", "python3", "--cwd", str(NB.parent)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    folder = out / "government_work_reports"
    names = {p.name for p in folder.iterdir()}
    assert {"07_watchwords.png", "07_families.png", "07_heatmap.png", "07_risers_fallers.png", "07_summary.csv",
            "07_series.csv", "07_passages.csv", "07_first_appearances.csv"} <= names
    import pandas as pd

    summary = pd.read_csv(folder / "07_summary.csv", dtype={"first": str, "last": str}).set_index(["term", "kind"])
    assert summary.loc[("阶级斗争", "term"), "last"] == "1986" and summary.loc[("小康", "term"), "first"] == "1981"
