"""``corrections.db`` in the index folder: editors' corrections, their audit trail, the
conflicts a re-import found, and readers' 纠错 flags.

A correction is kept as a *group*: the reader's versions it replaced (``sources``: each
article's stable id, the digest of the reader's version, where in its file it was read,
and the article in full) and what stands in the index instead (``results``: articles,
each attributed to the source whose re-import brings it back).  An edit is a group of one
source and one result; a split one source and two results; a merge two sources and one
result; a hidden article a source with no result.

Why keyed so: an import reads the same source again (a re-import, a file re-dropped into
``watch``, ``--rebuild``).  Every article it reads is looked up here by its stable id
(:meth:`Corrections.substitute`); when the reader's version is the one corrected (same
digest) the group's results are written instead, so the correction survives; when the
source changed there, the correction is still written and the new reader's version is
listed as a conflict for an editor.  A page dump's article has no given id (its id is a
hash of its text), so a changed article there comes with a new id: the place it was read
from (file name and article number) finds the correction it conflicts with.

Every change is one SQLite transaction holding the new group state and its audit entry,
marked ``applied = 0`` until the index commit that carries it is done
(:mod:`indexer.editing`); a process killed in between leaves an entry that
:func:`indexer.editing.recover` applies, so the index and the audit trail agree.

Why SQLite in WAL mode: readers (the service's pages) read while one writer (holding the
import lock, or a reader's flag) writes; :func:`snapshot` gives ``backup`` and
``--rebuild`` a consistent copy.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from search.document import Article

from .mergestore import article_from_dict, article_to_dict, unreadable, verify_database

STORE_FILE = "corrections.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS groups (gid INTEGER PRIMARY KEY AUTOINCREMENT, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS source_of (source TEXT PRIMARY KEY, gid INTEGER NOT NULL,
                                      origin TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS source_origin ON source_of (origin);
CREATE TABLE IF NOT EXISTS result_of (result TEXT PRIMARY KEY, gid INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit (n INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL,
    user TEXT NOT NULL, action TEXT NOT NULL, article TEXT NOT NULL, summary TEXT NOT NULL,
    before TEXT NOT NULL, after TEXT NOT NULL, applied INTEGER NOT NULL DEFAULT 0,
    reverted_by INTEGER, reverts INTEGER);
CREATE TABLE IF NOT EXISTS conflicts (n INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL,
    source TEXT NOT NULL, origin TEXT NOT NULL, found TEXT NOT NULL, open INTEGER NOT NULL,
    closed_by TEXT, UNIQUE (source, found));
CREATE TABLE IF NOT EXISTS flags (n INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL,
    article TEXT NOT NULL, kind TEXT NOT NULL, note TEXT NOT NULL, address TEXT NOT NULL,
    open INTEGER NOT NULL DEFAULT 1, closed_by TEXT, closed_at REAL);
"""

ACTIONS = ("edit", "split", "merge", "hide", "revert", "resolve")
FLAG_KINDS = {"title": "标题有误", "reporter": "作者有误", "date": "日期或版面有误",
              "text": "正文乱码或缺字", "split": "文章被拆开或粘连", "other": "其他"}


@dataclass
class Source:
    """A reader's version that a correction replaced."""

    id: str
    digest: str
    origin: str  # "page-2022-09-30.txt:article 3", "" when unknown
    article: Article


@dataclass
class Result:
    """An article a correction stands in the index; ``source`` brings it back on re-import."""

    source: str
    article: Article


@dataclass
class Group:
    """One correction's sources and results (see the module's docstring)."""

    sources: list[Source] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"sources": [{"id": s.id, "digest": s.digest, "origin": s.origin,
                             "article": article_to_dict(s.article)} for s in self.sources],
                "results": [{"source": r.source, "article": article_to_dict(r.article)}
                            for r in self.results]}

    @classmethod
    def from_json(cls, data: dict) -> Group:
        return cls([Source(s["id"], s["digest"], s.get("origin", ""),
                           article_from_dict(s["article"])) for s in data["sources"]],
                   [Result(r["source"], article_from_dict(r["article"]))
                    for r in data["results"]])

    def identity(self) -> bool:
        """Whether the results are exactly the reader's versions (nothing corrected)."""
        if len(self.results) != len(self.sources):
            return False
        return all(r.source == s.id and r.article.stable_id() == s.id
                   and r.article.digest() == s.digest
                   for r, s in zip(self.results, self.sources, strict=True))

    def result_ids(self) -> list[str]:
        return [r.article.stable_id() for r in self.results]


def origin_key(article: Article, where: str) -> str:
    """Where an article of a page dump was printed: its day, its 版面 and its place there
    (``article 3``, as the page reader numbers them); "" for other sources, whose
    articles carry their own ids."""
    if not where.startswith("article "):
        return ""
    return f"{article.date}|{article.page or ''}|{where}"


class Corrections:
    """The corrections of one index folder.  ``read_only`` never writes (and reads an
    empty store when there is none)."""

    def __init__(self, index_dir: str | os.PathLike, read_only: bool = False):
        self.path = Path(index_dir).absolute() / STORE_FILE
        if read_only and not self.path.exists():
            self.db = sqlite3.connect(":memory:", check_same_thread=False)
            self.db.executescript(_SCHEMA)
            return
        try:
            if read_only:
                self.db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True,
                                          check_same_thread=False)
                self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            else:
                existed = self.path.exists()
                self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                if existed:
                    verify_database(self.db, self.path)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=FULL")
                self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            if not damaged_database(exc):
                raise
            raise unreadable(self.path, exc) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Corrections:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- groups --------------------------------------------------------------------------

    def _group(self, gid: int) -> Group:
        row = self.db.execute("SELECT state FROM groups WHERE gid = ?", (gid,)).fetchone()
        return Group.from_json(json.loads(row[0]))

    def group_of_source(self, source: str) -> tuple[int, Group] | None:
        row = self.db.execute("SELECT gid FROM source_of WHERE source = ?", (source,)).fetchone()
        return None if row is None else (row[0], self._group(row[0]))

    def group_of_result(self, result: str) -> tuple[int, Group] | None:
        row = self.db.execute("SELECT gid FROM result_of WHERE result = ?", (result,)).fetchone()
        return None if row is None else (row[0], self._group(row[0]))

    def corrected_ids(self) -> set[str]:
        """Every id a correction stands in the index."""
        return {r[0] for r in self.db.execute("SELECT result FROM result_of")}

    def drop_groups(self, groups: Iterable[Group]) -> None:
        """Forget the groups holding any source of ``groups``."""
        for group in groups:
            for s in group.sources:
                row = self.db.execute("SELECT gid FROM source_of WHERE source = ?",
                                      (s.id,)).fetchone()
                if row is not None:
                    self._drop(row[0])

    def _drop(self, gid: int) -> None:
        self.db.execute("DELETE FROM groups WHERE gid = ?", (gid,))
        self.db.execute("DELETE FROM source_of WHERE gid = ?", (gid,))
        self.db.execute("DELETE FROM result_of WHERE gid = ?", (gid,))

    def put_group(self, group: Group) -> None:
        """Keep ``group`` (replacing any group sharing a source with it); a group that
        corrects nothing is only dropped."""
        self.drop_groups([group])
        if group.identity():
            return
        cur = self.db.execute("INSERT INTO groups (state) VALUES (?)",
                              (json.dumps(group.to_json(), ensure_ascii=False),))
        gid = cur.lastrowid
        self.db.executemany("INSERT OR REPLACE INTO source_of VALUES (?, ?, ?)",
                            [(s.id, gid, s.origin) for s in group.sources])
        self.db.executemany("INSERT OR REPLACE INTO result_of VALUES (?, ?)",
                            [(i, gid) for i in group.result_ids()])

    # -- what an import does with an article it reads ------------------------------------

    def substitute(self, fields: dict, article: Article, origin: str) -> list[Article] | None:
        """The articles to write instead of the reader's ``article`` (index ``fields``),
        or None when no correction concerns it.  A reader's version other than the one
        corrected is listed as a conflict (the correction still wins)."""
        art_id = fields["id"]
        found = self.group_of_source(art_id)
        if found is None:
            if not origin or self.group_of_result(art_id) is not None:
                return None
            row = self.db.execute("SELECT source, gid FROM source_of WHERE origin = ?",
                                  (origin,)).fetchone()
            if row is None or row[0] == art_id:
                return None
            group = self._group(row[1])
            src = next(s for s in group.sources if s.id == row[0])
            if src.article.date != article.date:
                return None
            self.add_conflict(row[0], origin, article)
            return None  # a new id: imported beside the correction, both listed
        _, group = found
        src = next(s for s in group.sources if s.id == art_id)
        if origin:  # where a re-import read it: a changed text there comes with a new id
            self.db.execute("UPDATE source_of SET origin = ? WHERE source = ?",
                            (origin, art_id))
        if src.digest != fields["digest"]:
            self.add_conflict(art_id, origin or src.origin, article)
        return [r.article for r in group.results if r.source == art_id]

    def add_conflict(self, source: str, origin: str, found: Article) -> None:
        self.db.execute("INSERT OR IGNORE INTO conflicts (at, source, origin, found, open) "
                        "VALUES (?, ?, ?, ?, 1)",
                        (time.time(), source, origin,
                         json.dumps(article_to_dict(found), ensure_ascii=False)))

    def conflicts(self, open_only: bool = True) -> list[dict]:
        """Conflicts a re-import found, newest first."""
        rows = self.db.execute(
            "SELECT n, at, source, origin, found, open, closed_by FROM conflicts"
            + (" WHERE open = 1" if open_only else "") + " ORDER BY n DESC").fetchall()
        out = []
        for n, at, source, origin, found, is_open, closed_by in rows:
            group = self.group_of_source(source)
            out.append({"n": n, "at": at, "source": source, "origin": origin,
                        "found": json.loads(found), "open": bool(is_open),
                        "closed_by": closed_by,
                        "corrected": [article_to_dict(r.article) for r in group[1].results]
                        if group else []})
        return out

    def close_conflict(self, n: int, user: str) -> bool:
        cur = self.db.execute("UPDATE conflicts SET open = 0, closed_by = ? "
                              "WHERE n = ? AND open = 1", (user, n))
        return cur.rowcount > 0

    # -- the audit trail -----------------------------------------------------------------

    def record(self, user: str, action: str, article: str, summary: str,
               before: list[Group], after: list[Group], reverts: int | None = None) -> int:
        """An audit entry (not yet applied to the index); returns its number."""
        cur = self.db.execute(
            "INSERT INTO audit (at, user, action, article, summary, before, after, reverts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (time.time(), user, action, article, summary,
             json.dumps([g.to_json() for g in before], ensure_ascii=False),
             json.dumps([g.to_json() for g in after], ensure_ascii=False), reverts))
        if reverts is not None:
            self.db.execute("UPDATE audit SET reverted_by = ? WHERE n = ?", (cur.lastrowid,
                                                                             reverts))
        return cur.lastrowid

    def mark_applied(self, n: int) -> None:
        self.db.execute("UPDATE audit SET applied = 1 WHERE n = ?", (n,))
        self.db.commit()

    def unapplied(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT n FROM audit WHERE applied = 0 ORDER BY n")]

    def entry(self, n: int) -> dict | None:
        rows = self._entries("WHERE n = ?", (n,), 1, 0)
        return rows[0] if rows else None

    def history(self, user: str = "", article: str = "", action: str = "",
                limit: int = 100, offset: int = 0) -> list[dict]:
        """Audit entries, newest first, filtered by user, article id and action."""
        where, args = [], []
        for column, value in (("user", user), ("article", article), ("action", action)):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        return self._entries(clause, tuple(args), limit, offset)

    def _entries(self, clause: str, args: tuple, limit: int, offset: int) -> list[dict]:
        rows = self.db.execute(
            "SELECT n, at, user, action, article, summary, before, after, applied, "
            f"reverted_by, reverts FROM audit {clause} ORDER BY n DESC LIMIT ? OFFSET ?",
            (*args, limit, offset)).fetchall()
        keys = ("n", "at", "user", "action", "article", "summary", "before", "after",
                "applied", "reverted_by", "reverts")
        out = []
        for row in rows:
            entry = dict(zip(keys, row, strict=True))
            entry["before"] = [Group.from_json(g) for g in json.loads(entry["before"])]
            entry["after"] = [Group.from_json(g) for g in json.loads(entry["after"])]
            entry["applied"] = bool(entry["applied"])
            out.append(entry)
        return out

    # -- readers' flags ------------------------------------------------------------------

    def add_flag(self, article: str, kind: str, note: str, address: str) -> int:
        cur = self.db.execute("INSERT INTO flags (at, article, kind, note, address) "
                              "VALUES (?, ?, ?, ?, ?)",
                              (time.time(), article, kind, note, address))
        self.db.commit()
        return cur.lastrowid

    def flags(self, open_only: bool = True) -> list[dict]:
        rows = self.db.execute(
            "SELECT n, at, article, kind, note, open, closed_by, closed_at FROM flags"
            + (" WHERE open = 1" if open_only else "") + " ORDER BY n DESC LIMIT 500")
        keys = ("n", "at", "article", "kind", "note", "open", "closed_by", "closed_at")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def close_flags(self, articles: Iterable[str], user: str) -> int:
        """Close the open flags of ``articles`` (they were corrected); how many."""
        n = 0
        for art in set(articles):
            n += self.db.execute("UPDATE flags SET open = 0, closed_by = ?, closed_at = ? "
                                 "WHERE article = ? AND open = 1",
                                 (user, time.time(), art)).rowcount
        return n

    def close_flag(self, n: int, user: str) -> bool:
        cur = self.db.execute("UPDATE flags SET open = 0, closed_by = ?, closed_at = ? "
                              "WHERE n = ? AND open = 1", (user, time.time(), n))
        self.db.commit()
        return cur.rowcount > 0

    def save(self) -> None:
        self.db.commit()


def corrected_into(index_dir: str | os.PathLike, art_id: str) -> str | None:
    """The article an editor merged ``art_id`` into, or None (not merged away, or hidden):
    a link given out before the merge leads there."""
    if not has_store(index_dir):
        return None
    try:
        with Corrections(index_dir, read_only=True) as store:
            found = store.group_of_source(art_id)
    except sqlite3.Error:
        return None
    if found is None:
        return None
    ids = found[1].result_ids()
    return ids[0] if ids and art_id not in ids else None


def damaged_database(exc: Exception) -> bool:
    """Whether an SQLite error says the file is damaged (not: busy, locked, full)."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text)


def has_store(index_dir: str | os.PathLike) -> bool:
    return (Path(index_dir) / STORE_FILE).exists()


def snapshot(index_dir: str | os.PathLike, dest: str | os.PathLike) -> bool:
    """A consistent copy of ``corrections.db`` at ``dest`` (SQLite's online backup);
    False when there is none."""
    path = Path(index_dir).absolute() / STORE_FILE
    if not path.exists():
        return False
    src = sqlite3.connect(path, timeout=30)
    out = sqlite3.connect(dest)
    try:
        src.backup(out)
        out.execute("PRAGMA journal_mode=DELETE")
    finally:
        out.close()
        src.close()
    return True
