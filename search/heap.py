"""The C heap of a searching process: what building tables and large searches free leaves it.

glibc's ``malloc`` maps a block of 128 KB or more on its own and unmaps it when it is
freed, but after such a block is freed it raises that bound to the block's size (up to
32 MB on 64-bit systems), and the bound up to which free memory at the heap's top is
kept to twice that, so that the next blocks of that size come from the heap, which
keeps what is freed.  Building a generation's tables (its columns, the vocabulary,
did-you-mean and pinyin tables) makes and frees arrays of tens of megabytes; a process
that let the bound move kept that space for good (tens of MB at 300,000 articles,
more the larger the archive: bench/RESULTS.md).

So the bound is fixed, which also stops it moving, at one of two values:

* :func:`building` (:data:`BUILD_MAP_FROM`, 1 MB) while an index is opened and its
  tables are built: every block that large is mapped and unmapped, so what a build
  frees leaves the process;
* :func:`serving` (:data:`SERVE_MAP_FROM`, 32 MB, where glibc's moving bound ends up
  once large searches have run) once they are built: a search's arrays below it are
  served from the heap and reused by the next search (mapped afresh, every array of a
  broad search cost page faults for the broadest words), and larger arrays are
  unmapped.

Fixing the mapping bound also stops glibc moving the bound on free memory at the
heap's top (it would be twice the mapping bound), leaving it at 128 KB: every search
that freed its arrays would hand the heap's top back and fault it in again on the
next one.  So that bound is set with the mapping one, to twice it, as glibc's own
moving rule sets it.

Builds may overlap (a new generation while the last one's tables are built): the
bound is the building one while any is under way.  Memory alone changes: no value
computed depends on where its array lives.  Elsewhere than glibc nothing is done.
"""

from __future__ import annotations

import ctypes
import platform
import threading

BUILD_MAP_FROM = 1 << 20  # bytes: while tables are built, blocks this large are mapped
SERVE_MAP_FROM = 32 << 20  # bytes: once they are, only blocks this large
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter numbers
_M_TRIM_THRESHOLD = -1
_lock = threading.Lock()
_builds = 0


def _mallopt(value: int) -> bool:
    if platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt(_M_MMAP_THRESHOLD, value) == 1 and mallopt(_M_TRIM_THRESHOLD, 2 * value) == 1


def building() -> bool:
    """An index is being opened or its tables built: blocks of :data:`BUILD_MAP_FROM`
    and more are mapped on their own until the matching :func:`serving`.  False where
    the C library is not glibc."""
    global _builds
    with _lock:
        _builds += 1
        return _mallopt(BUILD_MAP_FROM)


def serving() -> bool:
    """A build started by :func:`building` is over; once none is, only blocks of
    :data:`SERVE_MAP_FROM` and more are mapped on their own."""
    global _builds
    with _lock:
        _builds = max(0, _builds - 1)
        return _mallopt(SERVE_MAP_FROM if _builds == 0 else BUILD_MAP_FROM)
