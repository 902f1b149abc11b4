"""Reference word counts for keyness: a body of text as :class:`Frequencies`, and the shipped lists.

The reference of :func:`~analysis_utils.stats.keyness` is another speech, a folder of
speeches, or one of the reference frequency lists shipped with the package, one per genre
(:data:`REFERENCE_FILES`): Government Work Reports (``gwr``), Party Congress reports
(``congress``), leaders' speeches (``speeches``), and the older mixed list (``general``).
All are built from the development corpus with the package's own tokeniser
(``python -m analysis_utils.build_reference --genre all``); each file's header says
which texts, which years and how. :func:`reference_for` picks the list matching a
speech's genre (:func:`speech_genre`).

Example:
    >>> ref = load_reference_frequencies()
    >>> ref.description, len(ref.sources), int(ref.counts["发展"]) > int(ref.counts["党建"])
    ('reference_freq.tsv', 85, True)
    >>> load_reference_frequencies("gwr").label
    '政府工作报告 1954–2022（46 篇）· Government Work Reports 1954–2022 (46 texts)'
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jieba
import pandas as pd

from ..config import DATA_DIR, LEXICON_FILE, STOPWORDS_FILE
from ..errors import SpeechError, read_data_file
from ..outputs import atomic_write
from ..reading import speech_files
from ..speech import Speech
from ..text import cn_number, count_han
from .filters import FORMULATION_ORIGINS, word_mask
from .frequency import _dominant_pos, _han_of_tokens

__all__ = [
    "GENRE_LABELS", "REFERENCE_FILES", "REFERENCE_FREQ_FILE", "REFERENCE_MIN_COUNT", "REFERENCE_TOP",
    "Frequencies", "build_reference_frequencies", "fingerprint", "load_reference_frequencies", "reference_for",
    "speech_frequencies", "speech_genre", "speech_year", "write_reference_frequencies",
]

#: The general reference list (term<TAB>count, documented in its header): every speech file of
#: the development corpus, whatever its genre.
REFERENCE_FREQ_FILE = DATA_DIR / "reference_freq.tsv"
#: The shipped lists by name: one per genre, and the general one.
REFERENCE_FILES = {
    "gwr": DATA_DIR / "reference_gwr.tsv",
    "congress": DATA_DIR / "reference_congress.tsv",
    "speeches": DATA_DIR / "reference_speeches.tsv",
    "general": REFERENCE_FREQ_FILE,
}
#: What each list is, in Chinese and English (for tables and figure captions).
GENRE_LABELS = {
    "gwr": ("政府工作报告", "Government Work Reports"),
    "congress": ("党代会报告", "Party Congress reports"),
    "speeches": ("领导人讲话", "leaders' speeches"),
    "general": ("综合参照（讲话与报告）", "general reference (speeches and reports)"),
}
#: Terms kept in a shipped list: count >= this over its texts …
REFERENCE_MIN_COUNT = 2
#: … and at most this many (the most frequent), so the package stays small.
REFERENCE_TOP = 30000
#: A text shorter than this (Chinese characters) is a stub, not a speech: left out of a list.
MIN_REFERENCE_HAN = 200
#: The year of each National Congress of the CPC, by its number.
CONGRESS_YEARS = {1: 1921, 2: 1922, 3: 1923, 4: 1925, 5: 1927, 6: 1928, 7: 1945, 8: 1956, 9: 1969, 10: 1973,
                  11: 1977, 12: 1982, 13: 1987, 14: 1992, 15: 1997, 16: 2002, 17: 2007, 18: 2012, 19: 2017,
                  20: 2022}

_NUM = "[一二三四五六七八九十]{1,3}"
_GWR_TITLE = re.compile("政府工作[报報]告")
_CONGRESS_TITLE = re.compile(f"全[国國]代表大[会會]上的(?:政治)?[报報]告|[（(]{_NUM}大[)）]")
#: Openings of reports printed without their title block (the first lines of the body).
_GWR_OPENING = re.compile("^各位代表[\\s\\S]*?(?:[报報]告政府工作|工作[报報]告"
                          "|(?:[国國][务務]院|中央人民政府)[^。！\\n]{0,60}[报報]告)")
_CONGRESS_OPENING = re.compile(f"^(?:同志[们們][！!：:]\\n)?中[国國]共[产產][党黨]第{_NUM}次全[国國]代表大[会會]"
                               f"|中央委[员員][会會].{{0,12}}向.{{0,20}}大[会會]作.{{0,4}}[报報]告")
_CONGRESS_NUMBER = re.compile(f"第({_NUM})次全[国國]代表大[会會]|[（(]({_NUM})大[)）]")
_YEAR = re.compile(r"(?<!\d)((?:19[2-9]|20\d)\d)(?!\d)")
_OPENING_CHARS = 400


def _title_text(speech: Speech, title: str | None) -> str:
    return " ".join(t for t in (title, speech.meta.title, speech.meta.subtitle) if t)


def speech_genre(speech: Speech, *, title: str | None = None) -> str:
    """The genre of a speech, guessed from its title and subtitle: ``"gwr"`` (政府工作报告),
    ``"congress"`` (在…全国代表大会上的报告) or ``"speeches"`` (anything else).

    A report printed without its title block is recognised by its opening (its first 400
    characters): 各位代表 and a report of the State Council (我代表国务院，向大会报告政府工作 …);
    中国共产党第…次全国代表大会… or 我代表…中央委员会向大会作报告. ``title``: a title known
    from elsewhere (a table's ``title`` column), read first.

    Example:
        >>> from analysis_utils import speech_from_text
        >>> speech_genre(speech_from_text("政府工作报告\\n——2022年3月5日在第十三届全国人民代表大会第五次会议上\\n各位代表："))
        'gwr'
        >>> speech_genre(speech_from_text("同志们：\\n我代表第十五届中央委员会向大会作报告。"))
        'congress'
        >>> speech_genre(speech_from_text("在党建工作会议上的讲话\\n同志们："))
        'speeches'
    """
    head = _title_text(speech, title)
    opening = speech.body[:_OPENING_CHARS]
    if _GWR_TITLE.search(head):
        return "gwr"
    if _CONGRESS_TITLE.search(head):
        return "congress"
    if _GWR_OPENING.search(opening):
        return "gwr"
    if _CONGRESS_OPENING.search(opening):
        return "congress"
    return "speeches"


def speech_year(speech: Speech, *, title: str | None = None, date: str | int | None = None) -> int | None:
    """The year of a speech: ``date`` when given (a table's date or year), else the date the
    text states, a year in its title (2022年…政府工作报告), the year of the Party Congress it
    is given at (第十二次全国代表大会, 十二大), or the one year in its file name; ``None`` when
    nothing says.

    Example:
        >>> from analysis_utils import speech_from_text
        >>> speech_year(speech_from_text("同志们：\\n我代表第十五届中央委员会向党的第十六次全国代表大会作报告。"))
        2002
        >>> speech_year(speech_from_text("各位代表：", path="2022年政府工作报告.txt")), speech_year(speech_from_text("好。"))
        (2022, None)
    """
    if date is not None and (m := _YEAR.match(str(date).strip())):
        return int(m.group(1))
    if speech.meta.date:
        return int(speech.meta.date[:4])
    head = _title_text(speech, title)
    if m := re.search(r"((?:19|20)\d\d)年", head):
        return int(m.group(1))
    if (m := _CONGRESS_NUMBER.search(head + "\n" + speech.body[:_OPENING_CHARS])):
        n = cn_number(m.group(1) or m.group(2))
        if n in CONGRESS_YEARS:
            return CONGRESS_YEARS[n]
    years = set(_YEAR.findall(Path(speech.path).stem))
    return int(years.pop()) if len(years) == 1 else None


@dataclass(frozen=True)
class Frequencies:
    """Word counts of a body of text, before any stopword/POS/length filter.

    ``counts`` holds every word token (placeholders, punctuation and digits-only tokens left
    out); ``formulations`` the words that came from the lexicon or a number slogan;
    ``tags`` each word's most frequent tag when known; ``total`` all word tokens (may
    exceed ``counts.sum()`` when rare words were dropped from a shipped list);
    ``sources`` maps a text's fingerprint to ``(name, han_chars, tokens, counts, year)``
    (counts when known), so a target that is part of the reference can be taken out of it;
    ``genre`` is the name of a shipped list (``gwr`` …) and ``years`` the years of its texts.
    """

    counts: pd.Series
    han_chars: int
    total: int
    formulations: frozenset[str] = frozenset()
    tags: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    description: str = ""
    genre: str = ""
    years: tuple[int, ...] = ()

    @property
    def span(self) -> str:
        """The years of the texts, ``1954–2022`` (``""`` when unknown)."""
        if not self.years:
            return ""
        lo, hi = min(self.years), max(self.years)
        return str(lo) if lo == hi else f"{lo}–{hi}"

    @property
    def label(self) -> str:
        """What the reference is, for a table or a caption: name, years and number of texts.

        Example:
            >>> Frequencies(pd.Series({"发展": 3}), 2, 3, description="a.txt", years=(2015,)).label
            'a.txt 2015'
        """
        n = len(self.sources) or len(self.years)
        if self.genre in GENRE_LABELS:
            zh, en = GENRE_LABELS[self.genre]
            span = f" {self.span}" if self.span else ""
            return f"{zh}{span}（{n} 篇）· {en}{span} ({n} texts)"
        return f"{self.description} {self.span}".strip()

    def covers(self, year: int | None) -> bool:
        """Whether ``year`` lies within the years of the texts (``True`` when either is unknown)."""
        return year is None or not self.years or min(self.years) <= year <= max(self.years)

    def contains(self, speech: Speech, year: int | None = None) -> bool:
        """Whether ``speech`` is one of the texts: the same text (fingerprint), or a text of the
        same year within 2 % of its length (the same report from another source)."""
        if fingerprint(speech) in self.sources:
            return True
        han = speech.han_chars
        return year is not None and han > 0 and any(
            src[4] == year and abs(src[1] - han) <= 0.02 * han for src in self.sources.values())


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


def _merge(parts: Iterable[tuple[Speech, pd.DataFrame, int | None]], *, skip_below: int = 0) -> tuple[Frequencies, list]:
    """The :class:`Frequencies` of several speeches given with their tokens and years, and
    the ``(name, han_chars)`` of the stubs left out (fewer Chinese characters than ``skip_below``)."""
    counts: Counter = Counter()
    tag_counts: Counter = Counter()
    form: set[str] = set()
    han = total = 0
    sources, names, years, skipped = {}, [], [], []
    for speech, tokens, year in parts:
        if speech.han_chars < skip_below:
            skipped.append((speech.path.name, speech.han_chars))
            continue
        f = _frequencies_from_tokens(tokens, speech.han_chars)
        counts.update(f.counts.to_dict())
        for t, g in f.tags.items():
            tag_counts[(t, g)] += int(f.counts[t])
        form |= f.formulations
        han += f.han_chars
        total += f.total
        sources[fingerprint(speech)] = (speech.path.name, f.han_chars, f.total, f.counts, year)
        names.append(speech.path.name)
        years += [year] if year is not None else []
    if not names:
        raise SpeechError(None, "no reference speeches given" if not skipped
                          else f"no reference speeches: only stubs under {skip_below} Chinese characters")
    tags: dict = {}
    for (t, g), _ in sorted(tag_counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
        tags.setdefault(t, g)
    series = pd.Series(counts, dtype="int64").sort_index() if counts else pd.Series(dtype="int64")
    desc = names[0] if len(names) == 1 else f"{len(names)} speeches"
    return Frequencies(series, han, total, frozenset(form), tags, sources, desc, years=tuple(sorted(years))), skipped


def speech_frequencies(speeches: Iterable[Speech | str | Path], *, tokenizer=None) -> Frequencies:
    """Unfiltered word counts over several speeches (loaded and tokenised here).

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> f = speech_frequencies([SEED_SPEECH])
        >>> f.description, int(f.counts["党建"]), f.han_chars, f.label
        ('party_building_conference_speech.txt', 13, 3032, 'party_building_conference_speech.txt')
    """
    from ..reading import load_speech
    from ..tokenizer import Tokenizer

    tok = tokenizer or Tokenizer()

    def parts():
        for sp in speeches:
            speech = sp if isinstance(sp, Speech) else load_speech(sp)
            yield speech, tok.tokens(speech), speech_year(speech)
    return _merge(parts())[0]


def _as_frequencies(reference, tokenizer) -> Frequencies:
    """The :class:`Frequencies` of a keyness reference given in any of its accepted forms."""
    if reference is None or (isinstance(reference, str) and reference in ("bundled", "general")):
        return load_reference_frequencies(REFERENCE_FREQ_FILE)
    if isinstance(reference, str) and reference in REFERENCE_FILES:
        return load_reference_frequencies(REFERENCE_FILES[reference])
    if isinstance(reference, Frequencies):
        return reference
    if isinstance(reference, pd.DataFrame):
        if "token" in reference.columns:
            return _frequencies_from_tokens(reference, description="token table")
        col = "token_count" if "token_count" in reference.columns else "count"  # count: the old name
        if {"term", col} <= set(reference.columns):
            s = reference.groupby("term")[col].sum().astype("int64").sort_index()
            return Frequencies(s, 0, int(s.sum()), description="frequency table")
        raise ValueError("a reference DataFrame must be a token table (token, pos, origin …) or have term and token_count columns")
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


def reference_for(speech: Speech | None, reference=None, *, title: str | None = None, tokenizer=None) -> Frequencies:
    """The reference :func:`~analysis_utils.stats.keyness` compares ``speech`` with.

    ``reference=None`` (or ``"auto"``): the shipped list of the speech's genre
    (:func:`speech_genre`: ``gwr``, ``congress`` or ``speeches``; the ``general`` list when
    there is no speech). A name (``"gwr"``, ``"congress"``, ``"speeches"``, ``"general"``)
    picks that list; anything else is read as :func:`keyness` documents (a speech, a folder,
    a ``.tsv`` list …). Its :attr:`Frequencies.label` names it on tables and captions.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> reference_for(load_speech(SEED_SPEECH)).label
        "领导人讲话 2013–2016（83 篇）· leaders' speeches 2013–2016 (83 texts)"
    """
    if reference is None or (isinstance(reference, str) and reference == "auto"):
        reference = speech_genre(speech, title=title) if speech is not None else "general"
    if isinstance(reference, str) and reference in REFERENCE_FILES:
        return load_reference_frequencies(REFERENCE_FILES[reference])
    return _as_frequencies(reference, tokenizer)


# --------------------------------------------------------------- the shipped lists
def _corpus_parts(source, tokenizer, workers: int | None):
    """``(speech, tokens, year)`` of every speech of ``source``, cut on all cores by the corpus
    engine (the same tokens as ``Tokenizer.tokens``)."""
    from ..scale import Corpus, corpus_tokens

    corpus = Corpus(source)
    cut = corpus_tokens(corpus, tokenizer=tokenizer, workers=workers, cache=False, progress=None)
    for (item, speech), (_, tokens) in zip(corpus.speeches(), cut):
        assert isinstance(speech, Speech)  # errors="raise": an unreadable text stops here
        yield speech, tokens, speech_year(speech, title=item.title, date=item.date)


def build_reference_frequencies(source, *, tokenizer=None, workers: int | None = 1,
                                skip_below: int = 0) -> tuple[pd.DataFrame, dict]:
    """Count every word of the given speeches with the package's own tokeniser.

    Counted: every token except placeholders, punctuation and digits-only tokens.
    Stopwords, function words and one-character words are kept, so that
    :func:`~analysis_utils.stats.keyness` can apply the same filters to the reference as
    to the target. The speeches are cut by the corpus engine (:mod:`analysis_utils.scale`:
    the tokens of :meth:`Tokenizer.tokens`, on ``workers`` processes).

    Args:
        source: speech files, folders, CSV/JSONL tables (anything
            :class:`~analysis_utils.scale.Corpus` takes).
        tokenizer: a :class:`~analysis_utils.Tokenizer` (``None``: its defaults).
        workers: processes cutting speeches (``None``: all cores).
        skip_below: leave out texts with fewer Chinese characters (stubs).

    Returns:
        ``(table, info)``: ``table`` with columns ``term, token_count, pos`` (all words, sorted by
        count descending then term; ``pos`` the word's most frequent tag); ``info`` with
        ``total_tokens``, ``han_chars``, ``sources`` (file name, fingerprint, Chinese
        characters, word tokens, year per text), ``years`` and ``skipped`` (stubs left out).

    Example:
        >>> from analysis_utils.config import SEED_SPEECH
        >>> table, info = build_reference_frequencies([SEED_SPEECH])
        >>> table.head(2).values.tolist(), info["han_chars"]
        ([['的', 47, 'uj'], ['工作', 27, 'vn']], 3032)
    """
    paths = [Path(p) for p in source] if isinstance(source, (list, tuple)) else source
    if isinstance(paths, list):
        paths = sorted(paths)
    f, skipped = _merge(_corpus_parts(paths, tokenizer, workers), skip_below=skip_below)
    table = f.counts.rename_axis("term").reset_index(name="token_count")
    table["pos"] = table["term"].map(f.tags).fillna("")
    table = table.sort_values(["token_count", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    info = {
        "total_tokens": f.total,
        "han_chars": f.han_chars,
        "sources": [(name, fp, han, total, year) for fp, (name, han, total, _, year) in f.sources.items()],
        "years": f.years,
        "skipped": skipped,
        "lexicon_phrases": len(tokenizer.lexicon) if tokenizer is not None else _bundled_phrases(),
        "jieba": jieba.__version__,
        "per_source_counts": {fp: src[3] for fp, src in f.sources.items()},
    }
    return table, info


def _bundled_phrases() -> int:
    from ..lexicon import load_lexicon

    return len(load_lexicon())


def _file_sha(path: Path) -> str:
    try:
        return hashlib.sha1(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        return "missing"


def write_reference_frequencies(
    source,
    out: str | Path = REFERENCE_FREQ_FILE,
    *,
    min_count: int = REFERENCE_MIN_COUNT,
    top: int | None = None,
    genre: str = "",
    tokenizer=None,
    workers: int | None = 1,
    skip_below: int = MIN_REFERENCE_HAN,
    corpus_note: str = "",
) -> Path:
    """Build a reference list from ``source`` and write it as ``term<TAB>count<TAB>pos``
    with a header saying exactly how it was computed: which texts, of which years, cut how.
    Only aggregated counts are written.

    Args:
        source: the speeches counted (files, folders, CSV/JSONL tables).
        out: the file written (default: the shipped general list ``data/reference_freq.tsv``).
        min_count: the lowest count of a term kept in the list (every token still counts
            in ``total_tokens`` and ``han_chars``).
        top: keep at most this many terms, the most frequent (``None``: all).
        genre: the list's genre (``gwr``, ``congress``, ``speeches``, ``general``) for its label.
        tokenizer: the :class:`~analysis_utils.Tokenizer` (``None``: its defaults).
        workers: processes cutting speeches (``None``: all cores).
        skip_below: texts with fewer Chinese characters are stubs, left out (and listed).
        corpus_note: a few words on where the texts come from, for the header.

    Returns:
        The path written.

    Example:
        >>> import tempfile
        >>> from analysis_utils.config import SEED_SPEECH
        >>> out = write_reference_frequencies([SEED_SPEECH], Path(tempfile.mkdtemp()) / "ref.tsv", genre="speeches")
        >>> ref = load_reference_frequencies(out)
        >>> int(ref.counts["党建"]), ref.tags["党建"], ref.label
        (13, 'j', "领导人讲话（1 篇）· leaders' speeches (1 texts)")
    """
    if genre and genre not in GENRE_LABELS:
        raise ValueError(f"genre must be one of {', '.join(GENRE_LABELS)}, not {genre!r}")
    table, info = build_reference_frequencies(source, tokenizer=tokenizer, workers=workers, skip_below=skip_below)
    kept = table.loc[table["token_count"] >= min_count]
    if top is not None:
        kept = kept.head(top)
    head = _reference_header(info, kept=len(kept), distinct=len(table), min_count=min_count, top=top,
                             genre=genre, corpus_note=corpus_note)
    lines = head + ["term\tcount\tpos"] + [f"{t}\t{c}\t{p}" for t, c, p in zip(kept["term"], kept["token_count"], kept["pos"])]
    text = "\n".join(lines) + "\n"
    return atomic_write(Path(out), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _reference_header(info: dict, *, kept: int, distinct: int, min_count: int, top: int | None, genre: str,
                      corpus_note: str) -> list[str]:
    """The ``#`` lines that say how a reference list was computed."""
    today = _dt.date.today().isoformat()
    years = sorted(set(info["years"]))
    head = [
        "# analysis_utils 参照词频表 · reference frequency list for keyness (analysis_utils.keyness)",
        f"# built: {today} by analysis_utils.stats.write_reference_frequencies"
        " (rebuild: python -m analysis_utils.build_reference --genre all)",
    ]
    if genre:
        zh, en = GENRE_LABELS[genre]
        head.append(f"# genre: {genre} ({zh} · {en})")
    head += [
        f"# years: {' '.join(map(str, years))}" if years else "# years: unknown",
        f"# texts: {len(info['sources'])} speeches{(' — ' + corpus_note) if corpus_note else ''};"
        " only aggregated counts are stored here, never the texts",
    ]
    head += [f"# skipped: {name} ({han} Chinese characters: a stub, not a speech)" for name, han in info["skipped"]]
    head += [
        "# tokenizer: analysis_utils.Tokenizer() defaults: bundled lexicon"
        f" ({info['lexicon_phrases']} phrases kept whole, lexicon.tsv sha1 {_file_sha(LEXICON_FILE)}),"
        f" stopwords.txt words added to jieba's dictionary (sha1 {_file_sha(STOPWORDS_FILE)}),"
        f" number slogans detected, jieba {info['jieba']} with HMM, applied to each speech's cleaned body (load_speech),"
        " cut by the corpus engine (analysis_utils.scale: the same tokens)",
        "# counted: every token except placeholders (×, ×××, XX …), punctuation and digits-only numbers;"
        " stopwords, function words and one-character words are KEPT so keyness can filter both sides alike",
        f"# kept: terms with count >= {min_count}{f', the {top} most frequent' if top else ''}"
        f" ({kept} of {distinct} distinct terms); total_tokens and han_chars cover everything, rare terms included;"
        " pos = the word's most frequent jieba tag",
        f"# total_tokens: {info['total_tokens']}",
        f"# han_chars: {info['han_chars']}",
        "# source lines: file name, fingerprint (sha1 of the decoded text, 16 hex), Chinese characters, word tokens, year",
    ]
    return head + [f"# source: {name}\t{fp}\t{han}\t{total}\t{year or ''}"
                   for name, fp, han, total, year in sorted(info["sources"], key=lambda s: (s[4] or 0, s[0]))]


def load_reference_frequencies(path: str | Path = REFERENCE_FREQ_FILE) -> Frequencies:
    """Read a reference list written by :func:`write_reference_frequencies` (or any
    ``term<TAB>count`` file; without a ``# total_tokens:`` header line the total is the
    sum of the counts, without ``# han_chars:`` the Chinese characters of the terms times
    their counts). ``path`` may also name a shipped list: ``gwr``, ``congress``,
    ``speeches``, ``general``.

    Raises:
        SpeechError: the file is missing, not UTF-8, empty or has a line that is not
            ``term<TAB>count``.

    Example:
        >>> ref = load_reference_frequencies()
        >>> ref.total > int(ref.counts.sum()), int(ref.counts.min())
        (True, 2)
        >>> load_reference_frequencies("congress").span
        '1921–2022'
    """
    if isinstance(path, str) and path in REFERENCE_FILES:
        path = REFERENCE_FILES[path]
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
    years = header.get("years") or tuple(sorted(s[4] for s in header["sources"].values() if s[4]))
    return Frequencies(series, han, total, frozenset(), header["tags"], header["sources"], path.name,
                       genre=header.get("genre", ""), years=years)


def _read_reference(path: Path) -> str:
    return read_data_file(path, "reference frequency list", missing="no such reference frequency list")


def _parse_reference(text: str, path: Path) -> tuple[dict[str, int], dict]:
    """``(term → count, header)`` of a reference list; ``header`` holds ``total_tokens``,
    ``han_chars``, ``genre`` and ``years`` when given, ``tags`` (term → pos, when the list has
    a third column) and ``sources`` (fingerprint → name, han_chars, tokens, None, year)."""
    counts: dict[str, int] = {}
    header: dict = {"sources": {}, "tags": {}}
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
        if len(parts) > 2 and parts[2].strip():
            header["tags"].setdefault(parts[0], parts[2].strip())
    return counts, header


def _read_header_line(line: str, header: dict) -> None:
    key, _, value = line[1:].strip().partition(":")
    value = value.strip()
    if key in ("total_tokens", "han_chars"):
        header[key] = int(value)
    elif key == "genre" and value.split(" ")[0] in GENRE_LABELS:
        header["genre"] = value.split(" ")[0]
    elif key == "source":
        parts = value.split("\t")
        if len(parts) >= 4:
            year = int(parts[4]) if len(parts) > 4 and parts[4].strip().isdigit() else None
            header["sources"][parts[1]] = (parts[0], int(parts[2]), int(parts[3]), None, year)
