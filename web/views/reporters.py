"""Reporter pages: ``/reporters`` (everyone, with counts, searchable by name or pinyin) and
``/reporters/<name>`` (their articles newest first, a chart per year, themes, colleagues)."""

from __future__ import annotations

import math

from flask import Blueprint, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from search.reports.trends import TrendRequest
from search.retrieval.request import (
    MAX_REPORTER_CHARS,
    BadRequest,
    SearchRequest,
    check_paper_key,
    check_papers,
    check_text,
    parse_int,
)

from ..templating import _pages, feed_url, search_url
from . import get_engine
from .trends import chart

bp = Blueprint("reporters", __name__)

LIST_SIZE = 100  # reporters per page of the list
ARTICLES_SIZE = 20  # articles per page of a reporter


def _bad(exc: BadRequest, back: str) -> tuple[str, int]:
    return render_template("browse_notice.html", code=400, title="参数有误",
                           message=exc.message_zh, link=(back, "重新打开")), 400


def _not_found(name: str) -> tuple[str, int]:
    return render_template("browse_notice.html", code=404, title="没有这位记者",
                           message=f"资料库中没有署名“{name[:MAX_REPORTER_CHARS]}”的文章。",
                           link=(url_for("reporters.index"), "查看全部记者")), 404


def _list_args(q_name: str) -> tuple[str, int, str]:
    """The list's filter, page and paper from the query string; raises :class:`BadRequest`
    (``q_name`` is how the message names the filter)."""
    q = check_text(request.args.get("q", ""), q_name, MAX_REPORTER_CHARS).strip()
    paper = request.args.get("paper", "")
    return (q, parse_int(request.args.get("page"), "page", 1, 1, 10_000),
            check_paper_key(paper) if paper else "")


@bp.get("/reporters")
def index() -> ResponseReturnValue:
    """Everyone with their article counts, most first; ``q`` filters (刘, liu, lxx)."""
    try:
        q, page, paper = _list_args("reporter")
    except BadRequest as exc:
        return _bad(exc, url_for("reporters.index"))
    engine = get_engine()
    found = engine.reporters(q, page, LIST_SIZE, paper)
    papers = engine.papers()
    last = max(1, math.ceil(found["total"] / LIST_SIZE))
    return render_template("reporters.html", found=found, q=q, page=page, last=last,
                           pages=_pages(page, last) if found["total"] else [],
                           papers=papers, paper=paper,
                           page_url=lambda p: url_for("reporters.index", q=q or None,
                                                      page=p if p > 1 else None,
                                                      paper=paper or None))


@bp.get("/reporters/<name>")
def reporter_page(name: str) -> ResponseReturnValue:
    """One reporter: articles newest first (paginated), per-year chart, themes, colleagues."""
    if len(name) > MAX_REPORTER_CHARS:
        return _not_found(name)
    try:
        page = parse_int(request.args.get("page"), "page", 1, 1, 10_000)
        papers = check_papers(request.args.getlist("paper"))[:1]
    except BadRequest as exc:
        return _bad(exc, url_for("reporters.reporter_page", name=name))
    engine = get_engine()
    prof = engine.reporter(name)
    if prof is None:
        return _not_found(name)
    who = prof["name"]
    result = engine.search(SearchRequest(reporters=[who], sort="newest", page=page,
                                         size=ARTICLES_SIZE, papers=papers))
    last = max(1, math.ceil(result["total"] / ARTICLES_SIZE))
    treq = TrendRequest(queries=[""], base=SearchRequest(
        reporters=[who], date_from=prof["date_from"], date_to=prof["date_to"], papers=papers))
    only = {"reporter": [who], **({"paper": papers} if papers else {})}
    # 报刊 (several papers only): the reporter's articles in each, to narrow the page to one.
    every = engine.search(SearchRequest(reporters=[who], size=1)) if engine.papers() else None
    paper_links = [{**f, "active": f["value"] in papers,
                    "url": url_for("reporters.reporter_page", name=who,
                                   paper=None if f["value"] in papers else f["value"])}
                   for f in (every or {}).get("facets", {}).get("paper", [])]
    # The axis is their own span: per month when it is short, else per year.
    # Compact: the side column is about 300 px wide, where a full-width chart's labels
    # would shrink below reading size.
    per_period = chart(engine.trend(treq), [only], compact=True)
    return render_template(
        "reporter.html", prof=prof, result=result, page=page, last=last,
        pages=_pages(page, last), chart=per_period, paper_links=paper_links,
        feed_url=feed_url(only),
        page_url=lambda p: url_for("reporters.reporter_page", name=who,
                                   page=p if p > 1 else None, paper=papers or None),
        theme_url=lambda w: search_url(only, q=w),
        all_url=search_url(only))


@bp.get("/api/reporters")
def api_index() -> ResponseReturnValue:
    """The list as JSON (:class:`~search.reports.reporters.ReporterList`), 100 a page."""
    try:
        q, page, paper = _list_args("q")
    except BadRequest as exc:
        return jsonify(error=str(exc)), 400
    return jsonify(get_engine().reporters(q, page, LIST_SIZE, paper))


@bp.get("/api/reporters/<name>")
def api_reporter(name: str) -> ResponseReturnValue:
    """One reporter's profile as JSON (:class:`~search.reports.reporters.Profile`); their articles
    are ``/api/search?reporter=<name>&sort=newest``."""
    prof = get_engine().reporter(name) if len(name) <= MAX_REPORTER_CHARS else None
    if prof is None:
        return jsonify(error=f"no reporter named {name[:MAX_REPORTER_CHARS]!r}"), 404
    return jsonify(prof)
