"""Pages read right at a glance: what a count counts, what an empty field means, where the
sections are, who wrote what, and text big enough to read.

The HTML through Flask's test client; the layout (label sizes, the header at desktop and
phone widths, gaps in a byline, the suggestion list's width) in Debian's chromium against a
real ``unionsearch serve``.
"""

from __future__ import annotations

import re

import pytest

from indexer.readers import read
from indexer.writer import import_items
from web.app import create_app

from .helpers import SAMPLE, Server, build_index

# A reporter who wrote every month for a year and a half: the reporter page charts months.
MONTHLY = [{"id": f"m{i:02d}", "title": f"职工书屋建设第{i}期", "reporters": ["林远航"],
            "date": f"{2020 + (i // 12)}-{1 + i % 12:02d}-15", "page": "2",
            "body": f"本报讯（记者 林远航）职工书屋建设第{i}期在全市推开，职工书屋图书更新。"}
           for i in range(18)]
# Wider than the box in any font (this machine's chromium has no CJK font: its boxes are narrow).
LONG_TITLE = ("关于进一步加强新时代产业工人队伍建设改革工作推动高质量发展的实施意见"
              "及其配套措施的全面解读与基层工会落实情况调查报告"
              "（附各区县总工会、产业工会和基层工会联合会的工作台账、典型案例与问题清单）"
              "上下两册合订本暨年度工作会议材料汇编")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("glance") / "idx"
    summary = import_items(str(path), read([str(SAMPLE)]))
    assert summary.added == 6
    build_index(path, [*MONTHLY, {"id": "long", "title": LONG_TITLE, "date": "2021-06-01",
                                  "body": "调查报告全文。"},
                       {"id": "bare", "title": "班组长说安全", "date": "2021-07-01",
                        "reporters": ["张建国", "李卫东"],
                        "body": "班组长讲安全生产的体会。\n（张建国 李卫东）"}])
    return str(path)


@pytest.fixture(scope="module")
def client(index_dir):
    return create_app(index_dir=index_dir, TESTING=True).test_client()


def page(client, path, **params) -> str:
    r = client.get(path, query_string=params or None)
    assert r.status_code == 200, (path, r.status_code)
    return r.get_data(as_text=True)


# -- what the HTML says ---------------------------------------------------------------------

def test_year_chips_say_what_their_number_counts(client):
    html = page(client, "/issues")
    chips = re.findall(r'<a class="chip[^"]*"[^>]*>(.*?)</a>', html)
    assert len(chips) == 3  # 2022, 2021, 2020
    for chip in chips:
        assert re.fullmatch(r'\d{4} 年<span class="chip__count">\d+ 篇</span>', chip), chip


def test_empty_date_fields_do_not_look_like_a_filter(client):
    for html in (page(client, "/search", q="职工"), page(client, "/trends", q="职工")):
        fields = re.findall(r'<input[^>]*name="(?:from|to)"[^>]*>', html)
        assert len(fields) == 2
        for field in fields:
            assert 'value=""' in field
            holder = re.search(r'placeholder="([^"]*)"', field)
            assert holder is None or not re.search(r"\d", holder.group(1)), field


SECTIONS = {"/issues": "按日期浏览", "/reporters": "记者", "/trends": "趋势对比"}


@pytest.mark.parametrize("path", ["/", "/search?q=职工", "/issues", "/reporters", "/trends",
                                  "/articles/m01", "/reporters/林远航"])
def test_every_page_links_the_sections_from_its_header(client, path):
    html = page(client, path)
    nav = re.search(r'<nav class="site-nav[^"]*" aria-label="栏目">(.*?)</nav>', html, re.S)
    assert nav, path
    for href, label in SECTIONS.items():
        assert re.search(rf'href="{href}"[^>]*>{label}</a>', nav.group(1)), (path, href)
    if path in SECTIONS:
        assert re.search(rf'href="{path}" aria-current="page"', nav.group(1))


def _article_id(client, title_part: str) -> str:
    hits = client.get("/api/search", query_string={"q": title_part}).get_json()["hits"]
    return next(h["id"] for h in hits if title_part in h["title"])


def test_a_correspondent_is_not_called_a_reporter(client):
    """本报讯 (记者 周美玉 通讯员 王宇): the page names each role as the byline prints it."""
    art = _article_id(client, "保修职工多彩活动")
    html = page(client, f"/articles/{art}")
    byline = re.search(r'<p class="article__byline">(.*?)</p>', html, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", byline)
    assert text == "记者 周美玉 通讯员 王宇"
    html = page(client, "/articles/m03")
    text = re.sub(r"<[^>]+>", "", re.search(r'<p class="article__byline">(.*?)</p>', html,
                                            re.S).group(1))
    assert text == "记者 林远航"
    # A byline that names no role (bare names in brackets) is labelled neutrally.
    html = page(client, "/articles/bare")
    text = re.sub(r"<[^>]+>", "", re.search(r'<p class="article__byline">(.*?)</p>', html,
                                            re.S).group(1))
    assert text == "作者 张建国、李卫东"


def test_lists_of_names_label_them_neutrally(client):
    html = page(client, "/issues/2022-09-30")
    assert "作者 " in html and "记者 周美玉" not in html
    assert re.search(r'>周美玉</a>、<a [^>]*>王宇</a>', html)


# -- what the browser shows ------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(index_dir):
    with Server(index_dir, threads=4) as srv:
        yield srv.base


WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module", params=sorted(WIDTHS))
def view(browser, request):
    """One tab at each width for the module's tests (each loads its own page in it): a tab
    costs chromium a renderer; the tests read layout and keep nothing in the tab."""
    width, height = WIDTHS[request.param]
    ctx = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    yield ctx.new_page()
    ctx.close()


def test_monthly_chart_labels_are_readable(view, served):
    view.goto(served + "/reporters/林远航")
    labels = view.locator(".trend__label")
    assert labels.count() >= 3
    heights = [labels.nth(i).bounding_box()["height"] for i in range(labels.count())
               if labels.nth(i).is_visible()]
    assert heights and min(heights) >= 11, heights


def test_header_shows_the_sections_at_every_width(view, served):
    view.goto(served + "/search?q=职工")
    box = view.locator(".masthead .search-form").bounding_box()
    width = view.viewport_size["width"]
    for label in SECTIONS.values():
        link = view.locator(".masthead .site-nav").get_by_role("link", name=label, exact=True)
        assert link.is_visible(), label
        r = link.bounding_box()
        assert 0 <= r["x"] and r["x"] + r["width"] <= width, (label, r)
        overlaps = (r["x"] < box["x"] + box["width"] and box["x"] < r["x"] + r["width"]
                    and r["y"] < box["y"] + box["height"] and box["y"] < r["y"] + r["height"])
        assert not overlaps, (label, r, box)


def test_names_in_a_byline_sit_close_to_their_separator(view, served):
    view.goto(served + "/issues/2022-09-30")
    names = view.locator(".hit__reporters", has_text="王宇").locator("a")
    first, second = names.nth(0).bounding_box(), names.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2  # one line
    gap = second["x"] - (first["x"] + first["width"])
    font = view.evaluate("parseFloat(getComputedStyle(document.querySelector('.hit__reporters'))"
                         ".fontSize)")
    assert gap <= 1.3 * font, (gap, font)  # the width of 、 and no more


def test_a_long_suggestion_stays_inside_the_box(view, served):
    view.goto(served + "/search?q=职工")
    box = view.locator(".masthead .search-form")
    field = view.locator(".masthead .search-form__input")
    field.fill("")
    field.type("关于进一步", delay=20)
    item = view.locator(".suggest__item", has_text="调查报告")
    item.first.wait_for(timeout=10_000)
    listbox = view.locator(".suggest:visible")
    r, b = listbox.bounding_box(), box.bounding_box()
    assert r["x"] + r["width"] <= b["x"] + b["width"] + 1, (r, b)
    text = item.first.locator(".suggest__text")
    clipped = text.evaluate("e => e.scrollWidth > e.clientWidth")
    assert clipped and text.evaluate("e => getComputedStyle(e).textOverflow") == "ellipsis"
    assert item.first.get_attribute("title") == LONG_TITLE
