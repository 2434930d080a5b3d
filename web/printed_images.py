"""Pictures of printed pages for the article and issue pages: the page rendered once per
size and cached, then the article's regions outlined and the query's matches marked on it.

A page is rendered from the file the article was read from (``printed["file"]``): a PDF
page by PDFium, a scan by Pillow (:func:`indexer.printed.annotate.page_image`).  The bare
render is cached as a PNG under ``<index folder>/page-images/`` (in the temp folder when
the index folder is read-only), keyed by the file's path, size and modification time, the
page and the width: a changed file is rendered again.  Outlines and marks are drawn per
request on a copy.

Matches are marked where the page's characters have boxes: a PDF's text layer (read again
from the file) or the OCR result in the import's cache.  Without boxes the region alone is
outlined.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

SCREEN_WIDTH = 1000  # pixels: the article page's picture (a phone scales it down)
THUMB_WIDTH = 480  # pixels: a 版面 on the issue page
OUTLINE = (214, 39, 40)
MARK = (255, 200, 0, 140)
CACHE = "page-images"
# zlib level 3: a scanned page (its paper's grain) comes out smaller than with Pillow's
# ``optimize`` (level 9) and is encoded several times faster, on every request that draws one.
PNG = {"format": "PNG", "compress_level": 3}


@dataclass
class PageProblem(Exception):
    """Why a printed page cannot be shown: a message for readers and a status code."""

    message_zh: str
    message: str
    code: int = 404

    def __str__(self) -> str:
        return self.message


def check_source(printed: dict | None) -> tuple[str, int]:
    """The file and page an article was printed on, or :class:`PageProblem`: no printed
    page (imported from text), the file gone, or the file changed (fewer pages, another
    page size)."""
    if not printed or not printed.get("file"):
        raise PageProblem("这篇文章不是从版面 PDF 或扫描件导入的，没有原版页面。",
                          "this article was not imported from a page PDF or scan: "
                          "it has no printed page")
    path, index = str(printed["file"]), int(printed.get("page") or 0)
    if not os.path.isfile(path):
        raise PageProblem(f"原版文件已不在原处（{os.path.basename(path)}），请重新导入。",
                          f"the source file {path} is no longer there: import it again")
    size = _page_size(path, index, os.stat(path).st_mtime_ns)
    want = printed.get("size") or size
    if size is None or abs(size[0] - want[0]) > 2 or abs(size[1] - want[1]) > 2:
        raise PageProblem(f"原版文件 {os.path.basename(path)} 在导入后已被改动，页面与文章对不上，"
                          "请重新导入。",
                          f"the source file {path} changed after it was imported (its page "
                          f"{index + 1} is not the page read): import it again", 409)
    return path, index


@lru_cache(maxsize=512)
def _page_size(path: str, index: int, _mtime: int) -> tuple[float, float] | None:
    """The size of page ``index`` of ``path`` in points (None: no such page)."""
    from indexer.printed.scans import is_pdf_file, load_gray

    try:
        if is_pdf_file(path):
            import pypdfium2 as pdfium

            doc = pdfium.PdfDocument(path)
            try:
                if index >= len(doc):
                    return None
                return tuple(doc[index].get_size())  # type: ignore[return-value]
            finally:
                doc.close()
        gray, dpi = load_gray(path, index)
        return gray.shape[1] * 72.0 / dpi, gray.shape[0] * 72.0 / dpi
    except Exception:  # noqa: BLE001 - any unreadable file is a changed one here
        return None


def _cache_dir(index_dir: str) -> str:
    folder = os.path.join(index_dir, CACHE)
    try:
        os.makedirs(folder, exist_ok=True)
        if os.access(folder, os.W_OK):
            return folder
    except OSError:
        pass
    fallback = os.path.join(tempfile.gettempdir(), "unionsearch-" + CACHE)
    os.makedirs(fallback, exist_ok=True)
    return fallback


def base_image(index_dir: str, path: str, index: int, width_pt: float, pixels: int
               ) -> Image.Image:
    """Page ``index`` of ``path`` ``pixels`` wide, from the cache or rendered (and cached)."""
    from PIL import Image  # loaded by the first page image drawn, not at the service's start

    st = os.stat(path)
    key = hashlib.sha1(f"{os.path.abspath(path)}|{st.st_size}|{st.st_mtime_ns}|{index}|"
                       f"{pixels}".encode()).hexdigest()
    cached = os.path.join(_cache_dir(index_dir), f"{key}.png")
    try:
        with Image.open(cached) as img:
            return img.convert("RGB")
    except (OSError, ValueError):
        pass
    from indexer.printed.annotate import page_image

    img = page_image(path, index, width_pt, pixels / width_pt)
    if img.width != pixels:
        img = img.resize((pixels, max(1, round(img.height * pixels / img.width))))
    tmp = f"{cached}.{os.getpid()}.tmp"
    try:
        img.save(tmp, **PNG)
        os.replace(tmp, cached)
    except OSError:
        pass  # a full disk shows the page all the same, only not cached
    return img


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def match_boxes(index_dir: str, printed: dict, words: list[str]) -> list[tuple]:
    """Boxes (points) of every printed occurrence of ``words`` inside the article's regions,
    from the characters' boxes of the page (text layer or OCR); [] when none are known.

    Each region is read as printed, its lines top to bottom, so a word cut by a line break
    is found and marked on both lines."""
    words = [_norm(w) for w in words if w.strip()]
    if not words:
        return []
    lines = page_lines(index_dir, str(printed["file"]), int(printed.get("page") or 0))
    out = []
    for region in printed.get("regions") or []:
        inside = sorted((ln for ln in lines if ln.chars and _inside(ln.box, [region])),
                        key=lambda ln: (ln.y0, ln.x0))
        chars = [(c, k) for k, ln in enumerate(inside) for c in ln.chars
                 if len(_norm(c.text)) == 1 and not c.text.isspace()]
        text = "".join(_norm(c.text) for c, _ in chars)
        for w in words:
            start = text.find(w)
            while start >= 0:
                hit = chars[start:start + len(w)]
                for k in sorted({k for _, k in hit}):
                    cs = [c for c, kk in hit if kk == k]
                    out.append((min(c.x0 for c in cs), min(c.y0 for c in cs),
                                max(c.x1 for c in cs), max(c.y1 for c in cs)))
                start = text.find(w, start + 1)
    return out


def _inside(box: tuple, regions: list) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(r[0] - 2 <= cx <= r[2] + 2 and r[1] - 2 <= cy <= r[3] + 2 for r in regions)


def page_lines(index_dir: str, path: str, index: int) -> list:
    """The lines (with character boxes) of a printed page: the OCR cache's for a scan, the
    text layer's for a PDF page that has one; [] when neither is at hand."""
    st = os.stat(path)
    return list(_page_lines(index_dir, path, index, st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=64)
def _page_lines(index_dir: str, path: str, index: int, _mtime: int, _size: int) -> tuple:
    from indexer.printed.scans import cache_dir_for, is_pdf_file
    from indexer.printed.store import OcrCache, file_hash

    try:
        if is_pdf_file(path):
            import pypdfium2 as pdfium

            from indexer.printed.pdftext import read_layer

            doc = pdfium.PdfDocument(path)
            try:
                layer = read_layer(doc, path, index)
            finally:
                doc.close()
            if layer.chars:
                return tuple(layer.page.lines)
        digest = file_hash(path)
        for engine in ("rapidocr", "tesseract"):
            page = OcrCache(cache_dir_for(index_dir), engine).get(digest, index, path)
            if page is not None:
                return tuple(page.lines)
    except Exception:  # noqa: BLE001 - no boxes: the region is outlined without marks
        return ()
    return ()


def article_png(index_dir: str, printed: dict, words: list[str],
                pixels: int = SCREEN_WIDTH) -> bytes:
    """The article's page as PNG bytes, its regions outlined and ``words`` marked."""
    path, index = check_source(printed)
    width_pt = float((printed.get("size") or [595])[0])
    img = base_image(index_dir, path, index, width_pt, pixels).convert("RGBA")
    scale = img.width / width_pt
    from PIL import Image, ImageDraw

    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for box in match_boxes(index_dir, printed, words):
        draw.rectangle([v * scale for v in box], fill=MARK)
    for box in printed.get("regions") or []:
        x0, y0, x1, y1 = (v * scale for v in box)
        draw.rectangle((x0 - 3, y0 - 3, x1 + 3, y1 + 3), outline=OUTLINE + (255,), width=3)
    out = io.BytesIO()
    Image.alpha_composite(img, layer).convert("RGB").save(out, **PNG)
    return out.getvalue()


def thumbnail_png(index_dir: str, printed: dict, pixels: int = THUMB_WIDTH) -> bytes:
    """A 版面's page as a PNG thumbnail (no outlines: the issue page's links show them)."""
    path, index = check_source(printed)
    width_pt = float((printed.get("size") or [595])[0])
    out = io.BytesIO()
    base_image(index_dir, path, index, width_pt, pixels).save(out, **PNG)
    return out.getvalue()
