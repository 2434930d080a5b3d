"""Helpers for tests: paths, a real index on disk, the real command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from indexer.writer import import_items
from search.document import Article
from search.engine import Engine

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "pd1998-01-a.jsonl"
SAMPLE = REPO / "web" / "sample" / "page-2022-09-30.txt"
BIN = Path(sys.executable).parent


def unionsearch(*args: str, env: dict | None = None, timeout: float = 300,
                cwd: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed console script, as a user would."""
    exe = BIN / "unionsearch"
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=full_env,
                          timeout=timeout, cwd=cwd)


def build_index(path: Path, articles: list[Article | dict]) -> Engine:
    """A real index on disk holding ``articles``."""
    from indexer.records import Loaded

    items = []
    for n, art in enumerate(articles, 1):
        if isinstance(art, dict):
            art = Article(**art)
        items.append(Loaded(art, "test", f"article {n}"))
    import_items(str(path), items)
    return Engine(str(path))
