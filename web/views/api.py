"""The JSON API: search, one article, liveness, and its OpenAPI description.

Bodies are the engine's dicts as they are, so ``GET /api/search`` sends the same
bytes as ``unionsearch search --json``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue

from indexer.corrections import corrected_into
from indexer.mergestore import merged_into
from search.retrieval.request import BadRequest

from .. import costly, openapi
from . import get_engine, search_request

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def search() -> ResponseReturnValue:
    """A :class:`~search.results.SearchResult`, or 400 with the English message."""
    try:
        req = search_request()
    except BadRequest as exc:
        return jsonify(error=str(exc)), 400
    return jsonify(costly.search(get_engine(), req))


@bp.get("/api/articles/<article_id:article_id>")
def article(article_id: str) -> ResponseReturnValue:
    """A :class:`~search.results.StoredArticle`, or 404; an article merged into another
    copy of its story redirects (301) to that article, as its page does."""
    engine = get_engine()
    art = engine.get(article_id)
    if art is None:
        kept = merged_into(engine.index_dir, article_id)
        if kept is not None:
            return redirect(url_for("api.article", article_id=kept), 301)
        into = corrected_into(engine.index_dir, article_id)  # merged by an editor
        if into is not None:
            return redirect(url_for("api.article", article_id=into), 302)
        return jsonify(error=f"no article with id {article_id!r}"), 404
    return jsonify(art)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Up, how many articles, which generation and when it was imported: for load
    balancers and monitoring, never cached.  A served generation with a file that no
    longer matches its checksums answers 503, ``status: damaged``, naming the file.  With
    worker processes (:mod:`web.workers`), ``workers`` says how many are ready, busy,
    starting and were replaced."""
    engine = get_engine()
    problem = engine.damage()
    if problem is not None:
        resp = jsonify(status="damaged", error=problem)
        resp.headers["Cache-Control"] = "no-store"
        return resp, 503
    facts = engine.facts()
    workers = costly.pool()
    more = {"workers": workers.health()} if workers is not None else {}
    resp = jsonify(status="ok", documents=facts["documents"], generation=facts["generation"],
                   segments=facts["segments"], last_import=iso_time(facts["last_import"]),
                   **more)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/api/openapi.json")
def openapi_document() -> ResponseReturnValue:
    """The OpenAPI 3.1 description, its server being where this app is mounted."""
    return jsonify(openapi.document(server=request.script_root or "/"))


@bp.route("/api/", defaults={"rest": ""})
@bp.route("/api/<api_rest:rest>")
def unknown(rest: str) -> ResponseReturnValue:
    """Any other ``/api/`` path: a JSON 404, not the HTML one."""
    abort(404)


def iso_time(timestamp: float | None) -> str | None:
    """``2022-09-30T04:15:00Z`` (UTC, seconds) or None."""
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
