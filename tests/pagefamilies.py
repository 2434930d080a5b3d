"""Page-dump layout families for measuring the splitter on layouts it was not written for.

Why: ``tests/pagegen.py`` was written together with the splitter, so its pages share the
splitter's habits (news only, one byline form, a kicker always from one list).  These
families print *every kind* of real article in the corpus (``tests/data/pd1998-01-a.jsonl``:
news, features, commentary, verse, laws, picture stories) the ways real papers' page text
does, so a family can be kept out of tuning and still be measured:

* author lines without 记者 — a name alone (李瑛), two names run together (苗再新李翔), a unit
  or place with the name (江苏洪泽县石守权), spaced names;
* closing credits in parentheses (（某县委宣传部张三）, （新华社发）, （张三摄）), picture
  caption lists (图片： / 图①…), 备注 lines, a law's （…通过） line, verse;
* headline suffixes （附图片１张） （图片） （外一首） （农村新事）; kicker / title / subtitle with
  and without a dash; a one-sentence 导语 under the title; a dateline on a line of its own;
* the blank-line rhythm of each paper: a wider gap between articles than between paragraphs,
  no gaps at all, or equal gaps everywhere; paragraphs cut where a column ends.

Each page knows its truth: per article the title, the names printed in a byline form (None
when the corpus cannot say), the phrases a column break cut, and the page's 版面.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from tests.pagegen import CORPUS

HAN = "\u4e00-\u9fff"
FW = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Art:
    """A corpus article, cleaned for printing."""

    id: str
    title: str  # without the picture suffix the corpus appends
    paras: list[str]
    names: list[str]  # the corpus's reporter names
    kind: str  # news, feature, verse, law
    sub: str = ""  # a subtitle the corpus stored as the first body line
    suffix: str = ""  # （附图片１张） / （外一首） … as the corpus printed it
    byline: str = ""  # the author line as the corpus printed it (本报驻美国记者张三, 李瑛)


@dataclass
class FamArticle:
    """What a page prints for one article, and what the splitter must give back."""

    title: str
    kicker: str
    subtitle: str
    reporters: list[str] | None  # None: not printed in a form the truth can vouch for
    lines: list[str]  # every printed line of the article (headline block included)
    first: str  # the first body line (finds the parsed article holding it)
    cuts: list[str] = field(default_factory=list)  # 6-character phrases cut by a column break
    id: str = ""
    heads: int = -1  # how many of ``lines`` are headline lines (-1: those equal to a heading)


@dataclass
class FamPage:
    text: str
    family: str
    page: str  # the 版面 number
    filename: str
    articles: list[FamArticle] = field(default_factory=list)
    chrome: list[str] = field(default_factory=list)  # page chrome: in no article's text


@dataclass(frozen=True)
class Family:
    """How one kind of paper prints a page (probabilities per article)."""

    kinds: tuple[str, ...]  # article kinds the page takes
    gap_art: tuple[int, int]  # blank lines between articles (min, max)
    gap_para: int  # blank lines between paragraphs (and headline lines)
    cap: tuple[int, int]  # column capacity in characters
    author: dict  # author-line form → weight (under the title)
    kicker: float = 0.3
    sub_dash: float = 0.0  # ——subtitle
    sub_plain: float = 0.0  # subtitle / 导语 without a dash
    dateline_line: float = 0.0  # 本报北京１月５日讯 on a line of its own
    credit_end: float = 0.0  # （某县委宣传部张三） closing the last paragraph
    photo_end: float = 0.0  # （新华社发） / （张三摄） / 张三 摄 line
    captions: float = 0.0  # 图片： 图①… list at the end
    note_end: float = 0.0  # 备注： line at the end
    suffix: float = 0.5  # keep the corpus's （附图片１张） suffix on the title
    column: float = 0.0  # a column name suffix （农村新事） on the title
    slash_photo: bool = False  # photo credits as evening papers print them: 张三/摄
    indent: bool = False  # paragraphs open with two ideographic spaces (a column cut does not)
    split_title: float = 0.0  # a long title printed over two lines (a PDF's text, line by line)
    names_end: float = 0.0  # （张三 李四）: the writers' names closing the last paragraph
    # the writers credited at the end only, in one of these forms → weight (``_closing``)
    closing: tuple[tuple[str, int], ...] = ()
    end_credit: float = 0.0  # how often an article is closed by such a credit
    picture_run: float = 0.0  # a page ends with a 图片新闻 run: title, caption, credit × 2–3
    wrap: tuple[int, int] = (0, 0)  # every line broken at this width (a PDF's text lines)
    chrome: float = 0.0  # 本版编辑 / 联系电话 / 主办 lines at the page's top or bottom
    name: str = ""  # the family's key in FAMILIES (its words: WORDS)
    items: int = 6  # articles a page prints
    paras: tuple[int, int] = (0, 0)  # only this many paragraphs of each (short items)
    lead_credit: float = 0.0  # the writers named inside the 本报讯 lead (``_lead``)
    inline_title: float = 0.0  # the title run into its 本报讯 lead on one line (a lead-in)
    sign_end: float = 0.0  # a signature closing the text: （作者系…） or a reader's place + name
    # text saved from a paper's web edition instead of its printed page (``_web_article``):
    # "rmrb" the 人民网 e-paper's 引题 / 标题 / 副题 lines and its <p> paragraphs, "laoziliao"
    # the 1946–2003 人民日报 archive's title and text as the database stores them
    web: str = ""


FAMILIES: dict[str, Family] = {
    # 劳动午报-like: wide gaps between articles, 本报讯（记者 …）, photo credits
    "ldwb": Family(("news", "feature"), (2, 3), 1, (140, 320), {"none": 6, "role": 2},
                   kicker=0.3, sub_dash=0.1, photo_end=0.3),
    # People's Daily 1998 text: no blank lines, the author's name alone under the title
    "pd1998": Family(("news", "feature"), (0, 0), 0, (150, 400), {"none": 4, "bare": 4, "role": 1},
                     kicker=0.2, sub_dash=0.2, credit_end=0.2),
    # literature page: verse and essays, author alone or with a unit, （外一首）
    "literary": Family(("verse", "feature"), (2, 2), 1, (200, 500),
                       {"bare": 6, "unit": 2, "spaced": 1}, kicker=0.1, suffix=0.9),
    # two authors printed together with no separator
    "glued-names": Family(("news", "feature"), (1, 2), 0, (150, 320),
                          {"glued": 5, "bare": 2, "none": 1}, kicker=0.2, sub_dash=0.1),
    # a unit or place printed with the author's name, and credits closing the article
    "unit-credits": Family(("news", "feature"), (1, 1), 0, (150, 320),
                           {"unit": 4, "none": 3}, credit_end=0.5, photo_end=0.3, kicker=0.2),
    # equal gaps everywhere: one blank line between every two lines
    "equal-gaps": Family(("news", "feature"), (1, 1), 1, (120, 300),
                         {"none": 4, "bare": 2, "role": 1}, kicker=0.3, sub_plain=0.3,
                         photo_end=0.3, captions=0.2),
    # a one-sentence 导语 / 副题 under the title, no dash
    "lead-lines": Family(("news", "feature"), (1, 2), 0, (150, 320), {"none": 5, "bare": 2},
                         kicker=0.3, sub_plain=0.7),
    # datelines on a line of their own under the headline
    "datelines": Family(("news",), (1, 2), 0, (150, 320), {"none": 5, "role": 1},
                        kicker=0.3, dateline_line=0.7, sub_dash=0.2),
    # picture pages: caption lists, （图片） titles, photo credits, 备注 lines
    "pictures": Family(("news", "feature"), (2, 2), 0, (120, 260), {"none": 4, "bare": 1},
                       captions=0.6, photo_end=0.5, note_end=0.2, suffix=1.0, kicker=0.2),
    # 工人日报-like: kicker / title / ——subtitle, ■本报记者 lines, column names on titles
    "grdaily": Family(("news", "feature", "law"), (1, 1), 0, (150, 340),
                      {"role": 3, "square": 2, "none": 2}, kicker=0.5, sub_dash=0.4, column=0.2,
                      note_end=0.1),
    # evening / metro papers: 文/张三 author lines, 张三/摄 credits, column names on titles,
    # a blank line between paragraphs and two or three between articles
    "slash-credits": Family(("news", "feature"), (2, 3), 1, (100, 260),
                            {"slash": 5, "none": 2}, kicker=0.4, sub_dash=0.3, column=0.15,
                            photo_end=0.4, note_end=0.1, slash_photo=True),
    # city and county papers (地市党报's 县市区专版, 劳动午报's page text as a PDF gives it):
    # paragraphs indented with 　　, 记者 … 通讯员 … bylines under the title (□ or none),
    # long titles over two lines, 【栏目】 kickers, short items closed by （张三 李四）
    "county": Family(("news", "feature"), (1, 2), 0, (130, 300),
                     {"corr": 4, "box": 2, "none": 3}, kicker=0.3, sub_dash=0.15,
                     photo_end=0.2, indent=True, split_title=0.25, names_end=0.3),
    # --- first seen this round, held out from every fit and rule (``bench.ingest_pages``) ---
    # trade-union weeklies' page text (陕西工人报, 劳动午报 as their sites print it): no blank
    # line anywhere, the writers credited only at the end — （范国俊）, （通讯员 张三）, a
    # closing line □单位 张三 — and 图片新闻 runs of short captioned items closing the page
    "union-weekly": Family(("news", "feature"), (0, 0), 0, (140, 320), {"none": 1},
                           kicker=0.25, photo_end=0.15,
                           closing=(("corr", 3), ("corr2", 1), ("alone", 2), ("unit", 2),
                                    ("box", 2)),
                           end_credit=0.8, picture_run=0.6),
    # a 专版 as a PDF's text extraction gives it: every line broken at the column's width
    # (16–24 characters, the same all page; a title longer than that runs on a second
    # line), no hyphen or mark where a column goes on, 本版编辑 / 联系电话 / 主办 chrome
    "pdf-zhuanban": Family(("news", "feature"), (0, 1), 0, (160, 360),
                           {"role": 2, "box": 2, "none": 2}, kicker=0.3, sub_dash=0.3,
                           photo_end=0.3, captions=0.1, wrap=(16, 24), chrome=1.0),
    # --- first seen in the eighth pass (``bench.ingest_pages``: group ``new``) ---
    # 要闻简报 / evening papers' 本市快讯: eight or nine items of one or two paragraphs, the
    # writers inside the lead — 本报讯（记者 张三 通讯员 李四）, 本报讯 记者张三报道：,
    # 本报讯（通讯员 李四）— a title sometimes run into its lead as a lead-in, one blank line
    # between items and none between paragraphs
    "briefs": Family(("news",), (1, 1), 0, (200, 420), {"none": 1}, kicker=0.1,
                     items=9, paras=(1, 2), lead_credit=0.8, inline_title=0.25,
                     end_credit=0.3, closing=(("alone", 2), ("corr", 1))),
    # 经济日报-like 专栏 and 读者来信 pages: 【栏目】 kickers, □ 张三 author lines or 本报评论员,
    # paragraphs indented, the writer's post closing the text （作者系…教授）, a reader's
    # letter signed on its own last line with place and name (河南省洛阳市读者 张三)
    "columns": Family(("feature",), (1, 2), 0, (160, 380),
                      {"boxname": 4, "editorial": 1, "none": 3}, kicker=0.6, sub_dash=0.2,
                      indent=True, sign_end=0.7),
    # --- first seen in the tenth pass (``bench.ingest_pages``: group ``first seen``) ---
    # 人民网's e-paper as the public scrapers save it (github.com/caspiankexin/
    # people-daily-crawler-date, 人民网人民日报爬虫（第2版）/（第3版）.py: ``h3.text + "\n" +
    # h1.text + "\n" + h2.text + "\n"`` then each ``<p>`` of ``div#ozoom`` + "\n"; one file
    # per article, a page's files then joined line by line, 合并文件及子文件夹中txt文件.py):
    # the 引题 and 副题 lines stay as empty lines when the page has none, paragraphs are
    # whole and open with 　　, no blank line between articles, the byline (outside #ozoom)
    # is not saved, no date / 版面 line: the 版面 is in the file name only
    "rmrb-web": Family(("news", "feature"), (0, 0), 0, (0, 0), {"none": 1}, kicker=0.35,
                       sub_dash=0.3, sub_plain=0.3, suffix=0.0, web="rmrb"),
    # 老资料网's 1946–2003 人民日报 as its scrapers save a 版面 (caspiankexin/people-daily-
    # crawler-date 老资料网人民日报爬虫.py: every text node of the page's articles, one file
    # ``YYYYMMDD-n.txt`` per 版面; lepuck/rmrb-crawler: ``h2.card-title`` then the
    # ``card-body`` text): each title alone on its line over the text as the database stores
    # it — the author line as printed (李瑛, 本报驻美国记者张三), a first short line, whole
    # paragraphs, verse line by line — no blank line anywhere, no header
    "laoziliao": Family(("news", "feature", "verse", "law"), (0, 0), 0, (0, 0), {"none": 1},
                        kicker=0.0, suffix=1.0, web="laoziliao"),
    # --- first seen in the eleventh pass (``bench.ingest_pages``: group ``first seen``) ---
    # 中国青年报's e-paper (zqb.cyol.com/pc, the Founder 数字报 template 经济日报's paper.ce.cn/pc
    # shares) as a public scraper saves it (ChinaYouthDailySpider, a requests + BeautifulSoup
    # script in the public-code corpus; its repository is not named there): one file per
    # article under ``{date}/{nn}_{版名}/``, opening with 标题： / 日期： / 版面：nn - 版名 /
    # 链接： and a line of 50 dashes, then 标题：<the h1>, 作者：<the page's first string that
    # holds 记者 / 通讯员 — a byline, or a 本报讯（记者 …） lead, which then prints twice>, and
    # the body's text blocks longer than 20 characters, a blank line between two (shorter
    # ones — a subhead, a credit, a verse line — are not saved); no 引题 or 副题.  A 版面's
    # files joined with a blank line between two (as the other scrapers' merge scripts do).
    "cyol-saved": Family(("news", "feature"), (0, 0), 0, (0, 0), {"none": 1}, kicker=0.0,
                         suffix=0.0, web="cyol"),
    # a 版面's articles merged into one file as github.com/Kings-en/rmrb-pdf-fetcher's
    # rmrb_merged.py writes it for the Founder pc template (the node page's ``ul.news-list``
    # titles, each article's ``div.article-content`` by ``get_text("\n", strip=True)``):
    # 【标题】, a blank line, every text node of the body on its own line — the author line
    # and a first short line as the page prints them, whole paragraphs, verse line by line —
    # a blank line and a line of 60 ``=``; no 引题 / 副题, saved under the node page's name
    "merged-brackets": Family(("news", "feature", "verse"), (0, 0), 0, (0, 0), {"none": 1},
                              kicker=0.0, suffix=0.3, web="merged"),
}
FAMILIES = {k: replace(f, name=k) for k, f in FAMILIES.items()}

@dataclass(frozen=True)
class Words:
    """The words one family prints: kickers, column names, units before a name, notes.

    Each family has its own, none shared, so leave-one-family-out can take a family's words
    out of what the splitter learned (``indexer/lexicon.py``, ``bench/ingest_pages.py
    --lofo``).  The tuned families print the words the splitter was tuned with; the held-out
    families' words were written from real papers' pages (人民日报, 工人日报, 光明日报 and
    evening papers' 引题 and 栏目) and never shown to the splitter.
    """

    kickers: tuple[str, ...]
    columns: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def printed(self) -> dict[str, tuple[str, ...]]:
        return {"kickers": self.kickers, "columns": self.columns, "units": self.units,
                "notes": self.notes}


WORDS: dict[str, Words] = {
    "ldwb": Words(("关注春运", "新春走基层", "职工之家"), ("（基层传真）",),
                  ("上海铁路局", "安徽省淮北矿务局")),
    "pd1998": Words(("深化改革 扩大开放", "科教兴国在行动", "环球走笔"), ("（新闻随笔）",),
                    ("山东烟台市委宣传部", "四川省绵阳市委", "广东省韶关市政府办公室")),
    "glued-names": Words(("一线见闻", "各地迎新春", "基层传真")),
    "unit-credits": Words(("聚焦国企改革", "岁末年初看基层", "人民法院在行动"), (),
                          ("江苏洪泽县", "河北省沧州市总工会", "北京市朝阳区人民法院",
                           "湖南株洲电力机车厂", "辽宁省鞍山钢铁公司", "浙江省温州市鹿城区",
                           "吉林省延边州总工会")),
    "lead-lines": Words(("来自再就业一线的报告", "热点追踪", "记者调查"), ("（来信摘登）",)),
    "pictures": Words(("奋进新征程 建功新时代", "农村新事"), ("（农村新事）",), (),
                      ("备注：本表数据截至１９９７年底。", "备注：以上价格均为出厂价。",
                       "备注：带＊号者为新增单位。")),
    # held out: written from real pages, never shown to the splitter
    "literary": Words(("大地副刊", "心香一瓣", "域外风情"), ("（散文诗）", "（组诗）"),
                      ("河南省作家协会", "解放军某部", "黑龙江大庆油田", "甘肃省文联",
                       "江西景德镇陶瓷学院", "湖北宜昌市第一中学")),
    "equal-gaps": Words(("经济视野", "民生关注", "两会特刊", "看变化 话发展")),
    "datelines": Words(("要闻快递", "国内简讯", "今日关注", "新闻纵深")),
    "grdaily": Words(("劳模风采", "一线调研", "维权在线", "大国工匠·匠心筑梦", "权益观察"),
                     ("（工人论坛）", "（班组天地）", "（职工故事）", "（新闻观察）"), (),
                     ("注：文中当事人均为化名。", "附：获奖名单见本报网站。")),
    "slash-credits": Words(("城事", "街谈巷议", "民生热线", "周末特稿"),
                           ("（都市笔记）", "（市井百态）"), (),
                           ("（本栏目与市总工会合办）",)),
    # held out, written from city and county papers' pages: 【栏目】 kickers
    "county": Words(("【乡村振兴进行时】", "【身边的感动】", "【县域经济】", "【基层党建】",
                     "聚焦民生实事")),
}
# The newest families' words, apart from WORDS: the PDF and scanned-page families draw
# their kickers and units from WORDS (tests/pdffamilies.py), and these stay out of them
# (their pages unchanged, these words held out there too).  Union weeklies' 栏目 and their
# correspondents' units, a 专版's 引题 and sponsors, written from union papers' pages.
NEW_WORDS: dict[str, Words] = {
    "union-weekly": Words(("职工园地", "工会干部谈心得", "安康杯竞赛巡礼", "厂务公开之窗"), (),
                          ("宝鸡石油机械厂工会", "咸阳纺织集团", "铜川矿务局王石凹矿",
                           "首发集团八达岭分公司", "汉中供电局", "西安铁路分局工会")),
    "pdf-zhuanban": Words(("产业工人队伍建设改革", "技能强市", "劳动竞赛风采录",
                           "职工书屋"), (), ("市总工会", "市人力资源社会保障局"),
                          ()),
    # written from 要闻简报 and evening papers' 快讯 pages
    "briefs": Words(("本市快讯", "晚报热线", "身边新鲜事"), (), ("市公交集团第三分公司",), ()),
    # 人民日报's 引题 as its web edition prints them (h3 over the title)
    "rmrb-web": Words(("高质量发展调研行", "走进县城看发展", "权威发布", "人民时评",
                       "奋进强国路 阔步新征程")),
    # the 1998 archive prints no kicker of its own (the database keeps none apart)
    "laoziliao": Words(()),
    # the scrapers' saved articles print no kicker (the h1 / the news-list's title only)
    "cyol-saved": Words(()),
    "merged-brackets": Words(()),
    # written from 经济日报's 专栏 and 读者来信 pages
    "columns": Words(("【经济茶座】", "【财经观察】", "【读者来信】", "【百姓话题】"), (),
                     ("中国人民大学经济学院", "国务院发展研究中心", "河南省洛阳市",
                      "湖北省武汉市江岸区", "浙江省杭州钢铁集团", "四川省绵阳市涪城区")),
}
def words_of(family: str) -> Words:
    """The words ``family`` prints (WORDS, or NEW_WORDS for the newest families)."""
    return WORDS[family] if family in WORDS else NEW_WORDS[family]


CAPTIONS = ["图①：职工们在生产线上忙碌。", "图②：技术人员调试设备。", "图③：新建成的职工之家。",
            "图①：春运期间，旅客在车站候车。", "图②：工作人员为旅客服务。",
            "图①：农民在田间查看麦苗长势。", "图②：新修的乡村公路。"]
SLASH_PHOTOS = ["{n}/摄", "（{n}/摄）", "本报记者 {n}/摄", "图/{n}"]
PHOTOS = ["（新华社发）", "（新华社记者{n}摄）", "（{n}摄）", "{n} 摄", "（本报记者{n}摄）", "（资料图片）"]
DATELINES = ["本报北京１月{d}日讯", "新华社北京１月{d}日电", "本报讯", "本报{p}１月{d}日电"]
PLACES = ["上海", "天津", "广州", "重庆", "西安", "沈阳", "武汉", "南京"]
HEADERS = ["{paper}　１９９８年１月{d}日　星期{w}\n第{n}版", "{paper}　1998年1月{dd}日\n{nn}版：{name}",
           "第{n}版：{name}\n１９９８年１月{d}日", "{paper} 1998-01-{dd} 第{nn}版",
           "{nn}版　{name}\n{paper}　1998年1月{dd}日　星期{w}"]
PAPERS = ["人民日报", "工人日报", "劳动午报", "某市日报"]
NAMES = ["要闻", "综合新闻", "经济", "大地副刊", "工会新闻", "国际", "文化", "社会"]
FILES = ["{ymd}_{nn}.txt", "{ymd}.txt", "page{nn}_{ymd}.txt", "{ymd}-{nn}版.txt", "{ymd}-p.txt"]

_SUFFIX = re.compile(r"（(?:附图片[^）]{1,4}|图片|外[一二三]首|[二三四]首|附图|附表)）$")


def _kind(paras: list[str]) -> str:
    lens = sorted(len(p) for p in paras)
    if len(paras) > 6 and lens[len(lens) // 2] < 22:
        return "verse"
    if sum(bool(re.search(r"[。！？]", p)) for p in paras) * 2 < len(paras):
        return "table"  # stock tables, lists: not an article layout
    if any("通过）" in p for p in paras[:3]):
        return "law"
    if re.match(r"(?:据)?(?:本报|新华社|中新社)", paras[0]):
        return "news"
    return "feature"


def _name_ok(n: str) -> bool:
    return bool(re.fullmatch(rf"[{HAN}]{{2,3}}", n))


def _clean(a: dict) -> Art | None:
    title = a["title"].strip()
    m = _SUFFIX.search(title)
    suffix = m.group(0) if m else ""
    title = title[: m.start()].strip() if m else title
    if not 3 <= len(title) <= 44 or re.search(r"[。；]", title) or "（" in title:
        return None
    if "，" in title and len(title) > 20:
        return None  # the corpus stored the first sentence for want of a title
    paras = [p.strip() for p in a["body"].split("\n") if p.strip()]
    if paras and re.sub(r"\W", "", paras[0]).startswith(re.sub(r"\W", "", title)[:12]) and (
            len(paras[0]) > len(title) + 10):
        return None
    names = [n for n in (a["reporter"] or "").split("、") if n]
    if not paras or not 80 <= sum(map(len, paras)) <= 3000:
        return None
    sub = byline = ""
    first = paras[0]
    bare = re.sub(rf"^(?:本报(?:驻[{HAN}]{{1,6}})?记者|新华社记者)", "", first)
    if names and bare == "".join(names):
        byline, paras = first, paras[1:]  # the author line: each family prints its own form
    elif len(paras) > 2 and len(first) <= 30 and not re.search(r"[。，；！？（]", first):
        sub, paras = first, paras[1:]
    if not paras:
        return None
    if names and not all(_name_ok(n) for n in names):
        names = []
    return Art(a["id"], title, paras, names, _kind(paras), sub, suffix, byline)


@lru_cache(maxsize=1)
def articles() -> tuple[Art, ...]:
    out = []
    with open(CORPUS, encoding="utf-8") as fh:
        for line in fh:
            art = _clean(json.loads(line))
            if art:
                out.append(art)
    return tuple(out)


@lru_cache(maxsize=1)
def _pool_names() -> tuple[str, ...]:
    return tuple(sorted({n for a in articles() for n in a.names if len(n) == 3}))


def _columns(paras: list[str], rng: random.Random, cap: tuple[int, int],
             cuts: list[str], starts: list[bool] | None = None) -> list[str]:
    """Paragraphs as printed in columns: a paragraph is cut where a column fills.

    ``starts`` (when given) gets, per printed line, whether it opens a paragraph."""
    lines: list[str] = []
    size = rng.randint(*cap)
    room = rng.randint(40, size)  # the first column is already part filled by the headline
    for p in paras:
        if starts is not None:
            starts.extend([False] * (len(lines) - len(starts)) + [True])
        while len(p) > room:
            if room > 0:
                lines.append(p[:room])
                if room >= 3 and len(p) - room >= 3 and not re.search(r"\s", p[room - 3:room + 3]):
                    cuts.append(p[room - 3:room + 3])
                p = p[room:]
            room = rng.randint(*cap)
        lines.append(p)
        if starts is not None:
            starts.extend([False] * (len(lines) - len(starts)))
        room -= len(p)
        if room <= 0:
            room = rng.randint(*cap)
    return lines


def _author(form: str, art: Art, rng: random.Random,
            words: Words) -> tuple[str, list[str] | None]:
    """An author line in ``form`` and the names it prints."""
    names = list(art.names) or [rng.choice(_pool_names())]
    if form == "role":
        return "本报记者 " + " ".join(names), names
    if form == "square":
        return "■本报记者 " + " ".join(names), names
    if form == "bare":
        return " ".join(names) if len(names) > 1 else names[0], names
    if form == "spaced":
        two = names if len(names) > 1 else names + [rng.choice(_pool_names())]
        return " ".join(two), two
    if form == "glued":
        two = names if len(names) > 1 else names + [rng.choice(_pool_names())]
        two = [n for n in two if len(n) == 3] or two
        if len(two) < 2:
            two = two + [rng.choice(_pool_names())]
        return "".join(two[:2]), two[:2]
    if form == "slash":  # evening papers: 文/张三, 文·图/张三, 文/本报记者 张三
        shape = rng.choice(["文/{}", "文·图/{}", "文/本报记者 {}", "■文/{}"])
        return shape.format(" ".join(names)), names
    if form in ("corr", "box"):  # 记者 张三 通讯员 李四 / □本报通讯员 李四
        helper = rng.choice(_pool_names())
        while helper in names:
            helper = rng.choice(_pool_names())
        if form == "box":
            shape = rng.choice(["□本报记者 {r}", "□记者 {r} 通讯员 {c}", "□本报通讯员 {c}"])
        else:
            shape = rng.choice(["记者 {r} 通讯员 {c}", "本报记者 {r} 通讯员 {c}",
                                "记者 {r} 实习生 {c}", "通讯员 {c}"])
        got = ([] if "{r}" not in shape else names) + ([helper] if "{c}" in shape else [])
        return shape.format(r=" ".join(names), c=helper), got
    if form == "boxname":  # a commentary's writer: □ 张三, ■ 张三 李四, ◎张三
        return rng.choice(["□ ", "■ ", "◎"]) + " ".join(names), names
    if form == "editorial":  # no person named
        return rng.choice(["本报评论员", "本报特约评论员", "经济日报评论员"]), []
    if form == "unit":
        name = names[0]
        return rng.choice(words.units) + rng.choice(["", " "]) + name, [name]
    raise ValueError(form)


_DATELINE = re.compile(r"^(?:据)?(?:本报|新华社)[^，。（：]{0,16}?[讯电](?:[（(][^）)]*[）)])?"
                       r"(?:\s?记者[^，。：\s]{2,12}报道[：:])?")
LEAD_FORMS = ["本报讯（记者 {r}）", "本报讯（记者{r} 通讯员{c}）", "本报讯 记者{r}报道：",
              "本报讯（通讯员 {c} 记者 {r}）", "本报讯（通讯员 {c}）"]
POSTS = ["教授", "研究员", "副研究员", "职工", "高级经济师"]


def _lead(art: Art, para: str, rng: random.Random) -> tuple[str, list[str]]:
    """A news item's first paragraph with its writers named inside the 本报讯 lead."""
    names = list(art.names) or [rng.choice(_pool_names())]
    helper = rng.choice(_pool_names())
    while helper in names:
        helper = rng.choice(_pool_names())
    shape = rng.choice(LEAD_FORMS)
    # the reporters (记者) first, then the correspondent, as every reader lists them
    got = (names if "{r}" in shape else []) + ([helper] if "{c}" in shape else [])
    rest = _DATELINE.sub("", para).lstrip("，, ")
    joiner = " " if shape.endswith("）") and rng.random() < 0.3 else ""
    return shape.format(r=" ".join(names), c=helper) + joiner + rest, got


def _article(art: Art, fam: Family, rng: random.Random,
             width: int = 0) -> tuple[list[tuple[str, int]], FamArticle]:
    """The printed lines of one article (line, kind) and its truth; kind 'h' is headline."""
    paras = list(art.paras)
    if fam.paras[1]:
        paras = paras[:rng.randint(*fam.paras)]
    lead_names: list[str] | None = None
    if (fam.lead_credit and art.kind == "news" and _DATELINE.match(paras[0])
            and not re.match(r"[^，。]{0,6}(?:记者|通讯员)", _DATELINE.sub("", paras[0]))
            and rng.random() < fam.lead_credit):
        paras[0], lead_names = _lead(art, paras[0], rng)
    words = words_of(fam.name)
    heads: list[str] = []
    kicker = subtitle = ""
    if rng.random() < fam.kicker:
        kicker = rng.choice(words.kickers)
        heads.append(kicker)
    title = art.title
    if art.suffix and rng.random() < fam.suffix:
        title += art.suffix
    elif rng.random() < fam.column:
        title += rng.choice(words.columns)
    heads.append(title)
    if (fam.split_title and not re.search(r"[（(，、：“《·—\s]", title) and len(title) >= 12
            and rng.random() < fam.split_title):
        cut = len(title) // 2 + rng.randint(-2, 2)
        heads[-1:] = [title[:cut], title[cut:]]  # one title over two lines
    if art.sub and rng.random() < fam.sub_dash:
        subtitle = "——" + art.sub
    elif art.sub and rng.random() < fam.sub_plain:
        subtitle = art.sub
    elif rng.random() < fam.sub_plain:
        m = re.match(r"[^。！？]{12,40}。", paras[0])
        if m and len(paras[0]) > len(m.group(0)) + 20 and not re.match(r"(?:据)?(?:本报|新华社)",
                                                                        paras[0]):
            subtitle = m.group(0)[:-1] if rng.random() < 0.5 else m.group(0)  # 导语
    elif art.sub:
        paras.insert(0, art.sub)  # the corpus's first line stays text
    if subtitle:
        heads.append(subtitle)
    reporters: list[str] | None = None
    weights = fam.author
    form = rng.choices(list(weights), list(weights.values()))[0]
    lead = paras[0]
    if form == "editorial" and (art.names or len(lead) <= 24 and not re.search(r"[。，]", lead)):
        form = "none"  # the article prints its own byline: no 评论员 line over it
    top: list[str] = []
    if form != "none" and not re.match(r"(?:据)?(?:本报|新华社|中新社).{0,30}[讯电]", lead):
        line, reporters = _author(form, art, rng, words)
        top.append(line)
    elif art.names and re.match(r"(?:据)?(?:本报|新华社).{0,30}[讯电][（(]记者", lead):
        reporters = list(art.names)
    elif art.names and paras[-1].endswith("（" + "".join(art.names) + "）") and (
            len(art.names) == 1):
        reporters = list(art.names)  # （胡杰） closing the article
    if lead_names is not None:
        reporters = lead_names
    if fam.dateline_line and art.kind == "news" and rng.random() < fam.dateline_line:
        m = re.match(r"((?:本报|新华社)[^，。（]{0,16}?[讯电])(.{20,})", paras[0])
        if m and "（" not in m.group(1):
            paras[0:1] = [m.group(1), m.group(2)]
        elif not top and not re.match(r"(?:据)?(?:本报|新华社|中新社)", paras[0]):
            # a dateline line over a story printed without one (never a second dateline)
            d = str(rng.randint(1, 28)).translate(FW)
            top.append(rng.choice(DATELINES).format(d=d, p=rng.choice(PLACES)))
    closing = re.search(r"（([^（）]{2,24})）$", paras[-1])
    if reporters and closing and not re.search(r"电|讯|摄|完|续|图", closing.group(1)) and not any(
            n in closing.group(1) for n in reporters):
        reporters = None  # the article closes with another writer's credit: two names
    tail: list[str] = []
    if fam.credit_end and rng.random() < fam.credit_end and not top and not re.search(
            r"[）)]$", paras[-1]) and not re.search(r"记者|[讯电][（(]", paras[0][:40]) and not (
            len(paras[0]) <= 24 and not re.search(r"[。，]", paras[0])):  # an author line there
        name = art.names[0] if art.names else rng.choice(_pool_names())
        paras[-1] += f"（{rng.choice(words.units)}{name}）"
        reporters = [name]
    if (fam.names_end and reporters is None and not top and not closing
            and not re.search(r"[）)]$", paras[-1]) and rng.random() < fam.names_end):
        two = list(art.names) or [rng.choice(_pool_names())]
        if len(two) == 1:
            second = rng.choice(_pool_names())
            two += [second] if second != two[0] else []
        paras[-1] += "（" + " ".join(two) + "）"  # （张三 李四）: the writers, closing the text
        reporters = two
    if fam.sign_end and rng.random() < fam.sign_end and not re.search(r"[）)]$", paras[-1]):
        if top and reporters:  # the writer's post closes the text
            post = (rng.choice(words.units[:2]) + rng.choice(POSTS[:3]) if rng.random() < 0.7
                    else words.units[4] + rng.choice(POSTS[3:]))  # a school's, a works'
            paras[-1] += f"（作者系{post}）"
        elif not top and reporters is None:  # a reader's letter, signed on its own line
            name = art.names[0] if art.names else rng.choice(_pool_names())
            place = rng.choice(words.units[2:])
            tail.append(rng.choice(["{p}读者 {n}", "{p} {n}", "——{p}读者 {n}"]).format(
                p=place, n=name))
            reporters = [name]
    if (fam.end_credit and reporters is None and not top and not closing
            and not re.search(r"[）)]$", paras[-1]) and "记者" not in "".join(paras[:2])[:120]
            and rng.random() < fam.end_credit):
        line, reporters = _closing(fam, art, rng, words)
        if line.startswith("□"):
            tail.append(line)  # a closing line of its own
        else:
            paras[-1] += line
    if rng.random() < fam.captions:
        k = rng.randint(2, 3)
        first = rng.randrange(0, max(1, len(CAPTIONS) - k))
        tail += (["图片："] if rng.random() < 0.3 else []) + CAPTIONS[first:first + k]
    if rng.random() < fam.photo_end:
        forms = SLASH_PHOTOS if fam.slash_photo else PHOTOS
        tail.append(rng.choice(forms).format(n=rng.choice(_pool_names())))
    if rng.random() < fam.note_end:
        tail.append(rng.choice(words.notes))
    cuts: list[str] = []
    verse = art.kind == "verse"
    starts: list[bool] | None = [] if fam.indent else None
    body = paras if verse else _columns(paras, rng, fam.cap, cuts, starts)
    if fam.indent:  # 　　 opens each paragraph; a line a column cut goes on flush
        body = ["\u3000\u3000" + b if verse or starts[k] else b for k, b in enumerate(body)]
    lines = [(h, "h") for h in heads] + [(t, "t") for t in top] + [(b, "b") for b in body]
    if (fam.inline_title and not top and not subtitle and kicker == "" and len(heads) == 1
            and body[0].startswith("本报讯") and rng.random() < fam.inline_title):
        lines[:2] = [(heads[0] + rng.choice(["\u3000", " ", "　　"]) + body[0], "b")]
    lines += [(t, "e") for t in tail]
    if width:
        lines = [(piece, kind) for ln, kind in lines for piece in _wrap(ln, width)]
    printed = [ln for ln, _ in lines]
    n_heads = sum(kind == "h" for _, kind in lines)
    truth = FamArticle(title=title, kicker=kicker, subtitle=subtitle, reporters=reporters,
                       lines=printed, first=printed[n_heads], cuts=cuts, id=art.id,
                       heads=n_heads if width else -1)
    return lines, truth


def _web_article(art: Art, fam: Family,
                 rng: random.Random) -> tuple[list[tuple[str, int]], FamArticle]:
    """One article as a web edition's scraper saves it (``Family.web``): whole paragraphs,
    no column cut; "rmrb" prints its 引题 / 副题 lines empty when it has none and leaves the
    byline out, "laoziliao" prints the title over the text as the archive stores it."""
    paras = list(art.paras)
    kicker = subtitle = ""
    title = art.title + (art.suffix if rng.random() < fam.suffix else "")
    top: list[str] = []
    if fam.web in ("cyol", "merged"):
        return _saved_article(art, fam, rng, title)
    if fam.web == "rmrb":
        if rng.random() < fam.kicker:
            kicker = rng.choice(words_of(fam.name).kickers)
        if art.sub and rng.random() < fam.sub_dash:
            subtitle = "——" + art.sub
        elif art.sub and rng.random() < fam.sub_plain:
            subtitle = art.sub
        elif art.sub:
            paras.insert(0, art.sub)
        heads = [kicker, title, subtitle]  # h3 / h1 / h2, each a line even when empty
        body = ["\u3000\u3000" + p for p in paras]
    else:
        heads = [title]
        top = [art.byline] if art.byline else []
        body = ([art.sub] if art.sub else []) + paras
    reporters: list[str] | None = None
    if art.names and top:
        reporters = list(art.names)
    elif art.names and re.match(r"(?:据)?(?:本报|新华社).{0,30}[讯电][（(]记者", paras[0]):
        reporters = list(art.names)
    elif art.names and len(art.names) == 1 and paras[-1].endswith(f"（{art.names[0]}）"):
        reporters = list(art.names)
    closing = re.search(r"（([^（）]{2,24})）$", paras[-1])
    if reporters and closing and not re.search(r"电|讯|摄|完|续|图", closing.group(1)) and not any(
            n in closing.group(1) for n in reporters):
        reporters = None  # the article closes with another writer's credit: two names
    lines = [(h, "h") for h in heads] + [(t, "t") for t in top] + [(b, "b") for b in body]
    printed = [ln for ln, _ in lines if ln]
    truth = FamArticle(title=title, kicker=kicker, subtitle=subtitle, reporters=reporters,
                       lines=printed, first=(top + body)[0], id=art.id)
    return lines, truth


def _saved_article(art: Art, fam: Family, rng: random.Random,
                   title: str) -> tuple[list[tuple[str, int]], FamArticle]:
    """One article as a scraper of the Founder pc template saves it (``Family.web`` "cyol"
    or "merged"); the page's own header lines are added by ``make_family_page``."""
    paras = ([art.sub] if art.sub else []) + list(art.paras)
    byline = art.byline
    reporters: list[str] | None = None
    if fam.web == "cyol":
        body = [p for p in paras if len(p) > 20]  # the scraper keeps blocks over 20 characters
        if not body:
            body = paras[-1:]
        top: list[str] = []
        if byline:
            top = ["作者：" + byline]
            reporters = list(art.names) or None
        else:
            lead = next((p for p in paras if re.search(r"记者|通讯员|来源", p)), "")
            if lead:
                top = ["作者：" + lead]  # the first string naming a 记者: printed twice
        heads = ["标题：" + title]
    else:
        body = paras
        top = [byline] if byline else []
        reporters = list(art.names) if byline and art.names else None
        heads = [f"【{title}】"]
    if reporters is None and art.names and re.match(
            r"(?:据)?(?:本报|新华社).{0,30}[讯电][（(]记者", body[0]):
        reporters = list(art.names)
    elif reporters is None and art.names and len(art.names) == 1 and body[-1].endswith(
            f"（{art.names[0]}）"):
        reporters = list(art.names)
    closing = re.search(r"（([^（）]{2,24})）$", body[-1])
    if reporters and closing and not re.search(r"电|讯|摄|完|续|图", closing.group(1)) and not any(
            n in closing.group(1) for n in reporters):
        reporters = None  # the article closes with another writer's credit: two names
    lines = [(h, "h") for h in heads] + [(t, "t") for t in top] + [(b, "b") for b in body]
    printed = [title] + [ln for ln, _ in lines[1:]]  # the title's 标题： / 【】 is the scraper's
    truth = FamArticle(title=title, kicker="", subtitle="", reporters=reporters,
                       lines=printed, first=(top + body)[0] if fam.web == "merged" else body[0],
                       id=art.id, heads=1)
    return lines, truth


def _saved_page(fam: Family, chosen: list, rng: random.Random, number: int, d: int,
                ) -> FamPage:
    """A 版面 of ``Family.web`` "cyol" / "merged" articles, joined as their scrapers save
    them; the 版面 is in the cyol headers and in the merged file's name."""
    names = ["要闻", "综合新闻", "经济", "文化", "社会", "青年话题", "冰点周刊"]
    section = rng.choice(names)
    nn = f"{number:02d}"
    out: list[str] = []
    truth: list[FamArticle] = []
    for art in chosen:
        lines, t = _web_article(art, fam, rng)
        truth.append(t)
        if fam.web == "cyol":
            if out:
                out.append("")
            out += [f"标题：{t.title}", f"日期：202501{d:02d}", f"版面：{nn} - {section}",
                    f"链接：https://zqb.cyol.com/pc/content/202501/{d:02d}/content_"
                    f"{rng.randint(100000, 999999)}.html", "-" * 50, ""]
            body = [ln for ln, kind in lines if kind != "b"]
            body += ["\n\n".join(ln for ln, kind in lines if kind == "b")]
            out += "\n".join(body).split("\n")
        else:
            out += [lines[0][0], ""] + [ln for ln, _ in lines[1:]] + ["", "=" * 60, ""]
    filename = (f"{nn}_{section}.txt" if fam.web == "cyol" else f"node_{nn}.txt")
    return FamPage("\n".join(out) + "\n", fam.name, str(number), filename, truth, [])


def _wrap(line: str, width: int) -> list[str]:
    """A line as a PDF's text extraction gives it: broken every ``width`` characters, no
    mark where it goes on; closing punctuation never opens a line (the typesetter hangs it
    at the end of the line above, as Chinese typesetting does)."""
    out: list[str] = []
    k = 0
    while k < len(line):
        end = k + width
        while end < len(line) and line[end] in "，。、；：！？）”》」』…—":
            end += 1
        out.append(line[k:end])
        k = end
    return out or [line]


_CLOSING = {  # the writers credited at the end (陕西工人报's （范国俊）, 劳动午报's □单位 姓名)
    "corr": "（通讯员 {n}）", "corr2": "（通讯员 {n} {m}）", "alone": "（{n}）",
    "unit": "（{u} {n}）", "box": "□{u} {n}",
}


def _closing(fam: Family, art: Art, rng: random.Random,
             words: Words) -> tuple[str, list[str]]:
    """A closing credit in one of the family's forms and the names it prints."""
    forms = dict(fam.closing)
    form = rng.choices(list(forms), list(forms.values()))[0]
    names = [n for n in art.names if len(n) == 3] or [rng.choice(_pool_names())]
    if form == "corr2" and len(names) < 2:
        other = rng.choice(_pool_names())
        names = names + ([other] if other != names[0] else [])
    names = names[:2] if form == "corr2" else names[:1]
    m = names[1] if len(names) > 1 else ""
    text = _CLOSING["corr" if form == "corr2" and not m else form]
    return text.format(n=names[0], m=m, u=rng.choice(words.units)), names


def _picture_item(art: Art, rng: random.Random) -> tuple[list[tuple[str, int]], FamArticle] | None:
    """One item of a 图片新闻 run: a title, a caption of a sentence or two, a photo credit."""
    m = re.match(r"[^。！？]{20,110}[。！？](?:[^。！？]{10,60}[。！？])?", art.paras[0])
    if not m or art.kind != "news" and rng.random() < 0.5:
        return None
    credit = rng.choice(["{n} 摄", "（通讯员 {n} 摄）", "本报记者 {n} 摄", "（{n} 摄）"])
    credit = credit.format(n=rng.choice(_pool_names()))
    lines = [(art.title, "h"), (m.group(0), "b"), (credit, "e")]
    return lines, FamArticle(title=art.title, kicker="", subtitle="", reporters=None,
                             lines=[ln for ln, _ in lines], first=m.group(0), id=art.id)


CHROME = ["本版编辑：{a}　美编：{b}　校对：{c}", "联系电话：０２９－８７３３{d}",
          "主办：{city}市总工会　承办：{city}市{unit}", "本版投稿邮箱：zgzb{e}@163.com",
          "版式设计：{b}"]
CITIES = ["宝鸡", "咸阳", "株洲", "鞍山", "洛阳", "柳州"]


def make_family_page(family: str, seed: int, n: int = 6) -> FamPage:
    """A page of ``n`` corpus articles printed the way ``family`` prints (deterministic)."""
    fam = FAMILIES[family]
    rng = random.Random(f"fam-{family}-{seed}")
    pool = [a for a in articles() if a.kind in fam.kinds]
    chosen = rng.sample(pool, fam.items if fam.items != 6 else n)
    number = rng.randint(1, 16)
    d = rng.randint(1, 28)
    header = rng.choice(HEADERS).format(
        paper=rng.choice(PAPERS), d=str(d).translate(FW), dd=f"{d:02d}",
        w="一二三四五六日"[(d + 2) % 7], n=str(number).translate(FW), nn=f"{number:02d}",
        name=rng.choice(NAMES))
    filename = rng.choice(FILES).format(ymd=f"199801{d:02d}", nn=f"{number:02d}")
    out: list[str] = header.split("\n")
    if fam.web in ("cyol", "merged"):
        return _saved_page(fam, chosen, rng, number, d)
    if fam.web:  # a scraper's file: no header, the 版面 in the name it saves the page under
        out = []
        filename = f"199801{d:02d}-" + (f"{number:02d}" if fam.web == "rmrb" else str(number))
        filename += ".txt"
    width = rng.randint(*fam.wrap) if fam.wrap[1] else 0
    chrome: list[str] = []
    if fam.chrome and rng.random() < fam.chrome:
        fill = {"a": rng.choice(_pool_names()), "b": rng.choice(_pool_names()),
                "c": rng.choice(_pool_names()), "d": str(rng.randint(1000, 9999)).translate(FW),
                "city": rng.choice(CITIES), "unit": rng.choice(words_of(family).units),
                "e": rng.randint(10, 99)}
        chrome = [c.format(**fill) for c in rng.sample(CHROME, rng.randint(2, 3))]
    top_chrome = bool(chrome) and rng.random() < 0.5
    if top_chrome:
        out.extend(chrome)
    items: list[tuple[list[tuple[str, int]], FamArticle]] = []
    if fam.picture_run and rng.random() < fam.picture_run:
        rest = [a for a in pool if a not in chosen]
        want = rng.randint(2, 3)
        for art in rng.sample(rest, 12):
            item = _picture_item(art, rng)
            if item:
                items.append(item)
            if len(items) == want:
                break
        if items:  # the run opens under a 图片新闻 label, the 引题 of its first item
            items[0][0].insert(0, ("图片新闻", "h"))
            items[0][1].lines.insert(0, "图片新闻")
            items[0][1].kicker = "图片新闻"
    truth = []
    for k, art in enumerate([*chosen, *items]):
        # articles are made in turn with their gaps (the older families' pages stay as
        # they were seed for seed); the 图片新闻 items were made above
        lines, t = (art if isinstance(art, tuple) else _web_article(art, fam, rng) if fam.web
                    else _article(art, fam, rng, width))
        truth.append(t)
        for j, (ln, _kind) in enumerate(lines):
            gap = rng.randint(*fam.gap_art) if j == 0 else fam.gap_para
            if j == 0 and k == 0 and not fam.web:
                gap = max(1, gap)
            out.extend([""] * gap)
            out.append(ln)
    if chrome and not top_chrome:
        out.append("")
        out.extend(chrome)
    return FamPage("\n".join(out) + "\n", family, str(number), filename, truth, chrome)


if __name__ == "__main__":  # pragma: no cover - a look at one page
    import sys

    pg = make_family_page(sys.argv[1] if len(sys.argv) > 1 else "ldwb",
                          int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    print(pg.text)
    for t in pg.articles:
        print("#", t.kicker, "|", t.title, "|", t.subtitle, "|", t.reporters)
