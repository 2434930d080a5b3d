"""Load: 8 concurrent clients against ``unionsearch serve`` over the corpus index.

Each client sends a mix of API searches (words and phrases from the corpus, filters, sorts,
deep pages), HTML result pages, article pages and health checks, back to back,
``LOAD_REQUESTS`` each (default 150): a fixed amount of work, not a duration.  No request may
fail; the throughput and latency percentiles are printed, never asserted (the benchmark
figures are in bench/).
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
from urllib.parse import quote

from .helpers import Server, http_get

REQUESTS = int(os.environ.get("LOAD_REQUESTS", "150"))
CLIENTS = int(os.environ.get("LOAD_CLIENTS", "8"))


def _targets(corpus_docs: list[dict], n: int = 2000) -> list[str]:
    rng = random.Random(8)
    titles = [d["title"] for d in corpus_docs if len(d["title"]) >= 4]
    out = []
    for _ in range(n):
        t = rng.choice(titles)
        i = rng.randrange(0, len(t) - 3)
        word = t[i:i + rng.choice([2, 2, 3, 4])]
        kind = rng.random()
        if kind < 0.45:
            out.append(f"/api/search?q={quote(word)}")
        elif kind < 0.55:
            out.append(f"/api/search?q={quote(chr(34) + word + chr(34))}&sort=newest&size=20")
        elif kind < 0.62:
            out.append(f"/api/search?q={quote(word)}&from=1998-01-10&to=1998-01-20&page=2")
        elif kind < 0.67:
            out.append(f"/api/search?q={quote(word[:1])}&size=100")
        elif kind < 0.85:
            out.append(f"/search?q={quote(word)}")
        elif kind < 0.97:
            out.append(f"/articles/{quote(rng.choice(corpus_docs)['id'])}?q={quote(word)}")
        else:
            out.append("/healthz")
    return out


def test_eight_clients_no_failures(corpus_index, corpus_docs, tmp_path):
    targets = _targets(corpus_docs)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    with Server(corpus_index.index_dir, log=tmp_path / "serve.log") as srv:
        # One warm-up pass so the first requests do not measure start-up.
        http_get(srv.base, "/api/search?q=%E7%BB%8F%E6%B5%8E")

        def client(n: int) -> None:
            i = n * 997
            mine, bad = [], []
            for _ in range(REQUESTS):
                target = targets[i % len(targets)]
                i += 1
                started = time.perf_counter()
                try:
                    status, _, body = http_get(srv.base, target, timeout=60)
                    if status != 200:
                        bad.append(f"{target}: HTTP {status} {body[:200]!r}")
                    elif target.startswith("/api/"):
                        json.loads(body)
                except Exception as exc:  # noqa: BLE001 - every failure counts
                    bad.append(f"{target}: {exc!r}")
                mine.append(time.perf_counter() - started)
            with lock:
                latencies.extend(mine)
                failures.extend(bad)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        assert srv.documents() == len(corpus_docs)

    latencies.sort()
    n = len(latencies)
    pct = lambda p: latencies[min(n - 1, int(p * n))] * 1000  # noqa: E731
    print(f"\nload: {CLIENTS} clients, {elapsed:.0f} s, {n} requests, {n / elapsed:.1f} req/s, "
          f"p50 {pct(0.50):.0f} ms, p90 {pct(0.90):.0f} ms, p99 {pct(0.99):.0f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms, failures {len(failures)}")
    assert not failures, f"{len(failures)} failed, first: {failures[:5]}"
    assert n == CLIENTS * REQUESTS
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
