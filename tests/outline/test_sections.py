"""outline/sections.py: the Sections value, built from the outline once."""
from __future__ import annotations

import importlib

import pytest

import analysis_utils
from analysis_utils import build_outline
from analysis_utils.outline import Sections, equal_parts, section_table, sections, top_level_sections


def test_a_given_outline_is_not_built_again(seed_speech, monkeypatch):
    o = build_outline(seed_speech)
    expected = section_table(seed_speech)

    def no_build(speech):
        raise AssertionError("build_outline called although an outline was passed")

    # the module, not the function ``sections`` the package exports under the same name
    monkeypatch.setattr(importlib.import_module("analysis_utils.outline.sections"), "build_outline", no_build)
    assert [label for label, *_ in top_level_sections(seed_speech, outline=o)] == [s.title for s in o.sections]
    assert section_table(seed_speech, outline=o).equals(expected)
    assert sections(seed_speech, outline=o).table.equals(expected)


def test_sections_of_offsets(seed_speech):
    secs = sections(seed_speech)
    assert isinstance(secs, Sections) and len(secs) == 4
    starts = secs.table["start"].tolist()
    assert secs.of(starts).tolist() == secs.table["section"].tolist()
    assert secs.of([len(seed_speech.body) + 5]).tolist() == [-1]
    assert secs.label(-1) == "" and secs.label(1).startswith("一、")


def test_equal_parts_needs_one_part_or_more(seed_speech):
    with pytest.raises(ValueError, match="parts must be 1 or more"):
        equal_parts(seed_speech, 0)


def test_flat_api_is_the_same_at_the_top():
    import analysis_utils.outline as outline

    for name in ("build_outline", "Outline", "OutlineNode", "Finding", "Sections", "sections", "section_table",
                 "top_level_sections"):
        assert getattr(analysis_utils, name) is getattr(outline, name)
    for name in outline.__all__:
        assert hasattr(outline, name), name
