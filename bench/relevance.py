"""Ranking quality on a judged set: nDCG@10, P@10 and empty pages, per query type.

The set lives in ``bench/relevance/``:

* ``queries.tsv``: id, type (``topic``, ``multi``, ``entity``, ``abbrev``), split (``tune``;
  ``holdout``, ``new``, ``new2``, ``new3`` and ``new4``, held-out slices written after the
  first three, six, seven and eight rounds of tuning: held-out queries are never looked at
  while tuning), the query, and what a union editor typing it wants (written before any system
  was run);
* ``judgments.tsv``: query id, article id, grade 0-3, and the article's title (for the reader):
  3 the article is about the topic, 2 a substantial part of it is, 1 it mentions the topic in
  passing, 0 unrelated.  Grades were given by reading each pooled article's title and lead,
  never from a system's score.

Two systems are compared over ``tests/data/pd1998-01-a.jsonl``: this service (the engine
in-process, default synonyms, the first page of 10 as a user sees it) and a plain BM25
baseline over the same jieba words (precise mode, :func:`search.text.analysis.words`), title and
body each scored by BM25 (k1 1.2, b 0.75) and summed, any query word matching (OR), as a
general-purpose engine answers.

    python -m bench.relevance pool [--label L]   # list pooled pairs not yet judged (title + lead)
    python -m bench.relevance eval [--label L]   # the tables, per type and split
    python -m bench.relevance show QID           # both systems' top 10 with grades

A document neither judged nor seen counts as grade 0 (``eval`` says how many there were).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HERE = REPO / "bench" / "relevance"
CORPUS = REPO / "tests" / "data" / "pd1998-01-a.jsonl"
OUT = REPO / "bench" / "out"
K = 10
RELEVANT = 2  # grade from which a hit counts as relevant for P@10


def read_queries() -> list[dict]:
    rows = []
    for line in (HERE / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        qid, qtype, split, query, intent = line.split("\t")
        rows.append({"id": qid, "type": qtype, "split": split, "query": query, "intent": intent})
    return rows


def read_judgments() -> dict[str, dict[str, int]]:
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    path = HERE / "judgments.tsv"
    if not path.exists():
        return grades
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        qid, doc, grade = line.split("\t")[:3]
        grades[qid][doc] = int(grade)
    return grades


def corpus() -> list[dict]:
    with open(CORPUS, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


class BM25:
    """Plain BM25 per field (title, body) summed; a document matches any query word."""

    def __init__(self, docs: list[dict], k1: float = 1.2, b: float = 0.75):
        from search.text.analysis import words

        self.words, self.k1, self.b = words, k1, b
        self.ids = [d["id"] for d in docs]
        self.fields = []
        for name in ("title", "body"):
            tfs = [Counter(words(d.get(name) or "")) for d in docs]
            lengths = [sum(c.values()) for c in tfs]
            df = Counter(w for c in tfs for w in c)
            self.fields.append((tfs, lengths, sum(lengths) / max(len(lengths), 1), df))

    def search(self, query: str, k: int = K) -> list[str]:
        terms = list(dict.fromkeys(self.words(query)))
        n = len(self.ids)
        scores: dict[int, float] = defaultdict(float)
        for tfs, lengths, avg, df in self.fields:
            for t in terms:
                if not df[t]:
                    continue
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                for i, c in enumerate(tfs):
                    tf = c.get(t)
                    if tf:
                        norm = self.k1 * (1 - self.b + self.b * lengths[i] / avg)
                        scores[i] += idf * tf * (self.k1 + 1) / (tf + norm)
        order = sorted(scores, key=lambda i: (-scores[i], self.ids[i]))
        return [self.ids[i] for i in order[:k]]


def article_ids(state) -> dict[int, str]:
    """Each document number of a served generation with its article's id."""
    from search.results import _Stored

    store = _Stored(state)
    return {d: store.article(d)["id"] for d in range(state.arrays.doc_count)}


def service_engine():
    """An engine over the judged corpus (built once into ``bench/out/relevance-idx``)."""
    from indexer.readers import read
    from indexer.writer import import_items
    from search.engine import Engine

    path = OUT / "relevance-idx"
    stamp = path / "corpus.stamp"
    mark = f"{CORPUS.stat().st_size}:{CORPUS.stat().st_mtime_ns}"
    if not (stamp.exists() and stamp.read_text() == mark):
        import shutil

        shutil.rmtree(path, ignore_errors=True)
        import_items(str(path), read([str(CORPUS)]))
        stamp.write_text(mark)
    return Engine(str(path), synonyms_file="")


def service_runs(queries: list[dict]) -> dict[str, list[str]]:
    from search.retrieval.request import SearchRequest

    engine = service_engine()
    runs = {}
    for q in queries:
        result = engine.search(SearchRequest(q=q["query"], size=K))
        runs[q["id"]] = [h["id"] for h in result["hits"] + result.get("partial_hits", [])][:K]
    return runs


def baseline_runs(queries: list[dict], docs: list[dict]) -> dict[str, list[str]]:
    bm25 = BM25(docs)
    return {q["id"]: bm25.search(q["query"]) for q in queries}


def save_run(label: str, runs: dict[str, list[str]]) -> None:
    lines = [f"{qid}\t{rank}\t{doc}" for qid, ids in runs.items()
             for rank, doc in enumerate(ids, 1)]
    (HERE / "runs").mkdir(exist_ok=True)
    (HERE / "runs" / f"{label}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_run(label: str) -> dict[str, list[str]]:
    runs: dict[str, list[str]] = defaultdict(list)
    for line in (HERE / "runs" / f"{label}.tsv").read_text(encoding="utf-8").splitlines():
        qid, _, doc = line.split("\t")
        runs[qid].append(doc)
    return runs


def dcg(grades: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def metrics(ids: list[str], judged: dict[str, int]) -> dict:
    grades = [judged.get(d, 0) for d in ids[:K]]
    ideal = dcg(sorted(judged.values(), reverse=True)[:K])
    return {
        "ndcg": dcg(grades) / ideal if ideal else None,
        "p10": sum(g >= RELEVANT for g in grades) / K,
        "empty": not ids,
        "unjudged": sum(d not in judged for d in ids[:K]),
        "any_relevant": any(g >= RELEVANT for g in grades),
    }


def table(queries: list[dict], systems: dict[str, dict[str, list[str]]],
          grades: dict[str, dict[str, int]]) -> str:
    """Markdown: per split and type, each system's nDCG@10, P@10, empty pages."""
    per = {name: {q["id"]: metrics(run.get(q["id"], []), grades.get(q["id"], {}))
                  for q in queries} for name, run in systems.items()}
    names = list(systems)
    head = "| split | type | n | " + " | ".join(
        f"{s} nDCG@10 | {s} P@10 | {s} empty" for s in names) + " |"
    lines = [head, "|" + "---|" * (3 + 3 * len(names))]
    groups = []
    for split in ("tune", "holdout", "new", "new2", "new3", "new4", "all"):
        for qtype in ("topic", "multi", "entity", "abbrev", "all"):
            qs = [q for q in queries
                  if split in ("all", q["split"]) and qtype in ("all", q["type"])]
            if qs:
                groups.append((split, qtype, qs))
    for split, qtype, qs in groups:
        cells = []
        for s in names:
            m = [per[s][q["id"]] for q in qs]
            nd = [x["ndcg"] for x in m if x["ndcg"] is not None]
            cells += [f"{sum(nd) / len(nd):.3f}" if nd else "–",
                      f"{sum(x['p10'] for x in m) / len(m):.3f}",
                      f"{sum(x['empty'] for x in m)}/{len(m)}"]
        bold = "**" if qtype == "all" else ""
        lines.append(f"| {bold}{split}{bold} | {bold}{qtype}{bold} | {len(qs)} | "
                     + " | ".join(cells) + " |")
    unjudged = {s: sum(per[s][q["id"]]["unjudged"] for q in queries) for s in names}
    starved = [q["id"] for q in queries
               if per[names[0]][q["id"]]["empty"] and any(
                   per[s][q["id"]]["any_relevant"] for s in names[1:])]
    no_rel = [q["id"] for q in queries if not any(g >= 1 for g in grades.get(q["id"], {}).values())]
    lines.append("")
    lines.append(f"Unjudged hits in the top 10 (counted as 0): {unjudged}. "
                 f"Queries with no article judged relevant (left out of nDCG): {no_rel or 'none'}. "
                 f"Empty pages of {names[0]} where another system finds a relevant article: "
                 f"{starved or 'none'}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.relevance")
    ap.add_argument("command", choices=["pool", "eval", "show"])
    ap.add_argument("qid", nargs="?")
    ap.add_argument("--label", default="service", help="name of the service's saved run")
    ap.add_argument("--pool", default="", help="more saved runs to pool, comma-separated")
    ap.add_argument("--splits", default="",
                    help="only the queries of these splits, comma-separated (default: all)")
    ap.add_argument("--saved", action="store_true",
                    help="evaluate the saved run of --label instead of running the service")
    args = ap.parse_args(argv)
    queries = read_queries()
    if args.splits:
        queries = [q for q in queries if q["split"] in args.splits.split(",")]
    docs = corpus()
    # Opening the index loads its byline names into the word segmenter, as the service
    # has them: the baseline's words are then the service's words, whatever the order.
    engine_for_words = service_engine()
    del engine_for_words
    by_id = {d["id"]: d for d in docs}
    grades = read_judgments()
    if args.saved:
        service = load_run(args.label)
    else:
        service = service_runs(queries)
        save_run(args.label, service)
    baseline = baseline_runs(queries, docs)
    if not args.splits:
        save_run("bm25", baseline)
    if args.command == "pool":
        extra = [load_run(x) for x in args.pool.split(",") if x]
        for q in queries:
            pooled = dict.fromkeys(service[q["id"]] + baseline[q["id"]]
                                   + [d for r in extra for d in r.get(q["id"], [])])
            for doc in sorted(pooled):  # by id: no system's rank beside an article
                if doc not in grades.get(q["id"], {}):
                    art = by_id[doc]
                    lead = art["body"].replace("\n", " ")[:160]
                    print(f"{q['id']}\t{doc}\t{q['query']} | {q['intent']}\t{art['title']}\t{lead}")
        return 0
    if args.command == "show":
        q = next(q for q in queries if q["id"] == args.qid)
        for name, run in (("service", service), ("bm25", baseline)):
            print(f"== {name}: {q['query']}")
            for doc in run[q["id"]]:
                print(f"  {grades.get(q['id'], {}).get(doc, '?')}  {doc}  {by_id[doc]['title']}")
        return 0
    print(table(queries, {args.label: service, "bm25": baseline}, grades))
    return 0


if __name__ == "__main__":
    sys.exit(main())
