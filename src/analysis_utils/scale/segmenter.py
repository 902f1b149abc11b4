"""The same tokens, cut by compiled code: :class:`FastSegmenter`, :class:`PlainJieba`, and the
tokenizers the corpus functions build (:func:`fast_tokenizer`, :class:`TokenizerOptions`).

:class:`FastSegmenter` gives the :class:`~analysis_utils.Tokenizer` jieba's exact words: text
blocks made only of Chinese characters go to `rjieba <https://pypi.org/project/rjieba/>`_ (the
Rust port of jieba, loaded with *this* tokeniser's dictionary: jieba's ``dict.txt``, the added
words, the same total), every other block to jieba itself. Tests compare the two token for
token on the seed and every corpus speech. Without rjieba installed, jieba's Python code is used.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import re
import sys
import weakref
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Any

from .. import config
from ..tokenizer import Tokenizer, new_jieba, stand_in_for
from .cache import CACHE_FORMAT, SOURCES_TOKENS, digest, encode_counts, hash_obj, jieba_dict_path, package_version, sources_digest
from .postag import FastPOSTokenizer

#: jieba 0.42.1's blocks (``jieba.re_han_default``).
_JIEBA_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
#: A word of Private Use characters that never reaches rjieba: it carries the frequency
#: jieba counts in its total but keeps in no word (a word listed twice in dict.txt).
_TOTAL_FILLER = "\ue000\ue001"
#: What rjieba does not see: jieba blocks holding a letter, digit or symbol (cut by jieba's
#: Python code), and characters jieba leaves out of its blocks that rjieba's newer versions
#: put in theirs (CJK outside U+4E00–U+9FD5) or cannot take (lone surrogates).
_NOT_RJIEBA = re.compile(
    "(?<![\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-])[\u4E00-\u9FD5]*+[a-zA-Z0-9+#&\\._%\\-][\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]*+"
    "|[\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\uD800-\uDFFF\U00020000-\U0003FFFF]")


def _rjieba() -> Any:
    """rjieba's ``Jieba`` class, without running ``import rjieba``'s module code, which loads
    rjieba's own bundled dictionary into a default instance the package never uses (0.2–0.4 s
    and tens of MB in every process). Its compiled module is loaded as ``rjieba.rjieba`` (what
    ``import rjieba`` then takes too: the same class); ``ImportError`` when rjieba is not installed.

    Example:
        >>> import rjieba
        >>> _rjieba() is rjieba.Jieba
        True
    """
    loaded = sys.modules.get("rjieba.rjieba")
    if loaded is None:
        package = importlib.util.find_spec("rjieba")
        spec = importlib.machinery.PathFinder.find_spec("rjieba.rjieba", package.submodule_search_locations) \
            if package is not None and package.submodule_search_locations else None
        if spec is None or spec.loader is None:
            raise ImportError("rjieba is not installed", name="rjieba")
        loaded = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(loaded)
        sys.modules["rjieba.rjieba"] = loaded
    return loaded.Jieba


class FastSegmenter:
    """jieba's ``cut`` for one jieba dictionary, in compiled code where that is provably equal.

    ``FastSegmenter(jt, hmm=True)(text)`` returns the list ``jt.lcut(text, HMM=hmm)`` would,
    for a ``jieba.Tokenizer`` ``jt`` that is initialised (words added with ``add_word`` are
    included: the Rust dictionary is built from ``jt.FREQ`` and ``jt.total``). Plug it into a
    :class:`~analysis_utils.Tokenizer` with ``tok.use_segmenter(FastSegmenter.for_tokenizer(tok))``.

    Text is split into jieba's blocks exactly as jieba splits it; blocks of Chinese
    characters only are cut by rjieba, the others (numbers, Latin letters, mixed) by jieba's
    Python code, white space and symbols as jieba does. Raises ``ImportError`` without rjieba.

    Args:
        jt: an initialised ``jieba.Tokenizer`` (its dictionary is copied once, here).
        hmm: let jieba guess unknown words with its HMM, as ``jt.cut(text, HMM=hmm)``.

    Example:
        >>> from analysis_utils.tokenizer import new_jieba
        >>> seg = FastSegmenter(new_jieba())
        >>> seg("我们中出了一个叛徒")
        ['我们', '中出', '了', '一个', '叛徒']
    """

    def __init__(self, jt, *, hmm: bool = True):
        jt.check_initialized()
        self._jt = jt
        self.hmm = hmm
        rs = _rjieba().empty()  # an optional accelerator: ImportError says it is missing
        freq = jt.FREQ
        if min(freq.values(), default=0) >= 0:  # every word added in one C loop (0.2 s, not 0.4)
            deque(map(rs.add_word, compress(freq, freq.values()), filter(None, freq.values()), repeat(None)), 0)
            kept = sum(freq.values())
        else:  # never from jieba's own code: a FREQ someone set by hand
            kept = 0
            for word, n in freq.items():
                if n > 0:  # jieba's prefix entries (freq 0) are not words
                    rs.add_word(word, n, None)
                    kept += n
        if jt.total > kept:
            rs.add_word(_TOTAL_FILLER, jt.total - kept, None)
        self._rs = rs
        self._blocks: dict[str, list[str]] = {}

    @classmethod
    def for_tokenizer(cls, tok: Tokenizer) -> FastSegmenter:
        """The segmenter for an :class:`~analysis_utils.Tokenizer` (its dictionary and ``hmm``)."""
        return cls(tok.jieba_tokenizer, hmm=tok.hmm)

    def __call__(self, text: str) -> list[str]:
        # One rjieba call per text: every jieba block that is not pure Chinese (letters,
        # digits, symbols: jieba's Python code cuts it) and every character rjieba might read
        # otherwise than jieba (CJK outside jieba's range, lone surrogates) is replaced by a
        # stand-in character both cut alone, then put back, cut by jieba.
        stand_in = stand_in_for(text)
        if stand_in is None:  # a text holding thousands of control and Private Use characters
            return self._jt.lcut(text, HMM=self.hmm)
        others: list[list[str]] = []
        pieces: list[str] = []
        cursor = 0
        for m in _NOT_RJIEBA.finditer(text):
            blk = m.group()
            pieces += (text[cursor:m.start()], stand_in)
            cursor = m.end()
            others.append([blk] if len(blk) == 1 and not _JIEBA_BLOCK.fullmatch(blk) else self._py_cut(blk))
        if not others:
            return self._rs.cut(text, self.hmm)
        pieces.append(text[cursor:])
        words = self._rs.cut("".join(pieces), self.hmm)
        out: list[str] = []
        i = 0
        for repl in others:
            j = words.index(stand_in, i)
            out += words[i:j]
            out += repl
            i = j + 1
        out += words[i:]
        return out

    def _py_cut(self, block: str) -> list[str]:
        """jieba's Python cut of one block (remembered: 2015年, 5% … come back)."""
        words = self._blocks.get(block)
        if words is None:
            if len(self._blocks) > 100_000:
                self._blocks.clear()
            words = self._blocks[block] = self._jt.lcut(block, HMM=self.hmm)
        return words


def fast_tokenizer(**options) -> Tokenizer:
    """A :class:`~analysis_utils.Tokenizer` (same options) with :class:`FastSegmenter` plugged
    in when rjieba is installed: identical tokens, several times faster.

    Example:
        >>> fast_tokenizer(hmm=True).segmenter is not None   # rjieba is installed here
        True
    """
    tok = Tokenizer(**options)
    try:
        tok.use_segmenter(FastSegmenter.for_tokenizer(tok), tagger=FastPOSTokenizer(tok.pos_tagger))
    except ImportError:
        pass
    return tok


class PlainJieba:
    """jieba's own words for a text: ``jieba.lcut(text, HMM=hmm)`` with jieba's dictionary and
    nothing added (no formulation kept whole, no tags), cut by :class:`FastSegmenter`.

    What researchers who "counted with jieba" counted; ``cut`` has the shape of
    :meth:`Tokenizer.cut` (white space skipped, ``pos`` empty, origin ``jieba``).

    Example:
        >>> [t for t, *_ in PlainJieba().cut("推广一征三议两公开工作法")][:3]
        ['推广', '一征', '三议']
    """

    def __init__(self, *, hmm: bool = True):
        self.hmm = hmm
        self._jieba = new_jieba()
        self._segment: Callable[[str], Iterable[str]]
        try:
            self._segment = FastSegmenter(self._jieba, hmm=hmm)
        except ImportError:
            self._segment = lambda text: self._jieba.lcut(text, HMM=hmm)

    def cut(self, text: str, *, pos: bool = False) -> Iterator[tuple[str, int, int, str, str]]:
        """Yield ``(token, start, end, "", "jieba")`` for ``text``; white space is skipped."""
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


@dataclass(frozen=True)
class TokenizerOptions:
    """The options of :class:`~analysis_utils.Tokenizer`, hashable and picklable.

    Example:
        >>> a, b = TokenizerOptions(), TokenizerOptions(hmm=False)
        >>> a == TokenizerOptions(), a.fingerprint() == b.fingerprint()
        (True, False)
    """

    lexicon_files: tuple[str, ...] = ()
    userdicts: tuple[str, ...] = ()
    bundled_lexicon: bool = True
    detect_slogans: bool = True
    hmm: bool = True
    plain: bool = False  # jieba's own words, nothing else (see PlainJieba)

    def build(self) -> Tokenizer | PlainJieba:
        """A fast tokenizer with these options (see :func:`fast_tokenizer`)."""
        if self.plain:
            return PlainJieba(hmm=self.hmm)
        return fast_tokenizer(lexicon_files=self.lexicon_files, userdicts=self.userdicts,
                              bundled_lexicon=self.bundled_lexicon, detect_slogans=self.detect_slogans, hmm=self.hmm)

    def fingerprint(self) -> str:
        """Changes whenever the tokens could: versions, dictionary, lexicons, stopwords, flags,
        code; worked out from the options, without building the tokenizer."""
        import jieba

        if self.plain:
            return hash_obj({"format": CACHE_FORMAT, "plain": True, "jieba": jieba.__version__,
                             "dict": digest(jieba_dict_path()), "hmm": self.hmm})
        return hash_obj({
            "format": CACHE_FORMAT, "package": package_version(), "jieba": jieba.__version__,
            "dict": digest(jieba_dict_path()), "sources": sources_digest(SOURCES_TOKENS),
            "stopwords": digest(config.STOPWORDS_FILE),
            "lexicon": digest(config.LEXICON_FILE) if self.bundled_lexicon else None,
            "lexicon_files": [digest(f) for f in self.lexicon_files],
            "userdicts": [digest(f) for f in self.userdicts],
            "hmm": self.hmm, "detect_slogans": self.detect_slogans,
        })


_FAST_TWINS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def fast_twin(tok):
    """``tok`` itself if it has a segmenter (or is no :class:`~analysis_utils.Tokenizer`), else a
    copy of it (same dictionaries, same tokens) cutting with :class:`FastSegmenter`; the caller's
    tokenizer is left as it was. The copy is remembered while ``tok`` is unchanged."""
    if not isinstance(tok, Tokenizer) or tok.segmenter is not None:
        return tok
    twin = _FAST_TWINS.get(tok)
    if twin is None or twin.fingerprint != tok.fingerprint:  # words added since: a new twin
        try:
            twin = tok.with_segmenter(FastSegmenter.for_tokenizer(tok), tagger=FastPOSTokenizer(tok.pos_tagger))
        except ImportError:
            return tok
        _FAST_TWINS[tok] = twin
    return twin
