"""Does decoded text read as Chinese: the shares of common and frequent characters, counted fast."""
from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis_utils.reading.chinese import _problem, common_han, frequent_han, read_as_chinese
from analysis_utils.text import HAN_RE

_LETTERS = list("的是国人们黨會議讲话㐀㐁鿿豈丂丄丶亍乛") + list("かなカナ오늘회의") + ["\ue000", "\U000f0000"] + list("，。 \nAb1")


def _reading_before(text: str, guessed: bool):
    """What read_as_chinese gave before issue 20: a Counter of every Chinese character."""
    han = Counter(HAN_RE.findall(text))
    n_han = sum(han.values())
    common = sum(n for c, n in han.items() if c in common_han())
    frequent = sum(n for c, n in han.items() if c in frequent_han()) if guessed else 0
    score = (common / n_han, frequent / n_han) if n_han else (0.0, 0.0)
    return _problem(text, n_han, common, frequent, guessed), score


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(_LETTERS), max_size=80).map("".join), guessed=st.booleans())
def test_the_reading_counts_what_a_counter_of_every_character_counted(text, guessed):
    reading = read_as_chinese(text, guessed=guessed)
    assert (reading.problem, reading.score) == _reading_before(text, guessed)


def test_every_corpus_text_reads_as_before(corpus_dir, seed_path):
    for f in [seed_path, *sorted(corpus_dir.rglob("*.txt"))]:
        text = f.read_text(encoding="utf-8-sig")
        reading = read_as_chinese(text, guessed=True)
        assert (reading.problem, reading.score) == _reading_before(text, True), f.name


def test_the_reading_says_how_many_chinese_characters_the_whole_text_holds():
    from analysis_utils.text import count_han

    text = "在党建工作会议上的讲话。同志们：" * 10
    assert read_as_chinese(text).han == count_han(text) == 140
    assert read_as_chinese(text * 2000).han is None  # only a sample of a long text is read
