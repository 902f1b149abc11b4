"""Redaction placeholders: counted, located, and told apart from years and sizes."""
from __future__ import annotations

import pytest

from analysis_utils.reading import find_placeholders


def test_seed_placeholders_are_counted_and_located(seed_speech):
    ph = seed_speech.placeholders
    assert len(ph) == 33
    assert {p.text for p in ph} == {"×", "×××"}
    for p in ph:
        assert seed_speech.body[p.start:p.end] == p.text
        assert p.text in p.context
    table = seed_speech.placeholder_table()
    assert list(table.columns) == ["placeholder", "start", "end", "paragraph", "context"] and len(table) == 33


@pytest.mark.parametrize(
    "text,expected",
    [
        ("由XX同志负责", ["XX"]),
        ("○○县委书记", ["○○"]),
        ("×××同志和×名干部", ["×××", "×"]),
        ("张某某同志", ["某某"]),
        ("二○○八年北京奥运会", []),
        ("XXL号的衣服", []),
        ("2008年", []),
    ],
)
def test_placeholder_patterns(text, expected):
    assert [p.text for p in find_placeholders(text)] == expected
