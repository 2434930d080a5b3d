"""What a user meant: synonyms, pinyin names and did-you-mean, applied to one search.

:func:`interpret` turns the query text into the :class:`~search.query.ParsedQuery`
that is evaluated (synonyms OR-ed in, ``reporter:lxx`` spelled out as names);
:func:`with_names` does the same for the reporter filter; :func:`suggestion`
proposes a corrected query.  What they need of an index generation (its
vocabulary, its reporters' pinyin) is built on first use and kept per
generation, so ordinary queries pay nothing for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from . import didyoumean
from .evaluate import Evaluator
from .normalize import squash
from .pinyin import NameTable, latin_key
from .query import Clause, ParsedQuery, parse
from .request import SearchRequest
from .synonyms import SynonymTable, expand
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .searcher import IndexState

_lock = threading.Lock()
_per_generation: dict[tuple, dict] = {}


T = TypeVar("T")


def per_generation(st: IndexState, what: str, build: Callable[[], T]) -> T:
    """``build()`` once per index generation (the last two generations are kept)."""
    with _lock:
        slot = _per_generation.get(st.key)
        if slot is None:
            while len(_per_generation) >= 2:
                _per_generation.pop(next(iter(_per_generation)))
            slot = _per_generation[st.key] = {"lock": threading.RLock()}
    with slot["lock"]:
        if what not in slot:
            slot[what] = build()
        return slot[what]


def names_of(st: IndexState) -> NameTable:
    """The reporters of ``st`` by pinyin."""
    return per_generation(st, "names", lambda: NameTable(st.arrays.names))


def vocabulary_of(st: IndexState) -> Vocabulary:
    """The bigrams, characters and title words of ``st``."""
    return per_generation(st, "vocabulary", lambda: Vocabulary.build(st.view))


def _spelled_names(st: IndexState, clause: Clause) -> list[Clause]:
    """``reporter:lxx`` as one clause per name it spells; the clause itself otherwise."""
    if clause.field != "reporter" or latin_key(clause.text) is None:
        return [clause]
    if squash(clause.text) in set(st.arrays.names):
        return [clause]
    names = names_of(st).lookup(clause.text)
    return [replace(clause, text=n) for n in names] or [clause]


def interpret(st: IndexState, req: SearchRequest,
              synonyms: SynonymTable | None) -> tuple[ParsedQuery, list[str]]:
    """The query to evaluate for ``req`` and the synonyms it added."""
    parsed = parse(req.q)
    if any(c.field == "reporter" for g in parsed.groups for c in g):
        parsed = ParsedQuery([[n for c in g for n in _spelled_names(st, c)]
                              for g in parsed.groups])
    if synonyms is None or not getattr(req, "synonyms", True):
        return parsed, []
    return expand(parsed, synonyms)


def with_names(st: IndexState, req: SearchRequest) -> SearchRequest:
    """``req`` with reporter filters written in pinyin (``lxx``) replaced by the names."""
    if not any(latin_key(r) for r in req.reporters):
        return req
    known = set(st.arrays.names)
    return replace(req, reporters=names_of(st).resolve(req.reporters, known))


def suggestion(st: IndexState, req: SearchRequest, parsed: ParsedQuery) -> str | None:
    """A corrected query when a term of ``req.q`` occurs in (almost) no article."""
    if parsed.is_empty:
        return None
    evaluator = Evaluator(st.view, st.arrays)

    def count(text: str) -> int:
        return len(evaluator.verbatim(squash(text), True, True))

    return didyoumean.suggest(req.q, parse(req.q), vocabulary_of(st), count)
