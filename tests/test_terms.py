"""Sections and the terms/kwic CLI commands (the stats tests are in tests/stats/, the plots in tests/plots/)."""
from __future__ import annotations

import pytest

from analysis_utils import (
    load_speech,
    section_table,
    speech_from_text,
    term_frequency,
    top_level_sections,
)
from analysis_utils.outline.sections import heading_sections


# ----------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def seed_tokens(tokenizer, seed_speech):
    return tokenizer.tokens(seed_speech)


@pytest.fixture(scope="module")
def seed_freq(seed_tokens, seed_speech):
    return term_frequency(seed_tokens, speech=seed_speech)


@pytest.fixture(scope="module")
def gwr(corpus_dir):
    return load_speech(corpus_dir / "gwr_2022_crlf.txt")


@pytest.fixture(scope="module")
def cpc20(corpus_dir):
    return load_speech(corpus_dir / "cpc20_report.txt")


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
