"""Browsing by issue and 版面: the calendar, one issue, an article's place in its 版面.

Over a real server (``unionsearch serve``) on an index of the shared corpus plus the bundled
sample page; the expected counts and orders come from the source files, read independently.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from html import unescape
from urllib.parse import quote

import pytest

from .helpers import CORPUS, Server, build_index, console_errors, http_get

EVIL = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def server(archive_server):
    """The archive (the corpus and the sample page) served, shared with other modules."""
    return archive_server


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    with open(CORPUS, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def get_json(server, path: str) -> tuple[int, dict]:
    status, _, body = http_get(server.base, path)
    return status, json.loads(body)


def get_html(server, path: str) -> tuple[int, str, dict]:
    status, headers, body = http_get(server.base, path)
    assert headers["Content-Type"].startswith("text/html")
    return status, body.decode("utf-8"), headers


def test_every_date_is_in_the_calendar_with_its_count(server, corpus):
    expected = Counter(d["date"] for d in corpus)
    expected["2022-09-30"] += 6  # the sample page
    status, cal = get_json(server, "/api/issues")
    assert status == 200
    got = {day["date"]: day["count"] for y in cal["years"] for m in y["months"]
           for day in m["days"]}
    assert got == dict(expected)
    assert cal["issues"] == len(expected) and cal["articles"] == sum(expected.values())
    assert [y["year"] for y in cal["years"]] == [2022, 1998]  # newest first

    # One year per page, the newest first; every year's page lists its days with counts.
    links: dict[str, int] = {}
    for path in ("/issues", "/issues?year=1998"):
        status, page, headers = get_html(server, path)
        assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
        found = re.findall(r'<a href="/issues/(\d{4}-\d\d-\d\d)" title="[^"]*：(\d+) 篇"', page)
        assert len({d[:4] for d, _ in found}) == 1
        links.update({d: int(n) for d, n in found})
        assert "<style" not in page and " style=" not in page and "<script>" not in page
        assert 'href="/issues?year=1998"' in page and 'href="/issues?year=2022"' in page
    assert links == dict(expected)
    assert get_html(server, "/issues?year=1999")[0] == 404
    assert get_html(server, "/issues?year=x")[0] == 400


def test_an_issue_lists_every_article_by_page_in_order(server, corpus):
    date = "1998-01-05"
    status, issue = get_json(server, f"/api/issues/{date}")
    assert status == 200
    by_page = defaultdict(list)
    for d in corpus:
        if d["date"] == date:
            by_page[str(d["page"])].append(d["id"])
    assert [p["page"] for p in issue["pages"]] == sorted(by_page, key=int)
    for group in issue["pages"]:
        # The corpus ids are date-page-position: page order is their order.
        assert [a["id"] for a in group["articles"]] == sorted(by_page[group["page"]])
        assert group["number"] == group["page"]
    assert issue["articles"] == sum(len(v) for v in by_page.values())
    assert issue["previous"] == "1998-01-04" and issue["next"] == "1998-01-06"

    status, page, _ = get_html(server, f"/issues/{date}")
    headings = re.findall(r'class="issue-page__title" id="ban-(\d+)-h">第(\d+)版', page)
    assert [int(a) for a, _ in headings] == sorted(int(p) for p in by_page)
    shown = re.findall(r'<a href="/articles/([^"]+)">', page)
    assert shown == [a["id"] for g in issue["pages"] for a in g["articles"]]


def test_articles_without_a_page_are_under_wei_fen_ban(server):
    status, issue = get_json(server, "/api/issues/2022-09-30")
    assert status == 200
    assert [p["page"] for p in issue["pages"]] == [None] and issue["articles"] == 6
    assert issue["next"] is None and issue["previous"] == "1998-01-20"
    _, page, _ = get_html(server, "/issues/2022-09-30")
    assert "未分版" in page and "紫砂鉴赏与制作工艺" in page


def _step(page: str, rel: str) -> str | None:
    m = re.search(rf'<a href="/articles/([^"]+)" rel="{rel}">', page)
    return m.group(1) if m else None


def test_previous_and_next_walk_a_page_through(server, corpus):
    ids = sorted(d["id"] for d in corpus if d["date"] == "1998-01-10" and str(d["page"]) == "4")
    assert len(ids) > 3
    walked, current = [], ids[0]
    while current is not None:
        status, page, _ = get_html(server, f"/articles/{quote(current)}")
        assert status == 200
        walked.append(current)
        assert 'href="/issues/1998-01-10#ban-4">第4版</a>' in page
        assert f"第 {len(walked)}/{len(ids)} 篇" in page
        current = _step(page, "next")
        assert len(walked) <= len(ids)
    assert walked == ids
    backwards, current = [], ids[-1]
    while current is not None:
        backwards.append(current)
        current = _step(get_html(server, f"/articles/{quote(current)}")[1], "prev")
    assert backwards == ids[::-1]


@pytest.mark.parametrize("date", ["2022-13-01", "20220930", "x", quote("<script>alert(1)", safe=""),
                                  "2022-02-30"])
def test_bad_dates_are_400_with_a_message(server, date):
    status, body = get_json(server, f"/api/issues/{date}")
    assert status == 400 and "2022-09-30" in body["error"]
    status, page, _ = get_html(server, f"/issues/{date}")
    assert status == 400 and "不是有效的日期" in page and "<script>alert" not in page


def test_unknown_issues_are_404(server):
    status, body = get_json(server, "/api/issues/1999-01-01")
    assert status == 404 and "1999-01-01" in body["error"]
    status, page, _ = get_html(server, "/issues/1999-01-01")
    assert status == 404 and "1999年1月1日" in page and 'href="/issues"' in page


def test_hostile_text_is_escaped(tmp_path):
    idx = tmp_path / "idx"
    build_index(idx, [{"id": "e1", "title": EVIL, "subtitle": EVIL, "kicker": EVIL,
                       "body": "正文", "date": "2021-05-01", "reporters": [EVIL[:30]],
                       "page": EVIL},
                      {"id": "e2", "title": "第二篇", "body": "正文", "date": "2021-05-01",
                       "page": EVIL}])
    with Server(idx) as srv:
        for path in ("/issues", "/issues/2021-05-01", "/articles/e1", "/articles/e2"):
            status, page, _ = get_html(srv, path)
            assert status == 200, path
            assert "<script>" not in page, path
        page = get_html(srv, "/issues/2021-05-01")[1]
        assert unescape(EVIL) in unescape(page)  # shown, as text
        assert _step(get_html(srv, "/articles/e1")[1], "next") == "e2"


def _check(value, schema: dict, schemas: dict, where: str = "$") -> None:
    """What the OpenAPI schema requires of a response: types, required keys, items."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    types = schema.get("type")
    types = [types] if isinstance(types, str) else (types or [])
    names = {dict: "object", list: "array", str: "string", int: "integer", bool: "boolean",
             type(None): "null", float: "number"}
    assert not types or names[type(value)] in types or (
        names[type(value)] == "integer" and "number" in types), (where, value, types)
    if isinstance(value, dict):
        assert set(schema.get("required", [])) <= set(value), (where, schema["required"])
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                _check(value[key], sub, schemas, f"{where}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value[:50]):
            _check(item, schema["items"], schemas, f"{where}[{i}]")


def test_openapi_describes_what_the_issue_api_returns(server):
    _, doc = get_json(server, "/api/openapi.json")
    schemas = doc["components"]["schemas"]
    for path, real in (("/api/issues", "/api/issues"),
                       ("/api/issues/{date}", "/api/issues/1998-01-05")):
        op = doc["paths"][path]["get"]
        status, body = get_json(server, real)
        _check(body, op["responses"]["200"]["content"]["application/json"]["schema"], schemas)
    assert {"400", "404"} <= set(doc["paths"]["/api/issues/{date}"]["get"]["responses"])


# -- in a real browser ------------------------------------------------------------------



@pytest.mark.parametrize("javascript", [True, False])
def test_browse_from_calendar_to_issue_to_article_and_along_its_page(tab, server,
                                                                     javascript):
    page = tab(locale="zh-CN", java_script_enabled=javascript)
    errors = console_errors(page)
    page.goto(server.base + "/issues")
    assert page.get_by_role("heading", name="报纸日历").is_visible()
    page.locator(".browse__jump a", has_text="1998 年").click()
    page.wait_for_url("**/issues?year=1998")
    page.locator('a[href="/issues/1998-01-05"]').click()
    page.wait_for_url("**/issues/1998-01-05")
    assert page.locator("h1").inner_text() == "1998年1月5日"
    page.locator(".issue-toc a", has_text="第2版").click()
    second = page.locator("#ban-2")
    assert second.locator("h2").inner_text().startswith("第2版")
    first_title = second.locator(".issue-article__title a").first
    title = first_title.inner_text()
    first_title.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("h1.article__title").inner_text() == title
    assert page.locator(".article__issue").inner_text() == "1998年1月5日 · 第2版"
    page.get_by_role("link", name=re.compile("本版下一篇")).click()
    page.wait_for_url("**/articles/**")
    assert "第 2/" in page.locator(".article__steps-pos").inner_text()
    page.locator(".article__issue a", has_text="第2版").click()
    page.wait_for_url("**/issues/1998-01-05#ban-2")
    assert errors == []


def test_issue_pages_read_on_a_phone(phone, server):
    page = phone
    for path in ("/issues", "/issues?year=1998", "/issues/1998-01-05"):
        page.goto(server.base + path)
        # Nothing wider than the screen: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_an_article_prints_with_its_issue_line_and_address(tab, server):
    page = tab(locale="zh-CN")
    page.goto(server.base + "/articles/19980105-02-002")
    assert not page.locator(".print-only").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".print-only").inner_text() == (
        f"本文地址：{server.base}/articles/19980105-02-002")
    assert page.locator(".article__issue").inner_text() == "1998年1月5日 · 第2版"
    for chrome in (".masthead", ".site-footer", ".crumbs", ".article__steps"):
        assert not page.locator(chrome).is_visible(), chrome
