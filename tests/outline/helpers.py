"""Composed speeches for the outline tests."""
from __future__ import annotations

from analysis_utils import build_outline, speech_from_text

TITLE = "在测试工作会议上的讲话"
F = "我们要坚持稳中求进，扎实做好各项工作，推动各项任务落地见效。"  # a sentence of filler prose
SECTION_TEXT = "（一）加强理论学习。" + F


def make(*paras: str):
    """A composed speech: title, salutation, then the paragraphs given."""
    return speech_from_text("\n".join([TITLE, "同志们：", *paras]))


def outline_of(*paras: str):
    return build_outline(make(*paras))


def outline_in(path, text: str):
    """The outline of ``text`` written to the file ``path`` (UTF-8) and loaded from there."""
    from analysis_utils import load_speech

    path.write_text(text, encoding="utf-8")
    return build_outline(load_speech(path))


def structural(o):
    """(level, marker, heading) of every section/part/enumeration node, in document order."""
    return [(n.level, n.marker, n.heading) for n in o.walk() if n.kind in ("section", "enumeration", "part")]


def kinds(o, check=None):
    return [c.kind for c in o.checks if check is None or c.check == check]


class _CountingStr(str):
    """A speech body that counts the characters copied out of it (slices and single characters)."""

    copied = 0

    def __getitem__(self, key):
        part = str.__getitem__(self, key)
        _CountingStr.copied += len(part)
        return part


def outline_work(path) -> int:
    """The work ``build_outline`` does on the speech in ``path``, counted without a clock: lines
    of the outline package run, plus characters copied out of the body (a slice of the rest of
    the text per heading candidate is work no line count sees). Deterministic, so a test can
    compare it between two sizes of one text: linear code does twice the work on twice the text."""
    import dataclasses
    import sys
    from pathlib import Path

    import analysis_utils.outline
    from analysis_utils import load_speech

    package = str(Path(analysis_utils.outline.__file__).parent)
    speech = load_speech(path)
    speech = dataclasses.replace(speech, body=_CountingStr(speech.body))
    lines = 0

    def trace(frame, event, arg):
        nonlocal lines
        if not frame.f_code.co_filename.startswith(package):
            return None
        lines += event == "line"
        return trace

    outline_of("一、总体要求。")  # what is made once per process is made before counting
    _CountingStr.copied = 0
    before = sys.gettrace()  # a coverage tool's, say: given back afterwards
    sys.settrace(trace)
    try:
        build_outline(speech)
    finally:
        sys.settrace(before)
    return lines + _CountingStr.copied


def speech_texts():
    """A Hypothesis strategy: speech-like text of Chinese, punctuation, quotation marks, heading and
    enumeration markers, addresses, placeholders, line breaks and characters outside the BMP."""
    from hypothesis import strategies as st

    han = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
    pieces = ["一、", "二、", "三、", "（一）", "（二）", "(三)", "1.", "2、", "（1）", "①", "②", "一是", "二是", "三是", "第一，",
              "第二，", "首先，", "其次，", "最后，", "——", "同志们：", "同志们！", "各位代表：", "讲三点意见：", "以下两个方面：",
              "×××", "XX", "“", "”", "‘", "’", "「", "」", "\n", "\n\n", " ", "\u3000", "𠀀", "𪚥", "A1"]
    chunks = st.one_of(st.text(alphabet=han, min_size=1, max_size=40), st.text(alphabet="，。、；：？！;:!?", min_size=1, max_size=2),
                       st.sampled_from(pieces))
    return st.lists(chunks, min_size=1, max_size=120).map(lambda parts: TITLE + "\n" + "".join(parts))
