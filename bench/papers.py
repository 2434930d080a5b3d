"""What papers cost: searches with and without a paper filter, a feed, a repeated feed (304).

The test corpus (tests/data/pd1998-01-a.jsonl) imported as two papers (articles by line
parity), then each query of a fixed list run ``--rounds`` times per form, medians reported.
Small on purpose (a shared machine); figures go into bench/RESULTS.md.

    .venv/bin/python -m bench.papers
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from indexer.readers import read
from indexer.records import Loaded
from indexer.writer import import_items
from search.engine import Engine
from search.results import run
from search.retrieval.request import SearchRequest
from web.app import create_app

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "data" / "pd1998-01-a.jsonl"
QUERIES = ["工人", "工会", "经济", "\"改革开放\"", "职工 住房", "企业", "下岗", "农民"]


def _median_ms(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        idx = str(Path(tmp) / "idx")
        items = [it for it in read([str(CORPUS)]) if isinstance(it, Loaded)]
        for n, it in enumerate(items):
            it.article.paper = "ldwb" if n % 2 else "ldb"
        import_items(idx, items)
        engine = Engine(idx)
        out = {}
        # results.run, not Engine.search: the result cache would answer the repeats
        st, table = engine.state(), engine.synonyms.current()
        for label, papers in (("no filter", []), ("paper=ldwb", ["ldwb"])):
            per = [_median_ms(lambda q=q, p=papers: run(st, SearchRequest.from_params(
                q, papers=p), table), args.rounds) for q in QUERIES]
            out[label] = round(statistics.median(per), 2)
        client = create_app(index_dir=idx).test_client()
        first = client.get("/feed.atom?q=工人")
        etag = first.headers["ETag"]
        fresh = iter(range(10**6))  # another date each time: never a cached result
        out["feed 200"] = round(_median_ms(lambda: client.get(
            f"/feed.atom?q=工人&to=1998-01-{1 + next(fresh) % 28:02d}"), args.rounds), 2)
        out["feed 304"] = round(_median_ms(lambda: client.get(
            "/feed.atom?q=工人", headers={"If-None-Match": etag}), args.rounds), 2)
        out["articles"] = len(items)
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
