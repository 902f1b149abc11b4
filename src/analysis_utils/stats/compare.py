"""Comparing speeches (notebook 05): sizes, structures, term and slogan trends, similarity, keyness.

The unit of comparison is a :class:`~analysis_utils.Speech`. Given a folder, the units are
its speeches, ordered by date (the date the text states, else one in the file name such as
``NNN_YYYY-MM-DD.txt``). Given one speech, the units are its top-level parts (``一、`` …;
three equal parts when it has no headings), so the review part can be set against the
plan part. Every function takes the :class:`Comparison` and returns a tidy DataFrame.

Example:
    >>> cmp = comparison("speeches/")                      # doctest: +SKIP
    >>> term_rates(cmp, ["人民", "改革"]).head()             # doctest: +SKIP
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..plots.labels import shorten
from ..errors import SpeechError
from ..reading import load_speech, speech_files, speech_from_text, speech_id
from ..speech import Speech
from ..outline import equal_parts, top_level_sections
from ..stats.frequency import PER, term_frequency

Mode = Literal["speeches", "parts"]
_FILE_DATE = re.compile(r"(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})")


@dataclass(frozen=True)
class Comparison:
    """What is compared: the units (speeches, or the parts of one speech) and their labels."""

    mode: Mode
    source: Path
    units: tuple[Speech, ...]
    labels: tuple[str, ...]  # short, unique, in order
    dates: tuple[str | None, ...]
    failed: tuple[str, ...] = ()  # one line per file that could not be read

    @property
    def id(self) -> str:
        """Where the figures go: ``figures/<id>/`` (the speech's id, or the folder's name)."""
        return speech_id(self.source)


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




def comparison(path: str | Path, *, parts_if_no_headings: int = 3) -> Comparison:
    """The units to compare for ``path``: a folder's speeches, or one speech's parts.

    Unreadable files in a folder are listed in ``failed`` (one line each) and skipped.
    """
    path = Path(path)
    if path.is_dir():
        speeches, failed = [], []
        for f in speech_files([path]):
            try:
                speeches.append(load_speech(f))
            except SpeechError as e:
                failed.append(str(e))
        if not speeches:
            raise SpeechError(path, "no readable speech in this folder (.txt, .md or .docx)")
        speeches.sort(key=lambda s: (date_of(s) or "9999", s.id))
        dates = tuple(date_of(s) for s in speeches)
        labels = []
        for s, d in zip(speeches, dates):
            label = f"{d} {shorten(s.meta.title or s.id, 10)}" if d else shorten(s.meta.title or s.id, 16)
            while label in labels:
                label += "′"
            labels.append(label)
        return Comparison("speeches", path, tuple(speeches), tuple(labels), dates, tuple(failed))
    speech = load_speech(path)
    sections = top_level_sections(speech)
    if len(sections) < 2:
        sections = equal_parts(speech, parts_if_no_headings)
    units, labels = [], []
    for i, (label, start, end) in enumerate(sections, 1):
        units.append(speech_from_text(speech.body[start:end], path=speech.path.with_name(f"{speech.id}_part{i}.txt"),
                                      encoding=speech.encoding))
        labels.append(shorten(label, 14))
    return Comparison("parts", path, tuple(units), tuple(labels), tuple(None for _ in units))


def unit_table(cmp: Comparison) -> pd.DataFrame:
    """One row per unit: ``unit, label, date, title, han_chars, paragraphs, sentences,
    sections, subsections, placeholders``; sections/subsections count ``一、``/``（一）``
    headings found by the outline engine."""
    from ..outline import build_outline

    rows = []
    for s, label, date in zip(cmp.units, cmp.labels, cmp.dates):
        try:
            top = build_outline(s).sections
            n_sec, n_sub = len(top), sum(len(n.children) for n in top)
        except Exception:  # the outline is a summary here; a speech it cannot map has 0
            n_sec = n_sub = 0
        rows.append((s.id, label, date, s.meta.title, s.han_chars, len(s.paragraph_spans), len(s.sentence_spans),
                     n_sec, n_sub, len(s.placeholders)))
    return pd.DataFrame(rows, columns=["unit", "label", "date", "title", "han_chars", "paragraphs", "sentences",
                                       "sections", "subsections", "placeholders"])


def unit_term_counts(cmp: Comparison, tokenizer, **filters) -> pd.DataFrame:
    """Token counts per unit (``unit, label, term, count``), with ``term_frequency``'s filters.

    For a folder this goes through the corpus path (all cores, token cache); for the parts
    of one speech, through the tokenizer directly.
    """
    if cmp.mode == "speeches":
        from ..scale.engine import corpus_term_counts

        counts = corpus_term_counts([s.path for s in cmp.units], tokenizer=tokenizer, progress=True, **filters)
        by_id = {s.id: lab for s, lab in zip(cmp.units, cmp.labels)}
        counts = counts.rename(columns={"speech_id": "unit"})
        counts["label"] = counts["unit"].map(by_id)
        return counts[["unit", "label", "term", "count"]]
    frames = []
    for s, label in zip(cmp.units, cmp.labels):
        f = term_frequency(tokenizer.tokens(s, pos=True), speech=s, **filters)
        frames.append(f.assign(unit=s.id, label=label)[["unit", "label", "term", "count"]])
    return pd.concat(frames, ignore_index=True)


def top_terms(counts: pd.DataFrame, n: int = 10) -> list[str]:
    """The ``n`` terms with the highest total count over all units (ties by term)."""
    tot = counts.groupby("term")["count"].sum().reset_index()
    return tot.sort_values(["count", "term"], ascending=[False, True]).head(n)["term"].tolist()


def term_rates(cmp: Comparison, terms: Sequence[str]) -> pd.DataFrame:
    """Substring counts of ``terms`` in each unit and their rate per 10,000 Chinese characters.

    Columns ``unit, label, date, term, count, per_10k`` (units in order, terms as given).
    """
    rows = []
    for s, label, date in zip(cmp.units, cmp.labels, cmp.dates):
        n = max(1, s.han_chars)
        for t in dict.fromkeys(terms):
            c = s.body.count(t)
            rows.append((s.id, label, date, t, c, round(c * PER / n, 2)))
    return pd.DataFrame(rows, columns=["unit", "label", "date", "term", "count", "per_10k"])


def by_year(rates: pd.DataFrame, cmp: Comparison) -> pd.DataFrame:
    """``term_rates`` pooled by year: ``year, term, count, han_chars, per_10k``, so a year of
    many short speeches and a year of one long report compare fairly."""
    han = {s.id: s.han_chars for s in cmp.units}
    df = rates.dropna(subset=["date"]).copy()
    df["year"] = df["date"].str[:4].astype(int)
    df["han_chars"] = df["unit"].map(han)
    g = df.groupby(["year", "term"], sort=True).agg(count=("count", "sum"), han_chars=("han_chars", "sum")).reset_index()
    g["per_10k"] = (g["count"] * PER / g["han_chars"].clip(lower=1)).round(2)
    return g


def slogan_rates(cmp: Comparison, *, kinds: Iterable[str] = ("number", "lexicon"), top_n: int = 25) -> pd.DataFrame:
    """Slogan × unit table of rates per 10,000 characters for the ``top_n`` slogans used by the
    most units (then by total count). Columns: ``slogan, kind, total, units`` and one column
    per unit label."""
    from ..slogans import slogan_matrix

    m = slogan_matrix(cmp.units, kinds=tuple(kinds))
    ids = [s.id for s in cmp.units]
    m = m.rename(columns={"speeches": "units"})
    # a slogan found both as a number slogan and in the lexicon is one formulation: keep its largest row
    m = m.sort_values(["total", "kind"], ascending=[False, True], kind="mergesort").drop_duplicates("slogan")
    m = m.sort_values(["units", "total", "slogan"], ascending=[False, False, True], kind="mergesort").head(top_n)
    han = np.array([max(1, s.han_chars) for s in cmp.units], dtype=float)
    actual = [c for c in m.columns if c not in ("slogan", "kind", "total", "units")]
    rates = m[actual].to_numpy(dtype=float) * PER / han[: len(actual)]
    out = m[["slogan", "kind", "total", "units"]].reset_index(drop=True)
    label_of = dict(zip(ids, cmp.labels))
    for j, col in enumerate(actual):
        out[label_of.get(col, col)] = rates[:, j].round(2)
    return out


def similarity(counts: pd.DataFrame, cmp: Comparison) -> pd.DataFrame:
    """Cosine similarity of the units' TF-IDF term vectors (labels × labels, 1 on the diagonal).

    TF is the rate per 10,000 tokens; IDF is ``log(N / df) + 1`` so a term in every unit
    still counts a little. 1 = the same vocabulary in the same proportions.
    """
    wide = counts.pivot_table(index="unit", columns="term", values="count", aggfunc="sum", fill_value=0)
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
    from ..stats.keyness import keyness

    if not 0 <= target < len(cmp.units):
        raise SpeechError(None, f"target must be between 0 and {len(cmp.units) - 1}, not {target}")
    if len(cmp.units) < 2:
        raise SpeechError(cmp.source, "keyness needs at least two units to compare")
    me = cmp.units[target]
    rest = [u for i, u in enumerate(cmp.units) if i != target]
    return keyness(tokenizer.tokens(me), rest, speech=me, tokenizer=tokenizer, subtract_target=False, **filters)
