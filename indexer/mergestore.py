"""``merges.db`` in the index folder: what each merged article was made of, and which
articles an editor has kept apart.

A merged article (:mod:`search.dedupe`) is stored in the index as one article; its
sources are kept here in full, so that

- re-importing a source that is already part of a merged article changes nothing (its
  id and digest are found here), and a changed source re-makes the merged article;
- ``unmerge`` (an operator today, an editor's correction later) can put every source
  back as its own article; the pairs it separated are remembered (``apart``) and never
  merged again on a later import;
- days whose articles were committed but not yet compared (``pending``: an import
  stopped between its batches and its merge commit) are compared by the next import.

Why SQLite (the standard library's): an archive fed from two sources for years holds a
merged article for most stories, each with two full copies; an import looks up each of
its articles by id and changes a few rows, never reading or rewriting the whole store.
Written only by the process holding the index's import lock; :func:`snapshot` gives
``backup`` a consistent copy while an import may be writing.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from dataclasses import asdict
from pathlib import Path

from search.document import Article
from search.storage.folder import IndexDamaged

STORE_FILE = "merges.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS merged (kept TEXT PRIMARY KEY, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, kept TEXT NOT NULL,
                                    digest TEXT NOT NULL, article TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sources_kept ON sources (kept);
CREATE TABLE IF NOT EXISTS apart (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b));
CREATE TABLE IF NOT EXISTS pending (day INTEGER PRIMARY KEY);
"""


class StoreUnreadable(IndexDamaged):
    """An SQLite file of the index (``merges.db``, ``corrections.db``) exists but cannot
    be read: damaged.  The message names it and the fix."""


def unreadable(path: Path, exc: Exception) -> StoreUnreadable:
    """The error for the SQLite file at ``path`` that SQLite could not read."""
    folder = path.parent
    return StoreUnreadable(f"{path} is damaged ({exc}). Run unionsearch check --index-dir "
                           f"{folder}, then restore a backup (unionsearch restore)")


def verify_database(db: sqlite3.Connection, path: Path) -> None:
    """SQLite's ``quick_check`` of a database about to be written (an import's, an
    editor's): damage found by a write is made worse by it.  Raises
    :class:`StoreUnreadable` naming the file.  Reads every page once (its cost:
    bench/RESULTS.md)."""
    rows = [r[0] for r in db.execute("PRAGMA quick_check(5)").fetchall()]
    if rows != ["ok"]:
        raise unreadable(path, "; ".join(map(str, rows)))


def article_to_dict(article: Article) -> dict:
    """An article as kept in the store (every field, ``id`` set to its stable id)."""
    out = asdict(article)
    out["id"] = article.stable_id()
    return out


def article_from_dict(data: dict) -> Article:
    """The article a store record describes."""
    known = {k: v for k, v in data.items() if k in Article.__dataclass_fields__}
    return Article(**known)


class MergeStore:
    """The merged articles of one index folder, the pairs kept apart, the days pending.

    Changes are one transaction until :meth:`save`.  ``read_only`` opens an existing
    store without ever writing (an empty one in memory when there is none).
    """

    def __init__(self, index_dir: str | os.PathLike, read_only: bool = False):
        self.path = Path(index_dir).absolute() / STORE_FILE
        try:
            if read_only and not self.path.exists():
                self.db = sqlite3.connect(":memory:")
            elif read_only:
                self.db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
            else:
                existed = self.path.exists()
                self.db = sqlite3.connect(self.path)
                if existed:
                    verify_database(self.db, self.path)
            if not read_only or not self.path.exists():
                self.db.executescript(_SCHEMA)
            self.db.execute("SELECT 1 FROM merged LIMIT 1")
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    @classmethod
    def load(cls, index_dir: str | os.PathLike) -> MergeStore:
        """The store of ``index_dir``, created when there is none."""
        return cls(index_dir)

    def _error(self, exc: sqlite3.Error) -> Exception:
        """An SQLite error as the import reports storage errors: a full disk or a folder it
        may not write is an ``OSError`` (see ``indexer.writer.storage_error``)."""
        text = str(exc).lower()
        if "full" in text:
            return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
        if "readonly" in text or "unable to open" in text or "read-only" in text:
            return PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self.path))
        if "disk i/o" in text:
            return OSError(errno.EIO, os.strerror(errno.EIO), str(self.path))
        return unreadable(self.path, exc)

    def _run(self, sql: str, rows: list | tuple = (), many: bool = False) -> None:
        try:
            if many:
                self.db.executemany(sql, rows)
            else:
                self.db.execute(sql, rows)
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def save(self) -> None:
        """Commit the changes made since the last save."""
        try:
            self.db.commit()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def close(self) -> None:
        self.db.close()

    # -- merged articles -----------------------------------------------------------------

    def kept_of(self, source: str) -> str | None:
        """The merged article that ``source`` is a source of, or None."""
        row = self.db.execute("SELECT kept FROM sources WHERE source = ?", (source,)).fetchone()
        return row[0] if row else None

    def is_merged(self, kept: str) -> bool:
        return self.merged_digest(kept) is not None

    def merged_digest(self, kept: str) -> str | None:
        """The digest the merged article ``kept`` was written with, or None if not merged."""
        row = self.db.execute("SELECT digest FROM merged WHERE kept = ?", (kept,)).fetchone()
        return row[0] if row else None

    def sources(self, kept: str) -> list[tuple[Article, str]]:
        """The sources of merged article ``kept`` with their digests ([] if not merged)."""
        rows = self.db.execute("SELECT article, digest FROM sources WHERE kept = ? "
                               "ORDER BY rowid", (kept,)).fetchall()
        return [(article_from_dict(json.loads(a)), d) for a, d in rows]

    def source_ids(self, art_id: str) -> set[str]:
        """The ids an article stands for: its sources' if merged, else its own."""
        rows = self.db.execute("SELECT source FROM sources WHERE kept = ?", (art_id,))
        return {r[0] for r in rows} or {art_id}

    def set_group(self, kept: str, sources: list[tuple[Article, str]], digest: str) -> None:
        """Record merged article ``kept`` (digest ``digest``) as made of ``sources``."""
        self.drop(kept)
        for art, _ in sources:  # a source leaves any other merged article it was part of
            other = self.kept_of(art.stable_id())
            if other is not None:
                self.drop(other)
        self._run("INSERT INTO merged VALUES (?, ?)", (kept, digest))
        self._run("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)",
                  [(a.stable_id(), kept, d, json.dumps(article_to_dict(a), ensure_ascii=False))
                   for a, d in sources], many=True)

    def drop(self, kept: str) -> None:
        """Forget merged article ``kept`` (its sources become unknown)."""
        self._run("DELETE FROM merged WHERE kept = ?", (kept,))
        self._run("DELETE FROM sources WHERE kept = ?", (kept,))

    def stale(self) -> set[str]:
        """Merged articles recorded with an empty digest: a source changed, the article
        is still to be re-made."""
        return {r[0] for r in self.db.execute("SELECT kept FROM merged WHERE digest = ''")}

    def all_groups(self) -> dict[str, list[str]]:
        """Every merged article's id and its sources' ids."""
        out: dict[str, list[str]] = {}
        for kept, source in self.db.execute(
                "SELECT kept, source FROM sources ORDER BY kept, rowid"):
            out.setdefault(kept, []).append(source)
        return out

    # -- kept apart ----------------------------------------------------------------------

    def keep_apart(self, ids: list[str]) -> None:
        """Never merge any two of ``ids`` again."""
        pairs = {tuple(sorted((a, b))) for i, a in enumerate(ids) for b in ids[i + 1:] if a != b}
        self._run("INSERT OR IGNORE INTO apart VALUES (?, ?)", sorted(pairs), many=True)

    def kept_apart(self, a: set[str], b: set[str]) -> bool:
        """Whether an editor separated any source of one from any source of the other."""
        for x in a:
            for y in b:
                lo, hi = sorted((x, y))
                if self.db.execute("SELECT 1 FROM apart WHERE a = ? AND b = ?",
                                   (lo, hi)).fetchone():
                    return True
        return False

    def copy_apart_from(self, other: MergeStore) -> None:
        """Keep apart what ``other`` keeps apart (a rebuild keeps the editor's decisions)."""
        self._run("INSERT OR IGNORE INTO apart VALUES (?, ?)",
                  other.db.execute("SELECT a, b FROM apart").fetchall(), many=True)

    # -- days not yet compared -----------------------------------------------------------

    def pending_days(self) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT day FROM pending")}

    def add_pending(self, days: set[int]) -> None:
        self._run("INSERT OR IGNORE INTO pending VALUES (?)", [(d,) for d in sorted(days)],
                  many=True)

    def clear_pending(self) -> None:
        self._run("DELETE FROM pending")


def merged_into(index_dir: str | os.PathLike, art_id: str) -> str | None:
    """The merged article that ``art_id`` (a merged-away source) is now part of, or None:
    a link given out before the merge leads there."""
    if not (Path(index_dir) / STORE_FILE).exists():
        return None
    try:
        store = MergeStore(index_dir, read_only=True)
    except StoreUnreadable:
        return None
    try:
        kept = store.kept_of(art_id)
    except sqlite3.Error:
        return None
    finally:
        store.close()
    return kept if kept != art_id else None


def snapshot(index_dir: str | os.PathLike, dest: str | os.PathLike) -> bool:
    """A consistent copy of the store of ``index_dir`` at ``dest`` (SQLite's online
    backup, so a write in progress is not torn); False when there is no store."""
    path = Path(index_dir).absolute() / STORE_FILE
    if not path.exists():
        return False
    src = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    out = sqlite3.connect(dest)
    try:
        src.backup(out)
    finally:
        out.close()
        src.close()
    return True
