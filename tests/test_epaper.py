"""Founder (方正) e-paper pages: every field, no chrome, encodings, and pages with no article.

Pages come from tests/epapergen.py (real corpus articles in six templates) and the shared
sample; a few go through a real import and ``unionsearch search --json``.
"""

import codecs
import json

import pytest

from indexer.readers import read
from indexer.readers.epaper import (
    date_from_path,
    enpproperty,
    looks_like_epaper,
    names_from_author,
    page_from_path,
    page_in,
)
from indexer.readers.html import read_html
from indexer.readers.htmlenc import sniff
from indexer.records import Loaded, Rejection
from tests.epapergen import TEMPLATES, empty_page, generate, nav_page
from tests.helpers import EPAPER_SAMPLE, unionsearch

SAMPLE = EPAPER_SAMPLE


def one(path, **kw):
    items = list(read_html(str(path), **kw))
    assert len(items) == 1, items
    return items[0]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return generate(60, tmp_path_factory.mktemp("epaper"), seed=11)


def test_the_shared_sample_reads_whole_and_without_chrome():
    art = one(SAMPLE).article
    assert art.title == "北京市产业工人队伍建设改革推进会暨朝阳区产改博览会举办"
    assert art.kicker == "奋进新征程 建功新时代·我为职工办实事" and art.subtitle == ""
    assert (art.reporters, art.date, art.page) == (["刘欣欣"], "2022-09-30", "1")
    assert art.body.startswith("本报讯（记者 刘欣欣）9月29日") and art.body.endswith("12月31日。")
    for chrome in ("数字报", "版权所有", "分享到", "紫砂鉴赏", "VR图片展唱响", "综合新闻"):
        assert chrome not in art.body + art.title + art.kicker


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_field_of_each_template(pages, template):
    mine = [(p, t) for p, t in pages if t.template == template]
    assert len(mine) == 10
    for path, truth in mine:
        art = one(path).article
        got = (art.title, art.kicker, art.subtitle, art.date, art.page, art.body)
        assert got == (truth.title, truth.kicker, truth.subtitle, truth.date, truth.page,
                       truth.body), path
        if truth.reporters:  # reporter-less corpus rows may still carry a dateline byline
            assert art.reporters == truth.reporters, path
        text = "\n".join((art.kicker, art.title, art.subtitle, art.body))
        want = "\n".join((truth.kicker, truth.title, truth.subtitle, truth.body))
        assert [c for c in truth.chrome if c in text and c not in want] == [], path


def test_templates_are_told_apart_by_content_not_name(pages):
    for path, _ in pages:
        with open(path, "rb") as fh:
            data = fh.read()
        assert looks_like_epaper(data.decode(sniff(data)))
    assert not looks_like_epaper("<html><body><article><h1>标题</h1><p>正文</p></article>")


def test_pages_with_no_article_are_rejected_as_such(tmp_path):
    for name, data in (("node_1.htm", nav_page()), ("content_9.htm", empty_page())):
        path = tmp_path / "2022-09" / "30" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        item = one(path)
        assert isinstance(item, Rejection) and "no article" in item.reason, item
    generic = tmp_path / "2022-09-30-index.html"
    generic.write_text("<html><title>首页</title><body><ul><li><a href='a'>一条</a></li>"
                       "<li><a href='b'>两条</a></li></ul><p>版权所有 某报社</p></body></html>",
                       encoding="utf-8")
    item = one(generic)
    assert isinstance(item, Rejection) and "no article" in item.reason


def test_metadata_comment_is_preferred_to_what_is_visible(tmp_path):
    page = tmp_path / "a.htm"
    page.write_text(
        "<html><body><!--enpproperty <date>2021-05-04 00:00:00:0</date><author>本报记者 张三 李四"
        "</author><title>元数据&amp;标题</title><subtitle></subtitle><introtitle></introtitle>"
        "<nodename>第05版：工会新闻</nodename>/enpproperty--><h3>页面引题</h3><h1>页面标题</h1>"
        "<div id='ozoom'><!--enpcontent--><p>正文第一段。</p><!--/enpcontent--></div></body></html>",
        encoding="utf-8")
    art = one(page).article
    assert (art.title, art.kicker, art.reporters) == ("元数据&标题", "", ["张三", "李四"])
    assert (art.date, art.page, art.body) == ("2021-05-04", "5", "正文第一段。")


def test_encodings_bom_then_declaration_then_bytes():
    text = "<html><head><meta charset='gb2312'></head><body>朱镕基 王喆</body></html>"
    gbk = text.encode("gb18030")
    assert sniff(gbk) == "gb18030" and "镕" in gbk.decode(sniff(gbk))  # GBK char in a GB2312 page
    assert sniff(codecs.BOM_UTF8 + text.encode("utf-8")) == "utf-8-sig"  # BOM beats <meta>
    declared_wrongly = text.replace("gb2312", "utf-8").encode("gb18030")
    assert sniff(declared_wrongly) == "gb18030"  # a declaration the bytes contradict loses
    http_equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>ok</p>'
    assert sniff(http_equiv) == "gb18030"  # ASCII-only, but the page says GBK
    assert sniff("<p>正文</p>".encode()) == "utf-8"
    assert sniff("<p>正文</p>".encode("gb18030")) == "gb18030"


@pytest.mark.parametrize("author, names", [
    ("本报记者 张三", ["张三"]),
    ("本报记者　王德颖　戴鹏", ["王德颖", "戴鹏"]),
    ("刘振英、张宿堂", ["刘振英", "张宿堂"]),
    ("记者 王小明 通讯员 李大力", ["王小明", "李大力"]),
    ("新华社记者 欧阳明", ["欧阳明"]),
    ("作者：刘欣欣", ["刘欣欣"]),
    ("本报评论员", []),
    ("", []),
])
def test_author_fields_become_names(author, names):
    assert names_from_author(author) == names


@pytest.mark.parametrize("path, page", [
    ("paper/2022-09/30/node_3.htm", "3"),
    ("2022-09/30/nw.D110000renmrb_20220930_1-01.htm", "1"),
    ("html/2022-09/30/03/content_1201.htm", "3"),
    ("html/2022-09/30/content_1201.htm", None),
    ("20220930/A03/1.html", "A3"),
    ("dump/2022-09-30_p03.htm", "3"),
])
def test_page_from_path(path, page):
    assert page_from_path(path) == page


def test_page_and_date_text():
    assert page_in("2022-09-30　第01版：要闻　作者：刘欣欣") == "1"
    assert page_in("《 人民日报 》（ 2022年09月30日   第 03 版）") == "3"
    assert page_in("《光明日报》（ 2022年09月30日 12版）") == "12"
    assert date_from_path("/epaper/html/2022-09/30/content_1.htm") == "2022-09-30"
    assert date_from_path("x/20220930/1.htm") == "2022-09-30"
    meta = enpproperty("<!--enpproperty <title>甲&quot;乙</title><nodename>要闻</nodename>"
                       "/enpproperty-->")
    assert meta == {"title": '甲"乙', "nodename": "要闻"}


def test_auto_and_forced_html_format_both_pick_the_epaper_reader(tmp_path):
    path = tmp_path / "page.dat"
    path.write_bytes(SAMPLE.read_bytes())
    (item,) = list(read([str(path)], fmt="html"))
    assert isinstance(item, Loaded) and item.article.kicker.startswith("奋进新征程")
    (item,) = list(read([str(SAMPLE)]))
    assert item.article.page == "1"


def test_import_and_search_through_the_command_line(tmp_path, pages):
    picked = {}
    for path, truth in pages:
        if truth.template not in picked and truth.kicker and truth.reporters:
            picked[truth.template] = (path, truth)
    idx = str(tmp_path / "idx")
    r = unionsearch("index", *(p for p, _ in picked.values()), "--index-dir", idx)
    assert r.returncode == 0, r.stderr

    def search(q):
        out = unionsearch("search", q, "--json", "--size", "50", "--index-dir", idx)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    assert search("")["total"] == len(picked)
    for path, truth in picked.values():
        hits = [h for h in search(f'"{truth.title}"')["hits"] if h["title"] == truth.title]
        assert hits, path
        hit = hits[0]
        assert (hit["kicker"], hit["subtitle"], hit["reporters"], hit["date"], hit["page"]) == (
            truth.kicker, truth.subtitle, truth.reporters, truth.date, truth.page), path
    for chrome in ("版权所有", "分享到", "数字报", "电子版"):
        assert search(f'"{chrome}"')["total"] == 0, chrome
