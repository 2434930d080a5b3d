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
