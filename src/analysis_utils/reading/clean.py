"""Normalise the text and separate what is not the speech (site notices, news headers, credits).

Nothing is dropped silently: :func:`normalize_text` says what it changed, and
:func:`split_non_speech` returns every line it took out with the reason.

Example:
    >>> text, notes = normalize_text("在会上的讲话\\r\\n\\u3000\\u3000同志们：")
    >>> text, notes
    ('在会上的讲话\\n同志们：', ['line endings normalised to LF (1 CRLF)', '1 line indent(s) removed (ideographic or plain spaces)'])
    >>> body, removed = split_non_speech("来源：新华网\\n在会上的讲话\\n同志们：")
    >>> body, removed[0].reason
    ('在会上的讲话\\n同志们：', 'news page header (source)')
"""
from __future__ import annotations

import html
import re

from ..speech import RemovedSpan
from ..text import HAN
from .metadata import DATE_LINE, HEADING, SALUTATION, SUBTITLE, TITLE_LIKE, is_title_like

# --------------------------------------------------------------------- normalisation
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACE_CHARS = "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
_ZERO_WIDTH = dict.fromkeys(map(ord, _ZERO_WIDTH_CHARS), None)
_SPACES = dict.fromkeys(map(ord, _SPACE_CHARS), " ")
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85")
_BREAK_CHARS = "\r\u2028\u2029\x0b\x0c\x85"  # one of them is in every match of _LINE_BREAKS
#: Pasted HTML: block tags end a line, inline tags (bold, links, fonts …) go without a trace.
_HTML_BLOCK = re.compile(r"</?(?:p|br|div|section|h[1-6]|li|ul|ol|table|tr|td)\b[^>\n]*>", re.I)
_HTML_INLINE = re.compile(r"</?(?:span|strong|b|i|u|em|font|a)\b[^>\n]*>", re.I)
#: Terminal escape sequences (CSI ``ESC [ … m``, OSC ``ESC ] … BEL``, two-character ones) and the
#: other control characters (C0 but tab and line feed, DEL, C1) and non-characters U+FFFE/U+FFFF.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|[ -/]*[0-~])?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_HTML_ENTITY = re.compile(r"&(?:nbsp|amp|lt|gt|quot|ldquo|rdquo|mdash|hellip|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_INDENT = " \t\u3000"
_BLANK = _INDENT + _ZERO_WIDTH_CHARS  # what a line that looks blank is made of


def normalize_text(text: str) -> tuple[str, list[str]]:
    """Normalise without changing meaning.

    Line endings become ``\\n``; zero-width characters go; control characters and terminal
    escape sequences go; pasted HTML block tags become line breaks, inline tags go and
    entities are decoded; non-breaking and other typographic spaces become plain
    spaces; each line loses its leading and trailing white space (ideographic-space indents
    included) and a Markdown heading mark; blank lines go, so every line is one paragraph.
    Full-width punctuation and digits are kept as they are.

    Args:
        text: the decoded text.

    Returns:
        ``(text, notes)``: the normalised text and one note per kind of change made.

    Example:
        >>> text, notes = normalize_text("## 讲话\\n\\n今天\\u200b开会&nbsp;。")
        >>> text
        '讲话\\n今天开会 。'
        >>> notes  # doctest: +NORMALIZE_WHITESPACE
        ['1 zero-width character(s) removed', 'pasted HTML cleaned: 0 tag(s) removed, 1 entity(ies) decoded',
         '1 non-breaking/typographic space(s) made plain spaces', "1 Markdown heading mark(s) '#' removed"]
    """
    notes: list[str] = []
    for step in (_unify_line_breaks, _drop_lost_lines, _join_broken_lines, _drop_zero_width, _drop_controls, _clean_html,
                 _plain_spaces, _split_run_together, _split_glued_markers, _strip_lines):
        text, note = step(text)
        notes += note
    return text, notes


def _unify_line_breaks(text: str) -> tuple[str, list[str]]:
    if not any(c in text for c in _BREAK_CHARS):  # faster than a search with the pattern
        return text, []
    n_crlf = text.count("\r\n")
    return _LINE_BREAKS.sub("\n", text), [
        f"line endings normalised to LF ({n_crlf} CRLF)" if n_crlf else "line endings normalised to LF"]


#: A paragraph ends with one of these; a line that does not, and is followed by a fragment, was broken.
_FINAL = tuple("。！？!?；;：:…”’」』）)】")
_OPENING = tuple("《（(“「『〔【[、")
_CLOSING = tuple("，、。；：！？!?）)》」』”’〕】]%")  # cannot open a paragraph
_LEAD_IN = re.compile(r"(?:^|[，。；：])(?:[一二三四五六七八九十]|[一二三四五六七八九十]条|第[一二三四五六七八九十]条?)[是要]$")  # bold 一是
_NOTE_MARK = re.compile(r"[^。！？!?]\[[^\]]{1,8}\]$")  # a footnote mark mid-sentence: 代表會議[1]
_LINK = re.compile(r"[^\s，。；：！？,;:!?]{1,20}")  # a wiki link's text on a line of its own
_LABEL = re.compile(r"^\d{4}[-.]\d{2}[-.]\d{2}_")
_BROKEN_PROSE = re.compile(r"^(?![一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|第[一二三四五六七八九十]+)(?=.{15})(?=.*[，。、])")


def _join_broken_lines(text: str) -> tuple[str, list[str]]:
    """Rejoin a word or sentence a wiki page or a line wrap broke over lines.

    Line ``B`` is joined to the line ``A`` above it when nothing but lines of zero-width
    characters stand between them (a blank line always ends a paragraph), ``B`` is not
    indented, and: ``B`` starts with punctuation that cannot open a paragraph (，、。》” …, even
    after a full stop); or ``A`` does not end a sentence (。！？；：…） and one of these holds: a
    zero-width line stood between them (``为打\\n\\u200b\\n造``); ``A`` ends with an opening
    bracket, quote or 、, or with a footnote mark mid-sentence (``會議[1]``); ``B`` is one
    character (``政府工作报\\n告``); ``A`` is a bold lead-in (``一是``, ``一条是``, a short clause
    ending with a comma that is not a salutation); ``B`` is a link's text (up to 20
    characters, no space or punctuation) after prose broken mid-sentence (15 characters or
    more with a comma, full stop or 、 inside, not a heading) or after a single character,
    and then the line after the link goes on the same line too.

    Example:
        >>> _join_broken_lines("政府工作报\\n告\\n各位代表：\\n要打\\n\\u200b\\n造《\\n中国\\n》品牌。")
        ('政府工作报告\\n各位代表：\\n要打\\u200b造《中国》品牌。', ['4 line break(s) inside words or sentences rejoined (wiki links, wrapped lines)'])
    """
    out: list[str] = []
    pending: list[str] = []  # lines of zero-width characters only, since the last text line
    joins, can_join, after_link = 0, False, False
    for line in text.split("\n"):
        if not line.strip(_BLANK):
            if can_join and (zero_width := line.strip(_INDENT)):  # not blank: zero-width characters
                pending.append(zero_width)
                continue
            if pending:
                out += pending
                pending = []
            out.append(line)  # a blank line: the paragraph has ended
            can_join = False
            continue
        how = _broken(out[-1].strip(_BLANK), line, bool(pending), after_link) if can_join else None
        if how:
            out[-1] = out[-1].rstrip(_INDENT) + "".join(pending) + line
            joins += 1
        else:
            if pending:
                out += pending
            out.append(line)
        pending, can_join, after_link = [], True, how == "link"
    out += pending
    return "\n".join(out), [f"{joins} line break(s) inside words or sentences rejoined (wiki links, wrapped lines)"] if joins else []


def _broken(prev: str, line: str, zero_width_between: bool, after_link: bool) -> str | None:
    """How ``line`` continues ``prev`` (see :func:`_join_broken_lines`), or ``None``."""
    if line[0] in _INDENT:
        return None
    if line.startswith(_CLOSING):
        return "punctuation"
    if prev.endswith(_FINAL):
        return None
    if zero_width_between or prev.endswith(_OPENING) or line.startswith("[") or after_link or _NOTE_MARK.search(prev):
        return "punctuation"
    if len(line) == 1 and _BROKEN_PROSE.match(prev):
        return "link"  # a character split off a word (货币M\n2\n预期): the next line goes on too
    if len(line) == 1 or _LEAD_IN.search(prev) or (prev.endswith("，") and len(prev) <= 20 and not SALUTATION.match(prev)):
        return "lead-in"
    if _LINK.fullmatch(line) and (len(prev) == 1 or _BROKEN_PROSE.match(prev) and not _LABEL.match(prev)):
        return "link"
    return None


def _drop_zero_width(text: str) -> tuple[str, list[str]]:
    zw = sum(text.count(c) for c in _ZERO_WIDTH_CHARS)
    return (text.translate(_ZERO_WIDTH), [f"{zw} zero-width character(s) removed"]) if zw else (text, [])


def _drop_controls(text: str) -> tuple[str, list[str]]:
    """Terminal escape sequences and control characters go (they would reach titles, terminals and SVGs).

    Example:
        >>> _drop_controls("\\x1b[31m讲话\\x1b[0m\\x07")
        ('讲话', ['control characters removed: 2 terminal escape sequence(s), 1 other control character(s)'])
    """
    if not _CONTROL.search(text):
        return text, []
    text, n_esc = _ESCAPE.subn("", text)
    text, n_ctl = _CONTROL.subn("", text)
    parts = [f"{n} {what}" for n, what in ((n_esc, "terminal escape sequence(s)"), (n_ctl, "other control character(s)")) if n]
    return text, ["control characters removed: " + ", ".join(parts)]


def _clean_html(text: str) -> tuple[str, list[str]]:
    if not (_HTML_BLOCK.search(text) or _HTML_INLINE.search(text) or _HTML_ENTITY.search(text)):
        return text, []
    text, n_inline = _HTML_INLINE.subn("", text)
    text, n_block = _HTML_BLOCK.subn("\n", text)
    n_tags = n_inline + n_block
    n_ent = len(_HTML_ENTITY.findall(text))
    text = _HTML_ENTITY.sub(lambda m: html.unescape(m.group()), text)
    return text, [f"pasted HTML cleaned: {n_tags} tag(s) removed, {n_ent} entity(ies) decoded"]


def _plain_spaces(text: str) -> tuple[str, list[str]]:
    sp = sum(text.count(c) for c in _SPACE_CHARS)
    return (text.translate(_SPACES), [f"{sp} non-breaking/typographic space(s) made plain spaces"]) if sp else (text, [])


#: A text with no paragraph breaks (a news page or a CSV cell flattened to one line) is this long.
_RUN_TOGETHER_LINE = 200
_PARAGRAPH_RUN = re.compile(r"(?<=\S)\u3000{2,}(?=\S)")  # inside the line: an indent is not a break
#: A photo credit inside the text, with the caption sentence before it when it reads as one. Every
#: caption holds a credit (``_CAPTION_CREDIT``) and every lead an agency's dateline (``_LEAD_DATELINE``):
#: they start with a word, so a search for them skips ahead fast, and where they are not, neither is
#: a caption or a lead (whose patterns, starting with white space, try every character).
_CAPTION_CREDIT = rf"(?:记者|摄影|图片)\s*[{HAN}×]{{2,4}}(?:[ 、，,][{HAN}×]{{2,4}})*\s*/?\s*摄(?![影像制])"
_INLINE_CAPTION = re.compile(
    rf"\s*(?P<caption>(?:(?<![年\d０-９])(?:\d{{1,2}}月\d{{1,2}}日|图为|当地时间)[^。！？\n]{{0,150}}[。！？]\s*)?"
    rf"(?:新华社|人民日报|中新社|人民网)?{_CAPTION_CREDIT})\s*"
)
_LEAD_DATELINE = rf"(?:新华社|中新社|人民网|央视网|新华网)[{HAN}]{{0,12}}?[0-9０-９×]{{1,2}}月[0-9０-９×]{{1,2}}日电"
_LEAD_REST = r"[）)]?(?:[（(]记者[^）)]{1,20}[）)])?(?:\s*[^。！？\n]{0,100}。[^。！？\n]{0,20}如下[：:])?"
_INLINE_LEAD = re.compile(rf"\s*(?P<lead>[（(]?{_LEAD_DATELINE}{_LEAD_REST})\s*")
#: 在……上的讲话（2014年10月15日）习近平同志们：…… run into one line.
_TITLE_WORDS = "(?:讲话|致辞|报告|演讲|贺词|发言|献词)"
_INLINE_TITLE_BLOCK = re.compile(rf"(?:^|(?<=[。！？]))(?P<title>[^。！？]{{2,60}}?{_TITLE_WORDS})\s*(?P<date>[（(][^）)]{{6,30}}[）)])\s*")
_TITLE_WORD_DATE = re.compile(rf"{_TITLE_WORDS}\s*[（(]")  # a part of every title block
_INLINE_OFFICE = re.compile(rf"^(?:[{HAN}]{{2,20}}[ \u3000]+|(?:国务院|中华人民共和国|国家)?副?(?:总理|主席)|(?:中共中央)?总书记)(?=[{HAN}])")
#: 政府工作报告——2021年3月5日在……会议上 run into the text (the dash may be missing).
_INLINE_GWR_BLOCK = re.compile(r"^(?P<title>[^。！？\d—]{2,40}?)(?P<date>(?:——|—)?\d{4}年\d{1,2}月\d{1,2}日在[^。！？]{2,60}?(?:会议|会議|大会)上)")
_SALUTATION_OPENERS = ("同志们", "各位", "尊敬的", "女士们", "亲爱的", "朋友们", "老师们", "同学们")
_FIRST_CLAUSE = re.compile(r"^[^。！？：:，,]{1,30}[：:，,！!]")


def _inline_speaker(rest: str) -> str:
    """The speaker (an office and a name, or a name) at the start of ``rest`` when a salutation follows it."""
    if rest.startswith(_SALUTATION_OPENERS):
        return ""  # no speaker line: the salutation follows the date
    office = _INLINE_OFFICE.match(rest)
    start = office.end() if office else 0
    fits = [n for n in (3, 2, 4) if (c := _FIRST_CLAUSE.match(rest[start + n:])) and SALUTATION.match(c.group())]
    opening = [n for n in fits if rest[start + n:].startswith(_SALUTATION_OPENERS)]
    return rest[: start + (opening or fits)[0]] if fits else ""


def _inline_salutation(rest: str) -> str:
    """The salutation at the start of ``rest``: its clauses up to the one ending with ： or ！."""
    end = 0
    while (c := _FIRST_CLAUSE.match(rest[end:])) and SALUTATION.match(c.group()):
        end += c.end()
        if c.group()[-1] in "：:！!":
            break
    return rest[:end]


def _split_run_together(text: str) -> tuple[str, list[str]]:
    """A text with no paragraph breaks: runs of U+3000 become paragraph breaks; inline photo
    captions, agency leads and a title block run into the text are put on lines of their own
    (the captions and leads are then removed with their reasons). Only lines longer than
    200 characters are touched.

    Example:
        >>> text, notes = _split_run_together("在会上的讲话（2014年10月15日）习近平同志们：今天开会。" + "我们要学习。" * 30
        ...     + "\u3000\u300010月15日，习近平发表重要讲话。 新华社记者 李涛 摄　　第二段。")
        >>> text.split("\\n")[:4], text.split("\\n")[-2:]
        (['在会上的讲话', '（2014年10月15日）', '习近平', '同志们：'], ['10月15日，习近平发表重要讲话。 新华社记者 李涛 摄', '第二段。'])
        >>> notes
        ['a text without paragraph breaks split: 2 run(s) of U+3000 made paragraph breaks, 1 caption(s) and 0 agency lead(s) put on lines of their own, the title block put on lines of its own']
    """
    out: list[str] = []
    counts = [0, 0, 0, 0]  # U+3000 runs, captions, leads, title blocks
    for line in text.split("\n"):
        if len(line) <= _RUN_TOGETHER_LINE:
            out.append(line)
            continue
        line, n = _PARAGRAPH_RUN.subn("\n", line) if "\u3000\u3000" in line.strip() else (line, 0)  # not an indent
        counts[0] += n
        line, n = _split_out(_INLINE_CAPTION, line)
        counts[1] += n
        line, n = _split_out(_INLINE_LEAD, line)
        counts[2] += n
        parts = [x.strip() for x in line.split("\n") if x.strip()]
        counts[3] += _split_title_block(parts)
        out += parts
    if not any(counts):
        return text, []
    what = f"{counts[0]} run(s) of U+3000 made paragraph breaks, {counts[1]} caption(s) and {counts[2]} agency lead(s) put on lines of their own"
    return "\n".join(out), ["a text without paragraph breaks split: " + what + (", the title block put on lines of its own" if counts[3] else "")]


#: A heading or list marker right after a caption or lead (…/摄第一， 新华社北京3月5日电一、).
_MARKER_AHEAD = r"(?=[（(]?[一二三四五六七八九十]{1,3}[、）)．.]|第[一二三四五六七八九十]{1,3}(?:[，、：:是]|部分|个问题)|[一二三四五六七八九十]{1,3}是)"
_GLUED = [re.compile(rx.pattern + _MARKER_AHEAD) for rx in (_INLINE_CAPTION, _INLINE_LEAD)]
#: Parts of every match of each pattern that puts a caption or lead on a line of its own: a word, and
#: a pattern; where either is not found the pattern is not run (:func:`_split_out`).
_SURE_PART = {
    _INLINE_CAPTION: ("摄", re.compile(_CAPTION_CREDIT)),
    _INLINE_LEAD: ("日电", re.compile(_LEAD_DATELINE)),
    _GLUED[0]: ("摄", re.compile(_CAPTION_CREDIT + r"\s*" + _MARKER_AHEAD)),
    _GLUED[1]: ("日电", re.compile(_LEAD_DATELINE + _LEAD_REST + r"\s*" + _MARKER_AHEAD)),
}


def _split_out(rx: re.Pattern, text: str) -> tuple[str, int]:
    """``text`` with every caption or lead ``rx`` finds (its group 1) on a line of its own, and how many.

    The same as ``rx.subn`` (``_SURE_PART[rx]`` only spares the search where no match can be).

    Example:
        >>> _split_out(_INLINE_LEAD, "开会。新华社北京3月5日电 今天开会。"), _split_out(_INLINE_LEAD, "今天开会。")
        (('开会。\\n新华社北京3月5日电\\n今天开会。', 1), ('今天开会。', 0))
    """
    word, part = _SURE_PART[rx]
    if word not in text or not part.search(text):
        return text, 0
    return rx.subn(lambda m: "\n" + m.group(1) + "\n", text)


def _split_glued_markers(text: str) -> tuple[str, list[str]]:
    """A photo caption or agency lead glued to a heading or list marker, in a line of any length,
    goes on a line of its own (then removed with its reason), so it hides no marker.

    Example:
        >>> _split_glued_markers("新华社北京3月5日电一、总体要求\\n新华社记者 李涛 摄第一，要学习。")[0].split("\\n")
        ['', '新华社北京3月5日电', '一、总体要求', '新华社记者 李涛 摄', '第一，要学习。']
    """
    n = 0
    for rx in _GLUED:
        text, k = _split_out(rx, text)
        n += k
    return (text, [f"{n} caption(s) or agency lead(s) glued to a heading or list marker put on lines of their own"]) if n else (text, [])


def _title_block_in(part: str) -> re.Match | None:
    """A title block (政府工作报告——2021年3月5日在……会议上, or 在……的讲话（日期）) at the start of ``part``.

    Neither is looked for where a part of it is missing (日在, an opening bracket after 讲话 …).

    Example:
        >>> _title_block_in("在会上的讲话（2014年10月15日）习近平同志们：").group("date"), _title_block_in("今天开会。")
        ('（2014年10月15日）', None)
    """
    if "日在" in part and (m := _INLINE_GWR_BLOCK.match(part)):
        return m
    head = part[:200]
    if ("（" in head or "(" in head) and _TITLE_WORD_DATE.search(head):
        return _INLINE_TITLE_BLOCK.search(head)
    return None


def _split_title_block(parts: list[str]) -> int:
    """Put a title block run into the text (在……的讲话（日期）习近平同志们：……) on lines of its own, in place."""
    for i, part in enumerate(parts[:3]):  # after a lead or a caption put on lines of their own
        if m := _title_block_in(part):
            speaker = _inline_speaker(part[m.end():])
            rest = part[m.end() + len(speaker):]
            sal = _inline_salutation(rest)
            office = _INLINE_OFFICE.match(speaker)
            if office and not office.group().strip(" \u3000") == office.group():
                office = None  # 中华人民共和国主席　习近平: the speaker line as it is
            speakers = [speaker[: office.end()], speaker[office.end():]] if office else [speaker]  # 国务院总理 / 李克强
            head = [part[: m.start()], m.group("title"), m.group("date"), *speakers, sal]  # a news caption may stand above
            parts[i: i + 1] = [x for x in head if x] + [rest[len(sal):]]
            return 1
    return 0


#: What an encoding conversion leaves for a character it could not write: ``?`` or U+FFFD.
_LOST_LINE = re.compile(r"^[ \t\u3000]*[?\ufffd][?\ufffd \t\u3000]*$", re.M)
_LOST_BETWEEN_WORDS = re.compile(rf"(?<=[{HAN}]) +[?\ufffd] +(?=[{HAN}])")


def _drop_lost_lines(text: str) -> tuple[str, list[str]]:
    """Lines of nothing but ``?``/U+FFFD (blank lines an encoding conversion lost) go; a lone
    ``?`` between two words (``小康社会 ? 夺取``, a lost ideographic space) becomes a space.

    Example:
        >>> _drop_lost_lines("决胜小康社会 ? 夺取伟大胜利\\n?\\n同志们：\\n\\ufffd\\n今天开会?")
        ('决胜小康社会 夺取伟大胜利\\n\\n同志们：\\n\\n今天开会?', ["2 line(s) of only '?' dropped and 1 '?' between words made a space (characters lost in an encoding conversion)"])
    """
    if "?" not in text and "\ufffd" not in text:
        return text, []
    text, n_lines = _LOST_LINE.subn("", text)
    text, n_words = _LOST_BETWEEN_WORDS.subn(" ", text)
    if not (n_lines or n_words):
        return text, []
    return text, [f"{n_lines} line(s) of only '?' dropped and {n_words} '?' between words made a space "
                  "(characters lost in an encoding conversion)"]


def _strip_lines(text: str) -> tuple[str, list[str]]:
    """Indents, trailing spaces, Markdown heading marks and blank lines go."""
    lines = []
    indents = md = 0
    for line in text.split("\n"):
        stripped = line.strip(_INDENT)
        if stripped and line[0] in _INDENT:  # an indent before the text
            indents += 1
        if stripped.startswith("#") and _MD_HEADING.match(stripped):
            stripped = _MD_HEADING.sub("", stripped)
            md += 1
        if stripped:
            lines.append(stripped)
    notes = []
    if indents:
        notes.append(f"{indents} line indent(s) removed (ideographic or plain spaces)")
    if md:
        notes.append(f"{md} Markdown heading mark(s) '#' removed")
    return "\n".join(lines), notes


# ------------------------------------------------------------------ non-speech lines
_LONG_CAPTION = 240
_SHORT = 80  # a notice line is short; a speech paragraph that mentions 来源 is not one
_CAPTION = "photo or video caption"
_SOURCE_LINE = re.compile(r"来源\s*[:：].{0,40}$|^.{0,40}\d{4}[-年]\d{1,2}[-月]\d{1,2}.{0,20}来源\s*[:：]")
_LINE_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^\d{4}[-.]\d{2}[-.]\d{2}_"), "collection label (date_title line added by the collection)"),
    (re.compile(r"^(发表时间|发布时间|时间|日期)[:：].{0,40}(来源|作者|编辑)[:：]"), "news page header (publication time, source)"),
    (re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}.{0,10}来源[:：]"), "news page header (publication time, source)"),
    (re.compile(r"^(来源|稿源|出处)[:：]"), "news page header (source)"),
    (re.compile(r"^(原标题|原题|标题)[:：]"), "news page header (original headline)"),
    (_SOURCE_LINE, "news page header (publication time, source)"),
    (re.compile(r"【(打印|关闭|大 ?中 ?小|字号|收藏|分享)】"), "web page controls"),
    (re.compile(r"(记者|摄影|图片)[^。，]{0,12}?摄\s*[）)]?$|^(图|图片|视频)[:：]"), _CAPTION),
    (re.compile(r"^《\s*[^》]{1,20}\s*》\s*[（(]\s*\d{4}年\d{1,2}月\d{1,2}日\s*\d*\s*版\s*[）)]$"), "newspaper source line"),
    (re.compile(r"^[（(]\s*(新华社|中新社|人民日报|央视|中央电视台|光明日报|据).{0,30}[）)]$"), "news agency credit"),
    (re.compile(r"^[（(【\[]?\s*(责任编辑|编辑|责编|审核|审校|校对|监制|编审|作者|记者|通讯员|来源)\s*[:：].{0,40}$"), "editor credit"),
    (re.compile(r"^[（(【\[]?\s*(完|全文完|END)\s*[）)】\]]?$", re.I), "end-of-article mark"),
    (re.compile(r"版权所有|版权归|转载请|未经授权|未经许可|Copyright|©|免责声明|本文来源|本文由.{0,20}(整理|发布|原创)|原创文章|文章来源|侵权.{0,6}删除"), "copyright / licence notice"),
    (re.compile(r"仅供学习|禁止外传|会员|QQ群|微信群|公众号|扫码|扫一扫|订阅|下载|关注我们|点击|免费领取|倒卖|客服|淘宝|VIP|资料包|获取更多|更多精彩|加微信|微信号|付费"), "advertising / membership notice"),
]
_NOTICE_REASONS = {"copyright / licence notice", "advertising / membership notice"}
_CAPTION_RULE = next(rx for rx, why in _LINE_RULES if why == _CAPTION)  # the only rule for lines over _SHORT
#: Words one of which every match of a rule holds (for the rules whose patterns try every character):
#: a line with none of them is not searched.
_RULE_WORDS = {
    _SOURCE_LINE: ("来源",),  # 来源： at the end, or after a date
    _CAPTION_RULE: ("摄", "图", "视频"),  # 记者 … 摄, or 图：/图片：/视频： at the start
}
_RULES = [(rx, why, _RULE_WORDS.get(rx, ())) for rx, why in _LINE_RULES]
_AGENCY_LEAD = re.compile(r"^(新华社|中新社|人民网|央视网|新华网)\S{0,25}电")
_HEAD_LINES = 12  # news headers and agency leads are looked for in the first lines only
#: An online library's licence block (Wikisource's public-domain templates) and its footnotes.
_LICENCE_START = re.compile(r"^(本作品|这部作品|這部作品|此作品)(是|来自|來自|在|于|於|已|属|屬|采用|採用|依|根据|根據|的作者|作者)")
_LICENCE_EVIDENCE = re.compile(r"公有领域|公有領域|Public domain|著作权法|著作權法|版权|版權|维基文库|維基文庫|知识共享|知識共享", re.I)
_FOOTNOTE = re.compile(r"^↑")
_LIBRARY_FOOTER = "online library licence block and footnotes (not part of the speech)"


def _is_anchor(line: str) -> bool:
    """A line that belongs to the speech for sure: title, date, salutation, heading, prose."""
    return bool(
        is_title_like(line)
        or SALUTATION.match(line)
        or DATE_LINE.match(line)
        or SUBTITLE.match(line)
        or HEADING.match(line)
        or (len(line) >= 60 and line.endswith(("。", "！", "？", "：")))
    )


def classify_lines(lines: list[str]) -> list[str | None]:
    """A removal reason per line, or ``None`` for a line of the speech.

    Args:
        lines: the lines of the normalised text.

    Returns:
        One entry per line: why it is not part of the speech, or ``None``.

    Example:
        >>> classify_lines(["在会上的讲话", "同志们：", "今天开会。", "（责任编辑：王某）"])
        [None, None, None, 'editor credit']
    """
    reasons = [_line_reason(line) for line in lines]
    _mark_leading_notices(lines, reasons)
    _mark_agency_lead(lines, reasons)
    _mark_news_headline(lines, reasons)
    _mark_library_footer(lines, reasons)
    return reasons


def library_footer_start(lines: list[str]) -> int:
    """Index of the first line of an online library's closing licence block, or ``len(lines)``.

    The block starts at a line opening a licence notice (``本作品是…``/``这部作品在…``) when a
    later line names the licence (公有领域, Public domain, 著作权法 …), or at the first
    footnote arrow ``↑`` in the second half of the text; it runs to the end, however long it is.

    Example:
        >>> library_footer_start(["各位代表：", "今天开会。", "本作品是中华人民共和国的法律", "属于公有领域。", "Public domain", "false"])
        2
    """
    footnote = next((i for i in range(len(lines) // 2, len(lines)) if _FOOTNOTE.match(lines[i])), len(lines))
    start = next((i for i in range(footnote) if _LICENCE_START.match(lines[i])), footnote)
    # the first licence line counts when a line from it on names the licence; a later one would too, but
    # fewer lines follow it: the evidence is looked for only below the first
    if start < footnote and any(_LICENCE_EVIDENCE.search(line) for line in lines[start:]):
        return start
    return footnote


def _mark_library_footer(lines: list[str], reasons: list[str | None]) -> None:
    for i in range(library_footer_start(lines), len(lines)):
        reasons[i] = _LIBRARY_FOOTER


def _line_reason(line: str) -> str | None:
    """The first rule the line matches on its own; a prose sentence is never a notice."""
    if len(line) > _SHORT:  # longer than any notice: a caption, or speech
        words = _RULE_WORDS[_CAPTION_RULE]
        return _CAPTION if len(line) <= _LONG_CAPTION and any(w in line for w in words) and _CAPTION_RULE.search(line) else None
    prose = len(line) >= 30 and line.endswith(("。", "！", "？")) and "，" in line
    for rx, why, words in _RULES:
        if prose and why in _NOTICE_REASONS:
            continue  # a speech sentence that happens to say 下载 or 来源 is not a notice
        if words and not any(w in line for w in words):
            continue
        if rx.search(line):
            return why
    return None


def _mark_leading_notices(lines: list[str], reasons: list[str | None]) -> None:
    """Lines before the first line that is surely speech: if they carry advertising or a
    licence notice, none of them is speech."""
    first_anchor = next((i for i, line in enumerate(lines) if reasons[i] is None and _is_anchor(line)), len(lines))
    if any(r in _NOTICE_REASONS for r in reasons[:first_anchor]):
        for i in range(first_anchor):
            reasons[i] = "template-site advertising and notices before the speech"


def _mark_agency_lead(lines: list[str], reasons: list[str | None]) -> None:
    """A news agency's lead near the top (新华社北京……电), or anywhere on a line of its own."""
    for i, line in enumerate(lines):
        if reasons[i] is not None:
            continue
        near_top = i < _HEAD_LINES and _AGENCY_LEAD.match(line) and (line.endswith(("如下：", "如下:")) or len(line) <= _SHORT)
        if near_top or ("日电" in line and _INLINE_LEAD.fullmatch(line)):  # a lead that stood inside a text without breaks
            reasons[i] = "news agency lead (not part of the speech)"


def _mark_news_headline(lines: list[str], reasons: list[str | None]) -> None:
    """A news page's headline right above its publication line, when the speech's own title follows."""
    for i in range(1, min(len(lines), _HEAD_LINES)):
        reason = reasons[i]
        if not (reason and reason.startswith("news page header") and reasons[i - 1] is None):
            continue
        later = [j for j in range(i + 1, min(len(lines), i + 8)) if reasons[j] is None and is_title_like(lines[j])]
        if TITLE_LIKE.search(lines[i - 1]) and later:
            reasons[i - 1] = "news page headline (the speech's own title follows)"


def split_non_speech(normalized: str) -> tuple[str, tuple[RemovedSpan, ...]]:
    """Separate the speech from the lines that are not part of it.

    Args:
        normalized: the normalised text (:func:`normalize_text`).

    Returns:
        ``(body, removed)``: the speech's lines, and each run of removed lines with the same
        reason as one :class:`~analysis_utils.speech.RemovedSpan` (offsets into ``normalized``,
        ``body_pos`` the body offset where it stood).

    Example:
        >>> body, removed = split_non_speech("在会上的讲话\\n同志们：\\n今天开会。\\n（完）")
        >>> removed
        (RemovedSpan(start=18, end=21, text='（完）', reason='end-of-article mark', body_pos=17),)
    """
    lines = normalized.split("\n")
    reasons = classify_lines(lines)
    removed: list[RemovedSpan] = []
    kept: list[str] = []
    pos = body_len = 0
    i = 0
    while i < len(lines):
        reason = reasons[i]
        if reason is None:
            kept.append(lines[i])
            body_len += len(lines[i]) + 1
            pos += len(lines[i]) + 1
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and reasons[j + 1] == reason:
            j += 1
        text = "\n".join(lines[i: j + 1])
        removed.append(RemovedSpan(pos, pos + len(text), text, reason, body_len))
        pos += len(text) + 1
        i = j + 1
    body = "\n".join(kept)
    # a span after the last line stood at the body's end, not one past it
    removed = [r if r.body_pos <= len(body) else RemovedSpan(r.start, r.end, r.text, r.reason, len(body)) for r in removed]
    return body, tuple(removed)
