"""Writing articles into the index: batches, updates, one import at a time.

Articles are committed in batches, so a crash loses at most the batch in
flight and re-running the import finishes the job: ids are stable, an article
already present with the same content is *unchanged*, with other content it
is *updated*, never duplicated.  A file lock beside the index makes a second
import wait (saying so) instead of interleaving.  ``--rebuild`` builds a fresh
index beside the old one and swaps it in only when complete, so searchers
never see a half-built archive.
"""

from __future__ import annotations

import errno
import fcntl
import math
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from glob import escape as glob_escape
from multiprocessing import get_context
from pathlib import Path

from whoosh.index import LockError
from whoosh.writing import SegmentWriter

from search import index as sindex
from search import postings
from search import schema as f
from search.codec import FastCodec
from search.document import Article, head_text, id_problem, to_fields, with_index_fields

from .records import Loaded, Rejection

# Articles per commit; each of the worker processes builds one segment from its share.
# Measured: building an 8,000-article segment peaks at ~530 MB in its worker
# (postings are sorted as arrays, ~75 bytes per character at the peak), so two
# workers and the parent stay well under 2 GB, and 300,000 articles make ~40 segments.
BATCH_SIZE = 16000
# Whoosh's own pool now holds only ids, reporters and dates (~10 postings an article).
WRITER_MB = 128
MAX_ARTICLE_CHARS = 1_000_000  # the longest article in the corpus has 8,000
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # what the index's day field is built from


def default_procs() -> int:
    """Worker processes for analysis: every core, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


class ImportBusy(Exception):
    """Another import holds the index for longer than we were willing to wait."""


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    committed: int = 0
    last_committed: str = ""

    @property
    def seen(self) -> int:
        return self.added + self.updated + self.unchanged + len(self.rejected)

    def as_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": [str(r) for r in self.rejected]}


def lock_path(index_dir: str | os.PathLike) -> Path:
    p = Path(index_dir).resolve()
    return p.parent / f".{p.name}.import-lock"


@contextmanager
def import_lock(index_dir, wait: float, notify: Callable[[str], None]):
    """Hold the import lock; a process that dies releases it automatically."""
    path = lock_path(index_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+")
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ImportBusy(
                        f"another import into {index_dir} is still running after "
                        f"{wait:.0f} s; try again when it has finished") from None
                if not told:
                    notify(f"another import into {index_dir} is running; waiting for it to finish…")
                    told = True
                time.sleep(0.2)
        yield
    finally:
        fh.close()


def _open_writer(ix):
    while True:
        try:
            return ix.writer(limitmb=WRITER_MB, codec=FastCodec(), compound=False)
        except LockError:  # a writer outside our lock (e.g. the web app's delete)
            time.sleep(0.1)


# --- building segments in worker processes -----------------------------------

STAGING = "staging"
_staged_ix = {}


def _staging_index(index_dir: str):
    """This process's scratch index, where it writes new segments.

    Whoosh deletes unknown segment files from the index folder at every
    commit, so segments still being built live elsewhere until they are
    moved in and committed; one folder per process, because a writer's
    temporary files are named after the index, not the process.
    """
    key = (index_dir, os.getpid())
    ix = _staged_ix.get(key)
    if ix is None:
        from whoosh import index as windex

        path = os.path.join(index_dir, STAGING, str(os.getpid()))
        os.makedirs(path, exist_ok=True)
        windex.create_in(path, sindex.build_schema(), indexname=sindex.INDEX_NAME)
        ix = windex.open_dir(path, indexname=sindex.INDEX_NAME)
        _staged_ix[key] = ix
    return ix


def drop_staging(index_dir: str) -> None:
    """Remove this process's scratch indexes (and any left by killed imports)."""
    for key in [k for k in _staged_ix if k[0] == index_dir]:
        del _staged_ix[key]
    shutil.rmtree(os.path.join(index_dir, STAGING), ignore_errors=True)


def build_segment(index_dir: str, names: list[str], docs: list[dict]):
    """Analyse ``docs`` into a finished segment in the staging folder (any process).

    Whoosh writes the stored fields, ids, reporters and dates; the title and
    body postings go into the segment's ``.usx`` file, built in one go.
    """
    from search import segment as seg

    seg.add_words(names)
    staging = _staging_index(index_dir)
    # Separate files per segment, not one compound file: the searcher reads
    # them with plain file reads instead of Whoosh's Python sub-file layer.
    writer = SegmentWriter(staging, _lk=False, limitmb=WRITER_MB, codec=FastCodec(),
                           compound=False)
    try:
        for doc in docs:
            writer.add_document(**doc)
        segment = writer._finalize_segment()
    finally:
        writer._finish()
    folder = staging.storage.folder
    arrays = postings.build([head_text(d) for d in docs], [d.get(f.BODY) or "" for d in docs])
    postings.write(postings.segment_path(folder, segment.segment_id()), len(docs), arrays)
    return folder, segment


def move_in(folder: str, segment, index_dir: str) -> None:
    """Move a segment's files from a staging folder into the index folder."""
    prefix = segment.segment_id() + "."
    for name in os.listdir(folder):
        if name.startswith(prefix) and not name.endswith(".tmp"):
            os.replace(os.path.join(folder, name), os.path.join(index_dir, name))


def tiered_merge(index_dir: str, writer, segments, factor: int = 8, max_docs: int = 4000,
                 chunk: int = BATCH_SIZE // 2):
    """Rewrite segments worth rewriting; returns the segments of the new generation.

    * Small segments (daily imports) are merged a size tier at a time, once a
      tier holds ``factor`` of them and at most ``max_docs`` articles: every
      query pays a term lookup per segment.
    * A segment with more deleted articles than live ones (updates, deletes)
      is rewritten without them, so re-imports cannot double the index.
    * A segment with none left is dropped.

    A merge re-analyses the live articles from their stored fields (Whoosh's
    own merge knows nothing of the ``.usx`` files), at ~1 ms an article, into
    segments of about ``chunk`` articles, so memory stays bounded.  Bulk
    imports write segments of thousands of articles that otherwise stay.
    """
    from whoosh.reading import SegmentReader

    keep, rewrite = [], []
    tiers: dict[int, list] = {}
    for seg in segments:
        if seg.doc_count() == 0:
            continue  # Whoosh deletes the files of segments left out of the new generation
        if seg.deleted_count() * 2 > seg.doc_count_all():
            rewrite.append(seg)
        else:
            tiers.setdefault(int(math.log(seg.doc_count(), factor)), []).append(seg)
    for _, segs in sorted(tiers.items()):
        if len(segs) >= factor and sum(s.doc_count() for s in segs) <= max_docs:
            rewrite.extend(segs)
        else:
            keep.extend(segs)

    docs: list[dict] = []

    def build_from_buffer() -> None:
        folder, merged = build_segment(index_dir, [], docs)
        move_in(folder, merged, index_dir)
        keep.append(merged)
        docs.clear()

    for seg in rewrite:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        try:
            docs.extend(with_index_fields(reader.stored_fields(n))
                        for n in range(reader.doc_count_all()) if not reader.is_deleted(n))
        finally:
            reader.close()
        if len(docs) >= chunk:
            build_from_buffer()
    if docs:
        build_from_buffer()
    return keep


def commit(index_dir: str, ix, deletes: Iterable[str | tuple[str, int, str]],
           segments: list) -> None:
    """One new generation: ``deletes`` applied, merges done, built ``segments`` added.

    Documents only ever arrive as segments built by :func:`build_segment`, and
    Whoosh's own merge is never used (it would drop the ``.usx`` files).

    Issue 16 #8: when this fails (disk full, permission denied) the old generation
    stays the index, and what this attempt wrote is removed: the built segments, the
    merged ones, the writer's own empty segment and its half-written ``.toc.<time>``.
    They used to stay (~2 MB a batch), and ``cancel`` followed by ``_finish``
    released Whoosh's lock twice, so "Lock was not acquired" hid the real error.
    """
    before = set(os.listdir(index_dir))
    try:
        writer = _open_writer(ix)
    except OSError:  # e.g. disk full while Whoosh created its new segment's files
        _remove_segment_files(index_dir, _segment_ids(set(os.listdir(index_dir)) - before)
                              | {s.segment_id() for s in segments})
        raise
    try:
        _delete_all(writer, deletes)
        final = tiered_merge(index_dir, writer, writer.segments)
        writer._close_segment()
        writer._commit_toc(final + list(segments))
    except BaseException:
        try:
            _close_quietly(writer)  # first: closing writes the new segment's files
            _discard_attempt(index_dir, writer, before, segments)
        finally:
            if writer.writelock and getattr(writer.writelock, "fd", None) is not None:
                writer.writelock.release()
            writer.is_closed = True
        raise
    writer._finish()


def _delete_all(writer, deletes: Iterable[str | tuple[str, int, str]]) -> None:
    """Mark articles deleted: ids, or ``(segment id, local docnum, id)`` where the
    import found them.

    Issue 16 #10: ``delete_by_term`` without a searcher opens a new one per id, and
    opening one reads every segment's term table header: re-importing 20,000 changed
    articles into an index of 20 segments (``--batch-size 2000``) spent 199 of its
    259 profiled seconds there (344,020 segment readers).  A segment's local docnums
    never change (merges write new segments), so an article found by
    :class:`_Locator` is deleted in place; only one whose segment a merge of this
    import has rewritten since is looked up again, with one searcher for all.
    """
    by_id = {seg.segment_id(): seg for seg in writer.segments}
    again = []
    for item in deletes:
        if isinstance(item, str):
            again.append(item)
            continue
        seg_id, local, art_id = item
        seg = by_id.get(seg_id)
        if seg is None:
            again.append(art_id)
        else:
            seg.delete_document(local)
    if again:
        with writer.searcher() as searcher:
            for art_id in again:
                writer.delete_by_term("id", art_id, searcher=searcher)


class _Locator:
    """Where an id lives in the index as the import found it: (reader, segment id, docnum).

    Whoosh's ``document_number`` probes every segment's term table in turn (~11 µs
    each, 223 µs an id at 20 segments).  For a large import the ids of each segment
    are read once as a set (0.13 s for 20,000), so one probe finds each article; a
    small import into a large archive (a daily 60 into 300,000) keeps probing.
    """

    def __init__(self, searcher):
        # An index with no segments (created, nothing committed yet) has one empty reader.
        self.leaves = [(r, r.segment().segment_id()) for r, _ in searcher.reader().leaf_readers()
                       if r.segment() is not None]
        self.total = searcher.doc_count_all()
        self.sets: list[set[bytes]] | None = None

    def expect(self, n: int) -> None:
        """``n`` ids are about to be looked up: read the id sets if that is cheaper."""
        if self.sets is None and 2 * n * len(self.leaves) > self.total:
            self.sets = [set(r.lexicon("id")) for r, _ in self.leaves]

    def find(self, art_id: str):
        key = art_id.encode("utf-8")
        for i, (reader, seg_id) in enumerate(self.leaves):
            if self.sets is not None and key not in self.sets[i]:
                continue
            matcher = reader.postings("id", key) if ("id", key) in reader else None
            if matcher is not None and matcher.is_active():  # deleted documents filtered
                return reader, seg_id, matcher.id()
        return None


def _close_quietly(writer) -> None:
    """Close a failed writer's files; their errors are not the one to report."""
    for close in (writer._close_segment, writer._tempstorage.destroy):
        with suppress(Exception):
            close()


def _discard_attempt(index_dir: str, writer, before: set[str], segments: list) -> None:
    """Delete the files of a commit that failed, unless its TOC made it to disk.

    Runs with Whoosh's write lock held, so every segment file that appeared since
    ``before`` is this commit's; committed segments are never touched.
    """

    name = sindex.INDEX_NAME
    toc = f"_{name}_{writer.generation}.toc"
    if os.path.exists(os.path.join(index_dir, toc)):
        return  # it did commit: the new generation owns these files
    keep = {s.segment_id() for s in writer.segments}
    ours = {s.segment_id() for s in segments} | {writer.newsegment.segment_id()}
    ours |= _segment_ids(set(os.listdir(index_dir)) - before)
    for fname in os.listdir(index_dir):
        if fname.startswith(toc + "."):
            with suppress(OSError):
                os.remove(os.path.join(index_dir, fname))
    _remove_meta_temp(index_dir)
    _remove_segment_files(index_dir, ours - keep)


def _segment_ids(names: Iterable[str]) -> set[str]:
    from whoosh.index import TOC

    seg_pattern = TOC._segment_pattern(sindex.INDEX_NAME)
    return {m.group(1) for m in map(seg_pattern.match, names) if m}


def _remove_meta_temp(index_dir: str) -> None:
    with suppress(OSError):
        os.remove(Path(index_dir, sindex.META_FILE).with_suffix(".tmp"))


def _remove_segment_files(index_dir: str, ids: set[str]) -> None:
    """Delete every file of the segments ``ids`` (never committed) from ``index_dir``."""
    from whoosh.index import TOC

    seg_pattern = TOC._segment_pattern(sindex.INDEX_NAME)
    for fname in os.listdir(index_dir):
        m = seg_pattern.match(fname)
        if m and m.group(1) in ids:
            with suppress(OSError):
                os.remove(os.path.join(index_dir, fname))


def _sweep_orphans(index_dir: str, ix) -> None:
    """Remove segment files no generation uses and half-written TOCs, before importing.

    What a failed commit wrote is removed by :func:`commit`, but a process killed at
    that moment leaves it, and on a full disk those megabytes are what the next import
    needs (Whoosh would delete them only at a successful commit).  Under Whoosh's
    write lock, so a writer outside the import lock (the web app) is never raced.
    """
    from whoosh.index import TOC

    lock = ix.lock("WRITELOCK")
    if not lock.acquire():
        return  # someone is writing; their commit cleans up
    try:
        live = {s.segment_id() for s in TOC.read(ix.storage, sindex.INDEX_NAME).segments}
        seg_pattern = TOC._segment_pattern(sindex.INDEX_NAME)
        orphans = set()
        for fname in os.listdir(index_dir):
            m = seg_pattern.match(fname)
            if m and m.group(1) not in live:
                orphans.add(m.group(1))
            elif _TOC_TEMP.match(fname):
                with suppress(OSError):
                    os.remove(os.path.join(index_dir, fname))
        _remove_segment_files(index_dir, orphans)
        _remove_meta_temp(index_dir)
    finally:
        lock.release()


_TOC_TEMP = re.compile(rf"^_{re.escape(sindex.INDEX_NAME)}_[0-9]+\.toc\..+$")


class StorageError(Exception):
    """The index folder cannot be written (disk full, no permission); the message says
    which and where.  The index stays as it was before the failed batch."""


_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM}


def storage_error(exc: OSError, where: str) -> StorageError | None:
    """A :class:`StorageError` for a disk-full or permission error, else None.

    ``EFBIG`` counts as full: it is what a file-size limit (``ulimit -f``) gives.
    """
    path = exc.filename or where
    if exc.errno in _DISK_FULL:
        return StorageError(f"disk full: cannot write to {path} ({exc.strerror}); "
                            "free some space and run the same command again")
    if exc.errno in _DENIED:
        return StorageError(f"permission denied: cannot write to {path}")
    if exc.errno == errno.EROFS:
        return StorageError(f"read-only file system: cannot write to {path}")
    return None


@dataclass
class _Batch:
    adds: list[dict]
    deletes: list[tuple[str, int, str]]  # (segment id, docnum there, article id)
    last_origin: str
    count: int
    pending: object = None  # AsyncResult or list of segments


class _Batcher:
    """Classifies articles, builds segments in parallel, commits in batches.

    Batch *k* is analysed by the worker pool while the parent commits batch
    *k−1* (moving its segments in and merging), so both cores stay busy.
    """

    def __init__(self, index_dir: str, ix, summary: Summary, batch_size: int, fresh: bool,
                 procs: int):
        self.index_dir, self.ix, self.summary = index_dir, ix, summary
        self.batch_size = batch_size
        self.searcher = None if fresh else ix.searcher()
        self.locator = None if self.searcher is None else _Locator(self.searcher)
        self.pending: list[tuple[Loaded, dict]] = []  # with its index fields
        self.seen_ids: dict[str, str] = {}
        self.in_flight: _Batch | None = None
        self.procs = procs
        self.pool = None
        self.names: set[str] = set(sindex.read_meta(index_dir).get("names", []))

    def add(self, item: Loaded) -> None:
        # Reliability fix (tests/test_reliability_input.py): analysing one article costs
        # ~200 bytes of memory per character, so a single 50 MB line took several GB and
        # minutes; an article that long is a broken export, not news.  Rejected, named.
        size = len(item.article.title) + len(item.article.subtitle) + len(item.article.body)
        if size > MAX_ARTICLE_CHARS:
            self._reject(item, f"article of {size:,} characters; the limit is "
                         f"{MAX_ARTICLE_CHARS:,} (is the file one article per line/row?)")
            return
        problem = article_problem(item.article)
        if problem:
            self._reject(item, problem)
            return
        fields = to_fields(item.article)
        art_id = fields[f.ID]
        first = self.seen_ids.get(art_id)
        if first is not None:
            self._reject(item, f"duplicate id {art_id!r} in this import (first at {first}); "
                         "kept the first")
            return
        self.seen_ids[art_id] = item.origin
        self.pending.append((item, fields))
        if len(self.pending) >= self.batch_size:
            self.flush()

    def _reject(self, item: Loaded, reason: str) -> None:
        self.summary.rejected.append(Rejection(item.source, item.where, reason))

    def _classify(self, pending: list[tuple[Loaded, dict]]) -> _Batch:
        adds: list[dict] = []
        deletes: list[tuple[str, int, str]] = []
        if self.locator is not None:
            self.locator.expect(len(pending))
        for _, fields in pending:
            found = self.locator.find(fields[f.ID]) if self.locator is not None else None
            if found is None:
                self.summary.added += 1
            elif found[0].stored_fields(found[2]).get("digest") == fields["digest"]:
                self.summary.unchanged += 1
                continue
            else:
                self.summary.updated += 1
                deletes.append((found[1], found[2], fields[f.ID]))
            adds.append(fields)
        return _Batch(adds, deletes, pending[-1][0].origin, len(pending))

    def flush(self) -> None:
        if not self.pending:
            return
        items, self.pending = self.pending, []
        new_names = {n for it, _ in items for n in it.article.reporters} - self.names
        if new_names:
            sindex.remember_names(self.index_dir, new_names)
            self.names |= new_names
        batch = self._classify(items)
        names = sorted(self.names)
        chunks = _split(batch.adds, self.procs)
        if self.procs > 1 and len(batch.adds) >= 200:
            if self.pool is None:
                self.pool = get_context("fork").Pool(self.procs)
            batch.pending = self.pool.starmap_async(
                build_segment, [(self.index_dir, names, c) for c in chunks])
        else:
            batch.pending = [build_segment(self.index_dir, names, c) for c in chunks]
        previous, self.in_flight = self.in_flight, batch
        if previous is not None:
            self._commit(previous)

    def _commit(self, batch: _Batch) -> None:
        built = batch.pending if isinstance(batch.pending, list) else batch.pending.get()
        segments = []
        try:
            for folder, seg in built:
                segments.append(seg)
                move_in(folder, seg, self.index_dir)
        except BaseException:  # not committed: what was moved in would be an orphan
            _remove_segment_files(self.index_dir, {s.segment_id() for s in segments})
            raise
        commit(self.index_dir, self.ix, batch.deletes, segments)
        self.summary.committed += batch.count
        self.summary.last_committed = batch.last_origin

    def finish(self) -> None:
        self.flush()
        if self.in_flight is not None:
            batch, self.in_flight = self.in_flight, None
            self._commit(batch)
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool = None
        if self.searcher is not None:
            self.locator = None
            self.searcher.close()
            self.searcher = None
        drop_staging(self.index_dir)


_TEXT_FIELDS = ("id", "title", "subtitle", "kicker", "body", "date", "page", "url")


def article_problem(article: Article) -> str | None:
    """Why ``article`` cannot be stored as it is, or None; checked for every reader.

    Issue 16 #5: a lone surrogate (a JSON ``"\\ud800"``) cannot be encoded as UTF-8,
    so ``Article.digest`` raised in the middle of a batch: exit 1, nothing imported.
    Checked here, where every reader's articles enter, it rejects that one article.
    A NUL character is never text (see indexer/encoding.py): rejected the same way.
    """
    values = [(name, getattr(article, name)) for name in _TEXT_FIELDS]
    values += [("reporter", name) for name in article.reporters]
    for name, value in values:
        if value is None:
            continue
        text = value if isinstance(value, str) else str(value)
        if "\x00" in text:
            return f"NUL character in field {name!r}: binary data, not text"
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            return (f"field {name!r} holds a lone surrogate (U+{ord(text[exc.start]):04X}) "
                    f"at character {exc.start + 1}, which is not text (a broken \\u escape?)")
    if not DATE_RE.fullmatch(str(article.date)):
        return f"date {str(article.date)[:40]!r} is not a date like 2022-09-30"
    if article.id:
        return id_problem(str(article.id))
    return None


def _split(docs: list, parts: int) -> list[list]:
    if parts <= 1 or len(docs) < 200:
        return [docs] if docs else []
    size = math.ceil(len(docs) / parts)
    return [docs[i : i + size] for i in range(0, len(docs), size)]


def import_items(index_dir: str, items: Iterable[Loaded | Rejection], *, rebuild: bool = False,
                 batch_size: int = BATCH_SIZE, wait: float = 600.0, procs: int = 0,
                 notify: Callable[[str], None] = lambda msg: None,
                 progress: Callable[[Loaded | Rejection, Summary], None] | None = None
                 ) -> Summary:
    """Import everything in ``items``; returns what happened to each.

    Raises :class:`StorageError` when the index cannot be written (disk full,
    permission denied); batches committed before that are kept.
    """
    index_dir = str(index_dir)
    try:
        return _import_items(index_dir, items, rebuild, batch_size, wait, procs, notify,
                             progress)
    except OSError as exc:
        err = storage_error(exc, index_dir)
        if err is None:
            raise
        raise err from exc


def _import_items(index_dir: str, items: Iterable[Loaded | Rejection], rebuild: bool,
                  batch_size: int, wait: float, procs: int, notify: Callable[[str], None],
                  progress: Callable[[Loaded | Rejection, Summary], None] | None) -> Summary:
    summary = Summary()
    with import_lock(index_dir, wait, notify):
        _remove_stale_copies(index_dir)
        target = index_dir
        if rebuild:
            target = f"{index_dir.rstrip('/')}.rebuild-{os.getpid()}"
            shutil.rmtree(target, ignore_errors=True)
            ix = sindex.create(target)
            fresh = True
        elif sindex.exists(index_dir):
            ix = sindex.open_index(index_dir)
            _sweep_orphans(index_dir, ix)
            fresh = False
        else:
            ix = sindex.create(index_dir)
            fresh = True
        batcher = _Batcher(target, ix, summary, batch_size, fresh, procs or default_procs())
        try:
            for item in items:
                if isinstance(item, Rejection):
                    summary.rejected.append(item)
                else:
                    batcher.add(item)
                if progress:
                    progress(item, summary)
            batcher.finish()
        except BaseException:
            batcher.close()
            _remove_meta_temp(target)  # left by a failed write of new byline names
            if rebuild:
                shutil.rmtree(target, ignore_errors=True)
            raise
        if rebuild:
            _swap_in(target, index_dir)
    return summary


def _remove_stale_copies(index_dir: str) -> None:
    """Delete what a killed ``--rebuild`` left beside the index.

    Reliability fix (tests/test_reliability_crash.py): a rebuild killed half-way left
    ``<index>.rebuild-<pid>`` (an archive-sized folder) for ever, since only a rebuild
    with the same pid would remove it.  Called with the import lock held, so no live
    import owns these folders.  Only while the index itself exists: a crash between the
    two renames of :func:`_swap_in` leaves the only copies in ``.old-``/``.rebuild-``.
    """
    if not sindex.exists(index_dir):
        return
    base = Path(index_dir).resolve()
    for kind in ("rebuild", "old"):
        for stale in base.parent.glob(f"{glob_escape(base.name)}.{kind}-*"):
            if stale.is_dir() and stale.name.rsplit("-", 1)[1].isdigit():
                shutil.rmtree(stale, ignore_errors=True)


def _swap_in(new_dir: str, index_dir: str) -> None:
    """Replace ``index_dir`` by ``new_dir`` with two renames."""
    old = f"{index_dir.rstrip('/')}.old-{os.getpid()}"
    if os.path.exists(index_dir):
        os.rename(index_dir, old)
    os.rename(new_dir, index_dir)
    shutil.rmtree(old, ignore_errors=True)


def delete_ids(index_dir: str, ids: Iterable[str], wait: float = 600.0,
               notify: Callable[[str], None] = lambda msg: None) -> tuple[list[str], list[str]]:
    """Remove articles by id; returns (deleted, not found).  Raises :class:`StorageError`
    (disk full, permission denied) like :func:`import_items`."""
    try:
        return _delete_ids(index_dir, ids, wait, notify)
    except OSError as exc:
        err = storage_error(exc, str(index_dir))
        if err is None:
            raise
        raise err from exc


def _delete_ids(index_dir: str, ids: Iterable[str], wait: float,
                notify: Callable[[str], None]) -> tuple[list[str], list[str]]:
    ids, deleted, missing = list(ids), [], []
    with import_lock(index_dir, wait, notify):
        ix = sindex.open_index(index_dir)
        with ix.searcher() as s:
            present = {i for i in ids if s.document_number(id=i) is not None}
        for art_id in ids:
            (deleted if art_id in present else missing).append(art_id)
        commit(index_dir, ix, deleted, [])
        drop_staging(index_dir)
    return deleted, missing
