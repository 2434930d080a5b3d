"""Writing articles into the index: batches, updates, one import at a time.

Articles are committed in batches, so a crash loses at most the batch in
flight and re-running the import finishes the job: ids are stable, an article
already present with the same content is *unchanged*, with other content it
is *updated*, never duplicated.  A file lock beside the index makes a second
import wait (saying so) instead of interleaving.  ``--rebuild`` builds a fresh
index beside the old one and swaps it in only when complete, so searchers
never see a half-built archive.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh.index import LockError

from search import index as sindex
from search.document import to_fields

from .records import Loaded, Rejection

BATCH_SIZE = 1000
WRITER_MB = 256


class ImportBusy(Exception):
    """Another import holds the index for longer than we were willing to wait."""


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    committed: int = 0
    last_committed: str = ""

    @property
    def seen(self) -> int:
        return self.added + self.updated + self.unchanged + len(self.rejected)

    def as_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": [str(r) for r in self.rejected]}


def lock_path(index_dir: str | os.PathLike) -> Path:
    p = Path(index_dir).resolve()
    return p.parent / f".{p.name}.import-lock"


@contextmanager
def import_lock(index_dir, wait: float, notify: Callable[[str], None]):
    """Hold the import lock; a process that dies releases it automatically."""
    path = lock_path(index_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
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
                    raise ImportBusy(
                        f"another import into {index_dir} is still running after "
                        f"{wait:.0f} s; try again when it has finished") from None
                if not told:
                    notify(f"another import into {index_dir} is running; waiting for it to finish…")
                    told = True
                time.sleep(0.2)
        yield
    finally:
        fh.close()


def _open_writer(ix):
    while True:
        try:
            return ix.writer(limitmb=WRITER_MB)
        except LockError:  # a writer outside our lock (e.g. the web app's delete)
            time.sleep(0.1)


class _Batcher:
    """Feeds one Whoosh writer, committing every ``batch_size`` articles."""

    def __init__(self, index_dir: str, ix, summary: Summary, batch_size: int,
                 fresh: bool):
        self.index_dir, self.ix, self.summary = index_dir, ix, summary
        self.batch_size, self.fresh = batch_size, fresh
        self.pending: list[Loaded] = []
        self.seen_ids: dict[str, str] = {}

    def add(self, item: Loaded) -> None:
        art_id = item.article.stable_id()
        first = self.seen_ids.get(art_id)
        if first is not None:
            self.summary.rejected.append(Rejection(
                item.source, item.where,
                f"duplicate id {art_id!r} in this import (first at {first}); kept the first"))
            return
        self.seen_ids[art_id] = item.origin
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        names = {n for it in self.pending for n in it.article.reporters}
        sindex.remember_names(self.index_dir, names)
        searcher = None if self.fresh else self.ix.searcher()
        writer = _open_writer(self.ix)
        try:
            for item in self.pending:
                art = item.article
                fields = to_fields(art)
                docnum = None
                if searcher is not None:
                    docnum = searcher.document_number(id=fields["id"])
                if docnum is None:
                    writer.add_document(**fields)
                    self.summary.added += 1
                elif searcher.stored_fields(docnum).get("digest") == fields["digest"]:
                    self.summary.unchanged += 1
                else:
                    writer.update_document(**fields)
                    self.summary.updated += 1
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        finally:
            if searcher is not None:
                searcher.close()
        self.summary.committed += len(self.pending)
        self.summary.last_committed = self.pending[-1].origin
        self.pending = []


def import_items(index_dir: str, items: Iterable[Loaded | Rejection], *, rebuild: bool = False,
                 batch_size: int = BATCH_SIZE, wait: float = 600.0,
                 notify: Callable[[str], None] = lambda msg: None,
                 progress: Callable[[Loaded | Rejection, Summary], None] | None = None
                 ) -> Summary:
    """Import everything in ``items``; returns what happened to each."""
    index_dir = str(index_dir)
    summary = Summary()
    with import_lock(index_dir, wait, notify):
        target = index_dir
        if rebuild:
            target = f"{index_dir.rstrip('/')}.rebuild-{os.getpid()}"
            shutil.rmtree(target, ignore_errors=True)
            ix = sindex.create(target)
            fresh = True
        elif sindex.exists(index_dir):
            ix = sindex.open_index(index_dir)
            fresh = False
        else:
            ix = sindex.create(index_dir)
            fresh = True
        batcher = _Batcher(target, ix, summary, batch_size, fresh)
        try:
            for item in items:
                if isinstance(item, Rejection):
                    summary.rejected.append(item)
                else:
                    batcher.add(item)
                if progress:
                    progress(item, summary)
            batcher.flush()
        except BaseException:
            if rebuild:
                shutil.rmtree(target, ignore_errors=True)
            raise
        if rebuild:
            _swap_in(target, index_dir)
    return summary


def _swap_in(new_dir: str, index_dir: str) -> None:
    """Replace ``index_dir`` by ``new_dir`` with two renames."""
    old = f"{index_dir.rstrip('/')}.old-{os.getpid()}"
    if os.path.exists(index_dir):
        os.rename(index_dir, old)
    os.rename(new_dir, index_dir)
    shutil.rmtree(old, ignore_errors=True)


def delete_ids(index_dir: str, ids: Iterable[str], wait: float = 600.0,
               notify: Callable[[str], None] = lambda msg: None) -> tuple[list[str], list[str]]:
    """Remove articles by id; returns (deleted, not found)."""
    deleted, missing = [], []
    with import_lock(index_dir, wait, notify):
        ix = sindex.open_index(index_dir)
        with ix.searcher() as s:
            present = {i for i in ids if s.document_number(id=i) is not None}
        writer = _open_writer(ix)
        for art_id in ids:
            if art_id in present:
                writer.delete_by_term("id", art_id)
                deleted.append(art_id)
            else:
                missing.append(art_id)
        writer.commit()
    return deleted, missing
