"""What the service's nDCG@10 loses on the judged set, by cause, query by query.

For each judged query, the distance from the service's nDCG@10 to 1 is split in the
order a fix would have to act:

* ``vocabulary``: relevant articles that are no candidate at all: they hold fewer of the
  query's words (or their synonyms) than a partial match needs; only new words
  (synonyms, expansions) can bring them in;
* ``gated``: relevant articles that hold enough of the words to be partial matches, but
  are not listed: all the words together match a page of articles or more that are not
  weak (:func:`~search.retrieval.relax.page_slots`), so no partial match is shown;
* ``groups``: what the contract's group order costs among the shown candidates (a
  partial match or a words-apart one that a perfect order would put above verbatim ones;
  the page's layout, partial matches in page 1's last places included, is kept),
  split into ``tiers`` (among the all-words matches: more groups verbatim first, a
  run's verbatim matches before its words apart and its synonyms) and ``partial``
  (every all-words match before every partial one): ``tiers`` is what ordering the
  all-words matches by grade regardless of tier gains over the within-group best;
* ``within``: the order inside the groups (what a scoring change can win), split by the
  group class where it is lost: ``verbatim`` tiers, ``apart`` (all words, not together),
  ``partial``.  Each class's share is the gain of sorting that class alone by grade.

Each figure is a difference of nDCG@10 (the ideal being that of every judged article),
so the four add up to 1 − nDCG@10.  Irrelevant articles (grade ≤ 1) in the top 10 are
also counted by kind: a verbatim mention in passing, a synonym-only match, words apart, a
partial match.

    python -m bench.relevance_causes [--splits tune,holdout] [-v]   # a line per split

Only the tuning split is looked at while tuning (bench/relevance.py).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from bench import relevance as r
from search.results import matched
from search.retrieval.central import in_passing
from search.retrieval.evaluate import VERBATIM_BONUS
from search.retrieval.relax import needed, partial, plan
from search.retrieval.request import SearchRequest
from search.text.normalize import squash

DEPTH = 100


def ndcg(ids: list[str], judged: dict[str, int]) -> float:
    return r.metrics(ids, judged)["ndcg"] or 0.0


def best(cands: set[str], judged: dict[str, int]) -> float:
    """nDCG@10 of the best order of ``cands`` (grades sorted)."""
    order = sorted(cands, key=lambda d: -judged.get(d, 0))
    return ndcg(order, judged)


def group_key(h: dict) -> tuple[int, int]:
    if h["partial"]:
        return (-1, len(h["matched"]))
    return (int((h["score"] or 0) // VERBATIM_BONUS), 99)


def klass(h: dict) -> str:
    if h["partial"]:
        return "partial"
    return "verbatim" if (h["score"] or 0) >= VERBATIM_BONUS else "apart"


def sorted_in(hits: list[dict], judged: dict[str, int], which: set[str]) -> list[str]:
    """The ids of ``hits``, each group of a class in ``which`` sorted by grade (stable)
    within the places the group holds, every other group as the service ordered it: the
    page's layout (all-words matches first; partial matches in page 1's last places
    where :func:`~search.retrieval.relax.page_slots` puts them) is kept."""
    out = [h["id"] for h in hits]
    places: dict[tuple[int, int], list[int]] = {}
    for i, h in enumerate(hits):
        if klass(h) in which:
            places.setdefault(group_key(h), []).append(i)
    for at in places.values():
        members = sorted(at, key=lambda i: (-judged.get(hits[i]["id"], 0), i))
        for place, i in zip(at, members, strict=True):
            out[place] = hits[i]["id"]
    return out


def flat_order(hits: list[dict], judged: dict[str, int]) -> list[str]:
    """The ids of ``hits`` with the all-words matches sorted by grade whatever their tier,
    in the places all-words matches hold, and the partial matches by words held, then
    grade, in theirs."""
    out = [h["id"] for h in hits]
    for part in (False, True):
        at = [i for i, h in enumerate(hits) if bool(h["partial"]) == part]
        members = sorted(at, key=lambda i: (
            -len(hits[i]["matched"]) if part else 0, -judged.get(hits[i]["id"], 0), i))
        for place, i in zip(at, members, strict=True):
            out[place] = hits[i]["id"]
    return out


def service_hits(engine, query: str) -> list[dict]:
    """Every hit of the service in the order its pages of 10 list them: page 1 as a user
    sees it (its last places may hold partial matches: relax.page_slots), then the rest
    from pages of 100 (the rest of the all-words matches, then the partial ones), up to
    10 pages."""
    first = engine.search(SearchRequest(q=query, size=r.K))
    out: list[dict] = first["hits"] + first["partial_hits"]
    seen = {h["id"] for h in out}
    for page in range(1, 11):
        res = engine.search(SearchRequest(q=query, size=DEPTH, page=page))
        got = res["hits"] + res["partial_hits"]
        out += [h for h in got if h["id"] not in seen]
        if len(got) < DEPTH:
            break
    return out


def gated_partials(engine, query: str, ids: dict[int, str]) -> set[str]:
    """The partial matches the query would have if they were computed whatever the
    number of all-words matches (the ids of those holding :func:`needed` units)."""
    st = engine.state()
    m = matched(st, SearchRequest(q=query), engine.synonyms.current())
    p = plan(m.plan)
    if p is None or not p.relaxable:
        return set()
    part = partial(m.evaluator, p, m.match, st.arrays.days)
    need = needed(len(p.terms)) - len(p.required)
    return {ids[int(d)] for d, h in zip(part.docs, part.held, strict=True) if h.sum() >= need}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.relevance_causes")
    ap.add_argument("--splits", default="tune")
    ap.add_argument("-v", action="store_true", help="one line per query")
    args = ap.parse_args(argv)
    queries = [q for q in r.read_queries() if q["split"] in args.splits.split(",")]
    grades = r.read_judgments()
    engine = r.service_engine()
    st = engine.state()
    ids = r.article_ids(st)
    by_id = {d["id"]: d for d in r.corpus()}
    causes = ("vocabulary", "gated", "groups", "tiers", "verbatim", "apart", "partial")
    kinds: Counter = Counter()
    rows = []
    for q in queries:
        judged = grades.get(q["id"], {})
        if not any(g >= 1 for g in judged.values()):
            continue
        hits = service_hits(engine, q["query"])
        shown = [h["id"] for h in hits]
        actual = ndcg(shown, judged)
        c1 = set(shown)
        c2 = c1 | gated_partials(engine, q["query"], ids)
        loss = {"vocabulary": 1 - best(c2, judged), "gated": best(c2, judged) - best(c1, judged)}
        cap = ndcg(sorted_in(hits, judged, {"verbatim", "apart", "partial"}), judged)
        loss["groups"] = best(c1, judged) - cap
        loss["tiers"] = ndcg(flat_order(hits, judged), judged) - cap
        within = {k: ndcg(sorted_in(hits, judged, {k}), judged) - actual
                  for k in ("verbatim", "apart", "partial")}
        scale = (cap - actual) / sum(within.values()) if sum(within.values()) > 1e-9 else 0.0
        for k, v in within.items():
            loss[k] = v * scale
        terms = [(squash(w), ()) for w in q["query"].split()]
        for h in hits[:10]:
            if judged.get(h["id"], 0) <= 1:
                k = klass(h)
                art = by_id[h["id"]]
                head = squash(art["title"])
                if k == "verbatim" and in_passing(head, squash(art["body"]), terms):
                    k = "verbatim, in passing"
                elif k == "verbatim" and not any(t in squash(art["title"] + art["body"])
                                                 for t, _ in terms):
                    k = "synonym only"
                kinds[k] += 1
        rows.append((q, actual, loss, len(hits)))
    print("loss by cause (all but tiers sum to 1 − nDCG@10; tiers is part of groups):")
    print("| split | queries | nDCG@10 | " + " | ".join(causes) + " |\n|---|---:|---:|"
          + "---:|" * len(causes))
    splits = list(dict.fromkeys(q["split"] for q, *_ in rows))
    for split in splits + (["all"] if len(splits) > 1 else []):
        some = [x for x in rows if split in ("all", x[0]["split"])]
        k = len(some)
        print(f"| {split} | {k} | {sum(x[1] for x in some) / k:.3f} | "
              + " | ".join(f"{sum(x[2][c] for x in some) / k:.3f}" for c in causes) + " |")
    print("Irrelevant (grade ≤ 1) articles in top 10s, by kind:", dict(kinds))
    if args.v:
        for q, actual, loss, nh in sorted(rows, key=lambda x: x[1]):
            cells = " ".join(f"{c[:5]}={loss[c]:.2f}" for c in causes if loss[c] > 0.005)
            print(f"{q['id']} {q['type']:6} {actual:.3f} hits={nh:4d} {q['query']}: {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
