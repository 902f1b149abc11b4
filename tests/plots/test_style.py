"""What every figure shares: the Chinese font, label wrapping, the small drawing helpers."""
from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from analysis_utils import SpeechError, find_cjk_font, use_chinese_font
from analysis_utils.plots.style import (
    annotate_cells,
    cell_grid,
    display_width,
    empty_panel,
    integer_ticks,
    is_cut,
    section_frame,
    set_title,
    shorten,
    text_units,
    tint,
    wrap_cjk,
    wrap_label,
)
from analysis_utils.tokenizer import new_jieba


# ------------------------------------------------------------------------------ fonts
def test_a_cjk_font_is_found_and_has_chinese_glyphs():
    from matplotlib.ft2font import FT2Font

    path = find_cjk_font()
    font = FT2Font(str(path))
    for ch in "习近平新时代中国特色社会主义思想一征三议两公开（）“”《》":
        assert font.get_char_index(ord(ch)) != 0, ch


def test_chinese_renders_without_missing_glyph_warnings():
    use_chinese_font()
    fig, ax = plt.subplots()
    ax.set_title("四个意识 · 两个维护 − 三会一课")
    ax.barh(["一征三议两公开", "双推双评三全程"], [2, -1])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    assert not [w for w in caught if "missing from font" in str(w.message) or "Glyph" in str(w.message)]
    plt.close(fig)


def test_a_missing_font_named_by_the_environment_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYSIS_UTILS_FONT", str(tmp_path / "none.otf"))
    with pytest.raises(SpeechError, match=r"none\.otf: no such font file \(named by ANALYSIS_UTILS_FONT\)"):
        find_cjk_font()


def test_the_cli_says_a_missing_font_in_one_line(tmp_path, seed_path):
    """`cloud` with ANALYSIS_UTILS_FONT naming no file: one line naming it, exit 2, no traceback."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "ANALYSIS_UTILS_FONT": str(tmp_path / "none.otf")}
    r = subprocess.run([sys.executable, "-m", "analysis_utils", "cloud", str(seed_path), "--out-dir", str(tmp_path)],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == f"error: {tmp_path / 'none.otf'}: no such font file (named by ANALYSIS_UTILS_FONT)"


# A figure and a word cloud drawn in a fresh process, after registering SYSTEM (a path, or "")
# with matplotlib as a machine's installed fonts are; prints the sha256 of each file written.
_DRAW = """
import hashlib, sys
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager
system, out = sys.argv[1], Path(sys.argv[2])
if system:
    font_manager.fontManager.addfont(system)
from analysis_utils import save_fig, save_wordcloud, textplot_wordcloud, use_chinese_font
print("family", use_chinese_font())
fig, ax = plt.subplots(figsize=(4, 2))
ax.barh(["全面从严治党", "党的建设 AI"], [3, 1])
ax.set_title("骨干 · 直接 · 说话 Noto 123")
paths = save_fig(fig, "f", "fig", out_dir=out)
freq = pd.DataFrame({"term": list("党建骨干直接说话全面从严治"), "token_count": range(13, 0, -1)})
paths += save_wordcloud(textplot_wordcloud(freq, width=480, height=270), "f", "cloud", out_dir=out)
for p in paths:
    print(p.name, hashlib.sha256(p.read_bytes()).hexdigest())
"""
SIMHEI = Path(__import__("mplfonts").__file__).parent / "fonts" / "SimHei.ttf"
DEBIAN_NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def _draw(tmp_path, system: str = "", env: str | None = None) -> dict[str, str]:
    out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
    environ = {k: v for k, v in os.environ.items() if k != "ANALYSIS_UTILS_FONT"}
    if env:
        environ["ANALYSIS_UTILS_FONT"] = env
    done = subprocess.run([sys.executable, "-c", _DRAW, system, str(out)], capture_output=True, text=True,
                          env=environ, timeout=120)
    assert done.returncode == 0, done.stderr
    return dict(line.split(" ", 1) for line in done.stdout.splitlines())


@pytest.mark.slow
def test_the_default_figures_are_the_same_bytes_whether_or_not_a_system_cjk_font_is_installed(tmp_path):
    # SimHei (from mplfonts) stands in for a machine's installed Chinese font: before, it was
    # preferred over the bundled Noto Sans CJK SC, so figures changed from machine to machine.
    plain = _draw(tmp_path)
    assert plain["family"] == "Noto Sans CJK SC"
    assert _draw(tmp_path, str(SIMHEI)) == plain


@pytest.mark.slow
@pytest.mark.skipif(not DEBIAN_NOTO.is_file(), reason="fonts-noto-cjk is not installed")
def test_debians_noto_cjk_collection_does_not_change_the_default_figures(tmp_path):
    plain = _draw(tmp_path)
    for ttc in DEBIAN_NOTO.parent.glob("NotoSansCJK-*.ttc"):  # Regular and Bold: neither stands in
        assert _draw(tmp_path, str(ttc)) == plain


def _collection(tmp_path) -> Path:
    """A .ttc as systems ship them: a Japanese face first, a bold Simplified Chinese face, then the Regular one."""
    from fontTools.ttLib import TTCollection, TTFont

    def face(src: Path, family: str, style: str, weight: int) -> TTFont:
        font = TTFont(str(src))
        font["name"].names = [n for n in font["name"].names if n.nameID not in (1, 2, 4, 16, 17)]
        for nid, text in ((1, family), (2, style), (4, f"{family} {style}"), (16, family), (17, style)):
            font["name"].setName(text, nid, 3, 1, 0x409)
        font["OS/2"].usWeightClass = weight
        return font

    ttc = TTCollection()
    ttc.fonts = [face(SIMHEI, "Test Sans JP", "Regular", 400), face(SIMHEI, "Test Sans SC", "Bold", 700),
                 face(SIMHEI, "Test Sans SC", "Regular", 400)]
    path = tmp_path / "TestSans.ttc"
    ttc.save(str(path))
    return path


@pytest.mark.slow
def test_a_collection_the_user_names_is_drawn_with_its_simplified_chinese_regular_face(tmp_path):
    from analysis_utils.plots.style import font_face

    ttc = _collection(tmp_path)
    assert font_face(ttc) == 2  # not face 0 (Japanese forms), not the bold one
    drawn = _draw(tmp_path, env=str(ttc))
    assert drawn["family"] == "Test Sans SC"
    assert drawn != _draw(tmp_path)  # the user's font is used
    from analysis_utils.plots.cloudlayout import cloud_font

    assert cloud_font(str(ttc)).index == 2


@pytest.mark.skipif(not DEBIAN_NOTO.is_file(), reason="fonts-noto-cjk is not installed")
def test_debians_noto_cjk_collection_gives_its_sc_regular_face():
    from fontTools.ttLib import TTCollection

    from analysis_utils.plots.style import font_face

    face = TTCollection(str(DEBIAN_NOTO), lazy=True).fonts[font_face(DEBIAN_NOTO)]
    assert face["name"].getDebugName(1) == "Noto Sans CJK SC" and face["OS/2"].usWeightClass == 400


def test_the_old_module_paths_still_import():
    from analysis_utils.plots.fonts import use_chinese_font as old_font
    from analysis_utils.plots.labels import shorten as old_shorten

    assert old_font is use_chinese_font and old_shorten is shorten


# ----------------------------------------------------------------------------- labels
@pytest.mark.parametrize("text, width, max_lines, expected", [
    ("一二三四五六", 10, 2, ["一二三四五六"]),
    ("基本政治制度", 4, 2, ["基本", "政治制度"]),  # between words, never 基/本 or 政/治
    ("坚持和发展中国特色社会主义", 4, 2, ["坚持和", "发展…"]),  # cut after a whole word, ends in …
    ("一二三，四五六", 3, 3, ["一二三，", "四五六"]),  # a line never starts with ，
    ("坚定不移全面从严治党，深入推进新时代党的建设新的伟大工程", 20, 2, ["坚定不移全面从严治党，", "深入推进新时代党的建设新的伟大工程"]),
    ("坚持笃学实干严管建设忠诚干净担当的高素质干部队伍", 23, 2, ["坚持笃学实干严管建设忠诚干净担当的高素质", "干部队伍"]),  # no orphan 伍, never 高素/质
])
def test_wrap_cjk(text, width, max_lines, expected):
    assert wrap_cjk(text, width, max_lines=max_lines) == expected


def test_wrap_label():
    # two lines, broken after the comma, so the formulation “一国两制” stays on one line
    assert wrap_label("十三、坚持和完善“一国两制”，推进祖国统一", 14) == "十三、坚持和完善“一国两制”，\n推进祖国统一"
    assert wrap_label("一二三，四五六", 3, 3) == "一二三，\n四五六"  # no line starts with ，
    assert wrap_label("坚持和发展中国特色社会主义" * 3, 10, 2).endswith("…")


def test_shorten_widths_and_cuts():
    assert shorten("全面从严治党", 4) == "全面…" and shorten("党建\n工作", 9) == "党建 工作"
    assert display_width("党建ab") == 6 and text_units("党建") == 2.0
    assert is_cut(wrap_cjk("坚持和发展中国特色社会主义" * 3, 5)) and not is_cut(wrap_cjk("一二", 5))


# ---------------------------------------------------------------------------- helpers
def test_drawing_helpers_put_what_they_say_on_the_axes():
    use_chinese_font()
    fig, ax = plt.subplots()
    set_title(ax, "高频词", "top terms", "副标题")
    assert ax.get_title(loc="left") == "高频词 · top terms\n副标题"
    annotate_cells(ax, [["3", ""], ["", "12"]], [[False, False], [False, True]], fontsize=9)
    assert [(t.get_position(), t.get_text(), t.get_color()) for t in ax.texts] == [
        ((0, 0), "3", "#222222"), ((1, 1), "12", "white")]
    cell_grid(ax, 2, 2)
    assert list(ax.xaxis.get_minor_locator().locs) == [-0.5, 0.5, 1.5]
    assert not any(s.get_visible() for s in ax.spines.values())
    plt.close(fig)
    fig, (ax, ax2) = plt.subplots(1, 2)
    empty_panel(ax, "没有 none")
    assert [t.get_text() for t in ax.texts] == ["没有 none"] and not len(ax.get_xticks())
    ax2.set_ylim(0, 2.5)
    integer_ticks(ax2.yaxis)
    assert [float(y) for y in ax2.get_yticks()] == [0.0, 1.0, 2.0, 3.0]
    plt.close(fig)
    assert tint("#ff0000", 0.5) == (1.0, 0.5, 0.5)


def test_section_frame_takes_sections_or_their_table(seed_speech):
    from analysis_utils import section_table, sections

    secs = sections(seed_speech)
    assert section_frame(secs) is secs.table
    table = section_table(seed_speech)
    assert section_frame(table) is table


# ------------------------------------------------------------- words, never mid-word
def _real_headings(corpus_dir, seed_path) -> list[str]:
    """Every heading and section label of the seed, the 20th Party Congress report and the 2022 Government Work Report."""
    from analysis_utils import build_outline, load_speech

    out: list[str] = []
    for path in (seed_path, corpus_dir / "cpc20_report.txt", corpus_dir / "gwr_2022_crlf.txt"):
        outline = build_outline(load_speech(path))
        out += [n.title for n in outline.walk() if n.title]
    return list(dict.fromkeys(" ".join(h.split()) for h in out))


_JIEBA = new_jieba()


def _inside_a_word(label: str, lines: list[str]) -> list[str]:
    """The lines of ``label`` that start or end inside one of its jieba words."""
    bounds, at = {0}, 0
    for w in _JIEBA.lcut(label):
        at += len(w)
        bounds.add(at)
    bad, pos = [], 0
    for line in lines:
        body = line.removesuffix("…").strip()
        if not body:
            continue
        start = label.find(body, pos)
        assert start >= 0, (label, line)
        if start not in bounds or start + len(body) not in bounds:
            bad.append(line)
        pos = start + len(body)
    return bad


def test_labels_break_only_between_words_on_real_headings(corpus_dir, seed_path):
    """基/本, 政/治, 统/一战线 never happen: every wrapped or shortened heading of three real texts
    starts and ends each line at a jieba word boundary (the character-by-character wrapper did not)."""
    from analysis_utils.plots.slogans import _section_tick
    from analysis_utils.plots.terms import section_short_label

    headings = _real_headings(corpus_dir, seed_path)
    assert len(headings) > 100
    bad = []
    for h in headings:
        for width in (4, 6, 8, 12, 16, 23):
            for max_lines in (1, 2, 3):
                bad += _inside_a_word(h, wrap_cjk(h, width, max_lines=max_lines))
            bad += _inside_a_word(h, [shorten(h, width)])
            bad += _inside_a_word(h, wrap_label(h, width, 2).split("\n"))
            bad += _inside_a_word(h, section_short_label(h, width).split("\n"))
            bad += _inside_a_word(h, _section_tick(h, width).split("\n"))
    assert bad == []


# ------------------------------------- every figure a clean slide at 2, 5, 15 and 90 units
from analysis_utils.plots.style import MAX_ROWS, SMALL, layout_problems  # noqa: E402

from .helpers import write_folder, write_speech_of_parts  # noqa: E402

#: Every textplot_* drawn with matplotlib (the word clouds are images drawn with Pillow, tested in test_clouds).
SPEECH_FIGURES = ["top_terms", "pos_breakdown", "section_heatmap", "keyness", "dispersion", "top_slogans",
                  "slogans_by_section", "slogan_positions", "parallel_structures", "outline_tree", "outline_pages",
                  "section_sizes", "placeholder_map"]
COMPARISON_FIGURES = ["unit_sizes", "term_trends", "slogan_heatmap", "similarity", "keyness_against_rest"]
#: What changed (notebook 06) and watchwords (notebook 07): drawn from two reports or a dated corpus.
CORPUS_FIGURES = ["formulation_changes", "term_changes", "section_slope", "watchwords", "watchword_heatmap",
                  "risers_fallers"]


def test_the_layout_test_draws_every_matplotlib_figure():
    from analysis_utils import plots

    drawn = {f"textplot_{name}" for name in SPEECH_FIGURES + COMPARISON_FIGURES + CORPUS_FIGURES}
    clouds = {"textplot_wordcloud", "textplot_comparison_cloud"}
    assert drawn | clouds == {name for name in plots.__all__ if name.startswith("textplot_")}


@pytest.fixture(scope="module")
def parts_of(corpus_dir, seed_path, tmp_path_factory):
    """Real text of 2, 5, 15 and 90 parts: the seed, a speech of five Xi speeches' openings, the
    20th Party Congress report, a speech of 90 parts (the openings of 83 Xi speeches and 7 Party
    Congress reports), each as a file on disk; and comparisons of as many units (the seed's two
    parts, folders of 5, 15 and 90 speeches)."""
    from analysis_utils import load_speech
    from analysis_utils.stats.compare import comparison

    tmp = tmp_path_factory.mktemp("units")
    speeches = {2: seed_path, 5: write_speech_of_parts(corpus_dir, tmp / "five.txt", 5),
                15: corpus_dir / "cpc20_report.txt", 90: write_speech_of_parts(corpus_dir, tmp / "ninety.txt", 90)}
    folders = {n: write_folder(corpus_dir, tmp / f"folder{n}", n) for n in (5, 15, 90)}
    return {"speech": {n: load_speech(p) for n, p in speeches.items()},
            "comparison": {2: comparison(seed_path), **{n: comparison(f) for n, f in folders.items()}}}


def _speech_figure(name: str, n: int, speech, tokenizer):
    """Figure ``name`` of ``speech`` with ``n`` rows where the figure takes a number of rows."""
    from analysis_utils import (
        build_outline,
        combine_hits,
        dispersion,
        keyness,
        lexicon_hits,
        number_slogans,
        parallel_structures,
        pos_breakdown,
        section_frequency,
        sections,
        slogan_counts,
        slogans_by_section,
        term_frequency,
    )
    from analysis_utils import plots as p

    tokens = tokenizer.tokens(speech)
    parts = sections(speech)
    freq = term_frequency(tokens, speech=speech)
    hits = lambda: combine_hits(number_slogans(speech, sections=parts), lexicon_hits(speech, sections=parts))  # noqa: E731
    terms = freq["term"].head(n).tolist()
    make = {
        "top_terms": lambda: p.textplot_top_terms(freq, top_n=n),
        "pos_breakdown": lambda: p.textplot_pos_breakdown(pos_breakdown(tokens)),
        "section_heatmap": lambda: p.textplot_section_heatmap(section_frequency(speech, tokens, top_n=min(n, 30),
                                                                                sections=parts)),
        "keyness": lambda: p.textplot_keyness(keyness(tokens, speech=speech, tokenizer=tokenizer), top_n=n),
        "dispersion": lambda: p.textplot_dispersion(dispersion(speech, terms, tokens=tokens, sections=parts), terms=terms,
                                                    sections=parts, body_length=len(speech.body)),
        "top_slogans": lambda: p.textplot_top_slogans(slogan_counts(lexicon_hits(speech, sections=parts), kinds="lexicon"),
                                                      kind="lexicon", top_n=n),
        "slogans_by_section": lambda: p.textplot_slogans_by_section(slogans_by_section(speech, hits(), top_n=n,
                                                                                       sections=parts)),
        "slogan_positions": lambda: p.textplot_slogan_positions(hits(), sections=parts, body_length=len(speech.body),
                                                                top_n=n),
        "parallel_structures": lambda: p.textplot_parallel_structures(parallel_structures(speech, sections=parts),
                                                                      sections=parts, body_length=len(speech.body),
                                                                      top_n=n),
        "outline_tree": lambda: p.textplot_outline_tree(build_outline(speech)),
        "outline_pages": lambda: p.textplot_outline_pages(build_outline(speech)),
        "section_sizes": lambda: p.textplot_section_sizes(build_outline(speech)),
        "placeholder_map": lambda: p.textplot_placeholder_map(build_outline(speech)),
    }
    return make[name]()


def _comparison_figure(name: str, cmp, tokenizer):
    from analysis_utils import plots as p
    from analysis_utils.stats.compare import (
        keyness_against_rest,
        similarity,
        slogan_rates,
        term_rates,
        top_terms,
        unit_table,
        unit_term_counts,
    )

    counts = lambda: unit_term_counts(cmp, tokenizer)  # noqa: E731
    make = {
        "unit_sizes": lambda: p.textplot_unit_sizes(unit_table(cmp)),
        "term_trends": lambda: p.textplot_term_trends(term_rates(cmp, top_terms(counts(), 6)), parts=cmp.mode == "parts"),
        "slogan_heatmap": lambda: p.textplot_slogan_heatmap(slogan_rates(cmp, top_n=25)),
        "similarity": lambda: p.textplot_similarity(similarity(counts(), cmp)),
        "keyness_against_rest": lambda: p.textplot_keyness_against_rest(
            keyness_against_rest(cmp, len(cmp.units) - 1, tokenizer), parts=cmp.mode == "parts"),
    }
    return make[name]()


@pytest.mark.slow
@pytest.mark.parametrize("n", [2, 5, 15, 90])
@pytest.mark.parametrize("name", SPEECH_FIGURES + COMPARISON_FIGURES)
def test_no_figure_has_overlapping_labels_text_outside_or_text_under_small(name, n, parts_of, tokenizer):
    """Every figure at 2, 5, 15 and 90 parts, speeches or rows of real text: no two tick labels
    overlap, none runs into a title, note or legend, no text leaves the figure, none is smaller
    than SMALL (14 pt once the deck places the figure on a slide), measured with the renderer."""
    if name in COMPARISON_FIGURES:
        cmp = parts_of["comparison"][n]
        assert len(cmp.units) == n
        figs = _comparison_figure(name, cmp, tokenizer)
    else:
        figs = _speech_figure(name, n, parts_of["speech"][n], tokenizer)
    found = {}
    for k, fig in enumerate(figs if isinstance(figs, list) else [figs]):
        found[k] = layout_problems(fig)
        if n > MAX_ROWS and fig.axes and name not in ("section_heatmap", "section_sizes", "outline_tree", "outline_pages"):
            rows = [t for t in fig.axes[0].get_yticklabels() if t.get_text()]
            assert len(rows) <= MAX_ROWS + 3, len(rows)  # at most MAX_ROWS rows (and three tied with the last)
    plt.close("all")
    assert not any(found.values()), found


def test_the_layout_check_finds_what_a_crowded_figure_does_wrong():
    """A deliberately crowded figure (90 bars labelled at SMALL on a 7.5 in slide, nothing done
    to fit them, a long note, an 8 pt legend over the labels) fails on every count."""
    use_chinese_font()
    fig, ax = plt.subplots(figsize=(13.33, 7.5))
    terms = [f"全面从严治党{k}" for k in range(90)]
    ax.barh(range(90), range(90))
    ax.set_yticks(range(90), terms, fontsize=SMALL)
    ax.tick_params(axis="x", labelsize=SMALL)
    set_title(ax, "高频词", "top terms")
    fig.text(0.5, 0.01, "很长的注释 " * 40, fontsize=SMALL)
    ax.legend(["词"], fontsize=8, loc="upper left", bbox_to_anchor=(-0.2, 1))
    problems = layout_problems(fig)
    assert any(p.startswith("tick '全面从严治党0'") and "overlaps tick" in p for p in problems)
    assert any("outside the figure" in p for p in problems)
    assert any("8 pt < 16" in p for p in problems)
    assert any("overlaps a legend" in p for p in problems)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(13.33, 7.5))  # the same labels, five of them: clean
    ax.barh(range(5), range(5))
    ax.set_yticks(range(5), terms[:5], fontsize=SMALL)
    ax.tick_params(axis="x", labelsize=SMALL)
    set_title(ax, "高频词", "top terms")
    fig.tight_layout()
    assert layout_problems(fig) == []
    plt.close(fig)


@pytest.fixture(scope="module")
def reports(corpus_dir):
    """The 2021 → 2022 Government Work Reports compared, the 15th → 20th Party Congress reports
    (15 parts in the new one), and every Government Work Report tracked (formulations of the lexicon)."""
    from analysis_utils import diff, load_speech
    from analysis_utils.watchwords import lexicon_track

    table = corpus_dir / "wikisource" / "government_work_reports.jsonl"
    congress = corpus_dir / "wikisource" / "cpc_congress_reports.jsonl"
    return {"gwr": diff(f"{table}#government_work_reports-00002", f"{table}#government_work_reports-00001"),
            "congress": diff(load_speech(f"{congress}#cpc_congress_reports-00011"), corpus_dir / "cpc20_report.txt",
                             terms=False),
            "lexicon": lexicon_track(table, progress=False), "table": table}


def _corpus_figure(name: str, n: int, reports):
    from analysis_utils import plots as p
    from analysis_utils.watchwords import risers_fallers, track

    lex = reports["lexicon"]
    common = lex.summary.sort_values("total", ascending=False)["term"].head(n).tolist()
    make = {
        "formulation_changes": lambda: p.textplot_formulation_changes(reports["gwr"], top_n=n),
        "term_changes": lambda: p.textplot_term_changes(reports["gwr"], top_n=n),
        "section_slope": lambda: p.textplot_section_slope(reports["gwr" if n < 15 else "congress"]),
        "watchwords": lambda: p.textplot_watchwords(track(reports["table"], common[:min(n, 15)], progress=False)),
        "watchword_heatmap": lambda: p.textplot_watchword_heatmap(track(reports["table"], common, progress=False)),
        "risers_fallers": lambda: p.textplot_risers_fallers(risers_fallers(lex, 2012), top_n=n),
    }
    return make[name]()


@pytest.mark.slow
@pytest.mark.parametrize("n", [2, 5, 15, 90])
@pytest.mark.parametrize("name", CORPUS_FIGURES)
def test_no_corpus_figure_has_overlapping_labels_text_outside_or_text_under_small(name, n, reports):
    """The figures of notebooks 06 and 07 at 2, 5, 15 and 90 rows or terms (the watchword panels
    at most 15: one panel per term), on real reports: the same layout check as every other figure."""
    fig = _corpus_figure(name, n, reports)
    assert layout_problems(fig) == []
    plt.close(fig)


# ------------------------------------------------------------------- layout without pixels (issue 20)
def _pixels_drawn(monkeypatch) -> list[str]:
    """Every call that puts text or a shape on an Agg canvas, noted (the canvas still drawn)."""
    from matplotlib.backends.backend_agg import RendererAgg

    calls: list[str] = []
    for name in ("draw_path", "draw_text"):
        real = getattr(RendererAgg, name)

        def noted(self, *args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(RendererAgg, name, noted)
    return calls


def _seed_figures(tokenizer, seed_speech):
    """Figures of notebooks 02, 03 and 05 on the seed, each made by a function that ends in
    ``fit_ticks`` or ``finish``."""
    from analysis_utils import (
        formulation_terms,
        number_slogans,
        section_frequency,
        sections,
        slogan_counts,
        slogans_by_section,
        term_frequency,
        textplot_section_heatmap,
        textplot_slogans_by_section,
        textplot_term_trends,
        textplot_top_slogans,
        textplot_top_terms,
    )
    from analysis_utils.notebook import open_comparison
    from analysis_utils.stats.compare import term_rates

    tokens = tokenizer.tokens(seed_speech)
    freq = term_frequency(tokens, speech=seed_speech)
    parts = sections(seed_speech)
    hits = number_slogans(seed_speech, sections=parts)
    cmp = open_comparison()
    return {
        "02_top_terms": lambda: textplot_top_terms(freq, top_n=20, formulations=formulation_terms(tokens)),
        "02_section_heatmap": lambda: textplot_section_heatmap(section_frequency(seed_speech, tokens, top_n=15,
                                                                                 sections=parts)),
        "03_number_slogans": lambda: textplot_top_slogans(slogan_counts(hits, kinds="number"), kind="number"),
        "03_slogans_by_section": lambda: textplot_slogans_by_section(slogans_by_section(seed_speech, hits,
                                                                                        sections=parts)),
        "05_term_trends": lambda: textplot_term_trends(term_rates(cmp, ["组织", "干部", "党建"]), parts=True),
    }


def test_figures_are_laid_out_without_drawing_a_pixel(monkeypatch, tokenizer, seed_speech):
    """Before (issue 20): ``finish`` and ``fit_ticks`` drew the whole figure on the screen's canvas
    (``canvas.draw()``) to measure its labels, once or twice per figure, and those pixels were thrown
    away: the files are drawn again by ``savefig``. After: laid out and measured, nothing drawn."""
    makers = _seed_figures(tokenizer, seed_speech)
    calls = _pixels_drawn(monkeypatch)
    for name, make in makers.items():
        fig = make()
        plt.close(fig)
        assert calls == [], name


@pytest.mark.slow
def test_figures_laid_out_without_pixels_are_saved_byte_for_byte_as_before(monkeypatch, tokenizer, seed_speech,
                                                                          tmp_path):
    """The fast path gives exactly what the plain path gave: each figure made with the layout drawn on
    the canvas (``canvas.draw()``, as before issue 20) and without, saved as PNG and SVG: the same bytes,
    and the same tick labels (sizes, which are shown)."""
    from matplotlib.figure import Figure

    from analysis_utils import save_fig

    def made(make, name, out):
        fig = make()
        ticks = [(t.get_text(), t.get_fontsize(), t.get_visible()) for ax in fig.axes
                 for t in ax.get_xticklabels() + ax.get_yticklabels()]
        paths = save_fig(fig, "seed", name, out_dir=out)
        plt.close(fig)
        return ticks, [p.read_bytes() for p in paths]

    makers = _seed_figures(tokenizer, seed_speech)
    fast = {name: made(make, name, tmp_path / "fast") for name, make in makers.items()}
    monkeypatch.setattr(Figure, "draw_without_rendering", lambda self: self.canvas.draw())
    for name, make in makers.items():
        ticks, files = made(make, name, tmp_path / "plain")
        assert fast[name][0] == ticks, name
        assert fast[name][1] == files, name
