"""版面 PDFs: each page's text layer cut into articles that remember where they were printed.

A page is read by :mod:`indexer.printed.pdftext` (lines with boxes, ``/ActualText``
honoured, radicals mapped back) and cut by :mod:`indexer.printed.segment`; each article
carries ``printed`` (the file, the 0-based page, the page size and its regions in points).

What cannot be read is said, never guessed: an encrypted or broken file is one rejection
naming it (the import goes on with the next file); a page with no text layer goes to OCR
(:mod:`indexer.printed.ocr`, when installed) or is rejected saying why; an article with
characters in a font that has no Unicode map is rejected with the count, since its text
would be garbage; a page with text but neither a headline set larger than its body nor a
page header (date, 第N版) is no newspaper page and is rejected as such.  A page with a
header and no headline (a story continued from another page) gives untitled articles.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from search.document import Article

from ..encoding import Unreadable, open_regular
from ..printed.lines import PrintedPage
from ..printed.segment import Piece, segment
from ..records import Loaded, Rejection, date_from_filename
from .pagefile import NO_DATE, page_from_filename

MAGIC = b"%PDF-"
UNREADABLE = "\ufffd"
MAX_PDF_BYTES = 1 << 30  # a whole issue with its pictures stays well under this


def is_pdf(head: bytes) -> bool:
    """Whether a file's first bytes say PDF (``%PDF-`` within the first 1,024 bytes, as
    readers allow for junk before the header)."""
    return MAGIC in head[:1024]


def read_pdf(path: str, date: str | None = None) -> Iterator[Loaded | Rejection]:
    """Every article of every page of the PDF at ``path``, or why a page or the file was not
    read."""
    import pypdfium2 as pdfium

    from ..printed.pdftext import read_layer

    try:
        fh = open_regular(path)  # a FIFO or a device is refused, not waited on
    except Unreadable as exc:
        yield Rejection(path, "", str(exc))
        return
    except OSError as exc:
        yield Rejection(path, "", f"cannot read: {exc.strerror or exc}")
        return
    size = os.fstat(fh.fileno()).st_size
    if size > MAX_PDF_BYTES:
        fh.close()
        yield Rejection(path, "", f"a PDF of {size >> 20:,} MB: PDFs are read up to "
                        f"{MAX_PDF_BYTES >> 20:,} MB (split the issue into pages)")
        return
    try:
        doc = pdfium.PdfDocument(fh, autoclose=True)
    except pdfium.PdfiumError as exc:
        fh.close()
        yield Rejection(path, "", _open_problem(str(exc)))
        return
    try:
        pages = len(doc)
        if pages == 0:
            yield Rejection(path, "", "a PDF with no pages")
            return
        for index in range(pages):
            where = f"page {index + 1}" if pages > 1 else ""
            try:
                layer = read_layer(doc, path, index)
            except pdfium.PdfiumError as exc:
                yield Rejection(path, where or "page 1", f"page not readable: {exc}")
                continue
            page, frames = layer.page, layer.frames
            if layer.chars == 0:
                page, problem = _ocr(path, index, bool(layer.images))
                if page is None:
                    yield Rejection(path, where or "page 1", problem)
                    continue
                from ..printed.ocr import page_confidence
                from .scan import with_ocr_flag

                yield from with_ocr_flag(_articles(path, page, [], date, pages),
                                         page_confidence(page))
                continue
            yield from _articles(path, page, frames, date, pages)
    finally:
        doc.close()


def _open_problem(message: str) -> str:
    low = message.lower()
    if "password" in low or "security" in low:
        return ("an encrypted PDF: it needs a password to open; save an unprotected copy "
                "(qpdf --decrypt) and import that")
    return f"not a readable PDF ({message.strip() or 'PDFium could not open it'})"


def _ocr(path: str, index: int, has_image: bool) -> tuple[PrintedPage | None, str]:
    """The page read by OCR, or why it was not."""
    if not has_image:
        return None, "a blank page: no text and no image"
    try:
        from ..printed import ocr  # provided with the scanned-page reader
        reader = ocr.read_pdf_page
    except (ImportError, AttributeError):
        return None, ("an image-only page (a scan with no text layer) and OCR is not "
                      "available in this installation")
    from ..printed.scans import PageNotRead

    try:
        return reader(path, index), ""
    except PageNotRead as exc:
        return None, f"an image-only page, not read: {exc}"
    except Exception as exc:  # noqa: BLE001 - an OCR failure rejects the page, not the import
        return None, f"an image-only page, and OCR failed on it: {exc}"


def _articles(path: str, page: PrintedPage, frames: list, date: str | None,
              pages: int) -> Iterator[Loaded | Rejection]:
    where_page = f"page {page.index + 1}" if pages > 1 else ""
    pieces = segment(page, frames)
    titled = [p for p in pieces if p.title]
    if not pieces:
        yield Rejection(path, where_page or "page 1", "no text on the page")
        return
    if not titled and not (pieces[0].date or pieces[0].page):
        yield Rejection(path, where_page or "page 1",
                        "no headline set larger than the text and no page header (date, "
                        "第N版): not a newspaper page?")
        return
    issue = date or pieces[0].date or date_from_filename(os.path.basename(path))
    if not issue:
        yield Rejection(path, where_page or "page 1", NO_DATE)
        return
    number = pieces[0].page or (page_from_filename(path) if pages == 1 else None)
    name = pieces[0].page_name
    note = [f"版面 {number}" + (f"：{name}" if name else "")] if number else []
    note += [f"通栏 banner over the page's stories: {pieces[0].banner}"] if pieces[0].banner else []
    note += [f"page {page.index + 1}: {p}" for p in page.problems]
    for k, piece in enumerate(pieces, 1):
        where = f"{where_page}, article {k}" if where_page else f"article {k}"
        bad = sum(s.count(UNREADABLE) for s in (piece.title, piece.kicker, piece.subtitle,
                                                 piece.body))
        if bad:
            yield Rejection(path, where, f"{bad} character(s) of {piece.title[:30]!r} are in a "
                            "font with no Unicode map: the text cannot be read from the PDF "
                            "(OCR the page instead)")
            continue
        if not piece.body.strip():
            yield Rejection(path, where, f"headline {piece.title[:30]!r} has no text under it")
            continue
        yield Loaded(_article(path, page, piece, issue, number, name), path, where,
                     notes=list(note), why=list(piece.why) + [_regions_note(piece)],
                     printed_paper=pieces[0].paper)


def _article(path: str, page: PrintedPage, piece: Piece, issue: str, number: str | None,
             name: str) -> Article:
    return Article(
        title=piece.title, kicker=piece.kicker, subtitle=piece.subtitle, body=piece.body,
        date=issue, reporters=list(piece.reporters), page=number, page_name=name,
        printed={"file": os.path.abspath(path), "page": page.index,
                 "size": [round(page.width, 1), round(page.height, 1)],
                 "regions": [[round(v, 1) for v in box] for box in piece.regions]})


def _regions_note(piece: Piece) -> str:
    boxes = "; ".join(",".join(f"{v:.0f}" for v in box) for box in piece.regions)
    return f"printed in {len(piece.regions)} region(s) (points x0,y0,x1,y1): {boxes}"
