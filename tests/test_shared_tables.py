"""What a served index holds grows with its vocabulary, not with each import.

The suggestion, did-you-mean and pinyin tables are held once per index folder: a small
import makes a new generation that uses them as they are (its new reporters suggested
at once), a large one has them built again with its words. A generation's columns
(days, lengths, import times) are held once: the cached per-segment arrays are views
into them, with the same values as read from disk.
"""

from __future__ import annotations

import numpy as np

from indexer.readers import read
from indexer.writer import import_items
from search.engine import Engine, SearchRequest
from search.storage import arrays as arrays_mod
from search.storage.arrays import IndexArrays
from search.understanding import intent
from search.understanding.suggest import prefixes_of, suggest

from .helpers import corpus_rows, write_jsonl

RARE = "蹀躞"  # in no article of the corpus


def _import(folder, name: str, rows: list[dict]) -> None:
    path = write_jsonl(folder / f"{name}.jsonl", rows)
    assert import_items(str(folder / "idx"), read([str(path)])).added == len(rows)


def _next_generation(engine: Engine, before):
    engine.notice_commit()
    st = engine.state()
    assert st.key != before.key
    return st


def test_a_small_import_keeps_the_tables_and_a_large_one_rebuilds_them(tmp_path):
    rows = corpus_rows(460, prefix="s", body_chars=300)
    _import(tmp_path, "base", rows[:400])
    engine = Engine(str(tmp_path / "idx"))
    st = engine.state()
    vocab, prefixes = intent.vocabulary_of(st), prefixes_of(st)
    assert vocab.gram(RARE) == 0

    # Four articles into four hundred (1%), one by a reporter the archive never had.
    small = [dict(r, id=f"n{i}", reporter="覃晓燕", body=r["body"] + RARE)
             for i, r in enumerate(rows[400:404])]
    _import(tmp_path, "small", small)
    st2 = _next_generation(engine, st)
    assert intent.vocabulary_of(st2) is vocab  # not built again
    assert intent.built(st2, "vocabulary")
    assert prefixes_of(st2).entries is not prefixes.entries  # the new reporter added
    assert {"text": "覃晓燕", "kind": "reporter"} in suggest(st2, "覃晓")
    assert {"text": "覃晓燕", "kind": "reporter"} in suggest(st2, "qxy")
    assert engine.search(SearchRequest.from_params(q=RARE))["total"] == 4
    # The older generation, still searched by requests under way, is served the same table.
    assert intent.vocabulary_of(st) is vocab

    # Fifty more (12%): past the share a table may miss, so the words are counted again.
    large = [dict(r, id=f"m{i}", body=r["body"] + RARE) for i, r in enumerate(rows[404:454])]
    _import(tmp_path, "large", large)
    st3 = _next_generation(engine, st2)
    rebuilt = intent.vocabulary_of(st3)
    assert rebuilt is not vocab and rebuilt.gram(RARE) > 0
    assert {"text": "覃晓燕", "kind": "reporter"} in suggest(st3, "覃晓")


def test_another_index_never_gets_these_tables(tmp_path):
    rows = corpus_rows(120, prefix="o", body_chars=200)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _import(tmp_path / "a", "a", rows[:60])
    _import(tmp_path / "b", "b", [dict(r, body=r["body"] + RARE) for r in rows[60:]])
    first = intent.vocabulary_of(Engine(str(tmp_path / "a" / "idx")).state())
    second = intent.vocabulary_of(Engine(str(tmp_path / "b" / "idx")).state())
    assert second is not first and second.gram(RARE) > 0 and first.gram(RARE) == 0


def test_a_generation_holds_its_columns_once_with_the_values_on_disk(tmp_path):
    rows = corpus_rows(300, prefix="c", body_chars=300)
    for k in range(3):  # three segments
        _import(tmp_path, f"part{k}", rows[k * 100:(k + 1) * 100])
    engine = Engine(str(tmp_path / "idx"))
    st = engine.state()
    ids = [leaf.segment_id for leaf in st.view.leaves]
    assert len(ids) == 3
    for segid in ids:
        cached = arrays_mod._cache[segid]
        for name in ("days", "head_len", "text_len", "added"):
            assert np.shares_memory(getattr(cached, name), getattr(st.arrays, name)), name
    # A new generation (one more import) takes the unchanged segments' values from the
    # views; read afresh from disk they are the same.
    _import(tmp_path, "part3", corpus_rows(20, prefix="d", body_chars=300, start=300))
    st2 = _next_generation(engine, st)
    served = st2.arrays
    arrays_mod._cache.clear()
    fresh = IndexArrays.build(st2.searcher)
    for name in ("live", "days", "head_len", "text_len", "added", "paper", "rep_doc", "rep_id"):
        assert np.array_equal(getattr(served, name), getattr(fresh, name)), name
    assert served.names == fresh.names and served.doc_count == fresh.doc_count == 320
    assert not st2.arrays.days.flags.writeable


def test_a_table_behind_for_long_is_built_again_in_the_background(tmp_path, monkeypatch):
    from search.understanding import tables

    rows = corpus_rows(410, prefix="t", body_chars=300)
    _import(tmp_path, "base", rows[:400])
    engine = Engine(str(tmp_path / "idx"), prepare_suggestions=True)
    engine.preparing.join()
    st = engine.state()
    vocab = intent.vocabulary_of(st)
    _import(tmp_path, "small", [dict(r, id=f"k{i}", body=r["body"] + RARE)
                                for i, r in enumerate(rows[400:404])])
    # Within REFRESH_AFTER of its build, the service keeps the held tables (1% unseen).
    st2 = _next_generation(engine, st)
    engine.preparing.join()
    assert intent.vocabulary_of(st2) is vocab and not tables.behind(st2, "vocabulary")
    # Once that time has passed, the next generation's background thread builds them again
    # with every article: the latest import's words are proposed.
    monkeypatch.setattr(tables, "REFRESH_AFTER", 0.0)
    assert tables.behind(st2, "vocabulary") and tables.behind(st2, "prefixes")
    _import(tmp_path, "one", [dict(rows[404], id="k9")])
    st3 = _next_generation(engine, st2)
    engine.preparing.join()
    rebuilt = intent.vocabulary_of(st3)
    assert rebuilt is not vocab and rebuilt.gram(RARE) > 0
    assert not tables.behind(st3, "vocabulary") and not tables.behind(st3, "pinyin_words")
    assert not tables.behind(st3, "prefixes")
