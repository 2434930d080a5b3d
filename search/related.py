"""Related articles: more-like-this from an article's most distinctive words.

The article's words (jieba's search mode, as indexed) are weighed by tf-idf;
the :data:`TERMS` heaviest are searched for together in the bodies (OR, BM25)
and the best other articles are related, a shared
reporter and a nearby date breaking ties.  Document frequencies are read from
the head of each word's posting list in the largest segments
(:func:`search.vocabulary.doc_frequency`), so only the :data:`TERMS` chosen
words' lists are read: reading the lists of all candidates to count them
made an article's related list cost 80 ms at 20,000 articles.

At 300,000 articles (38 segments) a list cost p50 68 / p95 100 ms in-process
(2026-12-02, load ~4 on 2 CPUs); now 25 / 39 ms in the same run, the same lists:
each word's postings are decoded across segments at once
(:meth:`~search.postings_view.PostingsView.postings`), the size estimate reads one
term-table entry instead of differencing the whole table, and the same-reporter
tie-break uses the in-memory reporter arrays instead of Whoosh's postings.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from . import schema as f
from .analysis import index_words
from .document import from_stored, reporter_key
from .evaluate import Evaluator, Match, reporter_docs
from .searcher import ResultCache
from .vocabulary import doc_frequency

if TYPE_CHECKING:
    from .searcher import IndexState

_cache: ResultCache = ResultCache(512)  # (generation, id, size) → headings, or _UNKNOWN
_UNKNOWN = "unknown"

CANDIDATES = 40  # most frequent words of the article whose rarity is looked up
TERMS = 10  # distinctive words searched for
MIN_SHARED = 2  # words a related article must share
MAX_SHARE = 0.01  # words in more of the archive than this are not distinctive...
MIN_COMMON = 50  # ...unless in this few articles (a small archive)
SAME_REPORTER = 0.05  # tie-breakers, as a share of the best score
NEARBY = 0.02  # ... for an article within NEARBY_DAYS
NEARBY_DAYS = 30


def distinctive_words(st: IndexState, text: str) -> list[tuple[str, float]]:
    """The article's :data:`TERMS` words of highest tf-idf (two characters or more)."""
    counts: dict[str, int] = {}
    for w in index_words(text):
        if len(w) >= 2 and not w.isdigit():
            counts[w] = counts.get(w, 0) + 1
    frequent = sorted(counts, key=lambda w: (-counts[w] * len(w), w))[:CANDIDATES]
    n = max(st.arrays.doc_count, 1)
    scored = []
    for w in frequent:
        df = doc_frequency(st.view, f.TEXT, w)  # estimated: no posting list is read
        if df <= 1.5 or df > max(n * MAX_SHARE, MIN_COMMON):
            continue  # only in this article (finds nothing else), or in too many to tell
        scored.append((w, (1 + math.log(counts[w])) * math.log(1 + n / df)))
    scored.sort(key=lambda ws: (-ws[1], ws[0]))
    return scored[:TERMS]


def _ranked(st: IndexState, match: Match, shared: np.ndarray, doc: int,
            art: dict, size: int) -> list[int]:
    """The best ``size`` docnums: score, then a shared reporter and a nearby date."""
    keep = (match.docs != doc) & (shared >= MIN_SHARED)
    docs, scores = match.docs[keep], match.scores[keep]
    if not len(docs):
        return []
    bonus = np.zeros(len(docs))
    keys = [k for k in (reporter_key(r) for r in art["reporters"]) if k]
    for key in keys:
        bonus[np.isin(docs, reporter_docs(st.arrays, key))] += SAME_REPORTER
    day = int(st.arrays.days[doc])
    if day:
        near = np.abs(_ordinal(st.arrays.days[docs]) - _ordinal(np.array([day]))[0])
        bonus[near <= NEARBY_DAYS] += NEARBY
    final = scores * (1 + bonus)
    order = np.lexsort((docs, -final))[:size]
    return docs[order].tolist()


def _ordinal(days: np.ndarray) -> np.ndarray:
    """yyyymmdd integers as day numbers (approximate months are fine for nearness)."""
    return (days // 10000) * 372 + (days // 100 % 100) * 31 + days % 100


def _more_like(evaluator: Evaluator, terms: list[tuple[str, float]]) -> tuple[Match, np.ndarray]:
    """Documents with any of ``terms`` in the body: summed weighted BM25, and how many each has.

    Bodies only (a title's words are nearly always in its body too): each term is
    one lookup per segment instead of two.  One sort of all the postings
    together, not a union per term.
    """
    parts = [(m.docs, m.scores * weight)
             for m, weight in ((evaluator.word(w, False, True), wt) for w, wt in terms)]
    if not parts:
        return Match.none(), np.zeros(0)
    docs, inverse = np.unique(np.concatenate([d for d, _ in parts]), return_inverse=True)
    scores = np.bincount(inverse, weights=np.concatenate([s for _, s in parts]),
                         minlength=len(docs))
    return Match(docs, scores), np.bincount(inverse, minlength=len(docs))


def related(st: IndexState, article_id: str, size: int = 5) -> list[dict] | None:
    """Up to ``size`` related articles (their headings), or None when the id is unknown.

    Kept per index generation (:data:`_cache`): the article page and the API ask
    for the same article's list, and popular articles are opened often.
    """
    key = (st.key, str(article_id), size)
    cached = _cache.get(key)
    if cached is None:
        cached = _related(st, article_id, size)
        _cache.put(key, cached)
    return None if cached == _UNKNOWN else [dict(a) for a in cached]


def _related(st: IndexState, article_id: str, size: int) -> list[dict] | str:
    with st.view.io_lock:
        doc = st.searcher.document_number(id=str(article_id))
        stored = st.searcher.stored_fields(doc) if doc is not None else None
    if stored is None:
        return _UNKNOWN
    art = from_stored(stored)
    text = "\n".join([art["kicker"], art["title"], art["subtitle"], art["body"]])
    match, counts = _more_like(Evaluator(st.view, st.arrays), distinctive_words(st, text))
    out = []
    for d in _ranked(st, match, counts, int(doc), art, size):
        with st.view.io_lock:
            other = from_stored(st.searcher.stored_fields(int(d)))
        other.pop("body", None)
        other.pop("url", None)
        out.append(other)
    return out
