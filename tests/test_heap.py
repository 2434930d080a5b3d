"""A searching process gives back what a large transient array took (search.heap).

The sequence building tables or a broad search makes: a large array is freed, then a
somewhat smaller one is made and freed.  With glibc's moving bound the second comes from
the heap and stays resident after it is freed (up to twice the largest block freed is
kept at the heap's top); in a process that has opened an :class:`~search.engine.Engine`
it must leave.  Each case runs in a fresh
interpreter (the bound is process-wide, and the pytest process's heap has a history).
"""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

SCRIPT = r"""
import sys
import numpy as np

def anon_mb():
    for line in open("/proc/self/status"):
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024

if sys.argv[1] != "-":
    from search.engine import Engine
    from search.retrieval.request import SearchRequest
    Engine(sys.argv[1]).search(SearchRequest.from_params(q="工会"))
big = np.ones(20 << 20, dtype=np.uint8)
del big
before = anon_mb()
second = np.ones(16 << 20, dtype=np.uint8)
del second
print(anon_mb() - before)
"""


def _kept_mb(arg: str) -> float:
    out = subprocess.run([sys.executable, "-c", SCRIPT, arg], capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def test_an_engine_process_keeps_nothing_of_a_freed_large_array(index):
    if _kept_mb("-") < 12:
        pytest.skip("this C library gives freed large blocks back by itself")
    assert _kept_mb(str(index)) < 4


PHASES = r"""
import resource
import sys
import numpy as np
from search import heap

def anon_mb():
    for line in open("/proc/self/status"):
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024

def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

heap.building()
before = anon_mb()
built = np.ones(20 << 20, dtype=np.uint8)
del built
kept = anon_mb() - before
heap.serving()
start = faults()
first = np.ones(16 << 20, dtype=np.uint8)
del first
middle = faults()
second = np.ones(16 << 20, dtype=np.uint8)
del second
print(kept, middle - start, faults() - middle)
"""


def test_a_build_gives_back_its_arrays_and_searches_reuse_theirs():
    """While tables are built a freed large array leaves the process; once they are, a
    search's array below the mapping bound is reused by the next search instead of being
    handed back and faulted in again (the second search faults far fewer pages in than
    the first)."""
    out = subprocess.run([sys.executable, "-c", PHASES], capture_output=True, text=True,
                         check=True)
    kept_mb, first_faults, second_faults = (float(x) for x in out.stdout.split())
    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc: the heap's bounds are left to the C library")
    assert kept_mb < 4
    assert first_faults > 0
    assert second_faults < first_faults / 4
