"""Readers for each input format, and the walk over files and folders.

Every reader yields :class:`~indexer.records.Loaded` articles and
:class:`~indexer.records.Rejection` notes, never raises for bad input, and
streams what can be large (JSON Lines, CSV).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator

from ..encoding import Unreadable, not_regular
from ..printed.scans import is_image
from ..records import Loaded, Rejection, Skipped
from .csvfile import read_csv
from .html import read_html
from .jsonl import read_jsonl
from .pagefile import read_page_dump
from .pdf import is_pdf, read_pdf
from .scan import read_scan
from .sniff import head_of, kind_of

READERS: dict[str, Callable[..., Iterator[Loaded | Rejection]]] = {
    "page": read_page_dump,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "html": read_html,
    "pdf": read_pdf,
    "scan": read_scan,
}
EXTENSIONS = {
    ".txt": "page", ".text": "page",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".pdf": "pdf",
    ".png": "scan", ".jpg": "scan", ".jpeg": "scan", ".tif": "scan", ".tiff": "scan",
}
FORMATS = ("auto", *READERS)


def format_of(path: str) -> str | None:
    """The reader for a file by its suffix, or None for files not imported."""
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


def detect(path: str) -> str | None:
    """The reader for a file by its content first (a PDF or a scanned image, PNG, JPEG or
    TIFF, whatever its name), then by its suffix; None when no reader takes it."""
    head = head_of(path)
    if is_pdf(head):
        return "pdf"
    if is_image(head):
        return "scan"
    return format_of(path)  # a .pdf with no PDF inside: the PDF reader says it is broken


def _file_problem(path: str) -> str | None:
    """Why ``path`` is not a file to read (links followed), or None."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return ("a link to nothing" if os.path.islink(path) else "no such file or folder")
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return None if stat.S_ISREG(mode) else not_regular(mode)


def walk(paths: Iterable[str], fmt: str = "auto") -> Iterator[str | Rejection]:
    """Files to read, folders recursively in name order; missing paths are rejections.

    Only regular files (or links to them) are read; a FIFO, a device or a
    socket with an importable name is a rejection that says what it is, and so is a
    folder that cannot be listed (``os.walk`` drops such errors unless given
    ``onerror``) and a link to a folder (not followed: it could loop).
    """
    for path in paths:
        if os.path.isdir(path):
            errors: list[OSError] = []
            for root, dirs, files in os.walk(path, onerror=errors.append):
                yield from _walk_errors(errors)
                for d in [d for d in dirs if os.path.islink(os.path.join(root, d))]:
                    dirs.remove(d)
                    if not d.startswith("."):
                        yield Rejection(os.path.join(root, d), "",
                                        "a link to a folder: not followed (give the folder "
                                        "itself to import it)")
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    full = os.path.join(root, name)
                    problem = _file_problem(full)
                    if problem:
                        yield Rejection(full, "", problem)
                    elif fmt != "auto" or format_of(full) or detect(full):
                        yield full
                    else:
                        yield Skipped(full, "", f"skipped: {kind_of(full)}, which no reader "
                                      "takes")
            yield from _walk_errors(errors)
        else:
            problem = _file_problem(path)
            yield Rejection(path, "", problem) if problem else path


def _walk_errors(errors: list[OSError]) -> Iterator[Rejection]:
    for exc in errors:
        yield Rejection(exc.filename or "?", "", f"folder not read: {exc.strerror or exc}")
    errors.clear()


def read(paths: Iterable[str], fmt: str = "auto", date: str | None = None
         ) -> Iterator[Loaded | Rejection]:
    """Everything in ``paths``, article by article."""
    for item in walk(paths, fmt):
        if isinstance(item, Rejection):
            yield item
            continue
        kind = fmt if fmt != "auto" else detect(item)
        if kind is None:
            yield Rejection(item, "", f"unknown file type: {kind_of(item)}, which no reader "
                            "takes (use .txt, .jsonl, .csv, .html, .pdf or a scanned page: "
                            ".png, .jpg, .tif; or give --format)")
            continue
        try:
            yield from READERS[kind](item, date)
        except OSError as exc:
            yield Rejection(item, "", f"cannot read: {exc.strerror or exc}")
        except Unreadable as exc:  # readers report their own; a last resort for new ones
            yield Rejection(item, "", str(exc))
