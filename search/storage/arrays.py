"""Per-document arrays of an index generation: days, text lengths, reporters, live flags.

Totals, facets, filters and BM25F work on whole columns in NumPy, never per hit in
Python.  A segment is immutable, so its arrays (:class:`SegmentArrays`) are read
once per process and kept by segment id; only deletions change, so the arrays of a
generation (:class:`IndexArrays`) are assembled from them when a new searcher opens
(see the cache-lifetime table in :mod:`search.storage.generations`).

Each column is held once: once a generation's columns are assembled, the cached
arrays of its segments become views into them (:func:`_share`), so a process does
not keep a per-segment copy beside the generation's own (that copy was about a
third of what the server held per article).  The next generation copies from those
views and takes its segments' views in turn; the older columns are freed with the
older generation.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from .. import schema as f
from .folder import paper_names
from .segments import forget_segments, usx_of
from .store import UNSET, Leaf, Snapshot

EMPTY = np.zeros(0, dtype=np.int64)
SEGMENT_CACHE_MAX = 512  # segments whose arrays a process keeps; past it all are dropped
_cache: dict[str, SegmentArrays] = {}
_cache_lock = threading.Lock()


def _days(leaf: Leaf) -> np.ndarray:
    values = leaf.numeric_column(f.DAY)
    if values is None:
        return np.zeros(leaf.doc_count_all(), dtype=np.int32)
    return values.astype(np.int32)


def _lengths(leaf: Leaf, fieldname: str) -> np.ndarray:
    """Words per document in a word field, as floats."""
    return usx_of(leaf).lengths(fieldname).astype(np.float32)


@dataclass
class SegmentArrays:
    """Per-document arrays of one segment (immutable, cached by segment id)."""

    days: np.ndarray
    head_len: np.ndarray
    text_len: np.ndarray
    rep_doc: np.ndarray  # (doc, reporter) pairs: local docnum (int32)…
    rep_local: np.ndarray  # …and the reporter, an index into names
    names: list[str]
    paper: np.ndarray  # per local docnum, an index into ``papers`` (0: no named paper)
    papers: list[str]  # "" first, then the paper keys this segment holds
    added: np.ndarray  # per local docnum, when it was imported (0: unknown)


def _papers(leaf: Leaf) -> tuple[np.ndarray, list[str]]:
    """Each document's paper as an index into the keys found ("" first: none)."""
    codes = np.zeros(leaf.doc_count_all(), dtype=np.int16)
    keys = [""]
    if leaf.has_terms(f.PAPER):
        for btext in leaf.lexicon(f.PAPER):
            docs = leaf.term_docs(f.PAPER, btext)
            if docs is not None:
                codes[docs[docs < len(codes)]] = len(keys)
                keys.append(btext.decode("utf-8"))
    return codes, keys


def _added(leaf: Leaf) -> np.ndarray:
    """Each document's import time; 0 where unknown (absent, or :data:`UNSET`: what a
    merge writes to the column for an article without one)."""
    values = leaf.numeric_column(f.ADDED)
    if values is None:
        return np.zeros(leaf.doc_count_all(), dtype=np.int64)
    out = values.astype(np.int64)
    out[out == UNSET] = 0
    return out


def _segment_arrays(leaf: Leaf) -> SegmentArrays:
    segid = leaf.segment_id
    arrays = _cache.get(segid)
    if arrays is not None:
        return arrays
    rep_doc, rep_local, names = [], [], []
    if leaf.has_terms(f.REPORTER):
        for btext in leaf.lexicon(f.REPORTER):
            docs = leaf.term_docs(f.REPORTER, btext)
            if docs is not None:
                rep_doc.append(docs.astype(np.int32))
                rep_local.append(np.full(len(docs), len(names), dtype=np.int32))
                names.append(btext.decode("utf-8"))
    paper, papers = _papers(leaf)
    arrays = SegmentArrays(
        paper=paper, papers=papers, added=_added(leaf),
        days=_days(leaf),
        head_len=_lengths(leaf, f.HEAD),
        text_len=_lengths(leaf, f.TEXT),
        rep_doc=np.concatenate(rep_doc) if rep_doc else np.zeros(0, dtype=np.int32),
        rep_local=np.concatenate(rep_local) if rep_local else np.zeros(0, dtype=np.int32),
        names=names,
    )
    with _cache_lock:
        if len(_cache) > SEGMENT_CACHE_MAX:
            _cache.clear()
        _cache[segid] = arrays
    return arrays


_SHARED = ("days", "head_len", "text_len", "added")  # columns a segment's arrays view


def _share(arrays: IndexArrays, segments: list[tuple[SegmentArrays, int, int]]) -> None:
    """Point each segment's cached columns at its slice of the generation's (same values,
    read-only), so the process holds them once."""
    for seg, n, offset in segments:
        for name in _SHARED:
            column = getattr(arrays, name)[offset:offset + n]
            if len(column) == len(getattr(seg, name)):
                setattr(seg, name, column)
    for name in (*_SHARED, "live"):
        getattr(arrays, name).setflags(write=False)


def _paper_names(leaves: list[Leaf]) -> dict[str, str]:
    """Paper names by key, from the meta file of the index these segments are in."""
    if not leaves:
        return {}
    return paper_names(leaves[0].folder)


@dataclass
class IndexArrays:
    """Per-document arrays of one index generation.

    Holds no reader: readers are closed when the searcher refreshes, so
    postings are read through a :class:`PostingsView` of the searcher in use.
    """

    live: np.ndarray  # bool per global docnum
    days: np.ndarray
    head_len: np.ndarray
    text_len: np.ndarray
    avg_head: float
    avg_text: float
    doc_count: int
    rep_doc: np.ndarray  # global docnum of each (doc, reporter) pair
    rep_id: np.ndarray  # index into names
    names: list[str] = field(default_factory=list)
    # Each document's paper, an index into ``papers`` ("" first: no named paper), and when
    # it was imported (seconds since 1970, 0 unknown); ``paper_names``: key → display name.
    paper: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int16))
    papers: list[str] = field(default_factory=lambda: [""])
    added: np.ndarray = field(default_factory=lambda: EMPTY)
    paper_names: dict[str, str] = field(default_factory=dict)
    # Derived per-document arrays computed at first use (BM25F's length norms).
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def day_span(self) -> tuple[int, int] | None:
        """The first and last day (``20220930``) of a live article; None for no article.

        Computed once per generation: every request clamps its dates to it.
        """
        if "day_span" not in self.cache:
            live_days = self.days[self.live]
            self.cache["day_span"] = ((int(live_days.min()), int(live_days.max()))
                                      if len(live_days) else None)
        return self.cache["day_span"]

    @classmethod
    def build(cls, searcher: Snapshot) -> IndexArrays:
        """The arrays of the generation ``searcher`` reads (segment arrays cached, deletions
        read afresh)."""
        leaves = searcher.leaves()
        if leaves:
            forget_segments(leaves[0].folder, {leaf.segment_id for leaf in leaves})
        per_segment = [(_segment_arrays(leaf), leaf, leaf.offset) for leaf in leaves]
        names = sorted({n for arr, _, _ in per_segment for n in arr.names})
        lookup = {n: i for i, n in enumerate(names)}
        papers = [""] + sorted({p for arr, _, _ in per_segment for p in arr.papers} - {""})
        paper_at = {p: i for i, p in enumerate(papers)}
        lives, days, hl, tl, rdocs, rids, pcodes, added = [], [], [], [], [], [], [], []
        for arr, leaf, offset in per_segment:
            lives.append(leaf.live_mask())
            days.append(arr.days)
            to_paper = np.array([paper_at[p] for p in arr.papers], dtype=np.int16)
            pcodes.append(to_paper[arr.paper])
            added.append(arr.added)
            hl.append(arr.head_len)
            tl.append(arr.text_len)
            rdocs.append(arr.rep_doc.astype(np.int64) + offset)
            to_global = np.array([lookup[n] for n in arr.names], dtype=np.int32)
            rids.append(to_global[arr.rep_local] if len(arr.names) else arr.rep_local)
        live = np.concatenate(lives) if lives else np.zeros(0, dtype=bool)
        head_len = np.concatenate(hl) if hl else np.zeros(0, dtype=np.float32)
        text_len = np.concatenate(tl) if tl else np.zeros(0, dtype=np.float32)
        rep_doc = np.concatenate(rdocs) if rdocs else EMPTY
        rep_id = np.concatenate(rids) if rids else np.zeros(0, dtype=np.int32)
        keep = live[rep_doc] if len(rep_doc) else np.zeros(0, dtype=bool)
        n_live = int(live.sum())
        built = cls(
            live=live,
            days=np.concatenate(days) if days else np.zeros(0, dtype=np.int32),
            head_len=head_len, text_len=text_len,
            avg_head=float(head_len[live].mean()) if n_live else 1.0,
            avg_text=float(text_len[live].mean()) if n_live else 1.0,
            doc_count=n_live,
            rep_doc=rep_doc[keep], rep_id=rep_id[keep], names=names,
            paper=np.concatenate(pcodes) if pcodes else np.zeros(0, dtype=np.int16),
            papers=papers,
            added=np.concatenate(added) if added else EMPTY,
            paper_names=_paper_names(leaves),
        )
        _share(built, [(arr, leaf.doc_count_all(), offset)
                       for arr, leaf, offset in per_segment])
        return built

    def paper_mask(self, keys: list[str]) -> np.ndarray:
        """Per docnum, whether the article belongs to one of the papers ``keys`` (kept per
        generation: a filter asked once is asked again)."""
        key = ("paper_mask", tuple(sorted(set(keys))))
        mask = self.cache.get(key)
        if mask is None:
            codes = [self.papers.index(k) for k in key[1] if k in self.papers]
            mask = np.isin(self.paper, np.asarray(codes, dtype=np.int16))
            mask.setflags(write=False)
            if len(self.cache) < 256:  # bounded: keys come from requests
                self.cache[key] = mask
        return mask

    def has_papers(self) -> bool:
        """Whether live articles of more than one paper are in the index (articles of no
        named paper count as one): only then do pages show the paper."""
        if "has_papers" not in self.cache:
            self.cache["has_papers"] = len(np.unique(self.paper[self.live])) > 1
        return self.cache["has_papers"]


