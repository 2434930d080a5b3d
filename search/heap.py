"""The C heap of a searching process: large blocks are given back to the system when freed.

A search decodes posting lists and builds score, mask and facet arrays of up to tens of
megabytes, each freed when the search ends.  glibc's ``malloc`` maps a block of 128 KB
or more on its own and unmaps it when it is freed, but after such a block is freed it
raises that bound to the block's size (up to 32 MB on 64-bit systems), and the trimming
bound with it, so that the next blocks of that size come from the heap, which keeps
what is freed.  A serving process thus kept the space of its largest transient arrays
for good, and more of it the larger the archive, since the arrays grow with it.

:func:`bound` fixes the bound at :data:`MAP_FROM` (fixing it also stops it moving):
every block at least that large is mapped and unmapped, so what a search frees leaves
the process; smaller blocks are served from the heap as before.  Memory alone changes:
no value computed depends on where its array lives.  Elsewhere than glibc it does
nothing.
"""

from __future__ import annotations

import ctypes
import platform

MAP_FROM = 1 << 20  # bytes: blocks at least this large are mapped on their own
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
_done = False


def bound() -> bool:
    """Fix glibc's mapping bound at :data:`MAP_FROM` for this process (once; later calls
    do nothing); False where the C library is not glibc or refuses."""
    global _done
    if _done:
        return True
    if platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    _done = mallopt(_M_MMAP_THRESHOLD, MAP_FROM) == 1
    return _done
