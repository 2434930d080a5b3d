"""The layout of ``search/`` (ARCHITECTURE.md, "Layout"): subpackages by concern, imports
running one way between them, nothing loose at the root; and indexes written before the
modules moved still open.

Read from the sources with ``ast``: an import inside a function or under ``TYPE_CHECKING``
counts like any other, since it says which layer a module leans on.
"""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest

from search.storage.store import FastCodec, IndexUnpickler

SEARCH = Path(__file__).resolve().parents[1] / "search"

# Bottom up: a module imports only modules of its own layer or of the layers before it.
LAYERS = [('search.native', 'search._native', 'search.pausepoints', 'search.schema', 'search.heap'), ('search.text',), ('search.document', 'search.dedupe'), ('search.storage',), ('search.retrieval',), ('search.understanding',), ('search.results',), ('search.reports',), ('search.engine', 'search')]
ROOT = ['__init__.py', '_native.c', 'dedupe.py', 'document.py', 'engine.py', 'heap.py', 'native.py', 'pausepoints.py', 'results.py', 'schema.py']
PACKAGES = ['search/text', 'search/storage', 'search/retrieval', 'search/understanding', 'search/reports']


def layer_of(module: str) -> int:
    """The layer of a module of ``search`` (its longest matching key)."""
    best, found = -1, -1
    for i, keys in enumerate(LAYERS):
        for key in keys:
            if (module == key or module.startswith(key + ".")) and len(key) > best:
                best, found = len(key), i
    return found


def modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(SEARCH.rglob("*.py")):
        parts = path.relative_to(SEARCH.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out.append((name, path))
    return out


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module of ``search`` that ``path`` imports (``from . import schema`` imports
    ``search.schema``, not ``search``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")
                up = up[: len(up) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            for a in node.names:
                sub = f"{base}.{a.name}"
                found.add(sub if sub in known else base)
    return {m for m in found if m == "search" or m.startswith("search.")}


@pytest.mark.parametrize(("name", "path"), modules(), ids=lambda v: str(v))
def test_imports_run_one_way(name: str, path: Path) -> None:
    mine = layer_of(name)
    known = {m for m, _ in modules()} | {"search._native"}
    above = sorted(m for m in imports_of(name, path, known)
                   if m in known and layer_of(m) > mine)
    assert not above, f"{name} (layer {mine}) imports from a layer above it: {above}"


def test_nothing_loose_at_the_root_of_search() -> None:
    loose = sorted(p.name for p in SEARCH.iterdir()
                   if p.suffix == ".py" and p.name not in ROOT)
    assert not loose, f"modules at the root of search/ that no package holds: {loose}"


def test_every_package_says_what_it_holds() -> None:
    for pkg in PACKAGES:
        init = SEARCH.parent / pkg / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), pkg


def test_an_index_written_before_the_move_names_its_codec_by_the_old_path() -> None:
    # Whoosh pickles the codec's class by module path into every TOC; indexes written when
    # the store was search/whoosh_api.py name it so.
    unpickler = IndexUnpickler(io.BytesIO(b""))
    assert unpickler.find_class("search.whoosh_api", "FastCodec") is FastCodec  # pickled name
