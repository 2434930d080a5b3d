"""When to show partial matches on page 1 although all the words together match 10
articles or more: a sweep over the judged set.

Today partial matches are computed only below ``RELAX_BELOW`` all-words matches, so a
query whose all-words matches fill page 1 with weak results (words far apart, a
mention in passing) never shows the articles that hold the rarer words in their
headline.  Here page 1 is rebuilt from the service's own lists: the all-words matches
in the service's order, then ``slots`` partial matches (computed as the service
computes them, holding :func:`~search.retrieval.relax.needed` units), when

* the all-words matches are few: fewer than ``few``; or
* they are weak: the all-words matches the slots would push off page 1 score (BM25F,
  their verbatim tiers taken off) below ``gap`` × the partial matches taking their place.

    python -m bench.relevance_gate [--splits tune] [--few 10,15,20] [--gap 0,0.5,1]
                                   [--slots 2,3,5] [--pool FEW,GAP,SLOTS]

``--pool`` prints the unjudged articles one setting brings into top 10s, by query and
article id only (for blind grading).
"""

from __future__ import annotations

import argparse
import itertools
import sys

import numpy as np

from bench import relevance as r
from search.results import matched
from search.retrieval.evaluate import VERBATIM_BONUS
from search.retrieval.relax import partial, plan
from search.retrieval.request import SearchRequest

K = r.K
ALWAYS_SLOTS = False  # the slots on page 1 under K all-words matches too


def lists(engine, ids: dict[int, str], query: str) -> tuple[list[str], list[float],
                                                             list[str], list[float]]:
    """(all-words ids, their BM25F without the verbatim tiers, partial ids, their scores),
    each as the service ranks them (the all-words list as its pages show it)."""
    res = engine.search(SearchRequest(q=query, size=100))
    a_ids = [h["id"] for h in res["hits"]]
    a_sc = [float(h["score"] or 0.0) % VERBATIM_BONUS for h in res["hits"]]
    if res["partial_hits"] or res["total"] < 100:
        p_ids = [h["id"] for h in res["partial_hits"]]
        p_sc = [float(h["score"] or 0.0) for h in res["partial_hits"]]
        if res["total"] >= 10 or not p_ids:
            st = engine.state()
            m = matched(st, SearchRequest(q=query), engine.synonyms.current())
            p = plan(m.plan)
            if p is not None and p.relaxable:
                part = partial(m.evaluator, p, m.match, st.arrays.days)
                p_ids = [ids[int(d)] for d in part.docs]
                p_sc = [float(s) for s in part.scores]
    else:
        p_ids, p_sc = [], []
    return a_ids, a_sc, p_ids, p_sc


def page(a_ids, a_sc, p_ids, p_sc, few: int, gap: float, slots: int) -> list[str]:
    n = len(a_ids)
    if n < K and not (ALWAYS_SLOTS and slots):  # as the service: partial matches fill the page
        return (a_ids + p_ids)[:K]
    take = min(slots, len(p_ids))
    # Weak: the all-words matches the slots would push off page 1 score below ``gap`` ×
    # the partial matches that would take their place.
    weak = gap > 0 and take > 0 and max(a_sc[K - take:K], default=0.0) < gap * p_sc[take - 1]
    if take and (n < few or weak or n < K):
        return (a_ids[:K - take] + p_ids[:take] + a_ids[K - take:] + p_ids[take:])[:K]
    return a_ids[:K]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.relevance_gate")
    ap.add_argument("--splits", default="tune")
    ap.add_argument("--few", default="10,12,15,20,30,50")
    ap.add_argument("--gap", default="0,0.3,0.5,0.7,1.0")
    ap.add_argument("--slots", default="1,2,3,5")
    ap.add_argument("--pool", default="", help="FEW,GAP,SLOTS: list its unjudged articles")
    ap.add_argument("-v", action="store_true", help="per query, for --pool's setting")
    ap.add_argument("--always", action="store_true",
                    help="the slots also when fewer than 10 all-words matches leave less room")
    args = ap.parse_args(argv)
    global ALWAYS_SLOTS
    ALWAYS_SLOTS = args.always
    queries = [q for q in r.read_queries() if q["split"] in args.splits.split(",")]
    grades = r.read_judgments()
    engine = r.service_engine()
    st = engine.state()
    ids = r.article_ids(st)
    data = {q["id"]: lists(engine, ids, q["query"]) for q in queries}
    judged = [q for q in queries if any(g >= 1 for g in grades.get(q["id"], {}).values())]

    def score(few, gap, slots, qtype="all"):
        vals, unj = [], 0
        for q in judged:
            if qtype != "all" and q["type"] != qtype:
                continue
            ids_ = page(*data[q["id"]], few, gap, slots)
            m = r.metrics(ids_, grades.get(q["id"], {}))
            vals.append(m["ndcg"] or 0.0)
            unj += m["unjudged"]
        return float(np.mean(vals)), unj

    if args.pool:
        few, gap, slots = args.pool.split(",")
        for q in queries:
            ids_ = page(*data[q["id"]], int(few), float(gap), int(slots))
            base = page(*data[q["id"]], 0, 0.0, 0)
            if args.v and ids_ != base:
                g = grades.get(q["id"], {})
                print(q["id"], q["query"], f"{r.metrics(base, g)['ndcg'] or 0:.3f} → "
                      f"{r.metrics(ids_, g)['ndcg'] or 0:.3f}",
                      f"all-words {len(data[q['id']][0])}")
            for d in sorted(ids_):
                if d not in grades.get(q["id"], {}) and not args.v:
                    print(f"{q['id']}\t{d}")
        return 0
    base, _ = score(0, 0.0, 0)
    print(f"{len(judged)} judged queries ({args.splits}); the service's page: nDCG@10 {base:.3f}")
    print("| few | gap | slots | nDCG@10 | multi | topic | unjudged |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for few, gap, slots in itertools.product(
            [int(x) for x in args.few.split(",")], [float(x) for x in args.gap.split(",")],
            [int(x) for x in args.slots.split(",")]):
        nd, unj = score(few, gap, slots)
        print(f"| {few} | {gap} | {slots} | {nd:.3f} | {score(few, gap, slots, 'multi')[0]:.3f} "
              f"| {score(few, gap, slots, 'topic')[0]:.3f} | {unj} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
