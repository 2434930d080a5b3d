"""A hostile but valid burst of wide date ranges: what it costs in time and server memory.

    .venv/bin/python -m bench.hostile_dates --size 10000              # ≈ 1 min with the import
    PYTHONPATH=/tmp/old .venv/bin/python -m bench.hostile_dates ...   # the server from /tmp/old

Eight client threads send, in a shuffled order, ``--trends`` distinct ``/api/trends`` (three
queries, ``by=year``, ``from=0001-01-01&to=9999-12-31`` with a distinct query each, so no
cache answers), ``--pages`` ``/trends`` pages and ``--pages`` ``/search`` pages over the same
range, and ``--exports`` CSV exports at once.  Reported per kind: answers by status, p50 and
maximum latency, the largest body; and the server's resident memory before and after the
burst, and its peak.  The server is ``unionsearch serve`` run as a user runs it; with
``PYTHONPATH`` pointing at another checkout it serves that code (to compare before/after).
Figures are printed as JSON and, with ``--record``, appended to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from . import corpus
from .target import Server, import_file
from .timing import percentile

WIDE = {"from": "0001-01-01", "to": "9999-12-31"}
WORDS = ["工人", "劳模", "经济", "改革", "企业", "农民", "工会", "职工", "技术", "教育",
         "安全", "市场", "发展", "建设", "生产", "服务", "文化", "科技", "质量", "创新"]


def rss_mb(pid: int) -> float:
    """The process's resident memory now (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def requests(trends: int, pages: int, exports: int, seed: int) -> list[tuple[str, str]]:
    """(kind, path) of the burst, shuffled."""
    rnd = random.Random(seed)
    out = []
    for n in range(trends):
        qs = rnd.sample(WORDS, 2) + [f"{rnd.choice(WORDS)}{n}"]
        out.append(("api_trends", "/api/trends?" + urlencode({"q": qs, "by": "year", **WIDE},
                                                             doseq=True)))
    for _ in range(pages):
        qs = rnd.sample(WORDS, 3)
        out.append(("trends_page", "/trends?" + urlencode({"q": qs, "by": "year", **WIDE},
                                                           doseq=True)))
        out.append(("search_page", "/search?" + urlencode({"q": qs[0], **WIDE})))
    for n in range(exports):
        out.append(("export_csv", "/export.csv?" + urlencode({"q": WORDS[n % len(WORDS)],
                                                               **WIDE})))
    rnd.shuffle(out)
    return out


def burst(port: int, work: list[tuple[str, str]], clients: int) -> list[dict]:
    """Send ``work`` from ``clients`` threads; one record per request."""
    lock = threading.Lock()
    queue = list(work)
    done: list[dict] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        while True:
            with lock:
                if not queue:
                    break
                kind, path = queue.pop()
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                body = resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                status, body = 0, b""
            took = (time.perf_counter() - started) * 1000
            with lock:
                done.append({"kind": kind, "status": status, "ms": took, "bytes": len(body)})
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done


def summary(done: list[dict]) -> dict:
    out: dict[str, dict] = {}
    for kind in sorted({d["kind"] for d in done}):
        rows = [d for d in done if d["kind"] == kind]
        ms = [d["ms"] for d in rows]
        statuses: dict[str, int] = {}
        for d in rows:
            statuses[str(d["status"])] = statuses.get(str(d["status"]), 0) + 1
        out[kind] = {"n": len(rows), "status": statuses, "p50_ms": round(percentile(ms, 50), 1),
                     "max_ms": round(max(ms), 1),
                     "max_bytes": max(d["bytes"] for d in rows)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--trends", type=int, default=150)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--exports", type=int, default=8)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--work", default="/tmp/unionsearch-bench-hostile")
    ap.add_argument("--label", default="")
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    work = Path(args.work)
    info = corpus.ensure(work, args.size, 1998)
    idx = work / f"idx-{args.size}"
    if not corpus.index_current(idx):
        import_file(info.path, idx, info.articles)
    with Server(idx) as server:
        server.get("/search?" + urlencode({"q": "工人"}))  # warm
        before = rss_mb(server.proc.pid)
        started = time.perf_counter()
        done = burst(server.port, requests(args.trends, args.pages, args.exports, 7),
                     args.clients)
        wall = time.perf_counter() - started
        after = rss_mb(server.proc.pid)
        peak = server.rss_mb()
    result = {"label": args.label, "articles": args.size, "clients": args.clients,
              "wall_s": round(wall, 1), "rss_before_mb": round(before),
              "rss_after_mb": round(after), "rss_peak_mb": round(peak or 0),
              "kinds": summary(done)}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.record:
        with open(Path(__file__).with_name("RESULTS.md"), "a", encoding="utf-8") as fh:
            fh.write(f"\n<!-- bench.hostile_dates {args.label} -->\n```json\n"
                     + json.dumps(result, ensure_ascii=False) + "\n```\n")


if __name__ == "__main__":
    main()
