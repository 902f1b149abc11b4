"""Shared fixtures: the seed, the development corpus (read in place), one tokenizer.

The token cache of every test session lives in a fresh temporary folder, so tests never
read or write the user's ``.cache/`` and never see each other's leftovers across runs.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

# CI (CI=true) runs every property test with a fixed seed, so a red build is reproducible and a
# green one is not luck; locally the examples vary from run to run and find new cases.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "party_building_conference_speech.txt"
CORPUS = ROOT.parent / "shared" / "corpus"

_CACHE = tempfile.TemporaryDirectory(prefix="analysis-utils-test-cache-")
os.environ["ANALYSIS_UTILS_CACHE"] = _CACHE.name

collect_ignore = [str(ROOT / "src" / "analysis_utils" / "__main__.py"), str(ROOT / "tests" / "e2e" / "snapshot.py")]


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"development corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def tokenizer():
    from analysis_utils import Tokenizer

    return Tokenizer()


@pytest.fixture(scope="session")
def seed_speech(seed_path):
    from analysis_utils import load_speech

    return load_speech(seed_path)


@pytest.fixture(scope="session")
def seed_tokens(tokenizer, seed_speech):
    """The seed's token table (read-only: copy before changing it)."""
    return tokenizer.tokens(seed_speech)


@pytest.fixture(scope="session")
def seed_freq(seed_tokens, seed_speech):
    from analysis_utils import term_frequency

    return term_frequency(seed_tokens, speech=seed_speech)


@pytest.fixture(scope="session")
def gwr(corpus_dir):
    """The 2022 Government Work Report (CRLF)."""
    from analysis_utils import load_speech

    return load_speech(corpus_dir / "gwr_2022_crlf.txt")


@pytest.fixture(scope="session")
def cpc20(corpus_dir):
    """The report to the 20th Party Congress."""
    from analysis_utils import load_speech

    return load_speech(corpus_dir / "cpc20_report.txt")
