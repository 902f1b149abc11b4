"""The command line: info, count, tokens, and one-line errors with exit status 2."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

from analysis_utils.cli import main


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_info_json_on_the_seed(seed_path):
    code, out, _ = run("info", seed_path, "--format", "json")
    info = json.loads(out)
    assert code == 0
    assert info["title"] == "在党建工作会议上的讲话" and info["encoding"] == "utf-8"
    assert info["han_chars"] > 2500
    assert info["placeholders"]["count"] == 33
    assert "advertising" in info["removed"][0]["reason"] and "仅供学习" in info["removed"][0]["text"]


def test_info_text_is_bilingual_and_shows_what_was_removed(seed_path):
    code, out, _ = run("info", seed_path)
    assert code == 0 and "标题 title: 在党建工作会议上的讲话" in out and "已移除 removed: 1" in out and "仅供学习" in out


@pytest.mark.parametrize("fmt", ["json", "csv", "text"])
def test_count_matches_published_figures_on_the_2022_government_work_report(corpus_dir, fmt):
    code, out, _ = run("count", corpus_dir / "gwr_2022_crlf.txt", "稳", "就业", "--format", fmt)
    assert code == 0
    if fmt == "json":
        rows = {r["term"]: r for r in json.loads(out)}
        assert rows["稳"]["count"] == 78 and rows["就业"]["count"] == 34
        assert rows["稳"]["per_10k"] > rows["就业"]["per_10k"] > 0
    elif fmt == "csv":
        assert out.splitlines()[0] == "term,count,per_10k" and out.splitlines()[1].startswith("稳,78,")
    else:
        assert "78" in out and "34" in out


def test_count_excludes_removed_material(seed_path):
    code, out, _ = run("count", seed_path, "会员", "组织", "--format", "json")
    rows = {r["term"]: r["count"] for r in json.loads(out)}
    assert rows["会员"] == 0 and rows["组织"] > 20


def test_tokens_csv(seed_path):
    code, out, _ = run("tokens", seed_path)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "token,pos,start,end,paragraph,sentence,origin"
    assert any(line.startswith("一征三议两公开,nz,") for line in lines)


@pytest.mark.parametrize(
    "name,content,problem",
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "empty"),
        ("spaces.txt", b"   \n\n  ", "white space"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        ("random.txt", bytes(range(128, 256)) * 20, "cannot decode"),
        ("speech.rtf", b"{\\rtf1 hello}", "unsupported file type"),
        ("corrupt.docx", b"PK\x03\x04garbage", "not a valid .docx"),
    ],
)
@pytest.mark.parametrize("command", ["info", "count", "tokens"])
def test_bad_input_one_line_exit_2(tmp_path, name, content, problem, command):
    f = tmp_path / name
    if content is not None:
        f.write_bytes(content)
    extra = ["人民"] if command == "count" else []
    code, out, err = run(command, f, *extra)
    assert code == 2
    assert err.count("\n") == 1 and str(f) in err and problem in err and "Traceback" not in err


def test_directory_is_refused(tmp_path):
    code, _, err = run("info", tmp_path)
    assert code == 2 and "is a folder" in err


def test_python_dash_m_entry_point_without_traceback(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    p = subprocess.run([sys.executable, "-m", "analysis_utils", "info", str(f)], capture_output=True, text=True)
    assert p.returncode == 2 and p.stderr.strip() == f"error: {f}: the file is empty"
