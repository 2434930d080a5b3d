"""What the pages mark and count for a query is what the query means.

A phrase-like query (工匠精神) marks its verbatim occurrences and the article page counts
exactly those; its words (工匠, 精神) are marked only in an article that has them apart and
never the phrase, and the page says so.  A quoted query's heading does not double its
quotes.  Snippets never end inside a mark.
"""

from __future__ import annotations

import re

import pytest

from search.retrieval.highlight import Needles, snippet
from search.retrieval.query import parse
from web.app import create_app

from .helpers import build_index

ZISHA = "紫砂鉴赏与制作工艺"
MARK = re.compile(r"<mark>(.*?)</mark>")


@pytest.fixture(scope="module")
def sample(sample_index):
    return create_app(index_dir=sample_index.index_dir, TESTING=True).test_client()


@pytest.fixture(scope="module")
def apart(tmp_path_factory):
    """One article with the phrase, one with its words apart only."""
    path = tmp_path_factory.mktemp("apart") / "idx"
    build_index(path, [
        {"id": "verbatim", "title": "弘扬工匠精神", "date": "2022-01-05",
         "body": "工匠精神代代相传。劳模精神、劳动精神和工匠精神都要学。"},
        {"id": "apart", "title": "老工匠的故事", "date": "2022-01-06",
         "body": "这位工匠说，干一行爱一行是一种精神。"},
    ])
    return create_app(index_dir=str(path), TESTING=True).test_client()


def _article_id(client, q: str, title_part: str) -> str:
    hits = client.get("/api/search", query_string={"q": q}).get_json()["hits"]
    return next(h["id"] for h in hits if title_part in h["title"])


def test_article_page_counts_the_phrase_it_marks(sample):
    """The 紫砂 article holds 工匠精神 three times and 劳模精神, 劳动精神 once each."""
    art = _article_id(sample, "工匠精神", ZISHA)
    body = sample.get(f"/api/articles/{art}").get_json()
    verbatim = (body["title"] + body["body"]).count("工匠精神")
    assert verbatim == 3
    html = sample.get(f"/articles/{art}", query_string={"q": "工匠精神"}).get_data(as_text=True)
    marked = MARK.findall(html)
    assert marked == ["工匠精神"] * verbatim
    assert f"标出 {verbatim} 处" in html
    assert "劳模精神" in html and "<mark>精神</mark>" not in html


def test_words_apart_are_marked_only_where_the_phrase_is_absent(apart):
    page = apart.get("/articles/verbatim", query_string={"q": "工匠精神"}).get_data(as_text=True)
    assert MARK.findall(page) == ["工匠精神"] * 3
    assert "标出 3 处" in page and "其中的词" not in page
    page = apart.get("/articles/apart", query_string={"q": "工匠精神"}).get_data(as_text=True)
    assert sorted(MARK.findall(page)) == ["工匠", "工匠", "精神"]
    assert "标出 3 处" in page
    assert "本文没有连在一起的“工匠精神”" in page


def test_results_mark_the_same_way(apart):
    hits = {h["id"]: h for h in apart.get("/api/search", query_string={"q": "工匠精神"})
            .get_json()["hits"]}
    assert hits["verbatim"]["title_html"] == "弘扬<mark>工匠精神</mark>"
    assert "<mark>精神</mark>" not in hits["verbatim"]["snippet"]
    assert "<mark>精神</mark>" in hits["apart"]["snippet"]


def test_a_word_asked_for_on_its_own_is_still_marked(apart):
    """工匠精神 精神: 精神 is a term of its own, marked beside the phrase."""
    page = apart.get("/articles/verbatim", query_string={"q": "工匠精神 精神"}).get_data(
        as_text=True)
    assert "<mark>精神</mark>" in page and "<mark>工匠精神</mark>" in page


@pytest.mark.parametrize("q,shown", [
    ('"产改"', "产改"), ("“产改”", "产改"), ('"产改" 工匠', "‘产改’ 工匠"), ("产改", "产改"),
])
def test_headings_do_not_double_the_quotes(sample, q, shown):
    html = sample.get("/search", query_string={"q": q}).get_data(as_text=True)
    heading = re.search(r'<span class="summary__query">(.*?)</span>', html)
    assert heading and heading.group(1) == shown


def test_article_page_heading_strips_the_quotes(sample):
    art = _article_id(sample, '"产改"', "产改")
    html = sample.get(f"/articles/{art}", query_string={"q": '"产改"'}).get_data(as_text=True)
    assert "“产改”在本文中标出" in html and '“"产改"”' not in html


def _balanced_and_whole(out: str, phrase: str) -> None:
    assert out.count("<mark>") == out.count("</mark>")
    for m in MARK.findall(out):
        assert m == phrase, out


def test_snippets_never_end_inside_a_mark(sample):
    """Every snippet of the sample page for each of its phrases: marks whole, tags balanced."""
    for q in ("产业工人", "工匠精神", "职工", "队伍建设改革", "北京市总工会"):
        for hit in sample.get("/api/search", query_string={"q": q, "size": 50}).get_json()["hits"]:
            _balanced_and_whole(hit["snippet"], q)


@pytest.mark.parametrize("at", range(70, 100))
def test_window_edges_move_to_the_edges_of_a_match(at):
    """A match placed at every offset around the first window's end (80) is shown whole."""
    body = "甲" * at + "朝阳区产改博览会" + "乙" * 400 + "朝阳区产改博览会" + "丙" * 300
    out = snippet(body, Needles(parse('"朝阳区产改博览会"')))
    _balanced_and_whole(out, "朝阳区产改博览会")
    assert "<mark>朝阳区产改博览会</mark>" in out


def test_snippets_prefer_clause_boundaries():
    body = ("前面的句子说了一些别的事情，与检索无关。" * 6 + "今年，职工技能大赛在全市举办，"
            "参赛的工匠来自各行各业。" + "后面还有很多别的内容，也与检索无关。" * 8)
    out = snippet(body, Needles(parse("工匠")))
    assert "<mark>工匠</mark>" in out
    # the window starts after, and ends on, a clause boundary near its edges
    plain = out.replace("<mark>", "").replace("</mark>", "").strip("…")
    assert plain[-1] in "，。", out
    assert body[body.index(plain) - 1] in "，。", out
