"""Sentence alignment: every sentence once, identical ones ``same`` wherever they went, one word
changed ``changed`` and paired; on real files written to disk."""
from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis_utils import load_speech
from analysis_utils.changes import align_sentences, diff, edits

from .helpers import every_sentence_once

HAN = "经济发展改革开放创新协调绿色共享安全稳定就业民生科技教育文化生态农业工业城乡区域治理法治人民群众"
sentence = st.text(alphabet=HAN, min_size=3, max_size=30).map(lambda t: t + "。")


def _write(folder: Path, name: str, sentences: list[str], per_line: int = 2) -> Path:
    lines = ["".join(sentences[i:i + per_line]) for i in range(0, len(sentences), per_line)]
    path = folder / name
    path.write_text("报告\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@settings(max_examples=15, deadline=None)
@given(old=st.lists(sentence, min_size=1, max_size=25), new=st.lists(sentence, min_size=1, max_size=25),
       per_line=st.integers(1, 4))
def test_every_sentence_of_both_files_once(old, new, per_line):
    with tempfile.TemporaryDirectory() as tmp:
        d = diff(_write(Path(tmp), "old.txt", old, per_line), _write(Path(tmp), "new.txt", new, per_line), terms=False)
    every_sentence_once(d)
    same = d.sentences[d.sentences["status"] == "same"]
    assert (same["old"].str.split().str.join("") == same["new"].str.split().str.join("")).all()
    assert set(d.sentences["status"]) <= {"same", "changed", "new", "dropped"}


@settings(max_examples=12, deadline=None)
@given(old=st.lists(sentence, min_size=2, max_size=25, unique=True), seed=st.integers(0, 10_000))
def test_identical_sentences_are_same_wherever_they_moved(old, seed):
    new = old[:]
    random.Random(seed).shuffle(new)
    with tempfile.TemporaryDirectory() as tmp:
        d = diff(_write(Path(tmp), "old.txt", old), _write(Path(tmp), "new.txt", new), terms=False)
    every_sentence_once(d)
    assert (d.sentences["status"] == "same").all()
    assert d.sentences["moved"].sum() <= len(old) - 1


def test_one_word_changed_is_changed_and_paired(tmp_path):
    old = ["今年发展主要预期目标是国内生产总值增长百分之六以上。", "城镇新增就业一千一百万人以上。", "居民消费价格涨幅百分之三左右。"]
    new = ["居民消费价格涨幅百分之三左右。", "今年发展主要预期目标是国内生产总值增长百分之五点五左右。", "城镇新增就业一千一百万人以上。"]
    d = diff(_write(tmp_path, "old.txt", old, 1), _write(tmp_path, "new.txt", new, 1), terms=False)
    every_sentence_once(d)
    row = d.sentences[d.sentences["new"] == new[1]].iloc[0]
    assert row["status"] == "changed" and row["old"] == old[0] and row["similarity"] > 0.8
    assert ("replace", "六以上", "五点五左右") in [tuple(e) for e in row["edits"]]
    moved = d.sentences[d.sentences["new"] == new[0]].iloc[0]
    assert moved["status"] == "same" and moved["old"] == old[2]


def test_unrelated_short_sentences_do_not_pair():
    pairs = align_sentences(["多措并举扩大油料生产。"], ["多措并举稳定外贸。"])
    assert sorted(p.status for p in pairs) == ["dropped", "new"]


def test_edits_rebuild_both_sentences():
    a, b = "要坚持稳中求进工作总基调。", "必须坚持稳字当头、稳中求进。"
    ops = edits(a, b)
    assert "".join(o for _, o, _ in ops) == a and "".join(n for _, _, n in ops) == b


def test_a_sentence_repeated_pairs_in_order(tmp_path):
    old = ["各位代表！", "过去一年极不平凡。", "各位代表！", "我们要继续努力。"]
    d = diff(_write(tmp_path, "old.txt", old, 1), _write(tmp_path, "new.txt", old, 1), terms=False)
    assert d.sentences[["old_sentence", "new_sentence"]].astype(int).diff().dropna().eq(1).all().all()
    assert not d.sentences["moved"].any()


def test_loads_table_rows(corpus_dir):
    from .helpers import gwr
    old, new = gwr(corpus_dir, 2021), gwr(corpus_dir, 2022)
    d = diff(old, new, terms=False)
    every_sentence_once(d)
    same = d.sentences[d.sentences["status"] == "same"]
    assert len(same) >= 20  # sentences found in both: each is in the other body verbatim
    assert all(t in old.body and t in new.body for t in same["new"])
    assert load_speech(old.path).id == old.id
