"""Costly requests computed in worker processes at a lower CPU priority.

Why: the service answers from one Python interpreter, and a thread computing an export,
a trend over the whole archive or a page of a hundred hits holds its lock; a reader's
one-word search beside eight such requests waited for them.  A gate in the same
process did not help (bench/RESULTS.md): the interpreter is the shared thing.  So the
costly requests (:mod:`web.costly` says which) are computed here, in a small pool of
worker processes at a lower priority (``nice``): the operating system's scheduler gives
the serving process the cores first, and its interpreter is left to the cheap searches
and to turning results into pages.

What is true of the pool:

- Given the serving process's engine (``unionsearch serve``), the workers are forked
  from it (:mod:`web.forkparent`) once its tables are built and no request is in
  progress (:meth:`WorkerPool.fork_when_quiet`): they share its loaded code, dictionary
  and index in memory.  Until then, and if the fork parent ends, costly requests are
  computed in the serving process; after the fork parent has ended, workers are started
  as new interpreters that open the index themselves.  Without an engine, every worker
  is such an interpreter.
- A call carries the serving process's generation key; a worker serving an older one
  looks for the newer commit at once, so an import is seen by both alike.
- The serving process's synonyms setting travels with the next call after a change
  (SIGHUP: :meth:`WorkerPool.use_synonyms`): every worker re-reads the file before
  computing anything more.
- While no worker is up (just started, all being replaced), :meth:`WorkerPool.serving`
  is false and costly requests are computed in the serving process.
- A call waits at most ``timeout`` seconds for a free worker and ``timeout`` for its
  answer (an export ``EXPORT_FACTOR`` times as long).  A worker that dies (its pipe
  closes) or does not answer in time is killed (SIGKILL) and a new one is started; the
  request is answered 503 with ``Retry-After`` (:class:`WorkerUnavailable`), never a
  wrong answer and never a wait for ever.
- Answers are the engine's own values (pickled), so a page rendered from them is the
  page the serving process would have rendered; exports are written by the worker to a
  file in the pool's temporary folder, which the serving process streams and removes.
- ``/healthz`` reports :meth:`WorkerPool.health`.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .forkparent import ForkParent

log = logging.getLogger("unionsearch.web")

NICE = 10  # added to a worker's niceness (the default of ``worker_nice``): the serving
# process gets the cores first
WORKER_CACHE_BYTES = 16 << 20  # each worker's search results kept, at most (each also
# keeps its trends, search.reports.trends): what the workers add to the service's memory is bounded
RETRY_AFTER = 5  # seconds a client is told to wait after a 503 (a worker starts in ~1 s)
EXPORT_FACTOR = 10  # an export may take this many times the timeout
START_SECONDS = 120.0  # a worker that is not ready by then is killed and started again
RESTART_PAUSE = 2.0  # seconds between a failed start and the next try


class WorkerUnavailable(Exception):
    """No worker answered: all busy past the wait, or the one asked died or hung.

    Answered 503 with ``Retry-After`` (:func:`web.app.worker_unavailable`)."""

    def __init__(self, reason: str, retry_after: int = RETRY_AFTER):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass(eq=False)
class _Worker:
    proc: Any  # multiprocessing.Process
    conn: Any  # the serving process's end of the pipe
    synonyms: int = -1  # the version of the synonyms setting it was last sent
    calls: int = 0
    started: float = field(default_factory=time.monotonic)


class WorkerPool:
    """``size`` worker processes computing :data:`CALLS` for the serving process."""

    def __init__(self, index_dir: str, synonyms: str | None = None, size: int = 2,
                 timeout: float = 20.0, nice: int = NICE, engine: Any = None):
        """``engine``: the serving process's :class:`~search.engine.Engine`, to fork the
        workers from (at :meth:`fork_when_quiet`); None: each worker a new interpreter."""
        self.index_dir = str(index_dir)
        self.size = size
        self.timeout = float(timeout)
        self.nice = nice
        self.replaced = 0
        self.answered = 0
        self.folder = tempfile.mkdtemp(prefix="unionsearch-exports-")
        self._ctx = multiprocessing.get_context("spawn")
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._starting = 0
        self._closed = False
        self._synonyms = (synonyms or None, 0)
        self._engine = engine
        self.forks: ForkParent | None = None
        if engine is None:
            for _ in range(size):
                self._start()
        threading.Thread(target=self._watch_idle, name="worker-watch", daemon=True).start()

    # -- life of the workers -----------------------------------------------------------

    def fork_when_quiet(self, when_quiet: Callable[[Callable[[], None]], bool]) -> bool:
        """Fork the fork parent and start the workers from it once the engine's background
        preparation is done and ``when_quiet(fork)`` forks (it calls ``fork`` only while
        no other thread uses the engine); whether that is done (or not this pool's way).
        The serving process calls this between requests until it is."""
        engine = self._engine
        if engine is None or self._closed:
            return True
        preparing = engine.preparing
        if preparing is not None and preparing.is_alive():
            return False
        if not when_quiet(self._fork_parent):
            return False
        for _ in range(self.size):
            self._start()
        return True

    def _fork_parent(self) -> None:
        engine, self._engine = self._engine, None
        try:
            self.forks = ForkParent(functools.partial(forked_worker_main, engine=engine),
                                    self.nice)
        except OSError as exc:  # out of memory or processes: the workers are interpreters
            log.error("could not fork the costly-request workers' fork parent (%s); they are "
                      "started as new interpreters (each opens the index itself)", exc)

    def _start(self, pause: float = 0.0) -> None:
        """Start one worker in the background (its interpreter takes a moment)."""
        with self._cond:
            if self._closed:
                return
            self._starting += 1
        threading.Thread(target=self._spawn, args=(pause,), name="worker-start",
                         daemon=True).start()

    def _spawn(self, pause: float) -> None:
        if pause:
            time.sleep(pause)
        worker = None
        try:
            worker = self._forked() or self._spawned()
            parent = worker.conn
            if not parent.poll(START_SECONDS):
                raise RuntimeError(f"not ready after {START_SECONDS:.0f} s")
            kind, detail = parent.recv()
            if kind != "ready":
                raise RuntimeError(detail)
        except (OSError, EOFError, RuntimeError) as exc:
            log.error("costly-request worker did not start (%s); trying again", exc)
            if worker is not None:
                self._kill(worker)
            with self._cond:
                self._starting -= 1
            self._start(RESTART_PAUSE)
            return
        with self._cond:
            self._starting -= 1
            if self._closed:
                self._kill(worker)
                return
            self._idle.append(worker)
            self._cond.notify()

    def _forked(self) -> _Worker | None:
        """A worker forked by the fork parent (its synonyms are the ones the serving process
        had at the fork: version 0); None when there is no fork parent (any more)."""
        forks = self.forks
        if forks is None:
            return None
        try:
            if forks.ended():
                raise OSError(f"the fork parent {forks.pid} has ended")
            proc = forks.fork()
        except OSError as exc:
            log.error("%s; costly-request workers are started as new interpreters from now "
                      "on (each opens the index itself)", exc)
            self.forks = None
            return None
        return _Worker(proc, proc.conn, 0)

    def _spawned(self) -> _Worker:
        """A worker started as a new interpreter, which opens the index itself."""
        parent, child = self._ctx.Pipe()
        with self._cond:
            synonyms, version = self._synonyms
        proc = self._ctx.Process(target=worker_main, name="unionsearch-worker",
                                 args=(child, self.index_dir, synonyms, self.nice),
                                 daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent, version)

    def _kill(self, worker: _Worker) -> None:
        """End ``worker`` for good (SIGKILL: a stopped process ends too) and reap it."""
        try:
            worker.proc.kill()
            worker.proc.join(5)
        except (OSError, ValueError, AssertionError):
            pass
        try:
            worker.conn.close()
        except OSError:
            pass

    def _replace(self, worker: _Worker, why: str) -> None:
        """``worker`` died or hung: killed, forgotten, and a new one started."""
        log.error("costly-request worker %s %s; replacing it", worker.proc.pid, why)
        self._kill(worker)
        with self._cond:
            self._busy.discard(worker)
            if worker in self._idle:
                self._idle.remove(worker)
            self.replaced += 1
        self._start()

    def _watch_idle(self) -> None:
        """Replace an idle worker that died (killed from outside, out of memory)."""
        while True:
            with self._cond:
                if self._closed:
                    return
                idle = list(self._idle)
            sentinels = {w.proc.sentinel: w for w in idle}
            if not sentinels:
                time.sleep(0.5)
                continue
            try:
                ready = multiprocessing.connection.wait(list(sentinels), timeout=0.5)
            except OSError:
                continue
            for s in ready:
                w = sentinels[s]
                with self._cond:
                    still_idle = w in self._idle
                    if still_idle:
                        self._idle.remove(w)
                if still_idle:
                    self._kill(w)  # reaped: its exit status is known
                    self._replace(w, f"ended (exit status {w.proc.exitcode})")

    def close(self) -> None:
        """Stop every worker and remove the pool's temporary folder (at shutdown)."""
        with self._cond:
            self._closed = True
            workers = self._idle + list(self._busy)
            self._idle, self._busy = [], set()
            self._cond.notify_all()
        for w in workers:
            self._kill(w)
        if self.forks is not None:
            self.forks.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- what the serving process asks --------------------------------------------------

    def use_synonyms(self, path: str | None) -> None:
        """The synonyms setting now (SIGHUP): each worker re-reads it before its next call."""
        with self._cond:
            self._synonyms = (path or None, self._synonyms[1] + 1)

    def waiting_to_fork(self) -> bool:
        """Whether the workers are still to be forked (:meth:`fork_when_quiet`)."""
        return self._engine is not None

    def serving(self) -> bool:
        """Whether any worker is up (idle or busy); while none is (the service has just
        started, or every worker is being replaced), costly requests are computed in the
        serving process rather than refused."""
        with self._cond:
            return bool(self._idle or self._busy)

    def _take(self, deadline: float) -> _Worker:
        with self._cond:
            while not self._idle:
                left = deadline - time.monotonic()
                if self._closed or left <= 0:
                    raise WorkerUnavailable("every costly-request worker is busy or starting")
                self._cond.wait(left)
            worker = self._idle.pop()
            self._busy.add(worker)
            return worker

    def _give_back(self, worker: _Worker) -> None:
        with self._cond:
            self._busy.discard(worker)
            if self._closed:
                self._kill(worker)
                return
            self._idle.append(worker)
            self._cond.notify()

    def call(self, method: str, args: tuple, generation: tuple, export: bool = False) -> Any:
        """``CALLS[method](engine, *args)`` in a worker whose index is at ``generation``
        or newer; its value, or the exception it raised; :class:`WorkerUnavailable` when
        no worker answers."""
        timeout = self.timeout * (EXPORT_FACTOR if export else 1)
        worker = self._take(time.monotonic() + self.timeout)
        try:
            with self._cond:
                synonyms, version = self._synonyms
            if worker.synonyms != version:
                worker.conn.send(("synonyms", synonyms))
                worker.synonyms = version
            worker.conn.send(("call", method, args, generation))
            if not worker.conn.poll(timeout):
                self._replace(worker, f"did not answer {method} within {timeout:.0f} s")
                raise WorkerUnavailable(f"a worker did not answer within {timeout:.0f} s")
            kind, value = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(worker, f"died during {method} ({exc.__class__.__name__})")
            raise WorkerUnavailable("the worker computing this request ended") from None
        worker.calls += 1
        with self._cond:
            self.answered += 1
        self._give_back(worker)
        if kind == "ok":
            return value
        raise rebuilt(value)

    def health(self) -> dict:
        """For ``/healthz``: how many workers there should be, are ready, busy and
        starting, how many were replaced, how many calls they answered, their priority
        and process ids."""
        with self._cond:
            ready = [w for w in self._idle + list(self._busy) if w.proc.is_alive()]
            forks = self.forks
            return {"size": self.size, "ready": len(ready), "busy": len(self._busy),
                    "starting": self.size if self.waiting_to_fork() else self._starting,
                    "replaced": self.replaced, "answered": self.answered,
                    "nice": self.nice, "pids": sorted(w.proc.pid for w in ready),
                    "fork_parent": forks.pid if forks is not None and not forks.ended()
                    else None}


# -- exceptions across the pipe ------------------------------------------------------------

def portable(exc: BaseException) -> tuple:
    """An exception as something that unpickles: the request errors by their fields (their
    constructors take more than ``args``), others pickled, or a RuntimeError naming them."""
    from search.reports.export import TooManyRows
    from search.retrieval.request import BadRequest

    if isinstance(exc, TooManyRows):
        return ("too-many", exc.total, exc.limit)
    if isinstance(exc, BadRequest):
        return ("bad", str(exc), exc.message_zh, exc.param)
    try:
        data = pickle.dumps(exc)
        pickle.loads(data)
        return ("pickled", data)
    except Exception:  # noqa: BLE001 - any exception may fail to travel
        return ("pickled", pickle.dumps(RuntimeError(f"in a worker: {exc!r}")))


def rebuilt(value: tuple) -> BaseException:
    """The exception :func:`portable` described."""
    from search.reports.export import TooManyRows
    from search.retrieval.request import BadRequest

    if value[0] == "too-many":
        return TooManyRows(value[1], value[2])
    if value[0] == "bad":
        return BadRequest(value[1], value[2], value[3])
    return pickle.loads(value[1])


# -- the worker process ----------------------------------------------------------------------

def _search(engine, req):  # noqa: ANN001, ANN202
    return engine.search(req)


def _trend(engine, treq):  # noqa: ANN001, ANN202
    return engine.trend(treq)


def _export(engine, req, full_text, kind, link_base, folder):  # noqa: ANN001, ANN202
    from .costly import write_export

    return write_export(engine, req, full_text, kind, link_base, folder)


CALLS: dict[str, Callable] = {"search": _search, "trend": _trend, "export": _export}


def worker_main(conn, index_dir: str, synonyms: str | None, nice: int) -> None:  # noqa: ANN001
    """A new interpreter's life as a worker: lower its priority, open the engine, say
    ready, then answer calls until the serving process closes the pipe."""
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)  # the serving process decides when to stop
    try:
        os.nice(nice)
        from search.engine import Engine

        engine = Engine(index_dir, synonyms_file=synonyms, cache_bytes=WORKER_CACHE_BYTES)
    except Exception as exc:  # noqa: BLE001 - reported to the pool, which logs it
        conn.send(("failed", f"{exc.__class__.__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    answer(conn, engine)


def forked_worker_main(conn, engine) -> None:  # noqa: ANN001
    """A forked worker's life (:mod:`web.forkparent`): the serving process's engine as it
    was at the fork, its cache this worker's own, then answer calls until the serving
    process closes the pipe."""
    engine.as_worker(WORKER_CACHE_BYTES)
    conn.send(("ready", os.getpid()))
    answer(conn, engine)


def answer(conn, engine) -> None:  # noqa: ANN001
    """Answer the serving process's calls on ``conn`` until it closes the pipe."""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the serving process has gone
        if message[0] == "synonyms":
            try:
                engine.use_synonyms(message[1])
            except Exception:  # noqa: BLE001 - the serving process checked it; keep going
                traceback.print_exc(file=sys.stderr)
            continue
        _, method, args, generation = message
        try:
            if engine.state().key != generation:
                engine.notice_commit()  # the serving process has seen a newer commit
            reply = ("ok", CALLS[method](engine, *args))
        except Exception as exc:  # noqa: BLE001 - sent back, raised in the serving process
            from search.retrieval.request import BadRequest

            if not isinstance(exc, BadRequest):
                traceback.print_exc(file=sys.stderr)
            reply = ("raise", portable(exc))
        conn.send(reply)
