"""The index folder: creating and opening it, and checking it fits this code.

The folder holds the store's files (:mod:`search.storage.store`: Whoosh's), one ``.usx`` file
per segment (:mod:`search.storage.usx`), and ``unionsearch.json``: the fingerprint of the
store's format, the analyzer, normaliser, segmenter and user dictionary it was built
with, and the byline names learned while importing.  Opening an index whose
fingerprint differs from the running code stops with instructions to rebuild, rather
than answering with silently wrong results.

``unionsearch.json`` carries its own checksum and stays a JSON file: it is written
as ``{"crc32c": "<8 hex digits>", "meta": <the meta object>}`` with exactly that
prefix, the CRC32C taken over the bytes of the meta object, so a reader checks the
bytes before it parses any of them (:func:`read_meta`).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from ..pausepoints import pause_point
from ..text import wordseg
from ..text.analysis import ANALYZER_VERSION
from ..text.normalize import TABLE_VERSION
from . import checksum
from .store import STORE_FORMAT, Store, StoreDamaged
from .store import exists_in as store_exists_in
from .usx import FORMAT_TAG, SegmentFileError
from .usx.varint import DamagedPostings

META_FILE = "unionsearch.json"


class IndexUnusable(Exception):
    """The index is missing, damaged or built by an incompatible analyzer."""


class IndexDamaged(IndexUnusable):
    """A file of the index is damaged (or was crafted): the message names it and the fix."""


# Every error that means "a file of the index is damaged (or crafted)", wherever it is
# found: at open (IndexDamaged, SegmentFileError), reading postings (DamagedPostings) or
# reading the store (StoreDamaged: a TOC failing its checksum, a refused pickle).  The
# web app answers them 503, the CLI exits 2.
DAMAGE: tuple[type[Exception], ...] = (IndexDamaged, DamagedPostings, SegmentFileError,
                                       StoreDamaged)


def damaged(path: str | os.PathLike, what: object) -> IndexDamaged:
    """The error for damage found in the index at ``path``: what, and what to do."""
    return IndexDamaged(
        f"The index in {path} is damaged or untrusted ({what}). Run unionsearch check "
        f"--index-dir {path}, then restore a backup (unionsearch restore) or rebuild "
        f"(unionsearch index --rebuild SOURCES... --index-dir {path})")


def default_index_dir() -> str:
    """``$UNIONSEARCH_INDEX_DIR``, else ``./index_data`` (CONTRACT.md)."""
    return os.environ.get("UNIONSEARCH_INDEX_DIR") or "index_data"


def fingerprint() -> dict:
    """What the running code indexes with: an index built with anything else must be rebuilt."""
    return {
        "store": STORE_FORMAT,
        "analyzer": f"{ANALYZER_VERSION}+{FORMAT_TAG}",
        "normalizer": TABLE_VERSION,
        "segmenter": wordseg.segmenter_version(),
        "userdict": wordseg.ensure_userdict(),
    }


_META_HEAD = b'{"crc32c": "'
_META_MID = b'", "meta": '


def _meta_bytes(data: bytes, where: Path) -> bytes:
    """The meta object's bytes of a ``unionsearch.json``, after its checksum was checked;
    raises :class:`IndexDamaged`, or :class:`IndexUnusable` for a file without one
    (written by an older unionsearch)."""
    start = len(_META_HEAD) + 8 + len(_META_MID)
    if not data.startswith(_META_HEAD) or data[start - len(_META_MID):start] != _META_MID:
        if data.startswith(b'{\n "fingerprint": {'):  # as the versions before wrote it
            raise IndexUnusable(
                f"{where} has no checksum: the index was built by an older unionsearch. "
                f"Rebuild it: unionsearch index --rebuild SOURCES... --index-dir {where.parent}")
        raise damaged(where.parent, f"{where.name} is not a unionsearch meta file")
    body = data[start:].rstrip(b"\n")
    if not body.endswith(b"}"):
        raise damaged(where.parent, f"{where.name} is cut short")
    body = body[:-1]
    try:
        want = int(data[len(_META_HEAD):start - len(_META_MID)], 16)
    except ValueError:
        raise damaged(where.parent, f"{where.name}: its checksum is unreadable") from None
    if checksum.crc(body) != want:
        raise damaged(where.parent, f"{where.name}: its bytes do not match its checksum")
    return body


def read_meta(path: str | os.PathLike) -> dict:
    """``unionsearch.json`` of the index at ``path`` ({} when there is none), its
    checksum checked before it is parsed."""
    where = Path(path) / META_FILE
    try:
        data = where.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise IndexUnusable(f"{where} is unreadable: {exc}") from exc
    body = _meta_bytes(data, where)
    try:
        meta = json.loads(body.decode("utf-8"))
    except ValueError as exc:  # a checksum that holds over bytes that are not JSON: crafted
        raise damaged(path, f"{META_FILE} is not JSON: {exc}") from None
    if not isinstance(meta, dict):
        raise damaged(path, f"{META_FILE} does not hold an object")
    return meta


def meta_text(meta: dict) -> bytes:
    """The bytes of ``unionsearch.json`` holding ``meta``, with its checksum."""
    body = json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8")
    return b"%s%08x%s%s}\n" % (_META_HEAD, checksum.crc(body), _META_MID, body)


def write_meta(path: str | os.PathLike, meta: dict) -> None:
    """Replace ``unionsearch.json`` atomically (a temporary file, then a rename)."""
    target = Path(path) / META_FILE
    tmp = target.with_suffix(".tmp")
    try:
        tmp.write_bytes(meta_text(meta))
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
        raise


class Identity:
    """Which index a folder holds now, told apart from any earlier one there.

    ``--rebuild`` swaps a new folder in whose generation numbers start again
    at 1, so a generation alone does not tell a running server that its index
    was replaced.  The folder's (device, inode) plus the random ``index_id``
    that :func:`create` writes to ``unionsearch.json`` do: an inode may be
    reused by a later folder, an id is copied with a backup, both at once is
    not a coincidence.  The meta file is read only when its own inode, mtime
    or size changed, so a check is two ``stat`` calls.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = str(path)
        self._meta_stat = None
        self._index_id = None

    def current(self) -> tuple:
        """(device, inode, index id) of what the folder holds now."""
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
    """Whether ``path`` holds a committed index (a table of contents), by file names
    alone: nothing is read before the fingerprint is checked."""
    return Path(path).is_dir() and store_exists_in(str(path))


def create(path: str | os.PathLike) -> Store:
    """A new empty index at ``path`` (any previous one there is replaced)."""
    Path(path).mkdir(parents=True, exist_ok=True)
    # The fingerprint first: an index only "exists" once Whoosh's table of
    # contents is written, so a crash in between leaves nothing half-made.
    write_meta(path, {"fingerprint": fingerprint(), "names": [],
                      "index_id": uuid.uuid4().hex})
    pause_point("index-created")
    return Store.create(str(path))


def check_fingerprint(path: str | os.PathLike, meta: dict) -> None:
    """Raise :class:`IndexUnusable` (saying what differs and how to rebuild) unless the
    index was built as the running code would build it."""
    have, want = meta.get("fingerprint"), fingerprint()
    if have != want:
        diff = ", ".join(
            f"{k}: index {(have or {}).get(k)!r} vs now {v!r}"
            for k, v in want.items() if (have or {}).get(k) != v)
        raise IndexUnusable(
            f"The index in {path} was built with a different format, analyzer or "
            f"dictionary ({diff}). Rebuild it: unionsearch index --rebuild SOURCES... "
            f"--index-dir {path}")


def open_index(path: str | os.PathLike) -> Store:
    """Open an existing index for searching, or raise :class:`IndexUnusable`."""
    if not exists(path):
        raise IndexUnusable(
            f"No index in {path}. Create one: unionsearch index FILES... --index-dir {path}")
    meta = read_meta(path)
    check_fingerprint(path, meta)
    wordseg.add_words(meta.get("names", []))
    try:
        return Store.open(str(path))
    except OSError as exc:
        raise IndexUnusable(f"The index in {path} cannot be opened: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - a damaged folder fails in many ways
        raise damaged(path, f"it cannot be opened: {exc}") from exc


def remember_page_names(path: str | os.PathLike, names: dict[str, dict[str, str]]) -> None:
    """Keep the names of 版面 (``{date: {page: name}}``) in the index's meta file; a name
    printed later for the same page replaces the earlier one."""
    meta = read_meta(path)
    known = meta.setdefault("page_names", {})
    changed = False
    for date, pages in names.items():
        for page, name in pages.items():
            if name and known.get(date, {}).get(page) != name:
                known.setdefault(date, {})[page] = name
                changed = True
    if changed:
        write_meta(path, meta)


def issue_key(date: str, paper: str = "") -> str:
    """How :func:`page_names` keys one issue: its date, ``ldwb/2022-09-30`` for a paper's
    (two papers of one day have their own 第1版)."""
    return f"{paper}/{date}" if paper else date


def page_names(path: str | os.PathLike) -> dict[str, dict[str, str]]:
    """The known 版面 names by issue: ``{"2022-09-30": {"3": "综合新闻"}}``."""
    try:
        return read_meta(path).get("page_names", {})
    except IndexUnusable:
        return {}


def remember_names(path: str | os.PathLike, names: Iterable[str]) -> None:
    """Add byline names to the index's dictionary (they also join the segmenter)."""
    meta = read_meta(path)
    known = set(meta.get("names", []))
    new = sorted(set(names) - known)
    if new:
        meta["names"] = sorted(known | set(new))
        write_meta(path, meta)
    wordseg.add_words(new)


def remember_papers(path: str | os.PathLike, papers: dict[str, str]) -> None:
    """Keep the display names of the papers an import wrote (``{"ldwb": "劳动午报"}``) in
    the index's meta file, so every page names a paper the same way without the settings
    that imported it; a name given later replaces the earlier one."""
    if not papers:
        return
    meta = read_meta(path)
    known = meta.setdefault("papers", {})
    changed = {k: v for k, v in papers.items() if k and known.get(k) != (v or k)}
    if changed:
        known.update({k: v or k for k, v in changed.items()})
        write_meta(path, meta)


def import_stamp(path: str | os.PathLike) -> int:
    """The time (seconds since 1970) an import starting now stamps its articles with, kept
    in the meta file: now, or one more than the last import's stamp when that is not
    earlier, so each import is told apart (最新入库, ``since=``) however fast they follow."""
    meta = read_meta(path)
    stamp = max(int(time.time()), int(meta.get("last_import", 0)) + 1)
    meta["last_import"] = stamp
    if Path(path).is_dir():
        write_meta(path, meta)
    return stamp


def paper_names(path: str | os.PathLike) -> dict[str, str]:
    """The known papers' names by key (``{"ldwb": "劳动午报"}``); empty for one unnamed paper."""
    try:
        return dict(read_meta(path).get("papers", {}))
    except IndexUnusable:
        return {}
