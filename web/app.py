"""The Flask application factory."""

from __future__ import annotations

import os

from flask import Flask, jsonify, request

from search.engine import BadRequest, Engine, SearchRequest


def create_app(index_dir: str | None = None, **settings) -> Flask:
    app = Flask(__name__)
    app.config.update(
        INDEX_DIR=index_dir or os.environ.get("UNIONSEARCH_INDEX_DIR") or "index_data",
        SITE_TITLE=os.environ.get("UNIONSEARCH_SITE_TITLE", "劳动报刊全文检索"),
    )
    app.config.update(settings)
    engine = Engine(app.config["INDEX_DIR"])
    app.extensions["engine"] = engine

    @app.get("/api/search")
    def api_search():
        try:
            req = SearchRequest.from_params(
                request.args.get("q", ""), request.args.getlist("reporter"),
                request.args.get("from"), request.args.get("to"), request.args.get("sort"),
                request.args.get("page"), request.args.get("size"))
        except BadRequest as exc:
            return jsonify(error=str(exc)), 400
        return jsonify(engine.search(req))

    @app.get("/api/articles/<path:article_id>")
    def api_article(article_id):
        art = engine.get(article_id)
        if art is None:
            return jsonify(error=f"no article with id {article_id!r}"), 404
        return jsonify(art)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok", documents=engine.searcher().doc_count())

    return app
