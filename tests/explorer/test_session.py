"""The explorer's logic on real files: every number it shows is the package's own (issue 19)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis_utils import (
    SpeechError,
    combine_hits,
    compare_counts,
    kwic,
    lexicon_hits,
    load_speech,
    number_slogans,
    slogan_counts,
    substring_counts,
)
from analysis_utils.explorer import (
    look_up,
    open_speech_file,
    overview_rows,
    query_params,
    save_upload,
    section_text,
    slogan_table,
    top_terms_table,
    tree_rows,
)


@pytest.fixture(scope="module")
def report(corpus_dir, tokenizer):
    return open_speech_file(corpus_dir / "cpc20_report.txt", tokenizer)


def test_a_term_shows_the_packages_counts_and_every_hit(report):
    for term in ("改革", "中国式现代化", "人民", "不存在的词语"):
        r = look_up(report, term)
        expected = compare_counts(report.speech, report.tokens, [term]).iloc[0]
        assert r.substring_count == expected["substring_count"] == report.speech.body.count(term)
        assert r.token_count == expected["token_count"]
        assert r.headline().startswith(f"{term}：{r.substring_count} 处")
        assert r.hits.equals(kwic(report.speech, term, sections=report.sections))
        assert len(r.hits) == len(r.positions) == r.substring_count


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_stretch_of_the_text_is_counted_as_substring_counts_does(report, data):
    body = report.speech.body
    start = data.draw(st.integers(0, len(body) - 8))
    term = body[start:start + data.draw(st.integers(1, 6))].strip()
    if not term:
        return
    r = look_up(report, term)
    assert r.substring_count == int(substring_counts(report.speech, [term])["substring_count"].iloc[0])
    assert [h + "" for h in r.hits["hit"]] == [term] * r.substring_count


def test_an_empty_term_is_a_one_line_message(report):
    with pytest.raises(SpeechError, match="type a term"):
        look_up(report, "  ")


def test_tables_come_from_the_package(report):
    top = top_terms_table(report, 10)
    assert top["term"].tolist() == report.freq["term"].head(10).tolist()
    assert top["token_count"].tolist() == report.freq["token_count"].head(10).tolist()
    table = slogan_table(report)
    sp = report.speech
    counts = slogan_counts(combine_hits(number_slogans(sp), lexicon_hits(sp)), kinds=("number", "lexicon"))
    assert sorted(zip(table["slogan"], table["formulation_count"])) == sorted(zip(counts["slogan"], counts["formulation_count"]))
    assert table["formulation_count"].is_monotonic_decreasing


def test_overview_and_outline(report):
    rows = dict(overview_rows(report))
    assert rows["标题 · title"] == report.speech.meta.title
    assert rows["篇幅 · length"].startswith(f"{report.speech.han_chars:,} 字")
    tree = tree_rows(report.outline)
    first = next(r for r in tree if r[0] == report.outline.sections[0].id)
    assert first[1] == 1 and first[2].startswith("一、")
    text = section_text(report, first[0])
    assert text.startswith("一、") and text in report.speech.body


def test_the_overview_counts_the_top_level_parts_the_index_page_and_the_deck_count(corpus_dir, tokenizer):
    # the 2022 report has three numbered parts and an unnumbered one after them: the explorer said 3 while the
    # speech's index page and the deck (Outline.parts) said 4
    from analysis_utils import build_outline, open_speech

    path = corpus_dir / "gwr_2022_crlf.txt"
    outline = build_outline(open_speech(path))
    assert (len(outline.sections), len(outline.parts)) == (3, 4)
    length = dict(overview_rows(open_speech_file(path, tokenizer)))["篇幅 · length"]
    assert length.endswith("· 4 个一级部分 top-level parts")


def test_an_upload_lands_in_the_folder_under_its_own_name_and_reads_as_the_file(tmp_path, corpus_dir, tokenizer):
    source = corpus_dir / "xi_2015_county_secretaries.txt"
    gbk = source.read_text(encoding="utf-8-sig").encode("gbk")
    folder = tmp_path / "uploads"
    folder.mkdir()
    path = save_upload("..\\..\\evil\\讲话.txt", gbk, folder)
    assert path == folder / "讲话.txt" and path.read_bytes() == gbk
    assert list(tmp_path.rglob("*")) == [folder, path]  # nothing written anywhere else
    opened = open_speech_file(path, tokenizer)
    assert opened.speech.body == load_speech(source).body and opened.speech.encoding.lower().startswith("gb")


def test_an_upload_of_another_type_is_refused_before_writing(tmp_path):
    with pytest.raises(SpeechError, match=r"报告.pdf: unsupported file type '.pdf'"):
        save_upload("报告.pdf", b"%PDF-1.4", tmp_path)
    assert not list(tmp_path.iterdir())


def test_the_query_string(monkeypatch):
    assert query_params("speech=seeds%2Fa.txt&term=%E6%94%B9%E9%9D%A9") == {"speech": "seeds/a.txt", "term": "改革"}
    assert query_params("?term=&speech=a.txt&speech=b.txt") == {"speech": "b.txt"}
    monkeypatch.setenv("QUERY_STRING", "term=%E5%9F%BA%E5%B1%82")
    assert query_params() == {"term": "基层"}
    monkeypatch.delenv("QUERY_STRING")
    assert query_params() == {}
