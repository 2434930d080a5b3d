"""What a user meant: synonyms, pinyin names and did-you-mean, applied to one search.

:func:`interpret` turns the query text into the :class:`~search.retrieval.plan.QueryPlan`
whose ``parsed`` query is evaluated (synonyms OR-ed in, ``reporter:lxx`` spelled out as names,
``gongjiangjingshen`` OR-ed with 工匠精神);
:func:`with_names` does the same for the reporter filter; :func:`suggestion`
proposes a corrected query.  What they need of an index generation is built on
first use, so ordinary queries pay nothing for it: its reporters' pinyin kept per
generation, and the tables sized by the vocabulary (the bigrams and title words, the
title words by pinyin) kept once per folder and shared by its generations
(:mod:`search.understanding.tables`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from ..retrieval.evaluate import Evaluator
from ..retrieval.plan import Analysis, QueryPlan
from ..retrieval.query import Clause, ParsedQuery, parse
from ..retrieval.request import SYNONYMS_ALL, SearchRequest
from ..text.pinyin import NameTable, WordTable, latin_key
from . import didyoumean, tables
from .synonyms import SynonymTable, expand
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from ..storage.generations import IndexState

_lock = threading.Lock()
_per_generation: dict[tuple, dict] = {}


T = TypeVar("T")


def per_generation(st: IndexState, what: str, build: Callable[[], T]) -> T:
    """``build()`` once per index generation (the last two generations are kept).

    Each table has its own lock: while one is built (the suggestions' takes
    seconds on a large archive), a search needing another one does not wait.
    """
    with _lock:
        slot = _per_generation.get(st.key)
        if slot is None:
            while len(_per_generation) >= 2:
                _per_generation.pop(next(iter(_per_generation)))
            slot = _per_generation[st.key] = {}
        entry = slot.get(what)
        if entry is None:
            entry = slot[what] = {"lock": threading.RLock()}
    with entry["lock"]:
        if "value" not in entry:
            entry["value"] = build()
        return entry["value"]


def built(st: IndexState, what: str) -> bool:
    """Whether ``what`` of ``st``'s generation is built already (nothing is built here)."""
    with _lock:
        if "value" in _per_generation.get(st.key, {}).get(what, {}):
            return True
    return tables.is_held(st, what)


def names_of(st: IndexState) -> NameTable:
    """The reporters of ``st`` by pinyin."""
    return per_generation(st, "names", lambda: NameTable(st.arrays.names))


def vocabulary_of(st: IndexState, fresh: bool = False) -> Vocabulary:
    """The bigrams and frequent title words of ``st``'s folder (shared by generations;
    ``fresh``: built again if it is behind, :func:`search.understanding.tables.behind`)."""
    return tables.shared(st, "vocabulary", lambda: Vocabulary.build(st.view), fresh=fresh)


def words_of(st: IndexState, fresh: bool = False) -> WordTable:
    """The frequent title words of ``st``'s folder by pinyin: built only when a Latin term
    is searched (shared by generations, as the vocabulary it is made from)."""
    return tables.shared(st, "pinyin_words",
                         lambda: WordTable(vocabulary_of(st, fresh).title_words), fresh=fresh)


def _spelled_names(st: IndexState, clause: Clause, text: Analysis) -> list[Clause]:
    """``reporter:lxx`` as one clause per name it spells; the clause itself otherwise."""
    if clause.field != "reporter" or latin_key(clause.text) is None:
        return [clause]
    if text.squash(clause.text) in set(st.arrays.names):
        return [clause]
    names = names_of(st).lookup(clause.text)
    return [replace(clause, text=n) for n in names] or [clause]


MAX_RUN = 6  # adjacent query terms read together as one pinyin run (gong jiang jing shen)


def _pinyin_term(c: Clause) -> bool:
    """A term that may be pinyin of a title word: positive, not a reporter, not an exact phrase."""
    return (not c.negate and c.field != "reporter" and (not c.phrase or c.expand)
            and latin_key(c.text) is not None)


def _latin_names(st: IndexState) -> set[str]:
    """The reporter names of ``st`` written in Latin letters, as keys (Tom Smith: tomsmith)."""
    return per_generation(st, "latin_names", lambda: {
        k for k in map(latin_key, st.arrays.names) if k is not None})


def _add(group: list[Clause], like: Clause, words: list[str], added: list[str],
         text: Analysis) -> None:
    """OR ``words`` into ``group`` as exact phrases in ``like``'s field (once each)."""
    present = {text.squash(c.text) for c in group}
    for w in words:
        if text.squash(w) not in present:
            present.add(text.squash(w))
            group.append(replace(like, text=w, phrase=True, expand=False, added=True))
            added.append(w)


def spell_pinyin(st: IndexState, parsed: ParsedQuery,
                 text: Analysis) -> tuple[ParsedQuery, list[str]]:
    """``parsed`` with Latin terms that are full pinyin of title words OR-ed with those words.

    Adjacent terms are read together first, the longest run that spells something
    (``gongjiang jingshen`` → 工匠精神, added to both terms' groups); then each term
    alone.  A query with no Latin term returns at once: the table is built only
    for a query that may need it.  A term that is a Latin reporter name stays itself.
    """
    if not any(_pinyin_term(c) for g in parsed.groups for c in g):
        return parsed, []
    names, table, gram = _latin_names(st), words_of(st), vocabulary_of(st).gram
    groups = [list(g) for g in parsed.groups]
    runnable = [len(g) == 1 and _pinyin_term(g[0]) for g in groups]
    added: list[str] = []
    i = 0
    while i < len(groups):
        for j in range(min(len(groups), i + MAX_RUN), i + 1, -1):
            run = [g[0] for g in groups[i:j]]
            if (all(runnable[i:j]) and len({c.field for c in run}) == 1
                    and "".join(latin_key(c.text) or "" for c in run) not in names):
                found = table.spell([c.text for c in run], gram)
                if found:
                    for g in groups[i:j]:
                        _add(g, g[0], found, added, text)
                    i = j
                    break
        else:
            for c in list(groups[i]):
                if _pinyin_term(c) and latin_key(c.text) not in names:
                    _add(groups[i], c, table.spell([c.text], gram), added, text)
            i += 1
    return ParsedQuery(groups), list(dict.fromkeys(added))


def _all_phrases(parsed: ParsedQuery) -> ParsedQuery:
    """Every positive quoted phrase marked to match its synonyms too (包含同义词 ticked)."""
    return ParsedQuery([[replace(c, expand=True) if c.phrase and not c.negate
                         and c.field != "reporter" else c for c in g] for g in parsed.groups])


def interpret(st: IndexState, req: SearchRequest,
              synonyms: SynonymTable | None) -> QueryPlan:
    """The plan of ``req``'s query: parsed once as typed and as evaluated (synonyms OR-ed
    in, pinyin names and words spelled out), what was added, and the analysis every later
    stage of the search reads (:mod:`search.retrieval.plan`)."""
    text = Analysis()
    typed = parse(req.q)
    parsed = typed
    if any(c.field == "reporter" for g in parsed.groups for c in g):
        parsed = ParsedQuery([[n for c in g for n in _spelled_names(st, c, text)]
                              for g in parsed.groups])
    mode = getattr(req, "synonyms", True)
    if not mode:
        return QueryPlan(req.q, typed, parsed, [], [], text)
    if mode == SYNONYMS_ALL:
        parsed = _all_phrases(parsed)
    added: list[str] = []
    if synonyms is not None:
        parsed, added = expand(parsed, synonyms, text.squash)
    parsed, spelled = spell_pinyin(st, parsed, text)
    pinyin = [w for w in spelled if w not in added]
    return QueryPlan(req.q, typed, parsed, list(dict.fromkeys(added + spelled)), pinyin, text)


def with_names(st: IndexState, req: SearchRequest) -> SearchRequest:
    """``req`` with reporter filters written in pinyin (``lxx``) replaced by the names."""
    if not any(latin_key(r) for r in req.reporters):
        return req
    known = set(st.arrays.names)
    return replace(req, reporters=names_of(st).resolve(req.reporters, known))


def suggestion(st: IndexState, plan: QueryPlan, view=None) -> str | None:  # noqa: ANN001
    """A corrected query when a term of the plan's typed query occurs in (almost) no
    article.  ``view``: the search's own postings view (its lists already read are not
    read again); None: the generation's.

    Each term is counted, never scored (:meth:`Evaluator.count_verbatim`: a word of two
    characters from the counts written with the skip tables when no article is deleted)."""
    if plan.is_empty:
        return None
    evaluator = Evaluator(view if view is not None else st.view, st.arrays)
    count = evaluator.count_verbatim if COUNT_UNSCORED else (
        lambda squashed: len(evaluator.verbatim(squashed, True, True)))
    return didyoumean.suggest(plan.q, plan.typed, vocabulary_of(st), count, plan.text.squash)


# Whether did-you-mean counts a term's articles without scoring them (False: the
# reference, every article holding it scored and counted; tests compare the two).
COUNT_UNSCORED = True
