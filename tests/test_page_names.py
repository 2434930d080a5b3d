"""版面 names (第3版 · 综合新闻): read from page-dump headers, e-paper metadata and records,
kept per issue, shown on the issue page, in its JSON and on the article page."""

from __future__ import annotations

import json
import shutil

from indexer.readers import read
from indexer.readers.epaper import page_name_of
from indexer.writer import import_items
from search.engine import Engine
from web.app import create_app

from .helpers import EPAPER_SAMPLE

PAGE = """劳动午报　2022年9月30日　星期五
03版：综合新闻

市总工会举办职工技能大赛
本报讯（记者 周美玉）昨天，市总工会举办第十届职工技能大赛决赛，来自全市的二百名选手参加比赛。
大赛设置了电工、焊工等十二个工种，获奖选手将获得相应奖励。

劳模工作室开放日活动启动
本报讯（记者 刘欣欣）近日，全市劳模创新工作室开放日活动启动，市民可以走进工作室参观交流。
"""


def _import(idx, *paths) -> Engine:
    summary = import_items(str(idx), read([str(p) for p in paths]))
    assert summary.added and not summary.rejected, summary.rejected
    return Engine(str(idx))


def test_page_dump_header_names_the_page(tmp_path):
    page = tmp_path / "2022-09-30_03.txt"
    page.write_text(PAGE, encoding="utf-8")
    engine = _import(tmp_path / "idx", page)
    found = engine.issue("2022-09-30")
    assert [(p["page"], p["name"]) for p in found["pages"]] == [("3", "综合新闻")]
    assert len(found["pages"][0]["articles"]) == 2

    client = create_app(index_dir=str(tmp_path / "idx"), TESTING=True).test_client()
    assert "第3版 · 综合新闻" in client.get("/issues/2022-09-30").get_data(as_text=True)
    body = client.get("/api/issues/2022-09-30").get_json()
    assert body["pages"][0]["name"] == "综合新闻"
    art_id = body["pages"][0]["articles"][0]["id"]
    assert "第3版 · 综合新闻" in client.get(f"/articles/{art_id}").get_data(as_text=True)
    # the stored article keeps the number only: the name belongs to the issue's page
    assert client.get(f"/api/articles/{art_id}").get_json()["page"] == "3"


def test_epaper_nodename_and_record_field_name_their_pages(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(EPAPER_SAMPLE, src / "epaper.html")
    rows = [{"id": "r1", "title": "工会新闻", "body": "职工之家建设。", "date": "2022-10-08",
             "page": "5", "page_name": "工会视窗"},
            {"id": "r2", "title": "无名之版", "body": "一篇短讯。", "date": "2022-10-08",
             "page": "6"}]
    (src / "records.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    engine = _import(tmp_path / "idx", src)
    names = {(p["page"], p["name"]) for p in engine.issue("2022-10-08")["pages"]}
    assert names == {("5", "工会视窗"), ("6", "")}
    (epaper,) = [it.article for it in read([str(src / "epaper.html")])]
    assert epaper.page == "1" and epaper.page_name == "要闻"
    pages = engine.issue(epaper.date)["pages"]
    assert [(p["page"], p["name"]) for p in pages] == [("1", "要闻")]


def test_nodename_forms():
    assert page_name_of("第01版：要闻") == "要闻"
    assert page_name_of("03版:综合新闻") == "综合新闻"
    assert page_name_of(" 要闻 ") == "要闻"
    assert page_name_of("第01版") == "" and page_name_of("05") == ""
    assert page_name_of("本版由某某公司协办，欢迎广大读者来稿来电") == ""
