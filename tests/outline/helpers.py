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


def structural(o):
    """(level, marker, heading) of every section/part/enumeration node, in document order."""
    return [(n.level, n.marker, n.heading) for n in o.walk() if n.kind in ("section", "enumeration", "part")]


def kinds(o, check=None):
    return [c.kind for c in o.checks if check is None or c.check == check]
