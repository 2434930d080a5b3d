"""Suggestions as you type: title words, reporters and titles, by prefix in characters or pinyin.

``工匠`` suggests the title words starting with it (工匠精神, 工匠…), the titles
containing it and reporters whose name starts with it; ``gongj`` or ``lxx``
suggests by pinyin (full, or initials).  Everything comes from the index of the
current generation (its title words by frequency, its reporters), prepared once
per generation by :class:`Prefixes`, so a keystroke costs a few binary searches.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from typing import TYPE_CHECKING, TypedDict

from .evaluate import Evaluator
from .normalize import squash
from .pinyin import PINYIN_WORDS, WordTable, latin_key, name_readings
from .query import Clause, ParsedQuery
from .understand import per_generation, vocabulary_of, words_of

if TYPE_CHECKING:
    from .searcher import IndexState

MAX_PREFIX = 20  # characters of the typed text that are looked at
__all__ = ["PINYIN_WORDS", "Prefixes", "Suggestion", "prefixes_of", "suggest"]
TITLES = 3  # titles suggested at most


class Suggestion(TypedDict):
    """One entry of ``GET /api/suggest``: the text to search, and where it comes from."""

    text: str
    kind: str  # "word", "reporter" or "title"


class Prefixes:
    """Sorted keys (text or pinyin) → (weight, suggestion), for prefix lookups."""

    def __init__(self, words: dict[str, float], names: list[str],
                 pinyin: WordTable | None = None):
        entries: list[tuple[str, float, str, str]] = []
        for w, weight in words.items():
            if len(w) >= 2 and any("\u4e00" <= ch <= "\u9fff" for ch in w):
                entries.append((w, weight, w, "word"))
        # The heaviest words by pinyin: the table queries spell with (one syllable pass).
        for w, weight, syl in (pinyin or WordTable(words)).readings:
            entries.append(("".join(syl), weight, w, "word"))
            entries.append(("".join(s[0] for s in syl if s), weight / 2, w, "word"))
        for name in names:
            weight = 1e9  # a matching reporter is listed first
            entries.append((name, weight, name, "reporter"))
            for syl in name_readings(name):
                entries.append(("".join(syl), weight, name, "reporter"))
                entries.append(("".join(s[0] for s in syl if s), weight, name, "reporter"))
        entries.sort()
        self.keys = [e[0] for e in entries]
        self.entries = entries

    def lookup(self, prefix: str, size: int) -> list[Suggestion]:
        """The ``size`` heaviest entries whose key starts with ``prefix``, reporters first."""
        lo = bisect_left(self.keys, prefix)
        hi = bisect_left(self.keys, prefix + "\U0010ffff")
        best = heapq.nlargest(size * 3, self.entries[lo:hi], key=lambda e: e[1])
        out: list[Suggestion] = []
        seen: set[str] = set()
        for _, _, text, kind in best:
            if text not in seen:
                seen.add(text)
                out.append({"text": text, "kind": kind})
        return out[:size]


def prefixes_of(st: IndexState) -> Prefixes:
    """The search box's prefix tables of a generation, built on first use."""
    return per_generation(st, "prefixes", lambda: Prefixes(
        vocabulary_of(st).title_words, list(st.arrays.names), words_of(st)))


def _titles(st: IndexState, text: str, size: int) -> list[Suggestion]:
    """The newest titles containing ``text``."""
    match = Evaluator(st.view, st.arrays).evaluate(
        ParsedQuery([[Clause(text, phrase=True, field="title")]]))
    if not len(match):
        return []
    days = st.arrays.days[match.docs]
    newest = match.docs[days.argsort(kind="stable")[::-1][:size]]
    out: list[Suggestion] = []
    for doc in newest.tolist():
        with st.view.io_lock:
            stored = st.searcher.stored_fields(int(doc))
        out.append({"text": stored.get("title", ""), "kind": "title"})
    return out


def suggest(st: IndexState, q: str, size: int = 8) -> list[Suggestion]:
    """Up to ``size`` suggestions for the text typed so far (words and names, then titles)."""
    typed = (q or "").strip()[:MAX_PREFIX]
    key = latin_key(typed)
    prefix = key if key is not None else squash(typed)
    if not prefix:
        return []
    found = prefixes_of(st).lookup(prefix, size)
    if key is None and len(prefix) >= 2 and len(found) < size:
        titles = _titles(st, prefix, min(TITLES, size - len(found)))
        found += [t for t in titles if t["text"] not in {f["text"] for f in found}]
    return found[:size]
