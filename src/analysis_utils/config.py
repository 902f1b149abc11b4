"""Where things are: the one place that knows the project layout.

Notebooks and the command line ask this module for paths, so nothing depends on the
directory a notebook happens to be started from. ``ANALYSIS_UTILS_ROOT`` moves the project
root, ``ANALYSIS_UTILS_FIGURES`` the output folder.

Example:
    >>> SEED_SPEECH.relative_to(PROJECT_ROOT).as_posix()
    'seeds/party_building_conference_speech.txt'
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def _find_project_root() -> Path:
    """The checkout root (the folder holding ``pyproject.toml`` and ``seeds/``).

    ``ANALYSIS_UTILS_ROOT`` overrides it; otherwise the package's own location is used
    (``src/analysis_utils`` inside the checkout, installed with ``-e .``), then the
    current directory and its parents.
    """
    env = os.environ.get("ANALYSIS_UTILS_ROOT")
    if env:
        return Path(env).resolve()
    candidates = [PACKAGE_DIR.parent.parent, Path.cwd(), *Path.cwd().parents]
    for c in candidates:
        if (c / "pyproject.toml").is_file() and (c / "seeds").is_dir():
            return c
    return Path.cwd()


PROJECT_ROOT = _find_project_root()
SEEDS_DIR = PROJECT_ROOT / "seeds"
FIGURES_DIR = Path(os.environ.get("ANALYSIS_UTILS_FIGURES", PROJECT_ROOT / "figures"))
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
#: The speech the project was created from; the default input of every notebook.
SEED_SPEECH = SEEDS_DIR / "party_building_conference_speech.txt"
#: The development corpus beside the project (``../shared/corpus``): the default of notebooks 06 and 07
#: (Government Work Reports 1954–2022 from Wikisource), when it is there.
DEV_REPORTS = PROJECT_ROOT.parent / "shared" / "corpus" / "wikisource" / "government_work_reports.jsonl"
#: Bundled data files (documented in their headers).
LEXICON_FILE = DATA_DIR / "lexicon.tsv"
STOPWORDS_FILE = DATA_DIR / "stopwords.txt"
#: Set by ``run`` in each notebook's process: the output folder's id (unique within the run), so two
#: inputs with one name never share a folder (read by :class:`analysis_utils.outputs.Outputs`).
OUTPUT_ID_ENV = "ANALYSIS_UTILS_OUTPUT_ID"
#: Set by ``run`` in each notebook's process: a file where every output written is noted, one JSON
#: string a line, so the run knows exactly what it made (read by ``runner``, written by ``outputs``).
WRITTEN_LOG_ENV = "ANALYSIS_UTILS_WRITTEN_LOG"
