"""Deprecated module, kept for one release: the label helpers now live in :mod:`analysis_utils.plots.style`."""
from .style import display_width, shorten, text_units, wrap_cjk  # noqa: F401  (deprecated import path)
