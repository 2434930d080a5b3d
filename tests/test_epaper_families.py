"""E-paper pages in template families modelled on real dailies, and each way such pages were
misread: 版面 printed beside the article or only in the file name, bylines sharing an
element with the date line, founder-* metadata, ■ bylines, photo captions under the
headline, empty metadata fields, pages without Founder markers, chrome inside the text.

Families come from tests/epaperfamilies.py (real corpus articles); each small page below is
what a real site prints, cut down to the point it tests.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bench.ingest_epaper import FIELDS, check
from indexer.readers.epaper import page_from_path
from indexer.readers.html import read_html
from indexer.records import Loaded
from tests.epaperfamilies import (
    EIGHTH,
    ELEVENTH,
    FAMILIES,
    FIFTEENTH,
    FIFTH,
    FOURTEENTH,
    FOURTH,
    NINTH,
    SECOND,
    SEVENTEENTH,
    SEVENTH,
    SIXTEENTH,
    SIXTH,
    TENTH,
    THIRD,
    THIRTEENTH,
    TWELFTH,
    generate,
)
from tests.helpers import unionsearch

PER_FAMILY = 12


@pytest.fixture(scope="module")
def family_results(tmp_path_factory):
    """Checks right per family over pages of every family (fixed seed)."""
    families = (FAMILIES + SECOND + THIRD + FOURTH + FIFTH + SIXTH + SEVENTH + EIGHTH
                + NINTH + TENTH + ELEVENTH + TWELFTH + THIRTEENTH + FOURTEENTH + FIFTEENTH
                + SIXTEENTH + SEVENTEENTH)
    made = generate(PER_FAMILY * len(families), tmp_path_factory.mktemp("families"), seed=5,
                    families=families)
    out: dict[str, Counter] = {}
    for path, truth in made:
        ok, leaks, invented, _ = check(path, truth)
        row = out.setdefault(truth.template, Counter())
        row.update(f for f, v in ok.items() if v)
        row["pages"] += 1
        row["leaks"] += len(leaks)
        row["invented"] += invented
    return out


@pytest.mark.parametrize("family", FAMILIES + SECOND + THIRD + FOURTH + FIFTH + SIXTH
                         + SEVENTH + EIGHTH + NINTH + TENTH + ELEVENTH + TWELFTH
                         + THIRTEENTH + FOURTEENTH + FIFTEENTH + SIXTEENTH
                         + SEVENTEENTH)
def test_each_family_reads_at_98_percent_without_chrome_or_invented_subtitles(
        family_results, family):
    row = family_results[family]
    assert row["pages"] == PER_FAMILY
    share = sum(row[f] for f in FIELDS) / (row["pages"] * len(FIELDS))
    assert share >= 0.98, (family, {f: row[f] for f in FIELDS})
    assert row["title"] == row["date"] == row["page"] == PER_FAMILY, family
    assert row["leaks"] == 0 and row["invented"] == 0, family


def read_page(tmp_path, html: str, name: str = "2024-01/05/content_1.htm", encoding="utf-8"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html.encode(encoding))
    items = list(read_html(str(path)))
    assert len(items) == 1 and isinstance(items[0], Loaded), items
    return items[0]


TEXT = "<p>本报讯 全市职工技能大赛今天开幕，来自各行各业的三百多名选手参加比赛。</p>" \
       "<p>大赛设十二个项目，获奖选手将被授予技术能手称号。</p>"
BODY = "本报讯 全市职工技能大赛今天开幕，来自各行各业的三百多名选手参加比赛。\n" \
       "大赛设十二个项目，获奖选手将被授予技术能手称号。"
NAV = "".join(f'<li><a href="node_{n}.htm">第{n:02d}版：版名{n}</a></li>' for n in range(1, 7))


# -- 版面 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("side, page", [
    ('<div class="l_t">第A02版：经济</div>', "A2"),
    ('<div class="xinxi"><span>版次：A04</span><span>日期：2024-01-05</span></div>', "A4"),
    ('<div class="paper-bot"><p class="ban">第02版：要闻</p><p><a href="node_1.htm">上一版</a>'
     '<a href="node_3.htm">下一版</a></p></div>', "2"),
    ('<ul class="catalogue"><li><a href="node_A01.htm">第A01版：要闻</a></li>'
     '<li class="current"><a href="node_A03.htm">第A03版：经济</a></li></ul>', "A3"),
    # 浙江日报's bar pads the number to five digits
    ('<table><tr><td>第00004版：要闻</td><td><a href="#">上一版</a></td>'
     '<td><a href="#">下一版</a></td></tr></table>', "4"),
])
def test_page_printed_anywhere_beside_the_article(tmp_path, side, page):
    art = read_page(tmp_path, f"<html><body><div class='side'>{side}<ul>{NAV}</ul></div>"
                              f"<div class='main'><h1>技能大赛开幕</h1>"
                              f"<div id='ozoom'><founder-content>{TEXT}</founder-content></div>"
                              f"</div></body></html>").article
    assert (art.page, art.title, art.body) == (page, "技能大赛开幕", BODY)


@pytest.mark.parametrize("path, page", [
    ("grrb/2014_01/01/GR0218.htm", "2"),
    ("rmrb/html/2014-01/01/nw.D110000renmrb_20140101_3-07.htm", "7"),
    ("paper/2014-01/01/node_12.htm", "12"),
    ("html/2014-01/01/content_1201.htm", None),
    ("20140101/Articel05002BB.htm", "5"),
    ("2014/20140101/20140101_005/20140101_005_3.htm", "5"),
])
def test_page_from_real_sites_file_names(path, page):
    assert page_from_path(path) == page


def test_page_only_in_the_file_name(tmp_path):
    item = read_page(tmp_path, f"<html><body><h1>技能大赛开幕</h1><div>{TEXT}</div></body></html>",
                     name="grrb/2014_01/05/GR0603.htm")
    assert item.article.page == "6"
    assert "来源：版面 ← 文件名：GR0603.htm" in item.notes


# -- reporters -----------------------------------------------------------------------------

def test_byline_sharing_the_date_line_element(tmp_path):
    art = read_page(tmp_path, "<html><body><div class='article'><h1>技能大赛开幕</h1>"
                              "<p class='sec'>本报记者 张晓东 李明 《 人民日报 》（ 2024年01月05日 "
                              f"第 07 版）</p><div id='ozoom'>{TEXT}</div></div></body></html>"
                    ).article
    assert (art.reporters, art.page, art.date) == (["张晓东", "李明"], "7", "2024-01-05")
    assert art.subtitle == "" and art.body == BODY


def test_founder_author_in_the_metadata_comment(tmp_path):
    art = read_page(tmp_path, "<html><body><!--enpproperty <author></author><founder-author>"
                              "本报记者 王海燕</founder-author><founder-title>技能大赛开幕"
                              "</founder-title><founder-date>2024-01-05</founder-date>"
                              "/enpproperty--><h1>技能大赛开幕</h1>"
                              f"<div id='ozoom'>{TEXT}</div></body></html>").article
    assert (art.reporters, art.title, art.date) == (["王海燕"], "技能大赛开幕", "2024-01-05")


def test_a_visible_byline_naming_more_than_the_comment_is_taken_whole(tmp_path):
    """The comment names the 记者; the line above the text adds the 通讯员: both are the
    article's reporters."""
    art = read_page(tmp_path, "<html><body><!--enpproperty <founder-author>王海燕"
                              "</founder-author><founder-title>技能大赛开幕</founder-title>"
                              "<founder-date>2024-01-05</founder-date>/enpproperty-->"
                              "<div class='title'>技能大赛开幕</div><div class='author'>□本报记者 "
                              "王海燕　通讯员 林海燕</div>"
                              f"<div id='ozoom'><founder-content>{TEXT}</founder-content></div>"
                              "</body></html>").article
    assert art.reporters == ["王海燕", "林海燕"] and art.body == BODY


def test_an_info_line_with_the_editor_and_a_breadcrumb_page(tmp_path):
    """No metadata: the title in a .dbt cell, '时间：… | 记者：… | 编辑：…' (the editor is no
    reporter), the 版面 only in the breadcrumb, a masthead bar with 往期回顾 above it all."""
    art = read_page(tmp_path, "<html><head><title>重庆日报</title></head><body>"
                              "<div class='top'>重庆日报 2024年01月05日 星期五 <a href='#'>往期回顾"
                              "</a></div><div class='warps100 sz'>当前位置：首页 &gt; 重庆日报 &gt; "
                              "第003版：要闻</div><div class='content_left'><div class='dbt'>"
                              "技能大赛开幕</div><div class='edit'>时间：2024-01-05 | 记者：王海燕 "
                              "通讯员：林海燕 | 编辑：张立新</div><div class='from'>来源：重庆日报"
                              f"</div><div class='contents'>{TEXT}</div></div></body></html>",
                    name="2024-01/05/content_7.htm").article
    assert (art.title, art.kicker, art.subtitle) == ("技能大赛开幕", "", "")
    assert (art.reporters, art.page, art.date) == (["王海燕", "林海燕"], "3", "2024-01-05")
    assert art.body == BODY


def test_a_page_bar_without_di_is_never_the_kicker(tmp_path):
    """A02版：综合新闻 in a bar above the headings is the 版面, not a 引题."""
    art = read_page(tmp_path, "<html><head><title>技能大赛开幕</title></head><body>"
                              "<div class='bmname'>A02版：综合新闻</div><!--enpproperty "
                              "<founder-title>技能大赛开幕</founder-title><founder-introtitle>"
                              "</founder-introtitle><founder-date>2024-01-05</founder-date>"
                              "/enpproperty--><div class='title'>技能大赛开幕</div>"
                              f"<div id='ozoom'><founder-content>{TEXT}</founder-content></div>"
                              "</body></html>").article
    assert (art.kicker, art.title, art.page) == ("", "技能大赛开幕", "A2")


@pytest.mark.parametrize("byline, names", [
    ("■本报记者 张晓东", ["张晓东"]),
    ("■新华社记者 李明 王芳", ["李明", "王芳"]),
    ("■本报记者　周海涛　通讯员 林海燕", ["周海涛", "林海燕"]),
])
def test_square_bullet_bylines_are_reporters_not_text(tmp_path, byline, names):
    art = read_page(tmp_path, "<html><body><div class='newsdetatit'><h3>技能大赛开幕</h3></div>"
                              f"<founder-content><p>{byline}</p>{TEXT}</founder-content>"
                              "</body></html>").article
    assert art.reporters == names and art.body == BODY


# -- captions, kickers and subtitles -------------------------------------------------------

@pytest.mark.parametrize("caption", ["资料图片 新华社记者 孙晓光摄",
                                     "图为选手在比赛现场。（周海涛摄）"])
def test_a_photo_caption_under_the_headline_is_text_never_a_subtitle(tmp_path, caption):
    for subtitle in ("", "——全市职工技能大赛侧记"):
        sub = f"<h2>{subtitle}</h2>" if subtitle else ""
        art = read_page(tmp_path, "<html><body><div class='text_c'><h3>新春走基层</h3>"
                                  f"<h1>技能大赛开幕</h1>{sub}<div class='pic'><img src='a.jpg'>"
                                  f"<p>{caption}</p></div><div id='ozoom'>{TEXT}</div>"
                                  "</div></body></html>").article
        assert (art.kicker, art.title, art.subtitle) == ("新春走基层", "技能大赛开幕", subtitle)
        assert art.body == caption + "\n" + BODY and art.reporters == []


def test_visible_kicker_and_subtitle_when_the_comment_leaves_them_empty(tmp_path):
    page = ("<html><body><!--enpproperty <title>技能大赛开幕</title><introtitle></introtitle>"
            "<subtitle></subtitle><author></author>/enpproperty--><h3>新春走基层</h3>"
            "<h1>技能大赛开幕</h1><h2>——全市职工技能大赛侧记</h2>"
            f"<div id='ozoom'><!--enpcontent-->{TEXT}<!--/enpcontent--></div></body></html>")
    item = read_page(tmp_path, page)
    art = item.article
    assert (art.kicker, art.title, art.subtitle) == ("新春走基层", "技能大赛开幕",
                                                     "——全市职工技能大赛侧记")
    assert any(n.startswith("来源：副题 ← 可见标题") for n in item.notes), item.notes


# -- pages with no Founder markers, chrome ------------------------------------------------

def test_an_old_page_without_founder_markers_is_read_by_its_content(tmp_path):
    page = ('<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=GB2312">'
            "<TITLE>劳动报</TITLE></HEAD><BODY>"
            "<CENTER><FONT SIZE=6><B>劳动报</B></FONT></CENTER>"
            "<CENTER><FONT SIZE=2>2024年1月5日 星期五　第3版</FONT></CENTER><HR>"
            "<CENTER><FONT SIZE=3>新春走基层</FONT></CENTER>"
            "<CENTER><FONT SIZE=5><B>技能大赛开幕</B></FONT></CENTER>"
            "<CENTER><FONT SIZE=3>——全市职工技能大赛侧记</FONT></CENTER>"
            "<CENTER><FONT SIZE=2>本报记者 张晓东</FONT></CENTER>"
            + TEXT.replace("<p>", "<P>").replace("</p>", "</P>")
            + "<HR><CENTER>版权所有 劳动报社</CENTER></BODY></HTML>")
    art = read_page(tmp_path, page, name="ldb/20240105/0305001.HTM", encoding="gb18030").article
    assert (art.kicker, art.title, art.subtitle) == ("新春走基层", "技能大赛开幕",
                                                     "——全市职工技能大赛侧记")
    assert (art.reporters, art.date, art.page, art.body) == (["张晓东"], "2024-01-05", "3", BODY)


def test_back_issues_link_inside_the_text_cell_is_chrome(tmp_path):
    page = ("<html><body><table><tr><td class='font01'>技能大赛开幕</td></tr><tr><td>"
            + BODY.replace("\n", "<br>")
            + "<br><br>往期回顾　<a href='Period.htm'>进入</a></td></tr></table></body></html>")
    art = read_page(tmp_path, page, name="20240105/Articel03001BB.htm").article
    assert art.body == BODY and art.page == "3" and art.title == "技能大赛开幕"


def test_dry_run_says_where_each_field_came_from(tmp_path):
    page = tmp_path / "grrb" / "2024_01" / "05" / "GR0603.htm"
    page.parent.mkdir(parents=True)
    page.write_text("<html><body><!--enpproperty <title>技能大赛开幕</title><introtitle>"
                    "</introtitle><author></author>/enpproperty--><h3>新春走基层</h3>"
                    "<h1>技能大赛开幕</h1><p class='sec'>本报记者 张晓东 《 工人日报 》（ 2024年01月"
                    f"05日 ）</p><div id='ozoom'>{TEXT}</div></body></html>", encoding="utf-8")
    r = unionsearch("index", str(page), "--dry-run", "--index-dir", str(tmp_path / "idx"))
    assert r.returncode == 0, r.stderr
    for line in ("来源  标题 ← 元数据注释 <title>", "来源  引题 ← 可见标题（标题之上）",
                 "来源  记者 ← 信息行里的署名", "来源  版面 ← 文件名：GR0603.htm",
                 "来源  正文 ← div#ozoom"):
        assert line in r.stdout, r.stdout
    r = unionsearch("index", str(page), "--dry-run", "--json", "--index-dir",
                    str(tmp_path / "idx"))
    record = json.loads(r.stdout.splitlines()[0])
    assert "版面 ← 文件名：GR0603.htm" in record["sources"] and record["joined"] == []


def test_a_source_label_and_a_book_title_are_told_apart(tmp_path):
    page = ("<html><head><title>技能大赛开幕--大河报</title></head><body><table>"
            "<tr><td align=center><b>《技能成才》</b></td></tr>"
            "<tr><td width=160 align=left>《大河报》：</td></tr></table>"
            f"<!--enpcontent-->{TEXT}<!--/enpcontent--></body></html>")
    art = read_page(tmp_path, page).article
    assert (art.title, art.subtitle, art.body) == ("《技能成才》", "", BODY)


def test_page_from_a_table_of_pages_by_the_metadata_nodename(tmp_path):
    rows = "".join(f"<tr><td>第{n:02d}版</td><td><a href='node_{n}.htm'>版名{n}</a></td></tr>"
                   for n in range(1, 9))
    page = ("<html><body><div id='bmdh'><table>" + rows + "</table></div>"
            "<!--enpproperty <title>技能大赛开幕</title><nodename>版名4</nodename>"
            f"/enpproperty--><div id='ozoom'><founder-content>{TEXT}</founder-content></div>"
            "</body></html>")
    art = read_page(tmp_path, page).article
    assert art.page == "4" and art.body == BODY


def test_css_print_weight_picks_the_title_over_the_kicker(tmp_path):
    page = ("<html><body><div class='r'><div style='font-size:14px'>新春走基层</div>"
            "<div style='font-size:26px;font-weight:bold'>技能大赛开幕</div>"
            f"<div class='txt'><!--enpcontent-->{TEXT}<!--/enpcontent--></div></div></body></html>")
    art = read_page(tmp_path, page).article
    assert (art.kicker, art.title, art.subtitle) == ("新春走基层", "技能大赛开幕", "")


def test_back_issues_form_after_the_text_is_chrome_however_long(tmp_path):
    page = ("<html><body><h1>技能大赛开幕</h1><div id='ozoom'>" + TEXT
            + "<p>往期回顾：请选择日期查看本报往期全部版面和文章</p><form>日期 <select>"
            "<option>2024-01-04</option></select><input type=submit value=查询></form>"
            "</div></body></html>")
    art = read_page(tmp_path, page).article
    assert art.body == BODY and "往期" not in art.body


@pytest.mark.parametrize("pages, page", [
    # every entry's text wrapped inside its link: a list, not the page's own 版面
    ("".join(f"<li><a href='node_{n}.htm'><span>第{n:02d}版</span></a></li>" for n in range(1, 7)),
     None),
    # the current entry is the one in bold
    ("".join(f"<li><a href='node_{n}.htm'>" + (f"<b>第{n:02d}版</b>" if n == 4 else f"第{n:02d}版")
             + "</a></li>" for n in range(1, 7)), "4"),
    # the current entry is the one that is not a link
    ("".join(f"<li><a href='node_{n}.htm'>第{n:02d}版</a></li>" if n != 5 else "<li>第05版</li>"
             for n in range(1, 7)), "5"),
])
def test_page_list_entries(tmp_path, pages, page):
    art = read_page(tmp_path, f"<html><body><ul class='pages'>{pages}</ul><h1>技能大赛开幕</h1>"
                              f"<div id='ozoom'>{TEXT}</div></body></html>").article
    assert art.page == page and art.body == BODY


def test_square_bullet_byline_above_the_text_without_a_space(tmp_path):
    art = read_page(tmp_path, "<html><body><h3>新春走基层</h3><h1>技能大赛开幕</h1>"
                              "<p>■本报记者张晓东</p>"
                              f"<div id='ozoom'>{TEXT}</div></body></html>").article
    assert (art.kicker, art.subtitle, art.reporters, art.body) == ("新春走基层", "", ["张晓东"],
                                                                   BODY)


def test_a_credit_paragraph_opening_the_text_is_the_byline_when_the_page_has_none(tmp_path):
    """新华每日电讯 prints 本报记者 张三 as the first paragraph of the text, with no author
    element: that paragraph is the byline; a second credit line under it is the story's."""
    art = read_page(tmp_path, "<html><body><div id='contenttext'><table><tr><td><div>"
                              "<strong><font>技能大赛开幕</font></strong></div></td></tr></table>"
                              f"<div><P>本报记者 张晓东</P><P>本报记者张晓东</P>{TEXT}</div>"
                              "</div></body></html>", name="content/20240105/Articel03004BB.htm"
                    ).article
    assert (art.title, art.reporters, art.page) == ("技能大赛开幕", ["张晓东"], "3")
    assert art.body == "本报记者张晓东\n" + BODY


def test_a_credit_paragraph_stays_text_when_the_page_prints_a_byline(tmp_path):
    art = read_page(tmp_path, "<html><body><h1>技能大赛开幕</h1><div class='author'>"
                              "本报记者 李明</div><div id='ozoom'><p>本报记者 张晓东</p>"
                              f"{TEXT}</div></body></html>").article
    assert art.reporters == ["李明"]
    assert art.body == "本报记者 张晓东\n" + BODY


# -- pages of 北京日报, 北京商报 and 团结报 (each misread at first sight) ----------------------

def test_the_current_page_as_a_link_standing_apart_from_the_page_list(tmp_path):
    # 北京日报: the page bar links to its own 版面 (an icon before the text) above the list
    art = read_page(tmp_path, "<html><body><div class='left'><a class='fm fl' href='node_4.htm'>"
                              "<i class='ico'></i>第04版：国际新闻</a>"
                              f"<div class='bmlist'><ul>{NAV}</ul></div></div>"
                              "<div class='article'><h1>技能大赛开幕</h1>"
                              f"<div class='text'>{TEXT}</div></div></body></html>").article
    assert (art.page, art.title, art.body) == ("4", "技能大赛开幕", BODY)


def test_page_links_each_alone_in_a_wrapper_are_still_a_list(tmp_path):
    slides = "".join(f"<div class='slide'><a href='node_{n:02d}.html'>{n:02d}版：版名{n}</a></div>"
                     for n in range(1, 7))
    art = read_page(tmp_path, f"<html><body><div class='pages'>{slides}</div>"
                              f"<h1>技能大赛开幕</h1><div id='ozoom'>{TEXT}</div></body></html>",
                    name="2024-01/05/content_1.htm").article
    assert art.page is None and art.body == BODY


def test_the_selected_option_of_a_page_select_is_the_page(tmp_path):
    options = "".join(f"<option value='l{n:02d}.html'{' selected' if n == 3 else ''}>"
                      f"{n:02d}版：版名{n}</option>" for n in range(1, 7))
    art = read_page(tmp_path, f"<html><body><select>{options}</select>"
                              "<h3 id='PreTitle'></h3><h1 id='Title'>技能大赛开幕</h1>"
                              "<h2 id='SubTitle'></h2>"
                              f"<div id='ozoom'><founder-content>{TEXT}</founder-content></div>"
                              "</body></html>").article
    assert (art.page, art.title, art.kicker, art.subtitle) == ("3", "技能大赛开幕", "", "")


def test_h1_is_the_title_over_a_leading_title_h2(tmp_path):
    art = read_page(tmp_path, "<html><body><div class='article'>"
                              "<h2 class='leading_title'>新春走基层</h2><h1>技能大赛开幕</h1>"
                              "<h2 class='sub_title'>三百多名选手同台竞技</h2>"
                              f"<div class='text'>{TEXT}</div></div></body></html>").article
    assert (art.kicker, art.title, art.subtitle) == ("新春走基层", "技能大赛开幕",
                                                     "三百多名选手同台竞技")


def test_an_editors_note_and_a_classed_caption_opening_the_text_stay_text(tmp_path):
    note = "编者按：岁末年初，各级工会组织开展送温暖活动，本版选登部分地方的做法"
    cap = "资料图片 新华社记者 王小明摄"
    art = read_page(tmp_path, "<html><body><div class='article'><h1>技能大赛开幕</h1>"
                              f"<div class='text'><p><strong>{note}</strong></p>"
                              f"<p class='pic_title'>{cap}</p>{TEXT}</div></div></body></html>"
                    ).article
    assert (art.title, art.kicker, art.subtitle) == ("技能大赛开幕", "", "")
    assert art.body == f"{note}\n{cap}\n{BODY}"


@pytest.mark.parametrize("byline, names", [
    ("北京商报记者 张晓东 李明", ["张晓东", "李明"]),
    ("文/本报记者 王海燕", ["王海燕"]),
    ("文/图 本报记者 王海燕 通讯员 陈晓东", ["王海燕", "陈晓东"]),
])
def test_a_credit_paragraph_with_a_papers_name_or_a_wen_prefix(tmp_path, byline, names):
    # 北京商报: the byline is the first paragraph of div#ozoom, no other byline on the page
    art = read_page(tmp_path, "<html><body><table><tr valign='top'><td align='center'><strong>"
                              "技能大赛开幕</strong></td></tr></table>"
                              f"<div id='ozoom'><p>{byline}</p>{TEXT}</div></body></html>",
                    encoding="gb18030").article
    assert (art.reporters, art.body) == (names, BODY)


def test_a_picture_page_whose_text_is_only_a_credit(tmp_path):
    # 新华每日电讯: no Founder markers; the masthead bar and the big headline hold more text
    # than the article, whose only line is the picture's credit
    item = read_page(tmp_path, "<html><head><title>新华每日电讯</title></head><body>"
                               "<div class='top'>新华每日电讯 2024年01月05日 星期五</div>"
                               "<div id='contenttext'><table><tr><td><div align='center'>"
                               "<strong><font size='5'>云横苍岭（中国画）</font></strong></div>"
                               "</td></tr><tr><td><div align='center'>全市职工技能大赛落下帷幕"
                               "</div></td></tr></table><div><P>（新华社记者兰红光摄）</P></div>"
                               "</div></body></html>", name="20240105/Articel11006BB.htm")
    art = item.article
    assert (art.title, art.subtitle, art.body) == ("云横苍岭（中国画）", "全市职工技能大赛落下帷幕",
                                                   "（新华社记者兰红光摄）")



# -- pages of 农民日报 and 滨海时报 --------------------------------------------------------------

FARMER_ROWS = ("<tr><td class='font02'></td></tr><tr><td class='font01'>技能大赛开幕</td></tr>"
               "<tr><td class='font02'>{sub}</td></tr><tr><td class='font02'>{author}</td></tr>")


@pytest.mark.parametrize("sub, author, subtitle, names", [
    ("", "朱剑红", "", ["朱剑红"]),
    ("三百多名选手同台竞技", "顾正龙 丁子", "三百多名选手同台竞技", ["顾正龙", "丁子"]),
])
def test_a_bare_name_under_the_headings_is_the_byline(tmp_path, sub, author, subtitle, names):
    rows = FARMER_ROWS.format(sub=sub, author=author)
    art = read_page(tmp_path, f"<html><body><table>{rows}<tr><td class='font6'>{TEXT}</td></tr>"
                              "</table></body></html>", name="2014/20140101/20140101_005/"
                                                             "20140101_005_3.htm").article
    assert (art.title, art.subtitle, art.reporters, art.page) == ("技能大赛开幕", subtitle,
                                                                  names, "5")


def test_a_short_headline_alone_under_a_kicker_stays_the_title(tmp_path):
    art = read_page(tmp_path, "<html><body><table><tr><td class='font02'>经济观察</td></tr>"
                              "<tr><td class='font01'>利率</td></tr>"
                              f"<tr><td class='font6'>{TEXT}</td></tr></table></body></html>"
                    ).article
    assert (art.kicker, art.title, art.reporters) == ("经济观察", "利率", [])


def test_headlines_in_the_column_beside_the_article_are_not_its_headings(tmp_path):
    # 农民日报: the page's other headlines as rows that link by their onclick, in the left
    # column of the row whose right column holds the article
    others = "".join(f"<tr class='items' onclick=\"location.href='20140101_005_{i}.htm'\">"
                     f"<td>{t}</td></tr>" for i, t in enumerate(["安全飞行又一年", "内容提要"], 4))
    rows = FARMER_ROWS.format(sub="", author="")
    art = read_page(tmp_path, f"<html><body><table><tr><td width='300'><table>{others}</table>"
                              f"</td><td><table>{rows}<tr><td class='font6'>{TEXT}</td></tr>"
                              "</table></td></tr></table></body></html>").article
    assert (art.kicker, art.title, art.subtitle, art.body) == ("", "技能大赛开幕", "", BODY)


def test_an_old_picture_page_whose_text_is_a_bracketed_credit(tmp_path):
    # an upper-case GB2312 page with no Founder markers: the centred kicker holds more text
    # than the article, whose only paragraph is the painter's name
    page = ("<HTML><HEAD><TITLE>劳动报</TITLE></HEAD><BODY>"
            "<CENTER><FONT SIZE=6><B>劳动报</B></FONT></CENTER>"
            "<CENTER><FONT SIZE=2>1998年1月1日 星期四　第7版</FONT></CENTER><HR>"
            "<CENTER><FONT SIZE=3>一线故事·匠心筑梦</FONT></CENTER>"
            "<CENTER><FONT SIZE=5><B>细语（中国画）</B></FONT></CENTER>"
            "<P>　　（杨光利）</P><HR></BODY></HTML>")
    art = read_page(tmp_path, page, name="ldb/19980101/0107007.HTM", encoding="gb18030").article
    assert (art.kicker, art.title, art.body, art.page) == ("一线故事·匠心筑梦", "细语（中国画）",
                                                           "（杨光利）", "7")



# -- pages of 青年参考 and 中国经营报 ----------------------------------------------------------

@pytest.mark.parametrize("byline, names", [
    ("傲腾 编译", ["傲腾"]),
    ("朱剑红 李明 编译", ["朱剑红", "李明"]),
    ("记者 王东 北京报道", ["王东"]),
    ("记者 施明慎 李明 上海报道", ["施明慎", "李明"]),
])
def test_a_credit_paragraph_with_the_role_after_the_names_or_the_place_filed_from(
        tmp_path, byline, names):
    art = read_page(tmp_path, "<html><body><div class='text_c'><h1>技能大赛开幕</h1>"
                              f"<div id='ozoom'><p>{byline}</p>{TEXT}</div></div></body></html>"
                    ).article
    assert (art.reporters, art.body) == (names, BODY)


def test_a_sentence_ending_in_a_place_and_baodao_stays_text(tmp_path):
    # only a line that is a credit once the place is set aside is a byline
    line = "本报讯 全市职工技能大赛今天开幕 新华社北京报道"
    art = read_page(tmp_path, "<html><body><h1>技能大赛开幕</h1>"
                              f"<div id='ozoom'><p>{line}</p>{TEXT}</div></body></html>").article
    assert art.body == f"{line}\n{BODY}"


def test_a_picture_caption_printed_under_the_text_is_the_texts(tmp_path):
    cap = "图为游客在灯会现场参观。（王小明摄）"
    item = read_page(tmp_path, "<html><body><div class='text_c'><h1>技能大赛开幕</h1>"
                               f"<div class='c_c' id='ozoom'>{TEXT}</div>"
                               "<div class='pic BSHARE_POP'><img src='a.jpg'></div>"
                               f"<div class='tushuo'>{cap}</div></div>"
                               "<div class='lai'><a href='#'>往期回顾</a></div></body></html>")
    assert item.article.body == f"{BODY}\n{cap}"


# -- text and credits in the forms of pages not tuned for --------------------------------

def test_a_text_of_br_lines_in_one_font_is_read_and_its_size_makes_no_line_a_headline(tmp_path):
    """楚天都市报-style table page: the text is one <font style="font-size:14px"> whose
    paragraphs are runs between <br>s, and its credit opens the first (…报讯（记者…）)."""
    text = ("&nbsp;&nbsp;楚天都市报讯（记者王海燕 通讯员林海燕）全市职工技能大赛今天开幕。<br>"
            "&nbsp;&nbsp;大赛设十二个项目，获奖选手将被授予技术能手称号。")
    art = read_page(tmp_path, "<html><head><title>楚天都市报</title></head><body><table>"
                              "<tr><td><table id='Table17'><tr><td align='center'>&nbsp;</td></tr>"
                              "<tr><td align='center'><b>技能大赛开幕</b></td></tr></table>"
                              "<table><tr><td id='copytext'><font style='font-size:14px'>"
                              f"{text}</font></td></tr></table></td></tr></table></body></html>",
                    encoding="gb18030").article
    assert (art.title, art.kicker, art.subtitle) == ("技能大赛开幕", "", "")
    assert art.reporters == ["王海燕", "林海燕"]
    assert art.body == ("楚天都市报讯（记者王海燕 通讯员林海燕）全市职工技能大赛今天开幕。\n"
                        "大赛设十二个项目，获奖选手将被授予技术能手称号。")


def _xinmin(tmp_path, paras: list[str]):
    text = "".join(f"<p>{x}</p>" for x in paras)
    return read_page(tmp_path, "<html><body><div class='dzb-article-box'>"
                               "<h2 class='dzb-title-box'>技能大赛开幕</h2>"
                               f"<div class='dzb-desc-box'>{text}</div></div></body></html>"
                     ).article


def test_a_credit_printed_as_the_texts_last_paragraph_is_the_byline(tmp_path):
    art = _xinmin(tmp_path, BODY.split("\n") + ["本报记者  江跃中  通讯员  严莺"])
    assert art.reporters == ["江跃中", "严莺"] and art.body == BODY


def test_a_credit_run_on_after_the_last_sentence_names_the_reporter_and_stays_text(tmp_path):
    last = "获奖选手将被授予技术能手称号。”本报记者 杨硕"
    art = _xinmin(tmp_path, [BODY.split("\n")[0], last])
    assert art.reporters == ["杨硕"]
    assert art.body == BODY.split("\n")[0] + "\n" + last


def test_an_essays_bare_name_first_line_names_the_author_and_stays_text(tmp_path):
    art = _xinmin(tmp_path, ["葛昆元", "又到清明时节，我照例会想起一些仙逝的朋友，鲁秀珍老师就是其中一位。"])
    assert art.reporters == ["葛昆元"]
    assert art.body.split("\n")[0] == "葛昆元"


def test_a_closing_credit_in_brackets_or_a_caption_is_never_taken_out_of_the_text(tmp_path):
    for last in ("（张滨作）", "本报记者 王小明 摄"):
        art = _xinmin(tmp_path, BODY.split("\n") + [last])
        assert art.body == BODY + "\n" + last and art.reporters == []


def test_the_dateline_below_a_photo_caption_names_the_reporters(tmp_path):
    """四川日报: the picture and its caption ( 某某 摄) above the text, the credit in the
    first paragraph's dateline."""
    art = read_page(tmp_path, "<html><body><div id='frameContent'><h3>技能大赛开幕</h3>"
                              "<div align='center'><img src='a.jpg'><br>选手在比赛现场。 王小明 摄"
                              "</div><p id='page_a'>本报讯（四川日报全媒体记者 兰楠）全市职工技能大赛"
                              "今天开幕，来自各行各业的三百多名选手参加比赛。</p><p id='page_a'>大赛设"
                              "十二个项目，获奖选手将被授予技术能手称号。</p></div></body></html>"
                    ).article
    assert art.reporters == ["兰楠"] and art.subtitle == ""
    assert art.body.startswith("选手在比赛现场。 王小明 摄\n本报讯（四川日报全媒体记者 兰楠）")


# -- the same pages after a redesign (bench/epaper_mutations.py) ---------------------------

def test_a_byline_and_date_line_between_kicker_and_title_keeps_the_kicker(tmp_path):
    """Not a masthead bar: headings above a line naming a reporter beside the date stay."""
    art = read_page(tmp_path, "<html><body><div class='a'><h2>喜迎新春佳节</h2><div><span>记者 苏人"
                              "</span><span>2024-01-05</span></div><h1>技能大赛开幕</h1>"
                              f"<div class='b'>{TEXT}</div></div></body></html>").article
    assert (art.kicker, art.title, art.reporters) == ("喜迎新春佳节", "技能大赛开幕", ["苏人"])
    assert art.body == BODY


def test_a_credit_with_the_role_after_the_names_between_headings_is_no_kicker(tmp_path):
    art = read_page(tmp_path, "<html><body><div class='a'><h3>我为职工办实事</h3><p>张亮 编译</p>"
                              f"<h1>技能大赛开幕</h1><div class='b'>{TEXT}</div></div></body></html>"
                    ).article
    assert (art.kicker, art.title, art.reporters) == ("我为职工办实事", "技能大赛开幕", ["张亮"])


def test_paragraphs_printed_as_divs_are_one_text(tmp_path):
    """An old page without markers whose paragraphs are <div>s of text alone (not <P>s)."""
    paras = "".join(f"<div>{x}</div>" for x in BODY.split("\n"))
    art = read_page(tmp_path, "<html><head><title>劳动报</title></head><body>"
                              "<div align='center'><font size='5'>技能大赛开幕</font></div>"
                              f"{paras}</body></html>").article
    assert (art.title, art.subtitle, art.body) == ("技能大赛开幕", "", BODY)


def test_two_headings_in_classes_of_their_own_the_one_an_empty_row_shares_is_no_title(tmp_path):
    """Class names that say nothing (a redesign): the unused 副题 row is printed empty in
    the 引题's class, so the line in a class of its own is the title."""
    art = read_page(tmp_path, "<html><body><table><tr><td class='qx'>新春走基层</td></tr>"
                              "<tr><td class='zv'>技能大赛开幕</td></tr><tr><td class='qx'></td>"
                              f"</tr></table><div id='ozoom'>{TEXT}</div></body></html>").article
    assert (art.kicker, art.title, art.subtitle) == ("新春走基层", "技能大赛开幕", "")


def test_a_credit_in_brackets_under_a_pictures_caption_is_kept(tmp_path):
    """A picture's page: its caption, then only the photographer's credit （邵声朗）."""
    art = read_page(tmp_path, "<html><body><h1>技能大赛开幕</h1><table><tr><td class='text'>"
                              "资料图片 新华社记者 赵文博摄</td></tr></table><p>（邵声朗）</p>"
                              "</body></html>").article
    assert art.body == "资料图片 新华社记者 赵文博摄\n（邵声朗）"


def test_the_records_page_name_picks_its_entry_before_the_first_of_several(tmp_path):
    rows = "".join(f"<div><div>第{n:02d}版</div><div><a href='node_{n}.htm'>版名{n}</a></div></div>"
                   for n in range(1, 7))
    art = read_page(tmp_path, "<html><body><!--enpproperty <title>技能大赛开幕</title><nodename>"
                              f"版名5</nodename>/enpproperty--><div>{rows}</div><h1>技能大赛开幕"
                              f"</h1><div id='ozoom'>{TEXT}</div></body></html>").article
    assert art.page == "5"


def test_dry_run_says_the_byline_came_from_the_end_of_the_text(tmp_path):
    item = read_page(tmp_path, "<html><body><h2 class='dzb-title-box'>技能大赛开幕</h2>"
                               "<div class='dzb-desc-box'>" + "".join(
                                   f"<p>{x}</p>" for x in BODY.split("\n"))
                     + "<p>本报记者  左妍</p></div></body></html>")
    assert item.article.reporters == ["左妍"]
    assert "来源：记者 ← 正文末的署名段" in item.notes


def test_the_headlines_own_wrapper_holds_kicker_and_subtitle_whatever_their_class(tmp_path):
    """文汇报 after a redesign: the headings' div (kicker <p>, <h1>, 副题 <p>) sits in the
    text's container, classes meaningless; the ■ credit opens the text."""
    art = read_page(tmp_path, "<html><body><div class='xq'><div class='zr'><p class='mw'>新春走基层"
                              "</p><h1>技能大赛开幕</h1><p class='bs'>记者蹲点采访纪实</p></div>"
                              "<p>■本报记者 阎晓明</p>" + "".join(
                                  f"<p>{x}</p>" for x in BODY.split("\n")) + "</div></body></html>"
                    ).article
    assert (art.kicker, art.title, art.subtitle) == ("新春走基层", "技能大赛开幕", "记者蹲点采访纪实")
    assert art.reporters == ["阎晓明"] and art.body == BODY


def test_a_text_shorter_than_its_pictures_caption_is_kept(tmp_path):
    """新民晚报 picture page: the caption in the picture's box is longer than the two lines of
    text beside it; both are the article's."""
    art = read_page(tmp_path, "<html><body><h2 class='dzb-title-box'>技能大赛开幕</h2>"
                              "<div class='dzb-enter-desc-box'><div class='dzb-pic-box'>"
                              "<img src='a.jpg'><p>图为农民在田间查看麦苗长势。（周海涛摄）</p></div>"
                              "<div class='dzb-desc-box'><p>快过年了，慢点……</p><p>（艾世民摄）</p>"
                              "</div></div><div class='zrbj'>责任编辑：王一鸣</div></body></html>"
                    ).article
    assert art.body == "图为农民在田间查看麦苗长势。（周海涛摄）\n快过年了，慢点……\n（艾世民摄）"


def test_a_bare_name_in_the_lowest_heading_is_the_byline_not_the_subtitle(tmp_path):
    """人民日报海外版: the credit printed as a bare <h4> under the <h1> title and <h2> 副题."""
    art = read_page(tmp_path, "<html><body><div class='text_c'><h3></h3><h1>技能大赛开幕</h1>"
                              "<h2>——记全国劳动模范的一天</h2><h4>张晓东</h4>"
                              f"<div id='ozoom'>{TEXT}</div></div></body></html>").article
    assert (art.title, art.subtitle, art.reporters) == ("技能大赛开幕", "——记全国劳动模范的一天",
                                                        ["张晓东"])
    art = read_page(tmp_path, "<html><body><div><h1>技能大赛开幕</h1><h4>劳模风采</h4>"
                              f"<div id='ozoom'>{TEXT}</div></div></body></html>",
                    "2024-01/05/b.htm").article
    assert (art.subtitle, art.reporters) == ("劳模风采", [])  # a phrase is no name


@pytest.mark.parametrize("rows, kicker, title", [
    # the unused 副题 slot printed empty after the two lines: they are 引题 and title
    ("<p>劳模风采</p><p>技能大赛开幕</p><p></p>", "劳模风采", "技能大赛开幕"),
    # the unused 引题 slot printed empty before them: title and 副题
    ("<p></p><p>技能大赛开幕</p><p>记者蹲点采访纪实</p>", "", "技能大赛开幕"),
])
def test_two_headlines_printed_alike_take_their_roles_from_the_empty_slot(tmp_path, rows, kicker,
                                                                          title):
    """湖北日报's pad page after a redesign: ids renamed, nothing in the markup or the print
    tells 引题 from title; the template's empty slot does."""
    art = read_page(tmp_path, f"<html><body><div class='qa'>{rows}<div class='zk'>{TEXT}</div>"
                              "</div></body></html>").article
    assert (art.kicker, art.title) == (kicker, title)
    assert art.subtitle == ("记者蹲点采访纪实" if not kicker else "")


def test_page_from_the_lone_link_back_to_its_column(tmp_path):
    """湖北日报's pad page prints its 版面 nowhere but in the 返回 link to node_05.html; a
    link bar (返回 | 湖北日报) is no kicker, and 上一版 / 下一版 links name no 版面 of its own."""
    page = ("<html><head><title>湖北日报数字报</title></head><body><div class='hd'>"
            "<a href='../../../column/202404/22/node_05.html'>返回</a><span>湖北日报</span></div>"
            "<div class='sc'><p id='pre-title'>新春走基层</p><p id='main-title'>技能大赛开幕</p>"
            f"<p class='au'>2024-04-22</p><div class='ct'>{TEXT}</div></div></body></html>")
    item = read_page(tmp_path, page, "pad/content/202404/22/content_271331.html")
    art = item.article
    assert (art.page, art.kicker, art.title, art.body) == ("5", "新春走基层", "技能大赛开幕", BODY)
    assert "来源：版面 ← 链回本版的链接：node_05.html（返回）" in item.notes
    pager = page.replace(">返回<", ">下一版<")
    assert read_page(tmp_path, pager, "pad/content/202404/22/content_2.html").article.page is None


def test_a_caption_only_text_is_read_from_its_own_container_not_the_headlines_wrapper(tmp_path):
    """A picture's page whose text is a caption and a credit: the headline lines around it
    outweigh it, but the text is the one container under them; the date line and 责任编辑
    beside it are not the text's."""
    art = read_page(tmp_path, "<html><body><div class='sc'><p>新春走基层 一线职工的节日</p>"
                              "<p>全市职工技能大赛今天开幕三百多名选手同台比武</p>"
                              "<p>2024-01-05</p><div class='ct'><div class='pic'><img src='a.jpg'>"
                              "<p>资料图片 新华社记者 赵文博摄</p></div><p>（邵声朗）</p></div>"
                              "<p>责任编辑：王一鸣</p></div></body></html>").article
    assert art.body == "资料图片 新华社记者 赵文博摄\n（邵声朗）"


def test_a_pen_name_credit_printed_bare_under_the_headline_is_the_byline(tmp_path):
    """农民日报: the author's row under the 副题 holds a pen name with the place it writes
    from, no role word (韩 钟（昆音））: the reporters as printed, never a 副题."""
    art = read_page(tmp_path, "<html><body><table><tr><td class='font01'>技能大赛开幕</td></tr>"
                              "<tr><td class='font02'>韩 钟（昆音）</td></tr></table>"
                              f"<div id='ozoom'>{TEXT}</div></body></html>").article
    assert (art.title, art.subtitle, art.reporters) == ("技能大赛开幕", "", ["韩", "钟（昆音）"])


@pytest.mark.parametrize("mark, page", [
    (" class='qz'", "3"),                 # a class of its own, whatever it is called
    (" style='color:red'", "3"),          # printed in another colour
    (" class='first'", None),             # a place in the list, not the page
])
def test_page_from_the_one_entry_of_a_list_printed_unlike_the_others(tmp_path, mark, page):
    """南方日报 / 河南日报 after a redesign: the current 版面's class renamed, it is still the
    one entry of the list printed unlike the others."""
    items = "".join(f"<li{mark if n == 3 else ''}><a href='node_{n}.htm'>第{n:02d}版：版名{n}</a></li>"
                    for n in range(1, 7))
    art = read_page(tmp_path, f"<html><body><ul class='xa'>{items}</ul><h1>技能大赛开幕</h1>"
                              f"<div id='ozoom'>{TEXT}</div></body></html>").article
    assert art.page == page


def test_three_headlines_each_in_a_class_of_its_own_the_middle_is_the_title(tmp_path):
    """重庆日报 after a redesign: 引题, title and 副题 each in a meaningless class of its own
    (the title a <div> between two <p>s); no class tells, their order does."""
    art = read_page(tmp_path, "<html><body><div class='qa'><p class='mx'>新春走基层</p>"
                              "<div class='zt'>技能大赛开幕</div><p class='kv'>记者蹲点采访纪实</p>"
                              f"<div class='rr'>{TEXT}</div></div></body></html>").article
    assert (art.kicker, art.title, art.subtitle) == ("新春走基层", "技能大赛开幕", "记者蹲点采访纪实")


@pytest.mark.parametrize("rows, reporters, subtitle", [
    # three pen names of two Han, spaced, in the last row
    ("<tr><td>技能大赛开幕</td></tr><tr><td>胡桃 汉仙 湘国</td></tr>", ["胡桃", "汉仙", "湘国"], ""),
    # the names' row moved between the title and the 副题 by a redesign
    # (the title in a class of its own, the other rows sharing one, meaningless names)
    ("<tr><td class='q'>技能大赛开幕</td></tr><tr><td class='z'>田俊荣</td></tr>"
     "<tr><td class='z'>记者蹲点采访纪实</td></tr>", ["田俊荣"], "记者蹲点采访纪实"),
])
def test_names_printed_alone_in_the_headline_rows_are_the_byline(tmp_path, rows, reporters,
                                                                 subtitle):
    """农民日报: the author's row holds names only, pen names too, wherever a redesign puts it."""
    art = read_page(tmp_path, f"<html><body><table>{rows}</table>"
                              f"<div id='ozoom'>{TEXT}</div></body></html>").article
    assert (art.title, art.subtitle, art.reporters) == ("技能大赛开幕", subtitle, reporters)


def test_a_source_line_and_a_place_filed_from_are_neither_text_nor_names(tmp_path):
    """大河报's 《大河报》： row above a text the page no longer marks, and 中国经营报's 记者 张三
    深圳报道 credit moved above the title: the place is not a reporter."""
    art = read_page(tmp_path, "<html><body><div><div>记者 苏人 深圳报道</div><div><b>技能大赛开幕</b></div>"
                              "<div>《大河报》：</div>" + "".join(f"<div>{x}</div>"
                                                             for x in BODY.split("\n"))
                    + "</div></body></html>").article
    assert (art.title, art.reporters, art.body) == ("技能大赛开幕", ["苏人"], BODY)


def test_a_numbered_title_class_of_two_digits_is_the_title(tmp_path):
    """新晚报: the title in td.bt11 between 引题 and 副题 rows of a size class (td.ft14);
    the kicker row alone above it is not the title."""
    art = read_page(tmp_path, "<html><body><table><tr><td class='ft14'>新春走基层</td></tr>"
                              "<tr><td class='bt11'>技能大赛开幕</td></tr></table>"
                              f"<div id='ozoom'>{TEXT}</div></body></html>").article
    assert (art.kicker, art.title, art.subtitle) == ("新春走基层", "技能大赛开幕", "")


def test_a_text_of_short_lines_after_its_picture_is_all_kept(tmp_path):
    """A list of prize winners after a picture (湖北日报's pad page): short lines that end no
    sentence, but they follow the picture inside the text's container, so they are text."""
    lines = ["特别奖", *(f"征文作品第{n}篇 作者单位第{n}号" for n in range(1, 9)), "一等奖（３名）",
             *(f"获奖作品第{n}篇 作者单位第{n}号" for n in range(1, 9))]
    art = read_page(tmp_path, "<html><body><div class='sc'><p>一线故事·匠心筑梦</p>"
                              "<p>“我看香港回归”征文获奖名单</p><p></p><p>2024-01-05</p>"
                              "<div class='ct'><div class='pic'><img src='a.jpg'>"
                              "<p>图为志愿者为环卫工人送上热饮。（孙晓光摄）</p></div>"
                              + "".join(f"<p>{x}</p>" for x in lines) + "</div>"
                              "<p>责任编辑：张立新</p></div></body></html>").article
    assert art.body == "\n".join(["图为志愿者为环卫工人送上热饮。（孙晓光摄）", *lines])


@pytest.mark.parametrize("heads", [
    "<h1>技能大赛开幕</h1><h2>全市职工技能大赛落下帷幕</h2><h4>珉君</h4>",
    # a redesign moves the credit's <h4> above the title, or between title and 副题
    "<h3></h3><h4>珉君</h4><h1>技能大赛开幕</h1><h2>全市职工技能大赛落下帷幕</h2>",
    "<h1>技能大赛开幕</h1><h4>珉君</h4><h2>全市职工技能大赛落下帷幕</h2>",
])
def test_a_pen_name_alone_in_the_lowest_heading_is_the_byline(tmp_path, heads):
    art = read_page(tmp_path, f"<html><body><div class='text_c'>{heads}"
                              f"<div id='ozoom'>{TEXT}</div></div></body></html>").article
    assert (art.kicker, art.title, art.subtitle, art.reporters) == (
        "", "技能大赛开幕", "全市职工技能大赛落下帷幕", ["珉君"])


@pytest.mark.parametrize("heads, kicker, subtitle", [
    # 引题 and 副题 in one class: the side of the title each is printed on gives its role
    ("<div class='yt'>新春走基层</div><div class='bt'>技能大赛开幕</div>"
     "<div class='yt'>全市三百多名选手参赛</div>", "新春走基层", "全市三百多名选手参赛"),
    ("<div class='bt'>技能大赛开幕</div><div class='yt'>全市三百多名选手参赛</div>",
     "", "全市三百多名选手参赛"),
    ("<div class='yt'>新春走基层</div><div class='bt'>技能大赛开幕</div>", "新春走基层", ""),
])
def test_a_kicker_class_below_the_title_is_the_subtitle(tmp_path, heads, kicker, subtitle):
    art = read_page(tmp_path, f"<html><body><div class='detail'>{heads}"
                              f"<div class='content'>{TEXT}</div></div></body></html>").article
    assert (art.kicker, art.title, art.subtitle) == (kicker, "技能大赛开幕", subtitle)


def test_a_word_count_line_under_the_headline_is_neither_subtitle_nor_text(tmp_path):
    art = read_page(tmp_path, "<html><body><div class='article'><h1>技能大赛开幕</h1>"
                              "<div class='zs'>本文字数：1234</div>"
                              f"<div id='ozoom'>{TEXT}</div></div></body></html>").article
    assert (art.title, art.subtitle, art.body) == ("技能大赛开幕", "", BODY)


def test_a_page_list_of_bracketed_codes_with_the_current_one_unlinked(tmp_path):
    pages = "".join(f"<li><b>(A{n:02d}) 版名{n}</b></li>" if n == 3 else
                    f"<li><a href='node_{n}.htm'>(A{n:02d}) 版名{n}</a></li>" for n in range(1, 7))
    art = read_page(tmp_path, f"<html><body><ul class='bml'>{pages}</ul><h1>技能大赛开幕</h1>"
                              f"<div class='content'>{TEXT}</div></body></html>").article
    assert art.page == "A3"


@pytest.mark.parametrize("lead, names", [
    ("羊城晚报讯 记者王科 通讯员 周美玉报道：", ["王科", "周美玉"]),
    ("本报讯 记者 张明 李华报道：", ["张明", "李华"]),
])
def test_a_dateline_credit_without_brackets_names_the_reporters(tmp_path, lead, names):
    art = read_page(tmp_path, f"<html><body><h1>技能大赛开幕</h1><div class='content'>"
                              f"<p>{lead}全市职工技能大赛今天开幕，三百多名选手参加比赛。</p>"
                              "<p>大赛设十二个项目，获奖选手将被授予技术能手称号。</p>"
                              "</div></body></html>").article
    assert art.reporters == names


def test_an_editor_line_apart_from_the_text_is_not_text_but_one_in_its_run_stays(tmp_path):
    # a headline that is the opening of the text (wire copy) makes the whole block the text
    page = ("<html><body><div class='detail'><div class='yt'>新春走基层</div>"
            "<div class='bt'>本报讯 全市职工技能大赛今天开幕，三百多名</div>"
            "<div class='info'>来源：羊城晚报　2024-01-05</div><div class='pic'><img src='a.jpg'><div>图为职工代表参加技能比武。（赵文博摄）</div></div>"
            "<div class='content'><p>本报讯 全市职工技能大赛今天开幕，三百多名选手参加比赛。</p>{inside}</div>"
            "{apart}<div class='nav'><a href='content_1.htm'>上一篇</a></div></div></body></html>")
    art = read_page(tmp_path, page.format(inside="", apart="<div class='ed'>责任编辑：陈思远</div>")).article
    assert art.body.split("\n")[-1] == "本报讯 全市职工技能大赛今天开幕，三百多名选手参加比赛。"
    art = read_page(tmp_path, page.format(inside="<p>本版责任编辑：陈思远</p>", apart="")).article
    assert art.body.split("\n")[-1] == "本版责任编辑：陈思远"


def test_a_source_line_over_a_picture_pages_short_text_is_not_text(tmp_path):
    art = read_page(tmp_path, "<html><body><div class='detail'><div class='bt'>迎虎年（书法）</div>"
                              "<div class='info'>来源：羊城晚报　2024-01-05</div>"
                              "<div class='pic'><img src='a.jpg'><div>图为职工代表参加技能比武。（李大力摄）</div></div>"
                              "<div class='content'><p>（关山月）</p></div>"
                              "<div class='nav'><a href='content_1.htm'>上一篇</a></div></div></body></html>").article
    assert art.title == "迎虎年（书法）"
    assert art.body == "图为职工代表参加技能比武。（李大力摄）\n（关山月）"


# two headline lines printed alike (a redesign renamed every class; no empty slot beside them)
ALIKE = "<div class='qa'><div class='k1'>{a}</div><div class='k1'>{b}</div></div>"
LEAD = ("<div class='zk'><p>本报讯 全市职工技能大赛今天在市体育中心开幕，三百多名选手参加比赛。</p>"
        "<p>大赛设十二个项目，获奖选手将被授予技术能手称号。</p></div>")


@pytest.mark.parametrize("a, b, side, kicker, title, subtitle", [
    # the page's list of the 版面's headlines names the second line: 引题 + title
    ("喜迎新春佳节", "各地举办迎春活动", "<ul class='u'><li><a href='c_2.htm'>各地举办迎春活动</a></li>"
     "<li><a href='c_3.htm'>春运今起开始</a></li></ul>", "喜迎新春佳节", "各地举办迎春活动", ""),
    # the list names the first: title + 副题
    ("各地举办迎春活动", "喜迎新春佳节", "<ul class='u'><li><a href='c_2.htm'>各地举办迎春活动</a></li>"
     "<li><a href='c_3.htm'>春运今起开始</a></li></ul>", "", "各地举办迎春活动", "喜迎新春佳节"),
    # nothing names either: the text's opening repeats the first line's words
    ("职工技能大赛开幕", "喜迎新春佳节", "", "", "职工技能大赛开幕", "喜迎新春佳节"),
    ("喜迎新春佳节", "职工技能大赛开幕", "", "喜迎新春佳节", "职工技能大赛开幕", ""),
    # a dash opens the second: it is the 副题
    ("春运今起开始", "——写在新年到来之际", "", "", "春运今起开始", "——写在新年到来之际"),
    # a picture note closes the first: the title carries it, not its 副题
    ("高原老兵（附图片１张）", "各地工会多措并举送温暖", "", "", "高原老兵（附图片１张）",
     "各地工会多措并举送温暖"),
    # nothing tells them apart: 引题 + title, no 副题 made up from a guess
    ("喜迎新春佳节", "春运今起开始", "", "喜迎新春佳节", "春运今起开始", ""),
])
def test_two_headlines_printed_alike_take_their_roles_from_the_rest_of_the_page(
        tmp_path, a, b, side, kicker, title, subtitle):
    art = read_page(tmp_path, f"<html><body>{side}{ALIKE.format(a=a, b=b)}{LEAD}"
                              "</body></html>").article
    assert (art.kicker, art.title, art.subtitle) == (kicker, title, subtitle)


def test_dry_run_says_what_told_two_alike_headlines_apart(tmp_path):
    item = read_page(tmp_path, f"<html><body>{ALIKE.format(a='喜迎新春佳节', b='春运今起开始')}"
                               f"{LEAD}</body></html>")
    assert any("不猜副题" in n for n in item.notes), item.notes
    item = read_page(tmp_path, f"<html><body>{ALIKE.format(a='职工技能大赛开幕', b='喜迎新春佳节')}"
                               f"{LEAD}</body></html>")
    assert any("正文开头重复这一行的词" in n for n in item.notes), item.notes


def test_a_date_and_page_line_set_as_a_heading_is_no_subtitle(tmp_path):
    """解放日报: the date and the 版面 share an <h5> under the headline."""
    art = read_page(tmp_path, "<html><body><div class='title'><h3>喜迎新春佳节</h3><h1>技能大赛开幕</h1>"
                              "<h5>2024年01月05日 第03版：要闻</h5></div>"
                              f"<div class='content'>{TEXT}</div></body></html>").article
    assert (art.kicker, art.title, art.subtitle, art.page) == ("喜迎新春佳节", "技能大赛开幕", "", "3")


def test_a_caption_printed_as_its_pictures_link_is_text(tmp_path):
    art = read_page(tmp_path, "<html><body><div class='right'><div class='title'><h1>技能大赛开幕</h1></div>"
                              "<div id='coin-slider'><a href='a.jpg'><img src='a_b.jpg'>"
                              "<span>图为职工代表参加技能比武。（赵文博摄）</span></a></div>"
                              f"<div class='content'>{TEXT}</div></div></body></html>").article
    assert art.body == "图为职工代表参加技能比武。（赵文博摄）\n" + BODY


@pytest.mark.parametrize("title, want", [
    ("技能大赛开幕（图）", "技能大赛开幕"), ("技能大赛开幕(组图)", "技能大赛开幕"),
    ("技能大赛开幕（附图片１张）", "技能大赛开幕（附图片１张）"),  # the archive's own words
])
def test_a_picture_mark_after_the_title_is_no_part_of_it(tmp_path, title, want):
    """天津日报 marks a headline with pictures （图）."""
    art = read_page(tmp_path, f"<html><body><table><tr><td class='font01'>{title}</td></tr></table>"
                              f"<div id='ozoom'><founder-content>{TEXT}</founder-content></div>"
                              "</body></html>").article
    assert art.title == want


def test_the_bold_line_of_a_headline_cell_cut_by_br_is_the_title(tmp_path):
    """河北日报: 引题 and 副题 bare <span>s around a <strong> title, one cell."""
    for cell, kicker, subtitle in (
            ("<span>喜迎新春佳节</span><br><strong>技能大赛开幕</strong><br><span>记者蹲点采访纪实</span>",
             "喜迎新春佳节", "记者蹲点采访纪实"),
            ("<span>喜迎新春佳节</span><br><strong>技能大赛开幕</strong>", "喜迎新春佳节", ""),
            ("<strong>技能大赛开幕</strong><br><span>记者蹲点采访纪实</span>", "", "记者蹲点采访纪实")):
        art = read_page(tmp_path, f"<html><body><table><tr><td width='572' align='center'>{cell}"
                                  f"</td></tr></table><div id='ozoom'>{TEXT}</div></body></html>").article
        assert (art.kicker, art.title, art.subtitle) == (kicker, "技能大赛开幕", subtitle)


@pytest.mark.parametrize("lead, names", [
    ("本报讯 记者 若愚 肖荻 ", ["若愚", "肖荻"]),
    ("本报讯 记者 张明 李华 通讯员 王芳 ", ["张明", "李华", "王芳"]),
    ("本报讯 全市 ", []),  # no role word: no credit
])
def test_a_dateline_credit_set_apart_by_spaces_names_the_reporters(tmp_path, lead, names):
    art = read_page(tmp_path, f"<html><body><h1>技能大赛开幕</h1><div class='content'>"
                              f"<p>{lead}全市职工技能大赛今天开幕，三百多名选手参加比赛。</p>"
                              "<p>大赛设十二个项目，获奖选手将被授予技术能手称号。</p>"
                              "</div></body></html>").article
    assert art.reporters == names


def test_a_page_list_of_div_rows_is_a_list_not_this_pages_number(tmp_path):
    """科技日报's 版面 table turned into <div>s with no comment left: no entry is marked, so
    the page's 版面 is not known — never the list's first."""
    rows = "".join(f"<div><div>第{n:02d}版</div><div><a href='node_{n}.htm'>版名{n}</a></div></div>"
                   for n in range(1, 7))
    art = read_page(tmp_path, f"<html><body><div class='l'>{rows}</div><div class='m'><h1>技能大赛开幕</h1>"
                              f"<div class='c'>{TEXT}</div></div></body></html>").article
    assert art.page is None


@pytest.mark.parametrize("meta, a, b, kicker, subtitle", [
    ("<introtitle></introtitle><subtitle>春运今起开始</subtitle>", "喜迎新春佳节", "春运今起开始",
     "", "春运今起开始"),
    ("<introtitle>春运今起开始</introtitle><subtitle></subtitle>", "春运今起开始", "喜迎新春佳节",
     "春运今起开始", ""),
])
def test_a_partly_filled_comment_tells_two_alike_headlines_apart(tmp_path, meta, a, b, kicker,
                                                                 subtitle):
    art = read_page(tmp_path, f"<html><body><!--enpproperty <title></title>{meta}/enpproperty-->"
                              f"{ALIKE.format(a=a, b=b)}{LEAD}</body></html>").article
    assert (art.kicker, art.subtitle) == (kicker, subtitle)
    assert art.title == (a if subtitle else b)


@pytest.mark.parametrize("rule", [
    ".t1,.t3{font-size:.9rem}.t2{font-size:1.4rem;font-weight:bold}",
    "div.t2 { font-size: 22px } .t1, .t3 { font-size: 14px }",
])
def test_headlines_sized_only_by_the_pages_stylesheet(tmp_path, rule):
    """A mobile page: three <div>s of numbered classes, the title set apart only by its
    class's rule in <style>; its top bar (返回 | 湖南日报) is no 引题."""
    art = read_page(tmp_path, f"<html><head><title>稿件</title><style>{rule}</style></head><body>"
                              "<div class='top'><a href='javascript:history.back()'>返回</a>"
                              "<span>湖南日报</span></div><div class='art'>"
                              "<div class='t1'>喜迎新春佳节</div><div class='t2'>技能大赛开幕</div>"
                              "<div class='t3'>各地工会多措并举</div>"
                              f"<div class='txt'>{TEXT}</div></div></body></html>").article
    assert (art.kicker, art.title, art.subtitle, art.body) == (
        "喜迎新春佳节", "技能大赛开幕", "各地工会多措并举", BODY)


def test_an_info_line_of_spans_side_by_side_is_neither_subtitle_nor_nameless(tmp_path):
    """<span>s with nothing between them read as one run of text; a date alone in one of
    them makes them fields: the 版面 and the reporters are read from them."""
    info = ("<div class='info'><span>深圳特区报</span><span>2024年01月05日</span>"
            "<span>A04版</span><span>作者：张明 通讯员 王芳</span></div>")
    art = read_page(tmp_path, "<html><body><div class='box'><h2>技能大赛开幕</h2>"
                              f"{info}<div class='content'><founder-content>{TEXT}</founder-content>"
                              "</div></div></body></html>").article
    assert (art.title, art.subtitle, art.reporters, art.page) == (
        "技能大赛开幕", "", ["张明", "王芳"], "A4")


def test_the_current_page_label_beside_a_page_table_with_pdf_links(tmp_path):
    """海南日报: each row of the 版面 table links to the 版面 and to its PDF; the page's own
    版面 is printed as 当前版：A04 — never the table's first row."""
    rows = "".join(f"<tr><td><a href='node_{n}.htm'>第A{n:02d}版：版名{n}</a></td>"
                   f"<td><a href='A{n:02d}.pdf'><img src='pdf.gif'></a></td></tr>" for n in range(1, 9))
    side = f"<table><tr><td>当前版：A04</td></tr></table><table id='bmdhTable'>{rows}</table>"
    art = read_page(tmp_path, f"<html><body><table><tr><td>{side}</td><td><table><tr><td "
                              "align='center' style='font-size:24px'>技能大赛开幕</td></tr></table>"
                              f"<div id='ozoom'>{TEXT}</div></td></tr></table></body></html>").article
    assert (art.page, art.title) == ("A4", "技能大赛开幕")
    without = side.replace("当前版：A04", "")
    art = read_page(tmp_path, f"<html><body><table><tr><td>{without}</td><td><div id='ozoom'>"
                              f"{TEXT}</div></td></tr></table></body></html>", "2024-01/06/content_2.htm").article
    assert art.page is None


@pytest.mark.parametrize("closing, names", [
    ("（本报记者 张明 通讯员 王芳）", ["张明", "王芳"]),
    ("（本报记者 张明摄）", []),  # a photo credit names no reporter
    ("（张明）", []),  # a bare name in brackets stays text and names no one
])
def test_a_closing_credit_in_brackets_names_the_reporters_and_stays_text(tmp_path, closing,
                                                                         names):
    art = read_page(tmp_path, "<html><body><h1>技能大赛开幕</h1><div class='article_con'>"
                              f"{TEXT}<p>{closing}</p></div></body></html>").article
    assert art.reporters == names
    assert art.body == BODY + "\n" + closing
