"""Slogan counting (提法统计): the set formulations a speech is built from.

Five kinds, each found on ``speech.body`` and returned as a tidy table with body offsets
and the top-level outline section every hit falls in:

``number``
    Number slogans (数字化提法): ``四个意识``, ``三会一课``, ``一征三议两公开``,
    ``十四五``, quoted or not. Found by the patterns of :mod:`analysis_utils.numslogans`
    (the rules and what is *not* a slogan are documented there) together with the lexicon:
    a lexicon phrase that starts with a numeral is always a number slogan.
``quoted``
    Everything in “…”, ‘…’ or 「…」. ``detail`` says ``term`` (up to 16 characters, no
    sentence punctuation: “吃劲”, “三新”) or ``quotation`` (a saying or a sentence).
``title``
    Everything in 《…》 with a simple type in ``detail``: ``law`` (…法), ``regulation``
    (条例, 规定, 办法, 准则, 党章 …), ``plan`` (规划, 纲要, 计划, 方案), ``opinion`` (意见,
    建议), ``decision`` (决定, 决议, 公报), ``work`` (books and writings: 文选, 论…, 宣言 …),
    ``newspaper`` (人民日报, 求是, …报), ``other``.
``lexicon``
    The formulation lexicon (``data/lexicon.tsv`` plus the user's files) counted as exact
    substrings, regardless of how the tokeniser cuts the text. **Overlaps**: by default
    (``overlap="longest"``) every stretch of text counts once, for the longest lexicon
    phrase that covers it, leftmost first, the way a reader marks a formulation:
    ``党的十九大`` counts as ``党的十九大`` and *not also* as ``十九大``; a bare ``十九大``
    elsewhere counts as ``十九大``. With ``overlap="all"`` each phrase is counted wherever
    its characters occur (the newspaper method of :func:`~analysis_utils.substring_counts`:
    ``十九大`` inside ``党的十九大`` counts too), so nested phrases count twice.
    :func:`lexicon_missing` lists the entries that do not occur at all.
``parallel``
    Parallel structures (排比): three or more clauses sharing a frame (a common beginning
    and/or ending, sometimes a common middle), see :func:`parallel_structures`.

Every function takes a :class:`~analysis_utils.Speech`; :func:`slogan_hits` puts all kinds
in one table (one row per hit), :func:`slogan_counts` counts them (one row per slogan) and
:func:`slogan_matrix` makes a slogan × speech table for several speeches.

Example:
    >>> speech = load_speech("seeds/party_building_conference_speech.txt")
    >>> slogan_counts(speech, kinds=["number"]).head(3)  # doctest: +SKIP
      slogan    kind  count        detail sections positions
    0     三新  number      2        quoted   [1, 1]  [...]
"""
from __future__ import annotations

import os
import re
import statistics
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..plots.labels import shorten
from ..errors import SpeechError
from ..lexicon import load_lexicon
from ..slogans.number import number_slogan_spans
from ..speech import Speech

Kind = Literal["number", "quoted", "title", "lexicon", "parallel"]
#: The kinds, in the order tables list them.
KINDS: tuple[str, ...] = ("number", "quoted", "title", "lexicon", "parallel")
KIND_LABELS = {
    "number": "数字提法 number slogans",
    "quoted": "引号词语 quoted terms",
    "title": "书名号 titles",
    "lexicon": "词表提法 lexicon formulations",
    "parallel": "排比 parallel structures",
}
#: Columns of every hit table (one row per occurrence).
HIT_COLUMNS = ["slogan", "kind", "start", "end", "section", "section_label", "paragraph", "sentence", "detail", "context"]
#: Columns of :func:`slogan_counts` (one row per slogan).
COUNT_COLUMNS = ["slogan", "kind", "count", "detail", "sections", "positions"]
#: Columns of :func:`parallel_structures` (one row per structure).
PARALLEL_COLUMNS = [
    "frame", "prefix", "middle", "suffix", "varying", "items", "n_items", "scope", "start", "end",
    "positions", "section", "section_label", "paragraph", "sentence", "text",
]
TITLE_TYPES = {
    "law": "法律 law",
    "regulation": "法规 regulation",
    "plan": "规划 plan",
    "opinion": "意见 opinion",
    "decision": "决定 decision",
    "work": "著作 work",
    "newspaper": "报刊 newspaper",
    "other": "其他 other",
}
Overlap = Literal["longest", "all"]

# ------------------------------------------------------------------------- locating hits
_TITLE_LABEL = "标题 title"


def _sections(speech: Speech) -> pd.DataFrame:
    from ..outline import section_table

    return section_table(speech)


def _locate(speech: Speech, starts: Sequence[int], ends: Sequence[int]) -> dict[str, list]:
    """Section, section label, paragraph, sentence and context for each hit."""
    secs = _sections(speech)
    s_starts = secs["start"].to_numpy()
    s_ends = secs["end"].to_numpy()
    out: dict[str, list] = {"section": [], "section_label": [], "paragraph": [], "sentence": [], "context": []}
    for a, b in zip(starts, ends):
        i = int(np.searchsorted(s_starts, a, side="right")) - 1
        if i >= 0 and a < s_ends[i]:
            out["section"].append(int(secs["section"].iloc[i]))
            out["section_label"].append(str(secs["label"].iloc[i]))
        else:
            out["section"].append(-1)
            out["section_label"].append(_TITLE_LABEL)
        out["paragraph"].append(speech.paragraph_of(a))
        out["sentence"].append(speech.sentence_of(a))
        out["context"].append(_context(speech, a, b))
    return out


def _context(speech: Speech, start: int, end: int, width: int = 18) -> str:
    """The hit in its paragraph, marked 【…】, with up to ``width`` characters either side."""
    body = speech.body
    p = speech.paragraph_of(start) - 1
    ps, pe = speech.paragraph_spans[p] if speech.paragraph_spans else (0, len(body))
    a, b = max(ps, start - width), min(max(pe, end), end + width)
    left = ("…" if a > ps else "") + body[a:start]
    right = body[end:b] + ("…" if b < pe else "")
    hit = body[start:end]
    if len(hit) > 40:
        hit = hit[:18] + "…" + hit[-18:]
    return f"{left}【{hit}】{right}".replace("\n", " ")


def _hit_table(speech: Speech, rows: list[tuple[str, str, int, int, str]]) -> pd.DataFrame:
    """rows of (slogan, kind, start, end, detail) → a hit table in text order."""
    rows = sorted(rows, key=lambda r: (r[2], -(r[3] - r[2]), r[0]))
    df = pd.DataFrame(rows, columns=["slogan", "kind", "start", "end", "detail"])
    loc = _locate(speech, df["start"].tolist(), df["end"].tolist())
    for k, v in loc.items():
        df[k] = pd.Series(v, dtype=object if k in ("section_label", "context") else "int64")
    df["start"] = df["start"].astype("int64")
    df["end"] = df["end"].astype("int64")
    return df[HIT_COLUMNS].reset_index(drop=True)


# ----------------------------------------------------------------------------- lexicon
def _resolve_lexicon(lexicon) -> pd.DataFrame:
    """None → the bundled lexicon; a DataFrame → itself; path(s) → bundled + those files."""
    if lexicon is None:
        return load_lexicon()
    if isinstance(lexicon, pd.DataFrame):
        if "phrase" not in lexicon.columns:
            raise SpeechError("lexicon", "a lexicon table needs a 'phrase' column")
        df = lexicon.copy()
        for col in ("category", "note"):
            if col not in df.columns:
                df[col] = "user" if col == "category" else ""
        return df[["phrase", "category", "note"]].drop_duplicates("phrase").reset_index(drop=True)
    if isinstance(lexicon, (str, Path)):
        return load_lexicon(lexicon)
    return load_lexicon(*lexicon)


@lru_cache(maxsize=8)
def _automaton(phrases: tuple[str, ...]):
    import ahocorasick

    a = ahocorasick.Automaton()
    for p in phrases:
        a.add_word(p, p)
    a.make_automaton()
    return a


def _lexicon_spans(text: str, phrases: Iterable[str], overlap: Overlap) -> list[tuple[int, int, str]]:
    phrases = tuple(sorted({p for p in phrases if p}))
    if not phrases or not text:
        return []
    raw = [(end - len(p) + 1, end + 1, p) for end, p in _automaton(phrases).iter(text)]
    if overlap == "all":  # each phrase on its own, non-overlapping occurrences (like str.count)
        out, last = [], {}
        for s, e, p in sorted(raw):
            if s >= last.get(p, -1):
                out.append((s, e, p))
                last[p] = e
        return out
    if overlap != "longest":
        raise ValueError(f"overlap must be 'longest' or 'all', not {overlap!r}")
    raw.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out, end = [], -1
    for s, e, p in raw:
        if s >= end:
            out.append((s, e, p))
            end = e
    return out


def lexicon_hits(speech: Speech, *, lexicon=None, overlap: Overlap = "longest") -> pd.DataFrame:
    """Every occurrence of a lexicon formulation, counted as an exact substring.

    Args:
        speech: the speech.
        lexicon: ``None`` (the bundled lexicon), a DataFrame with a ``phrase`` column, or
            the path(s) of the user's own lexicon files (added to the bundled one).
        overlap: ``"longest"`` (default): each stretch of text counts once, for the longest
            phrase covering it (``党的十九大`` does not also count as ``十九大``); ``"all"``:
            each phrase wherever it occurs, nested ones included (newspaper method).

    Returns:
        A hit table (:data:`HIT_COLUMNS`); ``detail`` is the phrase's category.

    Example:
        >>> lexicon_hits(seed).slogan.value_counts().head(2)  # doctest: +SKIP
    """
    lex = _resolve_lexicon(lexicon)
    cat = dict(zip(lex["phrase"], lex["category"]))
    spans = _lexicon_spans(speech.body, lex["phrase"], overlap)
    return _hit_table(speech, [(p, "lexicon", s, e, cat.get(p, "")) for s, e, p in spans])


def lexicon_missing(speech: Speech, *, lexicon=None) -> pd.DataFrame:
    """The lexicon entries that do not occur in the speech at all (not even inside a
    longer phrase). Columns ``phrase, category, note``, sorted by category then phrase."""
    lex = _resolve_lexicon(lexicon)
    found = {p for _, _, p in _lexicon_spans(speech.body, lex["phrase"], "all")}
    out = lex[~lex["phrase"].isin(found)]
    return out.sort_values(["category", "phrase"], kind="mergesort").reset_index(drop=True)


# ------------------------------------------------------------------------ number slogans
_OPEN_Q, _CLOSE_Q = "“‘「『", "”’」』"


def number_slogans(speech: Speech, *, lexicon=None) -> pd.DataFrame:
    """Every number slogan (数字化提法) in the speech, whole.

    Args:
        speech: the speech.
        lexicon: as in :func:`lexicon_hits`; its phrases that start with a numeral are
            always number slogans.

    Returns:
        A hit table (:data:`HIT_COLUMNS`); ``detail`` is the rule that found the slogan
        (``lexicon, chained, five_year, numbered_set, quoted``), with ``, in quotes`` when
        the text quotes it.

    Example:
        >>> number_slogans(seed).slogan.tolist()[:3]  # doctest: +SKIP
        ['两委', '三新', '四个意识']
    """
    lex = _resolve_lexicon(lexicon)
    body = speech.body
    rows = []
    for s, e, w, rule in number_slogan_spans(body, lexicon=lex["phrase"]):
        quoted = s > 0 and body[s - 1] in _OPEN_Q and e < len(body) and body[e] in _CLOSE_Q
        rows.append((w, "number", s, e, rule + (", in quotes" if quoted and rule != "quoted" else "")))
    return _hit_table(speech, rows)


# ------------------------------------------------------------------ quoted terms, titles
_QUOTE_RES = [
    re.compile(r"“([^“”\n]{1,300})”"),
    re.compile(r"‘([^‘’\n]{1,300})’"),
    re.compile(r"「([^「」\n]{1,300})」"),
    re.compile(r"『([^『』\n]{1,300})』"),
]
_SENTENCE_PUNCT_RE = re.compile(r"[，。；！？：,;!?:]")
TERM_MAX_CHARS = 16


def quoted_terms(speech: Speech, *, max_chars: int | None = None) -> pd.DataFrame:
    """Everything the speech puts in “…”, ‘…’, 「…」 (and 『…』).

    Args:
        speech: the speech.
        max_chars: keep only quotes of at most this many characters (``None``: all).

    Returns:
        A hit table (:data:`HIT_COLUMNS`), ``slogan`` the text inside the marks;
        ``detail`` is ``term`` (at most 16 characters and no sentence punctuation) or
        ``quotation`` (a saying, a sentence). Offsets are those of the inner text.

    Example:
        >>> quoted_terms(seed).query("detail == 'term'").slogan.tolist()[:3]  # doctest: +SKIP
        ['两委', '三新', '四个意识']
    """
    rows = []
    for rx in _QUOTE_RES:
        for m in rx.finditer(speech.body):
            inner = m.group(1)
            if not inner.strip() or (max_chars is not None and len(inner) > max_chars):
                continue
            kind = "term" if len(inner) <= TERM_MAX_CHARS and not _SENTENCE_PUNCT_RE.search(inner) else "quotation"
            rows.append((inner, "quoted", m.start(1), m.end(1), kind))
    return _hit_table(speech, rows)


_NEWSPAPERS = ("人民日报", "光明日报", "经济日报", "解放军报", "求是", "红旗文稿", "学习时报", "中国青年报",
               "参考消息", "新华每日电讯", "环球时报", "学习强国")
_WORK_WORDS = ("选集", "文选", "文集", "全集", "年谱", "语录", "宣言", "论", "资本论", "诗经", "论语", "史记",
               "孟子", "大学", "中庸", "尚书", "礼记", "左传", "周易", "道德经", "孙子兵法", "传", "记", "诗",
               "词", "赋", "歌", "书", "经", "志", "集", "读本", "纲要（读本）", "问答")


def title_type(title: str) -> str:
    """The type of a 《》 title: law, regulation, plan, opinion, decision, work, newspaper, other.

    Example:
        >>> [title_type(t) for t in ("党政领导干部选拔任用条例", "中华人民共和国民法典", "人民日报")]
        ['regulation', 'law', 'newspaper']
    """
    t = re.sub(r"[（(][^（）()]*[)）]$", "", title.strip())  # 《…法（修正案）》, 《…（试行）》
    t = t.strip()
    if not t or set(t) <= set("×X○〇*＊ "):
        return "other"
    if t in _NEWSPAPERS or re.search(r"(日报|晚报|时报|周报|杂志|周刊|月刊|半月刊|学报)$", t) or (t.endswith("报") and len(t) <= 6 and not t.endswith(("公报", "通报", "报告"))):
        return "newspaper"
    if re.search(r"(公报|决定|决议)$", t):
        return "decision"
    if re.search(r"(意见|建议)$", t):
        return "opinion"
    if re.search(r"(规划|纲要|计划|方案|路线图|行动纲领)$", t):
        return "plan"
    if re.search(r"(条例|规定|办法|规则|细则|准则|守则|章程|规程|党章|规范|制度)$", t):
        return "regulation"
    if re.search(r"(法|法典|宪法|修正案)$", t) and not re.search(r"(方法|做法|办法|说法|想法|看法|兵法)$", t):
        return "law"
    if t in _WORK_WORDS or t.endswith(_WORK_WORDS) or t.startswith("论"):
        return "work"
    return "other"


def titles(speech: Speech) -> pd.DataFrame:
    """Everything the speech puts in 《…》: documents, laws, regulations, works, newspapers.

    Returns:
        A hit table (:data:`HIT_COLUMNS`), ``slogan`` the title without the marks and
        ``detail`` its type (:func:`title_type`; labels in :data:`TITLE_TYPES`).

    Example:
        >>> titles(seed)[["slogan", "detail"]].head(2)  # doctest: +SKIP
    """
    rows = []
    for m in re.finditer(r"《([^《》\n]{1,120})》", speech.body):
        inner = m.group(1).strip()
        if inner:
            rows.append((inner, "title", m.start(1), m.end(1), title_type(inner)))
    return _hit_table(speech, rows)


# ---------------------------------------------------------------- parallel structures
_HAN_RE = re.compile(r"[\u3400-\u9fff]")
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


def _han(s: str) -> int:
    return len(_HAN_RE.findall(s))


def _clauses(text: str, offset: int, rx: re.Pattern) -> list[tuple[str, int]]:
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
            if _han(m) < min(n, 1) or not _HAN_RE.search(m):
                continue
            if all(0 < v.find(m) and v.find(m) + n < len(v) for v in vs):
                return m
    return ""


def _strength(p: str, s: str) -> int:
    return _han(p) + _han(s)


@lru_cache(maxsize=1)
def _jieba():
    """A private jieba tokenizer (no global state), for word boundaries in lead-ins."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    t = jieba.Tokenizer()
    t.initialize()
    return t


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


def _trim_last(items: list[tuple[str, int]], p: str, s: str) -> list[tuple[str, int]]:
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


def _structure(items: list[tuple[str, int]], p: str, s: str, scope: str, body: str) -> dict:
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


def _runs(clauses: list[tuple[str, int]], level: int, min_items: int) -> list[tuple[list[tuple[str, int]], str, str]]:
    """Runs of consecutive clauses sharing a frame; the first may carry a lead-in."""
    max_var = _MAX_VARYING[level]
    out = []
    i, n = 0, len(clauses)
    while i < n - 1:
        best = None
        for j in range(i + 2, n):
            rest = [t for t, _ in clauses[i + 1: j + 1]]
            p, s = _frame(rest)
            vs = [_varying(t, p, s) for t in rest]
            if len(set(vs)) < len(vs) or max(len(v) for v in vs) > max_var or _strength(p, s) < 1:
                break
            if _strength(p, s) < 2 and not (level == 3 and j - i + 1 >= 4 and max(len(v) for v in vs) <= 3):
                continue  # a one-character frame only for tight lists: 稳就业、稳金融、稳外贸、稳外资
            if best is not None and _strength(p, s) < _strength(best[1], best[2]):
                break  # a longer run with a weaker frame is another structure (教育强国…健康中国)
            fit = _fit_first(clauses[i][0], p, s, vs, max_var)
            if fit is None or (j - i + 1) < min_items:
                continue
            k, v = fit
            if v in vs:
                continue
            first = (clauses[i][0][k:], clauses[i][1] + k)
            items = _trim_last([first] + clauses[i + 1: j + 1], p, s)
            vs_all = [len(_varying(t, p, s)) for t, _ in items]
            if max(vs_all) > 3 * min(vs_all) + 3:  # unbalanced: not a parallel
                continue
            best = (items, p, s)
        if best:
            out.append(best)
            i += len(best[0])
        else:
            i += 1
    return out


def _groups_by_opening(clauses: list[tuple[str, int]], min_items: int, max_var: int, *, consecutive: bool):
    """Clauses that open with the same two or more characters (anaphora)."""
    out = []
    if consecutive:
        i = 0
        while i < len(clauses):
            j = i + 1
            while j < len(clauses) and _han(_common_prefix([t for t, _ in clauses[i: j + 1]])) >= 2:
                j += 1
            if j - i >= min_items:
                out.append(clauses[i:j])
            i = max(j, i + 1)
    else:
        keys: dict[str, list[tuple[str, int]]] = {}
        for c in clauses:
            if _han(c[0][:2]) == 2:
                keys.setdefault(c[0][:2], []).append(c)
        out = [g for g in keys.values() if len(g) >= min_items]
    groups = []
    for g in out:
        if consecutive:  # odd members at the ends may weaken the frame: keep the longest strongest run
            subs = [g[a:b] for a in range(len(g)) for b in range(a + min_items, len(g) + 1)]
            top = max(_strength(*_frame([t for t, _ in h])) for h in subs)
            g = max((h for h in subs if _strength(*_frame([t for t, _ in h])) >= top - 1), key=len)
        texts = [t for t, _ in g]
        p, s = _frame(texts)
        if _han(p) < 2 or p.strip("，、；：") in _PLAIN_OPENERS or p in _PLAIN_OPENERS:
            continue
        vs = [_varying(t, p, s) for t in texts]
        if len(set(vs)) < len(vs):
            continue
        if max(len(v) for v in vs) > max_var:  # keep the opening only: cut long varying parts at the frame
            s = ""
        groups.append((g, p, s))
    return groups


def _overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def parallel_structures(speech: Speech, *, min_items: int = 3) -> pd.DataFrame:
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

    Returns:
        One row per structure, columns :data:`PARALLEL_COLUMNS`: ``frame`` (``…`` marks
        the varying slots), ``prefix``, ``middle``, ``suffix``, ``varying`` and ``items``
        (lists), ``n_items``, ``scope``, body offsets ``start``/``end``, the item offsets
        ``positions``, ``section``/``section_label``, ``paragraph``, ``sentence`` and the
        ``text`` spanned. In text order.

    Example:
        >>> par = parallel_structures(seed)
        >>> "往…里走" in set(par.frame)  # doctest: +SKIP
        True
    """
    body = speech.body
    found: list[dict] = []
    # within sentences
    for a, b in speech.sentence_spans:
        text = body[a:b]
        for level in (1, 2, 3):
            clauses = _clauses(text, a, _LEVEL_SPLIT[level])
            if len(clauses) < min_items:
                continue
            for items, p, s in _runs(clauses, level, min_items):
                found.append(_structure(items, p, s, "sentence", body))
    # across the sentences of a paragraph, and across paragraphs
    firsts_of_paragraphs = []
    sent_starts = [s for s, _ in speech.sentence_spans]
    for ps, pe in speech.paragraph_spans:
        firsts = []
        lo = int(np.searchsorted(sent_starts, ps, side="left"))
        for a, b in speech.sentence_spans[lo:]:
            if a >= pe:
                break
            cl = _clauses(body[a:b], a, _LEVEL_SPLIT[2])
            if cl:
                firsts.append(cl[0])
        if len(firsts) >= min_items:
            for items, p, s in _groups_by_opening(firsts, min_items, _MAX_VARYING[2], consecutive=False):
                found.append(_structure(items, p, s, "paragraph", body))
        if firsts:
            firsts_of_paragraphs.append(firsts[0])
    for items, p, s in _groups_by_opening(firsts_of_paragraphs, min_items, _MAX_VARYING[2], consecutive=True):
        found.append(_structure(items, p, s, "paragraphs", body))
    # one report per set of clauses: the structure with more items, then the stronger frame
    found.sort(key=lambda d: (-d["n_items"], -_strength(d["prefix"] + d["middle"], d["suffix"]), d["start"]))
    kept: list[dict] = []
    for d in found:
        dup = False
        for k in kept:
            if not _overlaps(d, k):
                continue
            shared = len(set(d["positions"]) & set(k["positions"]))
            same_frame = (d["prefix"], d["suffix"]) == (k["prefix"], k["suffix"])
            if same_frame or shared >= 2 or (k["start"] <= d["start"] and d["end"] <= k["end"] and (d["prefix"] == k["prefix"] or d["suffix"] == k["suffix"])):
                dup = True
                break
        if not dup:
            kept.append(d)
    kept.sort(key=lambda d: (d["start"], d["end"]))
    df = pd.DataFrame(kept, columns=[c for c in PARALLEL_COLUMNS if c not in ("section", "section_label", "paragraph", "sentence")])
    loc = _locate(speech, df["start"].tolist(), df["end"].tolist())
    for k in ("section", "section_label", "paragraph", "sentence"):
        df[k] = pd.Series(loc[k], dtype=object if k == "section_label" else "int64")
    if df.empty:
        df = df.astype({"start": "int64", "end": "int64", "n_items": "int64"})
    return df[PARALLEL_COLUMNS].reset_index(drop=True)


def _parallel_as_hits(speech: Speech, par: pd.DataFrame) -> pd.DataFrame:
    rows = [
        (f, "parallel", int(s), int(e), f"{scope}: " + " / ".join(shorten(v, 12) for v in vs))
        for f, s, e, scope, vs in zip(par["frame"], par["start"], par["end"], par["scope"], par["varying"])
    ]
    return _hit_table(speech, rows)




# ------------------------------------------------------------------------ all kinds
def _check_kinds(kinds) -> list[str]:
    if isinstance(kinds, str):
        kinds = [kinds]
    kinds = list(kinds)
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise SpeechError("kind", f"unknown slogan kind(s) {', '.join(map(str, bad))}; choose from {', '.join(KINDS)}")
    return [k for k in KINDS if k in kinds]


def slogan_hits(speech: Speech, *, kinds: Iterable[str] | str = KINDS, lexicon=None, overlap: Overlap = "longest") -> pd.DataFrame:
    """All hits of the chosen kinds in one table (:data:`HIT_COLUMNS`), in text order.

    A parallel structure is one row (``slogan`` its frame, ``detail`` its scope and
    varying parts). ``kinds`` is any of :data:`KINDS`.

    Example:
        >>> slogan_hits(seed, kinds=["number", "title"]).kind.value_counts()  # doctest: +SKIP
    """
    kinds = _check_kinds(kinds)
    parts = []
    for k in kinds:
        if k == "number":
            parts.append(number_slogans(speech, lexicon=lexicon))
        elif k == "quoted":
            parts.append(quoted_terms(speech))
        elif k == "title":
            parts.append(titles(speech))
        elif k == "lexicon":
            parts.append(lexicon_hits(speech, lexicon=lexicon, overlap=overlap))
        elif k == "parallel":
            parts.append(_parallel_as_hits(speech, parallel_structures(speech)))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return _hit_table(speech, [])
    df = pd.concat(parts, ignore_index=True)
    order = {k: i for i, k in enumerate(KINDS)}
    df = df.assign(_k=df["kind"].map(order)).sort_values(["start", "_k", "end"], kind="mergesort")
    return df.drop(columns="_k").reset_index(drop=True)


def slogan_counts(
    speech: Speech | pd.DataFrame,
    *,
    kinds: Iterable[str] | str = KINDS,
    lexicon=None,
    overlap: Overlap = "longest",
) -> pd.DataFrame:
    """How often each slogan occurs: one row per (slogan, kind).

    Args:
        speech: a speech, or a hit table from :func:`slogan_hits` (then ``kinds`` filters it).
        kinds, lexicon, overlap: as in :func:`slogan_hits`.

    Returns:
        Columns :data:`COUNT_COLUMNS`: ``count``; ``detail`` (the rule, type, category or
        varying parts of the first hit); ``sections`` (sorted section numbers the hits fall
        in, 0 = opening, -1 = title block) and ``positions`` (body offsets), both lists.
        Sorted by kind (:data:`KINDS` order), count descending, then slogan.

    Example:
        >>> slogan_counts(seed, kinds="number").head(2)  # doctest: +SKIP
          slogan    kind  count  detail sections     positions
        0     三新  number      2  quoted   [1, 1]  [386, 634]
    """
    kinds = _check_kinds(kinds)
    hits = speech if isinstance(speech, pd.DataFrame) else slogan_hits(speech, kinds=kinds, lexicon=lexicon, overlap=overlap)
    hits = hits[hits["kind"].isin(kinds)]
    rows = []
    for (slogan, kind), g in hits.groupby(["slogan", "kind"], sort=False):
        rows.append((slogan, kind, len(g), str(g["detail"].iloc[0]), sorted(set(int(x) for x in g["section"])), [int(x) for x in g["start"]]))
    df = pd.DataFrame(rows, columns=COUNT_COLUMNS)
    if df.empty:
        return df.astype({"count": "int64"})
    order = {k: i for i, k in enumerate(KINDS)}
    df = df.assign(_k=df["kind"].map(order), _c=-df["count"])
    df = df.sort_values(["_k", "_c", "slogan"], kind="mergesort").drop(columns=["_k", "_c"])
    return df.reset_index(drop=True)


def slogan_matrix(
    speeches: Iterable[Speech | str | Path],
    *,
    kinds: Iterable[str] | str = KINDS,
    lexicon=None,
    overlap: Overlap = "longest",
) -> pd.DataFrame:
    """A slogan × speech table: which speech uses which formulation, how often.

    Returns:
        Columns ``slogan, kind, total, speeches`` (how many speeches use it), then one
        count column per speech named by its id, in the order given. Sorted by kind,
        total descending, then slogan.

    Example:
        >>> slogan_matrix(["cpc20_report.txt", "gwr_2022_crlf.txt"], kinds="number")  # doctest: +SKIP
    """
    from ..reading import load_speech

    kinds = _check_kinds(kinds)
    lex = _resolve_lexicon(lexicon)
    counts, ids = [], []
    for sp in speeches:
        speech = sp if isinstance(sp, Speech) else load_speech(sp)
        sid = speech.id
        while sid in ids:
            sid += "_"
        ids.append(sid)
        c = slogan_counts(speech, kinds=kinds, lexicon=lex, overlap=overlap)
        counts.append(c.assign(speech=sid)[["slogan", "kind", "speech", "count"]])
    return matrix_from_counts(counts, ids)


def matrix_from_counts(counts: list[pd.DataFrame], ids: list[str]) -> pd.DataFrame:
    """The slogan × speech table from per-speech count tables (columns ``slogan, kind,
    speech, count``): ``slogan, kind, total, speeches`` then one column per id, in order;
    sorted by kind, total descending, then slogan."""
    cols = ["slogan", "kind", "total", "speeches", *ids]
    if not counts or all(c.empty for c in counts):
        return pd.DataFrame(columns=cols)
    long = pd.concat(counts, ignore_index=True)
    wide = long.pivot_table(index=["slogan", "kind"], columns="speech", values="count", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=ids, fill_value=0).astype("int64").reset_index()
    wide.columns.name = None
    wide["total"] = wide[ids].sum(axis=1)
    wide["speeches"] = (wide[ids] > 0).sum(axis=1)
    order = {k: i for i, k in enumerate(KINDS)}
    wide = wide.assign(_k=wide["kind"].map(order), _t=-wide["total"])
    wide = wide.sort_values(["_k", "_t", "slogan"], kind="mergesort").drop(columns=["_k", "_t"])
    return wide[cols].reset_index(drop=True)


def combine_hits(*tables: pd.DataFrame) -> pd.DataFrame:
    """Hit tables stacked, each occurrence once: a stretch of text found by two kinds (a
    number slogan that is also a lexicon phrase) keeps the row of the first table given.
    In text order.

    Example:
        >>> over = combine_hits(number_slogans(seed), lexicon_hits(seed))  # doctest: +SKIP
    """
    parts = [t for t in tables if t is not None and not t.empty]
    if not parts:
        return tables[0].iloc[0:0] if tables else pd.DataFrame(columns=HIT_COLUMNS)
    df = pd.concat(parts, ignore_index=True).drop_duplicates(["slogan", "start", "end"], keep="first")
    return df.sort_values(["start", "end"], kind="mergesort").reset_index(drop=True)


def slogans_by_section(speech: Speech, hits: pd.DataFrame, *, top: int | None = None) -> pd.DataFrame:
    """Slogan × section counts (long table) for a heatmap of which part uses which slogan.

    Args:
        speech: the speech (its sections come from the outline, see
            :func:`analysis_utils.terms.section_table`).
        hits: a hit table (:func:`slogan_hits` or one kind's function).
        top: keep the ``top`` most frequent slogans (``None``: all).

    Returns:
        Columns ``slogan, kind, section, label, count`` with a row for every (slogan,
        section) pair, zeros included; slogans by total count, sections in speech order.
    """
    secs = _sections(speech)
    totals = hits.groupby(["slogan", "kind"], sort=False).size().reset_index(name="n")
    totals = totals.sort_values(["n", "slogan"], ascending=[False, True], kind="mergesort")
    if top is not None:
        totals = totals.head(top)
    c = hits.groupby(["slogan", "kind", "section"]).size()
    rows = []
    for slogan, kind in zip(totals["slogan"], totals["kind"]):
        for sec, label in zip(secs["section"], secs["label"]):
            rows.append((slogan, kind, int(sec), label, int(c.get((slogan, kind, sec), 0))))
    return pd.DataFrame(rows, columns=["slogan", "kind", "section", "label", "count"])


# --------------------------------------------------------------------- evaluation
def evaluate_against(found: pd.DataFrame | dict, gold: dict[str, int]) -> dict[str, float | int]:
    """Precision and recall of found slogan counts against a hand-marked gold list.

    An occurrence is a true positive when the same slogan was marked as often:
    ``tp = Σ min(found[s], gold[s])``, ``precision = tp / Σ found``, ``recall = tp / Σ gold``.

    Args:
        found: a table with ``slogan`` and ``count`` columns, or a dict slogan → count.
        gold: slogan → count as marked by hand.

    Returns:
        ``{"tp", "found", "gold", "precision", "recall"}``.
    """
    if isinstance(found, pd.DataFrame):
        found = found.groupby("slogan")["count"].sum().to_dict()
    tp = sum(min(int(found.get(s, 0)), int(n)) for s, n in gold.items())
    nf, ng = int(sum(found.values())), int(sum(gold.values()))
    return {
        "tp": tp, "found": nf, "gold": ng,
        "precision": round(tp / nf, 4) if nf else 1.0,
        "recall": round(tp / ng, 4) if ng else 1.0,
    }
