"""Everything this project uses of Whoosh, and the only module that imports it.

Whoosh (2.7.4, frozen since 2016) keeps each article's stored fields, the ids,
reporters and dates, and the list of segments of each generation (its TOC).
The title and body postings are not Whoosh's: they live in each segment's
``.usx`` file (:mod:`search.usx`), and :mod:`search.segments` keeps the two
files of a segment together.  Pinning Whoosh exactly is what makes relying on
the internals below safe; upgrading it means re-checking this list.

=======================================  ==============================================
Whoosh internal relied on                why
=======================================  ==============================================
``whoosh3.W3PostingsWriter``,            subclassed by :class:`FastCodec`: inlined
``W3FieldWriter``, ``W3Codec``           short posting lists, zlib only where it pays,
(``_ids``, ``_weights``, ``_values``,    no field-length lookups for unscored fields
``_write_block``, ``_terminfo`` …)       (import 2-3× faster; same bytes format)
``SegmentWriter(_lk=False)``,            a worker process builds a segment in its own
``_finalize_segment``, ``_finish``       staging index without the index's lock
``writer._close_segment``,               commit a generation made of segments built
``writer._commit_toc``                   elsewhere (Whoosh's merge would drop ``.usx``)
``writer.newsegment``, ``generation``,   remove what a failed commit wrote
``_tempstorage``, ``writelock``
``TOC._segment_pattern``, ``TOC.read``   which files belong to which segment, and the
                                         segments of the committed generation
``reader._terms`` (``term_info``,        a reporter's whole posting list as one array
``matcher``), ``W3LeafMatcher``          (a block at a time, not a posting per call)
(``_read_data``, ``_data``,
``_lastblock``, ``_goto``,
``_nextoffset``), ``TermNotFound``
``reader._perdoc`` (``has_column``,      the day column of a segment in one read;
``_get_column_file``,                    stored fields opened with the generation
``_cached_reader``,
``column_type._typecode``)
``whoosh3.STORED_COLUMN`` (replaced),    stored fields compressed against a shared
``CompressedBytesColumn`` (``Writer.     dictionary (:mod:`search.storedzip`), and
_compress``, ``Reader._decompress``),    copied by merges as compressed bytes
``VarBytesColumn``, ``_child``,
``perdocwriter._get_column``
module-level ``loads``/``load`` of       replaced by :func:`restricted_loads` /
``whoosh.index`` (``pickle``),           :func:`restricted_load`: Whoosh's table of
``filedb.structfile``, ``codec.whoosh3``, contents, posting block headers, inlined
``columns``, ``formats``,                postings and stored fields are pickles, and
``externalsort``; ``legacy.toc_loaders`` a pickle from a crafted folder could run
(emptied)                                code (see "Pickles" below)
=======================================  ==============================================

Pickles: every pickle Whoosh reads goes through :class:`IndexUnpickler`, whose
``find_class`` hands out only the classes and functions :data:`ALLOWED` lists (what
an index written by this code holds: the schema's field, format, analyzer and column
classes, the segment and codec, ``int``/``bytes``/``set``; ``_codecs.encode`` only
for Latin-1, as protocol 2 writes bytes).  Anything else (``os.system``, ``eval``,
``subprocess``, ``builtins.open`` …) raises :class:`UntrustedData` before it is
called, so a crafted table of contents, column or posting file is refused as
damaged, never run.  Old Whoosh TOC formats (their loaders unpickle by other paths)
are refused too.

Public Whoosh API used: ``index.create_in``/``exists_in``/``open_dir``,
``FileStorage``, ``fields``, ``SegmentReader``, ``LockError``, searchers and
readers (``leaf_readers``, ``stored_fields``, ``lexicon``, ``postings``).
"""

from __future__ import annotations

import _compat_pickle
import collections
import io
import pickle
import re
import time
import types
import zlib
from contextlib import suppress
from pickle import dumps

import numpy as np
from whoosh import columns, externalsort, fields, formats, legacy
from whoosh import index as windex
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3LeafMatcher, W3Segment
from whoosh.filedb import structfile
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex, LockError
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.searching import Searcher
from whoosh.system import emptybytes
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from . import schema as f
from . import storedzip

Segment = W3Segment  # one segment of a generation (its id, counts, deletions)

__all__ = ["ALLOWED", "FileIndex", "IndexUnpickler", "LockError", "Searcher", "Segment",
           "SegmentReader", "SegmentWriter", "UntrustedData", "restricted_load",
           "restricted_loads"]

INDEX_NAME = "articles"  # Whoosh's name for the index inside the folder (its file names)
WRITER_MB = 128  # Whoosh's own pool holds only ids, reporters and dates (~10 postings an article)
INLINE_LIMIT = 8
COMPRESS_MIN_BYTES = 96


# --- pickles: only the classes an index holds --------------------------------------

class UntrustedData(pickle.UnpicklingError):
    """An index file's pickle asks for something no index written here holds: the
    file is damaged or was crafted.  Nothing it names has been called."""


def _latin1_encode(text: str, encoding: str = "latin1", errors: str = "strict") -> bytes:
    """``_codecs.encode`` as protocol 2 uses it (bytes written as Latin-1 text), only."""
    if encoding.replace("-", "").replace("_", "").lower() != "latin1" or not isinstance(
            text, str):
        raise UntrustedData(f"damaged or untrusted index data: _codecs.encode with "
                            f"{encoding!r}")
    return text.encode("latin-1", errors)


# What the pickles of an index written by this code hold (found by reading Whoosh's
# index.py, codec/whoosh3.py, columns.py, fields.py, formats.py and by recording every
# class a real index's pickles asked for while being imported, merged, checked and
# searched: tests/test_untrusted.py pins that the list is enough and that it is needed).
ALLOWED: dict[tuple[str, str], object] = {
    ("builtins", "int"): int,  # NUMERIC's type; Python 2's "long" is mapped to it
    ("builtins", "bytes"): bytes,
    ("builtins", "set"): set,  # a segment's deletions
    ("builtins", "frozenset"): frozenset,
    ("_codecs", "encode"): _latin1_encode,  # bytes in protocol 2
    ("collections", "defaultdict"): collections.defaultdict,
    ("re", "_compile"): re.compile,  # a tokenizer's pattern: compiling one runs no code
}
_ALLOWED_MODULES = {
    "whoosh.fields": ("Schema", "ID", "KEYWORD", "NUMERIC", "STORED"),
    "whoosh.formats": ("Existence", "Frequency"),
    "whoosh.analysis.analyzers": ("CompositeAnalyzer",),
    "whoosh.analysis.tokenizers": ("IDTokenizer", "RegexTokenizer"),
    "whoosh.analysis.filters": ("StripFilter",),
    "whoosh.columns": ("NumericColumn",),
    "whoosh.codec.whoosh3": ("W3Segment", "W3Codec"),
    __name__: ("FastCodec",),
}


class IndexUnpickler(pickle.Unpickler):
    """An unpickler that builds only what :data:`ALLOWED` lists (see the module
    docstring): everything else raises :class:`UntrustedData` unresolved."""

    def find_class(self, module: str, name: str):  # noqa: ANN201 - pickle's contract
        """The allowed class or function ``module.name``; raises for any other."""
        if (module, name) in _compat_pickle.NAME_MAPPING:  # Python 2 names (protocol 2)
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        module = _compat_pickle.IMPORT_MAPPING.get(module, module)
        found = ALLOWED.get((module, name))
        if found is not None:
            return found
        if name in _ALLOWED_MODULES.get(module, ()):
            return super().find_class(module, name)
        raise UntrustedData(f"damaged or untrusted index data: a pickle asks for "
                            f"{module}.{name}, which no index file holds")


def restricted_loads(data: bytes, *args, **kwargs) -> object:  # noqa: ANN002, ANN003
    """``pickle.loads`` through :class:`IndexUnpickler`."""
    return IndexUnpickler(io.BytesIO(data), **kwargs).load()


def restricted_load(file, *args, **kwargs) -> object:  # noqa: ANN001, ANN002, ANN003
    """``pickle.load`` through :class:`IndexUnpickler`."""
    return IndexUnpickler(file, **kwargs).load()


def _install_restricted_unpickling() -> None:
    """Point every module-level ``loads``/``load`` Whoosh reads index files with at the
    restricted ones (each module looks its name up at each call, so this covers every
    reader in this process), and refuse Whoosh's pre-2.x TOC formats, whose loader
    unpickles with a class-renaming unpickler of its own."""
    shim = types.SimpleNamespace(**{k: getattr(pickle, k) for k in dir(pickle)
                                    if not k.startswith("__")})
    shim.loads, shim.load, shim.Unpickler = restricted_loads, restricted_load, IndexUnpickler
    windex.pickle = shim
    structfile.load_pickle = restricted_load
    externalsort.load = restricted_load
    for module in (whoosh3, columns, formats):
        module.loads = restricted_loads
    legacy.toc_loaders.clear()


_install_restricted_unpickling()


# --- the schema -----------------------------------------------------------------

class _StoredColumn(columns.CompressedBytesColumn):
    """Whoosh's stored-fields column, each article deflated against a shared dictionary
    (:mod:`search.storedzip`: ~11% smaller, still one article per read)."""

    def writer(self, dbfile):
        w = super().writer(dbfile)
        w._compress = storedzip.compress
        return w

    def reader(self, dbfile, basepos, length, doccount):
        r = super().reader(dbfile, basepos, length, doccount)
        r._decompress = storedzip.decompress
        return r


# Read by Whoosh's per-document writer and reader at each use, so replacing it here
# covers every segment written or read by this process.
whoosh3.STORED_COLUMN = columns.PickleColumn(_StoredColumn(storedzip.LEVEL))


def build_schema() -> fields.Schema:
    """Whoosh's part of :mod:`search.schema`: stored fields, the id, reporters, the day,
    the paper and when the article was imported.

    A segment may lack ``paper`` and ``added`` (an index may hold segments written by
    code without them): its articles read as of no named paper, imported at an unknown
    time (0).
    """
    stored = {name: fields.STORED() for name in f.STORED}
    return fields.Schema(
        **stored,
        id=fields.ID(stored=True, unique=True),
        reporter=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        day=fields.NUMERIC(int, bits=32, signed=False, sortable=True),
        paper=fields.ID(stored=True),
        added=fields.NUMERIC(int, bits=32, signed=False, sortable=True, stored=True,
                             shift_step=32),
    )


# --- folders, indexes and generations ---------------------------------------------

def exists_in(path: str) -> bool:
    """Whether ``path`` holds a committed index (a TOC)."""
    return windex.exists_in(path, indexname=INDEX_NAME)


def create_in(path: str) -> FileIndex:
    """A new empty index in ``path``: a generation-0 TOC with no segments."""
    return windex.create_in(path, build_schema(), indexname=INDEX_NAME)


def open_in(path: str) -> FileIndex:
    """The index in ``path``, its files read with plain reads, not mmap: resident memory
    then counts what the engine holds.  (The ``.usx`` postings are mapped: a query reads
    a few slices of them, and the kernel shares and evicts those pages.)"""
    return FileStorage(path, supports_mmap=False).open_index(INDEX_NAME)


def committed_segments(index: FileIndex) -> list:
    """The Whoosh segments of the last committed generation, read from its TOC now."""
    return TOC.read(index.storage, INDEX_NAME).segments


_SEGMENT_FILE = TOC._segment_pattern(INDEX_NAME)
_TOC_TEMP = re.compile(rf"^_{re.escape(INDEX_NAME)}_[0-9]+\.toc\..+$")


def segment_id_of(filename: str) -> str | None:
    """The segment a file of the index folder belongs to, if it is a segment file."""
    m = _SEGMENT_FILE.match(filename)
    return m.group(1) if m else None


_TOC = re.compile(rf"^_{re.escape(INDEX_NAME)}_[0-9]+\.toc$")


def is_toc(filename: str) -> bool:
    """A generation's table of contents (``_articles_<gen>.toc``)."""
    return bool(_TOC.match(filename))


def is_toc_temp(filename: str) -> bool:
    """A TOC being written (``_articles_<gen>.toc.<random>``), left by a failed commit."""
    return bool(_TOC_TEMP.match(filename))


def toc_name(generation: int) -> str:
    """The file name of a generation's table of contents."""
    return f"_{INDEX_NAME}_{generation}.toc"


# --- writing ----------------------------------------------------------------------

def staging_segment_writer(staging: FileIndex) -> SegmentWriter:
    """A writer for one new segment in a process's own staging index, taking no lock.

    Separate files per segment, not one compound file: the searcher reads them with
    plain file reads instead of Whoosh's Python sub-file layer."""
    return SegmentWriter(staging, _lk=False, limitmb=WRITER_MB, codec=FastCodec(),
                         compound=False)


def finish_segment(writer: SegmentWriter) -> Segment:
    """Write out the documents added to ``writer``; its Whoosh segment (not committed)."""
    try:
        return writer._finalize_segment()
    finally:
        writer._finish()


def index_writer(index: FileIndex) -> SegmentWriter:
    """A writer for a new generation, holding Whoosh's write lock (raises LockError).

    It carries this code's schema, which the generation's table of contents is written
    with and merges read segments by: an index whose table of contents lacks a field
    (``paper``, ``added``) takes new segments holding it without a rebuild, its other
    segments simply lacking the field."""
    writer = index.writer(limitmb=WRITER_MB, codec=FastCodec(), compound=False)
    writer.schema = build_schema()
    return writer


def commit_segments(writer: SegmentWriter, segments: list) -> None:
    """Commit a generation made of exactly ``segments`` (the writer's own stays empty)."""
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()


def wait_for_writer(index: FileIndex) -> SegmentWriter:
    """:func:`index_writer`, waiting while a writer outside the import lock holds Whoosh's."""
    while True:
        try:
            return index_writer(index)
        except LockError:
            time.sleep(0.1)


def close_failed(writer: SegmentWriter) -> None:
    """Close a failed writer's files (its lock stays held); their errors are not the one
    to report."""
    for close in (writer._close_segment, writer._tempstorage.destroy):
        with suppress(Exception):
            close()


def release(writer: SegmentWriter) -> None:
    """Release a failed writer's lock once.  (``cancel`` and then ``_finish`` released it
    twice, and "Lock was not acquired" hid the real error.)"""
    if writer.writelock and getattr(writer.writelock, "fd", None) is not None:
        writer.writelock.release()
    writer.is_closed = True


def new_segment_id(writer: SegmentWriter) -> str:
    """The id of the (empty) segment a generation writer made for itself."""
    return writer.newsegment.segment_id()


def merge_into(staging: FileIndex, source: FileIndex | SegmentWriter,
               segments: list) -> Segment:
    """One new segment in ``staging`` holding the live documents of ``segments`` (of the
    index ``source`` is, or writes), in order: stored fields, ids, reporters and days.

    Whoosh's ``add_reader`` does this, but asks for every field's length of every
    document, each ask a ``stat`` of a column file: 24,000 calls, 0.8 of its 2.1 s for
    2,000 articles.  No field of :func:`build_schema` is scored, so there are no
    lengths to copy; the stored fields and the day column are copied here, the
    postings (ids, reporters, day terms) through Whoosh's pool as ``add_reader`` does.
    """
    new = staging_segment_writer(staging)
    for segment in segments:
        reader = SegmentReader(source.storage, build_schema(), segment)
        try:
            _copy_reader(new, reader)
        finally:
            reader.close()
    return finish_segment(new)


def _copy_reader(new: SegmentWriter, reader: SegmentReader) -> None:
    """``new.add_reader(reader)`` without field lengths (see :func:`merge_into`), each
    article's stored fields copied as the compressed bytes they are (unpacking and
    packing them again is the larger part of a merge's time)."""
    schema = new.schema
    if any(schema[name].scorable for name in schema.names()):
        new.add_reader(reader)  # a scored field: Whoosh's own copy, lengths included
        return
    base = new.docnum
    docmap: dict[int, int] | None = {} if reader.has_deletions() else None
    types = {name: schema[name].column_type for name in schema.names()
             if schema[name].column_type and reader.has_column(name)}
    readers = {name: reader.column_reader(name, ctype) for name, ctype in types.items()}
    readers = {name: getattr(r, "raw_column", lambda r=r: r)() for name, r in readers.items()}
    stored_in = reader._perdoc._cached_reader("_stored", whoosh3.STORED_COLUMN)
    packed = (lambda docnum: b"") if stored_in is None else (
        lambda docnum: columns.VarBytesColumn.Reader.__getitem__(stored_in._child, docnum))
    pdw = new.perdocwriter
    stored_out = pdw._get_column("_stored")._child  # the compressed-bytes writer
    for docnum in reader.all_doc_ids():
        if docmap is not None:
            docmap[docnum] = new.docnum
        pdw.start_doc(new.docnum)
        value = packed(docnum)
        if value:
            columns.VarBytesColumn.Writer.add(stored_out, new.docnum, value)
        for name, column in readers.items():
            pdw.add_column_value(name, types[name], column[docnum])
        pdw.finish_doc()
        new.docnum += 1
    new.add_postings_to_pool(reader, base, docmap)
    new._added = True


def live_mask(segment: Segment) -> np.ndarray:
    """Which of a segment's documents are live (deletions of the writer's generation
    included)."""
    keep = np.ones(segment.doc_count_all(), dtype=bool)
    deleted = [d for d in segment.deleted_docs() if d < len(keep)]
    if deleted:
        keep[np.asarray(deleted, dtype=np.int64)] = False
    return keep


# --- reading ----------------------------------------------------------------------

def leaf_docs(seg_reader: SegmentReader, fieldname: str, btext: bytes) -> np.ndarray | None:
    """Docnums of one term in one segment, deletions included, a block at a time
    (Whoosh's matchers hand out one posting per several Python calls)."""
    terms = seg_reader._terms
    try:
        info = terms.term_info(fieldname, btext)
    except TermNotFound:
        return None
    if info.is_inlined():
        return np.asarray(info.inlined_postings()[0], dtype=np.int64)
    m = terms.matcher(fieldname, btext, seg_reader.schema[fieldname].format)
    assert isinstance(m, W3LeafMatcher)
    parts = []
    while True:
        m._read_data()
        parts.append(np.cumsum(np.asarray(m._data[0], dtype=np.int64)))
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    return np.concatenate(parts)


def open_stored(searcher: Searcher) -> None:
    """Open every segment's stored-fields column now, not at the first article read.

    Whoosh opens a column file at first use, and one deleted by then (its segment
    merged away by an import's next commit) reads as "no column": ``stored_fields``
    failed with a TypeError on every search showing that segment's articles until
    the searcher was replaced (found by the one-writer-many-readers test, 2,000
    articles).  An open file outlives its deletion; raises ``FileNotFoundError``
    when one is already gone, so a newer generation is opened instead.
    """
    for reader, _ in searcher.reader().leaf_readers():
        if reader.segment() is None or not reader.doc_count_all():
            continue
        if reader._perdoc._cached_reader("_stored", whoosh3.STORED_COLUMN) is None:
            raise FileNotFoundError(
                f"segment {reader.segment().segment_id()}: its stored fields are gone")


def numeric_column(seg_reader: SegmentReader, colname: str) -> np.ndarray | None:
    """A fixed-width numeric column of one segment in one read (0 where never written)."""
    perdoc = seg_reader._perdoc
    if not perdoc.has_column(colname):
        return None
    n = seg_reader.doc_count_all()
    dtype = np.dtype(">" + seg_reader.schema[colname].column_type._typecode)
    colfile, offset, length = perdoc._get_column_file(colname)
    raw = colfile.get(offset, min(length, n * dtype.itemsize))
    values = np.frombuffer(raw, dtype=dtype)
    if len(values) < n:  # documents after the last value written take the default 0
        values = np.concatenate([values, np.zeros(n - len(values), dtype=dtype)])
    return values


# --- the codec --------------------------------------------------------------------
# Whoosh's W3 codec, writing the same on-disk format with less Python per term.
# Every article adds about ten postings, most of them to terms that occur once
# (a date's precision terms, its id).  The stock writer pickles a block header and
# starts a zlib stream for each such term, and looks up a field length per posting
# even for unscored fields.  This codec inlines posting lists of up to
# INLINE_LIMIT postings into the term table (Whoosh reads them; its writer's
# ``inlinelimit`` option calls a misspelt method and so cannot be used),
# compresses a block only when zlib pays, and skips field-length lookups for
# unscored fields.  Everything it writes is read by the unmodified Whoosh reader.

class FastPostingsWriter(whoosh3.W3PostingsWriter):
    """Whoosh's posting writer, inlining short lists and compressing only large blocks."""

    def add_posting(self, id_: int | bytes, weight: float, vbytes: bytes,
                    length: int | None = None) -> None:
        """Whoosh's contract; the same bookkeeping with fewer attribute lookups."""
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def finish_postings(self) -> whoosh3.W3TermInfo:
        """The term's info: its postings inlined when few, else a block extent."""
        terminfo = self._terminfo
        if not self.written() and len(self) <= self._inlinelimit:
            terminfo.add_block(self)
            # Whole-number weights pickle as small ints (2 bytes), not floats (9).
            weights = [int(w) if w.is_integer() else w for w in self._weights]
            # Formats without values (frequency, existence) still need one per
            # posting: Whoosh's merge reads them back and insists on bytes.
            values = self._values or [emptybytes] * len(self._ids)
            terminfo.set_inlined(self._ids, weights, values)
        else:
            if self._ids:
                self._write_block(last=True)
            startoffset = self._startoffset
            terminfo.set_extent(startoffset, self._postfile.tell() - startoffset)
        self._terminfo = None
        return terminfo

    def _mini_weights(self):
        weights = self._weights
        if all(w == 1.0 for w in weights):
            return None
        # Term frequencies are whole numbers: small ints pickle in 2 bytes, floats in 9.
        return tuple(int(w) if w.is_integer() else w for w in weights)

    def _write_block(self, last=False):
        if not self._blockcount:
            self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 2)
        comp = self._compression if len(databytes) >= COMPRESS_MIN_BYTES else 0
        if comp:
            databytes = zlib.compress(databytes, comp)
        ids = self._ids
        infobytes = dumps((len(ids), ids[-1], self._maxweight, comp,
                           length_to_byte(self._minlength), length_to_byte(self._maxlength)), 2)
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class FastFieldWriter(whoosh3.W3FieldWriter):
    """Whoosh's field writer, skipping field lengths of unscored fields."""

    def add_postings(self, schema: fields.Schema, lengths, items) -> None:  # noqa: ANN001
        """Same contract as Whoosh's; lengths are looked up for scored fields only."""
        dfl = lengths.doc_field_length if lengths else None
        lastfn = lasttext = None
        scored = False
        add = self.add
        for fieldname, btext, docnum, weight, value in items:
            if fieldname != lastfn:
                if lasttext is not None:
                    self.finish_term()
                if lastfn is not None:
                    self.finish_field()
                fieldobj = schema[fieldname]
                self.start_field(fieldname, fieldobj)
                scored = bool(dfl and fieldobj.scorable)
                lastfn, lasttext = fieldname, None
            if docnum == -1:
                continue
            if btext != lasttext:
                if lasttext is not None:
                    self.finish_term()
                self.start_term(btext)
                lasttext = btext
            add(docnum, weight, emptybytes if value is None else value,
                dfl(docnum, fieldname) if scored else 0)
        if lasttext is not None:
            self.finish_term()
        if lastfn is not None:
            self.finish_field()


class FastCodec(whoosh3.W3Codec):
    """W3 format, faster writer (see module docstring)."""

    def __init__(self, blocklimit: int = 128, compression: int = 3,
                 inlinelimit: int = INLINE_LIMIT):
        super().__init__(blocklimit=blocklimit, compression=compression,
                         inlinelimit=inlinelimit)

    def field_writer(self, storage, segment) -> FastFieldWriter:  # noqa: ANN001
        """Whoosh's hook: this codec's field writer."""
        return FastFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids: bool = False  # noqa: ANN001
                        ) -> FastPostingsWriter:
        """Whoosh's hook: this codec's posting writer."""
        return FastPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                  compression=self._compression,
                                  inlinelimit=self._inlinelimit)
