"""Slogan counting: number slogans, quoted terms, titles, lexicon formulations, parallel structures."""
from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from analysis_utils import load_speech, speech_from_text
from analysis_utils.cli import main
from analysis_utils.slogans.number import find_number_slogans, number_slogan_spans
from analysis_utils.slogans.hits import (
    COUNT_COLUMNS, HIT_COLUMNS, KINDS, PARALLEL_COLUMNS, combine_hits, evaluate_against, lexicon_hits,
    lexicon_missing, number_slogans, parallel_structures, quoted_terms, slogan_counts, slogan_hits,
    slogan_matrix, slogans_by_section, title_type, titles,
)

GOLD_FILE = Path(__file__).parent / "data" / "number_slogans_gold.tsv"
NO_LEXICON = pd.DataFrame({"phrase": []})
SPEECH = "在党建工作会议上的讲话\n同志们：\n"  # a minimal title block for composed test speeches


def composed(text: str):
    return speech_from_text(SPEECH + text)


def slogans_in(text: str, *, lexicon=None) -> list[str]:
    return list(number_slogans(composed(text), lexicon=lexicon).slogan)


def gold() -> dict[str, dict[str, int]]:
    df = pd.read_csv(GOLD_FILE, sep="\t", comment="#")
    return {sp: dict(zip(g.slogan, g["count"])) for sp, g in df.groupby("speech", sort=False)}


def speech_path(name: str, seed_path: Path, corpus_dir: Path) -> Path:
    if name == seed_path.name:
        return seed_path
    if (corpus_dir / name).exists():
        return corpus_dir / name
    return corpus_dir / "xi_speeches_2013_2016" / name


# ------------------------------------------------------------------ number slogans
@pytest.mark.parametrize(
    "text,expected",
    [
        ("推广运用“一征三议两公开”工作法", ["一征三议两公开"]),
        ("推广运用一征三议两公开工作法", ["一征三议两公开"]),
        ("严格落实发展党员双推双评三全程制度", ["双推双评三全程"]),
        ("要大力实施三级联创五化并举，打造阵地", ["三级联创五化并举"]),
        ("落实“三去一降一补”任务", ["三去一降一补"]),
        ("充分利用两个市场两种资源联动效应", ["两个市场两种资源"]),
        ("大力实施“万企兴万村”行动", ["万企兴万村"]),
        ("践行“四个意识”、落实“两个维护”", ["四个意识", "两个维护"]),
        ("增强四个意识、坚定四个自信", ["四个意识", "四个自信"]),
        ("发挥中央和地方两个积极性，尊重", ["两个积极性"]),
        ("实行“三单制”管理", ["三单制"]),
        ("社区“两委”成员", ["两委"]),
        ("以“五星支部”创建为抓手", ["五星支部"]),
        ("打造七型部门、争做七个模范", ["七型部门", "七个模范"]),
        ("提升五个品质，高质量发展", ["五个品质"]),
        ("办好基层党建十件实事", ["十件实事"]),
        ("强化政治意识等十种意识，提升十种能力。", ["十种意识", "十种能力"]),
        ("健全区、街道、社区三级联动体系", ["三级联动"]),
        ("持续推进三社联动工作，促进两翼融合", ["三社联动", "两翼融合"]),
        ("制定“十四五”规划", ["十四五"]),
        ("编制十四五规划", ["十四五"]),
        ("坚持四项基本原则", ["四项基本原则"]),
        ("在和平共处五项原则基础上", ["五项原则"]),
        ("经历了三件大事：一是", ["三件大事"]),
        ("战略安排是分两步走：从", ["两步走"]),
        ("打好三大攻坚战", ["三大攻坚战"]),
        ("统筹推进五位一体总体布局", ["五位一体"]),
    ],
)
def test_number_slogans_are_found_whole_by_pattern(text, expected):
    assert slogans_in(text, lexicon=NO_LEXICON) == expected


@pytest.mark.parametrize(
    "text",
    [
        "工作三个月后", "举办研修班四期", "组织×个主体班次", "讲两点意见：", "一是强化政治意识", "第一，要坚持",
        "比重提高七点二个百分点", "达到百分之十八点五，", "坚持五湖四海、任人唯贤", "推动建设一个持久和平的世界",
        "学习党的十九大精神", "十九届六中全会提出", "一心一意干事业", "千方百计稳定就业", "两岸同胞血脉相连",
        "加强对“一把手”的监督", "中印两大文明", "生活一年比一年好", "评奖一个接着一个", "构建全国统一大市场",
        "国企改革三年行动", "长三角一体化发展", "到二〇三五年基本实现", "重点做好以下五个方面工作：",
        "这是两个突出印象。", "集聚起万众一心、共克时艰的力量", "两国双向往来", "世界又一次站在历史的十字路口",
        "“一线指挥部”", "“一代更比一代强”", "“两条腿”走路", "全国八百三十二个贫困县", "召开七次全会",
    ],
)
def test_quantities_structure_words_idioms_and_congresses_are_not_slogans(text):
    assert slogans_in(text) == []


def test_lexicon_numeral_phrases_are_always_number_slogans_and_win_over_patterns():
    text = "坚持一个中国原则，把握世界百年未有之大变局，推进四梁八柱性质的改革"
    assert slogans_in(text, lexicon=NO_LEXICON) == ["四梁八柱性质"]  # the pattern alone overshoots
    assert slogans_in(text) == ["一个中国原则", "百年未有之大变局", "四梁八柱"]
    spans = number_slogan_spans(text, lexicon=["一个中国原则"])
    assert [(w, r) for _, _, w, r in spans] == [("一个中国原则", "lexicon"), ("四梁八柱性质", "chained")]


def test_find_number_slogans_keeps_its_tokeniser_contract():
    text = "推广“一征三议两公开”工作法，落实“双推双评三全程”制度"
    out = find_number_slogans(text, idioms={"双推双评三全程"})
    assert [(text[s:e], w) for s, e, w in out] == [("一征三议两公开", "一征三议两公开")]


def test_number_slogans_on_the_seed_match_the_hand_marked_list(seed_speech):
    hits = number_slogans(seed_speech)
    assert list(hits.columns) == HIT_COLUMNS
    assert (hits.apply(lambda r: seed_speech.body[r.start:r.end] == r.slogan, axis=1)).all()
    found = hits.slogan.value_counts().to_dict()
    assert found == gold()[seed_speech.path.name]
    # the chained ones are whole, each once
    for s in ("一征三议两公开", "双推双评三全程", "三级联创五化并举"):
        assert found[s] == 1
    assert not any(s.startswith(("三个月", "四期", "两点", "一是", "第一")) for s in found)


@pytest.mark.parametrize(
    "name,min_precision,min_recall",
    [
        ("party_building_conference_speech.txt", 1.0, 1.0),
        ("cpc20_report.txt", 1.0, 1.0),
        ("gwr_2022_crlf.txt", 1.0, 1.0),
        ("xi_2015_county_secretaries.txt", 1.0, 1.0),
        ("032_2014-10-08.txt", 1.0, 0.9),  # marked by hand after the rules were written (两结合 is missed)
    ],
)
def test_precision_and_recall_against_the_hand_marked_gold_lists(seed_path, corpus_dir, name, min_precision, min_recall):
    speech = load_speech(speech_path(name, seed_path, corpus_dir))
    r = evaluate_against(slogan_counts(speech, kinds="number"), gold()[name])
    assert r["precision"] >= min_precision and r["recall"] >= min_recall, r


def test_patterns_alone_find_most_of_the_hand_marked_slogans(corpus_dir):
    for name, floor in (("cpc20_report.txt", 0.8), ("gwr_2022_crlf.txt", 0.75)):
        speech = load_speech(corpus_dir / name)
        r = evaluate_against(number_slogans(speech, lexicon=NO_LEXICON).slogan.value_counts().to_dict(), gold()[name])
        assert r["precision"] == 1.0 and r["recall"] >= floor, (name, r)


def test_evaluate_against_counts_occurrences():
    r = evaluate_against({"四风": 3, "十九大": 1}, {"四风": 2, "八项规定": 2})
    assert r == {"tp": 2, "found": 4, "gold": 4, "precision": 0.5, "recall": 0.5}


# ------------------------------------------------------------------ quoted and titles
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


# ------------------------------------------------------------------------- lexicon
def test_lexicon_overlaps_longest_versus_all():
    s = composed("学习党的十九大精神，贯彻十九大部署。")
    lex = pd.DataFrame({"phrase": ["党的十九大", "十九大", "十九大精神"], "category": ["theory"] * 3})
    longest = lexicon_hits(s, lexicon=lex).slogan.value_counts().to_dict()
    assert longest == {"党的十九大": 1, "十九大": 1}  # 十九大精神 overlaps 党的十九大, which starts first
    every = lexicon_hits(s, lexicon=lex, overlap="all").slogan.value_counts().to_dict()
    assert every == {"党的十九大": 1, "十九大": 2, "十九大精神": 1}
    missing = lexicon_missing(s, lexicon=pd.concat([lex, pd.DataFrame({"phrase": ["两学一做"], "category": ["party_building"]})]))
    assert list(missing.phrase) == ["两学一做"]


def test_lexicon_counts_are_substring_counts_whatever_the_tokeniser(corpus_dir):
    from analysis_utils import substring_counts

    s = load_speech(corpus_dir / "cpc20_report.txt")
    every = slogan_counts(s, kinds="lexicon", overlap="all")
    sub = substring_counts(s, every.slogan)
    assert dict(zip(every.slogan, every["count"])) == {t: c for t, c in zip(sub.term, sub["count"]) if c}


def test_lexicon_missing_on_the_seed(seed_speech):
    missing = lexicon_missing(seed_speech)
    assert "一带一路" in set(missing.phrase) and "四个意识" not in set(missing.phrase)
    assert "十九大" not in set(missing.phrase)  # it occurs inside 党的十九大
    assert list(missing.columns) == ["phrase", "category", "note"]


# ------------------------------------------------------------------------ parallel
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


# ------------------------------------------------------------------ tables, sections
def test_hits_carry_section_positions_and_context(seed_speech):
    hits = slogan_hits(seed_speech)
    assert list(hits.columns) == HIT_COLUMNS and set(hits.kind) == set(KINDS)
    row = hits[(hits.kind == "number") & (hits.slogan == "三新")].iloc[0]
    assert row.section == 1 and row.section_label.startswith("一、") and "【三新】" in row.context
    assert hits[(hits.kind == "number") & (hits.slogan == "五星支部")].section.tolist() == [2, 2]
    assert hits.start.is_monotonic_increasing


def test_slogan_counts_columns_and_order(seed_speech):
    c = slogan_counts(seed_speech, kinds=["number", "title"])
    assert list(c.columns) == COUNT_COLUMNS
    assert list(dict.fromkeys(c.kind)) == ["number", "title"]
    num = c[c.kind == "number"]
    assert list(num["count"]) == sorted(num["count"], reverse=True)
    row = num[num.slogan == "十件实事"].iloc[0]
    assert row["count"] == 2 and row.sections == [1, 2] and len(row.positions) == 2


def test_unknown_kind_is_a_speech_error(seed_speech):
    from analysis_utils import SpeechError

    with pytest.raises(SpeechError):
        slogan_counts(seed_speech, kinds=["numbers"])


def test_slogan_matrix_and_sections(seed_speech, corpus_dir):
    m = slogan_matrix([seed_speech, corpus_dir / "xi_2015_county_secretaries.txt"], kinds="number")
    assert list(m.columns[:4]) == ["slogan", "kind", "total", "speeches"]
    row = m[m.slogan == "三严三实"].iloc[0]
    assert row.total == 1 and row.speeches == 1 and row["xi_2015_county_secretaries"] == 1
    over = combine_hits(number_slogans(seed_speech), lexicon_hits(seed_speech))
    assert (over.slogan == "一征三议两公开").sum() == 1  # found by both, counted once
    by = slogans_by_section(seed_speech, over, top=5)
    assert set(by.columns) == {"slogan", "kind", "section", "label", "count"}
    assert by.groupby("slogan")["count"].sum().max() >= 2


def test_odd_text_never_crashes():
    s = composed("“”《》‘’「」一二三四五六七八九十两双百千万、，。；：！？" * 3)
    for k in KINDS:
        assert isinstance(slogan_counts(s, kinds=k), pd.DataFrame)


# ----------------------------------------------------------------------------- CLI
def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_cli_slogans_csv_and_json(seed_path):
    code, out, _ = run("slogans", seed_path, "--kind", "number", "--format", "csv")
    df = pd.read_csv(io.StringIO(out))
    assert code == 0 and list(df.columns[:3]) == ["slogan", "kind", "count"]
    assert dict(zip(df.slogan, df["count"])) == gold()[seed_path.name]
    code, out, _ = run("slogans", seed_path, "--kind", "parallel", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {"往…里走", "学出…", "树牢…的导向"} <= {r["slogan"] for r in rows}


def test_cli_slogans_folder_gives_a_slogan_by_speech_table(corpus_dir):
    code, out, _ = run("slogans", corpus_dir, "--kind", "number", "--format", "csv")
    df = pd.read_csv(io.StringIO(out))
    assert code == 0 and {"cpc20_report", "gwr_2022_crlf", "xi_2015_county_secretaries"} <= set(df.columns)
    assert df.set_index("slogan").loc["十四五", ["cpc20_report", "gwr_2022_crlf"]].tolist() == [1, 5]


def test_cli_slogans_missing(seed_path):
    code, out, _ = run("slogans", seed_path, "--missing", "--format", "csv")
    assert code == 0 and "一带一路" in out


@pytest.mark.parametrize("args", [("slogans", "no_such_file.txt"), ("slogans", "no_such_file.txt", "--kind", "title")])
def test_cli_slogans_bad_input_is_one_line_exit_2(args):
    code, out, err = run(*args)
    assert code == 2 and out == "" and err.count("\n") == 1 and "no_such_file.txt" in err


def test_cli_slogans_empty_folder(tmp_path):
    code, _, err = run("slogans", tmp_path)
    assert code == 2 and err.count("\n") == 1
