"""``python -m bench.callgrind_class INDEX CORPUS --out FILE [--classes facets] [--http]``

The instructions one query class costs, counted by callgrind: a count that stays the same
whatever else the machine runs, where CPU time on a loaded machine varies by tens of
percent.  Two ways of asking, as the service is asked:

* in process (default): run this script under
  ``valgrind --tool=callgrind --instr-atstart=no``; the web app is made here
  (``create_app``) and asked through Flask's test client; the bench's warm-up queries
  of every class run first, uncounted, and the app's background threads left to finish
  (callgrind counts every thread), then counting is switched on
  (``callgrind_control -i on``) for the chosen classes' queries alone;
* ``--http``: this script runs natively and starts ``unionsearch serve`` under
  ``valgrind --tool=callgrind --instr-atstart=no`` itself (``--valgrind-out`` names its
  output), waits for it to go idle, warms it, switches counting on in the server for
  each chosen class's queries in turn and dumps the counts after each (one file a class,
  numbered in the order of ``--classes``), then stops it: the whole of what serving over HTTP
  does per request (waitress, the access log, JSON, the result cache, worker processes)
  is counted.

Either way the answers (the JSON bodies, by query) are written to ``--out``, so two
versions of the code can be compared for identical answers as well as for work.  Read
the counts with ``callgrind_annotate --inclusive=yes``.  Runs from any checkout with
``web.app.create_app`` and ``bench.queries``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from bench import queries


def _control(pid: int, *args: str) -> None:
    subprocess.run(["callgrind_control", *args, str(pid)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _in_process(index: str, warm: list, chosen: list, toggle: bool) -> dict[str, str]:
    from web.app import create_app

    client = create_app(index, TESTING=True).test_client()
    for q in warm:
        client.get("/api/search?" + urlencode(q.params()))
    if toggle:  # the app's background threads (suggestion tables) done first
        _wait_idle(os.getpid())
        _control(os.getpid(), "-i", "on")
    bodies = {}
    for q in chosen:
        path = "/api/search?" + urlencode(q.params())
        bodies[path] = client.get(path).get_data(as_text=True)
    if toggle:
        _control(os.getpid(), "-i", "off")
    return bodies


def _cpu_s(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_idle(pid: int, window: float = 3.0, busy: float = 0.05) -> None:
    """Until the process spent under ``busy`` CPU seconds in ``window`` seconds."""
    last = _cpu_s(pid)
    while True:
        time.sleep(window)
        now = _cpu_s(pid)
        if now - last < busy:
            return
        last = now


def _get(port: int, path: str) -> tuple[int, str]:
    """One request on a connection of its own (a slow server under valgrind outlives
    waitress's keep-alive)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8")
    finally:
        conn.close()


def _over_http(index: str, warm: list, chosen: list, classes: list[str], out_file: str,
               port: int) -> dict[str, str]:
    exe = str(Path(sys.executable).with_name("unionsearch"))
    log = open(out_file + ".log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(["valgrind", "--tool=callgrind", "--instr-atstart=no",
                             f"--callgrind-out-file={out_file}.%p",
                             exe, "serve", "--index-dir", index, "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with {proc.returncode}")
            try:
                if _get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(1)
        _wait_idle(proc.pid)  # the suggestion tables built in the background first
        for q in warm:
            _get(port, "/api/search?" + urlencode(q.params()))
        bodies = {}
        for cls in classes:  # one dump a class: OUT.<pid>.1, .2 … in the order given
            _control(proc.pid, "-i", "on")
            for q in chosen:
                if q.cls == cls:
                    path = "/api/search?" + urlencode(q.params())
                    bodies[path] = _get(port, path)[1]
            _control(proc.pid, "-i", "off")
            _control(proc.pid, "-d")
        return bodies
    finally:
        proc.terminate()
        proc.wait()
        log.close()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.callgrind_class")
    ap.add_argument("index")
    ap.add_argument("corpus")
    ap.add_argument("--out", required=True, help="the answers, JSON {path: body}")
    ap.add_argument("--classes", default="facets")
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--http", action="store_true")
    ap.add_argument("--valgrind-out", default=None, help="with --http: callgrind's output")
    ap.add_argument("--queries", default=None, help="the mix drawn by --save-queries")
    ap.add_argument("--save-queries", action="store_true",
                    help="only draw the mix, into OUT.queries.pickle")
    ap.add_argument("--port", type=int, default=18765)
    args = ap.parse_args(argv)
    cached = Path(args.out + ".queries.pickle")
    if args.queries:  # drawn beforehand (natively): reading the corpus under valgrind is slow
        with open(args.queries, "rb") as fh:
            workload, warm = pickle.load(fh)
    else:
        workload, warm = queries.build(args.corpus, args.seed, args.per_class, 3)
        if args.save_queries:
            with open(cached, "wb") as fh:
                pickle.dump((workload, warm), fh)
            return
    classes = set(args.classes.split(","))
    chosen = [q for q in workload if q.cls in classes]
    if args.http:
        bodies = _over_http(args.index, warm, chosen, args.classes.split(","),
                            args.valgrind_out, args.port)
    else:
        bodies = _in_process(args.index, warm, chosen, shutil.which("callgrind_control")
                             is not None and "valgrind" in os.environ.get("LD_PRELOAD", ""))
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(bodies, fh, ensure_ascii=False, indent=0, sort_keys=True)


if __name__ == "__main__":
    main()
