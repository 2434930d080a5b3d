"""The system under test, driven exactly as users drive it: the installed
``unionsearch`` command for imports and its HTTP API for queries.

Queries go through one keep-alive ``http.client`` connection, so a latency is
what a single user sees (HTTP + Flask + JSON included); the engine's own
``took_ms`` is kept beside it to tell engine time from transport time.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from . import procs
from .queries import BenchQuery

BIN = Path(sys.executable).parent
UNIONSEARCH = str(BIN / "unionsearch")


def dir_bytes(path: str | Path) -> int:
    """Size on disk of everything under ``path``."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def evict_page_cache(index_dir: str | Path) -> None:
    """Drop an index's files from the page cache (``POSIX_FADV_DONTNEED``), so that a
    timing starts as cold for every index compared.  This machine's kernel also pages
    out file pages left unused for a minute (DAMON), so without this an index written
    just before its timing (a fresh rebuild) is timed warmer than one written long ago
    (an aged archive's large segments)."""
    for path in Path(index_dir).iterdir():
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def settle_merges(index_dir: str | Path, limit: float = 3600) -> float:
    """Wait for the merges an import started in the background: until none is due and the
    merge lock is free (taking the lock alone is not enough: the merger an import starts
    may not hold it yet).  Returns the seconds waited.  Queries timed while a merge runs
    share the two cores with it: the first 1,000,000 run did (2026-12-02)."""
    from indexer.optimize import due, merge_lock

    started = time.monotonic()
    while due(index_dir) and time.monotonic() - started < limit:
        time.sleep(1)
    with merge_lock(index_dir, wait=limit):
        pass
    return time.monotonic() - started


@dataclass
class ImportRun:
    articles: int
    seconds: float
    peak_rss_mb: float
    peak_tree_mb: float
    returncode: int
    summary: str


def import_file(corpus: str, index_dir: str | Path, articles: int,
                fresh: bool = True) -> ImportRun:
    """``unionsearch index FILE --index-dir DIR`` as a subprocess."""
    if fresh:
        shutil.rmtree(index_dir, ignore_errors=True)
    done = procs.run([UNIONSEARCH, "index", str(corpus), "--index-dir", str(index_dir)])
    if done.returncode != 0:
        raise RuntimeError(f"unionsearch index failed ({done.returncode}): {done.stderr[-2000:]}")
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    return ImportRun(articles, done.seconds, done.peak_rss_mb, done.peak_tree_mb,
                     done.returncode, last)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def cpu_ms(pid: int) -> float:
    """CPU time (user + system) of process ``pid`` so far, all its threads, in ms."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * _TICK_MS


class Server:
    """``unionsearch serve`` in a child process, with a keep-alive client."""

    def __init__(self, index_dir: str | Path, startup_timeout: float = 180):
        self.index_dir = str(index_dir)
        self.port = free_port()
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None
        self.conn: http.client.HTTPConnection | None = None
        self.startup_seconds = 0.0
        self.peak_rss_mb: float | None = None
        self.peak_tree_mb: float | None = None

    def __enter__(self) -> Server:
        started = time.perf_counter()
        self._log = open(Path(self.index_dir).parent / f"serve-{self.port}.log", "wb")
        self.proc = subprocess.Popen(
            [UNIONSEARCH, "serve", "--index-dir", self.index_dir, "--port", str(self.port)],
            stdout=self._log, stderr=subprocess.STDOUT)
        self._sampler = procs.TreeSampler(self.proc.pid)
        self._sampler.start()
        deadline = started + self.startup_timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"unionsearch serve exited with {self.proc.returncode}")
            try:
                status, _ = self.get("/healthz")
                if status == 200:
                    break
            except OSError:
                self.conn = None
            if time.perf_counter() > deadline:
                raise RuntimeError("unionsearch serve did not answer /healthz in time")
            time.sleep(0.1)
        self.startup_seconds = time.perf_counter() - started
        return self

    def __exit__(self, *exc) -> None:
        if self.conn is not None:
            self.conn.close()
        if self.proc is not None:
            self.peak_rss_mb = procs.vm_hwm_mb(self.proc.pid)
            self.peak_tree_mb = self._sampler.stop()
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def wait_idle(self, window: float = 1.0, busy_ms: float = 20.0,
                  limit: float = 900.0) -> float:
        """Seconds waited until the server spent less than ``busy_ms`` of CPU in ``window``
        seconds with no request: a service answers ``/healthz`` before its background
        thread has built the suggestion tables (seconds of CPU at 150,000 articles, about
        proportional to the archive), and queries timed meanwhile share the interpreter
        with that build."""
        started = time.perf_counter()
        last = cpu_ms(self.proc.pid)
        while time.perf_counter() - started < limit:
            time.sleep(window)
            now = cpu_ms(self.proc.pid)
            if now - last < busy_ms:
                break
            last = now
        return time.perf_counter() - started

    def rss_mb(self) -> float | None:
        return procs.vm_hwm_mb(self.proc.pid) if self.proc else None

    def get(self, path: str) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            self.conn.request("GET", path)
            resp = self.conn.getresponse()
            return resp.status, resp.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise


@dataclass
class Outcome:
    total: int
    engine_ms: float | None = None


class HttpBackend:
    """Runs a :class:`BenchQuery` as ``GET /api/search``."""

    name = "unionsearch"

    def __init__(self, server: Server):
        self.server = server

    def search(self, q: BenchQuery) -> Outcome:
        status, body = self.server.get("/api/search?" + urlencode(q.params()))
        if status != 200:
            raise RuntimeError(f"/api/search {q.params()} → {status}: {body[:300]!r}")
        data = json.loads(body)
        return Outcome(data["total"], data.get("took_ms"))


@dataclass
class DailyRun:
    articles: int
    import_seconds: float
    import_peak_rss_mb: float
    import_peak_tree_mb: float
    visible_after_seconds: float | None
    first_query_ms: float | None  # the first query that sees the new commit
    next_query_ms: float | None


def daily_import(server: Server, daily_path: str, index_dir: str, articles: int, date: str,
                 visible_timeout: float = 60) -> DailyRun:
    """Import the day's file while ``server`` runs, then poll until it shows them."""
    run = import_file(daily_path, index_dir, articles, fresh=False)
    ended = time.perf_counter()
    path = "/api/search?" + urlencode({"q": "", "from": date, "to": date})
    visible = first_ms = next_ms = None
    while time.perf_counter() - ended < visible_timeout:
        t0 = time.perf_counter()
        status, body = server.get(path)
        took = (time.perf_counter() - t0) * 1000
        if status == 200 and json.loads(body)["total"] >= articles:
            visible, first_ms = time.perf_counter() - ended, took
            t0 = time.perf_counter()
            server.get(path)
            next_ms = (time.perf_counter() - t0) * 1000
            break
        time.sleep(0.02)
    return DailyRun(articles, run.seconds, run.peak_rss_mb, run.peak_tree_mb, visible,
                    first_ms, next_ms)
