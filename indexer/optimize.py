"""Merging an index's segments beside imports and searches.

``unionsearch optimize`` merges down to a few segments on demand; ``--tiered`` does
the merges the tiered policy (:mod:`search.storage.merge_policy`) has due, which is also what
an import starts in the background when its commit left one due
(:func:`start_beside`), so a daily import never waits for a large merge.  Merges take
their own lock (one merge at a time), and the import lock only for the moment of the
swap: an import runs while a merge builds (the merge gives up a group the import
changed), and no import sees a segment's files vanish under it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from search.storage import folder as sindex
from search.storage import merge_policy
from search.storage.segments import merge_beside
from search.storage.store import Store

from .locks import held, import_lock

ENV_SWITCH = "UNIONSEARCH_MERGE_BESIDE"  # "0": imports start no background merge
IMPORT_WAIT = 6 * 3600.0  # a merge's swap waits for the import in progress (a rebuild: minutes)


class MergeBusy(Exception):
    """Another merge of the same index is running."""


@dataclass
class Optimized:
    """What ``optimize`` did: segments before and after, and each merged segment's size."""

    before: int
    after: int
    merged: list[int]
    seconds: float

    def as_dict(self) -> dict:
        """The JSON form printed by ``unionsearch optimize --json``."""
        return {"segments_before": self.before, "segments_after": self.after,
                "merged_articles": self.merged, "seconds": round(self.seconds, 2)}


def merge_lock_path(index_dir: str | os.PathLike) -> Path:
    """The merge lock, beside the index folder like the import lock."""
    p = Path(index_dir).resolve()
    return p.parent / f".{p.name}.merge-lock"


@contextmanager
def merge_lock(index_dir: str | os.PathLike, wait: float) -> Iterator[None]:
    """Hold the merge lock, waiting up to ``wait`` seconds (raises :class:`MergeBusy`)."""
    with held(merge_lock_path(index_dir), wait,
              lambda: MergeBusy(f"another merge of {index_dir} is running")):
        yield


def _count(index_dir: str) -> int:
    return len(Store.open(index_dir).committed())


def optimize(index_dir: str | os.PathLike, segments: int | None = 1, tiered: bool = False,
             wait: float = 0.0) -> Optimized:
    """Merge ``index_dir`` down to ``segments`` segments, or (``tiered``) do the merges
    the tiered policy has due.  Raises :class:`MergeBusy`, or
    :class:`search.storage.folder.IndexUnusable` for a folder that is not a usable index."""
    index_dir = str(index_dir)
    sindex.open_index(index_dir)  # a clear error for a missing or foreign index
    choose: Callable[[list], list[list]]
    if tiered:
        choose = merge_policy.beside
    else:
        def choose(segs: list) -> list[list]:
            return merge_policy.down_to(segs, max(int(segments or 1), 1))
    started = time.monotonic()
    with merge_lock(index_dir, wait):
        before = _count(index_dir)
        merged: list[int] = []
        while True:  # a tier merged may fill the next one
            done = merge_beside(index_dir, choose, lambda: import_lock(index_dir, IMPORT_WAIT))
            merged += done
            if not done or not tiered:
                break
        after = _count(index_dir)
    return Optimized(before, after, merged, time.monotonic() - started)


def due(index_dir: str | os.PathLike) -> bool:
    """Whether the tiered policy has a merge to do beside imports."""
    segs = Store.open(str(index_dir)).committed()
    return bool(merge_policy.beside(segs))


def start_beside(index_dir: str | os.PathLike) -> subprocess.Popen | None:
    """Start ``python -m indexer.optimize --tiered`` in the background when a merge is
    due (and :data:`ENV_SWITCH` is not "0"); its output goes to a log beside the index."""
    if os.environ.get(ENV_SWITCH, "1").strip() == "0" or not due(index_dir):
        return None
    p = Path(index_dir).resolve()
    log = open(p.parent / f".{p.name}.merge-log", "ab")
    try:
        return subprocess.Popen([sys.executable, "-m", "indexer.optimize", str(p)],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True,
                                cwd=str(Path(__file__).resolve().parents[1]))
    finally:
        log.close()


def main(argv: list[str] | None = None) -> int:
    """The background merger an import starts: tiered merges, then exit (0 when another
    merge is already running: it will find this one's work too)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        done = optimize(args[0], tiered=True)
    except MergeBusy:
        return 0
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {args[0]}: "
          f"{done.before} -> {done.after} segments, merged {done.merged} in {done.seconds:.1f} s",
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
