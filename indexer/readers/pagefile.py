"""Page dumps (.txt): split into articles by :mod:`indexer.pagedump`, dated per CONTRACT."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from search.document import Article

from ..encoding import Unreadable, read_text
from ..records import Loaded, Rejection, date_from_filename, page_number

NO_DATE = ("no issue date: give --date YYYY-MM-DD, put the date in the file name "
           "(2022-09-30 or 20220930), or keep the printed date line (2022年9月30日)")

_NAME_DATE = re.compile(r"(?<!\d)\d{4}[-_.]?\d{2}[-_.]?\d{2}(?!\d)")
# After the date is taken out: 第03版 / 03版 / p03 / page3 / _03 / -A03.
_NAME_PAGE = [
    re.compile(r"(?:第\s*)?([A-Za-z]?\d{1,3})\s*(?:版|面)", re.I),
    re.compile(r"(?:^|[^A-Za-z])(?:p|pg|page|ban)[-_ ]?(\d{1,3})(?!\d)", re.I),
    re.compile(r"(?:^|[-_ .])([A-Za-z]?\d{1,3})(?:[-_ .]|$)"),
]


def page_from_filename(name: str) -> str | None:
    """The 版面 in a file name: ``2022-09-30_03.txt``, ``20220930-03版.txt``, ``…_p03.txt``.

    The date is removed first so its digits are never read as a page number.
    """
    stem = os.path.splitext(os.path.basename(name))[0]
    rest = _NAME_DATE.sub(" ", stem)
    for rx in _NAME_PAGE:
        m = rx.search(rest)
        if m:
            found = page_number(m[1])
            if found:
                return found
    return None


def read_page_dump(path: str, date: str | None = None) -> Iterator[Loaded | Rejection]:
    """The articles of one page dump, dated and paged as CONTRACT.md says, or its rejection."""
    from ..pagedump import page_date, page_label, page_masthead, parse_page

    try:
        text = read_text(path)
    except Unreadable as exc:
        yield Rejection(path, "", str(exc))
        return
    issue_date = date or date_from_filename(os.path.basename(path)) or page_date(text)
    if not issue_date:
        yield Rejection(path, "", NO_DATE)
        return
    found = parse_page(text)
    if not found:
        yield Rejection(path, "", "no articles found on the page")
        return
    label = page_label(text)
    page = page_from_filename(path) or (label[0] if label else None)
    page_name = label[1] if label and label[0] == page else ""
    page_note = [f"版面 {page}" + (f"：{page_name}" if page_name else "")] if page else []
    paper = page_masthead(text)
    if paper:
        page_note.append(f"报名 {paper}（版头）")
    for number, art in enumerate(found, 1):
        if not art.body.strip():
            yield Rejection(path, f"article {number}", f"headline {art.title[:30]!r} has no body")
            continue
        yield Loaded(
            Article(title=art.title, subtitle=art.subtitle, body=art.body, date=issue_date,
                    reporters=list(art.reporters), kicker=art.kicker, page=page,
                    page_name=page_name),
            path, f"article {number}",
            notes=page_note + [f"joined across a column break: {j}" for j in art.joins],
            why=list(art.why), printed_paper=paper)
