"""The index's own vocabulary: its character bigrams and frequent title words, by frequency.

Did-you-mean and search-box suggestions propose only what the archive holds.
Frequencies are estimated from the size of each term's posting list (bytes),
which grows with its occurrences: reading every list's exact count would read
the whole posting data, while the sizes are in the term tables already mapped.

Everything here reads the ``.usx`` term tables
(through :class:`search.storage.usx.SegmentPostings`); other modules go through this one.
A :class:`Vocabulary` is built on first use and shared by an index folder's generations
(:mod:`search.understanding.tables`).  It is sized by the vocabulary, not the articles: the bigram
arrays, and of the title words only those the pinyin table can take (the
:data:`~search.text.pinyin.PINYIN_WORDS` heaviest with a Chinese character, as
:class:`~search.text.pinyin.WordTable` picks them), not every word ever printed in a title.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..text.pinyin import PINYIN_WORDS, is_han

if TYPE_CHECKING:
    from ..storage.postings_view import PostingsView

TITLE_WEIGHT = 3  # a title occurrence counts as much as three in a body


def doc_frequency(view: PostingsView, field: str, word: str, sample: int = 4) -> float:
    """How many articles hold ``word``, estimated without reading its posting lists.

    Only the ``sample`` largest segments are asked (the first number of the word's
    postings in each), scaled to the whole index: a lookup per segment is most of
    the cost with dozens of segments.
    """
    total = 0
    sizes = [sp.doc_count for sp in view.usx]
    largest = sorted(range(len(sizes)), key=lambda k: -sizes[k])[:sample]
    for k in largest:
        sp = view.usx[k]
        i = sp.term_index(field, word)
        if i >= 0:
            total += sp.doc_frequency(field, i)
    seen = sum(sizes[k] for k in largest)
    return total * sum(sizes) / seen if seen else 0.0


def frequent_words(view: PostingsView, field: str, top: int) -> dict[str, float]:
    """About the ``top`` most frequent words of a word field: word → summed posting sizes.

    Each segment gives its heaviest words in proportion to its share of the
    articles (at least :data:`MIN_PER_SEGMENT`, so a small new segment's new
    words are there too), and only those are decoded: the whole vocabulary of a
    large index is millions of words.
    """
    segments = [sp for sp in view.usx if sp.doc_count]
    total = sum(sp.doc_count for sp in segments) or 1
    out: dict[str, float] = {}
    for sp in segments:
        sizes = sp.posting_sizes(field)
        k = min(len(sizes), max(MIN_PER_SEGMENT, top * sp.doc_count // total))
        if not k:
            continue
        pick = np.argpartition(-sizes, k - 1)[:k] if k < len(sizes) else np.arange(len(sizes))
        ends = sp.array(f"{field}.word_ends").astype(np.int64)
        blob = sp.array(f"{field}.word_data")
        starts = np.concatenate([[0], ends[:-1]])
        for i, size in zip(pick.tolist(), sizes[pick].tolist(), strict=True):
            word = blob[starts[i]:ends[i]].tobytes().decode("utf-8")
            out[word] = out.get(word, 0.0) + size
    return out


MIN_PER_SEGMENT = 2000
MERGE_STEP = 1_000_000  # table entries reduced at a time


def _reduce(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys and the summed weight of each."""
    order = np.argsort(keys, kind="stable")
    keys, weights = keys[order], weights[order]
    del order
    if not len(keys):
        return keys, weights
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    return keys[starts], np.add.reduceat(weights, starts)


def _merged(parts) -> tuple[np.ndarray, np.ndarray]:
    """Unique sorted keys and their summed weights, from ``(keys, weights)`` parts.

    Reduced about a million entries at a time: a 300,000-article index has 8.5 M
    bigram entries over its segments but only 0.7 M distinct bigrams, and one
    ``np.unique`` over all of them would more than double the server's peak memory at
    its first did-you-mean (bench/RESULTS.md)."""
    keys = np.zeros(0, dtype=np.uint64)
    weights = np.zeros(0, dtype=np.float64)
    batch: list[tuple[np.ndarray, np.ndarray]] = []
    for k, w in (*parts, (None, None)):
        if k is not None:
            batch.append((k.astype(np.uint64), w.astype(np.float64)))
        if batch and (k is None or sum(len(b) for b, _ in batch) >= MERGE_STEP):
            keys, weights = _reduce(np.concatenate([keys, *(b for b, _ in batch)]),
                                    np.concatenate([weights, *(x for _, x in batch)]))
            batch = []
    return keys, weights


@dataclass
class Vocabulary:
    """Bigrams (with forward and backward lookups) and the frequent title words of an index."""

    gram_keys: np.ndarray  # (a << 21) | b, ascending
    gram_weights: np.ndarray
    back_keys: np.ndarray  # (b << 21) | a, ascending: the bigrams ending in b
    back_weights: np.ndarray
    title_words: dict[str, float]  # the PINYIN_WORDS heaviest of two or more characters

    def __post_init__(self) -> None:
        self._gram_cum = np.r_[0.0, np.cumsum(self.gram_weights)]
        self._back_cum = np.r_[0.0, np.cumsum(self.back_weights)]
        self._out: dict[str, float] = {}  # per character, filled as asked (one per character)
        self._in: dict[str, float] = {}

    @classmethod
    def build(cls, view: PostingsView) -> Vocabulary:
        """The vocabulary of the generation ``view`` reads: bigrams weighted by posting size
        (titles ×3), the heaviest title words."""
        gk, gw = _merged((sp.array(f"{field}.keys"), sp.posting_sizes(field) * factor)
                         for field, factor in (("head_g", TITLE_WEIGHT), ("text_g", 1))
                         for sp in view.usx)
        a, b = gk >> np.uint64(21), gk & np.uint64((1 << 21) - 1)
        back = (b << np.uint64(21)) | a
        order = np.argsort(back, kind="stable")
        words: dict[str, float] = {}
        for sp in view.usx:
            for w, s in zip(sp.words("head"), sp.posting_sizes("head").tolist(), strict=True):
                words[w] = words.get(w, 0.0) + s
        wanted = ((wt, w) for w, wt in words.items()
                  if len(w) >= 2 and any(is_han(ch) for ch in w))
        kept = {w: wt for wt, w in heapq.nlargest(PINYIN_WORDS, wanted)}
        del words
        return cls(gk, gw, back[order], gw[order], kept)

    def gram(self, pair: str) -> float:
        """How often the bigram occurs (0 when never)."""
        key = np.uint64((ord(pair[0]) << 21) | ord(pair[1]))
        i = int(np.searchsorted(self.gram_keys, key))
        if i < len(self.gram_keys) and self.gram_keys[i] == key:
            return float(self.gram_weights[i])
        return 0.0

    def association(self, pair: str) -> float:
        """How strongly two characters go together: w(ab) / sqrt(w(a·) · w(·b)), 0 if never.

        A plain count favours common characters (工作 in 工作精神); relative to
        how often each side occurs at all, 工匠 in 工匠精神 is the stronger link.
        """
        return self.association_of(pair[0], pair[1], self.gram(pair))

    def association_of(self, a: str, b: str, w: float) -> float:
        """:meth:`association` of ``ab`` when its weight ``w`` is already known."""
        if not w:
            return 0.0
        pair = a + b
        out_a = self._out.get(pair[0])
        if out_a is None:
            out_a = self._out[pair[0]] = _range_total(self.gram_keys, self._gram_cum,
                                                      ord(pair[0]))
        in_b = self._in.get(pair[1])
        if in_b is None:
            in_b = self._in[pair[1]] = _range_total(self.back_keys, self._back_cum, ord(pair[1]))
        return w / math.sqrt(max(out_a * in_b, 1.0))

    def following(self, ch: str) -> dict[str, float]:
        """Characters seen right after ``ch``, with the bigram's weight."""
        return _range(self.gram_keys, self.gram_weights, ord(ch))

    def preceding(self, ch: str) -> dict[str, float]:
        """Characters seen right before ``ch``, with the bigram's weight."""
        return _range(self.back_keys, self.back_weights, ord(ch))


def _range_total(keys: np.ndarray, cum: np.ndarray, first: int) -> float:
    lo = int(np.searchsorted(keys, np.uint64(first << 21)))
    hi = int(np.searchsorted(keys, np.uint64((first + 1) << 21)))
    return float(cum[hi] - cum[lo])


def _range(keys: np.ndarray, weights: np.ndarray, first: int) -> dict[str, float]:
    lo = int(np.searchsorted(keys, np.uint64(first << 21)))
    hi = int(np.searchsorted(keys, np.uint64((first + 1) << 21)))
    low_bits = (keys[lo:hi] & np.uint64((1 << 21) - 1)).tolist()
    return {chr(c): w for c, w in zip(low_bits, weights[lo:hi].tolist(), strict=True)}
