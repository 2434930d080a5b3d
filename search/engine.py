"""The search engine of one index folder: what the command line and the web app call.

One :class:`Engine` per process, shared by its threads.  It is a
:class:`~search.searcher.LiveIndex` (the current generation, refreshed when the
index has a newer commit, so a running service sees new imports without a
restart) plus what is asked of it: :meth:`Engine.search`, :meth:`Engine.get`,
:meth:`Engine.article` and :meth:`Engine.stats`.  The jobs live in their own
modules:

- :mod:`search.request`: validating parameters (:class:`SearchRequest`, :class:`BadRequest`);
- :mod:`search.searcher`: the searcher's life and every cache's lifetime;
- :mod:`search.results`: evaluating, ranking and collecting a result, and its types;
- :mod:`search.stats`: what the index holds.
"""

from __future__ import annotations

import time

from .document import from_stored
from .request import BadRequest, SearchRequest
from .results import ArticleView, SearchResult, StoredArticle, article_view, run
from .searcher import LiveIndex, ResultCache
from .stats import Stats, index_stats

__all__ = ["BadRequest", "Engine", "SearchRequest"]


class Engine(LiveIndex):
    """Searches one index folder; safe to share between threads."""

    def __init__(self, index_dir: str, cache_size: int = 256):
        self._results: ResultCache[SearchResult] = ResultCache(cache_size)
        self._stats: tuple[tuple, Stats] | None = None
        super().__init__(index_dir)

    def search(self, req: SearchRequest) -> SearchResult:
        """Run ``req`` against the current generation: one page of hits, the total, facets.

        Results are cached per request and generation, so paging back and forth
        or a repeated query costs a dictionary lookup; ``took_ms`` is this call's
        time, cached or not.  The returned dict is a copy: a caller may change it.
        """
        started = time.perf_counter()
        st = self.state()
        key = (st.key, *req.key())
        cached = self._results.get(key)
        if cached is None:
            cached = run(st, req)
            self._results.put(key, cached)
        result = cached.copy()
        result["took_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return result

    def get(self, article_id: str) -> StoredArticle | None:
        """One article as stored (the JSON API's shape), or None if no article has this id."""
        stored = self.stored(article_id)
        return from_stored(stored) if stored else None

    def article(self, article_id: str, q: str = "") -> ArticleView | None:
        """One article for its page, every match of ``q`` marked as in search results."""
        art = self.get(article_id)
        return article_view(art, q) if art is not None else None

    def stats(self) -> Stats:
        """What the index holds, computed once per generation (the home page asks often)."""
        st = self.state()
        cached = self._stats
        if cached is None or cached[0] != st.key:
            cached = self._stats = (st.key, index_stats(st, self.index_dir))
        return cached[1]
