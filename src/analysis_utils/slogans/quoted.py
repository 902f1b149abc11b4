"""Quoted terms (引号词语) and titles (书名号): what the speech puts in quotation marks or 《》.

``quoted``
    Everything in “…”, ‘…’, 「…」 or 『…』. ``detail`` says ``term`` (up to
    :data:`TERM_MAX_CHARS` characters, no sentence punctuation: “吃劲”, “三新”) or
    ``quotation`` (a saying or a sentence).
``title``
    Everything in 《…》 with a simple type in ``detail`` (:func:`title_type`): ``law`` (…法),
    ``regulation`` (条例, 规定, 办法, 准则, 党章 …), ``plan`` (规划, 纲要, 计划, 方案),
    ``opinion`` (意见, 建议), ``decision`` (决定, 决议, 公报), ``work`` (books and writings:
    文选, 论…, 宣言 …), ``newspaper`` (人民日报, 求是, …报), ``other``; labels in
    :data:`~analysis_utils.slogans.TITLE_TYPES`.

Example:
    >>> from analysis_utils import load_speech
    >>> from analysis_utils.config import SEED_SPEECH
    >>> seed = load_speech(SEED_SPEECH)
    >>> quoted_terms(seed).query("detail == 'term'").slogan.tolist()[:3]
    ['两委', '三新', '四个意识']
    >>> dict(zip(titles(seed).slogan, titles(seed).detail))["党政领导干部选拔任用条例"]
    'regulation'
"""
from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from ..outline.parts import Sections
from ..speech import Speech
from .hits import hit_table, sections_of

_QUOTE_RES = [
    re.compile(r"“([^“”\n]{1,300})”"),
    re.compile(r"‘([^‘’\n]{1,300})’"),
    re.compile(r"「([^「」\n]{1,300})」"),
    re.compile(r"『([^『』\n]{1,300})』"),
]
_SENTENCE_PUNCT_RE = re.compile(r"[，。；！？：,;!?:]")
#: A quote of at most this many characters without sentence punctuation is a ``term``.
TERM_MAX_CHARS = 16


def quoted_terms(speech: Speech, *, max_chars: int | None = None, sections: Sections | None = None) -> pd.DataFrame:
    """Everything the speech puts in “…”, ‘…’, 「…」 (and 『…』).

    Args:
        speech: the speech.
        max_chars: keep only quotes of at most this many characters (``None``: all).
        sections: the speech's sections (:func:`~analysis_utils.sections`); computed when ``None``.

    Returns:
        A hit table (:data:`~analysis_utils.slogans.HIT_COLUMNS`), ``slogan`` the text inside
        the marks; ``detail`` is ``term`` (at most 16 characters and no sentence punctuation)
        or ``quotation`` (a saying, a sentence). Offsets are those of the inner text.

    Example:
        >>> from analysis_utils import speech_from_text
        >>> q = quoted_terms(speech_from_text("讲话\\n到“吃劲”岗位历练。他说：“羊群走路靠头羊。”"))
        >>> list(zip(q.slogan, q.detail))
        [('吃劲', 'term'), ('羊群走路靠头羊。', 'quotation')]
    """
    rows = []
    for rx in _QUOTE_RES:
        for m in rx.finditer(speech.body):
            inner = m.group(1)
            if not inner.strip() or (max_chars is not None and len(inner) > max_chars):
                continue
            kind = "term" if len(inner) <= TERM_MAX_CHARS and not _SENTENCE_PUNCT_RE.search(inner) else "quotation"
            rows.append((inner, "quoted", m.start(1), m.end(1), kind))
    return hit_table(speech, rows, sections=sections_of(speech, sections))


_NEWSPAPERS = ("人民日报", "光明日报", "经济日报", "解放军报", "求是", "红旗文稿", "学习时报", "中国青年报",
               "参考消息", "新华每日电讯", "环球时报", "学习强国")
_WORK_WORDS = ("选集", "文选", "文集", "全集", "年谱", "语录", "宣言", "论", "资本论", "诗经", "论语", "史记",
               "孟子", "大学", "中庸", "尚书", "礼记", "左传", "周易", "道德经", "孙子兵法", "传", "记", "诗",
               "词", "赋", "歌", "书", "经", "志", "集", "读本", "纲要（读本）", "问答")
_NEWSPAPER_END_RE = re.compile(r"(日报|晚报|时报|周报|杂志|周刊|月刊|半月刊|学报)$")
_LAW_END_RE = re.compile(r"(法|法典|宪法|修正案)$")
_NOT_LAW_END_RE = re.compile(r"(方法|做法|办法|说法|想法|看法|兵法)$")
_QUALIFIER_RE = re.compile(r"[（(][^（）()]*[)）]$")  # 《…法（修正案）》, 《…（试行）》
_PLACEHOLDER_CHARS = set("×X○〇*＊ ")


def _ends_with(pattern: str) -> Callable[[str], bool]:
    rx = re.compile(f"({pattern})$")
    return lambda t: rx.search(t) is not None


def _is_newspaper(t: str) -> bool:
    if t in _NEWSPAPERS or _NEWSPAPER_END_RE.search(t):
        return True
    return t.endswith("报") and len(t) <= 6 and not t.endswith(("公报", "通报", "报告"))


def _is_law(t: str) -> bool:
    return _LAW_END_RE.search(t) is not None and _NOT_LAW_END_RE.search(t) is None


def _is_work(t: str) -> bool:
    return t in _WORK_WORDS or t.endswith(_WORK_WORDS) or t.startswith("论")


#: The tests of :func:`title_type`, in order: the first that holds gives the type.
_TITLE_RULES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("newspaper", _is_newspaper),
    ("decision", _ends_with("公报|决定|决议")),
    ("opinion", _ends_with("意见|建议")),
    ("plan", _ends_with("规划|纲要|计划|方案|路线图|行动纲领")),
    ("regulation", _ends_with("条例|规定|办法|规则|细则|准则|守则|章程|规程|党章|规范|制度")),
    ("law", _is_law),
    ("work", _is_work),
)


def title_type(title: str) -> str:
    """The type of a 《》 title: law, regulation, plan, opinion, decision, work, newspaper, other.

    A qualifier in brackets at the end (``（试行）``, ``（修正案）``) is left out; a
    placeholder such as ``×××`` is ``other``.

    Example:
        >>> [title_type(t) for t in ("党政领导干部选拔任用条例", "中华人民共和国民法典", "人民日报")]
        ['regulation', 'law', 'newspaper']
    """
    t = _QUALIFIER_RE.sub("", title.strip()).strip()
    if not t or set(t) <= _PLACEHOLDER_CHARS:
        return "other"
    return next((kind for kind, holds in _TITLE_RULES if holds(t)), "other")


def titles(speech: Speech, *, sections: Sections | None = None) -> pd.DataFrame:
    """Everything the speech puts in 《…》: documents, laws, regulations, works, newspapers.

    Args:
        speech: the speech.
        sections: the speech's sections (:func:`~analysis_utils.sections`); computed when ``None``.

    Returns:
        A hit table (:data:`~analysis_utils.slogans.HIT_COLUMNS`), ``slogan`` the title
        without the marks and ``detail`` its type (:func:`title_type`; labels in
        :data:`~analysis_utils.slogans.TITLE_TYPES`).

    Example:
        >>> from analysis_utils import speech_from_text
        >>> t = titles(speech_from_text("讲话\\n学习《中国共产党章程》和《人民日报》社论。"))
        >>> list(zip(t.slogan, t.detail))
        [('中国共产党章程', 'regulation'), ('人民日报', 'newspaper')]
    """
    rows = []
    for m in re.finditer(r"《([^《》\n]{1,120})》", speech.body):
        raw = m.group(1)
        inner = raw.strip()
        if inner:  # the offsets are those of the title without the spaces around it
            start = m.start(1) + len(raw) - len(raw.lstrip())
            rows.append((inner, "title", start, start + len(inner), title_type(inner)))
    return hit_table(speech, rows, sections=sections_of(speech, sections))
