"""Two papers in a real browser (Debian's chromium via Playwright) against ``unionsearch serve``:
narrowing results to one paper, its calendar and issue, and the embed box fixed to it."""

from __future__ import annotations

import pytest

from .helpers import Server, console_errors, unionsearch, write, write_jsonl

DAY = "2022-09-30"
SAME = "职工技能大赛开幕"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    folder = tmp_path_factory.mktemp("papers-browser")
    idx = str(folder / "idx")
    wubao = [{"title": SAME, "date": DAY, "reporter": "张华", "page": "1",
              "body": "午报讯 职工技能大赛今天开幕，工匠精神薪火相传。"},
             {"title": "午报独家：车间里的工匠", "date": DAY, "page": "2",
              "body": "车间里的工匠精神。"}]
    config = write(folder / "unionsearch.toml", '[papers.ldwb]\nname = "劳动午报"\n')
    assert unionsearch("index", str(write_jsonl(folder / "a.jsonl", wubao)), "--paper", "ldwb",
                       "--config", str(config), "--index-dir", idx).returncode == 0
    zhoukan = [{"title": SAME, "date": DAY, "reporter": "张华", "page": "1", "paper": "劳动周刊",
                "body": "周刊讯 职工技能大赛今天开幕，工匠精神代代相传。"}]
    assert unionsearch("index", str(write_jsonl(folder / "b.jsonl", zhoukan)),
                       "--index-dir", idx).returncode == 0
    with Server(idx, log=folder / "serve.log") as srv:
        yield srv.base


def test_results_narrow_to_one_paper(tab, service):
    page = tab(locale="zh-CN")
    errors = console_errors(page)
    # the home page's box offers the papers
    page.goto(service + "/")
    page.get_by_label("报刊").select_option(label="劳动周刊")
    page.get_by_label("检索词").fill("工匠精神")
    page.get_by_label("检索词").press("Enter")
    page.wait_for_url("**/search?**")
    assert page.locator(".chip", has_text="报刊：劳动周刊").count() == 1
    assert page.locator(".hit").count() == 1
    # a new query typed on a page of one paper stays in that paper
    page.locator(".masthead").get_by_label("检索词").fill("职工技能大赛")
    page.locator(".masthead").get_by_label("检索词").press("Enter")
    page.wait_for_url("**q=%E8%81%8C**")
    assert page.locator(".hit__paper").all_inner_texts() == ["劳动周刊"]
    page.goto(service + "/search?q=工匠精神")
    facet = page.locator(".facet--paper")
    assert facet.locator(".facet__value").all_inner_texts() == ["劳动午报", "劳动周刊"]
    assert page.locator(".hit__paper").all_inner_texts().count("劳动周刊") == 1
    assert page.locator('head link[rel="alternate"][type="application/atom+xml"]').count() == 1
    facet.get_by_role("link", name="劳动周刊").click()
    page.wait_for_url("**paper=ldzk**")
    assert page.locator(".chip", has_text="报刊：劳动周刊").count() == 1
    assert page.locator(".hit").count() == 1
    assert page.locator(".hit__paper").inner_text() == "劳动周刊"
    # the feed of what is shown follows the filter
    assert "paper=ldzk" in page.locator(".toolbar__feed").get_attribute("href")
    assert errors == []


def test_each_paper_has_its_calendar_and_issue(tab, service):
    page = tab(locale="zh-CN")
    errors = console_errors(page)
    page.goto(service + "/issues")
    page.locator(".browse__papers").get_by_role("link", name="劳动午报").click()
    page.wait_for_url("**/issues?paper=ldwb")
    assert "劳动午报" in page.get_by_role("heading", level=1).inner_text()
    page.locator(f'a[href="/issues/ldwb/{DAY}"]').click()
    page.wait_for_url(f"**/issues/ldwb/{DAY}")
    titles = page.locator(".issue-article__title").all_inner_texts()
    assert sorted(titles) == sorted([SAME, "午报独家：车间里的工匠"])
    page.get_by_role("link", name=SAME).click()
    page.wait_for_url("**/articles/**")
    assert page.locator(".article__paper").inner_text() == "劳动午报"
    # the day both papers printed lists them, each leading to its own issue
    page.goto(f"{service}/issues/{DAY}")
    page.get_by_role("link", name="劳动周刊").click()
    page.wait_for_url(f"**/issues/ldzk/{DAY}")
    assert page.locator(".issue-article__title").all_inner_texts() == [SAME]
    assert errors == []


def test_the_embed_box_searches_one_paper(tab, service):
    page = tab(locale="zh-CN")
    errors = console_errors(page)
    page.goto(service + "/embed?paper=ldwb&target=_top")
    page.get_by_label("劳动报刊全文检索 · 劳动午报").fill("职工技能大赛")
    page.get_by_role("button", name="检索").click()
    page.wait_for_url("**/search?**")
    assert page.locator(".chip", has_text="报刊：劳动午报").count() == 1
    assert page.locator(".hit__paper").all_inner_texts() == ["劳动午报"]
    assert errors == []
