"""Search-only text normalisation that never changes a string's length.

Every character maps to exactly one character, so an offset into the normalised
text is the same offset into the text as printed.  That lets the index store
positions against the original article and lets the highlighter mark the stored
text directly, without a mapping table.

The fold is: NFKC for characters whose compatibility form is a single character
(full-width letters, digits and punctuation, the ideographic space), traditional
to simplified Chinese by OpenCC's character table, and Latin case folding.
Characters whose NFKC form is longer than one character (…, ①, ㎡) are kept, only
lower-cased: folding them would break the one-to-one offsets.
"""

from __future__ import annotations

import os
import unicodedata
from array import array
from functools import lru_cache

from ..native import lib as _native  # the C fold

TABLE_VERSION = "nfkc1-t2s-lower-1"


def _opencc_t2s() -> dict[str, str]:
    """Traditional → simplified, one character to one, from OpenCC's table."""
    import opencc  # opencc-python-reimplemented: pure Python, ships the tables

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    mapping: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            trad, simp = parts[0], parts[1].split(" ")[0]
            if len(trad) == 1 and len(simp) == 1:
                mapping[trad] = simp
    return mapping


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        folded = ch
    low = folded.lower()
    return low if len(low) == 1 else folded


@lru_cache(maxsize=1)
def char_table() -> dict[int, str]:
    """The translate table: only the characters that change are listed."""
    table: dict[int, str] = {}
    for code in range(0x20, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        folded = _fold_char(ch)
        if folded != ch:
            table[code] = folded
    for trad, simp in _opencc_t2s().items():
        simp = table.get(ord(simp), simp)
        table[ord(trad)] = simp
    # A second pass so that chains (full-width trad → trad → simp) end on simplified.
    for code, value in list(table.items()):
        second = table.get(ord(value))
        if second is not None:
            table[code] = second
    return table


@lru_cache(maxsize=1)
def fold_array() -> array:
    """:func:`char_table` as one uint32 per code point up to the last one it changes."""
    table = char_table()
    out = array("I", range(max(table) + 1))
    for code, folded in table.items():
        out[code] = ord(folded)
    return out


def normalize(text: str) -> str:
    """Fold ``text`` for matching; ``len(normalize(t)) == len(t)`` always.

    In C: an array lookup a character, where ``str.translate`` over :func:`char_table`
    (the reference ``tests/test_native.py`` compares it with) makes an integer and a
    dictionary lookup per character, several times slower (bench/RESULTS.md).
    """
    return _native.fold(text, fold_array())


def squash(text: str) -> str:
    """Normalise and drop whitespace: the form phrases are matched in.

    Whitespace in Chinese print is layout (column breaks, spacing between
    book titles), not content, so a phrase matches across it.
    """
    return "".join(normalize(text).split())
