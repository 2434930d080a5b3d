"""Build synthetic page dumps from real People's Daily articles, with the truth.

Why: the page splitter is heuristic and the acceptance sample is a single page, so the tests
print many pages the way a page dump looks (one line per column segment, paragraphs cut at
arbitrary points where a column ends, headline blocks, bylines, photo credits) from the real
articles in ``tests/data/pd1998-01-a.jsonl`` and check that the splitter gets each article back.

Realism choices (documented because they decide what the tests can demand):

* a column holds 120–320 characters; an article's body starts at the top of a column, so
  only later paragraphs can be cut near their beginning (as on a printed page);
* only news-like articles are used: a clean headline (≤ 40 chars, no ，。；), no in-body
  subheads/poem lines/tables (short unpunctuated paragraphs), a complete last sentence;
* bylines the corpus stored with the spaces stripped (``（刘明英保平）``, ``本报记者张三李四``)
  are printed with the spaces a page has (``（刘明英 保平）``);
* articles without a byline may get a synthetic ``本报记者 张三`` line before or after the
  headline block (a common layout of the trade-union daily).
* a stored first line that is the author's unit, post or photo credit with the name
  (``农业部部长刘江``, ``周朝荣钱云强摄影报道``) is printed as the first body line, where a
  page has it, not as a headline line; a page that prints two credits for one article (a
  synthetic byline and the corpus's own) asserts no reporters.

Feature layouts (``LONG_LAYOUTS``) lift the news-only filter: long articles keep their
in-article short lines (小标题, 一、/（一）/２．, 问：/答：, 编者按, 【栏目】), which are exactly
what a splitter takes for headlines.  ``BYLINE_FORMS`` prints the byline forms papers use
without parentheses or separators.  Every page also knows its 版面 and a file name.
"""

from __future__ import annotations

import json
import os
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "pd1998-01-a.jsonl")

KICKERS = [
    "奋进新征程 建功新时代·我为职工办实事",
    "喜迎二十大 建功新时代",
    "新春走基层",
    "深入学习贯彻党的十五大精神",
    "关注下岗职工再就业",
    "基层传真",
    "劳动者之歌",
    "一线故事·匠心筑梦",
    "我们的节日",
    "聚焦全国两会",
    "送温暖 办实事",
    "工会动态",
]
CAPTIONS = [
    "图为活动现场。",
    "图为职工们在比赛中。",
    "图为志愿者为群众提供服务。",
    "图为工人在生产线上忙碌。",
    "图为表彰大会现场，获奖职工代表合影留念。",
]
FAKE_NAMES = [
    "张玉来", "刘欣欣", "周美玉", "王路曼", "陈曦", "邱勇", "赵志文", "孙艳", "马学礼", "李婷婷",
    "欧阳晓光", "阿依古丽·买买提", "吴迪", "郑楠", "黄耀", "林一凡", "杨朝清", "何忠洲",
]
_HEADLIKE = re.compile(r"^[^，。；,]{1,40}$")


@dataclass
class Source:
    """A corpus article prepared for printing."""

    id: str
    title: str
    paras: list[str]
    reporters: list[str]
    printed: bool  # whether the names are printed in the paragraphs in a byline form
    sub: str = ""  # a subtitle line printed under the title
    # the stored first line is the author's unit or post with the name (山东烟台市委宣传部赵巍巍):
    # printed as the first body line, where it is an author line, not a headline
    author_sub: bool = False


@dataclass
class TruthArticle:
    title: str
    heads: list[str]
    body: str  # exactly the printed body text, paragraphs joined by "\n"
    paras: list[str]  # the source paragraphs (each must be found in the body)
    reporters: list[str] | None  # None: the names are not printed in a byline form
    id: str = ""
    kicker: str = ""  # 引题 printed above the title ("" if none)
    cuts: list[str] = field(default_factory=list)  # phrases a column break cut in two
    subheads: int = 0  # in-article short lines (小标题, 一、, 问：…) printed in the body


@dataclass
class Page:
    text: str
    layout: str
    date: str | None
    articles: list[TruthArticle] = field(default_factory=list)
    page: str = ""  # the 版面, as page_number() gives it
    filename: str = ""  # a file name a paper would give this dump
    page_in_name: bool = False  # whether the file name carries the page number


def _headlike(p: str) -> bool:
    return bool(_HEADLIKE.match(p)) and p[-1] not in "。！？”）)"


def _usable(a: dict, long: bool) -> tuple[str, list[str], list[str]] | None:
    """(title, paragraphs, reporter names) of a corpus article fit for a page, or None."""
    title = re.sub(r"（(?:附图片[^）]{1,4}|图片|附图|附表)）", "", a["title"]).strip()
    if not (4 <= len(title) <= 40) or re.search(r"[，。；,、：:！？]", title):
        return None
    if title.startswith(("图片新闻", "新闻图片", "图片", "简讯", "本报")):
        return None
    if "（" in title or "“" in title and "”" not in title:
        return None
    paras = [p.strip() for p in a["body"].split("\n") if p.strip()]
    if not paras or sum(len(p) for p in paras) > (6000 if long else 2600):
        return None
    names = [n for n in a["reporter"].split("、") if n] if a["reporter"] else []
    if not all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]+·[\u4e00-\u9fff]+", n)
               for n in names):
        return None
    if sum(len(p) for p in paras) < 60:
        return None
    return title, paras, names


def _own_byline(first: str, names: list[str]) -> str | None:
    """The first line re-printed as a byline line, if it is one."""
    joined = "".join(names)
    m = re.fullmatch(r"(本报(?:驻[\u4e00-\u9fff]{1,8})?记者)(.+)", first)
    if names and first == joined:
        return " ".join(names)
    if names and m and m.group(2) == joined:
        return f"{m.group(1)} {' '.join(names)}"
    return None


# A stored first line that is the author's unit, place or post and name (农业部部长刘江).
_AUTHOR_SUB = re.compile(r"[\u4e00-\u9fff]{2,20}(?:长|主任|书记|主席|经理|员|师|授|导演|宣传部|公司|厂|局|县|市"
                         r"|委|部|所|院|站|大学)[\u4e00-\u9fff]{2,3}|[\u4e00-\u9fff]{4,12}摄影报道")


def _prepare(a: dict, long: bool = False) -> Source | None:
    usable = _usable(a, long)
    if usable is None:
        return None
    title, paras, names = usable
    printed = False
    sub = ""

    def own_byline(first: str) -> str | None:
        return _own_byline(first, names)

    first = re.sub(r"（(?:附图片[^）]{1,4}|图片|附图|附表)）", "", paras[0]).strip()
    author_line = re.fullmatch(r"[\u4e00-\u9fff]{2,4}(?: [\u4e00-\u9fff]{2,4})*", first)
    if author_line and not names:
        pass  # an author line the corpus did not credit: printed as is, reporters not asserted
    elif len(paras) > 1 and len(first) <= 45 and "。" not in first and not own_byline(first) and (
            not first.startswith(("本报", "新华社", "据"))):
        # a subtitle/kicker the corpus stored as the first body line: print it as a headline
        sub = re.sub(r"（(?:附图片[^）]{1,4}|图片|附图|附表)）", "", first).strip()
        paras = paras[1:]
        if not sub or "，" in sub and len(sub) > 30:
            return None
    elif len(paras) > 1 and "。" not in first and len(first) <= 80 and not own_byline(first) and (
            not first.startswith(("本报", "新华社", "据"))):
        return None  # a long headline-ish first line: neither clearly a subtitle nor text
    first = paras[0]
    if (_headlike(first) or own_byline(first)) and not (author_line and not names):
        line = own_byline(first)
        if not line:
            return None
        paras[0] = line
        printed = True
    rest = paras[1:]
    short = [p for p in rest if _headlike(p)]
    if short and not long:
        return None  # subheads, verse, tables: not the news pages this parser is for
    if long and (not short or len(short) * 3 > len(rest) or _runs(rest) > 2):
        return None  # features only; verse and tables (runs of short lines) are not articles
    if long and (_headlike(rest[-1]) or len(paras[1]) < 20 and _headlike(paras[1])):
        return None  # a subhead right under the title is indistinguishable from a subtitle
    if any(p.startswith(("图为", "（图片）")) for p in paras):
        return None
    from indexer.repair import ends_mid_sentence

    if ends_mid_sentence(paras[-1]) or len(paras[-1]) < 2:
        return None
    if names and not printed:
        lead = paras[0][:60]
        if ("（记者" + "、".join(names) + "）") in lead or (
            "记者" + "、".join(names) + "报道") in lead:
            printed = True
        tail = "（" + "".join(names) + "）"
        if paras[-1].endswith(tail):
            paras[-1] = paras[-1][: -len(tail)] + "（" + " ".join(names) + "）"
            printed = True
    author_sub = bool(sub) and (len(names) == 1 and sub.endswith(names[0]) and len(
        sub) > len(names[0]) + 1 or bool(_AUTHOR_SUB.fullmatch(sub)))
    if author_sub and names and sub.endswith(names[-1]):
        printed = True  # the name the corpus credits is printed on the author line
    return Source(a["id"], title, paras, names, printed, sub, author_sub)


def _closing_credit(last: str) -> bool:
    """Whether the article closes with its writer's credit (（河南杞县 牛建海）): a page that
    also prints a 本报记者 line names two people, which the corpus cannot vouch for."""
    m = re.search(r"（([^（）]{2,24})）$", last)
    return bool(m) and not re.search(r"电|讯|摄|完|续|图", m.group(1))


def _runs(paras: list[str]) -> int:
    """Longest run of consecutive short (headline-like) paragraphs."""
    best = cur = 0
    for p in paras:
        cur = cur + 1 if _headlike(p) else 0
        best = max(best, cur)
    return best


@lru_cache(maxsize=2)
def corpus(long: bool = False) -> tuple[Source, ...]:
    """The usable corpus articles (cached); ``long``: the features with in-article short lines."""
    out = []
    with open(CORPUS, encoding="utf-8") as fh:
        for line in fh:
            s = _prepare(json.loads(line), long)
            if s:
                out.append(s)
    return tuple(out)


@lru_cache(maxsize=1)
def real_names() -> tuple[str, ...]:
    """Reporter names from the corpus (2–3 Han characters), for synthetic bylines."""
    names: set[str] = set()
    with open(CORPUS, encoding="utf-8") as fh:
        for line in fh:
            for n in (json.loads(line)["reporter"] or "").split("、"):
                if re.fullmatch(r"[\u4e00-\u9fff]{2,3}", n):
                    names.add(n)
    return tuple(sorted(names))


PLACES = ["北京", "上海", "天津", "广州", "重庆", "西安", "成都", "沈阳", "武汉", "南京"]
ABROAD = [("达沃斯", "瑞士"), ("日内瓦", "瑞士"), ("悉尼", "澳大利亚"), ("大阪", "日本")]


def byline_form(rng: random.Random, first: str) -> tuple[str | None, str, list[str]]:
    """A byline printed the way papers do: (own line or None, new first paragraph, names).

    Names come from the corpus's own reporters; two names are sometimes printed glued.
    """
    pool = real_names()
    a, b = rng.sample(pool, 2)
    d = rng.randint(1, 31)
    fw = str.maketrans("0123456789", "０１２３４５６７８９")
    date = f"１月{str(d).translate(fw)}日"
    place = rng.choice(PLACES)
    form = rng.randrange(7)
    if form == 0:
        return None, f"本报讯记者{a}从有关部门获悉：{first}", [a]
    if form == 1:
        return None, f"本报{place}{date}讯记者{a}近日从有关方面了解到，{first}", [a]
    if form == 2:
        return f"本报记者 {a}{b}", first, [a, b]
    if form == 3:
        return None, f"本报讯（光明日报记者{a}、新华社记者{b}）{first}", [a, b]
    if form == 4:
        city, country = rng.choice(ABROAD)
        return None, f"新华社{city}（{country}）{date}电（记者{a}）{first}", [a]
    if form == 5:
        return None, f"本报{place}{date}讯记者{a}、{b}报道：{first}", [a, b]
    return f"{a}", first, [a]  # the author alone on the first line of a feature


LAYOUTS = {
    # name: (blank style, headline style, own-line byline probability, photo probability)
    "sample": ("double", "mixed", 0.0, 0.3),
    "dense": ("none", "title", 0.0, 0.2),
    "single": ("single", "kicker", 0.3, 0.2),
    "full": ("single", "full", 0.0, 0.3),
    "bylines": ("double", "mixed", 0.8, 0.2),
    "mixed": ("random", "mixed", 0.4, 0.4),
    "dense-bylines": ("none", "mixed", 0.6, 0.3),
}
# Long features with in-article short lines, and the unparenthesised byline forms.
LONG_LAYOUTS = {
    "features": ("single", "mixed", 0.4, 0.2),
    "features-dense": ("none", "mixed", 0.4, 0.1),
    "byline-forms": ("double", "mixed", 0.0, 0.2),
}
ALL_LAYOUTS = {**LAYOUTS, **LONG_LAYOUTS}
HEADERS = ["第{n}版", "{nn}版：综合新闻", "第{nn}版：要闻", "第{fn}版", "{nn}版 工会新闻"]
FILE_NAMES = ["{date}_{nn}.txt", "{ymd}-{nn}版.txt", "ldwb_{ymd}_p{nn}.txt", "{ymd}_{nn}.txt",
              "{date}-第{nn}版.txt", "page{nn}_{ymd}.txt", "{ymd}.txt"]


def _columns(paras: list[str], rng: random.Random, cap: int,
             cuts: list[str] | None = None) -> list[str]:
    """Print paragraphs into columns of ``cap`` characters: cut where a column fills.

    ``cuts`` collects the phrase across each cut (3 characters either side).
    """
    lines = []
    room = cap
    for p in paras:
        while len(p) > room:
            if room > 0:
                lines.append(p[:room])
                if cuts is not None and room >= 3 and len(p) - room >= 3:
                    cuts.append(p[room - 3:room + 3])
                p = p[room:]
            room = cap + rng.randint(-15, 15)
        lines.append(p)
        room -= len(p)
        if room <= 0:
            room = cap
    return lines


def _article(src, layout: str, style_args: tuple, rng: random.Random,
             spare_titles: list[str]) -> tuple[list[tuple[str, int]], TruthArticle]:
    """One article as printed lines (with extra blank lines before) and its truth."""
    blank_style, head_style, p_byline, p_photo = style_args
    style = head_style if head_style != "mixed" else rng.choice(["title", "kicker", "full"])
    heads = [src.title] + ([src.sub] if src.sub and not src.author_sub else [])
    if style in ("kicker", "full"):
        heads.insert(0, rng.choice(KICKERS))
    if style == "full" and not src.sub:
        heads.append("——" + spare_titles.pop() if spare_titles else "——记一线职工")
    paras = ([src.sub] if src.author_sub else []) + list(src.paras)
    reporters: list[str] | None = list(src.reporters) if src.printed else None
    if not src.reporters:
        reporters = None  # the corpus misses some printed bylines: don't assert
    before: list[str] = []
    if (layout == "byline-forms" and not src.reporters and not re.match(
            r"(?:据)?(?:本报|新华社|中新社)|.{0,40}记者", paras[0])):
        own, paras[0], reporters = byline_form(rng, paras[0])
        if own:
            paras.insert(0, own)
    elif (not src.reporters and not re.match(r".{0,40}记者", paras[0]) and not re.match(r"(?:据)?(?:本报|新华社)", paras[0])
            and rng.random() < p_byline):
        names = rng.sample(FAKE_NAMES, rng.choice([1, 1, 2]))
        line = "本报记者 " + " ".join(names)
        # a second author line (the unit and name the corpus stored) is not in the truth
        reporters = None if src.author_sub or _closing_credit(paras[-1]) else names
        if rng.random() < 0.5:
            before = [line]
        else:
            paras.insert(0, line)
    tail: list[str] = []
    if rng.random() < p_photo:
        tail = [rng.choice(CAPTIONS), rng.choice(FAKE_NAMES[:10]) + rng.choice([" 摄", "/摄"])]
    cap = rng.randint(120, 320)
    cuts: list[str] = []
    own_line = paras[0].startswith("本报记者 ") or len(paras) > 1 and paras[0] in real_names()
    body_lines = _columns(paras, rng, cap, cuts) if not own_line else (
        [paras[0]] + _columns(paras[1:], rng, cap, cuts))
    gap = 2 if blank_style in ("double", "random") and rng.random() < 0.3 else 0
    block = [(ln, gap if k == 0 else 0) for k, ln in enumerate(before + heads)]
    block += [(ln, 0) for ln in body_lines + tail]
    printed_body = "\n".join(before + paras + tail)
    kicker = heads[0] if style in ("kicker", "full") else ""
    subheads = sum(1 for p in paras[1:] if _headlike(p))
    return block, TruthArticle(src.title, heads, printed_body, src.paras, reporters, src.id,
                               kicker, [c for c in cuts if not re.search(r"\s", c)],
                               subheads)


def _print(lines: list[tuple[str, int]], blank_style: str, rng: random.Random) -> list[str]:
    """The page's lines with blank lines between them as ``blank_style`` prints them."""
    out: list[str] = []
    base = rng.choice([0, 1])
    for k, (ln, extra) in enumerate(lines):
        if k:
            if blank_style == "none":
                blanks = 0
            elif blank_style == "single":
                blanks = 1
            elif blank_style == "double":
                blanks = 1 + extra
            else:
                blanks = base + (extra and rng.random() < 0.5) * 2
            out.extend([""] * blanks)
        out.append(ln)
    return out


def make_page(seed: int, layout: str, n: int = 6, start: int | None = None) -> Page:
    """A page of ``n`` corpus articles printed in ``layout`` (see LAYOUTS), deterministic."""
    rng = random.Random(f"{seed}-{layout}")
    long = layout in LONG_LAYOUTS
    pool = corpus(long) if layout != "byline-forms" else corpus()
    blank_style, head_style, p_byline, p_photo = ALL_LAYOUTS[layout]
    if long and layout != "byline-forms":
        # a features page mixes features with ordinary news, as printed pages do
        news = corpus()
        n = min(n, 4)
    picks = rng.sample(range(len(pool)), n + 3)
    chosen = [pool[i] for i in picks[:n]]
    spare_titles = [pool[i].title for i in picks[n:]]
    if long and layout != "byline-forms":
        chosen = chosen[:2] + [news[i] for i in rng.sample(range(len(news)), n - 2)]
        rng.shuffle(chosen)
    blocks: list[list[tuple[str, int]]] = []  # (line, extra blank lines before)
    truth: list[TruthArticle] = []
    date = None
    header: list[tuple[str, int]] = []
    # page number, header form and file name come from their own stream, so the pages of the
    # older layouts stay the pages the strict tests were written against
    prng = random.Random(f"{seed}-{layout}-page")
    number = prng.randint(1, 16)
    fw = str.maketrans("0123456789", "０１２３４５６７８９")
    y, m, d = 1998, 1, prng.randint(1, 31)
    if rng.random() < 0.5:
        y, m, d = 1998, 1, rng.randint(1, 31)
        number = rng.randint(1, 12)
        weekday = "一二三四五六日"[(d + 2) % 7]
        label = prng.choice(HEADERS).format(n=number, nn=f"{number:02d}",
                                            fn=f"{number:02d}".translate(fw))
        header = [(f"人民日报　{y}年{m}月{d}日　星期{weekday}".translate(fw), 0), (label, 0)]
        date = f"{y:04d}-{m:02d}-{d:02d}"
    name_form = prng.choice(FILE_NAMES)
    filename = name_form.format(date=f"{y:04d}-{m:02d}-{d:02d}", ymd=f"{y:04d}{m:02d}{d:02d}",
                                nn=f"{number:02d}")
    for src in chosen:
        block, art = _article(src, layout, ALL_LAYOUTS[layout], rng, spare_titles)
        blocks.append(block)
        truth.append(art)
    out = _print(header + [x for b in blocks for x in b], blank_style, rng)
    return Page("\n".join(out) + "\n", layout, date, truth, str(number), filename,
                "{nn}" in name_form)


def norm(s: str) -> str:
    """Text without any whitespace (Chinese text compares that way across line joins)."""
    return re.sub(r"\s+", "", s)


if __name__ == "__main__":  # pragma: no cover - manual look at a page
    import sys

    pg = make_page(int(sys.argv[1]) if len(sys.argv) > 1 else 0,
                   sys.argv[2] if len(sys.argv) > 2 else "sample")
    print(pg.text)
    print(os.linesep.join(f"# {t.title} {t.reporters}" for t in pg.articles))
