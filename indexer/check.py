"""Is this index sound?  ``unionsearch check``: a verdict, and the fix for each problem.

Why so thorough: an archive kept for years meets full disks, killed processes, copied
folders and failing disks, and a damaged segment can answer searches wrongly without
ever raising an error.  Every committed segment is read whole and cross-checked:

* the meta file and the table of contents match their checksums (verified before
  either is parsed) and the fingerprint is this code's;
* ``merges.db`` and ``corrections.db`` pass SQLite's own check (``PRAGMA
  integrity_check``; ``quick_check`` with ``quick``): SQLite keeps no checksum of
  its pages, so this finds broken structure, not a flipped byte inside a value;
* every byte of every segment's files matches its checksums (the ``.usx`` file's own
  footer and block checksums, the sums file of its Whoosh files);
* every stored article decodes, has an id and a date, and no id is live twice;
* the store's id, reporter and paper terms and its day column agree with the stored
  articles;
* the ``.usx`` file opens, holds as many articles as its segment, its phrase and
  character postings are exactly what the stored text gives (re-derived), and its
  word postings are internally consistent (decodable, ascending, counts adding up to
  each article's length; word keys the hash of their word);
* a sample of phrases cut from stored articles is found by a search exactly as often as
  a plain scan of the stored text finds it.

``quick`` skips the re-derivation (the slow part: it re-analyses every article).
Leftovers (an import's staging folder, a killed rebuild's copy) and locks are notes,
not damage.
"""

from __future__ import annotations

import fcntl
import os
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from search import schema as f
from search.document import body_of, head_text, with_index_fields
from search.storage import checksum, usx
from search.storage.folder import META_FILE, IndexUnusable, check_fingerprint, read_meta
from search.storage.store import Leaf, Store
from search.storage.usx.postings import word_key

from .locks import lock_path
from .plural import counted


@dataclass
class Problem:
    """One thing wrong, and what to do about it."""

    what: str
    fix: str


@dataclass
class Verdict:
    index_dir: str
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    generation: int | None = None
    documents: int = 0
    segments: int = 0
    phrases: int = 0

    @property
    def sound(self) -> bool:
        """No problem found (notes are not problems)."""
        return not self.problems


def restore_or_rebuild(index_dir: str) -> str:
    """The fix for damage to an index: restore a backup or rebuild."""
    return (f"restore the last backup (unionsearch restore BACKUP --index-dir {index_dir} "
            "--force) and re-import what came after it, or rebuild from the sources "
            f"(unionsearch index --rebuild SOURCES... --index-dir {index_dir})")


# -- the one reach into the storage layer ------------------------------------------------

def committed_segment_readers(index_dir: str) -> tuple[int, list[tuple[str, Leaf | Exception]]]:
    """The generation and ``(segment id, open segment or the exception)`` for each segment.

    Reads the store's table of contents (verified against its checksum first) and opens
    each segment on its own, so one broken segment does not hide the state of the others.
    """
    index = Store.open(index_dir)
    out: list[tuple[str, Leaf | Exception]] = []
    for seg in index.committed():
        try:
            out.append((seg.segment_id(), index.open_segment(seg)))
        except Exception as exc:  # noqa: BLE001 - damage fails in many ways
            out.append((seg.segment_id(), exc))
    return index.latest_generation(), out


def usx_arrays(index_dir: str, segment_id: str) -> tuple[int, dict[str, np.ndarray]]:
    """A segment's ``.usx`` file: its article count and every array in it, by name."""
    sp = usx.SegmentPostings(usx.segment_path(index_dir, segment_id))
    return sp.doc_count, {name: sp.array(name) for name in sp.names()}


# -- checks ------------------------------------------------------------------------------

def check_index(index_dir: str, quick: bool = False, sample: int = 20,
                seed: int | None = None) -> Verdict:
    """Check ``index_dir`` as the module docstring says; never raises for damage."""
    v = Verdict(index_dir)
    if not Path(index_dir).is_dir():
        v.problems.append(Problem(f"{index_dir} does not exist", _missing_fix(index_dir)))
        return v
    _note_locks_and_leftovers(v)
    if not _check_manifest(v):
        return v  # a backup that is not as backed up: nothing of it is opened
    if not _meta_ok(v):
        return v
    _check_databases(v, quick)
    try:
        v.generation, readers = committed_segment_readers(index_dir)
    except Exception as exc:  # noqa: BLE001
        has_toc = any(n.endswith(".toc") for n in os.listdir(index_dir))
        what = (f"the table of contents cannot be read ({exc})" if has_toc
                else "no table of contents (_articles_N.toc)")
        v.problems.append(Problem(f"{index_dir}: {what}", restore_or_rebuild(index_dir)))
        return v
    live_ids: dict[str, str] = {}
    for seg_id, reader in readers:
        _check_segment(v, seg_id, reader, live_ids, quick)
    v.segments, v.documents = len(readers), len(live_ids)
    if v.sound and sample:
        _check_phrases(v, readers, sample, seed)
    return v


def _missing_fix(index_dir: str) -> str:
    return (f"restore a backup (unionsearch restore BACKUP --index-dir {index_dir}) or "
            f"import the sources (unionsearch index SOURCES... --index-dir {index_dir})")


def _check_manifest(v: Verdict) -> bool:
    """In a backup folder: its manifest authentic and every file byte for byte as written
    (``indexer.backup``).  False when not: the folder is then not opened (its pickles
    could be anyone's)."""
    from .backup import MANIFEST, verify_manifest

    differs = verify_manifest(v.index_dir)
    if differs is None:
        if (Path(v.index_dir) / MANIFEST).exists():
            v.notes.append(f"{MANIFEST} describes an earlier generation: this folder was "
                           "written to after the backup, so it was not compared")
        return True
    for problem in differs:
        v.problems.append(Problem(f"backup file {problem}",
                                  "use another backup, and take a new one from the index"))
    if not differs:
        v.notes.append(f"every file is byte for byte as backed up ({MANIFEST}, "
                       "authenticated)")
    return not differs


def _meta_ok(v: Verdict) -> bool:
    try:
        meta = read_meta(v.index_dir)
        if not meta:
            raise IndexUnusable(f"{Path(v.index_dir) / META_FILE} is missing")
        check_fingerprint(v.index_dir, meta)
    except IndexUnusable as exc:
        fix = (f"rebuild: unionsearch index --rebuild SOURCES... --index-dir {v.index_dir}"
               if "Rebuild it" in str(exc) else restore_or_rebuild(v.index_dir))
        v.problems.append(Problem(str(exc).split(". Rebuild it")[0], fix))
        return False
    return True


DATABASES = ("merges.db", "corrections.db")  # SQLite files of the index folder, if present


def database_problem(path: Path, quick: bool = False) -> str | None:
    """What SQLite's own check finds wrong with the database at ``path``, or None.

    Opened read-only (``mode=ro``, no journal written); ``integrity_check`` reads every
    page and index, ``quick_check`` skips matching the indexes to their tables."""
    try:
        db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return f"{path.name} cannot be opened: {exc}"
    try:
        pragma = "quick_check" if quick else "integrity_check"
        rows = [r[0] for r in db.execute(f"PRAGMA {pragma}(20)").fetchall()]
    except sqlite3.Error as exc:
        return f"{path.name} is damaged: {exc}"
    finally:
        db.close()
    if rows != ["ok"]:
        return f"{path.name} is damaged: {'; '.join(map(str, rows))}"
    return None


def _check_databases(v: Verdict, quick: bool) -> None:
    for name in DATABASES:
        path = Path(v.index_dir) / name
        if not path.exists():
            continue
        problem = database_problem(path, quick)
        if problem:
            fix = restore_or_rebuild(v.index_dir) if name == "merges.db" else (
                f"restore the last backup (unionsearch restore BACKUP --index-dir "
                f"{v.index_dir} --force): it holds the editors' corrections made until then")
            v.problems.append(Problem(problem, fix))


def _note_locks_and_leftovers(v: Verdict) -> None:
    lock, importing = lock_path(v.index_dir), False
    if lock.exists():
        with open(lock) as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
                fcntl.flock(fh, fcntl.LOCK_UN)
            except BlockingIOError:
                importing = True
                v.notes.append("an import is running now (the import lock is held); "
                               "this check saw the generation committed before it")
    staging = Path(v.index_dir) / "staging"
    if staging.is_dir() and any(staging.iterdir()) and not importing:
        v.notes.append(f"{staging} holds what a stopped import left; the next import "
                       "removes it")
    base = Path(v.index_dir).resolve()
    for kind in ("rebuild", "old", "partial"):
        for stale in base.parent.glob(f"{base.name}.{kind}-*"):
            v.notes.append(f"{stale} is left from a stopped rebuild, restore or backup; "
                           "the next import removes it (or delete it)")


def checksum_problems(index_dir: str, seg_id: str) -> list[str]:
    """Every byte of a segment's files against its checksums: the Whoosh files against
    the sums file, the ``.usx`` file against its footer and block checksums."""
    found: list[str] = []
    if not any(name.startswith(seg_id + ".") for name in os.listdir(index_dir)):
        return ["the table of contents names it, but none of its files exists (the table "
                "of contents is damaged, or its files were deleted)"]
    try:
        sums = checksum.read_sums(index_dir, seg_id)
    except checksum.ChecksumError as exc:
        found.append(str(exc))
        sums = {}
    for name, (size, value) in sums.items():
        try:
            checksum.verify_file(index_dir, name, size, value)
        except checksum.ChecksumError as exc:
            found.append(str(exc))
    try:
        sp = usx.SegmentPostings(usx.segment_path(index_dir, seg_id))
        try:
            sp.verify()
        finally:
            sp.close()
    except usx.SegmentFileError as exc:
        found.append(str(exc))
    return found


def _check_segment(v: Verdict, seg_id: str, reader, live_ids: dict[str, str],
                   quick: bool) -> None:
    fix = restore_or_rebuild(v.index_dir)
    where = f"segment {seg_id}"
    damage = checksum_problems(v.index_dir, seg_id)
    if damage:
        v.problems.extend(Problem(f"{where}: {p}", fix) for p in damage)
        return
    if isinstance(reader, Exception):
        v.problems.append(Problem(f"{where} cannot be opened: {reader}", fix))
        return
    try:
        stored = [reader.stored_fields(n) for n in range(reader.doc_count_all())]
        deleted = {n for n in range(len(stored)) if reader.is_deleted(n)}
        found = list(_stored_problems(stored)) + list(_store_index_problems(reader, stored))
    except Exception as exc:  # noqa: BLE001 - a damaged file fails in many ways
        v.problems.append(Problem(f"{where}: its stored articles cannot be read: {exc}", fix))
        return
    try:
        found += list(_usx_problems(v.index_dir, seg_id, stored, quick))
    except (NameError, AttributeError):
        raise  # a bug here, not damage there
    except Exception as exc:  # noqa: BLE001 - a damaged file fails in many ways
        found.append(f"{seg_id}.usx cannot be read: {exc}")
    v.problems.extend(Problem(f"{where}: {p}", fix) for p in found)
    for n, doc in enumerate(stored):
        if n in deleted:
            continue
        art_id = str(doc.get(f.ID))
        if art_id in live_ids:
            v.problems.append(Problem(f"article {art_id!r} is in the index twice "
                                      f"({live_ids[art_id]} and {seg_id})", fix))
        live_ids[art_id] = seg_id


def _stored_problems(stored: list[dict]) -> Iterator[str]:
    for n, doc in enumerate(stored):
        if not isinstance(doc, dict) or not doc.get(f.ID) or not doc.get(f.DATE):
            yield f"article {n} is stored without an id or a date"
            return


def _store_index_problems(reader: Leaf, stored: list[dict]) -> Iterator[str]:
    """The store's id, reporter and paper terms and its day column against the stored
    articles."""
    docs = [with_index_fields(d) for d in stored]
    seen = np.zeros(len(docs), dtype=np.int64)
    for btext in reader.lexicon(f.ID):
        for n in _docs(reader, f.ID, btext):
            seen[n] += 1
            if n >= len(docs) or docs[n][f.ID] != btext.decode("utf-8"):
                yield f"the id index and the stored article {n} disagree"
                return
    if not (seen == 1).all():
        yield "the id index does not list every stored article exactly once"
    want = {(n, k) for n, d in enumerate(docs) for k in (d.get(f.REPORTER) or "").split(",") if k}
    have = set()
    if reader.has_terms(f.REPORTER):
        for btext in reader.lexicon(f.REPORTER):
            have |= {(int(n), btext.decode("utf-8")) for n in _docs(reader, f.REPORTER, btext)}
    if have != want:
        yield f"the reporter index disagrees with the stored bylines ({len(have ^ want)} entries)"
    for fieldname in reader.indexed_fields():  # every posting list, the .pst file too
        for btext in reader.lexicon(fieldname):
            docs_of = _docs(reader, fieldname, btext)
            if len(docs_of) and (np.any(np.diff(docs_of) <= 0) or docs_of[-1] >= len(docs)
                                 or docs_of[0] < 0):
                yield f"the postings of {fieldname} {btext!r} are out of order or out of range"
                return
    days = reader.numeric_column(f.DAY)
    wanted = np.array([d[f.DAY] for d in docs], dtype=np.int64)
    if days is None or not np.array_equal(np.asarray(days, dtype=np.int64), wanted):
        yield "the date column disagrees with the stored dates"


def _docs(reader: Leaf, fieldname: str, btext: bytes) -> np.ndarray:
    docs = reader.term_docs(fieldname, btext)
    return np.zeros(0, dtype=np.int64) if docs is None else docs


def _usx_problems(index_dir: str, seg_id: str, stored: list[dict],
                  quick: bool) -> Iterator[str]:
    count, arrays = usx_arrays(index_dir, seg_id)
    if count != len(stored):
        yield f"{seg_id}.usx holds {count} articles, its segment {len(stored)}"
        return
    for words_f in (f.HEAD, f.TEXT):
        problem = word_field_problem(arrays, words_f, count)
        if problem:
            yield f"{seg_id}.usx, field {words_f}: {problem}"
    if quick:
        return
    derived = usx.build([head_text(d) for d in stored], [body_of(d) for d in stored])
    for name in sorted(derived):
        if name.split(".")[0] in (f.HEAD, f.TEXT):
            continue  # words depend on the dictionary of their day: checked above instead
        if name not in arrays or not np.array_equal(arrays[name], derived[name]):
            yield (f"{seg_id}.usx, {name}: the postings differ from what the stored "
                   "articles give")


def word_field_problem(arrays: dict[str, np.ndarray], field_name: str, n_docs: int) -> str:
    """Why a word field's postings are inconsistent, or "" when they are not."""
    keys, ends = arrays[f"{field_name}.keys"], arrays[f"{field_name}.ends"].astype(np.int64)
    data = arrays[f"{field_name}.data"]
    lengths = arrays[f"{field_name}.lengths"].astype(np.int64)
    if len(lengths) != n_docs or len(ends) != len(keys):
        return "array sizes disagree"
    if len(keys) and (np.any(np.diff(ends) <= 0) or ends[-1] != len(data)
                      or np.any(np.diff(keys.astype(np.uint64)) < 0)):
        return "term table out of order"
    if not len(keys):
        return "" if not lengths.any() else "lengths without postings"
    if data[-1] >= 0x80:
        return "the last number is cut off"
    p = usx.decode_field(data, ends, field_name)
    df = np.bincount(p.term, minlength=len(keys))
    n_many = np.bincount(p.term, weights=p.count > 1, minlength=len(keys)).astype(np.int64)
    if np.any(df < 1) or not np.array_equal(p.values_per_term, 1 + df + n_many):
        return "a term's postings have the wrong length"
    docs, freqs = p.doc, p.count
    first = np.ones(len(docs), dtype=bool)
    first[1:] = p.term[1:] != p.term[:-1]
    if (np.any(np.diff(docs)[~first[1:]] < 1) or np.any(docs >= n_docs) or np.any(docs < 0)
            or np.any(freqs < 1)):
        return "postings out of order or beyond the segment's articles"
    if not np.array_equal(np.bincount(docs, weights=freqs, minlength=n_docs), lengths):
        return "word counts do not add up to the articles' lengths"
    return _word_keys_problem(arrays, field_name)


def _word_keys_problem(arrays: dict[str, np.ndarray], field_name: str) -> str:
    ends = arrays[f"{field_name}.word_ends"].astype(np.int64)
    blob = arrays[f"{field_name}.word_data"].tobytes()
    keys = arrays[f"{field_name}.keys"]
    start = 0
    for i, end in enumerate(ends.tolist()):
        try:
            word = blob[start:end].decode("utf-8")
        except UnicodeDecodeError:
            return f"word {i} is not UTF-8"
        if word_key(word) != int(keys[i]):
            return f"the key of word {word!r} is not its hash"
        start = end
    return ""


def _check_phrases(v: Verdict, readers: list, sample: int, seed: int | None) -> None:
    """Cut ``sample`` phrases from stored articles; a quoted search must find each in
    exactly the live articles a plain scan of the squashed text finds it in.

    A search's matches are counted as its total is (:func:`search.results.matched`),
    without ranking, snippets or did-you-mean, which a count does not need."""
    from search.engine import Engine, SearchRequest
    from search.reports.trends import archive_dates
    from search.results import matched
    from search.text.normalize import squash

    texts = []
    for _, reader in readers:
        for n in range(reader.doc_count_all()):
            if not reader.is_deleted(n):
                doc = reader.stored_fields(n)
                texts.append((squash(head_text(doc)), squash(body_of(doc))))
    rng = random.Random(seed)
    try:
        engine = Engine(v.index_dir)
    except IndexUnusable as exc:
        v.problems.append(Problem(f"the index cannot be searched: {exc}",
                                  restore_or_rebuild(v.index_dir)))
        return
    for head, body in rng.sample(texts, min(sample, len(texts))):
        source = body if len(body) >= 4 else head
        if len(source) < 2:
            continue
        at = rng.randrange(0, max(1, len(source) - 4))
        phrase = source[at:at + rng.randint(2, 6)]
        scan = sum(1 for h, b in texts if phrase in h or phrase in b)
        req = SearchRequest.from_params(f'"{phrase}"', (), None, None, "relevance", "1", "1")
        try:
            st = engine.state()
            found: int | str = len(matched(st, req.within(*archive_dates(st)),
                                           engine.synonyms.current()).match)
        except Exception as exc:  # noqa: BLE001 - a damaged segment fails in many ways
            found = f"an error ({exc})"
        if found != scan:
            v.problems.append(Problem(
                f'a search for "{phrase}" finds {found} articles, a scan of the stored '
                f"text {scan}", restore_or_rebuild(v.index_dir)))
        v.phrases += 1


def report_lines(v: Verdict) -> list[str]:
    """The verdict as the command prints it."""
    lines = [f"note: {n}" for n in v.notes]
    for p in v.problems:
        lines += [f"problem: {p.what}", f"  fix: {p.fix}"]
    if v.sound:
        lines.append(f"sound: {v.index_dir}, generation {v.generation}, "
                     f"{counted(v.documents, 'article')} in {counted(v.segments, 'segment')}; "
                     f"{counted(v.phrases, 'sample phrase')} found as a scan finds them")
    else:
        lines.append(f"damaged: {v.index_dir}: {len(v.problems)} problem(s)")
    return lines

