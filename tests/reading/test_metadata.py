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


# ----------------------------------------------------------------- issue 14: Government Work Report title blocks
@pytest.mark.parametrize("raw,title,subtitle,date,speaker", [
    ("政府工作报告——2023年3月5日在第十四届全国人民代表大会第一次会议上国务院总理\u2002李强\n各位代表：\n现在报告。",
     "政府工作报告", "——2023年3月5日在第十四届全国人民代表大会第一次会议上", "2023-03-05", "李强"),
    ("政府工作报告 ——2024年3月5日在第十四届全国人民代表大会第二次会议上 国务院总理 李强\n各位代表：\n现在报告。",
     "政府工作报告", "——2024年3月5日在第十四届全国人民代表大会第二次会议上", "2024-03-05", "李强"),
    ("政府工作报\n告\n\n——2021年3月5日在第十三届全国人民代表大会第四次会议上\n\n国务院总理\u3000\n李克强\n\n各位代表：\n现在报告。",
     "政府工作报告", "——2021年3月5日在第十三届全国人民代表大会第四次会议上", "2021-03-05", "李克强"),
    ("政府工作报告\n——2022年3月5日在第十三届全国人民代表大会第五次会议上\n国务院总理 李克强\n各位代表：\n现在报告。",
     "政府工作报告", "——2022年3月5日在第十三届全国人民代表大会第五次会议上", "2022-03-05", "李克强"),
    ("政府工作报告\n1957年6月26日在第一届全国人民代表大会第四次会議上\n周恩来\n各位代表：\n现在报告。",
     "政府工作报告", "1957年6月26日在第一届全国人民代表大会第四次会議上", "1957-06-26", "周恩来"),
])
def test_government_work_report_title_blocks(raw, title, subtitle, date, speaker):
    s = speech_from_text(raw)
    m = s.meta
    assert (m.title, m.subtitle, m.date, m.speaker, m.salutation) == (title, subtitle, date, speaker, "各位代表：")
    for name in ("title", "subtitle"):
        a, b = m.spans[name]
        assert s.body[a:b] == getattr(m, name)
    a, b = m.spans["speaker"]
    assert s.body[a:b].endswith(speaker)


def test_a_salutation_after_an_editorial_note_is_read():
    m = speech_from_text("在全国两会记者会上的讲话\n（根据直播整理）\n女士们、先生们：\n今天开会。").meta
    assert (m.title, m.salutation) == ("在全国两会记者会上的讲话", "女士们、先生们：")


def test_the_date_of_a_removed_news_header_when_the_speech_states_none(tmp_path):
    f = tmp_path / "news.txt"
    f.write_text("发表时间：2017-01-01　　　来源：新华网\n在会上的讲话\n同志们：\n今天开会。", encoding="utf-8")
    s = load_speech(f)
    assert s.meta.date == "2017-01-01" and s.meta.title == "在会上的讲话"
    assert any("taken from the removed news header" in n for n in s.notes)
    f.write_text("发表时间：2017-01-03　　　来源：新华网\n在会上的讲话\n（2017年1月1日）\n同志们：\n今天开会。", encoding="utf-8")
    s = load_speech(f)
    assert s.meta.date == "2017-01-01" and not any("news header" in n for n in s.notes)


@pytest.mark.slow
def test_every_government_work_report_that_states_a_date_has_it(corpus_dir):
    import json
    import re

    stated = re.compile(r"^[—\s]*(\d{4})年(\d{1,2})月(\d{1,2})日在", re.M)
    dated = 0
    with open(corpus_dir / "wikisource" / "government_work_reports.jsonl", encoding="utf-8") as f:
        for i, line in enumerate(f):
            rec = json.loads(line)
            s = speech_from_text(rec["content"], path=f"gwr_{i}.txt")
            head = "\n".join(rec["content"].replace("\u200b", "").split("各位代表")[0].split("\n"))
            if m := stated.search(head):
                dated += 1
                assert s.meta.date == f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", i
                assert s.meta.title == "政府工作报告" and s.meta.date.startswith(rec["year"]), i
            assert s.meta.title is None or ("\n" not in s.meta.title and "?" not in s.meta.title and len(s.meta.title) <= 40), i
    assert dated >= 2
