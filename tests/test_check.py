"""``unionsearch check`` on sound indexes and on indexes damaged on purpose.

Each damage is made to a real index on disk (three segments of real articles): a file
deleted, truncated, or one byte flipped where it carries meaning (an article's text, an
id, a date, a posting, the table of contents' segment name, the fingerprint).  The check
must say "damaged", name the file or segment, give the fix, and exit 2.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from search.storage.folder import read_meta, write_meta

from .helpers import corpus_rows, unionsearch, write_jsonl

ARTICLES, BATCH = 300, 100


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("check")
    rows = write_jsonl(work / "rows.jsonl", corpus_rows(ARTICLES, prefix="c"))
    idx = work / "idx"
    done = unionsearch("index", str(rows), "--index-dir", str(idx), "--batch-size", str(BATCH))
    assert done.returncode == 0, done.stderr
    return idx


@pytest.fixture()
def idx(pristine, tmp_path) -> Path:
    copy = tmp_path / "idx"
    shutil.copytree(pristine, copy, ignore=shutil.ignore_patterns("staging"))
    return copy


def check(idx: Path, *args: str):
    return unionsearch("check", "--index-dir", str(idx), *args)


def files(idx: Path, suffix: str) -> list[Path]:
    return sorted(p for p in idx.iterdir() if p.name.endswith(suffix))


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x04
    path.write_bytes(bytes(data))


def usx_array_offset(path: Path, name: str) -> tuple[int, int]:
    """Where array ``name`` of a .usx file starts, and its length in bytes (the layout of
    search/storage/usx/README.md: magic, header length, JSON header, 8-byte aligned arrays)."""
    raw = path.read_bytes()
    hlen = int.from_bytes(raw[4:8], "little")
    header = json.loads(raw[8:8 + hlen])
    offset, dtype, length, *_ = header["arrays"][name]
    import numpy as np

    return (8 + hlen + 7) // 8 * 8 + offset, length * np.dtype(dtype).itemsize


def test_a_sound_index_is_called_sound(idx) -> None:
    done = check(idx)
    assert done.returncode == 0, done.stderr
    m = re.search(r"sound: .*generation \d+, (\d+) articles? in (\d+) segments?; (\d+) sample",
                  done.stdout)
    assert m, done.stdout
    assert int(m.group(1)) == ARTICLES and int(m.group(2)) >= ARTICLES // BATCH
    assert int(m.group(3)) == 20
    assert "problem" not in done.stdout + done.stderr
    quick = check(idx, "--quick", "--sample", "5")
    assert quick.returncode == 0 and "5 sample phrases" in quick.stdout


def _assert_damaged(idx: Path, *names: str) -> str:
    done = check(idx)
    out = done.stdout + done.stderr
    assert done.returncode == 2, out
    assert "damaged:" in out and "problem:" in out and "Traceback" not in out
    assert any(n in out for n in names), out
    fixes = [ln for ln in out.splitlines() if ln.startswith("  fix:")]
    assert fixes and all(str(idx) in f and "unionsearch " in f for f in fixes), out
    return out


# Every (file, damage) pair but cutting a .pst: here every posting list of the store's
# terms (ids, reporters, papers) is short enough to be kept in the term table, so each
# .pst file is empty and there is nothing to cut (cuts of a longer one:
# tests/test_damaged_files.py).
CASES = [(suffix, how) for suffix in (".usx", "._stored.col", ".day.col", ".trm", ".pst",
                                      ".toc", "unionsearch.json")
         for how in ("deleted", "truncated", "emptied") if suffix != ".pst" or how == "deleted"]


@pytest.mark.parametrize(("suffix", "how"), CASES)
def test_a_missing_or_cut_file_is_found(idx, suffix, how) -> None:
    victim = files(idx, suffix)[-1]
    assert how == "deleted" or victim.stat().st_size
    if how == "deleted":
        victim.unlink()
    else:
        os.truncate(victim, victim.stat().st_size // 2 if how == "truncated" else 0)
    segment = victim.name.split(".")[0]
    _assert_damaged(idx, segment, victim.name, "table of contents", "unionsearch.json")


def test_a_flipped_byte_in_an_articles_text_is_found(idx) -> None:
    stored = files(idx, "._stored.col")[0]
    flip(stored, stored.stat().st_size // 2)
    _assert_damaged(idx, stored.name.split(".")[0])


@pytest.mark.parametrize("array", ["text_g.data", "head_c.data", "text.data", "head.data",
                                   "text_g.ends", "text.keys"])
def test_a_flipped_byte_in_the_postings_is_found(idx, array) -> None:
    usx = files(idx, ".usx")[0]
    start, size = usx_array_offset(usx, array)
    flip(usx, start + size // 2)
    out = _assert_damaged(idx, usx.name.split(".")[0])
    assert usx.name.split(".")[0] in out


def test_a_flipped_byte_in_an_id_or_a_date_is_found(idx) -> None:
    trm = files(idx, ".trm")[0]
    raw = trm.read_bytes()
    at = raw.find(b"c000")  # an article id in the term table
    assert at >= 0
    flip(trm, at + 3)
    _assert_damaged(idx, trm.name.split(".")[0])


def test_a_flipped_date_is_found(idx) -> None:
    day = files(idx, ".day.col")[0]
    flip(day, day.stat().st_size - 1)
    out = _assert_damaged(idx, day.name.split(".")[0])
    assert "date" in out


def test_a_flipped_segment_name_in_the_table_of_contents_is_found(idx) -> None:
    toc = files(idx, ".toc")[0]
    segment = files(idx, ".usx")[0].name.split(".")[0]
    at = toc.read_bytes().find(segment.split("_", 1)[1].encode())
    assert at >= 0
    flip(toc, at + 2)
    _assert_damaged(idx, "table of contents", "cannot be opened")


def test_another_fingerprint_says_rebuild(idx) -> None:
    data = read_meta(idx)
    data["fingerprint"]["analyzer"] = str(data["fingerprint"]["analyzer"]) + "-old"
    write_meta(idx, data)
    out = _assert_damaged(idx, "different format, analyzer")
    assert "--rebuild" in out


def test_an_index_built_before_the_store_had_checksums_says_rebuild(idx) -> None:
    """Its ``unionsearch.json`` as those versions wrote it (no checksum), and a fingerprint
    without the store's format: ``check`` and a search say rebuild, not damaged."""
    data = read_meta(idx)
    del data["fingerprint"]["store"]
    (idx / "unionsearch.json").write_text(json.dumps(data, ensure_ascii=False, indent=1),
                                          encoding="utf-8")
    out = _assert_damaged(idx, "older unionsearch")
    assert "--rebuild" in out
    done = unionsearch("search", "工人", "--index-dir", str(idx))
    assert done.returncode == 2 and "older unionsearch" in done.stderr, done.stderr
    assert "--rebuild" in done.stderr and "Traceback" not in done.stderr
    write_meta(idx, data)  # checksummed, but the fingerprint of then
    done = unionsearch("search", "工人", "--index-dir", str(idx))
    assert done.returncode == 2 and "store: index None" in done.stderr, done.stderr


def test_no_index_at_all(tmp_path) -> None:
    done = check(tmp_path / "nothing")
    assert done.returncode == 2
    assert "does not exist" in done.stderr and "unionsearch index" in done.stderr


def test_leftovers_are_notes_not_damage(idx) -> None:
    stale = idx.parent / f"{idx.name}.rebuild-4242"
    stale.mkdir()
    (stale / "x").write_text("half a rebuild")
    done = check(idx)
    assert done.returncode == 0, done.stderr
    assert f"note: {stale}" in done.stdout and "sound:" in done.stdout


def test_an_index_after_merges_updates_and_deletes_is_sound(tmp_path) -> None:
    """Daily imports merge small segments, updates and deletes leave deleted articles in
    segments: none of that is damage."""
    idx = tmp_path / "idx"
    for day in range(9):
        rows = write_jsonl(tmp_path / f"{day}.jsonl", corpus_rows(12, prefix=f"m{day}_",
                                                                   start=day * 12))
        assert unionsearch("index", str(rows), "--index-dir", str(idx)).returncode == 0
    changed = corpus_rows(12, prefix="m0_")
    changed[3]["title"] += "（更正）"
    assert unionsearch("index", str(write_jsonl(tmp_path / "fix.jsonl", changed)),
                       "--index-dir", str(idx)).returncode == 0
    assert unionsearch("delete", "m1_000013", "--index-dir", str(idx)).returncode == 0
    done = check(idx)
    assert done.returncode == 0, done.stdout + done.stderr
    m = re.search(r"(\d+) articles? in (\d+) segments?", done.stdout)
    assert int(m.group(1)) == 9 * 12 - 1 and int(m.group(2)) < 9
