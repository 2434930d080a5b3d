"""Crash safety: ``unionsearch index`` killed with SIGKILL at several moments.

One index, one input of ``CRASH_ARTICLES`` (default 2000) real articles in batches of
``BATCH``; the same import is started again and again and killed:

* as soon as the index is created, before any commit,
* right after its first commit,
* while a commit is in progress (segments moved into the index folder, table of contents
  not yet written), if the poll catches one — else right after a commit,
* the parent alone (its worker processes orphaned, as the OOM killer would leave them),

and after each kill the index must open and answer with exactly what was committed: a whole
number of batches, the first articles of the input, each once.  A last run finishes the job:
every article exactly once, leftover staging folders and lock files notwithstanding.  Then a
``--rebuild`` is killed half-way: the old index is untouched, and the next import cleans up.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
from pathlib import Path

from search.engine import Engine, SearchRequest

from .helpers import corpus_rows, kill_group, start_unionsearch, unionsearch, write_jsonl

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


def run_until(idx: Path, log: Path, condition, *, parent_only: bool = False,
              args: tuple = ()) -> str:
    """Start the import, SIGKILL it when ``condition(state)`` says so; returns the moment."""
    proc = start_unionsearch("index", *args, "--index-dir", str(idx), "--batch-size",
                             str(BATCH), log=log)
    state = {"start_gen": toc_generation(idx), "t0": time.monotonic(), "files": None,
             "gen": None}
    try:
        while proc.poll() is None:
            moment = condition(state)
            if moment:
                if parent_only:
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=60)
                else:
                    kill_group(proc)
                return moment
            time.sleep(0.002)
        raise AssertionError(f"the import finished (exit {proc.returncode}) before it could "
                             f"be killed: {log.read_text()}")
    finally:
        if proc.poll() is None:
            kill_group(proc)


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


def _during_commit(idx):
    """A moment test: segment files moved into the index folder, no new TOC yet."""
    def during_commit(st):
        gen = toc_generation(idx)
        if gen != st["gen"]:
            st["gen"], st["files"] = gen, top_files(idx)
            return False
        if gen <= st["start_gen"] + 1:  # the re-run's first commit only re-confirms batch 1
            return False
        # A segment is several files; its term table (.trm) marks one moved in.
        fresh = {n for n in top_files(idx) - st["files"] if n.endswith(".trm")}
        if fresh:
            return "during a commit"
        if gen >= st["start_gen"] + 4:
            return "after a commit (no commit caught in progress)"
        return False

    return during_commit


def _killed_rebuild_leaves_the_old_index(tmp_path, idx, rows, data, logs) -> None:
    """A --rebuild killed half-way leaves the old index as it was, and the next import
    clears the killed rebuild's folder away."""
    rebuild_dirs = lambda: sorted(tmp_path.glob("idx.rebuild-*"))  # noqa: E731
    moment = run_until(idx, logs / "5.log",
                       lambda st: any(toc_generation(d) >= 1 for d in rebuild_dirs())
                       and "rebuild, after a commit", args=(str(data), "--rebuild"))
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
    moment = run_until(idx, logs / "1.log",
                       lambda st: (idx / "unionsearch.json").exists() and "before any commit",
                       args=(str(data),))
    history.append((moment, check_committed(idx, rows, moment)))

    # 2. Right after the first commit of this run.
    moment = run_until(idx, logs / "2.log",
                       lambda st: toc_generation(idx) >= max(st["start_gen"], 0) + 1
                       and "after a commit", args=(str(data),))
    history.append((moment, check_committed(idx, rows, moment)))
    assert history[-1][1] >= BATCH

    # 3. During a commit: segment files moved into the index folder, no new TOC yet.
    moment = run_until(idx, logs / "3.log", _during_commit(idx), args=(str(data),))
    history.append((moment, check_committed(idx, rows, moment)))

    # 4. The parent alone, right after a commit: its pool workers are orphaned.
    moment = run_until(idx, logs / "4.log",
                       lambda st: toc_generation(idx) >= st["start_gen"] + 1
                       and "parent only, after a commit", parent_only=True, args=(str(data),))
    history.append((moment, check_committed(idx, rows, moment)))

    # The debris of four crashes is there (staging folders and lock files) ...
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
    """Killed between Whoosh writing its first TOC and ``unionsearch.json`` being written.

    The window is a few milliseconds wide, so a few attempts are made to land in it; an
    attempt that misses is harmless.  When one lands, the next import must still work.
    """
    rows = corpus_rows(50, body_chars=100)
    data = write_jsonl(tmp_path / "few.jsonl", rows)
    caught = 0
    for attempt in range(int(os.environ.get("CRASH_CREATE_ATTEMPTS", "8"))):
        idx = tmp_path / f"idx{attempt}"
        proc = start_unionsearch("index", str(data), "--index-dir", str(idx))
        try:
            while proc.poll() is None:
                if toc_generation(idx) >= 0 and not (idx / "unionsearch.json").exists():
                    kill_group(proc)
                    caught += 1
                    break
                if (idx / "unionsearch.json").exists():
                    break
        finally:
            kill_group(proc)
        if not caught:
            continue
        r = unionsearch("index", str(data), "--index-dir", str(idx))
        assert r.returncode == 0 and "50 added" in r.stdout, (
            "an import killed while creating the index leaves it unusable: " + r.stderr)
        r = unionsearch("stats", "--json", "--index-dir", str(idx))
        assert r.returncode == 0 and json.loads(r.stdout)["documents"] == 50, r.stderr
        break
    print(f"\nkilled inside the creation window: {bool(caught)}")


def test_sigkill_during_a_merge_loses_nothing(tmp_path):
    """Eight small imports make a tier; the ninth merges it (copying postings) while it
    commits.  Killed during that merge, the index still holds exactly the eight committed
    imports; run again, it holds all nine, each article once, findable by phrase."""
    from search.normalize import squash

    from .helpers import committed_segments_of

    idx = tmp_path / "idx"
    per_day = 120  # eight of them (960 articles) are a tier an import merges itself
    rows = corpus_rows(9 * per_day, prefix="mg", body_chars=300)
    days = [write_jsonl(tmp_path / f"day{d}.jsonl", rows[d * per_day:(d + 1) * per_day])
            for d in range(9)]
    for day in days[:8]:
        assert unionsearch("index", str(day), "--index-dir", str(idx)).returncode == 0
    assert len(committed_segments_of(idx)) == 8

    def during_merge(st):
        if st["files"] is None:
            st["files"] = top_files(idx)
        moved_in = {n for n in top_files(idx) - st["files"] if n.endswith(".trm")}
        merging = [p for p in (idx / "staging").glob("*/articles_*")]
        return bool(moved_in and merging) and "during a merge"

    moment = run_until(idx, tmp_path / "kill.log", during_merge, args=(str(days[8]),))
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
