"""The bundled data files: the formulation lexicon, the stop-lists and the established names.

All are plain UTF-8 text documented in their own headers, and can be extended with the
user's own files of the same format:

* ``data/lexicon.tsv``: ``phrase<TAB>category<TAB>note``, one formulation (提法) a line.
* ``data/stopwords.txt``: one word a line (words of two or more characters).
* ``data/function_chars.txt``: the one-character function words (的 了 和 在 是 …), part of
  the bundled stopwords (:func:`load_function_chars`).
* ``data/official_verbs.txt``: the official verbs (推进 加强 推动 …), left out only on request
  (:func:`load_official_verbs`, ``TermFilter(drop_official_verbs=True)``).
* ``data/established_names.tsv``: ``name<TAB>tag<TAB>note``, names of the Party, state organs
  and programmes the tokeniser never cuts (:func:`load_established_names`).
* jieba user dictionaries (``word [freq] [tag]``) are accepted too, through
  :meth:`analysis_utils.Tokenizer.load_userdict`.

Lines starting with ``#`` are comments in every file.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .config import DATA_DIR, LEXICON_FILE, STOPWORDS_FILE
from .errors import SpeechError, read_data_file

LEXICON_COLUMNS = ["phrase", "category", "note"]
FUNCTION_CHARS_FILE = DATA_DIR / "function_chars.txt"
OFFICIAL_VERBS_FILE = DATA_DIR / "official_verbs.txt"
NAMES_FILE = DATA_DIR / "established_names.tsv"


def _data_lines(path: Path) -> Iterable[tuple[int, str]]:
    text = read_data_file(path, "lexicon or word list")
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            yield n, line


def load_lexicon(*paths: str | Path, bundled: bool = True) -> pd.DataFrame:
    """The formulation lexicon as a DataFrame with columns ``phrase, category, note``.

    Args:
        *paths: the user's own lexicon files (same three-column format), added after the
            bundled one; a phrase given twice keeps its first category.
        bundled: include the bundled ``data/lexicon.tsv``.

    Example:
        >>> lex = load_lexicon()
        >>> "四个意识" in set(lex.phrase)
        True
    """
    rows = []
    files = ([LEXICON_FILE] if bundled else []) + [Path(p) for p in paths]
    for f in files:
        for n, line in _data_lines(f):
            parts = line.split("\t")
            if parts[0] == "phrase":
                continue  # header
            phrase = parts[0].strip()
            if not phrase:
                raise SpeechError(f, f"line {n}: empty phrase")
            category = parts[1].strip() if len(parts) > 1 and parts[1].strip() else "user"
            note = parts[2].strip() if len(parts) > 2 else ""
            rows.append((phrase, category, note))
    df = pd.DataFrame(rows, columns=LEXICON_COLUMNS)
    return df.drop_duplicates("phrase", keep="first").reset_index(drop=True)


def load_stopwords(*paths: str | Path, bundled: bool = True) -> frozenset[str]:
    """The stopword set: the bundled lists (``stopwords.txt`` and the one-character function
    words of ``function_chars.txt``) plus the user's own files (one word a line).

    Example:
        >>> "同志们" in load_stopwords(), "的" in load_stopwords(), "改革" in load_stopwords(), "党" in load_stopwords()
        (True, True, False, False)
    """
    files = ([STOPWORDS_FILE, FUNCTION_CHARS_FILE] if bundled else []) + [Path(p) for p in paths]
    return _word_list(*files)


def _word_list(*files: Path) -> frozenset[str]:
    return frozenset(line for f in files for _, line in _data_lines(f))


def load_function_chars() -> frozenset[str]:
    """The one-character function words never counted as terms (``data/function_chars.txt``):
    particles, prepositions, conjunctions, adverbs, pronouns, numerals, classifiers.

    Example:
        >>> fc = load_function_chars()
        >>> all(c in fc for c in "的了和在是也就都而及与之其把被对为以于将从向等"), any(c in fc for c in "党国军稳法心民")
        (True, False)
    """
    return _word_list(FUNCTION_CHARS_FILE)


def load_official_verbs(*paths: str | Path, bundled: bool = True) -> frozenset[str]:
    """The official verbs (``data/official_verbs.txt``: 推进 加强 推动 实施 …) plus the user's files.

    Example:
        >>> {"推进", "加强", "落实"} <= load_official_verbs(), "改革" in load_official_verbs()
        (True, False)
    """
    return _word_list(*([OFFICIAL_VERBS_FILE] if bundled else []), *(Path(p) for p in paths))


def load_established_names(*paths: str | Path, bundled: bool = True) -> dict[str, str]:
    """Established names (Party, state organs, programmes) → their part-of-speech tag
    (``data/established_names.tsv``, ``name<TAB>tag<TAB>note``; a missing tag is ``nt``).

    Example:
        >>> names = load_established_names()
        >>> names["中央军事委员会"], names["一带一路"]
        ('nt', 'nz')
    """
    names: dict[str, str] = {}
    for f in ([NAMES_FILE] if bundled else []) + [Path(p) for p in paths]:
        for _, line in _data_lines(f):
            parts = [p.strip() for p in line.split("\t")]
            if parts[0] == "name":
                continue  # header
            tag = parts[1] if len(parts) > 1 and parts[1] else "nt"
            if tag.startswith("nr"):
                raise SpeechError(f, f"{parts[0]}: an established name cannot have a person-name tag ({tag})")
            names.setdefault(parts[0], tag)
    return names
