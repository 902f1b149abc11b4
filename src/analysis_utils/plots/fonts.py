"""Deprecated module, kept for one release: the font set-up now lives in :mod:`analysis_utils.plots.style`."""
from .style import find_cjk_font, font_face, use_chinese_font  # noqa: F401  (deprecated import path)
