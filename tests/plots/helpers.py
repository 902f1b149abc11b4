"""What the plot tests draw from: term tables of word clouds, and real text of 2 to 90 parts."""
from __future__ import annotations

import json
import re
from pathlib import Path

from analysis_utils import term_frequency, with_origin
from analysis_utils.text import cn_numeral

#: A paragraph that would read as a heading of its own (一、 （一） 第一 1.): left out of a part's text.
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+|\d+[.、．])")


def cloud_terms(tokenizer, speech):
    """The term table a word cloud is drawn from (``term_frequency`` + ``with_origin``), as notebook 04 builds it."""
    tokens = tokenizer.tokens(speech)
    return with_origin(term_frequency(tokens, speech=speech), tokens, lexicon=tokenizer.lexicon)


def ninety_texts(corpus_dir: Path) -> list[tuple[str, str]]:
    """``(file name, text)`` of 90 real speeches: the 83 Xi speeches of the corpus (their bytes
    decoded as published) and the first Party Congress reports of the Wikisource table."""
    xi = sorted((corpus_dir / "xi_speeches_2013_2016").glob("*.txt"))
    texts = [(f.name, f.read_text(encoding="utf-8-sig")) for f in xi]
    with (corpus_dir / "wikisource" / "cpc_congress_reports.jsonl").open(encoding="utf-8") as lines:
        for i, line in enumerate(lines):
            if len(texts) >= 90:
                break
            row = json.loads(line)
            texts.append((f"cpc_{i:02d}.txt", row["title"] + "\n\n" + row["content"]))
    return texts


def write_folder(corpus_dir: Path, folder: Path, n: int) -> Path:
    """A folder of the first ``n`` of :func:`ninety_texts`, Xi speeches as their original bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    xi = corpus_dir / "xi_speeches_2013_2016"
    for name, text in ninety_texts(corpus_dir)[:n]:
        source = xi / name
        if source.is_file():
            (folder / name).write_bytes(source.read_bytes())
        else:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def write_speech_of_parts(corpus_dir: Path, path: Path, n: int, *, chars: int = 400) -> Path:
    """One speech of ``n`` numbered parts (一、… 九十、) on disk: each part the title of one of
    :func:`ninety_texts` and its first paragraphs (about ``chars`` characters)."""
    from analysis_utils import load_speech

    parts = []
    for k, (name, _) in enumerate(ninety_texts(corpus_dir)[:n], 1):
        source = corpus_dir / "xi_speeches_2013_2016" / name
        if not source.is_file():
            folder = write_folder(corpus_dir, path.parent / "ninety", 90)
            source = folder / name
        speech = load_speech(source)
        title = (speech.meta.title or name).split("_")[-1].strip()
        body, paragraphs = "", [p for p in speech.body.split("\n") if len(p.strip()) >= 40 and not _HEADING.match(p.strip())]
        for p in paragraphs:
            if len(body) >= chars:
                break
            body += p.strip() + "\n"
        parts.append(f"{cn_numeral(k)}、{title}\n{body}")
    path.write_text(f"{n}篇讲话选段\n\n" + "\n".join(parts), encoding="utf-8")
    return path
