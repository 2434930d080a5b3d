"""The store: the Whoosh part of an index folder, and the only module that imports Whoosh.

Whoosh (2.7.4, frozen since 2016) keeps each article's stored fields, the id, reporter
and paper terms, the day and import-time columns, and the list of segments of each
generation (its table of contents, TOC).  The title and body postings are not
Whoosh's: they live in each segment's ``.usx`` file (:mod:`search.storage.usx`), and
:mod:`search.storage.segments` keeps the two files of a segment together.  The folder stays a
Whoosh index (Whoosh's own ``open_dir`` reads it), but no Whoosh object leaves this
module: callers get the project's own types.

=========================  ======================================================
type                       what it is
=========================  ======================================================
:class:`Store`             one folder: create, open (its TOC verified first), the
                           committed segments, a snapshot, a writer, the write lock
:class:`Snapshot`          one committed generation open for reading: stored
                           articles by docnum or id, live counts, its leaves
:class:`Leaf`              one non-empty segment of a snapshot: stored articles,
                           terms (``lexicon``, ``term_docs``, ``find``), columns
:class:`Segment`           one segment's id, counts and deletions
:class:`SegmentBuilder`    a new segment written in a staging folder, lock-free
:class:`GenerationWriter`  a new generation: deletions, then a commit of exactly
                           the segments given
=========================  ======================================================

Only what is read is written: the day and the import time are columns with no
postings (:func:`build_schema`).

**TOC checksum.**  Whoosh's TOC is a pickle.  :class:`_Storage` (a ``FileStorage``
with its public ``rename_file``/``open_file`` overridden) appends a footer (magic,
length, CRC32C) to each TOC as Whoosh renames it into place, and checks it before
Whoosh reads a byte; Whoosh reads the TOC from the verified copy in memory and stops
before the footer.  A TOC without a valid footer is :class:`StoreDamaged`.

Pinning Whoosh exactly is what makes relying on the internals below safe; upgrading
it means re-checking this list, which ``tests/test_store.py`` pins test by test
(against Whoosh's public API where it has one) and ``tests/test_untrusted.py`` for
the pickles.

=======================================  ==============================================
Whoosh internal relied on                why
=======================================  ==============================================
``whoosh3.W3PostingsWriter``,            subclassed by :class:`FastCodec`: inlined
``W3FieldWriter``, ``W3Codec``           short posting lists, zlib only where it pays,
(``_ids``, ``_weights``, ``_values``,    no field-length lookups for unscored fields
``_write_block``, ``_terminfo`` …)       (a faster import, bench/RESULTS.md; the same
                                         bytes format, read by Whoosh's own reader)
``SegmentWriter(_lk=False)``,            :class:`SegmentBuilder`: a worker process
``_finalize_segment``, ``_finish``       builds a segment in its own staging store
                                         without the store's lock
``writer._close_segment``,               :meth:`GenerationWriter.commit`: a generation
``writer._commit_toc``                   made of segments built elsewhere (Whoosh's
                                         merge would drop the ``.usx`` files)
``writer.newsegment``, ``generation``,   remove what a failed commit wrote, release its
``_tempstorage``, ``writelock``          lock once (:meth:`GenerationWriter.abandon_files`,
                                         :meth:`~GenerationWriter.release`)
``TOC.read``                             the segments of the committed generation
``reader._terms`` (``term_info``,        :meth:`Leaf.term_docs`: a reporter's or paper's
``matcher``), ``W3LeafMatcher``          whole posting list as one array (a block at a
(``_read_data``, ``_data``,              time, not a posting per Python call)
``_lastblock``, ``_goto``,
``_nextoffset``), ``TermNotFound``
``reader._perdoc`` (``has_column``,      :meth:`Leaf.numeric_column`: a column in one
``_get_column_file``,                    read; :meth:`Snapshot.open_stored`: stored
``_cached_reader``,                      fields opened with the generation
``column_type._typecode``)
``whoosh3.STORED_COLUMN`` (replaced),    stored fields compressed against a shared
``CompressedBytesColumn`` (``Writer.     dictionary (:mod:`search.storage.storedzip`), and
_compress``, ``Reader._decompress``),    copied by merges as compressed bytes
``VarBytesColumn``, ``_child``,          (:func:`merge_into`)
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
called, so a crafted column or posting file, or a TOC whose footer was made again,
is refused as damaged, never run.  Old Whoosh TOC formats (their loaders unpickle by
other paths) are refused too.

Public Whoosh API used: ``FileStorage`` (``create_index``, ``open_index``, and its
``open_file``/``rename_file`` overridden), ``fields`` (``COLUMN`` included),
``columns.NumericColumn``, ``SegmentReader``, ``LockError``, searchers and readers
(``leaf_readers``, ``stored_fields``, ``lexicon``, ``postings``, ``document_number``).
"""

from __future__ import annotations

import _compat_pickle
import collections
import errno
import io
import os
import pickle
import re
import struct
import time
import types
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pickle import dumps

import crc32c as _crc32c
import numpy as np
from whoosh import analysis, columns, externalsort, fields, formats, legacy
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

from .. import schema as f
from . import storedzip

__all__ = ["ALLOWED", "GenerationWriter", "IndexUnpickler", "Leaf", "Segment",
           "SegmentBuilder", "Snapshot", "Store", "StoreDamaged", "UntrustedData",
           "merge_into", "restricted_load", "restricted_loads"]

# What the store writes, in the index's fingerprint (:func:`search.storage.folder.fingerprint`):
# a change here (a field's postings dropped, the TOC's footer) makes older indexes
# ask for a rebuild instead of being read as if they were written by this code.
STORE_FORMAT = "whoosh-2.7.4/columns/toc-crc32c/1"
INDEX_NAME = "articles"  # Whoosh's name for the index inside the folder (its file names)
WRITER_MB = 128  # Whoosh's own pool holds only the id, reporter and paper terms of each article
INLINE_LIMIT = 8
COMPRESS_MIN_BYTES = 96


# --- pickles: only the classes an index holds --------------------------------------

class StoreDamaged(Exception):
    """A file of the store is damaged, was written by a version without checksums, or was
    crafted: the message names the file.  Nothing of it has been parsed."""


class UntrustedData(StoreDamaged, pickle.UnpicklingError):
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
    "whoosh.fields": ("Schema", "ID", "KEYWORD", "COLUMN", "STORED"),
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
    (:mod:`search.storage.storedzip`: ~11% smaller, still one article per read)."""

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


UNSET = 0xFFFFFFFF  # a column's value for a document written without one


def _column(stored: bool = False) -> fields.COLUMN:
    """An unsigned 32-bit column and no postings (``fields.COLUMN``: Whoosh's public
    field type for values read per document, never searched)."""
    column = fields.COLUMN(columns.NumericColumn("I", default=UNSET))
    column.stored = stored  # FieldType's public flag: the value is kept with the article too
    return column


def build_schema() -> fields.Schema:
    """Whoosh's part of :mod:`search.schema`: stored fields, the id, reporters, the
    paper, and two columns: the day and when the article was imported.

    Only what is read is written: the id, reporter and paper terms are looked up
    (:meth:`Snapshot.document_number`, :meth:`Leaf.term_docs`); the day and the
    import time are read as whole columns (:meth:`Leaf.numeric_column`), never by term,
    so they have no postings.  A segment may lack ``paper`` and ``added`` (an index may
    hold segments written by code without them): its articles read as of no named
    paper, imported at an unknown time (0).
    """
    stored = {name: fields.STORED() for name in f.STORED}
    return fields.Schema(
        **stored,
        id=fields.ID(stored=True, unique=True),
        reporter=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        day=_column(),
        paper=fields.ID(stored=True),
        added=_column(stored=True),
    )


# --- the table of contents: a checksum footer, verified before it is parsed -------

TOC_MAGIC = b"USTOCv1\n"
_TOC_FOOTER = struct.Struct(">8sQI")  # magic, length of the TOC before the footer, CRC32C


def _toc_bytes(path: str) -> bytes:
    """A TOC file's bytes without its footer, after the footer's length and CRC32C were
    checked; raises :class:`StoreDamaged` naming the file."""
    with open(path, "rb") as fh:
        data = fh.read()
    name = os.path.basename(path)
    if len(data) < _TOC_FOOTER.size:
        raise StoreDamaged(f"{name} is cut short ({len(data)} bytes)")
    magic, length, value = _TOC_FOOTER.unpack_from(data, len(data) - _TOC_FOOTER.size)
    if magic != TOC_MAGIC:
        raise StoreDamaged(f"{name} has no checksum footer (damaged, or written by an "
                           f"older unionsearch: rebuild the index)")
    body = data[:-_TOC_FOOTER.size]
    if length != len(body) or _crc32c.crc32c(body) != value:
        raise StoreDamaged(f"{name}: its bytes do not match its checksum")
    return body


def verify_toc(folder: str, generation: int) -> None:
    """Check a generation's TOC file against its footer (:class:`StoreDamaged` if not)."""
    _toc_bytes(os.path.join(folder, toc_name(generation)))


class _Storage(FileStorage):
    """Whoosh's file storage (plain reads, no mmap) whose TOC files carry a checksum footer.

    Whoosh writes a TOC under a temporary name and renames it into place
    (``rename_file``): the footer (magic, length, CRC32C) is appended just before the
    rename, so a TOC is never visible without it.  Whoosh reads a TOC sequentially
    and stops before the footer.  ``open_file`` of a TOC verifies the whole file first
    and hands Whoosh the verified bytes from memory: nothing of a TOC is unpickled
    unless its checksum holds, and the bytes parsed are the bytes checked."""

    def __init__(self, path: str):
        super().__init__(path, supports_mmap=False)

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        """Whoosh's rename; a TOC gets its footer first."""
        if is_toc(newname):
            path = self._fpath(oldname)
            with open(path, "r+b") as fh:
                body = fh.read()
                fh.write(_TOC_FOOTER.pack(TOC_MAGIC, len(body), _crc32c.crc32c(body)))
                fh.flush()
                os.fsync(fh.fileno())
        super().rename_file(oldname, newname, safe)

    def open_file(self, name: str, **kwargs) -> structfile.StructFile:  # noqa: ANN003
        """Whoosh's open; a TOC is verified and served from memory."""
        if is_toc(name):
            return structfile.StructFile(io.BytesIO(_toc_bytes(self._fpath(name))),
                                         name=name, **kwargs)
        return super().open_file(name, **kwargs)


# --- file names -------------------------------------------------------------------

# How Whoosh names a segment's files: ``<index name>_<random id>.<kind>`` (its own
# pattern is the private ``TOC._segment_pattern``; this is the same expression).
_SEGMENT_FILE = re.compile(rf"({re.escape(INDEX_NAME)}_[0-9a-z]+)[.][A-Za-z0-9_.]+")
_TOC = re.compile(rf"^_{re.escape(INDEX_NAME)}_([0-9]+)\.toc$")
_TOC_TEMP = re.compile(rf"^_{re.escape(INDEX_NAME)}_[0-9]+\.toc\..+$")


def segment_id_of(filename: str) -> str | None:
    """The segment a file of the index folder belongs to, if it is a segment file."""
    m = _SEGMENT_FILE.match(filename)
    return m.group(1) if m else None


def is_toc(filename: str) -> bool:
    """A generation's table of contents (``_articles_<gen>.toc``)."""
    return bool(_TOC.match(filename))


def is_toc_temp(filename: str) -> bool:
    """A TOC being written (``_articles_<gen>.toc.<random>``), left by a failed commit."""
    return bool(_TOC_TEMP.match(filename))


def toc_name(generation: int) -> str:
    """The file name of a generation's table of contents."""
    return f"_{INDEX_NAME}_{generation}.toc"


def latest_generation(folder: str) -> int:
    """The newest committed generation in ``folder`` by its TOC's name (-1: none); no
    file is read."""
    gens = [int(m.group(1)) for m in map(_TOC.match, os.listdir(folder)) if m]
    return max(gens, default=-1)


def exists_in(path: str) -> bool:
    """Whether ``path`` holds a committed index (a TOC), by file names alone."""
    return latest_generation(path) >= 0


# --- the project's handles on Whoosh's objects ------------------------------------

class Segment:
    """One segment of a generation: its id, counts and deletions.

    Wraps Whoosh's segment (which a TOC pickles); callers see only this."""

    __slots__ = ("_seg",)

    def __init__(self, seg: W3Segment):
        self._seg = seg

    def __repr__(self) -> str:
        return f"Segment({self.segment_id()}, {self.doc_count()}/{self.doc_count_all()})"

    def segment_id(self) -> str:
        """The id every file of the segment is named after (``articles_<random>``)."""
        return self._seg.segment_id()

    def doc_count(self) -> int:
        """Live articles."""
        return self._seg.doc_count()

    def doc_count_all(self) -> int:
        """Articles, deleted ones included."""
        return self._seg.doc_count_all()

    def deleted_count(self) -> int:
        """Deleted articles."""
        return self._seg.deleted_count()

    def live_mask(self) -> np.ndarray:
        """Which of the segment's documents are live (deletions of the writer's
        generation included)."""
        keep = np.ones(self.doc_count_all(), dtype=bool)
        deleted = [d for d in (self._seg.deleted_docs() or ()) if d < len(keep)]
        if deleted:
            keep[np.asarray(deleted, dtype=np.int64)] = False
        return keep

    def delete_document(self, docnum: int) -> None:
        """Mark the local document ``docnum`` deleted (written with the next commit)."""
        self._seg.delete_document(docnum)


class Leaf:
    """One non-empty segment of an open generation, read: stored articles, the id,
    reporter and paper terms, the numeric columns.  ``offset`` is its first global
    docnum in the generation."""

    def __init__(self, reader: SegmentReader, offset: int, folder: str):
        self._r = reader
        self.offset = offset
        self.folder = folder
        self.segment_id: str = reader.segment().segment_id()

    def doc_count_all(self) -> int:
        """Articles, deleted ones included."""
        return self._r.doc_count_all()

    def has_deletions(self) -> bool:
        """Whether any article of the segment is deleted."""
        return self._r.has_deletions()

    def is_deleted(self, docnum: int) -> bool:
        """Whether the local document ``docnum`` is deleted."""
        return self._r.is_deleted(docnum)

    def live_mask(self) -> np.ndarray:
        """Which of the segment's documents are live."""
        return Segment(self._r.segment()).live_mask()

    def stored_fields(self, docnum: int) -> dict:
        """The stored article at local ``docnum``."""
        return self._r.stored_fields(docnum)

    def has_terms(self, fieldname: str) -> bool:
        """Whether the segment has an index of ``fieldname`` (a segment written before a
        field existed has none)."""
        return fieldname in self._r.indexed_field_names()

    def indexed_fields(self) -> list[str]:
        """The fields this segment has terms of."""
        return list(self._r.indexed_field_names())

    def lexicon(self, fieldname: str) -> Iterator[bytes]:
        """Every term of ``fieldname`` in the segment, in order, as bytes."""
        return iter(self._r.lexicon(fieldname))

    def term_docs(self, fieldname: str, btext: bytes) -> np.ndarray | None:
        """Local docnums of one term, deletions included (None: no such term)."""
        return _leaf_docs(self._r, fieldname, btext)

    def find(self, fieldname: str, btext: bytes) -> int | None:
        """The local docnum of the first live document with this term, or None."""
        if (fieldname, btext) not in self._r:
            return None
        matcher = self._r.postings(fieldname, btext)
        return matcher.id() if matcher.is_active() else None  # deleted ones filtered

    def numeric_column(self, colname: str) -> np.ndarray | None:
        """A numeric column of the segment (0 where never written), None if it has none."""
        return _numeric_column(self._r, colname)

    def close(self) -> None:
        """Close the segment's files (a leaf of a :class:`Snapshot` closes with it)."""
        self._r.close()


class Snapshot:
    """One committed generation, open for reading: what a searcher of it needs, as the
    project's own types (plain dicts, ints, arrays and :class:`Leaf`)."""

    def __init__(self, searcher: Searcher, folder: str):
        self._s = searcher
        self.folder = folder
        self.generation: int = searcher.reader().generation()
        self._leaves: list[Leaf] | None = None

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def leaves(self) -> list[Leaf]:
        """The generation's non-empty segments, in docnum order."""
        if self._leaves is None:
            self._leaves = [Leaf(r, off, self.folder)
                            for r, off in self._s.reader().leaf_readers()
                            if r.segment() is not None and r.doc_count_all()]
        return self._leaves

    def doc_count(self) -> int:
        """Live articles (from the segments' headers in memory: no file read)."""
        return self._s.doc_count()

    def doc_count_all(self) -> int:
        """Articles, deleted ones included."""
        return self._s.doc_count_all()

    def stored_fields(self, docnum: int) -> dict:
        """The stored article at global ``docnum``."""
        return self._s.stored_fields(docnum)

    def all_stored_fields(self) -> Iterator[dict]:
        """Every live stored article, in docnum order."""
        return self._s.reader().all_stored_fields()

    def document_number(self, *, id: str) -> int | None:  # noqa: A002 - the field's name
        """The global docnum of the live article ``id``, or None."""
        return self._s.document_number(id=id)

    def document_numbers(self, *, id: str) -> list[int]:  # noqa: A002 - the field's name
        """Every global docnum of a live article ``id`` (one, in a sound index)."""
        return list(self._s.document_numbers(id=id))

    def document(self, *, id: str) -> dict | None:  # noqa: A002 - the field's name
        """The stored fields of the live article ``id``, or None."""
        return self._s.document(id=id)

    def up_to_date(self) -> bool:
        """Whether this is still the folder's last committed generation."""
        return self._s.up_to_date()

    def open_stored(self) -> None:
        """Open every segment's stored-fields column now, not at the first article read.

        Whoosh opens a column file at first use, and one deleted by then (its segment
        merged away by an import's next commit) reads as "no column": ``stored_fields``
        then failed with a TypeError on every search showing that segment's articles
        until the searcher was replaced.  An open file outlives its deletion; raises
        ``FileNotFoundError`` when one is already gone, so a newer generation is opened
        instead.
        """
        for leaf in self.leaves():
            if leaf._r._perdoc._cached_reader("_stored", whoosh3.STORED_COLUMN) is None:
                raise FileNotFoundError(f"segment {leaf.segment_id}: its stored fields "
                                        "are gone")

    def close(self) -> None:
        """Close the generation's files."""
        self._s.close()


_ID, _TERMS, _PLAIN = "id", "terms", "plain"  # how SegmentBuilder.add writes a field
_KEYWORDS_KEPT = 100_000  # distinct reporter and paper values a builder remembers


def _field_plans(schema: fields.Schema) -> dict[str, tuple[str, fields.FieldType]]:
    """How :meth:`SegmentBuilder.add` writes each field of ``schema``: ``_ID`` (an
    unscored ``ID`` field of Whoosh's own analyzer and format: the value is its one
    term, weight 1), ``_TERMS`` (another unscored indexed field: Whoosh's ``index``,
    remembered per value), ``_PLAIN`` (not indexed: stored and columns only).  A field
    that needs anything else (scored lengths, vectors, spelling, boosts) is left out,
    so documents with it go through ``add_document``."""
    plans = {}
    for name, field in schema.items():
        if field.vector or field.separate_spelling() or field.scorable:
            continue
        if not field.indexed:
            plans[name] = (_PLAIN, field)
        elif (type(field) is fields.ID and type(field.format) is formats.Existence
              and field.format.field_boost == 1.0
              and type(field.analyzer) is analysis.IDTokenizer):
            plans[name] = (_ID, field)
        else:
            plans[name] = (_TERMS, field)
    return plans


class SegmentBuilder:
    """A new segment written in a process's own staging store, without the store's lock.

    Separate files per segment, not one compound file: the searcher reads them with
    plain file reads instead of Whoosh's Python sub-file layer."""

    def __init__(self, staging: Store):
        self._w = SegmentWriter(staging._index, _lk=False, limitmb=WRITER_MB,
                                codec=FastCodec(), compound=False)
        self._plans = _field_plans(self._w.schema)
        self._keywords: dict[tuple[str, str], list] = {}  # (field, value) → its postings

    def add(self, doc: dict) -> None:
        """Add one article's index fields (:func:`search.document.to_fields`).

        What ``SegmentWriter.add_document`` does, in the same order and with the same
        bytes written, for this schema's fields only: an id's one term is made directly
        (Whoosh runs a tokenizer and a format for it), a reporter or paper value's terms
        are made once per distinct value, and no field is looked up by name more than
        once.  A document with a field this schema does not plan for (or a boost) goes
        through ``add_document`` itself."""
        plans = self._plans
        if not plans.keys() >= doc.keys():
            self._w.add_document(**doc)
            return
        w = self._w
        w._check_state()
        perdoc = w.perdocwriter
        docnum = w.docnum
        add_post = w.pool.add
        perdoc.start_doc(docnum)
        for name in sorted(doc):
            value = doc[name]
            if value is None:
                continue
            kind, field = plans[name]
            if kind is _ID and type(value) is str:
                add_post((name, value.encode("utf-8"), docnum, 1.0, emptybytes))
            elif kind is not _PLAIN:
                for tbytes, weight, vbytes in self._terms(name, field, value):
                    add_post((name, tbytes, docnum, weight, vbytes))
            perdoc.add_field(name, field, value if field.stored else None, 0)
            column = field.column_type
            if column:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        w._added = True
        w.docnum += 1

    def _terms(self, name: str, field: fields.FieldType, value: object) -> list:
        """(term bytes, weight, value bytes) of ``value`` in an indexed field, as
        ``add_document`` makes them (each weight times the field boost, 1.0), made
        once per distinct text value."""
        key = (name, value) if type(value) is str else None
        items = self._keywords.get(key) if key is not None else None
        if items is None:
            items = [(tbytes, weight * 1.0, vbytes)
                     for tbytes, _freq, weight, vbytes in field.index(value)]
            if key is not None:
                if len(self._keywords) >= _KEYWORDS_KEPT:
                    self._keywords.clear()
                self._keywords[key] = items
        return items

    def finish(self) -> Segment:
        """Write out the documents added; the segment (not committed anywhere)."""
        try:
            return Segment(self._w._finalize_segment())
        finally:
            self._w._finish()


class GenerationWriter:
    """A new generation being made, holding the store's write lock.

    :attr:`segments` are the last generation's, whose deletions this writer may add
    to; :meth:`commit` writes the new generation's TOC with exactly the segments
    given (segments built elsewhere, merged or kept): Whoosh's own merge is never
    used (it knows nothing of the ``.usx`` files)."""

    def __init__(self, writer: SegmentWriter, folder: str):
        self._w = writer
        self.folder = folder
        self.segments: list[Segment] = [Segment(s) for s in writer.segments]

    @property
    def generation(self) -> int:
        """The number the new generation gets."""
        return self._w.generation

    def new_segment_id(self) -> str:
        """The id of the (empty) segment Whoosh's writer made for itself."""
        return self._w.newsegment.segment_id()

    def delete_ids(self, ids: Iterable[str]) -> None:
        """Mark the live articles ``ids`` deleted, with one searcher for all."""
        with self._w.searcher() as searcher:
            for art_id in ids:
                self._w.delete_by_term(f.ID, art_id, searcher=searcher)

    def commit(self, segments: list[Segment]) -> None:
        """Commit a generation made of exactly ``segments`` (the writer's own stays
        empty); Whoosh then deletes the files of segments no longer used."""
        self._w._close_segment()
        self._w._commit_toc([s._seg for s in segments])
        self._w._finish()

    def abandon_files(self) -> None:
        """After a failure: close the writer's files (closing writes its own segment's
        files, so before they are removed); their errors are not the one to report."""
        for close in (self._w._close_segment, self._w._tempstorage.destroy):
            with suppress(Exception):
                close()

    def release(self) -> None:
        """After a failure: release the write lock, once.  (``cancel`` and then
        ``_finish`` released it twice, and "Lock was not acquired" hid the real error.)"""
        lock = self._w.writelock
        if lock and getattr(lock, "fd", None) is not None:
            lock.release()
        self._w.is_closed = True


class Store:
    """The Whoosh part of one index folder: stored articles, ids, reporters, papers,
    the day and import-time columns, and the generations (TOCs)."""

    def __init__(self, index: FileIndex, folder: str):
        self._index = index
        self.folder = folder

    @classmethod
    def create(cls, path: str) -> Store:
        """A new empty store in ``path`` (made if missing): a generation-0 TOC with no
        segments."""
        os.makedirs(path, exist_ok=True)
        storage = _Storage(path)
        return cls(storage.create_index(build_schema(), indexname=INDEX_NAME), path)

    @classmethod
    def open(cls, path: str) -> Store:
        """The store in ``path``; its TOC is verified before it is read."""
        return cls(_Storage(path).open_index(INDEX_NAME), path)

    def latest_generation(self) -> int:
        """The last committed generation's number."""
        return self._index.latest_generation()

    def committed(self) -> list[Segment]:
        """The segments of the last committed generation, read from its TOC now."""
        return [Segment(s) for s in TOC.read(self._index.storage, INDEX_NAME).segments]

    def field_names(self) -> list[str]:
        """The fields the last generation's TOC declares."""
        return list(self._index.schema.names())

    def searcher(self) -> Snapshot:
        """The last committed generation, open for reading."""
        return Snapshot(self._index.searcher(), self.folder)

    def open_segment(self, segment: Segment) -> Leaf:
        """One segment of this store opened on its own (``check`` reads each apart, so
        one broken segment does not hide the others)."""
        reader = SegmentReader(self._index.storage, self._index.schema, segment._seg)
        return Leaf(reader, 0, self.folder)

    def writer(self) -> GenerationWriter:
        """A writer for a new generation, waiting while another holds the write lock.

        It carries this code's schema, which the generation's TOC is written with and
        merges read segments by: a TOC lacking a field (``paper``, ``added``) takes new
        segments holding it, its other segments simply lacking the field."""
        while True:
            try:
                writer = self._index.writer(limitmb=WRITER_MB, codec=FastCodec(),
                                            compound=False)
            except LockError:
                time.sleep(0.1)
                continue
            writer.schema = build_schema()
            return GenerationWriter(writer, self.folder)

    @contextmanager
    def write_lock(self, wait: float = 0.0) -> Iterator[bool | None]:
        """Whoosh's write lock (the one commits hold), tried for up to ``wait`` seconds:
        yields whether it is held, or None in a read-only folder (where no commit can
        happen either)."""
        lock = self._index.lock("WRITELOCK")
        deadline = time.monotonic() + wait
        try:
            held = lock.acquire()
            while not held and time.monotonic() < deadline:
                time.sleep(0.05)
                held = lock.acquire()
        except OSError as exc:
            if not isinstance(exc, PermissionError) and exc.errno != errno.EROFS:
                raise
            held = None
        try:
            yield held
        finally:
            if held:
                lock.release()


def merge_into(staging: Store, source: Store | GenerationWriter,
               segments: list[Segment]) -> Segment:
    """One new segment in ``staging`` holding the live documents of ``segments`` (of the
    store ``source`` is, or writes), in order: stored fields, ids, reporters, papers
    and the columns.

    Whoosh's ``add_reader`` does this, but asks for every field's length of every
    document, each ask a ``stat`` of a column file.  No field of
    :func:`build_schema` is scored, so there are no lengths to copy; the stored
    fields and the columns are copied here, the postings (ids, reporters, papers)
    through Whoosh's pool as ``add_reader`` does.
    """
    storage = source._index.storage if isinstance(source, Store) else source._w.storage
    new = SegmentBuilder(staging)
    for segment in segments:
        reader = SegmentReader(storage, build_schema(), segment._seg)
        try:
            _copy_reader(new._w, reader)
        finally:
            reader.close()
    return new.finish()


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



# --- reading, inside the store -----------------------------------------------------

def _leaf_docs(seg_reader: SegmentReader, fieldname: str, btext: bytes) -> np.ndarray | None:
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


def _numeric_column(seg_reader: SegmentReader, colname: str) -> np.ndarray | None:
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
# Every article adds a few postings, most of them to terms that occur once (its
# id).  The stock writer pickles a block header and
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


# A segment pickles its codec by the module it is defined in: indexes written before this
# module moved name it by the old path (search.whoosh_api) in every TOC, which stays readable
# (such an index is refused anyway, by its TOC without a footer, but is then reported, not
# misread).
ALLOWED[("search.whoosh_api", "FastCodec")] = FastCodec  # pickled name
