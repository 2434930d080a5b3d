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

from bench.inprocess import request, warmed
from search import results
from search.engine import archive_dates


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
    st, table, mix = warmed(args.index_dir, args.corpus, args.seed, args.per_class)
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
