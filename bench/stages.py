"""Where each query class's CPU goes: one search's stages, class by class.

    python -m bench.stages INDEX_DIR CORPUS.jsonl [--per-class N] [--seed S] [--early on|off]

The bench mix (:mod:`bench.queries`) is run in process (:func:`search.results.run`, no
result cache, no HTTP) with the stages of a search wrapped in timers of the thread's CPU
clock (``time.thread_time``: the machine may be shared), summed per class:

* ``interpret``: the query analysed (synonyms, pinyin, did-you-mean's tables);
* ``evaluate``: documents and scores (``Evaluator.evaluate``, its C calls included), and
  within it the C calls alone: ``decode`` (``postings``, ``postings_in``, ``union_df``),
  ``score`` (``bm25f``, ``merge_add``), ``phrase`` (positions compared);
* ``top k`` (``results.ranked``), ``rerank`` (centrality of the first results, its
  stored reads included), ``hits`` (the page's articles read, marked, cut into
  snippets), ``stored`` (every stored article read, inside ``rerank`` and ``hits``),
  ``facets``, ``partial`` (partial matches), ``suggest`` (did-you-mean);
* ``other``: the rest of the search (filters, restrictions, the result's assembly).

A timer costs about a microsecond a call, so the figures are a little above a plain
run's.  Prints one row per class, in ms per query (mean).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bench.inprocess import request, warmed
from search import results
from search.engine import archive_dates
from search.native import lib
from search.retrieval import evaluate

OUTER = ["interpret", "evaluate", "top k", "rerank", "hits", "facets", "partial", "suggest"]
INNER = ["decode", "score", "phrase", "stored"]


class Timers:
    """CPU seconds per stage; a stage entered again inside itself is counted once."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self._depth: dict[str, int] = {}

    def wrap(self, stage: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            depth = self._depth.get(stage, 0)
            self._depth[stage] = depth + 1
            t0 = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self._depth[stage] = depth
                if depth == 0:
                    self.spent[stage] = self.spent.get(stage, 0.0) + time.thread_time() - t0
        return timed


def instrument(timers: Timers) -> None:
    """Wraps the stages where :func:`search.results.run` and the evaluator call them."""
    for stage, name in (("interpret", "interpret"), ("top k", "ranked"), ("rerank", "rerank"),
                        ("hits", "_hits"), ("facets", "facets"), ("partial", "partial"),
                        ("suggest", "suggestion")):
        setattr(results, name, timers.wrap(stage, getattr(results, name)))
    evaluate.Evaluator.evaluate = timers.wrap("evaluate", evaluate.Evaluator.evaluate)
    results._Stored.article = timers.wrap("stored", results._Stored.article)
    for stage, names in (("decode", ("postings", "postings_in", "union_df")),
                         ("score", ("bm25f", "merge_add")), ("phrase", ("phrase",))):
        for name in names:
            setattr(lib, name, timers.wrap(stage, getattr(lib, name)))


def measure(index_dir: str, corpus: str, per_class: int, seed: int
            ) -> dict[str, tuple[int, float, dict[str, float]]]:
    """{class: (queries, CPU ms in all, {stage: CPU ms in all})}."""
    st, table, mix = warmed(index_dir, corpus, seed, per_class)
    timers = Timers()
    instrument(timers)
    out: dict[str, tuple[int, float, dict[str, float]]] = {}
    for q in mix:
        req = request(q).within(*archive_dates(st))
        timers.spent = {}
        c0 = time.thread_time()
        results.run(st, req, table)
        total = (time.thread_time() - c0) * 1000
        n, cpu, stages = out.get(q.cls, (0, 0.0, {}))
        for k, v in timers.spent.items():
            stages[k] = stages.get(k, 0.0) + v * 1000
        out[q.cls] = (n + 1, cpu + total, stages)
    return out


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
    out = measure(args.index, args.corpus, args.per_class, args.seed)
    cols = [*OUTER, "other", *INNER]
    print("| class | n | CPU mean ms | " + " | ".join(cols) + " |")
    print("|---|---:|---:|" + "---:|" * len(cols))
    for cls, (n, cpu, stages) in out.items():
        stages["other"] = cpu - sum(stages.get(k, 0.0) for k in OUTER)
        row = [f"{stages.get(c, 0.0) / n:.2f}" for c in cols]
        print(f"| {cls} | {n} | {cpu / n:.2f} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
