"""Chinese fonts and figure saving: characters render, output is deterministic and atomic."""
from __future__ import annotations

import warnings

import matplotlib.pyplot as plt

from analysis_utils import find_cjk_font, save_fig, save_table, use_chinese_font


def test_a_cjk_font_is_found_and_has_chinese_glyphs():
    from matplotlib.ft2font import FT2Font

    path = find_cjk_font()
    font = FT2Font(str(path))
    for ch in "习近平新时代中国特色社会主义思想一征三议两公开（）“”《》":
        assert font.get_char_index(ord(ch)) != 0, ch


def test_chinese_renders_without_missing_glyph_warnings():
    use_chinese_font()
    fig, ax = plt.subplots()
    ax.set_title("四个意识 · 两个维护 − 三会一课")
    ax.barh(["一征三议两公开", "双推双评三全程"], [2, -1])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    assert not [w for w in caught if "missing from font" in str(w.message) or "Glyph" in str(w.message)]
    plt.close(fig)


def test_save_fig_is_deterministic_and_writes_png_and_svg(tmp_path):
    use_chinese_font()
    blobs = []
    for _ in range(2):
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.bar(["组织", "干部"], [3, 2])
        paths = save_fig(fig, "测试讲话", "02_top_terms", out_dir=tmp_path)
        plt.close(fig)
        blobs.append([p.read_bytes() for p in paths])
    assert [p.name for p in paths] == ["02_top_terms.png", "02_top_terms.svg"]
    assert paths[0].parent == tmp_path / "测试讲话"
    assert blobs[0] == blobs[1]
    assert b"matplotlib" not in blobs[0][0].lower()  # no software stamp in the PNG
    assert not list(paths[0].parent.glob(".*"))  # no temporary files left behind


def test_save_table_writes_excel_friendly_csv(tmp_path):
    import pandas as pd

    p = save_table(pd.DataFrame({"term": ["组织"], "count": [3]}), "s", "t", out_dir=tmp_path)
    data = p.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "组织".encode() in data
