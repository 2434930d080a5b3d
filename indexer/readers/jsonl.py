"""JSON Lines: one article object per line, streamed line by line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..encoding import SAMPLE_BYTES, Unreadable, detect
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
            yield Rejection(path, "", str(exc))
            return
        if encoding == "utf-16":
            yield Rejection(path, "", "UTF-16 is not supported; save the file as UTF-8")
            return
        fh.seek(0)
        for lineno, raw in enumerate(fh, 1):
            where = f"line {lineno}"
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError:
                yield Rejection(path, where, f"bytes that are not {encoding}")
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
