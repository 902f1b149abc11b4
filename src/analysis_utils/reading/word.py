"""Word documents (.docx): every piece of the body's text once, in document order.

- paragraphs in order, text in content controls (``w:sdt``), custom XML (``w:customXml``),
  hyperlinks, fields and tracked insertions kept; deleted text (``w:del``) left out;
- a line break (``w:br``, ``w:cr``) ends a line, so a title, a date and a speaker typed on
  one paragraph with Shift+Enter stay three lines; a tab (``w:tab``) stays a tab;
- tables one line per row, cells joined by a tab (a cell's own lines joined by a space);
- a text box (``w:txbxContent``) once, after the paragraph it is anchored in: of the two copies
  Word writes (``mc:Choice`` and its ``mc:Fallback``) only the first is read.

Before anything is unpacked the zip's table of contents is checked: a .docx that would
expand to more than ``MAX_DOCX_MB`` MB, or a large part that expands more than
``MAX_DOCX_RATIO`` times (a zip bomb), is refused with a message that says how to raise the limit.

Example:
    >>> import docx, tempfile, os
    >>> doc = docx.Document()
    >>> run = doc.add_paragraph("在会上的讲话").add_run()
    >>> run.add_break(); _ = run.add_text("2022年1月1日")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     doc.save(os.path.join(d, "a.docx"))
    ...     read_docx(Path(d) / "a.docx")
    '在会上的讲话\\n2022年1月1日'
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import SpeechError
from .files import limit_from, read_file

#: The most a .docx may unpack to, in MB (all its parts); raised with ANALYSIS_UTILS_MAX_DOCX_MB or ``max_docx_mb``.
MAX_DOCX_MB = 500.0
MAX_DOCX_MB_ENV = "ANALYSIS_UTILS_MAX_DOCX_MB"
#: How many times its stored size a part larger than 10 MB may expand to; raised with
#: ANALYSIS_UTILS_MAX_DOCX_RATIO or ``max_docx_ratio`` (Word's own parts expand 5 to 20 times).
MAX_DOCX_RATIO = 100.0
MAX_DOCX_RATIO_ENV = "ANALYSIS_UTILS_MAX_DOCX_RATIO"
_RATIO_FLOOR = 10 * 1024 * 1024
_MB = 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _T, _TXBX = (_W + t for t in ("p", "tbl", "tr", "tc", "t", "txbxContent"))
_ALT, _CHOICE, _FALLBACK = (_MC + t for t in ("AlternateContent", "Choice", "Fallback"))
#: What a break, a tab or a non-breaking hyphen stands for in the text.
_MARKS = {_W + "br": "\n", _W + "cr": "\n", _W + "tab": "\t", _W + "ptab": "\t", _W + "noBreakHyphen": "-"}
#: Properties, deleted and moved-away text, field codes: no text of the document.
_SKIP = {_W + t for t in ("pPr", "rPr", "tblPr", "tblGrid", "tblPrEx", "trPr", "tcPr", "sectPr", "sdtPr", "sdtEndPr",
                          "customXmlPr", "del", "moveFrom", "delText", "instrText", "delInstrText")}


def read_docx(path: Path, data: bytes | None = None, *, max_mb: float | None = None,
              max_docx_mb: float | None = None, max_docx_ratio: float | None = None) -> str:
    """The text of a .docx body: paragraphs and line breaks as lines, tables row by row.

    Args:
        path: the .docx file (named in errors; read unless ``data`` is given).
        data: the file's bytes, when already read.
        max_mb: the largest file read, in MB (see :func:`~analysis_utils.reading.files.read_file`).
        max_docx_mb: the most the .docx may unpack to, in MB (default ``MAX_DOCX_MB``).
        max_docx_ratio: how many times a part larger than 10 MB may expand (default ``MAX_DOCX_RATIO``).

    Returns:
        One line per paragraph, line break and table row (cells joined by a tab). Raises
        :class:`SpeechError` when the file is not a valid .docx, has no body, or would unpack
        to more than the limits.

    Example:
        >>> read_docx(Path("missing.docx"))
        Traceback (most recent call last):
        ...
        analysis_utils.errors.SpeechError: missing.docx: no such file
    """
    if data is None:
        data = read_file(path, max_mb=max_mb)
    _check_expansion(data, path, limit_from(max_docx_mb, MAX_DOCX_MB_ENV, MAX_DOCX_MB),
                     limit_from(max_docx_ratio, MAX_DOCX_RATIO_ENV, MAX_DOCX_RATIO))
    lines: list[str] = []
    _blocks(_body(data, path), lines)
    return "\n".join(lines)


def _check_expansion(data: bytes, path: Path, max_docx_mb: float, max_ratio: float) -> None:
    """Raise when the zip's table of contents says it would unpack to too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as e:
        raise SpeechError(path, f"not a valid .docx file ({type(e).__name__}: {e})") from None
    total = sum(p.file_size for p in parts)
    if total > max_docx_mb * _MB:
        raise SpeechError(path, f"would unpack to {total / _MB:,.0f} MB, more than the {max_docx_mb:g} MB the loader "
                                f"unpacks from a .docx (to read it, raise the limit: {MAX_DOCX_MB_ENV}=<MB> or "
                                f"load_speech(..., max_docx_mb=<MB>))")
    for p in parts:
        if p.file_size > _RATIO_FLOOR and p.file_size > max_ratio * max(p.compress_size, 1):
            raise SpeechError(path, f"its part {p.filename} would expand {p.file_size / max(p.compress_size, 1):,.0f} times "
                                    f"({p.compress_size:,} bytes to {p.file_size / _MB:,.0f} MB): a zip bomb, not a Word "
                                    f"document (to read it, raise the limit: {MAX_DOCX_RATIO_ENV}=<ratio> or "
                                    f"load_speech(..., max_docx_ratio=<ratio>))")


def _body(data: bytes, path: Path):
    """The ``w:body`` element of the main document part."""
    try:
        import docx
    except ImportError as e:  # pragma: no cover - python-docx is a pinned dependency
        raise SpeechError(path, f"python-docx is not installed ({e})") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises its own PackageNotFoundError, KeyError, lxml errors …
        raise SpeechError(path, f"not a valid .docx file ({type(e).__name__}: {e})") from None
    body = getattr(document.element, "body", None)
    if body is None:
        raise SpeechError(path, "not a valid .docx file: its document part has no body (no w:body element), so no text")
    return body


def _blocks(element, lines: list[str]) -> None:
    """Append the lines of the block-level content of ``element`` (a body, cell, content control, text box)."""
    for child in element:
        tag = child.tag
        if tag == _TBL:
            _table(child, lines)
        elif tag in _SKIP:
            continue
        elif tag == _P or child.find(f".//{_P}") is None:  # a paragraph, or text outside any paragraph
            _paragraph(child, lines)
        elif tag == _ALT:
            _blocks(_alternative(child), lines)
        else:  # w:sdt, w:sdtContent, w:customXml …: a wrapper around paragraphs and tables
            _blocks(child, lines)


def _paragraph(element, lines: list[str]) -> None:
    """Append a paragraph's text (its line breaks included), then the lines of its text boxes."""
    text: list[str] = []
    boxes: list[str] = []
    _inline(element, text, boxes)
    lines.append("".join(text))
    lines.extend(boxes)


def _inline(element, text: list[str], boxes: list[str]) -> None:
    """Add the text of ``element`` (a run, a hyperlink, an inline content control …) to ``text``;
    the lines of a text box go to ``boxes``."""
    tag = element.tag
    if tag == _T:
        text.append(element.text or "")
    elif tag in _MARKS:
        text.append(_MARKS[tag])
    elif tag == _TXBX:
        _blocks(element, boxes)
    elif tag == _ALT:
        for child in _alternative(element):
            _inline(child, text, boxes)
    elif tag not in _SKIP:
        for child in element:
            _inline(child, text, boxes)


def _table(table, lines: list[str]) -> None:
    """Append one line per row: its cells joined by a tab, a cell's own lines joined by a space."""
    for row in _find(table, _TR):
        cells = []
        for cell in _find(row, _TC):
            cell_lines: list[str] = []
            _blocks(cell, cell_lines)
            parts = "\n".join(cell_lines).replace("\t", " ").split("\n")
            cells.append(" ".join(part for part in parts if part.strip()))
        lines.append("\t".join(cells))


def _find(element, tag: str) -> Iterator:
    """The ``tag`` elements under ``element``, also inside content controls, not inside nested tables."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == _ALT:
            yield from _find(_alternative(child), tag)
        elif child.tag not in _SKIP and child.tag != _TBL:
            yield from _find(child, tag)


def _alternative(element) -> Iterable:
    """The branch of ``mc:AlternateContent`` that is read: the first ``mc:Choice``, else ``mc:Fallback``."""
    for tag in (_CHOICE, _FALLBACK):
        branch = element.find(tag)
        if branch is not None:
            return branch
    return ()
