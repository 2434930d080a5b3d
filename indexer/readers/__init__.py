"""Readers for each input format, and the walk over files and folders.

Every reader yields :class:`~indexer.records.Loaded` articles and
:class:`~indexer.records.Rejection` notes, never raises for bad input, and
streams what can be large (JSON Lines, CSV).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

from ..records import Loaded, Rejection
from .csvfile import read_csv
from .html import read_html
from .jsonl import read_jsonl
from .pagefile import read_page

READERS: dict[str, Callable[..., Iterator[Loaded | Rejection]]] = {
    "page": read_page,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "html": read_html,
}
EXTENSIONS = {
    ".txt": "page", ".text": "page",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}
FORMATS = ("auto", *READERS)


def format_of(path: str) -> str | None:
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


def walk(paths: Iterable[str], fmt: str = "auto") -> Iterator[str | Rejection]:
    """Files to read, folders recursively in name order; missing paths are rejections."""
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    full = os.path.join(root, name)
                    if fmt != "auto" or format_of(full):
                        yield full
        elif os.path.isfile(path):
            yield path
        else:
            yield Rejection(path, "", "no such file or folder")


def read(paths: Iterable[str], fmt: str = "auto", date: str | None = None
         ) -> Iterator[Loaded | Rejection]:
    """Everything in ``paths``, article by article."""
    for item in walk(paths, fmt):
        if isinstance(item, Rejection):
            yield item
            continue
        kind = fmt if fmt != "auto" else format_of(item)
        if kind is None:
            yield Rejection(item, "", "unknown file type (use .txt, .jsonl, .csv or .html, "
                            "or give --format)")
            continue
        try:
            yield from READERS[kind](item, date)
        except OSError as exc:
            yield Rejection(item, "", f"cannot read: {exc.strerror or exc}")
