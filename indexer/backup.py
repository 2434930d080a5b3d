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

Why a backup is trusted: Whoosh's files hold pickles, and a folder anyone could have
written must not reach an unpickler unchecked.  The manifest (``unionsearch-backup.json``:
every file's size and SHA-256, the generation, its articles and segments) carries an
HMAC-SHA256 made with the installation's key (:func:`key_path`: 32 random bytes, mode
0600, created by the first backup, never copied into one).  ``restore`` and ``check``
authenticate the manifest and hash every file before anything of the folder is opened;
``restore`` copies exactly the files the manifest lists, hashing them again as it
copies, and swaps only a copy that matches.  (The store verifies a table of contents'
checksum before reading it, and reads pickles with a restricted unpickler anyway:
:mod:`search.storage.store`.)  ``backup`` refuses a folder
inside the index, and checks its copy (``check --quick``'s checks) before naming it a
backup, so a damaged index is not backed up as sound.

A restore copies the backup beside the index and swaps it in with two renames under the
import lock (no import runs meanwhile); a running service notices the new folder at its
next request, as after ``index --rebuild``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import pwd
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from search.storage.folder import META_FILE, IndexUnusable, exists
from search.storage.store import Store, is_toc, segment_id_of, toc_name

from .corrections import STORE_FILE as CORRECTIONS_FILE
from .corrections import snapshot as corrections_snapshot
from .locks import import_lock
from .mergestore import STORE_FILE, snapshot
from .writer import keep_hidden, kept_file

LOCK_WAIT = 600.0  # seconds to wait for a commit in progress to finish
MANIFEST = "unionsearch-backup.json"  # in a backup folder: each file's size and SHA-256
KEY_ENV = "UNIONSEARCH_KEY_FILE"  # where the installation's backup key is, if not the default
KEY_BYTES = 32
MAC_FIELD = "hmac_sha256"  # the manifest's own field: the HMAC of everything else in it


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
    (``Store.committed``), which files belong to a segment (``segment_id_of``: the
    store's files, the sums file and the ``.usx`` file), the TOC's name and the write
    lock commits hold.  Files are closed by ``stack``.
    """
    if not holds_index(index_dir):
        raise BackupError(f"no index in {index_dir}")
    try:
        index = Store.open(index_dir)
    except Exception as exc:  # noqa: BLE001 - a damaged TOC fails in many ways
        raise BackupError(f"the index in {index_dir} cannot be opened ({exc}); "
                          f"unionsearch check --index-dir {index_dir} says more") from None
    with _write_lock(index, index_dir, wait):
        number = index.latest_generation()
        segments = index.committed()
        ids = {s.segment_id() for s in segments}
        names = [toc_name(number), META_FILE]
        names += sorted(n for n in os.listdir(index_dir) if segment_id_of(n) in ids)
        files = {n: stack.enter_context(open(os.path.join(index_dir, n), "rb")) for n in names}
        store = _store_snapshot(index_dir, stack)  # merged articles' sources
        if store is not None:
            files[STORE_FILE] = store
        # editors' corrections, their audit trail, conflicts and flags (never the accounts
        # or the secret key: hidden files the index does not own)
        fixes = _store_snapshot(index_dir, stack, corrections_snapshot)
        if fixes is not None:
            files[CORRECTIONS_FILE] = fixes
    return Generation(number, sum(s.doc_count() for s in segments), len(segments), files)


def _store_snapshot(index_dir: str, stack: ExitStack,
                    take: Callable[[str, str], bool] = snapshot) -> BinaryIO | None:
    """An open consistent copy of the index's ``merges.db`` (an import may be writing
    it; ``corrections.db`` with ``take``), or None when there is none; the copy's name
    is gone once it is open."""
    fd, tmp = tempfile.mkstemp(suffix=".db")
    os.close(fd)
    try:
        if not take(index_dir, tmp):
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


@contextmanager
def _write_lock(index: Store, index_dir: str, wait: float) -> Iterator[None]:
    """The store's write lock, held by commits (not taken in a read-only folder: a backup
    on a read-only mount, where nothing can commit)."""
    with index.write_lock(wait) as held:
        if held is False:
            raise BackupError(f"a commit into {index_dir} did not finish within "
                              f"{wait:.0f} s")
        yield


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


# -- the installation's key ---------------------------------------------------------------

def key_path() -> Path:
    """The installation's backup key: ``$UNIONSEARCH_KEY_FILE``, else
    ``~/.config/unionsearch/backup.key`` of the user running the command (taken from the
    password database, not ``$HOME``: the service user's home is the index's home)."""
    given = os.environ.get(KEY_ENV)
    if given:
        return Path(given)
    try:
        home = Path(pwd.getpwuid(os.getuid()).pw_dir)
    except KeyError:
        home = Path.home()
    return home / ".config" / "unionsearch" / "backup.key"


def installation_key(create: bool = False) -> bytes:
    """The key manifests are authenticated with; made (mode 0600) when ``create`` and
    there is none.  Raises :class:`BackupError` saying where it was looked for."""
    path = key_path()
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        if not create:
            raise BackupError(
                f"no backup key at {path}: a backup is verified with the key of the "
                f"installation that made it; copy that key file here (mode 0600) or name "
                f"it in ${KEY_ENV}") from None
        key = _new_key(path)
    except OSError as exc:
        raise BackupError(f"the backup key {path} cannot be read: {exc.strerror}") from None
    if len(key) != KEY_BYTES:
        raise BackupError(f"the backup key {path} is not a key ({len(key)} bytes, not "
                          f"{KEY_BYTES}); restore it from where it was kept")
    return key


def _new_key(path: Path) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another backup made it first
        return path.read_bytes()
    except OSError as exc:
        raise BackupError(f"cannot create the backup key {path}: {exc.strerror}; name a "
                          f"writable place in ${KEY_ENV}") from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())
    return key


def _mac(key: bytes, manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != MAC_FIELD}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def write_manifest(folder: Path, generation: int, source: str,
                   written: dict[str, dict], documents: int = 0, segments: int = 0) -> None:
    """``unionsearch-backup.json``: what the backup holds, to verify it byte for byte later
    (bit rot on a backup disk is found before a restore needs it), authenticated with the
    installation's key (made now if this is the first backup)."""
    manifest = {"generation": generation, "source": os.path.abspath(source),
                "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "documents": documents,
                "segments": segments, "files": written}
    manifest[MAC_FIELD] = _mac(installation_key(create=True), manifest)
    with open(folder / MANIFEST, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    _fsync_dir(folder)


def read_manifest(folder: str | os.PathLike) -> dict | None:
    """The backup's manifest once its HMAC is verified with the installation's key; None
    when the folder has none.  Raises :class:`BackupError` for one that is unreadable,
    forged, or made with another installation's key (nothing else of the folder is read)."""
    path = Path(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{MANIFEST} is unreadable ({exc})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get(MAC_FIELD), str):
        raise BackupError(f"{MANIFEST} carries no HMAC: it was not written by this "
                          "version's unionsearch backup, or it was edited")
    if not hmac.compare_digest(_mac(installation_key(), manifest), manifest[MAC_FIELD]):
        raise BackupError(f"{MANIFEST} is forged or was edited (its HMAC does not match the "
                          f"key {key_path()}; a backup from another installation needs that "
                          "installation's key)")
    try:
        files, gen = manifest["files"], int(manifest["generation"])
        if not isinstance(files, dict) or not all(
                isinstance(n, str) and "/" not in n and n not in ("", ".", "..")
                and isinstance(w, dict) and isinstance(w.get("sha256"), str)
                for n, w in files.items()):
            raise TypeError("its file list is not one")
        manifest["generation"] = gen
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError(f"{MANIFEST} is unreadable ({exc})") from None
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):  # noqa: B023 - used at once
            digest.update(block)
    return digest.hexdigest()


def verify_manifest(folder: str) -> list[str] | None:
    """What differs from the backup's authenticated manifest (empty: nothing); None when
    there is no manifest, or the folder was written to since (its generation moved on:
    the listed TOC is gone).  A manifest that is forged, unreadable or cannot be
    authenticated (no key) is a difference; so is a file the manifest does not list."""
    try:
        manifest = read_manifest(folder)
    except BackupError as exc:
        return [str(exc) if str(exc).startswith(MANIFEST) else f"{MANIFEST}: {exc}"]
    if manifest is None:
        return None
    files = manifest["files"]
    if not (Path(folder) / toc_name(manifest["generation"])).exists():
        return None
    problems = []
    for name, want in files.items():
        try:
            digest = _sha256(Path(folder) / name)
        except OSError as exc:
            problems.append(f"{name}: {exc.strerror or exc}")
            continue
        if digest != want["sha256"]:
            problems.append(f"{name} differs from the copy made at backup time "
                            f"(SHA-256 in {MANIFEST})")
    for extra in sorted(set(os.listdir(folder)) - set(files) - {MANIFEST}):
        problems.append(f"{extra} is not in {MANIFEST}: added after the backup")
    return problems


def _usable_destination(dest: Path, index_dir: str) -> None:
    inside = Path(os.path.realpath(dest))
    index = Path(os.path.realpath(index_dir))
    if inside == index or index in inside.parents:
        raise BackupError(f"{dest} is inside the index {index_dir}: a backup there is lost "
                          "with the index (and a restore would delete it); give a folder "
                          "on another disk")
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
    """Copy the last committed generation of ``index_dir`` into the new folder ``dest``,
    refusing (and leaving no folder) when the copy is not a sound index."""
    target = Path(dest)
    _usable_destination(target, index_dir)
    installation_key(create=True)  # before any copying: a key that cannot be made stops it
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    try:
        partial.mkdir(parents=True)
    except OSError as exc:
        raise BackupError(f"cannot create {partial}: {exc.strerror}") from None
    try:
        with ExitStack() as stack:
            gen = open_generation(index_dir, stack)
            written = _copy_into(gen.files, partial)
        _verify_copy(partial, index_dir)
        write_manifest(partial, gen.number, index_dir, written, gen.documents, gen.segments)
        if target.exists():
            target.rmdir()  # empty, checked above
        os.rename(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Report(gen.number, gen.documents, gen.segments,
                  sum(f["bytes"] for f in written.values()))


def _verify_copy(copy: Path, index_dir: str) -> None:
    """``check --quick``'s checks on the copied generation (the copy, not the live folder:
    an import may commit meanwhile, and the copy is what the backup will be)."""
    from .check import check_index

    verdict = check_index(str(copy), quick=True, sample=0)
    if not verdict.sound:
        problems = "; ".join(p.what.replace(str(copy), index_dir) for p in verdict.problems[:3])
        raise BackupError(f"the index in {index_dir} is damaged, so it was not backed up "
                          f"({problems}); unionsearch check --index-dir {index_dir} says "
                          "more and how to fix it")


def restore(src: str, index_dir: str, force: bool = False, wait: float = LOCK_WAIT,
            notify: Callable[[str], None] = lambda m: None) -> Report:
    """Make the backup ``src`` the index in ``index_dir``; refuses to replace one unless
    ``force``.  Only a backup whose manifest is authentic and whose every file matches it
    is restored; the files it lists are copied (it stays a backup), hashed again as they
    are copied, and the copy swapped in whole."""
    if os.path.realpath(src) == os.path.realpath(index_dir):
        raise BackupError("the backup and the index are the same folder")
    if not Path(src).is_dir() or not any(is_toc(n) for n in os.listdir(src)):
        raise BackupError(f"{src} holds no index (no table of contents); give a folder "
                          "written by unionsearch backup")
    damaged = verify_manifest(src)
    if damaged is None:
        raise BackupError(f"{src} is untrusted: no {MANIFEST} describes it (not written "
                          "by unionsearch backup, its manifest removed, or written to "
                          "since), so it cannot be verified and is not restored")
    if damaged:
        raise BackupError(f"the backup {src} is damaged: {'; '.join(damaged[:5])}; "
                          "restore another backup")
    manifest = read_manifest(src)
    assert manifest is not None
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
                files = {n: stack.enter_context(open(Path(src) / n, "rb"))
                         for n in manifest["files"]}
                written = _copy_into(files, staged)
            changed = [n for n, w in manifest["files"].items()
                       if written[n]["sha256"] != w["sha256"]]
            if changed:
                raise BackupError(f"the backup {src} changed while it was copied "
                                  f"({', '.join(changed[:5])}); nothing was restored")
            keep_hidden(target, staged)
            _swap(staged, target)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
    return Report(manifest["generation"], int(manifest.get("documents", 0)),
                  int(manifest.get("segments", 0)), sum(f["bytes"] for f in written.values()))


def _swap(staged: Path, target: Path) -> None:
    """Replace ``target`` by ``staged`` with two renames (the names ``index --rebuild``
    uses, so an import cleans up after a restore killed in between)."""
    old = Path(f"{str(target).rstrip('/')}.old-{os.getpid()}")
    if target.exists():
        os.rename(target, old)
    os.rename(staged, target)
    with suppress(OSError):
        shutil.rmtree(old)


__all__ = ["KEY_ENV", "MANIFEST", "BackupError", "IndexUnusable", "Report", "backup",
           "installation_key", "key_path", "open_generation", "read_manifest", "restore",
           "verify_manifest"]
