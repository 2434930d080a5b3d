"""The text index of one Whoosh segment: built in bulk with NumPy, read by slices.

Whoosh keeps each article's stored fields, its id, reporters and date, and the
list of segments.  The title and body postings live beside each segment in
``<segment id>.usx``: Whoosh's writer spends several Python calls and about
130 bytes of term table per posting and per term, which made a
20,000-article import take minutes and the index 13 times the text.  Here a
whole segment's postings are sorted and varint-encoded as arrays, so the cost
per posting is a few NumPy operations, and a term costs its key and one
offset.  The file is named after its segment, so Whoosh deletes it together
with the segment when the segment is merged away.

Three views of the title (``head``) and the body (``text``):

* words (``head``, ``text``): jieba's search-mode words with their
  frequencies, for BM25F;
* grams (``head_g``, ``text_g``): overlapping character bigrams of the
  normalised text without whitespace, with positions, so any substring of two
  or more characters is found whatever jieba did to it;
* chars (``head_c``, ``text_c``): which characters occur, for one-character
  searches.

Layout of one term's postings: ``df``, then ``df`` docnum deltas (for words and
grams shifted left by one, the low bit set where the frequency or occurrence count
is above 1), then those counts above 1, then (grams) each document's position
deltas, all varints (``README.md`` here).  Terms are found by binary search over a sorted
uint64 key array: two code points for a bigram, one for a character, a 64-bit
hash of the UTF-8 for a word (the word itself is stored and compared, so a
hash collision cannot merge two words).
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...native import lib as _native  # the C encoder
from ...schema import CHAR_FIELDS, GRAM_FIELDS, SOURCES, WORD_FIELDS, fields_of
from ...text.analysis import index_tokens, is_word
from ...text.normalize import normalize
from .. import checksum
from ..checksum import crc as _crc32c
from . import varint
from .across import cumsum_by

# The format's version, in one place: the file's magic and the index fingerprint's
# "+usx1" both come from it.  What to bump, and when: search/storage/usx/README.md.
VERSION = 5
MAGIC = b"USX%d" % VERSION
FOOTER_MAGIC = b"USXEND%02d" % VERSION
# The last bytes of a file: magic, the length before the footer, the header's CRC32C,
# the CRC32C of everything before the footer.
FOOTER = struct.Struct("<8sQII")
BLOCK = 4096  # bytes of postings data per checksum: a read verifies the blocks it touches
# Documents per block of a long list: a word or bigram list of more than SKIP_MIN_DOCS
# documents has a skip table (one record per block of BLOCK_DOCS: its last docnum and
# where its docnum deltas, counts and positions start), so a reader kept to some
# documents decodes only their blocks.  Shorter lists decode whole in little time, and
# character lists are never read in part: neither has a table (the tables stay a small
# share of the index, bench/RESULTS.md).
BLOCK_DOCS = 128
SKIP_MIN_DOCS = 8 * BLOCK_DOCS
SKIP_RECORD = 4  # uint32 per skip record
FORMAT_TAG = f"usx{VERSION}"
SUFFIX = ".usx"
EMPTY = np.zeros(0, dtype=np.int64)
_NO_SKIPS = np.zeros(0, dtype=np.uint32)
READ_AGAIN = ("lengths",)  # tables of one number a document: read again when asked, not held


def word_key(word: str) -> int:
    """A word's key: the first 8 bytes of its BLAKE2b hash (the word is stored too)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(),
                          "little")


# Words' keys remembered between the segments one import worker builds: most of a
# segment's words were in the last one, and hashing each again is a measurable share of
# an import.  Bounded: emptied when full.
_KEY_CACHE_MAX = 250_000
_key_cache: dict[str, int] = {}


def _cached_word_key(word: str) -> int:
    key = _key_cache.get(word)
    if key is None:
        if len(_key_cache) >= _KEY_CACHE_MAX:
            _key_cache.clear()
        key = _key_cache[word] = word_key(word)
    return key


def gram_key(gram: str) -> int:
    """A bigram's key: its two code points, 21 bits each."""
    return (ord(gram[0]) << 21) | ord(gram[1])


def char_key(ch: str) -> int:
    """A character's key: its code point."""
    return ord(ch)


def term_key(field: str, text: str) -> int:
    """The key a term of ``field`` is found by in a term table."""
    if field in WORD_FIELDS:
        return word_key(text)
    if field in GRAM_FIELDS:
        return gram_key(text)
    return char_key(text)


# --- building -----------------------------------------------------------------

def encode_field(occ_keys: np.ndarray, doc: np.ndarray, pos: np.ndarray | None,
                  with_freq: bool) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Postings of one field from each occurrence's term key, doc and position.

    Occurrences arrive ordered by (doc, position); one stable sort by key
    orders them by (term, doc, position), the order they are stored in.
    Returns the distinct keys, ascending, and the ``ends``/``data`` arrays.
    In C (a counting sort, one pass; ``tests/oracles.py`` holds the NumPy reference
    that writes the same bytes).
    """
    pos32 = None if pos is None else np.ascontiguousarray(pos, dtype=np.int32)
    terms, ends, data = _native.encode_postings(
        np.ascontiguousarray(occ_keys), np.ascontiguousarray(doc, dtype=np.int32),
        pos32, with_freq)
    return (np.frombuffer(terms, dtype=occ_keys.dtype),
            _field_bytes(np.frombuffer(ends, dtype=np.int64), np.frombuffer(data, np.uint8)))


def _field_bytes(ends: np.ndarray, data: np.ndarray) -> dict[str, np.ndarray]:
    return {"ends": ends.astype(np.uint32 if len(data) < 2**32 else np.uint64), "data": data}


def _gram_and_char_fields(squashed: Sequence[str]) -> tuple[dict, dict]:
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
    keys, grams = encode_field(codes, gram_doc, pos, False)
    grams["keys"] = keys
    del codes, gram_doc, pos
    # The C encoder groups each character's repeats in a document itself.
    keys, chars = encode_field(cps, doc_of, None, False)
    chars["keys"] = keys.astype(np.uint64)
    return grams, chars


def _word_field(texts: Sequence[str]) -> tuple[dict, np.ndarray]:
    """Words of each normalised text, streamed: only term ids (4 bytes a word) are kept.

    Every token jieba gives is numbered in C (``_native.Numbering``: its own table keyed
    by the token's characters, ``tests/oracles.py`` holds the Python reference): a word
    gets the next id the first time it is seen, a token that is no word (punctuation, see
    :func:`search.text.analysis.is_word`) -1.  A Python call, or a dict lookup, per token
    would be a large share of an import worker's time.
    """
    numbering = _native.Numbering(is_word)
    parts: list[bytes] = []
    tokens = np.zeros(len(texts), dtype=np.int64)
    number = numbering.ids
    for i, text in enumerate(texts):
        toks = index_tokens(text)
        parts.append(number(toks))
        tokens[i] = len(toks)
    vocab = numbering.vocab
    del numbering
    occ = np.frombuffer(b"".join(parts), dtype=np.int32)
    del parts
    doc = np.repeat(np.arange(len(texts), dtype=np.int32), tokens)
    keep = occ >= 0
    occ, doc = occ[keep], doc[keep]
    lengths = np.bincount(doc, minlength=len(texts)).astype(np.uint32)
    field = word_arrays(vocab, occ if len(occ) else EMPTY, doc)
    return field, lengths


def word_arrays(vocab: list[str], occ_ids: np.ndarray, doc: np.ndarray,
                hashes: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """A word field's arrays from each occurrence's word (an index into ``vocab``) and
    document, occurrences ordered by document.  Shared by building and merging (which
    passes the words' keys, already in the files it merges)."""
    if hashes is None:
        hashes = np.fromiter(map(_cached_word_key, vocab), dtype=np.uint64, count=len(vocab))
    by_key = np.argsort(hashes, kind="stable")
    rank = np.empty(len(vocab), dtype=np.int32)
    rank[by_key] = np.arange(len(vocab), dtype=np.int32)
    occ_rank = rank[occ_ids] if len(occ_ids) else EMPTY
    # Sorted by rank (hash order, one entry per distinct word even if two hashes collide).
    ranks, field = encode_field(occ_rank, doc, None, True)
    field["keys"] = hashes[by_key][ranks]
    words_sorted = [vocab[i].encode("utf-8") for i in by_key[ranks].tolist()]
    blob = b"".join(words_sorted)
    field["word_data"] = np.frombuffer(blob, dtype=np.uint8)
    field["word_ends"] = np.cumsum([len(w) for w in words_sorted], dtype=np.int64).astype(
        np.uint32 if len(blob) < 2**32 else np.uint64)
    return field


def field_arrays(arrays: dict[str, np.ndarray], name: str, field: dict[str, np.ndarray]) -> None:
    """Put one field's arrays into a segment's ``arrays`` under ``<name>.<part>``."""
    for part in ("keys", "ends", "data", "word_data", "word_ends"):
        if part in field:
            arrays[f"{name}.{part}"] = field[part]


_SKIP_LAYOUT = {**dict.fromkeys(WORD_FIELDS, 1), **dict.fromkeys(GRAM_FIELDS, 2)}
# (as search/_native.c numbers them; character fields have no skip tables)


def skip_arrays(arrays: dict[str, np.ndarray]) -> None:
    """Add each field's skip tables to a segment's ``arrays`` (in C, from the encoded
    postings alone, so a merged file gets the tables a fresh build writes):
    ``<field>.skip_terms`` (the terms whose list has more than :data:`SKIP_MIN_DOCS`
    documents), ``<field>.skip_ends`` (where each one's records end, in records) and
    ``<field>.skips.data`` (the records, :data:`SKIP_RECORD` uint32 each, checked by
    4 KB blocks like postings)."""
    for field, layout in _SKIP_LAYOUT.items():
        if f"{field}.data" not in arrays or f"{field}.skip_terms" in arrays:
            continue
        terms, rec_ends, recs = _native.skip_table(
            np.ascontiguousarray(arrays[f"{field}.data"], dtype=np.uint8),
            np.ascontiguousarray(arrays[f"{field}.ends"], dtype=np.int64), layout,
            BLOCK_DOCS, SKIP_MIN_DOCS)
        arrays[f"{field}.skip_terms"] = np.frombuffer(terms, dtype=np.uint32)
        arrays[f"{field}.skip_ends"] = np.frombuffer(rec_ends, dtype=np.int64).astype(
            np.uint32 if len(recs) < 2**32 else np.uint64)
        arrays[f"{field}.skips.data"] = np.frombuffer(recs, dtype=np.uint8)
    union_df_arrays(arrays)


# The title and body fields whose terms are weighed together (BM25F's one document
# frequency over the title or the body): words with words, bigrams with bigrams.
PAIRS = tuple(zip(fields_of(SOURCES[0])[:2], fields_of(SOURCES[1])[:2], strict=True))


def _counterparts(arrays: dict[str, np.ndarray], field: str, other: str,
                  terms: np.ndarray) -> np.ndarray:
    """For the terms at ``terms`` of ``field``, where the same term is in ``other``'s
    table, or -1 (words: the word itself compared, a hash is not enough)."""
    keys, other_keys = arrays[f"{field}.keys"], arrays[f"{other}.keys"]
    want = keys[terms]
    at = np.searchsorted(other_keys, want)
    out = np.full(len(terms), -1, dtype=np.int64)
    for k in np.flatnonzero(at < len(other_keys)).tolist():
        j = int(at[k])
        while j < len(other_keys) and other_keys[j] == want[k]:
            if field not in WORD_FIELDS or (_word_bytes(arrays, field, int(terms[k]))
                                            == _word_bytes(arrays, other, j)):
                out[k] = j
                break
            j += 1
    return out


def _word_bytes(arrays: dict[str, np.ndarray], field: str, i: int) -> bytes:
    ends = arrays[f"{field}.word_ends"]
    return arrays[f"{field}.word_data"][(int(ends[i - 1]) if i else 0) : int(ends[i])].tobytes()


def union_df_arrays(arrays: dict[str, np.ndarray]) -> None:
    """Add ``<field>.skip_df`` to a segment's ``arrays``: for each term with a skip table
    (``<field>.skip_terms``, aligned), how many of the segment's documents hold it in the
    title or the body (the same word, or bigram, in the other field's table).  A search
    weighs a word by that number without decoding either list; a term with no skip table
    in either field has two short lists, decoded in little time.  Counted in C from the
    encoded lists' docnums (``union_df``; NumPy reference ``union_df_lists_numpy`` in
    ``tests/oracles.py``), when a segment is built and when a merged file is written."""
    for head, text in PAIRS:
        for field, other in ((head, text), (text, head)):
            if f"{field}.skip_df" in arrays or f"{field}.skip_terms" not in arrays:
                continue
            terms = arrays[f"{field}.skip_terms"].astype(np.int64)
            there = _counterparts(arrays, field, other, terms)
            out = np.zeros(len(terms), dtype=np.uint32)
            _native.union_df(
                np.ascontiguousarray(arrays[f"{field}.data"], dtype=np.uint8),
                np.ascontiguousarray(arrays[f"{field}.ends"], dtype=np.int64), terms,
                np.ascontiguousarray(arrays[f"{other}.data"], dtype=np.uint8),
                np.ascontiguousarray(arrays[f"{other}.ends"], dtype=np.int64), there, out)
            arrays[f"{field}.skip_df"] = out


def build(heads: Sequence[str], bodies: Sequence[str]) -> dict[str, np.ndarray]:
    """Every array of a segment's text index; document *i* is ``heads[i]``/``bodies[i]``."""
    arrays: dict[str, np.ndarray] = {}
    for (words_f, grams_f, chars_f), texts in zip(map(fields_of, SOURCES), (heads, bodies),
                                                  strict=True):
        norms = [normalize(t) for t in texts]
        word_field, lengths = _word_field(norms)
        grams, chars = _gram_and_char_fields(["".join(n.split()) for n in norms])
        del norms
        for name, field in ((words_f, word_field), (grams_f, grams), (chars_f, chars)):
            field_arrays(arrays, name, field)
        arrays[f"{words_f}.lengths"] = lengths
    skip_arrays(arrays)
    return arrays


def _segment_of(path: str | os.PathLike) -> str:
    """The segment a ``.usx`` file belongs to: its name without the suffix."""
    name = os.path.basename(str(path))
    return name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name


def write(path: str | os.PathLike, doc_count: int, arrays: dict[str, np.ndarray]) -> None:
    """Write a segment file: magic, header length, JSON header (with each table's
    CRC32C), 8-byte-aligned arrays (each ``.data`` with the CRC32C of each of its
    :data:`BLOCK`-byte blocks in ``.blocks``), and the footer: the length and CRC32C of
    all that, and the CRC32C of the header."""
    arrays = dict(arrays)
    skip_arrays(arrays)
    for name in [n for n in arrays if n.endswith(".data")]:
        arrays[name[: -len(".data")] + ".blocks"] = checksum.block_crcs(arrays[name], BLOCK)
    header: dict = {"format": "usx", "version": VERSION, "segment": _segment_of(path),
                    "docs": doc_count, "block": BLOCK, "arrays": {}}
    offset = 0
    for name, arr in arrays.items():
        arrays[name] = arr = np.ascontiguousarray(arr)
        entry = [offset, arr.dtype.str, len(arr)]
        if not name.endswith(".data"):  # data is checked by blocks, when read
            entry.append(checksum.crc(arr.view(np.uint8)))
        header["arrays"][name] = entry
        offset += (arr.nbytes + 7) // 8 * 8
    head = json.dumps(header).encode("utf-8")
    base = (len(MAGIC) + 4 + len(head) + 7) // 8 * 8
    prefix = MAGIC + len(head).to_bytes(4, "little") + head
    prefix += b"\0" * (base - len(prefix))
    head_crc = body_crc = checksum.crc(prefix)
    tmp = f"{path}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(prefix)
        for arr in arrays.values():
            pad = b"\0" * ((arr.nbytes + 7) // 8 * 8 - arr.nbytes)
            fh.write(arr.view(np.uint8))
            fh.write(pad)
            body_crc = checksum.crc(pad, checksum.crc(arr.view(np.uint8), body_crc))
        fh.write(FOOTER.pack(FOOTER_MAGIC, base + offset, head_crc, body_crc))
    os.replace(tmp, path)


def _within(sizes: np.ndarray) -> np.ndarray:
    """0, 1, … within each group of the given sizes."""
    total = int(sizes.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)


@dataclass
class FieldPostings:
    """Every posting of one field, decoded: a row per (term, document) pair."""

    term: np.ndarray  # index in the field's term table
    doc: np.ndarray  # the segment's docnum
    count: np.ndarray | None  # frequency (words) or occurrences (grams); None for chars
    positions: np.ndarray | None  # grams: every occurrence's position, grouped by pair
    values_per_term: np.ndarray  # numbers each term's postings hold (checks compare it)


def decode_field(data: np.ndarray, ends: np.ndarray, field: str) -> FieldPostings:
    """A whole field's postings (``.data`` and ``.ends``, as in the file) decoded at once,
    in NumPy: merges and ``unionsearch check`` read whole fields by it."""
    ends = np.asarray(ends).astype(np.int64)
    if not len(ends):  # no terms (a key range a segment has nothing in)
        none = None if field in CHAR_FIELDS else EMPTY
        return FieldPostings(EMPTY, EMPTY, none, EMPTY if field in GRAM_FIELDS else None,
                             EMPTY)
    values = varint.decode(data)
    vend = np.cumsum(np.asarray(data) < 0x80)[ends - 1]
    vstart = np.concatenate([[0], vend[:-1]]).astype(np.int64)
    df = values[vstart]
    term = np.repeat(np.arange(len(df), dtype=np.int64), df)
    raw = values[np.repeat(vstart + 1, df) + _within(df)]
    if field in CHAR_FIELDS:
        return FieldPostings(term, cumsum_by(raw, df), None, None, vend - vstart)
    many = raw & 1
    doc = cumsum_by(raw >> 1, df)
    n_many = np.bincount(term, weights=many, minlength=len(df)).astype(np.int64)
    count = np.ones(len(raw), dtype=np.int64)
    count[many.astype(bool)] = values[np.repeat(vstart + 1 + df, n_many) + _within(n_many)]
    positions = None
    if field in GRAM_FIELDS:
        occ = np.bincount(term, weights=count, minlength=len(df)).astype(np.int64)
        deltas = values[np.repeat(vstart + 1 + df + n_many, occ) + _within(occ)]
        positions = cumsum_by(deltas, count)
    return FieldPostings(term, doc, count, positions, vend - vstart)


# --- reading ------------------------------------------------------------------

class SegmentFileError(Exception):
    """A segment's text index is missing or damaged."""


DTYPES = ("<u8", "<u4", "|u1", "<i8", "<i4")  # what the arrays of a file are made of


def _bad_dtype(name: str, dtype: object) -> bool:
    raise ValueError(f"{name} has the type {dtype!r}")


@dataclass
class TermPostings:
    """One term in one segment: local docnums, frequencies (occurrences for grams)
    and, for grams, every position, grouped by document."""

    docs: np.ndarray
    freqs: np.ndarray
    positions: np.ndarray | None = None


class SegmentPostings:
    """Read-only view of a ``.usx`` file, every byte it hands out verified.

    Opening reads the header and every table (keys, ends, words, lengths, block
    checksums) and checks each against its CRC32C, and the file's length
    against its footer: nothing of the file is memory-mapped, so a file cut or copied
    over while a server reads it can fail a read, never the process (a mapped page
    past a cut is a SIGBUS).  Posting data is read with ``pread`` a term at a time and
    the 4 KB blocks it spans are checked before a byte of it is decoded
    (:class:`~search.storage.usx.varint.DamagedPostings` naming the file otherwise); the pages
    stay in the page cache instead of the server's resident memory.  The term tables
    are kept in memory; the per-document ones (:data:`READ_AGAIN`: one number an
    article, read once when a generation's columns are built) are read and checked
    again when asked for, so a process does not hold them beside its columns.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = str(path)
        self._fd = -1
        self._arrays: dict[str, np.ndarray] = {}
        self._data: dict[str, tuple[int, int]] = {}
        self._tables: list[str] = []  # every table's name, in file order
        self._again: dict[str, tuple[int, np.dtype, int, int]] = {}  # READ_AGAIN tables
        try:
            self._fd = os.open(self.path, os.O_RDONLY)
            st = os.fstat(self._fd)
            # Names this file's contents for caches of what is decoded from it: a file
            # written again under the same name (a restore) is another file.
            self.identity = (self.path, st.st_ino, st.st_mtime_ns, st.st_size)
            self._open(st.st_size)
        except (OSError, checksum.ChecksumError) as exc:
            self.close()
            raise SegmentFileError(f"{self.path}: {exc}") from exc
        except SegmentFileError:
            self.close()
            raise

    def _read(self, n: int, at: int) -> bytes:
        raw = os.pread(self._fd, n, at)
        if len(raw) != n:
            raise SegmentFileError(f"{self.path} is damaged: cut short at byte {at + len(raw)}")
        return raw

    def _open(self, size: int) -> None:
        first = self._read(8, 0) if size >= 8 else b""
        if first[:3] != MAGIC[:3]:
            raise SegmentFileError(f"{self.path} is not a unionsearch segment file")
        if first[:4] != MAGIC:
            raise SegmentFileError(
                f"{self.path} was written by another version of unionsearch ({first[:4]!r}, "
                f"this one reads {MAGIC!r}, with checksums): rebuild the index")
        if size < 8 + FOOTER.size:
            raise SegmentFileError(f"{self.path} is damaged: cut short ({size} bytes)")
        magic, length, head_crc, self.checksum = FOOTER.unpack(
            self._read(FOOTER.size, size - FOOTER.size))
        if magic != FOOTER_MAGIC:
            raise SegmentFileError(f"{self.path} is damaged: no footer (cut or written over)")
        if length != size - FOOTER.size:
            raise SegmentFileError(f"{self.path} is damaged: {size} bytes, its footer says "
                                   f"{length + FOOTER.size} (cut or appended to)")
        hlen = int.from_bytes(first[4:8], "little")
        base = (8 + hlen + 7) // 8 * 8
        if base > length:
            raise SegmentFileError(f"{self.path} is damaged: its header runs past the end")
        prefix = self._read(base, 0)
        if checksum.crc(prefix) != head_crc:
            raise SegmentFileError(f"{self.path} is damaged: the header's checksum does not "
                                   "match")
        try:
            header = json.loads(prefix[8 : 8 + hlen].decode("utf-8"))
            if header["format"] != "usx" or header["version"] != VERSION:
                raise ValueError(f"format {header['format']!r} {header['version']!r}")
            if header["segment"] != _segment_of(self.path):
                raise ValueError(f"it is the file of segment {header['segment']!r}")
            self.doc_count = int(header["docs"])
            self.block = int(header["block"])
            entries = {name: (int(offset), np.dtype(dtype), int(count), crc)
                       for name, (offset, dtype, count, *crc) in header["arrays"].items()
                       if dtype in DTYPES or _bad_dtype(name, dtype)}
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise SegmentFileError(f"{self.path} is damaged: {exc}") from exc
        for name, (offset, dtype, count, crc) in entries.items():
            at, nbytes = base + offset, count * dtype.itemsize
            if offset < 0 or count < 0 or at + nbytes > length:
                raise SegmentFileError(f"{self.path} is damaged: {name} runs past the end")
            if name.endswith(".data"):
                self._data[name[: -len(".data")]] = (at, count, None)
                continue
            raw = self._read(nbytes, at)
            if not crc or checksum.crc(raw) != crc[0]:
                raise SegmentFileError(f"{self.path} is damaged: the checksum of {name} "
                                       "does not match")
            self._tables.append(name)
            if name.rsplit(".", 1)[-1] in READ_AGAIN:
                self._again[name] = (at, dtype, count, crc[0])
                continue
            self._arrays[name] = np.frombuffer(raw, dtype=dtype)
        self._check_tables()
        self._data = {field: (at, count, self._arrays[f"{field}.blocks"])
                      for field, (at, count, _) in self._data.items()}

    def _check_tables(self) -> None:
        """What reads rely on, in tables whose checksums matched (a file crafted with
        right checksums must still not send a read past its data)."""
        fields = WORD_FIELDS + GRAM_FIELDS + CHAR_FIELDS
        skipping = tuple(_SKIP_LAYOUT)
        want = {f"{f}.{p}" for f in fields for p in ("keys", "ends", "blocks")} | {
            f"{f}.{p}" for f in skipping
            for p in ("skip_terms", "skip_ends", "skip_df", "skips.blocks")}
        missing = want - set(self._arrays) | {
            f"{f}.data" for f in fields + tuple(f"{f}.skips" for f in skipping)} - {
            f"{f}.data" for f in self._data}
        if missing:
            raise SegmentFileError(f"{self.path} is damaged: no {', '.join(sorted(missing))}")
        for field in skipping:
            terms = self._arrays[f"{field}.skip_terms"]
            ends = self._arrays[f"{field}.skip_ends"]
            n_recs = self._data[f"{field}.skips"][1] // (4 * SKIP_RECORD)
            if (len(terms) != len(ends) or len(terms) != len(self._arrays[f"{field}.skip_df"])
                    or self._data[f"{field}.skips"][1] % (4 * SKIP_RECORD)
                    or (len(terms) and (int(terms[-1]) >= len(self._arrays[f"{field}.keys"])
                                        or np.any(terms[1:] <= terms[:-1])
                                        or int(ends[0]) < 1 or int(ends[-1]) != n_recs
                                        or np.any(ends[1:] <= ends[:-1])))
                    or (not len(terms) and n_recs)):
                raise SegmentFileError(f"{self.path} is damaged: the skip table of {field} "
                                       "is out of order")
        for field, (_, length, _) in self._data.items():
            if field.endswith(".skips"):
                continue
            keys, ends = self._arrays[f"{field}.keys"], self._arrays[f"{field}.ends"]
            blocks = self._arrays[f"{field}.blocks"]
            if (len(keys) != len(ends) or len(blocks) != (length + self.block - 1) // self.block
                    or (len(ends) and (int(ends[-1]) != length or int(ends[0]) < 1
                                       or np.any(ends[1:] <= ends[:-1])))
                    or np.any(keys[1:] < keys[:-1])):
                raise SegmentFileError(f"{self.path} is damaged: the term table of {field} "
                                       "is out of order")

    def data(self, field: str, start: int, stop: int) -> np.ndarray:
        """Bytes ``[start, stop)`` of a field's posting data, read and checked against
        the checksums of the blocks they span; raises
        :class:`~search.storage.usx.varint.DamagedPostings` naming the file."""
        at, length, blocks = self._data[field]
        if not 0 <= start <= stop <= length:
            raise varint.DamagedPostings(f"damaged postings: bytes {start}-{stop} of {field} "
                                         f"are outside {self.path}")
        if start == stop:
            return np.zeros(0, dtype=np.uint8)
        b = self.block
        raw = self.read_blocks(field, start // b, (stop - 1) // b)
        return np.frombuffer(raw, dtype=np.uint8, count=stop - start,
                             offset=start - start // b * b)

    def read_blocks(self, field: str, first: int, last: int) -> bytes:
        """Checksum blocks ``first`` to ``last`` (inclusive) of a field's posting data,
        read in one ``pread`` and each checked against its CRC32C: the bytes from
        ``first * block`` (the last block may be shorter).  Raises
        :class:`~search.storage.usx.varint.DamagedPostings` naming the file."""
        at, length, blocks = self._data[field]
        b = self.block
        lo = first * b
        hi = min((last + 1) * b, length)
        if not 0 <= first <= last or hi <= lo:
            raise varint.DamagedPostings(f"damaged postings: blocks {first}-{last} of "
                                         f"{field} are outside {self.path}")
        raw = os.pread(self._fd, hi - lo, at + lo)
        if len(raw) != hi - lo:
            raise varint.DamagedPostings(f"damaged postings: {self.path} is cut short")
        if first == last:  # most lists: one block
            if _crc32c(raw) != blocks[first]:
                raise self._block_damaged(field, first)
        else:
            view = memoryview(raw)
            for k, want in enumerate(blocks[first : last + 1].tolist()):
                if _crc32c(view[k * b : (k + 1) * b]) != want:
                    raise self._block_damaged(field, first + k)
        return raw

    def _block_damaged(self, field: str, block: int) -> varint.DamagedPostings:
        return varint.DamagedPostings(f"damaged postings: the checksum of block {block} of "
                                      f"{field} in {self.path} does not match")

    def verify(self) -> None:
        """Check every byte of the file against its footer and every data block against
        its checksum (``unionsearch check``); raises :class:`SegmentFileError`."""
        size = os.fstat(self._fd).st_size
        _, length, _, body_crc = FOOTER.unpack(self._read(FOOTER.size, size - FOOTER.size))
        try:
            whole = checksum.fd_crc(self._fd, 0, length)
        except checksum.ChecksumError as exc:
            raise SegmentFileError(f"{self.path} {exc}") from None
        if whole != body_crc:
            raise SegmentFileError(f"{self.path} is damaged: its checksum does not match")
        for field, (_, length, _) in self._data.items():
            try:
                self.data(field, 0, length)
            except varint.DamagedPostings as exc:
                raise SegmentFileError(str(exc)) from None

    def names(self) -> list[str]:
        """The names of every array in the file (tables, then data), in file order."""
        return list(self._tables) + [f"{field}.data" for field in self._data]

    def array(self, name: str) -> np.ndarray:
        """One array of the file by name (``text_g.keys``), read-only; a ``.data`` array
        and a :data:`READ_AGAIN` table are read (and checked) whole."""
        if name.endswith(".data"):
            field = name[: -len(".data")]
            return self.data(field, 0, self._data[field][1])
        if name in self._again:
            return self._read_again(name)
        return self._arrays[name]

    def _read_again(self, name: str) -> np.ndarray:
        at, dtype, count, crc = self._again[name]
        try:
            raw = self._read(count * dtype.itemsize, at)
        except OSError as exc:
            raise varint.DamagedPostings(f"damaged postings: {self.path}: {exc}") from None
        except SegmentFileError as exc:
            raise varint.DamagedPostings(f"damaged postings: {exc}") from None
        if checksum.crc(raw) != crc:
            raise varint.DamagedPostings(f"damaged postings: the checksum of {name} in "
                                         f"{self.path} does not match")
        return np.frombuffer(raw, dtype=dtype)

    def words(self, word_field: str) -> list[str]:
        """The words of a word field's table, in table order (for merging)."""
        ends = self._arrays[f"{word_field}.word_ends"].astype(np.int64)
        blob = self._arrays[f"{word_field}.word_data"].tobytes()
        starts = np.concatenate([[0], ends])[:-1].astype(np.int64)
        return [blob[a:b].decode("utf-8") for a, b in zip(starts.tolist(), ends.tolist(),
                                                            strict=True)]

    def posting_sizes(self, field: str) -> np.ndarray:
        """Bytes of each term's encoded postings, in table order: a cheap estimate of how
        often the term occurs (did-you-mean and suggestions weigh terms by it)."""
        ends = self._arrays[f"{field}.ends"].astype(np.int64)
        return np.diff(ends, prepend=0)

    def term_index(self, field: str, text: str) -> int:
        """Where ``text`` is in a field's term table, or -1."""
        return self.find(field, term_key(field, text), text)

    def find(self, field: str, key: int, text: str) -> int:
        """:meth:`term_index` with the key already made (:func:`term_key`): a search
        makes it once for all segments (a word's key is a hash)."""
        return self._find(field, key, text if field in WORD_FIELDS else None)

    def place(self, field: str, key: int, text: str) -> tuple[int, int, int, int, int, int] | None:
        """Where a term is in this file, in one call: ``(term index, first and last+1 byte
        of its list, of its skip records, its title-or-body document count)``; the skip
        records ``(0, 0)`` and the count -1 for a list without a skip table (as
        :meth:`skips` and :meth:`union_df` answer); None where the file does not hold
        the term.  Read from the tables checked when the file opened; nothing of the
        postings is read.  The reference of ``_native.place_across``, which a search
        asks (every segment in one call)."""
        i = self._find(field, key, text if field in WORD_FIELDS else None)
        if i < 0:
            return None
        start, stop = self._extent(field, i)
        terms = self._arrays.get(f"{field}.skip_terms")
        if terms is not None:
            k = int(terms.searchsorted(i))
            if k < len(terms) and int(terms[k]) == i:
                ends = self._arrays[f"{field}.skip_ends"]
                size = 4 * SKIP_RECORD
                return (i, start, stop, (int(ends[k - 1]) if k else 0) * size,
                        int(ends[k]) * size, int(self._arrays[f"{field}.skip_df"][k]))
        return (i, start, stop, 0, 0, -1)

    def term_tables(self, field: str) -> tuple:
        """A field's term tables as ``_native.place_across`` reads them: ``(keys, ends,
        word_ends, word_data, skip_terms, skip_ends, skip_df)``, None for those the field
        has not (the arrays themselves, checked when the file opened)."""
        a = self._arrays
        return (a[f"{field}.keys"], a[f"{field}.ends"], a.get(f"{field}.word_ends"),
                a.get(f"{field}.word_data"), a.get(f"{field}.skip_terms"),
                a.get(f"{field}.skip_ends"), a.get(f"{field}.skip_df"))

    def prefetch_bytes(self, field: str, start: int, stop: int) -> None:
        """:meth:`prefetch` of bytes ``[start, stop)`` of a field's posting data."""
        os.posix_fadvise(self._fd, self._data[field][0] + start, stop - start,
                         os.POSIX_FADV_WILLNEED)

    def lengths(self, word_field: str) -> np.ndarray:
        """Words per document in a word field (BM25F's document length), read and
        checked (raises :class:`~search.storage.usx.varint.DamagedPostings`)."""
        return self.array(f"{word_field}.lengths")

    def _find(self, field: str, key: int, word: str | None) -> int:
        keys = self._arrays[f"{field}.keys"]
        i = int(keys.searchsorted(np.uint64(key)))
        while i < len(keys) and int(keys[i]) == key:
            if word is None or self._word_at(field, i) == word:
                return i
            i += 1
        return -1

    def _word_at(self, field: str, i: int) -> str:
        ends = self._arrays[f"{field}.word_ends"]
        start = int(ends[i - 1]) if i else 0
        return self._arrays[f"{field}.word_data"][start : int(ends[i])].tobytes().decode(
            "utf-8", "replace")

    def _extent(self, field: str, i: int) -> tuple[int, int]:
        ends = self._arrays[f"{field}.ends"]
        return (int(ends[i - 1]) if i else 0), int(ends[i])

    def skips(self, field: str, i: int) -> np.ndarray:
        """The skip records of the term at ``i`` (uint32, :data:`SKIP_RECORD` a block),
        read and checked; empty for a list of at most :data:`SKIP_MIN_DOCS` documents
        and in a character field."""
        terms = self._arrays.get(f"{field}.skip_terms")
        if terms is None:
            return _NO_SKIPS
        k = int(np.searchsorted(terms, i))
        if k == len(terms) or int(terms[k]) != i:
            return _NO_SKIPS
        ends = self._arrays[f"{field}.skip_ends"]
        start = int(ends[k - 1]) if k else 0
        size = 4 * SKIP_RECORD
        return self.data(f"{field}.skips", start * size, int(ends[k]) * size).view("<u4")

    def union_df(self, field: str, i: int) -> int:
        """How many documents hold the term at ``i`` in the title or the body (the
        same term in the other field of :data:`PAIRS`), as written with its skip
        table; -1 for a term without one (both its lists are short)."""
        terms = self._arrays.get(f"{field}.skip_terms")
        if terms is None:
            return -1
        k = int(np.searchsorted(terms, i))
        if k == len(terms) or int(terms[k]) != i:
            return -1
        return int(self._arrays[f"{field}.skip_df"][k])

    def prefetch(self, field: str, i: int) -> None:
        """Ask the kernel to start reading the postings of the term at ``i`` (a read of
        them follows): a search asks for a term's lists in every segment first, so
        the disk reads of pages not in the page cache overlap instead of queueing."""
        start, stop = self._extent(field, i)
        os.posix_fadvise(self._fd, self._data[field][0] + start, stop - start,
                         os.POSIX_FADV_WILLNEED)

    def encoded(self, field: str, i: int) -> np.ndarray:
        """The encoded postings of the term at ``i`` of a field's table (see
        :meth:`term_index`), read and checked (:meth:`data`)."""
        return self.data(field, *self._extent(field, i))

    def doc_frequency(self, field: str, i: int) -> int:
        """How many documents hold the term at ``i`` (the first number of its postings,
        read alone: a few bytes, not the list)."""
        start, stop = self._extent(field, i)
        head = self.data(field, start, min(stop, start + 10))
        df = 0
        for k, byte in enumerate(head.tolist()):  # one LEB128 varint (the next may follow)
            df |= (byte & 0x7F) << (7 * k)
            if byte < 0x80:
                break
        return df

    def term(self, field: str, text: str) -> TermPostings | None:
        """Postings of ``text`` (a word, a bigram or a character, by field), decoded on
        their own (the reference :mod:`search.storage.usx.across` is tested against).  Raises
        :class:`~search.storage.usx.varint.DamagedPostings`, naming this file, for a list that
        is not one."""
        i = self.term_index(field, text)
        if i < 0:
            return None
        try:
            tp = self._term_at(field, i)
        except (IndexError, ValueError) as exc:
            tp = None
            problem = str(exc)
        else:
            docs = tp.docs
            problem = "" if len(docs) and docs[0] >= 0 and docs[-1] < self.doc_count and (
                len(docs) < 2 or np.diff(docs).min() >= 1) else "docnums out of range"
        if tp is None or problem:
            raise varint.DamagedPostings(f"damaged postings: {problem} (field {field} in "
                                         f"{self.path})")
        return tp

    def _term_at(self, field: str, i: int) -> TermPostings:
        values = varint.decode(self.encoded(field, i))
        df = int(values[0])
        if field in CHAR_FIELDS:
            return TermPostings(np.cumsum(values[1 : 1 + df]), np.ones(df, dtype=np.float64))
        flagged = values[1 : 1 + df]
        docs = np.cumsum(flagged >> 1)
        many = (flagged & 1).astype(bool)
        n_many = int(many.sum())
        counts = np.ones(df, dtype=np.int64)
        counts[many] = values[1 + df : 1 + df + n_many]
        if field in WORD_FIELDS:
            return TermPostings(docs, counts.astype(np.float64))
        deltas = values[1 + df + n_many :]
        running = np.cumsum(deltas)
        first = np.cumsum(counts) - counts  # index of each document's first position
        base = running[first] - deltas[first]
        positions = running - np.repeat(base, counts)
        return TermPostings(docs, counts.astype(np.float64), positions)

    def close(self) -> None:
        """Close the file (arrays already handed out stay valid)."""
        self._arrays = {}
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    __del__ = close


def segment_path(folder: str | os.PathLike, segment_id: str) -> str:
    """Where a segment's ``.usx`` file is: beside its Whoosh files, named after it."""
    return os.path.join(str(folder), segment_id + SUFFIX)
