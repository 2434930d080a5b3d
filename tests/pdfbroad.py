"""A broadsheet's four-column front for ``tests.pdffamilies``: a vertical masthead, a boxed
lead and jump lines.

Why: every other design sets its 报头 across the top and ends each story on its page; an
old-style front sets the paper's name down the page in a box at one corner, and its stories
jump on to inside pages (``（下转第N版）``).  Its first measure says how the reader does on
habits it never saw.

* ``broad4`` — a front on four equal columns: at the top left the paper's name set
  vertically in red in a ruled box; beside it, in loose rows of small type, the date, the
  农历 date, the 国内统一刊号 and ``第1版　要闻　今日八版``; a lead boxed by a heavy rule
  across three columns: an 引题 in display type, a 32 pt 主题, a 副题, a byline 本报记者 张三,
  its text in three ruled columns, ending ``（下转第N版）``; in the fourth column a 本报讯
  story under a thin rule; below, a two-column story credited 新华社记者 张三 that jumps on
  too, and a two-column story whose byline closes its text (（记者　张三）); the footer a
  line of editors.

Names and labels are its own: none is in the splitter's lists or the other designs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.pagefamilies import articles

BROADS = ("broad4",)

PAPERS = ["江汉工人报", "燕赵职工报"]
NAMES = ["要闻", "综合新闻"]
LUNAR = ["腊月初八", "冬月十五", "腊月廿三", "冬月初六"]
CN = "〇一二三四五六七八九十"
WEEK = "一二三四五六日"


@dataclass
class BSlot:
    """Where one story goes on the 4-column grid and how it is set."""

    col: int
    span: int
    row: str
    cols: int
    title: float
    kind: str  # lead, brief, jump, closing


def slots() -> tuple[str, list[BSlot]]:
    """The grid rows (CSS) and the slots of one page."""
    return "200mm 1fr", [
        BSlot(1, 3, "1", 3, 32, "lead"), BSlot(4, 1, "1", 1, 16, "brief"),
        BSlot(1, 2, "2", 2, 20, "jump"), BSlot(3, 2, "2", 2, 20, "closing")]


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pools(rng: random.Random) -> list:
    """The corpus articles of one page: a long text for the lead."""
    usable = [a for a in articles() if a.kind in ("news", "feature") and len(a.paras) >= 2
              and not any(c in a.title for c in "<>&")]
    chosen: list = []
    for slot in slots()[1]:
        if slot.kind == "lead":
            pick = [a for a in usable if len(a.paras) >= 5 and len(a.title) <= 18
                    and sum(map(len, a.paras)) >= 1500]
        else:
            pick = [a for a in usable if len(a.title) <= 24]
        chosen.append(rng.choice([a for a in pick if a not in chosen]))
    return chosen


def _story(k: int, slot: BSlot, art, rng: random.Random, pool: list[str]) -> tuple[str, dict]:
    """One story's HTML and its starting truth (the browser finishes it: what fits)."""
    from tests.pdfpapers import _carries

    names = list(art.names) or [rng.choice(pool)]
    paras = list(art.paras)
    carries = _carries(paras)
    kicker = subtitle = line = closing = ""
    reporters: list[str] | None = None
    box = ""
    if slot.kind == "lead":
        kicker = art.sub or "岁末年初　情系职工"
        subtitle = f"全市{rng.randint(3, 40)}万职工受益"
        line = f"本报记者　{names[0]}"
        reporters = None if carries else names[:1]
        closing = f"（下转第{CN[rng.randint(2, 8)]}版）"
        box = "border:2.5pt solid #111;padding:3mm;"
    elif slot.kind == "brief":
        box = "border-top:0.75pt solid #111;padding-top:2mm;"
        if not any(w in paras[0][:30] for w in ("讯", "电")):  # no dateline of its own
            paras[0] = "本报讯　" + paras[0]
    elif slot.kind == "jump":
        line = f"新华社记者　{names[0]}"
        reporters = None if carries else names[:1]
        closing = f"（下转第{CN[rng.randint(2, 8)]}版）"
    elif slot.kind == "closing":
        if not carries:
            closing = f"（记者　{names[0]}）"
            reporters = names[:1]
    ps = "".join(f"<p>{esc(p)}</p>" for p in paras)
    title = f'<h1 style="font-size:{slot.title}pt;font-weight:900">{esc(art.title)}</h1>'
    kick = f'<div class="kick">{esc(kicker)}</div>' if kicker else ""
    sub = f'<div class="sub">{esc(subtitle)}</div>' if subtitle else ""
    by = f'<div class="by">{esc(line)}</div>' if line else ""
    cols = f"column-count:{slot.cols};" + ("column-rule:0.5pt solid #888;" if slot.cols > 1
                                           else "")
    grid = f"grid-column:{slot.col} / span {slot.span};grid-row:{slot.row};"
    html = (f'<section class="art" data-k="{k}" data-closing="{esc(closing)}" '
            f'style="{grid}{box}">{kick}{title}{sub}{by}'
            f'<div class="body" style="{cols}">{ps}</div></section>')
    truth = {"kicker": kicker, "title": art.title, "subtitle": subtitle,
             "reporters": reporters, "byline": line, "caption": False}
    return html, truth


CSS = """
.page { grid-template-columns: repeat(4, 1fr) }
.bhead { display: flex; align-items: stretch; gap: 5mm; height: 52mm;
         border-bottom: 1.5pt solid #000; padding-bottom: 2mm }
.bmast { writing-mode: vertical-rl; border: 1.5pt solid #b00000; color: #b00000;
         font-family: 'Noto Serif CJK SC'; font-weight: 900; font-size: 22pt;
         letter-spacing: 0.5mm; padding: 1mm 2mm; text-align: center }
.binfo { display: flex; flex-direction: column; justify-content: flex-end; font-size: 9.5pt;
         line-height: 1.6 }
"""


def make(rng: random.Random, pool: list[str]) -> dict:
    """The parts of one page: header, grid rows, story HTML, truths, banners, page meta."""
    rows, places = slots()
    chosen = pools(rng)
    day = rng.randint(1, 31)
    date = f"1998年1月{day}日　星期{WEEK[(day + 2) % 7]}"  # 1998-01-01 was a Thursday
    parts, truths = [], []
    for k, (slot, art) in enumerate(zip(places, chosen, strict=True)):
        html, truth = _story(k, slot, art, rng, pool)
        parts.append(html)
        truths.append(truth)
    paper, name = rng.choice(PAPERS), rng.choice(NAMES)
    cn = f"CN {rng.randint(11, 53)}-{rng.randint(10, 99):04d}"
    header = ('<div class="bhead">'
              f'<div class="bmast">{esc(paper)}</div>'
              '<div class="binfo">'
              f'<span>{date}</span><span>农历丁丑年{rng.choice(LUNAR)}</span>'
              f'<span>国内统一刊号：{cn}</span>'
              f'<span style="font-weight:bold">第1版　{esc(name)}　今日八版</span>'
              '</div></div>')
    footer = ('<div class="foot">' + "".join(
        f"<span>{t}：{rng.choice(pool)}</span>" for t in ("本版编辑", "版式", "校对"))
        + "</div>")
    return {"rows": rows, "header": header, "footer": footer, "parts": parts,
            "truths": truths, "banners": [], "page": "1", "name": name, "paper": paper,
            "day": day}
