"""Who is asking: sessions, API tokens, a trusted proxy's single sign-on, CSRF tokens,
sign-in limits, and the ``/login`` and ``/logout`` pages.

Reading needs no account.  A write needs a user, found (in this order) from an
``Authorization: Bearer`` API token (scripts), from the header a trusted reverse proxy
sets (``sso_header``, only from ``trusted_proxies`` addresses, off by default), or from
the session cookie (signed with the index folder's secret key, ``HttpOnly``,
``SameSite=Lax``, ``Secure`` when the request came over https).  Every write from a
browser carries a CSRF token: the session's (a new one at each sign-in, with a new
session id, so a planted cookie is worthless) or, before signing in, a random cookie's.

Limits: :data:`accounts.LOCK_AFTER` wrong passwords in a row lock an account for a
while (:mod:`web.accounts`); :data:`ADDRESS_LIMIT` failures from one address within
:data:`ADDRESS_WINDOW` seconds make that address wait (429) until the window has passed.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import sqlite3
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from itsdangerous import BadSignature, URLSafeSerializer

from .accounts import Accounts, Session, User, secret_key

SESSION_COOKIE = "unionsearch_session"
CSRF_COOKIE = "unionsearch_csrf"
ADDRESS_LIMIT = 20
ADDRESS_WINDOW = 15 * 60
LIMITER = "unionsearch.limiter"
FLAG_LIMITER = "unionsearch.flag_limiter"

bp = Blueprint("auth", __name__)


class AddressLimiter:
    """Counts events per client address within a window (in memory: one service
    process); ``blocked`` once ``limit`` are counted."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self.events: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def _trim(self, addr: str, now: float) -> deque[float]:
        q = self.events[addr]
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, addr: str) -> float:
        """Seconds until ``addr`` may try again (0: now)."""
        now = time.monotonic()
        with self.lock:
            q = self._trim(addr, now)
            if len(q) < self.limit:
                return 0.0
            return max(1.0, self.window - (now - q[0]))

    def count(self, addr: str) -> None:
        now = time.monotonic()
        with self.lock:
            self._trim(addr, now).append(now)
            if len(self.events) > 100_000:  # many addresses: forget the quiet ones
                for key in [k for k, v in self.events.items() if not v][:50_000]:
                    del self.events[key]


def init_app(app: Flask, index_dir: str) -> None:
    """Sessions, tokens and CSRF for ``app``; the secret key made at first start.

    A folder the service may not write (a read-only mount) still serves readers: the key
    is then one for this run, and signing in says the accounts are unavailable."""
    try:
        app.secret_key = secret_key(index_dir)
        Accounts(index_dir).close()  # made (mode 0600) now, not by the first visitor
    except (OSError, sqlite3.Error) as exc:
        app.secret_key = secrets.token_bytes(32)
        app.logger.warning("editors cannot sign in: the index folder %s is not writable "
                           "(%s)", index_dir, exc)
    app.extensions[LIMITER] = AddressLimiter(ADDRESS_LIMIT, ADDRESS_WINDOW)
    app.extensions[FLAG_LIMITER] = AddressLimiter(10, 3600)
    app.before_request(load_user)
    app.after_request(set_cookies)
    app.teardown_request(close_accounts)
    app.context_processor(lambda: {"current_user": g.get("user"), "csrf_token": csrf_token})
    app.register_blueprint(bp)


def accounts() -> Accounts:
    """This request's connection to the accounts (opened per request: a restore or a
    rebuild swaps the index folder under a running service)."""
    if "accounts" not in g:
        g.accounts = Accounts(current_app.config["INDEX_DIR"])
    return g.accounts


def close_accounts(_exc: BaseException | None) -> None:
    acc = g.pop("accounts", None)
    if acc is not None:
        acc.close()


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="unionsearch-session")


def _peer_trusted() -> bool:
    trusted = current_app.config.get("TRUSTED_PROXIES") or []
    try:
        ip = ipaddress.ip_address((request.remote_addr or "").split("%", 1)[0])
    except ValueError:
        return False
    return any(t == "*" or ip in ipaddress.ip_network(t) for t in trusted)


def load_user() -> None:
    """``g.user`` (or None) and ``g.session`` for this request; anonymous when the
    accounts cannot be read."""
    g.user, g.session, g.via = None, None, ""
    try:
        _load_user()
    except (OSError, sqlite3.Error) as exc:
        current_app.logger.warning("accounts unreadable: %s", exc)
        g.user, g.session, g.via = None, None, ""


def _load_user() -> None:
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        user = accounts().by_token(auth[7:].strip())
        if user is not None:
            g.user, g.via = user, "token"
        return
    header = current_app.config.get("SSO_HEADER") or ""
    if header and request.headers.get(header) and _peer_trusted():
        user = accounts().get(request.headers[header].strip())
        if user is not None:
            g.user, g.via = user, "sso"
            return
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        try:
            sid = _signer().loads(cookie)
        except BadSignature:
            return
        if isinstance(sid, str):
            found = accounts().session(sid, current_app.config["SESSION_IDLE"] * 60.0)
            if found is not None:
                g.user, g.session, g.via = found.user, found, "session"


def csrf_token() -> str:
    """The token this browser's forms carry: its session's, else its CSRF cookie's."""
    if g.get("session") is not None:
        return g.session.csrf
    if "anon_csrf" not in g:
        raw = request.cookies.get(CSRF_COOKIE, "")
        try:
            value = _signer().loads(raw) if raw else None
        except BadSignature:
            value = None
        if not isinstance(value, str):
            value = secrets.token_urlsafe(32)
            g.new_csrf = value
        g.anon_csrf = value
    return g.anon_csrf


def check_csrf() -> None:
    """403 unless the request carries this browser's CSRF token (a form field or the
    ``X-CSRF-Token`` header); API token requests carry none (no cookie is involved)."""
    if g.get("via") == "token":
        return
    given = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token") or ""
    if not given or not hmac.compare_digest(given.encode(), csrf_token().encode()):
        abort(403, description="CSRF token missing or wrong: reload the page and try again")


def _cookie_args() -> dict[str, Any]:
    return {"httponly": True, "samesite": "Lax", "secure": request.is_secure,
            "path": (request.script_root or "") + "/"}


def set_cookies(resp: Response) -> Response:
    """Sets the cookies this request decided on (a new session, a CSRF cookie)."""
    if g.get("new_session") is not None:
        resp.set_cookie(SESSION_COOKIE, _signer().dumps(g.new_session.sid), **_cookie_args())
    elif g.get("end_session"):
        resp.delete_cookie(SESSION_COOKIE, path=(request.script_root or "") + "/")
    if g.get("new_csrf"):
        resp.set_cookie(CSRF_COOKIE, _signer().dumps(g.new_csrf), **_cookie_args())
    if g.get("user") is not None or request.path in ("/login", "/logout"):
        resp.headers["Cache-Control"] = "no-store"
    return resp


def wants_json() -> bool:
    return request.path.startswith("/api/")


def unauthorized() -> Response | tuple:
    """401: JSON for the API, the sign-in page otherwise (nothing was changed)."""
    if wants_json():
        return (jsonify(error="sign in first: send Authorization: Bearer <API token> "
                              "(unionsearch user token NAME), or a session cookie"),
                401, {"WWW-Authenticate": 'Bearer realm="unionsearch"'})
    if request.method == "GET":
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return render_template("login.html", message="请先登录（编辑或管理员账号）。",
                           next=request.path), 401


def require(role: str = "editor", csrf: bool = True) -> Callable:
    """A view for signed-in users of ``role`` (an admin is also an editor); on a write,
    the CSRF token checked after the user (so an anonymous write is a 401)."""

    def deco(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user: User | None = g.get("user")
            if user is None:
                return unauthorized()
            if role == "admin" and not user.is_admin:
                if wants_json():
                    return jsonify(error="only an administrator may do this"), 403
                abort(403, description="只有管理员可以这样做。")
            if csrf and request.method not in ("GET", "HEAD"):
                check_csrf()
            return view(*args, **kwargs)

        return wrapped

    return deco


def _client() -> str:
    return request.remote_addr or "unknown"


def _safe_next(target: str | None) -> str:
    """A local path to go on to after signing in (never another site)."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc \
            or "\\" in target:
        return url_for("search.home")
    return (request.script_root or "") + target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The sign-in form; POST signs in (a new session id and CSRF token each time)."""
    nxt = request.values.get("next", "")[:500]
    if request.method == "GET":
        return render_template("login.html", message="", next=nxt)
    limiter: AddressLimiter = current_app.extensions[LIMITER]
    wait = limiter.blocked(_client())
    if wait:
        return (render_template("login.html", next=nxt,
                                message=f"登录失败次数太多，请 {int(wait // 60) + 1} 分钟后再试。"),
                429, {"Retry-After": str(int(wait))})
    check_csrf()
    name = request.form.get("name", "")[:64].strip()
    password = request.form.get("password", "")
    try:
        user, why = (accounts().authenticate(name, password) if name and password
                     else (None, "wrong"))
    except (OSError, sqlite3.Error):
        return render_template("login.html", next=nxt,
                               message="账号库暂时无法读取，请稍后再试或联系管理员。"), 503
    if user is None:
        limiter.count(_client())
        message = ("这个账号因多次密码错误已暂时锁定，请稍后再试或请管理员重设密码。"
                   if why == "locked" else "用户名或密码不对。")
        current_app.logger.warning("sign-in failed for %r from %s (%s)", name, _client(), why)
        return render_template("login.html", message=message, next=nxt, name=name), 401
    old: Session | None = g.get("session")
    if old is not None:
        accounts().end_session(old.sid)
    g.new_session = accounts().start_session(user)
    g.session, g.user = g.new_session, user
    return redirect(_safe_next(nxt), 303)


@bp.post("/logout")
def logout() -> Any:
    """Sign out: the session ends on the server, its cookie is removed."""
    if g.get("session") is not None:
        check_csrf()
        accounts().end_session(g.session.sid)
    g.end_session = True
    return redirect(url_for("search.home"), 303)
