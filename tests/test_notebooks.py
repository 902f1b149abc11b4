"""The notebooks as committed: no outputs, the common skeleton, parameters papermill can see."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


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
    assert {"speech_path", "out_dir"} <= found
    assert assigned == found, f"papermill cannot read: {assigned - found} (no '=' in comments, please)"
