"""The runner's order of work and its start-up (issue 20): the longest notebooks first, jieba's dictionary
made once in the package's cache for every kernel. Real worker processes; the notebooks themselves are
replaced by a stand-in that notes what ran (the notebooks are run for real in tests/e2e/test_pipeline.py)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis_utils import runner

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def order(monkeypatch, tmp_path) -> Path:
    """Notebooks do not run: each worker notes ``<notebook number> <output id>`` in the returned file."""
    log = tmp_path / "order.txt"

    def stand_in(nb: Path, path: Path, out_id: str, out_root: Path, extra: dict | None = None) -> float:
        with open(log, "a", encoding="utf-8") as fh:  # a worker is a fork of the test: it sees this stand-in
            fh.write(f"{nb.name[:2]} {out_id}\n")
        return 0.0

    monkeypatch.setattr(runner, "_execute", stand_in)
    return log


def _ran(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").split("\n")[:-1]


def test_run_starts_the_longest_notebook_first(order, seed_path, tmp_path):
    # before issue 20: 01 02 03 04 05, so 04 (then the longest) started third and ran alone at the end
    report = runner.run([seed_path], out_dir=tmp_path / "out", progress=False, jobs_at_once=1)
    assert report.ok
    assert [line.split()[0] for line in _ran(order)] == ["03", "02", "04", "05", "01"]
    assert sorted(nb for _, nb, _ in report.done) == [p.name for p in runner.notebooks() + runner.notebooks(pattern=runner.COMPARE)]


def test_a_folder_s_comparison_starts_before_the_notebooks_of_its_speeches(order, corpus_dir, tmp_path):
    folder = tmp_path / "speeches"
    folder.mkdir()
    for p in sorted((corpus_dir / "xi_speeches_2013_2016").glob("*.txt"))[:2]:
        shutil.copy(p, folder / p.name)
    report = runner.run([folder], out_dir=tmp_path / "out", progress=False, jobs_at_once=1)
    assert report.ok
    ran = _ran(order)
    assert ran[0] == "05 speeches" and len(ran) == 1 + 2 * 5
    assert [line.split()[0] for line in ran[1:]] == ["03", "03", "02", "02", "04", "04", "05", "05", "01", "01"]


def test_run_makes_jieba_s_dictionary_once_for_every_kernel(order, seed_path, tmp_path, monkeypatch):
    """Each notebook's tokenizers (up to three a kernel) parsed jieba's dict.txt, 0.5–0.8 s each: after a run
    the package's cache holds the dictionary and a new process reads it there."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(cache))
    assert runner.run([seed_path], out_dir=tmp_path / "out", progress=False, selection=["01"]).ok
    assert any(p.is_file() for p in cache.rglob("*"))
    probe = ("import jieba\n"
             "def refuse(*_):\n"
             "    raise SystemExit('dict.txt parsed again')\n"
             "jieba.Tokenizer.gen_pfdict = staticmethod(refuse)\n"
             "from analysis_utils.tokenizer import new_jieba\n"
             "print(new_jieba().lcut('中华人民共和国成立'))\n")
    kernel = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "ANALYSIS_UTILS_CACHE": str(cache), "PYTHONPATH": str(ROOT / "src")})
    assert kernel.returncode == 0, kernel.stderr
    assert kernel.stdout.strip() == "['中华人民共和国', '成立']"


def test_a_cache_folder_that_cannot_be_made_changes_nothing(order, seed_path, tmp_path, monkeypatch):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("ANALYSIS_UTILS_CACHE", str(blocker / "cache"))
    report = runner.run([seed_path], out_dir=tmp_path / "out", progress=False, selection=["01"])
    assert report.ok and report.failures == [] and [line.split()[0] for line in _ran(order)] == ["01"]
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_the_dictionary_is_made_while_the_first_notebooks_start(order, seed_path, tmp_path, monkeypatch):
    """Before (issue 20): ``run`` made jieba's dictionary (0.8 s in an empty cache folder) before it started
    any notebook, on one core, while the others waited; a kernel reads it only seconds after it starts.
    After: it is made in a process of its own while the first notebooks start, and ``run`` waits for it
    before it returns. Here making it takes 1.5 s: the notebook starts (and ends) meanwhile."""
    import time

    def slow_warm() -> None:  # runs in a fork of the test: it sees this stand-in
        time.sleep(1.5)
        with open(order, "a", encoding="utf-8") as fh:
            fh.write(f"made {os.getpid()}\n")

    monkeypatch.setattr(runner, "warm_dictionary", slow_warm)
    report = runner.run([seed_path], out_dir=tmp_path / "out", progress=False, selection=["01"])
    assert report.ok
    with open(order, "a", encoding="utf-8") as fh:
        fh.write("returned\n")
    ran = _ran(order)
    assert [line.split()[0] for line in ran] == ["01", "made", "returned"]
    assert int(ran[1].split()[1]) != os.getpid()  # made in a process of its own


def test_run_starts_without_building_jsonschema_s_iri_grammar(seed_path, tmp_path):
    """Before (issue 20): importing papermill in ``run`` (before any notebook can start, on one core) imported
    jsonschema's optional IRI format check, which builds a Lark grammar (0.8 s of CPU) that no notebook check
    uses (nbformat's schemas have no ``format`` keyword). After: left out while papermill is imported; the
    notebooks are still validated as before, and the module can still be imported afterwards."""
    probe = ("import sys\n"
             "from pathlib import Path\n"
             "from analysis_utils import runner\n"
             "runner._execute = lambda nb, path, out_id, out_root, extra=None: 0.0\n"
             f"assert runner.run([{str(seed_path)!r}], out_dir={str(tmp_path / 'out')!r}, progress=False, selection=['01']).ok\n"
             "print(sys.modules.get('rfc3987_syntax') is not None)\n"
             "import nbformat\n"
             "nb = nbformat.read(str(runner.notebooks(['01'])[0]), as_version=4)\n"
             "nbformat.validate(nb)\n"
             "nb.cells[0]['cell_type'] = 'no such type'\n"
             "print(nbformat.validator.isvalid(nb))\n"
             "import rfc3987_syntax\n")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False"]  # not imported; a bad notebook still found bad


@pytest.mark.slow
def test_a_kernel_is_ended_at_once_after_its_last_cell(tmp_path):
    """Before (issue 20): after the last cell, papermill asked the kernel to shut down and waited until it had
    (about a second per notebook: its exit handlers, Python's own finalisation), in which the worker could
    not start the next notebook. After: ended at once (its process group killed); the executed notebook
    has every output. Here a real kernel runs a notebook that registers an exit handler: it runs when a
    kernel is let finish on its own, never now."""
    import nbformat

    mark = tmp_path / "exit handler ran"
    code = ("import atexit\n"
            f"atexit.register(lambda: open({str(mark)!r}, 'w').close())\n"
            "print('last cell done')\n")
    nb = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)],
                                            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                     "language": "python"}}), nb)
    runner._papermill(nb, tmp_path / "out.ipynb", {})
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert out.cells[0].outputs[0]["text"] == "last cell done\n"
    assert not mark.exists()  # not let finish on its own
