"""What the HTML templates need: links that change one search parameter, Chinese
messages, dates and page numbers as a reader expects them."""

from __future__ import annotations

import math
import re
from urllib.parse import quote, quote_plus, urlsplit

from flask import Flask, has_request_context, request, url_for
from markupsafe import Markup
from werkzeug.datastructures import MultiDict, iter_multi_items

from search.results import ArticleView, FacetValue, Hit, SearchResult
from search.retrieval.query import parse
from search.retrieval.request import (
    MAX_PAGE,
    MAX_PAPERS,
    MAX_QUERY,
    MAX_REPORTER_CHARS,
    MAX_REPORTERS,
    SORT_LABELS_ZH,
    SearchRequest,
)

PARAMS = ("q", "reporter", "from", "to", "sort", "page", "size", "synonyms", "paper", "since")
LIST_PARAMS = ("reporter", "paper")  # repeatable: ?paper=ldwb&paper=grrb
_CN_DIGITS = "〇一二三四五六七八九"


# -- parameters and links --------------------------------------------------------

def current_params(args: MultiDict) -> dict:
    """The search parameters of a request, as lists/strings, empty ones left out."""
    out: dict = {}
    for name in PARAMS:
        if name in LIST_PARAMS:
            values = [v for v in args.getlist(name) if v.strip()]
            if values:
                out[name] = values
        else:
            value = args.get(name, "")
            if value.strip():
                out[name] = value
    return out


def search_url(params: dict, **changes) -> str:
    """``/search`` with ``params`` changed; ``None`` removes one.  Any change but a new page
    goes back to page 1."""
    new = dict(params)
    if "page" not in changes:
        new.pop("page", None)
    for key, value in changes.items():
        key = "from" if key == "from_" else key
        if value is None or value == [] or value == "":
            new.pop(key, None)
        else:
            new[key] = value
    if new.get("sort") == "relevance":
        new.pop("sort")
    if str(new.get("page", "")) == "1":
        new.pop("page")
    return _search_path() + _query(new)


# What werkzeug's URL builder leaves unescaped in a query (werkzeug.urls._urlencode).
_QUERY_SAFE = "!$'()*,/:;?@"
# ... and in a path argument (werkzeug.routing.BaseConverter.to_url).
_PATH_SAFE = "!$&'()*+,/:;=@"


def _built() -> dict:
    """What this request's links have built so far (kept in its WSGI environ, so it goes
    with the request; outside a request nothing is kept)."""
    if not has_request_context():
        return {}
    return request.environ.setdefault("unionsearch.links", {})


def _search_path() -> str:
    """``/search`` under the request's prefix, built by the router once per request."""
    built = _built()
    path = built.get("/search")
    if path is None:
        path = built["/search"] = url_for("search.results")
    return path


def article_url(article_id: str, params: dict) -> str:
    """``url_for("article.page", article_id=…, **params)``, the path built once a request."""
    built = _built()
    base = built.get("/articles/")
    if base is None:
        marker = "x"
        base = built["/articles/"] = url_for("article.page", article_id=marker)[:-len(marker)]
    return base + quote(article_id, safe=_PATH_SAFE) + _query(params)


def _query(params: dict) -> str:
    """``?k=v&…`` as ``url_for`` writes the query of a route without arguments in its
    path: lists repeated, ``None`` left out, the same characters escaped
    (``urllib.parse.urlencode`` with werkzeug's safe characters).

    A results page holds about a hundred links that each change one parameter (facets,
    the chart's bars, pages, sorts) of the same few: the router would match the same route
    and rebuild the same path for each, and the query's other pairs would be escaped again
    each time.  So the path is built once a request and each pair escaped once.
    """
    built = _built()  # this request's escaped pairs among them, dropped with it
    pairs = []
    for key, value in iter_multi_items(params):
        if value is None:
            continue
        known = (key, type(value), value) if isinstance(value, (str, int)) else None
        pair = built.get(known) if known else None
        if pair is None:
            pair = f"{quote_plus(str(key), _QUERY_SAFE)}={quote_plus(str(value), _QUERY_SAFE)}"
            if known:
                built[known] = pair
        pairs.append(pair)
    return "?" + "&".join(pairs) if pairs else ""


def fix_link_params(args: MultiDict, bad: str | None) -> dict:
    """The request's parameters without the one a ``BadRequest`` is about.

    What is left is cut to what a valid request may hold, so a 400 page for a
    request of 3,000 reporters and a 250 KB ``q`` stays a few KB.
    """
    params = current_params(args)
    if bad == "range":
        params.pop("from", None)
        params.pop("to", None)
    elif bad:
        params.pop(bad, None)
    if "paper" in params:
        params["paper"] = [p for p in params["paper"] if len(p) <= 32][:MAX_PAPERS]
    if "reporter" in params:
        params["reporter"] = [r for r in params["reporter"]
                              if len(r) <= MAX_REPORTER_CHARS][:MAX_REPORTERS]
    return {k: v for k, v in params.items()
            if v and (isinstance(v, list) or len(v) <= MAX_QUERY)}


# -- formatting --------------------------------------------------------------------

def date_zh(iso: str | None) -> str:
    """``2022-09-30`` → 2022年9月30日; anything else as it is."""
    if not iso or not re.match(r"^\d{4}-\d{2}-\d{2}$", iso):
        return iso or ""
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def page_label(page: str | int | None) -> str:
    """版次 as printed: ``3`` → 第3版; other forms (A3, 第三版) as they are."""
    if page in (None, ""):
        return ""
    text = str(page).strip()
    if text.isdigit():
        return f"第{int(text)}版"
    if text.endswith("版"):
        return text
    return f"{text}版"


def took_label(ms: float | str | None) -> str:
    """Milliseconds as a reader wants them: 3.2 毫秒, 45 毫秒, 1.20 秒."""
    try:
        ms = float(ms)
    except (TypeError, ValueError):
        return ""
    if ms < 1000:
        return f"{ms:.0f} 毫秒" if ms >= 10 else f"{ms:.1f} 毫秒"
    return f"{ms / 1000:.2f} 秒"


def safe_url(url: str | None) -> str | None:
    """Only http(s) links from article data are shown as links."""
    if not url:
        return None
    try:
        scheme = urlsplit(str(url).strip()).scheme.lower()
    except ValueError:
        return None
    return str(url).strip() if scheme in ("http", "https") else None


_OPEN_QUOTES = '"＂“「『'
_ALL_QUOTES = '"＂“”「」『』'
_QUOTED = re.compile(f"[{_OPEN_QUOTES}]([^{_ALL_QUOTES}]*)[{_ALL_QUOTES}]")


def query_label(q: str | None) -> str:
    """A query as a heading quotes it: ``"产改"`` → 产改, ``"产改" 工匠`` → ‘产改’ 工匠.

    Headings put the query in “…”; the query's own quotes inside them read as
    noise (“"产改"”), so a query that is one quoted phrase loses them and inner
    phrases take the nested quotes ‘…’.
    """
    text = " ".join((q or "").split())
    whole = _QUOTED.fullmatch(text)
    if whole and whole.group(1).strip():
        return whole.group(1).strip()
    return _QUOTED.sub(lambda m: f"‘{m.group(1)}’", text)


def register_template_helpers(app: Flask) -> None:
    """Give the templates their link builder, sort labels, filters and the site title."""
    app.jinja_env.globals.update(search_url=search_url, SORT_LABELS=SORT_LABELS_ZH)
    app.jinja_env.filters.update(date_zh=date_zh, page_label=page_label, took=took_label,
                                 query_label=query_label)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site():
        from flask import current_app
        return {"site_title": current_app.config["SITE_TITLE"]}


# -- views -------------------------------------------------------------------------

def _pages(current: int, last: int) -> list[int | None]:
    """Page numbers to show, ``None`` for a gap."""
    if last <= 1:
        return [1] if last == 1 else []
    wanted = {1, last, *range(current - 2, current + 3)}
    shown = sorted(p for p in wanted if 1 <= p <= last)
    out: list[int | None] = []
    for p in shown:
        if out and p - out[-1] > 1:
            out.append(None)
        out.append(p)
    return out


def _query_words(q: str) -> list[str]:
    """The terms of a query as typed, for "search fewer words" suggestions."""
    parsed = parse(q)
    words = []
    for group in parsed.groups:
        for clause in group:
            if not clause.negate and clause.text and clause.text not in words:
                words.append(clause.text)
    return words


def _reporter_facets(req: SearchRequest, facet: list[FacetValue], params: dict) -> list[dict]:
    """Reporter facets with links that add or remove the reporter filter."""
    out = []
    selected = set(req.reporters)
    for item in facet:
        name = item["value"]
        if name in selected:
            rest = [r for r in req.reporters if r != name]
            out.append({**item, "active": True, "url": search_url(params, reporter=rest or None)})
        else:
            out.append({**item, "active": False,
                        "url": search_url(params, reporter=[*req.reporters, name])})
    # Selected reporters with no hit left still show, so they can be removed.
    shown = {f["value"] for f in out}
    for name in req.reporters:
        if name not in shown:
            rest = [r for r in req.reporters if r != name]
            out.append({"value": name, "count": 0, "active": True,
                        "url": search_url(params, reporter=rest or None)})
    return out


def _paper_facets(req: SearchRequest, facet: list[dict], params: dict) -> list[dict]:
    """报刊 facets (only in an archive of several papers) with links that add or remove
    the paper filter."""
    out = []
    for item in facet:
        key = item["value"]
        active = key in req.papers
        rest = [p for p in req.papers if p != key]
        url = search_url(params, paper=(rest or None) if active else [*req.papers, key])
        out.append({**item, "active": active, "url": url})
    return out


def feed_url(params: dict) -> str:
    """The Atom feed of a search: its query and filters, without page, size and sort (a
    feed is the newest articles)."""
    kept = {k: v for k, v in params.items() if k not in ("page", "size", "sort")}
    return url_for("feed.search_feed", **kept)


def _year_facets(req: SearchRequest, facet: list[FacetValue], params: dict) -> list[dict]:
    """Year facets with links that set the dates to that year, or clear them."""
    out = []
    for item in facet:
        y = item["value"]
        lo, hi = f"{y}-01-01", f"{y}-12-31"
        active = req.date_from == lo and req.date_to == hi
        url = (search_url(params, from_=None, to=None) if active
               else search_url(params, from_=lo, to=hi))
        out.append({**item, "active": active, "url": url})
    return out


def _hits(hits: list[Hit], params: dict) -> list[dict]:
    """Hits with their links; the engine's HTML (escaped, ``<mark>`` only) as Markup."""
    return [{
        **hit,
        "url": article_url(hit["id"], params),
        "reporter_links": [(name, search_url(params, reporter=[name]))
                           for name in hit["reporters"]],
        "title_html": Markup(hit["title_html"]),
        "snippet": Markup(hit["snippet"]),
    } for hit in hits]


def _filters(req: SearchRequest, params: dict,
             paper_names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The filters in force, each with a link that removes it."""
    filters = []
    for name in req.reporters:
        rest = [r for r in req.reporters if r != name]
        filters.append((f"记者：{name}", search_url(params, reporter=rest or None)))
    if req.date_from or req.date_to:
        span = f"{date_zh(req.date_from) or '最早'} 至 {date_zh(req.date_to) or '最新'}"
        filters.append((f"日期：{span}", search_url(params, from_=None, to=None)))
    for key in req.papers:
        rest = [p for p in req.papers if p != key]
        name = (paper_names or {}).get(key, key)
        filters.append((f"报刊：{name}", search_url(params, paper=rest or None)))
    if req.since is not None:
        label = f"入库：{params.get('since', '')} 以来"
        filters.append((label, search_url(params, since=None)))
    return filters


def _suggestions(q: str, params: dict, filtered: bool) -> dict:
    """For no results: the query without quotes, its words one by one, no filters."""
    suggestions: dict = {}
    if q and any(c in q for c in '"“”「」『』＂'):
        plain = re.sub(r'["“”「」『』＂]', " ", q)
        plain = " ".join(plain.split())
        if plain:
            suggestions["unquoted"] = (plain, search_url(params, q=plain))
    words = _query_words(q) if q else []
    if len(words) > 1:
        suggestions["words"] = [(w, search_url(params, q=w)) for w in words[:6]]
    if filtered:
        suggestions["no_filters"] = search_url({"q": q} if q else {})
    return suggestions


def results_view(req: SearchRequest, result: SearchResult, args: MultiDict) -> dict:
    """The results template's context: the engine's result plus every link on the page."""
    params = current_params(args)
    total = result["total"]
    listed = total + result["partial_total"]  # partial matches continue the list
    last = min(max(1, math.ceil(listed / req.size)), MAX_PAGE)
    hits = _hits(result["hits"], params)
    partial_hits = _hits(result["partial_hits"], params)
    q = req.q.strip()
    filters = _filters(req, params, {f["value"]: f["name"]
                                     for f in result["facets"].get("paper", [])})
    return {
        "req": req,
        "result": result,
        "params": params,
        "hits": hits,
        "partial_hits": partial_hits,
        "total": total,
        "pages": _pages(req.page, last) if listed else [],
        "last_page": last,
        "reporter_facets": _reporter_facets(req, result["facets"]["reporter"], params),
        "paper_facets": _paper_facets(req, result["facets"].get("paper", []), params),
        "feed_url": feed_url(params),
        "year_facets": _year_facets(req, result["facets"]["year"], params),
        "filters": filters,
        "suggestions": _suggestions(q, params, bool(filters)) if total == 0 else {},
        "sort_links": [(key, label, search_url(params, sort=key))
                       for key, label in SORT_LABELS_ZH.items()],
        "first_shown": (req.page - 1) * req.size + 1,
        "last_shown": (req.page - 1) * req.size + len(hits),
    }


def article_view(view: ArticleView, q: str, args: MultiDict) -> dict:
    """The article template's context: the engine's marked article, as Markup, and links."""
    from indexer.byline import credit_roles  # the byline parser: article pages only

    params = current_params(args)
    art = view["article"]
    return {
        "art": art,
        "q": q,
        "params": params,
        "title_html": Markup(view["title_html"]),  # escaped by the engine, <mark> only
        "subtitle_html": Markup(view["subtitle_html"]),
        "kicker_html": Markup(view["kicker_html"]),
        "paragraphs": [Markup(p) for p in view["paragraphs"]],
        "matches": view["matches"],
        "apart": view["apart"],
        "back_url": search_url(params, page=params.get("page")) if params else None,
        "source_url": safe_url(art.get("url")),
        "byline": [(role, [(name, search_url({}, reporter=[name])) for name in names])
                   for role, names in credit_roles(art.get("body") or "",
                                                   art.get("reporters") or [])],
    }
