"""Scanned pages from files: images (PNG, JPEG, TIFF, one page or many) and PDF pages rendered
by PDFium, read by OCR once and then from the cache.

An import OCRs in two steps.  :func:`prepare` first finds every scanned page the import
will read that the cache does not hold yet and OCRs them in worker processes (one page per
task, a progress bar), storing each as it is done; then the readers take every page from
the cache.  A stopped import loses at most the pages being read: run it again and it goes on
where it stopped.  A page never holds the import up: one whose worker spends more CPU than
the limit per page (``ocr_page_limit``) on it, or stops moving for that long, or dies, has
its worker killed and replaced; the reader rejects that page by name with the reason and the
next run tries it again.  Workers
are as many as the cores allow and memory holds (about a gigabyte each at their peak).
Without a cache folder (``--dry-run``, a bare call) a page is OCR'd where it is read.  The
web service never OCRs: it only shows pages.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

import numpy as np

from .lines import PrintedPage
from .store import OcrCache, file_hash

DEFAULT_DPI = 200.0  # an image that does not say its resolution is taken as a 200-dpi scan
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
PAGE_LIMIT = 300.0  # CPU seconds, or seconds without progress, on one page (ocr_page_limit)
# Memory one OCR worker may take at its peak: the engine's three models and a broadsheet
# page (measured in bench/RESULTS.md), with room to spare.
WORKER_BYTES = 1280 * 2**20


@dataclass
class OcrSettings:
    """Where OCR results are cached (None: not cached), which engine reads, how long a page
    may take, and the pages this run gave up on: (file hash, page) → why."""

    cache_dir: str | None = None
    engine: str = "rapidocr"
    page_limit: float = PAGE_LIMIT
    not_read: dict[tuple[str, int], str] = field(default_factory=dict)


SETTINGS = OcrSettings()


class PageNotRead(RuntimeError):
    """OCR gave up on the page in this run (too slow, or its worker died); the message says
    why."""


def configure(cache_dir: str | None, engine: str = "rapidocr",
              page_limit: float = PAGE_LIMIT) -> None:
    """Set the cache folder, engine and limit per page for this process's imports (the CLI
    does, per run); forgets the pages an earlier run gave up on."""
    SETTINGS.cache_dir = cache_dir
    SETTINGS.engine = engine
    SETTINGS.page_limit = page_limit
    SETTINGS.not_read.clear()


def is_image(head: bytes) -> bool:
    """Whether a file's first bytes say PNG, JPEG or TIFF."""
    return any(head.startswith(m) for m in IMAGE_MAGIC)


def is_pdf_file(path: str) -> bool:
    """Whether the file at ``path`` says PDF in its first 1,024 bytes."""
    with open(path, "rb") as fh:
        return b"%PDF-" in fh.read(1024)


def page_count(path: str) -> int:
    """Pages in an image file (TIFF may hold many) or a PDF."""
    if is_pdf_file(path):
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
    if is_pdf_file(path):
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
    """Page ``index`` of ``path`` from the cache, else OCR'd now (and cached); raises
    :class:`PageNotRead` for a page this run's OCR workers gave up on."""
    if SETTINGS.cache_dir is None:
        return ocr_file_page(path, index)
    cache = OcrCache(SETTINGS.cache_dir, SETTINGS.engine)
    digest = digest or file_hash(path)
    page = cache.get(digest, index, path)
    if page is None and (digest, index) in SETTINGS.not_read:
        raise PageNotRead(SETTINGS.not_read[digest, index])
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
    """OCR one page into the cache; (path, page, problem or None)."""
    path, index, digest, cache_dir, engine = job
    try:
        page = ocr_file_page(path, index, engine)
        OcrCache(cache_dir, engine).put(digest, index, page)
        return path, index, None
    except Exception as exc:  # noqa: BLE001 - the reader rejects the page, naming it
        return path, index, str(exc) or type(exc).__name__


def _worker(conn: Connection) -> None:
    """An OCR worker process: pages from ``conn`` until told to stop (None), each answered
    with :func:`_ocr_job`'s result."""
    from search.pausepoints import pause_point

    while True:
        job = conn.recv()
        if job is None:
            return
        pause_point("ocr-page")
        conn.send(_ocr_job(job))


def available_memory() -> int | None:
    """Bytes the kernel says can be given to new processes (MemAvailable), None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def ocr_workers(procs: int, jobs: int, available: int | None) -> int:
    """How many OCR workers to start: ``procs`` at most, one per page at most, and no more
    than ``available`` bytes of memory hold (:data:`WORKER_BYTES` each; at least one)."""
    n = max(1, min(procs, jobs))
    if available is not None:
        n = min(n, max(1, available // WORKER_BYTES))
    return n


@dataclass
class _Slot:
    """One worker process, its end of the pipe, the page it is reading, the worker's CPU
    seconds when it was given the page, and when (and at what CPU seconds) it last moved."""

    proc: BaseProcess
    conn: Connection
    job: tuple | None = None
    cpu_start: float = 0.0
    cpu_seen: float = 0.0
    moved: float = 0.0


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user and system) process ``pid`` has used, None where /proc cannot say."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class _Workers:
    """OCR worker processes, each reading one page at a time.  A page is given up on, its
    worker killed and a new one started in its place, when the worker has spent ``limit``
    CPU seconds on it (an engine in a loop) or has not used the CPU at all for ``limit``
    seconds (stopped, deadlocked, waiting for ever).  A page that is slow only because the
    machine is busy keeps its worker: on a loaded machine wall time says nothing about the
    page.  Where /proc cannot say, ``limit`` seconds of wall time stop the page."""

    def __init__(self, n: int, limit: float):
        self.ctx = get_context("spawn")
        self.limit = limit
        self.slots = [self._start() for _ in range(n)]

    def _start(self) -> _Slot:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker, args=(child,), daemon=True)
        proc.start()
        child.close()
        return _Slot(proc, parent)

    def _replace(self, slot: _Slot) -> None:
        slot.proc.kill()
        slot.proc.join()
        slot.conn.close()
        fresh = self._start()
        slot.proc, slot.conn, slot.job = fresh.proc, fresh.conn, None

    def run(self, jobs: list[tuple], done: Callable[[tuple, str | None], None]) -> None:
        """Every job read (or given up on): ``done(job, problem or None)`` for each."""
        todo = list(reversed(jobs))
        while todo or any(s.job for s in self.slots):
            for slot in self.slots:
                if slot.job is None and todo:
                    slot.job = todo.pop()
                    slot.cpu_start = slot.cpu_seen = cpu_seconds(slot.proc.pid) or 0.0
                    slot.moved = time.monotonic()
                    slot.conn.send(slot.job)
            busy = [s for s in self.slots if s.job is not None]
            poll = min(self.limit / 4, 5.0)
            ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], poll)
            for slot in busy:
                if slot.conn in ready:
                    try:
                        _, _, problem = slot.conn.recv()
                    except (EOFError, OSError):
                        problem = _died(slot.proc)
                        job = slot.job
                        self._replace(slot)
                        done(job, problem)
                        continue
                    job, slot.job = slot.job, None
                    done(job, problem)
                elif slot.proc.sentinel in ready:
                    job = slot.job
                    problem = _died(slot.proc)
                    self._replace(slot)
                    done(job, problem)
                elif (why := self._over(slot)) is not None:
                    job = slot.job
                    self._replace(slot)
                    done(job, f"OCR was stopped: {why} (the limit per page, ocr_page_limit, "
                              f"is {self.limit:g} s); the import went on without it: run it "
                              "again to retry the page, or raise the limit")

    def _over(self, slot: _Slot) -> str | None:
        """Why the worker's page is over the limit, or None while it is not."""
        now = time.monotonic()
        cpu = cpu_seconds(slot.proc.pid)
        if cpu is None:
            return (f"it took more than {self.limit:g} s" if now - slot.moved >= self.limit
                    else None)
        if cpu > slot.cpu_seen:
            slot.cpu_seen, slot.moved = cpu, now
        if cpu - slot.cpu_start >= self.limit:
            return f"it used more than {self.limit:g} s of CPU on this page"
        if now - slot.moved >= self.limit:
            return f"the OCR worker did not move for {self.limit:g} s (hung or stopped)"
        return None

    def close(self) -> None:
        for slot in self.slots:
            if slot.proc.is_alive():
                try:
                    slot.conn.send(None)
                except OSError:
                    pass
        for slot in self.slots:
            slot.proc.join(5)
            if slot.proc.is_alive():
                slot.proc.kill()
                slot.proc.join()
            slot.conn.close()


def _died(proc: BaseProcess) -> str:
    proc.join(1)
    code = proc.exitcode
    how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit {code}"
    return f"the OCR worker ended while reading this page ({how}; out of memory?)"


def prepare(files: Iterable[str], fmt: str = "auto", procs: int = 1,
            progress: Callable[[int, int], None] | None = None) -> int:
    """OCR, in worker processes (``procs`` at most, as many as memory holds), every scanned
    page of ``files`` the cache lacks; returns how many pages were read.  A page over the
    limit per page (:class:`_Workers`), or whose worker dies, is given up on: the reader then
    rejects it by name with the reason (:func:`read_page`) and the import goes on; the next
    run tries it again.  ``progress(done, total)`` after each page."""
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
    finished = 0

    def done(job: tuple, problem: str | None) -> None:
        nonlocal finished
        finished += 1
        if problem is not None:
            SETTINGS.not_read[job[2], job[1]] = problem
        if progress:
            progress(finished, len(jobs))

    workers = _Workers(ocr_workers(procs, len(jobs), available_memory()), SETTINGS.page_limit)
    try:
        workers.run(jobs, done)
    finally:
        workers.close()
    return sum(1 for job in jobs if (job[2], job[1]) not in SETTINGS.not_read)


def cache_dir_for(index_dir: str) -> str:
    """The OCR cache of an index folder: beside it (``../.<folder>.ocr-cache``, like the
    import lock), so that a rebuild or a restore, which replace the folder, keep it."""
    path = os.path.abspath(index_dir).rstrip(os.sep)
    return os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.ocr-cache")


def prepare_import(paths: Iterable[str], fmt: str, index_dir: str, procs: int,
                   show: Callable[[str], None] | None = None,
                   page_limit: float = PAGE_LIMIT) -> int:
    """Before an import of ``paths``: the cache set to ``index_dir``'s, and every scanned
    page not yet read OCR'd in ``procs`` processes at most (``page_limit`` seconds a page),
    ``show`` told ``OCR 3/40 pages`` as they finish.  The pages read."""
    from ..readers import walk

    configure(cache_dir_for(index_dir), SETTINGS.engine, page_limit)
    files = [f for f in walk(paths, fmt) if isinstance(f, str)]

    def progress(done: int, total: int) -> None:
        if show:
            bar = "#" * (20 * done // total)
            show(f"[{bar:<20}] OCR {done}/{total} scanned pages")

    return prepare(files, fmt, procs, progress)
