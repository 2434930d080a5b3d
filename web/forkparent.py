"""The fork parent: worker processes that share the serving process's loaded index.

Why: a worker started as a new interpreter imports the code, loads jieba's dictionary,
opens the index and builds its tables itself, and holds all of it privately.  A process
forked from the serving process once those are loaded has nothing to load, and shares
their memory pages with it until one of them writes there (copy-on-write); the
interpreter's cyclic collector is told to leave the objects alive at the fork alone
(``gc.freeze``), so collections do not write to every page.

A process with threads can only be forked safely at a moment no other thread holds a
lock the child will take.  The serving process has such a moment once: the caller
(:meth:`web.workers.WorkerPool.fork_when_quiet`) forks when the search box's tables are
built and no request is in progress.  What is forked then is this *fork parent*, a
process with one thread for ever, which forks each worker on request (the first ones and
every replacement) and reaps them; the serving process never forks again.

A forked process first makes its descriptors its own (:func:`own_descriptors`): a file
it reads is opened again (a shared handle would share its read position with the
others), and every other inherited descriptor (the listening socket, clients'
connections, write handles, the index lock) is pointed at ``/dev/null``, so the port, a
connection or a lock is released when the serving process releases it.
"""

from __future__ import annotations

import fcntl
import gc
import os
import pickle
import select
import signal
import socket
import stat
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import NoReturn

CONTROL_TIMEOUT = 30.0  # seconds the serving process waits for the fork parent's reply
_MESSAGE = 4096


def own_descriptors(keep: set[int]) -> None:
    """In a forked process: every inherited descriptor but stdio and ``keep`` made this
    process's own (files and folders open for reading opened again at the same position)
    or pointed at ``/dev/null`` (everything else); the numbers stay, so Python objects
    holding them stay valid."""
    devnull = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd <= 2 or fd in keep or fd == devnull:
            continue
        try:
            mode = os.fstat(fd).st_mode
            flags = fcntl.fcntl(fd, fcntl.F_GETFL)
            inheritable = os.get_inheritable(fd)
        except OSError:
            continue  # the listing's own descriptor, closed by now
        new = devnull
        if ((stat.S_ISREG(mode) or stat.S_ISDIR(mode))
                and flags & os.O_ACCMODE == os.O_RDONLY):
            try:  # through /proc: a file deleted since it was opened is opened too
                new = os.open(f"/proc/self/fd/{fd}", os.O_RDONLY | os.O_CLOEXEC)
                if stat.S_ISREG(mode):
                    os.lseek(new, os.lseek(fd, 0, os.SEEK_CUR), os.SEEK_SET)
            except OSError:
                new = devnull
        os.dup2(new, fd, inheritable=inheritable)
        if new != devnull:
            os.close(new)
    os.close(devnull)


def _child_signals() -> None:
    """A forked process ignores the signals the serving process handles, SIGTERM among
    them: a stop sent to the whole process group (Ctrl-C, ``kill -- -PGID``, a supervisor)
    must not end the workers before the serving process, which would see them end and
    start others while it stops.  It ends when the serving process closes its pipe."""
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)  # the serving process decides when to stop



def _run_child(body: Callable[[], None]) -> NoReturn:
    """Run ``body`` in a forked child and end the child there, whatever happens: never back
    into the caller's stack (the serving process's threads and handlers are not ours); a
    failure is said on stderr and the status is 1."""
    status = 1
    try:
        body()
        status = 0
    except BaseException:  # noqa: BLE001 - said on stderr, then this process ends
        traceback.print_exc(file=sys.stderr)
    finally:
        os._exit(status)

class ForkParent:
    """The serving process's end of the fork parent.

    ``entry(conn)`` is what each worker runs (with its end of a pipe to the serving
    process); the fork parent and its workers run ``nice`` steps lower.  Create it only
    at a moment no other thread of this process holds a lock ``entry`` takes."""

    def __init__(self, entry: Callable[[Connection], None], nice: int):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        gc.freeze()  # what is alive now is shared with the children: left alone by the collector
        pid = os.fork()
        if pid == 0:  # the fork parent
            def become_parent() -> None:
                _child_signals()
                own_descriptors({theirs.fileno()})
                os.nice(nice)
                _parent_main(theirs, entry)
            _run_child(become_parent)
        theirs.close()
        ours.settimeout(CONTROL_TIMEOUT)
        self.pid = pid
        self.alive = True
        self._sock = ours
        self._lock = threading.Lock()

    def _ask(self, message: tuple) -> tuple[tuple, list[int]]:
        with self._lock:
            if not self.alive:
                raise OSError("the fork parent has ended")
            try:
                self._sock.send(pickle.dumps(message))
                data, fds, _, _ = socket.recv_fds(self._sock, _MESSAGE, 1)
                if not data:
                    raise EOFError("the fork parent has ended")
            except (OSError, EOFError) as exc:
                self._end()
                raise OSError(f"the fork parent {self.pid} did not answer ({exc})") from None
            return pickle.loads(data), fds

    def fork(self) -> ForkedProcess:
        """A new worker, forked by the fork parent; raises OSError when the fork parent
        cannot (it is gone, or does not answer: it is then killed)."""
        reply, fds = self._ask(("fork",))
        if reply[0] != "forked" or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            raise OSError(f"the fork parent could not fork a worker: {reply[1]}")
        return ForkedProcess(reply[1], Connection(fds[0]), self)

    def kill(self, pid: int) -> int | None:
        """Kill and reap worker ``pid`` (if it has not ended already): its exit status, as
        :attr:`multiprocessing.Process.exitcode` gives it (minus the signal that ended it)."""
        try:
            return self._ask(("kill", pid))[0][1]
        except OSError:  # the fork parent is gone: its orphans are reaped by init
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            return None

    def _end(self) -> None:
        """The fork parent no longer forks: killed and reaped."""
        self.alive = False
        try:
            self._sock.close()
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass

    def ended(self) -> bool:
        """Whether the fork parent has ended (it is then reaped and marked so)."""
        if self.alive:
            try:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                done = self.pid
            if done:
                with self._lock:
                    self.alive = False
                    self._sock.close()
        return not self.alive

    def close(self) -> None:
        """End the fork parent (at shutdown; its workers end when their pipes close)."""
        with self._lock:
            if self.alive:
                self._end()


class ForkedProcess:
    """A worker forked by the fork parent, with what :class:`web.workers.WorkerPool` reads
    of a :class:`multiprocessing.Process`."""

    def __init__(self, pid: int, conn: Connection, parent: ForkParent):
        self.pid, self.conn, self.parent = pid, conn, parent
        self.exitcode: int | None = None
        self._ended = False

    @property
    def sentinel(self) -> int:
        """Readable once the worker has ended (its end of the pipe is closed)."""
        return self.conn.fileno()

    def kill(self) -> None:
        if not self._ended:
            self._ended = True
            self.exitcode = self.parent.kill(self.pid)

    def join(self, timeout: float | None = None) -> None:
        """Nothing to wait for: :meth:`kill` returns once the worker is reaped."""

    def is_alive(self) -> bool:
        if self._ended:
            return False
        try:
            with open(f"/proc/{self.pid}/stat") as fh:
                return fh.read().rpartition(")")[2].split()[0] not in ("Z", "X")
        except OSError:
            return False


def _parent_main(sock: socket.socket, entry: Callable[[Connection], None]) -> None:
    """The fork parent's one thread: fork a worker or kill one when asked, reap those
    that end, and end when the serving process closes its end."""
    children: set[int] = set()
    ended: dict[int, int] = {}

    def reap(pid: int = -1, flags: int = os.WNOHANG) -> None:
        while children:
            try:
                done, status = os.waitpid(pid, flags)
            except ChildProcessError:
                children.clear()
                return
            if not done:
                return
            children.discard(done)
            ended[done] = os.waitstatus_to_exitcode(status)
            if pid != -1:
                return

    while True:
        if not select.select([sock], [], [], 0.5)[0]:
            reap()
            continue
        data = sock.recv(_MESSAGE)
        if not data:
            return  # the serving process has gone; each worker ends when its pipe closes
        message = pickle.loads(data)
        if message[0] == "fork":
            try:
                pid, conn = _fork_worker(sock, entry)
            except OSError as exc:
                sock.send(pickle.dumps(("failed", str(exc))))
                continue
            children.add(pid)
            socket.send_fds(sock, [pickle.dumps(("forked", pid))], [conn.fileno()])
            conn.close()
        elif message[0] == "kill":
            pid = message[1]
            if pid in children:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                reap(pid, 0)
            sock.send(pickle.dumps(("killed", ended.pop(pid, None))))
        reap()


def _fork_worker(sock: socket.socket,
                 entry: Callable[[Connection], None]) -> tuple[int, socket.socket]:
    """Fork one worker running ``entry``: its pid and the serving process's end of its pipe."""
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # the worker
        def become_worker() -> None:
            own_descriptors({theirs.fileno()})
            entry(Connection(theirs.detach()))
        _run_child(become_worker)
    theirs.close()
    return pid, ours
