"""Where the speeches of a corpus come from, and the :class:`Corpus` value that holds them.

A *source* is a folder of speeches (``.txt``/``.md``/``.docx``, sub-folders included), a CSV
or JSONL file of texts (columns/keys ``text`` and optionally ``id``, ``date``, ``title``), one
speech file, or a list of any of these. :class:`Corpus` lists a source once, in order, and
loads its speeches only when asked; every multi-speech analysis takes one. A row of a table is
named ``table.jsonl#<id>`` (``load_speech`` opens that address as the corpus loads the row), and
:meth:`Corpus.near_duplicates` finds a speech published twice (:mod:`.duplicates`).

Example:
    >>> from analysis_utils.config import SEED_SPEECH
    >>> corpus = Corpus([SEED_SPEECH])
    >>> len(corpus), corpus.ids
    (1, ('party_building_conference_speech',))
    >>> corpus.load(0).meta.title
    '在党建工作会议上的讲话'
"""
from __future__ import annotations

import csv
import dataclasses
import functools
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .. import config
from ..errors import SpeechError
from ..reading import load_speech, speech_files, speech_from_text, speech_id
from ..speech import Speech
from .duplicates import THRESHOLD, Duplicate, near_duplicates

TABLE_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
Errors = Literal["raise", "skip"]


@dataclass(frozen=True)
class CorpusItem:
    """One speech of a corpus, not yet loaded: a file (``path``), a table row (``path``,
    ``row``, its ``text`` when streamed) or a part of a speech (``start``/``end``: its offsets
    in the whole speech's body)."""

    index: int
    id: str
    path: Path | None = None
    text: str | None = None
    date: str | None = None
    title: str | None = None
    row: int | None = None      # a table row: its number in the file (1-based)
    start: int | None = None    # a part of a speech: where it starts in the whole body
    end: int | None = None      # … and ends
    date_from: str = "date"     # the column the table's date came from ("congress": its opening day)

    @property
    def label(self) -> str:
        """What error messages name: the file, or ``table.csv#id``."""
        whole_file = self.text is None and self.row is None and self.start is None
        return str(self.path) if whole_file else f"{self.path}#{self.id}"


def load_item(item: CorpusItem) -> Speech:
    """The speech of an item: its ``text`` cleaned as a file would be, else its file loaded.

    A table row's ``title`` and ``date`` columns stand in for what its text does not say (a
    Wikisource report that starts at 各位代表 has no title block), with a note saying so; what
    the text says wins.
    """
    if item.text is None:
        return load_speech(Path(item.path or ""))
    speech = speech_from_text(item.text, path=item.label)
    fill = {k: v for k, v in (("title", item.title), ("date", item.date)) if v and v.strip() and not getattr(speech.meta, k)}
    if not fill:
        return speech
    notes = tuple(_fill_note(item, k, v) for k, v in fill.items())
    meta = dataclasses.replace(speech.meta, title=fill.get("title", speech.meta.title), date=fill.get("date", speech.meta.date))
    return dataclasses.replace(speech, meta=meta, notes=speech.notes + notes)


def _fill_note(item: CorpusItem, field: str, value: str) -> str:
    if field == "date" and item.date_from == "congress":
        return (f"date from the table's congress column (the text does not state it): {value}, the opening day of "
                "that National Congress (data/cpc_congresses.tsv)")
    return f"{field} from the table's {field} column (the text does not state it): {value}"


class Corpus:
    """An ordered, immutable collection of speeches with ids, dates and titles.

    Made from a folder (sub-folders included), a CSV/JSONL file, one speech file or a list of
    these (see :func:`corpus_items`), or from the parts of one speech (:meth:`of_parts`). The
    source is listed once, when the corpus is made (bad sources fail here, as
    :class:`~analysis_utils.SpeechError`); speeches are loaded only when asked
    (:meth:`load`, :meth:`speeches`), and a table's texts are read again from the file
    when needed, so a large corpus never sits in memory. Ids are unique (a name seen before
    gets ``_``). Every ``corpus_*`` function takes one.

    Args:
        source: a folder, a CSV/JSONL file, a speech file, a list of them, or a Corpus.

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> c = Corpus([SEED_SPEECH, SEED_SPEECH])
        >>> c.ids, c[1].path.name
        (('party_building_conference_speech', 'party_building_conference_speech_'), 'party_building_conference_speech.txt')
        >>> Corpus(c) == c, c.select([1]) == c
        (True, False)
    """

    def __init__(self, source: Corpus | str | Path | Iterable[str | Path]):
        if isinstance(source, Corpus):
            self._copy(source)
            return
        self._sources = _parts_of(source)
        self._parent: Speech | None = None
        items: list[CorpusItem] = []
        seen: set[str] = set()
        for item in _stream(self._sources):
            sid = item.id
            while sid in seen:  # two speeches with one name: keep both
                sid += "_"
            seen.add(sid)
            items.append(dataclasses.replace(item, index=len(items), id=sid, text=None))
        if not items:
            raise SpeechError(self._sources[0] if len(self._sources) == 1 else None,
                              "no speeches found (.txt, .md, .docx files, or CSV/JSONL rows with text)")
        self._items = tuple(items)

    def _copy(self, other: Corpus) -> None:
        self._sources, self._parent, self._items = other._sources, other._parent, other._items

    @classmethod
    def of_parts(cls, speech: Speech, spans: Iterable[tuple[str, int, int]]) -> Corpus:
        """The parts of one speech as a corpus: ``spans`` are ``(label, start, end)`` offsets
        into ``speech.body`` (e.g. :func:`~analysis_utils.top_level_sections`). Part *i* (from
        1) has the id ``<speech id>_part<i>``, the label as its title, and keeps its offsets.

        Example:
            >>> from analysis_utils import load_speech
            >>> from analysis_utils.config import SEED_SPEECH
            >>> c = Corpus.of_parts(load_speech(SEED_SPEECH), [("甲", 0, 40), ("乙", 40, 90)])
            >>> [(it.id, it.start, it.end) for it in c][1]
            ('party_building_conference_speech_part2', 40, 90)
            >>> c.load(1).body == load_speech(SEED_SPEECH).body[40:90].strip()
            True
        """
        items = tuple(CorpusItem(i, f"{speech.id}_part{i + 1}", path=speech.path, title=label, start=s, end=e)
                      for i, (label, s, e) in enumerate(spans))
        if not items:
            raise ValueError("a corpus of parts needs at least one (label, start, end) span")
        for it in items:
            if not 0 <= int(it.start or 0) <= int(it.end or 0) <= len(speech.body):
                raise ValueError(f"part {it.index + 1}: {it.start}–{it.end} is not inside the body (0–{len(speech.body)})")
        corpus = cls.__new__(cls)
        corpus._sources, corpus._parent, corpus._items = (speech.path,), speech, items
        return corpus

    def select(self, indices: Sequence[int]) -> Corpus:
        """A corpus of some of these speeches, in the order given (ids and offsets kept).

        Example:
            >>> from analysis_utils.config import SEED_SPEECH
            >>> Corpus([SEED_SPEECH, SEED_SPEECH]).select([1]).ids
            ('party_building_conference_speech_',)
        """
        if not indices:
            raise ValueError("select needs at least one index")
        corpus = Corpus.__new__(Corpus)
        corpus._copy(self)
        corpus._items = tuple(dataclasses.replace(self._items[i], index=n) for n, i in enumerate(indices))
        return corpus

    # -- what it holds ---------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[CorpusItem]:
        return iter(self._items)

    def __getitem__(self, i: int) -> CorpusItem:
        return self._items[i]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Corpus) and self._items == other._items and self._parent is other._parent

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        what = f"parts of {self._parent.id}" if self._parent is not None else ", ".join(map(str, self._sources[:3]))
        return f"<Corpus of {len(self)} speeches: {what}{' …' if len(self._sources) > 3 else ''}>"

    @property
    def sources(self) -> tuple[Path, ...]:
        """The folders and files it was made from (for parts: the whole speech's file)."""
        return tuple(self._sources)

    @property
    def parent(self) -> Speech | None:
        """For a corpus of parts (:meth:`of_parts`), the whole speech; else ``None``."""
        return self._parent

    @property
    def ids(self) -> tuple[str, ...]:
        """The speeches' ids, in order (unique)."""
        return tuple(it.id for it in self._items)

    @property
    def dates(self) -> tuple[str | None, ...]:
        """The dates a table gives (``None`` for files: their date is in the text, see :meth:`load`)."""
        return tuple(it.date for it in self._items)

    @property
    def titles(self) -> tuple[str | None, ...]:
        """The titles a table gives, or the labels of parts (``None`` for files)."""
        return tuple(it.title for it in self._items)

    # -- reading -----------------------------------------------------------------------
    def stream(self) -> Iterator[CorpusItem]:
        """The items in order, each with its ``text`` when it is a table row or a part (tables
        are read again, one row at a time)."""
        texts = _row_texts(self._sources)
        wanted = {(it.path, it.row) for it in self._items if it.row is not None}
        ahead: dict[tuple, str] = {}
        for item in self._items:
            if item.start is not None and self._parent is not None:
                yield dataclasses.replace(item, text=self._parent.body[item.start:item.end])
                continue
            if item.row is None:
                yield item
                continue
            key = (item.path, item.row)
            while key not in ahead:
                k, text = next(texts, (None, ""))
                if k is None:
                    raise SpeechError(item.path, f"row {item.row} is gone: the file changed after the corpus was made")
                if k in wanted:
                    ahead[k] = text
            yield dataclasses.replace(item, text=ahead.pop(key))

    def load(self, which: CorpusItem | int) -> Speech:
        """One speech (an item or its position), loaded now, with the corpus's id. A part is
        cut from the whole speech as it is (same file name with ``_part<i>``, same encoding).
        Raises :class:`~analysis_utils.SpeechError` for a file or row that cannot be read."""
        item = self._items[which] if isinstance(which, int) else which
        if item.start is not None and self._parent is not None:
            whole = self._parent
            return speech_from_text(whole.body[item.start:item.end], path=whole.path.with_name(f"{item.id}.txt"),
                                    encoding=whole.encoding)
        if item.row is not None and item.text is None:
            item = next(it for it in self.stream() if it.index == item.index)
        speech = load_item(item)
        return speech if speech.id == item.id else dataclasses.replace(speech, id=item.id)

    def find(self, sid: str) -> CorpusItem | None:
        """The item with the id ``sid`` (``None`` when there is none).

        Example:
            >>> from analysis_utils.config import SEED_SPEECH
            >>> Corpus([SEED_SPEECH]).find("party_building_conference_speech").index
            0
        """
        return next((it for it in self._items if it.id == sid), None)

    def near_duplicates(self, threshold: float = THRESHOLD, *, cache: bool | str | Path = True,
                        progress: bool | None = False) -> list[Duplicate]:
        """The speeches that repeat an earlier one of this corpus (the same speech published twice,
        at least ``threshold`` identical: :mod:`~analysis_utils.scale.duplicates`), each once, in
        order. Bodies come from the token cache's cleaned bodies (``cache``, as the ``corpus_*``
        functions take it); unreadable speeches are left out; the parts of one speech are never
        duplicates. Worked out once per corpus and threshold.

        Example:
            >>> from analysis_utils.config import SEED_SPEECH
            >>> [(d.dropped, d.kept, d.similarity) for d in Corpus([SEED_SPEECH, SEED_SPEECH]).near_duplicates(cache=False)]
            [('party_building_conference_speech_', 'party_building_conference_speech', 1.0)]
        """
        return self._scan(threshold, cache, progress)[0]

    def _scan(self, threshold: float, cache: bool | str | Path, progress: bool | None) -> tuple[list[Duplicate], str | None]:
        """:meth:`near_duplicates`, and why the cache could not be written (said by the count that follows)."""
        memo: dict = self.__dict__.setdefault("_duplicates", {})
        if self._parent is not None or len(self) < 2:
            return [], None
        if threshold not in memo:
            from .pool import Run  # the pool reads corpora: imported here, not at the top

            ids, bodies = [], []
            run = Run(self, "body", cache=cache, quiet=True)
            for item, payload in run(workers=None, progress=progress, errors="skip", desc="重复 duplicates"):
                ids.append(item.id)
                bodies.append(payload[1].decode("utf-8", "surrogatepass"))
            position = {it.id: it.index for it in self._items}
            found = [dataclasses.replace(d, kept_index=position[d.kept], dropped_index=position[d.dropped])
                     for d in near_duplicates(ids, bodies, threshold)]
            memo[threshold] = (found, run.store.problem)
        found, problem = memo[threshold]
        return list(found), problem

    def without_duplicates(self, duplicates: Iterable[Duplicate] | None = None) -> Corpus:
        """This corpus less the later copies of :meth:`near_duplicates` (or of ``duplicates``);
        the corpus itself when there is none.

        Example:
            >>> from analysis_utils.config import SEED_SPEECH
            >>> Corpus([SEED_SPEECH, SEED_SPEECH]).without_duplicates().ids
            ('party_building_conference_speech',)
        """
        dropped = {d.dropped for d in (self.near_duplicates() if duplicates is None else duplicates)}
        if not dropped:
            return self
        return self.select([it.index for it in self._items if it.id not in dropped])

    def speeches(self, *, errors: Errors = "raise") -> Iterator[tuple[CorpusItem, Speech | SpeechError]]:
        """``(item, speech)`` for every speech, in order, each loaded when reached. With
        ``errors="skip"``, a speech that cannot be read comes as ``(item, SpeechError)``
        instead of stopping the loop."""
        if errors not in ("raise", "skip"):
            raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
        for item in self.stream():
            try:
                yield item, self.load(item)
            except SpeechError as e:
                if errors == "raise":
                    raise
                yield item, e


def as_corpus(source: Corpus | str | Path | Iterable[str | Path]) -> Corpus:
    """``source`` itself when it is a :class:`Corpus`, else the corpus made from it."""
    return source if isinstance(source, Corpus) else Corpus(source)


def corpus_items(source: Corpus | str | Path | Iterable[str | Path]) -> list[CorpusItem]:
    """The speeches of a source (not loaded), in order: id, path, and for table rows the text.

    Raises :class:`SpeechError` for a missing path, a CSV file without a ``text`` column, a
    JSONL line that is not an object with ``text``, or a source with no speech at all.

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> [it.id for it in corpus_items(SEED_SPEECH)]
        ['party_building_conference_speech']
    """
    return list(as_corpus(source).stream())


# ====================================================================== reading sources
def _parts_of(source: str | Path | Iterable[str | Path]) -> tuple[Path, ...]:
    """The folders and files of a source, checked (bad sources fail early)."""
    if isinstance(source, (str, Path)):
        parts = [Path(source)]
    else:
        try:
            parts = [Path(p) for p in source]
        except TypeError:
            raise TypeError(f"a corpus source is a folder, a CSV/JSONL file or a list of files, "
                            f"not {type(source).__name__}") from None
    if not parts:
        raise SpeechError(None, "the corpus source is empty")
    for p in parts:
        if not p.exists():
            raise SpeechError(p, "no such file or folder")
        if p.is_file() and _kind(p) == "csv":
            _csv_header(p)  # raises when there is no text column
    return tuple(parts)


def _stream(parts: Sequence[Path]) -> Iterator[CorpusItem]:
    for p in parts:
        yield from _items_of(p)


def _row_texts(parts: Sequence[Path]) -> Iterator[tuple[tuple[Path | None, int | None], str]]:
    """``((path, row), text)`` of every table row of the sources, in order."""
    for p in parts:
        if p.is_file() and _kind(p) != "speech":
            for item in _items_of(p):
                yield (item.path, item.row), item.text or ""


def _kind(p: Path) -> str:
    return TABLE_SUFFIXES.get(p.suffix.lower(), "speech")


def _items_of(p: Path) -> Iterator[CorpusItem]:
    if p.is_dir():  # sub-folders included
        for f in speech_files(p, recursive=True):
            yield CorpusItem(-1, speech_id(f), path=f)
    elif _kind(p) == "csv":
        yield from _csv_items(p)
    elif _kind(p) == "jsonl":
        yield from _jsonl_items(p)
    else:
        yield CorpusItem(-1, speech_id(p), path=p)


def _open_table(p: Path):
    try:
        return open(p, encoding="utf-8-sig", newline="")
    except OSError as e:
        raise SpeechError(p, f"cannot be read ({e.strerror or e})") from None


#: The column (CSV) or key (JSONL) names a table may use for each field of a speech, matched without
#: regard to case; the first one present wins (Wikisource dumps use ``content`` and ``year``).
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content"), "id": ("id",), "date": ("date", "year"), "title": ("title",),
    "congress": ("congress",),
}
_TEXT_NAMES = "'text' (or 'content')"


def _has_text(names) -> bool:
    return any(str(k).strip().lower() in ROW_FIELDS["text"] for k in names)


def _fields(row: dict) -> dict:
    """A row's ``text, id, date, title`` by the names of :data:`ROW_FIELDS` (any case)."""
    lower: dict = {}
    for k, v in row.items():
        lower.setdefault(str(k).strip().lower(), v)
    out = {"text": next((lower[n] for n in ROW_FIELDS["text"] if n in lower), None)}
    for field in ("id", "date", "title", "congress"):
        out[field] = next((lower[n] for n in ROW_FIELDS[field] if lower.get(n) not in (None, "")), None)
    return out


def _csv_header(p: Path) -> list[str]:
    with _open_table(p) as f:
        try:
            header = next(csv.reader(f, dialect=_dialect(p)), None)
        except (csv.Error, UnicodeDecodeError) as e:
            raise SpeechError(p, f"not a readable UTF-8 CSV file ({e})") from None
    if not header:
        raise SpeechError(p, "the CSV file is empty")
    if not _has_text(header):
        raise SpeechError(p, f"the CSV file has no {_TEXT_NAMES} column (its columns: {', '.join(header[:8])})")
    return header


def _dialect(p: Path) -> str:
    return "excel-tab" if p.suffix.lower() == ".tsv" else "excel"


def _row_item(p: Path, n: int, row: dict) -> CorpusItem:
    f = _fields(row)
    text = f["text"]
    if not isinstance(text, str):
        raise SpeechError(p, f"row {n}: {_TEXT_NAMES} must be a string")
    rid = str(f["id"]).strip() if f["id"] is not None else f"{p.stem}-{n:05d}"
    rid = re.sub(r"[\s/\\:*?\"<>|]+", "_", rid) or f"{p.stem}-{n:05d}"
    get = lambda k: str(f[k]) if f[k] is not None else None  # noqa: E731
    date, date_from = get("date"), "date"
    if date is None and (opened := congress_date(f["congress"])):
        date, date_from = opened, "congress"
    return CorpusItem(-1, rid, path=p, text=text, date=date, title=get("title"), row=n, date_from=date_from)


def congress_date(number) -> str | None:
    """The opening day of the CPC National Congress ``number`` (data/cpc_congresses.tsv), else ``None``.

    Example:
        >>> congress_date(14), congress_date("16"), congress_date(99), congress_date(None)
        ('1992-10-12', '2002-11-08', None, None)
    """
    return _congress_dates().get(str(number).strip()) if number is not None else None


@functools.cache
def _congress_dates() -> dict[str, str]:
    lines = (config.DATA_DIR / "cpc_congresses.tsv").read_text(encoding="utf-8").splitlines()
    return dict(ln.split("\t")[:2] for ln in lines if ln.strip() and not ln.startswith("#"))


def _csv_items(p: Path) -> Iterator[CorpusItem]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with _open_table(p) as f:
        reader = csv.DictReader(f, dialect=_dialect(p))
        reader.fieldnames = [h.strip() for h in reader.fieldnames or []]
        try:
            for n, row in enumerate(reader, 1):
                yield _row_item(p, n, row)
        except (csv.Error, UnicodeDecodeError) as e:
            raise SpeechError(p, f"line {reader.line_num}: not readable as UTF-8 CSV ({e})") from None


def _jsonl_items(p: Path) -> Iterator[CorpusItem]:
    with _open_table(p) as f:
        try:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    raise SpeechError(p, f"line {n}: not JSON ({e.msg})") from None
                if not isinstance(row, dict) or not _has_text(row):
                    raise SpeechError(p, f"line {n}: each line must be a JSON object with a {_TEXT_NAMES} key")
                yield _row_item(p, n, row)
        except UnicodeDecodeError as e:
            raise SpeechError(p, f"not UTF-8 ({e.reason} at byte {e.start})") from None
