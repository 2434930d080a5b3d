"""``python -m bench.profile --index-dir DIR --corpus FILE [--classes common,facets]``

Where does a query class spend its time inside the server?  Starts
``unionsearch serve`` on DIR, and for each class sends that class's
queries (all distinct: the engine caches results, and a profile of cache hits
says nothing) while ``py-spy record --format raw`` samples the server;
prints the top functions by own time and by inclusive time, per class, and
keeps the collapsed stacks (flame-graph input) in ``--out``.

Needs py-spy (``.venv/bin/pip install py-spy``) and ptrace rights.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from . import queries, target

REQUEST_FRAME = "Task.service"  # waitress: a worker thread handling a request
OURS = ("(search/", "(indexer/", "(web/")  # frames worth listing by inclusive time


def _function(frame: str) -> str:
    """``name (path:line)`` → ``name (path)``: lines of one function add up."""
    head, _, rest = frame.rpartition(":")
    return f"{head})" if rest.endswith(")") and head else frame


def summarise(raw: Path, top: int) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    """(samples, top own-time frames, top inclusive frames) of a py-spy raw file,
    counting only samples of threads serving a request (idle workers waiting on
    a condition look busy to py-spy)."""
    own: Counter = Counter()
    incl: Counter = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        frames = [f for f in frames if not f.startswith("process ") and not f.startswith(
            "thread ")]
        if not any(f.startswith(REQUEST_FRAME) for f in frames):
            continue
        total += n
        funcs = [_function(f) for f in frames]
        own[funcs[-1]] += n
        for f in set(funcs):
            if any(mark in f for mark in OURS):
                incl[f] += n
    return total, own.most_common(top), incl.most_common(top)


def profile_class(server: target.Server, qs: list[queries.BenchQuery], seconds: float,
                  out: Path, py_spy: str) -> tuple[Path, int]:
    """Sample the server while sending ``qs`` once each, for at most ``seconds``."""
    raw = out / f"profile-{qs[0].cls}.txt"
    spy = subprocess.Popen([py_spy, "record", "--format", "raw", "--rate", "200", "-o",
                            str(raw), "--pid", str(server.proc.pid)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    backend = target.HttpBackend(server)
    time.sleep(1.0)  # let py-spy attach
    deadline = time.perf_counter() + seconds
    sent = 0
    for q in qs:
        if time.perf_counter() > deadline:
            break
        backend.search(q)
        sent += 1
    spy.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
    spy.wait()
    return raw, sent


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    ap.add_argument("--index-dir", required=True)
    ap.add_argument("--corpus", required=True, help="the JSONL the index was built from")
    ap.add_argument("--classes", default=",".join(queries.CLASSES))
    ap.add_argument("--seconds", type=float, default=15, help="at most, per class")
    ap.add_argument("--queries", type=int, default=300, help="distinct queries per class")
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = ap.parse_args(argv)
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    wanted = [c for c in args.classes.split(",") if c]
    workload, warm = queries.build(args.corpus, args.seed + 17, args.queries, 5)
    args.out.mkdir(parents=True, exist_ok=True)
    with target.Server(args.index_dir) as server:
        for q in warm:
            target.HttpBackend(server).search(q)
        for cls in wanted:
            qs = [q for q in workload if q.cls == cls]
            raw, sent = profile_class(server, qs, args.seconds, args.out, py_spy)
            total, own, incl = summarise(raw, args.top)
            print(f"\n== {cls}: {sent} queries, {total} samples in request threads ({raw})")
            print("  own time:")
            for frame, n in own:
                print(f"    {100 * n / max(total, 1):5.1f}%  {frame}")
            print("  inclusive (project code):")
            for frame, n in incl:
                print(f"    {100 * n / max(total, 1):5.1f}%  {frame}")


if __name__ == "__main__":
    main()
