"""What every notebook does in its first cells, in one place."""
from __future__ import annotations

from pathlib import Path

import matplotlib

from . import config
from .errors import SpeechError
from .plots.fonts import use_chinese_font
from .reading import load_speech
from .speech import Speech


def setup_notebook() -> str:
    """Chinese font, readable default sizes, inline-friendly figures; returns the font name."""
    name = use_chinese_font()
    matplotlib.rcParams.update({"figure.dpi": 100, "axes.titlesize": 14, "axes.labelsize": 12})
    return name


def open_speech(speech_path: str | Path | None = None) -> Speech:
    """The notebook's speech: ``speech_path``, or the seed speech when it is ``None``.

    A bad value stops the notebook in this cell with the same one-line message the
    command line prints (``SpeechError: <file>: <problem>``).
    """
    if speech_path is None or speech_path == "":
        speech_path = config.SEED_SPEECH
    if not isinstance(speech_path, (str, Path)):
        raise SpeechError(repr(speech_path), f"speech_path must be a file path (a string), not {type(speech_path).__name__}")
    path = Path(speech_path).expanduser()
    if not path.is_absolute() and not path.exists() and (config.PROJECT_ROOT / path).exists():
        path = config.PROJECT_ROOT / path  # relative to the project root, wherever Jupyter started
    return load_speech(path)
