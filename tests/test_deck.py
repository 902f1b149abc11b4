"""The slide deck: 16:9, a title slide, one captioned figure per slide, pictures inside the slide."""
from __future__ import annotations

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
