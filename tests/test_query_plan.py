"""A query's text is analysed once per request: every stage of a search (evaluation,
partial matches, centrality, did-you-mean, highlighting, the article page) reads the one
plan made from it, so no text is squashed or cut into words twice.

Each call of the squashing and word-cutting functions is counted, wherever in the engine
it is made, over searches through the engine on a real index on disk.
"""

from __future__ import annotations

import sys
from collections import Counter

import pytest

from search.engine import Engine, SearchRequest
from search.text import analysis, normalize

from .helpers import build_index

ARTICLES = [
    {"id": "craft", "title": "弘扬工匠精神 争做大国工匠", "body": "工匠精神是职工的宝贵财富。劳模精神鼓舞人心。",
     "date": "2022-09-01", "reporters": ["张伟"]},
    {"id": "craft2", "title": "工匠精神代代相传", "body": "老师傅讲述工匠精神，劳动模范带徒弟。",
     "date": "2022-09-02"},
    {"id": "apart", "title": "工匠学院开学", "body": "学员们精神饱满，下岗女工再就业。", "date": "2022-09-03"},
    {"id": "model", "title": "劳模精神引领新时代", "body": "劳动模范的故事。下岗女工自谋职业开洗衣店。",
     "date": "2022-09-04", "reporters": ["Jing Shen"]},
    {"id": "reform", "title": "产业工人队伍建设改革推进会召开", "body": "产改工作取得进展，职工技能提升。",
     "date": "2022-09-05"},
    {"id": "jobs", "title": "再就业服务中心开张", "body": "下岗职工在中心学习技能，找到新岗位。",
     "date": "2022-09-06"},
]

# One request each, together reaching every stage that reads the query's text: an unquoted
# run (verbatim and its words apart, centrality, marks), synonyms, a quoted phrase and its
# synonyms, pinyin title words, a reporter in pinyin, partial matches, a pasted headline,
# did-you-mean, an exclusion, OR.
QUERIES = [
    "工匠精神",
    "劳模 精神",
    '~"产改"',
    '"工匠精神" 职工',
    "gongjiang jingshen",
    "reporter:jingshen 劳模",
    "下岗女工 自谋职业 洗衣店",
    "弘扬工匠精神争做大国工匠",
    "公匠精神",
    "精神 -劳模",
    "工匠 OR 劳模 技能",
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    return build_index(tmp_path_factory.mktemp("plan") / "idx", ARTICLES)


@pytest.fixture()
def analysed(monkeypatch) -> Counter:
    """Every call of ``squash`` and ``words``, by function and text, wherever the engine
    holds a reference to them (a module that imported them by name included)."""
    calls: Counter = Counter()
    originals = {normalize.squash: "squash", analysis.words: "words"}

    def counting(fn, name):
        def wrapper(text, *args, **kwargs):
            calls[(name, text)] += 1
            return fn(text, *args, **kwargs)
        return wrapper

    wrappers = {fn: counting(fn, name) for fn, name in originals.items()}
    for modname, module in list(sys.modules.items()):
        if not modname.startswith("search") or module is None:
            continue
        for attr, value in list(vars(module).items()):
            if callable(value) and value in wrappers:
                monkeypatch.setattr(module, attr, wrappers[value])
    return calls


def twice(calls: Counter) -> dict:
    return {key: n for key, n in calls.items() if n > 1}


@pytest.mark.parametrize("q", QUERIES)
def test_a_search_analyses_each_text_of_its_query_once(engine, analysed, q):
    # Built once per generation, not per request: the tables a first search builds
    # (vocabulary, pinyin words, names) are made before counting.
    engine.search(SearchRequest.from_params(q, size=10))
    analysed.clear()
    engine.search(SearchRequest.from_params(q, size=11))  # not the cached one
    assert analysed, "the search analysed nothing: the counting reaches no caller"
    assert twice(analysed) == {}
    assert ("squash", q) in analysed or ("words", q) in analysed or any(
        text in q for _, text in analysed)


def test_the_stages_each_query_reaches_are_reached(engine):
    """The queries above do exercise what they are there for."""
    def search(q):
        return engine.search(SearchRequest.from_params(q))

    assert "劳动模范" in search("劳模 精神").get("expanded", [])
    assert "工匠精神" in search("gongjiang jingshen").get("expanded_pinyin", [])
    assert search("下岗女工 自谋职业 洗衣店")["partial_hits"]
    assert {h["id"] for h in search("弘扬工匠精神争做大国工匠")["hits"]} >= {"craft"}
    assert "<mark>" in search("工匠精神")["hits"][0]["title_html"]
    assert search("reporter:jingshen 劳模")["hits"][0]["id"] == "model"


def test_the_article_page_analyses_its_query_once(engine, analysed):
    engine.article("craft", q="工匠精神 劳模")
    analysed.clear()
    view = engine.article("craft", q="工匠精神 劳模")
    assert view is not None and view["matches"] >= 2
    assert analysed and twice(analysed) == {}


@pytest.mark.parametrize("typed", ["工匠精", "劳模", "工匠精神代"])
def test_search_box_suggestions_analyse_the_typed_text_once(engine, analysed, typed):
    from search.understanding.suggest import suggest

    st = engine.state()
    suggest(st, typed)  # the generation's prefix tables are built once, not per keystroke
    analysed.clear()
    found = suggest(st, typed)
    assert twice(analysed) == {}
    if typed == "工匠精":
        assert any(f["text"].startswith("工匠精神") for f in found), found
