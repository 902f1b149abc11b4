"""What the notebooks call first (notebook.py): one way to read ``speech_path``, for a speech or a comparison."""
from __future__ import annotations

import shutil

import pytest

from analysis_utils import SEED_SPEECH, SpeechError, open_comparison, open_speech
from analysis_utils.notebook import input_path
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
