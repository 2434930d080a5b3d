"""Accuracy of the Founder e-paper reader over generated pages (tests/epapergen.py).

Why a separate bench: the e-paper reader is judged on templates it was not written for, so
the number to watch is per field and per template, and chrome leaks must be zero, not rare.

    .venv/bin/python -m bench.epaper_accuracy [--pages 360] [--seed 7] [--show 5]

Checks per page: title, subtitle, kicker, reporters (the same list), date, 版面 and body
(exactly the article's paragraphs); a chrome leak is any chrome string (masthead, copyright,
share bar, other headlines, other 版面 names) found in a field where the truth does not
have it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.readers.html import read_html  # noqa: E402
from indexer.records import Loaded  # noqa: E402
from tests.epapergen import TEMPLATES, Truth, generate  # noqa: E402

FIELDS = ("title", "subtitle", "kicker", "reporters", "date", "page", "body")


def check(path: str, truth: Truth) -> tuple[dict[str, bool], list[str]]:
    """Field-by-field right/wrong for one page, and the chrome strings that leaked."""
    items = list(read_html(path))
    art = items[0].article if len(items) == 1 and isinstance(items[0], Loaded) else None
    if art is None:
        return {f: False for f in FIELDS}, [f"not read: {items}"]
    got = {"title": art.title, "subtitle": art.subtitle, "kicker": art.kicker,
           "reporters": art.reporters, "date": art.date, "page": art.page, "body": art.body}
    ok = {f: got[f] == getattr(truth, f) for f in FIELDS}
    text = "\n".join((art.kicker, art.title, art.subtitle, art.body))
    want = "\n".join((truth.kicker, truth.title, truth.subtitle, truth.body))
    leaks = [c for c in truth.chrome if c and c in text and c not in want]
    return ok, leaks


def got_of(path: str, name: str):
    """What the reader gave for one field (for printing a miss)."""
    items = list(read_html(path))
    art = items[0].article if items and isinstance(items[0], Loaded) else None
    return getattr(art, name) if art else items


def run(pages: int, seed: int, show: int) -> dict:
    right: Counter = Counter()
    per_template: dict[str, Counter] = {t: Counter() for t in TEMPLATES}
    leaks: list[tuple[str, str]] = []
    misses: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        made = generate(pages, tmp, seed=seed)
        for path, truth in made:
            ok, leaked = check(path, truth)
            right.update(f for f, v in ok.items() if v)
            per_template[truth.template].update(f for f, v in ok.items() if v)
            per_template[truth.template]["pages"] += 1
            leaks.extend((truth.template, c) for c in leaked)
            for f, v in ok.items():
                if not v and len(misses) < show:
                    misses.append(f"{truth.template} {f}: {Path(path).name} want "
                                  f"{getattr(truth, f)!r:.60} got {got_of(path, f)!r:.60}")
    n = len(made)
    total = sum(right[f] for f in FIELDS)
    print(f"e-paper reader over {n} generated pages, {len(TEMPLATES)} templates (seed {seed})")
    for f in FIELDS:
        print(f"  {f:<10} {right[f]:4d}/{n}  {100 * right[f] / n:6.2f}%")
    print(f"  all checks {total}/{n * len(FIELDS)}  {100 * total / (n * len(FIELDS)):6.2f}%")
    print(f"  chrome leaks: {len(leaks)}")
    for name, c in per_template.items():
        k = c["pages"] or 1
        print(f"  {name:<13} " + " ".join(f"{f[:5]} {100 * c[f] / k:5.1f}" for f in FIELDS))
    for line in misses:
        print("  miss:", line)
    for name, c in leaks[:show]:
        print("  leak:", name, c)
    return {"pages": n, "right": dict(right), "leaks": len(leaks),
            "accuracy": total / (n * len(FIELDS))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=360)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show", type=int, default=5, help="misses to print")
    args = ap.parse_args(argv)
    result = run(args.pages, args.seed, args.show)
    return 0 if result["accuracy"] >= 0.98 and not result["leaks"] else 1


if __name__ == "__main__":
    sys.exit(main())
