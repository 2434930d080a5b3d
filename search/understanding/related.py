"""Related articles: more-like-this from an article's keywords.

The article's keywords (:mod:`search.text.keywords`: nouns, verbs, names and
abbreviations, never dates, numbers, units or the generic words of news prose;
title words counted three times) are weighed by tf-idf, the idf from this
index's document frequencies.  The :data:`TERMS` heaviest are searched for
together in titles and bodies (OR, BM25F) and an article is related only when it
shares real topical ground: at least :data:`MIN_SHARED` of the terms, carrying
:data:`MIN_OVERLAP` of their weight.  Among those, the same reporter (who often
follows one subject) and a nearby date raise the score.  Document frequencies are
read from the head of each word's posting list in the largest segments
(:func:`search.understanding.vocabulary.doc_frequency`), so only the chosen words' lists are read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import schema as f
from ..document import from_stored, reporter_key
from ..retrieval.evaluate import Evaluator, Match, reporter_docs
from ..storage.generations import ResultCache
from ..text import keywords
from .vocabulary import doc_frequency

if TYPE_CHECKING:
    from ..storage.generations import IndexState

_cache: ResultCache = ResultCache(512)  # (generation, id, size) → headings, or _UNKNOWN
_UNKNOWN = "unknown"

CANDIDATES = 40  # most frequent keywords of the article whose rarity is looked up
TERMS = 16  # distinctive words searched for
MIN_SHARED = 3  # words a related article must share...
MIN_OVERLAP = 0.15  # ... carrying this share of the terms' weight (by the same reporter:
#                     one word fewer and half the share, their beat being evidence too)
MAX_SHARE = 0.1  # words in more of the archive than this are not distinctive...
MIN_COMMON = 50  # ...unless in this few articles (a small archive)
SAME_REPORTER = 1.0  # score bonuses, as a share of the score
NEARBY = 0.1  # ... for an article within NEARBY_DAYS
NEARBY_DAYS = 30


def distinctive_words(st: IndexState, art: dict) -> list[tuple[str, float]]:
    """The article's :data:`TERMS` keywords of highest tf-idf, its bylines' names left out."""
    tf = keywords.counts("\n".join([art.get("kicker") or "", art.get("subtitle") or "",
                                     art.get("body") or ""]), art.get("title") or "",
                         inner=True)
    frequent = dict(sorted(tf.items(), key=lambda wc: (-wc[1] * len(wc[0]), wc[0]))[:CANDIDATES])
    n = max(st.arrays.doc_count, 1)
    return keywords.ranked(
        frequent, lambda w: doc_frequency(st.view, f.TEXT, w), n, TERMS,
        exclude=art.get("reporters") or [], min_df=1.5, max_df=max(n * MAX_SHARE, MIN_COMMON))


def _ranked(st: IndexState, match: Match, overlap: np.ndarray, shared: np.ndarray, doc: int,
            art: dict, size: int) -> list[int]:
    """The best ``size`` docnums that share enough: score, raised for a shared reporter and
    a nearby date."""
    same = np.zeros(len(match.docs), dtype=bool)
    for key in (k for k in (reporter_key(r) for r in art["reporters"]) if k):
        same |= np.isin(match.docs, reporter_docs(st.arrays, key))
    keep = ((match.docs != doc) & (shared >= MIN_SHARED - same.astype(np.int64))
            & (overlap >= np.where(same, MIN_OVERLAP / 2, MIN_OVERLAP)))
    docs, scores = match.docs[keep], match.scores[keep]
    if not len(docs):
        return []
    bonus = np.where(same[keep], SAME_REPORTER, 0.0)
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


def _more_like(evaluator: Evaluator, terms: list[tuple[str, float]]
               ) -> tuple[Match, np.ndarray, np.ndarray]:
    """Documents with any of ``terms`` in the title or body: summed weighted BM25F, the
    share of the terms' weight each holds, and how many of the terms.

    One sort of all the postings together, not a union per term.
    """
    parts = [(m.docs, m.scores * weight, np.full(len(m.docs), weight))
             for m, weight in ((evaluator.word(w, True, True), wt) for w, wt in terms)]
    if not parts:
        return Match.none(), np.zeros(0), np.zeros(0)
    docs, inverse = np.unique(np.concatenate([d for d, _, _ in parts]), return_inverse=True)
    scores = np.bincount(inverse, weights=np.concatenate([s for _, s, _ in parts]),
                         minlength=len(docs))
    held = np.bincount(inverse, weights=np.concatenate([w for _, _, w in parts]),
                       minlength=len(docs))
    total = sum(wt for _, wt in terms) or 1.0
    return Match(docs, scores), held / total, np.bincount(inverse, minlength=len(docs))


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
    match, overlap, counts = _more_like(Evaluator(st.view, st.arrays), distinctive_words(st, art))
    out = []
    for d in _ranked(st, match, overlap, counts, int(doc), art, size):
        with st.view.io_lock:
            other = from_stored(st.searcher.stored_fields(int(d)))
        other.pop("body", None)
        other.pop("url", None)
        out.append(other)
    return out
