"""What one switch of the engine saves: the bench mix run in process with a module's
boolean setting on and off, query by query, on the same open index.

    python -m bench.toggle INDEX_DIR CORPUS.jsonl --switch search.retrieval.evaluate:RAREST_BIGRAM
        [--per-class N] [--repeat R] [--classes phrase,run] [--sort mix|newest|oldest]

Every query of the mix (:mod:`bench.queries`; ``--classes``: only those) runs in both
settings, alternating which goes first, without the engine's result cache
(:func:`search.results.run` called directly), ``--repeat`` times a setting, its least CPU
time (``time.thread_time``: the machine may be shared) kept.  ``--sort newest`` (or
``oldest``) runs every query sorted so; ``mix`` (the default) keeps each query's own.
The two settings' results are compared (page, scores, total, facets, every field) and
any difference counted.
Prints CPU p50 / p95 / mean per setting and class, in milliseconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import random
import time

import numpy as np

from bench.inprocess import request, warmed
from search import results
from search.engine import archive_dates


def measure(index_dir: str, corpus: str, switch: str, per_class: int, seed: int,
            repeat: int, classes: set[str] | None, sort: str = "mix"
            ) -> tuple[dict[str, dict[str, list[float]]], list[str]]:
    """({"off"/"on": {class: [CPU ms, ...]}}, the queries whose results differ)."""
    module_name, attr = switch.split(":")
    module = importlib.import_module(module_name)
    st, table, mix = warmed(index_dir, corpus, seed, per_class)
    rng = random.Random(seed)
    times: dict[str, dict[str, list[float]]] = {"off": {}, "on": {}}
    differ: list[str] = []
    saved = getattr(module, attr)
    try:
        for q in mix:
            if classes and q.cls not in classes:
                continue
            req = request(q).within(*archive_dates(st))
            if sort != "mix":
                req = dataclasses.replace(req, sort=sort)
            best: dict[str, float] = {}
            answers = {}
            for _ in range(repeat):
                modes = ["on", "off"]
                rng.shuffle(modes)
                for mode in modes:
                    setattr(module, attr, mode == "on")
                    c0 = time.thread_time()
                    res = dict(results.run(st, req, table))
                    cpu = (time.thread_time() - c0) * 1000
                    res.pop("took_ms", None)
                    answers[mode] = res
                    best[mode] = min(best.get(mode, float("inf")), cpu)
            if answers["on"] != answers["off"]:
                differ.append(q.q)
            for mode, cpu in best.items():
                times[mode].setdefault(q.cls, []).append(cpu)
    finally:
        setattr(module, attr, saved)
    return times, differ


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.toggle")
    ap.add_argument("index")
    ap.add_argument("corpus")
    ap.add_argument("--switch", required=True, help="module:ATTRIBUTE, a boolean")
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--classes", default="", help="comma-separated; empty: every class")
    ap.add_argument("--sort", choices=("mix", "newest", "oldest"), default="mix")
    args = ap.parse_args(argv)
    classes = {c for c in args.classes.split(",") if c} or None
    times, differ = measure(args.index, args.corpus, args.switch, args.per_class, args.seed,
                            args.repeat, classes, args.sort)
    print(f"{args.switch}; queries whose results differ: {len(differ)} {differ[:5]}")
    print("| class | n | off, CPU p50 / p95 / mean ms | on | mean change |")
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
