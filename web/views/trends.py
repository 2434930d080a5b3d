"""Trends: ``/trends`` (two or three queries on one chart), ``/api/trends``, and the chart on the
results page.

The chart is an SVG drawn on the server (no script, no inline style: CSP holds): one bar per
period and query, each a link that narrows the results to its period, each with its value in a
``<title>`` for screen readers and as a tooltip.  :func:`chart` computes the geometry; the
template ``trend_chart.html`` draws it.
"""

from __future__ import annotations

import datetime as dt
import math

from flask import Blueprint, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from search.reports.trends import MAX_QUERIES, Trend, TrendRequest, from_year_facet
from search.retrieval.request import BadRequest, SearchRequest, parse_synonyms_flag

from .. import costly
from ..templating import search_url
from . import get_engine

bp = Blueprint("trends", __name__)

WIDTH, HEIGHT, AXIS = 640, 150, 22  # viewBox units: plot width, plot height, labels below
COMPACT_WIDTH = 320  # in the results page's side column
TOP = 14  # room above the tallest bar for the scale label
MAX_LABELS = 12  # period labels shown under the bars, at most (half in a compact chart)


def _nice_max(value: int) -> int:
    """The scale's top: a round number at least ``value`` (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 or 10
    times a power of ten), so the tallest bar fills most of the height."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(int(m * power) for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
                if int(m * power) >= value)


def period_label(period: str, by: str) -> str:
    """``2022`` → 2022年; ``2022-09`` → 2022年9月."""
    if by == "year":
        return f"{period}年"
    y, m = period.split("-")
    return f"{y}年{int(m)}月"


def _short_label(period: str, by: str, first: bool) -> str:
    """Under a bar: the year; for months the month, with the year at January and at the start."""
    if by == "year":
        return period
    y, m = period.split("-")
    return f"{y}.{int(m)}" if first or m == "01" else f"{int(m)}月"


def chart(trend: Trend, links: list[dict], compact: bool = False) -> dict | None:
    """Bars, labels and scale of ``trend`` in viewBox units; None when there is nothing to draw.

    ``links[j]`` are the search parameters of series ``j`` (its q and the filters); each bar
    links to them with the period's dates.
    """
    periods, series = trend["periods"], trend["series"]
    if not periods or not any(sum(s["counts"]) for s in series):
        return None
    top = _nice_max(max(max(s["counts"]) for s in series))
    n, k = len(periods), len(series)
    width = COMPACT_WIDTH if compact else WIDTH
    slot = width / n
    bar = slot * (0.8 if n > 1 else 0.4) / k
    step = max(1, math.ceil(n / (MAX_LABELS // 2 if compact else MAX_LABELS)))
    groups = []
    for i, p in enumerate(periods):
        x0 = i * slot + (slot - bar * k) / 2
        label = period_label(p["period"], trend["by"])
        bars = []
        for j, s in enumerate(series):
            count = s["counts"][i]
            h = round(count / top * (HEIGHT - TOP), 2)
            bars.append({
                "series": j, "count": count, "x": round(x0 + j * bar, 2),
                "y": round(HEIGHT - h, 2), "width": round(max(bar - 1, 1), 2), "height": h,
                "title": f"{label}：{count} 篇" + (f"（{s['query']}）" if s["query"] else ""),
                "url": search_url(links[j], from_=p["date_from"], to=p["date_to"])
                if count else None,
            })
        groups.append({"x": round(i * slot, 2), "width": round(slot, 2), "bars": bars,
                       "label": _short_label(p["period"], trend["by"], i == 0)
                       if i % step == 0 else "",
                       "label_odd": (i // step) % 2 == 1,  # hidden on a phone
                       **_label_place(i, n, slot), "period": label})
    return {"width": width, "height": HEIGHT + AXIS, "plot_height": HEIGHT, "top": top,
            "by": trend["by"], "groups": groups, "series": series,
            "unit": "年" if trend["by"] == "year" else "月", "label_y": HEIGHT + 16}


def _label_place(i: int, n: int, slot: float) -> dict:
    """Under its bar, but the first and last labels kept inside the chart's edges."""
    if i == 0 and n > 1:
        return {"label_x": round(i * slot, 2), "label_anchor": "start"}
    if i == n - 1 and n > 1:
        return {"label_x": round((i + 1) * slot, 2), "label_anchor": "end"}
    return {"label_x": round(i * slot + slot / 2, 2), "label_anchor": "middle"}


def trend_request() -> TrendRequest:
    """The request's queries and filters, validated; raises :class:`BadRequest`."""
    a = request.args
    treq = TrendRequest.from_params(a.getlist("q"), a.getlist("reporter"), a.get("from"),
                                    a.get("to"), a.get("by"), a.getlist("paper"))
    treq.base.synonyms = parse_synonyms_flag(a.get("synonyms"))
    return treq


def _links(treq: TrendRequest) -> list[dict]:
    """Search parameters of each series: its q and the shared reporter filters."""
    base = {"reporter": treq.base.reporters} if treq.base.reporters else {}
    if treq.base.papers:
        base["paper"] = treq.base.papers
    return [{**base, **({"q": q} if q else {})} for q in treq.queries]


@bp.app_template_global()
def results_trend(req: SearchRequest, params: dict, result: dict) -> dict | None:
    """The results page's chart of its query and filters; bars narrow the page to a period.

    Per year it is drawn from the result's year facet (the same exact counts, no second
    evaluation); per month (a short range) the trend is evaluated.  One period: no chart.
    """
    engine = get_engine()
    base = SearchRequest(reporters=req.reporters, date_from=req.date_from, date_to=req.date_to,
                         synonyms=req.synonyms, papers=list(req.papers), since=req.since)
    treq = TrendRequest(queries=[req.q.strip()], base=base)
    try:
        ax = engine.trend_axis(treq)
    except BadRequest:  # an axis too long to draw: the results go without a chart
        return None
    if ax is None or len(ax.periods) < 2:
        return None
    if ax.by == "year":
        found = from_year_facet(ax, treq.queries[0], result["total"], result["facets"]["year"])
    else:
        found = engine.trend(treq)
    return chart(found, [params], compact=True)


@bp.app_template_global()
def quick_ranges(params: dict, req: SearchRequest,
                 today: dt.date | None = None) -> list[tuple[str, str, bool]]:
    """今年, 近一年, 近五年: (label, link to the results from that day on, in force)."""
    today = today or dt.date.today()
    year_ago = today - dt.timedelta(days=365)
    five = today.replace(year=today.year - 5, day=min(today.day, 28) if today.month == 2
                         else today.day)
    out = []
    for label, start in (("今年", today.replace(month=1, day=1)), ("近一年", year_ago),
                         ("近五年", five)):
        iso = start.isoformat()
        active = req.date_from == iso and not req.date_to
        out.append((label, search_url(params, from_=None if active else iso, to=None), active))
    return out


@bp.app_template_global()
def compare_url(req: SearchRequest) -> str:
    """``/trends`` for the results page's query and filters, to add queries to compare."""
    dates = {k: v for k, v in (("from", req.date_from), ("to", req.date_to)) if v}
    return url_for("trends.page", q=req.q, reporter=req.reporters, paper=req.papers, **dates)


def _bad_page(exc: BadRequest) -> tuple[str, int]:
    return render_template("browse_notice.html", code=400, title="趋势参数有误",
                           message=exc.message_zh, link=(url_for("trends.page"), "重新比较")), 400


@bp.get("/trends")
def page() -> ResponseReturnValue:
    """Compare up to three queries over time; the form works without script."""
    try:
        treq = trend_request()
    except BadRequest as exc:
        return _bad_page(exc)
    asked = [q for q in request.args.getlist("q") if q.strip()]
    try:
        result = costly.trend(get_engine(), treq)
    except BadRequest as exc:  # a monthly axis too long
        return _bad_page(exc)
    slots = (asked + [""] * MAX_QUERIES)[:MAX_QUERIES]
    return render_template("trends.html", treq=treq, trend=result, slots=slots,
                           chart=chart(result, _links(treq)), asked=bool(asked),
                           by=request.args.get("by", "auto"))


@bp.get("/api/trends")
def api() -> ResponseReturnValue:
    """Matching articles per year or month for each ``q``
    (:class:`~search.reports.trends.Trend`)."""
    try:
        return jsonify(costly.trend(get_engine(), trend_request()))
    except BadRequest as exc:
        return jsonify(error=str(exc)), 400
