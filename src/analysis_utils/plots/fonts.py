"""Deprecated module, kept for one release: the font set-up now lives in :mod:`analysis_utils.plots.style`."""
from .style import PREFERRED_FAMILIES, find_cjk_font, use_chinese_font  # noqa: F401  (deprecated import path)
