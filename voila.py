"""Voilà's settings for the explorer, read when ``voila notebooks/00_explorer.ipynb`` starts in this folder.

The page uses the explorer's own template (src/analysis_utils/explorer/jupyter/voila/templates/explorer/:
Voilà's lab template without its links to a CDN), so the app needs no network.

Python finds this file before the real Voilà when ``python -m voila`` (or ``import voila``) runs in this
folder: then it steps aside and hands over to Voilà, which reads it again as its settings.
"""
import os
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent

if "get_config" in globals():  # Voilà reading its settings
    c = get_config()  # noqa: F821
    _templates = _HERE / "src" / "analysis_utils" / "explorer" / "jupyter"
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(_templates), os.environ.get("JUPYTER_PATH")) if p)
    c.VoilaConfiguration.template = "explorer"
else:  # found as the module ``voila``: load the real one in its place
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
    sys.modules.pop("voila", None)
    import voila as _voila  # noqa: E402

    sys.modules["voila"] = _voila
    if __name__ == "__main__":
        from voila.app import main

        sys.exit(main())
