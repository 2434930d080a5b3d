"""Where the service's order loses nDCG@10 on the judged set, query by query.

For each query of the chosen splits: the service's nDCG@10, the best nDCG@10 an order
*within its groups* could reach (the contract's order kept: verbatim matches of more
groups first, then the rest of the all-words matches, then partial matches by the
number of words held; each group sorted by grade, over the service's first 100
results), and the best any order of the judged articles reaches.  The gap between the
first two is what a within-group scoring change can win; the listing shows, for every
relevant article below an irrelevant one of the same group, both articles' standing:
BM25F, centrality, the query's terms in the headline, in the lead, their count in the
body, and the body's length.

    python -m bench.relevance_losses [--splits tune] [--top N] [-v]

Only the tuning split is looked at while tuning (bench/relevance.py).
"""

from __future__ import annotations

import argparse
import sys

from bench import relevance as r
from search.retrieval.central import LEAD_CHARS, centrality
from search.retrieval.evaluate import EXPANSION_WEIGHT, VERBATIM_BONUS
from search.retrieval.relax import plan
from search.retrieval.request import SearchRequest
from search.text.normalize import squash
from search.understanding.intent import interpret

DEPTH = 100


def group_of(hit: dict) -> tuple[int, int]:
    """(verbatim tier, words held) of a hit: lower sorts later."""
    score = hit["score"] or 0.0
    if hit["partial"]:
        return (-1, len(hit["matched"]))
    return (int(score // VERBATIM_BONUS), 99)


def capped(hits: list[dict], judged: dict[str, int]) -> list[str]:
    """The service's first ``DEPTH`` results, each group sorted by grade (stable)."""
    order = sorted(range(len(hits)), key=lambda i: (
        tuple(-x for x in group_of(hits[i])), -judged.get(hits[i]["id"], 0), i))
    return [hits[i]["id"] for i in order]


def standing(art: dict, terms: list[tuple[str, tuple[str, ...]]]) -> str:
    head = squash("".join(art.get(k) or "" for k in ("kicker", "title", "subtitle")))
    body = squash(art["body"])
    lead = body[:LEAD_CHARS]
    cells = []
    for t, _alts in terms:
        cells.append(f"{t}:{'H' if t in head else '-'}{'L' if t in lead else '-'}"
                     f"{body.count(t)}")
    c = centrality(head, body, terms, EXPANSION_WEIGHT)
    return f"c={c:.2f} len={len(body)} " + " ".join(cells)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.relevance_losses")
    ap.add_argument("--splits", default="tune")
    ap.add_argument("--top", type=int, default=40, help="queries listed, largest gap first")
    ap.add_argument("-v", action="store_true", help="list the misordered pairs")
    args = ap.parse_args(argv)
    queries = [q for q in r.read_queries() if q["split"] in args.splits.split(",")]
    grades = r.read_judgments()
    engine = r.service_engine()
    by_id = {d["id"]: d for d in r.corpus()}
    rows = []
    for q in queries:
        judged = grades.get(q["id"], {})
        if not any(g >= 1 for g in judged.values()):
            continue
        res = engine.search(SearchRequest(q=q["query"], size=DEPTH))
        hits = (res["hits"] + res["partial_hits"])[:DEPTH]
        ids = [h["id"] for h in hits]
        actual = r.metrics(ids, judged)["ndcg"]
        cap = r.metrics(capped(hits, judged), judged)["ndcg"]
        best = 1.0
        rows.append((cap - actual, q, actual, cap, best, hits, judged))
    rows.sort(key=lambda x: -x[0])
    tot = {"actual": 0.0, "cap": 0.0}
    for _gap, _q, actual, cap, *_ in rows:
        tot["actual"] += actual
        tot["cap"] += cap
    n = len(rows)
    print(f"{n} queries: nDCG@10 {tot['actual'] / n:.3f}; best within the groups "
          f"{tot['cap'] / n:.3f} (gap {(tot['cap'] - tot['actual']) / n:.3f})")
    for gap, q, actual, cap, _best, hits, judged in rows[:args.top]:
        print(f"\n{q['id']} {q['type']} {q['query']}: {actual:.3f} (within-group best "
              f"{cap:.3f}, gap {gap:.3f}); total {len(hits)}")
        if not args.v or gap < 0.005:
            continue
        st = engine.state() if hasattr(engine, "state") else None
        terms = []
        if st is not None:
            p = plan(interpret(st, SearchRequest(q=q["query"]), engine.synonyms.current()))
            terms = p.central if p else []
        if not terms:
            terms = [(squash(w), ()) for w in q["query"].split()]
        for i, h in enumerate(hits[:20]):
            g = judged.get(h["id"], "?")
            base = (h["score"] or 0) % VERBATIM_BONUS
            print(f"  {i + 1:2d} g={g} grp={group_of(h)} s={base:7.2f} "
                  f"{standing(by_id[h['id']], terms)}  {h['title'][:28]}")
        missing = [d for d, g in judged.items() if g >= 2 and d not in
                   {h['id'] for h in hits[:10]}]
        for d in missing:
            pos = next((i + 1 for i, h in enumerate(hits) if h["id"] == d), None)
            print(f"  relevant not in top 10: {d} g={judged[d]} at {pos} "
                  f"{standing(by_id[d], terms)} {by_id[d]['title'][:28]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
