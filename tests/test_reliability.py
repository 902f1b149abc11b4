"""Reliability: generated text never crashes the chain, offsets always hold, nothing is lost;
real bad inputs get a correct analysis or a one-line error with exit status 2."""
from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis_utils import SpeechError, load_speech, speech_from_text
from analysis_utils.cli import main

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
PUNCT = "，。、；：？！“”‘’《》（）——…·"
MARKERS = ["一、", "二、", "（一）", "（二）", "1.", "2、", "（1）", "①", "一是", "二是", "第一，", "首先，", "同志们：", "各位代表："]
ODD = ["×", "×××", "XX", "○○", "某某", "\u3000\u3000", "\u200b", "\u00a0", "\r\n", "\n", "\n\n\n", "  ", "\t", "&nbsp;", "<p>", "# ",
       "发表时间：2020-01-01 来源：新华社", "仅供学习 禁止外传", "（新华社北京1月1日电）", "ABC", "2022年", "１２３", "四个意识", "一征三议两公开"]

chunks = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=30),
    st.text(alphabet=PUNCT, min_size=1, max_size=3),
    st.sampled_from(MARKERS),
    st.sampled_from(ODD),
)
speech_texts = st.lists(chunks, min_size=1, max_size=60).map("".join)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load_or_error(text):
    try:
        return speech_from_text(text)
    except SpeechError as e:
        assert "\n" not in str(e)
        return None


@SETTINGS
@given(speech_texts)
def test_loader_accounts_for_every_character(text):
    s = _load_or_error(text)
    if s is None:
        return
    lines = s.normalized.split("\n")
    removed_lines = sum(r.text.count("\n") + 1 for r in s.removed)
    assert len(lines) == len(s.body.split("\n")) + removed_lines
    removed = {r.start: r for r in s.removed}
    body_lines = iter(s.body.split("\n"))
    pos = 0
    while pos < len(s.normalized):
        if pos in removed:
            assert s.normalized[pos:removed[pos].end] == removed[pos].text
            pos = removed[pos].end + 1
            continue
        end = s.normalized.find("\n", pos)
        end = len(s.normalized) if end < 0 else end
        assert s.normalized[pos:end] == next(body_lines)
        pos = end + 1
    for p in s.placeholders:
        assert s.body[p.start:p.end] == p.text
    for field, (a, b) in s.meta.spans.items():
        assert 0 <= a <= b <= len(s.body), field
    for a, b in s.sentence_spans:
        assert s.body[a:b].strip()


@SETTINGS
@given(speech_texts)
def test_tokens_point_at_the_text_they_claim(tokenizer, text):
    s = _load_or_error(text)
    if s is None:
        return
    df = tokenizer.tokens(s)
    for t, a, b in zip(df.token, df.start, df.end):
        assert s.body[a:b] == t
    assert (df.paragraph >= 1).all() and (df.sentence >= 1).all()


@SETTINGS
@given(speech_texts)
def test_outline_nodes_point_at_their_text(text):
    from analysis_utils import build_outline

    s = _load_or_error(text)
    if s is None:
        return
    o = build_outline(s)
    for n in o.walk():
        assert 0 <= n.start <= n.end <= len(s.body)
        for child in n.children:
            assert n.start <= child.start <= child.end <= n.end
        if n.heading and n.kind not in ("title", "salutation", "opening", "closing"):
            assert n.heading.replace("\n", "")[:2] in s.body[n.start:n.end].replace("\n", "")
    import json

    json.dumps(o.to_dict(), ensure_ascii=False)  # the CLI's JSON never fails
    o.to_text()


@SETTINGS
@given(speech_texts)
def test_terms_and_slogans_never_crash_and_point_at_their_text(tokenizer, text):
    from analysis_utils import slogan_hits, term_frequency

    s = _load_or_error(text)
    if s is None:
        return
    freq = term_frequency(tokenizer.tokens(s), speech=s)
    assert (freq["token_count"] > 0).all() and not freq["term"].str.fullmatch(r"[×Xx○]+").any()
    hits = slogan_hits(s)
    for slogan, kind, a, b in zip(hits["slogan"], hits["kind"], hits["start"], hits["end"]):
        assert 0 <= a < b <= len(s.body)
        if kind != "parallel":
            assert s.body[a:b] == slogan, (kind, slogan, s.body[a:b])


# ----------------------------------------------------------------- real bad inputs
def _cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def _make_inputs(tmp, seed_text):
    import docx

    files = {}

    def put(name, data):
        p = tmp / name
        p.write_bytes(data)
        files[name] = p

    put("empty.txt", b"")
    put("whitespace.txt", " \n\t\n\u3000\u3000\n".encode())
    put("picture.txt", b"\x89PNG\r\n\x1a\n" + b"\x00IHDR" * 50)
    put("truncated.txt", seed_text.encode()[:-1])
    put("gbk_named_utf8.utf8.txt", seed_text.encode("gbk"))
    put("utf16.txt", b"\xff\xfe" + seed_text.encode("utf-16-le"))
    put("one_line.txt", (seed_text.replace("\n", "") * 70).encode())
    put("traditional.txt", "在黨建工作會議上的講話\n同志們：\n我們要堅持黨的領導，加強組織建設。".encode())
    put("pasted.html.txt", ("<p>在党建工作会议上的讲话</p>\n<p>同志们：&nbsp;我们要加强组织建设。</p>").encode())
    put("notes.md", ("# 在党建工作会议上的讲话\n\n## 一、总体要求\n\n我们要加强组织建设。").encode())
    put("corrupt.docx", b"PK\x03\x04 broken")
    d = docx.Document()
    d.add_paragraph("在党建工作会议上的讲话")
    d.add_paragraph("")
    d.add_paragraph("同志们：")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(1, 1).text = "指标", "完成"
    d.add_paragraph("")
    d.add_paragraph("我们要加强组织建设。")
    d.save(tmp / "tables.docx")
    files["tables.docx"] = tmp / "tables.docx"
    put("讲话 稿 2020.txt", seed_text.encode())
    return files


EXPECTED = {
    # name: (exit status, a word the analysis must see, or the error text)
    "empty.txt": (2, "the file is empty"),
    "whitespace.txt": (2, "only white space"),
    "picture.txt": (2, "PNG image"),
    "truncated.txt": (0, "组织"),
    "gbk_named_utf8.utf8.txt": (0, "组织"),
    "utf16.txt": (0, "组织"),
    "one_line.txt": (0, "组织"),
    "traditional.txt": (0, "組織"),
    "pasted.html.txt": (0, "组织"),
    "notes.md": (0, "组织"),
    "corrupt.docx": (2, "not a valid .docx"),
    "tables.docx": (0, "组织"),
    "讲话 稿 2020.txt": (0, "组织"),
}


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory, seed_path):
    tmp = tmp_path_factory.mktemp("bad inputs")
    return _make_inputs(tmp, load_speech(seed_path).raw)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_input_gets_an_analysis_or_a_one_line_error(bad_inputs, name):
    status, what = EXPECTED[name]
    code, out, err = _cli("count", bad_inputs[name], what if status == 0 else "人民", "--format", "csv")
    assert code == status, err
    if status == 0:
        count = int(out.splitlines()[1].split(",")[1])
        assert count > 0
    else:
        assert err.count("\n") == 1 and what in err and str(bad_inputs[name]) in err


@pytest.mark.slow
def test_nothing_is_written_into_the_input_folder(bad_inputs):  # tokenises 13 files, one 70 seeds long
    folder = next(iter(bad_inputs.values())).parent
    before = sorted(p.name for p in folder.iterdir())
    for name in EXPECTED:
        _cli("info", bad_inputs[name])
        _cli("tokens", bad_inputs[name])
    assert sorted(p.name for p in folder.iterdir()) == before


@pytest.mark.slow
def test_a_50_mb_file_is_counted(tmp_path, seed_path):
    seed = load_speech(seed_path)
    big = tmp_path / "archive.txt"
    reps = 50_000_000 // len(seed.raw.encode()) + 1
    with big.open("w", encoding="utf-8") as f:
        for _ in range(reps):
            f.write(seed.raw)
    assert big.stat().st_size > 50_000_000
    code, out, err = _cli("count", big, "组织", "--format", "csv")
    assert code == 0, err
    assert int(out.splitlines()[1].split(",")[1]) == seed.body.count("组织") * reps


@pytest.mark.slow  # starts a kernel
@pytest.mark.parametrize("value,problem", [("/no/such/speech.txt", "no such file"), (42, "must be a file path")])
def test_a_notebook_with_a_bad_parameter_stops_with_the_one_line_message(tmp_path, value, problem):
    import json
    from pathlib import Path

    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    nb = Path(__file__).resolve().parents[1] / "notebooks" / "01_structure_mapping.ipynb"
    out = tmp_path / "out.ipynb"
    with pytest.raises(PapermillExecutionError) as e:
        pm.execute_notebook(str(nb), str(out), parameters={"speech_path": value, "out_dir": str(tmp_path)},
                            progress_bar=False, cwd=str(nb.parent))
    assert e.value.ename == "SpeechError" and problem in e.value.evalue
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    errors = [o for c in cells if c["cell_type"] == "code" for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert len(errors) == 1 and len(errors[0]["traceback"]) == 1 and problem in errors[0]["traceback"][0]
    # it stopped at the first cell that reads the speech: nothing after it ran, nothing was saved
    failed = next(i for i, c in enumerate(cells) if any(o["output_type"] == "error" for o in c.get("outputs", [])))
    assert "open_speech" in "".join(cells[failed]["source"])
    assert not any(c.get("execution_count") for c in cells[failed + 1:] if c["cell_type"] == "code")
    assert not list(tmp_path.glob("*/*.png"))


# ------------------------------------------------------- file names with any characters (issue 13)
NAME_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(NAME_CHARS, min_size=1, max_size=30), min_size=1, max_size=4),
       st.sampled_from([".txt", ".md", ""]))
def test_speeches_with_any_file_name_get_distinct_folders_inside_the_output_folder(tmp_path_factory, stems, suffix):
    """Real files with any name (dots, `..`, control characters, spaces, case twins): each speech
    read gets its own output folder, inside --out, whatever its name."""
    from pathlib import Path

    from analysis_utils.outputs import figure_dir
    from analysis_utils.reading import TEXT_SUFFIXES
    from analysis_utils.runner import RunReport, _plan

    tmp = tmp_path_factory.mktemp("names")
    inputs, out = tmp / "in", tmp / "out"
    inputs.mkdir()
    made = []
    for stem in dict.fromkeys(stems):
        name = stem + suffix
        if name in (".", "..") or len(name.encode()) > 200 or Path(name).suffix.lower() not in TEXT_SUFFIXES:
            continue
        p = inputs / name
        try:
            p.write_text("在会议上的讲话\n同志们：\n我们要发展。\n", encoding="utf-8")
        except OSError:  # a name this file system refuses
            continue
        made.append(p)
    if not made:
        return
    report = RunReport()
    jobs, speeches = _plan(made, ["01"], report)
    assert not report.bad_input
    ids = [out_id for _, out_id in speeches]
    assert len({i.casefold() for i in ids}) == len(made)
    for out_id in ids:
        d = figure_dir(out_id, out)
        assert d.resolve().parent == out.resolve() and not d.name.startswith(".")
        (d / "index.md").write_text("x", encoding="utf-8")
    assert sorted(p.name for p in tmp.iterdir()) == ["in", "out"]
    assert {Path(j[0]) for j in jobs} == set(made)
