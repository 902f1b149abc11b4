"""A 16:9 PowerPoint deck from a speech's exported figures (python-pptx) that tells the story.

``python -m analysis_utils deck FILE|FIGURE_DIR [--out FILE.pptx] [--no-appendix]``: a first slide
with the headline numbers (length in 汉字, top-level parts, top formulations, placeholders: computed
from the speech and the CSVs ``run`` wrote), then the figures in a narrative order set by
:data:`FIGURES` (structure → what it talks about → formulations → one word cloud → comparison),
at most :data:`MAIN_SLIDES` slides; the other figures follow a divider slide as an appendix (or are
left out: ``appendix=False``). A slide's title is its caption's first sentence, wrapped at word
boundaries and shrunk to fit, never cut; the text under the picture is only the rest of the caption.
The figure's own title is cropped off the picture (the band ``save_fig`` recorded in ``figures.json``),
so the finding is said once, and the picture is placed so its smallest text is at least
:data:`MIN_CHART_PT` (14 pt) on the slide wherever the slide allows it (:func:`layout`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
from PIL import Image

from .errors import SpeechError
from .outputs import atomic_write, output_dir, read_captions, read_figure_info
from .reading import DOCX_SUFFIXES, TEXT_SUFFIXES, load_speech
from .reading.load import table_row
from .runner import indexed_file, markdown_text
from .speech import Speech
from .text import HAN

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MARGIN_IN = 0.3
#: slides in the main part, the first slide included; the other figures go to the appendix
MAIN_SLIDES = 15

#: the story's sections, in order; a figure's section is the first number of its entry in FIGURES
SECTIONS = ("结构 Structure", "内容 What it talks about", "提法 Formulations", "词云 Word cloud",
            "对比 Comparison")
#: figure name → (section, rank in the section, priority): priority 1 is always in the main part,
#: 2 when there is room, 0 only in the appendix (a second word cloud, a figure that repeats another).
#: A figure not listed goes to the appendix, in its notebook's section (by the name's ``NN_``).
FIGURES: dict[str, tuple[int, int, int]] = {
    "01_outline_tree": (1, 1, 1), "01_section_sizes": (1, 2, 1), "01_placeholders": (1, 3, 2),
    "02_top_terms": (2, 1, 1), "02_section_heatmap": (2, 2, 1), "02_keyness": (2, 3, 1),
    "02_dispersion": (2, 4, 2), "02_pos_breakdown": (2, 5, 0),
    "03_lexicon_formulations": (3, 1, 1), "03_number_slogans": (3, 2, 1), "03_slogans_by_section": (3, 3, 1),
    "03_slogan_positions": (3, 4, 2), "03_quoted_terms": (3, 5, 2), "03_parallel_structures": (3, 6, 0),
    "04_wordcloud": (4, 1, 1), "04_wordcloud_party": (4, 2, 0), "04_wordcloud_category": (4, 3, 0),
    "04_wordcloud_vertical": (4, 4, 0), "04_wordcloud_circle": (4, 5, 0), "04_wordcloud_slogans": (4, 6, 0),
    "04_wordcloud_compare": (5, 9, 0),
    "05_keyness": (5, 1, 1), "05_slogan_heatmap": (5, 2, 2), "05_sizes": (5, 3, 0), "05_term_trends": (5, 4, 0),
    "05_similarity": (5, 5, 0), "05_term_trends_by_year": (5, 6, 0),
}
#: the entries in a deck that compares speeches (only notebook 05's figures): there sizes, trends and
#: similarity are findings; in a speech's deck they repeat the section sizes or compare its own parts.
#: Speeches of several years: the rates pooled by year come first, readable at any number of speeches.
COMPARING: dict[str, tuple[int, int, int]] = {
    "05_sizes": (5, 1, 1), "05_term_trends_by_year": (5, 2, 1), "05_term_trends": (5, 3, 1),
    "05_slogan_heatmap": (5, 4, 1), "05_keyness": (5, 5, 1), "05_similarity": (5, 6, 2),
}

# a sentence ends at 。！？； or at . ! ? ; before a space; the title is the caption's first sentence
_FIRST_SENTENCE = re.compile(r"^(.+?)(?:[。！？；]|[.!?;](?=\s)|[.!?;]?\s*$)", re.S)
_NBSP = "\u00a0"  # joins what must stay on one line (a formulation and its count)
_PIECE = re.compile(rf"[{HAN}]+|[A-Za-z0-9%²'’\-\.,]+|[^\S\u00a0]+|.", re.S)
_CLOSING = set("，。、；：！？）」』”’》〉】,.;:!?)]·…%")
_OPENING = set("（「『“‘《〈【([")
_SEPARATOR = re.compile(r"\s*·\s*")
_FILL = 0.94  # a line is wrapped to this share of its box: room for a wider font than measured


def figure_order(name: str, *, comparing: bool = False) -> tuple[int, int, int]:
    """(section, rank, priority) of a figure: from :data:`FIGURES`, else its notebook's section, last, appendix.

    Example:
        >>> figure_order("02_top_terms"), figure_order("05_sizes"), figure_order("05_sizes", comparing=True)
        ((2, 1, 1), (5, 3, 0), (5, 1, 1))
        >>> figure_order("03_new_chart")
        (3, 99, 0)
    """
    if comparing and name in COMPARING:
        return COMPARING[name]
    return FIGURES.get(name, (_notebook_section(name), 99, 0))


def _notebook_section(name: str) -> int:
    m = re.match(r"0([1-5])_", name)
    return int(m.group(1)) if m else len(SECTIONS)


def split_caption(name: str, caption: str | None) -> tuple[str, str]:
    """The slide title (the caption's first sentence, whole) and the rest of the caption.

    Example:
        >>> split_caption("02_top_terms", "高频词 Top terms。条形越长越多。")
        ('高频词 Top terms', '条形越长越多。')
        >>> split_caption("02_top_terms", "各部分高频词 · Terms by section: colour = rate.")
        ('各部分高频词 · Terms by section: colour = rate', '')
        >>> split_caption("03_x", "词表提法 · Lexicon formulations; 按子串计数 substring count")
        ('词表提法 · Lexicon formulations', '按子串计数 substring count')
        >>> split_caption("02_top_terms", None)
        ('02_top_terms', '')
    """
    text = (caption or "").strip()
    m = _FIRST_SENTENCE.match(text)
    if not m or not m.group(1).strip():
        return name, ""
    return m.group(1).strip(), text[m.end():].strip()


def slide_title(name: str, caption: str | None) -> str:
    """The slide title: the caption's first sentence, never shortened, else the figure name.

    Example:
        >>> slide_title("02_top_terms", "高频词 Top terms。条形越长越多。")
        '高频词 Top terms'
        >>> slide_title("02_top_terms", None)
        '02_top_terms'
    """
    return split_caption(name, caption)[0]


def text_width(text: str) -> float:
    """The width of ``text`` in ems, on the safe side: a Chinese character or full-width mark is 1 em,
    a Latin letter or digit 0.68 (as wide as in DejaVu Sans, which LibreOffice shows for a missing Calibri).

    Example:
        >>> text_width("讲话 Outline")
        7.11
    """
    return round(sum(1.0 if ord(ch) > 0x2E7F else 0.35 if ch.isspace() else 0.68 for ch in text), 2)


@lru_cache(maxsize=1)
def _jieba():
    from .tokenizer import new_jieba

    return new_jieba()


def _pieces(text: str) -> list[str]:
    """Unbreakable pieces: Chinese words (jieba's cut), Latin words, spaces; punctuation kept with
    the word it belongs to (a closing mark with the word before, an opening one with the word after)."""
    raw: list[str] = []
    for m in _PIECE.finditer(text):
        s = m.group(0)
        raw.extend(_jieba().lcut(s, HMM=False) if re.fullmatch(f"[{HAN}]{{2,}}", s) else [s])
    pieces: list[str] = []
    glue_next = False
    for s in raw:
        if pieces and (glue_next or s[0] in _CLOSING or s[0] == _NBSP):
            pieces[-1] += s
        else:
            pieces.append(s)
        glue_next = s[-1] in _OPENING or s[-1] == _NBSP
    return pieces


def wrap(text: str, width_em: float) -> list[str]:
    """``text`` in lines of at most ``width_em`` ems, broken only between words (jieba's cut for
    Chinese) or at a ``·`` between the Chinese and the English, never inside a word; a single word
    wider than the line stays whole on its own line.

    Example:
        >>> wrap("统一战线工作 · United front work", 8)
        ['统一战线工作', 'United front', 'work']
        >>> wrap("基本政治制度", 3)
        ['基本', '政治', '制度']
    """
    if text_width(text) <= width_em:
        return [text]
    lines: list[str] = []
    for part in _SEPARATOR.split(text):
        line = ""
        for piece in _pieces(part):
            if line.strip() and text_width((line + piece).rstrip()) > width_em:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
        if line.strip():
            lines.append(line.rstrip())
    return lines


def fit(text: str, width_in: float, *, sizes: tuple[int, ...], max_lines: int) -> tuple[int, list[str]]:
    """The largest font size (pt) at which ``text`` wraps into ``max_lines`` lines across ``width_in``
    inches, and its lines; at the smallest size it takes as many lines as it needs (never cut).

    Example:
        >>> fit("高频词前20 · Top 20 terms", 12.5, sizes=(28, 20), max_lines=2)
        (28, ['高频词前20 · Top 20 terms'])
    """
    for size in sizes:
        lines = wrap(text, _FILL * width_in * 72 / size)
        if len(lines) <= max_lines:
            return size, lines
    return sizes[-1], wrap(text, _FILL * width_in * 72 / sizes[-1])


@dataclass(frozen=True)
class Headline:
    """The first slide's numbers: (value, label) pairs, the top formulations with their counts and
    the name of that count (``提法计数 formulation count``)."""

    numbers: tuple[tuple[str, str], ...]
    formulations: tuple[tuple[str, int], ...] | None  # None: no formulation table was written
    count: str = ""


def read_table(path: Path) -> pd.DataFrame | None:
    """A CSV ``run`` wrote (UTF-8 with BOM), None when it is not there; a broken one raises :class:`SpeechError`."""
    try:
        return pd.read_csv(path, encoding="utf-8-sig") if path.is_file() else None
    except (OSError, ValueError) as e:
        raise SpeechError(path, f"cannot be read as a table ({type(e).__name__}): run the speech again") from None


def count_label(column: str) -> str:
    """The bilingual name of a count column (the counting contract's labels), else the column's name.

    Example:
        >>> count_label("formulation_count"), count_label("hits")
        ('提法计数 formulation count', 'hits')
    """
    from .plots.style import FORMULATION_COUNT_LABEL, SUBSTRING_COUNT_LABEL, TOKEN_COUNT_LABEL

    return {"formulation_count": FORMULATION_COUNT_LABEL, "substring_count": SUBSTRING_COUNT_LABEL,
            "token_count": TOKEN_COUNT_LABEL}.get(column, column)


#: The count columns a formulation table may rank by, the counting contract's own first.
_COUNT_COLUMNS = ("formulation_count", "substring_count", "token_count")


def _labels_and_counts(df: pd.DataFrame, column: str) -> list[tuple[str, int]]:
    """(label, count) rows of a table: its first text column and the count ``column`` (none without it)."""
    text = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    if not text or column not in df.columns or not pd.api.types.is_integer_dtype(df[column]):
        return []
    # csv_safe wrote a formula-like cell with a leading apostrophe: show what the speech says
    labels = df[text[0]].astype(str).str.replace(r"^'(?=[=+\-@\t\r])", "", regex=True)
    return list(zip(labels, df[column].astype(int)))


def top_formulations(fig_dir: Path, k: int = 3) -> tuple[tuple[tuple[str, int], ...], str] | None:
    """The ``k`` most frequent formulations in the tables ``run`` wrote (lexicon and number slogans of
    notebook 03, else the formulation × unit table of notebook 05), ties in text order, and the
    column they are ranked by (one count only, never two mixed); None when there is no such table."""
    tables = [read_table(fig_dir / n) for n in ("03_lexicon_formulations.csv", "03_number_slogans.csv")]
    found = [t for t in tables if t is not None] or [t for t in [read_table(fig_dir / "05_slogans.csv")] if t is not None]
    if not found:
        return None
    whole = [c for t in found for c in t.columns if pd.api.types.is_integer_dtype(t[c])]
    column = next((c for c in _COUNT_COLUMNS if c in whole), whole[0] if whole else "")
    rows = [row for t in found for row in _labels_and_counts(t, column)]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return tuple((label, n) for label, n in rows[:k] if n > 0), column


def headline(fig_dir: Path, speech: Speech | None) -> Headline:
    """The headline numbers: of the speech (its length in 汉字, top-level parts, unfilled
    placeholders), or for a folder of speeches of the units notebook 05 compared; plus the top
    formulations from the tables ``run`` wrote."""
    numbers: list[tuple[str, str]] = []
    if speech is not None:
        from .outline import build_outline

        numbers = [(f"{speech.han_chars:,}", "汉字 Chinese characters"),
                   (f"{len(build_outline(speech).parts)}", "个一级部分 top-level parts"),
                   (f"{len(speech.placeholders)}", "处未填占位符 unfilled placeholders")]
    else:
        units = read_table(fig_dir / "05_units.csv")
        if units is not None:
            numbers.append((f"{len(units)}", "篇（单元）比较 speeches or parts compared"))
            for col, label in (("han_chars", "汉字 Chinese characters in all"),
                               ("placeholders", "处未填占位符 unfilled placeholders")):
                if col in units.columns:
                    numbers.append((f"{int(units[col].sum()):,}", label))
    top = top_formulations(fig_dir)
    return Headline(tuple(numbers), top[0] if top else None, count_label(top[1]) if top else "")


def _resolve(target: str | Path, out_dir: str | Path | None) -> tuple[Path, str, str, Speech | None]:
    """The figure folder, title, subtitle and speech (None for a folder of figures) of the deck."""
    target = Path(target)
    if target.is_file() or target.suffix.lower() in (TEXT_SUFFIXES | DOCX_SUFFIXES) - {""} or table_row(target):
        speech = load_speech(target)
        fig_dir = output_dir(speech.id, out_dir)
        made_from = indexed_file(fig_dir)
        if made_from is not None and made_from != markdown_text(speech.path.name):
            # `run report.txt report.md` puts report.md's figures in report_md/: never show another file's
            raise SpeechError(fig_dir, f"holds the figures of {made_from}, not of {speech.path.name}: "
                                       "give the folder of this speech's figures instead")
        title = speech.meta.title or speech.id
        sub = " · ".join(x for x in (speech.meta.speaker, speech.meta.date) if x)
        return fig_dir, title, sub, speech
    if target.is_dir():
        return target, target.name, "", None
    raise SpeechError(target, "no such file or folder")


#: East Asian typeface asked for in the deck; PowerPoint, WPS and LibreOffice substitute an
#: installed Chinese font when it is missing.
EA_FONT = "Microsoft YaHei"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _text(slide, lines: list[str], *, top: float, size: int, left: float = MARGIN_IN,
          width: float = SLIDE_W_IN - 2 * MARGIN_IN, bold: bool = False, centre: bool = False,
          color: str | None = None) -> float:
    """A text box of ``lines`` (already wrapped: the box neither wraps nor shrinks them); returns its bottom (in)."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Inches, Pt

    height = _box_h(lines, size)
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap, frame.auto_size = False, MSO_AUTO_SIZE.NONE  # wrapped here, at word boundaries
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    para = frame.paragraphs[0]
    para.alignment = PP_ALIGN.CENTER if centre else PP_ALIGN.LEFT
    for i, line in enumerate(lines):
        if i:
            para.add_line_break()
        run = para.add_run()
        run.text = line
        run.font.size, run.font.bold = Pt(size), bold
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
        rpr = run._r.get_or_add_rPr()
        rpr.set("lang", "zh-CN")
        # the schema's order (PowerPoint repairs a file that breaks it): ea after latin, before cs
        rpr.insert_element_before(rpr.makeelement(f"{_A}ea", {"typeface": EA_FONT}),
                                  "a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")
    return top + height


def _box_h(lines: list[str], size: int) -> float:
    """The height (in) of a text box of ``lines`` at ``size`` pt: 1.25 line spacing and 0.06 in to spare."""
    return len(lines) * size * 1.25 / 72 + 0.06


def _first_slide(prs, title: str, subtitle: str, head: Headline) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    width = SLIDE_W_IN - 2 * MARGIN_IN
    size, lines = fit(title, width, sizes=(40, 36, 32, 28), max_lines=2)
    y = _text(slide, lines, top=0.7, size=size, bold=True, centre=True)
    if subtitle:
        y = _text(slide, wrap(subtitle, _FILL * width * 72 / 20), top=y + 0.1, size=20, centre=True)
    y = max(y + 0.4, 2.6)
    if head.numbers:
        card = width / len(head.numbers)
        bottom = y
        for i, (value, label) in enumerate(head.numbers):
            left = MARGIN_IN + i * card
            _text(slide, [value], top=y, size=48, left=left, width=card, bold=True, centre=True, color="B22222")
            lsize, llines = fit(label, card - 0.2, sizes=(18, 16, 14), max_lines=2)
            bottom = max(bottom, _text(slide, llines, top=y + 0.95, size=lsize, left=left + 0.1, width=card - 0.2,
                                       centre=True, color="404040"))
        y = bottom + 0.3
    if head.formulations is not None:
        items = " · ".join(f"{label}{_NBSP}{n}{_NBSP}次" for label, n in head.formulations) or "（没有 none）"
        zh, _, en = head.count.partition(" ")
        named = f"主要提法（{zh}） Top formulations ({en})" if en else "主要提法 Top formulations"
        size, lines = fit(items, width, sizes=(28, 24, 20), max_lines=1)
        y = _text(slide, lines, top=y, size=size, bold=True, centre=True)
        y = _text(slide, wrap(named, _FILL * width * 72 / 18), top=y, size=18, centre=True, color="404040")
    _text(slide, ["讲话稿数据分析 · Reading the speech with data"], top=max(y + 0.3, SLIDE_H_IN - 0.9), size=14,
          centre=True, color="606060")


#: The smallest chart text a slide should show (pt): a picture is placed at least this large when the slide allows.
MIN_CHART_PT = 14
#: Title sizes (pt) tried from the largest: the largest that leaves the picture its 14 pt wins.
TITLE_SIZES = (28, 26, 24, 22, 20, 18)
_PIC_MAX_W = SLIDE_W_IN - 2 * MARGIN_IN
_TOP_IN, _BOTTOM_IN = 0.12, 0.1  # above the title, under the caption


def _number(x: object) -> float:
    """``x`` as a positive-or-zero number; 0 for anything else (None, text, a negative number).

    Example:
        >>> _number(1.5), _number("x"), _number(None), _number(-2)
        (1.5, 0.0, 0.0, 0.0)
    """
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) and x >= 0 else 0.0


@dataclass(frozen=True)
class Picture:
    """A saved figure as a slide shows it: its pixels, the share cropped off each side (the figure's
    own title, which the slide title replaces) and what ``save_fig`` recorded of its text."""

    path: Path
    size_px: tuple[int, int]
    crop: tuple[float, float, float, float]  # left, top, right, bottom: shares of the picture
    width_in: float | None  # the saved figure's width in inches, None for a word cloud or an unknown picture
    min_text_pt: float | None

    @classmethod
    def of(cls, png: Path, info: dict | None) -> Picture:
        """The picture of ``png``, cropped by the title band :func:`~analysis_utils.outputs.figure_info` recorded."""
        with Image.open(png) as im:
            size = im.size
        # figures.json is the tool's, but a hand-edited or older one must not stop the deck
        info = info if isinstance(info, dict) else {}
        w, h, pt = (_number(info.get(k)) for k in ("width_in", "height_in", "min_text_pt"))
        title = info.get("title_in")
        band = [_number(b) for b in title] if isinstance(title, list) else []
        crop = (0.0, 0.0, 0.0, 0.0)
        if w > 0 and h > 0 and len(band) == 4 and min(band) >= 0:
            crop = (band[0] / w, band[1] / h, band[2] / w, band[3] / h)
            if crop[0] + crop[2] >= 0.5 or crop[1] + crop[3] >= 0.5:
                crop = (0.0, 0.0, 0.0, 0.0)  # not a title band: show the whole picture
        return cls(png, size, crop, w if w > 0 else None, pt if pt > 0 else None)

    @property
    def aspect(self) -> float:
        """Width / height of the part shown."""
        left, top, right, bottom = self.crop
        return self.size_px[0] * (1 - left - right) / (self.size_px[1] * (1 - top - bottom))

    def text_pt(self, placed_w: float) -> float | None:
        """The smallest chart text on the slide (pt) when the part shown is ``placed_w`` inches wide."""
        if not self.width_in or not self.min_text_pt:
            return None
        return self.min_text_pt * placed_w / (self.width_in * (1 - self.crop[0] - self.crop[2]))

    def width_for(self, pt: float) -> float:
        """The width (in) at which the smallest text is ``pt`` points (call only when it is known)."""
        return pt / (self.text_pt(1.0) or pt)


#: Caption sizes (pt) tried from the largest, like the title's.
CAPTION_SIZES = (16, 14)


@dataclass(frozen=True)
class Layout:
    """Where a figure slide puts its title, caption and picture (inches; sizes in pt)."""

    size: int
    lines: list[str]
    csize: int
    clines: list[str]
    box: tuple[float, float, float, float]  # the picture's left, top, width, height


def layout(pic: Picture, title: str, rest: str) -> Layout:
    """The largest title (one or two lines), then the largest caption, that still let the picture's
    smallest text reach :data:`MIN_CHART_PT` (as a last resort the caption goes to the slide's notes,
    ``csize`` 0); when none does, those that leave the picture largest.
    A picture of unknown text size (a word cloud) takes what the largest title and caption leave it.

    Example:
        >>> pic = Picture(Path("x.png"), (2650, 1360), (0.0, 0.1, 0.0, 0.0), 13.25, 16.0)
        >>> lay = layout(pic, "高频词前20 · Top 20 terms", "分词计数。")
        >>> lay.size, len(lay.lines), lay.csize, round(pic.text_pt(lay.box[2]), 1) >= 14
        (28, 1, 16, True)
    """
    captions = [fit(rest, _PIC_MAX_W, sizes=(c,), max_lines=2) for c in CAPTION_SIZES] if rest else [(16, [])]
    if rest and pic.text_pt(1.0):
        captions.append((0, []))  # last resort: the caption in the slide's notes, so the chart reaches 14 pt
    options = []
    for size in TITLE_SIZES:
        lines = wrap(title, _FILL * _PIC_MAX_W * 72 / size)
        if len(lines) > 2 and size != TITLE_SIZES[-1]:
            continue
        for csize, clines in captions:
            top = _TOP_IN + _box_h(lines, size)
            avail_h = max(SLIDE_H_IN - _BOTTOM_IN - (_box_h(clines, csize) if clines else 0.0) - top, 1.0)
            w = min(_PIC_MAX_W, avail_h * pic.aspect)
            options.append((size, lines, csize, clines, top, avail_h, w))
    shown = [o for o in options if o[2] or not rest]  # the caption on the slide
    need = pic.width_for(MIN_CHART_PT) - 1e-6 if pic.text_pt(1.0) else 0.0
    if max(o[-1] for o in shown) < need and max(o[-1] for o in options) >= need:
        shown = options  # only with the caption in the notes does the chart reach 14 pt
    want = min(max(o[-1] for o in shown), need)
    size, lines, csize, clines, top, avail_h, w = next(o for o in shown if o[-1] >= want)
    h = w / pic.aspect
    return Layout(size, lines, csize, clines, ((SLIDE_W_IN - w) / 2, top + (avail_h - h) / 2, w, h))


def _figure_slide(prs, png: Path, caption: str | None, info: dict | None = None) -> None:
    from pptx.util import Inches

    slide = prs.slides.add_slide(prs.slide_layouts[6])
    title, rest = split_caption(png.stem, caption)
    pic = Picture.of(png, info)
    lay = layout(pic, title, rest)
    left, top, w, h = lay.box
    _text(slide, lay.lines, top=_TOP_IN, size=lay.size, bold=True)
    if lay.clines:
        _text(slide, lay.clines, top=SLIDE_H_IN - _BOTTOM_IN - _box_h(lay.clines, lay.csize), size=lay.csize, color="404040")
    elif rest:  # no room under the picture: the presenter finds it in the notes
        slide.notes_slide.notes_text_frame.text = rest
    shape = slide.shapes.add_picture(str(png), Inches(left), Inches(top), Inches(w), Inches(h))
    shape.crop_left, shape.crop_top, shape.crop_right, shape.crop_bottom = pic.crop


def _divider(prs, n: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, ["附录 · Appendix"], top=2.8, size=44, bold=True, centre=True)
    _text(slide, [f"另外 {n} 张图 · {n} more figure{'s' if n != 1 else ''}"], top=3.9, size=22, centre=True,
          color="404040")


def story(names: list[str], *, comparing: bool = False, main_slides: int = MAIN_SLIDES) -> tuple[list[str], list[str]]:
    """The figures of the main part and of the appendix, each in the story's order (section, rank).

    The main part takes the priority-1 figures, then priority 2 while there is room, to
    ``main_slides`` slides with the first slide.

    Example:
        >>> story(["05_sizes", "04_wordcloud_party", "02_top_terms", "04_wordcloud", "01_outline_tree"])
        (['01_outline_tree', '02_top_terms', '04_wordcloud'], ['04_wordcloud_party', '05_sizes'])
    """
    order = {n: figure_order(n, comparing=comparing) for n in names}
    wanted = sorted((n for n in names if order[n][2] > 0), key=lambda n: (order[n][2], order[n][:2], n))
    main = set(wanted[:max(main_slides - 1, 0)])
    by_story = sorted(names, key=lambda n: (order[n][:2], n))
    return [n for n in by_story if n in main], [n for n in by_story if n not in main]


def build_deck(target: str | Path, *, out: str | Path | None = None, out_dir: str | Path | None = None,
               appendix: bool = True) -> Path:
    """Write the deck for a speech file (its ``figures/<id>/``) or a folder of figures.

    Args:
        target: a speech file (its figures are in ``<out_dir>/<speech-id>/``) or a folder of PNGs.
        out: where to write the deck (default: ``<figure folder>/deck.pptx``).
        out_dir: the folder ``run --out`` wrote to (default ``figures/``).
        appendix: put the figures beyond the main part after a divider slide (default), or leave them out.

    Returns:
        The path of the ``.pptx``. Raises :class:`SpeechError` when there is no figure yet, or when
        ``out`` is a folder or cannot be written.

    Example:
        >>> import tempfile
        >>> import matplotlib.pyplot as plt
        >>> from analysis_utils.outputs import Outputs
        >>> out_dir = tempfile.mkdtemp()
        >>> fig, ax = plt.subplots()
        >>> paths = Outputs("party_building_conference_speech", out_dir).fig(fig, "01_outline_tree", caption="讲话提纲。")
        >>> plt.close(fig)
        >>> from analysis_utils.config import SEED_SPEECH
        >>> build_deck(SEED_SPEECH, out_dir=out_dir).name
        'deck.pptx'
    """
    from pptx import Presentation
    from pptx.util import Inches

    fig_dir, title, subtitle, speech = _resolve(target, out_dir)
    pngs = {p.stem: p for p in fig_dir.glob("*.png")} if fig_dir.is_dir() else {}
    if not pngs:
        raise SpeechError(fig_dir, "no figures here yet: run `python -m analysis_utils run` on the speech first")
    out_path = Path(out) if out else fig_dir / "deck.pptx"
    if out_path.is_dir():
        raise SpeechError(out_path, "is a folder: give the deck's file name, e.g. deck.pptx")
    captions, info = read_captions(fig_dir), read_figure_info(fig_dir)
    comparing = not any(n[:3] in ("01_", "02_", "03_", "04_") for n in pngs)
    main, rest = story(sorted(pngs), comparing=comparing)

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    _first_slide(prs, title, subtitle, headline(fig_dir, speech))
    for name in main:
        _figure_slide(prs, pngs[name], captions.get(name), info.get(name))
    if appendix and rest:
        _divider(prs, len(rest))
        for name in rest:
            _figure_slide(prs, pngs[name], captions.get(name), info.get(name))
    return atomic_write(out_path, lambda tmp: prs.save(str(tmp)))
