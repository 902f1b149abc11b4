"""Sections matched across renumbering and rewording, on files written to disk and on the corpus."""
from __future__ import annotations

from analysis_utils.changes import diff

from .helpers import congress, gwr

PARTS = {
    "回顾": "过去一年，经济运行总体平稳，粮食产量再创新高，城镇新增就业一千二百万人。脱贫攻坚成果得到巩固。",
    "改革": "深化国有企业改革，推进要素市场化配置，优化营商环境，减税降费政策全面落实。",
    "民生": "提高基本养老金，扩大义务教育资源，推进健康中国建设，加强社区养老托育服务。",
    "外交": "坚持独立自主的和平外交政策，推动构建人类命运共同体，积极参与全球治理体系改革。",
}


def _report(path, heads: list[tuple[str, str]]):
    numerals = "一二三四五六七八九十"
    lines = ["政府工作报告", "各位代表："]
    for k, (heading, body) in enumerate(heads):
        lines += [f"{numerals[k]}、{heading}", body]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_sections_matched_across_renumbering(tmp_path):
    old = _report(tmp_path / "old.txt", [("过去一年工作回顾", PARTS["回顾"]), ("深化改革", PARTS["改革"]),
                                         ("保障和改善民生", PARTS["民生"]), ("对外工作", PARTS["外交"])])
    new = _report(tmp_path / "new.txt", [("全力稳定宏观经济大盘", "着力稳定宏观经济大盘，保持经济运行在合理区间，实施好扩大内需战略。"),
                                         ("过去一年工作回顾", PARTS["回顾"]), ("保障和改善民生", PARTS["民生"]),
                                         ("全面深化改革", PARTS["改革"]), ("对外工作", PARTS["外交"])])
    s = diff(old, new, terms=False).sections.set_index("new_rank")
    assert s.loc[2, ["old_rank", "status"]].tolist() == [1, "same"]          # 一、 → 二、, same heading and text
    assert s.loc[5, ["old_rank", "status"]].tolist() == [4, "same"]          # 四、 → 五、
    assert s.loc[4, "old_rank"] == 2 and s.loc[3, "old_rank"] == 3          # 二、深化改革 → 四、全面深化改革
    assert "moved" in set(s.loc[[3, 4], "status"])                          # one of the two swapped parts moved
    assert s.loc[3, "status"] in ("same", "moved") and s.loc[4, "status"] in ("changed", "moved")
    assert s.loc[1, "status"] == "new"
    assert abs(s["new_share"].sum() - 100) < 1 and s["old_share"].sum() < 101


def test_congress_reports_sections_matched(corpus_dir):
    s = diff(congress(corpus_dir, 15), congress(corpus_dir, 16), terms=False).sections
    pairs = {(o[:2], n[:2]) for o, n in zip(s["old_heading"].fillna(""), s["new_heading"].fillna("")) if o and n}
    assert {("二、", "一、"), ("五、", "四、"), ("六、", "五、"), ("八、", "八、"), ("九、", "九、")} <= pairs
    assert set(s["status"]) <= {"same", "changed", "moved", "new", "dropped"}


def test_government_work_reports_sections(corpus_dir):
    s = diff(gwr(corpus_dir, 2021), gwr(corpus_dir, 2022), terms=False).sections
    row = s[s["new_heading"] == "三、2022年政府工作任务"].iloc[0]
    assert row["old_heading"] == "三、2021年重点工作" and row["new_share"] > row["old_share"]
    assert s.loc[s["status"] == "dropped", "old_heading"].tolist() == ["二、“十三五”时期发展成就和“十四五”时期主要目标任务"]
