"""Which requests are costly, and where they are computed.

Costly: a search asking for more than :data:`COSTLY_HITS` hits (a page of 100, or a deep
page: the hits before it are ranked too), every trend of ``/trends`` and ``/api/trends``
(each query evaluated over every matching article and counted per period), and every
export (up to 10,000 stored articles read and written out).  Cheap: the first pages of
ordinary size, suggestions, articles, issues.

With a :class:`~web.workers.WorkerPool` on the app (``unionsearch serve`` with
``workers`` above 0), costly requests are computed there, at a lower CPU priority, and
the rest in the serving process; without one (a WSGI server, a test app), or while none
of its workers is up, everything is computed in the serving process.  Either way the
values are the engine's own.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable

from flask import current_app, url_for
from werkzeug.routing import Map

from search.engine import Engine
from search.reports.export import Export, csv_chunks, write_xlsx
from search.reports.trends import Trend, TrendRequest
from search.results import SearchResult
from search.retrieval.request import SearchRequest

from .views import ArticleIdConverter
from .workers import WorkerPool

POOL = "unionsearch.workers"  # the app's WorkerPool in ``app.extensions``, when there is one
COSTLY_HITS = 50  # a search ranking more hits than this is computed by a worker


def pool() -> WorkerPool | None:
    """The app's worker pool, or None (everything computed here)."""
    return current_app.extensions.get(POOL)


def serving_pool() -> WorkerPool | None:
    """The app's worker pool when a worker is up to take a call, else None (computed
    here: a service just started, or whose workers are all being replaced, still answers)."""
    workers = pool()
    return workers if workers is not None and workers.serving() else None


def is_costly(req: SearchRequest) -> bool:
    """Whether a search asks for more hits than :data:`COSTLY_HITS` (its page times its size)."""
    return req.page * req.size > COSTLY_HITS


def search(engine: Engine, req: SearchRequest) -> SearchResult:
    """``engine.search(req)``, by a worker when the request is costly and there are workers."""
    workers = serving_pool()
    if workers is None or not is_costly(req):
        return engine.search(req)
    return workers.call("search", (req,), engine.state().key)


def trend(engine: Engine, treq: TrendRequest) -> Trend:
    """``engine.trend(treq)``, by a worker when there are workers."""
    workers = serving_pool()
    if workers is None:
        return engine.trend(treq)
    return workers.call("trend", (treq,), engine.state().key)


def link_base() -> str:
    """The absolute address of an article's page without its id (what ``url_for`` gives
    before the id), so a worker writes the links this request would."""
    marker = "x"
    url = url_for("article.page", article_id=marker, _external=True)
    return url[:-len(marker)]


def article_links(base: str) -> Callable[[str], str]:
    """``id → base + the id as the article route writes it in a URL``."""
    converter = ArticleIdConverter(Map())
    return lambda article_id: base + converter.to_url(article_id)


def write_export(engine: Engine, req: SearchRequest, full_text: bool, kind: str, base: str,
                 folder: str) -> tuple[str, int, int]:
    """Write the export of ``req`` (``kind`` csv or xlsx) to a new file in ``folder``:
    ``(path, rows in the result, bytes)``.  Raises what ``engine.export`` raises
    (:class:`~search.reports.export.TooManyRows`, :class:`~search.retrieval.request.BadRequest`)."""
    prepared: Export = engine.export(req, full_text=full_text)
    links = article_links(base)
    fd, path = tempfile.mkstemp(suffix="." + kind, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            if kind == "csv":
                for chunk in csv_chunks(prepared.rows, links, full_text=prepared.full_text,
                                        papers=prepared.papers):
                    fh.write(chunk)
            else:
                write_xlsx(prepared.rows, fh, links, prepared.full_text, prepared.papers)
            size = fh.tell()
    except BaseException:
        os.unlink(path)
        raise
    return path, prepared.total, size
