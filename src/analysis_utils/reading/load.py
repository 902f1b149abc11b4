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
from ..text import HAN_RE
from .clean import normalize_text, split_non_speech
from .decode import decode_bytes, read_docx
from .files import DOCX_SUFFIXES, TEXT_SUFFIXES, speech_id
from .metadata import extract_metadata
from .placeholders import find_placeholders

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def load_speech(path: str | Path) -> Speech:
    """Load a speech from a ``.txt``/``.md`` (any common encoding) or ``.docx`` file.

    Args:
        path: the file to read.

    Returns:
        A :class:`Speech`. Raises :class:`SpeechError` (one line naming the file and the
        problem) for missing, empty, binary, undecodable or unsupported files.

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> s = load_speech(SEED_SPEECH)
        >>> s.meta.title, s.encoding
        ('在党建工作会议上的讲话', 'utf-8')
    """
    path = Path(path)
    _check_file(path)
    try:
        raw, encoding, notes = _read(path)
    except PermissionError:
        raise SpeechError(path, "cannot be read: permission denied") from None
    except OSError as e:
        raise SpeechError(path, f"cannot be read ({e.strerror or e})") from None
    return speech_from_text(raw, path=path, encoding=encoding, notes=notes)


def _check_file(path: Path) -> None:
    """Raise unless ``path`` is an existing file of a type the loader reads."""
    if not path.exists():
        raise SpeechError(path, "no such file")
    if path.is_dir():
        raise SpeechError(path, "is a folder, not a file (give one speech file, or use a command that takes a folder)")
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise SpeechError(path, "old binary Word .doc files are not supported: save it as .docx or .txt")
    if suffix not in TEXT_SUFFIXES | DOCX_SUFFIXES:
        raise SpeechError(path, f"unsupported file type '{suffix}' (use .txt, .md or .docx)")


def _read(path: Path) -> tuple[str, str, list[str]]:
    """``(text, encoding, notes)`` of a .docx or a text file."""
    if path.suffix.lower() in DOCX_SUFFIXES:
        return read_docx(path), "docx", []
    return decode_bytes(path.read_bytes(), path)


def speech_from_text(raw: str, *, path: str | Path = "<text>", encoding: str = "str", notes: list[str] | None = None) -> Speech:
    """Build a :class:`Speech` from text already in memory (what ``load_speech`` does after decoding).

    Args:
        raw: the text.
        path: the file it came from (names the speech and its id; ``<text>`` by default).
        encoding: the encoding it was decoded from, recorded on the speech.
        notes: notes from decoding, kept before the normalisation notes.

    Returns:
        A :class:`Speech`. Raises :class:`SpeechError` when the text looks binary, is blank,
        holds no Chinese, or holds nothing but notices.

    Example:
        >>> s = speech_from_text("仅供学习 禁止外传\\n在会上的讲话\\n同志们：\\n今天开会。", path="会议.txt")
        >>> s.id, s.body.split("\\n")[0], s.removed[0].reason
        ('会议', '在会上的讲话', 'template-site advertising and notices before the speech')
    """
    path = Path(path)
    all_notes = list(notes or [])
    bad = len(_CONTROL.findall(raw))
    if bad > max(8, len(raw) // 100):
        raise SpeechError(path, f"looks like binary data ({bad} control characters), not a text file")
    normalized, norm_notes = normalize_text(raw)
    all_notes += norm_notes
    if not normalized:
        raise SpeechError(path, "contains only white space" if raw else "the file is empty")
    if not HAN_RE.search(normalized):
        raise SpeechError(path, "contains no Chinese text")
    body, removed = split_non_speech(normalized)
    if not HAN_RE.search(body):
        raise SpeechError(path, "nothing is left once notices and headers are removed: no speech text found")
    return Speech(
        path=path,
        id=speech_id(path),
        encoding=encoding,
        raw=raw,
        normalized=normalized,
        body=body,
        removed=removed,
        meta=extract_metadata(body),
        placeholders=find_placeholders(body),
        notes=tuple(all_notes),
    )
