"""outline/model.py: the outline as a table and as a dict."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from analysis_utils import build_outline, load_speech
from analysis_utils.outline import TABLE_COLUMNS

from .helpers import outline_in, speech_texts


def test_table_is_tidy_and_in_document_order(seed_speech):
    o = build_outline(seed_speech)
    t = o.table()
    assert list(t.columns) == TABLE_COLUMNS
    assert len(t) == len(list(o.walk())) == 6 + 10 + 10
    assert t["start"].is_monotonic_increasing
    row = t[t["id"] == "1.1"].iloc[0]
    assert (row["level"], row["marker"], row["heading"], row["parent"], row["placeholders"]) == (2, "（一）", "党的十九大精神落实落细", "1", 2)
    assert abs(t[t["level"] == 1]["share"].sum() - 1) < 0.01


def test_to_dict_has_the_issue_keys(seed_speech):
    d = build_outline(seed_speech).to_dict()
    assert {"title", "date", "speaker", "sections", "checks"} <= set(d)
    node = next(n for n in d["sections"] if n["kind"] == "section")
    assert {"level", "marker", "heading", "start", "end", "chars", "children"} <= set(node)
    assert {"kind", "message"} <= set(d["checks"][0])


def _deepest(o, offset):
    """The definition of ``node_at``: the deepest node holding ``offset``, the later of two as deep."""
    best = None
    for n in o.walk():
        if n.start <= offset < n.end and (best is None or n.level >= best.level):
            best = n
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(speech_texts())
def test_nodes_at_is_node_at_of_each_offset(text):
    with tempfile.TemporaryDirectory() as tmp:
        o = outline_in(Path(tmp) / "speech.txt", text)
    offsets = list(range(-1, len(o.speech.body) + 2))[::-1]  # any order, repeats allowed
    assert o.nodes_at(offsets + offsets[:5]) == [_deepest(o, k) for k in offsets + offsets[:5]]
    assert all(o.node_at(k) is _deepest(o, k) for k in offsets[::7])


def test_placeholders_are_reported_in_their_node(corpus_dir, seed_speech):
    for speech in (seed_speech, load_speech(corpus_dir / "cpc20_report.txt")):
        o = build_outline(speech)
        table = o.placeholder_table()
        assert table["node"].tolist() == [(_deepest(o, p.start).id if _deepest(o, p.start) else "") for p in speech.placeholders]
