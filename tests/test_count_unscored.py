"""Did-you-mean counts a term's articles without scoring them, and proposes what scoring
every article and counting them proposed.

A term of two characters is counted from its bigram's title-or-body document counts
(written with the skip tables; short lists counted from their documents) while no
article is deleted, and from its live documents otherwise; a longer term from its
documents found.  Checked on the real corpus, on a fresh index and after updates (old
versions still in their segments' lists): the count of texts of 1-8 characters cut from
the articles (and absent ones) equals the number of articles the verbatim match finds;
searches with slips typed into them (a character swapped, dropped or doubled) get the
same suggestion, total and page either way.
"""

from __future__ import annotations

import json
import random

import pytest

from indexer.readers import read
from indexer.writer import import_items
from search.engine import Engine
from search.reports.trends import archive_dates
from search.results import _QueryView, run
from search.retrieval.evaluate import Evaluator
from search.retrieval.request import SearchRequest
from search.storage import postings_view
from search.storage.usx import postings
from search.storage.usx.postings import BLOCK_DOCS
from search.text.normalize import squash
from search.understanding import intent


def _texts(docs: list[dict], count: int, seed: int) -> list[str]:
    """Squashed texts of 1-8 characters cut from titles and bodies, and a few that no
    article holds."""
    rng = random.Random(seed)
    out = ["\u9fa5\u9fa4", "工匠\u9fa5神"]
    while len(out) < count:
        d = rng.choice(docs)
        text = squash(rng.choice([d["title"], d["body"]]))
        if len(text) < 8:
            continue
        size = rng.choice([1, 2, 2, 2, 3, 4, 6, 8])
        start = rng.randrange(len(text) - size + 1)
        out.append(text[start : start + size])
    return out


def _counts_agree(engine: Engine, texts: list[str]) -> int:
    st = engine.state()
    found = 0
    for s in texts:
        scored = len(Evaluator(st.view, st.arrays).verbatim(s, True, True))
        assert Evaluator(st.view, st.arrays).count_verbatim(s) == scored, s
        assert Evaluator(_QueryView(st.view), st.arrays).count_verbatim(s) == scored, s
        found += scored > 0
    return found


def test_counts_are_the_verbatim_matches_on_a_fresh_index(corpus_index, corpus_docs):
    assert corpus_index.state().arrays.live.all()
    assert _counts_agree(corpus_index, _texts(corpus_docs, 300, seed=41)) > 250


@pytest.fixture(scope="module")
def updated(tmp_path_factory, corpus_docs) -> Engine:
    """900 articles, a quarter of them imported again with their bodies cut (the old
    versions deleted, still in their segments' lists), skip tables on lists of more than
    one block."""
    tmp = tmp_path_factory.mktemp("count")
    first, again = tmp / "first.jsonl", tmp / "again.jsonl"
    docs = corpus_docs[:900]
    first.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs),
                     encoding="utf-8")
    edited = [{**d, "body": d["body"][: max(20, len(d["body"]) // 2)]} for d in docs[::4]]
    again.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in edited),
                     encoding="utf-8")
    path = str(tmp / "idx")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(postings, "SKIP_MIN_DOCS", BLOCK_DOCS)
        import_items(path, read([str(first)]))
        assert import_items(path, read([str(again)])).updated > 200
    return Engine(path)


def test_counts_are_the_verbatim_matches_after_updates(updated, corpus_docs, monkeypatch):
    assert not updated.state().arrays.live.all()
    monkeypatch.setattr(postings_view, "SKIP_MIN_DOCS", BLOCK_DOCS)
    assert _counts_agree(updated, _texts(corpus_docs[:900], 300, seed=42)) > 200


def _slips(docs: list[dict], count: int, seed: int) -> list[str]:
    """Words and runs of 2-6 characters from titles with one slip: a character replaced
    by one from another article, dropped, or doubled; some with a second, correct word."""
    rng = random.Random(seed)
    pool = "".join(squash(d["title"]) for d in docs[:200])
    out = ["公匠精神", "工匠精紳", "工精神"]
    while len(out) < count:
        text = squash(rng.choice(docs)["title"])
        if len(text) < 6 or not text.isalnum():
            continue
        size = rng.randint(2, 6)
        start = rng.randrange(len(text) - size + 1)
        word = list(text[start : start + size])
        at = rng.randrange(len(word))
        kind = rng.randrange(3)
        if kind == 0:
            word[at] = rng.choice(pool)
        elif kind == 1 and len(word) > 2:
            del word[at]
        else:
            word.insert(at, word[at])
        q = "".join(word)
        if rng.random() < 0.2:
            q += " " + squash(rng.choice(docs)["title"])[:2]
        out.append(q)
    return out


def test_suggestions_are_the_same_counted_or_scored(archive_dir, corpus_docs, monkeypatch):
    engine = Engine(archive_dir)
    st, table = engine.state(), engine.synonyms.current()
    reqs = [SearchRequest(q=q, size=10).within(*archive_dates(st))
            for q in _slips(corpus_docs, 300, seed=43)]
    answers = {}
    for unscored in (True, False):
        monkeypatch.setattr(intent, "COUNT_UNSCORED", unscored)
        answers[unscored] = [dict(run(st, r, table), took_ms=0.0) for r in reqs]
    proposed = 0
    for req, a, b in zip(reqs, answers[True], answers[False], strict=True):
        assert a == b, req.q
        proposed += "suggestion" in a
    assert proposed > 30  # slips often have a correction to propose
    assert answers[True][0]["suggestion"] == "工匠精神"
