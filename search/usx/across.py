"""One term's postings in several segments' ``.usx`` files, decoded in one pass.

The byte layout is :mod:`search.usx.postings`' (see ``README.md`` here); a query reads a
term from every segment, and decoding each segment's few bytes apart would cost a round
of NumPy calls a segment (:mod:`search.postings_view` gathers the bytes and calls
:func:`decode_across`).
"""

from __future__ import annotations

import numpy as np

from ..native import lib as _native  # the C decoder, or None: NumPy below
from . import varint
from .varint import DamagedPostings


def cumsum_by(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Running sums of ``values`` restarting at each group of ``lengths`` (all > 0)."""
    running = np.cumsum(values)
    firsts = np.cumsum(lengths) - lengths
    return running - np.repeat(running[firsts] - values[firsts], lengths)


MAX_COUNT = 2**31 - 1  # the largest count and position a list holds (the encoder's int32)
MAX_POSITION = 2**31 - 1


def _damaged(what: str) -> DamagedPostings:
    return DamagedPostings(f"damaged postings: {what}")


def _segment_values(data: np.ndarray, starts: np.ndarray, total: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Where each segment's values end (``last``: the byte each value ends on) and how
    many whole values each segment's bytes hold; raises when a segment has none."""
    last = np.flatnonzero(data < 0x80)
    bounds = np.searchsorted(last, np.append(starts, total))
    n_values = np.diff(bounds)
    if not len(n_values) or n_values.min() < 1:
        raise _damaged("a segment's list is empty")
    return last, n_values


def _without_positions(data: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each segment's bytes (``data`` from ``starts``) cut after its counts: the
    positions are never decoded.  Returns the shorter bytes and their starts.

    Where the counts end depends on how many documents have a count above 1 (the
    docnum deltas' low bits), so ``df`` and the deltas are decoded first.  Checks what
    the C decoder checks before the positions: raises :class:`DamagedPostings` where
    the df, the deltas or the counts do not fit the segment's bytes."""
    last, n_values = _segment_values(data, starts, len(data))
    first = np.searchsorted(last, starts)  # each segment's first value (df)
    df = varint.decode(joined(data[a : b + 1] for a, b in zip(
        starts.tolist(), last[first].tolist(), strict=True)))
    if df.min() < 1 or np.any(df > n_values - 1):
        raise _damaged("more documents than the list has bytes")
    head = varint.decode(joined(data[a : b + 1] for a, b in zip(
        starts.tolist(), last[first + df].tolist(), strict=True)))
    head_start = np.cumsum(1 + df) - (1 + df)
    low_bits = head & 1
    low_bits[head_start] = 0  # df itself is no delta
    n_many = np.add.reduceat(low_bits, head_start)
    if np.any(1 + df + n_many > n_values):
        raise _damaged("the counts run past the list")
    ends = last[first + df + n_many] + 1
    kept = ends - starts
    cut = joined(data[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True))
    return cut, np.cumsum(kept) - kept


LAYOUTS = {"chars": 0, "words": 1, "grams": 2, "gram counts": 3}  # as search/_native.c numbers them


FAST = _native is not None  # the C decoder is built (else NumPy: same results)


def decode_across(layout: str, raws: list[np.ndarray], offsets: list[int],
                  sizes: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """One term's postings (docnums shifted by each segment's offset, weights, positions
    or None) from its encoded bytes in several segments (``sizes``: each one's number of
    documents), decoded at once: in C when built (one pass, ~20x faster), else
    :func:`decode_across_numpy`.  Both raise :class:`DamagedPostings` for the same
    inputs, and decode the others alike.

    Callers pass at most ~32 KB at a time (``postings_view.BATCH_BYTES``): the outputs
    are then small enough to reuse freed memory; one call over a whole 1,000,000-article
    list was slower (fresh pages for every output) than the same bytes in pieces."""
    if not FAST:
        return decode_across_numpy(layout, raws, offsets, sizes)
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


def decode_across_numpy(layout: str, raws: list[np.ndarray], offsets: list[int],
                        sizes: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
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

    Validated as the C decoder validates (``search/_native.c``, ``postings``): 1 <= df,
    docnums strictly ascending and below the segment's size (``sizes``), counts above 1
    where flagged and at most :data:`MAX_COUNT`, positions strictly ascending and at
    most :data:`MAX_POSITION`, every value of the segment used; anything else raises
    :class:`DamagedPostings`.  Each check comes before the arithmetic it guards, so no
    sum can overflow.
    """
    lens = [len(r) for r in raws]
    if not raws or min(lens) < 1:
        raise _damaged("a segment's list is empty")
    data = joined(raws)
    starts = np.cumsum([0] + lens[:-1])
    if layout == "gram counts":  # (its positions are not read, whatever they hold)
        data, starts = _without_positions(data, starts)
    elif np.any(data[np.cumsum(lens) - 1] >= 0x80):
        raise _damaged("the bytes end inside a list")
    values = varint.decode(data)
    per_seg = np.add.reduceat(data < 0x80, starts, dtype=np.int64)  # values of each segment
    first = np.cumsum(per_seg) - per_seg
    df = values[first]
    if df.min() < 1 or np.any(df > per_seg - 1):
        raise _damaged("more documents than the list has bytes")
    flagged = joined(values[a + 1 : a + 1 + d] for a, d in zip(
        first.tolist(), df.tolist(), strict=True))
    size = np.repeat(np.asarray(sizes, dtype=np.int64), df)
    deltas = flagged if layout == "chars" else flagged >> 1
    later = np.ones(len(deltas), dtype=bool)
    later[np.cumsum(df) - df] = False  # each segment's first delta may be 0
    if np.any(deltas >= size) or np.any(deltas[later] < 1):
        raise _damaged("docnums out of order or beyond the segment's documents")
    local = cumsum_by(deltas, df)  # each delta < size: no overflow
    if np.any(local >= size):
        raise _damaged("docnums beyond the segment's documents")
    docs = local + np.repeat(np.asarray(offsets, dtype=np.int64), df)
    if layout == "chars":
        if np.any(per_seg != 1 + df):
            raise _damaged("bytes left over after the list")
        return docs, np.ones(len(flagged)), None
    many = (flagged & 1).astype(bool)
    n_many = np.add.reduceat(many, np.cumsum(df) - df, dtype=np.int64)
    if np.any(1 + df + n_many > per_seg):
        raise _damaged("the counts run past the list")
    cuts = list(zip(first.tolist(), df.tolist(), n_many.tolist(), per_seg.tolist(),
                    strict=True))
    counts = np.ones(len(flagged), dtype=np.int64)
    if many.any():
        counts[many] = joined(values[a + 1 + d : a + 1 + d + m] for a, d, m, _ in cuts)
        if np.any(counts[many] < 2) or np.any(counts[many] > MAX_COUNT):
            raise _damaged("a count out of range")
    if layout != "grams":
        if layout == "words" and np.any(per_seg != 1 + df + n_many):
            raise _damaged("bytes left over after the list")
        return docs, counts.astype(np.float64), None
    occ = np.add.reduceat(counts, np.cumsum(df) - df, dtype=np.int64)
    if np.any(per_seg != 1 + df + n_many + occ):
        raise _damaged("the positions do not fill the list")
    deltas = joined(values[a + 1 + d + m : a + n] for a, d, m, n in cuts)
    later = np.ones(len(deltas), dtype=bool)
    later[np.cumsum(counts) - counts] = False  # each document's first position may be 0
    if np.any(deltas > MAX_POSITION) or np.any(deltas[later] < 1):
        raise _damaged("positions out of order or out of range")
    positions = cumsum_by(deltas, counts)
    if np.any(positions > MAX_POSITION):
        raise _damaged("positions out of range")
    return docs, counts.astype(np.float64), positions


def joined(parts) -> np.ndarray:
    """Arrays one after another (no copy for one)."""
    parts = list(parts)
    return np.concatenate(parts) if len(parts) > 1 else parts[0]
