"""Export: the results of a search as CSV (UTF-8 with BOM) and .xlsx, over a real server and
the real command line, read back with Python's csv and openpyxl as a colleague's Excel would."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest

from indexer.readers import read
from indexer.writer import import_items
from search.engine import Engine
from search.export import COLUMNS, MAX_EXPORT_ROWS, TooManyRows, csv_chunks, write_xlsx
from search.request import SearchRequest

from .helpers import Server, build_index, corpus_rows, http_get, unionsearch, write_jsonl

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/","点我")'


def _big_rows() -> list[dict]:
    """10,001 real articles: the first 5,000 moved to the year 2000, the rest in 1998."""
    rows = corpus_rows(MAX_EXPORT_ROWS + 1, prefix="x", body_chars=200)
    for row in rows[:5000]:
        row["date"] = "2000" + row["date"][4:]
    return rows


@pytest.fixture(scope="module")
def big_dir(tmp_path_factory) -> str:
    rows = _big_rows()
    tmp = tmp_path_factory.mktemp("export")
    data = write_jsonl(tmp / "rows.jsonl", rows)
    summary = import_items(str(tmp / "idx"), read([str(data)]))
    assert summary.added == len(rows), summary.rejected
    return str(tmp / "idx")


@pytest.fixture(scope="module")
def server(big_dir):
    with Server(big_dir) as srv:
        yield srv


@pytest.fixture(scope="module")
def corpus_by_id() -> dict[str, dict]:
    return {r["id"]: r for r in _big_rows()}


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_csv_of_5000_articles_reads_back_with_the_chinese_text(server, corpus_by_id):
    status, headers, body = http_get(server.base, "/export.csv?from=2000-01-01&to=2000-12-31")
    assert status == 200, body[:300]
    assert headers["Content-Type"].startswith("text/csv")
    assert "attachment" in headers["Content-Disposition"]
    rows = _csv_rows(body)
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 5001
    ids = [r[0] for r in rows[1:]]
    assert len(set(ids)) == 5000 and all(corpus_by_id[i]["date"].startswith("2000") for i in ids)
    for row in rows[1:50]:
        src = corpus_by_id[row[0]]
        assert row[4] == src["title"] and row[1] == src["date"]
        assert row[2] == str(src["page"])
        assert row[7] == f"{server.base}/articles/{row[0]}"
    dates = [r[1] for r in rows[1:]]
    assert dates == sorted(dates, reverse=True)  # no query: newest first, as on the page


def test_xlsx_of_5000_articles_reads_back_with_the_chinese_text(server, corpus_by_id):
    status, headers, body = http_get(server.base, "/export.xlsx?from=2000-01-01&to=2000-12-31")
    assert status == 200, body[:300]
    assert headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    rows = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 5001
    for row in rows[1:50]:
        src = corpus_by_id[row[0]]
        assert row[4] == src["title"] and row[1] == src["date"]
        assert row[7] == f"{server.base}/articles/{row[0]}"


def test_export_follows_the_query_and_its_ranking(server):
    q = quote("中国")
    status, _, body = http_get(server.base, f"/api/search?q={q}&from=1998-01-01&size=100")
    result = json.loads(body)
    assert 100 < result["total"] < MAX_EXPORT_ROWS
    status, _, body = http_get(server.base, f"/export.csv?q={q}&from=1998-01-01&page=3&size=5")
    rows = _csv_rows(body)[1:]
    assert len(rows) == result["total"]  # the whole result, whatever page was shown
    assert [r[0] for r in rows[:100]] == [h["id"] for h in result["hits"]]
    assert all("中国" in r[9] or "中国" in r[4] for r in rows[:20])  # snippet as plain text
    assert not any("<mark>" in r[9] for r in rows)


def test_more_than_the_limit_asks_to_narrow_the_query(server):
    for path in ("/export.csv", "/export.xlsx"):
        status, headers, body = http_get(server.base, path + "?from=1990-01-01")
        assert status == 400
        page = body.decode()
        assert "10,001" in page and "缩小范围" in page
        assert headers["Content-Type"].startswith("text/html")
    status, _, body = http_get(server.base, "/export.csv?from=1998-13-01")
    assert status == 400 and "不是有效的日期" in body.decode()


def test_results_page_offers_export_only_when_it_can(server):
    _, _, body = http_get(server.base, "/search?q=&from=2000-01-01&to=2000-12-31&page=2")
    page = body.decode()
    assert "导出 CSV" in page and "导出 Excel" in page
    assert "/export.csv?from=2000-01-01&amp;to=2000-12-31" in page  # the page number dropped
    _, _, body = http_get(server.base, "/search?from=1990-01-01")
    page = body.decode()
    assert "导出 CSV" not in page and "缩小范围后可导出" in page


def _peak_bytes(engine: Engine, req: SearchRequest, fmt: str, tmp: Path) -> int:
    tracemalloc.start()
    try:
        exp = engine.export(req)
        if fmt == "csv":
            for _ in csv_chunks(exp.rows, lambda i: i):
                pass
        else:
            with open(tmp / "out.xlsx", "wb") as fh:
                write_xlsx(exp.rows, fh, lambda i: i)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_memory_does_not_grow_with_the_rows(big_dir, tmp_path, fmt):
    engine = Engine(big_dir)
    # about a ninth of the rows (the corpus's first week: tests.helpers.corpus_rows moves each
    # round of the corpus to another month, so only the first round is in January)
    small = SearchRequest.from_params("", date_from="2000-01-01", date_to="2000-01-07")
    large = SearchRequest.from_params("", date_from="2000-01-01", date_to="2000-12-31")
    assert engine.export(large).total == 5000 and engine.export(small).total < 1500
    _peak_bytes(engine, small, fmt, tmp_path)  # warm: caches, imports
    peak_small = _peak_bytes(engine, small, fmt, tmp_path)
    peak_large = _peak_bytes(engine, large, fmt, tmp_path)
    # Four times the rows; what grows is only the ranked docnums (8 bytes a row).
    assert peak_large < peak_small * 1.5 + 5000 * 64, (peak_small, peak_large)


def test_engine_refuses_beyond_its_limit(big_dir):
    with pytest.raises(TooManyRows) as err:
        Engine(big_dir).export(SearchRequest.from_params(""), limit=10)
    assert err.value.total == MAX_EXPORT_ROWS + 1 and "narrow" in str(err.value)


# -- the command line -------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("hostile") / "idx"
    build_index(path, [
        {"id": "h1", "title": HOSTILE_TITLE, "body": "工匠精神 正文", "date": "2022-03-01",
         "reporters": ["张三"], "page": "2"},
        {"id": "h2", "title": "-30℃的坚守", "body": "+86 工匠精神", "date": "2022-03-02",
         "reporters": ["李四", "张三"], "page": "A3", "kicker": "一线传真"},
    ])
    return str(path)


def test_cli_exports_csv_and_xlsx(hostile_dir, tmp_path):
    out = tmp_path / "r.csv"
    r = unionsearch("search", "工匠精神", "--format", "csv", "-o", str(out),
                    "--link-base", "https://oa.example.org/search/", "--index-dir", hostile_dir)
    assert r.returncode == 0, r.stderr
    assert "2 articles written" in r.stderr
    rows = _csv_rows(out.read_bytes())
    by_id = {row[0]: row for row in rows[1:]}
    # A title that a spreadsheet would run as a formula is kept as text.
    assert by_id["h1"][4] == "'" + HOSTILE_TITLE
    assert by_id["h2"][4] == "-30℃的坚守" and by_id["h2"][3] == "一线传真"
    assert by_id["h2"][6] == "李四、张三" and by_id["h2"][2] == "A3"
    assert by_id["h2"][7] == "https://oa.example.org/search/articles/h2"

    xlsx = tmp_path / "r.xlsx"
    r = unionsearch("search", "工匠精神", "--format", "xlsx", "-o", str(xlsx),
                    "--index-dir", hostile_dir)
    assert r.returncode == 0, r.stderr
    book = openpyxl.load_workbook(xlsx)
    cell = next(c for c in book.active["E"] if c.value and "HYPERLINK" in c.value)
    assert cell.data_type == "s" and cell.value == HOSTILE_TITLE  # a string, not a formula

    r = unionsearch("search", "张三", "--format", "csv", "--index-dir", hostile_dir)
    assert r.returncode == 0 and r.stdout.lstrip("\ufeff").startswith(",".join(COLUMNS))


@pytest.mark.parametrize("args, message", [
    (["--format", "xlsx"], "needs --format"),
    (["--format", "csv", "--json", "-o", "x.csv"], "exclude each other"),
    (["-o", "x.csv"], "needs --format"),
    (["--format", "pdf", "-o", "x.pdf"], "pdf"),
    (["--format", "csv", "-o", "x.csv", "--link-base", "oa.example.org"], "--link-base"),
    (["--format", "csv", "-o", "no/such/folder/x.csv"], "cannot write"),
])
def test_cli_usage_errors_exit_2(hostile_dir, tmp_path, args, message):
    r = unionsearch("search", "工匠精神", *args, "--index-dir", hostile_dir, cwd=str(tmp_path))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert message in r.stderr


def test_cli_refuses_more_than_the_limit(big_dir, tmp_path):
    r = unionsearch("search", "", "--from", "1990-01-01", "--format", "csv", "-o",
                    str(tmp_path / "all.csv"), "--index-dir", big_dir)
    assert r.returncode == 2 and r.stderr.startswith("error:") and "narrow" in r.stderr
    assert not (tmp_path / "all.csv").exists()


# -- in a real browser ------------------------------------------------------------------

def test_export_buttons_download_the_results_shown(browser, server, tmp_path):
    ctx = browser.new_context(locale="zh-CN", accept_downloads=True, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(server.base + "/search?from=2000-01-02&to=2000-01-03")
    shown = int(page.locator(".summary__count strong").inner_text())
    for name, read_back in (("导出 CSV", lambda f: _csv_rows(f.read_bytes())),
                            ("导出 Excel", lambda f: list(openpyxl.load_workbook(
                                f, read_only=True).active.iter_rows(values_only=True)))):
        with page.expect_download() as download:
            page.get_by_role("link", name=name).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        rows = read_back(saved)
        assert tuple(rows[0]) == COLUMNS and len(rows) == shown + 1, name
        assert saved.name.startswith("检索结果")
    ctx.close()
