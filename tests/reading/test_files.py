"""Finding speech files in folders, the id a speech takes from its file name (any bytes), reading
regular files only and within a size limit."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from analysis_utils import SpeechError, load_speech
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


# ----------------------------------------------------------------- issue 13: regular files only, size limits, any name


GBK_NAME = "讲话".encode("gbk") + b".txt"  # what unzipping a Windows zip gives on Linux


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_being_opened(tmp_path):
    from analysis_utils.reading import read_file  # (load_speech on the old code waits for a writer forever: tests/e2e)

    fifo = tmp_path / "speech.txt"
    os.mkfifo(fifo)
    with pytest.raises(SpeechError, match=r"speech.txt: is a FIFO \(named pipe\), not a regular file"):
        read_file(fifo)


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null here")
def test_a_device_is_refused_even_behind_a_speech_like_name(tmp_path):
    # /dev/zero and /dev/urandom (read until memory runs out by the old code) are tried in a
    # memory-limited process: tests/e2e/test_reading_cli.py
    link = tmp_path / "speech.txt"
    link.symlink_to("/dev/null")
    for path in (Path("/dev/null"), link):
        with pytest.raises(SpeechError, match="is a character device, not a regular file"):
            load_speech(path)


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    big = tmp_path / "archive.txt"
    with big.open("wb") as f:
        f.write("在会上的讲话\n同志们：\n".encode())
        f.truncate(300 * 1024 * 1024)  # 300 MB, sparse: nothing is really written
    with pytest.raises(SpeechError) as e:
        load_speech(big)
    assert str(e.value) == (f"{big}: is 300.0 MB, more than the 200 MB the loader reads "
                            "(to read it, raise the limit: ANALYSIS_UTILS_MAX_MB=<MB> or load_speech(..., max_mb=<MB>))")
    monkeypatch.setenv("ANALYSIS_UTILS_MAX_MB", "400")
    with pytest.raises(SpeechError, match="contains NUL bytes"):  # read now: the sparse part is zeros
        load_speech(big)


def test_the_size_limit_is_set_by_keyword_or_environment(tmp_path, seed_path, monkeypatch):
    with pytest.raises(SpeechError, match=r"more than the 0.005 MB the loader reads"):
        load_speech(seed_path, max_mb=0.005)
    assert load_speech(seed_path, max_mb=1).meta.title == "在党建工作会议上的讲话"
    monkeypatch.setenv("ANALYSIS_UTILS_MAX_MB", "0.005")
    with pytest.raises(SpeechError, match="ANALYSIS_UTILS_MAX_MB=<MB>"):
        load_speech(seed_path)
    monkeypatch.setenv("ANALYSIS_UTILS_MAX_MB", "lots")
    with pytest.raises(SpeechError, match="ANALYSIS_UTILS_MAX_MB must be a number, not 'lots'"):
        load_speech(seed_path)
    with pytest.raises(ValueError, match="more than 0"):
        load_speech(seed_path, max_mb=0)


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names there are always Unicode")
def test_a_gbk_file_name_is_loaded_and_printed_safely(tmp_path, seed_path):
    f = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + GBK_NAME))
    f.write_bytes(seed_path.read_bytes())
    s = load_speech(f)
    assert s.id == "讲话" and s.meta.title == "在党建工作会议上的讲话"
    assert any("file name is not valid UTF-8" in n for n in s.notes)
    info = json.dumps(s.info(), ensure_ascii=False).encode("utf-8")  # no lone surrogates
    assert b"\\\\xbd\\\\xb2\\\\xbb\\\\xb0.txt" in info


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names there are always Unicode")
@pytest.mark.parametrize("content", [b"", b"\x89PNG\r\n\x1a\n", "本日の会議では、経済の発展について議論しました。".encode("shift_jis")])
def test_a_bad_file_with_a_gbk_name_gets_a_printable_one_line_error(tmp_path, content):
    f = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + GBK_NAME))
    f.write_bytes(content)
    with pytest.raises(SpeechError) as e:
        load_speech(f)
    message = str(e.value)
    assert message.encode("utf-8").startswith(os.fsencode(tmp_path) + b"/\\xbd\\xb2\\xbb\\xb0.txt: ") and "\n" not in message


@pytest.mark.parametrize("raw,expected", [(b"caf\xe9.txt", "caf_xe9"), (b"a\x1b[31mb.txt", "a_[31mb"), ("讲话".encode("gb18030") + b".md", "讲话")])
def test_speech_id_of_any_bytes_is_printable(raw, expected):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("file names there are always Unicode")
    sid = speech_id(Path(os.fsdecode(raw)))
    assert sid == expected and sid.isprintable()


def test_an_unlimited_size_limit_reads_the_file(seed_path, monkeypatch):
    monkeypatch.setenv("ANALYSIS_UTILS_MAX_MB", "inf")
    assert load_speech(seed_path).meta.title == "在党建工作会议上的讲话"
    assert load_speech(seed_path, max_mb=1e12).meta.title == "在党建工作会议上的讲话"
