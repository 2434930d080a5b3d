"""Within-group ranking features measured on the judged set, before any goes into the engine.

The service's first 100 results of each query (``hits`` then ``partial_hits``) are split
into the contract's groups (verbatim tiers, the rest of the all-words matches, partial
matches by words held: :func:`bench.relevance_losses.group_of`); the first ``--depth`` of
each group are re-sorted by ``score × (1 + w · feature)`` and the first 10 scored with
the judgments.  Unjudged articles brought into a top 10 count as grade 0 and are counted.

Features (an article's keywords: jieba words that :func:`search.text.keywords.is_keyword`
keeps, headline words ×3, weighted ``(1 + log tf) · log(1 + N / df)`` over the corpus):

* ``prf``: cosine between the article's keywords and the centroid of the first 5 results'
  (pseudo-relevance feedback: what the best matches are about);
* ``coherence``: the share of the article's 10 strongest keywords' weight held by the
  query's words and synonyms (is the query what the article is about);
* ``paragraph``: the largest share of the query's terms that one paragraph holds
  (the words together, not scattered over a long article);
* ``headline``: the share of the query's IDF that its terms in the headline hold, squared
  (a headline holding the topic, not one rare word of it);
* ``coverage``: for partial matches, the share of the query's IDF held × (1 + centrality);
* ``prfall``: cosine to the centroid of the first 30 all-words matches' keywords, the query's
  own words left out (feedback from what every article holding the whole query is about);
* ``spread``: the share of the body's paragraphs naming a term; ``spread2``: the paragraphs
  naming one beyond the first, up to 4 (an article about the topic names it throughout).

``--features a,b`` measures only those.

``--fit`` fits all of them together (pairwise logistic regression within groups, plus the
service's score and centrality) and reports it leave-one-query-out over the chosen split;
``--apply holdout,new`` then fits on the whole chosen split and reports the held-out
splits once with those weights (measure them once, after the tuning split settled it).

    python -m bench.relevance_features [--splits tune] [--depth 15] [--fit [--apply S]]

Only the tuning split is looked at while tuning (bench/relevance.py).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter

import numpy as np

from bench import relevance as r
from bench.relevance_losses import group_of
from search.retrieval.central import centrality
from search.retrieval.evaluate import EXPANSION_WEIGHT, VERBATIM_BONUS
from search.retrieval.relax import plan
from search.retrieval.request import SearchRequest
from search.text.normalize import squash
from search.understanding.intent import interpret

DEPTH = 100
FEEDBACK = 5
FEEDBACK_ALL = 30
TOP_KEYWORDS = 10
TYPES = ("topic", "multi", "entity", "abbrev", "all")


class Corpus:
    """The judged corpus's articles: squashed headline, body, paragraphs, keyword vectors."""

    def __init__(self) -> None:
        from search.text.analysis import words
        from search.text.keywords import is_keyword

        self.text: dict[str, tuple[str, str, list[str]]] = {}
        tf: dict[str, Counter[str]] = {}
        for d in r.corpus():
            head = "".join(d.get(k) or "" for k in ("kicker", "title", "subtitle"))
            body = d["body"] or ""
            self.text[d["id"]] = (squash(head), squash(body),
                                  [squash(p) for p in body.split("\n") if p.strip()])
            c = Counter(w for w in words(body) if is_keyword(w))
            for w in words(head):
                if is_keyword(w):
                    c[w] += 3
            tf[d["id"]] = c
        n = len(tf)
        self.n = n
        df = Counter(w for c in tf.values() for w in c)
        self.weights = {doc: {w: (1 + math.log(k)) * math.log(1 + n / df[w]) for w, k in c.items()}
                        for doc, c in tf.items()}
        self.vectors = {}
        for doc, v in self.weights.items():
            norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
            self.vectors[doc] = {w: x / norm for w, x in v.items()}
        self._df: dict[str, int] = {}

    def idf(self, t: str) -> float:
        if t not in self._df:
            self._df[t] = sum(1 for h, b, _ in self.text.values() if t in h or t in b)
        return math.log(1 + self.n / max(self._df[t], 1))


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def holds(text: str, term: str, alts: tuple[str, ...]) -> bool:
    return term in text or any(a in text for a in alts)


class Query:
    """One query's service results, grouped, and its terms (squashed, with synonyms)."""

    def __init__(self, q: dict, hits: list[dict], terms: list[tuple[str, tuple[str, ...]]],
                 corpus: Corpus) -> None:
        self.q, self.corpus = q, corpus
        self.ids = [h["id"] for h in hits]
        self.groups = [group_of(h) for h in hits]
        self.base = [(h["score"] or 0.0) % VERBATIM_BONUS for h in hits]
        self.terms = [(squash(t), tuple(squash(a) for a in alts)) for t, alts in terms if squash(t)]
        words = {t for t, alts in self.terms for t in (t, *alts) if len(t) >= 2}
        self.words = words
        centroid: dict[str, float] = {}
        for doc in self.ids[:FEEDBACK]:
            for w, x in corpus.vectors[doc].items():
                centroid[w] = centroid.get(w, 0.0) + x
        norm = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
        self.centroid = {w: x / norm for w, x in centroid.items()}
        # The all-words matches (first group class: verbatim tiers and words apart), up
        # to FEEDBACK_ALL of them: what articles holding the whole query are about.
        full = [d for d, g in zip(self.ids, self.groups, strict=True) if g[0] >= 0]
        wide: dict[str, float] = {}
        for doc in full[:FEEDBACK_ALL]:
            for w, x in corpus.vectors[doc].items():
                wide[w] = wide.get(w, 0.0) + x
        for t in words:  # the query's own words say nothing about which article is central
            wide.pop(t, None)
        norm = math.sqrt(sum(x * x for x in wide.values())) or 1.0
        self.wide = {w: x / norm for w, x in wide.items()}
        self._memo: dict[tuple[str, str], float] = {}

    def feature(self, name: str, doc: str) -> float:
        if (name, doc) not in self._memo:
            self._memo[(name, doc)] = self._feature(name, doc)
        return self._memo[(name, doc)]

    def _feature(self, name: str, doc: str) -> float:
        c, ks = self.corpus, self.terms
        head, body, paras = c.text[doc]
        if name == "prf":
            return cosine(c.vectors[doc], self.centroid)
        if name == "prfall":
            return cosine(c.vectors[doc], self.wide)
        if name == "coherence":
            top = sorted(c.weights[doc].items(), key=lambda wx: -wx[1])[:TOP_KEYWORDS]
            total = sum(x for _, x in top) or 1.0
            return sum(x for w, x in top if any(w in t or t in w for t in self.words)) / total
        if name == "paragraph":
            if len(ks) < 2:
                return 0.0
            return max((sum(holds(p, t, a) for t, a in ks) for p in paras), default=0) / len(ks)
        if name == "spread":  # the share of the body's paragraphs naming a term
            if not paras:
                return 0.0
            return sum(any(holds(p, t, a) for t, a in ks) for p in paras) / len(paras)
        if name == "spread2":  # paragraphs naming a term, beyond the first, up to 4
            return min(sum(any(holds(p, t, a) for t, a in ks) for p in paras) - 1, 3) / 3
        if name == "headline":
            if len(ks) < 2:
                return 0.0
            total = sum(c.idf(t) for t, _ in ks)
            return (sum(c.idf(t) for t, a in ks if holds(head, t, a)) / total) ** 2
        if name == "coverage":
            total = sum(c.idf(t) for t, _ in ks) or 1.0
            held = sum(c.idf(t) for t, a in ks if holds(head, t, a) or holds(body, t, a))
            return held / total * (1 + centrality(head, body, ks, EXPANSION_WEIGHT))
        if name == "centrality":
            return centrality(head, body, ks, EXPANSION_WEIGHT)
        if name == "length":
            return math.log(len(body) + 50) / 8
        raise ValueError(name)

    def spans(self, depth: int) -> list[tuple[int, int, bool]]:
        """(start, end, partial) of each group's first ``depth`` results."""
        out, i = [], 0
        while i < len(self.ids):
            j = i
            while j < len(self.ids) and self.groups[j] == self.groups[i]:
                j += 1
            out.append((i, min(j, i + depth), self.groups[i][0] == -1))
            i = j
        return out

    def reordered(self, key, depth: int, which: str) -> list[str]:
        """The results with each chosen group's head re-sorted by ``key(position)``."""
        order = list(range(len(self.ids)))
        for start, end, partial in self.spans(depth):
            if which == "all" or (which == "partial") == partial:
                order[start:end] = sorted(range(start, end), key=lambda k: (-key(k), k))
        return [self.ids[k] for k in order]


def load(splits: list[str]) -> list[Query]:
    engine = r.service_engine()
    st, table = engine.state(), engine.synonyms.current()
    corpus = Corpus()
    out = []
    for q in r.read_queries():
        if q["split"] not in splits:
            continue
        res = engine.search(SearchRequest(q=q["query"], size=DEPTH))
        hits = (res["hits"] + res["partial_hits"])[:DEPTH]
        p = plan(interpret(st, SearchRequest(q=q["query"]), table))
        out.append(Query(q, hits, p.central if p else [], corpus))
    return out


def score(queries: list[Query], runs: dict[str, list[str]]) -> tuple[dict[str, float], int]:
    """nDCG@10 per type over queries with a relevant article, and unjudged hits in top 10s."""
    grades = r.read_judgments()
    per: dict[str, list[float]] = {t: [] for t in TYPES}
    unjudged = 0
    for q in queries:
        judged = grades.get(q.q["id"], {})
        m = r.metrics(runs[q.q["id"]], judged)
        unjudged += m["unjudged"]
        if m["ndcg"] is not None:
            per[q.q["type"]].append(m["ndcg"])
            per["all"].append(m["ndcg"])
    return {t: sum(v) / len(v) for t, v in per.items() if v}, unjudged


def line(label: str, res: dict[str, float], unjudged: int) -> str:
    cells = " | ".join(f"{res[t]:.3f}" if t in res else "–" for t in TYPES)
    return f"| {label} | {cells} | {unjudged} |"


FIT = ("centrality", "prf", "coherence", "paragraph", "headline", "length")


def fit(rows: list[tuple[np.ndarray, int, int, int]], l2: float) -> np.ndarray:
    """Weights of ``[log score share, *FIT]`` from pairs of one group and different grades."""
    diffs = []
    by_group: dict[tuple[int, int], list[tuple[np.ndarray, int]]] = {}
    for x, qn, g, grade in rows:
        by_group.setdefault((qn, g), []).append((x, grade))
    for items in by_group.values():
        for xa, ga in items:
            for xb, gb in items:
                if ga > gb:
                    diffs.append(xa - xb)
    w = np.zeros(1 + len(FIT))
    w[0] = 1.0
    if not diffs:
        return w
    d = np.array(diffs)
    prior = np.eye(len(w))[0]
    for _ in range(300):
        p = 1 / (1 + np.exp(d @ w))
        w -= 0.5 * (-(d * p[:, None]).mean(0) + l2 * 0.01 * (w - prior))
    return w


def rows_of(queries: list[Query], depth: int) -> tuple[list, dict]:
    """The fit's rows (features, query, group, grade) and each result's features."""
    grades = r.read_judgments()
    rows, features = [], {}
    for qn, q in enumerate(queries):
        for start, end, _partial in q.spans(depth):
            top = max(q.base[start:end]) or 1.0
            for k in range(start, end):
                x = np.array([math.log(max(q.base[k], 1e-3) / top),
                              *(q.feature(f, q.ids[k]) for f in FIT)])
                features[(qn, k)] = x
                rows.append((x, qn, start, grades.get(q.q["id"], {}).get(q.ids[k], 0)))
    return rows, features


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.relevance_features")
    ap.add_argument("--splits", default="tune")
    ap.add_argument("--depth", type=int, default=15)
    ap.add_argument("--fit", action="store_true")
    ap.add_argument("--features", default="", help="only these features, comma-separated")
    ap.add_argument("--apply", default="", help="held-out splits to apply the fit to, once")
    ap.add_argument("--l2", type=float, default=1.0, help="the fit's l2 with --apply")
    args = ap.parse_args(argv)
    queries = load(args.splits.split(","))
    print(f"| re-ranking ({args.splits}) | " + " | ".join(TYPES) + " | unjudged in top 10 |")
    print("|---" * (len(TYPES) + 2) + "|")
    shipped = {q.q["id"]: q.ids[:10] for q in queries}
    print(line("service as it stands", *score(queries, shipped)))
    names = args.features.split(",") if args.features else (
        "prf", "prfall", "coherence", "paragraph", "headline", "coverage")
    for name in names:
        for which in (("partial",) if name == "coverage" else ("all", "full", "partial")):
            for w in (0.5, 1.0, 2.0, 4.0):
                runs = {}
                for q in queries:
                    vals = [b * (1 + w * q.feature(name, d)) if k < DEPTH else 0.0
                            for k, (b, d) in enumerate(zip(q.base, q.ids, strict=True))]
                    runs[q.q["id"]] = q.reordered(vals.__getitem__, args.depth, which)[:10]
                print(line(f"{name}, {which} groups, w {w}", *score(queries, runs)))
    if not args.fit:
        return 0
    rows, features = rows_of(queries, args.depth)
    if args.apply:
        w = fit(rows, args.l2)
        for split in args.apply.split(","):
            held = load([split])
            _, f_held = rows_of(held, args.depth)
            before = {q.q["id"]: q.ids[:10] for q in held}
            after = {q.q["id"]: q.reordered(lambda k, qn=qn, f=f_held: float(f[(qn, k)] @ w),
                                            args.depth, "all")[:10]
                     for qn, q in enumerate(held)}
            print(line(f"{split}: service as it stands", *score(held, before)))
            print(line(f"{split}: learned on {args.splits}, l2 {args.l2}", *score(held, after)))
        return 0
    for l2 in (0.1, 1.0, 10.0):
        runs = {}
        for qn, q in enumerate(queries):
            w = fit([row for row in rows if row[1] != qn], l2)
            runs[q.q["id"]] = q.reordered(
                lambda k, qn=qn, w=w: float(features[(qn, k)] @ w), args.depth, "all")[:10]
        res, unjudged = score(queries, runs)
        whole = np.round(fit(rows, l2), 2).tolist()
        print(line(f"learned, leave one query out, l2 {l2} (weights on all: {whole})",
                   res, unjudged))
    return 0


if __name__ == "__main__":
    sys.exit(main())
