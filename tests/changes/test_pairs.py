"""Which pairs ``run --diff`` compares: two texts, or each consecutive pair of a dated series."""
from __future__ import annotations

import pytest

from analysis_utils import SpeechError
from analysis_utils.changes.pairs import consecutive_pairs, default_pair


def test_a_folder_of_dated_reports_gives_each_consecutive_pair(tmp_path):
    for year in (2023, 2021, 2022):  # written out of order; dated by their names
        (tmp_path / f"{year - 2020:03d}_{year}-03-05.txt").write_text(f"{year}年政府工作报告\n各位代表：\n今年经济稳定增长。\n",
                                                                     encoding="utf-8")
    pairs = consecutive_pairs([tmp_path])
    assert [(a[-14:-10], b[-14:-10]) for a, b in pairs] == [("2021", "2022"), ("2022", "2023")]


def test_a_table_gives_its_rows_by_date(corpus_dir):
    table = corpus_dir / "wikisource" / "government_work_reports.jsonl"
    pairs = consecutive_pairs([table])
    assert pairs[-1] == default_pair(table)
    assert all(a.startswith(f"{table}#") for a, _ in pairs) and len(pairs) >= 40


@pytest.mark.parametrize("make, problem", [
    (lambda d: [d / "one.txt"], "is one speech"),
    (lambda d: [d], "holds fewer than two speeches"),
    (lambda d: [d / "one.txt"] * 3, "3 paths given"),
])
def test_no_pair_is_one_line(tmp_path, make, problem):
    (tmp_path / "one.txt").write_text("讲话\n同志们：\n今天开会。\n", encoding="utf-8")
    with pytest.raises(SpeechError, match=problem):
        consecutive_pairs(make(tmp_path))
