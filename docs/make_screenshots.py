"""Regenerate docs/results-desktop.png and docs/results-phone.png.

    .venv/bin/python docs/make_screenshots.py

Starts ``unionsearch serve`` over a fresh sample index on a free port and photographs the
results page for 工匠精神 with Debian's chromium (``apt-get install -y chromium
fonts-noto-cjk``).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
SHOTS = [("results-desktop.png", 1280, 900, False), ("results-phone.png", 390, 844, True)]


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([str(BIN / "unionsearch"), "serve", "--sample-if-empty",
                                 "--index-dir", os.path.join(tmp, "idx"), "--port", str(port)])
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                        if json.load(r)["documents"]:
                            break
                except OSError:
                    time.sleep(0.1)
            urllib.request.urlopen(base + "/api/search?q=%E5%B7%A5%E5%8C%A0", timeout=10).read()
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--headless", "--no-sandbox", "--disable-gpu",
                          "--disable-background-networking", "--lang=zh-CN"],
                    env={**os.environ, "LANGUAGE": "zh_CN", "LANG": "zh_CN.UTF-8"})
                for name, width, height, phone in SHOTS:
                    ctx = browser.new_context(viewport={"width": width, "height": height},
                                              locale="zh-CN", is_mobile=phone, has_touch=phone,
                                              device_scale_factor=1)
                    page = ctx.new_page()
                    page.goto(base + "/search?q=工匠精神")
                    page.screenshot(path=str(DOCS / name))
                    print("wrote", DOCS / name)
                    ctx.close()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
