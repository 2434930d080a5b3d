"""``python -m bench.http_cpu INDEX CORPUS [--per-class 30] [--out FILE]``

The queries of :mod:`bench.queries` over HTTP against ``unionsearch serve`` (the bench's
own client, :mod:`bench.target`): each query's wall time, and per class the CPU the
server process spent on the class's queries (every thread: ``utime + stime`` from
``/proc``, in clock ticks, so only a class's sum is meaningful), its worker processes
included (a costly request may be computed in a forked worker).  Run from the checkout
whose code is measured; :mod:`bench.cpu_compare` compares the wall times of runs, and
the ``_cpu`` entry holds the server CPU per class.  Timing starts once the server has
gone idle after start-up (:meth:`bench.target.Server.wait_idle`).

After the queries, ``_memory`` holds the serving process's peak resident memory
(``VmHWM``), the summed PSS of it and its workers, and the peak of that sum sampled over
the whole run.  With ``--daily FILE`` the file is
then imported into the running service's index (``unionsearch index``), and ``_daily``
holds that import's CPU seconds (the process and its children) and the seconds until
the service shows its articles: run it once, last (it changes the index).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from urllib.parse import urlencode

from bench import procs, queries, target
from bench.target import cpu_ms


def tree_cpu_ms(pid: int) -> float:
    """CPU so far of ``pid`` and its live descendants (the serving workers), in ms."""
    total = 0.0
    for p in [pid, *procs.descendants(pid)]:
        try:
            total += cpu_ms(p)
        except OSError:  # a worker gone between the listing and the read
            continue
    return total


def daily(server: target.Server, path: str, index_dir: str) -> dict:
    """Import ``path`` into the served index; its CPU and when the service shows it."""
    with open(path, encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh if line.strip()]
    date = docs[0]["date"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = target.import_file(path, index_dir, len(docs), fresh=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    ended = time.perf_counter()
    visible = None
    while time.perf_counter() - ended < 60:
        status, body = server.get("/api/search?" + urlencode({"q": "", "from": date, "to": date}))
        if status == 200 and json.loads(body)["total"] >= len(docs):
            visible = time.perf_counter() - ended
            break
        time.sleep(0.02)
    return {"articles": len(docs), "wall_s": run.seconds,
            "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "visible_s": visible}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.http_cpu")
    ap.add_argument("index")
    ap.add_argument("corpus")
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--out", required=True)
    ap.add_argument("--daily", default=None, help="a JSONL file imported after the queries")
    args = ap.parse_args(argv)
    workload, warm = queries.build(args.corpus, args.seed, args.per_class, 3)
    out: dict[str, dict] = {"_cpu": {}}
    with target.Server(args.index) as server:
        out["_idle_wait_s"] = server.wait_idle()  # the suggestion tables built first
        for q in warm:
            server.get("/api/search?" + urlencode(q.params()))
        pid = server.proc.pid
        for q in workload:
            path = "/api/search?" + urlencode(q.params())
            c0, t0 = tree_cpu_ms(pid), time.perf_counter()
            status, body = server.get(path)
            wall = (time.perf_counter() - t0) * 1000
            cpu = tree_cpu_ms(pid) - c0
            if status != 200:
                continue
            out.setdefault(q.cls, {})[path] = wall
            out["_cpu"][q.cls] = out["_cpu"].get(q.cls, 0.0) + cpu
        workers = procs.descendants(pid)
        out["_memory"] = {"vm_hwm_mb": procs.vm_hwm_mb(pid),
                          "pss_mb": procs.pss_mb(pid) + sum(map(procs.pss_mb, workers)),
                          "server_pss_mb": procs.pss_mb(pid),
                          "workers": len(workers)}
        if args.daily:
            out["_daily"] = daily(server, args.daily, args.index)
    # The tree's summed PSS sampled ten times a second over the whole run (start-up,
    # table building and the queries included): the peak the machine had to hold.
    out["_memory"]["peak_tree_pss_mb"] = server.peak_tree_mb
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False)


if __name__ == "__main__":
    main()
