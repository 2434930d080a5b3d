"""Page dumps (.txt): split into articles by :mod:`indexer.page`, dated per CONTRACT."""

from __future__ import annotations

import os
from collections.abc import Iterator

from search.document import Article

from ..encoding import Unreadable, read_text
from ..records import Loaded, Rejection, date_from_filename

NO_DATE = ("no issue date: give --date YYYY-MM-DD, put the date in the file name "
           "(2022-09-30 or 20220930), or keep the printed date line (2022年9月30日)")


def read_page(path: str, date: str | None = None) -> Iterator[Loaded | Rejection]:
    from ..page import page_date, parse_page

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
    for number, art in enumerate(found, 1):
        if not art.body.strip():
            yield Rejection(path, f"article {number}", f"headline {art.title[:30]!r} has no body")
            continue
        yield Loaded(
            Article(title=art.title, subtitle=art.subtitle, body=art.body, date=issue_date,
                    reporters=list(art.reporters)),
            path, f"article {number}")
