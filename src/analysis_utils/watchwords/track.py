"""Watchwords across decades: how often each term occurs in each dated document of a corpus.

:func:`track` counts terms over a dated corpus (a folder whose speeches state their date or
carry it in their file names, or a CSV/JSONL table with a ``date`` or ``year`` column) on the
corpus path: one Aho–Corasick pass over the cached cleaned bodies
(:func:`~analysis_utils.scale.corpus_substring_counts`, all cores, progress bar), and the
documents' dates from a cached per-speech pass (:func:`~analysis_utils.scale.corpus_map`).
The count is the substring count of the counting contract (``substring_count``: every
occurrence, as ``body.count(term)``), the rate ``per_10k`` per 10,000 Chinese characters of the
document. A document without a date is listed in :attr:`Track.undated`, never dropped; a term's
first and last use and its peak are read off the dated documents.

Example:
    >>> from analysis_utils.config import SEED_SPEECH
    >>> tr = track([SEED_SPEECH], ["党建"], cache=False, progress=False)
    >>> len(tr.series), tr.undated[["id", "substring_count"]].values.tolist()
    (0, [['party_building_conference_speech', 15]])
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SpeechError
from ..scale import Corpus, corpus_map, corpus_substring_counts
from ..scale.engine import Duplicates, counted_corpus
from ..scale.sources import Errors, as_corpus
from ..speech import Speech
from ..stats import PER

#: One row per term and dated document (:attr:`Track.series`).
SERIES_COLUMNS = ["term", "id", "date", "year", "substring_count", "per_10k"]
#: One row per term (then per family): ``count`` names the count ``total`` is (the counting contract).
SUMMARY_COLUMNS = ["term", "kind", "count", "total", "documents", "first", "last", "peak_date", "peak_per_10k",
                   "undated_total"]
#: One row per document (:attr:`Track.documents`).
DOCUMENT_COLUMNS = ["id", "date", "year", "title", "han_chars"]


def document_row(speech: Speech) -> pd.DataFrame:
    """What a document's text says: its ``date`` and ``title`` (``""`` when the text does not state
    them) and its ``han_chars``; the per-speech job of :func:`track`, cached by
    :func:`~analysis_utils.scale.corpus_map` under the text's content only, so nothing here may
    come from the file name or a table's columns (:func:`track` adds those).

    Example:
        >>> from analysis_utils import speech_from_text
        >>> s = speech_from_text("政府工作报告\\n——2015年3月5日在第十二届全国人民代表大会第三次会议上\\n各位代表：\\n今天开会。")
        >>> document_row(s).values.tolist()
        [['2015-03-05', '政府工作报告', 36]]
    """
    borrowed = " ".join(n for n in speech.notes if " from the table's " in n)  # filled in from a table's columns
    date = speech.meta.date if speech.meta.date and "date from the table's" not in borrowed else ""
    title = speech.meta.title if speech.meta.title and "title from the table's" not in borrowed else ""
    return pd.DataFrame({"date": [date or ""], "title": [title or ""], "han_chars": [int(speech.han_chars)]})


def _file_date(path: Path | None) -> str | None:
    """A date in a file's name (``NNN_YYYY-MM-DD.txt``), as notebook 05 reads it."""
    from types import SimpleNamespace

    from ..stats.compare import date_of  # the text's date, else the file name's: given no text date here

    return date_of(SimpleNamespace(meta=SimpleNamespace(date=None), path=path)) if path is not None else None  # type: ignore[arg-type]


def year_of(date: str | None) -> int | None:
    """The year a date starts with (``2022-03-05``, ``2022``, ``2022年``); ``None`` when it does not.

    Example:
        >>> year_of("2022-03-05"), year_of("1955"), year_of(""), year_of("三月")
        (2022, 1955, None, None)
    """
    head = str(date or "").strip()[:4]
    return int(head) if len(head) == 4 and head.isdigit() else None


@dataclass(frozen=True)
class Track:
    """What :func:`track` returns: every table traceable to its documents.

    * ``series``: ``term, id, date, year, substring_count, per_10k``, one row per term and dated
      document (zeros included), by date then term (in the order given);
    * ``summary``: one row per term (``kind="term"``, ``count="substring_count"``), then one per
      family (``kind="family"``, ``count="formulation_count"``): ``total`` over every document,
      ``documents`` that use it, ``first``/``last`` dated use, ``peak_date``/``peak_per_10k`` (the
      highest rate; the earliest on ties), ``undated_total`` (the part of ``total`` in undated documents);
    * ``undated``: the rows of the documents without a date (same columns as ``series``);
    * ``documents``: ``id, date, year, title, han_chars`` of every document counted;
    * ``families``: ``family, variant, id, date, year, substring_count, formulation_count, per_10k``
      (see :mod:`~analysis_utils.watchwords.families`), empty without families;
    * ``dropped``: the near-duplicates left out (notes), ``corpus``: the documents counted.
    """

    series: pd.DataFrame
    summary: pd.DataFrame
    undated: pd.DataFrame
    documents: pd.DataFrame
    families: pd.DataFrame
    terms: tuple[str, ...]
    corpus: Corpus
    dropped: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Where the figures go: ``figures/<id>/`` (the corpus file's or folder's name)."""
        return corpus_id(self.corpus)

    @property
    def years(self) -> list[int]:
        """The years with at least one dated document, in order."""
        return sorted({int(y) for y in self.documents["year"].dropna()})

    def to_json(self) -> str:
        """``{"series": [...], "summary": [...], "undated": [...], "families": [...], "dropped": [...]}``."""
        def records(df: pd.DataFrame) -> list[dict]:
            return json.loads(df.to_json(orient="records", force_ascii=False))

        return json.dumps({"series": records(self.series), "summary": records(self.summary),
                           "undated": records(self.undated), "families": records(self.families),
                           "dropped": list(self.dropped)}, ensure_ascii=False, indent=2) + "\n"


def _documents(corpus: Corpus, workers, cache, progress, errors: Errors) -> pd.DataFrame:
    rows = []
    for item, df in corpus_map(corpus, document_row, workers=workers, cache=cache, progress=progress, errors=errors):
        # the date the text states, else the table's date/year column, else a date in the file name
        from_name = _file_date(item.path) if item.row is None and item.start is None else None
        date = str(df["date"].iloc[0]) or (item.date or "").strip() or from_name or ""
        rows.append((item.id, date, year_of(date), str(df["title"].iloc[0]) or (item.title or ""),
                     int(df["han_chars"].iloc[0])))
    docs = pd.DataFrame(rows, columns=DOCUMENT_COLUMNS)
    docs["year"] = docs["year"].astype("Int64")
    return docs


def _check_terms(terms: Iterable[str]) -> list[str]:
    if isinstance(terms, str):
        terms = [terms]
    out = list(dict.fromkeys(terms))
    for t in out:
        if not isinstance(t, str) or not t.strip():
            raise SpeechError(None, f"a term cannot be empty or white space only, not {t!r}")
    return out


def track(corpus, terms: Iterable[str], *, families=None, workers: int | None = None,
          cache: bool | str | Path = True, progress: bool | None = None, errors: Errors = "raise",
          duplicates: Duplicates = "drop") -> Track:
    """How often each term occurs in each document of a dated corpus, and when it came and went.

    Args:
        corpus: a :class:`~analysis_utils.scale.Corpus`, a folder (sub-folders included), a
            CSV/JSONL table of texts (``date`` or ``year`` column), a speech file or a list of them.
        terms: the terms (each counted on its own: ``小康`` also inside ``小康社会``).
        families: variants counted together and apart
            (:func:`~analysis_utils.watchwords.families.load_families`): ``True`` for the bundled
            ``data/families.tsv``, a ``family<TAB>variant`` file (or a list of them), or a table
            with ``family, variant`` columns. Only the families that one of ``terms`` names (as
            family or variant) are tracked; with no terms, every family.
        workers, cache, progress, errors: as :func:`~analysis_utils.scale.corpus_substring_counts`.
        duplicates: ``"drop"`` counts a document published twice once (the later copy named on
            stderr and in :attr:`Track.dropped`); ``"keep"`` counts every document.

    Returns:
        A :class:`Track`.

    Example:
        >>> import json, pathlib, tempfile
        >>> from analysis_utils.config import SEED_SPEECH
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> text = SEED_SPEECH.read_text(encoding="utf-8")
        >>> _ = (folder / "001_2019-06-30.txt").write_text(text, encoding="utf-8")
        >>> _ = (folder / "002_2021-07-01.txt").write_text(text.replace("党建", "党的建设"), encoding="utf-8")
        >>> tr = track(folder, ["党建", "党的建设"], cache=False, progress=False, duplicates="keep")  # 99 % alike
        >>> tr.summary[["term", "total", "first", "last"]].values.tolist()
        [['党建', 15, '2019-06-30', '2019-06-30'], ['党的建设', 15, '2021-07-01', '2021-07-01']]
    """
    terms = _check_terms(terms)
    from .families import family_table, load_families

    fam = load_families(families) if families is not None else None
    if fam is not None:
        fam = fam[fam["family"].isin(terms) | fam["variant"].isin(terms)] if terms else fam
    if not terms and (fam is None or fam.empty):
        raise SpeechError(None, "no term to track (give at least one term or a family)")
    given = as_corpus(corpus)
    counted = counted_corpus(given, duplicates, cache=cache, progress=progress)
    dropped = tuple(i for i in given.ids if i not in set(counted.ids))
    kw: dict[str, Any] = {"workers": workers, "cache": cache, "progress": progress, "errors": errors}
    docs = _documents(counted, **kw)
    counts = corpus_substring_counts(counted, terms, duplicates="keep", **kw) if terms else \
        pd.DataFrame(columns=["speech_id", "term", "substring_count", "per_10k"])
    rows = counts.rename(columns={"speech_id": "id"}).merge(docs[["id", "date", "year"]], on="id", how="left")
    rows = rows[SERIES_COLUMNS]
    dated = rows["year"].notna()
    order = {t: i for i, t in enumerate(terms)}
    series = _by_date(rows[dated], order)
    undated = rows[~dated].assign(date="").reset_index(drop=True)
    fam_rows = family_table(counted, fam, docs, **kw) if fam is not None and not fam.empty else _no_families()
    summary = pd.concat([summarise(series, undated, "substring_count", "term", "term"),
                         summarise(family_totals(fam_rows, docs), family_totals(fam_rows, docs, dated=False),
                                   "formulation_count", "family", "family")], ignore_index=True)
    return Track(series, summary[SUMMARY_COLUMNS], undated, docs, fam_rows, tuple(terms), counted, dropped)


def _by_date(rows: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """Rows by date, then document, then term in the order given."""
    key = rows["term"].map(order).fillna(len(order))
    out = rows.assign(_k=key).sort_values(["date", "id", "_k"], kind="mergesort").drop(columns="_k")
    return out.reset_index(drop=True)


def _no_families() -> pd.DataFrame:
    from .families import FAMILY_COLUMNS

    return pd.DataFrame(columns=FAMILY_COLUMNS)


def family_totals(fam_rows: pd.DataFrame, documents: pd.DataFrame, *, dated: bool = True) -> pd.DataFrame:
    """One row per family and (dated, or undated) document: ``term`` (the family), ``id, date, year``,
    ``formulation_count`` (the sum of its variants': each stretch of text once) and ``per_10k``."""
    columns = ["term", "id", "date", "year", "formulation_count", "per_10k"]
    rows = fam_rows[fam_rows["year"].notna() == dated]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    sums = rows.groupby(["family", "id"], sort=False).agg(date=("date", "first"), year=("year", "first"),
                                                           formulation_count=("formulation_count", "sum")).reset_index()
    han = sums["id"].map(documents.set_index("id")["han_chars"]).astype("int64")
    sums["per_10k"] = (sums["formulation_count"] * PER / np.maximum(1, han)).round(2)
    return sums.rename(columns={"family": "term"})[columns]


def summarise(series: pd.DataFrame, undated: pd.DataFrame, count: str, name: str, kind: str) -> pd.DataFrame:
    """The summary rows of :attr:`Track.summary` for one kind of row (terms or families).

    Example:
        >>> s = pd.DataFrame({"term": ["稳"] * 3, "id": list("abc"), "date": ["1990", "2000", "2010"],
        ...                   "year": [1990, 2000, 2010], "substring_count": [0, 4, 4], "per_10k": [0.0, 2.0, 1.5]})
        >>> row = summarise(s, s.iloc[:0], "substring_count", "term", "term").iloc[0]
        >>> int(row["total"]), row["first"], row["last"], row["peak_date"]
        (8, '2000', '2010', '2000')
    """
    out = []
    names = list(dict.fromkeys(list(series["term"]) + list(undated["term"])))
    for term in names:
        s = series[series["term"] == term]
        u = undated[undated["term"] == term]
        used = s[s[count] > 0]
        peak = used.sort_values(["per_10k", "date"], ascending=[False, True], kind="mergesort").head(1)
        out.append((term, kind, count, int(s[count].sum() + u[count].sum()),
                    int((s[count] > 0).sum() + (u[count] > 0).sum()),
                    used["date"].min() if len(used) else "", used["date"].max() if len(used) else "",
                    peak["date"].iloc[0] if len(peak) else "", float(peak["per_10k"].iloc[0]) if len(peak) else 0.0,
                    int(u[count].sum())))
    return pd.DataFrame(out, columns=SUMMARY_COLUMNS)


def by_year(tr: Track, *, families: bool = False) -> pd.DataFrame:
    """Counts and rates per term (or family) and year: documents of one year added up, the rate over
    their Chinese characters together. Columns ``term, year, <count>, han_chars, per_10k``.

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> by_year(track([SEED_SPEECH], ["党建"], cache=False, progress=False)).empty
        True
    """
    count = "formulation_count" if families else "substring_count"
    rows = family_totals(tr.families, tr.documents) if families else tr.series
    if rows.empty:
        return pd.DataFrame(columns=["term", "year", count, "han_chars", "per_10k"])
    han = tr.documents.set_index("id")["han_chars"]
    rows = rows.assign(han_chars=rows["id"].map(han).astype("int64"), year=rows["year"].astype("int64"))
    out = rows.groupby(["term", "year"], sort=False).agg(**{count: (count, "sum"), "han_chars": ("han_chars", "sum")})
    out = out.reset_index()
    out["per_10k"] = (out[count] * PER / np.maximum(1, out["han_chars"])).round(2)
    return out


#: The development corpus notebook 07 opens when it is there (beside the project, never copied into it).


def corpus_id(corpus: Corpus) -> str:
    """The output folder of a corpus's watchwords: its file's or folder's name, else ``corpus``."""
    from ..reading import speech_id

    return speech_id(corpus.sources[0]) if len(corpus.sources) == 1 else "corpus"


def default_corpus(corpus_path: str | Path | None = None) -> tuple[Path, str | None]:
    """The corpus notebook 07 tracks: ``corpus_path`` when given; else the development JSONL of
    Government Work Reports beside the project (``../shared/corpus/wikisource/…``) when it is
    there; else the project's ``seeds/`` folder, with a note saying how to point at one's own corpus.

    Example:
        >>> default_corpus("my_reports/")
        (PosixPath('my_reports'), None)
    """
    from .. import config

    if corpus_path is not None:
        return Path(corpus_path), None
    if config.DEV_REPORTS.is_file():
        return config.DEV_REPORTS, None
    return config.SEEDS_DIR, ("没有找到开发语料，改用 seeds/ 文件夹（其中讲话没有日期，不上时间轴）。请把 corpus_path 设为自己的语料："
                              "一个文件夹（日期写在正文或文件名中，如 001_2015-03-05.txt），或带 date/year 列的 CSV/JSONL。 · "
                              "The development corpus (../shared/corpus/wikisource/government_work_reports.jsonl) is not beside the project: using seeds/ "
                              "(its speech has no date, so nothing is on the time axis). Set corpus_path to your own "
                              "corpus: a folder (dates in the texts or in file names such as 001_2015-03-05.txt) or a "
                              "CSV/JSONL table with a date or year column.")
