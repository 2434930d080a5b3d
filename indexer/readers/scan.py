"""Scanned pages (PNG, JPEG, TIFF, and any PDF with ``--format scan``): each page read by OCR
(:mod:`indexer.printed.scans`, cached per page) and cut into articles like a PDF's text layer.

Every article remembers where it was printed and how sure OCR was: ``printed["ocr"]`` holds
the page's mean character confidence and ``flagged`` when it is below
:data:`~indexer.printed.ocr.CONFIDENCE_FLOOR`.  A flagged page is imported all the same (its
text is still the best there is to search) and its articles say so on their page, in the
import's notes and in ``unionsearch flagged``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..encoding import Unreadable, open_regular
from ..printed.ocr import CONFIDENCE_FLOOR, OcrUnavailable, page_confidence
from ..records import Loaded, Rejection
from .pdf import _articles


def read_scan(path: str, date: str | None = None) -> Iterator[Loaded | Rejection]:
    """Every article of every scanned page of ``path``, or why a page was not read."""
    from ..printed import scans

    try:
        open_regular(path).close()  # a FIFO or a device is refused, not waited on
    except Unreadable as exc:
        yield Rejection(path, "", str(exc))
        return
    except OSError as exc:
        yield Rejection(path, "", f"cannot open: {exc.strerror or exc}")
        return
    try:
        pages = scans.page_count(path)
    except Exception as exc:  # noqa: BLE001 - PIL and PDFium raise their own kinds
        yield Rejection(path, "", f"not a readable image or PDF ({exc})")
        return
    for index in range(pages):
        where = f"page {index + 1}" if pages > 1 else "page 1"
        try:
            page = scans.read_page(path, index)
        except OcrUnavailable as exc:
            yield Rejection(path, where, str(exc))
            return
        except scans.PageNotRead as exc:
            yield Rejection(path, where, f"not read: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - one bad page rejects that page only
            yield Rejection(path, where, f"OCR failed on the page: {exc}")
            continue
        yield from with_ocr_flag(_articles(path, page, page.frames, date, pages),
                                 page_confidence(page))


def with_ocr_flag(items: Iterator[Loaded | Rejection], conf: float | None
                  ) -> Iterator[Loaded | Rejection]:
    """``items`` with each article's printed place marked as OCR'd, with its confidence."""
    for item in items:
        if isinstance(item, Loaded) and item.article.printed is not None:
            flagged = conf is None or conf < CONFIDENCE_FLOOR
            item.article.printed["ocr"] = {"confidence": round(conf or 0.0, 3),
                                           "flagged": flagged}
        yield item
