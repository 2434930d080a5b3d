"""Trends: matching articles per year or month, exact, on the results page and at /trends.

Every count is checked against the total of the same search filtered to that period, over a
real server on the shared corpus (January 1998) plus the sample page (30 September 2022).
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest

from .helpers import console_errors, http_get

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def server(archive_server):
    """The corpus and the sample page served (shared with other modules, only read)."""
    return archive_server


def api(server, path: str, **params) -> tuple[int, dict]:
    query = urlencode(params, doseq=True)
    status, _, body = http_get(server.base, f"{path}?{query}")
    return status, json.loads(body)


def total(server, **params) -> int:
    status, body = api(server, "/api/search", size=1, **params)
    assert status == 200, body
    return body["total"]


@pytest.mark.parametrize("q", ["工人", "农民", "工匠精神"])
def test_yearly_counts_equal_the_totals_of_each_year(server, q):
    status, trend = api(server, "/api/trends", q=q)
    assert status == 200 and trend["by"] == "year"
    assert [p["period"] for p in trend["periods"]] == [str(y) for y in range(1998, 2023)]
    (series,) = trend["series"]
    assert series["query"] == q and series["total"] == total(server, q=q) > 0
    assert sum(series["counts"]) == series["total"]
    for period, count in zip(trend["periods"], series["counts"], strict=True):
        if period["period"] in ("1998", "2022", "2010"):
            assert period["date_from"] == period["period"] + "-01-01"
            assert count == total(server, q=q, **{"from": period["date_from"],
                                                  "to": period["date_to"]})


def test_a_short_range_is_counted_per_month_within_its_dates(server):
    status, trend = api(server, "/api/trends", q="工人", **{"from": "1997-12-15",
                                                           "to": "1998-02-10"})
    assert status == 200 and trend["by"] == "month"
    # 1997-12 is before the archive's first article: the axis starts at the archive.
    assert trend["periods"] == [
        {"period": "1998-01", "date_from": "1998-01-01", "date_to": "1998-01-31"},
        {"period": "1998-02", "date_from": "1998-02-01", "date_to": "1998-02-10"}]
    counts = trend["series"][0]["counts"]
    assert counts[0] == total(server, q="工人", **{"from": "1998-01-01", "to": "1998-01-31"})
    assert counts[1] == 0 and counts[0] > 0
    status, trend = api(server, "/api/trends", q="工人", by="month", to="2007-12-31")
    assert trend["by"] == "month" and len(trend["periods"]) == 120  # from the first article
    assert sum(trend["series"][0]["counts"]) == total(server, q="工人", to="2007-12-31")


def test_two_queries_and_a_reporter_filter_on_one_axis(server):
    _, facets = api(server, "/api/search", q="", reporter="", size=1, **{"from": "1998-01-01"})
    name = facets["facets"]["reporter"][0]["value"]
    status, trend = api(server, "/api/trends", q=["工人", "农民", ""], reporter=name)
    assert status == 200 and [s["query"] for s in trend["series"]] == ["工人", "农民"]
    for s in trend["series"]:
        assert s["total"] == total(server, q=s["query"], reporter=name)
        assert sum(s["counts"]) == s["total"]
    # No query at all: the archive itself (what the filters let through), per year.
    _, trend = api(server, "/api/trends")
    counts = dict(zip((p["period"] for p in trend["periods"]), trend["series"][0]["counts"],
                      strict=True))
    _, cal = api(server, "/api/issues")
    assert {k: v for k, v in counts.items() if v} == {
        str(y["year"]): y["count"] for y in cal["years"]}


@pytest.mark.parametrize("params, message", [
    ({"q": ["a", "b", "c", "d"]}, "at most 3"),
    ({"q": "工人", "by": "week"}, "by must be"),
    ({"q": "工人", "by": "month"}, "at most 120 months"),  # 1998-01 to 2022-09
    ({"q": "工人", "from": "1998-13-01"}, "from must be a date"),
    ({"q": "工人", "from": "1999-01-01", "to": "1998-01-01"}, "after"),
])
def test_bad_parameters_are_400_with_a_message(server, params, message):
    status, body = api(server, "/api/trends", **params)
    assert status == 400 and message in body["error"]
    status, _, page = http_get(server.base, "/trends?" + urlencode(params, doseq=True))
    assert status == 400 and "趋势参数有误" in page.decode()


def _bars(page: str) -> list[tuple[str, str]]:
    """(href, title) of every bar that links somewhere."""
    return [(unescape(h), t) for h, t in re.findall(
        r'<a class="trend__link" href="([^"]+)" aria-label="[^"]*"><title>([^<]+)</title>', page)]


def test_results_page_chart_matches_the_year_facet(server):
    status, _, body = http_get(server.base, "/search?q=" + quote("工人"))
    page = body.decode()
    assert status == 200 and '<svg class="trend__svg"' in page
    facet = dict(re.findall(r'facet__value">(\d{4}) 年</span> <span class="facet__count">(\d+)',
                            page))
    bars = _bars(page)
    assert {t.split("年")[0]: re.search(r"：(\d+) 篇", t).group(1) for _, t in bars} == facet
    href, _ = next(b for b in bars if b[1].startswith("1998年"))
    assert parse_qs(urlsplit(href).query) == {"q": ["工人"], "from": ["1998-01-01"],
                                               "to": ["1998-12-31"]}
    assert " style=" not in page and "<style" not in page
    # A short range is drawn per month; one period alone is not drawn.
    _, _, body = http_get(server.base, "/search?q=%E5%B7%A5%E4%BA%BA&from=1998-01-01&to=1998-02-28")
    assert "各月篇数" in body.decode() and "1998年1月：" in body.decode()
    _, _, body = http_get(server.base, "/search?q=%E5%B7%A5%E4%BA%BA&from=1998-01-01&to=1998-01-31")
    assert "trend__svg" not in body.decode()


def test_trends_page_compares_and_escapes(server):
    evil = '<script>alert(1)</script>'
    status, _, body = http_get(server.base, "/trends?" + urlencode(
        {"q": ["工人", "农民", evil]}, doseq=True))
    page = body.decode()
    assert status == 200 and "<script>alert" not in page and "&lt;script&gt;" in page
    assert page.count('class="trend__swatch') == 3
    links = [h for h, t in _bars(page) if t.startswith("1998年") and "（农民）" in t]
    assert parse_qs(urlsplit(links[0]).query)["q"] == ["农民"]
    status, _, body = http_get(server.base, "/trends")
    assert status == 200 and "trend__svg" in body.decode()  # the archive over time


def test_openapi_describes_trends(server):
    _, doc = api(server, "/api/openapi.json")
    op = doc["paths"]["/api/trends"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"q", "synonyms", "reporter", "from", "to", "by",
                                                    "paper"}
    assert {"200", "400"} <= set(op["responses"])
    schema = doc["components"]["schemas"]["Trend"]
    _, trend = api(server, "/api/trends", q="工人")
    assert set(schema["required"]) == set(trend)


def test_facets_that_fit_ten_reporters_more_and_quick_ranges(server):
    _, _, body = http_get(server.base, "/search?q=" + quote("工人"))
    page = body.decode()
    aside = page.split('id="filters"', 1)[1]
    first, more = aside.split('<details class="facet__more"', 1)
    assert first.count('class="facet__link"') - first.count("年</span>") == 10
    assert re.search(r"更多（(\d+) 位）", more)
    # Dates are typed as YYYY-MM-DD whatever the browser's locale (no type=date picker).
    assert 'type="date"' not in page and page.count('pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}"') == 2
    quick = dict((label, unescape(href)) for href, label in re.findall(
        r'<a class="chip" href="([^"]+)">(今年|近一年|近五年)</a>', page))
    assert set(quick) == {"今年", "近一年", "近五年"}
    this_year = parse_qs(urlsplit(quick["今年"]).query)
    assert this_year["from"][0].endswith("-01-01") and "to" not in this_year


# -- in a real browser ------------------------------------------------------------------



@pytest.mark.parametrize("javascript", [True, False])
def test_clicking_a_bar_narrows_the_results_to_its_year(tab, server, javascript):
    page = tab(locale="zh-CN", java_script_enabled=javascript)
    errors = console_errors(page)
    page.goto(server.base + "/search?q=" + quote("工人"))
    more = page.locator(".facet__more")
    assert not more.locator(".facet__link").first.is_visible()
    more.locator("summary").click()  # a <details>: opens without script
    assert more.locator(".facet__link").first.is_visible()
    bar = page.locator(".trend__link", has=page.locator("title", has_text="1998年"))
    count = int(re.search(r"：(\d+) 篇", bar.get_attribute("aria-label")).group(1))
    bar.locator(".trend__bar").click()
    page.wait_for_url("**/search?*from=1998-01-01*")
    assert f"共找到 {count} 篇" in page.locator(".summary__count").inner_text()
    assert page.locator(".chip", has_text="日期").count() == 1
    assert errors == []


def test_trends_page_reads_well_on_a_phone(phone, server):
    page = phone
    page.goto(server.base + "/trends?" + urlencode({"q": ["工人", "农民"]}, doseq=True))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    svg = page.locator(".trend__svg").bounding_box()
    assert 300 <= svg["width"] <= 390 and svg["height"] > 80
    # The labels under the bars stay readable: at least 10 CSS pixels high.
    label = page.locator(".trend__label:visible").first.bounding_box()
    assert label["height"] >= 10
