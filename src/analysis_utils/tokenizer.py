"""Tokenising with jieba, through an explicit ``Tokenizer`` object (no global jieba state).

Formulations stay whole: before jieba sees the text, the tokeniser marks protected spans
(lexicon phrases, number slogans found by pattern, redaction placeholders) and lets jieba
cut only the text between them. Offsets are into the text given (for a speech: its
body), so ``body[start:end] == token`` for every row.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import ahocorasick
import jieba
import jieba.posseg
import numpy as np
import pandas as pd

from .errors import SpeechError
from .lexicon import load_lexicon, load_stopwords
from .reading import PLACEHOLDER_RE
from .slogans import find_number_slogans
from .speech import Speech

jieba.setLogLevel(logging.WARNING)

TOKEN_COLUMNS = ["token", "pos", "start", "end", "paragraph", "sentence", "origin"]
#: jieba's tag for formulations from the lexicon and detected number slogans.
FORMULATION_TAG = "nz"
_HAN = re.compile(r"[\u3400-\u9fff]")
_NUMERAL = re.compile(r"[一二三四五六七八九十两双百千万]")
_HAS_PUNCT = re.compile(r"[\s、，。；：！？“”‘’《》（）,.;:!?()\"']")


class Tokenizer:
    """A jieba tokeniser with the political lexicon and number-slogan detection.

    Args:
        lexicon_files: the user's own lexicon files (``phrase<TAB>category<TAB>note``),
            added to the bundled lexicon.
        userdicts: jieba user dictionaries (``word [freq] [tag]`` lines).
        bundled_lexicon: use the bundled ``data/lexicon.tsv``.
        detect_slogans: keep number slogans found by pattern whole, even unseen ones.
        hmm: let jieba guess unknown words with its HMM (jieba's default).

    Example:
        >>> tok = Tokenizer()
        >>> [t for t, *_ in tok.cut("践行“四个意识”，推广一征三议两公开工作法")]
        ['践行', '“', '四个意识', '”', '，', '推广', '一征三议两公开', '工作法']
    """

    def __init__(
        self,
        *,
        lexicon_files: Iterable[str | Path] = (),
        userdicts: Iterable[str | Path] = (),
        bundled_lexicon: bool = True,
        detect_slogans: bool = True,
        hmm: bool = True,
    ):
        self.hmm = hmm
        self.detect_slogans = detect_slogans
        self._segment: Callable[[str], Iterable[str]] | None = None
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._pos = jieba.posseg.POSTokenizer(self._jieba)
        self.lexicon = load_lexicon(*lexicon_files, bundled=bundled_lexicon)
        self._protected: dict[str, str] = {}
        for phrase in self.lexicon.phrase:
            if not _HAS_PUNCT.search(phrase):
                self._protected[phrase] = FORMULATION_TAG
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

    def add_word(self, word: str, tag: str = FORMULATION_TAG) -> None:
        """Keep ``word`` whole in this tokeniser (and only in this one)."""
        self._protected[word] = tag
        self._compile()

    def use_segmenter(self, segment: Callable[[str], Iterable[str]] | None) -> None:
        """Cut the text between protected spans with ``segment`` instead of jieba's Python code.

        ``segment(text)`` must yield exactly the words ``jieba.Tokenizer.cut(text, HMM=hmm)``
        yields with this tokeniser's dictionary (every character, in order), so ``cut`` and
        ``tokens`` stay identical: :class:`analysis_utils.corpus.FastSegmenter` does (tests
        prove it). ``None`` goes back to jieba.
        """
        self._segment = segment

    def _compile(self) -> None:
        # All occurrences of the protected words, by Aho-Corasick; protected_spans keeps
        # the leftmost-longest ones (what a longest-first regex alternation finds).
        self._protect_ac = None
        if self._protected:
            self._protect_ac = ahocorasick.Automaton()
            for word in self._protected:
                self._protect_ac.add_word(word, len(word))
            self._protect_ac.make_automaton()

    # -- cutting ----------------------------------------------------------------------
    def protected_spans(self, text: str) -> list[tuple[int, int, str, str, str]]:
        """``(start, end, word, pos, origin)`` of the spans jieba must not cut, leftmost-longest."""
        spans = []
        for m in PLACEHOLDER_RE.finditer(text):
            spans.append((m.start(), m.end(), m.group(), "x", "placeholder"))
        if self._protect_ac is not None:
            last = 0
            for s, neg_len in sorted((e + 1 - n, -n) for e, n in self._protect_ac.iter(text)):
                if s >= last:
                    last = s - neg_len
                    word = text[s:last]
                    spans.append((s, last, word, self._protected[word], "lexicon"))
        if self.detect_slogans:
            for s, e, w in find_number_slogans(text, idioms=self._idioms):
                spans.append((s, e, w, FORMULATION_TAG, "slogan"))
        spans.sort(key=lambda t: (t[0], -(t[1] - t[0]), t[4] != "lexicon"))
        out: list[tuple[int, int, str, str, str]] = []
        for span in spans:
            if out and span[0] < out[-1][1]:
                continue
            out.append(span)
        return out

    def cut(self, text: str, *, pos: bool = False) -> Iterator[tuple[str, int, int, str | None, str]]:
        """Yield ``(token, start, end, pos, origin)`` for ``text``; white space is skipped.

        ``origin`` is ``lexicon``, ``slogan``, ``placeholder`` or ``jieba``; ``pos`` is
        ``None`` unless ``pos=True`` (tagging is several times slower than cutting).
        """
        cursor = 0
        for s, e, word, tag, origin in self.protected_spans(text):
            yield from self._cut_plain(text[cursor:s], cursor, pos)
            yield word, s, e, tag if pos else None, origin
            cursor = e
        yield from self._cut_plain(text[cursor:], cursor, pos)

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

        Tokens are always cut the same way, with or without tags; the tag comes from the
        dictionary, or for a word jieba's HMM made up, from jieba's POS tagger run on it.
        """
        flag = self._tags.get(word) or self._pos.word_tag_tab.get(word)
        if flag is None:
            pieces = list(self._pos.cut(word, HMM=self.hmm))
            flag = pieces[0].flag if len(pieces) == 1 else ("x" if not _HAN.search(word) else "n")
            self._tags[word] = flag
        return flag

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
