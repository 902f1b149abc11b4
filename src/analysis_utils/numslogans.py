"""Number slogans (数字化提法) found by pattern, so unseen ones stay whole.

A number slogan is a Chinese numeral followed by what makes it a set formulation:
chained ones (``一征三议两公开``, ``双推双评三全程``, ``三级联创五化并举``,
``三去一降一补``), five-year plans (``十四五``), numbered sets (``四个意识``,
``两个维护``, ``十四个坚持``) and any short numeral-led phrase the text puts in quotes
(“三新”, “两委”, “三单制”). Plain quantities and structure words are not slogans
(``三个月``, ``四期``, ``×个``, ``两点意见``, ``一是``, ``第一``).

:func:`find_number_slogans` is what the tokeniser uses to keep them whole; the slogan
counting of notebook 03 builds on it.
"""
from __future__ import annotations

import re
from collections.abc import Container

_D = "一二三四五六七八九"
#: One numeral: 一…九, 十, 十一…九十九, 两, 双, 百, 千.
NUMERAL = rf"(?:[{_D}]?十[{_D}]?|[{_D}两双百千])"
_NUM_CHARS = _D + "十两双百千零〇"
_SEG = rf"{NUMERAL}(?![点分])[^{_NUM_CHARS}\W\d_A-Za-z]{{1,3}}"
#: What may follow a chained slogan without being part of it.
_TAIL = r"工作法|工作|制度|活动|工程|机制|模式|行动|建设|要求|原则|理念|战略|格局|体系|目标|任务|主题|精神|标准|做法|经验|改革|政策"
CHAINED_RE = re.compile(rf"(?<![{_NUM_CHARS}第])(?:{_SEG}){{2,4}}(?=[^\u4e00-\u9fff]|$|{_TAIL})")
FIVE_YEAR_RE = re.compile(rf"(?<![{_NUM_CHARS}第])十[{_D}]五(?![{_NUM_CHARS}])")
#: 四个意识, 两个维护, 十四个坚持, 七个模范: numeral + 个 + two characters, then a boundary.
NUMBERED_SET_RE = re.compile(
    rf"(?<![{_NUM_CHARS}第])(?:[{_D}]?十[{_D}]?|[{_D}两])个(?!月|小时|星期|方面|百分点|人|多|以上|左右|亿|万|千|百)"
    rf"[^{_NUM_CHARS}\W\d_A-Za-z]{{2}}(?=[”’」』、，。；：！？,;]|和|与|及|$)"
)
QUOTED_RE = re.compile(rf"[“‘「『]({NUMERAL}[^“”‘’「」『』\s，。；！？、]{{1,9}})[”’」』]")
#: Structure words and quantities that look like slogans but are not.
NOT_SLOGAN_RE = re.compile(
    rf"^(?:{NUMERAL}(?:是|则|来|方面|点|期|批|项|件|次|年|月|天|日|届|名|位|人|种|条|家|所|级|倍|成|些|样)|第.*|{NUMERAL}+)$"
)
_MEETING_RE = re.compile(rf"届{NUMERAL}中全会|{NUMERAL}中全会$|次全国代表大会")


def find_number_slogans(text: str, *, idioms: Container[str] = ()) -> list[tuple[int, int, str]]:
    """``(start, end, slogan)`` for every number slogan in ``text``, leftmost-longest, no overlaps.

    Args:
        text: any text (a body, a paragraph).
        idioms: words never to call slogans (e.g. jieba's idioms such as 一心一意, 三心二意).

    Example:
        >>> [s for _, _, s in find_number_slogans("推广“一征三议两公开”工作法，落实“双推双评三全程”制度")]
        ['一征三议两公开', '双推双评三全程']
    """
    spans: list[tuple[int, int, str]] = []
    for rx in (QUOTED_RE, CHAINED_RE, FIVE_YEAR_RE, NUMBERED_SET_RE):
        for m in rx.finditer(text):
            g = 1 if rx is QUOTED_RE else 0
            s, e, word = m.start(g), m.end(g), m.group(g)
            if word in idioms or NOT_SLOGAN_RE.match(word) or _MEETING_RE.search(word):
                continue
            spans.append((s, e, word))
    spans.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[tuple[int, int, str]] = []
    for s, e, w in spans:
        if out and s < out[-1][1]:
            continue
        out.append((s, e, w))
    return out
