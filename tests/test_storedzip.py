"""Stored articles compressed against a shared dictionary (:mod:`search.storage.storedzip`).

Real indexes on disk: an index written before the dictionary (plain zlib, as Whoosh
wrote it) keeps reading, alone and merged with newer segments; the dictionary makes the
stored articles of a paper it was not trained on smaller.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.optimize import optimize
from indexer.readers import read
from indexer.writer import import_items
from search.engine import Engine
from search.storage import storedzip

from .helpers import SAMPLE, corpus_rows, write_jsonl


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=5000) | st.text(max_size=2000).map(lambda s: s.encode("utf-8")))
def test_any_value_comes_back(data: bytes) -> None:
    assert storedzip.decompress(storedzip.compress(data)) == data
    assert storedzip.decompress(zlib.compress(data, 3)) == data  # written before the dictionary


def test_a_value_of_an_unknown_dictionary_says_so() -> None:
    c = zlib.compressobj(3, zdict=b"some other dictionary")
    data = c.compress("工匠精神".encode()) + c.flush()
    with pytest.raises(ValueError, match="unknown dictionary"):
        storedzip.decompress(data)


def _stored_bytes(idx: Path) -> int:
    return sum(p.stat().st_size for p in idx.glob("*._stored.col"))


def _articles(idx: Path) -> dict[str, dict]:
    """Each article as stored, but when it was imported (two imports may fall in
    different seconds)."""
    engine = Engine(str(idx))
    return {d["id"]: {k: v for k, v in d.items() if k != "added"}
            for d in engine.searcher().all_stored_fields()}


def test_the_dictionary_makes_a_union_daily_smaller(tmp_path, monkeypatch) -> None:
    """The sample page is a union daily of 2022, not the corpus the dictionary was chosen
    from: its stored articles still take less room than Whoosh's own compression."""
    with_dict = tmp_path / "dict"
    import_items(str(with_dict), read([str(SAMPLE)]), procs=1)
    monkeypatch.setattr(storedzip, "compress", lambda data, level=3: zlib.compress(data, level))
    plain = tmp_path / "plain"
    import_items(str(plain), read([str(SAMPLE)]), procs=1)
    assert _articles(with_dict) == _articles(plain)
    assert _stored_bytes(with_dict) < 0.96 * _stored_bytes(plain), (
        _stored_bytes(with_dict), _stored_bytes(plain))


def test_an_index_from_before_the_dictionary_reads_and_merges(tmp_path, monkeypatch) -> None:
    idx = tmp_path / "idx"
    rows = corpus_rows(300, prefix="z", body_chars=600)
    with monkeypatch.context() as m:  # segments as Whoosh alone wrote them
        m.setattr(storedzip, "compress", lambda data, level=3: zlib.compress(data, level))
        import_items(str(idx), read([str(write_jsonl(tmp_path / "old.jsonl", rows[:200]))]),
                     procs=1)
    old = _articles(idx)
    assert len(old) == 200
    import_items(str(idx), read([str(write_jsonl(tmp_path / "new.jsonl", rows[200:]))]),
                 procs=1)
    before = _articles(idx)
    assert len(before) == 300 and all(before[k] == v for k, v in old.items())
    assert len(list(idx.glob("*._stored.col"))) >= 2
    optimize(idx, segments=1)  # one segment holding both kinds
    assert len(list(idx.glob("*._stored.col"))) == 1
    assert _articles(idx) == before
    engine = Engine(str(idx))
    hit = engine.get(rows[0]["id"])
    assert hit is not None and hit["body"] == before[rows[0]["id"]]["body"]

