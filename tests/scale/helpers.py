"""What the tests of the corpus path share: real speeches to check, the plain path to compare with."""
from __future__ import annotations

import random

import pandas as pd

from analysis_utils.stats import term_frequency

#: Real speeches checked token for token (seed added by the tests).
SAMPLE = ["cpc20_report.txt", "gwr_2022_crlf.txt", "xi_2015_county_secretaries.txt",
          "xi_speeches_2013_2016/001_2013-03-22.txt", "xi_speeches_2013_2016/040_2014-12-31.txt",
          "xi_speeches_2013_2016/086_2016-12-30.txt"]


def corpus_files(corpus_dir):
    return sorted(p for p in corpus_dir.rglob("*.txt") if not p.stem.upper().startswith("README"))


def plain_counts(speech, tok) -> pd.DataFrame:
    """term_frequency of one speech (the plain path), as (term, count)."""
    tf = term_frequency(tok.tokens(speech), speech=speech)
    return tf[["term", "token_count"]].reset_index(drop=True)


class CountCalls:
    """Counts how often speeches are cut (encode_tokens, where the pool calls it) in this process."""

    def __init__(self, monkeypatch):
        from analysis_utils.scale import pool

        self.n = 0
        real = pool.encode_tokens

        def wrapped(*a, **k):
            self.n += 1
            return real(*a, **k)

        monkeypatch.setattr(pool, "encode_tokens", wrapped)


def edited(text: str, share: float, seed: int = 1) -> str:
    """``text`` with about ``share`` of its characters after the first line replaced (a copy someone edited)."""
    rnd = random.Random(seed)
    chars = list(text)
    start = text.index("\n") + 1
    for i in rnd.sample(range(start, len(chars)), int(len(chars) * share)):
        chars[i] = "某" if chars[i] != "某" else "甲"
    return "".join(chars)
