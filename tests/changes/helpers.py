"""Helpers of the ``changes`` tests: the development corpus's reports by row address."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis_utils import load_speech

GWR = "government_work_reports.jsonl#government_work_reports-{:05d}"
CONGRESS = "cpc_congress_reports.jsonl#cpc_congress_reports-{:05d}"
#: Row numbers of the reports the issue names (the wikisource tables list the newest first).
GWR_ROWS = {2022: 1, 2021: 2, 2016: 3, 2015: 4}
CONGRESS_ROWS = {15: 11, 16: 12}


def gwr(corpus: Path, year: int):
    return load_speech(f"{corpus / 'wikisource' / GWR.format(GWR_ROWS[year])}")


def congress(corpus: Path, number: int):
    return load_speech(f"{corpus / 'wikisource' / CONGRESS.format(CONGRESS_ROWS[number])}")


def every_sentence_once(d) -> None:
    """Every sentence of both texts is in exactly one row, with its own offsets and text."""
    s = d.sentences
    for side, speech in (("old", d.old), ("new", d.new)):
        numbers = s[f"{side}_sentence"].dropna().astype(int).tolist()
        assert sorted(numbers) == list(range(1, len(speech.sentence_spans) + 1)), side
        for k, start, end, text in zip(s[f"{side}_sentence"], s[f"{side}_start"], s[f"{side}_end"], s[side]):
            if pd.notna(k):
                assert (start, end) == speech.sentence_spans[int(k) - 1]
                assert speech.body[start:end] == text
