"""Postings of a query's terms across one searcher's segments, live documents only.

The engine asks for a term (a word, a bigram or a character of a ``.usx`` field)
and gets one array of global docnums for the whole index, read from each segment's
file, shifted by the segment's docnum offset and decoded for all segments at once.
Reporters are not read here: :func:`search.retrieval.evaluate.reporter_docs` takes them from
the in-memory arrays.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .. import schema as f
from ..native import lib as _native
from .arrays import EMPTY, IndexArrays
from .partial_reads import Spans, read_kept
from .segments import usx_of
from .store import Snapshot
from .usx.across import decode_across, decode_in, decode_in_data, joined
from .usx.postings import BLOCK_DOCS, PAIRS, SKIP_MIN_DOCS, term_key
from .usx.varint import DamagedPostings

log = logging.getLogger(__name__)


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


_NO_SKIPS = np.zeros(0, dtype=np.uint32)
# The fields whose skip tables carry a title-or-body document count.
_PAIRED = frozenset(f for pair in PAIRS for f in pair)


@dataclass(frozen=True)
class Place:
    """Where one term's lists are in a generation's segments (:meth:`PostingsView.locate`):
    per segment that has it ``found``'s ``(file, term index, docnum offset)``, the bytes of
    its list and of its skip records (``(0, 0)``: none) and the title-or-body document
    count written with them (-1: none).  Only places: every byte of a list is still read
    and checked against its blocks' checksums when it is fetched."""

    found: list[tuple]
    lists: list[tuple[int, int]]
    skips: list[tuple[int, int]]
    dfs: list[int]

    def __len__(self) -> int:
        return len(self.found)

    @cached_property
    def spans(self) -> Spans:
        """Each segment's docnum range and list extent as arrays, made once a
        generation (:func:`~search.storage.partial_reads.read_kept` reads them)."""
        return Spans.of(self.found, self.lists)


# A kept place is one int64 array, a row per segment that has the term, these columns.
# A view keeps thousands of places for the life of a generation; an array is one object
# the cyclic garbage collector never tracks, where a :class:`Place` is some forty (lists
# of tuples per segment) that young collections counted and old ones walked.  A search
# unpacks the rows of each of its terms once (:meth:`PostingsView.locate`).
KEPT_COLUMNS = ("segment", "term index", "list start", "list stop", "skips start",
                "skips stop", "df")


def unpack(rows: np.ndarray, segments: list[tuple]) -> Place:
    """The :class:`Place` of a kept place's ``rows``, ``segments`` being each segment's
    ``(file, docnum offset)`` in the view's order."""
    found, lists, skips, dfs = [], [], [], []
    for k, i, start, stop, skip_start, skip_stop, df in rows.tolist():
        sp, offset = segments[k]
        found.append((sp, i, offset))
        lists.append((start, stop))
        skips.append((skip_start, skip_stop))
        dfs.append(df)
    return Place(found, lists, skips, dfs)


# Terms whose places a view keeps (emptied when full): a place is some ints per
# segment, so the bound holds the cache to a few MB however many searches run.
PLACES_MAX = 8192


@dataclass
class Encoded:
    """One term's lists in each segment that has it (``found``:
    :meth:`PostingsView.locate`'s; ``lists``: each one's bytes in its field's data), with
    their skip tables.  A list's bytes are read (and checked) when first needed: whole by
    :meth:`raw`, or only in the blocks some documents need by
    :meth:`PostingsView.decode_in`."""

    fieldname: str
    found: list[tuple]
    lists: list[tuple[int, int]]
    skips: list[np.ndarray]
    # Per segment, the documents holding the term in the title or the body, as written
    # with its skip table (-1: none there; empty: not looked up).
    dfs: list[int] = field(default_factory=list)
    # Each list read whole so far (None: not yet); a gram list's documents and counts
    # read without its positions (:meth:`counts_part`), by segment.
    _raws: list[np.ndarray | None] = field(default_factory=list)
    _heads: dict[int, np.ndarray] = field(default_factory=dict)
    # The place the lists were fetched from (its Spans are made when first needed, once
    # a generation: only terms some search kept to candidates hold them).
    place: Place | None = None

    @property
    def spans(self) -> Spans:
        """Each segment's docnum range and list extent (:class:`Place.spans`)."""
        if self.place is not None:
            return self.place.spans
        return Spans.of(self.found, self.lists)

    def __post_init__(self) -> None:
        if not self._raws:
            self._raws = [None] * len(self.found)

    @property
    def size(self) -> int:
        """Encoded bytes across segments (at least one per document), from the lists'
        places: nothing is read."""
        return sum(stop - start for start, stop in self.lists)

    def read(self, k: int) -> np.ndarray | None:
        """Segment ``k``'s list if it was read whole already, else None."""
        return self._raws[k]

    def raw(self, k: int) -> np.ndarray:
        """Segment ``k``'s whole list, read and checked once."""
        got = self._raws[k]
        if got is None:
            sp = self.found[k][0]
            start, stop = self.lists[k]
            head = self._heads.pop(k, None)
            if head is None:
                got = sp.data(self.fieldname, start, stop)
            else:  # its documents and counts were read: the rest only
                got = np.concatenate([head, sp.data(self.fieldname, start + len(head), stop)])
            self._raws[k] = got
        return got

    def counts_part(self, k: int) -> np.ndarray:
        """Segment ``k``'s gram list up to where its positions start (its documents and
        counts), read and checked; the whole list where it was read already or has no
        skip table (nothing says where its positions start)."""
        got = self._raws[k]
        if got is not None or not len(self.skips[k]):
            return self.raw(k)
        head = self._heads.get(k)
        if head is None:
            start, stop = self.lists[k]
            cut = min(stop, start + int(self.skips[k][3]))
            head = self._heads[k] = self.found[k][0].data(self.fieldname, start, cut)
        return head

    @property
    def raws(self) -> list[np.ndarray]:
        """Every segment's whole list, read and checked once."""
        return [self.raw(k) for k in range(len(self.found))]


# Whether a list kept to some documents reads only the 4 KB blocks those documents'
# skip blocks span (:mod:`search.storage.partial_reads`) and a list is read only when
# first decoded; off, each list a query asks for is read whole when it is fetched
# (``bench.toggle`` measures one against the other). Off by default: on a merged index a
# search's candidates touch nearly every 4 KB block of a broad list, so reading in part
# saves bytes but not CPU, and its bookkeeping costs short lists more than it saves
# (bench/RESULTS.md); it pays on many small unmerged segments.
PARTIAL_READS = False


class PostingsView:
    """Reads postings through one searcher, filtered by live documents.

    Shared by the threads searching one generation.  Each segment's ``.usx``
    file is taken when the view is made: a segment merged away while a search
    still uses this view is then read from the file already open, not reopened
    (its name is gone).  ``.usx`` reads are ``pread``s, safe side by side;
    Whoosh's stored fields seek a shared handle, so their readers take ``io_lock``.
    """

    def __init__(self, searcher: Snapshot, arrays: IndexArrays, io_lock=None):  # noqa: ANN001
        self.leaves = searcher.leaves()
        self.usx = [usx_of(leaf) for leaf in self.leaves]
        self.segments = [(sp, leaf.offset) for sp, leaf in zip(self.usx, self.leaves, strict=True)]
        self.live = arrays.live
        # No document of the generation deleted: a decoded list needs no cut to the live.
        self._all_live = bool(arrays.live.all())
        self.io_lock = io_lock if io_lock is not None else threading.Lock()
        # (field, term) -> Place, for every search of this generation: the term tables
        # are the files' in-memory ones, checked at open, and never change while open.
        self._places: dict[tuple[str, str], Place] = {}
        self._tables: dict[str, list[tuple]] = {}  # field -> each segment's term tables

    def postings(self, fieldname: str, text: str, positions: bool = True) -> Postings:
        """A title/body term's live postings across all segments, docnums ascending.

        Each segment only finds the term and reads its encoded bytes; the bytes of
        all segments are decoded together (:func:`decode_across`, up to
        :data:`BATCH_BYTES` at a time), because decoding segment by segment pays a
        fixed cost of NumPy calls per segment however short the list, and with dozens
        of segments such lookups would be most of a search's time (bench/RESULTS.md).

        ``positions=False`` leaves a bigram's positions undecoded (``None``): a
        two-character search needs only its documents and counts, and positions are
        most of the bytes (中国 in the bodies of 300,000 articles: 144,000 documents,
        381,000 positions).
        """
        return self.read(fieldname, self.locate(fieldname, text), positions)

    def encoded(self, fieldname: str, text: str) -> Encoded:
        """A term's encoded lists and skip tables, read (:meth:`fetch`)."""
        return self.fetch(fieldname, self.locate(fieldname, text))

    def locate(self, fieldname: str, text: str) -> Place:
        """Where a term's list is in each segment that has it (a :class:`Place`), each
        list's reading already started (:meth:`read` reads them).

        A term is looked up in the segments' tables once a generation: its place is
        kept (at most :data:`PLACES_MAX` terms), so the words and bigrams searches share
        (a title word, its body word, its bigrams) cost one dictionary lookup after the
        first search that asked for them, not a binary search per segment.

        The kernel is asked for every segment's pages at once (``POSIX_FADV_WILLNEED``):
        pages not in the page cache (this machine's kernel evicts file pages unused for
        a minute) are then read side by side instead of one ``pread`` after another.
        """
        place = unpack(self._placed(fieldname, text), self.segments)
        for (sp, _, _), (start, stop) in zip(place.found, place.lists, strict=True):
            sp.prefetch_bytes(fieldname, start, stop)
        return place

    def list_bytes(self, fieldname: str, text: str) -> int:
        """The encoded bytes of a term's lists across segments (0: no segment has it),
        from its place alone: nothing is read or asked of the kernel, so a search can
        weigh terms it may never read (a phrase's bigrams outside its cover)."""
        rows = self._placed(fieldname, text)
        return int(rows[:, 3].sum() - rows[:, 2].sum())

    def _placed(self, fieldname: str, text: str) -> np.ndarray:
        """A term's kept place (:data:`KEPT_COLUMNS`), looked up once a generation
        (:meth:`locate`)."""
        place = self._places.get((fieldname, text))
        if place is None:
            place = self._place(fieldname, text)
            if len(self._places) >= PLACES_MAX:
                self._places.clear()
            self._places[(fieldname, text)] = place
        return place

    def _place(self, fieldname: str, text: str) -> np.ndarray:
        """A term looked up in every segment's tables in one C call (``place_across``;
        :meth:`SegmentPostings.place` is its reference): its rows of
        :data:`KEPT_COLUMNS`."""
        tables = self._tables.get(fieldname)
        if tables is None:
            tables = self._tables[fieldname] = [sp.term_tables(fieldname) for sp in self.usx]
        out = np.empty(6 * len(tables), dtype=np.int64)
        _native.place_across(tables, term_key(fieldname, text),
                             text.encode("utf-8") if fieldname in f.WORD_FIELDS else None, out)
        rows = out.reshape(-1, 6)
        hit = np.flatnonzero(rows[:, 0] >= 0)
        table = np.empty((len(hit), 7), dtype=np.int64)
        table[:, 0] = hit
        table[:, 1:] = rows[hit]
        if fieldname not in _PAIRED:
            table[:, 6] = -1
        return table

    def prefetch(self, terms: list[tuple[str, str]]) -> None:
        """Nothing: a view shared by threads keeps nothing per query (a query's own view,
        ``search.results._QueryView``, locates its terms ahead)."""

    def read(self, fieldname: str, place: Place, positions: bool = True) -> Postings:
        """The live postings of a term :meth:`locate` found, decoded across segments."""
        if not place:
            return Postings.empty()
        return self.decode(self.fetch(fieldname, place, skips=False), positions)

    def fetch(self, fieldname: str, place: Place, skips: bool = True) -> Encoded:
        """The encoded bytes and (``skips``) skip tables of a term :meth:`locate` found,
        read (by ``pread``) and checked: decoded whole by :meth:`decode`, or in the
        blocks some documents need by :meth:`decode_in`, as often as asked without
        reading again.  A word list is read here; a bigram list when first decoded
        (its documents and counts alone when its positions are not asked for)."""
        found = place.found
        if not skips:
            enc = Encoded(fieldname, found, place.lists, [], place=place)
        else:
            # A list with a skip table holds more than SKIP_MIN_DOCS documents, a byte
            # each at least: shorter ones' tables and counts are not read.
            records = f"{fieldname}.skips"
            long = [b - a > SKIP_MIN_DOCS and stop > 0
                    for (a, b), (_, stop) in zip(place.lists, place.skips, strict=True)]
            enc = Encoded(
                fieldname, found, place.lists,
                [sp.data(records, start, stop).view("<u4") if is_long else _NO_SKIPS
                 for (sp, _, _), (start, stop), is_long
                 in zip(found, place.skips, long, strict=True)],
                [df if is_long else -1 for df, is_long in zip(place.dfs, long, strict=True)],
                place=place)
        if not PARTIAL_READS and fieldname not in f.GRAM_FIELDS:
            enc.raws  # noqa: B018 (read now, as a list is without partial reads)
        # A gram list is read when first decoded: a two-character text needs only its
        # documents and counts (:meth:`decode`), and positions are most of its bytes.
        return enc

    def union_df(self, head: Encoded | None, text: Encoded | None) -> int:
        """How many documents hold a term in the title (``head``: its encoded lists in a
        title field, or None when the title is not searched) or the body (``text``):
        BM25F's document frequency.  Read from the counts written with the skip
        tables where a segment has one for either list, counted from the two short
        lists' docnums elsewhere.  Documents deleted since their segment was written
        count until a merge drops them (the same number however the lists are read
        afterwards: whole, or kept to some documents)."""
        encs = [e for e in (head, text) if e is not None and e.found]
        if not encs:
            return 0
        if len(encs) == 1:
            enc = encs[0]
            return sum(sp.doc_frequency(enc.fieldname, i) for sp, i, _ in enc.found)
        stored: dict[int, int] = {}
        for enc in encs:
            for (_, _, offset), df in zip(enc.found, enc.dfs or [-1] * len(enc.found),
                                          strict=True):
                if df >= 0:
                    stored[offset] = df
        total = sum(stored.values())
        docs = []
        for enc in encs:
            keep = [k for k, (_, _, offset) in enumerate(enc.found) if offset not in stored]
            if not keep:
                docs.append(EMPTY)
                continue
            layout = _layout(enc.fieldname, False)
            try:
                docs.append(decode_across(layout, [enc.raw(k) for k in keep],
                                          [enc.found[k][2] for k in keep],
                                          [enc.found[k][0].doc_count for k in keep])[0])
            except DamagedPostings as exc:
                raise DamagedPostings(_named(exc, [enc.found[k] for k in keep],
                                             [enc.raw(k) for k in keep], enc.fieldname,
                                             layout)) from None
        a, b = docs
        if len(a) and len(b):
            seen = np.zeros(max(int(a[-1]), int(b[-1])) + 1, dtype=bool)
            seen[b] = True
            return total + len(a) + len(b) - int(seen[a].sum())
        return total + len(a) + len(b)

    def decode_in(self, enc: Encoded, cand: np.ndarray, positions: bool = True) -> Postings:
        """The postings of ``enc`` for the documents of ``cand`` only (ascending global
        docnums, live ones: nothing else is kept), decoded only in the blocks that hold
        one (:func:`~search.storage.usx.across.decode_in`)."""
        found = enc.found
        if not found or not len(cand):
            return Postings.empty()
        layout = _layout(enc.fieldname, positions)
        if PARTIAL_READS and enc.skips:
            cand = np.ascontiguousarray(cand, dtype=np.int64)
            kept = read_kept(enc, cand, positions, enc.fieldname in f.GRAM_FIELDS)
            if kept is None:  # no segment holds a candidate
                return Postings.empty()
            try:
                return Postings(*decode_in_data(layout, kept[0], kept[1], kept[2], kept[3],
                                                kept[4], BLOCK_DOCS, cand))
            except DamagedPostings:
                # Named from the whole lists below (each checked), which refuse the
                # same damage; a list that decodes whole is answered from whole.
                log.warning("a list read in part did not decode (field %s); read whole",
                            enc.fieldname)
        try:
            return Postings(*decode_in(layout, enc.raws, enc.skips,
                                       [offset for _, _, offset in found],
                                       [sp.doc_count for sp, _, _ in found], BLOCK_DOCS,
                                       cand))
        except DamagedPostings as exc:
            raise DamagedPostings(_named(exc, found, enc.raws, enc.fieldname,
                                         layout)) from None

    def decode(self, enc: Encoded, positions: bool = True) -> Postings:
        """Every live posting of ``enc``, decoded across segments.

        Without positions, a bigram list with a skip table is read only up to where its
        positions start (its first skip record says where): documents and counts are
        all such a decode uses, and positions are most of a bigram list's bytes."""
        found, fieldname = enc.found, enc.fieldname
        if not found:
            return Postings.empty()
        if not positions and enc.skips and fieldname in f.GRAM_FIELDS:
            raws = [enc.counts_part(k) for k in range(len(found))]
        else:
            raws = enc.raws
        offsets = [offset for _, _, offset in found]
        sizes = [sp.doc_count for sp, _, _ in found]
        layout = _layout(fieldname, positions)
        parts = []
        for a, b in _batches([len(r) for r in raws]):
            try:
                parts.append(Postings(*decode_across(layout, raws[a:b], offsets[a:b],
                                                     sizes[a:b])))
            except DamagedPostings as exc:
                raise DamagedPostings(_named(exc, found[a:b], raws[a:b], fieldname,
                                             layout)) from None
        p = _joined_postings(parts)
        if self._all_live:
            return p
        keep = self.live[p.docs]
        if not keep.all():
            if p.positions is not None:
                p.positions = p.positions[np.repeat(keep, p.weights.astype(np.int64))]
            p.docs, p.weights = p.docs[keep], p.weights[keep]
        return p


def _named(exc: DamagedPostings, found: list[tuple], raws: list[np.ndarray],
           fieldname: str, layout: str) -> str:
    """The damage message with the file it is in: the segments whose own list fails to
    decode (each is tried alone), else every file of the batch."""
    bad = []
    for (sp, _, _), raw in zip(found, raws, strict=True):
        try:
            decode_across(layout, [raw], [0], [sp.doc_count])
        except DamagedPostings:
            bad.append(sp.path)
    where = ", ".join(bad or [sp.path for sp, _, _ in found])
    return f"{exc} (field {fieldname} in {where})"


# Encoded bytes decoded in one pass at most (more when one segment's list is longer):
# decoding works on arrays of 8 bytes per input byte, and past some tens of KB of
# input they leave the CPU cache and each byte costs several times more (bench/RESULTS.md).
BATCH_BYTES = 32 * 1024


def _batches(sizes: list[int]) -> list[tuple[int, int]]:
    """``[a, b)`` runs of consecutive items whose sizes total at most :data:`BATCH_BYTES`
    (an item larger than that is a run of its own)."""
    runs, start, total = [], 0, 0
    for k, size in enumerate(sizes):
        if k > start and total + size > BATCH_BYTES:
            runs.append((start, k))
            start, total = k, 0
        total += size
    runs.append((start, len(sizes)))
    return runs


def _joined_postings(parts: list[Postings]) -> Postings:
    """Postings of consecutive segment runs, as one."""
    if len(parts) == 1:
        return parts[0]
    positions = None if parts[0].positions is None else joined(p.positions for p in parts)
    return Postings(joined(p.docs for p in parts), joined(p.weights for p in parts),
                    positions)


def _layout(fieldname: str, positions: bool) -> str:
    if fieldname in f.CHAR_FIELDS:
        return "chars"
    if fieldname in f.WORD_FIELDS:
        return "words"
    return "grams" if positions else "gram counts"
