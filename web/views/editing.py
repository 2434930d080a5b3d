"""Editors' corrections: the forms on the article page and their JSON twins, the audit
trail, re-import conflicts, readers' 纠错 flags and the accounts list.

Pages: ``POST /articles/<id>/edit|split|merge|hide`` (forms, signed in, CSRF),
``POST /articles/<id>/flag`` (anyone, CSRF, limited per address), ``PATCH
/api/articles/<id>`` and ``POST /api/articles/<id>/split|merge|hide`` (signed in or an
API token), ``/admin/history`` (revert: administrators), ``/admin/conflicts``,
``/admin/flags``, ``/admin/users`` (administrators).  Every write checks the role here,
on the server; the work is :mod:`indexer.editing`'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from indexer import editing
from indexer.corrections import FLAG_KINDS, Corrections
from indexer.locks import ImportBusy

from ..accounts import AccountError
from ..auth import FLAG_LIMITER, accounts, check_csrf, require
from . import get_engine

bp = Blueprint("editing", __name__)
MAX_NOTE = 500
PAGE_SIZE = 50


@bp.app_template_global()
def stored_digest(article_id: str) -> str:
    """The fingerprint of an article as stored: the edit form sends it back, so a save
    over another editor's newer change is refused instead of undoing it."""
    stored = get_engine().stored(article_id)
    return (stored or {}).get("digest") or ""


def recover_at_start(index_dir: str) -> None:
    """At the service's start: write a correction a killed process recorded but did
    not commit (unless an import runs: it does that itself)."""
    try:
        editing.recover(index_dir)
    except Exception as exc:  # noqa: BLE001 - no index yet, read-only folder: not now
        current = str(exc)
        if "no index" not in current.lower():
            import logging

            logging.getLogger("unionsearch.web").warning("corrections not recovered: %s",
                                                         current)


def _user() -> str:
    return g.user.name


def _index_dir() -> str:
    return current_app.config["INDEX_DIR"]


def _place(article_id: str) -> tuple[dict, dict | None]:
    """The article as stored (404 if unknown) and its place in its 版面."""
    engine = get_engine()
    art = engine.get(article_id)
    if art is None:
        abort(404)
    return art, engine.neighbours(article_id, art["date"])


def _position(place: dict | None) -> int | None:
    return place["position"] if place else None


def _run(action: str, article_id: str, payload: dict) -> dict:
    """Do one correction; raises EditError / ImportBusy for the caller to answer."""
    try:
        return _dispatch(action, article_id, payload)
    finally:
        get_engine().notice_commit()


def _dispatch(action: str, article_id: str, payload: dict) -> dict:
    index_dir, user = _index_dir(), _user()
    if action == "edit":
        _, place = _place(article_id)
        based_on = payload.pop("based_on", None)
        return editing.edit(index_dir, user, article_id, payload, _position(place),
                            based_on if isinstance(based_on, str) else None)
    if action == "split":
        _, place = _place(article_id)
        try:
            at = int(str(payload.get("paragraph", "")).strip())
        except ValueError:
            raise editing.EditError("paragraph: give the number of the paragraph the second "
                                    "article starts with") from None
        return editing.split(index_dir, user, article_id, at, str(payload.get("title") or ""),
                             _position(place))
    if action == "merge":
        _, place = _place(article_id)
        direction = str(payload.get("with") or "")
        if direction not in ("previous", "next") or place is None or place[direction] is None:
            raise editing.EditError("with: give previous or next (an article of the same "
                                    "版面 must be there)")
        other = place[direction]["id"]
        pos = place["position"]
        other_pos = pos - 1 if direction == "previous" else pos + 1
        return editing.merge(index_dir, user, article_id, other, (pos, other_pos))
    if action == "hide":
        _, place = _place(article_id)
        return editing.hide(index_dir, user, article_id, _position(place))
    raise editing.EditError(f"unknown action {action!r}")


def _entry_json(entry: dict) -> dict:
    return {"change": entry["n"], "action": entry["action"], "article": entry["article"],
            "user": entry["user"], "summary": entry["summary"],
            "at": dt.datetime.fromtimestamp(entry["at"], dt.UTC).isoformat(),
            "articles": [r.article.stable_id() for g_ in entry["after"] for r in g_.results]}


BUSY = "an import is running; try again when it has finished"


# -- forms -------------------------------------------------------------------------------

def _form_payload(action: str) -> dict:
    form = request.form
    if action == "edit":
        fields = {k: form[k] for k in editing.EDITABLE if k in form}
        return {**fields, "based_on": form.get("based_on", "")}
    return {k: form.get(k, "") for k in ("paragraph", "title", "with")}


def _form_write(action: str, article_id: str) -> Any:
    try:
        entry = _run(action, article_id, _form_payload(action))
    except editing.EditError as exc:
        if exc.status == 404:
            abort(404)
        return render_template("edit_refused.html", message=str(exc), article_id=article_id,
                               code=exc.status), exc.status
    except ImportBusy:
        return render_template("edit_refused.html", message=BUSY, article_id=article_id,
                               code=503), 503
    if action == "hide":
        return redirect(url_for("editing.history", article=article_id, done=entry["n"]), 303)
    target = article_id
    if action == "merge":  # the earlier of the two keeps its id
        kept = _entry_json(entry)["articles"]
        target = article_id if article_id in kept else kept[0]
    return redirect(url_for("article.page", article_id=target, done=entry["n"]), 303)


@bp.post("/articles/<path:article_id>/edit")
@require("editor")
def edit_form(article_id: str) -> Any:
    """The edit form's fields: kicker, title, subtitle, reporters, date, page, body."""
    return _form_write("edit", article_id)


@bp.post("/articles/<path:article_id>/split")
@require("editor")
def split_form(article_id: str) -> Any:
    return _form_write("split", article_id)


@bp.post("/articles/<path:article_id>/merge")
@require("editor")
def merge_form(article_id: str) -> Any:
    return _form_write("merge", article_id)


@bp.post("/articles/<path:article_id>/hide")
@require("editor")
def hide_form(article_id: str) -> Any:
    return _form_write("hide", article_id)


@bp.post("/articles/<path:article_id>/flag")
def flag(article_id: str) -> Any:
    """A reader's 纠错 flag: no account, no e-mail; at most 10 an hour per address."""
    check_csrf()
    if get_engine().get(article_id) is None:
        abort(404)
    limiter = current_app.extensions[FLAG_LIMITER]
    addr = request.remote_addr or "unknown"
    if limiter.blocked(addr):
        return render_template("flag_done.html", article_id=article_id, limited=True), 429
    kind = request.form.get("kind", "other")
    if kind not in FLAG_KINDS:
        kind = "other"
    note = " ".join(request.form.get("note", "").split())[:MAX_NOTE]
    limiter.count(addr)
    # the address is kept only as a salted hash: enough to see one sender's many flags
    salted = hashlib.sha256(current_app.secret_key + addr.encode()).hexdigest()[:16]
    with Corrections(_index_dir()) as store:
        store.add_flag(article_id, kind, note, salted)
    return render_template("flag_done.html", article_id=article_id, limited=False)


# -- the JSON API ------------------------------------------------------------------------

def _api_write(action: str, article_id: str) -> Any:
    payload = request.get_json(silent=True)
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        return jsonify(error="the body must be a JSON object"), 400
    try:
        entry = _run(action, article_id, payload)
    except editing.EditError as exc:
        return jsonify(error=str(exc)), exc.status
    except ImportBusy:
        return jsonify(error=BUSY), 503
    out = _entry_json(entry)
    engine = get_engine()
    out["result"] = [a for a in (engine.get(i) for i in out["articles"]) if a]
    return jsonify(out)


@bp.patch("/api/articles/<article_id:article_id>")
@require("editor")
def api_edit(article_id: str) -> Any:
    """Correct fields: a JSON object of kicker, title, subtitle, reporters, date, page, body."""
    return _api_write("edit", article_id)


@bp.post("/api/articles/<path:article_id>/split")
@require("editor")
def api_split(article_id: str) -> Any:
    return _api_write("split", article_id)


@bp.post("/api/articles/<path:article_id>/merge")
@require("editor")
def api_merge(article_id: str) -> Any:
    return _api_write("merge", article_id)


@bp.post("/api/articles/<path:article_id>/hide")
@require("editor")
def api_hide(article_id: str) -> Any:
    return _api_write("hide", article_id)


# -- the admin pages -----------------------------------------------------------------------

def _when(ts: float | None) -> str:
    if not ts:
        return ""
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


@bp.get("/admin/history")
@require("editor")
def history() -> Any:
    """Every change, newest first; filters: user, article, action."""
    a = request.args
    user, article, action = (a.get("user", "")[:64], a.get("article", "")[:200],
                             a.get("action", "")[:20])
    try:
        page = max(1, min(10_000, int(a.get("page", "1"))))
    except ValueError:
        page = 1
    with Corrections(_index_dir(), read_only=True) as store:
        entries = store.history(user, article, action, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return render_template("admin_history.html", entries=entries, when=_when,
                           filters={"user": user, "article": article, "action": action},
                           page=page, more=len(entries) == PAGE_SIZE, done=a.get("done"))


@bp.post("/admin/history/<int:n>/revert")
@require("admin")
def revert(n: int) -> Any:
    try:
        entry = editing.revert(_index_dir(), _user(), n)
        get_engine().notice_commit()
    except editing.EditError as exc:
        return render_template("edit_refused.html", message=str(exc), article_id="",
                               code=exc.status), exc.status
    except ImportBusy:
        return render_template("edit_refused.html", message=BUSY, article_id="", code=503), 503
    return redirect(url_for("editing.history", done=entry["n"]), 303)


@bp.get("/admin/conflicts")
@require("editor")
def conflicts() -> Any:
    """Corrections whose source changed at a re-import."""
    with Corrections(_index_dir(), read_only=True) as store:
        found = store.conflicts(open_only=request.args.get("all") != "1")
    return render_template("admin_conflicts.html", conflicts=found, when=_when)


@bp.post("/admin/conflicts/<int:n>/close")
@require("editor")
def close_conflict(n: int) -> Any:
    with Corrections(_index_dir()) as store:
        store.close_conflict(n, _user())
        store.save()
    return redirect(url_for("editing.conflicts"), 303)


@bp.post("/admin/conflicts/<int:n>/take")
@require("editor")
def take_source(n: int) -> Any:
    """Resolve a conflict for the source: its new version replaces the correction there."""
    try:
        editing.take_source(_index_dir(), _user(), n)
        get_engine().notice_commit()
    except editing.EditError as exc:
        return render_template("edit_refused.html", message=str(exc), article_id="",
                               code=exc.status), exc.status
    except ImportBusy:
        return render_template("edit_refused.html", message=BUSY, article_id="", code=503), 503
    return redirect(url_for("editing.conflicts"), 303)


@bp.get("/admin/flags")
@require("editor")
def flags() -> Any:
    with Corrections(_index_dir(), read_only=True) as store:
        found = store.flags(open_only=request.args.get("all") != "1")
    return render_template("admin_flags.html", flags=found, when=_when, kinds=FLAG_KINDS)


@bp.post("/admin/flags/<int:n>/close")
@require("editor")
def close_flag(n: int) -> Any:
    with Corrections(_index_dir()) as store:
        store.close_flag(n, _user())
    return redirect(url_for("editing.flags"), 303)


@bp.route("/admin/users", methods=["GET", "POST"])
@require("admin")
def users() -> Any:
    """Accounts (administrators only); POST removes one (``remove=NAME``).  Accounts are
    added on the command line (``unionsearch user add``), where a password is typed."""
    message = ""
    if request.method == "POST":
        name = request.form.get("remove", "")
        if name == _user():
            message = "不能删除自己的账号。"
        else:
            try:
                accounts().remove(name)
                message = f"已删除账号 {name}。"
            except AccountError as exc:
                message = str(exc)
    return render_template("admin_users.html", users=accounts().users(), message=message)
