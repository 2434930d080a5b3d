"""The searcher's life: which index generation searches read, and how long what they read is kept.

What is cached, and for how long:

========================  ===========================================  ====================
what                      kept                                         where
========================  ===========================================  ====================
:class:`IndexState`       until a newer commit or a swapped folder is  :class:`LiveIndex`
(searcher, arrays, view)  seen (checked every :data:`REFRESH_EVERY` s)
a replaced searcher       :data:`RETIRE_AFTER` s more, for searches    :class:`LiveIndex`
                          still using it, then closed
search results            LRU of ``cache_size`` (256) results and at   :class:`ResultCache`
                          most 64 MB, keyed by generation: older ones
                          just age out
trends                    LRU of 256 trends, at most 16 MB             :mod:`search.reports.trends`
index statistics          one, for the current generation              ``Engine.stats``
``.usx`` files            per process, until their segment is merged
  :mod:`search.storage.segments`
                          away (dropped when the next generation opens)
terms' places             per generation (its view), at most 8,192
  :mod:`search.storage.postings_view`
                          terms, emptied when full: where each list
                          is, not its bytes (read and checked anew)
per-segment arrays        per process by segment id, all dropped past  :mod:`search.storage.arrays`
                          512 segments (views into the generation's
                          columns: held once)
suggestion, did-you-mean  one per index folder, shared by its
        :mod:`search.understanding.tables`
and pinyin tables         generations; built again for another folder
                          or past 2% of articles they have not seen
reporters' pinyin         per generation, the last two
                :mod:`search.understanding.intent`
========================  ===========================================  ====================
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from . import segments
from .arrays import IndexArrays
from .folder import DAMAGE, Identity, IndexUnusable, damaged, open_index
from .postings_view import PostingsView
from .store import Snapshot

log = logging.getLogger("unionsearch.engine")

REFRESH_EVERY = 0.5  # seconds between checks for a newer commit
RETIRE_AFTER = 60.0  # seconds a replaced searcher stays open for searches still using it

V = TypeVar("V")


@dataclass(frozen=True)
class IndexState:
    """One opened index generation: what a search needs, shared read-only by threads."""

    searcher: Snapshot  # the generation as the store reads it: stored articles, ids
    arrays: IndexArrays
    view: PostingsView
    key: tuple  # (folder device, inode, index id, generation): the cache key's first part
    segments: tuple[str, ...] = ()  # the ids of its non-empty segments


class LiveIndex:
    """The current generation of one index folder, safe to share between threads.

    Searches run side by side: each takes the current :class:`IndexState` under
    :attr:`lock`, held only to check for (and open) a newer or swapped index,
    and then works without it.  Postings are ``pread`` from immutable ``.usx``
    files and the arrays are read-only; only Whoosh's own readers seek shared
    file handles, so stored fields and reporter postings are read under the
    short :attr:`io_lock` (microseconds per hit).  Before, the lock was held
    for a whole search, and one slow query kept ``/healthz`` waiting 2.9 s.
    """

    RETIRE_AFTER = RETIRE_AFTER

    def __init__(self, index_dir: str):
        self.index_dir = str(index_dir)
        self.lock = threading.RLock()
        self.io_lock = threading.Lock()
        self._identity = Identity(self.index_dir)
        self._state: IndexState | None = None
        self._pending: IndexState | None = None
        self._retired: list[tuple[float, Snapshot]] = []
        self._checked = 0.0
        self._files_checked = -REFRESH_EVERY
        self._damage: str | None = None
        self._failed = -REFRESH_EVERY
        self._warned = ""
        with self.lock:  # opens every segment's files now: a damaged one stops start-up
            self._open_fresh()

    def state(self) -> IndexState:
        """The current index state, refreshed when another index or a newer commit exists.

        A folder swapped in by ``--rebuild`` (its generation numbers start again,
        so only its :class:`Identity` differs) is noticed on the next call: the
        check is two ``stat`` calls.  A newer generation is looked for at most
        every :data:`REFRESH_EVERY` seconds (a directory listing).  A replaced
        searcher is closed :attr:`RETIRE_AFTER` seconds later, when no search
        can still be using it.
        """
        with self.lock:
            st = self._state
            now = time.monotonic()
            try:
                if now - self._failed < REFRESH_EVERY:
                    pass  # it just failed: do not retry on every request
                elif self._identity.current() != st.key[:3]:
                    self._open_fresh()
                elif now - self._checked >= REFRESH_EVERY:
                    self._checked = now
                    if not st.searcher.up_to_date():
                        self._install(self._opened(self._snapshot()))
            except (OSError, IndexUnusable) as exc:
                # Between the two renames of a swap the folder is missing or half
                # there: keep serving what is open, and look again shortly.
                self._failed = now
                if str(exc) != self._warned:
                    self._warned = str(exc)
                    log.warning("index in %s not reopened yet: %s", self.index_dir, exc)
            if self._retired:
                self._close_retired(now)
            self._check_files(now)
            return self._state

    def notice_commit(self) -> None:
        """This process has just committed (an editor's correction): the next
        :meth:`state` looks for the new generation at once, so the change is searchable
        on the very next request."""
        with self.lock:
            self._checked = float("-inf")

    def _check_files(self, now: float, force: bool = False) -> None:
        """Raise :class:`IndexDamaged` when a file of the served generation changed on
        disk since it was verified and no longer matches its checksums (cut, copied
        over, flipped): requests then answer "damaged" (503, exit 2) instead of reading
        it, until the file is put back or a sound generation is committed.

        Looked at every :data:`REFRESH_EVERY` seconds with the check for a newer commit
        (a ``stat`` per file, :func:`search.storage.segments.changed_on_disk`), and at once by
        ``/healthz`` and by a request that failed (``force``).  ``.usx`` postings are
        checked at every read whatever this says (their block checksums)."""
        if force or now - self._files_checked >= REFRESH_EVERY:
            self._files_checked = now
            self._damage = segments.changed_on_disk(self.index_dir, self._state.segments)
        if self._damage is not None:
            raise damaged(self.index_dir, self._damage)

    def damage(self) -> str | None:
        """What is damaged in the served generation, looked at now (``/healthz``, and a
        request that failed unexpectedly), or None."""
        try:
            with self.lock:
                if self._state is not None:
                    self._check_files(time.monotonic(), force=True)
            self.state()
        except DAMAGE as exc:
            return str(exc)
        return None

    def _open_fresh(self) -> None:
        """(Re)open the folder's index: at start-up, and when another one was swapped in."""
        try:
            identity = self._identity.current()  # before opening: a later swap shows next time
        except FileNotFoundError:
            open_index(self.index_dir)  # raises IndexUnusable("No index in …")
            raise
        self.index = open_index(self.index_dir)
        self._install(self._opened(self._snapshot()), identity)

    def _snapshot(self) -> Snapshot:
        """The store's last commit, open.  The store opens a segment's term and posting
        files itself, before :meth:`_opened` verifies them: when a damaged file fails
        that open, the segments' checksums say which (:class:`IndexDamaged`) instead of
        whatever the store raised."""
        try:
            return self.index.searcher()
        except (FileNotFoundError, IndexUnusable):
            raise
        except Exception as exc:  # noqa: BLE001 - damage fails in many ways
            try:
                for seg in self.index.committed():
                    segments.verify_segment(self.index_dir, seg.segment_id())
            except IndexUnusable:
                raise
            except Exception:  # noqa: BLE001, S110 - the TOC itself: reported below
                pass
            if isinstance(exc, OSError):
                raise
            raise damaged(self.index_dir, f"it cannot be opened: {exc}") from exc

    def _install(self, searcher: Snapshot, identity: tuple | None = None) -> None:
        old = self._state
        if identity is None:
            identity = old.key[:3] if old else self._identity.current()
        pending = self._pending
        if pending is not None and pending.searcher is searcher:
            arrays = pending.arrays
        else:
            arrays = IndexArrays.build(searcher)
        self._pending = None
        view = PostingsView(searcher, arrays, self.io_lock)
        self._state = IndexState(searcher, arrays, view, (*identity, searcher.generation),
                                 tuple(leaf.segment_id for leaf in view.leaves))
        if old is not None and old.searcher is not searcher:
            self._retired.append((time.monotonic(), old.searcher))

    def _close_retired(self, now: float) -> None:
        while self._retired and now - self._retired[0][0] >= self.RETIRE_AFTER:
            _, s = self._retired.pop(0)
            try:
                s.close()
            except Exception:  # noqa: BLE001 - closing an old reader must not fail a search
                pass

    def _opened(self, s: Snapshot) -> Snapshot:
        """``s`` with its segments' ``.usx`` files open (and its arrays built).

        The store opens most of a generation's files when the snapshot opens; its
        stored-fields columns and the ``.usx`` files are opened here, just after.
        If an import commits in between and merges a segment away, its files are
        already gone: then the newer generation is opened instead.
        """
        for _ in range(4):
            try:
                return self._prepared(s)
            except (IndexUnusable, FileNotFoundError):
                if s.up_to_date():
                    raise
                s.close()  # nobody else has seen it
                s = self._snapshot()
        return self._prepared(s)  # a failure now is no race

    def _prepared(self, s: Snapshot) -> Snapshot:
        for leaf in s.leaves():  # every file checked before it is read
            segments.usx_of(leaf)
        s.open_stored()
        self._pending = IndexState(s, IndexArrays.build(s), None, ())
        return s

    def searcher(self) -> Snapshot:
        """The current generation as read (for tests and tools; searches use :meth:`state`)."""
        return self.state().searcher

    @property
    def _searcher(self):
        return self._state.searcher if self._state else None

    @_searcher.setter
    def _searcher(self, searcher: Snapshot) -> None:
        with self.lock:
            self._install(searcher)

    def doc_count(self) -> int:
        """Live articles in the current generation (what ``/healthz`` reports).

        Counted from the segments' headers in memory: no file is read, so no lock.
        """
        return self.state().searcher.doc_count()

    def stored(self, article_id: str) -> dict | None:
        """The stored fields of one article by id, read under :attr:`io_lock`; None if absent."""
        searcher = self.state().searcher
        with self.io_lock:
            return searcher.document(id=str(article_id))


def approx_bytes(value: object) -> int:
    """About how much memory ``value`` holds: dicts, lists, tuples, strings, numbers and
    NumPy arrays counted through (what results and trends are made of).

    Every search that is not a cache hit weighs its result here, in the serving process:
    the exact types results are made of are told apart by ``type(…) is`` (subclasses
    fall through to ``isinstance``), and the walk appends to the list it iterates."""
    total = 0
    todo = [value]
    for item in todo:
        kind = type(item)
        if kind is str:
            total += sys.getsizeof(item)
        elif kind is dict:
            total += sys.getsizeof(item)
            todo += item.keys()
            todo += item.values()
        elif kind is list or kind is tuple:
            total += sys.getsizeof(item)
            todo += item
        elif isinstance(item, np.ndarray):
            total += item.nbytes + 112
        else:
            total += sys.getsizeof(item)
            if isinstance(item, dict):
                todo += item.keys()
                todo += item.values()
            elif isinstance(item, (list, tuple)):
                todo += item
    return total


class ResultCache(Generic[V]):
    """The last ``size`` results, least recently used dropped first; safe between threads.

    With ``max_bytes``, entries are also weighed (``weigh``, else :func:`approx_bytes`)
    and the least recently used dropped until the total fits (a count alone would let a
    few large trends hold hundreds of MB).  A value heavier than ``max_bytes`` is not kept.

    Keys start with the generation's :attr:`IndexState.key`, so a new commit or a
    swapped folder is never answered from an older one; its entries are not
    cleared, they age out.
    """

    def __init__(self, size: int = 256, max_bytes: int | None = None,
                 weigh: Callable[[V], int] | None = None):
        self.size = size
        self.max_bytes = max_bytes
        self.weigh = weigh or approx_bytes
        self.bytes = 0  # the weight held, when weighed
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple, V] = OrderedDict()
        self._weights: dict[tuple, int] = {}
        self.hits = self.misses = 0  # lookups answered and not, for /metrics

    def get(self, key: tuple) -> V | None:
        """The cached value, marked as just used; None when absent."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return value

    def put(self, key: tuple, value: V) -> None:
        """Keep ``value``, dropping the least recently used beyond :attr:`size` (and
        :attr:`max_bytes`)."""
        weight = self.weigh(value) if self.max_bytes is not None else 0
        if self.max_bytes is not None and weight > self.max_bytes:
            return
        with self._lock:
            self.bytes += weight - self._weights.pop(key, 0)
            self._items[key] = value
            self._items.move_to_end(key)
            if weight:
                self._weights[key] = weight
            while len(self._items) > self.size or (
                    self.max_bytes is not None and self.bytes > self.max_bytes):
                old, _ = self._items.popitem(last=False)
                self.bytes -= self._weights.pop(old, 0)
