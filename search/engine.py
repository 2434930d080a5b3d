"""The search engine of one index folder: what the command line and the web app call.

One :class:`Engine` per process, shared by its threads.  It is a
:class:`~search.storage.generations.LiveIndex` (the current generation, refreshed when the
index has a newer commit, so a running service sees new imports without a
restart) plus what is asked of it: :meth:`Engine.search`, :meth:`Engine.get`,
:meth:`Engine.article` and :meth:`Engine.stats`.  The jobs live in their own
modules:

- :mod:`search.retrieval.request`: validating parameters (:class:`SearchRequest`,
  :class:`BadRequest`);
- :mod:`search.storage.generations`: the searcher's life and every cache's lifetime;
- :mod:`search.results`: evaluating, ranking and collecting a result, and its types;
- :mod:`search.storage.stats`: what the index holds.
"""

from __future__ import annotations

import gc
import threading
import time

import numpy as np

from . import heap
from .document import from_stored
from .reports.export import MAX_EXPORT_ROWS, Export, export
from .reports.issues import Calendar, Issue, Neighbours, calendar, issue, neighbours, papers_of_day
from .reports.reporters import Profile, ReporterList, profile, reporter_list
from .reports.trends import Axis, Trend, TrendRequest, archive_dates, axis, trend
from .results import ArticleView, SearchResult, StoredArticle, article_view, run
from .retrieval.request import BadRequest, SearchRequest
from .storage.folder import issue_key, page_names
from .storage.generations import IndexState, LiveIndex, ResultCache
from .storage.stats import GenerationFacts, Stats, generation_facts, index_stats
from .text import wordseg
from .understanding.intent import interpret
from .understanding.suggest import prepare
from .understanding.synonyms import SynonymSource

__all__ = ["BadRequest", "Engine", "SearchRequest"]

RESULT_CACHE_BYTES = 64 << 20  # search results kept, at most (a page of 100 hits is small)


def _settle(preparing: threading.Thread) -> None:
    """Once a generation's tables are built, hide what the process holds from Python's
    cyclic garbage collector (:func:`gc.freeze`).

    An open index keeps hundreds of thousands of long-lived containers (its tables, term
    arrays, cached articles); every full collection walked them all, and a query's
    allocations start one every few hundred queries, which then paid for the whole index.
    Frozen objects are still freed when their last reference goes; before a new
    generation's objects are frozen, the ones frozen for the previous generation are handed
    back to the collector (:func:`gc.unfreeze`) and collected once, so reference cycles of
    a generation a service has left are not kept for the life of the process.  The C
    heap's bound goes back to the searches' one (:func:`search.heap.serving`)."""
    try:
        preparing.join()
    finally:
        heap.serving()
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class Engine(LiveIndex):
    """Searches one index folder; safe to share between threads."""

    def __init__(self, index_dir: str, cache_size: int = 256, synonyms_file: str | None = None,
                 prepare_suggestions: bool = False, cache_bytes: int = RESULT_CACHE_BYTES):
        # A service makes sure each generation it sees has its suggestion tables, in the
        # background (:func:`search.understanding.suggest.prepare`: held ones reused, see
        # search.understanding.tables);
        # a command that searches once does not.
        self._prepare = prepare_suggestions
        # What opening the index and building its tables frees leaves the process
        # (search.heap); the bound for searches is set once they are built.
        heap.building()
        self._prepared_key: tuple | None = None
        self.preparing: threading.Thread | None = None
        self.settling: threading.Thread | None = None
        self._names: tuple[tuple, dict[str, dict[str, str]]] | None = None
        self._results: ResultCache[SearchResult] = ResultCache(cache_size, cache_bytes)
        self._stats: tuple[tuple, Stats] | None = None
        # The default list plus the site file its caller names (the ``synonyms`` setting),
        # re-read when it changes.
        self.synonyms = SynonymSource(synonyms_file)
        try:
            super().__init__(index_dir)
            if prepare_suggestions:
                self.state()
        finally:
            heap.serving()

    def state(self) -> IndexState:
        """The current generation (see :meth:`LiveIndex.state`); a service starts preparing
        the suggestions of a generation it sees for the first time."""
        st = super().state()
        if self._prepare and st.key != self._prepared_key:
            self._prepared_key = st.key
            heap.building()  # until _settle: the tables are built
            try:
                self.preparing = prepare(st)
            except BaseException:
                heap.serving()
                raise
            self.settling = threading.Thread(target=_settle, args=(self.preparing,),
                                             name="settle-generation", daemon=True)
            self.settling.start()
        return st

    def search(self, req: SearchRequest) -> SearchResult:
        """Run ``req`` against the current generation: one page of hits, the total, facets.

        Results are cached per request and generation, so paging back and forth
        or a repeated query costs a dictionary lookup; ``took_ms`` is this call's
        time, cached or not.  The returned dict is a copy: a caller may change it.
        """
        wordseg.ready()  # the dictionary's load is the process's, not this query's time
        started = time.perf_counter()
        st = self.state()
        table = self.synonyms.current()
        req = req.within(*archive_dates(st))
        key = (st.key, self.synonyms.version, *req.key())
        cached = self._results.get(key)
        if cached is None:
            cached = run(st, req, table)
            self._results.put(key, cached)
        result = cached.copy()
        result["took_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return result

    def as_worker(self, cache_bytes: int) -> None:
        """Make this copy of the engine a worker's: in a process forked from a service
        (web/forkparent.py), which prepares no suggestions in the background (the service
        does) and keeps at most ``cache_bytes`` of results of its own."""
        self._prepare = False
        self.preparing = None
        self._results = ResultCache(self._results.size, cache_bytes)

    def reload_synonyms(self) -> None:
        """Re-read the synonym file now (SIGHUP)."""
        self.synonyms.reload()

    def use_synonyms(self, path: str | None) -> None:
        """From now on the site file ``path`` (None: the default list only), read now."""
        self.synonyms.use(path)

    def get(self, article_id: str) -> StoredArticle | None:
        """One article as stored (the JSON API's shape), or None if no article has this id."""
        stored = self.stored(article_id)
        return from_stored(stored, self.state().arrays.paper_names) if stored else None

    def article(self, article_id: str, q: str = "",
                synonyms: bool | str = True) -> ArticleView | None:
        """One article for its page, every match of ``q`` marked as in search results:
        the synonyms and pinyin words the search added included (``synonyms`` as there)."""
        art = self.get(article_id)
        if art is None:
            return None
        query = None
        if q.strip():
            req = SearchRequest(q=q, synonyms=synonyms)
            query = interpret(self.state(), req, self.synonyms.current())
        return article_view(art, query)

    def cache_counts(self) -> tuple[int, int]:
        """(hits, misses) of the search result cache since start."""
        return self._results.hits, self._results.misses

    def facts(self) -> GenerationFacts:
        """The served generation, for ``/healthz`` and ``/metrics`` (no caching: cheap)."""
        return generation_facts(self.state(), self.index_dir)

    def stats(self) -> Stats:
        """What the index holds, computed once per generation (the home page asks often)."""
        st = self.state()
        cached = self._stats
        if cached is None or cached[0] != st.key:
            cached = self._stats = (st.key, index_stats(st, self.index_dir))
        return cached[1]

    def export(self, req: SearchRequest, limit: int = MAX_EXPORT_ROWS,
               full_text: bool = False) -> Export:
        """Every article ``req`` matches, in its ranked order, as rows streamed from storage,
        with each 版面's name and, with ``full_text``, the whole text.

        Raises :class:`~search.reports.export.TooManyRows` beyond ``limit`` (see
        :mod:`search.reports.export`).
        """
        st = self.state()
        return export(st, req.within(*archive_dates(st)), limit, self.synonyms.current(),
                      self._all_page_names(st), full_text)

    def calendar(self, paper: str = "") -> Calendar:
        """Every date with articles (of ``paper``, a key; "": all), and how many
        (:mod:`search.reports.issues`)."""
        return calendar(self.state(), paper)

    def issue(self, date: str, paper: str = "") -> Issue | None:
        """The issue of ``date`` (YYYY-MM-DD) of ``paper`` by 版面 in order; None when there
        is none."""
        return issue(self.state(), date, self._page_names(date, paper), paper)

    def neighbours(self, article_id: str, date: str, paper: str = "") -> Neighbours | None:
        """The article's 版面 in the issue of ``date`` and the articles before and after it."""
        return neighbours(self.state(), article_id, date, self._page_names(date, paper), paper)

    def papers(self) -> list[dict]:
        """The named papers of the archive, ``{"key", "name", "count"}`` by key, when it
        holds more than one paper; empty for an archive of one paper (nothing to choose)."""
        arrays = self.state().arrays
        if not arrays.has_papers():
            return []
        counts = np.bincount(arrays.paper[arrays.live], minlength=len(arrays.papers))
        return [{"key": k, "name": arrays.paper_names.get(k) or k, "count": int(counts[i])}
                for i, k in enumerate(arrays.papers) if k and counts[i]]

    def recent(self, limit: int = 10) -> list[dict]:
        """最新入库: the last ``limit`` imports that left live articles, newest first, each
        ``{"added": seconds since 1970, "articles": n, "papers": [{"key", "name", "count"}]}``
        (papers listed only for named ones).  Articles written before import times were
        recorded are in none."""
        arrays = self.state().arrays
        live = arrays.live & (arrays.added > 0)
        values, counts = np.unique(arrays.added[live], return_counts=True)
        out = []
        for value, count in zip(values[::-1][:limit].tolist(), counts[::-1][:limit].tolist(),
                                strict=True):
            of = np.bincount(arrays.paper[live & (arrays.added == value)],
                             minlength=len(arrays.papers))
            out.append({"added": int(value), "articles": int(count),
                        "papers": [{"key": k, "name": arrays.paper_names.get(k) or k,
                                    "count": int(of[i])}
                                   for i, k in enumerate(arrays.papers) if k and of[i]]})
        return out

    def papers_of_day(self, date: str) -> list[dict]:
        """The named papers with articles on ``date`` (YYYY-MM-DD)."""
        return papers_of_day(self.state(), date)

    def _page_names(self, date: str, paper: str = "") -> dict[str, str]:
        """The 版面 names of one issue (of ``paper``), from the meta file read once per
        generation."""
        return dict(self._all_page_names(self.state()).get(issue_key(date, paper), {}))

    def _all_page_names(self, st) -> dict[str, dict[str, str]]:  # noqa: ANN001 - IndexState
        """Every issue's 版面 names (read-only), read once per generation."""
        names = self._names
        if names is None or names[0] != st.key:
            names = self._names = (st.key, page_names(self.index_dir))
        return names[1]

    def trend(self, req: TrendRequest) -> Trend:
        """Matching articles per year or month for each query of ``req``
        (:mod:`search.reports.trends`)."""
        table = self.synonyms.current()
        return trend(self.state(), req, table, self.synonyms.version)

    def trend_axis(self, req: TrendRequest) -> Axis | None:
        """The periods a trend of ``req`` would count in, without evaluating any query."""
        return axis(self.state(), req)

    def reporters(self, q: str = "", page: int = 1, size: int = 100,
                  paper: str = "") -> ReporterList:
        """Reporters with their article counts, most first; ``q`` filters by name or pinyin,
        ``paper`` (a key) counts one paper's articles only."""
        return reporter_list(self.state(), q, page, size, paper)

    def reporter(self, name: str) -> Profile | None:
        """One reporter's span, themes and colleagues (:mod:`search.reports.reporters`); None if
        unknown."""
        return profile(self.state(), name)
