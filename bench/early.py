"""What scoring only a page's candidates saves: the bench mix run in process with
``search.results.EARLY_TOP_K`` on and off, query by query, on the same open index.

    python -m bench.early INDEX_DIR CORPUS.jsonl [--per-class N] [--repeat R] [--sort S]

Every query of the mix (:mod:`bench.queries`) runs in both settings, alternating which
goes first, without the engine's result cache (:func:`search.results.run` called
directly), ``--repeat`` times a setting, its least CPU time (``time.thread_time``: the
machine may be shared) kept.  ``--sort newest`` (or ``oldest``) runs every query of the
mix sorted so, not only the ``newest`` class; ``--sort mix`` keeps each query's own.
The two settings' results are compared (page, scores, total, facets) and any difference
counted.  Prints CPU p50 / p95 / mean per setting and class, in milliseconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import time

import numpy as np

from bench import queries as bq
from bench.inprocess import request, warmed
from search import results
from search.engine import archive_dates


def measure(index_dir: str, corpus: str, per_class: int, seed: int, repeat: int, sort: str
            ) -> tuple[dict[str, dict[str, list[float]]], int]:
    """({setting: {class: [CPU ms, ...]}}, number of queries whose results differ)."""
    st, table, mix = warmed(index_dir, corpus, seed, per_class)

    def req_of(q: bq.BenchQuery):  # noqa: ANN202
        req = request(q).within(*archive_dates(st))
        return req if sort == "mix" else dataclasses.replace(req, sort=sort)

    rng = random.Random(seed)
    times: dict[str, dict[str, list[float]]] = {"off": {}, "on": {}}
    differ = 0
    saved = results.EARLY_TOP_K
    try:
        for q in mix:
            req = req_of(q)
            best: dict[str, float] = {}
            answers = {}
            for _ in range(repeat):
                modes = ["on", "off"]
                rng.shuffle(modes)
                for mode in modes:
                    results.EARLY_TOP_K = mode == "on"
                    c0 = time.thread_time()
                    res = dict(results.run(st, req, table))
                    cpu = (time.thread_time() - c0) * 1000
                    res.pop("took_ms", None)
                    answers[mode] = res
                    best[mode] = min(best.get(mode, float("inf")), cpu)
            differ += answers["on"] != answers["off"]
            for mode, cpu in best.items():
                times[mode].setdefault(q.cls, []).append(cpu)
    finally:
        results.EARLY_TOP_K = saved
    return times, differ


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.early")
    ap.add_argument("index")
    ap.add_argument("corpus")
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--sort", choices=("mix", "newest", "oldest"), default="newest")
    args = ap.parse_args(argv)
    times, differ = measure(args.index, args.corpus, args.per_class, args.seed, args.repeat,
                            args.sort)
    print(f"sort: {args.sort}; queries whose results differ: {differ}")
    print("| class | n | every match scored, CPU p50 / p95 / mean ms | "
          "page's candidates scored | mean change |")
    print("|---|---:|---:|---:|---:|")
    for cls in times["off"]:
        off, on = np.array(times["off"][cls]), np.array(times["on"][cls])

        def fig(a: np.ndarray) -> str:
            return (f"{np.percentile(a, 50):.1f} / {np.percentile(a, 95):.1f} / "
                    f"{a.mean():.2f}")

        print(f"| {cls} | {len(off)} | {fig(off)} | {fig(on)} | "
              f"{(on.mean() / off.mean() - 1) * 100:+.0f}% |")


if __name__ == "__main__":
    main()
