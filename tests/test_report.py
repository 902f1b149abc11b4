"""The report pages beside a run's outputs: ``index.md`` and ``index.html`` (analysis_utils.report).

Every link and image of both pages must point to a file that exists (``broken_links`` walks them);
the seed's committed ``index.md`` is held to what git keeps.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from analysis_utils import Outputs, load_speech
from analysis_utils.report import broken_links, links_of, write_corpus_index, write_index

ROOT = Path(__file__).resolve().parents[1]
SEED_FIGURES = ROOT / "figures" / "party_building_conference_speech"


def _figures(out: Path, sid: str, names_captions: dict[str, str]) -> Path:
    o = Outputs(sid, out)
    for name, caption in names_captions.items():
        fig, ax = plt.subplots(figsize=(2, 1.5))
        ax.plot([1, 2], [3, 4])
        o.fig(fig, name, caption=caption)
        plt.close(fig)
    return out / sid


CAPTIONS = {"05_sizes": "篇幅对比 · Length of each unit.",
            "02_keyness": "关键词 · Keywords <b>against</b> the reference.",
            "01_outline_tree": "讲话提纲 Outline of the speech",
            "02_top_terms": "高频词前20 · Top 20 terms.",
            "04_wordcloud": "词云 · Word cloud"}


def test_the_page_shows_each_figure_once_with_its_caption_once_in_reading_order(tmp_path, seed_path):
    d = _figures(tmp_path / "out", "party_building_conference_speech", CAPTIONS)
    (d / "02_term_frequency.csv").write_bytes(b"\xef\xbb\xbfterm,count\n\xe7\xbb\x84\xe7\xbb\x87,17\n")
    (d / "notebooks").mkdir()
    (d / "notebooks" / "02_term_frequency.ipynb").write_text("{}", encoding="utf-8")
    (d / "deck.pptx").write_bytes(b"PK")
    index_md = write_index(load_speech(seed_path), tmp_path / "out")
    page = d / "index.html"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and 'name="viewport"' in text and "<style>" in text
    for name, caption in CAPTIONS.items():
        shown = caption.replace("<", "&lt;").replace(">", "&gt;")
        assert text.count(f'<img src="{name}.png"') == 1 and text.count(shown) == 1, name
    assert "<b>against</b>" not in text  # a caption is text, never markup
    headings = re.findall(r"<h2>(.*?)</h2>", text)
    assert headings == ["01 结构 Structure", "02 用词 Terms", "04 词云 Word clouds", "05 对比 Comparison"]
    assert text.index("02_top_terms.png") < text.index("02_keyness.png")  # the finding first, not file-name order
    for fact in ("汉字数 Chinese characters</dt><dd>3032", "一级部分 Top-level parts</dt><dd>2",
                 "提法前五（提法计数） Top formulations (formulation count)</dt><dd>新时代 10", "占位符 Placeholders</dt><dd>33",
                 "载入时删去 Removed by the loader</dt><dd>127 字 chars"):
        assert fact in text, fact
    for target in ("02_term_frequency.csv", "notebooks/02_term_frequency.ipynb", "deck.pptx", "05_sizes.svg"):
        assert f'href="{target}"' in text, target
    assert not broken_links(page) and not broken_links(index_md)
    md = index_md.read_text(encoding="utf-8")
    assert all(md.count(c.replace("<", "&lt;").replace(">", "&gt;")) == 1 for c in CAPTIONS.values())
    assert "](notebooks/" not in md and "`notebooks/02_term_frequency.ipynb`" in md  # git does not keep them


def test_links_are_found_broken(tmp_path):
    """The link walker itself: a missing file, a missing anchor and an absolute URL are each reported."""
    page = tmp_path / "index.html"
    (tmp_path / "a b.png").write_bytes(b"")
    page.write_text('<a href="a%20b.png">x</a><img src="gone.png"><a href="#nope">y</a><p id="here"></p>'
                    '<a href="#here">z</a><a href="https://example.org/x">w</a>', encoding="utf-8")
    assert broken_links(page) == ["gone.png", "#nope", "https://example.org/x (not a relative link)"]


def test_a_folder_page_links_its_speeches_pages_and_escapes_its_notes(tmp_path):
    out = tmp_path / "out"
    _figures(out, "r1", {"01_outline_tree": "提纲"})
    write_index(load_speech(Path(__file__).resolve().parents[1] / "seeds" / "party_building_conference_speech.txt"),
                out, "r1")
    d = _figures(out, "讲话", {"05_sizes": "篇幅对比"})
    index_md = write_corpus_index(Path("讲话.jsonl"), out, "讲话", [("r1", "在<i>会</i>上的讲话")],
                                  ["r2 is a near-duplicate of r1 <script>"])
    text = (d / "index.html").read_text(encoding="utf-8")
    assert '<a href="../r1/index.html">在&lt;i&gt;会&lt;/i&gt;上的讲话</a>' in text
    assert "<script>" not in text and "讲话 Speeches</dt><dd>1" in text
    assert not broken_links(d / "index.html") and not broken_links(index_md)


def _tracked() -> set[Path]:
    listed = subprocess.run(["git", "ls-files", "-z", "figures"], cwd=ROOT, capture_output=True, check=True).stdout
    return {(ROOT / p).resolve() for p in listed.decode("utf-8").split("\0") if p}


def test_the_committed_index_pages_link_only_to_files_git_keeps():
    """What the repository shows: the seed's committed index.md (and index.html, when committed)
    link only to files git has, not to the executed notebooks, which git ignores."""
    try:
        tracked = _tracked()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    pages = [p for p in (SEED_FIGURES / "index.md", SEED_FIGURES / "index.html") if p.resolve() in tracked]
    assert SEED_FIGURES / "index.md" in pages
    for page in pages:
        assert not broken_links(page, exists=lambda p: p in tracked), page
        assert links_of(page), page


def test_run_prints_where_the_pages_are(capsys, tmp_path):
    from analysis_utils.cli import _print_pages

    pages = [tmp_path / f"s{i}" / "index.html" for i in range(3)]
    _print_pages(pages)
    assert capsys.readouterr().out.splitlines() == [f"report: {p}" for p in pages]
    _print_pages(pages * 5)
    assert capsys.readouterr().out.splitlines() == [f"report: 15 pages, {tmp_path}/*/index.html; the last: {pages[-1]}"]


def test_every_headline_number_names_what_it_counts(tmp_path, seed_path):
    """Before: "新时代 10 · 高质量发展 5" (10 what?) wrapping mid-item ("稳就业 / 6") on the page,
    and a folder's page had no length, placeholders or formulations at all. After: each formulation
    says 次 under a label naming the count, items never break, and a folder's page sums its units'
    length and placeholders and names the count of its top formulations (the tables notebook 05 wrote)."""
    import pandas as pd

    from analysis_utils import save_table

    d = _figures(tmp_path / "out", "party_building_conference_speech", {"01_outline_tree": "提纲"})
    write_index(load_speech(seed_path), tmp_path / "out")
    text = (d / "index.html").read_text(encoding="utf-8")
    assert "新时代 10 次 · " in text and '<span class="item">高质量发展 5 次</span>' in text
    assert ".item{white-space:nowrap}" in text
    assert "新时代 10 次 · 高质量发展 5 次" in (d / "index.md").read_text(encoding="utf-8")

    save_table(pd.DataFrame({"unit": ["a", "b"], "han_chars": [1200, 3400], "placeholders": [0, 2]}), "讲话",
               "05_units", out_dir=tmp_path / "out")
    save_table(pd.DataFrame({"slogan": ["新时代", "改革开放"], "kind": ["lexicon"] * 2, "formulation_count": [9, 4],
                             "units": [2, 1]}), "讲话", "05_slogans", out_dir=tmp_path / "out")
    folder = write_corpus_index(Path("讲话"), tmp_path / "out", "讲话", [("party_building_conference_speech", "讲话")])
    page = folder.with_name("index.html").read_text(encoding="utf-8")
    for fact in ("汉字数（合计） Chinese characters (in all)</dt><dd>4600", "占位符（合计） Placeholders (in all)</dt><dd>2",
                 "提法前五（提法计数） Top formulations (formulation count)</dt><dd>新时代 9 次 · "):
        assert fact in page, fact
    assert "提法前五（提法计数） Top formulations (formulation count): 新时代 9 次 · 改革开放 4 次" in folder.read_text(
        encoding="utf-8")


def test_a_folder_page_shows_the_comparison_before_its_long_list_of_speeches(tmp_path):
    """Before: 82 links to the speeches' pages came first; the comparison's figures were screens below.
    After: headline, the comparison, then the speeches (reached from the top by a link)."""
    out = tmp_path / "out"
    d = _figures(out, "讲话", {"05_sizes": "篇幅对比"})
    write_corpus_index(Path("讲话"), out, "讲话", [(f"r{i}", f"讲话{i}") for i in range(82)])
    text = (d / "index.html").read_text(encoding="utf-8")
    assert text.index('<img src="05_sizes.png"') < text.index('href="../r0/index.html"')
    assert '<a href="#speeches">讲话 Speeches (82)</a>' in text and 'id="speeches"' in text
    assert broken_links(d / "index.html") == [f"../r{i}/index.html" for i in range(82)]  # those pages are not made here
