"""Fixtures of the plot tests."""
from __future__ import annotations

import pytest

from .helpers import cloud_terms


@pytest.fixture(scope="session")
def cloud_freq(tokenizer, seed_speech):
    """The seed's cloud term table (read-only)."""
    return cloud_terms(tokenizer, seed_speech)
