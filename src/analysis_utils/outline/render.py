"""An outline as text: the indented plain-text outline the CLI prints, and Markdown.

Both list every node (down to ``depth``) with its size in Chinese characters and its share
of the speech, then the self-checks. :meth:`Outline.to_text <analysis_utils.outline.Outline.to_text>`
and :meth:`Outline.to_markdown <analysis_utils.outline.Outline.to_markdown>` call these.

Example:
    >>> from analysis_utils import load_speech, build_outline
    >>> from analysis_utils.config import SEED_SPEECH
    >>> o = build_outline(load_speech(SEED_SPEECH))
    >>> print("\\n".join(to_text(o, depth=1).splitlines()[6:8]))
    一、聚焦主业、担当作为，组织工作展现新气象                   942 字  31.1%  ×26
    二、强基固本、激发活力，持续推动组织工作高质量发展         1,986 字  65.5%  ×7
    >>> to_markdown(o, depth=1).splitlines()[0]
    '# 在党建工作会议上的讲话'
"""
from __future__ import annotations

from ..plots.labels import display_width, shorten
from .model import FRAME_KINDS, KIND_LABELS, MODE_LABELS, Outline


def to_text(outline: Outline, *, depth: int | None = None, width: int = 34) -> str:
    """An indented outline with characters per node, then the checks (what the CLI prints).

    Args:
        outline: from :func:`~analysis_utils.outline.build_outline`.
        depth: show nodes down to this level (``None``: all).
        width: headings longer than this many characters are shortened with ``…``.

    Returns:
        The lines joined by ``\\n`` (no final newline).
    """
    s = outline.speech
    lines = [f"{outline.title or s.id}"]
    facts = [f"{s.han_chars:,} 字 Chinese characters", f"{len(s.paragraph_spans)} 段 paragraphs",
             f"{len(s.sentence_spans)} 句 sentences", f"结构 structure: {MODE_LABELS[outline.mode]}"]
    lines.append("  " + " · ".join(facts))
    lines.append("")
    rows = []
    for n in outline.walk():
        if depth is not None and n.level > depth:
            continue
        text = n.title if n.kind not in FRAME_KINDS else f"{KIND_LABELS[n.kind]}: {n.heading}"
        ph = f"  ×{len(n.placeholders)}" if n.placeholders else ""
        rows.append(("  " * (n.level - 1) + shorten(text, width), n.chars, n.share, ph))
    name_w = max((display_width(r[0]) for r in rows), default=10) + 2
    for name, chars, share, ph in rows:
        lines.append(f"{_pad(name, name_w)}{chars:>7,} 字 {share * 100:5.1f}%{ph}")
    lines.append("")
    lines.append("占位符 ×N = unfilled placeholders in the node")
    lines.append("")
    lines.append("自检 Checks")
    for c in outline.checks:
        mark = "✓" if c.kind == "ok" else "!"
        lines.append(f"  {mark} [{c.check}] {c.message}")
    return "\n".join(lines)


def to_markdown(outline: Outline, *, depth: int | None = None, width: int = 60) -> str:
    """The outline as a nested Markdown list, then the checks as a table.

    Args:
        outline: from :func:`~analysis_utils.outline.build_outline`.
        depth: show nodes down to this level (``None``: all).
        width: headings longer than this many characters are shortened with ``…``.

    Returns:
        The Markdown document, ending in a newline.
    """
    s = outline.speech
    out = [f"# {outline.title or s.id}", ""]
    facts = [f"{s.han_chars:,} 字", f"{len(s.paragraph_spans)} 段", f"{len(s.sentence_spans)} 句", MODE_LABELS[outline.mode]]
    out += ["*" + " · ".join(facts) + "*", "", "## 结构 Outline", ""]
    for n in outline.walk():
        if depth is not None and n.level > depth:
            continue
        if n.kind in FRAME_KINDS:
            text = f"*{KIND_LABELS[n.kind]}*: {_md(shorten(n.heading, width))}"
        else:
            text = _md(shorten(n.title, width))
        if n.kind == "section" and n.level == 1:
            text = f"**{text}**"
        ph = f" · {len(n.placeholders)} 个占位符 placeholders" if n.placeholders else ""
        out.append(f"{'  ' * (n.level - 1)}- {text} — {n.chars:,} 字 ({n.share * 100:.1f}%){ph}")
    out += ["", "## 自检 Checks", "", "| | 检查 check | 结果 kind | 说明 message |", "|---|---|---|---|"]
    for c in outline.checks:
        out.append(f"| {'✓' if c.kind == 'ok' else '⚠'} | {c.check} | {c.kind} | {_md(c.message)} |")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """``text`` with the Markdown characters ``|``, ``*``, ``_`` escaped."""
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns."""
    return text + " " * max(0, width - display_width(text))
