"""Would trafilatura find e-paper texts better than the reader's own rules?  A measurement.

Why: the e-paper reader finds the text of pages without Founder markers by its own density
and heading rules; a well-kept extractor is worth a dependency only if it does better.  Run
on the same generated families as bench/ingest_epaper.py (trafilatura is not a dependency:
install it in the venv to run this).

    .venv/bin/python -m bench.epaper_trafilatura [--pages 20] [--seed 7]

Per family, for trafilatura's text and for the reader's body: the share of the article's
paragraphs found whole, of pages with every paragraph and nothing else (headings, bylines,
chrome), and chrome strings found.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.readers.html import read_html  # noqa: E402
from indexer.readers.htmlenc import read_html_text  # noqa: E402
from indexer.records import Loaded  # noqa: E402
from tests import epaperfamilies  # noqa: E402


def _lines(text: str) -> list[str]:
    return [" ".join(x.split()).replace(" ", "").replace("\u3000", "")
            for x in (text or "").split("\n") if x.strip()]


def score(got: str, truth) -> tuple[float, bool, int]:
    """(paragraphs found, exact text, chrome strings) for one extracted text."""
    want = _lines(truth.body)
    have = _lines(got)
    found = sum(1 for w in want if w in have) / max(1, len(want))
    leaks = sum(1 for c in truth.chrome if c and c in got and c not in truth.body)
    return found, have == want, leaks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=20, help="pages per family")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--families", default="",
                    help="comma-separated families (default: the first and second sets)")
    args = ap.parse_args(argv)
    try:
        import trafilatura
    except ImportError:
        print("trafilatura is not installed: pip install trafilatura lxml_html_clean")
        return 2
    families = (tuple(f for f in args.families.split(",") if f)
                or epaperfamilies.FAMILIES + epaperfamilies.SECOND)
    rows: dict[str, dict[str, Counter]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        made = epaperfamilies.generate(args.pages * len(families), tmp, seed=args.seed,
                                       families=families)
        for path, truth in made:
            text = read_html_text(path)
            theirs = trafilatura.extract(text, include_comments=False, include_tables=True,
                                         favor_recall=True) or ""
            items = list(read_html(path))
            ours = items[0].article.body if items and isinstance(items[0], Loaded) else ""
            for name, got in (("trafilatura", theirs), ("reader", ours)):
                found, exact, leaks = score(got, truth)
                row = rows.setdefault(truth.template, {}).setdefault(name, Counter())
                row["found"] += found
                row["exact"] += exact
                row["leaks"] += leaks
                row["pages"] += 1
    print(f"text found per family (seed {args.seed}, {args.pages} pages each): "
          "paragraphs found / pages exact / chrome strings")
    for family, by in rows.items():
        cells = "   ".join(f"{name} {100 * c['found'] / c['pages']:5.1f}% "
                           f"{100 * c['exact'] / c['pages']:5.1f}% {c['leaks']:3d}"
                           for name, c in by.items())
        print(f"  {family:<12} {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
