"""Running measured child processes: wall time and peak memory.

Two memory figures, because an import may fan out to worker processes:

* ``peak_rss_mb``: the kernel's own high-water mark of the largest single
  process, not a sample: the command runs under ``_peak.py``, which reports
  its ``ru_maxrss`` (the command and every descendant it waited for; see that
  file for why a wrapper);
* ``peak_tree_mb``: the whole process tree's memory summed (PSS, so pages
  shared after fork count once), sampled ten times a second: what the machine
  must actually have.

A long-running child (the server) is read from ``/proc/<pid>/status`` (VmHWM)
before it is stopped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Finished:
    returncode: int
    seconds: float
    peak_rss_mb: float
    peak_tree_mb: float
    stdout: str
    stderr: str


def vm_hwm_mb(pid: int) -> float | None:
    """Peak resident memory of a live process, in MB (None once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


PEAK = str(Path(__file__).with_name("_peak.py"))
SAMPLE_EVERY = 0.1


def descendants(pid: int) -> list[int]:
    """``pid``'s live descendants (not ``pid`` itself)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.scandir(f"/proc/{p}/task"):
                kids = Path(task.path, "children").read_text().split()
                out += map(int, kids)
                todo += map(int, kids)
        except OSError:
            continue
    return out


def pss_mb(pid: int) -> float:
    """Proportional set size of one process (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process tree until stopped; keeps the peak."""

    def __init__(self, root: int, include_root: bool = True):
        super().__init__(daemon=True)
        self.root, self.include_root = root, include_root
        self.peak_mb = 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            pids = descendants(self.root) + ([self.root] if self.include_root else [])
            self.peak_mb = max(self.peak_mb, sum(pss_mb(p) for p in pids))
            self._stop_event.wait(SAMPLE_EVERY)

    def stop(self) -> float:
        self._stop_event.set()
        self.join()
        return self.peak_mb


def run(cmd: list[str], env: dict | None = None) -> Finished:
    """Run ``cmd`` to completion, capturing output to files (no pipe deadlocks)."""
    out_dir = Path(os.environ.get("TMPDIR", "/tmp"))
    stamp = f"{os.getpid()}-{time.monotonic_ns()}"
    out_path, err_path = out_dir / f"bench-{stamp}.out", out_dir / f"bench-{stamp}.err"
    started = time.perf_counter()
    peak_path = out_dir / f"bench-{stamp}.peak"
    with open(out_path, "w+b") as out, open(err_path, "w+b") as err:
        proc = subprocess.Popen([sys.executable, "-I", "-S", PEAK, str(peak_path), *cmd],
                                stdout=out, stderr=err, env=env)
        sampler = TreeSampler(proc.pid, include_root=False)  # the wrapper is not measured
        sampler.start()
        code = proc.wait()
        tree = sampler.stop()
        seconds = time.perf_counter() - started
        try:
            peak = int(peak_path.read_text()) / 1024  # KiB on Linux
        except (OSError, ValueError):
            peak = float("nan")
        peak_path.unlink(missing_ok=True)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode(
            "utf-8", "replace")
    out_path.unlink(missing_ok=True)
    err_path.unlink(missing_ok=True)
    return Finished(code, seconds, peak, tree, stdout, stderr)

