"""Lexicon formulations counted as substrings (analysis_utils.slogans.lexicon)."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis_utils import load_speech
from analysis_utils.slogans import lexicon_hits, lexicon_missing, resolve_lexicon, slogan_counts

from .helpers import composed


def test_lexicon_overlaps_longest_versus_all():
    s = composed("学习党的十九大精神，贯彻十九大部署。")
    lex = pd.DataFrame({"phrase": ["党的十九大", "十九大", "十九大精神"], "category": ["theory"] * 3})
    longest = lexicon_hits(s, lexicon=lex, overlap="longest").slogan.value_counts().to_dict()
    assert longest == {"党的十九大": 1, "十九大": 1}  # 十九大精神 overlaps 党的十九大, which starts first
    every = lexicon_hits(s, lexicon=lex, overlap="all").slogan.value_counts().to_dict()
    assert every == {"党的十九大": 1, "十九大": 2, "十九大精神": 1}
    default = lexicon_hits(s, lexicon=lex)  # issue 15: the formulation count is the substring count
    assert default.slogan.value_counts().to_dict() == every and default.attrs["overlap"] == "all"
    counts = slogan_counts(s, kinds="lexicon", lexicon=lex)
    assert dict(zip(counts.slogan, counts["formulation_count"])) == every and counts.attrs["overlap"] == "all"
    missing = lexicon_missing(s, lexicon=pd.concat([lex, pd.DataFrame({"phrase": ["两学一做"], "category": ["party_building"]})]))
    assert list(missing.phrase) == ["两学一做"]


def test_lexicon_counts_are_substring_counts_whatever_the_tokeniser(corpus_dir):
    from analysis_utils import substring_counts

    s = load_speech(corpus_dir / "cpc20_report.txt")
    every = slogan_counts(s, kinds="lexicon", overlap="all")
    sub = substring_counts(s, every.slogan)
    assert dict(zip(every.slogan, every["formulation_count"])) == {t: c for t, c in zip(sub.term, sub["substring_count"]) if c}


def test_lexicon_missing_on_the_seed(seed_speech):
    missing = lexicon_missing(seed_speech)
    assert "一带一路" in set(missing.phrase) and "四个意识" not in set(missing.phrase)
    assert "十九大" not in set(missing.phrase)  # it occurs inside 党的十九大
    assert list(missing.columns) == ["phrase", "category", "note"]


def test_a_lexicon_table_without_phrases_is_a_value_error():
    with pytest.raises(ValueError, match="phrase"):
        resolve_lexicon(pd.DataFrame({"term": ["三新"]}))
