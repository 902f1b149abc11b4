"""Metadata: title, subtitle, date, place, speaker and salutation where the text states them."""
from __future__ import annotations

import pytest

from analysis_utils import load_speech, speech_from_text


@pytest.mark.parametrize(
    "name,title,subtitle,date,speaker,salutation",
    [
        ("cpc20_report.txt", "高举中国特色社会主义伟大旗帜 为全面建设社会主义现代化国家而团结奋斗",
         "——在中国共产党第二十次全国代表大会上的报告", "2022-10-16", "习近平", "同志们："),
        ("gwr_2022_crlf.txt", None, None, None, None, "各位代表："),
        ("xi_2015_county_secretaries.txt", "在会见全国优秀县委书记时的讲话", None, "2015-06-30", "习近平", None),
        ("xi_speeches_2013_2016/001_2013-03-22.txt", "在俄罗斯中国旅游年开幕式上的致辞", None, "2013-03-22", "习近平",
         "尊敬的普京总统，女士们，先生们，朋友们："),
        ("xi_speeches_2013_2016/069_2016-05-17.txt", "在哲学社会科学工作座谈会上的讲话", None, "2016-05-17", "习近平", None),
    ],
)
def test_metadata_where_the_text_states_it(corpus_dir, name, title, subtitle, date, speaker, salutation):
    m = load_speech(corpus_dir / name).meta
    assert (m.title, m.subtitle, m.date, m.speaker, m.salutation) == (title, subtitle, date, speaker, salutation)


def test_seed_metadata_and_spans(seed_speech):
    m = seed_speech.meta
    assert m.title == "在党建工作会议上的讲话" and m.salutation == "同志们："
    assert m.date is None and m.speaker is None
    s, e = m.spans["title"]
    assert seed_speech.body[s:e] == m.title
    assert m.title_block_end == e


@pytest.mark.parametrize(
    "line,date,place",
    [
        ("（2017年10月18日）", "2017-10-18", None),
        ("（２０１３年３月２２日，莫斯科）", "2013-03-22", "莫斯科"),
        ("（二○一三年六月五日，墨西哥城）", "2013-06-05", "墨西哥城"),
        ("（二〇一七年十月十八日）", "2017-10-18", None),
        ("（2015年1月8日上午）", "2015-01-08", None),
        ("（2013年10月l6日）", "2013-10-16", None),  # a letter l typed for the digit 1
        ("（二〇一三年十二月三十一日）", "2013-12-31", None),
        ("（2013年13月1日）", None, None),  # no such month: the line is kept as date_text only
    ],
)
def test_date_lines(line, date, place):
    m = speech_from_text(f"在大会上的讲话\n{line}\n同志们：\n今天开会。").meta
    assert (m.date, m.place) == (date, place)
    assert m.date_text == line


def test_a_title_that_starts_with_its_speaker_gives_the_speaker():
    m = speech_from_text("习近平：在大会上的讲话（全文）\n同志们：\n今天开会。").meta
    assert (m.title, m.speaker) == ("在大会上的讲话", "习近平")


def test_an_office_and_a_name_below_the_title_give_the_speaker():
    m = speech_from_text("政府工作报告\n国务院总理　李克强\n各位代表：\n现在，我代表国务院，向大会报告政府工作。").meta
    assert (m.title, m.speaker, m.salutation) == ("政府工作报告", "李克强", "各位代表：")
    assert m.spans == {"title": (0, 6), "speaker": (7, 16), "salutation": (17, 22)} and m.title_block_end == 16
