"""Damage to every kind of file of a real index: caught at open or at read, never a wrong
hit list, never a crash, and every one found by ``unionsearch check``'s byte checks.

The index has two segments of real articles.  Each damaged input changes one file of one
segment (bit flips, a byte set to another value, a cut, bytes appended; for ``.usx`` files
also posting lists rewritten with crafted counts and document numbers *and every
checksum made again*, as someone who knows the format would).  For each input:

* the ``.usx`` file is opened as a search opens it and a fixed set of terms (words,
  bigrams with and without positions, characters, from both title and body) is looked up
  and decoded as a search decodes them: each must raise a damage error or give exactly
  the undamaged answer;
* a Whoosh file (``.trm``, ``.pst``, ``_stored.col``, ``.day.col``) or the sums file: the
  segment's open (:func:`search.storage.segments.verify_segment`) must refuse it;
* :func:`indexer.check.checksum_problems` (what ``unionsearch check`` runs on every
  segment) must report it.

A sample of the same damage then goes through the whole engine (open, searches, stored
articles) and the whole ``check``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest

from indexer.check import check_index, checksum_problems
from search import schema as f
from search.engine import Engine
from search.retrieval.request import SearchRequest
from search.storage import checksum, segments, store, usx
from search.storage.folder import DAMAGE, META_FILE, IndexDamaged, read_meta
from search.storage.usx import varint
from search.storage.usx.across import decode_across
from search.storage.usx.varint import DamagedPostings

from .helpers import corpus_rows, import_in_parts

WHOOSH_KINDS = ("._stored.col", ".added.col", ".day.col", ".pst", ".trm")
KINDS = (".usx", *WHOOSH_KINDS, ".sums")
TRIALS = {".usx": 6000, "._stored.col": 1000, ".added.col": 300, ".day.col": 500, ".pst": 800, ".trm": 1200,
          ".sums": 500}
QUERIES = ["工人", "经济", "发展", '"中国"', "人", "记者", "改革 开放", '"工作"']


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    rows = corpus_rows(40, prefix="df", body_chars=160)
    for n, row in enumerate(rows):  # a columnist on most articles: a posting list in .pst
        if n % 5:
            row["reporter"] = "、".join(x for x in (row.get("reporter"), "周美玉") if x)
    return Path(import_in_parts(tmp_path_factory.mktemp("dmgfiles"), rows, 2))


def _layouts(field: str) -> list[str]:
    if field in f.CHAR_FIELDS:
        return ["chars"]
    return ["words"] if field in f.WORD_FIELDS else ["grams", "gram counts"]


def _probes(path: Path) -> list[tuple[str, str]]:
    """About 36 terms of every field of a ``.usx`` file, by their text."""
    sp = usx.SegmentPostings(path)
    out = []
    for field in f.WORD_FIELDS + f.GRAM_FIELDS + f.CHAR_FIELDS:
        keys = sp.array(f"{field}.keys").tolist()
        words = sp.words(field) if field in f.WORD_FIELDS else None
        for i in range(0, len(keys), max(1, len(keys) // 5)):
            key = keys[i]
            text = (words[i] if words is not None else chr(key >> 21) + chr(key & 0x1FFFFF)
                    if field in f.GRAM_FIELDS else chr(key))
            out.append((field, text))
    out.append((f.TEXT, "不在索引里的词"))
    sp.close()
    return out


def _answers(path: Path, probes: list[tuple[str, str]]) -> list:
    """Each probe's postings as a search reads them; raises what the open or a read raises."""
    sp = usx.SegmentPostings(path)
    try:
        out = []
        for field, text in probes:
            i = sp.term_index(field, text)
            for layout in _layouts(field):
                if i < 0:
                    out.append(None)
                    continue
                docs, weights, pos = decode_across(layout, [sp.encoded(field, i)], [0],
                                                   [sp.doc_count])
                out.append((docs.tolist(), weights.tolist(),
                            None if pos is None else pos.tolist()))
        return out
    finally:
        sp.close()


def _damaged_bytes(raw: bytes, rng: np.random.Generator) -> tuple[str, bytes]:
    """One random damage of ``raw`` that changes it."""
    how = ("flip", "byte", "cut", "append")[int(rng.integers(0, 4))]
    b = bytearray(raw)
    if how == "flip":
        for at in rng.integers(0, len(b), int(rng.integers(1, 4))).tolist():
            b[at] ^= 1 << int(rng.integers(0, 8))
    elif how == "byte":
        at = int(rng.integers(0, len(b)))
        b[at] = (b[at] + int(rng.integers(1, 256))) % 256
    elif how == "cut":
        del b[int(rng.integers(0, len(b))):]
    else:
        b += rng.integers(0, 256, int(rng.integers(1, 64))).astype(np.uint8).tobytes()
    return how, bytes(b)


def _crafted_files(path: Path, probes: list[tuple[str, str]]) -> list[tuple[dict, int]]:
    """The arrays of ``.usx`` files whose list of one probed term is replaced by a crafted
    one (huge counts and deltas, docnums at or past the segment's size, df 0, cuts), to
    be written with every checksum right; (arrays, probe index) of each."""
    sp = usx.SegmentPostings(path)
    arrays = {name: np.array(sp.array(name)) for name in sp.names()
              if not name.endswith(".blocks")}
    docs = sp.doc_count
    enc = lambda *v: varint.encode(np.array(v, dtype=np.uint64))[0]  # noqa: E731
    crafted = {
        "words": [enc(1, (5 << 1) | 1, 2**63 - 1), enc(2, 2, 2**61 << 1), enc(1, docs << 1),
                  enc(0), enc(2**62, 1), enc(2, 2, 0), enc(1, (docs - 1) << 1, 7)],
        "grams": [enc(1, (1 << 1) | 1, 2**40, 1), enc(1, 3, 5, 0), enc(1, 2, 2**40),
                  enc(1, docs << 1, 0), enc(1, 2, 0, 4)],
        "chars": [enc(2, 1, 2**61), enc(1, docs), enc(2, 0, 0), enc(3, 1, 1)],
    }
    out = []
    sp.close()
    for p, (field, text) in enumerate(probes):
        layout = _layouts(field)[0]
        sp = usx.SegmentPostings(path)
        i = sp.term_index(field, text)
        sp.close()
        if i < 0 or p % 4:
            continue
        for lst in crafted[layout]:
            ends = arrays[f"{field}.ends"].astype(np.int64)
            data = arrays[f"{field}.data"]
            start, stop = (int(ends[i - 1]) if i else 0), int(ends[i])
            new = dict(arrays)
            new[f"{field}.data"] = np.concatenate([data[:start], lst, data[stop:]])
            shifted = ends.copy()
            shifted[i:] += len(lst) - (stop - start)
            new[f"{field}.ends"] = shifted.astype(arrays[f"{field}.ends"].dtype)
            out.append((new, p))
    return out


@pytest.fixture()
def scratch(tmp_path):
    """A folder for files rewritten thousands of times: in memory (``/dev/shm``) where the
    machine has it, else ``tmp_path``.  On a disk filesystem each rewrite that truncates a
    file starts its writeback (ext4's ``auto_da_alloc``): thousands of them wait on the disk,
    and what is tested is what the readers make of the bytes, not the disk."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="unionsearch-damage-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_ten_thousand_damaged_files_give_no_wrong_answer_and_check_finds_each(
        pristine, scratch) -> None:
    work = scratch / "idx"
    shutil.copytree(pristine, work, ignore=shutil.ignore_patterns("staging"))
    seg_ids = sorted(p.stem for p in work.glob("*.usx"))
    probes = {s: _probes(work / f"{s}.usx") for s in seg_ids}
    truth = {s: _answers(work / f"{s}.usx", probes[s]) for s in seg_ids}
    rng = np.random.default_rng(2024)
    outcome: dict[str, dict[str, int]] = {k: {} for k in (*KINDS, "crafted .usx")}
    wrong, crashes, unseen, total = [], [], [], 0

    for kind in KINDS:
        for trial in range(TRIALS[kind]):
            seg = seg_ids[trial % len(seg_ids)]
            path = work / f"{seg}{kind}"
            raw = (pristine / path.name).read_bytes()
            how, bad = _damaged_bytes(raw, rng)
            path.write_bytes(bad)
            total += 1
            try:
                if kind == ".usx":
                    got = _answers(path, probes[seg])
                    if got != truth[seg]:
                        wrong.append((kind, how, trial))
                    result = "answered right"
                else:
                    segments._verified.clear()
                    segments.verify_segment(str(work), seg)
                    wrong.append((kind, how, trial))  # its open must refuse it
                    result = "opened"
            except (DamagedPostings, usx.SegmentFileError, IndexDamaged):
                result = "refused"
            except Exception as exc:  # noqa: BLE001 - any other error is a crash
                crashes.append((kind, how, trial, repr(exc)))
                result = "crashed"
            if not checksum_problems(str(work), seg):
                unseen.append((kind, how, trial))
            counts = outcome[kind]
            counts[f"{how}: {result}"] = counts.get(f"{how}: {result}", 0) + 1
            path.write_bytes(raw)

    seg = seg_ids[0]
    docs = usx.SegmentPostings(work / f"{seg}.usx").doc_count
    for k, (arrays, p) in enumerate(_crafted_files(work / f"{seg}.usx", probes[seg])):
        usx.write(work / f"{seg}.usx", docs, arrays)
        total += 1
        try:
            got = _answers(work / f"{seg}.usx", probes[seg])
            result = "answered right" if got == truth[seg] else "WRONG"
            if got != truth[seg]:
                wrong.append(("crafted", k, p))
        except DamagedPostings:
            result = "refused"
        except Exception as exc:  # noqa: BLE001
            crashes.append(("crafted", k, p, repr(exc)))
            result = "crashed"
        outcome["crafted .usx"][result] = outcome["crafted .usx"].get(result, 0) + 1
    shutil.copyfile(pristine / f"{seg}.usx", work / f"{seg}.usx")

    print(total, outcome)  # per kind and damage, for bench/RESULTS.md
    assert total >= 10_000
    assert not crashes, crashes[:5]
    assert not wrong, wrong[:5]
    assert not unseen, unseen[:5]
    assert outcome["crafted .usx"].get("refused", 0) >= 20


def _engine_answers(index: Path) -> list:
    engine = Engine(str(index))
    out = []
    for q in QUERIES:
        res = engine.search(SearchRequest.from_params(q, (), None, None, "relevance", "1",
                                                      "50"))
        out.append((res["total"], [(h["id"], h["title"]) for h in res["hits"]]))
    out.append([engine.stored(f"df{n:06d}") for n in range(0, 40, 7)])
    return out


def test_damage_through_the_whole_engine_and_check(pristine, tmp_path) -> None:
    """Every file kind, each damage: the engine refuses to open or answers exactly as
    before, and ``check`` says damaged."""
    truth = _engine_answers(pristine)
    rng = np.random.default_rng(7)
    seg = sorted(p.stem for p in pristine.glob("*.usx"))[1]
    outcomes = {}
    for kind in KINDS:
        for n in range(4):
            work = tmp_path / f"{kind.strip('.')}-{n}"
            shutil.copytree(pristine, work, ignore=shutil.ignore_patterns("staging"))
            path = work / f"{seg}{kind}"
            how, bad = _damaged_bytes(path.read_bytes(), rng)
            path.write_bytes(bad)
            try:
                got = _engine_answers(work)
                assert got == truth, (kind, how)
                outcomes[(kind, how)] = "answered right"
            except DAMAGE:
                outcomes[(kind, how)] = "refused"
            verdict = check_index(str(work), quick=True, sample=0)
            assert not verdict.sound, (kind, how)
            assert any(path.name in p.what for p in verdict.problems), (kind, how, verdict)
    assert set(outcomes.values()) <= {"refused", "answered right"}


def test_a_usx_file_of_another_version_is_refused_with_the_fix(pristine, tmp_path) -> None:
    path = next(pristine.glob("*.usx"))
    old = tmp_path / path.name
    raw = bytearray(path.read_bytes())
    raw[:4] = b"USX2"
    old.write_bytes(bytes(raw))
    with pytest.raises(usx.SegmentFileError, match="another version.*rebuild"):
        usx.SegmentPostings(old)


def test_every_table_is_read_not_mapped(pristine) -> None:
    """Nothing of a ``.usx`` file stays mapped: its tables are copies (a cut file cannot
    take the process down with SIGBUS)."""
    sp = usx.SegmentPostings(next(pristine.glob("*.usx")))
    maps = Path("/proc/self/maps").read_text()
    assert sp.path not in maps
    assert all(isinstance(sp.array(n).base, bytes) for n in sp.names()
               if not n.endswith(".data"))
    sp.close()


def test_every_kind_of_store_file_has_bytes_to_damage(pristine) -> None:
    for kind in WHOOSH_KINDS:
        assert all(p.stat().st_size for p in pristine.glob(f"*{kind}")), kind


def test_a_sums_file_records_every_whoosh_file(pristine) -> None:
    seg = next(pristine.glob("*.usx")).stem
    sums = checksum.read_sums(str(pristine), seg)
    assert sorted(sums) == [seg + k for k in sorted(WHOOSH_KINDS)]
    for name, (size, value) in sums.items():
        assert checksum.file_sum(str(pristine / name)) == (size, value)


# -- the files beside the segments: the TOC, unionsearch.json, the SQLite files ----------

def _toc(index: Path) -> Path:
    (toc,) = index.glob("_articles_*.toc")
    return toc


def test_a_damaged_toc_or_meta_file_is_refused_before_it_is_parsed(pristine, tmp_path) -> None:
    """Random flips, cuts and appended bytes in the table of contents and in
    ``unionsearch.json``: each refused by its checksum (nothing of it parsed, so a pickle
    in a TOC never reaches even the restricted unpickler), as damage naming the file, and
    reported by ``check``."""
    work = tmp_path / "idx"
    shutil.copytree(pristine, work, ignore=shutil.ignore_patterns("staging"))
    rng = np.random.default_rng(11)
    outcome: dict[str, int] = {}
    for path, trials in ((_toc(work), 400), (work / META_FILE, 400)):
        raw = path.read_bytes()
        for trial in range(trials):
            how, bad = _damaged_bytes(raw, rng)
            path.write_bytes(bad)
            with pytest.raises(IndexDamaged, match=path.name):
                if path.name == META_FILE:
                    read_meta(work)
                else:
                    try:
                        store.Store.open(str(work))
                    except store.StoreDamaged as exc:
                        raise IndexDamaged(str(exc)) from None
            if trial % 40 == 0:  # the whole check (it reads every segment): a sample
                verdict = check_index(str(work), quick=True, sample=0)
                assert any(path.name in p.what for p in verdict.problems), (how, verdict)
            outcome[f"{path.suffix} {how}"] = outcome.get(f"{path.suffix} {how}", 0) + 1
        path.write_bytes(raw)
    print(outcome)
    assert check_index(str(work), quick=True, sample=0).sound


def _sqlite_damage(raw: bytes, how: str) -> bytes:
    """SQLite files damaged as a disk or a hand does: the header overwritten, cut short,
    the first b-tree page after the schema zeroed, or its page header scribbled on."""
    page = int.from_bytes(raw[16:18], "big") or 65536
    b = bytearray(raw)
    if how == "header":
        b[:16] = b"not a database!\0"
    elif how == "cut":
        del b[len(b) // 2:]
    elif how == "zeroed page":
        b[page:2 * page] = bytes(page)
    else:  # the b-tree page header: page type, cell count, first cell
        b[page:page + 8] = b"\x0b\xff\xff\xff\xff\xff\xff\xff"
    return bytes(b)


def test_damaged_databases_tables_of_contents_and_meta_files_are_reported_not_raised(
        pristine, tmp_path) -> None:
    """Through the commands: a damaged ``merges.db`` or ``corrections.db`` is named by
    ``check`` (SQLite's own integrity check) and refused by an import with the fix; a
    damaged TOC or ``unionsearch.json`` stops ``search`` and ``check`` as damage.  Never a
    traceback, never exit 1."""
    from indexer.corrections import Corrections

    from .helpers import unionsearch, write_jsonl

    base = tmp_path / "base"
    shutil.copytree(pristine, base, ignore=shutil.ignore_patterns("staging"))
    with Corrections(base) as fixes:  # a reader's flag: corrections.db exists
        fixes.add_flag("df000001", "typo", "错字", "127.0.0.1")
        fixes.save()
    assert (base / "merges.db").exists() and (base / "corrections.db").exists()
    more = write_jsonl(tmp_path / "more.jsonl", corpus_rows(2, prefix="mo", body_chars=80))
    cases = [(db, how) for db in ("merges.db", "corrections.db")
             for how in ("header", "cut", "zeroed page", "page header")]
    cases += [(_toc(base).name, "flip"), (META_FILE, "flip")]
    for n, (name, how) in enumerate(cases):
        work = tmp_path / f"case{n}"
        shutil.copytree(base, work)
        raw = (work / name).read_bytes()
        if how == "flip":
            bad = bytearray(raw)
            bad[len(bad) // 3] ^= 0x10
            (work / name).write_bytes(bytes(bad))
        else:
            (work / name).write_bytes(_sqlite_damage(raw, how))
        done = unionsearch("check", "--index-dir", str(work))
        assert done.returncode == 2 and name in done.stderr, (name, how, done.stderr)
        assert "Traceback" not in done.stderr
        if name.endswith(".db"):
            done = unionsearch("index", str(more), "--index-dir", str(work))
        else:
            done = unionsearch("search", "工人", "--index-dir", str(work))
        assert done.returncode == 2 and "damaged" in done.stderr, (name, how, done.stderr)
        assert name in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_a_damaged_corrections_file_answers_503_never_500(pristine, tmp_path) -> None:
    """A reader's flag is written to ``corrections.db``: with the file damaged the page
    answers 503 saying what to run, while searching and reading articles (which never
    touch it) go on."""
    import re

    from indexer.corrections import Corrections
    from web.app import create_app

    work = tmp_path / "idx"
    shutil.copytree(pristine, work, ignore=shutil.ignore_patterns("staging"))
    with Corrections(work) as fixes:
        fixes.add_flag("df000002", "typo", "错字", "127.0.0.1")
        fixes.save()
    db = work / "corrections.db"
    db.write_bytes(_sqlite_damage(db.read_bytes(), "page header"))
    client = create_app(index_dir=str(work)).test_client()
    page = client.get("/articles/df000001")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    resp = client.post("/articles/df000001/flag", data={"kind": "title", "csrf_token": token})
    assert resp.status_code == 503 and "unionsearch check" in resp.text
    assert client.get("/api/search?q=经济").status_code == 200
