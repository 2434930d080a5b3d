"""The store (search/storage/store.py) owns Whoosh: no other module imports it, nothing of it
leaves the store, and each Whoosh internal the store still relies on behaves as the
store expects (each test below pins one, against Whoosh's own public API where there
is one).  The index stays a Whoosh index: Whoosh's ``open_dir`` reads it unaided.
"""

from __future__ import annotations

import ast
import os
import shutil
from pathlib import Path

import pytest
from whoosh.index import open_dir  # the oracle: Whoosh's public API

from search import schema as f
from search.document import Article, to_fields
from search.storage import store
from search.storage.store import Leaf, Segment, SegmentBuilder, Snapshot, Store, merge_into

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("search", "indexer", "web")
HANDLES = {"_r", "_s", "_w", "_seg", "_index"}  # the store's types' Whoosh objects


def _sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def test_only_the_store_imports_whoosh() -> None:
    importers = set()
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "whoosh" or n.startswith("whoosh.") for n in names):
                importers.add(str(path.relative_to(ROOT)))
    assert importers == {"search/storage/store.py"}


def test_no_module_reaches_into_the_stores_handles() -> None:
    """The Whoosh object inside a Segment, Leaf, Snapshot, builder or writer is an
    attribute no other module reads (so none can pass it on)."""
    reaching = []
    for path in _sources():
        if path.name == "store.py" and path.parent.name == "storage":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in HANDLES:
                reaching.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert not reaching, reaching


def _doc(n: int, reporters: str = "甲") -> dict:
    return {f.ID: f"s{n:05d}", f.TITLE: f"标题{n}", f.BODY: f"正文{n}", f.DATE: "2020-01-02",
            f.REPORTER: reporters, f.DAY: 20200101 + n % 28, f.ADDED: 1_000 + n,
            f.PAPER: "grrb" if n % 3 == 0 else "ldwb"}


def _build(folder: Path, docs: list[dict]) -> tuple[Store, Segment]:
    Store.create(str(folder))
    staging = Store.open(str(folder))
    builder = SegmentBuilder(staging)
    for doc in docs:
        builder.add(doc)
    return staging, builder.finish()


def _move(seg: Segment, src: Path, dst: Path) -> None:
    for p in src.glob(seg.segment_id() + ".*"):
        os.replace(p, dst / p.name)


@pytest.fixture(scope="module")
def idx(tmp_path_factory) -> Path:
    """Two committed segments: 300 articles (甲 on all: a three-block list; 乙 on five:
    inlined) and 40 more."""
    root = tmp_path_factory.mktemp("store")
    folder = root / "idx"
    Store.create(str(folder))
    main = Store.open(str(folder))
    built = []
    for k, docs in enumerate(([_doc(n, "甲,乙" if n % 60 == 0 else "甲") for n in range(300)],
                              [_doc(n, "丙") for n in range(300, 340)])):
        _, seg = _build(root / f"staging{k}", docs)
        _move(seg, root / f"staging{k}", folder)
        built.append(seg)
    writer = main.writer()
    writer.commit(writer.segments + built)
    return folder


def test_every_file_of_a_segment_is_named_after_it(idx) -> None:
    """``segment_id_of`` (the store's copy of Whoosh's file-name pattern) gives each file
    Whoosh wrote for a segment that segment's id, and no other file one."""
    ids = {s.segment_id() for s in Store.open(str(idx)).committed()}
    named = {p.name: store.segment_id_of(p.name) for p in idx.iterdir()}
    assert {sid for sid in named.values() if sid} == ids
    for sid in ids:
        kinds = {n[len(sid):] for n, s in named.items() if s == sid}
        assert kinds == {"._stored.col", ".added.col", ".day.col", ".pst", ".trm"}, kinds
    assert {n for n, s in named.items() if s is None} == {
        store.toc_name(Store.open(str(idx)).latest_generation()), "articles_WRITELOCK"}


def test_what_the_store_hands_out_is_the_projects_own(idx) -> None:
    main = Store.open(str(idx))
    values: list[object] = [main, main.committed(), main.latest_generation(),
                            main.field_names()]
    with main.searcher() as snap:
        leaves = snap.leaves()
        values += [snap, leaves, snap.generation, snap.doc_count(), snap.stored_fields(0),
                   snap.document_number(id="s00001"), snap.document(id="s00001"),
                   list(snap.all_stored_fields())[:2]]
        for leaf in leaves:
            values += [list(leaf.lexicon(f.REPORTER)), leaf.term_docs(f.REPORTER, b"\xe7\x94\xb2"),
                       leaf.numeric_column(f.DAY), leaf.live_mask(), leaf.stored_fields(0),
                       leaf.find(f.ID, b"s00001"), leaf.indexed_fields()]
    seen, stack = [], list(values)
    while stack:
        v = stack.pop()
        seen.append(type(v))
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
    assert not [t for t in seen if t.__module__.split(".")[0] == "whoosh"], seen
    assert {Store, Snapshot, Leaf, Segment} <= set(seen)


def test_only_what_is_read_has_postings(idx) -> None:
    """The day and the import time are columns only: no term of them is written."""
    with Store.open(str(idx)).searcher() as snap:
        for leaf in snap.leaves():
            assert set(leaf.indexed_fields()) <= {f.ID, f.REPORTER, f.PAPER}
            assert leaf.numeric_column(f.DAY) is not None
            assert leaf.numeric_column(f.ADDED) is not None
    ix = open_dir(str(idx), indexname=store.INDEX_NAME)
    with ix.searcher() as s:
        indexed = set(s.reader().indexed_field_names())
        assert f.DAY not in indexed and f.ADDED not in indexed and f.ID in indexed


def test_term_docs_reads_every_block_as_whooshs_matcher_does(idx) -> None:
    """Pins ``reader._terms`` and ``W3LeafMatcher``'s block internals: a three-block list,
    an inlined one, a missing term."""
    ix = open_dir(str(idx), indexname=store.INDEX_NAME)
    with ix.searcher() as s, Store.open(str(idx)).searcher() as snap:
        for (oracle, _), leaf in zip(s.reader().leaf_readers(), snap.leaves(), strict=True):
            for field in (f.REPORTER, f.PAPER, f.ID):
                for btext in oracle.lexicon(field):
                    want = list(oracle.postings(field, btext).all_ids())
                    assert leaf.term_docs(field, btext).tolist() == want, (field, btext)
            assert leaf.term_docs(f.REPORTER, "无此人".encode()) is None
        first = snap.leaves()[0]
        assert len(first.term_docs(f.REPORTER, "甲".encode())) == 300  # > 2 blocks of 128
        assert first.term_docs(f.REPORTER, "乙".encode()).tolist() == [0, 60, 120, 180, 240]


def test_numeric_columns_read_as_whooshs_column_reader(idx) -> None:
    """Pins ``reader._perdoc`` (``has_column``, ``_get_column_file``) and the column
    type's ``_typecode``."""
    ix = open_dir(str(idx), indexname=store.INDEX_NAME)
    with ix.searcher() as s, Store.open(str(idx)).searcher() as snap:
        for (oracle, _), leaf in zip(s.reader().leaf_readers(), snap.leaves(), strict=True):
            for name in (f.DAY, f.ADDED):
                want = list(oracle.column_reader(name))
                assert leaf.numeric_column(name).tolist() == want, name


def test_a_builder_takes_no_lock_and_a_writer_commits_segments_built_elsewhere(
        idx, tmp_path) -> None:
    """Pins ``SegmentWriter(_lk=False)``, ``_finalize_segment``, ``_finish``,
    ``_close_segment``, ``_commit_toc``, ``newsegment``: a segment is built while the
    store's lock is held elsewhere; the generation committed holds exactly the segments
    given, and the writer's own empty segment leaves no file."""
    folder = tmp_path / "idx"
    shutil.copytree(idx, folder)
    main = Store.open(str(folder))
    with main.write_lock() as held:
        assert held
        staging, seg = _build(tmp_path / "staging", [_doc(n, "丁") for n in range(500, 510)])
    _move(seg, tmp_path / "staging", folder)
    before = main.committed()
    writer = main.writer()
    own = writer.new_segment_id()
    writer.commit(writer.segments[1:] + [seg])
    after = Store.open(str(folder)).committed()
    assert [s.segment_id() for s in after] == [before[1].segment_id(), seg.segment_id()]
    assert not list(folder.glob(own + ".*")), "the writer's own segment left files"
    assert not list(folder.glob(before[0].segment_id() + ".*")), "a dropped segment's files"
    with Store.open(str(folder)).searcher() as snap:
        assert snap.doc_count() == 50 and snap.document(id="s00505")[f.TITLE] == "标题505"


def test_merge_copies_stored_articles_and_columns(idx, tmp_path) -> None:
    """Pins the stored-fields column internals a merge copies compressed bytes through
    (``_cached_reader``, ``_child``, ``perdocwriter._get_column``, the replaced
    ``STORED_COLUMN``): the merged segment holds the live articles, as they were."""
    main = Store.open(str(idx))
    segs = main.committed()
    segs[0].delete_document(7)  # in memory only: the committed TOC is not rewritten
    staging = Store.create(str(tmp_path / "staging"))
    merged = merge_into(staging, main, segs)
    assert merged.doc_count_all() == 339
    ix = open_dir(str(idx), indexname=store.INDEX_NAME)
    with ix.searcher() as s:
        want = [d for d in s.reader().all_stored_fields() if d[f.ID] != "s00007"]
    leaf = staging.open_segment(merged)
    try:
        got = [leaf.stored_fields(n) for n in range(leaf.doc_count_all())]
        assert got == want
        days = leaf.numeric_column(f.DAY).tolist()
        assert days == [_doc(n)[f.DAY] for n in range(340) if n != 7]
        assert leaf.term_docs(f.ID, b"s00007") is None
    finally:
        leaf.close()


def test_stored_fields_are_opened_with_the_generation(idx, tmp_path) -> None:
    """Pins ``_perdoc._cached_reader``: a stored-fields file gone before the generation's
    first article is read makes :meth:`Snapshot.open_stored` say so."""
    folder = tmp_path / "idx"
    shutil.copytree(idx, folder)
    snap = Store.open(str(folder)).searcher()
    try:
        next(folder.glob("*._stored.col")).unlink()
        with pytest.raises(FileNotFoundError, match="stored fields"):
            snap.open_stored()
    finally:
        snap.close()


def test_a_toc_carries_a_checksum_whoosh_reads_past(idx, tmp_path) -> None:
    """The footer is appended when Whoosh renames its TOC into place (``rename_file``)
    and checked before Whoosh reads it (``open_file``); Whoosh alone reads the TOC and
    ignores the footer."""
    folder = tmp_path / "idx"
    shutil.copytree(idx, folder)
    (toc,) = folder.glob("_articles_*.toc")
    raw = toc.read_bytes()
    assert raw[-20:-12] == store.TOC_MAGIC  # magic, length, CRC32C
    assert len(open_dir(str(folder), indexname=store.INDEX_NAME).searcher().reader()
               .leaf_readers()) == 2
    bad = bytearray(raw)
    bad[len(bad) // 2] ^= 1
    toc.write_bytes(bytes(bad))
    with pytest.raises(store.StoreDamaged, match=f"{toc.name}.*checksum"):
        Store.open(str(folder))
    assert store.exists_in(str(folder))  # by its name alone: nothing read
    toc.write_bytes(raw[:-4])
    with pytest.raises(store.StoreDamaged, match="footer"):
        Store.open(str(folder))


def _segment_files(folder: Path, seg: Segment) -> dict[str, bytes]:
    sid = seg.segment_id()
    return {p.name[len(sid):]: p.read_bytes() for p in folder.glob(sid + ".*")}


def test_a_builder_writes_the_bytes_whooshs_add_document_writes(tmp_path) -> None:
    """``SegmentBuilder.add`` makes an id's term itself and a reporter or paper value's
    terms once per value: the segment it writes is byte for byte the one Whoosh's own
    ``add_document`` writes from the same articles (stored fields, terms, postings,
    columns), including articles without a paper, with several reporters, with a
    printed page, with an empty or odd id."""
    docs = []
    for n in range(400):
        doc = to_fields(Article(title=f"标题{n % 7}", body=f"正文{n}" * (n % 5 + 1),
                                date=f"20{10 + n % 9}-0{1 + n % 9}-1{n % 10}",
                                reporters=[["甲"], ["甲", "乙 丙"], [], ["Ｘ记者"]][n % 4],
                                page=str(n % 8) if n % 3 else None, kicker="引" * (n % 2),
                                url=f"http://x/{n}" if n % 2 else None,
                                paper=["", "ldwb", "grrb"][n % 3],
                                printed={"file": "a.pdf", "page": n} if n % 11 == 0 else None,
                                id=[None, "a/b c", "编号-1"][n % 3] and f"{n}-{n % 3}"))
        docs.append(doc)
    docs[5][f.ID] = ""
    Store.create(str(tmp_path / "fast"))
    Store.create(str(tmp_path / "whoosh"))
    fast = SegmentBuilder(Store.open(str(tmp_path / "fast")))
    plain = SegmentBuilder(Store.open(str(tmp_path / "whoosh")))
    for doc in docs:
        fast.add(doc)
        plain._w.add_document(**doc)
    a = _segment_files(tmp_path / "fast", fast.finish())
    b = _segment_files(tmp_path / "whoosh", plain.finish())
    assert a.keys() == b.keys() and len(a) >= 4
    assert [k for k in a if a[k] != b[k]] == []


def test_a_builder_hands_what_it_does_not_plan_for_to_whoosh(tmp_path) -> None:
    """A field the schema does not know is refused as Whoosh refuses it."""
    from whoosh.fields import UnknownFieldError

    Store.create(str(tmp_path))
    builder = SegmentBuilder(Store.open(str(tmp_path)))
    with pytest.raises(UnknownFieldError):
        builder.add({**_doc(1), "colour": "red"})
