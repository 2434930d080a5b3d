"""Founder (方正) e-paper article pages built from real corpus articles, with the truth.

Why generated: real e-paper dumps are not ours to ship, and the reader must hold on templates
it was not written for.  Each template differs in what matters to the reader: where the
metadata is (enpproperty comment, ``<founder-…>`` tags, only visible), its encoding and how
it is declared, the layout (divs, tables, HTML5), the class names, where the 版面 and date
are printed (info line, nodename, path), and the chrome around the article.  The corpus has
no kicker or subtitle, so those are synthetic (and often empty, which must stay empty).

``generate(n, out_dir)`` writes ``n`` pages and returns ``(path, Truth)`` pairs;
``TEMPLATES`` names the templates; ``nav_page``/``empty_page`` are pages with no article.
"""

from __future__ import annotations

import codecs
import html
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "data" / "pd1998-01-a.jsonl"

KICKERS = ["奋进新征程 建功新时代", "学习贯彻全会精神", "一线故事·匠心筑梦", "新春走基层",
           "我为职工办实事", "聚焦产业工人队伍建设改革", "喜迎新春佳节", "劳模风采"]
SUBTITLES = ["——记全国劳动模范的一天", "各地工会多措并举送温暖", "专家解读相关政策要点",
             "记者蹲点采访纪实", "——写在新年到来之际", "全市职工技能大赛落下帷幕"]
PAGE_NAMES = ["要闻", "综合新闻", "工会新闻", "国际新闻", "经济周刊", "理论版", "文化副刊",
              "体育新闻", "社会广角", "副刊", "专版", "评论"]
CORRESPONDENTS = ["周美玉", "陈晓东", "林海燕", "郭建华"]
MASTHEADS = ["劳动报 数字报", "工人日报 电子版", "职工日报 数字报刊"]
COPYRIGHT = ["版权所有 劳动报社 未经书面授权不得复制或建立镜像",
             "Copyright © 工人日报社 All Rights Reserved 京ICP备05068179号",
             "本网站所有内容版权所有 职工日报社 未经许可不得转载"]
SHARE = "分享到：微信 微博 QQ空间"

TEMPLATES = ("classic_gbk", "founder_tags", "table_plain", "empty_meta", "html5_bom",
             "legacy_ozoom")


@dataclass
class Truth:
    title: str
    kicker: str
    subtitle: str
    reporters: list[str]
    date: str
    page: str
    body: str
    template: str
    chrome: list[str] = field(default_factory=list)  # must appear in no field


def corpus() -> list[dict]:
    with open(CORPUS, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _author(names: list[str], rng: random.Random, extra: str | None) -> str:
    """How the page credits the names (what the reader must parse back)."""
    if not names:
        return ""
    form = rng.randrange(4)
    head = ("本报记者 " + " ".join(names) if form == 0 else "、".join(names) if form == 1
            else "记者 " + "、".join(names) if form == 2 else "本报记者　" + "　".join(names))
    return head + (f" 通讯员 {extra}" if extra else "")


def _chrome(rng: random.Random, others: list[str], page: int) -> dict:
    pages = [(n, PAGE_NAMES[(n - 1) % len(PAGE_NAMES)]) for n in range(1, 9)]
    return {
        "masthead": rng.choice(MASTHEADS),
        "copyright": rng.choice(COPYRIGHT),
        "pages": pages,
        "others": others,
        "page": page,
    }


def _paras(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n") if p.strip()]


def _page_name(t: Truth) -> str:
    return PAGE_NAMES[(int(t.page) - 1) % len(PAGE_NAMES)]


def _enp(t: Truth, a: dict, author: str, pname: str) -> str:
    """The usual metadata comment: id, date, author, titles and the 版面's name."""
    return (f"<!--enpproperty <articleid>{a['id'][-6:]}</articleid><date>{t.date} 00:00:00:0</date>"
            f"<author>{_e(author)}</author><title>{_e(t.title)}</title>"
            f"<subtitle>{_e(t.subtitle)}</subtitle><introtitle>{_e(t.kicker)}</introtitle>"
            f"<nodename>{pname}</nodename>/enpproperty-->")


# -- templates -----------------------------------------------------------------------------
# each returns (relative path, bytes); t is the Truth, c the chrome, a the corpus row

def classic_gbk(t: Truth, c: dict, a: dict, author: str, rng: random.Random) -> tuple[str, bytes]:
    y, m, d = t.date.split("-")
    pname = _page_name(t)
    meta = (f"<!--enpproperty <articleid>{a['id'][-6:]}</articleid><date>{t.date} 00:00:00:0</date>"
            f"<author>{_e(author)}</author><title>{_e(t.title)}</title><keyword></keyword>"
            f"<subtitle>{_e(t.subtitle)}</subtitle><introtitle>{_e(t.kicker)}</introtitle>"
            f"<siteid>1</siteid><nodeid>{int(t.page) + 7}</nodeid><nodename>{pname}</nodename>"
            f"<nodesearchname></nodesearchname><picurl></picurl>/enpproperty-->")
    pages = "".join(f'<tr><td><a href="node_{n}.htm">第{n:02d}版：{name}</a></td></tr>'
                    for n, name in c["pages"])
    others = "".join(f'<tr><td><a href="content_{i}.htm">{_e(o)}</a></td></tr>'
                     for i, o in enumerate(c["others"], 100))
    paras = "".join(f"<P>　　{_e(p)}</P>\n" for p in _paras(t.body))
    page = f"""<HTML><HEAD>
<META http-equiv="Content-Type" content="text/html; charset=gb2312">
<TITLE>{_e(c['masthead'])}</TITLE></HEAD>
<BODY><TABLE width=1000><TR><TD class=masthead><IMG src="logo.gif"> {_e(c['masthead'])}</TD>
<TD>{y}年{m}月{d}日</TD></TR></TABLE>
<TABLE><TR><TD valign=top width=300><TABLE class=bm>{pages}</TABLE><TABLE>{others}</TABLE></TD>
<TD valign=top>{meta}
<TABLE width=100%><TR><TD class=font02>{_e(t.kicker)}</TD></TR>
<TR><TD class=font01>{_e(t.title)}</TD></TR>
<TR><TD class=font02>{_e(t.subtitle)}</TD></TR>
<TR><TD class=font03>{_e(author)}</TD></TR>
<TR><TD>第{int(t.page):02d}版：{pname}</TD></TR></TABLE>
<DIV id=ozoom><!--enpcontent-->{paras}<!--/enpcontent--></DIV>
</TD></TR></TABLE>
<TABLE><TR><TD align=center>{_e(c['copyright'])}</TD></TR></TABLE></BODY></HTML>"""
    return f"{y}-{m}/{d}/content_{a['id'][-6:]}.htm", page.encode("gb18030")


def founder_tags(t: Truth, c: dict, a: dict, author: str, rng: random.Random
                 ) -> tuple[str, bytes]:
    y, m, d = t.date.split("-")
    pages = "".join(f'<li><a href="node_{n}.htm">{n:02d}版：{name}</a></li>'
                    for n, name in c["pages"])
    others = "".join(f'<li><a href="nw.D110000_{y}{m}{d}_{i}-{int(t.page):02d}.htm">{_e(o)}</a></li>'
                     for i, o in enumerate(c["others"], 2))
    paras = "".join(f"<p>{_e(p)}</p>\n" for p in _paras(t.body))
    byline = (f'<p class="author"><founder-author>{_e(author)}</founder-author></p>'
              if author else "")
    page = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{_e(t.title)}--{_e(c['masthead'])}</title></head>
<body><div class="top"><div class="logo"><a href="/">{_e(c['masthead'])}</a></div></div>
<div class="w1000"><div class="left">
<div class="article">
  <h3><founder-introtitle>{_e(t.kicker)}</founder-introtitle></h3>
  <h1><founder-title>{_e(t.title)}</founder-title></h1>
  <h2><founder-subtitle>{_e(t.subtitle)}</founder-subtitle></h2>
  <p class="sec"><span class="date">《 {_e(c['masthead'][:3])} 》（ {y}年{m}月{d}日 第 {int(t.page):02d} 版）</span></p>
  {byline}
  <div class="article-box"><div id="ozoom"><founder-content>
{paras}</founder-content></div></div>
</div></div>
<div class="right"><div class="swiper-box"><ul class="swiper-container">{pages}</ul></div>
<div class="news"><ul class="news-list">{others}</ul></div></div></div>
<div class="copyright"><p>{_e(c['copyright'])}</p></div></body></html>"""
    return f"{y}-{m}/{d}/nw.D110000ldb_{y}{m}{d}_{rng.randint(1, 9)}-{int(t.page):02d}.htm", \
        page.encode("utf-8")


def table_plain(t: Truth, c: dict, a: dict, author: str, rng: random.Random
                ) -> tuple[str, bytes]:
    """No Founder markers at all: found by its 版面 list; class names say nothing."""
    y, m, d = t.date.split("-")
    pages = "&nbsp;".join(f'<a href="../{n:02d}/node_{n}.htm" class="l03">第{n:02d}版</a>'
                          for n, _ in c["pages"])
    others = "".join(f'<tr><td class="l04">·<a href="content_{i}.htm">{_e(o)}</a></td></tr>'
                     for i, o in enumerate(c["others"], 300))
    paras = "<br>".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{_e(p)}" for p in _paras(t.body))
    rows = ""
    if t.kicker:
        rows += f'<tr><td class="f14" align="center">{_e(t.kicker)}</td></tr>'
    rows += f'<tr><td class="f24 b" align="center">{_e(t.title)}</td></tr>'
    if t.subtitle:
        rows += f'<tr><td class="f16" align="center">{_e(t.subtitle)}</td></tr>'
    info = f"{y}年{m}月{d}日&nbsp;&nbsp;第{int(t.page):02d}版" + (
        f"&nbsp;&nbsp;作者：{_e(author)}" if author else "")
    page = f"""<html><head><meta charset="gbk"><title>{_e(t.title)}_{_e(c['masthead'])}</title></head>
<body><table width="980" align="center"><tr><td class="t01">{_e(c['masthead'])}</td></tr>
<tr><td>{pages}</td></tr></table>
<table width="980" align="center"><tr><td width="260" valign="top"><table>{others}</table></td>
<td valign="top"><table width="100%">{rows}
<tr><td class="f12 gray" align="center">{info}</td></tr>
<tr><td class="f16 lh">{paras}</td></tr>
<tr><td class="f12"><a href="content_{a['id'][-4:]}a.htm">上一篇</a>&nbsp;<a href="content_{a['id'][-4:]}b.htm">下一篇</a></td></tr>
</table></td></tr></table>
<table width="980" align="center"><tr><td class="f12" align="center">{_e(c['copyright'])}</td></tr></table>
</body></html>"""
    return f"{y}{m}{d}/{a['id'][-3:]}.htm", page.encode("gb18030")


def empty_meta(t: Truth, c: dict, a: dict, author: str, rng: random.Random
               ) -> tuple[str, bytes]:
    """The metadata comment is there but empty; visible elements carry the article."""
    y, m, d = t.date.split("-")
    pname = _page_name(t)
    meta = (f"<!--enpproperty <articleid>{a['id'][-6:]}</articleid><date></date><author></author>"
            f"<title></title><subtitle></subtitle><introtitle></introtitle><siteid>2</siteid>"
            f"<nodeid>{40 + int(t.page)}</nodeid><nodename>第{int(t.page):02d}版：{pname}</nodename>"
            f"/enpproperty-->")
    options = "".join(f"<option value='node_{n}.htm'>第{n:02d}版：{name}</option>"
                      for n, name in c["pages"])
    others = "".join(f'<dd><a href="content_{i}.htm" title="{_e(o)}">{_e(o)}</a></dd>'
                     for i, o in enumerate(c["others"], 500))
    head = ""
    if t.kicker:
        head += f'<p class="pretitle">{_e(t.kicker)}</p>'
    head += f'<h2 class="main-title">{_e(t.title)}</h2>'
    if t.subtitle:
        head += f'<p class="sub-title">{_e(t.subtitle)}</p>'
    if author:
        head += f'<div class="byline">{_e(author)}</div>'
    paras = "".join(f"<p>{_e(p)}</p>" for p in _paras(t.body))
    prev = _e(c["others"][0]) if c["others"] else "无"
    page = f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{_e(c['masthead'])}</title></head><body>
<div id="hd"><span>{_e(c['masthead'])}</span><select onchange="go(this)">{options}</select></div>
<div id="bd"><div class="col-l"><dl><dt>本版新闻</dt>{others}</dl></div>
<div class="col-r">{meta}<div class="detail-head">{head}</div>
<div class="tools">放大 缩小 默认</div>
<div id="ozoom"><!--enpcontent--><founder-content>{paras}</founder-content><!--/enpcontent-->
<div class="bdsharebuttonbox">{SHARE}</div></div>
<div class="pn"><a href="content_1.htm">上一篇：{prev}</a></div></div></div>
<div id="ft"><p>{_e(c['copyright'])}</p><p>地址：北京市东城区 邮编：100000</p></div></body></html>"""
    return f"paper/html/{y}-{m}/{d}/content_{a['id'][-6:]}.htm", page.encode("utf-8")


def html5_bom(t: Truth, c: dict, a: dict, author: str, rng: random.Random) -> tuple[str, bytes]:
    y, m, d = t.date.split("-")
    pname = _page_name(t)
    meta = _enp(t, a, author, pname)
    pages = "".join(f'<a href="node_{n}.htm">{n:02d}版 {name}</a>' for n, name in c["pages"])
    others = "".join(f'<li><a href="content_{i}.htm">{_e(o)}</a></li>'
                     for i, o in enumerate(c["others"], 700))
    paras = "".join(f"<p>{_e(p)}</p>\n" for p in _paras(t.body))
    page = f"""<!doctype html><html><head><meta charset="UTF-8"><title>{_e(t.title)}</title></head>
<body><header class="site"><a class="brand" href="/">{_e(c['masthead'])}</a><time>{y}-{m}-{d}</time></header>
<nav class="pages">{pages}</nav>
<main>{meta}<article class="story">
<h2 class="st">{_e(t.kicker)}</h2><h1>{_e(t.title)}</h1><h3>{_e(t.subtitle)}</h3>
<founder-content>{paras}</founder-content>
<div class="share">{SHARE}</div></article>
<aside><h4>本版其他</h4><ul>{others}</ul></aside></main>
<footer><small>{_e(c['copyright'])}</small></footer></body></html>"""
    return f"{y}-{m}/{d}/node_{int(t.page)}.htm", codecs.BOM_UTF8 + page.encode("utf-8")


def legacy_ozoom(t: Truth, c: dict, a: dict, author: str, rng: random.Random
                 ) -> tuple[str, bytes]:
    """Old GB2312 page: <font> and <br> body in div#ozoom, current 版面 printed in the chrome."""
    y, m, d = t.date.split("-")
    pname = _page_name(t)
    meta = _enp(t, a, author, pname)
    pages = "".join(f'<td><a href="node_{n}.htm"><font color=white>{n:02d}</font></a></td>'
                    for n, _ in c["pages"])
    others = "<br>".join(f'<a href="content_{i}.htm">{_e(o)}</a>'
                         for i, o in enumerate(c["others"], 900))
    paras = "<br>\n".join(f"　　{_e(p)}" for p in _paras(t.body))
    page = f"""<html><head><meta http-equiv=Content-Type content="text/html; charset=GB2312">
<title>{_e(c['masthead'])}-{_e(t.title)}</title></head><body bgcolor=#ffffff>
<table><tr><td><b>{_e(c['masthead'])}</b></td><td>当前版：第{int(t.page):02d}版：{pname}</td></tr>
<tr>{pages}</tr></table>
<table><tr><td width=200 valign=top>{others}</td><td valign=top>{meta}
<table><tr><td align=center><font size=2>{_e(t.kicker)}</font></td></tr>
<tr><td align=center><font size=5><b>{_e(t.title)}</b></font></td></tr>
<tr><td align=center><font size=3>{_e(t.subtitle)}</font></td></tr>
<tr><td align=center><font size=2>{_e(author)}</font></td></tr></table>
<div id=ozoom><font size=3>{paras}</font></div>
</td></tr></table><center>{_e(c['copyright'])}</center></body></html>"""
    return f"{y}{m}{d}/legacy_{a['id'][-6:]}.htm", page.encode("gb18030")


_BUILD = {name: globals()[name] for name in TEMPLATES}


def make(a: dict, template: str, rng: random.Random, others: list[str]) -> tuple[str, bytes, Truth]:
    """One page of ``template`` for corpus row ``a``: (relative path, bytes, truth)."""
    names = [n for n in (a.get("reporter") or "").split("、") if n]
    extra = rng.choice(CORRESPONDENTS) if names and rng.random() < 0.2 else None
    author = _author(names, rng, extra)
    t = Truth(title=a["title"], kicker=rng.choice(KICKERS) if rng.random() < 0.5 else "",
              subtitle=rng.choice(SUBTITLES) if rng.random() < 0.4 else "",
              reporters=names + ([extra] if extra else []), date=a["date"], page=str(a["page"]),
              body="\n".join(_paras(a["body"])), template=template)
    c = _chrome(rng, others, a["page"])
    t.chrome = [c["masthead"], c["copyright"], "分享到", *others,
                *(name for _, name in c["pages"] if name != PAGE_NAMES[(a["page"] - 1)
                                                                     % len(PAGE_NAMES)])]
    rel, data = _BUILD[template](t, c, a, author, rng)
    return rel, data, t


def generate(n: int, out_dir: str | os.PathLike, seed: int = 7,
             templates: tuple[str, ...] = TEMPLATES) -> list[tuple[str, Truth]]:
    """Write ``n`` pages (templates in turn, articles drawn from the corpus) under ``out_dir``."""
    rng = random.Random(seed)
    rows = corpus()
    out: list[tuple[str, Truth]] = []
    for i in range(n):
        a = rows[rng.randrange(len(rows))]
        same_page = [r["title"] for r in rows if r["date"] == a["date"] and r["page"] == a["page"]
                     and r["title"] != a["title"]]
        others = rng.sample(same_page, min(len(same_page), rng.randint(2, 6)))
        rel, data, truth = make(a, templates[i % len(templates)], rng, others)
        path = Path(out_dir) / f"t{i:04d}" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        out.append((str(path), truth))
    return out


def nav_page() -> bytes:
    """A 版面 page: masthead, 版面 list, the page's headlines; no article."""
    pages = "".join(f'<a href="node_{n}.htm">第{n:02d}版：{name}</a>'
                    for n, name in enumerate(PAGE_NAMES[:8], 1))
    heads = "".join(f'<li><a href="content_{i}.htm">标题第{i}条新闻</a></li>' for i in range(8))
    return (f"<html><head><meta charset='utf-8'><title>劳动报 数字报</title></head><body>"
            f"<div class='header'>劳动报 数字报 2022年9月30日</div><div>{pages}</div>"
            f"<ul>{heads}</ul><div class='footer'>版权所有 劳动报社</div></body></html>"
            ).encode()


def empty_page() -> bytes:
    """A Founder article template with nothing filled in."""
    return ("<html><head><meta charset='utf-8'><title>劳动报 数字报</title></head><body>"
            "<!--enpproperty <articleid></articleid><date></date><author></author><title></title>"
            "<subtitle></subtitle><introtitle></introtitle><nodename></nodename>/enpproperty-->"
            "<h1></h1><div id='ozoom'><!--enpcontent--><founder-content></founder-content>"
            "<!--/enpcontent--></div><div class='share'>分享到：微信</div>"
            "<div class='footer'>版权所有 劳动报社</div></body></html>").encode()
