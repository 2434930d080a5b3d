"""``GET /api/suggest``: what the search box offers while typing (see
:mod:`search.understanding.suggest`)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from search.retrieval.request import BadRequest, parse_int
from search.understanding.suggest import suggest

from . import get_engine

bp = Blueprint("suggest", __name__)

DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS = 8, 20


@bp.get("/api/suggest")
def suggestions() -> ResponseReturnValue:
    """``{"query", "suggestions": [{"text", "kind"}]}``; 400 for a bad ``size``.

    Any text is answered (only its first characters are looked at); a box that
    asks on every keystroke is told to keep the answer a minute.
    """
    try:
        size = parse_int(request.args.get("size"), "size", DEFAULT_SUGGESTIONS, 1,
                         MAX_SUGGESTIONS)
    except BadRequest as exc:
        return jsonify(error=str(exc)), 400
    q = request.args.get("q", "")
    st = get_engine().state()
    resp = jsonify(query=q, suggestions=suggest(st, q, size))
    resp.headers["Cache-Control"] = "max-age=60"
    return resp
