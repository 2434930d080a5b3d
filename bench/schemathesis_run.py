"""schemathesis with every check against a local server: the longer run of tests/test_openapi.py.

    python -m bench.schemathesis_run                     # the test corpus + the sample page
    python -m bench.schemathesis_run --max-examples 200 --append

Starts ``unionsearch serve`` on 127.0.0.1 over an index of the test corpus and the
sample page (built in bench/out), runs ``st run --checks all`` with every phase
(examples, coverage, fuzzing, stateful) and tests/schemathesis.toml, and prints the
cases generated and the failures found; ``--append`` adds them to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys
import time

from . import corpus
from .burst import BIN, OUT, REPO, free_port, wait_until_healthy

CONFIG = REPO / "tests" / "schemathesis.toml"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--max-examples", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--append", action="store_true")
    args = ap.parse_args()
    idx = OUT / "schemathesis-idx"
    if not corpus.index_current(idx):
        subprocess.run([str(BIN / "unionsearch"), "index", str(REPO / "tests" / "data" /
                        "pd1998-01-a.jsonl"), str(REPO / "web" / "sample" /
                        "page-2022-09-30.txt"), "--index-dir", str(idx)], check=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "schemathesis-serve.log", "wb") as log:
        server = subprocess.Popen([str(BIN / "unionsearch"), "serve", "--index-dir", str(idx),
                                   "--port", str(port), "--log-format", "off"], stdout=log,
                                  stderr=log, start_new_session=True)
    try:
        wait_until_healthy(server, port)
        started = time.monotonic()
        done = subprocess.run(
            [str(BIN / "st"), "--config-file", str(CONFIG), "run", f"{base}/api/openapi.json",
             "--url", base, "--checks", "all", "--max-examples", str(args.max_examples),
             "--seed", str(args.seed), "--generation-database", "none", "--no-color"],
            capture_output=True, text=True, cwd=str(OUT))
        took = time.monotonic() - started
        errors = server.poll() is not None
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    print(done.stdout[-4000:])
    m = re.search(r"(\d+) generated, (.*)\n", done.stdout)
    text = (f"## {time.strftime('%Y-%m-%d %H:%M')} — schemathesis `--checks all` against "
            f"`unionsearch serve` (`python -m bench.schemathesis_run`)\n\n"
            f"- schemathesis {_version()}, every phase (examples, coverage, fuzzing, "
            f"stateful), --max-examples {args.max_examples}, seed {args.seed}, "
            "tests/schemathesis.toml; index: the test corpus and the sample page "
            "(2,018 articles).\n"
            f"- {m.group(1) if m else '?'} cases generated: {m.group(2) if m else '?'}; "
            f"exit status {done.returncode}; {took:.0f} s; server "
            f"{'died' if errors else 'up throughout'}.\n")
    print(text)
    if args.append:
        with open(REPO / "bench" / "RESULTS.md", "a", encoding="utf-8") as fh:
            fh.write("\n" + text)
    sys.exit(done.returncode)


def _version() -> str:
    done = subprocess.run([str(BIN / "st"), "--version"], capture_output=True, text=True)
    return done.stdout.strip().split()[-1] if done.returncode == 0 else "?"


if __name__ == "__main__":
    main()
