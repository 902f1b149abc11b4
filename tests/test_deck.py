"""The slide deck: 16:9, a title slide, one captioned figure per slide, pictures inside the slide."""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from pptx import Presentation
from pptx.util import Inches

from analysis_utils import SpeechError, save_fig, use_chinese_font
from analysis_utils.deck import build_deck, slide_title


def _figures(out, speech_id):
    use_chinese_font()
    for name, caption in [("01_outline_tree", "讲话结构 · Outline。两大部分，各五个小节。"), ("02_top_terms", None)]:
        fig, ax = plt.subplots(figsize=(13.33, 7.5))
        ax.barh(["组织", "干部"], [17, 21])
        save_fig(fig, speech_id, name, out_dir=out, caption=caption)
        plt.close(fig)


def test_deck_from_a_speech(tmp_path, seed_path, seed_speech):
    _figures(tmp_path, seed_speech.id)
    path = build_deck(seed_path, out_dir=tmp_path)
    prs = Presentation(path)
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    slides = list(prs.slides)
    assert len(slides) == 3
    texts = [[sh.text_frame.text for sh in s.shapes if sh.has_text_frame] for s in slides]
    assert "在党建工作会议上的讲话" in texts[0]
    assert texts[1][0] == "讲话结构 · Outline" and "两大部分" in texts[1][1]
    assert texts[2][0] == "02_top_terms"
    for s in slides[1:]:
        pic = [sh for sh in s.shapes if sh.shape_type == 13][0]
        assert pic.left >= 0 and pic.top >= 0
        assert pic.left + pic.width <= prs.slide_width and pic.top + pic.height <= prs.slide_height
        assert pic.width > Inches(8)


def test_deck_without_figures_says_what_to_do(tmp_path, seed_path):
    with pytest.raises(SpeechError, match="no figures here yet"):
        build_deck(seed_path, out_dir=tmp_path)


@pytest.mark.parametrize("caption,title", [("高频词 Top terms。条形越长越多。", "高频词 Top terms"), (None, "x"), ("", "x")])
def test_slide_title(caption, title):
    assert slide_title("x", caption) == title


def test_a_speech_named_dots_never_reads_or_writes_outside_the_figures_folder(tmp_path, seed_path):
    """`...txt` has the stem `..`: its figures were looked for, and the deck written, in the parent of --figures."""
    speech = tmp_path / "...txt"
    speech.write_bytes(seed_path.read_bytes())
    figs = tmp_path / "figs"
    figs.mkdir()
    _figures(tmp_path, "elsewhere")  # figures outside the figures folder …
    for png in (tmp_path / "elsewhere").glob("*.png"):
        png.rename(tmp_path / png.name)  # … right in its parent
    with pytest.raises(SpeechError, match="no figures here yet") as e:
        build_deck(speech, out_dir=figs)
    assert e.value.path == str(figs / "speech")
    assert not (tmp_path / "deck.pptx").exists()
    _figures(figs, "speech")
    assert build_deck(speech, out_dir=figs) == figs / "speech" / "deck.pptx"


def test_a_deck_never_shows_the_figures_of_another_file_with_the_same_name(tmp_path):
    """`run report.txt report.md` puts report.md's figures in report_md/; `deck report.md` found report.txt's."""
    from analysis_utils import load_speech
    from analysis_utils.runner import write_index

    txt, md = tmp_path / "report.txt", tmp_path / "report.md"
    txt.write_text("关于发展的讲话\n同志们：\n我们要发展。\n", encoding="utf-8")
    md.write_text("关于改革的讲话\n同志们：\n我们要改革。\n", encoding="utf-8")
    figs = tmp_path / "figs"
    _figures(figs, "report")
    write_index(load_speech(txt), figs)  # figs/report/ holds report.txt's figures
    with pytest.raises(SpeechError, match="holds the figures of report.txt, not of report.md"):
        build_deck(md, out_dir=figs)
    assert not (figs / "report" / "deck.pptx").exists()
    assert build_deck(txt, out_dir=figs) == figs / "report" / "deck.pptx"


def test_deck_from_a_row_of_a_table(tmp_path, corpus_dir):
    """`deck TABLE#id` makes the deck of that row's figures, titled by the row's speech."""
    import shutil

    from analysis_utils import load_speech

    table = tmp_path / "reports.jsonl"
    shutil.copy(corpus_dir / "wikisource" / "government_work_reports.jsonl", table)
    row = f"{table}#reports-00002"
    speech = load_speech(row)
    _figures(tmp_path / "figures", speech.id)
    prs = Presentation(build_deck(row, out_dir=tmp_path / "figures"))
    first = [sh.text_frame.text for sh in list(prs.slides)[0].shapes if sh.has_text_frame]
    assert speech.meta.title and speech.meta.title in first and len(prs.slides) == 3


# --- issue 16: a deck that tells the story ------------------------------------------------------

def _small_figures(out, speech_id, names, captions=None):
    """Real PNGs (saved by save_fig) with the given names, each captioned "<name> 的发现。细节。"."""
    use_chinese_font()
    for name in names:
        fig, ax = plt.subplots(figsize=(2, 1.2))
        ax.plot([0, 1], [0, 1])
        caption = (captions or {}).get(name, f"{name} 的发现。细节 detail。")
        save_fig(fig, speech_id, name, out_dir=out, caption=caption)
        plt.close(fig)


def _titles(prs):
    return [next((sh.text_frame.text for sh in s.shapes if sh.has_text_frame), "") for s in prs.slides]


#: the 26 figures a `run` of the seed makes
ALL_FIGURES = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "figures"
                                      / "party_building_conference_speech").glob("*.png"))


def test_the_story_order_comes_from_the_table_not_from_file_names(tmp_path, seed_path, seed_speech):
    """Before: 26 slides in file-name order (dispersion and keyness before the top terms), seven word
    clouds in a row, no divider. After: structure → terms → formulations → one cloud → comparison,
    at most 15 slides, then a divider and the rest."""
    from analysis_utils.deck import MAIN_SLIDES, story

    assert len(ALL_FIGURES) >= 20
    _small_figures(tmp_path, seed_speech.id, ALL_FIGURES)
    prs = Presentation(build_deck(seed_path, out_dir=tmp_path))
    titles = [t.split(" 的发现")[0] for t in _titles(prs)]
    divider = next(i for i, t in enumerate(titles) if t.startswith("附录"))
    main, rest = titles[1:divider], titles[divider + 1:]
    assert divider <= MAIN_SLIDES and len(main) + len(rest) == len(ALL_FIGURES)
    assert main == story(ALL_FIGURES)[0]
    assert main.index("01_outline_tree") < main.index("02_top_terms") < main.index("02_keyness") \
        < main.index("03_lexicon_formulations") < main.index("04_wordcloud")
    assert all(main.index(t) > main.index("04_wordcloud") for t in main if t.startswith("05_"))  # comparison last
    assert [t for t in main if "wordcloud" in t] == ["04_wordcloud"]
    assert sorted(rest) == sorted(set(ALL_FIGURES) - set(main))


def test_without_the_appendix_the_rest_is_left_out(tmp_path, seed_path, seed_speech):
    from analysis_utils.cli import main as cli

    _small_figures(tmp_path, seed_speech.id, ALL_FIGURES)
    out = tmp_path / "short.pptx"
    assert cli(["deck", str(seed_path), "--figures", str(tmp_path), "--out", str(out), "--no-appendix"]) in (0, None)
    titles = _titles(Presentation(out))
    assert len(titles) <= 15 and not any(t.startswith("附录") for t in titles)
    assert len(Presentation(build_deck(seed_path, out_dir=tmp_path, appendix=False)).slides) == len(titles)


def test_a_folder_of_comparisons_shows_every_comparison_figure(tmp_path):
    """A folder's deck (notebook 05 only): sizes, trends and similarity are findings there."""
    names = ["05_keyness", "05_similarity", "05_sizes", "05_slogan_heatmap", "05_term_trends"]
    _small_figures(tmp_path, "speeches", names)
    titles = _titles(Presentation(build_deck(tmp_path / "speeches")))
    assert [t.split(" 的发现")[0] for t in titles[1:]] == ["05_sizes", "05_term_trends", "05_slogan_heatmap",
                                                          "05_keyness", "05_similarity"]


def test_the_first_slide_holds_the_headline_numbers_of_this_speech(tmp_path, seed_path, seed_speech):
    """Length in 汉字, top-level parts, placeholders from the speech; top formulations from the CSV run wrote."""
    import pandas as pd

    from analysis_utils.outline import build_outline

    _small_figures(tmp_path, seed_speech.id, ["01_outline_tree"])
    d = tmp_path / seed_speech.id
    pd.DataFrame({"slogan": ["高质量发展", "新时代", "'=HYPERLINK(x)"], "kind": ["lexicon"] * 3,
                  "count": [4, 9, 2]}).to_csv(d / "03_lexicon_formulations.csv", index=False, encoding="utf-8-sig")
    first = " ".join(sh.text_frame.text for sh in Presentation(build_deck(seed_path, out_dir=tmp_path)).slides[0].shapes)
    assert f"{seed_speech.han_chars:,}" in first and "汉字" in first
    assert f"{len(build_outline(seed_speech).sections)}\n" in first.replace(" 个一级部分", "\n") or \
        f" {len(build_outline(seed_speech).sections)} " in f" {first} "
    assert f" {len(seed_speech.placeholders)} " in f" {first} " and "占位符" in first
    assert "新时代\u00a09\u00a0次 · 高质量发展\u00a04\u00a0次 · =HYPERLINK(x)\u00a02\u00a0次" in first
    pd.DataFrame({"slogan": ["共同富裕"], "kind": ["lexicon"], "count": [7]}).to_csv(
        d / "03_lexicon_formulations.csv", index=False, encoding="utf-8-sig")
    first = " ".join(sh.text_frame.text for sh in Presentation(build_deck(seed_path, out_dir=tmp_path)).slides[0].shapes)
    assert "共同富裕\u00a07\u00a0次" in first and "新时代" not in first


LONG = ("对比词云：左为「一、聚焦主业、担当作为，组织工作展现新气象」相对多用的词，右为「二、强基固本、激发活力，"
        "持续推动组织工作高质量发展」· Comparison cloud: terms used relatively more by each side")


def test_a_long_title_is_wrapped_between_words_never_cut(tmp_path, seed_path, seed_speech):
    """Before: 14 of 26 titles cut at 70 characters with "…", mid-word. After: the whole first
    sentence, in lines that break only between jieba's words (or at the ·); the caption box holds
    only the rest."""
    from analysis_utils.tokenizer import new_jieba

    _small_figures(tmp_path, seed_speech.id, ["02_top_terms"], {"02_top_terms": LONG + "。左右各 30 词。"})
    slide = Presentation(build_deck(seed_path, out_dir=tmp_path)).slides[1]
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    lines = texts[0].split("\v")
    assert len(lines) >= 2 and "…" not in texts[0]
    chinese, english = LONG.split("· ")
    assert "".join(lines).replace(" ", "") == (chinese + english).replace(" ", "")
    bounds, pos = {len(chinese)}, 0
    for w in new_jieba().lcut(chinese, HMM=False):
        pos += len(w)
        bounds.add(pos)
    ends = [len("".join(lines[:i + 1])) for i in range(len(lines))]
    assert [e for e in ends if e < len(chinese)] and all(e in bounds for e in ends if e <= len(chinese)), lines
    assert texts[1] == "左右各 30 词。"  # the caption adds only what the title does not say


@pytest.mark.parametrize("words", [["基本", "政治", "制度"], ["统一战线", "工作", "部门"], ["政治", "建设"]])
def test_wrap_never_splits_a_word(words):
    from analysis_utils.deck import wrap

    for width in range(2, 12):
        lines = wrap("".join(words), width)
        assert "".join(lines) == "".join(words)
        cut, pos = set(), 0
        for w in words:
            pos += len(w)
            cut.add(pos)
        ends = [sum(len(x) for x in lines[:i + 1]) for i in range(len(lines))]
        assert set(ends) <= cut, (width, lines)


def test_the_east_asian_font_is_written_in_the_schemas_order(tmp_path, seed_path, seed_speech):
    """PowerPoint "repairs" a file whose a:rPr children are out of order: fill, latin, ea, cs."""
    import zipfile

    from lxml import etree

    _small_figures(tmp_path, seed_speech.id, ["01_outline_tree"])
    order = ["ln", "noFill", "solidFill", "gradFill", "blipFill", "pattFill", "grpFill", "effectLst", "effectDag",
             "highlight", "uLnTx", "uLn", "uFillTx", "uFill", "latin", "ea", "cs", "sym", "hlinkClick",
             "hlinkMouseOver", "rtl", "extLst"]
    with zipfile.ZipFile(build_deck(seed_path, out_dir=tmp_path)) as z:
        slides = [n for n in z.namelist() if n.startswith("ppt/slides/slide")]
        seen = 0
        for n in slides:
            for rpr in etree.fromstring(z.read(n)).iter("{*}rPr"):
                kids = [etree.QName(k).localname for k in rpr]
                assert kids == sorted(kids, key=order.index), kids
                seen += "ea" in kids
    assert seen >= 5


# --- issue 16: chart text at least 14 pt on the slide; the figure's own title not repeated ---------

def chart_pt(shape, info) -> float:
    """The smallest chart text of a placed picture, in points on the slide: what save_fig recorded,
    scaled by the width the slide gives the part of the picture it shows."""
    shown_in = info["width_in"] * (1 - shape.crop_left - shape.crop_right)
    return info["min_text_pt"] * (shape.width / 914400) / shown_in


def _pictures(prs):
    return [(i, sh) for i, s in enumerate(prs.slides) for sh in s.shapes if sh.shape_type == 13]


def _slide_figures(out, speech_id, captions):
    """Figures as the notebooks make them: a 16:9 slide-sized figure, 16 pt labels, the bilingual title
    and the speech as subtitle (set_title), saved by save_fig."""
    from analysis_utils.plots.style import FIGSIZE, SMALL, set_title

    use_chinese_font()
    for name, caption in captions.items():
        fig, ax = plt.subplots(figsize=FIGSIZE)
        ax.barh(["组织", "干部", "党建", "基层"], [17, 21, 13, 12])
        ax.tick_params(labelsize=SMALL)
        set_title(ax, "高频词 前20", "top 20 terms", "在党建工作会议上的讲话")
        save_fig(fig, speech_id, name, out_dir=out, caption=caption)
        plt.close(fig)


def test_every_chart_is_placed_for_14_pt_text_without_its_own_title(tmp_path, seed_path, seed_speech):
    """Before: a 13.3 in figure with 16 pt labels was placed about 10 in wide (16 pt → 12 pt), under a
    slide title that its own title repeated. After: the figure's title band is cropped off (the slide
    title says it once) and the picture is as large as 14 pt text needs, whether the title takes one
    line or two and with a caption line under it."""
    from analysis_utils.deck import MIN_CHART_PT
    from analysis_utils.outputs import read_figure_info

    captions = {"02_top_terms": "高频词前20 · Top 20 terms。分词计数 token count。",
                "03_lexicon_formulations": LONG + "。提法计数 formulation count，颜色为类别 colour = category。",
                "02_dispersion": "分布 · Dispersion"}
    _slide_figures(tmp_path, seed_speech.id, captions)
    info = read_figure_info(tmp_path / seed_speech.id)
    prs = Presentation(build_deck(seed_path, out_dir=tmp_path))
    pictures = _pictures(prs)
    assert len(pictures) == 3
    for _, shape in pictures:
        name = Path(shape._element.nvPicPr.cNvPr.get("descr")).stem
        assert chart_pt(shape, info[name]) >= MIN_CHART_PT, (name, chart_pt(shape, info[name]))
        assert shape.crop_top == pytest.approx(info[name]["title_in"][1] / info[name]["height_in"], abs=1e-4)
        assert shape.crop_top > 0.05  # the figure's own two-line title is not shown under the slide title
        assert shape.left >= 0 and shape.left + shape.width <= prs.slide_width
        assert shape.top + shape.height <= prs.slide_height
        texts = [sh for sh in prs.slides[_].shapes if sh.has_text_frame]
        assert shape.top >= texts[0].top + texts[0].height  # under the title, over the caption
        assert all(shape.top + shape.height <= t.top for t in texts[1:])


def test_the_headline_formulations_name_their_count(tmp_path, seed_path, seed_speech):
    """Before: "主要提法 Top formulations：新时代 9 次" — which count? After: the count's name from
    the table's column (the counting contract's label), and only that count is ranked."""
    import pandas as pd

    _small_figures(tmp_path, seed_speech.id, ["01_outline_tree"])
    d = tmp_path / seed_speech.id
    pd.DataFrame({"slogan": ["新时代", "高质量发展"], "kind": ["lexicon"] * 2, "formulation_count": [10, 5],
                  "positions": [1, 2]}).to_csv(d / "03_lexicon_formulations.csv", index=False, encoding="utf-8-sig")
    first = " ".join(sh.text_frame.text for sh in Presentation(build_deck(seed_path, out_dir=tmp_path)).slides[0].shapes)
    assert "主要提法（提法计数） Top formulations (formulation count)" in first.replace("\v", "")
    assert "新时代\u00a010\u00a0次" in first and "高质量发展\u00a05\u00a0次" in first


def test_a_folder_of_several_years_shows_the_yearly_trends_in_the_story(tmp_path):
    """Before: the folder of 83 speeches had its one readable trend chart (rates pooled by year) alone
    behind an appendix divider. After: it follows the sizes, and no appendix is left."""
    names = ["05_keyness", "05_similarity", "05_sizes", "05_slogan_heatmap", "05_term_trends", "05_term_trends_by_year"]
    _small_figures(tmp_path, "speeches", names)
    titles = [t.split(" 的发现")[0] for t in _titles(Presentation(build_deck(tmp_path / "speeches")))]
    assert titles[1:] == ["05_sizes", "05_term_trends_by_year", "05_term_trends", "05_slogan_heatmap", "05_keyness",
                          "05_similarity"]


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b'{"02_top_terms": {"width_in": "wide", "height_in": null, '
                                     b'"min_text_pt": -3, "title_in": [1, "x"]}}', b"\xff\xfe\x00"])
def test_a_broken_figures_json_never_stops_the_deck(tmp_path, seed_path, seed_speech, content):
    """A hand-edited, truncated or older figures.json: the deck is made, each picture shown whole."""
    from analysis_utils.cli import main as cli

    _slide_figures(tmp_path, seed_speech.id, {"02_top_terms": "高频词 · Top terms"})
    (tmp_path / seed_speech.id / "figures.json").write_bytes(content)
    out = tmp_path / "d.pptx"
    assert cli(["deck", str(seed_path), "--figures", str(tmp_path), "--out", str(out)]) in (0, None)
    (_, shape), = _pictures(Presentation(out))
    assert (shape.crop_left, shape.crop_top, shape.crop_right, shape.crop_bottom) == (0, 0, 0, 0)
