"""Suggestions as you type: the archive's words and phrases, reporters and titles, by prefix
in characters or pinyin.

``工匠`` suggests the words starting with it (工匠, 工匠们…), the titles containing it
and reporters whose name starts with it; ``gongj`` or ``lxx`` suggests by pinyin
(full, or initials).  ``工匠精`` ends inside a word: its last word is completed
(精 → 精神, 精心…) and the phrases the archive holds (工匠精神) are suggested,
the most frequent first.  Words are the archive's own, titles' and bodies',
by frequency (a title occurrence counting three times); numbers, dates and units
(:func:`search.text.keywords.is_quantity`) are never suggested.
Everything but the phrase check comes from one table per index folder, shared by its
generations (:mod:`search.understanding.tables`: rebuilt when the articles it has not seen pass a
small share, new reporters added at once), :class:`Prefixes`, so a keystroke costs a few
binary searches and at most :data:`PHRASES` phrase look-ups.  The service prepares
that table in the background (:func:`prepare`) as soon as a generation opens, so
the first keystroke after a start or an import finds it built, or waits only for
what is left of its build; other searches never wait for it.  The same thread then
builds what a misspelt or pinyin query reads, so that first one is quick too.
"""

from __future__ import annotations

import heapq
import logging
import threading
from bisect import bisect_left
from typing import TYPE_CHECKING, TypedDict

from ..retrieval.evaluate import Evaluator
from ..retrieval.plan import Analysis
from ..retrieval.query import Clause, ParsedQuery
from ..text import wordseg
from ..text.keywords import is_quantity
from ..text.pinyin import PINYIN_WORDS, WordTable, latin_key, name_readings
from . import tables
from .intent import vocabulary_of, words_of
from .vocabulary import TITLE_WEIGHT, frequent_words

if TYPE_CHECKING:
    from ..storage.generations import IndexState

log = logging.getLogger("unionsearch.suggest")

MAX_PREFIX = 20  # characters of the typed text that are looked at
__all__ = ["PINYIN_WORDS", "Prefixes", "Suggestion", "prefixes_of", "prepare", "suggest"]
TITLES = 3  # titles suggested at most
PHRASES = 6  # completed phrases checked against the archive, at most
MAX_WORDS = 100_000  # the most frequent words of titles and of bodies kept for lookups
PINYIN = 15_000  # ... of which the most frequent are found by pinyin too


class Suggestion(TypedDict):
    """One entry of ``GET /api/suggest``: the text to search, and where it comes from."""

    text: str
    kind: str  # "word", "reporter" or "title"


def _name_entries(name: str) -> list[tuple[str, float, str, str]]:
    """A reporter's entries: by name, full pinyin and initials, listed before any word."""
    weight = 1e9
    out = [(name, weight, name, "reporter")]
    for syl in name_readings(name):
        out.append(("".join(syl), weight, name, "reporter"))
        out.append(("".join(s[0] for s in syl if s), weight, name, "reporter"))
    return out


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
            entries.extend(_name_entries(name))
        entries.sort()
        self.names = frozenset(names)
        self.keys = [e[0] for e in entries]
        self.entries = entries

    def with_names(self, names: list[str]) -> Prefixes:
        """This table with the reporters of ``names`` it lacks (its own entries shared)."""
        new = [e for n in names if n not in self.names for e in _name_entries(n)]
        if not new:
            return self
        out = Prefixes.__new__(Prefixes)
        out.entries = sorted(self.entries + new)
        out.keys = [e[0] for e in out.entries]
        out.names = self.names | set(names)
        return out

    def lookup(self, prefix: str, size: int,
               kinds: tuple[str, ...] = ("word", "reporter")) -> list[Suggestion]:
        """The ``size`` heaviest entries of ``kinds`` whose key starts with ``prefix``,
        reporters first."""
        lo = bisect_left(self.keys, prefix)
        hi = bisect_left(self.keys, prefix + "\U0010ffff")
        best = heapq.nlargest(size * 3, (e for e in self.entries[lo:hi] if e[3] in kinds),
                              key=lambda e: e[1])
        out: list[Suggestion] = []
        seen: set[str] = set()
        for _, _, text, kind in best:
            if text not in seen:
                seen.add(text)
                out.append({"text": text, "kind": kind})
        return out[:size]


def archive_words(st: IndexState) -> dict[str, float]:
    """The archive's words worth suggesting, weighted by frequency (posting-list sizes, a
    title's ×3): about the :data:`MAX_WORDS` most frequent of titles and of bodies."""
    weights: dict[str, float] = {}
    for field, factor in (("head", TITLE_WEIGHT), ("text", 1)):
        for w, size in frequent_words(st.view, field, MAX_WORDS).items():
            weights[w] = weights.get(w, 0.0) + size * factor
    wanted = ((wt, w) for w, wt in weights.items()
              if len(w) >= 2 and any(ch.isalpha() for ch in w) and not is_quantity(w))
    return {w: wt for wt, w in heapq.nlargest(MAX_WORDS, wanted)}


def prefixes_of(st: IndexState, fresh: bool = False) -> Prefixes:
    """The search box's prefix tables of ``st``'s folder, built on first use and shared by
    its generations; a reporter new in ``st`` is in them at once (``fresh``: built again
    if it is behind, :func:`search.understanding.tables.behind`)."""
    def build() -> Prefixes:
        found = archive_words(st)
        return Prefixes(found, list(st.arrays.names), WordTable(found, PINYIN))

    return tables.shared(st, "prefixes", build, lambda held: held.with_names(st.arrays.names),
                         fresh=fresh)


def prepare(st: IndexState) -> threading.Thread:
    """Build ``st``'s prefix tables in a background thread (started, and returned), and
    then what did-you-mean and pinyin queries read (:func:`search.understanding.intent.words_of`);
    tables held but behind (:func:`search.understanding.tables.behind`) are built again there."""
    def run() -> None:
        try:
            wordseg.ready()  # the first query does not load jieba's dictionary
            prefixes_of(st, fresh=tables.behind(st, "prefixes"))
            vocabulary_of(st, fresh=tables.behind(st, "vocabulary"))
            words_of(st, fresh=tables.behind(st, "pinyin_words"))
        except Exception:  # noqa: BLE001 - the first keystroke builds it again, and says why
            log.exception("suggestions not prepared in the background")

    thread = threading.Thread(target=run, name="prepare-suggestions", daemon=True)
    thread.start()
    return thread


def _count(st: IndexState, text: str, analysis: Analysis, field: str | None = None) -> int:
    """Articles holding ``text`` verbatim (in ``field``, or title or body)."""
    match = Evaluator(st.view, st.arrays, text=analysis).evaluate(
        ParsedQuery([[Clause(text, phrase=True, field=field)]]))
    return len(match)


def _phrases(st: IndexState, typed: str, size: int, analysis: Analysis) -> list[Suggestion]:
    """Phrases of the archive that ``typed`` begins, its last word completed: 工匠精 →
    工匠精神.  The completions of the last word (its most frequent words by prefix) are
    checked in the archive, and those found are ranked by how many articles hold them."""
    parts = analysis.words(typed)
    if len(parts) < 2:
        return []
    head, tail = typed[: len(typed) - len(parts[-1])], parts[-1]
    if not head or not typed.endswith(tail):
        return []
    options = prefixes_of(st).lookup(tail, PHRASES, kinds=("word",))
    found = []
    for option in options:
        word = option["text"]
        if word == tail:
            continue
        n = _count(st, head + word, analysis)
        if n:
            found.append((n, head + word))
    found.sort(key=lambda nt: (-nt[0], nt[1]))
    return [{"text": text, "kind": "word"} for _, text in found[:size]]


def _titles(st: IndexState, text: str, size: int, analysis: Analysis) -> list[Suggestion]:
    """The newest titles containing ``text``."""
    match = Evaluator(st.view, st.arrays, text=analysis).evaluate(
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
    """Up to ``size`` suggestions for the text typed so far (words and names, then titles);
    the text is squashed and cut into words once (:class:`~search.retrieval.plan.Analysis`)."""
    analysis = Analysis()
    typed = (q or "").strip()[:MAX_PREFIX]
    key = latin_key(typed)
    prefix = key if key is not None else analysis.squash(typed)
    if not prefix:
        return []
    found = prefixes_of(st).lookup(prefix, size)
    if key is None and len(prefix) >= 2 and len(found) < size:
        shown = {f["text"] for f in found}
        found += [p for p in _phrases(st, prefix, size - len(found), analysis)
                  if p["text"] not in shown]
    if key is None and len(prefix) >= 2 and len(found) < size:
        titles = _titles(st, prefix, min(TITLES, size - len(found)), analysis)
        found += [t for t in titles if t["text"] not in {f["text"] for f in found}]
    return found[:size]
