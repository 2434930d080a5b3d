"""Where an import's CPU goes: the importing process and its workers, apart.

    python -m bench.import_cpu CORPUS.jsonl --articles 50000 [--out DIR] [--profile DIR]

Imports the first ``--articles`` lines of ``CORPUS`` into a fresh index (``--rebuild``,
in process, as ``unionsearch index`` does; no merges beside it), then prints the wall
time, articles/s, and the CPU seconds (user + system) of the importing process and of
its workers (``RUSAGE_CHILDREN``: the pool's processes, reaped when it closes), each per
1,000 articles.  On a shared machine the CPU figures are the ones to compare.

``--profile DIR`` also writes cProfile statistics, timed by the CPU clock (which slows
what it profiles: read them as shares, not as the figures above): ``parent.prof`` for
the importing process and ``worker-<pid>-<n>.prof`` for each segment a worker built
(the analysis only: what a worker spends receiving and returning a batch is the
difference between its CPU and the sum of these).  ``--top N`` prints the heaviest
functions of each.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import os
import pstats
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ["UNIONSEARCH_MERGE_BESIDE"] = "0"

_PROFILE_DIR = ""
_built = itertools.count()


def _profiled_build(index_dir: str, names: list, docs: list):  # noqa: ANN202 - as wrapped
    """``build_segment`` under cProfile, its statistics written to the profile folder."""
    from search.storage import segments

    prof = cProfile.Profile(time.process_time)
    prof.enable()
    try:
        return segments.build_segment(index_dir, names, docs)
    finally:
        prof.disable()
        prof.dump_stats(os.path.join(_PROFILE_DIR, f"worker-{os.getpid()}-{next(_built)}.prof"))


def _cpu(who: int) -> float:
    use = resource.getrusage(who)
    return use.ru_utime + use.ru_stime


def _head(corpus: Path, n: int, folder: Path) -> Path:
    path = folder / f"head-{n}.jsonl"
    with open(corpus, "rb") as src, open(path, "wb") as out:
        for line in itertools.islice(src, n):
            out.write(line)
    return path


def run(corpus: Path, articles: int, out: Path, profile: Path | None) -> dict:
    """Import and measure; returns the figures."""
    global _PROFILE_DIR
    from indexer import writer
    from indexer.readers import read

    work = Path(tempfile.mkdtemp(prefix="import-cpu-"))
    try:
        src = _head(corpus, articles, work)
        shutil.rmtree(out, ignore_errors=True)
        prof = None
        if profile is not None:
            profile.mkdir(parents=True, exist_ok=True)
            _PROFILE_DIR = str(profile)
            writer.build_segment = _profiled_build
            prof = cProfile.Profile(time.process_time)
        parent0, children0, wall0 = _cpu(resource.RUSAGE_SELF), \
            _cpu(resource.RUSAGE_CHILDREN), time.monotonic()
        if prof is not None:
            prof.enable()
        summary = writer.import_items(str(out), read([str(src)]), rebuild=True)
        if prof is not None:
            prof.disable()
            prof.dump_stats(str(profile / "parent.prof"))
        wall = time.monotonic() - wall0
        parent = _cpu(resource.RUSAGE_SELF) - parent0
        workers = _cpu(resource.RUSAGE_CHILDREN) - children0
    finally:
        shutil.rmtree(work, ignore_errors=True)
    k = articles / 1000
    return {"articles": articles, "added": summary.added, "merged": summary.merged,
            "rejected": len(summary.rejected), "wall_s": round(wall, 1),
            "articles_per_s": round(articles / wall, 1),
            "parent_cpu_per_1000": round(parent / k, 3),
            "workers_cpu_per_1000": round(workers / k, 3),
            "all_cpu_per_1000": round((parent + workers) / k, 3),
            "load": os.getloadavg()[0]}


def _top(path: Path, n: int) -> None:
    stats = pstats.Stats(str(path))
    print(f"--- {path.name}")
    stats.sort_stats("tottime").print_stats(n)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--articles", type=int, default=50_000)
    ap.add_argument("--out", type=Path, default=Path("bench/out/import-cpu-index"))
    ap.add_argument("--profile", type=Path, default=None)
    ap.add_argument("--top", type=int, default=0)
    args = ap.parse_args(argv)
    figures = run(args.corpus, args.articles, args.out, args.profile)
    print(json.dumps(figures))
    if args.profile is not None and args.top:
        _top(args.profile / "parent.prof", args.top)
        workers = sorted(args.profile.glob("worker-*.prof"))
        if workers:
            stats = pstats.Stats(*[str(w) for w in workers])
            print(f"--- {len(workers)} worker profiles together")
            stats.sort_stats("tottime").print_stats(args.top)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
