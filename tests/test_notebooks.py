"""The notebooks as committed: no outputs, the common skeleton, parameters papermill can see,
one name per parameter, prose before every code cell, outputs saved through one bound saver."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analysis_utils.runner import PARAMETERS

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("0[1-9]_*.ipynb"))  # 00_explorer is an app: tests/explorer/


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _parameters(path: Path) -> list[str]:
    tagged = next(c for c in _cells(path) if "parameters" in c.get("metadata", {}).get("tags", []))
    return [line.split("=")[0].strip() for line in _source(tagged).splitlines()
            if "=" in line and not line.lstrip().startswith("#")]


def test_the_five_notebooks_exist():
    assert [p.name[:3] for p in NOTEBOOKS] == ["01_", "02_", "03_", "04_", "05_"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_and_with_the_skeleton(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    first = "".join(cells[0]["source"])
    assert first.startswith(f"# {path.name[:2]} ") and "·" in first.splitlines()[0]  # bilingual H1
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    sources = "\n".join("".join(c["source"]) for c in code)
    assert "sys.path" not in sources and "!pip" not in sources and "import src" not in sources


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_sees_every_parameter(path):
    from papermill.inspection import _infer_parameters
    from papermill.iorw import load_notebook_node

    nb = load_notebook_node(str(path))
    found = {p.name for p in _infer_parameters(nb)}
    tagged = next(c for c in nb.cells if "parameters" in c.metadata.tags)
    assigned = {line.split("=")[0].strip() for line in tagged.source.splitlines()
                if "=" in line and not line.lstrip().startswith("#")}
    assert set(PARAMETERS) <= found  # what `run` sets, by name
    assert assigned == found, f"papermill cannot read: {assigned - found} (no '=' in comments, please)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_prose_before_every_code_cell(path):
    cells = _cells(path)
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code":
            before = cells[i - 1] if i else None
            assert before is not None and before["cell_type"] == "markdown" and _source(before).strip(), \
                f"cell {i} ({_source(cell).splitlines()[0]!r}) has no prose before it"


def test_how_many_is_always_top_n():
    """A count of things shown is ``top_n``, or ``<where>_top_n`` when a notebook has several."""
    how_many = re.compile(r"(^|_)(n|top|num)(_|$)")  # n_terms, keyness_n, heatmap_top …, but not min_count
    for path in NOTEBOOKS:
        for name in _parameters(path):
            if how_many.search(name):
                assert name == "top_n" or name.endswith("_top_n"), f"{path.name}: {name}"


def test_a_parameter_shared_by_notebooks_has_one_name():
    """The knobs several notebooks share are spelled the same in each (no heatmap_n next to heatmap_top)."""
    names = {p.name[:2]: set(_parameters(p)) for p in NOTEBOOKS}
    for nb, found in names.items():
        assert set(PARAMETERS) <= found, nb
    assert {nb for nb, found in names.items() if "heatmap_top_n" in found} == {"02", "03", "05"}
    assert {nb for nb, found in names.items() if "lexicon_files" in found} == {"02", "03", "04"}
    assert {nb for nb, found in names.items() if "extra_stopwords" in found} == {"02", "04"}
    assert {nb for nb, found in names.items() if "top_n" in found} == {"02", "03", "04"}
    gone = {"heatmap_n", "heatmap_top", "top_n_slogans", "n_terms", "keyness_n", "kwic_n", "dispersion_n"}
    assert not gone & set().union(*names.values())


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_opened_by_the_package_and_saved_through_one_bound_saver(path):
    code = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "code")
    opener = "open_comparison(speech_path)" if path.name.startswith("05") else "open_speech(speech_path)"
    assert opener in code
    assert re.search(r"^out = Outputs\((speech|cmp)\.id, out_dir\)", code, re.M)
    assert "out_dir=out_dir" not in code
    assert not re.search(r"\b(save_fig|save_table|save_wordcloud|figure_dir)\(", code)
    assert "assert " not in code  # checks live in tests/, not in the notebooks
