"""One article's page, the query's matches marked by the engine as in the results."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from indexer.corrections import corrected_into
from indexer.mergestore import merged_into
from search.retrieval.request import BadRequest, parse_synonyms_flag

from ..templating import article_view
from . import get_engine

bp = Blueprint("article", __name__)


@bp.get("/articles/<path:article_id>")
def page(article_id: str) -> ResponseReturnValue:
    """The whole article; ``q`` (passed on from the results) is marked, ``404`` if unknown;
    an article merged into another copy of its story redirects there."""
    q = request.args.get("q", "")
    try:
        synonyms = parse_synonyms_flag(request.args.get("synonyms"))
    except BadRequest:
        synonyms = True  # only what is marked depends on it: the article is still shown
    engine = get_engine()
    view = engine.article(article_id, q, synonyms)
    if view is None:
        kept = merged_into(engine.index_dir, article_id)
        if kept is None:  # merged by an editor: a change that can be reverted, so 302
            into = corrected_into(engine.index_dir, article_id)
            if into is not None:
                return redirect(url_for("article.page", article_id=into, **request.args), 302)
        if kept is None:
            abort(404)
        return redirect(url_for("article.page", article_id=kept, **request.args), 301)
    return render_template("article.html", **article_view(view, q, request.args))
