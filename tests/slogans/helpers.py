"""What the slogan tests share: composed speeches and the hand-marked gold list."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis_utils import speech_from_text
from analysis_utils.slogans import number_slogans

GOLD_FILE = Path(__file__).parents[1] / "data" / "number_slogans_gold.tsv"
NO_LEXICON = pd.DataFrame({"phrase": []})
SPEECH = "在党建工作会议上的讲话\n同志们：\n"  # a minimal title block for composed test speeches


def composed(text: str):
    return speech_from_text(SPEECH + text)


def slogans_in(text: str, *, lexicon=None) -> list[str]:
    return list(number_slogans(composed(text), lexicon=lexicon).slogan)


def gold() -> dict[str, dict[str, int]]:
    df = pd.read_csv(GOLD_FILE, sep="\t", comment="#")
    return {sp: dict(zip(g.slogan, g["count"])) for sp, g in df.groupby("speech", sort=False)}


def speech_path(name: str, seed_path: Path, corpus_dir: Path) -> Path:
    if name == seed_path.name:
        return seed_path
    if (corpus_dir / name).exists():
        return corpus_dir / name
    return corpus_dir / "xi_speeches_2013_2016" / name
