"""The corpus path: same tokens and counts as the plain path, a cache that is used and invalidated,
table sources, substring counts equal to str.count, bad sources as SpeechError."""
from __future__ import annotations

import json
import random
import re
import shutil

import pandas as pd
import pytest

from analysis_utils import SpeechError, Tokenizer, load_speech, speech_from_text
from analysis_utils.scale import engine as C
from analysis_utils.scale.engine import (
    CORPUS_TOKEN_COLUMNS,
    FastSegmenter,
    SubstringCounter,
    corpus_items,
    corpus_substring_counts,
    corpus_term_counts,
    corpus_term_frequency,
    corpus_tokens,
)
from analysis_utils.reading import PLACEHOLDER_RE
from analysis_utils.stats import substring_counts, term_frequency

#: Real speeches checked token for token (seed added by the tests).
SAMPLE = ["cpc20_report.txt", "gwr_2022_crlf.txt", "xi_2015_county_secretaries.txt",
          "xi_speeches_2013_2016/001_2013-03-22.txt", "xi_speeches_2013_2016/040_2014-12-31.txt",
          "xi_speeches_2013_2016/086_2016-12-30.txt"]


def corpus_files(corpus_dir):
    return sorted(p for p in corpus_dir.rglob("*.txt") if not p.stem.upper().startswith("README"))


@pytest.fixture(scope="module")
def fast_tok():
    pytest.importorskip("rjieba")
    return C.fast_tokenizer()


@pytest.fixture
def small_dir(tmp_path, corpus_dir):
    """Three real speeches in a temporary folder (the tests may change them there)."""
    d = tmp_path / "speeches"
    d.mkdir()
    for name in ("xi_2015_county_secretaries.txt", "xi_speeches_2013_2016/001_2013-03-22.txt",
                 "xi_speeches_2013_2016/002_2013-03-23.txt"):
        shutil.copy(corpus_dir / name, d / name.split("/")[-1])
    return d


def plain_counts(speech, tok) -> pd.DataFrame:
    """term_frequency of one speech (the plain path), as (term, count)."""
    tf = term_frequency(tok.tokens(speech), speech=speech)
    return tf[["term", "count"]].reset_index(drop=True)


class CountCalls:
    """Counts how often speeches are cut (encode_tokens) in this process."""

    def __init__(self, monkeypatch):
        self.n = 0
        real = C.encode_tokens

        def wrapped(*a, **k):
            self.n += 1
            return real(*a, **k)

        monkeypatch.setattr(C, "encode_tokens", wrapped)


# ------------------------------------------------------------------ the segmenter
SEGMENT_CASES = [
    "我们中出了一个叛徒",
    "发表时间：2015-08-31 来源：《求是》",
    "国内生产总值增长5.5%左右，城镇新增就业1100万人以上。",
    "G20杭州峰会、APEC会议和5G网络，3D打印、A股与T恤",
    "第一行\r\n第二行\n\n  第三行\t制表",
    "㐀㐁中国鿖鿗龥字（扩展A、U+9FD6 以上的字）",
    "表情😀和全角１２３ＡＢＣ，还有½与№",
    "",
    "   ",
    "XX县×××同志在○○会议上的讲话",
]


@pytest.mark.parametrize("text", SEGMENT_CASES)
@pytest.mark.parametrize("hmm", [True, False])
def test_fast_segmenter_equals_jieba_on_composed_text(fast_tok, text, hmm):
    jt = fast_tok._jieba
    seg = FastSegmenter(jt, hmm=hmm)
    assert seg(text) == jt.lcut(text, HMM=hmm)


def test_fast_segmenter_equals_jieba_on_seed_and_whole_corpus(fast_tok, seed_speech, corpus_dir):
    jt = fast_tok._jieba
    seg = FastSegmenter.for_tokenizer(fast_tok)
    texts = [seed_speech.body] + [load_speech(p).body for p in corpus_files(corpus_dir)]
    assert len(texts) > 80
    for text in texts:
        assert seg(text) == jt.lcut(text, HMM=True)


def test_fast_segmenter_equals_jieba_on_random_mixtures(fast_tok):
    jt = fast_tok._jieba
    seg = FastSegmenter.for_tokenizer(fast_tok)
    alphabet = list("中国人民发展建设坚持党的全面从严治党高质量稳就业一二三十百") + list("0123456789.%-+#&_abcXYZ") + \
        list(" \n，。、“”《》（）") + ["㐀", "鿖", "😀", "１", "\r\n"]
    rng = random.Random(8)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        assert seg(text) == jt.lcut(text, HMM=True), text


def test_tokenizer_uses_the_fast_segmenter_and_cuts_the_same(fast_tok, tokenizer, seed_speech):
    assert fast_tok._segment is not None
    pd.testing.assert_frame_equal(fast_tok.tokens(seed_speech), tokenizer.tokens(seed_speech))


# ------------------------------------------------------------------ lexicon spans (Tokenizer)
def _regex_protected_spans(tok: Tokenizer, text: str):
    """The reference: protected spans with the lexicon found by a longest-first regex alternation."""
    words = sorted(tok._protected, key=lambda w: (-len(w), w))
    rx = re.compile("|".join(map(re.escape, words)))
    spans = [(m.start(), m.end(), m.group(), "x", "placeholder") for m in PLACEHOLDER_RE.finditer(text)]
    spans += [(m.start(), m.end(), m.group(), tok._protected[m.group()], "lexicon") for m in rx.finditer(text)]
    spans.sort(key=lambda t: (t[0], -(t[1] - t[0]), t[4] != "lexicon"))
    out = []
    for span in spans:
        if not (out and span[0] < out[-1][1]):
            out.append(span)
    return out


def test_lexicon_spans_equal_regex_alternation(seed_speech, corpus_dir):
    tok = Tokenizer(detect_slogans=False)
    for text in [seed_speech.body] + [load_speech(corpus_dir / n).body for n in SAMPLE]:
        assert tok.protected_spans(text) == _regex_protected_spans(tok, text)
    # nested and overlapping phrases: leftmost, then longest
    tok = Tokenizer(detect_slogans=False, bundled_lexicon=False)
    rng = random.Random(3)
    for _ in range(200):
        words = {"".join(rng.choice("甲乙丙丁") for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 6))}
        tok._protected = {w: "nz" for w in words}
        tok._compile()
        text = "".join(rng.choice("甲乙丙丁") for _ in range(50))
        assert tok.protected_spans(text) == _regex_protected_spans(tok, text), (words, text)


# ------------------------------------------------------------------ tokens and counts = plain path
def test_corpus_tokens_equal_tokenizer_tokens(tmp_path, tokenizer, seed_path, corpus_dir):
    paths = [seed_path] + [corpus_dir / n for n in SAMPLE]
    for attempt in ("cold", "cached"):
        got = list(corpus_tokens(paths, cache=tmp_path / "cache", workers=1, progress=False))
        assert [it.path for it, _ in got] == paths, attempt
        for item, tokens in got:
            ref = tokenizer.tokens(load_speech(item.path))[CORPUS_TOKEN_COLUMNS].reset_index(drop=True)
            pd.testing.assert_frame_equal(tokens, ref, check_dtype=False, obj=f"{attempt} {item.id}")


def test_term_counts_equal_plain_path_on_whole_corpus(tmp_path, tokenizer, corpus_dir, seed_path):
    got = corpus_term_counts([seed_path, corpus_dir], cache=tmp_path / "cache", progress=False)
    files = [seed_path] + corpus_files(corpus_dir)
    assert list(dict.fromkeys(got["speech_id"])) == [p.stem for p in files]
    by_speech = dict(tuple(got.groupby("speech_id", sort=False)))
    for p in files:
        mine = by_speech[p.stem][["term", "count"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, plain_counts(load_speech(p), tokenizer), check_dtype=False, obj=p.name)


def test_term_counts_all_tokens_equal_token_value_counts(tmp_path, tokenizer, seed_speech, seed_path):
    got = corpus_term_counts(seed_path, all_tokens=True, cache=tmp_path / "c", progress=False)
    ref = tokenizer.tokens(seed_speech)["token"].value_counts()
    assert dict(zip(got["term"], got["count"])) == ref.to_dict()
    assert got["count"].sum() == len(tokenizer.tokens(seed_speech))


def test_term_frequency_equals_corpus_frequency(tmp_path, tokenizer, corpus_dir):
    from analysis_utils.stats import corpus_frequency

    paths = [corpus_dir / n for n in SAMPLE[1:5]]
    mine = corpus_term_frequency(paths, cache=tmp_path / "c", progress=False)
    ref = corpus_frequency(paths, tokenizer=tokenizer)[list(mine.columns)]
    pd.testing.assert_frame_equal(mine, ref, check_dtype=False)


def test_workers_give_the_same_counts(tmp_path, monkeypatch, corpus_dir, tokenizer):
    monkeypatch.setattr(C, "PARALLEL_MIN_BYTES", 0)
    paths = [corpus_dir / n for n in SAMPLE[2:]]
    parallel = corpus_term_counts(paths, cache=tmp_path / "a", workers=2, progress=False)
    single = corpus_term_counts(paths, cache=tmp_path / "b", workers=1, progress=False)
    pd.testing.assert_frame_equal(parallel, single)
    # a Tokenizer you built is handed to the workers (fork) and cuts the same
    mine = corpus_term_counts(paths, tokenizer=tokenizer, cache=tmp_path / "c", workers=2, progress=False)
    pd.testing.assert_frame_equal(mine, single)
    assert tokenizer._segment is None  # it cut with a fast twin; yours is left as it was


# ------------------------------------------------------------------ the cache
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
    monkeypatch.setattr(C, "_type_counts", lambda *a, **k: pytest.fail("recomputed"))
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


def test_no_cache_writes_nothing(tmp_path, small_dir, monkeypatch):
    monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(tmp_path / "env_cache"))
    assert C.default_cache_dir() == tmp_path / "env_cache"
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


# ------------------------------------------------------------------ table sources
def _rows(seed_speech):
    return [
        {"id": "seed", "text": seed_speech.body, "date": "2020-01-01", "title": "种子"},
        {"id": "short one", "text": "我们要坚持以人民为中心的发展思想，增强“四个意识”。", "date": "", "title": ""},
        {"id": "", "text": "推广一征三议两公开工作法，落实“双推双评三全程”制度。"},
    ]


def _expected_from_rows(rows, tok):
    out = {}
    for n, r in enumerate(rows, 1):
        out[r["id"].replace(" ", "_") or f"texts-{n:05d}"] = plain_counts(speech_from_text(r["text"]), tok)
    return out


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_table_sources(tmp_path, tokenizer, seed_speech, fmt):
    rows = _rows(seed_speech)
    path = tmp_path / f"texts.{fmt}"
    if fmt == "jsonl":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    else:
        pd.DataFrame(rows).to_csv(path, index=False, sep="\t" if fmt == "tsv" else ",", encoding="utf-8-sig")
    items = corpus_items(path)
    assert [it.id for it in items] == ["seed", "short_one", "texts-00003"]
    assert items[0].date == "2020-01-01" and items[0].title == "种子" and items[1].date is None
    got = corpus_term_counts(path, cache=tmp_path / "c", progress=False)
    for sid, ref in _expected_from_rows(rows, tokenizer).items():
        mine = got[got.speech_id == sid][["term", "count"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, ref, check_dtype=False, obj=sid)
    sub = corpus_substring_counts(path, ["四个意识", "发展"], cache=tmp_path / "c", progress=False)
    assert sub[sub.speech_id == "short_one"]["count"].tolist() == [1, 1]


def test_folder_listing_and_duplicate_ids(tmp_path, seed_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "sub").mkdir()
    (tmp_path / "a" / ".hidden").mkdir()
    for rel in ("x.txt", "sub/x.txt", "README.md", ".hidden/y.txt", "notes.pdf", "z.md"):
        shutil.copy(seed_path, tmp_path / "a" / rel)
    items = corpus_items(tmp_path / "a")
    # sorted by relative path (sub-folders included, hidden ones and READMEs left out); a name
    # seen before gets "_"
    assert [it.path.relative_to(tmp_path / "a").as_posix() for it in items] == ["sub/x.txt", "x.txt", "z.md"]
    assert [it.id for it in items] == ["x", "x_", "z"]


# ------------------------------------------------------------------ bad sources
@pytest.mark.parametrize("make,message", [
    (lambda d: d / "missing", "no such file or folder"),
    (lambda d: (d / "empty").mkdir() or d / "empty", "no speech files"),
    (lambda d: (d / "t.csv").write_text("id,body\n1,中文\n", encoding="utf-8") and d / "t.csv", "no 'text' column"),
    (lambda d: (d / "e.csv").write_text("", encoding="utf-8") == 0 and d / "e.csv", "empty"),
    (lambda d: (d / "t.jsonl").write_text('{"text": "中文"}\nnot json\n', encoding="utf-8") and d / "t.jsonl", "line 2: not JSON"),
    (lambda d: (d / "u.jsonl").write_text('{"id": 1, "body": "中文"}\n', encoding="utf-8") and d / "u.jsonl", "line 1"),
    (lambda d: (d / "g.csv").write_bytes("id,text\n1,中文\n".encode("gbk")) and d / "g.csv", "UTF-8"),
    (lambda d: [], "empty"),
])
def test_bad_sources_raise_speech_error(tmp_path, make, message):
    source = make(tmp_path)
    with pytest.raises(SpeechError, match=message):
        corpus_term_counts(source, cache=tmp_path / "c", progress=False)


def test_bad_file_in_folder_raises_or_is_skipped(tmp_path, small_dir, capsys):
    (small_dir / "broken.txt").write_bytes(b"%PDF-1.4 binary")
    with pytest.raises(SpeechError, match="broken.txt: this is a PDF"):
        corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False)
    got = corpus_term_counts(small_dir, cache=tmp_path / "c", progress=False, errors="skip")
    assert set(got["speech_id"]) == {p.stem for p in small_dir.iterdir()} - {"broken"}
    assert "skipped: " in capsys.readouterr().err


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


def test_corpus_substring_counts_equal_substring_counts(tmp_path, corpus_dir, seed_path, seed_speech):
    terms = ["稳", "就业", "稳定", "人民", "人民群众", "发展", "高质量发展", "党", "全面从严治党", "四个意识", "不存在的词"]
    got = corpus_substring_counts([seed_path, corpus_dir], terms, cache=tmp_path / "c", progress=False)
    files = [seed_path] + corpus_files(corpus_dir)
    assert len(got) == len(files) * len(terms)
    for p in files:
        mine = got[got.speech_id == p.stem][["term", "count", "per_10k"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, substring_counts(load_speech(p), terms), check_dtype=False, obj=p.name)
    gwr = got[got.speech_id == "gwr_2022_crlf"].set_index("term")["count"]
    assert (gwr["稳"], gwr["就业"]) == (78, 34)  # the published counts
    # every lexicon phrase, cached bodies, zeros left out
    lex = corpus_substring_counts(seed_path, None, zeros=False, cache=tmp_path / "c", progress=False)
    from analysis_utils import load_lexicon

    ref = substring_counts(seed_speech, load_lexicon().phrase)
    ref = ref[ref["count"] > 0].reset_index(drop=True)
    pd.testing.assert_frame_equal(lex[["term", "count", "per_10k"]], ref, check_dtype=False)


# ------------------------------------------------------------------ folder commands use this path
def test_term_frequency_by_speech_equals_corpus_frequency(tmp_path, tokenizer, corpus_dir):
    from analysis_utils.stats import corpus_frequency

    paths = [corpus_dir / n for n in SAMPLE[2:]]
    mine = corpus_term_frequency(paths, by_speech=True, top=40, cache=tmp_path / "c", progress=False)
    pd.testing.assert_frame_equal(mine, corpus_frequency(paths, tokenizer=tokenizer, top=40), check_dtype=False)


def test_slogan_matrix_equals_plain_and_is_cached(tmp_path, corpus_dir, monkeypatch):
    from analysis_utils.slogans import slogan_matrix

    paths = [corpus_dir / n for n in SAMPLE[2:]]
    for kinds in (None, ["number", "quoted"]):
        mine = C.corpus_slogan_matrix(paths, kinds=kinds, cache=tmp_path / "c", progress=False)
        ref = slogan_matrix(paths, **({"kinds": kinds} if kinds else {}))
        pd.testing.assert_frame_equal(mine, ref, check_dtype=False)
    import analysis_utils.slogans

    monkeypatch.setattr(analysis_utils.slogans, "slogan_counts", lambda *a, **k: pytest.fail("not cached"))
    again = C.corpus_slogan_matrix(paths, kinds=["number", "quoted"], cache=tmp_path / "c", progress=False)
    pd.testing.assert_frame_equal(again, mine)


def test_cli_folder_commands(tmp_path, small_dir, monkeypatch, capsys):
    from analysis_utils.cli import main

    monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(tmp_path / "cache"))
    assert main(["count", str(small_dir), "干部", "人民", "--format", "csv"]) == 0
    out = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert list(out.columns) == ["speech_id", "term", "count", "per_10k"]
    for p in small_dir.iterdir():
        body = load_speech(p).body
        assert out[out.speech_id == p.stem]["count"].tolist() == [body.count("干部"), body.count("人民")]
    assert main(["terms", str(small_dir), "--top", "5", "--format", "csv"]) == 0
    terms = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert list(terms.columns[:7]) == ["term", "pos", "count", "share", "per_10k", "rank", "speeches"]
    assert len(terms) == 5 and set(terms.columns[7:]) == {p.stem for p in small_dir.iterdir()}
    assert main(["slogans", str(small_dir), "--kind", "number", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("slogan,kind,total,speeches")
    assert any((tmp_path / "cache").rglob("*.tok")) and any((tmp_path / "cache" / "map").rglob("*.bin"))


def test_plain_counts_equal_jieba_lcut_counter(tmp_path, seed_path, corpus_dir):
    import collections

    import jieba

    paths = [seed_path] + [corpus_dir / n for n in SAMPLE]
    got = corpus_term_counts(paths, plain=True, cache=tmp_path / "c", progress=False)
    jt = jieba.Tokenizer()
    for p in paths:
        ref = collections.Counter(w for w in jt.lcut(load_speech(p).body, HMM=True) if w.strip())
        mine = got[got.speech_id == p.stem]
        assert dict(zip(mine["term"], mine["count"])) == dict(ref), p.name
    # formulations are not kept whole here: that is the point of the plain count
    seed = got[got.speech_id == seed_path.stem]
    assert "一征三议两公开" not in set(seed["term"])
