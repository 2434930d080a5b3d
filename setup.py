"""Only the C module is declared here; everything else is in pyproject.toml.

``search/_native.c`` holds the engine's hot loops (the list is its method table;
:mod:`search.native` says why each is in C): text folding and token numbering at
import, postings encoding and decoding, BM25F scoring, merging scored lists, phrase
checks, facet counts and top-k selection.

The module is required (``search/native.py``): without a C compiler the install stops
with the compiler's error instead of installing an engine that cannot start.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("search._native", ["search/_native.c"],
                             extra_compile_args=["-O2"], libraries=["m"])])
