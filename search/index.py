"""Opening and creating the on-disk index, and checking it fits this code.

The index folder holds Whoosh's files plus ``unionsearch.json``: the
fingerprint of the analyzer, normaliser, segmenter and user dictionary it was
built with, and the byline names learned while importing.  Opening an index
whose fingerprint differs from the running code stops with instructions to
rebuild, rather than answering with silently wrong results.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage

from . import segment
from .analysis import ANALYZER_VERSION
from .normalize import TABLE_VERSION
from .schema import build_schema

META_FILE = "unionsearch.json"
INDEX_NAME = "articles"


class IndexUnusable(Exception):
    """The index is missing, damaged or built by an incompatible analyzer."""


def default_index_dir() -> str:
    return os.environ.get("UNIONSEARCH_INDEX_DIR") or "index_data"


def fingerprint() -> dict:
    return {
        "analyzer": ANALYZER_VERSION,
        "normalizer": TABLE_VERSION,
        "segmenter": segment.segmenter_version(),
        "userdict": segment.ensure_userdict(),
    }


def read_meta(path: str | os.PathLike) -> dict:
    try:
        return json.loads((Path(path) / META_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise IndexUnusable(f"{Path(path) / META_FILE} is unreadable: {exc}") from exc


def write_meta(path: str | os.PathLike, meta: dict) -> None:
    target = Path(path) / META_FILE
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, target)


class Identity:
    """Which index a folder holds now, told apart from any earlier one there.

    ``--rebuild`` swaps a new folder in whose generation numbers start again
    at 1, so a generation alone does not tell a running server that its index
    was replaced.  The folder's (device, inode) plus the random ``index_id``
    that :func:`create` writes to ``unionsearch.json`` do: an inode may be
    reused by a later folder, an id is copied with a backup, both at once is
    not a coincidence.  The meta file is read only when its own inode, mtime
    or size changed, so a check is two ``stat`` calls (~5 µs).
    """

    def __init__(self, path: str | os.PathLike):
        self.path = str(path)
        self._meta_stat = None
        self._index_id = None

    def current(self) -> tuple:
        folder = os.stat(self.path)
        try:
            st = os.stat(os.path.join(self.path, META_FILE))
            meta_stat = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            meta_stat = None
        if meta_stat != self._meta_stat:
            try:
                self._index_id = read_meta(self.path).get("index_id")
            except IndexUnusable:
                self._index_id = None
            self._meta_stat = meta_stat
        return (folder.st_dev, folder.st_ino, self._index_id)


def exists(path: str | os.PathLike) -> bool:
    return Path(path).is_dir() and windex.exists_in(str(path), indexname=INDEX_NAME)


def create(path: str | os.PathLike):
    """A new empty index at ``path`` (any previous one there is replaced)."""
    Path(path).mkdir(parents=True, exist_ok=True)
    # The fingerprint first: an index only "exists" once Whoosh's table of
    # contents is written, so a crash in between leaves nothing half-made.
    write_meta(path, {"fingerprint": fingerprint(), "names": [],
                      "index_id": uuid.uuid4().hex})
    return windex.create_in(str(path), build_schema(), indexname=INDEX_NAME)


def check_fingerprint(path: str | os.PathLike, meta: dict) -> None:
    have, want = meta.get("fingerprint"), fingerprint()
    if have != want:
        diff = ", ".join(
            f"{k}: index {(have or {}).get(k)!r} vs now {v!r}"
            for k, v in want.items() if (have or {}).get(k) != v)
        raise IndexUnusable(
            f"The index in {path} was built with a different analyzer or dictionary "
            f"({diff}). Rebuild it: unionsearch index --rebuild SOURCES... "
            f"--index-dir {path}")


def open_index(path: str | os.PathLike):
    """Open an existing index for searching, or raise :class:`IndexUnusable`."""
    if not exists(path):
        raise IndexUnusable(
            f"No index in {path}. Create one: unionsearch index FILES... --index-dir {path}")
    meta = read_meta(path)
    check_fingerprint(path, meta)
    segment.add_words(meta.get("names", []))
    try:
        # Whoosh's files by plain reads, not mmap: resident memory then counts
        # what the engine holds.  (The .usx postings are mapped: a query reads
        # a few slices of them, and the kernel shares and evicts those pages.)
        return FileStorage(str(path), supports_mmap=False).open_index(INDEX_NAME)
    except Exception as exc:  # Whoosh raises many kinds for a damaged folder
        raise IndexUnusable(f"The index in {path} cannot be opened: {exc}") from exc


def remember_names(path: str | os.PathLike, names) -> None:
    """Add byline names to the index's dictionary (they also join the segmenter)."""
    meta = read_meta(path)
    known = set(meta.get("names", []))
    new = sorted(set(names) - known)
    if new:
        meta["names"] = sorted(known | set(new))
        write_meta(path, meta)
    segment.add_words(new)
