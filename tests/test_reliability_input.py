"""Bad input through the real command line: named, skipped, and the good input around it kept.

One ``unionsearch index FOLDER`` over a folder of good and bad files (GB18030/GBK JSON Lines,
CSV and a page dump; binary files; empty files; broken JSON lines; CSV without the required
columns; articles without a date; duplicate ids; UTF-16; a line in another encoding): exit
status 1, every rejection names its file (and line), and every good article is imported and
reads back exactly as written.

Then a very large JSON Lines file (``BIG_JSONL_MB``, default 200 MB, made of lines of ~2 MB
each plus one single 50 MB line) is imported with its peak memory measured: it must stay
under ``BIG_JSONL_MAX_RSS_MB`` (default 1024).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest

from search.engine import Engine, SearchRequest

from .helpers import BIN, SAMPLE, unionsearch, write_jsonl

GBK_TITLE = "朱镕基会见外宾 镕字与𠀀字"  # 𠀀 exists only in GB18030, not GBK
GBK_BODY = "北京电 国务院总理朱镕基今天在中南海会见了外宾。双方就经贸合作交换了意见。"


def _line(rec) -> str:
    return json.dumps(rec, ensure_ascii=False)


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("inputs") / "in"
    d.mkdir()
    art = lambda i, **kw: {"id": i, "title": f"标题{i}", "body": f"正文{i} 劳模精神",  # noqa: E731
                           "date": "2022-03-01", **kw}

    write_jsonl(d / "a-good.jsonl", [art("g1"), art("g2"), art("g3", reporter="张三、李四")])
    # GB18030 / GBK text in each format.
    write_jsonl(d / "b-gbk.jsonl", [{"id": "k1", "title": GBK_TITLE, "body": GBK_BODY,
                                     "date": "1998-01-05", "reporter": "王五"},
                                    {"id": "k2", "title": "第二篇 国企改革", "body": "下岗职工再就业",
                                     "date": "1998-01-06"}], encoding="gb18030")
    (d / "c-gbk.csv").write_bytes(
        "id,title,body,date,reporter\r\nc1,职工之家建设,工会 职工之家 建设经验,1998-01-07,赵六\r\n"
        "c2,\"劳模,工匠\",\"正文里有逗号, 和引号\"\"\",1998-01-08,\r\n".encode("gbk"))
    (d / "page-2022-09-30.txt").write_bytes(SAMPLE.read_text(encoding="utf-8").encode("gb18030"))
    # Binary and empty files.
    (d / "d-binary.jsonl").write_bytes(bytes(range(256)) * 64)
    (d / "d-image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(500))
    (d / "e-empty.jsonl").write_bytes(b"")
    (d / "e-blank.csv").write_bytes(b"\n \n\t\n")
    (d / "e-empty.txt").write_bytes(b"")
    # A JSON Lines file with broken and invalid lines between good ones.
    (d / "f-broken.jsonl").write_text("\n".join([
        _line(art("x1")),                                                    # 1 good
        '{"title": "坏", "body": ',                                           # 2 broken JSON
        _line(art("x3")),                                                    # 3 good
        "[1, 2]",                                                            # 4 not an object
        _line({"title": {"a": 1}, "body": "b", "date": "2022-01-01"}),       # 5 title not text
        _line(art("x6", date="2022-02-30")),                                 # 6 impossible date
        _line({"id": "x7", "title": "无日期", "body": "没有日期的文章"}),     # 7 no date
        _line({"id": "x8", "date": "2022-01-01"}),                           # 8 no title, no body
        "",                                                                  # 9 blank: skipped
        _line(art("x10")),                                                   # 10 good
    ]) + "\n", encoding="utf-8")
    # CSV without the required columns, without a date column, and with an empty date.
    (d / "g-nocols.csv").write_text("headline,text,when\n好,正文,2022-01-01\n", encoding="utf-8")
    (d / "g-nodatecol.csv").write_text("title,body\n好,正文\n", encoding="utf-8")
    (d / "g-rows.csv").write_text("id,title,body,date\nr1,有日期,正文,2022-01-02\n"
                                  "r2,没日期,正文,\nr3,字段少\n", encoding="utf-8")
    # A page dump with no date anywhere.
    (d / "h-untitled.txt").write_text("工会新闻\n\n本报讯 职工书屋开放。\n", encoding="utf-8")
    # Duplicate ids in one batch: the first is kept.
    write_jsonl(d / "i-dupes.jsonl", [art("d1"), art("d2"), art("d1", title="改过的标题")])
    # UTF-16; a UTF-8 file with one line in GBK and one in neither.
    (d / "j-utf16.jsonl").write_bytes(_line(art("u1")).encode("utf-16"))
    (d / "k-mixed.jsonl").write_bytes(_line(art("m1")).encode() + b"\n"
                                      + _line(art("m2", title="国企改革")).encode("gbk") + b"\n"
                                      + _line(art("m3")).encode() + b"\n"
                                      + b'{"title": "\xff\xfe", "body": "x", "date": "2022-01-01"}\n')
    return d


EXPECTED_IDS = {"g1", "g2", "g3", "k1", "k2", "c1", "c2", "x1", "x3", "x10", "r1", "d1", "d2",
                "m1", "m2", "m3"}

# (file, place, words in the reason)
EXPECTED_REJECTIONS = [
    ("d-binary.jsonl", None, "binary"),
    ("d-image.txt", None, "not a readable image"),
    ("e-empty.jsonl", None, "empty"),
    ("e-blank.csv", None, "empty"),
    ("e-empty.txt", None, "empty"),
    ("f-broken.jsonl", "line 2", "JSON"),
    ("f-broken.jsonl", "line 4", "object"),
    ("f-broken.jsonl", "line 5", "title"),
    ("f-broken.jsonl", "line 6", "date"),
    ("f-broken.jsonl", "line 7", "no date"),
    ("f-broken.jsonl", "line 8", "no title"),
    ("g-nocols.csv", "line 1", "title, body, date"),
    ("g-nodatecol.csv", "line 1", "date"),
    ("g-rows.csv", "line 3", "no date"),
    ("g-rows.csv", "line 4", "fields"),
    ("h-untitled.txt", None, "--date"),
    ("i-dupes.jsonl", "line 3", "duplicate id 'd1'"),
    ("j-utf16.jsonl", None, "UTF-16"),
    ("k-mixed.jsonl", "line 4", "neither UTF-8 nor GB18030"),
]


def test_bad_files_are_named_and_the_good_ones_imported(bad_folder, tmp_path, sample_index):
    idx = tmp_path / "idx"
    r = unionsearch("index", str(bad_folder), "--index-dir", str(idx))
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    rejected = [line[len("rejected: "):] for line in r.stderr.splitlines()
                if line.startswith("rejected: ")]
    for name, place, words in EXPECTED_REJECTIONS:
        prefix = f"{bad_folder / name}, {place}:" if place else f"{bad_folder / name}:"
        matching = [line for line in rejected if line.startswith(prefix)]
        assert matching, f"no rejection for {prefix} in:\n" + "\n".join(rejected)
        assert any(words.lower() in line.lower() for line in matching), (words, matching)
    assert len(rejected) == len(EXPECTED_REJECTIONS), "\n".join(rejected)
    n_page = sample_index.searcher().doc_count()
    assert f"{len(EXPECTED_IDS) + n_page} added, 0 updated, 0 unchanged, " \
           f"{len(EXPECTED_REJECTIONS)} rejected" in r.stdout, r.stdout

    engine = Engine(str(idx))
    for art_id in EXPECTED_IDS:
        assert engine.get(art_id) is not None, art_id
    # GB18030 and GBK read back exactly, and are searchable.
    k1 = engine.get("k1")
    assert (k1["title"], k1["body"], k1["reporters"]) == (GBK_TITLE, GBK_BODY, ["王五"])
    assert engine.search(SearchRequest.from_params('"朱镕基"'))["total"] == 1
    c2 = engine.get("c2")
    assert (c2["title"], c2["body"]) == ("劳模,工匠", '正文里有逗号, 和引号"')
    assert engine.get("c1")["reporters"] == ["赵六"]
    assert engine.get("d1")["title"] == "标题d1"  # the first of the duplicates
    # A GBK line in a UTF-8 file: every line read in its own encoding, none garbled.
    assert [engine.get(i)["title"] for i in ("m1", "m2", "m3")] == ["标题m1", "国企改革", "标题m3"]
    # The GB18030 page dump gives the same articles as the UTF-8 original.
    page_hits = engine.search(SearchRequest.from_params("", date_from="2022-09-30",
                                                        date_to="2022-09-30", size="100"))
    want = sample_index.search(SearchRequest.from_params("", size="100"))
    assert sorted(h["title"] for h in page_hits["hits"]) == sorted(h["title"] for h in
                                                                    want["hits"])
    assert page_hits["total"] == n_page

    # Importing the same folder again changes nothing and reports the same rejections.
    r2 = unionsearch("index", str(bad_folder), "--index-dir", str(idx))
    assert r2.returncode == 1
    assert f"0 added, 0 updated, {len(EXPECTED_IDS) + n_page} unchanged" in r2.stdout


def test_unknown_and_missing_paths(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04" + bytes(100))
    (tmp_path / "ok.jsonl").write_text(_line({"title": "好", "body": "正文", "date": "2022-01-01"}),
                                       encoding="utf-8")
    r = unionsearch("index", str(tmp_path / "notes.docx"), str(tmp_path / "missing.jsonl"),
                    str(tmp_path / "ok.jsonl"), "--index-dir", str(tmp_path / "idx"))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{tmp_path / 'notes.docx'}: unknown file type" in r.stderr
    assert f"{tmp_path / 'missing.jsonl'}: no such file" in r.stderr
    assert "1 added" in r.stdout


# -- a very large file, streamed ---------------------------------------------------------

BIG_MB = int(os.environ.get("BIG_JSONL_MB", "200"))
MAX_RSS_MB = int(os.environ.get("BIG_JSONL_MAX_RSS_MB", "1024"))
LINE_MB = 2
HUGE_LINE_MB = 50

_MEASURE = """
import os, resource, signal, subprocess, sys, time
limit_kb = int(sys.argv[1]) * 1024
started = time.monotonic()
proc = subprocess.Popen(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                        start_new_session=True)


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as fh:
            kb = next(int(x.split()[1]) for x in fh if x.startswith("VmRSS:"))
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return kb + sum(rss_kb(int(c)) for c in fh.read().split())
    except (OSError, StopIteration, ValueError):
        return 0


import threading
out = []
reader = threading.Thread(target=lambda: out.append(proc.stdout.read()))
reader.start()
killed = False
while proc.poll() is None:
    if rss_kb(proc.pid) > limit_kb:  # a watchdog, so a regression fails fast
        os.killpg(proc.pid, signal.SIGKILL)
        killed = True
    time.sleep(0.05)
reader.join()
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
code = "killed" if killed else proc.returncode
print(f"{code}\t{peak_kb}\t{time.monotonic() - started:.1f}")
sys.stderr.write(out[0].decode(errors="replace"))
"""


def test_very_large_jsonl_is_streamed_in_bounded_memory(tmp_path):
    """Lines of ~2 MB (a big ``notes`` field the importer ignores) and one 50 MB line.

    The 50 MB line is a single article with a 50 MB body: far beyond any newspaper article,
    it is rejected by name instead of being analysed in several GB of memory.
    """
    path = tmp_path / "big.jsonl"
    unit = "工会 职工 劳模 "
    pad = unit * (LINE_MB * (1 << 20) // len(unit.encode()))
    n_lines = max(1, (BIG_MB - HUGE_LINE_MB) // LINE_MB)
    huge_at = n_lines // 2 + 1
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(1, n_lines + 1):
            if i == huge_at:
                body = "大" * (HUGE_LINE_MB * (1 << 20) // 3)
                fh.write(_line({"id": "huge", "title": "一行五十兆", "body": body,
                                "date": "2022-01-01"}) + "\n")
            fh.write(_line({"id": f"p{i:05d}", "title": f"长行{i} 工匠精神", "date": "2022-01-02",
                            "body": f"第{i}篇 正文很短", "notes": pad}) + "\n")
    size_mb = path.stat().st_size / (1 << 20)
    assert size_mb >= BIG_MB * 0.95

    idx = tmp_path / "idx"
    started = time.monotonic()
    r = subprocess.run([sys.executable, "-c", _MEASURE, str(MAX_RSS_MB), str(BIN / "unionsearch"),
                        "index",
                        str(path), "--index-dir", str(idx)],
                       capture_output=True, text=True, timeout=600)
    took = time.monotonic() - started
    code, peak_kb, _ = r.stdout.strip().split("\t")
    peak_mb = int(peak_kb) / 1024
    print(f"\n{size_mb:.0f} MB JSONL ({n_lines} lines of {LINE_MB} MB + one of {HUGE_LINE_MB} "
          f"MB): exit {code}, peak RSS {peak_mb:.0f} MB, {took:.1f} s")
    assert code != "killed", f"the import passed {MAX_RSS_MB} MB of memory and was killed"
    assert int(code) == 1, r.stderr
    assert re.search(rf"{re.escape(str(path))}, line {huge_at}: article of [\d,]+ characters",
                     r.stderr), r.stderr
    assert f"{n_lines} added, 0 updated, 0 unchanged, 1 rejected" in r.stderr, r.stderr
    assert peak_mb < MAX_RSS_MB, f"peak RSS {peak_mb:.0f} MB"
    engine = Engine(str(idx))
    assert engine.search(SearchRequest.from_params(f'"长行{n_lines} "'))["total"] >= 1
    assert engine.get("huge") is None
