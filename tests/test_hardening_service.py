"""The service under an operator's hands and a hostile client's: reloads, logs, settings.

Real ``unionsearch serve`` processes, real signals, real sockets (raw bytes where a
client library would clean the request up):

- SIGHUP re-reads every setting from the file it can apply (synonyms included: serve
  once carried them in an environment variable that then outranked the file) and logs
  what waits for a restart;
- the access log writes one line per request, whatever the path or headers carry;
- settings ``serve`` cannot use stop ``config`` and ``serve`` with a message, not a
  traceback; a file with a byte-order mark is read;
- a raw UTF-8 request target (what curl sends for ``/search?q=工匠精神``) is answered.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest

from .helpers import (
    CLEAN,
    Serving,
    config_lines,
    free_port,
    http_get,
    kill_group,
    start_unionsearch,
    unionsearch,
    write,
)


def wait_for(check, srv: Serving, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, srv.text()
        time.sleep(0.1)


def total(srv: Serving, q: str) -> int:
    status, body = srv.get(f"/api/search?q={quote(q)}")
    assert status == 200, body
    return json.loads(body)["total"]


# -- SIGHUP ------------------------------------------------------------------------------

def test_sighup_takes_the_synonyms_file_named_in_the_settings_file(index, tmp_path) -> None:
    first = write(tmp_path / "first.txt", "紫砂 = 宜兴陶艺\n")
    second = write(tmp_path / "second.txt", "紫砂 = 阳羡壶\n")
    toml = tmp_path / "unionsearch.toml"
    write(toml, f'index_dir = "{index}"\nsynonyms = "{first}"\n')
    srv = Serving(tmp_path, "--config", str(toml))
    try:
        assert total(srv, "宜兴陶艺") >= 1 and total(srv, "阳羡壶") == 0
        write(toml, f'index_dir = "{index}"\nsynonyms = "{second}"\n')
        os.kill(srv.proc.pid, signal.SIGHUP)
        wait_for(lambda: total(srv, "阳羡壶") >= 1, srv)
        assert total(srv, "宜兴陶艺") == 0  # the old list is gone
        write(toml, f'index_dir = "{index}"\n')  # no site file: the built-in list only
        os.kill(srv.proc.pid, signal.SIGHUP)
        wait_for(lambda: total(srv, "阳羡壶") == 0, srv)
    finally:
        assert srv.stop() == 0
    log = srv.text()
    assert f"SIGHUP: synonyms is now '{second}'" in log
    assert "SIGHUP: synonyms is now ''" in log


def test_sighup_applies_prefix_and_metrics_and_names_what_needs_a_restart(index, tmp_path) -> None:
    toml = tmp_path / "unionsearch.toml"
    write(toml, f'index_dir = "{index}"\n')
    srv = Serving(tmp_path, "--config", str(toml))
    try:
        assert srv.get("/metrics")[0] == 404
        write(toml, f'index_dir = "{tmp_path / "other"}"\nmetrics = true\n'
                    'prefix = "/archive/"\nhost = "0.0.0.0"\nthreads = 3\n')
        os.kill(srv.proc.pid, signal.SIGHUP)
        wait_for(lambda: srv.get("/metrics")[0] == 200, srv)
        status, body = srv.get("/archive/")
        assert status == 200 and 'action="/archive/search"' in body.decode()
        assert total(srv, "工匠精神") >= 1  # still the index it started with
    finally:
        assert srv.stop() == 0
    log = srv.text()
    for key, value, still in (("index_dir", f"'{tmp_path / 'other'}'", f"'{index}'"),
                              ("host", "'0.0.0.0'", "'127.0.0.1'"), ("threads", "3", "8")):
        assert (f"SIGHUP: {key} changed to {value}; it takes effect at the next restart "
                f"(still {still})") in log
    assert "SIGHUP: metrics is now True" in log and "SIGHUP: prefix is now '/archive/'" in log


def test_sighup_with_a_broken_file_keeps_serving_the_old_settings(index, tmp_path) -> None:
    toml = tmp_path / "unionsearch.toml"
    write(toml, f'index_dir = "{index}"\nsite_title = "旧站名"\n')
    srv = Serving(tmp_path, "--config", str(toml))
    try:
        write(toml, f'index_dir = "{index}"\nsite_title = "{"长" * 200_000}"\n')
        os.kill(srv.proc.pid, signal.SIGHUP)
        wait_for(lambda: "not reloaded" in srv.text(), srv)
        status, body = srv.get("/")
        assert status == 200 and "旧站名" in body.decode() and len(body) < 100_000
    finally:
        assert srv.stop() == 0
    assert "site_title: is 200,000 characters long; at most 100" in srv.text()


# -- the access log ------------------------------------------------------------------------

FORGED = '127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET /admin HTTP/1.1" 200 99'


def test_the_common_log_writes_one_line_per_request_whatever_it_carries(index, tmp_path) -> None:
    srv = Serving(tmp_path, "--index-dir", str(index), "--log-queries")
    targets = ["/articles/x" + quote("\n" + FORGED, safe=""),
               "/articles/y" + quote("\r" + FORGED, safe=""),
               "/articles/z" + quote("\u2028" + FORGED, safe=""),
               "/articles/w" + quote("\x1b[2J\x85" + FORGED, safe=""),
               "/search?q=" + quote("\n" + FORGED, safe="")]
    try:
        for target in targets:
            assert srv.get(target)[0] in (200, 404)
        http_get(srv.base, "/healthz", headers={"User-Agent": 'a" 200 99 "b\\', "Referer": '"'})
    finally:
        srv.stop()
    lines = [ln for ln in srv.text().splitlines() if ln.startswith("127.0.0.1")]
    common = re.compile(r'^127\.0\.0\.1 - - \[[^\]]+\] "GET (\S+) HTTP/1\.1" \d{3} \d+ '
                        r'"([^"]*)" "([^"]*)" [\d.]+ms$')
    for line in lines:
        assert common.match(line), line
    assert not any(ln.startswith(FORGED[:30]) for ln in lines), lines
    forged = [ln for ln in lines if "%22GET%20/admin%20HTTP/1.1%22" in ln
              or "%22GET%20%2Fadmin%20HTTP%2F1.1%22" in ln]
    assert len(forged) == len(targets), lines
    lines = [ln for ln in forged if "/articles/" in ln] + [lines[-1]]
    assert "/articles/x%0A127.0.0.1%20-%20-%20[01/Jan/2026" in lines[0]
    assert common.match(lines[-1]).group(3) == "a%22 200 99 %22b%5C"


def test_the_json_log_writes_one_line_per_request_whatever_it_carries(index, tmp_path) -> None:
    srv = Serving(tmp_path, "--index-dir", str(index), "--log-format", "json")
    targets = ["/articles/x" + quote(sep + FORGED, safe="")
               for sep in ("\n", "\u2028", "\u2029", "\x85", "\x1e")]
    try:
        for target in targets:
            assert srv.get(target)[0] == 404
    finally:
        srv.stop()
    lines = [ln for ln in srv.text().splitlines() if "/articles" in ln or "/admin" in ln]
    assert len(lines) == len(targets), lines
    records = [json.loads(ln) for ln in lines]
    assert all(r["path"].startswith("/articles/") for r in records)


# -- settings that serve needs ---------------------------------------------------------------

def test_an_empty_host_is_refused_by_config_and_serve(index, tmp_path) -> None:
    toml = write(tmp_path / "unionsearch.toml", f'index_dir = "{index}"\nhost = ""\n')
    for command in ("config", "serve"):
        done = unionsearch(command, "--config", str(toml), env=CLEAN, timeout=60)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith(f"error: {toml}, line 2: host: must be an address")
        assert "Traceback" not in done.stderr
    done = unionsearch("config", env={**CLEAN, "UNIONSEARCH_HOST": "127.0.1"})
    assert done.returncode == 2 and "is not an IP address or a host name" in done.stderr


def test_an_address_that_cannot_be_listened_on_is_named(index, tmp_path) -> None:
    # 192.0.2.1 is TEST-NET-1: never an address of this machine.
    done = unionsearch("serve", "--index-dir", str(index), "--host", "192.0.2.1",
                       "--port", str(free_port()), env=CLEAN, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "error: cannot listen on 192.0.2.1:" in done.stderr
    assert "Traceback" not in done.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = unionsearch("serve", "--index-dir", str(index), "--port", str(port),
                           env=CLEAN, timeout=60)
    assert done.returncode == 1, done.stderr  # in use: worth a supervisor's retry
    assert f"error: cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_settings_file_with_a_byte_order_mark_is_read(index, tmp_path) -> None:
    toml = tmp_path / "unionsearch.toml"
    toml.write_bytes(b"\xef\xbb\xbf" + 'site_title = "记事本存的站名"\nport = 9100\n'.encode())
    got = config_lines("--config", str(toml))
    assert got["site_title"] == ('"记事本存的站名"', f"file {toml}")
    assert got["port"] == ("9100", f"file {toml}")


def test_settings_lengths_are_bounded(tmp_path) -> None:
    toml = write(tmp_path / "unionsearch.toml", f'site_title = "{"工" * 200_000}"\n')
    done = unionsearch("config", "--config", str(toml), env=CLEAN)
    assert done.returncode == 2
    assert done.stderr == (f"error: {toml}, line 1: site_title: is 200,000 characters long; "
                           "at most 100\n")
    done = unionsearch("config", env={**CLEAN, "UNIONSEARCH_SITE_TITLE": "x" * 101})
    assert done.returncode == 2 and "site_title (from environment" in done.stderr
    origins = ", ".join(['"https://a.org"'] * 101)
    for text, reason in ((f"cors_origins = [{origins}]\n",
                          "cors_origins: has 101 entries; at most 100"),
                         (f'prefix = "/{"a" * 200}"\n', "prefix: is 201 characters long"),
                         ('site_title = "两行\\n标题"\n', "must be one line"),
                         ('site_title = "  "\n', "must not be empty"),
                         ("x = 1\n" * 200_000, "larger than 1024 KB")):
        done = unionsearch("config", "--config", str(write(toml, text)), env=CLEAN)
        assert done.returncode == 2 and reason in done.stderr, (reason, done.stderr)


def test_config_lines_up_chinese_values(tmp_path) -> None:
    toml = write(tmp_path / "unionsearch.toml", 'site_title = "职工之家全文检索"\n')
    done = unionsearch("config", "--config", str(toml), env=CLEAN)
    assert done.returncode == 0, done.stderr

    def columns(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    starts = {columns(line[:line.index("  # ")]) for line in done.stdout.splitlines()}
    assert len(starts) == 1, done.stdout


# -- raw UTF-8 in the request target ----------------------------------------------------------

def raw_get(base: str, target: bytes) -> tuple[int, bytes]:
    """A GET whose request line carries ``target`` byte for byte (as curl sends it)."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_a_raw_utf8_query_is_answered_like_a_percent_encoded_one(index, tmp_path) -> None:
    srv = Serving(tmp_path, "--index-dir", str(index))
    try:
        status, body = raw_get(srv.base, "/api/search?q=工匠精神".encode())
        assert status == 200, body
        raw = json.loads(body)
        encoded = json.loads(srv.get("/api/search?q=" + quote("工匠精神"))[1])
        assert raw["query"] == "工匠精神" and raw["total"] == encoded["total"] >= 1
        assert [h["id"] for h in raw["hits"]] == [h["id"] for h in encoded["hits"]]
        status, body = raw_get(srv.base, "/search?q=工匠精神".encode())
        assert status == 200 and "工匠精神" in body.decode()
        name = raw["hits"][0]["reporters"][0]
        status, body = raw_get(srv.base, f"/api/reporters/{name}".encode())
        assert status == 200 and json.loads(body)["name"] == name
        status, body = raw_get(srv.base, b"/api/search?q=\xff\xfe")  # not UTF-8: a clear 400
        assert status in (200, 400) and b"Bad URI" not in body
    finally:
        assert srv.stop() == 0
    assert "Traceback" not in srv.text()
    assert "GET /api/search HTTP/1.1" in srv.text()


def test_serve_exits_2_on_a_prefix_it_cannot_use(index, tmp_path) -> None:
    port = free_port()
    proc = start_unionsearch("serve", "--index-dir", str(index), "--port", str(port),
                             "--prefix", "/a b/", log=tmp_path / "log", env=CLEAN)
    try:
        assert proc.wait(60) == 2
    finally:
        kill_group(proc)
    text = Path(tmp_path / "log").read_text()
    assert "prefix" in text and "Traceback" not in text


def test_metrics_are_not_answered_through_a_proxy(index, tmp_path) -> None:
    srv = Serving(tmp_path, "--index-dir", str(index), "--metrics")
    try:
        assert srv.get("/metrics")[0] == 200  # the monitoring system, on the host
        for header in ({"X-Forwarded-Prefix": "/search"}, {"X-Forwarded-For": "10.1.2.3"},
                       {"X-Forwarded-Proto": "https"}, {"Forwarded": "for=10.1.2.3"}):
            status, _, body = http_get(srv.base, "/metrics", headers=header)
            assert status == 404 and b"unionsearch_requests" not in body, header
    finally:
        assert srv.stop() == 0


def test_one_article_is_not_counted_as_articles(tmp_path) -> None:
    from .helpers import corpus_rows, write_jsonl

    rows = write_jsonl(tmp_path / "one.jsonl", corpus_rows(1))
    done = unionsearch("index", str(rows), "--dry-run", env=CLEAN)
    assert "dry run: 1 article read, 0 rejected" in done.stdout, done.stdout
    idx = str(tmp_path / "idx")
    assert unionsearch("index", str(rows), "--index-dir", idx, env=CLEAN).returncode == 0
    done = unionsearch("search", "", "--from", "1900-01-01", "--index-dir", idx, env=CLEAN)
    assert done.stdout.startswith("1 article ("), done.stdout
    done = unionsearch("check", "--quick", "--index-dir", idx, env=CLEAN)
    assert "1 article in 1 segment;" in done.stdout, done.stdout
    out = tmp_path / "one.csv"
    done = unionsearch("search", "", "--from", "1900-01-01", "--format", "csv", "-o", str(out),
                       "--index-dir", idx, env=CLEAN)
    assert f"1 article written to {out}" in done.stderr, done.stderr


def test_lock_files_and_wheels_are_not_offered_to_git(tmp_path) -> None:
    import shutil
    import subprocess

    from .helpers import REPO

    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    names = [".index_data.import-lock", ".index_data.merge-lock", ".index_data.merge-log",
             "dist/unionsearch-0.1.0-cp311-cp311-linux_x86_64.whl"]
    done = subprocess.run(["git", "check-ignore", "--no-index", *names], cwd=REPO,
                          capture_output=True, text=True)
    assert done.stdout.split() == names, done.stdout + done.stderr
    done = subprocess.run(["git", "check-ignore", "--no-index", "index_data/.gitkeep"],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 1  # tracked, kept
