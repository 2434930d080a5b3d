"""The engine's hot loops in C (``search/_native.c``), or ``None`` where it was not built.

Why: decoding posting lists, merging scored lists, checking phrase positions, counting
facets and picking a page of ten from 400,000 results are loops over every posting or
result; NumPy does each in several whole-array passes, C in one.  At import, encoding a
segment's postings (a stable sort of every occurrence in NumPy, a counting sort here),
numbering its tokens and folding its text are most of a worker's time in NumPy.  The module
is optional
(``setup.py`` builds it where a C compiler is found); every caller keeps its NumPy
twin, which gives the same results (``tests/test_native.py``).
"""

from __future__ import annotations

try:
    from . import _native as lib
except ImportError:  # pragma: no cover - a build without a C compiler
    lib = None
