"""Does a decoded text read as Chinese? The check that catches a wrong encoding guess.

Bytes in Big5, Shift-JIS, EUC-JP or EUC-KR often decode without error as GBK or GB18030, into
characters nobody wrote (mojibake). Such text is told from Chinese by what it is made of:

- private-use characters (what GB18030 makes of bytes GBK leaves undefined): mojibake;
- Japanese kana or Korean Hangul: another language (in a quarter of the letters or more), or
  mojibake (Big5 read as GBK gives some kana);
- Chinese characters that are mostly not common ones, the 常用字 of GB2312 (level 1, 3,755
  characters) and of Big5 (level 1, 5,401 characters, traditional): mojibake;
- for a guessed encoding, characters that are rarely the 500 most frequent of jieba's dictionary
  (in Chinese about two thirds are; EUC-KR read as GBK gives common characters at random): mojibake.

Example:
    >>> chinese_problem("在党建工作会议上的讲话。同志们：今天我们召开会议。")
    >>> chinese_problem("本日の会議では、経済の発展について議論しました。")
    'Japanese (12 kana among 22 letters)'
    >>> chinese_problem("오늘 회의에서는 경제의 발전에 대해 논의했습니다.")
    'Korean (21 Hangul among 21 letters)'
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ..text import HAN, HAN_RE, count_han

_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_NOT_CHINESE = re.compile("|".join(rx.pattern for rx in (_KANA, _HANGUL, _PRIVATE_USE)))
#: Only this many characters (from the start, middle and end) are looked at in a long text.
_SAMPLE = 200_000
#: The least share of common characters Chinese has, by how many Chinese characters there are
#: (in 50,000 stretches of the corpus: never below 0.67 at 10 characters, 0.77 at 30, 0.98 in a whole text).
_MIN_COMMON = ((50, 0.8), (10, 0.5))
#: The least share of the 500 most frequent characters, from 30 Chinese characters on (corpus: 0.23 at 30, 0.59 in a whole text).
_MIN_HAN_FREQUENT, _MIN_FREQUENT_SHARE = 30, 0.2
#: Below this count kana or Hangul say nothing.
_MIN_OTHER = 5
#: Kana or Hangul in this share of the letters: not Chinese; in the larger share: that language for sure.
_MIN_OTHER_SHARE, _LANGUAGE_SHARE = 0.1, 0.25
_FREQUENT = 500


@dataclass(frozen=True)
class Reading:
    """How a decoded text reads: why it is not Chinese (``None`` when it is), how Chinese it
    looks (the shares of common and of frequent characters among its Chinese characters), and how
    many Chinese characters it holds (``None`` for a long text of which only a sample was read)."""

    problem: str | None
    score: tuple[float, float]
    han: int | None = None


def chinese_problem(text: str, *, guessed: bool = False) -> str | None:
    """Why ``text`` does not read as Chinese, or ``None`` when it does.

    Args:
        text: decoded text.
        guessed: the encoding was guessed (not UTF-8, no byte-order mark): also ask that the
            text hold Chinese characters and that they be frequent ones in the proportion
            Chinese has (this reads jieba's dictionary once, about 0.4 s).

    Returns:
        ``None``, or a few words: ``Japanese (…)``, ``Korean (…)`` (for sure), ``Japanese or
        mojibake (…)``, ``Korean or mojibake (…)``, ``mojibake (…)``, ``no Chinese characters``.

    Example:
        >>> big5 = "在黨建工作會議上的講話，我們要堅持黨的領導。".encode("big5")
        >>> chinese_problem(big5.decode("gb18030"))
        'mojibake (11 private-use characters)'
        >>> chinese_problem(big5.decode("big5"))
    """
    return read_as_chinese(text, guessed=guessed).problem


def read_as_chinese(text: str, *, guessed: bool = False) -> Reading:
    """:func:`chinese_problem` and the score that tells two readings of the same bytes apart.

    Example:
        >>> data = "中華人民共和國憲法".encode("big5")
        >>> [read_as_chinese(data.decode(e), guessed=True) for e in ("gb18030", "big5")]  # doctest: +NORMALIZE_WHITESPACE
        [Reading(problem=None, score=(0.75, 0.25), han=4), Reading(problem=None, score=(1.0, 0.6666666666666666), han=9)]
    """
    mid = len(text) // 2
    sample = text if len(text) <= _SAMPLE else text[:_SAMPLE // 2] + text[mid:mid + _SAMPLE // 4] + text[-_SAMPLE // 4:]
    n_han = count_han(sample)
    common = n_han - len(_other_han(common_han).findall(sample))  # the few others are found fast
    frequent = n_han - len(_other_han(frequent_han).findall(sample)) if guessed else 0
    score = (common / n_han, frequent / n_han) if n_han else (0.0, 0.0)
    return Reading(_problem(sample, n_han, common, frequent, guessed), score, n_han if sample is text else None)


def _problem(sample: str, n_han: int, common: int, frequent: int, guessed: bool) -> str | None:
    """The first sign that ``sample`` is not Chinese, with ``n_han`` Chinese characters of which
    ``common`` are common and ``frequent`` frequent ones."""
    if _NOT_CHINESE.search(sample):
        kana, hangul, private = (len(rx.findall(sample)) for rx in (_KANA, _HANGUL, _PRIVATE_USE))
    else:  # one pass finds none of the three (as in most texts)
        kana = hangul = private = 0
    letters = n_han + kana + hangul
    if private >= 3 and private >= 0.01 * (letters + private):
        return f"mojibake ({private} private-use characters)"
    for n, script, language in ((hangul, "Hangul", "Korean"), (kana, "kana", "Japanese")):
        if n >= _MIN_OTHER and n >= _MIN_OTHER_SHARE * letters:
            return f"{language if n >= _LANGUAGE_SHARE * letters else language + ' or mojibake'} ({n} {script} among {letters} letters)"
    if guessed and not n_han:
        return "no Chinese characters"
    least = next((share for n, share in _MIN_COMMON if n_han >= n), 0.0)
    if common < least * n_han:
        return f"mojibake (only {common / n_han:.0%} of its Chinese characters are common ones)"
    if guessed and n_han >= _MIN_HAN_FREQUENT and frequent < _MIN_FREQUENT_SHARE * n_han:
        return f"mojibake (only {frequent / n_han:.0%} of its Chinese characters are among the {_FREQUENT} most frequent)"
    return None


@lru_cache(maxsize=2)
def _other_han(chars: Callable[[], frozenset[str]]) -> re.Pattern:
    """A pattern for one Chinese character (:data:`~analysis_utils.text.HAN`) not among ``chars()``
    (:func:`common_han`, :func:`frequent_han`), written as ranges of code points.

    Example:
        >>> [_other_han(common_han).findall(t) for t in ("的們", "㐀，A")]
        [[], ['㐀']]
    """
    chosen = chars()
    ranges: list[list[int]] = []
    for m in re.finditer(r"(.)-(.)|(.)", HAN, re.S):  # HAN's ranges and single characters
        first, last = (m[1], m[2]) if m[1] else (m[3], m[3])
        for code in range(ord(first), ord(last) + 1):
            if chr(code) in chosen:
                continue
            if ranges and code == ranges[-1][1] + 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return re.compile("[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges) + "]")


@lru_cache(maxsize=1)
def common_han() -> frozenset[str]:
    """The common Chinese characters: level 1 of GB2312 (simplified) and of Big5 (traditional).

    Example:
        >>> len(common_han()), "的" in common_han(), "們" in common_han(), "㐀" in common_han()
        (6722, True, True, False)
    """
    common = set()
    for code in range(0x4E00, 0xA000):
        c = chr(code)
        for encoding, first, last in (("gb2312", b"\xb0\xa1", b"\xd7\xfe"), ("big5", b"\xa4\x40", b"\xc6\x7e")):
            try:
                b = c.encode(encoding)
            except UnicodeEncodeError:
                continue
            if first <= b <= last:
                common.add(c)
    return frozenset(common)


@lru_cache(maxsize=1)
def frequent_han() -> frozenset[str]:
    """The 500 most frequent Chinese characters, counted over the words of jieba's dictionary.

    Example:
        >>> {"的", "国", "人"} <= frequent_han(), "罹" in frequent_han()
        (True, False)
    """
    import jieba

    freq: Counter[str] = Counter()
    with jieba.get_dict_file() as f:
        for line in f.read().decode("utf-8").splitlines():
            word, count = line.split(" ", 2)[:2]
            for c in word:
                freq[c] += int(count)
    return frozenset([c for c, _ in freq.most_common() if HAN_RE.fullmatch(c)][:_FREQUENT])
