"""Merging ``.usx`` files: the postings of several segments as one, without re-analysing.

Re-reading every live article's stored text and cutting it again with jieba would
cost as much as the import.  Instead each field's postings are decoded whole with
NumPy, the documents renumbered (deleted ones dropped, later segments shifted
after earlier ones) and encoded again by the same code that builds a segment,
so a merged file is byte for byte the file a fresh build of the same articles
would write (``tests/test_usx_merge.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ...schema import CHARS, GRAMS, SOURCES, WORDS, fields_of
from .postings import (
    EMPTY,
    FieldPostings,
    SegmentPostings,
    decode_field,
    encode_field,
    field_arrays,
    word_arrays,
)


def _decode(sp: SegmentPostings, field: str, newdoc: np.ndarray) -> FieldPostings:
    """Every posting of ``field`` in one segment, renumbered by ``newdoc`` (-1: deleted)."""
    p = decode_field(sp.array(f"{field}.data"), sp.array(f"{field}.ends"), field)
    keep = newdoc[p.doc] >= 0
    if not keep.all():
        if p.positions is not None:
            p.positions = p.positions[np.repeat(keep, p.count)]
        p.term, p.doc = p.term[keep], p.doc[keep]
        p.count = p.count[keep] if p.count is not None else None
    p.doc = newdoc[p.doc]
    return p


def renumbering(keep_masks: Sequence[np.ndarray]) -> list[np.ndarray]:
    """For each merged segment, its documents' numbers in the merged one (-1 where not
    kept): kept documents in segment order.  Also what carries deletions made during a
    merge over to its result (:func:`search.storage.segments.merge_beside`)."""
    out, base = [], 0
    for keep in keep_masks:
        newdoc = np.full(len(keep), -1, dtype=np.int64)
        live = np.flatnonzero(keep)
        newdoc[live] = base + np.arange(len(live))
        base += len(live)
        out.append(newdoc)
    return out


def _merge_words(parts, newdocs, field: str) -> dict[str, np.ndarray]:
    ids: dict[str, int] = {}
    keys: list[np.ndarray] = []
    occ_ids, docs = [], []
    for (sp, _), newdoc in zip(parts, newdocs, strict=True):
        before = len(ids)
        local = np.array([ids.setdefault(w, len(ids)) for w in sp.words(field)], dtype=np.int64)
        new = local >= before
        keys.append(sp.array(f"{field}.keys")[new])  # table order = first-seen order
        dec = _decode(sp, field, newdoc)
        occ_ids.append(np.repeat(local[dec.term] if len(local) else EMPTY, dec.count))
        docs.append(np.repeat(dec.doc, dec.count))
    occ = np.concatenate(occ_ids).astype(np.int32) if occ_ids else EMPTY
    doc = np.concatenate(docs).astype(np.int32) if docs else EMPTY
    hashes = np.concatenate(keys).astype(np.uint64) if keys else np.zeros(0, dtype=np.uint64)
    return word_arrays(list(ids), occ, doc, hashes)


def _merge_codes(parts, newdocs, field: str, unit: str) -> dict[str, np.ndarray]:
    keys, docs, positions = [], [], []
    for (sp, _), newdoc in zip(parts, newdocs, strict=True):
        table = sp.array(f"{field}.keys")
        dec = _decode(sp, field, newdoc)
        if unit == GRAMS:
            keys.append(np.repeat(table[dec.term], dec.count))
            docs.append(np.repeat(dec.doc, dec.count))
            positions.append(dec.positions)
        else:
            keys.append(table[dec.term])
            docs.append(dec.doc)
    key = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
    doc = np.concatenate(docs).astype(np.int32) if docs else EMPTY
    pos = np.concatenate(positions).astype(np.int32) if unit == GRAMS else None
    # Occurrences are in (segment, term, doc, position) order: within one key that is
    # (doc, position), which the stable sort inside encode_field keeps.
    out_keys, arrays = encode_field(key, doc, pos, False)
    arrays["keys"] = out_keys
    return arrays


class _TermRange:
    """One segment's terms ``[t0, t1)`` of one field, seen as a whole field of their own
    (keys, ends relative to the range's first byte, data, words): what the decoding
    above reads of a segment."""

    def __init__(self, sp: SegmentPostings, field: str, t0: int, t1: int):
        self.sp, self.field, self.t0, self.t1 = sp, field, t0, t1
        ends = sp.array(f"{field}.ends")
        self.start = int(ends[t0 - 1]) if t0 else 0
        self.stop = int(ends[t1 - 1]) if t1 > t0 else self.start

    def array(self, name: str) -> np.ndarray:
        part = name[len(self.field) + 1:]
        if part == "data":
            return self.sp.data(self.field, self.start, self.stop)
        whole = self.sp.array(name)
        if part == "ends":
            return whole[self.t0:self.t1].astype(np.int64) - self.start
        return whole[self.t0:self.t1]  # keys

    def words(self, field: str) -> list[str]:
        all_ends = self.sp.array(f"{field}.word_ends")
        first = int(all_ends[self.t0 - 1]) if self.t0 else 0
        ends = all_ends[self.t0:self.t1].astype(np.int64) - first
        stop = int(ends[-1]) if len(ends) else 0
        blob = self.sp.array(f"{field}.word_data")[first:first + stop].tobytes()
        starts = np.concatenate([[0], ends])[:-1].astype(np.int64)
        return [blob[a:b].decode("utf-8")
                for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]


def _key_ranges(parts: Sequence[tuple[SegmentPostings, np.ndarray]], field: str,
                budget: int) -> list[tuple[int, int | None]]:
    """Key ranges ``[lo, hi)`` (``hi`` None: no end) that split ``field``'s postings of
    all ``parts`` into slices of about ``budget`` encoded bytes each."""
    keys = np.concatenate([sp.array(f"{field}.keys") for sp, _ in parts])
    sizes = np.concatenate([sp.posting_sizes(field) for sp, _ in parts])
    total = int(sizes.sum())
    if total <= budget or not len(keys):
        return [(0, None)]
    order = np.argsort(keys, kind="stable")
    keys, running = keys[order], np.cumsum(sizes[order])
    cuts = np.searchsorted(running, np.arange(budget, total, budget), side="right")
    bounds = sorted({int(keys[c]) for c in cuts.tolist() if 0 < c < len(keys)})
    return list(zip([0, *bounds], [*bounds, None], strict=True))


def _sliced(parts: Sequence[tuple[SegmentPostings, np.ndarray]], field: str,
            lo: int, hi: int | None) -> list[tuple[_TermRange, np.ndarray]]:
    out = []
    for sp, keep in parts:
        keys = sp.array(f"{field}.keys")
        t0 = int(np.searchsorted(keys, np.uint64(lo), side="left"))
        t1 = len(keys) if hi is None else int(np.searchsorted(keys, np.uint64(hi), side="left"))
        out.append((_TermRange(sp, field, t0, t1), keep))
    return out


def _joined(pieces: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """One field's arrays from the arrays of its key ranges, in key order."""
    if len(pieces) == 1:
        return pieces[0]
    out: dict[str, np.ndarray] = {}
    for part, offsets in (("keys", None), ("data", None), ("ends", "data"),
                          ("word_data", None), ("word_ends", "word_data")):
        if part not in pieces[0]:
            continue
        arrs = [p[part] for p in pieces]
        if offsets is not None:
            base = np.cumsum([0] + [len(p[offsets]) for p in pieces[:-1]])
            arrs = [a.astype(np.int64) + b for a, b in zip(arrs, base.tolist(), strict=True)]
            whole = np.concatenate(arrs)
            out[part] = whole.astype(np.uint32 if int(base[-1]) + len(pieces[-1][offsets])
                                     < 2**32 else np.uint64)
        else:
            out[part] = np.concatenate(arrs)
    return out


def _merge_field(parts, newdocs, field: str, unit: str, budget: int) -> dict[str, np.ndarray]:
    """One field merged a key range at a time: memory follows ``budget``, not the merge."""
    pieces = []
    for lo, hi in _key_ranges(parts, field, budget):
        sliced = _sliced(parts, field, lo, hi)
        pieces.append(_merge_words(sliced, newdocs, field) if unit == WORDS
                      else _merge_codes(sliced, newdocs, field, unit))
    return _joined(pieces)


# Encoded bytes of postings merged at once.  Decoding takes ~40 bytes of memory per
# encoded byte, so a slice costs a few hundred MB whatever the size of the merge.
SLICE_BYTES = 8 << 20


def merge(parts: Sequence[tuple[SegmentPostings, np.ndarray]],
          budget: int = SLICE_BYTES) -> tuple[int, dict[str, np.ndarray]]:
    """(documents, arrays) of one ``.usx`` file holding the kept documents of ``parts``:
    ``(segment file, keep mask)`` pairs, in the order their documents are to follow.
    The arrays come in the order :func:`~search.storage.usx.postings.build` writes them.  Each
    field is merged ``budget`` encoded bytes of postings at a time (:func:`_key_ranges`)."""
    newdocs = renumbering([keep for _, keep in parts])
    arrays: dict[str, np.ndarray] = {}
    for source in SOURCES:
        words_f, grams_f, chars_f = fields_of(source)
        field_arrays(arrays, words_f, _merge_field(parts, newdocs, words_f, "words", budget))
        field_arrays(arrays, grams_f, _merge_field(parts, newdocs, grams_f, GRAMS, budget))
        field_arrays(arrays, chars_f, _merge_field(parts, newdocs, chars_f, CHARS, budget))
        lengths = [sp.array(f"{words_f}.lengths")[keep] for sp, keep in parts]
        arrays[f"{words_f}.lengths"] = (np.concatenate(lengths) if lengths
                                        else np.zeros(0, dtype=np.uint32))
    return sum(int(keep.sum()) for _, keep in parts), arrays
