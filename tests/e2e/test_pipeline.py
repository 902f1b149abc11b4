"""End to end: `run` executes every notebook on the seed and on a real corpus speech, headless.

This is the README's main job; CI runs it through this test. It takes a minute or two, so it is
marked slow (``pytest -m "not slow"`` leaves it out of the quick local loop).
"""
from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest

from analysis_utils.cli import main
from analysis_utils.deck import build_deck
from analysis_utils.outputs import read_captions

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # every test here shares the run of all notebooks on two speeches

EXPECTED = ["01_outline_tree", "01_section_sizes", "02_top_terms", "02_keyness", "02_section_heatmap",
            "03_number_slogans", "03_slogans_by_section", "04_wordcloud", "04_wordcloud_vertical",
            "05_term_trends"]  # one speech's parts: no sizes (01 has them), similarity from 3 parts, keyness when significant


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, seed_path, corpus_dir):
    out = tmp_path_factory.mktemp("figures")
    inputs = tmp_path_factory.mktemp("input folder")
    gwr = inputs / "gwr_2022_crlf.txt"
    shutil.copy(corpus_dir / "gwr_2022_crlf.txt", gwr)  # a temporary copy, outside the project
    (inputs / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    before = sorted(p.name for p in inputs.iterdir())
    code = main(["run", str(seed_path), str(gwr), str(inputs / "broken.txt"), "--out", str(out), "--quiet"])
    return code, out, inputs, before


def test_every_notebook_ran_on_both_speeches_and_the_bad_file_was_reported(pipeline):
    code, out, inputs, before = pipeline
    assert code == 2  # everything ran, one input was bad
    for sid in ("party_building_conference_speech", "gwr_2022_crlf"):
        d = out / sid
        executed = sorted(p.name[:2] for p in (d / "notebooks").glob("*.ipynb"))
        assert executed == ["01", "02", "03", "04", "05"], sid
        for name in EXPECTED:
            assert (d / f"{name}.png").stat().st_size > 10_000, (sid, name)
            assert (d / f"{name}.svg").is_file(), (sid, name)
        # no figure without a caption, and the index lists every figure
        pngs = {p.stem for p in d.glob("*.png")}
        assert pngs <= set(read_captions(d)), pngs - set(read_captions(d))
        index = (d / "index.md").read_text(encoding="utf-8")
        assert all(f"({p}.png)" in index for p in pngs)
        assert list(d.glob("*.csv")) and (d / "02_term_frequency.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert sorted(p.name for p in inputs.iterdir()) == before  # nothing written into the input folder


def test_the_numbers_agree_across_outputs(pipeline):
    _, out, _, _ = pipeline
    import pandas as pd

    d = out / "gwr_2022_crlf"
    freq = pd.read_csv(d / "02_term_frequency.csv", encoding="utf-8-sig")
    cloud = pd.read_csv(d / "04_wordcloud_terms.csv", encoding="utf-8-sig")
    from analysis_utils.stats import OFFICIAL_VERBS

    # the cloud leaves out the official verbs by default (issue 15); the frequency table keeps them
    freq = freq[~freq["term"].isin(OFFICIAL_VERBS)]
    top = freq.sort_values(["token_count", "term"], ascending=[False, True]).head(len(cloud))
    assert cloud["term"].tolist()[:10] == top["term"].tolist()[:10]
    assert cloud["token_count"].tolist()[:10] == top["token_count"].tolist()[:10]
    outline = pd.read_csv(out / "party_building_conference_speech" / "01_outline.csv", encoding="utf-8-sig")
    assert (outline["level"] == 1).sum() >= 2


def test_source_notebooks_stay_output_free(pipeline):
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        assert not any(c.get("outputs") for c in cells if c["cell_type"] == "code"), nb.name


def test_deck_from_the_pipeline(pipeline, seed_path, tmp_path):
    from pptx import Presentation

    _, out, _, _ = pipeline
    deck = build_deck(seed_path, out_dir=out, out=tmp_path / "seed.pptx")
    prs = Presentation(deck)
    n_png = len(list((out / "party_building_conference_speech").glob("*.png")))
    assert len(prs.slides) == n_png + 2  # the first slide, every figure, the appendix's divider (issue 16)


@pytest.mark.parametrize("text", [
    "同志们：今天开会。\n",                                  # one sentence
    "在会上的讲话\n我们要团结奋斗。大家一起努力！\n",          # a title and two sentences
    "讲话\n今天开会。\n",                                     # two parts, one without a counted word
])
def test_a_tiny_speech_runs_through_notebooks_01_and_05(tmp_path, text):
    """They stopped with ZeroDivisionError (01: the outline figure of a speech without sections) and
    SpeechError (05: keyness of a single part)."""
    speech = tmp_path / "tiny.txt"
    speech.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["run", str(speech), "--out", str(out), "--notebooks", "01", "05", "--quiet"])
    assert code == 0
    d = out / "tiny"
    assert sorted(p.name[:2] for p in (d / "notebooks").glob("*.ipynb")) == ["01", "05"]
    assert (d / "01_outline_tree.png").is_file() and (d / "05_units.csv").is_file()
    assert "05_units.csv" in (d / "index.md").read_text(encoding="utf-8")


def _printed(notebook: Path) -> str:
    """Everything an executed notebook printed."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "".join("".join(o.get("text", "")) for c in cells for o in c.get("outputs", []) if o.get("name") == "stdout")


def _one_line(src: Path, start: str | None = None) -> str:
    """A speech the way a scraped page has it: every line stripped, all joined into one (from the line ``start``)."""
    lines = [line.strip() for line in src.read_text(encoding="utf-8-sig").splitlines()]
    return "".join(lines[lines.index(start):] if start else lines)


@pytest.mark.parametrize("make, parts_note", [
    ("a flattened corpus speech", "cut at sentence ends"),
    ("one line of 300 characters", "cut at sentence ends"),
    ("one sentence of 300 characters", "too short to compare"),
])
def test_run_completes_every_notebook_on_a_text_without_paragraph_breaks(tmp_path, corpus_dir, seed_path, make,
                                                                        parts_note):
    """Issue 14: notebook 04 stopped on such a text (its comparison cloud cut the text at paragraph breaks: 'a
    single paragraph', or a first half of salutation only, 'too short for a word cloud'), and notebook 05
    compared one part, 第1部分 part 1/1, with nothing. Now the parts are cut at sentence ends and say so; a text
    too short to compare gets one printed line and the notebook goes on."""
    if make == "a flattened corpus speech":
        text = _one_line(corpus_dir / "xi_speeches_2013_2016" / "001_2013-03-22.txt")
    else:
        text = _one_line(seed_path, "在党建工作会议上的讲话")[30:330]
        if make == "one sentence of 300 characters":
            text = text.replace("。", "，").replace("：", "，")
    speech = tmp_path / "flat.txt"
    speech.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(speech), "--out", str(out), "--quiet"]) == 0
    d = out / "flat"
    assert sorted(p.name[:2] for p in (d / "notebooks").glob("*.ipynb")) == ["01", "02", "03", "04", "05"]
    compared = make != "one sentence of 300 characters"
    for name in [*EXPECTED, *(["04_wordcloud_compare", "05_similarity"] if compared else [])]:
        assert (d / f"{name}.png").stat().st_size > 10_000, name
    if compared:  # keyness of the last part: its chart when something differs significantly, else one line
        printed = _printed(d / "notebooks" / "05_compare_speeches.ipynb")
        assert (d / "05_keyness.png").is_file() or "nothing differs significantly" in printed
    assert parts_note in _printed(d / "notebooks" / "05_compare_speeches.ipynb")
    units = (d / "05_units.csv").read_text(encoding="utf-8-sig")
    if compared:
        assert units.count("（按句切分）") == 3 and "part 1/1" not in units
        terms = (d / "04_wordcloud_compare_terms.csv").read_text(encoding="utf-8-sig")
        assert "side" in terms and len(terms.splitlines()) > 20
    else:
        assert not (d / "04_wordcloud_compare.png").exists()
        assert "no comparison cloud" in _printed(d / "notebooks" / "04_word_cloud.ipynb")
    pngs = {p.stem for p in d.glob("*.png")}
    assert pngs <= set(read_captions(d))


def test_every_link_of_the_report_pages_works(pipeline):
    """index.html and index.md of a real run: every href/src and Markdown link reaches a file beside them."""
    from analysis_utils.report import broken_links, links_of

    _, out, _, _ = pipeline
    for sid in ("party_building_conference_speech", "gwr_2022_crlf"):
        for page in (out / sid / "index.html", out / sid / "index.md"):
            assert len(links_of(page)) > 40 and not broken_links(page), (page, broken_links(page))
        text = (out / sid / "index.html").read_text(encoding="utf-8")
        assert 'href="notebooks/01_structure_mapping.ipynb"' in text and 'src="05_term_trends.png"' in text


def _readable_outputs(notebook: Path) -> list[str]:
    """What a reader would trip over in an executed notebook: a red stderr box, an error, a table of more
    than 15 rows, an offsets column, a count shown as 12.0, a line naming a CSV that is not there."""
    import re

    from analysis_utils.notebook import OFFSET_COLUMNS, ROWS

    found = []
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for i, out in ((i, o) for i, c in enumerate(cells) for o in c.get("outputs", [])):
        where = f"{notebook.parent.parent.name}/{notebook.name} cell {i}"
        if out.get("name") == "stderr" or out["output_type"] == "error":
            found.append(f"{where}: {out.get('name') or out.get('ename')}")
        html = "".join(out.get("data", {}).get("text/html", ""))
        if "<table" in html:
            body = html.split("<tbody>", 1)[-1]
            heads = {h.split(" · ")[-1].strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", html)}
            if body.count("<tr") > ROWS or heads & set(OFFSET_COLUMNS):
                found.append(f"{where}: {body.count('<tr')} rows, columns {sorted(heads)}")
            found += [f"{where}: {c}" for c in re.findall(r"<td[^>]*>\s*(-?\d+\.0)\s*</td>", body)]
        for named in re.findall(r"full table: ([^<\n]+)", html):
            if not (Path(named) if Path(named).is_absolute() else ROOT / named).is_file():
                found.append(f"{where}: no {named}")
    return found


def test_the_executed_notebooks_show_the_saved_figures_not_a_second_drawing(pipeline):
    """Issue 20: every figure was drawn once more for the screen after it was saved (``plt.show()``); the
    notebooks show the saved PNG itself, one picture per figure saved."""
    _, out, _, _ = pipeline
    for sid in ("party_building_conference_speech", "gwr_2022_crlf"):
        d = out / sid
        for nb in sorted((d / "notebooks").glob("0[1235]_*.ipynb")):
            cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
            shown = [base64.b64decode("".join(o["data"]["image/png"])) for c in cells for o in c.get("outputs", [])
                     if "image/png" in o.get("data", {})]
            saved = sorted(p.read_bytes() for p in d.glob(f"{nb.name[:2]}_*.png"))
            assert sorted(shown) == saved, (sid, nb.name, len(shown), len(saved))


def test_the_executed_notebooks_show_readable_tables_and_no_red_boxes(pipeline):
    """Issue 16: notebook 01 showed all 26 outline rows with start/end offsets and checks with 250.0; notebook 02
    twenty terms; notebook 03 forty missing entries; none said where the full CSV was."""
    _, out, _, _ = pipeline
    executed = sorted(out.glob("*/notebooks/*.ipynb"))
    assert len(executed) >= 10  # notebooks 01–05 on two speeches (and any notebook added later)
    assert [problem for nb in executed for problem in _readable_outputs(nb)] == []
    shown = "".join(p.read_text(encoding="utf-8") for p in executed)
    assert shown.count("full table: ") >= 30 and "显示前 15 行" in shown


def test_a_folder_s_comparison_shows_a_summary_of_its_formulations_not_a_column_per_speech(tmp_path, corpus_dir):
    """Notebook 05 on eight speeches showed its formulation table with a column per speech (12 columns);
    now the two speeches that use each formulation most, with their rates."""
    import papermill as pm

    from analysis_utils import config

    folder = tmp_path / "folder"
    folder.mkdir()
    for p in sorted((corpus_dir / "xi_speeches_2013_2016").glob("*.txt"))[:6]:
        shutil.copy(p, folder / p.name)
    executed = tmp_path / "out" / "folder" / "notebooks" / "05_compare_speeches.ipynb"
    executed.parent.mkdir(parents=True)
    pm.execute_notebook(str(config.NOTEBOOKS_DIR / "05_compare_speeches.ipynb"), str(executed),
                        parameters={"speech_path": str(folder), "out_dir": str(tmp_path / "out")},
                        cwd=str(config.NOTEBOOKS_DIR), kernel_name="python3", progress_bar=False)
    assert _readable_outputs(executed) == []
    text = executed.read_text(encoding="utf-8")
    assert "最高 · highest（每万字 per_10k）" in text and "共 6 行" in text
