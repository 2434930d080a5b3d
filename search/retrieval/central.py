"""How central a match is: the first results re-ranked by where the query's words stand.

BM25F counts occurrences; it cannot tell an article about 张北地震 from a notice
that names it once in a short text.  The words of an article's headline and of
its lead (the first :data:`LEAD_CHARS` characters of the body, where a news
story says what it is about) tell.  The best :data:`RERANK_DEPTH` results of a
relevance-sorted search (page 1 and the head of page 2: a topical story that
BM25F puts just past page 1 can reach it; deeper gained nothing on the judged set and
each article read costs time, bench/RESULTS.md) each
get a centrality in [0, 1]: for every query term, whether it stands in
the headline, whether in the lead, and how often in the body (up to
:data:`REPEATS`), averaged over the terms.  Its score becomes
``BM25F × (1 + CENTRAL_WEIGHT × centrality)``, and the results are re-sorted
*within* their group: every verbatim match still ranks above every other match
(CONTRACT), and the order past the re-ranked depth is BM25F's.  An article that
names every term once, in the body past its lead and nowhere in the headline, is a
mention in passing (a meeting's closing line, a list of the year's work): its
score keeps ``1 − PASSING`` of that.  A synonym stands for the term it widens
(counting :data:`~search.retrieval.evaluate.EXPANSION_WEIGHT` of it), and a run's synonym
for each of the run's words too (:func:`search.retrieval.relax.plan`).

Index postings carry no word positions (only bigrams do, and decoding a common
bigram's positions for a whole list costs more than reading ten articles),
so the text is read instead.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..text.normalize import squash
from . import evaluate

RERANK_DEPTH = 15  # results re-ranked by centrality: page 1 and the head of page 2
LEAD_CHARS = 150  # the body's opening characters that count as its lead
REPEATS = 4  # occurrences in the body from which a term counts as fully repeated
CENTRAL_WEIGHT = 1.0  # what a fully central match adds to its BM25F, as a fraction
HEAD, LEAD, BODY = 0.5, 0.3, 0.2  # shares of the headline, the lead and repetition
PASSING = 0.4  # what a mention in passing loses of its score, as a fraction


def centrality(head: str, body: str, terms: list[tuple[str, tuple[str, ...]]],
               alt_weight: float) -> float:
    """How central ``terms`` (squashed, each with its squashed synonyms) are to an article's
    headline and body (squashed); a synonym counts ``alt_weight`` of the term."""
    if not terms:
        return 0.0
    lead = body[:LEAD_CHARS]

    def standing(t: str) -> float:
        return (HEAD * (t in head) + LEAD * (t in lead)
                + BODY * min(body.count(t), REPEATS) / REPEATS)

    total = 0.0
    for t, alts in terms:
        total += max([standing(t), *(alt_weight * standing(a) for a in alts)])
    return total / len(terms)


def in_passing(head: str, body: str, terms: list[tuple[str, tuple[str, ...]]]) -> bool:
    """Whether an article (headline and body squashed) names each of ``terms`` and their
    synonyms at most once, and only in the body past its lead."""
    lead = body[:LEAD_CHARS]
    return bool(terms) and not any(
        t in head or t in lead or body.count(t) > 1
        for term, alts in terms for t in (term, *alts))


def rerank(order: np.ndarray, docs: np.ndarray, scores: np.ndarray, bonus: float,
           terms: list[tuple[str, tuple[str, ...]]],
           text_of: Callable[[int], tuple[str, str]],
           key: Callable[[str], str] = squash) -> tuple[np.ndarray, np.ndarray]:
    """``order`` (indexes into ``docs``, best first) with its first :data:`RERANK_DEPTH`
    re-sorted by centrality within their tier (a score holds ``bonus`` once for each
    group of the query matched verbatim), and the scores with those results' scores
    raised by their centrality (a copy; the order stays by score); ``text_of(docnum)``
    gives an article's (headline, body); ``key`` squashes a term (a search passes its
    plan's, which squashes each text once)."""
    top = order[:RERANK_DEPTH]
    if len(top) < 2 or not terms:
        return order, scores
    keys = [(key(t), tuple(k for k in map(key, alts) if k)) for t, alts in terms]
    keys = [(t, alts) for t, alts in dict.fromkeys(keys) if t]
    s = scores[top]
    # Each AND-ed group matched verbatim added one bonus: the number of them is the tier
    # (CONTRACT: verbatim first), what remains is BM25F.
    tier = np.floor(s / bonus)
    base = s - tier * bonus
    central, passing = np.zeros(len(top)), np.zeros(len(top))
    for k, i in enumerate(top.tolist()):
        head, body = map(squash, text_of(int(docs[i])))
        central[k] = centrality(head, body, keys, evaluate.EXPANSION_WEIGHT)
        passing[k] = in_passing(head, body, keys)
    new = base * (1.0 + CENTRAL_WEIGHT * central) * (1.0 - PASSING * passing)
    # Stable: ties keep BM25F's order (which broke ties by date, then docnum).
    resorted = top[np.lexsort((np.arange(len(top)), -new, -tier))]
    raised = scores.copy()
    raised[top] = tier * bonus + new
    return np.concatenate((resorted, order[RERANK_DEPTH:])), raised
