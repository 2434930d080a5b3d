"""Detecting and decoding text files: UTF-8 (with or without BOM), GB18030/GBK.

NUL bytes: a NUL is never text, and the rule is the same wherever it is in a file.  A file is
*binary*, rejected whole, when its first 64 KB are more than 1% NUL or control bytes
(images, archives) or its NULs fall on every other byte (UTF-16 without a BOM).  Otherwise a
stray NUL rejects only its record: the JSON line or CSV row, or (in page dumps and HTML, at
the import's article check) the article it lands in, with its line or article number.  So a
NUL near the top does not cost the whole file, and one further down never reaches the index.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import os
import stat
from collections.abc import Iterator
from typing import BinaryIO

SAMPLE_BYTES = 1 << 16
# How much one file may make us read.  Page dumps and HTML are read whole
# into memory: one printed page is ~10 KB (the sample 9 KB), a whole issue or an e-paper
# page with its markup well under 2 MB, so 20 MB is ten times anything real.  JSON Lines
# and CSV are streamed, one line (one CSV record) in memory at a time, so what bounds
# memory is a line's length, not the file's: a whole archive exported as one file (a
# million articles, 2.4 GB) imports in one command.  A line is held up to 64 MB (also the
# CSV field limit); an article longer than 1,000,000 characters is rejected after
# decoding anyway.  A longer line is skipped to its end, but only up to 1 GiB: past that
# the file is not lines of text (a sparse file's hole, a disk image) and reading stops.
MAX_PAGE_BYTES = 20 << 20
MAX_LINE_BYTES = 64 << 20
MAX_SKIP_BYTES = 1 << 30
NUL_REASON = "NUL bytes in this record: binary data, not text"


class Unreadable(Exception):
    """The file is not text this importer can read; the message says why."""


def looks_binary(sample: bytes) -> bool:
    """Binary (or BOM-less UTF-16) by its first bytes; a few stray NULs are not enough."""
    if not sample:
        return False
    nul = sample.count(0)
    if nul * 100 > len(sample):
        return True
    # UTF-16 text: the zero half of every ASCII character (each line break at least).
    if nul >= 16 and nul * 1000 > len(sample):
        minority = min(sample[0::2].count(0), sample[1::2].count(0))
        if minority * 20 < nul:
            return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample) > 0.01


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


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words, for a rejection."""
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISDIR, "folder")):
        if test(mode):
            return name
    return "special file"


def not_regular(mode: int) -> str:
    """Why a FIFO, device or socket is not read (reading one may hang or never end)."""
    return f"not a regular file ({file_kind(mode)}); only regular files are imported"


_PINNED: contextvars.ContextVar[tuple[int, int] | None] = contextvars.ContextVar(
    "pinned", default=None)


@contextlib.contextmanager
def pinned(identity: tuple[int, int] | None) -> Iterator[None]:
    """While inside, :func:`open_regular` opens only the file ``identity`` (device, inode)
    and follows no link: ``unionsearch watch`` reads exactly the regular file it looked at,
    not a link (or a linked folder) put in its place meanwhile.  ``None``: no restriction."""
    token = _PINNED.set(identity)
    try:
        yield
    finally:
        _PINNED.reset(token)


def open_regular(path: str) -> BinaryIO:
    """``path`` opened for reading, if (after following links) it is a regular file.

    A FIFO in an import folder would block ``open`` for ever while the import lock
    is held, and a link to ``/dev/zero`` would be read without end.  Opened with
    ``O_NONBLOCK`` (a FIFO opens at once) and checked on the open descriptor,
    so a file swapped after :func:`indexer.readers.walk` looked at it is caught too.
    Inside :func:`pinned`, links are not followed and the file must be the pinned one.
    """
    identity = _PINNED.get()
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    try:
        fd = os.open(path, flags | (os.O_NOFOLLOW if identity else 0))
    except OSError as exc:
        if identity and os.path.islink(path):
            raise Unreadable("a link; only regular files are read here") from exc
        raise
    try:
        st = os.fstat(fd)
        mode = st.st_mode
        if not stat.S_ISREG(mode):
            raise Unreadable(not_regular(mode))
        if identity and (st.st_dev, st.st_ino) != identity:
            raise Unreadable("replaced by another file while being imported; not read")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class TooLarge(Unreadable):
    """A streamed line (or CSV record) too long to be text: reading the file stops there."""


def read_lines(fh: BinaryIO, line_max: int = MAX_LINE_BYTES,
               skip_max: int = MAX_SKIP_BYTES) -> Iterator[bytes | int]:
    """The raw lines of a streamed file of any length, each at most ``line_max`` bytes in
    memory.

    A longer line is skipped and its length in bytes yielded instead (the reader rejects
    it by number); a line still going after ``skip_max`` bytes raises :class:`TooLarge`.
    """
    while True:
        raw = fh.readline(line_max + 1)
        if not raw:
            return
        if len(raw) <= line_max:
            yield raw
            continue
        size = len(raw)
        while not raw.endswith(b"\n"):
            if size > skip_max:
                raise TooLarge(f"a line longer than {skip_max / (1 << 30):g} GiB: the rest of "
                               "the file is not lines of text; stopped reading here (every "
                               "line before this one was read)")
            raw = fh.readline(1 << 20)
            if not raw:
                break
            size += len(raw)
        yield size


def too_long(size: int, line_max: int = MAX_LINE_BYTES) -> str:
    """Why a line of ``size`` bytes is rejected."""
    return (f"line of {size / (1 << 20):,.0f} MB; the limit is {line_max >> 20} MB "
            "(is the file one article per line?)")


def read_page_bytes(path: str) -> bytes:
    """A whole page file's bytes: a regular file of at most :data:`MAX_PAGE_BYTES`."""
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        data = fh.read(MAX_PAGE_BYTES + 1)  # +1: a file that grew since fstat is caught too
    if max(size, len(data)) > MAX_PAGE_BYTES:
        raise Unreadable(f"file of {max(size, len(data)) / (1 << 20):,.1f} MB; page dumps and "
                         f"HTML pages are read whole, up to {MAX_PAGE_BYTES >> 20} MB "
                         "(is it really one page?)")
    return data


def read_text(path: str) -> str:
    """The whole file decoded (page dumps and HTML: one page each, so at most 20 MB)."""
    data = read_page_bytes(path)
    if not data.strip():
        raise Unreadable("empty file")
    encoding = detect(data[:SAMPLE_BYTES])
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Unreadable(f"undecodable bytes as {encoding} at line {line}") from None
