"""What the notebooks call first (notebook.py): one way to read ``speech_path``, for a speech or a comparison."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis_utils import SEED_SPEECH, SpeechError, open_comparison, open_speech
from analysis_utils.notebook import ROWS, csv_path, input_path, table_view
from analysis_utils.stats.compare import comparison


def test_none_and_empty_mean_the_seed():
    assert input_path(None) == input_path("") == SEED_SPEECH
    assert open_speech(None).id == "party_building_conference_speech"


def test_a_relative_path_is_read_from_the_project_root_wherever_jupyter_started(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert open_speech("seeds/party_building_conference_speech.txt").id == "party_building_conference_speech"
    assert open_comparison("seeds/party_building_conference_speech.txt").id == "party_building_conference_speech"


@pytest.mark.parametrize("opener", [open_speech, open_comparison])
@pytest.mark.parametrize("value,problem", [(42, "must be a file path"), ("/no/such/speech.txt", "no such file")])
def test_a_bad_value_is_one_speech_error(opener, value, problem):
    with pytest.raises(SpeechError, match=problem):
        opener(value)


def test_open_comparison_of_the_seed_is_its_parts():
    cmp = open_comparison()
    assert cmp.mode == "parts" and cmp.id == "party_building_conference_speech"
    assert cmp.units == comparison(SEED_SPEECH).units and cmp.labels == comparison(SEED_SPEECH).labels


def test_open_comparison_of_a_folder_is_its_speeches(tmp_path, corpus_dir):
    for name in ("gwr_2022_crlf.txt", "xi_2015_county_secretaries.txt"):
        shutil.copy(corpus_dir / name, tmp_path / name)
    (tmp_path / "broken.txt").write_bytes(b"")
    cmp = open_comparison(tmp_path)
    assert cmp.mode == "speeches" and cmp.id == tmp_path.name and len(cmp.units) == 2
    assert len(cmp.failed) == 1 and "broken.txt" in cmp.failed[0]


def test_parts_note_says_how_one_speech_was_cut(tmp_path, corpus_dir):
    """Notebook 05 prints it: parts cut at sentence ends (a text without paragraph breaks), or a
    text too short to compare; nothing for the seed's headings or for a folder."""
    from analysis_utils.notebook import parts_note

    lines = (corpus_dir / "xi_speeches_2013_2016" / "001_2013-03-22.txt").read_text(encoding="utf-8-sig").splitlines()
    flat = tmp_path / "flat.txt"
    flat.write_text("".join(line.strip() for line in lines), encoding="utf-8")
    cmp = open_comparison(flat)
    assert len(cmp.units) == 3 and all(label.endswith("（按句切分）") for label in cmp.labels)
    assert parts_note(cmp) == ("这篇讲话没有可用的分段，3 个部分在句末切开 · no paragraph breaks to cut at: "
                               "the 3 parts are cut at sentence ends")
    one = tmp_path / "one.txt"
    one.write_text("同志们，今天开会，大家辛苦了", encoding="utf-8")
    assert parts_note(open_comparison(one)) == "文字太短，无从比较：只有一个部分 · too short to compare: a single part"
    assert parts_note(open_comparison()) is None
    shutil.copy(flat, tmp_path / "folder.txt")
    assert parts_note(open_comparison(tmp_path)) is None


def _execute(tmp_path, cells: list[str]) -> list:
    """The outputs of a notebook of ``cells`` run by a real kernel (nbclient)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    return [o for c in nb.cells for o in c.outputs]


@pytest.mark.slow
def test_tqdm_in_a_notebook_is_a_widget_bar_not_a_red_box(tmp_path):
    pytest.importorskip("ipywidgets", reason="ipywidgets (requirements.txt) is not installed")
    outputs = _execute(tmp_path, ["from analysis_utils import setup_notebook\nsetup_notebook();",
                                  "from tqdm.auto import tqdm\nsum(tqdm(range(3)))"])
    assert not [o for o in outputs if o.get("name") == "stderr" or o.output_type == "error"], outputs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


@pytest.mark.slow
def test_a_notebook_after_setup_shows_no_red_stderr_boxes(tmp_path):
    # before: a warning (here the era of the reference, as notebook 05 raises it on a folder)
    # showed as a red stderr box with a file path and a line of source
    outputs = _execute(tmp_path, [
        "from analysis_utils import setup_notebook\nsetup_notebook();",
        "import warnings\nfrom analysis_utils.stats.keywords import ReferenceYearsWarning\n"
        "warnings.warn('the reference is from 2013, not 2012', ReferenceYearsWarning)"])
    assert not [o for o in outputs if o.get("name") == "stderr" or o.output_type == "error"], outputs
    assert "注意 note: the reference is from 2013, not 2012\n" in [o.get("text") for o in outputs]


# --- show_table: every table a notebook shows, as a person reads it (issue 16) ---------------------

OFFSET_NAMES = {"start", "end", "body_pos"}
FLOAT_COUNT = re.compile(r"-?\d+\.0")  # 12.0 (a rate 0.00 has two decimals)


def _on_disk(line: str) -> Path:
    """The file the line under a table names (relative to the project, or to the current folder)."""
    from analysis_utils import config

    named = Path(line.rsplit("full table: ", 1)[1])
    return named if named.is_absolute() else next(p for p in (config.PROJECT_ROOT / named, Path.cwd() / named)
                                                   if p.exists())


def _readable(view, df: pd.DataFrame, csv: Path, rows: int = ROWS) -> None:
    """What every shown table keeps to: the row cap, the line naming the CSV, no offsets, no 12.0."""
    assert len(view.cells) == min(rows, len(df))
    assert f"共 {len(df)} 行" in view.note and _on_disk(view.note).samefile(csv)
    assert not {h.split(" · ")[-1] for h in view.cells.columns} & OFFSET_NAMES
    assert all(isinstance(c, str) and not FLOAT_COUNT.fullmatch(c) for c in view.cells.to_numpy().ravel())


@pytest.fixture(scope="module")
def seed_tables(seed_speech, tokenizer, tmp_path_factory):
    """Real tables of the seed, saved as the notebooks save them (outline, checks, placeholders, terms, slogans)."""
    from analysis_utils import Outputs, build_outline, lexicon_hits, slogan_counts, term_frequency

    out = Outputs(seed_speech.id, tmp_path_factory.mktemp("figures"))
    outline = build_outline(seed_speech)
    tables = {"01_outline": outline.table(), "01_checks": outline.checks_table(),
              "01_placeholders": outline.placeholder_table(),
              "02_term_frequency": term_frequency(tokenizer.tokens(seed_speech), speech=seed_speech),
              "03_lexicon_formulations": slogan_counts(lexicon_hits(seed_speech), kinds="lexicon")}
    return {name: (df, out.table(df, name)) for name, df in tables.items()}


def test_a_shown_table_of_a_real_run_is_capped_and_names_its_csv(seed_tables):
    """Before: notebook 01 showed all 26 outline rows with start/end offsets, 33 placeholder rows, checks with
    ``250.0`` and ``2.0``, notebook 02 twenty term rows, and no line saying where the full table was."""
    for name, (df, csv) in seed_tables.items():
        view = table_view(df, csv=csv)
        _readable(view, df, csv)
        assert ("显示前 15 行" in view.note) == (len(df) > ROWS), name
    checks, csv = seed_tables["01_checks"]
    assert checks["start"].dtype == float  # the CSV keeps its columns as they are …
    view = table_view(checks, csv=csv, columns=["check", "kind", "message", "node", "expected", "found"], width=None)
    assert "2" in view.cells["实有 · found"].tolist()  # … the reader sees 2, not 2.0
    freq, csv = seed_tables["02_term_frequency"]
    shown = table_view(freq, csv=csv).cells
    assert shown["占比 · share"].iloc[0] == "2.6%" and shown["每万字 · per_10k"].iloc[0] == "89.05"


def test_long_position_lists_are_summarised_as_the_slogans_command_does(seed_tables):
    from analysis_utils.text import position_summary

    counts, csv = seed_tables["03_lexicon_formulations"]
    view = table_view(counts, csv=csv)
    cells = view.cells["位置 · positions"].tolist()
    assert cells == [position_summary(list(p)) for p in counts["positions"].head(ROWS)]
    long = [c for c, p in zip(cells, counts["positions"]) if len(p) > 3]
    assert long and all(re.fullmatch(r"\d+ 处: \d+, \d+, \d+ …", c) for c in long)


def test_the_csv_line_is_a_path_a_person_opens(tmp_path, monkeypatch):
    from analysis_utils import config

    assert csv_path(config.FIGURES_DIR / "x" / "02_kwic.csv") == "figures/x/02_kwic.csv"
    assert csv_path(tmp_path / "x.csv") == str(tmp_path / "x.csv")
    monkeypatch.chdir(tmp_path)
    assert csv_path(tmp_path / "out" / "x.csv") == "out/x.csv"


def test_an_empty_table_is_one_line_and_tables_of_one_page_do_not_share_styles(tmp_path):
    """Before the fix a table without rows (no 《》 titles in the 2022 GWR) stopped notebook 03."""
    csv = tmp_path / "03_titles.csv"
    csv.write_text("slogan\n", encoding="utf-8")
    empty = table_view(pd.DataFrame({"slogan": [], "positions": []}), csv=csv)
    assert "<table" not in empty._repr_html_() and empty.note.startswith("没有 · none；")
    a = table_view(pd.DataFrame({"term": ["改革"], "left": ["深化"]}), right=["left"])._repr_html_()
    b = table_view(pd.DataFrame({"term": ["开放"], "left": ["扩大"]}))._repr_html_()
    ids = re.compile(r'<table id="([^"]+)"')
    assert ids.search(a).group(1) != ids.search(b).group(1)  # one table's CSS never aligns another's cells


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(counts=st.lists(st.one_of(st.integers(0, 10_000).map(float), st.just(float("nan"))), min_size=0, max_size=40),
       rows=st.integers(1, 20))
def test_any_saved_table_is_shown_capped_without_offsets_or_float_counts(tmp_path, counts, rows):
    from analysis_utils import Outputs

    df = pd.DataFrame({"term": [f"词{i}" for i in range(len(counts))], "start": range(len(counts)),
                       "end": range(1, len(counts) + 1), "found": counts,
                       "per_10k": [c / 3.0 for c in counts], "positions": [list(range(i % 6)) for i in range(len(counts))]})
    csv = Outputs("t", tmp_path).table(df, "01_checks")
    before = csv.read_bytes()
    view = table_view(df, csv=csv, rows=rows)
    if len(df):
        _readable(view, df, csv, rows)
        assert all(re.fullmatch(r"\d+(\.\d\d)?", c) for c in view.cells.get("每万字 · per_10k", []) if c)
    else:
        assert view.note.startswith("没有 · none") and _on_disk(view.note).samefile(csv)
    assert csv.read_bytes() == before


def test_a_windows_path_pasted_without_r_says_so(tmp_path):
    """Issue 19: ``"C:\\new\\text.txt"`` pasted without ``r`` reached the loader as ``C:⏎ew<TAB>ext.txt`` and
    failed as "no such file"; it now names the problem and the two ways to write the path."""
    real = tmp_path / "new" / "text.txt"  # the file the user meant exists
    real.parent.mkdir()
    real.write_text("在会上的讲话\n同志们：\n今天开会。\n", encoding="utf-8")
    pasted = f"{tmp_path}\new\text.txt"  # what Python made of the pasted path: a line break and a tab
    with pytest.raises(SpeechError) as err:
        open_speech(pasted)
    message = str(err.value)
    assert "\n" not in message and "\\x0aew\\x09ext.txt" in message
    assert 'r"C:\\Users\\' in message and '"C:/Users/' in message
    with pytest.raises(SpeechError, match="without r"):
        open_speech("C:\new\text.txt")
    assert open_speech(str(real)).meta.title == "在会上的讲话"  # written right, it opens
