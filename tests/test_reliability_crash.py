"""Crash safety: ``unionsearch index`` killed with SIGKILL at several moments.

One index, one input of ``CRASH_ARTICLES`` (default 2000) real articles in batches of
``BATCH``; the same import is started again and again and killed:

* as soon as the index is created, before any commit,
* right after its first commit,
* while a commit is in progress (segments moved into the index folder, table of contents
  not yet written),
* the parent alone, as the OOM killer would (its pool workers die with it: they must not
  go on building a batch nobody will commit),

each at a step the import stops itself at (:mod:`search.pausepoints`), so every kill lands
where it is meant to; and after each kill the index must open and answer with exactly what was committed: a whole
number of batches, the first articles of the input, each once.  A last run finishes the job:
every article exactly once, leftover staging folders and lock files notwithstanding.  Then a
``--rebuild`` is killed half-way: the old index is untouched, and the next import cleans up.
"""

from __future__ import annotations

import json
import os
import re
import signal
from pathlib import Path

from search.engine import Engine, SearchRequest

from .helpers import (
    committed_segments_of,
    corpus_rows,
    group_states,
    kill_group,
    resume,
    start_unionsearch,
    unionsearch,
    wait_paused,
    write_jsonl,
)

ARTICLES = int(os.environ.get("CRASH_ARTICLES", "2000"))
BATCH = 500
TOC = re.compile(r"^_articles_(\d+)\.toc$")


def toc_generation(idx: Path) -> int:
    try:
        gens = [int(m[1]) for name in os.listdir(idx) if (m := TOC.match(name))]
    except FileNotFoundError:
        return -1
    return max(gens, default=-1)


def top_files(idx: Path) -> set[str]:
    try:
        return {e.name for e in os.scandir(idx) if e.is_file()}
    except FileNotFoundError:
        return set()


def run_until(idx: Path, log: Path, point: str, condition=lambda pid: True, *,
              parent_only: bool = False, args: tuple = ()) -> int:
    """Start the import with ``UNIONSEARCH_PAUSE_AT=point`` and SIGKILL it the first time
    it stops there with ``condition(pid)`` true (else let it go on); returns how many
    times it stopped.  An import that ends without the kill fails the test."""
    proc = start_unionsearch("index", *args, "--index-dir", str(idx), "--batch-size",
                             str(BATCH), log=log, env={"UNIONSEARCH_PAUSE_AT": point})
    stops = 0
    try:
        while True:
            pid = wait_paused(proc, log)
            stops += 1
            if condition(pid):
                break
            resume(pid)
        if parent_only:
            assert pid == proc.pid
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            wait_group_ended(proc.pid)
        else:
            kill_group(proc)
        return stops
    finally:
        if proc.poll() is None:
            kill_group(proc)


def live_in_group(pgid: int) -> list[int]:
    """Processes of group ``pgid`` that have not exited (zombies, exited but not yet
    reaped by init, excluded)."""
    return [pid for pid, state in group_states(pgid) if state not in ("Z", "X")]


def wait_group_ended(pgid: int, hang_s: float = 60) -> None:
    """Until every process of the killed import's group has ended: its pool workers are
    killed with their parent (a worker that went on would build a segment in its staging
    folder after the next import had looked).  ``hang_s`` only guards against a hang."""
    import time

    deadline = time.monotonic() + hang_s
    while live := live_in_group(pgid):
        assert time.monotonic() < deadline, f"workers outlived their killed import: {live}"
        time.sleep(0.01)


def check_committed(idx: Path, rows: list[dict], moment: str) -> int:
    """The index opens, holds a whole number of batches, the first of the input, once each."""
    if toc_generation(idx) < 0:  # killed before Whoosh wrote its first table of contents
        r = unionsearch("stats", "--json", "--index-dir", str(idx))
        assert r.returncode == 2 and "No index" in r.stderr, (moment, r.stderr)
        return 0
    r = unionsearch("stats", "--json", "--index-dir", str(idx))
    assert r.returncode == 0, (moment, r.stderr)
    docs = json.loads(r.stdout)["documents"]
    assert docs % BATCH == 0, f"{moment}: {docs} documents is not whole batches of {BATCH}"
    engine = Engine(str(idx))
    s = engine.searcher()
    present = [row["id"] for row in rows if s.document_number(id=row["id"]) is not None]
    assert present == [row["id"] for row in rows[:docs]], f"{moment}: not a prefix of the input"
    for art_id in present[:: max(1, len(present) // 50)]:
        assert len(list(s.document_numbers(id=art_id))) == 1, f"{moment}: {art_id} twice"
    if docs:
        result = engine.search(SearchRequest.from_params(rows[0]["title"][:4]))
        assert result["total"] >= 1, f"{moment}: committed articles are not searchable"
    return docs


def _moved_in_without_toc(idx: Path, start_gen: int):
    """At the ``commit`` pause: new segment files in the index folder that no table of
    contents names yet, past the re-run's first commit (which only re-confirms batch 1)."""
    def condition(pid: int) -> bool:
        if toc_generation(idx) <= start_gen:
            return False
        named = {seg.segment_id() for seg in committed_segments_of(idx)}
        on_disk = {n.split(".")[0] for n in top_files(idx) if n.endswith(".trm")}
        return bool(on_disk - named)

    return condition


def _killed_rebuild_leaves_the_old_index(tmp_path, idx, rows, data, logs) -> None:
    """A --rebuild killed half-way leaves the old index as it was, and the next import
    clears the killed rebuild's folder away."""
    rebuild_dirs = lambda: sorted(tmp_path.glob("idx.rebuild-*"))  # noqa: E731
    moment = "rebuild, after a commit"
    run_until(idx, logs / "5.log", "committed",
              lambda pid: any(toc_generation(d) >= 1 for d in rebuild_dirs()),
              args=(str(data), "--rebuild"))
    assert check_committed(idx, rows, moment) == ARTICLES
    assert rebuild_dirs(), "expected the killed rebuild's folder beside the index"
    r = unionsearch("index", str(data), "--index-dir", str(idx))
    assert r.returncode == 0 and f"{ARTICLES} unchanged" in r.stdout, r.stdout + r.stderr
    assert not rebuild_dirs(), f"a killed rebuild's copy is never removed: {rebuild_dirs()}"
    assert check_committed(idx, rows, "after rebuild crash") == ARTICLES


def test_sigkill_at_any_moment_loses_at_most_the_batches_in_flight(tmp_path):
    idx = tmp_path / "idx"
    rows = corpus_rows(ARTICLES, body_chars=100)
    data = write_jsonl(tmp_path / "articles.jsonl", rows)
    logs = tmp_path / "logs"
    logs.mkdir()
    history = []

    # 1. Very early: the index has just been created, nothing is committed yet.
    moment = "before any commit"
    run_until(idx, logs / "1.log", "index-created", args=(str(data),))
    assert (idx / "unionsearch.json").exists() and toc_generation(idx) < 0
    history.append((moment, check_committed(idx, rows, moment)))

    # 2. Right after the first commit of this run.
    moment = "after a commit"
    assert run_until(idx, logs / "2.log", "committed", args=(str(data),)) == 1
    history.append((moment, check_committed(idx, rows, moment)))
    assert history[-1][1] >= BATCH

    # 3. During a commit: segment files moved into the index folder, no new TOC yet.
    moment = "during a commit"
    run_until(idx, logs / "3.log", "commit", _moved_in_without_toc(idx, toc_generation(idx)),
              args=(str(data),))
    history.append((moment, check_committed(idx, rows, moment)))

    # 4. The parent alone, right after a commit: its pool workers die with it.
    moment = "parent only, after a commit"
    run_until(idx, logs / "4.log", "committed", parent_only=True, args=(str(data),))
    history.append((moment, check_committed(idx, rows, moment)))

    # The debris of four crashes is there (staging folders of dead processes, lock
    # files) ...
    lock = tmp_path / ".idx.import-lock"
    assert lock.exists()

    # ... and the same command finishes the job: every article exactly once.
    r = unionsearch("index", str(data), "--index-dir", str(idx), "--batch-size", str(BATCH))
    assert r.returncode == 0, r.stderr
    m = re.search(r"(\d+) added, (\d+) updated, (\d+) unchanged, 0 rejected", r.stdout)
    assert m, r.stdout
    added, updated, unchanged = map(int, m.groups())
    assert updated == 0 and added + unchanged == ARTICLES
    assert unchanged == history[-1][1]
    assert not (idx / "staging").exists()
    final = check_committed(idx, rows, "finished")
    assert final == ARTICLES
    s = Engine(str(idx)).searcher()
    assert all(len(list(s.document_numbers(id=row["id"]))) == 1 for row in rows)
    print(f"\nkills: {history}; then {added} added, {unchanged} unchanged")

    _killed_rebuild_leaves_the_old_index(tmp_path, idx, rows, data, logs)


def test_sigkill_while_the_index_is_being_created(tmp_path):
    """Killed between ``unionsearch.json`` being written and Whoosh's first table of
    contents: there is no index yet, and the next import makes one."""
    rows = corpus_rows(50, body_chars=100)
    data = write_jsonl(tmp_path / "few.jsonl", rows)
    idx = tmp_path / "idx"
    run_until(idx, tmp_path / "kill.log", "index-created", args=(str(data),))
    assert (idx / "unionsearch.json").exists() and toc_generation(idx) < 0
    r = unionsearch("stats", "--json", "--index-dir", str(idx))
    assert r.returncode == 2 and "No index" in r.stderr, r.stderr
    r = unionsearch("index", str(data), "--index-dir", str(idx))
    assert r.returncode == 0 and "50 added" in r.stdout, (
        "an import killed while creating the index leaves it unusable: " + r.stderr)
    r = unionsearch("stats", "--json", "--index-dir", str(idx))
    assert r.returncode == 0 and json.loads(r.stdout)["documents"] == 50, r.stderr


def test_sigkill_during_a_merge_loses_nothing(tmp_path):
    """Eight small imports make a tier; the ninth merges it (copying postings) while it
    commits.  Killed during that merge, the index still holds exactly the eight committed
    imports; run again, it holds all nine, each article once, findable by phrase."""
    from search.text.normalize import squash

    idx = tmp_path / "idx"
    per_day = 120  # eight of them (960 articles) are a tier an import merges itself
    rows = corpus_rows(9 * per_day, prefix="mg", body_chars=300)
    days = [write_jsonl(tmp_path / f"day{d}.jsonl", rows[d * per_day:(d + 1) * per_day])
            for d in range(9)]
    for day in days[:8]:
        assert unionsearch("index", str(day), "--index-dir", str(idx)).returncode == 0
    assert len(committed_segments_of(idx)) == 8

    def during_merge(pid: int) -> bool:
        """The import's own segment moved into the index folder, the merge built beside."""
        named = {s.segment_id() for s in committed_segments_of(idx)}
        moved_in = {n.split(".")[0] for n in top_files(idx) if n.endswith(".trm")} - named
        return bool(moved_in and list((idx / "staging").glob("*/articles_*")))

    moment = "during a merge"
    run_until(idx, tmp_path / "kill.log", "merge-built", during_merge, args=(str(days[8]),))
    docs = _each_once(idx, rows[: 8 * per_day], rows[8 * per_day:])
    assert docs in (8 * per_day, 9 * per_day), (moment, docs)

    assert unionsearch("index", str(days[8]), "--index-dir", str(idx)).returncode == 0
    assert _each_once(idx, rows, []) == 9 * per_day
    assert len(committed_segments_of(idx)) < 9, "the tier was never merged"
    engine = Engine(str(idx))
    for row in rows[:: per_day // 3]:
        phrase = squash(row["body"])[30:42]
        hits = engine.search(SearchRequest(q=f'"{phrase}"', size=50))["hits"]
        assert row["id"] in [h["id"] for h in hits], (row["id"], phrase)


def _each_once(idx: Path, present: list[dict], maybe: list[dict]) -> int:
    """Every article of ``present`` once; those of ``maybe`` all once or all absent."""
    s = Engine(str(idx)).searcher()
    for row in present:
        assert len(list(s.document_numbers(id=row["id"]))) == 1, row["id"]
    found = [len(list(s.document_numbers(id=row["id"]))) for row in maybe]
    assert set(found) <= {0, 1} and len(set(found)) <= 1, found
    return s.doc_count()
