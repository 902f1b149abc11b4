"""The command line: info, count, tokens, and one-line errors with exit status 2."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import matplotlib.pyplot as plt
import pandas as pd
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
        assert rows["稳"]["substring_count"] == 78 and rows["就业"]["substring_count"] == 34
        assert rows["稳"]["per_10k"] > rows["就业"]["per_10k"] > 0
    elif fmt == "csv":
        assert out.splitlines()[0] == "term,substring_count,per_10k" and out.splitlines()[1].startswith("稳,78,")
    else:
        assert "78" in out and "34" in out


def test_count_excludes_removed_material(seed_path):
    code, out, _ = run("count", seed_path, "会员", "组织", "--format", "json")
    rows = {r["term"]: r["substring_count"] for r in json.loads(out)}
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


# ------------------------------------------------------- arguments and output places (issue 13)
@pytest.mark.parametrize("argv,flag", [
    (["count", "{seed}", ""], "a term cannot be empty"),
    (["count", "{seed}", "组织", "  "], "a term cannot be empty"),
    (["kwic", "{seed}", ""], "a term cannot be empty"),
    (["terms", "{seed}", "--top", "-1"], "--top must be 1 or more, not -1"),
    (["terms", "{seed}", "--min-len", "0"], "--min-len must be 1 or more, not 0"),
    (["cloud", "{seed}", "--top", "0", "--out-dir", "{tmp}"], "--top must be 1 or more, not 0"),
    (["outline", "{seed}", "--depth", "-1"], "--depth must be 1 or more, not -1"),
    (["kwic", "{seed}", "发展", "--window", "-1"], "--window must be 0 or more, not -1"),
    (["run", "{seed}", "--notebooks", "99", "--jobs", "0", "--out", "{tmp}"], "--jobs must be 1 or more, not 0"),
    (["run", "{seed}", "--notebooks", "99", "--out", "{tmp}"],
     "--notebooks 99: no such notebook; the notebooks are 01_structure_mapping, 02_term_frequency"),
])
def test_a_bad_argument_is_one_line_and_exit_2(tmp_path, seed_path, argv, flag):
    code, out, err = run(*[a.format(seed=seed_path, tmp=tmp_path) for a in argv])
    assert code == 2 and err.count("\n") == 1 and flag in err and "Traceback" not in err, err
    assert out == "" and not list(tmp_path.iterdir())  # nothing ran, nothing was written


def test_run_into_a_file_names_it(tmp_path, seed_path):
    target = tmp_path / "figures.txt"
    target.write_text("not a folder")
    code, _, err = run("run", seed_path, "--out", target, "--notebooks", "01", "--quiet")
    assert code == 2 and err == f"error: {target}: is a file, not a folder: the outputs need a folder\n"
    assert target.read_text() == "not a folder"


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody may write into: mode 555, and for root (who ignores modes) the immutable attribute."""
    ro = tmp_path / "read-only"
    ro.mkdir()
    ro.chmod(0o555)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(ro)], capture_output=True).returncode != 0:
            pytest.skip("root, and no chattr to make a folder read-only")
        yield ro
        subprocess.run(["chattr", "-i", str(ro)], check=True)
    else:
        yield ro
    ro.chmod(0o755)


def test_run_into_a_read_only_folder_names_it(read_only_folder, seed_path):
    for out in (read_only_folder, read_only_folder / "figures"):
        code, _, err = run("run", seed_path, "--out", out, "--notebooks", "01", "--quiet")
        assert code == 2 and err == f"error: {out}: cannot be written: permission denied (a read-only folder?)\n", err
    assert not list(read_only_folder.iterdir())


def test_deck_into_a_folder_names_it(tmp_path, seed_path, seed_speech):
    from analysis_utils import save_fig, use_chinese_font

    use_chinese_font()
    fig, _ = plt.subplots()
    save_fig(fig, seed_speech.id, "01_outline_tree", out_dir=tmp_path / "figs")
    plt.close(fig)
    folder = tmp_path / "decks"
    folder.mkdir()
    code, _, err = run("deck", seed_path, "--figures", tmp_path / "figs", "--out", folder)
    assert code == 2 and err == f"error: {folder}: is a folder: give the deck's file name, e.g. deck.pptx\n"
    assert not list(folder.iterdir())


def test_cloud_name_cannot_leave_the_output_folder(tmp_path, seed_path):
    out = tmp_path / "out"
    code, _, err = run("cloud", seed_path, "--name", "../x", "--out-dir", out)
    assert code == 2 and "would be written outside the output folder" in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out", "party_building_conference_speech"]


def test_csv_output_neutralises_formulas_from_the_text(tmp_path):
    speech = tmp_path / "inject.txt"
    speech.write_text("在会议上的讲话\n同志们：\n我们要落实“=HYPERLINK('http://x')”和“+SUM(1,2)”以及“@SUM(1)”要求，"
                      "学习《-2+3》文件，坚持“稳中求进”。\n", encoding="utf-8")
    code, out, _ = run("slogans", speech, "--kind", "quoted", "--kind", "title", "--format", "csv")
    rows = {r["slogan"]: r for r in csv.DictReader(io.StringIO(out))}
    assert code == 0 and set(rows) == {"'=HYPERLINK('http://x')", "'+SUM(1,2)", "'@SUM(1)", "'-2+3", "稳中求进"}
    assert rows["'-2+3"]["formulation_count"] == "1"  # numbers stay numbers
    code, out, _ = run("count", speech, "=HYPERLINK", "--format", "csv")
    assert out.splitlines()[1] == "'=HYPERLINK,1,333.33"
    code, out, _ = run("count", speech, "=HYPERLINK", "--format", "json")
    assert json.loads(out)[0]["term"] == "=HYPERLINK"  # JSON is data, not a spreadsheet: unchanged


def test_a_folder_is_read_with_its_sub_folders_like_the_corpus_functions(tmp_path):
    from analysis_utils import corpus_substring_counts

    (tmp_path / "2023").mkdir()
    (tmp_path / "top.txt").write_text("在会议上的讲话\n同志们：\n我们要发展。\n", encoding="utf-8")
    (tmp_path / "2023" / "inner.txt").write_text("在会议上的讲话\n同志们：\n发展，发展。\n", encoding="utf-8")
    code, out, err = run("count", tmp_path, "发展", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert {r["speech_id"] for r in rows} == {"top", "inner"}
    assert rows == json.loads(corpus_substring_counts(tmp_path, ["发展"]).to_json(orient="records", force_ascii=False))
    code, out, err = run("terms", tmp_path, "--format", "csv")
    assert code == 0 and "inner" in out.splitlines()[0] and "top" in out.splitlines()[0], err


# ------------------------------------------------------------ terms and kwic
def test_cli_terms_csv_matches_function(seed_path, seed_speech, tokenizer):
    from analysis_utils import term_frequency

    seed_freq = term_frequency(tokenizer.tokens(seed_speech), speech=seed_speech)
    code, out, _ = run("terms", seed_path, "--top", 15, "--format", "csv")
    assert code == 0
    df = pd.read_csv(io.StringIO(out))
    assert df["term"].tolist() == seed_freq["term"].head(15).tolist()
    assert df["token_count"].tolist() == seed_freq["token_count"].head(15).tolist()


def test_cli_terms_folder_and_pos(corpus_dir, tmp_path, seed_path):
    (tmp_path / "a.txt").write_bytes(seed_path.read_bytes())
    (tmp_path / "b.txt").write_bytes((corpus_dir / "xi_2015_county_secretaries.txt").read_bytes())
    (tmp_path / "README.md").write_text("not a speech", encoding="utf-8")
    code, out, _ = run("terms", tmp_path, "--top", 5, "--pos", "n", "--format", "json")
    assert code == 0
    df = pd.read_json(io.StringIO(out))
    assert list(df.columns)[-3:] == ["speeches", "a", "b"] and len(df) == 5
    assert df["pos"].str.startswith("n").all()


def test_cli_kwic(seed_path):
    code, out, err = run("kwic", seed_path, "三会一课", "--window", 5)
    assert code == 0 and "【三会一课】" in out and "1 hit" in err
    code, out, _ = run("kwic", seed_path, "基层党建", "--format", "csv")
    assert code == 0 and len(pd.read_csv(io.StringIO(out))) == 5


@pytest.mark.parametrize("argv", [
    ("terms", "/nonexistent/speech.txt"),
    ("terms", "{empty_dir}"),
    ("kwic", "/nonexistent/speech.txt", "党建"),
    ("kwic", "{seed}", ""),
    ("kwic", "{seed}", "党建", "--window", "-3"),
    ("terms", "{seed}", "--pos", ","),
])
def test_cli_bad_input_exits_2_with_one_line(argv, tmp_path, seed_path):
    argv = [a.format(empty_dir=tmp_path, seed=seed_path) for a in argv]
    code, _, err = run(*argv)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error:")




def test_cli_terms_lists_the_party_for_a_party_congress_report(corpus_dir):
    """Issue 15: 党, the count everyone quotes from a Party Congress report, is in its term table
    (one-character words count; function characters such as 的 never do); --min-len 2 drops it."""
    code, out, err = run("terms", corpus_dir / "cpc20_report.txt", "--format", "csv")
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out)).set_index("term")
    assert df.at["党", "token_count"] >= 40 and "的" not in df.index and "推进" in df.index
    code, out, _ = run("terms", corpus_dir / "cpc20_report.txt", "--format", "csv", "--min-len", 2)
    assert code == 0 and "党" not in set(pd.read_csv(io.StringIO(out))["term"])


# ------------------------------------------------------------------ output hygiene (issue 16)
BOM = b"\xef\xbb\xbf"


def _cli(*args: str, stdout=subprocess.PIPE, umask: int = 0o022) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis_utils", *map(str, args)], stdout=stdout,
                          stderr=subprocess.PIPE, umask=umask, timeout=120)


def test_csv_redirected_to_a_file_starts_with_a_bom_and_a_pipe_gets_none(tmp_path, seed_path):
    piped = _cli("count", seed_path, "组织", "干部", "--format", "csv")
    assert piped.returncode == 0 and piped.stdout.startswith(b"term,substring_count")  # a pipe: no BOM
    redirected = tmp_path / "counts.csv"
    with open(redirected, "wb") as fh:  # `… --format csv > counts.csv`
        assert _cli("count", seed_path, "组织", "干部", "--format", "csv", stdout=fh).returncode == 0
    assert redirected.read_bytes() == BOM + piped.stdout
    # Excel's way in: the BOM says UTF-8, the Chinese reads back
    assert pd.read_csv(redirected, encoding="utf-8-sig")["term"].tolist() == ["组织", "干部"]


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_out_writes_the_table_to_a_file_with_a_bom_for_csv_only(tmp_path, seed_path, mask, mode):
    piped = _cli("count", seed_path, "组织", "--format", "csv").stdout
    out = tmp_path / "sub" / "counts.csv"
    done = _cli("count", seed_path, "组织", "--format", "csv", "--out", out, umask=mask)
    assert done.returncode == 0 and done.stdout == b""
    assert out.read_bytes() == BOM + piped and out.stat().st_mode & 0o777 == mode
    text = tmp_path / "counts.txt"
    assert _cli("count", seed_path, "组织", "--out", text).returncode == 0
    assert text.read_bytes() == _cli("count", seed_path, "组织").stdout  # text and JSON: no BOM


def test_out_into_a_folder_is_one_line_naming_it(tmp_path, seed_path):
    code, out, err = run("terms", seed_path, "--top", "3", "--format", "csv", "--out", tmp_path)
    assert code == 2 and out == "" and err.strip() == f"error: {tmp_path}: is a folder: give a file name"


def test_slogans_text_fits_a_terminal_and_summarises_long_position_lists(corpus_dir):
    from analysis_utils.plots.style import display_width

    code, out, _ = run("slogans", corpus_dir / "cpc20_report.txt")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["slogan", "kind", "formulation_count", "detail", "sections", "positions"]
    assert max(display_width(line) for line in lines) <= 120
    many = [line for line in lines if " 处: " in line]  # e.g. "12 处: 269, 479, 2986 …"
    assert many and all(line.endswith(" …") for line in many)
    code, csv_out, _ = run("slogans", corpus_dir / "cpc20_report.txt", "--format", "csv")
    assert len(lines) == len(csv_out.splitlines())  # one line per formulation, as in the CSV


# ------------------------------------------------------------------ track (issue 18)
def _dated_folder(tmp_path, seed_path):
    """Two dated copies of the seed, one with 党的建设 for 党建 (a near-duplicate: the tests say --keep-duplicates)."""
    text = seed_path.read_text(encoding="utf-8")
    (tmp_path / "001_2019-06-30.txt").write_text(text, encoding="utf-8")
    (tmp_path / "002_2021-07-01.txt").write_text(text.replace("党建", "党的建设"), encoding="utf-8")
    return tmp_path


def test_track_json_is_an_object_with_series_and_summary(tmp_path, seed_path):
    (tmp_path / "c").mkdir()
    folder = _dated_folder(tmp_path / "c", seed_path)
    code, out, err = run("track", folder, "党建", "党的建设", "--format", "json", "--keep-duplicates")
    assert code == 0, err
    data = json.loads(out)
    assert {"series", "summary"} <= set(data)
    assert [(r["term"], r["date"], r["substring_count"]) for r in data["series"]] == [
        ("党建", "2019-06-30", 15), ("党的建设", "2019-06-30", 0), ("党建", "2021-07-01", 0), ("党的建设", "2021-07-01", 15)]
    assert [(r["term"], r["count"], r["total"], r["first"]) for r in data["summary"]] == [
        ("党建", "substring_count", 15, "2019-06-30"), ("党的建设", "substring_count", 15, "2021-07-01")]


def test_track_csv_and_text_and_a_family_file(tmp_path, seed_path):
    (tmp_path / "c").mkdir()
    folder = _dated_folder(tmp_path / "c", seed_path)
    fam = tmp_path / "fam.tsv"
    fam.write_text("党建\t党的建设\n", encoding="utf-8")
    code, out, _ = run("track", folder, "党建", "--format", "csv", "--keep-duplicates")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["substring_count"] for r in rows] == ["15", "0"]
    code, out, _ = run("track", folder, "党建", "--family", fam, "--keep-duplicates")
    assert code == 0 and "formulation_count" in out and "substring_count" in out
    lines = [line.split() for line in out.splitlines()[1:]]
    assert lines[1][:4] == ["党建", "family", "formulation_count", "30"]  # both documents, once each stretch


def test_track_bad_input_is_one_line_and_exit_2(tmp_path, seed_path):
    code, _, err = run("track", tmp_path / "none.jsonl", "小康")
    assert code == 2 and err.strip() == f"error: {tmp_path / 'none.jsonl'}: no such file or folder"
    fam = tmp_path / "fam.tsv"
    fam.write_text("no tab here\n", encoding="utf-8")
    code, _, err = run("track", seed_path, "小康", "--family", fam)
    assert code == 2 and err.count("\n") == 1 and str(fam) in err and "family<TAB>variant" in err


def test_track_names_undated_documents_on_stderr(tmp_path, seed_path):
    code, out, err = run("track", seed_path, "党建", "--format", "csv")
    assert code == 0 and "1 document(s) without a date" in err
    assert list(csv.DictReader(io.StringIO(out)))[0]["substring_count"] == "15"  # listed, never dropped

# --------------------------------------------------------------------------- diff (issue 17)
def _gwr_row(corpus_dir, row: int) -> str:
    return f"{corpus_dir / 'wikisource' / 'government_work_reports.jsonl'}#government_work_reports-{row:05d}"


@pytest.mark.slow
def test_diff_json_is_one_object_with_both_texts_and_every_table(corpus_dir, tmp_path):
    out = tmp_path / "diff.json"
    done = _cli("diff", _gwr_row(corpus_dir, 2), _gwr_row(corpus_dir, 1), "--format", "json", "--out", out)
    assert done.returncode == 0 and done.stdout == b"" and done.stderr == b""
    d = json.loads(out.read_text(encoding="utf-8"))
    assert {"old", "new", "sentences", "sections", "formulations", "terms", "summary"} <= set(d)
    assert d["old"]["date"] == "2021-03-05" and d["new"]["date"] == "2022-03-05" and d["new"]["han_chars"] > 15000
    assert {"old_heading", "new_heading", "status"} <= set(d["sections"][0])
    assert {"term", "substring_count_old", "substring_count_new", "change"} <= set(d["formulations"][0])
    assert {"term", "token_count_old", "token_count_new", "g2", "log_ratio", "change"} <= set(d["terms"][0])
    assert all(("old" in r and "new" in r) for r in d["sentences"])


@pytest.mark.slow
def test_diff_text_and_html(corpus_dir, tmp_path, seed_path):
    code, out, err = run("diff", seed_path, seed_path)
    assert code == 0 and "相同 same" in out and "子串计数 substring count" in out
    page = tmp_path / "redline.html"
    assert run("diff", seed_path, seed_path, "--format", "html", "--out", page) == (0, "", "")
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<script" not in text and "http" not in text.split("<body>")[0]


@pytest.mark.slow
@pytest.mark.parametrize("bad, problem", [("missing.txt", "no such file"), ("", "is a table of speeches")])
def test_diff_bad_input_is_one_line_naming_the_file(corpus_dir, seed_path, tmp_path, bad, problem):
    path = str(tmp_path / bad) if bad else str(corpus_dir / "wikisource" / "government_work_reports.jsonl")
    done = _cli("diff", seed_path, path)
    err = done.stderr.decode()
    assert done.returncode == 2 and done.stdout == b"" and err.count("\n") == 1
    assert err.startswith(f"error: {path}: {problem}")


# -- issue 20: a command imports what it uses ---------------------------------------------------------------
TERMS_AND_ITS_IMPORTS = r"""
import atexit, json, runpy, sys
WATCH = ("matplotlib.pyplot", "analysis_utils.changes", "analysis_utils.watchwords", "analysis_utils.notebook",
         "analysis_utils.plots.clouds", "analysis_utils.runner", "analysis_utils.deck")
atexit.register(lambda: print(json.dumps([m for m in WATCH if m in sys.modules])))
sys.argv = ["analysis_utils", *sys.argv[1:]]
runpy.run_module("analysis_utils", run_name="__main__", alter_sys=True)
"""


@pytest.mark.slow
def test_terms_on_a_folder_does_not_import_the_figures_or_the_text_comparison(tmp_path, corpus_dir):
    """``python -m analysis_utils terms DIR`` imported every part of the package (matplotlib's pyplot,
    the word clouds, the text comparison: 0.3-0.5 s of a run's serial start-up); now the package's
    names are imported when first used, and the command's table is the same."""
    import analysis_utils

    folder = tmp_path / "speeches"
    folder.mkdir()
    for p in sorted(corpus_dir.glob("*.txt"))[:3]:
        (folder / p.name).write_bytes(p.read_bytes())
    env = {**os.environ, "ANALYSIS_UTILS_CACHE": str(tmp_path / "cache"),
           "PYTHONPATH": str(__import__("pathlib").Path(analysis_utils.__file__).parents[1])}
    done = subprocess.run([sys.executable, "-c", TERMS_AND_ITS_IMPORTS, "terms", str(folder), "--top", "5", "--format",
                           "csv"], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    table, imported = done.stdout.rsplit("\n", 2)[0], json.loads(done.stdout.rsplit("\n", 2)[1])
    assert imported == []
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["terms", str(folder), "--top", "5", "--format", "csv"]) == 0
    assert table.strip() == out.getvalue().strip()


def test_every_public_name_of_the_package_is_there_when_asked_for():
    import analysis_utils

    assert {n for n in dir(analysis_utils) if not n.startswith("_")} >= set(analysis_utils.__all__)
    for name in analysis_utils.__all__:
        assert getattr(analysis_utils, name) is not None, name
    from analysis_utils import SLOGAN_KINDS, Tokenizer, plots
    from analysis_utils.slogans import KINDS
    from analysis_utils.tokenizer import Tokenizer as Home

    assert SLOGAN_KINDS is KINDS and Tokenizer is Home and plots.__name__ == "analysis_utils.plots"
    with pytest.raises(AttributeError):
        analysis_utils.no_such_name  # noqa: B018
