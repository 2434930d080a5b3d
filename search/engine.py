"""Running searches: request validation, filters, sorting, facets, hits.

One :class:`Engine` per process, shared by its threads: one Whoosh searcher,
reused across requests under a lock and refreshed when the index has a newer
commit, so a running service sees new imports without a restart.  Results are
cached per query and index generation.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .document import from_stored, reporter_key
from .evaluate import VERBATIM_BONUS, Evaluator, Match, restrict
from .highlight import Needles, mark, snippet
from .index import Identity, IndexUnusable, open_index
from .query import MAX_QUERY_CHARS, parse
from .segdata import IndexArrays, PostingsView

log = logging.getLogger("unionsearch.engine")

SORTS = ("relevance", "newest", "oldest")
MAX_SIZE = 100
MAX_PAGE = 10_000
MAX_QUERY = MAX_QUERY_CHARS  # characters of q; the parser reads no further anyway
MAX_REPORTERS = 20  # reporter filters in one request
MAX_REPORTER_CHARS = 50  # one reporter name (the longest in the 1998 corpus has 5)
REFRESH_EVERY = 0.5  # seconds between checks for a newer commit
FACET_LIMIT = 30


class BadRequest(ValueError):
    """A parameter the engine cannot use; the message is shown to the user.

    ``str(exc)`` is English (command line, JSON API); ``message_zh`` is the same
    in Chinese for the HTML pages.
    """

    def __init__(self, message: str, message_zh: str, param: str | None = None):
        super().__init__(message)
        self.message_zh = message_zh
        self.param = param  # the parameter to drop to fix it ("range": from and to)


PARAM_ZH = {"from": "起始日期", "to": "截止日期", "sort": "排序方式", "page": "页码",
            "size": "每页条数", "q": "检索词", "reporter": "记者姓名"}


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"[0-9]+")


def _shown(text: str) -> str:
    """A bad value as quoted in a message: cut short, undecodable bytes as U+FFFD."""
    return text[:40].encode("utf-8", "replace").decode("utf-8")


def parse_date(value: str | None, name: str) -> str | None:
    """ISO ``YYYY-MM-DD`` only.

    Python 3.11's ``date.fromisoformat`` also takes ``20220101`` and week dates
    (``2022-W01-1``): silently guessing at such forms would make a typo a filter.
    """
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        shown = _shown(text)
        raise BadRequest(f"{name} must be a date like 2022-09-30, not {shown!r}",
                         f"{PARAM_ZH.get(name, name)}“{shown}”不是有效的日期，"
                         "请写成 2022-09-30 这样的格式。", name) from None


def parse_int(value, name: str, default: int, low: int, high: int) -> int:
    """ASCII digits only: ``int()`` also reads ``١`` (Arabic-Indic) and ``1_0``."""
    if value is None or str(value).strip() == "":
        return default
    text = str(value).strip()
    if not _DIGITS.fullmatch(text):
        shown = _shown(text)
        raise BadRequest(f"{name} must be a whole number (digits 0-9), not {shown!r}",
                         f"{PARAM_ZH.get(name, name)}应为整数（用 0-9 书写），而不是“{shown}”。",
                         name) from None
    number = int(text) if len(text) <= 12 else high + 1
    if number < low or number > high:
        shown = text if len(text) <= 12 else text[:12] + "…"
        raise BadRequest(f"{name} must be between {low} and {high}, not {shown}",
                         f"{PARAM_ZH.get(name, name)}应在 {low} 到 {high} 之间，而不是 {shown}。",
                         name)
    return number


def check_text(value: str, name: str, limit: int) -> str:
    """Text a user typed: at most ``limit`` characters, and decodable.

    Every link on the results page repeats the query and the filters, so what a
    request may carry bounds the page: 3,000 repeated reporters made a 964 MB
    page.  A lone surrogate (undecodable bytes on the command line) would fail
    when it is encoded for the index lookups.
    """
    if len(value) > limit:
        raise BadRequest(f"{name} is too long: {len(value)} characters, at most {limit}",
                         f"{PARAM_ZH.get(name, name)}太长了：{len(value)} 个字符，"
                         f"最多 {limit} 个。",
                         name)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"{name} is not valid text (undecodable bytes)",
                         f"{PARAM_ZH.get(name, name)}含有无法识别的字符。", name) from None
    return value


@dataclass
class SearchRequest:
    q: str = ""
    reporters: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    size: int = 10

    @classmethod
    def from_params(cls, q=None, reporters=(), date_from=None, date_to=None,
                    sort=None, page=None, size=None) -> SearchRequest:
        """Validate raw parameters (strings from a URL or the command line)."""
        sort = (sort or "relevance").strip()
        if sort not in SORTS:
            shown = _shown(sort)
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}, not {shown!r}",
                             f"不认识的排序方式“{shown}”：可用 relevance（相关度）、"
                             "newest（最新）或 oldest（最早）。", "sort")
        # The length of q is bounded where it arrives by HTTP (web.app); here the
        # parser just reads no further than MAX_QUERY characters.
        q = check_text(q or "", "q", len(q or ""))
        names = [r for r in (x.strip() for x in reporters or ()) if r]
        if len(names) > MAX_REPORTERS:
            raise BadRequest(f"at most {MAX_REPORTERS} reporters at once, not {len(names)}",
                             f"一次最多按 {MAX_REPORTERS} 位记者筛选，这里有 {len(names)} 位。",
                             "reporter")
        for name in names:
            check_text(name, "reporter", MAX_REPORTER_CHARS)
        d_from = parse_date(date_from, "from")
        d_to = parse_date(date_to, "to")
        if d_from and d_to and d_from > d_to:
            raise BadRequest(f"from ({d_from}) is after to ({d_to})",
                             f"起始日期 {d_from} 晚于截止日期 {d_to}，请调换或修改日期。", "range")
        return cls(
            q=q,
            reporters=names,
            date_from=d_from,
            date_to=d_to,
            sort=sort,
            page=parse_int(page, "page", 1, 1, MAX_PAGE),
            size=parse_int(size, "size", 10, 1, MAX_SIZE),
        )


def _day_to_iso(day: int) -> str:
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"


def ranked(docs: np.ndarray, scores: np.ndarray, days: np.ndarray, sort: str,
           k: int) -> np.ndarray:
    """Indexes of the first ``k`` results in order (ties: newest, then docnum).

    Only the candidates that can be in the first ``k`` by the primary key are
    fully sorted: a common word matches most of the archive, and sorting all of
    it for ten hits was the largest cost of such queries.
    """
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
    return np.lexsort(keys)[:k]


class _QueryView:
    """One query's postings view: each term's postings read once.

    ``工工 OR 工工工 OR …`` read and decoded the same 300,000 positions once per
    clause (63 times, 0.3 s); a query holds at most 32 clauses of at most 1,000
    characters, so what is kept is bounded and dropped with the query.
    """

    def __init__(self, view: PostingsView):
        self.view = view
        self.leaves, self.live = view.leaves, view.live
        self._seen: dict = {}

    def postings(self, fieldname: str, text: str):
        key = (fieldname, text)
        p = self._seen.get(key)
        if p is None:
            p = self._seen[key] = self.view.postings(fieldname, text)
        return p

    def reporter_docs(self, key: str) -> np.ndarray:
        return self.view.reporter_docs(key)


@dataclass(frozen=True)
class _State:
    """One opened index generation: what a search needs, shared read-only by threads."""

    searcher: Any
    arrays: IndexArrays
    view: PostingsView
    key: tuple  # (folder device, inode, index id, generation): the cache key's first part


class Engine:
    """Searches one index folder; safe to share between threads.

    Searches run side by side: each takes the current :class:`_State` under
    :attr:`lock`, held only to check for (and open) a newer or swapped index,
    and then works without it.  Postings are ``pread`` from immutable ``.usx``
    files and the arrays are read-only; only Whoosh's own readers seek shared
    file handles, so stored fields and reporter postings are read under the
    short :attr:`io_lock` (microseconds per hit).  Before, the lock was held
    for a whole search, and one slow query kept ``/healthz`` waiting 2.9 s.
    """

    RETIRE_AFTER = 60.0  # seconds a replaced searcher stays open for searches still using it

    def __init__(self, index_dir: str, cache_size: int = 256):
        self.index_dir = str(index_dir)
        self.lock = threading.RLock()
        self.io_lock = threading.Lock()
        self._identity = Identity(self.index_dir)
        self._state: _State | None = None
        self._pending: _State | None = None
        self._retired: list[tuple[float, Any]] = []
        self._checked = 0.0
        self._failed = -REFRESH_EVERY
        self._warned = ""
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        with self.lock:  # opens every segment's files now: a damaged one stops start-up
            self._open_fresh()

    # -- searchers -------------------------------------------------------
    def state(self) -> _State:
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
                        self._install(self._opened(self.ix.searcher()))
            except (OSError, IndexUnusable) as exc:
                # Between the two renames of a swap the folder is missing or half
                # there: keep serving what is open, and look again shortly.
                self._failed = now
                if str(exc) != self._warned:
                    self._warned = str(exc)
                    log.warning("index in %s not reopened yet: %s", self.index_dir, exc)
            if self._retired:
                self._close_retired(now)
            return self._state

    def _open_fresh(self) -> None:
        """(Re)open the folder's index: at start-up, and when another one was swapped in."""
        try:
            identity = self._identity.current()  # before opening: a later swap shows next time
        except FileNotFoundError:
            open_index(self.index_dir)  # raises IndexUnusable("No index in …")
            raise
        ix = open_index(self.index_dir)
        self.ix = ix
        self._install(self._opened(ix.searcher()), identity)

    def _install(self, searcher, identity: tuple | None = None) -> None:
        old = self._state
        if identity is None:
            identity = old.key[:3] if old else self._identity.current()
        pending = self._pending
        if pending is not None and pending.searcher is searcher:
            arrays = pending.arrays
        else:
            arrays = IndexArrays.build(searcher)
        self._pending = None
        generation = searcher.reader().generation()
        self._state = _State(searcher, arrays, PostingsView(searcher, arrays, self.io_lock),
                             (*identity, generation))
        if old is not None and old.searcher is not searcher:
            self._retired.append((time.monotonic(), old.searcher))

    def _close_retired(self, now: float) -> None:
        while self._retired and now - self._retired[0][0] >= self.RETIRE_AFTER:
            _, s = self._retired.pop(0)
            try:
                s.close()
            except Exception:  # noqa: BLE001 - closing an old reader must not fail a search
                pass

    def _opened(self, s):
        """``s`` with its segments' ``.usx`` files open (and its arrays built).

        Whoosh opens a generation's files when the searcher opens; the ``.usx``
        files are opened here, just after.  If an import commits in between and
        merges a segment away, its file is already gone: then the newer
        generation is opened instead.
        """
        for _ in range(4):
            try:
                self._pending = _State(s, IndexArrays.build(s), None, ())
                return s
            except IndexUnusable:
                if s.up_to_date():
                    raise
                s.close()  # nobody else has seen it
                s = self.ix.searcher()
        self._pending = _State(s, IndexArrays.build(s), None, ())  # a failure now is no race
        return s

    def searcher(self):
        """The current Whoosh searcher (for tests and tools; searches use :meth:`state`)."""
        return self.state().searcher

    @property
    def _searcher(self):
        return self._state.searcher if self._state else None

    @_searcher.setter
    def _searcher(self, searcher) -> None:
        with self.lock:
            self._install(searcher)

    def doc_count(self) -> int:
        return self.state().searcher.doc_count()

    # -- queries ---------------------------------------------------------
    def search(self, req: SearchRequest) -> dict:
        started = time.perf_counter()
        st = self.state()
        key = (st.key, req.q, tuple(req.reporters), req.date_from, req.date_to,
               req.sort, req.page, req.size)
        with self.lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is None:
            cached = self._search(st, req)
            with self.lock:
                self._cache[key] = cached
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        result = dict(cached)
        result["took_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _filter_docs(self, view: PostingsView, arrays: IndexArrays,
                     req: SearchRequest) -> np.ndarray | None:
        mask = None
        if req.reporters:
            keys = [k for k in (reporter_key(r) for r in req.reporters) if k]
            docs = [view.reporter_docs(k) for k in keys]
            mask = np.zeros(len(arrays.live), dtype=bool)
            for d in docs:
                mask[d] = True
        if req.date_from or req.date_to:
            lo = int(req.date_from.replace("-", "")) if req.date_from else 0
            hi = int(req.date_to.replace("-", "")) if req.date_to else 99999999
            in_range = (arrays.days >= lo) & (arrays.days <= hi)
            mask = in_range if mask is None else mask & in_range
        if mask is None:
            return None
        return np.flatnonzero(mask & arrays.live).astype(np.int64)

    def _search(self, st: _State, req: SearchRequest) -> dict:
        searcher, arrays, view = st.searcher, st.arrays, st.view
        parsed = parse(req.q)
        evaluator = Evaluator(_QueryView(view), arrays)
        allowed = self._filter_docs(view, arrays, req)
        if parsed.is_empty:
            docs = allowed if allowed is not None else evaluator.all_docs().docs
            match = Match(docs, np.zeros(len(docs)))
            sort = "newest" if req.sort == "relevance" else req.sort
        else:
            match = evaluator.evaluate(parsed)
            if allowed is not None:
                match = restrict(match, allowed)
            sort = req.sort
        docs, scores = match.docs, match.scores
        start = (req.page - 1) * req.size
        page = ranked(docs, scores, arrays.days[docs], sort, start + req.size)[start:]
        needles = Needles(parsed)
        hits = []
        for i in page.tolist():
            with self.io_lock:
                stored = searcher.stored_fields(int(docs[i]))
            art = from_stored(stored)
            score = None if parsed.is_empty else round(float(scores[i]), 4)
            hits.append({
                "id": art["id"],
                "kicker": art["kicker"],
                "title": art["title"],
                "subtitle": art["subtitle"],
                "reporters": art["reporters"],
                "date": art["date"],
                "page": art["page"],
                "title_html": mark(art["title"], needles),
                "snippet": snippet(art["body"], needles),
                "score": score,
                "verbatim": bool(score is not None and score >= VERBATIM_BONUS),
            })
        return {
            "query": req.q,
            "total": int(len(docs)),
            "page": req.page,
            "size": req.size,
            "took_ms": 0.0,
            "hits": hits,
            "facets": self._facets(arrays, docs),
        }

    def _facets(self, arrays: IndexArrays, docs: np.ndarray) -> dict:
        """Reporter and year counts over the whole result set, in NumPy."""
        years = np.bincount(arrays.days[docs] // 10000) if len(docs) else np.zeros(0, int)
        year_list = [{"value": str(y), "count": int(years[y])}
                     for y in np.flatnonzero(years)[::-1].tolist() if y]
        reporters = []
        if len(docs) and len(arrays.rep_doc):
            mask = np.zeros(len(arrays.live), dtype=bool)
            mask[docs] = True
            counts = np.bincount(arrays.rep_id[mask[arrays.rep_doc]],
                                 minlength=len(arrays.names))
            top = np.flatnonzero(counts)
            top = top[np.lexsort((top, -counts[top]))][:FACET_LIMIT]
            reporters = [{"value": arrays.names[i], "count": int(counts[i])}
                         for i in top.tolist()]
        return {"reporter": reporters, "year": year_list}

    def get(self, article_id: str) -> dict | None:
        searcher = self.state().searcher
        with self.io_lock:
            stored = searcher.document(id=str(article_id))
        return from_stored(stored) if stored else None

    def stats(self) -> dict:
        st = self.state()
        arrays, documents = st.arrays, st.searcher.doc_count()
        live_days = np.unique(arrays.days[arrays.live]).tolist()
        size = 0
        for entry in os.scandir(self.index_dir):
            if entry.is_file():
                size += entry.stat().st_size
        reporters = np.unique(arrays.rep_id) if len(arrays.rep_id) else []
        return {
            "documents": documents,
            "issues": len(live_days),
            "date_from": _day_to_iso(live_days[0]) if live_days else None,
            "date_to": _day_to_iso(live_days[-1]) if live_days else None,
            "reporters": len(reporters),
            "index_bytes": size,
            "index_dir": self.index_dir,
        }
