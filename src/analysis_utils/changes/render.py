"""A :class:`~analysis_utils.changes.Diff` as text (the ``diff`` command) and as a redline page.

:func:`redline_html` writes one self-contained HTML page (no scripts, no fonts or files
fetched): a summary table at the top, the new and dropped formulations, the parts matched, then
the two texts side by side, old left and new right, part by part: deletions struck through in
red, insertions in green, formulations highlighted. It opens in any browser and prints well
(landscape, rows not split across pages).

Example:
    >>> from analysis_utils import speech_from_text
    >>> from analysis_utils.changes import diff
    >>> d = diff(speech_from_text("坚持新发展理念。", path="a.txt"), speech_from_text("完整准确全面贯彻新发展理念。", path="b.txt"), terms=False)
    >>> page = redline_html(d)
    >>> page.startswith("<!DOCTYPE html>"), "<del>坚持</del>" in page, '<mark class="f-same">新发展理念</mark>' in page
    (True, True, True)
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..outputs import atomic_write, inside, note_written
from ..plots.style import SUBSTRING_COUNT_LABEL, TOKEN_COUNT_LABEL
from ..text import count_han
from .align import edit_spans
from .model import Diff

#: How many rows the text report lists per table.
TEXT_TOP = 15
_STATUS_LABELS = {"same": "相同 same", "changed": "改写 changed", "new": "新增 new", "dropped": "删去 dropped",
                  "moved": "移动 moved", "up": "增加 up", "down": "减少 down"}


def most_changed(d: Diff, *, top_n: int = 10) -> pd.DataFrame:
    """The changed sentence pairs with the most Chinese characters deleted or inserted (then the
    least similar first): ``similarity, old, new, deleted, inserted, edited_chars``.

    Example:
        >>> from analysis_utils import speech_from_text
        >>> from analysis_utils.changes import diff
        >>> d = diff(speech_from_text("坚持扩大内需战略。", path="a.txt"),
        ...          speech_from_text("坚定实施扩大内需战略。", path="b.txt"), terms=False)
        >>> most_changed(d)[["deleted", "inserted", "edited_chars"]].values.tolist()
        [['持', '定实施', 4]]
    """
    ch = d.sentences[d.sentences["status"] == "changed"]
    deleted = ["".join(o for op, o, _ in e if op in ("delete", "replace")) for e in ch["edits"]]
    inserted = ["".join(n for op, _, n in e if op in ("insert", "replace")) for e in ch["edits"]]
    out = pd.DataFrame({"similarity": ch["similarity"].round(2).to_numpy(), "old": ch["old"].to_numpy(),
                        "new": ch["new"].to_numpy(), "deleted": deleted, "inserted": inserted,
                        "edited_chars": [count_han(a) + count_han(b) for a, b in zip(deleted, inserted)]})
    out = out.sort_values(["edited_chars", "similarity"], ascending=[False, True], kind="mergesort")
    return out.head(top_n).reset_index(drop=True)


def _side(d: Diff, side: str) -> str:
    m = d.meta(side)
    return f"{m['id']} — {m['title'] or ''} ({m['date'] or '?'}), {m['han_chars']} 汉字 Chinese characters"


def _terms_line(rows: pd.DataFrame, count: str) -> str:
    return "、".join(f"{t}（{a}→{b}）" for t, a, b in zip(rows["term"], rows[f"{count}_old"], rows[f"{count}_new"])) or "—"


def diff_text(d: Diff, *, top_n: int = TEXT_TOP) -> str:
    """The report the ``diff`` command prints: the two texts, the summary, the parts, the new and
    dropped formulations (substring counts), the rising and falling terms (token counts) and the
    sentences reworded most."""
    s, st = d.summary, d.summary["sentences"]
    f = d.formulations
    lines = [
        "改了什么 · What changed",
        f"old: {_side(d, 'old')}",
        f"new: {_side(d, 'new')}",
        "",
        f"句子 sentences: {s['old_sentences']} → {s['new_sentences']}; 相同 same {st['same']}, 改写 changed {st['changed']}, "
        f"新增 new {st['new']}, 删去 dropped {st['dropped']}, 移动 moved {st['moved']}; "
        f"新文未改动 unchanged: {s['unchanged_share']} % of the new text",
        "",
        "部分 Parts (old → new, share of the text %):",
    ]
    for r in d.sections.itertuples():
        old = f"{r.old_heading} ({r.old_share} %)" if isinstance(r.old_heading, str) else "—"
        new = f"{r.new_heading} ({r.new_share} %)" if isinstance(r.new_heading, str) else "—"
        lines.append(f"  {_STATUS_LABELS[r.status]:<12} {old}  →  {new}")
    lines += ["", f"提法 Formulations, {SUBSTRING_COUNT_LABEL} (old→new):"]
    for change in ("new", "dropped", "up", "down"):
        rows = f[f["change"] == change]
        lines.append(f"  {_STATUS_LABELS.get(change, change)} ({len(rows)}): {_terms_line(rows.head(top_n), 'substring_count')}")
    t = d.terms
    if len(t):
        lines += ["", f"词语 Terms, {TOKEN_COUNT_LABEL}, keyness G² (old→new):",
                  f"  上升 up: {_terms_line(t[t['change'] == 'up'].head(top_n), 'token_count')}",
                  f"  下降 down: {_terms_line(t[t['change'] == 'down'].iloc[::-1].head(top_n), 'token_count')}"]
    filled = d.placeholders[d.placeholders["status"] == "filled"]
    if len(filled):
        lines += ["", f"占位符 Placeholders filled ({len(filled)}): "
                  + "、".join(f"{p}→{b}" for p, b in zip(filled["placeholder"], filled["became"]))]
    lines += ["", "改动最大的句子 Sentences reworded most:"]
    for r in most_changed(d, top_n=min(top_n, 10)).itertuples():
        lines += [f"  [{r.similarity:.2f}] − {r.old}", f"         + {r.new}"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- HTML
_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em;color:#222;line-height:1.6}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#f4f4f4}table.summary{width:auto}table.summary td:nth-child(n+2){text-align:right}
table.redline td{width:50%}tr.part td{background:#f3ece4;font-weight:bold}tr{break-inside:avoid;page-break-inside:avoid}
del{color:#b8312f;background:#fbe3e1;text-decoration:line-through}ins{color:#1d6b2f;background:#dff3e3;text-decoration:none}
tr.same td{color:#777}tr.new td.n{background:#eef8f0}tr.dropped td.o{background:#fdf0ef}
mark{background:#fff1a8;border-bottom:2px solid #d9a400;padding:0}mark.f-new{background:#c9efd2;border-color:#1d6b2f}
mark.f-dropped{background:#f8d4d0;border-color:#b8312f}.moved{font-size:.8em;color:#3b6ea5;margin-left:.3em}
.chips span{display:inline-block;margin:.1em .3em .1em 0;padding:0 .4em;border-radius:.3em}
.chips .f-new{background:#c9efd2}.chips .f-dropped{background:#f8d4d0}.note{color:#555;font-size:.9em}
thead{display:table-header-group}
@media print{body{margin:0;font-size:10pt}@page{size:A4 landscape;margin:12mm}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}h2{break-after:avoid}}
"""


def _runs(text: str, edit: list[str], marks: list[str]) -> str:
    """``text`` as HTML: runs of characters with the same edit (``del``/``ins``/``""``) and
    formulation mark (a CSS class or ``""``) in one element each."""
    out, k = [], 0
    while k < len(text):
        j = k
        while j < len(text) and edit[j] == edit[k] and marks[j] == marks[k]:
            j += 1
        piece = html.escape(text[k:j])
        if marks[k]:
            piece = f'<mark class="{marks[k]}">{piece}</mark>'
        if edit[k]:
            piece = f"<{edit[k]}>{piece}</{edit[k]}>"
        out.append(piece)
        k = j
    return "".join(out)


def _marks(text: str, terms: list[tuple[str, str]]) -> list[str]:
    """The formulation class of every character (longest terms first; ``terms`` sorted by length, descending)."""
    marks = [""] * len(text)
    for term, cls in terms:
        at = text.find(term)
        while at >= 0:
            if not any(marks[at:at + len(term)]):
                marks[at:at + len(term)] = [cls] * len(term)
            at = text.find(term, at + len(term))
    return marks


def _cells(old: object, new: object, status: str, terms: list[tuple[str, str]]) -> tuple[str, str]:
    old, new = (old if isinstance(old, str) else ""), (new if isinstance(new, str) else "")
    o_edit, n_edit = [""] * len(old), [""] * len(new)
    if status == "changed":
        for op, a, b, c, e in edit_spans(old, new):
            if op != "equal":
                o_edit[a:b] = ["del"] * (b - a)
                n_edit[c:e] = ["ins"] * (e - c)
    elif status == "dropped":
        o_edit = ["del"] * len(old)
    elif status == "new":
        n_edit = ["ins"] * len(new)
    return _runs(old, o_edit, _marks(old, terms)), _runs(new, n_edit, _marks(new, terms))


def _table(df: pd.DataFrame, cls: str = "") -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>" for v in row) + "</tr>"
                   for row in df.itertuples(index=False))
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _chips(rows: pd.DataFrame, cls: str) -> str:
    return "".join(f'<span class="{cls}">{html.escape(t)} {a}→{b}</span>'
                   for t, a, b in zip(rows["term"], rows["substring_count_old"], rows["substring_count_new"])) or "—"


def _part_row(d: Diff, rank_column: str, rank: int) -> str:
    """The heading row of a part: its old heading left, its new heading right."""
    row = d.sections[d.sections[rank_column] == rank]
    heads = [row[c].iloc[0] if len(row) and pd.notna(row[c].iloc[0]) else "—" for c in ("old_heading", "new_heading")]
    return "<tr class=\"part\">" + "".join(f"<td>{html.escape(str(h))}</td>" for h in heads) + "</tr>"


def _redline_rows(d: Diff) -> Iterable[str]:
    """The rows of the side-by-side table: a heading row where a part of the new text begins (a
    dropped sentence stays in the part it is shown in), then one row per sentence row."""
    f = d.formulations
    terms = sorted(((t, f"f-{c}" if c in ("new", "dropped") else "f-same") for t, c in zip(f["term"], f["change"])
                    if len(t) >= 2), key=lambda x: -len(x[0]))
    current: tuple[str, int] | None = None
    for r in d.sentences.itertuples():
        key = current
        if pd.notna(r.new_section):
            key = ("new_rank", int(r.new_section))
        elif current is None and pd.notna(r.old_section):
            key = ("old_rank", int(r.old_section))
        if key is not None and key != current:
            current = key
            yield _part_row(d, *key)
        old_html, new_html = _cells(r.old, r.new, r.status, terms)
        moved = '<span class="moved">↕ 移动 moved</span>' if r.moved else ""
        yield f'<tr class="{r.status}"><td class="o">{old_html}</td><td class="n">{new_html}{moved}</td></tr>'


def redline_html(d: Diff) -> str:
    """The side-by-side redline page of ``d`` (see the module), as one HTML string."""
    o, n = d.meta("old"), d.meta("new")
    f = d.formulations
    title = f"改了什么 · What changed: {o['title'] or o['id']} ({o['date'] or '?'}) → {n['title'] or n['id']} ({n['date'] or '?'})"
    secs = d.sections[["status", "old_heading", "new_heading", "old_share", "new_share", "share_change"]].rename(columns={
        "status": "状态 status", "old_heading": "旧 old", "new_heading": "新 new", "old_share": "旧占比 old %",
        "new_share": "新占比 new %", "share_change": "变化 change (pp)"})
    parts = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="note">旧 old: {html.escape(_side(d, "old"))}<br>新 new: {html.escape(_side(d, "new"))}</p>',
        "<h2>概要 · Summary</h2>", _table(d.summary_table(), "summary"),
        f"<h2>新增提法 · New formulations <span class='note'>({SUBSTRING_COUNT_LABEL}, old→new)</span></h2>",
        f'<p class="chips">{_chips(f[f["change"] == "new"], "f-new")}</p>',
        f"<h2>删去的提法 · Dropped formulations <span class='note'>({SUBSTRING_COUNT_LABEL}, old→new)</span></h2>",
        f'<p class="chips">{_chips(f[f["change"] == "dropped"], "f-dropped")}</p>',
        "<h2>部分 · Parts</h2>", _table(secs),
        "<h2>逐句对照 · Sentence by sentence</h2>",
        '<p class="note"><del>删去 deleted</del> <ins>新增 inserted</ins> <mark>提法 formulation</mark> '
        '<mark class="f-new">新提法 new formulation</mark> <mark class="f-dropped">删去的提法 dropped formulation</mark></p>',
        f'<table class="redline"><thead><tr><th>旧 old: {html.escape(o["title"] or o["id"])}</th>'
        f'<th>新 new: {html.escape(n["title"] or n["id"])}</th></tr></thead><tbody>',
        *_redline_rows(d),
        "</tbody></table></body></html>",
    ]
    return "\n".join(parts) + "\n"


def save_redline(d: Diff, out, name: str = "06_redline") -> Path:
    """Write the redline page of ``d`` as ``<name>.html`` into the folder of ``out`` (an
    :class:`~analysis_utils.Outputs`), beside the figures; returns its path."""
    path = inside(out.dir / f"{name}.html", out.dir)
    atomic_write(path, lambda tmp: tmp.write_text(redline_html(d), encoding="utf-8"))
    note_written(path)
    return path
