"""Turning a run's raw results into the dated markdown section of RESULTS.md.

Ratios are always *unionsearch ÷ baseline*: for latencies above 1× means
unionsearch is slower, for throughput below 1× means it is slower.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .queries import CLASSES

GB = 1024  # MB


def publish(text: str, append: Path | None) -> None:
    """Print a section, and add it to ``append`` (``bench/RESULTS.md``) when given."""
    print(text)
    if append:
        with open(append, "a", encoding="utf-8") as fh:
            fh.write("\n" + text)


def _t(name: str, goal: str, value, met: bool | None) -> dict:
    return {"name": name, "target": goal, "value": value, "met": met}


def targets(size: dict) -> list[dict]:
    """The issue's targets for this size, each marked met/missed (none for other sizes)."""
    us = size["unionsearch"]
    q, imp, daily = us["queries"], us["import"], us["daily"]
    out = []
    peak_import = max(imp["peak_rss_mb"], imp["peak_tree_mb"])
    if size["n"] == 20_000:
        out.append(_t("p95 over the whole mix", "≤ 100 ms", q["mix"]["p95"],
                      q["mix"]["p95"] <= 100))
        out.append(_t("import", "≥ 250 articles/s", imp["articles_per_s"],
                      imp["articles_per_s"] >= 250))
    elif size["n"] == 300_000:
        for cls in CLASSES:
            if cls in q:
                out.append(_t(f"{cls} p95", "≤ 300 ms", q[cls]["p95"], q[cls]["p95"] <= 300))
                out.append(_t(f"{cls} p50", "≤ 50 ms", q[cls]["p50"], q[cls]["p50"] <= 50))
        out += [
            _t("import", "≥ 250 articles/s", imp["articles_per_s"],
               imp["articles_per_s"] >= 250),
            _t("peak import memory (process tree)", "≤ 2 GB", peak_import,
               peak_import <= 2 * GB),
            _t("index size", "≤ 4× text", imp["index_ratio"], imp["index_ratio"] <= 4),
            _t("server RSS", "≤ 1 GB", us["server"]["peak_rss_mb"],
               us["server"]["peak_rss_mb"] is not None
               and us["server"]["peak_rss_mb"] <= GB),
            _t("daily import", "≤ 5 s", daily["import_seconds"], daily["import_seconds"] <= 5),
            _t("daily visible", "≤ 2 s", daily["visible_after_seconds"],
               daily["visible_after_seconds"] is not None
               and daily["visible_after_seconds"] <= 2),
        ]
    return out


def _num(x, digits: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return f"{x:,}"


def _ratio(a, b) -> str:
    if a is None or not b:
        return "–"
    r = a / b
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def _machine(m: dict) -> list[str]:
    pk = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    load = ", ".join(f"{x:.2f}" for x in m["loadavg_at_start"])
    mod = ", ".join(m["engine_files_modified"]) or "none"
    return [
        f"- Machine: {m['cpu']} × {m['cpus']} CPUs, {m['ram_gb']} GB RAM, "
        f"Python {m['python']}, {m['platform']}",
        f"- Packages: {pk}",
        f"- Code: git {m['git_commit']}; engine files with uncommitted edits at start: {mod}",
        f"- Load average at start: {load} (other work on the machine adds noise)",
    ]


def _import_table(size: dict) -> list[str]:
    us = size["unionsearch"]["import"]
    rows = [("unionsearch", us)] + [(k, v["import"]) for k, v in size["baselines"].items()]
    lines = [
        "| engine | articles | articles/s | MB/s text | index MB | × text | peak RSS MB "
        "(largest process) | peak MB (process tree, PSS) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, f in rows:
        f = {**f, "index_mb": f["index_bytes"] / 1e6}
        ref = {**us, "index_mb": us["index_bytes"] / 1e6}

        def cell(key: str, digits: int = 1, f=f, ref=ref, base=name != "unionsearch") -> str:
            v = _num(f[key], digits)
            return f"{v} ({_ratio(ref[key], f[key])})" if base else v

        lines.append(f"| {name} | {f['articles']:,} | {cell('articles_per_s')} | "
                     f"{cell('mb_per_s', 2)} | {cell('index_mb')} | {cell('index_ratio', 2)} | "
                     f"{cell('peak_rss_mb', 0)} | {cell('peak_tree_mb', 0)} |")
    return lines


def _ms3(d: dict) -> str:
    return " / ".join(_num(d[p]) for p in ("p50", "p95", "p99"))


def _ratio3(us: dict, b: dict) -> str:
    return " / ".join(_ratio(us[p], b[p]) for p in ("p50", "p95", "p99"))


def _query_table(size: dict) -> list[str]:
    uq = size["unionsearch"]["queries"]
    bases = list(size["baselines"].items())
    head = "| class | unionsearch ms p50 / p95 / p99 | engine took_ms p50 / p95 | hits |"
    rule = "|---|---:|---:|---:|"
    for name, _ in bases:
        head += f" {name} ms p50 / p95 / p99 | ÷ {name} | hits |"
        rule += "---:|---:|---:|"
    lines = [head, rule]
    for cls in [*CLASSES, "mix"]:
        if cls not in uq:
            continue
        u = uq[cls]
        eng = u.get("engine") or {}
        row = (f"| {cls} | {_ms3(u)} | {_num(eng.get('p50'))} / {_num(eng.get('p95'))} | "
               f"{_num(u['mean_hits'], 0)} |")
        for _, b in bases:
            bq = b["queries"].get(cls)
            row += (f" {_ms3(bq)} | {_ratio3(u, bq)} | {_num(bq['mean_hits'], 0)} |"
                    if bq else " – | – | – |")
        lines.append(row)
    return lines


def section(run: dict, raw: Path) -> str:
    """One dated section of RESULTS.md for a whole run."""
    started = run["sizes"][0]["started"] if run["sizes"] else None
    when = (dt.datetime.fromisoformat(started) if started else dt.datetime.now()).strftime(
        "%Y-%m-%d %H:%M")
    sizes = ", ".join(f"{s['n']:,}" for s in run["sizes"])
    out = [f"## {when} — N = {sizes}", ""]
    out += _machine(run["machine"])
    out += [f"- Raw results: `{raw.name}` (in bench/out/, not committed)", ""]
    for size in run["sizes"]:
        out += _size_section(run, size)
    return "\n".join(out) + "\n"


def _size_section(run: dict, size: dict) -> list[str]:
    n = size["n"]
    out = [f"### N = {n:,}", ""]
    c = size["corpus"]
    out.append(f"Corpus: {c['articles']:,} articles, {c['text_bytes'] / 1e6:.1f} MB of "
               f"title+body text, {c['first_date']} … {c['last_date']} (seed {c['seed']}); "
               f"{size['per_class']} queries per class, run interleaved after a warm-up; "
               f"run took {size['seconds'] / 60:.1f} min.")
    if size.get("loadavg"):
        out.append("Load average (1 min) at start / after unionsearch / at end: " + " / ".join(
            f"{v[0]:.1f}" for v in size["loadavg"].values())
            + f" on {run['machine']['cpus']} CPUs.")
    if size["baseline_articles"] < n:
        out.append(f"**Baselines were built on the first {size['baseline_articles']:,} "
                   f"articles only** (`--baseline-max`): their figures are for a smaller "
                   f"index, so the ratios flatter them.")
    out += ["", "**Import** (ratio = unionsearch ÷ baseline)", ""]
    out += _import_table(size)
    out += ["", "**Queries** — unionsearch over HTTP (one keep-alive connection: HTTP, "
            "Flask and JSON included; `took_ms` is the engine's own time), baselines "
            "in-process. Ratio = unionsearch ÷ baseline (above 1× = unionsearch slower). "
            "`hits` is the mean total per query: it shows what each engine actually "
            "matched (word-based baselines miss phrases cut across jieba words).", ""]
    out += _query_table(size)
    errors = [(eng, cls, e) for eng, qd in
              [("unionsearch", size["unionsearch"]["queries"]),
               *((k, v["queries"]) for k, v in size["baselines"].items())]
              for cls, d in qd.items() for e in d.get("errors") or ()]
    if errors:
        out += ["", f"**{len(errors)} queries failed** (not timed), e.g.:", ""]
        out += [f"- {eng} / {cls}: `{e}`" for eng, cls, e in errors[:10]]
    out += _service_table(size["unionsearch"])
    tg = size["targets"]
    if tg:
        out += ["**Targets**", "", "| target | goal | measured | |", "|---|---|---:|---|"]
        for t in tg:
            mark = "met" if t["met"] else "**missed**"
            out.append(f"| {t['name']} | {t['target']} | {_num(t['value'], 1)} | {mark} |")
    else:
        out.append("No targets are set for this size.")
    out.append("")
    return out


def _service_table(us: dict) -> list[str]:
    d, srv = us["daily"], us["server"]
    return ["", "**Daily import and service**", "",
            "| figure | value |", "|---|---:|",
            f"| daily import ({d['articles']} articles into the served index) | "
            f"{_num(d['import_seconds'], 2)} s |",
            f"| visible in /api/search after the import exits | "
            f"{_num(d['visible_after_seconds'], 2)} s |",
            f"| first query that sees the new commit / the next one | "
            f"{_num(d['first_query_ms'])} ms / {_num(d['next_query_ms'])} ms |",
            f"| daily import peak RSS (largest process / process tree) | "
            f"{_num(d['import_peak_rss_mb'], 0)} MB / "
            f"{_num(d['import_peak_tree_mb'], 0)} MB |",
            f"| server start-up (until /healthz answers) | "
            f"{_num(srv['startup_seconds'], 1)} s |",
            f"| server peak RSS (VmHWM) after queries / at the end | "
            f"{_num(srv['peak_rss_mb_after_queries'], 0)} MB / "
            f"{_num(srv['peak_rss_mb'], 0)} MB (process tree PSS peak "
            f"{_num(srv['peak_tree_mb'], 0)} MB) |", ""]


def main() -> None:
    """``python -m bench.report RAW.json [RESULTS.md]``: re-render a saved run."""
    import json
    import sys

    raw = Path(sys.argv[1])
    run = json.loads(raw.read_text(encoding="utf-8"))
    if len(sys.argv) > 2:
        append(Path(sys.argv[2]), run, raw)
    else:
        print(section(run, raw))


def append(path: Path, run: dict, raw: Path) -> None:
    text = section(run, raw)
    if not path.exists():
        path.write_text("# Benchmark results\n\nAppended by `python -m bench.run`; newest "
                        "last. See bench/README.md for what is measured.\n\n", encoding="utf-8")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
