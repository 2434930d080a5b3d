"""The web app's views: one module per kind of page, each a Flask Blueprint ``bp``.

Every module of this package is a view; ``create_app`` in :mod:`web.app` registers
their blueprints (its tuple of ``bp`` is the one list, and a view left out of it
serves nothing).  Each module's docstring says which pages it serves.

What they share is here: the one way to reach the engine, and reading a
:class:`~search.retrieval.request.SearchRequest` from the query string.
"""

from __future__ import annotations

from flask import current_app, render_template, request
from werkzeug.routing import PathConverter

from search.engine import Engine
from search.retrieval.request import BadRequest, SearchRequest, parse_synonyms_flag

from ..templating import fix_link_params

ENGINE = "engine"  # the key of the app's Engine in ``app.extensions``


class ArticleIdConverter(PathConverter):
    """``<article_id:…>``: an article id (slashes allowed, as ``path``) that does not end
    in one of the actions on an article (``/related``, ``/split``, ``/merge``, ``/hide``),
    so ``PATCH /api/articles/x/related`` is a 405 naming that path's methods rather than
    a correction of an article ``x/related``."""

    regex = r"(?!.+/(?:related|split|merge|hide)$)[^/].*?"


class UnknownApiConverter(PathConverter):
    """``<api_rest:…>``: the rest of an ``/api/`` path the JSON 404 answers, not an action
    on an article (whose path answers POST only: its ``Allow`` must say just that)."""

    regex = r"(?!articles/.+/(?:split|merge|hide)$)[^/].*?"


def get_engine() -> Engine:
    """The app's engine (one per app, shared by its threads; set by ``create_app``)."""
    return current_app.extensions[ENGINE]


def search_request() -> SearchRequest:
    """The request's search parameters, validated (包含同义词 included: the page, the API,
    the exports and the trends read it alike); raises :class:`BadRequest`."""
    a = request.args
    req = SearchRequest.from_params(a.get("q", ""), a.getlist("reporter"), a.get("from"),
                                    a.get("to"), a.get("sort"), a.get("page"), a.get("size"),
                                    a.getlist("paper"), a.get("since"))
    req.synonyms = parse_synonyms_flag(a.get("synonyms"))
    return req


def bad_request_page(exc: BadRequest) -> tuple[str, int]:
    """The 400 page: the Chinese message and a link to the same search without the bad value."""
    return render_template("error.html", code=400, message=exc.message_zh,
                           fix_params=fix_link_params(request.args, exc.param)), 400
