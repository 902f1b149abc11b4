"""The Speech value: paragraphs, sentences, offsets, tables and the info summary."""
from __future__ import annotations

import json

from analysis_utils import count_han, speech_from_text
from analysis_utils.text import count_han as text_count_han


def test_count_han_is_the_one_in_text():
    assert count_han is text_count_han


def test_paragraph_and_sentence_of_every_offset():
    s = speech_from_text("在会上的讲话\n同志们：\n今天开会。明天“学习！”后天休息")
    assert s.paragraph_spans == ((0, 6), (7, 11), (12, 28))
    assert s.sentence_spans == ((0, 6), (7, 11), (12, 17), (17, 24), (24, 28))
    for n, (a, b) in enumerate(s.paragraph_spans, 1):
        assert {s.paragraph_of(o) for o in range(a, b)} == {n}
    for n, (a, b) in enumerate(s.sentence_spans, 1):
        assert {s.sentence_of(o) for o in range(a, b)} == {n}
    # no sentence crosses a paragraph
    assert all(any(pa <= a and b <= pb for pa, pb in s.paragraph_spans) for a, b in s.sentence_spans)


def test_info_is_json_ready_and_counts_what_the_speech_holds(seed_speech):
    info = seed_speech.info()
    assert json.loads(json.dumps(info, ensure_ascii=False)) == info
    assert info["han_chars"] == seed_speech.han_chars == count_han(seed_speech.body)
    assert info["paragraphs"] == len(seed_speech.body.split("\n"))
    assert info["placeholders"] == {"count": 33, "distinct": ["×", "×××"]}
    assert [r["reason"] for r in info["removed"]] == [r.reason for r in seed_speech.removed]


def test_removed_table_has_one_row_per_span(seed_speech):
    table = seed_speech.removed_table()
    assert list(table.columns) == ["start", "end", "body_pos", "reason", "text"]
    assert table["text"].tolist() == [r.text for r in seed_speech.removed]


def test_info_of_a_speech_from_a_file_name_that_is_not_utf8_prints(tmp_path):
    import os

    from analysis_utils import load_speech

    f = tmp_path / "x.txt"
    f.write_text("在会上的讲话\n同志们：\n今天开会。", encoding="utf-8")
    named = os.fsdecode(os.fsencode(tmp_path) + b"/\xd6\xd0.txt")  # a GBK byte pair that is not UTF-8
    os.rename(f, named)
    info = load_speech(named).info()
    assert info["file"].endswith("/\\xd6\\xd0.txt") and info["id"] == "中"
    print(json.dumps(info, ensure_ascii=False))  # printing it does not raise (it did: lone surrogates)
