"""The home page and the results page."""

from __future__ import annotations

import logging

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from search.retrieval.request import BadRequest
from search.storage.stats import Stats

from .. import costly
from ..templating import results_view
from . import bad_request_page, get_engine, search_request

log = logging.getLogger("unionsearch.web")

bp = Blueprint("search", __name__)


def _stats() -> Stats | None:
    """The index's numbers for the home page, or None: the page works without them."""
    try:
        return get_engine().stats()
    except Exception:  # noqa: BLE001 - logged; the search box matters more
        log.exception("stats failed")
        return None


@bp.get("/")
def home() -> ResponseReturnValue:
    """The search box, what the archive holds, and the query syntax."""
    return render_template("home.html", stats=_stats())


@bp.get("/search")
def results() -> ResponseReturnValue:
    """One page of results with facets, or a 400 page naming the parameter to fix."""
    try:
        req = search_request()
    except BadRequest as exc:
        return bad_request_page(exc)
    result = costly.search(get_engine(), req)
    return render_template("results.html", **results_view(req, result, request.args))
