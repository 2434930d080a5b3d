"""Stored articles compressed against a shared dictionary (zlib's preset dictionary).

Whoosh compresses each article's stored fields on their own (zlib, level 3), and a
news article alone compresses badly: every article spells out again the phrases all
of them share (记者, 本报讯, 工作, 中华全国总工会 …).  zlib can start from a preset
dictionary of such phrases; :data:`DICTIONARY_FILE` holds one (32 KB, chosen from
half the shared corpus by :func:`train`, see ``bench/stored_dict.py``).  Each article
still decompresses alone, so reading one stays cheap.  Measured on the other half
and on a union daily it never saw: smaller stored articles at the same level, for a
little more time an article (``bench/RESULTS.md``).

A compressed value names its dictionary (the Adler-32 checksum zlib writes in the
stream header), so values written before the dictionary (plain zlib) and values of
any later dictionary stay readable side by side, in one segment or across a merge.
"""

from __future__ import annotations

import threading
import zlib
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

DICTIONARY_FILE = Path(__file__).with_name("stored.zdict")
DICTIONARY_BYTES = 32_000  # zlib looks back at most 32 KB
# Level 4 with a smaller hash table (memLevel 6, zlib's default 8): smaller than Whoosh's
# level 3 and faster, because what costs most per article is copying the primed
# compressor, whose hash table and buffers shrink with memLevel; level 6 saves little
# more for much more time (bench/RESULTS.md).
LEVEL = 4
MEM_LEVEL = 6
_FDICT = 0x20  # flag in a zlib header's second byte: a preset dictionary follows

_local = threading.local()


@lru_cache(maxsize=1)
def dictionary() -> bytes:
    """The dictionary new values are compressed with."""
    return DICTIONARY_FILE.read_bytes()


@lru_cache(maxsize=1)
def _dictionaries() -> dict[int, bytes]:
    """Every dictionary this code can read, by the Adler-32 zlib names it with."""
    return {zlib.adler32(d): d for d in (dictionary(),)}


def compress(data: bytes, level: int = LEVEL) -> bytes:
    """``data`` deflated with the dictionary (a zlib stream naming it).

    Priming a compressor with the dictionary costs as much as compressing an
    article, so each thread primes one per level and copies it per value (the copy
    is the larger part of the time a value takes, and grows with :data:`MEM_LEVEL`).
    """
    primed = getattr(_local, "primed", None)
    if primed is None:
        primed = _local.primed = {}
    base = primed.get(level)
    if base is None:
        base = primed[level] = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS,
                                                 MEM_LEVEL, zdict=dictionary())
    c = base.copy()
    return c.compress(data) + c.flush()


def decompress(data: bytes) -> bytes:
    """A value :func:`compress` wrote, or one plain zlib wrote (before the dictionary)."""
    if len(data) < 6 or not data[1] & _FDICT:
        return zlib.decompress(data)
    wanted = int.from_bytes(data[2:6], "big")
    zdict = _dictionaries().get(wanted)
    if zdict is None:
        raise ValueError(f"stored value compressed with an unknown dictionary ({wanted:08x}): "
                         "written by a newer version of unionsearch?")
    d = zlib.decompressobj(zdict=zdict)
    return d.decompress(data) + d.flush()


def train(texts: Iterable[str], size: int = DICTIONARY_BYTES, prefix: bytes = b"") -> bytes:
    """A dictionary for ``texts``: their most rewarding recurring substrings.

    Substrings of 4, 6, 8 and 12 characters seen at least four times, taken by
    bytes saved ((count - 1) × length) while new (not inside one already taken),
    until ``size`` bytes.  zlib reaches nearer bytes more cheaply, so the most
    rewarding go last; ``prefix`` (framing every value starts with) goes first.
    Greedy and plain, and within a point of the block-of-16 compression that
    would cost a read of 16 articles per article (``bench/stored_dict.py``).
    """
    counts: Counter[str] = Counter()
    for text in texts:
        for n in (4, 6, 8, 12):
            counts.update(text[i:i + n] for i in range(len(text) - n + 1))
    ranked = sorted(((c - 1) * len(s.encode("utf-8")), s) for s, c in counts.items() if c >= 4)
    chosen: list[bytes] = []
    taken, seen = len(prefix), ""
    for _, s in reversed(ranked):
        if s in seen:
            continue
        b = s.encode("utf-8")
        if taken + len(b) > size:
            break
        chosen.append(b)
        taken += len(b)
        seen = (seen + "\x00" + s)[-400_000:]
    return prefix + b"".join(reversed(chosen))
