"""Running searches: request validation, filters, sorting, facets, hits.

One :class:`Engine` per process, shared by its threads: one Whoosh searcher,
reused across requests under a lock and refreshed when the index has a newer
commit, so a running service sees new imports without a restart.  Results are
cached per query and index generation.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from .document import from_stored, reporter_key
from .evaluate import VERBATIM_BONUS, Evaluator, Match, restrict
from .highlight import Needles, mark, snippet
from .index import IndexUnusable, open_index
from .query import parse
from .segdata import IndexArrays, PostingsView

SORTS = ("relevance", "newest", "oldest")
MAX_SIZE = 100
MAX_PAGE = 10_000
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
            "size": "每页条数"}


def parse_date(value: str | None, name: str) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadRequest(f"{name} must be a date like 2022-09-30, not {text[:40]!r}",
                         f"{PARAM_ZH.get(name, name)}“{text[:40]}”不是有效的日期，"
                         "请写成 2022-09-30 这样的格式。", name) from None


def parse_int(value, name: str, default: int, low: int, high: int) -> int:
    if value is None or str(value).strip() == "":
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {str(value)[:40]!r}",
                         f"{PARAM_ZH.get(name, name)}应为整数，而不是“{str(value)[:40]}”。",
                         name) from None
    if number < low or number > high:
        raise BadRequest(f"{name} must be between {low} and {high}, not {number}",
                         f"{PARAM_ZH.get(name, name)}应在 {low} 到 {high} 之间，而不是 {number}。",
                         name)
    return number


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
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}, not {sort[:40]!r}",
                             f"不认识的排序方式“{sort[:40]}”：可用 relevance（相关度）、"
                             "newest（最新）或 oldest（最早）。", "sort")
        d_from = parse_date(date_from, "from")
        d_to = parse_date(date_to, "to")
        if d_from and d_to and d_from > d_to:
            raise BadRequest(f"from ({d_from}) is after to ({d_to})",
                             f"起始日期 {d_from} 晚于截止日期 {d_to}，请调换或修改日期。", "range")
        return cls(
            q=q or "",
            reporters=[r for r in (x.strip() for x in reporters or ()) if r],
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


class Engine:
    """Searches one index folder; safe to share between threads."""

    def __init__(self, index_dir: str, cache_size: int = 256):
        self.index_dir = str(index_dir)
        self.ix = open_index(self.index_dir)
        self.lock = threading.RLock()
        self._searcher = None
        self._checked = 0.0
        self._arrays: IndexArrays | None = None
        self._arrays_generation = -1
        self._cache: OrderedDict = OrderedDict()
        self._cache_size = cache_size
        with self.lock:  # opens every segment's files now: a damaged one stops start-up
            self.searcher()

    # -- searchers -------------------------------------------------------
    def searcher(self):
        """The shared searcher, refreshed when a newer commit exists.

        One searcher serves every thread, used under :attr:`lock`: Whoosh's
        readers seek shared file handles, and one reader per thread multiplied
        the server's memory by the thread count (a 20,000-article index held
        7.6 GB with eight threads).  The GIL serialises this work anyway.
        """
        with self.lock:
            now = time.monotonic()
            s = self._searcher
            if s is None:
                s = self._searcher = self._opened(self.ix.searcher())
                self._checked = now
            elif now - self._checked >= REFRESH_EVERY:
                self._checked = now
                if not s.up_to_date():
                    s = self._searcher = self._opened(s.refresh())
            return s

    def _opened(self, s):
        """``s`` with its segments' ``.usx`` files open (and its arrays built).

        Whoosh opens a generation's files when the searcher opens; the ``.usx``
        files are opened here, just after.  If an import commits in between and
        merges a segment away, its file is already gone: then the newer
        generation is opened instead.
        """
        for _ in range(4):
            try:
                self.arrays(s)
                return s
            except IndexUnusable:
                if s.up_to_date():
                    raise
                s = s.refresh()
        self.arrays(s)  # a fifth try; a failure now is not a race
        return s

    def doc_count(self) -> int:
        with self.lock:
            return self.searcher().doc_count()

    def arrays(self, searcher) -> IndexArrays:
        """Column arrays for ``searcher``'s generation, built once (call under lock)."""
        generation = searcher.reader().generation()
        if self._arrays is None or self._arrays_generation != generation:
            self._arrays = IndexArrays.build(searcher)
            self._arrays_generation = generation
        return self._arrays

    # -- queries ---------------------------------------------------------
    def search(self, req: SearchRequest) -> dict:
        started = time.perf_counter()
        with self.lock:
            searcher = self.searcher()
            generation = searcher.reader().generation()
            key = (generation, req.q, tuple(req.reporters), req.date_from, req.date_to,
                   req.sort, req.page, req.size)
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
            else:
                cached = self._search(searcher, req)
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

    def _search(self, searcher, req: SearchRequest) -> dict:
        arrays = self.arrays(searcher)
        view = PostingsView(searcher, arrays)
        parsed = parse(req.q)
        evaluator = Evaluator(view, arrays)
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
            art = from_stored(searcher.stored_fields(int(docs[i])))
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
        with self.lock:
            stored = self.searcher().document(id=str(article_id))
        return from_stored(stored) if stored else None

    def stats(self) -> dict:
        with self.lock:
            s = self.searcher()
            arrays = self.arrays(s)
            documents = s.doc_count()
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
