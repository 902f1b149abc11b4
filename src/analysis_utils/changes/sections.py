"""The outlines of two texts matched part by part, across renumbering and rewording.

Each text's top-level parts come from :func:`~analysis_utils.sections` (opening, numbered
sections, an unnumbered part, closing). Two parts match by what they say and what they are
called: the **content** score is the share of their characters in sentences paired between
them (:mod:`.align`, weighted by each pair's similarity), the **heading** score the similarity of
their headings without the number (``十一、加强…`` and ``十三、加强…`` read alike). The best
pairs are taken first; the opening pairs with the opening and the closing with the closing.

Status: ``new``/``dropped`` for an unmatched part, ``moved`` when a matched part left the order
of the others, ``same`` when its heading is unchanged and its content nearly so, else ``changed``.

Example:
    >>> strip_marker("十一、加强党的建设"), strip_marker("（三）扩大内需"), strip_marker("第二部分：改革")
    ('加强党的建设', '扩大内需', '改革')
"""
from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
import pandas as pd

from ..outline.parts import Sections
from ..speech import Speech
from ..text import HAN_RE
from .align import Pair, _in_order, reading_order, similarity

#: Columns of :attr:`Diff.sections`.
SECTION_DIFF_COLUMNS = ["status", "old_rank", "new_rank", "old_heading", "new_heading", "similarity",
                        "heading_similarity", "content_similarity", "old_chars", "new_chars", "old_share",
                        "new_share", "share_change", "old_start", "old_end", "new_start", "new_end"]
#: Least combined score for two parts to match.
SECTION_THRESHOLD = 0.2
#: Content similarity at or above which a part with the same heading is ``same``.
SAME_CONTENT = 0.95
_MARKER_RE = re.compile(r"^\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]"
                        r"|第[一二三四五六七八九十]+(?:部分|个问题|章)[：:，、]?\s*|（未编号部分）)")
_FRAMES = {"开头 opening": "opening", "结尾 closing": "closing", "全文 whole text": "whole"}


def strip_marker(heading: str) -> str:
    """A heading without its number (``十一、``, ``（三）``, ``3.``, ``第二部分：``)."""
    return _MARKER_RE.sub("", heading, count=1).strip()


def _frame(label: str) -> str | None:
    return _FRAMES.get(label)


def _content_links(sentences: pd.DataFrame, n_old: int, n_new: int) -> np.ndarray:
    """Characters of paired sentences linking old part ``i`` to new part ``j`` (similarity-weighted)."""
    w = np.zeros((n_old, n_new))
    paired = sentences[sentences["old_part"].ge(0) & sentences["new_part"].ge(0)]
    for i, j, sim, a, b in zip(paired["old_part"], paired["new_part"], paired["similarity"],
                               paired["old_chars"], paired["new_chars"]):
        w[int(i), int(j)] += float(sim) * (a + b)
    return w


def _bigrams(text: str) -> Counter[str]:
    han = "".join(HAN_RE.findall(text))
    return Counter(han[k:k + 2] for k in range(len(han) - 1))


def vocabulary_similarity(old_texts: list[str], new_texts: list[str]) -> np.ndarray:
    """Cosine similarity of the parts' Chinese character bigrams, weighted by how few parts use
    each bigram (tf-idf over the parts of both texts): what two parts are about, however worded.

    Example:
        >>> vocabulary_similarity(["发展文化事业和文化产业"], ["繁荣文化事业和文化产业", "加强国防建设"]).round(2).tolist()
        [[0.46, 0.0]]
    """
    counts = [_bigrams(t) for t in old_texts + new_texts]
    df = Counter(g for c in counts for g in c)
    n = len(counts)
    vecs = []
    for c in counts:
        v = {g: k * math.log((1 + n) / (1 + df[g])) + k * 1e-3 for g, k in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({g: x / norm for g, x in v.items()})
    old_v, new_v = vecs[:len(old_texts)], vecs[len(old_texts):]
    out = np.zeros((len(old_v), len(new_v)))
    for i, a in enumerate(old_v):
        for j, b in enumerate(new_v):
            small, big = (a, b) if len(a) < len(b) else (b, a)
            out[i, j] = sum(x * big.get(g, 0.0) for g, x in small.items())
    return out


def _scores(old_t: pd.DataFrame, new_t: pd.DataFrame, links: np.ndarray, vocab: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Content, heading and combined scores of every (old part, new part): content is the larger of
    the paired-sentence share and the vocabulary similarity."""
    sizes = old_t["han_chars"].to_numpy(float)[:, None] + new_t["han_chars"].to_numpy(float)[None, :]
    content = np.maximum(np.divide(links, sizes, out=np.zeros_like(links), where=sizes > 0), vocab)
    heads = np.zeros_like(links)
    for i, a in enumerate(old_t["label"]):
        for j, b in enumerate(new_t["label"]):
            fa, fb = _frame(a), _frame(b)
            if fa or fb:
                heads[i, j] = 1.0 if fa == fb else 0.0
            else:
                heads[i, j] = similarity(strip_marker(a), strip_marker(b))
    return content, heads, 0.7 * content + 0.3 * heads


def _frames_clash(a: str, b: str) -> bool:
    """An opening never pairs with a numbered section or the closing (and so on)."""
    return _frame(a) != _frame(b)


def _match(old_t: pd.DataFrame, new_t: pd.DataFrame, score: np.ndarray) -> dict[int, int]:
    """Best-first matching: new part position → old part position."""
    cand = [(-score[i, j], i, j) for i in range(len(old_t)) for j in range(len(new_t))
            if score[i, j] >= SECTION_THRESHOLD and not _frames_clash(old_t["label"].iat[i], new_t["label"].iat[j])]
    out: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in sorted(cand):
        if j not in out and i not in taken:
            out[j] = i
            taken.add(i)
    return out


def section_diff(old: Speech, new: Speech, old_secs: Sections, new_secs: Sections, sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per part of either text (:data:`SECTION_DIFF_COLUMNS`), in new order, dropped parts
    after the part before them.

    ``sentences`` holds, per sentence row, ``old_part``/``new_part`` (row positions in each
    sections table, -1 for none), ``similarity`` and ``old_chars``/``new_chars`` (Chinese characters).
    ``old_rank``/``new_rank`` are the part's place in its outline (0 = opening); ``*_share`` its
    share of the text's Chinese characters; ``share_change`` in percentage points.
    """
    old_t, new_t = old_secs.table.reset_index(drop=True), new_secs.table.reset_index(drop=True)
    links = _content_links(sentences, len(old_t), len(new_t))
    vocab = vocabulary_similarity([old.body[a:b] for a, b in zip(old_t["start"], old_t["end"])],
                                  [new.body[a:b] for a, b in zip(new_t["start"], new_t["end"])])
    content, heads, score = _scores(old_t, new_t, links, vocab)
    match = _match(old_t, new_t, score)
    steady = _in_order([(match[j], j) for j in sorted(match)])
    rows = []
    for j in range(len(new_t)):
        if j not in match:
            rows.append(Pair(None, j, "new", None))
            continue
        i = match[j]
        same = strip_marker(old_t["label"].iat[i]) == strip_marker(new_t["label"].iat[j]) and content[i, j] >= SAME_CONTENT
        moved = (i, j) not in steady
        rows.append(Pair(i, j, "moved" if moved else ("same" if same else "changed"), round(float(score[i, j]), 4), moved))
    totals = (max(1, old.han_chars), max(1, new.han_chars))
    out = []
    for p in reading_order(rows, len(old_t)):
        o = old_t.iloc[p.old] if p.old is not None else None
        n = new_t.iloc[p.new] if p.new is not None else None
        old_share = round(100 * o["han_chars"] / totals[0], 2) if o is not None else 0.0
        new_share = round(100 * n["han_chars"] / totals[1], 2) if n is not None else 0.0
        both = p.old is not None and p.new is not None
        out.append({
            "status": p.status,
            "old_rank": int(o["section"]) if o is not None else None,
            "new_rank": int(n["section"]) if n is not None else None,
            "old_heading": o["label"] if o is not None else None,
            "new_heading": n["label"] if n is not None else None,
            "similarity": p.similarity,
            "heading_similarity": round(float(heads[p.old, p.new]), 4) if both else None,
            "content_similarity": round(float(content[p.old, p.new]), 4) if both else None,
            "old_chars": int(o["han_chars"]) if o is not None else 0,
            "new_chars": int(n["han_chars"]) if n is not None else 0,
            "old_share": old_share, "new_share": new_share, "share_change": round(new_share - old_share, 2),
            "old_start": int(o["start"]) if o is not None else None, "old_end": int(o["end"]) if o is not None else None,
            "new_start": int(n["start"]) if n is not None else None, "new_end": int(n["end"]) if n is not None else None,
        })
    df = pd.DataFrame(out, columns=SECTION_DIFF_COLUMNS)
    return df.astype({"old_rank": "Int64", "new_rank": "Int64", "old_start": "Int64", "old_end": "Int64",
                      "new_start": "Int64", "new_end": "Int64"})
