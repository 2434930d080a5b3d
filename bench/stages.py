"""Where each query class's CPU goes: one search's stages, class by class.

    python -m bench.stages INDEX_DIR CORPUS.jsonl [--per-class N] [--seed S] [--early on|off]

The bench mix (:mod:`bench.queries`) is run in process (:func:`search.results.run`, no
result cache, no HTTP) twice: first plainly, its thread CPU time per query kept (the
figure to quote), then under cProfile with the thread's CPU clock, whose cumulative
times per function are summed per class into the stages of a search:

* ``interpret``: the query analysed (synonyms, pinyin, did-you-mean's tables);
* ``evaluate``: documents and scores (``Evaluator.evaluate``), of which ``decode`` (the C
  decoders ``postings`` and ``postings_in``), ``score`` (C ``bm25f``, the scoring of a
  run's words among candidates, score merges) and ``phrase`` (C ``phrase``);
* ``top k`` (``results.ranked``), ``rerank`` (centrality of the first results, with its
  stored reads), ``hits`` (the page's stored articles read, marked, snippets),
  ``stored`` (every stored read, within ``rerank`` and ``hits``), ``facets``,
  ``partial`` (partial matches), ``suggest`` (did-you-mean).

cProfile adds its own cost to every Python call, so the stages' sum is larger than
the plain CPU time; read the stages as shares.  Prints a table per class, in ms per
query (mean).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

from bench import queries as bq
from bench.ranking_latency import request
from search import results
from search.engine import Engine, archive_dates

# stage → (file suffix, function name) keys of cProfile, summed (cumulative times).
STAGES = {
    "interpret": [("understanding/intent.py", "interpret")],
    "evaluate": [("retrieval/evaluate.py", "evaluate"), ("knownitem.py", "loose_match")],
    "decode": [("~", "<built-in method search._native.postings>"),
               ("~", "<built-in method search._native.postings_in>")],
    "score": [("~", "<built-in method search._native.bm25f>"),
              ("retrieval/evaluate.py", "term_among"),
              ("~", "<built-in method search._native.merge_add>")],
    "phrase": [("~", "<built-in method search._native.phrase>")],
    "top k": [("search/results.py", "ranked")],
    "rerank": [("retrieval/central.py", "rerank")],
    "hits": [("search/results.py", "_hits")],
    "stored": [("search/results.py", "article")],
    "facets": [("search/results.py", "facets")],
    "partial": [("retrieval/relax.py", "partial")],
    "suggest": [("understanding/intent.py", "suggestion")],
}


def _stage_times(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative ms of each stage's functions in ``stats``."""
    out = dict.fromkeys(STAGES, 0.0)
    for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        for stage, keys in STAGES.items():
            if any(file.endswith(suffix) and name == fn for suffix, fn in keys):
                out[stage] += ct * 1000
    return out


def measure(index_dir: str, corpus: str, per_class: int, seed: int
            ) -> tuple[dict[str, list[float]], dict[str, dict[str, float]]]:
    """({class: [CPU ms per query]}, {class: {stage: total profiled ms}})."""
    engine = Engine(index_dir, synonyms_file="")
    st = engine.state()
    table = engine.synonyms.current()
    mix, warm = bq.build(corpus, seed, per_class, warm_per_class=2)
    for q in warm:
        results.run(st, request(q).within(*archive_dates(st)), table)
    cpu: dict[str, list[float]] = {}
    for q in mix:
        req = request(q).within(*archive_dates(st))
        c0 = time.thread_time()
        results.run(st, req, table)
        cpu.setdefault(q.cls, []).append((time.thread_time() - c0) * 1000)
    stages: dict[str, dict[str, float]] = {}
    for cls in bq.CLASSES:
        prof = cProfile.Profile(time.thread_time)
        for q in mix:
            if q.cls == cls:
                req = request(q).within(*archive_dates(st))
                prof.enable()
                results.run(st, req, table)
                prof.disable()
        stats = pstats.Stats(prof)
        stages[cls] = _stage_times(stats)
        stages[cls]["profiled"] = sum(tt for _cc, _nc, tt, _ct, _c in stats.stats.values()) * 1000
    return cpu, stages


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.stages")
    ap.add_argument("index")
    ap.add_argument("corpus")
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--early", choices=("on", "off"), default="on",
                    help="results.EARLY_TOP_K: date-sorted pages score only their candidates")
    args = ap.parse_args(argv)
    results.EARLY_TOP_K = args.early == "on"
    cpu, stages = measure(args.index, args.corpus, args.per_class, args.seed)
    cols = ["profiled", *STAGES]
    print("| class | n | CPU mean ms (plain) | " + " | ".join(cols) + " |")
    print("|---|---:|---:|" + "---:|" * len(cols))
    for cls, times in cpu.items():
        n = len(times)
        row = [f"{stages[cls][c] / n:.2f}" for c in cols]
        print(f"| {cls} | {n} | {sum(times) / n:.2f} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
