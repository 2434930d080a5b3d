"""Evaluating a parsed query into matching documents and BM25F scores.

Every clause becomes a :class:`Match`: the sorted array of matching docnums
and a score for each.  Clauses combine with NumPy set operations (AND across
groups, OR within a group, NOT as a difference), so the cost grows with the
number of postings read, not with Python work per matching document.

* A phrase matches where its squashed text is a substring of the title or
  body: candidate documents hold every bigram of a cover of the phrase, and
  their positions are checked to be consecutive.  A single character is
  looked up in the character fields.
* An unquoted run matches verbatim (as a phrase) or with all its jieba words
  apart; verbatim matches get :data:`VERBATIM_BONUS`, more than any BM25F
  score, so they all rank first.
* Scores are BM25F over the title and body with the title weighted
  :data:`HEAD_WEIGHT` times.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import numpy as np

from . import schema as f
from .analysis import words
from .arrays import EMPTY, IndexArrays
from .document import reporter_key
from .normalize import squash
from .postings_view import PostingsView
from .query import Clause, ParsedQuery

HEAD_WEIGHT = 3.0
K1, B = 1.2, 0.75
VERBATIM_BONUS = 1_000_000.0


@dataclass
class Match:
    docs: np.ndarray  # sorted, unique global docnums
    scores: np.ndarray  # float64, aligned with docs

    @classmethod
    def none(cls) -> Match:
        """Matches nothing."""
        return cls(EMPTY, np.zeros(0))

    def __len__(self) -> int:
        return len(self.docs)


def sorted_union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Union of two ascending, duplicate-free docnum arrays.

    ``np.union1d`` goes through ``np.unique``, which hashes in NumPy 2: profiled
    at 300,000 articles it was half the time of queries matching tens of
    thousands.  A merge of two sorted runs (timsort) and a neighbour compare is linear.
    """
    if not len(a):
        return b
    if not len(b):
        return a
    c = np.concatenate((a, b))
    c.sort(kind="stable")
    keep = np.ones(len(c), dtype=bool)
    keep[1:] = c[1:] != c[:-1]
    return c[keep]


def runs(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of an ascending array and how often each occurs."""
    if not len(sorted_values):
        return sorted_values, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    return sorted_values[starts], np.diff(np.r_[starts, len(sorted_values)])


def merged(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Union of two ascending, duplicate-free docnum arrays, and where each element of
    ``a`` and of ``b`` is in it.

    Two long lists go through a boolean array over the docnums and its running
    count, not a sort and two binary searches: 140,000 ∪ 140,000 of 300,000
    documents (a common word in titles and bodies, a query's two halves) took
    14.7 ms that way and takes 2.0 ms this way; short lists keep the sort.
    """
    size = max(int(a[-1]) if len(a) else -1, int(b[-1]) if len(b) else -1) + 1
    if (len(a) + len(b)) * 10 > size:
        seen = np.zeros(size, dtype=bool)
        seen[a] = True
        seen[b] = True
        rank = np.cumsum(seen, dtype=np.int64) - 1
        return np.flatnonzero(seen), rank[a], rank[b]
    docs = sorted_union(a, b)
    return docs, np.searchsorted(docs, a), np.searchsorted(docs, b)


def union(a: Match, b: Match) -> Match:
    """Documents in either; scores add."""
    if not len(a):
        return b
    if not len(b):
        return a
    docs, ia, ib = merged(a.docs, b.docs)
    scores = np.zeros(len(docs))
    scores[ia] += a.scores
    scores[ib] += b.scores
    return Match(docs, scores)


def intersect(a: Match, b: Match) -> Match:
    """Documents in both; scores add.

    Membership by a boolean array over the docnums, not ``np.intersect1d`` (a sort of
    both): 300,000 ∩ 2,000 documents 9.5 → 0.7 ms, 140,000 ∩ 140,000 13.6 → 3.3 ms,
    and no slower on short lists.
    """
    if not len(a) or not len(b):
        return Match.none()
    ia = np.flatnonzero(within(a.docs, b.docs))
    docs = a.docs[ia]
    return Match(docs, a.scores[ia] + b.scores[np.searchsorted(b.docs, docs)])


def within(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each docnum of ``a``, whether ``b`` has it (both non-empty, ascending)."""
    in_b = np.zeros(max(int(a[-1]), int(b[-1])) + 1, dtype=bool)
    in_b[b] = True
    return in_b[a]


def difference(a: Match, b: Match) -> Match:
    """``a`` without the documents of ``b`` (NOT), scores from ``a``."""
    if not len(b) or not len(a):
        return a
    keep = ~np.isin(a.docs, b.docs, assume_unique=True)
    return Match(a.docs[keep], a.scores[keep])


def restrict(a: Match, docs: np.ndarray) -> Match:
    """``a`` kept to ``docs`` (a filter: reporters, dates), scores unchanged."""
    keep = np.isin(a.docs, docs, assume_unique=True)
    return Match(a.docs[keep], a.scores[keep])


def _cover(s: str) -> list[tuple[int, str]]:
    """Bigrams at offsets 0, 2, 4, … and the last one: together they pin every
    character of ``s``, so checking them is as exact as checking all bigrams."""
    offsets = list(range(0, len(s) - 1, 2))
    if offsets[-1] != len(s) - 2:
        offsets.append(len(s) - 2)
    return [(o, s[o : o + 2]) for o in offsets]


BITMAP_MIN_COVER = 8  # cover bigrams from which a long phrase is checked by bitmaps
BITMAP_MAX_CELLS = 1 << 22  # ...when its candidates' texts total at most this many positions


def _starts_by_bitmap(lists: dict, cover: list[tuple[int, str]], cand: np.ndarray,
                      length: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(docs, occurrences) of a long phrase in ``cand``, or None when too many positions.

    The general check intersects sorted (doc, start) keys once per cover bigram:
    for 900 identical characters in an article of 300,000 that is 450 sorts of
    300,000 keys, 6.5 s (issue 16).  Here each candidate document gets a stretch
    of a boolean array (its positions, then ``length`` cells of padding so an
    offset never reaches the next document); a bigram's positions are set once
    and each of its offsets is one shifted AND.  Every step is a whole-array
    operation (no ``ufunc.at``, no search per start): on that article, 24 quoted
    runs of 工 took 0.80 s → 0.16 s, 32 OR-ed runs 0.92 s → 0.13 s.
    """
    ext = np.zeros(len(cand), dtype=np.int64)
    located = {}
    for gram, p in lists.items():
        counts = p.weights.astype(np.int64)
        firsts = np.cumsum(counts) - counts
        in_cand = np.isin(p.docs, cand, assume_unique=True)
        ci = np.searchsorted(cand, p.docs[in_cand])
        if in_cand.all():
            pos = p.positions
        else:
            pos = p.positions[np.repeat(in_cand, counts)]
            counts = counts[in_cand]
            firsts = np.cumsum(counts) - counts
        ext[ci] = np.maximum(ext[ci], np.maximum.reduceat(pos, firsts) + 1)
        located[gram] = (np.repeat(ci, counts), pos)
    width = ext + length
    total = int(width.sum())
    if total > BITMAP_MAX_CELLS:
        return None
    base = np.zeros(len(cand), dtype=np.int64)
    base[1:] = np.cumsum(width)[:-1]
    valid = np.ones(total, dtype=bool)
    cells = np.zeros(total + length, dtype=bool)
    for gram, (di, pos) in located.items():
        cells[:] = False
        cells[base[di] + pos] = True
        for off in sorted({o for o, g in cover if g == gram}):
            valid &= cells[off:off + total]
    # Padding cells are never valid (offset 0 is in every cover), so a stretch's
    # count is its document's occurrences.
    found = np.add.reduceat(valid, base, dtype=np.int64)
    hit = found > 0
    return cand[hit], found[hit].astype(float)


def reporter_docs(arrays: IndexArrays, key: str) -> np.ndarray:
    """Live documents with this reporter key (ascending), from the in-memory arrays.

    Whoosh's reporter postings cost a term lookup per segment, under the I/O
    lock: 7 ms for one reporter at 300,000 articles in 38 segments; a compare
    over the (doc, reporter) pairs is ~0.3 ms.
    """
    i = bisect.bisect_left(arrays.names, key)
    if not key or i == len(arrays.names) or arrays.names[i] != key:
        return EMPTY
    return np.unique(arrays.rep_doc[arrays.rep_id == i]).astype(np.int64)


def meaningful(clause: Clause) -> bool:
    """A lone punctuation mark outside quotes (工匠 ， 精神) is ignored, not matched."""
    if clause.phrase or clause.field == "reporter":
        return True
    s = squash(clause.text)
    return len(s) >= 2 or any(ch.isalnum() for ch in s)


class Evaluator:
    """Evaluates queries for one thread: its postings view and the shared arrays."""

    def __init__(self, view: PostingsView, arrays: IndexArrays, ranked: bool = True):
        self.arrays = arrays
        self.view = view
        self.n = max(arrays.doc_count, 1)
        # False: only the documents count (trends), and a one-word run skips its word
        # lists, which can add no document (see :meth:`clause`).
        self.ranked = ranked

    # -- scoring ---------------------------------------------------------
    def idf(self, df: int) -> float:
        """BM25's inverse document frequency of a term found in ``df`` documents."""
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def bm25f(self, docs: np.ndarray, head_tf: np.ndarray, text_tf: np.ndarray,
              head: bool, text: bool) -> np.ndarray:
        """BM25F of one term given its frequency in each field per document."""
        arrays = self.arrays
        tf = np.zeros(len(docs))
        if head:
            norm = 1 - B + B * arrays.head_len[docs] / max(arrays.avg_head, 1e-6)
            tf += HEAD_WEIGHT * head_tf / np.maximum(norm, 1e-6)
        if text:
            norm = 1 - B + B * arrays.text_len[docs] / max(arrays.avg_text, 1e-6)
            tf += text_tf / np.maximum(norm, 1e-6)
        return self.idf(len(docs)) * tf * (K1 + 1) / (K1 + tf)

    def _fields(self, clause: Clause) -> tuple[bool, bool]:
        return clause.field in (None, "title"), clause.field in (None, "body")

    def _per_field(self, per_field: list[tuple[np.ndarray, np.ndarray]]):
        """Union docs of (docs, tf) pairs for head and body, tf aligned."""
        (hd, ht), (td, tt) = per_field
        docs, ih, it = merged(hd, td)
        head_tf = np.zeros(len(docs))
        text_tf = np.zeros(len(docs))
        head_tf[ih] = ht
        text_tf[it] = tt
        return docs, head_tf, text_tf

    # -- clauses ---------------------------------------------------------
    def word(self, w: str, head: bool, text: bool) -> Match:
        """One jieba word in the word fields."""
        empty = (EMPTY, np.zeros(0))
        hp = self.view.postings(f.HEAD, w) if head else None
        tp = self.view.postings(f.TEXT, w) if text else None
        docs, htf, ttf = self._per_field([
            (hp.docs, hp.weights) if hp else empty,
            (tp.docs, tp.weights) if tp else empty])
        return Match(docs, self.bm25f(docs, htf, ttf, head, text))

    def substring_in(self, gram_field: str, s: str) -> tuple[np.ndarray, np.ndarray]:
        """(docs, occurrences) where the squashed field contains ``s``."""
        view = self.view
        none = (EMPTY, np.zeros(0))
        if len(s) == 1:
            p = view.postings(f.CHARS_OF[gram_field], s)
            return p.docs, np.ones(len(p.docs))
        if len(s) == 2:  # one bigram: its documents and counts, no positions needed
            p = view.postings(gram_field, s, positions=False)
            return p.docs, p.weights
        cover = _cover(s)
        lists = {}
        for _, gram in cover:
            if gram not in lists:
                lists[gram] = view.postings(gram_field, gram)
                if not len(lists[gram].docs):
                    return none
        cand = None
        for gram in sorted(lists, key=lambda g: len(lists[g].docs)):
            docs = lists[gram].docs
            cand = docs if cand is None else cand[within(cand, docs)]
            if not len(cand):
                return none
        if self._bitmap_pays(gram_field, cover, lists, cand):
            found = _starts_by_bitmap(lists, cover, cand, len(s))
            if found is not None:
                return found
        # Where the phrase starts: for each cover bigram, (doc, position − offset);
        # the phrase occurs where every bigram agrees.  Keys are sorted and unique.
        starts = None
        for off, gram in sorted(cover, key=lambda c: len(lists[c[1]].positions)):
            p = lists[gram]
            counts = p.weights.astype(np.int64)
            in_cand = np.repeat(np.isin(p.docs, cand, assume_unique=True), counts)
            doc_of = np.repeat(p.docs, counts)[in_cand]
            pos = p.positions[in_cand] - off
            ok = pos >= 0
            keys = (doc_of[ok] << 32) | pos[ok]
            starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
            if not len(starts):
                return none
        docs, counts = runs(starts >> 32)
        return docs, counts.astype(float)

    def _bitmap_pays(self, gram_field: str, cover, lists: dict, cand: np.ndarray) -> bool:
        """Whether :func:`_starts_by_bitmap` beats sorting keys: a long phrase, or
        positions dense in the candidates' text (repetitive text), and not too many
        cells.  Cells are estimated from word counts (~2.5 characters a word)."""
        lengths = self.arrays.head_len if gram_field == f.HEAD_G else self.arrays.text_len
        cells = 2.5 * float(lengths[cand].sum()) + len(cand) * 64
        if cells > BITMAP_MAX_CELLS:
            return False
        if len(cover) > BITMAP_MIN_COVER:
            return True
        return cells <= 4 * sum(len(p.positions) for p in lists.values())

    def verbatim(self, s: str, head: bool, text: bool) -> Match:
        """Documents whose title (``head``) or body (``text``) contains ``s`` squashed, scored
        by BM25F over its occurrences."""
        empty = (EMPTY, np.zeros(0))
        docs, htf, ttf = self._per_field([
            self.substring_in(f.HEAD_G, s) if head else empty,
            self.substring_in(f.TEXT_G, s) if text else empty])
        return Match(docs, self.bm25f(docs, htf, ttf, head, text))

    def clause(self, clause: Clause) -> Match:
        """One clause of a query: a reporter, a phrase, or an unquoted run (verbatim first)."""
        if clause.field == "reporter":
            key = reporter_key(clause.text)
            docs = reporter_docs(self.arrays, key)
            return Match(docs, np.zeros(len(docs)))
        s = squash(clause.text)
        if not s:
            return Match.none()
        head, text = self._fields(clause)
        has_content = any(ch.isalnum() for ch in s)
        if clause.phrase or not has_content:
            exact = self.verbatim(s, head, text)
            if not clause.phrase:
                exact.scores = exact.scores + VERBATIM_BONUS
            return exact
        exact = self.verbatim(s, head, text)
        exact.scores = exact.scores + VERBATIM_BONUS
        ws = list(dict.fromkeys(words(clause.text)))
        if not ws or (not self.ranked and ws == [s]):
            # A run that is one word: every article with the word has the run verbatim
            # (a word is a stretch of the same normalised text, without whitespace),
            # so its lists only add to scores.  A trend of 发展 at 300,000 articles
            # reads two lists instead of four.
            return exact
        apart = self.word(ws[0], head, text)
        for w in ws[1:]:
            if not len(apart):
                break
            apart = intersect(apart, self.word(w, head, text))
        return union(exact, apart)

    def evaluate(self, parsed: ParsedQuery) -> Match:
        """All documents matching ``parsed`` with their scores."""
        result: Match | None = None
        excluded: list[Match] = []
        for group in parsed.groups:
            group = [c for c in group if meaningful(c)]
            if not group:
                continue
            positive = [c for c in group if not c.negate]
            negative = [c for c in group if c.negate]
            if not positive:
                excluded.extend(self.clause(c) for c in negative)
                continue
            alt = Match.none()
            for c in positive:
                alt = union(alt, self.clause(c))
            if negative:  # "A OR -B": either A, or anything without B
                everything = self.all_docs()
                for c in negative:
                    alt = union(alt, difference(everything, self.clause(c)))
            result = alt if result is None else intersect(result, alt)
            if not len(result):
                return result
        if result is None:
            result = self.all_docs() if excluded else Match.none()
        for ex in excluded:
            result = difference(result, ex)
        return result

    def all_docs(self) -> Match:
        """Every live document, unscored: an empty query with filters."""
        docs = np.flatnonzero(self.arrays.live).astype(np.int64)
        return Match(docs, np.zeros(len(docs)))
