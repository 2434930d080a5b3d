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
from search.synonym_list import DEFAULT_SYNONYMS
from search.synonyms import SynonymSource, parse_synonyms

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
    assert res["expanded"] == [LONG]
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
    import search.synonyms as synonyms

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
