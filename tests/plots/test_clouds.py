"""Word clouds: drawn from the term table, deterministic, upright Chinese, shapes, schemes, errors."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageDraw

from analysis_utils import (
    SCHEMES,
    SpeechError,
    comparison_terms,
    load_speech,
    save_wordcloud,
    slogan_terms,
    speech_from_text,
    textplot_comparison_cloud,
    textplot_wordcloud,
)
from analysis_utils.outputs import read_captions
from analysis_utils.plots.cloudlayout import cloud_font, glyphs

from .helpers import cloud_terms

SMALL = dict(width=960, height=540)  # half size: same layout rules, faster tests
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def seed_cloud(cloud_freq):
    return textplot_wordcloud(cloud_freq, source="seed")


def _ink(img: Image.Image, background=(255, 255, 255)) -> np.ndarray:
    """True where a pixel differs from the background."""
    a = np.asarray(img.convert("RGB")).astype(int)
    return np.abs(a - np.array(background)).sum(axis=2) > 30


def test_same_input_gives_byte_identical_png_and_svg(cloud_freq, tmp_path):
    blobs = []
    for run in range(2):
        cloud = textplot_wordcloud(cloud_freq, scheme="party", vertical=True, random_state=7, **SMALL)
        paths = save_wordcloud(cloud, "测试讲话", "04_wordcloud", out_dir=tmp_path / str(run))
        blobs.append([p.read_bytes() for p in paths])
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert blobs[0] == blobs[1]
    assert blobs[0][0][:8] == b"\x89PNG\r\n\x1a\n"
    assert b"tIME" not in blobs[0][0] and b"Software" not in blobs[0][0]  # no stamps that vary


def test_another_random_state_gives_another_picture(cloud_freq):
    a = textplot_wordcloud(cloud_freq, random_state=1, **SMALL).to_png()
    b = textplot_wordcloud(cloud_freq, random_state=2, **SMALL).to_png()
    assert a != b


def test_default_is_a_16_9_slide_at_least_full_hd(seed_cloud):
    img = seed_cloud.to_image()
    assert img.size == (1920, 1080)
    assert seed_cloud.to_image(scale=2).size == (3840, 2160)


@pytest.mark.slow
@pytest.mark.parametrize("name", [None, "cpc20_report.txt", "gwr_2022_crlf.txt"])
def test_cloud_words_are_the_top_terms_of_term_frequency(name, tokenizer, seed_path, corpus_dir):
    speech = load_speech(seed_path if name is None else corpus_dir / name)
    freq = cloud_terms(tokenizer, speech)
    cloud = textplot_wordcloud(freq, top_n=80, source=speech.id)
    words = cloud.words
    assert cloud.dropped == ()
    assert words["term"].tolist() == freq["term"].head(80).tolist()
    assert words["token_count"].tolist() == freq["token_count"].head(80).tolist()
    # the biggest word of the cloud is the top term of the bar chart
    assert words.loc[words["font_size"].idxmax(), "term"] == freq["term"].iloc[0]
    # sizes are true to counts: no word is drawn clearly smaller than a less frequent one
    sizes = words["font_size"].tolist()
    for i, size in enumerate(sizes[:-1]):
        assert size >= 0.8 * max(sizes[i + 1:]) - 1, (words["term"][i], size, max(sizes[i + 1:]))
    assert words["font_size"].nunique() > 5


def test_formulations_stay_whole_and_no_stopwords(seed_cloud, cloud_freq):
    from analysis_utils import load_stopwords

    terms = set(seed_cloud.words["term"])
    assert "新时代" in terms and "高质量发展" in terms          # lexicon formulations, whole
    assert not terms & load_stopwords()                          # no filler words
    assert not {"新时", "高质量", "质量发展"} & terms
    assert not {"酷乐文行", "会员", "订阅"} & terms                # advertising removed by the loader


@pytest.mark.parametrize("text", [
    "同志们：今天开会。",
    "加强党建工作，推进基层治理。",
    "",
])
def test_a_speech_too_short_for_a_cloud_is_a_clear_error(text, tokenizer):
    speech = speech_from_text(text or "好。", path="short.txt")
    freq = cloud_terms(tokenizer, speech)
    with pytest.raises(SpeechError, match=r"short\.txt: too short for a word cloud: \d+ distinct term"):
        textplot_wordcloud(freq, source=speech.path)


@pytest.mark.parametrize("content, problem", [
    (b"this is not an image at all", "not a readable image"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a readable image"),  # a truncated PNG
])
def test_a_mask_that_is_not_an_image_is_a_one_line_error_naming_the_file(cloud_freq, tmp_path, content, problem):
    bad = tmp_path / "剪影.png"
    bad.write_bytes(content)
    with pytest.raises(SpeechError) as e:
        textplot_wordcloud(cloud_freq, mask_path=bad, **SMALL)
    msg = str(e.value)
    assert str(bad) in msg and problem in msg and "\n" not in msg


def test_missing_and_all_white_masks_are_errors(cloud_freq, tmp_path):
    with pytest.raises(SpeechError, match="no such mask image"):
        textplot_wordcloud(cloud_freq, mask_path=tmp_path / "missing.png", **SMALL)
    white = tmp_path / "white.png"
    Image.new("RGB", (200, 100), "white").save(white)
    with pytest.raises(SpeechError, match="all white"):
        textplot_wordcloud(cloud_freq, mask_path=white, **SMALL)


@pytest.mark.parametrize("kwargs, pattern", [
    (dict(scheme="rainbow"), r"unknown colour scheme 'rainbow': choose one of default, party, party_light, category"),
    (dict(shape="star"), r"unknown shape 'star': choose one of rectangle, circle"),
    (dict(vertical=2), r"vertical must be True/False or a share between 0 and 1"),
    (dict(top_n=0), r"top_n must be a positive whole number"),
])
def test_unknown_knobs_are_clear_errors(cloud_freq, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        textplot_wordcloud(cloud_freq, **SMALL, **kwargs)


def test_a_table_without_term_and_count_is_an_error():
    with pytest.raises(ValueError, match="columns term and token_count"):
        textplot_wordcloud(pd.DataFrame({"word": ["党建"], "n": [3]}))


def test_vertical_words_are_upright_columns_of_stacked_characters(cloud_freq):
    cloud = textplot_wordcloud(cloud_freq, vertical=1.0, top_n=30, **SMALL)
    words = cloud.words
    vert = words[words["vertical"]]
    assert len(vert) >= 20  # nearly all (a word that does not fit upright may lie flat)
    # a column one em wide and one em per character high
    assert (vert["width"] == vert["font_size"]).all()
    assert (vert["height"] == vert["font_size"] * vert["term"].str.len()).all()
    # raster: each em cell of the column holds its character drawn upright
    img = cloud.to_image().convert("L")
    font = cloud_font(cloud.font_path)
    r = vert.sort_values("font_size").iloc[-1]
    size = int(r.font_size)
    for i, ch in enumerate(r.term):
        cell = np.asarray(img.crop((r.left, r.top + i * size, r.left + size, r.top + (i + 1) * size))) < 128
        ref = Image.new("L", (size, size), 255)
        _, _, [(c, x, y)] = glyphs(font, ch, size, False)
        ImageDraw.Draw(ref).text((x + (size - font.advance(ch) * size) / 2, y), ch, font=font.pil(size), anchor="ls", fill=0)
        upright = np.asarray(ref) < 128
        turned = np.rot90(upright, -1)  # the same character lying on its side
        same = (cell & upright).sum() / max(1, (cell | upright).sum())
        side = (cell & turned).sum() / max(1, (cell | turned).sum())
        assert same > 0.8 and same > side + 0.2, (r.term, ch, same, side)


def test_horizontal_by_default(seed_cloud):
    assert not seed_cloud.words["vertical"].any()
    w = seed_cloud.words
    assert (w["height"] == w["font_size"]).all()


@pytest.mark.slow
def test_circle_has_no_ink_outside_the_circle(cloud_freq):
    cloud = textplot_wordcloud(cloud_freq, shape="circle")
    ink = _ink(cloud.to_image())
    h, w = ink.shape
    yy, xx = np.mgrid[0:h, 0:w]
    outside = np.hypot(xx + 0.5 - w / 2, yy + 0.5 - h / 2) > min(w, h) / 2 + 1
    assert ink.sum() > 10_000
    assert not (ink & outside).any()
    assert len(cloud.words) == 100 and cloud.shape == "circle"


def test_a_silhouette_mask_is_filled_and_its_white_left_empty(cloud_freq, tmp_path):
    # a dark triangle on white, as a JPG (lossy: near-white counts as white)
    mask = Image.new("RGB", (800, 450), "white")
    ImageDraw.Draw(mask).polygon([(0, 450), (800, 450), (800, 0)], fill="black")
    path = tmp_path / "triangle.jpg"
    mask.save(path, quality=80)
    cloud = textplot_wordcloud(cloud_freq, mask_path=path, top_n=60, **SMALL)
    ink = _ink(cloud.to_image())
    h, w = ink.shape
    yy, xx = np.mgrid[0:h, 0:w]
    above = yy < (h - xx * h / w) - 6  # well inside the white half
    assert cloud.shape == "mask" and len(cloud.words) == 60
    assert ink.sum() > 5_000 and not (ink & above).any()


def test_a_transparent_png_silhouette_uses_its_alpha(cloud_freq, tmp_path):
    mask = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(mask).rectangle([200, 0, 399, 399], fill=(200, 30, 30, 255))  # right half opaque
    path = tmp_path / "half.png"
    mask.save(path)
    cloud = textplot_wordcloud(cloud_freq, mask_path=path, top_n=40, **SMALL)
    assert (cloud.words["left"] >= 480 - 2).all()


def test_category_scheme_colours_formulations_apart_with_a_legend(cloud_freq):
    cloud = textplot_wordcloud(cloud_freq, scheme="category", **SMALL)
    w = cloud.words
    sch = SCHEMES["category"]
    form = set(cloud_freq.loc[cloud_freq["origin"].isin(["lexicon", "slogan"]), "term"])
    assert (w["group"] == "formulation").sum() >= 2
    for r in w.itertuples():
        assert r.colour == (sch.formulation if r.term in form else sch.other)
    svg = cloud.to_svg()
    assert 'aria-label="提法 formulations"' in svg and 'aria-label="其他词语 other terms"' in svg


def test_category_scheme_needs_an_origin_column(cloud_freq):
    with pytest.raises(ValueError, match="with_origin"):
        textplot_wordcloud(cloud_freq.drop(columns=["origin", "category"]), scheme="category", **SMALL)


def test_slogan_cloud_has_only_formulations_whole(cloud_freq):
    sl = slogan_terms(cloud_freq)
    assert set(sl["origin"]) <= {"lexicon", "slogan"}
    assert {"不忘初心", "牢记使命", "一征三议两公开", "新时代"} <= set(sl["term"])
    cloud = textplot_wordcloud(sl, min_terms=3, **SMALL)
    assert cloud.words["term"].tolist() == sl["term"].head(len(cloud.words)).tolist()
    assert "习近平新时代中国特色社会主义思想" in set(cloud.words["term"])


def test_comparison_cloud_places_each_speech_in_its_half(tokenizer, seed_speech, corpus_dir):
    gwr = load_speech(corpus_dir / "gwr_2022_crlf.txt")
    fa, fb = cloud_terms(tokenizer, seed_speech), cloud_terms(tokenizer, gwr)
    cloud = textplot_comparison_cloud(fa, fb, names=("党建讲话", "政府工作报告"), top_n=80, **SMALL)
    w = cloud.words
    table = comparison_terms(fa, fb, top_n=80)
    assert set(w["term"]) == set(table["term"]) and cloud.dropped == ()
    side = dict(zip(table["term"], table["side"]))
    mid = SMALL["width"] / 2
    for r in w.itertuples():
        if side[r.term] == "a":
            assert r.left + r.width <= mid and r.group == "党建讲话"
        else:
            assert r.left >= mid and r.group == "政府工作报告"
    assert {"党建", "干部"} <= set(w.loc[w["group"] == "党建讲话", "term"])
    assert {"发展", "经济"} <= set(w.loc[w["group"] == "政府工作报告", "term"])
    svg = cloud.to_svg()
    assert 'aria-label="党建讲话"' in svg and 'aria-label="政府工作报告"' in svg


def test_svg_is_valid_names_the_font_and_holds_every_word(seed_cloud):
    svg = seed_cloud.to_svg()
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.get("font-family") == seed_cloud.font_family and "CJK" in seed_cloud.font_family
    assert (root.get("width"), root.get("height")) == ("1920", "1080")
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "word"]
    assert [g.find(f"{SVG}title").text for g in groups] == seed_cloud.words["term"].tolist()
    # every character is an outline defined once (no font needed to show it)
    glyphs = {p.get("id") for p in root.iter(f"{SVG}path")}
    used = {u.get("{http://www.w3.org/1999/xlink}href")[1:] for u in root.iter(f"{SVG}use")}
    chars = {f"u{ord(c):x}" for t in seed_cloud.words["term"] for c in t}
    assert chars <= glyphs and used <= glyphs


def test_save_records_the_caption(seed_cloud, tmp_path):
    paths = save_wordcloud(seed_cloud, "seed", "04_wordcloud", caption="词云 Word cloud", out_dir=tmp_path)
    assert [p.name for p in paths] == ["04_wordcloud.png", "04_wordcloud.svg"]
    assert read_captions(tmp_path / "seed")["04_wordcloud"] == "词云 Word cloud"
    assert Image.open(paths[0]).size == (1920, 1080)
    assert not list((tmp_path / "seed").glob(".*"))  # no temporary files left


@pytest.mark.slow
def test_cli_cloud_writes_png_and_svg_and_reports_bad_masks(seed_path, tmp_path, capsys):
    from analysis_utils.cli import main

    assert main(["cloud", str(seed_path), "--scheme", "party", "--shape", "circle", "--out-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out.split()
    assert [p.rsplit("/", 1)[-1] for p in out] == ["04_wordcloud_party_circle.png", "04_wordcloud_party_circle.svg"]
    bad = tmp_path / "mask.png"
    bad.write_text("not an image", encoding="utf-8")
    assert main(["cloud", str(seed_path), "--mask", str(bad), "--out-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "mask.png" in err and "Traceback" not in err


def test_svg_stays_valid_with_quotes_and_markup_in_labels():
    a = pd.DataFrame({"term": [f"词{i}甲" for i in range(12)], "token_count": range(12, 0, -1)})
    b = pd.DataFrame({"term": [f"词{i}乙" for i in range(12)], "token_count": range(1, 13)})
    cloud = textplot_comparison_cloud(a, b, names=('say "hi" & <b>', "乙"), **SMALL)
    root = ET.fromstring(cloud.to_svg().encode("utf-8"))
    labels = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "label"]
    assert labels == ['say "hi" & <b>', "乙"]


def test_the_category_legend_is_at_least_small_on_a_slide(cloud_freq):
    """The legend of a full-HD cloud is SMALL (16 pt) on a 7.5 in slide, 14 pt once the deck
    places it: 32 of 1080 pixels (before: 26 px, 13 pt on the slide)."""
    from analysis_utils.plots.clouds import _Label
    from analysis_utils.plots.style import FIGSIZE
    from analysis_utils.plots.style import SMALL as SMALL_PT

    cloud = textplot_wordcloud(cloud_freq, scheme="category")
    labels = [d for d in cloud.decorations if isinstance(d, _Label)]
    assert len(labels) == 2
    assert all(d.size * FIGSIZE[1] * 72 / cloud.height >= SMALL_PT - 0.5 for d in labels), [d.size for d in labels]
