"""One story once: the page dump and the e-paper page of one day make one article per story,
with the best of each source's fields; an operator can undo a merge for good."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from indexer import merges
from indexer.readers import read
from indexer.records import Loaded
from indexer.writer import delete_ids, import_items
from search.dedupe import same_story
from search.document import Article
from search.engine import Engine
from search.retrieval.request import SearchRequest
from search.understanding.related import related

from .helpers import CORPUS, EPAPER_SAMPLE, SAMPLE, Server, http_get, unionsearch

STORY = "北京市产业工人队伍建设改革推进会暨朝阳区产改博览会举办"
PAGE_ID = "b5cd77fa1294470f"  # the story as the page dump gives it (id from date, title, body)
EPAPER_ID = "599c502d1bd56907"  # as the e-paper page gives it
ONLY_IN_PAGE_DUMP = "王敬东指出"  # the e-paper page prints part of the text


def _import(idx, *paths) -> object:
    return import_items(str(idx), read([str(p) for p in paths]))


def _total(engine: Engine, q: str = "") -> int:
    return engine.search(SearchRequest(q=q, size=50))["total"]


def _story_hits(engine: Engine) -> list[dict]:
    return [h for h in engine.search(SearchRequest(q="", size=50))["hits"] if h["title"] == STORY]


@pytest.mark.parametrize("order", ["page first", "e-paper first", "one import"])
def test_page_dump_and_epaper_page_make_one_article(tmp_path, order) -> None:
    idx = tmp_path / "idx"
    if order == "page first":
        _import(idx, SAMPLE)
        summary = _import(idx, EPAPER_SAMPLE)
        assert (summary.added, summary.merged) == (0, 1)
    elif order == "e-paper first":
        _import(idx, EPAPER_SAMPLE)
        summary = _import(idx, SAMPLE)
        assert (summary.added, summary.merged) == (5, 1)
    else:
        summary = _import(idx, SAMPLE, EPAPER_SAMPLE)
        assert (summary.added, summary.merged) == (6, 1)
    engine = Engine(str(idx))
    assert _total(engine) == 6
    assert _total(engine, '"产业工人队伍建设改革"') == 1
    [hit] = _story_hits(engine)
    # the first copy stored keeps its id: links already given out stay good
    assert hit["id"] == (EPAPER_ID if order == "e-paper first" else PAGE_ID)
    art = engine.get(hit["id"])
    assert art["kicker"] == "奋进新征程 建功新时代·我为职工办实事"
    assert art["reporters"] == ["刘欣欣"] and art["page"] == "1"
    assert ONLY_IN_PAGE_DUMP in art["body"]  # the whole text, not the e-paper excerpt
    issue = engine.issue("2022-09-30")
    assert issue["articles"] == 6
    first = issue["pages"][0]
    assert (first["number"], first["name"]) == ("1", "要闻")
    assert [a["title"] for a in first["articles"]] == [STORY]
    listed = [a["title"] for p in issue["pages"] for a in p["articles"]]
    assert listed.count(STORY) == 1
    others = related(engine.state(), hit["id"], 10)
    assert STORY not in [a["title"] for a in others]


def test_reimporting_either_source_changes_nothing(tmp_path) -> None:
    idx = tmp_path / "idx"
    _import(idx, SAMPLE, EPAPER_SAMPLE)
    for paths in ([SAMPLE], [EPAPER_SAMPLE], [EPAPER_SAMPLE, SAMPLE]):
        s = _import(idx, *paths)
        assert (s.added, s.updated, s.merged, s.rejected) == (0, 0, 0, [])
        assert s.unchanged == sum(6 if p == SAMPLE else 1 for p in paths)
    assert _total(Engine(str(idx))) == 6


def test_unmerge_restores_both_and_later_imports_keep_them_apart(tmp_path) -> None:
    idx = tmp_path / "idx"
    _import(idx, SAMPLE, EPAPER_SAMPLE)
    r = unionsearch("unmerge", "--list", "--index-dir", str(idx))
    assert r.returncode == 0 and f"{PAGE_ID}  ← {PAGE_ID}, {EPAPER_ID}" in r.stdout
    r = unionsearch("unmerge", PAGE_ID, "--index-dir", str(idx))
    assert r.returncode == 0, r.stderr
    assert "2 articles" in r.stdout and EPAPER_ID in r.stdout
    engine = Engine(str(idx))
    assert _total(engine) == 7
    page_copy, epaper_copy = engine.get(PAGE_ID), engine.get(EPAPER_ID)
    assert page_copy["page"] is None and ONLY_IN_PAGE_DUMP in page_copy["body"]
    assert epaper_copy["page"] == "1" and ONLY_IN_PAGE_DUMP not in epaper_copy["body"]
    s = _import(idx, SAMPLE, EPAPER_SAMPLE)
    assert (s.added, s.updated, s.unchanged, s.merged) == (0, 0, 7, 0)
    s = import_items(str(idx), read([str(SAMPLE), str(EPAPER_SAMPLE)]), rebuild=True)
    assert (s.added, s.merged) == (7, 0)
    assert _total(Engine(str(idx))) == 7
    r = unionsearch("unmerge", PAGE_ID, "--index-dir", str(idx))
    assert r.returncode == 1 and "not a merged article" in r.stderr


def test_a_changed_source_remakes_the_merged_article(tmp_path) -> None:
    idx = tmp_path / "idx"
    _import(idx, SAMPLE, EPAPER_SAMPLE)
    [item] = list(read([str(EPAPER_SAMPLE)]))
    item.article.url = "https://epaper.example.org/2022-09/30/node_1.htm"
    s = import_items(str(idx), [item])
    assert (s.added, s.updated, s.merged) == (0, 1, 0)
    engine = Engine(str(idx))
    assert _total(engine) == 6
    art = engine.get(PAGE_ID)
    assert art["url"] == item.article.url and ONLY_IN_PAGE_DUMP in art["body"]
    s = import_items(str(idx), [item])
    assert (s.unchanged, s.updated) == (1, 0)


def test_a_deleted_merged_article_comes_back_merged_on_reimport(tmp_path) -> None:
    idx = tmp_path / "idx"
    _import(idx, SAMPLE, EPAPER_SAMPLE)
    assert delete_ids(str(idx), [PAGE_ID]) == ([PAGE_ID], [])
    assert merges.merged_articles(str(idx)) == {}
    s = _import(idx, SAMPLE, EPAPER_SAMPLE)
    assert (s.added, s.merged) == (1, 1)
    assert len(_story_hits(Engine(str(idx)))) == 1


def test_dry_run_says_which_article_would_merge(tmp_path) -> None:
    idx = tmp_path / "idx"
    _import(idx, SAMPLE)
    r = unionsearch("index", str(EPAPER_SAMPLE), "--dry-run", "--index-dir", str(idx))
    assert r.returncode == 0, r.stderr
    assert f"would merge with {PAGE_ID} (same title, similarity 0.9" in r.stdout
    r = unionsearch("index", str(SAMPLE), str(EPAPER_SAMPLE), "--dry-run", "--json",
                    "--index-dir", str(tmp_path / "none"))
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert [rec["merge"]["with"] for rec in records if rec["merge"]] == [PAGE_ID]
    assert records[-1]["merge"]["reason"] == "same title"
    assert not (tmp_path / "none").exists()
    r = unionsearch("index", str(EPAPER_SAMPLE), "--index-dir", str(idx))
    assert "1 merged" in r.stdout and f"{EPAPER_ID} merged with {PAGE_ID}" in r.stderr


# -- different stories stay apart ----------------------------------------------------------

def _corpus_day(*dates: str) -> list[Article]:
    return [it.article for it in read([str(CORPUS)]) if isinstance(it, Loaded)
            and it.article.date in dates]


def test_corpus_articles_sharing_a_title_pattern_are_never_merged(tmp_path) -> None:
    # 1998-01-14: two 江泽民会见美国客人, several 图片新闻; 01-18: six
    # "…先进模范近如何⑵（附图片１张）" of different people; 01-19: 沪市/深市 tables
    arts = _corpus_day("1998-01-14", "1998-01-18", "1998-01-19")
    by_title: dict[tuple[str, str], list[Article]] = defaultdict(list)
    for art in arts:
        by_title[(art.date, art.title)].append(art)
    assert len(by_title[("1998-01-14", "江泽民会见美国客人")]) == 2
    alike = [a for a in arts if "先进模范近如何" in a.title]
    assert len(alike) == 6
    assert all(same_story(a, b) is None for i, a in enumerate(alike) for b in alike[i + 1:])
    s = import_items(str(tmp_path / "idx"), [Loaded(a, "corpus") for a in arts])
    assert (s.added, s.merged) == (len(arts), 0)


def test_a_second_export_of_a_corpus_article_merges_but_not_on_another_day(tmp_path) -> None:
    arts = _corpus_day("1998-01-14")
    art = max(arts, key=lambda a: len(a.body))
    # another source's record of it: its own id, half-width punctuation, spaces, a byline
    copy = Article(title=art.title.replace("，", ","), id="cms-1",
                   body=art.body.replace("，", ", ").replace("。", ". "),
                   date=art.date, reporters=["本报记者"], page=f"第{int(art.page):02d}版",
                   url="https://cms.example.org/1")
    other_day = Article(title=art.title, body=art.body, date="1998-01-15", id="cms-2")
    idx = tmp_path / "idx"
    import_items(str(idx), [Loaded(a, "corpus") for a in arts])
    s = import_items(str(idx), [Loaded(copy, "cms"), Loaded(other_day, "cms")])
    assert (s.added, s.merged) == (1, 1)
    engine = Engine(str(idx))
    assert _total(engine) == len(arts) + 1
    merged = engine.get(art.stable_id())
    assert merged["reporters"] == ["本报记者"] and merged["url"] == copy.url
    assert str(merged["page"]) == str(art.page) and merged["body"] == art.body
    assert engine.get("cms-2")["date"] == "1998-01-15"


def test_the_guards_of_one_story() -> None:
    body = "本报讯 全市职工技能大赛昨日闭幕，三百名选手在十二个工种中角逐，产生了一批技术能手。" * 3
    base = Article(title="职工技能大赛闭幕", body=body, date="2022-09-30", page="2")
    same = Article(title="职工技能大赛闭幕", body=body, date="2022-09-30", page="第02版")
    assert same_story(base, same) is not None
    assert same_story(base, Article(title=base.title, body=body, date="2022-09-30",
                                    page="3")) is None  # two printed items
    assert same_story(base, Article(title="图片新闻", body=body, date="2022-09-30")) is None
    short = Article(title="图片新闻", body="劳动者风采。", date="2022-09-30")
    assert same_story(short, Article(title="图片新闻", body="劳动者风采", date="2022-09-30"))
    assert same_story(short, Article(title="图片新闻", body="劳动者之歌。",
                                     date="2022-09-30")) is None
    empty = Article(title="图片新闻", body="", date="2022-09-30")
    assert same_story(empty, Article(title="图片新闻", body="", date="2022-09-30")) is None
    glued = Article(title="全市职工技能大赛 职工技能大赛闭幕", body=body[:60], date="2022-09-30")
    assert same_story(base, glued).reason == "title within headline"


def test_an_import_stopped_before_its_merge_is_merged_by_the_next(tmp_path, monkeypatch) -> None:
    idx = tmp_path / "idx"

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(merges.Merger, "settle", stop)
        with pytest.raises(KeyboardInterrupt):
            _import(idx, SAMPLE, EPAPER_SAMPLE)
    assert _total(Engine(str(idx))) == 7  # both copies committed, the day left pending
    s = _import(idx, SAMPLE)  # all unchanged: the pending day is compared all the same
    assert (s.unchanged, s.merged) == (6, 1)
    assert _total(Engine(str(idx))) == 6


def test_a_backup_keeps_what_a_merge_is_made_of(tmp_path) -> None:
    idx, bk, back = tmp_path / "idx", tmp_path / "bk", tmp_path / "back"
    _import(idx, SAMPLE, EPAPER_SAMPLE)
    assert unionsearch("backup", str(bk), "--index-dir", str(idx)).returncode == 0
    r = unionsearch("restore", str(bk), "--index-dir", str(back))
    assert r.returncode == 0, r.stderr
    assert unionsearch("unmerge", PAGE_ID, "--index-dir", str(back)).returncode == 0
    assert _total(Engine(str(back))) == 7 and _total(Engine(str(idx))) == 6


def test_the_issue_page_lists_the_story_once_and_an_old_link_leads_to_it(tmp_path) -> None:
    idx = tmp_path / "idx"
    _import(idx, EPAPER_SAMPLE)  # served, linked to, then the page dump arrives
    _import(idx, SAMPLE)
    with Server(str(idx)) as srv:
        status, _, body = http_get(srv.base, "/issues/2022-09-30")
        page = body.decode("utf-8")
        assert status == 200 and page.count(STORY) == 1
        assert "第1版" in page and "要闻" in page
        status, headers, _ = http_get(srv.base, f"/articles/{PAGE_ID}?q=%E4%BA%A7%E6%94%B9")
        assert status == 301 and headers["Location"].endswith(f"/articles/{EPAPER_ID}?q=%E4%BA%A7%E6%94%B9")
        status, _, body = http_get(srv.base, f"/articles/{EPAPER_ID}")
        assert status == 200 and ONLY_IN_PAGE_DUMP in body.decode("utf-8")
        status, _, _ = http_get(srv.base, "/articles/no-such-article")
        assert status == 404
        # The API answers the old id the same way: a redirect to the article kept.
        for tail in ("", "/related"):
            status, headers, _ = http_get(srv.base, f"/api/articles/{PAGE_ID}{tail}")
            assert status == 301 and headers["Location"].endswith(f"/api/articles/{EPAPER_ID}{tail}")
            status, _, body = http_get(srv.base, f"/api/articles/{EPAPER_ID}{tail}")
            assert status == 200 and json.loads(body)["id"] == EPAPER_ID
            status, _, body = http_get(srv.base, f"/api/articles/no-such-article{tail}")
            assert status == 404 and "no-such-article" in json.loads(body)["error"]
        status, _, body = http_get(srv.base, f"/api/articles/{EPAPER_ID}")
        assert ONLY_IN_PAGE_DUMP in json.loads(body)["body"]


def test_a_changed_source_whose_import_stopped_is_remade_by_the_next(tmp_path, monkeypatch):
    idx = tmp_path / "idx"
    _import(idx, SAMPLE, EPAPER_SAMPLE)
    [item] = list(read([str(EPAPER_SAMPLE)]))
    item.article.url = "https://epaper.example.org/2022-09/30/node_1.htm"

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(merges.Merger, "settle", stop)
        with pytest.raises(KeyboardInterrupt):
            import_items(str(idx), [item])
    assert Engine(str(idx)).get(PAGE_ID)["url"] is None
    s = import_items(str(idx), [item])
    assert (s.updated, s.unchanged) == (1, 0)
    art = Engine(str(idx)).get(PAGE_ID)
    assert art["url"] == item.article.url and art["page"] == "1"
    assert _total(Engine(str(idx))) == 6
