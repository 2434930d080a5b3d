"""Two more 版面 designs for ``tests.pdffamilies``, for both readers.

Why: these two print page designs none of the others has, from what union dailies print.
They were held out for their first measure (how the reader does on a design it was never
shown) and are tuned since: real union papers print exactly these.

* ``labor``   — a union daily's news-and-comment page (工人日报 / 劳动午报 style): the page
  number printed alone in a dark box beside the 版面 name with a middle dot (评论·工运),
  the 责任编辑 line in the header and no footer; a lead story under a vertical headline
  (``writing-mode: vertical-rl``) at the right of its three columns, sometimes with a
  vertical 引题 beside it; a comment column (a reversed label over a boxed 言论 signed
  ``■ 张三``); a photo story (a headline over a picture whose caption is the story, ending
  with the photographer's credit); a story whose last paragraph ends （下转第N版）.
* ``special`` — a 专版: a 通栏 banner headline in red across all twelve columns over several
  stories (the banner is no story's headline), a story continued from the front page (its
  text opens （上接第1版）), a column of verse beside the stories (short lines, no indent,
  the poet's name alone under the title).

Their labels, banners and 版面 names are their own: none is in the splitter's lists
(``indexer/lexicon.py``) nor in what the page-dump families print.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass

from tests.pagefamilies import articles

NEW_FAMILIES = ("labor", "special")

LABOR_PAPERS = ["劳动周刊", "产业先锋报", "矿山劳动报"]
LABOR_NAMES = ["评论·工运", "言论·观点", "工运·理论"]
LABOR_LABELS = ["劳动者论坛", "车间漫谈", "班后夜话"]
SPECIAL_PAPERS = ["江汉劳动报", "海河劳动报"]
SPECIAL_NAMES = ["专版", "纪念专版", "主题专版"]
VERTICAL_KICKERS = ["来自一线的报告", "春节前夕探民情", "岁末看变化"]
BANNERS = ["同心协力奔小康", "风雨同舟创明天", "携手共建新家园", "齐心迈向新世纪"]
WEEK = "一二三四五六日"


@dataclass
class NewSlot:
    """Where one story goes on the 12-column grid and how it is set."""

    col: int
    span: int
    row: str
    cols: int  # text columns
    title: float  # title size (pt)
    kind: str = ""  # vertical, comment, photo, turn, continued, verse


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slots(family: str) -> tuple[str, list[NewSlot]]:
    """The grid rows (CSS) and the slots of one page of ``family``."""
    if family == "labor":
        return "130mm 105mm 1fr", [
            NewSlot(1, 8, "1", 3, 26, "vertical"), NewSlot(9, 4, "1 / 3", 1, 17, "comment"),
            NewSlot(1, 5, "2", 1, 18, "photo"), NewSlot(6, 3, "2", 1, 17),
            NewSlot(1, 7, "3", 2, 20, "turn"), NewSlot(8, 5, "3", 2, 19)]
    if family == "special":
        return "22mm 125mm 1fr 1fr", [
            NewSlot(1, 8, "2", 3, 22), NewSlot(9, 4, "2 / 4", 1, 16, "verse"),
            NewSlot(1, 4, "3", 1, 17), NewSlot(5, 4, "3", 1, 17, "continued"),
            NewSlot(1, 12, "4", 4, 20)]
    raise ValueError(family)


def pools(rng: random.Random, family: str, n: int) -> list:
    """The corpus articles of one page: news and features, a short title for a vertical
    headline, a poem for the verse column."""
    usable = [a for a in articles() if a.kind in ("news", "feature") and len(a.paras) >= 2
              and not any(c in a.title for c in "<>&")]
    verse = [a for a in articles() if a.kind == "verse" and a.names and len(a.paras) >= 6
             and statistics.median(map(len, a.paras)) <= 16 and len(a.paras[0]) <= 20]
    chosen = rng.sample(usable, n)
    for i, slot in enumerate(slots(family)[1]):
        if slot.kind == "vertical":
            short = [a for a in usable if 5 <= len(a.title) <= 11 and a not in chosen]
            chosen[i] = rng.choice(short)
        if slot.kind == "verse":
            chosen[i] = rng.choice(verse)
    return chosen


def story(k: int, slot: NewSlot, art, rng: random.Random, pool: list[str], paper: str,
          labels: list[str]) -> tuple[str, dict]:
    """One story's HTML and its starting truth (the browser finishes it: what fits)."""
    from indexer.byline import parse_byline

    names = list(art.names) or [rng.choice(pool)]
    paras = list(art.paras)
    own = parse_byline(paras[0])
    tail = parse_byline(paras[-1])
    carries = bool((own and own.start == 0 and own.reporters) or (
        tail and tail.reporters and tail.end >= len(paras[-1].rstrip())))
    kicker = line = closing = ""
    reporters: list[str] | None = None if carries else names[:2]
    title_style = f"font-size:{slot.title}pt;"
    body_class = "body"
    if slot.kind == "comment":
        kicker = rng.choice(labels)
        line = f"■ {names[0]}"
        reporters = None if carries else names[:1]
    elif slot.kind == "photo":  # the caption is the story: a sentence or two and a credit
        first = paras[0][:110]
        end = first.rfind("。")
        paras = [(first[:end + 1] if end > 20 else first)
                 + f"　{rng.choice(['本报记者', '通讯员', paper + '记者'])}　{names[0]}　摄"]
        reporters = None  # a photographer's credit names no reporter
    elif slot.kind == "verse":
        line = names[0]
        reporters = names[:1]
        body_class = "body verse"
    elif not carries:
        form = rng.choice(["role", "role", "dateline", "none"])
        if form == "role":
            line = "本报记者　" + "　".join(names[:2])
        elif form == "dateline":
            paras[0] = f"本报讯（记者{'　'.join(names[:2])}）" + paras[0]
        else:
            reporters = None
    if slot.kind == "turn":
        closing = f"（下转第{rng.randint(2, 8)}版）"
    if slot.kind == "continued":
        paras[0] = "（上接第1版）" + paras[0]
    if slot.kind == "vertical" and rng.random() < 0.5:
        kicker = rng.choice(VERTICAL_KICKERS)
    head = ""
    if slot.kind == "comment":
        head += ('<div class="kick" style="background:#1c3f7a;color:#fff;padding:1mm 2mm;'
                 f'font-weight:bold;margin:0 0 2mm">{esc(kicker)}</div>')
    elif kicker:
        head += f'<div class="kick">{esc(kicker)}</div>'
    center = "text-align:center;" if slot.kind in ("comment", "verse") else ""
    head += f'<h1 style="{title_style}{center}">{esc(art.title)}</h1>'
    by = (f'<div class="by" style="{center}">{esc(line)}</div>' if line else "")
    ps = "".join(f"<p>{esc(p)}</p>" for p in paras)
    pic = ""
    if slot.kind == "photo":
        pic = '<div class="fig" style="height:62mm"></div>'
    grid = f"grid-column:{slot.col} / span {slot.span};grid-row:{slot.row};"
    cols = f"column-count:{slot.cols};" + ("column-rule:0.5pt solid #777;" if slot.cols > 2
                                           else "")
    if slot.kind == "vertical":  # the headline runs down at the right of the text
        html = (f'<section class="art" data-k="{k}" data-closing="" style="{grid}'
                'flex-direction:row-reverse;gap:4mm">'
                f'<div class="vhead">{head}</div>'
                '<div style="flex:1;display:flex;flex-direction:column;min-width:0">'
                f'{by}<div class="body" style="{cols}margin-top:0">{ps}</div></div></section>')
    else:
        box = ""
        if slot.kind == "comment":
            box = "border:1.2pt solid #1c3f7a;padding:3mm;"
        if slot.kind == "verse":
            box = "border-left:0.75pt solid #555;padding-left:4mm;"
        html = (f'<section class="art" data-k="{k}" data-closing="{esc(closing)}" '
                f'style="{grid}{box}">{head}{by}{pic}'
                f'<div class="{body_class}" style="{cols}">{ps}</div></section>')
    return html, {"kicker": kicker, "title": art.title, "subtitle": "", "reporters": reporters,
                  "byline": line, "caption": False}


CSS = """
.vhead { flex: none; display: flex; flex-direction: row-reverse; gap: 2mm }
.vhead h1, .vhead .kick { writing-mode: vertical-rl; margin: 0; line-height: 1.15 }
.vhead .kick { font-size: 13pt }
.body.verse p { text-indent: 0; text-align: left; margin: 0 }
.banner { grid-column: 1 / span 12; grid-row: 1; text-align: center; color: #b00000;
          font-size: 40pt; font-weight: 900; letter-spacing: 6mm; line-height: 1.1;
          border-bottom: 2pt solid #b00000; font-family: 'Noto Sans CJK SC' }
"""


def header(family: str, rng: random.Random, paper: str, day: int, page: str, name: str,
           pool: list[str]) -> str:
    """The page header: ``labor`` prints the page number alone in a dark box, the 版面 name
    and the 责任编辑 in the header; ``special`` a plain row over the banner."""
    w = WEEK[(day + 2) % 7]  # 1998-01-01 was a Thursday
    date = f"1998年1月{day}日　星期{w}"
    if family == "labor":
        return ('<div class="mast" style="height:13mm;align-items:center">'
                '<span style="display:flex;align-items:center;gap:4mm">'
                '<span style="background:#222;color:#fff;font-size:22pt;font-weight:900;'
                f'padding:0 3mm">{page}</span><span style="font-size:15pt;font-weight:bold">'
                f'{esc(name)}</span></span>'
                f'<span>责任编辑：{rng.choice(pool)}　版式：{rng.choice(pool)}</span>'
                f'<span>{date}　{esc(paper)}</span></div>')
    return ('<div class="mast" style="height:9mm">'
            f'<span>第{page}版　{esc(name)}</span><span>{date}</span>'
            f'<span>{esc(paper)}</span></div>')


def footer(family: str, rng: random.Random, pool: list[str]) -> str:
    if family == "labor":
        return ""  # its editors are in the header
    return ('<div class="foot">' + "".join(
        f"<span>{t}：{rng.choice(pool)}</span>" for t in ("本版编辑", "校对")) + "</div>")


def page_meta(family: str, rng: random.Random) -> tuple[str, str, str]:
    """(版面 number, 版面 name, paper) of a page."""
    if family == "labor":
        return str(rng.randint(3, 8)), rng.choice(LABOR_NAMES), rng.choice(LABOR_PAPERS)
    return str(rng.randint(5, 12)), rng.choice(SPECIAL_NAMES), rng.choice(SPECIAL_PAPERS)


def banner(rng: random.Random) -> tuple[str, str]:
    """(HTML, text) of a 专版's 通栏 banner."""
    text = rng.choice(BANNERS)
    return f'<div class="banner">{esc(text)}</div>', text
