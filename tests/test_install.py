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
        wait_for_healthz(base, server, lambda: server.stderr.read().decode()[-2000:], 6)
        # Templates and static files are in the wheel too.
        with urllib.request.urlopen(base + "/search?q=%E5%B7%A5%E5%8C%A0%E7%B2%BE%E7%A5%9E") as r:
            page = r.read().decode()
        assert "<mark>工匠精神</mark>" in page
        with urllib.request.urlopen(base + "/static/style.css") as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(10)


# -- the production install of README.md, under systemd-like supervision -------------------

def unit_service(name: str) -> dict[str, list[str]]:
    """The ``[Service]`` settings of ``deploy/NAME`` (each key: its values in order)."""
    out: dict[str, list[str]] = {}
    section = ""
    for line in (REPO / "deploy" / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            out.setdefault(key, []).append(value)
    return out


def run_unit(name: str, installed: Path, config: Path, replace: dict[str, str],
             log: Path) -> subprocess.Popen:
    """Start ``deploy/NAME``'s ExecStart line as systemd would: its Environment, cwd /,
    the program in the test's venv instead of /opt/unionsearch, ``config`` instead of
    /etc/unionsearch/unionsearch.toml."""
    import shlex

    unit = unit_service(name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNIONSEARCH_")
           and k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    for assignment in unit.get("Environment", []):
        key, value = assignment.split("=", 1)
        env[key] = value.replace("/etc/unionsearch/unionsearch.toml", str(config))
    argv = shlex.split(unit["ExecStart"][0])
    argv[0] = argv[0].replace("/opt/unionsearch/bin", str(installed))
    argv = [replace.get(a, a) for a in argv]
    return subprocess.Popen(argv, cwd="/", env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def test_the_units_exec_start_serves_and_imports(installed: Path, tmp_path) -> None:
    """README "Production install", steps 2-6, with this test's folders."""
    home, drop = tmp_path / "var-lib-unionsearch", tmp_path / "drop"
    drop.mkdir()
    port = _free_port()
    config = tmp_path / "unionsearch.toml"
    text = (REPO / "deploy" / "unionsearch.toml").read_text(encoding="utf-8")
    text = text.replace('"/var/lib/unionsearch/index"', f'"{home / "index"}"')
    config.write_text(text.replace("port = 8000", f"port = {port}"), encoding="utf-8")
    env = {**os.environ, "UNIONSEARCH_CONFIG": str(config)}
    sample = _run(installed / "python", "-c", "import web.server as s; print(s.SAMPLE_PAGE)",
                  cwd=tmp_path).stdout.strip()
    done = subprocess.run([str(installed / "unionsearch"), "index", sample], env=env,
                          capture_output=True, text=True, timeout=300, cwd="/")
    assert done.returncode == 0 and "6 added" in done.stdout, done.stderr

    unit = unit_service("unionsearch.service")
    assert unit["Restart"] == ["on-failure"] and unit["ProtectSystem"] == ["strict"]
    server = run_unit("unionsearch.service", installed, config, {}, tmp_path / "serve.log")
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_healthz(base, server, (tmp_path / "serve.log").read_text, 6)
        server.send_signal(1)  # ExecReload: kill -HUP $MAINPID
        with urllib.request.urlopen(base + "/search?q=%E7%B4%AB%E7%A0%82") as r:
            assert "<mark>紫砂</mark>" in r.read().decode()
        server.send_signal(15)  # systemctl stop: KillSignal=SIGTERM
        stop = float(unit["TimeoutStopSec"][0])
        assert server.wait(stop) == 0  # a clean exit: Restart=on-failure does not restart
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    _run_watch_unit(installed, config, drop, tmp_path)
    found = subprocess.run([str(installed / "unionsearch"), "search", "职工书屋", "--json"],
                           env=env, capture_output=True, text=True, cwd="/")
    assert json.loads(found.stdout)["total"] == 1
    checked = subprocess.run([str(installed / "unionsearch"), "check"], env=env,
                             capture_output=True, text=True, cwd="/")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _run_watch_unit(installed: Path, config: Path, drop: Path, tmp_path: Path) -> None:
    """The watch unit's ExecStart over ``drop``: a file dropped is imported; SIGTERM."""
    watcher = run_unit("unionsearch-watch.service", installed, config,
                       {"/srv/unionsearch/drop": str(drop)}, tmp_path / "watch.log")
    try:
        rows = [{"id": "w1", "title": "职工书屋开放", "body": "职工书屋今天开放。",
                 "date": "2026-12-01"}]
        (drop / "day.jsonl").write_text(json.dumps(rows[0], ensure_ascii=False) + "\n",
                                        encoding="utf-8")
        deadline = time.monotonic() + 120
        while "imported" not in (tmp_path / "watch.log").read_text(errors="replace"):
            assert watcher.poll() is None, (tmp_path / "watch.log").read_text()
            assert time.monotonic() < deadline
            time.sleep(0.2)
        watcher.send_signal(15)
        assert watcher.wait(float(unit_service("unionsearch-watch.service")
                                  ["TimeoutStopSec"][0])) == 0
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()


def wait_for_healthz(base: str, server: subprocess.Popen, log, documents: int) -> None:
    """Until the installed server answers /healthz with ``documents`` (60 s at most)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                assert json.load(r)["documents"] == documents
            return
        except OSError:
            assert server.poll() is None, log()
            assert time.monotonic() < deadline, "the installed server did not start"
            time.sleep(0.3)
