"""Pinyin of Chinese text, for finding reporters and words by how they sound.

``liuxinxin``, ``liu xinxin`` and ``lxx`` all find 刘欣欣: a reporter filter or
``reporter:`` term written in Latin letters is looked up in a table of every
indexed reporter's full pinyin and initials (:class:`NameTable`), built once
per index generation.  Queries with Chinese characters never come here, so
ordinary searches are not slowed.

pypinyin's phrase data picks the reading of polyphonic characters in context
(重庆 chóng, 重要 zhòng); a name's first character counts with every reading
(单 shàn, 曾 zēng), since surnames are read otherwise.
"""

from __future__ import annotations

import re
from functools import lru_cache

_LATIN_QUERY = re.compile(r"[a-z][a-z' ]*")
MAX_NAME_MATCHES = 20  # names one pinyin query may stand for


@lru_cache(maxsize=65536)
def syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin of each character (non-Chinese characters as they are)."""
    from pypinyin import lazy_pinyin  # imported when first needed: its data take ~55 MB

    return tuple(s.lower() for s in lazy_pinyin(text, errors=lambda chars: list(chars)))


def name_readings(name: str) -> list[tuple[str, ...]]:
    """A person's name in pinyin, once per reading of the surname (曾: zeng and ceng).

    pypinyin reads a surname as an ordinary word (曾 → ceng, 单 → dan); every
    reading of the first character is kept so that the surname's one is there.
    """
    rest = syllables(name[1:]) if len(name) > 1 else ()
    from pypinyin import Style, pinyin

    firsts = pinyin(name[0], style=Style.NORMAL, heteronym=True)[0] if name else []
    return [(first.lower(), *rest) for first in dict.fromkeys(firsts)]


def latin_key(text: str) -> str | None:
    """``text`` as a pinyin lookup key (letters only, lower case), or None if it is not pinyin."""
    t = text.strip().lower()
    if not t or not _LATIN_QUERY.fullmatch(t):
        return None
    return re.sub(r"[' ]", "", t)


class NameTable:
    """Reporter names by their full pinyin and their initials."""

    def __init__(self, names: list[str]):
        self._by_key: dict[str, list[str]] = {}
        for name in names:
            if not any("\u4e00" <= ch <= "\u9fff" for ch in name):
                continue
            for syl in name_readings(name):
                for key in ("".join(syl), "".join(s[0] for s in syl if s)):
                    names_of = self._by_key.setdefault(key, [])
                    if name not in names_of:
                        names_of.append(name)

    def lookup(self, text: str) -> list[str]:
        """Names whose full pinyin or initials are ``text`` (``lxx``, ``liu xinxin``)."""
        key = latin_key(text)
        if key is None:
            return []
        return self._by_key.get(key, [])[:MAX_NAME_MATCHES]

    def resolve(self, names: list[str], known: set[str]) -> list[str]:
        """A reporter filter with pinyin entries replaced by the names they spell.

        A value that is itself a known name (an English byline, say) stays as it is.
        """
        out: list[str] = []
        for value in names:
            found = [] if value in known else self.lookup(value)
            out.extend(found or [value])
        return list(dict.fromkeys(out))
