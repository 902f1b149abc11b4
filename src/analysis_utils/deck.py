"""A 16:9 PowerPoint deck from a speech's exported figures (python-pptx).

``python -m analysis_utils deck FILE|FIGURE_DIR [--out FILE.pptx]``: a title slide, then
one figure per slide in notebook order, each with a title and its caption (from
``captions.json``, written by ``save_fig(..., caption=...)``).
"""
from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from .errors import SpeechError
from .outputs import atomic_write, output_dir, read_captions
from .reading import DOCX_SUFFIXES, TEXT_SUFFIXES, load_speech
from .reading.load import table_row
from .runner import indexed_file, markdown_text

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
_FIRST_SENTENCE = re.compile(r"^(.+?)(?:[。：:]|\.\s|$)")


def slide_title(name: str, caption: str | None) -> str:
    """The slide title: the caption's first sentence (70 characters at most), else the figure name.

    Example:
        >>> slide_title("02_top_terms", "高频词 Top terms。条形越长越多。")
        '高频词 Top terms'
        >>> slide_title("02_top_terms", None)
        '02_top_terms'
    """
    if caption:
        m = _FIRST_SENTENCE.match(caption.strip())
        if m and m.group(1).strip():
            title = m.group(1).strip()
            return title if len(title) <= 70 else title[:69] + "…"
    return name


def _resolve(target: str | Path, out_dir: str | Path | None) -> tuple[Path, str, str]:
    """The figure folder, title and subtitle of the deck for a speech file or a folder of figures."""
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
        return fig_dir, title, sub
    if target.is_dir():
        return target, target.name, ""
    raise SpeechError(target, "no such file or folder")


#: East Asian typeface asked for in the deck; PowerPoint and LibreOffice substitute an
#: installed Chinese font when it is missing.
EA_FONT = "Microsoft YaHei"


def _text(slide, text: str, *, top: float, height: float, size: int, bold: bool = False, centre: bool = False):
    """A text box across the slide, with a Chinese (East Asian) typeface set on its run."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(0.4), Inches(top), Inches(SLIDE_W_IN - 0.8), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    para = frame.paragraphs[0]
    para.alignment = PP_ALIGN.CENTER if centre else PP_ALIGN.LEFT
    run = para.add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(size), bold
    rpr = run._r.get_or_add_rPr()
    ea = rpr.makeelement("{http://schemas.openxmlformats.org/drawingml/2006/main}ea", {"typeface": EA_FONT})
    rpr.append(ea)
    return box


def build_deck(target: str | Path, *, out: str | Path | None = None, out_dir: str | Path | None = None) -> Path:
    """Write the deck for a speech file (its ``figures/<id>/``) or a folder of figures.

    Args:
        target: a speech file (its figures are in ``<out_dir>/<speech-id>/``) or a folder of PNGs.
        out: where to write the deck (default: ``<figure folder>/deck.pptx``).
        out_dir: the folder ``run --out`` wrote to (default ``figures/``).

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

    fig_dir, title, subtitle = _resolve(target, out_dir)
    pngs = sorted(fig_dir.glob("*.png")) if fig_dir.is_dir() else []
    if not pngs:
        raise SpeechError(fig_dir, "no figures here yet: run `python -m analysis_utils run` on the speech first")
    out_path = Path(out) if out else fig_dir / "deck.pptx"
    if out_path.is_dir():
        raise SpeechError(out_path, "is a folder: give the deck's file name, e.g. deck.pptx")
    captions = read_captions(fig_dir)

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    blank = prs.slide_layouts[6]
    first = prs.slides.add_slide(blank)
    _text(first, title, top=2.4, height=1.4, size=36, bold=True, centre=True)
    _text(first, subtitle or "", top=3.9, height=0.6, size=20, centre=True)
    _text(first, "讲话稿数据分析 · Reading the speech with data", top=4.6, height=0.6, size=16, centre=True)

    margin, title_h, caption_h = 0.4, 1.0, 0.7
    for png in pngs:
        caption = captions.get(png.stem)
        slide = prs.slides.add_slide(blank)
        heading = slide_title(png.stem, caption)
        # a long title gets a smaller size so it stays on two lines above the picture
        _text(slide, heading, top=0.2, height=title_h, size=26 if len(heading) <= 34 else 20, bold=True)
        # the picture, as large as fits between title and caption, aspect kept, centred
        avail_w, avail_h = SLIDE_W_IN - 2 * margin, SLIDE_H_IN - title_h - caption_h - 0.4
        with Image.open(png) as im:
            w, h = im.size
        scale = min(avail_w / w, avail_h / h)
        pw, ph = w * scale, h * scale
        slide.shapes.add_picture(str(png), Inches((SLIDE_W_IN - pw) / 2), Inches(0.2 + title_h + (avail_h - ph) / 2),
                                 Inches(pw), Inches(ph))
        _text(slide, caption or png.stem, top=SLIDE_H_IN - caption_h - 0.1, height=caption_h, size=13)
    return atomic_write(out_path, lambda tmp: prs.save(str(tmp)))
