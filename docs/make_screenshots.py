"""Regenerate the screenshots in docs/ (every page the README shows, desktop and phone).

    .venv/bin/python docs/make_screenshots.py [--only NAME ...]

Imports an archive into a temporary folder, as an editor would on the first day: the sample
page and the e-paper sample of 30 September 2022, the bundled People's Daily month
(January 1998) and, so that the charts span years, 4,000 articles recombined from it over
2003-2024 (``bench/corpus.py``).  Then starts ``unionsearch serve`` on a free port and
photographs each page with Debian's chromium (``apt-get install -y chromium
fonts-noto-cjk``).  Desktop: 1280x900; phone: 390x844 (the charts alone at twice the
pixels).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench import corpus as bench_corpus  # noqa: E402  (needs the checkout on sys.path)

BIN = Path(sys.executable).parent
DATA = REPO / "tests" / "data"
INPUTS = [REPO / "web" / "sample" / "page-2022-09-30.txt", DATA / "epaper-sample.html",
          DATA / "pd1998-01-a.jsonl"]
SYNTHETIC = 4000


@dataclass
class Shot:
    name: str  # the file in docs/
    path: str  # the page, with {article} and {reporter} filled in at run time
    phone: bool = False
    element: str = ""  # a CSS selector: photograph that element only


SHOTS = [
    Shot("home-desktop.png", "/"),
    Shot("results-desktop.png", "/search?q=工匠精神"),
    Shot("results-phone.png", "/search?q=工匠精神", phone=True),
    Shot("results-trend-desktop.png", "/search?q=改革"),
    Shot("results-trend-phone.png", "/search?q=改革", phone=True, element="figure.trend"),
    Shot("article-desktop.png", "/articles/{article}?q=工匠精神"),
    Shot("issues-desktop.png", "/issues"),
    Shot("issue-desktop.png", "/issues/2022-09-30"),
    Shot("trends-desktop.png", "/trends?q=改革&q=农民"),
    Shot("trends-phone.png", "/trends?q=改革&q=农民", phone=True, element="figure.trend"),
    Shot("reporters-desktop.png", "/reporters"),
    Shot("reporter-desktop.png", "/reporters/{reporter}"),
    Shot("embed-help-desktop.png", "/embed/help"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def build_archive(tmp: Path) -> Path:
    """The index the screenshots show; its folder."""
    idx = tmp / "idx"
    synthetic = bench_corpus.ensure(tmp, SYNTHETIC, 1998).path
    for files in ([str(p) for p in INPUTS], [synthetic]):
        done = subprocess.run([str(BIN / "unionsearch"), "index", *files, "--index-dir",
                               str(idx)], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"import failed:\n{done.stdout}{done.stderr}")
        print(done.stdout.strip())
    return idx


def check_fonts() -> None:
    """Stop unless a Chinese font is installed: without one every character is a box."""
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    if not found.stdout.strip():
        sys.exit("no Chinese font: apt-get install -y fonts-noto-cjk (the pages ask for Noto CJK)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*", help="file names of the shots to make (default all)")
    only = ap.parse_args().only
    check_fonts()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        idx = build_archive(Path(tmp))
        proc = subprocess.Popen([str(BIN / "unionsearch"), "serve", "--index-dir", str(idx),
                                 "--port", str(port)], stderr=subprocess.DEVNULL)
        try:
            for _ in range(600):
                try:
                    _json(base + "/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            hit = _json(base + "/api/search?" + urllib.parse.urlencode({"q": "工匠精神"}))
            article = hit["hits"][0]["id"]
            reporter = _json(base + "/api/reporters")["reporters"][0]["name"]
            fill = {"article": urllib.parse.quote(article, safe=""),
                    "reporter": urllib.parse.quote(reporter, safe="")}
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--headless", "--no-sandbox", "--disable-gpu",
                          "--disable-background-networking", "--lang=zh-CN"],
                    env={**os.environ, "LANGUAGE": "zh_CN", "LANG": "zh_CN.UTF-8"})
                for shot in SHOTS:
                    if only and shot.name not in only:
                        continue
                    size = {"width": 390, "height": 844} if shot.phone else \
                        {"width": 1280, "height": 900}
                    ctx = browser.new_context(viewport=size, locale="zh-CN",
                                              is_mobile=shot.phone, has_touch=shot.phone,
                                              device_scale_factor=2 if shot.element else 1)
                    page = ctx.new_page()
                    page.goto(base + shot.path.format(**fill))
                    target = page.locator(shot.element).first if shot.element else page
                    target.screenshot(path=str(DOCS / shot.name))
                    print("wrote", DOCS / shot.name)
                    ctx.close()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
