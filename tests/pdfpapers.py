"""Two more 版面 designs for ``tests.pdffamilies`` (and its scans), modelled on how weeklies
and youth dailies set a page.

Why: every other design was set by the same few habits (a headline over its columns, a
byline under it, a footer of 责任编辑); these two set pages the way other kinds of paper do,
so their first measure says how the reader does on a page whose habits it never saw.

* ``weekly`` — a weekly's front (南方周末 / 环球时报 style): a tall masthead (the paper's name
  in red, 总第N期 and 今日十六版 under it, the 国内统一刊号, the date and 第1版 with the 版面
  name at the right); a lead under a two-clause 引题 set over a 30 pt 主题, credited
  ``文/本报记者 张三　图/李四``, a photograph across its columns with a caption, its text
  jumping to another page (（转第N版）); at the right a dark 看点 box with a vertical headline
  in white over a short summary pointing to its page (（文见第N版）), and under it a 本期导读
  list (titles and page numbers, no story); a comment under a label on a thick rule, credited
  ``文/张三``; a story by a correspondent and a reporter; an advertisement across the foot
  (a brand in big type, an address and a telephone number, 广告 in a corner), no footer.
* ``youth``  — a youth daily's inside page (中国青年报 / 北京青年报 style): the header is a
  coloured bar with the 版面 name, the date and the page number in Chinese numerals
  (第七版) in white; a question-and-answer interview under a boxed label, its 提要 set bold
  across the columns before them, the questions bold (问：…) and the answers plain (答：…);
  a photo story whose headline is set under the picture, the photographer's credit
  (图/本报记者 张三) under the picture; a 热线 letter in a dotted box signed at its foot
  （读者 张三）; a story in two columns with a coloured subtitle, ■ 小标题 inside the text
  and a ``文/图`` credit; the footer set ``编辑/张三　设计/李四　校对/王五``.

The labels, banners, 版面 names, questions and advertisements are their own: none is in the
splitter's lists (``indexer/lexicon.py``), the page-dump families or the other PDF designs.
The 导读 titles, the 看点 label and the advertisement's brand are headlines of no article
(``PdfPage.banners``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.pagefamilies import articles

PAPERS = ("weekly", "youth")

WEEKLY_PAPERS = ["工友周末", "劳动周报", "职工生活周刊"]
WEEKLY_NAMES = ["焦点", "封面故事", "本期关注"]
COUPLETS = ["岁末寒冬送温暖　困难职工度难关", "政策落实到基层　实惠送进千万家",
            "下岗不下志　创业天地宽", "一线传来好消息　百姓心里暖洋洋"]
LOOK_LABELS = ["本期看点", "周末视点"]
TOC_LABEL = "本期导读"
COMMENT_LABELS = ["周末闲谈", "茶楼夜话", "百姓议事厅"]
BRANDS = ["春燕牌电暖器", "金鹰自行车", "红梅牌缝纫机", "长风牌洗衣机"]
SALES = ["冬季让利大酬宾", "新春购物送好礼", "以旧换新优惠多"]
ROADS = ["解放大道", "中山路", "人民路", "建设街"]
YOUTH_PAPERS = ["青年导报", "城市青年报"]
YOUTH_NAMES = ["青春·就业", "校园·成长", "青年·视点"]
TALK_LABELS = ["青年对话", "面对面"]
QUESTIONS = ["您是怎样看待这件事的？", "当时遇到的最大困难是什么？", "接下来还有什么打算？",
             "您想对年轻人说些什么？", "这些变化是从什么时候开始的？"]
TEASERS = ["困难面前，大家想了哪些办法，请看记者的采访。",
           "一年来的变化有目共睹，背后的故事同样动人。"]
HOTLINE = ["青春热线", "读者来信"]
POINTS = ["从一件小事说起", "身边人的变化", "还有哪些难题", "下一步怎么走"]
SUBTITLE_COLOR = "#0b5aa2"
WEEK = "一二三四五六日"
CN = "〇一二三四五六七八九十"


@dataclass
class PSlot:
    """Where one story goes on the 12-column grid and how it is set."""

    col: int
    span: int
    row: str
    cols: int
    title: float
    kind: str  # lead, look, comment, story, talk, photo, hotline, points


def slots(family: str) -> tuple[str, list[PSlot]]:
    """The grid rows (CSS) and the slots of one page of ``family``."""
    if family == "weekly":
        return "205mm 1fr 34mm", [
            PSlot(1, 9, "1", 3, 30, "lead"), PSlot(10, 3, "1", 1, 21, "look"),
            PSlot(1, 4, "2", 1, 17, "comment"), PSlot(5, 5, "2", 2, 18, "story")]
    if family == "youth":
        return "215mm 1fr", [
            PSlot(1, 8, "1", 3, 24, "talk"), PSlot(9, 4, "1", 1, 15, "photo"),
            PSlot(1, 4, "2", 1, 16, "hotline"), PSlot(5, 8, "2", 2, 20, "points")]
    raise ValueError(family)


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _sentences(text: str, most: int) -> str:
    cut = text[:most]
    end = cut.rfind("。")
    return cut[:end + 1] if end > 20 else cut


def _cn(n: int) -> str:
    return CN[n] if n <= 10 else "十" + CN[n - 10]


def pools(rng: random.Random, family: str) -> list:
    """The corpus articles of one page: a short title for the vertical headline and the
    photo story, long texts for the lead and the interview."""
    usable = [a for a in articles() if a.kind in ("news", "feature") and len(a.paras) >= 2
              and not any(c in a.title for c in "<>&")]
    chosen: list = []
    for slot in slots(family)[1]:
        if slot.kind == "look":
            pick = [a for a in usable if 6 <= len(a.title) <= 10]
        elif slot.kind == "photo":
            pick = [a for a in usable if 6 <= len(a.title) <= 13 and len(a.paras[0]) >= 60]
        elif slot.kind in ("lead", "talk"):
            pick = [a for a in usable if len(a.paras) >= 5 and len(a.title) <= 20
                    and sum(map(len, a.paras)) >= 1500]
        else:
            pick = usable
        chosen.append(rng.choice([a for a in pick if a not in chosen]))
    return chosen


def _carries(paras: list[str]) -> bool:
    """The corpus text names its own writer (its first or last line): the page then vouches
    for no byline of its own."""
    from indexer.byline import parse_byline

    own = parse_byline(paras[0])
    tail = parse_byline(paras[-1])
    return bool((own and own.start == 0 and own.reporters) or (
        tail and tail.reporters and tail.end >= len(paras[-1].rstrip())))


def _story(k: int, slot: PSlot, art, rng: random.Random, pool: list[str]) -> tuple[str, dict]:
    """One story's HTML and its starting truth (the browser finishes it: what fits)."""
    from indexer.byline import author_line

    names = list(art.names) or [rng.choice(pool)]
    paras = list(art.paras)
    if len(paras) > 2 and author_line(paras[0]):  # the text opens with its author's name
        names, paras = author_line(paras[0])[0], paras[1:]  # alone: the page's credit names him
    carries = _carries(paras)
    kicker = subtitle = line = closing = caption = ""
    reporters: list[str] | None = None
    other = rng.choice([n for n in pool if n not in names])
    head_style = ""
    body_cls = "body"
    pre = post = ""  # printed before / after the headline block
    box = ""
    if slot.kind == "lead":
        kicker = rng.choice(COUPLETS)
        line = f"文/本报记者　{names[0]}　图/{other}"
        # the project's byline reading credits 文/ and 图/ alike (tests/test_byline.py)
        reporters = None if carries else [names[0], other]
        caption = _sentences(rng.choice(paras[1:]), 80)
        if not caption.startswith("图为"):
            caption = "图为" + caption.lstrip("　 ")
        closing = f"（转第{rng.randint(2, 8)}版）"
        head_style = "font-weight:900;"
    elif slot.kind == "look":
        paras = [rng.choice(TEASERS) + f"（文见第{rng.randint(2, 16)}版）"]
    elif slot.kind == "comment":
        kicker = rng.choice(COMMENT_LABELS)
        line = f"文/{names[0]}"
        reporters = None if carries else names[:1]
        box = "border-top:3pt solid #333;padding-top:1.5mm;"
    elif slot.kind == "story":
        if not carries:
            line = f"本报通讯员　{other}　本报记者　{names[0]}"
            reporters = [other, names[0]]
    elif slot.kind == "talk":
        kicker = rng.choice(TALK_LABELS)
        line = f"本报记者　{names[0]}"
        reporters = None if carries else names[:1]
        lead = _sentences(paras[0], 90)
        qs = rng.sample(QUESTIONS, 3)
        rest = [("答：" + p) for p in paras[1:]]
        for i, at in enumerate((0, 2, 4)):
            if at <= len(rest):
                rest.insert(at + i, "\x00问：" + qs[i])
        paras = ["\x01" + lead, *rest]
    elif slot.kind == "photo":
        line = f"图/本报记者　{other}"  # the photographer's credit names no reporter
        paras = [_sentences(paras[0], 120)]
    elif slot.kind == "hotline":
        kicker = rng.choice(HOTLINE)
        closing = f"（读者　{other}）"
        box = "border:1pt dotted #333;padding:2.5mm;"
    elif slot.kind == "points":
        subtitle = art.sub or f"{rng.choice(['记者', '本报'])}走访{rng.randint(3, 9)}家单位"
        if not carries:
            line = f"文/图　本报记者　{names[0]}"
            reporters = names[:1]
        points = rng.sample(POINTS, 2)
        for i, at in enumerate((1, 3)):
            if at < len(paras):
                paras.insert(at + i, "\x00■ " + points[i])
    ps = "".join(f'<p class="q pt">{esc(p[1:])}</p>' if p.startswith("\x00") else
                 f'<p class="tiyao">{esc(p[1:])}</p>' if p.startswith("\x01") else
                 f"<p>{esc(p)}</p>" for p in paras)
    if slot.kind == "talk":  # the 提要 across the columns, then the columns
        tiyao, ps = ps.split("</p>", 1)
        pre_cols = tiyao + "</p>"
    else:
        pre_cols = ""
    title = f'<h1 style="font-size:{slot.title}pt;{head_style}">{esc(art.title)}</h1>'
    kick = ""
    if slot.kind == "talk":
        kick = (f'<div class="kick"><span style="border:1pt solid {SUBTITLE_COLOR};'
                f'color:{SUBTITLE_COLOR};padding:0 2mm;font-weight:bold">{esc(kicker)}</span></div>')
    elif slot.kind == "comment":
        kick = f'<div class="kick" style="color:#b00000;font-weight:bold">{esc(kicker)}</div>'
    elif kicker:
        kick = f'<div class="kick">{esc(kicker)}</div>'
    sub = (f'<div class="sub" style="color:{SUBTITLE_COLOR}">{esc(subtitle)}</div>'
           if subtitle else "")
    by = f'<div class="by">{esc(line)}</div>' if line else ""
    cols = f"column-count:{slot.cols};" + ("column-rule:0.5pt solid #888;" if slot.cols > 2
                                           else "")
    grid = f"grid-column:{slot.col} / span {slot.span};grid-row:{slot.row};"
    if slot.kind == "look":  # a dark box: the vertical headline in white over its summary
        html = (f'<section class="art look" data-k="{k}" data-closing="" style="{grid}">'
                f'<div class="lookhead"><h1 style="font-size:{slot.title}pt">'
                f'{esc(art.title)}</h1></div>'
                f'<div class="{body_cls}" style="{cols}">{ps}</div></section>')
    elif slot.kind == "photo":  # picture, credit, then the headline under the picture
        html = (f'<section class="art" data-k="{k}" data-closing="" style="{grid}">'
                '<div class="fig" style="height:95mm"></div>'
                f'<div class="by" style="text-align:right;margin:0.5mm 0 1.5mm">{esc(line)}</div>'
                f'{title}<div class="{body_cls}" style="{cols}">{ps}</div></section>')
    elif slot.kind == "lead":
        caption_html = f'<p class="cap" style="margin:0 0 1mm">{esc(caption)}</p>'
        html = (f'<section class="art" data-k="{k}" data-closing="{esc(closing)}" '
                f'style="{grid}">{kick}{title}{by}<div class="fig" style="height:58mm"></div>'
                f'{caption_html}<div class="{body_cls}" style="{cols}">{ps}</div></section>')
    else:
        html = (f'<section class="art" data-k="{k}" data-closing="{esc(closing)}" '
                f'style="{grid}{box}">{pre}{kick}{title}{sub}{by}{post}{pre_cols}'
                f'<div class="{body_cls}" style="{cols}">{ps}</div></section>')
    truth = {"kicker": kicker, "title": art.title, "subtitle": subtitle,
             "reporters": reporters, "byline": line, "caption": False}
    if caption:
        truth["caption_text"] = caption
    if pre_cols:
        truth["lead_text"] = paras[0][1:]
    return html, truth


CSS = """
.look { background: #7a1a1a; color: #fff; padding: 3mm; flex-direction: column }
.lookhead { display: flex; justify-content: center; margin-bottom: 3mm }
.lookhead h1 { writing-mode: vertical-rl; color: #fff; line-height: 1.1; margin: 0 }
.look .body p { text-indent: 0 }
.body p.q { text-indent: 0; font-weight: bold; font-family: 'Noto Sans CJK SC' }
p.tiyao { font-weight: bold; font-family: 'Noto Sans CJK SC'; font-size: 10.5pt;
          text-indent: 0; margin: 1mm 0 2mm; text-align: justify }
.toc { grid-column: 10 / span 3; grid-row: 2; border-top: 2pt solid #7a1a1a;
       padding-top: 1.5mm; font-size: 10pt }
.toc .lab { font-family: 'Noto Sans CJK SC'; font-weight: 900; font-size: 13pt;
            color: #7a1a1a; margin-bottom: 1.5mm }
.toc div.i { display: flex; justify-content: space-between; border-bottom: 0.5pt dotted #666;
             line-height: 1.9 }
.ad { grid-column: 1 / span 12; grid-row: 3; border: 2pt solid #111; position: relative;
      display: flex; flex-direction: column; align-items: center; justify-content: center }
.ad .brand { font-family: 'Noto Sans CJK SC'; font-weight: 900; font-size: 26pt;
             letter-spacing: 1mm }
.ad .tag { position: absolute; right: 2mm; top: 1mm; font-size: 7pt; border: 0.5pt solid #111;
           padding: 0 1mm }
.bar { display: flex; justify-content: space-between; align-items: center; height: 12mm;
       background: #0b5aa2; color: #fff; padding: 0 4mm; font-size: 10pt }
"""


def _weekly_header(rng: random.Random, paper: str, date: str, name: str) -> str:
    issue = rng.randint(600, 1400)
    cn = f"CN {rng.randint(11, 53)}-{rng.randint(10, 99):04d}"
    return ('<div class="mast" style="height:24mm;align-items:flex-end">'
            '<span style="display:flex;flex-direction:column">'
            f'<span style="font-size:34pt;font-weight:900;color:#b00000;'
            f"font-family:'Noto Sans CJK SC';line-height:1.1\">{esc(paper)}</span>"
            f'<span style="font-size:9pt">总第{issue}期　今日十六版</span></span>'
            f'<span style="font-size:8pt">国内统一刊号：{cn}</span>'
            '<span style="display:flex;flex-direction:column;align-items:flex-end">'
            f'<span>{date}</span><span style="font-weight:bold">第1版　{esc(name)}</span>'
            '</span></div>')


def make(family: str, rng: random.Random, pool: list[str]) -> dict:
    """The parts of one page: header, grid rows, story HTML, truths, banners, page meta."""
    rows, places = slots(family)
    chosen = pools(rng, family)
    day = rng.randint(1, 31)
    date = f"1998年1月{day}日　星期{WEEK[(day + 2) % 7]}"  # 1998-01-01 was a Thursday
    parts, truths, banners = [], [], []
    for k, (slot, art) in enumerate(zip(places, chosen, strict=True)):
        html, truth = _story(k, slot, art, rng, pool)
        parts.append(html)
        truths.append(truth)
    if family == "weekly":
        page, name, paper = "1", rng.choice(WEEKLY_NAMES), rng.choice(WEEKLY_PAPERS)
        header = _weekly_header(rng, paper, date, name)
        look = rng.choice(LOOK_LABELS)
        parts[1] = parts[1].replace('<div class="lookhead">',
                                    f'<div class="kick" style="font-weight:bold;'
                                    f'text-align:center;border-bottom:0.75pt solid #fff">'
                                    f'{esc(look)}</div><div class="lookhead">')
        others = [a for a in articles() if a.kind in ("news", "feature")
                  and 7 <= len(a.title) <= 12 and a not in chosen]
        toc = rng.sample(others, 4)
        parts.append(f'<div class="toc"><div class="lab">{TOC_LABEL}</div>' + "".join(
            f'<div class="i"><span>{esc(a.title)}</span><span>{rng.randint(2, 16)}</span></div>'
            for a in toc) + "</div>")
        brand, sale = rng.choice(BRANDS), rng.choice(SALES)
        phone = f"({rng.randint(10, 99):03d}){rng.randint(2000000, 8999999)}"
        parts.append(f'<div class="ad"><span class="tag">广告</span>'
                     f'<span class="brand">{esc(brand)}　{esc(sale)}</span>'
                     f'<span>地址：{rng.choice(ROADS)}{rng.randint(8, 300)}号　'
                     f'电话：{phone}</span></div>')
        banners += [look, TOC_LABEL, *[a.title for a in toc], f"{brand}　{sale}"]
        footer = ""
    else:
        n = rng.randint(3, 12)
        page, name, paper = str(n), rng.choice(YOUTH_NAMES), rng.choice(YOUTH_PAPERS)
        header = ('<div class="bar">'
                  f'<span style="font-size:17pt;font-weight:900;font-family:\'Noto Sans CJK SC\'">'
                  f'{esc(name)}</span><span>{esc(paper)}　{date}</span>'
                  f'<span style="font-weight:bold">第{_cn(n)}版</span></div>')
        footer = ('<div class="foot">' + "".join(
            f"<span>{t}/{rng.choice(pool)}</span>" for t in ("编辑", "设计", "校对"))
            + "</div>")
    return {"rows": rows, "header": header, "footer": footer, "parts": parts,
            "truths": truths, "banners": banners, "page": page, "name": name,
            "paper": paper, "day": day}
