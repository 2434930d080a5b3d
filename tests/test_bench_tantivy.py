"""The tantivy baseline builds over this service's words and answers each class of the bench
the way bench/baselines/tantivy_bm25.py says it maps it."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("tantivy", reason="tantivy (the bench extra: pip install -e '.[bench]') "
                    "is not installed: the tantivy baseline cannot be built")

from bench.baselines import tantivy_bm25  # noqa: E402
from bench.queries import BenchQuery  # noqa: E402

ARTICLES = [
    {"id": "a1", "date": "2003-05-01", "reporter": "王建国", "title": "职工代表大会在京召开",
     "body": "全国总工会今天召开职工代表大会，讨论劳动合同制度。"},
    {"id": "a2", "date": "2010-07-15", "reporter": "李红、王建国", "title": "劳动合同法实施",
     "body": "新的劳动合同法保护职工权益，工会发挥作用。"},
    {"id": "a3", "date": "2018-11-30", "reporter": "", "title": "农民工工资按时发放",
     "body": "各地工会督促企业按时发放农民工工资，维护职工权益。"},
    {"id": "a4", "date": "2020-01-08", "reporter": "李红", "title": "冬季送温暖",
     "body": "工会干部走访困难职工家庭，送去慰问品。"},
]


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    root = tmp_path_factory.mktemp("tantivy")
    corpus = root / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES),
                      encoding="utf-8")
    assert tantivy_bm25.build(str(corpus), str(root / "ix"), None) == len(ARTICLES)
    return tantivy_bm25.Backend(str(root / "ix"))


def hits(backend, q: BenchQuery) -> list[str]:
    """Ids of the hits, in the order the query ranks them."""
    query, ranked = backend.query(q)
    t = backend.t
    if ranked and q.sort != "newest":
        res = backend.searcher.search(query, 10)
    else:
        res = backend.searcher.search(query, 10, order_by_field="date", order=t.Order.Desc)
    return [backend.searcher.doc(addr)["ext_id"][0] for _, addr in res.hits]


def test_two_words_need_both(backend):
    assert sorted(hits(backend, BenchQuery("two_words", "职工 权益", ["职工", "权益"]))) == [
        "a2", "a3"]
    assert backend.search(BenchQuery("two_words", "职工 权益", ["职工", "权益"])).total == 2


def test_a_phrase_is_found_in_order_and_not_apart(backend):
    # a1 is cut 劳动/合同/劳动合同 as the phrase is; a2 holds it inside 劳动合同法, cut
    # 劳动/合同/合同法: the limit of word positions the baseline names (this service finds both)
    assert hits(backend, BenchQuery("phrase", '"劳动合同"', phrase="劳动合同")) == ["a1"]
    # both words are in a1 and a2, never in this order
    assert hits(backend, BenchQuery("phrase", '"合同劳动"', phrase="合同劳动")) == []


def test_filters_reporter_and_dates(backend):
    assert sorted(hits(backend, BenchQuery("reporter", "职工", ["职工"], reporter="王建国"))) == [
        "a1", "a2"]
    assert hits(backend, BenchQuery("date_range", "工会", ["工会"], date_from="2015-01-01",
                                    date_to="2019-12-31")) == ["a3"]


def test_newest_first_and_browse_order_by_date(backend):
    assert hits(backend, BenchQuery("newest", "工会", ["工会"], sort="newest")) == [
        "a4", "a3", "a2", "a1"]
    browse = BenchQuery("browse", "", [], reporter="李红", sort="newest")
    assert hits(backend, browse) == ["a4", "a2"]
    assert backend.search(browse).total == 2


def test_the_title_weighs_more_than_the_body(backend):
    # 职工 is in a1's title; the others hold it in their body only
    assert hits(backend, BenchQuery("common", "职工", ["职工"]))[0] == "a1"
