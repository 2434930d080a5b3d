"""The NumPy and Python references the C module (``search/_native.c``) is tested against.

The C module is required (``search/native.py``): every hot loop runs in C in production.
These are the same computations written with NumPy whole-array operations, kept as
oracles: ``tests/test_native.py``, ``tests/test_damaged_postings.py``,
``tests/test_postings_view.py`` and ``tests/test_search.py`` check that C gives exactly
what they give, on real segments and on damaged input.  A change to the ``.usx`` layout changes both.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence

import numpy as np

from search.storage.usx import varint
from search.storage.usx.across import MAX_COUNT, MAX_POSITION, cumsum_by, joined
from search.storage.usx.postings import EMPTY, _field_bytes
from search.storage.usx.varint import MAX_BYTES, DamagedPostings


def _damaged(what: str) -> DamagedPostings:
    return DamagedPostings(f"damaged postings: {what}")


def decode_numpy(data: np.ndarray) -> np.ndarray:
    """``search.storage.usx.varint.decode`` in NumPy alone.  Exact
    over the whole int64 range (sums of disjoint bit ranges, in integers)."""
    b = np.asarray(data, dtype=np.uint8)
    last = b < 0x80
    if last.all():
        return b.astype(np.int64)
    if not last[-1]:
        raise DamagedPostings("damaged postings: the bytes end inside a list")
    ends = np.flatnonzero(last)
    starts = np.empty(len(ends), dtype=np.int64)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    if int((ends - starts).max()) >= MAX_BYTES:
        raise DamagedPostings("damaged postings: a number longer than any list holds")
    group = np.cumsum(last) - last  # value index of each byte
    shift = np.arange(len(b), dtype=np.int64) - starts[group]
    parts = (b & 0x7F).astype(np.int64) << (7 * shift)
    return np.add.reduceat(parts, starts)


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




def decode_across_numpy(layout: str, raws: list[np.ndarray], offsets: list[int],
                        sizes: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``search.storage.usx.across.decode_across`` in NumPy: one term's postings (docnums shifted
    by each segment's offset, weights, positions or None) from its encoded bytes in
    several segments, decoded at once.

    The layout is :mod:`search.storage.usx.postings`' (``SegmentPostings.term`` decodes one
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


def decode_in_numpy(layout: str, raws: list[np.ndarray], skips: list[np.ndarray],
                    offsets: list[int], sizes: list[int], block_docs: int, cand: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``search.storage.usx.across.decode_in`` in NumPy: every list decoded whole
    (:func:`decode_across_numpy`), then the documents of ``cand`` kept, with their
    weights and positions; the skip tables are not read (they only spare work)."""
    docs, weights, positions = decode_across_numpy(layout, raws, offsets, sizes)
    keep = np.isin(docs, cand)
    if positions is not None:
        positions = positions[np.repeat(keep, weights.astype(np.int64))]
    return docs[keep], weights[keep], positions


def skip_table_numpy(data: np.ndarray, ends: np.ndarray, layout: int, block_docs: int,
                     min_docs: int) -> tuple[bytes, bytes, bytes]:
    """``search/_native.c``'s ``skip_table`` in NumPy: for each list of more than
    ``min_docs`` documents, per block its last docnum and the byte offsets (from the
    list's start) of its first docnum delta, of the next count and (grams) of its first
    position, or (words) its largest count.  ``layout``: 0 chars, 1 words, 2 grams."""
    ends = np.asarray(ends, dtype=np.int64)
    terms, rec_ends, records = [], [], []
    start = 0
    for t, end in enumerate(ends.tolist()):
        raw = np.asarray(data[start:end], dtype=np.uint8)
        start = end
        values = varint.decode(raw)
        df = int(values[0])
        if df <= min_docs:
            continue
        last = np.flatnonzero(raw < 0x80)
        at = np.concatenate([[0], last + 1])  # each value's first byte; then the end
        flagged = values[1 : 1 + df]
        deltas = flagged if layout == 0 else flagged >> 1
        docs = np.cumsum(deltas)
        firsts = np.arange(0, df, block_docs)
        rec = np.zeros((len(firsts), 4), dtype=np.uint32)
        rec[:, 0] = docs[np.minimum(firsts + block_docs, df) - 1]
        rec[:, 1] = at[1 + firsts]
        if layout != 0:
            many = (flagged & 1).astype(np.int64)
            before = np.cumsum(many) - many  # counts stored before each document's
            rec[:, 2] = at[1 + df + before[firsts]]
            counts = np.ones(df, dtype=np.int64)
            counts[many.astype(bool)] = values[1 + df : 1 + df + int(many.sum())]
            if layout == 1:
                rec[:, 3] = np.maximum.reduceat(counts, firsts)
            else:
                occ_before = np.cumsum(counts) - counts
                rec[:, 3] = at[1 + df + int(many.sum()) + occ_before[firsts]]
        terms.append(t)
        records.append(rec.ravel())
        rec_ends.append(sum(len(r) for r in records) // 4)
    return (np.array(terms, dtype=np.uint32).tobytes(),
            np.array(rec_ends, dtype=np.int64).tobytes(),
            (np.concatenate(records) if records else np.zeros(0, np.uint32)).tobytes())


def encode_field_numpy(occ_keys: np.ndarray, doc: np.ndarray, pos: np.ndarray | None,
                       with_freq: bool) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``search.storage.usx.postings.encode_field`` in NumPy: the same bytes, one stable sort."""
    order = np.argsort(occ_keys, kind="stable")
    k, d = occ_keys[order], doc[order]
    if pos is not None:
        pos = pos[order]
    del order
    n = len(k)
    new_term = np.ones(n, dtype=bool)
    new_term[1:] = k[1:] != k[:-1]
    keys = k[new_term]
    del k
    t = np.cumsum(new_term, dtype=np.int32)
    t -= 1  # dense term id of each occurrence
    n_terms = len(keys)
    new_pair = new_term
    new_pair[1:] |= d[1:] != d[:-1]
    pair_at = np.flatnonzero(new_pair)
    pt, pd = t[pair_at], d[pair_at]
    counts = np.diff(np.append(pair_at, n)).astype(np.uint32)
    del pair_at
    first_pair = np.ones(len(pt), dtype=bool)
    first_pair[1:] = pt[1:] != pt[:-1]
    doc_delta = _restart_deltas(pd, first_pair)
    del pd, first_pair
    df = np.bincount(pt, minlength=n_terms)
    per_term = 1 + df
    counted = with_freq or pos is not None
    if counted:
        # A count of 1 (nine pairs in ten) is the docnum delta's low bit, not a number
        # of its own; only counts above 1 follow the deltas (most counts are 1).
        many = counts > 1
        doc_delta = (doc_delta.astype(np.uint32) << np.uint32(1)) | many
        n_many = np.bincount(pt, weights=many, minlength=n_terms).astype(np.int64)
        per_term += n_many
    if pos is not None:
        occ = np.bincount(t, minlength=n_terms)
        per_term += occ

    # Where each value goes: terms one after another, each
    # [df | deltas (with the count bit) | counts above 1 | positions].
    term_end = np.cumsum(per_term)
    term_start = term_end - per_term
    values = np.empty(int(term_end[-1]) if n_terms else 0, dtype=np.uint32)
    values[term_start] = df
    dest = np.arange(len(pt), dtype=np.int64)
    dest -= (np.cumsum(df) - df)[pt]
    dest += term_start[pt] + 1
    values[dest] = doc_delta
    del doc_delta, dest
    if counted:
        rank = np.cumsum(many) - many  # among all pairs with a count above 1…
        rank -= (np.cumsum(n_many) - n_many)[pt]  # …of their term
        at = term_start[pt] + 1 + df[pt] + rank
        values[at[many]] = counts[many]
        del rank, at, many
    if pos is not None:
        _place_positions(values, pos, new_pair, t, term_start + 1 + df + n_many, occ)
    del t, pt, new_pair
    data, ends = varint.encode(values, at=term_end - 1)
    return keys, _field_bytes(ends, data)


def _restart_deltas(x: np.ndarray, restart: np.ndarray) -> np.ndarray:
    """Differences of neighbours, the value itself where ``restart`` (a new term or doc)."""
    out = x.copy()
    out[1:] -= x[:-1]
    out[restart] = x[restart]
    return out


def _place_positions(values: np.ndarray, pos: np.ndarray, new_pair: np.ndarray, t: np.ndarray,
                     first_slot: np.ndarray, occ: np.ndarray) -> None:
    """Write each occurrence's position delta (restarting at each document) into
    ``values``, from each term's ``first_slot`` on; ``occ`` counts a term's occurrences."""
    pos_delta = _restart_deltas(pos, new_pair)
    dest = np.arange(len(pos), dtype=np.int64)
    dest -= (np.cumsum(occ) - occ)[t]
    dest += first_slot[t]
    values[dest] = pos_delta


def gram_and_char_fields_numpy(squashed: Sequence[str]) -> tuple[dict, dict]:
    """``search.storage.usx.postings._gram_and_char_fields`` in NumPy: characters are made
    distinct per document before encoding (the C encoder groups repeats itself)."""
    lens = np.fromiter((len(s) for s in squashed), dtype=np.int64, count=len(squashed))
    cps = np.frombuffer("".join(squashed).encode("utf-32-le"), dtype=np.uint32)
    doc_of = np.repeat(np.arange(len(squashed), dtype=np.int32), lens)
    starts = (np.cumsum(lens) - lens).astype(np.int32)
    # Bigrams: neighbours within one document; position = offset in the squashed text.
    at = (np.flatnonzero(doc_of[:-1] == doc_of[1:]) if len(cps) > 1 else EMPTY).astype(np.int32)
    codes = (cps[at].astype(np.uint64) << np.uint64(21)) | cps[at + 1]
    gram_doc = doc_of[at]
    pos = at - starts[gram_doc]
    del at
    keys, grams = encode_field_numpy(codes, gram_doc, pos, False)
    grams["keys"] = keys
    del codes, gram_doc, pos
    # Characters: distinct (doc, char) pairs, ordered by doc.  (A sort and a
    # neighbour compare, not np.unique: NumPy 2 hashes there, ~60× slower on this.)
    pairs = np.sort((doc_of.astype(np.uint64) << np.uint64(21)) | cps)
    # A mask as long as ``pairs`` even when there are none: a segment whose texts are all
    # empty (a CSV of untitled briefs, a title-only file) has 0 pairs.
    distinct = np.ones(len(pairs), dtype=bool)
    distinct[1:] = pairs[1:] != pairs[:-1]
    pairs = pairs[distinct]
    del doc_of
    pdoc = (pairs >> np.uint64(21)).astype(np.int32)
    keys, chars = encode_field_numpy(pairs & np.uint64((1 << 21) - 1), pdoc, None, False)
    chars["keys"] = keys
    return grams, chars


class Numbering:
    """``_native.Numbering`` in Python: each token's word id (int32 bytes), a token not
    seen before given the next id (and appended to ``vocab``) if ``is_word``, else -1.
    Known tokens are looked up by ``map``, new ones found by list scans."""

    def __init__(self, is_word: Callable[[str], bool]) -> None:
        self.is_word = is_word
        self.vocab: list[str] = []
        self._ids: dict[str, int] = {}

    def ids(self, tokens: list[str]) -> bytes:
        ids, vocab = self._ids, self.vocab
        vals = list(map(ids.get, tokens))
        j = vals.index(None) if None in vals else -1
        while j >= 0:
            tok = tokens[j]
            v = ids.get(tok)
            if v is None:
                v = len(vocab) if self.is_word(tok) else -1
                if v >= 0:
                    vocab.append(tok)
                ids[tok] = v
            vals[j] = v
            try:
                j = vals.index(None, j + 1)
            except ValueError:
                j = -1
        return array("i", vals).tobytes()


# --- query time: search/retrieval/evaluate.py and search/results.py -----------------------------

def merge_add_numpy(a_docs: np.ndarray, a_values: np.ndarray, b_docs: np.ndarray,
                    b_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``search.retrieval.evaluate.merge_add``: the union of two docnum lists, values added."""
    from search.retrieval.evaluate import union_docs

    docs = union_docs(a_docs, b_docs)
    ia, ib = np.searchsorted(docs, a_docs), np.searchsorted(docs, b_docs)
    values = np.zeros(len(docs))
    values[ia] += a_values
    values[ib] += b_values
    return docs, values


def term_numpy(ev, head: tuple[np.ndarray, np.ndarray], text: tuple[np.ndarray, np.ndarray],
               df: int | None = None):
    """``Evaluator.term`` (BM25F of one term over the title and body) for the evaluator
    ``ev``: the weighted frequencies merged, then saturated, in whole-array steps."""
    from search.retrieval.evaluate import Match, _union_size

    (hd, ht), (td, tt) = head, text
    if df is None and ev.allowed is not None:
        df = _union_size(hd, td)
    (hd, ht), (td, tt) = ev._cut(hd, ht), ev._cut(td, tt)
    head_w, text_w = ev._weights()
    docs, tf = merge_add_numpy(hd, ht * head_w[hd], td, tt * text_w[td])
    return Match(docs, ev._saturate(len(docs) if df is None else df, tf))


def _runs(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of an ascending array and how often each occurs."""
    if not len(sorted_values):
        return sorted_values, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    return sorted_values[starts], np.diff(np.r_[starts, len(sorted_values)])


def phrase_numpy(ev, gram_field: str, s: str) -> tuple[np.ndarray, np.ndarray]:
    """``Evaluator.substring_in``: (docs, occurrences) where the squashed field contains
    ``s``.  A character or a bigram is its own list; a longer phrase is where every
    cover bigram agrees on a start, by intersecting sorted (doc, start) keys, one sort
    per cover bigram."""
    from search import schema as f
    from search.retrieval.evaluate import _cover, within

    none = (EMPTY, np.zeros(0))
    if len(s) == 1:
        p = ev.view.postings(f.CHARS_OF[gram_field], s)
        return p.docs, np.ones(len(p.docs))
    if len(s) == 2:
        p = ev.view.postings(gram_field, s, positions=False)
        return p.docs, p.weights
    cover = _cover(s)
    lists = {}
    for _, gram in cover:
        if gram not in lists:
            lists[gram] = ev.view.postings(gram_field, gram)
            if not len(lists[gram].docs):
                return none
    cand = None
    for gram in sorted(lists, key=lambda g: len(lists[g].docs)):
        docs = lists[gram].docs
        cand = docs if cand is None else cand[within(cand, docs)]
        if not len(cand):
            return none
    starts = None
    for off, gram in sorted(cover, key=lambda c: len(lists[c[1]].positions)):
        p = lists[gram]
        counts = p.weights.astype(np.int64)
        in_cand = np.repeat(np.isin(p.docs, cand, assume_unique=True), counts)
        doc_of = np.repeat(p.docs, counts)[in_cand]
        pos = p.positions[in_cand] - off
        ok = pos >= 0
        keys = (doc_of[ok] << 32) | pos[ok]
        starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
        if not len(starts):
            return none
    docs, counts = _runs(starts >> 32)
    return docs, counts.astype(float)


def ranked_numpy(docs: np.ndarray, scores: np.ndarray, days: np.ndarray, sort: str,
                 k: int) -> np.ndarray:
    """``search.results.ranked``: the first ``k`` results in order (ties: newest, then
    docnum), by a partition on the primary key and a sort of what can be in the first k."""
    if sort == "relevance":
        keys = (docs, -days, -scores)
    elif sort == "newest":
        keys = (docs, -scores, -days)
    else:
        keys = (docs, -scores, days)
    primary = keys[-1]
    if 0 < k < len(docs) // 4:
        kth = np.partition(primary, k - 1)[k - 1]
        cand = np.flatnonzero(primary <= kth)
        order = np.lexsort(tuple(key[cand] for key in keys))
        return cand[order][:k]
    return np.lexsort(keys)[:max(k, 0)]


def facet_counts_numpy(arrays, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``search.results.facet_counts``: articles per year and per reporter among ``docs``,
    by a mask over the docnums and a gather of every (doc, reporter) pair."""
    years = np.bincount(arrays.days[docs] // 10000) if len(docs) else np.zeros(0, int)
    counts = np.zeros(len(arrays.names), dtype=np.int64)
    if len(docs) and len(arrays.rep_doc):
        mask = np.zeros(len(arrays.live), dtype=bool)
        mask[docs] = True
        counts = np.bincount(arrays.rep_id[mask[arrays.rep_doc]], minlength=len(arrays.names))
    return years, counts



def union_df_numpy(sp, field: str, other: str) -> np.ndarray:
    """``search.storage.usx.postings.union_df_arrays`` in NumPy for one segment file
    ``sp``: for each term of ``field`` with a skip table, the documents holding it in
    ``field`` or (the same word or bigram) in ``other``, from both fields decoded whole."""
    from search.storage.usx.postings import decode_field

    def decoded(name: str):
        fp = decode_field(sp.array(f"{name}.data"), sp.array(f"{name}.ends"), name)
        keys = sp.array(f"{name}.keys").tolist()
        words = sp.words(name) if f"{name}.word_data" in sp.names() else [None] * len(keys)
        return fp, list(zip(keys, words, strict=True))

    def docs_of(fp, t: int) -> np.ndarray:  # rows are ordered by term
        lo, hi = np.searchsorted(fp.term, [t, t + 1])
        return fp.doc[lo:hi]

    mine, my_terms = decoded(field)
    theirs, their_terms = decoded(other)
    where = {term: k for k, term in enumerate(their_terms)}
    counts = []
    for t in sp.array(f"{field}.skip_terms").tolist():
        k = where.get(my_terms[t])
        both = docs_of(mine, t) if k is None else np.union1d(docs_of(mine, t),
                                                             docs_of(theirs, k))
        counts.append(len(both))
    return np.array(counts, dtype=np.uint32)


def union_df_lists_numpy(a_data: np.ndarray, a_ends: np.ndarray, a_terms: np.ndarray,
                         b_data: np.ndarray, b_ends: np.ndarray, b_terms: np.ndarray,
                         out: np.ndarray) -> None:
    """``search/_native.c``'s ``union_df`` in NumPy: each pair's two lists decoded whole
    (:func:`decode_numpy`), their docnums' union counted."""
    def docs(data: np.ndarray, ends: np.ndarray, t: int) -> np.ndarray:
        if t < 0:
            return np.zeros(0, dtype=np.int64)
        values = decode_numpy(data[(int(ends[t - 1]) if t else 0) : int(ends[t])])
        return np.cumsum(values[1 : 1 + int(values[0])] >> 1)

    for k, (a, b) in enumerate(zip(a_terms.tolist(), b_terms.tolist(), strict=True)):
        out[k] = len(np.union1d(docs(a_data, a_ends, a), docs(b_data, b_ends, b)))
