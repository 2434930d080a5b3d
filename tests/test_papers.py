"""Several papers in one archive: imported from their own sources, kept apart everywhere.

Three sources, as an intranet receives them: 劳动午报's CMS export (JSON Lines, imported
with ``--paper ldwb``), 劳动报's CSV (a ``paper`` column) and 劳动报's e-paper page (its
site name, in the page's <title>).  The same headline on the same day is printed by both
papers, by the same reporter: two articles, never merged, each on its own paper's issue
page, in its paper's facet count, export, trend and reporter page.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest

from search.document import Article
from web.app import create_app

from .helpers import EPAPER_SAMPLE, unionsearch, write, write_jsonl

DAY = "2022-09-30"
SAME_TITLE = "北京市产业工人队伍建设改革推进会暨朝阳区产改博览会举办"
EPAPER_ID_WORDS = "朝阳区产业工人队伍建设改革博览会"  # in the e-paper sample's body


def _rows_ldwb() -> list[dict]:
    return [
        {"title": SAME_TITLE, "date": DAY, "reporter": "刘欣欣", "page": "1",
         "body": "本报讯（记者 刘欣欣）午报的报道：推进会在朝阳区举行，工匠精神代代相传。"},
        {"title": "劳模工匠进校园", "date": "2022-09-29", "reporter": "周美玉", "page": "2",
         "body": "劳模工匠走进中学课堂，讲述工匠精神。"},
    ]


def _csv_ldb(path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["title", "body", "date", "reporter", "page", "paper"])
        w.writerow(["职工书屋开到车间", "劳动报讯 职工书屋开到车间，工匠精神的书最受欢迎。", DAY,
                    "刘欣欣", "2", "劳动报"])
        w.writerow(["夜校课程报名火爆", "职工夜校秋季课程开始报名。", "2022-09-28", "王强", "3",
                    "劳动报"])


@pytest.fixture(scope="module")
def two_papers(tmp_path_factory):
    """An index of two papers, each imported from its own sources by the real CLI."""
    folder = tmp_path_factory.mktemp("papers")
    idx = str(folder / "idx")
    jsonl = write_jsonl(folder / "ldwb.jsonl", _rows_ldwb())
    done = unionsearch("index", str(jsonl), "--paper", "ldwb", "--index-dir", idx)
    assert done.returncode == 0, done.stderr
    _csv_ldb(folder / "ldb.csv")
    done = unionsearch("index", str(folder / "ldb.csv"), "--index-dir", idx)
    assert done.returncode == 0, done.stderr
    # the e-paper page prints its site name (劳动报 数字报): it joins the paper the CSV named
    done = unionsearch("index", str(EPAPER_SAMPLE), "--index-dir", idx)
    assert done.returncode == 0, done.stderr
    # 劳动午报's display name comes from the settings file; a column naming the paper by
    # an alias files the same rows under the same key
    config = write(folder / "unionsearch.toml",
                   '[papers.ldwb]\nname = "劳动午报"\naliases = ["《劳动午报》"]\n')
    again = write_jsonl(folder / "again.jsonl",
                        [{**row, "paper": "《劳动午报》"} for row in _rows_ldwb()])
    done = unionsearch("index", str(again), "--config", str(config), "--index-dir", idx)
    assert done.returncode == 0, done.stderr
    assert "0 added, 0 updated, 2 unchanged" in done.stdout  # the key came from the alias
    return idx


@pytest.fixture(scope="module")
def client(two_papers):
    return create_app(index_dir=two_papers).test_client()


def _api(client, **params) -> dict:
    r = client.get("/api/search", query_string=params)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def test_one_headline_in_two_papers_is_two_articles(client):
    body = _api(client, q=f'"{SAME_TITLE}"')
    assert body["total"] == 2
    papers = sorted((h["paper"]["key"], h["paper"]["name"]) for h in body["hits"])
    assert papers == [("ldb", "劳动报"), ("ldwb", "劳动午报")]
    assert len({h["id"] for h in body["hits"]}) == 2
    art = client.get(f"/api/articles/{body['hits'][0]['id']}").get_json()
    assert art["paper"] == body["hits"][0]["paper"]


def test_paper_facet_and_filter(client):
    body = _api(client, q="工匠精神")
    facet = {f["value"]: (f["name"], f["count"]) for f in body["facets"]["paper"]}
    assert facet == {"ldwb": ("劳动午报", 2), "ldb": ("劳动报", 1)}
    only = _api(client, q="工匠精神", paper="ldb")
    assert only["total"] == 1 and only["hits"][0]["paper"]["key"] == "ldb"
    both = client.get("/api/search?q=工匠精神&paper=ldb&paper=LDWB").get_json()
    assert both["total"] == 3
    assert _api(client, q="工匠精神", paper="nosuch")["total"] == 0
    r = client.get("/api/search", query_string={"q": "工匠精神", "paper": "劳动 报"})
    assert r.status_code == 400 and "paper" in r.get_json()["error"]
    page = client.get("/search", query_string={"q": "工匠精神", "paper": "ldb"})
    html = page.get_data(as_text=True)
    assert "报刊：劳动报" in html and 'class="facet facet--paper"' in html
    assert client.get("/search?q=x&paper=%E5%8A%B3").status_code == 400  # a page, not a 500


def test_issue_pages_per_paper(client):
    both = client.get(f"/issues/{DAY}")
    html = both.get_data(as_text=True)
    assert both.status_code == 200
    assert f"/issues/ldwb/{DAY}" in html and f"/issues/ldb/{DAY}" in html
    one = client.get(f"/api/issues/{DAY}?paper=ldwb").get_json()
    assert one["paper"] == {"key": "ldwb", "name": "劳动午报"}
    titles = [a["title"] for p in one["pages"] for a in p["articles"]]
    assert titles == [SAME_TITLE]
    other = client.get(f"/api/issues/{DAY}?paper=ldb").get_json()
    assert sorted(a["title"] for p in other["pages"] for a in p["articles"]) == sorted(
        [SAME_TITLE, "职工书屋开到车间"])
    page = client.get(f"/issues/ldb/{DAY}").get_data(as_text=True)
    assert "劳动报" in page and "职工书屋开到车间" in page and "劳模工匠" not in page
    cal = client.get("/api/issues?paper=ldwb").get_json()
    assert cal["articles"] == 2
    assert client.get("/issues?paper=ldwb").status_code == 200
    assert client.get("/issues?paper=nosuch").status_code == 404
    assert client.get(f"/issues/nosuch/{DAY}").status_code == 404
    assert client.get("/issues/ldwb/not-a-day").status_code == 400


def test_exports_trends_reporters_and_embed_take_the_paper(client):
    rows = list(csv.reader(io.StringIO(
        client.get("/export.csv?q=工匠精神&paper=ldwb").get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(r[5] for r in rows[1:]) == sorted([SAME_TITLE, "劳模工匠进校园"])
    assert rows[0][-1] == "报刊" and {r[-1] for r in rows[1:]} == {"劳动午报"}
    trend = client.get("/api/trends?q=工匠精神&paper=ldb").get_json()
    assert trend["series"][0]["total"] == 1
    def count(paper: str) -> dict:
        listed = client.get(f"/api/reporters?paper={paper}").get_json()["reporters"]
        return {r["name"]: r["count"] for r in listed}
    assert count("ldwb") == {"刘欣欣": 1, "周美玉": 1}
    assert count("ldb")["刘欣欣"] == 2 and "周美玉" not in count("ldb")
    assert "劳动午报" in client.get("/reporters?paper=ldwb").get_data(as_text=True)
    all_of_her = client.get("/reporters/刘欣欣").get_data(as_text=True)
    assert "劳动午报" in all_of_her and "劳动报" in all_of_her  # her papers, to choose
    one = client.get("/reporters/刘欣欣?paper=ldwb").get_data(as_text=True)
    assert "职工书屋开到车间" not in one and SAME_TITLE in one
    assert 'type="application/atom+xml"' in one
    box = client.get("/embed?paper=ldwb").get_data(as_text=True)
    assert 'name="paper" value="ldwb"' in box and "劳动午报" in box
    assert client.get("/embed?paper=nosuch").status_code == 404


def test_since_and_recent_imports(client):
    recent = client.get("/api/recent").get_json()["imports"]
    assert [i["articles"] for i in recent] == [1, 2, 2]  # e-paper, CSV, JSON Lines
    assert recent[0]["papers"] == [{"key": "ldb", "name": "劳动报", "count": 1}]
    since = recent[1]["added"]
    body = _api(client, since=since, size=50)
    assert body["total"] == 3  # the CSV's two and the e-paper page imported after it
    assert _api(client, since="2999-01-01")["total"] == 0
    r = client.get("/api/search?since=yesterday")
    assert r.status_code == 400 and "since" in r.get_json()["error"]
    page = client.get("/recent").get_data(as_text=True)
    assert "最新入库" in page and "劳动报 1 篇" in page


def test_the_same_story_in_two_papers_is_never_merged(tmp_path):
    """Merging at import joins copies of one story from one paper's sources only."""
    idx = tmp_path / "idx"
    rows = [{"title": "同一篇稿件", "date": DAY, "body": "两家报纸刊登了同一篇通稿，内容一字不差。" * 3}]
    for key in ("ldwb", "ldb"):
        path = write_jsonl(tmp_path / f"{key}.jsonl", rows)
        assert unionsearch("index", str(path), "--paper", key, "--index-dir", str(idx)
                           ).returncode == 0
    body = create_app(index_dir=str(idx)).test_client().get("/api/search?q=同一篇稿件").get_json()
    assert sorted(h["paper"]["key"] for h in body["hits"]) == ["ldb", "ldwb"]


# -- one paper: nothing changes --------------------------------------------------------

def test_an_article_without_a_paper_keeps_its_id():
    art = Article(title="标题", body="正文", date=DAY)
    legacy = hashlib.sha1("\x1f".join((DAY, "标题", "正文")).encode("utf-8")).hexdigest()[:16]
    assert art.stable_id() == legacy
    assert Article(title="标题", body="正文", date=DAY, paper="ldwb").stable_id() != legacy


def test_one_unnamed_paper_shows_nothing_new(tmp_path):
    """The e-paper page prints its site name, but no setting declares the paper: the
    archive stays one unnamed paper, with the ids it always had."""
    idx = tmp_path / "idx"
    assert unionsearch("index", str(EPAPER_SAMPLE), "--index-dir", str(idx)).returncode == 0
    client = create_app(index_dir=str(idx)).test_client()
    body = _api(client, q="产改")
    assert "paper" not in body["facets"] and body["hits"][0]["paper"] is None
    html = client.get("/search?q=产改").get_data(as_text=True)
    assert "facet--paper" not in html and "hit__paper" not in html and "报刊：" not in html
    assert "browse__papers" not in client.get("/issues").get_data(as_text=True)
    assert client.get(f"/issues/{DAY}").status_code == 200  # no redirect, no chooser


def test_a_declared_masthead_names_the_paper(tmp_path):
    """With 劳动报 declared in [papers], the e-paper page's site name files it there."""
    config = write(tmp_path / "unionsearch.toml",
                   '[papers.ldb]\nname = "劳动报"\nfiles = ["*/ldb/*"]\n'
                   '[papers.ldwb]\nname = "劳动午报"\n')
    idx = str(tmp_path / "idx")
    done = unionsearch("index", str(EPAPER_SAMPLE), "--config", str(config), "--index-dir", idx)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "ldb"
    folder.mkdir()
    path = write_jsonl(folder / "more.jsonl", [{"title": "文件名定报刊", "date": DAY,
                                                "body": "按文件名归入劳动报。"}])
    done = unionsearch("index", str(path), "--config", str(config), "--index-dir", idx)
    assert done.returncode == 0, done.stderr
    client = create_app(index_dir=idx).test_client()
    hits = _api(client, paper="ldb", size=10)["hits"]
    assert {h["title"] for h in hits} == {SAME_TITLE, "文件名定报刊"}


def test_bad_paper_inputs_are_refused_with_a_reason(tmp_path):
    idx = str(tmp_path / "idx")
    path = write_jsonl(tmp_path / "a.jsonl", [{"title": "t", "date": DAY, "body": "b"}])
    done = unionsearch("index", str(path), "--paper", "劳动午报", "--index-dir", idx)
    assert done.returncode == 2 and "--paper" in done.stderr
    bad = write(tmp_path / "bad.toml", '[papers."not a key"]\nname = "x"\n')
    done = unionsearch("index", str(path), "--config", str(bad), "--index-dir", idx)
    assert done.returncode == 2 and "papers" in done.stderr
    # a paper column with nothing to make a key of: that row rejected, the others kept
    rows = [{"title": "好", "date": DAY, "body": "正文一", "paper": "!!!"},
            {"title": "也好", "date": DAY, "body": "正文二", "paper": "工人日报"}]
    path = write_jsonl(tmp_path / "b.jsonl", rows)
    done = unionsearch("index", str(path), "--index-dir", idx, "--json")
    summary = json.loads(done.stdout)
    assert summary["added"] == 1 and len(summary["rejected"]) == 1, summary
    client = create_app(index_dir=idx).test_client()
    assert _api(client, paper="grrb")["hits"][0]["paper"] == {"key": "grrb", "name": "工人日报"}


def _old_index(path, monkeypatch) -> None:
    """An index as written before papers: its table of contents and segments without the
    ``paper`` and ``added`` fields (the schema of then; fields named with a leading
    underscore are never written by Whoosh)."""
    from whoosh import fields

    from indexer.records import Loaded
    from indexer.writer import import_items
    from search import schema as f
    from search.storage import segments, store

    day = store.build_schema()["day"]

    def then() -> fields.Schema:
        return fields.Schema(**{n: fields.STORED() for n in f.STORED},
                             id=fields.ID(stored=True, unique=True),
                             reporter=fields.KEYWORD(commas=True, lowercase=False,
                                                     scorable=False),
                             day=day)

    with monkeypatch.context() as m:
        m.setattr(store, "build_schema", then)
        m.setattr(f, "PAPER", "_paper")
        m.setattr(f, "ADDED", "_added")
        arts = [Article(title="旧报道", body="工匠精神的旧报道。", date="2021-05-01",
                        reporters=["周美玉"]),
                Article(title="另一篇", body="劳模精神。", date="2021-05-02")]
        import_items(str(path), [Loaded(a, "old", f"article {n}") for n, a in enumerate(arts)])
        segments.drop_staging(str(path))
    toc = store.Store.open(str(path)).field_names()
    assert "paper" not in toc and "added" not in toc


def test_an_index_written_before_papers_needs_no_rebuild(tmp_path, monkeypatch):
    idx = tmp_path / "idx"
    _old_index(idx, monkeypatch)
    legacy = hashlib.sha1("\x1f".join(("2021-05-01", "旧报道", "工匠精神的旧报道。"))
                          .encode("utf-8")).hexdigest()[:16]
    client = create_app(index_dir=str(idx)).test_client()
    before = _api(client, q="工匠精神")
    assert [h["id"] for h in before["hits"]] == [legacy] and before["hits"][0]["paper"] is None
    assert client.get("/api/recent").get_json() == {"imports": []}  # no import time then
    # the same article again: unchanged, not a second copy; a new paper's article joins
    rows = [{"title": "旧报道", "date": "2021-05-01", "body": "工匠精神的旧报道。",
             "reporter": "周美玉"}]
    done = unionsearch("index", str(write_jsonl(tmp_path / "again.jsonl", rows)),
                       "--index-dir", str(idx))
    assert "0 added, 0 updated, 1 unchanged" in done.stdout, done.stdout + done.stderr
    new = [{"title": "新报道", "date": "2022-09-30", "body": "工匠精神的新报道。", "paper": "劳动午报"}]
    done = unionsearch("index", str(write_jsonl(tmp_path / "new.jsonl", new)),
                       "--index-dir", str(idx))
    assert done.returncode == 0, done.stderr
    done = unionsearch("optimize", "--index-dir", str(idx))  # old and new segments merged
    assert done.returncode == 0, done.stderr
    client = create_app(index_dir=str(idx)).test_client()
    after = _api(client, q="工匠精神")
    assert {h["id"]: h["paper"] for h in after["hits"]}[legacy] is None
    recent = client.get("/api/recent").get_json()["imports"]
    assert [(i["articles"], [p["key"] for p in i["papers"]]) for i in recent] == [(1, ["ldwb"])], recent
    assert after["facets"]["paper"] == [{"value": "ldwb", "name": "劳动午报", "count": 1}]
    done = unionsearch("check", "--index-dir", str(idx))
    assert done.returncode == 0, done.stdout + done.stderr


def test_each_papers_pages_keep_their_own_names(tmp_path):
    """第1版 of two papers on one day: each keeps its own 版面 name, on its issue and export."""
    rows = [{"title": "甲", "body": "正文甲", "date": DAY, "page": "1", "page_name": "要闻",
             "paper": "ldwb"},
            {"title": "乙", "body": "正文乙", "date": DAY, "page": "1", "page_name": "封面",
             "paper": "ldb"}]
    idx = str(tmp_path / "idx")
    assert unionsearch("index", str(write_jsonl(tmp_path / "a.jsonl", rows)),
                       "--index-dir", idx).returncode == 0
    client = create_app(index_dir=idx).test_client()
    for key, name in (("ldwb", "要闻"), ("ldb", "封面")):
        issue = client.get(f"/api/issues/{DAY}?paper={key}").get_json()
        assert [(p["number"], p["name"]) for p in issue["pages"]] == [("1", name)]
        rows = list(csv.reader(io.StringIO(client.get(f"/export.csv?paper={key}")
                                           .get_data(as_text=True).lstrip("\ufeff"))))
        assert [r[3] for r in rows[1:]] == [name]


def test_a_watched_drop_folder_files_articles_by_the_settings(tmp_path):
    """``unionsearch watch`` imports with the same rules: here a file-name pattern."""
    from indexer.papers import parse_papers
    from indexer.watch import import_file

    folder = tmp_path / "drop" / "zhoukan"
    folder.mkdir(parents=True)
    path = write_jsonl(folder / "w.jsonl", [{"title": "周刊来稿", "date": DAY, "body": "周刊正文。"}])
    setting = parse_papers({"ldzk": {"name": "劳动周刊", "files": ["*/zhoukan/*"]}})
    outcome = import_file(str(tmp_path / "idx"), str(path), papers=setting)
    assert outcome.status == "imported", outcome
    client = create_app(index_dir=str(tmp_path / "idx")).test_client()
    assert _api(client, q="周刊来稿")["hits"][0]["paper"] == {"key": "ldzk", "name": "劳动周刊"}


def test_a_page_dumps_masthead_names_a_declared_paper(tmp_path):
    """``劳动午报  2022年9月30日  星期五  第3版`` above a page dump: its articles are
    劳动午报's once the paper is declared, and of no paper (ids as ever) when not."""
    from .helpers import SAMPLE

    page = write(tmp_path / "p.txt", "劳动午报　2022年9月30日　星期五　第3版\n\n"
                 + SAMPLE.read_text(encoding="utf-8"))
    config = write(tmp_path / "unionsearch.toml", '[papers.ldwb]\nname = "劳动午报"\n')
    dry = unionsearch("index", str(page), "--dry-run", "--config", str(config),
                      "--index-dir", str(tmp_path / "idx"))
    assert "报名 劳动午报" in dry.stdout, dry.stdout
    for idx, extra in (("named", ["--config", str(config)]), ("unnamed", [])):
        done = unionsearch("index", str(page), *extra, "--index-dir", str(tmp_path / idx))
        assert done.returncode == 0, done.stderr
    named = _api(create_app(index_dir=str(tmp_path / "named")).test_client(), size=50)
    unnamed = _api(create_app(index_dir=str(tmp_path / "unnamed")).test_client(), size=50)
    assert named["total"] == unnamed["total"] > 1
    assert {h["paper"]["key"] for h in named["hits"]} == {"ldwb"}
    assert {h["paper"] for h in unnamed["hits"]} == {None}
    # the paper is part of a hashed id: the named page's articles are other articles
    assert not {h["id"] for h in named["hits"]} & {h["id"] for h in unnamed["hits"]}
