"""A service's open index is hidden from Python's cyclic garbage collector, and a
generation it has left is still freed.

Full collections walked every object the open index keeps, at a cost proportional to the
archive, on whichever query happened to start one; once a generation's tables are built
the engine freezes what the process holds (``gc.freeze``).  Frozen objects are never
collected as cycles, so each new generation hands the previous one back first.
"""

from __future__ import annotations

import gc
import weakref

from indexer.readers import read
from indexer.writer import import_items
from search.engine import Engine, SearchRequest

from .helpers import corpus_rows, write_jsonl


def _import(folder, name: str, rows: list[dict]) -> None:
    path = write_jsonl(folder / f"{name}.jsonl", rows)
    assert import_items(str(folder / "idx"), read([str(path)])).added == len(rows)


def _settled(engine: Engine):
    st = engine.state()
    engine.settling.join()
    return st


def test_a_served_generation_is_frozen_and_the_one_left_behind_is_freed(tmp_path):
    rows = corpus_rows(120, prefix="g", body_chars=200)
    _import(tmp_path, "base", rows[:100])
    engine = Engine(str(tmp_path / "idx"), prepare_suggestions=True)
    try:
        st = _settled(engine)
        assert gc.get_freeze_count() > 0
        tracked = {id(o) for o in gc.get_objects()}
        assert id(st) not in tracked and id(st.arrays) not in tracked  # frozen
        word = rows[0]["title"][:2]
        before = engine.search(SearchRequest(q=word))["total"]
        assert before >= 1

        old, key = weakref.ref(st), st.key
        del st
        _import(tmp_path, "more", rows[100:])
        engine.notice_commit()
        st2 = _settled(engine)
        assert st2.key != key
        assert engine.search(SearchRequest(q=word))["total"] >= before
        gc.collect()
        assert old() is None  # the generation left behind is freed
        assert id(st2) not in {id(o) for o in gc.get_objects()}  # the new one frozen
    finally:
        gc.unfreeze()
