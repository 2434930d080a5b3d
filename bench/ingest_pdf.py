"""版面 PDF accuracy and speed per layout family (``tests/pdffamilies.py``), tuned vs held out.

Why: the PDF reader cuts pages into stories by type size and geometry; measured on pages of
the layouts it was tuned on, it measures its own habits.  Each family prints real corpus
articles one way a daily lays out a page; ``HELD_OUT`` families were never looked at while
the rules were written, and the table says which is which.  Checks per article: title,
kicker, subtitle, reporters (where the page vouches for them), date, 版面 (number and name),
body (every printed paragraph there, nothing more), each phrase a column break cut found in
the right article, and no headline of another article inside its body.

Speed and memory are measured in a child process that only reads the PDFs (chromium, which
prints them, is not counted): pages per second of the reader (text layer, segmentation,
articles) and the child's peak resident memory.

    python -m bench.ingest_pdf --pages 10            # per family, seeds 1000..1009
    python -m bench.ingest_pdf --pages 4 --misses    # and each failed check (tuned families)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter

from tests.pdffamilies import CHECKS, FAMILIES, HELD_OUT, PdfPage, render, score

TUNED = tuple(f for f in FAMILIES if f not in HELD_OUT)
SEED_BASE = 1000  # tests use seeds below 100

_READ_ALL = r"""
import json, resource, sys, time
from indexer.readers.pdf import read_pdf
out = {}
for path in sys.argv[1:]:
    started = time.perf_counter()
    items = list(read_pdf(path))
    out[path] = time.perf_counter() - started
print(json.dumps({"seconds": out,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def make_pages(families: list[str], pages: int, base: int, folder: str) -> list[PdfPage]:
    """Print ``pages`` pages of each family into ``folder`` (one PDF per page)."""
    from playwright.sync_api import sync_playwright

    made = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            for fam in families:
                for seed in range(base, base + pages):
                    page = render(browser, fam, seed)
                    path = os.path.join(folder, f"{fam}-{seed}.pdf")
                    with open(path, "wb") as fh:
                        fh.write(page.pdf)
                    made.append(page)
        finally:
            browser.close()
    return made


def timed(paths: list[str]) -> dict:
    """Seconds per file and the peak memory of a process that only reads them."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", _READ_ALL, *paths], capture_output=True,
                          text=True, check=True, cwd=root)
    return json.loads(done.stdout)


def measure(families: list[str], pages: int, base: int = SEED_BASE,
            misses: list[str] | None = None) -> tuple[dict[str, Counter], dict]:
    """Counts per family ((check, 0) right, (check, 1) total) and the speed figures."""
    from indexer.readers.pdf import read_pdf

    with tempfile.TemporaryDirectory(prefix="pdf-families-") as folder:
        made = make_pages(families, pages, base, folder)
        paths = [os.path.join(folder, f"{p.family}-{p.seed}.pdf") for p in made]
        speed = timed(paths)
        results: dict[str, Counter] = {}
        for page, path in zip(made, paths, strict=True):
            counts, fails = score(page, list(read_pdf(path)))
            c = results.setdefault(page.family, Counter())
            for check, (right, total) in counts.items():
                c[check, 0] += right
                c[check, 1] += total
            c["seconds", 0] += speed["seconds"][path]
            c["pages", 0] += 1
            if misses is not None:
                misses.extend(fails)
    return results, speed


def _rate(c: Counter, check: str) -> str:
    n = c[check, 1]
    return f"{100 * c[check, 0] / n:.1f}% ({n})" if n else "n/a"


def table(results: dict[str, Counter], speed: dict) -> str:
    """A Markdown table: one row per family, then the totals of tuned and held-out."""
    cols = [*CHECKS, "pages/s"]
    lines = ["| family | set | " + " | ".join(cols) + " |",
             "|" + "---|" * (len(cols) + 2)]
    for group, fams in (("tuned", TUNED), ("held out", HELD_OUT)):
        total: Counter = Counter()
        for fam in fams:
            if fam not in results:
                continue
            c = results[fam]
            total.update(c)
            lines.append(f"| {fam} | {group} | " + " | ".join(_rate(c, k) for k in CHECKS)
                         + f" | {c['pages', 0] / c['seconds', 0]:.1f} |")
        if total:
            lines.append(f"| all {group} | | " + " | ".join(_rate(total, k) for k in CHECKS)
                         + f" | {total['pages', 0] / total['seconds', 0]:.1f} |")
    lines.append("")
    lines.append(f"Peak resident memory of the reading process: "
                 f"{speed['peak_kib'] / 1024:.0f} MiB.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10, help="pages per family")
    ap.add_argument("--seed-base", type=int, default=SEED_BASE)
    ap.add_argument("--family", action="append", help="only these families")
    ap.add_argument("--misses", action="store_true",
                    help="print each failed check (of the tuned families, unless --family)")
    args = ap.parse_args(argv)
    fams = args.family or list(FAMILIES)
    misses: list[str] | None = [] if args.misses else None
    results, speed = measure(fams, args.pages, args.seed_base, misses)
    for m in misses or []:
        if m.split(":")[0] in TUNED or args.family:  # held-out misses stay unseen
            print(m)
    print(table(results, speed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
