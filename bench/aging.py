"""Ten years of daily imports: is day 3,650 as fast as day one?  (issue 14)

    .venv/bin/python -m bench.aging --base-index bench/out/idx-trends-300000 \\
        --base-corpus bench/out/corpus-300000-s1998.jsonl --days 3650 --append bench/RESULTS.md
    .venv/bin/python -m bench.aging --base 20000 --days 730 --every 365   # a quick run

From a base archive (a copy of ``--base-index``, or ``--base`` articles imported fresh),
each simulated day imports ``--per-day`` new articles (in-process, as ``unionsearch index``
does after its start-up), every tenth day re-imports one older article corrected, and
every thirtieth deletes two.  Merges run as in production: small ones inside the import,
large ones in the background process the import starts.  Every ``--every`` days (merges
finished first) it records the segment count, the index size, the daily import times of
the period, and the query mix over HTTP: cold (a new server, each query once) and warm
(the same queries again).  At the end every daily article must be in the index exactly
once and a sample found by phrase, and the same articles are rebuilt fresh (then merged
by the same policy) and measured the same way: the aged index's p95 against the fresh one's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import time
from pathlib import Path

from indexer.readers import read
from indexer.writer import delete_ids, import_items
from search.engine import Engine, SearchRequest
from search.storage.store import Store
from search.text.normalize import squash

from . import corpus, queries
from .report import publish
from .target import Server, evict_page_cache, import_file, settle_merges
from .timing import percentile

SEED = 1998
START = dt.date(2025, 1, 1)


def _log(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _segments(index_dir: Path) -> int:
    return len(Store.open(str(index_dir)).committed())


def time_mix(index_dir: Path, mix: list[queries.BenchQuery]) -> dict:
    """Cold (the index's files out of the page cache, a new server, each query once) and
    warm (again) latencies over HTTP, in ms."""
    from urllib.parse import urlencode

    out = {}
    evict_page_cache(index_dir)
    with Server(index_dir) as server:
        for kind in ("cold", "warm"):
            took = []
            for q in mix:
                started = time.perf_counter()
                status, _ = server.get("/api/search?" + urlencode(q.params()))
                took.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    raise RuntimeError(f"{q.q!r}: HTTP {status}")
            out[kind] = {"p50": percentile(took, 50), "p95": percentile(took, 95)}
        out["rss_mb"] = server.rss_mb()
    return out


class Archive:
    """The simulated archive: its folder, the daily articles live in it, the timings."""

    def __init__(self, index_dir: Path, work: Path, per_day: int, seed: int):
        self.index_dir, self.work, self.per_day = index_dir, work, per_day
        self.gen = corpus.Generator(corpus.Source(), seed + 31)
        self.rng = random.Random(seed)
        self.live: dict[str, dict] = {}
        self.import_s: list[float] = []

    def day(self, n: int) -> None:
        """One day's import: new articles, sometimes a correction, sometimes deletes."""
        date = START + dt.timedelta(days=n)
        rows = [self.gen.article(f"day-{n:05d}-{i:03d}", date, 1 + i * 8 // self.per_day)
                for i in range(self.per_day)]
        if n % 10 == 9 and self.live:
            old = dict(self.live[self.rng.choice(sorted(self.live)[-5000:])])
            old["title"] = "更正：" + old["title"]
            rows.append(old)
        path = self.work / "day.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                        encoding="utf-8")
        started = time.perf_counter()
        summary = import_items(str(self.index_dir), read([str(path)]))
        if n % 30 == 29 and len(self.live) > 100:
            gone = self.rng.sample(sorted(self.live)[:-100], 2)
            delete_ids(str(self.index_dir), gone)
            for art_id in gone:
                self.live.pop(art_id)
        self.import_s.append(time.perf_counter() - started)
        if summary.rejected:
            raise RuntimeError(f"day {n}: {summary.rejected[:3]}")
        self.live.update({r["id"]: r for r in rows})


def check_each_once(index_dir: Path, live: dict[str, dict], sample: int, seed: int) -> dict:
    """Every daily article once; for a sample, a phrase of its body searched on its date
    finds exactly the articles a scan of that day's articles finds (dates after the base
    archive's: the day's daily articles are all there is to scan)."""
    engine = Engine(str(index_dir))
    searcher = engine.searcher()
    wrong = [i for i in live if len(list(searcher.document_numbers(id=i))) != 1]
    by_date: dict[str, list[dict]] = {}
    for row in live.values():
        by_date.setdefault(row["date"], []).append(row)
    rng = random.Random(seed)
    candidates = sorted(i for i in live if len(squash(live[i]["body"])) >= 30)
    picked = rng.sample(candidates, min(sample, len(candidates)))
    missed = 0
    for art_id in picked:
        row = live[art_id]
        body = squash(row["body"])
        at = rng.randrange(0, len(body) - 12)
        phrase = body[at:at + 12]
        req = SearchRequest.from_params(f'"{phrase}"', date_from=row["date"],
                                        date_to=row["date"], size="100")
        found = {h["id"] for h in engine.search(req)["hits"]}
        scan = {r["id"] for r in by_date[row["date"]]
                if phrase in squash(r["title"]) or phrase in squash(r["body"])}
        missed += int(found != scan)
    return {"not_once": len(wrong), "phrase_sample": len(picked), "phrase_missed": missed}


def checkpoint(archive: Archive, day: int, mix: list) -> dict:
    settle_merges(archive.index_dir)
    times = archive.import_s
    row = {"day": day, "articles_added": len(archive.live),
           "segments": _segments(archive.index_dir),
           "index_mb": round(_dir_bytes(archive.index_dir) / 1e6, 1),
           "import_p50_s": percentile(times, 50), "import_p95_s": percentile(times, 95),
           "import_max_s": max(times) if times else None, **time_mix(archive.index_dir, mix)}
    archive.import_s = []
    _log(json.dumps(row))
    return row


def fresh_rebuild(archive: Archive, base_corpus: Path, work: Path, mix: list) -> dict:
    """The same articles imported into a new index, merged by the same policy, measured."""
    combined = work / "all.jsonl"
    with open(combined, "w", encoding="utf-8") as out:
        with open(base_corpus, encoding="utf-8") as fh:
            shutil.copyfileobj(fh, out)
        for row in archive.live.values():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    fresh = work / "fresh"
    run = import_file(str(combined), fresh, 0)
    settle_merges(fresh)
    row = {"import_s": round(run.seconds, 1), "segments": _segments(fresh),
           "index_mb": round(_dir_bytes(fresh) / 1e6, 1), **time_mix(fresh, mix)}
    _log("fresh " + json.dumps(row))
    return row


def side_by_side(aged: Path, fresh: Path, mix: list, rounds: int = 3) -> list[dict]:
    """The aged and the fresh index timed in turn, each cold, ``rounds`` times: one pass
    of a hundred queries moves by 20% at p95 on this machine from run to run."""
    out = []
    for _ in range(rounds):
        a, f = time_mix(aged, mix), time_mix(fresh, mix)
        out.append({"aged_p95": a["cold"]["p95"], "fresh_p95": f["cold"]["p95"],
                    "aged_p50": a["cold"]["p50"], "fresh_p50": f["cold"]["p50"],
                    "ratio_p95": a["cold"]["p95"] / f["cold"]["p95"]})
        _log("side by side " + json.dumps(out[-1]))
    return out


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def report(rows: list[dict], fresh: dict, check: dict, args: argparse.Namespace,
           pairs: list[dict] | None = None) -> str:
    last = rows[-1]
    lines = [f"## Aging: {args.days} daily imports of {args.per_day} "
             f"({time.strftime('%Y-%m-%d %H:%M')}, base {args.base_label})", "",
             "`python -m bench.aging`: daily imports in-process with merges as in production "
             "(small ones inline, large ones in the background process the import starts); "
             f"load average at the start {os.getloadavg()[0]:.2f}.", "",
             "| day | segments | index MB | import p50 / p95 / max s | cold p50 / p95 ms "
             "| warm p50 / p95 ms | server MB |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['day']} | {r['segments']} | {r['index_mb']} | "
                     f"{_s(r['import_p50_s'])} / {_s(r['import_p95_s'])} / "
                     f"{_s(r['import_max_s'])} | {r['cold']['p50']:.1f} / "
                     f"{r['cold']['p95']:.1f} | {r['warm']['p50']:.1f} / "
                     f"{r['warm']['p95']:.1f} | {r['rss_mb'] or 0:.0f} |")
    lines.append(f"| fresh rebuild ({fresh['import_s']} s) | {fresh['segments']} | "
                 f"{fresh['index_mb']} | – | {fresh['cold']['p50']:.1f} / "
                 f"{fresh['cold']['p95']:.1f} | {fresh['warm']['p50']:.1f} / "
                 f"{fresh['warm']['p95']:.1f} | {fresh['rss_mb'] or 0:.0f} |")
    ratio = last["cold"]["p95"] / fresh["cold"]["p95"]
    lines += ["", f"Aged ÷ fresh, cold p95: **{ratio:.2f}** (target ≤ 1.20). "
              f"Daily articles not exactly once: {check['not_once']}; phrase sample "
              f"{check['phrase_sample']}, missed {check['phrase_missed']}.", ""]
    if pairs:
        ratios = sorted(p["ratio_p95"] for p in pairs)
        lines += ["Side by side at the end (each index cold in turn): cold p95 aged / fresh "
                  + ", ".join(f"{p['aged_p95']:.1f} / {p['fresh_p95']:.1f} ms "
                              f"({p['ratio_p95']:.2f})" for p in pairs)
                  + f"; median ratio **{ratios[len(ratios) // 2]:.2f}**.", ""]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--base-index", type=Path, help="copy this index as the base archive")
    p.add_argument("--base-corpus", type=Path, help="the articles of --base-index")
    p.add_argument("--base", type=int, default=20000, help="else import this many")
    p.add_argument("--days", type=int, default=3650)
    p.add_argument("--per-day", type=int, default=60)
    p.add_argument("--every", type=int, default=365)
    p.add_argument("--per-class", type=int, default=20)
    p.add_argument("--work", type=Path, default=Path("bench/out/aging"))
    p.add_argument("--append", type=Path)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("UNIONSEARCH_MERGE_BESIDE", "1")
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    index_dir = args.work / "idx"
    if args.base_index:
        shutil.copytree(args.base_index, index_dir, ignore=shutil.ignore_patterns("staging"))
        base_corpus, args.base_label = args.base_corpus, f"copy of {args.base_index.name}"
    else:
        info = corpus.ensure(Path("bench/out"), args.base, SEED)
        base_corpus, args.base_label = Path(info.path), f"{args.base:,} articles"
        import_file(info.path, index_dir, args.base)
    mix, _ = queries.build(base_corpus, SEED, args.per_class)
    archive = Archive(index_dir, args.work, args.per_day, SEED)
    rows = [checkpoint(archive, 0, mix)]
    for n in range(args.days):
        archive.day(n)
        if (n + 1) % args.every == 0 or n + 1 == args.days:
            rows.append(checkpoint(archive, n + 1, mix))
    check = check_each_once(index_dir, archive.live, 200, SEED)
    _log(json.dumps(check))
    fresh = fresh_rebuild(archive, base_corpus, args.work, mix)
    pairs = side_by_side(index_dir, args.work / "fresh", mix)
    text = report(rows, fresh, check, args, pairs)
    publish(text, args.append)


if __name__ == "__main__":
    main()
