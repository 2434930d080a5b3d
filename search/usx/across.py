"""One term's postings in several segments' ``.usx`` files, decoded in one pass.

The byte layout is :mod:`search.usx.postings`' (see ``README.md`` here); a query reads a
term from every segment, and decoding each segment's few bytes apart cost ~100-150 µs
of NumPy calls a segment (:mod:`search.postings_view` gathers the bytes and calls
:func:`decode_across`).
"""

from __future__ import annotations

import numpy as np

from ..native import lib as _native  # the C decoder, or None: NumPy below
from . import varint


def cumsum_by(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Running sums of ``values`` restarting at each group of ``lengths`` (all > 0)."""
    running = np.cumsum(values)
    firsts = np.cumsum(lengths) - lengths
    return running - np.repeat(running[firsts] - values[firsts], lengths)


def _without_positions(data: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each segment's bytes (``data`` from ``starts``) cut after its counts: the
    positions are never decoded.  Returns the shorter bytes and their starts.

    Where the counts end depends on how many documents have a count above 1 (the
    docnum deltas' low bits), so ``df`` and the deltas are decoded first."""
    last = np.flatnonzero(data < 0x80)  # where each value ends
    first = np.searchsorted(last, starts)  # each segment's first value (df)
    df = varint.decode(joined(data[a : b + 1] for a, b in zip(
        starts.tolist(), last[first].tolist(), strict=True)))
    head = varint.decode(joined(data[a : b + 1] for a, b in zip(
        starts.tolist(), last[first + df].tolist(), strict=True)))
    head_start = np.cumsum(1 + df) - (1 + df)
    low_bits = head & 1
    low_bits[head_start] = 0  # df itself is no delta
    n_many = np.add.reduceat(low_bits, head_start)
    ends = last[first + df + n_many] + 1
    kept = ends - starts
    cut = joined(data[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True))
    return cut, np.cumsum(kept) - kept


LAYOUTS = {"chars": 0, "words": 1, "grams": 2, "gram counts": 3}  # as search/_native.c numbers them


FAST = _native is not None  # the C decoder is built (else NumPy: same results)


def decode_across(layout: str, raws: list[np.ndarray], offsets: list[int]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """One term's postings (docnums shifted by each segment's offset, weights, positions
    or None) from its encoded bytes in several segments, decoded at once: in C when
    built (one pass, ~20x faster), else :func:`decode_across_numpy`.

    Callers pass at most ~32 KB at a time (``postings_view.BATCH_BYTES``): the outputs
    are then small enough to reuse freed memory; one call over a whole 1,000,000-article
    list was slower (fresh pages for every output) than the same bytes in pieces."""
    if not FAST:
        return decode_across_numpy(layout, raws, offsets)
    data = np.ascontiguousarray(joined(raws), dtype=np.uint8)
    starts = np.zeros(len(raws) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in raws], out=starts[1:])
    # Each output has at most one item per input byte; pages never written stay unmapped.
    n = max(len(data), 1)
    docs, weights = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.float64)
    positions = np.empty(n, dtype=np.int64)
    nd, npos = _native.postings(data, starts, np.asarray(offsets, dtype=np.int64),
                                       LAYOUTS[layout], docs, weights, positions)
    return docs[:nd], weights[:nd], positions[:npos] if layout == "grams" else None


def decode_across_numpy(layout: str, raws: list[np.ndarray], offsets: list[int]
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """One term's postings (docnums shifted by each segment's offset, weights, positions
    or None) from its encoded bytes in several segments, decoded at once.

    The layout is :mod:`search.usx.postings`' (``SegmentPostings.term`` decodes one
    segment): ``df``, ``df`` docnum deltas, for words and bigrams each shifted left
    by one with the low bit set where the count is above 1, then those counts, then
    for bigrams every position delta; for characters nothing more (``layout``:
    ``chars``, ``words``, ``grams``, or ``gram counts`` for a bigram without its
    positions).  Each segment's bytes end on a varint's last byte, so the
    concatenated bytes decode in one pass; the parts are cut out by slicing (no
    NumPy work per segment) and the running sums done once over all segments,
    restarting per segment (docnums) or per document (positions).
    ``tests/test_postings_view.py`` checks it against ``SegmentPostings.term``, segment by
    segment.
    """
    data = joined(raws)
    starts = np.cumsum([0] + [len(r) for r in raws[:-1]])
    if layout == "gram counts":
        data, starts = _without_positions(data, starts)
    values = varint.decode(data)
    per_seg = np.add.reduceat(data < 0x80, starts, dtype=np.int64)  # values of each segment
    first = np.cumsum(per_seg) - per_seg
    df = values[first]
    flagged = joined(values[a + 1 : a + 1 + d] for a, d in zip(
        first.tolist(), df.tolist(), strict=True))
    shift = np.repeat(np.asarray(offsets, dtype=np.int64), df)
    if layout == "chars":
        return cumsum_by(flagged, df) + shift, np.ones(len(flagged)), None
    docs = cumsum_by(flagged >> 1, df) + shift
    many = (flagged & 1).astype(bool)
    n_many = np.add.reduceat(many, np.cumsum(df) - df, dtype=np.int64)
    cuts = list(zip(first.tolist(), df.tolist(), n_many.tolist(), per_seg.tolist(),
                    strict=True))
    counts = np.ones(len(flagged), dtype=np.int64)
    if many.any():
        counts[many] = joined(values[a + 1 + d : a + 1 + d + m] for a, d, m, _ in cuts)
    if layout != "grams":
        return docs, counts.astype(np.float64), None
    deltas = joined(values[a + 1 + d + m : a + n] for a, d, m, n in cuts)
    return docs, counts.astype(np.float64), cumsum_by(deltas, counts)


def joined(parts) -> np.ndarray:
    """Arrays one after another (no copy for one)."""
    parts = list(parts)
    return np.concatenate(parts) if len(parts) > 1 else parts[0]
