"""``python -m bench.cpu_per_query INDEX CORPUS [--per-class 30] [--out FILE] [--profile CLASS]``

CPU time (``time.thread_time``) of each query of :mod:`bench.queries`, answered in
process through the web app's ``/api/search`` (the same view, engine, generation
checks and caches a served request goes through; no sockets).  CPU time rather than
wall time because the machine may be shared: another process's load inflates wall
times, hardly the CPU a request itself spends.

Each query is asked once per process (a repeat would time the result cache), so a
comparison of two versions of the code runs this script several times in each,
alternating, and keeps the least CPU per query (:mod:`bench.cpu_compare`).  Runs from
any checkout that has ``web.app.create_app`` and ``bench.queries``: the output is
JSON, ``{class: {query text: cpu ms}}``.

With ``--cold`` the index's pages are dropped from the page cache before each query
(:func:`bench.target.evict_page_cache`), and the bytes each query then read from disk
(``read_bytes`` of ``/proc/self/io``) are kept too, under ``_read``: what a query costs
when the kernel has paged the index out, which CPU time does not show.

With ``--profile CLASS`` the queries of that class are run under cProfile instead
and the statistics written to ``--out``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import time
from urllib.parse import urlencode

from bench import queries, target


def _read_bytes() -> int:
    with open("/proc/self/io", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("read_bytes"))


def _client(index_dir: str):
    from web.app import create_app

    app = create_app(index_dir, TESTING=True)
    return app.test_client()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.cpu_per_query")
    ap.add_argument("index")
    ap.add_argument("corpus")
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--out", default="-")
    ap.add_argument("--profile", default=None, help="a class: cProfile its queries")
    ap.add_argument("--cold", action="store_true",
                    help="drop the index from the page cache before each query")
    args = ap.parse_args(argv)

    workload, warm = queries.build(args.corpus, args.seed, args.per_class, 3)
    client = _client(args.index)
    for q in warm:  # tables, arrays and first reads of every kind paid before timing
        client.get("/api/search?" + urlencode(q.params()))
    if args.profile:
        prof = cProfile.Profile(time.thread_time)  # CPU: a loaded machine inflates wall times
        for q in workload:
            if q.cls == args.profile:
                path = "/api/search?" + urlencode(q.params())
                prof.enable()
                resp = client.get(path)
                prof.disable()
                assert resp.status_code == 200, resp.data[:300]
        prof.dump_stats(args.out)
        return
    out: dict[str, dict[str, float]] = {}
    read: dict[str, dict[str, int]] = {}
    p0 = time.process_time()
    for q in workload:
        path = "/api/search?" + urlencode(q.params())
        if args.cold:
            target.evict_page_cache(args.index)
        r0 = _read_bytes()
        t0 = time.thread_time()
        resp = client.get(path)
        cpu = (time.thread_time() - t0) * 1000
        read.setdefault(q.cls, {})[path] = _read_bytes() - r0
        if resp.status_code != 200:
            print(f"{path}: {resp.status_code} {resp.data[:200]!r}", file=sys.stderr)
            continue
        out.setdefault(q.cls, {})[path] = cpu
    # CPU of other threads (background table builds) shows as the difference
    process_ms = (time.process_time() - p0) * 1000
    out["_totals"] = {"process_ms": process_ms,
                      "thread_ms": sum(v for c in out.values() for v in c.values())}
    if args.cold:
        out["_read"] = read
    text = json.dumps(out, ensure_ascii=False)
    if args.out == "-":
        print(text)
    else:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
