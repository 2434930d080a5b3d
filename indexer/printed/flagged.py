"""The articles whose scanned page OCR read with little confidence, for editors to check
(``unionsearch flagged``): each one's id, date, 版面, title, the page it came from and the
confidence.  The flag is stored with the article (``printed["ocr"]["flagged"]``, set by the
scan reader), so the list is what the index holds now."""

from __future__ import annotations

from typing import TypedDict

from search.document import from_stored
from search.engine import Engine


class Flagged(TypedDict):
    id: str
    date: str
    page: str | None
    title: str
    file: str
    file_page: int  # 1-based
    confidence: float


def flagged_articles(index_dir: str) -> list[Flagged]:
    """Every flagged article of the index, by date, file and page."""
    engine = Engine(index_dir)
    out: list[Flagged] = []
    with engine.io_lock:
        for stored in engine.state().searcher.all_stored_fields():
            printed = stored.get("printed") or {}
            ocr = printed.get("ocr") or {}
            if not ocr.get("flagged"):
                continue
            art = from_stored(stored)
            out.append({"id": art["id"], "date": art["date"], "page": art["page"],
                        "title": art["title"], "file": printed.get("file", ""),
                        "file_page": int(printed.get("page") or 0) + 1,
                        "confidence": float(ocr.get("confidence") or 0.0)})
    out.sort(key=lambda f: (f["date"], f["file"], f["file_page"], f["id"]))
    return out
