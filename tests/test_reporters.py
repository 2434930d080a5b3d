"""Reporter pages over a real server: a reporter with 300 articles, one with a single article,
the list with counts and its name/pinyin search, escaping, and a real browser."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest

from indexer.readers import read
from indexer.writer import import_items

from .helpers import Server, console_errors, corpus_rows, http_get, write_jsonl

BUSY, PARTNER, SINGLE = "王德颖", "戴鹏", "单篇记者"
HOSTILE = '"><svg>李'  # a name with no space or slash, which the readers keep whole


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    rows = corpus_rows(420, prefix="w", body_chars=600)
    for i, row in enumerate(rows[:300]):
        row["reporter"] = f"{BUSY}、{PARTNER}" if i % 10 == 0 else BUSY
    rows[300]["reporter"] = SINGLE
    rows[301]["reporter"] = HOSTILE
    tmp = tmp_path_factory.mktemp("reporters")
    summary = import_items(str(tmp / "idx"), read([str(write_jsonl(tmp / "r.jsonl", rows))]))
    assert summary.added == len(rows), summary.rejected
    with Server(tmp / "idx") as srv:
        yield srv


def page(server, path: str) -> tuple[int, str]:
    status, headers, body = http_get(server.base, path)
    assert headers["Content-Type"].startswith("text/html")
    return status, body.decode("utf-8")


def search_total(server, **params) -> int:
    _, _, body = http_get(server.base, "/api/search?" + urlencode(params, doseq=True))
    return json.loads(body)["total"]


def _ids(html: str) -> list[str]:
    return re.findall(r'<h3 class="hit__title"><a href="/articles/([^"]+)">', html)


def test_a_reporter_with_hundreds_of_articles_pages_through_all_of_them(server):
    status, first = page(server, "/reporters/" + quote(BUSY))
    assert status == 200 and "署名文章 <strong>300</strong> 篇" in first
    last = max(int(n) for n in re.findall(r'aria-label="第 (\d+) 页"', first))
    assert last == 15
    seen, dates = [], []
    for n in range(1, last + 1):
        _, html = page(server, f"/reporters/{quote(BUSY)}?page={n}")
        seen += _ids(html)
        dates += re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', html)
    assert len(seen) == len(set(seen)) == 300
    assert dates == sorted(dates, reverse=True)  # newest first
    # The chart's bars count the same articles.
    bars = re.findall(r"<title>[^<]*：(\d+) 篇</title>", first)
    assert sum(int(b) for b in bars) == 300


def test_colleagues_and_themes_come_from_their_articles(server):
    _, html = page(server, "/reporters/" + quote(BUSY))
    colleagues = dict(re.findall(
        r'href="/reporters/([^"]+)"><span class="facet__value">[^<]+</span> '
        r'<span class="facet__count">(\d+)</span>', html))
    assert colleagues == {quote(PARTNER): "30"}
    themes = re.findall(r'<a class="chip" href="([^"]+)" title="(\d+) 篇用到">([^<]+)</a>', html)
    assert len(themes) >= 5
    for href, used, word in themes:
        assert word not in (BUSY, PARTNER)
        query = parse_qs(urlsplit(unescape(href)).query)
        assert query == {"reporter": [BUSY], "q": [word]}
        assert search_total(server, reporter=BUSY, q=f'"{word}"') >= int(used)


def test_a_reporter_with_one_article(server):
    status, html = page(server, "/reporters/" + quote(SINGLE))
    assert status == 200 and "署名文章 <strong>1</strong> 篇" in html
    assert len(_ids(html)) == 1 and 'class="pager"' not in html


def test_the_list_counts_and_finds_by_name_and_pinyin(server):
    status, html = page(server, "/reporters")
    assert status == 200
    listed = re.findall(r'<li><a href="/reporters/([^"]+)">([^<]+)</a> '
                        r'<span class="reporter-list__count">(\d+) 篇</span>', html)
    assert unescape(listed[0][1]) == BUSY and listed[0][2] == "300"
    for _, name, count in listed[:8]:
        assert search_total(server, reporter=unescape(name)) == int(count)
    for q in ("wdy", "wang", "王德", "WangDeying"):
        _, found = page(server, "/reporters?" + urlencode({"q": q}))
        assert f'<a href="/reporters/{quote(BUSY)}">{BUSY}</a>' in found, q
    _, found = page(server, "/reporters?q=zzzz")
    assert "相符的记者 0 位" in found


def test_unknown_and_hostile_names(server):
    status, html = page(server, "/reporters/" + quote("无此人"))
    assert status == 404 and "没有这位记者" in html and "无此人" in html
    status, html = page(server, "/reporters/" + quote(HOSTILE, safe=""))
    assert status == 200 and "<svg>李" not in html and "&lt;svg&gt;李" in html
    status, html = page(server, "/reporters/" + quote("<script>x" * 3, safe=""))
    assert status == 404 and "<script>x" not in html
    status, html = page(server, "/reporters?q=" + quote("<script>"))
    assert status == 200 and "<script>" not in html.split("</head>", 1)[1]
    status, html = page(server, "/reporters?page=0")
    assert status == 400 and "页码" in html
    status, html = page(server, "/reporters/" + quote(BUSY) + "?page=x")
    assert status == 400


def test_json_twins_match_the_pages_and_the_openapi_document(server):
    _, _, body = http_get(server.base, "/api/reporters?q=wdy")
    found = json.loads(body)
    assert found["total"] >= 1 and {"name": BUSY, "count": 300} in found["reporters"]
    status, _, body = http_get(server.base, "/api/reporters/" + quote(BUSY))
    prof = json.loads(body)
    assert status == 200 and prof["articles"] == 300
    assert prof["colleagues"] == [{"name": PARTNER, "count": 30}]
    status, _, body = http_get(server.base, "/api/reporters/" + quote("无此人"))
    assert status == 404 and "无此人" in json.loads(body)["error"]
    status, _, body = http_get(server.base, "/api/reporters?page=0")
    assert status == 400 and "page" in json.loads(body)["error"]
    _, _, body = http_get(server.base, "/api/openapi.json")
    doc = json.loads(body)
    schemas = doc["components"]["schemas"]
    assert set(schemas["ReporterProfile"]["required"]) == set(prof)
    assert set(schemas["ReporterList"]["required"]) == set(found)
    assert {"/api/reporters", "/api/reporters/{name}"} <= set(doc["paths"])


# -- in a real browser ------------------------------------------------------------------



@pytest.mark.parametrize("javascript", [True, False])
def test_find_a_reporter_and_follow_their_work(tab, server, javascript):
    tab = tab(locale="zh-CN", java_script_enabled=javascript)
    errors = console_errors(tab)
    tab.goto(server.base + "/reporters")
    tab.get_by_label("找记者").fill("wdy")
    tab.get_by_role("button", name="查找").click()
    tab.wait_for_url("**/reporters?q=wdy")
    tab.get_by_role("link", name=BUSY, exact=True).click()
    tab.wait_for_url(f"**/reporters/{quote(BUSY)}")
    assert tab.locator("h1").inner_text() == BUSY
    tab.get_by_role("link", name="下一页 ›").click()
    tab.wait_for_url("**?page=2")
    theme = tab.locator(".themes a").first
    word = theme.inner_text()
    theme.click()
    tab.wait_for_url("**/search?**")
    assert tab.locator(".chip", has_text=f"记者：{BUSY}").count() == 1
    assert tab.locator(".summary__query").inner_text() == word
    tab.go_back()
    tab.locator(".facet__link", has_text=PARTNER).click()
    tab.wait_for_url(f"**/reporters/{quote(PARTNER)}")
    assert "署名文章 30 篇" in tab.locator(".browse__lead").inner_text()
    assert errors == []


def test_reporter_page_reads_well_on_a_phone(phone, server):
    tab = phone
    for path in ("/reporters", "/reporters/" + quote(BUSY)):
        tab.goto(server.base + path)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390, path
