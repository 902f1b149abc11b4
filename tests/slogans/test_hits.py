"""The hit table every kind shares (analysis_utils.slogans.hits): kinds, sections, positions, context."""
from __future__ import annotations

import pandas as pd
import pytest

import analysis_utils.slogans.hits as hits_module
from analysis_utils import sections
from analysis_utils.slogans import HIT_COLUMNS, KINDS, slogan_counts, slogan_hits


def test_hits_carry_section_positions_and_context(seed_speech):
    hits = slogan_hits(seed_speech)
    assert list(hits.columns) == HIT_COLUMNS and set(hits.kind) == set(KINDS)
    row = hits[(hits.kind == "number") & (hits.slogan == "三新")].iloc[0]
    assert row.section == 1 and row.section_label.startswith("一、") and "【三新】" in row.context
    assert hits[(hits.kind == "number") & (hits.slogan == "五星支部")].section.tolist() == [2, 2]
    assert hits.start.is_monotonic_increasing


def test_unknown_kind_is_a_speech_error(seed_speech):
    from analysis_utils import SpeechError

    with pytest.raises(SpeechError):
        slogan_counts(seed_speech, kinds=["numbers"])


def test_slogan_hits_computes_the_sections_once_and_passes_them_on(seed_speech, monkeypatch):
    calls = []
    real = hits_module.speech_sections
    monkeypatch.setattr(hits_module, "speech_sections", lambda speech: calls.append(1) or real(speech))
    every = slogan_hits(seed_speech)
    assert len(calls) == 1
    given = slogan_hits(seed_speech, sections=sections(seed_speech))
    assert len(calls) == 1
    pd.testing.assert_frame_equal(every, given)
