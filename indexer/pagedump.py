"""Split a newspaper page dump (.txt) into articles (stdlib, plus jieba's dictionary for one cue).

A page dump is the text of one printed page, one line per column segment: headline lines
(kicker 引题, title, subtitle 副题), then the body, whose paragraphs are cut wherever a
column ended.  Nothing marks where an article starts, so the splitter combines cues:

* a body line that stops mid-sentence is *always* continued by the next line, and a line
  starting with closing punctuation (， 。 ） 的 …) always continues the previous one;
* a headline candidate is a short line (≤ 40 chars) with no ， 。 ； and balanced 《》“”（）;
  two or more candidates in a row are a headline block (column fragments come singly);
* a single candidate is a headline when followed by a dateline/byline or preceded by an
  article end (photo credit, caption, trailing ``（张三）``) or by extra blank lines, and
  otherwise a paragraph opening cut at the bottom of a column when the page vouches for
  it (the word across the break occurs elsewhere, it is 1–3 characters long, it contains
  、, or it starts like a sentence: 据/在/记者 …).

Photo captions (``图为…``) and credits (``邱勇 摄``) stay at the end of their article.

Pages laid out by other papers add evidence the page itself carries:

* its rhythm: when most lines follow the same number of blank lines and a few follow more,
  the wider gap separates articles, so a headline-shaped line after it starts one (and is
  never joined to the line above); pages with equal gaps give no such evidence;
* author lines without 记者 under a title end the headline block: a name alone, names run
  together (split on common surnames), a unit, place or post with the name
  (``江苏洪泽县石守权``), ``■本报记者 张三``, ``本报评论员``;
* lines that close an article: a credit in parentheses (``（某县委宣传部张三）``,
  ``（新华社发）``, ``（张三摄）``), caption lists (``图片：`` ``图①…``), ``备注：`` lines;
* a headline block is split by typography (``（附图片１张）`` ``（外一首）`` mark the title, a
  sentence under it is a subtitle, a short or spaced line above it a kicker) and, for two
  plain lines, by which one shares the story's words; numbered section headings, date
  lines and quoted speech are never titles.

Whether a short line alone between paragraphs starts an article (where the page's gaps say
nothing) is weighed by a learned score (``indexer/linescore.py``) that overrules the
hand-set evidence only where it is sure.

Each article says why it starts where it does, how its headline block was read, and why a
short line in it was kept as text (``PageArticle.why``), which ``unionsearch index
--dry-run`` prints.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from . import headscore, lexicon, linescore
from .byline import (
    _SURNAMES,
    _place,
    _word,
    author_line,
    closing_credit,
    dateline_end,
    is_name,
    parse_byline,
    photo_credit,
    unit_name,
)
from .repair import ends_mid_sentence, is_han, join_cut, starts_as_continuation, unbalanced
from .savedpage import Record, saved_records

__all__ = ["PageArticle", "closing_writers", "page_date", "page_label", "parse_page", "writers"]

_WS = " \t\u3000\u00a0\ufeff"
_HAN = "\u4e00-\u9fff"
_MAX_HEAD = 40

# Unit kinds.
CAND = "cand"  # headline candidate (undecided)
WEAK = "weak"  # headline-shaped but with ，/、: a headline only right before a dateline/byline
HEADLINE = "head"  # decided headline line
BODY = "body"
DATELINE = "dateline"  # body paragraph opening with 本报讯… / 新华社…电
CAPTION = "caption"  # 图为…
PHOTO = "photo"  # 邱勇 摄
BYLINE = "byline"  # 本报记者 张三 (a line of its own)
SUBHEAD = "subhead"  # 小标题 / 一、… / 问：… inside an article: text on a line of its own
CREDIT = "credit"  # □单位 张三 after an article's text: the writer, credited at its end

_BODYISH = {BODY, DATELINE, CAPTION, SUBHEAD}
# An editor's note signed off (……。———编者): the paragraph is complete.
_SIGNED = re.compile(r"—\s*(?:编者|编辑部|本报编辑部|本刊编辑部|作者|译者)$")
_MAX_SIGN = 10
_MARKS = "■□●◎◆◇▲△★☆▌▍"
_ROLE_ALONE = re.compile(r"^[■●]?(?:本报|新华社|人民日报)?(?:驻[^\s]{1,8})?(?:特约|见习)?记者$")
# A line in parentheses that opens a document under its title: a law's （…通过）, a speech's
# date.  Like a dateline it says the line above is a headline.
_DOC_LINE = re.compile(r"^[（(][^（）()]{0,60}(?:通过|批准|公布|发布|讲话|报告|修正|修订)[）)]$"
                       r"|^[（(][^（）()]{0,8}(?:年[^（）()]{1,6}月[^（）()]{1,6}日)[）)]$")
# In-article section marks: numbered sections, Q&A, editor's notes, column names, 之一.
_SECTION_RE = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十]{1,3}[、．.）)]|[（(][0-9０-９]{1,2}[）)]|[0-9０-９]{1,2}[、．.]"
    r"|第[一二三四五六七八九十0-9０-９]{1,3}[部章节篇讲]|[问答][：:]|(?:编者|编后|记者|作者)按|编后"
    r"|【[^】]{1,12}】|.{1,20}之[一二三四五六七八九十]$|[上中下]篇)"
)
# A numbered section heading inside an article (一、 （二） 3． 第五条), never an article's title.
_NUMBERED = re.compile(r"^(?:[（(]?[一二三四五六七八九十]{1,3}[、．.）)]|[（(][0-9０-９]{1,2}[）)]"
                       r"|[0-9０-９]{1,2}[、．.]|第[一二三四五六七八九十0-9０-９]{1,3}[部章节篇条])")
_DATE_ONLY = re.compile(r"[0-9０-９〇一二三四五六七八九十零○]{2,4}年[^年]{1,3}月(?:[^月]{1,3}日)?")
# A later item of a numbered list (２、 （三） 第五条): it continues a list, never opens an article.
_LATER_ITEM = re.compile(r"^(?:[（(]?[二三四五六七八九十]{1,3}[、．.）)]|[（(]?[2-9２-９][、．.）)]"
                         r"|[（(]?[1-9１-９][0-9０-９][、．.）)]|第[二三四五六七八九十]{1,3}[章节条])")
# A department signing off an article on a line of its own (文艺部, 本报编辑部).
_SIGNATURE = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:编辑部|部|社|办公室|委员会)$")
_CAPTION_RE = re.compile(
    r"^(?:图为|上图|下图|左图|右图|中图|图[①②③④⑤⑥⑦⑧⑨⑩1-9１-９][：:　 ]|题图|压题|图片[：:])"
)
_OPENERS = (
    "据", "在", "为", "近日", "日前", "今年", "去年", "目前", "同时", "此外", "记者", "他", "她",
    "我们", "这", "该", "随着", "截至", "会上", "会议", "活动", "当天", "今天", "昨天", "此次",
    "本次", "通过", "由于", "从", "对", "作为", "其中", "而", "但", "如今", "然而", "因此",
    "所以", "另外", "与此", "按照", "根据", "经过", "针对", "围绕", "自", "由",
)

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS.update({"零": 0, "○": 0, "０": 0})
_FW = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")
_DATE_RES = [
    re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
    re.compile(r"([〇一二三四五六七八九零○]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"),
]


@dataclass
class PageArticle:
    """One article found on a page."""

    title: str
    subtitle: str = ""
    body: str = ""
    reporters: list[str] = field(default_factory=list)
    kicker: str = ""  # 引题: the headline line above the title
    joins: list[str] = field(default_factory=list)  # "有 / 限公司 → 有限公司": column-break joins
    # Why the splitter decided as it did (where the article starts, how its headline block
    # was read), for ``--dry-run``: an editor sees what went wrong on a new source.
    why: list[str] = field(default_factory=list)


@dataclass
class _Unit:
    text: str
    kind: str
    blanks: int  # blank lines before its first line
    names: list[str] = field(default_factory=list)  # for BYLINE units
    joins: list[str] = field(default_factory=list)  # column-break joins made into this unit
    why: str = ""  # why a HEADLINE / BYLINE was decided
    note: str = ""  # what pass 1 read from the page about this line (kept for --dry-run)


# ---------------------------------------------------------------------------- dates


def _cn_number(s: str) -> int:
    if all(c in _CN_DIGITS for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGITS[s[1]]
    if s.endswith("十"):
        return _CN_DIGITS[s[0]] * 10
    return _CN_DIGITS[s[0]] * 10 + _CN_DIGITS[s[2]]


def _find_date(line: str) -> str | None:
    s = line.translate(_FW)
    for i, rx in enumerate(_DATE_RES):
        m = rx.search(s)
        if not m:
            continue
        try:
            if i == 2:
                y, mo, d = (_cn_number(g) for g in m.groups())
            else:
                y, mo, d = (int(g) for g in m.groups())
        except (KeyError, IndexError, ValueError):
            continue
        if 1900 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _is_date_line(line: str) -> bool:
    """A header-like line carrying a date: short, no sentence punctuation, not bracketed."""
    s = line.strip(_WS)
    if not s or len(s) > 60 or s[0] in "（(" or re.search(r"[。，,；！？]", s):
        return False
    return _find_date(s) is not None


def page_date(text: str) -> str | None:
    """The issue date printed in the page header (``２０２２年９月３０日 星期五``), as ISO.

    Only the first few non-blank lines are considered (a date inside an article sentence is
    not the issue date); a line with 星期 or 版 wins over a bare date line.
    """
    lines = [ln.strip(_WS) for ln in text.splitlines() if ln.strip(_WS)][:8]
    dated = [ln for ln in lines if _is_date_line(ln)]
    for ln in dated:
        if "星期" in ln or "周" in ln or "版" in ln:
            return _find_date(ln)
    return _find_date(dated[0]) if dated else None


def page_masthead(text: str) -> str:
    """The paper's name printed in the page header (``劳动午报  2022年9月30日  第3版``): a
    paper's name beside the issue date or 版 on one of the first lines; "" when none.

    A name on a line of its own is not taken: a headline may end in 报 (情况通报)."""
    from .papers import printed_name

    lines = [ln.strip(_WS) for ln in text.splitlines() if ln.strip(_WS)][:8]
    for ln in lines:
        if not (_is_date_line(ln) or _PAGE_LINE.match(ln.split()[-1] if ln.split() else "")):
            continue
        for part in re.split(r"[\s\u3000]+", ln)[:3]:
            name = printed_name(part)
            if name:
                return name
    return ""


_PAGE_LINE = re.compile(
    r"^(?:第\s*)?([A-Za-z]?[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})\s*版"
    r"(?:\s*[：:·・\s]\s*(.{0,20}))?$")


def page_label(text: str) -> tuple[str, str] | None:
    """The 版面 printed in the page header: (number, page name), e.g. ("3", "综合新闻").

    Only the first few non-blank lines count: 第3版 inside an article (（下转第二版）) is not
    this page's number.
    """
    from .records import page_number

    lines = [ln.strip(_WS) for ln in text.splitlines() if ln.strip(_WS)][:8]
    for ln in lines:
        parts = [ln] if _PAGE_LINE.match(ln) else (
            re.split(r"[\s\u3000]{2,}|　", ln) + re.split(r"\s+", ln))  # 人民日报 1998-01-12 第06版
        for part in parts:
            m = _PAGE_LINE.match(part.strip(_WS))
            if not m:
                continue
            raw = m[1]
            if raw[0] in "一二三四五六七八九十":
                try:
                    raw = str(_cn_number(raw))
                except (KeyError, IndexError):
                    continue
            number = page_number(raw)
            if number:
                return number, (m[2] or "").strip(_WS)
    return None


# ---------------------------------------------------------------------------- lines


def _is_furniture(line: str, position: int) -> bool:
    """Page header/footer lines (issue date, 第3版, 责任编辑): not part of any article."""
    s = line.strip(_WS)
    if len(s) <= 30 and re.match(r"^第?\s*[0-9０-９一二三四五六七八九十]{1,3}\s*版(?:[\s：:]|$)",
                                 s):
        return True
    if re.match(r"^(?:本版)?(?:责任编辑|责编|美术编辑|版式设计|版式|校对|本版编辑|编辑)\s*[:：\s]",
                s):
        return len(s) <= 40 and "。" not in s
    if (_is_date_line(s) and ("星期" in s or "版" in s or position < 3) and len(s) <= 40
            and not re.search(r"记者|报道|[《“]", s)):
        return True  # not 记者某某报道：记录…１９９７年７月１日《人民日报》丝绸版 (a cut paragraph)
    return False


# Page chrome a 专版 prints at its top or foot: who to call or write to, who runs the page.
_CHROME = re.compile(r"^(?:本版|本刊)?(?:投稿|新闻|读者)?(?:联系电话|热线电话|热线|电话|传真"
                     r"|投稿邮箱|电子邮箱|邮箱|E-?mail|主办|协办|承办|支持单位|地址|邮编|邮政编码|网址)"
                     r"\s*[:：]", re.IGNORECASE)


# Chrome no article prints: who runs the page, where to send to it.
_PAGE_ONLY = re.compile(r"^(?:本版|本刊|主办|协办|承办|支持单位|投稿)")


def _chrome_line(s: str) -> bool:
    """A line of page chrome (联系电话：… 主办：… 投稿邮箱：…), wherever on the page."""
    return len(s) <= 60 and "。" not in s and bool(_CHROME.match(s))


def _blank_runs(text: str, dropped: list[str] | None = None) -> list[tuple[str, int]]:
    """The page's text lines with the number of blank lines before each, header, furniture
    (第3版, 本版编辑：…) and chrome left out (into ``dropped`` when given).

    Chrome lines (联系电话：… 主办：…) are left out where the page prints them: above its first
    line of text, or under its last apart from it (a blank line between, or a line no
    article prints: 主办：… 本版投稿邮箱：…); between articles, or right under a story's
    last paragraph, the same words (a notice's 地址：…, 电话：…) are its text and stay."""
    entries: list[tuple[str, int, bool]] = []
    blanks = 0
    position = 0
    apart: set[int] = set()  # entries after a blank line or a furniture line
    after_furniture = False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        s = raw.strip(_WS)
        if not s:
            blanks += 1
            continue
        furniture = _is_furniture(s, position)
        if furniture and dropped is not None:
            dropped.append(s)
        if not furniture:
            if blanks or after_furniture:
                apart.add(len(entries))
            entries.append((s, blanks, _chrome_line(s)))
        after_furniture = furniture
        position += 1
        blanks = 0
    text_at = [k for k, (_s, _b, chrome) in enumerate(entries) if not chrome]
    lo, hi = (text_at[0], text_at[-1]) if text_at else (len(entries), -1)
    foot = entries[hi + 1:]
    if foot and not (hi + 1 in apart or any(_PAGE_ONLY.match(s) for s, _b, _c in foot)):
        hi = len(entries)  # 地址：… right under the last paragraph: that article's text
    out: list[tuple[str, int]] = []
    for k, (s, b, chrome) in enumerate(entries):
        if chrome and not lo <= k <= hi:
            if dropped is not None:
                dropped.append(s)
            continue
        out.append((s, b))
    return out


_LEAD_IN = re.compile(rf"^([^{_WS}]{{4,40}})[{_WS}]+(\S.*)$")


def _lead_ins(lines: list[tuple[str, int]]) -> tuple[list[tuple[str, int]], set[str]]:
    """Lines that run a headline into its dateline, split in two; and those headlines.

    Briefs columns (要闻简报, 快讯) print each item's title as a lead-in to its first
    paragraph, and a page's text keeps it on that line (``李鹏会见德国客人　本报讯（记者
    …）…``): a headline-shaped piece, a space, then a dateline is a title and its story.
    The story's line gets the page's commonest gap, as a paragraph's.
    """
    gaps = Counter(b for _s, b in lines[1:])
    para = gaps.most_common(1)[0][0] if gaps else 0
    out: list[tuple[str, int]] = []
    found: set[str] = set()
    for s, blanks in lines:
        m = _LEAD_IN.match(s)
        if (m and dateline_end(m.group(2)) and not dateline_end(m.group(1))
                and _headline_shaped(m.group(1)) == CAND and not author_line(m.group(1))):
            out += [(m.group(1), blanks), (m.group(2), para)]
            found.add(m.group(1))
        else:
            out.append((s, blanks))
    return out, found


def wrap_width(lines: list[tuple[str, int]]) -> int | None:
    """The width a page's lines were hard-wrapped at, when its text was broken at one.

    A PDF's text extraction breaks every line where the printed column ends: most lines are
    then of one length (a closing mark may hang one or two past it) and hardly any is longer;
    a paragraph's or a headline's last line is shorter.  That width is the page's own
    evidence: a line that fills it goes on in the next line.  Pages whose lines are whole
    paragraphs (their lengths spread) have none."""
    lengths = [len(s) for s, _b in lines]
    if len(lengths) < 12:
        return None
    common = Counter(n for n in lengths if n >= 8)
    if not common:
        return None
    width = common.most_common(1)[0][0]
    full = sum(width <= n <= width + 2 for n in lengths)
    longer = sum(n > width + 2 for n in lengths)
    if full < 0.5 * len(lengths) or longer > 0.03 * len(lengths) + 1 or width > 60:
        return None
    return width


def _opens(s: str) -> bool:
    """Whether a line opens a dateline or a byline (本报讯…, 据新华社…电, □本报记者 张三)."""
    bare = s.lstrip(_MARKS).strip(_WS) or s
    return bool(dateline_end(bare)) or bool((by := parse_byline(bare)) and by.start == 0)


def _head_over_story(lines: list[tuple[str, int]], k: int, width: int) -> bool:
    """Whether ``lines[k]`` opens a headline of one or two lines, no sentence mark in it,
    with a dateline or byline right under it: after a finished sentence it is a new
    article's title however long (土耳其驱逐…合作防止 / 非法移民 / 据新华社…电)."""
    for n in (1, 2):
        head = lines[k:k + n]
        if len(head) < n or k + n >= len(lines) or any(b for _s, b in head[1:]):
            return False
        if any(re.search(r"[，,。；;：:]", h) for h, _b in head) or (
                n == 2 and len(head[1][0]) >= width):
            return False
        if _opens(lines[k + n][0]):
            return True
    return False


def _unwrap(lines: list[tuple[str, int]], width: int) -> list[tuple[str, int]]:
    """Lines hard-wrapped at ``width`` joined back into the paragraphs (and headlines) they
    were broken from: a line that fills the width goes on in the next line, unless a blank
    line stands between, the next line opens a dateline or a byline, or the full line ends
    its sentence and the next starts a headline: a short line ending in no mark (the last
    piece of a paragraph ends in its closing mark), or one or two lines with no sentence
    mark over a dateline or byline."""
    out: list[tuple[str, int]] = []
    going_on = False
    for k, (s, blanks) in enumerate(lines):
        ended = bool(out) and out[-1][0].rstrip("”’」』")[-1:] in ("。", "！", "？", "!", "?")
        done = ended and (len(s) < width and s[-1] not in "。！？!?”’）)…：:；;，,、"
                          or _head_over_story(lines, k, width))  # …在座。 / 企业改制要守法
        if going_on and not blanks and out and not _opens(s) and not done:
            out[-1] = (out[-1][0] + s, out[-1][1])
        else:
            out.append((s, blanks))
        # a headline ending in its suffix (（附图片１张）) ends there, however long
        going_on = len(s) >= width and not _TITLE_SUFFIX.search(out[-1][0])
    return out


_EDITOR_NOTE = re.compile(r"^(?:编者按|编者的话|编后|按语|编者附记)\s*[：:]")


def _headline_shaped(s: str) -> str | None:
    """CAND, WEAK or None for a line that could (not) be a headline line."""
    if s[0] in "（(" and s[-1] in "）)":
        return None  # （新华社发） （上接第一版）: notes and credits, never headlines
    if _credit_tail(s):
        return None  # 谢谢！（新华社…电） 归航（油画）（张敏杰）: an article's last line
    if len(s) > _MAX_HEAD + 24:
        return None
    if unbalanced(s) or s[-1] in "。，,；;、：:":
        return None
    if "。" in s or "；" in s:
        return None
    if _SIGNED.search(s) and len(s) <= _MAX_SIGN:
        return None  # ———编者: an editor's note signed off
    if _EDITOR_NOTE.match(s):
        return None  # 编者按：…: an editor's note opens a body, it heads nothing
    if _chrome_line(s):
        return None  # 地址：… 电话：… under a notice: its text, never a headline line
    if s.startswith("—") and len(s) <= _MAX_HEAD + 4 and len(re.findall(r"[，,]", s)) <= 1:
        return CAND  # ——subtitle (not a ———list item of running text)
    if _DATE_ONLY.fullmatch(s):
        return None  # １９９８年１月７日 under a signature: the end of a document
    if _LATER_ITEM.match(s):
        return None  # ２、１月４日，美国…: a later item of a list
    if len(s) > 16 and re.search(r"[说道问称表示][：:]“", s):
        return None  # 有群众说：“…！”: a quoted sentence ends a paragraph
    bare = re.sub(r"“[^”]*”|《[^》]*》", "“”", s)  # punctuation inside quotes is a name's
    if re.search(r"[，,、]", bare) and (len(s) > 30 or re.search(r"[！？!?]", bare[:-1])):
        return None
    if re.search(r"[，,、]", bare) or len(s) > _MAX_HEAD:
        return WEAK  # long or comma'd: a headline only right above a dateline/byline
    return CAND


def _classify(s: str) -> tuple[str, list[str]]:
    if dateline_end(s):
        return DATELINE, []
    credit = photo_credit(s)
    if credit and len(s) <= 30:
        return PHOTO, credit
    if _CAPTION_RE.match(s):
        return CAPTION, []
    bare = s.lstrip(_MARKS).strip(_WS) or s  # ■本报记者 张三
    by = parse_byline(bare)
    if by and by.start == 0 and by.end >= len(bare.rstrip(_WS)) and not s.startswith(("（", "(")):
        return BYLINE, by.reporters
    if _DOC_LINE.match(s):
        return DATELINE, []  # （…会议通过） （１９９７年１２月３１日）: opens a document's text
    shaped = _headline_shaped(s)
    if shaped:
        return shaped, []
    return BODY, []


def rhythm(lines: list[tuple[str, int]]) -> int | None:
    """The page's gap between paragraphs, when it separates articles by a wider one.

    The commonest number of blank lines before a line is the paragraph gap; the page has a
    rhythm when some lines (but not too many: at most two in five) follow a wider gap.  On
    a page with equal gaps everywhere (or none) this is None and nothing is read from gaps.
    """
    gaps = [b for _s, b in lines[1:]]
    if len(gaps) < 4:
        return None
    para = Counter(gaps).most_common(1)[0][0]
    wide = sum(g > para for g in gaps)
    return para if 1 <= wide <= 0.4 * len(gaps) else None


def _wide(u: _Unit, para: int | None) -> bool:
    """Whether a wider gap than the page's paragraph gap stands before ``u``."""
    return para is not None and u.blanks > para


def _indented(text: str) -> set[str]:
    """The lines a page indents (　　 or spaces before them), when it indents its paragraphs.

    A page that opens each paragraph with an indent (most text printed from PDFs and many
    city papers) sets its headlines flush; so on such a page an indented line is a
    paragraph's first line, never a headline, however short (　　华北塞外 / 坝上突然…).  A
    page indents when at least three lines and a fifth of its lines are indented."""
    raw = [ln for ln in text.replace("\r", "\n").split("\n") if ln.strip(_WS)]
    got = {ln.strip(_WS) for ln in raw if re.match(r"(?:\u3000|  )", ln)}
    return got if len(got) >= 3 and len(got) * 5 >= len(raw) else set()


def _units(lines: list[tuple[str, int]], context: str, para: int | None = None,
           indented: set[str] | frozenset[str] = frozenset()) -> list[_Unit]:
    """Pass 1: re-join lines cut mid-sentence; classify the rest.

    A headline-shaped line after a wider gap than the page puts between paragraphs is never
    joined to the line above (the page says an article ends there); on a page that indents
    its paragraphs an indented line is text (``_indented``).
    """
    units: list[_Unit] = []
    bare_items = _unpunctuated_items(lines)
    for k, (s, blanks) in enumerate(lines):
        kind, names = _classify(s)
        if kind in (CAND, WEAK) and s in indented:
            kind = BODY
        last = units[-1] if units else None
        if para is not None and blanks > para and kind in (CAND, WEAK):
            units.append(_Unit(s, kind, blanks, names))
            continue
        if kind in (CAND, WEAK) and (found := _closing_credit_line(
                s, last, lines[k + 1][0] if k + 1 < len(lines) else None)):
            units.append(_Unit(s, CREDIT, blanks, found[0], why=found[1]))
            continue
        if last is not None and _ROLE_ALONE.match(last.text) and (found := author_line(s)):
            _join(last, s, context)  # 本报记者 / 王政: a byline cut by a column
            last.kind, last.names = BYLINE, found[0]
            continue
        if (kind in (CAND, WEAK) and len(units) >= 2 and units[-2].kind in (CAND, WEAK)
                and author_line(s)):
            units.append(_Unit(s, kind, blanks, names))  # 许宏治 under a title and its 导语
            continue
        if last is not None and last.kind in (CAND, WEAK) and dateline_end(last.text + s) > len(
                last.text):
            last.text, last.kind = last.text + s, DATELINE  # 据 / 新华社…电: a cut dateline
            continue
        if last is not None and kind not in (DATELINE, PHOTO, BYLINE, CREDIT):
            # (文艺部（王言彬） / 工会干部谈心得: a signed-off credit ends the text above it)
            glue = last.kind in _BODYISH and ends_mid_sentence(last.text) and not _SIGNED.search(
                last.text) and not (_SIGNATURE.match(last.text.split("（")[0])
                                    and _credit_tail(last.text))
            if (glue and bare_items and last.text[0] in _ITEM_MARKS and kind in (CAND, WEAK)
                    and s[0] not in _ITEM_MARKS and not re.search(r"[，、：:,；;—]$", last.text)
                    and not _word_across(last.text, s)):
                # ●…掌握管理方法 / 科教兴国在行动: the page ends its ● items with no stop, so
                # this one is finished and the headline-shaped line under it is no part of it
                glue = False
                units.append(_Unit(s, kind, blanks, names, note=(
                    f"{s}: under a ● item the page ends with no stop ({bare_items} such "
                    "items), not its continuation")))
                continue
            if not glue and last.kind in (CAND, WEAK, *_BODYISH):
                # (李济国 张雅心 / 地处潮汕…: spaced names are an author line, never cut text)
                spaced_names = (last.kind in (CAND, WEAK) and " " in last.text
                                and author_line(last.text) is not None)
                glue = (starts_as_continuation(s) and not _word_start(last, s, kind, context)
                        and not spaced_names)
            if glue:
                _join(last, s, context)
                last.kind = DATELINE if last.kind == DATELINE else (
                    CAPTION if last.kind == CAPTION else BODY)
                continue
        units.append(_Unit(s, kind, blanks, names))
    return units


_ITEM_MARKS = "●■◆▲★☆◇△○"


def _unpunctuated_items(lines: list[tuple[str, int]]) -> int:
    """How many of a page's marked list items (●…) end with no stop, when at least two do
    and they are at least half of its marked lines: the page prints its 内容提要 and
    bullet lists so, and such an item's end is no column cut (0 otherwise)."""
    items = [s for s, _b in lines if s and s[0] in _ITEM_MARKS and len(s) > 12]
    bare = sum(ends_mid_sentence(s) and not re.search(r"[，、：:,]$", s) for s in items)
    return bare if bare >= 2 and bare * 2 >= len(items) else 0


def _closing_credit_line(s: str, last: _Unit | None,
                         nxt: str | None = None) -> tuple[list[str], str] | None:
    """(names, why) of a line that credits the writer at the end of the article above it.

    Union papers close an item with its writer's unit and name on a line of its own behind a
    box (``□首发集团八达岭分公司 吕文静``): a marked line that only names a unit and a person,
    right after a paragraph (finished or cut short).  Under a headline the same line is an
    author line (the headline block reads it so); after the text it closes the story.
    Letters and commentaries are signed with no box (``——河南省洛阳市读者 张三``,
    ``湖北省武汉市江岸区 汪波``): a place or unit with a name, behind a dash or with the
    name set apart by a space, right after a finished paragraph (or a picture's caption)
    and not followed by another such line (a list of winners is text).
    """
    if not s or last is None or last.kind not in _BODYISH:
        return None
    if s[0] not in "□■":
        bare = s.lstrip("—－-").strip(_WS)
        if not bare or last.kind != CAPTION and last.text.rstrip(_WS)[-1:] not in "。！？!?”…）)":
            return None  # (a caption under the text may end with no stop)
        if bare == s and not re.search(rf"[{_HAN}][ \u3000]+[{_HAN}]{{2,3}}$", bare):
            return None  # no dash before it, no space setting the name apart: a headline
        found = author_line(bare)
        if not found or not found[0] or found[1] != "a unit or place with the author's name":
            return None
        follow = author_line(nxt.lstrip("—－-").strip(_WS)) if nxt and nxt.strip(_WS) else None
        if follow and follow[1] == found[1]:
            return None  # one of a list of units and names: text of the article
        return found[0], f"{s}: a signature after the text ({found[1]}): its writer"
    bare = s.lstrip(_MARKS).strip(_WS)
    if not bare or parse_byline(bare):
        return None  # □本报记者 张三: a byline, read as one
    found = author_line(bare)
    if not found or not found[0]:
        # □某某厂工会 张三: a unit no list knows, then a name set apart by a space
        m = re.fullmatch(rf"([{_HAN}]{{3,24}})[ \u3000]+([{_HAN}]{{2,3}})", bare)
        if not m or not is_name(m.group(2), need_surname=True) or (
                len(m.group(2)) == 2 and _word(m.group(2))):
            return None
        found = ([m.group(2)], "a unit, then the writer's name set apart")
    return found[0], f"{s}: a closing credit line after the text ({found[1]}): its writer"


# Characters that rarely start a clause but do start common words: 地震 过好 得到 着力 了解.
_AMBIGUOUS_START = set("地过得着了化性")


def _word_start(last: _Unit, s: str, kind: str, context: str) -> bool:
    """Whether a headline-shaped line opening with 地/过/着… starts a word, not a cut clause.

    (地震灾区写真 and 过好『廉政节』 are titles.)  After a complete paragraph it always does; after
    a short line only when the pair across the break (经|过) occurs nowhere else on the page.
    """
    if s[0] not in _AMBIGUOUS_START:
        return False
    if kind not in (CAND, WEAK):
        # 为西部鼓掌 / 地球，不曾平静过: the line opens with a word (地球), the break splits none
        from search.text.wordseg import is_word

        return last.kind in (CAND, WEAK) and is_word(s[:2]) and not is_word(last.text[-1] + s[0])
    if last.kind in _BODYISH:
        return True  # a paragraph ending mid-sentence was joined before this test
    return context.count(last.text[-1] + s[0]) == 0


def _join(u: _Unit, tail: str, context: str, tail_joins: list[str] | None = None) -> None:
    """Append ``tail`` to ``u`` across a column break, noting the join for ``--dry-run``."""
    head = u.text
    joined = join_cut(head, tail, context)
    a, b = head.rstrip(_WS)[-8:], tail.lstrip(_WS)[:8]
    dropped = len(head.rstrip(_WS)) + len(tail.lstrip(_WS)) - len(joined)
    u.joins.append(f"{a} / {b} → {a}{b[dropped:]}")
    u.joins.extend(tail_joins or [])
    u.text = joined


def _credit_tail(t: str) -> bool:
    """Whether a line ends with a closing credit: ``（张三）``, ``（新华社…电）``, ``（…摄）``."""
    t = t.rstrip(_WS)
    if not t.endswith(("）", ")")) or _TITLE_SUFFIX.search(t):
        return False  # （外一首） （农村新事）: a title's suffix, not a credit
    opener = max(t.rfind("（"), t.rfind("("))
    if parse_byline(t[opener:]) or unit_name(t[opener + 1:-1], vouched=True):
        return True
    return bool(re.search(r"[（(][^（(]{0,24}(?:电|讯|摄|发|供图|供稿)[）)]$"
                          r"|[（(][^（(]{2,24}(?:照片|图片)[）)]$", t))


_CLOSING_LINE = lexicon.LexRegex(lambda: rf"^(?:{lexicon.alternation('closing')})[：:]"
                                 r"|^图片[：:]?$|^[（(](?:完|全文完|待续|未完)[）)]$")


def _article_end(u: _Unit) -> bool:
    """Whether a unit typically closes an article: a photo credit, a caption (图为… 图①…),
    a closing credit in parentheses (（张三） （新华社发） （某县委宣传部张三）), a 备注 line."""
    if u.kind in (PHOTO, CAPTION, CREDIT):
        return True
    return u.kind in _BODYISH and (_credit_tail(u.text) or bool(_CLOSING_LINE.match(u.text))
                                   or bool(_SIGNATURE.match(u.text)))


# Characters that rarely end a headline but often end a column-bottom fragment.
_NON_FINAL = set("的在和与对把被是为从以已将及向于由有其这那个一各每该并而且或但就都也还"
                 "又再很更最所之着"
                 "给让使比同跟往朝当等即则年月日第")
# Characters that rarely open a paragraph (but continue a cut clause).
_NON_OPEN = set("是指等和及说也都就才又还并则即所被给亦之而于以已将称")
_SHORT_OPENERS = ("据悉", "同时", "目前", "此外", "近日", "日前", "另外", "然而", "因此", "其中",
                  "首先", "其次", "最后", "总之", "当然", "对此", "为此", "如今", "今年", "去年")


def _topic(t: str, before: str, after: str) -> int:
    """Topical evidence: a headline's words recur in the text after it, not before it.

    Counts the distinct Han bigrams of ``t`` found in the current article so far (``before``)
    and in the text that follows (``after``); returns +2 (same topic as before: a fragment),
    -2 (new topic: a headline) or 0.
    """
    grams = {t[k:k + 2] for k in range(len(t) - 1) if is_han(t[k]) and is_han(t[k + 1])}
    if not grams:
        return 0
    hp = sum(1 for g in grams if g in before)
    hn = sum(1 for g in grams if g in after)
    if hp == 0 and hn >= 1:
        return -2
    if hp >= 2 and hp >= hn:
        return 2
    if hp >= 1 and hp >= hn:
        return 1
    return 0


# Characters too common to show that two texts share a topic.
_COMMON = set("的了是在和有为一不这个我他们也就对中上人到以与及等年月日")


def _content_grams(t: str) -> set[str]:
    return {t[k:k + 2] for k in range(len(t) - 1)
            if is_han(t[k]) and is_han(t[k + 1]) and t[k] not in _COMMON
            and t[k + 1] not in _COMMON}


def _vocab_shift(c: str, before: str, after: str) -> int:
    """Evidence from the text around a lone short line that a new article starts there.

    A subhead's section goes on with its article's vocabulary; a new article's body shares
    almost none of it (a small share of its content bigrams against a larger one for a
    section: bench/RESULTS.md, "Figures moved out of docstrings").  A title repeated as the
    opening of the next paragraph is a headline.
    """
    if len(c) >= 6 and after.startswith(c) and len(after) > len(c):
        return -3
    a, b = _content_grams(after[:500]), _content_grams(before[-1500:])
    if not a:
        return 0
    shared = len(a & b) / len(a)
    return -2 if shared <= 0.02 else 1 if shared >= 0.12 else 0


def _word_across(t: str, n: str, known: bool = False) -> bool:
    """Whether jieba's dictionary reads a word across the break (元帅长 / 子刘 → 长子).

    A title ends where its words end, so a dictionary word spanning the end of a short line
    and the start of the next one says the line is a paragraph cut by a column.  ``known``:
    only a word the dictionary holds counts (not one the segmenter guessed, 歌泰).
    """
    a, b = t[-4:], n[:4]
    if not (a and b and is_han(a[-1]) and is_han(b[0])):
        return False
    from search.text.wordseg import is_word, tokenize  # the search side's segmenter, loaded once

    return any(start < len(a) < end and (not known or is_word(w))
               for w, start, end in tokenize(a + b))


def _fragment_score(c: _Unit, nxt: _Unit, context: str, typical: float) -> int:
    """Evidence that a lone headline-shaped line is a paragraph opening cut by a column.

    Positive: the break splits a word the page uses elsewhere, the line is 1–3 characters,
    ends with a function word or digit, starts like a sentence (据/在/记者…), the next line
    opens with a clause too short to start a paragraph (``出，``).  Negative: headline
    typography (spaces, ·, ：, ！？) and extra blank lines before it.
    """
    t, n = c.text, nxt.text
    score = 0
    if len(t) <= 3:
        score += 2
    if t.startswith("—"):
        score += 2  # a 副题 never stands alone
    if t[-1] in _NON_FINAL:
        score += 2
    if t[-1].isdigit() and n[0].isdigit():
        score += 3
    if n[0] in _NON_OPEN:
        score += 1
    clause = re.match(r"[^，。；：、,;:！？]*", n)
    if clause and len(clause.group(0)) <= 2 and len(n) > 2 and not n.startswith(_SHORT_OPENERS):
        score += 2
    if is_han(t[-1]) and is_han(n[0]):
        pair = t[-1] + n[0]
        hits = context.count(pair)
        if hits >= 3:
            score += 2
        elif hits >= 1:
            score += 1
        if len(n) >= 2 and is_han(n[1]) and context.count(pair + n[1]) >= 1:
            score += 1
        if len(t) >= 2 and is_han(t[-2]) and context.count(t[-2] + pair) >= 1:
            score += 1
    if _word_across(t, n):
        score += 2
    if t.startswith(_OPENERS):
        score += 1
    if re.match(r"[（(][一二三四五六七八九十\d０-９]{1,3}[）)]|[一二三四五六七八九十]{1,3}、"
                r"|[\d０-９]{1,2}[．.、]", t):
        score += 2  # （一） 一、 1. — an enumerated paragraph, not a headline
    if "、" in t:
        score += 1
    if re.search(rf"[{_WS}]|[{_HAN}]·[{_HAN}]", t) or t[-1] in "！？!?":
        score -= 2
    if re.search(r"[！？!?]", t[:-1]):
        score += 2  # a sentence ends inside the line: running text
    if c.blanks > typical and c.blanks >= 2:
        score -= 2
    return score


def _subhead_score(c: _Unit, art: list[_Unit], so_far: int) -> int:
    """Evidence that a lone short line between paragraphs is a subhead of the article above.

    A story cut in two costs far more than a subhead kept as text, so the evidence is
    weighed towards keeping: section marks (一、 问： 编者按 【栏目】), an article that already
    has subheads, a feature (no dateline) of some length so far, and more so one only a
    paragraph or two in (60–300 characters: too short to have ended).
    """
    t = c.text
    score = 0
    if _SECTION_RE.match(t):
        score += 3
    if any(u.kind == SUBHEAD for u in art):
        score += 2
    if not art:
        return score
    if art[0].kind != DATELINE:  # a news story (dateline) rarely has subheads: no bonus
        score += 2 if so_far >= 100 else 1
        if 60 <= so_far < 300:
            score += 1  # a feature a paragraph or two long has not ended yet
    if so_far >= 800:
        score += 1
    if re.fullmatch(r"(?:“[^”]{1,12}”[与和及还是不是]*){2}", t):
        score += 2  # “领导抓”与“抓领导”: a subhead's play on words
    return score


def _credit_after_subtitle(units: list[_Unit], run: list[int]) -> None:
    """A short line under a ——subtitle is the author or source (京青联), not more headline:
    the subtitle closes a headline block.  It stays a line of its own in the body."""
    for a, b in zip(run, run[1:], strict=False):
        if units[a].text.startswith("—") and units[b].kind == HEADLINE and len(units[b].text) <= 6:
            units[b].kind = SUBHEAD


_WEAK_AUTHOR = ("a unit or place with the author's name", "names run together",
                "a unit with two names run together")


def _tells_the_story(units: list[_Unit], j: int, found: tuple[list[str], str]) -> bool:
    """Whether a line read as unit + name (or glued names) shares the story's words: then it
    is the title (江泽民会见伊拉克议长哈马迪), since an author's unit rarely recurs in the story."""
    if found[1] not in _WEAK_AUTHOR:
        return False
    story = _content_grams("".join(u.text for u in units[j + 1:j + 4])[:300])
    return len(_content_grams(units[j].text) & story) >= 2


def _collect_run(units: list[_Unit], i: int, para: int | None = None) -> int:
    """End of the run of headline candidates (and byline lines) starting at ``i``.

    An author line under a title ends the block: what follows it is the body, however short
    its lines (verse), up to a wider gap than the page's paragraph gap.
    """
    j = i
    while j < len(units) and units[j].kind in (CAND, WEAK, BYLINE):
        subtitle_next = j + 1 < len(units) and units[j + 1].text.startswith("—")
        if j > i and units[j].kind in (CAND, WEAK) and not subtitle_next and (
                found := author_line(units[j].text)):
            units[j].kind, units[j].names = BYLINE, found[0]  # author line under a title
            units[j].why = f"author line under the headline ({found[1]})"
        if j > i and units[j].kind == BYLINE:
            j += 1
            while j < len(units) and units[j].kind in (CAND, WEAK) and not _wide(units[j], para):
                units[j].kind = BODY
                j += 1
            return j
        j += 1
    return j


def _lone_evidence(units: list[_Unit], i: int, j: int, last_head: int, so_far: int,
                   context: str, typical: float) -> tuple[int, int, int]:
    """(score, fragment score, subhead score) of the lone candidate ``units[i]``; < 0: headline."""
    c, nxt = units[i], units[j]
    art_units = [u for u in units[last_head + 1:i] if u.kind in _BODYISH]
    before = "".join(u.text for u in units[last_head + 1:i])[-1200:]
    after = "".join(u.text for u in units[j:j + 12])[:1200]
    frag = _fragment_score(c, nxt, context, typical)
    sub = _subhead_score(c, art_units, so_far)
    score = frag + _topic(c.text, before, after) + sub
    if frag <= 1:  # a column-bottom fragment says nothing about the topic
        section = []
        for u2 in units[j:j + 12]:  # the text under the line, up to an article end
            if u2.kind not in _BODYISH:
                break
            section.append(u2.text)
            if _article_end(u2):
                break
        score += _vocab_shift(c.text, before, "".join(section))
    elif after.startswith(c.text) and len(c.text) >= 6:
        score -= 3
    return score, frag, sub


def _names_only(t: str) -> bool:
    """Whether a line is nothing but people's names (何黄彪夏光辉, 李文云 刑金亮): a credit,
    which no headline is."""
    found = author_line(t)
    return found is not None and bool(found[0]) and found[1] in (
        "an author's name alone", "names run together")


def _judge_lone(units: list[_Unit], i: int, j: int, last_head: int, so_far: int,
                context: str, typical: float, para: int | None) -> None:
    """A single short line between paragraphs: headline, subhead, or text cut by a column."""
    c, prev, nxt = units[i], units[i - 1] if i > 0 else None, units[j]
    if prev is None:
        c.why = "first line of the page"
    elif _article_end(prev):
        c.why = f"after a line that closes an article ({prev.text[-16:]})"
    elif prev.kind == BYLINE:  # 本报记者 孙艳 above a title (not under one: see the run)
        c.why = "under an author line"
    elif nxt.kind not in _BODYISH:
        c.why = "above a headline or credit line"
    elif _wide(c, para):
        c.why = f"after {c.blanks} blank lines (paragraphs here are {para} apart)"
    elif m := _TITLE_SUFFIX.search(c.text):
        c.why = f"ends with {m.group(0)}, which only headlines carry"
    if not c.why:
        score, frag, sub = _lone_evidence(units, i, j, last_head, so_far, context, typical)
        feats = _lone_features(units, i, j, last_head, so_far, context, typical)
        if LONE_RECORD is not None:
            LONE_RECORD.append((c.text, feats, score < 0))
        w = linescore.weights()
        if w is not None:
            p = linescore.probability(feats, w)
            head = p >= w["threshold"] or score < 0 and p >= w["rule_floor"]
            said = f"scored {p:.2f} ({linescore.explain(feats, w)})"
        else:
            head = score < 0
            said = f"evidence {score}"
        if not head and frag < 2 and sub > 0:
            c.kind, c.why = SUBHEAD, f"{c.text[:16]}: a subhead of this article, {said}"
            return
        dash = c.text.startswith(("—", "－"))
        if not head or dash or _names_only(c.text):
            # text cut by a column, names (a photo's credit), or a line opening with a dash
            # (a list item ———…, a subtitle's run-on): never an article's first line
            c.kind = BODY
            c.why = f"{c.text[:16]}: text of this article, {said}" + (
                "" if not head else "; opens with a dash, never an article's first line"
                if dash else "; names only, never a title")
            return
        c.why = f"a short line whose words start a new topic: {said}"
    c.kind = HEADLINE


# The lone lines the scorer was asked about, with their features and the hand-set rule's
# answer (headline or not), while a list: how
# ``bench/fit_linescore.py`` gathers its training rows.
LONE_RECORD: list[tuple[str, dict[str, float], bool]] | None = None


def _lone_features(units: list[_Unit], i: int, j: int, last_head: int, so_far: int,
                   context: str, typical: float) -> dict[str, float]:
    """The features ``linescore`` weighs for the lone candidate ``units[i]``."""
    c, nxt, prev = units[i], units[j], units[i - 1]
    t = c.text
    art_units = [u for u in units[last_head + 1:i] if u.kind in _BODYISH]
    before = "".join(u.text for u in units[last_head + 1:i])[-1200:]
    after = "".join(u.text for u in units[j:j + 12])[:1200]
    section = []
    for u2 in units[j:j + 12]:
        if u2.kind not in _BODYISH:
            break
        section.append(u2.text)
        if _article_end(u2):
            break
    paras = [len(u.text) for u in units if u.kind in _BODYISH and u.text]
    median = statistics.median(paras) if paras else 80.0
    return {
        "fragment": float(_fragment_score(c, nxt, context, typical)),
        "topic": float(_topic(t, before, after)),
        "subhead": float(_subhead_score(c, art_units, so_far)),
        "vocab": float(_vocab_shift(t, before, "".join(section))),
        "repeated": float(len(t) >= 6 and after.startswith(t)),
        "length": math.log(len(t)),
        "short_for_page": float(len(t) * 10 < median),
        "prev_short": float(len(prev.text) < 0.3 * median),
        "prev_closes": float(prev.text[-1] in "。！？!?"),
        "next_list": float(bool(re.match(r"[１1][、．.]|[△●◆▲■□]", nxt.text))),
        "so_far": math.log1p(so_far),
        "story_share": _story_share(t, "".join(section)),
        "names": float(_names_only(t)),
        "non_final": float(t[-1] in _NON_FINAL),
        "typography": float(bool(re.search(rf"[《》“”！？!?·•{_WS}]", t))),
        "digits": float(bool(re.search(r"[0-9０-９]", t))),
    }


def _rejoin_text(units: list[_Unit], run: list[int], context: str) -> None:
    """A candidate that turned out to be text continues into the next paragraph."""
    for k in run:
        if units[k].kind == BODY and k + 1 < len(units) and units[k + 1].kind in (
                BODY, DATELINE, CAPTION):
            nxt_u = units[k + 1]
            tail, tail_joins = nxt_u.text, nxt_u.joins
            nxt_u.text, nxt_u.joins = units[k].text, list(units[k].joins)
            nxt_u.why = nxt_u.why or units[k].why  # why the line was read as text
            _join(nxt_u, tail, context, tail_joins)
            units[k].text = ""


def _cut_opening(c: _Unit, nxt: _Unit) -> bool:
    """Whether a headline-shaped line under another reads as a paragraph's opening cut at the
    bottom of a column: no headline typography (spaces, ·, ！？, a title's suffix), and the
    line under it opens mid-clause (no 本报讯, no quote)."""
    t = c.text
    if re.search(rf"[{_WS}·•！？!?]|^[—“『《]", t) or _TITLE_SUFFIX.search(t):
        return False
    return nxt.kind == BODY and is_han(nxt.text[0]) and not dateline_end(nxt.text)


def _lead_then_author(units: list[_Unit], j: int) -> bool:
    """Whether ``units[j]`` is a one-sentence 导语 with an author line under it: the two stand
    under a headline only (塞纳河，女人河 / 旅居巴黎的这些日子，…。 / 本报记者 郭泓), so the line
    above them heads an article even when its comma makes it look like text.  The story
    must follow the author line: one closing an article is followed by the next headline."""
    if j + 2 >= len(units) or units[j].kind != BODY or units[j + 1].kind != BYLINE or (
            units[j + 2].kind not in _BODYISH):
        return False
    lead = units[j].text
    return len(lead) <= 60 and len(re.findall(r"[。！？!?]", lead[:-1])) == 0


def _unit_name_list(units: list[_Unit], i: int, j: int, prev: _Unit | None) -> bool:
    """Whether the run ``units[i:j]`` after a paragraph is a list of units or places, each
    with a name set apart (a prize list): two such lines in a row head nothing."""
    if prev is None or prev.kind not in _BODYISH or j - i < 2:
        return False
    for u in units[i:j]:
        found = author_line(u.text) if " " in u.text or "\u3000" in u.text else None
        if not found or found[1] != "a unit or place with the author's name":
            return False
    return True


def _decide(units: list[_Unit], context: str, para: int | None = None) -> None:
    """Pass 2: turn headline candidates into HEADLINE lines or glue them back into the body."""
    gaps = [u.blanks for u in units[1:]]
    typical = statistics.median(gaps) if gaps else 0
    i = 0
    last_head = -1
    while i < len(units):
        if units[i].kind not in (CAND, WEAK):
            last_head = i if units[i].kind == HEADLINE else last_head
            i += 1
            continue
        j = _collect_run(units, i, para)
        run = [k for k in range(i, j) if units[k].kind in (CAND, WEAK)]
        nxt = units[j] if j < len(units) else None
        prev = units[i - 1] if i > 0 else None
        if _unit_name_list(units, i, j, prev := units[i - 1] if i > 0 else None):
            for k in range(i, j):  # 河南省洛阳市 张建国 / 湖北省武汉市 李文华: a list, text
                units[k].kind, units[k].names = BODY, []
            units[i].why = f"{units[i].text}: a list of units and names, text of this article"
            i = j
            continue
        has_by = any(units[k].kind == BYLINE for k in range(i, j))
        strong_next = has_by or nxt is not None and nxt.kind in (DATELINE, BYLINE)
        if nxt is None and not has_by:
            for k in run:  # trailing short lines after the last article: keep them as text
                units[k].kind = BODY
            i = j
            continue
        if (len(run) >= 2 and prev is not None and prev.kind in _BODYISH
                and units[run[0]].text[-1] in "！？!?…" and units[run[1]].kind == CAND
                and not _wide(units[run[0]], para)):
            # 祝愿…更加辉煌！ closing the previous article, not a kicker above the next title
            units[run[0]].kind = BODY
            run = run[1:]
        if (len(run) >= 2 and prev is not None and prev.kind in _BODYISH
                and not ends_mid_sentence(prev.text) and _SIGNATURE.match(units[run[0]].text)):
            units[run[0]].kind = BODY  # 文艺部: the department signing the article above off
            run = run[1:]
        inside = prev is not None and prev.kind in _BODYISH and not _article_end(prev) and not (
            strong_next or _wide(units[run[0]], para))
        if inside and len(run) >= 2 and all(units[k].text[-1] in "！？!?" and re.search(
                r"[，,：:]", units[k].text) for k in run):
            for k in run:  # 他乐呵呵地告诉我：今年六十岁啦！ / 但看面相，…！: speech, not headlines
                units[k].kind = BODY
            i = j
            continue
        if inside and len(run) == 2 and not _TITLE_SUFFIX.search(units[run[1]].text) and (
                _word_across(units[run[0]].text, units[run[1]].text)
                or len(units[run[1]].text) <= 2 and is_han(units[run[1]].text[0])):
            # 面对现 / 实的惊叹, …相结合之 / 路: a subhead cut by a column, one line of the article
            # (no headline line is one or two characters under another; a line ending with
            # （图片） / （外一首）, which only headlines carry, is not the end of a subhead)
            head_u, tail_u = units[run[0]], units[run[1]]
            _join(head_u, tail_u.text, context, tail_u.joins)
            head_u.kind, tail_u.text = SUBHEAD, ""
            head_u.why = (f"{head_u.text[:16]}: a subhead of this article cut by a column "
                          "(its two lines read on as one word)")
            i = j
            continue
        if (len(run) >= 2 and nxt is not None and nxt.kind in _BODYISH and not has_by
                and (units[run[-1]].kind == WEAK or _cut_opening(units[run[-1]], nxt))
                and _word_across(units[run[-1]].text, nxt.text)):
            units[run[-1]].kind = BODY  # …告别心目 / 中这所神殿: a paragraph cut by a column
            _rejoin_text(units, run[-1:], context)
            run = run[:-1]
        if (prev is not None and prev.kind in _BODYISH and not _article_end(prev)
                and not strong_next and _NUMBERED.match(units[run[0]].text)
                and not _wide(units[run[0]], para)):
            for k in run:  # 三、以大力开拓市场为导向，… / 品结构的优化: a numbered section heading
                units[k].kind = SUBHEAD
            i = j
            continue
        cands = [k for k in run if units[k].kind == CAND]
        so_far = sum(len(u.text) for u in units[last_head + 1:i] if u.kind in _BODYISH)
        first = units[run[0]]
        if (strong_next and len(run) == 1 and first.kind == CAND and prev is not None
                and prev.kind in _BODYISH and not _article_end(prev) and so_far >= 150
                and (len(first.text) <= 4 or _SECTION_RE.match(first.text))
                and nxt is not None and nxt.kind == DATELINE):
            # 江西 / 本报南昌电…: a section of a round-up, each opening with its own dateline
            first.kind = SUBHEAD
        elif len(run) == 1 and _lead_then_author(units, j):
            first.kind = HEADLINE
            first.why = "above a one-sentence lead and an author line"
        elif len(run) >= 2 and cands or strong_next:
            for k in run:
                units[k].kind = HEADLINE
            first.why = (f"{len(run)} headline-shaped lines in a row" if len(run) >= 2 else
                         "above an author line" if has_by or nxt is not None and nxt.kind == BYLINE
                         else "above a dateline")
            _credit_after_subtitle(units, run)
        elif first.kind == WEAK and _wide(first, para):
            first.kind = HEADLINE
            first.why = f"after {first.blanks} blank lines (paragraphs here are {para} apart)"
        elif (first.kind == WEAK and prev is not None and _article_end(prev)
              and len(first.text) <= 20 and not _word_across(first.text, nxt.text)):
            first.kind = HEADLINE
            first.why = f"after a line that closes an article ({prev.text[-16:]})"
        elif (len(run) == 1 and i >= 2 and units[i - 2].kind == HEADLINE and prev is not None
              and prev.kind in (BODY, SUBHEAD) and len(prev.text) <= 60 and not _wide(first, para)
              and not (nxt is not None and _word_across(first.text, nxt.text))
              and (found := author_line(first.text)) and found[0]):
            first.kind, first.names = BYLINE, found[0]  # 许宏治 under the title and its 导语
            first.why = f"author line under the headline and its lead ({found[1]})"
        elif first.kind == WEAK:
            first.kind = BODY
        else:
            _judge_lone(units, run[0], j, last_head, so_far, context, typical, para)
        last_head = max([k for k in run if units[k].kind == HEADLINE], default=last_head)
        _rejoin_text(units, run, context)
        i = j
    units[:] = [u for u in units if u.text]


_RESTATED = 10  # characters a lead must repeat of the line above it


def _restated_heads(units: list[_Unit]) -> None:
    """A text line that the paragraph under it repeats from its start (after its dateline)
    is that story's headline: running text never says the same words twice in a row, and
    papers' 简讯 print the lead's first words as the title (由山东电影电视剧制作中心、… /
    本报讯由山东电影电视剧制作中心、…).  Such a line is long or comma'd, so the headline
    shapes pass it over."""
    for k in range(len(units) - 1):
        u, nxt = units[k], units[k + 1]
        if u.kind != BODY or nxt.kind not in (DATELINE, BODY) or len(u.text) < _RESTATED:
            continue
        rest = nxt.text[dateline_end(nxt.text):].lstrip(_WS + "：:，,")
        n = min(len(u.text), len(rest))
        if n >= _RESTATED and rest[:n] == u.text[:n] and u.text[-1] not in "。！？”":
            u.kind = HEADLINE
            u.why = "the paragraph under it repeats it from its start: the story's headline"


# ---------------------------------------------------------------------------- articles


# What papers print after a title only: a picture note, verse count, a column name.
_TITLE_SUFFIX = lexicon.LexRegex(
    lambda: r"[（(](?:附?图片?[^（）()]{0,4}|附图|附表|外[一二三四]首|[二三四五]首"
            rf"|[^（）()]{{2,6}}(?:{lexicon.alternation('columns')}))[）)]$")
_KICKER_TYPE = re.compile(rf"[{_HAN}][ \u3000·•][{_HAN}]")


def _sentence(h: str) -> bool:
    """A headline-block line that reads as a sentence of explanation (副题 / 导语); a line that
    is one quotation (“看到这个栏，就……！”) is the sentence it quotes."""
    whole = h.startswith("“") and h.endswith("”") and h.count("“") == 1
    bare = h if whole else re.sub(r"“[^”]*”|《[^》]*》", "“”", h)
    return bool(re.search(r"[，,；;]", bare)) or h[-1] in "。"


def _story_share(line: str, after: str) -> float:
    """The share of a headline line's content bigrams that recur in the story under it.

    A title names what the story is about, so its words come back in the text; a kicker
    (a series or column name, a slogan) is general and mostly does not.
    """
    grams = _content_grams(line)
    return len(grams & _content_grams(after[:400])) / max(1, len(grams))


# The share of a line's content words the story must repeat to count as being about it: of
# two plain headline lines, the first is the title when the story repeats it and not the
# second (a kicker is general, a title names the story).
_TITLE_SHARE = 0.34


# Function words no headline line ends with (a kicker may end with 日: 我们的节日).
_HEAD_NON_FINAL = set("的和与及对把被从以将向于由其这那并而且或但就都也还又很更最所之着"
                      "给让使比跟往朝即则")


def _join_split_title(main: list[str]) -> tuple[list[str], str]:
    """Headline lines that are one title printed over two lines, joined; and why.

    A title breaks where the column ends, not where its words end: when the dictionary reads
    a word across the break (…董建华表 / 示香港…) or the upper line ends on a character no
    headline ends with (…交大与 / 北京…), the two lines are one line of the headline.  A
    line in 【】 or set with spaces is a label, and a short one (≤ 8 characters: 劳动者之歌)
    over a much longer line a kicker unless it ends on such a character: neither is half a
    title (the halves of a broken title are of about one length)."""
    out: list[str] = []
    why = ""
    for h in main:
        if out and not why:
            a = out[-1]
            plain = not re.search(rf"[{_WS}·•【】（）()，,。；;：:！？!?—]", a + h)
            balanced = abs(len(a) - len(h)) <= max(3, len(a + h) // 4)
            names = len(h) <= 6 and (author_line(h) is not None or h[0] in _SURNAMES)
            if plain and not names and len(a) >= 5 and len(a + h) >= 12 and is_han(h[0]) and (
                    (len(a) > 8 or balanced) and _word_across(a, h, known=True)
                    or a[-1] in _HEAD_NON_FINAL and h[0] not in _NON_OPEN):
                out[-1] = a + h
                why = f"one title over two lines ({a[-3:]} / {h[:3]} splits a word)"
                continue
        out.append(h)
    return out, why


def _head_features(main: list[str], after: str, first_title: bool,
                   page_blocks: float) -> dict[str, float]:
    """The headline-block score's features (``indexer/headscore.py``) of ``main``'s first two
    lines, the story under them (``after``) and the page."""
    a, b = main[0], main[1]
    bare_a = re.sub(r"“[^”]*”|《[^》]*》", "“”", a)
    share_a, share_b = _story_share(a, after), _story_share(b, after)
    return {
        "rule": float(first_title),
        "short_a": float(len(a) <= 8),
        "sentence_a": float(_sentence(a)),
        "sentence_b": float(_sentence(b)),
        "end_b": float(b[-1] in "。—"),
        "place_b": float(_place(b)),
        "author_b": float(author_line(b) is not None),
        "question_a": float(bool(re.search(r"[吗呢][？?]?$|[？?]$", a))),
        "dash_a": float(bool(re.search(rf"[{_HAN}》”]——[{_HAN}“《]", bare_a))),
        "spaced_a": float(bool(_KICKER_TYPE.search(a))),
        "spaced_b": float(bool(_KICKER_TYPE.search(b))),
        "share_a": share_a,
        "share_b": share_b,
        "story_picks_a": float(share_a >= _TITLE_SHARE > share_b),
        "saying_a": float(bool(_SAYING_END.search(a))),
        "more_lines": float(len(main) > 2),
        "dateline_after": float(dateline_end(after[:80]) > 0),
        "page_blocks": page_blocks,
    }


# A headline line that is a section's numeral alone (一 / ⑵ / ３．): the parts of one article
# under one title, never a title.
_SECTION_NUMERAL = re.compile(r"^(?:[一二三四五六七八九十]{1,2}|[①-⑳⑴-⒇]|[0-9０-９]{1,2}[、.．]?)$")


def _author_under(a: str, b: str) -> bool:
    """Whether ``b``, under ``a``, is the writer's line (names alone, a unit or place with the
    name run on) and ``a`` is none.  A unit reading needs a unit of some length before the
    name: a short label (警长公开栏) reads as a post and a name by shape alone."""
    got = author_line(b)
    if got is None or author_line(a) is not None:
        return False
    return "unit or place" not in got[1] or len(b) >= 8


# A 引题 by newspaper convention ends on what someone said or asked for (…时要求, …指出).
_SAYING_END = re.compile(r"(?:要求|指出|强调|表示|认为|希望|提出|呼吁|说|称)$")

# Set to a list to record each scored block as (first line, second line, features, the
# chain's answer: first line is the title): how ``bench/fit_headscore.py`` gathers rows.
HEAD_RECORD: list[tuple[str, str, dict[str, float], bool]] | None = None


def _split_heads(heads: list[str], after: str = "",
                 page_blocks: float = 0.0) -> tuple[str, str, str, str]:
    """Kicker (引题), title, subtitle (副题) of a headline block, and why.

    Typography decides where it can: a ——line is a subtitle; the line carrying （附图片１张）
    （外一首） （农村新事） is the title; under a title a sentence (comma'd) or a much longer
    line is a subtitle; above it a short line (≤ 8 characters) or one set with spaces or ·
    (奋进新征程 建功新时代·…) is a kicker.  When the second of two plain lines is longer (by 5+),
    the text under the block (``after``) decides: a kicker is general (来自再就业一线的报告),
    the title names what the story is about, so the line sharing more of the story's words
    is the title.  Of two plain lines otherwise the first is the kicker, unless the story
    repeats the first line's words and not the second's: then the first is the title and
    the second its subtitle.
    """
    subs = [h for h in heads if h.startswith(("—", *_MARKS))]  # ——副题, ●副题
    main, joined = _join_split_title([h for h in heads if h not in subs])
    if not main:
        return "", subs[0].lstrip("—"), " ".join(subs[1:]), "only a ——line: read as the title"
    if joined:
        subs_why = f"{joined}; " if joined else ""
        kicker, title, subtitle, why = _split_heads(main + subs, after, page_blocks)
        return kicker, title, subtitle, subs_why + why
    if len(main) == 1:
        why = "one headline line" + (", a ——subtitle" if subs else "")
        return "", main[0], " ".join(subs), why
    a, b = main[0], main[1]
    marked = [k for k, h in enumerate(main) if _TITLE_SUFFIX.search(h)]
    if marked:
        t = marked[0]
        why = f"the title carries {_TITLE_SUFFIX.search(main[t]).group(0)}"
    elif _SECTION_NUMERAL.match(b):
        t, why = 0, "the line under the title is a section's numeral (一): the title's parts"
    elif _author_under(a, b):
        t, why = 0, f"the line under the title reads as {author_line(b)[1]}: no title"
    elif b[-1] in "！!" and len(b) <= 6:
        t, why = 0, "the line under the title is a short exclamation (新年好！): no title"
    elif b[-1] == "。":
        t, why = 0, "the line under the title is a sentence (导语): subtitle"
    elif b[-1] == "—" and not a.endswith("—"):
        t, why = 0, "the line under the title runs on into the story (ends in ——): subtitle"
    elif _place(b):
        t, why = 0, "the line under the title names a place alone: a round-up's section"
    elif re.search(r"[吗呢][？?]?$|[？?]$", a) and not re.search(r"[吗呢？?]$", b):
        t, why = 0, "the first line asks a question: a title, never a kicker"
    elif re.search(rf"[{_HAN}》”]——[{_HAN}“《]", re.sub(r"“[^”]*”|《[^》]*》", "“”", a)) and (
            not b.startswith("—")):
        t, why = 0, "the first line carries its own ——subtitle: the whole headline"
    elif (len(a) <= 8 and not re.search(r"[，,；;]", a)
          or _KICKER_TYPE.search(a) and not _KICKER_TYPE.search(b)):
        t, why = 1, "a short or spaced line above the title: kicker"
    elif _sentence(b) and not _sentence(a):
        t, why = 0, "the line under the title reads as a sentence: subtitle"
    elif len(b) >= len(a) + 5:
        share_a, share_b = _story_share(a, after), _story_share(b, after)
        if share_a >= share_b or share_a >= 0.34:
            t, why = 0, "the line under the title is longer and the title is about the story"
        else:
            t, why = 1, "the longer line below is closer to the story: the first is a kicker"
    else:
        share_a, share_b = _story_share(a, after), _story_share(b, after)
        if share_a >= _TITLE_SHARE > share_b:
            t, why = 0, (f"two plain lines: the story repeats {share_a:.0%} of the first's words "
                         f"and {share_b:.0%} of the second's: the first is the title")
        else:
            t, why = 1, "two plain lines: the first is the kicker"
    if not marked:
        t, why = _scored_heads(main, after, page_blocks, t, why)
    kicker = " ".join(main[:t])
    return kicker, main[t], " ".join(main[t + 1:] + subs), why


def _scored_heads(main: list[str], after: str, page_blocks: float, t: int,
                  why: str) -> tuple[int, str]:
    """The hand-set chain's answer (``t``: index of the title, ``why``) weighed by the
    learned block score: overruled where the score is sure the other way."""
    feats = _head_features(main, after, t == 0, page_blocks)
    if HEAD_RECORD is not None:
        HEAD_RECORD.append((main[0], main[1], feats, t == 0))
    w = headscore.weights()
    if w is None:
        return t, why
    p = headscore.probability(feats, w)
    said = f"scored {p:.2f} that the first line is the title ({headscore.explain(feats, w)})"
    if t == 1 and p >= w["threshold"]:
        return 0, f"the first line is the title: {said}; the rule said: {why}"
    if t == 0 and p <= 1 - w["threshold"]:
        return 1, f"the first line is a kicker: {said}; the rule said: {why}"
    return t, f"{why} ({said})"


# A labelled line after the text (备注：… 说明：… 附：…): a note that follows the writer's credit.
_LABELLED_NOTE = re.compile(rf"^[{_HAN}]{{1,3}}[：:](?![^（(]*[（(][^）)]*[）)]$)")
# A closing line in parentheses that names no writer: （新华社发） （资料图片） （某某供图）.
_NOTE_CREDIT = re.compile(r"^[（(][^（）()]{0,24}(?:发|供图|供稿|照片|图片)[）)]$")


# A closing credit of a unit and a name set apart by a space: （宝鸡石油机械厂工会 张三）.
_UNIT_CREDIT = re.compile(rf"[（(]([{_HAN}]{{3,24}})[ \u3000]+([{_HAN}]{{2,3}})[）)]$")
# How ``author_line`` reads a line that heads the article with its writers' names alone.
_NAMES_READINGS = ("a byline", "an author's name alone", "names run together")


def closing_writers(paras: list[str], credits: dict[str, list[str]] | None = None
                    ) -> list[str]:
    """The writers a credit closing the article names, or [].

    Read from the last paragraph up: captions, photo credits, （新华社发） and 备注 lines
    follow the writer's credit and are passed over; the first other paragraph closes with
    the credit or the article has none: ``（通讯员 张三）``, ``（某厂工会 张三）``, a trailing
    two-character pen name after the last sentence (``…。（家贵）``), a ``□单位 张三`` line
    (``credits``: such lines as the reader found them, with their names).  A paragraph that
    is the article's only one closes it only with a credit after its text."""
    credits = credits or {}
    for p in reversed(paras):
        if p in credits:
            return list(credits[p])
        if (photo_credit(p) or _CAPTION_RE.match(p) or _CLOSING_LINE.match(p)
                or _NOTE_CREDIT.match(p) or _LABELLED_NOTE.match(p)):
            continue  # captions, photo credits, （新华社发）, 备注 follow the writer's credit
        tail = closing_credit(p)
        if tail and (tail.start > 0 or p is not paras[0]):
            return list(tail.reporters)
        if (m := _UNIT_CREDIT.search(p)) and p is not paras[0] and is_name(
                m.group(2), need_surname=True):
            return [m.group(2)]  # （某某厂工会 张三）: a unit no list knows
        return []
    return []


def byline_heads(paras: list[str]) -> bool:
    """Whether a 记者 byline (or a commentator's, or a line of writers' names alone) heads
    the article: then its names are its writers, with a closing credit's; otherwise names
    above the text (a relayed dateline ``据新华社…电（张三）``, an interviewee under the
    title) are a source, and the closing credit alone names the writers."""
    named = author_line(paras[0]) if paras and len(paras[0]) <= 24 else None
    return any(("记者" in p[:40] and not p.startswith("据")) or "评论员" in p[:12]
               for p in paras[:3]) or (named is not None and named[1] in _NAMES_READINGS)


def writers(top: list[str], paras: list[str], credits: dict[str, list[str]] | None = None
            ) -> tuple[list[str], str]:
    """(the article's writers, why) from the names read above its text and its paragraphs.

    The closing credit (:func:`closing_writers`) names the writers; when no 记者 byline heads
    the article (:func:`byline_heads`) its names alone are the reporters, else both count.
    ``why`` says when names above the text were passed over as a source."""
    closing = closing_writers(paras, credits)
    heads = byline_heads(paras)
    names = closing if closing and not heads else top + closing
    why = ""
    if closing and top and not heads:
        why = (f"reporters {'、'.join(closing)}: the closing credit names the writers; no "
               f"记者 byline heads the article, so {'、'.join(top)} above is a source, not a "
               "writer")
    out: list[str] = []
    for n in names:
        if n not in out:
            out.append(n)
    return out, why


def _reporters(art: PageArticle, extra: list[str], paras: list[str],
               credits: dict[str, list[str]] | None = None) -> list[str]:
    """The article's writers: its byline's names, and the credit that closes it
    (:func:`writers`); else an author line under a 导语 the headline block left in the body."""
    top = list(extra)
    if paras:
        lead = parse_byline(paras[0])
        if lead and lead.start == 0:
            top += lead.reporters
    names, why = writers(top, paras, credits)
    if why:
        art.why.append(why)
    if not names and paras:
        for p in paras[:2]:  # an author line under a 导语 the headline block left in the body
            found = author_line(p) if len(p) <= 24 and len(paras) > 2 else None
            if found and found[0]:
                names = list(found[0])
                break
    return names


def _block_sizes(units: list[_Unit]) -> list[int]:
    """How many headline lines each of the page's headline blocks has."""
    sizes: list[int] = []
    run = 0
    for u in units:
        if u.kind == HEADLINE:
            run += 1
        elif u.kind != BYLINE and run:
            sizes.append(run)
            run = 0
    return sizes + ([run] if run else [])


def _saved_articles(records: list[Record], how: str) -> list[PageArticle]:
    """The articles of a page a scraper saved as records (:mod:`indexer.savedpage`): each
    record one article under its marked title; its 作者： field read as an author line
    (a byline, a name alone, names run together, or a lead naming its 记者)."""
    arts: list[PageArticle] = []
    for r in records:
        art = PageArticle(title=r.title, why=[f"new article: {r.why}"])
        extra: list[str] = []
        paras = list(r.lines)
        if r.author:
            found = author_line(r.author)
            lead = parse_byline(r.author) if not found else None
            if found:
                extra = list(found[0])
                art.why.append(f"作者：{r.author}: the saver's author field, read as "
                               f"{found[1]}")
            elif lead is not None:
                extra = list(lead.reporters)
                art.why.append(f"作者：{r.author[:24]}…: the saver's author field holds the "
                               "story's lead; its 记者 read as the writers")
            paras = paras[1:]  # the field is kept in the body as printed, read here only
        if r.header:
            art.why.append(f"the saver's fields and rules ({how}), in no article's body: "
                           + " | ".join(r.header))
        art.body = "\n".join(r.lines)
        art.reporters = _reporters(art, [], paras) if not extra else writers(extra, paras)[0]
        if art.title or art.body.strip():
            arts.append(art)
    return arts


def parse_page(text: str) -> list[PageArticle]:
    """Split a page dump into articles (title, subtitle, repaired body, reporters).

    Text before the first headline (the end of an article continued from another page)
    becomes an article with an empty title so nothing is lost.
    """
    saved = saved_records(text)
    if saved is not None:
        return _saved_articles(*saved)
    chrome: list[str] = []
    lines = _blank_runs(text, chrome)
    width = wrap_width(lines)
    if width:
        lines = _unwrap(lines, width)
    lines, lead_ins = _lead_ins(lines)
    context = "\n".join(s for s, _ in lines)
    para = rhythm(lines)
    units = _units(lines, context, para, _indented(text))
    _decide(units, context, para)
    _restated_heads(units)

    blocks = _block_sizes(units)
    page_blocks = sum(n >= 2 for n in blocks) / len(blocks) if blocks else 0.0
    arts: list[PageArticle] = []
    extras: list[list[str]] = []
    paras: list[list[str]] = []
    joins: list[list[str]] = []
    i = 0
    pending_by: list[_Unit] = []
    credits: dict[str, list[str]] = {}  # closing credit lines (□单位 张三) and their names
    while i < len(units):
        u = units[i]
        if u.kind == BYLINE and i + 1 < len(units) and units[i + 1].kind == HEADLINE:
            pending_by.append(u)
            i += 1
            continue
        if u.kind == HEADLINE:
            heads: list[str] = []
            byl = list(pending_by)
            pending_by = []
            why = [f"new article: {u.why or 'a headline line'}"]
            while i < len(units) and units[i].kind in (HEADLINE, BYLINE):
                if units[i].note:
                    why.append(units[i].note)
                if units[i].kind == BYLINE:
                    byl.append(units[i])
                else:
                    heads.append(units[i].text)
                i += 1
            names: list[str] = []
            for b in byl:
                names += b.names
                if b.why:
                    why.append(f"{b.text}: {b.why}")
            after = "".join(units[k].text for k in range(i, min(i + 4, len(units))))
            kicker, title, subtitle, head_why = _split_heads(heads, after, page_blocks)
            why.append(f"headline block: {head_why}")
            why += [f"{h}: a lead-in run into its dateline on one line, read as the headline"
                    for h in heads if h in lead_ins]
            arts.append(PageArticle(title=title, subtitle=subtitle, kicker=kicker, why=why))
            joins.append([j for b in byl for j in b.joins])
            extras.append(names)
            paras.append([b.text for b in byl])
            continue
        if not arts:
            arts.append(PageArticle(title="", why=["text before the first headline (continued "
                                                   "from another page)"]))
            extras.append([])
            paras.append([])
            joins.append([])
        joins[-1].extend(u.joins)
        if u.why and u.kind in (BODY, SUBHEAD):
            arts[-1].why.append(u.why)  # a short line kept in this article, and why
        if u.kind == BYLINE:
            extras[-1] += u.names
        if u.kind == CREDIT:
            credits[u.text] = u.names
            arts[-1].why.append(u.why)
        paras[-1].append(u.text)
        i += 1
    if arts and width:
        arts[0].why.append(f"the page's lines are hard-wrapped at {width} characters (most "
                           "lines are that long): a line that fills it was joined to the next")
    if arts and chrome:  # every line accounted for in --dry-run: these are in no article
        arts[0].why.append("page header, furniture and chrome, in no article: "
                           + " | ".join(chrome))
    for art, extra, ps, js in zip(arts, extras, paras, joins, strict=True):
        art.body = "\n".join(ps)
        art.joins = js
        art.reporters = _reporters(art, extra, ps, credits)
    return [a for a in arts if a.title or a.body.strip()]
