"""File locks between processes: one import at a time, one merge at a time.

``flock`` on a file beside the index folder (so ``--rebuild``'s swap cannot move it); the
kernel releases it when the holder dies, so a killed import or merge never leaves a
stale lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from search.pausepoints import pause_point


class ImportBusy(Exception):
    """Another import holds the index for longer than we were willing to wait."""


@contextmanager
def held(path: str | os.PathLike, wait: float, busy: Callable[[], Exception],
         notify: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the lock at ``path``, waiting up to ``wait`` seconds; ``notify()`` once when
    it has to wait, and raise ``busy()`` when the wait is over."""
    fh = open(path, "a+")
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise busy() from None
                if not told:
                    notify()
                    pause_point("lock-wait")
                    told = True
                time.sleep(0.2)
        yield
    finally:
        fh.close()


def lock_path(index_dir: str | os.PathLike) -> Path:
    """The import lock: beside the index folder, so ``--rebuild``'s swap cannot move it."""
    p = Path(index_dir).resolve()
    return p.parent / f".{p.name}.import-lock"


@contextmanager
def import_lock(index_dir: str | os.PathLike, wait: float,
                notify: Callable[[str], None] = lambda msg: None) -> Iterator[None]:
    """Hold the import lock (imports, deletes, restores, and a merge's swap)."""
    path = lock_path(index_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    busy = lambda: ImportBusy(  # noqa: E731
        f"another import into {index_dir} is still running after {wait:.0f} s; "
        "try again when it has finished")
    told = lambda: notify(  # noqa: E731
        f"another import into {index_dir} is running; waiting for it to finish…")
    with held(path, wait, busy, told):
        yield
