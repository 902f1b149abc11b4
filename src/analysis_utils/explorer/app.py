"""The explorer's widgets: open a speech, see its outline, look up terms, download tables and figures.

Everything shown comes from :mod:`.session` (the numbers) and :mod:`.downloads` (the links);
this module only lays the widgets out and wires their clicks. ``notebooks/00_explorer.ipynb``
builds one :class:`Explorer` and shows it; Voilà serves that notebook as a web app
(``voila notebooks/00_explorer.ipynb``), and ``?speech=PATH&term=TERM`` in the address opens
that speech and term (:meth:`Explorer.start`).
"""
from __future__ import annotations

import html
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w
import matplotlib.pyplot as plt
import pandas as pd

from .. import config
from ..errors import SpeechError
from ..plots import textplot_dispersion, textplot_top_terms, textplot_wordcloud, with_origin
from ..stats import TermFilter, term_frequency
from . import downloads
from .session import (
    HEADINGS,
    STEPS,
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

__all__ = ["TABS", "Explorer", "comparison_view", "explorer"]

#: The tabs, in order (中文 · English).
TABS = ("概览 · Overview", "查词 · Term", "高频词 · Top terms", "提法 · Formulations", "词云 · Word cloud",
        "对比 · Compare", "运行全部 · Run all")
#: Terms and formulations offered as buttons.
TOP_N = 30
#: Hits listed on the page (all of them are in the CSV).
SHOWN_HITS = 200

CSS = """<style>
.au-tree .widget-button, .au-chips .widget-button { text-align: left; justify-content: flex-start; }
.au-tree .widget-button { overflow: hidden; text-overflow: ellipsis; }
.au-text { white-space: pre-wrap; line-height: 1.7; max-height: 32em; overflow-y: auto; font-size: 15px; }
.au-kwic td { padding: 2px 6px; } .au-kwic .l { text-align: right; color: #555; } .au-kwic .r { color: #555; }
.au-kwic .h { color: #b0191e; font-weight: bold; white-space: nowrap; }
.au-download { display: inline-block; margin: 4px 8px 4px 0; padding: 3px 10px; border: 1px solid #888;
  border-radius: 4px; text-decoration: none; color: #222; background: #f4f4f4; }
.au-error { color: #b0191e; font-weight: bold; }
</style>"""


def explorer(**kwargs) -> Explorer:
    """Build the app; see :class:`Explorer`. Show it, then :meth:`Explorer.start` it."""
    return Explorer(**kwargs)


def _html(value: str = "", cls: str | None = None) -> w.HTML:
    box = w.HTML(value)
    if cls:
        box.add_class(cls)
    return box


def _table_html(df: pd.DataFrame, cls: str = "au-table") -> str:
    return df.rename(columns=HEADINGS).to_html(index=False, escape=True, classes=cls, border=0)


class Explorer:
    """The app: one speech at a time (and a second one to compare with).

    Args:
        tokenizer: the :class:`~analysis_utils.Tokenizer` (a fresh default one when ``None``).
        out_dir: where "run every notebook" writes (default ``figures/``, as ``run``; the user can change it).
    """

    def __init__(self, *, tokenizer=None, out_dir: str | Path | None = None):
        from ..tokenizer import Tokenizer

        self.tokenizer = tokenizer or Tokenizer()
        self._uploads = tempfile.TemporaryDirectory(prefix="analysis-utils-explorer-")
        self.opened: Opened | None = None
        self.other: Opened | None = None
        self.result: TermResult | None = None
        self.timings: list[float] = []  # seconds of each term lookup
        self._build(out_dir)

    # ------------------------------------------------------------------ layout
    def _build(self, out_dir: str | Path | None) -> None:
        self.path_box = w.Text(placeholder="seeds/讲话.txt 或 or C:/Users/…/讲话.docx",
                               description="文件 · File", layout=w.Layout(width="50%"))
        self.open_button = w.Button(description="打开 · Open", button_style="primary")
        self.upload = w.FileUpload(accept=".txt,.md,.docx", multiple=False, description="上传 · Upload")
        self.path_box.add_class("au-path")
        self.upload.add_class("au-upload")
        self.status = _html("", "au-status")
        self.progress = w.Output()
        self.open_button.on_click(lambda _: self.open_path(self.path_box.value))
        self.path_box.continuous_update = False
        self.upload.observe(lambda ch: self._on_upload(ch, self.open_upload), names="value")

        self.overview = _html()
        self.tree = w.VBox(layout=w.Layout(width="40%", max_height="36em", overflow="auto"))
        self.tree.add_class("au-tree")
        self.part_text = _html("", "au-text")
        overview = w.VBox([self.overview, w.HBox([self.tree, w.VBox([self.part_text], layout=w.Layout(width="58%"))])])

        self.term_box = w.Text(description="词 · Term", placeholder="改革", continuous_update=False)
        self.term_button = w.Button(description="查 · Look up", button_style="primary")
        self.term_button.on_click(lambda _: self.show_term(self.term_box.value))
        self.term_box.observe(self._on_term_typed, names="value")  # Enter (or leaving the box) sends the value
        self.term_box.add_class("au-term-box")
        self.headline = _html("", "au-headline")
        self.strip = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.term_links = _html()
        self.hits = _html("", "au-hits")
        term = w.VBox([w.HBox([self.term_box, self.term_button]), self.headline, self.strip, self.term_links,
                       self.hits])

        self.terms_grid = w.GridBox(layout=w.Layout(grid_template_columns="repeat(5, 1fr)"))
        self.terms_grid.add_class("au-chips")
        self.terms_grid.add_class("au-terms")
        self.terms_fig = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.terms_links = _html()
        top_terms = w.VBox([_html("点击一个词看它的上下文 · click a term to see its contexts"
                                  f"（{HEADINGS['token_count']}）"), self.terms_grid, self.terms_links, self.terms_fig])

        self.slogans_grid = w.GridBox(layout=w.Layout(grid_template_columns="repeat(4, 1fr)"))
        self.slogans_grid.add_class("au-chips")
        self.slogans_grid.add_class("au-slogans")
        self.slogans_links = _html()
        slogans = w.VBox([_html("数字提法与词表提法，点击看上下文 · number slogans and lexicon formulations: "
                                f"click one to see its contexts（{HEADINGS['formulation_count']}）"),
                          self.slogans_grid, self.slogans_links])

        self.scheme = w.Dropdown(options=[("默认 · default", "default"), ("党建红金 · party", "party"),
                                          ("白底红金 · party light", "party_light"), ("提法着色 · category", "category")],
                                 description="配色 · Colours")
        self.shape = w.Dropdown(options=[("矩形 · rectangle", "rectangle"), ("圆形 · circle", "circle")],
                                description="形状 · Shape")
        self.vertical = w.Checkbox(description="竖排 · vertical words", value=False)
        self.cloud_button = w.Button(description="画词云 · Draw")
        self.cloud_button.on_click(lambda _: self.show_cloud())
        self.cloud_image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.cloud_links = _html()
        cloud = w.VBox([w.HBox([self.scheme, self.shape, self.vertical, self.cloud_button]), self.cloud_links,
                        self.cloud_image])

        self.other_path = w.Text(description="第二篇 · 2nd", placeholder="另一篇讲话的路径 · path of another speech")
        self.other_button = w.Button(description="对比 · Compare")
        self.other_upload = w.FileUpload(accept=".txt,.md,.docx", multiple=False, description="上传 · Upload")
        self.other_button.on_click(lambda _: self.open_other(self.other_path.value))
        self.other_upload.observe(lambda ch: self._on_upload(ch, self.open_other_upload), names="value")
        self.compare_out = _html()
        compare = w.VBox([w.HBox([self.other_path, self.other_button, self.other_upload]), self.compare_out])

        self.out_box = w.Text(value=str(out_dir or config.FIGURES_DIR), description="输出 · Output",
                              layout=w.Layout(width="60%"))
        self.out_box.add_class("au-out")
        self.run_button = w.Button(description="运行全部笔记本 · Run every notebook", layout=w.Layout(width="auto"))
        self.run_button.on_click(lambda _: self.run_everything())
        self.run_progress = w.Output()
        self.run_out = _html()
        everything = w.VBox([_html("对这篇讲话运行笔记本 01–05，生成全部图表、表格与幻灯片（约一分钟）· "
                                   "run notebooks 01–05 on this speech: every figure, table and the slide deck "
                                   "(about a minute)"), self.out_box, self.run_button, self.run_progress, self.run_out])

        self.tabs = w.Tab(children=[overview, term, top_terms, slogans, cloud, compare, everything])
        for i, title in enumerate(TABS):
            self.tabs.set_title(i, title)
        self.widget = w.VBox([
            _html(CSS + "<h2>讲话稿浏览器 · Speech explorer</h2>"),
            w.HBox([self.path_box, self.open_button, self.upload]), self.status, self.progress, self.tabs])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # ------------------------------------------------------------------ opening
    def start(self, speech_path: str | None = None, term: str | None = None, query: str | None = None) -> None:
        """Open what the page's address asks for (``?speech=…&term=…``), else ``speech_path``
        and ``term`` (the notebook's parameters); the seed speech when neither names one.

        Args:
            query: the query string (default: ``QUERY_STRING`` from the environment, as Voilà sets it).
        """
        asked = query_params(query)
        speech_path = asked.get("speech", speech_path) or str(config.SEED_SPEECH.relative_to(config.PROJECT_ROOT))
        term = asked.get("term", term)
        self.path_box.value = str(speech_path)
        self.open_path(speech_path)
        if term and self.opened is not None:
            self.show_term(term)

    def open_path(self, path: str | Path) -> bool:
        """Open a speech file and fill every view. A bad file leaves the open speech as it was
        and says what is wrong in one line; returns whether it opened."""
        if not str(path).strip():
            return self._error("输入一个文件路径 · type a file path")
        opened = self._load(str(path).strip())
        if opened is None:
            return False
        self.opened, self.other, self.result = opened, None, None
        self._fill()
        return True

    def open_upload(self, name: str, content: bytes) -> bool:
        """Open an uploaded file (kept in a temporary folder of this app while it runs)."""
        try:
            path = save_upload(name, content, self._uploads.name)
        except SpeechError as e:
            return self._error(str(e))
        self.path_box.value = str(path)
        return self.open_path(path)

    def _on_upload(self, change, opener: Callable[[str, bytes], bool]) -> None:
        files = change["new"]
        if files:
            f = files[0]
            opener(f["name"], bytes(f["content"]))

    def _load(self, path: str) -> Opened | None:
        """Open ``path`` with a progress bar; a bad file is said in one line (``None``)."""
        from tqdm.auto import tqdm

        self.status.value = f"读入中 · reading {html.escape(path)} …"
        opened, problem = None, None
        with self.progress:  # in a kernel, an Output swallows exceptions raised inside it: catch them here
            bar = tqdm(total=len(STEPS), desc="打开 · opening", unit="step")
            try:
                opened = open_speech_file(path, self.tokenizer,
                                          step=lambda s: (bar.set_postfix_str(s, refresh=False), bar.update(1)))
            except SpeechError as e:
                problem = str(e)
            finally:
                bar.close()
        self.progress.clear_output()
        if problem is not None:
            self._error(problem)
        return opened

    def _error(self, message: str) -> bool:
        """Say a problem in one line (an upload named by its own name), and which speech is still open."""
        message = message.replace(str(Path(self._uploads.name)) + os.sep, "")
        still = f"（仍打开 · still open: {html.escape(self.opened.title)}）" if self.opened is not None else ""
        self.status.value = f'<span class="au-error">⚠ {html.escape(message)}</span>{still}'
        return False

    def _fill(self) -> None:
        op = self.opened
        assert op is not None
        s = op.speech
        self.status.value = (f"已打开 · opened <b>{html.escape(op.title)}</b>（{html.escape(str(s.path))}）")
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                       for k, v in overview_rows(op))
        removed = s.removed_table()
        removed_html = (_table_html(removed[["reason", "text"]].head(20)) if len(removed) else "")
        self.overview.value = (f"<table>{rows}</table>" + (f"<details><summary>移除的内容 · what the loader removed"
                               f"</summary>{removed_html}</details>" if removed_html else ""))
        self.tree.children = [self._tree_button(node_id, level, label) for node_id, level, label in tree_rows(op.outline)]
        self.part_text.value = "点击左边提纲中的一部分看它的文字 · click a part of the outline to read it"
        self._fill_terms()
        self._fill_slogans()
        self.headline.value = self.hits.value = self.term_links.value = ""
        self.strip.value = b""
        self.cloud_image.value, self.cloud_links.value = b"", ""
        self.compare_out.value = self.run_out.value = ""

    def _tree_button(self, node_id: str, level: int, label: str) -> w.Button:
        b = w.Button(description=label, tooltip=label,
                     layout=w.Layout(width="auto", margin=f"0 0 0 {(level - 1) * 1.5}em", min_height="28px"))
        b.on_click(lambda _: self.show_part(node_id))
        return b

    def show_part(self, node_id: str) -> None:
        """Show one part of the outline (clicked in the tree)."""
        assert self.opened is not None
        self.part_text.value = html.escape(section_text(self.opened, node_id))

    def _chip(self, term: str, count: int) -> w.Button:
        b = w.Button(description=f"{term} {count}", tooltip=term, layout=w.Layout(width="auto"))
        b.on_click(lambda _: self.show_term(term))
        return b

    def _fill_terms(self) -> None:
        op = self.opened
        assert op is not None
        top = top_terms_table(op, TOP_N)
        self.terms_grid.children = [self._chip(t, n) for t, n in zip(top["term"], top["token_count"])]
        fig = textplot_top_terms(op.freq, top_n=20, formulations=op.formulations, subtitle=op.title)
        png = downloads.figure_bytes(fig, "png")
        self.terms_fig.value = png
        self.terms_links.value = (downloads.table_link(op.freq, f"{op.speech.id}_term_frequency") + " "
                                  + downloads.figure_links(fig, f"{op.speech.id}_top_terms", png=png))
        plt.close(fig)

    def _fill_slogans(self) -> None:
        op = self.opened
        assert op is not None
        table = slogan_table(op)
        self.slogans_grid.children = [self._chip(t, n) for t, n in
                                      zip(table["slogan"].head(TOP_N), table["formulation_count"].head(TOP_N))]
        self.slogans_links.value = (downloads.table_link(table, f"{op.speech.id}_formulations")
                                    + (_table_html(table) if len(table) else "<p>没有提法 · no formulations</p>"))

    # ------------------------------------------------------------------ a term
    def show_term(self, term: str) -> TermResult | None:
        """Look a term up and show its counts, every hit in context and where it occurs."""
        if self.opened is None:
            self._error("先打开一篇讲话 · open a speech first")
            return None
        t0 = time.perf_counter()
        try:
            result = look_up(self.opened, term)
        except SpeechError as e:
            self.headline.value = f'<span class="au-error">⚠ {html.escape(str(e))}</span>'
            return None
        self.result = result
        self.strip.value = b""  # never the last term's picture under this term's count
        self.term_box.value = result.term
        self.tabs.selected_index = 1
        self.term_links.value = downloads.table_link(result.hits, f"{self.opened.speech.id}_{result.term}_kwic")
        self.hits.value = self._hits_html(result)
        self.headline.value = f'<h3 class="au-count">{html.escape(result.headline())}</h3>'  # last: "done"
        self.timings.append(time.perf_counter() - t0)
        self._term_figure(result)
        if self.other is not None:
            self.compare_out.value = comparison_view(self.opened, self.other, result.term)
        return result

    def _on_term_typed(self, change) -> None:
        if change["new"].strip() and (self.result is None or change["new"].strip() != self.result.term):
            self.show_term(change["new"])

    def _hits_html(self, result: TermResult) -> str:
        rows = []
        for r in result.hits.head(SHOWN_HITS).itertuples():
            rows.append(f'<tr><td class="l">{html.escape(r.left)}</td><td class="h">{html.escape(r.hit)}</td>'
                        f'<td class="r">{html.escape(r.right)}</td><td>{r.paragraph}</td>'
                        f'<td>{html.escape(r.section_label)}</td></tr>')
        more = (f"<p>只列出前 {SHOWN_HITS} 处，全部见 CSV · the first {SHOWN_HITS} hits; all are in the CSV</p>"
                if len(result.hits) > SHOWN_HITS else "")
        head = "<tr><th>左 left</th><th>词 hit</th><th>右 right</th><th>段 para.</th><th>部分 section</th></tr>"
        return f'<table class="au-kwic">{head}{"".join(rows)}</table>{more}'

    def _term_figure(self, result: TermResult) -> None:
        op = self.opened
        assert op is not None
        if not result.substring_count:
            self.strip.value = b""
            return
        fig = textplot_dispersion(result.positions, terms=[result.term], sections=op.sections,
                                  body_length=len(op.speech.body), subtitle=op.title, figsize=(12, 2.6))
        png = downloads.figure_bytes(fig, "png")
        self.strip.value = png
        self.term_links.value += " " + downloads.figure_links(fig, f"{op.speech.id}_{result.term}_dispersion", png=png)
        plt.close(fig)

    # ------------------------------------------------------------------ word cloud
    def show_cloud(self) -> None:
        """Draw the word cloud with the chosen scheme and shape (as notebook 04 draws it)."""
        op = self.opened
        if op is None:
            self._error("先打开一篇讲话 · open a speech first")
            return
        freq = with_origin(term_frequency(op.tokens, speech=op.speech, term_filter=TermFilter(drop_official_verbs=True)),
                           op.tokens, lexicon=self.tokenizer.lexicon)
        try:
            cloud = textplot_wordcloud(freq, source=op.speech.id, scheme=self.scheme.value, shape=self.shape.value,
                                       vertical=self.vertical.value)
        except SpeechError as e:
            self.cloud_links.value = f'<span class="au-error">⚠ {html.escape(str(e))}</span>'
            return
        png = cloud.to_png()
        self.cloud_image.value = png
        name = f"{op.speech.id}_wordcloud_{self.scheme.value}_{self.shape.value}"
        self.cloud_links.value = (downloads.data_link(png, f"{name}.png", "PNG 图 · figure") + " "
                                  + downloads.data_link(cloud.to_svg().encode("utf-8"), f"{name}.svg", "SVG 图 · figure")
                                  + " " + downloads.table_link(cloud.words, f"{name}_terms"))

    # ------------------------------------------------------------------ a second speech
    def open_other(self, path: str | Path) -> bool:
        """Open a second speech to compare with the first."""
        if self.opened is None:
            return self._error("先打开一篇讲话 · open a speech first")
        other = self._load(str(path).strip())
        if other is None:
            return False
        self.other = other
        self.compare_out.value = comparison_view(self.opened, other, self.result.term if self.result else None)
        self.tabs.selected_index = 5
        return True

    def open_other_upload(self, name: str, content: bytes) -> bool:
        try:
            path = save_upload(name, content, self._uploads.name)
        except SpeechError as e:
            return self._error(str(e))
        return self.open_other(path)

    # ------------------------------------------------------------------ the pipeline
    def run_everything(self, *, selection: list[str] | None = None) -> Path | None:
        """Run the notebooks on the open speech into the output folder and offer the deck and a zip."""
        from ..deck import build_deck
        from ..runner import run

        op = self.opened
        if op is None:
            self._error("先打开一篇讲话 · open a speech first")
            return None
        self.run_out.value = "运行中 · running …"
        try:
            report = self._run(run, op, selection)
            folder = report.pages[0].parent if report.pages else None
            if folder is None:
                raise SpeechError(op.speech.path, "; ".join(report.failures + report.bad_input) or "nothing was made")
            deck = build_deck(op.speech.path, out_dir=folder.parent, out=folder / "deck.pptx")
            zipped = shutil.make_archive(str(Path(self._uploads.name) / folder.name), "zip", folder)
        except SpeechError as e:
            self.run_out.value = f'<span class="au-error">⚠ {html.escape(str(e))}</span>'
            return None
        failed = "".join(f"<li>{html.escape(f)}</li>" for f in report.failures)
        self.run_out.value = (f"<p>完成 · done: {html.escape(str(folder))}</p>"
                              + (f"<ul class='au-error'>{failed}</ul>" if failed else "")
                              + downloads.file_link(deck, "幻灯片 · slide deck (.pptx)") + " "
                              + downloads.file_link(zipped, "全部图表与表格 · every figure and table (.zip)"))
        return folder


    def _run(self, run, op: Opened, selection: list[str] | None):
        """``run`` on the open speech with its progress bar shown; raises what it raises."""
        report, problem = None, None
        with self.run_progress:  # an Output in a kernel swallows exceptions: carry them out
            try:
                report = run([op.speech.path], out_dir=self.out_box.value.strip() or None, selection=selection)
            except SpeechError as e:
                problem = e
        self.run_progress.clear_output()
        if problem is not None:
            raise problem
        return report


def comparison_view(first: Opened, second: Opened, term: str | None = None) -> str:
    """The comparison tab's HTML: both speeches' sizes, top terms and the looked-up term side by side,
    under the "what changed" ``diff(old, new)`` (issue 17) once the package has it."""
    return _diff_html(first, second) + _side_by_side(first, second, term)


#: The last pair compared and its HTML: a term lookup redraws the comparison tab without comparing again.
_LAST_DIFF: list[tuple[Opened, Opened, str]] = []


def _diff_html(first: Opened, second: Opened) -> str:
    """What changed from the first speech to the second (:func:`analysis_utils.changes.diff`): its
    summary table, the redline page to download and, below, the page itself; its one-line message
    when it refuses the pair. The same two opened speeches are compared once."""
    if _LAST_DIFF and _LAST_DIFF[0][0] is first and _LAST_DIFF[0][1] is second:
        return _LAST_DIFF[0][2]
    shown = _compare(first, second)
    _LAST_DIFF[:] = [(first, second, shown)]
    return shown


def _compare(first: Opened, second: Opened) -> str:
    from ..changes import diff
    from ..changes.render import redline_html

    try:
        d = diff(first.speech, second.speech)
    except SpeechError as e:
        return f'<p class="au-error">⚠ {html.escape(str(e))}</p>'
    page = redline_html(d)
    return ("<h4>改了什么 · What changed (第一篇 → 第二篇 first → second)</h4>"
            + _table_html(d.summary_table())
            + downloads.data_link(page.encode("utf-8"), "06_redline.html", "红线页面 redline page (HTML)", mime="text/html")
            + f'<iframe class="au-redline" style="width:100%;height:640px;border:1px solid #ccc" '
              f'srcdoc="{html.escape(page, quote=True)}"></iframe>')


def _side_by_side(first: Opened, second: Opened, term: str | None) -> str:
    rows = []
    for op in (first, second):
        top = "、".join(f"{t} {n}" for t, n in zip(op.freq["term"].head(10), op.freq["token_count"].head(10)))
        row = {"讲话 speech": op.title, "字数 Chinese characters": op.speech.han_chars,
               f"高频词（{HEADINGS['token_count']}）top terms": top}
        if term:
            r = look_up(op, term)
            row[f"{term}（{HEADINGS['substring_count']}）"] = r.substring_count
        rows.append(row)
    return _table_html(pd.DataFrame(rows))
