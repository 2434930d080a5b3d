"""A whole result set as rows for a spreadsheet: what ``/export.csv``, ``/export.xlsx`` and
``unionsearch search --format csv|xlsx`` hand to colleagues.

Rows come in the result's own order (the same ranking as the pages) and are
read from the stored fields a chunk at a time, so an export of 10,000 articles
holds one chunk in memory, not the whole list.  The writers
(:func:`csv_chunks`, :func:`write_xlsx`) take the rows as they come.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, TypedDict

from .browse import stored_articles
from .highlight import Needles, snippet
from .request import BadRequest, SearchRequest
from .results import matched, ranked

if TYPE_CHECKING:
    from .searcher import IndexState
    from .synonyms import SynonymTable

MAX_EXPORT_ROWS = 10_000
CHUNK = 256  # stored articles read per lock
COLUMNS = ("编号", "日期", "版面", "引题", "标题", "副题", "记者", "链接", "原文链接", "摘要")
COLUMN_WIDTHS = (18, 11, 6, 20, 40, 30, 16, 40, 30, 80)  # in characters, for the .xlsx
FORMATS = ("csv", "xlsx")
_MARKUP = re.compile(r"</?mark>")

Link = Callable[[str], str]  # article id -> its address on the service ("" for none)


class ExportRow(TypedDict):
    """One article of an export; ``snippet`` is plain text (the page's snippet unmarked)."""

    id: str
    date: str
    page: str
    kicker: str
    title: str
    subtitle: str
    reporters: list[str]
    url: str
    snippet: str


class TooManyRows(BadRequest):
    """The result is larger than an export may be: the user is asked to narrow the query."""

    def __init__(self, total: int, limit: int = MAX_EXPORT_ROWS):
        super().__init__(
            f"the result holds {total:,} articles; an export takes at most {limit:,}: "
            "narrow the query (a reporter, a date range or more words)",
            f"检索结果共有 {total:,} 篇，一次最多导出 {limit:,} 篇。"
            "请缩小范围（加上记者、日期范围或更多检索词）后再导出。", None)
        self.total, self.limit = total, limit


@dataclass
class Export:
    """An export about to be written: its size is known before any row is read."""

    total: int
    rows: Iterator[ExportRow]


def export(st: IndexState, req: SearchRequest, limit: int = MAX_EXPORT_ROWS,
           synonyms: SynonymTable | None = None) -> Export:
    """Every article ``req`` matches, ranked as on the results page (``page``/``size`` ignored).

    Raises :class:`TooManyRows` when there are more than ``limit``.
    """
    match, sort, parsed = matched(st, req, synonyms)[:3]
    docs = match.docs
    if len(docs) > limit:
        raise TooManyRows(len(docs), limit)
    order = ranked(docs, match.scores, st.arrays.days[docs], sort, len(docs))
    return Export(int(len(docs)), _rows(st, docs[order], Needles(parsed)))


def _rows(st: IndexState, docnums, needles: Needles) -> Iterator[ExportRow]:
    for start in range(0, len(docnums), CHUNK):
        for art in stored_articles(st, docnums[start:start + CHUNK].tolist()):
            yield {
                "id": art["id"], "date": art["date"] or "",
                "page": "" if art["page"] is None else str(art["page"]),
                "kicker": art["kicker"], "title": art["title"], "subtitle": art["subtitle"],
                "reporters": art["reporters"], "url": art["url"] or "",
                "snippet": html.unescape(_MARKUP.sub("", snippet(art["body"], needles))),
            }


def cells(row: ExportRow, link: Link) -> list[str]:
    """The row's values in :data:`COLUMNS` order."""
    return [row["id"], row["date"], row["page"], row["kicker"], row["title"], row["subtitle"],
            "、".join(row["reporters"]), link(row["id"]), row["url"], row["snippet"]]


def safe_cell(text: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula.

    Excel and LibreOffice evaluate a cell starting with ``= + @`` (and ``-``
    unless it reads as a number), so an article titled ``=HYPERLINK(…)`` would
    become a live link; such cells get a leading apostrophe, as OWASP advises.
    A title like ``-30℃的坚守`` is left alone.
    """
    if text[:1] in ("=", "+", "@", "\t", "\r") or (
            text[:1] == "-" and not text[1:2].isdigit()):
        return "'" + text
    return text


def csv_chunks(rows: Iterator[ExportRow], link: Link, every: int = 200) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (so Excel reads the Chinese right), a header row, then the rows,
    in pieces of ``every`` rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield "\ufeff".encode() + buf.getvalue().encode("utf-8")
    buf.seek(0)
    buf.truncate()
    for n, row in enumerate(rows, 1):
        writer.writerow([safe_cell(c) for c in cells(row, link)])
        if n % every == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    if buf.tell():
        yield buf.getvalue().encode("utf-8")


def write_xlsx(rows: Iterator[ExportRow], target: str | IO[bytes], link: Link) -> int:
    """Write an .xlsx (one sheet, header row frozen) to a path or binary file; rows written.

    XlsxWriter's constant-memory mode flushes each row to a temporary file as
    it is written; every cell is written as text, never as a formula.
    """
    import xlsxwriter

    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    try:
        sheet = book.add_worksheet("检索结果")
        bold = book.add_format({"bold": True})
        for col, (name, width) in enumerate(zip(COLUMNS, COLUMN_WIDTHS, strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, name, bold)
        sheet.freeze_panes(1, 0)
        n = 0
        for n, row in enumerate(rows, 1):
            for col, value in enumerate(cells(row, link)):
                if value:
                    sheet.write_string(n, col, value)
    finally:
        book.close()
    return n


def link_maker(base: str) -> Link:
    """Links to articles on the service at ``base`` (``https://host/search``); none if empty."""
    from urllib.parse import quote

    base = base.rstrip("/")
    if not base:
        return lambda article_id: ""
    return lambda article_id: f"{base}/articles/{quote(article_id, safe='/')}"


def write_export(exp: Export, fmt: str, target: IO[bytes], link: Link) -> None:
    """Write ``exp`` as ``fmt`` (one of :data:`FORMATS`) to a binary file."""
    if fmt == "xlsx":
        write_xlsx(exp.rows, target, link)
        return
    for piece in csv_chunks(exp.rows, link):
        target.write(piece)
