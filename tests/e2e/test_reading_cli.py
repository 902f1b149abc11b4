"""The real command line, in a process of its own, on files that are hard to read (issue 13): every
class of input is analysed right or refused in one line with exit status 2, and nothing hangs."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import analysis_utils

SRC = Path(analysis_utils.__file__).resolve().parents[1]  # the package under test (the child imports the same)
pytestmark = pytest.mark.slow  # a process per case (about 2 s each)


def _cli(*args, env: dict | None = None, timeout: float = 60) -> tuple[int, str, str]:
    """Run ``python -m analysis_utils ARGS``; the child may not use more than 2 GB of memory."""
    def limit_memory():  # pragma: no cover - runs in the child
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))

    full_env = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    p = subprocess.run([sys.executable, "-m", "analysis_utils", *map(os.fsdecode, args)], capture_output=True,
                       timeout=timeout, env=full_env, preexec_fn=limit_memory if sys.platform == "linux" else None)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "backslashreplace")


def _refused(f, problem: str, *, env: dict | None = None, timeout: float = 60, command: str = "info") -> None:
    code, out, err = _cli(command, f, *(["人民"] if command == "count" else []), env=env, timeout=timeout)
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("error: ") and problem in err and "Traceback" not in err, err


@pytest.fixture(scope="module")
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


def test_big5_is_analysed_as_big5(tmp_path):
    f = tmp_path / "big5.txt"
    f.write_bytes("在黨建工作會議上的講話\n同志們：\n我們要堅持黨的領導，加強組織建設，推動各項工作落實。".encode("big5"))
    code, out, err = _cli("info", f)
    assert code == 0, err
    assert "编码 encoding: big5" in out and "标题 title: 在黨建工作會議上的講話" in out and "encoding guessed: big5" in out


@pytest.mark.parametrize("codec,language", [("shift_jis", "Japanese"), ("euc_jp", "Japanese"), ("euc_kr", "Korean")])
def test_japanese_and_korean_are_refused(tmp_path, codec, language):
    text = {"Japanese": "本日の会議では、地域経済の持続的な発展と住民生活の向上について議論しました。私たちは協力してまいります。",
            "Korean": "오늘 회의에서는 지역 경제의 지속적인 발전과 주민 생활의 향상에 대해 논의했습니다."}[language]
    f = tmp_path / f"{codec}.txt"
    f.write_bytes(text.encode(codec))
    _refused(f, f"does not read as Chinese: this is {language}", command="count")


def test_mojibake_is_refused(tmp_path, seed_text):
    f = tmp_path / "mojibake.txt"
    f.write_bytes(seed_text.encode("utf-8").decode("gbk", "replace").encode("utf-8"))
    _refused(f, "mojibake", command="count")


def test_a_late_nul_byte_is_refused(tmp_path, seed_text):
    data = seed_text.encode("utf-8")
    f = tmp_path / "nul.txt"
    f.write_bytes(data[:6000] + b"\x00" + data[6000:])
    _refused(f, "contains NUL bytes (the first at byte 6000)")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "speech.txt"
    os.mkfifo(fifo)
    _refused(fifo, "is a FIFO (named pipe), not a regular file", timeout=30)  # the old code waited forever


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_at_once(tmp_path, device):
    link = tmp_path / "speech.txt"
    link.symlink_to(device)
    _refused(link, "is a character device, not a regular file", timeout=30)  # the old code read until memory ran out


def test_a_300_mb_file_is_refused_and_the_limit_can_be_raised(tmp_path, seed_path):
    big = tmp_path / "archive.txt"
    with big.open("wb") as f:
        f.truncate(300 * 1024 * 1024)
    _refused(big, "is 300.0 MB, more than the 200 MB the loader reads (to read it, raise the limit: ANALYSIS_UTILS_MAX_MB=<MB>")
    _refused(seed_path, "more than the 0.001 MB", env={"ANALYSIS_UTILS_MAX_MB": "0.001"})


def _docx_with_document(path: Path, document_xml: bytes) -> Path:
    docx = pytest.importorskip("docx")
    docx.Document().save(path)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["word/document.xml"] = document_xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_a_docx_without_a_body_is_refused_in_one_line(tmp_path):
    f = _docx_with_document(tmp_path / "no_body.docx", f"<w:document {W}/>".encode())
    _refused(f, "has no body")  # was: "unexpected AttributeError"


def test_a_docx_zip_bomb_is_refused(tmp_path):
    blanks = (" " * 1024 * 1024 + "<w:p/>") * 40
    body = f"<w:document {W}><w:body><w:p><w:r><w:t>在会上的讲话</w:t></w:r></w:p>{blanks}</w:body></w:document>"
    f = _docx_with_document(tmp_path / "bomb.docx", body.encode())
    _refused(f, "its part word/document.xml would expand")
    _refused(f, "would unpack to", env={"ANALYSIS_UTILS_MAX_DOCX_RATIO": "100000", "ANALYSIS_UTILS_MAX_DOCX_MB": "10"})


def test_a_docx_with_line_breaks_keeps_title_date_and_speaker(tmp_path):
    run = "<w:r><w:t>{}</w:t></w:r>"
    para = (run.format("在党建工作会议上的讲话") + "<w:r><w:br/></w:r>" + run.format("（2022年1月1日）")
            + "<w:r><w:br/></w:r>" + run.format("张三"))
    sdt = f"<w:sdt><w:sdtContent><w:p>{run.format('同志们：')}</w:p></w:sdtContent></w:sdt>"
    body = f"<w:document {W}><w:body><w:p>{para}</w:p>{sdt}<w:p>{run.format('今天开会。')}</w:p></w:body></w:document>"
    code, out, err = _cli("info", _docx_with_document(tmp_path / "breaks.docx", body.encode()))
    assert code == 0, err
    for line in ("标题 title: 在党建工作会议上的讲话", "日期 date: 2022-01-01", "讲话人 speaker: 张三", "称呼 salutation: 同志们："):
        assert line in out


def test_inline_html_tags_do_not_split_words(tmp_path):
    f = tmp_path / "pasted.txt"
    f.write_text("<p>在会上的讲话</p><p>同志们：我们要坚持<b>党</b>的领导，加强<span>组织</span>建设。</p>", encoding="utf-8")
    code, out, err = _cli("count", f, "组织建设", "党的领导", "--format", "csv")
    assert code == 0, err
    assert [row.split(",")[:2] for row in out.splitlines()[1:]] == [["组织建设", "1"], ["党的领导", "1"]]


def test_terminal_escapes_never_reach_the_terminal(tmp_path):
    f = tmp_path / "escapes.txt"
    f.write_bytes("\x1b]0;标题被改\x07\x1b[2J在会上的讲话\x1b[0m\n同志们：\n今天开会。".encode())
    code, out, err = _cli("info", f)
    assert code == 0, err
    assert "\x1b" not in out + err and "标题 title: 在会上的讲话" in out


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names there are always Unicode")
def test_file_names_that_are_not_utf8_are_loaded_or_refused_in_one_line(tmp_path, seed_path):
    folder = os.fsencode(tmp_path)
    good = folder + b"/" + "讲话".encode("gbk") + b".txt"
    bad = folder + b"/" + "空".encode("gbk") + b".txt"
    with open(good, "wb") as f:
        f.write(seed_path.read_bytes())
    open(bad, "wb").close()
    code, out, err = _cli("info", good)
    assert code == 0, err
    assert "\\xbd\\xb2\\xbb\\xb0.txt" in out and "标题 title: 在党建工作会议上的讲话" in out
    _refused(bad, "\\xbf\\xd5.txt: the file is empty")
