"""Backups of a live index, and putting one back: ``unionsearch backup`` / ``restore``.

Why it is safe while the service serves and imports run: a committed segment's files
never change (imports build segments elsewhere and move them in; deletions live in the
table of contents), and old files are only removed by a commit, under Whoosh's write
lock.  So :func:`open_generation` takes that lock for the moment it needs to read the
table of contents and *open* every file of that generation, and releases it; the copy
is then made from the open files at leisure, even if a commit has since removed their
names.  An import waits at most those milliseconds.  The copy is written to
``DEST.partial-<pid>`` and renamed when complete, so an interrupted backup never looks
like one.

A restore copies the backup beside the index and swaps it in with two renames under the
import lock (no import runs meanwhile); a running service notices the new folder at its
next request, as after ``index --rebuild``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from search import whoosh_api
from search.index import META_FILE, IndexUnusable, exists

from .locks import import_lock
from .mergestore import STORE_FILE, snapshot
from .writer import keep_hidden, kept_file

LOCK_WAIT = 600.0  # seconds to wait for a commit in progress to finish
MANIFEST = "unionsearch-backup.json"  # in a backup folder: each file's size and SHA-256


class BackupError(Exception):
    """The backup or restore cannot be made; the message says why and what to do."""


@dataclass
class Generation:
    """One committed generation, its files open: what a backup copies."""

    number: int
    documents: int
    segments: int
    files: dict[str, BinaryIO]


def open_generation(index_dir: str, stack: ExitStack, wait: float = LOCK_WAIT) -> Generation:
    """Open every file of the last committed generation, under Whoosh's write lock.

    The one function here that knows the storage layer: the table of contents
    (``whoosh_api.committed_segments``), which files belong to a segment
    (``whoosh_api.segment_id_of``: the Whoosh files and the ``.usx`` file), the
    TOC's name and the write lock commits hold.  Files are closed by ``stack``.
    """
    if not holds_index(index_dir):
        raise BackupError(f"no index in {index_dir}")
    try:
        index = whoosh_api.open_in(index_dir)
    except Exception as exc:  # noqa: BLE001 - Whoosh raises many kinds for a damaged TOC
        raise BackupError(f"the index in {index_dir} cannot be opened ({exc}); "
                          f"unionsearch check --index-dir {index_dir} says more") from None
    lock = _write_lock(index, index_dir, wait)
    try:
        number = index.latest_generation()
        segments = whoosh_api.committed_segments(index)
        ids = {s.segment_id() for s in segments}
        names = [whoosh_api.toc_name(number), META_FILE]
        names += sorted(n for n in os.listdir(index_dir) if whoosh_api.segment_id_of(n) in ids)
        files = {n: stack.enter_context(open(os.path.join(index_dir, n), "rb")) for n in names}
        store = _store_snapshot(index_dir, stack)  # merged articles' sources
        if store is not None:
            files[STORE_FILE] = store
    finally:
        if lock is not None:
            lock.release()
    return Generation(number, sum(s.doc_count() for s in segments), len(segments), files)


def _store_snapshot(index_dir: str, stack: ExitStack) -> BinaryIO | None:
    """An open consistent copy of the index's ``merges.db`` (an import may be writing
    it), or None when there is none; the copy's name is gone once it is open."""
    fd, tmp = tempfile.mkstemp(suffix=".db")
    os.close(fd)
    try:
        if not snapshot(index_dir, tmp):
            return None
        return stack.enter_context(open(tmp, "rb"))
    finally:
        os.unlink(tmp)


def holds_index(path: str) -> bool:
    """Whether ``path`` holds an index; raises :class:`BackupError` if its table of
    contents cannot be read."""
    try:
        return exists(path)
    except Exception as exc:  # noqa: BLE001 - unpickling a damaged TOC fails in many ways
        raise BackupError(f"the table of contents in {path} cannot be read ({exc}); "
                          f"unionsearch check --index-dir {path} says more") from None


def _write_lock(index, index_dir: str, wait: float):
    """Whoosh's write lock, held by commits; None for a read-only folder (a backup on a
    read-only mount: nothing can commit there)."""
    lock = index.lock("WRITELOCK")
    deadline = time.monotonic() + wait
    try:
        while not lock.acquire():
            if time.monotonic() > deadline:
                raise BackupError(f"a commit into {index_dir} did not finish within "
                                  f"{wait:.0f} s")
            time.sleep(0.05)
    except PermissionError:
        return None
    except OSError as exc:
        if exc.errno != 30:  # EROFS
            raise
        return None
    return lock


def _copy_into(files: dict[str, BinaryIO], folder: Path) -> dict[str, dict]:
    """Write each open file into ``folder``, flushed to disk; returns each one's size and
    SHA-256 (the manifest's entries)."""
    written = {}
    for name, src in files.items():
        digest = hashlib.sha256()
        with open(folder / name, "wb") as out:
            for block in iter(lambda: src.read(1 << 20), b""):  # noqa: B023 - used at once
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
            written[name] = {"bytes": out.tell(), "sha256": digest.hexdigest()}
    _fsync_dir(folder)
    return written


def _fsync_dir(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_manifest(folder: Path, generation: int, source: str,
                   written: dict[str, dict]) -> None:
    """``unionsearch-backup.json``: what the backup holds, to verify it byte for byte later
    (bit rot on a backup disk is found before a restore needs it)."""
    manifest = {"generation": generation, "source": os.path.abspath(source),
                "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "files": written}
    with open(folder / MANIFEST, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    _fsync_dir(folder)


def verify_manifest(folder: str) -> list[str] | None:
    """What differs from the backup's manifest (empty: nothing); None when there is no
    manifest, or the folder was written to since (its generation moved on)."""
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        toc = whoosh_api.toc_name(int(manifest["generation"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{MANIFEST} is unreadable ({exc})"]
    if not (Path(folder) / toc).exists():
        return None
    problems = []
    for name, want in files.items():
        try:
            digest = hashlib.sha256()
            with open(Path(folder) / name, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):  # noqa: B023
                    digest.update(block)
        except OSError as exc:
            problems.append(f"{name}: {exc.strerror or exc}")
            continue
        if digest.hexdigest() != want["sha256"]:
            problems.append(f"{name} differs from the copy made at backup time "
                            f"(SHA-256 in {MANIFEST})")
    return problems


def _usable_destination(dest: Path) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} already exists and is not an empty folder; "
                          "give a new folder (e.g. one named after today's date)")


@dataclass
class Report:
    """What a backup or restore did, for the command to print."""

    generation: int
    documents: int
    segments: int
    bytes: int


def backup(index_dir: str, dest: str) -> Report:
    """Copy the last committed generation of ``index_dir`` into the new folder ``dest``."""
    target = Path(dest)
    _usable_destination(target)
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    try:
        partial.mkdir(parents=True)
    except OSError as exc:
        raise BackupError(f"cannot create {partial}: {exc.strerror}") from None
    try:
        with ExitStack() as stack:
            gen = open_generation(index_dir, stack)
            written = _copy_into(gen.files, partial)
        write_manifest(partial, gen.number, index_dir, written)
        if target.exists():
            target.rmdir()  # empty, checked above
        os.rename(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Report(gen.number, gen.documents, gen.segments,
                  sum(f["bytes"] for f in written.values()))


def restore(src: str, index_dir: str, force: bool = False, wait: float = LOCK_WAIT,
            notify: Callable[[str], None] = lambda m: None) -> Report:
    """Make the backup ``src`` the index in ``index_dir``; refuses to replace one unless
    ``force``.  The backup is copied (it stays a backup) and swapped in whole."""
    if os.path.realpath(src) == os.path.realpath(index_dir):
        raise BackupError("the backup and the index are the same folder")
    damaged = verify_manifest(src)
    if damaged:
        raise BackupError(f"the backup {src} is damaged: {'; '.join(damaged[:5])}; "
                          "restore another backup")
    if not holds_index(src):
        raise BackupError(f"{src} holds no index (no table of contents); give a folder "
                          "written by unionsearch backup")
    target = Path(index_dir)
    if not force and target.exists() and any(not kept_file(p) for p in target.iterdir()):
        raise BackupError(f"{index_dir} already holds an index; add --force to replace it "
                          "(back it up first if it may be needed)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with import_lock(index_dir, wait, notify):
        staged = Path(f"{str(target).rstrip('/')}.rebuild-{os.getpid()}")
        shutil.rmtree(staged, ignore_errors=True)
        staged.mkdir()
        try:
            with ExitStack() as stack:
                gen = open_generation(src, stack)
                written = _copy_into(gen.files, staged)
            keep_hidden(target, staged)
            _swap(staged, target)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
    return Report(gen.number, gen.documents, gen.segments,
                  sum(f["bytes"] for f in written.values()))


def _swap(staged: Path, target: Path) -> None:
    """Replace ``target`` by ``staged`` with two renames (the names ``index --rebuild``
    uses, so an import cleans up after a restore killed in between)."""
    old = Path(f"{str(target).rstrip('/')}.old-{os.getpid()}")
    if target.exists():
        os.rename(target, old)
    os.rename(staged, target)
    with suppress(OSError):
        shutil.rmtree(old)


__all__ = ["MANIFEST", "BackupError", "IndexUnusable", "Report", "backup", "open_generation",
           "restore", "verify_manifest"]
