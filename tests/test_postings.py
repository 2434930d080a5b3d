"""The per-segment text index (``.usx``): what it returns is what a scan of the texts finds."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from search.storage.usx import postings, varint
from search.text.analysis import index_words
from search.text.normalize import squash

from .helpers import corpus_rows, varied_texts


@given(st.lists(st.integers(min_value=0, max_value=2**40), max_size=300))
@settings(max_examples=200, deadline=None)
def test_varint_round_trip(values):
    data, ends = varint.encode(np.asarray(values, dtype=np.uint64))
    assert varint.decode(data).tolist() == values
    assert ends.tolist() == np.cumsum([len(_py_varint(v)) for v in values]).tolist()
    assert data.tobytes() == b"".join(_py_varint(v) for v in values)


@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), min_size=1, max_size=100),
       st.integers(1, 9), st.data())
@settings(max_examples=100, deadline=None)
def test_varint_chunks_and_selected_ends(values, chunk, data):
    """Encoding in chunks gives the same bytes, and the byte ends of the values asked for."""
    at = sorted(data.draw(st.sets(st.integers(0, len(values) - 1))))
    encoded, ends = varint.encode(np.asarray(values, dtype=np.uint32),
                                  at=np.asarray(at, dtype=np.int64), chunk=chunk)
    assert encoded.tobytes() == b"".join(_py_varint(v) for v in values)
    lengths = np.cumsum([len(_py_varint(v)) for v in values])
    assert ends.tolist() == [int(lengths[i]) for i in at]


def _py_varint(v: int) -> bytes:
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def _scan_grams(squashed: list[str], gram: str) -> dict[int, list[int]]:
    found = {}
    for d, s in enumerate(squashed):
        where = [i for i in range(len(s) - 1) if s[i : i + 2] == gram]
        if where:
            found[d] = where
    return found


def test_segment_file_matches_a_scan(tmp_path):
    heads = varied_texts(1, 60)
    bodies = varied_texts(2, 60)
    path = tmp_path / "seg.usx"
    postings.write(path, len(bodies), postings.build(heads, bodies))
    seg = postings.SegmentPostings(path)
    assert seg.doc_count == 60
    for field, texts in (("head", heads), ("text", bodies)):
        squashed = [squash(t) for t in texts]
        words = [index_words(t) for t in texts]
        assert seg.lengths(field).tolist() == [len(w) for w in words]
        rnd = random.Random(field)
        vocab = sorted({w for ws in words for w in ws})
        for word in rnd.sample(vocab, 40) + ["不在其中的词"]:
            tp = seg.term(field, word)
            want = {d: ws.count(word) for d, ws in enumerate(words) if word in ws}
            got = dict(zip(tp.docs.tolist(), tp.freqs.astype(int).tolist(), strict=True)) if tp else {}
            assert got == want, word
            if tp:  # the head of the list alone (related articles' estimate) says as much
                assert seg.doc_frequency(field, seg.term_index(field, word)) == len(want)
        grams = sorted({s[i : i + 2] for s in squashed for i in range(len(s) - 1)})
        for gram in rnd.sample(grams, 40) + ["𠀋𠀋", "ａ1".upper()]:
            tp = seg.term(field + "_g", gram)
            want = _scan_grams(squashed, gram)
            got = {}
            if tp is not None:
                ends = np.cumsum(tp.freqs.astype(int))
                for d, end, n in zip(tp.docs.tolist(), ends.tolist(),
                                     tp.freqs.astype(int).tolist(), strict=True):
                    got[d] = tp.positions[end - n : end].tolist()
            assert got == want, gram
        for ch in "的国工𠀋1a":
            tp = seg.term(field + "_c", ch)
            want = [d for d, s in enumerate(squashed) if ch in s]
            assert (tp.docs.tolist() if tp else []) == want, ch
    seg.close()


def test_damaged_segment_file_is_named(tmp_path):
    path = tmp_path / "bad.usx"
    path.write_bytes(b"not a segment")
    try:
        postings.SegmentPostings(path)
    except postings.SegmentFileError as exc:
        assert "bad.usx" in str(exc)
    else:
        raise AssertionError("a damaged file was accepted")


def test_small_imports_merge_without_losing_text(tmp_path):
    """Daily imports each add a segment; merged tiers keep every article findable by phrase."""
    from search.engine import Engine, SearchRequest
    from search.storage.store import Store

    from .helpers import unionsearch, write_jsonl

    idx = tmp_path / "idx"
    rows = corpus_rows(27, prefix="m", body_chars=200)
    for day in range(9):
        part = write_jsonl(tmp_path / f"day{day}.jsonl", rows[day * 3 : day * 3 + 3])
        r = unionsearch("index", str(part), "--index-dir", str(idx))
        assert r.returncode == 0, r.stderr
    r = unionsearch("delete", rows[0]["id"], "--index-dir", str(idx))
    assert r.returncode == 0, r.stderr

    segments = Store.open(str(idx)).committed()
    assert len(segments) < 9, "the 3-article segments were never merged"
    usx = sorted(p.name for p in idx.glob("*.usx"))
    assert usx == sorted(s.segment_id() + ".usx" for s in segments), "orphaned or missing .usx"

    engine = Engine(str(idx))
    for row in rows[1:]:
        phrase = squash(row["body"])[40:52]
        res = engine.search(SearchRequest(q=f'"{phrase}"', size=50))
        ids = [h["id"] for h in res["hits"]]
        assert row["id"] in ids, (row["id"], phrase)
    gone = squash(rows[0]["body"])[40:52]
    assert rows[0]["id"] not in [h["id"] for h in engine.search(
        SearchRequest(q=f'"{gone}"', size=50))["hits"]]


def test_missing_or_truncated_segment_file_says_rebuild(tmp_path):
    from .helpers import unionsearch, write_jsonl

    idx = tmp_path / "idx"
    src = write_jsonl(tmp_path / "a.jsonl", corpus_rows(30, prefix="d", body_chars=300))
    assert unionsearch("index", str(src), "--index-dir", str(idx)).returncode == 0
    (usx,) = idx.glob("*.usx")
    usx.write_bytes(usx.read_bytes()[: usx.stat().st_size // 2])
    r = unionsearch("search", "经济", "--index-dir", str(idx))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "damaged" in r.stderr and "--rebuild" in r.stderr and "Traceback" not in r.stderr
    usx.unlink()
    r = unionsearch("search", "经济", "--index-dir", str(idx))
    assert r.returncode == 2 and "damaged" in r.stderr and "Traceback" not in r.stderr
    r = unionsearch("index", "--rebuild", str(src), "--index-dir", str(idx))
    assert r.returncode == 0, r.stderr
    r = unionsearch("search", "经济", "--index-dir", str(idx), "--json")
    assert r.returncode == 0, r.stderr


def test_updates_and_deletes_do_not_leave_dead_articles_behind(tmp_path):
    """Re-importing changed articles rewrites a mostly-deleted segment; an emptied one goes."""
    from search.engine import Engine, SearchRequest
    from search.storage.store import Store

    from .helpers import unionsearch, write_jsonl

    idx = tmp_path / "idx"
    rows = corpus_rows(40, prefix="u", body_chars=200)
    src = write_jsonl(tmp_path / "a.jsonl", rows)
    assert unionsearch("index", str(src), "--index-dir", str(idx)).returncode == 0
    changed = [dict(r, body=r["body"] + "（更正版）") for r in rows[:30]]
    r = unionsearch("index", str(write_jsonl(tmp_path / "b.jsonl", changed)),
                    "--index-dir", str(idx))
    assert r.returncode == 0 and "30 updated" in r.stdout, r.stdout

    segments = Store.open(str(idx)).committed()
    assert sum(s.doc_count_all() for s in segments) == 40, "dead articles kept on disk"
    assert sorted(p.name for p in idx.glob("*.usx")) == sorted(
        s.segment_id() + ".usx" for s in segments)
    engine = Engine(str(idx))
    res = engine.search(SearchRequest(q='"更正版"', size=50))
    assert res["total"] == 30
    assert sorted(h["id"] for h in res["hits"]) == sorted(r["id"] for r in rows[:30])
    for row in rows[30:]:
        phrase = squash(row["body"])[20:32]
        assert row["id"] in [h["id"] for h in engine.search(
            SearchRequest(q=f'"{phrase}"', size=50))["hits"]]

    ids = [r["id"] for r in rows]
    assert unionsearch("delete", *ids, "--index-dir", str(idx)).returncode == 0
    segments = Store.open(str(idx)).committed()
    assert segments == [] and not list(idx.glob("*.usx"))


def test_a_generation_merged_away_before_its_files_open_is_skipped(tmp_path):
    """Whoosh opened generation G; an import then merged G's segments away (their .usx
    files are deleted) before the engine opened them: the engine moves on to the newest."""
    from search.engine import Engine, SearchRequest

    from .helpers import unionsearch, write_jsonl

    idx = tmp_path / "idx"
    rows = corpus_rows(27, prefix="g", body_chars=200)

    def import_day(day):
        part = write_jsonl(tmp_path / f"day{day}.jsonl", rows[day * 3 : day * 3 + 3])
        assert unionsearch("index", str(part), "--index-dir", str(idx)).returncode == 0

    for day in range(6):
        import_day(day)
    engine = Engine(str(idx))  # has opened six segments' files
    import_day(6)
    stale = engine.index.searcher()  # Whoosh opens the seventh segment, the engine has not
    before = {p.name for p in idx.glob("*.usx")}
    for day in range(7, 9):
        import_day(day)  # the eighth small segment triggers a merge of the tier
    assert before - {p.name for p in idx.glob("*.usx")}, "no segment was merged away"
    fresh = engine._opened(stale)
    assert fresh.up_to_date() and fresh.doc_count() == 27
    engine._searcher = fresh
    phrase = squash(rows[0]["body"])[30:42]
    assert rows[0]["id"] in [h["id"] for h in engine.search(
        SearchRequest(q=f'"{phrase}"', size=50))["hits"]]


def test_doc_frequency_reads_a_long_lists_head(tmp_path):
    """300 documents: the count is a two-byte number, and the list goes on after it."""
    bodies = [f"工匠精神第{i}篇" * (1 + i % 3) for i in range(300)]
    path = tmp_path / "seg.usx"
    postings.write(path, len(bodies), postings.build([""] * len(bodies), bodies))
    seg = postings.SegmentPostings(path)
    for gram, want in (("工匠", 300), ("神第", 300)):
        assert seg.doc_frequency("text_g", seg.term_index("text_g", gram)) == want
        assert len(seg.term("text_g", gram).docs) == want
    seg.close()


def test_lengths_are_read_again_and_checked_when_asked(tmp_path):
    """A document-length table is not held by an open file (one number an article, read
    once for a generation's columns): asked again it is read again, and a table changed
    on disk since the file opened is refused with the file named, never handed out."""
    import json

    heads, bodies = varied_texts(3, 40), varied_texts(4, 40)
    path = tmp_path / "seg.usx"
    postings.write(path, len(bodies), postings.build(heads, bodies))
    seg = postings.SegmentPostings(path)
    want = [len(index_words(t)) for t in bodies]
    assert seg.lengths("text").tolist() == want
    raw = bytearray(path.read_bytes())
    hlen = int.from_bytes(raw[4:8], "little")
    offset = json.loads(raw[8:8 + hlen])["arrays"]["text.lengths"][0]
    at = (8 + hlen + 7) // 8 * 8 + offset
    with open(path, "r+b") as fh:  # the same file, changed in place
        fh.seek(at)
        fh.write(bytes([raw[at] ^ 0xFF]))
    try:
        seg.lengths("text")
    except varint.DamagedPostings as exc:
        assert "seg.usx" in str(exc) and "text.lengths" in str(exc)
    else:
        raise AssertionError("a changed length table was handed out")
    assert seg.lengths("head").tolist() == [len(index_words(t)) for t in heads]
    seg.close()
