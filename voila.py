"""Voilà's settings for the explorer, read when ``voila notebooks/00_explorer.ipynb`` starts in this folder.

The page uses the explorer's own template (src/analysis_utils/explorer/jupyter/voila/templates/explorer/:
Voilà's lab template without its links to a CDN), so the app needs no network.
"""
import os
from pathlib import Path

c = get_config()  # noqa: F821  (Voilà runs this file with get_config defined)
_templates = Path(__file__).resolve().parent / "src" / "analysis_utils" / "explorer" / "jupyter"
os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(_templates), os.environ.get("JUPYTER_PATH")) if p)
c.VoilaConfiguration.template = "explorer"
