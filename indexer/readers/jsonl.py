"""JSON Lines: one article object per line, streamed line by line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..encoding import NUL_REASON, TooLarge, read_lines, too_long
from ..records import Loaded, Rejection
from .fields import NEITHER, decode_line, open_records, record_item


def read_jsonl(path: str, date: str | None = None) -> Iterator[Loaded | Rejection]:
    """One article or rejection per non-blank line of ``path``, in order.

    A damaged line costs only itself: text that is not binary is read on, each line
    decoded (or rejected) on its own.
    """
    opened = open_records(path)
    if isinstance(opened, Rejection):
        yield opened
        return
    with opened as fh:
        lineno = 0
        lines = read_lines(fh)
        while True:
            try:
                raw = next(lines, None)
            except TooLarge as exc:
                yield Rejection(path, f"line {lineno + 1}", str(exc))
                return
            if raw is None:
                return
            lineno += 1
            item = _line_item(raw, lineno, path, date)
            if item is not None:
                yield item


def _line_item(raw: bytes | int, lineno: int, path: str, date: str | None
               ) -> Loaded | Rejection | None:
    """What line ``lineno`` holds (``raw``: its bytes, or its length when too long to read);
    ``None`` for a blank line."""
    where = f"line {lineno}"
    if isinstance(raw, int):
        return Rejection(path, where, too_long(raw))
    line = decode_line(raw)
    if line is None:
        return Rejection(path, where, NEITHER)
    if lineno == 1:
        line = line.lstrip("\ufeff")
    if not line.strip():
        return None
    if "\x00" in line:  # the same rule early and late in a file: see encoding.py
        return Rejection(path, where, NUL_REASON)
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        return Rejection(path, where, f"not valid JSON ({exc.msg} at column {exc.colno})")
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return Rejection(path, where, f"not usable JSON ({str(exc)[:120]})")
    except RecursionError:
        # Deeply nested brackets: caught here, or the RecursionError would end the
        # whole import with nothing imported.
        return Rejection(path, where, "not usable JSON (nested too deeply)")
    return record_item(rec, date, path, where)
