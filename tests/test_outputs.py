"""Saving outputs: figures as PNG and SVG, deterministic and atomic; tables as Excel-friendly CSV."""
from __future__ import annotations

import matplotlib.pyplot as plt

from analysis_utils import save_fig, save_table, use_chinese_font


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
