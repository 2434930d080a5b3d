"""Partial matches: when all of a query's words together match few articles, the
articles that hold most of them.

Every unquoted word is required (CONTRACT: ``工匠 劳模`` means both), so a natural
query of three words can find nothing while the archive has the story in other
words (下岗女工 自谋职业: a laid-off woman who started a cleaning business, the
story never saying 自谋职业).  Below :data:`RELAX_BELOW` all-words results, the
query is split into *units*: each unquoted group of the query, and each jieba word
of an unquoted run that is a group alone (企业兼并破产 → 企业, 兼并, 破产).  An
article holding most of the units (one of two, two of three, three of four or five…)
is a partial match: it is listed after every all-words result, in a section of its
own, with the units it lacks.  When even those are few, articles holding fewer
units follow (down to one), always after those holding more.  What is never
relaxed: a quoted phrase, a field or reporter restriction (``title:``,
``reporter:``), an exclusion, the filters.

Partial matches rank by how many units they hold, then by the units' BM25F
scores summed (a unit's best synonym added to it), so the rarer and more central words
decide (re-ranking them by centrality as the all-words results are was measured and
not kept: bench/RESULTS.md).  A unit that is a verb in jieba's dictionary (表彰, 介绍,
增收, 打工) counts :data:`VERB_WEIGHT` of its BM25F: among articles holding one word of
劳动模范 表彰, what names the model workers tells more about the query than what names
any award, which a verb in a short headline would otherwise outrank.  Partial matches
are not counted in ``total`` nor in the facets, which stay those of the all-words
result set.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .. import schema
from ..text import wordseg
from .evaluate import (
    VERBATIM_BONUS,
    Evaluator,
    Match,
    alternatives,
    difference,
    intersect,
    meaningful,
    union,
)
from .plan import QueryPlan
from .query import Clause

RELAX_BELOW = 10  # all-words results under which articles holding fewer units are added
# When page 1 shows partial matches although all the words together match a page of
# articles or more (bench/RESULTS.md, ``python -m bench.relevance_gate``): below
# FEW_BELOW all-words matches, or below WEAK_BELOW when the all-words matches the slots
# would push off page 1 all score below the partial matches taking their place. Page 1
# then ends with PAGE_SLOTS partial matches and the all-words list goes on on page 2.
FEW_BELOW = 12
WEAK_BELOW = 50
PAGE_SLOTS = 3
# A run typed alone is looked at for weak all-words matches only where its words'
# postings (title and body) hold at most this many bytes: relaxing it reads each word's
# whole lists, which for common words costs more than the rest of the search.
WEAK_RUN_BYTES = 1024
MAX_PARTIAL = 100  # partial matches kept, best first
MAX_UNITS = 8  # units beyond this are too many words to relax one by one
# What a unit that is a verb weighs in a partial match's score, against a noun's
# (bench/RESULTS.md); VERB_TAGS are jieba's part-of-speech tags of verbs.
VERB_WEIGHT = 0.5
VERB_TAGS = frozenset({"v"})


@dataclass
class Unit:
    """One thing a partial match may lack: its label (as typed) and its clauses (OR-ed)."""

    label: str
    clauses: list[Clause]
    weight: float = 1.0  # of its BM25F in a partial match's score (:func:`unit_weight`)
    # For a one-character word of a run: the units of its neighbours in the run.  Held
    # without either of them it is not counted (:func:`partial`).
    leans_on: tuple[int, ...] = ()


@dataclass
class Plan:
    """How a query relaxes: units that may be missing, clauses that must match, exclusions."""

    units: list[Unit]
    required: list[list[Clause]]  # groups (OR within) every partial match holds
    excluded: list[Clause]
    required_labels: list[str]
    # What an article about the query holds (for centrality): each word or phrase, each
    # typed run whole, with the synonyms (or pinyin spellings) searched in its stead.
    central: list[tuple[str, tuple[str, ...]]]

    @property
    def labels(self) -> list[str]:
        return [u.label for u in self.units]

    @property
    def terms(self) -> list[str]:
        """Everything an all-words match holds: the units and the required groups."""
        return self.labels + self.required_labels

    @property
    def relaxable(self) -> bool:
        """Whether a partial match can lack something: a unit, among two terms or more."""
        return 1 <= len(self.units) <= MAX_UNITS and len(self.terms) >= 2


def unit_weight(text: str) -> float:
    """:data:`VERB_WEIGHT` for a unit that is one word tagged a verb by jieba's
    dictionary, else 1 (a noun, a name, a phrase of several words)."""
    tags = [t for w, t in wordseg.tag(text) if w.strip()]
    return VERB_WEIGHT if len(tags) == 1 and tags[0] in VERB_TAGS else 1.0


def _neighbours(first: int, i: int, n: int) -> tuple[int, ...]:
    """The units of the words beside the ``i``-th of a run of ``n`` words whose first
    unit is ``first``."""
    return tuple(first + j for j in (i - 1, i + 1) if 0 <= j < n)


def _bare(c: Clause) -> Clause:
    """A typed word or group searched for a unit: unquoted, no field restriction."""
    return replace(c, negate=False)


def plan(query: QueryPlan) -> Plan | None:
    """The units of the query as typed, as evaluated (synonyms added), or None when
    the query's groups cannot be told apart (it is then never relaxed)."""
    typed, parsed, text = query.typed.groups, query.parsed, query.text
    if len(typed) != len(parsed.groups):  # interpret keeps groups one for one
        return None
    units: list[Unit] = []
    required: list[list[Clause]] = []
    excluded: list[Clause] = []
    required_labels: list[str] = []
    central: dict[str, tuple[str, ...]] = {}
    for mine, full in zip(typed, parsed.groups, strict=True):
        mine = [c for c in mine if meaningful(c, text)]
        positive = [c for c in mine if not c.negate]
        if not positive:
            excluded += [c for c in full if c.negate and meaningful(c, text)]
            continue
        alternatives = [c for c in full if not c.negate and meaningful(c, text)]
        added = tuple(c.text for c in alternatives if c.added)
        for c in positive:
            if c.field != "reporter":
                central[c.text] = added
        if any(c.phrase or c.field for c in positive) or any(c.negate for c in mine):
            required.append(alternatives)
            required_labels.append(" OR ".join(c.text for c in positive))
            continue
        ws = text.distinct_words(positive[0].text) if len(positive) == 1 else []
        for w in ws if len(ws) >= 2 else []:
            # The run's synonyms stand for each of its words (农民工 holds 外来务工人员's
            # 外来 and 务工人员 as much as it holds the run), as they do for the units below.
            central[w] = tuple(dict.fromkeys(central.get(w, ()) + added))
        if len(ws) >= 2:
            # A doc holding the run (or one of its synonyms) holds each of its words.
            first = len(units)
            units += [Unit(w, [Clause(w), *alternatives], unit_weight(w),
                           _neighbours(first, i, len(ws)) if len(w) == 1 else ())
                      for i, w in enumerate(ws)]
        else:
            label = " OR ".join(c.text for c in positive)
            units.append(Unit(label, alternatives,
                              unit_weight(label) if len(positive) == 1 else 1.0))
    return Plan(units, required, excluded, required_labels, list(central.items()))


def page_slots(total: int, size: int, partial_scores: np.ndarray,
               first_page: np.ndarray | None) -> int:
    """How many partial matches page 1 shows after its all-words ones, before the
    all-words list goes on: :data:`PAGE_SLOTS` (or as many as there are) when the
    all-words matches (``total``) are few, or fewer than :data:`WEAK_BELOW` and weak:
    ``first_page``, the scores of page 1's all-words matches in their order (BM25F and
    centrality, verbatim tiers taken off), ends in matches that all score below the
    partial match that would take the last of their places; else 0 (partial matches, if
    any, follow the last all-words match).  ``partial_scores``: best first."""
    take = min(PAGE_SLOTS, len(partial_scores), size)
    if not take or total >= WEAK_BELOW:
        return 0
    if total < FEW_BELOW:
        return take
    if first_page is None or not len(first_page):
        return 0
    pushed = first_page[max(0, min(total, size) - take):min(total, size)]
    return take if float(pushed.max()) < float(partial_scores[take - 1]) else 0


def units_bytes(evaluator: Evaluator, p: Plan) -> int:
    """The bytes of the postings (title and body words) of the units' typed words: what
    computing the partial matches reads at least (read once a search: the all-words
    evaluation has read them already)."""
    view = evaluator.view
    return sum(view.encoded(field, c.text).size for u in p.units for c in u.clauses
               if not c.added for field in (schema.HEAD, schema.TEXT))


def needed(n: int) -> int:
    """Terms a partial match holds at least: one of two, else more than half."""
    return 1 if n == 2 else n // 2 + 1


def _unscored(m: Match) -> Match:
    """A unit's match with the verbatim bonus taken off (units rank by BM25F alone)."""
    s = m.scores
    return Match(m.docs, np.where(s >= VERBATIM_BONUS, s - VERBATIM_BONUS, s))


@dataclass
class Partial:
    """Partial matches, best first, and per match the labels of the units it holds."""

    docs: np.ndarray  # ranked
    scores: np.ndarray  # the units' BM25F summed (the rank within as many units held)
    held: np.ndarray  # bool [len(docs), len(units)]
    labels: list[str]
    required: list[str]  # labels of the required terms

    def missing(self, i: int) -> list[str]:
        return [lab for lab, h in zip(self.labels, self.held[i], strict=True) if not h]

    def matched(self, i: int) -> list[str]:
        """The units it holds, then the required terms (every partial match holds them)."""
        held = [lab for lab, h in zip(self.labels, self.held[i], strict=True) if h]
        return held + self.required


def partial(evaluator: Evaluator, p: Plan, full: Match, days: np.ndarray) -> Partial:
    """The partial matches of ``p``: not in ``full`` (the all-words result), holding at
    least :func:`needed` units and every required group, ranked (units held, then
    the units' BM25F weighted by :attr:`Unit.weight`, then newest)."""
    seen: dict[tuple, Match] = {}

    def clause(c: Clause) -> Match:  # a run's clauses stand in each of its words' units
        key = (c.text, c.phrase, c.field, c.expand, c.negate)
        if key not in seen:
            seen[key] = evaluator.clause(c)
        return seen[key]

    unit_matches = [  # a unit scores as its group does: expansions do not stack
        alternatives([_unscored(clause(c)) for c in u.clauses if not c.added],
                     [_unscored(clause(c)) for c in u.clauses if c.added])
        for u in p.units]
    cand: Match | None = None
    for group in p.required:
        alt = Match.none()
        for c in group:
            alt = union(alt, clause(c))
        alt = Match(alt.docs, np.zeros(len(alt)))
        cand = alt if cand is None else intersect(cand, alt)
    if cand is None:  # nothing required: any unit
        cand = Match.none()
        for m in unit_matches:
            cand = union(cand, Match(m.docs, np.zeros(len(m))))
    for c in p.excluded:
        cand = difference(cand, clause(_bare(c)))
    cand = difference(cand, full)
    docs = cand.docs
    if evaluator.allowed is not None and len(docs):
        docs = docs[evaluator.allowed[docs]]
    held = np.zeros((len(docs), len(p.units)), dtype=bool)
    scores = np.zeros((len(docs), len(p.units)))
    for k, m in enumerate(unit_matches):
        if not len(m) or not len(docs):
            continue
        i = np.minimum(np.searchsorted(m.docs, docs), len(m.docs) - 1)
        hit = m.docs[i] == docs
        held[:, k] = hit
        scores[hit, k] = m.scores[i[hit]] * p.units[k].weight
    # A run's one-character word (再 of 再就业基地, 市 and 总 of 市总) held without a
    # neighbour is any use of a common character (再延长 … 海军基地): it is not counted.
    counted = held.copy()
    for k, u in enumerate(p.units):
        if u.leans_on:
            counted[:, k] &= held[:, list(u.leans_on)].any(axis=1)
    count = counted.sum(axis=1)
    score = (scores * counted).sum(axis=1)
    # The required groups are held by every candidate; the rest is counted in units.
    need = max(needed(len(p.terms)) - len(p.required), 0)
    floor = 0 if p.required else 1
    while need > floor and len(full) + int((count >= need).sum()) < RELAX_BELOW:
        need -= 1  # still few: articles holding fewer of the words, after those with more
    # A partial match lacks a unit: one holding every unit outside ``full`` (a run whose
    # words occur apart where the run itself is matched whole) is not one, and would be
    # shown as lacking nothing.
    keep = (count >= need) & (held.sum(axis=1) < len(p.units))
    docs, held, score, count = docs[keep], held[keep], score[keep], count[keep]
    order = np.lexsort((docs, -days[docs], -score, -count))[:MAX_PARTIAL]
    return Partial(docs[order], score[order], held[order], p.labels, p.required_labels)
