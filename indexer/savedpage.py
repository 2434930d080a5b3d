"""Pages saved by a scraper that marks every title: one record per article.

Why: public scrapers of e-paper sites save a 版面's articles as records rather than as the
page's text: ``标题：…`` / ``作者：…`` fields over the body (with a header of 日期： /
版面： / 链接： lines and a rule of dashes per article), or ``【标题】`` lines between rules of
``====``.  On such a page the saver, not the typography, says where each article starts,
so the splitter's line-by-line headline evidence is not needed and would mislead (a lone
author line, a short first line, a verse line look like titles on a page with no gaps).

The decision is made once for the whole page and only on the page's own evidence: every
title line must be marked the same way and every record must open with one.  A page that
merely prints a 【栏目】 kicker or a ``标题：`` inside a story is not such a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_WS = " \t\u3000\u00a0\ufeff"
_LABEL_TITLE = re.compile(r"^标题[：:]\s*(\S.{0,79})$")
_LABEL_AUTHOR = re.compile(r"^作者[：:]\s*(.*)$")
# the per-article header fields such savers write over each record
_LABEL_HEADER = re.compile(r"^(?:日期|时间|发布时间|版面|版次|版名|链接|网址|来源|原文链接|URL|url)"
                           r"[：:]")
_RULE = re.compile(r"^(?:[=＝]{10,}|[-－]{10,}|[*＊]{10,}|[#＃]{10,}|[—]{10,}|[_＿]{10,})$")
_BRACKET_TITLE = re.compile(r"^【([^【】]{2,80})】$")
_GLUED_TITLE = re.compile(r"(?<=[。！？”）)])(?=标题[：:])")


@dataclass
class Record:
    """One saved article: its marked title, its lines, and the saver's lines around it."""

    title: str
    lines: list[str] = field(default_factory=list)  # the body's non-blank lines, as printed
    author: str = ""  # the value of a ``作者：`` field ("" when none)
    header: list[str] = field(default_factory=list)  # 日期： / 版面： / 链接： / rules / repeats
    why: str = ""


def _strip(line: str) -> str:
    return line.strip(_WS)


_LEAD_LINES = 3  # lines a saver's file may print before its first record (a paper's name, a date)


def _first(lines: list[str], rx: re.Pattern[str]) -> int | None:
    """Where the first record opens: a line ``rx`` matches among the first few."""
    return next((k for k, s in enumerate(lines[:_LEAD_LINES]) if rx.match(s)), None)


def _labelled(lines: list[str]) -> bool:
    """标题： fields: at least two records, or one with other fields of the saver's."""
    titles = sum(bool(_LABEL_TITLE.match(s)) for s in lines)
    fields = sum(bool(_LABEL_AUTHOR.match(s) or _LABEL_HEADER.match(s)) for s in lines)
    return _first(lines, _LABEL_TITLE) is not None and (titles >= 2 or fields >= 1)


def _bracketed(lines: list[str]) -> bool:
    """【标题】 lines: the page opens with one, every rule is followed by one, and every one
    stands alone (the body follows after a blank line in the saver's text)."""
    if _first(lines, _BRACKET_TITLE) is None:
        return False
    rules = [k for k, s in enumerate(lines) if _RULE.match(s)]
    if not rules:
        return False
    for k in rules:
        if k + 1 < len(lines) and not _BRACKET_TITLE.match(lines[k + 1]):
            return False
    return True


def saved_records(text: str) -> tuple[list[Record], str] | None:
    """The page's records and how its titles are marked, or None when it is not such a page.

    Lines are taken without blank lines; the saver's fields and rules go to ``header``
    (in no article's body: ``--dry-run`` lists them)."""
    lines = [_strip(s) for s in text.splitlines()]
    lines = [s for s in lines if s]
    if _labelled(lines):
        # files saved without a last newline and joined by ``cat``: a record's 标题： runs
        # on after the last sentence of the one before
        lines = [part for s in lines for part in _GLUED_TITLE.split(s) if part]
        how = "标题： fields"
        start = _first(lines, _LABEL_TITLE) or 0
        records: list[Record] = []
        for s in lines[start:]:
            m = _LABEL_TITLE.match(s)
            if m:
                title = _strip(m.group(1))
                cur = records[-1] if records else None
                if cur is not None and cur.title == title and not cur.lines and not cur.author:
                    cur.header.append(s)  # the field repeated under the header
                    continue
                records.append(Record(title, why=f"{s}: a title the saver marked "
                                                 f"(this page marks every title with 标题：)"))
                if len(records) == 1:
                    records[0].header += lines[:start]  # the file's own first lines
                continue
            cur = records[-1]
            if not cur.lines and not cur.author and (_LABEL_HEADER.match(s) or _RULE.match(s)):
                cur.header.append(s)
            elif not cur.lines and not cur.author and (m := _LABEL_AUTHOR.match(s)):
                cur.author = _strip(m.group(1))
                cur.lines.append(s)
            else:
                cur.lines.append(s)
        return records, how
    if _bracketed(lines):
        how = "【】 lines after ==== rules"
        start = _first(lines, _BRACKET_TITLE) or 0
        records = []
        for k, s in enumerate(lines):
            if k < start:
                continue
            m = _BRACKET_TITLE.match(s)
            if m and (k == start or _RULE.match(lines[k - 1])):
                header = lines[:start] if k == start else []
                records.append(Record(_strip(m.group(1)), header=header,
                                      why=f"{s}: a title the saver marked (this page opens "
                                      "every article with a 【】 line after a rule)"))
            elif _RULE.match(s):
                records[-1].header.append(s)
            else:
                records[-1].lines.append(s)
        return records, how
    return None
