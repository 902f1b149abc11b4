"""Read a speech from a file or from text: decode, normalise, separate what is not the speech.

``load_speech(path)`` is the entry point. It never guesses silently: the encoding used,
every normalisation applied and every span removed (with its reason) are recorded on the
returned :class:`~analysis_utils.speech.Speech`.

Example:
    >>> s = speech_from_text("在会上的讲话\\n同志们：\\n今天开会。")
    >>> s.meta.title, s.body.split("\\n")[-1], s.encoding
    ('在会上的讲话', '今天开会。', 'str')
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import SpeechError
from ..speech import Speech
from ..text import HAN_RE, count_han
from .chinese import read_as_chinese
from .clean import normalize_text, split_non_speech
from .decode import decode_bytes
from .files import DOCX_SUFFIXES, TEXT_SUFFIXES, read_file, readable_name, speech_id
from .metadata import date_from_header, extract_metadata
from .placeholders import find_placeholders
from .word import read_docx

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x84\x86-\x9f]")  # ESC starts terminal escapes: removed, not counted


def load_speech(path: str | Path, *, max_mb: float | None = None, max_docx_mb: float | None = None,
                max_docx_ratio: float | None = None) -> Speech:
    """Load a speech from a ``.txt``/``.md`` (any common encoding) or ``.docx`` file, or one row
    of a CSV/JSONL corpus addressed as ``table.jsonl#<id>`` (the id and cleaning
    :class:`~analysis_utils.scale.Corpus` gives it).

    Args:
        path: the file to read (a regular file: never a FIFO or a device), or a row address.
        max_mb: the largest file read, in MB (default 200, or ``ANALYSIS_UTILS_MAX_MB``).
        max_docx_mb: the most a .docx may unpack to, in MB (default 500, or ``ANALYSIS_UTILS_MAX_DOCX_MB``).
        max_docx_ratio: how many times a part of a .docx larger than 10 MB may expand
            (default 100, or ``ANALYSIS_UTILS_MAX_DOCX_RATIO``).

    Returns:
        A :class:`Speech`. Raises :class:`SpeechError` (one line naming the file and the
        problem) for missing, empty, binary, undecodable, too large, not Chinese or
        unsupported files.

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> s = load_speech(SEED_SPEECH)
        >>> s.meta.title, s.encoding
        ('在党建工作会议上的讲话', 'utf-8')
    """
    path = Path(path)
    row = table_row(path)
    if row is not None:
        return _load_row(*row)
    _check_file(path)
    data = read_file(path, max_mb=max_mb)
    notes: list[str] = []
    if path.suffix.lower() in DOCX_SUFFIXES:
        raw, encoding = read_docx(path, data, max_docx_mb=max_docx_mb, max_docx_ratio=max_docx_ratio), "docx"
    else:
        raw, encoding, notes = decode_bytes(data, path)
    if readable_name(path.name) != path.name:
        notes.append(f"the file name is not valid UTF-8 (messages show its bytes as \\xNN); the speech's id is {speech_id(path)!r}")
    return speech_from_text(raw, path=path, encoding=encoding, notes=notes)


#: The suffixes of the corpus tables (CSV/TSV/JSONL) whose rows ``table#id`` addresses.
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson")


def table_row(path: str | Path) -> tuple[Path, str] | None:
    """``(table, id)`` when ``path`` is a row address ``table.csv#<id>`` (the table exists, no file
    has the whole name); else ``None``.

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> table_row(SEED_SPEECH), table_row("no_such_table.jsonl#3")
        (None, None)
    """
    path = Path(path)
    table, sep, sid = str(path).rpartition("#")
    if not sep or not sid or path.exists() or Path(table).suffix.lower() not in TABLE_SUFFIXES:
        return None
    return (Path(table), sid) if Path(table).is_file() else None


def _load_row(table: Path, sid: str) -> Speech:
    """The speech of the row ``sid`` of a corpus table, as its Corpus loads it."""
    from ..scale.sources import Corpus  # the corpus reads speeches with this module: imported here

    corpus = Corpus(table)
    item = corpus.find(sid)
    if item is None:
        raise SpeechError(table, f"no row with the id {sid!r} (list the ids with: python -m analysis_utils info {table})")
    return corpus.load(item)


def _check_file(path: Path) -> None:
    """Raise unless ``path`` is an existing file of a type the loader reads."""
    if not path.exists():
        raise SpeechError(path, "no such file")
    if path.is_dir():
        raise SpeechError(path, "is a folder, not a file (give one speech file, or use a command that takes a folder)")
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise SpeechError(path, "old binary Word .doc files are not supported: save it as .docx or .txt")
    if suffix in TABLE_SUFFIXES:
        raise SpeechError(path, f"is a table of speeches: give one row as {path.name}#<id> "
                                f"(list the ids with: python -m analysis_utils info {path})")
    if suffix not in TEXT_SUFFIXES | DOCX_SUFFIXES:
        raise SpeechError(path, f"unsupported file type '{suffix}' (use .txt, .md or .docx)")


def speech_from_text(raw: str, *, path: str | Path = "<text>", encoding: str = "str", notes: list[str] | None = None) -> Speech:
    """Build a :class:`Speech` from text already in memory (what ``load_speech`` does after decoding).

    Args:
        raw: the text.
        path: the file it came from (names the speech and its id; ``<text>`` by default).
        encoding: the encoding it was decoded from, recorded on the speech.
        notes: notes from decoding, kept before the normalisation notes.

    Returns:
        A :class:`Speech`. Raises :class:`SpeechError` when the text looks binary (NUL or many
        control characters), is blank, does not read as Chinese (Japanese, Korean, mojibake),
        holds no Chinese, or holds nothing but notices.

    Example:
        >>> s = speech_from_text("仅供学习 禁止外传\\n在会上的讲话\\n同志们：\\n今天开会。", path="会议.txt")
        >>> s.id, s.body.split("\\n")[0], s.removed[0].reason
        ('会议', '在会上的讲话', 'template-site advertising and notices before the speech')
    """
    path = Path(path)
    all_notes = list(notes or [])
    nul = raw.find("\x00")
    if nul >= 0:
        raise SpeechError(path, f"contains NUL characters (the first at character {nul}): this is binary data, not a text file")
    bad = len(_CONTROL.findall(raw))
    if bad > max(8, len(raw) // 100):
        raise SpeechError(path, f"looks like binary data ({bad} control characters), not a text file")
    normalized, norm_notes = normalize_text(raw)
    all_notes += norm_notes
    if not normalized:
        raise SpeechError(path, "contains only white space" if raw else "the file is empty")
    reading = read_as_chinese(normalized)
    if reading.problem:
        raise SpeechError(path, f"does not read as Chinese: this is {reading.problem}; only Chinese speeches are analysed")
    if not HAN_RE.search(normalized):
        raise SpeechError(path, "contains no Chinese text")
    body, removed = split_non_speech(normalized)
    if not HAN_RE.search(body):
        raise SpeechError(path, "nothing is left once notices and headers are removed: no speech text found")
    meta, date_notes = date_from_header(extract_metadata(body), removed)
    speech = Speech(
        path=path,
        id=speech_id(path),
        encoding=encoding,
        raw=raw,
        normalized=normalized,
        body=body,
        removed=removed,
        meta=meta,
        placeholders=find_placeholders(body),
        notes=tuple(all_notes + date_notes),
    )
    if reading.han is not None:  # the body's Chinese characters: the text's, less the removed lines' (counted once)
        speech.__dict__["han_chars"] = reading.han - sum(count_han(r.text) for r in removed)  # as cached_property keeps it
    return speech
