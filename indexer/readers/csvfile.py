"""CSV with a header row naming at least title, body and date; streamed.

Each physical line is decoded on its own, as in JSON Lines: UTF-8 if it is valid
UTF-8 (real GBK text practically never is), else GB18030.  Issue 16 #10: the file
used to be opened with the encoding guessed from its first 64 KB, so one GBK row
there rejected the whole file, and one later stopped it ("the rest of the file was
not read").  Now only the row holding bytes that are neither is rejected.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import BinaryIO

from ..encoding import (
    NUL_REASON,
    SAMPLE_BYTES,
    TooLarge,
    Unreadable,
    detect,
    looks_binary,
    open_regular,
    read_lines,
    too_long,
)
from ..records import Loaded, Rejection
from .fields import REQUIRED, BadRecord, article_from_record

csv.field_size_limit(64 * 1024 * 1024)
_LONE_CR = re.compile(r"(?<=\r)(?!\n)")  # old Mac line ends: csv wants one line a string


def _decoded_lines(fh: BinaryIO, bad: dict[int, str]) -> Iterator[str]:
    """The file's lines as text; lines that are neither UTF-8 nor GB18030, or too long
    to read, go into ``bad`` with the reason (a stand-in still feeds the parser, so the
    rows after it stay aligned)."""
    lineno = 0
    for raw in read_lines(fh):
        if isinstance(raw, int):
            bad[lineno + 1] = too_long(raw)
            lineno += 1
            yield "\n"
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", "replace")
                bad[lineno + 1] = "bytes that are neither UTF-8 nor GB18030"
        if lineno == 0:
            text = text.lstrip("\ufeff")
        parts = _LONE_CR.split(text) if "\r" in text else (text,)
        for part in parts:
            if part:
                lineno += 1
                yield part


def read_csv(path: str, date: str | None = None) -> Iterator[Loaded | Rejection]:
    try:
        fh = open_regular(path)
    except Unreadable as exc:
        yield Rejection(path, "", str(exc))
        return
    with fh:
        sample = fh.read(SAMPLE_BYTES)
        if not sample.strip():
            yield Rejection(path, "", "empty file")
            return
        try:
            encoding = detect(sample)
        except Unreadable as exc:
            if looks_binary(sample):
                yield Rejection(path, "", str(exc))
                return
            encoding = "utf-8"  # mixed lines: each one decoded (or rejected) below
        if encoding == "utf-16":
            yield Rejection(path, "", "UTF-16 is not supported; save the file as UTF-8")
            return
        fh.seek(0)
        bad: dict[int, str] = {}
        reader = csv.reader(_decoded_lines(fh, bad))
        try:
            header = next(reader)
        except (csv.Error, StopIteration, TooLarge) as exc:
            yield Rejection(path, "line 1", f"unreadable header row ({exc})")
            return
        if bad:
            yield Rejection(path, "line 1", f"unreadable header row ({next(iter(bad.values()))})")
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
            except TooLarge as exc:
                yield Rejection(path, f"line {line}", str(exc))
                return
            except csv.Error as exc:
                yield Rejection(path, f"line {line}", f"broken CSV ({exc})")
                continue
            where = f"line {line}"
            if bad:
                problem = next((bad[n] for n in range(line, reader.line_num + 1) if n in bad),
                               None)
                if problem:
                    yield Rejection(path, where, problem)
                    continue
            if not any(cell.strip() for cell in row):
                continue
            if any("\x00" in cell for cell in row):  # the same rule anywhere: encoding.py
                yield Rejection(path, where, NUL_REASON)
                continue
            if len(row) != len(names):
                yield Rejection(path, where, f"{len(row)} fields where the header has {len(names)}")
                continue
            try:
                yield Loaded(article_from_record(dict(zip(names, row, strict=True)), date),
                             path, where)
            except BadRecord as exc:
                yield Rejection(path, where, str(exc))
