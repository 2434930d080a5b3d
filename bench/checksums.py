"""``python -m bench.checksums --index-dir DIR [--articles 20000] [--per-class 30]``

A small in-process query bench for the cost of verified reads: builds (once) an index of
the bench corpus, then opens it with :class:`search.engine.Engine` (timed: the open
verifies every segment's files) and times every query class of :mod:`bench.queries`,
each query run on a fresh result cache, best of ``--repeat`` runs of its CPU time (the
thread's: on a machine shared with other work, wall time mostly measures the others).
Prints one JSON line: the open time (wall, the first open of the process) and the median
and 90th percentile per class, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from . import corpus, queries


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index-dir", required=True)
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    out = Path(args.index_dir).parent
    out.mkdir(parents=True, exist_ok=True)
    info = corpus.ensure(out, args.articles, args.seed)
    if not Path(args.index_dir).exists():
        subprocess.run([str(Path(sys.executable).parent / "unionsearch"), "index", info.path,
                        "--index-dir", args.index_dir], check=True, capture_output=True)

    from search.engine import Engine
    from search.retrieval.request import SearchRequest

    t0 = time.perf_counter()
    engine = Engine(args.index_dir)
    opened = time.perf_counter() - t0
    measured, _ = queries.build(info.path, args.seed, args.per_class)
    per_class: dict[str, list[float]] = {}
    for q in measured:
        p = q.params()
        req = SearchRequest.from_params(p["q"], [q.reporter] if q.reporter else [],
                                        q.date_from, q.date_to, q.sort, "1", "10")
        best = float("inf")
        for _ in range(args.repeat):
            engine._results._items.clear()
            t = time.thread_time()  # CPU time: steadier than wall time on a shared machine
            engine.search(req)
            best = min(best, time.thread_time() - t)
        per_class.setdefault(q.cls, []).append(best * 1000)
    report = {"open_ms": round(opened * 1000, 1)}
    for cls, times in per_class.items():
        times.sort()
        report[cls] = {"median": round(statistics.median(times), 2),
                       "p90": round(times[int(0.9 * (len(times) - 1))], 2)}
    all_times = sorted(t for ts in per_class.values() for t in ts)
    report["all"] = {"median": round(statistics.median(all_times), 2),
                     "total": round(sum(all_times), 1)}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
