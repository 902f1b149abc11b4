"""load_speech and speech_from_text: bad input raises one line that names the file."""
from __future__ import annotations

import pytest

from analysis_utils import SpeechError, load_speech


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", " \n\u3000\n\t\r\n".encode(), "white space"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
        ("nul.txt", b"abc\x00\x01\x02" * 50 + bytes(range(256)), "binary"),
        ("english.txt", b"This is not a Chinese speech at all.", "no Chinese text"),
        ("speech.pdf", b"%PDF-1.4", "unsupported file type"),
        ("speech.doc", b"\xd0\xcf\x11\xe0", ".doc"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a valid .docx"),
        ("notices.txt", "仅供学习 禁止外传\n会员群：免费QQ群：\n".encode(), "nothing is left"),
        # issue 13
        ("japanese.txt", "本日の会議では、地域経済の発展について議論しました。私たちは協力してまいります。".encode(), "this is Japanese"),
        ("korean.txt", "오늘 회의에서는 지역 경제의 발전에 대해 논의했습니다.".encode(), "this is Korean"),
        ("mojibake.txt", ("在党建工作会议上的讲话，同志们：今天我们召开会议，研究部署全年的工作任务。" * 3).encode().decode("gbk", "replace").encode(),
         "mojibake"),
        ("late_nul.txt", "在会上的讲话\n同志们：".encode() * 400 + b"\x00", "contains NUL bytes"),
        ("no_body.docx", None, "has no body"),
    ],
)
def test_bad_input_raises_one_line_error_naming_the_file(tmp_path, name, content, message):
    f = tmp_path / name
    if content is None:  # a .docx whose document part has no body
        from .test_word import write_docx
        write_docx(f, None)
    else:
        f.write_bytes(content)
    with pytest.raises(SpeechError) as e:
        load_speech(f)
    assert message in str(e.value) and str(f) in str(e.value) and "\n" not in str(e.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SpeechError, match="no such file"):
        load_speech(tmp_path / "nope.txt")
    with pytest.raises(SpeechError, match="is a folder"):
        load_speech(tmp_path)
