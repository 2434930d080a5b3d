"""search/_native.c's decoders under AddressSanitizer and UndefinedBehaviorSanitizer.

The module is compiled again with the system compiler into a temporary folder with
``-fsanitize=address,undefined,float-cast-overflow`` and every sanitizer report fatal;
a child Python (libasan and libubsan preloaded) decodes thousands of damaged lists and
crafted values (a count of 2**63-1, a delta of 2**61) through it, whole and through
damaged skip tables, builds skip tables of damaged lists and looks terms up in crafted
term tables.  Any read or write
outside an array, any overflow or out-of-range float->int conversion kills the child.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CC = shutil.which("gcc")

RUN = r'''
import importlib.util, sys
sys.path.insert(0, sys.argv[2])
spec = importlib.util.spec_from_file_location("search._native", sys.argv[1])
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
import numpy as np
from search.storage.usx import across, varint
across._native = varint._native = m
across.FAST = True
enc = lambda *v: varint.encode(np.array(v, dtype=np.uint64))[0]
base = [("words", enc(3, 2, 5, 7, 4), 50), ("grams", enc(2, 3, 4, 3, 1, 2, 5, 1, 1, 9), 50),
        ("chars", enc(3, 1, 2, 3), 10), ("gram counts", enc(1, 1, 4, 1, 1, 1), 5)]
rng = np.random.default_rng(24)
decoded = 0
for _ in range(10000):
    lay, raw, size = base[rng.integers(0, 4)]
    bad = raw.copy()
    k = int(rng.integers(0, 4))
    if k:
        bad[rng.integers(0, len(bad), k)] = rng.integers(0, 256, k)
    if rng.random() < 0.3:
        bad = bad[: rng.integers(0, len(bad) + 1)]
    for fn in (lambda: across.decode_across(lay, [bad, raw], [0, size], [size, size]),
               lambda: varint.decode(bad)):
        try:
            fn()
            decoded += 1
        except varint.DamagedPostings:
            pass
# Lists read through skip tables (one document a block): records and bytes damaged.
SKIP_LAYOUT = {"chars": 0, "words": 1, "grams": 2, "gram counts": 2}
valid = [("words", enc(3, 1, 4, 7, 2, 5), 50), ("grams", enc(3, 1, 2, 8, 2, 0, 3, 7, 2), 50),
         ("gram counts", enc(3, 1, 2, 8, 2, 0, 3, 7, 2), 50), ("chars", enc(3, 1, 2, 3), 10)]
for lay, raw, size in valid:
    t, e, r = m.skip_table(raw, np.array([len(raw)], np.int64), SKIP_LAYOUT[lay], 1, 1)
    assert across.decode_in(lay, [raw], [np.frombuffer(r, np.uint32)], [0], [size], 1,
                            np.arange(size))[0].tolist() == across.decode_across(
                                lay, [raw], [0], [size])[0].tolist(), lay
    good = np.frombuffer(r, np.uint32)
    for _ in range(2000):
        bad, sk = raw.copy(), good.copy()
        if rng.random() < 0.5 and len(sk):
            sk[rng.integers(0, len(sk))] = rng.integers(0, 2**32)
        else:
            bad[rng.integers(0, len(bad))] = rng.integers(0, 256)
        if rng.random() < 0.2:
            sk = sk[: 4 * int(rng.integers(0, len(sk) // 4 + 1))]
        cand = np.sort(rng.choice(2 * size, int(rng.integers(0, 6)), replace=False))
        try:
            across.decode_in(lay, [bad, raw], [sk, good], [0, size], [size, size], 1, cand)
            decoded += 1
        except varint.DamagedPostings:
            pass
        try:
            m.skip_table(bad, np.array([len(bad)], np.int64), SKIP_LAYOUT[lay], 1, 1)
        except ValueError:
            pass
crafted = [("words", (1, 11, 2**63 - 1)), ("grams", (1, 11, 2**63 - 1, 1)),
           ("gram counts", (1, 11, 2**63 - 1)), ("chars", (2, 1, 2**61)),
           ("words", (2, 2, 2**62)), ("grams", (1, 2, 2**62))]
for lay, values in crafted:
    try:
        across.decode_across(lay, [enc(*values)], [0], [50])
        raise SystemExit(f"accepted {lay} {values}")
    except varint.DamagedPostings:
        pass
# Term tables crafted to point past their arrays: a term's place is looked up in them
# (place_across) without reading outside any.
for _ in range(3000):
    n = int(rng.integers(0, 6))
    dt = [np.uint32, np.uint64][int(rng.integers(0, 2))]
    arr = lambda d, m: np.sort(rng.integers(0, m, int(rng.integers(0, 7)))).astype(d)
    keys = np.sort(rng.integers(0, 4, n)).astype(np.uint64)
    table = (keys, arr(dt, 60), arr(dt, 30), rng.integers(0, 256, int(rng.integers(0, 9))
                                                         ).astype(np.uint8),
             arr(np.uint32, 8), arr(dt, 99), arr(np.uint32, 9))
    if rng.random() < 0.3:
        table = table[:2] + (None,) * 5
    out = np.empty(12, np.int64)
    m.place_across([table, table], int(rng.integers(0, 4)),
                   [None, b"ab", b""][int(rng.integers(0, 3))], out)
print("clean", decoded)
'''


def _runtime(name: str) -> str | None:
    path = subprocess.run([CC, f"-print-file-name={name}"], capture_output=True,
                          text=True).stdout.strip()
    return path if os.path.isabs(path) and os.path.exists(path) else None


@pytest.mark.skipif(CC is None, reason="no gcc here")
def test_the_decoders_are_clean_under_asan_and_ubsan(tmp_path) -> None:
    asan, ubsan = _runtime("libasan.so"), _runtime("libubsan.so")
    if not (asan and ubsan):
        pytest.skip("gcc without the sanitizer runtimes")
    so = tmp_path / ("_native" + sysconfig.get_config_var("EXT_SUFFIX"))
    built = subprocess.run(
        [CC, "-O1", "-g", "-fsanitize=address,undefined,float-cast-overflow",
         "-fno-sanitize-recover=all", "-shared", "-fPIC",
         f"-I{sysconfig.get_paths()['include']}", str(REPO / "search" / "_native.c"),
         "-o", str(so)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    env = {**os.environ, "LD_PRELOAD": f"{asan} {ubsan}",
           "ASAN_OPTIONS": "detect_leaks=0:halt_on_error=1",
           "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1"}
    done = subprocess.run([sys.executable, "-c", RUN, str(so), str(REPO)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.startswith("clean"), done.stderr[-3000:]
