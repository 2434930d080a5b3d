"""What other pages embed: the search box for an iframe, its help page, OpenSearch."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue

from search.retrieval.request import BadRequest, check_paper_key

from . import get_engine

bp = Blueprint("embed", __name__)


@bp.get("/embed")
def box() -> ResponseReturnValue:
    """The bare search box; only this page may be framed (by the configured origins).

    ``paper=ldwb``: the box searches that paper only (a hidden field), and says so."""
    target = "_top" if request.args.get("target") == "_top" else "_blank"
    paper = None
    if request.args.get("paper", "").strip():
        try:
            key = check_paper_key(request.args["paper"])
        except BadRequest as exc:
            return render_template("browse_notice.html", code=400, title="报刊有误",
                                   message=exc.message_zh,
                                   link=(url_for("embed.help_page"), "搜索框的用法")), 400
        paper = next((p for p in get_engine().papers() if p["key"] == key), None)
        if paper is None:
            return render_template("browse_notice.html", code=404, title="没有这种报刊",
                                   message=f"资料库中没有代号为 {key} 的报刊。",
                                   link=(url_for("embed.help_page"), "搜索框的用法")), 404
    return render_template("embed.html", target=target, paper=paper)


@bp.get("/embed/help")
def help_page() -> ResponseReturnValue:
    """How to put the box on an intranet page, with this server's absolute addresses."""
    return render_template("embed_help.html", embed_url=url_for("embed.box", _external=True),
                           root_url=url_for("search.home", _external=True))


@bp.get("/opensearch.xml")
def opensearch() -> ResponseReturnValue:
    """The OpenSearch description, so browsers can add the archive as a search engine."""
    body = render_template("opensearch.xml.html")  # *.html: packaged, autoescaped
    return current_app.response_class(body, mimetype="application/opensearchdescription+xml")
