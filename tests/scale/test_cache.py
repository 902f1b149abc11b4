"""The cache: used on a rerun, invalidated by a changed text or lexicon, off when asked, rebuilt
when damaged (a changed byte included: every file has a checksum); records round-trip;
fingerprints follow what they depend on; a cache that cannot be written (a file, a full or
read-only disk) is said once and the results are those of no cache."""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis_utils import Tokenizer, load_speech
from analysis_utils.scale import (
    corpus_substring_counts,
    corpus_term_counts,
    corpus_term_frequency,
    default_cache_dir,
    engine,
    pool,
    tokenizer_fingerprint,
)
from analysis_utils.scale.cache import decode_tokens, encode_counts, encode_tokens, package_digest
from analysis_utils.scale.frames import load_frame, save_frame

from .helpers import CountCalls, corpus_files, plain_counts


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
    mine = after[after.speech_id == victim.stem][["term", "token_count"]].reset_index(drop=True)
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
    assert (second.loc[second.term == "好干部", "token_count"].sum()
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


# ---------------------------------------------------------------------- damaged records (issue 13)
def _bump_token_count(path, term: str, by: int = 1000) -> None:
    """Add ``by`` to ``term``'s count in a token record on disk, keeping its length."""
    data = bytearray(path.read_bytes())
    base = data.find(b"AUTK")
    _, _, n_types, _, _, n_blob = struct.unpack_from("<4sBIIII", data, base)
    head = base + struct.calcsize("<4sBIIII")
    keys = bytes(data[head:head + n_blob]).decode("utf-8").split("\n")
    at = head + n_blob + 4 * next(i for i, k in enumerate(keys) if k.split("\t")[0] == term)
    struct.pack_into("<I", data, at, struct.unpack_from("<I", data, at)[0] + by)
    path.write_bytes(bytes(data))


def _bump_table_count(path, speech_id: str, term: str, by: int = 1000) -> None:
    """Add ``by`` to one count of a stored table (a term_counts result) on disk, keeping its length."""
    data = bytearray(path.read_bytes())
    start = data.find(b"AUDF1\n") + len(b"AUDF1\n")
    nl = data.index(b"\n", start)
    head = json.loads(bytes(data[start:nl]))
    off, cols = nl + 1, {}  # name → (dtype, offset) of a column of numbers
    words_of: dict[str, list[str]] = {}
    for name, kind, _, n_blob, n_arr in head["columns"]:
        if kind == "str":
            words = bytes(data[off:off + n_blob]).decode("utf-8").split("\n")
            off += n_blob
            words_of[name] = [words[c] for c in struct.unpack_from(f"<{head['rows']}i", data, off)]
        else:
            cols[name] = (kind, off)
        off += n_arr
    row = next(i for i, (s, t) in enumerate(zip(words_of["speech_id"], words_of["term"])) if s == speech_id and t == term)
    kind, at = cols["token_count"]
    fmt = kind[0] + {"i8": "q", "u8": "Q", "i4": "i", "u4": "I"}[kind[1:]]
    at += row * struct.calcsize(fmt)
    struct.pack_into(fmt, data, at, struct.unpack_from(fmt, data, at)[0] + by)
    path.write_bytes(bytes(data))


def test_a_count_changed_on_disk_is_not_believed(tmp_path, small_dir):
    """Issue 13: 发展 206 → 1206 in a cache file of the same length changed the results silently."""
    cache = tmp_path / "c"
    first = corpus_term_counts(small_dir, cache=cache, progress=False)
    sid = "002_2013-03-23"
    n = int(first[(first.speech_id == sid) & (first.term == "发展")]["token_count"].iloc[0])
    [table] = cache.rglob("results/*.bin")
    _bump_table_count(table, sid, "发展")  # the stored table …
    pd.testing.assert_frame_equal(corpus_term_counts(small_dir, cache=cache, progress=False), first)
    for table in cache.rglob("results/*.bin"):
        table.unlink()
    for tok in cache.rglob("*.tok"):  # … and the token records it is made from
        _bump_token_count(tok, "发展")
    again = corpus_term_counts(small_dir, cache=cache, progress=False)
    pd.testing.assert_frame_equal(again, first)
    assert int(again[(again.speech_id == sid) & (again.term == "发展")]["token_count"].iloc[0]) == n
    # rebuilt: the next run reads good records again
    pd.testing.assert_frame_equal(corpus_term_counts(small_dir, cache=cache, progress=False, workers=1), first)


def test_a_changed_body_record_is_not_believed(tmp_path, small_dir):
    cache = tmp_path / "c"
    first = corpus_substring_counts(small_dir, ["发展", "改革"], cache=cache, progress=False)
    for body in cache.rglob("speeches/*/*/*.txt"):
        data = body.read_bytes()
        data = data.replace("发展".encode(), "发达".encode())      # a character of the text …
        data = re.sub(rb'"han_chars": (\d)', lambda m: b'"han_chars": ' + str(9 - int(m[1])).encode(), data)  # … a digit
        body.write_bytes(data)
    pd.testing.assert_frame_equal(corpus_substring_counts(small_dir, ["发展", "改革"], cache=cache, progress=False), first)


@pytest.mark.slow
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_byte_flipped_in_any_cache_file_changes_nothing(tmp_path_factory, small_dir, data):
    pristine = tmp_path_factory.getbasetemp() / "flip-pristine"
    if not pristine.exists():
        corpus_term_frequency(small_dir, cache=pristine, progress=False, workers=1, by_speech=True)
    expected = corpus_term_frequency(small_dir, cache=False, progress=False, workers=1, by_speech=True)
    cache = tmp_path_factory.mktemp("flip")
    shutil.copytree(pristine, cache, dirs_exist_ok=True)
    files = sorted(p for p in cache.rglob("*") if p.is_file())
    victim = data.draw(st.sampled_from(files))
    raw = bytearray(victim.read_bytes())
    at = data.draw(st.integers(0, len(raw) - 1))
    raw[at] ^= data.draw(st.integers(1, 255))
    victim.write_bytes(bytes(raw))
    got = corpus_term_frequency(small_dir, cache=cache, progress=False, workers=1, by_speech=True)
    pd.testing.assert_frame_equal(got, expected)


def test_records_planted_by_another_user_are_not_believed(tmp_path, small_dir, capsys):
    """A checksum stops accidents, not a writer (who can compute it): records, and a cache
    folder, that belong to another user are not used at all."""
    from analysis_utils.scale.cache import seal

    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("giving files to another user needs root")
    cache = tmp_path / "c"
    first = corpus_term_counts(small_dir, cache=cache, progress=False)
    for table in cache.rglob("results/*.bin"):
        table.unlink()
    header = len(seal("x", b""))
    for tok in cache.rglob("*.tok"):
        _bump_token_count(tok, "发展")
        tok.write_bytes(seal(tok.name, tok.read_bytes()[header:]))  # a checksum that holds
        os.chown(tok, 65534, 65534)
    pd.testing.assert_frame_equal(corpus_term_counts(small_dir, cache=cache, progress=False), first)
    assert not _warnings(capsys.readouterr().err)  # records refused one by one, made again (now ours)
    for path in [cache, *cache.rglob("*")]:
        os.chown(path, 65534, 65534, follow_symlinks=False)
    for tok in cache.rglob("*.tok"):
        _bump_token_count(tok, "发展")
        tok.write_bytes(seal(tok.name, tok.read_bytes()[header:]))
    pd.testing.assert_frame_equal(corpus_term_counts(small_dir, cache=cache, progress=False), first)
    [warning] = _warnings(capsys.readouterr().err)
    assert warning == f"warning: not using the token cache {cache} (it belongs to another user (uid 65534)): continuing without it"


# ---------------------------------------------------------------------- a cache that cannot be written (issue 13)
def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("warning: ")]


@pytest.mark.slow
@pytest.mark.parametrize("where", ["parent is a file", "cache is a file"])
def test_a_cache_that_is_not_a_folder_runs_uncached_with_one_warning(tmp_path, small_dir, capsys, where):
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    cache = tmp_path / "file" / "cache" if where == "parent is a file" else tmp_path / "file"
    expected = corpus_term_counts(small_dir, cache=False, progress=False)
    capsys.readouterr()
    got = corpus_term_counts(small_dir, cache=cache, progress=False)
    pd.testing.assert_frame_equal(got, expected)
    [warning] = _warnings(capsys.readouterr().err)
    assert str(cache) in warning and f"{tmp_path / 'file'} is a file, not a folder" in warning
    assert (tmp_path / "file").read_text(encoding="utf-8") == "not a folder"


@pytest.fixture
def tiny_disk(tmp_path):
    """A 256 KB file system of its own (a tmpfs; needs root), unmounted afterwards."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _fill(disk, leave: int) -> None:
    """Fill ``disk`` until at most ``leave`` bytes are free."""
    with open(disk / "filler", "wb") as f:
        try:
            while os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize > leave:
                f.write(b"\0" * 4096)
                f.flush()
        except OSError as e:
            assert e.errno == errno.ENOSPC


@pytest.mark.slow
@pytest.mark.parametrize("free,workers", [(0, 1), (40_000, 1), (40_000, 2)])
def test_a_full_disk_runs_uncached_with_one_warning(tiny_disk, small_dir, capsys, monkeypatch, free, workers):
    monkeypatch.setattr(pool, "PARALLEL_MIN_BYTES", 0)
    expected = corpus_term_counts(small_dir, cache=False, progress=False)
    _fill(tiny_disk, free)
    capsys.readouterr()
    got = corpus_term_counts(small_dir, cache=tiny_disk / "cache", progress=False, workers=workers)
    pd.testing.assert_frame_equal(got, expected)
    [warning] = _warnings(capsys.readouterr().err)
    assert str(tiny_disk / "cache") in warning and "no space left" in warning.lower()
    assert not [p for p in tiny_disk.rglob(".*") if p.is_file()]  # no temporary file left behind


def test_a_read_only_cache_is_read_and_not_written(tiny_disk, small_dir, capsys):
    cache = tiny_disk / "cache"
    first = corpus_term_counts(small_dir, cache=cache, progress=False)
    shutil.copy(small_dir / "001_2013-03-22.txt", small_dir / "new.txt")  # a speech the cache does not hold
    expected = corpus_term_counts(small_dir, cache=False, progress=False)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    capsys.readouterr()
    pd.testing.assert_frame_equal(corpus_term_counts(small_dir, cache=cache, progress=False), expected)
    [warning] = _warnings(capsys.readouterr().err)
    assert str(cache) in warning and "read-only file system" in warning.lower()
    (small_dir / "new.txt").unlink()
    pd.testing.assert_frame_equal(corpus_term_counts(small_dir, cache=cache, progress=False), first)
    assert not _warnings(capsys.readouterr().err)  # all in the cache: nothing to write, nothing to say


@pytest.mark.slow
def test_cli_with_a_clobbered_cache_says_so_once_and_counts(tmp_path, small_dir):
    import analysis_utils

    env = {**os.environ, "PYTHONPATH": str(Path(analysis_utils.__file__).parents[1])}
    (tmp_path / "clobbered").write_bytes(b"\0" * 10)
    runs = {}
    for name, cache in (("good", tmp_path / "good"), ("clobbered", tmp_path / "clobbered")):
        runs[name] = subprocess.run([sys.executable, "-m", "analysis_utils", "terms", str(small_dir), "--format", "csv"],
                                    env={**env, "ANALYSIS_UTILS_CACHE": str(cache)}, capture_output=True, text=True,
                                    timeout=300)
    assert runs["good"].returncode == 0 and runs["clobbered"].returncode == 0, runs["clobbered"].stderr
    assert runs["clobbered"].stdout == runs["good"].stdout
    assert runs["clobbered"].stderr.splitlines() == [
        f"warning: cannot write the token cache {tmp_path / 'clobbered'} ({tmp_path / 'clobbered'} is a file, not a folder):"
        " continuing without it"]


def test_a_changed_stop_list_changes_the_memo_key_of_corpus_results(tmp_path, monkeypatch):
    """Remembered corpus tables depend on the data files (function characters, official verbs,
    stopwords) as much as on the code: editing one of them must not reuse an old table."""
    from analysis_utils import config
    from analysis_utils.scale.cache import sources_digest

    pkg = tmp_path / "pkg"
    (pkg / "data").mkdir(parents=True)
    (pkg / "stats").mkdir()
    (pkg / "stats" / "a.py").write_text("x = 1\n", encoding="utf-8")
    (pkg / "data" / "function_chars.txt").write_text("的\n了\n", encoding="utf-8")
    monkeypatch.setattr(config, "PACKAGE_DIR", pkg)
    monkeypatch.setattr(config, "DATA_DIR", pkg / "data")
    before = sources_digest(("stats", "data"))
    (pkg / "data" / "function_chars.txt").write_text("的\n", encoding="utf-8")
    assert sources_digest(("stats", "data")) != before


# -- the tag memo (issue 20) -------------------------------------------------------------------
_HMM_TEXT = "涧贤镇推进乡村振兴，涧贤村两委换届，嗯哼组织带头人培训"


def _learned(tmp_path):
    """A fast tokenizer that tagged the words its HMM made up in _HMM_TEXT, and its memo folder."""
    from analysis_utils.scale import fast_tokenizer
    from analysis_utils.scale.cache import TagMemo

    tok = fast_tokenizer()
    tok.cut_table(_HMM_TEXT)
    assert tok.learned
    TagMemo(tmp_path / "tags").save(tok)
    return tok, tmp_path / "tags"


def test_tag_memo_round_trips_and_merges_what_workers_left(tmp_path):
    from analysis_utils.scale import fast_tokenizer
    from analysis_utils.scale.cache import TagMemo

    tok, folder = _learned(tmp_path)
    worker = fast_tokenizer()
    worker.cut_table("尕让乡的咔咔团，“拉条子”走俏")
    TagMemo(folder).save(worker)
    assert len(list(folder.glob("*.bin"))) == 2 and not (folder / "memo.bin").exists()
    fresh = fast_tokenizer()
    assert TagMemo(folder).load(fresh) == len(tok.learned.keys() | worker.learned.keys())
    assert [p.name for p in folder.glob("*.bin")] == ["memo.bin"]  # merged, the workers' files removed
    assert fresh.learned == {} and all(fresh.tag(w) == t for w, t in tok.learned.items())
    assert list(fresh.cut(_HMM_TEXT, pos=True)) == list(Tokenizer().cut(_HMM_TEXT, pos=True))
    assert TagMemo(folder).load(fast_tokenizer()) > 0  # memo.bin alone next time


@pytest.mark.parametrize("damage", ["byte", "truncated", "foreign", "garbage", "wrong_tags"])
def test_a_damaged_or_foreign_tag_memo_is_ignored_and_tokens_stay_the_same(tmp_path, damage):
    from analysis_utils.scale import fast_tokenizer
    from analysis_utils.scale.cache import TagMemo, _encode_tags, write

    _, folder = _learned(tmp_path)
    path = next(folder.glob("*.bin"))
    data = path.read_bytes()
    if damage == "byte":
        path.write_bytes(data[:-3] + bytes([data[-3] ^ 1]) + data[-2:])
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "foreign":
        path.chmod(0o666)  # writable by others: anyone could have put tags in it
    elif damage == "garbage":
        path.write_bytes(os.urandom(200))
    else:  # sealed as ours, but tags no tagger gives and a dictionary word retagged
        write(path, _encode_tags({"干部": "v", "涧贤": "nonsense", "四个意识": "v"}))
    fresh = fast_tokenizer()
    assert TagMemo(folder).load(fresh) == 0
    assert fresh.tag("干部") == "n" and fresh.tag("四个意识") == "nz"
    for text in (_HMM_TEXT, "干部四个意识"):
        assert list(fresh.cut(text, pos=True)) == list(Tokenizer().cut(text, pos=True))


def test_a_tag_memo_that_cannot_be_written_is_no_error(tmp_path):
    from analysis_utils.scale import fast_tokenizer
    from analysis_utils.scale.cache import TagMemo

    (tmp_path / "file").write_text("x")
    tok = fast_tokenizer()
    tok.cut_table(_HMM_TEXT)
    TagMemo(tmp_path / "file" / "tags").save(tok)  # a file where the folder should be
    assert TagMemo(tmp_path / "file" / "tags").load(fast_tokenizer()) == 0
    TagMemo(None).save(tok)
    assert TagMemo(None).load(tok) == 0


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_body_record_gives_the_same_substring_counts_and_is_made_again(tmp_path, small_dir, damage):
    """Substring counts open each cached body once (no header read while planning): a body record
    damaged on disk is caught when read, the speech loaded again, the counts unchanged, the record rewritten."""
    from analysis_utils.scale import corpus_substring_counts

    terms = ["发展", "改革", "党"]
    first = corpus_substring_counts(small_dir, terms, cache=tmp_path / "c", progress=False)
    bodies = sorted((tmp_path / "c" / "speeches").rglob("*.txt"))
    assert bodies
    victim = bodies[0]
    good = victim.read_bytes()
    victim.write_bytes({"truncated": good[:40], "garbage": b"\x00" * len(good), "empty": b""}[damage])
    again = corpus_substring_counts(small_dir, terms, cache=tmp_path / "c", progress=False)
    pd.testing.assert_frame_equal(first, again)
    assert victim.read_bytes() == good


def test_a_records_counts_without_its_sequence_are_its_counts(tokenizer, seed_path):
    """``counts_only`` (what Dask workers send back) keeps a real record's types, counts and
    Chinese-character count, and drops only the token sequence."""
    from analysis_utils.scale.cache import counts_only

    speech = load_speech(seed_path)
    full = encode_tokens(tokenizer.cut(speech.body, pos=True), speech.han_chars)
    whole, short = decode_tokens(full, sequence=False), decode_tokens(counts_only(full))
    assert short.keys == whole.keys and short.counts.tolist() == whole.counts.tolist() and len(whole.keys) > 500
    assert short.han_chars == speech.han_chars and len(short.ids) == 0 and len(counts_only(full)) < len(full)


def _encode_tokens_before_issue_20_round_2(rows, han_chars):
    """``encode_tokens`` as it was at ecdeb5b (the oracle): every type's key made again per record."""
    import numpy as np

    from analysis_utils.tokenizer import CutTable

    table = rows if isinstance(rows, CutTable) else CutTable.from_rows(rows)
    keys = []
    for token, pos, origin in table.types:
        if "\n" in token or "\t" in token:
            raise ValueError(f"a token with a tab or line break cannot be cached: {token!r}")
        keys.append(f"{token}\t{pos}\t{origin}")
    blob = "\n".join(keys).encode("utf-8")
    width = 2 if len(keys) < 65536 else 4
    ids_arr = table.ids.astype(f"<u{width}")
    counts = np.bincount(ids_arr, minlength=len(keys)).astype("<u4") if len(ids_arr) else np.zeros(len(keys), "<u4")
    head = struct.pack("<4sBIIII", b"AUTK", width, len(keys), len(ids_arr), han_chars, len(blob))
    return b"".join([head, blob, counts.tobytes(), ids_arr.tobytes(), table.starts.astype("<u4").tobytes()])


def _assert_records_as_before(tok, speeches):
    for s in speeches:
        for pos in (True, False):
            table = tok.cut_table(s.body, pos=pos)
            assert table.keys is not None and len(table.keys) == len(table.types)
            new = encode_tokens(table, s.han_chars)
            assert new == _encode_tokens_before_issue_20_round_2(table, s.han_chars), s.path
            assert new == encode_tokens(table._replace(keys=None), s.han_chars)


def test_a_record_from_the_keys_the_tokenizer_made_once_is_the_old_record_byte_for_byte(seed_speech):
    """The fast path's table carries each type's record key, made once per type: the record is
    the one the old code made from the types, on the seed (tags and no tags, twice: types known)."""
    from analysis_utils.scale import fast_tokenizer

    tok = fast_tokenizer()
    _assert_records_as_before(tok, [seed_speech, seed_speech])


@pytest.mark.slow
def test_records_from_the_keys_made_once_are_the_old_records_on_every_corpus_text(seed_speech, corpus_dir):
    from analysis_utils.scale import fast_tokenizer
    from analysis_utils.scale.sources import as_corpus, load_item

    texts = [seed_speech] + [load_speech(p) for p in corpus_files(corpus_dir)]
    texts += [load_item(it) for j in sorted((corpus_dir / "wikisource").glob("*.jsonl")) for it in as_corpus(j).stream()]
    assert len(texts) > 140
    _assert_records_as_before(fast_tokenizer(), texts)


@pytest.mark.parametrize("token", ["a\tb", "a\nb", chr(0xD800) + "中"])
def test_a_type_no_record_can_hold_is_refused_as_before(token):
    """A token with a tab or line break, or one UTF-8 cannot encode, has no key made once: the
    record's own code refuses it as it did (ValueError, UnicodeEncodeError)."""
    import numpy as np

    from analysis_utils.tokenizer import CutTable, record_key

    table = CutTable([(token, "x", "jieba")], np.zeros(1, np.int64), np.zeros(1, np.int64), [record_key((token, "x", "jieba"))])
    assert table.keys == [None]
    with pytest.raises((ValueError, UnicodeEncodeError)) as new:
        encode_tokens(table, 0)
    with pytest.raises((ValueError, UnicodeEncodeError)) as old:
        _encode_tokens_before_issue_20_round_2(table, 0)
    assert type(new.value) is type(old.value) and str(new.value) == str(old.value)


# -- issue 20: jieba's dictionary image (FREQ, total and the tag table), made once, read by every process -----
IMAGE_IN_A_NEW_PROCESS = """
import hashlib, json, sys
from analysis_utils.scale import cache
def made_again(*_):
    raise AssertionError("the image was made again from dict.txt, not read")
cache.build_jieba_image = made_again
image = cache.jieba_image()
print(json.dumps([hashlib.sha256(json.dumps(sorted(t.items()), ensure_ascii=False).encode()).hexdigest()
                  for t in (image.freq, image.tags)] + [image.total]))
"""


def _digests_of_jiebas_own_tables():
    """What jieba's own code makes of dict.txt (its FREQ and total, its tagger's table), as the
    process of IMAGE_IN_A_NEW_PROCESS prints them."""
    import hashlib

    import jieba
    import jieba.posseg

    from analysis_utils.scale.cache import jieba_dict_path

    with open(jieba_dict_path(), "rb") as f:
        freq, total = jieba.Tokenizer.gen_pfdict(f)
    tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())  # reads jieba's dict.txt
    return [hashlib.sha256(json.dumps(sorted(t.items()), ensure_ascii=False).encode()).hexdigest()
            for t in (freq, tagger.word_tag_tab)] + [total]


@pytest.mark.slow
def test_the_jieba_image_a_new_process_reads_holds_jiebas_own_tables(tmp_path):
    """The image made by one process (an empty cache folder) is read, not made again, by the next
    one, and holds exactly what jieba's code makes of dict.txt: FREQ, total and the tag table."""
    import analysis_utils

    env = {**os.environ, "ANALYSIS_UTILS_CACHE": str(tmp_path), "PYTHONPATH": str(Path(analysis_utils.__file__).parents[1])}
    made = subprocess.run([sys.executable, "-c", "from analysis_utils.scale.cache import jieba_image; jieba_image()"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    [stored] = (tmp_path / "jieba").iterdir()
    assert stored.name.startswith("image") and stored.suffix == ".marshal"
    read = subprocess.run([sys.executable, "-c", IMAGE_IN_A_NEW_PROCESS], env=env, capture_output=True, text=True,
                          timeout=300)
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout) == _digests_of_jiebas_own_tables()


def _plant(path: Path, how: str) -> None:
    """Damage the stored image at ``path`` in one of the ways a file on disk can be wrong."""
    import marshal

    from analysis_utils.scale.cache import IMAGE_FORMAT, decode_image, read, seal, unseal

    image = decode_image(read(path))
    assert image is not None
    poisoned = (IMAGE_FORMAT, {**image.freq, "中华人民共和国": 0}, image.total, image.tags)
    data = path.read_bytes()
    planted = {
        "truncated": lambda: data[: len(data) // 2],
        "a byte flipped": lambda: data[:-100] + bytes([data[-100] ^ 1]) + data[-99:],
        "empty": lambda: b"",
        "the old layout (FREQ, total)": lambda: seal(path.name, marshal.dumps((image.freq, image.total))),
        "another layout number": lambda: seal(path.name, marshal.dumps((IMAGE_FORMAT + 1, *poisoned[1:]))),
        "a sealed image cut short": lambda: seal(path.name, marshal.dumps(poisoned)[:-1000]),
        "not marshal": lambda: seal(path.name, b"\x00" * 64),
        "another file's image": lambda: seal("image-other.marshal", marshal.dumps(poisoned)),
    }[how]()
    path.write_bytes(planted)
    assert unseal(path.name, planted) is None or decode_image(unseal(path.name, planted)) is None


@pytest.mark.slow
@pytest.mark.parametrize("how", ["truncated", "a byte flipped", "empty", "the old layout (FREQ, total)",
                                 "another layout number", "a sealed image cut short", "not marshal",
                                 "another file's image"])
def test_a_damaged_or_foreign_jieba_image_is_made_again_never_believed(tmp_path, monkeypatch, how):
    from analysis_utils.scale import cache
    from analysis_utils.tokenizer import new_jieba

    monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "_DICTIONARY", None)  # as in a new process
    good = cache.jieba_image()
    [stored] = (tmp_path / "jieba").iterdir()
    _plant(stored, how)
    monkeypatch.setattr(cache, "_DICTIONARY", None)  # a new process finds the damaged file
    again = cache.jieba_image()
    assert again is not good and again == good                  # made again from dict.txt, equal
    assert cache.decode_image(cache.read(stored)) == good        # and stored whole again
    assert new_jieba().lcut("中华人民共和国成立") == ["中华人民共和国", "成立"]


def test_storing_the_image_removes_the_dictionary_files_of_the_layout_before_it(tmp_path, monkeypatch):
    # before the image, the cache kept jieba's FREQ and total as dict-<version>-<digest>.marshal (9 MB each),
    # which nothing reads any more: they went on taking room in every user's cache folder
    from analysis_utils.scale import cache

    monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "_DICTIONARY", None)  # as in a new process
    old = [tmp_path / "jieba" / f"dict-0.42.1-{d}.marshal" for d in ("7197c3211ddd9896", "0123456789abcdef")]
    old[0].parent.mkdir()
    for f in old:
        f.write_bytes(b"old")
    kept = tmp_path / "jieba" / "notes.txt"  # anything else in the folder stays
    kept.write_text("mine", encoding="utf-8")
    monkeypatch.setattr(cache, "build_jieba_image", lambda _: cache.JiebaImage({"党": 3}, 3, {"党": "n"}))  # quick
    cache.jieba_image()
    names = sorted(p.name for p in (tmp_path / "jieba").iterdir())
    assert len(names) == 2 and names[0].startswith("image") and names[1] == "notes.txt"


def test_one_process_reads_the_jieba_image_once_and_every_new_cache_folder_gets_it(tmp_path, monkeypatch):
    from analysis_utils.scale import cache

    monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(tmp_path / "a"))
    (tmp_path / "a").mkdir()
    first = cache.jieba_image()
    monkeypatch.setattr(cache, "read", lambda *_: pytest.fail("read again"))
    monkeypatch.setattr(cache, "build_jieba_image", lambda *_: pytest.fail("made again"))
    for folder in ("b", "c"):
        (tmp_path / folder).mkdir()
        monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(tmp_path / folder))
        assert cache.jieba_image() is first
        [stored] = (tmp_path / folder / "jieba").iterdir()
        assert cache.decode_image(cache.unseal(stored.name, stored.read_bytes())) == first
    monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(tmp_path / "not made"))  # no cache folder: nothing written
    assert cache.jieba_image() is first and not (tmp_path / "not made").exists()
