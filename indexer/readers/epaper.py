"""E-paper article pages (Founder 方正 and older ones): one article a page, read whole,
chrome never, every field from whatever evidence the page has.

A page says what it is in three places; each field takes the first that has it:

1. the metadata comment ``<!--enpproperty <title>…</title><introtitle>…</introtitle>…
   /enpproperty-->`` (the publisher's own record), its tags in any variant (``<author>`` or
   ``<founder-author>``, ``<founder-title>``, ``<founder-date>``); an empty field says nothing;
2. the ``<founder-title>``/``<founder-author>``/``<founder-content>``… tags of newer templates,
   and the ``<!--enpcontent-->`` markers / ``div#ozoom`` around the body;
3. what is visible: the headings around the title (a kicker or subtitle the comment leaves
   empty is taken from them), the byline (cleaned of the 《人民日报》（… 第07版） issue line,
   dates and bullets ■ printed beside it), the info line (its fields apart even when printed
   as <span>s with nothing between them), the 版面 printed anywhere outside the text (a side
   cell, 版次：A04, 当前版：A04, beside 上一版/下一版, the entry of a 版面 list marked
   current or not a link) or in the file name real sites use (``GRppnn.htm``,
   ``nw.D110000renmrb_YYYYMMDD_n-PP.htm``, ``node_N``, ``ArticelPPNNN…``; ``content_N`` is an
   article number).

A page with no Founder marker is read by its content: the text is the densest block (a run of
sibling paragraphs, even straight under ``<BODY>``); the lines above it are headings, bylines
and date lines, told apart by markup (``<h1>``, title/kicker class names) or, on old pages, by
print weight (``<font size>``, CSS font-size inline or given to a class by the page's own
``<style>``, bold, centring).  Two headline lines that
nothing in the markup or the print tells apart take their roles from the rest of the page: a
comment recording one as 引题/副题, the 版面's list of headlines naming one, the one the text's
opening repeats the words of, a dash opening a 副题; where none decides, the first is read as
the 引题 over the title, never as a 副题 made up from a guess.  Photo captions (资料图片 …摄,
图为……（…摄）) are text, never a 副题; a byline paragraph (■本报记者 张三) at the top of the
text is the reporters.  ``EPaper.why`` says where each field came from, for ``--dry-run``.

Everything else on the page is site chrome: masthead, the page's other headlines, the 版面
list, copyright, share bars, back-issue and pager lines (往期回顾 after the text, however
long).  Chrome is found by *structure* first (blocks of links, link-only lines, forms,
copyright/share/pager text patterns) and by a few unambiguous class names second.  The
element holding the body and its ancestors are never chrome, so a page wrapped in one big
``<form>`` or ``<table>`` still reads.

Reporters: 本报记者 张三 → 张三; 通讯员 and 实习生 are kept as reporters after the 记者, as
:mod:`indexer.byline` does for page dumps (the reporter filter exists to find a person's work,
and correspondents are credited authors); photographers (摄影, 图/) are not.  Role words and
outlets never become names.
"""

from __future__ import annotations

import html as htmllib
import os
import re
from dataclasses import dataclass, field

import lxml.etree as etree
import lxml.html
from lxml.html import HtmlElement

from ..byline import bare_names, is_name, parse_byline
from ..papers import printed_name
from ..records import date_from_filename, page_number, parse_date, split_names

CJK = "\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "tbody",
    "thead", "tfoot", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "center", "header", "footer", "nav", "aside", "figure", "figcaption",
    "hr", "title", "address", "form", "caption", "body", "html",
}
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "map")
# Always chrome, whatever they hold (unless they hold the body).
_CHROME_TAGS = {"nav", "footer", "aside", "select", "option", "button", "input", "textarea",
                "menu", "form"}  # a form that holds the text is protected as its ancestor
# Unambiguous chrome class/id words; ambiguous ones (head, top, list, side) are left to
# the structural tests, since an "article-head" holds the headline.
_CHROME_CLASS = re.compile(
    r"(?:^|[\s_\-])(?:nav\w*|menu\w*|footer|copyright|copy_?right|share\w*|bshare\w*|jiathis|"
    r"sidebar|banner|logo|masthead|breadcrumbs?|crumbs?|pager|pagination|banmian|bmdh|bmlist|"
    r"titlelist|title_list|newslist|news_list|toolbar|related)(?:$|[\s_\-])", re.I)
_COPYRIGHT = re.compile(
    r"版权所有|版权声明|copyright|©|\(c\)\s*\d{4}|ICP[备证]|未经.{0,12}(?:授权|许可|同意)|"
    r"不得(?:复制|转载|建立镜像)|all rights reserved|技术支持[:：]|主管[:：]|主办[:：]", re.I)
# (an app's banner on a mobile page, 打开新湖南客户端 阅读更多, is chrome of the same kind)
_SHARE = re.compile(r"分享到|分享至|一键分享|扫一扫|二维码|(?:打开|下载)\S{0,8}(?:客户端|APP)",
                    re.I)
_TOOLS = re.compile(
    r"^[\s【\[]*(?:上一篇|下一篇|上一版|下一版|上一期|下一期|返回目录|返回首页|返回主页|返回版面|"
    r"返回顶部|本版导航|版面导航|往期回顾|放大|缩小|默认|打印(?:本页)?|关闭(?:窗口)?|收藏|"
    r"字号|大\s*中\s*小|标题导航|本版标题|语音播报|PDF|全文检索|检索|前一天|后一天)")
# Words of a paper's e-edition name; 报社 alone is not one (人民日报社举行迎春酒会 is news).
_MASTHEAD = re.compile(r"数字报|电子报|电子版|数字版|\bepaper\b", re.I)
_DATE_TEXT = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
# (A05) 要闻: a 版面 code in brackets opening an entry, its name after it (a letter and
# digits, so that (1) or (2022) is no 版面)
_PAGE_TEXT = re.compile(r"第\s*[A-Za-z]?\s*0*\d{1,3}\s*版|(?<![\w\d])[A-Za-z]?0*\d{1,3}\s*版(?!权)|"
                        r"(?:版次|版号|版面|当前版)\s*[:：]\s*[A-Za-z]?\d{1,3}(?!\d)|"
                        r"^\s*[（(]\s*[A-Za-z]\d{1,3}\s*[)）](?=\s*[\u4e00-\u9fff])")
_INFO_START = re.compile(
    r"^[\s【\[]*(?:作者|来源|稿源|编辑|责任编辑|责编|日期|发布时间|发布日期|时间|出版日期|"
    r"当前位置|您的位置|您现在的位置|本文字数|字数|"
    r"字号|点击|阅读|浏览)\s*[:：]")
_AUTHOR_LABEL = re.compile(r"^(?:作\s*者|撰\s*稿|署\s*名)\s*[:：]\s*")
_ROLE_WORDS = re.compile(
    r"(?:本报|本刊|新华社|中新社|[\u4e00-\u9fff]{2,6}(?:报|报社|电视台|广播电台|网))?"
    r"(?:驻[\u4e00-\u9fff]{1,8})?(?:特约|特派|见习|实习|首席|文字|全媒体|融媒体)?"
    r"(?:记者|通讯员|实习生|撰稿人|撰稿|执笔|整理|编译|口述|撰文)"
    r"|文\s*[/／]\s*图(?=[\s\u3000])|(?:文图|文·图|文/图|图文|文)\s*[/／:：]|作者\s*[:：]?|"
    r"本报评论员|评论员")
_CLASS_KICKER = re.compile(
    r"intro|yinti|yin_?ti|kicker|pre[\-_]?title|shoulder|(?:^|[\s_\-])y(?:b?t|tbt)(?:$|[\s_\-])",
    re.I)
_CLASS_SUB = re.compile(r"sub|fubiao|fu_?ti|(?:^|[\s_\-])(?:fbt|ft)(?:$|[\s_\-])", re.I)
# bt 标题, dbt 大标题, zbt 主标题 (pinyin initials, as Founder templates name their cells)
_CLASS_TITLE = re.compile(r"title|biaoti|headline|(?:^|[\s_\-])[dz]?bt\d{0,2}(?:$|[\s_\-])", re.I)
_CLASS_AUTHOR = re.compile(r"author|byline|reporter|writer|zuozhe|(?:^|[\s_\-])zz(?:$|[\s_\-])",
                           re.I)
_CLASS_BODY = re.compile(r"content|article|text|zoom|detail|zhengwen|(?:^|[\s_\-])zw(?:$|[\s_\-])",
                         re.I)
_META_DATES = ("date", "publishdate", "pubdate", "article:published_time", "publish_date",
               "contentdate", "issuedate")
_FOUNDER_MARK = re.compile(r"enpproperty|enpcontent|<founder-|id\s*=\s*[\"']?ozoom", re.I)


# -- text ---------------------------------------------------------------------------------

def clean(text: str) -> str:
    """One line of visible text: whitespace folded, and a source line break between two Han
    characters dropped (pretty-printed HTML must not put spaces inside Chinese words)."""
    text = text.replace("\u00a0", " ")
    text = re.sub(rf"(?<=[{CJK}])[ \t\r]*\n\s*(?=[{CJK}])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def unspaced(text: str) -> str:
    """Text without whitespace, for comparing lines that wrap differently."""
    return re.sub(r"\s+", "", text or "")


# -- the metadata comment -----------------------------------------------------------------

_ENP = re.compile(r"<!--\s*enpproperty(.*?)/?\s*/enpproperty\s*-->", re.S | re.I)
_ENP_FIELD = re.compile(r"<([A-Za-z][\w\-]*)\s*>(.*?)</\1\s*>", re.S)


def enpproperty(text: str) -> dict[str, str]:
    """Fields of the ``<!--enpproperty …/enpproperty-->`` comment, tag names lower-cased and
    ``founder-title``/``founder-author``/``founder-date``… folded into title/author/date."""
    m = _ENP.search(text)
    if not m:
        return {}
    out: dict[str, str] = {}
    for name, value in _ENP_FIELD.findall(m.group(1)):
        value = re.sub(r"<br\s*/?>", " ", value, flags=re.I)
        value = clean(htmllib.unescape(re.sub(r"<[^>]*>", "", value)))
        key = name.lower()
        key = key[len("founder-"):] if key.startswith("founder-") else key
        if value or key not in out:  # <author></author> beside <founder-author>张三: the filled one
            out[key] = value
    return out


# -- the tree and its lines ---------------------------------------------------------------

def parse_tree(text: str) -> HtmlElement:
    """An lxml HTML tree without scripts and styles (their text is never content)."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with a declaration
    # libxml2 refuses control characters in str input; they are never visible text
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text)
    root = lxml.html.document_fromstring(text or "<html></html>")
    _inline_class_sizes(root)
    etree.strip_elements(root, *_DROP, with_tail=False)
    return root


_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CSS_SIZE = re.compile(r"(?:font-size|font-weight)\s*:\s*[^;]+", re.I)


def _inline_class_sizes(root: HtmlElement) -> None:
    """Copy the font sizes and weights a page's own stylesheet gives a class (.t2 {font-size:
    1.4rem; font-weight: bold}) onto the elements of that class, before the inline style (which
    wins): a page that sets its headlines apart only in its <style> is read as it shows.  Only
    rules of one class (optionally after a tag) count; descendant or state selectors do not."""
    css = " ".join(st.text_content() for st in root.iter("style"))
    if not css.strip():
        return
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    sizes: dict[str, str] = {}
    for selectors, decls in _CSS_RULE.findall(css):
        found = "; ".join(_CSS_SIZE.findall(decls))
        if not found:
            continue
        for sel in selectors.split(","):
            m = re.fullmatch(r"\s*[A-Za-z0-9]*\.([\w\-]+)\s*", sel)
            if m:
                sizes[m[1]] = "; ".join(x for x in (sizes.get(m[1]), found) if x)
    if not sizes:
        return
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.get("class"):
            continue
        found = "; ".join(sizes[c] for c in el.get("class").split() if c in sizes)
        if found:
            el.set("style", "; ".join(x for x in (found, el.get("style")) if x))


def hint(el: HtmlElement) -> str:
    """class and id of an element, for the hints that class names give."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


@dataclass
class Line:
    """One visible line, with what the reader needs to judge it."""

    text: str
    el: object  # the block element it belongs to
    links: int = 0  # characters inside <a>
    chrome: bool = False  # in (or is the marker of) a chrome subtree
    body: bool = False  # inside the article body
    tags: tuple = ()  # block-ancestor tags, innermost first
    hints: str = ""  # class/id of the block ancestors (nearest three)
    bold: int = 0  # characters inside <b>/<strong>

    @property
    def link_only(self) -> bool:
        """Mostly link text: a list of headlines or 版面, not the article."""
        return bool(self.text) and self.links >= 0.8 * len(unspaced(self.text))

    @property
    def heading(self) -> str:
        """'h1'…'h6' or 'founder-title' etc. when the line is in such an element."""
        for t in self.tags:
            if t.startswith("founder-") and t != "founder-content" or re.fullmatch(r"h[1-6]", t):
                return t
        return ""


def _text_len(el) -> int:
    return len(unspaced(el.text_content()))


def _link_len(el) -> int:
    return sum(len(unspaced(a.text_content())) for a in el.iter("a"))


# a row or item that is a link by its script (<tr onclick="location.href='…_3.htm'">)
_NAV_CLICK = re.compile(r"location(?:\.href)?\s*=|window\.open|\.href\s*=", re.I)


def is_chrome_element(el: HtmlElement) -> bool:
    """Site chrome by what the element is: navigation tags, chrome class names, or a block
    that is mostly links (a list of other headlines or of 版面), <a>s or rows that link by
    their onclick."""
    tag = el.tag
    if tag in _CHROME_TAGS:
        return True
    if tag == "header" and not any(True for _ in el.iter("h1", "h2")):
        return True
    if _CHROME_CLASS.search(hint(el)):
        return True
    if tag in ("a", "span", "font", "b", "strong", "em", "i"):
        return False
    links = [x for x in el.iter() if x.tag == "a" or _NAV_CLICK.search(x.get("onclick") or "")]
    if len(links) >= 2:
        total = _text_len(el)
        outer = [x for x in links if not any(a in links for a in x.iterancestors())]
        if total and sum(_text_len(x) for x in outer) >= 0.6 * total:
            return True
    return False


def is_chrome_text(text: str, in_body: bool) -> bool:
    """A line that is chrome by its words: copyright, share bar, pager/tools, masthead."""
    n = len(unspaced(text))
    if not n:
        return False
    if n <= 80 and _COPYRIGHT.search(text):
        return not in_body or bool(re.search(r"版权所有|copyright|©|ICP|未经", text, re.I))
    if n <= 30 and _SHARE.search(text):
        return True
    if n <= (12 if in_body else 60) and _TOOLS.match(text):
        return True
    return not in_body and n <= 24 and bool(_MASTHEAD.search(text))


class _Walker:
    """Document-order lines, each knowing whether it is chrome and whether it is body."""

    def __init__(self, chrome: set, body_els: set, enp_body: bool):
        self.chrome = chrome
        self.body_els = body_els
        self.enp_body = enp_body  # the <!--enpcontent--> markers delimit the body
        self.in_enp = False
        self.lines: list[Line] = []
        self.buf: list[str] = []
        self.links = 0
        self.bold = 0
        self.ctx: tuple = (None, (), "", False)

    def flush(self) -> None:
        text = clean("".join(self.buf))
        el, tags, hints, body = self.ctx
        if text:
            n = len(unspaced(text))
            self.lines.append(Line(text, el, min(self.links, n), False,
                                   body or (self.enp_body and self.in_enp), tags, hints,
                                   min(self.bold, n)))
        self.buf, self.links, self.bold = [], 0, 0

    def add(self, text: str | None, in_link: bool, in_bold: bool = False) -> None:
        if text:
            self.buf.append(text)
            if in_link:
                self.links += len(unspaced(text))
            if in_bold:
                self.bold += len(unspaced(text))

    def walk(self, el, tags: tuple = (), hints: str = "", body: bool = False,
             in_link: bool = False, in_bold: bool = False) -> None:
        tag = el.tag
        if not isinstance(tag, str):  # a comment: only the enpcontent markers matter
            mark = unspaced(el.text or "").lower()
            if mark in ("enpcontent", "/enpcontent"):
                self.flush()
                self.in_enp = mark == "enpcontent"
            return
        body = body or el in self.body_els
        if el in self.chrome:
            self.flush()
            self.lines.append(Line(clean(el.text_content()), el, _link_len(el), True, body,
                                   (tag, *tags), hints))
            return
        # the body's own element is a block even when inline (a <font> whose paragraphs
        # are runs between <br>s): its lines must know they are the body's
        block = tag in BLOCK or tag.startswith("founder-") or el in self.body_els
        if block:
            self.flush()
            tags = (tag, *tags)
            hints = " ".join(x for x in (hint(el), hints) if x)[:200]
            self.ctx = (el, tags, hints, body)
        saved = self.ctx
        if tag == "br":
            self.flush()
        in_link = in_link or tag == "a"
        inner_bold = in_bold or tag in ("b", "strong")
        self.add(el.text, in_link, inner_bold)
        for child in el:
            self.walk(child, tags, hints, body, in_link, inner_bold)
            self.ctx = saved  # text after a nested block belongs to this one
            self.add(child.tail, in_link, inner_bold)
        if block:
            self.flush()


# -- finding the body ---------------------------------------------------------------------

def _enp_comments(root) -> list:
    return [c for c in root.iter(etree.Comment) if unspaced(c.text or "").lower() == "enpcontent"]


def _best_block(root):
    """The element holding most paragraph text outside links (readability-style), or None."""
    scores: dict = {}
    masthead = unspaced(clean(" ".join(t.text_content() for t in
                                       root.getroottree().getroot().iter("title"))))
    for el in root.iter("p", "div", "td", "li", "section", "article", "founder-content", "span",
                        "font", "pre", "blockquote"):
        own = clean((el.text or "") + "".join((c.tail or "") for c in el))
        if (len(own) < 6 and not _CREDIT_ONLY.fullmatch(own)) or is_chrome_text(own, False) \
                or dateline_like(own):
            continue  # a photo caption may be all there is; a date or page line never
        if _masthead_line(own, masthead) or _loud_short(el, own) or _INFO_START.match(own):
            continue  # nor the paper's name over the date, a headline printed large, or a
            # labelled line (责任编辑：…, 来源：…) beside a text of one short line
        if any(_NAV_CLICK.search(x.get("onclick") or "") for x in [el, *el.iterancestors()][:3]):
            continue  # nor a row that is a link by its onclick (another article's headline)
        parent = el.getparent()
        chain = [(el, 1.0), (parent, 1.0)]
        if parent is not None:
            chain.append((parent.getparent(), 0.5))
        for node, weight in chain:
            # <BODY> is a text's container only for <P>s put straight into it (old pages)
            if node is not None and node.tag != "html" and (
                    node.tag != "body" or (el.tag == "p" and node is parent)):
                bonus = 1.5 if _CLASS_BODY.search(hint(node)) else 1.0
                # a paragraph's text (<p>) over a centred cell's: what decides when the
                # text is a line or two, shorter than its headlines
                para = 1.25 if el.tag == "p" else 1.0
                scores[node] = scores.get(node, 0.0) + weight * bonus * para * len(own)
    scores = {el: s for el, s in scores.items() if not is_chrome_element(el)}
    if not scores:
        return None
    best = max(scores, key=lambda el: scores[el])
    if scores[best] < 6 and not _CREDIT_ONLY.fullmatch(clean(best.text_content())):
        return None
    if is_caption(clean(best.text_content())):
        # a picture's caption is longer than the few words of text printed beside it
        # (快过年了，司机同志，慢点……): the block holding both, unless that is the page
        for anc in list(best.iterancestors())[:2]:
            inside = set(best.iter())
            others = [clean(x.text_content()) for x in anc.iter() if isinstance(x.tag, str)
                      and x not in inside and x.tag in BLOCK and not any(
                          isinstance(c.tag, str) and c.tag in BLOCK for c in x)]
            if anc.tag in ("body", "html") or is_chrome_element(anc) \
                    or _link_len(anc) > 0.3 * _text_len(anc) \
                    or any(_INFO_START.match(t) or is_chrome_text(t, False)
                           or dateline_like(t) for t in others):
                break  # (nor a block holding 责任编辑：…, a date line, a share bar)
            if _text_len(anc) > _text_len(best):
                best = anc
                break
    best = _text_child(best)
    parent = best.getparent()
    leaf = best.tag in ("p", "font", "span", "pre") or (
        best.tag == "div" and not any(isinstance(c.tag, str) and c.tag in BLOCK - {"br"}
                                      for c in best))
    if leaf and parent is not None and parent.tag != "html":
        # one paragraph of a run of sibling paragraphs (old pages put <P>s straight into
        # <BODY>; a redesign may print each paragraph as a <div> of text alone): the text
        # is the run, and its parent holds it
        run = [c for c in parent if c.tag == best.tag and _text_len(c)
               and not any(isinstance(x.tag, str) and x.tag in BLOCK - {"br"} for x in c)]
        if len(run) >= 2:
            return parent
    return best


def _text_child(best):
    """The one container inside ``best`` that holds its text, when everything else in
    ``best`` is headline-like lines (short, no sentence's end), a date, author or labelled
    line (责任编辑：…) or chrome: a page whose text is a caption and a credit scores its
    headlines' wrapper above the text's own container."""
    kids = [c for c in best if isinstance(c.tag, str) and _text_len(c)]
    text, heads = [], []
    for i, c in enumerate(kids):
        own = clean(c.text_content())
        if _INFO_START.match(own) or is_chrome_text(own, False) or is_chrome_element(c):
            continue  # 责任编辑：…, a share bar: before or after the text
        if (len(own) <= 40 and not own.endswith(("。", "！", "？", "”"))
                and not any(isinstance(x.tag, str) and x.tag in BLOCK - {"br"} for x in c)):
            heads.append(i)  # a headline, a date or credit line: above the text only
            continue
        text.append(i)
    if len(text) != 1 or not heads or len(heads) > 5 or max(heads) > text[0]:
        return best
    inner = kids[text[0]]
    if inner.tag in ("div", "td", "section", "article") and any(
            isinstance(x.tag, str) and x.tag in BLOCK - {"br"} for x in inner):
        return inner
    return best


_WEEKDAY = re.compile(r"星期[一二三四五六日天]")


# a credit in brackets, all the text a picture's page may print: （邵声朗）
_CREDIT_ONLY = re.compile(r"[（(][^（）()]{2,20}[）)]")


def _masthead_line(text: str, page_title: str) -> bool:
    """The paper's name (as the page's <title> gives it) beside the issue date or weekday:
    新华每日电讯 1998年01月18日 星期日."""
    if len(text) > 40 or not (_DATE_TEXT.search(text) or _WEEKDAY.search(text)):
        return False
    rest = unspaced(byline_text(text))
    return len(rest) >= 2 and rest in page_title


def _loud_short(el, text: str) -> bool:
    """A short line set large, bold or centred (<font size="5">, <strong>, CSS font-size
    ≥ 20px, <center>) and not ending a sentence: a headline, never the text, even where the
    text is shorter (a picture's credit is all the text some articles have); a centred
    photo caption may be the text."""
    if len(text) > 40 or text.endswith(("。", "！", "？", "”")):
        return False
    for node in [el, *el.iterancestors()][:3]:
        size = (node.get("size") or "").strip() if node.tag == "font" else ""
        px = re.search(r"font-size\s*:\s*(\d+)", (node.get("style") or "").lower())
        if (re.fullmatch(r"\+?[4-7]", size) or (px and int(px[1]) >= 20)
                or node.tag in ("strong", "b", "h1", "h2", "h3")):
            return True
        if (node.tag == "center" or (node.get("align") or "").lower() == "center") \
                and not is_caption(text):
            return True  # centred alone on its line: a kicker or a 副题 (a caption may be)
    return False


def body_anchors(root: HtmlElement) -> tuple[list[HtmlElement], bool]:
    """The elements holding the body, and whether the enpcontent markers delimit it."""
    founder = [el for el in root.iter("founder-content") if _text_len(el)]
    if founder:
        return founder, False
    comments = _enp_comments(root)
    if comments:
        return [c.getparent() for c in comments if c.getparent() is not None], True
    ozoom = [el for el in root.iter() if isinstance(el.tag, str) and el.get("id") == "ozoom"]
    if ozoom and _text_len(ozoom[0]):
        return ozoom[:1], False
    best = _best_block(root)
    return ([best] if best is not None else []), False


# -- names, dates, pages ------------------------------------------------------------------

_BULLETS = "■□●◆◇▲△★☆▇█◎○·•"
# What stands beside a byline in one element: the paper and issue line, a date, a 版面.
_BESIDE_BYLINE = re.compile(
    r"《[^》]{1,20}》\s*[（(][^）)]{0,40}[）)]|[（(]\s*\d{4}\s*年[^）)]{0,30}[）)]|"
    r"(?:日期|时间|发布时间|出版日期|版次|版面)\s*[:：]\s*[\dA-Za-z\-/.:：]*|"
    r"(?:来源|稿源)\s*[:：]\s*[\u4e00-\u9fff]{0,10}|"
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?<!\d)\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)|"
    r"(?:第\s*[A-Za-z]?\s*0*\d{1,3}|(?<![\w\d])[A-Za-z]?0*\d{1,3})\s*版(?!权)"
    r"(?:\s*[:：]\s*[\u4e00-\u9fff]{1,8})?|星期[一二三四五六日天]")


def byline_text(text: str) -> str:
    """An author line without what shares its element: bullets (■本报记者), the 《人民日报》
    issue line, dates, 第07版, labelled fields other than the author."""
    text = _BESIDE_BYLINE.sub(" ", clean(text))
    return clean(text.strip(_BULLETS + " \u3000"))


# a pen name as papers print it: 〈民音〉, 钟（昆音） (the name with the place it writes from)
_PEN_NAME = re.compile(r"[\u4e00-\u9fff]{0,4}(?:〈[\u4e00-\u9fff]{1,4}〉|"
                       r"[（(][\u4e00-\u9fff]{1,4}[）)])|[\u4e00-\u9fff]{1,4}")
_NOT_PEN = re.compile(r"实习|见习|特约|摄|图|报道|通讯员|执笔|整理")


def _pen_name_credit(text: str) -> list[str]:
    """The names of a credit with pen names (本报记者 韩 钟（昆音）, 本报记者 陈、〈民音〉),
    as printed, brackets kept: the archive records such names so; else []."""
    m = _ROLE_WORDS.match(text)
    if not m:
        return []
    rest = text[m.end():]
    while m := _ROLE_WORDS.match(rest.lstrip(" \u3000:：")):  # chained: 文/本报记者
        rest = rest.lstrip(" \u3000:：")[m.end():]
    rest = rest.lstrip(" \u3000:：")
    # 本报记者 韩 钟（昆音） 通讯员 陈晓东: the correspondents after the pen names are plain names
    later: list[str] = []
    cut = re.search(r"[\s\u3000]+(?:特约|见习)?(?:通讯员|实习生)[\s\u3000:：]*", rest)
    if cut:
        later = split_names(rest[cut.end():])
        if not later or not all(is_name(n, need_surname=True) for n in later):
            return []
        rest = rest[:cut.start()]
    tokens = split_names(rest)
    if tokens and any(re.search(r"[〈（(]", t) for t in tokens) \
            and all(_PEN_NAME.fullmatch(t) for t in tokens) \
            and not any(_NOT_PEN.search(t) for t in tokens):
        return tokens + [n for n in later if n not in tokens]
    return []


def _bare_pen_names(text: str) -> list[str]:
    """The names of a credit printed without a role word whose names include a pen name in
    brackets (韩 钟（昆音）, 陈、〈民音〉), as printed; else []."""
    if len(unspaced(text)) > 16 or _ROLE_WORDS.match(text):
        return []
    tokens = split_names(text)
    if tokens and any(re.search(r"[〈（(]", t) for t in tokens) \
            and all(_PEN_NAME.fullmatch(t) for t in tokens) \
            and not any(_NOT_PEN.search(t) for t in tokens):
        return tokens
    return []


def names_from_author(text: str) -> list[str]:
    """Reporter names from an author field or line: 本报记者 张三 李四 → [张三, 李四]."""
    text = _FILED_FROM.sub("", _AUTHOR_LABEL.sub("", byline_text(text)))  # 深圳报道: a place
    if not text:
        return []
    pen = _pen_name_credit(text) or _bare_pen_names(text)
    if pen:
        return pen
    found = parse_byline(text)
    if found and found.start == 0 and found.end >= len(text.rstrip()):
        return list(found.reporters)
    stripped = _ROLE_WORDS.sub(" ", text)
    stripped = re.sub(r"[（）()【】\[\]]|报道|摄影?|图\s*[/／:：]", " ", stripped)
    return [n for n in split_names(stripped) if is_name(n)] or _spaced_pen_names(text)


def date_from_path(path: str) -> str | None:
    """The issue date in a file path or URL: /2022-09/30/, 2022_09/30/ (工人日报), 2022-09-30,
    20220930."""
    for m in re.finditer(r"(?<!\d)(\d{4})[-_]?(\d{2})[/\\_-]?(\d{2})(?!\d)", path):
        iso = parse_date(f"{m[1]}-{m[2]}-{m[3]}")
        if iso and "1900" < iso < "2100":
            return iso
    return date_from_filename(os.path.basename(path))


def page_from_path(path: str) -> str | None:
    """The 版面 in a file path or URL: node_3.htm, …_1-01.htm (人民日报), GR0218.htm (工人日报:
    page 02, article 18), Articel05002BB.htm (page 05), 20220930_005_3.htm (农民日报: page
    005, article 3), 2022-09/30/03/…, 20220930_p03, -03版.
    Article numbers (content_1201.htm) are not pages."""
    path = path.replace("\\", "/")
    stem = os.path.splitext(os.path.basename(path))[0]
    for form in (r"^(?:node|page|bm|ban|banmian|layout|pg|p)[_\-]?([A-Za-z]?\d{1,3})$",
                 r"^GR(\d{2})\d{2}$", r"^Articel([A-Za-z]?\d{2})\d{3}\w*$",
                 r"第?([A-Za-z]?\d{1,3})版", r"(?<!\d)\d{8}_\d{1,3}-([A-Za-z]?\d{1,3})$",
                 r"^\d{8}_([A-Za-z]?\d{1,3})_\d{1,3}$",
                 r"(?<!\d)\d{4}-?\d{2}-?\d{2}[_\-](?:p|page|bm)?([A-Za-z]?\d{1,3})$"):
        m = re.search(form, stem, re.I)
        if m:
            return page_number(m.group(1))
    # a page folder after the date: 2022-09/30/03/content_1.htm, 20220930/A03/1.html
    m = re.search(r"(?<!\d)\d{4}-?\d{2}[/\-_]?\d{2}/(.+)$", path)
    if m:
        for part in m.group(1).split("/")[:-1]:
            pm = re.fullmatch(r"(?:node|page|bm|ban|p)?[_\-]?([A-Za-z]?\d{1,3})(?:版)?", part,
                              re.I)
            if pm:
                return page_number(pm.group(1))
    return None


def page_in(text: str) -> str | None:
    """The first 版面 printed in a line: 第03版：要闻 / 第 01 版 / A3版 / (A03) 要闻."""
    for m in _PAGE_TEXT.finditer(text):
        value = page_number(re.sub(r"\s|^(?:版次|版号|版面|当前版)[:：]|[（()）]", "", m.group(0)))
        if value:
            return value
    return None


def date_in(text: str) -> str | None:
    """The first real date printed in ``text`` (2022年9月30日, 2022-09-30, 2022/9/30)."""
    for m in _DATE_TEXT.finditer(text):
        y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[4], m[5], m[6])
        iso = parse_date(f"{y}-{int(mo):02d}-{int(d):02d}")
        if iso and "1900" < iso < "2100":
            return iso
    return None


# -- the reader proper --------------------------------------------------------------------

@dataclass
class EPaper:
    """What one e-paper page holds; ``body`` empty means no article."""

    title: str = ""
    kicker: str = ""
    subtitle: str = ""
    reporters: list[str] = field(default_factory=list)
    date: str | None = None
    page: str | None = None
    page_name: str = ""  # 要闻, from the metadata's nodename
    paper: str = ""  # the paper's name: the site name, else the masthead in the <title>
    body: str = ""
    # where each field came from (field → a short reason), for ``index --dry-run``
    why: dict[str, str] = field(default_factory=dict)


def paper_name_of(metatags: dict[str, str], page_title: str,
                  headline: str = "") -> tuple[str, str]:
    """(the paper's name, where it was found): ``og:site_name`` or ``application-name``,
    else the last part of the page's <title> that is a paper's name (劳动午报数字报 →
    劳动午报), never the article's own ``headline`` (a headline may end in 通报);
    ("", "") when neither names one."""
    for key in ("og:site_name", "application-name"):
        name = clean(metatags.get(key, ""))
        if name:
            return (printed_name(name) or name[:40]), f"<meta {key}>"
    parts = [p.strip() for p in re.split(r"\s*[-_|｜—–·:：]+\s*|\s+", page_title or "")]
    head = unspaced(headline)
    for part in reversed(parts):
        name = printed_name(part)
        if name and (not head or unspaced(part) not in head):
            return name, "<title> 报名"
    return "", ""


def looks_like_epaper(text: str) -> bool:
    """Founder markers, or a list of 版面 links (第01版…) with node_/content_ links."""
    if _FOUNDER_MARK.search(text):
        return True
    pages = len(re.findall(r">\s*(?:第\s*)?[A-Za-z]?\s*0*[0-9０-９]{1,3}\s*版", text))
    links = len(re.findall(r"href\s*=\s*[\"']?[^\"'>]*(?:node_|content_)\d+\.html?", text, re.I))
    return pages >= 3 or (pages >= 2 and links >= 1)


def dateline_like(text: str) -> bool:
    """A date or 版面 line: what is left without the date, the 版面, the paper's issue line
    and labelled fields is a few characters (four Han at most) or a byline
    (明天气象预报（1998年1月3日…） is a headline with a date in it)."""
    if len(text) > 60 or not (_DATE_TEXT.search(text) or _PAGE_TEXT.search(text)
                              or re.search(r"星期[一二三四五六日天]", text)):
        return False
    rest = _MASTHEAD_BAR.sub("", byline_text(text))
    short = len(unspaced(rest)) <= 12 and len(re.findall(r"[\u4e00-\u9fff]", rest)) <= 4
    return short or bool(
        len(rest) <= 30 and (_ROLE_WORDS.match(rest) or _AUTHOR_LABEL.match(rest))
        and names_from_author(rest)) or bool(bare_names(rest))


# What a masthead bar prints beside the issue date: the paper's name, links to back issues.
_MASTHEAD_BAR = re.compile(r"[\u4e00-\u9fff]{2,6}(?:日报|晚报|早报|商报|时报)|往期回顾|"
                           r"上一[版期篇]|下一[版期篇]|返回目录|返回首页|首页")


_SOURCE_LINE = re.compile(
    r"^(?:(?:来源|稿源|本文来源)\s*[:：]\s*《[^》]{1,12}》|《[^》]{1,12}》\s*[:：])\s*$")


# a source label opening a line (来源：羊城晚报 记者 张三 2024-01-05): where the page says the
# article comes from, printed above the text, never a line of it
_SOURCE_LABEL = re.compile(r"^[\s【\[]*(?:来源|稿源|本文来源)\s*[:：]")


def _is_info(line: Line) -> bool:
    """A date, 版面, labelled or source line (《大河报》：) above the text: never a heading."""
    return bool(_INFO_START.match(line.text) or dateline_like(line.text)
                or _SOURCE_LINE.match(line.text))


_PAGE_ENTRY = re.compile(r"第?\s*[A-Za-z]?\s*0*\d{1,3}\s*版\s*[:：]?\s*[\u4e00-\u9fff]{0,8}")


def date_page_only(text: str) -> bool:
    """A line holding nothing but the issue's date and a 版面 entry (2014年07月31日 第01版：要闻),
    whatever element prints it: page information, never a 副题, even set as a heading."""
    if not (_DATE_TEXT.search(text) and _PAGE_TEXT.search(text)) or len(text) > 40:
        return False
    rest = _PAGE_ENTRY.sub("", _WEEKDAY.sub("", _DATE_TEXT.sub("", text)), count=1)
    return not re.sub(r"[\s\u3000|｜丨,，·/]+", "", rest)


def _is_author_line(line: Line) -> bool:
    if line.heading.startswith("founder-author") or _CLASS_AUTHOR.search(line.hints.split(" ")[0]
                                                                         if line.hints else ""):
        return True
    t = byline_text(line.text) or line.text  # ■本报记者张三: the bullet is no part of it
    names = bare_names(t)
    if names and len(names) >= 2:  # 张三、李四: one bare name could be a headline (利率)
        return True
    if len(t) <= 30 and _ROLE_AFTER.search(t):  # 张三 编译: the role after the names
        return bool(bare_names(_ROLE_AFTER.sub("", t)))
    if len(t) > 40 or not _ROLE_WORDS.match(t):
        return False
    found = parse_byline(t)
    return bool(found and found.start == 0 and found.end >= len(t))


def _heading_rank(line: Line) -> tuple[int, int]:
    """Lower is more title-like: founder-title, class title, h1…h6, the rest."""
    h = line.heading
    own = hint(line.el) if line.el is not None else ""  # a container's "article-title" class
    if h == "founder-title":                              # names no one line
        return (0, 0)
    if _CLASS_TITLE.search(own) and not (_CLASS_KICKER.search(own) or _CLASS_SUB.search(own)):
        return (1, 0)
    if re.fullmatch(r"h[1-6]", h):
        return (2, int(h[1]))
    return (3, 0)


def _role_of(line: Line) -> str:
    """'kicker'/'subtitle'/'title'/'' from founder tags and class names."""
    h = line.heading
    if h in ("founder-introtitle", "founder-yinti"):
        return "kicker"
    if h == "founder-subtitle":
        return "subtitle"
    if h == "founder-title":
        return "title"
    own = " ".join(line.hints.split(" ")[:2]) if line.hints else ""
    if _CLASS_KICKER.search(own):
        return "kicker"
    if _CLASS_SUB.search(own):
        return "subtitle"
    return ""


def _same(a: str, b: str) -> bool:
    a, b = unspaced(a), unspaced(b)
    if not a or not b:
        return False
    return a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a)
                      and min(len(a), len(b)) >= 0.6 * max(len(a), len(b)))


def _neighbour_columns(el) -> set:
    """The table cells beside the ones holding ``el`` in their rows: on a page laid out in
    columns, the other columns (a list of headlines, the 版面 list) never hold its headline."""
    out: set = set()
    if el is None:
        return out
    for anc in [el, *el.iterancestors()]:
        if anc.tag == "td" and anc.getparent() is not None:
            out.update(c for c in anc.getparent() if c is not anc and c.tag == "td")
    return out


def _heading_block(lines: list[Line], first_body: int) -> list[Line]:
    """The non-chrome lines just above the body: headings, author and info lines.

    Going up from the body, short tool bars are stepped over; a link list (other headlines,
    版面), a long paragraph or a masthead line ends the block.
    """
    block: list[Line] = []
    beside = _neighbour_columns(lines[first_body].el) if first_body < len(lines) else set()
    for line in reversed(lines[:first_body]):
        if beside and line.el is not None and any(
                a in beside for a in [line.el, *line.el.iterancestors()]):
            break  # a cell beside the article's column (a list of the page's headlines)
        if line.chrome or line.link_only:
            small = len(unspaced(line.text)) <= 24 and (not line.chrome or _link_len(line.el) <= 24)
            if not line.chrome and (line.heading or _role_of(line) or _heading_rank(line)[0] == 1
                                    or is_caption(line.text)):
                block.append(line)  # a headline printed as a link to itself, a picture's
                continue  # caption as the picture's link
            if small and (_TOOLS.match(line.text) or _SHARE.search(line.text) or not line.text):
                continue
            break
        if len(line.text) > 160 or is_chrome_text(line.text, False) or len(block) >= 10:
            break
        block.append(line)
    return block[::-1]


def read_epaper(text: str, path: str, root: HtmlElement | None = None) -> EPaper:
    """Everything one e-paper page says about its article (see the module docstring)."""
    meta = enpproperty(text)
    root = parse_tree(text) if root is None else root
    page_title = clean(" ".join(t.text_content() for t in root.iter("title")))
    body_root = root.find("body") if root.find("body") is not None else root
    lines, anchors, enp_body = _page_lines(body_root)
    tag_text = _founder_tags(body_root)
    explicit = enp_body or any(a.tag == "founder-content" or a.get("id") == "ozoom"
                               for a in anchors)
    head, body_idx = _split_head(lines, meta, tag_text, page_title, explicit)

    out = EPaper()
    why = out.why
    known = [meta.get("title", ""), tag_text.get("title", "")]
    captions = [ln for ln in head if is_caption(ln.text) and not ln.heading
                and not any(_same(ln.text, k) for k in known)]
    fielded = []  # 深圳特区报2024年01月05日A04版作者：张三 printed as spans: an info line
    for ln in head:
        fields = _fields(ln)
        if fields:
            ln.text = "　".join(fields)
            fielded.append(ln)
    info = [ln for ln in head if ln not in captions and (_is_info(ln) or ln in fielded)
            and (not ln.heading or date_page_only(ln.text))]
    credit = [names_from_author(v) for v in (meta.get("author", ""), tag_text.get("author", ""))]
    # a line opening with a role word (本报记者 …) is a credit even when its names do not
    # parse (pen names in 〈〉): never a 副题
    authors = [ln for ln in head if ln not in info and ln not in captions
               and (_is_author_line(ln) or _names_of(ln.text, credit)
                    or (len(ln.text) <= 30 and not ln.heading
                        and _CREDIT_START.match(byline_text(ln.text))))]
    # lines above a date bar that heads the block are the masthead, not the headline
    # (a byline sharing the date's line, 记者 张三 2024-01-05, is no masthead bar: headings
    # above it stay)
    top = next((i for i, ln in enumerate(head) if ln in info
                and not _ROLE_WORDS.search(ln.text)), None)
    if top is not None and any(ln not in info + authors + captions for ln in head[top:]):
        head = head[top:]
    # (an info line naming the reporters, 时间：… | 记者：李舟, leaves no byline to guess)
    # what else on the page names the article: its list of the 版面's headlines (links),
    # and the text's opening, which a headline's words recur in
    named = frozenset(u for a in body_root.iter("a") if len(u := unspaced(a.text_content())) >= 4)
    ev = Evidence(named, "".join(lines[i].text for i in body_idx[:3])[:300])
    if not authors and not any(credit) and not any(
            re.search(r"(?:作者|记者)\s*[:：]\s*\S", ln.text) for ln in info):
        authors = _bare_name_byline(_headlines([ln for ln in head if ln not in info
                                                and ln not in captions],
                                               meta.get("nodename", ""), page_title),
                                    page_title)
    heads = _headlines([ln for ln in head if ln not in info and ln not in authors
                        and ln not in captions], meta.get("nodename", ""), page_title)
    out.title, out.kicker, out.subtitle = _titles(heads, meta, tag_text, page_title, why, ev)
    body_idx = _without_editor_apart(lines, body_idx)
    # a caption above the text is the text's (a photo caption is never a 副题)
    after = _captions_after(lines, body_idx)
    body_lines = ([ln.text for ln in captions] + [lines[i].text for i in body_idx]
                  + [ln.text for ln in after])
    why["body"] = (_body_source(anchors, enp_body)
                   + ("，标题下的图片说明归正文" if captions else "")
                   + ("，正文后的图片说明（图说）归正文" if after else ""))
    alone = not authors and not any(credit)
    body_lines, credited = _leading_bylines(body_lines, alone)
    closing = ""
    if alone and not credited:
        before = len(body_lines)
        body_lines, credited = _closing_bylines(body_lines)
        closing = ("正文末的署名段" if len(body_lines) < before
                   else "正文里的署名（文末或首行的名字）") if credited else ""
    body_lines = _without_trailing_tools(body_lines)
    out.body = "\n".join(body_lines)
    out.reporters = _reporters(meta, tag_text, authors, info, body_lines, credited, why)
    if closing and out.reporters == credited:
        why["reporters"] = closing

    # date: metadata, then the path or URL, then a printed date
    urls = [path] + [el.get("href") or el.get("content") or ""
                     for el in root.iter("link", "meta", "base")
                     if (el.get("rel") or el.get("property") or "").lower()
                     in ("canonical", "og:url") or el.tag == "base"]
    printed = [ln.text for ln in info] + [ln.text for ln in lines if not ln.body]
    metatags = {(el.get("name") or el.get("property") or "").lower(): el.get("content") or ""
                for el in root.iter("meta")}
    meta_date = next((d for key in _META_DATES
                      if (d := parse_date(metatags.get(key, "")[:10]))), None)
    for source, found in (("元数据注释 <date>", parse_date(meta.get("date", "")[:10])),
                          ("<founder-date>", parse_date(tag_text.get("date", "")[:10])),
                          ("<meta> 日期", meta_date),
                          ("文件路径", next((d for d in map(date_from_path, urls) if d), None)),
                          ("页面印的日期", next((d for d in map(date_in, printed) if d), None))):
        if found:
            out.date, why["date"] = found, source
            break

    # 版面: a number in the metadata, a page line near the article, the page anywhere, the path
    out.page = _page({**{k: v for k, v in metatags.items() if k}, **meta}, tag_text, info,
                     lines, urls, body_root, anchors, why)
    out.page_name = page_name_of(meta.get("nodename", "")) if out.page else ""
    out.paper, where = paper_name_of(metatags, page_title, out.title)
    if out.paper:
        why["paper"] = where
    return out


_INLINE = ("span", "em", "i", "b", "strong", "font", "a", "label", "time", "small", "cite")
_FIELD_SEP = re.compile(r"^[\s\u3000|｜丨/·•]*$")


def _fields(line: Line) -> list[str]:
    """The fields of an info line printed as inline elements side by side with nothing
    between them (<span>深圳特区报</span><span>2024年01月05日</span><span>A04版</span>
    <span>作者：张三</span>), which a reader sees apart and the text runs together: the
    elements' texts, when one of them is a date or a 版面 alone; else []."""
    el = line.el
    if el is None or len(line.text) > 100:
        return []
    kids = [c for c in el if isinstance(c.tag, str)]
    if len(kids) < 2 or any(c.tag not in _INLINE for c in kids):
        return []
    if not _FIELD_SEP.match(el.text or "") or any(not _FIELD_SEP.match(c.tail or "")
                                                  for c in kids):
        return []
    texts = [t for c in kids if (t := clean(c.text_content()))]
    if len(texts) < 2 or unspaced("".join(texts)) != unspaced(line.text) \
            or any(len(t) > 40 for t in texts):
        return []
    alone = any((date_in(t) and not unspaced(_WEEKDAY.sub("", _DATE_TEXT.sub("", t))))
                or (page_in(t) and not unspaced(_PAGE_ENTRY.sub("", t))) for t in texts)
    return texts if alone else []


def _bare_name_byline(head: list[Line], page_title: str) -> list[Line]:
    """The byline printed as names alone (朱剑红; 张三 李四; a pen name of two to four Han)
    in the heading block's last line, just above the text, below a line printed more like a
    title, or as a row of whole names elsewhere in the block: those lines or [] (a
    two-character headline such as 利率 is the title when nothing above outranks it; a 副题
    is a phrase, longer than a name)."""
    if len(head) < 2:
        return []
    last = head[-1]
    if len(last.text) > 20:
        return []
    names = bare_names(last.text)
    whole = bool(names) and "".join(names) == re.sub(r"[\s\u3000、，,]", "", last.text)

    def lowest(line: Line) -> bool:
        """The block's lowest heading level, under every other (<h4>张三</h4> under the
        <h1>/<h2> headline): a heading is a byline only so, as names alone (珉君 too)."""
        levels = [int(ln.heading[1]) for ln in head
                  if ln is not line and re.fullmatch(r"h[1-6]", ln.heading)]
        return bool(re.fullmatch(r"h[1-6]", line.heading) and levels
                    and int(line.heading[1]) > max(levels)) and bool(
            _whole_names(line.text) or re.fullmatch(r"[\u4e00-\u9fff]{2,3}", unspaced(line.text)))

    title = _pick_title(head, page_title)
    if last.heading:
        if lowest(last) and title is not last:
            return [last]
    else:
        # a pen name (塞夫, 德芳) parses as no name: two to four Han alone there are one
        # too, and so are pen names of two Han side by side (胡桃 汉仙 湘国)
        pen = bool(re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", unspaced(last.text))
                   or _bare_pen_names(last.text) or _spaced_pen_names(last.text))
        if (whole or pen) and title is not last:
            return [last]
    # a redesign may print the names' row between the headlines (under the title, above the
    # 副题, or above the title): there only names that parse whole, in a plain row or the
    # block's lowest heading, never the title's
    return [ln for ln in head[:-1] if ln is not title and len(ln.text) <= 12
            and (lowest(ln) if ln.heading else _whole_names(ln.text))]


def _whole_names(text: str) -> bool:
    names = bare_names(text)
    return bool(names) and "".join(names) == re.sub(r"[\s\u3000、，,]", "", text)


def _spaced_pen_names(text: str) -> list[str]:
    """Two or more pen names of two Han each, spaced apart (胡桃 汉仙 湘国), else []."""
    tokens = re.split(r"[\s\u3000、]+", text.strip(" \u3000"))
    ok = len(tokens) >= 2 and all(re.fullmatch(r"[\u4e00-\u9fff]{2}", t) for t in tokens)
    return tokens if ok and not any(_NOT_PEN.search(t) for t in tokens) else []


# a role word then a space: 新华社记者 陈 〈民音〉 (记者蹲点采访纪实 is a 副题)
_CREDIT_START = re.compile(
    rf"(?:{_ROLE_WORDS.pattern})(?:[\s\u3000]*(?:{_ROLE_WORDS.pattern}))*[\s\u3000]+\S")


def _names_of(text: str, credits: list[list[str]]) -> bool:
    """The line is the credit the metadata records (its names, with or without role words)."""
    names = names_from_author(text) or bare_names(text) or []
    return any(names and set(names) <= set(c) for c in credits if c)


def _body_source(anchors: list, enp_body: bool) -> str:
    """How the text was found, for ``--dry-run``."""
    if enp_body:
        return "<!--enpcontent--> 注释之间"
    if not anchors:
        return "（页面上没有正文）"
    el = anchors[0]
    if el.tag == "founder-content":
        return "<founder-content>"
    if el.get("id") == "ozoom":
        return "div#ozoom"
    name = el.tag + (f".{el.get('class').split()[0]}" if (el.get("class") or "").split() else "")
    return f"文字最密的块 <{name}>（页面没有方正标记）"


_CAPTION = re.compile(
    r"^(?:资料图片|资料照片|图为|图[①-⑳\d]|(?:上|下|左|右|题|配)?图\s*[:：]|图片\s*[:：]|照片\s*[:：])"
    r"|(?:摄影?|供图|新华社发|图片来源\S*|视觉中国)\s*[）)]?\s*$|^[（(][^）)]{0,30}摄[）)]$")


def is_caption(text: str) -> bool:
    """A photo caption or credit (资料图片 新华社记者 某某摄; 图为……（某某摄））: text of the
    article, never a 副题 and never a byline."""
    t = clean(text)
    return bool(t) and len(t) <= 160 and bool(_CAPTION.search(t))


def _captions_after(lines: list[Line], body_idx: list[int]) -> list[Line]:
    """Photo captions and credits in brackets printed just after the text, outside its
    container (a 图说 under the article; （张三） under a picture's caption), up to the
    first line that is not one: they are the article's text."""
    out: list[Line] = []
    if not body_idx:
        return out
    for ln in lines[body_idx[-1] + 1:body_idx[-1] + 5]:
        if not ln.text:
            continue  # the picture itself (an <img> block, a share-pop wrapper)
        if ln.chrome or ln.body or ln.link_only or not (
                is_caption(ln.text) or _CREDIT_ONLY.fullmatch(ln.text)):
            break  # (a credit in brackets, （邵声朗）, may be all a picture's text says)
        out.append(ln)
    return out


# the role printed after the names (张三 编译) and the place a report is filed from
# (记者 张三 北京报道): parts of a credit line, not names
_ROLE_AFTER = re.compile(r"[\s\u3000]+(?:编译|整理|口述|撰文|执笔|撰稿|译)$")
_FILED_FROM = re.compile(
    r"[\s\u3000]+(?:[\u4e00-\u9fff]{2,6}(?:报道|连线)|发自[\u4e00-\u9fff]{2,8})$")


def _leading_bylines(body: list[str], alone: bool = False) -> tuple[list[str], list[str]]:
    """A byline printed as its own paragraph at the top of the text (■本报记者 张三), below
    any photo caption, is the reporters, not text: (body without it, names).

    Without a bullet, a credit paragraph (本报记者 张三) is the byline only when the page
    prints no byline anywhere else (``alone``), and only the first one: a second credit line
    under it is the story's own opening."""
    names: list[str] = []
    out: list[str] = []
    for i, line in enumerate(body):
        if i >= 4 or i == len(body) - 1:  # the last line stays: it may be all the text
            return out + body[i:], names
        if is_caption(line) and not names:
            out.append(line)
            continue
        bullet = line.lstrip()[:1] in _BULLETS
        credit = _FILED_FROM.sub("", line.strip())
        found = (names_from_author(credit) if len(line) <= 40
                 and (bullet or alone and not names and (_CREDIT_START.match(credit)
                                                         or _ROLE_AFTER.search(credit)))
                 else [])
        rest = _ROLE_AFTER.sub("", _ROLE_WORDS.sub("", byline_text(credit)))
        if not found or any(n not in found for n in split_names(rest) if n):
            return out + body[i:], names
        names += [n for n in found if n not in names]
    return out, names


# a credit run on after the text's last sentence: …谢谢所有人了。”本报记者 杨硕
_RUN_ON_CREDIT = re.compile(
    rf"(?<=[。！？”’）)…])[\s\u3000]*((?:{_ROLE_WORDS.pattern})[\s\u3000]*[^。！？，,；;]{{2,30}})$")


def _credit_names(line: str) -> list[str]:
    """The names of a paragraph that is a credit and nothing else (本报记者  左妍；首席记者
    潘高峰；记者 张三 通讯员 李四), else []."""
    credit = _FILED_FROM.sub("", line.strip())
    if len(credit) > 40 or not (_CREDIT_START.match(byline_text(credit))
                                or _ROLE_AFTER.search(credit)):
        return []
    found = names_from_author(credit)
    rest = _ROLE_AFTER.sub("", _ROLE_WORDS.sub("", byline_text(credit)))
    if not found or any(n not in found for n in split_names(rest) if n):
        return []
    return found


def _closing_bylines(body: list[str]) -> tuple[list[str], list[str]]:
    """Where nothing above the text credits it, the credit a paper prints at its end or as
    its first line by shape: (body, names).

    - a last paragraph that is a credit alone (本报记者  左妍; 本报记者 张三 通讯员 李四)
      is the byline, not text (a closing credit in brackets, （张三）, stays text; with its
      role word, （本报记者 张三）, it names the reporters too);
    - a credit run on after the last sentence (…所有人了。”本报记者 杨硕) names the
      reporters and stays in the text, where it is printed;
    - a first paragraph of names alone (葛昆元, a 副刊 essay's author) over a longer text
      names the author and stays text: the archive's own articles (人民日报 1998) print an
      essay's author so, as the text's first line.
    A photo caption is never one."""
    if body:
        last = body[-1]
        names = [] if is_caption(last) or len(body) < 2 else _credit_names(last)
        if names:
            return body[:-1], names
        # a credit in brackets closing the text with its role word (（本报记者 张三 通讯员
        # 李四）) names the reporters and stays text, as the archive keeps it
        m = re.fullmatch(r"[（(]\s*([^（）()]{4,40}?)\s*[）)]", last.strip())
        if m and len(body) >= 2 and not is_caption(last) and _ROLE_WORDS.match(m[1]):
            names = _credit_names(m[1])
            if names:
                return body, names
        m = _RUN_ON_CREDIT.search(last)
        if m and not is_caption(last):
            names = _credit_names(m.group(1))
            if names:
                return body, names
    k = next((i for i, ln in enumerate(body) if not is_caption(ln)), None)
    if k is not None and k + 1 < len(body) and len(body[k]) <= 12:
        names = bare_names(body[k])
        # (over a longer text, or over the same name again: a page printing the byline
        # above a text whose first line is its author)
        if names and (len(body[k + 1]) > 2 * len(body[k])
                      or unspaced(body[k + 1]) == unspaced(body[k])):
            return body, list(names)
    return body, []


_PAGE_PREFIX = re.compile(r"^\s*第?\s*[A-Za-z]?\s*0*\d{1,3}\s*[版面]\s*[:：]?\s*")


def page_name_of(nodename: str) -> str:
    """The 版面's name from a Founder nodename: ``第01版：要闻`` and ``要闻`` give 要闻; a
    bare number or a long text (a column, not a page) gives ""."""
    name = _PAGE_PREFIX.sub("", clean(nodename)).strip()
    if not name or name.isdigit() or len(name) > 12:
        return ""
    return name


def _page_lines(body_root) -> tuple[list[Line], list, bool]:
    """The page's visible lines, chrome marked; the body anchors; whether the body is
    between ``<!--enpcontent-->`` markers."""
    anchors, enp_body = body_anchors(body_root)
    protected = {a for el in anchors for a in [el, *el.iterancestors()]}
    chrome = {el for el in body_root.iter() if isinstance(el.tag, str)
              and el not in protected and is_chrome_element(el)}
    walker = _Walker(chrome, set(anchors) if not enp_body else set(), enp_body)
    walker.walk(body_root)
    walker.flush()
    lines = walker.lines
    for line in lines:  # chrome by its words (copyright, 分享到, 放大 缩小) wherever it is
        if not line.chrome and (is_chrome_text(line.text, line.body)
                                or (line.link_only and not line.heading and line.body
                                    and len(line.text) <= 30
                                    and not is_caption(line.text))):  # (a picture's link
            # holding its caption, a slider of pictures: the caption is the text's)
            line.chrome = True
    return lines, anchors, enp_body


def _founder_tags(body_root) -> dict[str, str]:
    """The text of founder-* tags (newer templates), read straight off the tree."""
    tag_text: dict[str, str] = {}
    for el in body_root.iter():
        tag = el.tag
        if isinstance(tag, str) and tag.startswith("founder-") and tag != "founder-content":
            tag_text.setdefault(el.tag[len("founder-"):], clean(el.text_content()))
    return tag_text


# an editor's note or a labelled paragraph opening the text (编者按：…, 编后：…): text
_NOTE = re.compile(r"^[\s【\[]*(?:编者按|编者的话|编后语?|编辑手记|按)\s*[】\]]?\s*[:：]")


def _split_head(lines: list[Line], meta: dict, tag_text: dict, page_title: str,
                explicit: bool) -> tuple[list[Line], list[int]]:
    """The heading block's lines and the indexes of the body's lines.

    A body container that also holds the headline (table layouts): its leading
    heading-like lines belong to the heading block.
    """
    body_idx = [i for i, ln in enumerate(lines) if ln.body and not ln.chrome]
    head = _heading_block(lines, body_idx[0] if body_idx else len(lines))
    known = [v for v in (meta.get("title"), tag_text.get("title"), meta.get("introtitle"),
                         meta.get("subtitle"), tag_text.get("introtitle"),
                         tag_text.get("subtitle")) if v]
    in_title = unspaced(page_title)

    # the headline's own wrapper inside a guessed container (a div holding only the <h1>
    # and the short lines around it): every line in it is a heading, whatever its class
    groups = set()
    for i in body_idx[:8]:
        h = lines[i]
        if re.fullmatch(r"h[1-3]", h.heading) and h.el is not None:
            group = h.el.getparent()
            kids = [c for c in group if isinstance(c.tag, str)] if group is not None else []
            if (group is not None and 2 <= len(kids) <= 4 and _text_len(group) <= 160
                    and all(_text_len(c) <= 60 for c in kids)
                    and not any(x is not None and (x is group or group in x.iterancestors())
                                for x in [lines[j].el for j in body_idx[-1:]])):
                groups.add(group)

    def heading_like(ln: Line) -> bool:
        if ln.heading or any(unspaced(ln.text) == unspaced(k) for k in known):
            return True
        if groups and ln.el is not None and any(
                g is ln.el or g in ln.el.iterancestors() for g in groups):
            return not is_caption(ln.text)
        if is_caption(ln.text) or _NOTE.match(ln.text):
            return False  # a photo caption or an editor's note, however loud or classed
        return not explicit and bool(
            _role_of(ln) or _heading_rank(ln)[0] == 1
            or (len(unspaced(ln.text)) >= 4 and unspaced(ln.text) in in_title)
            or (_visual(ln) >= 1 and len(ln.text) <= 60 and not ln.text.endswith("。")))

    # a guessed container may hold the headline block (kicker, title, info) above the text:
    # everything up to its last heading-like line among the first few goes to the head
    last = max((k for k, i in enumerate(body_idx[:8]) if heading_like(lines[i])), default=-1)
    if not explicit and last >= 0:
        last = min(last, len(body_idx) - 2)
    weight: dict[str, int] = {}  # the text's own tag: the one holding most characters
    for i in body_idx:  # (headings and info lines above a short text are not the text)
        if lines[i].tags and not heading_like(lines[i]) and not _is_info(lines[i]):
            weight[lines[i].tags[0]] = weight.get(lines[i].tags[0], 0) + len(lines[i].text)
    text_tag = max(sorted(weight), key=weight.__getitem__) if weight else ""
    moved_heading = False
    while len(body_idx) > 1:  # the last line stays: a caption may be all the text there is
        ln = lines[body_idx[0]]
        heading = heading_like(ln)
        if _SOURCE_LINE.match(ln.text) or (_SOURCE_LABEL.match(ln.text) and len(ln.text) <= 40):
            moved = True  # 《大河报》： alone, 来源：羊城晚报 2024-01-05 opening it: never text
        elif explicit:  # a marked body: only headings and labelled info lines are not text
            moved = heading or (_INFO_START.match(ln.text) and len(ln.text) <= 40)
        else:
            # an author or date line printed like the paragraphs of the text (one more
            # <P> of the run) is the text's; printed apart (centred, in its own cell) it is not
            apart = not ln.tags or ln.tags[0] != text_tag
            moved = last >= 0 or heading or (moved_heading and apart and (
                _is_author_line(ln) or (_is_info(ln) and len(ln.text) < 60)))
        if not moved:
            break
        last -= 1
        moved_heading = moved_heading or heading
        head.append(ln)
        body_idx.pop(0)
    return head, body_idx


def _headlines(heads: list[Line], nodename: str, page_title: str) -> list[Line]:
    """Heading lines without the 版面 name and the paper's name (masthead even when
    printed as plain text, as the <title> gives it)."""
    site = {unspaced(p) for p in re.split(r"\s+[-_|｜—–]+\s+|[-_|｜—–]{1,2}", page_title)
            if re.search(r"(?:日报|晚报|时报|商报|周报|导报|数字报|电子版|报社|新闻网)\s*$", p)}
    return [ln for ln in heads if not (nodename and unspaced(ln.text) == unspaced(nodename))
            and unspaced(ln.text) not in site and not _paper_link_bar(ln, page_title)]


def _paper_link_bar(line: Line, page_title: str) -> bool:
    """A bar of links around the paper's name (返回 | 湖北日报): without its links, what is
    left is a paper's name the page's <title> holds."""
    if not line.links or line.el is None:
        return False
    rest = unspaced(line.text)
    for a in line.el.iter("a"):
        rest = rest.replace(unspaced(a.text_content()), "", 1)
    # the page's <title> names the paper, or the links are only the way back (a mobile
    # page's top bar: 返回 | 湖南日报, its <title> the article's)
    back = all(_BACK_LINK.fullmatch(unspaced(a.text_content())) for a in line.el.iter("a"))
    return (2 <= len(rest) <= 12 and (rest in unspaced(page_title) or back)
            and bool(re.search(r"[日晚早商时周导]报$|工人报$", rest)))


_BACK_LINK = re.compile(r"返回|后退|首页|主页|目录|往期|<|＜|‹|«|←")


def _without_trailing_tools(body: list[str]) -> list[str]:
    """The text without what a page prints after it inside the same cell: a back-issues,
    print or pager line (往期回顾：请选择日期…), a share bar, a copyright line — however
    long, since it follows the last paragraph.  A 责任编辑 line printed as the text's last
    paragraph stays: papers set it so in the text itself (本版责任编辑：…), and dropping it
    would lose a line of the article."""
    while len(body) > 1:
        last = body[-1]
        if len(last) <= 80 and (_TOOLS.match(last) or _SHARE.search(last)
                                or re.search(r"版权所有|copyright|©|ICP[备证]", last, re.I)):
            body = body[:-1]
        else:
            break
    return body


_EDITOR_LINE = re.compile(r"^[\s【\[]*(?:本版)?(?:责任编辑|责编|编辑|校对|美编)\s*[:：]")


def _without_editor_apart(lines: list[Line], body_idx: list[int]) -> list[int]:
    """The text's lines without a 责任编辑 line printed after it in an element of its own
    (a sibling of the text's container, not one more paragraph of its run): page furniture.
    Set as the text's last paragraph, beside the others, it stays the text's."""
    while len(body_idx) > 1:
        last, prev = lines[body_idx[-1]], lines[body_idx[-2]]
        if (len(last.text) <= 30 and _EDITOR_LINE.match(last.text) and last.el is not None
                and prev.el is not None and last.el is not prev.el
                and last.el.getparent() is not prev.el.getparent()):
            body_idx = body_idx[:-1]
        else:
            break
    return body_idx


def _visual(line: Line) -> float:
    """How loudly a plain line is printed: the font size of a <font size> or a CSS
    font-size that holds it, +2 when it is all bold, +1 centred (pages without heading
    markup mark headlines only so)."""
    own = unspaced(line.text)
    score = 0.0
    el = line.el
    if el is None or not own:
        return score
    # one of several lines of a cell cut by <br> (引题<br><strong>标题</strong><br>副题): only
    # what sets this line itself counts, an element holding its words and no others
    shared = _text_len(el) >= len(own) + 2 and next(el.iter("br"), None) is not None
    for sub in el.iter():
        held = len(unspaced(sub.text_content())) if isinstance(sub.tag, str) else 0
        if shared and (sub is el or unspaced(sub.text_content()) != own):
            continue
        if held < 0.8 * len(own) or held > 1.5 * len(own) + 8:
            continue  # a size set on a whole text of <br> lines says nothing of one line
        style = (sub.get("style") or "").lower()
        # the last size set wins (a class's size, then the inline style's)
        px = ([None] + re.findall(r"font-size\s*:\s*(\d*\.?\d+)\s*(px|pt|r?em)", style))[-1]
        if px:  # CSS sizes on the scale of <font size>: 16px ≈ 3, 24px ≈ 5, 32px ≈ 6
            scale = {"pt": 4 / 3, "px": 1}.get(px[1], 16)  # 1rem = 16px
            score = max(score, float(px[0]) * scale / 5 - 0.2)
        size = (sub.get("size") or "").strip() if sub.tag == "font" else ""
        if re.fullmatch(r"[+-]?\d", size):  # +2 is relative to the default 3
            score = max(score, float(size) + (3 if size[0] in "+-" else 0))
        elif sub.tag in ("b", "strong") or re.search(r"font-weight\s*:\s*(?:bold|[6-9]00)",
                                                      style):
            score += 2
    if "center" in line.tags[:3] or (el.get("align") or "").lower() == "center":
        score += 1
    return score


@dataclass
class Evidence:
    """What the page says of its article beyond the heading block: the text of its links
    (the 版面's list of headlines names the article) and the text's opening."""

    links: frozenset = frozenset()
    lead: str = ""


def _bigrams(text: str) -> set:
    han = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {han[i:i + 2] for i in range(len(han) - 1)}


def echo(line: str, lead: str) -> float:
    """The share of a headline's two-character words that the text's opening repeats."""
    grams = _bigrams(line)
    return len(grams & _bigrams(lead)) / len(grams) if grams else 0.0


def _two_alike(tagged: list[Line], ev: Evidence, notes: dict) -> Line:
    """The title of two headline lines nothing in the markup tells apart: the one the page's
    list of headlines names, else the one whose words the text's opening repeats (a title
    is echoed by its lead; a 引题's or 副题's framing seldom is), else the second — the first
    then reads as the 引题, so that no 副题 is invented from a guess."""
    a, b = tagged
    dashed = [ln for ln in tagged if unspaced(ln.text).startswith(("——", "—", "--"))]
    if len(dashed) == 1:
        notes["title_by"] = "另一行以破折号开头，是副题"
        return a if dashed[0] is b else b
    # the picture mark a headline carries (（图）, （图片）, （附图片１张）) is printed on the
    # title, never on its 引题 or 副题
    marked = [ln for ln in tagged if _PICTURE_NOTE.search(ln.text)]
    if len(marked) == 1:
        notes["title_by"] = "这一行带配图记号" + _PICTURE_NOTE.search(marked[0].text).group()
        return marked[0]
    named = [ln for ln in tagged if unspaced(ln.text) in ev.links]
    if len(named) == 1:
        notes["title_by"] = "版面的标题列表里有这一行"
        return named[0]
    ea, eb = echo(a.text, ev.lead), echo(b.text, ev.lead)
    # (a name the text's dateline repeats, 刘儒庭 under a 引题, says nothing of a title)
    if max(ea, eb) >= 0.3 and abs(ea - eb) >= 0.2 and not _whole_names(
            (a if ea > eb else b).text):
        notes["title_by"] = f"正文开头重复这一行的词（{max(ea, eb):.0%} 对 {min(ea, eb):.0%}）"
        return a if ea > eb else b
    notes["title_by"] = "两行印得一样、别处也分不出：后一行作标题，前一行作引题（不猜副题）"
    return b


def _pick_title(heads: list[Line], page_title: str, ev: Evidence | None = None,
                notes: dict | None = None) -> Line:
    """The most title-like visible heading: founder-title, a title class, the highest
    <h…>; among plain lines the loudest, the one whose class no other line shares, the one
    the page's <title> holds; a line opening with a dash is a 副题.  Two lines nothing
    sets apart are told by the rest of the page (:func:`_two_alike`)."""
    notes = {} if notes is None else notes
    tagged = [ln for ln in heads if _role_of(ln) not in ("kicker", "subtitle")] or heads
    # an <h1> is the page's headline: a lower <h2>…<h6> whose class says "title"
    # (leading_title, sub_title) is a kind of title beside it, never above it
    h1 = any(ln.heading == "h1" for ln in tagged)

    def rank(ln: Line) -> tuple[int, int]:
        r = _heading_rank(ln)
        if h1 and r[0] == 1 and re.fullmatch(r"h[2-6]", ln.heading):
            return (2, int(ln.heading[1]))
        return r
    in_title = {id(ln) for ln in tagged if len(unspaced(ln.text)) >= 2
                and unspaced(ln.text) in unspaced(page_title)}
    classes = [ln.el.get("class") if ln.el is not None else None for ln in tagged]
    # font01 / font02, bt / bt1 / bt2: one stem numbered like h1 / h2, the lowest the loudest
    numbered = [re.fullmatch(r"([A-Za-z_\-]+?)0*(\d*)", c or "") for c in classes]
    stems = {m[1] for m in numbered if m}
    ranked = len(stems) == 1 and len({c for c in classes}) > 1 and all(numbered)

    # every class printed in the heading block's container, empty rows too: a template
    # prints its unused 引题/副题 rows empty, in the class they share
    scope = _common_container([ln.el for ln in tagged if ln.el is not None])
    printed = [x.get("class") for x in scope.iter() if isinstance(x.tag, str)
               and x.get("class")] if scope is not None else []

    def key(ln: Line):
        cls = ln.el.get("class") if ln.el is not None else None
        # a class of its own tells only where other lines share one (three lines in three
        # classes say nothing: a redesign's meaningless names)
        unique = bool(cls) and classes.count(cls) == 1 and len(set(classes)) > 1 and (
            len(tagged) == 2 or len(set(classes)) < len(classes))
        if unique and len(tagged) == 2:  # two lines, two classes: the one no empty row shares
            unique = printed.count(cls) == 1 and any(printed.count(c) > 1
                                                     for c in classes if c and c != cls)
        number = int(re.sub(r"\D", "", cls) or 0) if ranked and cls else 0
        return (rank(ln), unspaced(ln.text).startswith(("——", "—", "--")),
                -_visual(ln), number, 0 if unique else 1, 0 if id(ln) in in_title else 1)

    best = min(tagged, key=key)
    plain = all(rank(ln)[0] == 3 for ln in tagged)
    # alike: the same rank, loudness, number and class standing (a line opening with a dash
    # set aside: it is the 副题 whatever it looks like)
    alike = not key(best)[1] and key(best)[4] == 1 and all(
        key(ln)[:1] + key(ln)[2:5] == key(best)[:1] + key(best)[2:5] for ln in tagged)
    if plain and not ranked and alike and id(best) not in in_title:
        # nothing tells the lines apart: the middle of three slots (a template prints its
        # unused 引题 or 副题 slot empty beside them), else the middle of three, else the first
        slot = _slot_title(tagged)
        if slot is not None:
            best = slot
        elif len(tagged) == 3:
            best = tagged[1]
        elif len(tagged) == 2 and ev is not None:
            best = _two_alike(tagged, ev, notes)
        else:
            best = tagged[0]
    return best


def _empty_slot(el, tag: str) -> bool:
    return (isinstance(el.tag, str) and el.tag == tag and not clean(el.text_content())
            and next(el.iter("img"), None) is None)


def _slot_title(lines: list[Line]) -> Line | None:
    """The title of two headline lines printed alike, by the slots around them: two
    consecutive siblings of one tag with an empty sibling of that tag just before or after
    fill three slots (引题, 标题, 副题), and the middle slot is the title's.  None when the
    slots do not tell (no empty slot, or the middle one empty)."""
    els = [ln.el for ln in lines]
    if len(lines) != 2 or any(e is None for e in els):
        return None
    parent, tag = els[0].getparent(), els[0].tag
    if parent is None or any(e.getparent() is not parent or e.tag != tag for e in els):
        return None
    kids = [c for c in parent if isinstance(c.tag, str)]
    at = [kids.index(e) for e in els]
    if at[1] != at[0] + 1:
        return None
    lo, hi = at[0], at[1]
    while lo > 0 and _empty_slot(kids[lo - 1], tag):
        lo -= 1
    while hi + 1 < len(kids) and _empty_slot(kids[hi + 1], tag):
        hi += 1
    if hi - lo != 2:
        return None
    return next((ln for ln in lines if ln.el is kids[lo + 1]), None)


def _common_container(els: list):
    """The nearest element holding all of ``els`` (None for none)."""
    if not els:
        return None
    chain = [els[0], *els[0].iterancestors()]
    for node in chain[1:] if len(els) > 1 else chain[1:2]:
        if all(node in e.iterancestors() for e in els):
            return node
    return None


# the mark a template adds to a headline that has pictures with it (标题（图）): not the
# headline's words
_PICTURE_MARK = re.compile(r"\s*[（(](?:图|组图|多图)[）)]\s*$")
# any picture note closing a headline, the archive's own (（图片）, （附图片１张）) too
_PICTURE_NOTE = re.compile(
    r"[（(](?:图|组图|多图|图片|附图片?[\d０-９一二三四五六七八九十]*张?)[）)]\s*$")


def _titles(heads: list[Line], meta: dict, tag_text: dict, page_title: str,
            why: dict | None = None, ev: Evidence | None = None) -> tuple[str, str, str]:
    """(title, kicker, subtitle): metadata, founder-title, then the most title-like
    visible heading; the kicker and subtitle from the record when it fills them, else from
    the visible headings around the title."""
    why = {} if why is None else why
    title = meta.get("title") or tag_text.get("title", "")
    why["title"] = ("元数据注释 <title>" if meta.get("title") else "<founder-title>" if title
                    else "")
    pos = next((i for i, ln in enumerate(heads) if _same(ln.text, title)), None) if title else None
    if not title and heads:
        notes: dict = {}
        # a partly filled comment: a line it records as the 引题 or 副题 is not the title
        roles = [v for k in ("introtitle", "subtitle") for v in (meta.get(k), tag_text.get(k)) if v]
        free = [ln for ln in heads if not any(_same(ln.text, r) for r in roles)] or heads
        best = _pick_title(free, page_title, ev, notes)
        title, pos = best.text, heads.index(best)
        why["title"] = f"可见标题（{best.heading or best.tags[0] if best.tags else '行'}）"
        if notes.get("title_by"):
            why["title"] += "：" + notes["title_by"]
    if not title and page_title:
        parts = [p for p in re.split(r"\s+[-_|｜—–]+\s+|\s*[|｜_]\s*", page_title)
                 if p and not _MASTHEAD.search(p)]
        title = max(parts, key=len) if parts else ""
        why["title"] = "页面 <title>"

    marked = _PICTURE_MARK.search(title)
    if marked and len(title) > marked.end() - marked.start() + 1:
        title = title[:marked.start()]
        why["title"] += "，去掉标题后的配图记号" + marked.group().strip()
    recorded = bool(meta.get("title")) or "title" in tag_text
    kicker = meta.get("introtitle") or tag_text.get("introtitle", "")
    subtitle = meta.get("subtitle") or tag_text.get("subtitle", "")
    if kicker:
        why["kicker"] = ("元数据注释 <introtitle>" if meta.get("introtitle")
                         else "<founder-introtitle>")
    if subtitle:
        why["subtitle"] = ("元数据注释 <subtitle>" if meta.get("subtitle")
                           else "<founder-subtitle>")
    if pos is None and recorded:
        # the record's title is not printed: what is visible is another headline
        return title, kicker, subtitle
    kick = [ln for ln in heads if _role_of(ln) == "kicker"]
    subs = [ln for ln in heads if _role_of(ln) == "subtitle"]
    if pos is not None:
        # a 引题 stands above its title and a 副题 below it: where a template gives both one
        # class (引题 and 副题 alike), the side of the title a line is printed on decides
        below = [ln for ln in kick if heads.index(ln) > pos]
        above = [ln for ln in subs if heads.index(ln) < pos]
        if below and not subs:
            kick, subs = [ln for ln in kick if ln not in below], below
            why["subtitle_side"] = "（引题的类名，印在标题之下）"
        elif above and not kick:
            kick, subs = above, [ln for ln in subs if ln not in above]
            why["kicker_side"] = "（副题的类名，印在标题之上）"
        # at most two lines either side: further out is page furniture, not the headline
        kick = kick or [ln for ln in heads[max(0, pos - 2):pos] if _role_of(ln) != "subtitle"]
        subs = subs or [ln for ln in heads[pos + 1:pos + 3] if _role_of(ln) != "kicker"]
    empty = "，注释里的这一项为空" if recorded else ""
    if not kicker:
        kicker = " ".join(ln.text for ln in kick if not _same(ln.text, title))
        if kicker:
            why["kicker"] = "可见标题（标题之上）" + why.pop("kicker_side", "") + empty
    if not subtitle:
        subtitle = " ".join(ln.text for ln in subs if not _same(ln.text, title))
        if subtitle:
            why["subtitle"] = "可见标题（标题之下）" + why.pop("subtitle_side", "") + empty
    why.pop("kicker_side", None)
    why.pop("subtitle_side", None)
    return title, kicker, subtitle


_PAPER_DATELINE = re.compile(r"^[\u4e00-\u9fff\d０-９]{0,16}[讯电]\s*[（(]([^（）()]{2,40})[）)]")
# the same credit printed without brackets, closed by 报道 and a colon (本报讯 记者张三报道：)
_PAPER_DATELINE_BARE = re.compile(
    r"^[\u4e00-\u9fff\d０-９]{0,16}讯\s*((?:[\u4e00-\u9fff]{0,8}记者|通讯员)[^，。：:（）()]{2,40}?)"
    r"\s*报道\s*[:：]")


def _spaced_dateline(line: str) -> list[str]:
    """The credit of a dateline printed without brackets, its names set apart by spaces and
    the text after another space (本报讯 记者 张三 李四 通讯员 王五 全市…): the names, else [].
    Each token after the role word is a name of two to four Han; the first token that is
    not one (longer, or holding punctuation) opens the text."""
    m = re.match(r"^[\u4e00-\u9fff\d０-９]{0,16}讯[\s\u3000]+", line)
    if not m:
        return []
    tokens = re.split(r"[\s\u3000]+", line[m.end():], maxsplit=12)
    credit: list[str] = []
    for tok in tokens:
        if _ROLE_WORDS.fullmatch(tok) or (credit and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", tok)
                                         and is_name(tok)):
            credit.append(tok)
            continue
        break
    else:
        return []
    rest = tokens[len(credit)] if len(credit) < len(tokens) else ""
    if not credit or not _ROLE_WORDS.fullmatch(credit[0]) or len(rest) <= 4:
        return []
    names = names_from_author(" ".join(credit))
    return names if names and all(n in credit for n in names) else []


def _reporters(meta: dict, tag_text: dict, authors: list[Line], info: list[Line],
               body_lines: list[str], credited: list[str] | None = None,
               why: dict | None = None) -> list[str]:
    """Metadata author, founder-author, an author/info line (cleaned of the date and page
    printed beside it), a byline paragraph above the text, else the body's byline (at the
    body's start, never a photo credit).  A visible line naming everyone the comment names
    and more (记者 张三 通讯员 李四 under <author>张三) is taken whole."""
    why = {} if why is None else why
    sources = [("元数据注释 <author>", meta.get("author", "")),
               ("<founder-author>", tag_text.get("author", "")),
               *(("署名行", ln.text) for ln in authors),
               *(("信息行", m.group(1)) for ln in info
                 for m in [re.search(r"((?:作者|记者)\s*[:：]\s*.+?)(?:\s{2,}|\s*[|｜丨]|$)",
                                     ln.text)] if m),
               *(("信息行里的署名", ln.text) for ln in info if _ROLE_WORDS.search(ln.text))]
    found_all = [(source, names) for source, text in sources
                 for names in [names_from_author(text) if text else []] if names]
    if found_all:
        source, names = found_all[0]
        for later, more in found_all[1:]:
            if set(names) < set(more):  # the comment names the 记者, the visible line adds
                source, names = f"{later}（比{source}多）", more  # the 通讯员: all of them
                break
        why["reporters"] = source
        return names
    if credited:
        why["reporters"] = "正文前的署名段（■…）"
        return list(credited)
    # the dateline of the text's first paragraph, below any photo caption: any paper's
    # (楚天都市报讯（记者张三 通讯员李四）…, 本报北京1月4日讯（记者…）)
    first = next((ln for ln in body_lines if not is_caption(ln)), "")
    for line in body_lines[:3]:  # (a one-line text may end as a caption does: （某某摄）)
        m = _PAPER_DATELINE.match(line)
        if m and _ROLE_WORDS.search(m.group(1)) and (names := names_from_author(m.group(1))):
            why["reporters"] = "正文首段的电头署名（…讯（记者…））"
            return names
        m = _PAPER_DATELINE_BARE.match(line)
        if m and (names := names_from_author(m.group(1))):
            why["reporters"] = "正文首段的电头署名（…讯 记者…报道：）"
            return names
        if names := _spaced_dateline(line):
            why["reporters"] = "正文首段的电头署名（…讯 记者 张三 李四 正文）"
            return names
        if line == first:
            break
    if first:
        found = parse_byline(first)
        if found and found.start <= 2:
            why["reporters"] = "正文首段的电头署名"
            return list(found.reporters)
    return []


_CURRENT = re.compile(r"(?:^|[\s_\-])(?:current|cur|active|on|selected|now|sel|hover)"
                      r"(?:$|[\s_\-])", re.I)


def _printed_pages(body_root, anchors: list) -> list[tuple[str, str]]:
    """版面 printed anywhere outside the text: a side cell or bar (第A02版：经济, 版次：A04,
    第02版 beside 上一版/下一版), one of a list marked current; never one of a list of 版面
    links, never in the text.  (page, where) in document order."""
    inside = {el for a in anchors for el in a.iter()}
    found: list[tuple[str, str, object]] = []
    for el in body_root.iter():
        if not isinstance(el.tag, str) or el in inside:
            continue
        if _CURRENT.search(hint(el)) or el.get("selected") is not None:
            # the entry a list marks as this page's (<option selected>, li.current) stands
            # for the page, whatever list it is in
            text = clean(el.text_content())
            if len(text) <= 30 and len(_PAGE_TEXT.findall(text)) == 1 and page_in(text):
                found.append((page_in(text), "版面列表中标为当前的：" + text, None))
                continue
        own = clean((el.text or "") + "".join(c.tail or "" for c in el))
        if own and len(own) <= 60 and len(_PAGE_TEXT.findall(own)) == 1:
            value = page_in(own)
            if value and el.tag == "a":  # a 版面 link: the page's own only standing alone
                if _lone_link(el):
                    # a link alone in its cell is still a row of a 版面 table (第01版 | PDF):
                    # the rows' table decides whether it is a list
                    row = next((r for r in el.iterancestors("tr", "li")), None)
                    found.append((value, "页面上印的版面（单独的链接）：" + own[:24],
                                  row.getparent() if row is not None else None))
                continue
            link = next((a for a in el.iterancestors("a")), None)
            if value:  # text inside a link stands for the link: <li><a><b>第02版</b></a></li>
                found.append((value, "页面上印的版面：" + own[:24],
                              (link if link is not None else el).getparent()))
    # 版面 that differ under one parent or grandparent are a list (options, rows of a 版面
    # table), whatever marks them; the same 版面 printed twice is not
    def groups(parent) -> list:
        if parent is None:
            return []
        # cells of rows: the table is the list — rows a redesign prints as <div>s too
        # (<div><div>第01版</div><div><a>要闻</a></div></div>, one row a 版面)
        row = parent.tag in ("tr", "li", "dd", "dt") or (
            parent.tag == "div" and len(clean(parent.text_content())) <= 30
            and len([c for c in parent if isinstance(c.tag, str)]) >= 2)
        return [parent, parent.getparent()] if row and parent.getparent() is not None \
            else [parent]

    values: dict = {}
    for value, _, parent in found:
        for group in groups(parent):
            values.setdefault(group, set()).add(value)

    def listed(parent) -> bool:
        return any(len(values[g]) > 1 for g in groups(parent))

    return [(v, w) for v, w, parent in found if not listed(parent)]


def _lone_link(link) -> bool:
    """A 版面 link that is no entry of a list: going up past the wrappers that hold only it
    (<li>, <td>, <div class="swiper-slide">), none of the elements beside it is another
    entry (one 版面 and little else).  A page bar prints the current 版面 so, as a link to
    its own page above the 版面 list (北京日报's a.fm): the list beside it is one element
    holding many 版面, not an entry."""
    el = link
    while el.getparent() is not None:
        parent = el.getparent()
        if sum(1 for c in parent if isinstance(c.tag, str)) > 1 or clean(parent.text or ""):
            break
        el = parent
    parent = el.getparent()
    if parent is None:
        return True
    for other in parent:
        if other is el or not isinstance(other.tag, str):
            continue
        text = clean(other.text_content())
        if len(text) <= 30 and len(_PAGE_TEXT.findall(text)) == 1:
            return False
    return True


_NOT_OWN_PAGE = re.compile(r"[上下前后]一[版页]|首页|头版|[<>‹›«»←→]$|^[<>‹›«»←→]")


def _page_of_back_link(body_root) -> tuple[str, str] | None:
    """The 版面 of the one link to a 版面 file (node_05.html, page_05.htm) that is no
    entry of a list and no 上一版 / 下一版 / 首页: a page that prints its 版面 nowhere else
    links back to its own column (返回).  None when such links name different 版面."""
    values: dict[str, str] = {}
    for a in body_root.iter("a"):
        href = (a.get("href") or "").split("?")[0].split("#")[0]
        text = clean(a.text_content())
        if not href or _NOT_OWN_PAGE.search(text) or len(text) > 12:
            continue
        if re.search(r"\.(?:jpe?g|png|gif|pdf)$", href, re.I):
            continue
        value = page_from_path(os.path.basename(href))
        if value and _lone_link(a):
            values.setdefault(value, f"链回本版的链接：{os.path.basename(href)}（{text}）")
    return next(iter(values.items())) if len(values) == 1 else None


def _look(entry) -> tuple:
    """How an entry of a list is printed, apart from where it links: its elements' tags,
    classes, ids and styles."""
    return tuple((x.tag, x.get("class") or "", x.get("id") or "", x.get("style") or "",
                  x.get("color") or "") for x in entry.iter() if isinstance(x.tag, str))


def _page_of_odd_entry(body_root) -> tuple[str, str] | None:
    """The 版面 of the one entry of a 版面 list printed unlike all the others (its own
    class, style or markup: the current one, whatever the class is called), when the others
    are printed alike.  A first/last/odd/even class marks a place in the list, not the page."""
    found: set = set()
    for parent in body_root.iter():
        if not isinstance(parent.tag, str):
            continue
        kids = [c for c in parent if isinstance(c.tag, str)]
        if len(kids) < 3 or len({c.tag for c in kids}) != 1:
            continue
        texts = [clean(c.text_content()) for c in kids]
        pages = [page_in(t) if len(t) <= 30 and len(_PAGE_TEXT.findall(t)) == 1 else None
                 for t in texts]
        if None in pages or len(set(pages)) != len(pages):
            continue
        looks = [_look(c) for c in kids]
        odd = [i for i, lk in enumerate(looks) if looks.count(lk) == 1]
        if len(odd) != 1 or len(set(looks)) != 2:
            continue
        marks = " ".join(f"{x.get('class') or ''} {x.get('id') or ''}"
                         for x in kids[odd[0]].iter() if isinstance(x.tag, str))
        if re.search(r"first|last|odd|even|end", marks, re.I):
            continue
        found.add((pages[odd[0]], "版面列表中印得与众不同的一项：" + texts[odd[0]][:24]))
    return found.pop() if len(found) == 1 else None


def _page_of_nodename(body_root, nodename: str) -> str | None:
    """The 版面 whose entry in the page's 版面 list carries the metadata's nodename
    (第04版 | 要闻 in a table row, 第04版：要闻 in a link), when exactly one does."""
    name = unspaced(page_name_of(nodename) or nodename)
    if not name or body_root is None:
        return None
    pattern = re.compile(r"第?[A-Za-z]?\d{1,3}版[:：]?" + re.escape(name))
    found = {page_in(m.group(0)) for el in body_root.iter("tr", "li", "a", "option", "div",
                                                             "p", "td")
             if len(unspaced(el.text_content())) <= 30
             for m in [pattern.fullmatch(unspaced(el.text_content()))] if m}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def _page(meta: dict, tag_text: dict, info: list[Line], lines: list[Line],
          urls: list[str], body_root=None, anchors: list | None = None,
          why: dict | None = None) -> str | None:
    why = {} if why is None else why
    for key, value in meta.items():
        if re.search(r"page|banmian|^bm|layout|edition|^ban", key) and "id" not in key:
            found = page_number(value) or page_in(value)
            if found:
                why["page"] = f"元数据 <{key}>"
                return found
    for key, value in [*meta.items(), *tag_text.items()]:
        if key.startswith(("node", "page", "ban")) and "id" not in key:
            found = page_in(value)
            if found:
                why["page"] = f"元数据 <{key}>"
                return found
    for ln in info:
        found = page_in(ln.text)
        if found:
            why["page"] = "信息行：" + ln.text[:30]
            return found
    printed = _printed_pages(body_root, anchors or []) if body_root is not None else []
    values = {v for v, _ in printed}
    if len(values) == 1:
        why["page"] = printed[0][1]
        return printed[0][0]
    for url in urls:
        found = page_from_path(url) if url else None
        if found:
            why["page"] = "文件名：" + os.path.basename(url)
            return found
    # the record's 版面 name picks its entry of a list before "the first of several"
    found = _page_of_nodename(body_root, meta.get("nodename", ""))
    if found:
        why["page"] = "版面列表中与 nodename 同名的一版"
        return found
    found = _page_of_back_link(body_root) if body_root is not None else None
    if found:
        why["page"] = found[1]
        return found[0]
    found = _page_of_odd_entry(body_root) if body_root is not None else None
    if found:
        why["page"] = found[1]
        return found[0]
    if printed:  # pages printed that disagree: the first, nearest the masthead
        why["page"] = printed[0][1] + "（页面上印的版面不止一个）"
        return printed[0][0]
    return None
