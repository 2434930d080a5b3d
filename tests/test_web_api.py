"""The web service through Flask's test client, over real indexes on disk.

The JSON API is checked against docs/interface.md; the HTML pages for what a reader
sees (marks, filters, help when nothing is found, a friendly 400 page); the headers for
CORS, framing and the other security rules; and every path for escaping.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from web.app import create_app

from .helpers import build_index

ZISHA = "紫砂鉴赏与制作工艺"
EVIL_TITLE = "工匠<script>alert(1)</script>称号"
EVIL_BODY = "第一段 工匠精神 <img src=x onerror=alert(1)> 结尾\n第二段 <script>alert(1)</script> 工匠"


# -- fixtures -------------------------------------------------------------------

@pytest.fixture(scope="module")
def app(sample_index):
    app = create_app(index_dir=sample_index.index_dir, TESTING=True)
    return app


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory):
    """25 articles over three years and three reporters, for paging, facets and filters."""
    path = tmp_path_factory.mktemp("archive") / "idx"
    arts = []
    for i in range(25):
        year = 2020 + i % 3
        arts.append({
            "id": f"a{i:02d}",
            "title": f"劳模风采 第{i}篇",
            "body": f"劳模 工匠精神 第{i}篇正文。\n第二段 劳动精神。",
            "date": f"{year}-{1 + i % 12:02d}-{1 + i % 27:02d}",
            "reporters": ["张三"] if i % 2 == 0 else (["李四", "王五"] if i % 5 == 1 else ["李四"]),
            "page": str(1 + i % 8),
        })
    build_index(path, arts)
    return str(path)


@pytest.fixture(scope="module")
def archive(archive_dir):
    return create_app(index_dir=archive_dir, TESTING=True).test_client()


@pytest.fixture(scope="module")
def evil_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("evil") / "idx"
    build_index(path, [
        {"id": "evil1", "title": EVIL_TITLE, "subtitle": "副题<b>粗</b>", "body": EVIL_BODY,
         "date": "2022-05-01", "reporters": ["<i>坏</i>人"], "page": "<u>3</u>",
         "url": "javascript:alert(1)"},
        {"id": "plain", "title": "普通文章", "body": "工匠 无害正文", "date": "2022-05-02",
         "url": "https://example.org/a?x=1&y=2"},
    ])
    return str(path)


@pytest.fixture(scope="module")
def evil(evil_dir):
    return create_app(index_dir=evil_dir, TESTING=True).test_client()


def api(client, **params):
    r = client.get("/api/search", query_string=params)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "application/json"
    return r.get_json()


def html(client, url, status=200, **params):
    r = client.get(url, query_string=params or None)
    assert r.status_code == status, r.get_data(as_text=True)[:500]
    assert r.mimetype == "text/html"
    return r.get_data(as_text=True)


def hrefs(page: str) -> list[str]:
    return [unquote(h.replace("&amp;", "&")) for h in re.findall(r'href="([^"]*)"', page)]


def query_of(href: str) -> dict:
    return parse_qs(urlsplit(href).query)


# -- /api/search ---------------------------------------------------------------

def test_search_contract_shape_and_marks(client):
    body = api(client, q="工匠精神")
    assert list(body)[:7] == ["query", "total", "page", "size", "took_ms", "hits", "facets"]
    assert list(body)[7:] == ["partial_hits", "partial_total"]  # additions come after
    assert body["query"] == "工匠精神" and body["page"] == 1 and body["size"] == 10
    assert isinstance(body["took_ms"], (int, float))
    zisha = [h for h in body["hits"] if ZISHA in h["title"]]
    assert zisha, body["hits"]
    hit = zisha[0]
    assert body["hits"][0]["id"] == hit["id"]  # verbatim ranks first
    assert set(hit) >= {"id", "kicker", "title", "subtitle", "reporters", "date", "page", "title_html",
                        "snippet", "score"}
    assert hit["reporters"] == ["陈曦"] and hit["date"] == "2022-09-30"
    assert "<mark>工匠精神</mark>" in hit["snippet"]
    assert isinstance(hit["score"], (int, float))
    assert {"value": "陈曦", "count": 1} in body["facets"]["reporter"]
    assert body["facets"]["year"][0]["value"] == "2022"


def test_search_reporter_filter_and_empty_q(client):
    body = api(client, reporter="周美玉")
    assert body["total"] == 2
    assert all("周美玉" in h["reporters"] for h in body["hits"])
    assert all(h["score"] is None for h in body["hits"])
    assert {"value": "周美玉", "count": 2} in body["facets"]["reporter"]
    # Whole names only.
    assert api(client, reporter="欣欣")["total"] == 0
    assert api(client, reporter="刘欣欣")["total"] == 1


def test_search_repeated_reporter_is_any(archive):
    one = api(archive, reporter="王五")["total"]
    both = api(archive, reporter=["张三", "王五"])
    assert one == 3 and both["total"] == 13 + one
    names = {f["value"] for f in both["facets"]["reporter"]}
    assert {"张三", "王五", "李四"} <= names


def test_search_dates_sort_page_size(archive):
    body = api(archive, q="劳模", size=5)
    assert body["total"] == 25 and len(body["hits"]) == 5 and body["size"] == 5
    # Facets count the whole result set, not the page.
    assert sum(f["count"] for f in body["facets"]["year"]) == 25
    assert {f["value"]: f["count"] for f in body["facets"]["year"]} == {
        "2020": 9, "2021": 8, "2022": 8}
    reporters = {f["value"]: f["count"] for f in body["facets"]["reporter"]}
    assert reporters == {"张三": 13, "李四": 12, "王五": 3}

    pages = [api(archive, q="劳模", size=10, page=p)["hits"] for p in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [10, 10, 5, 0]
    ids = [h["id"] for p in pages for h in p]
    assert len(set(ids)) == 25

    newest = [h["date"] for h in api(archive, q="劳模", sort="newest", size=100)["hits"]]
    oldest = [h["date"] for h in api(archive, q="劳模", sort="oldest", size=100)["hits"]]
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest)

    body = api(archive, q="劳模", **{"from": "2021-01-01", "to": "2021-12-31"}, size=100)
    assert body["total"] == 8 and all(h["date"].startswith("2021") for h in body["hits"])
    assert api(archive, q="劳模", **{"from": "2022-01-01"})["total"] == 8
    assert api(archive, q="劳模", to="2020-12-31")["total"] == 9
    # Inclusive bounds: a one-day range finds that day's article.
    day = api(archive, q="", reporter="张三", size=1)["hits"][0]["date"]
    assert api(archive, **{"from": day, "to": day})["total"] >= 1
    # Empty q with a filter: newest first.
    dates = [h["date"] for h in api(archive, q="", reporter="李四", size=100)["hits"]]
    assert len(dates) == 12 and dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("params, word", [
    ({"q": "x", "from": "2022-13-01"}, "from"),
    ({"q": "x", "to": "yesterday"}, "to"),
    ({"q": "x", "size": "101"}, "size"),
    ({"q": "x", "size": "0"}, "size"),
    ({"q": "x", "size": "ten"}, "size"),
    ({"q": "x", "page": "0"}, "page"),
    ({"q": "x", "page": "-3"}, "page"),
    ({"q": "x", "sort": "best"}, "sort"),
    ({"q": "x", "from": "2022-09-30", "to": "2022-01-01"}, "after"),
])
def test_search_bad_parameters_are_400_json(client, params, word):
    r = client.get("/api/search", query_string=params)
    assert r.status_code == 400 and r.mimetype == "application/json"
    body = r.get_json()
    assert list(body) == ["error"] and word in body["error"]


@pytest.mark.parametrize("q", ['"', '工匠"精神', "title:", "OR", "NOT", "-", "((", "a:b:c",
                               "reporter:", "\\", "*?", "工" * 1000, "\x00\x01", "<script>",
                               "%E5", "AND OR NOT", "“工匠", "title:\"\""])
def test_any_query_text_is_answered(client, q):
    r = client.get("/api/search", query_string={"q": q})
    assert r.status_code == 200
    assert r.get_json()["query"] == q
    assert client.get("/search", query_string={"q": q}).status_code == 200


# -- /api/articles, /healthz, unknown paths -------------------------------------

def test_article_api(client):
    hit = api(client, q="工匠精神")["hits"][0]
    r = client.get(f"/api/articles/{hit['id']}")
    assert r.status_code == 200
    art = r.get_json()
    assert list(art) == ["id", "kicker", "title", "subtitle", "reporters", "date", "page", "body", "url",
                         "paper"]
    assert art["paper"] is None  # an archive of one unnamed paper
    assert art["id"] == hit["id"] and ZISHA in art["title"] and "工匠精神" in art["body"]
    r = client.get("/api/articles/no-such-article")
    assert r.status_code == 404 and "error" in r.get_json()


def test_healthz_and_unknown_api_paths(client, sample_index):
    r = client.get("/healthz")
    assert r.status_code == 200
    health = r.get_json()
    assert health["status"] == "ok" and health["documents"] == 6
    assert health["documents"] == sample_index.searcher().doc_count()
    assert health["segments"] >= 1 and health["generation"] >= 1
    assert health["last_import"].endswith("Z")
    for path in ("/api/", "/api/nothing", "/api/search/extra", "/api/articles/"):
        r = client.get(path)
        assert r.status_code == 404 and r.mimetype == "application/json", path
        assert "error" in r.get_json()
    r = client.post("/api/search")
    assert r.status_code == 405 and r.mimetype == "application/json"


def test_healthz_sees_new_imports_without_restart(tmp_path):
    import time

    from indexer.records import Loaded
    from indexer.writer import import_items
    from search.document import Article

    build_index(tmp_path / "idx", [{"title": "一", "body": "正文", "date": "2022-01-01"}])
    c = create_app(index_dir=str(tmp_path / "idx")).test_client()
    assert c.get("/healthz").get_json()["documents"] == 1
    import_items(str(tmp_path / "idx"), [Loaded(Article(title="二", body="正文二", date="2022-01-02"),
                                                "test", "x")])
    deadline = time.monotonic() + 120  # a hang guard: the next request may already see it
    while c.get("/healthz").get_json()["documents"] != 2:
        assert time.monotonic() < deadline, "the new article never showed up"
        time.sleep(0.1)
    assert api(c, q="正文二")["total"] == 1


# -- OpenAPI ---------------------------------------------------------------------

def test_openapi_document(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    doc = json.loads(r.get_data(as_text=True))
    assert doc["openapi"].startswith("3.")
    assert {"/api/search", "/api/articles/{id}", "/healthz"} <= set(doc["paths"])
    params = {p["name"] for p in doc["paths"]["/api/search"]["get"]["parameters"]}
    assert params == {"q", "synonyms", "reporter", "from", "to", "sort", "page", "size", "paper",
                      "since"}
    search = doc["paths"]["/api/search"]["get"]
    assert {"200", "400"} <= set(search["responses"])
    assert {"200", "404"} <= set(doc["paths"]["/api/articles/{id}"]["get"]["responses"])

    # Every $ref resolves, and the schemas name exactly the fields the service returns.
    def refs(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref":
                    yield v
                else:
                    yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    for ref in refs(doc):
        node = doc
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
    schemas = doc["components"]["schemas"]
    body = api(client, q="工匠精神")
    assert set(schemas["SearchResult"]["required"]) == set(body)
    assert set(body["hits"][0]) <= set(schemas["Hit"]["properties"])
    assert set(schemas["Hit"]["required"]) <= set(body["hits"][0])
    art = client.get(f"/api/articles/{body['hits'][0]['id']}").get_json()
    assert set(schemas["Article"]["required"]) == set(art)
    assert set(schemas["Health"]["required"]) == set(client.get("/healthz").get_json())
    size = next(p for p in search["parameters"] if p["name"] == "size")
    number, empty = size["schema"]["anyOf"]  # a page size, or empty or blank: the default
    assert number["maximum"] == 100 and empty == {"type": "string", "pattern": r"^\s*$"}


# -- CORS ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cors_client(sample_index):
    app = create_app(index_dir=sample_index.index_dir,
                     cors_origins="https://oa.example.org, http://localhost:3000")
    return app.test_client()


def test_no_cors_when_unconfigured(client):
    r = client.get("/api/search?q=x", headers={"Origin": "https://oa.example.org"})
    assert "Access-Control-Allow-Origin" not in r.headers


def test_cors_allowed_origin_is_echoed(cors_client):
    for origin in ("https://oa.example.org", "http://localhost:3000"):
        r = cors_client.get("/api/search?q=工匠", headers={"Origin": origin})
        assert r.status_code == 200
        assert r.headers["Access-Control-Allow-Origin"] == origin
        assert "Origin" in r.headers.get("Vary", "")
    r = cors_client.get("/healthz", headers={"Origin": "https://oa.example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "https://oa.example.org"


def test_cors_other_origin_denied(cors_client):
    for origin in ("https://evil.example.com", "https://oa.example.org.evil.com", "null",
                   "http://oa.example.org"):
        r = cors_client.get("/api/search?q=x", headers={"Origin": origin})
        assert r.status_code == 200
        assert "Access-Control-Allow-Origin" not in r.headers, origin
        assert "Origin" in r.headers.get("Vary", "")
    # HTML pages never get CORS headers.
    r = cors_client.get("/search?q=x", headers={"Origin": "https://oa.example.org"})
    assert "Access-Control-Allow-Origin" not in r.headers


def test_cors_preflight(cors_client):
    r = cors_client.options("/api/search", headers={
        "Origin": "https://oa.example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "content-type"})
    assert r.status_code in (200, 204)
    assert r.headers["Access-Control-Allow-Origin"] == "https://oa.example.org"
    assert "GET" in r.headers["Access-Control-Allow-Methods"]
    assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()
    r = cors_client.options("/api/search", headers={
        "Origin": "https://evil.example.com", "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in r.headers


def test_cors_from_environment(sample_index, monkeypatch):
    monkeypatch.setenv("UNIONSEARCH_CORS_ORIGINS", "https://a.example.org,https://*.corp.example")
    c = create_app(index_dir=sample_index.index_dir).test_client()
    for origin, allowed in (("https://a.example.org", True), ("https://x.corp.example", True),
                            ("https://corp.example", False), ("https://b.example.org", False)):
        r = c.get("/api/search?q=x", headers={"Origin": origin})
        assert (r.headers.get("Access-Control-Allow-Origin") == origin) is allowed, origin


def test_bad_origin_setting_is_refused(sample_index):
    with pytest.raises(ValueError):
        create_app(index_dir=sample_index.index_dir, frame_origins="https://a.org; script-src *")


# -- prefix ---------------------------------------------------------------------

def test_forwarded_prefix(client):
    r = client.get("/search?q=工匠精神", headers={"X-Forwarded-Prefix": "/search/"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "<mark>工匠精神</mark>" in page
    links = [h for h in hrefs(page) if h.startswith("/")]
    assert links and all(h.startswith("/search/") for h in links), links
    assert 'action="/search/search"' in page
    assert 'src="/search/static/app.js"' in page
    # Without the header, no prefix.
    assert 'action="/search"' in client.get("/").get_data(as_text=True)
    # A header that is not a path is ignored.
    r = client.get("/", headers={"X-Forwarded-Prefix": "javascript:alert(1)//"})
    assert r.status_code == 200 and "javascript:" not in r.get_data(as_text=True)


def test_configured_prefix(sample_index):
    c = create_app(index_dir=sample_index.index_dir, prefix="/search/").test_client()
    # The proxy passes the prefix through ...
    r = c.get("/search/search?q=工匠精神")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "<mark>工匠精神</mark>" in page
    assert all(h.startswith("/search/") for h in hrefs(page) if h.startswith("/"))
    assert c.get("/search/api/search?q=工匠精神").get_json()["total"] >= 1
    assert c.get("/search/healthz").get_json()["status"] == "ok"
    assert c.get("/search/static/style.css").status_code == 200
    # ... or strips it.
    assert c.get("/api/search?q=工匠精神").get_json()["total"] >= 1
    assert "<mark>工匠精神</mark>" in c.get("/search?q=工匠精神").get_data(as_text=True)
    r = c.get("/search")
    assert r.status_code == 308 and r.headers["Location"].endswith("/search/")
    doc = c.get("/search/api/openapi.json").get_json()
    assert doc["servers"][0]["url"] == "/search"
    xml = c.get("/search/opensearch.xml").get_data(as_text=True)
    assert "http://localhost/search/search?q={searchTerms}" in xml


# -- security headers and framing ---------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/search?q=工匠精神", "/api/search?q=x", "/healthz",
                                  "/embed/help", "/opensearch.xml", "/api/openapi.json",
                                  "/nowhere", "/api/nowhere", "/search?from=x",
                                  "/static/style.css"])
def test_security_headers_everywhere(client, path):
    r = client.get(path)
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")


def test_embed_may_be_framed_by_configured_origins_only(client, sample_index):
    r = client.get("/embed")
    assert r.status_code == 200
    assert "frame-ancestors 'self'" in r.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in r.headers
    c = create_app(index_dir=sample_index.index_dir,
                   frame_origins=["https://oa.example.org", "http://127.0.0.1:8080"]).test_client()
    csp = c.get("/embed").headers["Content-Security-Policy"]
    assert re.search(r"frame-ancestors 'self' https://oa\.example\.org http://127\.0\.0\.1:8080(;|$)",
                     csp), csp
    # Only /embed.
    other = c.get("/").headers
    assert "frame-ancestors 'none'" in other["Content-Security-Policy"]
    assert other["X-Frame-Options"] == "DENY"


def test_embed_form_opens_the_full_service(client):
    page = html(client, "/embed")
    form = re.search(r"<form[^>]*>", page).group(0)
    assert 'action="/search"' in form and 'target="_blank"' in form
    assert re.search(r'<label[^>]*for="embed-q"', page) and 'id="embed-q"' in page
    assert 'target="_top"' in html(client, "/embed?target=_top")
    help_page = html(client, "/embed/help")
    assert "&lt;iframe src=&#34;http://localhost/embed&#34;" in help_page or \
        "&lt;iframe src=\"http://localhost/embed\"" in help_page


def test_opensearch(client):
    r = client.get("/opensearch.xml")
    assert r.status_code == 200 and r.mimetype == "application/opensearchdescription+xml"
    text = r.get_data(as_text=True)
    assert 'template="http://localhost/search?q={searchTerms}"' in text
    import xml.etree.ElementTree as ET
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag.endswith("OpenSearchDescription")
    assert 'rel="search" type="application/opensearchdescription+xml"' in html(client, "/")


def test_no_inline_script_or_style_in_pages(client):
    hit = api(client, q="工匠精神")["hits"][0]
    for url in ("/", "/search?q=工匠精神", "/search?q=没有这个词", f"/articles/{hit['id']}?q=工匠精神",
                "/embed", "/embed/help", "/search?from=bad", "/nowhere"):
        page = client.get(url).get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag, (url, tag)
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", page), url
        assert not re.search(r"\son[a-z]+\s*=", page), url
        assert not re.search(r"<[a-z][^>]*\sstyle=", page) and "<style" not in page, url
        assert '<meta name="viewport"' in page, url
        assert 'lang="zh-CN"' in page, url


# -- escaping -----------------------------------------------------------------------

RAW = ("<script", "<img", "<b>", "<i>", "<u>", "onerror=alert(1)>")


def _assert_escaped(text: str):
    for raw in RAW:
        assert raw not in text, raw


def test_escaping_in_api_html_fields(evil):
    body = api(evil, q="工匠")
    hit = next(h for h in body["hits"] if h["id"] == "evil1")
    assert hit["title"] == EVIL_TITLE  # the plain field is the stored text
    for field in ("title_html", "snippet"):
        _assert_escaped(hit[field])
        assert "<mark>工匠</mark>" in hit[field]
        assert re.sub(r"</?mark>", "", hit[field]).count("<") == 0
    assert "&lt;script&gt;" in hit["title_html"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in hit["snippet"]
    for q in ("<script>", "script", "onerror", '"<img src=x onerror=alert(1)>"'):
        for h in api(evil, q=q)["hits"]:
            _assert_escaped(h["title_html"] + h["snippet"])
            assert re.sub(r"</?mark>", "", h["title_html"] + h["snippet"]).count("<") == 0


def test_escaping_in_html_pages(evil):
    for q in ("工匠", "<script>alert(1)</script>", "onerror", ""):
        params = {"q": q} if q else {"reporter": "<i>坏</i>人"}
        page = html(evil, "/search", **params)
        _assert_escaped(page.replace("<script src=", "").replace('<script src="', ""))
        assert "alert(1)</script>" not in page
    page = html(evil, "/search", q="工匠")
    assert "工匠</mark>&lt;script&gt;alert(1)&lt;/script&gt;称号" in page
    page = html(evil, "/articles/evil1", q="工匠")
    _assert_escaped(page.replace('<script src="', ""))
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<mark>工匠</mark>" in page
    assert 'href="javascript:' not in page  # only http(s) source links
    page = html(evil, "/articles/plain")
    assert 'href="https://example.org/a?x=1&amp;y=2"' in page
    # The 400 page shows bad input escaped.
    page = html(evil, "/search", status=400, q="x", **{"from": "<script>alert(1)</script>"})
    assert "alert(1)</script>" not in page and "&lt;script&gt;" in page


# -- HTML pages ---------------------------------------------------------------------

def test_home_page(client):
    page = html(client, "/")
    assert re.search(r'<label[^>]*for="q"', page) and 'name="q"' in page
    assert 'class="skip-link" href="#main"' in page and 'id="main"' in page
    assert "收录 6 篇文章" in page
    assert "/embed/help" in page


def test_results_page_marks_and_links(client):
    page = html(client, "/search", q="工匠精神")
    assert "<mark>工匠精神</mark>" in page
    assert ZISHA in page and "2022年9月30日" in page
    assert "共找到" in page and "用时" in page
    article_links = [h for h in hrefs(page) if h.startswith("/articles/")]
    assert article_links and all(query_of(h)["q"] == ["工匠精神"] for h in article_links)
    # The reporter of a hit is a link that filters by that reporter.
    reporter_link = next(h for h in hrefs(page) if query_of(h).get("reporter") == ["陈曦"])
    assert query_of(reporter_link)["q"] == ["工匠精神"]
    filtered = html(client, reporter_link)
    assert "<mark>工匠精神</mark>" in filtered and "记者：陈曦" in filtered
    # Sort links.
    assert any(query_of(h).get("sort") == ["newest"] for h in hrefs(page))
    assert any(query_of(h).get("sort") == ["oldest"] for h in hrefs(page))


def test_results_page_facets(client):
    page = html(client, "/search", reporter="周美玉")
    assert "共找到 <strong>2</strong> 篇" in page
    facet = re.search(r'<span class="facet__value">周美玉</span> <span class="facet__count">(\d+)</span>',
                      page)
    assert facet and facet.group(1) == "2"
    page = html(client, "/search", q="本报讯")
    counts = dict(re.findall(r'<span class="facet__value">([^<]+)</span> <span class="facet__count">(\d+)</span>',
                             page))
    assert counts["周美玉"] == "2" and counts["刘欣欣"] == "1" and counts["2022 年"] == "6"
    # A facet link adds the filter; a year sets from/to to that year.
    links = hrefs(page)
    zhou = next(h for h in links if query_of(h).get("reporter") == ["周美玉"]
                and "q" in query_of(h))
    assert query_of(zhou)["q"] == ["本报讯"]
    year = next(h for h in links if "from" in query_of(h))
    assert query_of(year)["from"] == ["2022-01-01"] and query_of(year)["to"] == ["2022-12-31"]
    assert "共找到 <strong>6</strong> 篇" in html(client, year)


def test_results_page_pagination(archive):
    page = html(archive, "/search", q="劳模", size="10")
    assert "共找到 <strong>25</strong> 篇，第 1–10 篇" in page
    nxt = next(h for h in hrefs(page) if query_of(h).get("page") == ["2"])
    assert query_of(nxt)["size"] == ["10"] and query_of(nxt)["q"] == ["劳模"]
    page3 = html(archive, "/search", q="劳模", size="10", page="3")
    assert "第 21–25 篇" in page3 and 'rel="next"' not in page3 and 'rel="prev"' in page3
    assert 'aria-current="page">3<' in page3
    beyond = html(archive, "/search", q="劳模", page="9")
    assert "这一页没有结果" in beyond
    assert "第2版" in page or "第1版" in page  # 版次 shown when known


def test_empty_results_help(client):
    page = html(client, "/search", q='"工匠精神 不存在的词语组合"', reporter="周美玉",
                **{"from": "2021-01-01"})
    # The query inside the heading's own quotes (its quotes not doubled), and no hits.
    assert '没有找到与“<span class="empty__query">工匠精神 不存在的词语组合</span>”相符的文章' in page
    links = hrefs(page)
    # Links that remove each filter, keeping the query.
    no_reporter = [h for h in links if h.startswith("/search") and "reporter" not in query_of(h)
                   and "from" in query_of(h)]
    no_dates = [h for h in links if h.startswith("/search") and "from" not in query_of(h)
                and query_of(h).get("reporter") == ["周美玉"]]
    assert no_reporter and no_dates
    assert "去掉全部筛选" in page
    # Without quotes; fewer words; spelling.
    assert any(query_of(h).get("q") == ["工匠精神 不存在的词语组合"] for h in links)
    assert "去掉引号" in page and "错别字" in page
    words = html(client, "/search", q="工匠精神 火星基地")
    assert "分别检索" in words
    assert any(query_of(h).get("q") == ["火星基地"] for h in hrefs(words))


@pytest.mark.parametrize("params, text", [
    ({"q": "x", "from": "2022-02-30"}, "起始日期"),
    ({"q": "x", "to": "明天"}, "截止日期"),
    ({"q": "x", "size": "1000"}, "每页条数"),
    ({"q": "x", "page": "0"}, "页码"),
    ({"q": "x", "sort": "best"}, "排序方式"),
    ({"q": "x", "from": "2022-09-30", "to": "2022-01-01"}, "晚于"),
])
def test_bad_parameters_give_a_friendly_400_page(client, params, text):
    page = html(client, "/search", status=400, **params)
    assert "检索参数有误" in page and text in page
    assert "Traceback" not in page
    fix = next(h for h in hrefs(page) if "重新检索" in page and h.startswith("/search?"))
    assert client.get(fix).status_code == 200


def test_article_page(client):
    hit = api(client, q="工匠精神")["hits"][0]
    page = html(client, f"/articles/{hit['id']}", q="工匠精神", reporter="陈曦", page="1")
    assert "<mark>工匠精神</mark>" in page
    assert ZISHA in page
    assert page.count("<p>") >= 3  # paragraphs
    back = next(h for h in hrefs(page) if h.startswith("/search?"))
    assert query_of(back) == {"q": ["工匠精神"], "reporter": ["陈曦"]}
    assert "返回检索结果" in page
    assert "<mark>" not in html(client, f"/articles/{hit['id']}")
    page = html(client, "/articles/does-not-exist", status=404)
    assert "没有找到" in page


# -- settings and failures ------------------------------------------------------------

def test_settings_from_environment(sample_index, monkeypatch):
    monkeypatch.setenv("UNIONSEARCH_INDEX_DIR", sample_index.index_dir)
    monkeypatch.setenv("UNIONSEARCH_SITE_TITLE", "职工日报<资料库>")
    monkeypatch.setenv("UNIONSEARCH_PREFIX", "/archive/")
    monkeypatch.setenv("UNIONSEARCH_FRAME_ORIGINS", "https://oa.example.org")
    app = create_app()
    assert app.config["INDEX_DIR"] == sample_index.index_dir
    c = app.test_client()
    page = c.get("/archive/").get_data(as_text=True)
    assert "<title>职工日报&lt;资料库&gt;</title>" in page
    assert 'action="/archive/search"' in page
    csp = c.get("/archive/embed").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://oa.example.org" in csp
    # Keyword settings win over the environment.
    app = create_app(site_title="工会检索", prefix="")
    assert "<title>工会检索</title>" in app.test_client().get("/").get_data(as_text=True)


def test_serve_refuses_bad_settings(sample_index):
    from .helpers import unionsearch

    r = unionsearch("serve", "--index-dir", sample_index.index_dir, "--port", "1",
                    "--frame-origin", "https://a.org; script-src *", timeout=60)
    assert r.returncode == 2 and "frame_origins" in r.stderr
    r = unionsearch("serve", "--help", timeout=60)
    for flag in ("--cors-origin", "--frame-origin", "--prefix", "--site-title", "--debug"):
        assert flag in r.stdout


def test_unexpected_errors_are_logged_not_shown(sample_index, caplog):
    app = create_app(index_dir=sample_index.index_dir)

    def boom():
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/boom", "api_boom", boom)
    app.add_url_rule("/boom", "boom", boom)
    c = app.test_client()
    r = c.get("/api/boom")
    assert r.status_code == 500 and r.mimetype == "application/json"
    assert "error" in r.get_json() and "secret" not in r.get_data(as_text=True)
    r = c.get("/boom")
    assert r.status_code == 500 and r.mimetype == "text/html"
    text = r.get_data(as_text=True)
    assert "服务暂时出了问题" in text and "Traceback" not in text and "secret" not in text
    assert "secret internals" in caplog.text
