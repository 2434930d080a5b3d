"""The package as a user installs it: docs/install.md's steps, pasted, on a fresh venv.

Why: an editable install (``make``) sees every module of the checkout, so a package or a
data file left out of ``pyproject.toml`` only shows once someone runs ``pip install .``
(``indexer.readers`` was left out once and the installed command failed at import), and an
install guide nobody runs goes wrong unnoticed (it once installed a wheel name pip does not
build).  So the blocks of docs/install.md marked ``sh install`` are run as written, in a
copy of the tree, with step 0's paths moved under a temporary root; what this machine may not
do for real (install packages, add a user, run systemd or nginx) is stood in for by shell
functions that record the call, and ``systemctl enable --now`` starts the installed unit's
``ExecStart`` with its ``Environment``.  The installed ``unionsearch`` then runs from a
folder outside the checkout.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest

from .helpers import REPO, SAMPLE, free_port, http_get, unit_service, wait_healthy

GUIDE = REPO / "docs" / "install.md"
_SKIP = shutil.ignore_patterns(".venv", ".git", "index_data", "__pycache__", "*.egg-info",
                               "build", "dist", ".pytest_cache", ".ruff_cache", "bench", "docs")
# Absolute paths the guide may name outside step 0's variables: none it writes to.
_FIXED_PATHS = {"/usr/sbin/nologin"}


def _run(*args, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def guide_blocks(text: str) -> tuple[dict[str, str], list[str]]:
    """docs/install.md's ``sh install`` blocks: step 0's variables (name: path) and the
    blocks after it, in order."""
    blocks = re.findall(r"^```sh install\n(.*?)^```$", text, re.S | re.M)
    assert len(blocks) >= 2, "docs/install.md has no blocks marked sh install"
    variables = {}
    for line in blocks[0].splitlines():
        m = re.fullmatch(r"([A-Z]+)=(/\S*)\s*(#.*)?", line.strip())
        assert m, f"step 0 sets only paths: {line!r}"
        variables[m.group(1)] = m.group(2)
    return variables, blocks[1:]


def runtime_requirements(project: str = "unionsearch") -> list[metadata.Distribution]:
    """The installed distributions ``project`` needs at run time: its requirements and
    theirs, markers evaluated for this interpreter, extras (``test``) left out."""
    from packaging.requirements import Requirement

    seen: dict[str, metadata.Distribution] = {}
    todo = [project]
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        seen[key] = dist = metadata.distribution(name)
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    del seen[project]
    return list(seen.values())


def runtime_site(folder: Path) -> Path:
    """``folder`` filled with links to the top-level modules, packages, libraries and
    ``.dist-info`` folders of :func:`runtime_requirements`, as the test venv installed
    them: a site folder with those distributions and nothing else."""
    folder.mkdir()
    for dist in runtime_requirements():
        for top in sorted({p.parts[0] for p in dist.files or ()} - {"..", "__pycache__"}):
            source = Path(dist.locate_file(top))
            if source.exists() and not (folder / top).exists():
                (folder / top).symlink_to(source)
    return folder


# Stand-ins for what a test may not do to this machine.  Each records its call in
# $FAKE/calls; `install` relocates step 0's paths in the files it installs (RELOCATE: sed
# expressions), as the variables relocate the folders themselves.
_FAKES = r"""
set -euo pipefail
_call() { printf '%s\n' "$*" >> "$FAKE/calls"; }
python3() {
    command python3 "$@"
    [ "${1-} ${2-}" = "-m venv" ] || return 0
    "$3/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' \
        | { read -r site; printf '%s\n' "$RUNTIME_SITE" > "$site/runtime-requirements.pth"; }
}
apt-get() { _call apt-get "$@"; }
useradd() { _call useradd "$@"; }
nginx() { _call nginx "$@"; }
runuser() {
    [ "$1 $2 $3" = "-u unionsearch --" ] || { echo "runuser stand-in: $*" >&2; return 64; }
    shift 3; _call runuser "$@"; "$@"
}
install() {
    local opts=() files=() dir=""
    while [ $# -gt 0 ]; do
        case "$1" in
            -o|-g) [ "$2" = unionsearch ] || return 64; _call install "$1" "$2"; shift 2 ;;
            -m) opts+=("$1" "$2"); shift 2 ;;
            -d) dir=1; opts+=("$1"); shift ;;
            *) files+=("$1"); shift ;;
        esac
    done
    command install "${opts[@]}" "${files[@]}"
    [ -z "$dir" ] || return 0
    local dest="${files[-1]}" f
    for f in "${files[@]:0:${#files[@]}-1}"; do
        if [ -d "$dest" ]; then sed -i "${RELOCATE[@]}" "$dest/$(basename "$f")"
        else sed -i "${RELOCATE[@]}" "$dest"; fi
    done
}
_start() {
    local unit="$ETC/systemd/system/$1.service" envs cmd
    [ -f "$unit" ] || { echo "systemctl stand-in: no $unit" >&2; return 5; }
    envs=$(sed -n 's/^Environment=//p' "$unit")
    cmd=$(sed -n 's/^ExecStart=//p' "$unit")
    (cd / && exec env $envs $cmd) > "$FAKE/$1.log" 2>&1 &
    echo $! > "$FAKE/$1.pid"
}
systemctl() {
    _call systemctl "$@"
    case "$1 ${2-}" in
        "daemon-reload ") ;;
        "enable --now") _start "$3" ;;
        "reload nginx") ;;
        *) echo "systemctl stand-in: $* is not stood in for" >&2; return 64 ;;
    esac
}
"""


@dataclass
class Guide:
    """docs/install.md, run: its folders (under ``root``), the service's address, the
    process group of the units it started."""

    root: Path
    paths: dict[str, Path]
    fake: Path
    base: str
    pgid: int
    out: str

    @property
    def bin(self) -> Path:
        return self.paths["PREFIX"] / "bin"

    def stop(self) -> None:
        """systemctl stop, for every unit the guide started: SIGTERM, then wait."""
        try:
            os.killpg(self.pgid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                os.killpg(self.pgid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)
        os.killpg(self.pgid, signal.SIGKILL)


@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    """docs/install.md's ``sh install`` blocks run in a copy of the tree, as root would run
    them on a fresh server, but under a temporary root; the units it starts are stopped
    at the end."""
    work = tmp_path_factory.mktemp("install")
    src, root, fake = work / "src", work / "root", work / "fake"
    shutil.copytree(REPO, src, ignore=_SKIP)
    fake.mkdir()
    for d in ("etc/systemd/system", "etc/nginx/snippets", "etc/cron.d"):
        (root / d).mkdir(parents=True)
    variables, blocks = guide_blocks(GUIDE.read_text(encoding="utf-8"))
    script = "\n".join(blocks)
    for path in re.findall(r"(?:^|[\s\"'=])(/[A-Za-z][^\s\"';)]*)", script, re.M):
        assert path in _FIXED_PATHS, f"the guide names {path} outside step 0's variables"
    paths = {name: Path(f"{root}{value}") for name, value in variables.items()}
    assert not any(p.exists() for name, p in paths.items() if name != "ETC")  # a fresh server
    port = free_port()
    assert "127.0.0.1:8000" in script
    script = script.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    relocate = [f"s|{value}|{paths[name]}|g" for name, value in variables.items()
                if name != "ETC"] + [f"s|^port = 8000$|port = {port}|"]
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("UNIONSEARCH_")}
    env["FAKE"] = str(fake)
    env["RUNTIME_SITE"] = str(runtime_site(work / "runtime-site"))
    sets = "".join(f"{name}={path}\n" for name, path in paths.items())
    sets += "RELOCATE=(" + " ".join(f"-e {shlex.quote(e)}" for e in relocate) + ")\n"
    proc = subprocess.Popen(["bash", "-c", _FAKES + sets + script], cwd=src, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    ran = Guide(root, paths, fake, f"http://127.0.0.1:{port}", proc.pid, "")
    try:
        ran.out = proc.communicate(timeout=900)[0]
        assert proc.returncode == 0, ran.out[-3000:]
        yield ran
    finally:
        ran.stop()


@pytest.fixture(scope="module")
def installed(guide) -> Path:
    """The ``bin`` folder of the venv docs/install.md made: the built wheel and its runtime
    requirements only."""
    return guide.bin


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def test_the_install_guide_gives_a_running_service(guide: Guide) -> None:
    calls = (guide.fake / "calls").read_text(encoding="utf-8").splitlines()
    apt = [c for c in calls if c.startswith("apt-get install")]
    assert apt and {"python3-venv", "curl", "cron"} <= set(apt[0].split())
    assert any(c.startswith("useradd --system") and c.endswith(" unionsearch") for c in calls)
    assert re.search(r'"documents":\s*6\b', guide.out), guide.out[-2000:]
    assert "紫砂" in guide.out  # the guide's search found the sample's article
    wheels = [p.name for p in (guide.paths["PREFIX"] / "lib").glob("python3*/site-packages/"
                                                                    "unionsearch-*.dist-info")]
    assert wheels, "the wheel is not installed in the guide's venv"
    assert (guide.paths["DATA"] / "index").is_dir()  # where the settings file put it
    assert _get_json(guide.base + "/healthz")["documents"] == 6

    # The watch unit imports what is dropped; the running service finds it.
    row = {"id": "w1", "title": "职工书屋开放", "body": "职工书屋今天开放。", "date": "2026-12-01"}
    (guide.paths["DROP"] / "day.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n",
                                                   encoding="utf-8")
    url = guide.base + "/api/search?" + urllib.parse.urlencode({"q": "职工书屋"})
    deadline = time.monotonic() + 120
    while _get_json(url)["total"] != 1:
        assert time.monotonic() < deadline, (guide.fake / "unionsearch-watch.log").read_text()
        time.sleep(0.3)

    # The cron job: as the service user, at night; here once, now.
    lines = [ln for ln in (guide.root / "etc/cron.d/unionsearch-backup").read_text(
        encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    assert len(lines) == 1
    fields = lines[0].split(None, 6)
    assert fields[5] == "unionsearch"
    done = subprocess.run(["/bin/sh", "-c", fields[6].replace("\\%", "%")], cwd="/",
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    backups = list(guide.paths["BACKUP"].iterdir())
    assert len(backups) == 1 and re.fullmatch(r"\d{4}-\d\d-\d\d", backups[0].name)
    checked = _run(guide.bin / "unionsearch", "check", "--index-dir", backups[0], cwd=guide.root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    stats = _run(guide.bin / "unionsearch", "stats", "--json", "--index-dir", backups[0],
                 cwd=guide.root)
    assert json.loads(stats.stdout)["documents"] == 7  # the sample page and the dropped file
    guide.stop()


def test_the_installed_command_indexes_searches_and_serves(installed: Path, tmp_path) -> None:
    exe = installed / "unionsearch"
    idx = tmp_path / "idx"
    # Imported from the venv, not the checkout: run outside it.
    where = _run(installed / "python", "-c", "import indexer.readers, web; print(web.__file__)",
                 cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert str(installed.parent) in where.stdout
    # Only the runtime requirements: a test-only package is not there.
    alone = _run(installed / "python", "-c", "import pytest", cwd=tmp_path)
    assert alone.returncode == 1 and "No module named 'pytest'" in alone.stderr, alone.stderr

    done = _run(exe, "index", SAMPLE, "--index-dir", idx, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "6 added" in done.stdout

    found = _run(exe, "search", "工匠精神", "--json", "--index-dir", idx, cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)["hits"]
    assert any("紫砂" in h["title"] for h in hits)

    port = free_port()
    server = subprocess.Popen([str(exe), "serve", "--port", str(port), "--index-dir", str(idx)],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, server, lambda: server.stderr.read().decode()[-2000:], hang_s=60)
        assert json.loads(http_get(base, "/healthz")[2])["documents"] == 6
        # Templates and static files are in the wheel too.
        with urllib.request.urlopen(base + "/search?q=%E5%B7%A5%E5%8C%A0%E7%B2%BE%E7%A5%9E") as r:
            page = r.read().decode()
        assert "<mark>工匠精神</mark>" in page
        with urllib.request.urlopen(base + "/static/style.css") as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(10)


# -- the units of deploy/, under systemd-like supervision ---------------------------------

def run_unit(name: str, installed: Path, config: Path, replace: dict[str, str],
             log: Path) -> subprocess.Popen:
    """Start ``deploy/NAME``'s ExecStart line as systemd would: its Environment, cwd /,
    the program in the test's venv instead of /opt/unionsearch, ``config`` instead of
    /etc/unionsearch/unionsearch.toml."""
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
    """The units as docs/install.md installs them, with this test's folders: SIGHUP
    reloads, SIGTERM exits 0, the watch imports."""
    home, drop = tmp_path / "var-lib-unionsearch", tmp_path / "drop"
    drop.mkdir()
    port = free_port()
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
        wait_healthy(base, server, tmp_path / "serve.log", hang_s=60)
        assert json.loads(http_get(base, "/healthz")[2])["documents"] == 6
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
