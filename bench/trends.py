"""Trends and export against search, in the same run: what a chart and a spreadsheet cost.

    .venv/bin/python -m bench.trends --size 20000            # ≈ 2 min with the import
    .venv/bin/python -m bench.trends --size 300000 --per-class 30

For every query of the usual mix (``bench.queries``, each distinct, so no cache helps) it
times ``GET /api/search`` and ``GET /api/trends`` with the same query and filters, in
alternating order, against one ``unionsearch serve``; the trend's cost is reported as a ratio
to the search's (the issue's target: p95 ≤ 100 ms at 300,000 articles, "no more than a
search").  Then it exports a small and a large result (CSV and .xlsx) and reads the server's
peak resident memory after each: streaming means the large export adds next to nothing.
Figures are appended to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
from pathlib import Path
from urllib.parse import urlencode

from . import corpus, queries
from .target import Server, import_file
from .timing import percentile

SEED = 1998


def _timed(server: Server, path: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    status, body = server.get(path)
    took = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"{path}: HTTP {status}: {body[:200]!r}")
    return took, body


def time_queries(server: Server, mix: list[queries.BenchQuery]) -> dict[str, dict]:
    """Per class and overall: search and trend latencies (ms), and the trend's count check."""
    out: dict[str, dict] = {}
    for n, q in enumerate(mix):
        params = q.params()
        params.pop("sort", None)
        search_path = "/api/search?" + urlencode(params)
        trend_path = "/api/trends?" + urlencode(params)
        order = [("search", search_path), ("trend", trend_path)]
        if n % 2:
            order.reverse()
        took = {}
        for kind, path in order:
            took[kind], body = _timed(server, path)
            took[kind + "_body"] = json.loads(body)
        total = took["search_body"]["total"]
        counted = sum(took["trend_body"]["series"][0]["counts"])
        for key in (q.cls, "all"):
            row = out.setdefault(key, {"search": [], "trend": [], "mismatches": 0})
            row["search"].append(took["search"])
            row["trend"].append(took["trend"])
            row["mismatches"] += int(counted != total)
    return out


def _range_of(server: Server, rows: int) -> tuple[str, str, int]:
    """The first dates of the archive holding close to ``rows`` articles: (from, to, count)."""
    _, body = server.get("/api/issues")
    days = [d for y in reversed(json.loads(body)["years"]) for m in y["months"] for d in m["days"]]
    count, last = 0, days[0]["date"]
    for day in days:
        if count + day["count"] > rows:
            break
        count += day["count"]
        last = day["date"]
    return days[0]["date"], last, count


def export_memory(server: Server) -> list[dict]:
    """Peak server memory (VmHWM) after exports of about 1,000 and then about 10,000 rows."""
    out = []
    before = server.rss_mb()
    for rows in (1000, 10_000):
        lo, hi, count = _range_of(server, rows)
        for kind in ("csv", "xlsx"):
            took, body = _timed(server, f"/export.{kind}?" + urlencode({"from": lo, "to": hi}))
            out.append({"kind": kind, "rows": count, "bytes": len(body), "seconds": took / 1000,
                        "peak_mb": server.rss_mb(), "peak_before_mb": before})
    return out


def _fmt(values: list[float], p: float) -> str:
    v = percentile(values, p)
    return "–" if v is None else f"{v:.1f}"


def report(size: int, timings: dict[str, dict], exports: list[dict], load: tuple) -> str:
    """The RESULTS.md section."""
    lines = [f"\n## Trends and export ({dt.datetime.now():%Y-%m-%d %H:%M}, {size:,} articles)\n",
             "`python -m bench.trends`: each query of the mix timed once as `/api/search` and "
             "once as `/api/trends` (same query and filters, alternating order, one server). "
             f"Load average at start {load[0]:.2f}.\n",
             "| class | n | search p50 / p95 ms | trend p50 / p95 ms | trend ÷ search (p50) "
             "| trend sum ≠ total |", "|---|---:|---:|---:|---:|---:|"]
    for cls in sorted(timings, key=lambda c: (c == "all", c)):
        t = timings[cls]
        ratio = percentile(t["trend"], 50) / max(percentile(t["search"], 50), 1e-6)
        lines.append(f"| {cls} | {len(t['search'])} | {_fmt(t['search'], 50)} / "
                     f"{_fmt(t['search'], 95)} | {_fmt(t['trend'], 50)} / {_fmt(t['trend'], 95)} "
                     f"| {ratio:.2f} | {t['mismatches']} |")
    lines += ["", "Export: the server's peak resident memory (VmHWM) after each export, "
              f"from {exports[0]['peak_before_mb']:.0f} MB before the first.\n",
              "| export | rows | file | time | server peak after |", "|---|---:|---:|---:|---:|"]
    for e in exports:
        lines.append(f"| {e['kind']} | {e['rows']:,} | {e['bytes'] / 1e6:.1f} MB | "
                     f"{e['seconds']:.1f} s | {e['peak_mb']:.0f} MB |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=20_000)
    ap.add_argument("--per-class", type=int, default=40)
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--results", default="bench/RESULTS.md")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    info = corpus.ensure(out, args.size, SEED)
    idx = out / f"idx-trends-{args.size}"
    if not idx.exists():
        import_file(info.path, idx, args.size)
    mix, warm = queries.build(info.path, SEED, args.per_class, warm_per_class=3)
    with Server(idx) as server:
        for q in warm:
            server.get("/api/search?" + urlencode(q.params()))
        timings = time_queries(server, mix)
        exports = export_memory(server)
    text = report(args.size, timings, exports, load)
    print(text)
    with open(args.results, "a", encoding="utf-8") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
