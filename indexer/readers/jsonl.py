"""JSON Lines: one article object per line, streamed line by line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..encoding import SAMPLE_BYTES, Unreadable, detect, looks_binary
from ..records import Loaded, Rejection
from .fields import BadRecord, article_from_record


def read_jsonl(path: str, date: str | None = None) -> Iterator[Loaded | Rejection]:
    with open(path, "rb") as fh:
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
        for lineno, raw in enumerate(fh, 1):
            where = f"line {lineno}"
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
            try:
                rec = json.loads(line)
            except ValueError as exc:
                yield Rejection(path, where, f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            try:
                yield Loaded(article_from_record(rec, date), path, where)
            except BadRecord as exc:
                yield Rejection(path, where, str(exc))
