"""Saving outputs: figures as PNG and SVG, deterministic and atomic; tables as Excel-friendly CSV; the bound
saver ``Outputs`` writes exactly what ``save_fig``/``save_table``/``save_wordcloud`` write; nothing lands outside
the output folder, no CSV cell is a formula, no index text is markup, no lock stalls."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis_utils import (
    Outputs,
    SpeechError,
    join_list_columns,
    load_speech,
    parallel_structures,
    save_fig,
    save_table,
    use_chinese_font,
)
from analysis_utils.outputs import atomic_write, figure_dir, read_captions, record_caption
from analysis_utils.runner import write_index

ROOT = Path(__file__).resolve().parents[1]


def _figure():
    use_chinese_font()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.barh(["组织", "干部"], [17, 21])
    return fig


def test_show_saves_what_fig_saves_then_shows_the_saved_png_and_closes_the_figure(tmp_path, monkeypatch):
    """Issue 20: a notebook drew each figure again for the screen (``plt.show()``) after saving it; ``out.show``
    shows the PNG file it saved, at the size the screen draws a figure, and closes the figure."""
    import IPython
    import IPython.display

    shown = []
    fig = _figure()
    saved = Outputs("seed", tmp_path / "a").fig(fig, "02_top_terms", caption="高频词 Top terms")
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())  # as in a notebook
    monkeypatch.setattr(IPython.display, "display", shown.append)
    assert Outputs("seed", tmp_path / "b").show(fig, "02_top_terms", caption="高频词 Top terms") is None
    assert not plt.fignum_exists(fig.number)  # closed: the notebook's end of cell draws it no more
    again = [tmp_path / "b" / "seed" / p.name for p in saved]
    assert [p.read_bytes() for p in saved] == [p.read_bytes() for p in again]
    for name in ("captions.json", "figures.json"):
        assert (tmp_path / "a" / "seed" / name).read_bytes() == (tmp_path / "b" / "seed" / name).read_bytes()
    [image] = shown
    assert image.data == again[0].read_bytes()  # the saved file itself, not a new drawing
    width = int.from_bytes(image.data[16:20], "big")
    assert image.width == round(width * plt.rcParams["figure.dpi"] / 200)


def test_show_outside_ipython_saves_and_closes(tmp_path):
    fig = _figure()
    Outputs("seed", tmp_path).show(fig, "02_top_terms")
    assert not plt.fignum_exists(fig.number)
    assert Outputs("seed", tmp_path).names("*.png") == ["02_top_terms.png"]


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
    assert out.names() == ["02_term_frequency.csv", "02_top_terms.png", "02_top_terms.svg", "captions.json",
                           "figures.json"]  # issue 16: each figure's size and smallest text
    assert (a / "seed" / "figures.json").read_bytes() == (b / "seed" / "figures.json").read_bytes()
    assert out.names("*.png") == ["02_top_terms.png"]


_WRITE_ALL = """
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from analysis_utils import save_fig, save_table
out = sys.argv[1]
fig, ax = plt.subplots()
save_fig(fig, "seed", "02_top_terms", caption="高频词", out_dir=out)
save_table(pd.DataFrame({"term": ["组织"]}), "seed", "02_term_frequency", out_dir=out)
"""


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_files_get_the_mode_of_the_users_umask(tmp_path, mask, mode):
    # before: every file was 0600 (mkstemp's), whatever the umask: colleagues could not read them
    done = subprocess.run([sys.executable, "-c", _WRITE_ALL, str(tmp_path)], capture_output=True, text=True,
                          umask=mask, timeout=120)
    assert done.returncode == 0, done.stderr
    files = sorted((tmp_path / "seed").iterdir())
    assert [p.name for p in files] == ["02_term_frequency.csv", "02_top_terms.png", "02_top_terms.svg", "captions.json",
                                      "figures.json"]  # issue 16: each figure's size and smallest text
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in files} == {p.name: oct(mode) for p in files}


def test_atomic_write_steps_over_a_temporary_file_left_behind_and_never_touches_it(tmp_path, monkeypatch):
    # the temporary name is the pid and a counter: a leftover of a killed process with the same pid is skipped
    import itertools

    from analysis_utils import outputs

    monkeypatch.setattr(outputs, "_TEMPS", itertools.count())
    stale = tmp_path / "sub" / f".a.csv.{os.getpid()}-0.csv"
    stale.parent.mkdir()
    stale.write_text("someone else's", encoding="utf-8")
    atomic_write(tmp_path / "sub" / "a.csv", lambda tmp: tmp.write_text("新", encoding="utf-8"))
    assert (tmp_path / "sub" / "a.csv").read_text(encoding="utf-8") == "新"
    assert stale.read_text(encoding="utf-8") == "someone else's"
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == [stale.name, "a.csv"]
    atomic_write(tmp_path / "new" / "deeper" / "b.txt", lambda tmp: tmp.write_bytes(b"x"))  # folders made
    assert (tmp_path / "new" / "deeper" / "b.txt").read_bytes() == b"x"


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


# ------------------------------------------------------------- safety (issue 13)
FILES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FILES
@given(st.text(max_size=40))
@example("..")
@example(".")
@example("../../x")
@example("/etc")
@example("a\\..\\b")
@example("\x1b[31m")
def test_any_id_writes_inside_the_output_folder(tmp_path, speech_id):
    root = tmp_path / "out"
    path = save_table(pd.DataFrame({"term": ["组织"]}), speech_id, "t", out_dir=root)
    assert path.is_file() and path.resolve().parent.parent == root.resolve()
    assert path.parent.name and not path.parent.name.startswith(".")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("name", ["../x", "../../x", "/tmp/x", "sub/../../x"])
def test_a_figure_name_that_leaves_the_folder_is_refused(tmp_path, name):
    out = Outputs("seed", tmp_path / "out")
    fig = _figure()
    with pytest.raises(SpeechError, match="outside the output folder"):
        out.fig(fig, name)
    with pytest.raises(SpeechError, match="outside the output folder"):
        out.table(pd.DataFrame({"a": [1]}), name)
    plt.close(fig)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["out", "out/seed"]


# text as it reaches a table (no control characters: a bare CR inside a cell is another matter), and
# every start a spreadsheet runs as a formula, the tab included
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
FORMULA = st.sampled_from(["=", "+", "-", "@", "\t"])
CELLS = st.one_of(TEXT, st.tuples(FORMULA, TEXT).map("".join),
                  st.sampled_from(["=cmd|' /C calc'!A0", '+HYPERLINK("http://x","点击")', "@SUM(1+1)", "-2+3", "稳就业"]))


@FILES
@given(st.lists(st.tuples(CELLS, st.floats(allow_nan=False, allow_infinity=False, width=32)), min_size=1, max_size=8),
       st.sampled_from(["term", "=1+1", "@x"]))
def test_no_text_cell_of_a_saved_csv_is_a_formula_and_numbers_stay_numbers(tmp_path, rows, header):
    df = pd.DataFrame(rows, columns=[header, "per_10k"])
    path = save_table(df, "seed", "t", out_dir=tmp_path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        read = list(csv.reader(fh))
    assert read[0] == [("'" + header) if header[0] in "=@" else header, "per_10k"]
    assert len(read) == len(rows) + 1
    for (text, number), (cell, written) in zip(rows, read[1:]):
        assert cell == ("'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text)
        assert float(written) == pytest.approx(number)
    assert df.equals(pd.DataFrame(rows, columns=[header, "per_10k"]))  # the caller's table is left as it was


def test_csv_safe_keeps_numbers_and_other_columns():
    from analysis_utils.outputs import csv_safe

    df = pd.DataFrame({"term": ["-发展", "改革", "\rx", "\tx"], "count": [-3, 4, 0, 1], "rate": [-1.5, 0.0, 1.0, 2.0]})
    safe = csv_safe(df)
    assert safe["term"].tolist() == ["'-发展", "改革", "'\rx", "'\tx"] and safe["count"].tolist() == [-3, 4, 0, 1]
    assert safe["rate"].tolist() == [-1.5, 0.0, 1.0, 2.0] and safe.dtypes.tolist() == df.dtypes.tolist()


def _dead_pid() -> int:
    p = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(p.stdout)


@pytest.mark.parametrize("content", ["dead", "", "garbage"])
def test_a_lock_left_by_a_dead_process_is_broken_at_once(tmp_path, content):
    lock = tmp_path / "captions.json.lock"
    lock.write_text(str(_dead_pid()) if content == "dead" else content)
    old = time.time() - 60
    os.utime(lock, (old, old))
    t0 = time.monotonic()
    record_caption(tmp_path, "02_top_terms", "高频词")
    assert time.monotonic() - t0 < 5
    assert read_captions(tmp_path) == {"02_top_terms": "高频词"} and not lock.exists()


def test_a_lock_of_a_running_process_is_respected(tmp_path):
    from analysis_utils.outputs import _locked

    lock = tmp_path / "captions.json.lock"
    lock.write_text(str(os.getpid()))
    old = time.time() - 60
    os.utime(lock, (old, old))
    t0 = time.monotonic()
    with _locked(tmp_path / "captions.json", timeout=1.0):
        assert lock.read_text() == str(os.getpid())
    assert time.monotonic() - t0 >= 1.0


def test_a_write_that_cannot_happen_names_the_path(tmp_path):
    in_the_way = tmp_path / "a_file"
    in_the_way.write_text("x")
    with pytest.raises(SpeechError, match="a file is in the way") as e:
        atomic_write(in_the_way / "sub" / "x.png", lambda tmp: tmp.write_bytes(b""))
    assert e.value.path == str(in_the_way / "sub" / "x.png")
    with pytest.raises(SpeechError, match="is a folder"):
        atomic_write(tmp_path, lambda tmp: tmp.write_bytes(b""))
    with pytest.raises(SpeechError, match="a file is in the way"):
        figure_dir("seed", in_the_way)
    assert in_the_way.read_text() == "x"


def test_the_index_escapes_what_comes_from_the_speech(tmp_path):
    speech_file = tmp_path / "evil [1].txt"
    title = "在&lt;script&gt;alert(1)&lt;/script&gt;会议上的*讲话*"  # the loader decodes &lt;
    speech_file.write_text(f"{title}\n同志们：\n我们要加强组织建设。\n", encoding="utf-8")
    speech = load_speech(speech_file)
    assert "<script>" in (speech.meta.title or "")  # the title really carries the markup
    d = figure_dir(speech.id, tmp_path / "out")
    fig = _figure()
    Outputs(speech.id, tmp_path / "out").fig(fig, "02_top_terms", caption="<script>alert(1)</script> ![x](http://t/x.png)")
    plt.close(fig)
    index = write_index(speech, tmp_path / "out").read_text(encoding="utf-8")
    assert "<script" not in index and "![x](http" not in index and "&lt;script&gt;alert(1)&lt;/script&gt; !\\[x\\]" in index
    assert "# 在&lt;script&gt;alert(1)&lt;/script&gt;会议上的\\*讲话\\*\n" in index
    assert "- 文件 File: evil \\[1\\].txt" in index and d.name in str(d)


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
@pytest.mark.parametrize("path, ignored", [
    ("figures/my_own_speech/02_top_terms.png", True),     # a user's own speech: never committed by accident
    ("figures/2024_报告/index.md", True),
    ("figures/party_building_conference_speech/02_top_terms.png", False),  # the seed's example outputs are
    ("figures/party_building_conference_speech/notebooks/01_structure_mapping.ipynb", True),
])
def test_only_the_seeds_example_outputs_are_tracked(path, ignored):
    done = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT, capture_output=True)
    assert done.returncode == (0 if ignored else 1), done.stderr


# --- issue 16: chart text at least 14 pt on the slide: what a saved figure records -----------------

def test_save_fig_records_the_saved_size_the_smallest_drawn_text_and_the_title_band(tmp_path):
    """Before: nothing said how large a figure's text is, so no slide could place it for 14 pt.
    After: figures.json holds the saved picture's size (its pixels / dpi), the smallest text drawn
    (an annotation at 9 pt here; the tick labels of a hidden axes are not drawn, so not counted)
    and the band at the top that holds only the figure's title, which the deck crops away."""
    import json

    from PIL import Image

    from analysis_utils.outputs import FIGURES_FILE, prune_captions, read_figure_info
    from analysis_utils.plots.style import TITLE_SIZE

    use_chinese_font()
    fig, (ax, hidden) = plt.subplots(1, 2, figsize=(10, 5))
    ax.barh(["组织", "干部"], [17, 21])
    ax.tick_params(labelsize=15)
    ax.set_title("高频词 · Top terms\n在党建工作会议上的讲话", fontsize=TITLE_SIZE, loc="left")
    ax.text(5, 0, "注 note", fontsize=9)
    hidden.axis("off")  # its tick labels exist (findobj finds them) but are never drawn
    hidden.tick_params(labelsize=6)
    png = save_fig(fig, "seed", "02_top_terms", caption="高频词。", out_dir=tmp_path)[0]
    plt.close(fig)
    info = read_figure_info(tmp_path / "seed")["02_top_terms"]
    with Image.open(png) as im:
        w, h = im.size
        top = im.convert("L").crop((0, 0, w, round(info["title_in"][1] * 200)))
        below = im.convert("L").crop((0, round(info["title_in"][1] * 200), w, h))
    assert abs(info["width_in"] * 200 - w) <= 2 and abs(info["height_in"] * 200 - h) <= 2
    assert info["min_text_pt"] == 9 and info["min_text"] == "注 note"
    assert 0.6 < info["title_in"][1] < 1.2 and info["title_in"][3] == 0  # two title lines at 20 pt, plus the pad
    assert top.getextrema()[0] < 128 and below.getextrema()[0] < 128  # the title is in the band, the chart below it
    # the band ends below the title and above the chart: its last rows are white (no text cut through)
    assert top.crop((0, top.size[1] - 3, w, top.size[1])).getextrema()[0] > 200
    # an entry goes when its figure goes, like its caption
    png.unlink()
    png.with_suffix(".svg").unlink()
    prune_captions(tmp_path / "seed")
    assert json.loads((tmp_path / "seed" / FIGURES_FILE).read_text(encoding="utf-8")) == {}


def test_a_title_with_other_text_beside_it_gets_no_band(tmp_path):
    """A legend set at the title's height: cutting the title off would cut the legend: nothing is cut."""
    from analysis_utils.outputs import figure_info
    from analysis_utils.plots.style import TITLE_SIZE

    use_chinese_font()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.barh(["组织", "干部"], [17, 21], label="分词计数")
    ax.set_title("高频词 · Top terms", fontsize=TITLE_SIZE, loc="left")
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0))
    info = figure_info(fig)
    plt.close(fig)
    assert info["title_in"] == [0.0, 0.0, 0.0, 0.0] and info["min_text_pt"] == 10


def test_figure_info_measures_every_drawn_text_without_drawing_a_pixel(tmp_path, monkeypatch):
    """Before (issue 20): ``figure_info`` drew the whole figure on the screen's canvas to note the size
    of each text, then ``savefig`` drew it again for the PNG and the SVG. After: the figure is laid out
    and every text noted as a draw does, nothing drawn; what it records is what a full draw shows (the
    plain path: every text the Agg canvas draws, noted there), and saving afterwards writes the same bytes."""
    from matplotlib.backends.backend_agg import RendererAgg

    from analysis_utils.outputs import figure_info
    from analysis_utils.plots.style import TITLE_SIZE

    def figure():
        use_chinese_font()
        fig, (ax, hidden) = plt.subplots(1, 2, figsize=(10, 5))
        ax.barh(["组织", "干部"], [17, 21])
        ax.set_title("高频词 · Top terms\n在党建工作会议上的讲话", fontsize=TITLE_SIZE, loc="left")
        ax.text(5, 0, "注 note", fontsize=9)
        ax.legend(["计数"], loc="lower right", fontsize=11)
        hidden.axis("off")
        hidden.tick_params(labelsize=6)
        return fig

    drawn: list[tuple[float, str]] = []
    real_text, real_path = RendererAgg.draw_text, RendererAgg.draw_path

    def draw_text(self, gc, x, y, s, prop, *args, **kwargs):
        if str(s).strip():
            drawn.append((prop.get_size_in_points(), str(s).strip()))
        return real_text(self, gc, x, y, s, prop, *args, **kwargs)

    def draw_path(self, *args, **kwargs):
        drawn.append((0.0, "a shape"))
        return real_path(self, *args, **kwargs)

    monkeypatch.setattr(RendererAgg, "draw_text", draw_text)
    monkeypatch.setattr(RendererAgg, "draw_path", draw_path)
    fig = figure()
    info = figure_info(fig)
    assert drawn == []  # nothing drawn
    fig.canvas.draw()  # the plain path: a full draw
    texts = [d for d in drawn if d[1] != "a shape"]
    assert (info["min_text_pt"], info["min_text"]) == min(texts, key=lambda x: x[0]) == (9.0, "注 note")
    assert figure_info(fig) == info  # the same after the figure was drawn
    plt.close(fig)
    monkeypatch.undo()
    files = []
    for measured in (True, False):
        fig = figure()
        if measured:
            figure_info(fig)
        files.append([p.read_bytes() for p in save_fig(fig, "seed", f"f{measured}", out_dir=tmp_path, formats=("png", "svg"))])
        plt.close(fig)
    assert files[0] == files[1]
