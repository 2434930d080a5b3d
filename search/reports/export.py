"""A whole result set as rows for a spreadsheet: what ``/export.csv``, ``/export.xlsx`` and
``unionsearch search --format csv|xlsx`` hand to colleagues.

Rows come in the result's own order (the same ranking as the pages) and are
read from the stored fields a chunk at a time, so an export of 10,000 articles
holds one chunk in memory, not the whole list.  The writers
(:func:`csv_chunks`, :func:`write_xlsx`) take the rows as they come.

What a colleague gets: the 版面 and its name (版面名), and on request the full text
(:data:`FULL_TEXT_COLUMN`, ``--full-text`` / ``fulltext=1``).  In the .xlsx the date is a
date cell (sorts and filters as a date) and the links are hyperlinks (a click opens the
article); a CSV has no cell types, so there the date is ``2022-09-30`` (which Excel reads
as a date) and a link is its address as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, TypedDict

from ..results import matched, ranked
from ..retrieval.highlight import Needles, snippet
from ..retrieval.request import BadRequest, SearchRequest
from ..storage.folder import issue_key
from .exportlimits import FORMATS, MAX_EXPORT_ROWS  # noqa: F401 - FORMATS re-exported
from .issues import stored_articles

if TYPE_CHECKING:
    from ..storage.generations import IndexState
    from ..understanding.synonyms import SynonymTable

CHUNK = 256  # stored articles read, then written, at a time
COLUMNS = ("编号", "日期", "版面", "版面名", "引题", "标题", "副题", "记者", "链接", "原文链接",
           "摘要")
COLUMN_WIDTHS = (18, 11, 6, 12, 20, 40, 30, 16, 40, 30, 80)  # in characters, for the .xlsx
FULL_TEXT_COLUMN = "全文"  # last, with --full-text / fulltext=1
PAPER_COLUMN = "报刊"  # after 摘要, in an archive of several papers
PAPER_WIDTH = 12
FULL_TEXT_WIDTH = 100
DATE_COLUMN = COLUMNS.index("日期")
LINK_COLUMNS = (COLUMNS.index("链接"), COLUMNS.index("原文链接"))
XLSX_CELL_CHARS = 32_767  # Excel's limit for one cell; a longer full text is cut, saying so
XLSX_URL_CHARS = 2_079  # Excel's limit for a hyperlink's address
_MARKUP = re.compile(r"</?mark>")

Link = Callable[[str], str]  # article id -> its address on the service ("" for none)


class ExportRow(TypedDict):
    """One article of an export; ``snippet`` is plain text (the page's snippet unmarked)."""

    id: str
    date: str
    page: str
    page_name: str  # the 版面's name in that issue (综合新闻), "" when not known
    kicker: str
    title: str
    subtitle: str
    reporters: list[str]
    url: str
    snippet: str
    body: str  # the full text, "" unless the export asked for it
    paper: str  # the paper's name, "" for none


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
    full_text: bool = False  # a last column with each article's whole text
    papers: bool = False  # a 报刊 column: the archive holds more than one paper


PageNames = dict[str, dict[str, str]]  # date -> 版面 -> its name (search.storage.folder.page_names)


def export(st: IndexState, req: SearchRequest, limit: int = MAX_EXPORT_ROWS,
           synonyms: SynonymTable | None = None, page_names: PageNames | None = None,
           full_text: bool = False) -> Export:
    """Every article ``req`` matches, ranked as on the results page (``page``/``size`` ignored).

    Raises :class:`TooManyRows` when there are more than ``limit``.
    """
    match, sort, query = matched(st, req, synonyms)[:3]
    docs = match.docs
    if len(docs) > limit:
        raise TooManyRows(len(docs), limit)
    order = ranked(docs, match.scores, st.arrays.days[docs], sort, len(docs))
    needles = Needles(query.parsed, query.text)
    return Export(int(len(docs)), _rows(st, docs[order], needles, page_names or {},
                                        full_text), full_text, st.arrays.has_papers())


def _key(art: dict) -> str:
    return (art.get("paper") or {}).get("key", "")


def _rows(st: IndexState, docnums, needles: Needles, page_names: PageNames,
          full_text: bool) -> Iterator[ExportRow]:
    for start in range(0, len(docnums), CHUNK):
        for art in stored_articles(st, docnums[start:start + CHUNK].tolist()):
            page = "" if art["page"] is None else str(art["page"])
            yield {
                "id": art["id"], "date": art["date"] or "", "page": page,
                "page_name": page_names.get(issue_key(art["date"] or "", _key(art)), {}).get(
                    page, "") if page else "",
                "kicker": art["kicker"], "title": art["title"], "subtitle": art["subtitle"],
                "reporters": art["reporters"], "url": art["url"] or "",
                "snippet": html.unescape(_MARKUP.sub("", snippet(art["body"], needles))),
                "body": art["body"] if full_text else "",
                "paper": (art.get("paper") or {}).get("name", ""),
            }


def columns(full_text: bool = False, papers: bool = False) -> tuple[str, ...]:
    """The header row: :data:`COLUMNS`, :data:`PAPER_COLUMN` in an archive of several
    papers, and :data:`FULL_TEXT_COLUMN` with the full text."""
    return (*COLUMNS, *((PAPER_COLUMN,) if papers else ()),
            *((FULL_TEXT_COLUMN,) if full_text else ()))


def cells(row: ExportRow, link: Link, full_text: bool = False,
          papers: bool = False) -> list[str]:
    """The row's values in :func:`columns` order."""
    values = [row["id"], row["date"], row["page"], row["page_name"], row["kicker"],
              row["title"], row["subtitle"], "、".join(row["reporters"]), link(row["id"]),
              row["url"], row["snippet"]]
    if papers:
        values.append(row.get("paper", ""))
    return [*values, row["body"]] if full_text else values


_TRIGGERS = ("=", "+", "-", "@")
_NUMBER = re.compile(r"[+-]?(?:[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?%?")
_SIGNED = re.compile(r"[+-][0-9][0-9,.]*")
_FORMULA_TEXT = re.compile(r"[\x00-\x2f\x3a-\x7f\uff01-\uff5e]")  # ASCII but digits; full width


def safe_cell(text: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP's CSV injection rule).

    A cell starting with ``= + - @``, a tab or a carriage return, or with one of ``= + - @``
    after leading blanks, gets a leading apostrophe: ``-2+3+cmd|' /C calc'!A0``,
    ``-1+HYPERLINK("http://evil.example","x")``, ``-0x1+cmd|…``, `` =1+1``.  Two kinds
    of cell that start with a sign stay as they are, to stay readable:

    * a number and nothing else: ``-30``, ``+86``, ``-1,000.5``, ``-5%``;
    * a number followed only by characters that are neither ASCII nor its full-width
      forms (U+FF01-FF5E): ``-30℃的坚守``.  A formula needs an ASCII (or, typed in an
      East Asian Excel, full-width) operator, name, reference or bracket after the
      number; a title such as ``-30℃的坚守`` has none.  ``-30 ℃`` (a space) is neutralised.
    """
    if text[:1] in ("\t", "\r"):
        return "'" + text
    head = text.lstrip()
    if not head.startswith(_TRIGGERS):
        return text
    if head[0] in "+-":
        if _NUMBER.fullmatch(head.rstrip()):
            return text
        signed = _SIGNED.match(head)
        if signed and not _FORMULA_TEXT.search(head, signed.end()):
            return text
    return "'" + text


def csv_chunks(rows: Iterator[ExportRow], link: Link, every: int = 200,
               full_text: bool = False, papers: bool = False) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (so Excel reads the Chinese right), a header row, then the rows,
    in pieces of ``every`` rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns(full_text, papers))
    yield "\ufeff".encode() + buf.getvalue().encode("utf-8")
    buf.seek(0)
    buf.truncate()
    for n, row in enumerate(rows, 1):
        writer.writerow([safe_cell(c) for c in cells(row, link, full_text, papers)])
        if n % every == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    if buf.tell():
        yield buf.getvalue().encode("utf-8")


def write_xlsx(rows: Iterator[ExportRow], target: str | IO[bytes], link: Link,
               full_text: bool = False, papers: bool = False) -> int:
    """Write an .xlsx (one sheet, header row frozen) to a path or binary file; rows written.

    XlsxWriter's constant-memory mode flushes each row to a temporary file as
    it is written.  Text is written as text, never as a formula; the date as a date
    cell; a link (``http``/``https`` only) as a hyperlink showing its address.
    """
    import xlsxwriter

    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    try:
        sheet = book.add_worksheet("检索结果")
        bold = book.add_format({"bold": True})
        day = book.add_format({"num_format": "yyyy-mm-dd", "align": "left"})
        names = columns(full_text, papers)
        widths = (*COLUMN_WIDTHS, *((PAPER_WIDTH,) if papers else ()), FULL_TEXT_WIDTH)
        for col, name in enumerate(names):
            sheet.set_column(col, col, widths[col])
            sheet.write_string(0, col, name, bold)
        sheet.freeze_panes(1, 0)
        n = 0
        for n, row in enumerate(rows, 1):
            for col, value in enumerate(cells(row, link, full_text, papers)):
                if not value:
                    continue
                if col == DATE_COLUMN and _write_date(sheet, n, col, value, day):
                    continue
                if col in LINK_COLUMNS and _write_link(sheet, n, col, value):
                    continue
                if len(value) > XLSX_CELL_CHARS:
                    note = f"……（共 {len(value):,} 字，超出 Excel 单元格上限，以下从略）"
                    value = value[:XLSX_CELL_CHARS - len(note)] + note
                sheet.write_string(n, col, value)
    finally:
        book.close()
    return n


def _write_date(sheet, row: int, col: int, value: str, fmt) -> bool:  # noqa: ANN001
    """``value`` (ISO) as a date cell; False when it is no date Excel can hold."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return False
    if day.year < 1900:  # before Excel's first day
        return False
    return sheet.write_datetime(row, col, dt.datetime(day.year, day.month, day.day), fmt) == 0


_LINK = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.I)


def _write_link(sheet, row: int, col: int, value: str) -> bool:  # noqa: ANN001
    """``value`` as a hyperlink if it is an http(s) address Excel can hold."""
    if len(value) > XLSX_URL_CHARS or not _LINK.fullmatch(value):
        return False
    return sheet.write_url(row, col, value, string=value) == 0


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
        write_xlsx(exp.rows, target, link, exp.full_text, exp.papers)
        return
    for piece in csv_chunks(exp.rows, link, full_text=exp.full_text, papers=exp.papers):
        target.write(piece)
