"""outline/model.py: the outline as a table and as a dict."""
from __future__ import annotations

from analysis_utils import build_outline
from analysis_utils.outline import TABLE_COLUMNS


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
