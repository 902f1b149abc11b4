"""voila.py in the project folder: Voilà's settings for the explorer (a template that fetches nothing),
and harmless when Python finds it as the module ``voila`` (``python -m voila`` from the project folder)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import analysis_utils

ROOT = Path(__file__).resolve().parents[2]
SRC = Path(analysis_utils.__file__).resolve().parents[1]
TEMPLATE = SRC / "analysis_utils" / "explorer" / "jupyter" / "voila" / "templates" / "explorer"


def test_the_template_links_nothing_outside_the_server():
    text = (TEMPLATE / "index.html.j2").read_text(encoding="utf-8")
    code = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
    assert "http" not in code and "cdn" not in code.lower()
    assert '"base_template": "lab"' in (TEMPLATE / "conf.json").read_text(encoding="utf-8")


def test_python_finds_the_real_voila_from_the_project_folder():
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    p = subprocess.run([sys.executable, "-c", "import voila, voila.app; print(voila.__file__)"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "site-packages" in p.stdout and str(ROOT / "voila.py") not in p.stdout


def test_voila_reads_it_as_its_settings():
    from traitlets.config.loader import PyFileConfigLoader

    before = os.environ.get("JUPYTER_PATH")
    try:
        config = PyFileConfigLoader("voila.py", path=str(ROOT)).load_config()
        assert config.VoilaConfiguration.template == "explorer"
        assert os.environ["JUPYTER_PATH"].split(os.pathsep)[0] == str(ROOT / "src" / "analysis_utils" / "explorer" / "jupyter")
    finally:
        if before is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = before
