"""Reference word counts for keyness: a body of text as :class:`Frequencies`, and the shipped list.

The reference of :func:`~analysis_utils.stats.keywords` is another speech, a folder of
speeches, or the reference frequency list shipped with the package
(``data/reference_freq.tsv``, built from the development corpus by
:func:`build_reference_frequencies`; rebuild it with
``python -m analysis_utils.build_reference [CORPUS_DIR]``).

Example:
    >>> ref = load_reference_frequencies()
    >>> ref.description, len(ref.sources), int(ref.counts["发展"]) > int(ref.counts["党建"])
    ('reference_freq.tsv', 85, True)
"""
from __future__ import annotations

import datetime as _dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jieba
import pandas as pd

from ..config import DATA_DIR, LEXICON_FILE, STOPWORDS_FILE
from ..errors import SpeechError
from ..outputs import atomic_write
from ..reading import speech_files
from ..speech import Speech
from ..text import count_han
from .filters import FORMULATION_ORIGINS, word_mask
from .frequency import _dominant_pos, _han_of_tokens

__all__ = [
    "REFERENCE_FREQ_FILE", "REFERENCE_MIN_COUNT", "Frequencies", "build_reference_frequencies", "fingerprint",
    "load_reference_frequencies", "speech_frequencies", "write_reference_frequencies",
]

#: The shipped reference frequency list (term<TAB>count, documented in its header).
REFERENCE_FREQ_FILE = DATA_DIR / "reference_freq.tsv"
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
    """SHA-1 (first 16 hex digits) of the speech's text as decoded: names a source text.

    Example:
        >>> from analysis_utils import speech_from_text
        >>> fingerprint(speech_from_text("加强党建。", path="a.txt"))
        'aa232de98b53c9a6'
    """
    return hashlib.sha1(speech.raw.encode("utf-8")).hexdigest()[:16]


def _frequencies_from_tokens(tokens: pd.DataFrame, han_chars: int | None = None, description: str = "") -> Frequencies:
    words = tokens.loc[word_mask(tokens)]
    counts = words["token"].astype(str).value_counts().sort_index()
    tags = _dominant_pos(words).to_dict()
    form = frozenset(words.loc[words["origin"].isin(FORMULATION_ORIGINS), "token"].astype(str))
    han = han_chars if han_chars is not None else _han_of_tokens(tokens)
    return Frequencies(counts, int(han), int(len(words)), form, tags, {}, description)


def speech_frequencies(speeches: Iterable[Speech | str | Path], *, tokenizer=None) -> Frequencies:
    """Unfiltered word counts over several speeches (loaded and tokenised here).

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> f = speech_frequencies([SEED_SPEECH])
        >>> f.description, int(f.counts["党建"]), f.han_chars
        ('party_building_conference_speech.txt', 13, 3032)
    """
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
    for (t, g), _ in sorted(tag_counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
        tags.setdefault(t, g)
    series = pd.Series(counts, dtype="int64").sort_index() if counts else pd.Series(dtype="int64")
    desc = names[0] if len(names) == 1 else f"{len(names)} speeches"
    return Frequencies(series, han, total, frozenset(form), tags, sources, desc)


def _as_frequencies(reference, tokenizer) -> Frequencies:
    """The :class:`Frequencies` of a keyness reference given in any of its accepted forms."""
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


# --------------------------------------------------------------- the shipped list
def build_reference_frequencies(paths: Iterable[str | Path], *, tokenizer=None) -> tuple[pd.DataFrame, dict]:
    """Count every word of the given speeches with the package's own tokeniser.

    Counted: every token except placeholders, punctuation and digits-only tokens.
    Stopwords, function words and one-character words are kept, so that
    :func:`~analysis_utils.stats.keywords` can apply the same filters to the reference as
    to the target.

    Returns:
        ``(table, info)``: ``table`` with columns ``term, count`` (all words, sorted by
        count descending then term); ``info`` with ``total_tokens``, ``han_chars`` and
        ``sources`` (file name, fingerprint, Chinese characters, word tokens per text).

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> table, info = build_reference_frequencies([SEED_SPEECH])
        >>> table.head(2).values.tolist(), info["han_chars"]
        ([['的', 47], ['工作', 27]], 3032)
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
    header saying exactly how it was computed. Only aggregated counts are written.

    Args:
        paths: the speech files counted.
        out: the file written (default: the shipped ``data/reference_freq.tsv``).
        min_count: the lowest count of a term kept in the list (every token still counts
            in ``total_tokens`` and ``han_chars``).
        tokenizer: the :class:`~analysis_utils.Tokenizer` (``Tokenizer()`` when ``None``).
        corpus_note: a few words on where the texts come from, for the header.

    Returns:
        The path written.

    Example:
        >>> import tempfile
        >>> from analysis_utils.config import SEED_SPEECH
        >>> out = write_reference_frequencies([SEED_SPEECH], Path(tempfile.mkdtemp()) / "ref.tsv")
        >>> int(load_reference_frequencies(out).counts["党建"])
        13
    """
    paths = list(paths)
    table, info = build_reference_frequencies(paths, tokenizer=tokenizer)
    kept = table.loc[table["count"] >= min_count]
    head = _reference_header(info, kept=len(kept), distinct=len(table), min_count=min_count, corpus_note=corpus_note)
    lines = head + ["term\tcount"] + [f"{t}\t{c}" for t, c in zip(kept["term"], kept["count"])]
    text = "\n".join(lines) + "\n"
    return atomic_write(Path(out), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _reference_header(info: dict, *, kept: int, distinct: int, min_count: int, corpus_note: str) -> list[str]:
    """The ``#`` lines that say how a reference list was computed."""
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
        f"# kept: terms with count >= {min_count} ({kept} of {distinct} distinct terms);"
        " total_tokens and han_chars cover everything, rare terms included",
        f"# total_tokens: {info['total_tokens']}",
        f"# han_chars: {info['han_chars']}",
        "# source lines: file name, fingerprint (sha1 of the decoded text, 16 hex), Chinese characters, word tokens",
    ]
    return head + [f"# source: {name}\t{fp}\t{han}\t{total}" for name, fp, han, total in sorted(info["sources"])]


def load_reference_frequencies(path: str | Path = REFERENCE_FREQ_FILE) -> Frequencies:
    """Read a reference list written by :func:`write_reference_frequencies` (or any
    ``term<TAB>count`` file; without a ``# total_tokens:`` header line the total is the
    sum of the counts, without ``# han_chars:`` the Chinese characters of the terms times
    their counts).

    Raises:
        SpeechError: the file is missing, not UTF-8, empty or has a line that is not
            ``term<TAB>count``.

    Example:
        >>> ref = load_reference_frequencies()
        >>> ref.total > int(ref.counts.sum()), int(ref.counts.min())
        (True, 2)
    """
    path = Path(path)
    counts, header = _parse_reference(_read_reference(path), path)
    if not counts:
        raise SpeechError(path, "the frequency list is empty")
    series = pd.Series(counts, dtype="int64").sort_index()
    total = header.get("total_tokens")
    if total is None:
        total = int(series.sum())
    han = header.get("han_chars")
    if han is None:
        han = sum(count_han(t) * c for t, c in counts.items())
    return Frequencies(series, han, total, frozenset(), {}, header["sources"], path.name)


def _read_reference(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SpeechError(path, "no such reference frequency list") from None
    except UnicodeDecodeError as e:
        raise SpeechError(path, f"a frequency list must be UTF-8 ({e.reason} at byte {e.start})") from None


def _parse_reference(text: str, path: Path) -> tuple[dict[str, int], dict]:
    """``(term → count, header)`` of a reference list; ``header`` holds ``total_tokens`` and
    ``han_chars`` when given, and ``sources`` (fingerprint → name, han_chars, tokens, None)."""
    counts: dict[str, int] = {}
    header: dict = {"sources": {}}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            _read_header_line(line, header)
            continue
        parts = line.split("\t")
        if parts[0] == "term" and len(parts) > 1 and parts[1] == "count":
            continue
        if len(parts) < 2 or not parts[1].strip().isdigit():
            raise SpeechError(path, f"line {n}: expected term<TAB>count, got {line[:40]!r}")
        counts[parts[0]] = counts.get(parts[0], 0) + int(parts[1])
    return counts, header


def _read_header_line(line: str, header: dict) -> None:
    key, _, value = line[1:].strip().partition(":")
    if key in ("total_tokens", "han_chars"):
        header[key] = int(value)
    elif key == "source":
        parts = value.strip().split("\t")
        if len(parts) >= 4:
            header["sources"][parts[1]] = (parts[0], int(parts[2]), int(parts[3]), None)
