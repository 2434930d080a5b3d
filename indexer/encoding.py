"""Detecting and decoding text files: UTF-8 (with or without BOM), GB18030/GBK."""

from __future__ import annotations

import codecs

SAMPLE_BYTES = 1 << 16


class Unreadable(Exception):
    """The file is not text this importer can read; the message says why."""


def looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(sample) and controls / len(sample) > 0.01


def detect(sample: bytes) -> str:
    """The encoding of a file from its first bytes: 'utf-8-sig', 'utf-8' or 'gb18030'."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if looks_binary(sample):
        raise Unreadable("binary file, not text (it contains NUL or control bytes)")
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    try:
        sample.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:
            return "gb18030"
    raise Unreadable("text is neither UTF-8 nor GB18030/GBK")


def read_text(path: str) -> str:
    """The whole file decoded (for page dumps and HTML, which are small)."""
    with open(path, "rb") as fh:
        data = fh.read()
    if not data.strip():
        raise Unreadable("empty file")
    encoding = detect(data[:SAMPLE_BYTES])
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Unreadable(f"undecodable bytes as {encoding} at line {line}") from None
