"""A phrase may take its first candidates from its rarest bigram, inside its cover or not,
and answers exactly as starting from the cover does.

A phrase of four or more characters is checked by the positions of a cover of its bigrams
(offsets 0, 2, 4 … and the last); every document holding the phrase holds each of its
bigrams, so the candidates can come from the rarest one (会组 of 工会组织, across a word
boundary) and the cover's lists are then read for those candidates only.  Checked on
the real corpus: 520 generated quoted phrases and unquoted runs of 4-8 characters cut from
the articles (some filtered by dates or a reporter, some sorted newest first), each
answered with the same total, facets, hits, scores and every other field with the
rarest bigram used, with the cover alone, and with every list decoded whole; and a
phrase with a bigram found nowhere answers nothing.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from search import schema as f
from search.reports.trends import archive_dates
from search.results import run
from search.retrieval import evaluate
from search.retrieval.request import SearchRequest


def _phrases(docs: list[dict], count: int, seed: int) -> list[SearchRequest]:
    """Quoted phrases and unquoted runs of 4-8 characters cut from titles and bodies; a
    fifth filtered by a date range or a reporter, a tenth sorted newest first."""
    rng = random.Random(seed)
    dates = sorted({d["date"] for d in docs})
    reporters = sorted({r for d in docs for r in (d.get("reporter") or "").split("、") if r})
    out: list[SearchRequest] = []
    while len(out) < count:
        d = rng.choice(docs)
        text = "".join(rng.choice([d["title"], d["body"], d["body"]]).split())
        if len(text) < 8:
            continue
        size = rng.randint(4, 8)
        start = rng.randrange(len(text) - size + 1)
        sub = text[start : start + size]
        if any(ch in sub for ch in '"＂“”「」『』'):
            continue
        req = SearchRequest(q=f'"{sub}"' if len(out) % 2 else sub, size=10)
        roll = rng.random()
        if roll < 0.12:
            lo = rng.randrange(len(dates))
            req = dataclasses.replace(req, date_from=dates[lo],
                                      date_to=dates[min(len(dates) - 1, lo + rng.randint(0, 9))])
        elif roll < 0.2 and reporters:
            req = dataclasses.replace(req, reporters=[rng.choice(reporters)])
        if rng.random() < 0.1:
            req = dataclasses.replace(req, sort="newest")
        out.append(req)
    return out


@pytest.fixture(scope="module")
def reqs(corpus_index, corpus_docs) -> list[SearchRequest]:
    st = corpus_index.state()
    return [r.within(*archive_dates(st)) for r in _phrases(corpus_docs, 520, seed=2828)]


def _answers(engine, reqs: list[SearchRequest]) -> list[dict]:
    st, table = engine.state(), engine.synonyms.current()
    return [dict(run(st, r, table), took_ms=0.0) for r in reqs]


def test_phrases_answer_the_same_from_their_rarest_bigram(corpus_index, reqs, monkeypatch):
    used = {"outside": 0}
    chooser = evaluate.Evaluator._rarest_outside

    def counted(self, gram_field, s, cover):  # noqa: ANN001, ANN202
        got = chooser(self, gram_field, s, cover)
        used["outside"] += bool(got)
        return got

    monkeypatch.setattr(evaluate.Evaluator, "_rarest_outside", counted)
    monkeypatch.setattr(evaluate, "SKIPPING", True)
    monkeypatch.setattr(evaluate, "RAREST_BIGRAM", True)
    rarest = _answers(corpus_index, reqs)
    assert used["outside"] > 100  # the bigram outside the cover was the rarest often
    monkeypatch.setattr(evaluate, "RAREST_BIGRAM", False)
    cover = _answers(corpus_index, reqs)
    monkeypatch.setattr(evaluate, "SKIPPING", False)
    whole = _answers(corpus_index, reqs)
    found = 0
    for req, a, b, c in zip(reqs, rarest, cover, whole, strict=True):
        assert a == b == c, req.q
        found += a["total"] > 0
    assert found > 400  # cut from the articles: most are found (some filtered away)


def test_a_phrase_with_a_bigram_found_nowhere_answers_nothing(corpus_index, corpus_docs):
    st, table = corpus_index.state(), corpus_index.synonyms.current()
    text = "".join(corpus_docs[0]["body"].split())
    assert len(text) > 6
    # a real phrase with one inner character swapped for one no article prints
    odd = text[:2] + "\u9fa5" + text[3:6]
    assert st.view.list_bytes(f.TEXT_G, text[:2]) > 0
    assert st.view.list_bytes(f.TEXT_G, odd[1:3]) == 0
    res = run(st, SearchRequest(q=f'"{odd}"', size=10).within(*archive_dates(st)), table)
    assert res["total"] == 0 and res["hits"] == []
