"""Fixtures of the corpus-path tests: a fast tokenizer, a small folder of real speeches."""
from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="module")
def fast_tok():
    pytest.importorskip("rjieba")
    from analysis_utils.scale import fast_tokenizer

    return fast_tokenizer()


@pytest.fixture
def small_dir(tmp_path, corpus_dir):
    """Three real speeches in a temporary folder (the tests may change them there)."""
    d = tmp_path / "speeches"
    d.mkdir()
    for name in ("xi_2015_county_secretaries.txt", "xi_speeches_2013_2016/001_2013-03-22.txt",
                 "xi_speeches_2013_2016/002_2013-03-23.txt"):
        shutil.copy(corpus_dir / name, d / name.split("/")[-1])
    return d
