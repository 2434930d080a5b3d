"""Only the optional C module (search/_native.c: postings decoding, one set operation)
is declared here; everything else is in pyproject.toml.

``optional=True``: where no C compiler is found the build goes on without it, and the
engine decodes postings in NumPy (slower at scale, the same results).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("search._native", ["search/_native.c"],
                             extra_compile_args=["-O2"], libraries=["m"], optional=True)])
