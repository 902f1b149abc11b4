"""The command line: ``python -m analysis_utils COMMAND …``.

Every command reports bad input as one line on stderr naming the file and the problem,
and exits with status 2; it never prints a traceback. Flags keep the short names users type
(``--top N``); inside, they carry the package's names (``top_n``). A folder given to ``count``,
``terms`` or ``slogans`` is read with its sub-folders, as the corpus functions read it; a CSV/JSONL
table of texts is read like a folder (``info TABLE`` lists its rows), and ``TABLE#<id>`` names one row
wherever one speech is expected. A speech published twice in a folder or table (a near-duplicate) is
named on stderr and counted once unless ``--keep-duplicates``. Every
CSV printed goes through :func:`~analysis_utils.outputs.csv_safe` (no cell a spreadsheet runs).

Example:
    >>> from analysis_utils.config import SEED_SPEECH
    >>> main(["count", str(SEED_SPEECH), "组织", "--format", "csv"])
    term,substring_count,per_10k
    组织,30,98.94
    0
"""
from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from pathlib import Path
from typing import Literal

from . import config
from .errors import SpeechError, printable
from .outputs import atomic_write, csv_safe, join_list_columns
from .reading import load_speech
from .text import position_summary

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
#: Flags that count something: (attribute, flag, the least value that makes sense).
COUNTS = (("top_n", "--top", 1), ("depth", "--depth", 1), ("window", "--window", 0), ("jobs", "--jobs", 1),
          ("min_len", "--min-len", 1))


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse counts below what makes sense and empty terms, in one line each.

    Example:
        >>> check_arguments(build_parser().parse_args(["terms", "speech.txt", "--top", "-1"]))
        Traceback (most recent call last):
        ...
        analysis_utils.errors.SpeechError: --top must be 1 or more, not -1
    """
    for attr, flag, least in COUNTS:
        value = getattr(args, attr, None)
        if value is not None and value < least:
            raise SpeechError(None, f"{flag} must be {least} or more, not {value}")
    terms = getattr(args, "terms", None) or [getattr(args, "term", None)]
    if any(t is not None and not t.strip() for t in terms):
        raise SpeechError(None, "a term cannot be empty or white space only")


def _table_text(df, fmt: str) -> str:
    """``df`` as the command prints it: CSV (through :func:`csv_safe`), JSON records or aligned text."""
    if fmt == "csv":
        return csv_safe(df).to_csv(index=False)
    if fmt == "json":
        return json.dumps(df.to_dict(orient="records"), ensure_ascii=False, indent=2) + "\n"
    return df.to_string(index=False) + "\n"


def _empty_file(stream) -> bool:
    """Whether ``stream`` writes to a regular file that is still empty (``> out.csv``), not a terminal or pipe."""
    try:
        st = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):  # a stream a test or notebook captures
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == 0


def _emit(text: str, out: str | None = None, *, csv: bool = False) -> None:
    """Print ``text``, or write it to the file ``out`` (``--out``). A CSV written to a file
    starts with a UTF-8 byte order mark, so Excel reads the Chinese right; on a terminal or
    through a pipe it does not."""
    if out:
        atomic_write(Path(out), lambda tmp: tmp.write_text(text, encoding="utf-8-sig" if csv else "utf-8"))
        return
    if csv and _empty_file(sys.stdout):
        text = "\ufeff" + text
    sys.stdout.write(text)


def _emit_table(df, fmt: str, out: str | None = None) -> None:
    _emit(_table_text(df, fmt), out, csv=fmt == "csv")


#: Widest cells of the ``slogans`` text table, in terminal columns (a Chinese character takes two).
SLOGAN_COLUMNS = {"slogan": 24, "kind": 8, "formulation_count": 5, "detail": 20, "sections": 10, "positions": 32}
#: Positions listed in full up to this many; more are summarised (``12 处: 269, 479, 2986 …``).
def slogans_text(df) -> str:
    """The ``slogans`` table of one speech for a terminal: one line per formulation, at most about
    110 columns (long texts cut with ``…``, long position lists summarised), Chinese aligned.

    Example:
        >>> import pandas as pd
        >>> print(slogans_text(pd.DataFrame({"slogan": ["三会一课"], "kind": ["number"], "formulation_count": [5],
        ...       "detail": ["lexicon, in quotes"], "sections": [[1, 2]], "positions": [[9, 80, 300, 412, 977]]})), end="")
        slogan    kind    formulation_count  detail              sections  positions
        三会一课  number                  5  lexicon, in quotes  1;2       5 处: 9, 80, 300 …
    """
    from .plots.style import display_width

    def clip(text: str, cols: int) -> str:
        while display_width(text) > cols:
            text = text[:-2] + "…"
        return text

    cells = {"slogan": [clip(str(s), SLOGAN_COLUMNS["slogan"]) for s in df["slogan"]],
             "kind": [str(k) for k in df["kind"]], "formulation_count": [str(c) for c in df["formulation_count"]],
             "detail": [clip(str(d), SLOGAN_COLUMNS["detail"]) for d in df["detail"]],
             "sections": [clip(";".join(map(str, s)), SLOGAN_COLUMNS["sections"]) for s in df["sections"]],
             "positions": [position_summary(list(p)) for p in df["positions"]]}
    widths = {col: max([display_width(col), *map(display_width, values)]) for col, values in cells.items()}

    def line(row: dict[str, str]) -> str:
        out = [row[c].rjust(widths[c]) if c == "formulation_count" else row[c] + " " * (widths[c] - display_width(row[c]))
               for c in cells]
        return "  ".join(out).rstrip()

    rows = [line({c: c for c in cells})] + [line({c: cells[c][i] for c in cells}) for i in range(len(df))]
    return "\n".join(rows) + "\n"


def _is_corpus(path: Path, *, folders: bool = True) -> bool:
    """A folder (when ``folders``) or a CSV/JSONL table of speeches (a row ``table#id`` is one speech)."""
    from .reading.load import TABLE_SUFFIXES

    return (folders and path.is_dir()) or path.suffix.lower() in TABLE_SUFFIXES


def _add_scheduler(s) -> None:
    s.add_argument("--scheduler", metavar="ADDRESS",
                   help="a folder or table: cut and count on the workers of this Dask scheduler (tcp://host:8786) "
                        "instead of this machine's cores; same table")


def _duplicates(args) -> Literal["drop", "keep"]:
    """The ``duplicates=`` of the corpus functions: what ``--keep-duplicates`` asks."""
    return "keep" if getattr(args, "keep_duplicates", False) else "drop"


# ------------------------------------------------------------------------- commands
def cmd_info_table(args) -> int:
    """``info TABLE``: one line (or one info object) per row; a row that cannot be read is named on
    stderr and the others are still listed (exit 2)."""
    from .scale import Corpus

    infos, rows, bad = [], [], 0
    corpus = Corpus(args.file)
    for d in corpus.near_duplicates():
        print(f"note: {d.note(keep=None)}; count, terms, slogans and run count it once unless --keep-duplicates",
              file=sys.stderr)
    for item, speech in corpus.speeches(errors="skip"):
        if isinstance(speech, SpeechError):
            print(f"error: {speech}", file=sys.stderr)
            bad += 1
            continue
        info = speech.info()
        infos.append(info)
        rows.append((item.id, info["title"] or item.title, info["date"] or item.date, info["speaker"],
                     info["han_chars"], len(info["removed"])))
    if args.format == "json":
        print(json.dumps(infos, ensure_ascii=False, indent=2))
    else:
        import pandas as pd

        df = pd.DataFrame(rows, columns=["id", "title", "date", "speaker", "han_chars", "removed"])
        print(df.fillna("").to_string(index=False))
    return EXIT_BAD_INPUT if bad else 0


def cmd_info(args) -> int | None:
    if _is_corpus(Path(args.file), folders=False):
        return cmd_info_table(args)
    _info_speech(args)
    return None


def _info_speech(args) -> None:
    speech = load_speech(args.file)
    info = speech.info()
    if args.format == "json":
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return
    labels = [("file", "文件 file"), ("encoding", "编码 encoding"), ("title", "标题 title"),
              ("subtitle", "副标题 subtitle"), ("date", "日期 date"), ("place", "地点 place"),
              ("speaker", "讲话人 speaker"), ("salutation", "称呼 salutation"),
              ("han_chars", "汉字数 Chinese characters"), ("paragraphs", "段落 paragraphs"),
              ("sentences", "句子 sentences")]
    for key, label in labels:
        if info[key] is not None:
            print(f"{label}: {info[key]}")
    for note in info["normalisation"]:
        print(f"规范化 normalised: {note}")
    ph = info["placeholders"]
    print(f"占位符 placeholders: {ph['count']}" + (f" ({' '.join(ph['distinct'])})" if ph["count"] else ""))
    print(f"已移除 removed: {len(info['removed'])} span(s)")
    for r in info["removed"]:
        text = r["text"].replace("\n", " ⏎ ")
        print(f"  - {r['reason']} [{r['lines']} line(s), {r['chars']} chars]: {text[:120]}{'…' if len(text) > 120 else ''}")


def cmd_count(args) -> None:
    from .stats import substring_counts

    target = Path(args.file)
    if _is_corpus(target):
        from .scale import corpus_substring_counts

        # a folder: sub-folders too
        _emit_table(corpus_substring_counts(target, args.terms, duplicates=_duplicates(args),
                                             scheduler=args.scheduler), args.format, args.out)
        return
    speech = load_speech(target)
    _emit_table(substring_counts(speech, args.terms), args.format, args.out)


def cmd_tokens(args) -> None:
    from .tokenizer import Tokenizer

    speech = load_speech(args.file)
    tok = Tokenizer(lexicon_files=args.lexicon or ())
    _emit_table(tok.tokens(speech, pos=not args.no_pos), "csv", args.out)


def cmd_terms(args) -> None:
    from .stats import term_frequency
    from .tokenizer import Tokenizer

    pos = [x.strip() for x in args.pos.split(",") if x.strip()] if args.pos else None
    if args.pos is not None and not pos:
        raise SpeechError(None, "--pos needs jieba tag prefixes separated by commas, e.g. n,v,a")
    target = Path(args.path)
    if _is_corpus(target):  # the corpus path (sub-folders too): all cores, cached tokens, same table as corpus_frequency
        from .scale import corpus_term_frequency

        df = corpus_term_frequency(target, lexicon_files=args.lexicon or (), top=args.top_n, pos=pos,
                                   min_len=args.min_len, by_speech=True, duplicates=_duplicates(args),
                                   scheduler=args.scheduler)
    else:
        tok = Tokenizer(lexicon_files=args.lexicon or ())
        speech = load_speech(target)
        df = term_frequency(tok.tokens(speech), speech=speech, pos=pos, min_len=args.min_len)
        df = df.head(args.top_n) if args.top_n else df
    _emit_table(df, args.format, args.out)


def cmd_kwic(args) -> None:
    from .stats import kwic

    speech = load_speech(args.file)
    df = kwic(speech, args.term, window=args.window)
    if args.format == "text":
        if df.empty:
            print(f"0 hits for {args.term!r} in {printable(speech.path.name)}")
            return
        import unicodedata

        def width(text: str) -> int:  # terminal columns: Chinese characters take two
            return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

        w = max(width(x) for x in df["left"])
        _emit("".join(f"{' ' * (w - width(r.left))}{r.left} 【{r.hit}】 {r.right}  [§{r.section} ¶{r.paragraph}]\n"
                      for r in df.itertuples(index=False)), args.out)
        print(f"{len(df)} 处 · {len(df)} hit(s) (子串计数 substring count)", file=sys.stderr)
    else:
        _emit_table(df, args.format, args.out)


def cmd_run(args) -> int:
    import time

    from .runner import run

    if not args.paths:
        return _run_main_job(args)
    if getattr(args, "diff", False):
        return _run_diff(args)
    if getattr(args, "watchwords", False):
        return _run_watchwords(args, args.paths)

    t0 = time.perf_counter()
    report = run(args.paths, out_dir=args.out, selection=args.notebooks, progress=not args.quiet, jobs_at_once=args.jobs,
                 duplicates=_duplicates(args))
    _print_pages(report.pages)
    print(f"{len(report.done)} notebook run(s) succeeded in {time.perf_counter() - t0:.0f} s, "
          f"{len(report.failures)} failed, {len(report.bad_input)} bad input file(s)", file=sys.stderr)
    if report.interrupted:
        print(f"interrupted: {len(report.interrupted)} notebook run(s) stopped or not started; "
              "the index lists what finished", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0 if report.ok else (EXIT_BAD_INPUT if report.bad_input and not report.failures else 1)


def _run_main_job(args) -> int:
    """``run`` with no path: every notebook on the seed (01–05), then notebook 06 on the 2021 and
    2022 Government Work Reports and notebook 07 on all of them, from the development corpus beside
    the project (when it is not there: 06 is left out with a note, 07 runs on ``seeds/``)."""
    from .changes.pairs import default_pair

    if args.diff or args.watchwords:
        raise SpeechError(Path("run"), "--diff and --watchwords need the paths to compare or follow")
    args.paths = [str(config.SEED_SPEECH)]
    codes = [cmd_run(args)]
    pair = default_pair()
    if pair is None:
        print(f"note: notebook 06 (what changed) left out: the development corpus is not at {config.DEV_REPORTS}; "
              "run it on two reports with: run OLD NEW --diff", file=sys.stderr)
    else:
        args.paths = list(pair)
        codes.append(_run_diff(args))
    codes.append(_run_watchwords(args, []))
    return max(codes)


def _run_watchwords(args, paths: list[str]) -> int:
    """``run CORPUS --watchwords``: notebook 07 on one dated corpus (none: the development corpus)."""
    from .runner import run_watchwords

    if len(paths) > 1:
        raise SpeechError(Path(paths[1]), f"--watchwords follows one corpus (a folder or a table), {len(paths)} paths given")
    report = run_watchwords(paths[0] if paths else None, out_dir=args.out)
    _print_pages(report.pages)
    for line in report.bad_input + report.failures:
        print(f"error: {line}", file=sys.stderr)
    print(f"{len(report.done)} watchwords notebook run(s), {len(report.failures)} failed", file=sys.stderr)
    return 0 if report.ok else 1


def _run_diff(args) -> int:
    """``run OLD NEW --diff``: notebook 06 on the pair, or on each consecutive pair of a folder or table."""
    from .runner import run_diff

    report = run_diff(args.paths, out_dir=args.out, progress=not args.quiet)
    _print_pages(report.pages)
    for line in report.bad_input + report.failures:
        print(f"error: {line}", file=sys.stderr)
    print(f"{len(report.done)} pair(s) compared, {len(report.failures)} failed, {len(report.bad_input)} bad input",
          file=sys.stderr)
    return 0 if report.ok else (EXIT_BAD_INPUT if report.bad_input and not report.failures else 1)


def _print_pages(pages: list) -> None:
    """Where the report pages of a run are: one line per page, or one summary line for many."""
    if len(pages) <= 10:
        for page in pages:
            print(f"report: {page}")
    elif pages:
        print(f"report: {len(pages)} pages, {pages[0].parent.parent}/*/index.html; the last: {pages[-1]}")


def cmd_deck(args) -> None:
    from .deck import build_deck

    print(build_deck(args.target, out=args.out, out_dir=args.figures, appendix=not args.no_appendix))


def cmd_outline(args) -> None:
    from .outline import build_outline

    outline = build_outline(load_speech(args.file))
    if args.format == "json":
        print(json.dumps(outline.to_dict(), ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        print(outline.to_markdown(depth=args.depth), end="")
    else:
        print(outline.to_text(depth=args.depth))


def cmd_cloud(args) -> None:
    from .outputs import figure_dir, inside
    from .plots.clouds import save_wordcloud, slogan_terms, textplot_comparison_cloud, textplot_wordcloud, with_origin
    from .stats import term_frequency
    from .tokenizer import Tokenizer

    speech = load_speech(args.file)
    if args.name:  # before the work: a name that leaves --out-dir is refused
        folder = figure_dir(speech.id, args.out_dir)
        inside(folder / f"{args.name}.png", folder)
    tok = Tokenizer(lexicon_files=args.lexicon or ())
    tokens = tok.tokens(speech)
    freq = with_origin(term_frequency(tokens, speech=speech), tokens, lexicon=tok.lexicon)
    knobs = dict(top_n=args.top_n, scheme=args.scheme, shape=args.shape, mask_path=args.mask,
                 vertical=args.vertical, random_state=args.seed)
    if args.compare:
        other = load_speech(args.compare)
        other_tokens = tok.tokens(other)
        cloud = textplot_comparison_cloud(
            freq, term_frequency(other_tokens, speech=other),
            names=(speech.meta.title or speech.id, other.meta.title or other.id), **knobs)
        name = "04_wordcloud_compare"
    elif args.slogans:
        cloud = textplot_wordcloud(slogan_terms(freq), min_terms=3, source=speech.path, **knobs)
        name = "04_wordcloud_slogans"
    else:
        cloud = textplot_wordcloud(freq, source=speech.path, **knobs)
        name = "04_wordcloud" + "".join(
            f"_{x}" for x, on in ((args.scheme, args.scheme != "default"), ("mask" if args.mask else args.shape,
                                  bool(args.mask) or args.shape != "rectangle"), ("vertical", args.vertical)) if on)
    for path in save_wordcloud(cloud, speech.id, args.name or name, out_dir=args.out_dir):
        print(path)


def cmd_slogans(args) -> None:
    from .slogans import KINDS, OVERLAP_NOTES, lexicon_missing, slogan_counts

    kinds = args.kind or list(KINDS)
    lexicon = args.lexicon or None
    path = Path(args.path)
    if _is_corpus(path):
        if args.missing:
            raise SpeechError(path, "--missing needs one speech file, not a folder or a table")
        from .scale import corpus_slogan_matrix  # slogan_matrix on all cores, cached per speech

        _emit_table(corpus_slogan_matrix(path, kinds=kinds, lexicon=lexicon, overlap=args.overlap,
                                         duplicates=_duplicates(args), scheduler=args.scheduler), args.format, args.out)
    else:
        speech = load_speech(path)
        if args.missing:
            _emit_table(lexicon_missing(speech, lexicon=lexicon), args.format, args.out)
            return
        df = slogan_counts(speech, kinds=kinds, lexicon=lexicon, overlap=args.overlap)
        if args.format == "text":  # one line a formulation, long position lists summarised
            _emit(slogans_text(df), args.out)
        else:  # lists as "a;b;c" in CSV
            _emit_table(join_list_columns(df, {"sections": ";", "positions": ";"}) if args.format == "csv" else df,
                        args.format, args.out)
    if "lexicon" in kinds:  # say how the formulation count was counted (issue 15)
        print(f"note: {OVERLAP_NOTES[args.overlap]}", file=sys.stderr)


def cmd_track(args) -> None:
    """``track CORPUS TERM...``: each term's substring count per dated document (csv: the rows; json:
    ``series`` and ``summary``; text: the summary); undated documents named on stderr, never dropped."""
    from .watchwords import track

    tr = track(Path(args.corpus), args.terms, families=args.family or None, duplicates=_duplicates(args))
    if len(tr.undated):
        ids = list(dict.fromkeys(tr.undated["id"]))
        print(f"note: {len(ids)} document(s) without a date: counted in total, left off first/last/peak: "
              f"{', '.join(ids[:5])}{' …' if len(ids) > 5 else ''}", file=sys.stderr)
    if args.format == "json":
        _emit(tr.to_json(), args.out)
    elif args.format == "csv":
        _emit_table(pd_concat([tr.series, tr.undated]), "csv", args.out)
    else:
        _emit_table(tr.summary, "text", args.out)


def pd_concat(frames):
    """The rows of ``frames`` one after the other (the empty ones left out)."""
    import pandas as pd

    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
def cmd_diff(args) -> None:
    """``diff OLD NEW``: what changed between two versions or two years of a report (issue 17)."""
    from .changes import diff
    from .changes.render import diff_text, redline_html

    d = diff(load_speech(args.old), load_speech(args.new))
    if args.format == "json":
        text = json.dumps(d.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = redline_html(d) if args.format == "html" else diff_text(d)
    _emit(text, args.out)


def _add_diff_parser(sub) -> None:
    s = sub.add_parser(
        "diff",
        help="改了什么 what changed between two versions or two years of a report: sentences, parts, formulations, terms",
        description="改了什么 What changed from OLD to NEW: every sentence of both texts aligned (same, changed with its "
                    "edits, new, dropped, moved), the parts matched across renumbering, formulations with their substring "
                    "counts (子串计数) in both, terms that rose or fell (分词计数 token count, G²), what each ××× became. "
                    "OLD and NEW are speech files or table rows (TABLE#id).",
    )
    s.add_argument("old", metavar="OLD")
    s.add_argument("new", metavar="NEW")
    s.add_argument("--format", choices=["text", "json", "html"], default="text",
                   help="text (a report), json (one object: old, new, sentences, sections, formulations, terms, summary) "
                        "or html (a self-contained side-by-side redline page)")
    s.add_argument("--out", metavar="FILE", help="write to FILE instead of printing")
    s.set_defaults(func=cmd_diff)


# --------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    """The parser of every command (each sub-parser names its ``cmd_*`` function as ``func``).

    Example:
        >>> build_parser().parse_args(["terms", "speech.txt", "--top", "20"]).top_n
        20
    """
    p = argparse.ArgumentParser(
        prog="python -m analysis_utils",
        description="Read Chinese political speeches with data. 用数据读懂讲话稿。",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("info", help="讲话信息 info: encoding, title, date, speaker, length, what was removed and why, placeholders; "
                                    "a CSV/JSONL table: one line per row (its ids address rows: TABLE#id)")
    s.add_argument("file", metavar="FILE|TABLE")
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.set_defaults(func=cmd_info)

    s = sub.add_parser("count", help="子串计数 count: how often each term occurs (plain substring count, as newspapers count; "
                                     "per 10,000 characters); a folder (with its sub-folders) or CSV/JSONL of texts: "
                                     "one row per speech and term")
    s.add_argument("file", metavar="FILE|DIR|CSV")
    s.add_argument("terms", nargs="+", metavar="TERM")
    s.add_argument("--format", choices=["text", "csv", "json"], default="text")
    s.add_argument("--keep-duplicates", action="store_true",
                   help="a folder or table: count every speech as given; default: a speech published twice "
                        "(a near-duplicate, >= 95 %% identical) is counted once and named on stderr")
    s.add_argument("--out", metavar="FILE", help="write the table to FILE instead of printing it (CSV: with a BOM, for Excel)")
    _add_scheduler(s)
    s.set_defaults(func=cmd_count)

    s = sub.add_parser("tokens", help="分词表 tokens: the token table as CSV (token, pos, offsets, paragraph, sentence, origin)")
    s.add_argument("file")
    s.add_argument("--lexicon", action="append", metavar="FILE", help="an extra lexicon file (phrase<TAB>category<TAB>note)")
    s.add_argument("--no-pos", action="store_true", help="skip part-of-speech tags (faster)")
    s.add_argument("--out", metavar="FILE", help="write the table to FILE instead of printing it (CSV: with a BOM, for Excel)")
    s.set_defaults(func=cmd_tokens)
    s = sub.add_parser("run", help="全部笔记本 run: every notebook on each speech (files, folders, CSV/JSONL tables); "
                                   "figures to figures/<speech-id>/. No path: the main job, every notebook on the "
                                   "seed speech (01–05) and on the development corpus beside the project (06, 07)")
    s.add_argument("paths", nargs="*", metavar="FILE|DIR|TABLE")
    s.add_argument("--out", metavar="DIR", help="output folder (default: figures/)")
    s.add_argument("--notebooks", nargs="+", metavar="NN", help="only these notebooks, e.g. 01 03 (01–05)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--jobs", type=int, metavar="N", help="notebooks run side by side (default: one per core)")
    s.add_argument("--keep-duplicates", action="store_true",
                   help="a folder or table: analyse every speech as given; default: a speech published twice "
                        "(a near-duplicate, >= 95 %% identical) is analysed once and named on stderr and in index.md")
    s.add_argument("--diff", action="store_true",
                   help="改了什么 what changed (notebook 06): OLD NEW, or each consecutive pair of a folder or table of "
                        "dated reports; figures and a redline page to figures/<old id>_vs_<new id>/")
    s.add_argument("--watchwords", action="store_true",
                   help="提法走势 watchwords across the years (notebook 07) on one dated corpus (a folder or a CSV/JSONL "
                        "table); figures to figures/<corpus name>/")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("deck", help="幻灯片 deck: a 16:9 PowerPoint deck from a speech's exported figures")
    s.add_argument("target", metavar="FILE|DIR", help="a speech file (uses figures/<speech-id>/) or a folder of figures")
    s.add_argument("--out", metavar="FILE.pptx", help="where to write the deck (default: <figure folder>/deck.pptx)")
    s.add_argument("--figures", metavar="DIR", help="the folder `run --out` wrote to (default: figures/)")
    s.add_argument("--no-appendix", action="store_true",
                   help="leave out the figures beyond the main part (default: an appendix after a divider slide)")
    s.set_defaults(func=cmd_deck)

    s = sub.add_parser(
        "terms",
        help="词频表 term frequency: token count (分词计数), share, per 10,000 characters, rank (a folder: all speeches + one column per speech)",
        description="词频表 Term frequency of one speech, or of every speech in a folder and its sub-folders. For a folder the table is "
                    "wide: the columns term, pos, token_count, share, per_10k, rank over all speeches together, then "
                    "speeches (how many use the term), then one token-count column per speech (named by speech id).",
    )
    s.add_argument("path", metavar="FILE|DIR|TABLE")
    s.add_argument("--top", dest="top_n", type=int, default=None, metavar="N", help="only the N most frequent terms")
    s.add_argument("--pos", default=None, metavar="n,v,…",
                   help="jieba tag prefixes to count (n nouns, v verbs, a adjectives …); default: all content words")
    s.add_argument("--min-len", type=int, default=1, metavar="N",
                   help="shortest term in characters (formulations exempt; default 1: one-character words such as 党 count, "
                        "function characters such as 的 never do; 2 = the old rule)")
    s.add_argument("--lexicon", action="append", metavar="FILE", help="an extra lexicon file (phrase<TAB>category<TAB>note)")
    s.add_argument("--format", choices=["text", "csv", "json"], default="text")
    s.add_argument("--keep-duplicates", action="store_true",
                   help="a folder or table: count every speech as given; default: a speech published twice "
                        "(a near-duplicate, >= 95 %% identical) is counted once and named on stderr")
    s.add_argument("--out", metavar="FILE", help="write the table to FILE instead of printing it (CSV: with a BOM, for Excel)")
    _add_scheduler(s)
    s.set_defaults(func=cmd_terms)

    s = sub.add_parser("kwic", help="关键词上下文 keyword in context: every hit of TERM with its context and section")
    s.add_argument("file")
    s.add_argument("term", metavar="TERM")
    s.add_argument("--window", type=int, default=20, metavar="N", help="characters of context on each side (default 20)")
    s.add_argument("--format", choices=["text", "csv", "json"], default="text")
    s.add_argument("--out", metavar="FILE", help="write the table to FILE instead of printing it (CSV: with a BOM, for Excel)")
    s.set_defaults(func=cmd_kwic)

    s = sub.add_parser(
        "outline",
        help="结构提纲 outline: sections, their size in Chinese characters, and self-checks (announced counts, numbering, balance, placeholders)",
        description="结构提纲 The outline of a speech: title block, salutation, opening, numbered sections "
                    "(一、 （一） 1. （1） ①) and enumerations (一是 第一 首先 ——), closing; Chinese characters per "
                    "part; then the self-checks. 自检：宣布的数目、编号、篇幅、占位符。",
    )
    s.add_argument("file")
    s.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    s.add_argument("--depth", type=int, default=None, metavar="N", help="show levels 1…N only (default: all)")
    s.set_defaults(func=cmd_outline)

    s = sub.add_parser(
        "cloud",
        help="词云 word cloud (PNG + SVG, 1920×1080) from the term table: schemes, shapes, vertical, slogans, comparison",
        description="词云 A word cloud drawn from the speech's term table (same tokens, lexicon and stopwords as "
                    "`terms`), written to figures/<speech-id>/04_wordcloud….png and .svg. 同样输入，同样图片。",
    )
    s.add_argument("file")
    s.add_argument("--scheme", choices=["default", "party", "party_light", "category"], default="default",
                   help="配色 colours: default 蓝灰, party 红底金字, party_light 白底红金, category 提法/其他")
    s.add_argument("--shape", choices=["rectangle", "circle"], default="rectangle", help="形状 16:9 rectangle or circle")
    s.add_argument("--mask", metavar="IMAGE", help="剪影 a PNG/JPG silhouette to fill (white = background)")
    s.add_argument("--vertical", action="store_true", help="竖排 set about half of the words upright, top to bottom")
    s.add_argument("--slogans", action="store_true", help="只画提法 formulations (提法) only")
    s.add_argument("--compare", metavar="FILE", help="对比词云 compare with a second speech")
    s.add_argument("--top", dest="top_n", type=int, default=100, metavar="N", help="how many terms (default 100)")
    s.add_argument("--seed", type=int, default=42, metavar="N", help="random seed of the layout (default 42)")
    s.add_argument("--lexicon", action="append", metavar="FILE", help="an extra lexicon file (phrase<TAB>category<TAB>note)")
    s.add_argument("--name", help="figure name (default 04_wordcloud[_scheme][_shape][_vertical])")
    s.add_argument("--out-dir", metavar="DIR", help="folder for <speech-id>/ (default figures/)")
    s.set_defaults(func=cmd_cloud)

    s = sub.add_parser(
        "slogans",
        help="提法统计 slogans: number slogans, quoted terms, titles, lexicon formulations, parallel structures",
        description="提法统计 Count the set formulations of a speech (FILE) or a slogan × speech table for a "
                    "folder (DIR): 数字提法 number slogans, 引号词语 quoted terms, 书名号 titles, "
                    "词表提法 lexicon formulations, 排比 parallel structures. A folder is read with its sub-folders.",
    )
    s.add_argument("path", metavar="FILE|DIR|TABLE",
                   help="a speech (.txt/.md/.docx), a folder of speeches (sub-folders too) or a CSV/JSONL table")
    s.add_argument("--kind", choices=["number", "quoted", "title", "lexicon", "parallel"], action="append",
                   help="种类 kind(s) to list (repeatable; default: all)")
    s.add_argument("--format", choices=["text", "csv", "json"], default="text")
    s.add_argument("--lexicon", action="append", metavar="FILE", help="an extra lexicon file (phrase<TAB>category<TAB>note)")
    s.add_argument("--overlap", choices=["all", "longest"], default="all",
                   help="词表重叠 lexicon overlaps: all = substring count, nested phrases too, as `count` (default); "
                        "longest = each stretch of text once")
    s.add_argument("--missing", action="store_true", help="未出现的词表提法 list the lexicon entries that do not occur (FILE only)")
    s.add_argument("--keep-duplicates", action="store_true",
                   help="a folder or table: count every speech as given; default: a speech published twice "
                        "(a near-duplicate, >= 95 %% identical) is counted once and named on stderr")
    s.add_argument("--out", metavar="FILE", help="write the table to FILE instead of printing it (CSV: with a BOM, for Excel)")
    _add_scheduler(s)
    s.set_defaults(func=cmd_slogans)
    _track_parser(sub)
    _add_diff_parser(sub)
    return p


def _track_parser(sub) -> None:
    s = sub.add_parser("track", help="提法走势 track: each term's substring count and rate per dated document of a corpus "
                                     "(first and last use, peak); undated documents listed apart")
    s.add_argument("corpus", metavar="DIR|CSV|JSONL", help="a folder (dates in the texts or file names) or a table "
                                                          "with a date or year column")
    s.add_argument("terms", nargs="+", metavar="TERM")
    s.add_argument("--family", action="append", metavar="FILE",
                   help="family<TAB>variant lines: the families the terms name are counted together and apart "
                        "(each stretch of text once within a family)")
    s.add_argument("--format", choices=["text", "csv", "json"], default="text",
                   help="text: one summary line per term; csv: one row per term and document; json: {series, summary}")
    s.add_argument("--keep-duplicates", action="store_true",
                   help="count every document as given; default: a document published twice is counted once")
    s.add_argument("--out", metavar="FILE", help="write the table to FILE instead of printing it (CSV: with a BOM, for Excel)")
    s.set_defaults(func=cmd_track)


def main(argv: list[str] | None = None) -> int:
    """Run one command; ``python -m analysis_utils`` and the ``analysis-utils`` script call this.

    Args:
        argv: the arguments after the program name (default: ``sys.argv[1:]``).

    Returns:
        The exit status: 0 done, 2 bad input or a bad argument (one line on stderr), 1 a failure,
        130 interrupted (``run``: after writing the index of what finished).

    Example:
        >>> main(["info", "no_such_speech.txt"])
        2
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # absent when a test captures the stream
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8")
            except ValueError:
                pass
    args = build_parser().parse_args(argv)
    try:
        check_arguments(args)
        code = args.func(args)
    except SpeechError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug, not bad input: still one line, no traceback
        where = (getattr(args, "file", None) or getattr(args, "path", None) or getattr(args, "target", None)
                 or getattr(args, "new", None)
                 or " ".join(getattr(args, "paths", None) or []) or args.command)
        print(f"error: {where}: unexpected {type(e).__name__}: {e} (please report this)", file=sys.stderr)
        return 1
    return code or 0
