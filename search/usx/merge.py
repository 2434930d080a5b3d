"""Merging ``.usx`` files: the postings of several segments as one, without re-analysing.

A merge used to re-read every live article's stored text and cut it again with
jieba (~0.7 ms an article).  Here each field's postings are decoded whole with
NumPy, the documents renumbered (deleted ones dropped, later segments shifted
after earlier ones) and encoded again by the same code that builds a segment,
so a merged file is byte for byte the file a fresh build of the same articles
would write (``tests/test_usx_merge.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..schema import CHARS, GRAMS, SOURCES, fields_of
from . import varint
from .postings import EMPTY, SegmentPostings, encode_field, field_arrays, word_arrays


@dataclass
class _Decoded:
    """One field of one segment, decoded: a row per (term, document) pair."""

    term: np.ndarray  # term index in the segment's table
    doc: np.ndarray  # new docnum (deleted documents already dropped)
    count: np.ndarray | None  # frequency (words) or occurrences (grams)
    positions: np.ndarray | None  # grams: every occurrence's position, grouped by pair


def _segmented_cumsum(values: np.ndarray, group_sizes: np.ndarray) -> np.ndarray:
    """Running sums of ``values`` that restart at each group (groups of the given sizes)."""
    sums = np.cumsum(values)
    ends = np.cumsum(group_sizes)
    before = np.zeros(len(group_sizes), dtype=sums.dtype)
    has = ends - group_sizes > 0
    before[has] = sums[(ends - group_sizes)[has] - 1]
    return sums - np.repeat(before, group_sizes)


def _within(sizes: np.ndarray) -> np.ndarray:
    """0, 1, … within each group of the given sizes."""
    total = int(sizes.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def _decode(sp: SegmentPostings, field: str, unit: str, newdoc: np.ndarray) -> _Decoded:
    """Every posting of ``field`` in one segment, renumbered by ``newdoc`` (-1: deleted)."""
    data = sp.array(f"{field}.data")
    ends = sp.array(f"{field}.ends").astype(np.int64)
    values = varint.decode(data)
    last_byte = np.cumsum(np.asarray(data) < 0x80)
    vend = last_byte[ends - 1] if len(ends) else EMPTY
    vstart = np.concatenate([[0], vend[:-1]]).astype(np.int64)
    df = values[vstart]
    term = np.repeat(np.arange(len(df), dtype=np.int64), df)
    k = _within(df)
    doc = _segmented_cumsum(values[np.repeat(vstart + 1, df) + k], df)
    count = positions = None
    if unit != CHARS:
        count = values[np.repeat(vstart + 1 + df, df) + k]
    if unit == GRAMS:
        occ = np.bincount(term, weights=count, minlength=len(df)).astype(np.int64)
        j = _within(occ)
        deltas = values[np.repeat(vstart + 1 + 2 * df, occ) + j]
        positions = _segmented_cumsum(deltas, count)
    keep = newdoc[doc] >= 0
    if not keep.all():
        if positions is not None:
            positions = positions[np.repeat(keep, count)]
        term, doc = term[keep], doc[keep]
        count = count[keep] if count is not None else None
    return _Decoded(term, newdoc[doc], count, positions)


def _renumbering(parts: Sequence[tuple[SegmentPostings, np.ndarray]]) -> list[np.ndarray]:
    """For each part, its documents' new numbers (-1 where not kept), in part order."""
    out, base = [], 0
    for _, keep in parts:
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
        dec = _decode(sp, field, "words", newdoc)
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
        dec = _decode(sp, field, unit, newdoc)
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


def merge(parts: Sequence[tuple[SegmentPostings, np.ndarray]]) -> tuple[int, dict[str, np.ndarray]]:
    """(documents, arrays) of one ``.usx`` file holding the kept documents of ``parts``:
    ``(segment file, keep mask)`` pairs, in the order their documents are to follow.
    The arrays come in the order :func:`~search.usx.postings.build` writes them."""
    newdocs = _renumbering(parts)
    arrays: dict[str, np.ndarray] = {}
    for source in SOURCES:
        words_f, grams_f, chars_f = fields_of(source)
        field_arrays(arrays, words_f, _merge_words(parts, newdocs, words_f))
        field_arrays(arrays, grams_f, _merge_codes(parts, newdocs, grams_f, GRAMS))
        field_arrays(arrays, chars_f, _merge_codes(parts, newdocs, chars_f, CHARS))
        lengths = [sp.array(f"{words_f}.lengths")[keep] for sp, keep in parts]
        arrays[f"{words_f}.lengths"] = (np.concatenate(lengths) if lengths
                                        else np.zeros(0, dtype=np.uint32))
    return sum(int(keep.sum()) for _, keep in parts), arrays
