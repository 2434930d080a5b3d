"""Sweeps of the within-group order on the judged set, in process and without the service's
code changing: the service's matches and partial matches are taken as they are (groups,
BM25F), and the first results of each page re-ranked by a centrality given as
parameters, so that a setting can be measured on the tuning queries in a second.

The re-ranking reproduces :func:`search.retrieval.central.rerank` and the partial matches in
page 1's last places (:func:`search.retrieval.relax.page_slots`; the default parameters give the
service's order, ``check`` says whether they do), and adds what the service does not
have, to be measured before any of it is written into ``search/``:

* ``alts_cover`` 0: a run's synonym (农民工 for 外来务工人员) counting for the run alone, not
  for each of its words as the service counts it;
* ``first``: where the term first stands in the body (the lead paragraph over the tail),
  a share of the centrality decaying with the offset of its first occurrence;
* ``passing``: what a mention in passing loses (the service's 0.4 by default);
* ``prox``: the closeness of the typed groups (the smallest window holding them);
* ``partial_depth``: partial matches re-ranked by centrality too, within as many words held;
* ``idf_share``, ``idf_mult``, ``idf_first``, ``order_decay``: partial matches ordered by
  the held units' IDF, or the units typed first weighing more.

    python -m bench.relevance_tune check [NAME=V …] [--label L]  # a setting vs a saved run
    python -m bench.relevance_tune sweep NAME=V1,V2 [NAME=…] [--splits tune]
    python -m bench.relevance_tune loqo NAME=V1,V2 [NAME=…]   # each tune query left out
    python -m bench.relevance_tune pool NAME=V1,V2 [NAME=…]   # unjudged articles they bring
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from dataclasses import dataclass, field, replace

import numpy as np

from bench import relevance as r
from search import results
from search.engine import archive_dates
from search.retrieval import central, relax
from search.retrieval.evaluate import EXPANSION_WEIGHT, VERBATIM_BONUS
from search.retrieval.request import SearchRequest
from search.text.normalize import squash


@dataclass(frozen=True)
class Params:
    depth: int = central.RERANK_DEPTH
    weight: float = central.CENTRAL_WEIGHT
    head: float = central.HEAD
    lead: float = central.LEAD
    body: float = central.BODY
    repeats: int = central.REPEATS
    lead_chars: int = central.LEAD_CHARS
    alt: float = EXPANSION_WEIGHT
    alts_cover: int = 1
    first: float = 0.0  # share of the first occurrence's offset
    first_scale: int = 600  # characters over which that share halves
    passing: float = central.PASSING  # score × (1 − passing) for a mention in passing
    passing_count: int = 1  # at most this many occurrences of each term make a passing mention
    partial_depth: int = 0
    partial_weight: float = 1.0
    learned: tuple = ()  # weights of features(): score = BM25F × exp(w · f) instead
    order_decay: float = 0.0  # a partial match's unit k (as typed) weighs 1 / (1 + decay × k)
    idf_first: int = 0  # partial matches by the summed IDF of the units held, then BM25F
    idf_share: float = 0.0  # partial matches by units held + idf_share × their IDF share
    idf_mult: float = 0.0  # a partial match's score × (1 + idf_mult × its units' IDF share)
    prox: float = 0.0  # score × (1 + prox × closeness of the terms) for queries of 2+ groups
    prox_scale: int = 50  # characters of the smallest window holding every term that halve it


@dataclass
class Cand:
    docnum: int
    id: str
    group: tuple  # sorts descending: (tier, words held)
    base: float  # BM25F, the verbatim bonuses taken off
    day: int
    units: tuple = ()  # a partial match's BM25F per unit (0: not held)


@dataclass
class Query:
    qid: str
    terms: list  # (term, alts) squashed
    runs: dict  # run -> its words (for alts_cover)
    groups: list = field(default_factory=list)  # the typed groups, squashed (for prox)
    idf: list = field(default_factory=list)  # per unit of the partial matches
    allwords: list = field(default_factory=list)  # Cand, ranked as the service ranks them
    partial: list = field(default_factory=list)  # computed where the service computes them


_TEXT: dict[int, tuple[str, str]] = {}


def text_of(st, docnum: int) -> tuple[str, str]:  # noqa: ANN001 - IndexState
    t = _TEXT.get(docnum)
    if t is None:
        s = st.searcher.stored_fields(docnum)
        head = "".join(s.get(k) or "" for k in ("kicker", "title", "subtitle"))
        t = _TEXT[docnum] = (squash(head), squash(s.get("body") or ""))
    return t


def collect(engine, q: dict) -> Query:  # noqa: ANN001 - Engine
    st = engine.state()
    req = SearchRequest(q=q["query"], size=r.K).within(*archive_dates(st))
    m = results.matched(st, req, engine.synonyms.current())
    p = relax.plan(m.plan)
    terms = [(squash(t), tuple(a for a in map(squash, alts) if a)) for t, alts in
             (p.central if p else [])]
    terms = [(t, a) for t, a in dict.fromkeys(terms) if t]
    runs = {}
    if p is not None:
        for t, _alts in p.central:
            ws = m.plan.text.distinct_words(t)
            if len(ws) >= 2:
                runs[squash(t)] = [squash(w) for w in ws]
    out = Query(q["id"], terms, runs, [squash(w) for w in q["query"].split()])
    docs, scores = m.match.docs, m.match.scores
    days = st.arrays.days
    order = np.lexsort((docs, -days[docs], -scores))
    for i in order.tolist():
        d = int(docs[i])
        tier = math.floor(scores[i] / VERBATIM_BONUS)
        out.allwords.append(Cand(d, "", (tier, 99), float(scores[i] - tier * VERBATIM_BONUS),
                                 int(days[d])))
    n = len(docs)
    weak_check = (p is not None and p.relaxable and relax.FEW_BELOW <= n < relax.WEAK_BELOW
                  and (sum(1 for g in m.plan.typed.groups if g) >= 2
                       or relax.units_bytes(m.evaluator, p) <= relax.WEAK_RUN_BYTES))
    if p is not None and p.relaxable and (n < relax.FEW_BELOW or weak_check):
        part = relax.partial(m.evaluator, p, m.match, days)
        per_unit = []
        for u in p.units:
            um = None
            for c in u.clauses:
                cm = relax._unscored(m.evaluator.clause(c))
                um = cm if um is None else relax.union(um, cm)
            per_unit.append(um)
        out.idf = [m.evaluator.idf(len(um)) if len(um) else 0.0 for um in per_unit]
        for i in range(len(part.docs)):
            d = int(part.docs[i])
            us = []
            for um in per_unit:
                j = int(np.searchsorted(um.docs, d))
                us.append(float(um.scores[j]) if j < len(um) and um.docs[j] == d else 0.0)
            out.partial.append(Cand(d, "", (-1, int(part.held[i].sum())), float(part.scores[i]),
                                    int(days[d]), tuple(us)))
    for c in out.allwords[:60] + out.partial[:60]:
        c.id = st.searcher.stored_fields(c.docnum)["id"]
        text_of(st, c.docnum)
    return out


def centrality(head: str, body: str, q: Query, P: Params) -> tuple[float, bool]:
    """(centrality in [0, 1], whether every term stands only once, in the body's tail)."""
    lead = body[:P.lead_chars]

    def standing(t: str) -> float:
        s = (P.head * (t in head) + P.lead * (t in lead)
             + P.body * min(body.count(t), P.repeats) / P.repeats)
        if P.first:
            i = body.find(t)
            s += P.first * (0.0 if i < 0 else 0.5 ** (i / P.first_scale))
        return s

    alts_of = {t: a for t, a in q.terms}
    if P.alts_cover:
        for run, ws in q.runs.items():
            for w in ws:
                if w in alts_of:
                    alts_of[w] = tuple(dict.fromkeys(alts_of[w] + alts_of.get(run, ())))
    total, passing = 0.0, True
    for t, alts in alts_of.items():
        total += max([standing(t), *(P.alt * standing(a) for a in alts)])
        for x in (t, *alts):
            if x in head or x in lead or body.count(x) > P.passing_count:
                passing = False
    return (total / len(alts_of) if alts_of else 0.0), passing


def features(head: str, body: str, q: Query, P: Params) -> list[float]:
    """Per article: the shares of terms in the headline, in the lead, repeated, where they
    first stand (decaying over 300 characters), a mention in passing, the body's length."""
    lead = body[:P.lead_chars]
    alts_of = {t: a for t, a in q.terms}
    n = max(len(alts_of), 1)
    f = [0.0] * 6
    for t, alts in alts_of.items():
        best = [0.0] * 4
        for x, w in ((t, 1.0), *((a, P.alt) for a in alts)):
            i = body.find(x)
            vals = [float(x in head), float(x in lead), min(body.count(x), P.repeats) / P.repeats,
                    0.0 if i < 0 else 0.5 ** (i / 300)]
            best = [max(b, w * v) for b, v in zip(best, vals, strict=True)]
        for k in range(4):
            f[k] += best[k] / n
    f[4] = float(centrality(head, body, q, P)[1])
    f[5] = math.log(1 + len(body)) / 8
    return f


def closeness(head: str, body: str, terms: list[str], scale: int) -> float:
    """1 / (1 + w / scale), w the characters of the smallest window of the headline and body
    holding one occurrence of every term found (0 when fewer than two are found)."""
    text = head + "。" + body
    spots = sorted((m, k) for k, t in enumerate(terms) for m in _find_all(text, t))
    found = {k for _, k in spots}
    if len(found) < 2:
        return 0.0
    best, last, have = len(text), {}, set()
    for pos, k in spots:
        last[k] = pos
        have.add(k)
        if len(have) == len(found):
            best = min(best, pos - min(last.values()))
    return 1.0 / (1.0 + best / scale)


def _find_all(text: str, t: str) -> list[int]:
    out, i = [], text.find(t)
    while i >= 0 and len(out) < 50:
        out.append(i)
        i = text.find(t, i + 1)
    return out


def reorder(cands: list[Cand], q: Query, P: Params, depth: int, weight: float,
            raised: dict[int, float] | None = None) -> list[Cand]:
    """``cands`` with the first ``depth`` re-sorted within their groups by BM25F ×
    centrality; ``raised`` gets each of those its re-ranked score (tiers taken off)."""
    top, rest = cands[:depth], cands[depth:]
    if len(top) < 2 or not q.terms:
        return cands
    keyed = []
    for k, c in enumerate(top):
        if P.learned:
            f = features(*_TEXT[c.docnum], q, P)
            s = c.base * math.exp(sum(w * x for w, x in zip(P.learned, f, strict=True)))
        else:
            cen, passing = centrality(*_TEXT[c.docnum], q, P)
            s = c.base * (1 + weight * cen) * (1 - P.passing * passing)
        if P.prox and len(q.groups) >= 2:
            s *= 1 + P.prox * closeness(*_TEXT[c.docnum], q.groups, P.prox_scale)
        if raised is not None:
            raised[c.docnum] = s
        keyed.append(((tuple(-g for g in c.group), -s, k), c))
    return [c for _, c in sorted(keyed, key=lambda x: x[0])] + rest


def partial_order(q: Query, P: Params) -> list[Cand]:
    """The partial matches as the service ranks them (units held, then BM25F summed), or
    as the parameters say: ``idf_first`` sorts by the held units' IDF summed within as many
    units held; ``idf_share`` ranks by units held + idf_share × the held units' share of
    the query's IDF (at 1 or more the share decides before the count);
    ``idf_mult`` weighs the score by that share; ``order_decay`` weighs the units typed
    later less."""
    if not (P.order_decay or P.idf_first or P.idf_share or P.idf_mult) or not q.partial:
        return q.partial
    out = []
    total = sum(q.idf) or 1.0
    for k, c in enumerate(q.partial):
        s = (sum(v / (1 + P.order_decay * j) for j, v in enumerate(c.units))
             if P.order_decay else c.base)
        held_idf = sum(q.idf[j] for j, v in enumerate(c.units) if v)
        share = held_idf / total
        idf = held_idf if P.idf_first else 0.0
        s *= 1 + P.idf_mult * share
        held = c.group[1] + P.idf_share * share
        out.append(((-held, -idf, -s, -c.day, k), replace(c, base=s)))
    return [c for _, c in sorted(out, key=lambda x: x[0])]


def ranking(q: Query, P: Params, k: int = r.K) -> list[str]:
    """The first ``k`` ids as the service's pages of 10 list them: page 1's all-words
    matches, then as many partial matches as :func:`~search.retrieval.relax.page_slots`
    gives it (all of them follow when it gives none, and none are computed past
    the service's gate), then the rest of each list."""
    raised: dict[int, float] = {}
    allw = reorder(q.allwords, q, P, P.depth, P.weight, raised)
    part = partial_order(q, P)
    lead = 0
    if part:
        first = np.array([raised.get(c.docnum, c.base) for c in allw[:results.FIRST_PAGE]])
        lead = relax.page_slots(len(allw), results.FIRST_PAGE,
                                np.array([c.base for c in part]), first)
        if not lead:
            part = []
    if P.partial_depth and part:  # shown: re-ranked within as many units held
        part = reorder(part, q, P, P.partial_depth, P.partial_weight)
    head = min(len(allw), results.FIRST_PAGE - lead)
    seq = allw[:head] + part[:lead] + allw[head:] + part[lead:]
    return [c.id for c in seq[:k]]


def evaluate(queries: list[dict], data: dict[str, Query], grades: dict, P: Params) -> dict:
    per: dict[tuple, list[float]] = {}
    for q in queries:
        judged = grades.get(q["id"], {})
        m = r.metrics(ranking(data[q["id"]], P), judged)
        per.setdefault(("unjudged", ""), []).append(m["unjudged"])
        nd = m["ndcg"]
        if nd is None:
            continue
        for key in ((q["split"], q["type"]), (q["split"], "all")):
            per.setdefault(key, []).append(nd)
    return {k: sum(v) / len(v) for k, v in per.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.relevance_tune")
    ap.add_argument("command", choices=["check", "sweep", "pool", "fit", "loqo"])
    ap.add_argument("grid", nargs="*", help="NAME=V1,V2: parameters of Params")
    ap.add_argument("--splits", default="tune")
    ap.add_argument("--label", default="service", help="the service's saved run (check)")
    args = ap.parse_args(argv)
    splits = args.splits.split(",")
    queries = [q for q in r.read_queries() if q["split"] in splits]
    grades = r.read_judgments()
    engine = r.service_engine()
    data = {q["id"]: collect(engine, q) for q in queries}
    if args.command == "check":  # NAME=V: one setting
        saved = r.load_run(args.label)
        P = replace(Params(), **{n: type(getattr(Params(), n))(v) for n, v in
                                 (x.split("=") for x in args.grid)})
        off = [q["id"] for q in queries if ranking(data[q["id"]], P) != saved[q["id"]]]
        print(f"default parameters differ from run {args.label!r} on: {off or 'none'}")
        return 0
    if args.command == "pool":  # unjudged articles in the top 10 of the settings given
        seen = set()
        for g in itertools.product(*[[(n, v) for v in vs.split(",")] for n, vs in
                                     (x.split("=") for x in args.grid)]):
            P = replace(Params(), **{n: type(getattr(Params(), n))(v) for n, v in g})
            for q in queries:
                for doc in ranking(data[q["id"]], P):
                    if doc not in grades.get(q["id"], {}) and (q["id"], doc) not in seen:
                        seen.add((q["id"], doc))
                        print(f"{q['id']}\t{doc}\t{q['query']} | {q['intent']}\t-\t-")
        return 0
    if args.command == "fit":  # coordinate ascent of the learned weights on the tune split
        tune = [q for q in queries if q["split"] == "tune"]
        w = [0.5, 0.3, 0.2, 0.0, -0.4, 0.0]
        steps = [-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0]

        def score(weights: list[float]) -> float:
            return evaluate(tune, data, grades, replace(Params(), learned=tuple(weights)))[
                ("tune", "all")]

        best = score(w)
        for _round in range(3):
            for i in range(len(w)):
                for d in steps:
                    trial = w.copy()
                    trial[i] = round(trial[i] + d, 3)
                    v = score(trial)
                    if v > best + 1e-4:
                        best, w = v, trial
            print(f"round {_round}: tune {best:.3f} weights {w}")
        res = evaluate(queries, data, grades, replace(Params(), learned=tuple(w)))
        print({f"{k[0]}-{k[1]}": round(v, 3) for k, v in sorted(res.items()) if k[1]},
              "unjudged", round(res[("unjudged", "")] * len(queries)))
        return 0
    if args.command == "loqo":  # each tune query scored by the setting best on the others
        axes = [(n, [type(getattr(Params(), n))(v) for v in vs.split(",")])
                for n, vs in (x.split("=") for x in args.grid)]
        grid = [dict(zip([n for n, _ in axes], combo, strict=True))
                for combo in itertools.product(*[vs for _, vs in axes])]
        tune = [q for q in queries if q["split"] == "tune"]
        per = [{q["id"]: r.metrics(ranking(data[q["id"]], replace(Params(), **g)),
                                   grades.get(q["id"], {}))["ndcg"] for q in tune} for g in grid]
        scored = [q["id"] for q in tune if per[0][q["id"]] is not None]
        base = {qid: r.metrics(ranking(data[qid], Params()), grades.get(qid, {}))["ndcg"]
                for qid in scored}
        out, picks = {}, []
        for qid in scored:
            best = max(range(len(grid)), key=lambda i: sum(
                per[i][x] for x in scored if x != qid))
            out[qid] = per[best][qid]
            picks.append(best)
        by_type: dict[str, list] = {}
        for q in tune:
            if q["id"] in out:
                by_type.setdefault(q["type"], []).append((out[q["id"]], base[q["id"]]))
                by_type.setdefault("all", []).append((out[q["id"]], base[q["id"]]))
        for t, v in by_type.items():
            print(f"tune {t}: LOQO {sum(a for a, _ in v) / len(v):.3f} "
                  f"(service {sum(b for _, b in v) / len(v):.3f}, {len(v)} queries)")
        for i in sorted(set(picks)):
            print(f"picked {grid[i]} for {picks.count(i)} of {len(picks)} left out")
        return 0
    names, values = [], []
    for g in args.grid:
        name, vals = g.split("=")
        kind = type(getattr(Params(), name))
        names.append(name)
        values.append([kind(v) for v in vals.split(",")])
    cols = [(s, t) for s in splits for t in ("topic", "multi", "entity", "abbrev", "all")]
    print(" ".join(names) + " | " + " ".join(f"{s[:4]}-{t[:5]}" for s, t in cols))
    for combo in itertools.product(*values) if values else [()]:
        P = replace(Params(), **dict(zip(names, combo, strict=True)))
        res = evaluate(queries, data, grades, P)
        unjudged = round(res[("unjudged", "")] * len(queries))
        print(" ".join(str(v) for v in combo) + " | "
              + " ".join(f"{res.get(c, float('nan')):.3f}" for c in cols)
              + f" | unjudged {unjudged}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
