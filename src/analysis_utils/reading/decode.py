"""Bytes to text: refuse what is not text, honour a byte-order mark, find the encoding, read .docx.

The encoding is never guessed silently: :func:`decode_bytes` returns the encoding it used and
a note for every repair (a cut-off last character, a few stray bytes, a detector's guess).

Example:
    >>> from pathlib import Path
    >>> decode_bytes("讲话".encode("gbk"), Path("a.txt"))
    ('讲话', 'gbk', [])
    >>> decode_bytes(b"\\xef\\xbb\\xbf" + "讲话".encode(), Path("a.txt"))
    ('讲话', 'utf-8 with BOM', [])
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import SpeechError
from ..text import count_han

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
#: The encodings tried, in order, when the bytes are not UTF-8.
_LEGACY = ("gbk", "gb18030", "big5")

Decoded = tuple[str, str, list[str]]


def decode_bytes(data: bytes, path: Path) -> Decoded:
    """Decode the bytes of a text file.

    Tried in order: a byte-order mark; UTF-16 without one (when there are NUL bytes); UTF-8;
    UTF-8 cut off in the middle of its last character or with a few stray bytes; GBK,
    GB18030, Big5; charset-normalizer's guess.

    Args:
        data: the file's bytes.
        path: the file (named in errors).

    Returns:
        ``(text, encoding, notes)``; raises :class:`SpeechError` for empty, binary or
        undecodable data.

    Example:
        >>> text, encoding, notes = decode_bytes("讲话".encode()[:-1], Path("cut.txt"))
        >>> text, encoding, notes[0][:42]
        ('讲', 'utf-8', 'the file ends in the middle of a UTF-8 cha')
    """
    _refuse_non_text(data, path)
    with_bom = _decode_with_bom(data, path)
    if with_bom is not None:
        return with_bom
    if b"\x00" in data[:4096]:
        return _decode_utf16_without_bom(data, path)
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as e:
        utf8_error = e
    decoded = _decode_damaged_utf8(data, utf8_error.start) or _decode_legacy(data) or _decode_guessed(data)
    if decoded is None:
        raise SpeechError(path, f"cannot decode the bytes as UTF-8, GBK/GB18030 or UTF-16 (invalid byte at {utf8_error.start})")
    return decoded


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


def _decode_utf16_without_bom(data: bytes, path: Path) -> Decoded:
    """UTF-16 without a byte-order mark, the byte order read from where the zero bytes are."""
    even_zero = data[0::2].count(0) / max(1, len(data[0::2]))
    odd_zero = data[1::2].count(0) / max(1, len(data[1::2]))
    enc = "utf-16-le" if odd_zero > even_zero else "utf-16-be"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        text = None
    if text is None or sum(1 for c in text if c.isprintable() or c in "\n\r\t") < 0.95 * len(text):
        raise SpeechError(path, "contains NUL bytes: this is binary data, not a text file")
    return text, f"{enc} (no BOM)", []


def _decode_damaged_utf8(data: bytes, first_bad: int) -> Decoded | None:
    """UTF-8 cut off in its last character, or with a few stray bytes (the first at ``first_bad``)
    in much Chinese text."""
    for k in (1, 2, 3):  # a file cut off in the middle of a character: keep everything before the cut
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


def _decode_legacy(data: bytes) -> Decoded | None:
    """The first of GBK, GB18030 and Big5 that decodes the bytes."""
    for enc in _LEGACY:
        try:
            return data.decode(enc), enc, []
        except UnicodeDecodeError:
            continue
    return None


def _decode_guessed(data: bytes) -> Decoded | None:
    """charset-normalizer's best guess, said in a note; ``None`` when it has none."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - detector failure is treated as "no guess"
        best = None
    if best is not None and best.encoding:
        return str(best), best.encoding, [f"encoding guessed by charset-normalizer as {best.encoding}"]
    return None


def read_docx(path: Path) -> str:
    """The text of a .docx: paragraphs in document order, tables row by row.

    Args:
        path: the .docx file.

    Returns:
        One line per paragraph and per table row (cells joined by a tab). Raises
        :class:`SpeechError` when the file is not a valid .docx.

    Example:
        >>> read_docx(Path("missing.docx"))
        Traceback (most recent call last):
        ...
        analysis_utils.errors.SpeechError: missing.docx: not a valid .docx file (PackageNotFoundError: Package not found at 'missing.docx')
    """
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

    def para_text(p) -> str:
        return "".join(t.text or "" for t in p.iter(qn("w:t")))

    lines: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append(para_text(block))
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                lines.append("\t".join("".join(para_text(p) for p in cell.iter(qn("w:p"))) for cell in row.iter(qn("w:tc"))))
    return "\n".join(lines)
