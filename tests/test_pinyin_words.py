"""Title words by pinyin in ordinary queries: gongjiangjingshen also searches 工匠精神 and says so.

Over real indexes on disk, through the engine, a real ``unionsearch serve`` and the corpus.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, unquote

import pytest

from search.engine import Engine, SearchRequest
from search.text.pinyin import WordTable
from search.understanding import intent
from search.understanding.suggest import suggest

from .helpers import Server, build_index, http_get, unionsearch

ARTICLES = [
    {"id": "craft", "title": "弘扬工匠精神 争做大国工匠", "body": "工匠精神是职工的宝贵财富。",
     "date": "2022-09-01"},
    {"id": "craft2", "title": "工匠精神代代相传", "body": "老师傅讲述工匠精神。",
     "date": "2022-09-02"},
    {"id": "apart", "title": "工匠学院开学", "body": "学员们精神饱满。", "date": "2022-09-03"},
    {"id": "model", "title": "劳模精神引领新时代", "body": "劳模精神鼓舞人心。",
     "date": "2022-09-04", "reporters": ["Jing Shen"]},
    {"id": "gdp", "title": "一季度GDP增长平稳", "body": "全市GDP同比增长。", "date": "2022-09-05"},
]
CRAFT = {"craft", "craft2"}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("pinyinwords") / "idx"
    build_index(path, ARTICLES)
    return str(path)


@pytest.fixture(scope="module")
def engine(index_dir):
    return Engine(index_dir)


def search(engine, q, **kw):
    req = SearchRequest.from_params(q)
    for key, value in kw.items():
        setattr(req, key, value)
    return engine.search(req)


def ids(result) -> set[str]:
    return {h["id"] for h in result["hits"]}


# -- the table ------------------------------------------------------------------------------

def test_the_table_spells_words_and_phrases_of_title_words():
    table = WordTable({"工匠": 50, "精神": 80, "方案": 40, "反感": 20, "绿色": 10, "世纪": 30,
                       "实际": 28, "时机": 2, "GDP增长": 9})
    for typed in (["gongjiangjingshen"], ["gongjiang", "jingshen"], ["gong jiang jing shen"],
                  ["GongJiang'JingShen"]):
        assert table.spell(typed) == ["工匠精神"], typed
    assert table.spell(["fangan"]) == ["方案", "反感"]  # the heaviest two homophones
    assert table.spell(["fang an"]) == ["方案"] and table.spell(["fan gan"]) == ["反感"]
    assert table.spell(["shiji"]) == ["世纪", "实际"]  # 时机 is far lighter: left out
    assert table.spell(["lvse"]) == table.spell(["luse"]) == ["绿色"]
    assert table.spell(["gongji angjingshen"]) == []  # a space inside a syllable


def test_initials_single_syllables_and_other_latin_spell_nothing():
    table = WordTable({"国内生产总值": 60, "工匠": 50, "精神": 80, "GDP增长": 9})
    for typed in ("gdp", "gnsczz", "gj", "cpu", "apec", "jing", "hello", "刘xx", "", "gong1"):
        assert table.spell([typed]) == [], typed


def test_words_that_never_meet_are_not_joined():
    table = WordTable({"工匠": 50, "精神": 80})
    assert table.spell(["gongjiangjingshen"], gram=lambda pair: 0.0) == []
    assert table.spell(["gongjiangjingshen"], gram=lambda pair: 1.0) == ["工匠精神"]


# -- the engine -----------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["gongjiangjingshen", "gongjiang jingshen", "GongJiang JingShen",
                               "gong jiang jing shen", "gongjiang'jingshen"])
def test_full_pinyin_finds_the_phrase_and_says_so(engine, q):
    res = search(engine, q)
    assert ids(res) == CRAFT  # 工匠 and 精神 apart (the article "apart") is not the phrase
    assert res["expanded"] == ["工匠精神"]
    assert all("<mark>工匠精神</mark>" in h["snippet"] for h in res["hits"])


def test_each_term_alone_and_with_chinese_terms(engine):
    res = search(engine, "gongjiang")
    assert ids(res) == {"craft", "craft2", "apart"} and res["expanded"] == ["工匠"]
    res = search(engine, "laomo 精神")
    assert ids(res) == {"model"} and res["expanded"] == ["劳模"]
    res = search(engine, "title:gongjiangjingshen")
    assert ids(res) == CRAFT


def test_what_is_not_full_pinyin_of_a_title_word_stays_itself(engine):
    res = search(engine, "gdp")
    assert ids(res) == {"gdp"} and "expanded" not in res
    for q in ("gj", "cpu", "apec", '"gongjiang"', "-gongjiang 精神", "reporter:gongjiang"):
        assert "expanded" not in search(engine, q), q
    assert ids(search(engine, "-gongjiang 精神")) == {"craft", "craft2", "apart", "model"}


def test_a_latin_reporter_name_stays_itself(engine):
    res = search(engine, "jingshen")  # the byline "Jing Shen", not 精神
    assert "expanded" not in res
    assert "expanded" not in search(engine, "jing shen")
    assert search(engine, "gongjiang jingshen")["expanded"] == ["工匠精神"]  # not that name


def test_turned_off_with_the_synonyms(engine):
    res = search(engine, "gongjiangjingshen", synonyms=False)
    assert "expanded" not in res and res["total"] == 0
    assert search(engine, '"gongjiangjingshen"', synonyms="all")["expanded"] == ["工匠精神"]


def test_chinese_queries_never_build_the_table(tmp_path):
    eng = build_index(tmp_path / "idx", ARTICLES)
    st = eng.state()
    for q in ("工匠精神", "公匠精神", "劳模 -工匠", '"精神"', "reporter:刘欣欣", "2022"):
        search(eng, q)
    assert not intent.built(st, "pinyin_words")
    search(eng, "gongjiangjingshen")
    assert intent.built(st, "pinyin_words")
    table = intent.words_of(st)
    assert isinstance(table, WordTable)
    # The search box's suggestions read the same table: no second pass over the syllables.
    assert {"text": "工匠", "kind": "word"} in suggest(st, "gongj")
    assert intent.words_of(st) is table


def test_real_pinyin_on_the_corpus(corpus_index):
    for q, word in (("jingjifazhan", "经济发展"), ("gaige kaifang", "改革开放"),
                    ("deng xiaoping", "邓小平"), ("xianggang", "香港")):
        res = search(corpus_index, q)
        assert res["expanded"] == [word] and res["total"] > 50, q
        assert res["total"] == search(corpus_index, f'"{word}"')["total"]
    for q in ("gdp", "cpu", "apec", "wto", "internet", "hello world"):
        assert "expanded" not in search(corpus_index, q), q


# -- HTTP -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(index_dir):
    with Server(index_dir) as srv:
        yield srv


def test_the_api_and_the_page_say_what_pinyin_added(server):
    status, _, body = http_get(server.base, "/api/search?q=gongjiangjingshen")
    body = json.loads(body)
    assert status == 200 and body["expanded"] == ["工匠精神"] and body["total"] == 2
    assert body["expanded_pinyin"] == ["工匠精神"]  # spelled by pinyin, not a synonym
    status, _, page = http_get(server.base, "/search?q=" + quote("gongjiang jingshen"))
    text = page.decode()
    assert status == 200 and "按拼音加入：<span class=\"expanded__pinyin\">工匠精神</span>" in text
    assert "同时检索了" not in text and "不按拼音检索" in text
    assert "共找到 <strong>2</strong> 篇" in text and "<mark>工匠精神</mark>" in text
    off = unquote(re.search(r'class="expanded__off" href="([^"]+)"', text).group(1))
    status, _, page = http_get(server.base, off.replace("&amp;", "&").replace(" ", "+"))
    assert status == 200 and "没有找到" in page.decode() and "未包含同义词" in page.decode()
    status, _, body = http_get(server.base, "/api/search?q=gdp")
    assert "expanded" not in json.loads(body)


def test_the_command_line_says_pinyin_not_synonyms(index_dir):
    r = unionsearch("search", "gongjiangjingshen", "--index-dir", index_dir)
    assert r.returncode == 0 and "also searched (spelled by pinyin): 工匠精神" in r.stdout
    assert "synonyms" not in r.stdout
