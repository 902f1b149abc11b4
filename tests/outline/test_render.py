"""outline/render.py: the text, Markdown and JSON the ``outline`` command prints."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

from analysis_utils.cli import main


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_cli_json(seed_path):
    code, out, err = run_cli("outline", seed_path, "--format", "json")
    assert code == 0 and not err
    d = json.loads(out)
    assert d["title"] == "在党建工作会议上的讲话"
    assert [n["marker"] for n in d["sections"] if n["kind"] == "section"] == ["一、", "二、"]
    assert all(len(n["children"]) >= 5 for n in d["sections"] if n["kind"] == "section")
    assert {c["kind"] for c in d["checks"]} >= {"ok", "placeholder"}


def test_cli_text_and_markdown(seed_path):
    code, out, _ = run_cli("outline", seed_path)
    assert code == 0
    lines = out.splitlines()
    assert any(line.startswith("一、聚焦主业") and "字" in line for line in lines)
    assert any(line.startswith("  （一）党的十九大精神落实落细") for line in lines)
    assert "自检 Checks" in out and "讲两点意见" in out
    code, md, _ = run_cli("outline", seed_path, "--format", "markdown", "--depth", "2")
    assert code == 0 and md.startswith("# 在党建工作会议上的讲话") and "  - （一）党的十九大精神落实落细" in md
    assert "一是" not in md.split("## 自检")[0]  # --depth 2 hides level 3


def test_cli_missing_file_exits_2(tmp_path):
    code, out, err = run_cli("outline", tmp_path / "nope.txt")
    assert code == 2 and not out and err.count("\n") == 1 and "no such file" in err


@pytest.mark.slow  # starts a Python process
def test_cli_subprocess_bad_input(tmp_path):
    bad = tmp_path / "image.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    r = subprocess.run([sys.executable, "-m", "analysis_utils", "outline", str(bad)], capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "PNG" in r.stderr
