"""Which files are speeches, the id a speech takes from its file name, and reading a file safely.

Only regular files are read (never a FIFO, a device or a socket), and no more than a limit:
``MAX_MB`` megabytes unless ``ANALYSIS_UTILS_MAX_MB`` or ``max_mb`` says otherwise.

Example:
    >>> from pathlib import Path
    >>> is_speech_file(Path("讲话.docx")), is_speech_file(Path("~$讲话.docx")), is_speech_file(Path("README.md"))
    (True, False, False)
    >>> speech_id(Path("2022 报告: 全文.txt"))
    '2022_报告_全文'
"""
from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from ..errors import SpeechError

#: Suffixes read as plain text (a file without a suffix too).
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
#: Suffixes read as Word documents.
DOCX_SUFFIXES = {".docx"}
#: Suffixes a folder's speech files have (a file without a suffix is read only when named).
SPEECH_SUFFIXES = (TEXT_SUFFIXES | DOCX_SUFFIXES) - {""}
#: The largest file the loader reads, in MB (a text file or a .docx as stored); the README
#: promises that 50 MB files work. Raised with ANALYSIS_UTILS_MAX_MB or ``max_mb``.
MAX_MB = 200.0
MAX_MB_ENV = "ANALYSIS_UTILS_MAX_MB"
_MB = 1024 * 1024


def is_speech_file(path: Path) -> bool:
    """A .txt/.md/.docx file that is not hidden, an Office lock file (``~$…``) or a README.

    Args:
        path: a file name or path (the file need not exist).

    Returns:
        True when a folder listing should count ``path`` as a speech.

    Example:
        >>> is_speech_file(Path("a.txt")), is_speech_file(Path(".a.txt")), is_speech_file(Path("a.pdf"))
        (True, False, False)
    """
    return (path.suffix.lower() in SPEECH_SUFFIXES and not path.name.startswith((".", "~$"))
            and not path.stem.upper().startswith("README"))


def speech_files(paths: str | Path | Iterable[str | Path], *, recursive: bool = False) -> list[Path]:
    """The speech files named by ``paths``: files as given, folders expanded to their speech files.

    Args:
        paths: a file or folder, or several.
        recursive: also look in sub-folders (hidden sub-folders are skipped).

    Returns:
        The files in the order given, each folder's files sorted by path. Raises
        :class:`SpeechError` for a folder that holds no speech file.

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> [p.name for p in speech_files(SEED_SPEECH.parent)]
        ['party_building_conference_speech.txt']
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    out: list[Path] = []
    for p in map(Path, paths):
        out += _files_in(p, recursive=recursive) if p.is_dir() else [p]
    return out


def _files_in(folder: Path, *, recursive: bool) -> list[Path]:
    """The speech files of one folder, sorted by path; an error when there is none."""
    found = sorted(folder.rglob("*") if recursive else folder.iterdir(), key=lambda f: f.relative_to(folder).parts)
    found = [f for f in found if f.is_file() and is_speech_file(f)
             and not any(part.startswith(".") for part in f.relative_to(folder).parts[:-1])]
    if not found:
        raise SpeechError(folder, "no speech files (.txt, .md, .docx) in this folder")
    return found


def speech_id(path: Path) -> str:
    """A file-system-safe id from the file name (Chinese kept): ``figures/<id>/``.

    Args:
        path: the speech's file.

    Returns:
        The file's stem with white space and characters a file name cannot hold made ``_``
        (``speech`` for an empty stem). A name that is not UTF-8 (a GBK name from a Windows
        zip) is read as GBK, or else its bytes are written ``xNN``.

    Example:
        >>> speech_id(Path("seeds/讲话 稿.docx"))
        '讲话_稿'
        >>> speech_id(Path(os.fsdecode("讲话".encode("gbk") + b".txt"))), speech_id(Path(os.fsdecode(b"caf\\xe9.txt")))
        ('讲话', 'caf_xe9')
    """
    stem = readable_name(path.stem).strip() or "speech"
    return re.sub(r"[\s/\\:*?\"<>|\x00-\x1f\x7f-\x9f]+", "_", stem)


def readable_name(name: str) -> str:
    """A file name as text without undecodable bytes: a name that is not UTF-8 read as GBK when it can be.

    Example:
        >>> readable_name(os.fsdecode("讲话".encode("gbk"))), readable_name(os.fsdecode(b"caf\\xe9"))
        ('讲话', 'caf\\\\xe9')
    """
    if not any("\udc80" <= c <= "\udcff" for c in name):
        return name
    raw = os.fsencode(name)
    try:
        return raw.decode("gbk")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def limit_from(value: float | None, env: str, default: float) -> float:
    """A limit: ``value`` if given, else the number in the environment variable ``env``, else ``default``.

    Example:
        >>> limit_from(None, "ANALYSIS_UTILS_NO_SUCH_LIMIT", 200.0), limit_from(5, MAX_MB_ENV, 200.0)
        (200.0, 5.0)
    """
    if value is None:
        text = os.environ.get(env, "").strip()
        if not text:
            return default
        try:
            value = float(text)
        except ValueError:
            raise SpeechError(None, f"{env} must be a number, not {text!r}") from None
        if not value > 0:
            raise SpeechError(None, f"{env} must be more than 0, not {text!r}")
    elif not value > 0:
        raise ValueError(f"a limit must be more than 0, not {value!r}")
    return float(value)


def read_file(path: Path, *, max_mb: float | None = None) -> bytes:
    """The bytes of a regular file of at most ``max_mb`` MB (default ``MAX_MB``, or ``ANALYSIS_UTILS_MAX_MB``).

    A FIFO, a device (``/dev/zero``), a socket or a folder is refused before it is opened, and
    the file is opened without blocking, so nothing waits for a writer or reads forever.

    Args:
        path: the file.
        max_mb: the largest size read, in MB.

    Returns:
        The bytes. Raises :class:`SpeechError` for a missing file, a file that is not a regular
        one, one larger than the limit, or one that cannot be read.

    Example:
        >>> read_file(Path("/dev/zero"))
        Traceback (most recent call last):
        ...
        analysis_utils.errors.SpeechError: /dev/zero: is a character device, not a regular file: give a speech file
    """
    limit = limit_from(max_mb, MAX_MB_ENV, MAX_MB)
    cap = int(min(limit * _MB, sys.maxsize - 1))
    try:
        _check_regular(path, os.stat(path), limit)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            _check_regular(path, st, limit)  # the same file still (not swapped for a FIFO since)
            data = f.read(min(st.st_size, cap) + 1)
            while len(data) <= cap and (more := f.read(1 << 20)):  # a file that grew since
                data += more
    except FileNotFoundError:
        raise SpeechError(path, "no such file") from None
    except PermissionError:
        raise SpeechError(path, "cannot be read: permission denied") from None
    except OSError as e:
        raise SpeechError(path, f"cannot be read ({e.strerror or e})") from None
    if len(data) > limit * _MB:
        raise SpeechError(path, _too_large(len(data), limit))
    return data


def _check_regular(path: Path, st: os.stat_result, limit: float) -> None:
    """Raise unless ``st`` is a regular file of at most ``limit`` MB."""
    if stat.S_ISDIR(st.st_mode):
        raise SpeechError(path, "is a folder, not a file (give one speech file, or use a command that takes a folder)")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a character device" if stat.S_ISCHR(st.st_mode)
                else "a block device" if stat.S_ISBLK(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "a special file")
        raise SpeechError(path, f"is {kind}, not a regular file: give a speech file")
    if st.st_size > limit * _MB:
        raise SpeechError(path, _too_large(st.st_size, limit))


def _too_large(size: int, limit: float) -> str:
    return (f"is {size / _MB:,.1f} MB, more than the {limit:g} MB the loader reads "
            f"(to read it, raise the limit: {MAX_MB_ENV}=<MB> or load_speech(..., max_mb=<MB>))")
