"""The explorer's widgets in a kernel-less process: clicks do what the browser test sees (issue 19)."""
from __future__ import annotations

import json
import warnings
import zipfile
from pathlib import Path

import pytest

from analysis_utils import load_speech, substring_counts
from analysis_utils.explorer import Explorer, section_text, slogan_table

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "00_explorer.ipynb"


@pytest.fixture()
def app(tokenizer, tmp_path):
    return Explorer(tokenizer=tokenizer, out_dir=tmp_path / "out")


def _count(speech, term):
    return int(substring_counts(speech, [term])["substring_count"].iloc[0])


def test_the_address_opens_a_speech_and_a_term(app, corpus_dir):
    path = corpus_dir / "gwr_2022_crlf.txt"
    app.start(query=f"speech={path}&term=%E5%B0%B1%E4%B8%9A")  # 就业
    speech = load_speech(path)
    assert app.opened.speech.body == speech.body
    assert f"就业：{_count(speech, '就业')} 处" in app.headline.value
    assert app.hits.value.count('class="h"') == _count(speech, "就业")
    assert app.tabs.selected_index == 1


def test_no_address_opens_the_seed_and_the_parameters_term(app):
    app.start(None, "基层", query="")
    assert app.opened.speech.id == "party_building_conference_speech"
    assert "基层：15 处" in app.headline.value


def test_clicks_on_a_formulation_a_top_term_and_a_part(app, corpus_dir):
    app.open_path(corpus_dir / "cpc20_report.txt")
    first = slogan_table(app.opened)["slogan"].iloc[0]
    app.slogans_grid.children[0].click()
    assert f"{first}：{_count(app.opened.speech, first)} 处" in app.headline.value
    top = app.opened.freq["term"].iloc[0]
    app.terms_grid.children[0].click()
    assert app.result.term == top and f"{top}：{_count(app.opened.speech, top)} 处" in app.headline.value
    node = app.opened.outline.sections[1]
    ids = [n.id for n in app.opened.outline.walk() if n.level <= 3]
    app.tree.children[ids.index(node.id)].click()
    assert app.part_text.value.startswith(section_text(app.opened, node.id)[:30])
    app.term_box.value = "高质量发展"  # Enter in the box
    assert app.result.term == "高质量发展" and len(app.timings) == 3
    assert "高质量发展_dispersion.png" in app.term_links.value and bytes(app.strip.value).startswith(b"\x89PNG")
    app.show_term("没有这个词语")  # no hit: no picture of the previous term left under its count
    assert "没有这个词语：0 处" in app.headline.value and bytes(app.strip.value) == b""


def test_a_bad_file_is_one_line_and_keeps_the_open_speech(app, tmp_path):
    app.start(None, None, query="")
    (tmp_path / "empty.txt").write_bytes(b"")
    assert not app.open_path(tmp_path / "empty.txt")
    assert "empty.txt" in app.status.value and "au-error" in app.status.value and "\n" not in app.status.value
    assert app.opened.speech.id == "party_building_conference_speech"
    assert not app.open_upload("讲话.doc", b"\xd0\xcf\x11\xe0")
    assert "讲话.doc: unsupported file type" in app.status.value and "still open" in app.status.value
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    assert not app.open_upload("photo.txt", png)
    assert "⚠ photo.txt: this is a PNG image" in app.status.value  # the upload's own name, not a temporary path
    assert app.show_term("   ") is None and "type a term" in app.headline.value


def test_an_upload_and_a_second_speech_to_compare(app, corpus_dir):
    source = corpus_dir / "xi_2015_county_secretaries.txt"
    assert app.open_upload("县委书记.txt", source.read_text(encoding="utf-8-sig").encode("gb18030"))
    assert app.opened.speech.body == load_speech(source).body
    app.show_term("干部")
    assert app.open_other(str(corpus_dir / "gwr_2022_crlf.txt"))
    assert app.tabs.selected_index == 5
    gwr = load_speech(corpus_dir / "gwr_2022_crlf.txt")
    assert f"<td>{_count(gwr, '干部')}</td>" in app.compare_out.value


def test_the_word_cloud_draws_with_the_chosen_scheme(app):
    app.start(None, None, query="")
    app.scheme.value, app.shape.value = "party", "circle"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "IProgress not found" or any other warning
        app.show_cloud()
    assert bytes(app.cloud_image.value).startswith(b"\x89PNG")
    assert "wordcloud_party_circle.png" in app.cloud_links.value and ".svg" in app.cloud_links.value


@pytest.mark.slow
def test_run_everything_offers_the_deck_and_a_zip(app):
    app.start(None, None, query="")
    folder = app.run_everything(selection=["01"])
    assert folder is not None and (folder / "01_outline_tree.png").exists()
    assert folder.parent == Path(app.out_box.value)  # written only where the user chose
    assert 'download="deck.pptx"' in app.run_out.value and ".zip" in app.run_out.value
    archive = next(Path(app._uploads.name).glob("*.zip"))
    assert "01_outline_tree.png" in zipfile.ZipFile(archive).namelist()


def test_the_notebook_only_builds_and_shows_the_app():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells = nb["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert "".join(cells[0]["source"]).startswith("# 00 ") and "voila notebooks/00_explorer.ipynb" in "".join(cells[0]["source"])
    tagged = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1 and 'r"C:' in "".join(tagged[0]["source"])
    for i, c in enumerate(cells):
        if c["cell_type"] == "code":
            assert cells[i - 1]["cell_type"] == "markdown"  # prose before every code cell
    source = "\n".join("".join(c["source"]) for c in code)
    assert "setup_notebook()" in source and "explorer(" in source and "def " not in source


@pytest.mark.slow
def test_the_notebook_runs_headless_with_papermill(tmp_path, corpus_dir):
    import papermill

    out = tmp_path / "explorer.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(out), cwd=str(ROOT / "notebooks"), kernel_name="python3",
                               progress_bar=False,
                               parameters={"speech_path": str(corpus_dir / "gwr_2022_crlf.txt"), "term": "就业"})
    text = out.read_text(encoding="utf-8")
    assert "IProgress" not in text and '"output_type": "error"' not in text and "Traceback" not in text


def test_the_comparison_tab_shows_what_changed(app, corpus_dir):
    """Issue 17 in the explorer: a second speech shows diff's summary (the same numbers as the
    package's ``diff``), the redline page to download and the page itself, above the side-by-side table."""
    import html as html_

    from analysis_utils import diff
    from analysis_utils.explorer import comparison_view

    app.start(None, None, query="")
    assert app.open_other(str(corpus_dir / "xi_2015_county_secretaries.txt"))
    shown = app.compare_out.value
    d = diff(app.opened.speech, app.other.speech)
    summary = d.summary_table()
    assert "改了什么 · What changed" in shown and 'download="06_redline.html"' in shown
    for value in summary.iloc[:, -1].astype(str).head(6):
        assert html_.escape(value) in shown, value
    assert shown.count("<iframe") == 1 and "srcdoc=" in shown
    assert shown == comparison_view(app.opened, app.other)


def test_a_term_lookup_does_not_compare_the_two_speeches_again(app, corpus_dir, monkeypatch):
    """The comparison tab is redrawn on every term lookup; diff (seconds on two reports) runs once per pair."""
    import analysis_utils.changes as changes

    calls = []
    real = changes.diff
    monkeypatch.setattr(changes, "diff", lambda old, new: calls.append(1) or real(old, new))
    app.start(None, None, query="")
    assert app.open_other(str(corpus_dir / "xi_2015_county_secretaries.txt"))
    first = app.compare_out.value
    app.show_term("人民")
    app.show_term("党建")
    assert len(calls) == 1
    assert app.compare_out.value.split("<table")[1] == first.split("<table")[1]  # the same summary

