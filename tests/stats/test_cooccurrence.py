"""stats/cooccurrence.py."""
from __future__ import annotations

from analysis_utils import speech_from_text
from analysis_utils.stats import collocations


def _composed(text: str):
    return speech_from_text(text, path="composed.txt")


# -------------------------------------------------------------------- collocations
def test_collocations_seed(seed_tokens):
    df = collocations(seed_tokens)
    assert list(df.columns) == ["collocation", "words", "size", "pair_count", "pmi", "g2"]
    assert set(df["size"]) == {2, 3}
    assert (df["pair_count"] >= 2).all()
    assert {"基层党建", "领导干部"} <= set(df["collocation"].head(15))
    assert not df["collocation"].str.contains("[，。、；：“”×]").any()
    assert df["g2"].is_monotonic_decreasing


def test_collocations_stay_in_a_sentence(tokenizer):
    # heading lines without final punctuation: 党建 and 推动 are neighbours in the token
    # table but in different sentences
    sp = _composed("加强党建\n推动发展\n加强党建\n推动发展")
    df = collocations(tokenizer.tokens(sp))
    assert {"加强党建", "推动发展"} <= set(df["collocation"])
    assert "党建推动" not in set(df["collocation"])
    assert "加强党建推动" not in set(df["collocation"])
