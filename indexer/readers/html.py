"""E-paper HTML: one article per page, or one per ``<article>`` element.

The headline is the first ``<h1>`` (else ``<title>``); ``<h2>``/``<h3>`` before the
body are the subtitle; paragraphs are ``<p>`` (or the text of the container).
The date comes from ``--date``, a ``<meta name="date">``/``<time datetime>``, the
file name, or a printed date line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from search.document import Article

from ..encoding import Unreadable, read_text
from ..records import Loaded, Rejection, date_from_filename, parse_date, split_names

_BLOCK = {"p", "div", "br", "li", "section", "tr", "h1", "h2", "h3", "h4"}
_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "form", "aside"}


class _Doc:
    def __init__(self):
        self.title = ""
        self.subtitles: list[str] = []
        self.paragraphs: list[str] = []
        self.reporters: list[str] = []


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.docs: list[_Doc] = []
        self.page = _Doc()
        self.current = self.page
        self.page_title = ""
        self.meta_date = None
        self.stack: list[str] = []
        self.skip = 0
        self.buf: list[str] = []
        self.capture: str | None = None

    def _flush(self):
        text = " ".join("".join(self.buf).split())
        self.buf = []
        if not text:
            return
        kind = self.capture
        if kind == "title":
            self.page_title = self.page_title or text
        elif kind == "h1" and not self.current.title:
            self.current.title = text
        elif kind in ("h2", "h3") and not self.current.paragraphs:
            self.current.subtitles.append(text)
        elif kind == "byline":
            names = re.sub(r"(本报)?(记者|通讯员|作者)[:：]?", " ", text)
            self.current.reporters.extend(split_names(names))
        else:
            self.current.paragraphs.append(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in _SKIP:
            self.skip += 1
            return
        if tag == "meta" and (attrs.get("name") or attrs.get("property") or "").lower() in (
                "date", "publishdate", "article:published_time", "pubdate"):
            self.meta_date = self.meta_date or parse_date((attrs.get("content") or "")[:10])
        if tag == "time" and attrs.get("datetime"):
            self.meta_date = self.meta_date or parse_date(attrs["datetime"][:10])
        if tag == "article":
            self._flush()
            self.current = _Doc()
            self.docs.append(self.current)
        if tag in _BLOCK or tag == "title":
            self._flush()
            cls = (attrs.get("class") or "") + " " + (attrs.get("id") or "")
            if tag in ("title", "h1", "h2", "h3"):
                self.capture = tag
            elif re.search(r"author|byline|reporter", cls, re.I):
                self.capture = "byline"
            else:
                self.capture = None

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag in _BLOCK or tag in ("title", "article"):
            self._flush()
            self.capture = None
        if tag == "article":
            self.current = self.page

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)


def read_html(path: str, date: str | None = None) -> Iterator[Loaded | Rejection]:
    from ..byline import parse_byline

    try:
        text = read_text(path)
    except Unreadable as exc:
        yield Rejection(path, "", str(exc))
        return
    parser = _Parser()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this is a last resort
        yield Rejection(path, "", f"unparseable HTML ({exc})")
        return
    parser._flush()
    docs = [d for d in parser.docs if d.title or d.paragraphs] or [parser.page]
    issue_date = date or parser.meta_date or date_from_filename(os.path.basename(path))
    if not issue_date:
        m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
        issue_date = parse_date(m.group(0)) if m else None
    if not issue_date:
        yield Rejection(path, "", "no date: give --date YYYY-MM-DD, a <meta name=\"date\">, "
                        "or a date in the file name")
        return
    for number, doc in enumerate(docs, 1):
        title = doc.title or (parser.page_title if len(docs) == 1 else "")
        body = "\n".join(doc.paragraphs)
        if not title and not body:
            yield Rejection(path, f"article {number}", "no headline and no text")
            continue
        reporters = list(doc.reporters)
        if not reporters and doc.paragraphs:
            found = parse_byline(doc.paragraphs[0]) or parse_byline(doc.paragraphs[-1])
            reporters = list(found.reporters) if found else []
        yield Loaded(Article(title=title, subtitle=" ".join(doc.subtitles), body=body,
                             date=issue_date, reporters=reporters), path, f"article {number}")
