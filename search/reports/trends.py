"""How often a theme was covered over time: matching articles per year (or month) per query.

Counts are exact: each query is evaluated into its whole result set, filters
applied, exactly as a search counts its total (:func:`search.results.matched`),
and its documents' days are binned in NumPy.  So a trend costs one search's
evaluation per query and no stored article is read.  Every query of a trend
shares one axis: from the ``from`` date to the ``to`` date, each clamped to the
archive's own first and last day (``from=0001-01-01&to=9999-12-31`` drew ten thousand
yearly bars), per month when that spans at most :data:`AUTO_MONTHS` months, else per
year.  Trends are cached by count and by weight (:data:`CACHE_BYTES`).
"""

from __future__ import annotations

import calendar as cal
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from ..document import date_of, day_of
from ..results import matched
from ..retrieval.request import BadRequest, SearchRequest, check_text
from ..storage.generations import ResultCache

if TYPE_CHECKING:
    from ..storage.generations import IndexState
    from ..understanding.synonyms import SynonymTable

GRANULARITIES = ("auto", "year", "month")
MAX_QUERIES = 3
AUTO_MONTHS = 24  # an axis of at most this many months is drawn per month
MAX_MONTHS = 120  # per month, at most ten years: each bar on a page is a link
# Per year, at most this many bars.  Imports take 1900 to next year, so only an index that
# already held a 0001-01-01 or 9999-12-31 (imported before dates were bounded) reaches it.
MAX_YEARS = 200


class Period(TypedDict):
    """One bar of the axis: ``2022`` or ``2022-09``, and the dates it covers (filters clamped)."""

    period: str
    date_from: str
    date_to: str


class Series(TypedDict):
    """One query's counts, aligned with the periods; ``total`` is the query's whole total."""

    query: str
    total: int
    counts: list[int]


class Trend(TypedDict):
    """The body of ``GET /api/trends``."""

    by: str  # "year" or "month"
    periods: list[Period]
    series: list[Series]


@dataclass
class TrendRequest:
    """Up to :data:`MAX_QUERIES` queries sharing the filters of a search and one axis."""

    queries: list[str]
    base: SearchRequest = field(default_factory=SearchRequest)  # reporters, from, to
    by: str = "auto"

    @classmethod
    def from_params(cls, queries: Iterable[str], reporters: Iterable[str] | None = (),
                    date_from: str | None = None, date_to: str | None = None,
                    by: str | None = None, papers: Iterable[str] | None = ()) -> TrendRequest:
        """Validate raw parameters: at most :data:`MAX_QUERIES` ``q`` given (the form's
        fields, empty ones included, as the API description says); empty and repeated
        queries are then dropped (none left: the filters alone)."""
        qs = [check_text(q, "q", len(q)).strip() for q in queries]
        if len(qs) > MAX_QUERIES:
            raise BadRequest(f"at most {MAX_QUERIES} queries in one trend, not {len(qs)}",
                             f"一张趋势图最多比较 {MAX_QUERIES} 个检索词，这里有 {len(qs)} 个。",
                             "q")
        qs = list(dict.fromkeys(q for q in qs if q)) or [""]
        by = (by or "auto").strip()
        if by not in GRANULARITIES:
            shown = by[:20]
            raise BadRequest(f"by must be one of {', '.join(GRANULARITIES)}, not {shown!r}",
                             f"不认识的统计单位“{shown}”：可用 auto（自动）、year（按年）"
                             "或 month（按月）。", "by")
        base = SearchRequest.from_params("", reporters, date_from, date_to, papers=papers)
        return cls(queries=qs, base=base, by=by)

    def search(self, q: str) -> SearchRequest:
        """The search whose result set one series counts."""
        b = self.base
        return SearchRequest(q=q, reporters=b.reporters, date_from=b.date_from,
                             date_to=b.date_to, synonyms=b.synonyms, papers=list(b.papers),
                             since=b.since)

    def key(self) -> tuple:
        """The cache key: the queries, the search's filters and the axis."""
        return (tuple(self.queries), *self.base.key(), self.by)

    def within(self, first: str | None, last: str | None) -> TrendRequest:
        """This trend with dates past the archive's edges dropped (see
        :meth:`SearchRequest.within`): the same counts and axis, one cache entry."""
        base = self.base.within(first, last)
        return self if base is self.base else TrendRequest(self.queries, base, self.by)


def archive_dates(st: IndexState) -> tuple[str | None, str | None]:
    """The archive's first and last day with a live article (ISO), or (None, None)."""
    span = st.arrays.day_span()
    return (date_of(span[0]), date_of(span[1])) if span else (None, None)


@dataclass
class Axis:
    """The periods every series of a trend is counted in, from day ``lo`` to day ``hi``."""

    by: str  # "year" or "month"
    lo: int
    hi: int
    periods: list[Period]


def _months(day: int) -> int:
    return day // 10000 * 12 + day // 100 % 100 - 1


def axis(st: IndexState, req: TrendRequest) -> Axis | None:
    """The axis of ``req``: its dates within the archive's first and last day; None when
    that leaves nothing (an empty archive, dates outside it).

    Raises :class:`BadRequest` for a monthly axis over :data:`MAX_MONTHS` months.
    """
    span = st.arrays.day_span()
    if span is None:
        return None
    b = req.base
    lo = max(day_of(b.date_from), span[0]) if b.date_from else span[0]
    hi = min(day_of(b.date_to), span[1]) if b.date_to else span[1]
    if lo > hi:
        return None
    by = _granularity(lo, hi, req.by)
    first, last = (lo // 10000, hi // 10000) if by == "year" else (_months(lo), _months(hi))
    periods: list[Period] = []
    for n in range(first, last + 1):
        if by == "year":
            label, start, end = f"{n:04d}", n * 10000 + 101, n * 10000 + 1231
        else:
            y, m = divmod(n, 12)
            label = f"{y:04d}-{m + 1:02d}"
            start = y * 10000 + (m + 1) * 100 + 1
            end = y * 10000 + (m + 1) * 100 + cal.monthrange(y, m + 1)[1]
        # A bar narrows the results to its period within the filters, not beyond them.
        start = max(start, day_of(b.date_from)) if b.date_from else start
        end = min(end, day_of(b.date_to)) if b.date_to else end
        periods.append({"period": label, "date_from": date_of(start), "date_to": date_of(end)})
    return Axis(by, lo, hi, periods)


def _granularity(lo: int, hi: int, by: str) -> str:
    span = _months(hi) - _months(lo) + 1
    years = hi // 10000 - lo // 10000 + 1
    if by != "month" and span > AUTO_MONTHS and years > MAX_YEARS:
        raise BadRequest(f"a trend spans at most {MAX_YEARS} years, not {years}: narrow "
                         "from/to (the archive holds articles dated far apart)",
                         f"趋势图最多跨 {MAX_YEARS} 年，这里有 {years} 年（档案中有日期相差"
                         "很远的文章）：请缩小日期范围。", "range")
    if by == "auto":
        return "month" if span <= AUTO_MONTHS else "year"
    if by == "month" and span > MAX_MONTHS:
        raise BadRequest(f"a monthly trend spans at most {MAX_MONTHS} months, not {span}: "
                         "narrow from/to or use by=year",
                         f"按月统计最多 {MAX_MONTHS} 个月，这里有 {span} 个月："
                         "请缩小日期范围，或改为按年统计。", "by")
    return by


def _empty(req: TrendRequest) -> Trend:
    return {"by": "year" if req.by == "auto" else req.by, "periods": [],
            "series": [{"query": q, "total": 0, "counts": []} for q in req.queries]}


CACHE_BYTES = 16 << 20  # trends kept, at most (a trend of 3 queries over 80 years: ~60 KB)
_trends: ResultCache[Trend] = ResultCache(256, CACHE_BYTES)


def trend(st: IndexState, req: TrendRequest, synonyms: SynonymTable | None = None,
          synonyms_version: int = 0) -> Trend:
    """Matching articles per period for each query (cached per request, generation and
    synonym list: the same result sets as the searches).  Raises :class:`BadRequest`
    for an axis it will not draw (see :func:`axis`)."""
    req = req.within(*archive_dates(st))
    key = (st.key, synonyms_version, *req.key())
    cached = _trends.get(key)
    if cached is None:
        cached = _trend(st, req, synonyms)
        _trends.put(key, cached)
    return cached


def _trend(st: IndexState, req: TrendRequest, synonyms: SynonymTable | None) -> Trend:
    ax = axis(st, req)
    if ax is None:
        return _empty(req)
    series: list[Series] = []
    for q in req.queries:
        match = matched(st, req.search(q), synonyms, ranked=False).match  # docs only
        days = st.arrays.days[match.docs].astype(np.int64)
        days = days[(days >= ax.lo) & (days <= ax.hi)]
        if ax.by == "year":
            slots = days // 10000 - ax.lo // 10000
        else:
            slots = days // 10000 * 12 + days // 100 % 100 - 1 - _months(ax.lo)
        counts = np.bincount(slots, minlength=len(ax.periods))
        series.append({"query": q, "total": int(len(match.docs)),
                       "counts": [int(c) for c in counts.tolist()]})
    return {"by": ax.by, "periods": ax.periods, "series": series}


def from_year_facet(ax: Axis, q: str, total: int, years: list[dict]) -> Trend:
    """A one-query yearly trend from a search result's year facet: the same exact counts
    (the facet counts the whole result set), and no second evaluation of the query."""
    by_year = {int(f["value"]): int(f["count"]) for f in years}
    first = ax.lo // 10000
    counts = [by_year.get(first + i, 0) for i in range(len(ax.periods))]
    return {"by": "year", "periods": ax.periods,
            "series": [{"query": q, "total": total, "counts": counts}]}
