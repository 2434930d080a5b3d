"""One writer, many readers: searching never fails while ``unionsearch index`` runs.

A real import (``unionsearch index`` subprocess, batches of ``BATCH`` articles) runs while a
thread pool searches continuously, both in-process through :class:`search.engine.Engine` and
over HTTP against a running ``unionsearch serve``.  Every answer must be well formed, the
served document count must only rise and end exact, and the server must see the new articles
without a restart: the import stops itself after each commit, and while it is stopped the
server must come to serve exactly that commit.

Size: ``RELIABILITY_ARTICLES`` (default 2000: ten batches, enough for the import to merge
segments away under searches that still read them) real articles from the shared corpus, copied
with new ids and bodies cut to 160 characters.
"""

from __future__ import annotations

import json
import os
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from search.engine import Engine, SearchRequest

from .helpers import (
    Server,
    corpus_rows,
    http_get,
    resume,
    start_unionsearch,
    unionsearch,
    wait_paused,
    write_jsonl,
)

ARTICLES = int(os.environ.get("RELIABILITY_ARTICLES", "2000"))
BATCH = 200
SEED = 50
PAUSE = 0.01  # between one reader's requests: continuous, but leaving the importer a core

QUERIES = [
    {"q": "经济"}, {"q": "改革 开放"}, {"q": '"中国"'}, {"q": "title:北京"},
    {"q": "人民 OR 群众"}, {"q": "发展 -农业"}, {"q": "", "sort": "newest", "from": "1998-01-01"},
    {"q": "新华社", "sort": "oldest", "size": "50"}, {"q": "工人", "page": "3"},
    {"q": "记者", "reporter": "新华社"}, {"q": "的", "size": "100"},
]



def _queries(rows: list[dict]) -> list[dict]:
    """The fixed mix above plus two-character words from the titles: mostly cache misses."""
    words = sorted({t[i:i + 2] for r in rows for t in [r["title"]] for i in range(0, 8, 2)
                    if len(t) >= i + 2 and t[i:i + 2].isalnum()})
    return QUERIES + [{"q": w, **({"size": "50"} if n % 2 else {})} for n, w in enumerate(words)]


def _check_result(body: dict, params: dict) -> None:
    assert isinstance(body["total"], int) and body["total"] >= 0
    assert len(body["hits"]) <= int(params.get("size", 10))
    for hit in body["hits"]:
        assert hit["id"] and hit["date"]


class _Readers:
    """Searches over HTTP and in-process, and a /healthz watcher, until :attr:`stop`."""

    def __init__(self, srv: Server, engine: Engine, queries: list[dict]):
        self.srv, self.engine, self.queries = srv, engine, queries
        self.errors: list[str] = []
        self.counts = {"http": 0, "engine": 0}
        self.stop = threading.Event()
        self.seen_docs: list[int] = []

    def http_reader(self, n: int) -> None:
        i = n
        while not self.stop.is_set():
            params = self.queries[i * 7 % len(self.queries)]
            i += 1
            qs = "&".join(f"{k}={quote(v)}" for k, v in params.items())
            path = ("/api/search?" if i % 3 else "/search?") + qs
            try:
                status, _, body = http_get(self.srv.base, path)
                if status != 200:
                    self.errors.append(f"{path}: HTTP {status} {body[:300]!r}")
                elif path.startswith("/api/"):
                    _check_result(json.loads(body), params)
                self.counts["http"] += 1
            except Exception as exc:  # noqa: BLE001 - every failure is reported
                self.errors.append(f"{path}: {exc!r}")
            time.sleep(PAUSE)

    def engine_reader(self, n: int) -> None:
        i = n
        while not self.stop.is_set():
            params = self.queries[i * 11 % len(self.queries)]
            i += 1
            try:
                req = SearchRequest.from_params(
                    params.get("q"), [params["reporter"]] if "reporter" in params else [],
                    params.get("from"), params.get("to"), params.get("sort"),
                    params.get("page"), params.get("size"))
                _check_result(self.engine.search(req), params)
                self.engine.get(f"r{i % (SEED + ARTICLES):06d}")
                self.counts["engine"] += 1
            except Exception as exc:  # noqa: BLE001
                where = traceback.format_exc(limit=-3).strip().splitlines()[-6:]
                self.errors.append(f"engine {params}: {exc!r} at {where}")
            time.sleep(PAUSE)

    def health_watcher(self) -> None:
        while not self.stop.is_set():
            try:
                self.seen_docs.append(self.srv.documents())
            except Exception as exc:  # noqa: BLE001
                self.errors.append(f"/healthz: {exc!r}")
            time.sleep(0.2)


def _served(srv: Server, expected: int) -> None:
    """Wait for the server to serve ``expected`` articles (it never restarts); the
    deadline only guards against a hang."""
    deadline = time.monotonic() + 120
    while (n := srv.documents()) != expected:
        assert n < expected, f"served {n}, more than the {expected} committed"
        assert time.monotonic() < deadline, f"served count stuck at {n}, {expected} committed"
        time.sleep(0.05)


def _more_searches(readers: _Readers, n: int = 8) -> None:
    """Wait until both kinds of reader have searched ``n`` more times."""
    before = dict(readers.counts)
    deadline = time.monotonic() + 120
    while any(readers.counts[k] < before[k] + n for k in before):
        assert time.monotonic() < deadline, f"readers stalled: {readers.counts} {readers.errors[:3]}"
        assert not readers.stop.is_set()
        time.sleep(0.02)


def test_one_writer_many_readers(tmp_path):
    idx = tmp_path / "idx"
    rows = corpus_rows(SEED + ARTICLES, body_chars=160)
    seed = write_jsonl(tmp_path / "seed.jsonl", rows[:SEED])
    data = write_jsonl(tmp_path / "more.jsonl", rows[SEED:])
    r = unionsearch("index", str(seed), "--index-dir", str(idx))
    assert r.returncode == 0, r.stderr

    engine = Engine(str(idx))
    with Server(idx, log=tmp_path / "serve.log") as srv:
        assert srv.documents() == SEED
        readers = _Readers(srv, engine, _queries(rows))
        errors, counts, stop, seen_docs = (readers.errors, readers.counts, readers.stop,
                                           readers.seen_docs)
        # The import stops itself after each commit (search/pausepoints.py): while it is
        # stopped, the server must come to serve exactly what is committed, with the
        # readers searching all along.
        log = tmp_path / "import.log"
        proc = start_unionsearch("index", str(data), "--index-dir", str(idx), "--batch-size",
                                 str(BATCH), log=log, env={"UNIONSEARCH_PAUSE_AT": "committed"})
        committed: list[int] = []
        with ThreadPoolExecutor(9) as pool:
            futures = [pool.submit(readers.http_reader, n) for n in range(4)]
            futures += [pool.submit(readers.engine_reader, n) for n in range(4)]
            futures.append(pool.submit(readers.health_watcher))
            try:
                for k in range(1, -(-ARTICLES // BATCH) + 1):
                    pid = wait_paused(proc, log)
                    expected = SEED + min(k * BATCH, ARTICLES)
                    _served(srv, expected)
                    committed.append(srv.documents())
                    _more_searches(readers)  # searches over this generation, import stopped
                    resume(pid)
                assert proc.wait(timeout=600) == 0, log.read_text()
                _served(srv, SEED + ARTICLES)
                _more_searches(readers)  # a last round of searches over the final index
            finally:
                stop.set()
                for f in futures:
                    f.result()

        assert not errors, f"{len(errors)} failures, first: {errors[:5]}"
        assert counts["http"] > 20 and counts["engine"] > 20, counts
        # Every commit was served in turn; the count only rose.
        assert committed == [SEED + min(k * BATCH, ARTICLES)
                             for k in range(1, -(-ARTICLES // BATCH) + 1)], committed
        assert seen_docs == sorted(seen_docs), seen_docs
        distinct = sorted(set(seen_docs))
        assert distinct[0] == SEED and distinct[-1] == SEED + ARTICLES
        assert all((d - SEED) % BATCH == 0 or d == SEED + ARTICLES for d in distinct), distinct
        # The newest article is served without a restart, over HTTP and in-process.
        last = rows[-1]["id"]
        status, _, body = http_get(srv.base, f"/api/articles/{last}")
        assert status == 200 and json.loads(body)["title"] == rows[-1]["title"]
        assert engine.get(last) is not None
        # Stats agree with the served count.
        r = unionsearch("stats", "--json", "--index-dir", str(idx))
        assert json.loads(r.stdout)["documents"] == SEED + ARTICLES
    print(f"\nreaders: {counts['http']} HTTP + {counts['engine']} in-process searches, "
          f"0 errors; served counts seen: {distinct}")
