"""Per-document arrays of an index generation: days, text lengths, reporters, live flags.

Totals, facets, filters and BM25F work on whole columns in NumPy, never per hit in
Python.  A segment is immutable, so its arrays (:class:`SegmentArrays`) are read
once per process and kept by segment id; only deletions change, so the arrays of a
generation (:class:`IndexArrays`) are assembled from them when a new searcher opens
(see the cache-lifetime table in :mod:`search.searcher`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from . import schema as f
from . import whoosh_api
from .segments import forget_segments, leaves_of, usx_of

EMPTY = np.zeros(0, dtype=np.int64)
SEGMENT_CACHE_MAX = 512  # segments whose arrays a process keeps; past it all are dropped
_cache: dict[str, SegmentArrays] = {}
_cache_lock = threading.Lock()


def _days(seg_reader) -> np.ndarray:
    values = whoosh_api.numeric_column(seg_reader, f.DAY)
    if values is None:
        return np.zeros(seg_reader.doc_count_all(), dtype=np.int32)
    return values.astype(np.int32)


def _lengths(seg_reader, fieldname: str) -> np.ndarray:
    """Words per document in a word field, as floats."""
    return usx_of(seg_reader).lengths(fieldname).astype(np.float32)


@dataclass
class SegmentArrays:
    """Per-document arrays of one segment (immutable, cached by segment id)."""

    days: np.ndarray
    head_len: np.ndarray
    text_len: np.ndarray
    rep_doc: np.ndarray  # (doc, reporter) pairs: local docnum…
    rep_local: np.ndarray  # …and the reporter, an index into names
    names: list[str]



def _segment_arrays(seg_reader) -> SegmentArrays:
    segid = seg_reader.segment().segment_id()
    arrays = _cache.get(segid)
    if arrays is not None:
        return arrays
    rep_doc, rep_local, names = [], [], []
    if f.REPORTER in seg_reader.indexed_field_names():
        for btext in seg_reader.lexicon(f.REPORTER):
            leaf = whoosh_api.leaf_docs(seg_reader, f.REPORTER, btext)
            if leaf is not None:
                rep_doc.append(leaf)
                rep_local.append(np.full(len(leaf), len(names), dtype=np.int32))
                names.append(btext.decode("utf-8"))
    arrays = SegmentArrays(
        days=_days(seg_reader),
        head_len=_lengths(seg_reader, f.HEAD),
        text_len=_lengths(seg_reader, f.TEXT),
        rep_doc=np.concatenate(rep_doc) if rep_doc else EMPTY,
        rep_local=np.concatenate(rep_local) if rep_local else np.zeros(0, dtype=np.int32),
        names=names,
    )
    with _cache_lock:
        if len(_cache) > SEGMENT_CACHE_MAX:
            _cache.clear()
        _cache[segid] = arrays
    return arrays


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
    def build(cls, searcher: whoosh_api.Searcher) -> IndexArrays:
        """The arrays of the generation ``searcher`` reads (segment arrays cached, deletions
        read afresh)."""
        leaves = leaves_of(searcher)
        if leaves:
            forget_segments(leaves[0][0].storage().folder,
                            {r.segment().segment_id() for r, _ in leaves})
        per_segment = [(_segment_arrays(r), r, off) for r, off in leaves]
        names = sorted({n for arr, _, _ in per_segment for n in arr.names})
        lookup = {n: i for i, n in enumerate(names)}
        lives, days, hl, tl, rdocs, rids = [], [], [], [], [], []
        for arr, seg_reader, offset in per_segment:
            n = seg_reader.doc_count_all()
            live = np.ones(n, dtype=bool)
            if seg_reader.has_deletions():
                deleted = [d for d in seg_reader.segment().deleted_docs() if d < n]
                live[np.asarray(deleted, dtype=np.int64)] = False
            lives.append(live)
            days.append(arr.days)
            hl.append(arr.head_len)
            tl.append(arr.text_len)
            rdocs.append(arr.rep_doc + offset)
            to_global = np.array([lookup[n] for n in arr.names], dtype=np.int32)
            rids.append(to_global[arr.rep_local] if len(arr.names) else arr.rep_local)
        live = np.concatenate(lives) if lives else np.zeros(0, dtype=bool)
        head_len = np.concatenate(hl) if hl else np.zeros(0, dtype=np.float32)
        text_len = np.concatenate(tl) if tl else np.zeros(0, dtype=np.float32)
        rep_doc = np.concatenate(rdocs) if rdocs else EMPTY
        rep_id = np.concatenate(rids) if rids else np.zeros(0, dtype=np.int32)
        keep = live[rep_doc] if len(rep_doc) else np.zeros(0, dtype=bool)
        n_live = int(live.sum())
        return cls(
            live=live,
            days=np.concatenate(days) if days else np.zeros(0, dtype=np.int32),
            head_len=head_len, text_len=text_len,
            avg_head=float(head_len[live].mean()) if n_live else 1.0,
            avg_text=float(text_len[live].mean()) if n_live else 1.0,
            doc_count=n_live,
            rep_doc=rep_doc[keep], rep_id=rep_id[keep], names=names,
        )


