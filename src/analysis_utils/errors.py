"""The one exception users see: a problem with their input, said in one line."""
from __future__ import annotations

import re
from pathlib import Path


class SpeechError(Exception):
    """Bad input: names the file and the problem in one line.

    The command line prints ``str(error)`` on stderr and exits with status 2;
    notebooks stop in their first cell with the same message. A bad argument (not a bad
    file) raises ``ValueError`` instead.

    Args:
        path: the input file (``None`` when the problem is not about one file).
        problem: what is wrong, in a few words.

    Example:
        >>> str(SpeechError("speech.txt", "the file is empty"))
        'speech.txt: the file is empty'
        >>> from analysis_utils import load_speech
        >>> load_speech("no_such_speech.txt")
        Traceback (most recent call last):
        ...
        analysis_utils.errors.SpeechError: no_such_speech.txt: no such file
    """

    def __init__(self, path: str | Path | None, problem: str):
        self.path = printable(str(path)) if path is not None else None
        self.problem = printable(problem)
        super().__init__(f"{self.path}: {problem}" if self.path else problem)

    def _render_traceback_(self) -> list[str]:
        """In Jupyter, show the one-line message instead of a traceback."""
        return [f"SpeechError: {self}"]


def printable(text: str) -> str:
    r"""``text`` safe to print on one line: bytes of a file name that are not UTF-8 and control
    characters are written ``\xNN``.

    Example:
        >>> import os
        >>> printable(os.fsdecode(b"\xbd\xb2.txt")), printable("a\nb\x1b[31m")
        ('\\xbd\\xb2.txt', 'a\\x0ab\\x1b[31m')
    """
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is not an undecodable byte
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", text)


def read_data_file(path: str | Path, what: str, *, missing: str = "no such file") -> str:
    """The text of a UTF-8 data file the user gives (a lexicon, a word list, a reference list, a
    family file), or a :class:`SpeechError` naming it and the problem in one line.

    Example:
        >>> read_data_file("no_such_list.txt", "word list")
        Traceback (most recent call last):
        ...
        analysis_utils.errors.SpeechError: no_such_list.txt: no such file
    """
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SpeechError(path, missing) from None
    except IsADirectoryError:
        raise SpeechError(path, f"a folder, not a {what}") from None
    except UnicodeDecodeError as e:
        raise SpeechError(path, f"a {what} must be UTF-8 ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise SpeechError(path, f"cannot be read ({e.strerror or e})") from None
