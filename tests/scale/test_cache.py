"""The cache: used on a rerun, invalidated by a changed text or lexicon, off when asked, rebuilt
when damaged; records round-trip; fingerprints follow what they depend on."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis_utils import Tokenizer, load_speech
from analysis_utils.scale import corpus_term_counts, default_cache_dir, engine, tokenizer_fingerprint
from analysis_utils.scale.cache import decode_tokens, encode_counts, encode_tokens, load_frame, package_digest, save_frame

from .helpers import CountCalls, plain_counts


def test_second_run_reads_the_cache(tmp_path, monkeypatch, small_dir):
    calls = CountCalls(monkeypatch)
    first = corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False)
    assert calls.n == 3
    toks = sorted((tmp_path / "c").rglob("*.tok"))
    assert len(toks) == 3
    again = corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False, pos=["n"])  # new question, same tokens
    assert calls.n == 3
    assert set(again["term"]) <= set(first["term"]) and len(again) < len(first)
    # the same question again: the stored table, not even the token records
    monkeypatch.setattr(engine, "_type_counts", lambda *a, **k: pytest.fail("recomputed"))
    pd.testing.assert_frame_equal(corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False), first)


def test_changed_text_is_cut_again_and_only_it(tmp_path, monkeypatch, small_dir):
    corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False)
    calls = CountCalls(monkeypatch)
    victim = sorted(small_dir.iterdir())[0]
    with open(victim, "a", encoding="utf-8") as f:
        f.write("\n我们要坚持高质量发展，坚持高质量发展，坚持高质量发展。\n")
    after = corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False)
    assert calls.n == 1
    ref = plain_counts(load_speech(victim), Tokenizer())
    mine = after[after.speech_id == victim.stem][["term", "count"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, ref, check_dtype=False)
    # touched but not changed: hashed again, not cut again
    victim.touch()
    corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False, all_tokens=True)
    assert calls.n == 1


@pytest.mark.slow
def test_changed_lexicon_invalidates_the_cache(tmp_path, monkeypatch, small_dir):
    lex = tmp_path / "my_lexicon.tsv"
    lex.write_text("phrase\tcategory\tnote\n县委书记\t测试\t\n", encoding="utf-8")
    first = corpus_term_counts(small_dir, lexicon_files=[lex], cache=tmp_path / "c", progress=False, all_tokens=True)
    calls = CountCalls(monkeypatch)
    corpus_term_counts(small_dir, lexicon_files=[lex], cache=tmp_path / "c", progress=False)
    assert calls.n == 0
    lex.write_text("phrase\tcategory\tnote\n县委书记\t测试\t\n好干部\t测试\t\n", encoding="utf-8")
    second = corpus_term_counts(small_dir, lexicon_files=[lex], cache=tmp_path / "c", progress=False, all_tokens=True)
    assert calls.n == 3
    assert "好干部" in set(second["term"]) and "好干部" not in set(first["term"])
    assert (second.loc[second.term == "好干部", "count"].sum()
            == sum(load_speech(p).body.count("好干部") for p in small_dir.iterdir()))


def test_a_word_added_to_your_tokenizer_makes_a_new_fingerprint(tmp_path, monkeypatch, small_dir, tokenizer):
    mine = tokenizer.with_segmenter(None)
    before = tokenizer_fingerprint(mine)
    first = corpus_term_counts(small_dir, tokenizer=mine, cache=tmp_path / "c", progress=False, all_tokens=True)
    mine.add_word("好干部")
    assert tokenizer_fingerprint(mine) != before
    calls = CountCalls(monkeypatch)
    second = corpus_term_counts(small_dir, tokenizer=mine, cache=tmp_path / "c", progress=False, all_tokens=True)
    assert calls.n == 3  # not the tokens cut before the word was added
    assert "好干部" in set(second["term"]) and "好干部" not in set(first["term"])


@pytest.mark.slow
def test_no_cache_writes_nothing(tmp_path, small_dir, monkeypatch):
    monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(tmp_path / "env_cache"))
    assert default_cache_dir() == tmp_path / "env_cache"
    a = corpus_term_counts(small_dir, cache=False, progress=False)
    assert not (tmp_path / "env_cache").exists()
    b = corpus_term_counts(small_dir, progress=False)  # cache=True: the env folder
    assert any((tmp_path / "env_cache").rglob("*.tok"))
    pd.testing.assert_frame_equal(a, b)


def test_damaged_cache_record_is_rebuilt(tmp_path, small_dir):
    first = corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False, all_tokens=True)
    for tok in (tmp_path / "c").rglob("*.tok"):
        tok.write_bytes(tok.read_bytes()[:40])
    again = corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False, all_tokens=True, pos=["n"])
    assert len(again) and set(again["speech_id"]) == set(first["speech_id"])
    assert not list((tmp_path / "c").rglob(".*.tmp")) and not list((tmp_path / "c").rglob(".*.tok"))  # no leftovers


def test_records_round_trip(tokenizer):
    text = "同志们，推广一征三议两公开工作法。×××同志"
    rows = list(tokenizer.cut(text, pos=True))
    rec = decode_tokens(encode_tokens(rows, 7))
    table = rec.tokens()
    assert list(zip(table.token, table.start, table.end, table.pos, table.origin)) == [
        (t, s, e, p, o) for t, s, e, p, o in rows]
    assert rec.han_chars == 7 and int(rec.counts.sum()) == len(rows)
    empty = decode_tokens(encode_tokens([], 0))
    assert empty.keys == [] and len(empty.tokens()) == 0
    counts = decode_tokens(encode_counts({"发展\tvn\tjieba": 3}, 5), sequence=False)
    assert counts.keys == ["发展\tvn\tjieba"] and counts.counts.tolist() == [3]
    with pytest.raises(ValueError, match="damaged|truncated"):
        decode_tokens(encode_tokens(rows, 7)[:-1])
    with pytest.raises(ValueError, match="cannot be cached"):
        encode_tokens([("a\tb", 0, 3, "x", "jieba")], 0)


def test_stored_tables_round_trip_and_others_are_not_stored(tmp_path):
    df = pd.DataFrame({"term": ["发展", "改革", "发展"], "count": [3, 2, 1], "per_10k": [1.5, 0.25, 0.0]})
    save_frame(tmp_path / "t.bin", df)
    pd.testing.assert_frame_equal(load_frame(tmp_path / "t.bin"), df)
    save_frame(tmp_path / "lists.bin", pd.DataFrame({"x": [[1], [2]]}))
    assert not (tmp_path / "lists.bin").exists() and load_frame(tmp_path / "lists.bin") is None
    (tmp_path / "bad.bin").write_bytes(b"AUDF1\n{}")
    assert load_frame(tmp_path / "bad.bin") is None


def test_per_speech_results_depend_on_the_code_of_every_sub_package():
    names = [entry.split(":")[0] for entry in package_digest()]
    assert "slogans/hits.py" in names and "tokenizer.py" in names and "data/lexicon.tsv" in names
