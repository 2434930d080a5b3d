"""What reading phrases through the skip tables saves: the bench query mix run in process
with skipping on and off, query by query, on the same open index.

Every query of the mix (:mod:`bench.queries`, the classes of ``python -m bench.run``)
runs in both settings (``search.retrieval.evaluate.SKIPPING``), alternating which goes first,
without the engine's result cache (:func:`search.results.run` called directly); each
query runs ``--repeat`` times a setting and its fastest time counts (a shared machine's
load is noise on top).  Both the wall time and the thread's CPU time are kept: on a
loaded machine CPU time is the steadier of the two.  The two settings' results are
compared (page, scores, total, facets) and any difference is reported.

    python -m bench.skipping INDEX_DIR CORPUS.jsonl [--per-class N] [--seed S] [--repeat R]

Prints p50 / p95 per setting and class, in milliseconds (wall, then CPU); then the part
that changed alone: the body bigram phrase check (``Evaluator.substring_in``) of every
phrase and run text of 3 or more characters in the mix, CPU time, best of 5 each way;
and each query's evaluation alone (``Evaluator.evaluate``: documents and scores, no
ranking, facets, stored articles or highlighting), CPU time, best of 2 each way; and
the same for each rare word of the mix AND a broad word (sides far apart).
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import numpy as np

from bench import queries as bq
from bench.inprocess import request, warmed
from search import results
from search.engine import Engine, archive_dates
from search.retrieval import evaluate


def _run(st, req, table) -> tuple[dict, float, float]:
    w0, c0 = time.perf_counter(), time.thread_time()
    res = dict(results.run(st, req, table))
    cpu, wall = (time.thread_time() - c0) * 1000, (time.perf_counter() - w0) * 1000
    res.pop("took_ms", None)
    return res, wall, cpu


def measure(index_dir: str, corpus: str, per_class: int, seed: int, repeat: int
            ) -> tuple[dict, int]:
    """({(setting, clock): {class: [ms, ...]}}, number of queries whose results differ)."""
    st, table, mix = warmed(index_dir, corpus, seed, per_class)
    rng = random.Random(seed)
    times: dict[tuple[str, str], dict[str, list[float]]] = {}
    differ = 0
    saved = evaluate.SKIPPING
    try:
        for q in mix:
            req = request(q).within(*archive_dates(st))
            best = {}
            answers = {}
            for _ in range(repeat):
                modes = ["skip", "whole"]
                rng.shuffle(modes)
                for mode in modes:
                    evaluate.SKIPPING = mode == "skip"
                    answers[mode], wall, cpu = _run(st, req, table)
                    w, c = best.get(mode, (float("inf"), float("inf")))
                    best[mode] = (min(w, wall), min(c, cpu))
            differ += answers["skip"] != answers["whole"]
            for mode, (wall, cpu) in best.items():
                times.setdefault((mode, "wall"), {}).setdefault(q.cls, []).append(wall)
                times.setdefault((mode, "cpu"), {}).setdefault(q.cls, []).append(cpu)
    finally:
        evaluate.SKIPPING = saved
    return times, differ


def phrases_alone(index_dir: str, corpus: str, per_class: int, seed: int
                  ) -> dict[str, list[float]]:
    """{setting: [CPU ms of each phrase's body bigram check]}."""
    from search import schema
    from search.results import _QueryView
    from search.retrieval.plan import Analysis

    engine = Engine(index_dir, synonyms_file="")
    st = engine.state()
    mix, _ = bq.build(corpus, seed, per_class)
    analysis = Analysis()
    texts = [analysis.squash(q.q.strip('"')) for q in mix if q.cls in ("phrase", "run")]
    out: dict[str, list[float]] = {"whole": [], "skip": []}
    for s in (t for t in texts if len(t) >= 3):
        for mode in out:
            best = float("inf")
            for _ in range(5):
                ev = evaluate.Evaluator(_QueryView(st.view), st.arrays,
                                        skipping=mode == "skip")
                c0 = time.thread_time()
                ev.substring_in(schema.TEXT_G, s)
                best = min(best, (time.thread_time() - c0) * 1000)
            out[mode].append(best)
    return out


def evaluation_alone(index_dir: str, corpus: str, per_class: int, seed: int
                     ) -> dict[tuple[str, str], list[float]]:
    """{(class, setting): [CPU ms of each query's evaluation]}: the query analysed and
    its filters' mask made outside the clock, then ``Evaluator.evaluate`` alone (the
    documents and scores; no ranking, facets, stored articles or highlighting), best
    of 2 each way."""
    from search.results import _QueryView, filter_mask, with_names
    from search.understanding.intent import interpret

    engine = Engine(index_dir, synonyms_file="")
    st = engine.state()
    table = engine.synonyms.current()
    mix, _ = bq.build(corpus, seed, per_class)
    out: dict[tuple[str, str], list[float]] = {}
    for q in mix:
        req = request(q).within(*archive_dates(st))
        query = interpret(st, req, table)
        if query.parsed.is_empty:
            continue
        allowed = filter_mask(st.arrays, with_names(st, req))
        for mode in ("whole", "skip"):
            best = float("inf")
            for _ in range(2):
                ev = evaluate.Evaluator(_QueryView(st.view), st.arrays, True, allowed,
                                        query.text, skipping=mode == "skip")
                c0 = time.thread_time()
                ev.evaluate(query.parsed)
                best = min(best, (time.thread_time() - c0) * 1000)
            out.setdefault((q.cls, mode), []).append(best)
    return out


def rare_with_broad(index_dir: str, corpus: str, per_class: int, seed: int
                    ) -> dict[str, list[float]]:
    """{setting: [CPU ms]}: the evaluation alone of conjunctions whose sides differ by far
    more than a block (each ``rare`` word of the mix AND one of the ``facets`` class's
    broad words, drawn with a fixed seed), best of 2 each way: where skipping can leave
    most blocks of the longer lists unread."""
    from search.results import _QueryView
    from search.retrieval.plan import Analysis
    from search.retrieval.query import parse

    engine = Engine(index_dir, synonyms_file="")
    st = engine.state()
    mix, _ = bq.build(corpus, seed, per_class)
    broad = [q.q for q in mix if q.cls == "facets"]
    rng = random.Random(7)
    out: dict[str, list[float]] = {"whole": [], "skip": []}
    for q in (q for q in mix if q.cls == "rare"):
        parsed = parse(f"{q.q} {rng.choice(broad)}")
        for mode in out:
            best = float("inf")
            for _ in range(2):
                ev = evaluate.Evaluator(_QueryView(st.view), st.arrays, True, None,
                                        Analysis(), skipping=mode == "skip")
                c0 = time.thread_time()
                ev.evaluate(parsed)
                best = min(best, (time.thread_time() - c0) * 1000)
            out[mode].append(best)
    return out


def _pp(ms: list[float]) -> str:
    a = np.array(ms)
    return f"{np.percentile(a, 50):.1f} / {np.percentile(a, 95):.1f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.skipping")
    ap.add_argument("index_dir")
    ap.add_argument("corpus")
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    times, differ = measure(args.index_dir, args.corpus, args.per_class, args.seed,
                            args.repeat)
    print("| class | n | whole lists, wall p50 / p95 ms | skipping, wall | "
          "whole lists, CPU p50 / p95 ms | skipping, CPU |")
    print("|---|---:|---:|---:|---:|---:|")
    for cls in [*bq.CLASSES, "all"]:
        cols = []
        for key in (("whole", "wall"), ("skip", "wall"), ("whole", "cpu"), ("skip", "cpu")):
            by = times.get(key, {})
            cols.append(sum(by.values(), []) if cls == "all" else by.get(cls, []))
        if cols[0]:
            print(f"| {cls} | {len(cols[0])} | " + " | ".join(_pp(c) for c in cols) + " |")
    print(f"\nqueries whose results differ between the two: {differ}\n")
    alone = phrases_alone(args.index_dir, args.corpus, args.per_class, args.seed)
    print("| body phrase check alone | n | p50 / p95 ms CPU | mean |")
    print("|---|---:|---:|---:|")
    for mode, label in (("whole", "whole lists"), ("skip", "skipping")):
        print(f"| {label} | {len(alone[mode])} | {_pp(alone[mode])} | "
              f"{np.mean(alone[mode]):.2f} |")
    alone_ev = evaluation_alone(args.index_dir, args.corpus, args.per_class, args.seed)
    print("\n| evaluation alone, CPU | n | whole lists p50 / p95 ms | skipping | "
          "mean whole | mean skipping |")
    print("|---|---:|---:|---:|---:|---:|")
    for cls in bq.CLASSES:
        a, b = alone_ev.get((cls, "whole"), []), alone_ev.get((cls, "skip"), [])
        if a:
            print(f"| {cls} | {len(a)} | {_pp(a)} | {_pp(b)} | {np.mean(a):.2f} | "
                  f"{np.mean(b):.2f} |")
    pairs = rare_with_broad(args.index_dir, args.corpus, args.per_class, args.seed)
    print("\n| rare word AND broad word, evaluation CPU | n | p50 / p95 ms | mean |")
    print("|---|---:|---:|---:|")
    for mode, label in (("whole", "whole lists"), ("skip", "skipping")):
        print(f"| {label} | {len(pairs[mode])} | {_pp(pairs[mode])} | "
              f"{np.mean(pairs[mode]):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
