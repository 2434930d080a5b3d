"""Synonyms and abbreviations: 产改 finds 产业工人队伍建设改革 and says so; "产改" stays exact.

Over real indexes on disk, through the engine, a real ``unionsearch serve`` and the CLI.
"""

from __future__ import annotations

import json
import os
import re
from urllib.parse import quote, unquote

import pytest

from search.engine import Engine, SearchRequest
from search.understanding.default_synonyms import DEFAULT_SYNONYMS
from search.understanding.synonyms import SynonymSource, parse_synonyms

from .helpers import Server, build_index, http_get, unionsearch

LONG = "产业工人队伍建设改革"
ARTICLES = [
    {"id": "short", "title": "产改推进会召开", "body": "全市产改工作取得新进展。", "date": "2022-09-01"},
    {"id": "long", "title": "推进会召开", "body": f"全市{LONG}工作取得新进展。", "date": "2022-09-02"},
    {"id": "other", "title": "紫砂壶展览", "body": "宜兴壶艺人现场制作。", "date": "2022-09-03"},
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("syn") / "idx"
    build_index(path, ARTICLES)
    return str(path)


@pytest.fixture(scope="module")
def engine(index_dir):
    return Engine(index_dir)


def ids(result) -> list[str]:
    return [h["id"] for h in result["hits"]]


def search(engine, q, **kw):
    req = SearchRequest.from_params(q)
    for key, value in kw.items():
        setattr(req, key, value)
    return engine.search(req)


# -- the file format ---------------------------------------------------------------------

def test_the_default_list_covers_the_union_field():
    table = parse_synonyms(DEFAULT_SYNONYMS, "default")
    assert not table.problems
    groups = [line for line in DEFAULT_SYNONYMS.splitlines() if line.strip()
              and not line.startswith("#")]
    assert len(groups) >= 40
    assert LONG in table.of("产改") and "产改" in table.of(LONG)
    assert "劳动模范" in table.of("劳模") and "中华全国总工会" in table.of("全总")
    assert "职工代表大会" in table.of("职代会") and table.of("农民工") and table.of("五一劳动奖章")


def test_malformed_lines_are_reported_with_their_number_and_skipped(tmp_path):
    site = tmp_path / "site.txt"
    site.write_text("# 站点词表\n紫砂 = 宜兴壶\n只有一个词\n甲 = = 乙\n带\"引号\" = 词\n"
                    "劳保，劳动保护\n", encoding="utf-8")
    source = SynonymSource(str(site))
    problems = source.table.problems
    assert [re.search(r"line (\d+)", p).group(1) for p in problems] == ["3", "4", "5"]
    assert all(str(site) in p for p in problems)
    assert source.table.of("紫砂") == ["宜兴壶"] and source.table.of("劳保") == ["劳动保护"]
    assert source.table.of("产改") == [LONG]  # the default list is still there


def test_an_unreadable_site_file_leaves_the_default_list(tmp_path):
    source = SynonymSource(str(tmp_path / "missing.txt"))
    assert source.table.of("劳模") and "cannot be read" in source.table.problems[0]


# -- the engine ----------------------------------------------------------------------------

def test_an_unquoted_abbreviation_finds_the_full_form_and_says_so(engine):
    res = search(engine, "产改")
    assert ids(res) == ["short", "long"]  # the verbatim match first
    assert res["expanded"] == [LONG] and "expanded_pinyin" not in res  # a synonym, not pinyin
    assert f"<mark>{LONG}</mark>" in res["hits"][1]["snippet"]


def test_the_full_form_finds_the_abbreviation(engine):
    res = search(engine, LONG)
    assert set(ids(res)) == {"short", "long"} and ids(res)[0] == "long"
    assert "产改" in res["expanded"]


def test_a_quoted_phrase_stays_exact_unless_asked(engine):
    res = search(engine, '"产改"')
    assert ids(res) == ["short"] and "expanded" not in res
    asked = search(engine, '~"产改"')
    assert set(ids(asked)) == {"short", "long"} and asked["expanded"] == [LONG]


def test_synonyms_can_be_turned_off(engine):
    res = search(engine, "产改", synonyms=False)
    assert ids(res) == ["short"] and "expanded" not in res


def test_excluded_terms_and_reporters_are_not_expanded(engine):
    res = search(engine, "推进会 -产改")
    assert ids(res) == ["long"] and "expanded" not in res


def test_a_site_file_takes_effect_without_a_restart(index_dir, tmp_path, monkeypatch):
    site = tmp_path / "site.txt"
    site.write_text("紫砂 = 宜兴壶\n", encoding="utf-8")
    eng = Engine(index_dir, synonyms_file=str(site))
    assert ids(search(eng, "宜兴壶")) == ["other"]
    assert search(eng, "紫砂")["expanded"] == ["宜兴壶"]
    site.write_text("紫砂 = 宜兴壶\n推进会, 紫砂壶展览\n", encoding="utf-8")
    monkeypatch.setenv("UNIONSEARCH_SYNONYMS", str(site))
    eng.reload_synonyms()  # what SIGHUP does; otherwise the file's mtime is checked every 1 s
    assert set(ids(search(eng, "紫砂壶展览"))) == {"other", "short", "long"}


def test_a_changed_file_is_noticed_on_a_later_query(index_dir, tmp_path, monkeypatch):
    import search.understanding.synonyms as synonyms

    monkeypatch.setattr(synonyms, "RELOAD_EVERY", 0.0)  # check the file on every query
    site = tmp_path / "site.txt"
    site.write_text("紫砂 = 宜兴壶\n", encoding="utf-8")
    eng = Engine(index_dir, synonyms_file=str(site))
    assert "expanded" not in search(eng, "推进会")
    site.write_text("紫砂 = 宜兴壶\n推进会 = 紫砂壶展览\n", encoding="utf-8")
    os.utime(site, ns=(1, 1))  # a different mtime even within the file system's resolution
    assert search(eng, "推进会")["expanded"] == ["紫砂壶展览"]


# -- HTTP and the command line --------------------------------------------------------------

@pytest.fixture(scope="module")
def server(index_dir, tmp_path_factory):
    site = tmp_path_factory.mktemp("site") / "synonyms.txt"
    site.write_text("紫砂 = 宜兴壶\n坏行\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UNIONSEARCH_SYNONYMS", str(site))
        with Server(index_dir) as srv:
            yield srv


def get_json(server, path):
    status, _, body = http_get(server.base, path)
    return status, json.loads(body)


def test_the_api_reports_what_was_added(server):
    status, body = get_json(server, "/api/search?q=" + quote("产改"))
    assert status == 200 and body["expanded"] == [LONG] and body["total"] == 2
    status, body = get_json(server, "/api/search?q=" + quote("紫砂"))
    assert body["expanded"] == ["宜兴壶"]  # the site file, given by UNIONSEARCH_SYNONYMS
    status, body = get_json(server, "/api/search?synonyms=0&q=" + quote("产改"))
    assert status == 200 and body["total"] == 1 and "expanded" not in body


def test_a_bad_synonyms_flag_is_a_400(server):
    status, body = get_json(server, "/api/search?synonyms=maybe&q=" + quote("产改"))
    assert status == 400 and "synonyms" in body["error"]
    status, _, page = http_get(server.base, "/search?synonyms=maybe&q=" + quote("产改"))
    assert status == 400 and "包含同义词" in page.decode()


def test_the_results_page_says_what_was_added_and_turns_it_off(server):
    status, _, page = http_get(server.base, "/search?q=" + quote("产改"))
    text = page.decode()
    assert status == 200 and f"同时检索了：<span class=\"expanded__terms\">{LONG}" in text
    off = unquote(re.search(r'class="expanded__off" href="([^"]+)"', text).group(1))
    assert "synonyms=0" in off
    status, _, page = http_get(server.base, off.replace("&amp;", "&").replace("产改", quote("产改")))
    text = page.decode()
    assert status == 200 and "未包含同义词" in text and "共找到 <strong>1</strong> 篇" in text


def test_the_command_line_says_what_was_added(index_dir):
    r = unionsearch("search", "产改", "--index-dir", index_dir)
    assert r.returncode == 0 and f"also searched (synonyms): {LONG}" in r.stdout
    r = unionsearch("search", "产改", "--json", "--index-dir", index_dir)
    assert json.loads(r.stdout)["expanded"] == [LONG]


# -- 包含同义词: synonyms=all, quoted phrases too ------------------------------------------------

def test_synonyms_all_expands_quoted_phrases_too(engine):
    res = search(engine, '"产改"', synonyms="all")
    assert ids(res) == ["short", "long"] and res["expanded"] == [LONG]
    assert f"<mark>{LONG}</mark>" in res["hits"][1]["snippet"]
    assert ids(search(engine, '"产改"')) == ["short"]  # the default: quoted stays exact
    res = search(engine, '推进会 -"产改"', synonyms="all")  # an exclusion is never expanded
    assert ids(res) == ["long"] and "expanded" not in res


def test_the_flag_has_three_states():
    from search.retrieval.request import BadRequest, parse_synonyms_flag

    assert parse_synonyms_flag(None) is True and parse_synonyms_flag("") is True
    assert parse_synonyms_flag("1") is True and parse_synonyms_flag("ALL ") == "all"
    assert parse_synonyms_flag("0") is False and parse_synonyms_flag("off") is False
    with pytest.raises(BadRequest, match="all"):
        parse_synonyms_flag("some")


def test_the_api_and_the_page_take_synonyms_all(server):
    status, body = get_json(server, "/api/search?synonyms=all&q=" + quote('"产改"'))
    assert status == 200 and body["total"] == 2 and body["expanded"] == [LONG]
    status, body = get_json(server, "/api/search?q=" + quote('"产改"'))
    assert status == 200 and body["total"] == 1 and "expanded" not in body
    status, _, page = http_get(server.base, "/search?synonyms=all&q=" + quote('"产改"'))
    text = page.decode()
    assert status == 200 and "共找到 <strong>2</strong> 篇" in text
    box = re.search(r'<input class="search-form__checkbox"[^>]*>', text).group(0)
    assert 'name="synonyms"' in box and 'value="all"' in box and "checked" in box
    off = re.search(r'class="expanded__off" href="([^"]+)"', text).group(1)
    assert "synonyms=0" in off and "synonyms=all" not in off
    status, _, page = http_get(server.base, "/search?q=" + quote('"产改"'))
    box = re.search(r'<input class="search-form__checkbox"[^>]*>', page.decode()).group(0)
    assert "checked" not in box


def test_turned_off_the_page_links_back_to_the_default(server):
    status, _, page = http_get(server.base, "/search?synonyms=0&q=" + quote("产改"))
    on = re.search(r'class="expanded__on" href="([^"]+)"', page.decode()).group(1)
    assert status == 200 and "synonyms" not in on


def test_the_checkbox_in_a_real_browser(tab, server):
    from .helpers import console_errors

    for script in (True, False):
        page = tab(java_script_enabled=script, locale="zh-CN")
        errors = console_errors(page)
        page.goto(server.base + "/")
        box = page.get_by_label("包含同义词")
        assert not box.is_checked()
        page.get_by_label("检索词").fill('"产改"')
        page.get_by_role("button", name="检索").click()
        page.wait_for_url("**/search?*")
        assert "共找到 1 篇" in page.locator(".summary__count").inner_text()
        page.get_by_label("包含同义词").check()
        page.get_by_role("button", name="检索").click()
        page.wait_for_url("**synonyms=all**")
        assert page.get_by_label("包含同义词").is_checked()  # stays ticked on the results
        assert "共找到 2 篇" in page.locator(".summary__count").inner_text()
        assert page.locator(".expanded__terms").inner_text() == LONG
        assert page.locator(".hit mark", has_text=LONG).count() >= 1
        page.get_by_label("包含同义词").uncheck()  # unticked again: quoted stays exact
        page.get_by_role("button", name="检索").click()
        page.wait_for_function("!location.search.includes('synonyms')")
        assert "共找到 1 篇" in page.locator(".summary__count").inner_text()
        assert not page.get_by_label("包含同义词").is_checked()
        assert not errors, errors  # no CSP violation


def test_exports_and_trends_follow_the_results_page(server):
    """An export or a trend of a page with synonyms off (or all) counts what that page found."""
    for flag, total in (("", 2), ("&synonyms=0", 1)):
        status, _, body = http_get(server.base, "/export.csv?q=" + quote("产改") + flag)
        rows = body.decode("utf-8-sig").strip().splitlines()
        assert status == 200 and len(rows) == 1 + total, (flag, rows)
        status, trend = get_json(server, "/api/trends?q=" + quote("产改") + flag)
        assert status == 200 and trend["series"][0]["total"] == total, (flag, trend)
    status, trend = get_json(server, "/api/trends?synonyms=all&q=" + quote('"产改"'))
    assert status == 200 and trend["series"][0]["total"] == 2
    status, _, body = http_get(server.base, "/export.csv?synonyms=maybe&q=" + quote("产改"))
    assert status == 400


def test_the_article_page_marks_what_the_search_added(server):
    """Opened from a result found through a synonym, the article shows where it matched."""
    status, _, page = http_get(server.base, "/articles/long?q=" + quote("产改"))
    assert status == 200 and f"<mark>{LONG}</mark>" in page.decode()
    status, _, page = http_get(server.base, "/articles/long?synonyms=0&q=" + quote("产改"))
    assert status == 200 and "<mark>" not in page.decode().split("<article", 1)[1]
    status, _, page = http_get(server.base, "/articles/long?synonyms=maybe&q=" + quote("产改"))
    assert status == 200 and f"<mark>{LONG}</mark>" in page.decode()
