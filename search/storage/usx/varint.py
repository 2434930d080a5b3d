"""Variable-length integers, encoded and decoded a whole array at a time.

The same format as Lucene's VInt and Whoosh's ``varint``: seven bits a byte,
low bits first, the high bit set on every byte but the last.  Doing it in
NumPy rather than a Python loop per number is what lets a segment's postings
be written and read without Python work per posting.
"""

from __future__ import annotations

import numpy as np

from ...native import lib as _native  # the C decoder

MAX_BYTES = 9  # the longest varint read: 63 bits, every value fits an int64


class DamagedPostings(ValueError):
    """Encoded postings that are not a list of their layout (a cut, a flipped byte, a
    count or docnum out of range).  The message starts "damaged postings"; callers that
    know the file add its name."""


def _unsigned(values: np.ndarray) -> np.ndarray:
    v = np.asarray(values)
    return v if v.dtype in (np.uint32, np.uint64) else v.astype(np.uint64)


def byte_lengths(values: np.ndarray) -> np.ndarray:
    """How many bytes each value takes (1 for 0–127, 2 up to 16,383, …)."""
    v = _unsigned(values)
    n = np.ones(len(v), dtype=np.int8)
    for k in range(1, (v.dtype.itemsize * 8 + 6) // 7):
        more = v >= v.dtype.type(1 << (7 * k))
        if not more.any():
            break
        n += more
    return n


def encode(values: np.ndarray, at: np.ndarray | None = None,
           chunk: int = 1 << 20) -> tuple[np.ndarray, np.ndarray]:
    """``(bytes, ends)``: the encoded bytes (uint8) and where the bytes of the values
    at indexes ``at`` (ascending; default all) end.  Works a chunk at a time, so the
    temporaries stay small next to the input."""
    v = _unsigned(values)
    if at is None:
        at = np.arange(len(v))
    parts, ends_out, base = [], [], 0
    for lo in range(0, len(v), chunk):
        part = v[lo : lo + chunk]
        lengths = byte_lengths(part)
        ends = np.cumsum(lengths, dtype=np.int64)
        out = np.empty(int(ends[-1]), dtype=np.uint8)
        starts = ends - lengths
        for k in range(int(lengths.max())):
            idx = np.flatnonzero(lengths > k)
            chunk_bits = ((part[idx] >> part.dtype.type(7 * k)) & part.dtype.type(0x7F))
            out[starts[idx] + k] = (chunk_bits.astype(np.uint8)
                                    | ((lengths[idx] > k + 1).astype(np.uint8) << 7))
        i, j = np.searchsorted(at, [lo, lo + len(part)])
        ends_out.append(ends[at[i:j] - lo] + base)
        base += int(ends[-1])
        parts.append(out)
    if not parts:
        return np.zeros(0, dtype=np.uint8), np.zeros(0, dtype=np.int64)
    return np.concatenate(parts), np.concatenate(ends_out)


def decode(data: np.ndarray) -> np.ndarray:
    """All values in ``data`` (uint8) as int64, in C.  Raises :class:`DamagedPostings`
    when the bytes end inside a value or one is longer than :data:`MAX_BYTES`."""
    b = np.ascontiguousarray(data, dtype=np.uint8)
    out = np.empty(len(b), dtype=np.int64)
    try:
        return out[: _native.varints(b, out)]
    except ValueError as exc:
        raise DamagedPostings(str(exc)) from None
