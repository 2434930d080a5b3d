"""最新入库: ``/recent`` (and ``/api/recent``), what the last imports added, per paper.

Each import stamps its articles with the time it started; this page lists the last
imports by that stamp, with each paper's count and links to the articles themselves
(``/search?since=…``: everything imported since, newest first, filterable like any
search).  An editor sees at a glance what arrived today.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue

from ..templating import search_url
from . import get_engine

bp = Blueprint("recent", __name__)

IMPORTS_SHOWN = 10
BEIJING = timedelta(hours=8)


def since_value(added: int) -> str:
    """The ``since=`` of one import: its start, ``2026-12-07T09:25:31Z``."""
    return datetime.fromtimestamp(added, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_label(added: int) -> str:
    """When an import ran as an editor reads it: Beijing time, 2026年12月7日 17:25."""
    t = datetime.fromtimestamp(added, UTC) + BEIJING
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"


@bp.get("/recent")
def page() -> ResponseReturnValue:
    """The last imports, newest first: when, how many articles, of which papers."""
    imports = []
    for imp in get_engine().recent(IMPORTS_SHOWN):
        since = since_value(imp["added"])
        imports.append({**imp, "label": local_label(imp["added"]), "since": since,
                        "url": search_url({"since": since}, sort="newest"),
                        "papers": [{**p, "url": search_url({"since": since, "paper": [p["key"]]},
                                                           sort="newest")}
                                   for p in imp["papers"]]})
    return render_template("recent.html", imports=imports)


@bp.get("/api/recent")
def api() -> ResponseReturnValue:
    """The last imports as JSON: ``{"imports": [{"added", "since", "articles", "papers"}]}``."""
    return jsonify(imports=[{"added": since_value(i["added"]), "articles": i["articles"],
                             "papers": i["papers"]}
                            for i in get_engine().recent(IMPORTS_SHOWN)])
