"""``unionsearch backup`` and ``restore``: a consistent copy while serving and importing.

The real commands on real indexes: backups are taken again and again while an import
commits batch after batch and a server answers; each must be sound (``check``) and hold
exactly the articles of one committed generation (the first k batches of the import),
none lost, none twice.  One is then restored under the running server, which finds them.
"""

from __future__ import annotations

import fcntl
import json
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from .helpers import (
    BIN,
    SAMPLE,
    Server,
    corpus_rows,
    http_get,
    unionsearch,
    write_jsonl,
)

BATCH = 150


def stored_ids(idx: Path) -> list[str]:
    """Every live article's id, read back through the engine (the public API)."""
    from search.engine import Engine, SearchRequest

    engine = Engine(str(idx))
    req = SearchRequest.from_params("", (), "1900-01-01", None, "newest", "1", "100")
    total = engine.search(req)["total"]
    ids = []
    for page in range(1, total // 100 + 2):
        req = SearchRequest.from_params("", (), "1900-01-01", None, "newest", str(page), "100")
        ids += [h["id"] for h in engine.search(req)["hits"]]
    return ids


@pytest.fixture()
def sample_idx(tmp_path) -> Path:
    idx = tmp_path / "idx"
    assert unionsearch("index", str(SAMPLE), "--index-dir", str(idx)).returncode == 0
    return idx


def test_backup_and_restore_say_what_they_did(sample_idx, tmp_path) -> None:
    dest = tmp_path / "backups" / "2026-12-02"
    done = unionsearch("backup", str(dest), "--index-dir", str(sample_idx))
    assert done.returncode == 0, done.stderr
    assert re.search(r"backed up generation \d+ of .*: 6 articles in 1 segment, .* MB → ",
                     done.stdout), done.stdout
    assert unionsearch("check", "--index-dir", str(dest)).returncode == 0
    assert not list(dest.parent.glob("*.partial-*"))

    refused = unionsearch("restore", str(dest), "--index-dir", str(sample_idx))
    assert refused.returncode == 2 and "--force" in refused.stderr

    target = tmp_path / "restored"
    done = unionsearch("restore", str(dest), "--index-dir", str(target))
    assert done.returncode == 0, done.stderr
    assert "restored generation" in done.stdout and "6 articles" in done.stdout
    found = unionsearch("search", "工匠精神", "--json", "--index-dir", str(target))
    assert json.loads(found.stdout)["total"] >= 1
    assert sorted(stored_ids(target)) == sorted(stored_ids(sample_idx))


def test_backup_and_restore_take_relative_folders(tmp_path) -> None:
    """As an operator types them, from the folder that holds the index."""
    assert unionsearch("index", str(SAMPLE), "--index-dir", "idx", cwd=str(tmp_path)).returncode == 0
    done = unionsearch("backup", "bk", "--index-dir", "idx", cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert unionsearch("check", "--index-dir", "bk", cwd=str(tmp_path)).returncode == 0
    done = unionsearch("restore", "bk", "--index-dir", "again", cwd=str(tmp_path))
    assert done.returncode == 0 and "6 articles" in done.stdout, done.stderr


def test_backup_refuses_a_used_folder_and_restore_a_non_index(sample_idx, tmp_path) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.txt").write_text("mine")
    done = unionsearch("backup", str(used), "--index-dir", str(sample_idx))
    assert done.returncode == 2 and "not an empty folder" in done.stderr
    assert [p.name for p in used.iterdir()] == ["keep.txt"]
    done = unionsearch("restore", str(used), "--index-dir", str(tmp_path / "new"), "--force")
    assert done.returncode == 2 and "holds no index" in done.stderr
    done = unionsearch("backup", str(tmp_path / "b"), "--index-dir", str(tmp_path / "none"))
    assert done.returncode == 2 and "no index" in done.stderr


def generation(idx: Path) -> int:
    """The index's latest committed generation, from Whoosh's table-of-contents files."""
    return max((int(m.group(1)) for p in idx.iterdir()
                if (m := re.fullmatch(r"_articles_(\d+)\.toc", p.name))), default=0)


def write_lock_held(idx: Path) -> bool:
    """Whether a process holds Whoosh's write lock on the index (a commit is under way)."""
    with open(idx / "articles_WRITELOCK", "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
    return False


def store_commit_held(idx: Path) -> bool:
    """Whether a process is committing to the index's ``merges.db`` (SQLite's pending or
    exclusive lock: a reader, and so a backup's copy of it, waits until it ends)."""
    db = idx / "merges.db"
    if not db.exists():
        return False
    con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=0)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        return True
    finally:
        con.close()
    return False


def test_backups_during_an_import_hold_whole_generations(tmp_path) -> None:
    rows = corpus_rows(900, prefix="g", body_chars=400)
    order = [r["id"] for r in rows]
    source = write_jsonl(tmp_path / "rows.jsonl", rows)
    idx = tmp_path / "idx"
    first = write_jsonl(tmp_path / "first.jsonl", rows[:BATCH])
    assert unionsearch("index", str(first), "--index-dir", str(idx)).returncode == 0

    with Server(idx, log=tmp_path / "serve.log") as srv:
        importing = subprocess.Popen(
            [str(BIN / "unionsearch"), "index", str(source), "--index-dir", str(idx),
             "--batch-size", str(BATCH)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        backups = []

        def backup() -> None:
            dest = tmp_path / f"backup-{len(backups)}"
            done = unionsearch("backup", str(dest), "--index-dir", str(idx))
            assert done.returncode == 0, done.stderr
            backups.append((dest, int(re.search(r"(\d+) articles", done.stdout).group(1))))
            assert http_get(srv.base, "/healthz")[0] == 200

        # One backup certainly mid-import: once the import has committed its second batch,
        # it is paused (SIGSTOP, perhaps in the middle of writing its third) and backed up.
        # On a loaded machine a short import could otherwise fall between two backups.
        # Not while it holds Whoosh's write lock (the moment after a commit's TOC appears)
        # or is committing to merges.db: a backup waits for either, and a stopped holder
        # never releases it.
        start = generation(idx)
        while True:
            assert importing.poll() is None, importing.communicate()
            if generation(idx) >= start + 2:
                importing.send_signal(signal.SIGSTOP)
                if not write_lock_held(idx) and not store_commit_held(idx):
                    break
                importing.send_signal(signal.SIGCONT)
            time.sleep(0.005)
        try:
            backup()
        finally:
            importing.send_signal(signal.SIGCONT)
        # Then backups while it runs on (as many as it leaves time for, at most three:
        # each one is whole whatever moment it lands on) ...
        while importing.poll() is None and len(backups) < 4:
            backup()
        out, err = importing.communicate(timeout=600)
        assert importing.returncode == 0, err
        backup()  # ... and the finished import
        sizes = set()
        for dest, reported in backups:
            checked = unionsearch("check", "--index-dir", str(dest), "--sample", "5")
            assert checked.returncode == 0, checked.stdout + checked.stderr
            ids = stored_ids(dest)
            assert len(ids) == len(set(ids)) == reported  # nothing twice
            assert len(ids) % BATCH == 0  # whole batches only
            assert set(ids) == set(order[:len(ids)])  # exactly the first k batches
            sizes.add(len(ids))
        assert len(sizes) >= 2, sizes  # the import really ran during the backups

        # Restore the mid-import backup under the running server: it sees that generation.
        dest, reported = backups[0]
        assert BATCH < reported < len(rows)
        done = unionsearch("restore", str(dest), "--index-dir", str(idx), "--force")
        assert done.returncode == 0, done.stderr
        deadline = time.monotonic() + 30
        while srv.documents() != reported:
            assert time.monotonic() < deadline, srv.documents()
            time.sleep(0.2)
        status, _, body = http_get(srv.base, f"/api/articles/{order[reported - 1]}")
        assert status == 200 and json.loads(body)["id"] == order[reported - 1]
        assert http_get(srv.base, f"/api/articles/{order[reported]}")[0] == 404
    assert unionsearch("check", "--index-dir", str(idx)).returncode == 0


def test_any_changed_byte_of_a_backup_is_found_and_not_restored(sample_idx, tmp_path) -> None:
    """Backups sit on disks for years: each file's SHA-256 is recorded at backup time, so
    ``check`` finds a flipped byte anywhere, even one no search would notice, and
    ``restore`` refuses the damaged backup."""
    good = tmp_path / "good"
    assert unionsearch("backup", str(good), "--index-dir", str(sample_idx)).returncode == 0
    checked = unionsearch("check", "--index-dir", str(good))
    assert checked.returncode == 0 and "byte for byte as backed up" in checked.stdout
    names = sorted(p.name for p in good.iterdir()
                   if p.name != "unionsearch-backup.json" and p.stat().st_size)
    assert len(names) >= 5
    for n, name in enumerate(names):
        copy = tmp_path / f"damaged-{n}"
        shutil.copytree(good, copy)
        data = bytearray((copy / name).read_bytes())
        data[len(data) // 2] ^= 0x01
        (copy / name).write_bytes(bytes(data))
        checked = unionsearch("check", "--index-dir", str(copy), "--quick")
        assert checked.returncode == 2, (name, checked.stdout)
        assert f"backup file {name} differs" in checked.stderr
        target = tmp_path / f"target-{n}"
        done = unionsearch("restore", str(copy), "--index-dir", str(target))
        assert done.returncode == 2 and "is damaged" in done.stderr and name in done.stderr
        assert not target.exists() or not any(target.iterdir())


def test_restore_keeps_the_checkouts_gitkeep(sample_idx, tmp_path) -> None:
    """A clone's index_data/ holds only the tracked .gitkeep: a restore into it needs no
    --force, and neither that nor a forced restore over an index deletes the file."""
    dest = tmp_path / "backup"
    assert unionsearch("backup", str(dest), "--index-dir", str(sample_idx)).returncode == 0
    fresh = tmp_path / "index_data"
    fresh.mkdir()
    (fresh / ".gitkeep").write_text("")
    done = unionsearch("restore", str(dest), "--index-dir", str(fresh))
    assert done.returncode == 0, done.stderr
    assert (fresh / ".gitkeep").is_file()
    done = unionsearch("restore", str(dest), "--index-dir", str(fresh), "--force")
    assert done.returncode == 0, done.stderr
    assert (fresh / ".gitkeep").is_file()
    assert "restored generation" in done.stdout and "6 articles in 1 segment →" in done.stdout
    assert sorted(stored_ids(fresh)) == sorted(stored_ids(sample_idx))
    done = unionsearch("index", str(SAMPLE), "--rebuild", "--index-dir", str(fresh))
    assert done.returncode == 0, done.stderr
    assert (fresh / ".gitkeep").is_file()
