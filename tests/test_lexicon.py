"""lexicon.py: the bundled data files (lexicon, stop-lists, established names) and their loaders."""
from __future__ import annotations

import pytest

from analysis_utils import SpeechError, load_lexicon, load_stopwords
from analysis_utils.lexicon import (
    FUNCTION_CHARS_FILE,
    NAMES_FILE,
    OFFICIAL_VERBS_FILE,
    load_established_names,
    load_function_chars,
    load_official_verbs,
)


def test_every_stop_list_is_documented_in_its_own_header():
    for path in (FUNCTION_CHARS_FILE, OFFICIAL_VERBS_FILE, NAMES_FILE):
        head = path.read_text(encoding="utf-8").splitlines()[:4]
        assert all(line.startswith("#") for line in head) and "Format" in " ".join(head), path.name


def test_function_characters_are_one_character_each_and_part_of_the_stopwords():
    chars = load_function_chars()
    assert chars and all(len(c) == 1 for c in chars)
    assert chars <= load_stopwords()
    assert not set("党国军民法心稳新好大强严人事路梦") & chars


def test_official_verbs_are_words_not_already_stopwords():
    verbs = load_official_verbs()
    assert {"推进", "加强", "落实", "坚持"} <= verbs and not verbs & load_stopwords()
    assert not {"改革", "发展", "创新", "建设"} & verbs


def test_established_names_load_with_tags_and_refuse_person_name_tags(tmp_path):
    names = load_established_names()
    assert {"中国共产党中央委员会", "全国人民代表大会常务委员会", "中央军事委员会", "中国人民政治协商会议", "一带一路"} <= set(names)
    assert not any(tag.startswith("nr") for tag in names.values())
    mine = tmp_path / "names.tsv"
    mine.write_text("name\ttag\tnote\n涧贤银行\tnt\t\n邻里中心\n", encoding="utf-8")
    assert load_established_names(mine, bundled=False) == {"涧贤银行": "nt", "邻里中心": "nt"}
    bad = tmp_path / "bad.tsv"
    bad.write_text("习近平新时代\tnr\n", encoding="utf-8")
    with pytest.raises(SpeechError, match="person-name tag"):
        load_established_names(bad)


def test_new_terms_carry_a_category_and_a_note():
    lex = load_lexicon()
    new = lex[lex.phrase.isin(["人工智能", "平台经济", "算力", "区块链", "获得感", "道路自信"])]
    assert len(new) == 6 and (new.category != "user").all() and (new.note.str.len() > 0).all()
