"""Which files are speeches, and the id a speech takes from its file name.

Example:
    >>> from pathlib import Path
    >>> is_speech_file(Path("讲话.docx")), is_speech_file(Path("~$讲话.docx")), is_speech_file(Path("README.md"))
    (True, False, False)
    >>> speech_id(Path("2022 报告: 全文.txt"))
    '2022_报告_全文'
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import SpeechError

#: Suffixes read as plain text (a file without a suffix too).
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
#: Suffixes read as Word documents.
DOCX_SUFFIXES = {".docx"}
#: Suffixes a folder's speech files have (a file without a suffix is read only when named).
SPEECH_SUFFIXES = (TEXT_SUFFIXES | DOCX_SUFFIXES) - {""}


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
        (``speech`` for an empty stem).

    Example:
        >>> speech_id(Path("seeds/讲话 稿.docx"))
        '讲话_稿'
    """
    stem = path.stem.strip() or "speech"
    return re.sub(r"[\s/\\:*?\"<>|]+", "_", stem)
