"""Saving what the notebooks make: figures, tables and word clouds, one saving path.

Everything goes to ``figures/<speech-id>/<name>.<ext>``, written atomically (a temporary
file renamed into place, so an interruption never leaves half a PNG or CSV) and
deterministically (no software or date stamps in PNG/SVG metadata). A notebook binds the
speech id and the output folder once (:class:`Outputs`) instead of repeating them in every call.

Nothing is written outside the output folder: an id is made a plain folder name (:func:`safe_id`)
and every path is checked (:func:`inside`). A CSV cell that a spreadsheet would run as a formula
gets a leading apostrophe (:func:`csv_safe`).

Example:
    >>> import tempfile
    >>> import pandas as pd
    >>> out = Outputs("party_building_conference_speech", tempfile.mkdtemp())
    >>> out.table(pd.DataFrame({"term": ["组织"], "token_count": [3]}), "02_term_frequency").name
    '02_term_frequency.csv'
"""
from __future__ import annotations

import errno
import itertools
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import config
from .errors import SpeechError

if TYPE_CHECKING:
    from .plots.clouds import Cloud

PNG_DPI = 200
CAPTIONS_FILE = "captions.json"
#: Beside the captions: each matplotlib figure's saved size, smallest text and title band (:func:`figure_info`).
FIGURES_FILE = "figures.json"
#: ``write(tmp_path)``: writes one output file to the temporary path it is given.
Writer = Callable[[Path], Any]
#: White space, path separators, characters Windows refuses and control characters: one ``_`` per run.
_UNSAFE = re.compile(r"[\s/\\:*?\"<>|\x00-\x1f\x7f]+")
#: What a spreadsheet takes for the start of a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A lock older than this whose owner process is gone is broken at once.
STALE_LOCK_SECONDS = 2.0


def safe_id(name: str) -> str:
    """The output folder's name for an id: the name, with nothing that could leave the folder.

    White space, path separators, ``: * ? " < > |`` and control characters become ``_``;
    leading dots go (no hidden folder, no ``..``); an empty result is ``speech``. An id that
    is already a plain name is returned unchanged.

    Example:
        >>> safe_id("party_building_conference_speech"), safe_id("2022 报告"), safe_id("讲话稿")
        ('party_building_conference_speech', '2022_报告', '讲话稿')
        >>> safe_id(".."), safe_id("."), safe_id("../x"), safe_id("a/b\\\\c"), safe_id("title\\x1b[31m")
        ('speech', 'speech', '_x', 'a_b_c', 'title_[31m')
    """
    sid = _UNSAFE.sub("_", name.strip()).lstrip(".")
    return sid or "speech"


def inside(path: Path, folder: Path) -> Path:
    """``path``, after checking that it stays inside ``folder`` (symbolic links followed).

    Raises:
        SpeechError: ``path`` would be written outside ``folder``.

    Example:
        >>> inside(Path("/tmp/out/seed/a.png"), Path("/tmp/out")).name
        'a.png'
        >>> inside(Path("/tmp/out/../a.png"), Path("/tmp/out"))
        Traceback (most recent call last):
        ...
        analysis_utils.errors.SpeechError: /tmp/out/../a.png: would be written outside the output folder /tmp/out
    """
    if not Path(path).resolve().is_relative_to(Path(folder).resolve()):
        raise SpeechError(path, f"would be written outside the output folder {folder}")
    return path


def output_dir(speech_id: str, out_dir: str | Path | None = None) -> Path:
    """``<out_dir>/<safe id>/`` (``figures/`` by default), checked to be inside ``out_dir``; not created.

    Example:
        >>> output_dir("../../etc", "/tmp/figures").as_posix()
        '/tmp/figures/_.._etc'
    """
    root = Path(out_dir or config.FIGURES_DIR)
    return inside(root / safe_id(speech_id), root)


def figure_dir(speech_id: str, out_dir: str | Path | None = None) -> Path:
    """``figures/<speech-id>/`` (or ``out_dir/<speech-id>/``), created if missing.

    Args:
        speech_id: the folder name (``speech.id``, or a comparison's id); made safe by :func:`safe_id`.
        out_dir: the output root; ``None`` means ``figures/`` in the project.

    Returns:
        The folder's path. Raises :class:`SpeechError` naming the folder when it cannot be made.

    Example:
        >>> import tempfile
        >>> figure_dir("seed", tempfile.mkdtemp()).name
        'seed'
    """
    d = output_dir(speech_id, out_dir)
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise SpeechError(d, cannot_write(e)) from None
    return d


def cannot_write(e: OSError) -> str:
    """The problem of a failed write, in a few words (for :class:`SpeechError`).

    Example:
        >>> cannot_write(PermissionError(13, "Permission denied"))
        'cannot be written: permission denied (a read-only folder?)'
    """
    if isinstance(e, (FileExistsError, NotADirectoryError)):
        where = f" ({e.filename} is a file)" if e.filename else ""
        return f"cannot be written: a file is in the way of a folder{where}"
    if isinstance(e, IsADirectoryError):
        return "is a folder: give a file name"
    if isinstance(e, PermissionError):
        return "cannot be written: permission denied (a read-only folder?)"
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return "cannot be written: no space left on the device"
    return f"cannot be written: {(e.strerror or str(e)).lower()}"


def atomic_write(path: Path, write: Writer) -> Path:
    """Call ``write(tmp_path)`` then rename the temporary file to ``path``.

    The one atomic writer of the package: a reader never sees half a file, and a failing
    ``write`` leaves no temporary file behind. The file gets the mode the user's umask gives a
    new file (``0644`` under the usual ``022``), so colleagues on a shared server can read it. A folder that cannot be written, ``path``
    being a folder, or a full disk raise :class:`SpeechError` naming ``path``. Inside a
    ``run``, every file written is noted (see :data:`config.WRITTEN_LOG_ENV`).

    Returns:
        ``path``.

    Example:
        >>> import tempfile
        >>> p = atomic_write(Path(tempfile.mkdtemp()) / "a.txt", lambda tmp: tmp.write_text("讲话", encoding="utf-8"))
        >>> p.read_text(encoding="utf-8")
        '讲话'
        >>> atomic_write(p.parent, lambda tmp: None)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        analysis_utils.errors.SpeechError: /...: is a folder: give a file name
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        tmp = _new_temp(path)
    except OSError as e:
        raise SpeechError(path, cannot_write(e)) from None
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EISDIR, errno.EACCES, errno.EROFS):
            raise SpeechError(path, cannot_write(e)) from None
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    note_written(path)
    return path


_TEMPS = itertools.count()


def _new_temp(path: Path) -> Path:
    """A new empty file beside ``path`` for :func:`atomic_write`, its folders made when missing.

    Made with ``O_EXCL`` (never a file another writer made) and mode ``0666``, from which the kernel
    takes the user's umask, as for any new file. The name (pid and a counter) is unique within the
    process; a leftover of a killed process with the same pid is stepped over.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(1000):
        tmp = path.parent / f".{path.name}.{os.getpid()}-{next(_TEMPS)}{path.suffix}"
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def note_written(path: Path) -> None:
    """Inside a ``run``: note ``path`` in the run's record of what it wrote (else nothing).

    Example:
        >>> note_written(Path("a.png"))  # outside a run: nothing happens
    """
    log = os.environ.get(config.WRITTEN_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(str(Path(path).resolve()), ensure_ascii=False) + "\n")


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

    info = figure_info(fig)
    paths = save_outputs(speech_id, name, {fmt: writer(fmt) for fmt in formats}, caption=caption, out_dir=out_dir)
    if paths:
        _record(paths[0].parent / FIGURES_FILE, name, info)
    return paths


def show_png(path: Path, dpi: int = PNG_DPI) -> None:
    """Show the PNG file ``path`` (saved at ``dpi``) in IPython, as wide as the screen draws a figure
    (``figure.dpi``); outside IPython, nothing.

    Example:
        >>> show_png(Path("no.png"))  # not in IPython: nothing is read or shown
    """
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:
        return
    if get_ipython() is None:
        return
    from matplotlib import rcParams

    data = Path(path).read_bytes()
    width = int.from_bytes(data[16:20], "big")  # the PNG header: IHDR's width
    display(Image(data=data, format="png", width=round(width * rcParams["figure.dpi"] / dpi)))


def figure_info(fig) -> dict[str, Any]:
    """What a slide needs to know of a figure as ``save_fig`` writes it (``bbox_inches="tight"``):

    - ``width_in``, ``height_in``: the saved picture's size in inches (its pixels / dpi);
    - ``min_text_pt``: the smallest text drawn (tick labels, annotations, legends, notes), in points
      at that size: on a slide that places the picture ``w`` inches wide it is
      ``min_text_pt × w / width_in`` points; ``min_text``: that text (its first 40 characters);
    - ``title_in``: ``[left, top, right, bottom]``, the inches of the saved picture that hold only the
      figure's own title (its suptitle and the axes titles set at
      :data:`~analysis_utils.plots.style.TITLE_SIZE`, subtitle lines included): a slide whose title
      already says it crops these away; all 0 when no such band exists (no title, or other text
      beside it).

    Only text that is drawn counts (visible, non-empty, on a visible axes), whatever ``findobj`` holds.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots(figsize=(8, 4.5))
        >>> _ = ax.barh(["a", "b"], [3, 5]); _ = ax.set_title("Top terms", fontsize=20); ax.tick_params(labelsize=15)
        >>> info = figure_info(fig); plt.close(fig)
        >>> info["min_text_pt"], info["title_in"][1] > 0.2, 6 < info["width_in"] < 8  # white space trimmed
        (15.0, True, True)
    """
    from matplotlib import rcParams

    from .plots.style import TITLE_SIZE  # the plots import this module: import when used

    renderer = fig.canvas.get_renderer()
    sizes: list[tuple[float, str]] = []

    def draw_text(gc, x, y, s, prop, *args, **kwargs):  # every line of text the figure draws passes here
        if str(s).strip():
            sizes.append((prop.get_size_in_points(), str(s).strip()))

    # laid out and measured as a draw does, nothing rasterised (as Figure.draw_without_rendering): the
    # files are drawn by savefig; texts are only noted
    with renderer._draw_disabled():
        renderer.draw_text = draw_text
        fig.draw(renderer)
    smallest = min(sizes, key=lambda x: x[0], default=None)
    pad = rcParams["savefig.pad_inches"]
    full = fig.get_tightbbox(renderer)
    titles = [t for t in [getattr(fig, "_suptitle", None)] + [t for ax in fig.axes
              for t in (ax.title, ax._left_title, ax._right_title) if t.get_fontsize() >= TITLE_SIZE]
              if t is not None and t.get_visible() and t.get_text().strip()]
    title_bottom = min((t.get_window_extent(renderer).y0 / fig.dpi for t in titles), default=0.0)
    for t in titles:
        t.set_visible(False)
    try:
        body = fig.get_tightbbox(renderer) if titles else full
    finally:
        for t in titles:
            t.set_visible(True)
    # cut in the middle of the white between the title and the rest; keep a line's width beside the rest
    edge = 0.03
    band = [body.x0 - full.x0 - edge, full.y1 - (title_bottom + body.y1) / 2, full.x1 - body.x1 - edge,
            body.y0 - full.y0 - edge]
    if body.y1 > title_bottom + 0.01:  # something else stands beside the title: no clean band to cut
        band = [0.0] * 4
    band = [b + pad if b > 0.005 else 0.0 for b in band]  # the saved picture has pad_inches round the box
    return {"width_in": round(float(full.width + 2 * pad), 3), "height_in": round(float(full.height + 2 * pad), 3),
            "min_text_pt": round(float(smallest[0]), 2) if smallest else None, "min_text": smallest[1][:40] if smallest else None,
            "title_in": [round(max(float(b), 0.0), 3) for b in band]}


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
    paths = {ext: inside(d / f"{name}.{ext}", d) for ext in writers}
    if caption:
        record_caption(d, name, caption)
    return [atomic_write(paths[ext], write) for ext, write in writers.items()]


def record_caption(directory: Path, name: str, caption: str) -> None:
    """Add or replace ``name``'s caption in ``directory/captions.json`` (kept sorted by name).

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> record_caption(d, "02_top_terms", "高频词")
        >>> read_captions(d)
        {'02_top_terms': '高频词'}
    """
    _record(Path(directory) / CAPTIONS_FILE, name, caption)


def _record(path: Path, name: str, value: Any) -> None:
    """Add or replace ``name``'s entry in the JSON file ``path`` (kept sorted by name), under a lock."""
    with _locked(path):  # notebooks of one speech may run side by side
        entries = _read_json(path)
        entries[name] = value
        text = json.dumps(dict(sorted(entries.items())), ensure_ascii=False, indent=1)
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


@contextmanager
def _locked(path: Path, *, timeout: float = 30.0) -> Iterator[None]:
    """A lock file beside ``path`` (portable: exclusive create) holding the owner's process id.

    A lock left by a process that is gone (older than :data:`STALE_LOCK_SECONDS`) is broken at
    once; any other lock is broken after ``timeout`` seconds.
    """
    lock = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            if time.monotonic() > deadline or _abandoned(lock):
                lock.unlink(missing_ok=True)  # left by a process that died
                deadline = time.monotonic() + timeout
            time.sleep(0.01)
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        break
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _abandoned(lock: Path) -> bool:
    """A lock older than a few seconds whose owner (the process id in it) no longer runs."""
    try:
        if time.time() - lock.stat().st_mtime < STALE_LOCK_SECONDS:
            return False
        text = lock.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return False  # just released
    if not text.isdigit():
        return True  # no owner written: its writer died between create and write
    return os.name == "posix" and not _running(int(text))


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists (POSIX: signal 0 only checks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def read_captions(directory: str | Path) -> dict[str, str]:
    """The captions recorded for the figures in ``directory`` (figure name → caption); ``{}`` if none.

    Example:
        >>> import tempfile
        >>> read_captions(tempfile.mkdtemp())
        {}
    """
    return _read_json(Path(directory) / CAPTIONS_FILE)


def read_figure_info(directory: str | Path) -> dict[str, dict[str, Any]]:
    """What :func:`save_fig` recorded of each figure in ``directory`` (:func:`figure_info`); ``{}`` if none.

    Example:
        >>> import tempfile
        >>> read_figure_info(tempfile.mkdtemp())
        {}
    """
    return _read_json(Path(directory) / FIGURES_FILE)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def prune_captions(directory: str | Path) -> None:
    """Drop from ``captions.json`` (and ``figures.json``) the entries of figures no longer in ``directory``.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> record_caption(d, "02_gone", "旧图")
        >>> prune_captions(d)
        >>> read_captions(d)
        {}
    """
    for path in (Path(directory) / CAPTIONS_FILE, Path(directory) / FIGURES_FILE):
        if path.is_file():
            _prune_entries(path)


def _prune_entries(path: Path) -> None:
    """Drop from the JSON file ``path`` the entries whose figure is no longer beside it."""
    with _locked(path):
        entries = _read_json(path)
        keep = {k: v for k, v in entries.items() if any(path.parent.glob(f"{glob_escape(k)}.*"))}
        if keep != entries:
            text = json.dumps(keep, ensure_ascii=False, indent=1)
            atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def glob_escape(name: str) -> str:
    """``name`` with the glob special characters taken literally.

    Example:
        >>> glob_escape("01_[a]*")
        '01_[[]a[]][*]'
    """
    return re.sub(r"([*?\[\]])", r"[\1]", name)


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
    safe = csv_safe(df)
    return atomic_write(inside(d / f"{name}.csv", d), lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig"))


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` safe to open in a spreadsheet: text a spreadsheet would run as a formula
    (a cell or column name starting with ``= + - @``, a tab or a carriage return) gets a leading
    apostrophe. Only text changes; numbers such as ``-1.5`` stay numbers.

    Every CSV the package writes goes through this (``save_table``, the command line's ``--format csv``).

    Example:
        >>> csv_safe(pd.DataFrame({"term": ["=cmd|' /C calc'!A0", "@SUM(1)", "稳就业"], "rate": [-1.5, 2.0, 3.0]}))
                          term  rate
        0  '=cmd|' /C calc'!A0  -1.5
        1             '@SUM(1)   2.0
        2                  稳就业   3.0
    """
    def fix(value):
        return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value

    out = df.rename(columns=fix)
    text = [i for i, dt in enumerate(out.dtypes)  # the text columns only (a table with a column per speech has thousands)
            if pd.api.types.is_object_dtype(dt) or pd.api.types.is_string_dtype(dt)]
    for i in text:
        out.isetitem(i, out.iloc[:, i].map(fix))
    return out


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

    ``out = Outputs(speech.id, out_dir)``, then ``out.fig(fig, name, caption=…)`` (or ``out.show``:
    saved, shown in the notebook as the saved PNG, closed),
    ``out.table(df, name)`` and ``out.cloud(cloud, name, caption=…)`` write exactly what
    :func:`save_fig`, :func:`save_table` and ``save_wordcloud`` write. When ``run`` executes the
    notebook, the folder is the one the run chose for this input (:attr:`id`), so two inputs with
    one name (``report.txt``, ``report.md``) never share a folder.

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
        >>> out.table(pd.DataFrame({"term": ["组织"], "token_count": [3]}), "02_term_frequency").name
        '02_term_frequency.csv'
        >>> out.names("02_*")
        ['02_term_frequency.csv', '02_top_terms.png', '02_top_terms.svg']
        >>> read_captions(out.dir)
        {'02_top_terms': '高频词 Top terms'}
    """

    speech_id: str
    out_dir: str | Path | None = None

    @property
    def id(self) -> str:
        """The output folder's id: ``speech_id``, or the one ``run`` chose (unique within the run)."""
        return os.environ.get(config.OUTPUT_ID_ENV) or self.speech_id

    @property
    def dir(self) -> Path:
        """``<out_dir>/<id>/``, created if missing."""
        return figure_dir(self.id, self.out_dir)

    def fig(self, fig, name: str, *, caption: str | None = None, formats: Iterable[str] = ("png", "svg"),
            dpi: int = PNG_DPI) -> list[Path]:
        """Save a matplotlib figure (PNG and SVG); see :func:`save_fig`. Returns the paths."""
        return save_fig(fig, self.id, name, caption=caption, formats=formats, out_dir=self.out_dir, dpi=dpi)

    def show(self, fig, name: str, *, caption: str | None = None, formats: Iterable[str] = ("png", "svg"),
             dpi: int = PNG_DPI) -> None:
        """Save a matplotlib figure as :meth:`fig` does, show the saved PNG in the notebook, close the figure.

        The notebook shows the very file saved (at the size the screen would draw the figure), so
        the figure is drawn once per file and never again for the screen, as ``plt.show()`` would;
        outside IPython nothing is shown. Returns nothing (the last line of a cell echoes no list).
        """
        paths = self.fig(fig, name, caption=caption, formats=formats, dpi=dpi)
        import matplotlib.pyplot as plt

        plt.close(fig)
        png = next((p for p in paths if p.suffix == ".png"), None)
        if png is not None:
            show_png(png, dpi)

    def table(self, df: pd.DataFrame, name: str) -> Path:
        """Save a table as Excel-friendly CSV; see :func:`save_table`. Returns the path."""
        return save_table(df, self.id, name, out_dir=self.out_dir)

    def cloud(self, cloud: Cloud, name: str, *, caption: str | None = None, formats: tuple[str, ...] = ("png", "svg"),
              scale: float = 1.0) -> list[Path]:
        """Save a word cloud (PNG and SVG); see ``analysis_utils.save_wordcloud``. Returns the paths."""
        from .plots.clouds import save_wordcloud  # the plots import this module: import when used

        return save_wordcloud(cloud, self.id, name, caption=caption, formats=formats, out_dir=self.out_dir,
                              scale=scale)

    def names(self, pattern: str = "*") -> list[str]:
        """The names of the files saved so far that match ``pattern`` (a glob), sorted."""
        return sorted(p.name for p in self.dir.glob(pattern))
