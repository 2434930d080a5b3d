"""The Flask application factory: settings, proxies, security headers, error pages.

The pages and the JSON API are blueprints in :mod:`web.views`.

Settings come as one :class:`web.settings.Settings` (what ``unionsearch serve`` resolved
from its flags, the environment and ``unionsearch.toml``), or, for a WSGI server or a
test, are resolved here the same way from keyword arguments (``site_title="…"``), the
environment (``UNIONSEARCH_SITE_TITLE``) and ``$UNIONSEARCH_CONFIG``: one resolution, one
set of checks (:mod:`web.settings`).  The app keeps what it uses in ``app.config``
(``SITE_TITLE``, ``CORS_ORIGINS``, …); a reload changes it there
(:func:`web.lifecycle.apply_settings`).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from indexer.corrections import damaged_database
from search.engine import Engine
from search.retrieval.request import MAX_QUERY, MAX_REPORTERS, PARAM_ZH, BadRequest
from search.storage.folder import DAMAGE

from . import auth
from .addresses import MAX_PREFIX_CHARS, normalize_prefix, trusted_networks
from .addresses import ORIGIN as _ORIGIN
from .addresses import origins as _origins
from .settings import BY_KEY, Settings, resolve
from .templating import register_template_helpers
from .views import (
    ENGINE,
    ArticleIdConverter,
    UnknownApiConverter,
    api,
    article,
    bad_request_page,
    editing,
    embed,
    feed,
    recent,
    search,
)
from .views import export as export_views
from .views import issues as issue_views
from .views import printed as printed_views
from .views import related as related_views
from .views import reporters as reporter_views
from .views import suggest as suggest_views
from .views import trends as trend_views
from .workers import WorkerUnavailable

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from flask.typing import ResponseReturnValue

log = logging.getLogger("unionsearch.web")

DEFAULT_TITLE = "劳动报刊全文检索"
_HOST = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
MAX_HOST_CHARS = 255
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PREFIX",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED")

# What one request may carry.  The search form sends 8 parameters, up to
# MAX_REPORTERS reporters and up to MAX_PAPERS (search.retrieval.request) papers; each value at most
# a query's length.  A results page repeats them in each of its ~150 links, so these bound
# the page too (measured worst case within them: see tests/test_hardening_web.py).
MAX_PARAMS = MAX_REPORTERS + 20
MAX_PARAM_CHARS = MAX_QUERY

CSP_BASE = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'")


# -- settings ------------------------------------------------------------------

def origin_allowed(origin: str, allowed: list[str]) -> bool:
    """Whether a page from ``origin`` may call the API: listed, or under a ``*.`` pattern."""
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


class ForwardedMiddleware:
    """Believe ``X-Forwarded-Proto``/``-Host``/``-Prefix`` from trusted proxies only.

    waitress clears X-Forwarded-Proto and -Host from peers it does not trust (and
    trusts one address at most), so behind docs/operations.md's nginx on an https
    intranet ``/embed/help`` and ``/opensearch.xml`` printed ``http://``
    addresses and browsers blocked the iframe as mixed content.  The server now
    passes the headers through and this decides, the same way under waitress,
    Flask's development server and the test client: from a trusted peer
    (default loopback, where that nginx runs) a proto of http/https and
    a well-formed host are used (the last value, that of the nearest proxy);
    from any other peer every forwarded header is dropped, so a client cannot
    make the service print links to another host.
    """

    def __init__(self, app: WSGIApplication, trusted: list | None):
        self.app = app
        self.trusted = trusted

    def _is_trusted(self, peer: str) -> bool:
        if self.trusted is None:
            return True
        try:
            ip = ipaddress.ip_address(peer.split("%", 1)[0])
        except ValueError:
            return False
        if getattr(ip, "ipv4_mapped", None):
            ip = ip.ipv4_mapped
        return any(ip in net for net in self.trusted)

    def __call__(self, environ: WSGIEnvironment,
                 start_response: StartResponse) -> Iterable[bytes]:
        """Drop or apply the forwarded headers, then call the app."""
        if not self._is_trusted(environ.get("REMOTE_ADDR", "")):
            for key in FORWARDED_HEADERS:
                environ.pop(key, None)
            return self.app(environ, start_response)
        proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
        if proto in ("http", "https"):
            environ["wsgi.url_scheme"] = proto
        host = environ.get("HTTP_X_FORWARDED_HOST", "")[-MAX_HOST_CHARS - 1:]
        host = host.split(",")[-1].strip()
        if host and len(host) <= MAX_HOST_CHARS and _HOST.match(host):
            environ["HTTP_HOST"] = host
        return self.app(environ, start_response)


class PrefixMiddleware:
    """Serve under a path prefix: a configured one, or ``X-Forwarded-Prefix`` from the proxy.

    ``SCRIPT_NAME`` gets the prefix, so every URL Flask builds carries it.  Requests
    may arrive with the prefix still on the path (the proxy passes it through) or
    without it (the proxy strips it); both work.
    """

    def __init__(self, app: WSGIApplication, prefix: str):
        self.app = app
        self.prefix = prefix

    def __call__(self, environ: WSGIEnvironment,
                 start_response: StartResponse) -> Iterable[bytes]:
        """Move the prefix from the path to ``SCRIPT_NAME``, then call the app."""
        prefix = self.prefix
        # At most MAX_PREFIX_CHARS and path-like, else the configured prefix: every link
        # of a page carries it, so an unbounded header would bloat every page.
        forwarded = environ.get("HTTP_X_FORWARDED_PREFIX", "")[:MAX_PREFIX_CHARS + 1]
        forwarded = forwarded.split(",")[0].strip()
        if forwarded.startswith("/") and len(forwarded) <= MAX_PREFIX_CHARS:
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


def check_request_size(args: MultiDict) -> None:
    """Raise :class:`BadRequest` when ``args`` hold too many or too long parameters."""
    count = 0
    for name, values in args.lists():
        count += len(values)
        if count > MAX_PARAMS:
            raise BadRequest(f"too many parameters (more than {MAX_PARAMS})",
                             f"检索参数太多了（最多 {MAX_PARAMS} 个）。", name)
        longest = max((len(v) for v in values), default=0)
        if len(name) > MAX_PARAM_CHARS or longest > MAX_PARAM_CHARS:
            shown = name[:20].encode("utf-8", "replace").decode("utf-8")
            raise BadRequest(f"parameter {shown!r} is too long (at most {MAX_PARAM_CHARS} "
                             "characters)",
                             f"{PARAM_ZH.get(name) or '参数“' + shown + '”'}太长了"
                             f"（最多 {MAX_PARAM_CHARS} 个字符）。", name)


# -- the app -------------------------------------------------------------------

def _resolved(settings: Settings | None, given: dict) -> Settings:
    """``settings``, or those resolved from the keyword arguments in ``given`` (taken out
    of it), the environment and ``$UNIONSEARCH_CONFIG``.

    Raises ValueError for an unusable value and TypeError for an unknown name.
    """
    flags = {k: given.pop(k) for k in list(given) if k in BY_KEY}
    unknown = [k for k in given if not k.isupper()]
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    if settings is not None:
        if flags:
            raise TypeError("give settings or keyword settings, not both")
        return settings
    return resolve({k: v for k, v in flags.items() if v is not None})


def app_config(settings: Settings) -> dict[str, Any]:
    """What the app reads from ``settings``, as its ``app.config`` keys."""
    trusted = trusted_networks(settings["trusted_proxies"] or None)
    return {"INDEX_DIR": str(settings["index_dir"]),
            "CORS_ORIGINS": _origins(settings["cors_origins"], "cors_origins"),
            "FRAME_ORIGINS": _origins(settings["frame_origins"], "frame_origins"),
            "PREFIX": normalize_prefix(settings["prefix"]),
            "SITE_TITLE": str(settings["site_title"]),
            "TRUSTED_PROXIES": ["*"] if trusted is None else [str(n) for n in trusted],
            "METRICS": bool(settings["metrics"]),
            "SESSION_IDLE": int(settings["session_idle_minutes"]),
            "SSO_HEADER": str(settings["sso_header"])}


def create_app(index_dir: str | None = None, settings: Settings | None = None,
               **more) -> Flask:
    """Build the app from ``settings`` (else resolved from ``index_dir`` and the keyword
    settings: cors_origins, frame_origins, prefix, site_title, trusted_proxies, synonyms,
    …); keywords in capitals are Flask config keys (``TESTING=True``)."""
    more = dict(more)
    if index_dir:
        more["index_dir"] = index_dir
    settings = _resolved(settings, more)
    config = app_config(settings)

    app = Flask(__name__)
    app.config.update(config)
    app.config.update(more)  # what is left: Flask's own keys, in capitals
    app.json.ensure_ascii = False  # the same bytes as `unionsearch search --json`
    app.json.sort_keys = False

    # read by views.get_engine
    app.extensions[ENGINE] = Engine(config["INDEX_DIR"],
                                    synonyms_file=settings["synonyms"] or None,
                                    prepare_suggestions=True)
    # Scheme and host from a trusted proxy (for absolute URLs in opensearch.xml and
    # /embed/help); the prefix is handled by PrefixMiddleware, which checks the header.
    trusted = trusted_networks(settings["trusted_proxies"] or None)
    app.wsgi_app = ForwardedMiddleware(PrefixMiddleware(app.wsgi_app, config["PREFIX"]),
                                       trusted)
    register_template_helpers(app)
    app.url_map.converters["article_id"] = ArticleIdConverter
    app.url_map.converters["api_rest"] = UnknownApiConverter
    for blueprint in (search.bp, article.bp, embed.bp, api.bp, export_views.bp,
                      issue_views.bp, trend_views.bp, reporter_views.bp, suggest_views.bp,
                      related_views.bp, editing.bp, printed_views.bp, feed.bp, recent.bp):
        app.register_blueprint(blueprint)
    auth.init_app(app, config["INDEX_DIR"])  # sign-in, sessions, CSRF: web/auth.py
    editing.recover_at_start(config["INDEX_DIR"])
    app.before_request(bounded_request)
    app.after_request(security_headers)
    app.register_error_handler(HTTPException, http_error)
    for damage in DAMAGE:
        app.register_error_handler(damage, damaged_index)
    app.register_error_handler(WorkerUnavailable, worker_unavailable)
    app.register_error_handler(Exception, unexpected_error)
    return app


# -- for every request -----------------------------------------------------------

def is_api() -> bool:
    """Whether the request is for the API (errors answered as JSON, CORS applies): the JSON
    API, ``/healthz``, and the Atom feeds (read by programs, and by portals' scripts)."""
    return (request.path.startswith("/api/") or request.path == "/healthz"
            or request.path == "/feed.atom")


def bounded_request() -> ResponseReturnValue | None:
    """A clear 400 for a request carrying more than any form sends."""
    try:
        check_request_size(request.args)
    except BadRequest as exc:
        if is_api():
            return jsonify(error=str(exc)), 400
        return bad_request_page(exc)
    return None


def security_headers(resp: Response) -> Response:
    """CSP and framing rules (only ``/embed`` may be framed), and CORS for the API."""
    h = resp.headers
    if request.endpoint == "embed.box":
        ancestors = " ".join(["'self'", *current_app.config["FRAME_ORIGINS"]])
        h["Content-Security-Policy"] = f"{CSP_BASE}; frame-ancestors {ancestors}"
    else:
        h["Content-Security-Policy"] = f"{CSP_BASE}; frame-ancestors 'none'"
        h["X-Frame-Options"] = "DENY"
    h["X-Content-Type-Options"] = "nosniff"
    h["Referrer-Policy"] = "same-origin"
    allowed = current_app.config["CORS_ORIGINS"]
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


def http_error(exc: HTTPException) -> ResponseReturnValue:
    """404, 405 and the like: JSON for the API, the error page otherwise.  A 405 names
    the methods the path answers in ``Allow`` (RFC 9110 requires it)."""
    headers = {}
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    shown = exc.description if exc.code in (403, 409) else None  # the view's own words
    if is_api():
        messages = {404: "not found", 405: "method not allowed"}
        return (jsonify(error=shown or messages.get(exc.code, exc.name.lower())), exc.code,
                headers)
    return render_template("error.html", code=exc.code, message=shown), exc.code, headers


DAMAGED_MESSAGE = ("the index is damaged: the operator should run `unionsearch check` "
                   "and restore a backup or rebuild")


def damaged_index(exc: Exception) -> ResponseReturnValue:
    """A damaged (or crafted) index file met while answering: 503 with what to run, never
    a wrong answer and never a 500; the file and the damage go to the log."""
    log.error("damaged index on %s %s: %s", request.method, request.full_path, exc)
    if is_api():
        return jsonify(error=DAMAGED_MESSAGE), 503
    return render_template("error.html", code=503, message=DAMAGED_MESSAGE), 503


BUSY_MESSAGE = "这次检索没能算完（计算进程忙或正在重启），请过几秒再试一次。"


def worker_unavailable(exc: WorkerUnavailable) -> ResponseReturnValue:
    """A costly request no worker answered (dead, hung, all busy): 503 with
    ``Retry-After``, saying to try again shortly; the reason goes to the log."""
    log.warning("503 on %s %s: %s", request.method, request.full_path, exc)
    headers = {"Retry-After": str(exc.retry_after)}
    if is_api():
        return (jsonify(error=f"busy: {exc}; try again in {exc.retry_after} s"), 503,
                headers)
    return render_template("error.html", code=503, message=BUSY_MESSAGE), 503, headers


def unexpected_error(exc: Exception) -> ResponseReturnValue:
    """A bug or an unreadable index: logged with its traceback, a plain 500 for the user;
    but when a file of the served index no longer matches its checksums (cut or written
    over under the server, which the store's readers may meet as any error) or an SQLite
    file of the index says it is damaged, the 503 of :func:`damaged_index` naming it."""
    if damaged_database(exc):  # merges.db or corrections.db, met in the middle of a read
        return damaged_index(exc)
    engine = current_app.extensions.get(ENGINE)
    try:
        problem = engine.damage() if engine is not None else None
    except Exception:  # noqa: BLE001 - the original error is the one to report
        problem = None
    if problem is not None:
        return damaged_index(RuntimeError(f"{problem} (met as {exc!r})"))
    log.exception("unexpected error on %s %s", request.method, request.full_path)
    if is_api():
        return jsonify(error="internal error: the search service could not answer; "
                             "it has been logged"), 500
    return render_template("error.html", code=500, message=None), 500
