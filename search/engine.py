"""Running searches: request validation, filters, sorting, facets, hits.

One :class:`Engine` per process.  Each thread gets its own Whoosh searcher,
reused across requests and refreshed when the index has a newer commit, so a
running service sees new imports without a restart.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh import sorting
from whoosh.scoring import BM25F

from . import schema as f
from .document import from_stored, reporter_key
from .highlight import Needles, mark, snippet
from .index import open_index
from .query import VERBATIM_BONUS, parse, to_whoosh

SORTS = ("relevance", "newest", "oldest")
MAX_SIZE = 100
MAX_PAGE = 10_000
REFRESH_EVERY = 0.5  # seconds between checks for a newer commit
FACET_LIMIT = 30


class BadRequest(ValueError):
    """A parameter the engine cannot use; the message is shown to the user."""


def parse_date(value: str | None, name: str) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadRequest(f"{name} must be a date like 2022-09-30, not {text[:40]!r}") from None


def parse_int(value, name: str, default: int, low: int, high: int) -> int:
    if value is None or str(value).strip() == "":
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {str(value)[:40]!r}") from None
    if number < low or number > high:
        raise BadRequest(f"{name} must be between {low} and {high}, not {number}")
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
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}, not {sort[:40]!r}")
        d_from = parse_date(date_from, "from")
        d_to = parse_date(date_to, "to")
        if d_from and d_to and d_from > d_to:
            raise BadRequest(f"from ({d_from}) is after to ({d_to})")
        return cls(
            q=q or "",
            reporters=[r for r in (x.strip() for x in reporters or ()) if r],
            date_from=d_from,
            date_to=d_to,
            sort=sort,
            page=parse_int(page, "page", 1, 1, MAX_PAGE),
            size=parse_int(size, "size", 10, 1, MAX_SIZE),
        )

    def filter_query(self) -> wq.Query | None:
        parts = []
        keys = [k for k in (reporter_key(r) for r in self.reporters) if k]
        if self.reporters:
            parts.append(wq.Or([wq.Term(f.REPORTER, k) for k in keys]) if keys else wq.NullQuery)
        if self.date_from or self.date_to:
            lo = int(self.date_from.replace("-", "")) if self.date_from else None
            hi = int(self.date_to.replace("-", "")) if self.date_to else None
            parts.append(wq.NumericRange(f.DAY, lo, hi))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.And(parts)


def _day_to_iso(day: int) -> str:
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"


class _FacetData:
    """Per-searcher arrays: each document's day and reporter names."""

    def __init__(self, searcher):
        reader = searcher.reader()
        n = reader.doc_count_all()
        self.days = list(reader.column_reader(f.DAY)) if reader.has_column(f.DAY) else [0] * n
        self.names: dict[int, list[str]] = {}
        if f.REPORTER in reader.indexed_field_names():
            for btext in reader.lexicon(f.REPORTER):
                name = btext.decode("utf-8")
                for docnum in reader.postings(f.REPORTER, btext).all_ids():
                    self.names.setdefault(docnum, []).append(name)


class Engine:
    """Searches one index folder; safe to share between threads."""

    def __init__(self, index_dir: str):
        self.index_dir = str(index_dir)
        self.ix = open_index(self.index_dir)
        self._local = threading.local()
        self._facets: dict[int, _FacetData] = {}
        self._facet_lock = threading.Lock()

    # -- searchers -------------------------------------------------------
    def searcher(self):
        local = self._local
        s = getattr(local, "searcher", None)
        now = time.monotonic()
        if s is None:
            s = self.ix.searcher(weighting=BM25F())
            local.searcher, local.checked = s, now
        elif now - local.checked >= REFRESH_EVERY:
            local.checked = now
            if not s.up_to_date():
                local.searcher = s = s.refresh()
        return s

    def generation(self) -> int:
        return self.searcher().reader().generation()

    def _facet_data(self, searcher) -> _FacetData:
        key = id(searcher.reader())
        data = self._facets.get(key)
        if data is None:
            with self._facet_lock:
                data = self._facets.get(key)
                if data is None:
                    data = _FacetData(searcher)
                    if len(self._facets) > 8:
                        self._facets.clear()
                    self._facets[key] = data
        return data

    # -- queries ---------------------------------------------------------
    def search(self, req: SearchRequest) -> dict:
        started = time.perf_counter()
        searcher = self.searcher()
        parsed = parse(req.q)
        flt = req.filter_query()
        if parsed.is_empty:
            q = flt if flt is not None else wq.Every()
            flt = None
            sort = "newest" if req.sort == "relevance" else req.sort
        else:
            q = to_whoosh(parsed) or wq.NullQuery
            sort = req.sort
        day_desc = sorting.FieldFacet(f.DAY, reverse=True)
        if sort == "relevance":
            sortedby = sorting.MultiFacet([sorting.ScoreFacet(), day_desc])
        elif sort == "newest":
            sortedby = day_desc
        else:
            sortedby = sorting.FieldFacet(f.DAY)
        limit = req.page * req.size
        results = searcher.search(q, filter=flt, limit=limit, sortedby=sortedby)
        total = len(results)
        needles = Needles(parsed)
        hits = []
        for key, docnum in results.top_n[(req.page - 1) * req.size : limit]:
            stored = searcher.stored_fields(docnum)
            art = from_stored(stored)
            score = None
            if sort == "relevance" and not parsed.is_empty:
                score = round(-key[0], 4)
            hits.append({
                "id": art["id"],
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
        facets = self._count_facets(searcher, results.docs())
        return {
            "query": req.q,
            "total": total,
            "page": req.page,
            "size": req.size,
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
            "hits": hits,
            "facets": facets,
        }

    def _count_facets(self, searcher, docs) -> dict:
        data = self._facet_data(searcher)
        years: Counter = Counter()
        names: Counter = Counter()
        days, by_doc = data.days, data.names
        for d in docs:
            years[days[d] // 10000] += 1
            for name in by_doc.get(d, ()):
                names[name] += 1
        top_names = sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_LIMIT]
        return {
            "reporter": [{"value": v, "count": c} for v, c in top_names],
            "year": [{"value": str(y), "count": c}
                     for y, c in sorted(years.items(), key=lambda kv: -kv[0]) if y],
        }

    def get(self, article_id: str) -> dict | None:
        stored = self.searcher().document(id=str(article_id))
        return from_stored(stored) if stored else None

    def stats(self) -> dict:
        s = self.searcher()
        data = self._facet_data(s)
        reader = s.reader()
        live_days = sorted({data.days[d] for d in reader.all_doc_ids()})
        size = 0
        for entry in os.scandir(self.index_dir):
            if entry.is_file():
                size += entry.stat().st_size
        reporters = set()
        if f.REPORTER in reader.indexed_field_names():
            reporters = {t for t in reader.lexicon(f.REPORTER)}
        return {
            "documents": s.doc_count(),
            "issues": len(live_days),
            "date_from": _day_to_iso(live_days[0]) if live_days else None,
            "date_to": _day_to_iso(live_days[-1]) if live_days else None,
            "reporters": len(reporters),
            "index_bytes": size,
            "index_dir": self.index_dir,
        }
