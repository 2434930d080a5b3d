"""Reporters by pinyin: liuxinxin, liu xinxin and lxx all find 刘欣欣's articles."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from search.engine import SearchRequest
from search.text.pinyin import NameTable, latin_key

from .helpers import Server, http_get, unionsearch


def test_names_are_found_by_full_pinyin_and_initials():
    table = NameTable(["刘欣欣", "李强", "曾强", "单雄", "Tom Smith"])
    for typed in ("liuxinxin", "liu xinxin", "LiuXinxin", "lxx", "liu'xinxin"):
        assert table.lookup(typed) == ["刘欣欣"], typed
    assert table.lookup("zengqiang") == ["曾强"]  # 曾 read as a surname, not céng
    assert table.lookup("shanxiong") == ["单雄"]
    assert table.lookup("lq") == ["李强"]
    assert table.lookup("刘欣欣") == [] and table.lookup("") == [] and table.lookup("l1") == []


def test_only_latin_letters_are_taken_for_pinyin():
    assert latin_key(" Liu Xinxin ") == "liuxinxin"
    assert latin_key("刘xx") is None and latin_key("lxx2") is None and latin_key("") is None


def test_a_known_latin_name_stays_itself():
    table = NameTable(["刘欣欣"])
    assert table.resolve(["lxx", "tom"], known={"tom"}) == ["刘欣欣", "tom"]


def _ids(engine, **params):
    res = engine.search(SearchRequest.from_params(**params))
    return {h["id"] for h in res["hits"]}, res["total"]


@pytest.mark.parametrize("typed", ["lxx", "liuxinxin", "liu xinxin"])
def test_the_reporter_filter_takes_pinyin(sample_index, typed):
    want = _ids(sample_index, reporters=["刘欣欣"])
    assert want[1] >= 1
    assert _ids(sample_index, reporters=[typed]) == want
    assert _ids(sample_index, q=f"reporter:{typed.replace(' ', '')}") == want


def test_pinyin_that_spells_no_reporter_finds_nothing(sample_index):
    assert _ids(sample_index, reporters=["zzz"])[1] == 0
    assert _ids(sample_index, q="reporter:zzz")[1] == 0


@pytest.fixture(scope="module")
def server(sample_index):
    with Server(sample_index.index_dir) as srv:
        yield srv


def test_the_api_and_the_page_take_pinyin_reporters(server, sample_index):
    want = _ids(sample_index, reporters=["刘欣欣"])[1]
    status, _, body = http_get(server.base, "/api/search?reporter=lxx")
    assert status == 200 and json.loads(body)["total"] == want
    status, _, page = http_get(server.base, "/search?q=" + quote("reporter:liuxinxin"))
    assert status == 200 and f"共找到 <strong>{want}</strong> 篇" in page.decode()


def test_the_command_line_takes_pinyin_reporters(sample_index):
    r = unionsearch("search", "", "--reporter", "lxx", "--json", "--index-dir",
                    sample_index.index_dir)
    assert r.returncode == 0
    assert {h["id"] for h in json.loads(r.stdout)["hits"]} == _ids(sample_index,
                                                                   reporters=["刘欣欣"])[0]
