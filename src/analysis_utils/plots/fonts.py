"""One helper that finds a Chinese font and sets matplotlib (and wordcloud) up with it.

Order: the font named by ``ANALYSIS_UTILS_FONT`` (a file path), installed system fonts
(Noto Sans CJK, Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei, PingFang …), then
the Noto Sans CJK SC that the ``mplfonts`` package ships (pinned in requirements.txt), so
a fresh machine renders Chinese with no download and no empty boxes.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager

PREFERRED_FAMILIES = [
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei",
    "PingFang SC", "Heiti SC", "Hiragino Sans GB", "Sarasa Gothic SC",
]


@lru_cache(maxsize=1)
def find_cjk_font() -> Path:
    """Path of a font file that has Chinese glyphs. Raises ``RuntimeError`` if none exists."""
    env = os.environ.get("ANALYSIS_UTILS_FONT")
    if env:
        if not Path(env).is_file():
            raise RuntimeError(f"ANALYSIS_UTILS_FONT={env}: no such font file")
        return Path(env)
    by_name = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in PREFERRED_FAMILIES:
        if family in by_name:
            return Path(by_name[family])
    try:
        import mplfonts

        bundled = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
        if bundled.is_file():
            return bundled
    except ImportError:
        pass
    raise RuntimeError(
        "no Chinese font found: install one (e.g. apt-get install fonts-noto-cjk) "
        "or `pip install -r requirements.txt` (mplfonts ships Noto Sans CJK SC)"
    )


@lru_cache(maxsize=1)
def use_chinese_font() -> str:
    """Configure matplotlib to draw Chinese; return the font's family name.

    Also makes figures reproducible: SVG text is drawn as paths (no font needed to view
    it) with a fixed id salt, and the minus sign is a plain hyphen (CJK fonts lack U+2212).
    """
    path = find_cjk_font()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [name, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.fonttype": "path",
            "svg.hashsalt": "analysis_utils",
        }
    )
    return name
