"""A list kept to some documents reads only the checksum blocks those documents need.

A conjunction's other lists, the filters' documents, a date-sorted page's candidates and a
phrase's later bigrams are decoded only in the 128-document blocks holding a candidate;
``search/storage/partial_reads.py`` reads only the 4 KB checksum blocks those blocks' bytes
lie in, each checked.  Checked here, on an index written with 64-byte checksum blocks (so
the corpus's lists span many): lists read in part decode to what the whole lists decode to
for every kind of candidate set, far fewer blocks are read, generated searches answer the
same page, scores, total and facets with and without partial reads, a flipped byte in a
block read in part is refused as damage naming the file, and a flipped byte in a block no
candidate needs leaves the answer what the intact index gives while ``unionsearch check``
still finds it.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil

import numpy as np
import pytest

from indexer.check import checksum_problems
from indexer.readers import read
from indexer.writer import import_items
from search import schema as f
from search.engine import Engine
from search.reports.trends import archive_dates
from search.results import run
from search.storage import postings_view
from search.storage.usx import postings
from search.storage.usx.postings import BLOCK_DOCS, SegmentPostings
from search.storage.usx.varint import DamagedPostings
from search.text.analysis import words

from .helpers import CORPUS
from .test_skipping import _queries

SMALL_BLOCK = 64  # bytes a checksum covers in this module's index (the format's: 4 KB)


@pytest.fixture(scope="module")
def small_blocks(tmp_path_factory, corpus_docs) -> str:
    """The corpus indexed with 64-byte checksum blocks and a skip table on every list
    of more than one 128-document block."""
    path = tmp_path_factory.mktemp("partial") / "idx"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(postings, "SKIP_MIN_DOCS", BLOCK_DOCS)  # import workers are forked
        mp.setattr(postings, "BLOCK", SMALL_BLOCK)
        summary = import_items(str(path), read([str(CORPUS)]))
    assert summary.added == len(corpus_docs)
    return str(path)


@pytest.fixture(autouse=True)
def _reading_in_part(monkeypatch) -> None:
    """The service reads lists whole by default; this module tests the reads in part
    (a test comparing both sets the switch itself)."""
    monkeypatch.setattr(postings_view, "PARTIAL_READS", True)


@pytest.fixture
def blocks_read(monkeypatch) -> dict:
    """Counts the checksum blocks of lists read from ``.usx`` files (the real reads)."""
    seen = {"blocks": 0}
    real = SegmentPostings.read_blocks

    def counted(self, field, first, last):  # noqa: ANN001, ANN202
        if not field.endswith(".skips"):  # the lists, not their skip records
            seen["blocks"] += last - first + 1
        return real(self, field, first, last)

    monkeypatch.setattr(SegmentPostings, "read_blocks", counted)
    monkeypatch.setattr(postings_view, "SKIP_MIN_DOCS", BLOCK_DOCS)  # every table read
    return seen


def _long_grams(view, docs: list[dict], field: str, n: int) -> list[str]:
    """Bigrams of the first articles whose list spans several checksum blocks somewhere,
    longest lists first."""
    text = "".join("".join(d["body"].split()) for d in docs[:30])
    grams = {text[i : i + 2] for i in range(len(text) - 1)}
    sized = sorted(((view.list_bytes(field, g), g) for g in grams), reverse=True)
    return [g for size, g in sized[:n] if size > 8 * SMALL_BLOCK]


def _candidate_sets(n: int, rng) -> list[np.ndarray]:  # noqa: ANN001
    """One document, a few, every 50th and 10th, one stretch of docnums (a date range
    over an archive imported in date order), and all."""
    lo = int(rng.integers(0, n - n // 20))
    return [np.array([int(rng.integers(0, n))]), np.sort(rng.choice(n, 6, replace=False)),
            np.arange(0, n, 50), np.arange(3, n, 10), np.arange(lo, lo + n // 20),
            np.arange(n)]


def test_lists_read_in_part_decode_as_the_whole_lists(small_blocks, corpus_docs,
                                                      blocks_read, monkeypatch, caplog):
    """Bigram lists with and without positions, and word lists, kept to six kinds of
    candidate sets: the documents, counts and positions of the whole lists kept to the
    candidates, from under half of the checksum blocks for one document or a stretch of
    docnums; a bigram list's documents and counts, whole, without reading its positions
    (either way)."""
    view = Engine(small_blocks).state().view
    n = len(view.live)
    rng = np.random.default_rng(28)
    grams = _long_grams(view, corpus_docs, f.TEXT_G, 40)
    sized = sorted({(view.list_bytes(f.TEXT, w), w) for d in corpus_docs[:60]
                    for w in words(d["body"])}, reverse=True)
    ws = [w for size, w in sized[:10] if size > 4 * SMALL_BLOCK]
    cases = [(f.TEXT_G, g, pos) for g in grams for pos in (True, False)]
    cases += [(f.TEXT, w, False) for w in ws]
    assert len(grams) >= 20 and len(ws) >= 4
    read = {(kind, partial): 0 for kind in range(6) for partial in (True, False)}
    for field, term, positions in cases:
        for kind, cand in enumerate(_candidate_sets(n, rng)):
            got = {}
            for partial in (True, False):
                monkeypatch.setattr(postings_view, "PARTIAL_READS", partial)
                before = blocks_read["blocks"]
                enc = view.fetch(field, view.locate(field, term))
                p = view.decode_in(enc, cand, positions)
                read[kind, partial] += blocks_read["blocks"] - before
                got[partial] = (p.docs.tolist(), p.weights.tolist(),
                                None if p.positions is None else p.positions.tolist())
            assert got[True] == got[False], (term, positions, len(cand))
        if field == f.TEXT_G and not positions:  # documents and counts of the whole lists
            whole = {}
            for partial in (True, False):
                monkeypatch.setattr(postings_view, "PARTIAL_READS", partial)
                before = blocks_read["blocks"]
                p = view.decode(view.fetch(field, view.locate(field, term)), positions=False)
                read["counts", partial] = read.get(("counts", partial), 0) + (
                    blocks_read["blocks"] - before)
                whole[partial] = (p.docs.tolist(), p.weights.tolist(), p.positions)
            assert whole[True] == whole[False] and whole[True][2] is None, term
            before = blocks_read["blocks"]
            view.decode(view.fetch(field, view.locate(field, term)), positions=True)
            read["whole"] = read.get("whole", 0) + blocks_read["blocks"] - before
    # One or six documents: a few blocks of each list; a stretch
    # of docnums: the blocks of that stretch; never more than the whole lists.
    assert read[0, True] * 2 < read[0, False] and read[1, True] < read[1, False], read
    assert read[4, True] * 2 < read[4, False], read
    assert all(read[kind, True] <= read[kind, False] for kind in range(6)), read
    # A bigram list's documents and counts are read without its positions, whether or
    # not lists are read in part.
    assert read["counts", True] == read["counts", False], read
    assert read["counts", False] * 2 < read["whole"], read
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_searches_answer_the_same_reading_lists_in_part(small_blocks, corpus_docs,
                                                        blocks_read, monkeypatch, caplog):
    """200 generated searches (words, two words, runs, phrases; a quarter filtered by
    dates or a reporter), by relevance and a fifth newest first: the same total, facets,
    hits and scores with partial reads and without, and fewer blocks read."""
    engine = Engine(small_blocks)
    st = engine.state()
    table = engine.synonyms.current()
    reqs = [r.within(*archive_dates(st)) for r in _queries(corpus_docs, 200, seed=2828)]
    reqs = [dataclasses.replace(r, sort="newest") if k % 5 == 4 else r
            for k, r in enumerate(reqs)]

    def answers(partial: bool) -> tuple[list[dict], int]:
        monkeypatch.setattr(postings_view, "PARTIAL_READS", partial)
        before = blocks_read["blocks"]
        out = []
        for req in reqs:
            res = dict(run(st, req, table))
            res.pop("took_ms", None)
            out.append(res)
        return out, blocks_read["blocks"] - before

    in_part, fewer = answers(True)
    whole, more = answers(False)
    found = 0
    for req, a, b in zip(reqs, in_part, whole, strict=True):
        assert a == b, req.q
        found += a["total"] > 0
    assert found > 140
    assert fewer < more, (fewer, more)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def _read_in_part(view, field: str, term: str, cand: np.ndarray, monkeypatch):  # noqa: ANN001, ANN202
    """The checksum block runs ``decode_in`` reads for ``cand``:
    ``[(file, field, first, last)]``."""
    runs = []
    real = SegmentPostings.read_blocks

    def recorded(self, fl, first, last):  # noqa: ANN001, ANN202
        runs.append((self, fl, first, last))
        return real(self, fl, first, last)

    with monkeypatch.context() as mp:
        mp.setattr(SegmentPostings, "read_blocks", recorded)
        view.decode_in(view.fetch(field, view.locate(field, term)), cand)
    return runs


def _flip(path: str, at: int) -> None:
    with open(path, "r+b") as fh:
        fh.seek(at)
        byte = fh.read(1)[0]
        fh.seek(at)
        fh.write(bytes([byte ^ 0x5A]))


def test_a_flipped_byte_in_a_block_read_in_part_is_refused(small_blocks, corpus_docs,
                                                           tmp_path, monkeypatch):
    """In a copy of the index: a byte flipped inside a checksum block a candidate's block
    is read from makes the read refuse the list as damaged, naming the file and the block;
    a byte flipped in a block of the same list no candidate needs leaves the answer the
    intact index gives (that byte is never used) and ``unionsearch check`` finds it."""
    monkeypatch.setattr(postings_view, "SKIP_MIN_DOCS", BLOCK_DOCS)
    intact = Engine(small_blocks).state().view
    field = f.TEXT  # the longest word list: eight skip blocks in a segment of this index
    term = max({w for d in corpus_docs[:30] for w in words(d["body"])},
               key=lambda w: intact.list_bytes(field, w))
    place = intact.locate(field, term)
    k = max(range(len(place)), key=lambda j: place.lists[j][1] - place.lists[j][0])
    sp, _, offset = place.found[k]
    start, stop = place.lists[k]
    first_block, last_block = start // SMALL_BLOCK, (stop - 1) // SMALL_BLOCK
    assert last_block - first_block > 8
    cand = np.array([offset + sp.doc_count // 2])  # one document in the list's middle
    runs = [(a, b) for s, fl, a, b in _read_in_part(intact, field, term, cand, monkeypatch)
            if s is sp and fl == field]
    used = {blk for a, b in runs for blk in range(a, b + 1)}
    assert 1 < len(used) < (last_block - first_block + 1) // 2
    want = intact.decode_in(intact.fetch(field, place), cand)
    assert len(want.docs) == 1  # the word is in nearly every article
    read_at = max(used)  # a block past the list's first, read for the candidate alone
    unread = next(blk for blk in range(last_block - 1, first_block, -1) if blk not in used)
    data_at = sp._data[field][0]
    seg_id = sp.path.rsplit("/", 1)[-1][: -len(postings.SUFFIX)]

    for blk, refused in ((read_at, True), (unread, False)):
        folder = tmp_path / f"idx-{blk}"
        shutil.copytree(small_blocks, folder)
        path = str(folder / sp.path.rsplit("/", 1)[-1])
        _flip(path, data_at + blk * SMALL_BLOCK + SMALL_BLOCK // 2)
        view = Engine(str(folder)).state().view
        enc = view.fetch(field, view.locate(field, term))
        if refused:
            with pytest.raises(DamagedPostings, match=f"block {blk} of {field} in .*{seg_id}"):
                view.decode_in(enc, cand)
        else:
            got = view.decode_in(enc, cand)
            assert (got.docs.tolist(), got.weights.tolist()) == (want.docs.tolist(),
                                                                 want.weights.tolist())
            with pytest.raises(DamagedPostings, match=f"block {blk} of {field}"):
                view.decode(enc)  # the whole list is refused
        problems = checksum_problems(str(folder), seg_id)
        assert problems and any(f"block {blk}" in p or "checksum" in p for p in problems)


def test_skip_records_that_do_not_fit_are_refused_when_read_in_part(small_blocks,
                                                                    corpus_docs, monkeypatch):
    """A skip record changed in memory (as a table crafted with its checksum made again
    would be) makes a list read in part refused as damage, never decoded from the zeros
    left where nothing was read."""
    monkeypatch.setattr(postings_view, "SKIP_MIN_DOCS", BLOCK_DOCS)
    view = Engine(small_blocks).state().view
    term = _long_grams(view, corpus_docs, f.TEXT_G, 1)[0]
    n = len(view.live)
    cand = np.arange(0, n, 97)
    for column, value in ((0, 1), (1, 0), (1, 10**9), (2, 3), (3, 7), (0, 2**31)):
        enc = view.fetch(f.TEXT_G, view.locate(f.TEXT_G, term))
        s = next(j for j, sk in enumerate(enc.skips) if len(sk) > 8)
        skips = enc.skips[s].copy()
        skips[4 + column] = value
        enc.skips[s] = skips
        with pytest.raises(DamagedPostings, match="damaged postings"):
            view.decode_in(enc, cand)
