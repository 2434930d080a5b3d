"""Costly requests computed by worker processes (web/workers.py, web/costly.py).

Real ``unionsearch serve`` processes with their workers, real signals on the workers:

- a costly request (a page of 100 hits, a deep page, trends, exports) is answered by a
  worker, byte for byte as the serving process answers it without workers; a cheap one
  is answered by the serving process;
- a worker killed (SIGKILL) during a request, or stopped (SIGSTOP) so that it does not
  answer, gives a 503 with ``Retry-After``, is replaced, and the next request is answered;
- a new import is seen by the workers on the very next costly request, and SIGHUP's
  synonyms setting reaches them;
- ``/healthz`` says how the workers are, and they run at a lower CPU priority.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import threading
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from web.app import create_app

from .helpers import (
    Server,
    Serving,
    group_states,
    http_get,
    unionsearch,
    write,
    write_jsonl,
)

HANG_S = 120  # guards against a hang only


def health(base: str) -> dict:
    status, _, body = http_get(base, "/healthz")
    assert status == 200, body
    return json.loads(body)


def wait_workers(base: str, check=lambda w: w["ready"] == w["size"]) -> dict:
    """``/healthz``'s workers once ``check`` holds for them."""
    deadline = time.monotonic() + HANG_S
    while True:
        workers = health(base)["workers"]
        if check(workers):
            return workers
        assert time.monotonic() < deadline, workers
        time.sleep(0.05)


def niceness(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as fh:
        return int(fh.read().rpartition(")")[2].split()[16])


def in_thread(base: str, target: str) -> dict:
    """``GET target`` in a thread: ``{"status", "headers", "body"}`` once ``["done"]`` is set."""
    out: dict = {"done": threading.Event()}

    def go() -> None:
        try:
            out["status"], out["headers"], out["body"] = http_get(base, target, timeout=HANG_S)
        finally:
            out["done"].set()

    threading.Thread(target=go, daemon=True).start()
    return out


def without_took(body: bytes, kind: str) -> bytes:
    """An answer without its computing time (the one part that differs between runs)."""
    if kind == "xlsx":  # every part of the workbook but its creation time
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return b"".join(name.encode() + book.read(name) for name in sorted(book.namelist())
                            if name != "docProps/core.xml")
    if kind == "json":
        data = json.loads(body)
        data.pop("took_ms", None)
        return json.dumps(data, ensure_ascii=False).encode()
    return re.sub(rb"\xe7\x94\xa8\xe6\x97\xb6 [^<]*", b"", body)  # 用时 …


# -- answers -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pooled(corpus_index, tmp_path_factory):
    log = tmp_path_factory.mktemp("pooled") / "serve.log"
    with Server(corpus_index.index_dir, log=log, env={"UNIONSEARCH_WORKERS": "2"}) as srv:
        wait_workers(srv.base)
        yield srv


COSTLY = [("/api/search?q=" + quote("经济") + "&size=100", "json"),
          ("/api/search?q=" + quote("改革") + "&page=7", "json"),
          ("/api/search?q=" + quote("经济") + "&size=100&from=0001-01-01&to=9999-12-31", "json"),
          ("/api/trends?q=" + quote("经济") + "&q=" + quote("改革") + "&q=" + quote("工人")
           + "&by=month", "json"),
          ("/trends?q=" + quote("经济") + "&q=" + quote("农民"), "html"),
          ("/search?q=" + quote("发展") + "&size=100", "html"),
          ("/export.csv?q=" + quote("工人") + "&fulltext=1", "bytes"),
          ("/export.csv?q=" + quote("经济") + "&sort=newest", "bytes"),
          ("/export.xlsx?q=" + quote("农民"), "xlsx")]


def test_costly_requests_are_answered_by_workers_as_the_serving_process_answers_them(
        pooled, corpus_index) -> None:
    local = create_app(index_dir=corpus_index.index_dir, TESTING=True).test_client()
    host = pooled.base.removeprefix("http://")
    before = health(pooled.base)["workers"]["answered"]
    for target, kind in COSTLY:
        status, headers, body = http_get(pooled.base, target)
        mine = local.get(target, headers={"Host": host})
        assert status == mine.status_code, (target, body[:300])
        assert without_took(body, kind) == without_took(mine.data, kind), target
        if target.startswith("/export"):
            assert headers.get("X-Total-Count") == mine.headers.get("X-Total-Count")
    assert health(pooled.base)["workers"]["answered"] - before == len(COSTLY)
    # the cheap ones stay in the serving process
    for target in ("/api/search?q=" + quote("经济"), "/search?q=" + quote("经济"),
                   "/api/suggest?q=" + quote("经")):
        assert http_get(pooled.base, target)[0] == 200
    assert health(pooled.base)["workers"]["answered"] - before == len(COSTLY)


def test_healthz_names_the_workers_and_they_run_at_a_lower_priority(pooled) -> None:
    workers = wait_workers(pooled.base)
    assert workers["size"] == 2 and len(workers["pids"]) == 2 and workers["busy"] == 0
    for pid in workers["pids"]:
        assert niceness(pid) == niceness(pooled.proc.pid) + workers["nice"] > 0


def test_a_worker_killed_during_a_request_answers_503_and_is_replaced(pooled) -> None:
    old = wait_workers(pooled.base)
    for pid in old["pids"]:
        os.kill(pid, signal.SIGSTOP)  # whichever is taken, it is held mid-request
    asked = in_thread(pooled.base, "/api/search?q=" + quote("经济") + "&size=100")
    wait_workers(pooled.base, lambda w: w["busy"] == 1)
    for pid in old["pids"]:
        os.kill(pid, signal.SIGKILL)
    assert asked["done"].wait(HANG_S)
    assert asked["status"] == 503, asked["body"]
    assert int(asked["headers"]["Retry-After"]) > 0
    assert "try again" in json.loads(asked["body"])["error"]
    now = wait_workers(pooled.base, lambda w: w["ready"] == 2 and w["replaced"]
                       >= old["replaced"] + 2)
    assert not set(now["pids"]) & set(old["pids"])
    status, _, body = http_get(pooled.base, "/api/search?q=" + quote("经济") + "&size=100")
    assert status == 200 and json.loads(body)["total"] > 0
    # an HTML page says it too, in Chinese
    for pid in now["pids"]:
        os.kill(pid, signal.SIGSTOP)
    asked = in_thread(pooled.base, "/trends?q=" + quote("经济"))
    wait_workers(pooled.base, lambda w: w["busy"] == 1)
    for pid in now["pids"]:
        os.kill(pid, signal.SIGKILL)
    assert asked["done"].wait(HANG_S)
    assert asked["status"] == 503 and "Retry-After" in asked["headers"]
    assert "请过几秒再试" in asked["body"].decode()
    wait_workers(pooled.base)


def test_a_worker_that_does_not_answer_is_replaced_and_the_request_answered_503(
        index, tmp_path) -> None:
    with Server(index, log=tmp_path / "serve.log",
                env={"UNIONSEARCH_WORKERS": "1", "UNIONSEARCH_WORKER_TIMEOUT": "1"}) as srv:
        old = wait_workers(srv.base)
        os.kill(old["pids"][0], signal.SIGSTOP)  # alive, and never answering
        status, headers, body = http_get(srv.base, "/api/trends?q=" + quote("工会"),
                                         timeout=HANG_S)
        assert status == 503 and int(headers["Retry-After"]) > 0, body
        now = wait_workers(srv.base, lambda w: w["ready"] == 1 and w["replaced"] == 1)
        assert now["pids"] != old["pids"]
        assert not os.path.exists(f"/proc/{old['pids'][0]}")  # killed and reaped
        status, _, body = http_get(srv.base, "/api/trends?q=" + quote("工会"))
        assert status == 200, body
    assert "did not answer trend" in srv.text()


# -- forked from the serving process -------------------------------------------------------

def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as fh:
        return int(fh.read().rpartition(")")[2].split()[1])


def memory_mb(pid: int) -> dict[str, float]:
    """``Rss``, ``Pss`` and ``Uss`` (its private pages) of a process, in MB."""
    kb = {}
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh.read().splitlines()[1:]:
            key, value = line.split()[:2]
            kb[key.rstrip(":")] = int(value)
    return {"Rss": kb["Rss"] / 1024, "Pss": kb["Pss"] / 1024,
            "Uss": (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024}


def sockets_of(pid: int) -> int:
    """How many of a process's descriptors are sockets."""
    return sum(1 for fd in os.listdir(f"/proc/{pid}/fd")
               if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"))


def test_workers_are_forked_from_the_serving_process_and_share_its_memory(pooled) -> None:
    """Each worker is forked (by the fork parent, forked from the serving process once its
    index and dictionary were loaded): most of its memory is the serving process's pages,
    and it holds no socket but its pipe (not the port, not a client's connection)."""
    for target, _ in COSTLY[:4]:  # each worker has computed something
        assert http_get(pooled.base, target)[0] == 200
    workers = wait_workers(pooled.base)
    fork_parent = workers["fork_parent"]
    assert parent_of(fork_parent) == pooled.proc.pid
    serving = memory_mb(pooled.proc.pid)
    for pid in workers["pids"]:
        assert parent_of(pid) == fork_parent
        mine = memory_mb(pid)
        assert mine["Uss"] < serving["Rss"] / 3, (mine, serving)  # not a copy of its own
        assert sockets_of(pid) == 1
    assert sockets_of(fork_parent) == 1  # its line to the serving process


def test_the_fork_parent_killed_workers_are_then_new_interpreters(index, tmp_path) -> None:
    log = tmp_path / "serve.log"
    with Server(index, log=log, env={"UNIONSEARCH_WORKERS": "1"}) as srv:
        old = wait_workers(srv.base)
        os.kill(old["fork_parent"], signal.SIGKILL)
        wait_workers(srv.base, lambda w: w["fork_parent"] is None)
        status, _, body = http_get(srv.base, "/api/trends?q=" + quote("工会"))
        assert status == 200, body  # the worker forked before still answers
        os.kill(old["pids"][0], signal.SIGKILL)
        now = wait_workers(srv.base, lambda w: w["ready"] == 1 and w["replaced"] == 1)
        assert parent_of(now["pids"][0]) == srv.proc.pid  # a new interpreter, its child
        status, _, body = http_get(srv.base, "/api/search?q=" + quote("工会") + "&size=100")
        assert status == 200 and json.loads(body)["total"] >= 1, body
    assert "started as new interpreters" in srv.text()


def test_the_serving_process_killed_its_fork_parent_and_workers_end_and_free_the_port(
        index, tmp_path) -> None:
    with Server(index, log=tmp_path / "serve.log", env={"UNIONSEARCH_WORKERS": "2"}) as srv:
        workers = wait_workers(srv.base)
        assert http_get(srv.base, "/api/trends?q=" + quote("工会"))[0] == 200
        srv.proc.kill()
        srv.proc.wait()
        port = int(srv.base.rpartition(":")[2])
        with socket.socket() as s:  # the port is free at once: no worker holds it
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
        deadline = time.monotonic() + HANG_S
        for pid in [workers["fork_parent"], *workers["pids"]]:
            while not ended(pid):  # each sees its pipe to the serving process closed
                assert time.monotonic() < deadline, pid
                time.sleep(0.05)


def ended(pid: int) -> bool:
    """Whether process ``pid`` has ended (gone, or a zombie not reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rpartition(")")[2].split()[0] in ("Z", "X")
    except OSError:
        return True


# -- what the workers read -----------------------------------------------------------------

def costly_total(srv: Serving, q: str) -> int:
    status, body = srv.get(f"/api/search?q={quote(q)}&size=100")
    assert status == 200, body
    return json.loads(body)["total"]


def cheap_total(srv: Serving, q: str) -> int:
    status, body = srv.get(f"/api/search?q={quote(q)}")
    assert status == 200, body
    return json.loads(body)["total"]


def test_workers_see_a_new_import_and_the_synonyms_a_reload_names(index, tmp_path) -> None:
    first = write(tmp_path / "first.txt", "紫砂 = 宜兴陶艺\n")
    second = write(tmp_path / "second.txt", "紫砂 = 阳羡壶\n")
    toml = tmp_path / "unionsearch.toml"
    write(toml, f'index_dir = "{index}"\nsynonyms = "{first}"\nworkers = 1\n')
    srv = Serving(tmp_path, "--config", str(toml))
    try:
        wait_workers(srv.base)
        assert costly_total(srv, "宜兴陶艺") >= 1 and costly_total(srv, "阳羡壶") == 0
        write(toml, f'index_dir = "{index}"\nsynonyms = "{second}"\nworkers = 1\n')
        os.kill(srv.proc.pid, signal.SIGHUP)
        deadline = time.monotonic() + HANG_S
        while cheap_total(srv, "阳羡壶") == 0:  # the serving process has applied it
            assert time.monotonic() < deadline, srv.text()
            time.sleep(0.05)
        assert costly_total(srv, "阳羡壶") >= 1 and costly_total(srv, "宜兴陶艺") == 0

        new = write_jsonl(tmp_path / "new.jsonl", [
            {"id": "worker-new-1", "date": "2022-10-01", "title": "鲸头鹳栖息地调查",
             "body": "鲸头鹳栖息地调查报告今天发布。" * 3}])
        done = unionsearch("index", str(new), "--index-dir", str(index))
        assert done.returncode == 0, done.stderr
        deadline = time.monotonic() + HANG_S
        while cheap_total(srv, "鲸头鹳") == 0:  # the serving process sees the new generation
            assert time.monotonic() < deadline, srv.text()
            time.sleep(0.05)
        assert costly_total(srv, "鲸头鹳") == 1  # and so does the worker, at once
    finally:
        assert srv.stop() == 0
    wait_group_gone(srv.proc.pid)


def wait_group_gone(pgid: int) -> None:
    """After the server stopped, no process of its group is left (its workers ended too)."""
    deadline = time.monotonic() + HANG_S
    while left := group_states(pgid):
        assert time.monotonic() < deadline, left
        time.sleep(0.05)


def test_by_default_two_forked_workers_and_with_none_costly_requests_are_answered_here(
        index, tmp_path) -> None:
    """Two workers by default (forked: they cost little memory); ``workers = 0`` computes
    everything in the serving process."""
    srv = Serving(tmp_path, "--index-dir", str(index))
    try:
        workers = wait_workers(srv.base)
        assert workers["size"] == 2 and workers["fork_parent"] is not None
        assert costly_total(srv, "工会") >= 1
        assert health(srv.base)["workers"]["answered"] == 1
    finally:
        assert srv.stop() == 0
    wait_group_gone(srv.proc.pid)
    with Server(index, env={"UNIONSEARCH_WORKERS": "0"}) as srv:
        assert "workers" not in health(srv.base)
        status, _, body = http_get(srv.base, f"/api/search?q={quote('工会')}&size=100")
        assert status == 200 and json.loads(body)["total"] >= 1, body


def test_the_settings_are_checked(tmp_path: Path) -> None:
    for key, value, message in (("workers", "17", "must be from 0 to 16"),
                                ("worker_timeout", "0", "must be from 1 to 600")):
        done = unionsearch("config", "--index-dir", str(tmp_path),
                           env={f"UNIONSEARCH_{key.upper()}": value})
        assert done.returncode != 0 and message in done.stderr, done.stderr



def test_a_stop_sent_to_the_whole_group_leaves_the_workers_to_the_serving_process(
        index, tmp_path) -> None:
    """SIGTERM to every process of the service (Ctrl-C's way, ``kill -- -PGID``) must not
    end the workers under the serving process, which would see them end and start new
    ones while it stops: the workers ignore it and end when the serving process does."""
    log = tmp_path / "serve.log"
    with Server(index, log=log, env={"UNIONSEARCH_WORKERS": "1"}) as srv:
        before = wait_workers(srv.base)
        for pid in [*before["pids"], before["fork_parent"]]:
            os.kill(pid, signal.SIGTERM)
        status, _, body = http_get(srv.base, "/api/search?q=" + quote("工会") + "&size=100")
        assert status == 200, body  # computed by the worker that was sent SIGTERM
        after = health(srv.base)["workers"]
        assert after["pids"] == before["pids"] and after["replaced"] == 0, after
        assert after["fork_parent"] == before["fork_parent"]
        pgid = srv.proc.pid
    # Server's exit sent SIGTERM to the whole group and reaped the serving process.
    deadline = time.monotonic() + HANG_S
    while group_states(pgid):
        assert time.monotonic() < deadline, group_states(pgid)
        time.sleep(0.05)
    text = srv.text()
    assert "replacing it" not in text and "Traceback" not in text, text[-2000:]
