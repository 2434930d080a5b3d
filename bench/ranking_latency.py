"""What the ranking of partial matches and centrality costs: the bench query mix run in
process with them on and off, query by query.

Both settings run every query of the mix (:mod:`bench.queries`, the classes of
``python -m bench.run``) against the same open index, alternating which goes first
(so the postings one reads are warm for the other half the time, each way), without
the engine's result cache (:func:`search.results.run` called directly).  Each query
runs ``--repeat`` times in each setting and its fastest time counts: on a machine
shared with other work a single run's time is mostly the others' load.  "off" is
the engine with no partial matches and no centrality re-ranking (BM25F order, verbatim
first): what a search cost before they were added.  Machine load drifts over a run;
alternating query by query spreads it over both settings.

    python -m bench.ranking_latency INDEX_DIR CORPUS.jsonl [--per-class N] [--seed S] [--repeat R]

Prints p50 / p95 / mean per setting, overall and per class, in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from contextlib import contextmanager

import numpy as np

from bench import queries as bq
from bench.inprocess import request, warmed
from search import results
from search.engine import archive_dates


@contextmanager
def ranking(on: bool):
    """The engine's partial matches and centrality re-ranking, on or off."""
    saved = results.RELAX_BELOW, results.RERANK_DEPTH
    if not on:
        results.RELAX_BELOW, results.RERANK_DEPTH = 0, 0
    try:
        yield
    finally:
        results.RELAX_BELOW, results.RERANK_DEPTH = saved


def measure(index_dir: str, corpus: str, per_class: int, seed: int, repeat: int) -> dict:
    """{setting: {class: [ms, ...]}} over the mix."""
    st, table, mix = warmed(index_dir, corpus, seed, per_class)
    rng = random.Random(seed)
    times: dict[str, dict[str, list[float]]] = {"on": {}, "off": {}}
    for q in mix:
        req = request(q).within(*archive_dates(st))
        best = {"on": float("inf"), "off": float("inf")}
        for _ in range(repeat):
            modes = ["on", "off"]
            rng.shuffle(modes)
            for mode in modes:
                with ranking(mode == "on"):
                    t0 = time.perf_counter()
                    results.run(st, req, table)
                    best[mode] = min(best[mode], (time.perf_counter() - t0) * 1000)
        for mode, ms in best.items():
            times[mode].setdefault(q.cls, []).append(ms)
    return times


def summary(ms: list[float]) -> str:
    a = np.array(ms)
    return f"{np.percentile(a, 50):.2f} / {np.percentile(a, 95):.2f} / {a.mean():.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.ranking_latency")
    ap.add_argument("index_dir")
    ap.add_argument("corpus")
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    times = measure(args.index_dir, args.corpus, args.per_class, args.seed, args.repeat)
    print("| class | n | off p50 / p95 / mean ms | on p50 / p95 / mean ms |")
    print("|---|---:|---:|---:|")
    for cls in [*bq.CLASSES, "all"]:
        got = {m: (sum(times[m].values(), []) if cls == "all" else times[m].get(cls, []))
               for m in times}
        if got["on"]:
            print(f"| {cls} | {len(got['on'])} | {summary(got['off'])} | {summary(got['on'])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
