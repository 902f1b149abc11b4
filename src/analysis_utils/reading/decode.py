"""Bytes to text: refuse what is not text, honour a byte-order mark, find the encoding.

The encoding is never guessed silently: :func:`decode_bytes` returns the encoding it used and
a note for every guess (GBK, GB18030, Big5, UTF-16 without a byte-order mark) and every repair
(a cut-off last character, a few stray bytes). A guess must read as Chinese
(:func:`~analysis_utils.reading.chinese.chinese_problem`): Big5 is not read as GB18030 mojibake,
and Japanese, Korean or mojibake is refused.

Example:
    >>> from pathlib import Path
    >>> decode_bytes("讲话".encode("gbk"), Path("a.txt"))
    ('讲话', 'gbk', ['encoding guessed: gbk (no byte-order mark, not UTF-8; reads as Chinese)'])
    >>> decode_bytes(b"\\xef\\xbb\\xbf" + "讲话".encode(), Path("a.txt"))
    ('讲话', 'utf-8 with BOM', [])
"""
from __future__ import annotations

from pathlib import Path

from ..errors import SpeechError
from ..text import count_han
from .chinese import chinese_problem, read_as_chinese

#: The first bytes of files that are not text, and what they are.
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
#: Byte-order marks, longest first where one is the prefix of another.
_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]
#: The encodings tried, in order, when the bytes are not UTF-8: the first that reads as Chinese is used.
_LEGACY = ("gbk", "gb18030", "big5", "cp950")
#: Other languages' encodings, tried only to say what a refused file is.
_OTHER_LANGUAGES = ("shift_jis", "euc_jp", "cp949")
_TRIED = "UTF-8, GBK/GB18030, Big5 or UTF-16"
_LANGUAGES = ("Japanese (", "Korean (")

Decoded = tuple[str, str, list[str]]


def decode_bytes(data: bytes, path: Path) -> Decoded:
    """Decode the bytes of a text file.

    Tried in order: a byte-order mark; UTF-16 without one (when there are NUL bytes anywhere);
    UTF-8; UTF-8 cut off in the middle of its last character or with a few stray bytes; GBK,
    GB18030, Big5 and CP950, of which the reading most like Chinese is taken.

    Args:
        data: the file's bytes.
        path: the file (named in errors).

    Returns:
        ``(text, encoding, notes)``; raises :class:`SpeechError` for empty, binary or
        undecodable data, and for text that does not read as Chinese in any encoding tried.

    Example:
        >>> text, encoding, notes = decode_bytes("讲话".encode()[:-1], Path("cut.txt"))
        >>> text, encoding, notes[0][:42]
        ('讲', 'utf-8', 'the file ends in the middle of a UTF-8 cha')
        >>> decode_bytes("在黨的會議上的講話".encode("big5"), Path("big5.txt"))[1]
        'big5'
    """
    _refuse_non_text(data, path)
    with_bom = _decode_with_bom(data, path)
    if with_bom is not None:
        return with_bom
    nul = data.find(b"\x00")
    if nul >= 0:
        return _decode_utf16_without_bom(data, path, nul)
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as e:
        utf8_error = e
    return _decode_damaged_utf8(data, utf8_error.start) or _decode_legacy(data, path, utf8_error.start)


def _refuse_non_text(data: bytes, path: Path) -> None:
    """Raise for an empty file or one whose first bytes say it is an image, PDF, archive …"""
    if not data:
        raise SpeechError(path, "the file is empty")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise SpeechError(path, f"this is {what}, not a text file")


def _decode_with_bom(data: bytes, path: Path) -> Decoded | None:
    """The text after a byte-order mark, or ``None`` when there is none."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                raise SpeechError(path, f"starts with a {enc} byte-order mark but is not valid {enc} ({e.reason} at byte {e.start})") from None
            return text, enc.replace("-sig", " with BOM") if "sig" in enc else f"{enc} with BOM", []
    return None


def _decode_utf16_without_bom(data: bytes, path: Path, nul: int) -> Decoded:
    """UTF-16 without a byte-order mark (the byte order that reads as Chinese, the one where most zero
    bytes are tried first); anything else with a NUL byte (the first at ``nul``) is binary data."""
    orders = ["utf-16-le", "utf-16-be"]
    if data[0::2].count(0) > data[1::2].count(0):
        orders.reverse()
    for enc in orders:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if ("\x00" not in text and chinese_problem(text, guessed=True) is None
                and sum(1 for c in text if c.isprintable() or c in "\n\r\t") >= 0.95 * len(text)):
            return text, f"{enc} (no BOM)", [f"encoding guessed: {enc} without a byte-order mark (from where the zero bytes are)"]
    raise SpeechError(path, f"contains NUL bytes (the first at byte {nul}): this is binary data, not a text file")


def _decode_damaged_utf8(data: bytes, first_bad: int) -> Decoded | None:
    """UTF-8 cut off in its last character, or with a few stray bytes (the first at ``first_bad``)
    in much Chinese text."""
    for k in (1, 2, 3):  # a file cut off in the middle of a character: keep everything before the cut
        tail = data[-k:]
        if len(data) <= k or not 0xC2 <= tail[0] <= 0xF4 or any(not 0x80 <= b <= 0xBF for b in tail[1:]):
            continue
        try:
            text = data[:-k].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return text, "utf-8", [f"the file ends in the middle of a UTF-8 character: its last {k} byte(s) {data[-k:].hex(' ')} were dropped"]
    replaced = data.decode("utf-8", errors="replace")  # a few stray bytes: keep UTF-8, mark them
    bad = replaced.count("\ufffd")
    if bad <= max(2, len(replaced) // 1000) and count_han(replaced) > 10 * bad:
        return replaced, "utf-8", [f"{bad} byte sequence(s) that are not valid UTF-8 were replaced by U+FFFD (first at byte {first_bad})"]
    return None


def _decode_legacy(data: bytes, path: Path, first_bad: int) -> Decoded:
    """The reading in GBK, GB18030, Big5 or CP950 that reads most like Chinese (most common
    characters, then most frequent ones; the first in that order when two read the same).

    A decoding that is plainly Japanese or Korean ends the search: EUC-JP read as GBK gives the
    very kana it holds (both put them at the same codes), so no later guess is believed."""
    rejected: list[str] = []
    readings: list[tuple[tuple[float, float], int, str, str, list[str]]] = []
    for order, enc in enumerate(_LEGACY):
        decoded = _decode_strict(data, enc)
        if decoded is None or any(decoded[0] == r[3] for r in readings):  # GB18030 reads as GBK, CP950 as Big5
            continue
        reading = read_as_chinese(decoded[0], guessed=True)
        if reading.problem is None:
            readings.append((reading.score, -order, enc, *decoded))
        elif reading.problem.startswith(_LANGUAGES):
            raise SpeechError(path, _not_chinese(data, rejected, first_bad, language=reading.problem))
        else:
            rejected.append(f"as {enc}: {reading.problem}")
    if not readings:
        raise SpeechError(path, _not_chinese(data, rejected, first_bad))
    best = max(readings)
    _, order, enc, text, notes = best
    why = rejected + [f"as {r[2]}: fewer common characters" for r in readings if r[1] > order]
    return text, enc, [f"encoding guessed: {enc} (no byte-order mark, not UTF-8; reads as Chinese{''.join('; ' + w for w in why)})", *notes]


def _decode_strict(data: bytes, enc: str) -> tuple[str, list[str]] | None:
    """``(text, notes)`` of the bytes in ``enc``, a last character cut off in the middle dropped; ``None`` if they are not ``enc``."""
    try:
        return data.decode(enc), []
    except UnicodeDecodeError as e:
        if e.start < len(data) - 1:
            return None
    try:
        return data[:-1].decode(enc), [f"the file ends in the middle of a {enc} character: its last byte {data[-1:].hex()} was dropped"]
    except UnicodeDecodeError:
        return None


def _not_chinese(data: bytes, rejected: list[str], first_bad: int, language: str | None = None) -> str:
    """Why bytes that no Chinese encoding reads are refused: another language (``language``, or found
    by decoding the bytes as Japanese or Korean), mojibake, or not text."""
    for enc in _OTHER_LANGUAGES:
        try:
            problem = chinese_problem(data.decode(enc))
        except UnicodeDecodeError:
            continue
        if problem and problem.startswith(_LANGUAGES):
            language = problem.replace(" (", f" text in {enc} (", 1)
            break
    if language:
        return f"does not read as Chinese: this is {language}; only Chinese speeches are analysed"
    detail = "; ".join(rejected[:2]) if rejected else f"invalid byte at {first_bad}"
    return f"cannot decode the bytes as Chinese text in {_TRIED} ({detail})"
