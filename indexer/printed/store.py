"""The OCR cache: each scanned page's OCR result kept on disk, keyed by the file's content
hash and the page, so an import stopped half way (or run again) skips the pages already read.

One gzip'd JSON file per page under ``<index folder>/ocr-cache/<hash[:2]>/``; written to a
temporary name and renamed, so a killed import leaves no half-written entry.  The key also
holds the engine and :data:`OCR_VERSION`: a change to how pages are read reads them again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from .lines import Char, Line, PrintedPage

OCR_VERSION = 13
CACHE_DIR = "ocr-cache"


def page_to_json(page: PrintedPage) -> dict:
    """A page as plain JSON (lines with their characters)."""
    return asdict(page)


def page_from_json(data: dict) -> PrintedPage:
    """The inverse of :func:`page_to_json`."""
    lines = [Line(**{**ln, "chars": [Char(**c) for c in ln.get("chars") or []]})
             for ln in data["lines"]]
    return PrintedPage(data["path"], data["index"], data["width"], data["height"], lines,
                       data.get("source_kind", "scan"), list(data.get("problems") or []),
                       [tuple(f) for f in data.get("frames") or []])


def file_hash(path: str | os.PathLike) -> str:
    """SHA-256 of the file's bytes (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class OcrCache:
    """Per-page OCR results in ``folder`` (created on first write)."""

    def __init__(self, folder: str | os.PathLike, engine: str = "rapidocr"):
        self.folder = Path(folder)
        self.engine = engine

    def _path(self, digest: str, index: int) -> Path:
        return self.folder / digest[:2] / f"{digest}-{index}-{self.engine}-v{OCR_VERSION}.json.gz"

    def get(self, digest: str, index: int, path: str) -> PrintedPage | None:
        """The cached page (its ``path`` set to where the file is now), or None."""
        try:
            with gzip.open(self._path(digest, index), "rt", encoding="utf-8") as fh:
                page = page_from_json(json.load(fh))
        except (OSError, ValueError, KeyError, TypeError, EOFError):
            return None  # missing or damaged: read the page again
        page.path = path
        return page

    def put(self, digest: str, index: int, page: PrintedPage) -> None:
        target = self._path(digest, index)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}")
        with gzip.open(tmp, "wt", encoding="utf-8") as fh:
            json.dump(page_to_json(page), fh, ensure_ascii=False)
        os.replace(tmp, target)

    def has(self, digest: str, index: int) -> bool:
        return self._path(digest, index).exists()
