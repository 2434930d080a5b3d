"""A date-sorted page scores only the documents that can be on it, and answers exactly as
scoring every match does.

Sorted newest (or oldest) first, a search whose lists are long finds its documents
without scores (the total and facets count all of them), then scores only those dated
on or after the page's last date (:func:`search.results.first_by_date`), reading their
lists for them alone.
Checked here on the real corpus (one month of a daily: many articles share a date, so
ties within a date are ranked by score, then docnum): generated searches of every kind,
filtered and not, pages 1 and 2, answer with the same total, facets, hits, scores and
every other field either way; the scoring saw a small part of the matches.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import numpy as np
import pytest

from search import results
from search.reports.trends import archive_dates
from search.results import first_by_date, run
from search.retrieval import evaluate
from search.retrieval.request import SearchRequest
from search.text.analysis import words

from .test_skipping import _queries


def _answers(engine, reqs, early: bool, monkeypatch) -> list[dict]:
    monkeypatch.setattr(results, "EARLY_TOP_K", early)
    st, table = engine.state(), engine.synonyms.current()
    return [dict(run(st, r, table), took_ms=0.0) for r in reqs]


@pytest.fixture(scope="module")
def date_sorted(corpus_index, corpus_docs) -> list:
    """Generated searches (words, two words, runs, phrases; a quarter filtered), broad
    words alone and in pairs, and pasted headlines without their punctuation (found by
    the known-item path, not the query's clauses), each sorted newest and oldest first,
    page 1 and 2."""
    st = corpus_index.state()
    made = [r.within(*archive_dates(st)) for r in _queries(corpus_docs, 120, seed=280)]
    plain = SearchRequest(size=10).within(*archive_dates(st))
    counts = Counter(w for d in corpus_docs[::10] for w in set(words(d["title"] + d["body"]))
                     if len(w) >= 2)
    broad = [w for w, _ in counts.most_common(60)[::3]]  # hundreds of matches each
    made += [dataclasses.replace(plain, q=w) for w in broad]
    made += [dataclasses.replace(plain, q=f"{a} {b}") for a, b in zip(broad, broad[1:], strict=False)]
    titles = [re.sub(r"[^\w]", "", d["title"]) for d in corpus_docs[::97]]
    made += [dataclasses.replace(plain, q=t) for t in titles if len(t) > 6]
    return [dataclasses.replace(r, sort=sort, page=page)
            for r in made for sort in ("newest", "oldest") for page in (1, 2)]


def test_date_sorted_pages_are_the_same_scoring_only_what_can_be_on_them(
        corpus_index, date_sorted, monkeypatch):
    scored: list[tuple[int, int]] = []  # (documents scored, documents matched)
    among = evaluate.Evaluator.evaluate_among

    def counted(self, parsed, cand):
        out = among(self, parsed, cand)
        scored.append(len(cand))
        return out

    monkeypatch.setattr(evaluate.Evaluator, "evaluate_among", counted)
    monkeypatch.setattr(results, "EARLY_MIN_BYTES", 0)  # every search, however small
    early = _answers(corpus_index, date_sorted, True, monkeypatch)
    calls = len(scored)
    whole = _answers(corpus_index, date_sorted, False, monkeypatch)
    assert len(scored) == calls  # the reference scores every match
    for req, a, b in zip(date_sorted, early, whole, strict=True):
        assert a == b, (req.q, req.sort, req.page)
    totals = [a["total"] for a in early]
    assert sum(t > 0 for t in totals) > len(totals) * 0.7
    assert sum(len(a["hits"]) == 10 for a in early) > 150
    # every search was scored among its candidates; the broad ones among a small part
    assert calls == len(date_sorted)
    broad = [(n, t) for n, t in zip(scored, totals, strict=True) if t > 200]
    assert len(broad) > 100
    assert sum(n for n, _ in broad) < 0.2 * sum(t for _, t in broad)


def test_first_by_date_keeps_every_document_of_the_last_date_on_the_page():
    """Ties on the page's last date all stay candidates: the score decides among them."""
    days = np.array([20240101, 20240103, 20240103, 20240102, 20240103, 20240101])
    docs = np.arange(6)
    assert first_by_date(docs, days, "newest", 2).tolist() == [1, 2, 4]
    assert first_by_date(docs, days, "newest", 4).tolist() == [1, 2, 3, 4]
    assert first_by_date(docs, days, "oldest", 1).tolist() == [0, 5]
    assert first_by_date(docs[:2], days, "oldest", 5).tolist() == [0, 1]


def test_searches_of_short_lists_are_scored_in_one_pass(corpus_index, monkeypatch):
    """Under the threshold of postings read, every match is scored in the one
    evaluation (a second pass would cost more than it saves); above it, the page's
    candidates are scored after."""
    st, table = corpus_index.state(), corpus_index.synonyms.current()
    req = SearchRequest(q="发展", sort="newest").within(*archive_dates(st))
    passes = []
    among = evaluate.Evaluator.evaluate_among
    monkeypatch.setattr(evaluate.Evaluator, "evaluate_among",
                        lambda self, parsed, cand: passes.append(len(cand))
                        or among(self, parsed, cand))
    first = run(st, req, table)
    assert first["total"] > 100 and passes == []
    monkeypatch.setattr(results, "EARLY_MIN_BYTES", 1)
    again = run(st, req, table)
    assert len(passes) == 1 and 10 <= passes[0] < first["total"]
    assert {**again, "took_ms": 0} == {**first, "took_ms": 0}
