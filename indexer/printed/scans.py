"""Scanned pages from files: images (PNG, JPEG, TIFF, one page or many) and PDF pages rendered
by PDFium, read by OCR once and then from the cache.

An import OCRs in two steps.  :func:`prepare` first finds every scanned page the import
will read that the cache does not hold yet and OCRs them in worker processes (one page per
task, a progress bar), storing each as it is done; then the readers take every page from
the cache.  A stopped import loses at most the pages being read: run it again and it goes on
where it stopped.  Without a cache folder (``--dry-run``, a bare call) a page is OCR'd where
it is read.  The web service never OCRs: it only shows pages.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np

from .lines import PrintedPage
from .store import OcrCache, file_hash

DEFAULT_DPI = 200.0  # an image that does not say its resolution is taken as a 200-dpi scan
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


@dataclass
class OcrSettings:
    """Where OCR results are cached (None: not cached) and which engine reads."""

    cache_dir: str | None = None
    engine: str = "rapidocr"


SETTINGS = OcrSettings()


def configure(cache_dir: str | None, engine: str = "rapidocr") -> None:
    """Set the cache folder and engine for this process's imports (the CLI does, per run)."""
    SETTINGS.cache_dir = cache_dir
    SETTINGS.engine = engine


def is_image(head: bytes) -> bool:
    """Whether a file's first bytes say PNG, JPEG or TIFF."""
    return any(head.startswith(m) for m in IMAGE_MAGIC)


def _is_pdf(path: str) -> bool:
    with open(path, "rb") as fh:
        return b"%PDF-" in fh.read(1024)


def page_count(path: str) -> int:
    """Pages in an image file (TIFF may hold many) or a PDF."""
    if _is_pdf(path):
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(path)
        try:
            return len(doc)
        finally:
            doc.close()
    from PIL import Image

    with Image.open(path) as img:
        return getattr(img, "n_frames", 1)


def load_gray(path: str, index: int) -> tuple[np.ndarray, float]:
    """Page ``index`` of ``path`` as greyscale pixels and its resolution (pixels per inch):
    an image as it is (its own dpi when it says, else 200), a PDF page rendered at 200."""
    if _is_pdf(path):
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(path)
        try:
            bitmap = doc[index].render(scale=DEFAULT_DPI / 72, grayscale=True)
            return np.asarray(bitmap.to_pil().convert("L")), DEFAULT_DPI
        finally:
            doc.close()
    from PIL import Image, ImageOps

    with Image.open(path) as img:
        img.seek(index)
        dpi = img.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0] or DEFAULT_DPI
        gray = ImageOps.exif_transpose(img).convert("L")
        return np.asarray(gray), float(dpi) if float(dpi) >= 50 else DEFAULT_DPI


def ocr_file_page(path: str, index: int, engine: str | None = None) -> PrintedPage:
    """Page ``index`` of ``path`` read by OCR now (no cache)."""
    from .ocr import ocr_page

    gray, dpi = load_gray(path, index)
    return ocr_page(gray, dpi, path, index, engine or SETTINGS.engine)


def read_page(path: str, index: int, digest: str | None = None) -> PrintedPage:
    """Page ``index`` of ``path`` from the cache, else OCR'd now (and cached)."""
    if SETTINGS.cache_dir is None:
        return ocr_file_page(path, index)
    cache = OcrCache(SETTINGS.cache_dir, SETTINGS.engine)
    digest = digest or file_hash(path)
    page = cache.get(digest, index, path)
    if page is None:
        page = ocr_file_page(path, index)
        cache.put(digest, index, page)
    return page


def read_pdf_page(path: str, index: int) -> PrintedPage:
    """An image-only page of a PDF (the PDF reader's way to OCR): see :func:`read_page`."""
    return read_page(path, index)


def _needs_ocr(path: str, fmt: str) -> list[int]:
    """The pages of ``path`` an import with ``fmt`` will OCR: every page of an image (or of
    any file with ``--format scan``), the pages of a PDF with no text layer."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError:
        return []
    try:
        if is_image(head) and fmt in ("auto", "scan"):
            return list(range(page_count(path)))
        if b"%PDF-" in head and fmt in ("auto", "pdf", "scan"):
            if fmt == "scan":
                return list(range(page_count(path)))
            return _image_only_pages(path)
    except Exception:  # noqa: BLE001 - a broken file is the reader's to reject, by name
        return []
    return []


def _image_only_pages(path: str) -> list[int]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(path)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            if page.get_textpage().count_chars() == 0 and any(
                    True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))):
                out.append(i)
        return out
    finally:
        doc.close()


def _ocr_job(job: tuple[str, int, str, str, str]) -> tuple[str, int, str | None]:
    """Worker: OCR one page into the cache; (path, page, problem or None)."""
    path, index, digest, cache_dir, engine = job
    try:
        page = ocr_file_page(path, index, engine)
        OcrCache(cache_dir, engine).put(digest, index, page)
        return path, index, None
    except Exception as exc:  # noqa: BLE001 - the reader rejects the page, naming it
        return path, index, str(exc) or type(exc).__name__


def prepare(files: Iterable[str], fmt: str = "auto", procs: int = 1,
            progress: Callable[[int, int], None] | None = None) -> int:
    """OCR, in ``procs`` worker processes, every scanned page of ``files`` the cache lacks;
    returns how many pages were read.  ``progress(done, total)`` after each page."""
    if SETTINGS.cache_dir is None:
        return 0
    cache = OcrCache(SETTINGS.cache_dir, SETTINGS.engine)
    jobs = []
    for path in files:
        pages = _needs_ocr(path, fmt)
        if not pages:
            continue
        digest = file_hash(path)
        jobs += [(path, i, digest, SETTINGS.cache_dir, SETTINGS.engine)
                 for i in pages if not cache.has(digest, i)]
    if not jobs:
        return 0
    if progress:
        progress(0, len(jobs))
    if procs <= 1 or len(jobs) == 1:
        for n, job in enumerate(jobs, 1):
            _ocr_job(job)
            if progress:
                progress(n, len(jobs))
        return len(jobs)
    with get_context("spawn").Pool(min(procs, len(jobs))) as pool:
        for n, _ in enumerate(pool.imap_unordered(_ocr_job, jobs), 1):
            if progress:
                progress(n, len(jobs))
    return len(jobs)


def cache_dir_for(index_dir: str) -> str:
    """The OCR cache of an index folder: beside it (``../.<folder>.ocr-cache``, like the
    import lock), so that a rebuild or a restore, which replace the folder, keep it."""
    path = os.path.abspath(index_dir).rstrip(os.sep)
    return os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.ocr-cache")


def prepare_import(paths: Iterable[str], fmt: str, index_dir: str, procs: int,
                   show: Callable[[str], None] | None = None) -> int:
    """Before an import of ``paths``: the cache set to ``index_dir``'s, and every scanned
    page not yet read OCR'd in ``procs`` processes, ``show`` told ``OCR 3/40 pages`` as
    they finish.  The pages read."""
    from ..readers import walk

    configure(cache_dir_for(index_dir), SETTINGS.engine)
    files = [f for f in walk(paths, fmt) if isinstance(f, str)]

    def progress(done: int, total: int) -> None:
        if show:
            bar = "#" * (20 * done // total)
            show(f"[{bar:<20}] OCR {done}/{total} scanned pages")

    return prepare(files, fmt, procs, progress)
