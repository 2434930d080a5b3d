"""What other pages embed: the search box for an iframe, its help page, OpenSearch."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue

bp = Blueprint("embed", __name__)


@bp.get("/embed")
def box() -> ResponseReturnValue:
    """The bare search box; only this page may be framed (by the configured origins)."""
    target = "_top" if request.args.get("target") == "_top" else "_blank"
    return render_template("embed.html", target=target)


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
