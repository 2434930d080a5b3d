"""Running one search over one index generation: evaluate, filter, rank, collect.

The query is evaluated into a :class:`~search.retrieval.evaluate.Match` (every matching
document with its score, in NumPy), restricted by the filters, ranked, and only
the page's documents are read from the stored fields, marked and cut into
snippets.  Facets count over the whole match, in NumPy.  A date-sorted search of long
lists scores only the documents that can be on its page (:func:`_date_sorted`).

The dictionaries returned are typed here (:class:`SearchResult`, :class:`Hit`,
:class:`StoredArticle`, :class:`ArticleView`): the command line prints them,
the JSON API sends them as they are (key order included) and the HTML pages
render them.  They are plain dicts at run time, so nothing is converted per hit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, NotRequired, TypedDict

import numpy as np

from .document import day_of, from_stored, reporter_key
from .native import lib as _native  # the C module (required): facets and top k
from .retrieval.central import RERANK_DEPTH, rerank
from .retrieval.evaluate import VERBATIM_BONUS, Evaluator, Match, reporter_docs, restrict
from .retrieval.highlight import Needles, mark, snippet
from .retrieval.plan import QueryPlan
from .retrieval.query import ParsedQuery
from .retrieval.relax import (
    FEW_BELOW,
    WEAK_BELOW,
    WEAK_RUN_BYTES,
    Partial,
    page_slots,
    partial,
    plan,
    units_bytes,
)
from .retrieval.request import DEFAULT_SIZE, SearchRequest
from .understanding.intent import interpret, suggestion, with_names
from .understanding.knownitem import loose_match, loose_run

if TYPE_CHECKING:
    from .storage.arrays import IndexArrays
    from .storage.generations import IndexState
    from .storage.postings_view import PostingsView
    from .understanding.synonyms import SynonymTable

FACET_LIMIT = 30  # reporters listed in a facet
# Whether a date-sorted search scores only the documents that can be on its page
# (:func:`_date_sorted`); False: every match is scored (the reference tests compare with).
EARLY_TOP_K = True
# The least postings (bytes of the rarest group's lists) for which a date-sorted search
# finds its documents first and scores its page's candidates after (bench/RESULTS.md).
EARLY_MIN_BYTES = 32_768
FIRST_PAGE = DEFAULT_SIZE  # where partial matches may take the last places (relax.page_slots)
SUGGEST_BELOW = 50  # results under which did-you-mean looks for a term found (almost) nowhere


class FacetValue(TypedDict):
    """One facet entry: a reporter's name or a year, and its articles in the result."""

    value: str
    count: int


class PaperFacet(TypedDict):
    """One paper (报刊) and its articles in the result."""

    value: str  # the key
    name: str
    count: int


class Facets(TypedDict):
    """Counts over the whole result set, most frequent reporter and newest year first;
    ``paper`` (most first) only when the archive holds more than one paper."""

    reporter: list[FacetValue]
    year: list[FacetValue]
    paper: NotRequired[list[PaperFacet]]


class Heading(TypedDict):
    """What identifies an article in a list: the fields a hit and a stored article share."""

    id: str
    kicker: str
    title: str
    subtitle: str
    reporters: list[str]
    date: str
    page: str | None
    paper: dict | None  # {"key": "ldwb", "name": "劳动午报"}; None: no named paper


class Hit(Heading):
    """One result; ``title_html`` and ``snippet`` are escaped HTML, matches in ``<mark>``."""

    title_html: str
    snippet: str
    score: float | None  # None when q is empty
    verbatim: bool
    partial: bool  # holds only some of the query's words (listed in ``partial_hits``)
    matched: list[str]  # the query's words (or quoted phrases) the article holds
    missing: list[str]  # those it lacks (a partial match's 缺少)


class SearchResult(TypedDict):
    """The body of ``GET /api/search`` and of ``unionsearch search --json``."""

    query: str
    total: int
    page: int
    size: int
    took_ms: float
    hits: list[Hit]
    facets: Facets
    # When all the words together match few articles: articles holding most of them,
    # after the last page of ``hits`` (filling it up to ``size``), and how many there are.
    partial_hits: list[Hit]
    partial_total: int
    suggestion: NotRequired[str]  # 您是不是要找: a corrected query, when a term occurs nowhere
    expanded: NotRequired[list[str]]  # synonyms and words spelled in pinyin searched too
    expanded_pinyin: NotRequired[list[str]]  # those of ``expanded`` spelled by pinyin terms


class StoredArticle(Heading):
    """An article as stored: the body of ``GET /api/articles/<id>``."""

    body: str  # paragraphs separated by "\n"
    url: str | None


class ArticleView(TypedDict):
    """An article for its page: the text marked for a query, as escaped HTML."""

    article: StoredArticle
    kicker_html: str
    title_html: str
    subtitle_html: str
    paragraphs: list[str]  # the body's non-empty paragraphs
    matches: int  # <mark>s in all of the above
    apart: list[str]  # query runs marked by their words: the article has them only apart


def ranked(docs: np.ndarray, scores: np.ndarray, days: np.ndarray, sort: str,
           k: int) -> np.ndarray:
    """Indexes of the first ``k`` results in order (ties: newest, then docnum).

    Only the candidates that can be in the first ``k`` by the primary key are
    fully sorted: a common word matches most of the archive, and sorting all of
    it for ten hits would be the largest cost of such queries.  In C: one pass keeping
    the best ``k`` in a heap, faster than a partition and compare.
    """
    if sort == "relevance":
        keys = (docs, -days, -scores)
    elif sort == "newest":
        keys = (docs, -scores, -days)
    else:
        keys = (docs, -scores, days)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    out = np.empty(k, dtype=np.int64)
    n = _native.top_k(np.ascontiguousarray(keys[-1], dtype=np.float64),
                      np.ascontiguousarray(keys[1], dtype=np.float64),
                      np.ascontiguousarray(docs, dtype=np.int64), k, out)
    return out[:n]


class _QueryView:
    """One query's postings view: each term's postings read once.

    Without it ``工工 OR 工工工 OR …`` would read and decode the same 300,000 positions
    once per clause; a query holds at most 32 clauses of at most 1,000
    characters, so what is kept is bounded and dropped with the query.
    """

    def __init__(self, view: PostingsView):
        self.view = view
        self.leaves, self.live = view.leaves, view.live
        self._seen: dict = {}
        self._located: dict = {}
        self._encoded: dict = {}
        self._decoded: dict = {}
        self._df: dict = {}
        self.decode_in = view.decode_in

    def union_df(self, head, text) -> int:  # noqa: ANN001
        """:meth:`PostingsView.union_df` of two of :meth:`encoded`'s lists, counted once
        a query (a page's candidates are evaluated after its documents were found)."""
        key = (id(head), id(text))
        df = self._df.get(key)
        if df is None:
            df = self._df[key] = self.view.union_df(head, text)
        return df

    def decode(self, enc, positions: bool = True):  # noqa: ANN001, ANN201
        """Every live posting of ``enc`` (one of :meth:`encoded`'s), decoded once a query."""
        key = (id(enc), positions)
        hit = self._decoded.get(key)
        if hit is None:  # the Encoded is kept with it: its id cannot be reused meanwhile
            hit = self._decoded[key] = (enc, self.view.decode(enc, positions))
        return hit[1]

    def prefetch(self, terms: list[tuple[str, str]]) -> None:
        """Locate every term of the query before any is read, so the disk reads of all
        their lists overlap (:meth:`PostingsView.locate`)."""
        for term in terms:
            if term not in self._located:
                self._located[term] = self.view.locate(*term)

    def list_bytes(self, fieldname: str, text: str) -> int:
        """:meth:`PostingsView.list_bytes`, from the place this query located if it did."""
        found = self._located.get((fieldname, text))
        if found is None:
            return self.view.list_bytes(fieldname, text)
        return sum(stop - start for start, stop in found.lists)

    def encoded(self, fieldname: str, text: str):
        """A term's encoded lists and skip tables, read once a query
        (:meth:`PostingsView.fetch`)."""
        enc = self._encoded.get((fieldname, text))
        if enc is None:
            found = self._located.get((fieldname, text))
            if found is None:
                found = self._located[(fieldname, text)] = self.view.locate(fieldname, text)
            enc = self._encoded[(fieldname, text)] = self.view.fetch(fieldname, found)
        return enc

    def postings(self, fieldname: str, text: str, positions: bool = True):
        p = self._seen.get((fieldname, text, True))
        if p is None and not positions:
            p = self._seen.get((fieldname, text, False))
        if p is None:
            # From the bytes a read through the skip tables would use: read once.
            p = self._seen[(fieldname, text, positions)] = self.decode(
                self.encoded(fieldname, text), positions)
        return p


def filter_mask(arrays: IndexArrays, req: SearchRequest) -> np.ndarray | None:
    """Per document, whether it is live and passes the reporter, date, paper and
    imported-since filters; ``None`` when there are no filters.

    Reporters come from the in-memory (doc, reporter) arrays, not Whoosh's
    postings (:func:`~search.retrieval.evaluate.reporter_docs`).
    """
    mask = None
    if req.reporters:
        mask = np.zeros(len(arrays.live), dtype=bool)
        for key in {reporter_key(r) for r in req.reporters}:
            mask[reporter_docs(arrays, key)] = True
    if req.date_from or req.date_to:
        lo = day_of(req.date_from) if req.date_from else 0
        hi = day_of(req.date_to) if req.date_to else 99999999
        in_range = (arrays.days >= lo) & (arrays.days <= hi)
        mask = in_range if mask is None else mask & in_range
    if req.papers:
        of_paper = arrays.paper_mask(req.papers)
        mask = of_paper if mask is None else mask & of_paper
    if req.since is not None:
        recent = arrays.added >= req.since
        mask = recent if mask is None else mask & recent
    if mask is None:
        return None
    return mask & arrays.live


def facets(arrays: IndexArrays, docs: np.ndarray) -> Facets:
    """Reporter and year counts over the whole result set.

    """
    years, counts = facet_counts(arrays, docs)
    year_list: list[FacetValue] = [{"value": str(y), "count": int(years[y])}
                                   for y in np.flatnonzero(years)[::-1].tolist() if y]
    top = np.flatnonzero(counts)
    top = top[np.lexsort((top, -counts[top]))][:FACET_LIMIT]
    reporters: list[FacetValue] = [{"value": arrays.names[i], "count": int(counts[i])}
                                   for i in top.tolist()]
    out: Facets = {"reporter": reporters, "year": year_list}
    if arrays.has_papers():
        out["paper"] = paper_facet(arrays, docs)
    return out


def paper_facet(arrays: IndexArrays, docs: np.ndarray) -> list[PaperFacet]:
    """The 报刊 facet: each paper's articles among ``docs``, most first (then by key);
    articles of no named paper are not a paper and are not listed."""
    counts = np.bincount(arrays.paper[docs], minlength=len(arrays.papers)) if len(docs) \
        else np.zeros(len(arrays.papers), dtype=np.int64)
    order = sorted((i for i in range(1, len(arrays.papers)) if counts[i]),
                   key=lambda i: (-int(counts[i]), arrays.papers[i]))
    return [{"value": arrays.papers[i],
             "name": arrays.paper_names.get(arrays.papers[i]) or arrays.papers[i],
             "count": int(counts[i])} for i in order]


def facet_counts(arrays: IndexArrays, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Among ``docs``: articles per year (indexed by the year) and per reporter (indexed
    like ``arrays.names``).

    In C (``search/_native.c``): one pass over the documents with each one's reporters
    in a per-generation table, where NumPy makes a mask over the docnums, a gather of
    every (doc, reporter) pair and a compress.
    """
    year_of, rep_start, rep_ids = _facet_tables(arrays)
    years = np.zeros(int(year_of.max(initial=0)) + 1, dtype=np.int64)
    counts = np.zeros(len(arrays.names), dtype=np.int64)
    if len(docs):
        _native.facet_counts(np.ascontiguousarray(docs, dtype=np.int64), year_of, rep_start,
                             rep_ids, years, counts)
    return years, counts


def _facet_tables(arrays: IndexArrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per generation, for :func:`facets` in C: each document's year (int32), and its
    reporters as ``rep_ids[rep_start[d]:rep_start[d + 1]]``."""
    tables = arrays.cache.get("facets")
    if tables is None:
        order = np.argsort(arrays.rep_doc, kind="stable")
        rep_ids = arrays.rep_id[order].astype(np.int32)
        rep_start = np.searchsorted(arrays.rep_doc[order],
                                    np.arange(len(arrays.live) + 1)).astype(np.int32)
        tables = ((arrays.days // 10000).astype(np.int32), rep_start, rep_ids)
        arrays.cache["facets"] = tables
    return tables


class _Stored:
    """Articles read from storage during one search (under the I/O lock), each once:
    the re-ranking reads the first results, the page's hits read them again."""

    def __init__(self, st: IndexState):
        self.st = st
        self._seen: dict[int, dict] = {}

    def article(self, docnum: int) -> dict:
        art = self._seen.get(docnum)
        if art is None:
            with self.st.view.io_lock:
                stored = self.st.searcher.stored_fields(docnum)
            art = self._seen[docnum] = from_stored(stored, self.st.arrays.paper_names)
        return art

    def text(self, docnum: int) -> tuple[str, str]:
        """(headline: kicker, title and subtitle; body) of an article."""
        art = self.article(docnum)
        return art["kicker"] + art["title"] + art["subtitle"], art["body"]


def _hits(store: _Stored, docs: np.ndarray, scores: np.ndarray | None, page: np.ndarray,
          needles: Needles, terms: list[str], part: Partial | None = None) -> list[Hit]:
    """The page's hits: stored fields read, title marked, snippet cut; ``part`` for
    partial matches (``page`` then indexes its ranked docs)."""
    hits: list[Hit] = []
    for i in page.tolist():
        art = store.article(int(docs[i]))
        score = None if scores is None else round(float(scores[i]), 4)
        marks = needles.for_article(art["kicker"], art["title"], art["subtitle"], art["body"])
        hits.append({
            "id": art["id"],
            "kicker": art["kicker"],
            "title": art["title"],
            "subtitle": art["subtitle"],
            "reporters": art["reporters"],
            "date": art["date"],
            "page": art["page"],
            "paper": art["paper"],
            "title_html": mark(art["title"], marks),
            "snippet": snippet(art["body"], marks),
            "score": score,
            "verbatim": bool(score is not None and score >= VERBATIM_BONUS),
            "partial": part is not None,
            "matched": part.matched(i) if part is not None else list(terms),
            "missing": part.missing(i) if part is not None else [],
        })
    return hits


class Matched(NamedTuple):
    """What a search matched, before ranking and paging."""

    match: Match  # the documents, filters applied, with scores
    sort: str  # the sort to rank them by
    plan: QueryPlan  # the query as typed and as evaluated, analysed once
    evaluator: Evaluator  # its postings read so far, for partial matches

    @property
    def parsed(self) -> ParsedQuery:
        """The query as evaluated (synonyms and pinyin names resolved)."""
        return self.plan.parsed


def evaluator_for(st: IndexState, req: SearchRequest, query: QueryPlan,
                  ranked: bool = True) -> Evaluator:
    """The evaluator of one search: the query's postings view, the filters' mask."""
    # The filters go into the evaluation: each list is cut to the documents they let
    # through as soon as it is read (scores unchanged: BM25's document frequencies are
    # counted before the cut).
    allowed = filter_mask(st.arrays, with_names(st, req))
    return Evaluator(_QueryView(st.view), st.arrays, ranked, allowed, query.text)


def matched(st: IndexState, req: SearchRequest, synonyms: SynonymTable | None = None,
            ranked: bool = True, query: QueryPlan | None = None,
            evaluator: Evaluator | None = None) -> Matched:
    """Every document ``req`` matches (filters applied), the sort to rank them by, the query.

    An empty query lets through what the filters pass, newest first unless
    sorted oldest first.  Shared by :func:`run`, exports and trends, so they
    count exactly the same result set; ``ranked=False`` (trends) leaves the
    scores incomplete, never the documents (:class:`~search.retrieval.evaluate.Evaluator`).
    ``query`` and ``evaluator``: ``req`` already interpreted with ``synonyms``, and its
    evaluator (:func:`evaluator_for`; ``ranked`` is then its own).
    """
    if query is None:
        query = interpret(st, req, synonyms)  # synonyms, pinyin (understand)
    parsed = query.parsed
    if evaluator is None:
        evaluator = evaluator_for(st, req, query, ranked)
    if parsed.is_empty:
        return Matched(evaluator.all_docs(), "newest" if req.sort == "relevance" else req.sort,
                       query, evaluator)
    match = evaluator.evaluate(parsed)
    if not len(match) and (run_text := loose_run(parsed, query.text)):
        match = loose_match(evaluator, run_text)  # a headline pasted without punctuation
    if evaluator.allowed is not None:
        match = restrict(match, evaluator.allowed)
    return Matched(match, req.sort, query, evaluator)


def first_by_date(docs: np.ndarray, days: np.ndarray, sort: str, k: int) -> np.ndarray:
    """The documents of ``docs`` (ascending) that can be among the first ``k`` of a
    date-sorted page: those dated on or after (``newest``; on or before, ``oldest``) the
    ``k``-th date, every document of that date included (scores and docnums only break
    ties within a date)."""
    if len(docs) <= k:
        return docs
    days = days[docs]
    key = -days if sort == "newest" else days
    edge = np.partition(key, k - 1)[k - 1]
    return docs[key <= edge]


def _date_sorted(st: IndexState, req: SearchRequest, query: QueryPlan, evaluator: Evaluator,
                 k: int) -> tuple[Matched, np.ndarray] | None:
    """A date-sorted search's first ``k`` results found without scoring every match:
    (the match of the documents that can be among them, scored; every document
    matched).  The documents are found unscored (``ranked=False``: a one-word run's
    word lists, which add no document, are not read; a run's words apart are not
    scored), the total and facets count them all, and only those :func:`first_by_date`
    keeps are scored, their lists read for them alone: the same total, facets, page and
    scores as scoring every document.  None where this does not apply: not sorted by
    date, an empty query, a query whose lists are short (:func:`_broad`: a second pass
    would cost more than it saves), documents found otherwise than by the query's
    clauses (a pasted headline without punctuation)."""
    if not EARLY_TOP_K or req.sort not in ("newest", "oldest") or query.parsed.is_empty \
            or not _broad(evaluator, query.parsed):
        return None
    evaluator.ranked = False
    try:
        found = matched(st, req, query=query, evaluator=evaluator)
    finally:
        evaluator.ranked = True
    docs = found.match.docs
    # Few results: all scored (partial matches read the whole match's scores).
    first = docs if len(docs) < FEW_BELOW else first_by_date(docs, st.arrays.days,
                                                                req.sort, k)
    # The same evaluator: its phrases found, its lists read, each once a query.
    scored = evaluator.evaluate_among(found.parsed, first)
    if len(scored) != len(first):  # found otherwise (a headline pasted): not by ``parsed``
        return None
    return Matched(scored, req.sort, found.plan, evaluator), docs


def _broad(evaluator: Evaluator, parsed: ParsedQuery) -> bool:
    """Whether the rarest group of ``parsed`` (and the filters) reads at least
    :data:`EARLY_MIN_BYTES` of postings: below, every match is scored in one pass."""
    groups = [[t for c in group for t in evaluator.terms(c)] for group in parsed.groups
              if group and not any(c.negate for c in group)]
    evaluator.view.prefetch([t for terms in groups for t in terms])  # disk reads overlap
    sizes = [sum(evaluator.view.encoded(*t).size for t in terms) for terms in groups]
    least = min(sizes, default=0)
    if evaluator.allowed is not None:
        least = min(least, 2 * len(evaluator.allowed_docs()))
    return least >= EARLY_MIN_BYTES


def run(st: IndexState, req: SearchRequest, synonyms: SynonymTable | None = None) -> SearchResult:
    """The result of ``req`` in the generation ``st`` (``took_ms`` left at 0 for the caller).

    An empty query lists what the filters let through, newest first unless
    sorted oldest first; scores are then ``None``.  The query is analysed once
    (:func:`~search.understanding.intent.interpret`); every stage below reads that plan.
    """
    arrays = st.arrays
    start = (req.page - 1) * req.size
    end = start + req.size
    query = interpret(st, req, synonyms)  # synonyms, pinyin (understand)
    evaluator = evaluator_for(st, req, query)
    early = _date_sorted(st, req, query, evaluator, end)
    if early is not None:  # ``match``: the documents that can be on the page
        (match, sort, query, evaluator), every = early
    else:
        match, sort, query, evaluator = matched(st, req, query=query, evaluator=evaluator)
        every = match.docs
    parsed = query.parsed
    docs, scores = match.docs, match.scores
    needles = Needles(parsed, query.text)
    p = None if parsed.is_empty else plan(query)
    terms = p.terms if p is not None else []
    store = _Stored(st)
    n = len(every)
    days = arrays.days[docs]
    order = None  # the all-words matches ranked, as far as a page needs them
    if sort == "relevance" and p is not None and start < RERANK_DEPTH:
        order, scores = rerank(ranked(docs, scores, days, sort, max(end, RERANK_DEPTH)), docs,
                               scores, VERBATIM_BONUS, p.central, store.text,
                               query.text.squash)
    part, lead = None, 0
    # Weak all-words matches are looked for where the query was typed as several groups,
    # or as a run whose words are rare (relax.WEAK_RUN_BYTES: relaxing a run reads its
    # words' whole lists).
    weak_check = (p is not None and p.relaxable and sort == "relevance"
                  and FEW_BELOW <= n < WEAK_BELOW
                  and (sum(1 for g in query.typed.groups if g) >= 2
                       or units_bytes(evaluator, p) <= WEAK_RUN_BYTES))
    if p is not None and p.relaxable and (n < FEW_BELOW or weak_check):
        part = partial(evaluator, p, match, arrays.days)
        first = None
        if n >= FEW_BELOW and len(part.docs):  # weak? page 1's all-words scores
            head, raised = (order, scores) if order is not None else rerank(
                ranked(docs, scores, days, sort, RERANK_DEPTH), docs, scores,
                VERBATIM_BONUS, p.central, store.text, query.text.squash)
            first = raised[head[:FIRST_PAGE]] % VERBATIM_BONUS
        lead = page_slots(n, FIRST_PAGE, part.scores, first)
    # The list as pages show it, whatever their size: the first page's (at the default
    # size) all-words matches, ``lead`` partial matches, the rest of the all-words
    # matches, the rest of the partial ones; a page shows its all-words matches first.
    k = min(n, FIRST_PAGE - lead)
    n_part = 0 if part is None or not lead else len(part.docs)

    def first_all(x: int) -> int:  # the first all-words match at position x or later
        return min(n, x if x <= k else max(k, x - lead))

    def first_part(x: int) -> int:  # the first partial match at position x or later
        return min(n_part, max(0, x - k) if x <= k + lead else max(lead, x - n))

    a_lo, a_hi = first_all(start), first_all(end)
    if order is None:
        order = ranked(docs, scores, days, sort, a_hi)
    page = order[a_lo:max(a_lo, a_hi)]
    hits = _hits(store, docs, None if parsed.is_empty else scores, page, needles, terms)
    result: SearchResult = {
        "query": req.q,
        "total": int(n),
        "page": req.page,
        "size": req.size,
        "took_ms": 0.0,
        "hits": hits,
        "facets": facets(arrays, every),
        "partial_hits": [],
        "partial_total": 0,
    }
    if query.added:
        result["expanded"] = query.added
    if query.pinyin:
        result["expanded_pinyin"] = query.pinyin
    if n_part:
        shown = np.arange(first_part(start), max(first_part(start), first_part(end)))
        result["partial_hits"] = _hits(store, part.docs, part.scores, shown, needles, terms, part)
        result["partial_total"] = int(n_part)
    few = req.page == 1 and len(every) < SUGGEST_BELOW
    proposal = suggestion(st, query, evaluator.view) if few else None
    if proposal:
        result["suggestion"] = proposal
    return result


def article_view(art: StoredArticle, query: QueryPlan | None) -> ArticleView:
    """``art`` with every match of the query marked in its kicker, title, subtitle and
    paragraphs (the query as evaluated: synonyms and pinyin words too)."""
    needles = (Needles(query.parsed, query.text) if query is not None else Needles(None))
    needles = needles.for_article(*(art.get(k) or "" for k in
                                            ("kicker", "title", "subtitle", "body")))
    paragraphs = [p.strip() for p in (art.get("body") or "").split("\n")]
    marked = [mark(p, needles) for p in paragraphs if p]
    kicker_html = mark(art.get("kicker") or "", needles)
    title_html = mark(art.get("title") or "", needles)
    subtitle_html = mark(art.get("subtitle") or "", needles)
    matches = sum(p.count("<mark>") for p in [kicker_html, title_html, subtitle_html, *marked])
    return {"article": art, "kicker_html": kicker_html, "title_html": title_html,
            "subtitle_html": subtitle_html, "paragraphs": marked, "matches": matches,
            "apart": needles.apart}
