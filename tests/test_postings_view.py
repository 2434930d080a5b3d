"""Postings across segments (search/storage/postings_view.py): decoded together, equal to
decoding each segment's ``.usx`` term on its own (search/storage/usx/postings.py)."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.writer import delete_ids
from search import schema as f
from search.engine import Engine
from search.storage import postings_view
from search.text.analysis import index_words
from search.text.normalize import squash

from . import oracles
from .helpers import corpus_rows, import_in_parts


@pytest.fixture(scope="module")
def three_segments(tmp_path_factory):
    """An index of three imports (three segments) with two articles deleted."""
    rows = corpus_rows(450, prefix="pv", body_chars=400)
    idx = import_in_parts(tmp_path_factory.mktemp("pv"), rows, 3)
    delete_ids(idx, [rows[3]["id"], rows[200]["id"]])
    engine = Engine(idx)
    assert len(engine.state().view.usx) >= 2
    return engine, rows


def _one_by_one(view, field: str, text: str):
    """What the view held before decoding across segments: each segment's ``term``."""
    docs, weights, positions = [], [], []
    for sp, leaf in zip(view.usx, view.leaves, strict=True):
        tp = sp.term(field, text)
        if tp is not None:
            docs.append(tp.docs + leaf.offset)
            weights.append(tp.freqs)
            if tp.positions is not None:
                positions.append(tp.positions)
    if not docs:
        return [], [], []
    d, w = np.concatenate(docs), np.concatenate(weights)
    p = np.concatenate(positions) if positions else np.zeros(0, dtype=np.int64)
    keep = view.live[d]
    if len(p):
        p = p[np.repeat(keep, w.astype(np.int64))]
    return d[keep].tolist(), w[keep].tolist(), p.tolist()


def _terms(rows: list[dict]) -> list[tuple[str, str]]:
    out = [(f.TEXT_G, "不存"), (f.TEXT, "不存在的词"), (f.HEAD_C, "\U0002000b")]
    for row in rows[::37]:
        s = squash(row["body"])
        for i in range(0, len(s) - 2, 23):
            out += [(f.TEXT_G, s[i : i + 2]), (f.HEAD_G, s[i : i + 2]),
                    (f.TEXT_C, s[i]), (f.HEAD_C, s[i])]
        out += [(fld, w) for w in index_words(row["title"] + row["body"])[:12]
                for fld in (f.TEXT, f.HEAD)]
    return out


@pytest.mark.parametrize("fast", [True, False], ids=["C", "numpy"])
@pytest.mark.parametrize("batch_bytes", [postings_view.BATCH_BYTES, 64])
def test_decoded_across_segments_as_one_by_one(three_segments, monkeypatch, batch_bytes, fast):
    engine, rows = three_segments
    monkeypatch.setattr(postings_view, "BATCH_BYTES", batch_bytes)  # 64: many batches
    if not fast:  # the NumPy reference of tests/oracles.py in place of the C decoder
        monkeypatch.setattr(postings_view, "decode_across", oracles.decode_across_numpy)
    view = engine.state().view
    for field, text in _terms(rows):
        want_docs, want_w, want_p = _one_by_one(view, field, text)
        got = view.postings(field, text)
        assert got.docs.tolist() == want_docs, (field, text)
        assert got.weights.tolist() == want_w, (field, text)
        got_p = [] if got.positions is None else got.positions.tolist()
        assert got_p == want_p, (field, text)
        if field in f.GRAM_FIELDS:
            bare = view.postings(field, text, positions=False)
            assert bare.docs.tolist() == want_docs and bare.weights.tolist() == want_w
            assert bare.positions is None or not want_docs


@pytest.mark.parametrize("query", [
    "工会", "职工代表大会", '"工会 会员"', "title:改革 -经济", "会", "改革 OR 发展的",
    "reporter:王伟 工人", "的一点心意", "ＡＢＣ abc", "。。", "工会 OR -农民",
])
def test_a_query_locates_every_list_it_reads_before_reading_any(three_segments, query):
    """The read-ahead (Evaluator.terms, _QueryView.prefetch) names every list the
    evaluation then reads: a list it missed would be read alone, its disk reads no
    longer overlapping the others'.  Results are those of a view without read-ahead."""
    from search.results import _QueryView
    from search.retrieval.evaluate import Evaluator
    from search.retrieval.query import parse

    engine, _ = three_segments
    st = engine.state()

    class Recording(_QueryView):
        def __init__(self, view):
            super().__init__(view)
            self.ahead: set = set()
            self.read: set = set()

        def prefetch(self, terms):
            self.ahead |= set(terms)
            super().prefetch(terms)

        def postings(self, fieldname, text, positions=True):
            self.read.add((fieldname, text))
            return super().postings(fieldname, text, positions)

    view = Recording(st.view)
    match = Evaluator(view, st.arrays).evaluate(parse(query))
    assert view.read <= view.ahead, view.read - view.ahead
    plain = Evaluator(st.view, st.arrays).evaluate(parse(query))
    assert match.docs.tolist() == plain.docs.tolist()
    assert np.allclose(match.scores, plain.scores)


def test_a_term_is_looked_up_once_a_generation_and_reads_the_same(three_segments,
                                                                    monkeypatch):
    """Searches of one generation share where each term is (its place in every segment's
    table): a second round of the same terms looks none of them up again, and reads the
    same postings as each segment's own decode; with room for one place only (emptied at
    every new term) every read is still the same."""
    from search.native import lib

    engine, rows = three_segments
    lookups: list[tuple] = []

    class Counting:  # the C module, its lookups counted
        def __getattr__(self, name):  # noqa: ANN001, ANN204
            return getattr(lib, name)

        def place_across(self, tables, key, word, out):  # noqa: ANN001, ANN201
            lookups.append((key, word, len(tables)))
            return lib.place_across(tables, key, word, out)

    monkeypatch.setattr(postings_view, "_native", Counting())
    view = postings_view.PostingsView(engine.state().searcher, engine.state().arrays)
    terms = _terms(rows)[:400]
    for _ in range(2):
        for field, text in terms:
            got = view.postings(field, text)
            assert got.docs.tolist() == _one_by_one(view, field, text)[0], (field, text)
    assert len(lookups) == len(set(terms))
    assert {n for _, _, n in lookups} == {len(view.usx)}  # every segment in one call
    monkeypatch.setattr(postings_view, "PLACES_MAX", 1)
    small = postings_view.PostingsView(engine.state().searcher, engine.state().arrays)
    for field, text in terms[::7]:
        want_docs, want_w, want_p = _one_by_one(small, field, text)
        got = small.postings(field, text)
        assert (got.docs.tolist(), got.weights.tolist()) == (want_docs, want_w)
        assert ([] if got.positions is None else got.positions.tolist()) == want_p
    assert len(small._places) == 1


def test_kept_places_give_the_garbage_collector_nothing_per_segment(three_segments):
    """The places a view keeps for a generation hold no container per segment: each is
    one array the garbage collector does not track, so thousands of kept terms do not
    make its collections count and walk lists of tuples; what a search unpacks from them
    is each segment's own lookup (the segments that have the term, in order)."""
    import gc

    engine, rows = three_segments
    view = postings_view.PostingsView(engine.state().searcher, engine.state().arrays)
    terms = _terms(rows)[:200]
    for field, text in terms:
        view.postings(field, text)
    placed = [p for p in view._places.values() if len(p)]
    assert len(placed) > 100
    assert not any(gc.is_tracked(p) for p in view._places.values())
    for field, text in view._places:
        place = view.locate(field, text)
        want = [k for k, sp in enumerate(view.usx) if sp.term(field, text) is not None]
        assert [view.usx.index(sp) for sp, _, _ in place.found] == want
        assert len(place.lists) == len(place.skips) == len(place.dfs) == len(want)


def test_every_segment_looked_up_in_c_as_in_python(three_segments):
    """``place_across`` (one C call over every segment's tables) gives each segment's
    ``SegmentPostings.place``, for terms there and not, in every kind of field; a word
    whose key is another word's (a hash collision) is not that word."""
    from search.native import lib
    from search.storage.usx.postings import term_key

    engine, rows = three_segments
    usx = engine.state().view.usx
    terms = _terms(rows) + [(fl, t) for fl in f.WORD_FIELDS for t in ("工会", "x" * 300)]
    terms += [(fl, "工会") for fl in f.GRAM_FIELDS] + [(fl, "的") for fl in f.CHAR_FIELDS]
    placed = 0
    for field, text in terms:
        key = term_key(field, text)
        out = np.empty(6 * len(usx), dtype=np.int64)
        lib.place_across([sp.term_tables(field) for sp in usx], key,
                         text.encode() if field in f.WORD_FIELDS else None, out)
        for k, sp in enumerate(usx):
            want = sp.place(field, key, text)
            got = out[6 * k : 6 * k + 6].tolist()
            assert got == (list(want) if want else [-1, 0, 0, 0, 0, -1]), (field, text)
            placed += want is not None
    assert placed > len(terms)
    sp = usx[0]
    word = sp.words(f.TEXT)[0]
    out = np.empty(6, dtype=np.int64)
    lib.place_across([sp.term_tables(f.TEXT)], term_key(f.TEXT, word), b"not it", out)
    assert out[0] == -1
    lib.place_across([sp.term_tables(f.TEXT)], term_key(f.TEXT, word), word.encode(), out)
    assert out[0] == 0


def test_a_list_damaged_after_its_term_was_placed_is_refused(three_segments, tmp_path):
    """The places kept are only where lists are: their bytes are checked against their
    blocks' checksums at every read.  A byte of a list flipped in the file after a search
    read it (its mtime put back, so only the read can tell) fails the next read of that
    term, naming the file, never answering other documents."""
    import os
    import shutil

    from search.storage.usx.varint import DamagedPostings

    engine, _ = three_segments
    folder = tmp_path / "idx"
    shutil.copytree(engine.index_dir, folder)
    fresh = Engine(str(folder))
    view = fresh.state().view
    field, text = f.TEXT_G, "工会"
    before = view.postings(field, text)
    assert len(before.docs)
    place = view.locate(field, text)
    sp, _, _ = place.found[0]
    start, stop = place.lists[0]
    at = sp._data[field][0] + (start + stop) // 2
    st = os.stat(sp.path)
    with open(sp.path, "r+b") as fh:
        fh.seek(at)
        byte = fh.read(1)[0]
        fh.seek(at)
        fh.write(bytes([byte ^ 0x10]))
    os.utime(sp.path, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(DamagedPostings, match=os.path.basename(sp.path)):
        view.postings(field, text)


def test_searches_answer_the_same_with_terms_placed_in_c_kept_or_per_segment(
        three_segments, monkeypatch):
    """Generated searches (words and bigrams of the articles, two-word queries, quoted
    runs, a title filter, sorted newest first) give the same total, facets and page of
    hits (ids and scores) when every term is looked up per segment in Python (the
    reference), in one C call, and from the places the view kept."""
    from search import results
    from search.retrieval.request import SearchRequest

    engine, rows = three_segments
    st = engine.state()
    qs = []
    for row in rows[::29]:
        ws = index_words(row["title"] + row["body"])[:6]
        s = squash(row["body"])
        qs += [ws[0], " ".join(ws[1:3]), f'"{s[5:9]}"', s[20:22], f"title:{ws[0]}"]
    reqs = [SearchRequest.from_params(q=q, sort=sort) for q in qs
            for sort in ("relevance", "newest")]

    def answers():  # noqa: ANN202
        out = []
        for req in reqs:
            r = results.run(st, req)
            out.append((r["total"], r["facets"], r["partial_total"],
                        [(h["id"], h["score"]) for h in r["hits"]]))
        return out

    def per_segment(self, fieldname, text):  # noqa: ANN001, ANN202
        from search.storage.usx.postings import term_key

        key, rows = term_key(fieldname, text), []
        for k, sp in enumerate(self.usx):
            at = sp.place(fieldname, key, text)
            if at is not None:
                df = at[5] if fieldname in postings_view._PAIRED else -1
                rows.append((k, *at[:5], df))
        return np.array(rows, dtype=np.int64).reshape(-1, len(postings_view.KEPT_COLUMNS))

    st.view._places.clear()
    in_c = answers()
    kept = answers()
    st.view._places.clear()
    monkeypatch.setattr(postings_view.PostingsView, "_place", per_segment)
    reference = answers()
    st.view._places.clear()
    assert sum(total for total, *_ in reference) > len(reqs)
    assert in_c == reference
    assert kept == reference
