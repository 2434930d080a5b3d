"""Hostile but well-formed data: dates far outside any archive, huge streams, formulas in
cells, wide date ranges asked of the service, many exports at once.

Real files imported by the real CLI into a real index; the web side through Flask's test
client over that index.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from search.reports.export import COLUMNS, safe_cell
from web.app import create_app

from .helpers import SAMPLE, build_index, unionsearch


def _line(i: int, date: str) -> str:
    return json.dumps({"id": f"d{i}", "title": f"标题{i}", "body": f"正文{i} 劳模精神",
                       "date": date}, ensure_ascii=False)


# --- dates outside the archive's plausible range are rejected at import, by line --------------

def test_dates_outside_the_plausible_range_are_rejected_with_their_line(tmp_path: Path):
    """Before: 0001-01-01 and 9999-12-31 were imported, and every results page, trend and
    calendar was drawn from year 1 to 9999."""
    later = (dt.date.today() + dt.timedelta(days=800)).isoformat()
    src = tmp_path / "far.jsonl"
    src.write_text("\n".join([_line(1, "0001-01-01"), _line(2, "2022-03-01"),
                              _line(3, "9999-12-31"), _line(4, "1899-12-31"),
                              _line(5, later), _line(6, "1949-10-01")]) + "\n",
                   encoding="utf-8")
    csv_src = tmp_path / "far.csv"
    csv_src.write_text("id,title,body,date\nc1,标题,正文,0001-01-01\nc2,标题二,正文二,2022-03-02\n",
                       encoding="utf-8")
    idx = tmp_path / "idx"
    done = unionsearch("index", str(src), str(csv_src), "--index-dir", str(idx))
    assert done.returncode == 1, done.stderr
    assert "3 added" in done.stdout
    for where in ("far.jsonl, line 1: date 0001-01-01 is outside",
                  "far.jsonl, line 3: date 9999-12-31 is outside",
                  "far.jsonl, line 4: date 1899-12-31 is outside",
                  f"far.jsonl, line 5: date {later} is outside",
                  "far.csv, line 2: date 0001-01-01 is outside"):
        assert where in done.stderr, done.stderr
    stats = json.loads(unionsearch("stats", "--json", "--index-dir", str(idx)).stdout)
    assert (stats["date_from"], stats["date_to"]) == ("1949-10-01", "2022-03-02")

    dry = unionsearch("index", str(src), "--dry-run")
    assert dry.returncode == 1 and "[line 3]: date 9999-12-31 is outside" in dry.stdout


def test_a_page_dated_out_of_range_by_date_is_refused(tmp_path: Path):
    done = unionsearch("index", str(SAMPLE), "--date", "0001-01-01",
                       "--index-dir", str(tmp_path / "idx"))
    assert done.returncode == 2 and "--date: date 0001-01-01 is outside" in done.stderr
    assert not (tmp_path / "idx").exists()


# --- spreadsheet formulas: OWASP's rule, numbers and -30℃的坚守 left readable --------------------

OWASP = ["-2+3+cmd|' /C calc'!A0", '-1+HYPERLINK("http://evil.example","x")',
         "-0x1+cmd|' /C calc'!A0", "=1+1", "+1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
         "  =1+1", "\u3000@SUM(A1)", "-30 +cmd|' /C calc'!A0", "-３０＋ｃｍｄ"]
READABLE = ["-30℃的坚守", "-30", "+86", "-1,000.5", "-5%", "1+1", "正常的标题"]


@pytest.mark.parametrize("text", OWASP)
def test_formulas_are_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", READABLE)
def test_numbers_and_titles_stay_readable(text):
    assert safe_cell(text) == text


@pytest.fixture(scope="module")
def formula_dir(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("formulas") / "idx"
    rows = [{"id": f"f{n}", "title": t, "body": f"工匠精神 第{n}篇", "date": "2022-03-01"}
            for n, t in enumerate(OWASP[:3] + READABLE[:1])]
    build_index(path, rows)
    return str(path)


def test_formulas_do_not_reach_csv_exports(formula_dir, tmp_path):
    """Before: a cell starting with - and a digit was left alone, and the OWASP examples
    reached /export.csv and ``search --format csv`` unchanged."""
    out = tmp_path / "r.csv"
    done = unionsearch("search", "工匠精神", "--format", "csv", "-o", str(out),
                       "--index-dir", formula_dir)
    assert done.returncode == 0, done.stderr
    client = create_app(index_dir=formula_dir, TESTING=True).test_client()
    web = client.get("/export.csv?q=工匠精神")
    assert web.status_code == 200
    for body in (out.read_bytes(), web.data):
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        titles = {row[0]: row[COLUMNS.index("标题")] for row in rows[1:]}
        assert titles == {"f0": "'" + OWASP[0], "f1": "'" + OWASP[1], "f2": "'" + OWASP[2],
                          "f3": READABLE[0]}


# --- streamed formats are bounded per line (and per CSV record), not per file ---------------

class _Generated(io.RawIOBase):
    """``total`` bytes of ``line`` repeated, generated as read: a 2.4 GB export without a
    2.4 GB file."""

    def __init__(self, line: bytes, total: int):
        self.line, self.left, self.pos = line, total, 0
        self.pattern = memoryview(line * (1 + (8 << 20) // len(line) + 1))

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        n = min(len(buf), self.left, len(self.pattern) - len(self.line))
        start = self.pos % len(self.line)
        buf[:n] = self.pattern[start:start + n]
        self.pos += n
        self.left -= n
        return n


def test_a_stream_longer_than_2_gib_is_read_to_its_end():
    """Before: reading stopped after 2 GiB ("split it"), and a re-run never got further:
    a whole archive exported as one JSON Lines file (2.4 GB) could not be imported."""
    from indexer.encoding import read_lines

    line = (_line(1, "2022-03-01")[:-1] + ', "pad": "' + "x" * ((1 << 20) - 120) + '"}\n').encode()
    total = len(line) * ((12 << 28) // len(line) + 1)  # just over 2.4 GB (3 GiB / 1.25)
    assert total > 2.4e9
    seen = size = 0
    for raw in read_lines(io.BufferedReader(_Generated(line, total), 8 << 20)):
        assert raw == line
        seen += 1
        size += len(raw)
    assert size == total and seen == total // len(line)


def test_a_line_is_bounded_and_a_line_without_end_stops_the_reading():
    from indexer.encoding import TooLarge, read_lines

    data = b"short\n" + b"y" * 5000 + b"\n" + b"after\n" + b"z" * 50_000
    got = []
    with pytest.raises(TooLarge, match="stopped reading here"):
        for raw in read_lines(io.BufferedReader(io.BytesIO(data)), line_max=1000,
                              skip_max=20_000):
            got.append(raw)
    assert got == [b"short\n", 5001, b"after\n"]


def test_a_csv_record_is_bounded_not_the_file(tmp_path, monkeypatch):
    """An unclosed quote makes the rest of a CSV file one record: reading stops at the
    record bound, naming the record's first line, after every record before it."""
    from indexer.readers import csvfile
    from indexer.records import Loaded, Rejection

    monkeypatch.setattr(csvfile, "MAX_LINE_BYTES", 4096)
    src = tmp_path / "open-quote.csv"
    lines = ["id,title,body,date", "c1,标题一,正文一,2022-03-01", 'c2,标题二,"正文没有结束',
             *("还在引号里的一行" for _ in range(400)), "c3,标题三,正文三,2022-03-03"]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(csvfile.read_csv(str(src)))
    assert [i.article.id for i in items if isinstance(i, Loaded)] == ["c1"]
    rejected = [i for i in items if isinstance(i, Rejection)]
    assert len(rejected) == 1 and rejected[0].where == "line 3", rejected
    assert "a record longer than" in rejected[0].reason


# --- wide date ranges cost only the archive's own years -----------------------------------------

WIDE = {"from": "0001-01-01", "to": "9999-12-31"}


@pytest.fixture(scope="module")
def years_dir(tmp_path_factory) -> str:
    """A small archive of 25 years (1998 to 2022)."""
    path = tmp_path_factory.mktemp("years") / "idx"
    rows = [{"id": f"y{y}-{n}", "title": f"{y}年的劳模{n}", "body": f"工人 劳模 经济 第{n}篇",
             "date": f"{y}-0{n + 1}-15"} for y in range(1998, 2023) for n in range(3)]
    build_index(path, rows)
    return str(path)


def test_wide_dates_are_drawn_over_the_archives_years_only(years_dir):
    """Before: /trends with three queries and from=0001-01-01&to=9999-12-31 drew 9,999
    yearly bars (a 5.1 MB page, 0.8 s), and /search over that range a 2 MB page."""
    client = create_app(index_dir=years_dir, TESTING=True).test_client()
    three = {"q": ["工人", "劳模", "经济"], "by": "year"}
    trend = client.get("/api/trends", query_string={**three, **WIDE}).get_json()
    assert [p["period"] for p in trend["periods"]] == [str(y) for y in range(1998, 2023)]
    assert trend == client.get("/api/trends", query_string=three).get_json()
    page = client.get("/trends", query_string={**three, **WIDE})
    plain = client.get("/trends", query_string=three)
    assert page.status_code == plain.status_code == 200
    assert len(page.data) < len(plain.data) + 2000  # the same chart; only the form differs
    for q in ("工人", ""):
        wide = client.get("/search", query_string={"q": q, **WIDE})
        undated = client.get("/search", query_string={"q": q})
        assert wide.status_code == 200 and len(wide.data) < len(undated.data) + 2000
    # A monthly axis counts the archive's months inside the dates, not the dates' months.
    month = client.get("/api/trends", query_string={"q": "工人", "by": "month",
                                                    "from": "0001-01-01", "to": "1999-12-31"})
    assert month.status_code == 200
    assert month.get_json()["periods"][0]["period"] == "1998-01"
    assert len(month.get_json()["periods"]) == 24


def test_trend_and_result_caches_are_bounded_in_bytes(years_dir):
    """Before: 128 cached trends of ~4.5 MB each grew the server by 580 MB."""
    from search.reports import trends
    from search.storage.generations import ResultCache, approx_bytes

    cache: ResultCache[dict] = ResultCache(100, max_bytes=50_000)
    for n in range(40):
        cache.put((n,), {"periods": [{"period": str(y)} for y in range(20)], "n": n})
    assert 0 < cache.bytes <= 50_000 and len(cache._items) < 40
    assert cache.get((39,)) is not None and cache.get((0,)) is None  # oldest dropped first
    cache.put(("huge",), {"periods": ["x" * 100_000]})  # heavier than the whole budget
    assert cache.get(("huge",)) is None and cache.bytes <= 50_000
    assert approx_bytes({"a": ["x" * 1000]}) > 1000

    client = create_app(index_dir=years_dir, TESTING=True).test_client()
    for n in range(60):  # distinct requests, each a cache entry
        got = client.get("/api/trends", query_string={"q": ["工人", f"劳模{n}", "经济"],
                                                      "from": f"{1000 + n}-01-01"})
        assert got.status_code == 200
    assert 0 < trends._trends.bytes <= trends.CACHE_BYTES
    assert trends._trends.max_bytes == trends.CACHE_BYTES


def test_exports_at_once_are_limited_with_a_friendly_503(years_dir):
    """Before: any number of exports ran at once (eight took 22-24 s each and every search
    waited); now a third is told to come back, and a slot frees when a stream ends."""
    app = create_app(index_dir=years_dir, TESTING=True, EXPORT_SLOTS=2)
    client = app.test_client()
    first = client.get("/export.csv?q=工人", buffered=False)
    second = client.get("/export.csv?q=劳模", buffered=False)
    assert first.status_code == second.status_code == 200  # streaming, not yet read
    for url in ("/export.csv?q=经济", "/export.xlsx?q=经济"):
        busy = client.get(url)
        assert busy.status_code == 503 and busy.headers["Retry-After"].isdigit()
        assert "请过" in busy.get_data(as_text=True) and "返回检索结果" in busy.get_data(as_text=True)
    # (Read back in the reverse order: each stream holds its request context in this one
    # thread, as a server's worker thread would.)
    rows = list(csv.reader(io.StringIO(b"".join(second.response).decode("utf-8-sig"))))
    second.close()
    assert len(rows) == 1 + 75  # the whole result, streamed
    again = client.get("/export.xlsx?q=经济")
    assert again.status_code == 200 and again.data[:2] == b"PK"
    b"".join(first.response)
    first.close()
    assert client.get("/export.csv?q=经济").status_code == 200
    assert client.get("/export.csv?q=经济").status_code == 200  # slots given back


def test_an_index_already_holding_far_dates_still_answers_small(tmp_path, monkeypatch):
    """An index imported before dates were bounded may hold 0001-01-01 and 9999-12-31:
    results come without a chart, and a trend asks for narrower dates, instead of 9,999
    bars (a 2 MB results page)."""
    import indexer.writer

    monkeypatch.setattr(indexer.writer, "date_problem", lambda iso: None)  # an older importer
    build_index(tmp_path / "idx", [
        {"id": f"o{n}", "title": f"劳模{n}", "body": "工人 劳模", "date": date}
        for n, date in enumerate(("0001-01-01", "2021-05-01", "2022-05-01", "9999-12-31"))])
    client = create_app(index_dir=str(tmp_path / "idx"), TESTING=True).test_client()
    page = client.get("/search?q=劳模")
    assert page.status_code == 200 and len(page.data) < 200_000
    assert page.get_data(as_text=True).count("<rect") < 10
    for url in ("/api/trends?q=劳模", "/trends?q=劳模"):
        refused = client.get(url)
        assert refused.status_code == 400 and len(refused.data) < 100_000
    assert "at most 200 years" in client.get("/api/trends?q=劳模").get_json()["error"]
    narrowed = client.get("/api/trends?q=劳模&from=2000-01-01&to=2030-12-31").get_json()
    assert [p["period"] for p in narrowed["periods"]] == [str(y) for y in range(2000, 2031)]
