"""Scanned pages per layout family (``tests/scanpages.py``): OCR engines compared on the same
pages, and what the import makes of them.

Pages of real articles are printed by Chromium, rasterised at 200 dpi, turned 0.5–1° and
soiled (``tests.scanpages.scan``).  Each engine OCRs every page in a process of its own
(wrapped by ``bench/_peak.py`` for its peak memory); then per page:

* ``phrases (page)``: the story's 4-character phrases found in any article of the page
  (what the engine read, whichever article it went to);
* ``phrases``: found in the article the segmentation made of that story (matched by title,
  else by the most shared text);
* ``titles``: the story's title exactly (spaces and punctuation width aside).

    python -m bench.ingest_scan --seeds 2 --engines rapidocr,tesseract
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED_BASE = 500  # the suite's scans use seeds below 100


def norm(s: str) -> str:
    """What a search would compare: NFKC, no white space."""
    return "".join(unicodedata.normalize("NFKC", s).split())


def ocr_worker(engine: str, folder: Path) -> None:
    """OCR every page PNG of ``folder`` with ``engine``; its lines and seconds as JSON."""
    import numpy as np
    from PIL import Image

    from indexer.printed.ocr import ocr_page
    from indexer.printed.store import page_to_json

    out = {}
    for png in sorted(folder.glob("*.png")):
        gray = np.asarray(Image.open(png).convert("L"))
        t = time.perf_counter()
        page = ocr_page(gray, 200, str(png), 0, engine)
        out[png.stem] = {"seconds": time.perf_counter() - t, "page": page_to_json(page)}
    (folder / f"ocr-{engine}.json").write_text(json.dumps(out, ensure_ascii=False))


def make_scans(folder: Path, families: list[str], seeds: int) -> dict:
    """The pages (cached in ``folder``): truth per page name."""
    from tests.scanpages import make_page, print_pdf, save_scan, scan

    folder.mkdir(parents=True, exist_ok=True)
    pages = [make_page(f, SEED_BASE + s) for f in families for s in range(seeds)]
    todo = [p for p in pages if not (folder / f"{p.family}-{p.seed}.png").exists()]
    if todo:
        for pdf, sp in zip(print_pdf(todo, folder), todo, strict=True):
            save_scan(scan(pdf, sp.seed), folder / f"{sp.family}-{sp.seed}.png")
    return {f"{p.family}-{p.seed}": p for p in pages}


def run_engine(engine: str, folder: Path) -> tuple[dict, int]:
    """OCR results of ``engine`` and its peak RSS in KiB (its own process)."""
    peak = folder / f"peak-{engine}.txt"
    cmd = [sys.executable, "-I", "-S", str(HERE / "_peak.py"), str(peak), sys.executable,
           "-m", "bench.ingest_scan", "--ocr-worker", engine, str(folder)]
    subprocess.run(cmd, check=True, cwd=HERE.parent)
    data = json.loads((folder / f"ocr-{engine}.json").read_text())
    return data, int(peak.read_text())


def _match(truth, pieces):  # noqa: ANN001, ANN202 - ScanArticle, list[Piece]
    """The piece made of a story: by title, else by the most shared text."""
    best = max(pieces, key=lambda p: difflib.SequenceMatcher(
        None, norm(p.title), norm(truth.title)).ratio(), default=None)
    if best is not None and difflib.SequenceMatcher(
            None, norm(best.title), norm(truth.title)).ratio() >= 0.6:
        return best
    body = norm(truth.body)
    return max(pieces, key=lambda p: sum(1 for ph in truth.phrases if ph in norm(p.body))
               + difflib.SequenceMatcher(None, norm(p.body)[:200], body[:200]).ratio(),
               default=None)


def evaluate(truth: dict, results: dict, misses: list[str] | None = None) -> dict:
    """Counts per family: (check, 0) right, (check, 1) total."""
    from indexer.printed.segment import segment
    from indexer.printed.store import page_from_json

    per: dict[str, Counter] = {}
    for name, sp in truth.items():
        page = page_from_json(results[name]["page"])
        c = per.setdefault(sp.family, Counter())
        c["seconds"] += results[name]["seconds"]
        c["pages"] += 1
        pieces = segment(page)
        text = "\n".join(norm(p.kicker + p.title + p.subtitle + p.body) for p in pieces)
        for art in sp.articles:
            got = _match(art, pieces)
            c["titles", 1] += 1
            ok = got is not None and norm(got.title) == norm(art.title)
            c["titles", 0] += ok
            if not ok and misses is not None:
                misses.append(f"{name}: title {art.title!r} read {got.title if got else None!r}")
            inside = norm(got.kicker + got.title + got.subtitle + got.body) if got else ""
            for ph in art.phrases:
                c["phrases (page)", 1] += 1
                c["phrases (page)", 0] += ph in text
                c["phrases", 1] += 1
                c["phrases", 0] += ph in inside
    return per


def table(engine: str, per: dict, peak: int) -> str:
    rows = ["| family | pages | OCR s/page | titles | phrases (right article) | "
            "phrases (any article) |", "|---|---|---|---|---|---|"]
    total: Counter = Counter()
    for fam, c in per.items():
        total.update(c)
        rows.append(_row(fam, c))
    rows.append(_row("**all**", total))
    return f"{engine} (peak RSS {peak / 1024:.0f} MiB)\n\n" + "\n".join(rows)


def _row(name: str, c: Counter) -> str:
    def pct(check: str) -> str:
        n = c[check, 1]
        return f"{100 * c[check, 0] / n:.1f}% ({c[check, 0]}/{n})" if n else "–"
    return (f"| {name} | {c['pages']} | {c['seconds'] / max(1, c['pages']):.1f} | "
            f"{pct('titles')} | {pct('phrases')} | {pct('phrases (page)')} |")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ocr-worker", nargs=2, metavar=("ENGINE", "FOLDER"))
    ap.add_argument("--seeds", type=int, default=2, help="pages per family")
    ap.add_argument("--families", default="grid3,narrow5,ruled4,lead")
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--folder", default=os.path.join("/tmp", "unionsearch-scan-bench"))
    ap.add_argument("--misses", action="store_true", help="print the wrong titles")
    args = ap.parse_args(argv)
    if args.ocr_worker:
        ocr_worker(args.ocr_worker[0], Path(args.ocr_worker[1]))
        return
    folder = Path(args.folder)
    truth = make_scans(folder, args.families.split(","), args.seeds)
    for f in folder.glob("*.png"):
        if f.stem not in truth:
            f.unlink()
    for engine in args.engines.split(","):
        results, peak = run_engine(engine, folder)
        misses: list[str] = []
        print(table(engine, evaluate(truth, results, misses), peak), "\n", flush=True)
        if args.misses:
            print("\n".join(misses), "\n")


if __name__ == "__main__":
    main()
