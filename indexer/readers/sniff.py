"""What kind of file a path holds, by its first bytes: picks the PDF reader whatever the
file's name, and names what no reader takes (a PNG image, a Word document) when an
imported folder holds it."""

from __future__ import annotations

import os

_MAGIC = (
    (b"%PDF-", "a PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"GIF8", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"PK\x03\x04", "a ZIP archive (also .docx, .xlsx, .epub)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc, .xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)


def head_of(path: str, size: int = 1024) -> bytes:
    """The first ``size`` bytes of ``path`` (empty when it cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def kind_of(path: str, head: bytes | None = None) -> str:
    """``a PNG image``, ``a ZIP archive …``, else ``a .xyz file`` / ``a file with no suffix``."""
    head = head_of(path) if head is None else head
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:5] == b"RIFF" or head[8:12] == b"WEBP":
        return "a WebP image" if head[8:12] == b"WEBP" else "a RIFF file"
    if b"%PDF-" in head:
        return "a PDF"
    suffix = os.path.splitext(path)[1].lower()
    if not head:
        return f"an empty {suffix} file" if suffix else "an empty file"
    return f"a {suffix} file" if suffix else "a file with no suffix"
