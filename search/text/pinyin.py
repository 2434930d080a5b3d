"""Pinyin of Chinese text, for finding reporters and words by how they sound.

``liuxinxin``, ``liu xinxin`` and ``lxx`` all find 刘欣欣: a reporter filter or
``reporter:`` term written in Latin letters is looked up in a table of every
indexed reporter's full pinyin and initials (:class:`NameTable`), built once
per index generation.  Queries with Chinese characters never come here, so
ordinary searches are not slowed.

Title words are found the same way (:class:`WordTable`): ``gongjiangjingshen``
or ``gongjiang jingshen`` in a query spells 工匠 + 精神, so 工匠精神 is searched
too.  Only full pinyin of at least two syllables counts there: initials
(``gdp``, ``cpu``) are far too ambiguous to turn into Chinese words.

pypinyin's phrase data picks the reading of polyphonic characters in context
(重庆 chóng, 重要 zhòng); a name's first character counts with every reading
(单 shàn, 曾 zēng), since surnames are read otherwise.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

_LATIN_QUERY = re.compile(r"[a-z][a-z' ]*")
MAX_NAME_MATCHES = 20  # names one pinyin query may stand for
PINYIN_WORDS = 30_000  # the most frequent title words, findable by pinyin (box and query)
MAX_SPELLED = 2  # Chinese words or phrases one pinyin query term may stand for
SECOND_AT_LEAST = 0.25  # ... the second only when at least this share of the first's weight
MAX_KEY = 60  # letters of pinyin looked at (a headline's worth)
MAX_PIECES = 6  # title words one pinyin run may be made of
_PER_KEY = 3  # words kept per pinyin key (homophones), heaviest first


def is_han(ch: str) -> bool:
    """A CJK unified ideograph: what makes a word Chinese for the pinyin tables."""
    return "\u4e00" <= ch <= "\u9fff"


_is_han = is_han


@lru_cache(maxsize=65536)
def syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin of each character (non-Chinese characters as they are)."""
    from pypinyin import lazy_pinyin  # imported when first needed: its data are large

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


class WordTable:
    """The most frequent title words by their full toneless pinyin, to spell Latin queries.

    :attr:`readings` (word, weight, syllables) of the :data:`PINYIN_WORDS`
    heaviest words is also what the search box's suggestions index by pinyin
    (:class:`search.understanding.suggest.Prefixes`), so the syllables are computed once.
    """

    def __init__(self, words: dict[str, float], top: int = PINYIN_WORDS):
        wanted = ((wt, w) for w, wt in words.items()
                  if len(w) >= 2 and any(_is_han(ch) for ch in w))
        self.readings: list[tuple[str, float, tuple[str, ...]]] = [
            (w, wt, syllables(w)) for wt, w in heapq.nlargest(top, wanted)]
        self._by_key: dict[str, list[tuple[str, float, frozenset[int]]]] = {}
        for w, wt, syl in self.readings:
            if not all(_is_han(ch) for ch in w) or not "".join(syl).isascii():
                continue
            cuts = frozenset(_offsets(syl))
            for key in dict.fromkeys(("".join(syl), "".join(syl).replace("v", "u"))):
                homophones = self._by_key.setdefault(key, [])
                if len(homophones) < _PER_KEY:  # readings are heaviest first
                    homophones.append((w, wt, cuts))
        self.longest = max(map(len, self._by_key), default=0)

    def spell(self, terms: Sequence[str],
              gram: Callable[[str], float] | None = None) -> list[str]:
        """Chinese words (or phrases of title words) whose full pinyin is ``terms`` run together.

        ``terms`` are adjacent query terms (``["gongjiang", "jingshen"]``); a space or
        apostrophe must fall between syllables.  The run is cut into as few title
        words as possible; when ``gram`` (a bigram's weight) is given, a phrase whose
        words never meet in the index (no bigram across a join) is not proposed.
        The heaviest spelling first, a second one only when nearly as frequent.
        """
        keyed = _key_and_cuts(terms)
        if keyed is None:
            return []
        key, cuts = keyed
        pieces = self._pieces(key, cuts)
        if pieces is None:
            return []
        options = [[(w, wt) for w, wt, inner in self._by_key[key[i:j]]
                    if all(c - i in inner for c in cuts if i < c < j)] for i, j in pieces]
        found = _phrases(options, gram)
        return [p for p, score in found[:MAX_SPELLED]
                if score >= found[0][1] + math.log(SECOND_AT_LEAST)]

    def _pieces(self, key: str, cuts: set[int]) -> list[tuple[int, int]] | None:
        """``key`` cut into the fewest known words (ties: the heaviest), or None."""
        n = len(key)
        best: list[tuple[int, float, int] | None] = [None] * (n + 1)  # (pieces, -log w, from)
        best[0] = (0, 0.0, 0)
        for i in range(n):
            here = best[i]
            if here is None or here[0] >= MAX_PIECES:
                continue
            for j in range(i + 2, min(n, i + self.longest) + 1):
                fits = [wt for _, wt, inner in self._by_key.get(key[i:j], ())
                        if all(c - i in inner for c in cuts if i < c < j)]
                if fits:
                    cand = (here[0] + 1, here[1] - math.log(max(fits) + 1.0), i)
                    if best[j] is None or cand[:2] < best[j][:2]:
                        best[j] = cand
        if best[n] is None:
            return None
        out, j = [], n
        while j:
            i = best[j][2]
            out.append((i, j))
            j = i
        return out[::-1]


def _offsets(syl: tuple[str, ...]) -> list[int]:
    """Where each syllable ends inside the word's pinyin (the last, the whole length, left out)."""
    ends, pos = [], 0
    for s in syl[:-1]:
        pos += len(s)
        ends.append(pos)
    return ends


def _key_and_cuts(terms: Sequence[str]) -> tuple[str, set[int]] | None:
    """Adjacent terms as one pinyin key, and where the user separated syllables in it."""
    key, cuts = "", set()
    for term in terms:
        if latin_key(term) is None:
            return None
        for part in re.split(r"[' ]+", term.strip().lower()):
            if part:
                if key:
                    cuts.add(len(key))
                key += part
    if not 3 <= len(key) <= MAX_KEY:  # two syllables (阿姨 ayi) up to a headline's worth
        return None
    return key, cuts


def _phrases(options: list[list[tuple[str, float]]],
             gram: Callable[[str], float] | None) -> list[tuple[str, float]]:
    """Phrases of one word per piece, by summed log weight, heaviest first; joins checked."""
    beam: list[tuple[str, float]] = [("", 0.0)]
    for words in options:
        grown = [(text + w, score + math.log(wt + 1.0)) for text, score in beam
                 for w, wt in words if not text or gram is None or gram(text[-1] + w[0]) > 0]
        beam = heapq.nlargest(8, grown, key=lambda p: p[1])
    return [p for p in beam if p[0]]
