"""Only the optional C module is declared here; everything else is in pyproject.toml.

``search/_native.c`` holds the engine's hot loops (the list is its method table;
:mod:`search.native` says why each is in C): text folding and token numbering at
import, postings encoding and decoding, BM25F scoring, merging scored lists, phrase
checks, facet counts and top-k selection.

``optional=True``: where no C compiler is found the build goes on without it, and
each caller runs its NumPy twin (slower at scale, the same results).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("search._native", ["search/_native.c"],
                             extra_compile_args=["-O2"], libraries=["m"], optional=True)])
