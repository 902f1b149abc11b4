"""Rebuild the shipped reference frequency list (``data/reference_freq.tsv``).

Run it whenever the lexicon, the tokeniser or the loader changes, so the reference is
counted the same way as the speeches compared with it::

    python -m analysis_utils.build_reference                 # ../shared/corpus beside the project
    python -m analysis_utils.build_reference CORPUS_DIR --out FILE --min-count 2

It counts every speech file in CORPUS_DIR and its sub-folders (README files skipped) with
``Tokenizer()`` defaults and writes only aggregated counts (``term<TAB>count``) with a
header saying how they were computed (:func:`analysis_utils.stats.write_reference_frequencies`).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .config import PROJECT_ROOT
from .errors import SpeechError
from .reading import speech_files
from .stats import REFERENCE_FREQ_FILE, REFERENCE_MIN_COUNT, write_reference_frequencies

#: The development corpus, beside the checkout (see its README.md).
DEFAULT_CORPUS_DIR = PROJECT_ROOT.parent / "shared" / "corpus"


def corpus_paths(corpus_dir: str | Path) -> list[Path]:
    """Every speech in ``corpus_dir`` and its sub-folders (README skipped), sorted by path.

    Example:
        >>> from analysis_utils.config import SEEDS_DIR
        >>> [p.name for p in corpus_paths(SEEDS_DIR)]
        ['party_building_conference_speech.txt']
    """
    return speech_files(corpus_dir, recursive=True)


def main(argv: list[str] | None = None) -> int:
    """The command line: count the speeches of ``CORPUS_DIR`` and write the reference list.

    Args:
        argv: the arguments (``None`` = ``sys.argv[1:]``): ``[CORPUS_DIR] [--out FILE] [--min-count N]``.

    Returns:
        The exit status: 0 when written, 2 (after a one-line ``error:`` message) for a
        missing folder or one without speeches.

    Example:
        >>> main(["/nonexistent/corpus"])
        error: /nonexistent/corpus: no such file
        2
    """
    p = argparse.ArgumentParser(prog="python -m analysis_utils.build_reference",
                                description="重建参照词频表 Rebuild the shipped reference frequency list.")
    p.add_argument("corpus_dir", nargs="?", default=str(DEFAULT_CORPUS_DIR),
                   help="folder of speeches (default: ../shared/corpus beside the project)")
    p.add_argument("--out", default=str(REFERENCE_FREQ_FILE), help="default: the package's data/reference_freq.tsv")
    p.add_argument("--min-count", type=int, default=REFERENCE_MIN_COUNT, help="keep terms counted at least N times")
    args = p.parse_args(argv)
    corpus = Path(args.corpus_dir)
    try:
        paths = corpus_paths(corpus)
        folders = sorted({q.parent.name for q in paths})
        note = (f"every speech file in {corpus.name}/ and its sub-folders ({', '.join(folders)}): "
                + ", ".join(f"{sum(q.parent.name == f for q in paths)} in {f}/" for f in folders))
        out = write_reference_frequencies(paths, args.out, min_count=args.min_count, corpus_note=note)
    except SpeechError as e:
        print(f"error: {e}")
        return 2
    print(f"wrote {out} from {len(paths)} speeches")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
