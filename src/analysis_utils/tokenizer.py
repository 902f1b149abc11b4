"""Tokenising with jieba, through an explicit ``Tokenizer`` object (no global jieba state).

Formulations stay whole: before jieba sees the text, the tokeniser marks protected spans
(lexicon phrases, the items of chained lexicon phrases such as 获得感、幸福感、安全感, number
slogans found by pattern, established names, redaction placeholders) and lets jieba cut only
the text between them. An established name of ``data/established_names.tsv`` (中央军事委员会,
全国人民代表大会常务委员会, 一带一路 …) is never cut: a lexicon phrase or slogan that begins
or ends inside it gives way; one that contains it whole keeps it whole. Offsets are into the
text given (for a speech: its body), so ``body[start:end] == token`` for every row.

Every ``jieba.Tokenizer`` the package uses is made by :func:`new_jieba`: jieba's dictionary
comes from the package's own cache folder or from ``dict.txt``, never from jieba's cache in the
shared temporary folder, and jieba's log lines stay off stderr.
"""
from __future__ import annotations

import bisect
import copy
import hashlib
import importlib
import io
import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import ahocorasick_rs
import jieba
import numpy as np
import pandas as pd

from .errors import SpeechError
from .lexicon import load_established_names, load_lexicon, load_stopwords
from .reading import PLACEHOLDER_RE
from .slogans import find_number_slogans
from .slogans.number import share_jieba_tags
from .speech import Speech
from .text import HAN_RE, leftmost_longest


def _quiet_jieba() -> None:
    """jieba's log lines ("Building prefix dict …", "Loading model cost …", a traceback when
    its temporary cache cannot be written) go nowhere instead of to stderr."""
    jieba.setLogLevel(logging.WARNING)
    jieba.default_logger.removeHandler(jieba.log_console)
    if not any(isinstance(h, logging.NullHandler) for h in jieba.default_logger.handlers):
        jieba.default_logger.addHandler(logging.NullHandler())


_quiet_jieba()


class _NoDictionary:
    """What ``jieba.posseg`` is given as jieba's default tokenizer while it is imported: its
    global tagger then reads an empty dictionary file instead of ``dict.txt`` (0.2–0.4 s)."""

    def get_dict_file(self):
        return io.BytesIO(b"")


def _import_posseg() -> None:
    """Import ``jieba.posseg`` without its reading jieba's ``dict.txt`` for its global tagger
    (``jieba.posseg.dt``), which the package never uses: that tagger reads its table the first
    time it is used instead (:class:`_DeferredTable`), from the same dictionary file, so
    ``jieba.posseg.cut`` tags as it would have. Nothing changes when it was imported before."""
    if "jieba.posseg" in sys.modules:
        return
    default, dictionary = jieba.dt, jieba.dt.dictionary
    jieba.dt = _NoDictionary()
    try:
        posseg = importlib.import_module("jieba.posseg")
    finally:
        jieba.dt = default
    dt = posseg.dt
    dt.tokenizer = default
    del dt.word_tag_tab
    dt.__class__ = _deferred_table_class()
    dt._dictionary = dictionary


def _deferred_table_class() -> type:
    class _DeferredTable(jieba.posseg.POSTokenizer):
        """``jieba.posseg.dt``, reading its ``word → tag`` table when it is first used, from the
        dictionary jieba's default tokenizer had when ``jieba.posseg`` was imported (jieba's
        ``dict.txt``: from the package's image, :func:`~analysis_utils.scale.cache.jieba_image`)."""

        _dictionary: str | None

        @property
        def word_tag_tab(self) -> dict[str, str]:
            table = self.__dict__.get("_table")
            if table is None:
                if self._dictionary == jieba.DEFAULT_DICT:
                    from .scale.cache import jieba_image

                    table = self.__dict__["_table"] = dict(jieba_image().tags)
                else:  # jieba's own code, as at its import
                    table = self.__dict__["_table"] = read_tag_table(open(str(self._dictionary), "rb"))
            return table

        @word_tag_tab.setter
        def word_tag_tab(self, table: dict[str, str]) -> None:
            self.__dict__["_table"] = table

    return _DeferredTable


_import_posseg()
import jieba.posseg  # noqa: E402  (imported above, without reading dict.txt)


def read_tag_table(f) -> dict[str, str]:
    """jieba.posseg's ``word → tag`` table of a dictionary file ``f`` (opened in binary), read by
    jieba's own code (``POSTokenizer.load_word_tag``, which closes ``f``): the one way it is read."""
    reader = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)  # jieba's __init__ would read dict.txt
    jieba.posseg.POSTokenizer.load_word_tag(reader, f)
    return reader.word_tag_tab


def new_jieba() -> jieba.Tokenizer:
    """A new ``jieba.Tokenizer`` with jieba's own dictionary, ready to cut: the one way the
    package makes one.

    jieba's ``initialize`` would read and write ``jieba.cache`` in the shared temporary folder,
    where another user can plant one that changes every cut; here the dictionary comes from
    :func:`analysis_utils.scale.cache.jieba_dictionary` instead (this user's cache folder,
    checksummed, or built from ``dict.txt``), and nothing is written to the temporary folder.

    Example:
        >>> jt = new_jieba()
        >>> jt.lcut("中华人民共和国成立")
        ['中华人民共和国', '成立']
    """
    from .scale.cache import jieba_dictionary  # not at the top: scale imports this module

    jt = jieba.Tokenizer()
    jt.FREQ, jt.total = jieba_dictionary()
    jt.initialized = True
    return jt


class _Tagger(jieba.posseg.POSTokenizer):
    """jieba's part-of-speech tagger, reading its ``word → tag`` table once per process: jieba's
    ``dict.txt``'s from the package's image (:func:`~analysis_utils.scale.cache.jieba_image`),
    any other dictionary file's by jieba's code (0.2 s a time); each tagger gets its own copy
    (jieba's tagger merges the words added to its tokenizer into it), made in a hundredth of the time.

    Example:
        >>> a, b = _Tagger(new_jieba()), _Tagger(new_jieba())
        >>> a.word_tag_tab == b.word_tag_tab and a.word_tag_tab is not b.word_tag_tab
        True
    """

    _tables: dict[str, dict[str, str]] = {}
    word_tag_tab: dict[str, str]

    def __init__(self, tokenizer: jieba.Tokenizer):  # jieba's opens the dictionary file: not needed
        self.tokenizer = tokenizer
        self.word_tag_tab = dict(self.table_of(tokenizer))

    @classmethod
    def table_of(cls, jt: jieba.Tokenizer) -> dict[str, str]:
        """The table as read from ``jt``'s dictionary file (never changed: taggers get copies)."""
        key = str(jt.dictionary)
        table = cls._tables.get(key)
        if table is None:
            if jt.dictionary == jieba.DEFAULT_DICT:
                from .scale.cache import jieba_image  # not at the top: scale imports this module

                table = jieba_image().tags
            else:
                table = read_tag_table(jt.get_dict_file())
            cls._tables[key] = table
        return table

    def load_word_tag(self, f) -> None:  # what jieba's initialize(dictionary) calls
        f.close()
        self.word_tag_tab = dict(self.table_of(self.tokenizer))


TOKEN_COLUMNS = ["token", "pos", "start", "end", "paragraph", "sentence", "origin"]
#: jieba's tag for formulations from the lexicon and detected number slogans.
FORMULATION_TAG = "nz"
_NUMERAL = re.compile(r"[一二三四五六七八九十两双百千万]")
_HAS_PUNCT = re.compile(r"[\s、，。；：！？“”‘’《》（）,.;:!?()\"']")
_CHAIN_SEP = re.compile(r"[、，,]")
#: The characters a redaction mark (``PLACEHOLDER_RE``) can begin with (a test checks them
#: against the pattern).
_PLACEHOLDER_FIRST = re.compile("[×╳✕✖XxＸｘ○□△＊*某]")
_LEFTMOST_LONGEST = ahocorasick_rs.MatchKind.LeftmostLongest
_SURROGATE = re.compile("[\ud800-\udfff]")
#: The tags jieba's tagger can give a word its HMM made up (its HMM's tags, and m/eng/x).
_TAGGER_TAGS = frozenset({t for _, t in jieba.posseg.start_P} | {"m", "eng", "x", "n"})
_SPACE = re.compile(r"\s")


#: Stand-ins (:func:`stand_in_for`): control characters, then Private Use characters (past
#: the two of segmenter._TOTAL_FILLER): never white space, never in a block of jieba or rjieba.
_STAND_INS = ("".join(map(chr, range(0, 9))) + "\x0e\x0f" + "".join(map(chr, range(0x10, 0x1c))) + "\x7f"
              + "".join(map(chr, range(0xE002, 0xF900))))
#: The words and types a tokeniser remembers between texts, at most (then it starts afresh).
_TYPES_KEPT = 2_000_000


def stand_in_for(text: str) -> str | None:
    """A character not in ``text`` that jieba (and rjieba) cut as a word of its own wherever
    it stands: no Chinese character, letter, digit or white space, but a control or Private
    Use character; ``None`` if ``text`` holds all of them.

    Example:
        >>> stand_in_for("中国"), stand_in_for("中\\x00国")
        ('\\x00', '\\x01')
    """
    for ch in _STAND_INS[:4]:
        if ch not in text:
            return ch
    present = set(text)
    return next((ch for ch in _STAND_INS if ch not in present), None)


Type = tuple[str, "str | None", str]


class CutTable(NamedTuple):
    """A text's tokens by type: what :meth:`Tokenizer.cut` yields, with fewer objects.

    ``types``: the distinct ``(token, pos, origin)`` in order of first occurrence; ``ids``: each
    token's type (an index into ``types``); ``starts``: each token's start offset; ``keys``, when
    known, each type's ``token\\tpos\\torigin`` in UTF-8 as a token record holds it (``None`` for
    one it cannot hold: see :func:`analysis_utils.scale.cache.encode_tokens`).

    Example:
        >>> t = CutTable.from_rows([("发展", 0, 2, "vn", "jieba"), ("。", 2, 3, "x", "jieba"), ("发展", 3, 5, "vn", "jieba")])
        >>> t.types, t.ids.tolist(), t.starts.tolist()
        ([('发展', 'vn', 'jieba'), ('。', 'x', 'jieba')], [0, 1, 0], [0, 2, 3])
        >>> list(t.rows())[2]
        ('发展', 3, 5, 'vn', 'jieba')
    """

    types: list[Type]
    ids: np.ndarray
    starts: np.ndarray
    keys: list[bytes | None] | None = None

    @classmethod
    def from_rows(cls, rows: Iterable[tuple]) -> CutTable:
        """The table of ``(token, start, end, pos, origin)`` rows (:meth:`Tokenizer.cut`'s)."""
        index: dict[Type, int] = {}
        ids: list[int] = []
        starts: list[int] = []
        for token, start, _end, pos, origin in rows:
            ids.append(index.setdefault((token, pos, origin), len(index)))
            starts.append(start)
        return cls(list(index), np.array(ids, dtype=np.int64), np.array(starts, dtype=np.int64))

    def rows(self) -> Iterator[tuple[str, int, int, str | None, str]]:
        """``(token, start, end, pos, origin)`` of every token, in order."""
        types = self.types
        for i, s in zip(self.ids.tolist(), self.starts.tolist()):
            token, pos, origin = types[i]
            yield token, s, s + len(token), pos, origin


class Tokenizer:
    """A jieba tokeniser with the political lexicon and number-slogan detection.

    Args:
        lexicon_files: the user's own lexicon files (``phrase<TAB>category<TAB>note``),
            added to the bundled lexicon.
        userdicts: jieba user dictionaries (``word [freq] [tag]`` lines).
        bundled_lexicon: use the bundled ``data/lexicon.tsv``.
        detect_slogans: keep number slogans found by pattern whole, even unseen ones.
        hmm: let jieba guess unknown words with its HMM (jieba's default).
        established_names: never cut the names of ``data/established_names.tsv`` (with the
            bundled lexicon only).

    Example:
        >>> tok = Tokenizer()
        >>> [t for t, *_ in tok.cut("践行“四个意识”，推广一征三议两公开工作法")]
        ['践行', '“', '四个意识', '”', '，', '推广', '一征三议两公开', '工作', '法']
    """

    def __init__(
        self,
        *,
        lexicon_files: Iterable[str | Path] = (),
        userdicts: Iterable[str | Path] = (),
        bundled_lexicon: bool = True,
        detect_slogans: bool = True,
        hmm: bool = True,
        established_names: bool = True,
    ):
        self.hmm = hmm
        self.detect_slogans = detect_slogans
        self._segment: Callable[[str], Iterable[str]] | None = None
        self._fingerprint: str | None = None
        #: what the fast path remembers between texts (see _type_cache)
        self._types: tuple[list[Type], list[bytes | None], dict[str, int], dict[str, int], dict[Type, int]] | None = None
        #: tags worked out by jieba's tagger (words its HMM made up), to be remembered on disk
        self.learned: dict[str, str] = {}
        self._words_ac: ahocorasick_rs.AhoCorasick | None = None
        self._names_ac: ahocorasick_rs.AhoCorasick | None = None
        self._jieba = new_jieba()
        self._pos = self._jieba_pos = _Tagger(self._jieba)
        share_jieba_tags(_Tagger.table_of(self._jieba))  # dict.txt's tags as read, not again for slogans
        self.lexicon = load_lexicon(*lexicon_files, bundled=bundled_lexicon)
        self._protected: dict[str, str] = {}
        for phrase in self.lexicon.phrase:
            for item in chain_items(phrase, self._jieba.FREQ):
                self._protected.setdefault(item, FORMULATION_TAG)
        #: established names (never cut) → their tag
        self.names: dict[str, str] = load_established_names() if bundled_lexicon and established_names else {}
        # Speech vocabulary jieba's dictionary splits (同志们 → 同志/们): make it whole.
        for word in load_stopwords():
            if len(word) > 1 and word not in self._jieba.FREQ:
                self._jieba.add_word(word, tag="l")
        # tags of words jieba's HMM makes up are worked out once and remembered here;
        # dictionary words are looked up in the tagger's own table (not copied)
        self._tags: dict[str, str] = dict(self._jieba.user_word_tag_tab)
        self._idioms = frozenset(w for w, t in self._pos.word_tag_tab.items()
                                 if t in ("i", "l") and len(w) == 4 and _NUMERAL.search(w))
        for path in userdicts:
            self.load_userdict(path)
        self._compile()

    # -- dictionary -------------------------------------------------------------------
    def load_userdict(self, path: str | Path) -> None:
        """Add a jieba user dictionary (``word [freq] [tag]`` a line); its words stay whole."""
        try:
            lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise SpeechError(path, f"cannot read the user dictionary ({e})") from None
        for line in lines:
            parts = line.strip().split()
            if not parts or parts[0].startswith("#"):
                continue
            tag = next((p for p in parts[1:] if not p.isdigit()), FORMULATION_TAG)
            self._protected[parts[0]] = tag
        self._compile()

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """Keep ``word`` whole in this tokeniser (and only in this one), tagged ``tag``.

        The arguments are in jieba's order (``jieba.add_word(word, freq=None, tag=None)``).
        ``freq`` is checked and then ignored: the word becomes a protected span that jieba
        never cuts, so no frequency can change how it is cut (jieba's ``freq=0``, "split this
        word", contradicts keeping it whole and is refused). ``tag`` defaults to
        :data:`FORMULATION_TAG` (``"nz"``).

        Raises:
            TypeError: ``word`` or ``tag`` is not a string, or ``freq`` not a whole number
                (e.g. ``add_word("词", "n")``: the tag must be given as ``tag="n"``).
            ValueError: an empty word or tag, white space inside either, or ``freq`` < 1.

        Example:
            >>> tok = Tokenizer()
            >>> tok.add_word("涧贤银行", 10, "nz")
            >>> [(t, p) for t, _, _, p, _ in tok.cut("涧贤银行开业", pos=True)][:1]
            [('涧贤银行', 'nz')]
            >>> tok.add_word("邻里中心", "n")
            Traceback (most recent call last):
            ...
            TypeError: freq must be a whole number, not 'n' (jieba's order: add_word(word, freq, tag); give a tag as tag='n')
        """
        self._protected[_checked_word(word)] = _checked_tag(tag, freq)
        self._compile()

    def use_segmenter(self, segment: Callable[[str], Iterable[str]] | None, *,
                      tagger: jieba.posseg.POSTokenizer | None = None) -> None:
        """Cut the text between protected spans with ``segment`` instead of jieba's Python code.

        ``segment(text)`` must return exactly the words ``jieba.Tokenizer.cut(text, HMM=hmm)``
        yields with this tokeniser's dictionary (every character, in order), so ``cut`` and
        ``tokens`` stay identical: :class:`analysis_utils.scale.FastSegmenter` does (tests
        prove it). ``tagger``, if given, tags the words jieba's HMM made up instead of
        :attr:`pos_tagger`'s jieba code, and must tag as it does
        (:class:`analysis_utils.scale.postag.FastPOSTokenizer`). ``None`` goes back to jieba
        for both.
        """
        self._segment = segment
        self._pos = tagger if (segment is not None and tagger is not None) else self._jieba_pos

    def with_segmenter(self, segment: Callable[[str], Iterable[str]] | None, *,
                       tagger: jieba.posseg.POSTokenizer | None = None) -> Tokenizer:
        """A copy of this tokeniser cutting with ``segment`` (and ``tagger``: see
        :meth:`use_segmenter`); this one is left as it is. The copy shares the (read-only)
        jieba dictionary and tag tables, so it is made in no time; words added to either
        afterwards stay in that one."""
        twin = copy.copy(self)
        twin._protected = dict(self._protected)
        twin.use_segmenter(segment, tagger=tagger)
        return twin

    @property
    def pos_tagger(self) -> jieba.posseg.POSTokenizer:
        """jieba's own part-of-speech tagger of this tokeniser (its dictionary, its tag table)."""
        return self._jieba_pos

    @property
    def segmenter(self) -> Callable[[str], Iterable[str]] | None:
        """The function plugged in with :meth:`use_segmenter` (``None``: jieba's own code)."""
        return self._segment

    @property
    def jieba_tokenizer(self) -> jieba.Tokenizer:
        """The ``jieba.Tokenizer`` holding this tokeniser's dictionary (jieba's ``dict.txt``
        and the speech words added to it). Read it (``FREQ``, ``total``, ``lcut``); change
        this tokeniser through :meth:`add_word` and :meth:`load_userdict` only."""
        return self._jieba

    @property
    def protected(self) -> Mapping[str, str]:
        """The words kept whole (lexicon phrases, user dictionary and added words) and their
        tags, as a read-only mapping.

        Example:
            >>> Tokenizer().protected["四个意识"]
            'nz'
        """
        return MappingProxyType(self._protected)

    @property
    def fingerprint(self) -> str:
        """A SHA-256 hex digest of everything that decides this tokeniser's tokens: jieba's
        version and dictionary (its words added and its total), the protected words and their
        tags, ``hmm`` and ``detect_slogans``. Equal fingerprints cut alike; the token cache
        (:mod:`analysis_utils.scale`) keys on it, together with the package's code and the
        content of jieba's dictionary file. The segmenter is not part of it (a segmenter
        must cut as jieba does).

        Example:
            >>> a = Tokenizer()
            >>> b = a.with_segmenter(None)              # a copy, with its own protected words
            >>> a.fingerprint == b.fingerprint
            True
            >>> b.add_word("涧贤银行")
            >>> a.fingerprint == b.fingerprint
            False
        """
        if self._fingerprint is None:
            jt = self._jieba
            state = {
                "jieba": jieba.__version__, "dictionary": str(jt.dictionary), "total": jt.total,
                "added": sorted((w, jt.FREQ.get(w), t) for w, t in jt.user_word_tag_tab.items()),
                "protected": sorted(self._protected.items()), "names": sorted(self.names.items()),
                "hmm": self.hmm, "detect_slogans": self.detect_slogans,
            }
            self._fingerprint = hashlib.sha256(json.dumps(state, ensure_ascii=False).encode()).hexdigest()
        return self._fingerprint

    def _compile(self) -> None:
        # The protected words and the established names, each by Aho-Corasick, leftmost-longest
        # (what a longest-first regex alternation finds; see text.leftmost_longest).
        self._fingerprint = None
        self._types = None
        self._words_ac = self._names_ac = None
        held = set("".join(self._protected) + "".join(self.names))
        self._not_held = next(ch for ch in _STAND_INS if ch not in held)  # stands for a lone surrogate
        if self._protected:
            self._words_ac = ahocorasick_rs.AhoCorasick(list(self._protected), matchkind=_LEFTMOST_LONGEST)
        if self.names:
            self._names_ac = ahocorasick_rs.AhoCorasick(list(self.names), matchkind=_LEFTMOST_LONGEST)

    # -- cutting ----------------------------------------------------------------------
    def protected_spans(self, text: str) -> list[tuple[int, int, str, str, str]]:
        """``(start, end, word, pos, origin)`` of the spans jieba must not cut, leftmost-longest
        (a lexicon word before a number slogan of the same extent), with no span cutting an
        established name (origin ``name`` when the name is not a lexicon phrase itself).

        Example:
            >>> [w for _, _, w, *_ in Tokenizer().protected_spans("中央军事委员会主席")]
            ['中央军事委员会']
        """
        spans = [(m.start(), m.end(), m.group(), "x", "placeholder") for m in placeholders(text)]
        names: list[tuple[int, int]] = []
        if self._words_ac is not None:
            protected = self._protected
            spans += [(s, e, text[s:e], protected[text[s:e]], "lexicon")
                      for _, s, e in _find(self._words_ac, text, self._not_held)]
        if self._names_ac is not None:
            names = [(s, e) for _, s, e in _find(self._names_ac, text, self._not_held)]
        if self.detect_slogans:
            spans += [(s, e, w, FORMULATION_TAG, "slogan") for s, e, w in find_number_slogans(text, idioms=self._idioms)]
        if names:
            starts = [n[0] for n in names]
            spans = [sp for sp in spans if not _cuts_a_name(sp, names, starts)]
            spans += [(s, e, text[s:e], self.names[text[s:e]], "name") for s, e in names
                      if text[s:e] not in self._protected]
        return leftmost_longest(spans, tiebreak=lambda t: (t[4] != "lexicon", t[4] != "name"))

    def cut(self, text: str, *, pos: bool = False) -> Iterator[tuple[str, int, int, str | None, str]]:
        """Yield ``(token, start, end, pos, origin)`` for ``text``; white space is skipped.

        ``origin`` is ``lexicon``, ``slogan``, ``name`` (an established name that is not a
        lexicon phrase), ``placeholder`` or ``jieba``; ``pos`` is ``None`` unless ``pos=True``
        (tagging is several times slower than cutting).
        """
        if self._segment is None:
            yield from self._cut_jieba(text, pos)
        else:
            yield from self._cut_fast(text, pos).rows()

    def cut_table(self, text: str, *, pos: bool = True) -> CutTable:
        """What :meth:`cut` yields, as a :class:`CutTable` (one object per type, not per token).

        Example:
            >>> t = Tokenizer().cut_table("发展，发展")
            >>> t.types, t.ids.tolist(), t.starts.tolist()
            ([('发展', 'vn', 'jieba'), ('，', 'x', 'jieba')], [0, 1, 0], [0, 2, 3])
        """
        if self._segment is None:
            return CutTable.from_rows(self._cut_jieba(text, pos))
        return self._cut_fast(text, pos)

    def _cut_jieba(self, text: str, pos: bool) -> Iterator[tuple[str, int, int, str | None, str]]:
        """The plain path (no segmenter): jieba's Python code on each stretch between spans."""
        cursor = 0
        for s, e, word, tag, origin in self.protected_spans(text):
            yield from self._cut_plain(text[cursor:s], cursor, pos)
            yield word, s, e, tag if pos else None, origin
            cursor = e
        yield from self._cut_plain(text[cursor:], cursor, pos)

    def _cut_fast(self, text: str, pos: bool) -> CutTable:
        """The segmenter's path: the stretches between spans cut in one call (each span
        replaced by a stand-in character the segmenter cuts alone, then put back); offsets
        from the words' lengths; each word's type worked out once and remembered."""
        assert self._segment is not None
        stand_in = stand_in_for(text)
        if stand_in is None:  # a text holding thousands of control and Private Use characters
            return CutTable.from_rows(self._cut_jieba(text, pos))
        spans = self.protected_spans(text)
        pieces: list[str] = []
        cursor = 0
        for s, e, *_ in spans:
            pieces += (text[cursor:s], stand_in)
            cursor = e
        pieces.append(text[cursor:])
        words = self._segment("".join(pieces))
        words = words if type(words) is list else list(words)
        types, keys, jieba_ids, span_ids = self._type_cache(pos)
        at: list[int] = []
        i = 0
        for span in spans:
            i = words.index(stand_in, i)
            words[i] = span[2]
            at.append(i)
        if "".join(words) != text:  # the segmenter broke its contract: never expected
            raise RuntimeError("the segmenter lost or changed characters of the text")
        ids = list(map(jieba_ids.get, words))
        for i, (_, _, word, tag, origin) in zip(at, spans):
            key = (word, tag if pos else None, origin)
            known = span_ids.get(key)
            ids[i] = span_ids[key] = _new_type(types, keys, key) if known is None else known
        for i in _nones(ids):  # words met for the first time (white space: -1, left out)
            word = words[i]
            known = jieba_ids.get(word)
            if known is None:
                known = jieba_ids[word] = -1 if not word.strip() else \
                    _new_type(types, keys, (word, self.tag(word) if pos else None, "jieba"))
            ids[i] = known
        g = np.array(ids, dtype=np.int64)
        lens = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        starts = np.cumsum(lens) - lens
        keep = g >= 0
        codes, uniques = pd.factorize(g[keep])
        at_first = uniques.tolist()
        return CutTable([types[u] for u in at_first], codes.astype(np.int64), starts[keep], [keys[u] for u in at_first])

    def _type_cache(self, pos: bool) -> tuple[list[Type], list[bytes | None], dict[str, int], dict[Type, int]]:
        """``(types, their record keys, jieba word → type, span (word, pos, origin) → type)``,
        the types cut with ``pos`` or without: what the fast path remembers between texts
        (white space is type -1; all is forgotten when the tokeniser changes, or grows too big)."""
        if self._types is None or len(self._types[0]) > _TYPES_KEPT:
            self._types = ([], [], {}, {}, {})
        types, keys, tagged, untagged, spans = self._types
        return types, keys, (tagged if pos else untagged), spans

    def _cut_plain(self, text: str, offset: int, pos: bool):
        if not text:
            return
        i = 0
        words = self._segment(text) if self._segment is not None else self._jieba.cut(text, HMM=self.hmm)
        for word in words:
            j = text.find(word, i)
            if j < 0:  # never expected: jieba returns the text in order
                raise RuntimeError(f"jieba lost the offset of {word!r}")
            i = j + len(word)
            if word.strip():
                yield word, offset + j, offset + i, self.tag(word) if pos else None, "jieba"

    def tag(self, word: str) -> str:
        """The part-of-speech tag of one token (jieba's tag set).

        Tokens are always cut the same way, with or without tags; a word kept whole (a
        lexicon phrase, an added word, an established name) has its own tag (``nz`` for a
        formulation: never the person-name tag jieba's tagger guesses for 毛泽东思想 or
        幸福感); any other word's tag comes from the dictionary, or for a word jieba's HMM
        made up, from jieba's POS tagger run on it.

        Example:
            >>> tok = Tokenizer()
            >>> tok.tag("毛泽东思想"), tok.tag("幸福感"), tok.tag("中央军事委员会"), tok.tag("干部")
            ('nz', 'nz', 'nt', 'n')
        """
        flag = (self._protected.get(word) or self.names.get(word) or self._tags.get(word)
                or self._pos.word_tag_tab.get(word))
        if flag is None:
            pieces = list(self._pos.cut(word, HMM=self.hmm))
            flag = pieces[0].flag if len(pieces) == 1 else ("x" if not HAN_RE.search(word) else "n")
            self._tags[word] = self.learned[word] = flag
        return flag

    def remember_tags(self, tags: Mapping[str, str]) -> int:
        """Take tags :meth:`tag` worked out before (``learned`` by a tokeniser with the same
        :attr:`fingerprint`, e.g. in an earlier run) so that jieba's tagger is not run on those
        words again. Only what :meth:`tag` could have worked out is taken: a word no table of
        this tokeniser holds, with one of the tags jieba's tagger gives; the rest is left out.
        Returns how many were taken.

        Example:
            >>> tok = Tokenizer()
            >>> tok.remember_tags({"涧贤": "nr", "干部": "v", "某词": "not a tag"})
            1
            >>> tok.tag("涧贤"), tok.tag("干部")
            ('nr', 'n')
        """
        known = (self._protected, self.names, self._pos.word_tag_tab)
        ok = {w: t for w, t in tags.items() if t in _TAGGER_TAGS and isinstance(w, str) and w
               and not _SPACE.search(w) and not any(w in k for k in known) and w not in self._tags}
        self._tags.update(ok)
        return len(ok)

    def tokens(self, speech: Speech, *, pos: bool = True) -> pd.DataFrame:
        """The token table of a speech's body.

        Columns: ``token, pos, start, end, paragraph, sentence, origin`` (paragraph and
        sentence are 1-based numbers; offsets index ``speech.body``). Punctuation rows are
        kept (``pos == "x"``) so the table is faithful; analyses filter them.
        """
        rows = list(self.cut(speech.body, pos=pos))
        df = pd.DataFrame(rows, columns=["token", "start", "end", "pos", "origin"])
        starts = df["start"].to_numpy()
        para_starts = np.array([s for s, _ in speech.paragraph_spans] or [0])
        sent_starts = np.array([s for s, _ in speech.sentence_spans] or [0])
        df["paragraph"] = np.maximum(1, np.searchsorted(para_starts, starts, side="right"))
        df["sentence"] = np.maximum(1, np.searchsorted(sent_starts, starts, side="right"))
        return df[TOKEN_COLUMNS]


def _new_type(types: list[Type], keys: list[bytes | None], key: Type) -> int:
    """Add the type ``key`` to ``types`` and its record key to ``keys``; its number."""
    types.append(key)
    keys.append(record_key(key))
    return len(types) - 1


def record_key(key: Type) -> bytes | None:
    """How a token record holds the type ``(token, pos, origin)``: ``token\\tpos\\torigin`` in
    UTF-8; ``None`` for a type no record can hold (a tab or line break in the token) or that
    UTF-8 cannot encode (a lone surrogate), which the record's own code then refuses.

    Example:
        >>> record_key(("发展", "vn", "jieba")).decode()
        '发展\\tvn\\tjieba'
        >>> record_key(("a\\tb", "x", "jieba")), record_key((chr(0xD800), "x", "jieba"))
        (None, None)
    """
    token, pos, origin = key
    if "\n" in token or "\t" in token:
        return None
    try:
        return f"{token}\t{pos}\t{origin}".encode()
    except UnicodeEncodeError:
        return None


def _find(ac: ahocorasick_rs.AhoCorasick, text: str, other: str) -> list[tuple[int, int, int]]:
    """``ac.find_matches_as_indexes(text)``, also for a text with lone surrogates (which Rust
    cannot take): each is searched as ``other``, a character no pattern holds (same offsets)."""
    try:
        return ac.find_matches_as_indexes(text)
    except UnicodeEncodeError:
        return ac.find_matches_as_indexes(_SURROGATE.sub(other, text))


def placeholders(text: str) -> Iterator[re.Match]:
    """What ``PLACEHOLDER_RE.finditer(text)`` finds, tried only where a mark can begin (the
    pattern's look-behind guards keep the regex engine from skipping ahead by itself).

    Example:
        >>> [m.group() for m in placeholders("××同志在XX县、某某村和ABXX路")]
        ['××', 'XX', '某某']
    """
    end = 0
    for c in _PLACEHOLDER_FIRST.finditer(text):
        if c.start() >= end:
            m = PLACEHOLDER_RE.match(text, c.start())
            if m is not None:
                end = m.end()
                yield m


def _nones(values: list) -> Iterator[int]:
    """The positions of ``None`` in ``values``, found by C-level scans (``list.index``)."""
    i = 0
    while True:
        try:
            i = values.index(None, i)
        except ValueError:
            return
        yield i
        i += 1


def chain_items(phrase: str, dictionary: Mapping[str, int] = MappingProxyType({})) -> list[str]:
    """The words of one lexicon phrase the tokeniser keeps whole: the phrase itself when it has
    no punctuation; for a chained formulation (items joined by 、 or ，) each item of three or
    more characters (jieba cuts even its own 高度自治 in 高度自治的方针) and each two-character
    item ``dictionary`` (jieba's) does not hold (打虎 拍蝇 猎狐; 创新 or 民主 stay ordinary
    words), leaving out items with 的 inside (phrases, not formulations: 可敬的中国形象).

    Example:
        >>> chain_items("获得感、幸福感、安全感")
        ['获得感', '幸福感', '安全感']
        >>> chain_items("四个意识"), chain_items("可信、可爱、可敬的中国形象", {"可信": 1, "可爱": 1})
        (['四个意识'], [])
    """
    if not _HAS_PUNCT.search(phrase):
        return [phrase]
    items = [i.strip() for i in _CHAIN_SEP.split(phrase)]
    return [i for i in items if (len(i) > 2 or (len(i) == 2 and i not in dictionary))
            and not _HAS_PUNCT.search(i) and "的" not in i]


def _cuts_a_name(span: tuple, names: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether ``span`` (start, end, …) overlaps an established name without containing it
    (``names``: non-overlapping ``(start, end)`` in order; ``starts``: their starts)."""
    s, e = span[0], span[1]
    i = max(0, bisect.bisect_right(starts, s) - 1)
    while i < len(names) and names[i][0] < e:
        ns, ne = names[i]
        if s < ne and not (s <= ns and ne <= e):
            return True
        i += 1
    return False


def _checked_word(word: str) -> str:
    if not isinstance(word, str):
        raise TypeError(f"word must be a string, not {type(word).__name__}")
    if not word or _SPACE.search(word):
        raise ValueError(f"word must be non-empty and contain no white space, not {word!r}")
    return word


def _checked_tag(tag: str | None, freq: int | None) -> str:
    """``tag`` (default :data:`FORMULATION_TAG`) once ``freq`` and ``tag`` are known to be sound."""
    if freq is not None:
        if isinstance(freq, str) and tag is None:
            raise TypeError(f"freq must be a whole number, not {freq!r} (jieba's order: add_word(word, freq, tag); "
                            f"give a tag as tag={freq!r})")
        if isinstance(freq, bool) or not isinstance(freq, int):
            raise TypeError(f"freq must be a whole number, not {freq!r}")
        if freq < 1:
            raise ValueError(f"freq must be 1 or more (jieba reads {freq} as 'split this word'), not {freq}")
    if tag is None:
        return FORMULATION_TAG
    if not isinstance(tag, str):
        raise TypeError(f"tag must be a string such as 'nz', not {type(tag).__name__}")
    if not tag or _SPACE.search(tag):
        raise ValueError(f"tag must be a jieba part-of-speech tag such as 'nz', not {tag!r}")
    return tag
