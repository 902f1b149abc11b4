"""Redaction placeholders: counted, located, and told apart from years and sizes."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis_utils.reading import PLACEHOLDER_RE, find_placeholders


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


_MARK_TEXT = st.lists(st.sampled_from(list("×╳✕✖XxＸｘ○□△＊*某〇零二年八AbL讲话同志，\n ") + ["×××", "XX", "○○", "二○○八年", "某某"]),
                      max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_MARK_TEXT)
def test_marks_are_found_where_the_pattern_finds_them(text):
    """Tried only at a mark's first characters, the pattern finds what ``finditer`` finds (issue 20)."""
    from analysis_utils.reading.placeholders import _marks

    assert [m.span() for m in _marks(text)] == [m.span() for m in PLACEHOLDER_RE.finditer(text)]
    assert [p.paragraph for p in find_placeholders(text)] == [text.count("\n", 0, m.start()) + 1 for m in PLACEHOLDER_RE.finditer(text)]
