"""Sources: folders, table files and lists become one Corpus (ids, dates, titles), listed once and
loaded on demand; parts of a speech keep their offsets; bad sources fail early, clearly."""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from analysis_utils import Corpus, SpeechError, load_speech, speech_from_text
from analysis_utils.scale import corpus_items, corpus_substring_counts, corpus_term_counts
from analysis_utils.stats import term_frequency

from .helpers import plain_counts


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


def _write_table(path, rows):
    if path.suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    else:
        pd.DataFrame(rows).to_csv(path, index=False, sep="\t" if path.suffix == ".tsv" else ",", encoding="utf-8-sig")
    return path


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_table_sources(tmp_path, tokenizer, seed_speech, fmt):
    rows = _rows(seed_speech)
    path = _write_table(tmp_path / f"texts.{fmt}", rows)
    items = corpus_items(path)
    assert [it.id for it in items] == ["seed", "short_one", "texts-00003"]
    assert items[0].date == "2020-01-01" and items[0].title == "种子" and items[1].date is None
    got = corpus_term_counts(path, cache=tmp_path / "c", progress=False)
    for sid, ref in _expected_from_rows(rows, tokenizer).items():
        mine = got[got.speech_id == sid][["term", "token_count"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, ref, check_dtype=False, obj=sid)
    sub = corpus_substring_counts(path, ["四个意识", "发展"], cache=tmp_path / "c", progress=False)
    assert sub[sub.speech_id == "short_one"]["substring_count"].tolist() == [1, 1]


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


def test_a_folder_is_read_by_one_rule_sub_folders_included(corpus_dir):
    """Issue 13: `count/terms DIR` left sub-folders out while the corpus functions read them. The
    rule is speech_files(folder, recursive=True), applied by Corpus to a folder: give the folder
    itself as the source."""
    from analysis_utils.reading import speech_files

    corpus = Corpus(corpus_dir)
    assert [it.path for it in corpus] == speech_files(corpus_dir, recursive=True)
    assert any(it.path.parent != corpus_dir for it in corpus)  # sub-folders are in
    assert Corpus([corpus_dir]) == corpus


# ------------------------------------------------------------------ bad sources
@pytest.mark.parametrize("make,message", [
    (lambda d: d / "missing", "no such file or folder"),
    (lambda d: (d / "empty").mkdir() or d / "empty", "no speech files"),
    (lambda d: (d / "t.csv").write_text("id,body\n1,中文\n", encoding="utf-8") and d / "t.csv", r"no 'text' \(or 'content'\) column"),
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
    with pytest.raises(SpeechError, match=message):
        Corpus(source)  # the same, when the corpus is made


def test_a_source_of_the_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="not int"):
        Corpus(5)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the Corpus value
def test_corpus_lists_once_and_loads_on_demand(small_dir, tmp_path):
    corpus = Corpus(small_dir)
    files = sorted(small_dir.iterdir())
    assert len(corpus) == 3 and corpus.ids == tuple(p.stem for p in files)
    assert [it.path for it in corpus] == files and [it.index for it in corpus] == [0, 1, 2]
    assert corpus.dates == (None, None, None) and corpus.sources == (small_dir,)
    assert Corpus(corpus).ids == corpus.ids  # a corpus is a source too
    shutil.copy(files[0], small_dir / "new.txt")
    assert len(corpus) == 3  # listed when made: a value
    loaded = corpus.load(1)
    assert loaded.id == corpus.ids[1] and loaded.body == load_speech(files[1]).body
    files[2].write_bytes(b"%PDF-1.4")
    got = list(corpus.speeches(errors="skip"))
    assert isinstance(got[2][1], SpeechError) and [it.id for it, _ in got] == list(corpus.ids)
    with pytest.raises(SpeechError, match="PDF"):
        list(corpus.speeches())
    with pytest.raises(ValueError, match="errors"):
        list(corpus.speeches(errors="ignore"))  # type: ignore[arg-type]


def test_corpus_of_a_table_reads_rows_again_in_any_order(tmp_path, seed_speech):
    rows = _rows(seed_speech)
    path = _write_table(tmp_path / "texts.csv", rows)
    corpus = Corpus(path)
    assert corpus.ids == ("seed", "short_one", "texts-00003")
    assert corpus.dates == ("2020-01-01", None, None) and corpus.titles == ("种子", None, None)
    assert all(it.text is None for it in corpus)  # texts are not kept …
    assert [it.text for it in corpus.stream()] == [r["text"] for r in rows]  # … but read again when needed
    picked = corpus.select([2, 0])
    assert picked.ids == ("texts-00003", "seed") and [it.index for it in picked] == [0, 1]
    assert [it.text for it in picked.stream()] == [rows[2]["text"], rows[0]["text"]]
    assert picked.load(1).body == seed_speech.body and picked.load(1).id == "seed"
    # the corpus functions take it as they take the file, ids and order kept
    mine = corpus_term_counts(picked, cache=tmp_path / "c", progress=False)
    assert list(dict.fromkeys(mine["speech_id"])) == ["texts-00003", "seed"]
    whole = corpus_term_counts(path, cache=tmp_path / "c", progress=False)
    pd.testing.assert_frame_equal(mine[mine.speech_id == "seed"].reset_index(drop=True),
                                  whole[whole.speech_id == "seed"].reset_index(drop=True))


def test_parts_of_a_speech_keep_their_offsets(tmp_path, seed_speech, tokenizer):
    spans = [("开头", 0, 39), ("一", 39, 1144), ("二", 1145, len(seed_speech.body))]
    corpus = Corpus.of_parts(seed_speech, spans)
    assert corpus.parent is seed_speech and corpus.titles == ("开头", "一", "二")
    assert [(it.start, it.end) for it in corpus] == [(s, e) for _, s, e in spans]
    assert corpus.ids == tuple(f"{seed_speech.id}_part{i}" for i in (1, 2, 3))
    for item in corpus:
        part = corpus.load(item)
        assert part.id == item.id and part.path.name == f"{item.id}.txt" and part.encoding == seed_speech.encoding
        assert seed_speech.body[item.start:item.end].strip() == part.body.strip()
    # the corpus path counts each part as the plain path counts it
    got = corpus_term_counts(corpus, cache=tmp_path / "c", progress=False)
    for item in corpus:
        part = corpus.load(item)
        ref = term_frequency(tokenizer.tokens(part), speech=part)[["term", "token_count"]].reset_index(drop=True)
        mine = got[got.speech_id == item.id][["term", "token_count"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, ref, check_dtype=False, obj=item.id)


@pytest.mark.parametrize("spans,message", [([], "at least one"), ([("x", 10, 5)], "not inside"),
                                           ([("x", 0, 10**7)], "not inside")])
def test_parts_outside_the_body_are_refused(seed_speech, spans, message):
    with pytest.raises(ValueError, match=message):
        Corpus.of_parts(seed_speech, spans)


def test_table_columns_are_found_by_any_case_and_by_their_other_names(tmp_path, corpus_dir):
    """A CSV or JSONL corpus may call its text 'content' and its date 'year', in any case (issue 14)."""
    from analysis_utils import Corpus, corpus_substring_counts

    csv_path = tmp_path / "t.csv"
    csv_path.write_text("ID,Title,Year,Content\na,甲,2021,稳就业稳就业\nb,乙,2022,保民生\n", encoding="utf-8")
    jsonl_path = tmp_path / "t.jsonl"
    jsonl_path.write_text('{"Content": "稳就业", "YEAR": 2020, "title": "丙"}\n', encoding="utf-8")
    items = corpus_items([csv_path, jsonl_path])
    assert [(i.id, i.title, i.date, i.text) for i in items] == [
        ("a", "甲", "2021", "稳就业稳就业"), ("b", "乙", "2022", "保民生"), ("t-00001", "丙", "2020", "稳就业")]
    counts = corpus_substring_counts(csv_path, ["稳"], progress=False)
    assert counts["substring_count"].tolist() == [2, 0]
    # the real Wikisource dump: 46 reports, each dated by its year, read in place
    reports = Corpus(corpus_dir / "wikisource" / "government_work_reports.jsonl")
    dates = [i.date for i in corpus_items(reports)]
    assert len(dates) == 46 and all(d and d.isdigit() and 1954 <= int(d) <= 2022 for d in dates)


def test_a_rows_title_and_date_columns_stand_in_for_what_its_text_does_not_say(tmp_path, corpus_dir):
    """The 2016 Government Work Report on Wikisource starts at 各位代表 (no title block): loaded as
    a row, its title and year come from the table's columns, with a note; a text that states its
    own title and date keeps them."""
    import json

    from analysis_utils import load_speech

    src = (corpus_dir / "wikisource" / "government_work_reports.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in src[:4]]
    table = tmp_path / "gwr.jsonl"
    table.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    bare = load_speech(f"{table}#gwr-00004")  # 2015: no title block in its text
    assert (bare.meta.title, bare.meta.date) == (rows[3]["title"], rows[3]["year"])
    assert any("title from the table's title column" in n for n in bare.notes)
    own = load_speech(f"{table}#gwr-00001")  # 2022: the text has its title block and date
    assert own.meta.date == "2022-03-05" and not any("table's" in n for n in own.notes)


def test_congress_reports_are_dated_by_their_congress(corpus_dir, tmp_path):
    """The Wikisource congress reports have a ``congress`` number and no date: each row is dated by
    its congress's opening day, with a note naming where the date came from; a date column wins."""
    path = corpus_dir / "wikisource" / "cpc_congress_reports.jsonl"
    corpus = Corpus(path)
    numbers = [json.loads(line)["congress"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert [d[:4] for d in corpus.dates] == [
        {1: "1921", 3: "1923", 7: "1945", 9: "1969", 10: "1973", 11: "1977", 12: "1982", 13: "1987",
         14: "1992", 15: "1997", 16: "2002"}[n] for n in numbers]
    s14 = corpus.load(corpus.find("cpc_congress_reports-00010"))
    assert s14.meta.date == "1992-10-12"
    assert any("congress column" in n and "1992-10-12" in n for n in s14.notes)
    rows = [{"text": "同志们：\n改革开放是决定当代中国命运的关键一招。", "congress": 14, "date": "1992-10-13"},
            {"text": "同志们：\n坚持改革开放。", "congress": 99}]
    table = tmp_path / "rows.jsonl"
    table.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert Corpus(table).dates == ("1992-10-13", None)  # a date column wins; an unknown congress gives no date


# ------------------------------------------------------------------ the faster loader (issue 20): the same speeches
@pytest.mark.slow
def test_every_wikisource_record_loads_exactly_as_with_the_base_commits_loader(corpus_dir):
    """Each record as ``load_item`` cleans it (the table's title and year filling in): every field the
    same as with the loader before issue 20 (benchmarks/load_benchmark.py)."""
    from tests.reading.base_loader import assert_same, base_sources, outcome

    old = base_sources()
    tables = sorted((corpus_dir / "wikisource").glob("*.jsonl"))
    old_corpus, new_corpus = old.Corpus(tables), Corpus(tables)
    assert len(new_corpus) == len(old_corpus) == 58
    for old_item, new_item in zip(old_corpus.stream(), new_corpus.stream(), strict=True):
        assert_same(outcome(old_corpus.load, old_item), outcome(new_corpus.load, new_item), new_item.label)
