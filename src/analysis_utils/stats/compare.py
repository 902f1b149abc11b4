"""Comparing speeches (notebook 05): sizes, structures, term and slogan trends, similarity, keyness.

The units of comparison are the speeches of a :class:`~analysis_utils.scale.Corpus`. Given a
folder (its own speech files), a CSV/JSONL file, a list of files or a Corpus, the units are
its speeches, ordered by date (the date the table or the text states, else one in the file
name such as ``NNN_YYYY-MM-DD.txt``). Given one speech, the units are its top-level parts
(``一、`` …; three equal parts when it has no headings), a corpus of parts that keep their
offsets into the whole speech, so the review part can be set against the plan part. Every
function takes the :class:`Comparison` and returns a tidy DataFrame.

Example:
    >>> from analysis_utils.config import SEED_SPEECH
    >>> cmp = comparison(SEED_SPEECH)
    >>> cmp.mode, [label[:2] for label in cmp.labels], cmp.spans
    ('parts', ['一、', '二、'], ((39, 1144), (1145, 3404)))
    >>> start, end = cmp.spans[1]                    # each part keeps its place in the whole speech
    >>> cmp.corpus.parent.body[start:end] == cmp.units[1].body
    True
    >>> term_rates(cmp, ["党建"])["substring_count"].tolist()
    [4, 10]
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import SpeechError
from ..outline import build_outline, equal_parts, sections
from ..plots.labels import shorten
from ..reading import load_speech, speech_files, speech_id
from ..scale import Corpus, CorpusItem, corpus_term_counts
from ..speech import Speech
from ..stats import PER, term_frequency

Mode = Literal["speeches", "parts"]
_FILE_DATE = re.compile(r"(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})")
_TABLES = (".csv", ".tsv", ".jsonl", ".ndjson")
_NOT_A_PART = ("开头", "结尾", "全文")  # the labels of sections(...) rows that are not numbered parts
#: What the tables and figures of a one-speech comparison say when its parts leave text out.
PARTS_SCOPE = "各部分 (不含开头结尾) · the parts, opening and closing left out"


@dataclass(frozen=True)
class Comparison:
    """What is compared: the units (speeches, or the parts of one speech) and their labels.

    ``corpus`` holds the units in the same order (ids, and for parts their offsets into the
    whole speech, see :attr:`spans`); ``units`` are the loaded speeches.
    """

    mode: Mode
    source: Path
    units: tuple[Speech, ...]
    labels: tuple[str, ...]  # short, unique, in order
    dates: tuple[str | None, ...]
    failed: tuple[str, ...] = ()  # one line per file that could not be read
    corpus: Corpus | None = None
    duplicates: tuple[str, ...] = ()  # one line per near-duplicate (the same speech published twice)

    @property
    def id(self) -> str:
        """Where the figures go: ``figures/<id>/`` (the speech's id, or the folder's name)."""
        return speech_id(self.source)

    @property
    def scope(self) -> str:
        """:data:`PARTS_SCOPE` when the units are parts of one speech that leave its opening or
        closing out (their sums are then not the speech's totals), else ``""``."""
        if self.mode != "parts" or self.corpus is None or self.corpus.parent is None:
            return ""
        return PARTS_SCOPE if sum(u.han_chars for u in self.units) < self.corpus.parent.han_chars else ""

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """For parts: each unit's ``(start, end)`` in the whole speech's body (empty for speeches)."""
        if self.corpus is None or self.corpus.parent is None:
            return ()
        return tuple((int(it.start or 0), int(it.end or 0)) for it in self.corpus)


def date_of(speech: Speech) -> str | None:
    """The speech's date: what the text states, else a date in its file name."""
    if speech.meta.date:
        return speech.meta.date
    m = _FILE_DATE.search(speech.path.stem)
    if m:
        y, mo, d = map(int, m.groups())
        if 1900 < y < 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def comparison(source, *, parts_if_no_headings: int = 3, duplicates: Literal["drop", "keep"] = "drop") -> Comparison:
    """The units to compare for ``source``: a corpus's speeches, or one speech's parts.

    Args:
        source: a :class:`~analysis_utils.scale.Corpus`, a folder (its speech files, not those
            of sub-folders), a CSV/JSONL file or a list of files: their speeches; one speech
            file: its top-level parts (:func:`~analysis_utils.top_level_sections`), or
            ``parts_if_no_headings`` parts of about equal length when it has fewer than two.
        parts_if_no_headings: see ``source``.
        duplicates: ``"drop"`` compares a speech published twice once (the later copy left
            out, named in ``duplicates``), ``"keep"`` every speech as given.

    Returns:
        A :class:`Comparison`. Unreadable speeches of a corpus are listed in ``failed`` (one
        line each) and skipped.
    """
    if duplicates not in ("drop", "keep"):
        raise ValueError(f"duplicates must be 'drop' or 'keep', not {duplicates!r}")
    if isinstance(source, Corpus):
        return _of_corpus(source, source.sources[0] if len(source.sources) == 1 else Path("corpus"), duplicates)
    if not isinstance(source, (str, Path)):
        return _of_corpus(Corpus(source), Path("corpus"), duplicates)
    path = Path(source)
    if path.is_dir():
        return _of_corpus(Corpus(speech_files([path])), path, duplicates)
    if path.suffix.lower() in _TABLES:
        return _of_corpus(Corpus(path), path, duplicates)
    return _of_parts(load_speech(path), path, parts_if_no_headings)


def _of_corpus(corpus: Corpus, source: Path, duplicates: str = "drop") -> Comparison:
    """The loadable speeches of ``corpus``, by date (near-duplicates dropped or kept)."""
    found = corpus.near_duplicates() if duplicates == "drop" else []
    notes = tuple(d.note() for d in found)
    corpus = corpus.without_duplicates(found)
    loaded: list[tuple[CorpusItem, Speech]] = []
    failed: list[str] = []
    for item, speech in corpus.speeches(errors="skip"):
        if isinstance(speech, SpeechError):
            failed.append(str(speech))
        else:
            loaded.append((item, speech))
    if not loaded:
        raise SpeechError(source, "no readable speech in this folder (.txt, .md or .docx)")
    dated = sorted(((item.date or date_of(s), item, s) for item, s in loaded), key=lambda t: (t[0] or "9999", t[1].id))
    labels = _unique_labels((d, item.title or s.meta.title or item.id) for d, item, s in dated)
    return Comparison("speeches", source, tuple(s for _, _, s in dated), labels, tuple(d for d, _, _ in dated),
                      tuple(failed), corpus.select([item.index for _, item, _ in dated]), notes)


def _unique_labels(dated_titles: Iterable[tuple[str | None, str]]) -> tuple[str, ...]:
    """``date title`` (title shortened), or the title alone; a label seen before gets ``′``."""
    labels: list[str] = []
    for d, title in dated_titles:
        label = f"{d} {shorten(title, 10)}" if d else shorten(title, 16)
        while label in labels:
            label += "′"
        labels.append(label)
    return tuple(labels)


def _of_parts(speech: Speech, source: Path, parts_if_no_headings: int) -> Comparison:
    """The parts of one speech: the numbered sections of :func:`~analysis_utils.sections` (the
    same spans notebooks 02 and 03 use, the unnumbered part included; opening and closing left
    out), or equal parts when it has fewer than two."""
    table = sections(speech, parts_if_no_headings=parts_if_no_headings).table
    spans = [(label, int(s), int(e)) for label, s, e in zip(table["label"], table["start"], table["end"])
             if not str(label).startswith(_NOT_A_PART)]
    if len(spans) < 2:
        spans = equal_parts(speech, parts_if_no_headings)
    corpus = Corpus.of_parts(speech, spans)
    units = tuple(corpus.load(item) for item in corpus)
    return Comparison("parts", source, units, tuple(shorten(label, 14) for label, _, _ in spans),
                      tuple(None for _ in units), corpus=corpus)


def unit_table(cmp: Comparison) -> pd.DataFrame:
    """One row per unit: ``unit, label, date, title, han_chars, paragraphs, sentences,
    sections, subsections, placeholders``; sections/subsections count ``一、``/``（一）``
    headings found by the outline engine (an outline that fails raises)."""
    rows = []
    for s, label, date in zip(cmp.units, cmp.labels, cmp.dates):
        top = build_outline(s).sections
        rows.append((s.id, label, date, s.meta.title, s.han_chars, len(s.paragraph_spans), len(s.sentence_spans),
                     len(top), sum(len(n.children) for n in top), len(s.placeholders)))
    return pd.DataFrame(rows, columns=["unit", "label", "date", "title", "han_chars", "paragraphs", "sentences",
                                       "sections", "subsections", "placeholders"])


def unit_term_counts(cmp: Comparison, tokenizer, **filters) -> pd.DataFrame:
    """Token counts per unit (``unit, label, term, token_count``), with ``term_frequency``'s filters.

    For a folder this goes through the corpus path (all cores, token cache); for the parts
    of one speech, through the tokenizer directly.
    """
    if cmp.mode == "speeches":
        counts = corpus_term_counts(cmp.corpus or [s.path for s in cmp.units], tokenizer=tokenizer, progress=True,
                                    duplicates="keep", **filters)  # the comparison has dropped them, or kept them as asked
        by_id = {s.id: lab for s, lab in zip(cmp.units, cmp.labels)}
        counts = counts.rename(columns={"speech_id": "unit"})
        counts["label"] = counts["unit"].map(by_id)
        return counts[["unit", "label", "term", "token_count"]]
    frames = []
    for s, label in zip(cmp.units, cmp.labels):
        f = term_frequency(tokenizer.tokens(s, pos=True), speech=s, **filters)
        frames.append(f.assign(unit=s.id, label=label)[["unit", "label", "term", "token_count"]])
    return pd.concat(frames, ignore_index=True)


def top_terms(counts: pd.DataFrame, top_n: int = 10) -> list[str]:
    """The ``top_n`` terms with the highest token count over all units (ties by term)."""
    tot = counts.groupby("term")["token_count"].sum().reset_index()
    return tot.sort_values(["token_count", "term"], ascending=[False, True]).head(top_n)["term"].tolist()


def term_rates(cmp: Comparison, terms: Sequence[str]) -> pd.DataFrame:
    """Substring counts of ``terms`` in each unit and their rate per 10,000 Chinese characters.

    Columns ``unit, label, date, term, substring_count, per_10k`` (units in order, terms as given).
    """
    rows = []
    for s, label, date in zip(cmp.units, cmp.labels, cmp.dates):
        n = max(1, s.han_chars)
        for t in dict.fromkeys(terms):
            c = s.body.count(t)
            rows.append((s.id, label, date, t, c, round(c * PER / n, 2)))
    return pd.DataFrame(rows, columns=["unit", "label", "date", "term", "substring_count", "per_10k"])


def by_year(rates: pd.DataFrame, cmp: Comparison) -> pd.DataFrame:
    """``term_rates`` pooled by year: ``year, term, substring_count, han_chars, per_10k``, so a year of
    many short speeches and a year of one long report compare fairly."""
    han = {s.id: s.han_chars for s in cmp.units}
    df = rates.dropna(subset=["date"]).copy()
    df["year"] = df["date"].str[:4].astype(int)
    df["han_chars"] = df["unit"].map(han)
    g = df.groupby(["year", "term"], sort=True).agg(substring_count=("substring_count", "sum"),
                                                   han_chars=("han_chars", "sum")).reset_index()
    g["per_10k"] = (g["substring_count"] * PER / g["han_chars"].clip(lower=1)).round(2)
    return g


def slogan_rates(cmp: Comparison, *, kinds: Iterable[str] = ("number", "lexicon"), top_n: int = 25) -> pd.DataFrame:
    """Slogan × unit table of rates per 10,000 characters for the ``top_n`` slogans used by the
    most units (then by formulation count). Columns: ``slogan, kind, formulation_count, units``
    (``formulation_count`` over all units) and one column per unit label."""
    from ..slogans import slogan_matrix

    m = slogan_matrix(cmp.units, kinds=tuple(kinds))
    ids = [s.id for s in cmp.units]
    m = m.rename(columns={"speeches": "units"})
    # a slogan found both as a number slogan and in the lexicon is one formulation: keep its largest row
    m = m.sort_values(["formulation_count", "kind"], ascending=[False, True], kind="mergesort").drop_duplicates("slogan")
    m = m.sort_values(["units", "formulation_count", "slogan"], ascending=[False, False, True], kind="mergesort").head(top_n)
    han = np.array([max(1, s.han_chars) for s in cmp.units], dtype=float)
    actual = [c for c in m.columns if c not in ("slogan", "kind", "formulation_count", "units")]
    rates = m[actual].to_numpy(dtype=float) * PER / han[: len(actual)]
    out = m[["slogan", "kind", "formulation_count", "units"]].reset_index(drop=True)
    label_of = dict(zip(ids, cmp.labels))
    for j, col in enumerate(actual):
        out[label_of.get(col, col)] = rates[:, j].round(2)
    out.attrs["han_chars"] = {label_of.get(s.id, s.id): s.han_chars for s in cmp.units}  # the heatmap greys short units
    return out


def similarity(counts: pd.DataFrame, cmp: Comparison) -> pd.DataFrame:
    """Cosine similarity of the units' TF-IDF term vectors (labels × labels, 1 on the diagonal).

    TF is the rate per 10,000 tokens; IDF is ``log(N / df) + 1`` so a term in every unit
    still counts a little. 1 = the same vocabulary in the same proportions.
    """
    wide = counts.pivot_table(index="unit", columns="term", values="token_count", aggfunc="sum", fill_value=0)
    wide = wide.reindex([s.id for s in cmp.units], fill_value=0)
    x = wide.to_numpy(dtype=float)
    tf = x / np.maximum(x.sum(axis=1, keepdims=True), 1)
    df = (x > 0).sum(axis=0)
    idf = np.log(len(x) / np.maximum(df, 1)) + 1
    v = tf * idf
    norm = np.linalg.norm(v, axis=1, keepdims=True)
    v = v / np.where(norm == 0, 1, norm)
    sim = np.clip(v @ v.T, 0, 1)
    return pd.DataFrame(sim.round(3), index=list(cmp.labels), columns=list(cmp.labels))


def keyness_against_rest(cmp: Comparison, target: int, tokenizer, **filters) -> pd.DataFrame:
    """Keywords of unit ``target`` (index) against all the other units together (G², log-ratio)."""
    from ..stats import keyness
    from .keywords import ReferenceYearsWarning

    if not 0 <= target < len(cmp.units):
        raise ValueError(f"target must be between 0 and {len(cmp.units) - 1}, not {target}")
    if len(cmp.units) < 2:
        raise SpeechError(cmp.source, "keyness needs at least two units to compare")
    me = cmp.units[target]
    rest = [u for i, u in enumerate(cmp.units) if i != target]
    with warnings.catch_warnings():
        if cmp.mode == "parts":  # the rest of the same speech is of its era, whatever year a part's heading names
            warnings.simplefilter("ignore", ReferenceYearsWarning)
        return keyness(tokenizer.tokens(me), rest, speech=me, tokenizer=tokenizer, subtract_target=False, **filters)


#: A keyword is significant at p < 0.001 (G² ≥ 10.83), the dashed line of the keyness chart.
SIGNIFICANT_P = 0.001


def significant(key: pd.DataFrame) -> pd.Series:
    """Which rows of a keyness table differ significantly (``p < 0.001``): notebook 05 draws the
    keywords of one speech's part only when one does, else it says nothing differs.

    Example:
        >>> significant(pd.DataFrame({"p": [0.0001, 0.03]})).tolist()
        [True, False]
    """
    return key["p"] < SIGNIFICANT_P
