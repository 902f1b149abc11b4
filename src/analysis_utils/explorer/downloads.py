"""Download links for the explorer: a table as CSV, a figure as PNG/SVG, any file.

ipywidgets has no download widget, so each download is an HTML link holding its bytes
(``<a download=… href="data:…;base64,…">``): it works in JupyterLab and in Voilà alike, with
no server route and no network. The bytes are those the package writes to disk: a CSV is
:func:`~analysis_utils.outputs.csv_safe` UTF-8 with BOM (as :func:`~analysis_utils.save_table`),
a figure is saved with :func:`~analysis_utils.save_fig`'s settings.

Example:
    >>> import pandas as pd
    >>> link = table_link(pd.DataFrame({"term": ["=1+1", "改革"]}), "terms")
    >>> link.startswith('<a class="au-download" download="terms.csv" href="data:text/csv;charset=utf-8;base64,')
    True
    >>> csv_bytes(pd.DataFrame({"term": ["=1+1"]}))
    b"\\xef\\xbb\\xbfterm\\n'=1+1\\n"
"""
from __future__ import annotations

import base64
import html
import io
import mimetypes
from pathlib import Path

import pandas as pd

from ..outputs import PNG_DPI, csv_safe, safe_id

__all__ = ["csv_bytes", "data_link", "figure_bytes", "figure_links", "file_link", "table_link"]

MIME = {"csv": "text/csv;charset=utf-8", "png": "image/png", "svg": "image/svg+xml",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation", "zip": "application/zip"}


def data_link(data: bytes, filename: str, label: str, *, mime: str | None = None) -> str:
    """An HTML link that downloads ``data`` as ``filename`` (the name made safe for any system)."""
    stem, dot, ext = filename.rpartition(".")
    name = f"{safe_id(stem)}.{ext}" if dot else safe_id(filename)
    mime = mime or MIME.get(ext.lower()) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return f'<a class="au-download" download="{html.escape(name)}" href="{href}">⬇ {html.escape(label)}</a>'


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The CSV bytes :func:`~analysis_utils.save_table` writes: Excel-safe, UTF-8 with BOM."""
    return csv_safe(df).to_csv(index=False).encode("utf-8-sig")


def figure_bytes(fig, fmt: str) -> bytes:
    """A matplotlib figure as :func:`~analysis_utils.save_fig` saves it (200 dpi PNG, or SVG)."""
    meta = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=PNG_DPI, bbox_inches="tight", metadata=meta)
    return buf.getvalue()


def table_link(df: pd.DataFrame, name: str) -> str:
    """The link downloading ``df`` as ``name.csv``."""
    return data_link(csv_bytes(df), f"{name}.csv", f"CSV 表格 · table {name}.csv")


def figure_links(fig, name: str, *, png: bytes | None = None) -> str:
    """Two links downloading a figure as ``name.png`` and ``name.svg`` (``png``: its PNG bytes when
    already made for showing, so the figure is drawn once per format)."""
    made = {"png": png or figure_bytes(fig, "png"), "svg": figure_bytes(fig, "svg")}
    return " ".join(data_link(data, f"{name}.{fmt}", f"{fmt.upper()} 图 · figure") for fmt, data in made.items())


def file_link(path: str | Path, label: str) -> str:
    """The link downloading a file written on disk (a deck, a zip of the outputs)."""
    path = Path(path)
    return data_link(path.read_bytes(), path.name, label)
