"""The explorer as its users see it (issue 19): ``voila notebooks/00_explorer.ipynb`` started as a real
process from the project folder, driven in Debian's Chromium with Playwright. A speech opened by
URL and by upload (.docx, GBK .txt), terms typed and a formulation clicked; every count and
passage shown is checked against the package's own results; nothing is fetched from the network.

Screenshots are saved in a temporary folder (printed, with the measured lookup times: run with -s).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import analysis_utils
from analysis_utils import Tokenizer, kwic, load_speech, substring_counts
from analysis_utils.explorer import look_up, open_speech_file, section_text, slogan_table

pytestmark = pytest.mark.slow  # a Voilà server, a kernel per page and a browser

ROOT = Path(__file__).resolve().parents[2]
SRC = Path(analysis_utils.__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WAIT_MS = 180_000  # a cold kernel on a busy 2-core machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """The base URL of a Voilà serving the explorer, started as the README says (from the project folder)."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium); "
                    "the explorer's browser test needs it")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    voila = shutil.which("voila", path=str(Path(sys.executable).parent)) or shutil.which("voila")
    if voila is None:
        pytest.skip("voila is not installed")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p)}
    proc = subprocess.Popen([voila, "notebooks/00_explorer.ipynb", "--no-browser", f"--port={port}",
                             "--Voila.ip=127.0.0.1"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "api", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"voila exited: {proc.stderr.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.5)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def screens() -> Path:
    """A folder in the system's temporary folder that outlives pytest's rotation of its own, to look at."""
    d = Path(tempfile.gettempdir()) / "analysis_utils_explorer_screenshots"
    d.mkdir(exist_ok=True)
    print(f"\nscreenshots: {d}")
    return d


class Page:
    """One browser tab on the explorer, recording every request that failed."""

    def __init__(self, browser, url: str):
        self.failed: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", lambda r: self.failed.append(f"{r.url} ({r.status})") if r.status >= 400 else None)
        self.page.goto(url, timeout=WAIT_MS)
        self.page.wait_for_selector(".au-status:has-text('已打开')", timeout=WAIT_MS)

    def upload(self, path: Path) -> None:
        """Choose a file with the upload button, as a user does."""
        with self.page.expect_file_chooser() as chooser:
            self.page.locator(".au-upload").first.click()
        chooser.value.set_files(str(path))

    def headline(self) -> str:
        return self.page.inner_text(".au-headline")

    def look_up(self, term: str) -> float:
        """Type a term and press Enter; the seconds until its count is shown."""
        self.tab("查词 · Term")
        box = self.page.locator(".au-term-box input")
        box.fill(term)
        t0 = time.perf_counter()
        box.press("Enter")
        self.page.wait_for_selector(f".au-headline:has-text('{term}：')", timeout=30_000)
        return time.perf_counter() - t0

    def passages(self, expected: list[str] | None = None) -> list[str]:
        """The hits listed, as left + hit + right; waits up to 10 s for ``expected`` (widgets update one by one)."""
        deadline = time.monotonic() + 10
        while True:
            rows = self.page.locator(".au-hits tr").all_inner_texts()[1:]  # the first row is the heading
            shown = ["".join(cell for cell in row.split("\t")[:3]) for row in rows]
            if expected is None or shown == expected or time.monotonic() > deadline:
                return shown
            time.sleep(0.2)

    def tab(self, title: str) -> None:
        self.page.get_by_role("tab", name=title).click()

    def shot(self, folder: Path, name: str) -> Path:
        path = folder / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def _context(speech, term: str) -> list[str]:
    """What the page must list for ``term``: the package's KWIC rows as left + hit + right."""
    rows = kwic(speech, term, window=20)
    return [(r.left + r.hit + r.right) for r in rows.itertuples()][:200]


def _count(speech, term: str) -> int:
    return int(substring_counts(speech, [term])["substring_count"].iloc[0])


def test_open_by_url_type_terms_click_a_formulation(browser, server, corpus_dir, screens):
    report = corpus_dir / "cpc20_report.txt"  # a 30,000-character Party Congress report
    speech = load_speech(report)
    url = server + "?" + urllib.parse.urlencode({"speech": str(report), "term": "改革"})
    tab = Page(browser, url)
    tab.page.wait_for_selector(".au-headline:has-text('改革：')", timeout=WAIT_MS)
    assert f"改革：{_count(speech, '改革')} 处" in tab.headline()
    assert tab.passages(_context(speech, "改革")) == _context(speech, "改革")
    tab.shot(screens, "1_url_term")

    times = {}
    for term in ("人民", "高质量发展", "中国式现代化"):
        times[term] = tab.look_up(term)
        assert f"{term}：{_count(speech, term)} 处" in tab.headline()
        assert tab.passages(_context(speech, term)) == _context(speech, term)
    print("\nterm lookup in the browser (30,000 characters): "
          + ", ".join(f"{t} {s:.2f} s" for t, s in times.items()))
    tab.shot(screens, "2_typed_term")

    opened = open_speech_file(report, Tokenizer())
    first = slogan_table(opened)["slogan"].iloc[0]
    tab.tab("提法 · Formulations")
    tab.shot(screens, "3_formulations")
    tab.page.locator(".au-slogans button").first.click()
    tab.page.wait_for_selector(f".au-headline:has-text('{first}：')", timeout=30_000)
    assert f"{first}：{_count(speech, first)} 处" in tab.headline()
    assert tab.passages(_context(speech, first)) == _context(speech, first)
    assert look_up(opened, first).substring_count == _count(speech, first)
    tab.page.wait_for_selector(f".au-download[download$='{first}_dispersion.png']", timeout=30_000)
    tab.shot(screens, "4_clicked_formulation")

    with tab.page.expect_download() as dl:
        tab.page.locator(f".au-download[download$='{first}_kwic.csv']").click()
    data = Path(dl.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").count("\n") == _count(speech, first) + 1

    tab.tab("词云 · Word cloud")
    tab.page.get_by_role("button", name="画词云 · Draw").click()
    tab.page.wait_for_selector(".au-download[download*='_wordcloud_'][download$='.png']", timeout=60_000)
    tab.shot(screens, "5_cloud")
    assert "IProgress" not in tab.page.inner_text("body")
    assert tab.failed == [], tab.failed


def test_open_by_upload_docx_and_gbk(browser, server, corpus_dir, screens, tmp_path):
    from docx import Document

    source = corpus_dir / "xi_2015_county_secretaries.txt"
    text = load_speech(source).body
    doc = Document()
    for line in source.read_text(encoding="utf-8-sig").splitlines():
        doc.add_paragraph(line)
    docx = tmp_path / "县委书记 讲话.docx"
    doc.save(docx)
    speech = load_speech(docx)
    assert speech.body == text  # the .docx holds the same speech

    tab = Page(browser, server)  # the seed opens first
    tab.upload(docx)
    tab.page.wait_for_selector(".au-status:has-text('县委书记 讲话.docx')", timeout=WAIT_MS)
    tab.shot(screens, "6_uploaded_docx")
    opened = open_speech_file(docx, Tokenizer())
    part = opened.outline.sections[0] if opened.outline.sections else next(iter(opened.outline.walk()))
    tab.page.locator(".au-tree button").nth([n.id for n in opened.outline.walk() if n.level <= 3].index(part.id)).click()
    tab.page.wait_for_function(
        "t => document.querySelector('.au-text').innerText.startsWith(t)", arg=section_text(opened, part.id)[:20])
    tab.shot(screens, "7_outline_part")
    for term in ("县委书记", "干部"):
        tab.look_up(term)
        assert f"{term}：{_count(speech, term)} 处" in tab.headline()
        assert tab.passages(_context(speech, term)) == _context(speech, term)

    gbk = tmp_path / "讲话_gbk.txt"
    gbk.write_bytes(source.read_text(encoding="utf-8-sig").encode("gbk"))
    tab.upload(gbk)
    tab.page.wait_for_selector(".au-status:has-text('讲话_gbk.txt')", timeout=WAIT_MS)
    tab.look_up("人民")
    assert f"人民：{_count(load_speech(gbk), '人民')} 处" in tab.headline()
    tab.shot(screens, "8_uploaded_gbk")

    bad = tmp_path / "photo.txt"  # a PNG renamed .txt
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    tab.upload(bad)
    tab.page.wait_for_selector(".au-status .au-error", timeout=WAIT_MS)
    status = tab.page.inner_text(".au-status")
    assert "photo.txt: this is a PNG image, not a text file" in status and "still open" in status
    tab.shot(screens, "9_bad_upload")
    assert tab.failed == [], tab.failed


def test_run_every_notebook_and_download_the_deck(browser, server, screens, tmp_path):
    """The pipeline button runs `run` from inside the Voilà kernel into the folder typed on the page and
    offers the deck and a zip of every output; the project's own figures/ is left alone."""
    import zipfile

    from pptx import Presentation

    before = sorted((p.name, p.stat().st_mtime_ns) for p in (ROOT / "figures").rglob("*"))
    tab = Page(browser, server)  # the seed
    tab.tab("运行全部 · Run all")
    out = tmp_path / "输出 out"
    tab.page.locator(".au-out input").fill(str(out))
    tab.page.locator(".au-out input").press("Tab")
    tab.page.get_by_role("button", name="运行全部笔记本 · Run every notebook").click()
    tab.page.wait_for_selector(".au-download[download='deck.pptx']", timeout=600_000)
    tab.shot(screens, "10_everything")
    with tab.page.expect_download() as dl:
        tab.page.locator(".au-download[download='deck.pptx']").click()
    deck = Path(dl.value.path())
    assert len(Presentation(deck).slides) > 5
    with tab.page.expect_download() as dl:
        tab.page.locator(".au-download[download$='.zip']").click()
    names = zipfile.ZipFile(dl.value.path()).namelist()
    assert {"01_outline_tree.png", "02_top_terms.svg", "03_lexicon_formulations.csv", "deck.pptx"} <= set(names)
    assert (out / "party_building_conference_speech" / "index.html").exists()
    assert sorted((p.name, p.stat().st_mtime_ns) for p in (ROOT / "figures").rglob("*")) == before
    assert tab.failed == [], tab.failed
