"""HTML pages: Founder e-paper article pages, else generic HTML (one article per page or
per ``<article>`` element).

Which reader a page gets is decided by its content, not its name: a page with Founder
markers (``enpproperty``/``enpcontent`` comments, ``<founder-…>`` tags, ``div#ozoom``), a
版面 list, or no ``<article>`` element at all (old e-paper pages without any marker: one
article a page, found by its content) goes to :mod:`.epaper`.  Pages with ``<article>``
elements: the headline is the first ``<h1>`` (else ``<title>``); ``<h2>``/``<h3>`` before
the body are the subtitle; an element classed author/byline gives the reporters.  Both use
lxml (libxml2 copes with the broken markup of real pages) and the same structural chrome
tests, so link lists, copyright and share bars stay out of bodies either way.  A page with
no article text is a rejection, not an empty article.  The date comes from ``--date``, the
page's own metadata, the file name, or a printed date.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from search.document import Article

from ..encoding import Unreadable
from ..records import Loaded, Rejection, date_from_filename, parse_date
from .epaper import (
    _Walker,
    date_in,
    is_chrome_element,
    is_chrome_text,
    looks_like_epaper,
    names_from_author,
    paper_name_of,
    parse_tree,
    read_epaper,
)
from .htmlenc import read_html_text

NO_ARTICLE = ("no article in this HTML page (only site chrome: an index or navigation page, "
              "or an empty template)")
NO_DATE = ("no date: give --date YYYY-MM-DD, a <meta name=\"date\">, or a date in the file name")
_META_DATES = ("date", "publishdate", "article:published_time", "pubdate")
# ``index --dry-run`` shows where each field of an e-paper page came from (notes so marked)
SOURCE = "来源："
_LABELS = (("kicker", "引题"), ("title", "标题"), ("subtitle", "副题"), ("reporters", "记者"),
           ("date", "日期"), ("page", "版面"), ("paper", "报名"), ("body", "正文"))


def read_html(path: str, date: str | None = None) -> Iterator[Loaded | Rejection]:
    """The article(s) of one HTML file; Founder e-paper pages go to :func:`read_epaper`."""
    try:
        text = read_html_text(path)
    except Unreadable as exc:
        yield Rejection(path, "", str(exc))
        return
    try:
        root = parse_tree(text)
    except Exception as exc:  # libxml2 is lenient; this is a last resort
        yield Rejection(path, "", f"unparseable HTML ({exc})")
        return
    if looks_like_epaper(text) or next(root.iter("article"), None) is None:
        # one article a page, whatever marks it: read by its content (headings above the
        # densest block of text), as e-paper pages without Founder markers need
        yield from _founder(path, text, root, date)
    else:
        yield from _generic(path, text, root, date)


def _founder(path: str, text: str, root, date: str | None) -> Iterator[Loaded | Rejection]:
    page = read_epaper(text, path, root)
    if not page.body:
        yield Rejection(path, "", NO_ARTICLE)
        return
    issue_date = date or page.date
    if not issue_date:
        yield Rejection(path, "", NO_DATE)
        return
    why = dict(page.why, date="--date") if date else page.why
    notes = [f"{SOURCE}{label} ← {why[key]}" for key, label in _LABELS if why.get(key)]
    yield Loaded(Article(title=page.title, kicker=page.kicker, subtitle=page.subtitle,
                         body=page.body, date=issue_date, reporters=page.reporters,
                         page=page.page, page_name=page.page_name),
                 path, "article 1", notes, printed_paper=page.paper)


def _generic(path: str, text: str, root, date: str | None) -> Iterator[Loaded | Rejection]:
    body_root = root.find("body") if root.find("body") is not None else root
    articles = list(body_root.iter("article"))
    protected = {a for el in articles for a in [el, *el.iterancestors()]}
    chrome = {el for el in body_root.iter() if isinstance(el.tag, str) and el not in protected
              and is_chrome_element(el)}
    meta_date = None
    for el in root.iter("meta", "time"):
        key = (el.get("name") or el.get("property") or "").lower()
        if el.tag == "meta" and key in _META_DATES:
            meta_date = meta_date or parse_date((el.get("content") or "")[:10])
        elif el.tag == "time" and el.get("datetime"):
            meta_date = meta_date or parse_date(el.get("datetime")[:10])
    page_title = " ".join(" ".join(t.text_content().split()) for t in root.iter("title"))
    metatags = {(el.get("name") or el.get("property") or "").lower(): el.get("content") or ""
                for el in root.iter("meta")}
    paper = paper_name_of(metatags, page_title)[0]
    units = articles or [body_root]
    docs = []
    for unit in units:
        walker = _Walker(chrome, set(), False)
        walker.walk(unit)
        walker.flush()
        title, subtitles, reporters, paragraphs = "", [], [], []
        for line in walker.lines:
            if line.chrome or is_chrome_text(line.text, True) or (
                    line.link_only and len(line.text) <= 30 and not line.heading):
                continue
            if line.heading == "h1" and not title:
                title = line.text
            elif line.heading in ("h2", "h3") and not paragraphs:
                subtitles.append(line.text)
            elif re.search(r"author|byline|reporter", line.hints.split(" ")[0] if line.hints
                           else "", re.I):
                reporters.extend(n for n in names_from_author(line.text) if n not in reporters)
            else:
                paragraphs.append(line.text)
        docs.append((title, subtitles, reporters, paragraphs))
    issue_date = (date or meta_date or date_from_filename(os.path.basename(path))
                  or date_in(" ".join(page_title.split())) or date_in(text))
    found = [d for d in docs if d[3]]
    if not found:
        yield Rejection(path, "", NO_ARTICLE)
        return
    if not issue_date:
        yield Rejection(path, "", NO_DATE)
        return
    from ..byline import parse_byline

    for number, (title, subtitles, reporters, paragraphs) in enumerate(found, 1):
        title = title or (page_title if len(found) == 1 else "")
        if not reporters:
            byline = parse_byline(paragraphs[0]) or parse_byline(paragraphs[-1])
            reporters = list(byline.reporters) if byline else []
        yield Loaded(Article(title=title, subtitle=" ".join(subtitles),
                             body="\n".join(paragraphs), date=issue_date, reporters=reporters),
                     path, f"article {number}", printed_paper=paper)
