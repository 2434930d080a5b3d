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
import math
import os
import re
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from glob import escape as glob_escape
from multiprocessing import get_context
from pathlib import Path

from search import schema as f
from search.document import Article, id_problem, to_fields
from search.storage import folder as sindex
from search.storage.segments import (
    build_segment,
    commit,
    discard_files,
    drop_staging,
    move_in,
    remove_meta_temp,
    sweep_orphans,
)
from search.storage.store import Snapshot

from .batch import BATCH_SIZE
from .corrections import Corrections, has_store, origin_key
from .corrections import snapshot as corrections_snapshot
from .locks import ImportBusy, import_lock, lock_path  # noqa: F401 - re-exported
from .merges import Merger, forget
from .mergestore import MergeStore
from .optimize import start_beside
from .papers import Papers, assign
from .records import Loaded, Rejection, Skipped, date_problem

MAX_ARTICLE_CHARS = 1_000_000  # the longest article in the corpus has 8,000
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # what the index's day field is built from


def default_procs() -> int:
    """Worker processes for analysis: every core, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # files no reader takes, with their kind
    merged: int = 0  # articles folded into another copy of their story (indexer.merges)
    merges: list[str] = field(default_factory=list)  # "<id> merged with <id> (why)"

    @property
    def seen(self) -> int:
        """Articles read so far, whatever became of them."""
        return self.added + self.updated + self.unchanged + len(self.rejected)

    def as_dict(self) -> dict:
        """The summary as ``index --json`` prints it."""
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "merged": self.merged, "merges": list(self.merges),
                "rejected": [str(r) for r in self.rejected],
                "skipped": [str(r) for r in self.skipped]}

    def counts(self) -> str:
        """``3 added, 0 updated, 2 unchanged, 1 merged, 0 rejected, 2 skipped`` (merged and
        skipped only when any)."""
        merged = f"{self.merged} merged, " if self.merged else ""
        skipped = f", {len(self.skipped)} skipped" if self.skipped else ""
        return (f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                f"{merged}{len(self.rejected)} rejected{skipped}")


class _Locator:
    """Where an id lives in the index as the import found it: (leaf, segment id, docnum).

    ``document_number`` probes every segment's term table in turn, so an id
    costs more the more segments there are.  For a large import the ids of each
    segment are read once as a set, so one probe finds each article; a small import
    into a large archive (a daily 60 into 300,000) keeps probing, which is cheaper
    than reading every id.
    """

    def __init__(self, searcher: Snapshot):
        self.leaves = [(leaf, leaf.segment_id) for leaf in searcher.leaves()]
        self.total = searcher.doc_count_all()
        self.sets: list[set[bytes]] | None = None

    def expect(self, n: int) -> None:
        """``n`` ids are about to be looked up: read the id sets if that is cheaper."""
        if self.sets is None and 2 * n * len(self.leaves) > self.total:
            self.sets = [set(leaf.lexicon(f.ID)) for leaf, _ in self.leaves]

    def find(self, art_id: str):
        key = art_id.encode("utf-8")
        for i, (leaf, seg_id) in enumerate(self.leaves):
            if self.sets is not None and key not in self.sets[i]:
                continue
            local = leaf.find(f.ID, key)  # deleted documents filtered
            if local is not None:
                return leaf, seg_id, local
        return None




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
    pending: object = None  # AsyncResult or list of segments


class _Batcher:
    """Classifies articles, builds segments in parallel, commits in batches.

    Batch *k* is analysed by the worker pool while the parent commits batch
    *k−1* (moving its segments in and merging), so both cores stay busy.
    """

    def __init__(self, index_dir: str, index, summary: Summary, batch_size: int, fresh: bool,
                 procs: int, store: MergeStore, corrections: Corrections | None = None,
                 papers_seen: dict[str, str] | None = None):
        self.index_dir, self.index, self.summary = index_dir, index, summary
        # key → name of the papers assigned so far (filled as items stream in); written to
        # the meta file before each commit, so a generation never shows a key unnamed
        self.papers_seen = papers_seen if papers_seen is not None else {}
        self.batch_size = batch_size
        self.searcher = None if fresh else index.searcher()
        self.locator = None if self.searcher is None else _Locator(self.searcher)
        self.merger = Merger(self.searcher, store)
        self.corrections = corrections
        if corrections is not None:
            self.merger.fixed = corrections.corrected_ids()
        self.pending: list[tuple[Loaded, dict]] = []  # with its index fields
        self.seen_ids: dict[str, str] = {}
        self.in_flight: _Batch | None = None
        self.procs = procs
        self.pool = None
        self.names: set[str] = set(sindex.read_meta(index_dir).get("names", []))
        # One time for every article this import writes: 最新入库 lists imports by it, so
        # two imports never share one (a second after the last import's when they would).
        self.started = sindex.import_stamp(index_dir)

    def add(self, item: Loaded) -> None:
        # Analysing an article holds memory in proportion to its length, so one line
        # of tens of MB would take gigabytes and minutes; an article that long is a
        # broken export, not news.  Rejected, named (tests/test_reliability_input.py).
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
        fields[f.ADDED] = self.started
        art_id = fields[f.ID]
        first = self.seen_ids.get(art_id)
        if first is not None:
            self._reject(item, f"duplicate id {art_id!r} in this import (first at {first}); "
                         "kept the first")
            return
        self.seen_ids[art_id] = item.origin
        if self.corrections is not None:  # an editor corrected it: the correction is written
            subs = self.corrections.substitute(fields, item.article,
                                               origin_key(item.article, item.where))
            if subs is not None:
                if not subs:
                    self.summary.unchanged += 1
                for art in subs:
                    art = replace(art, page_name=item.article.page_name)
                    self.seen_ids.setdefault(art.stable_id(), item.origin)
                    self.pending.append((replace(item, article=art), to_fields(art)))
                if len(self.pending) >= self.batch_size:
                    self.flush()
                return
        if self.locator is not None:  # a source of a merged article: that article's business
            known = self.merger.known_source(item.article, fields, self._stored)
            if known is not None:
                if known == "unchanged":
                    self.summary.unchanged += 1
                else:
                    self.summary.updated += 1
                return
        self.pending.append((item, fields))
        if len(self.pending) >= self.batch_size:
            self.flush()

    def _stored(self, art_id: str) -> dict | None:
        found = self.locator.find(art_id) if self.locator is not None else None
        return None if found is None else found[0].stored_fields(found[2])

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
            self.merger.note(fields, added=found is None)
            adds.append(fields)
        return _Batch(adds, deletes)

    def flush(self) -> None:
        if not self.pending:
            return
        items, self.pending = self.pending, []
        new_names = {n for it, _ in items for n in it.article.reporters} - self.names
        if new_names:
            sindex.remember_names(self.index_dir, new_names)
            self.names |= new_names
        page_names: dict[str, dict[str, str]] = {}
        for it, _ in items:
            art = it.article
            if art.page and art.page_name:
                key = sindex.issue_key(art.date, art.paper)
                page_names.setdefault(key, {})[str(art.page)] = art.page_name
        if page_names:
            sindex.remember_page_names(self.index_dir, page_names)
        if self.papers_seen:
            sindex.remember_papers(self.index_dir, self.papers_seen)
        batch = self._classify(items)
        self.merger.record_days()  # compared after the last batch, or by the next import
        names = sorted(self.names)
        chunks = _split(batch.adds, self.procs)
        if self.procs > 1 and len(batch.adds) >= 200:
            if self.pool is None:
                self.pool = get_context("fork").Pool(self.procs, initializer=_worker_signals,
                                                     initargs=(os.getpid(),))
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
            discard_files(self.index_dir, {s.segment_id() for s in segments})
            raise
        commit(self.index_dir, self.index, batch.deletes, segments)

    def finish(self) -> None:
        self.flush()
        if self.in_flight is not None:
            batch, self.in_flight = self.in_flight, None
            self._commit(batch)
        outcome = self.merger.settle(self.index_dir, self.index, sorted(self.names))
        self.summary.merged += len(outcome.merges)
        self.summary.added -= outcome.folded_new
        self.summary.merges += [str(m) for m in outcome.merges]
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            pool, self.pool = self.pool, None
            _terminate(pool)
        if self.searcher is not None:
            self.locator = None
            self.searcher.close()
            self.searcher = None
        self.merger.store.close()  # what was not saved is not kept
        if self.corrections is not None:
            self.corrections.save()  # the conflicts found
        drop_staging(self.index_dir)


_TEXT_FIELDS = ("id", "title", "subtitle", "kicker", "body", "date", "page", "url")


def article_problem(article: Article) -> str | None:
    """Why ``article`` cannot be stored as it is, or None; checked for every reader.

    A lone surrogate (a JSON ``"\\ud800"``) cannot be encoded as UTF-8, so
    ``Article.digest`` would raise in the middle of a batch and end the import.
    Checked here, where every reader's articles enter, it rejects that one article.
    A NUL character is never text (see indexer/encoding.py): rejected the same way.
    """
    values = [(name, getattr(article, name)) for name in _TEXT_FIELDS]
    values += [("reporter", name) for name in article.reporters]
    if not _text_problem(values):
        return _date_or_id_problem(article)
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
    return _date_or_id_problem(article)


def _text_problem(values: list[tuple[str, object]]) -> bool:
    """Whether any of ``values`` holds a NUL or a lone surrogate: one test of them all
    joined, so a sound article (nearly all) costs one pass over its text."""
    joined = "\x1f".join(v if isinstance(v, str) else str(v) for _, v in values
                          if v is not None)
    if "\x00" in joined:
        return True
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _date_or_id_problem(article: Article) -> str | None:
    """Why ``article``'s date or given id cannot be stored, or None."""
    if not DATE_RE.fullmatch(str(article.date)):
        return f"date {str(article.date)[:40]!r} is not a date like 2022-09-30"
    problem = date_problem(str(article.date))
    if problem:
        return problem
    if article.id:
        return id_problem(str(article.id))
    return None


def _worker_signals(parent: int | None = None) -> None:
    """In an import worker: SIGTERM ends it, SIGINT is the parent's to handle, and it
    dies with its parent (``parent``: the importing process's pid).

    Workers are forked, so they inherit the parent's handlers: ``unionsearch watch``
    catches SIGTERM to finish its file first, and with that handler a worker would
    ignore the SIGTERM of ``Pool.terminate``, which would then wait for it forever
    (tests/test_watch.py stops a watch during an import).  An import killed outright
    (SIGKILL, the OOM killer) would otherwise leave its workers building a batch nobody
    will commit, in staging folders the next import must keep while they run; on Linux
    the kernel kills them with it (``PR_SET_PDEATHSIG``).
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int | None) -> None:
    """Ask the kernel to SIGKILL this process when its parent ends (Linux only); exit at
    once if the parent has already ended."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:  # it died before the prctl
        os._exit(1)


# Seconds ``Pool.terminate`` may take before the import stops waiting for it.
TERMINATE_WAIT = 10.0


def _terminate(pool, wait: float = TERMINATE_WAIT) -> None:  # noqa: ANN001 - a Pool
    """``pool.terminate()``, but never waiting for ever.

    CPython's terminate kills the workers, then joins its task-handler thread, which must
    take the result queue's write lock; a worker killed while it held that lock (sending its
    result) leaves it taken for good, and the import would hang there
    (tests/test_hardening_import.py, disk full).  After ``wait`` seconds the workers are
    killed outright and the import goes on to report its error; the stuck thread is a daemon
    and ends with the process.
    """
    stopper = threading.Thread(target=pool.terminate, daemon=True, name="pool-terminate")
    stopper.start()
    stopper.join(wait)
    if stopper.is_alive():
        for proc in list(getattr(pool, "_pool", [])):
            if proc.exitcode is None:
                proc.kill()


def _split(docs: list, parts: int) -> list[list]:
    if parts <= 1 or len(docs) < 200:
        return [docs] if docs else []
    size = math.ceil(len(docs) / parts)
    return [docs[i : i + size] for i in range(0, len(docs), size)]


def import_items(index_dir: str, items: Iterable[Loaded | Rejection], *, rebuild: bool = False,
                 batch_size: int = BATCH_SIZE, wait: float = 600.0, procs: int = 0,
                 notify: Callable[[str], None] = lambda msg: None,
                 progress: Callable[[Loaded | Rejection, Summary], None] | None = None,
                 papers: Papers | None = None, paper: str = "") -> Summary:
    """Import everything in ``items``; returns what happened to each.

    Each article's paper is settled here (:func:`indexer.papers.assign`: ``paper`` is
    ``--paper``, ``papers`` the ``[papers]`` settings, none: only what the index knows),
    and the names of the papers written are kept in the index's meta file.

    Raises :class:`StorageError` when the index cannot be written (disk full,
    permission denied); batches committed before that are kept.
    """
    index_dir = str(index_dir)
    if papers is None:
        papers = Papers.from_settings(None, sindex.paper_names(index_dir))
    seen: dict[str, str] = {}
    items = assign(items, papers, paper, seen)
    try:
        summary = _import_items(index_dir, items, rebuild, batch_size, wait, procs, notify,
                                progress, seen)
    except OSError as exc:
        err = storage_error(exc, index_dir)
        if err is None:
            raise
        raise err from exc
    if seen and summary.unchanged:  # no batch written: the names given now still count
        sindex.remember_papers(index_dir, seen)
    if summary.added or summary.updated:
        _merge_later(index_dir)
    return summary


def _merge_later(index_dir: str) -> None:
    """Start the merges now due beside imports (:mod:`indexer.optimize`); the import has
    committed, so a failure to start them is only worth a warning on stderr."""
    try:
        start_beside(index_dir)
    except (OSError, sindex.IndexUnusable) as exc:
        print(f"unionsearch: could not start background merges: {exc}", file=sys.stderr)


def _import_items(index_dir: str, items: Iterable[Loaded | Rejection], rebuild: bool,
                  batch_size: int, wait: float, procs: int, notify: Callable[[str], None],
                  progress: Callable[[Loaded | Rejection, Summary], None] | None,
                  papers_seen: dict[str, str]) -> Summary:
    summary = Summary()
    with import_lock(index_dir, wait, notify):
        _remove_stale_copies(index_dir)
        if sindex.exists(index_dir):
            from .editing import _recover_locked

            _recover_locked(index_dir)  # a correction killed before its commit
        corrections = Corrections(index_dir) if has_store(index_dir) else None
        target = index_dir
        if rebuild:
            target = f"{index_dir.rstrip('/')}.rebuild-{os.getpid()}"
            shutil.rmtree(target, ignore_errors=True)
            index = sindex.create(target)
            fresh = True
            store = MergeStore(target)
            if sindex.exists(index_dir):  # what an editor kept apart stays apart
                old = MergeStore(index_dir, read_only=True)
                store.copy_apart_from(old)
                old.close()
        elif sindex.exists(index_dir):
            index = sindex.open_index(index_dir)
            sweep_orphans(index_dir, index)
            fresh = False
            store = MergeStore.load(index_dir)
        else:
            index = sindex.create(index_dir)
            fresh = True
            store = MergeStore.load(index_dir)
        batcher = _Batcher(target, index, summary, batch_size, fresh, procs or default_procs(),
                           store, corrections, papers_seen)
        try:
            for item in items:
                if isinstance(item, Skipped):
                    summary.skipped.append(item)
                elif isinstance(item, Rejection):
                    summary.rejected.append(item)
                else:
                    batcher.add(item)
                if progress:
                    progress(item, summary)
            batcher.finish()
            if rebuild and corrections is not None:  # the corrections stay with the index
                corrections_snapshot(index_dir, Path(target) / "corrections.db")
        except BaseException:
            batcher.close()
            remove_meta_temp(target)  # left by a failed write of new byline names
            if rebuild:
                shutil.rmtree(target, ignore_errors=True)
            raise
        finally:
            if corrections is not None:
                corrections.close()
        if rebuild:
            _swap_in(target, index_dir)
    return summary


def _remove_stale_copies(index_dir: str) -> None:
    """Delete what a killed ``--rebuild`` left beside the index.

    A rebuild killed half-way leaves ``<index>.rebuild-<pid>`` (an archive-sized
    folder), which no later rebuild (another pid) would otherwise remove
    (tests/test_reliability_crash.py).  Called with the import lock held, so no live
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


def kept_file(path: Path) -> bool:
    """A hidden regular file in the index folder that the index does not own (a
    checkout's tracked ``index_data/.gitkeep``): a rebuild or a restore keeps it."""
    return path.name.startswith(".") and path.is_file() and not path.is_symlink()


def keep_hidden(old: str | Path, new: str | Path) -> None:
    """Copy ``old``'s :func:`kept_file` files into ``new`` (before ``new`` replaces it)."""
    old, new = Path(old), Path(new)
    if not old.is_dir():
        return
    for path in old.iterdir():
        if kept_file(path) and not (new / path.name).exists():
            shutil.copy2(path, new / path.name)


def _swap_in(new_dir: str, index_dir: str) -> None:
    """Replace ``index_dir`` by ``new_dir`` with two renames, its hidden files kept."""
    old = f"{index_dir.rstrip('/')}.old-{os.getpid()}"
    keep_hidden(index_dir, new_dir)
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
        index = sindex.open_index(index_dir)
        with index.searcher() as s:
            present = {i for i in ids if s.document_number(id=i) is not None}
        for art_id in ids:
            (deleted if art_id in present else missing).append(art_id)
        commit(index_dir, index, deleted, [])
        forget(index_dir, deleted)
        drop_staging(index_dir)
    if deleted:
        _merge_later(str(index_dir))
    return deleted, missing
