"""Merges beside imports and searches: ``unionsearch optimize``, the tiered policy, and the
background merge an import starts.  Real indexes on disk, real processes."""

from __future__ import annotations

import json
import math
import os
import random
import signal
import time
from dataclasses import dataclass, field

import pytest

from indexer.optimize import optimize
from indexer.writer import delete_ids
from search.engine import Engine, SearchRequest
from search.storage import merge_policy
from search.storage.segments import merge_beside
from search.text.normalize import squash

from .helpers import (
    committed_segments_of,
    corpus_rows,
    kill_group,
    resume,
    start_unionsearch,
    unionsearch,
    wait_paused,
    write_jsonl,
)


def _import_days(tmp_path, idx, rows, per_day, env=None):
    days = [rows[i:i + per_day] for i in range(0, len(rows), per_day)]
    for n, day in enumerate(days):
        path = write_jsonl(tmp_path / f"day{n}.jsonl", day)
        r = unionsearch("index", str(path), "--index-dir", str(idx), env=env)
        assert r.returncode == 0, r.stderr


def _each_once(idx, rows) -> Engine:
    engine = Engine(str(idx))
    s = engine.searcher()
    for row in rows:
        assert len(list(s.document_numbers(id=row["id"]))) == 1, row["id"]
    assert s.doc_count() == len(rows)
    return engine


def _phrases_found(engine: Engine, rows, step: int) -> None:
    for row in rows[::step]:
        phrase = squash(row["body"])[20:31]
        if len(phrase) < 6:
            continue
        hits = engine.search(SearchRequest(q=f'"{phrase}"', size=50))["hits"]
        assert row["id"] in [h["id"] for h in hits], (row["id"], phrase)


@pytest.fixture(scope="module")
def _daily_template(tmp_path_factory):
    """Nine daily imports of 130 articles, made once for the module (tests change copies)."""
    folder = tmp_path_factory.mktemp("daily")
    rows = corpus_rows(9 * 130, prefix="mb", body_chars=240)
    _import_days(folder, folder / "idx", rows, 130)
    return folder / "idx", rows


@pytest.fixture
def daily_index(tmp_path, _daily_template):
    """Nine daily imports of 130 articles: nine segments, a tier too big to merge inline
    (a copy of the module's, this test's to change)."""
    import shutil

    template, rows = _daily_template
    idx = tmp_path / "idx"
    shutil.copytree(template, idx)
    assert len(committed_segments_of(idx)) == 9
    return idx, rows


def test_optimize_merges_down_and_every_article_is_found_once(daily_index):
    idx, rows = daily_index
    before = Engine(str(idx))
    queries = ["工会", '"经济"', "人民 -北京", "改革 发展"]
    totals = [before.search(SearchRequest.from_params(q))["total"] for q in queries]
    r = unionsearch("optimize", "--json", "--index-dir", str(idx))
    assert r.returncode == 0, r.stderr
    done = json.loads(r.stdout)
    assert (done["segments_before"], done["segments_after"]) == (9, 1)
    assert sum(done["merged_articles"]) == len(rows)
    engine = _each_once(idx, rows)
    assert [engine.search(SearchRequest.from_params(q))["total"] for q in queries] == totals
    _phrases_found(engine, rows, 37)
    assert not (idx / "staging").exists(), "the merge's scratch folder was left behind"
    assert unionsearch("check", "--quick", "--index-dir", str(idx)).returncode == 0


def test_articles_deleted_while_a_merge_builds_stay_deleted(daily_index):
    """The merge reads the segments, an import deletes (and re-adds) articles in them, then
    the merge swaps its segment in: the deletions apply to the merged segment."""
    idx, rows = daily_index
    gone = [rows[5]["id"], rows[400]["id"], rows[1000]["id"]]
    changed = dict(rows[700], title="更正后的标题：职工书屋建设")

    def choose(segs):
        assert delete_ids(str(idx), gone)[0] == gone
        data = write_jsonl(idx.parent / "fix.jsonl", [changed])
        assert unionsearch("index", str(data), "--index-dir", str(idx)).returncode == 0
        return [segs]  # the segments as read before the deletions

    assert merge_beside(str(idx), choose) == [len(rows) - len(gone) - 1]
    kept = [r for r in rows if r["id"] not in gone]
    engine = _each_once(idx, kept)
    result = engine.search(SearchRequest.from_params('"更正后的标题"'))
    assert [h["id"] for h in result["hits"]] == [changed["id"]]
    for art_id in gone:
        assert engine.searcher().document_number(id=art_id) is None


def test_a_group_merged_meanwhile_is_given_up(daily_index):
    idx, rows = daily_index

    def choose(segs):
        assert merge_beside(str(idx), lambda s: [s]) == [len(rows)]  # someone else merged
        return [segs]

    assert merge_beside(str(idx), choose) == []
    _each_once(idx, rows)
    ids = {s.segment_id() for s in committed_segments_of(idx)}
    stray = {n.split(".")[0] for n in os.listdir(idx) if n.startswith("articles_")
             and not n.endswith("WRITELOCK")} - {f"{i}" for i in ids}
    assert not stray, f"the given-up merge left files: {stray}"


def test_sigkill_during_optimize_loses_nothing(daily_index):
    idx, rows = daily_index
    # Killed at each step of a merge beside (search/pausepoints.py): built in the staging
    # folder; moved into the index folder, table of contents not written; just committed.
    for step in ("merge-built", "commit", "committed"):
        log = idx.parent / f"optimize-{step}.log"
        proc = start_unionsearch("optimize", "--index-dir", str(idx), log=log,
                                 env={"UNIONSEARCH_PAUSE_AT": step})
        wait_paused(proc, log)
        if step == "merge-built":
            assert list((idx / "staging").glob("*/*.usx")) and len(committed_segments_of(idx)) == 9
        kill_group(proc, signal.SIGKILL)
        engine = _each_once(idx, rows)
        _phrases_found(engine, rows, 97)
    assert optimize(idx).after == 1
    data = write_jsonl(idx.parent / "again.jsonl", rows[:50])
    r = unionsearch("index", str(data), "--index-dir", str(idx))
    assert r.returncode == 0 and "50 unchanged" in r.stdout, r.stdout + r.stderr
    _phrases_found(_each_once(idx, rows), rows, 53)
    assert unionsearch("check", "--quick", "--index-dir", str(idx)).returncode == 0


def test_an_import_starts_the_merge_it_leaves_due(tmp_path):
    """With background merges on (the default outside tests), the import that completes a
    large tier returns at once and a merge started beside it brings the count down."""
    idx = tmp_path / "idx"
    rows = corpus_rows(8 * 130, prefix="bg", body_chars=200)
    _import_days(tmp_path, idx, rows[:7 * 130], 130)
    assert len(committed_segments_of(idx)) == 7
    _import_days(tmp_path / "..", idx, rows[7 * 130:], 130,
                 env={"UNIONSEARCH_MERGE_BESIDE": "1"})
    deadline = time.monotonic() + 120
    while len(committed_segments_of(idx)) > 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(committed_segments_of(idx)) == 1, (idx.parent / ".idx.merge-log").read_text()
    _phrases_found(_each_once(idx, rows), rows, 41)


def test_optimize_without_an_index_says_so(tmp_path):
    r = unionsearch("optimize", "--index-dir", str(tmp_path / "none"))
    assert r.returncode == 2 and "error:" in r.stderr and "Traceback" not in r.stderr


# --- the policy, on segment sizes alone ------------------------------------------------

@dataclass
class FakeSegment:
    live: int
    deleted: int = 0
    sid: str = field(default_factory=lambda: os.urandom(4).hex())

    def doc_count(self) -> int:
        return self.live

    def doc_count_all(self) -> int:
        return self.live + self.deleted

    def deleted_count(self) -> int:
        return self.deleted


def _apply(segs, groups):
    gone = {id(s) for g in groups for s in g}
    return [s for s in segs if id(s) not in gone] + [
        FakeSegment(sum(s.live for s in g)) for g in groups]


def test_ten_years_of_daily_imports_keep_the_segment_count_logarithmic():
    rnd = random.Random(7)
    segs = [FakeSegment(8000) for _ in range(38)]  # a 300,000-article rebuild
    worst_inline, counts = 0, []
    for _day in range(3650):
        segs.append(FakeSegment(60))
        if rnd.random() < 0.1:  # a correction or a delete in an old segment
            old = rnd.choice(segs)
            old.live, old.deleted = old.live - 1, old.deleted + 1
        groups, empty = merge_policy.inline(segs)
        worst_inline = max([worst_inline] + [sum(s.doc_count_all() for s in g) for g in groups])
        segs = [s for s in _apply(segs, groups) if s not in empty]
        while groups := merge_policy.beside(segs):
            segs = _apply(segs, groups)
        counts.append(len(segs))
    total = sum(s.live for s in segs)
    assert worst_inline <= merge_policy.INLINE_MAX
    bound = (merge_policy.FACTOR - 1) * (1 + int(math.log(total, 8)))
    assert max(counts) <= bound, (max(counts), bound)
    assert len(segs) < 20, len(segs)


def test_optimize_groups_respect_the_largest_segment():
    segs = [FakeSegment(100_000) for _ in range(10)]
    groups = merge_policy.down_to(segs, 1)
    assert all(sum(s.live for s in g) <= merge_policy.MAX_SEGMENT for g in groups)
    assert sum(len(g) for g in groups) == 10 and len(groups) == 5


def test_a_merge_waits_for_the_import_in_progress_before_swapping(daily_index):
    """A commit deletes the files of the segments it merged away; an import that has read
    the table of contents before must still find them, so the swap waits for it."""
    from indexer.locks import import_lock

    idx, rows = daily_index
    with import_lock(idx, wait=0):  # as an import holds it, for its whole run
        log = idx.parent / "optimize.log"
        proc = start_unionsearch("optimize", "--index-dir", str(idx), log=log,
                                 env={"UNIONSEARCH_PAUSE_AT": "lock-wait"})
        # It stops itself where it finds the lock taken and is about to wait for it:
        pid = wait_paused(proc, log)
        assert list((idx / "staging").glob("*/*.usx")), "the merge was not built beside"
        assert len(committed_segments_of(idx)) == 9, "swapped while an import was running"
        resume(pid)
        assert proc.poll() is None, "optimize ended while the import lock was held"
    assert proc.wait(timeout=120) == 0
    assert len(committed_segments_of(idx)) == 1
    _each_once(idx, rows)
