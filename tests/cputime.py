"""A pytest plugin that records the CPU seconds each test costs, for finding where the
suite's time goes on a machine whose wall clock is shared with other work.

Load it with ``-p tests.cputime``; it writes one JSON line per test (node id, CPU seconds of
the test process and of all its descendants during the test, ``unionsearch`` processes
started, the wall clock at its end) to the file named by ``UNIONSEARCH_TEST_CPU``
(default ``test-cpu.jsonl``; each xdist worker appends to ``<file>.<worker>``), and prints
the modules that cost most.  Descendants still running (a fixture's server, chromium and
its renderers) are read from ``/proc`` before and after each test, so what they spend
counts at the test that made them spend it, not at the teardown that reaps them; of that,
``tree`` is the part read from ``/proc``.
``python -m tests.cputime FILE...`` sums the lines of earlier runs by module and shows
each file's modules in the order they ran.  Nothing here asserts anything about time.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections import defaultdict

import pytest

_started = [0]
_real_init = subprocess.Popen.__init__


def _counting_init(self, args, *a, **kw):  # type: ignore[no-untyped-def]
    first = args[0] if isinstance(args, (list, tuple)) and args else args
    if "unionsearch" in os.path.basename(str(first)):
        _started[0] += 1
    _real_init(self, args, *a, **kw)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


_TICK = os.sysconf("SC_CLK_TCK")


def _tree() -> dict[int, tuple[int, float]]:
    """This process's living descendants: pid → (parent pid, CPU seconds with the children
    it reaped: ``/proc/<pid>/stat``'s utime, stime, cutime and cstime)."""
    parent, spent = {}, {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                fields = fh.read().rpartition(b")")[2].split()
        except OSError:
            continue
        pid = int(entry.name)
        parent[pid] = int(fields[1])
        spent[pid] = sum(int(f) for f in fields[11:15]) / _TICK
    children: dict[int, list[int]] = defaultdict(list)
    for pid, ppid in parent.items():
        children[ppid].append(pid)
    mine, todo = {}, [os.getpid()]
    while todo:
        for kid in children.get(todo.pop(), ()):
            mine[kid] = (parent[kid], spent[kid])
            todo.append(kid)
    return mine


def _tree_spent(before: dict[int, tuple[int, float]], after: dict[int, tuple[int, float]]) -> float:
    """CPU seconds the descendants spent between two :func:`_tree` readings.

    A descendant that ended in between was reaped by its parent, and its whole CPU went
    into that parent's reaped children: into this process's ``RUSAGE_CHILDREN``, or into a
    living descendant's reading, or on up with a parent that ended too and was reaped in
    turn; so what it had spent before is taken off, not counted twice.  An orphan (its
    parent ended first) is reaped by init: what it spent since the last reading is lost."""
    me = os.getpid()
    spent = sum(cpu - before.get(pid, (0, 0.0))[1] for pid, (_, cpu) in after.items())
    ended = {pid for pid in before if pid not in after and not os.path.exists(f"/proc/{pid}")}

    def passed_up(pid: int) -> bool:
        ppid = before[pid][0]
        return ppid == me or ppid in after or (ppid in ended and passed_up(ppid))

    return spent - sum(before[pid][1] for pid in ended if passed_up(pid))


class _Recorder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.rows: list[dict] = []

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):  # type: ignore[no-untyped-def]
        spawned, before, tree = _started[0], _cpu(), _tree()
        yield
        own, tree = _cpu() - before, _tree_spent(tree, _tree())
        self.rows.append({"test": item.nodeid, "cpu": round(own + tree, 3),
                          "tree": round(tree, 3), "spawned": _started[0] - spawned,
                          "end": round(time.time(), 1)})

    def pytest_sessionfinish(self, session) -> None:  # type: ignore[no-untyped-def]
        with open(self.path, "a", encoding="utf-8") as fh:
            for row in self.rows:
                fh.write(json.dumps(row) + "\n")

    def pytest_terminal_summary(self, terminalreporter) -> None:  # type: ignore[no-untyped-def]
        if self.rows:
            terminalreporter.write_line(f"CPU seconds by test module ({self.path}):")
            for line in report(self.rows, 15):
                terminalreporter.write_line(line)


def report(rows: list[dict], top: int = 60) -> list[str]:
    """The modules of ``rows`` by CPU seconds, most first, then the costliest tests."""
    cpu: dict[str, float] = defaultdict(float)
    spawned: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    for row in rows:
        module = row["test"].split("::")[0]
        cpu[module] += row["cpu"]
        spawned[module] += row["spawned"]
        count[module] += 1
    out = [f"{cpu[m]:8.1f} s {count[m]:5d} tests {spawned[m]:4d} processes  {m}"
           for m in sorted(cpu, key=cpu.get, reverse=True)[:top]]
    out.append(f"{sum(cpu.values()):8.1f} s {len(rows):5d} tests "
               f"{sum(spawned.values()):4d} processes  in all")
    out += [f"{r['cpu']:8.1f} s  {r['test']}"
            for r in sorted(rows, key=lambda r: r["cpu"], reverse=True)[:top // 3]]
    return out


def timeline(rows: list[dict]) -> list[str]:
    """One process's modules in the order it ran them (``rows`` as its file holds them):
    each module's CPU seconds and the ``end`` of its last test (the wall clock, when the
    rows carry it), to see whether one process was left alone at the end."""
    out: list[str] = []
    module, cpu, end = None, 0.0, None
    for row in rows + [{"test": "", "cpu": 0.0}]:
        name = row["test"].split("::")[0]
        if name != module and module is not None:
            out.append(f"{cpu:8.1f} s  ends {end if end is not None else '?':>8}  {module}")
            cpu = 0.0
        module, cpu, end = name, cpu + row["cpu"], row.get("end", end)
    return out


def pytest_configure(config) -> None:  # type: ignore[no-untyped-def]
    path = os.environ.get("UNIONSEARCH_TEST_CPU", "test-cpu.jsonl")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        path = f"{path}.{worker}"
    elif hasattr(config, "workerinput") or config.getoption("numprocesses", None):
        return  # the xdist controller runs no tests
    subprocess.Popen.__init__ = _counting_init  # type: ignore[method-assign]
    config.pluginmanager.register(_Recorder(path), "unionsearch-cputime")


if __name__ == "__main__":
    rows, starts, per_file = [], [], {}
    for name in sys.argv[1:]:
        with open(name, encoding="utf-8") as fh:
            per_file[name] = [json.loads(line) for line in fh if line.strip()]
        rows += per_file[name]
        starts += [r["end"] - r["cpu"] for r in per_file[name][:1] if "end" in r]
    print("\n".join(report(rows)))
    for name, its in per_file.items():
        if starts:  # wall-clock ends counted from the first process's first test
            its = [{**r, "end": round(r["end"] - min(starts))} if "end" in r else r
                   for r in its]
        print(f"\n{name}: {sum(r['cpu'] for r in its):.1f} s CPU, modules in the order run")
        print("\n".join(timeline(its)))
