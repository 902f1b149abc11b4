"""Rebuild the shipped reference frequency lists (``data/reference_*.tsv``).

Run it whenever the lexicon, the tokeniser or the loader changes, so the references are
counted the same way as the speeches compared with them::

    python -m analysis_utils.build_reference --genre all          # every shipped list, from ../shared/corpus
    python -m analysis_utils.build_reference --genre gwr          # one of them
    python -m analysis_utils.build_reference SOURCE … --genre speeches --out FILE --min-count 2 --top 30000

Genres and the texts of the development corpus each list is built from (:data:`GENRE_SOURCES`):
``gwr`` the Government Work Reports (Wikisource, 1954–2022), ``congress`` the Party Congress
reports (Wikisource, 1st–16th, and the 20th), ``speeches`` Xi Jinping's speeches 2013–2016,
``general`` every speech file of the corpus (the older mixed list). SOURCE (files, folders,
CSV/JSONL tables) replaces a genre's texts. Speeches are cut on all cores by the corpus engine
(:mod:`analysis_utils.scale`) with ``Tokenizer()`` defaults; only aggregated counts are written
(``term<TAB>count<TAB>pos``, the :data:`~analysis_utils.stats.reference.REFERENCE_TOP` most
frequent terms counted at least twice), with a header giving the texts, their years and how
they were counted (:func:`analysis_utils.stats.write_reference_frequencies`).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .config import PROJECT_ROOT
from .errors import SpeechError
from .reading import speech_files
from .stats.reference import (
    GENRE_LABELS,
    REFERENCE_FILES,
    REFERENCE_MIN_COUNT,
    REFERENCE_TOP,
    load_reference_frequencies,
    write_reference_frequencies,
)

#: The development corpus, beside the checkout (see its README.md).
DEFAULT_CORPUS_DIR = PROJECT_ROOT.parent / "shared" / "corpus"
#: The texts of each genre's list, inside the corpus folder, and where they come from.
GENRE_SOURCES = {
    "gwr": (("wikisource/government_work_reports.jsonl",),
            "the Government Work Reports of zh.wikisource.org as scraped by aldohemsn/chinese-political-corpora"),
    "congress": (("wikisource/cpc_congress_reports.jsonl", "cpc20_report.txt"),
                 "the Party Congress reports of zh.wikisource.org (1st–16th) as scraped by"
                 " aldohemsn/chinese-political-corpora, and the 20th Congress report"
                 " (ChujinQQ/wordcloud-of-20th-congress-report)"),
    "speeches": (("xi_speeches_2013_2016", "xi_2015_county_secretaries.txt"),
                 "Xi Jinping's speeches 2013–2016 (JongSeokJang/Xi-Jinping-Speech-Analysis-with-R, dataset_raw/)"),
}


def corpus_paths(corpus_dir: str | Path) -> list[Path]:
    """Every speech in ``corpus_dir`` and its sub-folders (README skipped), sorted by path.

    Example:
        >>> from analysis_utils.config import SEEDS_DIR
        >>> [p.name for p in corpus_paths(SEEDS_DIR)]
        ['party_building_conference_speech.txt']
    """
    return speech_files(corpus_dir, recursive=True)


def _general(sources: list[Path]) -> tuple[list[Path], str]:
    """The speech files of the folders given (files as given) and a note on them."""
    paths = [p for s in sources for p in (corpus_paths(s) if s.is_dir() else [s])]
    folders = sorted({q.parent.name for q in paths})
    where = " and ".join(f"{s.name}/" for s in sources if s.is_dir()) or "the files given"
    note = (f"every speech file in {where} and its sub-folders ({', '.join(folders)}): "
            + ", ".join(f"{sum(q.parent.name == f for q in paths)} in {f}/" for f in folders))
    return paths, note


def _build(genre: str, sources: list[Path], corpus: Path, out: Path, args) -> str:
    """Write one list; returns the line to print."""
    if genre == "general":
        source, note = _general(sources or [corpus])
    elif sources:
        source, note = sources, "the texts given: " + ", ".join(s.name for s in sources)
    else:
        names, origin = GENRE_SOURCES[genre]
        source, note = [corpus / n for n in names], f"{', '.join(names)} of {corpus.name}/: {origin}"
    write_reference_frequencies(source, out, min_count=args.min_count, top=args.top, genre=genre,
                                workers=args.workers, corpus_note=note)
    return f"wrote {out} from {len(load_reference_frequencies(out).sources)} speeches"


def main(argv: list[str] | None = None) -> int:
    """The command line: count the speeches of a genre and write its reference list.

    Args:
        argv: the arguments (``None`` = ``sys.argv[1:]``):
            ``[SOURCE …] [--genre G|all] [--corpus DIR] [--out FILE] [--min-count N] [--top N] [--workers N]``.

    Returns:
        The exit status: 0 when written, 2 (after a one-line ``error:`` message) for a
        missing source or one without speeches.

    Example:
        >>> main(["/nonexistent/corpus"])
        error: /nonexistent/corpus: no such file or folder
        2
    """
    p = argparse.ArgumentParser(prog="python -m analysis_utils.build_reference",
                                description="重建参照词频表 Rebuild the shipped reference frequency lists.")
    p.add_argument("sources", nargs="*", help="speech files, folders or CSV/JSONL tables"
                   " (default: the genre's texts in the corpus folder; general: every speech file of it)")
    p.add_argument("--genre", default="general", choices=[*GENRE_LABELS, "all"],
                   help="which list (default general; all = every shipped list, to its place in the package)")
    p.add_argument("--corpus", default=str(DEFAULT_CORPUS_DIR), help="the corpus folder (default: ../shared/corpus)")
    p.add_argument("--out", default=None, help="the file written (default: the genre's list in the package)")
    p.add_argument("--min-count", type=int, default=REFERENCE_MIN_COUNT, help="keep terms counted at least N times")
    p.add_argument("--top", type=int, default=REFERENCE_TOP, help="keep at most the N most frequent terms")
    p.add_argument("--workers", type=int, default=None, help="processes cutting speeches (default: all cores)")
    args = p.parse_args(argv)
    if args.genre == "all" and (args.sources or args.out):
        p.error("--genre all writes every shipped list from the corpus folder: give no SOURCE and no --out")
    genres = list(GENRE_LABELS) if args.genre == "all" else [args.genre]
    try:
        for genre in genres:
            out = Path(args.out) if args.out else REFERENCE_FILES[genre]
            print(_build(genre, [Path(s) for s in args.sources], Path(args.corpus), out, args))
    except SpeechError as e:
        print(f"error: {e}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
