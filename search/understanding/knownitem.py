"""A pasted headline without its punctuation still finds its article.

``待到山花烂漫时记花鸟画家`` (the title printed as 待到山花烂漫时——记花鸟画家) matches
nothing: not verbatim, because the dash is gone, and not as all its words,
because jieba cuts 时记 across the place where the dash was, and no article has
that word.  When a long unquoted run matches nothing at all, the articles
holding most of its words (:data:`MIN_COVER` of its characters) are its hits
instead, those covering more ranking first.
"""

from __future__ import annotations

import numpy as np

from ..retrieval.evaluate import Evaluator, Match, union
from ..retrieval.plan import Analysis
from ..retrieval.query import ParsedQuery

MIN_CHARS = 6  # shorter runs are not pasted headlines
MIN_COVER = 0.75  # share of the run's word characters an article must hold
MAX_WORDS = 24
COVER_BONUS = 1_000.0  # per unit of cover: cover ranks first, BM25F breaks ties


def loose_run(parsed: ParsedQuery, text: Analysis) -> str | None:
    """The run to match loosely: a query of one unquoted, unfielded run, long enough."""
    if len(parsed.groups) != 1 or len(parsed.groups[0]) != 1:
        return None
    clause = parsed.groups[0][0]
    if clause.phrase or clause.negate or clause.field is not None:
        return None
    return clause.text if len(text.squash(clause.text)) >= MIN_CHARS else None


def loose_match(evaluator: Evaluator, text: str) -> Match:
    """Articles holding at least :data:`MIN_COVER` of ``text``'s word characters."""
    ws = [w for w in evaluator.text.distinct_words(text) if len(w) >= 2][:MAX_WORDS]
    total = sum(len(w) for w in ws)
    if len(ws) < 2:
        return Match.none()
    found = Match.none()
    for w in ws:
        m = evaluator.word(w, True, True)
        found = union(found, Match(m.docs, m.scores + len(w) * COVER_BONUS))
    cover = np.floor(found.scores / COVER_BONUS)
    keep = cover >= MIN_COVER * total
    return Match(found.docs[keep], found.scores[keep])
