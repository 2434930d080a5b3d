"""Stored bodies are compressed, and an index written before (plain bodies) still reads.

``tests/data/plain-bodies-index`` is an index of the first 30 corpus articles written by
the release before compression (``tests/data/plain-bodies-index.jsonl`` holds them).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from indexer.optimize import optimize
from search import whoosh_api
from search.engine import Engine, SearchRequest
from search.normalize import squash

from .helpers import corpus_rows, unionsearch, write_jsonl

DATA = Path(__file__).parent / "data"


def _raw_bodies(idx: Path) -> list:
    index = whoosh_api.open_in(str(idx))
    with index.searcher() as s:
        return [s.stored_fields(n)["body"] for n in range(s.doc_count_all())]


def test_new_bodies_are_stored_compressed_and_read_back_whole(tmp_path):
    idx = tmp_path / "idx"
    rows = corpus_rows(40, prefix="zb")
    assert unionsearch("index", str(write_jsonl(tmp_path / "a.jsonl", rows)),
                       "--index-dir", str(idx)).returncode == 0
    raw = _raw_bodies(idx)
    assert all(isinstance(b, bytes) for b in raw)
    text = sum(len(r["body"].encode("utf-8")) for r in rows)
    assert sum(map(len, raw)) < 0.7 * text  # measured 0.55
    engine = Engine(str(idx))
    for row in rows[::7]:
        assert engine.article(row["id"])["article"]["body"] == row["body"]


def test_an_index_with_plain_bodies_reads_merges_and_checks(tmp_path):
    idx = tmp_path / "idx"
    shutil.copytree(DATA / "plain-bodies-index", idx)
    old = [json.loads(line) for line in
           (DATA / "plain-bodies-index.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(isinstance(b, str) for b in _raw_bodies(idx))
    new = corpus_rows(20, prefix="nb", start=100)
    assert unionsearch("index", str(write_jsonl(tmp_path / "n.jsonl", new)),
                       "--index-dir", str(idx)).returncode == 0
    assert optimize(idx).after == 1  # one segment now holds both kinds
    assert {type(b) for b in _raw_bodies(idx)} == {str, bytes}
    engine = Engine(str(idx))
    for row in old[::5] + new[::5]:
        article = engine.article(row.get("id"))
        assert article["article"]["body"] == row["body"], row["id"]
        phrase = squash(row["body"])[10:20]
        hits = engine.search(SearchRequest(q=f'"{phrase}"', size=50))["hits"]
        hit = next(h for h in hits if h["id"] == row["id"])
        assert "<mark>" in hit["snippet"]
    r = unionsearch("check", "--index-dir", str(idx))
    assert r.returncode == 0, r.stdout + r.stderr
