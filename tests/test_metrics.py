"""Health, numbers and a graceful life: /healthz, /metrics, the access log, SIGTERM, SIGHUP.

Real servers (``unionsearch serve`` as a subprocess), real HTTP, and the official Prometheus
client's parser reading ``/metrics`` as a monitoring system would.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import time
from urllib.parse import quote

import pytest
from prometheus_client.parser import text_string_to_metric_families

from .helpers import (
    Serving,
    corpus_rows,
    http_get,
    unionsearch,
    write_jsonl,
)

SECRET = "工匠精神紫砂"  # a query whose text must not reach the log unless asked for


def families(text: str) -> dict:
    return {f.name: f for f in text_string_to_metric_families(text)}


def sample_value(fams: dict, family: str, sample: str, **labels) -> float:
    for s in fams[family].samples:
        if s.name == sample and all(s.labels.get(k) == v for k, v in labels.items()):
            return s.value
    raise AssertionError(f"no {sample} {labels} in {fams[family].samples}")


def test_healthz_tells_generation_documents_and_last_import(index, tmp_path) -> None:
    """/healthz, of a server started with no settings about metrics; /metrics is off."""
    srv = Serving(tmp_path, "--index-dir", str(index))
    try:
        status, body = srv.get("/metrics")  # off by default
        assert status == 404
        assert b"unionsearch_requests" not in body
        first = json.loads(srv.get("/healthz")[1])
        assert first["status"] == "ok" and first["documents"] == 6
        assert first["segments"] >= 1 and first["generation"] >= 1
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["last_import"])
        rows = write_jsonl(tmp_path / "more.jsonl", corpus_rows(3, prefix="h"))
        assert unionsearch("index", str(rows), "--index-dir", str(index)).returncode == 0
        deadline = time.monotonic() + 30
        while json.loads(srv.get("/healthz")[1])["documents"] != 9:
            assert time.monotonic() < deadline, "the new import was never seen"
            time.sleep(0.2)
        later = json.loads(srv.get("/healthz")[1])
        assert later["generation"] > first["generation"]
        assert later["last_import"] >= first["last_import"]
    finally:
        assert srv.stop() == 0


def test_metrics_parse_and_count_what_happened(index, tmp_path) -> None:
    srv = Serving(tmp_path, "--index-dir", str(index), "--metrics")
    try:
        q = quote("工匠精神")
        for _ in range(3):
            assert srv.get(f"/api/search?q={q}")[0] == 200
        assert srv.get("/api/search?q=x&size=500")[0] == 400
        assert srv.get("/api/articles/no-such-id")[0] == 404
        status, body = srv.get("/metrics")
        assert status == 200
        fams = families(body.decode())
        req = "unionsearch_requests"
        assert sample_value(fams, req, req + "_total", route="/api/search", status="200") == 3
        assert sample_value(fams, req, req + "_total", route="/api/search", status="400") == 1
        assert sample_value(fams, req, req + "_total",
                            route="/api/articles/<article_id:article_id>", status="404") == 1
        lat = "unionsearch_request_seconds"
        assert sample_value(fams, lat, lat + "_count", route="/api/search") == 4
        assert sample_value(fams, lat, lat + "_bucket", route="/api/search", le="+Inf") == 4
        # The same query three times: evaluated once, then answered from the cache.
        assert sample_value(fams, "unionsearch_cache_hits",
                            "unionsearch_cache_hits_total") == 2
        assert sample_value(fams, "unionsearch_cache_misses",
                            "unionsearch_cache_misses_total") == 1
        health = json.loads(srv.get("/healthz")[1])
        for name, want in (("unionsearch_index_documents", 6),
                           ("unionsearch_index_segments", health["segments"]),
                           ("unionsearch_index_generation", health["generation"])):
            assert sample_value(fams, name, name) == want
        stamp = sample_value(fams, "unionsearch_last_import_timestamp_seconds",
                             "unionsearch_last_import_timestamp_seconds")
        assert time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp)) == health["last_import"]
    finally:
        srv.stop()


@pytest.mark.parametrize("fmt", ["json", "common"])
def test_the_access_log_leaves_queries_out_unless_asked(index, tmp_path, fmt) -> None:
    secret = quote(SECRET)
    srv = Serving(tmp_path, "--index-dir", str(index), "--log-format", fmt)
    try:
        srv.get(f"/search?q={secret}")
        srv.get(f"/api/search?q={secret}")
        srv.get("/nowhere")
    finally:
        srv.stop()
    lines = [ln for ln in srv.text().splitlines() if "/search" in ln or "/nowhere" in ln]
    assert len(lines) == 3, srv.text()
    assert SECRET not in srv.text() and secret not in srv.text() and "q=" not in srv.text()
    if fmt == "json":
        records = [json.loads(ln) for ln in lines]
        assert [(r["method"], r["path"], r["status"]) for r in records] == [
            ("GET", "/search", 200), ("GET", "/api/search", 200), ("GET", "/nowhere", 404)]
        assert all(r["bytes"] > 0 and r["ms"] >= 0 for r in records)
    else:
        assert re.match(r'^127\.0\.0\.1 - - \[[^]]+\] "GET /search HTTP/1\.1" 200 \d+ ', lines[0])

    srv = Serving(tmp_path, "--index-dir", str(index), "--log-format", fmt, "--log-queries")
    try:
        srv.get(f"/api/search?q={secret}")
    finally:
        srv.stop()
    assert f"/api/search?q={secret}" in srv.text()


def test_log_format_off_writes_no_request_lines(index, tmp_path) -> None:
    srv = Serving(tmp_path, "--index-dir", str(index), "--log-format", "off")
    try:
        srv.get("/api/search?q=x")
    finally:
        srv.stop()
    assert "/api/search" not in srv.text()


def _send_get(base: str, target: str) -> socket.socket:
    """A request written whole to the server before anything is read back."""
    host, port = base.rsplit("/", 1)[-1].rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=120)
    sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                 .encode("ascii"))
    return sock


def _read_answer(sock: socket.socket) -> tuple[int, bytes] | Exception:
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except OSError as exc:  # reset: the answer never came
        return exc
    finally:
        sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 "):
        return ConnectionError(f"no answer: {data[:80]!r}")
    return int(head.split()[1]), body


def test_sigterm_finishes_the_requests_in_flight_then_exits(corpus_index, tmp_path) -> None:
    """Python's default for SIGTERM kills the server mid-response; systemd sends it at
    every stop and restart.  Forty uncached searches are written whole to the server
    before SIGTERM follows the first answer (two cores: most are still queued, running or
    not yet accepted); every one must arrive whole, and then the server exits 0."""
    srv = Serving(tmp_path, "--index-dir", corpus_index.index_dir)
    targets = [f"/api/search?q=%E7%9A%84&size=100&page={n}" for n in range(1, 41)]
    socks = {t: _send_get(srv.base, t) for t in targets}
    deadline = time.monotonic() + 60
    while "GET /api/search HTTP/1.1" not in srv.text():  # the first one answered
        assert time.monotonic() < deadline, srv.text()
        time.sleep(0.01)
    srv.proc.send_signal(signal.SIGTERM)
    results = {t: _read_answer(sock) for t, sock in socks.items()}
    assert srv.proc.wait(60) == 0
    failed = {t: r for t, r in results.items() if isinstance(r, Exception) or r[0] != 200}
    assert not failed and len(results) == 40, failed
    assert all(json.loads(r[1])["page"] == int(t.rsplit("=", 1)[1]) for t, r in results.items())
    log = srv.text()
    in_flight = int(re.search(r"finishing (\d+) request", log).group(1))
    assert in_flight > 0, log
    assert "stopped" in log and "Traceback" not in log
    with pytest.raises(OSError):
        http_get(srv.base, "/healthz", timeout=5)


def test_sigterm_answers_the_connections_queued_before_it(corpus_index, tmp_path) -> None:
    """Connections the kernel accepted while the service was busy (here: stopped) have sent
    their requests as far as their clients know; SIGTERM must answer them, not reset them."""
    srv = Serving(tmp_path, "--index-dir", corpus_index.index_dir)
    targets = [f"/api/search?q=%E5%B7%A5%E4%BA%BA&page={n}" for n in range(1, 21)]
    os.kill(srv.proc.pid, signal.SIGSTOP)
    try:
        socks = {t: _send_get(srv.base, t) for t in targets}  # queued by the kernel
        srv.proc.send_signal(signal.SIGTERM)  # pending until the service runs again
    finally:
        os.kill(srv.proc.pid, signal.SIGCONT)
    results = {t: _read_answer(sock) for t, sock in socks.items()}
    assert srv.proc.wait(60) == 0
    failed = {t: r for t, r in results.items() if isinstance(r, Exception) or r[0] != 200}
    assert not failed, failed
    assert all(json.loads(r[1])["page"] == int(t.rsplit("=", 1)[1]) for t, r in results.items())


def test_sighup_reloads_what_can_change(index, tmp_path) -> None:
    toml = tmp_path / "unionsearch.toml"
    toml.write_text(f'index_dir = "{index}"\nsite_title = "旧站名"\n', encoding="utf-8")
    srv = Serving(tmp_path, "--config", str(toml))
    try:
        assert "旧站名" in srv.get("/")[1].decode()
        toml.write_text(f'index_dir = "{index}"\nsite_title = "新站名"\nthreads = 2\n'
                        'log_format = "json"\n', encoding="utf-8")
        os.kill(srv.proc.pid, signal.SIGHUP)
        deadline = time.monotonic() + 30
        while "新站名" not in srv.get("/")[1].decode():
            assert time.monotonic() < deadline, srv.text()
            time.sleep(0.1)
        srv.get("/api/search?q=x")
        assert srv.proc.poll() is None
    finally:
        srv.stop()
    log = srv.text()
    assert "threads changed to 2; it takes effect at the next restart (still 8)" in log
    assert "SIGHUP: site_title is now" in log
    assert any(ln.startswith("{") and json.loads(ln)["path"] == "/api/search"
               for ln in log.splitlines())


def test_sighup_rereads_the_synonym_file(index, tmp_path) -> None:
    synonyms = tmp_path / "synonyms.txt"
    synonyms.write_text("紫砂 = 宜兴陶艺\n", encoding="utf-8")
    srv = Serving(tmp_path, "--index-dir", str(index), "--synonyms", str(synonyms))
    new_word = quote("阳羡壶")
    try:
        assert json.loads(srv.get(f"/api/search?q={quote('宜兴陶艺')}")[1])["total"] >= 1
        assert json.loads(srv.get(f"/api/search?q={new_word}")[1])["total"] == 0
        synonyms.write_text("紫砂 = 宜兴陶艺 = 阳羡壶\n", encoding="utf-8")
        os.kill(srv.proc.pid, signal.SIGHUP)
        deadline = time.monotonic() + 30
        while json.loads(srv.get(f"/api/search?q={new_word}")[1])["total"] == 0:
            assert time.monotonic() < deadline, srv.text()
            time.sleep(0.1)
        assert "紫砂" in json.loads(srv.get(f"/api/search?q={new_word}")[1])["expanded"]
    finally:
        assert srv.stop() == 0
