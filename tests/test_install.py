"""The package as a user installs it: a built wheel in a fresh virtual environment.

Why: an editable install (``make``) sees every module of the checkout, so a package or a
data file left out of ``pyproject.toml`` only shows once someone runs ``pip install .``
(``indexer.readers`` was left out once and the installed command failed at import).
This builds the wheel from a copy of the tree, installs it into a new venv and runs the
installed ``unionsearch`` from a folder outside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .helpers import REPO, SAMPLE

_SKIP = shutil.ignore_patterns(".venv", ".git", "index_data", "__pycache__", "*.egg-info",
                               "build", ".pytest_cache", ".ruff_cache", "bench", "docs")


def _run(*args, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The ``bin`` folder of a fresh venv holding only the built wheel and its dependencies."""
    work = tmp_path_factory.mktemp("install")
    src = work / "src"
    shutil.copytree(REPO, src, ignore=_SKIP)
    wheels = work / "wheels"
    built = _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels, src,
                 cwd=work)
    assert built.returncode == 0, built.stderr[-2000:]
    venv = work / "venv"
    made = _run(sys.executable, "-m", "venv", venv, cwd=work)
    assert made.returncode == 0, made.stderr
    wheel = next(wheels.glob("unionsearch-*.whl"))
    inst = _run(venv / "bin" / "pip", "install", "-q", "--disable-pip-version-check", wheel,
                cwd=work)
    assert inst.returncode == 0, inst.stderr[-2000:]
    return venv / "bin"


def test_the_installed_command_indexes_searches_and_serves(installed: Path, tmp_path) -> None:
    exe = installed / "unionsearch"
    idx = tmp_path / "idx"
    # Imported from the venv, not the checkout: run outside it.
    where = _run(installed / "python", "-c", "import indexer.readers, web; print(web.__file__)",
                 cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert str(installed.parent) in where.stdout

    done = _run(exe, "index", SAMPLE, "--index-dir", idx, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "6 added" in done.stdout

    found = _run(exe, "search", "工匠精神", "--json", "--index-dir", idx, cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)["hits"]
    assert any("紫砂" in h["title"] for h in hits)

    port = _free_port()
    server = subprocess.Popen([str(exe), "serve", "--port", str(port), "--index-dir", str(idx)],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    assert json.load(r)["documents"] == 6
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "the installed server did not start"
                time.sleep(0.3)
        # Templates and static files are in the wheel too.
        with urllib.request.urlopen(base + "/search?q=%E5%B7%A5%E5%8C%A0%E7%B2%BE%E7%A5%9E") as r:
            page = r.read().decode()
        assert "<mark>工匠精神</mark>" in page
        with urllib.request.urlopen(base + "/static/style.css") as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(10)
