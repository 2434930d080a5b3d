"""Postings of a query's terms across one searcher's segments, live documents only.

The engine asks for a term (a word, a bigram or a character of a ``.usx`` field, or
a reporter key of Whoosh's) and gets one array of global docnums for the whole
index, read from each segment's files and shifted by the segment's docnum offset.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from . import schema as f
from . import whoosh_api
from .arrays import EMPTY, IndexArrays
from .segments import leaves_of, usx_of


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
        """No postings."""
        return cls(EMPTY, np.zeros(0), EMPTY)


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
        self.usx = [usx_of(r) for r, _ in self.leaves]
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
                leaf = whoosh_api.leaf_docs(seg_reader, f.REPORTER, btext)
                if leaf is not None:
                    docs.append(leaf + offset)
        if not docs:
            return EMPTY
        all_docs = np.concatenate(docs)
        return all_docs[self.live[all_docs]]
