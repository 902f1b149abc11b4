"""Parallel structures (排比): three or more clauses sharing a frame.

A frame is a common beginning and/or ending (sometimes a common middle) of at least two
Chinese characters in all; the varying parts fill its slots: ``往深里走、往实里走、往心里走``
is the frame ``往…里走`` with the varying parts 深/实/心. Structures are found within a
sentence, across the sentences of a paragraph and across paragraphs
(:func:`parallel_structures`).

Example:
    >>> from analysis_utils import speech_from_text
    >>> par = parallel_structures(speech_from_text("讲话\\n按政策办事、按规定办事、按程序办事。"))
    >>> par.loc[0, ["frame", "varying", "scope"]].tolist()
    ['按…办事', ['政策', '规定', '程序'], 'sentence']
"""
from __future__ import annotations

import os
import re
import statistics
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from ..outline.parts import Sections
from ..plots.labels import shorten
from ..speech import Speech
from ..text import HAN_RE, count_han
from .hits import hit_table, locate, sections_of

#: Columns of :func:`parallel_structures` (one row per structure).
PARALLEL_COLUMNS = [
    "frame", "prefix", "middle", "suffix", "varying", "items", "n_items", "scope", "start", "end",
    "positions", "section", "section_label", "paragraph", "sentence", "text",
]
_LOCATION_COLUMNS = ("section", "section_label", "paragraph", "sentence")
#: A clause found with its body offset; a run of them with its frame (prefix, suffix).
Clause = tuple[str, int]
Run = tuple[list[Clause], str, str]

_MARKER_RE = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，、,]?|"
    r"[一二三四五六七八九十]+、|\d+[.．、]|首先[，,]?|其次[，,]?|再次[，,]?|最后[，,]?|——+|[-—·•])\s*"
)
_TRAIL_RE = re.compile(r"[。！？!?…\s]+$")
_LEVEL_SPLIT = {
    1: re.compile(r"[；;]"),
    2: re.compile(r"[，；,;：:]"),
    3: re.compile(r"[，、；：,;:]"),
}
_MAX_VARYING = {1: 60, 2: 30, 3: 14}
#: Openers too ordinary to make sentences or paragraphs parallel on their own.
_PLAIN_OPENERS = frozenset({
    "我们", "同志们", "这是", "这些", "这个", "这次", "同时", "因此", "但是", "今年", "去年", "目前", "当前",
    "其中", "此外", "另外", "特别", "我国", "中国", "我们的", "对于", "通过", "在这", "这一", "一些",
    "各位", "女士们", "先生们", "朋友们", "我们要", "要把", "要加强", "加强", "坚持", "推进", "推动", "全面",
    "深入", "进一步", "积极", "不断", "切实", "大力", "持续", "着力", "完善", "建立", "健全",
})




def _clauses(text: str, offset: int, rx: re.Pattern) -> list[Clause]:
    """Split ``text`` at ``rx``; each clause stripped of enumeration markers and end punctuation."""
    out, pos = [], 0
    for piece in rx.split(text) + [None]:
        if piece is None:
            break
        start = pos
        pos += len(piece) + 1
        lead = len(piece) - len(piece.lstrip())
        c = piece.strip()
        m = _MARKER_RE.match(c)
        if m:
            lead += m.end()
            c = c[m.end():]
        c = _TRAIL_RE.sub("", c)
        if c:
            out.append((c, offset + start + lead))
    return out


def _common_prefix(items: Sequence[str]) -> str:
    return os.path.commonprefix(list(items))


def _common_suffix(items: Sequence[str]) -> str:
    return os.path.commonprefix([x[::-1] for x in items])[::-1]


def _frame(items: Sequence[str]) -> tuple[str, str]:
    """(prefix, suffix) shared by all items, leaving every item a non-empty varying part."""
    p, s = _common_prefix(items), _common_suffix(items)
    shortest = min(len(x) for x in items)
    if len(p) >= shortest:
        p = p[: shortest - 1]
    room = shortest - len(p) - 1
    if len(s) > room:
        s = s[len(s) - room:] if room > 0 else ""
    return p, s


def _varying(item: str, p: str, s: str) -> str:
    return item[len(p): len(item) - len(s)]


def _middle(vs: Sequence[str]) -> str:
    """The longest substring every varying part holds strictly inside (…人才的…环境)."""
    shortest = min(vs, key=len)
    for n in range(len(shortest) - 2, 0, -1):
        for i in range(1, len(shortest) - n):
            m = shortest[i:i + n]
            if n == 1 and m not in "的之和与而":
                continue
            if max(len(v) for v in vs) > 3 * len(shortest) + 2:
                return ""  # unbalanced parts: a shared middle would be a coincidence
            if count_han(m) < min(n, 1) or not HAN_RE.search(m):
                continue
            if all(0 < v.find(m) and v.find(m) + n < len(v) for v in vs):
                return m
    return ""


def _strength(p: str, s: str) -> int:
    return count_han(p) + count_han(s)


@lru_cache(maxsize=1)
def _jieba():
    """A private jieba tokenizer (no global state), for word boundaries in lead-ins."""
    from ..tokenizer import new_jieba

    return new_jieba()


def _boundaries(text: str) -> list[int]:
    """Offsets in ``text`` where a word starts (jieba), 0 and len(text) included."""
    out, pos = [0], 0
    for w in _jieba().cut(text, HMM=False):
        pos += len(w)
        out.append(pos)
    return out


def _closest_cut(text: str, n: int, *, from_end: bool) -> int:
    """The word boundary that leaves a piece closest to ``n`` characters (at least one)."""
    cuts = [b for b in _boundaries(text) if 0 < b < len(text)] or [len(text) - n if from_end else n]
    if from_end:
        return min(cuts, key=lambda b: (abs((len(text) - b) - n), b))
    return min(cuts, key=lambda b: (abs(b - n), -b))


def _fit_first(c: str, p: str, s: str, others: Sequence[str], max_var: int) -> tuple[int, str] | None:
    """Does the first clause end with the frame, perhaps after a lead-in? → (lead length, varying)."""
    if s and not c.endswith(s):
        return None
    body = c[: len(c) - len(s)] if s else c
    if p:
        k = body.rfind(p)
        while k >= 0:
            v = body[k + len(p):]
            if v:
                return (k, v) if len(v) <= max_var else None
            k = body.rfind(p, 0, k)
        return None
    n = int(statistics.median(len(v) for v in others))
    if n <= 0 or not body:
        return None
    if n >= len(body):
        return (0, body) if len(body) <= max_var else None
    k = _closest_cut(body, n, from_end=True)  # 推进【京津冀协同】发展: cut the lead-in at a word
    return k, body[k:]


def _trim_last(items: list[Clause], p: str, s: str) -> list[Clause]:
    """Cut a tail off the last item of a prefix-only frame (专业精神【的优秀干部选出来】)."""
    if s or len(items) < 3:
        return items
    vs = [_varying(t, p, s) for t, _ in items[:-1]]
    last, pos = items[-1]
    v = _varying(last, p, s)
    med = statistics.median(len(x) for x in vs)
    if len(v) <= max(len(x) for x in vs) + 2 or len(v) <= 1.5 * med:
        return items
    k = _closest_cut(v, int(round(med)), from_end=False)
    return items[:-1] + [(last[: len(p) + k], pos)]


def _structure(items: list[Clause], p: str, s: str, scope: str, body: str) -> dict:
    vs = [_varying(t, p, s) for t, _ in items]
    mid = _middle(vs) if len(vs) >= 3 else ""
    if mid:
        vs = [v.replace(mid, "…", 1) for v in vs]
    frame = p + "…" + (mid + "…" if mid else "") + s
    start = items[0][1]
    end = items[-1][1] + len(items[-1][0])
    return {
        "frame": frame, "prefix": p, "middle": mid, "suffix": s, "varying": vs,
        "items": [t for t, _ in items], "n_items": len(items), "scope": scope,
        "start": start, "end": end, "positions": [a for _, a in items], "text": body[start:end],
    }



# ------------------------------------------------------------------- runs within a sentence
def _runs(clauses: list[Clause], level: int, min_items: int) -> list[Run]:
    """Runs of consecutive clauses sharing a frame; the first may carry a lead-in."""
    max_var = _MAX_VARYING[level]
    out = []
    i, n = 0, len(clauses)
    while i < n - 1:
        best = _best_run(clauses, i, level, min_items, max_var)
        if best:
            out.append(best)
            i += len(best[0])
        else:
            i += 1
    return out


def _best_run(clauses: list[Clause], i: int, level: int, min_items: int, max_var: int) -> Run | None:
    """The longest run that starts at clause ``i`` without weakening its frame, if any."""
    best: Run | None = None
    for j in range(i + 2, len(clauses)):
        rest = [t for t, _ in clauses[i + 1: j + 1]]
        p, s = _frame(rest)
        vs = [_varying(t, p, s) for t in rest]
        if len(set(vs)) < len(vs) or max(len(v) for v in vs) > max_var or _strength(p, s) < 1:
            break
        if _strength(p, s) < 2 and not (level == 3 and j - i + 1 >= 4 and max(len(v) for v in vs) <= 3):
            continue  # a one-character frame only for tight lists: 稳就业、稳金融、稳外贸、稳外资
        if best is not None and _strength(p, s) < _strength(best[1], best[2]):
            break  # a longer run with a weaker frame is another structure (教育强国…健康中国)
        items = _run_items(clauses, i, j, p, s, vs, max_var=max_var, min_items=min_items)
        if items is not None:
            best = (items, p, s)
    return best


def _run_items(clauses: list[Clause], i: int, j: int, p: str, s: str, vs: list[str], *,
               max_var: int, min_items: int) -> list[Clause] | None:
    """Clauses ``i…j`` as the items of the frame ``p…s`` (clause ``i`` fitted to the frame
    after its lead-in, the last one trimmed); ``None`` when they do not make a structure."""
    fit = _fit_first(clauses[i][0], p, s, vs, max_var)
    if fit is None or (j - i + 1) < min_items:
        return None
    k, v = fit
    if v in vs:
        return None
    first = (clauses[i][0][k:], clauses[i][1] + k)
    items = _trim_last([first] + clauses[i + 1: j + 1], p, s)
    vs_all = [len(_varying(t, p, s)) for t, _ in items]
    if max(vs_all) > 3 * min(vs_all) + 3:  # unbalanced: not a parallel
        return None
    return items


# ----------------------------------------------------- openings of sentences and paragraphs
def _consecutive_openings(clauses: list[Clause], min_items: int) -> list[list[Clause]]:
    """Runs of consecutive clauses that open with the same two or more Chinese characters."""
    out = []
    i = 0
    while i < len(clauses):
        j = i + 1
        while j < len(clauses) and count_han(_common_prefix([t for t, _ in clauses[i: j + 1]])) >= 2:
            j += 1
        if j - i >= min_items:
            out.append(clauses[i:j])
        i = max(j, i + 1)
    return out


def _shared_openings(clauses: list[Clause], min_items: int) -> list[list[Clause]]:
    """Clauses grouped by their first two characters (when both are Chinese), anywhere in the list."""
    keys: dict[str, list[Clause]] = {}
    for c in clauses:
        if count_han(c[0][:2]) == 2:
            keys.setdefault(c[0][:2], []).append(c)
    return [g for g in keys.values() if len(g) >= min_items]


def _strongest_run(g: list[Clause], min_items: int) -> list[Clause]:
    """Odd members at the ends may weaken the frame: the longest of the strongest runs."""
    subs = [g[a:b] for a in range(len(g)) for b in range(a + min_items, len(g) + 1)]
    top = max(_strength(*_frame([t for t, _ in h])) for h in subs)
    return max((h for h in subs if _strength(*_frame([t for t, _ in h])) >= top - 1), key=len)


def _opening_frame(g: list[Clause], max_var: int) -> Run | None:
    """The group with its frame, or ``None`` when the shared opening is too plain or the
    varying parts repeat; long varying parts keep the opening only."""
    texts = [t for t, _ in g]
    p, s = _frame(texts)
    if count_han(p) < 2 or p.strip("，、；：") in _PLAIN_OPENERS or p in _PLAIN_OPENERS:
        return None
    vs = [_varying(t, p, s) for t in texts]
    if len(set(vs)) < len(vs):
        return None
    if max(len(v) for v in vs) > max_var:  # keep the opening only: cut long varying parts at the frame
        s = ""
    return g, p, s


def _groups_by_opening(clauses: list[Clause], min_items: int, max_var: int, *, consecutive: bool) -> list[Run]:
    """Clauses that open with the same two or more characters (anaphora)."""
    candidates = _consecutive_openings(clauses, min_items) if consecutive else _shared_openings(clauses, min_items)
    groups = []
    for g in candidates:
        framed = _opening_frame(_strongest_run(g, min_items) if consecutive else g, max_var)
        if framed is not None:
            groups.append(framed)
    return groups


# ---------------------------------------------------------------------------- the table
def _sentence_structures(speech: Speech, min_items: int) -> list[dict]:
    """Structures within one sentence, at each level of clause splitting."""
    body = speech.body
    found = []
    for a, b in speech.sentence_spans:
        text = body[a:b]
        for level in (1, 2, 3):
            clauses = _clauses(text, a, _LEVEL_SPLIT[level])
            if len(clauses) < min_items:
                continue
            found += [_structure(items, p, s, "sentence", body) for items, p, s in _runs(clauses, level, min_items)]
    return found


def _first_clauses(speech: Speech, sent_starts: list[int], ps: int, pe: int) -> list[Clause]:
    """The first clause of every sentence of the paragraph ``ps:pe``."""
    firsts = []
    lo = int(np.searchsorted(sent_starts, ps, side="left"))
    for a, b in speech.sentence_spans[lo:]:
        if a >= pe:
            break
        cl = _clauses(speech.body[a:b], a, _LEVEL_SPLIT[2])
        if cl:
            firsts.append(cl[0])
    return firsts


def _paragraph_structures(speech: Speech, min_items: int) -> list[dict]:
    """Structures across the sentences of each paragraph, then across paragraphs."""
    body = speech.body
    found, openings = [], []
    sent_starts = [s for s, _ in speech.sentence_spans]
    for ps, pe in speech.paragraph_spans:
        firsts = _first_clauses(speech, sent_starts, ps, pe)
        if len(firsts) >= min_items:
            groups = _groups_by_opening(firsts, min_items, _MAX_VARYING[2], consecutive=False)
            found += [_structure(items, p, s, "paragraph", body) for items, p, s in groups]
        if firsts:
            openings.append(firsts[0])
    groups = _groups_by_opening(openings, min_items, _MAX_VARYING[2], consecutive=True)
    return found + [_structure(items, p, s, "paragraphs", body) for items, p, s in groups]


def _overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _same_structure(d: dict, k: dict) -> bool:
    """Is ``d`` the structure ``k`` (already kept) found again, at another level?"""
    if not _overlaps(d, k):
        return False
    shared = len(set(d["positions"]) & set(k["positions"]))
    same_frame = (d["prefix"], d["suffix"]) == (k["prefix"], k["suffix"])
    inside = k["start"] <= d["start"] and d["end"] <= k["end"]
    return same_frame or shared >= 2 or (inside and (d["prefix"] == k["prefix"] or d["suffix"] == k["suffix"]))


def _one_per_set(found: list[dict]) -> list[dict]:
    """One report per set of clauses: the structure with more items, then the stronger frame; in text order."""
    found = sorted(found, key=lambda d: (-d["n_items"], -_strength(d["prefix"] + d["middle"], d["suffix"]), d["start"]))
    kept: list[dict] = []
    for d in found:
        if not any(_same_structure(d, k) for k in kept):
            kept.append(d)
    kept.sort(key=lambda d: (d["start"], d["end"]))
    return kept


def parallel_structures(speech: Speech, *, min_items: int = 3, sections: Sections | None = None) -> pd.DataFrame:
    """Parallel structures (排比): three or more clauses that share a frame.

    Three scopes:

    * ``sentence``: consecutive clauses of one sentence (split at 、 ， ； or at ； alone),
      e.g. ``往深里走、往实里走、往心里走`` (frame ``往…里走``, varying 深/实/心),
      ``学出信仰、学出立场、学出方法``, ``事事带头、时时带头、处处带头``; the first clause may
      carry a lead-in (``推动学习新思想往深里走``). A frame is the common beginning
      and/or ending, at least two Chinese characters in all; a common middle is reported
      too (``…人才的…环境``, ``要做…的…人``).
    * ``paragraph``: sentences of one paragraph whose first clauses open the same way,
      e.g. ``树牢学的导向…树牢干的导向…树牢严的导向`` (frame ``树牢…的导向``).
    * ``paragraphs``: consecutive paragraphs that open the same way (enumeration markers
      such as ``一是``, ``（一）``, ``——`` are ignored).

    Ordinary openers (我们, 同时, 坚持, 推进 … alone) do not make a structure; the same
    clauses found at two levels are reported once (the structure with more items).

    Args:
        speech: the speech.
        min_items: the fewest clauses that make a structure.
        sections: the speech's sections (:func:`~analysis_utils.sections`); computed when ``None``.

    Returns:
        One row per structure, columns :data:`PARALLEL_COLUMNS`: ``frame`` (``…`` marks
        the varying slots), ``prefix``, ``middle``, ``suffix``, ``varying`` and ``items``
        (lists), ``n_items``, ``scope``, body offsets ``start``/``end``, the item offsets
        ``positions``, ``section``/``section_label``, ``paragraph``, ``sentence`` and the
        ``text`` spanned. In text order.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> par = parallel_structures(load_speech(SEED_SPEECH))
        >>> {"往…里走", "学出…", "树牢…的导向"} <= set(par.frame)
        True
    """
    kept = _one_per_set(_sentence_structures(speech, min_items) + _paragraph_structures(speech, min_items))
    df = pd.DataFrame(kept, columns=[c for c in PARALLEL_COLUMNS if c not in _LOCATION_COLUMNS])
    loc = locate(speech, df["start"].tolist(), df["end"].tolist(), sections=sections_of(speech, sections))
    for k in _LOCATION_COLUMNS:
        df[k] = pd.Series(loc[k], dtype=object if k == "section_label" else "int64")
    if df.empty:
        df = df.astype({"start": "int64", "end": "int64", "n_items": "int64"})
    return df[PARALLEL_COLUMNS].reset_index(drop=True)


def parallel_hits(speech: Speech, par: pd.DataFrame, *, sections: Sections) -> pd.DataFrame:
    """The structures of :func:`parallel_structures` as a hit table, one row each: ``slogan``
    the frame, ``detail`` the scope and the (shortened) varying parts."""
    rows = [
        (f, "parallel", int(s), int(e), f"{scope}: " + " / ".join(shorten(v, 12) for v in vs))
        for f, s, e, scope, vs in zip(par["frame"], par["start"], par["end"], par["scope"], par["varying"])
    ]
    return hit_table(speech, rows, sections=sections)
