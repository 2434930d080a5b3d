"""A bounded burst of hostile-but-valid requests against a local server.

What a careless script or an unkind colleague can send without breaking a rule: 200
requests from 8 clients at once, each one valid and each one as costly as the API
allows: results pages and API searches over ``from=0001-01-01&to=9999-12-31``,
three-query trends per year over that range (every request with other words, so no
cache helps), CSV and Excel exports of common words, and search-box suggestions.
Meanwhile a reader (another process) sends a cheap search (one word, the first page, a different
word each time) every 50 ms, as a reader would.

Measured: each request's wall time by kind (exports apart: a file of thousands of rows
is allowed to take longer), the server's memory before, during (sampled
10 times a second) and after the burst, and the cheap search's p50/p95 during the
burst beside its p50/p95 on the idle server.  Targets (issue "Hardening, second
round"): no request over 2 s except exports, memory growth under 200 MB, the cheap
search's p95 under 100 ms.  Nothing is asserted: the figures go to bench/RESULTS.md.

    python -m bench.burst                 # builds a 20,000-article index in bench/out
    python -m bench.burst --index-dir DIR # or uses yours
    python -m bench.burst --append        # and appends the section to bench/RESULTS.md
    python -m bench.burst --workers 0,2   # two servers in one run, rounds alternating
    python -m bench.burst --workers 0,2,2:5   # and a third with worker_nice = 5
    python -m bench.burst --workers 2,2@/tmp/old   # and the code checked out in /tmp/old
    python -m bench.burst --workers 2,2/16   # and a server with 16 threads

With ``--workers``, one server per value of the ``workers`` setting (0: costly requests
computed in the serving process; n: by n worker processes, web/workers.py; n:k: at
nice k; n/t: with t threads; n@DIR: the code in DIR, an export of another commit with
its C module built, put first on the server's PYTHONPATH), all started at once and sent
the same bursts in turn (round 1 to each, then round 2 …), so they meet the same load on
a shared machine.  Memory is the server's process tree (fork parent and
workers included): PSS summed, which counts a page the processes share once (workers
forked from the serving process share most of theirs), beside RSS summed, which counts
it once per process; and each process's USS (what ending it would free) and PSS.

Loopback only: the server is started here on 127.0.0.1 and stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from . import corpus

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
BIN = Path(sys.executable).parent
WIDE = {"from": "0001-01-01", "to": "9999-12-31"}
KINDS = ("search page, wide dates", "api search, wide dates, size 100",
         "trends, 3 queries, by year, wide", "trends page, 3 queries, wide",
         "export csv", "export xlsx", "suggest")
MIX = (0.15, 0.15, 0.2, 0.1, 0.08, 0.07, 0.25)
EXPORTS = ("export csv", "export xlsx")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants (a server, its fork parent and workers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def tree_rss_mb(pid: int, field: str = "VmRSS") -> float:
    """``field`` summed over ``pid`` and its descendants (a server and its workers)."""
    total = 0.0
    for p in tree(pid):
        try:
            total += rss_mb(p, field)
        except OSError:
            continue
    return total


def smaps_mb(pid: int) -> dict[str, float]:
    """A process's memory from ``/proc/PID/smaps_rollup`` in MB: ``Pss`` (its share of
    every page, a page shared by n processes counted 1/n each), ``Uss`` (its private
    pages: what ending it would free), ``Rss``."""
    kb: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split()[:2]
        kb[key.rstrip(":")] = int(value)
    return {"Pss": kb["Pss"] / 1024, "Rss": kb["Rss"] / 1024,
            "Uss": (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024}


def tree_pss_mb(pid: int) -> float:
    """The memory of a server, its fork parent and workers together: their PSS summed
    (pages they share counted once, where summed RSS counts them once per process)."""
    total = 0.0
    for p in tree(pid):
        try:
            total += smaps_mb(p)["Pss"]
        except OSError:
            continue
    return total


def processes(sv: Served) -> list[tuple[str, dict[str, float]]]:
    """(role, memory) of each process of a server: the serving process, its fork parent
    and its workers (by what ``/healthz`` names)."""
    try:
        workers = json.loads(get_body(sv.port, "/healthz")[1]).get("workers") or {}
    except (OSError, ValueError):
        workers = {}
    out = []
    for p in tree(sv.proc.pid):
        role = ("serving process" if p == sv.proc.pid else
                "fork parent" if p == workers.get("fork_parent") else
                "worker" if p in workers.get("pids", []) else "other")
        try:
            out.append((role, smaps_mb(p)))
        except OSError:
            continue
    return out


def _cpu(pid: int) -> float:
    """User and system CPU seconds of one process so far (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(CPU seconds of ``pid``, of its descendants now running): the serving process, and
    its fork parent and workers.  A worker replaced during a burst loses what it had used."""
    total = 0.0
    for p in tree(pid)[1:]:
        try:
            total += _cpu(p)
        except OSError:
            continue
    return _cpu(pid), total


def get(port: int, target: str, timeout: float = 300) -> tuple[int, int, float]:
    """(status, body bytes, seconds) of one GET on a fresh loopback connection."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", target)
        resp = conn.getresponse()
        size = 0
        while chunk := resp.read(65536):
            size += len(chunk)
        return resp.status, size, time.perf_counter() - started
    finally:
        conn.close()


def requests_for(words: list[str], n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (kind, target) pairs in the proportions of :data:`MIX`, words never reused
    within a kind (so no result or trend cache answers)."""
    rng = random.Random(seed)
    pool = {kind: words[k::len(KINDS)][:3 * n] for k, kind in enumerate(KINDS)}
    out = []
    for i, kind in enumerate(rng.choices(KINDS, MIX, k=n)):
        w = pool[kind]
        a, b, c = w[3 * i % len(w)], w[(3 * i + 1) % len(w)], w[(3 * i + 2) % len(w)]
        if kind == KINDS[0]:
            target = "/search?" + urlencode({"q": a, **WIDE})
        elif kind == KINDS[1]:
            target = "/api/search?" + urlencode({"q": a, **WIDE, "size": 100})
        elif kind == KINDS[2]:
            target = "/api/trends?" + urlencode([("q", a), ("q", b), ("q", c), ("by", "year"),
                                                 *WIDE.items()])
        elif kind == KINDS[3]:
            target = "/trends?" + urlencode([("q", a), ("q", b), ("q", c), *WIDE.items()])
        elif kind == "export csv":
            target = "/export.csv?" + urlencode({"q": a, **WIDE})
        elif kind == "export xlsx":
            target = "/export.xlsx?" + urlencode({"q": a, **WIDE})
        else:
            target = "/api/suggest?" + urlencode({"q": a[:2]})
        out.append((kind, target))
    return out


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def build_index(n: int, seed: int) -> str:
    info = corpus.ensure(OUT, n, seed)
    idx = OUT / f"burst-idx-{n}-s{seed}"
    if not corpus.index_current(idx):
        done = subprocess.run([str(BIN / "unionsearch"), "index", info.path, "--index-dir",
                               str(idx)], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"import failed: {done.stderr}")
    return str(idx)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index-dir", default=None)
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=5,
                    help="bursts per server, new words each (pooled: enough probes for a p95)")
    ap.add_argument("--seed", type=int, default=1998)
    ap.add_argument("--threads", type=int, default=None,
                    help="the server's worker threads (default: the serve default)")
    ap.add_argument("--workers", default=None,
                    help="comma-separated values of the workers setting, each with :NICE "
                         "for worker_nice if wanted (0,2,2:5): one server each, compared "
                         "in one run (default: the serve default only)")
    ap.add_argument("--append", action="store_true", help="append to bench/RESULTS.md")
    args = ap.parse_args()

    index_dir = args.index_dir or build_index(args.articles, args.seed)
    # Real words, drawn by their frequency (common ones first: they cost the most), each once.
    drawn = list(corpus.Source().words)
    random.Random(args.seed).shuffle(drawn)
    words = list(dict.fromkeys(w for w in drawn if len(w) >= 2))
    per_round = len(KINDS) * 3 * args.requests
    if len(words) < per_round * args.rounds + 2000:
        sys.exit(f"{len(words)} distinct words: too few for {args.rounds} rounds of "
                 f"{args.requests} requests")
    report = serve_and_run(index_dir, words, args)
    print(report)
    if args.append:
        with open(REPO / "bench" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write("\n" + report + "\n")


def serve_and_run(index_dir: str, words: list[str], args: argparse.Namespace) -> str:
    """Start the servers, run the rounds, stop them: the report."""
    configs = args.workers.split(",") if args.workers else [None]
    OUT.mkdir(parents=True, exist_ok=True)
    servers = []
    try:
        for n in configs:
            port = free_port()
            env = dict(os.environ)
            if n is not None:  # "2" or "2:5": two workers at nice 5; "2@DIR": DIR's code
                spec, _, code = n.partition("@")
                if code:
                    env["PYTHONPATH"] = os.pathsep.join(filter(None, [
                        str(Path(code).resolve()), env.get("PYTHONPATH", "")]))
                spec, _, threads = spec.partition("/")
                if threads:
                    env["UNIONSEARCH_THREADS"] = threads
                env["UNIONSEARCH_WORKERS"], _, nice = spec.partition(":")
                if nice:
                    env["UNIONSEARCH_WORKER_NICE"] = nice
            label = "default" if n is None else "".join(c if c.isalnum() else "-" for c in n)
            log = OUT / f"burst-serve-{label}.log"
            with open(log, "wb") as fh:
                proc = subprocess.Popen(
                    [str(BIN / "unionsearch"), "serve", "--index-dir", index_dir,
                     "--host", "127.0.0.1", "--port", str(port), "--log-format", "off",
                     *(["--threads", str(args.threads)] if args.threads else [])],
                    stdout=fh, stderr=fh, env=env, start_new_session=True)
            servers.append(Served(n, proc, port, str(log)))
        return run(servers, index_dir, words, args)
    finally:
        for sv in servers:
            sv.proc.send_signal(signal.SIGTERM)
        for sv in servers:
            try:
                sv.proc.wait(60)
            except subprocess.TimeoutExpired:
                sv.proc.kill()


class Served:
    """One server under test and what was measured of it."""

    def __init__(self, workers: str | None, proc: subprocess.Popen, port: int, log: str):
        self.workers, self.proc, self.port, self.log = workers, proc, port, log
        self.results: list[tuple[str, int, int, float]] = []
        self.probes: list[float] = []
        self.idle: list[float] = []
        self.base_rss = self.peak = self.end_rss = self.hwm = float("nan")
        self.base_pss = self.peak_pss = self.end_pss = float("nan")
        self.memory_before: list[tuple[str, dict[str, float]]] = []
        self.memory_after: list[tuple[str, dict[str, float]]] = []
        self.took = 0.0
        self.cpu = [0.0, 0.0]  # CPU seconds during the bursts: the serving process, its workers

    @property
    def name(self) -> str:
        if self.workers is None:
            return "serve default"
        spec, _, code = self.workers.partition("@")
        spec, _, threads = spec.partition("/")
        n, _, nice = spec.partition(":")
        where = (f", {threads} threads" if threads else "") + (f", code in {code}" if code else "")
        if n == "0":
            return f"costly requests in the serving process (workers = 0{where})"
        return f"costly requests by {n} worker processes at nice {nice or 10}{where}"


def wait_until_healthy(server: subprocess.Popen, port: int, hint: str = "") -> None:
    """Wait for ``/healthz`` to answer 200 with every worker ready; exit saying so if the
    server ends or hangs."""
    deadline = time.monotonic() + 180
    while True:
        try:
            status, body = get_body(port, "/healthz", 5)
            workers = json.loads(body).get("workers") if status == 200 else None
            if status == 200 and (workers is None or workers["ready"] == workers["size"]):
                return
        except (OSError, ValueError):
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"the server did not start{'; ' + hint if hint else ''}")
        time.sleep(0.2)


def wait_until_quiet(pid: int, limit: float = 300.0) -> None:
    """Wait until the server has finished what it does once started (the search box's
    tables are built in the background, seconds of CPU; measured beside them, the first
    bursts and the idle probe would count them): until it uses under 3 % of a CPU
    for three seconds running, or ``limit`` seconds have passed."""
    deadline = time.monotonic() + limit
    quiet = 0
    while time.monotonic() < deadline and quiet < 3:
        before = sum(cpu_seconds(pid))
        time.sleep(1.0)
        quiet = quiet + 1 if sum(cpu_seconds(pid)) - before < 0.03 else 0


def get_body(port: int, target: str, timeout: float = 30) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", target)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def run(servers: list[Served], index_dir: str, words: list[str],
        args: argparse.Namespace) -> str:
    for sv in servers:
        wait_until_healthy(sv.proc, sv.port, f"see {sv.log}")
    for sv in servers:
        wait_until_quiet(sv.proc.pid)
    per_round = len(KINDS) * 3 * args.requests
    probe_words = words[per_round * args.rounds:][:2000]
    # Warm-up: every page kind once (templates, first segment reads), then the idle probe.
    for sv in servers:
        for _, target in requests_for(words[-300:], 14, args.seed + 2):
            get(sv.port, target)
    for i, w in enumerate(probe_words[:60]):
        for sv in servers[i % len(servers):] + servers[:i % len(servers)]:
            sv.idle.append(get(sv.port, "/api/search?" + urlencode({"q": w}))[2])
    for sv in servers:
        sv.base_rss = sv.peak = tree_rss_mb(sv.proc.pid)
        sv.base_pss = sv.peak_pss = tree_pss_mb(sv.proc.pid)
        sv.memory_before = processes(sv)
    for r in range(args.rounds):
        work = requests_for(words[per_round * r:], args.requests, args.seed + r)
        for sv in servers[r % len(servers):] + servers[:r % len(servers)]:
            before = cpu_seconds(sv.proc.pid)
            sv.took += one_burst(sv, work, probe_words, args.clients)
            after = cpu_seconds(sv.proc.pid)
            sv.cpu = [sv.cpu[k] + after[k] - before[k] for k in (0, 1)]
    for sv in servers:
        sv.end_rss = tree_rss_mb(sv.proc.pid)
        sv.end_pss = tree_pss_mb(sv.proc.pid)
        sv.memory_after = processes(sv)
        sv.hwm = tree_rss_mb(sv.proc.pid, "VmHWM")
    return markdown(index_dir, servers, args)


def one_burst(sv: Served, work: list[tuple[str, str]], probe_words: list[str],
              n_clients: int) -> float:
    """One burst of ``work`` from the clients against ``sv``, the probe and the memory
    sampler beside it; adds to its results, probes and peak; returns its seconds."""
    port, results, probes = sv.port, sv.results, sv.probes
    lock = threading.Lock()
    queue = list(reversed(work))
    stop = threading.Event()

    def client() -> None:
        while True:
            with lock:
                if not queue:
                    return
                kind, target = queue.pop()
            try:
                status, size, secs = get(port, target)
            except OSError as exc:
                status, size, secs = 0, 0, float("nan")
                print(f"{kind}: {exc}", file=sys.stderr)
            with lock:
                results.append((kind, status, size, secs))

    def sample() -> None:
        while not stop.is_set():
            sv.peak = max(sv.peak, tree_rss_mb(sv.proc.pid))
            sv.peak_pss = max(sv.peak_pss, tree_pss_mb(sv.proc.pid))
            stop.wait(0.1)

    # The reader is another process, as a reader is another machine: timed in the load
    # generator, its searches would also wait for the eight clients' threads.
    fork = multiprocessing.get_context("fork")
    reader_stop = fork.Event()
    timings = fork.SimpleQueue()
    reader = fork.Process(target=_reader, args=(port, probe_words, 60 + len(probes),
                                                reader_stop, timings))
    reader.start()
    aside = [threading.Thread(target=sample)]
    clients = [threading.Thread(target=client) for _ in range(n_clients)]
    started = time.perf_counter()
    for t in aside + clients:
        t.start()
    for t in clients:
        t.join()
    took = time.perf_counter() - started
    stop.set()
    reader_stop.set()
    for t in aside:
        t.join()
    reader.join()
    while not timings.empty():
        probes.append(timings.get())
    return took


def _reader(port: int, words: list[str], i: int, stop, timings) -> None:
    """A reader's cheap search (one word, the first page, a new word each time) every
    50 ms until ``stop``; each one's seconds put on ``timings``."""
    while not stop.is_set():
        timings.put(get(port, "/api/search?" + urlencode({"q": words[i]}))[2])
        i = (i + 1) % len(words)
        stop.wait(0.05)


def paired(before: list[tuple[str, dict[str, float]]],
           after: list[tuple[str, dict[str, float]]]) -> list[tuple[str, dict | None, dict]]:
    """(role, memory before or None, memory after), matched by role in order (a worker
    replaced during the bursts is matched with the one it replaced)."""
    left = list(before)
    out = []
    for role, mem in after:
        match = next((i for i, (r, _) in enumerate(left) if r == role), None)
        out.append((role, left.pop(match)[1] if match is not None else None, mem))
    return out


def markdown(index_dir: str, servers: list[Served], args: argparse.Namespace) -> str:
    ms = 1000
    load = os.getloadavg()
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                         text=True, cwd=REPO).stdout.strip()
    lines = [f"### {time.strftime('%Y-%m-%d %H:%M')} — {args.rounds} bursts of {args.requests} "
             f"hostile-but-valid requests from {args.clients} clients "
             f"(`python -m bench.burst{' --workers ' + args.workers if args.workers else ''}`)",
             "",
             f"- Index: {index_dir} ({args.articles:,} articles when built here); code: git "
             f"{git}; load average at end {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
             f"on {os.cpu_count()} CPUs."]
    if len(servers) > 1:
        lines += ["", "| server | cheap search idle p50 / p95 ms | during the burst p50 / p95 "
                  "ms (searches) | p95 ÷ idle p95 | over 2 s, exports apart | PSS summed before "
                  "/ peak MB (growth) | RSS summed before / peak MB | CPU s, serving process / "
                  "workers |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for sv in servers:
            slow = [r for r in sv.results if r[0] not in EXPORTS and not r[3] <= 2.0]
            lines.append(
                f"| {sv.name} | {pct(sv.idle, 50) * ms:.1f} / {pct(sv.idle, 95) * ms:.1f} | "
                f"{pct(sv.probes, 50) * ms:.1f} / {pct(sv.probes, 95) * ms:.1f} "
                f"({len(sv.probes)}) | {pct(sv.probes, 95) / pct(sv.idle, 95):.1f}× | "
                f"{len(slow)} | {sv.base_pss:.0f} / {sv.peak_pss:.0f} "
                f"({sv.peak_pss - sv.base_pss:.0f}) | {sv.base_rss:.0f} / {sv.peak:.0f} | "
                f"{sv.cpu[0]:.1f} / {sv.cpu[1]:.1f} |")
    for sv in servers:
        lines += ["", f"**{sv.name}**: the bursts took {sv.took:.1f} s in all; CPU during "
                  f"them: {sv.cpu[0]:.1f} s in the serving process, {sv.cpu[1]:.1f} s in its "
                  "workers.", "",
                  "| kind | requests | statuses | p50 s | p95 s | max s | median bytes |",
                  "|---|---:|---|---:|---:|---:|---:|"]
        for kind in KINDS:
            rows = [r for r in sv.results if r[0] == kind]
            if not rows:
                continue
            secs = [r[3] for r in rows]
            statuses = ", ".join(f"{s}×{sum(1 for r in rows if r[1] == s)}"
                                 for s in sorted({r[1] for r in rows}))
            lines.append(f"| {kind} | {len(rows)} | {statuses} | {pct(secs, 50):.2f} | "
                         f"{pct(secs, 95):.2f} | {max(secs):.2f} | "
                         f"{int(statistics.median(r[2] for r in rows)):,} |")
        slow = [r for r in sv.results if r[0] not in EXPORTS and not r[3] <= 2.0]
        worst = max((r[3] for r in sv.results if r[0] not in EXPORTS), default=float("nan"))
        lines += ["",
                  f"- Over 2 s, exports apart: {len(slow)} of "
                  f"{sum(1 for r in sv.results if r[0] not in EXPORTS)} (slowest {worst:.2f} s); "
                  "target: none.",
                  f"- Server memory (PSS summed over the process, its fork parent and "
                  f"workers): {sv.base_pss:.0f} MB before, peak {sv.peak_pss:.0f} MB during "
                  f"(growth {sv.peak_pss - sv.base_pss:.0f} MB), {sv.end_pss:.0f} MB after; "
                  "target: growth under 200 MB.  VmRSS summed (a page shared by n "
                  f"processes counted n times): {sv.base_rss:.0f} MB before, peak "
                  f"{sv.peak:.0f} MB, {sv.end_rss:.0f} MB after; high-water marks summed "
                  f"{sv.hwm:.0f} MB.",
                  "- Each process, USS (its own pages) / PSS MB, after the warm-up → after the "
                  "bursts: " + "; ".join(
                      f"{role} {b['Uss']:.0f} / {b['Pss']:.0f} → {a['Uss']:.0f} / {a['Pss']:.0f}"
                      if b is not None else f"{role} (started during the bursts) "
                      f"{a['Uss']:.0f} / {a['Pss']:.0f}"
                      for role, b, a in paired(sv.memory_before, sv.memory_after)) + ".",
                  f"- Cheap search (one word, first page, a new word each time): idle p50 / p95 "
                  f"{pct(sv.idle, 50) * ms:.1f} / {pct(sv.idle, 95) * ms:.1f} ms "
                  f"({len(sv.idle)}); during the burst {pct(sv.probes, 50) * ms:.1f} / "
                  f"{pct(sv.probes, 95) * ms:.1f} ms ({len(sv.probes)} searches); "
                  "target: p95 under 100 ms."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
