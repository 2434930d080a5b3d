"""Newspaper page PDFs in several layout families, printed by chromium, each with its truth.

Why: the PDF reader cuts a page into articles by type size and geometry; measured on pages
made like the reader expects, it would only be measured on its own habits.  These pages
print real articles of the corpus (``tests/data/pd1998-01-a.jsonl``, through
``tests.pagefamilies.articles``) the ways dailies lay out a 版面, as HTML that Debian's
chromium prints to PDF (a browser's text layer: Type 3 CJK fonts, one text object per run),
and the browser reports what it printed:

* ``grid``     — a lead story across the page, rows of stories below, text in 2–4 columns;
* ``boxed``    — stories in drawn frames, pictures with 图为…… captions and 某某摄 credits;
* ``sidebar``  — a strip of short items beside the main stories, a headline set beside its
  text (左题右文), bylines inside the dateline (本报讯（记者 张三）);
* ``feature``  — a 副刊 page: centred headlines, the author's name alone, four columns;
* ``mosaic``   — an irregular grid of sans-serif stories with rules between them, headlines
  not bold, the 版面 name after a middle dot (held out for its first measure, then tuned);
* ``tabloid``  — held out of tuning: a smaller page, a masthead over a dated header row,
  right-aligned headlines, bold centred subheads (小标题) inside the text;
* ``metro``    — held out of tuning, for the PDF reader and OCR alike: a city tabloid's
  front (都市报 A01), its masthead beside the date and 农历 and 今日N版, the page label
  printed as ``A01`` with no 版, a lead story in very heavy coloured type over a big
  photograph with a credit-ending caption, a column of teasers (导读) each ending
  （详见A05版）, a 时评 column under a reversed label with an author line ``□ 张三``, and
  bylines the way city papers print them (江城晨报记者 张三, 记者 张三　通讯员 李四).
* ``labor``, ``special`` — a union daily's comment page and a 专版
  (``tests.pdfnewfamilies``; held out for their first measure, then tuned).
* ``theory``, ``briefs`` — a 理论 page of long essays with numbered 小标题 and a 1990s news
  page with a framed column of 短讯 and a strip of news photographs (``tests.pdfdesigns``;
  held out for their first measure, then tuned).
* ``weekly``, ``youth`` — a weekly's front with a 导读 list, a vertical 看点 headline and an
  advertisement, and a youth daily's inside page with an interview, a headline under its
  picture and a page number in Chinese numerals (``tests.pdfpapers``; held out).
  The metro family's words — kickers, captions, subtitles, the paper, the 版面 names — are its own: none
  is in the page-dump families' lists (``tests.pagefamilies.WORDS``), which the other
  families here print, nor in what the splitter learned (``indexer/lexicon.py``).

Truth per article: kicker, title, subtitle, the reporters printed in a byline form, the
paragraphs as printed (bylines and captions included, as the page-dump reader keeps them),
and the phrases a column break cut (found by the browser: where a paragraph's next
character sits higher than the last one, it went on in the next column).  The page's
date, 版面 number and name are known too.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field

from indexer.byline import parse_byline
from tests import pdfbroad, pdfdesigns, pdfpapers
from tests import pdfnewfamilies as new
from tests.pagefamilies import WORDS, articles
from tests.pdfnewfamilies import NEW_FAMILIES

# The page-dump families' printed words, all of them: a PDF page prints what papers print.
KICKERS = [k for words in WORDS.values() for k in words.kickers]
UNITS = [u for words in WORDS.values() for u in words.units]

FAMILIES = ("grid", "boxed", "sidebar", "feature", "mosaic", "tabloid", "metro", "labor",
            "special", *pdfdesigns.DESIGNS, *pdfpapers.PAPERS, *pdfbroad.BROADS)
HELD_OUT = ("tabloid", "metro", *pdfpapers.PAPERS)
PAPERS = ["工人日报", "劳动午报", "某市日报", "人民日报"]
NAMES = ["要闻", "综合新闻", "经济", "工会新闻", "文化", "社会", "副刊", "国内新闻"]
WEEK = "一二三四五六日"
SUBS = ["——记全国劳动模范{n}", "——来自生产一线的报告", "——写在新年到来之际", "——{p}职工生活见闻",
        "——访{p}市总工会负责人", "——{p}国企改革纪实"]
PLACES = ["上海", "天津", "广州", "重庆", "西安", "沈阳", "武汉", "南京"]
CAPTIONS = ["图为职工们在生产线上忙碌。", "图为技术人员正在调试设备。", "图为新建成的职工之家。",
            "图为春运期间旅客在车站候车。", "图为农民在田间查看麦苗长势。"]


# ``metro``'s own words (a city tabloid's front): none in WORDS or indexer/lexicon.py.
METRO_PAPERS = ["江城晨报", "滨海快报", "东湖晚报"]
METRO_NAMES = ["要闻", "本埠新闻", "民生新闻", "江城新闻"]
METRO_KICKERS = ["寒潮来袭", "春运首日", "年货市场面面观", "菜价回落", "城中村改造进行时",
                 "岁末年初暖人心"]
METRO_SUBS = ["多部门联手保障节日供应", "出行前请查看天气预报", "首批居民已拿到新房钥匙",
              "全市设立临时售票点二十个", "热线电话全天二十四小时开通"]
METRO_CAPTIONS = ["冬日暖阳下，市民在江滩公园散步。", "年关将近，批发市场里人头攒动。",
                  "清晨，养护车辆清扫路面积雪。", "公交司机在发车前检查车况。"]
METRO_LABEL = "晨报时评"


@dataclass
class PdfArticle:
    """What the page printed for one article, and what the reader must give back."""

    kicker: str
    title: str
    subtitle: str
    # the names printed in a byline form; None when the page cannot vouch (no byline
    # printed, or the corpus text carries its own)
    reporters: list[str] | None
    paras: list[str]  # as printed, in reading order (byline and caption lines included)
    cuts: list[str] = field(default_factory=list)  # 6-character phrases a column break cut


@dataclass
class PdfPage:
    family: str
    seed: int
    date: str  # ISO
    page: str  # 版面 number
    name: str  # 版面 name
    html: str
    articles: list[PdfArticle] = field(default_factory=list)
    pdf: bytes = b""
    paper: str = ""  # the masthead's name
    banners: list[str] = field(default_factory=list)  # headlines of no article (a 通栏 banner)


# --------------------------------------------------------------------------- HTML pieces

_CSS = """
@page { size: %(w)smm %(h)smm; margin: 0 }
* { box-sizing: border-box }
body { margin: 0; width: %(w)smm; height: %(h)smm; padding: 12mm; font-family: %(body_font)s;
       font-size: %(body)spt; line-height: 1.5; color: #111 }
.mast { display: flex; justify-content: space-between; align-items: flex-end;
        border-bottom: 1.5pt solid #000; padding-bottom: 1.5mm; height: 12mm; font-size: 10pt }
.foot { position: absolute; bottom: 10mm; left: 12mm; right: 12mm; border-top: 0.75pt solid #000;
        padding-top: 1mm; font-size: 8.5pt; display: flex; gap: 8mm }
.page { display: grid; grid-template-columns: repeat(12, 1fr); gap: 5mm 6mm; margin-top: 4mm;
        height: %(grid)smm }
section.art { display: flex; flex-direction: column; overflow: hidden; min-height: 0 }
.kick { font-size: %(kick)spt; font-family: %(head_font)s; margin: 0 0 1mm }
h1 { font-size: %(title)spt; font-family: %(head_font)s; font-weight: %(weight)s; margin: 0;
     line-height: 1.25 }
.sub { font-size: %(sub)spt; font-family: %(head_font)s; margin: 1.5mm 0 0 }
.by { margin: 2mm 0 1mm; font-size: %(body)spt }
.body { flex: 1; min-height: 0; overflow: hidden; column-gap: 5mm; column-fill: balance;
        margin-top: 2mm }
.body p { margin: 0; text-indent: 2em; text-align: justify }
.body p.cap { text-indent: 0; font-size: %(cap)spt }
.fig { height: 40mm; background: #bbb; margin: 1mm 0 }
.body p.sh { text-indent: 0; text-align: center; font-weight: bold; font-size: 1.1em;
             margin: 1mm 0 }
"""


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class Slot:
    """Where one article goes on the 12-column grid, and how it is set."""

    col: int
    span: int
    row: str  # grid-row value, e.g. "1 / 3"
    cols: int  # text columns
    title: float  # title size (pt)
    boxed: bool = False
    figure: bool = False
    side: bool = False  # headline beside the text (左题右文)
    centre: bool = False
    rule: bool = False  # a rule above the story
    right: bool = False  # headline block set flush right
    teaser: bool = False  # a 导读 item: a small headline and a few lines (详见A05版)
    comment: bool = False  # a 时评 under a reversed column label, signed □ 张三


def _slots(family: str, rng: random.Random) -> tuple[str, list[Slot]]:
    """The grid rows (CSS) and the slots of one page of ``family``."""
    if family == "grid":
        if rng.random() < 0.5:
            return "150mm 150mm 1fr", [
                Slot(1, 12, "1", 4, rng.choice([26, 28, 30])),
                Slot(1, 6, "2", 2, 20), Slot(7, 6, "2", 2, 20),
                Slot(1, 4, "3", 1, 17), Slot(5, 4, "3", 1, 17), Slot(9, 4, "3", 1, 17)]
        return "170mm 1fr 1fr", [
            Slot(1, 12, "1", 4, rng.choice([26, 28])),
            Slot(1, 8, "2", 3, 21), Slot(9, 4, "2 / 4", 1, 18),
            Slot(1, 4, "3", 1, 17), Slot(5, 4, "3", 1, 17)]
    if family == "boxed":
        return "1fr 1fr 1fr", [
            Slot(1, 7, "1", 3, 24, boxed=True, figure=True),
            Slot(8, 5, "1 / 3", 2, 19, boxed=True),
            Slot(1, 7, "2", 2, 19, boxed=True, figure=rng.random() < 0.5),
            Slot(1, 6, "3", 2, 18, boxed=True), Slot(7, 6, "3", 2, 18, boxed=True,
                                                       figure=True)]
    if family == "sidebar":
        return "120mm 1fr 1fr 1fr", [
            Slot(4, 9, "1 / 3", 3, 26), Slot(1, 3, "1", 1, 15, rule=True),
            Slot(1, 3, "2", 1, 15, rule=True), Slot(1, 3, "3", 1, 15, rule=True),
            Slot(1, 3, "4", 1, 15, rule=True), Slot(4, 9, "3", 2, 20, side=True),
            Slot(4, 9, "4", 3, 20)]
    if family == "feature":
        return "1fr 1fr", [
            Slot(1, 12, "1", 4, 28, centre=True), Slot(1, 7, "2", 2, 22, centre=True),
            Slot(8, 5, "2", 1, 20, centre=True)]
    if family == "mosaic":
        return "110mm 130mm 1fr", [
            Slot(1, 9, "1", 3, 25, rule=True), Slot(10, 3, "1 / 3", 1, 16, rule=True),
            Slot(1, 5, "2", 2, 19, rule=True), Slot(6, 4, "2", 2, 18, rule=True),
            Slot(1, 3, "3", 1, 16, rule=True), Slot(4, 6, "3", 2, 19, rule=True),
            Slot(10, 3, "3", 1, 16, rule=True)]
    if family == "metro":  # lead over a big picture, teasers beside it, a 时评 and a story
        return "76mm 76mm 76mm 1fr", [
            Slot(1, 9, "1 / 4", 3, 34, figure=True), Slot(10, 3, "1", 1, 14, teaser=True),
            Slot(10, 3, "2", 1, 14, teaser=True), Slot(10, 3, "3", 1, 14, teaser=True),
            Slot(1, 4, "4", 1, 17, comment=True), Slot(5, 8, "4", 2, 22)]
    if family == "tabloid":
        return "1fr 1fr 1fr", [
            Slot(1, 8, "1", 3, 24), Slot(9, 4, "1 / 3", 1, 17, right=True),
            Slot(1, 4, "2", 1, 18, right=True), Slot(5, 4, "2", 1, 18),
            Slot(1, 6, "3", 2, 19), Slot(7, 6, "3", 2, 19, right=True)]
    raise ValueError(family)


_STYLE = {  # body font, headline font, body size, weight, caption size
    "grid": ("'Noto Serif CJK SC'", "'Noto Sans CJK SC'", 9.5, "bold"),
    "boxed": ("'Noto Serif CJK SC'", "'Noto Serif CJK SC'", 9.5, "bold"),
    "sidebar": ("'Noto Serif CJK SC'", "'Noto Sans CJK SC'", 10, "bold"),
    "feature": ("'Noto Serif CJK SC'", "'Noto Serif CJK SC'", 10, "bold"),
    "mosaic": ("'Noto Sans CJK SC'", "'Noto Serif CJK SC'", 10.5, "normal"),
    "tabloid": ("'Noto Sans CJK SC'", "'Noto Serif CJK SC'", 10, "bold"),
    "metro": ("'Noto Serif CJK SC'", "'Noto Sans CJK SC'", 10, "900"),
}
SUBHEADS = ["深化改革求实效", "职工得到实惠", "建章立制保长效", "真抓实干见成效", "群众满意是标准"]


def _credits(form: str, names: list[str], rng: random.Random, day: int
             ) -> tuple[str, str, str]:
    """(byline line, first-paragraph prefix, closing paragraph) for a byline form."""
    joined = " ".join(names)
    if form == "role":
        return "本报记者 " + joined, "", ""
    if form == "square":
        return "■本报记者　" + joined, "", ""
    if form == "bare":
        return joined, "", ""
    if form == "unit":
        return rng.choice(UNITS) + " " + names[0], "", ""
    if form == "dateline":
        where = rng.choice(["本报讯", f"本报{rng.choice(PLACES)}１月{_fw(day)}日电"])
        return "", f"{where}（记者 {joined}）", ""
    if form == "closing":
        return "", "", f"（{joined}）"
    return "", "", ""


def _fw(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


_FORMS = {
    "grid": {"role": 4, "dateline": 3, "none": 1, "square": 1},
    "boxed": {"role": 3, "dateline": 2, "closing": 1, "none": 1},
    "sidebar": {"dateline": 4, "role": 2, "closing": 1},
    "feature": {"bare": 4, "unit": 2, "role": 1},
    "mosaic": {"role": 2, "dateline": 2, "bare": 1, "closing": 1, "square": 1, "none": 1},
    "tabloid": {"role": 3, "dateline": 3, "closing": 1, "none": 1},
    "metro": {"paper": 3, "corresp": 2, "none": 1},
}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _metro_article(k: int, slot: Slot, art, rng: random.Random, pool: list[str],
                   paper: str) -> tuple[str, dict]:
    """One article of a ``metro`` page (a city tabloid's front) and its starting truth."""
    names = list(art.names) or [rng.choice(pool)]
    paras = list(art.paras)
    kicker = subtitle = line = caption = ""
    reporters: list[str] | None = None
    if slot.teaser:  # a few lines of the story, sending the reader to its page
        first = art.paras[0][:90]
        end = first.rfind("。")
        paras = [(first[:end + 1] if end > 20 else first) + f"（详见A{rng.randint(2, 16):02d}版）"]
    own = parse_byline(paras[0])
    tail = parse_byline(paras[-1])
    carries = (own and own.start == 0 and own.reporters) or (
        tail and tail.reporters and tail.end >= len(paras[-1].rstrip()))
    if slot.comment:
        kicker = METRO_LABEL
        line = f"□ {names[0]}"
        reporters = None if carries else names[:1]  # a text with its own credit: unvouched
    elif not slot.teaser:
        form = "none" if carries else _pick(rng, _FORMS["metro"])
        if form == "paper":
            line, reporters = f"{paper}记者 {' '.join(names[:2])}", names[:2]
        elif form == "corresp":
            other = rng.choice([n for n in pool if n not in names])
            line, reporters = f"记者 {names[0]}　通讯员 {other}", [names[0], other]
        if slot.figure or rng.random() < 0.35:
            kicker = rng.choice(METRO_KICKERS)
        if art.sub or rng.random() < (0.6 if slot.figure else 0.25):
            subtitle = art.sub or rng.choice(METRO_SUBS)
        if slot.figure:
            credit = rng.choice(["（{p}首席记者 {n} 摄）", "{p}记者 {n} 摄"])
            caption = rng.choice(METRO_CAPTIONS) + credit.format(p=paper, n=rng.choice(pool))
    red = "color:#a00000;" if slot.figure else ""
    head = ""
    if kicker and slot.comment:
        head += ('<div class="kick"><span style="background:#222;color:#fff;padding:0.5mm 2mm;'
                 f'font-weight:bold">{_esc(kicker)}</span></div>')
    elif kicker:
        head += f'<div class="kick">{_esc(kicker)}</div>'
    head += f'<h1 style="font-size:{slot.title}pt;{red}">{_esc(art.title)}</h1>'
    if subtitle:
        head += f'<div class="sub">{_esc(subtitle)}</div>'
    by = f'<div class="by">{_esc(line)}</div>' if line else ""
    fig = ('<div class="fig" style="height:95mm"></div><div style="font-size:8.5pt;'
           f'margin:1mm 0 2mm">{_esc(caption)}</div>') if caption else ""
    ps = "".join(f"<p>{_esc(p)}</p>" for p in paras)
    box = ("background:#eee;border-top:2pt solid #a00000;padding:2mm;" if slot.teaser else "")
    grid = f"grid-column:{slot.col} / span {slot.span};grid-row:{slot.row};"
    html = (f'<section class="art" data-k="{k}" data-closing="" style="{grid}{box}">{head}{by}'
            f'{fig}<div class="body" style="column-count:{slot.cols}">{ps}</div></section>')
    return html, {"kicker": kicker, "title": art.title, "subtitle": subtitle,
                  "reporters": reporters, "byline": line, "caption": bool(caption),
                  "caption_text": caption}


def _metro_header(rng: random.Random, paper: str, day: int, page: str, name: str) -> str:
    """A city tabloid's masthead: the paper in heavy red beside the date, the 农历 and how
    many pages today; under it a row with the page label (A01, no 版) and its name."""
    w = WEEK[(day + 2) % 7]
    tens = ["初", "十", "廿"]
    n = min(30, day + 2)  # 1998-01-01 was 腊月初三
    lunar = "三十" if n == 30 else ("初十" if n == 10 else "二十" if n == 20 else
                                   tens[(n - 1) // 10] + "一二三四五六七八九十"[(n - 1) % 10])
    return (f'<div style="display:flex;justify-content:space-between;align-items:flex-end;'
            f'height:20mm;border-bottom:2.5pt solid #a00000;padding-bottom:1.5mm">'
            f'<span style="font-size:34pt;font-weight:900;color:#a00000;'
            f"font-family:'Noto Sans CJK SC'\">{_esc(paper)}</span>"
            f'<span style="font-size:9pt;text-align:right">1998年1月{day}日　星期{w}<br>'
            f"农历丁丑年腊月{lunar}　今日{rng.choice([24, 32, 40])}版</span></div>"
            f'<div class="mast" style="height:7mm;font-size:10pt">'
            f'<span style="font-weight:bold">A{int(page[1:]):02d}</span><span>{_esc(name)}</span>'
            f"<span>新闻热线：96{rng.randint(100000, 999999)}</span></div>")


def _article_html(k: int, slot: Slot, art, family: str, rng: random.Random, day: int,
                  pool: list[str]) -> tuple[str, dict]:
    """One article's HTML and its starting truth (the browser finishes it)."""
    names = list(art.names) or [rng.choice(pool)]
    form = _pick(rng, _FORMS[family])
    own = parse_byline(art.paras[0])
    tail = parse_byline(art.paras[-1])
    if (own and own.start == 0 and own.reporters) or (
            tail and tail.reporters and tail.end >= len(art.paras[-1].rstrip())):
        form = "none"  # the corpus text carries its own byline or credit: print no other
    if form == "closing" and len(names) > 2:
        form = "role"
    line, prefix, closing = _credits(form, names, rng, day)
    kicker = rng.choice(KICKERS) if rng.random() < 0.35 else ""
    subtitle = art.sub if art.sub else (
        rng.choice(SUBS).format(n=rng.choice(pool), p=rng.choice(PLACES))
        if rng.random() < 0.25 else "")
    paras = list(art.paras)
    if prefix:
        paras[0] = prefix + paras[0]
    caption = ""
    if slot.figure:
        caption = rng.choice(CAPTIONS) + rng.choice(["（{n}摄）", "　{n} 摄", "（本报记者　{n}摄）"]
                                                    ).format(n=rng.choice(pool))
    head_style = ("text-align:center;" if slot.centre else "") + (
        "text-align:right;" if slot.right else "")
    if family == "tabloid" and len(paras) > 3 and rng.random() < 0.6:
        paras.insert(2, "\x00" + rng.choice(SUBHEADS))  # a bold centred subhead
    box = ("border:1pt solid #000;padding:3mm;" if slot.boxed else "") + (
        "border-top:0.75pt solid #444;padding-top:2mm;" if slot.rule else "")
    head = ""
    if kicker:
        head += f'<div class="kick" style="{head_style}">{_esc(kicker)}</div>'
    head += f'<h1 style="font-size:{slot.title}pt;{head_style}">{_esc(art.title)}</h1>'
    if subtitle:
        head += f'<div class="sub" style="{head_style}">{_esc(subtitle)}</div>'
    by = f'<div class="by" style="{head_style}">{_esc(line)}</div>' if line else ""
    fig = ""
    if caption:
        fig = '<div class="fig"></div>'
    ps = "".join(f'<p class="sh">{_esc(p[1:])}</p>' if p.startswith("\x00") else
                 f"<p>{_esc(p)}</p>" for p in paras)
    if caption:
        ps = f'<p class="cap">{_esc(caption)}</p>' + ps
    grid = f"grid-column:{slot.col} / span {slot.span};grid-row:{slot.row};"
    cols = f"column-count:{slot.cols};" + ("column-rule:0.5pt solid #888;" if slot.cols > 2
                                           and family != "mosaic" else "")
    if slot.side:
        html = (f'<section class="art" data-k="{k}" data-closing="{_esc(closing)}" '
                f'style="{grid}{box}flex-direction:row;gap:5mm">'
                f'<div style="width:28%;flex:none">{head}{by}</div>'
                f'<div style="flex:1;display:flex;flex-direction:column;min-width:0">{fig}'
                f'<div class="body" style="{cols}margin-top:0">{ps}</div></div></section>')
    else:
        html = (f'<section class="art" data-k="{k}" data-closing="{_esc(closing)}" '
                f'style="{grid}{box}">{head}{by}{fig}'
                f'<div class="body" style="{cols}">{ps}</div></section>')
    truth = {"kicker": kicker, "title": art.title, "subtitle": subtitle,
             "reporters": None if form == "none" else
             ([names[0]] if form == "unit" else names),
             "byline": line, "caption": bool(caption)}
    return html, truth


def _header(family: str, rng: random.Random, paper: str, day: int, page: str, name: str
            ) -> str:
    w = WEEK[(day + 2) % 7]  # 1998-01-01 was a Thursday
    date = f"1998年1月{day}日"
    if family == "mosaic":
        parts = [f"{date}　星期{w}", paper, f"第{page}版 · {name}"]
    elif family == "tabloid":
        return (f'<div style="text-align:center;font-size:15pt;font-weight:bold">{paper}</div>'
                f'<div class="mast" style="height:7mm"><span>{date}　星期{w}</span>'
                f"<span>{name}</span><span>第{page}版</span></div>")
    elif family == "feature":
        parts = [f"{paper}", f"{name}", f"{date}　星期{w}　第{page}版"]
    elif rng.random() < 0.5:
        parts = [paper, f"{date}　星期{w}", f"第{page}版：{name}"]
    else:
        parts = [f"{page.zfill(2)}版：{name}", f"{date}　星期{w}", paper]
    return '<div class="mast">' + "".join(f"<span>{_esc(p)}</span>" for p in parts) + "</div>"


def _footer(rng: random.Random, pool: list[str]) -> str:
    parts = [f"责任编辑：{rng.choice(pool)}", f"版式：{rng.choice(pool)}",
             f"校对：{rng.choice(pool)}"]
    if rng.random() < 0.5:
        parts = [f"本版编辑：{rng.choice(pool)}", f"美术编辑：{rng.choice(pool)}"]
    return '<div class="foot">' + "".join(f"<span>{_esc(p)}</span>" for p in parts) + "</div>"


def make_html(family: str, seed: int) -> tuple[PdfPage, list[dict]]:
    """One page of ``family`` as HTML, with the truth the browser does not need to finish."""
    rng = random.Random(f"{family}:{seed}")
    pool = sorted({n for a in articles() for n in a.names if len(n) == 3})
    if family in NEW_FAMILIES:
        return _new_html(family, seed, rng, pool)
    if family in pdfdesigns.DESIGNS:
        return _design_html(family, seed, rng, pool)
    if family in pdfpapers.PAPERS:
        return _paper_html(family, seed, rng, pool)
    if family in pdfbroad.BROADS:
        return _broad_html(family, seed, rng, pool)
    usable = [a for a in articles() if a.kind in ("news", "feature")
              and 2 <= len(a.paras) and not re.search(r"[<>&]", a.title)]
    rows, slots = _slots(family, rng)
    chosen = rng.sample(usable, len(slots))
    day = rng.randint(1, 31)
    page = str(rng.randint(1, 12))
    name = rng.choice(NAMES)
    paper = rng.choice(PAPERS)
    if family == "metro":
        page, name, paper = f"A{rng.randint(1, 8)}", rng.choice(METRO_NAMES), rng.choice(
            METRO_PAPERS)
    body_font, head_font, body, weight = _STYLE[family]
    css = _CSS % {"body_font": body_font, "head_font": head_font, "body": body,
                  "kick": round(body * 1.3, 1), "sub": round(body * 1.35, 1),
                  "title": 24, "weight": weight, "cap": round(body * 0.9, 1),
                  "w": {"tabloid": 297, "metro": 280}.get(family, 350),
                  "h": {"tabloid": 420, "metro": 400}.get(family, 500),
                  "grid": {"tabloid": 360, "metro": 318}.get(family, 452)}
    parts, truths = [], []
    for k, (slot, art) in enumerate(zip(slots, chosen, strict=True)):
        if family == "metro":
            html, truth = _metro_article(k, slot, art, rng, pool, paper)
        else:
            html, truth = _article_html(k, slot, art, family, rng, day, pool)
        parts.append(html)
        truths.append(truth)
    if family == "metro":
        header = _metro_header(rng, paper, day, page, name)
        footer = ('<div class="foot">' + "".join(
            f"<span>{t}：{rng.choice(pool)}</span>" for t in ("本版责编", "美编", "校对"))
            + "</div>")
    else:
        header = _header(family, rng, paper, day, page, name)
        footer = _footer(rng, pool)
    html = (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>{css}"
            f".page{{grid-template-rows:{rows}}}</style></head><body>"
            + header + f'<div class="page">{"".join(parts)}</div>' + footer
            + "</body></html>")
    return PdfPage(family, seed, f"1998-01-{day:02d}", page, name, html, paper=paper), truths


def _new_html(family: str, seed: int, rng: random.Random, pool: list[str]
              ) -> tuple[PdfPage, list[dict]]:
    """A page of one of :mod:`tests.pdfnewfamilies`' designs, on an A3 page."""
    rows, slots = new.slots(family)
    chosen = new.pools(rng, family, len(slots))
    day = rng.randint(1, 31)
    page, name, paper = new.page_meta(family, rng)
    body = 9.5 if family == "labor" else 10
    head_font = "'Noto Sans CJK SC'" if family == "labor" else "'Noto Serif CJK SC'"
    css = _CSS % {"body_font": "'Noto Serif CJK SC'", "head_font": head_font, "body": body,
                  "kick": round(body * 1.3, 1), "sub": round(body * 1.35, 1), "title": 24,
                  "weight": "bold", "cap": round(body * 0.9, 1), "w": 297, "h": 420,
                  "grid": 354 if family == "labor" else 360}
    parts, truths = [], []
    banners = []
    if family == "special":
        html, text = new.banner(rng)
        parts.append(html)
        banners.append(text)
    labels = new.LABOR_LABELS
    for k, (slot, art) in enumerate(zip(slots, chosen, strict=True)):
        html, truth = new.story(k, slot, art, rng, pool, paper, labels)
        parts.append(html)
        truths.append(truth)
    html = (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>{css}"
            f"{new.CSS}.page{{grid-template-rows:{rows}}}</style></head><body>"
            + new.header(family, rng, paper, day, page, name, pool)
            + f'<div class="page">{"".join(parts)}</div>' + new.footer(family, rng, pool)
            + "</body></html>")
    return PdfPage(family, seed, f"1998-01-{day:02d}", page, name, html, paper=paper,
                   banners=banners), truths


def _design_html(family: str, seed: int, rng: random.Random, pool: list[str]
                 ) -> tuple[PdfPage, list[dict]]:
    """A page of one of :mod:`tests.pdfdesigns`' designs, on an A3 page."""
    d = pdfdesigns.make(family, rng, pool)
    body = 10 if family == "theory" else 9.5
    css = _CSS % {"body_font": "'Noto Serif CJK SC'", "head_font": "'Noto Sans CJK SC'",
                  "body": body, "kick": round(body * 1.3, 1), "sub": round(body * 1.35, 1),
                  "title": 24, "weight": "bold", "cap": round(body * 0.9, 1), "w": 297,
                  "h": 420, "grid": 350 if family == "theory" else 356}
    html = (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>{css}"
            f"{pdfdesigns.CSS}.page{{grid-template-rows:{d['rows']}}}</style></head><body>"
            + d["header"] + f'<div class="page">{"".join(d["parts"])}</div>' + d["footer"]
            + "</body></html>")
    return PdfPage(family, seed, f"1998-01-{d['day']:02d}", d["page"], d["name"], html,
                   paper=d["paper"], banners=d["banners"]), d["truths"]


def _paper_html(family: str, seed: int, rng: random.Random, pool: list[str]
                ) -> tuple[PdfPage, list[dict]]:
    """A page of one of :mod:`tests.pdfpapers`' designs, on an A3 page."""
    d = pdfpapers.make(family, rng, pool)
    css = _CSS % {"body_font": "'Noto Serif CJK SC'", "head_font": "'Noto Sans CJK SC'",
                  "body": 9.5, "kick": 12.5, "sub": 13, "title": 24, "weight": "bold",
                  "cap": 8.5, "w": 297, "h": 420, "grid": 360 if family == "weekly" else 358}
    html = (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>{css}"
            f"{pdfpapers.CSS}.page{{grid-template-rows:{d['rows']}}}</style></head><body>"
            + d["header"] + f'<div class="page">{"".join(d["parts"])}</div>' + d["footer"]
            + "</body></html>")
    return PdfPage(family, seed, f"1998-01-{d['day']:02d}", d["page"], d["name"], html,
                   paper=d["paper"], banners=d["banners"]), d["truths"]


def _broad_html(family: str, seed: int, rng: random.Random, pool: list[str]
                ) -> tuple[PdfPage, list[dict]]:
    """A page of :mod:`tests.pdfbroad`'s design, on an A3 page."""
    d = pdfbroad.make(rng, pool)
    css = _CSS % {"body_font": "'Noto Serif CJK SC'", "head_font": "'Noto Sans CJK SC'",
                  "body": 9.5, "kick": 12.5, "sub": 13, "title": 24, "weight": "bold",
                  "cap": 8.5, "w": 297, "h": 420, "grid": 316}
    html = (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>{css}"
            f"{pdfbroad.CSS}.page{{grid-template-rows:{d['rows']}}}</style></head><body>"
            + d["header"] + f'<div class="page">{"".join(d["parts"])}</div>' + d["footer"]
            + "</body></html>")
    return PdfPage(family, seed, f"1998-01-{d['day']:02d}", d["page"], d["name"], html,
                   paper=d["paper"], banners=d["banners"]), d["truths"]


# Fit every story to its slot (drop or shorten its last paragraphs until nothing overflows),
# then report what each printed: its paragraphs and the phrases a column break cut.
_FIT_AND_READ = r"""
() => {
  const over = b => b.scrollHeight > b.clientHeight + 1 || b.scrollWidth > b.clientWidth + 1;
  const out = [];
  for (const sec of document.querySelectorAll('section.art')) {
    const body = sec.querySelector('.body');
    const closing = sec.dataset.closing || '';
    const close = () => {  // a closing credit ends the last paragraph printed
      const ps = [...body.querySelectorAll('p:not(.cap)')];
      const last = ps[ps.length - 1];
      if (closing && !last.textContent.endsWith(closing)) last.textContent += closing;
    };
    close();
    let guard = 0;
    while (over(body) && guard++ < 400) {
      const ps = [...body.querySelectorAll('p:not(.cap)')];
      const last = ps[ps.length - 1];
      if (ps.length > 1) {  // a 小标题 (p.pt) left last goes with the paragraph it headed
        last.remove();
        const rest = [...body.querySelectorAll('p:not(.cap)')];
        if (rest.length > 1 && rest[rest.length - 1].classList.contains('pt')) rest.pop().remove();
        close(); continue;
      }
      const t = last.textContent;
      const cut = t.lastIndexOf('。', Math.floor(t.length * 0.8));
      last.textContent = cut > 10 ? t.slice(0, cut + 1) : t.slice(0, Math.floor(t.length * 0.8));
      close();
    }
    const paras = [], cuts = [];
    const range = document.createRange();
    for (const p of body.querySelectorAll('p')) {
      const node = p.firstChild;
      if (!node) continue;
      const text = node.textContent;
      paras.push(text);
      let prev = null;
      for (let i = 0; i < text.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const r = range.getClientRects()[0];
        if (!r || r.width === 0) continue;
        if (prev && r.top < prev.top - 2 && r.left > prev.left + 5 && i >= 3
            && i + 3 <= text.length && !/\s/.test(text.slice(i - 3, i + 3))) {
          cuts.push(text.slice(i - 3, i + 3));
        }
        prev = r;
      }
    }
    out.push({paras, cuts, overflow: over(body)});
  }
  return out;
}
"""


# One tab per browser prints every page (each page's HTML replaces the last one's document):
# a new tab is a new context and renderer process, which costs chromium more than a page.
_TABS: dict[int, object] = {}


def _tab(browser):  # noqa: ANN001, ANN202 - a Playwright Browser and Page
    tab = _TABS.get(id(browser))
    if tab is None or tab.is_closed() or tab.context.browser is not browser:
        tab = _TABS[id(browser)] = browser.new_page(viewport={"width": 1323, "height": 1890})
    return tab


def render(browser, family: str, seed: int) -> PdfPage:  # noqa: ANN001 - a Playwright Browser
    """One page of ``family`` printed to PDF by ``browser``, with its truth."""
    page, truths = make_html(family, seed)
    tab = _tab(browser)
    try:
        tab.set_content(page.html)
        tab.evaluate("document.fonts.ready")
        printed = tab.evaluate(_FIT_AND_READ)
        page.pdf = tab.pdf(prefer_css_page_size=True, print_background=True)
    except Exception:
        tab.close()  # the next page gets a fresh tab
        raise
    for truth, got in zip(truths, printed, strict=True):
        paras = list(got["paras"])
        if truth.get("lead_text"):  # a 提要 printed across the columns, over them
            paras.insert(0, truth["lead_text"])
        if truth.get("caption_text"):  # printed under the picture, over the text
            paras.insert(0, truth["caption_text"])
        if truth["byline"]:
            paras.insert(0, truth["byline"])
        page.articles.append(PdfArticle(truth["kicker"], truth["title"], truth["subtitle"],
                                        truth["reporters"], paras, got["cuts"]))
    return page


def truth_json(page: PdfPage) -> str:
    """The page's truth as JSON (for a look at what a family prints)."""
    return json.dumps({"family": page.family, "date": page.date, "page": page.page,
                       "name": page.name, "articles": [a.__dict__ for a in page.articles]},
                      ensure_ascii=False, indent=1)


# --------------------------------------------------------------------------- scoring

CHECKS = ("title", "kicker", "subtitle", "reporters", "date", "版面", "body", "phrases",
          "no foreign headline")


def _sq(s: str) -> str:
    return re.sub(r"\s+", "", s)


def score(page: PdfPage, loaded: list) -> tuple[dict[str, list[int]], list[str]]:
    """Checks of one page read by the PDF reader: {check: [right, total]} and what failed.

    ``loaded`` is what :func:`indexer.readers.pdf.read_pdf` yielded for the page.  A truth
    article is matched to the read article whose body holds its first printed paragraph's
    opening (or, failing that, whose title is its title).
    """
    from indexer.records import Loaded

    arts = [x.article for x in loaded if isinstance(x, Loaded)]
    counts = {c: [0, 0] for c in CHECKS}
    fails: list[str] = []

    def check(name: str, ok: bool, what: str) -> None:
        counts[name][1] += 1
        counts[name][0] += ok
        if not ok:
            fails.append(f"{page.family}:{page.seed} {name}: {what}")

    titles = [_sq(t.title) for t in page.articles] + [_sq(b) for b in page.banners]
    for truth in page.articles:
        opening = _sq(truth.paras[-1])[:12] if truth.paras else ""
        got = next((a for a in arts if _sq(a.title) == _sq(truth.title)
                    and opening in _sq(a.body)), None)
        if got is None:
            got = next((a for a in arts if opening and opening in _sq(a.body)), None)
        if got is None:
            got = next((a for a in arts if _sq(a.title) == _sq(truth.title)), None)
        label = truth.title[:16]
        if got is None:
            for name in CHECKS:
                if name != "phrases":
                    check(name, False, f"{label}: not found")
            for cut in truth.cuts:
                check("phrases", False, f"{label}: {cut} (article not found)")
            continue
        check("title", _sq(got.title) == _sq(truth.title), f"{label}: got {got.title!r}")
        check("kicker", _sq(got.kicker) == _sq(truth.kicker),
              f"{label}: {got.kicker!r} for {truth.kicker!r}")
        check("subtitle", _sq(got.subtitle) == _sq(truth.subtitle),
              f"{label}: {got.subtitle!r} for {truth.subtitle!r}")
        if truth.reporters is not None:
            check("reporters", sorted(got.reporters) == sorted(truth.reporters),
                  f"{label}: {got.reporters} for {truth.reporters}")
        check("date", got.date == page.date, f"{label}: {got.date}")
        check("版面", got.page == page.page and got.page_name == page.name,
              f"{label}: {got.page} {got.page_name!r} for {page.page} {page.name!r}")
        want = "".join(_sq(p) for p in truth.paras)
        body = _sq(got.body)
        missing = [p[:10] for p in truth.paras if _sq(p) not in body]
        check("body", not missing and len(body) == len(want),
              f"{label}: {len(body)} chars for {len(want)}, missing {missing[:2]}")
        for cut in truth.cuts:
            check("phrases", cut in got.body, f"{label}: {cut}")
        foreign = [t for t in titles if t != _sq(truth.title) and len(t) >= 5 and t in body]
        check("no foreign headline", not foreign, f"{label}: holds {foreign[:1]}")
    return counts, fails
