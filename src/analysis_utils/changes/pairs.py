"""Which texts to compare: a pair given, or each consecutive pair of a folder or table of dated reports.

* :func:`consecutive_pairs`: ``OLD NEW`` (two speeches, files or table rows) is one pair; one
  folder or CSV/JSONL table is read as a series ordered by date (the date the text or the table
  states; undated texts last, by id) and gives each consecutive pair;
* :func:`default_pair`: what notebook 06 compares when it is given nothing: the 2021 and 2022
  Government Work Reports of the development corpus, when it is there;
* :func:`diff_id`: the output folder of a pair, ``<old id>_vs_<new id>``.

Example:
    >>> from analysis_utils.config import SEED_SPEECH
    >>> consecutive_pairs([SEED_SPEECH, SEED_SPEECH]) == [(str(SEED_SPEECH), str(SEED_SPEECH))]
    True
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .. import config
from ..errors import SpeechError
from ..reading.load import table_row
from ..speech import Speech

#: Where notebook 06 looks for its default pair, and which rows it takes (2021, then 2022).
DEFAULT_TABLE = config.DEV_REPORTS
DEFAULT_ROWS = ("government_work_reports-00002", "government_work_reports-00001")
#: What notebook 06 prints when it has nothing to compare.
NO_PAIR_NOTE = ("没有可比较的两篇 · nothing to compare: set old_path and new_path in the parameters cell "
                "(files, or table rows as TABLE.jsonl#<id>), or run: python -m analysis_utils run OLD NEW --diff")


def default_pair(table: Path = DEFAULT_TABLE) -> tuple[str, str] | None:
    """The 2021 and 2022 Government Work Reports as table-row addresses, or ``None`` when the
    development corpus is not beside the project.

    Example:
        >>> default_pair(Path("/no/such/table.jsonl")) is None
        True
    """
    if not table.is_file():
        return None
    return f"{table}#{DEFAULT_ROWS[0]}", f"{table}#{DEFAULT_ROWS[1]}"


def diff_id(old: Speech, new: Speech) -> str:
    """The output folder of the pair: ``<old id>_vs_<new id>`` (the same id twice: ``<id>_vs_itself``);
    two dated rows of one table by their dates (``government_work_reports_2021-03-05_vs_2022-03-05``).

    Example:
        >>> from analysis_utils import speech_from_text
        >>> diff_id(speech_from_text("甲。", path="2021.txt"), speech_from_text("乙。", path="2022.txt"))
        '2021_vs_2022'
    """
    rows = [table_row(s.path) if s.path else None for s in (old, new)]
    if rows[0] and rows[1] and rows[0][0] == rows[1][0] and old.meta.date and new.meta.date and old.meta.date != new.meta.date:
        return f"{rows[0][0].stem}_{old.meta.date}_vs_{new.meta.date}"
    return f"{old.id}_vs_{'itself' if new.id == old.id else new.id}"


def _series(source: Path) -> list[str]:
    """The speeches of a folder or table as addresses (files, ``table#id`` rows), oldest first."""
    from ..scale.sources import Corpus, load_item

    corpus = Corpus(source)
    dated = []
    for item in corpus:
        address = str(item.path) if item.row is None else f"{item.path}#{item.id}"
        date = item.date or load_item(item).meta.date
        dated.append((date is None, date or "", item.id, address))
    return [address for *_, address in sorted(dated)]


def consecutive_pairs(paths: Sequence[str | Path]) -> list[tuple[str, str]]:
    """The pairs to compare (see the module): two speeches → one pair; one folder or table → its
    speeches by date, each with the next.

    Raises:
        SpeechError: one path that is a single speech, a folder with fewer than two speeches,
            more than two paths (one line, naming what was given).
    """
    from ..reading.load import table_row
    from ..scale.sources import TABLE_SUFFIXES

    if len(paths) == 2:
        return [(str(paths[0]), str(paths[1]))]
    if len(paths) != 1:
        raise SpeechError(None, f"--diff compares OLD NEW, or the reports of one folder or table in date order; "
                                f"{len(paths)} paths given")
    source = Path(paths[0])
    if table_row(source) is not None or not (source.is_dir() or source.suffix.lower() in TABLE_SUFFIXES):
        raise SpeechError(source, "is one speech: --diff needs OLD NEW, or a folder or table of dated reports")
    series = _series(source)
    if len(series) < 2:
        raise SpeechError(source, "holds fewer than two speeches: nothing to compare")
    return list(zip(series, series[1:]))
