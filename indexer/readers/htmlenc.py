"""The encoding of an HTML file: BOM, then the declared charset, then the bytes.

Why not :func:`indexer.encoding.detect` alone: old e-paper pages are GB2312/GBK *and say so*
in a ``<meta>``; a short page of mostly ASCII markup can be valid UTF-8 by accident, and the
declaration is the publisher's own word.  The bytes decide only when nothing is declared, or
when the declaration is plainly wrong (the bytes do not decode with it).
"""

from __future__ import annotations

import codecs
import re

from ..encoding import SAMPLE_BYTES, Unreadable, looks_binary

try:  # size and special-file limits shared with the other whole-file readers
    from ..encoding import read_page_bytes
except ImportError:  # pragma: no cover - older indexer.encoding
    def read_page_bytes(path: str) -> bytes:
        with open(path, "rb") as fh:
            return fh.read()

# Everything GB-family is read as GB18030, the superset: GB2312 pages routinely contain GBK
# characters (人名 such as 镕 and 喆), which a strict gb2312 codec would reject.
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "euc-cn", "gb_2312-80",
       "csgb2312", "x-euc-cn", "chinese", "iso-ir-58", "windows-936", "hz-gb-2312"}
_META = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_HEAD_BYTES = 4096  # browsers look for the declaration in the first 1024; be a little kinder


def declared(data: bytes) -> str | None:
    """The Python codec named by the first ``<meta charset>`` / ``http-equiv`` in the head."""
    m = _META.search(data[:_HEAD_BYTES])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").strip().lower()
    if name in _GB:
        return "gb18030"
    if name in ("utf8", "utf-8", "unicode-1-1-utf-8"):
        return "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None  # an unknown label is no declaration


def sniff(data: bytes) -> str:
    """The codec for ``data``: BOM, else the declared charset if it decodes, else the bytes."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return codec
    if looks_binary(data[:SAMPLE_BYTES]):
        raise Unreadable("binary file, not text (it contains NUL or control bytes)")
    codec = declared(data)
    if codec:
        try:
            data.decode(codec)
            return codec
        except UnicodeDecodeError:
            pass  # declared wrongly (a re-saved page): trust the bytes instead
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise Unreadable("HTML is neither UTF-8 nor GB18030/GBK, whatever it declares") from None


def read_html_text(path: str) -> str:
    """The whole HTML file as text, decoded as :func:`sniff` decides."""
    data = read_page_bytes(path)
    if not data.strip():
        raise Unreadable("empty file")
    return data.decode(sniff(data))
