"""An editor's correction killed (SIGKILL) midway leaves the old article or the new one,
and the audit trail says the same; what a killed correction recorded is finished by the
next command, the next import or the service's next start.  And the other process that
writes while the service runs, ``unionsearch watch``, keeps a correction when the page is
dropped again."""

from __future__ import annotations

import json
import threading
import urllib.request

import pytest

from indexer.corrections import Corrections
from web.accounts import Accounts

from .helpers import CLEAN, Server, kill_group, unionsearch, wait_paused


def _title(idx, art_id: str) -> str:
    from search.storage import folder as sindex

    with sindex.open_index(str(idx)).searcher() as s:
        return s.document(id=art_id)["title"]


def _patch(base: str, art_id: str, token: str, title: str) -> None:
    req = urllib.request.Request(f"{base}/api/articles/{art_id}", method="PATCH",
                                 data=json.dumps({"title": title}).encode(),
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=600).read()
    except OSError:
        pass  # the server is killed while it answers


@pytest.mark.parametrize("step", ["correction-recorded", "committed"])
def test_a_correction_killed_midway_leaves_one_version_and_a_matching_audit(
        index, tmp_path, step) -> None:
    idx = index
    with Accounts(idx) as acc:
        acc.add("ed", "editor", "editor password 1")
        token = acc.new_token("ed")
    from search.storage import folder as sindex

    with sindex.open_index(str(idx)).searcher() as s:
        art_id = next(iter(s.all_stored_fields()))["id"]
    old = _title(idx, art_id)
    log = tmp_path / "serve.log"
    with Server(idx, log=log, env={**CLEAN, "UNIONSEARCH_PAUSE_AT": step}) as srv:
        sender = threading.Thread(target=_patch, args=(srv.base, art_id, token, "杀不掉的更正"),
                                  daemon=True)
        sender.start()
        wait_paused(srv.proc, log)
        kill_group(srv.proc)  # SIGKILL, the whole service
        sender.join(60)
    with Corrections(idx, read_only=True) as store:
        entries = store.history()
    assert len(entries) == 1 and entries[0]["applied"] is False  # recorded, not yet marked
    if step == "correction-recorded":
        assert _title(idx, art_id) == old  # the index still holds the old article
    else:
        assert _title(idx, art_id) == "杀不掉的更正"
    done = unionsearch("corrections", "--index-dir", str(idx), env=CLEAN)
    assert done.returncode == 0, done.stderr
    assert "杀不掉的更正" not in done.stdout and "edited title" in done.stdout
    assert "[not applied]" not in done.stdout
    assert _title(idx, art_id) == "杀不掉的更正"
    with Corrections(idx, read_only=True) as store:
        entries = store.history()
    assert len(entries) == 1 and entries[0]["applied"] is True
    check = unionsearch("check", "--index-dir", str(idx), env=CLEAN)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_page_re_dropped_into_watch_keeps_the_correction(tmp_path) -> None:
    """``unionsearch watch`` imports through the same writer: a page dropped again (the
    same page under another name, as an export re-run leaves it) keeps the correction."""
    import shutil
    import time

    from indexer import editing

    from .helpers import SAMPLE, start_unionsearch

    drop, idx = tmp_path / "drop", tmp_path / "idx"
    drop.mkdir()
    log = tmp_path / "watch.log"
    proc = start_unionsearch("watch", str(drop), "--index-dir", str(idx), log=log, env=CLEAN)

    def wait_for(fragment: str) -> None:
        deadline = time.monotonic() + 300  # a hang bound only
        while fragment not in log.read_text(encoding="utf-8", errors="replace"):
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)

    try:
        wait_for("watching ")
        shutil.copy(SAMPLE, drop / SAMPLE.name)
        wait_for(f"imported {drop / SAMPLE.name}: 6 added")
        from search.storage import folder as sindex

        with sindex.open_index(str(idx)).searcher() as s:
            art_id = next(iter(s.all_stored_fields()))["id"]
        editing.edit(str(idx), "ed", art_id, {"title": "监视目录里也不丢的更正"})
        shutil.copy(SAMPLE, drop / "again-page-2022-09-30.txt")
        wait_for(f"imported {drop / 'again-page-2022-09-30.txt'}: 0 added, 0 updated, "
                 "6 unchanged")
    finally:
        kill_group(proc, __import__("signal").SIGTERM)
    assert _title(idx, art_id) == "监视目录里也不丢的更正"
