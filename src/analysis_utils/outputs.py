"""Saving what the notebooks make: figures, tables and word clouds, one saving path.

Everything goes to ``figures/<speech-id>/<name>.<ext>``, written atomically (a temporary
file renamed into place, so an interruption never leaves half a PNG or CSV) and
deterministically (no software or date stamps in PNG/SVG metadata). A notebook binds the
speech id and the output folder once (:class:`Outputs`) instead of repeating them in every call.

Example:
    >>> import tempfile
    >>> import pandas as pd
    >>> out = Outputs("party_building_conference_speech", tempfile.mkdtemp())
    >>> out.table(pd.DataFrame({"term": ["组织"], "count": [3]}), "02_term_frequency").name
    '02_term_frequency.csv'
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import config

if TYPE_CHECKING:
    from .plots.clouds import Cloud

PNG_DPI = 200
CAPTIONS_FILE = "captions.json"
#: ``write(tmp_path)``: writes one output file to the temporary path it is given.
Writer = Callable[[Path], Any]


def figure_dir(speech_id: str, out_dir: str | Path | None = None) -> Path:
    """``figures/<speech-id>/`` (or ``out_dir/<speech-id>/``), created if missing.

    Args:
        speech_id: the folder name (``speech.id``, or a comparison's id).
        out_dir: the output root; ``None`` means ``figures/`` in the project.

    Returns:
        The folder's path.

    Example:
        >>> import tempfile
        >>> figure_dir("seed", tempfile.mkdtemp()).name
        'seed'
    """
    d = Path(out_dir or config.FIGURES_DIR) / speech_id
    d.mkdir(parents=True, exist_ok=True)
    return d


def atomic_write(path: Path, write: Writer) -> Path:
    """Call ``write(tmp_path)`` then rename the temporary file to ``path``.

    The one atomic writer of the package: a reader never sees half a file, and a failing
    ``write`` leaves no temporary file behind.

    Returns:
        ``path``.

    Example:
        >>> import tempfile
        >>> p = atomic_write(Path(tempfile.mkdtemp()) / "a.txt", lambda tmp: tmp.write_text("讲话", encoding="utf-8"))
        >>> p.read_text(encoding="utf-8")
        '讲话'
    """
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
        fig: the matplotlib figure.
        speech_id: the folder under ``out_dir``.
        name: the file name without extension, e.g. ``02_top_terms``.
        caption: one or two sentences saying what the figure shows; recorded in
            ``figures/<speech-id>/captions.json`` for the index page and the slide deck.
        formats: the extensions to write.
        out_dir: the output root (default ``figures/``).
        dpi: resolution of the PNG.

    Returns:
        The paths written, in the order of ``formats``.

    Example:
        >>> import tempfile
        >>> import matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots()
        >>> [p.name for p in save_fig(fig, "seed", "02_top_terms", caption="高频词 Top terms", out_dir=tempfile.mkdtemp())]
        ['02_top_terms.png', '02_top_terms.svg']
        >>> plt.close(fig)
    """
    def writer(fmt: str) -> Writer:
        meta = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None} if fmt == "svg" else {}
        return lambda tmp: fig.savefig(tmp, format=fmt, dpi=dpi, bbox_inches="tight", metadata=meta)

    return save_outputs(speech_id, name, {fmt: writer(fmt) for fmt in formats}, caption=caption, out_dir=out_dir)


def save_outputs(speech_id: str, name: str, writers: Mapping[str, Writer], *, caption: str | None = None,
                 out_dir: str | Path | None = None) -> list[Path]:
    """The one way figures are saved: each file lands atomically as ``figures/<speech-id>/<name>.<ext>``.

    Args:
        writers: maps an extension to ``write(tmp_path)``.
        caption: recorded in ``captions.json`` under ``name``.

    Returns:
        The paths in the order given.

    Example:
        >>> import tempfile
        >>> [p.name for p in save_outputs("seed", "note", {"txt": lambda tmp: tmp.write_text("x")}, out_dir=tempfile.mkdtemp())]
        ['note.txt']
    """
    d = figure_dir(speech_id, out_dir)
    if caption:
        record_caption(d, name, caption)
    return [atomic_write(d / f"{name}.{ext}", write) for ext, write in writers.items()]


def record_caption(directory: Path, name: str, caption: str) -> None:
    """Add or replace ``name``'s caption in ``directory/captions.json`` (kept sorted by name).

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> record_caption(d, "02_top_terms", "高频词")
        >>> read_captions(d)
        {'02_top_terms': '高频词'}
    """
    path = Path(directory) / CAPTIONS_FILE
    with _locked(path):  # notebooks of one speech may run side by side
        captions = read_captions(directory)
        captions[name] = caption
        text = json.dumps(dict(sorted(captions.items())), ensure_ascii=False, indent=1)
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


@contextmanager
def _locked(path: Path, *, timeout: float = 30.0) -> Iterator[None]:
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
    """The captions recorded for the figures in ``directory`` (figure name → caption); ``{}`` if none.

    Example:
        >>> import tempfile
        >>> read_captions(tempfile.mkdtemp())
        {}
    """
    path = Path(directory) / CAPTIONS_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def save_table(df: pd.DataFrame, speech_id: str, name: str, *, out_dir: str | Path | None = None) -> Path:
    """Save a table as CSV that Excel opens correctly with Chinese (UTF-8 with BOM).

    Returns:
        The path of ``figures/<speech-id>/<name>.csv``.

    Example:
        >>> import tempfile
        >>> p = save_table(pd.DataFrame({"term": ["组织"]}), "seed", "t", out_dir=tempfile.mkdtemp())
        >>> p.read_bytes()[:3] == b"\\xef\\xbb\\xbf"
        True
    """
    d = figure_dir(speech_id, out_dir)
    return atomic_write(d / f"{name}.csv", lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8-sig"))


def join_list_columns(df: pd.DataFrame, separators: Mapping[str, str]) -> pd.DataFrame:
    """A copy of ``df`` whose list cells in the named columns are joined into text, for a CSV.

    Args:
        separators: column → the separator put between its items.

    Returns:
        The new table; other columns are unchanged.

    Example:
        >>> join_list_columns(pd.DataFrame({"frame": ["往…里走"], "positions": [[3, 9, 15]]}), {"positions": ";"})
          frame positions
        0  往…里走    3;9;15
    """
    return df.assign(**{col: [sep.join(map(str, cells)) for cells in df[col]] for col, sep in separators.items()})


@dataclass(frozen=True)
class Outputs:
    """The saver of one speech's outputs: its id and output folder bound once.

    ``out = Outputs(speech.id, out_dir)``, then ``out.fig(fig, name, caption=…)``,
    ``out.table(df, name)`` and ``out.cloud(cloud, name, caption=…)`` write exactly what
    :func:`save_fig`, :func:`save_table` and ``save_wordcloud`` write.

    Args:
        speech_id: the folder under ``out_dir`` (``speech.id``, or a comparison's ``cmp.id``).
        out_dir: the output root; ``None`` means ``figures/`` in the project.

    Example:
        >>> import tempfile
        >>> import matplotlib.pyplot as plt
        >>> out = Outputs("party_building_conference_speech", tempfile.mkdtemp())
        >>> fig, ax = plt.subplots()
        >>> [p.name for p in out.fig(fig, "02_top_terms", caption="高频词 Top terms")]
        ['02_top_terms.png', '02_top_terms.svg']
        >>> plt.close(fig)
        >>> out.table(pd.DataFrame({"term": ["组织"], "count": [3]}), "02_term_frequency").name
        '02_term_frequency.csv'
        >>> out.names("02_*")
        ['02_term_frequency.csv', '02_top_terms.png', '02_top_terms.svg']
        >>> read_captions(out.dir)
        {'02_top_terms': '高频词 Top terms'}
    """

    speech_id: str
    out_dir: str | Path | None = None

    @property
    def dir(self) -> Path:
        """``<out_dir>/<speech-id>/``, created if missing."""
        return figure_dir(self.speech_id, self.out_dir)

    def fig(self, fig, name: str, *, caption: str | None = None, formats: Iterable[str] = ("png", "svg"),
            dpi: int = PNG_DPI) -> list[Path]:
        """Save a matplotlib figure (PNG and SVG); see :func:`save_fig`. Returns the paths."""
        return save_fig(fig, self.speech_id, name, caption=caption, formats=formats, out_dir=self.out_dir, dpi=dpi)

    def table(self, df: pd.DataFrame, name: str) -> Path:
        """Save a table as Excel-friendly CSV; see :func:`save_table`. Returns the path."""
        return save_table(df, self.speech_id, name, out_dir=self.out_dir)

    def cloud(self, cloud: Cloud, name: str, *, caption: str | None = None, formats: tuple[str, ...] = ("png", "svg"),
              scale: float = 1.0) -> list[Path]:
        """Save a word cloud (PNG and SVG); see ``analysis_utils.save_wordcloud``. Returns the paths."""
        from .plots.clouds import save_wordcloud  # the plots import this module: import when used

        return save_wordcloud(cloud, self.speech_id, name, caption=caption, formats=formats, out_dir=self.out_dir,
                              scale=scale)

    def names(self, pattern: str = "*") -> list[str]:
        """The names of the files saved so far that match ``pattern`` (a glob), sorted."""
        return sorted(p.name for p in self.dir.glob(pattern))
