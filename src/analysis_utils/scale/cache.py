"""The token cache: fingerprints, record formats and the cache folder.

Each speech's tokens are stored in ``.cache/tokens/`` (or ``$ANALYSIS_UTILS_CACHE``), keyed by
the SHA-256 of its cleaned body and a fingerprint of the tokeniser (jieba version, dictionary
file, lexicon and user dictionaries, stopwords, ``hmm``/``detect_slogans``, the package's
version and source). A rerun reads the cache; a changed speech is cut again, a changed lexicon
makes a new fingerprint. A second record per *file* (keyed by the file's bytes; an unchanged
size/mtime/inode is trusted, as git does) keeps the cleaned body, so a rerun skips the loader
too; and the finished table of a question is kept (:func:`save_frame`), so asking it again
about unchanged speeches only reads it back. Delete the folder to reclaim the space. Every
file is written atomically (:func:`analysis_utils.outputs.atomic_write`) and sealed with a
checksum of its bytes (:func:`seal`); a file that fails it, or that is not this user's own
(another owner, or writable by others), is never used: it is made again. jieba's dictionary
is kept here too (:func:`jieba_image`), never in the shared temporary folder. A cache
that cannot be written (read-only, full, a file where a folder should be) is not fatal:
:meth:`Store.put` reports why and the run goes on without it.

Example:
    >>> rec = decode_tokens(encode_tokens([("发展", 0, 2, "vn", "jieba"), ("。", 2, 3, "x", "jieba")], 2))
    >>> rec.keys, rec.han_chars
    (['发展\\tvn\\tjieba', '。\\tx\\tjieba'], 2)
    >>> rec.tokens()["end"].tolist()
    [2, 3]
"""
from __future__ import annotations

import hashlib
import hmac
import json
import marshal
import os
import stat
import struct
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .. import config
from ..errors import SpeechError
from ..outputs import atomic_write
from ..reading import read_file
from ..tokenizer import CutTable, read_tag_table, record_key
from .sources import CorpusItem

CACHE_FORMAT = 2  # 2: every file sealed with a checksum
#: The code cleaned bodies depend on (a folder: every .py file in it).
SOURCES_LOADER = ("reading", "speech.py", "text.py")
#: The code tokens depend on (FastSegmenter is proven to cut as jieba does, so scale/ is not
#: here: a change to the record format bumps CACHE_FORMAT instead).
SOURCES_TOKENS = ("tokenizer.py", "slogans/number.py", "lexicon.py", "reading", "text.py")


# ====================================================================== fingerprints
@lru_cache(maxsize=256)
def _digest_cached(path: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes (remembered while its size and mtime stay the same)."""
    try:
        st = os.stat(path)
    except OSError:
        raise SpeechError(path, "no such file") from None
    return _digest_cached(str(path), st.st_mtime_ns, st.st_size)


def package_version() -> str:
    """The installed version of the package (``unknown`` when it is not installed)."""
    try:
        from importlib.metadata import version

        return version("analysis-utils")
    except Exception:  # not installed: the sources digested with it still pin the code
        return "unknown"


def sources_digest(names: Sequence[str]) -> list[str]:
    """Digests of the package's source files named (a folder: every .py file in it; the data
    folder: every file, since stop-lists and word lists change counts too)."""
    paths: list[Path] = []
    for n in names:
        p = config.PACKAGE_DIR / n
        if p == config.DATA_DIR:
            paths += sorted(f for f in p.rglob("*") if f.is_file())
        else:
            paths += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return [digest(p) for p in paths]


def package_digest() -> list[str]:
    """Every source and data file of the package (what a per-speech result may depend on)."""
    files = sorted(config.PACKAGE_DIR.rglob("*.py")) + sorted(p for p in config.DATA_DIR.iterdir() if p.is_file())
    return [f"{f.relative_to(config.PACKAGE_DIR).as_posix()}:{digest(f)}" for f in files]


def jieba_dict_path() -> Path:
    """jieba's bundled ``dict.txt``."""
    import jieba

    return Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)


class JiebaImage(NamedTuple):
    """jieba's dictionary as jieba holds it, made from its ``dict.txt`` by jieba's own code."""

    freq: dict[str, int]   # ``jieba.Tokenizer.FREQ``: every word and prefix (prefixes: 0)
    total: int             # ``jieba.Tokenizer.total``
    tags: dict[str, str]   # ``jieba.posseg``'s ``word → tag`` table (``POSTokenizer.word_tag_tab``)


#: The layout of a stored :class:`JiebaImage` (part of its file name).
IMAGE_FORMAT = 1


def jieba_dictionary() -> tuple[dict[str, int], int]:
    """jieba's dictionary as jieba holds it (``FREQ``, ``total``): of :func:`jieba_image`, a
    copy of ``FREQ`` (a tokenizer adds words to its own).

    Example:
        >>> freq, total = jieba_dictionary()
        >>> freq["中华人民共和国"] > 0 and total > 0
        True
    """
    image = jieba_image()
    return dict(image.freq), image.total


def jieba_image() -> JiebaImage:
    """jieba's dictionary and tag table (:class:`JiebaImage`), read from one file in well under a
    second instead of parsing jieba's ``dict.txt`` twice (about a second), once per process.

    The file is kept in ``<cache>/jieba/`` (:func:`default_cache_dir`, once that folder exists: a
    corpus function with the cache on makes it, ``cache=False`` writes nothing), made the first
    time from ``dict.txt`` by jieba's own code, and named by the image's layout, jieba's version
    and the content of ``dict.txt``. jieba's own cache in the shared temporary folder
    (``jieba.cache``, which anyone can plant) is neither read nor written. Like every cache file
    here, the stored image is used only when it is this user's own and its checksum holds;
    otherwise, or when the folder cannot be written, it is made from ``dict.txt``. The tables
    returned are this process's own: never change them (copy them).

    Example:
        >>> image = jieba_image()
        >>> image.tags["中华人民共和国"], image.freq["中华人民共和国"] > 0
        ('ns', True)
    """
    global _DICTIONARY
    import jieba

    source, root = jieba_dict_path(), default_cache_dir()
    path = root / "jieba" / f"image{IMAGE_FORMAT}-{jieba.__version__}-{digest(source)[:16]}.marshal"
    if _DICTIONARY is None or _DICTIONARY[0] != path.name:
        image = decode_image(read(path))
        if image is None:
            image = build_jieba_image(source)
            _keep(path, root, image)
        _DICTIONARY = path.name, image
    elif not path.exists():  # a new cache folder: given the image this process holds
        _keep(path, root, _DICTIONARY[1])
    return _DICTIONARY[1]


#: This process's image: (its file name: jieba's version and dict.txt's content, the image).
_DICTIONARY: tuple[str, JiebaImage] | None = None


#: Dictionary files this package stored before the image (jieba's FREQ and total only, about 9 MB
#: each, one per jieba version and ``dict.txt``): no longer read, removed once an image is stored.
_OLD_DICTIONARIES = "dict-*.marshal"


def _keep(path: Path, root: Path, image: JiebaImage) -> None:
    if root.is_dir() and write(path, encode_image(image)) is None:  # else: made again next time
        for old in path.parent.glob(_OLD_DICTIONARIES):
            try:
                old.unlink()
            except OSError:  # another process removed it first, or a folder we may not change
                pass


def build_jieba_image(source: Path) -> JiebaImage:
    """The image of a jieba dictionary file, made by jieba's own code (``Tokenizer.gen_pfdict``,
    ``POSTokenizer.load_word_tag``); the tag table's words are the dictionary's own strings."""
    import jieba

    with open(source, "rb") as f:
        freq, total = jieba.Tokenizer.gen_pfdict(f)
    same = {w: w for w in freq}  # one string per word: stored once, read back shared
    tags = {same.get(w, w): sys.intern(t) for w, t in read_tag_table(open(source, "rb")).items()}
    return JiebaImage(freq, total, tags)


def encode_image(image: JiebaImage) -> bytes:
    """The bytes of a stored image (sealed when written: :func:`write`).

    Example:
        >>> decode_image(encode_image(JiebaImage({"党": 3, "党建": 2}, 5, {"党": "n"})))
        JiebaImage(freq={'党': 3, '党建': 2}, total=5, tags={'党': 'n'})
        >>> decode_image(b"not an image") is None, decode_image(encode_image(JiebaImage({}, 0, {}))[:-1]) is None
        (True, True)
    """
    return marshal.dumps((IMAGE_FORMAT, image.freq, image.total, image.tags))


def decode_image(data: bytes | None) -> JiebaImage | None:
    """The image stored in ``data``; ``None`` when there is none or it is not one."""
    if data is None:
        return None
    try:
        fmt, freq, total, tags = marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None
    if fmt != IMAGE_FORMAT or type(freq) is not dict or type(total) is not int or type(tags) is not dict:
        return None
    return JiebaImage(freq, total, tags)


def hash_obj(obj) -> str:
    """SHA-256 of a JSON-able object (keys sorted)."""
    return hashlib.sha256(json.dumps(obj, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def loader_fingerprint() -> str:
    """What the cleaned body of a file depends on: the loader's code and version."""
    return hash_obj({"format": CACHE_FORMAT, "package": package_version(), "sources": sources_digest(SOURCES_LOADER)})


def tokenizer_fingerprint(tok) -> str:
    """The cache fingerprint of a :class:`~analysis_utils.Tokenizer` you built yourself: its
    own :attr:`~analysis_utils.Tokenizer.fingerprint` (protected words, words added to jieba,
    flags) with the package's code and the content of jieba's dictionary file."""
    return hash_obj({
        "format": CACHE_FORMAT, "package": package_version(), "dict": digest(jieba_dict_path()),
        "sources": sources_digest(SOURCES_TOKENS), "tokenizer": tok.fingerprint, "instance": True,
    })


def default_cache_dir() -> Path:
    """``$ANALYSIS_UTILS_CACHE``, else ``.cache/tokens/`` in the project root (git-ignored)."""
    env = os.environ.get("ANALYSIS_UTILS_CACHE")
    return Path(env) if env else config.PROJECT_ROOT / ".cache" / "tokens"


def param_key(params: dict) -> str:
    """A stable hash of parameters: tables by content, existing files by content, the rest as text."""
    def norm(v):
        if isinstance(v, pd.DataFrame):
            return {"table": [list(map(str, v.columns))] + [list(map(str, r)) for r in v.itertuples(index=False)]}
        if isinstance(v, Path) or (isinstance(v, str) and len(v) < 4096 and os.path.isfile(v)):
            return {"file": digest(v)}
        if isinstance(v, dict):
            return {str(k): norm(x) for k, x in sorted(v.items())}
        if isinstance(v, (list, tuple, set, frozenset)):
            items = [norm(x) for x in v]
            return sorted(items, key=repr) if isinstance(v, (set, frozenset)) else items
        return v if v is None or isinstance(v, (bool, int, float, str)) else repr(v)
    return hash_obj(norm(params))


# ====================================================================== token records
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
        starts = self.starts.astype("int64")
        return pd.DataFrame({"token": self._per_token([p[0] for p in parts]), "pos": self._per_token([p[1] for p in parts]),
                             "start": starts, "end": starts + self._per_token([len(p[0]) for p in parts], "int64"),
                             "origin": self._per_token([p[2] for p in parts])})

    def _per_token(self, per_type: list, dtype: str | type = object) -> np.ndarray:
        """A value per type, spread over the token sequence."""
        if not len(self.ids):
            return np.array([], dtype=dtype)
        return np.array(per_type or ["" if dtype is object else 0], dtype=dtype)[self.ids]


def encode_tokens(rows: Iterable[tuple] | CutTable, han_chars: int) -> bytes:
    """Pack ``Tokenizer.cut(body, pos=True)`` rows, or its :class:`~analysis_utils.tokenizer.CutTable`
    (``Tokenizer.cut_table``: the same, with fewer objects), into a cache record."""
    table = rows if isinstance(rows, CutTable) else CutTable.from_rows(rows)
    n_types = len(table.types)
    keys = table.keys if table.keys is not None else [record_key(t) for t in table.types]  # the tokeniser's, made once per type
    if None in keys:  # a type no record can hold: refused
        for token, _, _ in table.types:
            if "\n" in token or "\t" in token:
                raise ValueError(f"a token with a tab or line break cannot be cached: {token!r}")
        "\n".join(token for token, _, _ in table.types).encode("utf-8")  # UnicodeEncodeError: a lone surrogate
    blob = b"\n".join(keys)  # type: ignore[arg-type]  # no None in it
    width = 2 if n_types < 65536 else 4
    ids_arr = table.ids.astype(f"<u{width}")
    counts = np.bincount(ids_arr, minlength=n_types).astype("<u4") if len(ids_arr) else np.zeros(n_types, "<u4")
    head = _HEAD.pack(_MAGIC, width, n_types, len(ids_arr), han_chars, len(blob))
    return b"".join([head, blob, counts.tobytes(), ids_arr.tobytes(), table.starts.astype("<u4").tobytes()])


def encode_counts(counts: dict[str, int], han_chars: int) -> bytes:
    """A cache record of type counts only (``"token\\tpos\\torigin" → n``), without the sequence."""
    keys = list(counts)
    if any("\n" in k for k in keys):
        raise ValueError("a token with a line break cannot be cached")
    blob = "\n".join(keys).encode("utf-8")
    head = _HEAD.pack(_MAGIC, 2, len(keys), 0, han_chars, len(blob))
    return b"".join([head, blob, np.array([counts[k] for k in keys], dtype="<u4").tobytes()])


def counts_only(record: bytes) -> bytes:
    """A token record without its token sequence: the type counts the parent counts from. The
    record's header, keys and counts as they are (the sequence is the rest), nothing decoded.

    Example:
        >>> full = encode_tokens([("党", 0, 1, "n", "jieba"), ("党", 1, 2, "n", "jieba")], 2)
        >>> rec = decode_tokens(counts_only(full))
        >>> rec.keys, rec.counts.tolist(), len(rec.ids), rec.han_chars
        (['党\\tn\\tjieba'], [2], 0, 2)
    """
    magic, _, n_types, _, han, n_blob = _HEAD.unpack_from(record, 0)
    return _HEAD.pack(magic, 2, n_types, 0, han, n_blob) + record[_HEAD.size:_HEAD.size + n_blob + 4 * n_types]


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


def valid_tokens(data: bytes | None) -> bytes | None:
    """``data`` if it is an undamaged token record, else ``None``."""
    if data is None:
        return None
    try:
        decode_tokens(data, sequence=False)
    except ValueError:
        return None
    return data


# ====================================================================== files: sealed, owned
_SEAL = b"AUC2"
_SUM_SIZE = 32
_SEAL_SIZE = len(_SEAL) + _SUM_SIZE


def _checksum(name: str, data: bytes) -> bytes:
    h = hashlib.blake2b(name.encode("utf-8", "surrogatepass") + b"\0", digest_size=_SUM_SIZE)
    h.update(data)
    return h.digest()


def seal(name: str, data: bytes) -> bytes:
    """``data`` with a header: a magic and the BLAKE2b checksum of the file name and the data
    (a record renamed or copied over another one fails it too).

    Example:
        >>> sealed = seal("a.tok", b"206")
        >>> unseal("a.tok", sealed), unseal("b.tok", sealed), unseal("a.tok", sealed[:-3] + b"306")
        (b'206', None, None)
    """
    return _SEAL + _checksum(name, data) + data


def unseal(name: str, blob: bytes) -> bytes | None:
    """The data of a sealed file; ``None`` when the header or the checksum is wrong."""
    if len(blob) < _SEAL_SIZE or not blob.startswith(_SEAL):
        return None
    data = blob[_SEAL_SIZE:]
    return data if hmac.compare_digest(blob[len(_SEAL):_SEAL_SIZE], _checksum(name, data)) else None


def write(path: Path, data: bytes) -> str | None:
    """Write a cache file atomically, sealed (:func:`seal`); ``None`` when written, else why it
    could not be (the cache is an aid: a read-only, full or clobbered folder is not fatal)."""
    try:
        atomic_write(path, lambda tmp: tmp.write_bytes(seal(path.name, data)))
    except (OSError, SpeechError) as e:  # atomic_write names the file in a SpeechError
        return _why(path, e)
    return None


def _why(path: Path, e: OSError | SpeechError) -> str:
    """What went wrong writing ``path``, in a few words."""
    for p in path.parents:
        if p.exists() and not p.is_dir():
            return f"{p} is a file, not a folder"
    return (e.problem if isinstance(e, SpeechError) else e.strerror) or str(e)


def _open_own(path: Path):
    """``path`` opened for reading if it is a regular file this user owns and no one else may
    write; else ``None`` (never blocks on a FIFO, never follows a final symlink). Windows keeps
    no such owners and modes: there, any regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    st = os.fstat(fd)
    private = os.name == "nt" or (st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))
    if not (private and stat.S_ISREG(st.st_mode)):
        os.close(fd)
        return None
    return os.fdopen(fd, "rb")


def foreign_folder(root: Path) -> str | None:
    """Why the cache folder ``root`` is not to be used (it belongs to another user), or ``None``.

    Its files would be refused one by one (:func:`_open_own`); this says so once instead.
    """
    try:
        owner = root.stat().st_uid
    except OSError:
        return None  # not there yet (made when written), or not a folder: writing says why
    if os.name != "nt" and owner != os.geteuid():
        return f"it belongs to another user (uid {owner})"
    return None


def read(path: Path | None) -> bytes | None:
    """A cache file's data, ``None`` when there is none (or no cache), when it is not this
    user's own (:func:`_open_own`) or when its checksum fails (:func:`unseal`)."""
    if path is None:
        return None
    try:
        f = _open_own(path)
        if f is None:
            return None
        with f:
            return unseal(path.name, f.read())
    except OSError:
        return None


# ====================================================================== tag memo
class TagMemo:
    """The part-of-speech tags jieba's tagger worked out for words its HMM made up (they depend
    only on the word and the dictionary), kept for the next run in ``folder`` (the token cache
    folder of one tokeniser fingerprint: ``<root>/<fingerprint>/tags/``).

    :meth:`load` gives a tokeniser every tag remembered there (``memo.bin``, and what worker
    processes left in files of their own, merged into it and removed); :meth:`save` writes this
    process's new tags (``Tokenizer.learned``) to a file of its own. Files are sealed like every
    cache file (a damaged or foreign file is ignored) and each tag is checked again when taken
    (``Tokenizer.remember_tags``); a folder that cannot be written only means tags are worked
    out again next time.
    """

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._mine: Path | None = None
        self._saved = 0

    def load(self, tok) -> int:
        """Give ``tok`` the tags remembered; returns how many it took."""
        if self.folder is None:
            return 0
        tags: dict[str, str] = {}
        own = sorted(p for p in self._files() if p.name != "memo.bin")
        merged = []
        for path in [self.folder / "memo.bin", *own]:
            found = _decode_tags(read(path))
            if found is not None:
                tags.update(found)
                merged.append(path)
        taken = tok.remember_tags(tags)
        if own and merged and write(self.folder / "memo.bin", _encode_tags(tags)) is None:
            for path in merged:
                if path.name != "memo.bin":
                    path.unlink(missing_ok=True)
        tok.learned.clear()
        return taken

    def save(self, tok, *, every: int = 1) -> None:
        """Write the tags ``tok`` learned in this process (when ``every`` more are new)."""
        if self.folder is None or len(tok.learned) - self._saved < every or not tok.learned:
            return
        if self._mine is None:
            self._mine = self.folder / f"{os.getpid()}-{os.urandom(4).hex()}.bin"
        if write(self._mine, _encode_tags(tok.learned)) is None:
            self._saved = len(tok.learned)

    def _files(self) -> list[Path]:
        try:
            return [p for p in self.folder.iterdir() if p.suffix == ".bin"] if self.folder else []
        except OSError:
            return []


def _encode_tags(tags: dict[str, str]) -> bytes:
    ok = [(w, t) for w, t in tags.items() if "\n" not in w and "\n" not in t]
    return ("\n".join(w for w, _ in ok) + "\0" + "\n".join(t for _, t in ok)).encode("utf-8", "surrogatepass")


def _decode_tags(data: bytes | None) -> dict[str, str] | None:
    if data is None:
        return None
    try:
        words, tags = data.decode("utf-8", "surrogatepass").split("\0")
    except ValueError:
        return None
    words_, tags_ = words.split("\n"), tags.split("\n")
    return dict(zip(words_, tags_)) if len(words_) == len(tags_) else None


# ====================================================================== body records
def encode_body(body: str, han: int) -> bytes:
    """A body record: a JSON header (``body_sha``, ``han_chars``), a line break, the UTF-8 body."""
    b = body.encode("utf-8", "surrogatepass")
    head = json.dumps({"body_sha": hashlib.sha256(b).hexdigest(), "han_chars": han})
    return head.encode() + b"\n" + b


def decode_body(data: bytes | None) -> tuple[bytes, int, str] | None:
    """(body as UTF-8 bytes, han_chars, body sha) of a body record; ``None`` when damaged."""
    if data is None:
        return None
    try:
        nl = data.index(b"\n")
        head = json.loads(data[:nl])
        return data[nl + 1:], head["han_chars"], head["body_sha"]
    except (ValueError, KeyError, TypeError):
        return None


def body_sha_of(path: Path) -> str | None:
    """The ``body_sha`` in a body record's header, read without the body (so without its
    checksum: the record is checked when it is read, and a wrong sha names no token record)."""
    try:
        f = _open_own(path)
        if f is None:
            return None
        with f:
            if f.read(len(_SEAL)) != _SEAL:
                return None
            f.seek(_SEAL_SIZE)
            sha = json.loads(f.readline())["body_sha"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return sha if isinstance(sha, str) and len(sha) == 64 and all(c in "0123456789abcdef" for c in sha) else None


@dataclass(frozen=True)
class Plan:
    """What the cache holds for one speech (found before any work is done)."""

    rawkey: str | None
    size: int
    body_path: Path | None       # the cached cleaned body of this file/row, if there is one
    body_sha: str | None
    token_path: Path | None      # the cached tokens (or per-speech table), if there are any
    error: str | None = None


class Store:
    """Where records live: ``<root>/speeches/<loader fp>/…``, ``<root>/<tokenizer fp>/…`` and
    ``<root>/map/<function fp>/…``; :attr:`problem` says why the cache could not be written
    (after which nothing more is written to it)."""

    def __init__(self, root: Path | None, token_fp: str | None, map_fp: str | None = None):
        self.root = root
        self.problem: str | None = None
        self.loader_fp = loader_fingerprint()[:16] if root else None
        self.token_fp = token_fp[:16] if (root and token_fp) else None
        self._bodies = f"{root}/speeches/{self.loader_fp}" if root else None
        self._tokens = f"{root}/{self.token_fp}" if self.token_fp else None
        self._maps = f"{root}/map/{map_fp[:16]}" if (root and map_fp) else None

    def map_path(self, rawkey: str) -> Path | None:
        return Path(f"{self._maps}/{rawkey[:2]}/{rawkey}.bin") if self._maps else None

    def body_path(self, rawkey: str) -> Path | None:
        return Path(f"{self._bodies}/{rawkey[:2]}/{rawkey}.txt") if self._bodies else None

    def token_path(self, body_sha: str) -> Path | None:
        return Path(f"{self._tokens}/{body_sha[:2]}/{body_sha}.tok") if self._tokens else None

    def result_path(self, key: str) -> Path | None:
        return self.root / (self.token_fp or "speeches") / "results" / f"{key}.bin" if self.root else None

    def put(self, path: Path | None, data: bytes) -> None:
        """Write a record (:func:`write`), unless there is no cache or it failed before."""
        if path is not None and self.problem is None:
            self.problem = write(path, data)


class StatIndex:
    """``path → (size, mtime, ctime, inode, content hash)`` of the files hashed before, so an
    unchanged file is not read again to learn its hash (what git's index does)."""

    def __init__(self, root: Path | None):
        self.path = root / "stat-index.json" if root else None
        self.entries: dict[str, list] = {}
        self.dirty = False
        data = read(self.path)
        if data is not None:
            try:
                entries = json.loads(data)
            except ValueError:
                entries = None
            self.entries = entries if isinstance(entries, dict) else {}

    def rawkey(self, item: CorpusItem) -> tuple[str, int]:
        """(content hash, size in bytes) of a file or a row's text."""
        if item.text is not None:
            data = item.text.encode("utf-8", "surrogatepass")
            return hashlib.sha256(b"row\0" + data).hexdigest(), len(data)
        path = Path(item.path or "")
        try:
            st = path.stat()
        except OSError as e:
            raise SpeechError(path, f"cannot be read ({e.strerror or e})") from None
        name = os.path.abspath(path)
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        known = self.entries.get(name)
        if known is not None and known[:4] == stamp:
            return known[4], st.st_size
        data = read_file(path)  # regular files only, within the size limit: never a FIFO or /dev/zero
        key = hashlib.sha256(b"file\0" + path.suffix.lower().encode() + b"\0" + data).hexdigest()
        if self.path is not None:
            self.entries[name] = stamp + [key]
            self.dirty = True
        return key, len(data)

    def save(self) -> str | None:
        """Write the index if it changed; ``None``, or why it could not be written."""
        problem = None
        if self.dirty and self.path is not None:
            problem = write(self.path, json.dumps(self.entries, ensure_ascii=False).encode("utf-8"))
            self.dirty = False
        return problem
