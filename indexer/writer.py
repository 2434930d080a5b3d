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

import fcntl
import math
import os
import shutil
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
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
from search.document import head_text, to_fields, with_index_fields

from .records import Loaded, Rejection

# Articles per commit; each of the worker processes builds one segment from its share.
# Measured: building an 8,000-article segment peaks at ~530 MB in its worker
# (postings are sorted as arrays, ~75 bytes per character at the peak), so two
# workers and the parent stay well under 2 GB, and 300,000 articles make ~40 segments.
BATCH_SIZE = 16000
# Whoosh's own pool now holds only ids, reporters and dates (~10 postings an article).
WRITER_MB = 128
MAX_ARTICLE_CHARS = 1_000_000  # the longest article in the corpus has 8,000


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


def commit(index_dir: str, ix, deletes: Iterable[str], segments: list) -> None:
    """One new generation: ``deletes`` applied, merges done, built ``segments`` added.

    Documents only ever arrive as segments built by :func:`build_segment`, and
    Whoosh's own merge is never used (it would drop the ``.usx`` files).
    """
    writer = _open_writer(ix)
    try:
        for art_id in deletes:
            writer.delete_by_term("id", art_id)
        final = tiered_merge(index_dir, writer, writer.segments)
        writer._close_segment()
        writer._commit_toc(final + list(segments))
    except BaseException:
        writer.cancel()
        raise
    finally:
        writer._finish()


@dataclass
class _Batch:
    adds: list[dict]
    deletes: list[str]
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
        self.pending: list[Loaded] = []
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
            self.summary.rejected.append(Rejection(
                item.source, item.where,
                f"article of {size:,} characters; the limit is {MAX_ARTICLE_CHARS:,} "
                "(is the file one article per line/row?)"))
            return
        art_id = item.article.stable_id()
        first = self.seen_ids.get(art_id)
        if first is not None:
            self.summary.rejected.append(Rejection(
                item.source, item.where,
                f"duplicate id {art_id!r} in this import (first at {first}); kept the first"))
            return
        self.seen_ids[art_id] = item.origin
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def _classify(self, items: list[Loaded]) -> _Batch:
        adds, deletes = [], []
        for item in items:
            fields = to_fields(item.article)
            docnum = None
            if self.searcher is not None:
                docnum = self.searcher.document_number(id=fields["id"])
            if docnum is None:
                self.summary.added += 1
            elif self.searcher.stored_fields(docnum).get("digest") == fields["digest"]:
                self.summary.unchanged += 1
                continue
            else:
                self.summary.updated += 1
                deletes.append(fields["id"])
            adds.append(fields)
        return _Batch(adds, deletes, items[-1].origin, len(items))

    def flush(self) -> None:
        if not self.pending:
            return
        items, self.pending = self.pending, []
        new_names = {n for it in items for n in it.article.reporters} - self.names
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
        for folder, seg in built:
            move_in(folder, seg, self.index_dir)
            segments.append(seg)
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
            self.searcher.close()
            self.searcher = None
        drop_staging(self.index_dir)


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
    """Import everything in ``items``; returns what happened to each."""
    index_dir = str(index_dir)
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
    """Remove articles by id; returns (deleted, not found)."""
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
