"""JSON Lines: one article object per line, streamed line by line."""

from __future__ import annotations

import json
from collections.abc import Iterator

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
from .fields import BadRecord, article_from_record


def read_jsonl(path: str, date: str | None = None) -> Iterator[Loaded | Rejection]:
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
            # Reliability fix: one damaged line in the first 64 KB rejected the whole file;
            # text that is not binary is read on, each line decoded (or rejected) below.
            if looks_binary(sample):
                yield Rejection(path, "", str(exc))
                return
            encoding = "utf-8"
        if encoding == "utf-16":
            yield Rejection(path, "", "UTF-16 is not supported; save the file as UTF-8")
            return
        fh.seek(0)
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
            where = f"line {lineno}"
            if isinstance(raw, int):
                yield Rejection(path, where, too_long(raw))
                continue
            # Reliability fix (tests/test_reliability_input.py): the encoding guessed from
            # the first 64 KB was applied to every line, so one GBK line near the top of a
            # UTF-8 file made all its UTF-8 lines decode as GB18030 (silently garbled).
            # Each line is UTF-8 if it is valid UTF-8 (real GBK text practically never is),
            # else GB18030; only a line that is neither is rejected.
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    line = raw.decode("gb18030")
                except UnicodeDecodeError:
                    yield Rejection(path, where, "bytes that are neither UTF-8 nor GB18030")
                    continue
            if lineno == 1:
                line = line.lstrip("\ufeff")
            if not line.strip():
                continue
            if "\x00" in line:  # the same rule early and late in a file: see encoding.py
                yield Rejection(path, where, NUL_REASON)
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Rejection(path, where, f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            except ValueError as exc:  # e.g. an integer of more than 4,300 digits
                yield Rejection(path, where, f"not usable JSON ({str(exc)[:120]})")
                continue
            except RecursionError:
                # Issue 16 #5: 100,000 nested brackets raised RecursionError out of the
                # reader, which ended the whole import (exit 1, nothing imported).
                yield Rejection(path, where, "not usable JSON (nested too deeply)")
                continue
            try:
                yield Loaded(article_from_record(rec, date), path, where)
            except BadRecord as exc:
                yield Rejection(path, where, str(exc))
