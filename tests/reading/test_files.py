"""Finding speech files in folders, and the id a speech takes from its file name."""
from __future__ import annotations

from pathlib import Path

import pytest

from analysis_utils import SpeechError
from analysis_utils.reading import is_speech_file, speech_files, speech_id


def test_folders_expand_to_their_speech_files_sorted_and_files_stay_as_given(tmp_path):
    for name in ("b.txt", "a.md", "c.docx", "README.md", ".hidden.txt", "~$c.docx", "notes.pdf", "sub/d.txt", ".git/e.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("讲话")
    assert [p.name for p in speech_files(tmp_path)] == ["a.md", "b.txt", "c.docx"]
    assert [p.relative_to(tmp_path).as_posix() for p in speech_files(tmp_path, recursive=True)] == [
        "a.md", "b.txt", "c.docx", "sub/d.txt"]
    given = tmp_path / "notes.pdf"
    assert speech_files([given, str(tmp_path / "sub")]) == [given, tmp_path / "sub" / "d.txt"]


def test_a_folder_without_speech_files_is_an_error(tmp_path):
    (tmp_path / "notes.pdf").write_text("x")
    with pytest.raises(SpeechError, match="no speech files"):
        speech_files(tmp_path)


@pytest.mark.parametrize("name,expected", [("讲话.TXT", True), ("讲话", False), ("readme.txt", False), (".x.md", False)])
def test_is_speech_file(name, expected):
    assert is_speech_file(Path(name)) is expected


@pytest.mark.parametrize("name,expected", [("a b.txt", "a_b"), ("问:答?.md", "问_答_"), (" .txt", "speech")])
def test_speech_id(name, expected):
    assert speech_id(Path(name)) == expected
