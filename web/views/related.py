"""Related articles: ``GET /api/articles/<id>/related`` and the list on the article page."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, url_for
from flask.typing import ResponseReturnValue

from indexer.mergestore import merged_into
from search.understanding.related import related

from . import get_engine

bp = Blueprint("related", __name__)

SHOWN = 5  # related articles listed


@bp.get("/api/articles/<path:article_id>/related")
def related_api(article_id: str) -> ResponseReturnValue:
    """``{"id", "related": [heading…]}`` (at most five), or 404 for an unknown id; an
    article merged into another copy of its story redirects (301) to that one's list."""
    engine = get_engine()
    found = related(engine.state(), article_id, SHOWN)
    if found is None:
        kept = merged_into(engine.index_dir, article_id)
        if kept is not None:
            return redirect(url_for("related.related_api", article_id=kept), 301)
        return jsonify(error=f"no article with id {article_id!r}"), 404
    return jsonify(id=article_id, related=found)


@bp.app_context_processor
def related_helper() -> dict:
    """``related_articles(id)`` for templates: the headings with their page's URL."""

    def related_articles(article_id: str) -> list[dict]:
        found = related(get_engine().state(), article_id, SHOWN) or []
        return [{**art, "url": url_for("article.page", article_id=art["id"])} for art in found]

    return {"related_articles": related_articles}
