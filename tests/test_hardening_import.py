"""Issue 16, import side: hostile or unlucky inputs, through the real importer and CLI.

Every test imports real files into a real index on disk; where the exit status or the
message matters, ``unionsearch`` runs as a subprocess, as an administrator would run it.
"""

from __future__ import annotations

import json
from pathlib import Path

from search.engine import Engine, SearchRequest

from .helpers import unionsearch


def _ids(engine: Engine, query: str) -> set[str]:
    res = engine.search(SearchRequest.from_params(query, (), None, None, "relevance", "1", "100"))
    return {h["id"] for h in res["hits"]}


# --- 3. segments whose titles (or bodies) are all empty ----------------------------------

def test_segment_with_only_empty_titles_or_bodies_imports_and_is_searchable(tmp_path: Path):
    """Before: IndexError in postings._gram_and_char_fields, traceback, nothing imported."""
    briefs = tmp_path / "briefs.csv"  # untitled briefs: every title empty
    briefs.write_text("id,title,body,date\nb1,,职工书屋今天开放,2022-01-01\n"
                      "b2,,劳模工作室挂牌,2022-01-01\n", encoding="utf-8")
    heads = tmp_path / "heads.jsonl"  # title-only: every body empty
    heads.write_text(json.dumps({"id": "h1", "title": "只有标题的简讯", "body": "",
                                 "date": "2022-01-02"}, ensure_ascii=False) + "\n"
                     + json.dumps({"id": "h2", "title": "第二条标题", "date": "2022-01-02"},
                                  ensure_ascii=False) + "\n", encoding="utf-8")
    page = tmp_path / "2022-01-03.txt"  # a page of headline lines only
    page.write_text("全国总工会召开会议\n\n劳模表彰大会举行\n", encoding="utf-8")
    idx = tmp_path / "idx"
    # One file per import: each batch (so each segment) holds only empty titles or bodies.
    for src in (briefs, heads, page):
        r = unionsearch("index", str(src), "--index-dir", str(idx))
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr
    engine = Engine(str(idx))
    assert engine.stats()["documents"] == 5
    assert _ids(engine, "书屋") == {"b1"}  # body-only, found by its body
    assert _ids(engine, "简讯") == {"h1"}  # title-only, found by its title
    assert _ids(engine, "讯") == {"h1"}  # one character
    assert _ids(engine, '"第二条"') == {"h2"}  # phrase
    assert len(_ids(engine, "劳模表彰")) == 1


# --- 5. one bad line must not abort the batch -----------------------------------------------

def _good(i: int, **kw) -> str:
    return json.dumps({"id": f"g{i}", "title": f"好文章{i}", "body": f"正文{i} 劳模精神",
                       "date": "2022-03-01", **kw}, ensure_ascii=False)


def test_unencodable_or_too_deep_lines_are_rejected_alone(tmp_path: Path):
    """Before: a lone surrogate raised in Article.digest and 100,000 nested brackets a
    RecursionError in the JSON decoder: exit 1 with a traceback, 0 imported."""
    lines = [
        _good(1),                                                             # 1
        '{"id": "s1", "title": "坏\\ud800", "body": "x", "date": "2022-03-01"}',  # 2 surrogate
        "[" * 100_000 + "]" * 100_000,                                        # 3 nested
        '{"title": ' + "[" * 100_000,                                         # 4 nested, cut
        _good(5),                                                             # 5
        '{"id": "s6", "title": "t", "body": "b", "reporter": ["张三", "\\udfff"],'
        ' "date": "2022-03-01"}',                                             # 6 surrogate
        '{"id": "s7\\udc80", "title": "t", "body": "b", "date": "2022-03-01"}',  # 7 in the id
        '{"id": "n8", "title": "t", "body": "1' + "0" * 5000 + '", "date": 1' + "0" * 5000 + "}",
        '{"id": "n9", "title": "空字符\\u0000", "body": "b", "date": "2022-03-01"}',  # 9 \u0000
        _good(10),                                                            # 10
    ]
    src = tmp_path / "mixed.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    idx = tmp_path / "idx"
    r = unionsearch("index", str(src), "--index-dir", str(idx), "--batch-size", "2")
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "3 added, 0 updated, 0 unchanged, 7 rejected" in r.stdout, r.stdout
    expect = {2: "lone surrogate", 3: "nested too deeply", 4: "nested too deeply",
              6: "lone surrogate", 7: "lone surrogate", 8: "not usable JSON", 9: "NUL"}
    for lineno, reason in expect.items():
        got = [ln for ln in r.stderr.splitlines() if f"{src}, line {lineno}:" in ln]
        assert got and reason in got[0], (lineno, r.stderr)
    engine = Engine(str(idx))
    assert _ids(engine, "劳模精神") == {"g1", "g5", "g10"}


# --- 10. CSV decoded per row; NUL bytes treated alike early and late ---------------------------

def test_csv_with_a_gbk_row_near_the_top_and_bad_bytes_late(tmp_path: Path):
    """Before: the encoding guessed from the first 64 KB was used for the whole file: one
    GBK row there garbled or rejected everything; one bad row later stopped the file."""
    rows = [b"id,title,body,date\r\n",
            "c1,职工之家,工会 职工之家 建设,1998-01-07\r\n".encode("gbk"),      # GBK row
            "c2,劳模风采,\"多行\n正文 劳模\",1998-01-08\r\n".encode(),   # UTF-8, 2 lines
            b"c3,\xff\xff\xff,broken,1998-01-09\r\n",                          # neither
            "c4,空字符,正文\x00在此,1998-01-10\r\n".encode(),           # NUL early
            "c5,后面的行,后面的正文 劳模,1998-01-11\r\n".encode()]
    filler = b"".join(f"f{i},填充{i},填充正文{i},1998-02-01\r\n".encode() for i in range(3000))
    late = [b"c6,\xed\xa0\x80,encoded surrogate,1998-01-12\r\n",             # neither, late
            "c7,末尾,正文\x00末尾,1998-01-13\r\n".encode(),              # NUL late
            "c8,末尾好行,末尾 劳模,1998-01-14\r\n".encode("gbk")]
    src = tmp_path / "mixed.csv"
    src.write_bytes(b"".join(rows) + filler + b"".join(late))
    idx = tmp_path / "idx"
    r = unionsearch("index", str(src), "--index-dir", str(idx))
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "3004 added" in r.stdout and "4 rejected" in r.stdout, (r.stdout, r.stderr)
    for lineno, reason in {5: "neither UTF-8 nor GB18030", 6: "NUL",  # c2 spans lines 3-4
                           3008: "neither UTF-8 nor GB18030", 3009: "NUL"}.items():
        got = [ln for ln in r.stderr.splitlines() if f"{src}, line {lineno}: " in ln]
        assert got and reason in got[0], (lineno, r.stderr)
    engine = Engine(str(idx))
    assert engine.get("c1")["title"] == "职工之家"
    assert engine.get("c2")["body"] == "多行\n正文 劳模"
    assert _ids(engine, "劳模") == {"c2", "c5", "c8"}


def test_nul_bytes_are_judged_the_same_early_and_late(tmp_path: Path):
    """Before: a NUL in the first 64 KB rejected the whole file as binary, one later was
    imported into the text.  Now the record holding it is rejected, wherever it is; a
    file that really is binary (or BOM-less UTF-16) is still rejected whole."""
    good = [_good(i) for i in range(2000)]  # ~170 KB: line 2,000 is far past 64 KB
    early, late = list(good), list(good)
    early[1] = early[1].replace("好文章1", "好文\x00章1")
    late[1999] = late[1999].replace("好文章1999", "好文\x00章1999")
    d = tmp_path / "in"
    d.mkdir()
    (d / "early.jsonl").write_text("\n".join(early) + "\n", encoding="utf-8")
    (d / "late.jsonl").write_text("\n".join(late) + "\n", encoding="utf-8")
    (d / "utf16.jsonl").write_bytes("\n".join(good[:50]).encode("utf-16-le"))
    for name in ("early", "late"):
        idx = tmp_path / f"idx-{name}"
        r = unionsearch("index", str(d / f"{name}.jsonl"), "--index-dir", str(idx))
        assert r.returncode == 1 and "1999 added" in r.stdout and "1 rejected" in r.stdout, (
            name, r.stdout, r.stderr)
        lineno = 2 if name == "early" else 2000
        assert f"line {lineno}: NUL" in r.stderr, r.stderr
    r = unionsearch("index", str(d / "utf16.jsonl"), "--index-dir", str(tmp_path / "idx16"))
    assert r.returncode == 1 and "binary" in r.stderr and "0 added" in r.stdout, r.stderr
    # A page dump: the article the NUL lands in is rejected, early or late alike (how many
    # articles the page splits into is indexer/pagedump.py's business: the same both times).
    added = {}
    for n, at in ((1, "early"), (2, "late")):
        body = "本报讯 职工书屋开放。" * 20
        text = ("标题一\n\n" + (body.replace("书屋", "书\x00屋", 1) if at == "early" else body)
                + "\n\n标题二\n\n" + "本报讯 劳模表彰大会举行。" * 5000
                + "\n\n标题三\n\n" + (body.replace("书屋", "书\x00屋", 1) if at == "late" else body)
                + "\n")
        page = tmp_path / f"2022-01-0{n}.txt"
        page.write_text(text, encoding="utf-8")
        r = unionsearch("index", str(page), "--index-dir", str(tmp_path / f"idx-page-{at}"))
        assert r.returncode == 1 and "binary file" not in r.stderr, (at, r.stdout, r.stderr)
        assert "1 rejected" in r.stdout and "NUL character" in r.stderr, (at, r.stdout, r.stderr)
        added[at] = r.stdout.split(" added")[0]
    assert added["early"] == added["late"], added


# --- 6. special files: FIFOs, devices, unreadable folders, endless files -------------------

def _without_dac_override() -> None:
    """preexec_fn: drop root's power to ignore file permissions (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH) from the bounding set, so ``chmod 000`` stops even root."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


HANG_S = 120  # a guard against a hang only: no test here asserts how long anything took


def _returns(call):
    """``call()``'s value; fails if it has not returned after ``HANG_S`` (it would block
    for ever), instead of hanging the suite."""
    import threading

    out: dict = {}

    def run() -> None:
        try:
            out["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            out["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(HANG_S)
    assert not t.is_alive(), "never returned"
    if "error" in out:
        raise out["error"]
    return out["value"]


def _cli(*args: str, timeout: float = 60, preexec_fn=None):
    """The command line; a process of its own where ``preexec_fn`` sets it up (limits,
    privileges dropped), else in this process (helpers.unionsearch)."""
    import os
    import subprocess

    from .helpers import BIN

    if preexec_fn is None:
        return unionsearch(*args)
    return subprocess.run([str(BIN / "unionsearch"), *args], capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ), preexec_fn=preexec_fn)


def test_special_files_are_rejected_not_read(tmp_path: Path):
    """Before: a FIFO hung the import for ever (holding the import lock); a link to
    /dev/zero named like a page ate 5.9 GB in 8 s; an unreadable subfolder vanished."""
    import os

    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "good.jsonl").write_text(_good(1) + "\n", encoding="utf-8")
    os.mkfifo(src / "a-fifo.jsonl")
    os.mkfifo(src / "b-fifo.txt")
    (src / "2022-01-01.txt").symlink_to("/dev/zero")
    (src / "zero.jsonl").symlink_to("/dev/zero")
    (src / "link.jsonl").symlink_to(src / "sub" / "good.jsonl")  # a link to a file: fine
    (src / "c-dangling.csv").symlink_to(src / "nowhere.csv")
    (src / "linked-folder").symlink_to(src / "sub", target_is_directory=True)
    locked = src / "locked"
    locked.mkdir()
    (locked / "x.jsonl").write_text(_good(2) + "\n", encoding="utf-8")
    locked.chmod(0)
    idx = tmp_path / "idx"
    try:  # a FIFO or /dev/zero read would block or never end: the timeout is a hang guard
        r = _cli("index", str(src), str(src / "a-fifo.jsonl"), "--index-dir", str(idx),
                 preexec_fn=_without_dac_override if os.geteuid() == 0 else None,
                 timeout=HANG_S)
    finally:
        locked.chmod(0o755)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    err = r.stderr
    assert f"{src / 'a-fifo.jsonl'}: not a regular file (FIFO)" in err
    assert err.count(f"{src / 'a-fifo.jsonl'}: not a regular file (FIFO)") == 2  # also as an arg
    assert f"{src / 'b-fifo.txt'}: not a regular file (FIFO)" in err
    assert f"{src / '2022-01-01.txt'}: not a regular file (character device)" in err
    assert f"{src / 'zero.jsonl'}: not a regular file (character device)" in err
    assert f"{src / 'c-dangling.csv'}: a link to nothing" in err
    assert f"{locked}: folder not read: Permission denied" in err
    assert f"{src / 'linked-folder'}: a link to a folder: not followed" in err
    # The link and its target are the same article: one added, the other a duplicate.
    assert "1 added" in r.stdout and "duplicate id 'g1'" in err, (r.stdout, err)


def test_readers_check_the_open_file_and_cap_what_they_read(tmp_path: Path):
    """The walk's check can be raced (a file swapped for a FIFO after it looked), so each
    reader checks the descriptor it opened; page files are capped at 20 MB, a streamed line
    at 64 MB, and a line still going after 1 GiB ends the reading."""
    import os

    from indexer.encoding import MAX_LINE_BYTES, MAX_PAGE_BYTES, MAX_SKIP_BYTES
    from indexer.readers import READERS
    from indexer.records import Loaded, Rejection

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for kind, reader in READERS.items():
        for target in (str(fifo), "/dev/zero"):
            items = _returns(lambda: list(reader(target, "2022-01-01")))  # noqa: B023
            assert len(items) == 1 and isinstance(items[0], Rejection), (kind, target, items)
            assert "not a regular file" in items[0].reason, (kind, target, items)

    big = tmp_path / "2022-01-02.txt"  # a page file over 20 MB: refused before reading it
    with open(big, "wb") as fh:
        fh.write("标题\n\n本报讯 正文。\n".encode() * 1000)
        fh.truncate(MAX_PAGE_BYTES + 1)
    items = list(READERS["page"](str(big)))
    assert len(items) == 1 and "up to 20 MB" in items[0].reason, items

    # A sparse file: 1,000 good lines (past the 64 KB the binary check looks at), then 2 GiB
    # of zeros without a line break: one over-long line, never held in memory, and reading
    # stops 1 GiB into it.
    sparse = tmp_path / "sparse.jsonl"
    with open(sparse, "wb") as fh:
        fh.write("".join(_good(i) + "\n" for i in range(1000)).encode())
        fh.truncate(2 * MAX_SKIP_BYTES)
    items = _returns(lambda: list(READERS["jsonl"](str(sparse))))
    loaded = [i for i in items if isinstance(i, Loaded)]
    rejected = [i for i in items if isinstance(i, Rejection)]
    assert len(loaded) == 1000, len(loaded)
    assert [r.where for r in rejected] == ["line 1001"], rejected
    assert "line longer than 1 GiB" in rejected[0].reason
    assert "stopped reading here" in rejected[0].reason
    assert MAX_LINE_BYTES < MAX_SKIP_BYTES


# --- 8. disk full and unwritable folders -----------------------------------------------------

def _corpus_jsonl(path: Path, n: int, prefix: str, start: int = 0) -> Path:
    from .helpers import corpus_rows, write_jsonl

    return write_jsonl(path, corpus_rows(n, prefix=prefix, start=start))


def _mount_tmpfs(path: Path, size: str) -> bool:
    import os
    import subprocess

    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                       capture_output=True)
    return r.returncode == 0


def _umount(path: Path) -> None:
    import subprocess

    subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _assert_clean_failure(r, idx: Path, files_before: set[str], docs: int, reason: str):
    """Exit 2, one clear line naming the cause and the place, nothing left behind, and
    the index as it was."""
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "Lock was not acquired" not in r.stderr
    assert "closed file" not in r.stderr
    assert r.stderr.startswith(f"error: {reason}"), r.stderr
    assert str(idx.parent) in r.stderr, r.stderr
    left = {p.name for p in idx.iterdir()}
    assert left == files_before, (sorted(left - files_before), sorted(files_before - left))
    assert Engine(str(idx)).stats()["documents"] == docs
    assert not list(idx.parent.glob("*.rebuild-*"))


def test_disk_full_says_so_exits_2_and_leaves_no_orphans(tmp_path: Path):
    """Before: a traceback, exit 1, "I/O operation on closed file" or "Lock was not
    acquired", ~2 MB of orphaned segment files and a stray .toc.<n> temp file.

    A real full disk (a 3 MB tmpfs), filled to leave more or less room, so the import
    fails at different points: building a segment, moving it in, merging, writing the
    table of contents.  Without mount permission, a file-size limit (EFBIG) stands in.
    """
    import os
    import resource

    mnt = tmp_path / "mnt"
    mounted = _mount_tmpfs(mnt, "3m")
    preexec = None
    if not mounted:
        def preexec():  # every file the import writes may have at most 256 KB
            resource.setrlimit(resource.RLIMIT_FSIZE, (256 << 10, 256 << 10))
    try:
        idx = mnt / "idx"
        first = _corpus_jsonl(tmp_path / "first.jsonl", 60, "a")
        r = unionsearch("index", str(first), "--index-dir", str(idx))
        assert r.returncode == 0, r.stderr
        files = {p.name for p in idx.iterdir()}
        more = _corpus_jsonl(tmp_path / "more.jsonl", 1500, "b", start=60)
        rounds = [0] if not mounted else [0, 8, 64, 256, 512, 768, 1024, 1280, 1536, 1792]
        for free_kb in rounds:
            filler = mnt / "filler"
            if mounted:
                st = os.statvfs(mnt)
                room = st.f_bavail * st.f_frsize
                with open(filler, "wb") as fh:
                    with suppress_enospc():
                        fh.write(b"\0" * max(0, room - (free_kb << 10)))
            r = _cli("index", str(more), "--index-dir", str(idx), "--batch-size", "300",
                     preexec_fn=preexec)
            _assert_clean_failure(r, idx, files, 60, "disk full: cannot write to ")
            if mounted:
                filler.unlink()
            # Deleting is refused as clearly (it writes a new table of contents).
        if mounted:
            st = os.statvfs(mnt)
            with open(mnt / "filler", "wb") as fh, suppress_enospc():
                fh.write(b"\0" * (st.f_bavail * st.f_frsize))
        r = _cli("delete", "a000001", "--index-dir", str(idx), preexec_fn=preexec)
        if mounted or r.returncode != 0:
            _assert_clean_failure(r, idx, files, 60, "disk full: cannot write to ")
    finally:
        if mounted:
            _umount(mnt)


class suppress_enospc:  # noqa: N801 - used as a context manager, like contextlib's
    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        import errno

        return kind is not None and issubclass(kind, OSError) and exc.errno == errno.ENOSPC


def test_unwritable_index_folder_says_permission_denied(tmp_path: Path):
    """A folder the import may not write to (chmod, with root's override dropped) and a
    read-only mount: a clear message with the path, exit 2, the index untouched."""
    import os
    import subprocess

    idx = tmp_path / "idx"
    first = _corpus_jsonl(tmp_path / "first.jsonl", 40, "a")
    assert unionsearch("index", str(first), "--index-dir", str(idx)).returncode == 0
    files = {p.name for p in idx.iterdir()}
    more = _corpus_jsonl(tmp_path / "more.jsonl", 100, "b", start=40)
    as_user = _without_dac_override if os.geteuid() == 0 else None
    idx.chmod(0o555)
    try:
        r = _cli("index", str(more), "--index-dir", str(idx), preexec_fn=as_user)
        _assert_clean_failure(r, idx, files, 40, "permission denied: cannot write to ")
        r = _cli("delete", "a000001", "--index-dir", str(idx), preexec_fn=as_user)
        _assert_clean_failure(r, idx, files, 40, "permission denied: cannot write to ")
    finally:
        idx.chmod(0o755)
    # The folder beside the index (where the import lock file is made) unwritable.
    (tmp_path / ".idx.import-lock").unlink()
    tmp_path.chmod(0o555)
    try:
        r = _cli("index", str(more), "--index-dir", str(idx), preexec_fn=as_user)
        _assert_clean_failure(r, idx, files, 40, "permission denied: cannot write to ")
    finally:
        tmp_path.chmod(0o755)
    # A read-only mount of the index's folder (root only).
    if os.geteuid() == 0:
        ro = tmp_path / "ro"
        ro.mkdir()
        ok = subprocess.run(["mount", "--bind", str(tmp_path), str(ro)],
                            capture_output=True).returncode == 0
        if ok:
            try:
                assert subprocess.run(["mount", "-o", "remount,bind,ro", str(ro)],
                                      capture_output=True).returncode == 0
                r = _cli("index", str(more), "--index-dir", str(ro / "idx"))
                _assert_clean_failure(r, ro / "idx", files, 40,
                                      "read-only file system: cannot write to ")
            finally:
                _umount(ro)


# --- 10. ids that /articles/<id> could never reach; undecodable command-line bytes ------------

def test_unreachable_ids_are_rejected_at_import_and_the_rest_reachable(tmp_path: Path):
    """Before: ``..``, ``//evil.com``, ``x\\ny`` and 300-character ids were imported, then
    404 (or a redirect) at /articles/<id>.  Now rejected, with the reason; the ids that are
    kept are reached through a real server at the address the results page links to."""
    from .helpers import Server, http_get

    bad = ["..", ".", "a/../b", "//evil.com", "/a", "a/", "a//b", "x\ny", "x\ty", "x\x7fy",
           "a\u2028b", "A" * 201]
    good = ["19980101-01-001", "a/b", "a?b", "a#b", "a%2Fb", "a b", "中文id", "a;b+c", "A" * 200]
    rows = [{"id": i, "title": f"标题{n}", "body": "职工书屋", "date": "2022-01-01"}
            for n, i in enumerate(bad + good)]
    src = tmp_path / "ids.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                   encoding="utf-8")
    idx = tmp_path / "idx"
    r = unionsearch("index", str(src), "--index-dir", str(idx))
    assert r.returncode == 1, r.stderr
    assert f"{len(good)} added" in r.stdout and f"{len(bad)} rejected" in r.stdout, r.stderr
    for n in range(1, len(bad) + 1):
        got = [ln for ln in r.stderr.splitlines() if f"line {n}: " in ln]
        assert got and " id " in got[0], (n, r.stderr)
    with Server(idx) as server:
        status, _, body = http_get(server.base, "/api/search?q=%E4%B9%A6%E5%B1%8B&size=100")
        hits = json.loads(body)["hits"]
        assert status == 200 and {h["id"] for h in hits} == set(good)
        status, _, page = http_get(server.base, "/search?q=%E4%B9%A6%E5%B1%8B&size=100")
        import re
        from html import unescape

        links = {unescape(m) for m in re.findall(r'href="(/articles/[^"?]*)', page.decode())}
        assert len(links) == len(good), links
        for link in links:
            status, _, _ = http_get(server.base, link)
            assert status == 200, link


def test_undecodable_command_line_bytes_are_a_clear_usage_error(tmp_path: Path):
    """Before: ``delete $'\\xff'`` ended in a UnicodeEncodeError traceback."""
    import os
    import subprocess

    from .helpers import BIN

    idx = tmp_path / "idx"
    src = tmp_path / "a.jsonl"
    src.write_text(_good(1) + "\n", encoding="utf-8")
    assert unionsearch("index", str(src), "--index-dir", str(idx)).returncode == 0
    for args in ([b"delete", b"\xff"], [b"search", b"", b"--reporter", b"\xff"],
                 [b"search", b"\xff\xfe"]):
        r = subprocess.run([os.fsencode(BIN / "unionsearch"), *args, b"--index-dir",
                            os.fsencode(idx)], capture_output=True, timeout=60)
        err = r.stderr.decode(errors="replace")
        assert r.returncode == 2 and "Traceback" not in err and err.startswith("error: "), (
            args, r.returncode, err)
    assert Engine(str(idx)).stats()["documents"] == 1


def test_a_pool_whose_result_queue_lock_is_lost_is_still_ended():
    """The state a disk-full import hung in (one run in eight on a loaded machine): a
    worker killed while it held the result queue's write lock, so the pool's task handler
    waits for that lock for good and ``Pool.terminate`` never returns (checked here
    first).  The importer's ``_terminate`` stops waiting and kills the workers."""
    import threading
    from multiprocessing import get_context

    from indexer import writer

    def stuck_pool():
        pool = get_context("fork").Pool(2, initializer=writer._worker_signals)
        pool._outqueue._wlock.acquire()  # as if its holder had been killed
        return pool

    plain = stuck_pool()
    stopper = threading.Thread(target=plain.terminate, daemon=True)
    stopper.start()
    stopper.join(3)
    assert stopper.is_alive(), "Pool.terminate no longer hangs here: the test shows nothing"
    for proc in plain._pool:
        proc.kill()

    pool = stuck_pool()
    workers = list(pool._pool)
    _returns(lambda: writer._terminate(pool, wait=1.0))
    for proc in workers:
        proc.join(5)
        assert proc.exitcode is not None, "a worker outlived the import"
