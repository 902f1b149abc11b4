"""``diff(old, new)``: what changed between two versions or two years of a report, as one value.

:class:`Diff` holds tidy tables:

``sentences``
    every sentence of both texts exactly once (:data:`SENTENCE_COLUMNS`): ``same``, ``changed``
    (paired with its closest counterpart: ``similarity``, character ``edits``), ``new`` or
    ``dropped``; ``moved`` when a pair left the order of the others; offsets into each body;
``sections``
    the two outlines matched part by part (:mod:`.sections`);
``formulations``
    formulations, number slogans, quoted terms and 《》 titles with their substring counts in
    both texts (:func:`~.wording.formulation_diff`);
``terms``
    the terms that rose or fell (keyness of new against old, token counts);
``placeholders``
    what each ××× of the old text (a template) became in the new one;

and ``summary``, a dict of the headline numbers (:meth:`Diff.to_dict` is the JSON the
``diff`` command prints).

Example:
    >>> from analysis_utils import speech_from_text
    >>> old = speech_from_text("报告\\n一、回顾\\n经济稳定增长。就业形势总体稳定。\\n二、任务\\n坚持稳中求进。", path="old.txt")
    >>> new = speech_from_text("报告\\n一、任务\\n坚持稳中求进。\\n二、回顾\\n经济持续稳定增长。就业形势总体稳定。", path="new.txt")
    >>> d = diff(old, new, terms=False)
    >>> d.sentences[["status", "moved", "old", "new"]].values.tolist()[4:]
    [['changed', False, '经济稳定增长。', '经济持续稳定增长。'], ['same', False, '就业形势总体稳定。', '就业形势总体稳定。']]
    >>> d.sections[["status", "old_heading", "new_heading"]].values.tolist()
    [['same', '开头 opening', '开头 opening'], ['moved', '二、任务', '一、任务'], ['changed', '一、回顾', '二、回顾']]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..outline import sections as speech_sections
from ..reading import load_speech
from ..speech import Speech
from ..text import count_han
from .align import THRESHOLD, align_sentences, edits
from .sections import section_diff
from .wording import TERM_COLUMNS, formulation_diff, placeholder_diff, term_diff

#: Columns of :attr:`Diff.sentences`.
SENTENCE_COLUMNS = ["status", "moved", "similarity", "old_sentence", "new_sentence", "old_start", "old_end",
                    "new_start", "new_end", "old_section", "new_section", "old", "new", "edits"]
#: The statuses of a sentence, in the order tables and charts list them.
SENTENCE_STATUSES = ("same", "changed", "new", "dropped")
#: How many formulations and terms the summary names.
SUMMARY_TOP = 10


@dataclass(frozen=True, eq=False)
class Diff:
    """What changed from ``old`` to ``new`` (see the module for the tables)."""

    old: Speech = field(repr=False)
    new: Speech = field(repr=False)
    sentences: pd.DataFrame
    sections: pd.DataFrame
    formulations: pd.DataFrame
    terms: pd.DataFrame
    placeholders: pd.DataFrame
    summary: dict

    def meta(self, side: str) -> dict:
        """``id``, ``title``, ``date``, ``han_chars`` of the ``old`` or ``new`` text."""
        s: Speech = getattr(self, side)
        return {"id": s.id, "title": s.meta.title, "date": s.meta.date, "han_chars": s.han_chars}

    def to_dict(self) -> dict:
        """The JSON object ``diff --format json`` prints: ``old``, ``new``, the tables as lists of rows, ``summary``."""
        def rows(df: pd.DataFrame) -> list[dict]:
            return [{k: _plain(v) for k, v in r.items()} for r in df.to_dict(orient="records")]
        return {"old": self.meta("old"), "new": self.meta("new"), "sentences": rows(self.sentences),
                "sections": rows(self.sections), "formulations": rows(self.formulations), "terms": rows(self.terms),
                "placeholders": rows(self.placeholders), "summary": self.summary}

    def summary_table(self) -> pd.DataFrame:
        """The summary's numbers as rows ``measure · 指标``, ``old``, ``new`` (for a page or a notebook)."""
        s = self.summary
        st, sec, fo = s["sentences"], s["sections"], s["formulations"]
        rows = [
            ("汉字 Chinese characters", self.old.han_chars, self.new.han_chars),
            ("句子 sentences", s["old_sentences"], s["new_sentences"]),
            ("相同句子 same sentences", st["same"], st["same"]),
            ("改写句子 changed sentences", st["changed"], st["changed"]),
            ("删去 / 新增句子 dropped / new sentences", st["dropped"], st["new"]),
            ("移动的句子 moved sentences", st["moved"], st["moved"]),
            ("新文中未改动文字占比 % of the new text unchanged", "", s["unchanged_share"]),
            ("部分 parts", s["old_parts"], s["new_parts"]),
            ("部分：删去 / 新增 / 移动 parts dropped / new / moved", sec["dropped"], f"{sec['new']} / {sec['moved']}"),
            ("提法：删去 / 新增 formulations dropped / new", fo["dropped"], fo["new"]),
            ("提法：减少 / 增加 formulations down / up", fo["down"], fo["up"]),
        ]
        return pd.DataFrame(rows, columns=["measure · 指标", "old", "new"])


def _plain(v: Any) -> Any:
    """A table cell as JSON: ``None`` for missing values, Python numbers, lists for tuples."""
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def _as_speech(s: Speech | str | Path) -> Speech:
    return s if isinstance(s, Speech) else load_speech(s)


def sentence_table(old: Speech, new: Speech, *, threshold: float = THRESHOLD) -> pd.DataFrame:
    """Every sentence of both texts once, aligned (:data:`SENTENCE_COLUMNS`); sentence numbers are
    1-based as in ``Speech.sentence_of``; ``edits`` lists the ``(op, old text, new text)`` of a
    changed pair that are not ``equal``; ``old_section``/``new_section`` the section number."""
    o_spans, n_spans = old.sentence_spans, new.sentence_spans
    o_text = [old.body[a:b] for a, b in o_spans]
    n_text = [new.body[a:b] for a, b in n_spans]
    pairs = align_sentences(o_text, n_text, threshold=threshold)
    rows = []
    for p in pairs:
        o = o_spans[p.old] if p.old is not None else None
        n = n_spans[p.new] if p.new is not None else None
        ot = o_text[p.old] if p.old is not None else None
        nt = n_text[p.new] if p.new is not None else None
        changes = [e for e in edits(ot, nt) if e[0] != "equal"] if p.status == "changed" and ot and nt else []
        rows.append((p.status, p.moved, p.similarity, None if p.old is None else p.old + 1,
                     None if p.new is None else p.new + 1, o and o[0], o and o[1], n and n[0], n and n[1],
                     None, None, ot, nt, changes))
    df = pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
    ints = ["old_sentence", "new_sentence", "old_start", "old_end", "new_start", "new_end", "old_section", "new_section"]
    return df.astype({c: "Int64" for c in ints}).astype({"similarity": "float64", "moved": "bool"})


def _with_parts(df: pd.DataFrame, old_secs, new_secs) -> pd.DataFrame:
    """Section numbers of each sentence, and what :func:`section_diff` needs: row positions and sizes."""
    df = df.copy()
    for side, secs in (("old", old_secs), ("new", new_secs)):
        starts = df[f"{side}_start"]
        has = starts.notna()
        number = pd.Series(-1, index=df.index, dtype="int64")
        number[has] = secs.of(starts[has].astype("int64").to_numpy())
        df[f"{side}_section"] = number.where(has).astype("Int64")
        position = {int(s): k for k, s in enumerate(secs.table["section"])}
        df[f"{side}_part"] = number.map(lambda x, position=position: position.get(int(x), -1))
        df[f"{side}_chars"] = df[side].map(lambda t: count_han(t) if isinstance(t, str) else 0)
    df["similarity"] = df["similarity"].fillna(0.0)
    return df


def summarise(sentences: pd.DataFrame, sections: pd.DataFrame, formulations: pd.DataFrame, terms: pd.DataFrame,
              placeholders: pd.DataFrame, new: Speech) -> dict:
    """The headline numbers of a diff (the ``summary`` of :class:`Diff`)."""
    st = sentences["status"].value_counts()
    same_chars = sum(count_han(t) for t in sentences.loc[sentences["status"] == "same", "new"])
    fo = formulations["change"].value_counts()
    sec = sections["status"].value_counts()

    def top(change: str) -> list[str]:
        f = formulations[formulations["change"] == change]
        f = f.assign(_n=f[["substring_count_old", "substring_count_new"]].max(axis=1))
        return f.sort_values(["_n", "term"], ascending=[False, True], kind="mergesort")["term"].head(SUMMARY_TOP).tolist()

    return {
        "old_sentences": int(sentences["old_sentence"].notna().sum()),
        "new_sentences": int(sentences["new_sentence"].notna().sum()),
        "sentences": {**{k: int(st.get(k, 0)) for k in SENTENCE_STATUSES}, "moved": int(sentences["moved"].sum())},
        "unchanged_share": round(100 * same_chars / max(1, new.han_chars), 1),
        "old_parts": int(sections["old_heading"].notna().sum()),
        "new_parts": int(sections["new_heading"].notna().sum()),
        "sections": {k: int(sec.get(k, 0)) for k in ("same", "changed", "moved", "new", "dropped")},
        "formulations": {k: int(fo.get(k, 0)) for k in ("new", "dropped", "up", "down", "same")},
        "formulation_count": "substring_count",
        "new_formulations": top("new"),
        "dropped_formulations": top("dropped"),
        "terms_up": terms.loc[terms["change"] == "up", "term"].head(SUMMARY_TOP).tolist(),
        "terms_down": terms.loc[terms["change"] == "down", "term"].iloc[::-1].head(SUMMARY_TOP).tolist(),
        "term_count": "token_count",
        "placeholders_filled": int((placeholders["status"] == "filled").sum()),
    }


def diff(old: Speech | str | Path, new: Speech | str | Path, *, tokenizer=None, terms: bool = True,
         lexicon=None, threshold: float = THRESHOLD) -> Diff:
    """What changed from ``old`` to ``new``: one :class:`Diff` (see the module).

    Args:
        old, new: speeches, or paths (files, ``TABLE#id`` rows) for :func:`~analysis_utils.load_speech`.
        tokenizer: for the terms (:class:`~analysis_utils.Tokenizer`; made when ``None``).
        terms: ``False`` skips the term keyness (the tokeniser): ``terms`` is then empty.
        lexicon: an extra lexicon, as :func:`~analysis_utils.slogan_counts` takes it.
        threshold: least character similarity (0–1) for two sentences to be a ``changed`` pair.

    Raises:
        SpeechError: a file cannot be read as a speech (one line naming it).
    """
    o, n = _as_speech(old), _as_speech(new)
    o_secs, n_secs = speech_sections(o), speech_sections(n)
    sent = _with_parts(sentence_table(o, n, threshold=threshold), o_secs, n_secs)
    secs = section_diff(o, n, o_secs, n_secs, sent)
    sent = sent.drop(columns=["old_part", "new_part", "old_chars", "new_chars"])
    sent["similarity"] = sent["similarity"].where(sent["status"].isin(["same", "changed"]))
    forms = formulation_diff(o, n, lexicon=lexicon)
    if terms:
        if tokenizer is None:
            from ..tokenizer import Tokenizer
            tokenizer = Tokenizer()
        words = term_diff(o, n, tokenizer=tokenizer)
    else:
        words = pd.DataFrame(columns=TERM_COLUMNS)
    places = placeholder_diff(o, n, sent)
    return Diff(o, n, sent, secs, forms, words, places, summarise(sent, secs, forms, words, places, n))
