"""Helpers for tests: paths, a real index on disk, the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from indexer.writer import import_items
from search.document import Article
from search.engine import Engine

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
# The project's own copies of what tests read: a clone passes its suite without ../shared,
# which holds the acceptance checks (run only where it is present).
SHARED = REPO.parent / "shared"
CORPUS = DATA / "pd1998-01-a.jsonl"
EPAPER_SAMPLE = DATA / "epaper-sample.html"
SAMPLE = REPO / "web" / "sample" / "page-2022-09-30.txt"
BIN = Path(sys.executable).parent


# Commands that live on after they are started, or whose test is the process itself: always
# a process of their own.
OWN_PROCESS = frozenset({"serve", "watch"})


def unionsearch(*args: str, env: dict | None = None, timeout: float = 300,
                cwd: str | None = None, input: str | None = None,
                process: bool = False) -> subprocess.CompletedProcess:
    """Run the ``unionsearch`` command line, as a user would, to its end.

    By default in this process: :func:`web.cli.main`, the installed script's own entry
    point, with its arguments, environment, working folder, standard streams and exit
    status as a process would have them (:func:`in_process`), which spares the start of a
    Python process and jieba's dictionary per call.  ``process=True`` (and ``serve`` and
    ``watch``, which outlive the call) runs the installed console script instead, where
    the test is about the process itself: its exit status as the shell sees it, signals,
    a crash, what it leaves behind when killed.  ``timeout`` bounds a process only.
    """
    if not process and not (args and args[0] in OWN_PROCESS):
        return in_process(*args, env=env, cwd=cwd, input=input)
    exe = BIN / "unionsearch"
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=full_env,
                          timeout=timeout, cwd=cwd, input=input)


def in_process(*args: str, env: dict | None = None, cwd: str | None = None,
               input: str | None = None) -> subprocess.CompletedProcess:
    """``unionsearch ARGS`` run by :func:`web.cli.main` in this process, under click's
    ``CliRunner`` isolation: ``env`` over this process's environment, ``cwd`` as the working
    folder, ``input`` (or nothing) as standard input, stdout and stderr captured as text; the exit status is the
    ``SystemExit`` code, and an uncaught exception is printed and gives 1, as Python does.
    The environment, working folder, signal handlers and ``sys.argv`` are put back after."""
    import signal
    import traceback

    from click.testing import CliRunner

    from web.cli import main

    saved_env, saved_cwd, saved_argv = dict(os.environ), os.getcwd(), sys.argv
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT,
                                                         signal.SIGHUP)}
    runner = CliRunner()
    code: int = 0
    try:
        with runner.isolation(input=input, env=env) as (out, err, _mixed):
            sys.argv = [str(BIN / "unionsearch"), *args]
            if cwd is not None:
                os.chdir(cwd)
            try:
                main()
            except SystemExit as exc:
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:
                    print(exc.code, file=sys.stderr)
                    code = 1
            except KeyboardInterrupt:
                traceback.print_exc()
                code = 130
            except Exception:  # noqa: BLE001 - what the interpreter does with it
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            stdout = out.getvalue().decode("utf-8", "surrogateescape")
            stderr = err.getvalue().decode("utf-8", "surrogateescape")
    finally:
        sys.argv = saved_argv
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    return subprocess.CompletedProcess(["unionsearch", *args], code, stdout, stderr)


def build_index(path: Path, articles: list[Article | dict]) -> Engine:
    """A real index on disk holding ``articles``."""
    from indexer.records import Loaded

    items = []
    for n, art in enumerate(articles, 1):
        if isinstance(art, dict):
            art = Article(**art)
        items.append(Loaded(art, "test", f"article {n}"))
    import_items(str(path), items)
    return Engine(str(path))


def built_once(tmp_path_factory, name: str, build) -> Path:
    """The folder ``name`` made by ``build(path)`` once per test run and shared by the run's
    processes (pytest-xdist workers): the first to ask builds it under a lock in the run's
    temporary root, the others wait for it and read it.  For fixtures that are only read;
    a folder left half built by a failed ``build`` is built again."""
    import fcntl
    import shutil

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's root, above each worker's own
    path, done = root / name, root / f"{name}.built"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(path, ignore_errors=True)
            path.mkdir(parents=True)
            build(path)
            done.touch()
    return path


# -- reliability and fuzz tests: real servers, real processes -------------------------------
# (appended for tests/test_reliability*.py and tests/test_fuzz*.py)

def corpus_rows(n: int, *, prefix: str = "r", body_chars: int | None = None,
                start: int = 0) -> list[dict]:
    """``n`` real articles from CORPUS, cycled, with new ids ``{prefix}{number:06d}``.

    ``body_chars`` cuts each body short: the importer's cost is per distinct term, so short
    bodies give thousands of real articles in seconds.  The k-th time round the corpus
    moves its articles k months on (same year): the same story on the same day is one
    article however many ids it comes with (indexer/merges.py), so a copy needs another
    day to count as another article.  Rows ``start`` … ``start + n`` of two calls with
    different prefixes are the same stories only where those ranges overlap.
    """
    import json

    with open(CORPUS, encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    rows = []
    for i in range(start, start + n):
        row = dict(docs[i % len(docs)])
        row["id"] = f"{prefix}{i:06d}"
        rounds = i // len(docs)
        if rounds:
            year, month, day = map(int, row["date"].split("-"))
            year, month = year + (month - 1 + rounds) // 12, (month - 1 + rounds) % 12 + 1
            row["date"] = f"{year:04d}-{month:02d}-{min(day, 28):02d}"
        if body_chars is not None:
            row["body"] = row["body"][:body_chars]
        rows.append(row)
    return rows


def varied_texts(seed: int, n: int) -> list[str]:
    """Real article text cut at random, with spaces, line breaks, empties and astral characters."""
    import random

    rnd = random.Random(seed)
    rows = corpus_rows(n, prefix="p", body_chars=400)
    out = []
    for row in rows:
        body = row["body"]
        cut = rnd.randrange(len(body) + 1)
        extra = rnd.choice(["", " ", "\n", "𠀋𠀋", "Ａ１ a1", "工匠 精神"])
        out.append(body[:cut] + extra + body[cut:])
    out[rnd.randrange(n)] = ""
    return out


def committed_segments_of(idx) -> list:
    """The segments of the index in ``idx``'s last committed generation."""
    from search.storage.store import Store

    return Store.open(str(idx)).committed()


def write_jsonl(path: Path, rows: list[dict], encoding: str = "utf-8") -> Path:
    import json

    Path(path).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                          encoding=encoding)
    return Path(path)


def import_in_parts(folder: Path, rows: list[dict], parts: int) -> str:
    """An index in ``folder``/idx built by ``parts`` imports of ``rows`` (one segment each,
    for tests of what spans segments); returns its path."""
    from indexer.readers import read
    from indexer.writer import import_items

    idx = str(Path(folder) / "idx")
    per = len(rows) // parts
    for k in range(parts):
        part = write_jsonl(Path(folder) / f"part{k}.jsonl", rows[k * per : (k + 1) * per])
        assert import_items(idx, read([str(part)])).added == per
    return idx


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_unionsearch(*args: str, log: Path | None = None, env: dict | None = None):
    """``unionsearch ARGS`` in the background, in its own process group (see ``kill_group``)."""
    exe = BIN / "unionsearch"
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the child
    try:
        return subprocess.Popen([str(exe), *args], stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})}, start_new_session=True)
    finally:
        if log:
            out.close()


def kill_group(proc: subprocess.Popen, sig: int | None = None) -> None:
    """Signal a process started by ``start_unionsearch`` and all its children; reap it."""
    import signal

    try:
        os.killpg(proc.pid, sig if sig is not None else signal.SIGKILL)
    except ProcessLookupError:  # not a group leader (started otherwise): the process alone
        if proc.poll() is None:
            proc.send_signal(sig if sig is not None else signal.SIGKILL)
    proc.wait(timeout=60)


def group_states(pgid: int) -> list[tuple[int, str]]:
    """(pid, state letter from ``/proc/<pid>/stat``) of every process in group ``pgid``."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                fields = fh.read().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            found.append((int(entry.name), fields[0]))
    return found


def _stopped_in_group(pgid: int) -> int | None:
    """The pid of a stopped process (state ``T``) in process group ``pgid``, if any."""
    return next((pid for pid, state in group_states(pgid) if state == "T"), None)


def wait_paused(proc: subprocess.Popen, log: Path | None = None, hang_s: float = 300) -> int:
    """Wait until a process started by ``start_unionsearch`` with ``UNIONSEARCH_PAUSE_AT``
    (:mod:`search.pausepoints`) has stopped itself at a named step; returns its pid.

    Fails if the command ends without reaching the step.  ``hang_s`` only guards against
    a hang: nothing here depends on how long the step takes to reach."""
    import time

    deadline = time.monotonic() + hang_s
    while True:
        pid = _stopped_in_group(proc.pid)
        if pid is not None:
            return pid
        if proc.poll() is not None:
            raise AssertionError(f"exited ({proc.returncode}) without reaching the pause point: "
                                 + (log.read_text(errors="replace") if log else ""))
        assert time.monotonic() < deadline, "hung before the pause point"
        time.sleep(0.005)


def _switches(pid: int) -> int | None:
    """Context switches of all of ``pid``'s threads so far (None once it is gone)."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/status") as fh:
                total += sum(int(line.split()[1]) for line in fh
                             if line.endswith("ctxt_switches:", 0, line.find(":") + 1))
    except (OSError, ValueError):
        return None
    return total


def resume(pid: int) -> None:
    """Let a process stopped at a pause point go on; returns once it has.

    It has gone on when it is no longer stopped, or when it is stopped again after
    running (its threads' context switches moved): a process that reaches its next pause
    point before this looks must not be mistaken for one still held at the last."""
    import signal

    before = _switches(pid)
    os.kill(pid, signal.SIGCONT)
    while True:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rpartition(")")[2].split()[0] != "T":
                    return
        except OSError:
            return
        if _switches(pid) != before:
            return


def wait_healthy(base: str, proc: subprocess.Popen, log=None,
                 ready=lambda body: True, hang_s: float = 90, path: str = "/healthz") -> None:
    """Until ``base`` answers 200 at ``path`` with a body ``ready`` accepts; fails with the
    server's log (``log``: a file, or a function that returns its text) if it exits.  The
    one loop every test that starts a server waits in; its deadline only guards against a
    hang."""
    import time

    def said() -> str:
        return "" if log is None else log() if callable(log) else log.read_text(errors="replace")

    deadline = time.monotonic() + hang_s
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited with {proc.returncode}: " + said())
        try:
            status, _, body = http_get(base, path, timeout=5)
            if status == 200 and ready(body):
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            kill_group(proc)
            raise AssertionError(f"the server did not answer {path} in {hang_s:.0f} s: "
                                 + said())
        time.sleep(0.1)


def run_through(proc: subprocess.Popen, log: Path | None = None, hang_s: float = 300) -> int:
    """Let a process started with ``UNIONSEARCH_PAUSE_AT`` go on past every pause until it
    ends; returns its exit code."""
    import time

    deadline = time.monotonic() + hang_s
    while proc.poll() is None:
        pid = _stopped_in_group(proc.pid)
        if pid is not None:
            resume(pid)
        assert time.monotonic() < deadline, "hung: " + (log.read_text() if log else "")
        time.sleep(0.005)
    return proc.returncode


def http_get(base: str, path_and_query: str, method: str = "GET", timeout: float = 30,
             body: bytes | None = None, headers: dict | None = None):
    """(status, headers, body bytes) for a raw request target, sent exactly as given."""
    import http.client
    from urllib.parse import urlsplit

    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.putrequest(method, path_and_query, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


class Server:
    """``unionsearch serve`` over ``index_dir`` (None: the one the settings name) on a free
    port, as a real subprocess, with extra command-line ``args``, ``threads`` (None: the
    settings') and environment ``env``; ready once ``/healthz`` answers (with status ``ok``
    when ``healthy``).

    The one way tests start a server (its deadline only guards against a hang)."""

    def __init__(self, index_dir, *args: str, log: Path | None = None,
                 threads: int | None = 8, metrics: bool = False, env: dict | None = None,
                 healthy: bool = True):
        self.index_dir = None if index_dir is None else str(index_dir)
        self.log, self.threads = log, threads
        self.metrics, self.args, self.env, self.healthy = metrics, args, env or {}, healthy
        self.proc = None
        self.base = ""

    def text(self) -> str:
        """The server's output so far ('' without a log)."""
        return self.log.read_text(errors="replace") if self.log and self.log.exists() else ""

    def __enter__(self) -> Server:
        import json

        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.proc = start_unionsearch(
            "serve", *(["--index-dir", self.index_dir] if self.index_dir is not None else []),
            "--port", str(port), *(["--threads", str(self.threads)] if self.threads else []),
            *(["--metrics"] if self.metrics else []), *self.args, log=self.log, env=self.env)
        wait_healthy(self.base, self.proc, self.log,
                     lambda body: not self.healthy or json.loads(body)["status"] == "ok")
        return self

    def documents(self) -> int:
        import json

        status, _, body = http_get(self.base, "/healthz")
        assert status == 200, body
        return json.loads(body)["documents"]

    def __exit__(self, *exc) -> None:
        import signal

        if self.proc is not None and self.proc.poll() is None:
            kill_group(self.proc, signal.SIGTERM)

    def stop(self) -> int:
        """SIGTERM to the server alone (not its group), as systemd sends it; its exit status."""
        import signal

        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(60)
            except Exception:
                kill_group(self.proc)
                raise
        return self.proc.returncode


def console_errors(page) -> list[str]:
    """The browser console's errors on ``page`` from now on (a CSP violation shows up here)."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    return found


# -- settings and service tests: the command line with a clean environment -----------------

CLEAN = {k: "" for k in ("UNIONSEARCH_CONFIG", "UNIONSEARCH_INDEX_DIR", "UNIONSEARCH_PORT",
                         "UNIONSEARCH_HOST", "UNIONSEARCH_THREADS", "UNIONSEARCH_SITE_TITLE",
                         "UNIONSEARCH_METRICS", "UNIONSEARCH_LOG_FORMAT",
                         "UNIONSEARCH_LOG_QUERIES", "UNIONSEARCH_SYNONYMS",
                         "UNIONSEARCH_PREFIX", "UNIONSEARCH_CORS_ORIGINS",
                         "UNIONSEARCH_WORKERS", "UNIONSEARCH_WORKER_TIMEOUT",
                         "UNIONSEARCH_WORKER_NICE")}


def config_lines(*args: str, env: dict | None = None) -> dict[str, tuple[str, str]]:
    """``unionsearch config`` as {key: (value, source)}."""
    import re

    done = unionsearch("config", *args, env={**CLEAN, **(env or {})})
    assert done.returncode == 0, done.stderr
    out = {}
    for line in done.stdout.splitlines():
        m = re.match(r"^(\w+)\s*= (.*?)\s+# (.*)$", line)
        assert m, line
        out[m.group(1)] = (m.group(2), m.group(3))
    return out


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


class Serving(Server):
    """``unionsearch serve ARGS`` on a free port with its output in a log file in ``tmp``,
    started with a clean environment (only ``env`` and the flags set anything, the index
    folder included); started at once and ready once ``/healthz`` answers."""

    def __init__(self, tmp: Path, *args: str, env: dict | None = None):
        log = tmp / f"serve-{len(list(tmp.glob('serve-*.log')))}.log"
        super().__init__(None, *args, log=log, threads=None, env={**CLEAN, **(env or {})},
                         healthy=False)
        self.__enter__()

    def get(self, target: str) -> tuple[int, bytes]:
        status, _, body = http_get(self.base, target)
        return status, body


def unit_service(name: str) -> dict[str, list[str]]:
    """The ``[Service]`` settings of ``deploy/NAME`` (each key: its values in order)."""
    out: dict[str, list[str]] = {}
    section = ""
    for line in (REPO / "deploy" / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            out.setdefault(key, []).append(value)
    return out
