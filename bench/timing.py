"""Timing a workload against a backend: per-query latency, grouped by class."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .queries import BenchQuery
from .target import Outcome


class Backend(Protocol):
    name: str

    def search(self, q: BenchQuery) -> Outcome: ...


@dataclass
class ClassTimes:
    ms: list[float] = field(default_factory=list)
    engine_ms: list[float] = field(default_factory=list)  # server-reported, unionsearch only
    totals: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def percentile(values: list[float], p: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), None for no values."""
    if not values:
        return None
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summary(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "p99": percentile(values, 99), "max": max(values) if values else None}


def warm_up(backend: Backend, queries: Iterable[BenchQuery]) -> None:
    for q in queries:
        try:
            backend.search(q)
        except Exception:  # noqa: BLE001 - failures are counted by measure()
            pass


def measure(backend: Backend, queries: list[BenchQuery]) -> dict[str, ClassTimes]:
    """Run ``queries`` in order, one at a time; wall time per query in ms.

    A failing query is recorded, not raised: one bad answer should not throw
    away the import that took minutes before it."""
    out: dict[str, ClassTimes] = defaultdict(ClassTimes)
    for q in queries:
        ct = out[q.cls]
        t0 = time.perf_counter()
        try:
            res = backend.search(q)
        except Exception as exc:  # noqa: BLE001 - reported in the results
            ct.errors.append(f"{q.q!r}: {exc}"[:300])
            continue
        ms = (time.perf_counter() - t0) * 1000
        ct.ms.append(ms)
        ct.totals.append(res.total)
        if res.engine_ms is not None:
            ct.engine_ms.append(res.engine_ms)
    return dict(out)


def digest(times: dict[str, ClassTimes]) -> dict:
    """Per-class and whole-mix percentiles plus mean hit counts, JSON-ready."""
    out = {}
    every: list[float] = []
    for cls, ct in times.items():
        every += ct.ms
        out[cls] = {**summary(ct.ms),
                    "engine": summary(ct.engine_ms) if ct.engine_ms else None,
                    "mean_hits": sum(ct.totals) / len(ct.totals) if ct.totals else None,
                    "zero_hit_queries": sum(1 for t in ct.totals if t == 0),
                    "errors": ct.errors}
    out["mix"] = {**summary(every), "engine": None, "mean_hits": None, "zero_hit_queries": None}
    return out
