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
  :data:`HEAD_WEIGHT` times; a clause the query was widened by (a synonym, a
  pinyin spelling) counts :data:`EXPANSION_WEIGHT` of its BM25F.  A synonym that
  is one word is scored as a typed run is, verbatim and as a word, so that it
  weighs less where it stands only inside other words (民工 in 人民工作).
* Within a group, what was typed adds up (``A OR B``), but the expansions of it
  do not stack: an article gets its best expansion's score only
  (:func:`alternatives`), so naming both 下岗职工 and 下岗人员 does not lift it
  above one that names the typed 下岗工人, or one of them more often.
* A word's document frequency (and a two-character text's) is read from the counts
  written with the skip tables (:meth:`PostingsView.union_df`), so the groups of a
  conjunction are evaluated rarest first and the others only for the documents left
  (:meth:`Evaluator._conjunction`): long lists are then decoded only in the blocks that
  hold a candidate.  Matches and scores are those of whole lists (ARCHITECTURE.md,
  "Exact numbers").
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

import numpy as np

from .. import schema as f
from ..native import lib as _native  # the C module (required): merges, BM25F, phrases
from ..storage.arrays import EMPTY, IndexArrays
from ..storage.postings_view import PostingsView
from .plan import Analysis
from .query import Clause, ParsedQuery

HEAD_WEIGHT = 3.0
K1, B = 1.2, 0.75
VERBATIM_BONUS = 1_000_000.0
# What a synonym's or a pinyin spelling's match weighs against the same match of a typed
# word: expansions fill gaps, they do not push out direct matches (bench/RESULTS.md).
EXPANSION_WEIGHT = 0.5
# Whether evaluators read lists through their skip tables: phrases, conjunctions and
# filtered searches (the default; the exhaustive path, every list decoded whole, stays as
# the reference the skipping one is compared with).
SKIPPING = True
# Whether a phrase read through the skip tables may take its first candidates from a
# bigram outside its cover (:meth:`Evaluator._rarest_outside`), when that bigram's lists
# are at most RAREST_SHARE of the rarest cover bigram's; False: the cover's rarest always
# (the reference the tests compare with).
RAREST_BIGRAM = True
RAREST_SHARE = 0.5


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

    ``np.union1d`` goes through ``np.unique``, which hashes in NumPy 2: costly for queries
    matching tens of thousands (bench/RESULTS.md).  A merge of two sorted runs (timsort) and
    a neighbour compare is linear.
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


def union_docs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Union of two ascending, duplicate-free docnum arrays (the documents only).

    Two long lists go through a boolean array over the docnums, not a sort: for a
    common word's title and body lists the array is several times faster; short lists
    keep the sort.  No running count over the docnums (where each input lands): nothing
    reads it, and over a large archive that pass costs several unions (bench/RESULTS.md).
    """
    size = max(int(a[-1]) if len(a) else -1, int(b[-1]) if len(b) else -1) + 1
    if (len(a) + len(b)) * 10 > size:
        seen = np.zeros(size, dtype=bool)
        seen[a] = True
        seen[b] = True
        return np.flatnonzero(seen)
    return sorted_union(a, b)


def merge_add(a_docs: np.ndarray, a_values: np.ndarray, b_docs: np.ndarray,
              b_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The union of two ascending, duplicate-free docnum arrays, with their values added
    where a document is in both.

    In C (``search/_native.c``): one merge pass, where NumPy makes several
    whole-array passes (a boolean array, its running count, gathers); a broad word's
    title and body lists are the common case (bench/RESULTS.md).
    """
    n = len(a_docs) + len(b_docs)
    docs, values = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.float64)
    k = _native.merge_add(np.ascontiguousarray(a_docs, dtype=np.int64),
                          np.ascontiguousarray(a_values, dtype=np.float64),
                          np.ascontiguousarray(b_docs, dtype=np.int64),
                          np.ascontiguousarray(b_values, dtype=np.float64), docs, values)
    return docs[:k], values[:k]


def union(a: Match, b: Match) -> Match:
    """Documents in either; scores add."""
    if not len(a):
        return b
    if not len(b):
        return a
    return Match(*merge_add(a.docs, a.scores, b.docs, b.scores))


def strongest(a: Match, b: Match) -> Match:
    """Documents in either; a document in both keeps the higher of its two scores."""
    if not len(a):
        return b
    if not len(b):
        return a
    docs, scores = merge_add(a.docs, a.scores, b.docs, b.scores)
    both = within(a.docs, b.docs)
    if both.any():  # the sum less the lower score is the higher one
        common = a.docs[both]
        low = np.minimum(a.scores[both], b.scores[within(b.docs, a.docs)])
        scores[np.searchsorted(docs, common)] -= low
    return Match(docs, scores)


def alternatives(typed: list[Match], added: list[Match]) -> Match:
    """One group's OR-ed clauses combined: the clauses typed add up, and the best of the
    clauses the query was widened by (synonyms, pinyin spellings) is added to them.

    Variants of one term are one term: an article naming three synonyms of 下岗工人 is
    not three times as much about it as one naming one of them in its headline."""
    out = Match.none()
    for m in typed:
        out = union(out, m)
    best = Match.none()
    for m in added:
        best = strongest(best, m)
    return union(out, best)


def intersect(a: Match, b: Match) -> Match:
    """Documents in both; scores add.

    Membership by a boolean array over the docnums, not ``np.intersect1d`` (a sort of
    both): faster on long lists and no slower on short ones (bench/RESULTS.md).
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


def _common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The documents in both ascending arrays."""
    if not len(a) or not len(b):
        return EMPTY
    return a[within(a, b)]


def _holding(cand: np.ndarray, hd: np.ndarray, td: np.ndarray) -> np.ndarray:
    """The documents of ``cand`` in ``hd`` or in ``td`` (all ascending)."""
    keep = np.zeros(len(cand), dtype=bool)
    for fd in (hd, td):
        if len(fd) and len(cand):
            keep |= within(cand, fd)
    return cand[keep]


def difference(a: Match, b: Match) -> Match:
    """``a`` without the documents of ``b`` (NOT), scores from ``a``."""
    if not len(b) or not len(a):
        return a
    keep = ~np.isin(a.docs, b.docs, assume_unique=True)
    return Match(a.docs[keep], a.scores[keep])


def restrict(a: Match, allowed: np.ndarray) -> Match:
    """``a`` kept to the documents ``allowed`` marks (a bool per docnum: the reporter and
    date filters), scores unchanged."""
    if not len(a):
        return a
    keep = allowed[a.docs]
    return a if keep.all() else Match(a.docs[keep], a.scores[keep])


def _c64(*arrays: np.ndarray) -> list[np.ndarray]:
    """Docnums as contiguous int64 and weights as float64, as the C functions read them
    (``arrays`` alternate: docs, values, docs, values…)."""
    return [np.ascontiguousarray(x, dtype=np.int64 if k % 2 == 0 else np.float64)
            for k, x in enumerate(arrays)]


def _union_size(a: np.ndarray, b: np.ndarray) -> int:
    """How many documents are in either of two ascending, duplicate-free arrays."""
    if not len(a) or not len(b):
        return len(a) + len(b)
    return len(a) + len(b) - int(within(a, b).sum())


def _cover(s: str) -> list[tuple[int, str]]:
    """Bigrams at offsets 0, 2, 4, … and the last one: together they pin every
    character of ``s``, so checking them is as exact as checking all bigrams."""
    offsets = list(range(0, len(s) - 1, 2))
    if offsets[-1] != len(s) - 2:
        offsets.append(len(s) - 2)
    return [(o, s[o : o + 2]) for o in offsets]


def _phrase_native(lists: dict, cover: list[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray]:
    """(docs, occurrences) of a phrase from its cover bigrams' postings, in C: one walk
    over the lists, the positions of each document holding every bigram compared in
    order (its NumPy reference, which sorts (doc, position) keys per bigram, is in
    ``tests/oracles.py``)."""
    grams = list(lists)
    where = {g: k for k, g in enumerate(grams)}
    entries = np.array([(where[g], off) for off, g in sorted(cover)], dtype=np.int64)
    parts = [(np.ascontiguousarray(lists[g].docs, dtype=np.int64),
              np.ascontiguousarray(lists[g].weights, dtype=np.float64),
              np.ascontiguousarray(lists[g].positions, dtype=np.int64)) for g in grams]
    shortest = min(len(p[0]) for p in parts)
    docs, counts = np.empty(shortest, dtype=np.int64), np.empty(shortest, dtype=np.float64)
    n = _native.phrase(parts, entries, docs, counts)
    return docs[:n], counts[:n]


def reporter_docs(arrays: IndexArrays, key: str) -> np.ndarray:
    """Live documents with this reporter key (ascending), from the in-memory arrays.

    Whoosh's reporter postings cost a term lookup per segment, under the I/O
    lock; a compare over the in-memory (doc, reporter) pairs costs neither
    (bench/RESULTS.md).
    """
    i = bisect.bisect_left(arrays.names, key)
    if not key or i == len(arrays.names) or arrays.names[i] != key:
        return EMPTY
    return np.unique(arrays.rep_doc[arrays.rep_id == i]).astype(np.int64)


def meaningful(clause: Clause, text: Analysis) -> bool:
    """A lone punctuation mark outside quotes (工匠 ， 精神) is ignored, not matched."""
    if clause.phrase or clause.field == "reporter":
        return True
    s = text.squash(clause.text)
    return len(s) >= 2 or any(ch.isalnum() for ch in s)


class Evaluator:
    """Evaluates queries for one thread: its postings view, the shared arrays, and the
    analysis of the request's texts (:class:`~search.retrieval.plan.Analysis`: each clause's text
    squashed and segmented once, however often a clause is evaluated)."""

    def __init__(self, view: PostingsView, arrays: IndexArrays, ranked: bool = True,
                 allowed: np.ndarray | None = None, text: Analysis | None = None,
                 skipping: bool | None = None):
        self.arrays = arrays
        # True: a phrase's bigram lists are intersected rarest first, each decoded only
        # in the blocks that hold a candidate (:meth:`_phrase_skipping`), and so are a
        # conjunction's groups and lists longer than the filters allow (:meth:`_lists`);
        # False: each list decoded whole (the exhaustive path tests and
        # bench/skipping.py compare it with).  None: :data:`SKIPPING`.
        self.skipping = SKIPPING if skipping is None else skipping
        self.text = text if text is not None else Analysis()
        # A bool per docnum (live and passing the filters), or None: every list is cut
        # to it once its document frequency is counted.  A reporter's word at 1,000,000
        # articles scored and merged 400,000 documents to keep 150.
        self.allowed = allowed
        self.view = view
        # Inside a conjunction (skipping): the documents every clause is kept to, the
        # result so far of the clauses already evaluated (:meth:`evaluate`); None
        # outside one.  A clause kept to them gives its whole result's documents among
        # them, with the same scores.
        self.cand: np.ndarray | None = None
        self._cand_mask: np.ndarray | None = None
        self._allowed_list: np.ndarray | None = None
        self.skipped_reads = 0  # lists read through their skip tables (tests count them)
        # Each text of three or more characters found once (whole: it does not depend on
        # the candidates), however often the query's evaluations ask for it.
        self._phrases: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self.n = max(arrays.doc_count, 1)
        # False: only the documents count (trends, a page's first pass), and a one-word
        # run skips its word lists, which can add no document (see :meth:`clause`); the
        # words of a run apart are not scored.
        self.ranked = ranked

    # -- scoring ---------------------------------------------------------
    def idf(self, df: int) -> float:
        """BM25's inverse document frequency of a term found in ``df`` documents."""
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def _weights(self) -> tuple[np.ndarray, np.ndarray]:
        """Per document, what one occurrence weighs in the title and in the body: the
        field weight over BM25's length norm, computed once a generation (the gathers
        and divisions per query were a fifth of an unquoted run's time at 1,000,000)."""
        cached = self.arrays.cache.get("bm25f")
        if cached is None:
            arrays = self.arrays
            head = 1 - B + B * arrays.head_len / max(arrays.avg_head, 1e-6)
            text = 1 - B + B * arrays.text_len / max(arrays.avg_text, 1e-6)
            # Computed in float32 from the float32 lengths and kept so (4 bytes an
            # article each, not 8): the C scorer and :meth:`term_among` widen each
            # weight to float64 exactly, so the scores are those of float64 copies.
            cached = ((HEAD_WEIGHT / np.maximum(head, 1e-6)).astype(np.float32),
                      (1.0 / np.maximum(text, 1e-6)).astype(np.float32))
            self.arrays.cache["bm25f"] = cached
        return cached

    def _saturate(self, df: int, tf: np.ndarray) -> np.ndarray:
        return self.idf(df) * tf * (K1 + 1) / (K1 + tf)

    def term(self, head: tuple[np.ndarray, np.ndarray], text: tuple[np.ndarray, np.ndarray],
             df: int | None = None) -> Match:
        """Every document with a term in the title or body, scored by BM25F; ``head`` and
        ``text`` are the term's (docs, frequencies) in each field, ``df`` the documents
        holding it (None: the two lists' union, which then must be whole).  Lists are
        cut to the documents the filters and a conjunction's candidates allow."""
        (hd, ht), (td, tt) = head, text
        if df is None and (self.allowed is not None or self.cand is not None):
            df = _union_size(hd, td)
        (hd, ht), (td, tt) = self._cut(hd, ht), self._cut(td, tt)
        head_w, text_w = self._weights()
        # In C: the gathers, the merge and the saturation in one pass.
        n = len(hd) + len(td)
        docs, scores = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.float64)
        k = _native.bm25f(*_c64(hd, ht, td, tt), head_w, text_w, K1, self.n,
                          -1 if df is None else df, docs, scores)
        return Match(docs[:k], scores[:k])

    def _cut(self, docs: np.ndarray, tf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(docs, tf) kept to the documents the filters allow and, inside a conjunction,
        to its candidates (:attr:`cand`)."""
        mask = self._cand_mask if self.cand is not None else self.allowed
        if not len(docs) or mask is None:
            return docs, tf
        keep = mask[docs]
        return docs[keep], tf[keep]

    def _keep_to(self, cand: np.ndarray | None) -> None:
        """Read every list for the documents of ``cand`` only (ascending, live, allowed
        by the filters), or (None) for every document the filters allow."""
        self.cand = cand
        self._cand_mask = None
        if cand is not None:
            self._cand_mask = np.zeros(len(self.arrays.live), dtype=bool)
            self._cand_mask[cand] = True

    def _lists(self, fields: tuple[str, str], t: str, head: bool, text: bool
               ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], int]:
        """A word's (or a bigram's: ``fields`` are then the gram fields, counts for
        frequencies) (docs, frequencies) in the title and the body where asked, kept to
        the filters and the candidates, and how many documents hold it in the fields
        asked (:meth:`PostingsView.union_df`: never a whole decode of a long list).

        Skipping, a list longer than the candidates (filters rarer than the list, or a
        conjunction's rarer side) is decoded only in the blocks that hold one of them
        (:meth:`PostingsView.decode_in`, in C); any other list is decoded whole and cut."""
        empty = (EMPTY, np.zeros(0))
        view = self.view
        encs = [view.encoded(fl, t) if asked else None
                for fl, asked in zip(fields, (head, text), strict=True)]
        df = view.union_df(*encs)
        out = []
        for enc in encs:
            if enc is None or not enc.found:
                out.append(empty)
                continue
            cand = self.cand
            if cand is None and self.skipping and self.allowed is not None:
                cand = self.allowed_docs()
            if self.skipping and cand is not None and len(cand) * 2 < enc.size:
                p = view.decode_in(enc, cand, positions=False)
                self.skipped_reads += 1
                out.append((p.docs, p.weights))
            else:  # from the bytes already read for the document frequency
                p = view.decode(enc, positions=False)
                out.append(self._cut(p.docs, p.weights))
        return out[0], out[1], df

    def allowed_docs(self) -> np.ndarray:
        """The documents the filters allow (ascending), counted once a query."""
        if self._allowed_list is None:
            self._allowed_list = np.flatnonzero(self.allowed).astype(np.int64)
        return self._allowed_list

    def term_among(self, cand: np.ndarray, df: int, head: tuple[np.ndarray, np.ndarray],
                   text: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """BM25F of a term found in ``df`` documents, for the documents ``cand`` only
        (each holds it in the title or body): a run's words apart are scored after
        their lists are intersected, not over each whole list."""
        head_w, text_w = self._weights()
        tf = np.zeros(len(cand))
        for (fd, ftf), weight in ((head, head_w), (text, text_w)):
            if len(fd):
                i = np.minimum(np.searchsorted(fd, cand), len(fd) - 1)
                hit = fd[i] == cand
                tf[hit] += ftf[i[hit]] * weight[cand[hit]]
        return self._saturate(df, tf)

    # -- clauses ---------------------------------------------------------
    def _fields(self, clause: Clause) -> tuple[bool, bool]:
        return clause.field in (None, "title"), clause.field in (None, "body")

    def _word_fields(self, w: str, head: bool, text: bool):
        """A word's (docs, frequencies) in the title and the body (empty where not asked),
        cut to the filters and candidates, and its document frequency."""
        return self._lists((f.HEAD, f.TEXT), w, head, text)

    def word(self, w: str, head: bool, text: bool) -> Match:
        """One jieba word in the word fields."""
        return self.term(*self._word_fields(w, head, text))

    def apart(self, ws: list[str], head: bool, text: bool) -> Match:
        """Documents holding every word of ``ws`` (anywhere in the title or body), each
        word scored by BM25F.

        The lists are intersected first (the shortest first) and only the documents
        left are scored: a run like 的一点心意捐 reads 的 in nearly every article, and
        scoring each whole list before intersecting cost more than reading it.
        """
        if len(ws) == 1:
            return self.word(ws[0], head, text)
        if self.skipping:
            return self._apart_skipping(ws, head, text)
        read = [self._word_fields(w, head, text) for w in ws]
        fields = [(h, t) for h, t, _ in read]
        dfs = [df for _, _, df in read]
        sizes = [len(h[0]) + len(t[0]) for h, t in fields]
        cand = None
        for k in sorted(range(len(fields)), key=sizes.__getitem__):
            (hd, _), (td, _) = fields[k]
            if cand is None:
                cand = union_docs(hd, td)
            else:
                cand = _holding(cand, hd, td)
            if not len(cand):
                return Match.none()
        return self._scored(cand, fields, dfs)

    def _scored(self, cand: np.ndarray, fields: list, dfs: list[int]) -> Match:
        """``cand`` scored by each word's BM25F, in the words' order (unscored when only
        the documents count: a run's words apart add no verbatim bonus)."""
        scores = np.zeros(len(cand))
        if not self.ranked:
            return Match(cand, scores)
        for (head_p, text_p), df in zip(fields, dfs, strict=True):
            scores += self.term_among(cand, df, head_p, text_p)
        return Match(cand, scores)

    def _apart_skipping(self, ws: list[str], head: bool, text: bool) -> Match:
        """:meth:`apart` reading the rarest word's lists first and each longer word's
        only for the documents still candidates (:meth:`_lists` through the skip
        tables): the same documents and scores (a word's document frequency is read,
        not counted from its lists)."""
        view = self.view
        sizes = [sum(view.encoded(fl, w).size for fl, asked in ((f.HEAD, head), (f.TEXT, text))
                     if asked) for w in ws]
        saved = self.cand, self._cand_mask
        read: dict[int, tuple] = {}
        try:
            cand = None
            for k in sorted(range(len(ws)), key=sizes.__getitem__):
                hp, tp, df = self._word_fields(ws[k], head, text)
                read[k] = (hp, tp, df)
                cand = union_docs(hp[0], tp[0]) if cand is None else _holding(cand, hp[0], tp[0])
                if not len(cand):
                    return Match.none()
                self._keep_to(cand)
        finally:
            self.cand, self._cand_mask = saved
        fields = [(read[k][0], read[k][1]) for k in range(len(ws))]
        return self._scored(cand, fields, [read[k][2] for k in range(len(ws))])

    def substring_in(self, gram_field: str, s: str) -> tuple[np.ndarray, np.ndarray]:
        """(docs, occurrences) where the squashed field contains ``s``."""
        view = self.view
        if len(s) == 1:
            p = view.postings(f.CHARS_OF[gram_field], s)
            return p.docs, np.ones(len(p.docs))
        if len(s) == 2:  # one bigram: its documents and counts, no positions needed
            p = view.postings(gram_field, s, positions=False)
            return p.docs, p.weights
        found = self._phrases.get((gram_field, s))
        if found is None:
            found = self._phrases[(gram_field, s)] = self._phrase(gram_field, s)
        return found

    def _phrase(self, gram_field: str, s: str) -> tuple[np.ndarray, np.ndarray]:
        """(docs, occurrences) of a text of three or more characters in a gram field."""
        view = self.view
        none = (EMPTY, np.zeros(0))
        cover = _cover(s)
        if self.skipping:
            return self._phrase_skipping(gram_field, s, cover)
        lists = {}
        for _, gram in cover:
            if gram not in lists:
                lists[gram] = view.postings(gram_field, gram)
                if not len(lists[gram].docs):
                    return none
        return _phrase_native(lists, cover)

    def _phrase_skipping(self, gram_field: str, s: str, cover: list[tuple[int, str]]
                         ) -> tuple[np.ndarray, np.ndarray]:
        """(docs, occurrences) of a phrase, its bigram lists read through their skip
        tables: the shortest list's documents decoded whole, then each longer list
        (shortest first) with its positions, only in the blocks that hold a document
        still a candidate and only for those documents, then the shortest list's
        positions for the documents left.  The position check then sees the
        candidates' lists only (the same documents and counts as decoding every list
        whole: ``tests/test_skipping.py``).

        The first candidates may come from a bigram outside the cover
        (:meth:`_rarest_outside`): every document holding the phrase holds each of its
        bigrams, so starting from the rarest one loses none, and the cover's positions
        still decide."""
        view = self.view
        outside = self._rarest_outside(gram_field, s, cover)
        if outside == "":
            return EMPTY, np.zeros(0)
        encoded = {}
        for gram in dict.fromkeys(g for _, g in cover):
            encoded[gram] = view.encoded(gram_field, gram)
            if not encoded[gram].found:
                return EMPTY, np.zeros(0)
        order = sorted(encoded, key=lambda g: encoded[g].size)
        first = order[0]
        lists = {}
        if outside is not None:  # every cover list read for its candidates only
            cand = view.decode(view.encoded(gram_field, outside), positions=False).docs
            order = [None, *order]
        else:
            cand = view.decode(encoded[first], positions=False).docs
        for gram in order[1:]:  # each list read once, kept to the candidates so far
            if not len(cand):
                return EMPTY, np.zeros(0)
            lists[gram] = view.decode_in(encoded[gram], cand)
            cand = lists[gram].docs
        if not len(cand):
            return EMPTY, np.zeros(0)
        if outside is None:
            lists[first] = view.decode_in(encoded[first], cand)
        return _phrase_native(lists, cover)

    def _rarest_outside(self, gram_field: str, s: str, cover: list[tuple[int, str]]
                        ) -> str | None:
        """The bigram of ``s`` outside its cover to take a phrase's first candidates from,
        when its lists are at most :data:`RAREST_SHARE` of the rarest cover bigram's (the
        bigram across a word boundary, 会组 of 工会组织, is often far rarer than the words'
        own); None to start from the cover; "" when some bigram of ``s`` is in no
        segment (then no document holds ``s``).  Weighed by the lists' places only."""
        if not RAREST_BIGRAM or len(s) < 4:
            return None
        size = {g: self.view.list_bytes(gram_field, g)
                for g in dict.fromkeys(s[i : i + 2] for i in range(len(s) - 1))}
        if not all(size.values()):
            return ""
        in_cover = {g for _, g in cover}
        least = min(size[g] for g in in_cover)
        best = min((g for g in size if g not in in_cover), key=size.__getitem__, default=None)
        if best is None or size[best] > least * RAREST_SHARE:
            return None
        return best

    def verbatim(self, s: str, head: bool, text: bool) -> Match:
        """Documents whose title (``head``) or body (``text``) contains ``s`` squashed, scored
        by BM25F over its occurrences.  Two characters are one bigram, read as a word
        is (:meth:`_lists`); a longer text is found whole (its document frequency is
        the number of documents holding it), then cut to the candidates."""
        empty = (EMPTY, np.zeros(0))
        if len(s) == 2:
            return self.term(*self._lists((f.HEAD_G, f.TEXT_G), s, head, text))
        return self.term(self.substring_in(f.HEAD_G, s) if head else empty,
                         self.substring_in(f.TEXT_G, s) if text else empty)

    def count_verbatim(self, s: str) -> int:
        """How many live documents hold the squashed text ``s`` in the title or body:
        ``len(self.verbatim(s, True, True))`` without scoring any, the filters and
        candidates ignored.  Two characters when no document is deleted: the bigram's
        title-or-body count (:meth:`PostingsView.union_df`, written with the skip tables
        of long lists), no list decoded; otherwise the documents found and counted."""
        view = self.view
        if len(s) == 2:
            head, text = view.encoded(f.HEAD_G, s), view.encoded(f.TEXT_G, s)
            if self._all_live():
                return view.union_df(head, text)
            return len(union_docs(view.decode(head, positions=False).docs,
                                  view.decode(text, positions=False).docs))
        return len(union_docs(self.substring_in(f.HEAD_G, s)[0],
                              self.substring_in(f.TEXT_G, s)[0]))

    def _all_live(self) -> bool:
        """Whether no document of the generation is deleted (kept with its arrays)."""
        cache = self.arrays.cache
        every = cache.get("all_live")
        if every is None:
            every = cache["all_live"] = bool(self.arrays.live.all())
        return every

    def clause(self, clause: Clause) -> Match:
        """One clause of a query: a reporter, a phrase, or an unquoted run (verbatim first)."""
        if clause.field == "reporter":
            # A reporter's key is the name squashed (search.document.reporter_key).
            docs = reporter_docs(self.arrays, self.text.squash(clause.text))
            return Match(docs, np.zeros(len(docs)))
        s = self.text.squash(clause.text)
        if not s:
            return Match.none()
        head, text = self._fields(clause)
        has_content = any(ch.isalnum() for ch in s)
        if clause.phrase or not has_content:
            exact = self.verbatim(s, head, text)
            if clause.added:
                if has_content and (w := self._word_of(clause.text, s)):
                    exact = union(exact, self._among(self.word(w, head, text), exact.docs))
                exact.scores = exact.scores * EXPANSION_WEIGHT
            elif not clause.phrase:
                exact.scores = exact.scores + VERBATIM_BONUS
            return exact
        exact = self.verbatim(s, head, text)
        exact.scores = exact.scores + VERBATIM_BONUS
        ws = self._run_words(clause.text, s)
        if not ws:
            return exact
        return union(exact, self.apart(ws, head, text))

    def _word_of(self, term: str, squashed: str) -> str | None:
        """A synonym that is one word (民工), or None: its word list says where it stands
        as a word, not inside others (人民工作, 移民工作 hold 民工 only as characters)."""
        if not self.ranked:  # the word list only adds to scores
            return None
        ws = self.text.distinct_words(term)
        return ws[0] if ws == [squashed] else None

    @staticmethod
    def _among(m: Match, docs: np.ndarray) -> Match:
        """``m`` kept to ``docs`` (ascending)."""
        if not len(m) or not len(docs):
            return Match.none()
        keep = within(m.docs, docs)
        return Match(m.docs[keep], m.scores[keep])

    def _run_words(self, run: str, squashed: str) -> list[str]:
        """The words of an unquoted run whose lists are read (none: the run decides alone).

        A run that is one word, when only documents count: every article with the word
        has the run verbatim (a word is a stretch of the same normalised text, without
        whitespace), so its lists only add to scores.  A trend of 发展 at 300,000
        articles reads two lists instead of four.
        """
        ws = self.text.distinct_words(run)
        return [] if not self.ranked and ws == [squashed] else ws

    def terms(self, clause: Clause) -> list[tuple[str, str]]:
        """The (field, term) lists :meth:`clause` reads: bigrams (or a character) of the
        squashed text, and for an unquoted run its words.  Read ahead, all at once
        (:meth:`evaluate`); a list missed here is only read when asked for."""
        if clause.field == "reporter":
            return []
        s = self.text.squash(clause.text)
        if not s:
            return []
        head, text = self._fields(clause)
        gram_fields = [g for g, asked in ((f.HEAD_G, head), (f.TEXT_G, text)) if asked]
        out = []
        for g in gram_fields:
            if len(s) == 1:
                out.append((f.CHARS_OF[g], s))
            else:
                out += [(g, gram) for gram in dict.fromkeys(gram for _, gram in _cover(s))]
        word_fields = [w for w, asked in ((f.HEAD, head), (f.TEXT, text)) if asked]
        if not clause.phrase and any(ch.isalnum() for ch in s):
            out += [(w, word) for word in self._run_words(clause.text, s)
                    for w in word_fields]
        elif clause.added and any(ch.isalnum() for ch in s) and (
                word := self._word_of(clause.text, s)):
            out += [(w, word) for w in word_fields]
        return out

    def evaluate(self, parsed: ParsedQuery) -> Match:
        """All documents matching ``parsed`` with their scores."""
        self.view.prefetch([t for group in parsed.groups for c in group
                            if meaningful(c, self.text) for t in self.terms(c)])
        result: Match | None = None
        excluded: list[Match] = []
        groups = []
        for group in parsed.groups:
            group = [c for c in group if meaningful(c, self.text)]
            if not group:
                continue
            positive = [c for c in group if not c.negate]
            negative = [c for c in group if c.negate]
            if not positive:
                excluded.extend(self.clause(c) for c in negative)
                continue
            groups.append((positive, negative))
        alts = self._conjunction(groups) if self.skipping and len(groups) > 1 else None
        for k, (positive, negative) in enumerate(groups):
            alt = alts[k] if alts is not None else self._group(positive, negative)
            result = alt if result is None else intersect(result, alt)
            if not len(result):
                return result
        if result is None:
            result = self.all_docs() if excluded else Match.none()
        for ex in excluded:
            result = difference(result, ex)
        return result

    def evaluate_among(self, parsed: ParsedQuery, cand: np.ndarray) -> Match:
        """The documents of ``cand`` (ascending, live, allowed by the filters) that match
        ``parsed``, with the scores :meth:`evaluate` gives them: every list is read for
        them only (through its skip table where it has one) and only they are scored.

        Exact because every combination of clauses is pointwise: a clause kept to the
        candidates gives its whole result's documents among them with the same scores
        (a term's document frequency is read or counted before any cut), so a group's,
        a conjunction's and a negation's score of a candidate is the whole one."""
        saved = self.cand, self._cand_mask
        try:
            self._keep_to(cand)
            return self._among(self.evaluate(parsed), cand)
        finally:
            self.cand, self._cand_mask = saved

    def _group(self, positive: list[Clause], negative: list[Clause]) -> Match:
        """One group: any of its clauses ("A OR -B": either A, or anything without B)."""
        alt = alternatives([self.clause(c) for c in positive if not c.added],
                           [self.clause(c) for c in positive if c.added])
        if negative:
            everything = self.all_docs()
            for c in negative:
                alt = union(alt, difference(everything, self.clause(c)))
        return alt

    def _conjunction(self, groups: list[tuple[list[Clause], list[Clause]]]) -> list[Match]:
        """Each group's match, the rarest group (fewest encoded bytes to read) evaluated
        first and each next one kept to the documents all before it matched
        (:attr:`cand`): its long lists are then decoded only in the blocks that hold one
        of them.  Each match holds the whole group's documents among those candidates
        with the same scores, so intersecting them in the query's order
        (:meth:`evaluate`) gives the same documents and scores as whole groups.  A group
        with a negation ("A OR -B") is evaluated whole, last."""
        def cost(k: int) -> tuple[int, int]:
            positive, negative = groups[k]
            if negative:
                return 1, 0
            return 0, sum(self.view.encoded(fl, t).size for c in positive
                          for fl, t in self.terms(c))

        out: list[Match] = [Match.none()] * len(groups)
        saved = self.cand, self._cand_mask
        try:
            docs = None
            for k in sorted(range(len(groups)), key=cost):
                out[k] = self._group(*groups[k])
                docs = out[k].docs if docs is None else _common(docs, out[k].docs)
                if not len(docs):
                    break
                if not groups[k][1]:
                    self._keep_to(docs)
        finally:
            self.cand, self._cand_mask = saved
        return out

    def all_docs(self) -> Match:
        """Every live document the filters allow, unscored: an empty query, or "-B"."""
        mask = self.arrays.live if self.allowed is None else self.allowed
        docs = np.flatnonzero(mask).astype(np.int64)
        return Match(docs, np.zeros(len(docs)))
