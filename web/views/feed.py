"""Atom feeds: ``GET /feed.atom?<search parameters>``, the newest articles of a search.

A feed is the search the same parameters run on ``/search``, sorted newest first, its
first :data:`FEED_SIZE` articles: a topic (``q``), a reporter's page (``reporter=``), a
paper's calendar (``paper=``), or any mix with dates and ``since=``.  Each entry carries
the title, date, reporters, paper, snippet (plain text: a reader shows it as text) and
the link to the article page.

Readers poll.  Each answer carries an ``ETag`` (the index generation, the synonym list
and the request: a new import changes it) and ``Last-Modified`` (the generation's
commit), and a conditional request that still matches is answered 304 with no body and
no search run.  Text is written through ElementTree, which escapes it; characters XML
1.0 cannot hold at all (control characters from a damaged source) are dropped.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from search.results import SearchResult
from search.retrieval.request import BadRequest

from . import get_engine, search_request

bp = Blueprint("feed", __name__)

FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str | None) -> str:
    """Text XML 1.0 can hold: characters it forbids (C0 controls but tab and line
    breaks, lone surrogates, U+FFFE/FFFF) dropped."""
    return _NOT_XML.sub("", text or "")


def plain(html: str) -> str:
    """A snippet's escaped HTML (``<mark>`` only) as plain text."""
    return Markup(html).striptags()


def _etag(parts: tuple) -> str:
    return '"' + hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:20] + '"'


def _not_modified(etag: str, modified: datetime | None) -> bool:
    """Whether the request's conditions say the reader already has this answer."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag.strip('"'))
    since = request.headers.get("If-Modified-Since")
    if since and modified is not None:
        try:
            return modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
    return False


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def feed_title(params: dict, site: str) -> str:
    """检索“工匠精神” 记者 张三 … - site: what the feed follows, as a reader lists it."""
    parts = []
    if params.get("q", "").strip():
        parts.append(f"检索“{params['q'].strip()}”")
    parts += [f"记者 {r}" for r in params.get("reporter", [])]
    parts += [f"报刊 {p}" for p in params.get("paper", [])]
    if params.get("since"):
        parts.append(f"{params['since']} 以来入库")
    return f"{' '.join(parts) or '最新文章'} - {site}"


def atom(result: SearchResult, title: str, self_url: str, html_url: str,
         updated: datetime) -> bytes:
    """The Atom document of ``result``'s hits (UTF-8 bytes)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "title", title)
    _sub(feed, "id", self_url)
    _sub(feed, "updated", updated.strftime("%Y-%m-%dT%H:%M:%SZ"))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=html_url)
    _sub(feed, "generator", "unionsearch")
    author = _sub(feed, "author")
    _sub(author, "name", title.rsplit(" - ", 1)[-1])
    for hit in result["hits"]:
        link = url_for("article.page", article_id=hit["id"], _external=True)
        entry = _sub(feed, "entry")
        _sub(entry, "title", " ".join(p for p in (hit["kicker"], hit["title"], hit["subtitle"])
                                      if p) or "（无标题）")
        _sub(entry, "id", link)
        _sub(entry, "link", rel="alternate", type="text/html", href=link)
        stamp = f"{hit['date']}T00:00:00+08:00"  # the day, Beijing time
        _sub(entry, "published", stamp)
        _sub(entry, "updated", stamp)
        for name in hit["reporters"] or []:
            _sub(_sub(entry, "author"), "name", name)
        if hit.get("paper"):
            _sub(entry, "category", term=hit["paper"]["key"], label=hit["paper"]["name"])
        _sub(entry, "summary", plain(hit["snippet"]), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@bp.get("/feed.atom")
def search_feed() -> ResponseReturnValue:
    """The newest :data:`FEED_SIZE` articles of a search as Atom; 304 to a repeated
    conditional request; 400 (JSON) for a bad parameter."""
    from ..templating import current_params, search_url

    try:
        req = search_request()
    except BadRequest as exc:
        return jsonify(error=str(exc)), 400
    req.sort, req.page, req.size = "newest", 1, FEED_SIZE
    engine = get_engine()
    facts = engine.facts()
    last = facts["last_import"]
    modified = (datetime.fromtimestamp(int(last), UTC) if last is not None
                else datetime(1970, 1, 1, tzinfo=UTC))
    etag = _etag((facts["generation"], engine.index_dir, engine.synonyms.version,
                  last, req.key()))
    headers = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True),
               "Cache-Control": "no-cache"}
    if _not_modified(etag, modified):
        return Response(status=304, headers=headers)
    result = engine.search(req)
    params = current_params(request.args)
    html_params = {k: v for k, v in params.items() if k not in ("page", "size", "sort")}
    body = atom(result, feed_title(params, _site_title()), request.url,
                request.host_url.rstrip("/") + search_url(html_params, sort="newest"),
                modified)
    return Response(body, headers=headers, content_type=ATOM_TYPE)


def _site_title() -> str:
    from flask import current_app
    return current_app.config["SITE_TITLE"]
