"""What scoring only a page's candidates saves: :mod:`bench.toggle` with
``search.results.EARLY_TOP_K`` as the switch and every query sorted newest first.

    python -m bench.early INDEX_DIR CORPUS.jsonl [--per-class N] [--repeat R] [--sort S]

``--sort mix`` keeps each query's own sort; the rest is :mod:`bench.toggle`'s.
"""

from __future__ import annotations

import sys

from bench import toggle


def main(argv: list[str] | None = None) -> None:
    toggle.main(["--switch", "search.results:EARLY_TOP_K", "--sort", "newest",
                 *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
