"""Editors' and administrators' accounts, their sessions, and the service's secret key.

Kept in the index folder as hidden files (``.accounts.db``, ``.secret-key``, both mode
0600): a ``--rebuild`` and a ``restore`` keep hidden files of the folder they replace
(:func:`indexer.writer.keep_hidden`), and ``backup`` copies only what the index owns, so
a password hash, an API token's hash or the key never leave the installation in a backup.

Passwords are hashed with Argon2id (argon2-cffi, its default parameters), never stored
or logged in clear; an API token is shown once and kept as its SHA-256.  A session is a
row here (its id random, the browser's cookie signs it), so signing out, changing a
password or removing an account ends it at once, and an idle one ends after the idle
time.  Twenty wrong passwords in a row lock an account for :data:`LOCK_SECONDS`.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ACCOUNTS_FILE = ".accounts.db"
SECRET_FILE = ".secret-key"
ROLES = ("editor", "admin")
LOCK_AFTER = 20  # wrong passwords in a row that lock an account
LOCK_SECONDS = 15 * 60
MIN_PASSWORD = 10
MAX_PASSWORD = 1000
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$|^[\u4e00-\u9fffA-Za-z0-9_.@-]{1,32}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL,
    hash TEXT NOT NULL, token TEXT, failed INTEGER NOT NULL DEFAULT 0,
    locked_until REAL NOT NULL DEFAULT 0, created REAL NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS users_token ON users (token);
CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, user TEXT NOT NULL,
    csrf TEXT NOT NULL, created REAL NOT NULL, seen REAL NOT NULL);
"""

_hasher = PasswordHasher()


class AccountError(ValueError):
    """A name, role or password that cannot be used; the message says why."""


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Session:
    sid: str
    user: User
    csrf: str


def check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise AccountError("a user name is 1 to 64 letters, digits or _ . @ - "
                           "(Chinese names up to 32 characters)")
    return name


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(f"a password has at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"a password has at most {MAX_PASSWORD} characters")
    return password


def _private_file(path: Path) -> None:
    """Make ``path`` exist with mode 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def secret_key(index_dir: str | os.PathLike) -> bytes:
    """The key that signs session cookies: made at first start (32 random bytes, mode
    0600) in the index folder, the same afterwards."""
    path = Path(index_dir) / SECRET_FILE
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except FileNotFoundError:
        pass
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    tmp = path.with_name(f"{SECRET_FILE}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        os.link(tmp, path)  # the first process to make it wins; others read its key
    except FileExistsError:
        key = path.read_bytes()
    finally:
        os.unlink(tmp)
    return key


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class Accounts:
    """The accounts and sessions of one index folder; safe to share between threads
    (each call opens its own short transaction)."""

    def __init__(self, index_dir: str | os.PathLike):
        self.path = Path(index_dir).absolute() / ACCOUNTS_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fresh = not self.path.exists()
        if fresh:
            _private_file(self.path)
        self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False,
                                  isolation_level=None)
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Accounts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- accounts ------------------------------------------------------------------------

    def add(self, name: str, role: str, password: str) -> User:
        check_name(name)
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        check_password(password)
        try:
            self.db.execute("INSERT INTO users (name, role, hash, created) VALUES (?, ?, ?, ?)",
                            (name, role, _hasher.hash(password), time.time()))
        except sqlite3.IntegrityError:
            raise AccountError(f"user {name!r} exists already") from None
        return User(name, role)

    def get(self, name: str) -> User | None:
        row = self.db.execute("SELECT name, role FROM users WHERE name = ?", (name,)).fetchone()
        return None if row is None else User(*row)

    def passwd(self, name: str, password: str) -> None:
        check_password(password)
        cur = self.db.execute("UPDATE users SET hash = ?, failed = 0, locked_until = 0 "
                              "WHERE name = ?", (_hasher.hash(password), name))
        if not cur.rowcount:
            raise AccountError(f"no user {name!r}")
        self.end_sessions(name)

    def remove(self, name: str) -> None:
        cur = self.db.execute("DELETE FROM users WHERE name = ?", (name,))
        if not cur.rowcount:
            raise AccountError(f"no user {name!r}")
        self.end_sessions(name)

    def users(self) -> list[dict]:
        now = time.time()
        return [{"name": n, "role": r, "token": bool(t), "locked": lu > now}
                for n, r, t, lu in self.db.execute(
                    "SELECT name, role, token, locked_until FROM users ORDER BY name")]

    def new_token(self, name: str) -> str:
        """A new API token for ``name`` (the old one stops working); shown once."""
        token = "ust_" + secrets.token_urlsafe(32)
        cur = self.db.execute("UPDATE users SET token = ? WHERE name = ?",
                              (token_hash(token), name))
        if not cur.rowcount:
            raise AccountError(f"no user {name!r}")
        return token

    def by_token(self, token: str) -> User | None:
        if not token.startswith("ust_") or len(token) > 100:
            return None
        row = self.db.execute("SELECT name, role FROM users WHERE token = ?",
                              (token_hash(token),)).fetchone()
        return None if row is None else User(*row)

    # -- signing in ----------------------------------------------------------------------

    def authenticate(self, name: str, password: str) -> tuple[User | None, str]:
        """(the user, "") when ``password`` is right; else (None, why): "wrong" or
        "locked" (then even the right password is refused until the lock ends)."""
        row = self.db.execute("SELECT name, role, hash, failed, locked_until FROM users "
                              "WHERE name = ?", (name,)).fetchone()
        if row is None:
            _hasher.hash(password[:MAX_PASSWORD] or "x")  # the same work as a real check
            return None, "wrong"
        uname, role, stored, failed, locked_until = row
        now = time.time()
        if locked_until > now:
            return None, "locked"
        try:
            _hasher.verify(stored, password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            failed += 1
            lock = now + LOCK_SECONDS if failed >= LOCK_AFTER else 0
            self.db.execute("UPDATE users SET failed = ?, locked_until = ? WHERE name = ?",
                            (0 if lock else failed, lock, uname))
            return None, "locked" if lock else "wrong"
        if failed:
            self.db.execute("UPDATE users SET failed = 0 WHERE name = ?", (uname,))
        if _hasher.check_needs_rehash(stored):
            self.db.execute("UPDATE users SET hash = ? WHERE name = ?",
                            (_hasher.hash(password), uname))
        return User(uname, role), ""

    def start_session(self, user: User) -> Session:
        sid = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = time.time()
        self.db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                        (sid, user.name, csrf, now, now))
        return Session(sid, user, csrf)

    def session(self, sid: str, idle: float) -> Session | None:
        """The live session ``sid`` (its last use noted), or None when unknown, ended,
        idle for longer than ``idle`` seconds, or its user is gone."""
        row = self.db.execute(
            "SELECT s.user, u.role, s.csrf, s.seen FROM sessions s JOIN users u "
            "ON u.name = s.user WHERE s.sid = ?", (sid,)).fetchone()
        if row is None:
            return None
        name, role, csrf, seen = row
        now = time.time()
        if now - seen > idle:
            self.db.execute("DELETE FROM sessions WHERE sid = ?", (sid,))
            return None
        if now - seen > 30:  # a write per half minute at most
            self.db.execute("UPDATE sessions SET seen = ? WHERE sid = ?", (now, sid))
        return Session(sid, User(name, role), csrf)

    def end_session(self, sid: str) -> None:
        self.db.execute("DELETE FROM sessions WHERE sid = ?", (sid,))

    def end_sessions(self, name: str) -> None:
        self.db.execute("DELETE FROM sessions WHERE user = ?", (name,))
