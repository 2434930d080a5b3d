"""What a serving process holds, stage by stage, and which lines of code allocated it.

``python -m bench.memory INDEX CORPUS.jsonl [--daily DAILY.jsonl] [--trace]`` opens the
index as the service does (an :class:`~search.engine.Engine` that prepares the
suggestion tables), then reads its resident memory (``VmRSS``, ``VmHWM``) after each
stage: opened; suggestions and did-you-mean tables prepared; a query mix drawn from the
corpus (:mod:`bench.queries`, every class); a few suggestions and misspelt or pinyin
queries; and, with ``--daily``, after a small import into the same folder has made a
new generation and the engine has prepared that one (what a new generation duplicates
shows there).  With ``--trace``, ``tracemalloc`` (NumPy's buffers included) gives the
lines holding the most memory at each stage, so a table that grows with the articles
is named by where it is built.  Each stage also reads ``RssAnon``, ``RssFile`` (what of
the index files is mapped and resident) and PSS.  With ``--by-class`` the mix runs class by
class, and each class's own peak above the memory resident before it is read (VmHWM reset
through ``/proc/self/clear_refs``), which tells a transient peak from what is kept.  Prints
one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from bench import queries
from bench.inprocess import request
from search.engine import Engine
from search.retrieval.request import SearchRequest
from search.understanding.suggest import suggest


def status_mb() -> dict[str, float]:
    """This process's VmRSS, VmHWM, RssAnon, RssFile and Pss in MB."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key = line.split(":")[0]
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            out[key] = round(int(line.split()[1]) / 1024, 1)
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                out["Pss"] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return out


def reset_peak() -> bool:
    """Set VmHWM back to the present VmRSS (Linux: ``5`` to ``clear_refs``), so the next
    reading is the peak of what runs in between; False where that is not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def top_lines(limit: int) -> list[dict]:
    """The ``limit`` source lines holding the most traced memory now."""
    snap = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)])
    stats = snap.statistics("lineno")
    return [{"where": f"{Path(s.traceback[0].filename).name}:{s.traceback[0].lineno}",
             "mb": round(s.size / 2**20, 2), "blocks": s.count} for s in stats[:limit]]


def wait_prepared(engine: Engine) -> None:
    engine.state()
    if engine.preparing is not None:
        engine.preparing.join()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("index")
    ap.add_argument("corpus")
    ap.add_argument("--daily", help="a JSON Lines file imported after the queries")
    ap.add_argument("--per-class", type=int, default=20)
    ap.add_argument("--trace", action="store_true")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--by-class", action="store_true",
                    help="run the mix class by class and report each class's own peak")
    args = ap.parse_args()
    if args.trace:
        tracemalloc.start()
    stages: list[dict] = []

    def stage(name: str) -> None:
        gc.collect()
        entry = {"stage": name, **status_mb()}
        if args.trace:
            entry["traced_mb"] = round(tracemalloc.get_traced_memory()[0] / 2**20, 1)
            entry["top"] = top_lines(args.top)
        stages.append(entry)
        print(json.dumps({k: v for k, v in entry.items() if k != "top"}), file=sys.stderr)

    stage("start")
    engine = Engine(args.index, prepare_suggestions=True)
    stage("opened")
    wait_prepared(engine)
    stage("prepared")
    workload, _ = queries.build(args.corpus, seed=7, per_class=args.per_class)
    started = time.process_time()
    peaks: dict[str, float] = {}
    if args.by_class:  # each class's own peak above what was resident before it
        for cls in dict.fromkeys(q.cls for q in workload):
            gc.collect()
            before = status_mb()["VmRSS"]
            if not reset_peak():
                break
            for q in workload:
                if q.cls == cls:
                    engine.search(request(q))
            peaks[cls] = round(status_mb()["VmHWM"] - before, 1)
        print(json.dumps({"class_peak_above_rss_mb": peaks}), file=sys.stderr)
    else:
        for q in workload:
            engine.search(request(q))
    cpu = time.process_time() - started
    stage("queries")
    st = engine.state()
    for typed in ("工匠", "工匠精", "gongj", "lxx", "劳动模范", "职工之家"):
        suggest(st, typed)
    for q in ("gongjiang jingshen", "工将精神", "laodong mofan", "职工知家"):
        engine.search(SearchRequest.from_params(q=q))
    stage("suggest+didyoumean")
    if args.daily:
        subprocess.run([str(Path(sys.executable).with_name("unionsearch")), "index",
                        "--index-dir", args.index, args.daily],
                       check=True, capture_output=True)
        time.sleep(0.6)
        engine.notice_commit()
        wait_prepared(engine)
        for q in workload[:: max(1, len(workload) // 40)]:
            engine.search(request(q))
        for typed in ("工匠", "gongj"):
            suggest(engine.state(), typed)
        engine.search(SearchRequest.from_params(q="工将精神"))
        stage("after daily import")
    print(json.dumps({"index": args.index, "articles": engine.doc_count(),
                      "queries": len(workload), "query_cpu_s": round(cpu, 2),
                      "class_peak_above_rss_mb": peaks,
                      "stages": stages}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
