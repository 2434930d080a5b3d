"""The archive as a newspaper: the calendar of issues, one issue by 版面, an article's neighbours.

An issue is every live article of one date.  Within a 版面 articles keep the
order they were imported in (docnum order: a page dump is read top to
bottom), which is the page order a reader expects; articles without a 版面 are
listed last, under 未分版.  Counts come from the per-document day column, so
the calendar never reads a stored article; an issue reads its own articles'
stored fields once per index generation (cached).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from ..document import date_of, day_of, from_stored, paper_ref
from ..results import Heading, StoredArticle
from ..storage.generations import ResultCache

if TYPE_CHECKING:
    from ..storage.generations import IndexState

NO_PAGE = "未分版"
_PAGE = re.compile(r"^\s*(?:第\s*)?([A-Za-z]?)\s*0*(\d{1,3})\s*版?\s*(?:[:：·、\s-]\s*(.*))?$")


class DayCount(TypedDict):
    date: str  # YYYY-MM-DD
    count: int


class MonthCount(TypedDict):
    month: int
    count: int
    days: list[DayCount]


class YearCount(TypedDict):
    year: int
    count: int
    months: list[MonthCount]


class Calendar(TypedDict):
    """Every date with articles: years newest first, their months and days in order."""

    issues: int
    articles: int
    years: list[YearCount]


class IssuePage(TypedDict):
    """One 版面 of an issue: its number as stored (None: 未分版), its name where known."""

    page: str | None
    number: str  # "3", "A3", or "" for 未分版 / a page that is not a number
    name: str
    articles: list[Heading]


class Issue(TypedDict):
    """The body of ``GET /api/issues/<date>``."""

    date: str
    paper: dict | None  # {"key", "name"} of an issue of one paper; None: every article
    articles: int
    pages: list[IssuePage]
    previous: str | None  # the issue before, by date
    next: str | None


class Neighbours(TypedDict):
    """Where an article sits in its issue: its 版面, and the articles before and after it."""

    date: str
    page: str | None
    position: int  # 1-based, within the 版面
    of: int
    previous: Heading | None
    next: Heading | None


def _in_paper(st: IndexState, paper: str) -> np.ndarray:
    """Per docnum, live and of the paper ``paper`` (every paper when "")."""
    arrays = st.arrays
    return arrays.live & arrays.paper_mask([paper]) if paper else arrays.live


def _live_days(st: IndexState, paper: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Distinct days with live articles (of ``paper``), ascending, and their article counts."""
    return np.unique(st.arrays.days[_in_paper(st, paper)], return_counts=True)


def papers_of_day(st: IndexState, date: str) -> list[dict]:
    """The named papers with articles on ``date``: ``{"key", "name", "count"}`` by key."""
    arrays = st.arrays
    on_day = (arrays.days == day_of(date)) & arrays.live
    counts = np.bincount(arrays.paper[on_day], minlength=len(arrays.papers))
    return [{"key": k, "name": arrays.paper_names.get(k) or k, "count": int(counts[i])}
            for i, k in enumerate(arrays.papers) if k and counts[i]]


_calendars: ResultCache[Calendar] = ResultCache(4)


def calendar(st: IndexState, paper: str = "") -> Calendar:
    """Every date with articles (of ``paper``; "": all) and how many, grouped by year and
    month (cached per generation)."""
    cached = _calendars.get((st.key, paper))
    if cached is None:
        cached = _calendar(st, paper)
        _calendars.put((st.key, paper), cached)
    return cached


def _calendar(st: IndexState, paper: str) -> Calendar:
    days, counts = _live_days(st, paper)
    years: dict[int, YearCount] = {}
    for day, count in zip(days.tolist(), counts.tolist(), strict=True):
        if not day:
            continue
        y, m = day // 10000, day // 100 % 100
        year = years.setdefault(y, {"year": y, "count": 0, "months": []})
        if not year["months"] or year["months"][-1]["month"] != m:
            year["months"].append({"month": m, "count": 0, "days": []})
        month = year["months"][-1]
        month["days"].append({"date": date_of(day), "count": count})
        month["count"] += count
        year["count"] += count
    return {"issues": int(np.count_nonzero(days)), "articles": int(counts.sum()),
            "years": [years[y] for y in sorted(years, reverse=True)]}


def page_parts(page: str | None) -> tuple[str, str]:
    """(number, name) of a stored 版面: ``"3"`` → ("3", ""), ``"A03"`` → ("A3", ""),
    ``"3 综合新闻"`` / ``"03版：综合新闻"`` → ("3", "综合新闻"); text with no number → ("", text).
    """
    text = "" if page is None else str(page).strip()
    m = _PAGE.match(text)
    if not m:
        return "", text
    return f"{m.group(1).upper()}{int(m.group(2))}", (m.group(3) or "").strip()


def _page_order(page: str | None) -> tuple:
    """Sort key of a 版面: numbered pages by section letter then number, others, then 未分版."""
    if page is None or str(page).strip() == "":
        return (2, "", 0, "")
    number, name = page_parts(page)
    if not number:
        return (1, "", 0, name)
    return (0, number.rstrip("0123456789"), int(number.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
            name)


def stored_articles(st: IndexState, docnums: list[int]) -> list[StoredArticle]:
    """These documents as stored, read from Whoosh's stored fields under the I/O lock.

    The lock is taken for one article at a time: every search reads its page of
    hits under the same lock, so an export or an issue reading hundreds of
    articles lets a reader's search in between any two of them.  The one place
    the browse, export and reporter modules read stored articles by docnum: an
    accessor into the storage layer, to re-point if that changes.
    """
    stored = []
    for d in docnums:
        with st.view.io_lock:
            stored.append(st.searcher.stored_fields(d))
    return [from_stored(fields, st.arrays.paper_names) for fields in stored]


def stored_headings(st: IndexState, docnums: list[int]) -> list[Heading]:
    """The headings of these documents (no body), 版面 as text or None."""
    out: list[Heading] = []
    for art in stored_articles(st, docnums):
        page = art["page"]
        out.append({"id": art["id"], "kicker": art["kicker"], "title": art["title"],
                    "subtitle": art["subtitle"], "reporters": art["reporters"],
                    "date": art["date"], "page": None if page in (None, "") else str(page),
                    "paper": art["paper"]})
    return out


_issues: ResultCache[Issue | None] = ResultCache(64)


def issue(st: IndexState, date: str, names: dict[str, str] | None = None,
          paper: str = "") -> Issue | None:
    """The articles of one date (of ``paper``; "": all) grouped by 版面 in order; None when
    no article has that date.  ``names`` are the 版面 names known for that issue
    (``{"3": "综合新闻"}``)."""
    key = (st.key, date, paper)
    cached = _issues.get(key)
    if cached is None:
        cached = _issue(st, date, names or {}, paper)
        _issues.put(key, cached)
    return cached


def _issue(st: IndexState, date: str, names: dict[str, str], paper: str) -> Issue | None:
    arrays = st.arrays
    day = day_of(date)
    docs = np.flatnonzero((arrays.days == day) & _in_paper(st, paper))
    if not len(docs):
        return None
    groups: dict[str | None, list[Heading]] = {}
    for head in stored_headings(st, docs.tolist()):
        groups.setdefault(head["page"], []).append(head)
    pages: list[IssuePage] = []
    for page in sorted(groups, key=_page_order):
        number, name = page_parts(page) if page is not None else ("", "")
        name = name or names.get(number, "") or names.get(page or "", "")
        pages.append({"page": page, "number": number, "name": name, "articles": groups[page]})
    days, _ = _live_days(st, paper)
    at = int(np.searchsorted(days, day))
    return {"date": date_of(day), "paper": paper_ref(paper, arrays.paper_names),
            "articles": int(len(docs)), "pages": pages,
            "previous": date_of(int(days[at - 1])) if at > 0 and days[at - 1] else None,
            "next": date_of(int(days[at + 1])) if at + 1 < len(days) else None}


def neighbours(st: IndexState, article_id: str, date: str,
               names: dict[str, str] | None = None, paper: str = "") -> Neighbours | None:
    """The article's place in its 版面 of the issue of ``date`` (of its paper ``paper``);
    None if it is not there."""
    found = issue(st, date, names, paper)
    if found is None:
        return None
    for group in found["pages"]:
        ids = [a["id"] for a in group["articles"]]
        if article_id in ids:
            at = ids.index(article_id)
            arts = group["articles"]
            return {"date": found["date"], "page": group["page"], "position": at + 1,
                    "of": len(arts), "previous": arts[at - 1] if at > 0 else None,
                    "next": arts[at + 1] if at + 1 < len(arts) else None}
    return None
