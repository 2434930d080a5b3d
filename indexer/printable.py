"""File names and other outside text made safe to print as one line of a log or terminal.

Why a module of its own: every ``unionsearch`` command prints file names, and this is all
of what it needs from :mod:`indexer.watch` (which loads the readers and the writer).
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` as one line of the log: bytes that are not UTF-8 (a GBK file name) as
    ``\\xNN`` and control characters (a newline in a file name) escaped, so a name can
    neither break the log's encoding nor start a line of its own."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte
        raw = text.encode("utf-8", "backslashreplace")
    text = raw.decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: _NAMED.get(m[0], f"\\u{ord(m[0]):04x}"), text)
