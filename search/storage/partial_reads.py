"""The bytes of a term's lists that some documents need, and only those, read and checked.

A list kept to candidates (a conjunction's other lists, the filters' documents, a date-sorted
page's candidates, a phrase's later bigrams) is decoded only in the 128-document blocks whose
docnum range holds one (C ``postings_in``).  This module reads no more than those blocks'
bytes: from each segment's skip records it finds the parts of the list those blocks span
(their docnum deltas, counts, positions, and the list's first bytes, its document count),
the 4 KB checksum blocks of the ``.usx`` data that hold them, and reads each run of adjacent
checksum blocks in one ``pread``, checked against their CRC32C like every other read
(``SegmentPostings.read_blocks``).  The other bytes of the list are left zero and never
decoded: the C decoder reads each part of a block up to where its records say it ends, and
a block that does not end there is damage.  So every byte a search uses has been checked.

A segment holding no candidate is not read at all; a list without a skip table, or one whose
needed checksum blocks are more than half of its own, is read whole (one ``pread`` rather
than many), and kept for the rest of the query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .usx.postings import SKIP_RECORD

# A varint of a list's document count is at most this many bytes (df < 2**63).
_DF_BYTES = 10
# Runs of needed checksum blocks at most this many blocks apart are read as one: a block
# read and checked costs less than another system call.
_GAP_BLOCKS = 1


def needed_runs(records: list[np.ndarray], offsets: np.ndarray, lengths: np.ndarray,
                list_starts: np.ndarray, block: int, cand: np.ndarray, grams: bool,
                positions: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Which checksum blocks of each segment's list the blocks holding a document of
    ``cand`` (global docnums, ascending) are decoded from, for all segments at once.

    ``records``: each segment's skip records (uint32, :data:`SKIP_RECORD` a block), its
    list ``lengths`` bytes from byte ``list_starts`` of the field's data, its docnums
    shifted by ``offsets``; ``grams``: a gram field's list (positions follow its counts);
    ``positions``: the positions are decoded too.  The parts a block is decoded from are
    its docnum deltas, its counts and (``positions``) its positions, each up to where the
    next block's start (the last block's: the list's next part or its end), and the list's
    first bytes (its document count).  Returns ``(owner, first, last, needed)``: the runs of
    checksum blocks (``block`` bytes each, numbered in the field's data; runs at most
    :data:`_GAP_BLOCKS` apart joined), the segment each belongs to, and each segment's
    count of blocks in its runs.  Ranges a damaged table makes empty or reversed are left
    out: the decoder then refuses the block, as it would from the whole list."""
    n_seg = len(records)
    counts = np.fromiter((len(r) // SKIP_RECORD for r in records), np.int64, n_seg)
    recs = np.concatenate(records).astype(np.int64).reshape(-1, SKIP_RECORD)
    seg = np.repeat(np.arange(n_seg), counts)
    firsts = np.cumsum(counts) - counts
    hi = recs[:, 0] + offsets[seg]
    lo = np.empty_like(hi)
    lo[1:] = hi[:-1] + 1
    lo[firsts] = offsets
    need = np.searchsorted(cand, hi, "right") > np.searchsorted(cand, lo, "left")
    is_last = np.zeros(len(recs), dtype=bool)
    is_last[firsts + counts - 1] = True
    nxt = np.minimum(np.arange(len(recs)) + 1, len(recs) - 1)
    length = lengths[seg]
    d_end = np.where(is_last, recs[firsts[seg], 2], recs[nxt, 1])
    c_end = np.where(is_last, recs[firsts[seg], 3] if grams else length, recs[nxt, 2])
    parts = [(recs[:, 1], d_end), (recs[:, 2], c_end)]
    if grams and positions:
        parts.append((recs[:, 3], np.where(is_last, length, recs[nxt, 3])))
    owner = np.concatenate([np.arange(n_seg)] + [seg[need]] * len(parts))
    starts = np.concatenate([np.zeros(n_seg, np.int64)] + [p[0][need] for p in parts])
    stops = np.concatenate([np.minimum(lengths, _DF_BYTES)] + [p[1][need] for p in parts])
    stops = np.minimum(stops, lengths[owner])
    ok = starts < stops
    owner, starts, stops = owner[ok], starts[ok], stops[ok]
    first = (starts + list_starts[owner]) // block
    last = (stops - 1 + list_starts[owner]) // block
    lens = last - first + 1
    at = np.repeat(first - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()))
    wanted = np.unique(np.repeat(owner, lens) << 40 | at)
    seg_of, blk = wanted >> 40, wanted & ((1 << 40) - 1)
    needed = np.bincount(seg_of, minlength=n_seg)
    breaks = np.flatnonzero((np.diff(blk) > _GAP_BLOCKS + 1) | (np.diff(seg_of) != 0))
    heads = np.concatenate([[0], breaks + 1])
    tails = np.concatenate([breaks, [len(wanted) - 1]])
    return seg_of[heads], blk[heads], blk[tails], needed


@dataclass(frozen=True)
class Spans:
    """A term's segments as :func:`read_kept` weighs them: each one's docnum offset and
    end (int64 arrays, for one search of the candidates), and, as lists, its documents,
    its list's first byte and length, and how many checksum blocks the list spans."""

    offsets: np.ndarray
    ends: np.ndarray
    sizes: list[int]
    starts: list[int]
    lengths: list[int]
    own: list[int]
    block: int

    @classmethod
    def of(cls, found: list[tuple], lists: list[tuple[int, int]]) -> Spans:
        """From a place's ``found`` (file, term index, offset) and list extents."""
        offsets = [o for _, _, o in found]
        sizes = [sp.doc_count for sp, _, _ in found]
        block = found[0][0].block if found else 1
        own = [(b - 1) // block - a // block + 1 if sp.block == block and b > a else 0
               for (sp, _, _), (a, b) in zip(found, lists, strict=True)]
        return cls(np.array(offsets, dtype=np.int64),
                   np.array([o + n for o, n in zip(offsets, sizes, strict=True)],
                            dtype=np.int64),
                   sizes, [a for a, _ in lists], [b - a for a, b in lists], own, block)


def read_kept(enc, cand: np.ndarray, positions: bool, grams: bool  # noqa: ANN001
              ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], list[int], list[int]] | None:
    """What ``across.decode_in_data`` needs to decode ``enc`` (a
    :class:`~search.storage.postings_view.Encoded`) for the documents of ``cand``, reading
    only the bytes their blocks need: ``(data, starts, skips, offsets, sizes)`` over the
    segments holding a candidate, or None when none does.  Whole lists read here are kept
    in ``enc`` for the rest of the query."""
    sp_ = enc.spans
    lo = cand.searchsorted(sp_.offsets).tolist()
    hi = cand.searchsorted(sp_.ends).tolist()
    keep = [k for k in range(len(lo)) if hi[k] > lo[k]]
    if not keep:
        return None
    # The checksum blocks the candidates may touch, guessed from their count and spread
    # in each segment (a skip block covers about doc_count / records docnums; each touches
    # a block per part) before any table is weighed: most lists a search keeps to its
    # candidates need nearly all their blocks, and are read whole at once.
    parts = 3 if grams and positions else 2
    part = []
    for k in keep:
        own, records = sp_.own[k], len(enc.skips[k]) // SKIP_RECORD
        if own > 2 and records and enc.read(k) is None:
            spread = int(cand[hi[k] - 1] - cand[lo[k]])
            touched = min(hi[k] - lo[k], spread * records // max(sp_.sizes[k], 1) + 1)
            if touched * parts * 2 <= own:
                part.append(k)
    runs_of: dict[int, list[tuple[int, int]]] = {}
    if part:
        owner, firsts, lasts, needed = needed_runs(
            [enc.skips[k] for k in part], sp_.offsets[part],
            np.array([sp_.lengths[k] for k in part], dtype=np.int64),
            np.array([sp_.starts[k] for k in part], dtype=np.int64),
            sp_.block, cand, grams, positions)
        needed = needed.tolist()
        for o, a, b in zip(owner.tolist(), firsts.tolist(), lasts.tolist(), strict=True):
            if needed[o] * 2 <= sp_.own[part[o]]:
                runs_of.setdefault(part[o], []).append((a, b))
    offsets = [int(sp_.offsets[k]) for k in keep]
    sizes = [sp_.sizes[k] for k in keep]
    skips = [enc.skips[k] for k in keep]
    starts = np.zeros(len(keep) + 1, dtype=np.int64)
    if not runs_of:
        raws = [enc.raw(k) for k in keep]
        np.cumsum([len(r) for r in raws], out=starts[1:])
        return (raws[0] if len(raws) == 1 else np.concatenate(raws), starts, skips, offsets,
                sizes)
    np.cumsum([sp_.lengths[k] for k in keep], out=starts[1:])
    data = np.zeros(int(starts[-1]), dtype=np.uint8)
    field = enc.fieldname
    b = sp_.block
    for j, k in enumerate(keep):
        at = int(starts[j])
        runs = runs_of.get(k)
        if runs is None:
            data[at : int(starts[j + 1])] = enc.raw(k)
            continue
        sp = enc.found[k][0]
        start, stop = enc.lists[k]
        for first, last in runs:
            raw = np.frombuffer(sp.read_blocks(field, first, last), dtype=np.uint8)
            a, z = max(first * b, start), min(first * b + len(raw), stop)
            data[at + a - start : at + z - start] = raw[a - first * b : z - first * b]
    return data, starts, skips, offsets, sizes
