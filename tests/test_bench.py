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
