"""The bundled data files: the formulation lexicon and the stopword list.

Both are plain UTF-8 text documented in their own headers, and both can be extended with
the user's own files of the same format:

* ``data/lexicon.tsv``: ``phrase<TAB>category<TAB>note``, one formulation (提法) a line.
* ``data/stopwords.txt``: one word a line.
* jieba user dictionaries (``word [freq] [tag]``) are accepted too, through
  :meth:`analysis_utils.Tokenizer.load_userdict`.

Lines starting with ``#`` are comments in every file.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .config import LEXICON_FILE, STOPWORDS_FILE
from .errors import SpeechError

LEXICON_COLUMNS = ["phrase", "category", "note"]


def _data_lines(path: Path) -> Iterable[tuple[int, str]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SpeechError(path, "no such file") from None
    except UnicodeDecodeError as e:
        raise SpeechError(path, f"a lexicon or word list must be UTF-8 ({e.reason} at byte {e.start})") from None
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
    """The stopword set: the bundled list plus the user's own files (one word a line).

    Example:
        >>> "同志们" in load_stopwords(), "改革" in load_stopwords()
        (True, False)
    """
    files = ([STOPWORDS_FILE] if bundled else []) + [Path(p) for p in paths]
    return frozenset(line for f in files for _, line in _data_lines(f))
