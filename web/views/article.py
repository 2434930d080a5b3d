"""One article's page, the query's matches marked by the engine as in the results."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from search.request import BadRequest, parse_synonyms_flag

from ..pages import article_view
from . import get_engine

bp = Blueprint("article", __name__)


@bp.get("/articles/<path:article_id>")
def page(article_id: str) -> ResponseReturnValue:
    """The whole article; ``q`` (passed on from the results) is marked, ``404`` if unknown."""
    q = request.args.get("q", "")
    try:
        synonyms = parse_synonyms_flag(request.args.get("synonyms"))
    except BadRequest:
        synonyms = True  # only what is marked depends on it: the article is still shown
    view = get_engine().article(article_id, q, synonyms)
    if view is None:
        abort(404)
    return render_template("article.html", **article_view(view, q, request.args))
