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
from search.reports.export import (
    COLUMNS,
    FULL_TEXT_COLUMN,
    MAX_EXPORT_ROWS,
    TooManyRows,
    csv_chunks,
    write_xlsx,
)
from search.retrieval.request import SearchRequest
from web.app import create_app

from .helpers import Server, build_index, corpus_rows, http_get, unionsearch, write_jsonl

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/","点我")'
TITLE, LINK, SNIPPET = COLUMNS.index("标题"), COLUMNS.index("链接"), COLUMNS.index("摘要")


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
        assert row[TITLE] == src["title"] and row[1] == src["date"]
        assert row[2] == str(src["page"])
        assert row[LINK] == f"{server.base}/articles/{row[0]}"
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
        assert row[TITLE] == src["title"] and row[1].date().isoformat() == src["date"]
        assert row[LINK] == f"{server.base}/articles/{row[0]}"


def test_export_follows_the_query_and_its_ranking(server):
    q = quote("中国")
    status, _, body = http_get(server.base, f"/api/search?q={q}&from=1998-01-01&size=100")
    result = json.loads(body)
    assert 100 < result["total"] < MAX_EXPORT_ROWS
    status, _, body = http_get(server.base, f"/export.csv?q={q}&from=1998-01-01&page=3&size=5")
    rows = _csv_rows(body)[1:]
    assert len(rows) == result["total"]  # the whole result, whatever page was shown
    assert [r[0] for r in rows[:100]] == [h["id"] for h in result["hits"]]
    assert all("中国" in r[SNIPPET] or "中国" in r[TITLE] for r in rows[:20])  # plain text
    assert not any("<mark>" in r[SNIPPET] for r in rows)


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
    assert by_id["h1"][TITLE] == "'" + HOSTILE_TITLE
    assert by_id["h2"][TITLE] == "-30℃的坚守" and by_id["h2"][COLUMNS.index("引题")] == "一线传真"
    assert by_id["h2"][COLUMNS.index("记者")] == "李四、张三" and by_id["h2"][2] == "A3"
    assert by_id["h2"][LINK] == "https://oa.example.org/search/articles/h2"

    xlsx = tmp_path / "r.xlsx"
    r = unionsearch("search", "工匠精神", "--format", "xlsx", "-o", str(xlsx),
                    "--index-dir", hostile_dir)
    assert r.returncode == 0, r.stderr
    book = openpyxl.load_workbook(xlsx)
    cell = next(c for c in book.active["F"] if c.value and "HYPERLINK" in c.value)
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

def test_export_buttons_download_the_results_shown(tab, server, tmp_path):
    page = tab(locale="zh-CN", accept_downloads=True, java_script_enabled=False)
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


# -- what a colleague gets: 版面名, date cells, hyperlinks, the full text on request ----------

LONG_BODY = "工匠精神" + "长文" * 20_000  # 40,004 characters: more than an Excel cell holds


@pytest.fixture(scope="module")
def named_dir(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("named") / "idx"
    build_index(path, [
        {"id": "n1", "title": "一版要闻", "body": "工匠精神 第一篇的全文。", "date": "2022-09-30",
         "page": "1", "page_name": "要闻", "url": "https://epaper.example.org/2022-09/30/n1.html"},
        {"id": "n2", "title": "三版综合", "body": "工匠精神 第二篇的全文。\n第二段。",
         "date": "2022-09-29", "page": "3", "page_name": "综合新闻",
         "url": "javascript:alert(1)"},
        {"id": "n3", "title": "长文", "body": LONG_BODY, "date": "2022-09-28"},
    ])
    return str(path)


def test_xlsx_has_date_cells_hyperlinks_and_page_names(named_dir, tmp_path):
    """Before: the date was a text cell, links were text, and no 版面名 column existed."""
    xlsx = tmp_path / "r.xlsx"
    r = unionsearch("search", "工匠精神", "--format", "xlsx", "-o", str(xlsx),
                    "--link-base", "https://oa.example.org/search", "--index-dir", named_dir)
    assert r.returncode == 0, r.stderr
    sheet = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    assert tuple(header) == COLUMNS and FULL_TEXT_COLUMN not in header
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    date = rows["n1"][COLUMNS.index("日期")]
    assert date.is_date and date.value.date().isoformat() == "2022-09-30"
    assert date.number_format == "yyyy-mm-dd"
    assert rows["n1"][COLUMNS.index("版面名")].value == "要闻"
    assert rows["n2"][COLUMNS.index("版面名")].value == "综合新闻"
    assert rows["n3"][COLUMNS.index("版面名")].value is None
    link = rows["n1"][LINK]
    assert link.hyperlink.target == "https://oa.example.org/search/articles/n1"
    assert link.value == link.hyperlink.target
    source = rows["n1"][COLUMNS.index("原文链接")]
    assert source.hyperlink.target == "https://epaper.example.org/2022-09/30/n1.html"
    unsafe = rows["n2"][COLUMNS.index("原文链接")]  # not http(s): text, never a link
    assert unsafe.hyperlink is None and unsafe.value == "javascript:alert(1)"


def test_full_text_on_request_in_csv_xlsx_and_the_web(named_dir, tmp_path):
    out = tmp_path / "r.csv"
    r = unionsearch("search", "工匠精神", "--format", "csv", "-o", str(out), "--full-text",
                    "--index-dir", named_dir)
    assert r.returncode == 0, r.stderr
    rows = _csv_rows(out.read_bytes())
    assert tuple(rows[0]) == (*COLUMNS, FULL_TEXT_COLUMN)
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["n2"][-1] == "工匠精神 第二篇的全文。\n第二段。"
    assert by_id["n3"][-1] == LONG_BODY  # a CSV holds it whole
    assert by_id["n2"][COLUMNS.index("版面名")] == "综合新闻"

    xlsx = tmp_path / "r.xlsx"
    r = unionsearch("search", "工匠精神", "--format", "xlsx", "-o", str(xlsx), "--full-text",
                    "--index-dir", named_dir)
    assert r.returncode == 0, r.stderr
    sheet = openpyxl.load_workbook(xlsx).active
    cells = {row[0].value: row[-1].value for row in sheet.iter_rows(min_row=2)}
    assert cells["n1"] == "工匠精神 第一篇的全文。"
    assert len(cells["n3"]) == 32_767 and cells["n3"].startswith(LONG_BODY[:1000])
    assert "40,004 字" in cells["n3"]  # cut to what a cell holds, and saying so

    client = create_app(index_dir=named_dir, TESTING=True).test_client()
    web = _csv_rows(client.get("/export.csv?q=工匠精神&fulltext=1").data)
    assert web[0][-1] == FULL_TEXT_COLUMN and len(web) == 4
    plain = _csv_rows(client.get("/export.csv?q=工匠精神").data)
    assert tuple(plain[0]) == COLUMNS
    book = openpyxl.load_workbook(io.BytesIO(client.get("/export.xlsx?q=工匠精神&fulltext=1").data))
    assert book.active.cell(1, len(COLUMNS) + 1).value == FULL_TEXT_COLUMN
    bad = client.get("/export.csv?q=工匠精神&fulltext=maybe")
    assert bad.status_code == 400 and "导出全文" in bad.get_data(as_text=True)
    page = client.get("/search?q=工匠精神").get_data(as_text=True)
    assert "fulltext=1" in page and "含全文的 Excel" in page

    r = unionsearch("search", "工匠精神", "--full-text", "--index-dir", named_dir)
    assert r.returncode == 2 and "--full-text goes with an export" in r.stderr


class _ReadsPerHold:
    """The I/O lock itself, counting the stored articles read while it is held once."""

    def __init__(self, lock) -> None:  # noqa: ANN001 - threading.Lock has no public type
        self.lock, self.reads, self.most, self.holds = lock, 0, 0, 0

    def __enter__(self) -> None:
        self.lock.acquire()
        self.reads, self.holds = 0, self.holds + 1

    def __exit__(self, *exc) -> None:
        self.most = max(self.most, self.reads)
        self.lock.release()


def test_an_export_lets_other_searches_read_between_any_two_articles(big_dir):
    """Searches read their hits under the same lock as an export: it is never held for
    more than one article, so a reader's search is not queued behind a chunk of 256."""
    engine = Engine(big_dir)
    st = engine.state()
    counting = _ReadsPerHold(st.view.io_lock)
    read = st.searcher.stored_fields

    def stored_fields(docnum):  # noqa: ANN001, ANN202 - Whoosh's own signature
        counting.reads += 1
        return read(docnum)

    st.view.io_lock, st.searcher.stored_fields = counting, stored_fields
    try:
        exp = engine.export(SearchRequest.from_params("", date_from="2000-01-01",
                                                      date_to="2000-01-10"))
        rows = list(exp.rows)
    finally:
        st.view.io_lock = counting.lock
        del st.searcher.stored_fields
    # Ten days: more articles than two chunks of 256 hold, each article read alone.
    want = sum("2000-01-01" <= r["date"] <= "2000-01-10" for r in _big_rows()[:5000])
    assert want > 2 * 256
    assert exp.total == len(rows) == want and len({r["id"] for r in rows}) == want
    assert counting.most == 1 and counting.holds >= want
