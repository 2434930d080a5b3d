"""Variable-length integers, encoded and decoded a whole array at a time.

The same format as Lucene's VInt and Whoosh's ``varint``: seven bits a byte,
low bits first, the high bit set on every byte but the last.  Doing it in
NumPy rather than a Python loop per number is what lets a segment's postings
be written and read without Python work per posting.
"""

from __future__ import annotations

import numpy as np

MAX_BYTES = 10  # enough for any uint64


def byte_lengths(values: np.ndarray) -> np.ndarray:
    """How many bytes each value takes (1 for 0–127, 2 up to 16,383, …)."""
    v = np.asarray(values, dtype=np.uint64)
    n = np.ones(len(v), dtype=np.int64)
    for k in range(1, MAX_BYTES):
        more = v >= np.uint64(1 << (7 * k))
        if not more.any():
            break
        n += more
    return n


def encode(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(bytes, ends)``: the encoded bytes (uint8) and where each value's bytes end."""
    v = np.asarray(values, dtype=np.uint64)
    lengths = byte_lengths(v)
    ends = np.cumsum(lengths)
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    starts = ends - lengths
    k = 0
    while True:
        has = lengths > k
        if not has.any():
            break
        idx = np.flatnonzero(has)
        chunk = (v[idx] >> np.uint64(7 * k)) & np.uint64(0x7F)
        cont = (lengths[idx] > k + 1).astype(np.uint64) << np.uint64(7)
        out[starts[idx] + k] = (chunk | cont).astype(np.uint8)
        k += 1
    return out, ends


def decode(data: np.ndarray) -> np.ndarray:
    """All values in ``data`` (uint8) as int64."""
    b = np.asarray(data, dtype=np.uint8)
    last = b < 0x80
    if last.all():
        return b.astype(np.int64)
    ends = np.flatnonzero(last)
    group = np.cumsum(last) - last  # value index of each byte
    starts = np.empty(len(ends), dtype=np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    shift = np.arange(len(b), dtype=np.int64) - starts[group]
    parts = (b & 0x7F).astype(np.int64) << (7 * shift)
    # Sums of disjoint bit ranges: exact in float64 below 2**53, far above any docnum or position.
    return np.bincount(group, weights=parts, minlength=len(ends)).astype(np.int64)


def decode_prefix(data: np.ndarray, count: int) -> tuple[np.ndarray, int]:
    """The first ``count`` values and the number of bytes they take."""
    b = np.asarray(data, dtype=np.uint8)
    if count <= 0:
        return np.zeros(0, dtype=np.int64), 0
    ends = np.flatnonzero(b < 0x80)
    used = int(ends[count - 1]) + 1
    return decode(b[:used]), used
