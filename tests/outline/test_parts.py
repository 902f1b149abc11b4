"""outline/parts.py: the Sections value, built from the outline once."""
from __future__ import annotations

import importlib

import pytest

import analysis_utils
from analysis_utils import build_outline, load_speech, speech_from_text
from analysis_utils.outline import Sections, equal_parts, section_table, sections, top_level_sections
from analysis_utils.outline.parts import heading_sections


def test_a_given_outline_is_not_built_again(seed_speech, monkeypatch):
    o = build_outline(seed_speech)
    expected = section_table(seed_speech)

    def no_build(speech):
        raise AssertionError("build_outline called although an outline was passed")

    # the module, not the function ``sections`` the package exports under the same name
    monkeypatch.setattr(importlib.import_module("analysis_utils.outline.parts"), "build_outline", no_build)
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


# ------------------------------------------------- on real speeches (fixtures and tests)
def _composed(text: str):
    return speech_from_text(text, path="composed.txt")


# ----------------------------------------------------------------------- sections
@pytest.mark.parametrize("fixture, n, first, last", [
    ("seed_speech", 2, "一、聚焦主业、担当作为", "二、强基固本、激发活力"),
    ("cpc20", 15, "一、过去五年的工作和新时代十年的伟大变革", "十五、坚定不移全面从严治党，深入推进新时代党的建设新的伟大工程"),
    ("gwr", 3, "一、2021年工作回顾", "三、2022年政府工作任务"),
])
def test_top_level_sections(request, fixture, n, first, last):
    sp = request.getfixturevalue(fixture)
    for secs in (top_level_sections(sp), heading_sections(sp)):
        assert len(secs) == n
        assert secs[0][0].startswith(first) and secs[-1][0].startswith(last)
        assert all(sp.body[s:e].startswith(label[:2]) for label, s, e in secs)
        assert all(a[2] <= b[1] for a, b in zip(secs, secs[1:]))


def test_heading_fallback_needs_the_sequence():
    sp = _composed("讲话\n一、第一部分\n内容。\n三、不是第二部分\n二、第二部分\n内容。")
    assert [label for label, *_ in heading_sections(sp)] == ["一、第一部分", "二、第二部分"]
    assert heading_sections(_composed("没有标题的讲话。\n只有段落。")) == []


def test_section_table_and_parts(seed_speech, corpus_dir):
    t = section_table(seed_speech)
    assert t["label"].iloc[0] == "开头 opening" and t["section"].tolist()[:3] == [0, 1, 2]
    xi = load_speech(corpus_dir / "xi_speeches_2013_2016" / "032_2014-10-08.txt")
    assert section_table(xi)["label"].tolist() == ["全文 whole text"]
    parts = section_table(xi, parts_if_no_headings=4)
    assert len(parts) == 4 and parts["label"].iloc[0].startswith("第1部分")
    assert (parts["start"].iloc[1:].to_numpy() == parts["end"].iloc[:-1].to_numpy()).all()


# ---------------------------------------------------------------------------- CLI
