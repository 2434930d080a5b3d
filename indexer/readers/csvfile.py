"""CSV with a header row naming at least title, body and date; streamed.

Each physical line is decoded on its own, as in JSON Lines: UTF-8 if it is valid
UTF-8 (real GBK text practically never is), else GB18030.  A guess made once for
the whole file from its first rows would let one GBK row reject the file, or stop it
half-way; decoded row by row, only a row holding bytes that are neither is rejected.

A record is bounded as a line is (:data:`~indexer.encoding.MAX_LINE_BYTES`), not the file:
a quoted field may span lines, and an unclosed quote would make the rest of the file one
record held in memory; past the bound, reading stops there with the record's first line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import BinaryIO

from ..encoding import MAX_LINE_BYTES, NUL_REASON, TooLarge, read_lines, too_long
from ..records import Loaded, Rejection
from .fields import NEITHER, REQUIRED, decode_line, open_records, record_item

csv.field_size_limit(MAX_LINE_BYTES)
_LONE_CR = re.compile(r"(?<=\r)(?!\n)")  # old Mac line ends: csv wants one line a string


def _decoded_lines(fh: BinaryIO, bad: dict[int, str], record: list[int]) -> Iterator[str]:
    """The file's lines as text; lines that are neither UTF-8 nor GB18030, or too long
    to read, go into ``bad`` with the reason (a stand-in still feeds the parser, so the
    rows after it stay aligned).  ``record[0]``: bytes fed to the record being parsed (the
    caller sets it to 0 after each record); past :data:`MAX_LINE_BYTES`,
    :class:`TooLarge` is raised."""
    lineno = 0
    for raw in read_lines(fh):
        record[0] += 0 if isinstance(raw, int) else len(raw)  # a skipped line is not held
        if record[0] > MAX_LINE_BYTES:
            raise TooLarge(f"a record longer than {MAX_LINE_BYTES >> 20} MB (an unclosed "
                           "quote?); stopped reading here (every record before it was read)")
        if isinstance(raw, int):
            bad[lineno + 1] = too_long(raw)
            lineno += 1
            yield "\n"
            continue
        text = decode_line(raw)
        if text is None:
            text = raw.decode("utf-8", "replace")
            bad[lineno + 1] = NEITHER
        if lineno == 0:
            text = text.lstrip("\ufeff")
        parts = _LONE_CR.split(text) if "\r" in text else (text,)
        for part in parts:
            if part:
                lineno += 1
                yield part


def read_csv(path: str, date: str | None = None) -> Iterator[Loaded | Rejection]:
    """One article or rejection per non-blank row of ``path`` after its header, in order."""
    opened = open_records(path)
    if isinstance(opened, Rejection):
        yield opened
        return
    with opened as fh:
        bad: dict[int, str] = {}
        record = [0]
        reader = csv.reader(_decoded_lines(fh, bad, record))
        names = _header(reader, bad, path, date)
        if isinstance(names, Rejection):
            yield names
            return
        while True:
            line = reader.line_num + 1
            record[0] = 0
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
            item = _row_item(row, names, range(line, reader.line_num + 1), bad, path, date)
            if item is not None:
                yield item


def _header(reader: Iterator[list[str]], bad: dict[int, str], path: str, date: str | None
            ) -> list[str] | Rejection:
    """The column names (stripped, lower case), or why the header row is unusable."""
    try:
        header = next(reader)
    except (csv.Error, StopIteration, TooLarge) as exc:
        return Rejection(path, "line 1", f"unreadable header row ({exc})")
    if bad:
        return Rejection(path, "line 1", f"unreadable header row ({next(iter(bad.values()))})")
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    missing = [c for c in REQUIRED if c not in names and not (c == "date" and date)]
    if missing:
        return Rejection(path, "line 1", f"the header row lacks column(s) {', '.join(missing)} "
                         f"(found: {', '.join(n for n in names if n) or 'none'})")
    return names


def _row_item(row: list[str], names: list[str], lines: range, bad: dict[int, str], path: str,
              date: str | None) -> Loaded | Rejection | None:
    """What ``row`` (read from physical ``lines``) holds; ``None`` for an empty row."""
    where = f"line {lines.start}"
    if bad:
        problem = next((bad[n] for n in lines if n in bad), None)
        if problem:
            return Rejection(path, where, problem)
    if not any(cell.strip() for cell in row):
        return None
    if any("\x00" in cell for cell in row):  # the same rule anywhere: encoding.py
        return Rejection(path, where, NUL_REASON)
    if len(row) != len(names):
        return Rejection(path, where, f"{len(row)} fields where the header has {len(names)}")
    return record_item(dict(zip(names, row, strict=True)), date, path, where)
