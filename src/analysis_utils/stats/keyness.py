"""Keyness: which words a speech uses more (or less) than a reference does.

The reference is another speech, a folder of speeches, or the reference frequency list
shipped with the package (``data/reference_freq.tsv``, built from the development corpus by
:func:`build_reference_frequencies`; rebuild it with
``python -m analysis_utils.build_reference [CORPUS_DIR]``).

Two measures, as in corpus linguistics (and quanteda's ``textstat_keyness``):

* ``g2``: Dunning's log-likelihood, Rayson's formula for two corpora
  ``G² = 2 Σ O ln(O / E)`` with ``E₁ = c (a + b) / (c + d)`` and ``E₂ = d (a + b) / (c + d)``
  (a, b: the term's counts; c, d: counted tokens in target and reference), signed: positive
  when the term is relatively more frequent in the target. ``p`` is its chi-square (1 df)
  p-value. G² says how sure we are that there is a difference.
* ``log_ratio``: Hardie's binary log ratio ``log2((a / c) / (b / d))``, a zero count
  replaced by 0.5. It says how big the difference is: +1 = twice as frequent in the
  target, -1 = half as frequent. With a zero count it is only an estimate: for a very
  short target, a word it lacks can even get a positive log ratio (0.5 / c exceeds b / d);
  ``direction`` follows G².

Example:
    >>> tok = Tokenizer()  # doctest: +SKIP
    >>> seed = load_speech("seeds/party_building_conference_speech.txt")  # doctest: +SKIP
    >>> keyness(tok.tokens(seed), speech=seed, tokenizer=tok).head(3)  # doctest: +SKIP
      term  count_target  count_reference  per_10k_target  per_10k_reference     g2  log_ratio             p direction
    0   党建            13               18           42.88               0.50  79.59      6.254  4.604137e-19    target
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jieba
import pandas as pd

from ..config import DATA_DIR, LEXICON_FILE, STOPWORDS_FILE
from ..errors import SpeechError
from ..slogans import find_number_slogans
from ..speech import Speech
from ..stats.frequency import (
    CONTENT_POS,
    FORMULATION_ORIGINS,
    PER,
    _han_of_tokens,
    _resolve_stopwords,
    counted_mask,
    word_mask,
)
from ..reading import speech_files

#: The shipped reference frequency list (term<TAB>count, documented in its header).
REFERENCE_FREQ_FILE = DATA_DIR / "reference_freq.tsv"
KEYNESS_COLUMNS = ["term", "count_target", "count_reference", "per_10k_target", "per_10k_reference",
                   "g2", "log_ratio", "p", "direction"]
#: Terms kept in the shipped list: count >= this over the whole corpus.
REFERENCE_MIN_COUNT = 2


@dataclass(frozen=True)
class Frequencies:
    """Word counts of a body of text, before any stopword/POS/length filter.

    ``counts`` holds every word token (placeholders, punctuation and digits-only tokens left
    out); ``formulations`` the words that came from the lexicon or a number slogan;
    ``tags`` each word's most frequent tag when known; ``total`` all word tokens (may
    exceed ``counts.sum()`` when rare words were dropped from a shipped list);
    ``sources`` maps a text's fingerprint to its own counts when known (so a target that is
    part of the reference can be taken out of it).
    """

    counts: pd.Series
    han_chars: int
    total: int
    formulations: frozenset[str] = frozenset()
    tags: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    description: str = ""


def fingerprint(speech: Speech) -> str:
    """SHA-1 (first 16 hex digits) of the speech's text as decoded: names a source text."""
    return hashlib.sha1(speech.raw.encode("utf-8")).hexdigest()[:16]


def _frequencies_from_tokens(tokens: pd.DataFrame, han_chars: int | None = None, description: str = "") -> Frequencies:
    words = tokens.loc[word_mask(tokens)]
    counts = words["token"].astype(str).value_counts().sort_index()
    tags = (words.groupby(["token", "pos"]).size().reset_index(name="n")
            .sort_values(["token", "n", "pos"], ascending=[True, False, True], kind="mergesort")
            .drop_duplicates("token").set_index("token")["pos"].to_dict())
    form = frozenset(words.loc[words["origin"].isin(FORMULATION_ORIGINS), "token"].astype(str))
    han = han_chars if han_chars is not None else _han_of_tokens(tokens)
    return Frequencies(counts, int(han), int(len(words)), form, tags, {}, description)


def speech_frequencies(speeches: Iterable[Speech | str | Path], *, tokenizer=None) -> Frequencies:
    """Unfiltered word counts over several speeches (loaded and tokenised here)."""
    from ..reading import load_speech
    from ..tokenizer import Tokenizer

    tok = tokenizer or Tokenizer()
    counts: Counter = Counter()
    tag_counts: Counter = Counter()
    form: set[str] = set()
    han = total = 0
    sources = {}
    names = []
    for sp in speeches:
        speech = sp if isinstance(sp, Speech) else load_speech(sp)
        f = _frequencies_from_tokens(tok.tokens(speech), speech.han_chars)
        counts.update(f.counts.to_dict())
        for t, g in f.tags.items():
            tag_counts[(t, g)] += int(f.counts[t])
        form |= f.formulations
        han += f.han_chars
        total += f.total
        sources[fingerprint(speech)] = (speech.path.name, f.han_chars, f.total, f.counts)
        names.append(speech.path.name)
    if not names:
        raise SpeechError(None, "no reference speeches given")
    tags: dict = {}
    for (t, g), n in sorted(tag_counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
        tags.setdefault(t, g)
    series = pd.Series(counts, dtype="int64").sort_index() if counts else pd.Series(dtype="int64")
    desc = names[0] if len(names) == 1 else f"{len(names)} speeches"
    return Frequencies(series, han, total, frozenset(form), tags, sources, desc)


# --------------------------------------------------------------- the shipped list
def build_reference_frequencies(paths: Iterable[str | Path], *, tokenizer=None) -> tuple[pd.DataFrame, dict]:
    """Count every word of the given speeches with the package's own tokeniser.

    Counted: every token except placeholders, punctuation and digits-only tokens.
    Stopwords, function words and one-character words are kept, so that
    :func:`keyness` can apply the same filters to the reference as to the target.

    Returns:
        ``(table, info)``: ``table`` with columns ``term, count`` (all words, sorted by
        count descending then term); ``info`` with ``total_tokens``, ``han_chars`` and
        ``sources`` (file name, fingerprint, Chinese characters, word tokens per text).
    """
    from ..tokenizer import Tokenizer

    tok = tokenizer or Tokenizer()
    f = speech_frequencies(sorted(Path(p) for p in paths), tokenizer=tok)
    table = f.counts.rename_axis("term").reset_index(name="count")
    table = table.sort_values(["count", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    info = {
        "total_tokens": f.total,
        "han_chars": f.han_chars,
        "sources": [(name, fp, han, total) for fp, (name, han, total, _) in f.sources.items()],
        "lexicon_phrases": len(tok.lexicon),
        "jieba": jieba.__version__,
        "per_source_counts": {fp: c for fp, (_, _, _, c) in f.sources.items()},
    }
    return table, info


def _file_sha(path: Path) -> str:
    try:
        return hashlib.sha1(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        return "missing"


def write_reference_frequencies(
    paths: Iterable[str | Path],
    out: str | Path = REFERENCE_FREQ_FILE,
    *,
    min_count: int = REFERENCE_MIN_COUNT,
    tokenizer=None,
    corpus_note: str = "",
) -> Path:
    """Build the reference list from ``paths`` and write it as ``term<TAB>count`` with a
    header saying exactly how it was computed. Only aggregated counts are written."""
    paths = list(paths)
    table, info = build_reference_frequencies(paths, tokenizer=tokenizer)
    kept = table.loc[table["count"] >= min_count]
    today = _dt.date.today().isoformat()
    head = [
        "# analysis_utils 参照词频表 · reference frequency list for keyness (analysis_utils.keyness)",
        f"# built: {today} by analysis_utils.keyness.write_reference_frequencies"
        " (rebuild: python -m analysis_utils.build_reference [CORPUS_DIR])",
        f"# texts: {len(info['sources'])} speeches{(' — ' + corpus_note) if corpus_note else ''};"
        " only aggregated counts are stored here, never the texts",
        "# tokenizer: analysis_utils.Tokenizer() defaults: bundled lexicon"
        f" ({info['lexicon_phrases']} phrases kept whole, lexicon.tsv sha1 {_file_sha(LEXICON_FILE)}),"
        f" stopwords.txt words added to jieba's dictionary (sha1 {_file_sha(STOPWORDS_FILE)}),"
        f" number slogans detected, jieba {info['jieba']} with HMM, applied to each speech's cleaned body (load_speech)",
        "# counted: every token except placeholders (×, ×××, XX …), punctuation and digits-only numbers;"
        " stopwords, function words and one-character words are KEPT so keyness can filter both sides alike",
        f"# kept: terms with count >= {min_count} ({len(kept)} of {len(table)} distinct terms);"
        " total_tokens and han_chars cover everything, rare terms included",
        f"# total_tokens: {info['total_tokens']}",
        f"# han_chars: {info['han_chars']}",
        "# source lines: file name, fingerprint (sha1 of the decoded text, 16 hex), Chinese characters, word tokens",
    ]
    head += [f"# source: {name}\t{fp}\t{han}\t{total}" for name, fp, han, total in sorted(info["sources"])]
    lines = head + ["term\tcount"] + [f"{t}\t{c}" for t, c in zip(kept["term"], kept["count"])]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(out)
    return out


def load_reference_frequencies(path: str | Path = REFERENCE_FREQ_FILE) -> Frequencies:
    """Read a reference list written by :func:`write_reference_frequencies` (or any
    ``term<TAB>count`` file; without a ``# total_tokens:`` header line the total is the
    sum of the counts, without ``# han_chars:`` the Chinese characters of the terms times
    their counts)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SpeechError(path, "no such reference frequency list") from None
    except UnicodeDecodeError as e:
        raise SpeechError(path, f"a frequency list must be UTF-8 ({e.reason} at byte {e.start})") from None
    counts: dict[str, int] = {}
    total = han = None
    sources = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            key, _, value = line[1:].strip().partition(":")
            if key == "total_tokens":
                total = int(value)
            elif key == "han_chars":
                han = int(value)
            elif key == "source":
                parts = value.strip().split("\t")
                if len(parts) >= 4:
                    sources[parts[1]] = (parts[0], int(parts[2]), int(parts[3]), None)
            continue
        parts = line.split("\t")
        if parts[0] == "term" and len(parts) > 1 and parts[1] == "count":
            continue
        if len(parts) < 2 or not parts[1].strip().isdigit():
            raise SpeechError(path, f"line {n}: expected term<TAB>count, got {line[:40]!r}")
        counts[parts[0]] = counts.get(parts[0], 0) + int(parts[1])
    if not counts:
        raise SpeechError(path, "the frequency list is empty")
    from ..speech import count_han

    series = pd.Series(counts, dtype="int64").sort_index()
    if total is None:
        total = int(series.sum())
    if han is None:
        han = sum(count_han(t) * c for t, c in counts.items())
    return Frequencies(series, han, total, frozenset(), {}, sources, path.name)


# ------------------------------------------------------------------------- keyness
def _as_frequencies(reference, tokenizer) -> Frequencies:
    if reference is None or (isinstance(reference, str) and reference == "bundled"):
        return load_reference_frequencies(REFERENCE_FREQ_FILE)
    if isinstance(reference, Frequencies):
        return reference
    if isinstance(reference, pd.DataFrame):
        if "token" in reference.columns:
            return _frequencies_from_tokens(reference, description="token table")
        if {"term", "count"} <= set(reference.columns):
            s = reference.groupby("term")["count"].sum().astype("int64").sort_index()
            return Frequencies(s, 0, int(s.sum()), description="frequency table")
        raise ValueError("a reference DataFrame must be a token table (token, pos, origin …) or have term and count columns")
    if isinstance(reference, Speech):
        return speech_frequencies([reference], tokenizer=tokenizer)
    if isinstance(reference, (str, Path)):
        p = Path(reference)
        if p.is_dir():
            return speech_frequencies(speech_files(p), tokenizer=tokenizer)
        if p.suffix.lower() in (".tsv", ".tab"):
            return load_reference_frequencies(p)
        return speech_frequencies([p], tokenizer=tokenizer)
    if isinstance(reference, Iterable):
        return speech_frequencies(list(reference), tokenizer=tokenizer)
    raise TypeError(f"cannot use a {type(reference).__name__} as a keyness reference")


def _term_filter(
    terms: pd.Index, *, stop: frozenset[str], pos, min_len: int, include: frozenset[str],
    formulations: frozenset[str], tags: dict, tokenizer,
) -> pd.Series:
    """Term-level version of :func:`counted_mask` for a frequency list."""
    keep = []
    lex = None
    for t in terms:
        if t in include:
            keep.append(True)
            continue
        form = t in formulations
        if not form and lex is None and tokenizer is not None:
            lex = set(tokenizer.lexicon["phrase"])
        if not form and lex is not None and (t in lex or _is_whole_slogan(t)):
            form = True
        if t in stop or (len(t) < min_len and not form):
            keep.append(False)
            continue
        tag = tags.get(t)
        if tag is None:
            tag = "nz" if form else (tokenizer.tag(t) if tokenizer is not None else "n")
        prefixes = CONTENT_POS if pos is None else tuple([pos] if isinstance(pos, str) else pos)
        keep.append(tag.startswith(prefixes) or (pos is None and form))
    return pd.Series(keep, index=terms, dtype=bool)


def _is_whole_slogan(term: str) -> bool:
    return any(s == 0 and e == len(term) for s, e, _ in find_number_slogans(term))


def keyness(
    tokens: pd.DataFrame,
    reference=None,
    *,
    speech: Speech | None = None,
    tokenizer=None,
    stopwords=None,
    pos: Sequence[str] | None = None,
    min_len: int = 2,
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
    subtract_target: bool | None = None,
) -> pd.DataFrame:
    """Keywords of a speech against a reference (like quanteda's ``textstat_keyness``).

    Args:
        tokens: the target's token table (:meth:`Tokenizer.tokens`).
        reference: ``None`` = the shipped list (``data/reference_freq.tsv``); a
            :class:`Speech`; a token table; a folder of speeches; a speech file; a ``.tsv``
            frequency list (``term<TAB>count``); or a list of speeches/paths.
        speech: the target speech (its ``han_chars`` is the base of ``per_10k_target``;
            also used to recognise it inside the reference).
        tokenizer: used for speeches given as references and to tag the words of a
            frequency list (which has no tags); created when ``None`` (about a second).
        stopwords, pos, min_len, exclude, include: the filters of
            :func:`~analysis_utils.terms.term_frequency`, applied to both sides alike.
        subtract_target: take the target's own counts out of the reference first (right when
            the target is one of the reference texts). ``None`` = do it when the target's
            fingerprint is among the reference's sources (e.g. keyness of the GWR against the
            shipped list, which contains the GWR).

    Returns:
        Columns ``term, count_target, count_reference, per_10k_target, per_10k_reference,
        g2, log_ratio, p, direction`` for every term counted on either side. ``direction``
        is ``target`` when the term is relatively more frequent in the target, ``reference``
        when less. Sorted by signed ``g2`` descending (strongest target keywords first,
        strongest reference keywords last), then term.
    """
    from ..tokenizer import Tokenizer

    tok = tokenizer if tokenizer is not None else Tokenizer()
    ref = _as_frequencies(reference, tok)
    stop = _resolve_stopwords(stopwords) | frozenset(exclude)
    include = frozenset(include)

    # target: token-level filters, exactly as term_frequency counts
    mask = counted_mask(tokens, stopwords=stop, pos=pos, min_len=min_len, include=include)
    tgt_counts = tokens.loc[mask, "token"].astype(str).value_counts()
    tgt_han = speech.han_chars if speech is not None else _han_of_tokens(tokens)

    ref_counts = ref.counts.copy()
    ref_total, ref_han = ref.total, ref.han_chars
    fp = fingerprint(speech) if speech is not None else None
    if subtract_target is None:
        subtract_target = fp is not None and fp in ref.sources
    if subtract_target:
        own = _frequencies_from_tokens(tokens, tgt_han)
        ref_counts = ref_counts.sub(own.counts, fill_value=0).clip(lower=0).astype("int64")
        ref_counts = ref_counts[ref_counts > 0]
        ref_total = max(0, ref_total - own.total)
        ref_han = max(0, ref_han - tgt_han)

    # reference: the same filters at term level
    tgt_terms = set(tgt_counts.index)
    tgt_forms = frozenset(tokens.loc[tokens["origin"].isin(FORMULATION_ORIGINS), "token"].astype(str))
    ref_keep = _term_filter(ref_counts.index, stop=stop, pos=pos, min_len=min_len, include=include,
                            formulations=ref.formulations | tgt_forms, tags=ref.tags, tokenizer=tok)
    # a term the target counts is counted in the reference too (same word, same filters)
    ref_keep |= ref_counts.index.isin(tgt_terms)
    dropped = int(ref_counts[~ref_keep].sum())
    ref_counts = ref_counts[ref_keep]
    # counted reference tokens: all words minus the filtered ones; for a shipped list the
    # rare (unlisted) words are assumed counted, as most rare words are content words
    ref_n = max(int(ref_counts.sum()), ref_total - dropped)
    tgt_n = int(tgt_counts.sum())
    if ref_n <= 0 or tgt_n <= 0:
        raise SpeechError(None, "keyness needs counted words on both sides (target and reference)")

    terms = sorted(set(tgt_counts.index) | set(ref_counts.index))
    a = pd.Series(tgt_counts, dtype="float64").reindex(terms, fill_value=0).to_numpy()
    b = pd.Series(ref_counts, dtype="float64").reindex(terms, fill_value=0).to_numpy()
    rows = []
    for t, x, y in zip(terms, a, b):
        g2 = round(log_likelihood(x, y, tgt_n, ref_n), 3)  # direction follows the G² shown
        rows.append((t, int(x), int(y),
                     round(x * PER / max(1, tgt_han), 2), round(y * PER / ref_han, 2) if ref_han else float("nan"),
                     g2, round(log_ratio(x, y, tgt_n, ref_n), 3), chi2_p(abs(g2)),
                     "target" if g2 > 0 else "reference" if g2 < 0 else "none"))
    df = pd.DataFrame(rows, columns=KEYNESS_COLUMNS)
    return df.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def log_likelihood(a: float, b: float, c: float, d: float) -> float:
    """Signed G² (Rayson's two-corpus form): ``a``, ``b`` the term's counts, ``c``, ``d`` the
    corpus sizes. Positive when a/c > b/d.

    Example:
        >>> round(log_likelihood(10, 10, 1000, 10000), 2)
        22.14
    """
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    g = 0.0
    if a > 0:
        g += a * math.log(a / e1)
    if b > 0:
        g += b * math.log(b / e2)
    g *= 2
    return g if a / c >= b / d else -g


def log_ratio(a: float, b: float, c: float, d: float) -> float:
    """Hardie's binary log ratio ``log2((a/c) / (b/d))``, zero counts replaced by 0.5.

    Example:
        >>> log_ratio(10, 10, 1000, 10000)
        3.321928094887362
    """
    return math.log2(((a or 0.5) / c) / ((b or 0.5) / d))


def chi2_p(g2: float) -> float:
    """p-value of a chi-square statistic with 1 degree of freedom."""
    return math.erfc(math.sqrt(max(0.0, g2) / 2))
