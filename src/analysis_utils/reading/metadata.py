"""What the text says about itself: title, subtitle, date, place, speaker and salutation.

They are read from the title block at the top of the body (its first 12 lines) and only
where the text states them; each comes with its span in the body.

Example:
    >>> m = extract_metadata("在大会上的讲话\\n（二〇一七年十月十八日，北京）\\n同志们：\\n今天开会。")
    >>> m.title, m.date, m.place, m.salutation
    ('在大会上的讲话', '2017-10-18', '北京', '同志们：')
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..speech import Metadata, RemovedSpan
from ..text import HAN, cn_number

#: A title or a line naming the occasion (……讲话, 在……上的).
TITLE_LIKE = re.compile(r"(讲话|报告|致辞|发言|演讲|贺词|献词|贺信|讲话提纲|主旨演讲|答记者问|在.{2,40}(上|时|之际)的)")
#: A salutation line: 同志们： / 尊敬的……： / ……先生们：
SALUTATION = re.compile(
    r"^(?:(同志们|各位代表|各位委员|女士们|尊敬的|亲爱的|各位|大家好|朋友们|老师们|同学们|青年朋友们)[^。]{0,60}"
    r"|[^。，,]{0,24}(先生|女士|主席|总统|总理|阁下|殿下|同志|朋友|代表|来宾|嘉宾)们?)[：:，,！!]$"
)
#: A numbered heading: 一、 … 十二、
HEADING = re.compile(r"^[一二三四五六七八九十]+、")
#: A date line in brackets, with an optional place: （2013年3月22日，莫斯科）
DATE_LINE = re.compile(
    r"^[（(]\s*(?P<y>[0-9０-９〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>[0-9０-９一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>[0-9０-９一二三四五六七八九十lI]{1,3})\s*日\s*(?:[，,、\s]?\s*(?P<place>[^）)]{1,20}))?\s*[）)]$"
)
#: A subtitle: ——在……上的讲话
SUBTITLE = re.compile(r"^(——|──|--|－－|—)\s*\S")
#: A speaker line: a name, or an office and a name.
SPEAKER = re.compile(rf"^(?:(?P<office>[{HAN}]{{2,20}})[\s　]+)?(?P<name>[{HAN}·]{{2,5}})$")
#: A title that starts with its speaker: 习近平：在……上的讲话 / 习近平在……上的讲话
SPEAKER_PREFIX = re.compile(
    rf"^(?P<name>[{HAN}·]{{2,4}})(?:[:：](?P<rest>.+)|(?:主席|总书记|总理|同志)?(?P<rest2>在.{{2,60}}(讲话|致辞|演讲|报告|发言|开幕辞|闭幕辞)))$"
)
#: A date at the start of a subtitle: ——2022年3月5日在第十三届全国人民代表大会第五次会议上
_SUBTITLE_DATE = re.compile(
    r"^(?:——|──|--|－－|—)?\s*(?P<y>[0-9０-９]{4})\s*年\s*(?P<m>[0-9０-９]{1,2})\s*月\s*(?P<d>[0-9０-９]{1,2})\s*日\s*(?:在|于).{2,60}上"
)
#: A post standing before the speaker's name (国务院总理 李克强), on its line or on the line above.
POST = re.compile(r"^(?:国务院)?(?:代理)?(?:副)?总理$|^(?:中华人民共和国|国家)?(?:副)?主席$|^(?:中共中央)?总书记$")
#: A title line that runs title, subtitle and speaker together: 政府工作报告——2023年3月5日在……会议上 国务院总理 李强
_RUN_TOGETHER = re.compile(
    rf"^(?P<title>[^—]{{2,40}}?)\s*(?P<subtitle>——.{{4,60}}?(?:会议|会議|大会|会)上)"
    rf"(?:\s*(?:(?P<post>[{HAN}]{{2,10}}?(?:总理|主席|总书记))\s*)?(?P<name>[{HAN}·]{{2,4}}))?$"
)
#: An editorial note between the title block and the salutation: （根据直播整理）
_EDITORIAL_NOTE = re.compile(r"^[（(](?:根据|据|本文|编者|注|记者|文字).{0,30}[）)]$")
_TIME_OF_DAY = re.compile(r"^(上午|下午|晚上|晚|早上|中午)[，,、\s]*")
_TITLE_BLOCK_LINES = 12


def is_title_like(line: str) -> bool:
    """A short line naming a speech or its occasion.

    Example:
        >>> is_title_like("在党建工作会议上的讲话"), is_title_like("同志们：")
        (True, False)
    """
    return bool(TITLE_LIKE.search(line)) and len(line) <= 60


_CLAUSE = re.compile(r"[^，,：:！!]+[，,：:！!]")


def is_salutation(line: str) -> bool:
    """A salutation line, or a long one (over 60 characters) made of salutations (尊敬的……，各位……，女士们、先生们：).

    Example:
        >>> is_salutation("同志们："), is_salutation("尊敬的各位来宾，" * 6 + "女士们、先生们："), is_salutation("今天开会。")
        (True, True, False)
    """
    if SALUTATION.match(line):
        return True
    if len(line) <= 60:
        return False
    clauses = _CLAUSE.findall(line)
    return line.endswith(("：", ":")) and "".join(clauses) == line and all(SALUTATION.match(c) for c in clauses)


def date_number(text: str) -> int | None:
    """A year, month or day of a date line: digits, full-width digits or Chinese numerals.

    A letter l or I typed for the digit 1 (``10月l6日``) is read as 1.

    Example:
        >>> date_number("二〇一七"), date_number("十八"), date_number("l6"), date_number("１２")
        (2017, 18, 16, 12)
    """
    return cn_number(text.replace("l", "1").replace("I", "1"), digit_strings=True)


def extract_metadata(body: str) -> Metadata:
    """Read title, subtitle, date, place, speaker and salutation from the top of the body.

    Args:
        body: a speech's body (one paragraph per line).

    Returns:
        A :class:`~analysis_utils.speech.Metadata`; a field the text does not state is ``None``.

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> from analysis_utils.reading import load_speech
        >>> m = extract_metadata(load_speech(SEED_SPEECH).body)
        >>> m.title, m.salutation, m.spans
        ('在党建工作会议上的讲话', '同志们：', {'salutation': (12, 16), 'title': (0, 11)})
    """
    block = _TitleBlock()
    lines = body.split("\n")
    pos = 0
    for n, line in enumerate(lines[:_TITLE_BLOCK_LINES]):
        start, end = pos, pos + len(line)
        pos = end + 1
        if block.empty and _above_the_title(lines, n, line):
            continue
        if not block.take(line, start, end):
            break
    return block.metadata()


_HEADER_DATE = re.compile(r"(?P<y>\d{4})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})")


def date_from_header(meta: Metadata, removed: tuple[RemovedSpan, ...]) -> tuple[Metadata, list[str]]:
    """When the speech states no date, the publication date of a removed news header (发表时间：2017-01-01).

    Args:
        meta: the metadata read from the body.
        removed: the spans the loader took out.

    Returns:
        ``(meta, notes)``: ``meta`` with ``date`` and ``date_text`` from the first news header
        that carries a valid date, and a note saying so; unchanged when the body has a date.

    Example:
        >>> r = RemovedSpan(0, 25, "发表时间：2017-01-01 来源：新华网", "news page header (publication time, source)", 0)
        >>> m, notes = date_from_header(Metadata(title="讲话"), (r,))
        >>> m.date, notes
        ('2017-01-01', ['date 2017-01-01 taken from the removed news header (its publication date; the speech states none)'])
    """
    if meta.date:
        return meta, []
    for r in removed:
        if not r.reason.startswith("news page header"):
            continue
        for m in _HEADER_DATE.finditer(r.text):
            y, mo, d = (int(m.group(k)) for k in "ymd")
            if 1 <= mo <= 12 and 1 <= d <= 31:
                date = f"{y:04d}-{mo:02d}-{d:02d}"
                note = f"date {date} taken from the removed news header (its publication date; the speech states none)"
                return replace(meta, date=date, date_text=meta.date_text or m.group()), [note]
    return meta, []


def _above_the_title(lines: list[str], n: int, line: str) -> bool:
    """Line ``n`` stands above the speech's own title: a book's chapter heading or a news caption."""
    if n == 0 and HEADING.match(line) and len(line) <= 30 and any(DATE_LINE.match(x) for x in lines[1:4]):
        return True  # a book's chapter heading above the speech's own title (十二、推动构建新型大国关系)
    return n < 3 and line.endswith("。") and any(is_title_like(x) for x in lines[n + 1: 4])  # a news caption


@dataclass
class _TitleBlock:
    """The title block read so far: the fields found, their spans, the title's lines."""

    fields: dict = field(default_factory=dict)
    spans: dict = field(default_factory=dict)
    title_parts: list[tuple[str, int, int]] = field(default_factory=list)
    end: int = 0
    post_start: int | None = None  # where a post on a line of its own began (国务院总理 / 李克强)

    @property
    def empty(self) -> bool:
        return not self.fields and not self.title_parts

    def take(self, line: str, start: int, end: int) -> bool:
        """Add the line at ``start:end`` to the block; ``False`` when the speech proper has begun."""
        f = self.fields
        if m := DATE_LINE.match(line):
            return "date" not in f and self._date(m, line, start, end)
        if (m := _SUBTITLE_DATE.match(line)) and "subtitle" not in f and len(line) <= 80:
            self._date(m, line, start, end, keep_text=False)
            return self._set("subtitle", line, start, end)
        if SUBTITLE.match(line) and "subtitle" not in f and len(line) <= 80:
            return self._set("subtitle", line, start, end)
        if is_salutation(line):
            return self._salutation(line, start, end)
        if "salutation" in f:
            return False
        if _EDITORIAL_NOTE.match(line) and not self.empty:
            return True  # （根据直播整理）: the salutation may still follow
        return self._speaker_or_title(line, start, end)

    def _speaker_or_title(self, line: str, start: int, end: int) -> bool:
        f = self.fields
        if "speaker" not in f and (self.title_parts or "date" in f):
            if POST.match(line):
                self.post_start = start  # the name is on the next line
                return True
            if m := SPEAKER.match(line):
                return self._set("speaker", m.group("name"), start if self.post_start is None else self.post_start, end)
        if (m := _RUN_TOGETHER.match(line)) and self.empty and _SUBTITLE_DATE.match(m.group("subtitle")):
            return self._run_together(m, start)
        if _could_be_title(line) and "date" not in f and "speaker" not in f:
            self.title_parts.append((line, start, end))
            self.end = end
            return True
        return False

    def _run_together(self, m: re.Match, start: int) -> bool:
        """政府工作报告——2023年3月5日在……会议上 国务院总理 李强: title, subtitle (with the date), speaker."""
        self.title_parts.append((m.group("title"), start + m.start("title"), start + m.end("title")))
        sub_start, sub_end = start + m.start("subtitle"), start + m.end("subtitle")
        self._date(_SUBTITLE_DATE.match(m.group("subtitle")), m.group("subtitle"), sub_start, sub_end, keep_text=False)  # type: ignore[arg-type]
        self._set("subtitle", m.group("subtitle"), sub_start, sub_end)
        if m.group("name"):
            self._set("speaker", m.group("name"), start + m.start("post" if m.group("post") else "name"), start + m.end("name"))
        return True

    def _set(self, name: str, value: str, start: int, end: int) -> bool:
        self.fields[name] = value
        self.spans[name] = (start, end)
        self.end = end
        return True

    def _date(self, m: re.Match, line: str, start: int, end: int, keep_text: bool = True) -> bool:
        y, mo, d = (date_number(m.group(k)) for k in "ymd")
        if y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31:
            self.fields["date"] = f"{y:04d}-{mo:02d}-{d:02d}"
        self.fields["date_text"] = line
        if not keep_text:  # the date stands in the subtitle: the subtitle's span is the date's
            self.spans["date"] = (start, end)
            return True
        place = _TIME_OF_DAY.sub("", (m.group("place") or "").strip())
        if place:
            self.fields["place"] = place
        self.spans["date"] = (start, end)
        self.end = end
        return True

    def _salutation(self, line: str, start: int, end: int) -> bool:
        """A salutation line; one spread over several lines is joined (the block's end stays)."""
        sal_start = self.spans.get("salutation", (start, end))[0]
        self.fields["salutation"] = self.fields.get("salutation", "") + line
        self.spans["salutation"] = (sal_start, end)
        return True

    def metadata(self) -> Metadata:
        if self.title_parts:
            self._title()
        return Metadata(**self.fields, spans=self.spans, title_block_end=self.end)

    def _title(self) -> None:
        text = " ".join(dict.fromkeys(t for t, _, _ in self.title_parts))  # a title repeated on two lines counts once
        if m := SPEAKER_PREFIX.match(text):  # 习近平：在……上的讲话
            self.fields.setdefault("speaker", m.group("name"))
            text = (m.group("rest") or m.group("rest2")).strip()
        self.fields["title"] = re.sub(r"[（(]全文[）)]$", "", text)
        self.spans["title"] = (self.title_parts[0][1], self.title_parts[-1][2])


def _could_be_title(line: str) -> bool:
    """Short, not a sentence, not a numbered heading."""
    return len(line) <= 50 and not line.endswith(("。", "！", "？", "；")) and not HEADING.match(line)
