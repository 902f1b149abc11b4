"""The text report and the redline page of a diff."""
from __future__ import annotations

import html

from analysis_utils.changes import diff
from analysis_utils.changes.render import diff_text, most_changed, redline_html

from .helpers import gwr


def test_redline_page_holds_every_sentence_of_both_texts(corpus_dir):
    d = diff(gwr(corpus_dir, 2021), gwr(corpus_dir, 2022), terms=False)
    page = redline_html(d)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "<link" not in page
    import re
    plain = html.unescape(re.sub(r"<[^>]+>", "", page))
    for text in d.sentences["old"].dropna().tolist() + d.sentences["new"].dropna().tolist():
        assert text in plain
    assert page.count('<tr class="part">') >= len(d.sections) - 1
    assert "<del>" in page and "<ins>" in page and 'class="f-new"' in page
    assert "@media print" in page


def test_text_report_names_its_counts_and_the_most_changed(corpus_dir):
    d = diff(gwr(corpus_dir, 2021), gwr(corpus_dir, 2022), terms=False)
    text = diff_text(d)
    assert "子串计数 substring count" in text and "三孩生育政策（0→2）" in text
    top = most_changed(d, top_n=3)
    assert len(top) == 3 and top["edited_chars"].is_monotonic_decreasing
    assert top["new"].iloc[0].startswith("做好政府工作")
