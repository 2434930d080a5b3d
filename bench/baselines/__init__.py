"""Baselines measured in the same run, so every unionsearch figure has a ratio.

Each baseline module has ``build(corpus, path, limit)`` (run in a child process
by :func:`build_in_child`, so its peak memory is measured like unionsearch's)
and a ``Backend`` class that answers a :class:`bench.queries.BenchQuery`
in-process.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import procs


@dataclass
class BuildRun:
    articles: int
    seconds: float  # measured inside the child: the import, not interpreter start-up
    wall_seconds: float
    peak_rss_mb: float
    peak_tree_mb: float


def read_corpus(path: str | Path, limit: int | None) -> Iterator[dict]:
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                return
            yield json.loads(line)


def reporters_of(doc: dict) -> list[str]:
    return [n.strip() for n in (doc.get("reporter") or "").split("、") if n.strip()]


def day_of(doc: dict) -> int:
    return int(doc["date"].replace("-", ""))


def build_in_child(module: str, corpus: str, path: str | Path, limit: int | None) -> BuildRun:
    """``python -m MODULE build CORPUS PATH [--max N]``; the child prints its JSON."""
    if Path(path).is_dir():
        shutil.rmtree(path)
    else:
        Path(path).unlink(missing_ok=True)
    cmd = [sys.executable, "-m", module, "build", str(corpus), str(path)]
    if limit is not None:
        cmd += ["--max", str(limit)]
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    done = procs.run(cmd, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{module} build failed: {done.stderr[-2000:]}")
    info = json.loads(done.stdout.strip().splitlines()[-1])
    return BuildRun(info["articles"], info["seconds"], done.seconds, done.peak_rss_mb,
                    done.peak_tree_mb)


def build_main(build) -> None:
    """The ``build`` command line shared by the baseline modules."""
    import argparse
    import time

    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["build"])
    ap.add_argument("corpus")
    ap.add_argument("path")
    ap.add_argument("--max", type=int, default=None)
    args = ap.parse_args()
    started = time.perf_counter()
    n = build(args.corpus, args.path, args.max)
    print(json.dumps({"articles": n, "seconds": time.perf_counter() - started}))
