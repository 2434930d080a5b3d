"""Query language, ranking, filters, facets and highlighting on a small real index."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.retrieval.request import BadRequest, SearchRequest
from search.storage.folder import IndexUnusable, open_index, read_meta, write_meta

from .helpers import build_index

ARTICLES = [
    dict(id="a1", title="弘扬工匠精神", body="职工们学习工匠精神，争当大国工匠。", date="2021-05-01",
         reporters=["刘欣欣"]),
    dict(id="a2", title="技能大赛", body="工匠们比拼技艺，展现了新时代精神风貌。", date="2022-03-01",
         reporters=["周美玉", "王宇"]),
    dict(id="a3", title="春节慰问", body="市总工会慰问一线职工。工匠精神代代相传。", date="2020-01-20",
         reporters=["周美玉"]),
    dict(id="a4", title="安全生产月", body="开展安全生产月活动，劳模讲述工匠故事。", date="2022-06-01",
         reporters=["欣欣"]),
    dict(id="a5", title="劳模工作室", body="劳模与工匠结对，传承技能。", date="2019-09-09"),
    dict(id="a6", title="<script>alert(1)</script>标题",
         body='正文<img src=x onerror="alert(1)">工匠 & 劳模', date="2018-01-01"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("s") / "idx", ARTICLES)


def ids(engine, q="", **kw):
    return [h["id"] for h in engine.search(SearchRequest.from_params(q, **kw))["hits"]]


def test_verbatim_matches_rank_above_words_apart(engine):
    got = ids(engine, "工匠精神")
    assert set(got[:2]) == {"a1", "a3"}  # contain 工匠精神 verbatim
    assert got[2:] == ["a2"]  # 工匠 … 精神 apart follows
    assert ids(engine, '"工匠精神"') == ["a1", "a3"]  # quoted: exactly the verbatim ones


def test_title_weighs_more_than_body(engine):
    assert ids(engine, '"工匠精神"')[0] == "a1"  # in the title and the body


def test_and_or_not_and_fields(engine):
    assert set(ids(engine, "工匠 劳模")) == {"a4", "a5", "a6"}
    assert set(ids(engine, "慰问 OR 结对")) == {"a3", "a5"}
    assert set(ids(engine, "工匠 -劳模")) == {"a1", "a2", "a3"}
    assert set(ids(engine, "工匠 NOT 劳模")) == {"a1", "a2", "a3"}
    assert ids(engine, "title:工匠精神") == ["a1"]
    assert set(ids(engine, "body:工匠精神")) >= {"a1", "a3"}


def test_reporter_matches_whole_names_only(engine):
    assert set(ids(engine, reporters=["周美玉"])) == {"a2", "a3"}
    assert ids(engine, reporters=["欣欣"]) == ["a4"]
    assert ids(engine, reporters=["刘欣"]) == []
    assert set(ids(engine, "reporter:周美玉")) == {"a2", "a3"}
    assert set(ids(engine, reporters=["刘欣欣", "王宇"])) == {"a1", "a2"}  # any of them


def test_empty_query_with_filters_lists_newest_first(engine):
    assert ids(engine, reporters=["周美玉"]) == ["a2", "a3"]
    assert ids(engine, date_from="2020-01-01", date_to="2021-12-31") == ["a1", "a3"]
    assert ids(engine, date_from="2020-01-01", date_to="2021-12-31", sort="oldest") == ["a3", "a1"]


def test_sort_by_date(engine):
    assert ids(engine, "工匠", sort="newest")[:3] == ["a4", "a2", "a1"]
    assert ids(engine, "工匠", sort="oldest")[0] == "a6"


def test_facets_count_the_whole_result_set_not_the_page(engine):
    res = engine.search(SearchRequest.from_params("工匠", size=1))
    assert len(res["hits"]) == 1 and res["total"] == 6
    reporters = {f["value"]: f["count"] for f in res["facets"]["reporter"]}
    assert reporters == {"周美玉": 2, "刘欣欣": 1, "王宇": 1, "欣欣": 1}
    years = {f["value"]: f["count"] for f in res["facets"]["year"]}
    assert years == {"2022": 2, "2021": 1, "2020": 1, "2019": 1, "2018": 1}


def test_pagination(engine):
    first = ids(engine, "工匠", size=2, page=1)
    second = ids(engine, "工匠", size=2, page=2)
    assert len(first) == 2 and len(second) == 2 and not set(first) & set(second)
    assert ids(engine, "工匠", size=2, page=50) == []


def test_broken_syntax_is_searched_as_words(engine):
    for q in ['"工匠精神', '工匠精神"', "title:", "OR", "-", "NOT", "((工匠", '""', "AND 工匠",
              "工匠 OR", "reporter:", "*", "工*", "\x00工匠", "𠀀𠀁", "工" * 1000]:
        res = engine.search(SearchRequest.from_params(q))
        assert res["total"] >= 0
    with pytest.raises(BadRequest, match="q is too long"):  # refused whole, never cut short
        SearchRequest.from_params("工" * 5000)
    assert set(ids(engine, '"工匠精神')) >= {"a1", "a3"}


def test_marks_escape_text_and_wrap_phrases_whole(engine):
    res = engine.search(SearchRequest.from_params("工匠精神"))
    hit = next(h for h in res["hits"] if h["id"] == "a1")
    assert hit["title_html"] == "弘扬<mark>工匠精神</mark>"
    assert "<mark>工匠精神</mark>" in hit["snippet"]
    evil = engine.search(SearchRequest.from_params("劳模 标题"))["hits"]
    a6 = next(h for h in evil if h["id"] == "a6")
    for html in (a6["title_html"], a6["snippet"]):
        assert "<script" not in html and "<img" not in html
        assert html.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert "&lt;script&gt;" in a6["title_html"]


@pytest.mark.parametrize("params,message", [
    (dict(size="101"), "size"), (dict(size="0"), "size"), (dict(page="0"), "page"),
    (dict(page="x"), "page"), (dict(date_from="2022-13-01"), "from"),
    (dict(date_to="yesterday"), "to"), (dict(sort="random"), "sort"),
    (dict(date_from="2022-02-01", date_to="2022-01-01"), "after"),
])
def test_bad_parameters_are_refused_with_a_reason(params, message):
    with pytest.raises(BadRequest, match=message):
        SearchRequest.from_params("工匠", **params)


def test_article_lookup(engine):
    art = engine.get("a2")
    assert art["reporters"] == ["周美玉", "王宇"] and art["date"] == "2022-03-01"
    assert engine.get("nope") is None


def test_fingerprint_mismatch_says_how_to_rebuild(tmp_path):
    build_index(tmp_path / "idx", ARTICLES[:1])
    meta = read_meta(tmp_path / "idx")
    meta["fingerprint"]["userdict"] = "something-else"
    write_meta(tmp_path / "idx", meta)
    with pytest.raises(IndexUnusable, match="--rebuild"):
        open_index(tmp_path / "idx")


def test_lone_punctuation_is_ignored_not_matched(engine):
    assert set(ids(engine, "工匠精神 ，")) == set(ids(engine, "工匠精神"))
    assert ids(engine, "，") == []


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(20200101, 20200105)), max_size=200),
       st.sampled_from(["relevance", "newest", "oldest"]), st.integers(1, 60), st.booleans())
@settings(max_examples=400, deadline=None)
def test_top_k_ranking_equals_a_full_sort(rows, sort, k, in_c):
    """Pages come from a partial sort (a heap in C; a partition in the NumPy reference of
    tests/oracles.py); they must be exactly a full sort's first k."""
    import numpy as np

    from search import results

    from .oracles import ranked_numpy

    ranked = results.ranked if in_c else ranked_numpy

    docs = np.arange(len(rows), dtype=np.int64)
    scores = np.array([float(r[0]) for r in rows])
    days = np.array([r[1] for r in rows], dtype=np.int64)
    if sort == "relevance":
        full = sorted(docs.tolist(), key=lambda d: (-scores[d], -days[d], d))
    elif sort == "newest":
        full = sorted(docs.tolist(), key=lambda d: (-days[d], -scores[d], d))
    else:
        full = sorted(docs.tolist(), key=lambda d: (days[d], -scores[d], d))
    assert docs[ranked(docs, scores, days, sort, k)].tolist() == full[:k]


def test_a_body_stored_as_zlib_bytes_reads_as_text():
    """Bodies written compressed by an earlier trial (bench indexes) still read."""
    import zlib

    from search.document import body_of, from_stored

    text = "全市产业工人队伍建设改革工作取得新进展。\n第二段。"
    assert body_of({"body": zlib.compress(text.encode("utf-8"))}) == text
    assert from_stored({"id": "x", "body": text})["body"] == text


FILTERED_QUERIES = ["经济", "改革开放", "发展经济", '"人民代表大会"', "中国 -北京", "工人 OR 农民",
                    "title:经济", "的一些问题", "新华社北京"]


@pytest.mark.parametrize("q", FILTERED_QUERIES)
def test_filters_keep_the_unfiltered_ranking_and_scores(corpus_index, corpus_docs, q):
    """Filters are applied while the query is evaluated (each list cut as it is read);
    a filtered search must still be the unfiltered one restricted: the same articles,
    in the same order, with the same scores (BM25 counts documents before the cut)."""
    from search.results import matched

    st = corpus_index.state()
    everything = matched(st, SearchRequest.from_params(q)).match
    assert len(everything) > 3, q
    reporter = next(d["reporter"].split("、")[0] for d in corpus_docs if d["reporter"])
    for params in ({"date_from": "1998-01-03", "date_to": "1998-01-09"},
                   {"reporters": [reporter]}):
        got = matched(st, SearchRequest.from_params(q, **params)).match
        mask = np.zeros(int(everything.docs.max()) + 1, dtype=bool)
        kept = {int(d) for d in got.docs}
        want = [(int(d), s) for d, s in zip(everything.docs, everything.scores, strict=True)
                if int(d) in kept]
        assert [(int(d), s) for d, s in zip(got.docs, got.scores, strict=True)] == want, params
        # …and nothing the unfiltered search found and the filters allow is missing:
        allowed = matched(st, SearchRequest.from_params("", **params)).match.docs
        mask[allowed[allowed < len(mask)]] = True
        assert len(got) == int(mask[everything.docs].sum()), params
