"""``python -m bench.tantivy_compare CORPUS --sizes N [--rounds 2] [--import-rounds 1] [--out DIR]``

This service against tantivy over the same words, in the same run, by CPU time (the
machine may be shared: load inflates wall times much more than the CPU a job spends):

* import: ``unionsearch index`` (no background merge, ``UNIONSEARCH_MERGE_BESIDE=0``) and
  the tantivy baseline's build (:mod:`bench.baselines.tantivy_bm25`, tokenised with this
  service's analyser), then tantivy from words cut beforehand; each a child process whose
  CPU (user + system, its workers included) and wall time are kept, the builds alternated
  ``--import-rounds`` times;
* queries: :mod:`bench.cpu_per_query` (this service's ``/api/search`` in process) and the
  baseline's ``cpu`` command on the same queries, alternated ``--rounds`` times; per query
  the least CPU over the rounds, then p50 / p95 per class (:func:`bench.cpu_compare.best`).

The first ``N`` articles of ``CORPUS`` are used for size ``N``.  Raw JSON and a summary go
to ``--out``; the load average is kept beside every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from .cpu_compare import best
from .queries import CLASSES
from .target import UNIONSEARCH
from .timing import percentile

ROOT = Path(__file__).resolve().parents[1]


def log(msg: str) -> None:
    print(f"[tantivy_compare {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def measured(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd``; its wall time, CPU seconds (its waited-for descendants included),
    stdout's last line, and the load average at its start and end."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    load0 = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[:4]} failed: {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = done.stdout.strip().splitlines()
    return {"wall_s": wall, "cpu_s": cpu, "load": [load0, os.getloadavg()[0]],
            "last": lines[-1] if lines else ""}


def prefix(corpus: str, n: int, out: Path) -> Path:
    path = out / f"corpus-{n}.jsonl"
    if not path.exists():
        with open(corpus, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i >= n:
                    break
                dst.write(line)
    return path


def per_class(runs: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    out = {}
    every: list[float] = []
    for cls in CLASSES:
        ms = sorted(runs.get(cls, {}).values())
        if ms:
            every += ms
            out[cls] = {"p50": percentile(ms, 50), "p95": percentile(ms, 95), "n": len(ms)}
    every.sort()
    if every:  # none with --rounds 0 (the imports alone)
        out["mix"] = {"p50": percentile(every, 50), "p95": percentile(every, 95),
                      "n": len(every)}
    return out


def run_size(corpus: str, n: int, args: argparse.Namespace) -> dict:
    out = args.out
    path = prefix(corpus, n, out)
    ours_ix, tan_ix, tokens = out / f"us-{n}", out / f"tantivy-{n}", out / f"tokens-{n}.jsonl"
    py = sys.executable
    tan = [py, "-m", "bench.baselines.tantivy_bm25"]
    imports: dict[str, list[dict]] = {"unionsearch": [], "tantivy": [],
                                      "tantivy_pretokenised": []}
    builds = [("tantivy", "build", path)]
    if not args.skip_pretokenised:
        log(f"N={n}: words cut beforehand for tantivy's own share")
        imports["tokens_only"] = [measured([*tan, "tokens", str(path), str(tokens)])]
        builds.append(("tantivy_pretokenised", "build-pretokenised", tokens))
    for r in range(args.import_rounds):
        log(f"N={n} round {r + 1}: unionsearch index")
        subprocess.run(["rm", "-rf", str(ours_ix)], check=True)
        imports["unionsearch"].append(measured(
            [UNIONSEARCH, "index", str(path), "--index-dir", str(ours_ix)],
            {"UNIONSEARCH_MERGE_BESIDE": "0"}))
        log(f"  {imports['unionsearch'][-1]}")
        for name, cmd, src in builds:
            log(f"N={n} round {r + 1}: {name}")
            subprocess.run(["rm", "-rf", str(tan_ix)], check=True)
            imports[name].append(measured([*tan, cmd, str(src), str(tan_ix)]))
            log(f"  {imports[name][-1]}")
    runs: dict[str, list[dict]] = {"unionsearch": [], "tantivy": []}
    for r in range(args.rounds):
        for name, cmd in (("unionsearch", [py, "-m", "bench.cpu_per_query", str(ours_ix),
                                           str(path)]),
                          ("tantivy", [*tan, "cpu", str(path), str(tan_ix)])):
            log(f"N={n} queries round {r + 1}: {name}")
            got = measured([*cmd, "--per-class", str(args.per_class)])
            run_file = out / f"cpu-{name}-{n}-{r}.json"
            run_file.write_text(got.pop("last"), encoding="utf-8")
            runs[name].append({**got, "file": str(run_file)})
    result = {"n": n, "imports": imports, "query_runs": runs,
              "classes": {name: per_class(best([x["file"] for x in rs]))
                          for name, rs in runs.items()}}
    for rs in imports.values():
        for x in rs:
            x["articles_per_cpu_s"] = n / x["cpu_s"]
            x["articles_per_wall_s"] = n / x["wall_s"]
    return result


def _fmt(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def markdown(result: dict) -> str:
    """The tables of one size: imports, then CPU per class, with ours ÷ tantivy."""
    n, imp = result["n"], result["imports"]
    lines = [f"**{n:,} articles** — imports (one child process each; CPU = user + system of "
             "the process and its workers; load = 1-min load average at start → end)", "",
             "| import | articles / CPU s | CPU s | wall s | articles / wall s | load |",
             "|---|---:|---:|---:|---:|---|"]
    for name, runs in imp.items():
        for x in runs:
            lines.append(f"| {name} | {_fmt(n / x['cpu_s'], 0)} | {_fmt(x['cpu_s'], 1)} | "
                         f"{_fmt(x['wall_s'], 1)} | {_fmt(n / x['wall_s'], 0)} | "
                         f"{x['load'][0]:.1f} → {x['load'][1]:.1f} |")
    ours, tan = result["classes"]["unionsearch"], result["classes"]["tantivy"]
    lines += ["", "CPU ms per query, least over the rounds (ours: `/api/search` in process, "
              "thread CPU; tantivy: process CPU)", "",
              "| class | ours p50 | ours p95 | tantivy p50 | tantivy p95 | p50 ÷ | p95 ÷ |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for cls in [*CLASSES, "mix"]:
        if cls in ours and cls in tan:
            o, t = ours[cls], tan[cls]
            lines.append(f"| {cls} | {_fmt(o['p50'])} | {_fmt(o['p95'])} | {_fmt(t['p50'])} | "
                         f"{_fmt(t['p95'])} | {o['p50'] / t['p50']:.1f}× | "
                         f"{o['p95'] / t['p95']:.1f}× |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.tantivy_compare")
    ap.add_argument("corpus")
    ap.add_argument("--sizes", type=int, action="append", required=True)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--import-rounds", type=int, default=1)
    ap.add_argument("--skip-pretokenised", action="store_true",
                    help="no tantivy build from words cut beforehand (saves a tokenising pass)")
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "tantivy")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for n in args.sizes:
        result = run_size(args.corpus, n, args)
        (args.out / f"compare-{n}.json").write_text(json.dumps(result, indent=1))
        log(f"N={n} done: {args.out / f'compare-{n}.json'}")
        print(markdown(result), flush=True)


if __name__ == "__main__":
    main()
