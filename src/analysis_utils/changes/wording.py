"""What changed in the wording: formulations, rising and falling terms, filled-in placeholders.

* :func:`formulation_diff`: every lexicon formulation, number slogan, quoted term and 《》 title
  found in either text (:func:`~analysis_utils.slogan_counts`), with its **substring count**
  (``substring_count``, every occurrence, nested ones included, as newspapers count and as
  ``count FILE TERM`` prints) in the old and the new text, the change, and the sentence of its
  first occurrence in each text;
* :func:`term_diff`: keyness of the new text against the old one
  (:func:`~analysis_utils.keyness`, token counts, G² and log ratio): the terms that rose or fell;
* :func:`placeholder_diff`: what each placeholder (×××) of the old text became in the new one.

Example:
    >>> from analysis_utils import speech_from_text
    >>> old = speech_from_text("要坚持新发展理念。", path="a.txt")
    >>> new = speech_from_text("要坚持新发展理念，推进“中国式现代化”。", path="b.txt")
    >>> f = formulation_diff(old, new)
    >>> f.loc[f.term == "中国式现代化", ["substring_count_old", "substring_count_new", "change"]].values.tolist()
    [[0, 1, 'new']]
"""
from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict

import pandas as pd

from ..slogans import slogan_counts
from ..speech import Speech
from .align import edit_spans

#: The slogan kinds a formulation row can come from, in the order a term's kind is chosen.
FORMULATION_KINDS = ("number", "quoted", "title", "lexicon")
#: Columns of :attr:`Diff.formulations`.
FORMULATION_COLUMNS = ["term", "kind", "substring_count_old", "substring_count_new", "difference", "change",
                       "passage_old", "passage_new", "old_start", "new_start"]
#: Columns of :attr:`Diff.terms`.
TERM_COLUMNS = ["term", "token_count_old", "token_count_new", "per_10k_old", "per_10k_new", "g2", "log_ratio", "p",
                "change"]
#: Columns of :attr:`Diff.placeholders`.
PLACEHOLDER_COLUMNS = ["placeholder", "old_start", "old_end", "became", "new_start", "new_end", "status", "old", "new"]
#: Least significance for a term to count as risen or fallen.
TERM_P = 0.05
_CHANGE_ORDER = {"new": 0, "dropped": 1, "up": 2, "down": 3, "same": 4}


def change_of(old: int, new: int) -> str:
    """``new``, ``dropped``, ``up``, ``down`` or ``same`` for two counts.

    Example:
        >>> [change_of(0, 2), change_of(2, 0), change_of(1, 3), change_of(3, 1), change_of(2, 2)]
        ['new', 'dropped', 'up', 'down', 'same']
    """
    if old == 0 and new > 0:
        return "new"
    if new == 0 and old > 0:
        return "dropped"
    return "up" if new > old else "down" if new < old else "same"


def _candidates(speech: Speech, lexicon) -> dict[str, str]:
    """Formulation → kind for one text (a quoted passage that is a quotation, not a term, is left out)."""
    counts = slogan_counts(speech, kinds=list(FORMULATION_KINDS), lexicon=lexicon)
    counts = counts[~((counts["kind"] == "quoted") & (counts["detail"] != "term"))]
    marks = {p.text for p in speech.placeholders}
    out: dict[str, str] = {}
    for term, kind in zip(counts["slogan"], counts["kind"]):
        term = str(term)
        if term.strip() and not any(m in term for m in marks):  # placeholders are never terms
            out.setdefault(term, kind)
    return out


def _passage(speech: Speech, term: str) -> tuple[str | None, int | None]:
    """The sentence holding the first occurrence of ``term`` and the occurrence's offset."""
    at = speech.body.find(term)
    if at < 0:
        return None, None
    s, e = speech.sentence_spans[speech.sentence_of(at) - 1]
    return speech.body[s:max(e, at + len(term))].strip(), at


def formulation_diff(old: Speech, new: Speech, *, lexicon=None) -> pd.DataFrame:
    """Formulations of either text with their substring counts in both (:data:`FORMULATION_COLUMNS`).

    ``kind`` is the first of :data:`FORMULATION_KINDS` the term was found as; the counts are
    substring counts of ``speech.body`` (equal to :func:`~analysis_utils.substring_counts` and to
    the lexicon's formulation count). Sorted by change (new, dropped, up, down, same), then by the
    size of the difference, then term.
    """
    kinds = _candidates(old, lexicon)
    for term, kind in _candidates(new, lexicon).items():
        if FORMULATION_KINDS.index(kind) < FORMULATION_KINDS.index(kinds.get(term, "lexicon")):
            kinds[term] = kind
        kinds.setdefault(term, kind)
    rows = []
    for term, kind in kinds.items():
        a, b = old.body.count(term), new.body.count(term)
        p_old, at_old = _passage(old, term)
        p_new, at_new = _passage(new, term)
        rows.append((term, kind, a, b, b - a, change_of(a, b), p_old, p_new, at_old, at_new))
    df = pd.DataFrame(rows, columns=FORMULATION_COLUMNS)
    df = df.astype({"substring_count_old": "int64", "substring_count_new": "int64", "difference": "int64",
                    "old_start": "Int64", "new_start": "Int64"})
    df = df.assign(_c=df["change"].map(_CHANGE_ORDER), _d=-df["difference"].abs())
    return df.sort_values(["_c", "_d", "term"], kind="mergesort").drop(columns=["_c", "_d"]).reset_index(drop=True)


#: The token tables of the last few speeches tokenised here: a series of reports compared pairwise
#: (each report the new text of one pair and the old text of the next) is tokenised once per report.
_TOKENS: OrderedDict[tuple[int, str, int], tuple[object, pd.DataFrame]] = OrderedDict()
_TOKENS_KEPT = 4


def _tokens(speech: Speech, tokenizer) -> pd.DataFrame:
    """``tokenizer.tokens(speech)``, remembered for the last :data:`_TOKENS_KEPT` speeches (the
    tokenizer is kept with its tables, so its id is not reused while they are)."""
    k = (id(tokenizer), str(speech.path), hash(speech.body))
    if k in _TOKENS:
        _TOKENS.move_to_end(k)
        return _TOKENS[k][1]
    tokens = tokenizer.tokens(speech)
    _TOKENS[k] = (tokenizer, tokens)
    while len(_TOKENS) > _TOKENS_KEPT:
        _TOKENS.popitem(last=False)
    return tokens


def term_diff(old: Speech, new: Speech, *, tokenizer) -> pd.DataFrame:
    """Keyness of the new text against the old (token counts; G², log ratio), significant terms only
    (``p < TERM_P``): ``change`` ``up`` (more in the new text) or ``down``; strongest rises first,
    strongest falls last (:data:`TERM_COLUMNS`)."""
    from ..stats import keyness

    key = keyness(_tokens(new, tokenizer), reference=_tokens(old, tokenizer), speech=new, tokenizer=tokenizer,
                  subtract_target=False)
    key = key[key["p"] < TERM_P]
    df = pd.DataFrame({
        "term": key["term"], "token_count_old": key["token_count_reference"], "token_count_new": key["token_count_target"],
        "per_10k_old": key["per_10k_reference"], "per_10k_new": key["per_10k_target"], "g2": key["g2"],
        "log_ratio": key["log_ratio"], "p": key["p"],
        "change": key["direction"].map({"target": "up", "reference": "down"}),
    }, columns=TERM_COLUMNS)
    return df.reset_index(drop=True)


def _map_span(spans: list[tuple[str, int, int, int, int]], a: int, b: int, n_new: int) -> tuple[int, int]:
    """Where the old span ``[a, b)`` of a sentence went in the new sentence: the new text between
    the last unchanged character before it and the first unchanged character after it.

    Example:
        >>> _map_span(edit_spans("请×××发言", "请张三发言"), 1, 4, 5)
        (1, 3)
    """
    left, right = 0, n_new
    equal = [(oa, ob, na) for op, oa, ob, na, _ in spans if op == "equal"]
    for oa, ob, na in equal:
        if oa < a:
            left = na + min(ob, a) - oa
    for oa, ob, na in equal:
        if ob > b:
            right = na + max(oa, b) - oa
            break
    return left, max(left, right)


def placeholder_diff(old: Speech, new: Speech, sentences: pd.DataFrame) -> pd.DataFrame:
    """What each placeholder of ``old`` (a template's ``×××``) became in ``new`` (:data:`PLACEHOLDER_COLUMNS`).

    ``status``: ``filled`` (it became other text), ``unfilled`` (still the same mark), ``removed``
    (it went with no text in its place) or ``dropped`` (its sentence has no counterpart); ``old``
    and ``new`` are its sentence in each text.
    """
    paired = sentences[sentences["old_start"].notna() & sentences["new_start"].notna()]
    starts = paired["old_start"].astype(int).tolist()
    order = sorted(range(len(starts)), key=starts.__getitem__)
    sorted_starts = [starts[k] for k in order]
    rows: list[tuple] = []
    for ph in old.placeholders:
        k = bisect_right(sorted_starts, ph.start) - 1
        row = paired.iloc[order[k]] if k >= 0 else None
        if row is None or not int(row["old_start"]) <= ph.start < int(row["old_end"]):
            rows.append((ph.text, ph.start, ph.end, None, None, None, "dropped", old.body[slice(*_sentence(old, ph.start))], None))
            continue
        os_, ns_ = int(row["old_start"]), int(row["new_start"])
        o_text, n_text = str(row["old"]), str(row["new"])
        a, b = _map_span(edit_spans(o_text, n_text), ph.start - os_, ph.end - os_, len(n_text))
        became = n_text[a:b]
        status = "unfilled" if became == ph.text else "filled" if became else "removed"
        rows.append((ph.text, ph.start, ph.end, became, ns_ + a, ns_ + b, status, o_text, n_text))
    df = pd.DataFrame(rows, columns=PLACEHOLDER_COLUMNS)
    return df.astype({"old_start": "int64", "old_end": "int64", "new_start": "Int64", "new_end": "Int64"})


def _sentence(speech: Speech, offset: int) -> tuple[int, int]:
    return speech.sentence_spans[speech.sentence_of(offset) - 1]
