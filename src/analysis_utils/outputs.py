"""Saving what the notebooks make: one helper for figures, one for tables.

Everything goes to ``figures/<speech-id>/<name>.<ext>``, written atomically (a temporary
file renamed into place, so an interruption never leaves half a PNG or CSV) and
deterministically (no software or date stamps in PNG/SVG metadata).
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from contextlib import contextmanager
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from . import config

PNG_DPI = 200
CAPTIONS_FILE = "captions.json"


def figure_dir(speech_id: str, out_dir: str | Path | None = None) -> Path:
    """``figures/<speech-id>/`` (or ``out_dir/<speech-id>/``), created if missing."""
    d = Path(out_dir or config.FIGURES_DIR) / speech_id
    d.mkdir(parents=True, exist_ok=True)
    return d


def atomic_write(path: Path, write) -> Path:
    """Call ``write(tmp_path)`` then rename the temporary file to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save_fig(fig, speech_id: str, name: str, *, caption: str | None = None,
             formats: Iterable[str] = ("png", "svg"), out_dir: str | Path | None = None,
             dpi: int = PNG_DPI) -> list[Path]:
    """Save a matplotlib figure as ``figures/<speech-id>/<name>.png`` and ``.svg``.

    Args:
        caption: one or two sentences saying what the figure shows; recorded in
            ``figures/<speech-id>/captions.json`` for the index page and the slide deck.

    Example:
        >>> save_fig(fig, speech.id, "02_top_terms", caption="高频词 Top terms")  # doctest: +SKIP
    """
    def writer(fmt: str):
        meta = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None} if fmt == "svg" else {}
        return lambda tmp: fig.savefig(tmp, format=fmt, dpi=dpi, bbox_inches="tight", metadata=meta)

    return save_outputs(speech_id, name, {fmt: writer(fmt) for fmt in formats}, caption=caption, out_dir=out_dir)


def save_outputs(speech_id: str, name: str, writers: dict, *, caption: str | None = None,
                 out_dir: str | Path | None = None) -> list[Path]:
    """The one way figures are saved: ``writers`` maps an extension to ``write(tmp_path)``;
    each file lands atomically as ``figures/<speech-id>/<name>.<ext>``, the caption in
    ``captions.json``. Returns the paths in the order given."""
    d = figure_dir(speech_id, out_dir)
    if caption:
        record_caption(d, name, caption)
    return [atomic_write(d / f"{name}.{ext}", write) for ext, write in writers.items()]


def record_caption(directory: Path, name: str, caption: str) -> None:
    """Add or replace ``name``'s caption in ``directory/captions.json``."""
    path = Path(directory) / CAPTIONS_FILE
    with _locked(path):  # notebooks of one speech may run side by side
        captions = read_captions(directory)
        captions[name] = caption
        text = json.dumps(dict(sorted(captions.items())), ensure_ascii=False, indent=1)
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


@contextmanager
def _locked(path: Path, *, timeout: float = 30.0):
    """A lock file beside ``path`` (portable: exclusive create); a stale one is broken."""
    lock = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            os.close(fd)
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                lock.unlink(missing_ok=True)  # left by a process that died
                deadline = time.monotonic() + timeout
            time.sleep(0.01)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def read_captions(directory: str | Path) -> dict[str, str]:
    """The captions recorded for the figures in ``directory`` (figure name → caption)."""
    path = Path(directory) / CAPTIONS_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def save_table(df: pd.DataFrame, speech_id: str, name: str, *, out_dir: str | Path | None = None) -> Path:
    """Save a table as CSV that Excel opens correctly with Chinese (UTF-8 with BOM)."""
    d = figure_dir(speech_id, out_dir)
    return atomic_write(d / f"{name}.csv", lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8-sig"))
