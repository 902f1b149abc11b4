"""Download links hold the bytes the package writes to disk (issue 19)."""
from __future__ import annotations

import base64
import re

import matplotlib.pyplot as plt
import pandas as pd

from analysis_utils.explorer.downloads import csv_bytes, data_link, figure_bytes, figure_links, file_link, table_link
from analysis_utils.outputs import save_fig, save_table


def _payload(link: str) -> tuple[str, bytes]:
    m = re.search(r'download="([^"]+)" href="data:[^;]+(?:;charset=utf-8)?;base64,([^"]+)"', link)
    assert m, link
    return m.group(1), base64.b64decode(m.group(2))


def test_a_table_link_is_the_csv_save_table_writes(tmp_path):
    df = pd.DataFrame({"term": ["=HYPERLINK(1)", "改革", "-稳"], "substring_count": [1, 51, -1]})
    name, data = _payload(table_link(df, "cpc20 kwic"))
    assert name == "cpc20_kwic.csv"
    assert data == csv_bytes(df) == save_table(df, "s", "t", out_dir=tmp_path).read_bytes()


def test_figure_links_are_the_files_save_fig_writes(tmp_path):
    fig, ax = plt.subplots()
    ax.bar(["改革", "发展"], [51, 239])
    links = figure_links(fig, "top_terms")
    png, svg = save_fig(fig, "s", "f", out_dir=tmp_path)
    (n1, d1), (n2, d2) = [_payload(part) for part in links.split("</a> ")]
    assert (n1, n2) == ("top_terms.png", "top_terms.svg")
    assert d1 == figure_bytes(fig, "png") == png.read_bytes() and d1.startswith(b"\x89PNG")
    assert d2.startswith(b"<?xml") and b"<svg" in d2 and svg.read_bytes().startswith(b"<?xml")
    plt.close(fig)


def test_a_file_link_and_a_name_that_would_leave_the_folder(tmp_path):
    f = tmp_path / "deck.pptx"
    f.write_bytes(b"PK\x03\x04deck")
    name, data = _payload(file_link(f, "幻灯片 · deck"))
    assert (name, data) == ("deck.pptx", b"PK\x03\x04deck")
    name, _ = _payload(data_link(b"x", '../"evil<>.csv', "x"))
    assert "/" not in name and '"' not in name and "<" not in name and name.endswith(".csv")
