"""Two more 版面 designs for ``tests.pdffamilies`` (and its scans), from what dailies print.

Why: the reader is graded on designs nobody tuned it for; these two print what none of the
other families prints, so their first measure said how a design never seen is read (they
were held out for it, and are tuned since: real papers print exactly these).

* ``theory``  — a 理论 page (人民日报 / 工人日报 理论版 style): long essays whose text runs in
  four and two columns, numbered bold 小标题 inside the text (一、…), a centred headline with
  a ——副题 under it, the author's name alone on a centred line, the essay closing with the
  author's unit in brackets (（作者为……）); a boxed 读书札记 with a left-set headline; the 版面
  name printed big in the header beside a small 第N版.
* ``briefs``  — a 1990s broadsheet news page: a lead story under a full three-level headline
  (引题, 主题, 副题) with a 新华社 or 本报 dateline; a framed column of 短讯 under a column
  label, each item a small bold headline (barely bigger than the text) over a paragraph; a
  strip of three news photographs under a strip label, each with a small headline over its
  picture and its caption-story ending with the photographer's credit; two stories below.

The column and strip labels are headlines of no article (``PdfPage.banners``).  The words,
labels and 版面 names are their own: none is in the splitter's lists (``indexer/lexicon.py``)
nor in what the page-dump families print.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.pagefamilies import articles

DESIGNS = ("theory", "briefs")

THEORY_PAPERS = ["职工日报", "劳动者报"]
THEORY_NAMES = ["理论与实践", "学习研究", "思想纵横"]
THEORY_SUBS = ["——对深化国有企业改革的几点思考", "——学习党的十五大报告的体会",
               "——关于发挥工会作用的调查与思考", "——谈新形势下的职工思想工作"]
POINTS = ["正确认识当前形势", "把握工作的着力点", "坚持以人为本", "在实践中不断创新",
          "完善制度建设", "切实转变工作作风"]
UNITS = ["（作者为中共中央党校教授）", "（作者单位：中国人民大学经济学院）",
         "（作者为某省总工会研究室主任）", "（作者单位：劳动科学研究所）"]
BOOK_LABEL = "读书札记"
BRIEF_PAPERS = ["华北职工报", "东南劳动报"]
BRIEF_NAMES = ["国内时讯", "城乡纵横", "经济·社会"]
BOX_LABELS = ["时讯速览", "各地短波", "一周简报"]
STRIP_LABELS = ["镜头里的新闻", "新闻摄影", "看图说事"]
LEAD_KICKERS = ["国有企业改革攻坚战役全面打响", "各地认真落实再就业工程",
                "送温暖活动在全国城乡深入开展"]
LEAD_SUBS = ["全年安置下岗职工逾百万人", "二十八个城市试点取得初步经验", "困难职工家庭普遍得到救助"]
WEEK = "一二三四五六日"


@dataclass
class DSlot:
    """Where one story goes on the 12-column grid and how it is set."""

    col: int
    span: int
    row: str
    cols: int
    title: float
    kind: str = ""  # lead, essay, book, item, photo, plain


def slots(family: str) -> tuple[str, list[DSlot]]:
    """The grid rows (CSS) and the slots of one page of ``family`` (a brief item's row is
    its place in the framed column)."""
    if family == "theory":
        return "205mm 1fr", [
            DSlot(1, 12, "1", 4, 24, "lead"), DSlot(1, 7, "2", 2, 19, "essay"),
            DSlot(8, 5, "2", 2, 16, "book")]
    if family == "briefs":
        return "150mm 8mm 86mm 1fr", [
            DSlot(1, 9, "1", 3, 23, "lead"),
            *[DSlot(10, 3, str(i), 1, 11.5, "item") for i in range(5)],
            *[DSlot(1 + 3 * i, 3, "3", 1, 12.5, "photo") for i in range(3)],
            DSlot(1, 5, "4", 2, 18, "plain"), DSlot(6, 4, "4", 1, 16, "plain")]
    raise ValueError(family)


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _first_sentences(text: str, most: int) -> str:
    cut = text[:most]
    end = cut.rfind("。")
    return cut[:end + 1] if end > 20 else cut


def _story(k: int, slot: DSlot, art, rng: random.Random, pool: list[str], family: str,
           day: int) -> tuple[str, dict]:
    """One story's HTML and its starting truth (the browser finishes it: what fits)."""
    from indexer.byline import author_line, parse_byline

    names = list(art.names) or [rng.choice(pool)]
    paras = list(art.paras)
    own = parse_byline(paras[0])
    tail = parse_byline(paras[-1])
    carries = bool((own and own.start == 0 and own.reporters) or (
        tail and tail.reporters and tail.end >= len(paras[-1].rstrip())))
    if slot.kind in ("lead", "essay", "book") and author_line(paras[0]):
        names = author_line(paras[0])[0]  # the text opens with its author's name alone:
        paras = paras[1:]  # that is the author line the page prints
    kicker = subtitle = line = closing = ""
    reporters: list[str] | None = None
    centre = ""
    if slot.kind in ("lead", "essay") and family == "theory":
        centre = "text-align:center;" if slot.kind == "lead" else ""
        subtitle = art.sub or rng.choice(THEORY_SUBS)
        line = names[0]
        reporters = None if carries else names[:1]
        closing = rng.choice(UNITS)
        points = rng.sample(POINTS, 3)
        for i, at in enumerate((1, 3, 5)):  # numbered 小标题 inside the text
            if at < len(paras):
                paras.insert(at + i, "\x00" + "一二三"[i] + "、" + points[i])
    elif slot.kind == "book":
        kicker = BOOK_LABEL
        line = "□" + names[0]
        reporters = None if carries else names[:1]
    elif slot.kind == "lead":  # the briefs page's lead: 引题, 主题, 副题 and a dateline
        kicker = rng.choice(LEAD_KICKERS)
        subtitle = art.sub or rng.choice(LEAD_SUBS)
        centre = "text-align:center;"
        if not carries:
            where = rng.choice(["本报讯", f"新华社北京１月{_fw(day)}日电"])
            paras[0] = f"{where}（记者{'、'.join(names[:2])}）" + paras[0]
            reporters = names[:2]
    elif slot.kind == "item":  # a 短讯: a small bold headline over a paragraph
        paras = [_first_sentences(paras[0], 110)]
    elif slot.kind == "photo":  # the caption is the story, with the photographer's credit
        paras = [_first_sentences(paras[0], 70) + f"　{rng.choice(pool)}　摄"]
    elif not carries:
        if rng.random() < 0.5:
            line = "本报记者　" + "　".join(names[:2])
            reporters = names[:2]
        else:
            closing = f"（{names[0]}）"
            reporters = names[:1]
    head = ""
    if slot.kind == "book":
        head += ('<div class="kick" style="border-bottom:0.75pt solid #333;font-weight:bold;'
                 f'margin-bottom:2mm">{esc(kicker)}</div>')
    elif kicker:
        head += f'<div class="kick" style="{centre}">{esc(kicker)}</div>'
    weight = "font-weight:bold;" if slot.kind in ("item", "photo") else ""
    head += f'<h1 style="font-size:{slot.title}pt;{centre}{weight}">{esc(art.title)}</h1>'
    if subtitle:
        head += f'<div class="sub" style="{centre}">{esc(subtitle)}</div>'
    by = f'<div class="by" style="{centre}">{esc(line)}</div>' if line else ""
    ps = "".join(f'<p class="pt">{esc(p[1:])}</p>' if p.startswith("\x00") else
                 f"<p>{esc(p)}</p>" for p in paras)
    pic = '<div class="fig" style="height:50mm;margin:1.5mm 0"></div>' if slot.kind == "photo" \
        else ""
    cols = f"column-count:{slot.cols};" + ("column-rule:0.5pt solid #777;" if slot.cols > 3
                                           else "")
    if slot.kind == "item":
        style = "margin:0 0 2mm;border-bottom:0.5pt dashed #666;padding-bottom:1mm;"
    else:
        grid = f"grid-column:{slot.col} / span {slot.span};grid-row:{slot.row};"
        style = grid + ("border:1pt solid #222;padding:3mm;" if slot.kind == "book" else "")
    html = (f'<section class="art" data-k="{k}" data-closing="{esc(closing)}" style="{style}">'
            f'{head}{by}{pic}<div class="body" style="{cols}">{ps}</div></section>')
    return html, {"kicker": kicker, "title": art.title, "subtitle": subtitle,
                  "reporters": reporters, "byline": line, "caption": False}


def _fw(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def pools(rng: random.Random, family: str) -> list:
    """The corpus articles of one page: long ones for the essays, short titles for the
    brief items and photographs."""
    usable = [a for a in articles() if a.kind in ("news", "feature") and len(a.paras) >= 2
              and not any(c in a.title for c in "<>&")]
    chosen = []
    for slot in slots(family)[1]:
        if slot.kind in ("lead", "essay") and family == "theory":
            pick = [a for a in usable if len(a.paras) >= 6 and len(a.title) <= 22]
        elif slot.kind in ("item", "photo"):
            pick = [a for a in usable if 6 <= len(a.title) <= 13 and len(a.paras[0]) >= 40]
        else:
            pick = usable
        chosen.append(rng.choice([a for a in pick if a not in chosen]))
    return chosen


CSS = """
.body p.pt { text-indent: 0; font-weight: bold; font-family: 'Noto Sans CJK SC';
             margin: 1.5mm 0 1mm; font-size: 1.05em }
.box { grid-column: 10 / span 3; grid-row: 1 / 5; border: 1.2pt solid #222; padding: 2.5mm;
       display: grid; grid-template-rows: auto repeat(5, 1fr); gap: 1mm; overflow: hidden }
.box section.art .body { margin-top: 1mm }
.label { font-family: 'Noto Sans CJK SC'; font-weight: 900; font-size: 15pt;
         text-align: center; background: #222; color: #fff; margin-bottom: 1.5mm }
.strip { grid-column: 1 / span 9; grid-row: 2; font-family: 'Noto Sans CJK SC';
         font-weight: bold; font-size: 13pt; border-left: 4mm solid #333; padding-left: 2mm;
         line-height: 8mm }
"""


def make(family: str, rng: random.Random, pool: list[str]) -> dict:
    """The parts of one page: header, grid rows, story HTML, truths, banners, page meta."""
    rows, places = slots(family)
    chosen = pools(rng, family)
    day = rng.randint(1, 31)
    w = WEEK[(day + 2) % 7]  # 1998-01-01 was a Thursday
    date = f"1998年1月{day}日　星期{w}"
    parts, truths, banners = [], [], []
    if family == "theory":
        page, name, paper = str(rng.randint(5, 11)), rng.choice(THEORY_NAMES), rng.choice(
            THEORY_PAPERS)
        header = ('<div class="mast" style="height:16mm;align-items:flex-end">'
                  f'<span style="font-size:24pt;font-weight:900;font-family:\'Noto Sans CJK SC\';'
                  f'letter-spacing:2mm">{esc(name)}</span><span>{esc(paper)}　{date}</span>'
                  f'<span>第{page}版</span></div>')
        footer = (f'<div class="foot"><span>本版主编：{rng.choice(pool)}</span>'
                  f'<span>责任编辑：{rng.choice(pool)}</span></div>')
    else:
        page, name, paper = str(rng.randint(2, 4)), rng.choice(BRIEF_NAMES), rng.choice(
            BRIEF_PAPERS)
        header = ('<div class="mast" style="border-bottom:3pt double #000;height:11mm">'
                  f'<span style="border:1pt solid #000;padding:0 2mm;font-weight:bold">'
                  f'第{page}版</span><span style="font-size:14pt;font-weight:bold">{esc(name)}'
                  f'</span><span>{esc(paper)}　{date}</span></div>')
        footer = (f'<div class="foot"><span>责任编辑　{rng.choice(pool)}</span>'
                  f'<span>美编　{rng.choice(pool)}</span></div>')
    items = []
    for k, (slot, art) in enumerate(zip(places, chosen, strict=True)):
        html, truth = _story(k, slot, art, rng, pool, family, day)
        truths.append(truth)
        (items if slot.kind == "item" else parts).append(html)
    if family == "briefs":
        box_label, strip_label = rng.choice(BOX_LABELS), rng.choice(STRIP_LABELS)
        banners += [box_label, strip_label]
        parts.insert(1, f'<div class="box"><div class="label">{esc(box_label)}</div>'
                     + "".join(items) + "</div>")
        parts.insert(2, f'<div class="strip">{esc(strip_label)}</div>')
    return {"rows": rows, "header": header, "footer": footer, "parts": parts,
            "truths": truths, "banners": banners, "page": page, "name": name,
            "paper": paper, "day": day}
