"""The results page's links: written without the router, exactly as the router writes them."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from web.app import create_app
from web.templating import article_url, search_url

PARAMS = [
    {},
    {"q": "工匠精神"},
    {"q": "劳动 模范", "from": "2003-01-01", "to": "2024-12-31"},
    {"q": '"职工 之家" OR 工会 -下岗', "sort": "newest", "page": 3, "size": "100"},
    {"q": "a&b=c#d?e/f+g%h'i(j)*k!l$m,n;o:p@q~r", "synonyms": "0"},
    {"q": "工会", "reporter": ["张三", "李 四", "O'Brien & Co"], "paper": ["ldwb", "grrb"]},
    {"q": "工会", "reporter": [], "paper": ("ldwb",), "since": 1700000000},
    {"q": "工会", "to": None, "page": 2},
    {"q": "\u3000全角\u00a0空格\ttab\n换行", "from": "2022-05-04"},
]


@pytest.fixture(scope="module")
def app(sample_index):
    return create_app(sample_index.index_dir)


@pytest.mark.parametrize("prefix", ["", "/archive", "/档案/".encode().decode("latin-1")])
@pytest.mark.parametrize("params", PARAMS)
def test_a_link_is_what_the_router_builds(app, prefix, params):
    """Every link that changes one parameter, and every hit's link, reads as ``url_for``
    would write it, under a path prefix too (the same escapes, repeated lists, nothing for
    ``None`` or ``[]``)."""
    # (a WSGI environ holds the prefix's UTF-8 bytes as Latin-1 characters)
    with app.test_request_context("/search", environ_overrides={"SCRIPT_NAME": prefix}):
        assert search_url(params) == routed(params)
        assert search_url(params, page=5) == routed(params, page=5)
        assert search_url(params, reporter=["王五"], from_="2010-01-01") == routed(
            params, reporter=["王五"], **{"from": "2010-01-01"})
        for article_id in ("a1b2c3", "工人日报/2022-05-04/3#1?x=y&z", "x y+z%20;=@"):
            assert article_url(article_id, params) == url_for(
                "article.page", article_id=article_id,
                **{k: v for k, v in params.items() if v is not None})


def routed(params: dict, **changes) -> str:
    """What the router writes for ``params`` changed (a new page kept, any other change
    back to page 1; empty values left out)."""
    new = {k: v for k, v in params.items() if k != "page" or "page" in changes}
    new.update(changes)
    return url_for("search.results", **{k: v for k, v in new.items() if v not in (None, [], "")})


def test_the_results_page_links_lead_to_the_searches_they_name(app):
    """Following a facet link of a real results page runs that search (its query intact)."""
    client = app.test_client()
    page = client.get("/search", query_string={"q": "工会", "from": "0001-01-01",
                                                "to": "9999-12-31"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    links = {h.replace("&amp;", "&") for h in
             re.findall(r'href="(/search\?[^"]*)"', html)}
    assert len(links) > 5
    for link in sorted(links)[:10]:
        followed = client.get(link)
        assert followed.status_code == 200
        assert "工会" in followed.get_data(as_text=True)


def test_links_follow_each_requests_prefix(app):
    """Two requests served under different prefixes in one app context (as a test or an
    embedding may do) each get links under their own prefix."""
    with app.app_context():
        for prefix in ("/one", "/two", ""):
            with app.test_request_context("/search",
                                          environ_overrides={"SCRIPT_NAME": prefix}):
                assert search_url({"q": "工会"}) == f"{prefix}/search?q=%E5%B7%A5%E4%BC%9A"
                assert article_url("a/b", {"q": "工会"}) == (
                    f"{prefix}/articles/a/b?q=%E5%B7%A5%E4%BC%9A")
