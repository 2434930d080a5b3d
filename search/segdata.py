"""Whole posting lists and per-document columns as NumPy arrays.

Whoosh's matchers hand out one posting at a time through several layers of
Python calls, which costs tens of microseconds per matching document.  For
totals and facets the engine needs *every* matching document, so title and
body postings come from each segment's ``.usx`` file (:mod:`search.postings`)
and reporters from Whoosh's posting blocks, read directly into arrays for set
algebra, BM25F and counting in NumPy.  Segments are immutable, so their
arrays are computed once and cached by segment; only deletions change, and
they are re-read on each new searcher.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound

from . import postings as usx
from . import schema as f
from .index import IndexUnusable

EMPTY = np.zeros(0, dtype=np.int64)
_seg_lock = threading.Lock()


@dataclass
class Postings:
    """One term's postings across the index: global docnums, weights (term
    frequencies; occurrences for bigrams) and, for bigrams, every position,
    grouped by document."""

    docs: np.ndarray
    weights: np.ndarray
    positions: np.ndarray | None = None

    @classmethod
    def empty(cls) -> Postings:
        return cls(EMPTY, np.zeros(0), EMPTY)


_usx_cache: dict[tuple[str, str], usx.SegmentPostings] = {}


def text_index(seg_reader) -> usx.SegmentPostings:
    """The segment's ``.usx`` file, opened once per process."""
    folder = seg_reader.storage().folder
    key = (folder, seg_reader.segment().segment_id())
    sp = _usx_cache.get(key)
    if sp is None:
        try:
            sp = usx.SegmentPostings(usx.segment_path(*key))
        except usx.SegmentFileError as exc:
            raise IndexUnusable(
                f"The index in {folder} is damaged ({exc}). Rebuild it: unionsearch index "
                f"--rebuild SOURCES... --index-dir {folder}") from exc
        if sp.doc_count != seg_reader.doc_count_all():
            raise IndexUnusable(
                f"The index in {folder} is damaged ({sp.path} has {sp.doc_count} articles, "
                f"its segment {seg_reader.doc_count_all()}). Rebuild it: unionsearch index "
                f"--rebuild SOURCES... --index-dir {folder}")
        with _seg_lock:
            _usx_cache[key] = sp
    return sp


def forget_segments(folder: str, live: set[str]) -> None:
    """Drop cached files of a folder's segments merged away (maps close once unused)."""
    with _seg_lock:
        for key in [k for k in _usx_cache if k[0] == folder and k[1] not in live]:
            del _usx_cache[key]


def _leaf_docs(seg_reader, fieldname: str, btext: bytes) -> np.ndarray | None:
    """Docnums of one Whoosh term in one segment, deletions included."""
    terms = seg_reader._terms
    try:
        info = terms.term_info(fieldname, btext)
    except TermNotFound:
        return None
    if info.is_inlined():
        return np.asarray(info.inlined_postings()[0], dtype=np.int64)
    m = terms.matcher(fieldname, btext, seg_reader.schema[fieldname].format)
    assert isinstance(m, W3LeafMatcher)
    parts = []
    while True:
        m._read_data()
        parts.append(np.cumsum(np.asarray(m._data[0], dtype=np.int64)))
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    return np.concatenate(parts)


def _raw_column(seg_reader, colname: str, typecode: str) -> np.ndarray | None:
    """A fixed-width Whoosh column (big-endian ``typecode`` per document) in one read."""
    perdoc = seg_reader._perdoc
    if not perdoc.has_column(colname):
        return None
    n = seg_reader.doc_count_all()
    dtype = np.dtype(">" + typecode)
    colfile, offset, length = perdoc._get_column_file(colname)
    raw = colfile.get(offset, min(length, n * dtype.itemsize))
    values = np.frombuffer(raw, dtype=dtype)
    if len(values) < n:  # documents after the last value written take the default 0
        values = np.concatenate([values, np.zeros(n - len(values), dtype=dtype)])
    return values


def _days(seg_reader) -> np.ndarray:
    column = seg_reader.schema[f.DAY].column_type
    values = _raw_column(seg_reader, f.DAY, column._typecode)
    if values is None:
        return np.zeros(seg_reader.doc_count_all(), dtype=np.int32)
    return values.astype(np.int32)


def _lengths(seg_reader, fieldname: str) -> np.ndarray:
    """Words per document in a word field, as floats."""
    return text_index(seg_reader).lengths(fieldname).astype(np.float32)


@dataclass
class SegmentArrays:
    """Per-document arrays of one segment (immutable, cached by segment id)."""

    days: np.ndarray
    head_len: np.ndarray
    text_len: np.ndarray
    rep_doc: np.ndarray  # (doc, reporter) pairs: local docnum…
    rep_local: np.ndarray  # …and the reporter, an index into names
    names: list[str]


_seg_cache: dict[str, SegmentArrays] = {}


def _segment_arrays(seg_reader) -> SegmentArrays:
    segid = seg_reader.segment().segment_id()
    arrays = _seg_cache.get(segid)
    if arrays is not None:
        return arrays
    rep_doc, rep_local, names = [], [], []
    if f.REPORTER in seg_reader.indexed_field_names():
        for btext in seg_reader.lexicon(f.REPORTER):
            leaf = _leaf_docs(seg_reader, f.REPORTER, btext)
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
    with _seg_lock:
        if len(_seg_cache) > 512:
            _seg_cache.clear()
        _seg_cache[segid] = arrays
    return arrays


def leaves_of(searcher) -> list:
    """(segment reader, docnum offset) of a searcher's non-empty segments."""
    return [(r, off) for r, off in searcher.reader().leaf_readers()
            if r.segment() is not None and r.doc_count_all()]


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

    @classmethod
    def build(cls, searcher) -> IndexArrays:
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


class PostingsView:
    """Reads postings through one searcher, filtered by live documents.

    Shared by the threads searching one generation.  Each segment's ``.usx``
    file is taken when the view is made: a segment merged away while a search
    still uses this view is then read from the file already open, not reopened
    (its name is gone).  ``.usx`` reads are ``pread``s, safe side by side;
    Whoosh's reporter postings seek a shared handle, so they take ``io_lock``.
    """

    def __init__(self, searcher, arrays: IndexArrays, io_lock=None):
        self.leaves = leaves_of(searcher)
        self.usx = [text_index(r) for r, _ in self.leaves]
        self.live = arrays.live
        self.io_lock = io_lock if io_lock is not None else threading.Lock()

    def postings(self, fieldname: str, text: str) -> Postings:
        """A title/body term's live postings across all segments, docnums ascending."""
        docs, weights, positions = [], [], []
        for sp, (_, offset) in zip(self.usx, self.leaves, strict=True):
            tp = sp.term(fieldname, text)
            if tp is None:
                continue
            docs.append(tp.docs + offset)
            weights.append(tp.freqs)
            if tp.positions is not None:
                positions.append(tp.positions)
        if not docs:
            return Postings.empty()
        all_docs = np.concatenate(docs)
        all_w = np.concatenate(weights)
        all_p = np.concatenate(positions) if positions else None
        keep = self.live[all_docs]
        if not keep.all():
            if all_p is not None:
                all_p = all_p[np.repeat(keep, all_w.astype(np.int64))]
            all_docs, all_w = all_docs[keep], all_w[keep]
        return Postings(all_docs, all_w, all_p)

    def reporter_docs(self, key: str) -> np.ndarray:
        """Live documents with this reporter key (Whoosh's keyword field)."""
        btext = key.encode("utf-8")
        docs = []
        with self.io_lock:
            for seg_reader, offset in self.leaves:
                leaf = _leaf_docs(seg_reader, f.REPORTER, btext)
                if leaf is not None:
                    docs.append(leaf + offset)
        if not docs:
            return EMPTY
        all_docs = np.concatenate(docs)
        return all_docs[self.live[all_docs]]
