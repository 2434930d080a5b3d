"""Two imports at once: the second waits (saying so) or, with ``--wait 0``, stops cleanly.

Real ``unionsearch index`` processes on one index: while the first runs, a second one with
``--wait 0`` exits 2 at once with a clear message and no traceback, one with ``--wait 1``
gives up after about a second, and one with the default wait says it is waiting and then
imports its own file; a ``delete`` waits its turn too.  Afterwards the counts are exact.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time

from search.engine import Engine

from .helpers import (
    corpus_rows,
    resume,
    run_through,
    start_unionsearch,
    unionsearch,
    wait_paused,
    write_jsonl,
)

FIRST = int(os.environ.get("RELIABILITY_IMPORT_ARTICLES", "800"))
SECOND = 100
BATCH = 200


def _contenders_that_will_not_wait_say_so(idx, second) -> None:
    """``--wait 0`` stops at once, ``--wait 1`` waits first; both say why, exit 2.

    Each runs with ``UNIONSEARCH_PAUSE_AT=lock-wait`` (search/pausepoints.py): the one
    that waits stops itself where it starts waiting; the one that does not never gets
    there."""
    log = idx.parent / "contender.log"
    pause = {"UNIONSEARCH_PAUSE_AT": "lock-wait"}
    proc = start_unionsearch("index", str(second), "--index-dir", str(idx), "--wait", "0",
                             log=log, env=pause)
    assert proc.wait(timeout=120) == 2, log.read_text()  # had it waited, it would be stopped
    out = log.read_text()
    assert "another import" in out and "still running" in out, out
    assert "Traceback" not in out

    proc = start_unionsearch("index", str(second), "--index-dir", str(idx), "--wait", "1",
                             log=log, env=pause)
    resume(wait_paused(proc, log))  # it waits for the lock ...
    assert proc.wait(timeout=120) == 2, log.read_text()  # ... then gives up, and says so
    out = log.read_text()
    assert "still running after 1 s" in out and "Traceback" not in out, out


def _intact_and_exact(idx, first_rows, second_rows) -> None:
    """Every article once, the deleted one (the first) gone, nothing left in staging."""
    r = unionsearch("stats", "--json", "--index-dir", str(idx))
    assert r.returncode == 0 and json.loads(r.stdout)["documents"] == FIRST + SECOND - 1
    s = Engine(str(idx)).searcher()
    for row in first_rows[1:] + second_rows:
        assert len(list(s.document_numbers(id=row["id"]))) == 1, row["id"]
    assert s.document_number(id=first_rows[0]["id"]) is None
    # Nothing left over by the contenders.
    assert not (idx / "staging").exists()


def test_second_import_waits_or_stops_cleanly(tmp_path):
    idx = tmp_path / "idx"
    first_rows = corpus_rows(FIRST, prefix="a", body_chars=120)
    second_rows = corpus_rows(SECOND, prefix="b", body_chars=120, start=FIRST)
    first = write_jsonl(tmp_path / "first.jsonl", first_rows)
    second = write_jsonl(tmp_path / "second.jsonl", second_rows)

    # The first import stops itself after its first commit, holding the lock
    # (search/pausepoints.py): the contenders below meet a running import.
    proc1 = start_unionsearch("index", str(first), "--index-dir", str(idx), "--batch-size",
                              str(BATCH), log=tmp_path / "first.log",
                              env={"UNIONSEARCH_PAUSE_AT": "committed"})
    waiter = deleter = None
    try:
        wait_paused(proc1, tmp_path / "first.log")

        # The waiters start first: the whole rest of the import to reach the lock.
        waiter = start_unionsearch("index", str(second), "--index-dir", str(idx),
                                   log=tmp_path / "second.log")
        deleter = start_unionsearch("delete", first_rows[0]["id"], "--index-dir", str(idx),
                                    log=tmp_path / "delete.log")

        _contenders_that_will_not_wait_say_so(idx, second)

        deadline = time.monotonic() + 60
        while "waiting for it to finish" not in (tmp_path / "second.log").read_text():
            assert time.monotonic() < deadline, (tmp_path / "second.log").read_text()
            time.sleep(0.05)
        assert run_through(proc1, tmp_path / "first.log") == 0, (
            (tmp_path / "first.log").read_text())
        assert waiter.wait(timeout=300) == 0, (tmp_path / "second.log").read_text()
        assert deleter.wait(timeout=300) == 0, (tmp_path / "delete.log").read_text()
    finally:
        if proc1.poll() is None:
            os.killpg(proc1.pid, signal.SIGCONT)
        for p in (proc1, waiter, deleter):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()

    second_log = (tmp_path / "second.log").read_text()
    assert "is running; waiting for it to finish" in second_log, second_log
    assert f"{SECOND} added, 0 updated, 0 unchanged, 0 rejected" in second_log, second_log
    assert "Traceback" not in second_log
    assert "1 deleted, 0 not found" in (tmp_path / "delete.log").read_text()
    first_log = (tmp_path / "first.log").read_text()
    assert f"{FIRST} added, 0 updated, 0 unchanged, 0 rejected" in first_log, first_log

    _intact_and_exact(idx, first_rows, second_rows)
    assert not [p for p in tmp_path.iterdir() if re.search(r"\.(rebuild|old)-\d+$", p.name)]
