"""Centrality within the verbatim group, measured leave one query out on the judged set.

A passing mention (a diplomatic report naming 亚洲金融危机 once) can rank above an
article about the topic within the verbatim group.  This re-sorts the head
(``--depth``) of each verbatim tier of the service's results by
``score × (1 + w · feature)`` and rebuilds page 1 as the service does (its all-words
matches, then the partial matches it shows), for these features of an article (the
query's terms squashed, each with its synonyms):

* ``density``: the terms' occurrences per 1,000 characters of the body (capped at 10,
  scaled to 0–1);
* ``title``: the share of the terms the headline (kicker, title, subtitle) holds;
* ``lead``: the share of the terms the first paragraph holds;
* ``spread``: the share of the body's paragraphs naming a term.

Each feature's weight is chosen leave one query out: for each query, the ``w`` of
``--weights`` (0 = the service's order) best on the other queries is applied to it;
``joint`` chooses the (feature, w) pair the same way.

    python -m bench.relevance_central [--splits tune] [--depth 15] [--weights 0,0.25,...]
    python -m bench.relevance_central --splits holdout,new,new2 --apply FEATURE=W  # once

Only the tuning split is looked at while tuning (bench/relevance.py).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from bench import relevance as r
from bench.relevance_features import Query, holds
from bench.relevance_features import load as features_load
from search.retrieval.request import SearchRequest

FEATURES = ("density", "title", "lead", "spread")
DEPTH = 100


def feature(q: Query, name: str, doc: str) -> float:
    head, body, paras = q.corpus.text[doc]
    ks = q.terms
    if not ks:
        return 0.0
    if name == "density":
        n = sum(body.count(t) + sum(body.count(a) for a in alts) for t, alts in ks)
        return min(n * 1000 / max(len(body), 200), 10.0) / 10
    if name == "title":
        return sum(holds(head, t, a) for t, a in ks) / len(ks)
    if name == "lead":
        first = paras[0] if paras else ""
        return sum(holds(first, t, a) for t, a in ks) / len(ks)
    if name == "spread":
        return sum(any(holds(p, t, a) for t, a in ks) for p in paras) / len(paras) if paras \
            else 0.0
    raise ValueError(name)


class Item:
    """One query: its service results (size 100), the all-words count page 1 shows."""

    def __init__(self, q: Query, shown_all: int) -> None:
        self.q, self.shown_all = q, shown_all
        self.partial = [d for d, g in zip(q.ids, q.groups, strict=True) if g[0] == -1]
        self.full = [k for k, g in enumerate(q.groups) if g[0] >= 0]

    def page(self, name: str, w: float, depth: int) -> list[str]:
        q = self.q
        order = list(self.full)
        if w:
            i = 0
            while i < len(order):
                j = i
                while j < len(order) and q.groups[order[j]] == q.groups[order[i]]:
                    j += 1
                if q.groups[order[i]][0] >= 1:  # a verbatim tier
                    head = order[i:min(j, i + depth)]
                    key = {k: q.base[k] * (1 + w * feature(q, name, q.ids[k])) for k in head}
                    order[i:i + len(head)] = sorted(head, key=lambda k: (-key[k], k))
                i = j
        ids = [q.ids[k] for k in order]
        return (ids[:self.shown_all] + self.partial)[:r.K]


def load(splits: list[str]) -> list[Item]:
    """The judged queries of ``splits`` as :func:`bench.relevance_features.load` reads
    them, each with how many all-words matches page 1 shows."""
    engine = r.service_engine()
    return [Item(q, len(engine.search(SearchRequest(q=q.q["query"], size=r.K))["hits"]))
            for q in features_load(splits)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.relevance_central")
    ap.add_argument("--splits", default="tune")
    ap.add_argument("--depth", type=int, default=15)
    ap.add_argument("--weights", default="0,0.25,0.5,1,2,4")
    ap.add_argument("--apply", default="", help="FEATURE=W: that setting, once (held out)")
    args = ap.parse_args(argv)
    items = load(args.splits.split(","))
    grades = r.read_judgments()
    items = [it for it in items if any(g >= 1 for g in grades.get(it.q.q["id"], {}).values())]

    def nd(it: Item, name: str, w: float) -> float:
        return r.metrics(it.page(name, w, args.depth), grades[it.q.q["id"]])["ndcg"] or 0.0

    def by_type(vals: dict[str, float]) -> str:
        out = []
        for t in ("topic", "multi", "entity", "abbrev"):
            v = [x for it in items if it.q.q["type"] == t for x in [vals[it.q.q["id"]]]]
            out.append(f"{t} {np.mean(v):.3f}" if v else f"{t} –")
        return ", ".join(out)

    base = {it.q.q["id"]: nd(it, "density", 0.0) for it in items}
    print(f"{len(items)} queries ({args.splits}), the service's page 1: "
          f"{np.mean(list(base.values())):.3f} ({by_type(base)})")
    if args.apply:
        name, w = args.apply.split("=")
        got = {it.q.q["id"]: nd(it, name, float(w)) for it in items}
        unj = sum(r.metrics(it.page(name, float(w), args.depth), grades[it.q.q["id"]])
                  ["unjudged"] for it in items)
        print(f"{name} w {w}: {np.mean(list(got.values())):.3f} ({by_type(got)}), "
              f"{unj} unjudged in top 10s")
        return 0
    weights = [float(x) for x in args.weights.split(",")]
    table = {(f, w): {it.q.q["id"]: nd(it, f, w) for it in items}
             for f in FEATURES for w in weights}
    ids = [it.q.q["id"] for it in items]
    print("| feature | " + " | ".join(f"w {w}" for w in weights) + " | leave one query out |")
    print("|---" * (len(weights) + 2) + "|")
    for f in FEATURES + ("joint",):
        cands = [(f, w) for w in weights] if f != "joint" else list(table)
        loqo = {}
        for qid in ids:
            best = max(cands, key=lambda c, qid=qid: (
                sum(table[c][x] for x in ids if x != qid), -c[1]))
            loqo[qid] = table[best][qid]
        cells = " | ".join(f"{np.mean(list(table[(f, w)].values())):.3f}" for w in weights) \
            if f != "joint" else " | ".join("" for _ in weights)
        print(f"| {f} | {cells} | {np.mean(list(loqo.values())):.3f} ({by_type(loqo)}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
