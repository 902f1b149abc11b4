"""outline/checks.py: announced counts, numbering, balance, placeholders, structure."""
from __future__ import annotations

import re
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis_utils import build_outline
from analysis_utils.outline.checks import _clause_start, _median_without, _right_after

from .helpers import SECTION_TEXT, F, kinds, outline_of


@pytest.mark.parametrize("paras, check, kind, expected, found", [
    # announced count against the sections that follow
    (["下面，我讲两点意见：", "一、总体要求", F, "二、重点任务", F], "announced_count", "ok", 2, 2),
    (["下面，我讲三点意见：", "一、总体要求", F, "二、重点任务", F], "announced_count", "count_mismatch", 3, 2),
    (["重点做好以下五个方面工作：", SECTION_TEXT, "（二）改进作风。" + F], "announced_count", "count_mismatch", 5, 2),
    # … and against inline enumerations
    (["要抓好三件事：一是加强学习；二是改进作风；三是狠抓落实。"], "announced_count", "ok", 3, 3),
    (["要抓好四件事：一是加强学习；二是改进作风；三是狠抓落实。"], "announced_count", "count_mismatch", 4, 3),
    (["明确了十个明确：第一，坚持党的领导；第二，坚持人民至上。"], "announced_count", "count_mismatch", 10, 2),
    # a count announced with nothing numbered after it
    (["下面，我讲三点意见：", F, F], "announced_count", "announced_unmatched", 3, None),
    # numbering
    (["一、总体要求", F, "三、重点任务", F], "numbering", "numbering_gap", None, 3),
    (["一、总体要求", F, "二、重点任务", F, "二、保障措施", F], "numbering", "numbering_repeat", None, 2),
    (["一、总体要求", F, "三、重点任务", F, "二、保障措施", F], "numbering", "numbering_order", None, 2),
    (["二、总体要求", F, "三、重点任务", F], "numbering", "numbering_start", 2, 2),
    (["一是加强学习。" + F + "二是改进作风。" + F + "四是狠抓落实。" + F], "numbering", "numbering_gap", None, 4),
    (["一、总体要求", F, "二、重点任务", F], "numbering", "ok", None, 2),
    # balance: far shorter / longer than the median of the siblings
    (["一、总体要求", F, "二、重点任务", F, "三、保障措施", F * 12], "balance", "too_long", None, None),
    (["一、总体要求", F * 6, "二、重点任务", F * 6, "三、保障措施", "要落实。"], "balance", "too_short", None, None),
    (["一、总体要求", F, "二、重点任务", F * 2], "balance", "ok", None, 2),
    # placeholders
    (["一、总体要求", "全年调整干部×人，走访×××家企业。", "二、重点任务", F], "placeholders", "placeholder", None, 2),
    (["一、总体要求", F, "二、重点任务", F], "placeholders", "ok", None, 0),
    # structure
    (["一、总体要求", "二、重点任务", F], "structure", "empty_section", None, 0),
    ([F, F], "structure", "no_headings", None, None),
])
def test_checks(paras, check, kind, expected, found):
    o = outline_of(*paras)
    hits = [c for c in o.checks if c.check == check and c.kind == kind]
    assert hits, [(c.check, c.kind, c.message) for c in o.checks]
    c = hits[0]
    if expected is not None:
        assert c.expected == expected
    if found is not None:
        assert c.found == found
    assert c.message and "·" in c.message  # Chinese · English


def test_a_passing_check_is_reported_and_a_failing_one_is_not_ok():
    good = outline_of("下面，我讲两点意见：", "一、总体要求", F, "二、重点任务", F)
    bad = outline_of("下面，我讲两点意见：", "一、总体要求", F, "三、重点任务", F)
    assert "ok" in kinds(good, "numbering") and "numbering_gap" not in kinds(good)
    assert "numbering_gap" in kinds(bad, "numbering") and "ok" not in kinds(bad, "numbering")


def test_placeholder_findings_say_where(seed_speech):
    o = build_outline(seed_speech)
    ph = [c for c in o.checks if c.kind == "placeholder"]
    assert sum(c.found for c in ph) == len(seed_speech.placeholders) == 33
    assert {o.node(c.node).marker for c in ph} == {"（一）", "（二）", "（三）", "（四）"}
    table = o.placeholder_table()
    assert len(table) == 33 and table["node"].str.len().gt(0).all()


# ------------------------------------------------------------- the look-ups behind the checks
@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=2, max_size=30), st.data())
def test_median_of_the_others_is_statistics_median(sizes, data):
    n = data.draw(st.sampled_from(sizes))
    others = list(sizes)
    others.remove(n)
    assert _median_without(sorted(sizes), n) == statistics.median(others)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="中文，。；：！？\n,;: 三点\t", max_size=300), st.data())
def test_clause_start_and_right_after_are_their_definitions(text, data):
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    assert _clause_start(text, a) == max(text.rfind(c, 0, a) for c in "，。；：！？\n,;:") + 1
    gap = re.sub(r"\s", "", text[a:b])
    assert _right_after(text, a, b) == (len(gap) <= 12 and not re.search(r"[。！？].", gap) and not re.search(r"[，,；;]", gap))
