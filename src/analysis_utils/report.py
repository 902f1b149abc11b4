"""The index of a run: ``index.md`` beside a speech's figures, listing every figure with its caption,
the tables and the executed notebooks; what comes from the speech (title, file name, captions) is
escaped so it is shown, never read as Markdown or HTML.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from .errors import printable
from .outputs import atomic_write, figure_dir, read_captions
from .speech import Speech

#: The label of the line naming the speech's file in ``index.md`` (the deck reads it back).
FILE_FACT = "文件 File"


_MD_ESCAPES = str.maketrans({"\\": "\\\\", "`": "\\`", "*": "\\*", "[": "\\[", "]": "\\]",
                             "&": "&amp;", "<": "&lt;", ">": "&gt;"})


def markdown_text(text: object) -> str:
    """``text`` as literal Markdown on one line: no HTML, link, emphasis or heading can come from it.

    Example:
        >>> markdown_text("<script>alert(1)</script> [点此](javascript:x) *要* _x_ party_building")
        '&lt;script&gt;alert(1)&lt;/script&gt; \\\\[点此\\\\](javascript:x) \\\\*要\\\\* \\\\_x\\\\_ party_building'
        >>> markdown_text("# 标题\\n- 列表")
        '\\\\# 标题 - 列表'
    """
    one_line = re.sub(r"[\x00-\x1f\x7f]+", " ", str(text))
    escaped = re.sub(r"(?<![^\W_])_|_(?![^\W_])", r"\\_", one_line.translate(_MD_ESCAPES))
    return re.sub(r"^([#+\-=|]|\d+[.)](?=\s|$))", r"\\\1", escaped)


def write_index(speech: Speech, out_root: Path, out_id: str | None = None) -> Path:
    """``figures/<speech-id>/index.md``: every figure with its caption, every table, the notebooks.

    Every text taken from the speech or a caption is escaped (:func:`markdown_text`).

    Args:
        out_id: the speech's output folder (default: its id).

    Returns:
        The path of ``index.md``.

    Example:
        >>> import tempfile
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> index = write_index(load_speech(SEED_SPEECH), Path(tempfile.mkdtemp()))
        >>> print(index.read_text(encoding="utf-8"))
        # 在党建工作会议上的讲话
        <BLANKLINE>
        - 文件 File: party_building_conference_speech.txt
        - 汉字数 Chinese characters: ...
        <BLANKLINE>
        ## 图 Figures
        <BLANKLINE>
    """
    d = figure_dir(out_id or speech.id, out_root)
    m = speech.meta
    md = markdown_text
    lines = [f"# {md(m.title or speech.id)}", ""]
    facts = [(FILE_FACT, printable(speech.path.name)), ("日期 Date", m.date), ("讲话人 Speaker", m.speaker),
             ("汉字数 Chinese characters", speech.han_chars)]
    lines += [f"- {k}: {md(v)}" for k, v in facts if v] + [""]
    return _write(d, lines)


def write_corpus_index(source: Path, out_root: Path, out_id: str, members: Sequence[tuple[str, str]],
                       notes: Sequence[str] = ()) -> Path:
    """``figures/<folder or table>/index.md``: the folder or table, its notes (near-duplicates),
    each speech with a link to its own folder, then the comparison's figures and tables.

    Args:
        source: the folder or CSV/JSONL table.
        out_id: its output folder (the comparison of notebook 05).
        members: ``(output id, title)`` of each speech analysed, in order.
        notes: lines to show first (escaped), e.g. the near-duplicates found.

    Example:
        >>> import tempfile
        >>> index = write_corpus_index(Path("讲话.jsonl"), Path(tempfile.mkdtemp()), "讲话", [("r1", "在会上的讲话")],
        ...                            ["r2 is a near-duplicate of r1 (98.0 % identical): analysed once"])
        >>> print(index.read_text(encoding="utf-8"))
        # 讲话.jsonl
        <BLANKLINE>
        - 文件 File: 讲话.jsonl
        - 讲话 Speeches: 1
        <BLANKLINE>
        ## 说明 Notes
        <BLANKLINE>
        - r2 is a near-duplicate of r1 (98.0 % identical): analysed once
        <BLANKLINE>
        ## 讲话 Speeches
        <BLANKLINE>
        - [在会上的讲话](../r1/index.md) (r1)
        <BLANKLINE>
        ## 图 Figures
        <BLANKLINE>
    """
    d = figure_dir(out_id, out_root)
    md = markdown_text
    lines = [f"# {md(printable(source.name))}", "", f"- {FILE_FACT}: {printable(source.name)}",
             f"- 讲话 Speeches: {len(members)}", ""]
    if notes:
        lines += ["## 说明 Notes", ""] + [f"- {md(n)}" for n in notes] + [""]
    lines += ["## 讲话 Speeches", ""] + [f"- [{md(title)}](../{quote(o)}/index.md) ({md(o)})" for o, title in members]
    return _write(d, lines + [""])


def _write(d: Path, lines: list[str]) -> Path:
    """Add the figures, tables and executed notebooks of ``d`` to ``lines``; write ``d/index.md``."""
    md = markdown_text
    captions = read_captions(d)
    lines = lines + ["## 图 Figures", ""]
    for png in sorted(d.glob("*.png")):
        caption = md(captions.get(png.stem, png.stem))
        lines += [f"### {md(png.stem)}", "", f"![{caption}]({quote(png.name)})", "", caption, "",
                  f"[PNG]({quote(png.name)}) · [SVG]({quote(png.stem)}.svg)", ""]
    tables = sorted(d.glob("*.csv"))
    if tables:
        lines += ["## 表 Tables (CSV, UTF-8 with BOM)", ""] + [f"- [{md(t.name)}]({quote(t.name)})" for t in tables] + [""]
    executed = sorted((d / "notebooks").glob("*.ipynb"))
    if executed:
        lines += ["## 笔记本 Executed notebooks", ""] + [f"- [{md(n.name)}](notebooks/{quote(n.name)})" for n in executed] + [""]
    text = "\n".join(lines)
    return atomic_write(d / "index.md", lambda tmp: tmp.write_text(text, encoding="utf-8"))


def indexed_file(folder: Path) -> str | None:
    """The file name ``folder/index.md`` says its figures come from (escaped as written); ``None`` without one.

    Example:
        >>> import tempfile
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> indexed_file(write_index(load_speech(SEED_SPEECH), Path(tempfile.mkdtemp())).parent)
        'party_building_conference_speech.txt'
    """
    try:
        lines = (folder / "index.md").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    prefix = f"- {FILE_FACT}: "
    return next((line[len(prefix):] for line in lines if line.startswith(prefix)), None)
