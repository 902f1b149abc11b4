"""outline/layout.py: the look-ups by offset agree with the plain definitions they replace."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis_utils import load_speech
from analysis_utils.outline.layout import LastContaining, Layout, clean_heading, clean_span, first_sentence_end
from analysis_utils.text import count_han

from .helpers import speech_texts

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_OPEN, _CLOSE = "“‘「『", "”’」』"


def _layout(text: str) -> Layout:
    """The layout of ``text`` written to a real file and loaded from it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "speech.txt"
        path.write_text(text, encoding="utf-8")
        return Layout(load_speech(path))


@SETTINGS
@given(speech_texts(), st.data())
def test_lookups_agree_with_their_definitions(text, data):
    lay = _layout(text)
    body, n = lay.body, len(lay.body)
    offsets = st.integers(0, n + 3)
    for _ in range(20):
        a, b = sorted((data.draw(offsets), data.draw(offsets)))
        seg = body[a:b]
        assert lay.in_quotes(a, b) == (sum(seg.count(c) for c in _OPEN) > sum(seg.count(c) for c in _CLOSE))
        assert lay.sentence_end(a, b) == first_sentence_end(body, a, b)
        assert lay.han_chars(a, b) == count_han(seg)
        assert lay.han_chars(b, a) == count_han(body[b:a])


def test_han_chars_counts_what_count_han_counts_beyond_the_bmp():
    text = "讲话\n𠀀一二𪚥三〇○々\u3007ＡＢ１２，。中文"  # extension B (not counted), 〇 (counted), ○ (not)
    lay = _layout(text)
    for a in range(len(lay.body) + 1):
        for b in range(a, len(lay.body) + 2):
            assert lay.han_chars(a, b) == count_han(lay.body[a:b])


@SETTINGS
@given(st.text(alphabet=" \u3000\t\n。：:；;，,！!？?中文A", max_size=12))
def test_clean_span_is_where_clean_heading_is(text):
    a, b = clean_span(text, 0, len(text))
    expected = text.strip().rstrip("。：:；;，,！!？?").strip()  # the definition
    assert text[a:b] == clean_heading(text) == expected


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(-1, 70)), max_size=40), st.data())
def test_last_containing_is_the_last_span_holding_the_position(spans, data):
    spans.sort(key=lambda s: s[0])
    index = LastContaining([s for s, _ in spans])
    order = data.draw(st.permutations(range(len(spans))))
    set_so_far: set[int] = set()
    for k in order:  # ends set in any order; a slot without one holds nothing
        index.set_end(k, spans[k][1])
        set_so_far.add(k)
        for pos in range(0, 72, 3):
            holding = [i for i in set_so_far if spans[i][0] <= pos < spans[i][1]]
            assert index.last(pos) == max(holding, default=-1)
    if spans:
        built = LastContaining([s for s, _ in spans], [e for _, e in spans])
        assert all(built.last(pos) == index.last(pos) for pos in range(72))
