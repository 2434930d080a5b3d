"""``unionsearch watch DIR``: import the day's files as they arrive in a drop folder.

Why each rule:

* **Wait until a file stops growing.**  Uploads and copies write a file over seconds;
  a file is imported once its size and modification time have not changed for
  ``settle`` seconds.  Names uploaders use while writing (``.part``, ``.tmp``, ``~``,
  hidden files) are never read.
* **Never the same unchanged file twice.**  ``watch-state.json`` in the index folder
  records each file handled: size, modification time and SHA-256.  A file whose
  content is unchanged (even if touched or copied again) is skipped, across restarts.
  The state sits with the index it describes: after ``restore`` or ``--rebuild`` the
  folder holds none, and the drop folder's files are imported again (unchanged
  articles are skipped by the importer, nothing is duplicated).
* **Nothing is moved.**  The drop folder is only read.
* **A failure is reported once**, with its reason, and the file is retried only when
  its content changes.
* **Kill-safe.**  The state is written (atomically) after an import commits.  Killed
  before that, the file is imported again at the next start: the importer's stable
  ids make that add only what was missing, never a duplicate.
* **SIGTERM stops between files**: the file being imported is finished first.
* **File names are bytes.**  A name need not be UTF-8 (a GBK name copied from a Windows
  share): paths are handled as Python keeps undecodable bytes (``os.fsdecode``, lossless),
  the state file stores such a name as its bytes (base64, beside its printable form), and
  every line of the log shows names escaped (:func:`printable`): an undecodable byte as
  ``\\xb9``, a newline as ``\\n``, so no file name can forge a log line.
* **Only regular files inside the folder.**  A link (to ``/etc/passwd``, to a file in
  another folder) is never followed, nor a file reached through a linked folder; the file
  opened is checked to be the one looked at (:func:`indexer.encoding.pinned`), so a name
  swapped for a link meanwhile is not read either.
* **One file never stops the watch.**  Whatever goes wrong with one file is reported,
  recorded, and the file is skipped until it changes; only an unusable index or folder
  ends the watch (exit status 2), and an unexpected error exit status 3: neither is
  cured by restarting.

Events come from watchdog (inotify), falling back to watchdog's polling observer where
inotify is unavailable (or with ``poll``, for network mounts whose changes inotify
never sees); the folder is also rescanned every ``rescan`` seconds for any missed event.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from search.pausepoints import pause_point
from search.storage import folder as sindex
from search.storage.folder import IndexUnusable

from .encoding import pinned
from .papers import Papers
from .printable import printable
from .readers import format_of, read
from .records import Rejection
from .writer import ImportBusy, StorageError, import_items

STATE_FILE = "watch-state.json"
TEMP_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".swp", "~")
RETRY_TRANSIENT = 30.0  # seconds before retrying after a full disk or a busy index


def is_candidate(path: str) -> bool:
    """Whether a name looks like a finished file (not hidden, not an upload in progress)."""
    name = os.path.basename(path)
    return not name.startswith((".", "~$")) and not name.lower().endswith(TEMP_SUFFIXES)


def sha256_of(path: str, identity: tuple[int, int] | None = None) -> str:
    """A file's content hash: an unchanged file copied or touched is not imported again.

    With ``identity`` (device, inode), the file opened must be that one (links not followed).
    """
    digest = hashlib.sha256()
    flags = os.O_RDONLY | os.O_CLOEXEC | (os.O_NOFOLLOW if identity else 0)
    with open(os.open(path, flags | os.O_NONBLOCK), "rb") as fh:
        st = os.fstat(fh.fileno())
        if identity and (st.st_dev, st.st_ino) != identity or not stat.S_ISREG(st.st_mode):
            raise OSError(f"{path} changed into another file while being looked at")
        os.set_blocking(fh.fileno(), True)
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class WatchState:
    """What was done with each file, kept in ``watch-state.json`` in the index folder.

    Keys of :attr:`files` are paths as Python holds file names (``os.fsdecode``: bytes that
    are not UTF-8 as lone surrogates).  In the file, a UTF-8 name is a key of ``files``;
    any other name is a key of ``files_bytes``, its bytes in base64, and its entry carries
    ``shown``, the name as the log prints it.  JSON text must be Unicode: writing such a
    name as it is raised ``UnicodeEncodeError`` and ended the watch.
    """

    def __init__(self, index_dir: str):
        self.path = Path(index_dir) / STATE_FILE
        self.files: dict[str, dict] = {}
        self.warning = ""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            files = dict(data["files"])
            for key, entry in dict(data.get("files_bytes", {})).items():
                entry = dict(entry)
                entry.pop("shown", None)
                files[os.fsdecode(base64.b64decode(key, validate=True))] = entry
            self.files = files
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.warning = (f"{self.path} is unreadable ({exc}); starting afresh: files "
                            "already imported are skipped by the importer as unchanged")

    def as_json(self) -> dict:
        """The state as JSON can hold it: names that are not UTF-8 by their bytes."""
        files: dict[str, dict] = {}
        raw: dict[str, dict] = {}
        for path, entry in self.files.items():
            name = os.fsencode(path)
            try:
                files[name.decode("utf-8")] = entry
            except UnicodeDecodeError:
                raw[base64.b64encode(name).decode("ascii")] = {**entry, "shown": printable(path)}
        return {"files": files, **({"files_bytes": raw} if raw else {})}

    def save(self) -> None:
        """Write the state atomically (a crash leaves the old or the new file, whole)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self.as_json(), ensure_ascii=False, indent=1)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


@dataclass
class Outcome:
    """How one file's import went: ``imported``, ``failed`` (until it changes) or
    ``retry`` (a full disk, a busy index: try again later)."""

    status: str
    message: str
    rejected: list[str] = field(default_factory=list)


def import_file(index_dir: str, path: str, date: str | None = None,
                identity: tuple[int, int] | None = None, papers: list[dict] | None = None,
                paper: str = "") -> Outcome:
    """Import one file; never raises for bad input or a full disk.

    ``date``: the issue date of a page dump that carries none (as ``index --date``);
    ``identity`` (device, inode): the file the readers may open (see :func:`pinned`);
    ``papers``: the ``[papers]`` setting, ``paper``: a key for every article (as ``index
    --paper``; :mod:`indexer.papers`).
    """
    rules = Papers.from_settings(papers, sindex.paper_names(index_dir))
    try:
        with pinned(identity):
            summary = import_items(index_dir, read([path], date=date), wait=5.0,
                                   papers=rules, paper=paper)
    except (ImportBusy, StorageError) as exc:
        return Outcome("retry", str(exc))
    rejected = [str(r) for r in summary.rejected]
    counts = summary.counts()
    if summary.added + summary.updated + summary.unchanged + summary.merged == 0 and rejected:
        reasons = "; ".join(r.split(": ", 1)[-1] for r in rejected[:3])
        return Outcome("failed", f"no article could be read ({reasons})", rejected)
    return Outcome("imported", counts, rejected)


@dataclass
class Seen:
    stat: tuple[int, int]
    since: float


class Watcher:
    """The loop behind ``unionsearch watch``; ``say`` prints a line for the log."""

    def __init__(self, folder: str, index_dir: str, say: Callable[[str, bool], None],
                 settle: float = 1.0, rescan: float = 60.0, poll: bool = False,
                 date: str | None = None, papers: list[dict] | None = None, paper: str = ""):
        self.folder, self.index_dir = os.path.abspath(folder), index_dir
        self.papers, self.paper = papers, paper  # as import_file takes them
        self.real_folder = os.path.realpath(self.folder)
        self.say = lambda line, problem: say(printable(line), problem)
        self.settle, self.rescan, self.poll, self.date = settle, rescan, poll, date
        self.state = WatchState(index_dir)
        self._state_failed = False
        self.stop = threading.Event()
        self.wake = threading.Event()
        self._events: set[str] = set()
        self._lock = threading.Lock()
        self._seen: dict[str, Seen] = {}
        self._retry_at: dict[str, float] = {}
        self._said: set[str] = set()

    # -- events ---------------------------------------------------------------------

    def notice(self, path: str) -> None:
        """A file event (any thread): look at ``path`` soon."""
        with self._lock:
            self._events.add(path)
        self.wake.set()

    def _take_events(self) -> set[str]:
        with self._lock:
            events, self._events = self._events, set()
        return events

    def scan(self) -> set[str]:
        """Every name under the folder (hidden folders and linked folders skipped)."""
        found = set()
        for root, dirs, files in os.walk(self.folder):  # links to folders: not entered
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found |= {os.path.join(root, name) for name in files}
        return found

    # -- one file -------------------------------------------------------------------

    def consider(self, path: str, now: float) -> bool:
        """Handle ``path`` if it is ready; True when it needs no further look for now."""
        if not is_candidate(path):
            return True
        try:
            st = os.lstat(path)
        except OSError:
            self._seen.pop(path, None)
            return True
        stat_key = (st.st_size, st.st_mtime_ns)
        known = self.state.files.get(path)
        if known and known.get("status") == "failed" and known.get("date") != self.date:
            known = None  # failed without the --date it now has (an undated page): again
        if known and (known["size"], known["mtime_ns"]) == stat_key:
            return True
        outside = self._outside(path, st.st_mode)
        if outside:
            self._record(path, stat_key, "", "ignored", outside)
            self.say(f"ignored {path}: {outside}; left where it is", True)
            return True
        if format_of(path) is None:
            self._record(path, stat_key, "", "ignored", "not a format unionsearch reads")
            self.say(f"ignored {path}: not a file unionsearch reads (.txt, .jsonl, .csv, "
                     ".html); left where it is", False)
            return True
        if self._retry_at.get(path, 0) > now or not self._settled(path, stat_key, now):
            return False
        return self._import(path, stat_key, known, now)

    def _outside(self, path: str, mode: int) -> str | None:
        """Why ``path`` is not a regular file inside the folder, or None.

        A link is never followed (``ln -s /etc/passwd drop/2022-05-02.txt`` would make
        the password file searchable), and a file is taken only if the folder holding it,
        links resolved, is the watched folder or under it.
        """
        if stat.S_ISLNK(mode):
            return "a link; only regular files inside the watched folder are imported"
        if not stat.S_ISREG(mode):
            return "not a regular file; only regular files are imported"
        parent = os.path.realpath(os.path.dirname(path))
        if os.path.commonpath([parent, self.real_folder]) != self.real_folder:
            return "reached through a link to another folder; not imported"
        return None

    def _settled(self, path: str, stat_key: tuple[int, int], now: float) -> bool:
        seen = self._seen.get(path)
        if seen is None or seen.stat != stat_key:
            self._seen[path] = Seen(stat_key, now)
            pause_point("watch-changed")
            return False
        return now - seen.since >= self.settle

    def _import(self, path: str, stat_key: tuple[int, int], known: dict | None,
                now: float) -> bool:
        st = os.lstat(path)
        identity = (st.st_dev, st.st_ino)
        digest = sha256_of(path, identity)
        if known and known.get("sha256") == digest:
            self._record(path, stat_key, digest, known["status"], known.get("message", ""))
            return True  # touched or copied again, same content
        self.say(f"importing {path}", False)
        outcome = import_file(self.index_dir, path, self.date, identity, self.papers,
                              self.paper)
        if outcome.status == "retry":
            self._retry_at[path] = now + RETRY_TRANSIENT
            if outcome.message not in self._said:
                self._said.add(outcome.message)
                self.say(f"waiting to import {path}: {outcome.message}", True)
            return False
        for rejection in outcome.rejected:
            self.say(f"rejected: {rejection}", True)
        try:
            changed = (os.stat(path).st_size, os.stat(path).st_mtime_ns) != stat_key
        except OSError:
            changed = True
        if not changed:  # a file rewritten meanwhile is looked at again
            self._record(path, stat_key, digest, outcome.status, outcome.message)
        if outcome.status == "failed":
            self.say(f"failed {path}: {outcome.message}; it is tried again when it "
                     "changes", True)
        else:
            self.say(f"imported {path}: {outcome.message}", False)
        return not changed

    def _record(self, path: str, stat_key: tuple[int, int], digest: str, status: str,
                message: str) -> None:
        self.state.files[path] = {"size": stat_key[0], "mtime_ns": stat_key[1],
                                  "sha256": digest, "status": status, "message": message,
                                  "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                                  **({"date": self.date} if self.date else {})}
        self._seen.pop(path, None)
        self._save()

    def _save(self) -> None:
        """Write the state; when that fails (a full disk), carry on with it in memory."""
        try:
            self.state.save()
        except OSError as exc:
            if not self._state_failed:
                self.say(f"cannot write {self.state.path} ({exc.strerror or exc}); carrying "
                         "on: after a restart, files imported meanwhile are read again "
                         "(their unchanged articles are skipped)", True)
            self._state_failed = True
        else:
            if self._state_failed:
                self.say(f"{self.state.path} written again", False)
            self._state_failed = False

    def look(self, path: str, now: float) -> bool:
        """:meth:`consider` ``path``; whatever goes wrong with it is reported and the file
        skipped until it changes (True), never raised: one file never stops the watch.

        An unusable index is no file's fault and is raised.
        """
        try:
            return self.consider(path, now)
        except IndexUnusable:
            raise
        except Exception as exc:  # noqa: BLE001 - reported, and the watch goes on
            reason = f"{type(exc).__name__}: {exc}"
            self.say(f"failed {path}: {reason}; skipped until it changes", True)
            try:
                st = os.lstat(path)
                self._record(path, (st.st_size, st.st_mtime_ns), "", "failed", reason)
            except Exception:  # noqa: BLE001 - not even recorded: forgotten for now
                self._seen.pop(path, None)
            return True

    # -- the loop -------------------------------------------------------------------

    def run(self) -> None:
        """Watch until :attr:`stop` is set (SIGTERM/SIGINT), between files."""
        if self.state.warning:
            self.say(self.state.warning, True)
        observer = self._start_observer()
        pending = self.scan()
        last_scan = time.monotonic()
        try:
            while not self.stop.is_set():
                now = time.monotonic()
                pending |= self._take_events()
                if now - last_scan >= self.rescan:
                    pending |= self.scan()
                    last_scan = now
                for path in sorted(pending):
                    if self.stop.is_set():
                        break
                    if self.look(path, time.monotonic()):
                        pending.discard(path)
                self.wake.wait(min(self.settle / 2, 0.5) if pending else 1.0)
                self.wake.clear()
        finally:
            observer.stop()
            observer.join(5)

    def _start_observer(self):
        """watchdog's inotify observer, or its polling one where inotify fails."""
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                if not event.is_directory:
                    for p in (event.src_path, getattr(event, "dest_path", "")):
                        if p:
                            watcher.notice(os.fsdecode(p))

        for make in ([] if self.poll else [Observer]) + [PollingObserver]:
            observer = make()
            try:
                observer.schedule(Handler(), self.folder, recursive=True)
                observer.start()
                return observer
            except OSError as exc:
                self.say(f"file events unavailable ({exc}); polling the folder instead", True)
        raise OSError(f"cannot watch {self.folder}")


def watch(folder: str, index_dir: str, say: Callable[[str, bool], None],
          settle: float = 1.0, rescan: float = 60.0, poll: bool = False,
          date: str | None = None, papers: list[dict] | None = None, paper: str = "") -> None:
    """Run a :class:`Watcher` until SIGTERM or SIGINT, which stop it between files."""
    watcher = Watcher(folder, index_dir, say, settle=settle, rescan=rescan, poll=poll,
                      date=date, papers=papers, paper=paper)

    def stop(signum, frame) -> None:
        watcher.stop.set()
        watcher.wake.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    watcher.say(f"watching {watcher.folder} → {index_dir} (state: {watcher.state.path})"
                + (f"; undated pages dated {date}" if date else ""), False)
    watcher.run()
    watcher.say("stopped", False)


__all__ = ["IndexUnusable", "Rejection", "WatchState", "Watcher", "import_file", "printable",
           "watch"]
