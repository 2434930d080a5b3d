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
FAMILIES = ("grid3", "narrow5", "ruled4", "lead", "framed", "metro", "labor", "special",
            "theory", "briefs", "weekly", "youth")
# as tests/scanpages.py says: never looked at while tuning
HELD_OUT = ("metro",)


def norm(s: str) -> str:
    """What a search would compare: NFKC, no white space."""
    return "".join(unicodedata.normalize("NFKC", s).split())


def ocr_worker(engine: str, folder: Path, family: str) -> None:
    """OCR every page PNG of ``family`` in ``folder`` with ``engine``; the engine's own
    lines (before the import's gutter splitting, which :func:`evaluate` runs, so that a
    change to it is measured without reading the pages again) and the seconds (CPU and
    wall) as JSON."""
    import numpy as np
    from PIL import Image

    from indexer.printed.ocr import read_raw

    out = {}
    for png in sorted(folder.glob(f"{family}-*.png")):
        gray = np.asarray(Image.open(png).convert("L"))
        t, c = time.perf_counter(), time.process_time()
        raw = read_raw(gray, engine)
        out[png.stem] = {"seconds": time.perf_counter() - t, "cpu": time.process_time() - c,
                         "raw": [[[ch.text, list(ch.box), ch.conf] for ch in ln.chars]
                                 for ln in raw]}
    (folder / f"ocr-{engine}-{family}.json").write_text(json.dumps(out, ensure_ascii=False))


def make_scans(folder: Path, families: list[str], seeds: int, base: int = SEED_BASE) -> dict:
    """The pages (cached in ``folder``), seeds ``base`` on: truth per page name."""
    from tests.scanpages import PDF_MADE, make_page, pdf_made_page, print_pdf, save_scan, scan

    folder.mkdir(parents=True, exist_ok=True)
    pages = [make_page(f, base + s) for f in families if f not in PDF_MADE
             for s in range(seeds)]
    # Printed every time: printing fits each story to the page and so makes the truth (a
    # story loses what the page cannot hold); only the scan of a page is kept from before.
    for pdf, sp in zip(print_pdf(pages, folder), pages, strict=True):
        png = folder / f"{sp.family}-{sp.seed}.png"
        if not png.exists():
            save_scan(scan(pdf, sp.seed), png)
    if any(f in PDF_MADE for f in families):  # their truth comes from printing them
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            try:
                for fam in (f for f in families if f in PDF_MADE):
                    for s in range(seeds):
                        sp, data = pdf_made_page(browser, fam, base + s)
                        pdf = folder / f"{fam}-{sp.seed}.pdf"
                        pdf.write_bytes(data)
                        png = folder / f"{fam}-{sp.seed}.png"
                        if not png.exists():
                            save_scan(scan(pdf, sp.seed), png)
                        pages.append(sp)
            finally:
                browser.close()
    return {f"{p.family}-{p.seed}": p for p in pages}


def run_engine(engine: str, folder: Path, family: str, reuse: bool = False
               ) -> tuple[dict, int]:
    """OCR results of ``engine`` on ``family``'s pages and the peak RSS in KiB of the
    process that read them (one process per family); ``reuse``: an earlier run's results
    in ``folder`` when there are (OCR is deterministic: only the seconds would differ)."""
    peak = folder / f"peak-{engine}-{family}.txt"
    got = folder / f"ocr-{engine}-{family}.json"
    if not (reuse and got.exists() and peak.exists()):
        cmd = [sys.executable, "-I", "-S", str(HERE / "_peak.py"), str(peak), sys.executable,
               "-m", "bench.ingest_scan", "--ocr-worker", engine, str(folder), family]
        subprocess.run(cmd, check=True, cwd=HERE.parent)
    return json.loads(got.read_text()), int(peak.read_text())


def _match(truth, pieces):  # noqa: ANN001, ANN202 - ScanArticle, list[Piece]
    """The piece made of a story: by title, else by the most shared text; between pieces
    of one title (a page may print two stories headed 图片新闻) by the most shared text."""
    body = norm(truth.body)

    def title(p) -> float:  # noqa: ANN001 - a Piece
        return round(difflib.SequenceMatcher(None, norm(p.title), norm(truth.title)).ratio(), 3)

    def shared(p) -> float:  # noqa: ANN001 - a Piece
        return (sum(1 for ph in truth.phrases if ph in norm(p.body))
                + difflib.SequenceMatcher(None, norm(p.body)[:200], body[:200]).ratio())

    best = max(pieces, key=lambda p: (title(p), shared(p)), default=None)
    if best is not None and title(best) >= 0.6:
        return best
    return max(pieces, key=shared, default=None)


def page_of(folder: Path, name: str, result: dict, engine: str,  # noqa: ANN201
            headlines: bool = True):
    """The PrintedPage the import makes of a page the engine read (``result["raw"]``);
    ``headlines``: with its headline lines read again (the CPU seconds that takes, the
    process's and tesseract's, go in ``result["reread"]``)."""
    import resource

    import numpy as np
    from PIL import Image

    from indexer.printed.ocr import RawChar, RawLine, ocr_page

    raw = [RawLine([RawChar(t, tuple(b), c) for t, b, c in ln]) for ln in result["raw"]]
    gray = np.asarray(Image.open(folder / f"{name}.png").convert("L"))
    if not headlines:
        return ocr_page(gray, 200, name, 0, engine, raw, headlines=False)
    from indexer.printed.headlines import reread
    from indexer.printed.ocr import _rapid, dropped_dashes, ocr_gray

    lines = dropped_dashes(ocr_gray(gray, 200, engine, raw), gray, 200)
    _rapid()  # loaded once per import worker (it read the page), not per page
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime + time.process_time()
    reread(lines, gray, 200)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime + time.process_time()
    result["reread"] = after - before
    return ocr_page(gray, 200, name, 0, engine, raw)


def evaluate(truth: dict, results: dict, misses: list[str] | None = None,
             folder: Path | None = None, engine: str = "rapidocr",
             headlines: bool = True) -> dict:
    """Counts per family: (check, 0) right, (check, 1) total."""
    from indexer.printed.segment import segment

    per: dict[str, Counter] = {}
    for name, sp in truth.items():
        page = page_of(folder or Path(), name, results[name], engine, headlines)
        c = per.setdefault(sp.family, Counter())
        c["reread"] += results[name].get("reread", 0.0)
        c["seconds"] += results[name]["seconds"]
        c["cpu"] += results[name].get("cpu", 0.0)
        c["pages"] += 1
        pieces = segment(page, page.frames)
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


def table(engine: str, per: dict, peaks: dict[str, int]) -> str:
    rows = ["| family | pages | OCR s/page (CPU s/page) | headline re-read CPU s/page | "
            "peak RSS | titles | phrases (right article) | phrases (any article) |",
            "|---|---|---|---|---|---|---|---|"]
    total: Counter = Counter()
    for fam, c in per.items():
        total.update(c)
        held = " (held out)" if fam in HELD_OUT else ""
        rows.append(_row(fam + held, c, peaks.get(fam, 0)))
    rows.append(_row("**all**", total, max(peaks.values(), default=0)))
    return f"{engine}\n\n" + "\n".join(rows)


def _row(name: str, c: Counter, peak: int) -> str:
    def pct(check: str) -> str:
        n = c[check, 1]
        return f"{100 * c[check, 0] / n:.1f}% ({c[check, 0]}/{n})" if n else "–"
    pages = max(1, c["pages"])
    return (f"| {name} | {c['pages']} | {c['seconds'] / pages:.1f} ({c['cpu'] / pages:.1f}) | "
            f"{c['reread'] / pages:.2f} | {peak / 1024:,.0f} MiB | {pct('titles')} | "
            f"{pct('phrases')} | {pct('phrases (page)')} |")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ocr-worker", nargs=3, metavar=("ENGINE", "FOLDER", "FAMILY"))
    ap.add_argument("--seeds", type=int, default=2, help="pages per family")
    ap.add_argument("--seed-base", type=int, default=SEED_BASE,
                    help="the first seed (pages not looked at while tuning: a new base)")
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--reuse", action="store_true",
                    help="take OCR results an earlier run left in the folder")
    ap.add_argument("--folder", default=os.path.join("/tmp", "unionsearch-scan-bench"))
    ap.add_argument("--misses", action="store_true", help="print the wrong titles")
    ap.add_argument("--no-reread", action="store_true",
                    help="leave headline lines as the page read gave them")
    args = ap.parse_args(argv)
    if args.ocr_worker:
        ocr_worker(args.ocr_worker[0], Path(args.ocr_worker[1]), args.ocr_worker[2])
        return
    folder = Path(args.folder)
    truth = make_scans(folder, args.families.split(","), args.seeds, args.seed_base)
    for f in folder.glob("*.png"):
        if f.stem not in truth:
            f.unlink()
    for engine in args.engines.split(","):
        results: dict = {}
        peaks: dict[str, int] = {}
        for fam in args.families.split(","):
            got, peaks[fam] = run_engine(engine, folder, fam, args.reuse)
            results.update(got)
        misses: list[str] = []
        per = evaluate(truth, results, misses, folder, engine, not args.no_reread)
        print(table(engine, per, peaks), "\n", flush=True)
        if args.misses:
            print("\n".join(misses), "\n")


if __name__ == "__main__":
    main()
