"""Families: a variant nested in another counts once for the family; variants stack to the total."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis_utils import SpeechError, speech_from_text
from analysis_utils.watchwords import family_counts, load_families, track


def test_the_bundled_starter_set_reads_and_names_each_family_first():
    fam = load_families(True)
    assert list(fam.columns) == ["family", "variant"]
    for family, g in fam.groupby("family", sort=False):
        assert g["variant"].iloc[0] == family
    pairs = set(map(tuple, fam.values))
    assert {("全过程人民民主", "全过程民主"), ("供给侧结构性改革", "供给侧改革"), ("小康社会", "全面建成小康社会")} <= pairs


def test_a_nested_variant_is_not_counted_twice_in_the_family_total(tmp_path):
    f = tmp_path / "fam.tsv"
    f.write_text("# mine\nfamily\tvariant\n小康社会\t全面建成小康社会\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "001_2020-05-22.txt").write_text(
        "各位代表：\n今年要全面建成小康社会。小康社会是目标，全面建成小康社会是任务。\n", encoding="utf-8")
    tr = track(tmp_path / "docs", ["小康社会"], families=f, cache=False, progress=False)
    rows = tr.families.set_index("variant")
    assert rows.loc["小康社会", "substring_count"] == 3            # its own count: nested ones too
    assert rows.loc["全面建成小康社会", "substring_count"] == 2
    assert rows.loc["小康社会", "formulation_count"] == 1          # only the one not inside the longer variant
    assert rows.loc["全面建成小康社会", "formulation_count"] == 2
    fam = tr.summary[tr.summary["kind"] == "family"].iloc[0]
    assert (fam["term"], fam["count"], fam["total"]) == ("小康社会", "formulation_count", 3)


def test_overlapping_variants_count_each_stretch_once():
    s = speech_from_text("推进社会主义新农村建设。")
    df = family_counts(s, families={"社会主义新农村": ["社会主义新农村", "新农村建设"]})
    assert df["substring_count"].tolist() == [1, 1] and df["formulation_count"].sum() == 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["小康社会", "全面建成小康社会", "全面小康", "，", "建设", "小康"]), min_size=1, max_size=30))
def test_the_family_total_never_exceeds_the_sum_of_the_variants_nor_misses_a_stretch(tmp_path_factory, parts):
    text = "各位代表：" + "".join(parts) + "。"
    path = tmp_path_factory.mktemp("fam") / "001_2020-01-01.txt"
    path.write_bytes(text.encode("utf-8"))  # a real file, read by the loader
    variants = ["小康社会", "全面建成小康社会", "全面小康"]
    from analysis_utils import load_speech

    body = load_speech(path).body
    df = family_counts(load_speech(path), families={"小康社会": variants})
    own = [body.count(v) for v in variants]
    assert df["substring_count"].tolist() == own
    total = int(df["formulation_count"].sum())
    assert total <= sum(own)
    # each 全面建成小康社会 holds one 小康社会, counted once for the family: 小康社会's own count (nested ones
    # included) plus 全面小康, which never overlaps them here
    assert total == own[0] + own[2]


def test_a_bad_family_file_is_one_line_naming_it(tmp_path):
    f = tmp_path / "fam.tsv"
    f.write_text("小康社会 全面建成小康社会\n", encoding="utf-8")  # a space, not a tab
    with pytest.raises(SpeechError, match="line 1: expected family<TAB>variant"):
        load_families(f)
    g = tmp_path / "gbk.tsv"
    g.write_bytes("小康社会\t小康\n".encode("gbk"))
    with pytest.raises(SpeechError, match="must be UTF-8"):
        load_families(g)
    with pytest.raises(SpeechError, match="no such file"):
        load_families(tmp_path / "none.tsv")
