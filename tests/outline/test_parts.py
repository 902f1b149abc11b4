"""outline/parts.py: the Sections value, built from the outline once."""
from __future__ import annotations

import importlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis_utils
from analysis_utils import build_outline, load_speech, speech_from_text
from analysis_utils.outline import Sections, equal_parts, section_table, sections, top_level_sections
from analysis_utils.outline.parts import BY_SENTENCE, even_cuts, heading_sections

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def test_a_given_outline_is_not_built_again(seed_speech, monkeypatch):
    o = build_outline(seed_speech)
    expected = section_table(seed_speech)

    def no_build(speech):
        raise AssertionError("build_outline called although an outline was passed")

    # the module, not the function ``sections`` the package exports under the same name
    monkeypatch.setattr(importlib.import_module("analysis_utils.outline.parts"), "build_outline", no_build)
    assert [label for label, *_ in top_level_sections(seed_speech, outline=o)] == [s.title for s in o.sections]
    assert section_table(seed_speech, outline=o).equals(expected)
    assert sections(seed_speech, outline=o).table.equals(expected)


def test_sections_of_offsets(seed_speech):
    secs = sections(seed_speech)
    assert isinstance(secs, Sections) and len(secs) == 4
    starts = secs.table["start"].tolist()
    assert secs.of(starts).tolist() == secs.table["section"].tolist()
    assert secs.of([len(seed_speech.body) + 5]).tolist() == [-1]
    assert secs.label(-1) == "" and secs.label(1).startswith("一、")


def test_equal_parts_needs_one_part_or_more(seed_speech):
    with pytest.raises(ValueError, match="parts must be 1 or more"):
        equal_parts(seed_speech, 0)


def test_flat_api_is_the_same_at_the_top():
    import analysis_utils.outline as outline

    for name in ("build_outline", "Outline", "OutlineNode", "Finding", "Sections", "sections", "section_table",
                 "top_level_sections"):
        assert getattr(analysis_utils, name) is getattr(outline, name)
    for name in outline.__all__:
        assert hasattr(outline, name), name


# ------------------------------------------------- on real speeches (fixtures and tests)
def _composed(text: str):
    return speech_from_text(text, path="composed.txt")


# ----------------------------------------------------------------------- sections
@pytest.mark.parametrize("fixture, n, first, last", [
    ("seed_speech", 2, "一、聚焦主业、担当作为", "二、强基固本、激发活力"),
    ("cpc20", 15, "一、过去五年的工作和新时代十年的伟大变革", "十五、坚定不移全面从严治党，深入推进新时代党的建设新的伟大工程"),
    ("gwr", 3, "一、2021年工作回顾", "三、2022年政府工作任务"),
])
def test_top_level_sections(request, fixture, n, first, last):
    sp = request.getfixturevalue(fixture)
    for secs in (top_level_sections(sp), heading_sections(sp)):
        assert len(secs) == n
        assert secs[0][0].startswith(first) and secs[-1][0].startswith(last)
        assert all(sp.body[s:e].startswith(label[:2]) for label, s, e in secs)
        assert all(a[2] <= b[1] for a, b in zip(secs, secs[1:]))


def test_heading_fallback_needs_the_sequence():
    sp = _composed("讲话\n一、第一部分\n内容。\n三、不是第二部分\n二、第二部分\n内容。")
    assert [label for label, *_ in heading_sections(sp)] == ["一、第一部分", "二、第二部分"]
    assert heading_sections(_composed("没有标题的讲话。\n只有段落。")) == []


def test_section_table_and_parts(seed_speech, corpus_dir):
    t = section_table(seed_speech)
    assert t["label"].iloc[0] == "开头 opening" and t["section"].tolist()[:3] == [0, 1, 2]
    xi = load_speech(corpus_dir / "xi_speeches_2013_2016" / "032_2014-10-08.txt")
    assert section_table(xi)["label"].tolist() == ["全文 whole text"]
    parts = section_table(xi, parts_if_no_headings=4)
    assert len(parts) == 4 and parts["label"].iloc[0].startswith("第1部分")
    assert (parts["start"].iloc[1:].to_numpy() == parts["end"].iloc[:-1].to_numpy()).all()


# ---------------------------------------------------------------------------- CLI


# ------------------------------------------- parts of a text without paragraph breaks (issue 14)
_XI = ("001_2013-03-22.txt", "028_2014-07-15.txt", "040_2014-12-31.txt", "063_2015-12-31.txt", "085_2016-12-29.txt")
_SENTENCE_END = tuple("。！？!?…”’」』）)\n")


def _flattened(src, tmp_path):
    """``src`` the way a scraped page has it: every line stripped and joined into one, written to disk."""
    lines = src.read_text(encoding="utf-8-sig").splitlines()
    flat = tmp_path / f"flat_{src.stem}.txt"
    flat.write_text("".join(line.strip() for line in lines), encoding="utf-8")
    return load_speech(flat)


def _assert_cut_at_sentences(sp, bounds, n):
    """The pieces cover ``body[bounds[0]:bounds[-1]]`` once, in order; ``n`` of them; each cut is the start of
    a sentence right after a sentence end; each piece is an equal share give or take one sentence."""
    starts = [s for s, _ in sp.sentence_spans]
    assert len(bounds) == n + 1 and bounds == sorted(set(bounds))
    assert all(c in starts and sp.body[c - 1] in _SENTENCE_END for c in bounds[1:-1]), bounds
    longest = max(b - a for a, b in zip(starts, [*starts[1:], len(sp.body)]))
    share = (bounds[-1] - bounds[0]) / n
    assert all(abs((b - a) - share) <= longest for a, b in zip(bounds, bounds[1:])), (bounds, share, longest)


@pytest.mark.parametrize("name", _XI)
@pytest.mark.parametrize("n", [2, 3, 5])
def test_a_flattened_speech_is_cut_into_equal_parts_at_sentence_ends(corpus_dir, tmp_path, name, n):
    """Before: one part (``第1部分 part 1/1``) or a few characters of salutation as a part, since the
    parts were cut only at paragraph breaks."""
    sp = _flattened(corpus_dir / "xi_speeches_2013_2016" / name, tmp_path)
    parts = equal_parts(sp, n)
    bounds = [parts[0][1], *(e for _, _, e in parts)]
    assert bounds[0] == 0 and bounds[-1] == len(sp.body)  # the whole body, the title block in part 1
    assert all(a[2] == b[1] for a, b in zip(parts, parts[1:]))
    _assert_cut_at_sentences(sp, bounds, n)
    assert [label for label, *_ in parts] == [f"第{i}部分{BY_SENTENCE}" for i in range(1, n + 1)]
    table = section_table(sp, parts_if_no_headings=n)  # notebook 02's parts: the same
    assert table["start"].tolist() == bounds[:-1] and table["label"].str.endswith(BY_SENTENCE).all()


def test_the_flattened_seed_is_cut_at_sentence_ends_too(seed_path, tmp_path):
    lines = [line.strip() for line in seed_path.read_text(encoding="utf-8").splitlines()]
    flat = tmp_path / "seed_flat.txt"
    flat.write_text("".join(lines[lines.index("在党建工作会议上的讲话"):]), encoding="utf-8")
    sp = load_speech(flat)
    cuts, by_sentence = even_cuts(sp, 4)
    assert by_sentence and len(cuts) == 3
    _assert_cut_at_sentences(sp, [0, *cuts, len(sp.body)], 4)


@pytest.mark.parametrize("name", [p for p in _XI if p != "085_2016-12-29.txt"])
def test_a_speech_with_paragraphs_is_still_cut_at_paragraph_breaks(corpus_dir, name):
    sp = load_speech(corpus_dir / "xi_speeches_2013_2016" / name)
    paragraph_starts = {s for s, _ in sp.paragraph_spans}
    for n in (2, 3, 5):
        parts = equal_parts(sp, n)
        assert [label for label, *_ in parts] == [f"第{i}部分 part {i}/{n}" for i in range(1, n + 1)]
        assert all(s in paragraph_starts for _, s, _ in parts[1:])


@pytest.mark.parametrize("text, n_parts", [
    ("只有一句话，没有句号也没有分段，分不出部分", 1),
    ("同志们：今天开会，大家辛苦了。", 1),        # one sentence after a salutation on the same line
    ("第一句话。第二句话。", 2),
])
def test_a_text_of_few_sentences_gets_as_many_parts_as_it_has_sentences(tmp_path, text, n_parts):
    f = tmp_path / "short.txt"
    f.write_text(text, encoding="utf-8")
    sp = load_speech(f)
    parts = equal_parts(sp, 3)
    assert len(parts) == n_parts and parts[0][1] == 0 and parts[-1][2] == len(sp.body)


_ALL_XI = sorted((CORPUS / "xi_speeches_2013_2016").glob("*.txt")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not _ALL_XI, reason="development corpus not found")
@settings(max_examples=15, deadline=None)
@given(index=st.integers(0, max(0, len(_ALL_XI) - 1)), n=st.integers(1, 6), keep=st.integers(10, 100))
def test_parts_of_any_flattened_corpus_speech_cover_it_once_at_sentence_ends(index, n, keep):
    """Any corpus speech, flattened (and cut to its first ``keep`` % so short ones come up too), written to disk."""
    src = _ALL_XI[index]
    with tempfile.TemporaryDirectory() as d:
        lines = src.read_text(encoding="utf-8-sig").splitlines()
        text = "".join(line.strip() for line in lines)
        flat = Path(d) / "flat.txt"
        flat.write_text(text[: max(300, len(text) * keep // 100)], encoding="utf-8")
        sp = load_speech(flat)
    parts = equal_parts(sp, n)
    bounds = [0, *(e for _, _, e in parts)]
    assert [s for _, s, _ in parts] == bounds[:-1] and bounds[-1] == len(sp.body)
    assert len(parts) == min(n, len(sp.sentence_spans))  # fewer only when the sentences run short
    if parts[0][0].endswith(BY_SENTENCE):
        _assert_cut_at_sentences(sp, bounds, len(parts))
    else:  # the paragraph breaks allowed it: none of the parts is less than a fifth of an equal share
        assert all(s in {a for a, _ in sp.paragraph_spans} for _, s, _ in parts[1:])
        assert min(e - s for _, s, e in parts) * 5 * n >= len(sp.body.strip())
