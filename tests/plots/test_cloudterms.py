"""The term tables of word clouds: formulations marked, two speeches compared, a speech cut in two."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis_utils import comparison_terms, frequency_by_half, split_in_two, term_frequency, textstat_comparison
from analysis_utils.plots.cloudterms import term_table


@pytest.mark.parametrize("term, origin, category", [
    ("不忘初心", "lexicon", "party_building"),
    ("高质量发展", "lexicon", "economy"),
    ("工作", "jieba", ""),
])
def test_with_origin_marks_formulations(cloud_freq, term, origin, category):
    row = cloud_freq.set_index("term").loc[term]
    assert (row["origin"], row["category"]) == (origin, category)


@pytest.mark.parametrize("a, b, expected", [
    ({"改革": 6, "发展": 2, "党建": 2}, {"改革": 1, "发展": 2, "党建": 7}, [("党建", "b"), ("改革", "a")]),
    ({"改革": 3, "开放": 1}, {"开放": 2, "创新": 2}, [("改革", "a"), ("创新", "b"), ("开放", "b")]),
    ({"甲乙": 1, "丙丁": 1}, {"甲乙": 1, "丙丁": 1}, []),
])
def test_comparison_terms_puts_each_term_on_the_side_using_it_more(a, b, expected):
    fa = pd.DataFrame({"term": list(a), "token_count": list(a.values())})
    fb = pd.DataFrame({"term": list(b), "token_count": list(b.values())})
    table = comparison_terms(fa, fb)
    assert list(zip(table["term"], table["side"])) == expected


def test_the_seed_splits_into_its_two_top_level_sections(tokenizer, seed_speech):
    parts = split_in_two(seed_speech)
    assert [label[:2] for label, *_ in parts] == ["一、", "二、"]
    (na, fa), (nb, fb) = frequency_by_half(seed_speech, tokenizer.tokens(seed_speech))
    assert na.startswith("一、") and nb.startswith("二、")
    assert fa["token_count"].sum() + fb["token_count"].sum() <= term_frequency(tokenizer.tokens(seed_speech))["token_count"].sum()


def test_comparison_terms_counts_and_shares():
    a = pd.DataFrame({"term": ["改革", "开放"], "token_count": [3, 1]})
    b = pd.DataFrame({"term": ["开放", "创新"], "token_count": [2, 2]})
    table = comparison_terms(a, b, top_n=2)
    assert table.columns.tolist() == ["term", "token_count_a", "token_count_b", "share_a", "share_b", "diff", "side"]
    assert table[["term", "token_count_a", "token_count_b"]].values.tolist() == [["改革", 3, 0], ["创新", 0, 2]]
    assert table["share_a"].tolist() == [0.75, 0.0] and table["diff"].tolist() == [0.75, -0.5]
    assert textstat_comparison is comparison_terms  # the old name, kept for one release


def test_a_term_table_is_validated_and_merged():
    df = term_table(pd.DataFrame({"term": [" 党建", "党建", "", "发展"], "token_count": [2, 1, 5, 0]}))
    assert df.values.tolist() == [["党建", 3]]
    with pytest.raises(ValueError, match="columns term and token_count"):
        term_table(pd.DataFrame({"word": ["党建"]}))
    with pytest.raises(TypeError, match="term table"):
        term_table(["党建"])


# ---------------------------------------------- halves of a text without paragraph breaks (issue 14)
def _flat_file(src, tmp_path):
    lines = src.read_text(encoding="utf-8-sig").splitlines()
    flat = tmp_path / f"flat_{src.stem}.txt"
    flat.write_text("".join(line.strip() for line in lines), encoding="utf-8")
    return flat


@pytest.mark.parametrize("name", ["001_2013-03-22.txt", "028_2014-07-15.txt", "063_2015-12-31.txt"])
def test_a_flattened_speech_is_cut_in_two_at_the_sentence_end_nearest_the_middle(tokenizer, corpus_dir, tmp_path,
                                                                                 name):
    """Before: cut at the only paragraph break, after the salutation (尊敬的普京总统，…朋友们：), so the
    first half had 2 terms and the comparison cloud stopped notebook 04 with 'too short for a word cloud'."""
    from analysis_utils import load_speech, textplot_comparison_cloud
    from analysis_utils.outline.parts import BY_SENTENCE

    sp = load_speech(_flat_file(corpus_dir / "xi_speeches_2013_2016" / name, tmp_path))
    (la, a, cut), (lb, cut2, b) = split_in_two(sp)
    assert cut == cut2 and a < cut < b and b <= len(sp.body)
    assert sp.body[cut - 1] in "。！？!?…”’」』）" and cut in {s for s, _ in sp.sentence_spans}
    longest = max(e - s for s, e in sp.sentence_spans)
    assert abs((cut - a) - (b - cut)) <= 2 * longest  # the middle, give or take a sentence
    assert la == f"前半篇{BY_SENTENCE}first half" and lb == f"后半篇{BY_SENTENCE}second half"
    (na, fa), (nb, fb) = frequency_by_half(sp, tokenizer.tokens(sp))
    cloud = textplot_comparison_cloud(fa, fb, names=(na, nb), width=480, height=270)
    assert set(cloud.words["group"]) <= {na, nb} and len(cloud.words) > 10


def test_a_speech_with_paragraphs_is_still_cut_at_a_paragraph_break(corpus_dir):
    from analysis_utils import load_speech

    sp = load_speech(corpus_dir / "xi_speeches_2013_2016" / "001_2013-03-22.txt")
    (la, _, cut), (lb, _, _) = split_in_two(sp)
    assert (la, lb) == ("前半篇 first half", "后半篇 second half")
    assert cut in {s for s, _ in sp.paragraph_spans}


def test_a_single_sentence_is_too_short_to_compare(tmp_path):
    from analysis_utils import SpeechError, load_speech

    f = tmp_path / "one.txt"
    f.write_text("在会上的讲话\n同志们：今天我们在这里开会，研究部署下一阶段的工作，大家辛苦了", encoding="utf-8")
    with pytest.raises(SpeechError, match=r"one\.txt: too short to compare its two halves \(a single sentence\)"):
        split_in_two(load_speech(f))
