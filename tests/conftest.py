"""Shared fixtures: the seed, the development corpus (read in place), one tokenizer."""
from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "party_building_conference_speech.txt"
CORPUS = ROOT.parent / "shared" / "corpus"


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
