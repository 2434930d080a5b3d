"""The benchmark harness runs end to end on a tiny corpus (no timing assertions:
timings on a shared test machine mean nothing; this only guards the harness)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .helpers import BIN, REPO


def test_bench_runs_end_to_end(tmp_path):
    out, results = tmp_path / "out", tmp_path / "RESULTS.md"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", "200", "--quick", "--per-class", "5",
         "--baseline-max", "50", "--out", str(out), "--results", str(results)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]

    text = results.read_text(encoding="utf-8")
    for heading in ("## ", "### N = 200", "Machine:", "**Import**", "**Queries**",
                    "**Daily import and service**", "| fts5 |", "| naive_whoosh |"):
        assert heading in text, heading
    for cls in ("rare", "common", "two_words", "phrase", "run", "reporter", "date_range",
                "newest", "browse", "facets", "mix"):
        assert f"| {cls} |" in text, cls

    raw = json.loads(next(out.glob("results-*.json")).read_text(encoding="utf-8"))
    size = raw["sizes"][0]
    us = size["unionsearch"]
    assert us["import"]["articles"] == 200 and us["import"]["peak_rss_mb"] > 0
    assert us["daily"]["visible_after_seconds"] is not None
    assert us["server"]["peak_rss_mb"] > 0
    assert set(size["baselines"]) == {"fts5", "naive_whoosh"}
    # Every class found something: the workload is drawn from the corpus itself.
    assert all(q["mean_hits"] > 0 for cls, q in us["queries"].items() if cls != "mix")


def test_a_cached_bench_index_of_another_format_is_removed_to_be_built_again(tmp_path):
    """A benchmark's cached index in bench/out built by older code is not served (the
    server says "Rebuild it"): the benchmarks check it and build it again."""
    from bench.corpus import index_current
    from search.storage.folder import read_meta, write_meta

    from .helpers import unionsearch

    idx = tmp_path / "idx"
    assert not index_current(idx)
    done = unionsearch("index", str(REPO / "web" / "sample" / "page-2022-09-30.txt"),
                       "--index-dir", str(idx))
    assert done.returncode == 0, done.stderr
    assert index_current(idx) and idx.exists()
    meta = read_meta(idx)
    meta["fingerprint"] = {**meta["fingerprint"], "store": -1}
    write_meta(idx, meta)
    refused = unionsearch("search", "工会", "--index-dir", str(idx))
    assert refused.returncode != 0 and "Rebuild it" in refused.stderr, refused.stderr
    assert not index_current(idx) and not idx.exists()
