"""Whoosh field types and analyzers for Chinese text.

Three views of every text field:

* **words** — jieba words with sequential positions, for BM25F ranking and
  for matching words that occur apart;
* **grams** — overlapping character bigrams over the normalised text with
  whitespace removed, with positions, so that any substring of two or more
  characters is a phrase of bigrams: recall never depends on how jieba cut
  the article;
* **chars** — the set of characters of the text, for one-character searches.

Whoosh pickles field objects into the index, so these classes are small, live
at this stable import path, and hold no dictionary: the segmenter is looked up
at run time.  The fields compute their postings directly instead of going
through Whoosh's per-token objects, which is most of the indexing cost.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import accumulate

from whoosh import fields, formats
from whoosh.analysis import Token, Tokenizer
from whoosh.system import pack_uint

from . import segment
from .normalize import normalize

ANALYZER_VERSION = "searchwords1+grams2+chars1+schema2"


def is_word(token: str) -> bool:
    """Words worth indexing: anything with a letter, digit or ideograph."""
    return any(ch.isalnum() for ch in token)


def words_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """Normalised jieba words with their offsets in ``text`` (not punctuation)."""
    return [t for t in segment.tokenize(normalize(text)) if is_word(t[0])]


def words(text: str) -> list[str]:
    """The words of a query: jieba's precise mode."""
    return [w for w in segment.cut(normalize(text)) if is_word(w)]


def index_words(text: str) -> list[str]:
    """The words of an article: search mode, so a query word inside a longer word
    (精神 in 精神风貌) still matches when the words occur apart."""
    return [w for w in segment.cut_for_search(normalize(text)) if is_word(w)]


def grams(squashed: str) -> list[str]:
    """Overlapping bigrams of an already squashed string; position = offset."""
    return [squashed[i : i + 2] for i in range(len(squashed) - 1)]


class WordTokenizer(Tokenizer):
    """jieba words, sequential positions, character offsets into the original."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (word, start, end) in enumerate(words_with_offsets(value)):
            t.text = word
            t.boost = 1.0
            if keeporiginal:
                t.original = value[start:end]
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


class GramTokenizer(Tokenizer):
    """Bigrams over non-space characters (see module docstring)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        norm = normalize(value)
        idx = [i for i, ch in enumerate(norm) if not ch.isspace()]
        for pos, (i, j) in enumerate(zip(idx, idx[1:], strict=False)):
            end = j + 1
            t.text = norm[i] + norm[j]
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[i:end]
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + i
                t.endchar = start_char + end
            yield t


def _varint(deltas: list[int]) -> bytes:
    if max(deltas) < 0x80:
        return bytes(deltas)
    out = bytearray()
    for d in deltas:
        while d >= 0x80:
            out.append((d & 0x7F) | 0x80)
            d >>= 7
        out.append(d)
    return bytes(out)


def decode_positions(value: bytes) -> list[int]:
    """Positions from varint deltas (one byte each when all deltas are < 128)."""
    if not value or max(value) < 0x80:
        return list(accumulate(value))
    out, pos, shift, cur = [], 0, 0, 0
    for byte in value:
        cur |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            pos += cur
            out.append(pos)
            cur = shift = 0
    return out


class CompactPositions(formats.Positions):
    """Positions as varint deltas, every weight 1.0.

    Whoosh's own Positions pickles each posting's list (about 12 bytes for one
    position); this takes one or two.  Gram fields are for matching, not for
    scoring, so a constant weight lets Whoosh's codec drop the weights.
    """

    def encode(self, poslist):
        prev, deltas = 0, []
        for pos in poslist:
            deltas.append(pos - prev)
            prev = pos
        return _varint(deltas)

    def decode_positions(self, valuestring):
        return decode_positions(valuestring)

    def decode_frequency(self, valuestring):
        return sum(1 for b in valuestring if b < 0x80)

    def decode_weight(self, valuestring):
        return 1.0

    def combine(self, vs):
        s = set()
        for v in vs:
            s.update(self.decode_positions(v))
        return self.encode(sorted(s))


def _postings(tokens: list[str], with_positions: bool, fmt):
    """(bytes, freq, weight, encoded value) per distinct token, as Whoosh's formats make."""
    if with_positions:
        poses: dict[str, list[int]] = defaultdict(list)
        for pos, tok in enumerate(tokens):
            poses[tok].append(pos)
        for tok, plist in poses.items():
            yield tok.encode("utf-8"), len(plist), 1.0, fmt.encode(plist)
    else:
        counts: dict[str, int] = defaultdict(int)
        for tok in tokens:
            counts[tok] += 1
        for tok, n in counts.items():
            yield tok.encode("utf-8"), n, float(n), pack_uint(n)


class WordField(fields.TEXT):
    """jieba words, frequencies only: phrases are answered by the gram field."""

    def __init__(self):
        super().__init__(analyzer=WordTokenizer(), phrase=False)

    def index(self, value, **kwargs):
        return _postings(index_words(value), False, self.format)


class GramField(fields.TEXT):
    """Character bigrams with positions: exact substring search."""

    def __init__(self):
        super().__init__(analyzer=GramTokenizer(), phrase=True)
        self.format = CompactPositions()
        # Scores use the word fields' lengths; storing these would only cost space.
        self.scorable = False

    def index(self, value, **kwargs):
        squashed = "".join(normalize(value).split())
        return _postings(grams(squashed), True, self.format)


class CharField(fields.TEXT):
    """Which characters a text contains: answers one-character searches with
    one term lookup instead of expanding every bigram that starts with it."""

    def __init__(self):
        super().__init__(analyzer=GramTokenizer(), phrase=False)
        self.format = formats.Existence()
        self.scorable = False

    def index(self, value, **kwargs):
        chars = set(normalize(value)) - set(" \t\r\n\u3000")
        return ((ch.encode("utf-8"), 1, 1.0, b"") for ch in chars if not ch.isspace())
