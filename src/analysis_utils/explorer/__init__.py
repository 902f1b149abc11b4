"""The explorer: an app to read one speech without writing code (``notebooks/00_explorer.ipynb``,
served with ``voila notebooks/00_explorer.ipynb``).

:mod:`.session` holds the logic (open, look up, tables), :mod:`.downloads` the download links,
:mod:`.app` the widgets; the notebook only builds and shows :func:`explorer`.
"""
from .app import Explorer, comparison_view, explorer
from .session import (
    Opened,
    TermResult,
    look_up,
    open_speech_file,
    overview_rows,
    query_params,
    save_upload,
    section_text,
    slogan_table,
    top_terms_table,
    tree_rows,
)

__all__ = ["Explorer", "comparison_view", "explorer", "Opened", "TermResult", "look_up", "open_speech_file", "overview_rows", "query_params", "save_upload",
           "section_text", "slogan_table", "top_terms_table", "tree_rows"]
