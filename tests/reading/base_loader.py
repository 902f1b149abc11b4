"""The loader of the commit before issue 20's loader work, beside the working tree's: the tests that
prove the faster loader gives the same speeches compare the two on real files.

The base commit's ``src/analysis_utils`` is taken with ``git archive`` into a temporary folder and
imported as ``analysis_utils_base`` (what ``benchmarks/load_benchmark.py`` times it as); tests skip
when the checkout has no such commit.
"""
from __future__ import annotations

import functools
import importlib.util
import subprocess
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
_KEEP: list[tempfile.TemporaryDirectory] = []  # the copy lives as long as the test session


@functools.cache
def benchmark() -> ModuleType:
    """``benchmarks/load_benchmark.py``: ``base_package``, ``speech_fields``, ``DEFAULT_BASE``."""
    spec = importlib.util.spec_from_file_location("load_benchmark", ROOT / "benchmarks" / "load_benchmark.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def _base() -> ModuleType | None:
    bench = benchmark()
    found = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{bench.DEFAULT_BASE}^{{commit}}"],
                           capture_output=True, check=False)
    if found.returncode != 0:
        return None
    _KEEP.append(tempfile.TemporaryDirectory(prefix="base-loader-"))
    return bench.base_package(bench.DEFAULT_BASE, Path(_KEEP[-1].name))


def base_sources() -> ModuleType:
    """The base commit's ``analysis_utils.scale.sources`` (``Corpus``, ``load_item``); its
    ``reading`` package is ``base_reading()``."""
    sources = _base()
    if sources is None:
        pytest.skip(f"the base commit {benchmark().DEFAULT_BASE} is not in this checkout")
    return sources


def base_reading() -> ModuleType:
    """The base commit's ``analysis_utils.reading`` (``load_speech``, ``speech_from_text``)."""
    base_sources()
    import sys

    return sys.modules[benchmark().BASE_PACKAGE + ".reading"]


def outcome(load, *args, **kwargs) -> dict[str, object] | str:
    """Every field of the speech ``load(*args)`` gives, or the one-line message it raises (the base
    commit's ``SpeechError`` is another class, so any exception with that name counts)."""
    try:
        return benchmark().speech_fields(load(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 (the two versions' SpeechError classes differ)
        if type(e).__name__ != "SpeechError":
            raise
        return f"SpeechError: {e}"


def assert_same(old: dict[str, object] | str, new: dict[str, object] | str, what: str) -> None:
    """The two outcomes are equal, field by field (the message names the first field that differs)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for field in old:
            assert new[field] == old[field], f"{what}: {field} differs"
    assert new == old, f"{what}: {old if isinstance(old, str) else 'a speech'} → {new if isinstance(new, str) else 'a speech'}"
