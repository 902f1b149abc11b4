"""End to end: the seed's deck, made by the `deck` command from the figures a real `run` wrote,
opens in LibreOffice and converts to a PDF with one page per slide, each page with text on it.

Skipped when LibreOffice (``soffice``) is not installed. The PDF is read with the standard library
(no PDF package is a dependency): its page objects, and the text operators in each page's content.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from pptx import Presentation

ROOT = Path(__file__).resolve().parents[2]
SEED_FIGURES = ROOT / "figures" / "party_building_conference_speech"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")]


def pdf_pages(data: bytes) -> list[int]:
    """The number of text-showing operators (Tj, TJ) on each page of a PDF LibreOffice wrote."""
    objs = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}

    def content(n: int) -> bytes:
        body = objs[n]
        m = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
        raw = m.group(1) if m else b""
        return zlib.decompress(raw) if b"FlateDecode" in body[:body.find(b"stream")] else raw

    pages = []
    for body in objs.values():
        head = body.split(b"stream")[0]
        if re.search(rb"/Type\s*/Page(?![s\w])", head):
            refs = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", head)
            streams = [int(x) for x in re.findall(rb"(\d+) 0 R", refs.group(1))] if refs else []
            pages.append(sum(len(re.findall(rb"\bT[Jj]\b", content(n))) for n in streams))
    return pages


def test_the_seeds_deck_converts_to_a_pdf_with_text_on_every_page(tmp_path, seed_path):
    figs = tmp_path / "figures"
    shutil.copytree(SEED_FIGURES, figs / "party_building_conference_speech")
    deck = tmp_path / "seed.pptx"
    r = subprocess.run([sys.executable, "-m", "analysis_utils", "deck", str(seed_path), "--figures", str(figs),
                        "--out", str(deck)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    slides = len(Presentation(deck).slides)
    titles = [next(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in Presentation(deck).slides]
    divider = titles.index("附录 · Appendix")  # 15 slides in the main part, a divider, the rest
    assert divider <= 15 and slides == 2 + len(list(SEED_FIGURES.glob("*.png")))
    profile = (tmp_path / "lo_profile").as_uri()  # a private profile: another soffice running does not interfere
    r = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(deck)], capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "seed.pdf"
    assert pdf.is_file(), r.stdout + r.stderr
    pages = pdf_pages(pdf.read_bytes())
    assert len(pages) == slides
    assert all(n > 0 for n in pages), pages  # every slide has its title (and the first its numbers) as text
