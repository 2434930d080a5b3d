"""Postings read through their skip tables give exactly what decoding them whole gives.

A list of more than ``BLOCK_DOCS`` documents carries a skip table (per block its last
docnum and where its deltas, counts and positions start); phrases intersect their bigram
lists rarest first and decode the longer lists only in the blocks that hold a candidate;
conjunctions, a run's words and filtered searches read word and bigram lists the same way,
weighing each term by the title-or-body document count written with its skip table.
Checked here: the C decoder kept to candidates against its NumPy reference on real
segments, damaged skip tables refused, the counts written against both fields decoded
whole, and generated searches (words, two words, runs, phrases, with and without
filters; on a fresh index and after updates) answering with the same page, scores, total
and facets whichever path evaluates them.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from indexer.readers import read
from indexer.writer import import_items
from search import schema as f
from search.engine import Engine
from search.reports.trends import archive_dates
from search.results import run
from search.retrieval import evaluate
from search.retrieval.request import SearchRequest
from search.storage import postings_view
from search.storage.usx import postings
from search.storage.usx.across import decode_in
from search.storage.usx.postings import BLOCK_DOCS
from search.storage.usx.varint import DamagedPostings
from search.text.analysis import words

from . import oracles
from .helpers import CORPUS


def _long_terms(st, field: str, texts: list[str]) -> list[str]:
    """Terms of ``field`` whose list has a skip table in some segment."""
    out = []
    for t in texts:
        found = st.view.locate(field, t).found
        if any(len(sp.skips(field, i)) for sp, i, _ in found):
            out.append(t)
    return out


def _grams(docs: list[dict]) -> list[str]:
    text = "".join("".join(d["body"].split()) for d in docs[:40])
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})


def _fetched(st, field: str, term: str):
    """A term's encoded lists with every skip table it has (the search path looks up
    only lists long enough for the format's threshold)."""
    enc = st.view.fetch(field, st.view.locate(field, term), skips=False)
    enc.skips = [sp.skips(field, i) for sp, i, _ in enc.found]
    return enc


@pytest.fixture(scope="module")
def skip_index(tmp_path_factory, corpus_docs) -> Engine:
    """The corpus indexed with a skip table on every list of more than one block (the
    format's threshold, lists of more than SKIP_MIN_DOCS, leaves few such lists in 2,012
    articles; readers take a table wherever there is one)."""
    path = tmp_path_factory.mktemp("skips") / "idx"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(postings, "SKIP_MIN_DOCS", BLOCK_DOCS)  # import workers are forked
        summary = import_items(str(path), read([str(CORPUS)]))
    assert summary.added == len(corpus_docs)
    return Engine(str(path))


@pytest.fixture(scope="module")
def state(skip_index):
    return skip_index.state()


def test_lists_decoded_among_candidates_match_the_numpy_reference(state, corpus_docs):
    """For long and short lists of every kind of field, random candidate sets (none, one,
    a few, every tenth document, all) give the documents, counts and positions of the
    whole decode kept to the candidates."""
    st = state
    rng = np.random.default_rng(28)
    n = len(st.arrays.live)
    grams = _grams(corpus_docs)
    ws = sorted({w for d in corpus_docs[:60] for w in words(d["title"] + d["body"])})
    grams = _long_terms(st, f.TEXT_G, grams)[:60] + grams[:: max(1, len(grams) // 60)]
    ws = _long_terms(st, f.TEXT, ws)[:30] + ws[:: max(1, len(ws) // 40)]
    cases = [(f.TEXT_G, g, lay) for g in grams for lay in ("grams", "gram counts")]
    cases += [(f.TEXT, w, "words") for w in ws]
    cases += [(f.TEXT_C, ch, "chars") for ch in "的一国工人会中年"]
    long_lists = 0
    for field, term, layout in cases:
        enc = _fetched(st, field, term)
        if not enc.found:
            continue
        long_lists += any(len(s) for s in enc.skips)
        offsets = [o for _, _, o in enc.found]
        sizes = [sp.doc_count for sp, _, _ in enc.found]
        cands = [np.zeros(0, np.int64), np.array([int(rng.integers(0, n))]),
                 np.sort(rng.choice(n, 5, replace=False)), np.arange(0, n, 10),
                 np.arange(n)]
        for cand in cands:
            got = decode_in(layout, enc.raws, enc.skips, offsets, sizes, BLOCK_DOCS, cand)
            want = oracles.decode_in_numpy(layout, enc.raws, enc.skips, offsets, sizes,
                                           BLOCK_DOCS, cand)
            assert got[0].tolist() == want[0].tolist(), (term, layout)
            assert got[1].tolist() == want[1].tolist(), (term, layout)
            assert (got[2] is None) == (want[2] is None)
            if got[2] is not None:
                assert got[2].tolist() == want[2].tolist(), (term, layout)
    assert long_lists > 50  # the skip tables were read, not only single-block lists


def test_a_damaged_skip_table_is_refused_not_followed(state):
    """A record whose last docnum or offsets do not fit its list raises DamagedPostings
    (the message says so) instead of returning other documents."""
    st = state
    term = next(t for t in ("中国", "发展", "工作", "经济")
                if _long_terms(st, f.TEXT_G, [t]))
    enc = _fetched(st, f.TEXT_G, term)
    s = next(k for k, sk in enumerate(enc.skips) if len(sk))
    offsets = [o for _, _, o in enc.found]
    sizes = [sp.doc_count for sp, _, _ in enc.found]
    everything = np.arange(len(st.arrays.live))
    for column, value in ((0, 1), (1, 0), (2, 10**9), (3, 5), (0, 2**31)):
        skips = [sk.copy() for sk in enc.skips]
        skips[s][4 + column if len(skips[s]) > 4 else column] = value
        with pytest.raises(DamagedPostings, match="damaged postings"):
            decode_in("grams", enc.raws, skips, offsets, sizes, BLOCK_DOCS, everything)
    short = [sk.copy() for sk in enc.skips]
    short[s] = short[s][:-4]  # a block's record missing
    with pytest.raises(DamagedPostings):
        decode_in("grams", enc.raws, short, offsets, sizes, BLOCK_DOCS, everything)


def _queries(docs: list[dict], count: int, seed: int) -> list[SearchRequest]:
    """Searches cut from the articles: one word, two words of one article, unquoted runs
    and quoted phrases of 3-8 characters, a quarter of each with a date range or a
    reporter."""
    rng = random.Random(seed)
    dates = sorted({d["date"] for d in docs})
    reporters = sorted({r for d in docs for r in (d.get("reporter") or "").split("、") if r})
    out = []
    while len(out) < count:
        d = rng.choice(docs)
        text = "".join(rng.choice([d["title"], d["body"], d["body"]]).split())
        ws = [w for w in words(d["title"] + d["body"]) if len(w) >= 2]
        kind = len(out) % 4
        if kind == 0 and ws:
            q = rng.choice(ws)
        elif kind == 1 and len(ws) > 1:
            q = " ".join(rng.sample(ws, 2))
        elif len(text) >= 8:
            size = rng.randint(3, 8)
            start = rng.randrange(len(text) - size + 1)
            sub = text[start : start + size]
            if any(ch in sub for ch in '"＂“”「」『』'):
                continue
            q = sub if kind == 2 else f'"{sub}"'
        else:
            continue
        req = SearchRequest(q=q, size=10)
        if rng.random() < 0.25:
            lo = rng.randrange(len(dates))
            req = SearchRequest(q=q, size=10, date_from=dates[lo],
                                date_to=dates[min(len(dates) - 1, lo + rng.randint(0, 5))])
        elif rng.random() < 0.1 and reporters:
            req = SearchRequest(q=q, size=10, reporters=[rng.choice(reporters)])
        out.append(req)
    return out


KINDS = ("one word", "two words", "run", "phrase")


def test_searches_answer_the_same_page_whether_lists_skip_or_not(
        skip_index, corpus_docs, monkeypatch):
    """250 generated searches: the same total, facets, hits (ids, scores, order) and every
    other field of the result, evaluated through the skip tables and by whole lists; two
    words, runs, phrases and filtered searches each read lists for their candidates."""
    st = skip_index.state()
    table = skip_index.synonyms.current()
    made = _queries(corpus_docs, 250, seed=28)
    reqs = [r.within(*archive_dates(st)) for r in made]
    kinds = ["filtered" if r.date_from or r.reporters else KINDS[k % 4]
             for k, r in enumerate(made)]

    monkeypatch.setattr(postings_view, "SKIP_MIN_DOCS", BLOCK_DOCS)  # every table read
    reads = _count_word_reads(monkeypatch)
    kept_by_kind: dict[str, int] = dict.fromkeys(kinds, 0)

    def answers(skipping: bool) -> list[dict]:
        monkeypatch.setattr(evaluate, "SKIPPING", skipping)
        out = []
        for req, kind in zip(reqs, kinds, strict=True):
            before = reads["calls"] + reads["positions"]
            res = dict(run(st, req, table))
            res.pop("took_ms", None)
            out.append(res)
            kept_by_kind[kind] += skipping and reads["calls"] + reads["positions"] > before
        return out

    skipped = answers(True)
    kept_to_candidates, positions_kept = reads["calls"], reads["positions"]
    whole = answers(False)
    # the reference reads lists whole
    assert (reads["calls"], reads["positions"]) == (kept_to_candidates, positions_kept)
    found = 0
    for req, a, b in zip(reqs, skipped, whole, strict=True):
        assert a == b, req.q
        found += a["total"] > 0
    assert found > 175  # cut from the articles (some searches filtered to other days)
    # Words and two-character words of conjunctions and filtered searches were read
    # through their skip tables, for their candidates only; so were a phrase's longer
    # bigram lists with their positions.
    assert kept_to_candidates > 100 and positions_kept > 200
    assert all(kept_by_kind[k] > 10 for k in ("two words", "run", "phrase", "filtered")), \
        kept_by_kind


def _count_word_reads(monkeypatch) -> dict:
    """Counts the lists read for some documents only: word and bigram-count lists
    (``calls``), and the bigram and character lists read with their positions
    (``positions``)."""
    seen = {"calls": 0, "positions": 0}
    kept_to = postings_view.PostingsView.decode_in

    def counted(self, enc, cand, positions=True):
        seen["calls" if enc.fieldname in (f.HEAD, f.TEXT) or not positions
             else "positions"] += 1
        return kept_to(self, enc, cand, positions)

    monkeypatch.setattr(postings_view.PostingsView, "decode_in", counted)
    return seen


def test_title_or_body_counts_written_with_the_tables_are_the_lists_union(state):
    """Each skip table's document count (a word or bigram in the title or the body, the
    number BM25F weighs it by) is what decoding both fields whole counts."""
    checked = 0
    for sp in state.view.usx:
        for head, text in postings.PAIRS:
            for field, other in ((head, text), (text, head)):
                want = oracles.union_df_numpy(sp, field, other)
                got = sp.array(f"{field}.skip_df")
                assert got.tolist() == want.tolist(), (sp.path, field)
                terms = sp.array(f"{field}.skip_terms").tolist()
                assert [sp.union_df(field, t) for t in terms[:20]] == want[:20].tolist()
                checked += len(want)
    assert checked > 300


def _edited(doc: dict) -> dict:
    """The article corrected: its body's second half cut (an update, not a new article)."""
    return {**doc, "body": doc["body"][: max(20, len(doc["body"]) // 2)]}


def test_updated_articles_answer_the_same_whichever_path(tmp_path, corpus_docs,
                                                         monkeypatch):
    """After articles are updated (their old versions deleted but still in their
    segments' lists until a merge), searches answer the same whole or skipping: a
    document frequency read from the tables counts what decoding the lists counts."""
    import json

    first, again = tmp_path / "first.jsonl", tmp_path / "again.jsonl"
    docs = corpus_docs[:900]
    first.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs),
                     encoding="utf-8")
    again.write_text("".join(json.dumps(_edited(d), ensure_ascii=False) + "\n"
                             for d in docs[::4]), encoding="utf-8")
    path = str(tmp_path / "idx")
    with monkeypatch.context() as mp:
        mp.setattr(postings, "SKIP_MIN_DOCS", BLOCK_DOCS)
        import_items(path, read([str(first)]))
        summary = import_items(path, read([str(again)]))
    assert summary.updated > 200  # (a body already short is unchanged)
    engine = Engine(path)
    st = engine.state()
    assert not st.arrays.live.all()  # old versions still in the lists
    monkeypatch.setattr(postings_view, "SKIP_MIN_DOCS", BLOCK_DOCS)
    table = engine.synonyms.current()
    reqs = [r.within(*archive_dates(st)) for r in _queries(docs, 160, seed=29)]
    word_reads = _count_word_reads(monkeypatch)
    results = {}
    for skipping in (True, False):
        monkeypatch.setattr(evaluate, "SKIPPING", skipping)
        results[skipping] = [dict(run(st, r, table), took_ms=0) for r in reqs]
    for req, a, b in zip(reqs, results[True], results[False], strict=True):
        assert a == b, req.q
    assert word_reads["calls"] > 20
    assert sum(r["total"] > 0 for r in results[True]) > 100
