"""The printed page beside the text: ``/articles/<id>/page.png`` (the article's page, its
regions outlined, ``?q=`` marked), ``/articles/<id>/original`` (the file it was read from),
``/issues/<date>/<版>.png`` (a 版面's thumbnail), and the page maps of the issue page.

Only articles read from a page PDF or a scan have a printed page; any other answers 404
with a message saying so, and a source file that is gone or changed since the import says
that instead of showing the wrong page.  Pictures are made by :mod:`web.printed_images`.
"""

from __future__ import annotations

import os
import re
from collections import Counter

from flask import Blueprint, Response, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from search.reports.issues import page_parts

from ..printed_images import PageProblem, article_png, check_source, thumbnail_png
from . import get_engine

bp = Blueprint("printed", __name__)

_MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)
MAX_AGE = 3600


def _notice(problem: PageProblem, title: str = "没有原版页面") -> tuple[str, int]:
    return render_template("browse_notice.html", code=problem.code, title=title,
                           message=problem.message_zh, link=None), problem.code


def _printed_of(article_id: str) -> dict:
    """The stored article's printed place, or :class:`PageProblem` (404: no such article)."""
    art = get_engine().get(article_id)
    if art is None:
        raise PageProblem("没有这篇文章。", f"no article {article_id!r}")
    printed = art.get("printed")
    check_source(printed)
    return printed


def _marked_words(article_id: str, q: str) -> list[str]:
    """What the article page marks for ``q`` (synonyms and pinyin words as there)."""
    if not q.strip():
        return []
    view = get_engine().article(article_id, q[:1000])
    if view is None:
        return []
    html = " ".join([view["kicker_html"], view["title_html"], view["subtitle_html"],
                     *view["paragraphs"]])
    words = {re.sub(r"<[^>]+>", "", m) for m in _MARKED.findall(str(html))}
    return sorted((w for w in words if w.strip()), key=len, reverse=True)


def _png(data: bytes) -> Response:
    resp = Response(data, mimetype="image/png")
    resp.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return resp


@bp.get("/articles/<path:article_id>/page.png")
def page_png(article_id: str) -> ResponseReturnValue:
    """The printed page of the article, its regions outlined and ``q``'s matches marked."""
    try:
        printed = _printed_of(article_id)
        words = _marked_words(article_id, request.args.get("q", ""))
        return _png(article_png(get_engine().index_dir, printed, words))
    except PageProblem as problem:
        return _notice(problem)


@bp.get("/articles/<path:article_id>/original")
def original(article_id: str) -> ResponseReturnValue:
    """The PDF or image the article was read from, as a download."""
    try:
        printed = _printed_of(article_id)
    except PageProblem as problem:
        return _notice(problem, "没有原版文件")
    path = str(printed["file"])
    return send_file(path, as_attachment=True, download_name=os.path.basename(path),
                     max_age=MAX_AGE)


def page_map(articles: list[dict]) -> dict | None:
    """A 版面's page map: the page most of its articles were printed on and each article's
    regions there (points: the SVG of the issue page scales them with the picture); None
    when none of them was read from a printed page."""
    engine = get_engine()
    placed = []
    for a in articles:
        stored = engine.get(a["id"])
        printed = (stored or {}).get("printed")
        if printed and printed.get("file") and printed.get("size"):
            placed.append((a, printed))
    if not placed:
        return None
    where = Counter((p["file"], p.get("page") or 0) for _, p in placed).most_common(1)[0][0]
    w, h = placed[0][1]["size"]
    areas = []
    for a, p in placed:
        if (p["file"], p.get("page") or 0) != where:
            continue
        for k, (x0, y0, x1, y1) in enumerate(p.get("regions") or []):
            areas.append({"id": a["id"], "title": a.get("title") or "（无标题）", "first": k == 0,
                          "url": url_for("article.page", article_id=a["id"]),
                          "box": [round(x0, 1), round(y0, 1), round(x1, 1), round(y1, 1)]})
    return {"file": where[0], "page": where[1], "size": [w, h], "areas": areas}


def _ban_of(page: str | None) -> str:
    number, _ = page_parts(page) if page else ("", "")
    return number


@bp.app_template_global()
def issue_page_map(date: str, page: dict) -> dict | None:
    """For the issue template: a 版面's page map and its thumbnail's URL, or None."""
    ban = _ban_of(page.get("page"))
    if not ban:
        return None
    found = page_map(page.get("articles") or [])
    if found is None:
        return None
    return {**found, "src": url_for("printed.issue_png", date=date, ban=ban)}


@bp.get("/issues/<date>/<ban>.png")
def issue_png(date: str, ban: str) -> ResponseReturnValue:
    """The thumbnail of 版面 ``ban`` (3, A3) of the issue of ``date``."""
    found = get_engine().issue(date) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None
    if found is None:
        return _notice(PageProblem(f"资料库中没有 {date[:20]} 的报纸。", "no such issue"),
                       "没有这一期")
    pages = [p for p in found["pages"] if _ban_of(p["page"]) == ban]
    mapped = page_map(pages[0]["articles"]) if pages else None
    if mapped is None:
        return _notice(PageProblem(f"这一期没有第{ban[:8]}版的原版页面。", "no printed page"))
    try:
        return _png(thumbnail_png(get_engine().index_dir,
                                  {"file": mapped["file"], "page": mapped["page"],
                                   "size": mapped["size"]}))
    except PageProblem as problem:
        return _notice(problem)


@bp.app_template_global()
def printed_place(art: dict) -> dict | None:
    """For the article page: its printed page's picture and download links and its OCR
    confidence (flagged below the floor), or None for an article with no printed page."""
    printed = art.get("printed")
    if not printed or not printed.get("file"):
        return None
    try:
        check_source(printed)
        problem = None
    except PageProblem as exc:
        problem = exc.message_zh
    q = request.args.get("q", "")
    ocr = printed.get("ocr") or None
    return {"src": url_for("printed.page_png", article_id=art["id"], **({"q": q} if q else {})),
            "original": url_for("printed.original", article_id=art["id"]),
            "file": os.path.basename(str(printed["file"])),
            "page": int(printed.get("page") or 0) + 1,
            "problem": problem, "ocr": ocr}
