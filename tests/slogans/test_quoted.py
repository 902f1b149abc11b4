"""Quoted terms, 《》 titles and their types (analysis_utils.slogans.quoted)."""
from __future__ import annotations

import pytest

from analysis_utils.slogans import quoted_terms, title_type, titles

from .helpers import composed


@pytest.mark.parametrize(
    "text,expected",
    [
        ("抽调干部到“吃劲”岗位历练", [("吃劲", "term")]),
        ("他说：“羊群走路靠头羊。”我们", [("羊群走路靠头羊。", "quotation")]),
        ("所谓‘关键少数’，「枫桥经验」", [("关键少数", "term"), ("枫桥经验", "term")]),
        ("“不忘初心、牢记使命”主题教育", [("不忘初心、牢记使命", "term")]),
        ("没有引号的句子。", []),
        ("只有左引号“没有右引号\n下一段”", []),
    ],
)
def test_quoted_terms(text, expected):
    q = quoted_terms(composed(text))
    assert list(zip(q.slogan, q.detail)) == expected


@pytest.mark.parametrize(
    "title,kind",
    [
        ("党政领导干部选拔任用条例", "regulation"), ("中国共产党纪律处分条例", "regulation"), ("党章", "regulation"),
        ("中华人民共和国民法典", "law"), ("香港特别行政区维护国家安全法", "law"), ("中华人民共和国宪法", "law"),
        ("×区加快首创之区建设促进重点产业发展扶持办法", "regulation"),
        ("国民经济和社会发展第十四个五年规划和2035年远景目标纲要", "plan"), ("乡村振兴战略规划（2018－2022年）", "plan"),
        ("关于进一步激励广大干部新时代新担当新作为的实施意见", "opinion"),
        ("中共中央关于全面深化改革若干重大问题的决定", "decision"),
        ("胡锦涛文选", "work"), ("论十大关系", "work"), ("共产党宣言", "work"), ("资本论", "work"),
        ("人民日报", "newspaper"), ("求是", "newspaper"), ("×××", "other"), ("焦裕禄", "other"),
    ],
)
def test_title_types(title, kind):
    assert title_type(title) == kind


def test_titles_on_the_seed(seed_speech):
    t = titles(seed_speech)
    assert dict(zip(t.slogan, t.detail))["党政领导干部选拔任用条例"] == "regulation"
    assert (t.slogan == "×××").sum() == 2 and "党章" in set(t.slogan)
    assert (t.section >= 1).all()


def test_a_title_with_spaces_inside_its_marks_points_at_the_title(tmp_path):
    """《 中国共产党章程 》 written with spaces (full-width ones too): the hit's offsets are those
    of the title itself, as every hit's are (hypothesis found 《·\u3000\u3000》)."""
    from analysis_utils import load_speech, titles

    path = tmp_path / "spaces.txt"
    path.write_text("讲话\n要学习《 中国共产党章程\u3000\u3000》和《·\u3000》。\n", encoding="utf-8")
    speech = load_speech(path)
    t = titles(speech)
    assert t["slogan"].tolist() == ["中国共产党章程", "·"]
    assert [speech.body[a:b] for a, b in zip(t["start"], t["end"])] == ["中国共产党章程", "·"]
