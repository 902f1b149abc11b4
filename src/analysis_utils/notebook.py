"""What every notebook does in its first cells, in one place: the setup and opening the input.

Notebooks 01–04 open one speech (:func:`open_speech`); notebook 05 opens what it compares, a
folder's speeches or one speech's parts (:func:`open_comparison`, with :func:`parts_note` on
how the parts were cut). Both read the same
``speech_path`` parameter the same way and stop with the same one-line message on bad input.
Every table a notebook shows goes through :func:`show_table`: at most 15 rows, a line saying how
many there are and where the full CSV is, and cells as a person reads them (no character
offsets, no ``12.0``, rates rounded, long position lists summarised, bilingual headers).

Example:
    >>> speech = open_speech()          # the seed speech
    >>> speech.id
    'party_building_conference_speech'
"""
from __future__ import annotations

import hashlib
import html
import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import matplotlib
import numpy as np
import pandas as pd

from . import config
from .errors import SpeechError
from .plots.style import use_chinese_font
from .reading import load_speech
from .speech import Speech
from .text import position_summary

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


#: The most rows a notebook shows of a table; the rest are in its CSV.
ROWS = 15
#: Character offsets into the body: kept in the CSV for programs, never shown to a reader.
OFFSET_COLUMNS = ("start", "end", "body_pos")
#: Shares (0–1) are shown as percentages with one decimal.
SHARE_COLUMNS = ("share",)
#: Bilingual headers (中文 · column) of the columns the notebooks show; the CSV keeps the column names.
HEADERS = {
    "term": "词语 · term", "pos": "词性 · pos", "rank": "名次 · rank", "share": "占比 · share",
    "token_count": "分词计数 · token_count", "substring_count": "子串计数 · substring_count",
    "formulation_count": "提法计数 · formulation_count", "per_10k": "每万字 · per_10k",
    "slogan": "提法 · slogan", "kind": "类型 · kind", "detail": "规则或类别 · detail",
    "sections": "所在部分 · sections", "positions": "位置 · positions", "section": "部分 · section",
    "section_label": "部分 · section", "label": "名称 · label", "paragraph": "段落 · paragraph",
    "sentence": "句 · sentence", "context": "上下文 · context", "text": "原文 · text",
    "han_chars": "汉字 · han_chars", "chars": "汉字 · chars", "paragraphs": "段落 · paragraphs",
    "sentences": "句子 · sentences", "placeholders": "占位符 · placeholders", "placeholder": "占位符 · placeholder",
    "node": "节点 · node", "heading": "标题 · heading", "level": "层级 · level", "id": "编号 · id",
    "check": "检查 · check", "message": "说明 · message", "expected": "宣布 · expected", "found": "实有 · found",
    "reason": "原因 · reason", "category": "类别 · category", "phrase": "提法 · phrase", "note": "注 · note",
    "date": "日期 · date", "title": "标题 · title", "units": "出现的篇数或部分数 · units", "marker": "序号 · marker",
    "subsections": "二级标题 · subsections", "origin": "来源 · origin",
    "token_count_target": "分词计数（目标）· token_count_target",
    "token_count_reference": "分词计数（参照）· token_count_reference",
    "per_10k_target": "每万字（目标）· per_10k_target", "per_10k_reference": "每万字（参照）· per_10k_reference",
    "g2": "G² · g2", "log_ratio": "对数比 · log_ratio", "direction": "方向 · direction",
    "collocation": "搭配 · collocation", "words": "组成 · words", "size": "词数 · size",
    "pair_count": "共现次数 · pair_count", "pmi": "PMI · pmi", "frame": "句式 · frame", "varying": "变化项 · varying",
    "n_items": "项数 · n_items", "scope": "范围 · scope", "left": "左 · left", "hit": "词 · hit", "right": "右 · right",
}
#: The columns of a keyness table a reader needs (its CSV also has ``reference``, the same in every row).
KEYNESS_COLUMNS = ("term", "token_count_target", "token_count_reference", "per_10k_target", "per_10k_reference",
                   "g2", "log_ratio", "p", "direction")


def show_table(df: pd.DataFrame, *, csv: str | Path | None = None, rows: int = ROWS,
               columns: Sequence[str] | Mapping[str, str] | None = None, width: int | None = 60,
               right: Sequence[str] = ()) -> None:
    """Show a table the way a person reads it: at most ``rows`` rows, then one line saying how many
    there are in all and where the full CSV is (``csv``, the path :meth:`Outputs.table` returned).
    Every notebook shows its tables with it; see :func:`table_view` for what is shown."""
    from IPython.display import display

    display(table_view(df, csv=csv, rows=rows, columns=columns, width=width, right=right))


def table_view(df: pd.DataFrame, *, csv: str | Path | None = None, rows: int = ROWS,
               columns: Sequence[str] | Mapping[str, str] | None = None, width: int | None = 60,
               right: Sequence[str] = ()) -> TableView:
    """What :func:`show_table` shows: the first ``rows`` rows of ``df`` as text a person reads.

    The columns are ``columns`` (a list, or a mapping column → header), by default every column but
    the character offsets (:data:`OFFSET_COLUMNS`), under bilingual headers (:data:`HEADERS`). Whole
    numbers stored as floats are shown as integers (``12``, not ``12.0``; blank when missing), shares
    as percentages, p-values as ``<0.001`` or three decimals, other decimals rounded to two; a list
    of positions is summarised (``12 处: 269, 479, 2986 …``), other lists joined; text longer than
    ``width`` characters is cut at a word with ``…``; a column empty in every row shown is left out.
    Numbers, and the ``right`` columns (a left context), are right-aligned. The table itself (and its
    CSV) is unchanged.

    Example:
        >>> t = pd.DataFrame({"term": ["新时代", "改革"], "start": [104, 7], "expected": [float("nan"), 3.0],
        ...                   "found": [2.0, 3.0], "share": [0.025837, 0.1], "positions": [[104, 159, 269, 479], [7]]})
        >>> view = table_view(t, rows=1, csv=config.FIGURES_DIR / "seed" / "01_outline.csv")
        >>> view.cells.columns.tolist()
        ['词语 · term', '实有 · found', '占比 · share', '位置 · positions']
        >>> view.cells.values.tolist()
        [['新时代', '2', '2.6%', '4 处: 104, 159, 269 …']]
        >>> view.note
        '显示前 1 行，共 2 行 · 1 of 2 rows shown；完整表格 · full table: figures/seed/01_outline.csv'
        >>> table_view(t).cells["宣布 · expected"].tolist()
        ['', '3']
    """
    frame = df if isinstance(df.index, pd.RangeIndex) else df.reset_index()
    if columns is None:
        columns = [c for c in frame.columns if c not in OFFSET_COLUMNS]
    headers = dict(columns) if isinstance(columns, Mapping) else {c: HEADERS.get(str(c), str(c)) for c in columns}
    shown = frame[list(headers)].head(rows)
    cells = pd.DataFrame({headers[c]: _cells(shown[c], str(c), width) for c in headers}, dtype=object)
    if len(cells):
        cells = cells[[h for h in cells.columns if cells[h].ne("").any()]]
    return TableView(cells, _count_line(len(frame), len(shown), csv), [headers[c] for c in right])


class TableView:
    """A table ready to read: its cells as text and the line under it (HTML in Jupyter, text elsewhere)."""

    def __init__(self, cells: pd.DataFrame, note: str, right: Sequence[str] = ()) -> None:
        self.cells = cells
        self.note = note
        self.right = [c for c in right if c in cells.columns]

    def __repr__(self) -> str:
        return "\n".join(filter(None, [self.cells.to_string(index=False) if len(self.cells) else "", self.note]))

    def _repr_html_(self) -> str:
        note = f'<p style="font-size: smaller">{html.escape(self.note)}</p>' if self.note else ""
        if not len(self.cells):  # nothing to show: the line says so
            return note
        right = [c for c in self.cells.columns if self.cells[c].str.fullmatch(r"[-\d.,% <]*").all() or c in self.right]
        uuid = hashlib.sha1(self.cells.to_csv().encode()).hexdigest()[:10]  # the same table, the same HTML
        style = self.cells.style.hide(axis="index").set_uuid(uuid).format(escape="html")
        for columns, align in (([c for c in self.cells.columns if c not in right], "left"), (right, "right")):
            if columns:
                style = style.set_properties(subset=columns, **{"text-align": align})
        return style.to_html() + note


def _cells(values: pd.Series, name: str, width: int | None) -> list[str]:
    """One column as the text a person reads (see :func:`table_view`)."""
    from .plots.style import shorten

    if values.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).any():
        if name == "positions":
            return [position_summary(list(v)) for v in values]
        return [(", " if all(isinstance(x, (int, np.integer)) for x in v) else " / ").join(map(str, v))
                for v in values]
    if pd.api.types.is_bool_dtype(values):
        return ["✓" if v else "" for v in values]
    if pd.api.types.is_float_dtype(values):
        return _numbers(values, name)
    text = ["" if _missing(v) else str(v) for v in values]
    return [shorten(t, width) for t in text] if width else text


def _numbers(values: pd.Series, name: str) -> list[str]:
    """A float column: whole numbers as integers, shares as %, p-values as ``<0.001``, else 2 decimals."""
    present = values.dropna()
    if name in SHARE_COLUMNS:
        return ["" if pd.isna(v) else f"{v:.1%}" for v in values]
    if name == "p":
        return ["" if pd.isna(v) else "<0.001" if v < 0.001 else f"{v:.3f}" for v in values]
    if (present == present.round()).all():
        return ["" if pd.isna(v) else str(int(v)) for v in values]
    return ["" if pd.isna(v) else f"{v:.2f}" for v in values]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _count_line(total: int, shown: int, csv: str | Path | None) -> str:
    """The line under a table: how many rows in all, and where the full CSV is."""
    if total == 0:
        count = "没有 · none"
    elif shown < total:
        count = f"显示前 {shown} 行，共 {total} 行 · {shown} of {total} rows shown"
    elif csv is not None:
        count = f"共 {total} 行 · {total} row{'s' if total != 1 else ''}"
    else:
        return ""
    return count + (f"；完整表格 · full table: {csv_path(csv)}" if csv is not None else "")


def csv_path(path: str | Path) -> str:
    """Where a saved CSV is, as a person opens it: relative to the project when it is inside it
    (``figures/<id>/02_term_frequency.csv``), else relative to the current folder, else in full.

    Example:
        >>> csv_path(config.FIGURES_DIR / "seed" / "02_kwic.csv")
        'figures/seed/02_kwic.csv'
    """
    path = Path(path).absolute()
    for base in (config.PROJECT_ROOT, Path.cwd()):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return str(path)


def spread_summary(df: pd.DataFrame, keep: Sequence[str], *, value: str, most: int = 4, top: int = 2) -> pd.DataFrame:
    """A table with a column per unit (speech or part) made readable: with at most ``most`` units each
    unit's column is headed ``<unit>（<value>）``; with more, the unit columns give way to one column
    naming the ``top`` units of highest value in each row, with their values. ``value`` says what the
    numbers are (``每万字 per_10k``).

    Example:
        >>> wide = pd.DataFrame({"slogan": ["中国梦"], "a": [0.0], "b": [5.4], "c": [2.5], "d": [0.0], "e": [18.29]})
        >>> spread_summary(wide, ["slogan"], value="每万字 per_10k").to_dict("records")
        [{'slogan': '中国梦', '最高 · highest（每万字 per_10k）': 'e 18.29；b 5.40 …'}]
        >>> spread_summary(wide[["slogan", "a", "b"]], ["slogan"], value="每万字 per_10k").columns.tolist()
        ['slogan', 'a（每万字 per_10k）', 'b（每万字 per_10k）']
    """
    units = [c for c in df.columns if c not in keep]
    if len(units) <= most:
        return df.rename(columns={u: f"{u}（{value}）" for u in units})

    def highest(row: pd.Series) -> str:
        used = row[row > 0].sort_values(ascending=False, kind="mergesort")
        return "；".join(f"{u} {v:.2f}" for u, v in used.head(top).items()) + (" …" if len(used) > top else "")

    return df[list(keep)].assign(**{f"最高 · highest（{value}）": [highest(row) for _, row in df[units].iterrows()]})
