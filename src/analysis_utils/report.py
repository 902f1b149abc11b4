"""The index of a run, beside a speech's (or a comparison's) figures:

- ``index.md``: the headline numbers, then per notebook its figures (each caption once), its
  tables; the executed notebooks are named, not linked, because git does not keep them, so every
  link of the committed example works in the repository too;
- ``index.html``: the page to send: the same in reading order, with the figures shown, links to
  the CSVs, the executed notebooks and the deck (when there is one); readable on a phone and a
  laptop; inline CSS and relative links, so the folder can be zipped and opened from disk.

What comes from the speech (title, file name, captions) is escaped so it is shown, never read as
Markdown or HTML.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .errors import printable
from .outputs import atomic_write, figure_dir, read_captions
from .speech import Speech

#: The label of the line naming the speech's file in ``index.md`` (the deck reads it back).
FILE_FACT = "文件 File"
#: The notebooks in reading order: file-name prefix and bilingual heading.
SECTIONS = (("01", "结构 Structure"), ("02", "用词 Terms"), ("03", "提法 Formulations"),
            ("04", "词云 Word clouds"), ("05", "对比 Comparison"))
#: Figures in reading order within their notebook (the finding first); others follow by name.
READING_ORDER = ("01_outline_tree", "01_section_sizes", "01_placeholders",
                 "02_top_terms", "02_section_heatmap", "02_dispersion", "02_keyness", "02_pos_breakdown",
                 "03_lexicon_formulations", "03_slogans_by_section", "03_slogan_positions", "03_number_slogans",
                 "03_parallel_structures", "03_quoted_terms", "04_wordcloud",
                 "05_sizes", "05_similarity", "05_keyness", "05_slogan_heatmap", "05_term_trends")
DECK_FILE = "deck.pptx"
#: Formulations named among the headline numbers.
TOP_FORMULATIONS = 5

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


def _h(text: object) -> str:
    """``text`` as literal HTML on one line."""
    return html.escape(re.sub(r"[\x00-\x1f\x7f]+", " ", str(text)))


@dataclass
class Page:
    """What an index shows: a title, a subtitle, the headline facts (label, value), notes, and
    links to other pages (text, folder name); the figures and files are read from the folder."""

    title: str
    subtitle: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    notes: Sequence[str] = ()
    members: Sequence[tuple[str, str]] = ()  # (output id, title) of the speeches of a folder or table


def headline(speech: Speech) -> list[tuple[str, str]]:
    """The headline numbers of a speech: its file, date, speaker, length, parts, top formulations
    (the bundled lexicon, as notebook 03 counts them), placeholders and what the loader removed.

    Example:
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> for label, value in headline(load_speech(SEED_SPEECH)):
        ...     print(f"{label}: {value}")
        文件 File: party_building_conference_speech.txt
        汉字数 Chinese characters: 3032
        一级部分 Top-level parts: 2
        提法前五（提法计数） Top formulations (formulation count): 新时代 10 次 · 高质量发展 5 次 · 不忘初心 3 次 · 不忘初心、牢记使命 3 次 · 牢记使命 3 次
        占位符 Placeholders: 33 (×, ×××)
        载入时删去 Removed by the loader: 127 字 chars, 8 行 lines: template-site advertising and notices before the speech
    """
    from .outline import build_outline
    from .slogans.lexicon import lexicon_hits

    m = speech.meta
    counts = lexicon_hits(speech)["slogan"].value_counts()
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_FORMULATIONS]
    marks = sorted({p.text for p in speech.placeholders}, key=lambda t: (len(t), t))
    removed = "; ".join(f"{len(r.text)} 字 chars, {r.text.count(chr(10)) + 1} 行 lines: {r.reason}"
                        for r in speech.removed)
    facts = [(FILE_FACT, printable(speech.path.name)), ("日期 Date", m.date), ("讲话人 Speaker", m.speaker),
             ("汉字数 Chinese characters", str(speech.han_chars)),
             ("一级部分 Top-level parts", str(len(build_outline(speech).parts))),
             ("提法前五（提法计数） Top formulations (formulation count)", " · ".join(f"{p} {n} 次" for p, n in top)),
             ("占位符 Placeholders", f"{len(speech.placeholders)} ({', '.join(marks[:5])})" if marks else "0"),
             ("载入时删去 Removed by the loader", removed)]
    return [(k, v) for k, v in facts if v]


def write_index(speech: Speech, out_root: Path, out_id: str | None = None) -> Path:
    """``figures/<speech-id>/index.md`` and ``index.html``: the headline numbers, then per notebook
    its figures with their captions, its tables and its executed notebook.

    Every text taken from the speech or a caption is escaped (:func:`markdown_text`, HTML escapes).

    Args:
        out_id: the speech's output folder (default: its id).

    Returns:
        The path of ``index.md`` (``index.html`` is beside it).

    Example:
        >>> import tempfile
        >>> from analysis_utils import load_speech
        >>> from analysis_utils.config import SEED_SPEECH
        >>> index = write_index(load_speech(SEED_SPEECH), Path(tempfile.mkdtemp()))
        >>> print(index.read_text(encoding="utf-8"))
        # 在党建工作会议上的讲话
        <BLANKLINE>
        - 文件 File: party_building_conference_speech.txt
        - 汉字数 Chinese characters: 3032
        ...
        >>> (index.parent / "index.html").read_text(encoding="utf-8").startswith("<!doctype html>")
        True
    """
    m = speech.meta
    sub = " · ".join(x for x in (m.speaker, m.date) if x)
    return _write(figure_dir(out_id or speech.id, out_root), Page(m.title or speech.id, sub, headline(speech)))


def write_corpus_index(source: Path, out_root: Path, out_id: str, members: Sequence[tuple[str, str]],
                       notes: Sequence[str] = ()) -> Path:
    """``figures/<folder or table>/index.md`` and ``index.html``: the folder or table, its notes
    (near-duplicates), each speech with a link to its own page, then the comparison's figures and tables.

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
    """
    name = printable(source.name)
    d = figure_dir(out_id, out_root)
    page = Page(name, "", [(FILE_FACT, name), ("讲话 Speeches", str(len(members)))] + corpus_headline(d), notes,
                members)
    return _write(d, page)


def corpus_headline(d: Path) -> list[tuple[str, str]]:
    """The headline numbers of the speeches notebook 05 compared, from the tables it wrote in ``d``:
    their length in 汉字 and unfilled placeholders (``05_units.csv``) and the top formulations, each
    with its count's name (``05_slogans.csv``); nothing for a table that is not there.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> _ = (d / "05_units.csv").write_text("unit,han_chars,placeholders\\na,1200,0\\nb,3400,2\\n", encoding="utf-8")
        >>> _ = (d / "05_slogans.csv").write_text("slogan,formulation_count\\n新时代,9\\n改革开放,4\\n", encoding="utf-8")
        >>> for label, value in corpus_headline(d):
        ...     print(f"{label}: {value}")
        汉字数（合计） Chinese characters (in all): 4600
        占位符（合计） Placeholders (in all): 2
        提法前五（提法计数） Top formulations (formulation count): 新时代 9 次 · 改革开放 4 次
    """
    from .deck import count_label, read_table, top_formulations  # the deck's first slide shows the same

    facts = []
    units = read_table(d / "05_units.csv")
    if units is not None:
        for col, label in (("han_chars", "汉字数（合计） Chinese characters (in all)"),
                           ("placeholders", "占位符（合计） Placeholders (in all)")):
            if col in units.columns:
                facts.append((label, str(int(units[col].sum()))))
    top = top_formulations(d, TOP_FORMULATIONS)
    if top and top[0]:
        zh, _, en = count_label(top[1]).partition(" ")
        facts.append((f"提法前五（{zh}） Top formulations ({en})", " · ".join(f"{p} {n} 次" for p, n in top[0])))
    return facts


@dataclass
class _Contents:
    """What a folder holds, per notebook prefix: figures (name, caption), tables, executed notebook."""

    figures: dict[str, list[tuple[str, str]]]
    tables: dict[str, list[str]]
    notebooks: dict[str, list[str]]
    deck: bool

    @classmethod
    def of(cls, d: Path) -> _Contents:
        captions = read_captions(d)
        order = {name: i for i, name in enumerate(READING_ORDER)}
        pngs = sorted((p.stem for p in d.glob("*.png")), key=lambda s: (order.get(s, len(order)), s))
        return cls(_by_section([(s, captions.get(s, s)) for s in pngs], lambda f: f[0]),
                   _by_section(sorted(p.name for p in d.glob("*.csv"))),
                   _by_section(sorted(p.name for p in (d / "notebooks").glob("*.ipynb"))),
                   (d / DECK_FILE).is_file())

    def sections(self) -> list[tuple[str, str]]:
        """The notebooks (prefix, heading) with something to show, in reading order."""
        known = [(k, t) for k, t in SECTIONS if k in self.figures or k in self.tables or k in self.notebooks]
        return known + ([("", "其他 Other")] if "" in self.figures or "" in self.tables else [])


def _by_section(items, name=lambda x: x) -> dict:
    """``items`` grouped by the notebook prefix of their name (``""`` for none), order kept."""
    prefixes = {k for k, _ in SECTIONS}
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(name(item)[:2] if name(item)[:2] in prefixes else "", []).append(item)
    return groups


def _write(d: Path, page: Page) -> Path:
    """Write ``d/index.md`` and ``d/index.html`` for ``page`` and what ``d`` holds; the path of index.md."""
    contents = _Contents.of(d)
    text = _markdown(page, contents)
    page_html = _html(page, contents)
    atomic_write(d / "index.html", lambda tmp: tmp.write_text(page_html, encoding="utf-8"))
    return atomic_write(d / "index.md", lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _markdown(page: Page, c: _Contents) -> str:
    md = markdown_text
    lines = [f"# {md(page.title)}", ""] + [f"- {k}: {md(v)}" for k, v in page.facts] + [""]
    if page.notes:
        lines += ["## 说明 Notes", ""] + [f"- {md(n)}" for n in page.notes] + [""]
    if page.members:
        lines += ["## 讲话 Speeches", ""]
        lines += [f"- [{md(title)}](../{quote(o)}/index.md) ({md(o)})" for o, title in page.members] + [""]
    for key, heading in c.sections():
        lines += [f"## {f'{key} {heading}'.strip()}", ""]
        for stem, caption in c.figures.get(key, []):
            lines += [f"### {md(stem)}", "", f"![{md(stem)}]({quote(stem)}.png)", "", md(caption), "",
                      f"[PNG]({quote(stem)}.png) · [SVG]({quote(stem)}.svg)", ""]
        if c.tables.get(key):
            lines += ["表 Tables (CSV, UTF-8 with BOM): " + " · ".join(f"[{md(t)}]({quote(t)})" for t in c.tables[key]), ""]
        if c.notebooks.get(key):  # not linked: git does not keep executed notebooks
            lines += ["笔记本 Executed notebook: " + " · ".join(f"`notebooks/{n}`" for n in c.notebooks[key]), ""]
    if c.deck:
        lines += [f"[{DECK_FILE}]({DECK_FILE}): 幻灯片 slide deck", ""]
    return "\n".join(lines)


_CSS = """
:root{color-scheme:light dark;--fg:#1f1f1f;--muted:#5f6368;--bg:#fff;--card:#f6f6f4;--accent:#b3261e}
@media (prefers-color-scheme:dark){:root{--fg:#e8e6e3;--muted:#a8a29e;--bg:#161616;--card:#232323;--accent:#f28b82}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);line-height:1.6;font-size:17px;
 font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif}
main{max-width:62rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0}h2{font-size:1.3rem;border-bottom:2px solid var(--accent);
 padding-bottom:.2rem;margin-top:2.5rem}.sub{color:var(--muted);margin:0}
dl.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.6rem;margin:1rem 0}
dl.facts div{background:var(--card);border-radius:.5rem;padding:.5rem .8rem}
dt{font-size:.8rem;color:var(--muted)}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
nav{display:flex;flex-wrap:wrap;gap:.3rem .9rem;font-size:.95rem}
figure{margin:1.5rem 0}img{max-width:100%;height:auto;display:block;background:#fff;border-radius:.3rem}
figcaption{margin-top:.4rem}.files{font-size:.9rem;color:var(--muted);overflow-wrap:anywhere}
a{color:var(--accent)}li{margin:.2rem 0}.item{white-space:nowrap}
"""


def _html(page: Page, c: _Contents) -> str:
    head = (f'<!doctype html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_h(page.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n")
    parts = [head, f"<h1>{_h(page.title)}</h1>\n"]
    if page.subtitle:
        parts.append(f'<p class="sub">{_h(page.subtitle)}</p>\n')
    parts.append('<dl class="facts">' + "".join(f"<div><dt>{_h(k)}</dt><dd>{_items(v)}</dd></div>" for k, v in page.facts)
                 + "</dl>\n")
    nav = [(f"#nb{k or 'other'}", f"{k} {t}".strip()) for k, t in c.sections()]
    if page.members:
        nav.append(("#speeches", f"讲话 Speeches ({len(page.members)})"))
    if c.deck:
        nav.append((DECK_FILE, "幻灯片 Slides"))
    parts.append("<nav>" + "".join(f'<a href="{h}">{_h(t)}</a>' for h, t in nav) + "</nav>\n")
    if page.notes:
        parts.append("<h2>说明 Notes</h2>\n<ul>" + "".join(f"<li>{_h(n)}</li>" for n in page.notes) + "</ul>\n")
    parts += [_html_section(key, heading, c) for key, heading in c.sections()]
    if page.members:  # after the comparison: a folder of 80 speeches would push the figures off the page
        parts.append('<h2 id="speeches">讲话 Speeches</h2>\n<ol>' + "".join(
            f'<li><a href="../{quote(o)}/index.html">{_h(t)}</a> ({_h(o)})</li>' for o, t in page.members) + "</ol>\n")
    return "".join(parts) + "</main>\n</body>\n</html>\n"


def _html_section(key: str, heading: str, c: _Contents) -> str:
    out = [f'<section id="nb{key or "other"}">\n<h2>{_h(f"{key} {heading}".strip())}</h2>\n']
    for stem, caption in c.figures.get(key, []):
        src = quote(stem)
        out.append(f'<figure id="{_h(stem)}"><a href="{src}.png"><img src="{src}.png" alt="{_h(stem)}" loading="lazy"></a>'
                   f'<figcaption>{_h(caption)} <span class="files">'
                   f'<a href="{src}.png">PNG</a> · <a href="{src}.svg">SVG</a></span></figcaption></figure>\n')
    links = [f'<a href="{quote(t)}">{_h(t)}</a>' for t in c.tables.get(key, [])]
    if links:
        out.append(f'<p class="files">表 Tables (CSV, UTF-8 with BOM): {" · ".join(links)}</p>\n')
    nbs = [f'<a href="notebooks/{quote(n)}">{_h(n)}</a>' for n in c.notebooks.get(key, [])]
    if nbs:
        out.append(f'<p class="files">笔记本 Executed notebook: {" · ".join(nbs)}</p>\n')
    return "".join(out) + "</section>\n"


def _items(value: str) -> str:
    """A fact's value as HTML, each item of a ``·`` list kept on one line (``新时代 10 次`` never breaks):
    the items after the first in no-wrap spans (the first starts the line: it never needs to break).

    Example:
        >>> _items("新时代 10 次 · <b> 2 次"), _items("3032")
        ('新时代 10 次 · <span class="item">&lt;b&gt; 2 次</span>', '3032')
    """
    first, *rest = value.split(" · ")
    return " · ".join([_h(first)] + [f'<span class="item">{_h(x)}</span>' for x in rest])


class _Links(HTMLParser):
    """The ``href``/``src`` targets and the ``id`` anchors of an HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.targets += [v for k, v in attrs if k in ("href", "src") and v is not None]
        self.ids |= {v for k, v in attrs if k == "id" and v is not None}


def links_of(page: Path) -> list[str]:
    """Every ``href``/``src`` of an HTML page, every link and image target of a Markdown page."""
    text = page.read_text(encoding="utf-8")
    return _Links(text).targets if page.suffix == ".html" else re.findall(r"\]\(([^)\s]+)\)", text)


def broken_links(page: Path, exists: Callable[[Path], bool] = Path.exists) -> list[str]:
    """The links of ``page`` that lead nowhere: a relative file that does not exist (``exists``
    decides, e.g. "git keeps it"), an ``#anchor`` not on the page, or any link off the folder's disk.

    Example:
        >>> import tempfile
        >>> d = Path(tempfile.mkdtemp())
        >>> (d / "图 1.png").write_bytes(b"")
        0
        >>> _ = (d / "p.html").write_text('<img src="%E5%9B%BE%201.png"><a href="gone.csv"></a><a href="#x"></a>'
        ...                              '<a href="https://example.org/"></a>', encoding="utf-8")
        >>> broken_links(d / "p.html")
        ['gone.csv', '#x', 'https://example.org/ (not a relative link)']
    """
    ids = _Links(page.read_text(encoding="utf-8")).ids if page.suffix == ".html" else set()
    broken = []
    for link in links_of(page):
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            broken.append(f"{link} (not a relative link)")
        elif not parts.path and parts.fragment not in ids or parts.path and not exists(
                (page.parent / unquote(parts.path)).resolve()):
            broken.append(link)
    return broken


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
