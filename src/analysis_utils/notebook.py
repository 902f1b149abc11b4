"""What every notebook does in its first cells, in one place: the setup and opening the input.

Notebooks 01–04 open one speech (:func:`open_speech`); notebook 05 opens what it compares, a
folder's speeches or one speech's parts (:func:`open_comparison`, with :func:`parts_note` on
how the parts were cut). Both read the same
``speech_path`` parameter the same way and stop with the same one-line message on bad input.

Example:
    >>> speech = open_speech()          # the seed speech
    >>> speech.id
    'party_building_conference_speech'
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import matplotlib

from . import config
from .errors import SpeechError
from .plots.style import use_chinese_font
from .reading import load_speech
from .speech import Speech

if TYPE_CHECKING:
    from .stats.compare import Comparison


def setup_notebook(font: str | Path | None = None) -> str:
    """Chinese font, readable default sizes, inline-friendly figures, no red stderr boxes.

    A warning (e.g. a reference from another era) is printed as one plain line
    ``注意 note: …`` on stdout instead of a red box with a file path and a line of source;
    tqdm's "IProgress not found" is never shown (``ipywidgets`` draws the bars as widgets).

    Args:
        font: a font file to draw with instead of the bundled Noto Sans CJK SC (see
            :func:`~analysis_utils.plots.style.use_chinese_font`); ``None``: the bundled one.

    Returns:
        The name of the Chinese font in use.

    Example:
        >>> isinstance(setup_notebook(), str)
        True
    """
    name = use_chinese_font(font)
    matplotlib.rcParams.update({"figure.dpi": 100, "axes.titlesize": 14, "axes.labelsize": 12})
    warnings.showwarning = _note
    warnings.filterwarnings("ignore", message="IProgress not found")
    return name


def _note(message, category, filename, lineno, file=None, line=None) -> None:
    """``warnings.showwarning`` in a notebook: one plain line on stdout (no red stderr box)."""
    print(f"注意 note: {message}")


def input_path(speech_path: str | Path | None = None) -> Path:
    """Where a notebook's ``speech_path`` parameter points: the seed when it is ``None`` or empty.

    A relative path that does not exist from the current folder is taken relative to the
    project root, wherever Jupyter was started.

    Raises:
        SpeechError: ``speech_path`` is not a path (a string or ``Path``).

    Example:
        >>> input_path(None) == config.SEED_SPEECH
        True
        >>> input_path("seeds/party_building_conference_speech.txt").exists()
        True
    """
    if speech_path is None or speech_path == "":
        speech_path = config.SEED_SPEECH
    if not isinstance(speech_path, (str, Path)):
        raise SpeechError(repr(speech_path), f"speech_path must be a file path (a string), not {type(speech_path).__name__}")
    path = Path(speech_path).expanduser()
    if not path.is_absolute() and not path.exists() and (config.PROJECT_ROOT / path).exists():
        path = config.PROJECT_ROOT / path  # relative to the project root, wherever Jupyter started
    return path


def open_speech(speech_path: str | Path | None = None) -> Speech:
    """The notebook's speech: ``speech_path``, or the seed speech when it is ``None``.

    A bad value stops the notebook in this cell with the same one-line message the
    command line prints (``SpeechError: <file>: <problem>``).

    Args:
        speech_path: a ``.txt``/``.md``/``.docx`` file; ``None`` for the seed.

    Returns:
        The loaded :class:`~analysis_utils.Speech`.

    A Windows path pasted without ``r"…"`` (``"C:\\new\\text.txt"`` where Python read ``\\n`` and
    ``\\t`` as a line break and a tab) stops with a message saying so.

    Example:
        >>> open_speech().meta.title
        '在党建工作会议上的讲话'
    """
    if isinstance(speech_path, str) and _ESCAPED.search(speech_path):
        raise SpeechError(speech_path, WINDOWS_PATH_PROBLEM)
    return load_speech(input_path(speech_path))


#: Characters Python makes of ``\\a \\b \\t \\n \\v \\f \\r`` in a path written without ``r"…"``.
_ESCAPED = re.compile(r"[\x07-\x0d]")
WINDOWS_PATH_PROBLEM = ('the path holds a line break or tab: a Windows path written without r"…"? '
                        'Write r"C:\\Users\\…" or use forward slashes "C:/Users/…"')


def open_comparison(speech_path: str | Path | None = None, *, parts_if_no_headings: int = 3,
                    duplicates: Literal["drop", "keep"] = "drop") -> Comparison:
    """What notebook 05 compares: a folder's speeches, or one speech's top-level parts.

    ``speech_path`` is read exactly as :func:`open_speech` reads it (``None`` → the seed);
    it may also name a folder. Bad input stops the notebook with the one-line message.

    Args:
        speech_path: a speech file or a folder of speeches; ``None`` for the seed.
        parts_if_no_headings: equal parts for a speech without ``一、`` headings.
        duplicates: ``"drop"`` (a speech published twice compared once) or ``"keep"``.

    Returns:
        The :class:`~analysis_utils.stats.compare.Comparison` (its ``units`` and ``labels``).

    Example:
        >>> cmp = open_comparison()     # the seed, part by part
        >>> cmp.mode, len(cmp.units), cmp.id
        ('parts', 2, 'party_building_conference_speech')
    """
    from .stats.compare import comparison

    return comparison(input_path(speech_path), parts_if_no_headings=parts_if_no_headings, duplicates=duplicates)


def parts_note(cmp: Comparison) -> str | None:
    """The one line notebook 05 prints about how one speech was cut into the parts it compares.

    ``None`` for speeches of a folder and for parts cut at headings or paragraph breaks; a line
    saying that the parts were cut at sentence ends (a text without usable paragraph breaks,
    such as a page scraped from a news site), or that the text is too short to compare (a
    single part).

    Example:
        >>> parts_note(open_comparison()) is None     # the seed: its 一、 and 二、 sections
        True
    """
    from .outline.parts import BY_SENTENCE

    if cmp.mode != "parts":
        return None
    if len(cmp.units) < 2:
        return "文字太短，无从比较：只有一个部分 · too short to compare: a single part"
    if any(BY_SENTENCE in label for label in cmp.labels):
        return (f"这篇讲话没有可用的分段，{len(cmp.units)} 个部分在句末切开 · no paragraph breaks to cut at: "
                f"the {len(cmp.units)} parts are cut at sentence ends")
    return None
