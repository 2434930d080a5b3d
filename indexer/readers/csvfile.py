"""CSV with a header row naming at least title, body and date; streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from ..encoding import SAMPLE_BYTES, Unreadable, detect
from ..records import Loaded, Rejection
from .fields import REQUIRED, BadRecord, article_from_record

csv.field_size_limit(64 * 1024 * 1024)


def read_csv(path: str, date: str | None = None) -> Iterator[Loaded | Rejection]:
    with open(path, "rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
    if not sample.strip():
        yield Rejection(path, "", "empty file")
        return
    try:
        encoding = detect(sample)
    except Unreadable as exc:
        yield Rejection(path, "", str(exc))
        return
    with open(path, encoding=encoding, newline="", errors="strict") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except (UnicodeDecodeError, csv.Error, StopIteration) as exc:
            yield Rejection(path, "line 1", f"unreadable header row ({exc})")
            return
        names = [h.strip().lstrip("\ufeff").lower() for h in header]
        missing = [c for c in REQUIRED if c not in names and not (c == "date" and date)]
        if missing:
            yield Rejection(path, "line 1", f"the header row lacks column(s) {', '.join(missing)} "
                            f"(found: {', '.join(n for n in names if n) or 'none'})")
            return
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError:
                yield Rejection(path, f"line {line}", f"bytes that are not {encoding}; "
                                "the rest of the file was not read")
                return
            except csv.Error as exc:
                yield Rejection(path, f"line {line}", f"broken CSV ({exc})")
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                yield Rejection(path, f"line {line}",
                                f"{len(row)} fields where the header has {len(names)}")
                continue
            try:
                yield Loaded(article_from_record(dict(zip(names, row, strict=True)), date),
                             path, f"line {line}")
            except BadRecord as exc:
                yield Rejection(path, f"line {line}", str(exc))


