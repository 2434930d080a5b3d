"""The Flask application factory: HTML pages, the JSON API, the embeddable box.

Settings (keyword arguments of :func:`create_app`, else environment variables):

=================  ============================  ==========================================
setting            environment variable          meaning
=================  ============================  ==========================================
``index_dir``      ``UNIONSEARCH_INDEX_DIR``     the index folder (default ``index_data``)
``cors_origins``   ``UNIONSEARCH_CORS_ORIGINS``  origins allowed to call the API from a page
``frame_origins``  ``UNIONSEARCH_FRAME_ORIGINS`` origins allowed to frame ``/embed``
``prefix``         ``UNIONSEARCH_PREFIX``        path prefix behind a reverse proxy
``site_title``     ``UNIONSEARCH_SITE_TITLE``    the name shown on every page
=================  ============================  ==========================================

Origins are comma-separated in the environment (``https://oa.example.org,https://*.corp``).
"""

from __future__ import annotations

import logging
import os
import re

from flask import Flask, abort, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from search.engine import BadRequest, Engine, SearchRequest
from search.highlight import Needles, mark
from search.query import parse

from . import openapi
from .pages import (
    article_view,
    fix_link_params,
    register_template_helpers,
    results_view,
)

log = logging.getLogger("unionsearch.web")

DEFAULT_TITLE = "劳动报刊全文检索"
_ORIGIN = re.compile(r"^https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$")
_PREFIX = re.compile(r"^(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*$")

CSP_BASE = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'")


# -- settings ------------------------------------------------------------------

def _origins(value, name: str) -> list[str]:
    """A list of origins from a list or a comma-separated string; checked."""
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    out = []
    for item in items:
        origin = str(item).strip().rstrip("/")
        if not origin:
            continue
        if origin != "*" and not _ORIGIN.match(origin):
            raise ValueError(f"{name}: {origin!r} is not an origin like https://oa.example.org")
        out.append(origin.lower())
    return out


def normalize_prefix(value) -> str:
    """``/search/`` → ``/search``; empty for none.  Raises ValueError if unusable."""
    text = (value or "").strip()
    if not text or text == "/":
        return ""
    text = "/" + text.strip("/")
    if not _PREFIX.match(text):
        raise ValueError(f"prefix: {value!r} is not a path like /search/")
    return text


def origin_allowed(origin: str, allowed: list[str]) -> bool:
    origin = origin.strip().lower().rstrip("/")
    if not origin or not _ORIGIN.match(origin) or "*" in origin:
        return False
    for pattern in allowed:
        if pattern == "*" or pattern == origin:
            return True
        if "://*." in pattern:
            scheme, rest = pattern.split("://*.", 1)
            o_scheme, o_rest = origin.split("://", 1)
            if o_scheme == scheme and o_rest.endswith("." + rest):
                return True
    return False


class PrefixMiddleware:
    """Serve under a path prefix: a configured one, or ``X-Forwarded-Prefix`` from the proxy.

    ``SCRIPT_NAME`` gets the prefix, so every URL Flask builds carries it.  Requests
    may arrive with the prefix still on the path (the proxy passes it through) or
    without it (the proxy strips it); both work.
    """

    def __init__(self, app, prefix: str):
        self.app = app
        self.prefix = prefix

    def __call__(self, environ, start_response):
        prefix = self.prefix
        forwarded = environ.get("HTTP_X_FORWARDED_PREFIX", "").split(",")[0].strip()
        if forwarded.startswith("/"):
            try:
                prefix = normalize_prefix(forwarded)
            except ValueError:
                prefix = self.prefix
        if prefix:
            path = environ.get("PATH_INFO", "") or "/"
            if path.startswith(prefix + "/"):
                environ["PATH_INFO"] = path[len(prefix):]
            elif path == prefix and not environ.get("QUERY_STRING"):
                start_response("308 Permanent Redirect",
                               [("Location", prefix + "/"), ("Content-Length", "0")])
                return [b""]
            environ["SCRIPT_NAME"] = prefix
        return self.app(environ, start_response)


def _setting(settings: dict, key: str, env: str, default=None):
    value = settings.pop(key, None)
    if value is None or value == () or value == []:
        value = os.environ.get(env)
    return default if value in (None, "") else value


# -- the app -------------------------------------------------------------------

def create_app(index_dir: str | None = None, **settings) -> Flask:
    """Build the app.  ``settings``: cors_origins, frame_origins, prefix, site_title,
    and any Flask config key in capitals (``TESTING=True``)."""
    settings = dict(settings)
    index_dir = index_dir or _setting(settings, "index_dir", "UNIONSEARCH_INDEX_DIR",
                                      "index_data")
    settings.pop("index_dir", None)
    cors = _origins(_setting(settings, "cors_origins", "UNIONSEARCH_CORS_ORIGINS"),
                    "cors_origins")
    frames = _origins(_setting(settings, "frame_origins", "UNIONSEARCH_FRAME_ORIGINS"),
                      "frame_origins")
    prefix = normalize_prefix(_setting(settings, "prefix", "UNIONSEARCH_PREFIX"))
    title = str(_setting(settings, "site_title", "UNIONSEARCH_SITE_TITLE", DEFAULT_TITLE))

    app = Flask(__name__)
    app.config.update(INDEX_DIR=str(index_dir), CORS_ORIGINS=cors, FRAME_ORIGINS=frames,
                      PREFIX=prefix, SITE_TITLE=title)
    app.config.update({k: v for k, v in settings.items() if k.isupper()})
    unknown = [k for k in settings if not k.isupper()]
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    app.json.ensure_ascii = False  # the same bytes as `unionsearch search --json`
    app.json.sort_keys = False

    engine = Engine(app.config["INDEX_DIR"])
    app.extensions["engine"] = engine
    # Scheme and host from the proxy (for absolute URLs in opensearch.xml); the prefix
    # is handled by PrefixMiddleware, which checks what the header holds.
    app.wsgi_app = ProxyFix(PrefixMiddleware(app.wsgi_app, prefix), x_for=0, x_proto=1,
                            x_host=1)
    register_template_helpers(app)
    stats_cache = _StatsCache(engine)

    def is_api() -> bool:
        return request.path.startswith("/api/") or request.path == "/healthz"

    # -- headers -----------------------------------------------------------
    @app.after_request
    def headers(resp):
        h = resp.headers
        if request.endpoint == "embed":
            ancestors = " ".join(["'self'", *app.config["FRAME_ORIGINS"]])
            h["Content-Security-Policy"] = f"{CSP_BASE}; frame-ancestors {ancestors}"
        else:
            h["Content-Security-Policy"] = f"{CSP_BASE}; frame-ancestors 'none'"
            h["X-Frame-Options"] = "DENY"
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "same-origin"
        allowed = app.config["CORS_ORIGINS"]
        if allowed and is_api():
            h.add("Vary", "Origin")
            origin = request.headers.get("Origin", "")
            if origin and origin_allowed(origin, allowed):
                h["Access-Control-Allow-Origin"] = origin
                if request.method == "OPTIONS":
                    h["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                    h["Access-Control-Allow-Headers"] = "Accept, Accept-Language, Content-Type"
                    h["Access-Control-Max-Age"] = "600"
        return resp

    # -- errors --------------------------------------------------------------
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if is_api():
            messages = {404: "not found", 405: "method not allowed"}
            return jsonify(error=messages.get(exc.code, exc.name.lower())), exc.code
        return render_template("error.html", code=exc.code, message=None), exc.code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.full_path)
        if is_api():
            return jsonify(error="internal error: the search service could not answer; "
                                 "it has been logged"), 500
        return render_template("error.html", code=500, message=None), 500

    def search_request() -> SearchRequest:
        a = request.args
        return SearchRequest.from_params(a.get("q", ""), a.getlist("reporter"), a.get("from"),
                                         a.get("to"), a.get("sort"), a.get("page"),
                                         a.get("size"))

    # -- JSON API ------------------------------------------------------------
    @app.get("/api/search")
    def api_search():
        try:
            req = search_request()
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
        resp = jsonify(status="ok", documents=engine.doc_count())
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @app.get("/api/openapi.json")
    def api_openapi():
        return jsonify(openapi.document(server=request.script_root or "/"))

    @app.route("/api/", defaults={"rest": ""})
    @app.route("/api/<path:rest>")
    def api_unknown(rest):
        abort(404)

    # -- HTML pages ----------------------------------------------------------
    @app.get("/")
    def home():
        return render_template("home.html", stats=stats_cache.get())

    @app.get("/search")
    def search_page():
        try:
            req = search_request()
        except BadRequest as exc:
            return render_template("error.html", code=400, message=exc.message_zh,
                                   fix_params=fix_link_params(request.args, exc.param)), 400
        result = engine.search(req)
        return render_template("results.html", **results_view(req, result, request.args))

    @app.get("/articles/<path:article_id>")
    def article_page(article_id):
        art = engine.get(article_id)
        if art is None:
            abort(404)
        q = request.args.get("q", "")
        needles = Needles(parse(q)) if q.strip() else Needles(None)
        return render_template("article.html",
                               **article_view(art, q, needles, mark, request.args))

    @app.get("/embed")
    def embed():
        target = "_top" if request.args.get("target") == "_top" else "_blank"
        return render_template("embed.html", target=target)

    @app.get("/embed/help")
    def embed_help():
        root = url_for("home", _external=True)
        return render_template("embed_help.html", embed_url=url_for("embed", _external=True),
                               root_url=root)

    @app.get("/opensearch.xml")
    def opensearch():
        body = render_template("opensearch.xml.html")  # *.html: packaged, autoescaped
        return app.response_class(body, mimetype="application/opensearchdescription+xml")

    return app


class _StatsCache:
    """The home page's numbers, computed once per index generation."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.key = None
        self.value = None

    def get(self) -> dict | None:
        try:
            reader = self.engine.searcher().reader()
            key = (reader.generation(), reader.doc_count())
            if key != self.key:
                self.value, self.key = self.engine.stats(), key
            return self.value
        except Exception:  # the home page works without numbers
            log.exception("stats failed")
            return None
