"""``python -m bench.cpu_compare A1.json A2.json … -- B1.json B2.json …``

Per class of query, the CPU p50 / p95 of two versions of the code from runs of
:mod:`bench.cpu_per_query`: each query's least CPU over the runs of a version (the
runs alternate between the versions, so load that drifts touches both), then the
percentiles over the queries of the class, and B against A in percent.
"""

from __future__ import annotations

import json
import sys

from .queries import CLASSES
from .timing import percentile


def best(paths: list[str]) -> dict[str, dict[str, float]]:
    """Each query's least CPU ms over the runs in ``paths``, by class."""
    out: dict[str, dict[str, float]] = {}
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            run = json.load(fh)
        for cls, per_query in run.items():
            if cls.startswith("_"):
                continue
            held = out.setdefault(cls, {})
            for q, ms in per_query.items():
                held[q] = min(ms, held.get(q, ms))
    return out


def table(a: dict[str, dict[str, float]], b: dict[str, dict[str, float]],
          names: tuple[str, str] = ("A", "B")) -> str:
    """A Markdown table: per class, p50 and p95 of A and of B (queries both answered)."""
    rows = [f"| class | {names[0]} p50 / p95 ms | {names[1]} p50 / p95 ms | p50 | p95 |",
            "|---|---:|---:|---:|---:|"]
    every_a: list[float] = []
    every_b: list[float] = []
    for cls in [*CLASSES, *sorted(set(a) - set(CLASSES))]:
        common = sorted(set(a.get(cls, {})) & set(b.get(cls, {})))
        if not common:
            continue
        xa = [a[cls][q] for q in common]
        xb = [b[cls][q] for q in common]
        every_a += xa
        every_b += xb
        rows.append(_row(cls, xa, xb))
    rows.append(_row("all", every_a, every_b))
    return "\n".join(rows)


def _row(name: str, xa: list[float], xb: list[float]) -> str:
    pa50, pa95 = percentile(xa, 50), percentile(xa, 95)
    pb50, pb95 = percentile(xb, 50), percentile(xb, 95)
    return (f"| {name} ({len(xa)}) | {pa50:.2f} / {pa95:.2f} | {pb50:.2f} / {pb95:.2f} | "
            f"{(pb50 / pa50 - 1) * 100:+.0f}% | {(pb95 / pa95 - 1) * 100:+.0f}% |")


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    cut = args.index("--")
    print(table(best(args[:cut]), best(args[cut + 1:])))


if __name__ == "__main__":
    main()
