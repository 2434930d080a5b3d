"""Did-you-mean quality, synonym recall and the new endpoints' latency (issue 11).

Usage::

    .venv/bin/python -m bench.understand --index-dir DIR [--corpus FILE] [--append bench/RESULTS.md]

The judged set is built from the corpus: title words (2-4 characters, in at least
three articles) with one character replaced by a homophone (pypinyin) or a
look-alike, kept only if no article contains the result; the answer is the
original word.  The same words uncorrupted are the queries that need no
proposal.  Latencies are in-process (engine calls, no HTTP), with ordinary
queries timed in the same run as the baseline; the figures are ratios to it.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from search.engine import Engine, SearchRequest
from search.text.analysis import words
from search.understanding.default_synonyms import DEFAULT_SYNONYMS
from search.understanding.didyoumean import _shape_groups, _sound_groups_of
from search.understanding.intent import vocabulary_of
from search.understanding.related import related
from search.understanding.suggest import prefixes_of, suggest
from search.understanding.synonyms import parse_synonyms

from .report import publish

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "pd1998-01-a.jsonl"


def _search(engine: Engine, q: str, synonyms: bool = True) -> dict:
    req = SearchRequest.from_params(q)
    req.synonyms = synonyms
    return engine.search(req)


def judged_set(engine: Engine, docs: list[dict], size: int, seed: int) -> list[tuple[str, str]]:
    """(corrupted, original) pairs; the corrupted form occurs in no article."""
    rng = random.Random(seed)
    shapes = _shape_groups()
    chars = set("".join(d["title"] + d["body"] for d in docs))
    vocab = sorted({w for d in docs for w in words(d["title"])
                    if 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w)})
    rng.shuffle(vocab)
    pairs: list[tuple[str, str]] = []
    for w in vocab:
        if len(pairs) >= size:
            break
        if _search(engine, f'"{w}"')["total"] < 3:
            continue
        i = rng.randrange(len(w))
        pool = _sound_groups_of(w[i]) if rng.random() < 0.75 else shapes.get(w[i], "")
        pool = sorted(c for c in pool if c != w[i] and c in chars)
        if not pool:
            continue
        bad = w[:i] + rng.choice(pool) + w[i + 1:]
        if _search(engine, f'"{bad}"')["total"] == 0:
            pairs.append((bad, w))
    return pairs


def quality(engine: Engine, docs: list[dict], size: int, seed: int) -> dict:
    pairs = judged_set(engine, docs, size, seed)
    right = sum(_search(engine, bad).get("suggestion") == good for bad, good in pairs)
    false = sum("suggestion" in _search(engine, good) for _, good in pairs)
    table = parse_synonyms(DEFAULT_SYNONYMS, "default")
    without = sum(_search(engine, t, False)["total"] for t in table.groups)
    with_syn = sum(_search(engine, t)["total"] for t in table.groups)
    return {"judged": len(pairs), "right": right, "false": false, "terms": len(table.groups),
            "without": without, "with": with_syn}


def _p(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * q))]


def _timed(f) -> float:
    t = time.perf_counter()
    f()
    return (time.perf_counter() - t) * 1000


def latency(engine: Engine, seed: int) -> dict:
    st = engine.state()
    build = {"vocabulary": _timed(lambda: vocabulary_of(st)),
             "suggest tables": _timed(lambda: prefixes_of(st))}
    rng = random.Random(seed)
    title_words = sorted(vocabulary_of(st).title_words)
    typed = [w[: rng.randint(1, len(w))] for w in rng.sample(title_words, 200)]
    typed += ["lxx", "gongj", "jingji", "zh", "liu"] * 10
    with st.view.io_lock:
        ids = [st.searcher.stored_fields(d)["id"]
               for d in rng.sample(range(st.searcher.doc_count_all()), 100)]

    def fresh(q: str) -> None:
        engine._results = type(engine._results)(256)  # noqa: SLF001 - time the search, not the cache
        engine.search(SearchRequest.from_params(q))

    plain = ["经济", "改革 开放", '"精神文明"', "中国 -美国", "工匠", "劳动 模范"] * 10
    slips = ["公匠精神", "工匠精紳", "工精神", "劳动模饭", "人民日保", "国务院总里"] * 10
    times = {"ordinary query": [_timed(lambda q=q: fresh(q)) for q in plain],
             "query with a slip": [_timed(lambda q=q: fresh(q)) for q in slips],
             "/api/suggest": [_timed(lambda q=q: suggest(st, q, 8)) for q in typed],
             "related": [_timed(lambda i=i: related(st, i, 5)) for i in ids]}
    return {"docs": st.arrays.doc_count, "build": build,
            "p50": {k: _p(v, 0.5) for k, v in times.items()},
            "p95": {k: _p(v, 0.95) for k, v in times.items()}}


def report(q: dict | None, lat: dict) -> str:
    lines = [f"## Did-you-mean, synonyms, suggest, related (issue 11; {lat['docs']:,} articles, "
             f"{time.strftime('%Y-%m-%d %H:%M')})", ""]
    if q:
        lines += [f"- Judged set: {q['judged']} title words with one homophone or look-alike "
                  f"slip that no article contains: **{q['right'] / q['judged']:.1%}** right "
                  f"proposals; the same words uncorrupted got **{q['false']}** proposals "
                  f"({q['false'] / q['judged']:.1%}).",
                  f"- Synonyms: the {q['terms']} terms of the default list find "
                  f"{q['with']:,} articles with synonyms, {q['without']:,} without.", ""]
    base = lat["p50"]["ordinary query"]
    lines += ["| in-process | p50 ms | p95 ms | p50 ÷ ordinary query |", "|---|---:|---:|---:|"]
    for k in lat["p50"]:
        lines.append(f"| {k} | {lat['p50'][k]:.1f} | {lat['p95'][k]:.1f} | "
                     f"{lat['p50'][k] / base:.2f} |")
    lines += ["", "Built once per index generation, on first use: "
              + ", ".join(f"{k} {v / 1000:.1f} s" for k, v in lat["build"].items()) + ".", ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index-dir", required=True)
    ap.add_argument("--corpus", default=None, help="JSON Lines the index holds: builds the "
                    "judged set (default: none, latency only)")
    ap.add_argument("--size", type=int, default=200)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--append", default=None, metavar="RESULTS.md")
    args = ap.parse_args()
    engine = Engine(args.index_dir)
    lat = latency(engine, args.seed)  # first: it times building the tables
    q = None
    if args.corpus:
        with open(args.corpus, encoding="utf-8") as fh:
            docs = [json.loads(line) for line in fh]
        q = quality(engine, docs, args.size, args.seed)
    text = report(q, lat)
    publish(text, args.append)


if __name__ == "__main__":
    main()
