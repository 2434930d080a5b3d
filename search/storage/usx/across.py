"""One term's postings in several segments' ``.usx`` files, decoded in one pass.

The byte layout is :mod:`search.storage.usx.postings`' (see ``README.md`` here); a query reads a
term from every segment, and decoding each segment's few bytes apart would cost a round
of NumPy calls a segment (:mod:`search.storage.postings_view` gathers the bytes and calls
:func:`decode_across`).
"""

from __future__ import annotations

import numpy as np

from ...native import lib as _native  # the C decoder
from .varint import DamagedPostings


def cumsum_by(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Running sums of ``values`` restarting at each group of ``lengths`` (all > 0)."""
    running = np.cumsum(values)
    firsts = np.cumsum(lengths) - lengths
    return running - np.repeat(running[firsts] - values[firsts], lengths)


MAX_COUNT = 2**31 - 1  # the largest count and position a list holds (the encoder's int32)
MAX_POSITION = 2**31 - 1


LAYOUTS = {"chars": 0, "words": 1, "grams": 2, "gram counts": 3}  # as search/_native.c numbers them


def decode_across(layout: str, raws: list[np.ndarray], offsets: list[int],
                  sizes: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """One term's postings (docnums shifted by each segment's offset, weights, positions
    or None) from its encoded bytes in several segments (``sizes``: each one's number of
    documents), decoded at once in C (``search/_native.c``, ``postings``), validated:
    1 <= df, docnums strictly ascending and below the segment's size, counts above 1
    where flagged and at most :data:`MAX_COUNT`, positions strictly ascending and at most
    :data:`MAX_POSITION`, every value of the segment used; anything else raises
    :class:`DamagedPostings`.  ``tests/oracles.py`` holds the NumPy reference it is
    tested against.

    Callers pass at most ~32 KB at a time (``postings_view.BATCH_BYTES``): the outputs
    are then small enough to reuse freed memory; one call over a whole 1,000,000-article
    list was slower (fresh pages for every output) than the same bytes in pieces."""
    data = np.ascontiguousarray(joined(raws), dtype=np.uint8)
    starts = np.zeros(len(raws) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in raws], out=starts[1:])
    # Each output has at most one item per input byte; pages never written stay unmapped.
    n = max(len(data), 1)
    docs, weights = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.float64)
    positions = np.empty(n, dtype=np.int64)
    try:
        nd, npos = _native.postings(data, starts, np.asarray(offsets, dtype=np.int64),
                                    np.asarray(sizes, dtype=np.int64), LAYOUTS[layout],
                                    docs, weights, positions)
    except ValueError as exc:
        raise DamagedPostings(str(exc)) from None
    return docs[:nd], weights[:nd], positions[:npos] if layout == "grams" else None


def joined(parts) -> np.ndarray:
    """Arrays one after another (no copy for one)."""
    parts = list(parts)
    return np.concatenate(parts) if len(parts) > 1 else parts[0]


def decode_in(layout: str, raws: list[np.ndarray], skips: list[np.ndarray],
              offsets: list[int], sizes: list[int], block_docs: int, cand: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """:func:`decode_across` kept to the documents of ``cand`` (global docnums,
    ascending): a list with a skip table (``skips``, each segment's records; empty: none)
    is decoded only in the blocks of ``block_docs`` documents whose docnum range holds a
    candidate, and only the candidates it holds are returned, with their weights and
    positions.  Validated as :func:`decode_across` validates, in the blocks read, and
    each block must end on the docnum its record names.  ``tests/oracles.py`` holds the
    NumPy reference (a whole decode, then the candidates kept)."""
    data = np.ascontiguousarray(joined(raws), dtype=np.uint8)
    starts = np.zeros(len(raws) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in raws], out=starts[1:])
    return decode_in_data(layout, data, starts, skips, offsets, sizes, block_docs, cand)


def decode_in_data(layout: str, data: np.ndarray, starts: np.ndarray, skips: list[np.ndarray],
                   offsets: list[int], sizes: list[int], block_docs: int, cand: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """:func:`decode_in` of lists already laid one after another in ``data`` (segment
    s's from ``starts[s]`` to ``starts[s + 1]``).  A list's bytes outside the blocks
    holding a candidate may be anything (a reader that read only those blocks leaves
    zeros): each block is decoded from the parts its records name and no other byte."""
    skip_starts = np.zeros(len(skips) + 1, dtype=np.int64)
    np.cumsum([len(s) // 4 for s in skips], out=skip_starts[1:])
    records = np.ascontiguousarray(joined(skips) if skips else np.zeros(0), dtype=np.uint32)
    starts = np.ascontiguousarray(starts, dtype=np.int64)
    cand = np.ascontiguousarray(cand, dtype=np.int64)
    n = max(len(data), 1)
    docs, weights = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.float64)
    positions = np.empty(n, dtype=np.int64)
    try:
        nd, npos = _native.postings_in(data, starts, np.asarray(offsets, dtype=np.int64),
                                       np.asarray(sizes, dtype=np.int64), records,
                                       skip_starts, LAYOUTS[layout], block_docs, cand,
                                       docs, weights, positions)
    except ValueError as exc:
        raise DamagedPostings(str(exc)) from None
    return docs[:nd], weights[:nd], positions[:npos] if layout == "grams" else None
