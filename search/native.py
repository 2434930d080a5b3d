"""The engine's hot loops in C (``search/_native.c``): required, imported here only.

Why: decoding posting lists, merging scored lists, checking phrase positions, counting
facets and picking a page of ten from 400,000 results are loops over every posting or
result; NumPy does each in several whole-array passes, C in one.  At import, encoding a
segment's postings (a stable sort of every occurrence in NumPy, a counting sort here),
numbering its tokens and folding its text are most of a worker's time in NumPy.

The module is built by the install (``setup.py``; a C compiler is required) and this is
the one place that decides so: without it the engine does not start, with a message
saying how to build it.  The storage layer's NumPy versions of the same loops live on
under ``tests/oracles.py`` as the references the C code is tested against.
"""

from __future__ import annotations

__all__ = ["lib"]

try:
    from . import _native as lib
except ImportError as exc:  # pragma: no cover - an install without a C compiler
    raise ImportError(
        "unionsearch's C module (search/_native.c) is not built. It is required: install "
        "a C compiler (Debian: apt-get install gcc python3-dev) and reinstall "
        "(pip install -e . or make)") from exc
