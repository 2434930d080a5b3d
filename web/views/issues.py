"""Browsing the archive as a newspaper: ``/issues`` (the calendar), ``/issues/<date>`` (one
issue by 版面), their JSON twins under ``/api/issues``, and the issue line of the article page.
"""

from __future__ import annotations

import calendar as cal

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from search.reports.issues import NO_PAGE, Calendar, Issue, page_parts
from search.retrieval.request import BadRequest, check_paper_key, parse_int, parse_iso_date

from ..templating import date_zh, page_label
from . import get_engine

bp = Blueprint("issues", __name__)

WEEKDAYS_ZH = "一二三四五六日"


def page_anchor(page: str | None, position: int) -> str:
    """The fragment of a 版面 on its issue page: ``ban-3``, ``ban-A3``; others by position."""
    if page is None:
        return "ban-none"
    number, _ = page_parts(page)
    return f"ban-{number}" if number else f"ban-x{position}"


def page_heading(page: str | None, known_name: str = "") -> str:
    """第3版 · 综合新闻 where the name is known, 第3版 otherwise, 未分版 for none."""
    if page is None:
        return NO_PAGE
    number, name = page_parts(page)
    name = name or known_name
    if not number:
        return name
    return page_label(number) + (f" · {name}" if name else "")


def issue_url(date: str, paper: str = "") -> str:
    """The page of one issue: ``/issues/<paper>/<date>`` of a paper, else ``/issues/<date>``."""
    if paper:
        return url_for("issues.paper_issue_page", paper=paper, date=date)
    return url_for("issues.issue_page", date=date)


def _paper_arg() -> str:
    """``paper=`` of the request, checked ("" when absent); raises :class:`BadRequest`."""
    value = request.args.get("paper", "")
    return check_paper_key(value) if value else ""


def _month_weeks(year: int, month: int, days: dict[str, int],
                 paper: str = "") -> list[list[dict | None]]:
    """A month as weeks from Monday: None for padding, else the day with its count and link."""
    weeks = []
    for week in cal.Calendar().monthdayscalendar(year, month):
        row: list[dict | None] = []
        for d in week:
            if not d:
                row.append(None)
                continue
            iso = f"{year:04d}-{month:02d}-{d:02d}"
            count = days.get(iso, 0)
            row.append({"day": d, "date": iso, "count": count,
                        "url": issue_url(iso, paper) if count else None})
        weeks.append(row)
    return weeks


def calendar_view(data: Calendar, paper: str = "") -> list[dict]:
    """The calendar template's years, each month as a grid of weeks."""
    years = []
    for year in data["years"]:
        months = []
        for month in year["months"]:
            days = {d["date"]: d["count"] for d in month["days"]}
            months.append({**month, "issues": len(days),
                           "weeks": _month_weeks(year["year"], month["month"], days, paper)})
        years.append({**year, "months": months})
    return years


def _checked_date(date: str) -> str:
    """``date`` as YYYY-MM-DD, or :class:`BadRequest` (English and Chinese messages)."""
    try:
        iso = parse_iso_date(date, "date")
    except BadRequest:
        iso = None
    if iso is None:
        shown = date[:40].encode("utf-8", "replace").decode("utf-8")
        raise BadRequest(f"date must be a date like 2022-09-30, not {shown!r}",
                         f"“{shown}”不是有效的日期，请写成 2022-09-30 这样的格式。", "date")
    return iso


def _bad_date_page(exc: BadRequest) -> tuple[str, int]:
    return render_template("browse_notice.html", code=400, title="日期有误",
                           message=exc.message_zh,
                           link=(url_for("issues.calendar_page"), "查看报纸日历")), 400


@bp.get("/issues")
def calendar_page() -> ResponseReturnValue:
    """One year's months and days that have an issue (``year``, else the newest), each day
    with its article count, and every year with its count to move between them.

    One year at a time: thirty years of month grids would be a page of megabytes.
    """
    engine = get_engine()
    try:
        paper = _paper_arg()
    except BadRequest as exc:
        return render_template("browse_notice.html", code=400, title="报刊有误",
                               message=exc.message_zh,
                               link=(url_for("issues.calendar_page"), "查看报纸日历")), 400
    papers = engine.papers()
    if paper and paper not in {p["key"] for p in papers}:
        return render_template("browse_notice.html", code=404, title="没有这种报刊",
                               message=f"资料库中没有代号为 {paper} 的报刊。",
                               link=(url_for("issues.calendar_page"), "查看报纸日历")), 404
    data = engine.calendar(paper)
    years = [y["year"] for y in data["years"]]
    try:
        year = parse_int(request.args.get("year"), "年份", years[0] if years else 0, 0, 9999)
    except BadRequest as exc:
        return render_template("browse_notice.html", code=400, title="年份有误",
                               message=exc.message_zh,
                               link=(url_for("issues.calendar_page"), "查看报纸日历")), 400
    shown = [y for y in data["years"] if y["year"] == year]
    if years and not shown:
        return render_template("browse_notice.html", code=404, title="这一年没有报纸",
                               message=f"资料库中没有 {year} 年的文章。",
                               link=(url_for("issues.calendar_page"), "查看报纸日历")), 404
    shown_data: Calendar = {**data, "years": shown}
    return render_template("issues.html", cal=data, years=calendar_view(shown_data, paper),
                           year=year, weekdays=WEEKDAYS_ZH, paper=paper, papers=papers,
                           paper_name=next((p["name"] for p in papers if p["key"] == paper), ""))


def issue_view(found: Issue) -> dict:
    """The issue template's context: 版面 headings, anchors, links (within its paper)."""
    paper = found["paper"]["key"] if found.get("paper") else ""
    pages = [{**p, "heading": page_heading(p["page"], p["name"]),
              "anchor": page_anchor(p["page"], i)}
             for i, p in enumerate(found["pages"], 1)]
    return {"issue": found, "pages": pages, "date_label": date_zh(found["date"]),
            "prev_url": issue_url(found["previous"], paper) if found["previous"] else None,
            "next_url": issue_url(found["next"], paper) if found["next"] else None}


@bp.get("/issues/<date>")
def issue_page(date: str) -> ResponseReturnValue:
    """One issue: its 版面 in order, each with its articles in page order."""
    try:
        iso = _checked_date(date)
    except BadRequest as exc:
        return _bad_date_page(exc)
    engine = get_engine()
    if engine.papers():  # several papers: each issue on its own page, never mixed
        on_day = engine.papers_of_day(iso)
        if len(on_day) == 1:
            return redirect(issue_url(iso, on_day[0]["key"]), 302)
        if on_day:
            return render_template("issue_papers.html", date=iso, date_label=date_zh(iso),
                                   papers=[{**p, "url": issue_url(iso, p["key"])}
                                           for p in on_day])
    found = engine.issue(iso)
    if found is None:
        return render_template("browse_notice.html", code=404, title="这一天没有报纸",
                               message=f"资料库中没有 {date_zh(iso)} 的文章。",
                               link=(url_for("issues.calendar_page"), "查看报纸日历")), 404
    return render_template("issue.html", **issue_view(found))


@bp.get("/issues/<paper>/<date>")
def paper_issue_page(paper: str, date: str) -> ResponseReturnValue:
    """One paper's issue of one day: its 版面 in order, each with its articles."""
    try:
        key = check_paper_key(paper)
        iso = _checked_date(date)
    except BadRequest as exc:
        return _bad_date_page(exc)
    found = get_engine().issue(iso, key)
    if found is None:
        return render_template("browse_notice.html", code=404, title="这一天没有这份报纸",
                               message=f"资料库中没有 {key} 在 {date_zh(iso)} 的文章。",
                               link=(url_for("issues.calendar_page", paper=key),
                                     "查看报纸日历")), 404
    return render_template("issue.html", **issue_view(found))


@bp.get("/api/issues")
def api_calendar() -> ResponseReturnValue:
    """The calendar as JSON (:class:`~search.reports.issues.Calendar`), of one paper with
    ``paper=``; 400 for a bad key."""
    try:
        paper = _paper_arg()
    except BadRequest as exc:
        return jsonify(error=str(exc)), 400
    return jsonify(get_engine().calendar(paper))


@bp.get("/api/issues/<date>")
def api_issue(date: str) -> ResponseReturnValue:
    """One issue as JSON (:class:`~search.reports.issues.Issue`), of one paper with ``paper=``;
    400 for a bad date or key, 404 for none."""
    try:
        iso = _checked_date(date)
        paper = _paper_arg()
    except BadRequest as exc:
        return jsonify(error=str(exc)), 400
    found = get_engine().issue(iso, paper)
    if found is None:
        return jsonify(error=f"no issue on {iso}"), 404
    return jsonify(found)


@bp.app_template_global()
def archive_papers() -> list[dict]:
    """The archive's papers when it holds more than one (pages then name them), else []."""
    return get_engine().papers()


@bp.app_template_global()
def issue_place(art: dict) -> dict | None:
    """For the article page: links to its issue and 版面, and the 版面's previous/next article."""
    date = art.get("date")
    if not date:
        return None
    paper = (art.get("paper") or {}).get("key", "") if get_engine().papers() else ""
    place = get_engine().neighbours(art["id"], date, paper)
    if place is None:
        return None
    page_of_issue = issue_url(place["date"], paper)
    found = get_engine().issue(place["date"], paper)
    position = next(i for i, p in enumerate(found["pages"], 1) if p["page"] == place["page"])
    return {
        **place,
        "issue_url": page_of_issue,
        "issue_label": date_zh(place["date"]),
        "paper": found.get("paper") if paper else None,
        "page_url": f"{page_of_issue}#{page_anchor(place['page'], position)}",
        "page_heading": page_heading(place["page"], found["pages"][position - 1]["name"]),
        "prev_url": url_for("article.page", article_id=place["previous"]["id"])
        if place["previous"] else None,
        "next_url": url_for("article.page", article_id=place["next"]["id"])
        if place["next"] else None,
    }
