"""CRC32C checksums of the index's files, and the sums file beside each Whoosh segment.

Why: a flipped bit, a cut file or a file copied over by hand must never turn into a
wrong hit list.  Structure checks in the decoders catch most damage but not a flipped
docnum that still gives an ascending list; a checksum catches every change of up to a
few bits and any cut.  CRC32C (the ``crc32c`` package: the CPU's CRC instruction where
there is one) is cheap enough to check every block a search reads (bench/RESULTS.md).

Two kinds of file carry them:

* a ``.usx`` file carries its own (``search/storage/usx/README.md``): a header (format,
  version), a checksum of each table, one per 4 KB block of postings, and a footer
  with the file's length and whole checksum;
* Whoosh's files of a segment (``.trm``, ``.pst``, ``_stored.col``, ``.day.col`` …) are
  read by Whoosh, which knows nothing of footers, so their sizes and checksums are in
  the segment's sums file ``<segment id>.sums``, written when the segment is built and
  named after it like every file of the segment (Whoosh deletes it with them).  The
  sums file has its own header line (format, version) and checksum footer line.

What is verified when: :mod:`search.storage.segments` verifies a segment's files when it opens
the segment and again whenever one changes on disk; ``unionsearch check`` every byte.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable

import crc32c as _crc32c
import numpy as np

SUMS_SUFFIX = ".sums"
SUMS_FORMAT = "unionsearch-sums"
SUMS_VERSION = 1
_CHUNK = 1 << 22


class ChecksumError(Exception):
    """A file's bytes are not the bytes its checksum was made of: the message names
    the file and what differs."""


crc = _crc32c.crc32c
"""``crc(data, value=0)``: CRC32C of ``data`` (any contiguous buffer), continuing from
``value`` (the package's function itself: a read checks a block with one call)."""


def block_crcs(data: np.ndarray, block: int) -> np.ndarray:
    """The CRC32C of each ``block`` bytes of ``data`` (the last block may be shorter)."""
    buf = memoryview(np.ascontiguousarray(data, dtype=np.uint8))
    n = (len(buf) + block - 1) // block
    return np.fromiter((crc(buf[k * block:(k + 1) * block]) for k in range(n)),
                       dtype=np.uint32, count=n)


def fd_crc(fd: int, start: int, length: int) -> int:
    """CRC32C of ``length`` bytes of an open file from ``start``, read in chunks;
    raises :class:`ChecksumError` when the file ends first."""
    value, at, end = 0, start, start + length
    while at < end:
        chunk = os.pread(fd, min(_CHUNK, end - at), at)
        if not chunk:
            raise ChecksumError(f"ends at byte {at}, {end - at} bytes short")
        value = crc(chunk, value)
        at += len(chunk)
    return value


def file_sum(path: str) -> tuple[int, int]:
    """(size, CRC32C) of a whole file."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        return size, fd_crc(fd, 0, size)
    finally:
        os.close(fd)


# --- the sums file of a segment's Whoosh files ---------------------------------------

def sums_path(folder: str, segment_id: str) -> str:
    """Where a segment's sums file is."""
    return os.path.join(folder, segment_id + SUMS_SUFFIX)


def write_sums(folder: str, segment_id: str, names: Iterable[str]) -> None:
    """Write the sums file of ``names`` (files of ``folder``), atomically: a header
    line, one JSON line of each file's size and CRC32C, a footer line with the CRC32C
    of the two lines before it."""
    files = {name[len(segment_id):]: list(file_sum(os.path.join(folder, name)))
             for name in sorted(names)}
    body = (f"{SUMS_FORMAT} {SUMS_VERSION}\n"
            + json.dumps({"segment": segment_id, "files": files}) + "\n").encode("utf-8")
    path = sums_path(folder, segment_id)
    with open(path + ".tmp", "wb") as fh:
        fh.write(body + b"crc32c %08x\n" % crc(body))
    os.replace(path + ".tmp", path)


def read_sums(folder: str, segment_id: str) -> dict[str, tuple[int, int]]:
    """The verified sums of a segment: {file name: (size, CRC32C)}.  Raises
    :class:`ChecksumError` when the sums file is missing, damaged or not this segment's."""
    path = sums_path(folder, segment_id)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(1 << 20)
    except FileNotFoundError:
        raise ChecksumError(f"{path} is missing: the segment's files cannot be "
                            "verified") from None
    head, _, rest = raw.partition(b"\n")
    body_line, _, footer = rest.partition(b"\n")
    if head != f"{SUMS_FORMAT} {SUMS_VERSION}".encode():
        raise ChecksumError(f"{path} is not a sums file of this version ({head[:40]!r})")
    body = head + b"\n" + body_line + b"\n"
    if footer != b"crc32c %08x\n" % crc(body):
        raise ChecksumError(f"{path}: its checksum does not match (damaged or cut)")
    try:
        doc = json.loads(body_line)
        assert doc["segment"] == segment_id
        return {segment_id + suffix: (int(size), int(value))
                for suffix, (size, value) in doc["files"].items()}
    except (ValueError, KeyError, TypeError, AssertionError) as exc:
        raise ChecksumError(f"{path} is damaged ({exc!r})") from None


def verify_file(folder: str, name: str, size: int, value: int) -> tuple[int, int, int]:
    """Check one file against its recorded size and CRC32C; returns the identity it was
    verified as (inode, size, mtime): a later change shows in ``stat``.  Raises
    :class:`ChecksumError` naming the file."""
    path = os.path.join(folder, name)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        raise ChecksumError(f"{path} is missing") from None
    try:
        st = os.fstat(fd)
        if st.st_size != size:
            raise ChecksumError(f"{path} is {st.st_size} bytes, its checksum was made of "
                                f"{size} (cut, or written over)")
        try:
            got = fd_crc(fd, 0, size)
        except ChecksumError as exc:
            raise ChecksumError(f"{path} {exc}") from None
        if got != value:
            raise ChecksumError(f"{path}: its checksum does not match (damaged)")
        after = os.fstat(fd)
        return after.st_ino, after.st_size, after.st_mtime_ns
    finally:
        os.close(fd)


def identity(path: str) -> tuple[int, int, int] | None:
    """(inode, size, mtime) of a file now, or None when it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns
