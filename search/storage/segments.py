"""A segment's life: a Whoosh segment and its ``.usx`` file, built, committed, merged, opened.

The two files of a segment are one unit.  The store holds the stored articles, ids,
reporters, papers and dates (:mod:`search.storage.store`, Whoosh); the ``.usx`` file beside it holds
the title and body postings (:mod:`search.storage.usx`), named after the segment so that
Whoosh deletes both when the segment leaves the index.  Nothing else creates,
commits, merges or opens them:

* :func:`build_segment` analyses articles into a finished pair in a staging folder
  (any process: the import's workers build side by side);
* :func:`move_in` and :func:`commit` make built pairs part of a new generation,
  applying deletions and :func:`tiered_merge`;
* :func:`usx_of` opens a committed segment's ``.usx`` file for searching (once per
  process, until :func:`forget_segments` drops those merged away);
* :func:`sweep_orphans` and :func:`discard_files` remove what a crashed or failed
  commit left behind.

Documents only ever arrive as segments built here; Whoosh's own merge is never used
(it knows nothing of the ``.usx`` files and would drop them).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext, suppress
from pathlib import Path

from .. import schema as f
from ..document import head_text
from ..pausepoints import pause_point
from ..text import wordseg
from . import checksum, merge_policy, usx
from .folder import META_FILE, damaged
from .store import (
    GenerationWriter,
    Leaf,
    Segment,
    SegmentBuilder,
    Store,
    is_toc_temp,
    merge_into,
    segment_id_of,
    toc_name,
)
from .usx.merge import merge as usx_merge
from .usx.merge import renumbering

# --- opening -------------------------------------------------------------------

_usx_cache: dict[tuple[str, str], usx.SegmentPostings] = {}
_usx_lock = threading.Lock()


def usx_of(leaf: Leaf) -> usx.SegmentPostings:
    """A committed segment's ``.usx`` file, opened once per process, after every file
    of the segment was verified against its checksums (:func:`verify_segment`).

    Raises :class:`~search.storage.folder.IndexDamaged` (with the fix) when a file is missing,
    damaged or the ``.usx`` file does not hold as many articles as its Whoosh segment.
    """
    folder = leaf.folder
    key = (folder, leaf.segment_id)
    sp = _usx_cache.get(key)
    if sp is None:
        verify_segment(*key)
        try:
            sp = usx.SegmentPostings(usx.segment_path(*key))
        except usx.SegmentFileError as exc:
            raise damaged(folder, exc) from exc
        if sp.doc_count != leaf.doc_count_all():
            raise damaged(folder, f"{sp.path} has {sp.doc_count} articles, its segment "
                                  f"{leaf.doc_count_all()}")
        with _usx_lock:
            _usx_cache[key] = sp
            _verified.setdefault(key, {})[sp.path] = checksum.identity(sp.path)
    return sp


# Each verified file of an open segment as it was verified (inode, size, mtime), by
# (folder, segment id): a file that changes on disk later is verified again.
_verified: dict[tuple[str, str], dict[str, tuple | None]] = {}
# The sums each open segment's Whoosh files were verified against, by (folder, segment id).
_sums: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
# Files found damaged, with the identity they were found damaged as and why.
_damaged: dict[str, tuple[tuple | None, str]] = {}


def whoosh_files(folder: str, segment_id: str) -> list[str]:
    """The names of a segment's Whoosh files in ``folder`` (not its ``.usx`` or sums)."""
    prefix = segment_id + "."
    return sorted(n for n in os.listdir(folder) if n.startswith(prefix)
                  and not n.endswith((usx.SUFFIX, checksum.SUMS_SUFFIX, ".tmp")))


def write_sums(folder: str, segment_id: str) -> None:
    """The sums file of a segment's Whoosh files, just written in ``folder``."""
    checksum.write_sums(folder, segment_id, whoosh_files(folder, segment_id))


def verify_segment(folder: str, segment_id: str) -> None:
    """Check a segment's Whoosh files against its sums file, each file once per process
    while it does not change; raises :class:`IndexDamaged` naming the file and the fix."""
    key = (folder, segment_id)
    try:
        sums = checksum.read_sums(folder, segment_id)
        seen = _verified.get(key, {})
        done = {}
        for name, (size, value) in sums.items():
            path = os.path.join(folder, name)
            now = checksum.identity(path)
            done[path] = now if now is not None and seen.get(path) == now else \
                checksum.verify_file(folder, name, size, value)
        done[checksum.sums_path(folder, segment_id)] = checksum.identity(
            checksum.sums_path(folder, segment_id))
    except checksum.ChecksumError as exc:
        raise damaged(folder, exc) from None
    with _usx_lock:
        _verified.setdefault(key, {}).update(done)
        _sums[key] = sums


def _same_usx(path: str, served: usx.SegmentPostings) -> None:
    """Raise :class:`~search.storage.usx.SegmentFileError` unless the ``.usx`` file at ``path``
    is sound and holds the very bytes of the one being served."""
    fresh = usx.SegmentPostings(path)
    try:
        fresh.verify()
        if fresh.checksum != served.checksum:
            raise usx.SegmentFileError(f"{path} was replaced by another file")
    finally:
        fresh.close()


def changed_on_disk(folder: str, segment_ids: Iterable[str]) -> str | None:
    """What is damaged among the open segments' files, checked by ``stat``: a file whose
    inode, size or mtime differs from when it was verified is verified again (its
    checksums); None when every file is as verified.  Cheap while nothing changes."""
    for segment_id in segment_ids:
        for path, was in list(_verified.get((folder, segment_id), {}).items()):
            now = checksum.identity(path)
            if now == was or now is None:  # gone: merged away (the open file still reads)
                continue
            known = _damaged.get(path)
            if known is not None and known[0] == now:
                return known[1]
            try:
                if path.endswith(usx.SUFFIX):
                    _same_usx(path, _usx_cache[(folder, segment_id)])
                elif path.endswith(checksum.SUMS_SUFFIX):
                    if checksum.read_sums(folder, segment_id) != _sums[(folder, segment_id)]:
                        raise checksum.ChecksumError(f"{path} was replaced by another file")
                else:
                    size, value = _sums[(folder, segment_id)][os.path.basename(path)]
                    checksum.verify_file(folder, os.path.basename(path), size, value)
            except (checksum.ChecksumError, usx.SegmentFileError, KeyError) as exc:
                _damaged[path] = (now, str(exc))
                return str(exc)
            with _usx_lock:
                _verified[(folder, segment_id)][path] = now
            _damaged.pop(path, None)
    return None


def forget_segments(folder: str, live: set[str]) -> None:
    """Drop cached files of a folder's segments merged away (maps close once unused)."""
    with _usx_lock:
        for key in [k for k in _usx_cache if k[0] == folder and k[1] not in live]:
            del _usx_cache[key]
        for key in [k for k in _verified if k[0] == folder and k[1] not in live]:
            del _verified[key]
            _sums.pop(key, None)


# --- building, in any process ------------------------------------------------------

STAGING = "staging"
_staging: dict[tuple[str, int], Store] = {}


def _staging_index(index_dir: str) -> Store:
    """This process's scratch index, where it writes new segments.

    Whoosh deletes unknown segment files from the index folder at every
    commit, so segments still being built live elsewhere until they are
    moved in and committed; one folder per process, because a writer's
    temporary files are named after the index, not the process.
    """
    key = (index_dir, os.getpid())
    staging = _staging.get(key)
    if staging is None:
        path = os.path.join(index_dir, STAGING, str(os.getpid()))
        os.makedirs(path, exist_ok=True)
        Store.create(path)
        staging = _staging[key] = Store.open(path)
    return staging


def drop_staging(index_dir: str) -> None:
    """Remove this process's scratch index, and those of processes no longer running
    (killed imports or merges); a merge running beside an import keeps its own."""
    for key in [k for k in _staging if k[0] == index_dir]:
        del _staging[key]
    root = os.path.join(index_dir, STAGING)
    with suppress(OSError):
        for name in os.listdir(root):
            if name == str(os.getpid()) or not _running(name):
                shutil.rmtree(os.path.join(root, name), ignore_errors=True)
        os.rmdir(root)  # only once empty


def _running(pid: str) -> bool:
    """Whether the process of a staging folder's name is alive.

    A process that has exited but is not yet reaped (a zombie: a killed import's
    orphaned worker waits for init to collect it) still answers ``kill(pid, 0)``; it
    will never write again, so its folder is removed like a dead process's."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{int(pid)}/stat", encoding="ascii", errors="replace") as fh:
            state = fh.read().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True  # no /proc here: alive, as kill() says
    return state not in ("Z", "X")


def build_segment(index_dir: str, names: list[str], docs: list[dict]
                  ) -> tuple[str, Segment]:
    """Analyse ``docs`` into a finished segment pair in a staging folder (any process).

    Returns the folder and the segment.  The store writes the stored fields, ids,
    reporters, papers and dates; the title and body postings go into the ``.usx`` file, built
    in one go.  ``names`` (byline names) join the word segmenter first.
    """
    wordseg.add_words(names)
    staging = _staging_index(index_dir)
    builder = SegmentBuilder(staging)
    for doc in docs:
        builder.add(doc)
    segment = builder.finish()
    folder = staging.folder
    arrays = usx.build([head_text(d) for d in docs], [d.get(f.BODY) or "" for d in docs])
    usx.write(usx.segment_path(folder, segment.segment_id()), len(docs), arrays)
    write_sums(folder, segment.segment_id())
    return folder, segment


def move_in(folder: str, segment: Segment, index_dir: str) -> None:
    """Move a built segment's files from a staging folder into the index folder."""
    prefix = segment.segment_id() + "."
    for name in os.listdir(folder):
        if name.startswith(prefix) and not name.endswith(".tmp"):
            os.replace(os.path.join(folder, name), os.path.join(index_dir, name))


# --- committing and merging ------------------------------------------------------------

def tiered_merge(index_dir: str, writer: GenerationWriter, segments: list[Segment]
                 ) -> list[Segment]:
    """Do the merges an import's commit may do itself; returns the new generation's segments.

    :func:`search.storage.merge_policy.inline`: full tiers of small segments (daily imports),
    small segments with more deleted articles than live ones (so re-imports cannot
    double the index), and empty segments dropped.  Larger merges run beside imports
    (:func:`merge_beside`).  A merge copies postings, not text (:func:`merge_segments`).
    """
    groups, empty = merge_policy.inline(segments)
    merged_away = {id(s) for g in groups for s in g} | {id(s) for s in empty}
    keep = [s for s in segments if id(s) not in merged_away]
    return keep + [merge_segments(index_dir, writer, g) for g in groups]


def merge_segments(index_dir: str, writer: GenerationWriter,
                   segments: list[Segment]) -> Segment:
    """One committed-to-be segment pair in the index folder holding the live articles of
    ``segments`` (of the generation ``writer`` writes), in order.  (Under the lock:
    :func:`merge_beside` builds the same pair without it.)

    The store copies its part (:func:`search.storage.store.merge_into`); the ``.usx`` files are
    merged by :func:`search.storage.usx.merge.merge`, into the file a fresh build of the same
    articles would write, with postings copied rather than the text re-read and
    re-cut (faster than either that or Whoosh's ``add_reader``: bench/RESULTS.md).
    """
    folder, merged, _ = _build_merged(index_dir, writer, segments)
    move_in(folder, merged, index_dir)
    return merged


def _build_merged(index_dir: str, source: Store | GenerationWriter,
                  segments: list[Segment]) -> tuple[str, Segment, list]:
    """The merged pair of ``segments`` (of ``source``'s generation) in this process's
    staging folder: (folder, segment, each source's live mask as merged)."""
    staging = _staging_index(index_dir)
    masks = [s.live_mask() for s in segments]
    parts = [(usx.SegmentPostings(usx.segment_path(index_dir, s.segment_id())), mask)
             for s, mask in zip(segments, masks, strict=True)]
    try:
        count, arrays = usx_merge(parts)
        merged = merge_into(staging, source, segments)
    finally:
        for sp, _ in parts:
            sp.close()
    folder = staging.folder
    if merged.doc_count_all() != count:
        raise RuntimeError(f"merge of {len(segments)} segments: Whoosh kept "
                           f"{merged.doc_count_all()} articles, the .usx merge {count}")
    usx.write(usx.segment_path(folder, merged.segment_id()), count, arrays)
    write_sums(folder, merged.segment_id())
    pause_point("merge-built")
    return folder, merged, masks


def commit(index_dir: str, index: Store,
           deletes: Iterable[str | tuple[str, int, str]], segments: list[Segment]) -> None:
    """One new generation: ``deletes`` applied, merges done, built ``segments`` added.

    When this fails (disk full, permission denied) the old generation
    stays the index, and what this attempt wrote is removed: the built segments, the
    merged ones, the writer's own empty segment and its half-written ``.toc.<time>``.
    """
    before = set(os.listdir(index_dir))
    try:
        writer = index.writer()
    except OSError:  # e.g. disk full while Whoosh created its new segment's files
        discard_files(index_dir, _segment_ids(set(os.listdir(index_dir)) - before)
                      | {s.segment_id() for s in segments})
        raise
    try:
        _delete_all(writer, deletes)
        final = tiered_merge(index_dir, writer, writer.segments)
        pause_point("commit")
        writer.commit(final + list(segments))
        pause_point("committed")
    except BaseException:
        _abandon(index_dir, writer, before, segments)
        raise


def _abandon(index_dir: str, writer: GenerationWriter, before: set[str],
             segments: list[Segment]) -> None:
    """Close a failed writer (first: closing writes the new segment's files), remove what
    the attempt wrote, and release the write lock."""
    writer.abandon_files()
    try:
        _discard_attempt(index_dir, writer, before, segments)
    finally:
        writer.release()


def _delete_all(writer: GenerationWriter, deletes: Iterable[str | tuple[str, int, str]]
                ) -> None:
    """Mark articles deleted: ids, or ``(segment id, local docnum, id)`` where the
    import found them.

    ``delete_by_term`` without a searcher opens a new one per id, and opening one
    reads every segment's term table header: a large re-import would spend most of
    its time there (bench/RESULTS.md).  A segment's local docnums
    never change (merges write new segments), so an article the import located is
    deleted in place; only one whose segment a merge of this import has rewritten
    since is looked up again, with one searcher for all.
    """
    by_id = {seg.segment_id(): seg for seg in writer.segments}
    again = []
    for item in deletes:
        if isinstance(item, str):
            again.append(item)
            continue
        seg_id, local, art_id = item
        seg = by_id.get(seg_id)
        if seg is None:
            again.append(art_id)
        else:
            seg.delete_document(local)
    if again:
        writer.delete_ids(again)


# --- merging beside imports and searches ---------------------------------------------

def merge_beside(index_dir: str, choose: Callable[[list], list[list]],
                 swap_guard: Callable[[], AbstractContextManager] = nullcontext) -> list[int]:
    """Merge the groups ``choose`` picks among the committed segments, each committed as
    soon as it is built; returns the article count of each merged segment committed.

    Segments are immutable, so a group is merged without any lock, imports and searches
    going on meanwhile; only the swap takes a lock: ``swap_guard()`` (the import lock,
    given by :mod:`indexer.optimize`: a commit deletes the files of segments merged
    away, and an import that has read the previous table of contents must not find
    them gone) and Whoosh's write lock (:func:`_swap`).  A group an import merged or
    dropped meanwhile is given up.  A kill at any moment leaves the old generation, or
    the new one, whole (``tests/test_merge_beside.py``).
    """
    index = Store.open(index_dir)
    done = []
    try:
        for group in choose(index.committed()):
            try:
                folder, merged, masks = _build_merged(index_dir, index, group)
            except (OSError, usx.SegmentFileError):
                if _all_committed(index, group):
                    raise
                continue  # an import merged the group away while it was read
            with swap_guard():
                swapped = _swap(index_dir, index, group, folder, merged, masks)
            if swapped:
                done.append(merged.doc_count())
    finally:
        drop_staging(index_dir)
    return done


def _swap(index_dir: str, index: Store, group: list[Segment], folder: str,
          merged: Segment, masks: list) -> bool:
    """Commit a generation with ``merged`` in place of ``group``: articles deleted from
    the group since it was read are deleted from ``merged`` too.  False (and the
    merged files removed) when a segment of the group is no longer committed."""
    before = set(os.listdir(index_dir))
    writer = index.writer()
    try:
        current = {s.segment_id(): s for s in writer.segments}
        if any(s.segment_id() not in current for s in group):
            raise _GivenUp
        for seg, mask, newdoc in zip(group, masks, renumbering(masks), strict=True):
            now = current[seg.segment_id()].live_mask()
            for doc in newdoc[mask & ~now].tolist():
                merged.delete_document(int(doc))
        move_in(folder, merged, index_dir)
        ids = {s.segment_id() for s in group}
        final = [s for s in writer.segments if s.segment_id() not in ids and s.doc_count()]
        at = next(i for i, s in enumerate(writer.segments) if s.segment_id() in ids)
        final.insert(sum(1 for s in writer.segments[:at]
                         if s.segment_id() not in ids and s.doc_count()), merged)
        pause_point("commit")
        writer.commit(final)
        pause_point("committed")
        return True
    except BaseException as exc:
        try:
            _abandon(index_dir, writer, before, [merged])
        finally:
            discard_files(folder, {merged.segment_id()})
        if isinstance(exc, _GivenUp):
            return False
        raise


def _all_committed(index: Store, group: list[Segment]) -> bool:
    committed = {s.segment_id() for s in index.committed()}
    return all(s.segment_id() in committed for s in group)


class _GivenUp(Exception):
    """A merged group's segments changed under it (an import merged them)."""


# --- cleaning up ----------------------------------------------------------------------

def _discard_attempt(index_dir: str, writer: GenerationWriter, before: set[str],
                     segments: list[Segment]) -> None:
    """Delete the files of a commit that failed, unless its TOC made it to disk.

    Runs with Whoosh's write lock held, so every
    segment file that appeared since ``before`` is this commit's; committed segments
    are never touched.
    """
    toc = toc_name(writer.generation)
    if os.path.exists(os.path.join(index_dir, toc)):
        return  # it did commit: the new generation owns these files
    keep = {s.segment_id() for s in writer.segments}
    ours = {s.segment_id() for s in segments} | {writer.new_segment_id()}
    ours |= _segment_ids(set(os.listdir(index_dir)) - before)
    for fname in os.listdir(index_dir):
        if fname.startswith(toc + "."):
            with suppress(OSError):
                os.remove(os.path.join(index_dir, fname))
    remove_meta_temp(index_dir)
    discard_files(index_dir, ours - keep)


def _segment_ids(names: Iterable[str]) -> set[str]:
    return {sid for sid in map(segment_id_of, names) if sid}


def remove_meta_temp(index_dir: str) -> None:
    """Remove ``unionsearch.tmp``, left by a failed write of the index's meta file."""
    with suppress(OSError):
        os.remove(Path(index_dir, META_FILE).with_suffix(".tmp"))


def discard_files(index_dir: str, ids: set[str]) -> None:
    """Delete every file of the segments ``ids`` (never committed) from ``index_dir``."""
    for fname in os.listdir(index_dir):
        if segment_id_of(fname) in ids:
            with suppress(OSError):
                os.remove(os.path.join(index_dir, fname))


def sweep_orphans(index_dir: str, index: Store) -> None:
    """Remove segment files no generation uses and half-written TOCs, before importing.

    What a failed commit wrote is removed by :func:`commit`, but a process killed at
    that moment leaves it, and on a full disk those megabytes are what the next import
    needs (Whoosh would delete them only at a successful commit).  Under Whoosh's
    write lock, so a writer outside the import lock is never raced.
    """
    with index.write_lock() as held:
        if not held:
            return  # someone is writing; their commit cleans up
        live = {s.segment_id() for s in index.committed()}
        orphans = set()
        for fname in os.listdir(index_dir):
            sid = segment_id_of(fname)
            if sid is not None and sid not in live:
                orphans.add(sid)
            elif is_toc_temp(fname):
                with suppress(OSError):
                    os.remove(os.path.join(index_dir, fname))
        discard_files(index_dir, orphans)
        remove_meta_temp(index_dir)
