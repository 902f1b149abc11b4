"""Saving outputs: figures as PNG and SVG, deterministic and atomic; tables as Excel-friendly CSV; the bound
saver ``Outputs`` writes exactly what ``save_fig``/``save_table``/``save_wordcloud`` write."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis_utils import Outputs, join_list_columns, parallel_structures, save_fig, save_table, use_chinese_font
from analysis_utils.outputs import read_captions


def _figure():
    use_chinese_font()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.barh(["组织", "干部"], [17, 21])
    return fig


def test_fig_and_table_write_the_same_bytes_as_the_functions(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    df = pd.DataFrame({"term": ["组织", "干部"], "count": [17, 21]})
    fig = _figure()
    by_function = save_fig(fig, "seed", "02_top_terms", caption="高频词 Top terms", out_dir=a)
    by_function.append(save_table(df, "seed", "02_term_frequency", out_dir=a))
    out = Outputs("seed", b)
    bound = out.fig(fig, "02_top_terms", caption="高频词 Top terms") + [out.table(df, "02_term_frequency")]
    plt.close(fig)
    assert [p.relative_to(a) for p in by_function] == [p.relative_to(b) for p in bound]
    assert [p.read_bytes() for p in by_function] == [p.read_bytes() for p in bound]
    assert (a / "seed" / "captions.json").read_bytes() == (b / "seed" / "captions.json").read_bytes()
    assert out.dir == b / "seed"
    assert out.names() == ["02_term_frequency.csv", "02_top_terms.png", "02_top_terms.svg", "captions.json"]
    assert out.names("*.png") == ["02_top_terms.png"]


def test_cloud_goes_through_save_wordcloud(tmp_path, seed_speech, tokenizer):
    from analysis_utils import save_wordcloud, term_frequency, textplot_wordcloud

    freq = term_frequency(tokenizer.tokens(seed_speech), speech=seed_speech)
    cloud = textplot_wordcloud(freq, top_n=30, source=seed_speech.id)
    by_function = save_wordcloud(cloud, seed_speech.id, "04_wordcloud", caption="词云", out_dir=tmp_path / "a")
    bound = Outputs(seed_speech.id, tmp_path / "b").cloud(cloud, "04_wordcloud", caption="词云")
    assert [p.name for p in bound] == ["04_wordcloud.png", "04_wordcloud.svg"]
    assert [p.read_bytes() for p in by_function] == [p.read_bytes() for p in bound]
    assert read_captions(tmp_path / "b" / seed_speech.id) == {"04_wordcloud": "词云"}


def test_join_list_columns_writes_the_parallel_structures_csv_as_before(tmp_path, seed_speech):
    par = parallel_structures(seed_speech, min_items=3)
    assert len(par)  # the seed has parallel structures: the check below compares real rows
    before = par.assign(varying=par["varying"].str.join(" / "), items=par["items"].str.join(" / "),
                        positions=par["positions"].apply(lambda p: ";".join(map(str, p))))
    after = join_list_columns(par, {"varying": " / ", "items": " / ", "positions": ";"})
    a = save_table(before, "s", "before", out_dir=tmp_path)
    b = save_table(after, "s", "after", out_dir=tmp_path)
    assert a.read_bytes() == b.read_bytes()
    assert isinstance(par["positions"].iloc[0], list)  # the input is left as it was


def test_join_list_columns_on_an_empty_table():
    df = pd.DataFrame({"slogan": [], "sections": []})
    assert join_list_columns(df, {"sections": ";"}).columns.tolist() == ["slogan", "sections"]


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
