"""``python -m bench.run --sizes 20000 [--sizes 100000 ...] [--out bench/out] [--quick]``

For each size: generate the corpus, import it with ``unionsearch index``,
serve it, wait until the service has built its suggestion tables (its CPU goes idle),
time the query classes over HTTP, import a day's articles into the
running service, then build and time the baselines on the same corpus and
queries.  Raw JSON goes to ``--out``; a dated section is appended to
bench/RESULTS.md (``--results``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

from . import corpus, machine, queries, report, target, timing
from .baselines import build_in_child, fts5, naive_whoosh, tantivy_bm25

HERE = Path(__file__).resolve().parent
BASELINES = {"fts5": fts5, "naive_whoosh": naive_whoosh, "tantivy": tantivy_bm25}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def text_bytes(path: str, limit: int | None) -> int:
    """UTF-8 bytes of title + body of the first ``limit`` articles."""
    total = 0
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            doc = json.loads(line)
            total += len(doc["title"].encode("utf-8")) + len(doc["body"].encode("utf-8"))
    return total


def import_figures(articles: int, seconds: float, text: int, index_bytes: int,
                   peak_rss_mb: float, peak_tree_mb: float) -> dict:
    return {"articles": articles, "seconds": seconds,
            "articles_per_s": articles / seconds, "mb_per_s": text / 1e6 / seconds,
            "text_bytes": text, "index_bytes": index_bytes,
            "index_ratio": index_bytes / text if text else None, "peak_rss_mb": peak_rss_mb,
            "peak_tree_mb": peak_tree_mb}


def run_unionsearch(info: corpus.CorpusInfo, daily: corpus.CorpusInfo, work: Path,
                    workload: list[queries.BenchQuery], warm: list[queries.BenchQuery]) -> dict:
    index_dir = work / f"idx-{info.articles}"
    log(f"unionsearch index: {info.articles} articles → {index_dir}")
    imp = target.import_file(info.path, index_dir, info.articles)
    figures = import_figures(info.articles, imp.seconds, info.text_bytes,
                             target.dir_bytes(index_dir), imp.peak_rss_mb, imp.peak_tree_mb)
    log(f"  {figures['articles_per_s']:.1f} articles/s, peak {imp.peak_rss_mb:.0f} MB "
        f"(process tree {imp.peak_tree_mb:.0f} MB)")
    figures["merges_settled_s"] = target.settle_merges(index_dir)
    figures["index_bytes_settled"] = target.dir_bytes(index_dir)
    figures["index_ratio_settled"] = figures["index_bytes_settled"] / info.text_bytes
    figures["segments"] = len(list(Path(index_dir).glob("*.usx")))
    log(f"  background merges done {figures['merges_settled_s']:.0f} s later: "
        f"{figures['segments']} segments, index {figures['index_ratio_settled']:.2f}× text")
    with target.Server(index_dir) as server:
        backend = target.HttpBackend(server)
        idle_wait = server.wait_idle()  # its background build done: not timed beside it
        log(f"serving on port {server.port} (up in {server.startup_seconds:.1f} s, idle "
            f"{idle_wait:.1f} s later); warm-up")
        timing.warm_up(backend, warm)
        log(f"timing {len(workload)} queries over HTTP")
        times = timing.measure(backend, workload)
        rss_after_queries = server.rss_mb()
        log("daily import into the running service")
        daily_run = target.daily_import(server, daily.path, str(index_dir), daily.articles,
                                        corpus.DAILY_DATE.isoformat())
    return {
        "import": {**figures, "summary": imp.summary},
        "server": {"startup_seconds": server.startup_seconds, "idle_wait_seconds": idle_wait,
                   "peak_rss_mb_after_queries": rss_after_queries,
                   "peak_rss_mb": server.peak_rss_mb,
                   "peak_tree_mb": server.peak_tree_mb},
        "queries": timing.digest(times),
        "daily": asdict(daily_run),
    }


def run_baseline(name: str, info: corpus.CorpusInfo, work: Path, limit: int | None,
                 workload: list[queries.BenchQuery], warm: list[queries.BenchQuery]) -> dict:
    module = BASELINES[name]
    path = work / (f"{name}-{info.articles}" + (".sqlite" if name == "fts5" else ""))
    log(f"baseline {name}: build" + (f" (first {limit} articles)" if limit else ""))
    built = build_in_child(module.__name__, info.path, path, limit)
    size = path.stat().st_size if path.is_file() else target.dir_bytes(path)
    figures = import_figures(built.articles, built.seconds, text_bytes(info.path, limit), size,
                             built.peak_rss_mb, built.peak_tree_mb)
    log(f"  {figures['articles_per_s']:.1f} articles/s; timing queries in-process")
    backend = module.Backend(str(path))
    timing.warm_up(backend, warm)
    return {"import": figures, "queries": timing.digest(timing.measure(backend, workload))}


def run_size(n: int, args: argparse.Namespace, out: Path) -> dict:
    started = dt.datetime.now()
    log(f"N={n}: corpus")
    source = corpus.Source()
    info = corpus.ensure(out, n, args.seed, source)
    daily = corpus.ensure_daily(out, args.seed, source)
    per_class = args.per_class or (10 if args.quick else 100)
    sample = queries.sample_articles(info.path, queries.SAMPLE_SIZE, args.seed)
    workload, warm = queries.build(info.path, args.seed, per_class, max(2, per_class // 10),
                                   sample)
    result: dict = {"n": n, "started": started.isoformat(timespec="seconds"),
                    "corpus": asdict(info), "daily_corpus": asdict(daily),
                    "per_class": per_class, "classes": queries.CLASSES,
                    "examples": queries.describe(workload)}
    load = {"start": os.getloadavg()}
    result["unionsearch"] = run_unionsearch(info, daily, out, workload, warm)
    load["after_unionsearch"] = os.getloadavg()
    limit = args.baseline_max if args.baseline_max and args.baseline_max < n else None
    result["baseline_articles"] = limit or n
    result["baselines"] = {name: run_baseline(name, info, out, limit, workload, warm)
                           for name in args.baselines}
    load["end"] = os.getloadavg()
    result["loadavg"] = load
    result["targets"] = report.targets(result)
    result["seconds"] = (dt.datetime.now() - started).total_seconds()
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, action="append", required=True,
                    help="corpus size (repeatable)")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="corpora, indexes, raw JSON")
    ap.add_argument("--results", type=Path, default=HERE / "RESULTS.md",
                    help="markdown file the dated section is appended to")
    ap.add_argument("--quick", action="store_true",
                    help="10 queries per class instead of 100 (for smoke tests)")
    ap.add_argument("--per-class", type=int, default=None, help="queries per class")
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--baseline-max", type=int, default=None,
                    help="build the baselines on the first N articles only")
    ap.add_argument("--baselines", default="fts5,naive_whoosh",
                    type=lambda s: [b for b in s.split(",") if b],
                    help="comma-separated: fts5, naive_whoosh, tantivy (empty for none; "
                         "tantivy needs the bench extra)")
    args = ap.parse_args(argv)
    unknown = set(args.baselines) - set(BASELINES)
    if unknown:
        ap.error(f"unknown baselines: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    run = {"machine": machine.describe(), "args": {k: str(v) for k, v in vars(args).items()},
           "sizes": []}
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    raw = args.out / f"results-{stamp}.json"
    for n in args.sizes:
        run["sizes"].append(run_size(n, args, args.out))
        raw.write_text(json.dumps(run, ensure_ascii=False, indent=1))
    report.append(args.results, run, raw)
    log(f"raw results: {raw}; report appended to {args.results}")


if __name__ == "__main__":
    main()
