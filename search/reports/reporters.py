"""Reporters: everyone with their article counts, and one reporter's profile.

Counts come from the (article, reporter) pairs the engine keeps in arrays for
the reporter facet, so listing every reporter reads no stored article.  A
profile adds what only the articles say: the themes a reporter covers most
(words frequent in their articles and rare in the archive, tf-idf over their
latest :data:`THEME_SAMPLE` articles) and the colleagues they share bylines
with.  Names are as indexed (normalised: full-width and traditional forms folded).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from .. import schema as f
from ..document import date_of, reporter_key
from ..storage.generations import ResultCache
from ..text import keywords
from ..text.pinyin import latin_key, name_readings
from .issues import stored_articles

if TYPE_CHECKING:
    from ..storage.generations import IndexState

THEME_SAMPLE = 200  # latest articles read for themes
THEMES = 12
COLLEAGUES = 12
class ReporterCount(TypedDict):
    name: str
    count: int


class ReporterList(TypedDict):
    """One page of the reporter list (most articles first), optionally filtered."""

    q: str
    total: int  # reporters matching q
    reporters: list[ReporterCount]


class Theme(TypedDict):
    word: str
    count: int  # of the reporter's sampled articles that use it


class Profile(TypedDict):
    """What ``/reporters/<name>`` shows besides the article list."""

    name: str
    articles: int
    date_from: str
    date_to: str
    themes: list[Theme]
    colleagues: list[ReporterCount]


def _counts(st: IndexState, paper: str = "") -> np.ndarray:
    """Live articles per reporter id (ids index ``arrays.names``), of ``paper`` if given."""
    arrays = st.arrays
    rep_id = arrays.rep_id
    if paper:
        rep_id = rep_id[arrays.paper_mask([paper])[arrays.rep_doc]]
    return np.bincount(rep_id, minlength=len(arrays.names)) if len(rep_id) \
        else np.zeros(len(arrays.names), dtype=np.int64)


_keys: ResultCache[list[tuple[str, ...]]] = ResultCache(4)


def _pinyin_keys(st: IndexState) -> list[tuple[str, ...]]:
    """Each name's full pinyin and initials (every surname reading), per generation."""
    cached = _keys.get(st.key)
    if cached is None:
        cached = []
        for name in st.arrays.names:
            keys: list[str] = []
            if any("\u4e00" <= ch <= "\u9fff" for ch in name):
                for syl in name_readings(name):
                    keys += ["".join(syl), "".join(s[0] for s in syl if s)]
            cached.append(tuple(keys))
        _keys.put(st.key, cached)
    return cached


def _matches(st: IndexState, q: str) -> list[int]:
    """Ids of names containing ``q``, or whose pinyin or initials start with it (liu, lxx)."""
    names = st.arrays.names
    key = latin_key(q)
    text = reporter_key(q)
    if key is None:
        return [i for i, n in enumerate(names) if text and text in n]
    keys = _pinyin_keys(st)
    return [i for i, n in enumerate(names)
            if text in n.lower() or any(k.startswith(key) for k in keys[i])]


def reporter_list(st: IndexState, q: str = "", page: int = 1, size: int = 100,
                  paper: str = "") -> ReporterList:
    """Reporters with their counts, most articles first (then by name); ``q`` filters;
    ``paper`` (a key): only that paper's articles count, and only its reporters are listed."""
    counts = _counts(st, paper)
    ids = np.flatnonzero(counts) if not q.strip() else \
        np.asarray([i for i in _matches(st, q.strip()) if counts[i]], dtype=np.int64)
    order = ids[np.lexsort((ids, -counts[ids]))] if len(ids) else ids
    shown = order[(page - 1) * size: page * size].tolist()
    names = st.arrays.names
    return {"q": q, "total": int(len(ids)),
            "reporters": [{"name": names[i], "count": int(counts[i])} for i in shown]}


def _reporter_id(st: IndexState, name: str) -> int | None:
    names = st.arrays.names
    key = reporter_key(name)
    at = bisect_left(names, key)
    return at if key and at < len(names) and names[at] == key else None


_profiles: ResultCache[Profile | None] = ResultCache(64)


def profile(st: IndexState, name: str) -> Profile | None:
    """One reporter's counts, span, themes and colleagues; None for a name with no article."""
    key = (st.key, reporter_key(name))
    cached = _profiles.get(key)
    if cached is None:
        cached = _profile(st, name)
        _profiles.put(key, cached)
    return cached


def _profile(st: IndexState, name: str) -> Profile | None:
    rid = _reporter_id(st, name)
    if rid is None:
        return None
    arrays = st.arrays
    docs = np.unique(arrays.rep_doc[arrays.rep_id == rid])
    if not len(docs):
        return None
    days = arrays.days[docs]
    mask = np.zeros(len(arrays.live), dtype=bool)
    mask[docs] = True
    shared = np.bincount(arrays.rep_id[mask[arrays.rep_doc]], minlength=len(arrays.names))
    shared[rid] = 0
    top = np.flatnonzero(shared)
    top = top[np.lexsort((top, -shared[top]))][:COLLEAGUES]
    latest = docs[np.argsort(-days, kind="stable")][:THEME_SAMPLE]
    return {"name": arrays.names[rid], "articles": int(len(docs)),
            "date_from": date_of(int(days.min())), "date_to": date_of(int(days.max())),
            "themes": _themes(st, latest.tolist()),
            "colleagues": [{"name": arrays.names[i], "count": int(shared[i])}
                           for i in top.tolist()]}


def _themes(st: IndexState, docnums: list[int]) -> list[Theme]:
    """Keywords the reporter uses in many articles that are rare in the archive (tf-idf).

    Keywords as :mod:`search.text.keywords` finds them (no dates, numbers, units or the
    generic words of news prose), a title's counting for more; tf is the share of
    the sampled articles using the word, idf from the index's document frequencies.
    """
    used: Counter[str] = Counter()
    people = set(st.arrays.names)  # bylines in the text are not themes
    for art in stored_articles(st, docnums):
        text = "\n".join((art["kicker"], art["subtitle"], art["body"]))
        used.update(w for w in keywords.counts(text, art["title"]) if w not in people)
    floor = max(2, math.ceil(len(docnums) * 0.05)) if len(docnums) >= 10 else 1
    candidates = {w: c for w, c in used.most_common(60) if c >= floor}
    n = max(st.arrays.doc_count, 1)
    scored = keywords.ranked(candidates, lambda w: 1 + doc_frequency(st, w), n, THEMES)
    return [{"word": w, "count": used[w]} for w, _ in scored]


def doc_frequency(st: IndexState, word: str) -> int:
    """Articles whose body has ``word``: the length of its posting list.

    An accessor into the postings layer (``st.view.postings`` of the body's word
    field): re-point it if that changes.
    """
    return int(len(st.view.postings(f.TEXT, word).docs))
