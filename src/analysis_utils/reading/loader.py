"""Read a speech from a real file: decode, normalise, separate what is not the speech.

``load_speech(path)`` is the only entry point. It never guesses silently: the encoding
used, every normalisation applied and every span removed (with its reason) are recorded
on the returned :class:`~analysis_utils.speech.Speech`.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterable
import unicodedata
import zipfile
from pathlib import Path

from ..errors import SpeechError
from ..speech import HAN_RE, Metadata, Placeholder, RemovedSpan, Speech

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
DOCX_SUFFIXES = {".docx"}

# --------------------------------------------------------------------------- decoding
_MAGIC = [
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document (convert it to .txt or .docx first)"),
    (b"PK\x03\x04", "a ZIP archive (a .docx must have the .docx extension)"),
    (b"\xd0\xcf\x11\xe0", "an old binary Word/Excel file (save it as .docx or .txt)"),
    (b"\x7fELF", "a program, not a text file"),
    (b"{\\rtf", "an RTF document (save it as .docx or .txt)"),
    (b"\x1f\x8b", "a gzip archive"),
]
_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]


def decode_bytes(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """Decode ``data``; return ``(text, encoding, notes)`` or raise :class:`SpeechError`."""
    notes: list[str] = []
    if not data:
        raise SpeechError(path, "the file is empty")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise SpeechError(path, f"this is {what}, not a text file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", " with BOM") if "sig" in enc else f"{enc} with BOM", notes
            except UnicodeDecodeError as e:
                raise SpeechError(path, f"starts with a {enc} byte-order mark but is not valid {enc} ({e.reason} at byte {e.start})") from None
    if b"\x00" in data[:4096]:
        text = _try_utf16_without_bom(data)
        if text is None:
            raise SpeechError(path, "contains NUL bytes: this is binary data, not a text file")
        return text[0], text[1], notes
    try:
        return data.decode("utf-8"), "utf-8", notes
    except UnicodeDecodeError as first:
        utf8_error = first
    # A file cut off in the middle of a character: keep everything before the cut.
    for k in (1, 2, 3):
        try:
            text = data[:-k].decode("utf-8")
        except UnicodeDecodeError:
            continue
        notes.append(f"the file ends in the middle of a UTF-8 character: its last {k} byte(s) {data[-k:].hex(' ')} were dropped")
        return text, "utf-8", notes
    # A few stray bytes in an otherwise UTF-8 file: keep UTF-8, mark them.
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    if bad <= max(2, len(replaced) // 1000) and len(HAN_RE.findall(replaced)) > 10 * bad:
        notes.append(f"{bad} byte sequence(s) that are not valid UTF-8 were replaced by U+FFFD (first at byte {utf8_error.start})")
        return replaced, "utf-8", notes
    for enc in ("gbk", "gb18030", "big5"):
        try:
            return data.decode(enc), enc, notes
        except UnicodeDecodeError:
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - detector failure is treated as "no guess"
        best = None
    if best is not None and best.encoding:
        notes.append(f"encoding guessed by charset-normalizer as {best.encoding}")
        return str(best), best.encoding, notes
    raise SpeechError(path, f"cannot decode the bytes as UTF-8, GBK/GB18030 or UTF-16 (invalid byte at {utf8_error.start})")


def _try_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    even_zero = data[0::2].count(0) / max(1, len(data[0::2]))
    odd_zero = data[1::2].count(0) / max(1, len(data[1::2]))
    enc = "utf-16-le" if odd_zero > even_zero else "utf-16-be"
    if max(even_zero, odd_zero) < 0.05 or len(data) % 2:
        # Chinese UTF-16 has few zero bytes; accept only if it decodes to mostly Han text.
        pass
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    printable = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
    if printable < 0.95 * len(text):
        return None
    return text, f"{enc} (no BOM)"


def read_docx(path: Path) -> str:
    """The paragraphs of a .docx in document order, tables cell by cell, one per line."""
    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError as e:  # pragma: no cover - python-docx is a pinned dependency
        raise SpeechError(path, f"python-docx is not installed ({e})") from None
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise SpeechError(path, f"not a valid .docx file ({type(e).__name__}: {e})") from None
    except Exception as e:  # python-docx raises its own PackageNotFoundError, lxml errors …
        raise SpeechError(path, f"not a valid .docx file ({type(e).__name__}: {e})") from None

    lines: list[str] = []

    def para_text(p) -> str:
        return "".join(t.text or "" for t in p.iter(qn("w:t")))

    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append(para_text(block))
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                cells = []
                for cell in row.iter(qn("w:tc")):
                    cells.append("".join(para_text(p) for p in cell.iter(qn("w:p"))))
                lines.append("\t".join(cells))
    return "\n".join(lines)


# --------------------------------------------------------------------- normalisation
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"), " ")
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85")
_HTML_TAG = re.compile(r"</?(?:p|br|div|span|strong|b|i|em|font|section|h[1-6]|li|ul|ol|table|tr|td|a)\b[^>\n]*>", re.I)
_HTML_ENTITY = re.compile(r"&(?:nbsp|amp|lt|gt|quot|ldquo|rdquo|mdash|hellip|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_MD_HEADING = re.compile(r"^#{1,6}\s+")


def normalize_text(text: str) -> tuple[str, list[str]]:
    """Normalise without changing meaning; return ``(text, notes)``.

    Line endings become ``\\n``; zero-width characters go; non-breaking and other
    typographic spaces become plain spaces; each line loses its leading and trailing
    white space (ideographic-space indents included); blank lines go, so every line
    is one paragraph. Full-width punctuation and digits are kept as they are.
    """
    notes = []
    n_crlf = text.count("\r\n")
    if _LINE_BREAKS.search(text):
        text = _LINE_BREAKS.sub("\n", text)
        notes.append(f"line endings normalised to LF ({n_crlf} CRLF)" if n_crlf else "line endings normalised to LF")
    zw = sum(text.count(c) for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad")
    if zw:
        text = text.translate(_ZERO_WIDTH)
        notes.append(f"{zw} zero-width character(s) removed")
    if _HTML_TAG.search(text) or _HTML_ENTITY.search(text):
        n_tags = len(_HTML_TAG.findall(text))
        text = _HTML_TAG.sub("\n", text)
        n_ent = len(_HTML_ENTITY.findall(text))
        text = _HTML_ENTITY.sub(lambda m: html.unescape(m.group()), text)
        notes.append(f"pasted HTML cleaned: {n_tags} tag(s) removed, {n_ent} entity(ies) decoded")
    sp = sum(text.count(c) for c in "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f")
    if sp:
        text = text.translate(_SPACES)
        notes.append(f"{sp} non-breaking/typographic space(s) made plain spaces")
    lines = []
    indents = md = 0
    for line in text.split("\n"):
        stripped = line.strip(" \t\u3000")
        if stripped != line.rstrip(" \t\u3000"):
            indents += 1
        if _MD_HEADING.match(stripped):
            stripped = _MD_HEADING.sub("", stripped)
            md += 1
        if stripped:
            lines.append(stripped)
    if indents:
        notes.append(f"{indents} line indent(s) removed (ideographic or plain spaces)")
    if md:
        notes.append(f"{md} Markdown heading mark(s) '#' removed")
    return "\n".join(lines), notes


# ------------------------------------------------------------------ non-speech lines
_LONG_CAPTION = 240
_SHORT = 80  # a notice line is short; a speech paragraph that mentions 来源 is not one
_LINE_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^\d{4}[-.]\d{2}[-.]\d{2}_"), "collection label (date_title line added by the collection)"),
    (re.compile(r"^(发表时间|发布时间|时间|日期)[:：].{0,40}(来源|作者|编辑)[:：]"), "news page header (publication time, source)"),
    (re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}.{0,10}来源[:：]"), "news page header (publication time, source)"),
    (re.compile(r"^(来源|稿源|出处)[:：]"), "news page header (source)"),
    (re.compile(r"^(原标题|原题|标题)[:：]"), "news page header (original headline)"),
    (re.compile(r"来源\s*[:：].{0,40}$|^.{0,40}\d{4}[-年]\d{1,2}[-月]\d{1,2}.{0,20}来源\s*[:：]"), "news page header (publication time, source)"),
    (re.compile(r"【(打印|关闭|大 ?中 ?小|字号|收藏|分享)】"), "web page controls"),
    (re.compile(r"(记者|摄影|图片)[^。，]{0,12}?摄\s*[）)]?$|^(图|图片|视频)[:：]"), "photo or video caption"),
    (re.compile(r"^《\s*[^》]{1,20}\s*》\s*[（(]\s*\d{4}年\d{1,2}月\d{1,2}日\s*\d*\s*版\s*[）)]$"), "newspaper source line"),
    (re.compile(r"^[（(]\s*(新华社|中新社|人民日报|央视|中央电视台|光明日报|据).{0,30}[）)]$"), "news agency credit"),
    (re.compile(r"^[（(【\[]?\s*(责任编辑|编辑|责编|审核|审校|校对|监制|编审|作者|记者|通讯员|来源)\s*[:：].{0,40}$"), "editor credit"),
    (re.compile(r"^[（(【\[]?\s*(完|全文完|END)\s*[）)】\]]?$", re.I), "end-of-article mark"),
    (re.compile(r"版权所有|版权归|转载请|未经授权|未经许可|Copyright|©|免责声明|本文来源|本文由.{0,20}(整理|发布|原创)|原创文章|文章来源|侵权.{0,6}删除"), "copyright / licence notice"),
    (re.compile(r"仅供学习|禁止外传|会员|QQ群|微信群|公众号|扫码|扫一扫|订阅|下载|关注我们|点击|免费领取|倒卖|客服|淘宝|VIP|资料包|获取更多|更多精彩|加微信|微信号|付费"), "advertising / membership notice"),
]
_NOTICE_REASONS = {"copyright / licence notice", "advertising / membership notice"}
_AGENCY_LEAD = re.compile(r"^(新华社|中新社|人民网|央视网|新华网)\S{0,25}电")
_TITLE_LIKE = re.compile(r"(讲话|报告|致辞|发言|演讲|贺词|献词|贺信|讲话提纲|主旨演讲|答记者问|在.{2,40}(上|时|之际)的)")
_SALUTATION = re.compile(
    r"^(?:(同志们|各位代表|各位委员|女士们|尊敬的|亲爱的|各位|大家好|朋友们|老师们|同学们|青年朋友们)[^。]{0,60}"
    r"|[^。，,]{0,24}(先生|女士|主席|总统|总理|阁下|殿下|同志|朋友|代表|来宾|嘉宾)们?)[：:，,！!]$"
)
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_DATE_LINE = re.compile(
    r"^[（(]\s*(?P<y>[0-9０-９〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>[0-9０-９一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>[0-9０-９一二三四五六七八九十lI]{1,3})\s*日\s*(?:[，,、\s]?\s*(?P<place>[^）)]{1,20}))?\s*[）)]$"
)
_SUBTITLE = re.compile(r"^(——|──|--|－－|—)\s*\S")
_SPEAKER = re.compile(r"^(?:(?P<office>[\u4e00-\u9fff]{2,20})[\s　]+)?(?P<name>[\u4e00-\u9fff·]{2,5})$")
_SPEAKER_PREFIX = re.compile(
    r"^(?P<name>[\u4e00-\u9fff·]{2,4})(?:[:：](?P<rest>.+)|(?:主席|总书记|总理|同志)?(?P<rest2>在.{2,60}(讲话|致辞|演讲|报告|发言|开幕辞|闭幕辞)))$"
)


def _is_anchor(line: str) -> bool:
    """A line that belongs to the speech for sure: title, date, salutation, heading, prose."""
    return bool(
        _TITLE_LIKE.search(line) and len(line) <= 60
        or _SALUTATION.match(line)
        or _DATE_LINE.match(line)
        or _SUBTITLE.match(line)
        or _HEADING.match(line)
        or (len(line) >= 60 and line.endswith(("。", "！", "？", "：")))
    )


def _classify_lines(lines: list[str]) -> list[str | None]:
    """A removal reason per line, or ``None`` for speech lines."""
    reasons: list[str | None] = [None] * len(lines)
    for i, line in enumerate(lines):
        prose = len(line) >= 30 and line.endswith(("。", "！", "？")) and "，" in line
        for rx, why in _LINE_RULES:
            if prose and why in _NOTICE_REASONS:
                continue  # a speech sentence that happens to say 下载 or 来源 is not a notice
            if len(line) <= (_LONG_CAPTION if why == "photo or video caption" else _SHORT) and rx.search(line):
                reasons[i] = why
                break
    # The leading region: lines before the first line that is surely speech.
    # If it carries advertising or a licence notice, none of it is speech.
    first_anchor = next((i for i, l in enumerate(lines) if reasons[i] is None and _is_anchor(l)), len(lines))
    if any(r in _NOTICE_REASONS for r in reasons[:first_anchor]):
        for i in range(first_anchor):
            reasons[i] = "template-site advertising and notices before the speech"
    # News pages: an agency lead near the top; a headline right above a publication line.
    head = [i for i in range(min(len(lines), 12))]
    for i in head:
        if reasons[i] is None and _AGENCY_LEAD.match(lines[i]) and (lines[i].endswith(("如下：", "如下:")) or len(lines[i]) <= _SHORT):
            reasons[i] = "news agency lead (not part of the speech)"
    for i in head:
        if reasons[i] and reasons[i].startswith("news page header") and i > 0 and reasons[i - 1] is None:
            later = [j for j in range(i + 1, min(len(lines), i + 8)) if reasons[j] is None and _TITLE_LIKE.search(lines[j]) and len(lines[j]) <= 60]
            if _TITLE_LIKE.search(lines[i - 1]) and later:
                reasons[i - 1] = "news page headline (the speech's own title follows)"
    return reasons


# --------------------------------------------------------------------------- metadata
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS["零"] = _CN_DIGITS["○"] = 0


def _to_int(s: str) -> int | None:
    s = unicodedata.normalize("NFKC", s).replace("l", "1").replace("I", "1")  # a letter l typed for 1 (10月l6日)
    if s.isdigit():
        return int(s)
    if all(c in _CN_DIGITS for c in s):  # 二〇一七
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    if "十" in s:  # 十, 十八, 二十, 三十一
        a, _, b = s.partition("十")
        tens = _CN_DIGITS.get(a, 1) if a else 1
        ones = _CN_DIGITS.get(b, 0) if b else 0
        return tens * 10 + ones
    return None


def _extract_meta(body: str) -> Metadata:
    """Read title, subtitle, date, place, speaker and salutation from the top of the body."""
    fields: dict = {}
    spans: dict = {}
    pos = 0
    title_parts: list[tuple[str, int, int]] = []
    block_end = 0
    lines = body.split("\n")
    for n, line in enumerate(lines):
        start, end = pos, pos + len(line)
        pos = end + 1
        if n >= 12:
            break
        if not fields and not title_parts and n == 0 and _HEADING.match(line) and len(line) <= 30 and any(
            _DATE_LINE.match(l) for l in lines[1:4]
        ):
            continue  # a book's chapter heading above the speech's own title (十二、推动构建新型大国关系)
        if not fields and not title_parts and n < 3 and line.endswith("。") and any(
            _TITLE_LIKE.search(l) and len(l) <= 60 for l in lines[n + 1: 4]
        ):
            continue  # a news caption above the title
        if m := _DATE_LINE.match(line):
            if "date" in fields:
                break
            y, mo, d = (_to_int(m.group(k)) for k in "ymd")
            if y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31:
                fields["date"] = f"{y:04d}-{mo:02d}-{d:02d}"
            fields["date_text"] = line
            place = re.sub(r"^(上午|下午|晚上|晚|早上|中午)[，,、\s]*", "", (m.group("place") or "").strip())
            if place:
                fields["place"] = place
            spans["date"] = (start, end)
            block_end = end
        elif _SUBTITLE.match(line) and "subtitle" not in fields and len(line) <= 80:
            fields["subtitle"] = line
            spans["subtitle"] = (start, end)
            block_end = end
        elif _SALUTATION.match(line):
            sal_start = spans.get("salutation", (start, end))[0]
            fields["salutation"] = (fields.get("salutation", "") + line) if "salutation" in fields else line
            spans["salutation"] = (sal_start, end)
        elif "salutation" in fields:
            break  # the speech proper has begun
        elif (m := _SPEAKER.match(line)) and "speaker" not in fields and (title_parts or "date" in fields):
            fields["speaker"] = m.group("name")
            spans["speaker"] = (start, end)
            block_end = end
        elif len(line) <= 50 and not line.endswith(("。", "！", "？", "；")) and not _HEADING.match(line) and "date" not in fields and "speaker" not in fields:
            title_parts.append((line, start, end))
            block_end = end
        else:
            break
    if title_parts:
        text = " ".join(dict.fromkeys(t for t, _, _ in title_parts))  # a title repeated on two lines counts once
        if m := _SPEAKER_PREFIX.match(text):  # 习近平：在……上的讲话
            fields.setdefault("speaker", m.group("name"))
            text = (m.group("rest") or m.group("rest2")).strip()
        text = re.sub(r"[（(]全文[）)]$", "", text)
        fields["title"] = text
        spans["title"] = (title_parts[0][1], title_parts[-1][2])
    return Metadata(**fields, spans=spans, title_block_end=block_end)


# ------------------------------------------------------------------------ placeholders
PLACEHOLDER_RE = re.compile(
    r"[×╳✕✖]+|(?<![A-Za-z])(?:[Xx]{2,}|[Ｘｘ]{2,})(?![A-Za-z])|(?<![〇零一二三四五六七八九十])○{2,}(?![〇零一二三四五六七八九十年])|□{2,}|△{2,}|＊{2,}|\*{2,}|某某+"
)


def find_placeholders(body: str) -> tuple[Placeholder, ...]:
    """Every redaction mark in ``body`` with its position, paragraph and context."""
    out: list[Placeholder] = []
    matches = list(PLACEHOLDER_RE.finditer(body))
    line_starts = [0] + [m.end() for m in re.finditer("\n", body)] if matches else []
    for m in matches:
        s, e = m.span()
        ctx = body[max(0, s - 12): e + 12].replace("\n", " ")
        out.append(Placeholder(m.group(), s, e, bisect_right(line_starts, s), ctx))
    return tuple(out)


# ------------------------------------------------------------------------ finding files
SPEECH_SUFFIXES = (TEXT_SUFFIXES | DOCX_SUFFIXES) - {""}


def is_speech_file(path: Path) -> bool:
    """A .txt/.md/.docx file that is not hidden, an Office lock file (``~$…``) or a README."""
    return (path.suffix.lower() in SPEECH_SUFFIXES and not path.name.startswith((".", "~$"))
            and not path.stem.upper().startswith("README"))


def speech_files(paths: str | Path | Iterable[str | Path], *, recursive: bool = False) -> list[Path]:
    """The speech files named by ``paths``: files as given, folders expanded to their speech
    files (sorted by path; sub-folders too when ``recursive``).

    Raises :class:`SpeechError` for a folder that holds no speech file.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        if not p.is_dir():
            out.append(p)
            continue
        found = sorted(p.rglob("*") if recursive else p.iterdir(), key=lambda f: f.relative_to(p).parts)
        found = [f for f in found if f.is_file() and is_speech_file(f)
                 and not any(part.startswith(".") for part in f.relative_to(p).parts[:-1])]
        if not found:
            raise SpeechError(p, "no speech files (.txt, .md, .docx) in this folder")
        out += found
    return out


# -------------------------------------------------------------------------- the loader
def speech_id(path: Path) -> str:
    """A file-system-safe id from the file name (Chinese kept): ``figures/<id>/``."""
    stem = path.stem.strip() or "speech"
    return re.sub(r"[\s/\\:*?\"<>|]+", "_", stem)


def load_speech(path: str | Path) -> Speech:
    """Load a speech from a ``.txt``/``.md`` (any common encoding) or ``.docx`` file.

    Args:
        path: the file to read.

    Returns:
        A :class:`Speech`. Raises :class:`SpeechError` (one line naming the file and the
        problem) for missing, empty, binary, undecodable or unsupported files.

    Example:
        >>> s = load_speech("seeds/party_building_conference_speech.txt")
        >>> s.meta.title
        '在党建工作会议上的讲话'
    """
    path = Path(path)
    if not path.exists():
        raise SpeechError(path, "no such file")
    if path.is_dir():
        raise SpeechError(path, "is a folder, not a file (give one speech file, or use a command that takes a folder)")
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | DOCX_SUFFIXES:
        if suffix == ".doc":
            raise SpeechError(path, "old binary Word .doc files are not supported: save it as .docx or .txt")
        raise SpeechError(path, f"unsupported file type '{suffix}' (use .txt, .md or .docx)")
    try:
        if suffix in DOCX_SUFFIXES:
            raw, encoding, notes = read_docx(path), "docx", []
        else:
            raw, encoding, notes = decode_bytes(path.read_bytes(), path)
    except PermissionError:
        raise SpeechError(path, "cannot be read: permission denied") from None
    except OSError as e:
        raise SpeechError(path, f"cannot be read ({e.strerror or e})") from None
    return speech_from_text(raw, path=path, encoding=encoding, notes=notes)


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def speech_from_text(raw: str, *, path: str | Path = "<text>", encoding: str = "str", notes: list[str] | None = None) -> Speech:
    """Build a :class:`Speech` from text already in memory (what ``load_speech`` does after decoding)."""
    path = Path(path)
    notes = list(notes or [])
    bad = len(_CONTROL.findall(raw))
    if bad > max(8, len(raw) // 100):
        raise SpeechError(path, f"looks like binary data ({bad} control characters), not a text file")
    normalized, norm_notes = normalize_text(raw)
    notes += norm_notes
    if not normalized:
        raise SpeechError(path, "contains only white space" if raw else "the file is empty")
    if not HAN_RE.search(normalized):
        raise SpeechError(path, "contains no Chinese text")

    lines = normalized.split("\n")
    reasons = _classify_lines(lines)
    removed: list[RemovedSpan] = []
    kept: list[str] = []
    pos = body_len = 0
    i = 0
    while i < len(lines):
        if reasons[i] is None:
            kept.append(lines[i])
            body_len += len(lines[i]) + 1
            pos += len(lines[i]) + 1
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and reasons[j + 1] == reasons[i]:
            j += 1
        text = "\n".join(lines[i: j + 1])
        removed.append(RemovedSpan(pos, pos + len(text), text, reasons[i], body_len))
        pos += len(text) + 1
        i = j + 1
    body = "\n".join(kept)
    removed = [r if r.body_pos <= len(body) else RemovedSpan(r.start, r.end, r.text, r.reason, len(body)) for r in removed]
    if not HAN_RE.search(body):
        raise SpeechError(path, "nothing is left once notices and headers are removed: no speech text found")
    return Speech(
        path=path,
        id=speech_id(path),
        encoding=encoding,
        raw=raw,
        normalized=normalized,
        body=body,
        removed=tuple(removed),
        meta=_extract_meta(body),
        placeholders=find_placeholders(body),
        notes=tuple(notes),
    )
