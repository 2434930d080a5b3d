"""``python -m bench.http_cpu INDEX CORPUS [--per-class 30] [--out FILE]``

The queries of :mod:`bench.queries` over HTTP against ``unionsearch serve`` (the bench's
own client, :mod:`bench.target`): each query's wall time, and per class the CPU the
server process spent on the class's queries (every thread: ``utime + stime`` from
``/proc``, in clock ticks, so only a class's sum is meaningful).  Run from the checkout
whose code is measured; :mod:`bench.cpu_compare` compares the wall times of runs, and
the ``_cpu`` entry holds the server CPU per class.  Timing starts once the server has
gone idle after start-up (:meth:`bench.target.Server.wait_idle`).
"""

from __future__ import annotations

import argparse
import json
import time
from urllib.parse import urlencode

from bench import queries, target
from bench.target import cpu_ms


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.http_cpu")
    ap.add_argument("index")
    ap.add_argument("corpus")
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    workload, warm = queries.build(args.corpus, args.seed, args.per_class, 3)
    out: dict[str, dict] = {"_cpu": {}}
    with target.Server(args.index) as server:
        out["_idle_wait_s"] = server.wait_idle()  # the suggestion tables built first
        for q in warm:
            server.get("/api/search?" + urlencode(q.params()))
        pid = server.proc.pid
        for q in workload:
            path = "/api/search?" + urlencode(q.params())
            c0, t0 = cpu_ms(pid), time.perf_counter()
            status, body = server.get(path)
            wall = (time.perf_counter() - t0) * 1000
            cpu = cpu_ms(pid) - c0
            if status != 200:
                continue
            out.setdefault(q.cls, {})[path] = wall
            out["_cpu"][q.cls] = out["_cpu"].get(q.cls, 0.0) + cpu
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False)


if __name__ == "__main__":
    main()
