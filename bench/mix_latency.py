"""The bench query mix's engine time, in process, for comparing two versions of the code.

Run it once per version (``PYTHONPATH`` pointing at each tree), alternating, over the
same index and the same seeded mix: each query runs ``--repeat`` times (result cache
bypassed: :func:`search.results.run` called directly) and its fastest time counts.
Prints one JSON line: p50 / p95 / mean in milliseconds, overall and per class.
``--clock cpu`` times the process's CPU time instead of the wall clock: on a machine
shared with other work the wall clock counts the time other processes ran.

    PYTHONPATH=TREE python -m bench.mix_latency INDEX_DIR CORPUS.jsonl [--per-class N]
        [--clock wall|cpu]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from bench import queries as bq
from search import results
from search.engine import Engine, archive_dates
from search.retrieval.request import SearchRequest


def request(q: bq.BenchQuery) -> SearchRequest:
    p = q.params()
    return SearchRequest.from_params(q=p.get("q"), reporters=[p["reporter"]] if "reporter" in p
                                     else (), date_from=p.get("from"), date_to=p.get("to"),
                                     sort=p.get("sort"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.mix_latency")
    ap.add_argument("index_dir")
    ap.add_argument("corpus")
    ap.add_argument("--per-class", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--label", default="")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = ap.parse_args(argv)
    clock = time.perf_counter if args.clock == "wall" else time.process_time
    engine = Engine(args.index_dir, synonyms_file="")
    st = engine.state()
    table = engine.synonyms.current()
    mix, warm = bq.build(args.corpus, args.seed, args.per_class, warm_per_class=2)
    for q in warm:
        results.run(st, request(q).within(*archive_dates(st)), table)
    times: dict[str, list[float]] = {}
    for q in mix:
        req = request(q).within(*archive_dates(st))
        best = float("inf")
        for _ in range(args.repeat):
            t0 = clock()
            results.run(st, req, table)
            best = min(best, clock() - t0)
        times.setdefault(q.cls, []).append(best * 1000)
    times["all"] = [t for v in times.values() for t in v]
    out = {"label": args.label, "code": results.__file__, "clock": args.clock}
    for cls, ts in times.items():
        a = np.array(ts)
        out[cls] = [round(float(np.percentile(a, 50)), 2), round(float(np.percentile(a, 95)), 2),
                    round(float(a.mean()), 2)]
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
