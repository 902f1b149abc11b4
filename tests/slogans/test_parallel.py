"""Parallel structures (analysis_utils.slogans.parallel)."""
from __future__ import annotations

import pytest

from analysis_utils import load_speech
from analysis_utils.slogans import PARALLEL_COLUMNS, parallel_structures

from .helpers import composed


def _frames(speech) -> dict[str, list[str]]:
    par = parallel_structures(speech)
    return {f: v for f, v in zip(par.frame, par.varying)}


def test_parallel_structures_named_in_the_issue_are_found_on_the_seed(seed_speech):
    par = parallel_structures(seed_speech)
    assert list(par.columns) == PARALLEL_COLUMNS
    frames = dict(zip(par.frame, zip(par.varying, par.scope)))
    assert frames["往…里走"] == (["深", "实", "心"], "sentence")
    assert frames["学出…"] == (["信仰", "立场", "方法"], "sentence")
    assert frames["树牢…的导向"] == (["学", "干", "严"], "paragraph")
    row = par[par.frame == "往…里走"].iloc[0]
    assert seed_speech.body[row.start:row.end] == "往深里走、往实里走、往心里走"
    assert [seed_speech.body[p:p + 2] for p in row.positions] == ["往深", "往实", "往心"]


def test_parallel_structures_in_the_county_secretaries_speech(corpus_dir):
    frames = _frames(load_speech(corpus_dir / "xi_2015_county_secretaries.txt"))
    assert len(frames["带头…"]) >= 6
    assert frames["…带头"] == ["事事", "时时", "处处"]
    assert frames["心中有…"] == ["党", "民", "责", "戒"]
    assert frames["要做…的…人"] == ["政治…明白", "发展…开路", "群众…贴心", "班子…带头"]  # paragraph openings


def test_parallel_structures_on_the_20th_congress_report(corpus_dir):
    par = parallel_structures(load_speech(corpus_dir / "cpc20_report.txt"))
    frames = dict(zip(par.frame, par.varying))
    assert frames["必须坚持…"] == ["人民至上", "自信自立", "守正创新", "问题导向", "系统观念", "胸怀天下"]
    assert len(frames["坚持…，推动建设一个…的世界"]) == 5
    assert frames["…之问"] == ["中国", "世界", "人民", "时代"]


@pytest.mark.parametrize(
    "text",
    [
        "加强领导、改进作风、提高效率。",        # no shared frame
        "学出信仰、学出立场。",                  # two items only
        "我们要团结。我们要奋斗。我们要胜利。",  # an ordinary opener alone
        "政令畅通、落地生根、开花结果。",
    ],
)
def test_no_parallel_structure(text):
    assert parallel_structures(composed(text)).empty


@pytest.mark.parametrize(
    "text,frame,varying",
    [
        ("按政策办事、按规定办事、按程序办事。", "按…办事", ["政策", "规定", "程序"]),
        ("真正做到事事带头、时时带头、处处带头。", "…带头", ["事事", "时时", "处处"]),
        ("坚持稳就业、稳物价、稳外贸、稳外资。", "稳…", ["就业", "物价", "外贸", "外资"]),
    ],
)
def test_parallel_structure_in_a_composed_sentence(text, frame, varying):
    assert _frames(composed(text)) == {frame: varying}
