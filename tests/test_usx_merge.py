"""Merging segments' ``.usx`` files gives the file a fresh build of the kept articles writes."""

from __future__ import annotations

import random

import numpy as np
import pytest

from search.storage.usx import postings
from search.storage.usx.merge import merge

from .helpers import varied_texts


def _written(tmp_path, folder: str, count: int, arrays: dict) -> bytes:
    """The bytes of a segment file written under one name (the header names its segment)
    in a folder of its own."""
    (tmp_path / folder).mkdir(exist_ok=True)
    path = tmp_path / folder / "seg.usx"
    postings.write(path, count, arrays)
    return path.read_bytes()

def _segment(tmp_path, name: str, heads: list[str], bodies: list[str]):
    path = tmp_path / f"{name}.usx"
    postings.write(path, len(heads), postings.build(heads, bodies))
    return postings.SegmentPostings(path)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_merged_file_is_the_file_a_build_of_the_kept_articles_writes(tmp_path, seed):
    rnd = random.Random(seed)
    sizes = [rnd.randint(0, 40) for _ in range(rnd.randint(1, 4))]
    parts, kept_heads, kept_bodies = [], [], []
    for k, n in enumerate(sizes):
        heads, bodies = varied_texts(seed * 10 + k, max(n, 1))[:n], varied_texts(seed * 10 + k + 5, max(n, 1))[:n]
        keep = np.array([rnd.random() < 0.7 for _ in range(n)], dtype=bool)
        parts.append((_segment(tmp_path, f"s{k}", heads, bodies), keep))
        kept_heads += [h for h, y in zip(heads, keep, strict=True) if y]
        kept_bodies += [b for b, y in zip(bodies, keep, strict=True) if y]

    count, arrays = merge(parts)
    assert count == len(kept_heads)
    assert _written(tmp_path, "merged", count, arrays) == _written(
        tmp_path, "fresh", count, postings.build(kept_heads, kept_bodies))


def test_merging_nothing_but_deleted_articles_gives_an_empty_file(tmp_path):
    sp = _segment(tmp_path, "a", ["工匠精神"], ["劳模 工匠"])
    count, arrays = merge([(sp, np.zeros(1, dtype=bool))])
    assert count == 0
    postings.write(tmp_path / "m.usx", 0, arrays)
    merged = postings.SegmentPostings(tmp_path / "m.usx")
    assert merged.doc_count == 0 and merged.term("text_g", "工匠") is None


@pytest.mark.parametrize("budget", [1, 64, 700])
def test_a_merge_done_a_key_range_at_a_time_writes_the_same_file(tmp_path, budget):
    """Large merges are cut into key ranges so memory stays bounded: the bytes must not change."""
    rnd = random.Random(budget)
    parts, kept_heads, kept_bodies = [], [], []
    for k in range(3):
        heads, bodies = varied_texts(100 + k, 30), varied_texts(200 + k, 30)
        keep = np.array([rnd.random() < 0.8 for _ in range(30)], dtype=bool)
        parts.append((_segment(tmp_path, f"r{k}", heads, bodies), keep))
        kept_heads += [h for h, y in zip(heads, keep, strict=True) if y]
        kept_bodies += [b for b, y in zip(bodies, keep, strict=True) if y]
    count, arrays = merge(parts, budget=budget)
    assert _written(tmp_path, "sliced", count, arrays) == _written(
        tmp_path, "fresh", count, postings.build(kept_heads, kept_bodies))


def test_a_merged_file_has_the_skip_tables_a_fresh_build_writes(tmp_path, monkeypatch):
    """With blocks of 4 documents and a table on every list of more than one block, the
    merged file (tables made from its merged postings) is still the fresh build's, and
    holds tables of bigram and word lists."""
    monkeypatch.setattr(postings, "BLOCK_DOCS", 4)
    monkeypatch.setattr(postings, "SKIP_MIN_DOCS", 4)
    rnd = random.Random(28)
    parts, kept_heads, kept_bodies = [], [], []
    for k in range(3):
        heads, bodies = varied_texts(300 + k, 30), varied_texts(400 + k, 30)
        keep = np.array([rnd.random() < 0.8 for _ in range(30)], dtype=bool)
        parts.append((_segment(tmp_path, f"t{k}", heads, bodies), keep))
        kept_heads += [h for h, y in zip(heads, keep, strict=True) if y]
        kept_bodies += [b for b, y in zip(bodies, keep, strict=True) if y]
    count, arrays = merge(parts)
    merged = _written(tmp_path, "merged", count, arrays)
    assert merged == _written(tmp_path, "fresh", count, postings.build(kept_heads, kept_bodies))
    sp = postings.SegmentPostings(tmp_path / "merged" / "seg.usx")
    assert len(sp.array("text_g.skip_terms")) > 10 and len(sp.array("text.skip_terms")) > 3
