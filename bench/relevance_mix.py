"""An experiment on the judged set, not the service's order: for a run typed alone
(企业兼并破产), the articles holding its words apart and its partial matches ranked
together after the verbatim ones.

The service lists every all-words match before any partial match.  Here a partial
match's BM25F (its words' scores summed, :mod:`search.retrieval.relax`) is multiplied by
(words held ÷ words) ** p and the two kinds are sorted together; the first page is
then re-ranked by centrality as the service does.  Queries of other shapes keep the
service's order.  Prints nDCG@10 per split and type against the service's saved run.
With ``--synonyms-first`` the articles holding one of the run's synonyms whole (a
phrase the query was widened by: 农民工 for 外来务工人员) rank after the verbatim ones and
before the mix: like a verbatim match they hold the term, said otherwise, where the
mix holds its words scattered.

    python -m bench.relevance_mix [--power P] [--label L] [--synonyms-first] [-v]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from bench import relevance as r
from search import results
from search.engine import archive_dates
from search.retrieval import relax
from search.retrieval.central import rerank
from search.retrieval.evaluate import VERBATIM_BONUS
from search.retrieval.query import parse
from search.retrieval.request import SearchRequest


def mixed(engine, q: str, power: float,  # noqa: ANN001 - Engine
          synonyms_first: bool = False) -> list[str] | None:
    """The top 10 ids of ``q`` in the mixed order, or None when ``q`` is not one run."""
    st = engine.state()
    req = SearchRequest(q=q, size=r.K).within(*archive_dates(st))
    m = results.matched(st, req, engine.synonyms.current())
    p = relax.plan(m.plan)
    if p is None or len(parse(q).groups) != 1 or len(p.units) < 2 or p.required:
        return None
    docs, scores = m.match.docs, m.match.scores
    verbatim = scores >= VERBATIM_BONUS
    if synonyms_first:  # a synonym held whole: one tier below verbatim, above the mix
        whole = np.zeros(len(docs), dtype=bool)
        for c in (c for group in m.parsed.groups for c in group if c.added):
            whole |= np.isin(docs, m.evaluator.clause(c).docs)
        # Tiers by bonuses: verbatim 2, a synonym whole 1 (CONTRACT: verbatim first).
        scores = scores + VERBATIM_BONUS * (verbatim | whole)
        verbatim = scores >= VERBATIM_BONUS
    saved, relax.RELAX_BELOW = relax.RELAX_BELOW, 0  # more than half the words, always
    try:
        part = relax.partial(m.evaluator, p, m.match, st.arrays.days)
    finally:
        relax.RELAX_BELOW = saved
    coord = part.held.sum(axis=1) / len(p.units) if len(part.docs) else np.zeros(0)
    alld = np.concatenate([docs[verbatim], docs[~verbatim], part.docs])
    # power < 0: no mix, the partial matches in a tier of their own after every all-words
    # match (as shipped, but listed whether or not the all-words matches are few).
    mix = part.scores * coord ** power if power >= 0 else part.scores - 4 * VERBATIM_BONUS
    alls = np.concatenate([scores[verbatim], scores[~verbatim], mix])
    order = np.lexsort((-st.arrays.days[alld], -alls))
    page, _ = rerank(order, alld, alls, VERBATIM_BONUS, p.central, results._Stored(st).text)
    return [st.searcher.stored_fields(int(alld[i]))["id"] for i in page[:r.K]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.relevance_mix")
    ap.add_argument("--power", type=float, default=2.0,
                    help="a partial match's score × (words held ÷ words) ** P; below 0: no mix")
    ap.add_argument("--label", default="service", help="the service's saved run to compare")
    ap.add_argument("--synonyms-first", action="store_true",
                    help="articles holding a synonym of the run whole before the mix")
    ap.add_argument("-v", action="store_true", help="list the queries that moved")
    args = ap.parse_args(argv)
    queries, grades = r.read_queries(), r.read_judgments()
    engine, shipped = r.service_engine(), r.load_run(args.label)
    for split in ("tune", "holdout"):
        for qtype in ("topic", "abbrev", "entity", "all"):
            before, after, changed = [], [], 0
            for q in queries:
                if q["split"] != split or q["type"] == "multi" or qtype not in ("all", q["type"]):
                    continue
                mb = r.metrics(shipped[q["id"]], grades[q["id"]])
                if mb["ndcg"] is None:
                    continue
                ids = mixed(engine, q["query"], args.power, args.synonyms_first)
                changed += ids is not None
                ma = r.metrics(ids if ids is not None else shipped[q["id"]], grades[q["id"]])
                before.append(mb["ndcg"])
                after.append(ma["ndcg"])
                if args.v and qtype == "all" and abs(ma["ndcg"] - mb["ndcg"]) > 0.005:
                    print(f"  {q['id']} {q['query']} {mb['ndcg']:.3f} -> {ma['ndcg']:.3f}"
                          f" (unjudged {ma['unjudged']})")
            print(f"{split} {qtype}: shipped {sum(before) / len(before):.3f}, mixed "
                  f"{sum(after) / len(after):.3f} ({changed} of {len(after)} queries one run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
