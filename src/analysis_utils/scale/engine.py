"""Corpus scale: many speeches, all cores, cached tokens, substring counts without segmenting.

A *source* is a folder of speeches (``.txt``/``.md``/``.docx``, sub-folders included), a
CSV or JSONL file of texts (columns/keys ``text`` and optionally ``id``, ``date``,
``title``), one speech file, or a list of any of these. Speeches are streamed: only one
speech's tokens per worker are in memory at a time, and the tables returned hold counts,
never token lists.

Three things make it fast, none of them a segmenter of our own:

* **The same tokens, cut by compiled code.** :class:`FastSegmenter` gives the
  :class:`~analysis_utils.Tokenizer` jieba's exact words: text blocks made only of Chinese
  characters go to `rjieba <https://pypi.org/project/rjieba/>`_ (the Rust port of jieba,
  loaded with *this* tokeniser's dictionary: jieba's ``dict.txt``, the added words, the same
  total), every other block to jieba itself. Tests compare the two token for token on the
  seed and every corpus speech. Without rjieba installed, jieba's Python code is used.
* **All cores.** Speeches are cut in worker processes (one Tokenizer each, created when the
  worker starts), fed in chunks so memory stays flat.
* **A token cache.** Each speech's tokens are stored in ``.cache/tokens/`` (or
  ``$ANALYSIS_UTILS_CACHE``), keyed by the SHA-256 of its cleaned body and a fingerprint of
  the tokeniser (jieba version, dictionary file, lexicon and user dictionaries, stopwords,
  ``hmm``/``detect_slogans``, the package's version and source). A rerun reads the cache; a
  changed speech is cut again, a changed lexicon makes a new fingerprint. A second record per
  *file* (keyed by the file's bytes; an unchanged size/mtime/inode is trusted, as git does)
  keeps the cleaned body, so a rerun skips the loader too; and the finished table of a
  question is kept, so asking it again about unchanged speeches only reads it back. Delete
  the folder to reclaim the space.

Substring counts (:func:`corpus_substring_counts`) need no segmenting: one Aho-Corasick
automaton finds every term at once. :func:`corpus_map` runs any per-speech table (e.g.
slogan counts, :func:`corpus_slogan_matrix`) on all cores with the same per-file cache.

What the cache does not change: results are those of the plain path
(:meth:`Tokenizer.tokens`, ``term_frequency``, ``substring_counts``, ``slogan_matrix``), and
tests compare them on the seed and the development corpus.

Example:
    >>> counts = corpus_term_counts("speeches/")            # doctest: +SKIP
    >>> counts.head(3)                                       # doctest: +SKIP
       speech_id  term  count
    0  cpc20_report  发展    218
    >>> corpus_substring_counts("speeches/", ["稳", "就业"])   # doctest: +SKIP
"""
from __future__ import annotations

import copy
import csv
import gc
import hashlib
import json
import multiprocessing as mp
import os
import re
import struct
import sys
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .. import config
from ..errors import SpeechError
from ..reading import load_speech, speech_files, speech_from_text, speech_id

#: Columns of :func:`corpus_term_counts` and :func:`corpus_substring_counts`.
TERM_COUNT_COLUMNS = ["speech_id", "term", "count"]
SUBSTRING_COUNT_COLUMNS = ["speech_id", "term", "count", "per_10k"]
#: Columns of the token tables :func:`corpus_tokens` yields (those of ``Tokenizer.tokens``
#: less ``paragraph``/``sentence``, which need the loaded speech).
CORPUS_TOKEN_COLUMNS = ["token", "pos", "start", "end", "origin"]

TABLE_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
CACHE_FORMAT = 1
PER = 10_000

Errors = Literal["raise", "skip"]


# ====================================================================== the segmenter
#: jieba 0.42.1's blocks (``jieba.re_han_default``) and white space (``re_skip_default``).
_JIEBA_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
_JIEBA_SKIP = re.compile("(\r\n|\\s)", re.U)
#: Blocks where jieba-rs provably does what jieba does: only CJK characters of jieba's range
#: (jieba-rs's block and HMM character classes include this range; their handling of
#: letters, digits and symbols inside the HMM differs, e.g. ``2015-08-31``).
_PURE_HAN = re.compile("[\u4E00-\u9FD5]+")
#: A word of Private Use characters that never reaches rjieba: it carries the frequency
#: jieba counts in its total but keeps in no word (a word listed twice in dict.txt).
_TOTAL_FILLER = "\ue000\ue001"


class FastSegmenter:
    """jieba's ``cut`` for one jieba dictionary, in compiled code where that is provably equal.

    ``FastSegmenter(jt, hmm=True)(text)`` returns the list ``jt.lcut(text, HMM=hmm)`` would,
    for a ``jieba.Tokenizer`` ``jt`` that is initialised (words added with ``add_word`` are
    included: the Rust dictionary is built from ``jt.FREQ`` and ``jt.total``). Plug it into a
    :class:`~analysis_utils.Tokenizer` with ``tok.use_segmenter(FastSegmenter.for_tokenizer(tok))``.

    Text is split into jieba's blocks exactly as jieba splits it; blocks of Chinese
    characters only are cut by rjieba, the others (numbers, Latin letters, mixed) by jieba's
    Python code, white space and symbols as jieba does. Raises ``ImportError`` without rjieba.

    Example:
        >>> seg = FastSegmenter.for_tokenizer(Tokenizer())     # doctest: +SKIP
        >>> seg("我们中出了一个叛徒")                              # doctest: +SKIP
        ['我们', '中出', '了', '一个', '叛徒']
    """

    def __init__(self, jt, *, hmm: bool = True):
        import rjieba  # an optional accelerator: ImportError says it is missing

        jt.check_initialized()
        self._jt = jt
        self.hmm = hmm
        rs = rjieba.Jieba.empty()
        kept = 0
        for word, freq in jt.FREQ.items():
            if freq > 0:  # jieba's prefix entries (freq 0) are not words
                rs.add_word(word, freq, None)
                kept += freq
        if jt.total > kept:
            rs.add_word(_TOTAL_FILLER, jt.total - kept, None)
        self._rs = rs

    @classmethod
    def for_tokenizer(cls, tok) -> FastSegmenter:
        """The segmenter for an :class:`~analysis_utils.Tokenizer` (its dictionary and ``hmm``)."""
        return cls(tok._jieba, hmm=tok.hmm)

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        rs_cut, py_cut, hmm = self._rs.cut, self._jt.cut, self.hmm
        pure = _PURE_HAN.fullmatch
        for i, blk in enumerate(_JIEBA_BLOCK.split(text)):
            if not blk:
                continue
            if i % 2:  # a block jieba cuts with its dictionary
                out += rs_cut(blk, hmm) if pure(blk) else py_cut(blk, HMM=hmm)
            else:  # between blocks: white space whole, anything else one character at a time
                for x in _JIEBA_SKIP.split(blk):
                    if _JIEBA_SKIP.match(x):
                        out.append(x)
                    else:
                        out += x
        return out


def fast_tokenizer(**options):
    """A :class:`~analysis_utils.Tokenizer` (same options) with :class:`FastSegmenter` plugged
    in when rjieba is installed: identical tokens, several times faster."""
    from ..tokenizer import Tokenizer

    tok = Tokenizer(**options)
    try:
        tok.use_segmenter(FastSegmenter.for_tokenizer(tok))
    except ImportError:
        pass
    return tok


# ====================================================================== sources
@dataclass(frozen=True)
class CorpusItem:
    """One speech of a source, not yet loaded: a file (``path``) or a row's ``text``."""

    index: int
    id: str
    path: Path | None = None
    text: str | None = None
    date: str | None = None
    title: str | None = None

    @property
    def label(self) -> str:
        """What error messages name: the file, or ``table.csv#id``."""
        return str(self.path) if self.text is None else f"{self.path}#{self.id}"


class _Source:
    """A re-iterable list of :class:`CorpusItem` (checked when made: bad sources fail early)."""

    def __init__(self, source):
        if isinstance(source, (str, Path)):
            parts = [Path(source)]
        elif isinstance(source, _Source):
            parts = source.parts
        else:
            try:
                parts = [Path(p) for p in source]
            except TypeError:
                raise SpeechError(None, f"a corpus source is a folder, a CSV/JSONL file or a list of files, not {type(source).__name__}") from None
        if not parts:
            raise SpeechError(None, "the corpus source is empty")
        self.parts = parts
        for p in parts:
            if not p.exists():
                raise SpeechError(p, "no such file or folder")
            if p.is_file() and _kind(p) == "csv":
                _csv_header(p)  # raises when there is no text column
        self._ids: list[str] | None = None

    def __iter__(self) -> Iterator[CorpusItem]:
        index = 0
        seen: set[str] = set()
        for p in self.parts:
            for item in _items_of(p):
                sid = item.id
                while sid in seen:  # two speeches with one name: keep both
                    sid += "_"
                seen.add(sid)
                yield CorpusItem(index, sid, item.path, item.text, item.date, item.title)
                index += 1
        if index == 0:
            raise SpeechError(self.parts[0] if len(self.parts) == 1 else None, "no speeches found (.txt, .md, .docx files, or CSV/JSONL rows with text)")


def _kind(p: Path) -> str:
    return TABLE_SUFFIXES.get(p.suffix.lower(), "speech")


def _items_of(p: Path) -> Iterator[CorpusItem]:
    if p.is_dir():  # sub-folders included
        for f in speech_files(p, recursive=True):
            yield CorpusItem(-1, speech_id(f), path=f)
    elif _kind(p) == "csv":
        yield from _csv_items(p)
    elif _kind(p) == "jsonl":
        yield from _jsonl_items(p)
    else:
        yield CorpusItem(-1, speech_id(p), path=p)


def _open_table(p: Path):
    try:
        return open(p, encoding="utf-8-sig", newline="")
    except OSError as e:
        raise SpeechError(p, f"cannot be read ({e.strerror or e})") from None


def _csv_header(p: Path) -> list[str]:
    with _open_table(p) as f:
        try:
            header = next(csv.reader(f, dialect=_dialect(p)), None)
        except (csv.Error, UnicodeDecodeError) as e:
            raise SpeechError(p, f"not a readable UTF-8 CSV file ({e})") from None
    if not header:
        raise SpeechError(p, "the CSV file is empty")
    if "text" not in [h.strip() for h in header]:
        raise SpeechError(p, f"the CSV file has no 'text' column (its columns: {', '.join(header[:8])})")
    return header


def _dialect(p: Path):
    return "excel-tab" if p.suffix.lower() == ".tsv" else "excel"


def _row_item(p: Path, n: int, row: dict) -> CorpusItem | None:
    text = row.get("text")
    if not isinstance(text, str):
        raise SpeechError(p, f"row {n}: 'text' must be a string")
    rid = row.get("id")
    rid = str(rid).strip() if rid not in (None, "") else f"{p.stem}-{n:05d}"
    rid = re.sub(r"[\s/\\:*?\"<>|]+", "_", rid) or f"{p.stem}-{n:05d}"
    get = lambda k: str(row[k]) if row.get(k) not in (None, "") else None  # noqa: E731
    return CorpusItem(-1, rid, path=p, text=text, date=get("date"), title=get("title"))


def _csv_items(p: Path) -> Iterator[CorpusItem]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with _open_table(p) as f:
        reader = csv.DictReader(f, dialect=_dialect(p))
        reader.fieldnames = [h.strip() for h in reader.fieldnames or []]
        try:
            for n, row in enumerate(reader, 1):
                yield _row_item(p, n, row)
        except (csv.Error, UnicodeDecodeError) as e:
            raise SpeechError(p, f"line {reader.line_num}: not readable as UTF-8 CSV ({e})") from None


def _jsonl_items(p: Path) -> Iterator[CorpusItem]:
    with _open_table(p) as f:
        try:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    raise SpeechError(p, f"line {n}: not JSON ({e.msg})") from None
                if not isinstance(row, dict) or "text" not in row:
                    raise SpeechError(p, f"line {n}: each line must be a JSON object with a 'text' key")
                yield _row_item(p, n, row)
        except UnicodeDecodeError as e:
            raise SpeechError(p, f"not UTF-8 ({e.reason} at byte {e.start})") from None


def corpus_items(source) -> list[CorpusItem]:
    """The speeches of a source (not loaded), in order: id, path, and for table rows the text.

    Raises :class:`SpeechError` for a missing path, a CSV file without a ``text`` column, a
    JSONL line that is not an object with ``text``, or a source with no speech at all.
    """
    return list(_Source(source))


# ====================================================================== fingerprints
@lru_cache(maxsize=256)
def _digest_cached(path: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _digest(path: str | Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        raise SpeechError(path, "no such file") from None
    return _digest_cached(str(path), st.st_mtime_ns, st.st_size)


def _package_version() -> str:
    try:
        from importlib.metadata import version

        return version("analysis-utils")
    except Exception:  # not installed: the sources below still pin the code
        return "unknown"


_SOURCES_LOADER = ("reading", "speech.py")
#: The code tokens depend on (FastSegmenter is proven to cut as jieba does, so corpus.py is
#: not here: a change to the record format bumps CACHE_FORMAT instead).
_SOURCES_TOKENS = ("tokenizer.py", "slogans/number.py", "lexicon.py", "reading")


def _sources_digest(names: Sequence[str]) -> list[str]:
    """Digests of the package's source files named (a folder: every .py file in it)."""
    paths = []
    for n in names:
        p = config.PACKAGE_DIR / n
        paths += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return [_digest(p) for p in paths]


def _jieba_dict_path() -> Path:
    import jieba

    return Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)


def _hash_obj(obj) -> str:
    return hashlib.sha256(json.dumps(obj, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def loader_fingerprint() -> str:
    """What the cleaned body of a file depends on: the loader's code and version."""
    return _hash_obj({"format": CACHE_FORMAT, "package": _package_version(), "sources": _sources_digest(_SOURCES_LOADER)})


@dataclass(frozen=True)
class TokenizerOptions:
    """The options of :class:`~analysis_utils.Tokenizer`, hashable and picklable."""

    lexicon_files: tuple[str, ...] = ()
    userdicts: tuple[str, ...] = ()
    bundled_lexicon: bool = True
    detect_slogans: bool = True
    hmm: bool = True
    plain: bool = False  # jieba's own words, nothing else (see PlainJieba)

    def build(self):
        """A fast tokenizer with these options (see :func:`fast_tokenizer`)."""
        if self.plain:
            return PlainJieba(hmm=self.hmm)
        return fast_tokenizer(lexicon_files=self.lexicon_files, userdicts=self.userdicts,
                              bundled_lexicon=self.bundled_lexicon, detect_slogans=self.detect_slogans, hmm=self.hmm)

    def fingerprint(self) -> str:
        """Changes whenever the tokens could: versions, dictionary, lexicons, stopwords, flags, code."""
        import jieba

        if self.plain:
            return _hash_obj({"format": CACHE_FORMAT, "plain": True, "jieba": jieba.__version__,
                              "dict": _digest(_jieba_dict_path()), "hmm": self.hmm})
        return _hash_obj({
            "format": CACHE_FORMAT, "package": _package_version(), "jieba": jieba.__version__,
            "dict": _digest(_jieba_dict_path()), "sources": _sources_digest(_SOURCES_TOKENS),
            "stopwords": _digest(config.STOPWORDS_FILE),
            "lexicon": _digest(config.LEXICON_FILE) if self.bundled_lexicon else None,
            "lexicon_files": [_digest(f) for f in self.lexicon_files],
            "userdicts": [_digest(f) for f in self.userdicts],
            "hmm": self.hmm, "detect_slogans": self.detect_slogans,
        })


class PlainJieba:
    """jieba's own words for a text: ``jieba.lcut(text, HMM=hmm)`` with jieba's dictionary and
    nothing added (no formulation kept whole, no tags), cut by :class:`FastSegmenter`.

    What researchers who "counted with jieba" counted; ``cut`` has the shape of
    :meth:`Tokenizer.cut` (white space skipped, ``pos`` empty, origin ``jieba``).
    """

    def __init__(self, *, hmm: bool = True):
        import jieba

        self.hmm = hmm
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        try:
            self._segment = FastSegmenter(self._jieba, hmm=hmm)
        except ImportError:
            self._segment = lambda text: self._jieba.lcut(text, HMM=hmm)

    def cut(self, text: str, *, pos: bool = False) -> Iterator[tuple[str, int, int, str, str]]:
        i = 0
        for word in self._segment(text):
            j = i + len(word)
            if word.strip():
                yield word, i, j, "", "jieba"
            i = j

    def record(self, text: str, han_chars: int) -> bytes:
        """The cache record of ``text``'s counts only (no token sequence: nothing reads it)."""
        counts = Counter(self._segment(text))
        for w in [w for w in counts if not w.strip()]:
            del counts[w]
        return encode_counts({f"{w}\t\tjieba": n for w, n in counts.items()}, han_chars)


_FAST_TWINS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _with_fast_segmenter(tok):
    """``tok`` itself if it has a segmenter, else a shallow copy of it (same dictionaries, same
    tokens) cutting with :class:`FastSegmenter`; the caller's tokenizer is left as it was."""
    if getattr(tok, "_segment", None) is not None or not hasattr(tok, "use_segmenter"):
        return tok
    twin = _FAST_TWINS.get(tok)
    if twin is None:
        try:
            seg = FastSegmenter.for_tokenizer(tok)
        except ImportError:
            return tok
        twin = copy.copy(tok)
        twin.use_segmenter(seg)
        _FAST_TWINS[tok] = twin
    return twin


def tokenizer_fingerprint(tok) -> str:
    """The fingerprint of a :class:`~analysis_utils.Tokenizer` you built yourself, from its
    state (protected words, words added to jieba, flags) rather than from its options."""
    import jieba

    jt = tok._jieba
    added = sorted((w, jt.FREQ.get(w), t) for w, t in jt.user_word_tag_tab.items())
    return _hash_obj({
        "format": CACHE_FORMAT, "package": _package_version(), "jieba": jieba.__version__,
        "dict": _digest(_jieba_dict_path()), "sources": _sources_digest(_SOURCES_TOKENS),
        "protected": sorted(tok._protected.items()), "added": added, "total": jt.total,
        "hmm": tok.hmm, "detect_slogans": tok.detect_slogans, "instance": True,
    })


def default_cache_dir() -> Path:
    """``$ANALYSIS_UTILS_CACHE``, else ``.cache/tokens/`` in the project root (git-ignored)."""
    env = os.environ.get("ANALYSIS_UTILS_CACHE")
    return Path(env) if env else config.PROJECT_ROOT / ".cache" / "tokens"


# ====================================================================== cache records
_MAGIC = b"AUTK"
_HEAD = struct.Struct("<4sBIIII")  # magic, id width, types, tokens, han chars, key bytes


@dataclass
class TokenRecord:
    """One speech's tokens as stored: distinct ``(token, pos, origin)`` types with counts,
    and the token sequence as type numbers with start offsets."""

    keys: list[str]          # "token\tpos\torigin", in order of first occurrence
    counts: np.ndarray       # uint32, one per type
    ids: np.ndarray          # type number of each token
    starts: np.ndarray       # uint32 start offset of each token in the body
    han_chars: int

    def tokens(self) -> pd.DataFrame:
        """The token table: ``token, pos, start, end, origin``."""
        parts = [k.split("\t") for k in self.keys]
        tok = np.array([p[0] for p in parts] or [""], dtype=object)[self.ids] if len(self.ids) else np.array([], dtype=object)
        pos = np.array([p[1] for p in parts] or [""], dtype=object)[self.ids] if len(self.ids) else np.array([], dtype=object)
        ori = np.array([p[2] for p in parts] or [""], dtype=object)[self.ids] if len(self.ids) else np.array([], dtype=object)
        starts = self.starts.astype("int64")
        lens = np.array([len(p[0]) for p in parts] or [0], dtype="int64")[self.ids] if len(self.ids) else np.array([], dtype="int64")
        return pd.DataFrame({"token": tok, "pos": pos, "start": starts, "end": starts + lens, "origin": ori})


def encode_tokens(rows: Iterable[tuple], han_chars: int) -> bytes:
    """Pack ``Tokenizer.cut(body, pos=True)`` rows into a cache record."""
    index: dict[str, int] = {}
    ids: list[int] = []
    starts: list[int] = []
    for token, start, _end, pos, origin in rows:
        key = f"{token}\t{pos}\t{origin}"
        i = index.get(key)
        if i is None:
            if "\n" in token or "\t" in token:
                raise ValueError(f"a token with a tab or line break cannot be cached: {token!r}")
            i = index[key] = len(index)
        ids.append(i)
        starts.append(start)
    blob = "\n".join(index).encode("utf-8")
    width = 2 if len(index) < 65536 else 4
    ids_arr = np.array(ids, dtype=f"<u{width}")
    counts = np.bincount(ids_arr, minlength=len(index)).astype("<u4") if ids else np.zeros(len(index), "<u4")
    head = _HEAD.pack(_MAGIC, width, len(index), len(ids), han_chars, len(blob))
    return b"".join([head, blob, counts.tobytes(), ids_arr.tobytes(), np.array(starts, dtype="<u4").tobytes()])


def encode_counts(counts: dict[str, int], han_chars: int) -> bytes:
    """A cache record of type counts only (``"token\tpos\torigin" → n``), without the sequence."""
    keys = list(counts)
    if any("\n" in k for k in keys):
        raise ValueError("a token with a line break cannot be cached")
    blob = "\n".join(keys).encode("utf-8")
    head = _HEAD.pack(_MAGIC, 2, len(keys), 0, han_chars, len(blob))
    return b"".join([head, blob, np.array([counts[k] for k in keys], dtype="<u4").tobytes()])


def decode_tokens(data: bytes, *, sequence: bool = True) -> TokenRecord:
    """Unpack a cache record (``ValueError`` when it is damaged)."""
    if len(data) < _HEAD.size:
        raise ValueError("truncated token record")
    magic, width, n_types, n_tokens, han, n_blob = _HEAD.unpack_from(data, 0)
    off = _HEAD.size
    if magic != _MAGIC or width not in (2, 4) or len(data) != off + n_blob + 4 * n_types + (width + 4) * n_tokens:
        raise ValueError("damaged token record")
    keys = data[off:off + n_blob].decode("utf-8").split("\n") if n_types else []
    off += n_blob
    counts = np.frombuffer(data, "<u4", n_types, off)
    off += 4 * n_types
    if sequence:
        ids = np.frombuffer(data, f"<u{width}", n_tokens, off)
        starts = np.frombuffer(data, "<u4", n_tokens, off + width * n_tokens)
    else:
        ids = starts = np.zeros(0, "<u4")
    if len(keys) != n_types:
        raise ValueError("damaged token record")
    return TokenRecord(keys, counts, ids, starts, han)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _read(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def _encode_body(body: str, han: int) -> bytes:
    b = body.encode("utf-8", "surrogatepass")
    head = json.dumps({"body_sha": hashlib.sha256(b).hexdigest(), "han_chars": han})
    return head.encode() + b"\n" + b


def _decode_body(data: bytes) -> tuple[dict, bytes]:
    """(header, body as UTF-8 bytes) of a body record."""
    nl = data.index(b"\n")
    return json.loads(data[:nl]), data[nl + 1:]


@dataclass(frozen=True)
class _Plan:
    rawkey: str | None
    size: int
    body_path: Path | None       # the cached cleaned body of this file/row, if there is one
    body_sha: str | None
    token_path: Path | None      # the cached tokens, if there are any
    error: str | None = None


class _Store:
    """Where records live: ``<root>/speeches/<loader fp>/…`` and ``<root>/<tokenizer fp>/…``."""

    def __init__(self, root: Path | None, token_fp: str | None, map_fp: str | None = None):
        self.root = root
        self.loader_fp = loader_fingerprint()[:16] if root else None
        self.token_fp = token_fp[:16] if (root and token_fp) else None
        self._bodies = os.path.join(root, "speeches", self.loader_fp) if root else None
        self._tokens = os.path.join(root, self.token_fp) if (root and token_fp) else None
        self._maps = os.path.join(root, "map", map_fp[:16]) if (root and map_fp) else None

    def map_path(self, rawkey: str) -> Path | None:
        return Path(f"{self._maps}/{rawkey[:2]}/{rawkey}.bin") if self._maps else None

    def body_path(self, rawkey: str) -> Path | None:
        return Path(f"{self._bodies}/{rawkey[:2]}/{rawkey}.txt") if self._bodies else None

    def token_path(self, body_sha: str) -> Path | None:
        return Path(f"{self._tokens}/{body_sha[:2]}/{body_sha}.tok") if self._tokens else None

    def result_path(self, key: str) -> Path | None:
        return self.root / (self.token_fp or "speeches") / "results" / f"{key}.bin" if self.root else None


class _StatIndex:
    """``path → (size, mtime, ctime, inode, content hash)`` of the files hashed before, so an
    unchanged file is not read again to learn its hash (what git's index does)."""

    def __init__(self, root: Path | None):
        self.path = root / "stat-index.json" if root else None
        self.entries: dict[str, list] = {}
        self.dirty = False
        if self.path is not None:
            try:
                self.entries = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.entries = {}

    def rawkey(self, item: CorpusItem) -> tuple[str, int]:
        if item.text is not None:
            data = item.text.encode("utf-8", "surrogatepass")
            return hashlib.sha256(b"row\0" + data).hexdigest(), len(data)
        try:
            st = item.path.stat()
        except OSError as e:
            raise SpeechError(item.path, f"cannot be read ({e.strerror or e})") from None
        name = os.path.abspath(item.path)
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        known = self.entries.get(name)
        if known is not None and known[:4] == stamp:
            return known[4], st.st_size
        try:
            data = item.path.read_bytes()
        except OSError as e:
            raise SpeechError(item.path, f"cannot be read ({e.strerror or e})") from None
        key = hashlib.sha256(b"file\0" + item.path.suffix.lower().encode() + b"\0" + data).hexdigest()
        if self.path is not None:
            self.entries[name] = stamp + [key]
            self.dirty = True
        return key, len(data)

    def save(self) -> None:
        if self.dirty and self.path is not None:
            _atomic_write(self.path, json.dumps(self.entries, ensure_ascii=False).encode("utf-8"))
            self.dirty = False


# ====================================================================== the engine
_ENGINE: _Engine | None = None  # the engine of a worker process


class _Engine:
    """Loads, cuts and caches one speech at a time (in a worker, or in the main process)."""

    def __init__(self, task: str, store: _Store, options: TokenizerOptions | None, tokenizer=None):
        self.task = task
        self.store = store
        self.options = options
        self._tok = tokenizer

    @property
    def tok(self):
        if self._tok is None:
            self._tok = _tokenizer_for(self.options, self.store.token_fp)
        return self._tok

    def body(self, job) -> tuple[bytes, int, str]:
        """(body as UTF-8, han_chars, body sha) of a job, from the cache or the loader."""
        index, path, text, label, rawkey = job
        bpath = self.store.body_path(rawkey) if rawkey else None
        data = _read(bpath) if bpath else None
        if data is not None:
            try:
                head, body = _decode_body(data)
                return body, head["han_chars"], head["body_sha"]
            except (ValueError, KeyError):
                pass  # damaged: load again
        speech = speech_from_text(text, path=label) if text is not None else load_speech(path)
        data = _encode_body(speech.body, speech.han_chars)
        if bpath:
            _atomic_write(bpath, data)
        head, body = _decode_body(data)
        return body, head["han_chars"], head["body_sha"]

    def process(self, job):
        """``(index, payload)``: ``("tokens", record, body sha)``, ``("body", utf8, han)`` or ``("error", message)``."""
        index = job[0]
        if self.task == "map":
            return index, self.map(job)
        try:
            body, han, sha = self.body(job)
        except SpeechError as e:
            return index, ("error", str(e))
        if self.task == "body":
            return index, ("body", body, han)
        tpath = self.store.token_path(sha)
        data = _read(tpath) if tpath else None
        if data is not None:
            try:
                decode_tokens(data, sequence=False)
                return index, ("tokens", data, sha)
            except ValueError:
                pass
        text = body.decode("utf-8", "surrogatepass")
        if hasattr(self.tok, "record"):  # counts only (PlainJieba)
            data = self.tok.record(text, han)
        else:
            data = encode_tokens(self.tok.cut(text, pos=True), han)
        if tpath:
            _atomic_write(tpath, data)
        return index, ("tokens", data, sha)


    def map(self, job):
        index, path, text, label, rawkey = job
        try:
            speech = speech_from_text(text, path=label) if text is not None else load_speech(path)
        except SpeechError as e:
            return "error", str(e)
        mapper: _Mapper = self.options
        df = mapper.func(speech, **mapper.params)
        out = self.store.map_path(rawkey) if rawkey else None
        if out is not None:
            _save_frame(out, df, keep=None)
        return "frame", df


@dataclass(frozen=True, eq=False)
class _Mapper:
    """A function of one :class:`Speech` returning a table, with what its result depends on."""

    func: object          # a module-level function (workers receive it by name)
    params: dict
    key: str              # the params, hashed (tables and files by content)

    @property
    def fingerprint(self) -> str:
        return _hash_obj({"func": f"{self.func.__module__}.{self.func.__qualname__}", "params": self.key,
                          "code": _package_digest(), "loader": loader_fingerprint()})


def _package_digest() -> list[str]:
    """Every source and data file of the package: a per-speech result made by any of them."""
    files = sorted(config.PACKAGE_DIR.glob("*.py")) + sorted(p for p in config.DATA_DIR.iterdir() if p.is_file())
    return [f"{f.name}:{_digest(f)}" for f in files]


@lru_cache(maxsize=1)
def _tokenizer_for(options: TokenizerOptions, fingerprint: str | None):
    """One fast tokenizer per options (and fingerprint: a changed lexicon file makes a new one)."""
    return options.build()


def _init_worker(task: str, store: _Store, options: TokenizerOptions | None, inherited: bool) -> None:
    global _ENGINE
    if not inherited:  # else: the parent's engine, tokenizer included, came with fork
        _ENGINE = _Engine(task, store, options)
        if task == "tokens":
            _ENGINE.tok  # one Tokenizer per worker, made now rather than on the first speech


def _work(job):
    return _ENGINE.process(job)


def _progress(total: int | None, progress: bool | None, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="speech", file=sys.stderr, dynamic_ncols=True,
                disable=None if progress is None else not progress, mininterval=0.5)


def _resolve_workers(workers: int | None) -> int:
    if workers is None:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:
            return max(1, os.cpu_count() or 1)
    return max(1, int(workers))


#: Below this many bytes to load or cut, one process does it (workers cost a second each).
PARALLEL_MIN_BYTES = 1_500_000


class _Run:
    """One pass over a source: what is cached (step 1), then every speech in order (step 2)."""

    def __init__(self, source, task: Literal["tokens", "body", "map"], *, options=None,
                 tokenizer=None, cache: bool | str | Path = True):
        self.src = _Source(source)
        self.task = task
        self.options = options
        self.tokenizer = _with_fast_segmenter(tokenizer) if tokenizer is not None else None
        root = default_cache_dir() if cache is True else (Path(cache) if cache else None)
        if task == "tokens":
            self.fingerprint = tokenizer_fingerprint(tokenizer) if tokenizer is not None else options.fingerprint()
        elif task == "map":
            self.fingerprint = options.fingerprint
        else:
            self.fingerprint = loader_fingerprint()
        self.store = _Store(root, self.fingerprint if task == "tokens" else None, self.fingerprint if task == "map" else None)
        stats = _StatIndex(root)
        self.items: list[CorpusItem] = []
        self.plans: list[_Plan] = []
        for item in self.src:
            self.items.append(CorpusItem(item.index, item.id, item.path, None, item.date, item.title))  # no text kept
            try:
                rawkey, size = stats.rawkey(item)
            except SpeechError as e:
                self.plans.append(_Plan(None, 0, None, None, None, str(e)))
                continue
            if task == "map":
                mpath = self.store.map_path(rawkey)
                self.plans.append(_Plan(rawkey, size, None, None, mpath if (mpath and os.path.exists(mpath)) else None))
                continue
            bpath, sha, tpath = self.store.body_path(rawkey), None, None
            if bpath is not None:
                try:
                    with open(bpath, "rb") as f:
                        sha = json.loads(f.readline())["body_sha"]
                except (OSError, ValueError, KeyError):
                    bpath = None
            if sha is not None and task == "tokens":
                tpath = self.store.token_path(sha)
                if not os.path.exists(tpath):
                    tpath = None
            self.plans.append(_Plan(rawkey, size, bpath, sha, tpath))
        stats.save()

    def cached(self, i: int) -> bool:
        p = self.plans[i]
        return p.error is None and (p.body_path is not None if self.task == "body" else p.token_path is not None)

    @property
    def all_cached(self) -> bool:
        return all(self.cached(i) for i in range(len(self.plans)))

    def __call__(self, *, workers: int | None, progress: bool | None, errors: Errors, desc: str):
        """Yield ``(item, payload)`` for every speech, in source order (payload as ``_Engine.process``)."""
        task, store, options, tokenizer = self.task, self.store, self.options, self.tokenizer
        todo = [i for i, p in enumerate(self.plans) if p.error is None and not self.cached(i)]
        todo_set = set(todo)
        todo_bytes = sum(self.plans[i].size for i in todo) * (20 if task == "map" else 1)  # map: slow per byte
        n_workers = min(_resolve_workers(workers), len(todo)) if todo else 0

        def jobs():
            for item in self.src:
                if item.index in todo_set:
                    yield (item.index, item.path, item.text, item.label, self.plans[item.index].rawkey)

        pool = None
        if not todo:
            results: Iterator = iter(())
        elif n_workers <= 1 or todo_bytes < PARALLEL_MIN_BYTES or (tokenizer is not None and "fork" not in mp.get_all_start_methods()):
            results = map(_Engine(task, store, options, tokenizer).process, jobs())
        else:
            global _ENGINE
            fork = "fork" in mp.get_all_start_methods()
            inherited = fork or tokenizer is not None
            if fork:
                # Workers are forked from this process with its engine: the tokenizer is made
                # once, here, and shared copy-on-write (frozen out of the garbage collector's
                # way), which saves a second per worker on every run after the first and
                # several hundred MB. Without fork, each worker makes its own when it starts.
                tok = tokenizer if tokenizer is not None else (_tokenizer_for(options, store.token_fp) if task == "tokens" else None)
                _ENGINE = _Engine(task, store, options, tok)
                gc.collect()
                gc.freeze()
            ctx = mp.get_context("fork" if fork else None)
            try:
                pool = ctx.Pool(n_workers, initializer=_init_worker, initargs=(task, store, options, inherited))
            finally:
                gc.unfreeze()  # the workers have their copy; this process collects as usual
            results = pool.imap(_work, jobs(), chunksize=2)

        bar = _progress(len(self.items), progress, desc)
        try:
            for i, (item, plan) in enumerate(zip(self.items, self.plans)):
                if plan.error is not None:
                    payload = ("error", plan.error)
                elif i not in todo_set:
                    payload = self._cached_payload(plan)
                    if payload is None:  # vanished or damaged since step 1: redo here
                        text = next((it.text for it in self.src if it.index == i), None)
                        payload = _Engine(task, store, options, tokenizer).process((i, item.path, text, item.label, plan.rawkey))[1]
                else:
                    j, payload = next(results)
                    assert j == i, (j, i)
                if payload[0] == "error":
                    if errors == "raise":
                        raise SpeechError(None, payload[1])
                    bar.write(f"skipped: {payload[1]}", file=sys.stderr)
                else:
                    yield item, payload
                bar.update(1)
        finally:
            bar.close()
            if pool is not None:
                pool.terminate()
                pool.join()

    def _cached_payload(self, plan: _Plan):
        if self.task == "map":
            df = _load_frame(plan.token_path)
            return None if df is None else ("frame", df)
        if self.task == "body":
            data = _read(plan.body_path)
            try:
                head, body = _decode_body(data)
                return "body", body, head["han_chars"]
            except (TypeError, ValueError, KeyError):
                return None
        data = _read(plan.token_path)
        if data is None:
            return None
        try:
            decode_tokens(data, sequence=False)
        except ValueError:
            return None
        return "tokens", data, plan.body_sha


# ---------------------------------------------------------------------- result memo
_FRAME_MAGIC = b"AUDF1\n"


def _save_frame(path: Path, df: pd.DataFrame, *, keep: int | None = 32) -> None:
    """A DataFrame of str/int/float columns in one file that loads in milliseconds."""
    cols, blobs = [], []
    for name in df.columns:
        s = df[name]
        if s.dtype == object and len(s) and not all(isinstance(v, str) for v in s):
            return  # lists, None …: not stored
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=False)
            words = [str(u) for u in uniques]
            if any("\n" in w for w in words):
                return  # cannot be stored this way: no memo
            blob = "\n".join(words).encode("utf-8")
            arr = codes.astype("<i4").tobytes()
            cols.append([str(name), "str", len(words), len(blob), len(arr)])
            blobs += [blob, arr]
        else:
            arr = np.ascontiguousarray(s.to_numpy())
            cols.append([str(name), arr.dtype.str, 0, 0, arr.nbytes])
            blobs.append(arr.tobytes())
    head = json.dumps({"rows": len(df), "columns": cols}).encode() + b"\n"
    _atomic_write(path, _FRAME_MAGIC + head + b"".join(blobs))
    if keep:  # the most recent results only
        for p in sorted(path.parent.glob("*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)[keep:]:
            p.unlink(missing_ok=True)


def _load_frame(path: Path | None) -> pd.DataFrame | None:
    data = _read(path) if path is not None else None
    if not data or not data.startswith(_FRAME_MAGIC):
        return None
    try:
        nl = data.index(b"\n", len(_FRAME_MAGIC))
        head = json.loads(data[len(_FRAME_MAGIC):nl])
        off, n, out = nl + 1, head["rows"], {}
        for name, kind, n_words, n_blob, n_arr in head["columns"]:
            if kind == "str":
                words = np.array(data[off:off + n_blob].decode("utf-8").split("\n") if n_words else [], dtype=object)
                off += n_blob
                codes = np.frombuffer(data, "<i4", n, off)
                out[name] = words[codes] if n else np.array([], dtype=object)
            else:
                out[name] = np.frombuffer(data, kind, n, off).copy()
            off += n_arr
        if off != len(data):
            return None
        os.utime(path)  # recently used: kept by the pruning
        return pd.DataFrame(out)
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _memo_key(run: _Run, kind: str, params: dict, items: Sequence[CorpusItem], shas: Sequence[str]) -> str:
    return _hash_obj({"kind": kind, "fingerprint": run.fingerprint, "params": params,
                      "code": _sources_digest(("stats/frequency.py", "scale")),
                      "speeches": [[it.id, sha] for it, sha in zip(items, shas)]})


def _jsonable(x):
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    if isinstance(x, (set, frozenset)):
        return sorted(map(str, x))
    return [str(v) for v in x]


def _memoised(run: _Run, kind: str, params: dict, compute) -> pd.DataFrame:
    """``compute()``'s table, or the stored one when the corpus, tokenizer and params are unchanged."""
    params = {k: _jsonable(v) for k, v in params.items()}
    if run.store.root is not None and run.all_cached:
        path = run.store.result_path(_memo_key(run, kind, params, run.items, [p.body_sha for p in run.plans]))
        df = _load_frame(path)
        if df is not None:
            return df
    df, items, shas, complete = compute()
    if run.store.root is not None and complete:
        _save_frame(run.store.result_path(_memo_key(run, kind, params, items, shas)), df)
    return df


def _options(lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm, plain=False) -> TokenizerOptions:
    return TokenizerOptions(tuple(str(Path(f)) for f in lexicon_files), tuple(str(Path(f)) for f in userdicts),
                            bool(bundled_lexicon), bool(detect_slogans), bool(hmm), bool(plain))


# ====================================================================== public: tokens
def corpus_tokens(
    source,
    *,
    lexicon_files: Iterable[str | Path] = (),
    userdicts: Iterable[str | Path] = (),
    bundled_lexicon: bool = True,
    detect_slogans: bool = True,
    hmm: bool = True,
    tokenizer=None,
    workers: int | None = None,
    cache: bool | str | Path = True,
    progress: bool | None = None,
    errors: Errors = "raise",
) -> Iterator[tuple[CorpusItem, pd.DataFrame]]:
    """Each speech's token table, one speech at a time, in source order.

    The tables are those of :meth:`Tokenizer.tokens` (same tokens, tags, offsets into the
    speech's body and origins) without the ``paragraph``/``sentence`` columns:
    ``token, pos, start, end, origin``.

    Args:
        source: a folder, a CSV/JSONL file, a speech file, or a list of them.
        lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm: the
            :class:`~analysis_utils.Tokenizer` options.
        tokenizer: a Tokenizer you built (e.g. after ``add_word``) instead of the options.
        workers: processes cutting speeches (default: all cores; 1 = this process only).
        cache: ``True`` = :func:`default_cache_dir`, a folder, or ``False`` for no cache.
        progress: a progress bar on stderr (``None`` = only on a terminal).
        errors: ``"raise"`` stops at the first unreadable speech (:class:`SpeechError`),
            ``"skip"`` leaves it out with a line on stderr.

    Example:
        >>> for item, tokens in corpus_tokens("speeches/"):   # doctest: +SKIP
        ...     print(item.id, len(tokens))
    """
    run = _Run(source, "tokens", options=_options(lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm),
               tokenizer=tokenizer, cache=cache)
    for item, payload in run(workers=workers, progress=progress, errors=errors, desc="分词 tokens"):
        yield item, decode_tokens(payload[1]).tokens()


@dataclass
class _TypeCounts:
    """Counts of distinct ``(token, pos, origin)`` types per speech, over a whole corpus."""

    items: list[CorpusItem]
    shas: list[str]
    han_chars: np.ndarray     # per speech
    keys: list[str]           # the types ("token\tpos\torigin")
    speech: np.ndarray        # rows: speech number, type number, count
    type_id: np.ndarray
    count: np.ndarray
    complete: bool            # no speech skipped

    def types(self) -> pd.DataFrame:
        parts = [k.split("\t") for k in self.keys]
        return pd.DataFrame(parts or None, columns=["token", "pos", "origin"])


def _type_counts(run: _Run, workers, progress, errors) -> _TypeCounts:
    vocab: dict[str, int] = {}
    keys: list[str] = []
    items: list[CorpusItem] = []
    shas: list[str] = []
    han: list[int] = []
    lengths, ty, ct = [], [], []
    for item, payload in run(workers=workers, progress=progress, errors=errors, desc="计数 counting"):
        rec = decode_tokens(payload[1], sequence=False)
        ids = list(map(vocab.get, rec.keys))
        if None in ids:
            for j, k in enumerate(rec.keys):
                if ids[j] is None:
                    ids[j] = vocab[k] = len(keys)
                    keys.append(k)
        items.append(item)
        shas.append(payload[2])
        han.append(rec.han_chars)
        lengths.append(len(ids))
        ty.append(np.array(ids, dtype=np.int32))
        ct.append(rec.counts.astype(np.int32))
    cat = lambda xs, dt: np.concatenate(xs) if xs else np.zeros(0, dt)  # noqa: E731
    speech = np.repeat(np.arange(len(items), dtype=np.int32), lengths)
    return _TypeCounts(items, shas, np.array(han, dtype=np.int64), keys, speech, cat(ty, np.int32),
                       cat(ct, np.int32), complete=len(items) == len(run.items))


def _counted_types(tc: _TypeCounts, *, all_tokens: bool, stopwords, pos, min_len, exclude, include) -> np.ndarray:
    types = tc.types()
    if all_tokens or not len(types):
        return np.ones(len(types), dtype=bool)
    from ..stats import counted_mask

    return counted_mask(types, stopwords=stopwords, pos=pos, min_len=min_len, exclude=exclude, include=include).to_numpy(dtype=bool)


def _term_counts_table(tc: _TypeCounts, keep: np.ndarray) -> pd.DataFrame:
    token_of = [k.split("\t", 1)[0] for k in tc.keys]
    if token_of:
        term_codes, terms = pd.factorize(pd.Index(token_of, dtype=object))
    else:
        term_codes, terms = np.zeros(0, np.int64), pd.Index([], dtype=object)
    n_terms = max(1, len(terms))
    rows = keep[tc.type_id] if len(tc.type_id) else np.zeros(0, bool)
    sp = tc.speech[rows].astype(np.int64)
    term = np.asarray(term_codes)[tc.type_id[rows]].astype(np.int64)
    # (speech, term) pairs: several types (tags, origins) of one token add up
    uniq, inv = np.unique(sp * n_terms + term, return_inverse=True)
    del sp, term
    total = np.bincount(inv, weights=tc.count[rows], minlength=len(uniq)).astype(np.int64)
    del inv
    sp_u, term_u = uniq // n_terms, uniq % n_terms
    term_arr = np.asarray(terms, dtype=object)
    rank = np.empty(len(term_arr), dtype=np.int64)
    rank[np.argsort(term_arr.astype(str), kind="stable")] = np.arange(len(term_arr))
    order = np.lexsort((rank[term_u], -total, sp_u))
    ids = np.array([it.id for it in tc.items] or [""], dtype=object)
    return pd.DataFrame({
        "speech_id": ids[sp_u[order]] if len(order) else np.array([], dtype=object),
        "term": term_arr[term_u[order]] if len(order) else np.array([], dtype=object),
        "count": total[order],
    }, columns=TERM_COUNT_COLUMNS)


def corpus_term_counts(
    source,
    *,
    lexicon_files: Iterable[str | Path] = (),
    userdicts: Iterable[str | Path] = (),
    bundled_lexicon: bool = True,
    detect_slogans: bool = True,
    hmm: bool = True,
    tokenizer=None,
    stopwords=None,
    pos: Sequence[str] | None = None,
    min_len: int = 2,
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
    all_tokens: bool = False,
    plain: bool = False,
    workers: int | None = None,
    cache: bool | str | Path = True,
    progress: bool | None = None,
    errors: Errors = "raise",
) -> pd.DataFrame:
    """How often each term occurs as a token in each speech of a corpus (tidy, long).

    Counts what :func:`~analysis_utils.terms.term_frequency` counts on each speech's
    :meth:`Tokenizer.tokens`: no placeholders, punctuation, digits or stopwords; content
    words by tag; formulations whatever their length. ``all_tokens=True`` counts every
    token (punctuation and stopwords included) instead. With the cache on, the table itself
    is kept too: asking again about the same speeches with the same options reads it back.

    Args:
        source: a folder, a CSV/JSONL file (``text`` column/key, optional ``id``), a speech
            file, or a list of them.
        lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm, tokenizer: how
            speeches are cut (as :class:`~analysis_utils.Tokenizer`).
        stopwords, pos, min_len, exclude, include: the filters of ``term_frequency``.
        all_tokens: count every token, no filter.
        plain: count jieba's own words instead (:class:`PlainJieba`: ``jieba.lcut`` of each
            body with jieba's dictionary, no formulations, every token but white space), as
            ``collections.Counter(jieba.lcut(text))`` would; the tokenizer options and
            filters do not apply.
        workers, cache, progress, errors: see :func:`corpus_tokens`.

    Returns:
        Columns ``speech_id, term, count``: one row per speech and term that occurs in it,
        speeches in source order, then count descending, then term.

    Example:
        >>> corpus_term_counts("speeches/", pos=["n"]).head()   # doctest: +SKIP
    """
    opts = _options(lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm, plain)
    if plain:
        tokenizer, all_tokens = None, True
    run = _Run(source, "tokens", options=opts, tokenizer=tokenizer, cache=cache)
    filters = dict(stopwords=stopwords, pos=pos, min_len=min_len, exclude=exclude, include=include)

    def compute():
        tc = _type_counts(run, workers, progress, errors)
        keep = _counted_types(tc, all_tokens=all_tokens, **filters)
        return _term_counts_table(tc, keep), tc.items, tc.shas, tc.complete

    return _memoised(run, "term_counts", {**filters, "all_tokens": all_tokens}, compute)


def corpus_term_frequency(
    source,
    *,
    lexicon_files: Iterable[str | Path] = (),
    userdicts: Iterable[str | Path] = (),
    bundled_lexicon: bool = True,
    detect_slogans: bool = True,
    hmm: bool = True,
    tokenizer=None,
    stopwords=None,
    pos: Sequence[str] | None = None,
    min_len: int = 2,
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
    top: int | None = None,
    by_speech: bool = False,
    workers: int | None = None,
    cache: bool | str | Path = True,
    progress: bool | None = None,
    errors: Errors = "raise",
) -> pd.DataFrame:
    """One frequency list over a whole corpus (the fast path of ``corpus_frequency``).

    Returns:
        Columns ``term, pos, count, share, per_10k, rank, speeches`` as
        :func:`~analysis_utils.terms.term_frequency` defines them, computed over all speeches
        together (``per_10k`` per 10,000 Chinese characters of the corpus; ``speeches`` =
        how many speeches use the term). Sorted by count descending, then term; ``top``
        keeps the first rows. ``by_speech=True`` adds one count column per speech, named by
        its id, in source order (the wide table of ``corpus_frequency``).

    Example:
        >>> corpus_term_frequency("speeches/", top=20)   # doctest: +SKIP
    """
    opts = _options(lexicon_files, userdicts, bundled_lexicon, detect_slogans, hmm)
    run = _Run(source, "tokens", options=opts, tokenizer=tokenizer, cache=cache)
    filters = dict(stopwords=stopwords, pos=pos, min_len=min_len, exclude=exclude, include=include)

    def compute():
        tc = _type_counts(run, workers, progress, errors)
        keep = _counted_types(tc, all_tokens=False, **filters)
        table = _frequency_table(tc, keep)
        table = table.head(top).reset_index(drop=True) if top else table
        if by_speech:
            table = _with_speech_columns(table, tc, keep)
        return table, tc.items, tc.shas, tc.complete

    return _memoised(run, "term_frequency", {**filters, "top": top, "by_speech": by_speech}, compute)


def _with_speech_columns(table: pd.DataFrame, tc: _TypeCounts, keep: np.ndarray) -> pd.DataFrame:
    """One count column per speech for the terms of ``table``."""
    row_of = {t: i for i, t in enumerate(table["term"])}
    tokens = np.array([row_of.get(k.split("\t", 1)[0], -1) for k in tc.keys] or [-1], dtype=np.int64)
    sel = keep[tc.type_id] & (tokens[tc.type_id] >= 0) if len(tc.type_id) else np.zeros(0, bool)
    mat = np.zeros((len(table), len(tc.items)), dtype=np.int64)
    np.add.at(mat, (tokens[tc.type_id[sel]], tc.speech[sel]), tc.count[sel])
    per = pd.DataFrame(mat, columns=[it.id for it in tc.items])
    return pd.concat([table.reset_index(drop=True), per], axis=1)


def _frequency_table(tc: _TypeCounts, keep: np.ndarray) -> pd.DataFrame:
    types = tc.types()
    rows = keep[tc.type_id] if len(tc.type_id) else np.zeros(0, bool)
    t = tc.type_id[rows]
    df = pd.DataFrame({"speech": tc.speech[rows], "n": tc.count[rows],
                       "term": types["token"].to_numpy(dtype=object)[t] if len(t) else np.array([], dtype=object),
                       "pos": types["pos"].to_numpy(dtype=object)[t] if len(t) else np.array([], dtype=object)})
    counts = df.groupby("term", sort=False)["n"].sum()
    # the dominant tag of each term: most tokens, ties alphabetical
    by_tag = df.groupby(["term", "pos"], sort=False)["n"].sum().reset_index()
    by_tag = by_tag.sort_values(["term", "n", "pos"], ascending=[True, False, True], kind="mergesort")
    pos_of = by_tag.drop_duplicates("term").set_index("term")["pos"]
    speeches = df.groupby("term", sort=False)["speech"].nunique()
    out = pd.DataFrame({"term": counts.index.to_numpy(dtype=object), "count": counts.to_numpy(dtype="int64")})
    out["pos"] = out["term"].map(pos_of).fillna("").astype(object)
    total = int(out["count"].sum())
    out["share"] = (out["count"] / total).round(6) if total else 0.0
    out["per_10k"] = (out["count"] * PER / max(1, int(tc.han_chars.sum()))).round(2)
    out["speeches"] = out["term"].map(speeches).fillna(0).astype("int64")
    out = out.sort_values(["count", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    out["rank"] = out["count"].rank(method="dense", ascending=False).astype("int64")
    return out[["term", "pos", "count", "share", "per_10k", "rank", "speeches"]]


# ====================================================================== public: substrings
class SubstringCounter:
    """Counts many terms in a text at once, each as ``str.count`` would.

    For each term: the number of non-overlapping occurrences found scanning left to right
    (``"哈哈哈".count("哈哈") == 1``), independently of the other terms (``人民`` inside
    ``人民群众`` counts for both). One Aho-Corasick automaton finds every occurrence of every
    term in one pass; per term the occurrences are then taken greedily left to right, which
    is what ``str.count`` does. With ``ahocorasick_rs`` (the default when installed) the scan
    runs over the UTF-8 bytes (a DFA), else ``pyahocorasick`` scans the ``str``; UTF-8 keeps
    matches on character boundaries and in the same order, so both count alike.

    Example:
        >>> SubstringCounter(["稳", "稳定", "哈哈"]).count("稳定稳中求进，哈哈哈")
        [2, 1, 1]
    """

    def __init__(self, terms: Iterable[str], *, backend: Literal["auto", "ahocorasick_rs", "pyahocorasick"] = "auto"):
        self.terms = list(dict.fromkeys(t for t in terms if t))
        if backend in ("auto", "ahocorasick_rs"):
            try:
                import ahocorasick_rs as ar

                self.backend = "ahocorasick_rs"
                self._ac = ar.BytesAhoCorasick([t.encode("utf-8", "surrogatepass") for t in self.terms],
                                               matchkind=ar.MatchKind.Standard,
                                               implementation=ar.Implementation.DFA) if self.terms else None
                return
            except ImportError:
                if backend == "ahocorasick_rs":
                    raise
        import ahocorasick

        self.backend = "pyahocorasick"
        self._ac = ahocorasick.Automaton()
        for i, t in enumerate(self.terms):
            self._ac.add_word(t, (i, len(t)))
        if self.terms:
            self._ac.make_automaton()

    def count(self, text: str | bytes) -> list[int]:
        """One count per term (in the order of :attr:`terms`); ``text`` a str or UTF-8 bytes."""
        n = len(self.terms)
        counts, free = [0] * n, [0] * n  # free[i]: where term i may next start
        if not n or not text:
            return counts
        if self.backend == "ahocorasick_rs":
            data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
            for i, s, e in self._ac.find_matches_as_indexes(data, overlapping=True):
                if s >= free[i]:
                    counts[i] += 1
                    free[i] = e
        else:
            data = text.decode("utf-8", "surrogatepass") if isinstance(text, bytes) else text
            for end, (i, m) in self._ac.iter(data):
                if end + 1 - m >= free[i]:
                    counts[i] += 1
                    free[i] = end + 1
        return counts


def corpus_substring_counts(
    source,
    terms: Iterable[str] | None = None,
    *,
    zeros: bool = True,
    workers: int | None = None,
    cache: bool | str | Path = True,
    progress: bool | None = None,
    errors: Errors = "raise",
) -> pd.DataFrame:
    """How often each term occurs in each speech's body as a plain substring (no segmenting).

    The counts are :func:`~analysis_utils.terms.substring_counts`'s, speech by speech:
    ``speech.body.count(term)``, non-overlapping, each term on its own (see
    :class:`SubstringCounter`). Cleaned bodies are cached per file, so a rerun reads no
    speech through the loader again.

    Args:
        source: a folder, a CSV/JSONL file, a speech file, or a list of them.
        terms: the terms; ``None`` = every phrase of the bundled lexicon.
        zeros: keep rows with count 0 (every speech × every term).
        workers, cache, progress, errors: see :func:`corpus_tokens`.

    Returns:
        Columns ``speech_id, term, count, per_10k`` (per 10,000 Chinese characters of the
        speech), speeches in source order, terms in the order given.

    Example:
        >>> corpus_substring_counts("speeches/", ["稳", "就业"])   # doctest: +SKIP
    """
    if terms is None:
        from ..lexicon import load_lexicon

        terms = load_lexicon().phrase
    counter = SubstringCounter([terms] if isinstance(terms, str) else terms)
    n = len(counter.terms)
    run = _Run(source, "body", cache=cache)
    ids, counts, hans = [], [], []
    for item, payload in run(workers=workers, progress=progress, errors=errors, desc="子串 substrings"):
        _, body, han = payload
        ids.append(item.id)
        counts.append(counter.count(body))
        hans.append(han)
    mat = np.array(counts, dtype=np.int64).reshape(len(ids), n)
    if zeros:
        sp, tm = np.repeat(np.arange(len(ids)), n), np.tile(np.arange(n), len(ids))
    else:
        sp, tm = np.nonzero(mat)  # row-major: speech order, then term order
    cnt = mat[sp, tm]
    han = np.maximum(1, np.array(hans, dtype=np.int64))
    return pd.DataFrame({
        "speech_id": np.array(ids, dtype=object)[sp] if len(sp) else np.array([], dtype=object),
        "term": np.array(counter.terms, dtype=object)[tm] if len(tm) else np.array([], dtype=object),
        "count": cnt,
        "per_10k": (cnt * PER / han[sp]).round(2) if len(sp) else np.zeros(0),
    }, columns=SUBSTRING_COUNT_COLUMNS)


# ====================================================================== public: any per-speech table
def _param_key(params: dict) -> str:
    """A stable hash of parameters: tables by content, existing files by content, the rest as text."""
    def norm(v):
        if isinstance(v, pd.DataFrame):
            return {"table": [list(map(str, v.columns))] + [list(map(str, r)) for r in v.itertuples(index=False)]}
        if isinstance(v, Path) or (isinstance(v, str) and len(v) < 4096 and os.path.isfile(v)):
            return {"file": _digest(v)}
        if isinstance(v, dict):
            return {str(k): norm(x) for k, x in sorted(v.items())}
        if isinstance(v, (list, tuple, set, frozenset)):
            items = [norm(x) for x in v]
            return sorted(items, key=repr) if isinstance(v, (set, frozenset)) else items
        return v if v is None or isinstance(v, (bool, int, float, str)) else repr(v)
    return _hash_obj(norm(params))


def corpus_map(
    source,
    func,
    *,
    params: dict | None = None,
    workers: int | None = None,
    cache: bool | str | Path = True,
    progress: bool | None = None,
    errors: Errors = "raise",
) -> Iterator[tuple[CorpusItem, pd.DataFrame]]:
    """``func(speech, **params)`` for every speech of a source, in source order, on all cores.

    ``func`` must be a module-level function of a loaded :class:`Speech` returning a
    DataFrame. Each result is cached per file (or row) content, ``params`` (tables and files
    by content) and the package's code and data, when its columns are strings and numbers.

    Example:
        >>> from analysis_utils.slogans import slogan_counts
        >>> for item, df in corpus_map("speeches/", slogan_counts, params={"kinds": "number"}):  # doctest: +SKIP
        ...     print(item.id, len(df))
    """
    params = dict(params or {})
    run = _Run(source, "map", options=_Mapper(func, params, _param_key(params)), cache=cache)
    for item, payload in run(workers=workers, progress=progress, errors=errors, desc="计算 per speech"):
        yield item, payload[1]


def _slogan_counts_job(speech, *, kinds, lexicon, overlap) -> pd.DataFrame:
    from ..slogans import slogan_counts

    df = slogan_counts(speech, kinds=kinds, lexicon=lexicon, overlap=overlap)
    return df[["slogan", "kind", "count"]].reset_index(drop=True)


def corpus_slogan_matrix(
    source,
    *,
    kinds: Iterable[str] | str | None = None,
    lexicon=None,
    overlap: Literal["longest", "all"] = "longest",
    workers: int | None = None,
    cache: bool | str | Path = True,
    progress: bool | None = None,
    errors: Errors = "raise",
) -> pd.DataFrame:
    """The slogan × speech table of :func:`~analysis_utils.slogans.slogan_matrix`, on all cores
    and cached per speech (a rerun only counts the speeches that changed).

    Returns:
        Columns ``slogan, kind, total, speeches``, then one count column per speech named by
        its id, in source order. Sorted by kind, total descending, then slogan.
    """
    from ..slogans import KINDS, matrix_from_counts
    from ..slogans import check_kinds as _check_kinds
    from ..slogans import resolve_lexicon as _resolve_lexicon

    kinds = _check_kinds(KINDS if kinds is None else kinds)
    params = {"kinds": list(kinds), "lexicon": _resolve_lexicon(lexicon), "overlap": overlap}
    counts, ids = [], []
    for item, df in corpus_map(source, _slogan_counts_job, params=params, workers=workers, cache=cache,
                               progress=progress, errors=errors):
        ids.append(item.id)
        counts.append(df.assign(speech=item.id))
    return matrix_from_counts(counts, ids)
