"""The corpus analyses: same tokens and counts as the plain path, substring counts equal to
str.count, the folder commands of the CLI on this path, jieba's own counts."""
from __future__ import annotations

import random

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis_utils import Corpus, load_speech
from analysis_utils.scale import (
    CORPUS_TOKEN_COLUMNS,
    SubstringCounter,
    corpus_slogan_matrix,
    corpus_substring_counts,
    corpus_term_counts,
    corpus_term_frequency,
    corpus_tokens,
)
from analysis_utils.stats import substring_counts

from .helpers import SAMPLE, corpus_files, plain_counts


# ------------------------------------------------------------------ tokens and counts = plain path
@pytest.mark.slow
def test_corpus_tokens_equal_tokenizer_tokens(tmp_path, tokenizer, seed_path, corpus_dir):
    paths = [seed_path] + [corpus_dir / n for n in SAMPLE]
    for attempt in ("cold", "cached"):
        got = list(corpus_tokens(paths, cache=tmp_path / "cache", workers=1, progress=False))
        assert [it.path for it, _ in got] == paths, attempt
        for item, tokens in got:
            ref = tokenizer.tokens(load_speech(item.path))[CORPUS_TOKEN_COLUMNS].reset_index(drop=True)
            pd.testing.assert_frame_equal(tokens, ref, check_dtype=False, obj=f"{attempt} {item.id}")


@pytest.mark.slow
def test_term_counts_equal_plain_path_on_whole_corpus(tmp_path, tokenizer, corpus_dir, seed_path):
    got = corpus_term_counts([seed_path, corpus_dir], cache=tmp_path / "cache", progress=False)
    files = [seed_path] + corpus_files(corpus_dir)
    assert list(dict.fromkeys(got["speech_id"])) == [p.stem for p in files]
    by_speech = dict(tuple(got.groupby("speech_id", sort=False)))
    for p in files:
        mine = by_speech[p.stem][["term", "token_count"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, plain_counts(load_speech(p), tokenizer), check_dtype=False, obj=p.name)
    # a Corpus of the same source gives the same table
    pd.testing.assert_frame_equal(corpus_term_counts(Corpus([seed_path, corpus_dir]), cache=tmp_path / "cache",
                                                     progress=False), got)


def test_term_counts_all_tokens_equal_token_value_counts(tmp_path, tokenizer, seed_speech, seed_path):
    got = corpus_term_counts(seed_path, all_tokens=True, cache=tmp_path / "c", progress=False)
    ref = tokenizer.tokens(seed_speech)["token"].value_counts()
    assert dict(zip(got["term"], got["token_count"])) == ref.to_dict()
    assert got["token_count"].sum() == len(tokenizer.tokens(seed_speech))


def test_term_frequency_equals_corpus_frequency(tmp_path, tokenizer, corpus_dir):
    from analysis_utils.stats import corpus_frequency

    paths = [corpus_dir / n for n in SAMPLE[1:5]]
    mine = corpus_term_frequency(paths, cache=tmp_path / "c", progress=False)
    ref = corpus_frequency(paths, tokenizer=tokenizer)[list(mine.columns)]
    pd.testing.assert_frame_equal(mine, ref, check_dtype=False)


# ------------------------------------------------------------------ substring counts
@pytest.mark.parametrize("backend", ["ahocorasick_rs", "pyahocorasick"])
@pytest.mark.parametrize("text,terms,expected", [
    ("稳定稳中求进，哈哈哈", ["稳", "稳定", "哈哈"], [2, 1, 1]),
    ("人民群众是人民", ["人民", "人民群众", "群众"], [2, 1, 1]),
    ("aaaa", ["aa", "a", "aaa"], [2, 4, 1]),
    ("", ["稳"], [0]),
    ("😀😀😀中", ["😀😀", "中"], [1, 1]),
    ("坚持坚持", ["坚持", "坚持", ""], [2]),
])
def test_substring_counter_cases(backend, text, terms, expected):
    if backend == "ahocorasick_rs":
        pytest.importorskip("ahocorasick_rs")
    counter = SubstringCounter(terms, backend=backend)
    assert counter.count(text) == expected
    assert counter.count(text.encode("utf-8")) == expected


@pytest.mark.parametrize("backend", ["auto", "pyahocorasick"])
def test_substring_counter_equals_str_count_on_random_text(backend):
    rng = random.Random(11)
    for _ in range(200):
        terms = ["".join(rng.choice("稳定发展a") for _ in range(rng.randint(1, 4))) for _ in range(6)]
        text = "".join(rng.choice("稳定发展a，") for _ in range(rng.randint(0, 80)))
        counter = SubstringCounter(terms, backend=backend)
        assert counter.count(text) == [text.count(t) for t in counter.terms], (terms, text)


def test_substring_counter_without_terms_or_with_a_bad_backend():
    assert SubstringCounter([]).count("稳") == [] and SubstringCounter(["", ""]).terms == []
    with pytest.raises(ValueError, match="backend"):
        SubstringCounter(["稳"], backend="re")  # type: ignore[arg-type]


def test_corpus_substring_counts_equal_substring_counts(tmp_path, corpus_dir, seed_path, seed_speech):
    terms = ["稳", "就业", "稳定", "人民", "人民群众", "发展", "高质量发展", "党", "全面从严治党", "四个意识", "不存在的词"]
    got = corpus_substring_counts([seed_path, corpus_dir], terms, cache=tmp_path / "c", progress=False)
    files = [seed_path] + corpus_files(corpus_dir)
    assert len(got) == len(files) * len(terms)
    for p in files:
        mine = got[got.speech_id == p.stem][["term", "substring_count", "per_10k"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, substring_counts(load_speech(p), terms), check_dtype=False, obj=p.name)
    gwr = got[got.speech_id == "gwr_2022_crlf"].set_index("term")["substring_count"]
    assert (gwr["稳"], gwr["就业"]) == (78, 34)  # the published counts
    # every lexicon phrase, cached bodies, zeros left out
    lex = corpus_substring_counts(seed_path, None, zeros=False, cache=tmp_path / "c", progress=False)
    from analysis_utils import load_lexicon

    ref = substring_counts(seed_speech, load_lexicon().phrase)
    ref = ref[ref["substring_count"] > 0].reset_index(drop=True)
    pd.testing.assert_frame_equal(lex[["term", "substring_count", "per_10k"]], ref, check_dtype=False)


# ------------------------------------------------------------------ folder commands use this path
def test_term_frequency_by_speech_equals_corpus_frequency(tmp_path, tokenizer, corpus_dir):
    from analysis_utils.stats import corpus_frequency

    paths = [corpus_dir / n for n in SAMPLE[2:]]
    mine = corpus_term_frequency(paths, by_speech=True, top_n=40, cache=tmp_path / "c", progress=False)
    pd.testing.assert_frame_equal(mine, corpus_frequency(paths, tokenizer=tokenizer, top=40), check_dtype=False)
    old_name = corpus_term_frequency(paths, by_speech=True, top=40, cache=tmp_path / "c", progress=False)
    pd.testing.assert_frame_equal(old_name, mine, check_dtype=False)  # the deprecated keyword still works (read back)


@pytest.mark.slow
def test_per_speech_rows_spill_into_the_cache_folder_with_the_same_tables(tmp_path, corpus_dir, seed_path, monkeypatch):
    """With a cache folder, the per-speech rows of every term go (past a few MB; here past 100 rows)
    to an unnamed temporary file in that folder, nowhere else, and the tables are those of
    ``cache=False`` (every row in memory): ``terms DIR``'s by_speech table and the long table."""
    import os
    import tempfile

    from analysis_utils.scale import counts

    monkeypatch.setattr(counts, "SPILL_ROWS", 100)
    monkeypatch.setattr(counts, "CHUNK_ROWS", 1)  # a fold, a chunk per speech
    made, real = [], tempfile.TemporaryFile

    def spy(*args, **kwargs):
        f = real(*args, **kwargs)
        made.append((kwargs.get("dir"), os.readlink(f"/proc/self/fd/{f.fileno()}")))
        return f

    monkeypatch.setattr(tempfile, "TemporaryFile", spy)
    paths = [seed_path] + [corpus_dir / n for n in SAMPLE[2:]]
    kw = dict(progress=False, workers=1)
    cache = tmp_path / "c"
    mine = corpus_term_frequency(paths, by_speech=True, top_n=40, cache=cache, **kw)
    assert len(made) == 1 and made[0][0] == cache and made[0][1].startswith(f"{cache}/")
    counts_mine = corpus_term_counts(paths, cache=cache, **kw)
    assert len(made) == 2
    pd.testing.assert_frame_equal(mine, corpus_term_frequency(paths, by_speech=True, top_n=40, cache=False, **kw))
    pd.testing.assert_frame_equal(counts_mine, corpus_term_counts(paths, cache=False, **kw))
    assert len(made) == 2  # without a cache folder nothing is written


def test_slogan_matrix_equals_plain_and_is_cached(tmp_path, corpus_dir, monkeypatch):
    from analysis_utils.slogans import slogan_matrix

    paths = [corpus_dir / n for n in SAMPLE[2:]]
    for kinds in (None, ["number", "quoted"]):
        mine = corpus_slogan_matrix(paths, kinds=kinds, cache=tmp_path / "c", progress=False)
        ref = slogan_matrix(paths, **({"kinds": kinds} if kinds else {}))
        pd.testing.assert_frame_equal(mine, ref, check_dtype=False)
    import analysis_utils.slogans

    monkeypatch.setattr(analysis_utils.slogans, "slogan_counts", lambda *a, **k: pytest.fail("not cached"))
    again = corpus_slogan_matrix(paths, kinds=["number", "quoted"], cache=tmp_path / "c", progress=False)
    pd.testing.assert_frame_equal(again, mine)


def test_cli_folder_commands(tmp_path, small_dir, monkeypatch, capsys):
    from analysis_utils.cli import main

    monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(tmp_path / "cache"))
    assert main(["count", str(small_dir), "干部", "人民", "--format", "csv"]) == 0
    out = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert list(out.columns) == ["speech_id", "term", "substring_count", "per_10k"]
    for p in small_dir.iterdir():
        body = load_speech(p).body
        assert out[out.speech_id == p.stem]["substring_count"].tolist() == [body.count("干部"), body.count("人民")]
    assert main(["terms", str(small_dir), "--top", "5", "--format", "csv"]) == 0
    terms = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert list(terms.columns[:7]) == ["term", "pos", "token_count", "share", "per_10k", "rank", "speeches"]
    assert len(terms) == 5 and set(terms.columns[7:]) == {p.stem for p in small_dir.iterdir()}
    assert main(["slogans", str(small_dir), "--kind", "number", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("slogan,kind,formulation_count,speeches")
    assert any((tmp_path / "cache").rglob("*.tok")) and any((tmp_path / "cache" / "map").rglob("*.bin"))


@pytest.mark.slow
def test_plain_counts_equal_jieba_lcut_counter(tmp_path, seed_path, corpus_dir):
    import collections

    import jieba

    paths = [seed_path] + [corpus_dir / n for n in SAMPLE]
    got = corpus_term_counts(paths, plain=True, cache=tmp_path / "c", progress=False)
    jt = jieba.Tokenizer()
    for p in paths:
        ref = collections.Counter(w for w in jt.lcut(load_speech(p).body, HMM=True) if w.strip())
        mine = got[got.speech_id == p.stem]
        assert dict(zip(mine["term"], mine["token_count"])) == dict(ref), p.name
    # formulations are not kept whole here: that is the point of the plain count
    seed = got[got.speech_id == seed_path.stem]
    assert "一征三议两公开" not in set(seed["term"])


def test_corpus_counts_take_the_one_term_filter(corpus_dir, seed_path):
    """term_filter= gives exactly the table the separate filter arguments give; both at once is refused."""
    from analysis_utils import TermFilter, corpus_term_counts, corpus_term_frequency

    speeches = [seed_path, corpus_dir / "gwr_2022_crlf.txt"]
    f = TermFilter(pos=("n", "v"), min_len=1, exclude=frozenset({"发展"}))
    by_value = corpus_term_frequency(speeches, term_filter=f, cache=False, progress=False, workers=1)
    by_args = corpus_term_frequency(speeches, pos=["n", "v"], min_len=1, exclude=["发展"], cache=False, progress=False,
                                    workers=1)
    pd.testing.assert_frame_equal(by_value, by_args)
    assert "发展" not in set(by_value["term"]) and (by_value["term"].str.len() == 1).any()
    counts = corpus_term_counts(speeches, term_filter=f, cache=False, progress=False, workers=1)
    assert counts.groupby("term")["token_count"].sum().sort_index().equals(by_value.set_index("term")["token_count"].sort_index())
    with pytest.raises(ValueError, match="not both"):
        corpus_term_counts(speeches, term_filter=f, pos=["n"], cache=False, progress=False)


# ------------------------------------------------------------------ folded per term = per speech, every corpus text
@pytest.mark.slow
def test_folded_counts_equal_per_speech_counts_on_every_corpus_text(tmp_path, corpus_dir, seed_path, monkeypatch):
    """The counts folded per term as records arrive (in many small chunks here, so folds split the
    corpus anywhere) equal the plain per-speech counts, on the seed, every .txt of the development
    corpus and every record of its two JSONL files: corpus_term_counts (whole, and terms=),
    corpus_term_frequency (and by_speech) against corpus_frequency on the same tokens, and
    corpus_substring_counts of every lexicon phrase against substring_counts (str.count) of each body."""
    import dataclasses

    from analysis_utils import load_lexicon
    from analysis_utils.scale import counts
    from analysis_utils.scale.sources import load_item
    from analysis_utils.stats import corpus_frequency, term_frequency

    monkeypatch.setattr(counts, "CHUNK_ROWS", 3000)
    monkeypatch.setattr(counts, "SPILL_ROWS", 5000)  # the per-speech rows in a file, many chunks
    sources = [seed_path, corpus_dir, *sorted((corpus_dir / "wikisource").glob("*.jsonl"))]
    corpus = Corpus(sources)
    assert len(corpus.ids) == 1 + 85 + 58
    kw = dict(cache=tmp_path / "c", progress=False, duplicates="keep")
    tokens = {item.id: df for item, df in corpus_tokens(corpus, cache=tmp_path / "c", progress=False)}
    speeches = [dataclasses.replace(load_item(it), id=it.id) for it in corpus.stream()]  # named as the corpus names them
    assert [s.id for s in speeches] == list(tokens) == list(corpus.ids)

    whole = corpus_term_counts(corpus, **kw)
    by_speech = dict(tuple(whole.groupby("speech_id", sort=False)))
    for sid, toks in tokens.items():
        ref = term_frequency(toks)[["term", "token_count"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(by_speech[sid][["term", "token_count"]].reset_index(drop=True), ref,
                                      check_dtype=False, obj=sid)
    asked = ["发展", "人民", "全面从严治党", "的", "不存在的词"]
    mine = corpus_term_counts(corpus, terms=asked, **kw)
    pd.testing.assert_frame_equal(mine, whole[whole["term"].isin(asked)].reset_index(drop=True))

    class SameTokens:  # the plain corpus_frequency, fed the tokens above
        def tokens(self, speech):
            return tokens[speech.id]

    ref = corpus_frequency(speeches, tokenizer=SameTokens(), top_n=300)
    freq = corpus_term_frequency(corpus, top_n=300, by_speech=True, **kw)
    pd.testing.assert_frame_equal(freq, ref, check_dtype=False)
    pd.testing.assert_frame_equal(corpus_term_frequency(corpus, **kw).head(300), ref[freq.columns[:7]], check_dtype=False)

    phrases = load_lexicon().phrase
    lex = corpus_substring_counts(corpus, phrases, **kw)
    plain = pd.concat([substring_counts(s, phrases) for s in speeches], ignore_index=True)
    pd.testing.assert_frame_equal(lex[["term", "substring_count", "per_10k"]], plain[["term", "substring_count", "per_10k"]],
                                  check_dtype=False)
    assert lex["speech_id"].tolist() == [s.id for s in speeches for _ in range(len(lex) // len(speeches))]


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=st.lists(st.text("稳定发展哈人民群众，。a", min_size=1, max_size=60), min_size=1, max_size=6),
       terms=st.lists(st.text("稳定发展哈人民群众a", min_size=1, max_size=4), min_size=1, max_size=6))
def test_corpus_substring_counts_equal_str_count_on_written_files(tmp_path_factory, paragraphs, terms):
    """Files written to disk, counted by the corpus path (bincount, threads; terms that overlap
    themselves such as 哈哈 one match at a time), equal str.count on each loaded body."""
    folder = tmp_path_factory.mktemp("speeches")
    for i in range(3):
        text = "关于工作的讲话\n\n" + "\n".join(paragraphs[i:] + paragraphs[:i] + ["哈哈哈稳稳稳。"] * i) + "\n"
        (folder / f"s{i}.txt").write_text(text, encoding="utf-8")
    got = corpus_substring_counts(folder, terms, cache=False, progress=False, duplicates="keep", workers=2)
    for p in sorted(folder.iterdir()):
        body = load_speech(p).body
        mine = got[got.speech_id == p.stem]
        assert mine["substring_count"].tolist() == [body.count(t) for t in dict.fromkeys(terms)], (p.name, terms)
