"""Families of watchwords: a formulation and its variants, counted together and apart.

A family file is UTF-8, one ``family<TAB>variant`` pair a line (``#`` starts a comment; an
optional header line ``family<TAB>variant``). The family's name is always its first variant, so
``全过程人民民主<TAB>全过程民主`` tracks both. The bundled starter set is ``data/families.tsv``.

How a family is counted, so that no occurrence counts twice: each variant's own
``substring_count`` (every occurrence, nested ones included, as ``count`` gives it), and its
``formulation_count`` within the family: each stretch of text once, for the longest variant that
covers it, leftmost first (:func:`~analysis_utils.slogans.lexicon.lexicon_spans` with
``overlap="longest"``, as ``slogans --overlap longest``). The family total is the sum of its
variants' formulation counts: ``全面建成小康社会`` counts once for the family 小康社会 even though
it holds ``小康社会``, and the variants stack to the total.

Example:
    >>> fam = load_families(True)
    >>> fam[fam["family"] == "小康社会"]["variant"].tolist()[:2]
    ['小康社会', '全面建成小康社会']
    >>> from analysis_utils import speech_from_text
    >>> s = speech_from_text("全面建成小康社会，建设小康社会。")
    >>> family_counts(s, families={"小康社会": ["小康社会", "全面建成小康社会"]}).values.tolist()
    [['小康社会', '小康社会', 2, 1], ['小康社会', '全面建成小康社会', 1, 1]]
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..config import DATA_DIR
from ..errors import SpeechError, read_data_file
from ..scale import Corpus, SubstringCounter, corpus_map
from ..speech import Speech
from ..stats import PER

#: The bundled starter set.
FAMILIES_FILE = DATA_DIR / "families.tsv"
#: Columns of :attr:`~analysis_utils.watchwords.Track.families`: ``per_10k`` is the variant's
#: formulation count per 10,000 Chinese characters of the document.
FAMILY_COLUMNS = ["family", "variant", "id", "date", "year", "substring_count", "formulation_count", "per_10k"]


def _read_file(path: Path) -> list[tuple[str, str]]:
    text = read_data_file(path, "family file (family<TAB>variant lines)")
    pairs = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if parts[:2] == ["family", "variant"]:
            continue
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise SpeechError(path, f"line {n}: expected family<TAB>variant, got {line[:40]!r}")
        pairs.append((parts[0], parts[1]))
    if not pairs:
        raise SpeechError(path, "no family<TAB>variant line in the file")
    return pairs


def load_families(source: Any = True) -> pd.DataFrame:
    """The families as a table ``family, variant`` (each family's name first among its variants,
    then its variants in file order, each pair once).

    Args:
        source: ``True`` for the bundled ``data/families.tsv``; a file path (or a list of them);
            a table with ``family`` and ``variant`` columns; a mapping ``family → variants``.

    Raises:
        SpeechError: a file that is missing, not UTF-8, or has a line without a tab-separated pair.

    Example:
        >>> load_families({"供给侧结构性改革": ["供给侧改革"]}).values.tolist()
        [['供给侧结构性改革', '供给侧结构性改革'], ['供给侧结构性改革', '供给侧改革']]
    """
    pairs: list[tuple[str, str]] = []
    if source is True:
        pairs = _read_file(FAMILIES_FILE)
    elif isinstance(source, (str, Path)):
        pairs = _read_file(Path(source))
    elif isinstance(source, pd.DataFrame):
        if not {"family", "variant"} <= set(source.columns):
            raise ValueError("a families table needs the columns family and variant")
        pairs = [(str(f), str(v)) for f, v in zip(source["family"], source["variant"])]
    elif isinstance(source, dict):
        pairs = [(str(f), str(v)) for f, vs in source.items() for v in ([vs] if isinstance(vs, str) else vs)]
    elif isinstance(source, Iterable):
        for p in source:
            pairs += _read_file(Path(p))
    else:
        raise TypeError(f"families: True, a file, a list of files, a table or a dict, not {type(source).__name__}")
    rows: dict[tuple[str, str], None] = {}
    for f, v in pairs:
        if f.strip() and v.strip():
            rows.setdefault((f.strip(), f.strip()), None)
            rows.setdefault((f.strip(), v.strip()), None)
    df = pd.DataFrame(list(rows), columns=["family", "variant"])
    order = {f: i for i, f in enumerate(dict.fromkeys(df["family"]))}
    return df.sort_values("family", key=lambda s: s.map(order), kind="mergesort").reset_index(drop=True)


def family_counts(speech: Speech, *, families: dict[str, list[str]]) -> pd.DataFrame:
    """Per family and variant: ``substring_count`` (the variant on its own) and ``formulation_count``
    (each stretch of text once, for the family's longest variant covering it). The per-speech job
    of :func:`family_table`."""
    from ..slogans.lexicon import lexicon_spans

    rows = []
    body = speech.body
    for family, variants in families.items():
        own = SubstringCounter(variants).count(body)
        longest: dict[str, int] = dict.fromkeys(variants, 0)
        for _, _, phrase in lexicon_spans(body, variants, "longest"):
            longest[phrase] += 1
        rows += [(family, v, int(c), longest[v]) for v, c in zip(variants, own)]
    return pd.DataFrame(rows, columns=["family", "variant", "substring_count", "formulation_count"])


def family_table(corpus: Corpus, families: pd.DataFrame, documents: pd.DataFrame, **kw) -> pd.DataFrame:
    """:data:`FAMILY_COLUMNS` for every family, variant and document of ``corpus`` (on all cores,
    cached per document); ``documents`` as :attr:`~analysis_utils.watchwords.Track.documents`."""
    groups = {f: list(dict.fromkeys(g["variant"])) for f, g in families.groupby("family", sort=False)}
    parts = [df.assign(id=item.id) for item, df in corpus_map(corpus, family_counts, params={"families": groups}, **kw)]
    if not parts:
        return pd.DataFrame(columns=FAMILY_COLUMNS)
    rows = pd.concat(parts, ignore_index=True).merge(documents, on="id", how="left")
    rows["per_10k"] = (rows["formulation_count"] * PER / np.maximum(1, rows["han_chars"])).round(2)
    rows["date"] = rows["date"].where(rows["year"].notna(), "")
    return rows[FAMILY_COLUMNS]
