"""Related articles: more-like-this, on the article page and at /api/articles/<id>/related."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from search.understanding.related import related

from .helpers import Server, build_index, http_get

SERIES = "紫砂壶制作技艺传承人培训班"
ARTICLES = [
    {"id": "zisha1", "title": "紫砂壶技艺培训班开班", "reporters": ["刘欣欣"], "date": "2022-09-01",
     "body": f"{SERIES}今天开班，宜兴紫砂壶艺人传授泥料、拍打成型和烧制技艺。学员学习紫砂壶制作。"},
    {"id": "zisha2", "title": "紫砂壶技艺培训班结业", "reporters": ["刘欣欣"], "date": "2022-09-20",
     "body": f"{SERIES}结业，学员展示紫砂壶作品，泥料、拍打成型和烧制技艺都有长进。"},
    {"id": "zisha3", "title": "紫砂壶艺人进社区", "reporters": ["王敬东"], "date": "2021-03-01",
     "body": "宜兴紫砂壶艺人走进社区，讲解泥料、拍打成型与烧制。"},
    {"id": "steel", "title": "钢铁厂安全生产检查", "reporters": ["王敬东"], "date": "2022-09-02",
     "body": "钢铁厂开展安全生产大检查，排查高炉、轧钢车间隐患。"},
    {"id": "steel2", "title": "轧钢车间节能改造", "reporters": ["周美玉"], "date": "2022-09-05",
     "body": "钢铁厂轧钢车间完成节能改造，高炉煤气回收利用。"},
    {"id": "lonely", "title": "天文台观测彗星", "date": "2022-09-03", "body": "天文爱好者观测彗星。"},
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("related") / "idx", ARTICLES)


def titles(found):
    return [a["id"] for a in found]


def test_articles_sharing_distinctive_words_are_related(engine):
    found = related(engine.state(), "zisha1")
    assert titles(found)[:2] == ["zisha2", "zisha3"]  # the same series first
    assert "steel" not in titles(found) and "zisha1" not in titles(found)
    assert set(found[0]) >= {"id", "title", "reporters", "date"} and "body" not in found[0]


def test_other_subjects_find_their_own(engine):
    assert titles(related(engine.state(), "steel")) == ["steel2"]


def test_an_article_with_nothing_in_common_has_no_related(engine):
    assert related(engine.state(), "lonely") == []


def test_an_unknown_id_is_none(engine):
    assert related(engine.state(), "no-such-article") is None


@pytest.fixture(scope="module")
def server(engine):
    with Server(engine.index_dir) as srv:
        yield srv


def test_the_api_lists_related_articles(server):
    status, _, body = http_get(server.base, "/api/articles/zisha1/related")
    data = json.loads(body)
    assert status == 200 and data["id"] == "zisha1"
    assert [a["id"] for a in data["related"]][:2] == ["zisha2", "zisha3"]
    assert len(data["related"]) <= 5


def test_an_unknown_article_is_a_json_404(server):
    status, headers, body = http_get(server.base, "/api/articles/" + quote("没有") + "/related")
    assert status == 404 and "error" in json.loads(body)


def test_the_article_page_links_to_related_articles(server):
    status, _, page = http_get(server.base, "/articles/zisha1")
    text = page.decode()
    assert status == 200 and "相关文章" in text
    section = text[text.index("相关文章"):]
    assert 'href="/articles/zisha2"' in section and "紫砂壶技艺培训班结业" in section
    status, _, page = http_get(server.base, "/articles/lonely")
    assert status == 200 and "相关文章" not in page.decode()
