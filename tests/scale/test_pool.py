"""The pass over a corpus: workers give what one process gives, bad speeches raise or are skipped,
a record that vanishes after planning is made again."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis_utils import SpeechError
from analysis_utils.scale import corpus_substring_counts, corpus_term_counts, pool
from analysis_utils.scale.pool import Run
from analysis_utils.scale.segmenter import TokenizerOptions

from .helpers import SAMPLE


@pytest.mark.slow
def test_workers_give_the_same_counts(tmp_path, monkeypatch, corpus_dir, tokenizer):
    monkeypatch.setattr(pool, "PARALLEL_MIN_BYTES", 0)
    paths = [corpus_dir / n for n in SAMPLE[2:]]
    parallel = corpus_term_counts(paths, cache=tmp_path / "a", workers=2, progress=False)
    single = corpus_term_counts(paths, cache=tmp_path / "b", workers=1, progress=False)
    pd.testing.assert_frame_equal(parallel, single)
    # a Tokenizer you built is handed to the workers (fork) and cuts the same
    mine = corpus_term_counts(paths, tokenizer=tokenizer, cache=tmp_path / "c", workers=2, progress=False)
    pd.testing.assert_frame_equal(mine, single)
    assert tokenizer.segmenter is None  # it cut with a fast twin; yours is left as it was


def test_bad_file_in_folder_raises_or_is_skipped(tmp_path, small_dir, capsys):
    (small_dir / "broken.txt").write_bytes(b"%PDF-1.4 binary")
    with pytest.raises(SpeechError, match="broken.txt: this is a PDF"):
        corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False)
    got = corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False, errors="skip")
    assert set(got["speech_id"]) == {p.stem for p in small_dir.iterdir()} - {"broken"}
    assert "skipped: " in capsys.readouterr().err
    with pytest.raises(ValueError, match="errors must be"):
        corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False, errors="ignore")  # type: ignore[arg-type]


def test_a_record_gone_after_planning_is_made_again(tmp_path, small_dir):
    first = corpus_substring_counts(small_dir, ["人民"], cache=tmp_path / "c", progress=False)
    run = Run(small_dir, "body", cache=tmp_path / "c")
    assert run.all_cached
    for body in (tmp_path / "c").rglob("*.txt"):
        body.unlink()  # e.g. the cache folder was cleaned meanwhile
    got = [(item.id, payload[2]) for item, payload in run(workers=1, progress=False, errors="raise", desc="")]
    assert [sid for sid, _ in got] == first["speech_id"].tolist()
    tokens = Run(small_dir, "tokens", options=TokenizerOptions(), cache=tmp_path / "c")
    assert not tokens.all_cached and tokens.plans[0].body_path is not None  # made again, tokens not yet
