"""Term counts folded as records arrive (Tally): several types of one token add up, order is fixed,
per-speech rows are kept only for the terms asked, and the chunking changes nothing."""
from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from analysis_utils.scale.cache import encode_tokens
from analysis_utils.scale.counts import Tally, counted_types
from analysis_utils.scale.sources import CorpusItem

from .helpers import SAMPLE


def _pairs():
    a = [("发展", 0, 2, "vn", "jieba"), ("发展", 2, 4, "v", "jieba"), ("，", 4, 5, "x", "jieba"),
         ("四个意识", 5, 9, "nz", "lexicon"), ("改革", 9, 11, "vn", "jieba")]
    b = [("改革", 0, 2, "vn", "jieba"), ("改革", 2, 4, "vn", "jieba"), ("发展", 4, 6, "v", "jieba")]
    return [(CorpusItem(0, "a"), ("tokens", encode_tokens(a, 10), "sha-a")),
            (CorpusItem(1, "b"), ("tokens", encode_tokens(b, 6), "sha-b"))]


def _filters(**kw):
    return {"stopwords": (), "pos": None, "min_len": 2, "exclude": (), "include": (), **kw}


@pytest.mark.parametrize("chunk_rows", [1, 3, 1 << 20])
def test_type_counts_and_term_counts(chunk_rows):
    keep = counted_types(all_tokens=True, **_filters(stopwords=None))
    tc = Tally(keep, per_speech=True, chunk_rows=chunk_rows).add_all(_pairs(), 3)
    assert not tc.complete and tc.shas == ["sha-a", "sha-b"] and tc.han_chars == [10, 6]
    table = tc.term_counts()
    # 发展 with two tags counts once per token; ties by term; speeches in order
    assert table.values.tolist() == [["a", "发展", 2], ["a", "四个意识", 1], ["a", "改革", 1], ["a", "，", 1],
                                     ["b", "改革", 2], ["b", "发展", 1]]
    kept = Tally(counted_types(**_filters()), per_speech=True, chunk_rows=chunk_rows).add_all(_pairs())
    assert "，" not in set(kept.term_counts()["term"])


@pytest.mark.parametrize("chunk_rows", [1, 1 << 20])
def test_frequency_table_over_the_corpus(chunk_rows):
    tc = Tally(counted_types(**_filters()), chunk_rows=chunk_rows).add_all(_pairs(), 2)
    freq = tc.frequency()
    assert freq[["term", "token_count", "speeches", "rank"]].values.tolist() == [["发展", 3, 2, 1], ["改革", 3, 2, 1],
                                                                           ["四个意识", 1, 1, 2]]
    assert freq.loc[freq.term == "发展", "pos"].item() == "v"  # the tag of most of its tokens
    assert np.isclose(freq["share"].sum(), 1.0) and freq.loc[0, "per_10k"] == round(3 * 10_000 / 16, 2)
    assert tc.n_rows() == 0  # a frequency list keeps no per-speech count


def test_terms_asked_are_the_only_rows_kept():
    tc = Tally(counted_types(**_filters()), per_speech=["改革", "没有的词"], chunk_rows=1).add_all(_pairs())
    assert tc.term_counts().values.tolist() == [["a", "改革", 1], ["b", "改革", 2]]
    assert tc.frequency()["term"].tolist() == ["发展", "改革", "四个意识"]  # the list is over every term


def _real_records(tmp_path, paths):
    """``(item, payload)`` of real speeches as a Run gives them to a tally (cut once, cached in tmp_path)."""
    from analysis_utils.scale.pool import Run
    from analysis_utils.scale.segmenter import TokenizerOptions

    run = Run(paths, "tokens", options=TokenizerOptions(), cache=tmp_path / "c")
    return list(run(workers=1, progress=False, errors="raise", desc=""))


def test_a_tally_of_real_speeches_keeps_rows_only_for_the_terms_asked(tmp_path, corpus_dir, seed_path):
    """On real token records (the seed and six corpus speeches, read from the token cache): a tally
    asked for three terms holds one row per speech that uses them and arrays the size of the
    vocabulary, not one row per token type per speech as the whole table needs."""
    records = _real_records(tmp_path, [seed_path] + [corpus_dir / n for n in SAMPLE])
    keep = counted_types(stopwords=None, pos=None, min_len=1, exclude=(), include=())
    full = Tally(keep, per_speech=True, chunk_rows=4000).add_all(records)
    asked = ["发展", "人民", "全面从严治党"]
    few = Tally(keep, per_speech=asked, chunk_rows=4000).add_all(records)
    none = Tally(keep, per_speech=False, chunk_rows=4000).add_all(records)
    whole = full.term_counts()
    mine = few.term_counts()
    pd.testing.assert_frame_equal(mine, whole[whole["term"].isin(asked)].reset_index(drop=True))
    assert few.n_rows() == len(mine) <= 3 * len(records) and none.n_rows() == 0
    assert full.n_rows() == len(whole) > 20 * few.n_rows()
    # what stays is per type and per term (the vocabulary), plus the rows asked for
    vocab = len(few.keys)
    assert few.nbytes() == none.nbytes() + 12 * few.n_rows()
    assert none.nbytes() <= 2 * (1 + 4 + 8) * vocab + 2 * (8 + 1) * len(few.terms)
    assert full.nbytes() == none.nbytes() + 12 * len(whole)
    pd.testing.assert_frame_equal(few.frequency(), full.frequency())
    pd.testing.assert_frame_equal(none.frequency(), full.frequency())


def _fd_path(f) -> str:
    return os.readlink(f"/proc/self/fd/{f.fileno()}")


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to see where the file is")
def test_rows_spilled_to_an_unnamed_file_in_the_cache_folder_give_the_same_tables(tmp_path, corpus_dir, seed_path):
    """The per-speech rows of every term, written fold by fold (many chunks) to an unnamed temporary
    file in the folder given (the cache folder) and read back a chunk at a time, give exactly the
    tables of the rows kept in memory, on real speeches; the tally never holds more rows in memory
    than its budget, and nothing is left in the folder, during or after."""
    records = _real_records(tmp_path, [seed_path] + [corpus_dir / n for n in SAMPLE])
    keep = counted_types(stopwords=None, pos=None, min_len=1, exclude=(), include=())
    memory = Tally(keep, per_speech=True, chunk_rows=3000).add_all(records, len(records))
    folder = tmp_path / "cache"
    folder.mkdir()
    disk = Tally(keep, per_speech=True, chunk_rows=1, spill=folder, spill_rows=500)  # a fold, a chunk per speech
    for item, payload in records:
        disk.add(item, payload)
        assert disk.rows.nbytes() <= 12 * 500
    disk.add_all([], len(records))
    assert disk.rows.nbytes() <= 12 * 500 and list(folder.iterdir()) == []
    assert _fd_path(disk.rows._file).startswith(str(folder))  # the file is in the folder given, unnamed
    n = memory.n_rows()
    assert disk.n_rows() == n > 10 * 500 and disk.rows.spilled >= n - 500 and memory.rows.spilled == 0
    assert sum(isinstance(c, tuple) for c in disk.rows._chunks) >= len(records) - 1  # read back chunk by chunk
    assert disk.nbytes() <= memory.nbytes() - 12 * (n - 500)
    pd.testing.assert_frame_equal(disk.term_counts(), memory.term_counts())
    freq = memory.frequency()
    pd.testing.assert_frame_equal(disk.frequency(), freq)
    top = freq.head(100).reset_index(drop=True)
    pd.testing.assert_frame_equal(disk.with_speech_columns(top), memory.with_speech_columns(top))
    pd.testing.assert_frame_equal(disk.with_speech_columns(freq), memory.with_speech_columns(freq))
    del disk
    gc.collect()
    assert list(folder.iterdir()) == []


@pytest.mark.slow
def test_a_spill_folder_that_cannot_be_written_keeps_the_rows_in_memory(tmp_path, seed_path, corpus_dir):
    """No folder (it is missing), or a file that stops growing (a file size limit, a full disk: here
    RLIMIT_FSIZE in a real process): the rows stay in memory, same tables, nothing raised."""
    paths = [str(p) for p in [seed_path, corpus_dir / SAMPLE[3], corpus_dir / SAMPLE[4]]]
    records = _real_records(tmp_path, paths)
    keep = counted_types(stopwords=None, pos=None, min_len=1, exclude=(), include=())
    memory = Tally(keep, per_speech=True, chunk_rows=1).add_all(records)
    missing = Tally(keep, per_speech=True, chunk_rows=1, spill=tmp_path / "missing", spill_rows=100).add_all(records)
    assert missing.rows.spilled == 0 and not (tmp_path / "missing").exists()
    pd.testing.assert_frame_equal(missing.term_counts(), memory.term_counts())

    script = textwrap.dedent(f"""
        import json, resource, signal, sys
        import pandas as pd
        from analysis_utils.scale.pool import Run
        from analysis_utils.scale.segmenter import TokenizerOptions
        from analysis_utils.scale.counts import Tally, counted_types
        run = Run({paths!r}, "tokens", options=TokenizerOptions(), cache={str(tmp_path / "c")!r})
        records = list(run(workers=1, progress=False, errors="raise", desc=""))
        keep = counted_types(stopwords=None, pos=None, min_len=1, exclude=(), include=())
        memory = Tally(keep, per_speech=True, chunk_rows=1).add_all(records).term_counts()
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        first = int((memory["speech_id"] == memory["speech_id"].iloc[0]).sum())  # the first speech's rows
        resource.setrlimit(resource.RLIMIT_FSIZE, (12 * first + 100, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        tally = Tally(keep, per_speech=True, chunk_rows=1, spill={str(tmp_path)!r}, spill_rows=100)
        got = tally.add_all(records).term_counts()
        pd.testing.assert_frame_equal(got, memory)
        print(json.dumps({{"first": first, "spilled": tally.rows.spilled, "rows": tally.n_rows(), "in_memory": tally.rows.nbytes() // 12}}))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    res = json.loads(out.stdout.strip().splitlines()[-1])
    # the first speech's rows went to the file, the next ones (past the limit) stayed in memory
    assert res["spilled"] == res["first"] > 0 and res["in_memory"] == res["rows"] - res["first"] > 0
